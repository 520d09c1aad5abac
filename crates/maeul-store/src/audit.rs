//! 접속기록 — the append-only access log.

use diesel::prelude::*;
use maeul_core::audit::{AccessAction, AccessEntry};
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write};
use crate::group::GroupCommit;
use crate::region::Page;
use crate::schema::{access_log, regions};
use crate::{Store, StoreError, unix_now};

#[derive(Insertable)]
#[diesel(table_name = access_log)]
pub(crate) struct NewEntry<'a> {
    at: i64,
    user_id: Option<i64>,
    user_login: &'a str,
    address: &'a str,
    subject: &'a str,
    action: &'a str,
    purpose: Option<&'a str>,
    region_code: Option<&'a str>,
}

impl<'a> From<&'a AccessEntry> for NewEntry<'a> {
    fn from(e: &'a AccessEntry) -> Self {
        NewEntry {
            at: unix_now(),
            user_id: e.user_id,
            user_login: &e.user_login,
            address: &e.address,
            subject: &e.subject,
            action: e.action.as_str(),
            purpose: e.purpose.as_ref().map(|p| p.as_str()),
            region_code: e.region_code.as_deref(),
        }
    }
}

/// Appends an entry inside the caller's transaction, so that the logged act and its log
/// entry are written together or not at all.
macro_rules! log_access {
    ($c:expr, $entry:expr) => {
        diesel::insert_into($crate::schema::access_log::table)
            .values($crate::audit::NewEntry::from($entry))
            .execute($c)
    };
}
pub(crate) use log_access;

/// The access log's writer. Reads of personal data are far more frequent than writes, and
/// each must be logged durably before its answer leaves: entries of concurrent requests are
/// committed together (see [`GroupCommit`]).
pub(crate) struct Journal(GroupCommit<Vec<AccessEntry>, ()>);

/// Entries committed together at most (a bound on one transaction's size).
const GROUP_LIMIT: usize = 5000;

impl Journal {
    pub(crate) fn start(pool: diesel::r2d2::Pool<crate::db::Manager>) -> Self {
        Journal(GroupCommit::start(
            "maeul-access-log",
            pool,
            GROUP_LIMIT,
            Vec::len,
            commit,
        ))
    }

    /// Appends entries; returns once they are committed.
    pub(crate) async fn append(&self, entries: Vec<AccessEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        self.0.submit(entries).await
    }
}

fn commit(conn: &mut crate::db::DbConn, group: &[Vec<AccessEntry>]) -> Result<Vec<()>, StoreError> {
    let rows: Vec<NewEntry> = group
        .iter()
        .flat_map(|b| b.iter().map(NewEntry::from))
        .collect();
    db_write!(conn, |c| {
        // 9 columns a row: well under SQLite's limit of bound variables per statement.
        for chunk in rows.chunks(1000) {
            diesel::insert_into(access_log::table)
                .values(chunk)
                .execute(c)?;
        }
        Ok(())
    })?;
    Ok(vec![(); group.len()])
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedAccess {
    pub id: i64,
    pub at: i64,
    pub user_login: String,
    pub address: String,
    pub subject: String,
    pub action: AccessAction,
    pub purpose: Option<String>,
    pub region_code: Option<String>,
}

/// Which entries an auditor asks for.
#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub subject: Option<String>,
    /// Inclusive bounds, seconds since the epoch.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// The auditor's scopes: nation sees everything; a region sees entries about regions below it.
    pub scopes: Vec<RegionCode>,
}

pub struct AccessLog<'a>(&'a Store);

impl Store {
    pub fn access_log(&self) -> AccessLog<'_> {
        AccessLog(self)
    }
}

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

impl AccessLog<'_> {
    /// Appends one entry on its own; returns once it is committed.
    pub async fn append(&self, entry: AccessEntry) -> Result<(), StoreError> {
        self.0.journal.append(vec![entry]).await
    }

    /// Entries newest first.
    pub async fn list(
        &self,
        filter: AccessFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<LoggedAccess>, StoreError> {
        self.0
            .run(move |conn| {
                let nation = filter
                    .scopes
                    .iter()
                    .any(|s| s.as_str() == RegionCode::NATION);
                let scope_codes: Vec<String> = filter
                    .scopes
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect();
                db_run!(conn, |c| {
                    // Regions under the auditor's scopes (their own code included).
                    let mut in_scope: Vec<String> = Vec::new();
                    if !nation {
                        for scope in &scope_codes {
                            let mut under: Vec<String> = regions::table
                                .filter(regions::path.like(format!("%{scope}%")))
                                .select(regions::code)
                                .load(c)?;
                            in_scope.append(&mut under);
                        }
                    }
                    let query = || {
                        let mut q = access_log::table.into_boxed();
                        if !nation {
                            q = q.filter(access_log::region_code.eq_any(in_scope.clone()));
                        }
                        if let Some(s) = &filter.subject {
                            q = q.filter(access_log::subject.eq(s.clone()));
                        }
                        if let Some(from) = filter.from {
                            q = q.filter(access_log::at.ge(from));
                        }
                        if let Some(to) = filter.to {
                            q = q.filter(access_log::at.le(to));
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows: Vec<Row> = query()
                        .select((
                            access_log::id,
                            access_log::at,
                            access_log::user_login,
                            access_log::address,
                            access_log::subject,
                            access_log::action,
                            access_log::purpose,
                            access_log::region_code,
                        ))
                        .order(access_log::id.desc())
                        .offset(offset)
                        .limit(limit)
                        .load(c)?;
                    let items = rows
                        .into_iter()
                        .map(
                            |(
                                id,
                                at,
                                user_login,
                                address,
                                subject,
                                action,
                                purpose,
                                region_code,
                            )| {
                                Ok(LoggedAccess {
                                    id,
                                    at,
                                    user_login,
                                    address,
                                    subject,
                                    action: AccessAction::parse(&action).ok_or_else(|| {
                                        StoreError::Corrupt(format!("access action {action}"))
                                    })?,
                                    purpose,
                                    region_code,
                                })
                            },
                        )
                        .collect::<Result<_, StoreError>>()?;
                    Ok(Page { items, total })
                })
            })
            .await
    }
}
