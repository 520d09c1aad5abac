//! 우수사례 — the good-practice library: cases submitted by places, the ministry's reviews, and
//! the search of what is published.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::autonomy::plan::Decision as PlanDecision;
use maeul_core::practice::{Practice, PracticeError, Review, Status};
use maeul_core::region::RegionCode;
use maeul_core::topic::Topic;
use time::Date;

use crate::db::{db_run, db_write_as};
use crate::schema::{
    agenda_items, autonomy_plan_items, autonomy_plans, practice_reviews, practices,
    programme_versions, programmes, regions, users,
};
use crate::welfare::{date, region_path, text};
use crate::{Store, StoreError, contains_pattern, unix_now};

/// A case with the names of its place and of what it grew from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPractice {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub practice: Practice,
    pub status: Status,
    /// How many times the place has revised it.
    pub revision: i64,
    pub published_on: Option<Date>,
    pub programme: Option<String>,
    /// The agenda item's title and eup/myeon/dong.
    pub agenda_item: Option<(String, String)>,
    /// The plan item's title and eup/myeon/dong.
    pub plan_item: Option<(String, String)>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReview {
    pub decision: String,
    pub note: String,
    pub reviewer: String,
    pub at: i64,
}

/// What to look for. `within` is a region whose cases (its own and those of the places below)
/// are wanted.
#[derive(Debug, Clone, Default)]
pub struct PracticeFilter {
    pub q: Option<String>,
    pub topic: Option<Topic>,
    pub within: Option<RegionCode>,
    pub status: Option<Status>,
    pub programme_id: Option<i64>,
    /// Only the cases of these regions (and below) — for the places a submitter keeps.
    pub places: Option<Vec<RegionCode>>,
}

#[derive(Debug, thiserror::Error)]
pub enum PracticeStoreError {
    #[error("no such case")]
    NotFound,
    #[error("the case is {0:?}, which does not allow this")]
    Status(Status),
    #[error("the case was revised after the reviewer read it")]
    Changed,
    #[error("the {field} is not of the case's place")]
    Elsewhere { field: &'static str },
    #[error(transparent)]
    Rule(#[from] PracticeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for PracticeStoreError {
    fn from(e: diesel::result::Error) -> Self {
        PracticeStoreError::Store(e.into())
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("practice {what}"))
}

type PracticeRow = (
    i64,
    String,
    (String, String, String, String, String),
    (Option<i64>, Option<i64>, Option<i64>),
    (String, i64, Option<String>, i64),
);

macro_rules! practice_columns {
    () => {
        (
            practices::id,
            practices::region_code,
            (
                practices::title,
                practices::topic,
                practices::summary,
                practices::body,
                practices::results,
            ),
            (
                practices::programme_id,
                practices::agenda_item_id,
                practices::plan_item_id,
            ),
            (
                practices::status,
                practices::revision,
                practices::published_on,
                practices::updated_at,
            ),
        )
    };
}

/// Loads cases with the names of their places and of what they grew from.
macro_rules! load_practices {
    ($c:expr, $rows:expr) => {{
        let rows: Vec<PracticeRow> = $rows;
        let codes: Vec<&String> = rows.iter().map(|r| &r.1).collect();
        let places: BTreeMap<String, String> = regions::table
            .filter(regions::code.eq_any(codes))
            .select((regions::code, regions::full_name))
            .load::<(String, String)>($c)?
            .into_iter()
            .collect();
        let programme_ids: Vec<i64> = rows.iter().filter_map(|r| r.3.0).collect();
        let mut programme_names: BTreeMap<i64, String> = BTreeMap::new();
        // Newest year first, so the first name seen is the programme's current one.
        for (id, name) in programme_versions::table
            .filter(programme_versions::programme_id.eq_any(&programme_ids))
            .order((
                programme_versions::programme_id,
                programme_versions::year.desc(),
            ))
            .select((programme_versions::programme_id, programme_versions::name))
            .load::<(i64, String)>($c)?
        {
            programme_names.entry(id).or_insert(name);
        }
        let agenda_ids: Vec<i64> = rows.iter().filter_map(|r| r.3.1).collect();
        // A hidden (moderated) item is not named, as its own page is not shown.
        let agenda: BTreeMap<i64, (String, String)> = agenda_items::table
            .filter(agenda_items::id.eq_any(&agenda_ids))
            .filter(agenda_items::hidden_reason.is_null())
            .select((
                agenda_items::id,
                (agenda_items::title, agenda_items::emd_code),
            ))
            .load::<(i64, (String, String))>($c)?
            .into_iter()
            .collect();
        let plan_ids: Vec<i64> = rows.iter().filter_map(|r| r.3.2).collect();
        let plan: BTreeMap<i64, (String, String)> = autonomy_plan_items::table
            .inner_join(autonomy_plans::table)
            .filter(autonomy_plan_items::id.eq_any(&plan_ids))
            .select((
                autonomy_plan_items::id,
                (autonomy_plan_items::title, autonomy_plans::emd_code),
            ))
            .load::<(i64, (String, String))>($c)?
            .into_iter()
            .collect();
        rows.into_iter()
            .map(|r| {
                let (id, region_code, (title, topic, summary, body, results), links, state) = r;
                let (programme_id, agenda_item_id, plan_item_id) = links;
                let (status, revision, published_on, updated_at) = state;
                Ok(StoredPractice {
                    id,
                    region_name: places.get(&region_code).cloned().unwrap_or_default(),
                    region_code,
                    practice: Practice {
                        title,
                        topic: Topic::parse(&topic).ok_or_else(|| corrupt("topic"))?,
                        summary,
                        body,
                        results,
                        programme_id,
                        agenda_item_id,
                        plan_item_id,
                    },
                    status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
                    revision,
                    published_on: published_on.as_deref().map(date).transpose()?,
                    programme: programme_id.and_then(|p| programme_names.get(&p).cloned()),
                    agenda_item: agenda_item_id.and_then(|a| agenda.get(&a).cloned()),
                    plan_item: plan_item_id.and_then(|p| plan.get(&p).cloned()),
                    updated_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
    }};
}

/// Checks that what a case names exists and, for the agenda and plan item, is of a place within
/// the case's region.
macro_rules! check_links {
    ($c:expr, $region:expr, $p:expr) => {{
        if let Some(id) = $p.programme_id {
            let n: i64 = programmes::table
                .filter(programmes::id.eq(id))
                .count()
                .get_result($c)?;
            if n == 0 {
                return Err(PracticeStoreError::Elsewhere {
                    field: "programme_id",
                });
            }
        }
        if let Some(id) = $p.agenda_item_id {
            let emd: Option<String> = agenda_items::table
                .find(id)
                .filter(agenda_items::hidden_reason.is_null())
                .select(agenda_items::emd_code)
                .first($c)
                .optional()?;
            check_within!($c, $region, emd, "agenda_item_id");
        }
        if let Some(id) = $p.plan_item_id {
            let emd: Option<String> = autonomy_plan_items::table
                .inner_join(autonomy_plans::table)
                .filter(autonomy_plan_items::id.eq(id))
                .filter(autonomy_plan_items::decision.eq(PlanDecision::Adopted.as_str()))
                .select(autonomy_plans::emd_code)
                .first($c)
                .optional()?;
            check_within!($c, $region, emd, "plan_item_id");
        }
    }};
}

/// An eup/myeon/dong named by a link must be the case's region or lie within it.
macro_rules! check_within {
    ($c:expr, $region:expr, $emd:expr, $field:expr) => {{
        let path: Option<String> = match &$emd {
            Some(e) => regions::table
                .find(e)
                .select(regions::path)
                .first($c)
                .optional()?,
            None => None,
        };
        let region = RegionCode::parse(&$region).map_err(|_| corrupt("region"))?;
        let inside = match path.as_deref() {
            Some(p) => region_path(p)?.within(&region),
            None => false,
        };
        if !inside {
            return Err(PracticeStoreError::Elsewhere { field: $field });
        }
    }};
}

/// Takes a case for a change, locking its row; gives its region and status.
macro_rules! take {
    ($c:expr, $id:expr) => {{
        let found: Option<(String, String)> = diesel::update(practices::table.find($id))
            .set(practices::status.eq(practices::status))
            .returning((practices::region_code, practices::status))
            .get_result($c)
            .optional()?;
        let (region, status) = found.ok_or(PracticeStoreError::NotFound)?;
        (
            region,
            Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        )
    }};
}

pub struct Practices<'a>(&'a Store);

impl Store {
    pub fn practices(&self) -> Practices<'_> {
        Practices(self)
    }
}

impl Practices<'_> {
    /// Submits a case of a region for review.
    pub async fn submit(
        &self,
        region: &RegionCode,
        practice: Practice,
        by: i64,
    ) -> Result<i64, PracticeStoreError> {
        let region = region.to_string();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PracticeStoreError, |c| {
                    check_links!(c, region, practice);
                    let now = unix_now();
                    Ok(diesel::insert_into(practices::table)
                        .values((
                            practices::region_code.eq(&region),
                            practices::title.eq(&practice.title),
                            practices::topic.eq(practice.topic.as_str()),
                            practices::summary.eq(&practice.summary),
                            practices::body.eq(&practice.body),
                            practices::results.eq(&practice.results),
                            practices::programme_id.eq(practice.programme_id),
                            practices::agenda_item_id.eq(practice.agenda_item_id),
                            practices::plan_item_id.eq(practice.plan_item_id),
                            practices::status.eq(Status::Submitted.as_str()),
                            practices::submitted_by.eq(by),
                            practices::created_at.eq(now),
                            practices::updated_at.eq(now),
                        ))
                        .returning(practices::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Replaces a case that is not published, which submits it for review again.
    pub async fn revise(&self, id: i64, practice: Practice) -> Result<(), PracticeStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PracticeStoreError, |c| {
                    let (region, status) = take!(c, id);
                    if !status.revisable() {
                        return Err(PracticeStoreError::Status(status));
                    }
                    check_links!(c, region, practice);
                    diesel::update(practices::table.find(id))
                        .set((
                            practices::title.eq(&practice.title),
                            practices::topic.eq(practice.topic.as_str()),
                            practices::summary.eq(&practice.summary),
                            practices::body.eq(&practice.body),
                            practices::results.eq(&practice.results),
                            practices::programme_id.eq(practice.programme_id),
                            practices::agenda_item_id.eq(practice.agenda_item_id),
                            practices::plan_item_id.eq(practice.plan_item_id),
                            practices::status.eq(Status::Submitted.as_str()),
                            practices::revision.eq(practices::revision + 1),
                            practices::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Records the ministry's review; gives where the case now stands. With `seen` (the case's
    /// revision as the reviewer read it), a case revised since is refused, so that nobody
    /// publishes a text they did not read.
    pub async fn review(
        &self,
        id: i64,
        review: Review,
        seen: Option<i64>,
        today: Date,
        by: i64,
    ) -> Result<Status, PracticeStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PracticeStoreError, |c| {
                    let (_, status) = take!(c, id);
                    if let Some(seen) = seen {
                        let now: i64 = practices::table
                            .find(id)
                            .select(practices::revision)
                            .first(c)?;
                        if now != seen {
                            return Err(PracticeStoreError::Changed);
                        }
                    }
                    let next = status.reviewed(review.decision)?;
                    diesel::update(practices::table.find(id))
                        .set((
                            practices::status.eq(next.as_str()),
                            practices::published_on
                                .eq((next == Status::Published).then(|| text(today))),
                            practices::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    diesel::insert_into(practice_reviews::table)
                        .values((
                            practice_reviews::practice_id.eq(id),
                            practice_reviews::decision.eq(review.decision.as_str()),
                            practice_reviews::note.eq(&review.note),
                            practice_reviews::reviewed_by.eq(by),
                            practice_reviews::reviewed_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(next)
                })
            })
            .await
    }

    /// One case with its reviews, newest first.
    pub async fn get(
        &self,
        id: i64,
    ) -> Result<Option<(StoredPractice, Vec<StoredReview>)>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = practices::table
                        .filter(practices::id.eq(id))
                        .select(practice_columns!())
                        .load(c)?;
                    let Some(p) = load_practices!(c, rows)?.pop() else {
                        return Ok(None);
                    };
                    let reviews = practice_reviews::table
                        .inner_join(users::table)
                        .filter(practice_reviews::practice_id.eq(id))
                        .order(practice_reviews::id.desc())
                        .select((
                            practice_reviews::decision,
                            practice_reviews::note,
                            users::name,
                            practice_reviews::reviewed_at,
                        ))
                        .load::<(String, String, String, i64)>(c)?
                        .into_iter()
                        .map(|(decision, note, reviewer, at)| StoredReview {
                            decision,
                            note,
                            reviewer,
                            at,
                        })
                        .collect();
                    Ok(Some((p, reviews)))
                })
            })
            .await
    }

    /// The cases that match, newest first (by publication, then by change), and how many
    /// match in all.
    pub async fn search(
        &self,
        filter: PracticeFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredPractice>, i64), StoreError> {
        let pattern = filter
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(contains_pattern);
        // The nation holds every region (and no path names it).
        let within = filter
            .within
            .as_ref()
            .filter(|r| r.as_str() != RegionCode::NATION)
            .map(|r| format!("%{r}%"));
        let places: Option<Vec<String>> = filter
            .places
            .as_ref()
            .map(|ps| ps.iter().map(|p| format!("%{p}%")).collect());
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = practices::table.inner_join(regions::table).into_boxed();
                        if let Some(p) = &pattern {
                            q = q.filter(
                                practices::title
                                    .like(p.clone())
                                    .escape('\\')
                                    .or(practices::summary.like(p.clone()).escape('\\'))
                                    .or(practices::body.like(p.clone()).escape('\\'))
                                    .or(practices::results.like(p.clone()).escape('\\')),
                            );
                        }
                        if let Some(t) = filter.topic {
                            q = q.filter(practices::topic.eq(t.as_str()));
                        }
                        if let Some(s) = filter.status {
                            q = q.filter(practices::status.eq(s.as_str()));
                        }
                        if let Some(p) = filter.programme_id {
                            q = q.filter(practices::programme_id.eq(p));
                        }
                        if let Some(w) = &within {
                            q = q.filter(regions::path.like(w.clone()));
                        }
                        // A grant on the nation covers every place: no narrowing then.
                        if let Some(ps) = &places
                            && !ps.iter().any(|p| p.contains(RegionCode::NATION))
                        {
                            let mut any: Box<
                                dyn BoxableExpression<_, _, SqlType = diesel::sql_types::Bool>,
                            > = Box::new(diesel::dsl::sql::<diesel::sql_types::Bool>("1=0"));
                            for p in ps {
                                any = Box::new(any.or(regions::path.like(p.clone())));
                            }
                            q = q.filter(any);
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order((
                            practices::published_on.is_null(),
                            practices::published_on.desc(),
                            practices::updated_at.desc(),
                            practices::id.desc(),
                        ))
                        .offset(offset)
                        .limit(limit)
                        .select(practice_columns!())
                        .load(c)?;
                    Ok((load_practices!(c, rows)?, total))
                })
            })
            .await
    }
}
