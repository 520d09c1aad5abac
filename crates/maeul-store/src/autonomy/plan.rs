//! 자치계획 — autonomy plans: a place's plan per year and its items; putting the plan to a
//! draft assembly (its items join the ballot in the same transaction), the decision read back,
//! execution and the settlement. Every step is kept in `autonomy_plan_events`.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::autonomy::assembly::{Item as BallotItem, Rules, RulesError};
use maeul_core::autonomy::plan::{
    Decision, Funding, MAX_ITEMS, Placement, PlanError, PlanItem, Status,
};
use maeul_core::autonomy::project::ProjectError;
use maeul_core::region::RegionCode;
use maeul_core::topic::Topic;

use super::assembly::{lock_draft, replace_draft_rules};
use crate::db::{db_run, db_write_as};
use crate::schema::{
    agenda_items, assemblies, autonomy_plan_events, autonomy_plan_funds, autonomy_plan_items,
    autonomy_plans, linkages, practices, subcommittees, users,
};
use crate::{Store, StoreError, unix_now};

/// An item as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredItem {
    pub id: i64,
    pub item: PlanItem,
    /// The responsible subcommittee's name.
    pub subcommittee: Option<String>,
    /// Where it stands on the assembly's ballot, once put.
    pub placement: Option<Placement>,
    pub decision: Decision,
    /// 집행액 (원), once recorded.
    pub spent: Option<i64>,
    pub settlement_note: String,
    /// 추진률 (0–100 %), from the latest update.
    pub progress: u8,
}

/// A plan with its items in the order they were added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: i64,
    pub emd_code: String,
    pub year: i32,
    pub status: Status,
    pub assembly_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub items: Vec<StoredItem>,
    /// 재원별 확보액 — what the plan has from each funding source.
    pub funds: BTreeMap<Funding, i64>,
}

/// A step of a plan or a change of its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub action: String,
    pub detail: String,
    pub by: String,
    pub at: i64,
}

/// Why a command on a plan is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum PlanStoreError {
    #[error("no such plan or item")]
    NotFound,
    #[error("the place already has a plan for that year")]
    YearTaken,
    #[error("the plan is {0:?}, which does not allow this")]
    Status(Status),
    #[error("no such subcommittee or agenda item in the plan's place")]
    Elsewhere { field: &'static str },
    #[error("a plan holds at most {MAX_ITEMS} items")]
    Full,
    #[error("no such assembly in the plan's place")]
    AssemblyNotFound,
    #[error("the assembly's voting has opened: its ballot cannot change")]
    AssemblyFrozen,
    #[error("the item was not adopted")]
    NotAdopted,
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Rule(#[from] PlanError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for PlanStoreError {
    fn from(e: diesel::result::Error) -> Self {
        PlanStoreError::Store(e.into())
    }
}

/// How a decision was read back from the assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The result was valid: each item is adopted or not.
    Decided,
    /// The result was not valid: the plan is a draft again, to be put to another assembly.
    BackToDraft,
    /// An item's question is no longer on the ballot (renamed in the assembly): nothing changed.
    MissingFromBallot(String),
}

pub struct Plans<'a>(&'a Store);

impl Store {
    pub fn plans(&self) -> Plans<'_> {
        Plans(self)
    }
}

type PlanRow = (i64, String, i64, String, Option<i64>, i64, i64);

macro_rules! plan_columns {
    () => {
        (
            autonomy_plans::id,
            autonomy_plans::emd_code,
            autonomy_plans::year,
            autonomy_plans::status,
            autonomy_plans::assembly_id,
            autonomy_plans::created_at,
            autonomy_plans::updated_at,
        )
    };
}

pub(super) type ItemRow = (
    i64,
    i64,
    (String, String, String, i64, String),
    (Option<i64>, Option<i64>, Option<String>),
    (Option<String>, Option<String>, String, Option<i64>, String),
    i64,
);

macro_rules! item_query {
    () => {
        autonomy_plan_items::table
            .left_join(subcommittees::table)
            .select((
                autonomy_plan_items::id,
                autonomy_plan_items::plan_id,
                (
                    autonomy_plan_items::title,
                    autonomy_plan_items::description,
                    autonomy_plan_items::topic,
                    autonomy_plan_items::budget,
                    autonomy_plan_items::funding,
                ),
                (
                    autonomy_plan_items::subcommittee_id,
                    autonomy_plan_items::agenda_item_id,
                    subcommittees::name.nullable(),
                ),
                (
                    autonomy_plan_items::ballot_item,
                    autonomy_plan_items::ballot_option,
                    autonomy_plan_items::decision,
                    autonomy_plan_items::spent,
                    autonomy_plan_items::settlement_note,
                ),
                autonomy_plan_items::progress,
            ))
    };
}
pub(super) use item_query;

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("autonomy plan {what}"))
}

pub(super) fn item_of(r: ItemRow) -> Result<StoredItem, StoreError> {
    let (id, _, (title, description, topic, budget, funding), links, ballot, progress) = r;
    let (subcommittee_id, agenda_item_id, subcommittee) = links;
    let (ballot_item, option, decision, spent, settlement_note) = ballot;
    Ok(StoredItem {
        id,
        item: PlanItem {
            title,
            description,
            topic: Topic::parse(&topic).ok_or_else(|| corrupt("topic"))?,
            budget,
            funding: Funding::parse(&funding).ok_or_else(|| corrupt("funding"))?,
            subcommittee_id,
            agenda_item_id,
        },
        subcommittee,
        placement: ballot_item
            .zip(option)
            .map(|(ballot_item, option)| Placement {
                ballot_item,
                option,
            }),
        decision: Decision::parse(&decision).ok_or_else(|| corrupt("decision"))?,
        spent,
        settlement_note,
        progress: u8::try_from(progress)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| corrupt("progress"))?,
    })
}

fn plan_of(
    r: PlanRow,
    items: Vec<StoredItem>,
    funds: BTreeMap<Funding, i64>,
) -> Result<Plan, StoreError> {
    Ok(Plan {
        id: r.0,
        emd_code: r.1,
        year: r.2 as i32,
        status: Status::parse(&r.3).ok_or_else(|| corrupt("status"))?,
        assembly_id: r.4,
        created_at: r.5,
        updated_at: r.6,
        items,
        funds,
    })
}

/// Loads plans and their items on a connection.
macro_rules! load_plans {
    ($c:expr, $rows:expr) => {{
        let rows: Vec<PlanRow> = $rows;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        item_query!()
            .filter(autonomy_plan_items::plan_id.eq_any(&ids))
            .order(autonomy_plan_items::id)
            .load::<ItemRow>($c)
            .and_then(|items| {
                autonomy_plan_funds::table
                    .filter(autonomy_plan_funds::plan_id.eq_any(&ids))
                    .select((
                        autonomy_plan_funds::plan_id,
                        autonomy_plan_funds::funding,
                        autonomy_plan_funds::amount,
                    ))
                    .load::<(i64, String, i64)>($c)
                    .map(|funds| (items, funds))
            })
            .map_err(StoreError::from)
            .and_then(|(items, funds)| {
                let mut by_plan: BTreeMap<i64, Vec<StoredItem>> = BTreeMap::new();
                for row in items {
                    by_plan.entry(row.1).or_default().push(item_of(row)?);
                }
                let mut funds_of: BTreeMap<i64, BTreeMap<Funding, i64>> = BTreeMap::new();
                for (plan, funding, amount) in funds {
                    let funding = Funding::parse(&funding).ok_or_else(|| corrupt("funding"))?;
                    funds_of.entry(plan).or_default().insert(funding, amount);
                }
                rows.into_iter()
                    .map(|r| {
                        let items = by_plan.remove(&r.0).unwrap_or_default();
                        let funds = funds_of.remove(&r.0).unwrap_or_default();
                        plan_of(r, items, funds)
                    })
                    .collect::<Result<Vec<Plan>, StoreError>>()
            })
    }};
}

/// Takes the plan for a change allowed in `allowed` statuses: touching the row locks it on
/// PostgreSQL (SQLite's write transaction already holds the lock), so that steps of one plan
/// run one after another. Gives the plan's place and status.
macro_rules! take_plan {
    ($c:expr, $id:expr, $allowed:expr) => {{
        let found: Option<(String, String)> = diesel::update(autonomy_plans::table.find($id))
            .set(autonomy_plans::updated_at.eq(unix_now()))
            .returning((autonomy_plans::emd_code, autonomy_plans::status))
            .get_result($c)
            .optional()?;
        let (emd, status) = found.ok_or(PlanStoreError::NotFound)?;
        let status = Status::parse(&status).ok_or_else(|| corrupt("status"))?;
        if !$allowed.contains(&status) {
            return Err(PlanStoreError::Status(status));
        }
        (emd, status)
    }};
}
pub(super) use take_plan;

macro_rules! record_event {
    ($c:expr, $plan:expr, $action:expr, $detail:expr, $by:expr) => {
        diesel::insert_into(autonomy_plan_events::table)
            .values((
                autonomy_plan_events::plan_id.eq($plan),
                autonomy_plan_events::action.eq($action),
                autonomy_plan_events::detail.eq($detail),
                autonomy_plan_events::acted_by.eq($by),
                autonomy_plan_events::acted_at.eq(unix_now()),
            ))
            .execute($c)
    };
}
pub(super) use record_event;

/// Checks that an item's subcommittee and agenda item belong to the place `$emd`.
macro_rules! check_links {
    ($c:expr, $emd:expr, $item:expr) => {{
        if let Some(s) = $item.subcommittee_id {
            let n: i64 = subcommittees::table
                .filter(subcommittees::id.eq(s))
                .filter(subcommittees::emd_code.eq(&$emd))
                .count()
                .get_result($c)?;
            if n == 0 {
                return Err(PlanStoreError::Elsewhere {
                    field: "subcommittee_id",
                });
            }
        }
        if let Some(a) = $item.agenda_item_id {
            let n: i64 = agenda_items::table
                .filter(agenda_items::id.eq(a))
                .filter(agenda_items::emd_code.eq(&$emd))
                .count()
                .get_result($c)?;
            if n == 0 {
                return Err(PlanStoreError::Elsewhere {
                    field: "agenda_item_id",
                });
            }
        }
    }};
}

/// Takes a plan back to draft: its items leave the ballot's bookkeeping.
macro_rules! back_to_draft {
    ($c:expr, $plan:expr) => {
        diesel::update(autonomy_plan_items::table.filter(autonomy_plan_items::plan_id.eq($plan)))
            .set((
                autonomy_plan_items::ballot_item.eq(None::<String>),
                autonomy_plan_items::ballot_option.eq(None::<String>),
            ))
            .execute($c)
            .and_then(|_| {
                diesel::update(autonomy_plans::table.find($plan))
                    .set((
                        autonomy_plans::status.eq(Status::Draft.as_str()),
                        autonomy_plans::assembly_id.eq(None::<i64>),
                    ))
                    .execute($c)
            })
    };
}

impl Plans<'_> {
    /// Starts a place's plan for a year, in draft.
    pub async fn create(
        &self,
        emd: &RegionCode,
        year: i32,
        by: i64,
    ) -> Result<i64, PlanStoreError> {
        let emd = emd.to_string();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let now = unix_now();
                    let id: i64 = diesel::insert_into(autonomy_plans::table)
                        .values((
                            autonomy_plans::emd_code.eq(&emd),
                            autonomy_plans::year.eq(i64::from(year)),
                            autonomy_plans::status.eq(Status::Draft.as_str()),
                            autonomy_plans::created_by.eq(by),
                            autonomy_plans::created_at.eq(now),
                            autonomy_plans::updated_at.eq(now),
                        ))
                        .returning(autonomy_plans::id)
                        .get_result(c)
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict => PlanStoreError::YearTaken,
                            other => other.into(),
                        })?;
                    record_event!(c, id, "create", year.to_string(), by)?;
                    Ok(id)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<Plan>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = autonomy_plans::table
                        .filter(autonomy_plans::id.eq(id))
                        .select(plan_columns!())
                        .load(c)?;
                    Ok(load_plans!(c, rows)?.pop())
                })
            })
            .await
    }

    /// The plans of a place, latest year first.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<Plan>, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = autonomy_plans::table
                        .filter(autonomy_plans::emd_code.eq(&emd))
                        .order(autonomy_plans::year.desc())
                        .limit(100)
                        .select(plan_columns!())
                        .load(c)?;
                    load_plans!(c, rows)
                })
            })
            .await
    }

    /// The plan items that grew from an agenda item, with their plan's id and year.
    pub async fn items_of_agenda_item(
        &self,
        agenda_item: i64,
    ) -> Result<Vec<(i64, i32, StoredItem)>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<ItemRow> = item_query!()
                        .filter(autonomy_plan_items::agenda_item_id.eq(agenda_item))
                        .order(autonomy_plan_items::id)
                        .load(c)?;
                    let plans: Vec<i64> = rows.iter().map(|r| r.1).collect();
                    let years: BTreeMap<i64, i64> = autonomy_plans::table
                        .filter(autonomy_plans::id.eq_any(&plans))
                        .select((autonomy_plans::id, autonomy_plans::year))
                        .load::<(i64, i64)>(c)?
                        .into_iter()
                        .collect();
                    rows.into_iter()
                        .map(|row| {
                            let plan = row.1;
                            let year = years.get(&plan).ok_or_else(|| corrupt("plan"))?;
                            Ok((plan, *year as i32, item_of(row)?))
                        })
                        .collect()
                })
            })
            .await
    }

    /// Steps and changes of a plan, oldest first, with who made them.
    pub async fn events(&self, id: i64) -> Result<Vec<Event>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<(String, String, String, i64)> = autonomy_plan_events::table
                        .inner_join(users::table)
                        .filter(autonomy_plan_events::plan_id.eq(id))
                        .order(autonomy_plan_events::id)
                        .select((
                            autonomy_plan_events::action,
                            autonomy_plan_events::detail,
                            users::name,
                            autonomy_plan_events::acted_at,
                        ))
                        .load(c)?;
                    Ok(rows
                        .into_iter()
                        .map(|(action, detail, by, at)| Event {
                            action,
                            detail,
                            by,
                            at,
                        })
                        .collect())
                })
            })
            .await
    }

    /// The plan an item belongs to.
    pub async fn plan_of_item(&self, item: i64) -> Result<Option<i64>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(autonomy_plan_items::table
                        .find(item)
                        .select(autonomy_plan_items::plan_id)
                        .first(c)
                        .optional()?)
                })
            })
            .await
    }

    /// Adds an item to a draft.
    pub async fn add_item(
        &self,
        plan: i64,
        item: PlanItem,
        by: i64,
    ) -> Result<i64, PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (emd, _) = take_plan!(c, plan, [Status::Draft]);
                    check_links!(c, emd, item);
                    let n: i64 = autonomy_plan_items::table
                        .filter(autonomy_plan_items::plan_id.eq(plan))
                        .count()
                        .get_result(c)?;
                    if n as usize >= MAX_ITEMS {
                        return Err(PlanStoreError::Full);
                    }
                    let id: i64 = diesel::insert_into(autonomy_plan_items::table)
                        .values((
                            autonomy_plan_items::plan_id.eq(plan),
                            autonomy_plan_items::title.eq(&item.title),
                            autonomy_plan_items::description.eq(&item.description),
                            autonomy_plan_items::topic.eq(item.topic.as_str()),
                            autonomy_plan_items::budget.eq(item.budget),
                            autonomy_plan_items::funding.eq(item.funding.as_str()),
                            autonomy_plan_items::subcommittee_id.eq(item.subcommittee_id),
                            autonomy_plan_items::agenda_item_id.eq(item.agenda_item_id),
                            autonomy_plan_items::decision.eq(Decision::Pending.as_str()),
                            autonomy_plan_items::created_at.eq(unix_now()),
                        ))
                        .returning(autonomy_plan_items::id)
                        .get_result(c)?;
                    record_event!(c, plan, "add_item", &item.title, by)?;
                    Ok(id)
                })
            })
            .await
    }

    /// Changes an item of a draft.
    pub async fn update_item(
        &self,
        plan: i64,
        id: i64,
        item: PlanItem,
        by: i64,
    ) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (emd, _) = take_plan!(c, plan, [Status::Draft]);
                    check_links!(c, emd, item);
                    let changed = diesel::update(
                        autonomy_plan_items::table
                            .filter(autonomy_plan_items::id.eq(id))
                            .filter(autonomy_plan_items::plan_id.eq(plan)),
                    )
                    .set((
                        autonomy_plan_items::title.eq(&item.title),
                        autonomy_plan_items::description.eq(&item.description),
                        autonomy_plan_items::topic.eq(item.topic.as_str()),
                        autonomy_plan_items::budget.eq(item.budget),
                        autonomy_plan_items::funding.eq(item.funding.as_str()),
                        autonomy_plan_items::subcommittee_id.eq(item.subcommittee_id),
                        autonomy_plan_items::agenda_item_id.eq(item.agenda_item_id),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        return Err(PlanStoreError::NotFound);
                    }
                    record_event!(c, plan, "update_item", &item.title, by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Removes an item of a draft.
    pub async fn remove_item(&self, plan: i64, id: i64, by: i64) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(c, plan, [Status::Draft]);
                    // A linkage to a programme outlives the item it was started from.
                    diesel::update(linkages::table.filter(linkages::plan_item_id.eq(id)))
                        .set(linkages::plan_item_id.eq(None::<i64>))
                        .execute(c)?;
                    // So does a good-practice case that named it.
                    diesel::update(practices::table.filter(practices::plan_item_id.eq(id)))
                        .set(practices::plan_item_id.eq(None::<i64>))
                        .execute(c)?;
                    let title: Option<String> = diesel::delete(
                        autonomy_plan_items::table
                            .filter(autonomy_plan_items::id.eq(id))
                            .filter(autonomy_plan_items::plan_id.eq(plan)),
                    )
                    .returning(autonomy_plan_items::title)
                    .get_result(c)
                    .optional()?;
                    let title = title.ok_or(PlanStoreError::NotFound)?;
                    record_event!(c, plan, "remove_item", &title, by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Puts a draft to a draft assembly of its place: `ballot` turns the plan's items
    /// (title, budget) and the assembly's current rules into the new rules and each item's
    /// placement. The assembly's ballot and the plan change in one transaction.
    pub async fn put_to_assembly<F>(
        &self,
        plan: i64,
        assembly: i64,
        by: i64,
        ballot: F,
    ) -> Result<(), PlanStoreError>
    where
        F: FnOnce(&[(String, i64)], &Rules) -> Result<(Vec<BallotItem>, Vec<Placement>), PlanError>
            + Send
            + 'static,
    {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (emd, _) = take_plan!(c, plan, [Status::Draft]);
                    // Locks the assembly too, so that plans put to it at once, or an edit of
                    // its rules, each start from what the other wrote.
                    let Some((at, rules)) = lock_draft!(c, assembly)? else {
                        let found: Option<String> = assemblies::table
                            .find(assembly)
                            .select(assemblies::emd_code)
                            .first(c)
                            .optional()?;
                        return Err(match found {
                            Some(at) if at == emd => PlanStoreError::AssemblyFrozen,
                            _ => PlanStoreError::AssemblyNotFound,
                        });
                    };
                    if at != emd {
                        return Err(PlanStoreError::AssemblyNotFound);
                    }
                    let mut rules: Rules = serde_json::from_str(&rules)
                        .map_err(|e| StoreError::Corrupt(format!("assembly rules: {e}")))?;
                    let items: Vec<(i64, String, i64)> = autonomy_plan_items::table
                        .filter(autonomy_plan_items::plan_id.eq(plan))
                        .order(autonomy_plan_items::id)
                        .select((
                            autonomy_plan_items::id,
                            autonomy_plan_items::title,
                            autonomy_plan_items::budget,
                        ))
                        .load(c)?;
                    let priced: Vec<(String, i64)> =
                        items.iter().map(|(_, t, b)| (t.clone(), *b)).collect();
                    let (new, placements) = ballot(&priced, &rules)?;
                    rules.items.extend(new);
                    let rules = Rules::new(rules)?;
                    if replace_draft_rules!(c, assembly, rules)? == 0 {
                        return Err(PlanStoreError::AssemblyFrozen);
                    }
                    for ((id, _, _), p) in items.iter().zip(&placements) {
                        diesel::update(autonomy_plan_items::table.find(id))
                            .set((
                                autonomy_plan_items::ballot_item.eq(&p.ballot_item),
                                autonomy_plan_items::ballot_option.eq(&p.option),
                            ))
                            .execute(c)?;
                    }
                    diesel::update(autonomy_plans::table.find(plan))
                        .set((
                            autonomy_plans::status.eq(Status::AtAssembly.as_str()),
                            autonomy_plans::assembly_id.eq(assembly),
                        ))
                        .execute(c)?;
                    record_event!(c, plan, "put_to_assembly", &rules.title, by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Withdraws a plan from an assembly that has not opened: its questions leave the ballot
    /// and the plan is a draft again.
    pub async fn withdraw(&self, plan: i64, by: i64) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(c, plan, [Status::AtAssembly]);
                    let assembly: Option<i64> = autonomy_plans::table
                        .find(plan)
                        .select(autonomy_plans::assembly_id)
                        .first(c)?;
                    let assembly = assembly.ok_or_else(|| corrupt("assembly"))?;
                    let Some((_, rules)) = lock_draft!(c, assembly)? else {
                        return Err(PlanStoreError::AssemblyFrozen);
                    };
                    let mut rules: Rules = serde_json::from_str(&rules)
                        .map_err(|e| StoreError::Corrupt(format!("assembly rules: {e}")))?;
                    let placed: Vec<Option<String>> = autonomy_plan_items::table
                        .filter(autonomy_plan_items::plan_id.eq(plan))
                        .select(autonomy_plan_items::ballot_item)
                        .load(c)?;
                    let placed: Vec<String> = placed.into_iter().flatten().collect();
                    rules.items.retain(|i| !placed.contains(&i.title));
                    // An assembly needs an item: one that held only the plan keeps its rules
                    // (the council removes or replaces them), the plan is withdrawn all the same.
                    if let Ok(rules) = Rules::new(rules) {
                        replace_draft_rules!(c, assembly, rules)?;
                    }
                    back_to_draft!(c, plan)?;
                    record_event!(c, plan, "withdrawn", "", by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Records the decision of the plan's assembly: `winners` per question title of a valid
    /// result, or `None` when the result was not valid (the plan goes back to draft).
    pub async fn record_decision(
        &self,
        plan: i64,
        assembly: i64,
        winners: Option<BTreeMap<String, Vec<String>>>,
        detail: String,
        by: i64,
    ) -> Result<Outcome, PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(c, plan, [Status::AtAssembly]);
                    // The result read must be of the assembly the plan stands at now (a
                    // request that raced a withdrawal and a new put would apply another's).
                    let at: Option<i64> = autonomy_plans::table
                        .find(plan)
                        .select(autonomy_plans::assembly_id)
                        .first(c)?;
                    if at != Some(assembly) {
                        return Err(PlanStoreError::Status(Status::AtAssembly));
                    }
                    let Some(winners) = winners else {
                        back_to_draft!(c, plan)?;
                        record_event!(c, plan, "assembly_not_valid", &detail, by)?;
                        return Ok(Outcome::BackToDraft);
                    };
                    let items: Vec<(i64, Option<String>, Option<String>)> =
                        autonomy_plan_items::table
                            .filter(autonomy_plan_items::plan_id.eq(plan))
                            .select((
                                autonomy_plan_items::id,
                                autonomy_plan_items::ballot_item,
                                autonomy_plan_items::ballot_option,
                            ))
                            .load(c)?;
                    let mut decided = Vec::with_capacity(items.len());
                    for (id, ballot_item, option) in items {
                        let placement = ballot_item
                            .zip(option)
                            .map(|(ballot_item, option)| Placement {
                                ballot_item,
                                option,
                            })
                            .ok_or_else(|| corrupt("placement"))?;
                        match maeul_core::autonomy::plan::decision_of(&placement, &winners) {
                            Some(d) => decided.push((id, d)),
                            None => return Ok(Outcome::MissingFromBallot(placement.ballot_item)),
                        }
                    }
                    for (id, d) in decided {
                        diesel::update(autonomy_plan_items::table.find(id))
                            .set(autonomy_plan_items::decision.eq(d.as_str()))
                            .execute(c)?;
                    }
                    diesel::update(autonomy_plans::table.find(plan))
                        .set(autonomy_plans::status.eq(Status::Adopted.as_str()))
                        .execute(c)?;
                    record_event!(c, plan, "decided", &detail, by)?;
                    Ok(Outcome::Decided)
                })
            })
            .await
    }

    /// Sets what the plan has from each funding source (sources left out have nothing); until
    /// the plan is closed, since money is often confirmed during the year.
    pub async fn set_funds(
        &self,
        plan: i64,
        funds: BTreeMap<Funding, i64>,
        by: i64,
    ) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(
                        c,
                        plan,
                        [
                            Status::Draft,
                            Status::AtAssembly,
                            Status::Adopted,
                            Status::Executing
                        ]
                    );
                    diesel::delete(
                        autonomy_plan_funds::table.filter(autonomy_plan_funds::plan_id.eq(plan)),
                    )
                    .execute(c)?;
                    let rows: Vec<_> = funds
                        .iter()
                        .map(|(f, a)| {
                            (
                                autonomy_plan_funds::plan_id.eq(plan),
                                autonomy_plan_funds::funding.eq(f.as_str()),
                                autonomy_plan_funds::amount.eq(*a),
                            )
                        })
                        .collect();
                    if !rows.is_empty() {
                        diesel::insert_into(autonomy_plan_funds::table)
                            .values(&rows)
                            .execute(c)?;
                    }
                    let detail: Vec<String> = funds
                        .iter()
                        .map(|(f, a)| format!("{}: {a}", f.as_str()))
                        .collect();
                    record_event!(c, plan, "funds", detail.join(", "), by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Moves a plan one step on: adopted → executing, or executing → closed.
    pub async fn advance(&self, plan: i64, to: Status, by: i64) -> Result<(), PlanStoreError> {
        let from = match to {
            Status::Executing => Status::Adopted,
            Status::Closed => Status::Executing,
            other => return Err(PlanStoreError::Status(other)),
        };
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(c, plan, [from]);
                    diesel::update(autonomy_plans::table.find(plan))
                        .set(autonomy_plans::status.eq(to.as_str()))
                        .execute(c)?;
                    record_event!(c, plan, to.as_str(), "", by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Records what an adopted item spent (the settlement's figure), while the plan executes.
    pub async fn record_spending(
        &self,
        plan: i64,
        id: i64,
        spent: i64,
        note: String,
        by: i64,
    ) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    take_plan!(c, plan, [Status::Executing]);
                    let found: Option<(String, String)> = autonomy_plan_items::table
                        .filter(autonomy_plan_items::id.eq(id))
                        .filter(autonomy_plan_items::plan_id.eq(plan))
                        .select((autonomy_plan_items::title, autonomy_plan_items::decision))
                        .first(c)
                        .optional()?;
                    let (title, decision) = found.ok_or(PlanStoreError::NotFound)?;
                    if decision != Decision::Adopted.as_str() {
                        return Err(PlanStoreError::NotAdopted);
                    }
                    diesel::update(autonomy_plan_items::table.find(id))
                        .set((
                            autonomy_plan_items::spent.eq(spent),
                            autonomy_plan_items::settlement_note.eq(&note),
                        ))
                        .execute(c)?;
                    record_event!(c, plan, "spending", format!("{title}: {spent}"), by)?;
                    Ok(())
                })
            })
            .await
    }
}
