//! Persistence of maeul: one schema and one set of queries on SQLite (the default) and
//! PostgreSQL (at scale). Repositories take and return domain types from `maeul-core`.

mod db;
mod error;
mod group;
mod schema;

pub mod account;
pub mod audit;
pub mod autonomy;
pub mod consulting;
pub mod cooperation;
pub mod dashboard;
pub mod education;
pub mod expert;
pub mod forum;
pub mod grant_call;
pub mod guide;
pub mod keys;
pub mod linkage;
pub mod org;
pub mod practice;
pub mod programme;
pub mod region;
pub mod welfare;

pub use db::{DbConfig, Engine, Store, restore_sqlite};
pub use error::StoreError;

/// A `LIKE` pattern (escape `\\`) that finds `q` anywhere in a text, `%` and `_` taken as
/// themselves.
pub(crate) fn contains_pattern(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A `LIKE` pattern on stored region paths that finds a region and everything below it (every
/// path for the nation).
pub(crate) fn within_pattern(code: &maeul_core::region::RegionCode) -> String {
    match code.level() {
        maeul_core::region::Level::Nation => "%".to_owned(),
        _ => format!("%{code}%"),
    }
}

/// Seconds since the Unix epoch, the stored form of every moment.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Where a change of a kept record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Someone on the web or the API.
    Web,
    /// A file import (`maeul import …`).
    Import,
    /// With maeul itself (a shipped guide).
    Shipped,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Import => "import",
            Source::Shipped => "shipped",
        }
    }
}
