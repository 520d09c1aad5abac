use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use maeul_core::account::Role;
use maeul_core::audit::AccessAction;
use maeul_core::crypto::DataKey;
use maeul_core::region::RegionCode;
use maeul_core::welfare::discovery::{Outcome, RoundName, Status, Visit};
use maeul_store::DbConfig;
use maeul_store::account::Actor;
use maeul_store::audit::AccessFilter;
use maeul_store::welfare::discovery::{Loaded, NewCandidate, NewRound, PlaceList};
use time::macros::date;

use crate::account::add;
use crate::{engines, keyed};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

fn candidate(emd: &str, rank: i64, id: &str) -> NewCandidate {
    NewCandidate {
        emd_code: emd.into(),
        rank,
        household_id: id.into(),
        members: 2,
        head_age: 81,
        tags: vec!["elderly_alone".into()],
        probability: 0.9 - rank as f64 / 100.0,
        reasons: vec!["ELEC_CUT".into(), "HI_ARREARS".into()],
    }
}

fn round(name: &str, digest: &str) -> NewRound {
    let mut candidates: Vec<NewCandidate> = (1..=6)
        .map(|r| candidate(CHEONGUN, r, &format!("HH-CH-{r:04}")))
        .collect();
    candidates.push(candidate(SAJIK, 1, "HH-SJ-0001"));
    NewRound {
        name: RoundName::parse(name).unwrap(),
        model_name: "baseline".into(),
        model_version: 1,
        model_toml: "name = \"baseline\"".into(),
        as_of: "2026-11-01".into(),
        opens_on: date!(2026 - 11 - 02),
        digest: digest.into(),
        indicators: vec![
            ("ELEC_CUT".into(), "단전".into(), 1.2),
            ("HI_ARREARS".into(), "건강보험료 체납(개월)".into(), 0.35),
        ],
        candidates,
    }
}

fn worker(id: i64, login: &str) -> Actor {
    Actor {
        user_id: Some(id),
        login: login.into(),
        address: "10.0.0.1".into(),
        region: Some(CHEONGUN.into()),
    }
}

#[derive(QueryableByName)]
struct Blob {
    #[diesel(sql_type = diesel::sql_types::Binary)]
    b: Vec<u8>,
}

/// Every sealed value of a column, read past the repository.
pub(crate) fn raw_blobs(config: &DbConfig, sql: &str) -> Vec<Vec<u8>> {
    let rows: Vec<Blob> = match config {
        DbConfig::Sqlite { data_dir } => {
            let mut c =
                SqliteConnection::establish(&DbConfig::sqlite_file(data_dir).to_string_lossy())
                    .unwrap();
            diesel::sql_query(sql).load(&mut c).unwrap()
        }
        DbConfig::Postgres { url } => {
            let mut c = PgConnection::establish(url).unwrap();
            diesel::sql_query(sql).load(&mut c).unwrap()
        }
    };
    rows.into_iter().map(|r| r.b).collect()
}

#[tokio::test]
async fn a_round_loads_once_and_other_files_under_its_name_are_refused() {
    for db in engines().await {
        let store = keyed(db.store.clone()).await;
        let d = store.discovery();
        let first = d
            .load(round("2026-6차", "aaa"), Actor::cli())
            .await
            .unwrap();
        let Loaded::Created(id) = first else {
            panic!("{}: {first:?}", db.name)
        };
        assert_eq!(
            d.load(round("2026-6차", "aaa"), Actor::cli())
                .await
                .unwrap(),
            Loaded::Unchanged(id)
        );
        assert!(
            d.load(round("2026-6차", "bbb"), Actor::cli())
                .await
                .is_err()
        );
        let rounds = d.rounds().await.unwrap();
        assert_eq!(rounds.len(), 1, "{}", db.name);
        assert_eq!(rounds[0].listed, 7);
        assert_eq!(rounds[0].due_on, date!(2026 - 12 - 28));
        assert_eq!(d.round(None).await.unwrap().unwrap().id, id);
    }
}

#[tokio::test]
async fn household_ids_and_notes_are_sealed_at_rest_and_every_read_is_logged() {
    for db in engines().await {
        let store = keyed(db.store.clone()).await;
        let kim = add(&store, "kim.welfare", Role::WelfareStaff, CHEONGUN).await;
        let d = store.discovery();
        let id = d.load(round("r1", "x"), Actor::cli()).await.unwrap().id();
        let page = d
            .candidates(
                PlaceList::all(id, CHEONGUN),
                0,
                4,
                worker(kim, "kim.welfare"),
            )
            .await
            .unwrap();
        assert_eq!(page.total, 6);
        assert_eq!(page.items.len(), 4);
        assert_eq!(page.items[0].household_id, "HH-CH-0001");
        assert_eq!(page.items[0].reasons[0].name, "단전");
        assert_eq!(page.items[0].status, Status::Listed);

        let first = page.items[0].id;
        let visit = Visit::new(
            "2026-11-20",
            "public_emergency",
            "전기요금 체납으로 긴급지원 신청",
            date!(2026 - 11 - 25),
        )
        .unwrap();
        d.record_visit(first, visit, worker(kim, "kim.welfare"))
            .await
            .unwrap();
        // An earlier visit recorded later does not replace the latest state.
        let earlier = Visit::new("2026-11-10", "unreachable", "", date!(2026 - 11 - 25)).unwrap();
        d.record_visit(first, earlier, worker(kim, "kim.welfare"))
            .await
            .unwrap();
        let detail = d
            .candidate(first, worker(kim, "kim.welfare"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.item.status, Status::Visited);
        assert_eq!(detail.item.outcome, Some(Outcome::PublicEmergency));
        assert_eq!(detail.visits.len(), 2);
        assert_eq!(
            detail.visits[0].note.as_deref(),
            Some("전기요금 체납으로 긴급지원 신청")
        );
        assert_eq!(detail.tags, ["elderly_alone"]);

        for blob in raw_blobs(
            &db.config,
            "SELECT household_id AS b FROM discovery_candidates",
        ) {
            assert!(!blob.windows(5).any(|w| w == b"HH-CH"), "{}", db.name);
        }
        let notes = raw_blobs(
            &db.config,
            "SELECT note AS b FROM discovery_visits WHERE note IS NOT NULL",
        );
        assert_eq!(notes.len(), 1);
        assert!(!notes[0].windows(6).any(|w| w == "전기".as_bytes()));

        let log = store
            .access_log()
            .list(
                AccessFilter {
                    subject: Some(format!("candidate:{first}")),
                    scopes: vec![maeul_core::region::RegionCode::nation()],
                    ..AccessFilter::default()
                },
                0,
                100,
            )
            .await
            .unwrap();
        let actions: Vec<AccessAction> = log.items.iter().map(|e| e.action).collect();
        assert_eq!(
            actions.iter().filter(|a| **a == AccessAction::Read).count(),
            2,
            "{}: the list read and the detail read",
            db.name
        );
        assert_eq!(
            actions
                .iter()
                .filter(|a| **a == AccessAction::Write)
                .count(),
            2
        );
        assert!(
            log.items
                .iter()
                .all(|e| e.region_code.as_deref() == Some(CHEONGUN))
        );
    }
}

#[tokio::test]
async fn households_go_only_to_field_workers_of_their_place_and_counts_add_up() {
    for db in engines().await {
        let store = keyed(db.store.clone()).await;
        let kim = add(&store, "kim.welfare", Role::WelfareStaff, CHEONGUN).await;
        let park = add(&store, "park.nurse", Role::Nurse, SAJIK).await;
        let d = store.discovery();
        let id = d.load(round("r1", "x"), Actor::cli()).await.unwrap().id();
        let items = d
            .candidates(
                PlaceList::all(id, CHEONGUN),
                0,
                10,
                worker(kim, "kim.welfare"),
            )
            .await
            .unwrap()
            .items;
        let workers = d.field_workers(CHEONGUN).await.unwrap();
        assert_eq!(workers.len(), 1);
        assert_eq!(workers[0].login, "kim.welfare");
        d.assign(items[1].id, Some(kim), worker(kim, "kim.welfare"))
            .await
            .unwrap();
        assert!(
            d.assign(items[2].id, Some(park), worker(kim, "kim.welfare"))
                .await
                .is_err()
        );
        let open = d.open_visits(kim).await.unwrap();
        assert_eq!(open.len(), 1, "{}", db.name);
        assert_eq!(
            (open[0].households, open[0].place.as_str()),
            (1, "청운효자동")
        );
        let mine = PlaceList {
            assigned_to: Some(kim),
            ..PlaceList::all(id, CHEONGUN)
        };
        let page = d
            .candidates(mine, 0, 10, worker(kim, "kim.welfare"))
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].id, items[1].id);
        for (item, outcome) in items
            .iter()
            .zip(["refused", "no_support_needed", "refused"])
        {
            let visit = Visit::new("2026-11-20", outcome, "", date!(2026 - 11 - 25)).unwrap();
            d.record_visit(item.id, visit, worker(kim, "kim.welfare"))
                .await
                .unwrap();
        }
        assert!(
            d.open_visits(kim).await.unwrap().is_empty(),
            "visited households leave the worker's open list"
        );
        let gu = d.counts(id, Some("1111000000".into())).await.unwrap();
        assert_eq!(gu.len(), 2, "{}", db.name);
        let cheongun = gu.iter().find(|p| p.emd_code == CHEONGUN).unwrap();
        assert_eq!((cheongun.tally.listed, cheongun.tally.visited), (6, 3));
        assert_eq!(cheongun.tally.count(Outcome::Refused), 2);
        let nation = d.counts(id, None).await.unwrap();
        assert_eq!(nation.iter().map(|p| p.tally.listed).sum::<i64>(), 7);
        assert!(
            d.counts(id, Some("2600000000".into()))
                .await
                .unwrap()
                .is_empty()
        );
        // The place's path lets callers roll counts up to any level.
        assert!(
            cheongun
                .path
                .codes()
                .iter()
                .any(|c| c.as_str() == "1111000000")
        );
        // The dashboards agree, for the newest round.
        let jongno = RegionCode::parse("1111000000").unwrap();
        let dash = store.dashboards().figures(&jongno).await.unwrap();
        assert_eq!(dash.round.as_ref().map(|(r, _)| *r), Some(id));
        let below = &dash.below[CHEONGUN];
        assert_eq!(below["discovery.status:visited"], 3, "{}", db.name);
        assert_eq!(below["discovery.status:listed"], 3);
        assert_eq!(below["discovery.outcome:refused"], 2);
        assert_eq!(store.dashboards().check().await.unwrap(), vec![]);
        let second = d.load(round("r2", "y"), Actor::cli()).await.unwrap().id();
        let dash = store.dashboards().figures(&jongno).await.unwrap();
        assert_eq!(dash.round.as_ref().map(|(r, _)| *r), Some(second));
        assert_eq!(
            dash.below[CHEONGUN].get("discovery.status:visited"),
            None,
            "a new round starts unvisited"
        );
        let listed = d.place_if(items[0].id, |_| true).await.unwrap();
        assert_eq!(listed.as_deref(), Some(CHEONGUN));
        assert_eq!(d.place_if(items[0].id, |_| false).await.unwrap(), None);
        assert_eq!(d.place_if(999_999, |_| true).await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_database_refuses_a_second_data_key() {
    for db in engines().await {
        let _ = keyed(db.store.clone()).await;
        let other = DataKey::parse(&DataKey::generate()).unwrap();
        let refused = db.store.clone().with_data_key(other).await;
        assert!(refused.is_err(), "{}", db.name);
    }
}
