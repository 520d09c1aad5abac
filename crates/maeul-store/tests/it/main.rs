//! Repository tests: every test runs on SQLite, and on PostgreSQL when
//! `MAEUL_TEST_POSTGRES_URL` is set (CI always sets it).

mod account;
mod agenda;
mod assembly;
mod audit;
mod case;
mod consulting;
mod council;
mod dashboard;
mod discovery;
mod education;
mod forum;
mod guide;
mod health;
mod linkage;
mod plan;
mod programme;
mod region;

use maeul_store::{DbConfig, Store};

/// A fresh database on one engine; dropped with its temporary directory.
pub struct TestDb {
    pub name: &'static str,
    pub store: Store,
    pub config: DbConfig,
    _dir: tempfile::TempDir,
}

/// The store with a new data key, for the records it seals.
pub async fn keyed(store: Store) -> Store {
    let key = maeul_core::crypto::DataKey::generate();
    store
        .with_data_key(maeul_core::crypto::DataKey::parse(&key).unwrap())
        .await
        .unwrap()
}

/// A fresh SQLite store and, when configured, a fresh PostgreSQL database.
pub async fn engines() -> Vec<TestDb> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let config = DbConfig::Sqlite {
        data_dir: dir.path().to_owned(),
    };
    let store = Store::open(config.clone()).await.unwrap();
    store.regions().load_shipped_if_empty().await.unwrap();
    out.push(TestDb {
        name: "sqlite",
        store,
        config,
        _dir: dir,
    });
    if let Some(url) = fresh_postgres_database() {
        let config = DbConfig::Postgres { url };
        let store = Store::open(config.clone()).await.unwrap();
        store.regions().load_shipped_if_empty().await.unwrap();
        out.push(TestDb {
            name: "postgres",
            store,
            config,
            _dir: tempfile::tempdir().unwrap(),
        });
    }
    out
}

/// Creates an empty database next to the one `MAEUL_TEST_POSTGRES_URL` names.
pub fn fresh_postgres_database() -> Option<String> {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let base = std::env::var("MAEUL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!("maeul_test_{}", rand::random::<u64>());
    let mut conn = PgConnection::establish(&base).expect("MAEUL_TEST_POSTGRES_URL answers");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap();
    let (prefix, _) = base.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{prefix}/{name}"))
}
