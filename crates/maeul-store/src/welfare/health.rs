//! 방문건강관리 — people registered with a risk group, their health visits and group changes.
//! Every read is logged; the name and notes are sealed.

use diesel::prelude::*;
use maeul_core::audit::{AccessAction, Purpose};
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionPath;
use maeul_core::welfare::health::{HealthRules, Readings, Registration, RiskGroup};
use time::Date;

use crate::account::Actor;
use crate::db::{db_run, db_write};
use crate::region::Page;
use crate::schema::{
    health_group_changes as changes, health_people as people, health_visits as visits, regions,
    users,
};
use crate::welfare::{Subject, date, listed, region_path, text};
use crate::{Store, StoreError, unix_now};

const RULES_KEY: &str = "health_rules";

/// A registered person as lists show them.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthSummary {
    pub id: i64,
    pub emd_code: String,
    pub person_name: String,
    pub birth_year: Option<i64>,
    pub group: RiskGroup,
    pub registered_on: Date,
    pub last_visit_on: Option<Date>,
    pub next_due: Date,
    /// Log-in and name of the nurse in charge.
    pub nurse: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HealthVisit {
    pub visited_on: Date,
    pub readings: Readings,
    pub note: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupChange {
    pub changed_on: Date,
    pub from: Option<RiskGroup>,
    pub to: RiskGroup,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HealthDetail {
    pub person: HealthSummary,
    /// Newest first.
    pub visits: Vec<HealthVisit>,
    /// Oldest first, from registration.
    pub changes: Vec<GroupChange>,
}

pub struct Health<'a>(&'a Store);

impl Store {
    pub fn health(&self) -> Health<'_> {
        Health(self)
    }
}

fn group(s: &str) -> Result<RiskGroup, StoreError> {
    RiskGroup::parse(s).ok_or_else(|| StoreError::Corrupt(format!("group {s:?}")))
}

type SummaryRow = (
    i64,
    String,
    Vec<u8>,
    Option<i64>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

macro_rules! summary_query {
    () => {
        people::table
            .left_join(users::table.on(people::nurse_id.eq(users::id.nullable())))
            .select((
                people::id,
                people::emd_code,
                people::person_name,
                people::birth_year,
                people::risk_group,
                people::registered_on,
                people::last_visit_on,
                people::next_due,
                users::login.nullable(),
                users::name.nullable(),
            ))
    };
}

fn summary(key: &maeul_core::crypto::DataKey, r: SummaryRow) -> Result<HealthSummary, StoreError> {
    Ok(HealthSummary {
        id: r.0,
        emd_code: r.1,
        person_name: key
            .open(Sealed::PersonName, &r.2)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        birth_year: r.3,
        group: group(&r.4)?,
        registered_on: date(&r.5)?,
        last_visit_on: r.6.as_deref().map(date).transpose()?,
        next_due: date(&r.7)?,
        nurse: r.8.zip(r.9),
    })
}

impl Health<'_> {
    /// The rules in force: those stored with `maeul health rules --set`, or the defaults.
    pub async fn rules(&self) -> Result<HealthRules, StoreError> {
        match self.0.meta(RULES_KEY).await? {
            Some(t) => HealthRules::parse(&t).map_err(StoreError::Corrupt),
            None => Ok(HealthRules::default()),
        }
    }

    pub async fn set_rules(&self, text: &str) -> Result<HealthRules, String> {
        let rules = HealthRules::parse(text)?;
        self.0
            .set_meta(RULES_KEY, text)
            .await
            .map_err(|e| e.to_string())?;
        Ok(rules)
    }

    /// Registers a person in a place, in the charge of the nurse who registers them.
    pub async fn register(
        &self,
        emd_code: &str,
        reg: Registration,
        actor: Actor,
    ) -> Result<i64, StoreError> {
        let ids = self
            .register_many(vec![(emd_code.to_owned(), reg, actor)])
            .await?;
        ids.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Registers several people in one transaction (all or none), each in the charge of the
    /// nurse who registers them: a batch import, or the national-scale seed.
    pub async fn register_many(
        &self,
        people: Vec<(String, Registration, Actor)>,
    ) -> Result<Vec<i64>, StoreError> {
        let key = self.0.data_key()?;
        let rules = self.rules().await?;
        if people.iter().any(|(_, _, a)| a.user_id.is_none()) {
            return Err(StoreError::MissingReference);
        }
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let mut ids = Vec::with_capacity(people.len());
                    for (emd, reg, actor) in &people {
                        let nurse = actor.user_id.ok_or(StoreError::MissingReference)?;
                        let id: i64 = diesel::insert_into(people::table)
                            .values((
                                people::emd_code.eq(emd),
                                people::person_name
                                    .eq(key.seal(Sealed::PersonName, &reg.person.name)),
                                people::birth_year.eq(reg.person.birth_year.map(i64::from)),
                                people::risk_group.eq(reg.group.as_str()),
                                people::registered_on.eq(text(reg.registered_on)),
                                people::next_due
                                    .eq(text(rules.next_due(reg.group, reg.registered_on))),
                                people::nurse_id.eq(Some(nurse)),
                                people::created_at.eq(unix_now()),
                            ))
                            .returning(people::id)
                            .get_result(c)?;
                        diesel::insert_into(changes::table)
                            .values((
                                changes::person_id.eq(id),
                                changes::changed_on.eq(text(reg.registered_on)),
                                changes::from_group.eq(None::<String>),
                                changes::to_group.eq(reg.group.as_str()),
                                changes::recorded_by.eq(nurse),
                                changes::recorded_at.eq(unix_now()),
                            ))
                            .execute(c)?;
                        let entry = actor
                            .entry(&format!("health:{id}"), AccessAction::Write)
                            .in_region(emd);
                        crate::audit::log_access!(c, &entry)?;
                        ids.push(id);
                    }
                    Ok(ids)
                })
            })
            .await
    }

    /// The place of a registered person and their nurse (no personal data), for access checks.
    pub async fn place_of(
        &self,
        id: i64,
    ) -> Result<Option<(String, RegionPath, Option<i64>)>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<(String, String, Option<i64>)> = db_run!(conn, |c| people::table
                    .inner_join(regions::table)
                    .filter(people::id.eq(id))
                    .select((people::emd_code, regions::path, people::nurse_id))
                    .first(c)
                    .optional())?;
                row.map(|(emd, path, nurse)| region_path(&path).map(|p| (emd, p, nurse)))
                    .transpose()
            })
            .await
    }

    /// A person with their visits and group history; logged as read.
    pub async fn person(&self, id: i64, actor: Actor) -> Result<Option<HealthDetail>, StoreError> {
        let key = self.0.data_key()?;
        let detail = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let Some(row) = summary_query!()
                        .filter(people::id.eq(id))
                        .first::<SummaryRow>(c)
                        .optional()?
                    else {
                        return Ok(None);
                    };
                    type VisitRow = (
                        String,
                        Option<i64>,
                        Option<i64>,
                        Option<i64>,
                        Option<f64>,
                        Option<f64>,
                        Option<i64>,
                        Option<Vec<u8>>,
                        String,
                    );
                    let visit_rows: Vec<VisitRow> = visits::table
                        .inner_join(users::table.on(visits::recorded_by.eq(users::id)))
                        .filter(visits::person_id.eq(id))
                        .order((visits::visited_on.desc(), visits::id.desc()))
                        .select((
                            visits::visited_on,
                            visits::systolic,
                            visits::diastolic,
                            visits::glucose,
                            visits::height_cm,
                            visits::weight_kg,
                            visits::frailty,
                            visits::note,
                            users::login,
                        ))
                        .load(c)?;
                    let change_rows: Vec<(String, Option<String>, String, String)> = changes::table
                        .inner_join(users::table.on(changes::recorded_by.eq(users::id)))
                        .filter(changes::person_id.eq(id))
                        .order(changes::id)
                        .select((
                            changes::changed_on,
                            changes::from_group,
                            changes::to_group,
                            users::login,
                        ))
                        .load(c)?;
                    let visits = visit_rows
                        .into_iter()
                        .map(|v| {
                            Ok(HealthVisit {
                                visited_on: date(&v.0)?,
                                readings: Readings {
                                    systolic: v.1,
                                    diastolic: v.2,
                                    glucose: v.3,
                                    height_cm: v.4,
                                    weight_kg: v.5,
                                    frailty: v.6,
                                },
                                note: v
                                    .7
                                    .map(|n| key.open(Sealed::CaseNote, &n))
                                    .transpose()
                                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                recorded_by: v.8,
                            })
                        })
                        .collect::<Result<_, StoreError>>()?;
                    let changes = change_rows
                        .into_iter()
                        .map(|(on, from, to, by)| {
                            Ok(GroupChange {
                                changed_on: date(&on)?,
                                from: from.as_deref().map(group).transpose()?,
                                to: group(&to)?,
                                recorded_by: by,
                            })
                        })
                        .collect::<Result<_, StoreError>>()?;
                    Ok::<_, StoreError>(Some(HealthDetail {
                        person: summary(&key, row)?,
                        visits,
                        changes,
                    }))
                })
            })
            .await?;
        if let Some(d) = &detail {
            let entry = actor
                .entry(&format!("health:{id}"), AccessAction::Read)
                .in_region(&d.person.emd_code);
            self.0.journal.append(vec![entry]).await?;
        }
        Ok(detail)
    }

    /// Records a health visit; the next visit falls due by the group's cadence from the
    /// latest visit.
    pub async fn record_visit(
        &self,
        id: i64,
        visited_on: Date,
        readings: Readings,
        note: Option<String>,
        actor: Actor,
    ) -> Result<(), StoreError> {
        let key = self.0.data_key()?;
        let rules = self.rules().await?;
        let nurse = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (emd, g, last): (String, String, Option<String>) = people::table
                        .find(id)
                        .select((people::emd_code, people::risk_group, people::last_visit_on))
                        .first(c)?;
                    diesel::insert_into(visits::table)
                        .values((
                            visits::person_id.eq(id),
                            visits::visited_on.eq(text(visited_on)),
                            visits::systolic.eq(readings.systolic),
                            visits::diastolic.eq(readings.diastolic),
                            visits::glucose.eq(readings.glucose),
                            visits::height_cm.eq(readings.height_cm),
                            visits::weight_kg.eq(readings.weight_kg),
                            visits::frailty.eq(readings.frailty),
                            visits::note.eq(note.as_deref().map(|n| key.seal(Sealed::CaseNote, n))),
                            visits::recorded_by.eq(nurse),
                            visits::recorded_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    let latest = match last.as_deref().map(date).transpose()? {
                        Some(l) if l > visited_on => l,
                        _ => visited_on,
                    };
                    diesel::update(people::table.find(id))
                        .set((
                            people::last_visit_on.eq(text(latest)),
                            people::next_due.eq(text(rules.next_due(group(&g)?, latest))),
                        ))
                        .execute(c)?;
                    crate::welfare::visit::fulfil_plans!(
                        c,
                        crate::welfare::Subject::HealthPerson(id),
                        visited_on
                    )?;
                    let entry = actor
                        .entry(&format!("health:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(())
                })
            })
            .await
    }

    /// Moves a person to another risk group, kept in the history; the cadence of the new group
    /// runs from the later of the last visit and the change.
    pub async fn change_group(
        &self,
        id: i64,
        to: RiskGroup,
        on: Date,
        actor: Actor,
    ) -> Result<(), StoreError> {
        let rules = self.rules().await?;
        let nurse = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (emd, from, last): (String, String, Option<String>) = people::table
                        .find(id)
                        .select((people::emd_code, people::risk_group, people::last_visit_on))
                        .first(c)?;
                    diesel::insert_into(changes::table)
                        .values((
                            changes::person_id.eq(id),
                            changes::changed_on.eq(text(on)),
                            changes::from_group.eq(Some(from)),
                            changes::to_group.eq(to.as_str()),
                            changes::recorded_by.eq(nurse),
                            changes::recorded_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    let since = match last.as_deref().map(date).transpose()? {
                        Some(l) if l > on => l,
                        _ => on,
                    };
                    diesel::update(people::table.find(id))
                        .set((
                            people::risk_group.eq(to.as_str()),
                            people::next_due.eq(text(rules.next_due(to, since))),
                        ))
                        .execute(c)?;
                    let entry = actor
                        .entry(&format!("health:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(())
                })
            })
            .await
    }

    /// How many of a nurse's people are past their visit: a count, no personal data.
    pub async fn overdue_of(&self, nurse: i64, today: Date) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| people::table
                    .filter(people::nurse_id.eq(nurse))
                    .filter(people::next_due.lt(text(today)))
                    .count()
                    .get_result(c))?)
            })
            .await
    }

    /// People registered in the places under a region, by risk group, and how many are past
    /// their visit: counts only.
    pub async fn area(
        &self,
        within: Option<String>,
        today: Date,
    ) -> Result<(Vec<(RiskGroup, i64)>, i64), StoreError> {
        self.0
            .run(move |conn| {
                let pattern = within.map_or_else(|| "%".to_owned(), |code| format!("%{code}%"));
                let rows: Vec<(String, String)> = db_run!(conn, |c| {
                    let places = regions::table
                        .filter(regions::path.like(pattern))
                        .select(regions::code);
                    people::table
                        .filter(people::emd_code.eq_any(places))
                        .select((people::risk_group, people::next_due))
                        .load(c)
                })?;
                let due = text(today);
                let overdue = rows.iter().filter(|(_, d)| *d < due).count() as i64;
                let by_group = RiskGroup::ALL
                    .into_iter()
                    .map(|g| {
                        (
                            g,
                            rows.iter().filter(|(x, _)| x == g.as_str()).count() as i64,
                        )
                    })
                    .collect();
                Ok((by_group, overdue))
            })
            .await
    }

    /// People of the places under a region, the most overdue first; each shown is logged.
    pub async fn list(
        &self,
        within: Option<String>,
        due_before: Option<Date>,
        offset: i64,
        limit: i64,
        actor: Actor,
    ) -> Result<Page<HealthSummary>, StoreError> {
        let page = self.read_list(within, due_before, offset, limit).await?;
        let read = listed(
            &actor,
            page.items
                .iter()
                .map(|p| (Subject::HealthPerson(p.id), p.emd_code.as_str())),
            None,
        );
        self.0.journal.append(read).await?;
        Ok(page)
    }

    /// Everyone of a list for download, each logged as exported with the stated purpose.
    pub async fn export(
        &self,
        within: Option<String>,
        due_before: Option<Date>,
        actor: Actor,
        purpose: Purpose,
    ) -> Result<Vec<HealthSummary>, StoreError> {
        let page = self.read_list(within, due_before, 0, i64::MAX).await?;
        let exported = listed(
            &actor,
            page.items
                .iter()
                .map(|p| (Subject::HealthPerson(p.id), p.emd_code.as_str())),
            Some(&purpose),
        );
        self.0.journal.append(exported).await?;
        Ok(page.items)
    }

    async fn read_list(
        &self,
        within: Option<String>,
        due_before: Option<Date>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<HealthSummary>, StoreError> {
        let key = self.0.data_key()?;
        let page = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let pattern = within.map_or_else(|| "%".to_owned(), |code| format!("%{code}%"));
                    macro_rules! filtered {
                        ($q:expr) => {{
                            let places = regions::table
                                .filter(regions::path.like(pattern.clone()))
                                .select(regions::code);
                            let mut q = $q.filter(people::emd_code.eq_any(places)).into_boxed();
                            if let Some(day) = due_before {
                                q = q.filter(people::next_due.lt(text(day)));
                            }
                            q
                        }};
                    }
                    let total: i64 = filtered!(people::table).count().get_result(c)?;
                    let rows: Vec<SummaryRow> = filtered!(summary_query!())
                        .order((people::next_due, people::id))
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
