//! Connections, the pool, migrations, and the one place that branches on the engine.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use maeul_core::crypto::DataKey;

use crate::StoreError;
use crate::audit::Journal;
use crate::autonomy::assembly::BallotBox;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either engine. Queries are written once and compiled for both through
/// [`db_run!`]/[`db_write!`], which keeps each engine's own features (RETURNING, ON CONFLICT).
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs the same block on whichever engine the connection holds; inside, `$c` is the
/// concrete connection.
macro_rules! db_run {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// Runs the block in one write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, so a
/// writer takes the write lock up front instead of failing to upgrade a read lock later.
macro_rules! db_write {
    ($conn:expr, |$c:ident| $body:expr) => {
        $crate::db::db_write_as!($conn, $crate::StoreError, |$c| $body)
    };
}

/// [`db_write!`] with the block's own error type (one that a database error converts into),
/// for commands that refuse with a domain error and must leave nothing written.
macro_rules! db_write_as {
    ($conn:expr, $error:ty, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite(conn) => {
                conn.immediate_transaction::<_, $error, _>(|$c| $body)
            }
            $crate::db::DbConn::Pg(conn) => conn.transaction::<_, $error, _>(|$c| $body),
        }
    };
}
pub(crate) use {db_run, db_write, db_write_as};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum DbConfig {
    /// `maeul.db` inside a data directory.
    Sqlite { data_dir: PathBuf },
    /// A `postgres://` URL.
    Postgres { url: String },
}

impl DbConfig {
    /// A database URL wins over the data directory.
    pub fn new(data_dir: &Path, database_url: Option<&str>) -> Result<Self, StoreError> {
        match database_url.filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(DbConfig::Postgres {
                    url: url.to_owned(),
                })
            }
            Some(url) => Err(StoreError::Other(format!(
                "unsupported database URL {url:?}: use postgres://… or leave it unset for SQLite in the data directory"
            ))),
            None => Ok(DbConfig::Sqlite {
                data_dir: data_dir.to_owned(),
            }),
        }
    }

    pub fn sqlite_file(data_dir: &Path) -> PathBuf {
        data_dir.join("maeul.db")
    }

    pub fn engine(&self) -> Engine {
        match self {
            DbConfig::Sqlite { .. } => Engine::Sqlite,
            DbConfig::Postgres { .. } => Engine::Postgres,
        }
    }
}

pub(crate) struct Manager {
    config: DbConfig,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.config {
            DbConfig::Sqlite { data_dir } => {
                let path = DbConfig::sqlite_file(data_dir);
                let mut c = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                // synchronous=FULL makes every acknowledged commit durable even if the
                // machine loses power, not only when the process dies.
                // WAL itself is set once when the store opens (it persists in the file).
                for pragma in [
                    "PRAGMA busy_timeout = 10000",
                    "PRAGMA synchronous = FULL",
                    "PRAGMA foreign_keys = ON",
                ] {
                    diesel::sql_query(pragma)
                        .execute(&mut c)
                        .map_err(r2d2::Error::QueryError)?;
                }
                Ok(DbConn::Sqlite(c))
            }
            DbConfig::Postgres { url } => PgConnection::establish(url)
                .map(DbConn::Pg)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        db_run!(conn, |c| diesel::sql_query("SELECT 1").execute(c))
            .map(|_| ())
            .map_err(r2d2::Error::QueryError)
    }

    /// Asks the connection's own state (a failed transaction, a lost link) instead of a
    /// round trip: the pool does not test connections on check-out.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::r2d2::R2D2Connection;
        db_run!(conn, |c| c.is_broken())
    }
}

/// The store: a pool of connections to one database.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    engine: Engine,
    /// Seals personal identifiers and notes; `None` until [`Store::with_data_key`].
    key: Option<Arc<DataKey>>,
    /// Commits access-log entries of concurrent requests together.
    pub(crate) journal: Arc<Journal>,
    /// Commits ballots of concurrent voters together, and remembers frozen assembly rules.
    pub(crate) ballot_box: Arc<BallotBox>,
}

impl Store {
    /// Opens the database (creating the data directory for SQLite) and applies pending
    /// migrations. Several processes may call this at once.
    pub async fn open(config: DbConfig) -> Result<Store, StoreError> {
        tokio::task::spawn_blocking(move || Self::open_blocking(config))
            .await
            .map_err(|e| StoreError::Other(e.to_string()))?
    }

    fn open_blocking(config: DbConfig) -> Result<Store, StoreError> {
        if let DbConfig::Sqlite { data_dir } = &config {
            std::fs::create_dir_all(data_dir).map_err(|e| {
                StoreError::Other(format!(
                    "cannot create data directory {}: {e}",
                    data_dir.display()
                ))
            })?;
        }
        let engine = config.engine();
        if let DbConfig::Sqlite { data_dir } = &config {
            // WAL lets readers run beside the one writer.
            let mut c =
                SqliteConnection::establish(&DbConfig::sqlite_file(data_dir).to_string_lossy())
                    .map_err(|e| StoreError::Connection(e.to_string()))?;
            diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut c)?;
            diesel::sql_query("PRAGMA journal_mode = WAL").execute(&mut c)?;
        }
        let pool = Pool::builder()
            .max_size(8)
            .min_idle(Some(1))
            // A `SELECT 1` before every query would double the round trips on PostgreSQL;
            // `has_broken` catches dead connections instead.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(15))
            .build(Manager { config })
            .map_err(|e| StoreError::Connection(e.to_string()))?;
        let store = Store {
            journal: Arc::new(Journal::start(pool.clone())),
            ballot_box: Arc::new(BallotBox::start(pool.clone())),
            pool,
            engine,
            key: None,
        };
        let mut conn = store.pool.get()?;
        migrate(&mut conn)?;
        Ok(store)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Attaches the data key. The first key used with a database is remembered by its
    /// fingerprint; any other key is refused, so that nothing is sealed that the rest of the
    /// data's key could not open.
    pub async fn with_data_key(mut self, key: DataKey) -> Result<Store, StoreError> {
        const FINGERPRINT: &str = "data_key_fingerprint";
        let fingerprint = key.fingerprint().to_owned();
        let stored = self
            .run(move |conn| {
                use crate::schema::meta::dsl as m;
                db_write!(conn, |c| {
                    diesel::insert_into(m::meta)
                        .values((m::key.eq(FINGERPRINT), m::value.eq(&fingerprint)))
                        .on_conflict_do_nothing()
                        .execute(c)?;
                    Ok(m::meta
                        .filter(m::key.eq(FINGERPRINT))
                        .select(m::value)
                        .first::<String>(c)?)
                })
            })
            .await?;
        if stored != key.fingerprint() {
            return Err(StoreError::Other(format!(
                "the data key {} is not the key this database was written with ({stored}); \
                 give the right key file with --data-key",
                key.fingerprint()
            )));
        }
        self.key = Some(Arc::new(key));
        Ok(self)
    }

    /// The data key, for repositories that seal or open personal data.
    pub(crate) fn data_key(&self) -> Result<Arc<DataKey>, StoreError> {
        self.key
            .clone()
            .ok_or_else(|| StoreError::Other("no data key is configured".into()))
    }

    /// Runs blocking database work off the async runtime.
    pub(crate) async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
    {
        self.run_as(f).await
    }

    /// [`Store::run`] for work that fails with a domain error of its own.
    pub(crate) async fn run_as<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(StoreError::from)?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|conn| Ok(db_run!(conn, |c| diesel::sql_query("SELECT 1").execute(c))?))
            .await
            .map(|_| ())
    }

    /// Connections open and idle, for the metrics endpoint.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// A value of the small key-value table (flags such as "demo data loaded").
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use crate::schema::meta::dsl as m;
        let key = key.to_owned();
        self.run(move |conn| {
            Ok(db_run!(conn, |c| m::meta
                .filter(m::key.eq(&key))
                .select(m::value)
                .first::<String>(c)
                .optional())?)
        })
        .await
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        use crate::schema::meta::dsl as m;
        let (key, value) = (key.to_owned(), value.to_owned());
        self.run(move |conn| {
            db_write!(conn, |c| {
                diesel::insert_into(m::meta)
                    .values((m::key.eq(&key), m::value.eq(&value)))
                    .on_conflict(m::key)
                    .do_update()
                    .set(m::value.eq(&value))
                    .execute(c)?;
                Ok(())
            })
        })
        .await
    }

    /// Writes a consistent copy of a SQLite database to `target` while others keep using it.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Other(format!(
                "{} already exists",
                target.display()
            )));
        }
        let target = target.to_string_lossy().replace('\'', "''");
        self.run(move |conn| match conn {
            DbConn::Sqlite(c) => {
                diesel::sql_query(format!("VACUUM INTO '{target}'")).execute(c)?;
                Ok(())
            }
            DbConn::Pg(_) => Err(StoreError::Other(
                "backup covers the SQLite data directory; use pg_dump for PostgreSQL".into(),
            )),
        })
        .await
    }
}

fn migrate(conn: &mut DbConn) -> Result<(), StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| {
        StoreError::Other(format!("migration failed: {e}"))
    };
    match conn {
        DbConn::Sqlite(c) => {
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(failed)?;
            crate::dashboard::install(conn)?;
            crate::guide::install_shipped(conn)
        }
        DbConn::Pg(c) => {
            // Several servers may start together on one database: one migrates, the others wait.
            diesel::sql_query("SELECT pg_advisory_lock(7261011)").execute(c)?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|_| ())
                .map_err(failed)
                .and_then(|()| crate::dashboard::install(conn))
                .and_then(|()| crate::guide::install_shipped(conn));
            if let DbConn::Pg(c) = conn {
                diesel::sql_query("SELECT pg_advisory_unlock(7261011)").execute(c)?;
            }
            result
        }
    }
}

/// Replaces the SQLite database of a data directory with a backup, after checking that the
/// backup is an intact maeul database. No server may be using the directory.
pub async fn restore_sqlite(data_dir: &Path, backup: &Path) -> Result<(), StoreError> {
    let (data_dir, backup) = (data_dir.to_owned(), backup.to_owned());
    tokio::task::spawn_blocking(move || {
        let target = DbConfig::sqlite_file(&data_dir);
        let staging = data_dir.join("maeul.db.restoring");
        std::fs::create_dir_all(&data_dir).map_err(|e| StoreError::Other(e.to_string()))?;
        std::fs::copy(&backup, &staging)
            .map_err(|e| StoreError::Other(format!("cannot read {}: {e}", backup.display())))?;
        let check = (|| -> Result<(), StoreError> {
            let mut c = SqliteConnection::establish(&staging.to_string_lossy())
                .map_err(|e| StoreError::Connection(e.to_string()))?;
            #[derive(QueryableByName)]
            struct Check {
                #[diesel(sql_type = diesel::sql_types::Text)]
                integrity_check: String,
            }
            let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
                .load(&mut c)
                .map_err(|_| {
                    StoreError::Other(format!("{} is not a SQLite database", backup.display()))
                })?;
            if rows.first().map(|r| r.integrity_check.as_str()) != Some("ok") {
                return Err(StoreError::Other(format!(
                    "{} is damaged",
                    backup.display()
                )));
            }
            let n: i64 = crate::schema::regions::table
                .count()
                .get_result(&mut c)
                .map_err(|_| {
                    StoreError::Other(format!("{} is not a maeul database", backup.display()))
                })?;
            if n == 0 {
                return Err(StoreError::Other(format!(
                    "{} holds no regions",
                    backup.display()
                )));
            }
            Ok(())
        })();
        if let Err(e) = check {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
        // A write-ahead log left beside the old database must not be replayed into the new one.
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(data_dir.join(format!("maeul.db{suffix}")));
        }
        std::fs::rename(&staging, &target).map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(())
    })
    .await
    .map_err(|e| StoreError::Other(e.to_string()))?
}
