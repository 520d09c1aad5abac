//! 사업 실행 — what happened to what the residents voted for: each adopted item of an autonomy
//! plan is a project with milestones, progress, spending and public updates. Anyone may read
//! them; council officers and autonomy staff of the place keep them. The API is here; the
//! pages, which use the same checks, are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::project::{self as rules, Milestone, ProjectError, Update, schedule};
use maeul_core::format::parse_day;
use maeul_store::autonomy::project::Project;
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::council::emd;
use super::plan::{plan_problem, rule_problem};
use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::welfare::{day, today};
use crate::{AppState, Created, record_id, rfc3339};

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api))
        .api(Access::Public, routes!(show_api))
        .api(MANAGE, routes!(milestone_api))
        .api(MANAGE, routes!(completion_api))
        .api(MANAGE, routes!(update_api));
    pages::routes(r)
}

pub(crate) fn project_problem(e: ProjectError) -> Problem {
    let key = match e {
        ProjectError::Title => "project.error.title",
        ProjectError::Body => "project.error.body",
        ProjectError::Progress => "project.error.progress",
        ProjectError::DueOutside => "project.error.due_outside",
        ProjectError::DoneOutside => "project.error.done_outside",
        ProjectError::TooManyMilestones => "project.error.too_many",
        ProjectError::Plan(e) => return rule_problem(e),
    };
    Problem::field(e.field(), key)
}

/// A project and its place; 404 for an item that is not an adopted item of a decided plan.
pub(crate) async fn project(state: &AppState, item: &str) -> Result<(Project, StoredRegion)> {
    let p = state
        .store
        .projects()
        .get(record_id(item)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = emd(state, &p.emd_code).await?;
    Ok((p, place))
}

/// The project when the user may keep it (404 otherwise, as for plans).
async fn project_for(state: &AppState, user: &Principal, item: &str) -> Result<Project> {
    let (p, place) = project(state, item).await?;
    if !user.may_in(Permission::ManageCouncil, &place.path) {
        return Err(Problem::not_found());
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneOut {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// `YYYY-MM-DD`, once done.
    pub done_on: Option<String>,
    /// Not done and due before today (Korean calendar day).
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateOut {
    pub id: i64,
    pub body: String,
    /// 0–100 %.
    pub progress: u8,
    /// Spending so far (원), when the update gave it.
    pub spent: Option<i64>,
    pub posted_at: String,
}

/// Where the milestones stand today.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleOut {
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
    /// The earliest due day of the milestones not done, `YYYY-MM-DD`.
    pub next_due: Option<String>,
}

/// An adopted plan item carried out.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    /// The plan item's id.
    pub id: i64,
    pub plan_id: i64,
    pub year: i32,
    pub region_code: String,
    /// The plan's status: `adopted`, `executing` or `closed`.
    pub plan_status: String,
    pub title: String,
    pub description: String,
    pub topic: String,
    pub subcommittee: Option<String>,
    pub agenda_item_id: Option<i64>,
    /// 원
    pub budget: i64,
    /// 원, once recorded.
    pub spent: Option<i64>,
    /// 0–100 %, from the latest update.
    pub progress: u8,
    pub schedule: ScheduleOut,
    /// By due day.
    pub milestones: Vec<MilestoneOut>,
    /// Newest first; in lists only the newest.
    pub updates: Vec<UpdateOut>,
}

/// The milestones of a project as the core counts them.
fn states(p: &Project) -> Vec<rules::MilestoneState> {
    p.milestones
        .iter()
        .map(|m| rules::MilestoneState {
            due_on: m.due_on,
            done_on: m.done_on,
        })
        .collect()
}

impl ProjectOut {
    fn of(p: &Project, today: Date) -> Self {
        let s = schedule(&states(p), today);
        ProjectOut {
            id: p.item.id,
            plan_id: p.plan_id,
            year: p.year,
            region_code: p.emd_code.clone(),
            plan_status: p.plan_status.as_str().to_owned(),
            title: p.item.item.title.clone(),
            description: p.item.item.description.clone(),
            topic: p.item.item.topic.as_str().to_owned(),
            subcommittee: p.item.subcommittee.clone(),
            agenda_item_id: p.item.item.agenda_item_id,
            budget: p.item.item.budget,
            spent: p.item.spent,
            progress: p.item.progress,
            schedule: ScheduleOut {
                done: s.done,
                total: s.total,
                overdue: s.overdue,
                next_due: s.next_due.map(day),
            },
            milestones: p
                .milestones
                .iter()
                .map(|m| MilestoneOut {
                    id: m.id,
                    title: m.title.clone(),
                    due_on: day(m.due_on),
                    done_on: m.done_on.map(day),
                    overdue: m.done_on.is_none() && m.due_on < today,
                })
                .collect(),
            updates: p
                .updates
                .iter()
                .map(|u| UpdateOut {
                    id: u.id,
                    body: u.body.clone(),
                    progress: u.progress,
                    spent: u.spent,
                    posted_at: rfc3339(u.posted_at),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectListOut {
    pub items: Vec<ProjectOut>,
}

/// The projects of an eup/myeon/dong: the adopted items of its decided plans, latest year first.
#[utoipa::path(get, path = "/regions/{code}/projects", tag = "autonomy",
    params(("code" = String, Path, description = "eup/myeon/dong code")),
    responses(
        (status = 200, body = ProjectListOut),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ProjectListOut>> {
    let place = emd(&state, &code).await?;
    let today = today();
    let items = state
        .store
        .projects()
        .of_place(&place.region.code)
        .await?
        .iter()
        .map(|p| ProjectOut::of(p, today))
        .collect();
    Ok(Json(ProjectListOut { items }))
}

/// One project with its milestones and every update.
#[utoipa::path(get, path = "/projects/{item}", tag = "autonomy",
    params(("item" = i64, Path, description = "The adopted plan item")),
    responses(
        (status = 200, body = ProjectOut),
        (status = 404, description = "No such adopted item", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(item): Path<String>,
) -> Result<Json<ProjectOut>> {
    let (p, _) = project(&state, &item).await?;
    Ok(Json(ProjectOut::of(&p, today())))
}

// ---------------------------------------------------------------------------------------
// Keeping a project

#[derive(Debug, Deserialize, ToSchema)]
pub struct MilestoneIn {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// `YYYY-MM-DD`, from the year before the plan's year to the year after it.
    #[schema(example = "2027-04-30", format = Date)]
    pub due_on: String,
}

/// Plans a milestone.
pub(crate) async fn add_milestone(
    state: &AppState,
    user: &Principal,
    item: &str,
    input: MilestoneIn,
) -> Result<i64> {
    let p = project_for(state, user, item).await?;
    let due_on = parse_day(&input.due_on).ok_or_else(|| Problem::field("due_on", "field.date"))?;
    let milestone = Milestone::new(&input.title, due_on, p.year).map_err(project_problem)?;
    state
        .store
        .projects()
        .add_milestone(p.item.id, milestone, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Plans a milestone of an adopted item, while its plan is adopted or executing.
#[utoipa::path(post, path = "/projects/{item}/milestones", tag = "autonomy",
    params(("item" = i64, Path)), request_body = MilestoneIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such adopted item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is closed", content_type = "application/problem+json"),
        (status = 422, description = "No title, a bad day or too many milestones", content_type = "application/problem+json"),
    ))]
async fn milestone_api(
    State(state): State<AppState>,
    User(user): User,
    Path(item): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = add_milestone(&state, &user, &item, json_body::<MilestoneIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CompletionIn {
    /// `YYYY-MM-DD`, from the year before the plan's year to today; today when left out.
    #[serde(default)]
    #[schema(example = "2027-04-28", format = Date)]
    pub done_on: Option<String>,
}

/// Marks a milestone done.
pub(crate) async fn complete(
    state: &AppState,
    user: &Principal,
    item: &str,
    milestone: &str,
    input: CompletionIn,
) -> Result<()> {
    let p = project_for(state, user, item).await?;
    let milestone = record_id(milestone)?;
    let today = today();
    let done_on = match input.done_on.as_deref() {
        None => today,
        Some(d) => parse_day(d).ok_or_else(|| Problem::field("done_on", "field.date"))?,
    };
    let done_on = rules::done_on(done_on, today, p.year).map_err(project_problem)?;
    state
        .store
        .projects()
        .complete_milestone(p.item.id, milestone, done_on, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Marks a milestone done on a day (a later mark corrects the day).
#[utoipa::path(post, path = "/projects/{item}/milestones/{milestone}/completion", tag = "autonomy",
    params(("item" = i64, Path), ("milestone" = i64, Path)),
    request_body = CompletionIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked done"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such milestone in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is closed", content_type = "application/problem+json"),
        (status = 422, description = "A bad day or one in the future", content_type = "application/problem+json"),
    ))]
async fn completion_api(
    State(state): State<AppState>,
    User(user): User,
    Path((item, milestone)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode> {
    complete(&state, &user, &item, &milestone, json_body(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateIn {
    /// What was done, for residents to read.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
    /// Progress after it, 0–100 %.
    #[schema(minimum = 0, maximum = 100)]
    pub progress: i64,
    /// Spending so far (원), while the plan executes; it becomes the item's recorded spending.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub spent: Option<i64>,
}

/// Posts an update.
pub(crate) async fn post_update(
    state: &AppState,
    user: &Principal,
    item: &str,
    input: UpdateIn,
) -> Result<i64> {
    let p = project_for(state, user, item).await?;
    let update = Update::new(&input.body, input.progress, input.spent).map_err(project_problem)?;
    state
        .store
        .projects()
        .post_update(p.item.id, update, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Posts a public update on an adopted item: what was done, the progress after it and, while
/// the plan executes, the spending so far.
#[utoipa::path(post, path = "/projects/{item}/updates", tag = "autonomy",
    params(("item" = i64, Path)), request_body = UpdateIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such adopted item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is closed, or spending given before it executes", content_type = "application/problem+json"),
        (status = 422, description = "No text, progress out of range or a bad amount", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(item): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = post_update(&state, &user, &item, json_body::<UpdateIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
