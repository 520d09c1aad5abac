//! Pages of the projects: a place's adopted items with their progress (사업 추진 현황), and one
//! project with its milestones, updates and, for those who keep it, the forms to plan a
//! milestone, mark one done and post an update. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::Permission;
use maeul_core::autonomy::project::schedule;
use maeul_core::format;
use maeul_store::autonomy::project::Project;
use maeul_store::region::StoredRegion;
use serde::Deserialize;
use time::Date;

use super::{CompletionIn, MilestoneIn, UpdateIn, project, states};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::emd;
use crate::error::{Problem, Result};
use crate::page::{PageCtx, form_answer, form_error, topic_label};
use crate::welfare::{day, today};

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/projects", Access::Public, get(list))
        .page("/r/{code}/projects/{item}", Access::Public, get(show))
        .page(
            "/r/{code}/projects/{item}/milestones",
            MANAGE,
            post(milestone_form),
        )
        .page(
            "/r/{code}/projects/{item}/milestones/{milestone}/completion",
            MANAGE,
            post(completion_form),
        )
        .page(
            "/r/{code}/projects/{item}/updates",
            MANAGE,
            post(update_form),
        )
}

/// A project as the list and the project's page show it.
struct Summary {
    href: String,
    title: String,
    year: i32,
    plan_status: &'static str,
    plan_status_label: &'static str,
    topic: &'static str,
    subcommittee: String,
    progress: u8,
    budget: String,
    spent: String,
    milestones: String,
    overdue: usize,
    next_due: String,
    latest: Option<(String, String)>,
}

fn date(ctx: &PageCtx, d: Date) -> String {
    format::date(d, ctx.lang)
}

fn summary(ctx: &PageCtx, code: &str, p: &Project, today: Date) -> Summary {
    let s = schedule(&states(p), today);
    Summary {
        href: format!("/r/{code}/projects/{}", p.item.id),
        title: p.item.item.title.clone(),
        year: p.year,
        plan_status: p.plan_status.as_str(),
        plan_status_label: ctx.t(&format!("plan.status.{}", p.plan_status.as_str())),
        topic: topic_label(ctx, p.item.item.topic),
        subcommittee: p.item.subcommittee.clone().unwrap_or_default(),
        progress: p.item.progress,
        budget: format::won(p.item.item.budget, ctx.lang),
        spent: p
            .item
            .spent
            .map(|s| format::won(s, ctx.lang))
            .unwrap_or_default(),
        milestones: ctx.tf(
            "project.milestones.count",
            &[
                ("done", &s.done.to_string()),
                ("total", &s.total.to_string()),
            ],
        ),
        overdue: s.overdue,
        next_due: s.next_due.map(|d| date(ctx, d)).unwrap_or_default(),
        latest: p
            .updates
            .first()
            .map(|u| (ctx.moment(u.posted_at), u.body.clone())),
    }
}

async fn place_ctx(state: &AppState, ctx: PageCtx, code: &str) -> Result<(PageCtx, StoredRegion)> {
    let place = emd(state, code).await?;
    let ctx = ctx.crumb(place.region.full_name.clone(), Some(format!("/r/{code}")));
    Ok((ctx, place))
}

// ---------------------------------------------------------------------------------------
// The projects of a place

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/project/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    place: String,
    projects: Vec<Summary>,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<ListPage> {
    let (ctx, place) = place_ctx(&state, ctx, &code).await?;
    let ctx = ctx.crumb_t("project.title", None);
    let today = today();
    let projects = state
        .store
        .projects()
        .of_place(&place.region.code)
        .await?
        .iter()
        .map(|p| summary(&ctx, &code, p, today))
        .collect();
    Ok(ListPage {
        ctx,
        place: place.region.full_name.clone(),
        code,
        projects,
    })
}

// ---------------------------------------------------------------------------------------
// One project

struct MilestoneRow {
    id: i64,
    title: String,
    due_on: String,
    done_on: String,
    overdue: bool,
}

struct UpdateRow {
    at: String,
    body: String,
    progress: u8,
    spent: String,
}

/// What the forms held when one was refused, to show them again.
#[derive(Debug, Default, Deserialize)]
struct ProjectForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    spent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/project/show.html")]
struct ShowPage {
    ctx: PageCtx,
    project: Summary,
    description: String,
    plan_href: String,
    agenda_href: Option<String>,
    /// The organisations carrying it out under a contract: link and label.
    carried_by: Vec<(String, String)>,
    milestones: Vec<MilestoneRow>,
    updates: Vec<UpdateRow>,
    may_manage: bool,
    open: bool,
    executing: bool,
    today: String,
    form: ProjectForm,
    notice: Option<&'static str>,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, item)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response> {
    let notice = match query.done.as_deref() {
        Some("milestone") => Some("project.done.milestone"),
        Some("completed") => Some("project.done.completed"),
        Some("update") => Some("project.done.update"),
        _ => None,
    };
    Ok(render(
        &state,
        ctx,
        &code,
        &item,
        ProjectForm::default(),
        notice,
        None,
    )
    .await?
    .into_response())
}

/// The project of the path, checked to be of the path's place.
async fn project_here(state: &AppState, code: &str, item: &str) -> Result<(Project, StoredRegion)> {
    let (p, place) = project(state, item).await?;
    if p.emd_code != code {
        return Err(Problem::not_found());
    }
    Ok((p, place))
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    item: &str,
    form: ProjectForm,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ShowPage> {
    let (p, place) = project_here(state, code, item).await?;
    let (ctx, _) = place_ctx(state, ctx, code).await?;
    let ctx = ctx
        .crumb_t("project.title", Some(format!("/r/{code}/projects")))
        .crumb(p.item.item.title.clone(), None);
    let today = today();
    let may_manage = ctx.may_in(Permission::ManageCouncil, &place.path);
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let carried_by = state
        .store
        .corporations()
        .contracts_of_plan_item(p.item.id)
        .await?
        .into_iter()
        .map(|(id, name, title)| {
            (
                format!("/r/{code}/corporations/{id}"),
                format!("{name} · {title}"),
            )
        })
        .collect();
    Ok(ShowPage {
        carried_by,
        project: summary(&ctx, code, &p, today),
        description: p.item.item.description.clone(),
        plan_href: format!("/r/{code}/plans/{}", p.plan_id),
        agenda_href: p
            .item
            .item
            .agenda_item_id
            .map(|a| format!("/r/{code}/agenda/{a}")),
        milestones: p
            .milestones
            .iter()
            .map(|m| MilestoneRow {
                id: m.id,
                title: m.title.clone(),
                due_on: date(&ctx, m.due_on),
                done_on: m.done_on.map(|d| date(&ctx, d)).unwrap_or_default(),
                overdue: m.done_on.is_none() && m.due_on < today,
            })
            .collect(),
        updates: p
            .updates
            .iter()
            .map(|u| UpdateRow {
                at: ctx.moment(u.posted_at),
                body: u.body.clone(),
                progress: u.progress,
                spent: u
                    .spent
                    .map(|s| format::won(s, ctx.lang))
                    .unwrap_or_default(),
            })
            .collect(),
        may_manage,
        open: p.plan_status != maeul_core::autonomy::plan::Status::Closed,
        executing: p.plan_status == maeul_core::autonomy::plan::Status::Executing,
        today: day(today),
        form,
        notice,
        refused: refused.map_or("", |(f, _)| f),
        error_field,
        error_message,
        ctx,
    })
}

/// Runs a form of the project's page: back to the page on success, the page with the reason
/// on a refusal the user can mend.
async fn after(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    item: &str,
    which: &'static str,
    form: ProjectForm,
    outcome: Result<&'static str>,
) -> Result<Response> {
    let to = outcome.map(|done| format!("/r/{code}/projects/{item}?done={done}"));
    form_answer(to, |p| async move {
        render(state, ctx, code, item, form, None, Some((which, &p))).await
    })
    .await
}

async fn milestone_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, item)): Path<(String, String)>,
    Form(form): Form<ProjectForm>,
) -> Result<Response> {
    let added = async {
        project_here(&state, &code, &item).await?;
        let input = MilestoneIn {
            title: form.title.clone(),
            due_on: form.due_on.clone(),
        };
        super::add_milestone(&state, &user, &item, input).await?;
        Ok("milestone")
    }
    .await;
    after(&state, ctx, &code, &item, "milestone", form, added).await
}

async fn completion_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, item, milestone)): Path<(String, String, String)>,
    Form(form): Form<ProjectForm>,
) -> Result<Response> {
    let done = async {
        project_here(&state, &code, &item).await?;
        let input = CompletionIn {
            done_on: Some(form.done_on.clone()).filter(|d| !d.trim().is_empty()),
        };
        super::complete(&state, &user, &item, &milestone, input).await?;
        Ok("completed")
    }
    .await;
    after(&state, ctx, &code, &item, "completion", form, done).await
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, item)): Path<(String, String)>,
    Form(form): Form<ProjectForm>,
) -> Result<Response> {
    let posted = async {
        project_here(&state, &code, &item).await?;
        let progress = form
            .progress
            .trim()
            .parse()
            .map_err(|_| Problem::field("progress", "project.error.progress"))?;
        let spent = crate::page::optional_won(&form.spent, "spent", "plan.error.amount")?;
        let input = UpdateIn {
            body: form.body.clone(),
            progress,
            spent,
        };
        super::post_update(&state, &user, &item, input).await?;
        Ok("update")
    }
    .await;
    after(&state, ctx, &code, &item, "update", form, posted).await
}
