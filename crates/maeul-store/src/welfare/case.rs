//! 통합사례관리 — cases and their steps. Reads are logged like every personal record; each
//! step is checked against the case's last step inside the transaction that records it, so
//! two workers recording at once cannot both move the case on from the same step.

use diesel::prelude::*;
use maeul_core::audit::{AccessAction, Purpose};
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionPath;
use maeul_core::welfare::case::{
    CaseError, CaseRules, Classification, ClosureReason, Crisis, Step, StepInput, StepRecord,
};
use maeul_core::welfare::person::Person;
use time::Date;

use crate::account::Actor;
use crate::db::{db_run, db_write};
use crate::region::Page;
use crate::schema::{case_steps as steps, cases, grants, regions, users};
use crate::welfare::{Subject, date, listed, region_path, text};
use crate::{Store, StoreError, unix_now};

const RULES_KEY: &str = "case_rules";

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A household a discovery visit escalated.
    Discovery,
    /// The person came to the community centre.
    WalkIn,
    /// Another agency or a neighbour referred the person.
    Referral,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Discovery, Source::WalkIn, Source::Referral];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Discovery => "discovery",
            Source::WalkIn => "walk_in",
            Source::Referral => "referral",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A case to open.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub emd_code: String,
    pub person: Person,
    pub source: Source,
    /// The listed household a discovery visit escalated, if any.
    pub candidate_id: Option<i64>,
    pub opened_on: Date,
    pub note: Option<String>,
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSummary {
    pub id: i64,
    pub emd_code: String,
    pub person_name: String,
    pub birth_year: Option<i64>,
    pub source: String,
    pub opened_on: Date,
    pub last_step: Step,
    pub next_step: Step,
    pub next_due: Date,
    pub classification: Option<Classification>,
    pub closed_on: Option<Date>,
    /// Log-in and name of the worker in charge.
    pub assigned_to: Option<(String, String)>,
}

impl CaseSummary {
    pub fn open(&self) -> bool {
        self.closed_on.is_none()
    }

    /// Open and past the deadline of its next step (follow-ups after closure count too).
    pub fn overdue(&self, today: Date) -> bool {
        today > self.next_due
    }
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepEntry {
    pub step: Step,
    pub done_on: Date,
    pub needs: Vec<String>,
    pub crisis: Option<Crisis>,
    pub classification: Option<Classification>,
    pub closure_reason: Option<ClosureReason>,
    pub note: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub steps: Vec<StepEntry>,
}

/// Open cases of an area: counts only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseArea {
    /// By last step recorded.
    pub by_step: Vec<(Step, i64)>,
    pub overdue: i64,
    pub high_difficulty: i64,
    /// Needs domains found in assessments, most frequent first.
    pub by_need: Vec<(String, i64)>,
}

impl CaseArea {
    pub fn open(&self) -> i64 {
        self.by_step.iter().map(|(_, n)| n).sum()
    }
}

/// Someone who may be put in charge of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    pub id: i64,
    pub login: String,
    pub name: String,
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Cases of the places under this region (its code; every place for `None`).
    pub within: Option<String>,
    pub open_only: bool,
    /// Only cases whose next step was due before this day.
    pub due_before: Option<Date>,
    pub assigned_to: Option<i64>,
    pub high_difficulty_only: bool,
    /// Only cases nobody is assigned to (a high-difficulty case waiting for a case manager).
    pub unassigned: bool,
}

pub struct Cases<'a>(&'a Store);

impl Store {
    pub fn cases(&self) -> Cases<'_> {
        Cases(self)
    }
}

fn step(s: &str) -> Result<Step, StoreError> {
    Step::parse(s).ok_or_else(|| StoreError::Corrupt(format!("step {s:?}")))
}

type SummaryRow = (
    i64,
    String,
    Vec<u8>,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

macro_rules! summary_query {
    () => {
        cases::table
            .left_join(users::table.on(cases::assigned_to.eq(users::id.nullable())))
            .select((
                cases::id,
                cases::emd_code,
                cases::person_name,
                cases::birth_year,
                cases::source,
                cases::opened_on,
                cases::last_step,
                cases::next_step,
                cases::next_due,
                cases::classification,
                cases::closed_on,
                users::login.nullable(),
                users::name.nullable(),
            ))
    };
}

fn summary(key: &maeul_core::crypto::DataKey, r: SummaryRow) -> Result<CaseSummary, StoreError> {
    Ok(CaseSummary {
        id: r.0,
        emd_code: r.1,
        person_name: key
            .open(Sealed::PersonName, &r.2)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        birth_year: r.3,
        source: r.4,
        opened_on: date(&r.5)?,
        last_step: step(&r.6)?,
        next_step: step(&r.7)?,
        next_due: date(&r.8)?,
        classification: r.9.as_deref().and_then(Classification::parse),
        closed_on: r.10.as_deref().map(date).transpose()?,
        assigned_to: r.11.zip(r.12),
    })
}

/// A case query narrowed by a [`CaseFilter`], boxed.
macro_rules! filtered {
    ($q:expr, $filter:expr) => {{
        let mut q = $q.into_boxed();
        // Without a region nothing is narrowed: matching every region's path would build the
        // list of all places on each request (the home's count of overdue cases).
        if let Some(code) = $filter.within.as_ref() {
            let places = regions::table
                .filter(regions::path.like(format!("%{code}%")))
                .select(regions::code);
            q = q.filter(cases::emd_code.eq_any(places));
        }
        if $filter.open_only {
            q = q.filter(cases::closed_on.is_null());
        }
        if let Some(day) = $filter.due_before {
            q = q.filter(cases::next_due.lt(text(day)));
        }
        if let Some(user) = $filter.assigned_to {
            q = q.filter(cases::assigned_to.eq(user));
        }
        if $filter.high_difficulty_only {
            q = q.filter(cases::classification.eq(Classification::HighDifficulty.as_str()));
        }
        if $filter.unassigned {
            q = q.filter(cases::assigned_to.is_null());
        }
        q
    }};
}

impl Cases<'_> {
    /// How many cases a filter finds: a count, no personal data, so nothing to log.
    pub async fn count(&self, filter: CaseFilter) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| filtered!(cases::table, filter)
                    .count()
                    .get_result(c))?)
            })
            .await
    }

    /// The rules in force: those stored with `maeul case rules --set`, or the manual's.
    pub async fn rules(&self) -> Result<CaseRules, StoreError> {
        match self.0.meta(RULES_KEY).await? {
            Some(text) => CaseRules::parse(&text).map_err(|e| StoreError::Corrupt(e.to_string())),
            None => Ok(CaseRules::default()),
        }
    }

    /// Replaces the rules after checking them.
    pub async fn set_rules(&self, text: &str) -> Result<CaseRules, CaseError> {
        let rules = CaseRules::parse(text)?;
        self.0
            .set_meta(RULES_KEY, text)
            .await
            .map_err(|e| CaseError::Rules(e.to_string()))?;
        Ok(rules)
    }

    /// Opens a case at its intake, in the charge of the worker who opens it.
    pub async fn open(&self, new: NewCase, actor: Actor) -> Result<i64, StoreError> {
        let ids = self.open_many(vec![(new, actor)]).await?;
        ids.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Opens several cases in one transaction (all or none), each in the charge of its actor:
    /// a batch import, or the national-scale seed.
    pub async fn open_many(&self, cases: Vec<(NewCase, Actor)>) -> Result<Vec<i64>, StoreError> {
        let key = self.0.data_key()?;
        let rules = self.rules().await?;
        if cases.iter().any(|(_, a)| a.user_id.is_none()) {
            return Err(StoreError::MissingReference);
        }
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let mut ids = Vec::with_capacity(cases.len());
                    for (new, actor) in &cases {
                        let worker = actor.user_id.ok_or(StoreError::MissingReference)?;
                        let (next_step, next_due) =
                            rules.next_due(new.opened_on, Step::Intake, new.opened_on);
                        let id: i64 = diesel::insert_into(cases::table)
                            .values((
                                cases::emd_code.eq(&new.emd_code),
                                cases::person_name
                                    .eq(key.seal(Sealed::PersonName, &new.person.name)),
                                cases::birth_year.eq(new.person.birth_year.map(i64::from)),
                                cases::source.eq(new.source.as_str()),
                                cases::candidate_id.eq(new.candidate_id),
                                cases::opened_on.eq(text(new.opened_on)),
                                cases::last_step.eq(Step::Intake.as_str()),
                                cases::last_done_on.eq(text(new.opened_on)),
                                cases::next_step.eq(next_step.as_str()),
                                cases::next_due.eq(text(next_due)),
                                cases::assigned_to.eq(Some(worker)),
                                cases::created_at.eq(unix_now()),
                            ))
                            .returning(cases::id)
                            .get_result(c)?;
                        diesel::insert_into(steps::table)
                            .values((
                                steps::case_id.eq(id),
                                steps::step.eq(Step::Intake.as_str()),
                                steps::done_on.eq(text(new.opened_on)),
                                steps::needs.eq(""),
                                steps::note
                                    .eq(new.note.as_deref().map(|n| key.seal(Sealed::CaseNote, n))),
                                steps::recorded_by.eq(worker),
                                steps::recorded_at.eq(unix_now()),
                            ))
                            .execute(c)?;
                        let entry = actor
                            .entry(&format!("case:{id}"), AccessAction::Write)
                            .in_region(&new.emd_code);
                        crate::audit::log_access!(c, &entry)?;
                        ids.push(id);
                    }
                    Ok(ids)
                })
            })
            .await
    }

    /// The place of a case and who it is assigned to (no personal data), for the access check
    /// that precedes any read or write.
    pub async fn place_of(
        &self,
        id: i64,
    ) -> Result<Option<(String, RegionPath, Option<i64>)>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<(String, String, Option<i64>)> = db_run!(conn, |c| cases::table
                    .inner_join(regions::table)
                    .filter(cases::id.eq(id))
                    .select((cases::emd_code, regions::path, cases::assigned_to))
                    .first(c)
                    .optional())?;
                row.map(|(emd, path, assigned)| region_path(&path).map(|p| (emd, p, assigned)))
                    .transpose()
            })
            .await
    }

    /// A case with its steps, oldest first; logged as read. Call after [`Cases::place_of`].
    pub async fn case(&self, id: i64, actor: Actor) -> Result<Option<CaseDetail>, StoreError> {
        let key = self.0.data_key()?;
        let detail = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let Some(row) = summary_query!()
                        .filter(cases::id.eq(id))
                        .first::<SummaryRow>(c)
                        .optional()?
                    else {
                        return Ok(None);
                    };
                    type StepRow = (
                        String,
                        String,
                        String,
                        Option<String>,
                        Option<String>,
                        Option<String>,
                        Option<Vec<u8>>,
                        String,
                    );
                    let rows: Vec<StepRow> = steps::table
                        .inner_join(users::table)
                        .filter(steps::case_id.eq(id))
                        .order(steps::id)
                        .select((
                            steps::step,
                            steps::done_on,
                            steps::needs,
                            steps::crisis,
                            steps::classification,
                            steps::closure_reason,
                            steps::note,
                            users::login,
                        ))
                        .load(c)?;
                    let steps = rows
                        .into_iter()
                        .map(|r| {
                            Ok(StepEntry {
                                step: step(&r.0)?,
                                done_on: date(&r.1)?,
                                needs: r
                                    .2
                                    .split(';')
                                    .filter(|n| !n.is_empty())
                                    .map(str::to_owned)
                                    .collect(),
                                crisis: r.3.as_deref().and_then(Crisis::parse),
                                classification: r.4.as_deref().and_then(Classification::parse),
                                closure_reason: r.5.as_deref().and_then(ClosureReason::parse),
                                note: r
                                    .6
                                    .map(|n| key.open(Sealed::CaseNote, &n))
                                    .transpose()
                                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                recorded_by: r.7,
                            })
                        })
                        .collect::<Result<_, StoreError>>()?;
                    Ok::<_, StoreError>(Some(CaseDetail {
                        case: summary(&key, row)?,
                        steps,
                    }))
                })
            })
            .await?;
        if let Some(d) = &detail {
            let entry = actor
                .entry(&format!("case:{id}"), AccessAction::Read)
                .in_region(&d.case.emd_code);
            self.0.journal.append(vec![entry]).await?;
        }
        Ok(detail)
    }

    /// Records a step, checked against the case's last step in the same transaction. The
    /// inner error says what is wrong with the step; the outer one, with the store.
    pub async fn record_step(
        &self,
        id: i64,
        input: StepInput,
        today: Date,
        actor: Actor,
    ) -> Result<Result<Step, CaseError>, StoreError> {
        let key = self.0.data_key()?;
        let rules = self.rules().await?;
        let worker = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (emd, opened_on, last, last_done_on): (String, String, String, String) =
                        cases::table
                            .find(id)
                            .select((
                                cases::emd_code,
                                cases::opened_on,
                                cases::last_step,
                                cases::last_done_on,
                            ))
                            .first(c)?;
                    let record = match StepRecord::new(
                        &input,
                        &rules,
                        step(&last)?,
                        date(&last_done_on)?,
                        today,
                    ) {
                        Ok(r) => r,
                        Err(e) => return Ok(Err(e)),
                    };
                    diesel::insert_into(steps::table)
                        .values((
                            steps::case_id.eq(id),
                            steps::step.eq(record.step.as_str()),
                            steps::done_on.eq(text(record.done_on)),
                            steps::needs.eq(record.needs.join(";")),
                            steps::crisis.eq(record.crisis.map(Crisis::as_str)),
                            steps::classification
                                .eq(record.classification.map(Classification::as_str)),
                            steps::closure_reason
                                .eq(record.closure_reason.map(ClosureReason::as_str)),
                            steps::note.eq(record
                                .note
                                .as_deref()
                                .map(|n| key.seal(Sealed::CaseNote, n))),
                            steps::recorded_by.eq(worker),
                            steps::recorded_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    let (next_step, next_due) =
                        rules.next_due(date(&opened_on)?, record.step, record.done_on);
                    diesel::update(cases::table.find(id))
                        .set((
                            cases::last_step.eq(record.step.as_str()),
                            cases::last_done_on.eq(text(record.done_on)),
                            cases::next_step.eq(next_step.as_str()),
                            cases::next_due.eq(text(next_due)),
                        ))
                        .execute(c)?;
                    if let Some(class) = record.classification {
                        diesel::update(cases::table.find(id))
                            .set(cases::classification.eq(class.as_str()))
                            .execute(c)?;
                        // A high-difficulty case goes to the si/gun/gu: it waits, unassigned,
                        // until one of its case managers takes it on.
                        if class == Classification::HighDifficulty {
                            diesel::update(cases::table.find(id))
                                .set(cases::assigned_to.eq(None::<i64>))
                                .execute(c)?;
                        }
                    }
                    if record.step == Step::Closure {
                        diesel::update(cases::table.find(id))
                            .set(cases::closed_on.eq(text(record.done_on)))
                            .execute(c)?;
                    }
                    if record.step.meets_person() {
                        crate::welfare::visit::fulfil_plans!(
                            c,
                            crate::welfare::Subject::Case(id),
                            record.done_on
                        )?;
                    }
                    let entry = actor
                        .entry(&format!("case:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(Ok(record.step))
                })
            })
            .await
    }

    /// Open cases of the places under a region by their last step, with how many are past
    /// their next deadline and how many are high-difficulty, and how often each needs domain
    /// was found in their assessments. Aggregates only.
    pub async fn area(&self, within: Option<String>, today: Date) -> Result<CaseArea, StoreError> {
        self.0
            .run(move |conn| {
                let filter = CaseFilter {
                    within,
                    open_only: true,
                    ..CaseFilter::default()
                };
                db_run!(conn, |c| {
                    // Open cases are few per area: counted here rather than grouped in SQL.
                    let open: Vec<(String, String, Option<String>)> =
                        filtered!(cases::table, filter)
                            .select((cases::last_step, cases::next_due, cases::classification))
                            .load(c)?;
                    let due = text(today);
                    let overdue = open.iter().filter(|(_, d, _)| *d < due).count() as i64;
                    let hard = open
                        .iter()
                        .filter(|(_, _, k)| {
                            k.as_deref() == Some(Classification::HighDifficulty.as_str())
                        })
                        .count() as i64;
                    let mut by_step: Vec<(Step, i64)> = Vec::new();
                    for (s, _, _) in &open {
                        let s = step(s)?;
                        match by_step.iter_mut().find(|(x, _)| *x == s) {
                            Some((_, n)) => *n += 1,
                            None => by_step.push((s, 1)),
                        }
                    }
                    by_step.sort();
                    let open_ids = filtered!(cases::table, filter).select(cases::id);
                    let needs: Vec<String> = steps::table
                        .filter(steps::step.eq(Step::Assessment.as_str()))
                        .filter(steps::case_id.eq_any(open_ids))
                        .select(steps::needs)
                        .load(c)?;
                    let mut by_need: Vec<(String, i64)> = Vec::new();
                    for domain in needs
                        .iter()
                        .flat_map(|n| n.split(';'))
                        .filter(|n| !n.is_empty())
                    {
                        match by_need.iter_mut().find(|(d, _)| d == domain) {
                            Some((_, n)) => *n += 1,
                            None => by_need.push((domain.to_owned(), 1)),
                        }
                    }
                    by_need.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    Ok(CaseArea {
                        by_step,
                        overdue,
                        high_difficulty: hard,
                        by_need,
                    })
                })
            })
            .await
    }

    /// Who may be put in charge of a case of a place: its welfare staff and nurses (a case
    /// with health needs), and the case managers of its si/gun/gu.
    pub async fn assignable(&self, emd_code: &str) -> Result<Vec<Worker>, StoreError> {
        let emd = emd_code.to_owned();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let path: String = regions::table.find(&emd).select(regions::path).first(c)?;
                    let above: Vec<&str> = path.split('/').collect();
                    let rows: Vec<(i64, String, String)> = users::table
                        .inner_join(grants::table)
                        .filter(
                            grants::role
                                .eq_any(["welfare_staff", "nurse"])
                                .and(grants::scope_code.eq(&emd))
                                .or(grants::role
                                    .eq("case_manager")
                                    .and(grants::scope_code.eq_any(&above))),
                        )
                        .select((users::id, users::login, users::name))
                        .distinct()
                        .order(users::login)
                        .load(c)?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, login, name)| Worker { id, login, name })
                        .collect())
                })
            })
            .await
    }

    /// Puts a worker in charge of a case (or nobody); someone who may not be is refused as a
    /// missing reference. Call after the access check.
    pub async fn assign(
        &self,
        id: i64,
        worker: Option<i64>,
        actor: Actor,
    ) -> Result<(), StoreError> {
        let emd: String = {
            let found = self.place_of(id).await?.ok_or(StoreError::NotFound)?;
            found.0
        };
        if let Some(worker) = worker
            && !self.assignable(&emd).await?.iter().any(|w| w.id == worker)
        {
            return Err(StoreError::MissingReference);
        }
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    diesel::update(cases::table.find(id))
                        .set(cases::assigned_to.eq(worker))
                        .execute(c)?;
                    let entry = actor
                        .entry(&format!("case:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(())
                })
            })
            .await
    }

    /// Cases in deadline order (the most urgent first); each shown is logged as read.
    pub async fn list(
        &self,
        filter: CaseFilter,
        offset: i64,
        limit: i64,
        actor: Actor,
    ) -> Result<Page<CaseSummary>, StoreError> {
        let page = self.read_list(filter, offset, limit).await?;
        let read = listed(
            &actor,
            page.items
                .iter()
                .map(|i| (Subject::Case(i.id), i.emd_code.as_str())),
            None,
        );
        self.0.journal.append(read).await?;
        Ok(page)
    }

    /// Every case of a list for download, each logged as exported with the stated purpose.
    pub async fn export(
        &self,
        filter: CaseFilter,
        actor: Actor,
        purpose: Purpose,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let page = self.read_list(filter, 0, i64::MAX).await?;
        let exported = listed(
            &actor,
            page.items
                .iter()
                .map(|i| (Subject::Case(i.id), i.emd_code.as_str())),
            Some(&purpose),
        );
        self.0.journal.append(exported).await?;
        Ok(page.items)
    }

    async fn read_list(
        &self,
        filter: CaseFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<CaseSummary>, StoreError> {
        let key = self.0.data_key()?;
        let page = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let total: i64 = filtered!(cases::table, filter).count().get_result(c)?;
                    let rows: Vec<SummaryRow> = filtered!(summary_query!(), filter)
                        .order((cases::next_due, cases::id))
                        .offset(offset)
                        .limit(limit)
                        .load(c)?;
                    let items = rows
                        .into_iter()
                        .map(|r| summary(&key, r))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok::<_, StoreError>(Page { items, total })
                })
            })
            .await?;
        Ok(page)
    }
}
