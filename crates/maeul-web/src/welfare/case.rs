//! 통합사례관리 — integrated case management in the workspace and the API: open a case, record
//! its steps in order with their deadlines, and see what is due and overdue.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::audit::Purpose;
use maeul_core::format;
use maeul_core::region::{Level, RegionCode, RegionPath};
use maeul_core::welfare::case::{
    CaseError, CaseRules, Classification, ClosureReason, Crisis, StepInput, may_see,
};
use maeul_core::welfare::person::Person;
use maeul_store::account::Actor;
use maeul_store::region::StoredRegion;
use maeul_store::welfare::Subject;
use maeul_store::welfare::case::{CaseDetail, CaseFilter, CaseSummary, NewCase, Source};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{CsvDownload, PageCtx, choices};
use crate::paging::{Pager, Paging};
use crate::welfare::{AssignForm, Assignment, Choice, Created, day, today};

const READ: Access = Access::Allowed(Permission::ReadPersonalWelfare);
const MANAGE: Access = Access::Allowed(Permission::ManageCases);

pub fn routes(r: Routes) -> Routes {
    r.api(MANAGE, routes!(open_case))
        .api(READ, routes!(get_case))
        .api(MANAGE, routes!(record_step))
        .api(MANAGE, routes!(assign_case))
        .api(READ, routes!(list_cases))
        .page("/work/cases", READ, get(cases_page))
        .page("/work/cases/export", READ, post(export_cases))
        .page(
            "/work/cases/new",
            MANAGE,
            get(new_case_page).post(open_case_form),
        )
        .page("/work/cases/{id}", READ, get(case_page))
        .page("/work/cases/{id}/steps", MANAGE, post(step_form))
        .page("/work/cases/{id}/assignment", MANAGE, post(assign_form))
}

fn case_problem(e: &CaseError) -> Problem {
    let key = match e {
        CaseError::Step | CaseError::Order => "field.case_step",
        CaseError::Date => "field.case_date",
        CaseError::Assessment => "field.case_assessment",
        CaseError::Classification => "field.case_classification",
        CaseError::ClosureReason => "field.case_closure",
        CaseError::Note => "field.note",
        CaseError::Rules(_) => "error.validation",
    };
    Problem::field(e.field(), key)
}

/// The eup/myeon/dong a case may be opened in by this user: 404 for no such place, 403 when
/// the user does not manage cases there.
async fn case_place(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let code =
        RegionCode::parse(code).map_err(|_| Problem::field("emd_code", "field.region_code"))?;
    let place = state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.region.level == Level::Emd && r.retired_on.is_none())
        .ok_or_else(|| Problem::field("emd_code", "field.region_code"))?;
    if !user.may_in(Permission::ManageCases, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

/// A case the user may see (and, with `manage`, record on): otherwise 404, so that whether a
/// case exists elsewhere does not leak.
pub(crate) async fn visible_case(
    state: &AppState,
    user: &Principal,
    id: &str,
    manage: bool,
) -> Result<i64> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(Problem::not_found)?;
    visible_case_place(state, user, id, manage).await?;
    Ok(id)
}

/// The place of a case the user may see (and, with `manage`, record on): otherwise 404.
pub(crate) async fn visible_case_place(
    state: &AppState,
    user: &Principal,
    id: i64,
    manage: bool,
) -> Result<RegionPath> {
    let (_, path, assigned) = state
        .store
        .cases()
        .place_of(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let allowed = if manage {
        user.may_in(Permission::ManageCases, &path)
    } else {
        may_see(user, &path, assigned)
    };
    if !allowed {
        return Err(Problem::not_found());
    }
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Debug, Deserialize, ToSchema)]
pub struct CaseIn {
    #[schema(example = "1111051500", pattern = "^[0-9]{8}00$")]
    emd_code: String,
    /// Sealed at rest, masked on lists. No resident registration number is asked for.
    #[schema(example = "김순자", min_length = 1, max_length = 50)]
    person_name: String,
    #[schema(example = 1948, minimum = 1900, maximum = 2100)]
    birth_year: Option<i32>,
    /// `discovery`, `walk_in` or `referral`.
    #[schema(example = "walk_in", pattern = "^(discovery|walk_in|referral)$")]
    source: String,
    /// The listed household a discovery visit escalated.
    candidate_id: Option<i64>,
    /// Intake date (default: today).
    #[schema(format = Date)]
    opened_on: Option<String>,
    #[schema(max_length = 4000)]
    note: Option<String>,
}

/// Checks a new case's fields; `Err` names the first wrong field.
fn new_case(input: &CaseIn, emd_code: &str) -> Result<NewCase> {
    let today = today();
    let person = Person::new(&input.person_name, input.birth_year, today)
        .map_err(crate::welfare::person_problem)?;
    let source = Source::parse(input.source.trim())
        .ok_or_else(|| Problem::field("source", "field.case_source"))?;
    let opened_on = match input
        .opened_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => today,
        Some(s) => Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .ok()
            .filter(|d| *d <= today)
            .ok_or_else(|| Problem::field("opened_on", "field.case_date"))?,
    };
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(Problem::field("note", "field.note"));
    }
    Ok(NewCase {
        emd_code: emd_code.to_owned(),
        person,
        source,
        candidate_id: input.candidate_id,
        opened_on,
        note,
    })
}

/// Opens a case in an eup/myeon/dong of the user; it starts with its intake step and is
/// assigned to the worker who opens it.
#[utoipa::path(post, path = "/cases", tag = "welfare", request_body = CaseIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff of the place or a case manager of its si/gun/gu", content_type = "application/problem+json"),
        (status = 409, description = "The listed household already has a case", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", content_type = "application/problem+json"),
    ))]
async fn open_case(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input: CaseIn = json_body(&body)?;
    let new = new_case(&input, input.emd_code.trim())?;
    let place = case_place(&state, &user, &new.emd_code).await?;
    check_candidate(&state, &user, &new, &place).await?;
    let id = state
        .store
        .cases()
        .open(new, Actor::user(&user, &req.address))
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A case opened from a listed household must be one of the same place the user may see.
async fn check_candidate(
    state: &AppState,
    user: &Principal,
    new: &NewCase,
    place: &StoredRegion,
) -> Result<()> {
    let Some(candidate) = new.candidate_id else {
        return Ok(());
    };
    let user = user.clone();
    let emd = state
        .store
        .discovery()
        .place_if(candidate, move |p| {
            user.may_in(Permission::ReadPersonalWelfare, p)
        })
        .await?;
    if emd.as_deref() != Some(place.region.code.as_str()) {
        return Err(Problem::field("candidate_id", "field.case_candidate"));
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOut {
    id: i64,
    emd_code: String,
    person_name: String,
    birth_year: Option<i64>,
    source: String,
    opened_on: String,
    /// The last step recorded.
    last_step: String,
    /// The step due next and its deadline.
    next_step: String,
    next_due: String,
    overdue: bool,
    /// `general` or `high_difficulty` once classified.
    classification: Option<String>,
    closed_on: Option<String>,
    assigned_to: Option<String>,
}

impl CaseOut {
    fn new(c: &CaseSummary, today: Date) -> Self {
        CaseOut {
            id: c.id,
            emd_code: c.emd_code.clone(),
            person_name: c.person_name.clone(),
            birth_year: c.birth_year,
            source: c.source.clone(),
            opened_on: day(c.opened_on),
            last_step: c.last_step.as_str().to_owned(),
            next_step: c.next_step.as_str().to_owned(),
            next_due: day(c.next_due),
            overdue: c.overdue(today),
            classification: c.classification.map(|k| k.as_str().to_owned()),
            closed_on: c.closed_on.map(day),
            assigned_to: c.assigned_to.as_ref().map(|(login, _)| login.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    step: String,
    done_on: String,
    needs: Vec<String>,
    crisis: Option<String>,
    classification: Option<String>,
    closure_reason: Option<String>,
    note: Option<String>,
    recorded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetailOut {
    #[serde(flatten)]
    case: CaseOut,
    /// Oldest first.
    steps: Vec<StepOut>,
}

async fn read_case(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    id: &str,
) -> Result<CaseDetail> {
    let id = visible_case(state, user, id, false).await?;
    state
        .store
        .cases()
        .case(id, Actor::user(user, &req.address))
        .await?
        .ok_or_else(Problem::not_found)
}

/// A case with its steps; logged as read.
#[utoipa::path(get, path = "/cases/{id}", tag = "welfare", params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = CaseDetailOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a role that sees personal welfare data", content_type = "application/problem+json"),
        (status = 404, description = "No such case among the user's", content_type = "application/problem+json"),
    ))]
async fn get_case(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<CaseDetailOut>> {
    let d = read_case(&state, &req, &user, &id).await?;
    Ok(Json(CaseDetailOut {
        case: CaseOut::new(&d.case, today()),
        steps: d
            .steps
            .iter()
            .map(|s| StepOut {
                step: s.step.as_str().to_owned(),
                done_on: day(s.done_on),
                needs: s.needs.clone(),
                crisis: s.crisis.map(|c| c.as_str().to_owned()),
                classification: s.classification.map(|c| c.as_str().to_owned()),
                closure_reason: s.closure_reason.map(|c| c.as_str().to_owned()),
                note: s.note.clone(),
                recorded_by: s.recorded_by.clone(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepIn {
    /// `assessment`, `conference`, `classification`, `plan`, `monitoring`, `closure` or
    /// `follow_up`, in the order of the manual (closure at any point).
    #[schema(example = "assessment")]
    step: String,
    #[schema(example = "2026-11-09", format = Date)]
    done_on: String,
    /// Assessment: needs domains (`maeul case rules` lists them).
    #[serde(default)]
    needs: Vec<String>,
    /// Assessment: `high`, `medium` or `low`.
    crisis: Option<String>,
    /// Classification: `general` or `high_difficulty`.
    classification: Option<String>,
    /// Closure: `goal_achieved`, `no_longer_needed`, `refused`, `moved_away`, `deceased`,
    /// `transferred` or `other`.
    closure_reason: Option<String>,
    #[schema(max_length = 4000)]
    note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    step: String,
}

/// Records the next step of a case; it must follow the case's last step.
#[utoipa::path(post, path = "/cases/{id}/steps", tag = "welfare", params(("id" = i64, Path)),
    request_body = StepIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Recorded),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or a case manager", content_type = "application/problem+json"),
        (status = 404, description = "No such case among the user's", content_type = "application/problem+json"),
        (status = 422, description = "The step is out of order, or a field is wrong", content_type = "application/problem+json"),
    ))]
async fn record_step(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Recorded>)> {
    let body: StepIn = json_body(&body)?;
    let id = visible_case(&state, &user, &id, true).await?;
    let input = StepInput {
        step: body.step,
        done_on: body.done_on,
        needs: body.needs,
        crisis: body.crisis,
        classification: body.classification,
        closure_reason: body.closure_reason,
        note: body.note,
    };
    let step = state
        .store
        .cases()
        .record_step(id, input, today(), Actor::user(&user, &req.address))
        .await?
        .map_err(|e| case_problem(&e))?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            step: step.as_str().to_owned(),
        }),
    ))
}

/// Puts a welfare worker or nurse of the place, or a case manager of its si/gun/gu, in charge of
/// a case.
#[utoipa::path(post, path = "/cases/{id}/assignment", tag = "welfare", params(("id" = i64, Path)),
    request_body = Assignment, security(("bearer" = [])),
    responses(
        (status = 200, body = Assignment),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or a case manager", content_type = "application/problem+json"),
        (status = 404, description = "No such case among the user's", content_type = "application/problem+json"),
        (status = 422, description = "Not someone who may be put in charge of the case", content_type = "application/problem+json"),
    ))]
async fn assign_case(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Assignment>> {
    let body: Assignment = json_body(&body)?;
    let id = visible_case(&state, &user, &id, true).await?;
    let (emd, _, _) = state
        .store
        .cases()
        .place_of(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let workers = state.store.cases().assignable(&emd).await?;
    let worker = body.worker(workers.iter().map(|w| (w.id, w.login.as_str())))?;
    state
        .store
        .cases()
        .assign(id, worker, Actor::user(&user, &req.address))
        .await?;
    Ok(Json(body))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// `1`: open cases only.
    #[param(pattern = "^[01]$")]
    open: Option<String>,
    /// `1`: only cases whose next step is past its deadline.
    #[param(pattern = "^[01]$")]
    overdue: Option<String>,
    /// `1`: only high-difficulty cases.
    #[param(pattern = "^[01]$")]
    hard: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// The filter of a case list over a region; nurses see only the cases assigned to them.
async fn case_filter(
    state: &AppState,
    user: &Principal,
    code: &str,
    query: &CasesQuery,
) -> Result<(StoredRegion, CaseFilter)> {
    let region = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let region = state
        .store
        .regions()
        .get(&region)
        .await?
        .ok_or_else(Problem::not_found)?;
    if !user.may_in(Permission::ReadPersonalWelfare, &region.path) {
        return Err(Problem::forbidden());
    }
    let manages = user.may_in(Permission::ManageCases, &region.path);
    let today = today();
    Ok((
        region.clone(),
        CaseFilter {
            within: Some(region.region.code.to_string()),
            open_only: crate::error::flag("open", query.open.as_deref())?,
            due_before: crate::error::flag("overdue", query.overdue.as_deref())?.then_some(today),
            assigned_to: (!manages).then_some(user.user_id),
            high_difficulty_only: crate::error::flag("hard", query.hard.as_deref())?,
            unassigned: false,
        },
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    items: Vec<CaseOut>,
    total: i64,
}

/// Cases of the places under a region (an eup/myeon/dong, or a si/gun/gu for its case
/// managers), the most urgent first; each case returned is logged as read.
#[utoipa::path(get, path = "/regions/{code}/cases", tag = "welfare", params(
        ("code" = String, Path, pattern = "^[0-9]{8}00$"), CasesQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = CaseList),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The region is outside the user's places", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_cases(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<CasesQuery>,
) -> Result<Json<CaseList>> {
    no_empty_values(&[
        ("open", &query.open),
        ("overdue", &query.overdue),
        ("hard", &query.hard),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (_, filter) = case_filter(&state, &user, &code, &query).await?;
    let page = state
        .store
        .cases()
        .list(
            filter,
            paging.offset(),
            paging.per_page,
            Actor::user(&user, &req.address),
        )
        .await?;
    let today = today();
    Ok(Json(CaseList {
        items: page.items.iter().map(|c| CaseOut::new(c, today)).collect(),
        total: page.total,
    }))
}

// ---------------------------------------------------------------------------------------------
// Pages

struct CaseRow {
    href: String,
    person: String,
    place: String,
    next: &'static str,
    due: String,
    overdue: bool,
    classification: &'static str,
    assignee: String,
    closed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/case/list.html")]
struct CasesPage {
    ctx: PageCtx,
    region_code: String,
    region_name: String,
    rows: Vec<CaseRow>,
    total_text: String,
    pager: Pager,
    open: bool,
    overdue: bool,
    hard: bool,
    may_open: bool,
    export: crate::welfare::ExportBox,
}

#[derive(Debug, Default, Deserialize)]
struct CasesPageQuery {
    region: Option<String>,
    #[serde(flatten)]
    filter: CasesPageFilter,
}

#[derive(Debug, Default, Deserialize)]
struct CasesPageFilter {
    open: Option<String>,
    overdue: Option<String>,
    hard: Option<String>,
    page: Option<String>,
}

/// A name as lists show it: the family name and the rest masked (김**).
pub(crate) fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or(String::new(), |first| {
        std::iter::once(first).chain(chars.map(|_| '*')).collect()
    })
}

async fn cases_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Params(query): Params<CasesPageQuery>,
) -> Result<CasesPage> {
    render_cases(&state, ctx, &req, &user, query, false).await
}

async fn render_cases(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    query: CasesPageQuery,
    purpose_error: bool,
) -> Result<CasesPage> {
    let code = crate::welfare::list_region(user, query.region.as_deref())?;
    let api_query = CasesQuery {
        open: query.filter.open.clone(),
        overdue: query.filter.overdue.clone(),
        hard: query.filter.hard.clone(),
        page: query.filter.page.clone(),
        per_page: None,
    };
    let paging = Paging::parse(query.filter.page.as_deref(), None)?;
    let (region, filter) = case_filter(state, user, &code, &api_query).await?;
    let (open, overdue, hard) = (
        filter.open_only,
        filter.due_before.is_some(),
        filter.high_difficulty_only,
    );
    let page = state
        .store
        .cases()
        .list(
            filter,
            paging.offset(),
            paging.per_page,
            Actor::user(user, &req.address),
        )
        .await?;
    let today = today();
    let mut rows = Vec::with_capacity(page.items.len());
    let codes: Vec<&str> = page.items.iter().map(|c| c.emd_code.as_str()).collect();
    let place_names = crate::welfare::place_names(state, &codes).await?;
    for c in &page.items {
        let place = place_names[&c.emd_code].clone();
        rows.push(CaseRow {
            href: format!("/work/cases/{}", c.id),
            person: masked_name(&c.person_name),
            place,
            next: ctx.t(&format!("case.step.{}", c.next_step.as_str())),
            due: format::date(c.next_due, ctx.lang),
            overdue: c.overdue(today),
            classification: c
                .classification
                .map_or("", |k| ctx.t(&format!("case.class.{}", k.as_str()))),
            assignee: c
                .assigned_to
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            closed: !c.open(),
        });
    }
    let flag = |on: bool| if on { "1" } else { "" }.to_owned();
    let filter_fields = vec![
        ("region", region.region.code.to_string()),
        ("open", flag(open)),
        ("overdue", flag(overdue)),
        ("hard", flag(hard)),
    ];
    let base = serde_urlencoded::to_string(&filter_fields).unwrap_or_default();
    let total_text = ctx.tf("case.total", &[("n", &format::thousands(page.total))]);
    let title = ctx.t("case.title");
    Ok(CasesPage {
        may_open: user.may(Permission::ManageCases),
        region_code: region.region.code.to_string(),
        region_name: region.region.full_name.clone(),
        rows,
        total_text,
        pager: Pager::new(paging, page.total, base),
        open,
        overdue,
        hard,
        export: crate::welfare::ExportBox {
            href: "/work/cases/export".into(),
            hidden: filter_fields,
            purpose_error,
            hint: "case.export.hint",
        },
        ctx: ctx.crumb(title, None),
    })
}

#[derive(Debug, Default, Deserialize)]
struct CasesExportForm {
    #[serde(default)]
    purpose: String,
    region: Option<String>,
    #[serde(flatten)]
    filter: CasesPageFilter,
}

/// Downloads the cases of a list (its filter, every page) as CSV with the names unmasked, for
/// a case conference or a report; needs a purpose, and each case is logged as exported.
async fn export_cases(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<CasesExportForm>,
) -> Result<Response> {
    let query = CasesPageQuery {
        region: form.region,
        filter: CasesPageFilter {
            page: None,
            ..form.filter
        },
    };
    let Ok(purpose) = Purpose::parse(&form.purpose) else {
        let page = render_cases(&state, ctx, &req, &user, query, true).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let code = crate::welfare::list_region(&user, query.region.as_deref())?;
    let api_query = CasesQuery {
        open: query.filter.open,
        overdue: query.filter.overdue,
        hard: query.filter.hard,
        page: None,
        per_page: None,
    };
    let (region, filter) = case_filter(&state, &user, &code, &api_query).await?;
    let cases = state
        .store
        .cases()
        .export(filter, Actor::user(&user, &req.address), purpose)
        .await?;
    let today = today();
    let mut out = CsvDownload::new([
        "case_id",
        "emd_code",
        "person_name",
        "birth_year",
        "source",
        "opened_on",
        "last_step",
        "next_step",
        "next_due",
        "overdue",
        "classification",
        "closed_on",
        "assigned_to",
    ]);
    for c in &cases {
        let c = CaseOut::new(c, today);
        out.row([
            c.id.to_string(),
            c.emd_code,
            c.person_name,
            c.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            c.source,
            c.opened_on,
            c.last_step,
            c.next_step,
            c.next_due,
            if c.overdue { "1" } else { "0" }.to_owned(),
            c.classification.unwrap_or_default(),
            c.closed_on.unwrap_or_default(),
            c.assigned_to.unwrap_or_default(),
        ]);
    }
    out.attachment(&format!("cases-{}.csv", region.region.code))
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/case/new.html")]
struct NewCasePage {
    ctx: PageCtx,
    places: Vec<Choice>,
    sources: Vec<Choice>,
    candidate: String,
    form: CaseForm,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct CaseForm {
    #[serde(default)]
    emd_code: String,
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    candidate_id: String,
    #[serde(default)]
    opened_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Default, Deserialize)]
struct NewCaseQuery {
    candidate: Option<String>,
    emd: Option<String>,
}

async fn new_case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<NewCaseQuery>,
) -> Result<NewCasePage> {
    let candidate = query.candidate.unwrap_or_default();
    let form = CaseForm {
        emd_code: query.emd.unwrap_or_default(),
        source: if candidate.is_empty() {
            "walk_in"
        } else {
            "discovery"
        }
        .to_owned(),
        candidate_id: candidate,
        opened_on: day(today()),
        ..CaseForm::default()
    };
    render_new(&state, ctx, &user, form, None).await
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    form: CaseForm,
    error: Option<Problem>,
) -> Result<NewCasePage> {
    let mut places = Vec::new();
    for scope in user.scopes(Permission::ManageCases) {
        let found = state
            .store
            .regions()
            .list(
                maeul_store::region::RegionFilter {
                    level: Some(Level::Emd),
                    q: Some(scope.as_str().trim_end_matches('0').to_owned()),
                    ..Default::default()
                },
                0,
                500,
            )
            .await?
            .items;
        for r in found.into_iter().filter(|r| r.path.within(&scope)) {
            places.push(Choice {
                selected: r.region.code.as_str() == form.emd_code,
                value: r.region.code.to_string(),
                label: r.region.full_name,
            });
        }
    }
    let sources = Source::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: ctx.t(&format!("case.source.{}", s.as_str())).to_owned(),
            selected: form.source == s.as_str(),
        })
        .collect();
    let (error_field, error_message) = crate::welfare::form_error(&ctx, error.as_ref());
    let title = ctx.t("case.new");
    let list = ctx.t("case.title");
    Ok(NewCasePage {
        places,
        sources,
        candidate: form.candidate_id.clone(),
        form,
        error_field,
        error_message,
        ctx: ctx
            .crumb(list, Some("/work/cases".into()))
            .crumb(title, None),
    })
}

async fn open_case_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<CaseForm>,
) -> Result<Response> {
    let input = CaseIn {
        emd_code: form.emd_code.clone(),
        person_name: form.person_name.clone(),
        birth_year: match form.birth_year.trim() {
            "" => None,
            y => match y.parse() {
                Ok(y) => Some(y),
                Err(_) => {
                    let p = Problem::field("birth_year", "field.birth_year");
                    let page = render_new(&state, ctx, &user, form, Some(p)).await?;
                    return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
                }
            },
        },
        source: form.source.clone(),
        candidate_id: form.candidate_id.trim().parse().ok(),
        opened_on: Some(form.opened_on.clone()),
        note: Some(form.note.clone()),
    };
    let checked = match new_case(&input, input.emd_code.trim()) {
        Ok(new) => match case_place(&state, &user, &new.emd_code).await {
            Ok(place) => check_candidate(&state, &user, &new, &place)
                .await
                .map(|()| new),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match checked {
        Ok(new) => {
            let id = state
                .store
                .cases()
                .open(new, Actor::user(&user, &req.address))
                .await?;
            Ok(Redirect::to(&format!("/work/cases/{id}")).into_response())
        }
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, form, Some(p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

struct StepView {
    step: &'static str,
    done_on: String,
    details: Vec<String>,
    note: String,
    recorded_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/case/show.html")]
struct CasePage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    id: i64,
    person: String,
    birth_year: String,
    place: String,
    opened_on: String,
    next: &'static str,
    due: String,
    overdue: bool,
    closed: bool,
    classification: &'static str,
    assignee: String,
    steps: Vec<StepView>,
    may_record: bool,
    workers: Vec<Choice>,
    referrals: Vec<crate::welfare::resource::ReferralView>,
    services: Vec<Choice>,
    refer_action: String,
    plans: crate::welfare::visit::PlanSection,
    next_steps: Vec<Choice>,
    domains: Vec<Choice>,
    crises: Vec<Choice>,
    classes: Vec<Choice>,
    reasons: Vec<Choice>,
    form_date: String,
    form_note: String,
    error_field: String,
    error_message: &'static str,
}

async fn case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<CasePage> {
    render_case(&state, ctx, &req, &user, &id, StepInput::default(), None).await
}

async fn render_case(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    id: &str,
    form: StepInput,
    error: Option<CaseError>,
) -> Result<CasePage> {
    let d = read_case(state, req, user, id).await?;
    let rules: CaseRules = state.store.cases().rules().await?;
    let c = &d.case;
    let place = state
        .store
        .regions()
        .get(&RegionCode::parse(&c.emd_code).map_err(|_| Problem::internal())?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let domain_name = |code: &str| {
        rules
            .needs_domains
            .iter()
            .find(|(c, _)| c == code)
            .map_or(code.to_owned(), |(_, n)| n.clone())
    };
    let steps = d
        .steps
        .iter()
        .map(|s| {
            let mut details: Vec<String> = Vec::new();
            if !s.needs.is_empty() {
                details.push(
                    s.needs
                        .iter()
                        .map(|n| domain_name(n))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            if let Some(x) = s.crisis {
                details.push(ctx.t(&format!("case.crisis.{}", x.as_str())).to_owned());
            }
            if let Some(x) = s.classification {
                details.push(ctx.t(&format!("case.class.{}", x.as_str())).to_owned());
            }
            if let Some(x) = s.closure_reason {
                details.push(ctx.t(&format!("case.closure.{}", x.as_str())).to_owned());
            }
            StepView {
                step: ctx.t(&format!("case.step.{}", s.step.as_str())),
                done_on: format::date(s.done_on, ctx.lang),
                details,
                note: s.note.clone().unwrap_or_default(),
                recorded_by: s.recorded_by.clone(),
            }
        })
        .collect();
    let one = |s: &Option<String>| s.iter().cloned().collect::<Vec<_>>();
    let next_steps = c
        .last_step
        .may_follow()
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: ctx.t(&format!("case.step.{}", s.as_str())).to_owned(),
            selected: form.step == s.as_str(),
        })
        .collect();
    let domains = rules
        .needs_domains
        .iter()
        .map(|(code, name)| Choice {
            value: code.clone(),
            label: name.clone(),
            selected: form.needs.contains(code),
        })
        .collect();
    let may_record = user.may_in(Permission::ManageCases, &place.path);
    let assigned = c.assigned_to.as_ref().map(|(login, _)| login.as_str());
    let workers = if may_record {
        state
            .store
            .cases()
            .assignable(&c.emd_code)
            .await?
            .into_iter()
            .map(|w| Choice {
                selected: assigned == Some(w.login.as_str()),
                value: w.id.to_string(),
                label: format!("{} ({})", w.name, w.login),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (referrals, services) = crate::welfare::resource::referral_section(
        state,
        &ctx,
        Subject::Case(c.id),
        &place.path,
        may_record,
    )
    .await?;
    let plans =
        crate::welfare::visit::plan_section(state, &ctx, user, Subject::Case(c.id), may_record)
            .await?;
    let title = masked_name(&c.person_name);
    let list = ctx.t("case.title");
    Ok(CasePage {
        guides: crate::guide::links(state, maeul_core::guide::Subject::Case).await,
        refer_action: format!("/work/cases/{}/referrals", c.id),
        plans,
        referrals,
        services,
        workers,
        id: c.id,
        person: c.person_name.clone(),
        birth_year: c.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        place: place.region.full_name.clone(),
        opened_on: format::date(c.opened_on, ctx.lang),
        next: ctx.t(&format!("case.step.{}", c.next_step.as_str())),
        due: format::date(c.next_due, ctx.lang),
        overdue: c.overdue(today()),
        closed: !c.open(),
        classification: c
            .classification
            .map_or("", |k| ctx.t(&format!("case.class.{}", k.as_str()))),
        assignee: c
            .assigned_to
            .as_ref()
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        steps,
        may_record,
        next_steps,
        domains,
        crises: choices(
            &[Crisis::High, Crisis::Medium, Crisis::Low],
            "case.crisis",
            Crisis::as_str,
            &ctx,
            &one(&form.crisis),
        ),
        classes: choices(
            &[Classification::General, Classification::HighDifficulty],
            "case.class",
            Classification::as_str,
            &ctx,
            &one(&form.classification),
        ),
        reasons: choices(
            &ClosureReason::ALL,
            "case.closure",
            ClosureReason::as_str,
            &ctx,
            &one(&form.closure_reason),
        ),
        form_date: if form.done_on.is_empty() {
            day(today())
        } else {
            form.done_on.clone()
        },
        form_note: form.note.clone().unwrap_or_default(),
        error_field: error
            .as_ref()
            .map(|e| e.field().to_owned())
            .unwrap_or_default(),
        error_message: error
            .as_ref()
            .map_or("", |e| ctx.t(case_problem(e).fields[0].message_key)),
        ctx: ctx
            .crumb(list, Some(format!("/work/cases?region={}", c.emd_code)))
            .crumb(title, None),
    })
}

/// The step form: a browser sends `needs` once per ticked domain.
async fn step_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| Problem::bad_request())?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let input = StepInput {
        step: field("step").unwrap_or_default(),
        done_on: field("done_on").unwrap_or_default(),
        needs: pairs
            .iter()
            .filter(|(k, _)| k == "needs")
            .map(|(_, v)| v.clone())
            .collect(),
        crisis: field("crisis"),
        classification: field("classification"),
        closure_reason: field("closure_reason"),
        note: field("note"),
    };
    let case = visible_case(&state, &user, &id, true).await?;
    match state
        .store
        .cases()
        .record_step(
            case,
            input.clone(),
            today(),
            Actor::user(&user, &req.address),
        )
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!("/work/cases/{case}")).into_response()),
        Err(e) => {
            let page = render_case(&state, ctx, &req, &user, &id, input, Some(e)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Puts a worker of the place, or a case manager of its si/gun/gu, in charge of the case.
async fn assign_form(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response> {
    let case = visible_case(&state, &user, &id, true).await?;
    let worker = form.worker()?;
    state
        .store
        .cases()
        .assign(case, worker, Actor::user(&user, &req.address))
        .await?;
    Ok(Redirect::to(&format!("/work/cases/{case}")).into_response())
}
