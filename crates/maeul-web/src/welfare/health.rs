//! 방문건강관리 — nurses register people with a risk group, record health visits with their
//! readings, and see who is due or overdue by the group's cadence.

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
use maeul_core::region::{Level, RegionCode};
use maeul_core::welfare::health::{HealthError, HealthRules, Readings, Registration, RiskGroup};
use maeul_core::welfare::person::Person;
use maeul_store::account::Actor;
use maeul_store::region::StoredRegion;
use maeul_store::welfare::Subject;
use maeul_store::welfare::health::{HealthDetail, HealthSummary};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{CsvDownload, PageCtx};
use crate::paging::{Pager, Paging};
use crate::welfare::{Choice, Created, day, today};

const READ: Access = Access::Allowed(Permission::ReadPersonalWelfare);
const RECORD: Access = Access::Allowed(Permission::RecordHealth);

pub fn routes(r: Routes) -> Routes {
    r.api(RECORD, routes!(register_api))
        .api(READ, routes!(person_api))
        .api(RECORD, routes!(visit_api))
        .api(RECORD, routes!(group_api))
        .api(READ, routes!(list_api))
        .page("/work/health", READ, get(list_page))
        .page("/work/health/export", READ, post(export_people))
        .page(
            "/work/health/new",
            RECORD,
            get(new_page).post(register_form),
        )
        .page("/work/health/{id}", READ, get(person_page))
        .page("/work/health/{id}/visits", RECORD, post(visit_form))
        .page("/work/health/{id}/group", RECORD, post(group_form))
}

fn health_problem(e: &HealthError) -> Problem {
    let key = match e {
        HealthError::LongTermCare => "field.ltc_excluded",
        HealthError::Grade => "field.ltc_grade",
        HealthError::Group => "field.risk_group",
        HealthError::Date => "field.case_date",
        HealthError::Reading(_) => "field.reading",
        HealthError::Note => "field.note",
    };
    Problem::field(e.field(), key)
}

fn parse_day(field: &str, s: Option<&str>) -> Result<Date> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .ok()
            .filter(|d| *d <= today())
            .ok_or_else(|| Problem::field(field, "field.case_date")),
    }
}

/// A registered person the user may see (nurses and welfare staff of the place, case managers
/// of its si/gun/gu), or may record on (its nurses); otherwise 404.
pub(crate) async fn visible(
    state: &AppState,
    user: &Principal,
    id: &str,
    permission: Permission,
) -> Result<i64> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(Problem::not_found)?;
    let (_, path, _) = state
        .store
        .health()
        .place_of(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    if !user.may_in(permission, &path) {
        return Err(Problem::not_found());
    }
    Ok(id)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonIn {
    #[schema(example = "1111051500", pattern = "^[0-9]{8}00$")]
    emd_code: String,
    #[schema(example = "최복남", min_length = 1, max_length = 50)]
    person_name: String,
    #[schema(example = 1941, minimum = 1900, maximum = 2100)]
    birth_year: Option<i32>,
    /// `intensive`, `regular` or `self_capacity`.
    #[schema(example = "intensive", pattern = "^(intensive|regular|self_capacity)$")]
    group: String,
    /// A long-term-care grade 1–5 excludes the person (served by long-term care).
    ltc_grade: Option<i64>,
    #[schema(format = Date)]
    registered_on: Option<String>,
}

/// Checks a registration and its place; the user must be a nurse of the place.
async fn registration(
    state: &AppState,
    user: &Principal,
    input: &PersonIn,
) -> Result<(String, Registration)> {
    let today = today();
    let person = Person::new(&input.person_name, input.birth_year, today)
        .map_err(crate::welfare::person_problem)?;
    let on = parse_day("registered_on", input.registered_on.as_deref())?;
    let reg = Registration::new(person, &input.group, input.ltc_grade, on, today)
        .map_err(|e| health_problem(&e))?;
    let code = RegionCode::parse(input.emd_code.trim())
        .map_err(|_| Problem::field("emd_code", "field.region_code"))?;
    let place = state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.region.level == Level::Emd && r.retired_on.is_none())
        .ok_or_else(|| Problem::field("emd_code", "field.region_code"))?;
    if !user.may_in(Permission::RecordHealth, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok((place.region.code.to_string(), reg))
}

/// Registers a person for visiting health care in the nurse's place.
#[utoipa::path(post, path = "/health/people", tag = "welfare", request_body = PersonIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a nurse of the place", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or a long-term-care grade 1–5 excludes the person", content_type = "application/problem+json"),
    ))]
async fn register_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input: PersonIn = json_body(&body)?;
    let (emd, reg) = registration(&state, &user, &input).await?;
    let id = state
        .store
        .health()
        .register(&emd, reg, Actor::user(&user, &req.address))
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    id: i64,
    emd_code: String,
    person_name: String,
    birth_year: Option<i64>,
    group: String,
    registered_on: String,
    last_visit_on: Option<String>,
    next_due: String,
    overdue: bool,
    nurse: Option<String>,
}

impl PersonOut {
    fn new(p: &HealthSummary, today: Date) -> Self {
        PersonOut {
            id: p.id,
            emd_code: p.emd_code.clone(),
            person_name: p.person_name.clone(),
            birth_year: p.birth_year,
            group: p.group.as_str().to_owned(),
            registered_on: day(p.registered_on),
            last_visit_on: p.last_visit_on.map(day),
            next_due: day(p.next_due),
            overdue: today > p.next_due,
            nurse: p.nurse.as_ref().map(|(l, _)| l.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthVisitOut {
    visited_on: String,
    systolic: Option<i64>,
    diastolic: Option<i64>,
    glucose: Option<i64>,
    height_cm: Option<f64>,
    weight_kg: Option<f64>,
    bmi: Option<f64>,
    frailty: Option<i64>,
    /// Readings past the thresholds in force, e.g. `high_blood_pressure`.
    flags: Vec<String>,
    note: Option<String>,
    recorded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    changed_on: String,
    from: Option<String>,
    to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetailOut {
    #[serde(flatten)]
    person: PersonOut,
    /// For the intensive group: visits still missing in the trailing three months.
    intensive_shortfall: i64,
    visits: Vec<HealthVisitOut>,
    changes: Vec<ChangeOut>,
}

fn detail_out(d: &HealthDetail, rules: &HealthRules) -> PersonDetailOut {
    let today = today();
    let dates: Vec<Date> = d.visits.iter().map(|v| v.visited_on).collect();
    PersonDetailOut {
        person: PersonOut::new(&d.person, today),
        intensive_shortfall: rules.intensive_shortfall(d.person.group, &dates, today),
        visits: d
            .visits
            .iter()
            .map(|v| HealthVisitOut {
                visited_on: day(v.visited_on),
                systolic: v.readings.systolic,
                diastolic: v.readings.diastolic,
                glucose: v.readings.glucose,
                height_cm: v.readings.height_cm,
                weight_kg: v.readings.weight_kg,
                bmi: v.readings.bmi(),
                frailty: v.readings.frailty,
                flags: v
                    .readings
                    .flags(rules)
                    .iter()
                    .map(|f| f.as_str().to_owned())
                    .collect(),
                note: v.note.clone(),
                recorded_by: v.recorded_by.clone(),
            })
            .collect(),
        changes: d
            .changes
            .iter()
            .map(|c| ChangeOut {
                changed_on: day(c.changed_on),
                from: c.from.map(|g| g.as_str().to_owned()),
                to: c.to.as_str().to_owned(),
            })
            .collect(),
    }
}

async fn read_person(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    id: &str,
) -> Result<HealthDetail> {
    let id = visible(state, user, id, Permission::ReadPersonalWelfare).await?;
    state
        .store
        .health()
        .person(id, Actor::user(user, &req.address))
        .await?
        .ok_or_else(Problem::not_found)
}

/// A registered person with visits, readings, flags and group history; logged as read.
#[utoipa::path(get, path = "/health/people/{id}", tag = "welfare", params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = PersonDetailOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a role that sees personal health data", content_type = "application/problem+json"),
        (status = 404, description = "No such person among the user's", content_type = "application/problem+json"),
    ))]
async fn person_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<PersonDetailOut>> {
    let d = read_person(&state, &req, &user, &id).await?;
    let rules = state.store.health().rules().await?;
    Ok(Json(detail_out(&d, &rules)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct HealthVisitIn {
    #[schema(example = "2026-11-20", format = Date)]
    visited_on: String,
    #[schema(minimum = 50, maximum = 300)]
    systolic: Option<i64>,
    #[schema(minimum = 20, maximum = 200)]
    diastolic: Option<i64>,
    /// Fasting glucose, mg/dL.
    #[schema(minimum = 10, maximum = 1000)]
    glucose: Option<i64>,
    #[schema(minimum = 50, maximum = 250)]
    height_cm: Option<f64>,
    #[schema(minimum = 10, maximum = 300)]
    weight_kg: Option<f64>,
    /// K-FRAIL score, 0–5.
    #[schema(minimum = 0, maximum = 5)]
    frailty: Option<i64>,
    #[schema(max_length = 4000)]
    note: Option<String>,
}

fn checked_visit(v: &HealthVisitIn) -> Result<(Date, Readings, Option<String>)> {
    let on = Date::parse(
        v.visited_on.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
    .filter(|d| *d <= today())
    .ok_or_else(|| Problem::field("visited_on", "field.case_date"))?;
    let readings = Readings {
        systolic: v.systolic,
        diastolic: v.diastolic,
        glucose: v.glucose,
        height_cm: v.height_cm,
        weight_kg: v.weight_kg,
        frailty: v.frailty,
    }
    .check()
    .map_err(|e| health_problem(&e))?;
    let note = v
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(Problem::field("note", "field.note"));
    }
    Ok((on, readings, note))
}

/// Records a health visit with its readings.
#[utoipa::path(post, path = "/health/people/{id}/visits", tag = "welfare", params(("id" = i64, Path)),
    request_body = HealthVisitIn, security(("bearer" = [])),
    responses(
        (status = 201, description = "Recorded"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a nurse", content_type = "application/problem+json"),
        (status = 404, description = "No such person among the user's", content_type = "application/problem+json"),
        (status = 422, description = "A reading or the date is wrong", content_type = "application/problem+json"),
    ))]
async fn visit_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let body: HealthVisitIn = json_body(&body)?;
    let (on, readings, note) = checked_visit(&body)?;
    let id = visible(&state, &user, &id, Permission::RecordHealth).await?;
    state
        .store
        .health()
        .record_visit(id, on, readings, note, Actor::user(&user, &req.address))
        .await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupIn {
    #[schema(example = "regular", pattern = "^(intensive|regular|self_capacity)$")]
    group: String,
    #[schema(format = Date)]
    changed_on: Option<String>,
}

/// Moves a person to another risk group; the history keeps every change.
#[utoipa::path(post, path = "/health/people/{id}/group", tag = "welfare", params(("id" = i64, Path)),
    request_body = GroupIn, security(("bearer" = [])),
    responses(
        (status = 201, description = "Changed"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a nurse", content_type = "application/problem+json"),
        (status = 404, description = "No such person among the user's", content_type = "application/problem+json"),
        (status = 422, description = "Unknown group or a wrong date", content_type = "application/problem+json"),
    ))]
async fn group_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let body: GroupIn = json_body(&body)?;
    change_group(&state, &req, &user, &id, &body).await?;
    Ok(StatusCode::CREATED)
}

async fn change_group(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    id: &str,
    body: &GroupIn,
) -> Result<i64> {
    let group = RiskGroup::parse(body.group.trim())
        .ok_or_else(|| Problem::field("group", "field.risk_group"))?;
    let on = parse_day("changed_on", body.changed_on.as_deref())?;
    let id = visible(state, user, id, Permission::RecordHealth).await?;
    state
        .store
        .health()
        .change_group(id, group, on, Actor::user(user, &req.address))
        .await?;
    Ok(id)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HealthQuery {
    /// `1`: only people whose visit is overdue.
    #[param(pattern = "^[01]$")]
    overdue: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonList {
    items: Vec<PersonOut>,
    total: i64,
}

/// The region of a list the user may read personal records in (403 outside, 404 for no such
/// region) and whether only the overdue are asked for.
async fn list_scope(
    state: &AppState,
    user: &Principal,
    code: &str,
    overdue: Option<&str>,
) -> Result<(StoredRegion, bool)> {
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
    let overdue = crate::error::flag("overdue", overdue)?;
    Ok((region, overdue))
}

async fn people_of(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    code: &str,
    overdue: Option<&str>,
    paging: Paging,
) -> Result<(String, maeul_store::region::Page<HealthSummary>)> {
    let (region, overdue) = list_scope(state, user, code, overdue).await?;
    let page = state
        .store
        .health()
        .list(
            Some(region.region.code.to_string()),
            overdue.then(today),
            paging.offset(),
            paging.per_page,
            Actor::user(user, &req.address),
        )
        .await?;
    Ok((region.region.full_name, page))
}

/// People registered in the places under a region, the most overdue first; each returned is
/// logged as read.
#[utoipa::path(get, path = "/regions/{code}/health/people", tag = "welfare", params(
        ("code" = String, Path, pattern = "^[0-9]{8}00$"), HealthQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = PersonList),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The region is outside the user's places", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<HealthQuery>,
) -> Result<Json<PersonList>> {
    no_empty_values(&[("page", &query.page), ("per_page", &query.per_page)])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (_, page) = people_of(&state, &req, &user, &code, query.overdue.as_deref(), paging).await?;
    let today = today();
    Ok(Json(PersonList {
        items: page
            .items
            .iter()
            .map(|p| PersonOut::new(p, today))
            .collect(),
        total: page.total,
    }))
}

// ---------------------------------------------------------------------------------------------
// Pages

struct PersonRow {
    href: String,
    person: String,
    group: &'static str,
    last_visit: String,
    due: String,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/health/list.html")]
struct ListPage {
    ctx: PageCtx,
    region_code: String,
    region_name: String,
    rows: Vec<PersonRow>,
    total_text: String,
    pager: Pager,
    overdue: bool,
    may_register: bool,
    export: crate::welfare::ExportBox,
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    region: Option<String>,
    overdue: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ExportForm {
    #[serde(default)]
    purpose: String,
    region: Option<String>,
    overdue: Option<String>,
}

/// Downloads the people of a list (every page) as CSV with the names unmasked, for the visiting
/// round; needs a purpose, and each person is logged as exported.
async fn export_people(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<ExportForm>,
) -> Result<Response> {
    let Ok(purpose) = Purpose::parse(&form.purpose) else {
        let query = ListQuery {
            region: form.region,
            overdue: form.overdue,
            page: None,
        };
        let page = render_list(&state, ctx, &req, &user, query, true).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let code = crate::welfare::list_region(&user, form.region.as_deref())?;
    let (region, overdue) = list_scope(&state, &user, &code, form.overdue.as_deref()).await?;
    let people = state
        .store
        .health()
        .export(
            Some(region.region.code.to_string()),
            overdue.then(today),
            Actor::user(&user, &req.address),
            purpose,
        )
        .await?;
    let today = today();
    let mut out = CsvDownload::new([
        "person_id",
        "emd_code",
        "person_name",
        "birth_year",
        "group",
        "registered_on",
        "last_visit_on",
        "next_due",
        "overdue",
        "nurse",
    ]);
    for p in &people {
        let p = PersonOut::new(p, today);
        out.row([
            p.id.to_string(),
            p.emd_code,
            p.person_name,
            p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            p.group,
            p.registered_on,
            p.last_visit_on.unwrap_or_default(),
            p.next_due,
            if p.overdue { "1" } else { "0" }.to_owned(),
            p.nurse.unwrap_or_default(),
        ]);
    }
    out.attachment(&format!("health-{}.csv", region.region.code))
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Params(query): Params<ListQuery>,
) -> Result<ListPage> {
    render_list(&state, ctx, &req, &user, query, false).await
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    query: ListQuery,
    purpose_error: bool,
) -> Result<ListPage> {
    let code = crate::welfare::list_region(user, query.region.as_deref())?;
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (region_name, page) =
        people_of(state, req, user, &code, query.overdue.as_deref(), paging).await?;
    let overdue = query.overdue.as_deref() == Some("1");
    let today = today();
    let rows = page
        .items
        .iter()
        .map(|p| PersonRow {
            href: format!("/work/health/{}", p.id),
            person: crate::welfare::case::masked_name(&p.person_name),
            group: ctx.t(&format!("health.group.{}", p.group.as_str())),
            last_visit: p
                .last_visit_on
                .map(|d| format::date(d, ctx.lang))
                .unwrap_or_default(),
            due: format::date(p.next_due, ctx.lang),
            overdue: today > p.next_due,
        })
        .collect();
    let filter_fields = vec![
        ("region", code.clone()),
        ("overdue", if overdue { "1" } else { "" }.to_owned()),
    ];
    let base = serde_urlencoded::to_string(&filter_fields).unwrap_or_default();
    let total_text = ctx.tf("health.total", &[("n", &format::thousands(page.total))]);
    let title = ctx.t("health.title");
    Ok(ListPage {
        export: crate::welfare::ExportBox {
            href: "/work/health/export".into(),
            hidden: filter_fields,
            purpose_error,
            hint: "health.export.hint",
        },
        may_register: user.may(Permission::RecordHealth),
        region_code: code,
        region_name,
        rows,
        total_text,
        pager: Pager::new(paging, page.total, base),
        overdue,
        ctx: ctx.crumb(title, None),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/health/new.html")]
struct NewPage {
    ctx: PageCtx,
    places: Vec<Choice>,
    groups: Vec<Choice>,
    form: RegisterForm,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct RegisterForm {
    #[serde(default)]
    emd_code: String,
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    ltc_grade: String,
    #[serde(default)]
    registered_on: String,
}

fn group_choices(ctx: &PageCtx, selected: &str) -> Vec<Choice> {
    RiskGroup::ALL
        .into_iter()
        .map(|g| Choice {
            value: g.as_str().to_owned(),
            label: ctx.t(&format!("health.group.{}", g.as_str())).to_owned(),
            selected: selected == g.as_str(),
        })
        .collect()
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    form: RegisterForm,
    error: Option<Problem>,
) -> Result<NewPage> {
    let mut places = Vec::new();
    for scope in user.scopes(Permission::RecordHealth) {
        if let Some(r) = state.store.regions().get(&scope).await? {
            places.push(Choice {
                selected: form.emd_code == r.region.code.as_str(),
                value: r.region.code.to_string(),
                label: r.region.full_name,
            });
        }
    }
    let (error_field, error_message) = crate::welfare::form_error(&ctx, error.as_ref());
    let title = ctx.t("health.new");
    let list = ctx.t("health.title");
    Ok(NewPage {
        places,
        groups: group_choices(&ctx, &form.group),
        form,
        error_field,
        error_message,
        ctx: ctx
            .crumb(list, Some("/work/health".into()))
            .crumb(title, None),
    })
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
) -> Result<NewPage> {
    let form = RegisterForm {
        registered_on: day(today()),
        group: "regular".into(),
        ..RegisterForm::default()
    };
    render_new(&state, ctx, &user, form, None).await
}

fn optional_number<T: std::str::FromStr>(field: &str, s: &str) -> Result<Option<T>> {
    match s.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| Problem::field(field, "field.reading")),
    }
}

async fn register_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<RegisterForm>,
) -> Result<Response> {
    let checked = async {
        let input = PersonIn {
            emd_code: form.emd_code.clone(),
            person_name: form.person_name.clone(),
            birth_year: optional_number("birth_year", &form.birth_year)?,
            group: form.group.clone(),
            ltc_grade: optional_number("ltc_grade", &form.ltc_grade)?,
            registered_on: Some(form.registered_on.clone()),
        };
        registration(&state, &user, &input).await
    }
    .await;
    match checked {
        Ok((emd, reg)) => {
            let id = state
                .store
                .health()
                .register(&emd, reg, Actor::user(&user, &req.address))
                .await?;
            Ok(Redirect::to(&format!("/work/health/{id}")).into_response())
        }
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, form, Some(p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

struct VisitRow {
    visited_on: String,
    pressure: String,
    glucose: String,
    bmi: String,
    frailty: String,
    flags: String,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/health/show.html")]
struct PersonPage {
    ctx: PageCtx,
    id: i64,
    person: String,
    group: &'static str,
    due: String,
    overdue: bool,
    shortfall: String,
    visits: Vec<VisitRow>,
    changes: Vec<String>,
    may_record: bool,
    referrals: Vec<crate::welfare::resource::ReferralView>,
    services: Vec<Choice>,
    refer_action: String,
    plans: crate::welfare::visit::PlanSection,
    groups: Vec<Choice>,
    today: String,
    error_field: String,
    error_message: &'static str,
}

async fn person_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<PersonPage> {
    render_person(&state, ctx, &req, &user, &id, None).await
}

async fn render_person(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    id: &str,
    error: Option<Problem>,
) -> Result<PersonPage> {
    let d = read_person(state, req, user, id).await?;
    let rules = state.store.health().rules().await?;
    let out = detail_out(&d, &rules);
    let (_, path, _) = state
        .store
        .health()
        .place_of(d.person.id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let none = || "–".to_owned();
    let visits = out
        .visits
        .iter()
        .zip(&d.visits)
        .map(|(v, raw)| VisitRow {
            visited_on: format::date(raw.visited_on, ctx.lang),
            pressure: match (v.systolic, v.diastolic) {
                (Some(s), Some(d)) => format!("{s}/{d}"),
                _ => none(),
            },
            glucose: v.glucose.map_or_else(none, |g| g.to_string()),
            bmi: v.bmi.map_or_else(none, |b| format!("{b:.1}")),
            frailty: v.frailty.map_or_else(none, |f| f.to_string()),
            flags: v
                .flags
                .iter()
                .map(|f| ctx.t(&format!("health.flag.{f}")))
                .collect::<Vec<_>>()
                .join(", "),
            note: v.note.clone().unwrap_or_default(),
        })
        .collect();
    let changes = d
        .changes
        .iter()
        .map(|c| {
            ctx.tf(
                "health.change",
                &[
                    ("on", &format::date(c.changed_on, ctx.lang)),
                    ("group", ctx.t(&format!("health.group.{}", c.to.as_str()))),
                    ("by", &c.recorded_by),
                ],
            )
        })
        .collect();
    let (error_field, error_message) = crate::welfare::form_error(&ctx, error.as_ref());
    let title = crate::welfare::case::masked_name(&d.person.person_name);
    let list = ctx.t("health.title");
    let may_record = user.may_in(Permission::RecordHealth, &path);
    let subject = Subject::HealthPerson(d.person.id);
    let (referrals, services) =
        crate::welfare::resource::referral_section(state, &ctx, subject, &path, may_record).await?;
    let plans = crate::welfare::visit::plan_section(state, &ctx, user, subject, may_record).await?;
    Ok(PersonPage {
        refer_action: format!("/work/health/{}/referrals", d.person.id),
        referrals,
        services,
        plans,
        id: d.person.id,
        person: d.person.person_name.clone(),
        group: ctx.t(&format!("health.group.{}", d.person.group.as_str())),
        due: format::date(d.person.next_due, ctx.lang),
        overdue: out.person.overdue,
        shortfall: if out.intensive_shortfall > 0 {
            ctx.tf(
                "health.shortfall",
                &[("n", &out.intensive_shortfall.to_string())],
            )
        } else {
            String::new()
        },
        visits,
        changes,
        may_record,
        groups: group_choices(&ctx, d.person.group.as_str()),
        today: day(today()),
        error_field,
        error_message,
        ctx: ctx
            .crumb(
                list,
                Some(format!("/work/health?region={}", d.person.emd_code)),
            )
            .crumb(title, None),
    })
}

#[derive(Debug, Default, Deserialize)]
struct VisitForm {
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    systolic: String,
    #[serde(default)]
    diastolic: String,
    #[serde(default)]
    glucose: String,
    #[serde(default)]
    height_cm: String,
    #[serde(default)]
    weight_kg: String,
    #[serde(default)]
    frailty: String,
    #[serde(default)]
    note: String,
}

async fn visit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<VisitForm>,
) -> Result<Response> {
    let person = visible(&state, &user, &id, Permission::RecordHealth).await?;
    let checked = (|| {
        checked_visit(&HealthVisitIn {
            visited_on: form.visited_on.clone(),
            systolic: optional_number("systolic", &form.systolic)?,
            diastolic: optional_number("diastolic", &form.diastolic)?,
            glucose: optional_number("glucose", &form.glucose)?,
            height_cm: optional_number("height_cm", &form.height_cm)?,
            weight_kg: optional_number("weight_kg", &form.weight_kg)?,
            frailty: optional_number("frailty", &form.frailty)?,
            note: Some(form.note.clone()),
        })
    })();
    match checked {
        Ok((on, readings, note)) => {
            state
                .store
                .health()
                .record_visit(person, on, readings, note, Actor::user(&user, &req.address))
                .await?;
            Ok(Redirect::to(&format!("/work/health/{person}")).into_response())
        }
        Err(p) => {
            let page = render_person(&state, ctx, &req, &user, &id, Some(p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
struct GroupForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    changed_on: String,
}

async fn group_form(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response> {
    let body = GroupIn {
        group: form.group,
        changed_on: Some(form.changed_on),
    };
    let person = change_group(&state, &req, &user, &id, &body).await?;
    Ok(Redirect::to(&format!("/work/health/{person}")).into_response())
}
