//! 사업 실행 — projects: the adopted items of a place's plans with their milestones and public
//! updates. Every change takes the plan's row first (as the plan's own steps do), so that a
//! project changes only while its plan is adopted or executing, and is kept in the plan's
//! history.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::autonomy::plan::{Decision, Status};
use maeul_core::autonomy::project::{MAX_MILESTONES, Milestone, ProjectError, Update};
use maeul_core::region::RegionCode;
use time::Date;

use super::plan::{
    ItemRow, PlanStoreError, StoredItem, corrupt, item_of, item_query, record_event, take_plan,
};
use crate::db::{db_run, db_write_as};
use crate::schema::{
    autonomy_plan_events, autonomy_plan_items, autonomy_plan_milestones, autonomy_plan_updates,
    autonomy_plans, subcommittees,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

/// A milestone as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMilestone {
    pub id: i64,
    pub title: String,
    pub due_on: Date,
    pub done_on: Option<Date>,
}

/// An update as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUpdate {
    pub id: i64,
    pub body: String,
    pub progress: u8,
    pub spent: Option<i64>,
    pub posted_at: i64,
}

/// An adopted plan item with its plan, milestones (by due day) and updates (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub plan_id: i64,
    pub emd_code: String,
    pub year: i32,
    pub plan_status: Status,
    pub item: StoredItem,
    pub milestones: Vec<StoredMilestone>,
    pub updates: Vec<StoredUpdate>,
}

pub struct Projects<'a>(&'a Store);

impl Store {
    pub fn projects(&self) -> Projects<'_> {
        Projects(self)
    }
}

/// Plans whose adopted items are projects.
const DECIDED: [Status; 3] = [Status::Adopted, Status::Executing, Status::Closed];
/// Plans whose projects may change.
const OPEN: [Status; 2] = [Status::Adopted, Status::Executing];

type MilestoneRow = (i64, i64, String, String, Option<String>);
type UpdateRow = (i64, i64, String, i64, Option<i64>, i64);

fn milestone_of(r: MilestoneRow) -> Result<(i64, StoredMilestone), StoreError> {
    Ok((
        r.1,
        StoredMilestone {
            id: r.0,
            title: r.2,
            due_on: date(&r.3)?,
            done_on: r.4.as_deref().map(date).transpose()?,
        },
    ))
}

fn update_of(r: UpdateRow) -> Result<(i64, StoredUpdate), StoreError> {
    Ok((
        r.1,
        StoredUpdate {
            id: r.0,
            body: r.2,
            progress: u8::try_from(r.3).map_err(|_| corrupt("progress"))?,
            spent: r.4,
            posted_at: r.5,
        },
    ))
}

/// Loads the projects of the given adopted item rows: their plans, milestones and updates
/// (`latest_only` keeps each project's newest update, for lists).
macro_rules! load_projects {
    ($c:expr, $rows:expr, $latest_only:expr) => {{
        let rows: Vec<ItemRow> = $rows;
        let items: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let plans: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let plan_rows: Vec<(i64, String, i64, String)> = autonomy_plans::table
            .filter(autonomy_plans::id.eq_any(&plans))
            .select((
                autonomy_plans::id,
                autonomy_plans::emd_code,
                autonomy_plans::year,
                autonomy_plans::status,
            ))
            .load($c)?;
        let milestone_rows: Vec<MilestoneRow> = autonomy_plan_milestones::table
            .filter(autonomy_plan_milestones::item_id.eq_any(&items))
            .order((
                autonomy_plan_milestones::due_on,
                autonomy_plan_milestones::id,
            ))
            .select((
                autonomy_plan_milestones::id,
                autonomy_plan_milestones::item_id,
                autonomy_plan_milestones::title,
                autonomy_plan_milestones::due_on,
                autonomy_plan_milestones::done_on,
            ))
            .load($c)?;
        let updates = autonomy_plan_updates::table
            .order(autonomy_plan_updates::id.desc())
            .select((
                autonomy_plan_updates::id,
                autonomy_plan_updates::item_id,
                autonomy_plan_updates::body,
                autonomy_plan_updates::progress,
                autonomy_plan_updates::spent,
                autonomy_plan_updates::posted_at,
            ));
        let update_rows: Vec<UpdateRow> = if $latest_only {
            // For a list, only each project's newest update is read.
            let newest: Vec<Option<i64>> = autonomy_plan_updates::table
                .filter(autonomy_plan_updates::item_id.eq_any(&items))
                .group_by(autonomy_plan_updates::item_id)
                .select(diesel::dsl::max(autonomy_plan_updates::id))
                .load($c)?;
            let newest: Vec<i64> = newest.into_iter().flatten().collect();
            updates
                .filter(autonomy_plan_updates::id.eq_any(&newest))
                .load($c)?
        } else {
            updates
                .filter(autonomy_plan_updates::item_id.eq_any(&items))
                .load($c)?
        };
        assemble(rows, plan_rows, milestone_rows, update_rows)
    }};
}

fn assemble(
    rows: Vec<ItemRow>,
    plan_rows: Vec<(i64, String, i64, String)>,
    milestone_rows: Vec<MilestoneRow>,
    update_rows: Vec<UpdateRow>,
) -> Result<Vec<Project>, StoreError> {
    let mut plans = BTreeMap::new();
    for (id, emd, year, status) in plan_rows {
        let status = Status::parse(&status).ok_or_else(|| corrupt("status"))?;
        plans.insert(id, (emd, year as i32, status));
    }
    let mut milestones: BTreeMap<i64, Vec<StoredMilestone>> = BTreeMap::new();
    for r in milestone_rows {
        let (item, m) = milestone_of(r)?;
        milestones.entry(item).or_default().push(m);
    }
    let mut updates: BTreeMap<i64, Vec<StoredUpdate>> = BTreeMap::new();
    for r in update_rows {
        let (item, u) = update_of(r)?;
        updates.entry(item).or_default().push(u);
    }
    rows.into_iter()
        .map(|row| {
            let plan_id = row.1;
            let (emd_code, year, plan_status) = plans
                .get(&plan_id)
                .cloned()
                .ok_or_else(|| corrupt("plan"))?;
            let item = item_of(row)?;
            Ok(Project {
                plan_id,
                emd_code,
                year,
                plan_status,
                milestones: milestones.remove(&item.id).unwrap_or_default(),
                updates: updates.remove(&item.id).unwrap_or_default(),
                item,
            })
        })
        .collect()
}

/// Takes an adopted item's plan for a change (see `take_plan!`) while the plan is adopted or
/// executing; gives the plan's id, status and the item's title.
macro_rules! take_project {
    ($c:expr, $item:expr) => {{
        let found: Option<(i64, String, String)> = autonomy_plan_items::table
            .find($item)
            .select((
                autonomy_plan_items::plan_id,
                autonomy_plan_items::title,
                autonomy_plan_items::decision,
            ))
            .first($c)
            .optional()?;
        let (plan, title, decision) = found.ok_or(PlanStoreError::NotFound)?;
        let (_, status) = take_plan!($c, plan, OPEN);
        if decision != Decision::Adopted.as_str() {
            return Err(PlanStoreError::NotAdopted);
        }
        (plan, status, title)
    }};
}

impl Projects<'_> {
    /// The projects of a place: the adopted items of its decided plans, latest year first,
    /// each with its newest update only.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<Project>, StoreError> {
        let emd = emd.to_string();
        let decided: Vec<&str> = DECIDED.iter().map(|s| s.as_str()).collect();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<ItemRow> = item_query!()
                        .inner_join(autonomy_plans::table)
                        .filter(autonomy_plans::emd_code.eq(&emd))
                        .filter(autonomy_plans::status.eq_any(&decided))
                        .filter(autonomy_plan_items::decision.eq(Decision::Adopted.as_str()))
                        .order((autonomy_plans::year.desc(), autonomy_plan_items::id))
                        .limit(1_000)
                        .load(c)?;
                    load_projects!(c, rows, true)
                })
            })
            .await
    }

    /// One project with all its updates; `None` for an item that is not adopted in a decided
    /// plan.
    pub async fn get(&self, item: i64) -> Result<Option<Project>, StoreError> {
        let decided: Vec<&str> = DECIDED.iter().map(|s| s.as_str()).collect();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<ItemRow> = item_query!()
                        .inner_join(autonomy_plans::table)
                        .filter(autonomy_plan_items::id.eq(item))
                        .filter(autonomy_plans::status.eq_any(&decided))
                        .filter(autonomy_plan_items::decision.eq(Decision::Adopted.as_str()))
                        .load(c)?;
                    Ok(load_projects!(c, rows, false)?.pop())
                })
            })
            .await
    }

    /// Plans a milestone of an adopted item.
    pub async fn add_milestone(
        &self,
        item: i64,
        milestone: Milestone,
        by: i64,
    ) -> Result<i64, PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (plan, _, title) = take_project!(c, item);
                    let n: i64 = autonomy_plan_milestones::table
                        .filter(autonomy_plan_milestones::item_id.eq(item))
                        .count()
                        .get_result(c)?;
                    if n as usize >= MAX_MILESTONES {
                        return Err(ProjectError::TooManyMilestones.into());
                    }
                    let id: i64 = diesel::insert_into(autonomy_plan_milestones::table)
                        .values((
                            autonomy_plan_milestones::item_id.eq(item),
                            autonomy_plan_milestones::title.eq(&milestone.title),
                            autonomy_plan_milestones::due_on.eq(text(milestone.due_on)),
                            autonomy_plan_milestones::created_at.eq(unix_now()),
                        ))
                        .returning(autonomy_plan_milestones::id)
                        .get_result(c)?;
                    let detail =
                        format!("{title}: {} ({})", milestone.title, text(milestone.due_on));
                    record_event!(c, plan, "milestone", detail, by)?;
                    Ok(id)
                })
            })
            .await
    }

    /// Marks a milestone of an adopted item done on a day (a later mark corrects the day).
    pub async fn complete_milestone(
        &self,
        item: i64,
        milestone: i64,
        done_on: Date,
        by: i64,
    ) -> Result<(), PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (plan, _, title) = take_project!(c, item);
                    let found: Option<String> = diesel::update(
                        autonomy_plan_milestones::table
                            .filter(autonomy_plan_milestones::id.eq(milestone))
                            .filter(autonomy_plan_milestones::item_id.eq(item)),
                    )
                    .set(autonomy_plan_milestones::done_on.eq(text(done_on)))
                    .returning(autonomy_plan_milestones::title)
                    .get_result(c)
                    .optional()?;
                    let step = found.ok_or(PlanStoreError::NotFound)?;
                    let detail = format!("{title}: {step} ({})", text(done_on));
                    record_event!(c, plan, "milestone_done", detail, by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Posts a public update on an adopted item: its progress becomes the update's, and the
    /// spending so far, when given, becomes the item's recorded spending (only while the plan
    /// executes, as for the settlement's own figure).
    pub async fn post_update(
        &self,
        item: i64,
        update: Update,
        by: i64,
    ) -> Result<i64, PlanStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PlanStoreError, |c| {
                    let (plan, status, title) = take_project!(c, item);
                    if update.spent.is_some() && status != Status::Executing {
                        return Err(PlanStoreError::Status(status));
                    }
                    let id: i64 = diesel::insert_into(autonomy_plan_updates::table)
                        .values((
                            autonomy_plan_updates::item_id.eq(item),
                            autonomy_plan_updates::body.eq(&update.body),
                            autonomy_plan_updates::progress.eq(i64::from(update.progress)),
                            autonomy_plan_updates::spent.eq(update.spent),
                            autonomy_plan_updates::posted_by.eq(by),
                            autonomy_plan_updates::posted_at.eq(unix_now()),
                        ))
                        .returning(autonomy_plan_updates::id)
                        .get_result(c)?;
                    let progress = autonomy_plan_items::progress.eq(i64::from(update.progress));
                    match update.spent {
                        Some(spent) => diesel::update(autonomy_plan_items::table.find(item))
                            .set((progress, autonomy_plan_items::spent.eq(spent)))
                            .execute(c)?,
                        None => diesel::update(autonomy_plan_items::table.find(item))
                            .set(progress)
                            .execute(c)?,
                    };
                    let mut detail = format!("{title}: {}%", update.progress);
                    if let Some(spent) = update.spent {
                        detail.push_str(&format!(", {spent}"));
                    }
                    record_event!(c, plan, "update", detail, by)?;
                    Ok(id)
                })
            })
            .await
    }
}
