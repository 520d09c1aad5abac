use maeul_core::account::Role;
use maeul_core::org::model::{OrgModel, OrgRules, Organisation};
use maeul_core::org::staffing::{Post, StaffKind};
use maeul_core::region::RegionCode;
use maeul_store::dashboard::Mismatch;
use maeul_store::welfare::case::{NewCase, Source};
use maeul_store::{DbConfig, Store};
use time::macros::date;

use crate::account::add;
use crate::engines;

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";
const JONGNO: &str = "1111000000";
const SEOUL: &str = "1100000000";

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

async fn figure(store: &Store, region: &str, metric: &str) -> i64 {
    let figures = store.dashboards().figures(&code(region)).await.unwrap();
    figures.figures.get(metric).copied().unwrap_or(0)
}

async fn assert_equal_to_recount(store: &Store, name: &str, after: &str) {
    let mismatches = store.dashboards().check().await.unwrap();
    assert!(
        mismatches.is_empty(),
        "{name} after {after}: {} differ, first {:?}",
        mismatches.len(),
        mismatches.first()
    );
}

/// Adds one to a kept count directly in the database.
fn tamper(config: &DbConfig) {
    use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
    let sql = format!(
        "UPDATE dashboard_counts SET n = n + 1 \
         WHERE region_code = '{JONGNO}' AND metric = 'case.stage:intake'"
    );
    match config {
        DbConfig::Sqlite { data_dir } => {
            let file = DbConfig::sqlite_file(data_dir);
            let mut c = SqliteConnection::establish(&file.to_string_lossy()).unwrap();
            assert_eq!(diesel::sql_query(sql).execute(&mut c).unwrap(), 1);
        }
        DbConfig::Postgres { url } => {
            let mut c = PgConnection::establish(url).unwrap();
            assert_eq!(diesel::sql_query(sql).execute(&mut c).unwrap(), 1);
        }
    }
}

#[tokio::test]
async fn roll_ups_follow_every_change_and_equal_a_full_recount() {
    for db in engines().await {
        let store = crate::keyed(db.store.clone()).await;
        let name = db.name;
        assert_equal_to_recount(&store, name, "loading the regions").await;

        // The nation's places are the sum of its si/do's, and each is a count of places.
        let nation = store
            .dashboards()
            .figures(&RegionCode::nation())
            .await
            .unwrap();
        let (nation, below) = (nation.figures, nation.below);
        assert_eq!(below.len(), 17, "{name}");
        let places: i64 = below.values().map(|f| f["places"]).sum();
        assert_eq!(nation["places"], places, "{name}");
        assert!(places > 3_000, "{name}: {places}");

        // Cases: opened, moved a step.
        let kim = add(&store, "kim.welfare", Role::WelfareStaff, CHEONGUN).await;
        let actor = maeul_store::account::Actor {
            user_id: Some(kim),
            login: "kim.welfare".into(),
            address: "10.0.0.1".into(),
            region: Some(CHEONGUN.into()),
        };
        let mut ids = Vec::new();
        for emd in [CHEONGUN, CHEONGUN, SAJIK] {
            let new = NewCase {
                emd_code: emd.into(),
                person: maeul_core::welfare::person::Person::new(
                    "김순자",
                    Some(1948),
                    date!(2026 - 11 - 25),
                )
                .unwrap(),
                source: Source::WalkIn,
                candidate_id: None,
                opened_on: date!(2026 - 11 - 02),
                note: None,
            };
            ids.push(store.cases().open(new, actor.clone()).await.unwrap());
        }
        assert_eq!(figure(&store, CHEONGUN, "case.stage:intake").await, 2);
        assert_eq!(figure(&store, JONGNO, "case.stage:intake").await, 3);
        assert_eq!(figure(&store, "0000000000", "case.stage:intake").await, 3);
        let step = maeul_core::welfare::case::StepInput {
            step: "assessment".into(),
            done_on: "2026-11-09".into(),
            needs: vec!["health".into(), "economy".into()],
            crisis: Some("high".into()),
            ..Default::default()
        };
        store
            .cases()
            .record_step(ids[0], step, date!(2026 - 11 - 25), actor.clone())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(figure(&store, JONGNO, "case.stage:intake").await, 2);
        assert_eq!(figure(&store, SEOUL, "case.stage:assessment").await, 1);
        assert_equal_to_recount(&store, name, "cases").await;

        // Organisation models: set, then changed.
        let rules = OrgRules::default();
        let dong = store.regions().get(&code(CHEONGUN)).await.unwrap().unwrap();
        let org = |model| {
            Organisation::new(dong.region.kind, model, None, (None, None), None, &rules).unwrap()
        };
        let organisations = store.org_models();
        organisations
            .set(&code(CHEONGUN), org(OrgModel::Basic), kim)
            .await
            .unwrap();
        assert_eq!(figure(&store, SEOUL, "org.model:basic").await, 1);
        organisations
            .set(&code(CHEONGUN), org(OrgModel::ServiceLinked), kim)
            .await
            .unwrap();
        assert_eq!(figure(&store, SEOUL, "org.model:basic").await, 0);
        assert_eq!(figure(&store, SEOUL, "org.model:service_linked").await, 1);
        assert_equal_to_recount(&store, name, "organisation models").await;

        // Staff posts: vacant, filled, removed.
        let jongno = store.regions().get(&code(JONGNO)).await.unwrap().unwrap();
        let post = Post::new(StaffKind::Welfare, None, None).unwrap();
        let id = store
            .staffing()
            .add(
                post,
                (&dong.region.code, &dong.path),
                (&dong.region.code, &dong.path),
                kim,
            )
            .await
            .unwrap();
        let programme = Post::new(StaffKind::Programme, Some("이민준"), None).unwrap();
        store
            .staffing()
            .add(
                programme,
                (&jongno.region.code, &jongno.path),
                (&jongno.region.code, &jongno.path),
                kim,
            )
            .await
            .unwrap();
        assert_eq!(figure(&store, JONGNO, "staff.vacant:welfare").await, 1);
        assert_eq!(figure(&store, JONGNO, "staff.posts:programme").await, 1);
        store
            .staffing()
            .set_holder(id, Some("박지은".into()), None, kim)
            .await
            .unwrap();
        assert_eq!(figure(&store, JONGNO, "staff.vacant:welfare").await, 0);
        assert_eq!(figure(&store, JONGNO, "staff.posts:welfare").await, 1);
        assert!(store.staffing().remove(id).await.unwrap());
        assert_eq!(figure(&store, SEOUL, "staff.posts:welfare").await, 0);
        assert_equal_to_recount(&store, name, "staff posts").await;

        // A roll-up changed behind the triggers' back is found, and a rebuild repairs it.
        tamper(&db.config);
        let found = store.dashboards().check().await.unwrap();
        assert_eq!(
            found,
            vec![Mismatch {
                region_code: JONGNO.into(),
                metric: "case.stage:intake".into(),
                kept: 3,
                counted: 2,
            }],
            "{name}"
        );
        store.dashboards().rebuild().await.unwrap();
        assert_equal_to_recount(&store, name, "a rebuild").await;

        // A rebuild changes nothing.
        let before = store.dashboards().figures(&code(JONGNO)).await.unwrap();
        store.dashboards().rebuild().await.unwrap();
        assert_eq!(
            store.dashboards().figures(&code(JONGNO)).await.unwrap(),
            before,
            "{name}"
        );
    }
}
