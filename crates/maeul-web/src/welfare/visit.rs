//! 방문 일정 — visits planned ahead, in the workspace and the API: plan a visit of a listed
//! household, a case or a person in visiting health care (who goes, the day, perhaps the hour,
//! why), see one's own schedule or the team's of a place, cancel a plan. A visit recorded on
//! the subject's page fulfils its plans whose day has come.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::format;
use maeul_core::region::RegionCode;
use maeul_core::welfare::visit::{Plan, PlanError, PlanStatus, missed, week_of};
use maeul_store::account::Actor;
use maeul_store::welfare::Subject;
use maeul_store::welfare::visit::{PlannedVisit, ScheduleFilter, ScheduledVisit, Worker};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::PageCtx;
use crate::paging::{Pager, Paging};
use crate::welfare::case::masked_name;
use crate::welfare::{
    Choice, Created, day, readable_subject, subject_href, today, writable_subject,
};
use crate::{AppState, record_id};

/// Route-level: every role that sees personal records; the subject decides who may plan
/// (as for referrals) and the region who may read a schedule.
const READ: Access = Access::Allowed(Permission::ReadPersonalWelfare);

pub fn routes(r: Routes) -> Routes {
    r.api(READ, routes!(schedule_api, plan_api))
        .api(READ, routes!(cancel_api))
        .page("/work/visits", READ, get(schedule_page))
        .page("/work/visits/new", READ, get(new_page).post(plan_form))
        .page("/work/visits/{id}/cancellation", READ, post(cancel_form))
}

/// The subject of a kind, as the API and the forms name the kinds.
fn subject(kind: &str, id: i64) -> Option<Subject> {
    match kind {
        "case" => Some(Subject::Case(id)),
        "household" => Some(Subject::Candidate(id)),
        "health_person" => Some(Subject::HealthPerson(id)),
        _ => None,
    }
}

fn kind_of(subject: Subject) -> (&'static str, i64) {
    match subject {
        Subject::Case(id) => ("case", id),
        Subject::Candidate(id) => ("household", id),
        Subject::HealthPerson(id) => ("health_person", id),
    }
}

/// Whom a plan is for as lists show it: a household's id or a person's name, masked.
fn masked_whom(subject: Subject, whom: &str) -> String {
    match subject {
        Subject::Candidate(_) => maeul_core::crypto::mask(whom),
        Subject::Case(_) | Subject::HealthPerson(_) => masked_name(whom),
    }
}

fn plan_problem(e: PlanError) -> Problem {
    let key = match e {
        PlanError::Date => "visit.error.date",
        PlanError::Time => "visit.error.time",
        PlanError::Purpose => "visit.error.purpose",
    };
    Problem::field(e.field(), key)
}

/// The staff member who goes: the named log-in among those who may, or the user when none is
/// named and the user may.
fn staff_member(staff: &[Worker], login: Option<&str>, user: &Principal) -> Result<i64> {
    let found = match login.map(str::trim).filter(|l| !l.is_empty()) {
        Some(login) => staff.iter().find(|w| w.login == login),
        None => staff.iter().find(|w| w.id == user.user_id),
    };
    found
        .map(|w| w.id)
        .ok_or_else(|| Problem::field("staff", "visit.error.staff"))
}

/// What a plan needs, as the API and the form send it.
struct PlanInput<'a> {
    subject: Subject,
    planned_on: &'a str,
    planned_at: &'a str,
    purpose: &'a str,
    staff: Option<&'a str>,
}

async fn make_plan(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    input: PlanInput<'_>,
) -> Result<i64> {
    writable_subject(state, user, input.subject).await?;
    let on =
        format::parse_day(input.planned_on.trim()).ok_or_else(|| plan_problem(PlanError::Date))?;
    let plan = Plan::new(on, input.planned_at, input.purpose, today()).map_err(plan_problem)?;
    let staff = state.store.visit_plans().staff(input.subject).await?;
    let staff = staff_member(&staff, input.staff, user)?;
    Ok(state
        .store
        .visit_plans()
        .plan(input.subject, staff, plan, Actor::user(user, &req.address))
        .await?)
}

/// Cancels an open plan: those who may plan for its subject, or the one who goes. The
/// subject's page is returned for the redirect.
async fn cancel(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    id: &str,
) -> Result<Subject> {
    let id = record_id(id)?;
    let (subject, staff) = state
        .store
        .visit_plans()
        .subject_of(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    // The one who goes may cancel while they may still read the record.
    if staff == user.user_id {
        readable_subject(state, user, subject).await?;
    } else {
        writable_subject(state, user, subject).await?;
    }
    let cancelled = state
        .store
        .visit_plans()
        .cancel(id, Actor::user(user, &req.address))
        .await?;
    if !cancelled {
        return Err(Problem::conflict_of(
            "visit-plan-closed",
            "visit.error.closed",
        ));
    }
    Ok(subject)
}

/// A day given in a query (`YYYY-MM-DD`, or as Korean documents write it), 422 naming the field
/// otherwise.
fn query_day(field: &str, value: Option<&str>) -> Result<Option<Date>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => format::parse_day(v)
            .map(Some)
            .ok_or_else(|| Problem::field(field, "field.date")),
    }
}

/// The schedule asked for: the user's own plans in the places they read personal records in,
/// or the team's of one such region (403 outside, 404 for no such region). Plans of cases show
/// only where the user manages cases or the case is in their charge.
async fn schedule_filter(
    state: &AppState,
    user: &Principal,
    region: Option<&str>,
    all: bool,
    (from, until): (Option<Date>, Option<Date>),
) -> Result<ScheduleFilter> {
    let scopes = |p: Permission| user.scopes(p).iter().map(|s| s.to_string()).collect();
    let mut filter = ScheduleFilter {
        staff: None,
        within: scopes(Permission::ReadPersonalWelfare),
        open_only: !all,
        from,
        until,
        viewer: user.user_id,
        manages_cases_in: scopes(Permission::ManageCases),
    };
    match region.map(str::trim).filter(|r| !r.is_empty()) {
        None => filter.staff = Some(user.user_id),
        Some(code) => {
            let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
            let region = state
                .store
                .regions()
                .get(&code)
                .await?
                .ok_or_else(Problem::not_found)?;
            if !user.may_in(Permission::ReadPersonalWelfare, &region.path) {
                return Err(Problem::forbidden());
            }
            filter.within = vec![code.to_string()];
        }
    }
    Ok(filter)
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitPlanIn {
    /// Whom the visit is for: a case, a household a discovery round listed, or a person in
    /// visiting health care.
    #[schema(
        example = "health_person",
        pattern = "^(case|household|health_person)$"
    )]
    kind: String,
    #[schema(example = 12, minimum = 1)]
    subject_id: i64,
    /// From today up to a year ahead.
    #[schema(example = "2026-12-01", format = Date)]
    planned_on: String,
    /// The hour, `HH:MM`, if one is agreed.
    #[schema(example = "14:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    planned_at: Option<String>,
    /// Why: one line, sealed at rest.
    #[schema(example = "혈압 재측정", min_length = 1, max_length = 200)]
    purpose: String,
    /// The log-in of who goes (someone who may see the subject); the user when absent.
    #[schema(example = "kim.nurse")]
    staff: Option<String>,
}

/// Plans a visit (those who may write to the subject's record).
#[utoipa::path(post, path = "/visit-plans", tag = "welfare", request_body = VisitPlanIn,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The user sees no personal records", content_type = "application/problem+json"),
        (status = 404, description = "No such subject that the user may write to", content_type = "application/problem+json"),
        (status = 422, description = "A day past or over a year ahead, a bad hour, no purpose, or staff who may not go", content_type = "application/problem+json"),
    ))]
async fn plan_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let sent: VisitPlanIn = json_body(&body)?;
    if sent.subject_id <= 0 {
        return Err(Problem::field("subject_id", "visit.error.subject"));
    }
    let subject = subject(sent.kind.trim(), sent.subject_id)
        .ok_or_else(|| Problem::field("kind", "visit.error.kind"))?;
    let id = make_plan(
        &state,
        &req,
        &user,
        PlanInput {
            subject,
            planned_on: &sent.planned_on,
            planned_at: sent.planned_at.as_deref().unwrap_or(""),
            purpose: &sent.purpose,
            staff: sent.staff.as_deref(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitPlanOut {
    id: i64,
    #[schema(pattern = "^(case|household|health_person)$")]
    kind: &'static str,
    subject_id: i64,
    emd_code: String,
    /// The person's name or the household's id, masked.
    whom: String,
    planned_on: String,
    planned_at: Option<String>,
    purpose: String,
    #[schema(pattern = "^(planned|done|cancelled)$")]
    status: &'static str,
    /// Still planned after its day.
    missed: bool,
    done_on: Option<String>,
    /// The log-in of who goes.
    staff: String,
}

impl VisitPlanOut {
    fn new(v: &ScheduledVisit) -> Self {
        let p = &v.plan;
        let (kind, subject_id) = kind_of(p.subject);
        VisitPlanOut {
            id: p.id,
            kind,
            subject_id,
            emd_code: p.emd_code.clone(),
            whom: masked_whom(p.subject, &v.whom),
            planned_on: day(p.on),
            planned_at: p.at.map(format::clock),
            purpose: p.purpose.clone(),
            status: p.status.as_str(),
            missed: missed(p.status, p.on, today()),
            done_on: p.done_on.map(day),
            staff: p.staff.1.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitPlanList {
    items: Vec<VisitPlanOut>,
    total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct VisitPlansQuery {
    /// The team's plans in the places under this region; without it, the user's own.
    #[param(pattern = "^[0-9]{10}$")]
    region: Option<String>,
    /// `1`: done and cancelled plans too.
    #[param(pattern = "^[01]$")]
    all: Option<String>,
    /// Plans of this day or later, `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Plans of this day or earlier, `YYYY-MM-DD` (with `from`, a calendar's week or month).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// A schedule, by day and hour (missed plans first): the user's own, or the team's of a region.
/// Each subject listed is written to the access log.
#[utoipa::path(get, path = "/visit-plans", tag = "welfare", params(VisitPlansQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = VisitPlanList),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The region is outside the user's places", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong (a day that is no date, `to` before `from`)", content_type = "application/problem+json"),
    ))]
async fn schedule_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Params(query): Params<VisitPlansQuery>,
) -> Result<Json<VisitPlanList>> {
    no_empty_values(&[
        ("region", &query.region),
        ("all", &query.all),
        ("from", &query.from),
        ("to", &query.to),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let all = crate::error::flag("all", query.all.as_deref())?;
    let span = (
        query_day("from", query.from.as_deref())?,
        query_day("to", query.to.as_deref())?,
    );
    if let (Some(from), Some(to)) = span
        && to < from
    {
        return Err(Problem::field("to", "visit.error.span"));
    }
    let filter = schedule_filter(&state, &user, query.region.as_deref(), all, span).await?;
    let page = state
        .store
        .visit_plans()
        .schedule(
            filter,
            paging.offset(),
            paging.per_page,
            Actor::user(&user, &req.address),
        )
        .await?;
    Ok(Json(VisitPlanList {
        items: page.items.iter().map(VisitPlanOut::new).collect(),
        total: page.total,
    }))
}

/// Cancels a plan still open (those who may plan for its subject, or the one who goes).
#[utoipa::path(post, path = "/visit-plans/{id}/cancellation", tag = "welfare",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The user sees no personal records", content_type = "application/problem+json"),
        (status = 404, description = "No such plan that the user may change", content_type = "application/problem+json"),
        (status = 409, description = "Done or cancelled already", content_type = "application/problem+json"),
    ))]
async fn cancel_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    cancel(&state, &req, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Pages

/// A planned visit as the subject's page shows it.
pub(crate) struct PlanRow {
    pub id: i64,
    pub on: String,
    pub at: String,
    pub staff: String,
    pub purpose: String,
    pub status: &'static str,
    pub missed: bool,
    pub may_cancel: bool,
}

/// The planned visits of a subject and the link to plan another: the part of the pages of
/// a household, a case and a person in health care.
pub(crate) struct PlanSection {
    pub rows: Vec<PlanRow>,
    pub may_plan: bool,
    pub new_href: String,
}

fn status_label(ctx: &PageCtx, p: &PlannedVisit) -> &'static str {
    ctx.t(&format!("visit.status.{}", p.status.as_str()))
}

/// Reads the subject's plans as part of reading the subject (whose read is logged).
pub(crate) async fn plan_section(
    state: &AppState,
    ctx: &PageCtx,
    user: &Principal,
    subject: Subject,
    may_plan: bool,
) -> Result<PlanSection> {
    let today = today();
    let rows = state
        .store
        .visit_plans()
        .of(subject)
        .await?
        .iter()
        .map(|p| PlanRow {
            id: p.id,
            on: format::date(p.on, ctx.lang),
            at: p.at.map(format::clock).unwrap_or_default(),
            staff: p.staff.2.clone(),
            purpose: p.purpose.clone(),
            status: status_label(ctx, p),
            missed: missed(p.status, p.on, today),
            may_cancel: p.status == PlanStatus::Planned && (may_plan || p.staff.0 == user.user_id),
        })
        .collect();
    let (kind, id) = kind_of(subject);
    Ok(PlanSection {
        rows,
        may_plan,
        new_href: format!("/work/visits/new?kind={kind}&id={id}"),
    })
}

struct ScheduleRow {
    at: String,
    kind: &'static str,
    whom: String,
    href: String,
    place: String,
    staff: String,
    purpose: String,
    status: &'static str,
    missed: bool,
}

/// The plans of one day. The week view shows every day of the week, those without plans too;
/// the list shows the days that have plans.
struct ScheduleDay {
    label: String,
    today: bool,
    rows: Vec<ScheduleRow>,
}

/// A scope whose team schedule the user may open.
struct TeamLink {
    label: String,
    href: String,
    current: bool,
}

/// The week shown, and the links to the weeks around it and back to the list.
struct WeekNav {
    label: String,
    /// Its Monday, `YYYY-MM-DD`, kept by the filter form.
    monday: String,
    previous: String,
    next: String,
    this_week: String,
    list: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/visit/schedule.html")]
struct SchedulePage {
    ctx: PageCtx,
    heading: String,
    teams: Vec<TeamLink>,
    mine_href: String,
    mine: bool,
    all: bool,
    region: String,
    /// The week view, when one is asked for (`week=` a day of it).
    week: Option<WeekNav>,
    week_href: String,
    days: Vec<ScheduleDay>,
    total_text: String,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
struct SchedulePageQuery {
    region: Option<String>,
    all: Option<String>,
    week: Option<String>,
    page: Option<String>,
}

/// A week holds at most this many plans on one page of the week view.
const WEEK_PAGE: &str = "100";

async fn schedule_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Params(query): Params<SchedulePageQuery>,
) -> Result<SchedulePage> {
    let week = query_day("week", query.week.as_deref())?.map(week_of);
    let paging = Paging::parse(query.page.as_deref(), week.map(|_| WEEK_PAGE))?;
    let all = crate::error::flag("all", query.all.as_deref())?;
    let region = query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let span = week.map_or((None, None), |(monday, sunday)| {
        (Some(monday), Some(sunday))
    });
    let filter = schedule_filter(&state, &user, region.as_deref(), all, span).await?;
    let page = state
        .store
        .visit_plans()
        .schedule(
            filter,
            paging.offset(),
            paging.per_page,
            Actor::user(&user, &req.address),
        )
        .await?;
    let codes: Vec<&str> = page
        .items
        .iter()
        .map(|v| v.plan.emd_code.as_str())
        .collect();
    let places = crate::welfare::place_names(&state, &codes).await?;
    let today = today();
    let mut days: Vec<ScheduleDay> = Vec::new();
    let day_of = |on: Date| ScheduleDay {
        label: format::day_of_week(on, ctx.lang),
        today: on == today,
        rows: Vec::new(),
    };
    if let Some((monday, _)) = week {
        days.extend((0..7).map(|n| day_of(monday + time::Duration::days(n))));
    }
    let mut day_index: Option<(Date, usize)> = None;
    for v in &page.items {
        let p = &v.plan;
        let index = match (week, day_index) {
            (Some((monday, _)), _) => usize::try_from((p.on - monday).whole_days()).unwrap_or(0),
            (None, Some((on, i))) if on == p.on => i,
            (None, _) => {
                days.push(day_of(p.on));
                days.len() - 1
            }
        };
        day_index = Some((p.on, index));
        let Some(day) = days.get_mut(index) else {
            continue;
        };
        day.rows.push(ScheduleRow {
            at: p.at.map(format::clock).unwrap_or_default(),
            kind: ctx.t(&format!("visit.kind.{}", kind_of(p.subject).0)),
            whom: masked_whom(p.subject, &v.whom),
            href: subject_href(p.subject),
            place: places.get(&p.emd_code).cloned().unwrap_or_default(),
            staff: p.staff.2.clone(),
            purpose: p.purpose.clone(),
            status: status_label(&ctx, p),
            missed: missed(p.status, p.on, today),
        });
    }
    let mut teams = Vec::new();
    for scope in user.scopes(Permission::ReadPersonalWelfare) {
        let name = match state.store.regions().get(&scope).await? {
            Some(r) => r.region.full_name,
            None => scope.to_string(),
        };
        teams.push(TeamLink {
            label: ctx.tf("visit.team", &[("place", &name)]),
            href: format!("/work/visits?region={scope}"),
            current: region.as_deref() == Some(scope.as_str()),
        });
    }
    let heading = match teams.iter().find(|t| t.current) {
        Some(t) => t.label.clone(),
        None => ctx.t("visit.mine").to_owned(),
    };
    let href = |week: Option<Date>| {
        let query = serde_urlencoded::to_string([
            ("region", region.clone().unwrap_or_default()),
            ("all", if all { "1" } else { "" }.to_owned()),
            ("week", week.map(day).unwrap_or_default()),
        ])
        .unwrap_or_default();
        format!("/work/visits?{query}")
    };
    let week_nav = week.map(|(monday, sunday)| WeekNav {
        label: ctx.tf(
            "visit.week.label",
            &[
                ("from", &format::day_of_week(monday, ctx.lang)),
                ("to", &format::day_of_week(sunday, ctx.lang)),
            ],
        ),
        monday: day(monday),
        previous: href(Some(monday - time::Duration::days(7))),
        next: href(Some(monday + time::Duration::days(7))),
        this_week: href(Some(today)),
        list: href(None),
    });
    let base = serde_urlencoded::to_string([
        ("region", region.clone().unwrap_or_default()),
        ("all", if all { "1" } else { "" }.to_owned()),
        ("week", week.map(|w| day(w.0)).unwrap_or_default()),
    ])
    .unwrap_or_default();
    let total_text = ctx.tf("visit.total", &[("n", &format::thousands(page.total))]);
    let title = ctx.t("visit.title");
    Ok(SchedulePage {
        heading,
        teams,
        mine_href: "/work/visits".into(),
        mine: region.is_none(),
        all,
        region: region.clone().unwrap_or_default(),
        week_href: href(Some(today)),
        week: week_nav,
        days,
        total_text,
        pager: Pager::new(paging, page.total, base),
        ctx: ctx.crumb(title, None),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/visit/new.html")]
struct NewPlanPage {
    ctx: PageCtx,
    kind: &'static str,
    id: i64,
    back: String,
    staff: Vec<Choice>,
    /// The date field's attributes: from today.
    date_attrs: String,
    form: PlanForm,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct PlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    planned_at: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    staff: String,
}

impl PlanForm {
    fn subject(&self) -> Result<Subject> {
        let id = record_id(self.id.trim())?;
        subject(self.kind.trim(), id).ok_or_else(Problem::not_found)
    }
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    form: PlanForm,
    error: Option<&Problem>,
) -> Result<NewPlanPage> {
    let subject = form.subject()?;
    writable_subject(state, user, subject).await?;
    let chosen = match form.staff.trim() {
        "" => user.login.clone(),
        login => login.to_owned(),
    };
    let staff = state
        .store
        .visit_plans()
        .staff(subject)
        .await?
        .into_iter()
        .map(|w| Choice {
            selected: w.login == chosen,
            label: format!("{} ({})", w.name, w.login),
            value: w.login,
        })
        .collect();
    let (kind, id) = kind_of(subject);
    let (error_field, error_message) = crate::welfare::form_error(&ctx, error);
    let back = subject_href(subject);
    let title = ctx.t("visit.new");
    let kind_label = ctx.t(&format!("visit.kind.{kind}"));
    Ok(NewPlanPage {
        kind,
        id,
        staff,
        date_attrs: format!("min=\"{}\" required", day(today())),
        form,
        error_field,
        error_message,
        ctx: ctx.crumb(kind_label, Some(back.clone())).crumb(title, None),
        back,
    })
}

#[derive(Debug, Default, Deserialize)]
struct NewPlanQuery {
    kind: Option<String>,
    id: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<NewPlanQuery>,
) -> Result<NewPlanPage> {
    let form = PlanForm {
        kind: query.kind.unwrap_or_default(),
        id: query.id.unwrap_or_default(),
        ..Default::default()
    };
    render_new(&state, ctx, &user, form, None).await
}

async fn plan_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<PlanForm>,
) -> Result<Response> {
    let subject = form.subject()?;
    let made = make_plan(
        &state,
        &req,
        &user,
        PlanInput {
            subject,
            planned_on: &form.planned_on,
            planned_at: &form.planned_at,
            purpose: &form.purpose,
            staff: Some(&form.staff),
        },
    )
    .await;
    match made {
        Ok(_) => Ok(Redirect::to(&subject_href(subject)).into_response()),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, form, Some(&p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

async fn cancel_form(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let subject = cancel(&state, &req, &user, &id).await?;
    Ok(Redirect::to(&subject_href(subject)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_names_a_subject_and_back() {
        for kind in ["case", "household", "health_person"] {
            let s = subject(kind, 7).expect(kind);
            assert_eq!(kind_of(s), (kind, 7));
        }
        assert_eq!(subject("person", 7), None);
    }

    #[test]
    fn households_are_masked_as_ids_and_people_as_names() {
        assert_eq!(masked_whom(Subject::Case(1), "김민수"), "김**");
        assert_ne!(
            masked_whom(Subject::Candidate(1), "D100000001"),
            "D100000001"
        );
    }
}
