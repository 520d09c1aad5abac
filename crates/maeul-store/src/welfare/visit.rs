//! 방문 일정 — visits planned ahead for a household, a case or a person in visiting health care.
//! The purpose is sealed; every plan made, listed or cancelled is in the access log under its
//! subject. A visit recorded for the subject fulfils the open plans whose day has come, in the
//! same transaction as the visit ([`fulfil_plans`]).

use diesel::prelude::*;
use maeul_core::audit::AccessAction;
use maeul_core::crypto::Sealed;
use maeul_core::welfare::visit::{Plan, PlanStatus};
use time::{Date, Time};

use crate::account::Actor;
use crate::db::{db_run, db_write};
use crate::region::Page;
use crate::schema::{
    cases, discovery_candidates, grants, health_people, regions, users, visit_plans,
};
pub use crate::welfare::case::Worker;
use crate::welfare::{Subject, SubjectColumns, date, of_subject, subject_place, text};
use crate::{Store, StoreError, unix_now};

/// A planned visit as its subject's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedVisit {
    pub id: i64,
    pub subject: Subject,
    pub emd_code: String,
    pub on: Date,
    pub at: Option<Time>,
    pub purpose: String,
    pub status: PlanStatus,
    pub done_on: Option<Date>,
    /// Id, log-in and name of who goes.
    pub staff: (i64, String, String),
}

/// A planned visit on a schedule, with whom it is for: the person's name or the household's
/// id, as stored (the pages mask it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledVisit {
    pub plan: PlannedVisit,
    pub whom: String,
}

/// Which plans a schedule shows: never more than the viewer may see (DESIGN.md §4).
#[derive(Debug, Clone)]
pub struct ScheduleFilter {
    /// Plans of whoever goes (a worker's own schedule).
    pub staff: Option<i64>,
    /// Plans of the places under these regions (codes): the one asked for, or every place the
    /// viewer reads personal records in.
    pub within: Vec<String>,
    /// Only plans still open (the missed ones first, then by day).
    pub open_only: bool,
    /// Only plans of the days from … until … (both included), such as a week.
    pub from: Option<Date>,
    pub until: Option<Date>,
    /// The viewer, who sees the plans of a case only where they manage cases (these regions)
    /// or when the case is in their charge: a nurse sees the cases put in her charge.
    pub viewer: i64,
    pub manages_cases_in: Vec<String>,
}

/// How many open plans a worker has today and how many are missed: counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueVisits {
    pub today: i64,
    pub missed: i64,
}

pub struct VisitPlans<'a>(&'a Store);

impl Store {
    pub fn visit_plans(&self) -> VisitPlans<'_> {
        VisitPlans(self)
    }
}

fn status(s: &str) -> Result<PlanStatus, StoreError> {
    PlanStatus::parse(s).ok_or_else(|| StoreError::Corrupt(format!("plan status {s:?}")))
}

fn clock(s: Option<String>) -> Result<Option<Time>, StoreError> {
    s.map(|t| {
        maeul_core::format::parse_clock(&t)
            .ok_or_else(|| StoreError::Corrupt(format!("hour {t:?}")))
    })
    .transpose()
}

type PlanRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
    Vec<u8>,
    String,
    Option<String>,
    i64,
    String,
    String,
);

/// The sealed name of a plan's case, household id and health person's name (one is set).
type SealedNames = (Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);

/// The columns of a [`PlanRow`], with the staff joined.
macro_rules! plan_columns {
    () => {
        (
            visit_plans::id,
            visit_plans::emd_code,
            visit_plans::case_id,
            visit_plans::candidate_id,
            visit_plans::health_person_id,
            visit_plans::planned_on,
            visit_plans::planned_at,
            visit_plans::purpose,
            visit_plans::status,
            visit_plans::done_on,
            users::id,
            users::login,
            users::name,
        )
    };
}

macro_rules! plan_query {
    () => {
        visit_plans::table
            .inner_join(users::table.on(visit_plans::staff_id.eq(users::id)))
            .select(plan_columns!())
    };
}

/// The eup/myeon/dong codes under some regions, in the caller's connection.
macro_rules! places_under {
    ($c:expr, $codes:expr) => {{
        let mut places: Vec<String> = Vec::new();
        for code in $codes {
            places.extend(
                regions::table
                    .filter(regions::path.like(format!("%{code}%")))
                    .select(regions::code)
                    .load::<String>($c)?,
            );
        }
        places
    }};
}

/// The plans a [`ScheduleFilter`] lets through, joined to whom they are for, boxed; `places`
/// and `case_places` are its regions resolved to places ([`places_under`]), once per request.
macro_rules! scheduled {
    ($filter:expr, $places:expr, $case_places:expr) => {{
        let mut q = visit_plans::table
            .inner_join(users::table.on(visit_plans::staff_id.eq(users::id)))
            .left_join(cases::table.on(visit_plans::case_id.eq(cases::id.nullable())))
            .left_join(
                discovery_candidates::table
                    .on(visit_plans::candidate_id.eq(discovery_candidates::id.nullable())),
            )
            .left_join(
                health_people::table
                    .on(visit_plans::health_person_id.eq(health_people::id.nullable())),
            )
            .filter(visit_plans::emd_code.eq_any($places))
            .filter(
                visit_plans::case_id
                    .is_null()
                    .or(cases::assigned_to.eq($filter.viewer))
                    .or(visit_plans::emd_code.eq_any($case_places)),
            )
            .into_boxed();
        if let Some(staff) = $filter.staff {
            q = q.filter(visit_plans::staff_id.eq(staff));
        }
        if $filter.open_only {
            q = q.filter(visit_plans::status.eq(PlanStatus::Planned.as_str()));
        }
        if let Some(from) = $filter.from {
            q = q.filter(visit_plans::planned_on.ge(text(from)));
        }
        if let Some(until) = $filter.until {
            q = q.filter(visit_plans::planned_on.le(text(until)));
        }
        q
    }};
}

fn planned(key: &maeul_core::crypto::DataKey, r: PlanRow) -> Result<PlannedVisit, StoreError> {
    Ok(PlannedVisit {
        id: r.0,
        emd_code: r.1,
        subject: Subject::from_columns(r.2, r.3, r.4)?,
        on: date(&r.5)?,
        at: clock(r.6)?,
        purpose: key
            .open(Sealed::CaseNote, &r.7)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: status(&r.8)?,
        done_on: r.9.as_deref().map(date).transpose()?,
        staff: (r.10, r.11, r.12),
    })
}

/// Marks done the open plans of a subject that a visit recorded for `day` fulfils
/// ([`maeul_core::welfare::visit::fulfilled_by`]), in the caller's transaction.
macro_rules! fulfil_plans {
    ($c:expr, $subject:expr, $day:expr) => {{
        use maeul_core::welfare::visit::{PlanStatus, fulfilled_by};
        use $crate::schema::visit_plans;
        let day: time::Date = $day;
        let open: Vec<(i64, String)> = $crate::welfare::of_subject!(
            visit_plans::table
                .filter(visit_plans::status.eq(PlanStatus::Planned.as_str()))
                .select((visit_plans::id, visit_plans::planned_on))
                .into_boxed(),
            visit_plans,
            $subject
        )
        .load($c)?;
        let mut due = Vec::new();
        for (id, on) in open {
            if fulfilled_by(PlanStatus::Planned, $crate::welfare::date(&on)?, day) {
                due.push(id);
            }
        }
        diesel::update(visit_plans::table.filter(visit_plans::id.eq_any(&due)))
            .set((
                visit_plans::status.eq(PlanStatus::Done.as_str()),
                visit_plans::done_on.eq(Some($crate::welfare::text(day))),
            ))
            .execute($c)
    }};
}
pub(crate) use fulfil_plans;

impl VisitPlans<'_> {
    /// Plans a visit of a subject by one of the staff who may go. Call after checking that the
    /// user may plan for the subject and that the staff may see it.
    pub async fn plan(
        &self,
        subject: Subject,
        staff: i64,
        plan: Plan,
        actor: Actor,
    ) -> Result<i64, StoreError> {
        let key = self.0.data_key()?;
        let by = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let emd = subject_place!(c, subject)?;
                    let (case_id, candidate_id, health_person_id) = subject.columns();
                    let id: i64 = diesel::insert_into(visit_plans::table)
                        .values((
                            visit_plans::emd_code.eq(&emd),
                            visit_plans::case_id.eq(case_id),
                            visit_plans::candidate_id.eq(candidate_id),
                            visit_plans::health_person_id.eq(health_person_id),
                            visit_plans::staff_id.eq(staff),
                            visit_plans::planned_on.eq(text(plan.on)),
                            visit_plans::planned_at.eq(plan.at.map(maeul_core::format::clock)),
                            visit_plans::purpose.eq(key.seal(Sealed::CaseNote, &plan.purpose)),
                            visit_plans::status.eq(PlanStatus::Planned.as_str()),
                            visit_plans::created_by.eq(by),
                            visit_plans::created_at.eq(unix_now()),
                        ))
                        .returning(visit_plans::id)
                        .get_result(c)?;
                    let entry = actor
                        .entry(&subject.log_subject(), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(id)
                })
            })
            .await
    }

    /// Whom a plan is for and who goes, for the access check.
    pub async fn subject_of(&self, id: i64) -> Result<Option<(Subject, i64)>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<(SubjectColumns, i64)> = db_run!(conn, |c| visit_plans::table
                    .find(id)
                    .select((
                        (
                            visit_plans::case_id,
                            visit_plans::candidate_id,
                            visit_plans::health_person_id,
                        ),
                        visit_plans::staff_id,
                    ))
                    .first(c)
                    .optional())?;
                row.map(|((case, candidate, health), staff)| {
                    Ok((Subject::from_columns(case, candidate, health)?, staff))
                })
                .transpose()
            })
            .await
    }

    /// Who may go on a visit of the subject — those who may see it: the welfare staff and
    /// nurses of its place for a household or a person in health care; for a case, the welfare
    /// staff of its place, the case managers of its si/gun/gu and whoever is in charge of it
    /// (a nurse only then) while a grant of theirs covers the place.
    pub async fn staff(&self, subject: Subject) -> Result<Vec<Worker>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let emd = subject_place!(c, subject)?;
                    let q = users::table
                        .inner_join(grants::table)
                        .select((users::id, users::login, users::name))
                        .distinct()
                        .order(users::login)
                        .into_boxed();
                    let rows: Vec<(i64, String, String)> = match subject {
                        Subject::Case(id) => {
                            let path: String =
                                regions::table.find(&emd).select(regions::path).first(c)?;
                            let above: Vec<&str> = path.split('/').collect();
                            let in_charge: Option<i64> =
                                cases::table.find(id).select(cases::assigned_to).first(c)?;
                            q.filter(
                                grants::role
                                    .eq("welfare_staff")
                                    .and(grants::scope_code.eq(&emd))
                                    .or(grants::role
                                        .eq("case_manager")
                                        .and(grants::scope_code.eq_any(&above)))
                                    // Whoever is in charge, by a grant that covers the place.
                                    .or(users::id
                                        .nullable()
                                        .eq(in_charge)
                                        .and(grants::scope_code.eq_any(&above))),
                            )
                            .load(c)?
                        }
                        Subject::Candidate(_) | Subject::HealthPerson(_) => q
                            .filter(grants::role.eq_any(["welfare_staff", "nurse"]))
                            .filter(grants::scope_code.eq(&emd))
                            .load(c)?,
                    };
                    Ok(rows
                        .into_iter()
                        .map(|(id, login, name)| Worker { id, login, name })
                        .collect())
                })
            })
            .await
    }

    /// The plans of a subject, open ones first by day, then the rest newest first. Part of
    /// reading the subject, which logs it.
    pub async fn of(&self, subject: Subject) -> Result<Vec<PlannedVisit>, StoreError> {
        let key = self.0.data_key()?;
        self.0
            .run(move |conn| {
                let rows: Vec<PlanRow> = db_run!(conn, |c| of_subject!(
                    plan_query!().into_boxed(),
                    visit_plans,
                    subject
                )
                .order((visit_plans::planned_on.desc(), visit_plans::id.desc()))
                .load(c))?;
                let plans = rows
                    .into_iter()
                    .map(|r| planned(&key, r))
                    .collect::<Result<Vec<_>, _>>()?;
                let (mut open, done): (Vec<_>, Vec<_>) = plans
                    .into_iter()
                    .partition(|p| p.status == PlanStatus::Planned);
                open.reverse();
                open.extend(done);
                Ok(open)
            })
            .await
    }

    /// Cancels an open plan; `false` when it was no longer open (done or cancelled already).
    /// Call after the access check.
    pub async fn cancel(&self, id: i64, actor: Actor) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (case, candidate, health, emd): (
                        Option<i64>,
                        Option<i64>,
                        Option<i64>,
                        String,
                    ) = visit_plans::table
                        .find(id)
                        .select((
                            visit_plans::case_id,
                            visit_plans::candidate_id,
                            visit_plans::health_person_id,
                            visit_plans::emd_code,
                        ))
                        .first(c)?;
                    let changed = diesel::update(
                        visit_plans::table
                            .find(id)
                            .filter(visit_plans::status.eq(PlanStatus::Planned.as_str())),
                    )
                    .set(visit_plans::status.eq(PlanStatus::Cancelled.as_str()))
                    .execute(c)?;
                    if changed == 1 {
                        let subject = Subject::from_columns(case, candidate, health)?;
                        let entry = actor
                            .entry(&subject.log_subject(), AccessAction::Write)
                            .in_region(&emd);
                        crate::audit::log_access!(c, &entry)?;
                    }
                    Ok(changed == 1)
                })
            })
            .await
    }

    /// A schedule: plans by day (then hour), each subject listed written to the access log.
    pub async fn schedule(
        &self,
        filter: ScheduleFilter,
        offset: i64,
        limit: i64,
        actor: Actor,
    ) -> Result<Page<ScheduledVisit>, StoreError> {
        let key = self.0.data_key()?;
        let page = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let places = places_under!(c, &filter.within);
                    let case_places = places_under!(c, &filter.manages_cases_in);
                    let total: i64 = scheduled!(filter, &places, &case_places)
                        .count()
                        .get_result(c)?;
                    let rows: Vec<(PlanRow, SealedNames)> =
                        scheduled!(filter, &places, &case_places)
                            .order((
                                visit_plans::planned_on,
                                visit_plans::planned_at.is_null(),
                                visit_plans::planned_at,
                                visit_plans::id,
                            ))
                            .offset(offset)
                            .limit(limit)
                            .select((
                                plan_columns!(),
                                (
                                    cases::person_name.nullable(),
                                    discovery_candidates::household_id.nullable(),
                                    health_people::person_name.nullable(),
                                ),
                            ))
                            .load(c)?;
                    let items = rows
                        .into_iter()
                        .map(|(plan, (case_name, household, health_name))| {
                            let opened = match (case_name, household, health_name) {
                                (Some(n), _, _) | (_, _, Some(n)) => {
                                    key.open(Sealed::PersonName, &n)
                                }
                                (_, Some(h), _) => key.open(Sealed::HouseholdId, &h),
                                _ => return Err(StoreError::Corrupt("plan subject".into())),
                            };
                            Ok(ScheduledVisit {
                                plan: planned(&key, plan)?,
                                whom: opened.map_err(|e| StoreError::Corrupt(e.to_string()))?,
                            })
                        })
                        .collect::<Result<Vec<_>, StoreError>>()?;
                    Ok::<_, StoreError>(Page { items, total })
                })
            })
            .await?;
        let read = crate::welfare::listed(
            &actor,
            page.items
                .iter()
                .map(|i| (i.plan.subject, i.plan.emd_code.as_str())),
            None,
        );
        self.0.journal.append(read).await?;
        Ok(page)
    }

    /// A worker's open plans for today and those missed (past their day): counts only, read
    /// through the index on who goes, for the workspace home.
    pub async fn due_of(&self, staff: i64, today: Date) -> Result<DueVisits, StoreError> {
        self.0
            .run(move |conn| {
                let days: Vec<String> = db_run!(conn, |c| visit_plans::table
                    .filter(visit_plans::staff_id.eq(staff))
                    .filter(visit_plans::status.eq(PlanStatus::Planned.as_str()))
                    .filter(visit_plans::planned_on.le(text(today)))
                    .select(visit_plans::planned_on)
                    .load(c))?;
                let today = text(today);
                Ok(DueVisits {
                    today: days.iter().filter(|d| **d == today).count() as i64,
                    missed: days.iter().filter(|d| **d < today).count() as i64,
                })
            })
            .await
    }
}
