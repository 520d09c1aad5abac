use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use maeul_core::audit::{AccessAction, AccessEntry, Purpose};
use maeul_core::region::RegionCode;
use maeul_store::DbConfig;
use maeul_store::audit::AccessFilter;

use crate::engines;

fn scope(s: &str) -> Vec<RegionCode> {
    vec![RegionCode::parse(s).unwrap()]
}

#[tokio::test]
async fn auditors_see_the_entries_of_their_jurisdiction() {
    for db in engines().await {
        let log = db.store.access_log();
        log.append(
            AccessEntry::new(
                Some(1),
                "kim",
                "10.1.1.1",
                "household:A1",
                AccessAction::Read,
            )
            .in_region("1111051500"),
        )
        .await
        .unwrap();
        log.append(
            AccessEntry::new(
                Some(2),
                "lee",
                "10.1.1.2",
                "household:B2",
                AccessAction::Read,
            )
            .in_region("1114052000"),
        )
        .await
        .unwrap();
        let purpose = Purpose::parse("정기 점검").unwrap();
        log.append(
            AccessEntry::export(3, "oh", "10.1.1.3", "access_log", purpose).in_region("1111000000"),
        )
        .await
        .unwrap();

        let jongno = log
            .list(
                AccessFilter {
                    scopes: scope("1111000000"),
                    ..Default::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        let subjects: Vec<_> = jongno.items.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(
            subjects,
            vec!["access_log", "household:A1"],
            "{}: newest first, 종로구 only",
            db.name
        );
        assert_eq!(jongno.items[0].purpose.as_deref(), Some("정기 점검"));

        let nation = log
            .list(
                AccessFilter {
                    scopes: scope("0000000000"),
                    ..Default::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        assert_eq!(nation.total, 3);
        let by_subject = log
            .list(
                AccessFilter {
                    scopes: scope("0000000000"),
                    subject: Some("household:B2".into()),
                    ..Default::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        assert_eq!(by_subject.total, 1);
        let future = log
            .list(
                AccessFilter {
                    scopes: scope("0000000000"),
                    from: Some(maeul_store::unix_now() + 3600),
                    ..Default::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        assert_eq!(future.total, 0);
    }
}

#[tokio::test]
async fn the_database_itself_refuses_to_change_or_delete_access_log_entries() {
    for db in engines().await {
        db.store
            .access_log()
            .append(AccessEntry::new(
                None,
                "cli",
                "local",
                "user:x",
                AccessAction::UserCreated,
            ))
            .await
            .unwrap();
        let statements = [
            "UPDATE access_log SET subject = 'forged'",
            "DELETE FROM access_log",
        ];
        match &db.config {
            DbConfig::Sqlite { data_dir } => {
                let mut c =
                    SqliteConnection::establish(&DbConfig::sqlite_file(data_dir).to_string_lossy())
                        .unwrap();
                for sql in statements {
                    assert!(
                        diesel::sql_query(sql).execute(&mut c).is_err(),
                        "sqlite allowed: {sql}"
                    );
                }
            }
            DbConfig::Postgres { url } => {
                let mut c = PgConnection::establish(url).unwrap();
                for sql in statements.into_iter().chain(["TRUNCATE access_log"]) {
                    assert!(
                        diesel::sql_query(sql).execute(&mut c).is_err(),
                        "postgres allowed: {sql}"
                    );
                }
            }
        }
        let all = db
            .store
            .access_log()
            .list(
                AccessFilter {
                    scopes: scope("0000000000"),
                    ..Default::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        assert!(all.items.iter().all(|e| e.subject != "forged"));
        assert!(all.total >= 1);
    }
}
