//! 안내서 — the programme's guides and every version of them. The guides shipped with maeul
//! are added when the store opens, once each: a guide the ministry has edited keeps its edits.

use diesel::prelude::*;
use maeul_core::guide::{Guide, Slug, Subject, from_file};

use crate::db::{DbConn, db_run, db_write_as};
use crate::schema::{guide_revisions, guides, users};
use crate::{Source, Store, StoreError, unix_now};

/// The guides shipped with maeul, by name.
const SHIPPED: [(&str, &str); 5] = [
    ("programme", include_str!("../guides/programme.md")),
    ("assembly", include_str!("../guides/assembly.md")),
    ("lottery", include_str!("../guides/lottery.md")),
    (
        "discovery-round",
        include_str!("../guides/discovery-round.md"),
    ),
    (
        "case-conference",
        include_str!("../guides/case-conference.md"),
    ),
];

/// A guide as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGuide {
    pub slug: Slug,
    pub guide: Guide,
    /// 1 for the first version, raised by each change.
    pub revision: i64,
    pub updated_at: i64,
}

/// One version of a guide: who made it, when and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideRevision {
    pub revision: i64,
    pub title: String,
    /// `shipped`, `web` or `import`.
    pub source: String,
    pub editor: Option<String>,
    pub edited_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum GuideStoreError {
    #[error("a guide of that name exists")]
    Taken,
    #[error("no such guide")]
    NotFound,
    /// Someone saved the guide since the editor read it.
    #[error("the guide changed since the revision read")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for GuideStoreError {
    fn from(e: diesel::result::Error) -> Self {
        GuideStoreError::Store(e.into())
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

pub struct Guides<'a>(&'a Store);

impl Store {
    pub fn guides(&self) -> Guides<'_> {
        Guides(self)
    }
}

type GuideRow = (String, String, String, String, String, i64, i64);

macro_rules! guide_columns {
    () => {
        (
            guides::slug,
            guides::subject,
            guides::title,
            guides::summary,
            guides::body,
            guides::revision,
            guides::updated_at,
        )
    };
}

fn guide_of(r: GuideRow) -> Result<StoredGuide, StoreError> {
    let (slug, subject, title, summary, body, revision, updated_at) = r;
    let corrupt = |what: &str| StoreError::Corrupt(format!("guide {slug:?}: {what}"));
    Ok(StoredGuide {
        slug: Slug::parse(&slug).map_err(|_| corrupt("name"))?,
        // Stored as written: the rules were checked then (and rendering is safe regardless).
        guide: Guide {
            subject: Subject::parse(&subject).ok_or_else(|| corrupt("subject"))?,
            title,
            summary,
            body,
        },
        revision,
        updated_at,
    })
}

/// Writes one guide and its revision row in the transaction of `$c`: gives what it did, or
/// `None` when [`Write::Create`] met a guide of that name. A guide equal to the stored one is
/// left as it is (no revision).
macro_rules! write_guide {
    ($c:expr, $slug:expr, $g:expr, $how:expr, $source:expr, $by:expr) => {{
        let c = &mut *$c;
        let (slug, g, how, source, by): (&Slug, &Guide, Write, Source, Option<i64>) =
            ($slug, $g, $how, $source, $by);
        let current: Option<(i64, i64, String, String, String, String)> = guides::table
            .filter(guides::slug.eq(slug.as_str()))
            .select((
                guides::id,
                guides::revision,
                guides::subject,
                guides::title,
                guides::summary,
                guides::body,
            ))
            .first(c)
            .optional()?;
        let now = unix_now();
        let written = match (current, how) {
            (Some(_), Write::Create) => None,
            (None, Write::Over(_)) => return Err(GuideStoreError::NotFound),
            (Some((_, revision, ..)), Write::Over(expected)) if revision != expected => {
                return Err(GuideStoreError::Stale);
            }
            (Some((_, _, subject, title, summary, body)), _)
                if subject == g.subject.as_str()
                    && title == g.title
                    && summary == g.summary
                    && body == g.body =>
            {
                Some(Written::Unchanged)
            }
            (Some((id, revision, ..)), _) => {
                // Over the revision read: on PostgreSQL a writer that saved in between makes
                // this match nothing once it commits (SQLite's writers take turns anyway).
                let moved =
                    diesel::update(guides::table.find(id).filter(guides::revision.eq(revision)))
                        .set((
                            guides::subject.eq(g.subject.as_str()),
                            guides::title.eq(&g.title),
                            guides::summary.eq(&g.summary),
                            guides::body.eq(&g.body),
                            guides::revision.eq(revision + 1),
                            guides::updated_at.eq(now),
                        ))
                        .execute(c)?;
                if moved == 0 {
                    return Err(GuideStoreError::Stale);
                }
                add_revision!(c, id, revision + 1, g, source, by, now);
                Some(Written::Updated)
            }
            (None, _) => {
                let id: i64 = diesel::insert_into(guides::table)
                    .values((
                        guides::slug.eq(slug.as_str()),
                        guides::subject.eq(g.subject.as_str()),
                        guides::title.eq(&g.title),
                        guides::summary.eq(&g.summary),
                        guides::body.eq(&g.body),
                        guides::revision.eq(1),
                        guides::updated_at.eq(now),
                    ))
                    .returning(guides::id)
                    .get_result(c)?;
                add_revision!(c, id, 1, g, source, by, now);
                Some(Written::Created)
            }
        };
        Ok::<_, GuideStoreError>(written)
    }};
}

macro_rules! add_revision {
    ($c:expr, $id:expr, $revision:expr, $g:expr, $source:expr, $by:expr, $now:expr) => {
        diesel::insert_into(guide_revisions::table)
            .values((
                guide_revisions::guide_id.eq($id),
                guide_revisions::revision.eq($revision),
                guide_revisions::subject.eq($g.subject.as_str()),
                guide_revisions::title.eq(&$g.title),
                guide_revisions::summary.eq(&$g.summary),
                guide_revisions::body.eq(&$g.body),
                guide_revisions::source.eq($source.as_str()),
                guide_revisions::edited_by.eq($by),
                guide_revisions::edited_at.eq($now),
            ))
            .execute($c)?
    };
}

impl Guides<'_> {
    /// Every guide, by subject (in [`Subject::ALL`] order) and title.
    pub async fn all(&self) -> Result<Vec<StoredGuide>, StoreError> {
        let rows: Vec<GuideRow> = self
            .0
            .run(|conn| {
                db_run!(conn, |c| Ok(guides::table
                    .select(guide_columns!())
                    .load(c)?))
            })
            .await?;
        let mut all = rows
            .into_iter()
            .map(guide_of)
            .collect::<Result<Vec<_>, _>>()?;
        all.sort_by(|a, b| {
            let rank = |s: Subject| Subject::ALL.iter().position(|x| *x == s);
            rank(a.guide.subject)
                .cmp(&rank(b.guide.subject))
                .then_with(|| a.guide.title.cmp(&b.guide.title))
        });
        Ok(all)
    }

    pub async fn get(&self, slug: &Slug) -> Result<Option<StoredGuide>, StoreError> {
        let slug = slug.as_str().to_owned();
        let row: Option<GuideRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(guides::table
                    .filter(guides::slug.eq(&slug))
                    .select(guide_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(guide_of).transpose()
    }

    /// A number every committed change raises (the sum of the guides' revisions: a new guide
    /// adds 1, a revision adds 1, nothing is deleted), so a cache built from the guides knows
    /// when it is stale. Unlike the newest revision id it cannot miss a transaction that took
    /// its id early and committed late.
    pub async fn changed(&self) -> Result<i64, StoreError> {
        self.0
            .run(|conn| {
                db_run!(conn, |c| Ok(guides::table
                    .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                        "CAST(COALESCE(SUM(revision), 0) AS BIGINT)",
                    ))
                    .first::<i64>(c)?))
            })
            .await
    }

    /// Every version of a guide, newest first.
    pub async fn history(&self, slug: &Slug) -> Result<Vec<GuideRevision>, StoreError> {
        let slug = slug.as_str().to_owned();
        let rows: Vec<(i64, String, String, Option<String>, i64)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(guide_revisions::table
                    .inner_join(guides::table)
                    .left_join(users::table)
                    .filter(guides::slug.eq(&slug))
                    .order(guide_revisions::revision.desc())
                    .select((
                        guide_revisions::revision,
                        guide_revisions::title,
                        guide_revisions::source,
                        users::name.nullable(),
                        guide_revisions::edited_at,
                    ))
                    .load(c)?))
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(revision, title, source, editor, edited_at)| GuideRevision {
                    revision,
                    title,
                    source,
                    editor,
                    edited_at,
                },
            )
            .collect())
    }

    /// One version of a guide as it was written, and who made it.
    pub async fn revision(
        &self,
        slug: &Slug,
        revision: i64,
    ) -> Result<Option<(GuideRevision, Guide)>, StoreError> {
        type Row = (String, String, String, String, String, Option<String>, i64);
        let slug = slug.as_str().to_owned();
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(guide_revisions::table
                    .inner_join(guides::table)
                    .left_join(users::table)
                    .filter(guides::slug.eq(&slug))
                    .filter(guide_revisions::revision.eq(revision))
                    .select((
                        guide_revisions::subject,
                        guide_revisions::title,
                        guide_revisions::summary,
                        guide_revisions::body,
                        guide_revisions::source,
                        users::name.nullable(),
                        guide_revisions::edited_at,
                    ))
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(
            |(subject, title, summary, body, source, editor, edited_at)| {
                let subject = Subject::parse(&subject).ok_or_else(|| {
                    StoreError::Corrupt(format!("guide revision subject {subject:?}"))
                })?;
                Ok((
                    GuideRevision {
                        revision,
                        title: title.clone(),
                        source,
                        editor,
                        edited_at,
                    },
                    Guide {
                        title,
                        subject,
                        summary,
                        body,
                    },
                ))
            },
        )
        .transpose()
    }

    pub async fn create(&self, slug: &Slug, g: Guide, by: i64) -> Result<(), GuideStoreError> {
        let slug = slug.clone();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GuideStoreError, |c| {
                    if write_guide!(c, &slug, &g, Write::Create, Source::Web, Some(by))?.is_none() {
                        return Err(GuideStoreError::Taken);
                    }
                    Ok(())
                })
            })
            .await
            .map_err(|e| match e {
                // Another editor created it at the same moment.
                GuideStoreError::Store(StoreError::Conflict) => GuideStoreError::Taken,
                other => other,
            })
    }

    /// Saves a new version over `expected` (the revision the editor read); refuses when
    /// someone saved in between.
    pub async fn update(
        &self,
        slug: &Slug,
        g: Guide,
        expected: i64,
        by: i64,
    ) -> Result<(), GuideStoreError> {
        let slug = slug.clone();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GuideStoreError, |c| {
                    write_guide!(c, &slug, &g, Write::Over(expected), Source::Web, Some(by))?;
                    Ok(())
                })
            })
            .await
    }

    /// Creates or updates each guide of a set of files, in one transaction; a guide equal to
    /// the stored one is left as it is.
    pub async fn import(&self, set: Vec<(Slug, Guide)>) -> Result<Imported, StoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GuideStoreError, |c| {
                    let mut done = Imported::default();
                    for (slug, g) in &set {
                        match write_guide!(c, slug, g, Write::Any, Source::Import, None)? {
                            Some(Written::Created) => done.created += 1,
                            Some(Written::Updated) => done.updated += 1,
                            Some(Written::Unchanged) | None => done.unchanged += 1,
                        }
                    }
                    Ok(done)
                })
            })
            .await
            .map_err(|e| match e {
                GuideStoreError::Store(e) => e,
                other => StoreError::Other(other.to_string()),
            })
    }
}

/// How a write meets the stored guide.
#[derive(Clone, Copy)]
enum Write {
    /// Only when there is none.
    Create,
    /// Only over this revision.
    Over(i64),
    /// Whatever is there.
    Any,
}

enum Written {
    Created,
    Updated,
    Unchanged,
}

/// Adds the shipped guides that were never added (by name), with their first revision.
/// Reads first and writes only what is missing, so that opening the store (the server, every
/// command) takes no write lock once the guides are in.
pub(crate) fn install_shipped(conn: &mut DbConn) -> Result<(), StoreError> {
    let names: Vec<&str> = SHIPPED.iter().map(|(name, _)| *name).collect();
    let present: Vec<String> = db_run!(&mut *conn, |c| guides::table
        .filter(guides::slug.eq_any(&names))
        .select(guides::slug)
        .load(c))?;
    for (name, text) in SHIPPED {
        if present.iter().any(|p| p == name) {
            continue;
        }
        let slug = Slug::parse(name).map_err(|e| StoreError::Other(format!("{name}: {e}")))?;
        let g = from_file(text).map_err(|e| StoreError::Other(format!("guide {name}: {e}")))?;
        let written = db_write_as!(&mut *conn, GuideStoreError, |c| {
            write_guide!(c, &slug, &g, Write::Create, Source::Shipped, None).map(|_| ())
        });
        match written {
            // Written by someone else meanwhile: theirs stands.
            Ok(()) | Err(GuideStoreError::Store(StoreError::Conflict)) => {}
            Err(GuideStoreError::Store(e)) => return Err(e),
            Err(other) => return Err(StoreError::Other(other.to_string())),
        }
    }
    Ok(())
}
