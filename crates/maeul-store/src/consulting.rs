//! 컨설팅 — the consulting engagements: requested by a local government, assigned an expert of
//! the pool, reported or withdrawn. Each step is one conditional update, so that two officials
//! acting at once cannot both move an engagement from the same state.

use diesel::prelude::*;
use maeul_core::consulting::{Report, Request, Status, Step, StepError, next};
use maeul_core::expert::Specialty;
use maeul_core::region::RegionCode;
use time::Date;

use crate::db::{db_run, db_write_as};
use crate::schema::{consultations, experts, regions};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now, within_pattern};

/// An engagement as stored, with the region's name and the assigned expert's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConsultation {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    /// The stored region path (`1100000000/1111000000/1111051500`).
    pub region_path: String,
    pub request: Request,
    pub status: Status,
    pub requested_on: Date,
    /// The pool entry and the expert's name and organisation.
    pub expert: Option<(i64, String, String)>,
    /// The expert's account that may write the report, if any.
    pub expert_user_id: Option<i64>,
    pub assigned_on: Option<Date>,
    pub report: Option<Report>,
    pub withdrawn_reason: Option<String>,
    /// The day it was reported or withdrawn.
    pub closed_on: Option<Date>,
    /// How many steps it has taken: a step names the revision it was decided on.
    pub revision: i64,
}

/// Which engagements to list: those of regions within any of `scopes`, or assigned to
/// `expert_user`; narrowed to a region and a status.
#[derive(Debug, Clone, Default)]
pub struct ConsultationFilter {
    pub scopes: Vec<RegionCode>,
    pub expert_user: Option<i64>,
    pub region: Option<RegionCode>,
    pub status: Option<Status>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConsultingStoreError {
    #[error("no such engagement")]
    NotFound,
    #[error(transparent)]
    Step(#[from] StepError),
    #[error("the engagement changed since it was read")]
    Changed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ConsultingStoreError {
    fn from(e: diesel::result::Error) -> Self {
        ConsultingStoreError::Store(e.into())
    }
}

pub struct Consultations<'a>(&'a Store);

impl Store {
    pub fn consultations(&self) -> Consultations<'_> {
        Consultations(self)
    }
}

type Row = (
    (i64, String, String, String),
    (String, String, String, Option<String>),
    (String, String),
    (Option<i64>, Option<String>, Option<String>),
    (Option<i64>, Option<String>),
    (Option<String>, Option<i64>, Option<String>, Option<String>),
    (Option<String>, Option<String>, i64),
);

macro_rules! consultation_columns {
    () => {
        (
            (
                consultations::id,
                consultations::region_code,
                regions::full_name,
                regions::path,
            ),
            (
                consultations::title,
                consultations::specialty,
                consultations::needs,
                consultations::wanted_by,
            ),
            (consultations::status, consultations::requested_on),
            (
                consultations::expert_id,
                experts::name.nullable(),
                experts::organisation.nullable(),
            ),
            (consultations::expert_user_id, consultations::assigned_on),
            (
                consultations::held_on,
                consultations::hours,
                consultations::findings,
                consultations::recommendations,
            ),
            (
                consultations::withdrawn_reason,
                consultations::closed_on,
                consultations::revision,
            ),
        )
    };
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("consultation {what}"))
}

fn consultation_of(r: Row) -> Result<StoredConsultation, StoreError> {
    let (
        (id, region_code, region_name, region_path),
        (title, specialty, needs, wanted_by),
        (status, requested_on),
        (expert_id, expert_name, expert_organisation),
        (expert_user_id, assigned_on),
        (held_on, hours, findings, recommendations),
        (withdrawn_reason, closed_on, revision),
    ) = r;
    let report = match (held_on, hours, findings) {
        (Some(held_on), Some(hours), Some(findings)) => Some(Report {
            held_on: date(&held_on)?,
            hours: u16::try_from(hours).map_err(|_| corrupt("hours"))?,
            findings,
            recommendations: recommendations.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(StoredConsultation {
        id,
        region_code,
        region_name,
        region_path,
        request: Request {
            title,
            specialty: Specialty::parse(&specialty).ok_or_else(|| corrupt("specialty"))?,
            needs,
            wanted_by: wanted_by.as_deref().map(date).transpose()?,
        },
        status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        requested_on: date(&requested_on)?,
        expert: expert_id.map(|id| {
            (
                id,
                expert_name.unwrap_or_default(),
                expert_organisation.unwrap_or_default(),
            )
        }),
        expert_user_id,
        assigned_on: assigned_on.as_deref().map(date).transpose()?,
        report,
        withdrawn_reason,
        closed_on: closed_on.as_deref().map(date).transpose()?,
        revision,
    })
}

/// The statuses from which `step` may be taken.
fn statuses_before(step: Step) -> Vec<&'static str> {
    Status::ALL
        .into_iter()
        .filter(|s| next(*s, step).is_ok())
        .map(Status::as_str)
        .collect()
}

/// Moves the engagement by `step`, setting `changes`, if it stands where the step may be taken
/// and has not changed since `revision`: one conditional update, so that of several taking the
/// step at once one does. Otherwise: no such engagement, a step that does not follow, or a
/// state changed meanwhile.
macro_rules! take_step {
    ($c:expr, $id:expr, $revision:expr, $step:expr, $changes:expr) => {{
        let from = statuses_before($step);
        let n = diesel::update(
            consultations::table
                .find($id)
                .filter(consultations::status.eq_any(&from))
                .filter(consultations::revision.eq($revision)),
        )
        .set((
            $changes,
            consultations::revision.eq(consultations::revision + 1),
            consultations::updated_at.eq(unix_now()),
        ))
        .execute($c)?;
        if n == 1 {
            return Ok(());
        }
        let status: Option<String> = consultations::table
            .find($id)
            .select(consultations::status)
            .first($c)
            .optional()?;
        match status.as_deref().map(Status::parse) {
            None => Err(ConsultingStoreError::NotFound),
            Some(None) => Err(corrupt("status").into()),
            Some(Some(s)) => match next(s, $step) {
                Err(e) => Err(e.into()),
                Ok(_) => Err(ConsultingStoreError::Changed),
            },
        }
    }};
}

impl Consultations<'_> {
    /// Records a request of `region` made on `today`.
    pub async fn create(
        &self,
        region: &RegionCode,
        r: Request,
        by: i64,
        today: Date,
    ) -> Result<i64, StoreError> {
        let region = region.to_string();
        self.0
            .run(move |conn| {
                db_write_as!(conn, StoreError, |c| {
                    Ok(diesel::insert_into(consultations::table)
                        .values((
                            consultations::region_code.eq(&region),
                            consultations::title.eq(&r.title),
                            consultations::specialty.eq(r.specialty.as_str()),
                            consultations::needs.eq(&r.needs),
                            consultations::wanted_by.eq(r.wanted_by.map(text)),
                            consultations::status.eq(Status::Requested.as_str()),
                            consultations::requested_by.eq(by),
                            consultations::requested_on.eq(text(today)),
                            consultations::updated_at.eq(unix_now()),
                        ))
                        .returning(consultations::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredConsultation>, StoreError> {
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(consultations::table
                    .inner_join(regions::table)
                    .left_join(experts::table)
                    .filter(consultations::id.eq(id))
                    .select(consultation_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(consultation_of).transpose()
    }

    /// The engagements the filter lets through, newest first; and how many there are.
    pub async fn find(
        &self,
        filter: ConsultationFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredConsultation>, i64), StoreError> {
        let scopes: Vec<String> = filter.scopes.iter().map(within_pattern).collect();
        let region = filter.region.as_ref().map(within_pattern);
        let status = filter.status.map(Status::as_str);
        let expert_user = filter.expert_user;
        let (rows, total): (Vec<Row>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = consultations::table
                            .inner_join(regions::table)
                            .left_join(experts::table)
                            .into_boxed();
                        // Seen through a scope, or as the assigned expert; nothing otherwise.
                        let mut seen: Box<
                            dyn BoxableExpression<_, _, SqlType = diesel::sql_types::Bool>,
                        > = Box::new(consultations::id.ne(consultations::id));
                        for s in &scopes {
                            seen = Box::new(seen.or(regions::path.like(s.clone())));
                        }
                        if let Some(u) = expert_user {
                            seen = Box::new(
                                seen.or(consultations::expert_user_id.eq(u).assume_not_null()),
                            );
                        }
                        q = q.filter(seen);
                        if let Some(r) = &region {
                            q = q.filter(regions::path.like(r.clone()));
                        }
                        if let Some(s) = status {
                            q = q.filter(consultations::status.eq(s));
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order(consultations::id.desc())
                        .offset(offset)
                        .limit(limit)
                        .select(consultation_columns!())
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter()
                .map(consultation_of)
                .collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Assigns an expert of the pool (and the account that reports for them, if any), or
    /// another one before the report; `revision` is the one the choice was made on.
    pub async fn assign(
        &self,
        id: i64,
        revision: i64,
        expert: i64,
        expert_user: Option<i64>,
        by: i64,
        today: Date,
    ) -> Result<(), ConsultingStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ConsultingStoreError, |c| {
                    take_step!(
                        c,
                        id,
                        revision,
                        Step::Assign,
                        (
                            consultations::status.eq(Status::Assigned.as_str()),
                            consultations::expert_id.eq(expert),
                            consultations::expert_user_id.eq(expert_user),
                            consultations::assigned_by.eq(by),
                            consultations::assigned_on.eq(text(today)),
                        )
                    )
                })
            })
            .await
    }

    /// Records the report of an assigned engagement.
    pub async fn report(
        &self,
        id: i64,
        revision: i64,
        r: Report,
        by: i64,
        today: Date,
    ) -> Result<(), ConsultingStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ConsultingStoreError, |c| {
                    take_step!(
                        c,
                        id,
                        revision,
                        Step::Report,
                        (
                            consultations::status.eq(Status::Reported.as_str()),
                            consultations::held_on.eq(text(r.held_on)),
                            consultations::hours.eq(i64::from(r.hours)),
                            consultations::findings.eq(&r.findings),
                            consultations::recommendations.eq(&r.recommendations),
                            consultations::reported_by.eq(by),
                            consultations::closed_by.eq(by),
                            consultations::closed_on.eq(text(today)),
                        )
                    )
                })
            })
            .await
    }

    /// Withdraws an engagement not yet reported.
    pub async fn withdraw(
        &self,
        id: i64,
        revision: i64,
        reason: String,
        by: i64,
        today: Date,
    ) -> Result<(), ConsultingStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ConsultingStoreError, |c| {
                    take_step!(
                        c,
                        id,
                        revision,
                        Step::Withdraw,
                        (
                            consultations::status.eq(Status::Withdrawn.as_str()),
                            consultations::withdrawn_reason.eq(&reason),
                            consultations::closed_by.eq(by),
                            consultations::closed_on.eq(text(today)),
                        )
                    )
                })
            })
            .await
    }
}
