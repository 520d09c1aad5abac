//! 공모사업 — grant calls, their experts, the si/gun/gu's applications, the experts' scores,
//! the selection and the execution reports on awards.
//!
//! Every command that depends on where a call stands first touches the call's row, which locks
//! it on PostgreSQL (SQLite's write transaction holds the lock already): an application and the
//! closing of the call, or a score and the selection, run one after the other, never across.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::account::Role;
use maeul_core::autonomy::corporation::Report;
use maeul_core::programme::grant_call::{
    self, Call, Criterion, Entry, GrantCallError, Outcome, Proposal, Scorecard, Status, Unit,
};
use maeul_core::region::{RegionCode, RegionPath};
use time::Date;

use crate::autonomy::corporation::StoredReport;
use crate::db::{db_run, db_write_as};
use crate::schema::{
    grant_applications, grant_call_reviewers, grant_calls, grant_reports, grant_scores, grants,
    programmes, regions, users,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

/// The most applications one call shows (there are about 250 si/gun/gu).
const MAX_APPLICATIONS: i64 = 1_000;

/// A call as stored, with what it has gathered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCall {
    pub id: i64,
    pub call: Call,
    pub status: Status,
    pub awarded_on: Option<Date>,
    pub applications: usize,
    /// 원, all selected applications together.
    pub awarded: i64,
    pub selected: usize,
    pub updated_at: i64,
}

/// An application with its applicant's names and, once the selection is made, its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApplication {
    pub id: i64,
    pub call_id: i64,
    pub sigungu_code: String,
    pub sigungu_name: String,
    /// Where the si/gun/gu sits, for checking who applies for it.
    pub sigungu_path: RegionPath,
    pub emd_code: Option<String>,
    /// The eup/myeon/dong's own name (청운효자동), shown after the si/gun/gu's full name.
    pub emd_name: Option<String>,
    /// Where the eup/myeon/dong sits, for letting its council follow the application.
    pub emd_path: Option<RegionPath>,
    pub proposal: Proposal,
    /// Hundredths of a point.
    pub score: Option<u32>,
    pub rank: Option<u32>,
    pub outcome: Option<Outcome>,
    pub notice_no: Option<String>,
    pub spent: Option<i64>,
    pub submitted_at: i64,
    /// How many experts have scored it.
    pub scored_by: usize,
}

/// One expert's scorecard of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScore {
    pub reviewer_id: i64,
    pub reviewer_name: String,
    pub scores: Vec<u32>,
    /// Hundredths of a point.
    pub total: u32,
    pub comment: String,
    pub scored_at: i64,
}

/// An expert assigned to a call, with how many of its applications they have scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub scored: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum GrantStoreError {
    #[error("no such call or application")]
    NotFound,
    #[error("the call is {0:?}, which does not allow this")]
    Status(Status),
    #[error("applications are taken only within the call's window")]
    Window,
    #[error("the call already has applications, so its terms stay as published")]
    HasApplications,
    #[error("the si/gun/gu has already applied to this call")]
    AlreadyApplied,
    #[error("no such programme in the catalogue")]
    UnknownProgramme,
    #[error("no expert with that log-in name")]
    NotExpert,
    #[error("the expert is not assigned to this call")]
    NotReviewer,
    #[error("the call has no experts assigned")]
    NoReviewers,
    #[error("{0} scorecards are still missing")]
    ScoresMissing(usize),
    #[error("only a selected application reports on its execution")]
    NotSelected,
    #[error(transparent)]
    Rule(#[from] GrantCallError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for GrantStoreError {
    fn from(e: diesel::result::Error) -> Self {
        GrantStoreError::Store(e.into())
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("grant call {what}"))
}

type CallRow = (
    i64,
    (String, String, String, Option<i64>),
    (i64, i64, String, String, String, i64),
    (String, String, String),
    (String, Option<String>, i64),
);

macro_rules! call_columns {
    () => {
        (
            grant_calls::id,
            (
                grant_calls::title,
                grant_calls::ministry,
                grant_calls::summary,
                grant_calls::programme_id,
            ),
            (
                grant_calls::budget,
                grant_calls::award_cap,
                grant_calls::units,
                grant_calls::eligibility,
                grant_calls::criteria,
                grant_calls::pass_mark,
            ),
            (
                grant_calls::opens_on,
                grant_calls::closes_on,
                grant_calls::announce_on,
            ),
            (
                grant_calls::status,
                grant_calls::awarded_on,
                grant_calls::updated_at,
            ),
        )
    };
}

fn units_text(units: &[Unit]) -> String {
    units
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn criteria_text(criteria: &[Criterion]) -> String {
    serde_json::to_string(criteria).expect("criteria serialise")
}

/// A call's row read back: the call, its status, the day it was awarded and its last change.
fn call_of(r: CallRow) -> Result<(i64, Call, Status, Option<Date>, i64), StoreError> {
    let (id, (title, ministry, summary, programme_id), terms, days, state) = r;
    let (budget, award_cap, units, eligibility, criteria, pass_mark) = terms;
    let (opens_on, closes_on, announce_on) = days;
    let (status, awarded_on, updated_at) = state;
    let call = Call {
        title,
        ministry,
        summary,
        programme_id,
        budget,
        award_cap,
        units: units
            .split(',')
            .map(|u| Unit::parse(u).ok_or_else(|| corrupt("unit")))
            .collect::<Result<_, _>>()?,
        eligibility,
        criteria: serde_json::from_str(&criteria).map_err(|_| corrupt("criteria"))?,
        pass_mark: u32::try_from(pass_mark).map_err(|_| corrupt("pass mark"))?,
        opens_on: date(&opens_on)?,
        closes_on: date(&closes_on)?,
        announce_on: date(&announce_on)?,
    };
    Ok((
        id,
        call,
        Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        awarded_on.as_deref().map(date).transpose()?,
        updated_at,
    ))
}

/// Takes a call for a change allowed in `allowed` statuses, locking its row without changing
/// it (its `updated_at` moves only with its terms and steps, so that it does not tell when
/// applications or scores come in); gives the call.
macro_rules! take_call {
    ($c:expr, $id:expr, $allowed:expr) => {{
        let row: Option<CallRow> = diesel::update(grant_calls::table.find($id))
            .set(grant_calls::status.eq(grant_calls::status))
            .returning(call_columns!())
            .get_result($c)
            .optional()?;
        let (_, call, status, _, _) = call_of(row.ok_or(GrantStoreError::NotFound)?)?;
        if !$allowed.contains(&status) {
            return Err(GrantStoreError::Status(status));
        }
        call
    }};
}

type ApplicationRow = (
    i64,
    i64,
    (String, Option<String>),
    (String, String, i64),
    (Option<i64>, Option<i64>, Option<String>, Option<String>),
    (Option<i64>, i64),
);

macro_rules! application_columns {
    () => {
        (
            grant_applications::id,
            grant_applications::call_id,
            (
                grant_applications::sigungu_code,
                grant_applications::emd_code,
            ),
            (
                grant_applications::title,
                grant_applications::summary,
                grant_applications::amount,
            ),
            (
                grant_applications::score,
                grant_applications::rank,
                grant_applications::outcome,
                grant_applications::notice_no,
            ),
            (grant_applications::spent, grant_applications::submitted_at),
        )
    };
}

/// Loads applications with their places' names and how many experts scored each.
macro_rules! load_applications {
    ($c:expr, $rows:expr) => {{
        let rows: Vec<ApplicationRow> = $rows;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut codes: Vec<&String> = rows.iter().map(|r| &r.2.0).collect();
        codes.extend(rows.iter().filter_map(|r| r.2.1.as_ref()));
        let names: BTreeMap<String, (String, String, String)> = regions::table
            .filter(regions::code.eq_any(codes))
            .select((
                regions::code,
                (regions::full_name, regions::name, regions::path),
            ))
            .load::<(String, (String, String, String))>($c)?
            .into_iter()
            .collect();
        let mut scored: BTreeMap<i64, usize> = BTreeMap::new();
        for a in grant_scores::table
            .filter(grant_scores::application_id.eq_any(&ids))
            .select(grant_scores::application_id)
            .load::<i64>($c)?
        {
            *scored.entry(a).or_default() += 1;
        }
        rows.into_iter()
            .map(|r| application_of(r, &names, &scored))
            .collect::<Result<Vec<_>, StoreError>>()
    }};
}

fn application_of(
    r: ApplicationRow,
    names: &BTreeMap<String, (String, String, String)>,
    scored: &BTreeMap<i64, usize>,
) -> Result<StoredApplication, StoreError> {
    let (id, call_id, (sigungu_code, emd_code), (title, summary, amount), result, rest) = r;
    let (score, rank, outcome, notice_no) = result;
    let (spent, submitted_at) = rest;
    let number = |n: Option<i64>| n.map(|n| u32::try_from(n).map_err(|_| corrupt("number")));
    Ok(StoredApplication {
        id,
        call_id,
        sigungu_name: names
            .get(&sigungu_code)
            .map(|n| n.0.clone())
            .unwrap_or_default(),
        sigungu_path: names
            .get(&sigungu_code)
            .map(|n| RegionPath::parse(&n.2))
            .transpose()
            .map_err(|_| corrupt("region path"))?
            .ok_or_else(|| corrupt("region"))?,
        emd_name: emd_code
            .as_ref()
            .and_then(|e| names.get(e).map(|n| n.1.clone())),
        emd_path: emd_code
            .as_ref()
            .and_then(|e| names.get(e))
            .map(|n| RegionPath::parse(&n.2))
            .transpose()
            .map_err(|_| corrupt("region path"))?,
        sigungu_code,
        emd_code,
        proposal: Proposal {
            title,
            summary,
            amount,
        },
        score: number(score).transpose()?,
        rank: number(rank).transpose()?,
        outcome: outcome
            .map(|o| Outcome::parse(&o).ok_or_else(|| corrupt("outcome")))
            .transpose()?,
        notice_no,
        spent,
        submitted_at,
        scored_by: scored.get(&id).copied().unwrap_or_default(),
    })
}

/// The columns of a call's terms, as written.
type CallValues = (
    (
        diesel::dsl::Eq<grant_calls::title, String>,
        diesel::dsl::Eq<grant_calls::ministry, String>,
        diesel::dsl::Eq<grant_calls::summary, String>,
        diesel::dsl::Eq<grant_calls::programme_id, Option<i64>>,
        diesel::dsl::Eq<grant_calls::budget, i64>,
        diesel::dsl::Eq<grant_calls::award_cap, i64>,
    ),
    (
        diesel::dsl::Eq<grant_calls::units, String>,
        diesel::dsl::Eq<grant_calls::eligibility, String>,
        diesel::dsl::Eq<grant_calls::criteria, String>,
        diesel::dsl::Eq<grant_calls::pass_mark, i64>,
        diesel::dsl::Eq<grant_calls::opens_on, String>,
        diesel::dsl::Eq<grant_calls::closes_on, String>,
        diesel::dsl::Eq<grant_calls::announce_on, String>,
    ),
);

fn call_values(c: &Call) -> CallValues {
    (
        (
            grant_calls::title.eq(c.title.clone()),
            grant_calls::ministry.eq(c.ministry.clone()),
            grant_calls::summary.eq(c.summary.clone()),
            grant_calls::programme_id.eq(c.programme_id),
            grant_calls::budget.eq(c.budget),
            grant_calls::award_cap.eq(c.award_cap),
        ),
        (
            grant_calls::units.eq(units_text(&c.units)),
            grant_calls::eligibility.eq(c.eligibility.clone()),
            grant_calls::criteria.eq(criteria_text(&c.criteria)),
            grant_calls::pass_mark.eq(i64::from(c.pass_mark)),
            grant_calls::opens_on.eq(text(c.opens_on)),
            grant_calls::closes_on.eq(text(c.closes_on)),
            grant_calls::announce_on.eq(text(c.announce_on)),
        ),
    )
}

/// Checks that a programme the call funds is in the catalogue.
macro_rules! check_programme {
    ($c:expr, $call:expr) => {
        if let Some(p) = $call.programme_id {
            let n: i64 = programmes::table
                .filter(programmes::id.eq(p))
                .count()
                .get_result($c)?;
            if n == 0 {
                return Err(GrantStoreError::UnknownProgramme);
            }
        }
    };
}

/// Where an application is made from: the si/gun/gu and, for a project of one of its
/// eup/myeon/dong, that place's path.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub sigungu: RegionCode,
    pub place: Option<RegionPath>,
}

impl Applicant {
    fn emd_code(&self) -> Option<String> {
        self.place
            .as_ref()
            .and_then(|p| p.codes().last())
            .map(|c| c.to_string())
    }
}

pub struct GrantCalls<'a>(&'a Store);

impl Store {
    pub fn grant_calls(&self) -> GrantCalls<'_> {
        GrantCalls(self)
    }
}

impl GrantCalls<'_> {
    /// Publishes a call; applications are taken within its window.
    pub async fn create(&self, call: Call, by: i64) -> Result<i64, GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    check_programme!(c, call);
                    let now = unix_now();
                    Ok(diesel::insert_into(grant_calls::table)
                        .values((
                            call_values(&call),
                            grant_calls::status.eq(Status::Open.as_str()),
                            grant_calls::created_by.eq(by),
                            grant_calls::created_at.eq(now),
                            grant_calls::updated_at.eq(now),
                        ))
                        .returning(grant_calls::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Replaces a call's terms while it is open and nobody has applied yet.
    pub async fn update(&self, id: i64, call: Call) -> Result<(), GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    take_call!(c, id, [Status::Open]);
                    let n: i64 = grant_applications::table
                        .filter(grant_applications::call_id.eq(id))
                        .count()
                        .get_result(c)?;
                    if n > 0 {
                        return Err(GrantStoreError::HasApplications);
                    }
                    check_programme!(c, call);
                    diesel::update(grant_calls::table.find(id))
                        .set((call_values(&call), grant_calls::updated_at.eq(unix_now())))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// The calls, the latest closing first.
    pub async fn list(&self) -> Result<Vec<StoredCall>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<CallRow> = grant_calls::table
                        .order((grant_calls::closes_on.desc(), grant_calls::id.desc()))
                        .limit(500)
                        .select(call_columns!())
                        .load(c)?;
                    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let mut sums: BTreeMap<i64, (usize, usize, i64)> = BTreeMap::new();
                    for (call, outcome, amount) in grant_applications::table
                        .filter(grant_applications::call_id.eq_any(&ids))
                        .select((
                            grant_applications::call_id,
                            grant_applications::outcome,
                            grant_applications::amount,
                        ))
                        .load::<(i64, Option<String>, i64)>(c)?
                    {
                        let s = sums.entry(call).or_default();
                        s.0 += 1;
                        if outcome.as_deref() == Some(Outcome::Selected.as_str()) {
                            s.1 += 1;
                            s.2 += amount;
                        }
                    }
                    rows.into_iter()
                        .map(|r| {
                            let (id, call, status, awarded_on, updated_at) = call_of(r)?;
                            let (applications, selected, awarded) =
                                sums.get(&id).copied().unwrap_or_default();
                            Ok(StoredCall {
                                id,
                                call,
                                status,
                                awarded_on,
                                applications,
                                selected,
                                awarded,
                                updated_at,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// One call.
    pub async fn get(&self, id: i64) -> Result<Option<StoredCall>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let Some(row) = grant_calls::table
                        .find(id)
                        .select(call_columns!())
                        .first::<CallRow>(c)
                        .optional()?
                    else {
                        return Ok(None);
                    };
                    let (id, call, status, awarded_on, updated_at) = call_of(row)?;
                    let apps: Vec<(Option<String>, i64)> = grant_applications::table
                        .filter(grant_applications::call_id.eq(id))
                        .select((grant_applications::outcome, grant_applications::amount))
                        .load(c)?;
                    let selected: Vec<i64> = apps
                        .iter()
                        .filter(|(o, _)| o.as_deref() == Some(Outcome::Selected.as_str()))
                        .map(|(_, a)| *a)
                        .collect();
                    Ok(Some(StoredCall {
                        id,
                        call,
                        status,
                        awarded_on,
                        applications: apps.len(),
                        selected: selected.len(),
                        awarded: selected.iter().sum(),
                        updated_at,
                    }))
                })
            })
            .await
    }

    /// The experts assigned to a call, by name, with how many applications each has scored.
    pub async fn reviewers(&self, call: i64) -> Result<Vec<Reviewer>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<(i64, String, String)> = grant_call_reviewers::table
                        .inner_join(users::table)
                        .filter(grant_call_reviewers::call_id.eq(call))
                        .order((users::name, users::id))
                        .select((users::id, users::login, users::name))
                        .load(c)?;
                    let mut scored: BTreeMap<i64, usize> = BTreeMap::new();
                    for r in grant_scores::table
                        .inner_join(grant_applications::table)
                        .filter(grant_applications::call_id.eq(call))
                        .select(grant_scores::reviewer_id)
                        .load::<i64>(c)?
                    {
                        *scored.entry(r).or_default() += 1;
                    }
                    Ok(rows
                        .into_iter()
                        .map(|(user_id, login, name)| Reviewer {
                            scored: scored.get(&user_id).copied().unwrap_or_default(),
                            user_id,
                            login,
                            name,
                        })
                        .collect())
                })
            })
            .await
    }

    /// The calls an expert is assigned to.
    pub async fn assigned_to(&self, user: i64) -> Result<Vec<i64>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(grant_call_reviewers::table
                        .filter(grant_call_reviewers::user_id.eq(user))
                        .select(grant_call_reviewers::call_id)
                        .load(c)?)
                })
            })
            .await
    }

    /// Assigns an expert (a user holding the expert role) to a call before its selection;
    /// assigning one twice changes nothing. Gives the expert's user id.
    pub async fn assign(&self, call: i64, login: &str) -> Result<i64, GrantStoreError> {
        let login = login.trim().to_lowercase();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    take_call!(c, call, [Status::Open, Status::Reviewing]);
                    let user: i64 = users::table
                        .inner_join(grants::table)
                        .filter(users::login.eq(&login))
                        .filter(grants::role.eq(Role::Expert.as_str()))
                        .select(users::id)
                        .first(c)
                        .optional()?
                        .ok_or(GrantStoreError::NotExpert)?;
                    let there: i64 = grant_call_reviewers::table
                        .filter(grant_call_reviewers::call_id.eq(call))
                        .filter(grant_call_reviewers::user_id.eq(user))
                        .count()
                        .get_result(c)?;
                    if there == 0 {
                        diesel::insert_into(grant_call_reviewers::table)
                            .values((
                                grant_call_reviewers::call_id.eq(call),
                                grant_call_reviewers::user_id.eq(user),
                            ))
                            .execute(c)?;
                    }
                    Ok(user)
                })
            })
            .await
    }

    /// Takes an expert off a call before its selection, with the scores they gave in it.
    pub async fn unassign(&self, call: i64, user: i64) -> Result<(), GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    take_call!(c, call, [Status::Open, Status::Reviewing]);
                    let n = diesel::delete(
                        grant_call_reviewers::table
                            .filter(grant_call_reviewers::call_id.eq(call))
                            .filter(grant_call_reviewers::user_id.eq(user)),
                    )
                    .execute(c)?;
                    if n == 0 {
                        return Err(GrantStoreError::NotReviewer);
                    }
                    let of_call = grant_applications::table
                        .filter(grant_applications::call_id.eq(call))
                        .select(grant_applications::id);
                    diesel::delete(
                        grant_scores::table
                            .filter(grant_scores::reviewer_id.eq(user))
                            .filter(grant_scores::application_id.eq_any(of_call)),
                    )
                    .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Closes the call for applications and opens the experts' review.
    pub async fn close(&self, call: i64) -> Result<(), GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    take_call!(c, call, [Status::Open]);
                    diesel::update(grant_calls::table.find(call))
                        .set((
                            grant_calls::status.eq(Status::Reviewing.as_str()),
                            grant_calls::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Makes the selection once every assigned expert has scored every application: ranks
    /// them, selects within the budget and numbers the award notices. Gives the number selected.
    pub async fn award(&self, call: i64, today: Date) -> Result<usize, GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let terms = take_call!(c, call, [Status::Reviewing]);
                    let reviewers: i64 = grant_call_reviewers::table
                        .filter(grant_call_reviewers::call_id.eq(call))
                        .count()
                        .get_result(c)?;
                    if reviewers == 0 {
                        return Err(GrantStoreError::NoReviewers);
                    }
                    let apps: Vec<(i64, i64)> = grant_applications::table
                        .filter(grant_applications::call_id.eq(call))
                        .select((grant_applications::id, grant_applications::amount))
                        .load(c)?;
                    let ids: Vec<i64> = apps.iter().map(|a| a.0).collect();
                    let mut totals: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
                    for (app, total) in grant_scores::table
                        .inner_join(
                            grant_call_reviewers::table.on(grant_call_reviewers::user_id
                                .eq(grant_scores::reviewer_id)
                                .and(grant_call_reviewers::call_id.eq(call))),
                        )
                        .filter(grant_scores::application_id.eq_any(&ids))
                        .select((grant_scores::application_id, grant_scores::total))
                        .load::<(i64, i64)>(c)?
                    {
                        let total = u32::try_from(total).map_err(|_| corrupt("total"))?;
                        totals.entry(app).or_default().push(total);
                    }
                    let expected = apps.len() * usize::try_from(reviewers).unwrap_or(0);
                    let given: usize = totals.values().map(Vec::len).sum();
                    if given < expected {
                        return Err(GrantStoreError::ScoresMissing(expected - given));
                    }
                    let entries: Vec<Entry> = apps
                        .into_iter()
                        .map(|(id, amount)| Entry {
                            id,
                            amount,
                            totals: totals.remove(&id).unwrap_or_default(),
                        })
                        .collect();
                    let mut selected = 0;
                    for r in grant_call::rank(&terms, &entries) {
                        let notice = (r.outcome == Outcome::Selected).then(|| {
                            selected += 1;
                            grant_call::notice_no(today.year(), call, selected)
                        });
                        diesel::update(grant_applications::table.find(r.id))
                            .set((
                                grant_applications::score.eq(i64::from(r.score)),
                                grant_applications::rank.eq(i64::from(r.rank)),
                                grant_applications::outcome.eq(r.outcome.as_str()),
                                grant_applications::notice_no.eq(notice),
                            ))
                            .execute(c)?;
                    }
                    diesel::update(grant_calls::table.find(call))
                        .set((
                            grant_calls::status.eq(Status::Awarded.as_str()),
                            grant_calls::awarded_on.eq(text(today)),
                            grant_calls::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(selected)
                })
            })
            .await
    }

    /// Applies to a call within its window, checked against the call's terms as they stand.
    pub async fn apply(
        &self,
        call: i64,
        applicant: Applicant,
        proposal: Proposal,
        today: Date,
        by: i64,
    ) -> Result<i64, GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let terms = take_call!(c, call, [Status::Open]);
                    if !(terms.opens_on..=terms.closes_on).contains(&today) {
                        return Err(GrantStoreError::Window);
                    }
                    terms.admits(&applicant.sigungu, applicant.place.as_ref())?;
                    let p = Proposal::new(proposal, &terms)?;
                    let now = unix_now();
                    diesel::insert_into(grant_applications::table)
                        .values((
                            grant_applications::call_id.eq(call),
                            grant_applications::sigungu_code.eq(applicant.sigungu.as_str()),
                            grant_applications::emd_code.eq(applicant.emd_code()),
                            grant_applications::title.eq(&p.title),
                            grant_applications::summary.eq(&p.summary),
                            grant_applications::amount.eq(p.amount),
                            grant_applications::submitted_by.eq(by),
                            grant_applications::submitted_at.eq(now),
                            grant_applications::updated_at.eq(now),
                        ))
                        .returning(grant_applications::id)
                        .get_result(c)
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict => GrantStoreError::AlreadyApplied,
                            other => other.into(),
                        })
                })
            })
            .await
    }

    /// Replaces an application while the call takes applications; the place it is for may
    /// change, the si/gun/gu may not.
    pub async fn revise(
        &self,
        id: i64,
        place: Option<RegionPath>,
        proposal: Proposal,
        today: Date,
    ) -> Result<(), GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let (call, sigungu): (i64, String) = grant_applications::table
                        .find(id)
                        .select((
                            grant_applications::call_id,
                            grant_applications::sigungu_code,
                        ))
                        .first(c)
                        .optional()?
                        .ok_or(GrantStoreError::NotFound)?;
                    let terms = take_call!(c, call, [Status::Open]);
                    if !(terms.opens_on..=terms.closes_on).contains(&today) {
                        return Err(GrantStoreError::Window);
                    }
                    let applicant = Applicant {
                        sigungu: RegionCode::parse(&sigungu).map_err(|_| corrupt("region"))?,
                        place,
                    };
                    terms.admits(&applicant.sigungu, applicant.place.as_ref())?;
                    let p = Proposal::new(proposal, &terms)?;
                    diesel::update(grant_applications::table.find(id))
                        .set((
                            grant_applications::emd_code.eq(applicant.emd_code()),
                            grant_applications::title.eq(&p.title),
                            grant_applications::summary.eq(&p.summary),
                            grant_applications::amount.eq(p.amount),
                            grant_applications::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Withdraws an application while the call takes applications.
    pub async fn withdraw(&self, id: i64, today: Date) -> Result<(), GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let call: i64 = grant_applications::table
                        .find(id)
                        .select(grant_applications::call_id)
                        .first(c)
                        .optional()?
                        .ok_or(GrantStoreError::NotFound)?;
                    let terms = take_call!(c, call, [Status::Open]);
                    if today > terms.closes_on {
                        return Err(GrantStoreError::Window);
                    }
                    diesel::delete(grant_applications::table.find(id)).execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// The applications of a call: by rank once selected, otherwise in the order they came.
    pub async fn applications(&self, call: i64) -> Result<Vec<StoredApplication>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = grant_applications::table
                        .filter(grant_applications::call_id.eq(call))
                        .order((grant_applications::rank, grant_applications::id))
                        .limit(MAX_APPLICATIONS)
                        .select(application_columns!())
                        .load(c)?;
                    load_applications!(c, rows)
                })
            })
            .await
    }

    /// One application.
    pub async fn application(&self, id: i64) -> Result<Option<StoredApplication>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = grant_applications::table
                        .filter(grant_applications::id.eq(id))
                        .select(application_columns!())
                        .load(c)?;
                    Ok(load_applications!(c, rows)?.pop())
                })
            })
            .await
    }

    /// Records an assigned expert's scores of an application while the call is in review;
    /// scoring again replaces their earlier card.
    pub async fn score(
        &self,
        application: i64,
        reviewer: i64,
        scores: Vec<i64>,
        comment: String,
    ) -> Result<Scorecard, GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let call: i64 = grant_applications::table
                        .find(application)
                        .select(grant_applications::call_id)
                        .first(c)
                        .optional()?
                        .ok_or(GrantStoreError::NotFound)?;
                    let terms = take_call!(c, call, [Status::Reviewing]);
                    let assigned: i64 = grant_call_reviewers::table
                        .filter(grant_call_reviewers::call_id.eq(call))
                        .filter(grant_call_reviewers::user_id.eq(reviewer))
                        .count()
                        .get_result(c)?;
                    if assigned == 0 {
                        return Err(GrantStoreError::NotReviewer);
                    }
                    let card = Scorecard::new(&terms, &scores)?;
                    diesel::delete(grant_scores::table.find((application, reviewer))).execute(c)?;
                    diesel::insert_into(grant_scores::table)
                        .values((
                            grant_scores::application_id.eq(application),
                            grant_scores::reviewer_id.eq(reviewer),
                            grant_scores::scores.eq(card
                                .scores
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(",")),
                            grant_scores::total.eq(i64::from(card.total)),
                            grant_scores::comment.eq(comment.trim()),
                            grant_scores::scored_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(card)
                })
            })
            .await
    }

    /// The scorecards of an application, by expert.
    pub async fn scores(&self, application: i64) -> Result<Vec<StoredScore>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    grant_scores::table
                        .inner_join(users::table)
                        .filter(grant_scores::application_id.eq(application))
                        .order(users::name)
                        .select((
                            grant_scores::reviewer_id,
                            users::name,
                            grant_scores::scores,
                            grant_scores::total,
                            grant_scores::comment,
                            grant_scores::scored_at,
                        ))
                        .load::<(i64, String, String, i64, String, i64)>(c)?
                        .into_iter()
                        .map(|(reviewer_id, reviewer_name, scores, total, comment, at)| {
                            Ok(StoredScore {
                                reviewer_id,
                                reviewer_name,
                                scores: scores
                                    .split(',')
                                    .map(|s| s.parse().map_err(|_| corrupt("scores")))
                                    .collect::<Result<_, _>>()?,
                                total: u32::try_from(total).map_err(|_| corrupt("total"))?,
                                comment,
                                scored_at: at,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// Records an execution report on a selected application of an awarded call; the spending
    /// it gives becomes the application's.
    pub async fn report(
        &self,
        application: i64,
        report: Report,
        by: i64,
    ) -> Result<i64, GrantStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, GrantStoreError, |c| {
                    let (call, outcome): (i64, Option<String>) = grant_applications::table
                        .find(application)
                        .select((grant_applications::call_id, grant_applications::outcome))
                        .first(c)
                        .optional()?
                        .ok_or(GrantStoreError::NotFound)?;
                    take_call!(c, call, [Status::Awarded]);
                    if outcome.as_deref() != Some(Outcome::Selected.as_str()) {
                        return Err(GrantStoreError::NotSelected);
                    }
                    if let Some(spent) = report.spent {
                        diesel::update(grant_applications::table.find(application))
                            .set(grant_applications::spent.eq(spent))
                            .execute(c)?;
                    }
                    Ok(diesel::insert_into(grant_reports::table)
                        .values((
                            grant_reports::application_id.eq(application),
                            grant_reports::body.eq(&report.body),
                            grant_reports::spent.eq(report.spent),
                            grant_reports::reported_by.eq(by),
                            grant_reports::reported_at.eq(unix_now()),
                        ))
                        .returning(grant_reports::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// The execution reports on an application, newest first.
    pub async fn reports(&self, application: i64) -> Result<Vec<StoredReport>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(grant_reports::table
                        .filter(grant_reports::application_id.eq(application))
                        .order(grant_reports::id.desc())
                        .select((
                            grant_reports::id,
                            grant_reports::body,
                            grant_reports::spent,
                            grant_reports::reported_at,
                        ))
                        .load::<(i64, String, Option<i64>, i64)>(c)?
                        .into_iter()
                        .map(|(id, body, spent, at)| StoredReport {
                            id,
                            body,
                            spent,
                            at,
                        })
                        .collect())
                })
            })
            .await
    }
}
