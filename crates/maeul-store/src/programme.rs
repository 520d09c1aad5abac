//! 지역사업 — the programme catalogue: programmes with a version per year, every change
//! kept with who made it (or the file it came from) and the entry before and after.

use diesel::prelude::*;
use maeul_core::programme::catalogue::{Programme, TargetUnit, Window};
use maeul_core::programme::file::{self, FileRow};
use maeul_core::topic::Topic;

use crate::db::{db_run, db_write, db_write_as};

/// The catalogue's first rows: 34 real programmes, compiled from the cited public pages.
const SHIPPED: &str = include_str!("../../../data/programs.csv");
/// The year the shipped rows are filed under: their figures are as their sources state them,
/// the latest for 2025.
pub const SHIPPED_YEAR: i32 = 2025;
use crate::schema::{programme_changes, programme_revision, programme_versions, programmes, users};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

/// One year's entry of a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub programme_id: i64,
    pub year: i32,
    pub programme: Programme,
    pub updated_at: i64,
}

/// Where a change came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A page or the API, by a signed-in user.
    User(i64),
    /// A file import (the file's name).
    File(String),
}

/// A change of a version, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub year: i32,
    /// `web` or `import: FILE`.
    pub origin: String,
    pub changed_by: Option<String>,
    pub before: Option<Programme>,
    pub after: Programme,
    pub changed_at: i64,
}

/// One row of an import: the programme it is (by id, or else by ministry and name among
/// the current entries, or else a new one) and its entry for a year.
pub type ImportRow = FileRow;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgrammeStoreError {
    #[error("no such programme")]
    NotFound,
    #[error("line {line}: no programme has the id {id}")]
    UnknownId { line: usize, id: i64 },
    #[error("line {line}: an earlier line already gives this programme's entry for that year")]
    Twice { line: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ProgrammeStoreError {
    fn from(e: diesel::result::Error) -> Self {
        ProgrammeStoreError::Store(e.into())
    }
}

pub struct Programmes<'a>(&'a Store);

impl Store {
    pub fn programmes(&self) -> Programmes<'_> {
        Programmes(self)
    }
}

type VersionRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    i64,
);

macro_rules! version_columns {
    () => {
        (
            programme_versions::programme_id,
            programme_versions::year,
            programme_versions::ministry,
            programme_versions::name,
            programme_versions::summary,
            programme_versions::target,
            programme_versions::target_units,
            programme_versions::topics,
            programme_versions::eligibility,
            programme_versions::amount_min,
            programme_versions::amount_max,
            programme_versions::years,
            programme_versions::opens_on,
            programme_versions::closes_on,
            programme_versions::source,
            programme_versions::as_of,
            programme_versions::updated_at,
        )
    };
}

/// The values of a version's columns, for an insert or an update.
macro_rules! version_values {
    ($p:expr) => {
        (
            programme_versions::ministry.eq(&$p.ministry),
            programme_versions::name.eq(&$p.name),
            programme_versions::summary.eq(&$p.summary),
            programme_versions::target.eq(&$p.target),
            programme_versions::target_units.eq(codes(&$p.target_units, |u| u.as_str())),
            programme_versions::topics.eq(codes(&$p.topics, |t| t.as_str())),
            programme_versions::eligibility.eq(&$p.eligibility),
            programme_versions::amount_min.eq($p.amount_min),
            programme_versions::amount_max.eq($p.amount_max),
            programme_versions::years.eq($p.years.map(i64::from)),
            programme_versions::opens_on.eq($p.window.map(|w| text(w.opens))),
            programme_versions::closes_on.eq($p.window.map(|w| text(w.closes))),
            programme_versions::source.eq(&$p.source),
            programme_versions::as_of.eq($p.as_of.map(text)),
            programme_versions::updated_at.eq(unix_now()),
        )
    };
}

fn codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

fn parse_codes<T>(s: &str, parse: fn(&str) -> Option<T>, what: &str) -> Result<Vec<T>, StoreError> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(|c| parse(c).ok_or_else(|| StoreError::Corrupt(format!("programme {what} {c:?}"))))
        .collect()
}

fn version_of(r: VersionRow) -> Result<Version, StoreError> {
    let window = match (r.12.as_deref(), r.13.as_deref()) {
        (Some(o), Some(c)) => Some(Window {
            opens: date(o)?,
            closes: date(c)?,
        }),
        _ => None,
    };
    Ok(Version {
        programme_id: r.0,
        year: r.1 as i32,
        programme: Programme {
            ministry: r.2,
            name: r.3,
            summary: r.4,
            target: r.5,
            target_units: parse_codes(&r.6, TargetUnit::parse, "unit")?,
            topics: parse_codes(&r.7, Topic::parse, "topic")?,
            eligibility: r.8,
            amount_min: r.9,
            amount_max: r.10,
            years: r.11.map(|y| y as u8),
            window,
            source: r.14,
            as_of: r.15.as_deref().map(date).transpose()?,
        },
        updated_at: r.16,
    })
}

fn json(p: &Programme) -> String {
    serde_json::to_string(p).expect("a programme serialises")
}

fn from_json(s: &str) -> Result<Programme, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("programme change: {e}")))
}

/// Writes a programme's entry for a year on a connection — a new version, or a change of
/// the existing one — and keeps the change; nothing when the entry is the same.
/// Returns whether anything was written.
macro_rules! put_version {
    ($c:expr, $id:expr, $year:expr, $p:expr, $origin:expr) => {{
        let year = i64::from($year);
        let before: Option<VersionRow> = programme_versions::table
            .find(($id, year))
            .select(version_columns!())
            .first($c)
            .optional()?;
        let before = before.map(version_of).transpose()?.map(|v| v.programme);
        if before.as_ref() == Some($p) {
            false
        } else {
            if before.is_some() {
                diesel::update(programme_versions::table.find(($id, year)))
                    .set(version_values!($p))
                    .execute($c)?;
            } else {
                diesel::insert_into(programme_versions::table)
                    .values((
                        programme_versions::programme_id.eq($id),
                        programme_versions::year.eq(year),
                        version_values!($p),
                    ))
                    .execute($c)?;
            }
            let (origin, by) = match $origin {
                Origin::User(u) => ("web".to_owned(), Some(*u)),
                Origin::File(f) => (format!("import: {f}"), None),
            };
            diesel::insert_into(programme_changes::table)
                .values((
                    programme_changes::programme_id.eq($id),
                    programme_changes::year.eq(year),
                    programme_changes::origin.eq(origin),
                    programme_changes::changed_by.eq(by),
                    programme_changes::before.eq(before.as_ref().map(json)),
                    programme_changes::after.eq(json($p)),
                    programme_changes::changed_at.eq(unix_now()),
                ))
                .execute($c)?;
            true
        }
    }};
}

/// Takes the catalogue's write turn on a connection: a no-op update of the revision row,
/// which PostgreSQL holds locked until the transaction ends (SQLite's writer is alone).
macro_rules! take_turn {
    ($c:expr) => {
        diesel::update(programme_revision::table.find(1_i64))
            .set(programme_revision::revision.eq(programme_revision::revision))
            .execute($c)
    };
}

/// Raises the catalogue's revision on a connection, after a change.
macro_rules! bump {
    ($c:expr) => {
        diesel::update(programme_revision::table.find(1_i64))
            .set(programme_revision::revision.eq(programme_revision::revision + 1))
            .execute($c)
    };
}

/// A new programme's id on a connection.
macro_rules! new_programme {
    ($c:expr) => {
        diesel::insert_into(programmes::table)
            .values(programmes::created_at.eq(unix_now()))
            .returning(programmes::id)
            .get_result::<i64>($c)
    };
}

/// The latest version of every programme, in id order, on a connection.
macro_rules! current_versions {
    ($c:expr) => {{
        let rows: Vec<VersionRow> = programme_versions::table
            .select(version_columns!())
            .order((
                programme_versions::programme_id,
                programme_versions::year.desc(),
            ))
            .load($c)?;
        let mut out: Vec<Version> = Vec::new();
        for r in rows {
            if out.last().is_none_or(|v| v.programme_id != r.0) {
                out.push(version_of(r)?);
            }
        }
        out
    }};
}

/// The shipped rows, read as a file is.
fn shipped_rows() -> Result<Vec<FileRow>, StoreError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(SHIPPED.as_bytes());
    let mut cells = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| StoreError::Corrupt(format!("shipped programs.csv: {e}")))?;
        cells.push((i + 1, r.iter().map(str::to_owned).collect()));
    }
    file::read(cells, SHIPPED_YEAR)
        .map_err(|e| StoreError::Corrupt(format!("shipped programs.csv: {e:?}")))
}

impl Programmes<'_> {
    /// Fills an empty catalogue with the shipped programmes; true when it did.
    pub async fn load_shipped_if_empty(&self) -> Result<bool, StoreError> {
        let rows = shipped_rows()?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    take_turn!(c)?;
                    let n: i64 = programmes::table.count().get_result(c)?;
                    if n > 0 {
                        return Ok(false);
                    }
                    let origin = Origin::File("programs.csv".into());
                    for row in &rows {
                        let id = new_programme!(c)?;
                        put_version!(c, id, row.year, &row.programme, &origin);
                    }
                    bump!(c)?;
                    Ok(true)
                })
            })
            .await
    }

    /// The catalogue's revision: it moves with every change, so a cache of the catalogue
    /// knows when to rebuild.
    pub async fn revision(&self) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(programme_revision::table
                        .find(1_i64)
                        .select(programme_revision::revision)
                        .first(c)?)
                })
            })
            .await
    }

    /// The latest version of every programme, in id order.
    pub async fn current(&self) -> Result<Vec<Version>, StoreError> {
        self.0
            .run(move |conn| db_run!(conn, |c| Ok(current_versions!(c))))
            .await
    }

    /// Every year's version of a programme, newest first; empty when there is none.
    pub async fn versions(&self, id: i64) -> Result<Vec<Version>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<VersionRow> = programme_versions::table
                        .filter(programme_versions::programme_id.eq(id))
                        .select(version_columns!())
                        .order(programme_versions::year.desc())
                        .load(c)?;
                    rows.into_iter().map(version_of).collect()
                })
            })
            .await
    }

    /// Adds a programme with its first year's entry.
    pub async fn create(&self, year: i32, p: Programme, by: i64) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    take_turn!(c)?;
                    let id = new_programme!(c)?;
                    put_version!(c, id, year, &p, &Origin::User(by));
                    bump!(c)?;
                    Ok(id)
                })
            })
            .await
    }

    /// Sets a programme's entry for a year (a new year makes a new version). Returns
    /// whether anything changed.
    pub async fn put(
        &self,
        id: i64,
        year: i32,
        p: Programme,
        by: i64,
    ) -> Result<bool, ProgrammeStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ProgrammeStoreError, |c| {
                    take_turn!(c)?;
                    let known: i64 = programmes::table.find(id).count().get_result(c)?;
                    if known == 0 {
                        return Err(ProgrammeStoreError::NotFound);
                    }
                    let changed = put_version!(c, id, year, &p, &Origin::User(by));
                    if changed {
                        bump!(c)?;
                    }
                    Ok(changed)
                })
            })
            .await
    }

    /// The changes of a programme, newest first.
    pub async fn history(&self, id: i64) -> Result<Vec<Change>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    type Row = (
                        i64,
                        i64,
                        String,
                        Option<String>,
                        Option<String>,
                        String,
                        i64,
                    );
                    let rows: Vec<Row> = programme_changes::table
                        .left_join(
                            users::table.on(programme_changes::changed_by.eq(users::id.nullable())),
                        )
                        .filter(programme_changes::programme_id.eq(id))
                        .select((
                            programme_changes::id,
                            programme_changes::year,
                            programme_changes::origin,
                            users::name.nullable(),
                            programme_changes::before,
                            programme_changes::after,
                            programme_changes::changed_at,
                        ))
                        .order(programme_changes::id.desc())
                        .load(c)?;
                    rows.into_iter()
                        .map(|r| {
                            Ok(Change {
                                id: r.0,
                                year: r.1 as i32,
                                origin: r.2,
                                changed_by: r.3,
                                before: r.4.as_deref().map(from_json).transpose()?,
                                after: from_json(&r.5)?,
                                changed_at: r.6,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// Loads a file's rows in one transaction: all of them, or none when a row names an id
    /// that does not exist.
    pub async fn import(
        &self,
        rows: Vec<ImportRow>,
        file: String,
    ) -> Result<ImportSummary, ProgrammeStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ProgrammeStoreError, |c| {
                    take_turn!(c)?;
                    let origin = Origin::File(file.clone());
                    let mut by_name: std::collections::HashMap<(String, String), i64> =
                        current_versions!(c)
                            .into_iter()
                            .map(|v| ((v.programme.ministry, v.programme.name), v.programme_id))
                            .collect();
                    let mut summary = ImportSummary::default();
                    let mut written = std::collections::HashSet::new();
                    for row in &rows {
                        let key = (row.programme.ministry.clone(), row.programme.name.clone());
                        let id = match row.id {
                            Some(id) => {
                                let known: i64 =
                                    programmes::table.find(id).count().get_result(c)?;
                                if known == 0 {
                                    return Err(ProgrammeStoreError::UnknownId {
                                        line: row.line,
                                        id,
                                    });
                                }
                                id
                            }
                            None => match by_name.get(&key) {
                                Some(id) => *id,
                                None => {
                                    let id = new_programme!(c)?;
                                    by_name.insert(key, id);
                                    written.insert((id, row.year));
                                    summary.created += 1;
                                    put_version!(c, id, row.year, &row.programme, &origin);
                                    continue;
                                }
                            },
                        };
                        if !written.insert((id, row.year)) {
                            return Err(ProgrammeStoreError::Twice { line: row.line });
                        }
                        if put_version!(c, id, row.year, &row.programme, &origin) {
                            summary.updated += 1;
                        } else {
                            summary.unchanged += 1;
                        }
                    }
                    if summary.created + summary.updated > 0 {
                        bump!(c)?;
                    }
                    Ok(summary)
                })
            })
            .await
    }
}
