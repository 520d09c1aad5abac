//! 지역사회자원 연계 — the directory of public and private services, and referrals of cases to
//! them with their status and result.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::format;
use maeul_core::region::RegionCode;
use maeul_core::region::RegionPath;
use maeul_core::welfare::resource::{Category, ReferralStatus, Resource, ResourceError};
use maeul_store::account::Actor;
use maeul_store::region::StoredRegion;
use maeul_store::welfare::Subject;
use maeul_store::welfare::resource::{ResourceFilter, StoredResource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::PageCtx;
use crate::paging::{Pager, Paging};
use crate::welfare::{Choice, Created, subject_href, today, writable_subject};
use crate::{AppState, record_id};

const WORKSPACE: Access = Access::Allowed(Permission::UseWorkspace);
const CASES: Access = Access::Allowed(Permission::ManageCases);
const VISITS: Access = Access::Allowed(Permission::RecordVisit);
const HEALTH: Access = Access::Allowed(Permission::RecordHealth);
/// Referrals of cases, households and people in health care: route-level for every role that
/// may refer one; the record decides (case: ManageCases, household: RecordVisit, person:
/// RecordHealth, on its place).
const REFERRALS: Access = Access::Allowed(Permission::ReadPersonalWelfare);

pub fn routes(r: Routes) -> Routes {
    r.api(WORKSPACE, routes!(list_api))
        // One access per path: adding checks ManageResources on the area itself.
        .api(WORKSPACE, routes!(add_api))
        .api(CASES, routes!(refer_api))
        .api(VISITS, routes!(refer_household_api))
        .api(HEALTH, routes!(refer_person_api))
        .api(REFERRALS, routes!(status_api))
        .page("/work/resources", WORKSPACE, get(list_page).post(add_form))
        .page(
            "/work/cases/{id}/referrals",
            CASES,
            refer_page(Subject::Case),
        )
        .page(
            "/work/discovery/candidates/{id}/referrals",
            VISITS,
            refer_page(Subject::Candidate),
        )
        .page(
            "/work/health/{id}/referrals",
            HEALTH,
            refer_page(Subject::HealthPerson),
        )
        .page("/work/referrals/{id}/status", REFERRALS, post(status_form))
}

fn resource_problem(e: &ResourceError) -> Problem {
    let key = match e {
        ResourceError::Name => "field.resource_name",
        ResourceError::Category => "field.resource_category",
        ResourceError::Sector => "field.resource_sector",
        ResourceError::Capacity => "field.resource_capacity",
        ResourceError::TooLong(_) => "field.too_long",
        ResourceError::Status | ResourceError::Transition => "field.referral_status",
    };
    Problem::field(e.field(), key)
}

async fn region_of(state: &AppState, code: &str) -> Result<StoredRegion> {
    let code =
        RegionCode::parse(code).map_err(|_| Problem::field("region", "field.region_code"))?;
    state
        .store
        .regions()
        .get(&code)
        .await?
        .ok_or_else(|| Problem::field("region", "field.region_code"))
}

/// The services serving a region (its own and its ancestors' areas) and those within it.
async fn filter_for(
    state: &AppState,
    user: &Principal,
    region: Option<&str>,
    category: Option<&str>,
    q: Option<&str>,
) -> Result<(StoredRegion, ResourceFilter)> {
    let code = match region.map(str::trim).filter(|s| !s.is_empty()) {
        Some(c) => c.to_owned(),
        None => user
            .grants
            .iter()
            .map(|g| g.scope.to_string())
            .find(|s| s != RegionCode::NATION)
            .unwrap_or_else(|| "1100000000".to_owned()),
    };
    let region = region_of(state, &code).await?;
    let category = match category.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            Category::parse(c)
                .ok_or_else(|| Problem::field("category", "field.resource_category"))?,
        ),
    };
    let q = q
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(Problem::field("q", "field.query"));
    }
    let filter = ResourceFilter {
        serving: region.path.codes().iter().map(|c| c.to_string()).collect(),
        within: Some(region.region.code.to_string()),
        category,
        q,
    };
    Ok((region, filter))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceOut {
    id: i64,
    /// The region the service serves (and the regions below it).
    area_code: String,
    area_name: String,
    name: String,
    /// `food`, `housing`, `health`, `care`, `employment`, `finance`, `education`, `legal`, `mental_health` or `other`.
    category: String,
    /// `public` or `private`.
    sector: String,
    provider: String,
    capacity: Option<i64>,
    contact: String,
    description: String,
}

impl From<&StoredResource> for ResourceOut {
    fn from(r: &StoredResource) -> Self {
        ResourceOut {
            id: r.id,
            area_code: r.area_code.clone(),
            area_name: r.area_name.clone(),
            name: r.resource.name.clone(),
            category: r.resource.category.as_str().to_owned(),
            sector: r.resource.sector.as_str().to_owned(),
            provider: r.resource.provider.clone(),
            capacity: r.resource.capacity,
            contact: r.resource.contact.clone(),
            description: r.resource.description.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceList {
    items: Vec<ResourceOut>,
    total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourceQuery {
    /// The region whose services to list (default: the user's first scope).
    #[param(pattern = "^[0-9]{8}00$")]
    region: Option<String>,
    #[param(
        pattern = "^(food|housing|health|care|employment|finance|education|legal|mental_health|other)$"
    )]
    category: Option<String>,
    /// Part of the name or the provider.
    #[param(max_length = 100)]
    q: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// Services serving a region and within it (no personal data).
#[utoipa::path(get, path = "/resources", tag = "welfare", params(ResourceQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = ResourceList),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "No workspace role", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    User(user): User,
    Params(query): Params<ResourceQuery>,
) -> Result<Json<ResourceList>> {
    no_empty_values(&[
        ("region", &query.region),
        ("category", &query.category),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (_, filter) = filter_for(
        &state,
        &user,
        query.region.as_deref(),
        query.category.as_deref(),
        query.q.as_deref(),
    )
    .await?;
    let page = state
        .store
        .resources()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(ResourceList {
        items: page.items.iter().map(ResourceOut::from).collect(),
        total: page.total,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ResourceIn {
    /// The region served: a si/do, si/gun/gu or eup/myeon/dong within the user's scope.
    #[schema(example = "1111000000", pattern = "^[0-9]{8}00$")]
    area_code: String,
    #[schema(example = "종로 푸드뱅크", min_length = 1, max_length = 100)]
    name: String,
    #[schema(
        example = "food",
        pattern = "^(food|housing|health|care|employment|finance|education|legal|mental_health|other)$"
    )]
    category: String,
    #[schema(example = "private", pattern = "^(public|private)$")]
    sector: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    provider: String,
    #[schema(minimum = 0)]
    capacity: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 200)]
    contact: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    description: String,
}

async fn add(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    input: &ResourceIn,
) -> Result<i64> {
    let resource = Resource::new(
        &input.name,
        &input.category,
        &input.sector,
        &input.provider,
        input.capacity,
        &input.contact,
        &input.description,
    )
    .map_err(|e| resource_problem(&e))?;
    let area = region_of(state, input.area_code.trim())
        .await
        .map_err(|_| Problem::field("area_code", "field.region_code"))?;
    if !user.may_in(Permission::ManageResources, &area.path) {
        return Err(Problem::forbidden());
    }
    Ok(state
        .store
        .resources()
        .add(
            area.region.code.as_str(),
            resource,
            Actor::user(user, &req.address),
        )
        .await?)
}

/// Adds a service to the directory of an area the user covers.
#[utoipa::path(post, path = "/resources", tag = "welfare", request_body = ResourceIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not staff of the area", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong", content_type = "application/problem+json"),
    ))]
async fn add_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input: ResourceIn = json_body(&body)?;
    let id = add(&state, &req, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReferralIn {
    resource_id: i64,
    #[schema(max_length = 4000)]
    note: Option<String>,
}

async fn refer(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    subject: Subject,
    input: &ReferralIn,
) -> Result<i64> {
    let place = writable_subject(state, user, subject).await?;
    let area = state
        .store
        .resources()
        .area_of(input.resource_id)
        .await?
        .ok_or_else(|| Problem::field("resource_id", "field.resource_serves"))?;
    // The service must serve the place: its area is the place or above it.
    let serves = area.codes().last().is_some_and(|a| place.within(a));
    if !serves {
        return Err(Problem::field("resource_id", "field.resource_serves"));
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(Problem::field("note", "field.note"));
    }
    Ok(state
        .store
        .resources()
        .refer(
            subject,
            input.resource_id,
            today(),
            note,
            Actor::user(user, &req.address),
        )
        .await?)
}

/// A referral asked through the API: the body read, the subject checked, 201 with its id.
async fn referral_created(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    subject: fn(i64) -> Subject,
    id: &str,
    body: &Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input: ReferralIn = json_body(body)?;
    let id = refer(state, req, user, subject(record_id(id)?), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Refers a case to a service serving its place.
#[utoipa::path(post, path = "/cases/{id}/referrals", tag = "welfare", params(("id" = i64, Path)),
    request_body = ReferralIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or a case manager", content_type = "application/problem+json"),
        (status = 404, description = "No such case among the user's", content_type = "application/problem+json"),
        (status = 422, description = "The service does not serve the case's place", content_type = "application/problem+json"),
    ))]
async fn refer_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    referral_created(&state, &req, &user, Subject::Case, &id, &body).await
}

/// Refers a household a discovery visit found in need to a service serving its place.
#[utoipa::path(post, path = "/candidates/{id}/referrals", tag = "welfare", params(("id" = i64, Path)),
    request_body = ReferralIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or nurses of a place", content_type = "application/problem+json"),
        (status = 404, description = "No such household in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "The service does not serve the household's place", content_type = "application/problem+json"),
    ))]
async fn refer_household_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    referral_created(&state, &req, &user, Subject::Candidate, &id, &body).await
}

/// Refers a person in visiting health care to a service serving their place.
#[utoipa::path(post, path = "/health/people/{id}/referrals", tag = "welfare", params(("id" = i64, Path)),
    request_body = ReferralIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a nurse", content_type = "application/problem+json"),
        (status = 404, description = "No such person in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "The service does not serve the person's place", content_type = "application/problem+json"),
    ))]
async fn refer_person_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    referral_created(&state, &req, &user, Subject::HealthPerson, &id, &body).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusIn {
    /// `accepted`, `completed` or `declined`, in that order from `requested`.
    #[schema(
        example = "accepted",
        pattern = "^(requested|accepted|completed|declined)$"
    )]
    status: String,
    /// What came of it; sealed at rest.
    #[schema(max_length = 4000)]
    result: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusOut {
    status: String,
}

async fn set_status(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    referral: &str,
    input: &StatusIn,
) -> Result<Subject> {
    let status = ReferralStatus::parse(input.status.trim())
        .ok_or_else(|| Problem::field("status", "field.referral_status"))?;
    let result = input
        .result
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if result.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(Problem::field("result", "field.note"));
    }
    let referral = record_id(referral)?;
    let subject = state
        .store
        .resources()
        .subject_of(referral)
        .await?
        .ok_or_else(Problem::not_found)?;
    writable_subject(state, user, subject).await?;
    state
        .store
        .resources()
        .update(
            referral,
            status,
            result,
            today(),
            Actor::user(user, &req.address),
        )
        .await?
        .map_err(|e| resource_problem(&e))?;
    Ok(subject)
}

/// Moves a referral on: requested → accepted → completed, or declined.
#[utoipa::path(post, path = "/referrals/{id}/status", tag = "welfare", params(("id" = i64, Path)),
    request_body = StatusIn, security(("bearer" = [])),
    responses(
        (status = 200, body = StatusOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or a case manager", content_type = "application/problem+json"),
        (status = 404, description = "No such referral among the user's cases", content_type = "application/problem+json"),
        (status = 422, description = "The status cannot follow the current one", content_type = "application/problem+json"),
    ))]
async fn status_api(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StatusOut>> {
    let input: StatusIn = json_body(&body)?;
    set_status(&state, &req, &user, &id, &input).await?;
    Ok(Json(StatusOut {
        status: input.status.trim().to_owned(),
    }))
}

/// A referral, with the statuses it may move to, as the pages of its case or household show it.
pub(crate) struct ReferralView {
    pub id: i64,
    pub service: String,
    pub status: &'static str,
    pub requested_on: String,
    pub result: String,
    pub next: Vec<Choice>,
}

/// The referrals of a case or household, and (for those who may refer) the services serving
/// its place.
pub(crate) async fn referral_section(
    state: &AppState,
    ctx: &PageCtx,
    subject: Subject,
    place: &RegionPath,
    may_refer: bool,
) -> Result<(Vec<ReferralView>, Vec<Choice>)> {
    let referrals = state
        .store
        .resources()
        .of(subject)
        .await?
        .into_iter()
        .map(|r| ReferralView {
            id: r.id,
            service: format!(
                "{} ({})",
                r.resource_name,
                ctx.t(&format!("resource.category.{}", r.category.as_str()))
            ),
            status: ctx.t(&format!("referral.status.{}", r.status.as_str())),
            requested_on: format::date(r.requested_on, ctx.lang),
            result: r.result.unwrap_or_default(),
            next: ReferralStatus::ALL
                .into_iter()
                .filter(|n| r.status.may_become(*n))
                .map(|n| Choice {
                    value: n.as_str().to_owned(),
                    label: ctx.t(&format!("referral.status.{}", n.as_str())).to_owned(),
                    selected: false,
                })
                .collect(),
        })
        .collect();
    let services = if may_refer {
        let serving = ResourceFilter {
            serving: place.codes().iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        };
        state
            .store
            .resources()
            .list(serving, 0, 500)
            .await?
            .items
            .into_iter()
            .map(|r| Choice {
                label: format!(
                    "{} · {} ({})",
                    ctx.t(&format!(
                        "resource.category.{}",
                        r.resource.category.as_str()
                    )),
                    r.resource.name,
                    r.area_name
                ),
                value: r.id.to_string(),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok((referrals, services))
}

// ---------------------------------------------------------------------------------------------
// Pages

struct ResourceRow {
    name: String,
    category: &'static str,
    sector: &'static str,
    provider: String,
    area: String,
    capacity: String,
    contact: String,
    description: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/resources.html")]
struct ResourcesPage {
    ctx: PageCtx,
    region_code: String,
    region_name: String,
    q: String,
    categories: Vec<Choice>,
    rows: Vec<ResourceRow>,
    total_text: String,
    pager: Pager,
    may_add: bool,
    form: ResourceForm,
    form_categories: Vec<Choice>,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    region: Option<String>,
    category: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ResourceForm {
    #[serde(default)]
    area_code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    description: String,
}

fn category_choices(ctx: &PageCtx, selected: &str) -> Vec<Choice> {
    Category::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: ctx
                .t(&format!("resource.category.{}", c.as_str()))
                .to_owned(),
            selected: c.as_str() == selected,
        })
        .collect()
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    query: PageQuery,
    form: ResourceForm,
    error: Option<Problem>,
) -> Result<ResourcesPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (region, filter) = filter_for(
        state,
        user,
        query.region.as_deref(),
        query.category.as_deref(),
        query.q.as_deref(),
    )
    .await?;
    let page = state
        .store
        .resources()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    let rows = page
        .items
        .iter()
        .map(|r| ResourceRow {
            name: r.resource.name.clone(),
            category: ctx.t(&format!(
                "resource.category.{}",
                r.resource.category.as_str()
            )),
            sector: ctx.t(&format!("resource.sector.{}", r.resource.sector.as_str())),
            provider: r.resource.provider.clone(),
            area: r.area_name.clone(),
            capacity: r
                .resource
                .capacity
                .map(format::thousands)
                .unwrap_or_default(),
            contact: r.resource.contact.clone(),
            description: r.resource.description.clone(),
        })
        .collect();
    let category = query.category.clone().unwrap_or_default();
    let base = serde_urlencoded::to_string([
        ("region", region.region.code.to_string()),
        ("category", category.clone()),
        ("q", query.q.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let (error_field, error_message) = crate::welfare::form_error(&ctx, error.as_ref());
    let total_text = ctx.tf("resource.total", &[("n", &format::thousands(page.total))]);
    let title = ctx.t("resource.title");
    Ok(ResourcesPage {
        may_add: user.may_in(Permission::ManageResources, &region.path),
        region_code: region.region.code.to_string(),
        region_name: region.region.full_name.clone(),
        q: query.q.unwrap_or_default(),
        categories: category_choices(&ctx, &category),
        form_categories: category_choices(&ctx, &form.category),
        rows,
        total_text,
        pager: Pager::new(paging, page.total, base),
        form,
        error_field,
        error_message,
        ctx: ctx.crumb(title, None),
    })
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<PageQuery>,
) -> Result<ResourcesPage> {
    let form = ResourceForm {
        area_code: query.region.clone().unwrap_or_default(),
        sector: "private".into(),
        ..ResourceForm::default()
    };
    render_list(&state, ctx, &user, query, form, None).await
}

async fn add_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<ResourceForm>,
) -> Result<Response> {
    let capacity = match form.capacity.trim() {
        "" => Ok(None),
        c => c
            .parse::<i64>()
            .map(Some)
            .map_err(|_| Problem::field("capacity", "field.resource_capacity")),
    };
    let added = match capacity {
        Ok(capacity) => {
            let input = ResourceIn {
                area_code: form.area_code.clone(),
                name: form.name.clone(),
                category: form.category.clone(),
                sector: form.sector.clone(),
                provider: form.provider.clone(),
                capacity,
                contact: form.contact.clone(),
                description: form.description.clone(),
            };
            add(&state, &req, &user, &input).await
        }
        Err(p) => Err(p),
    };
    match added {
        Ok(_) => Ok(
            Redirect::to(&format!("/work/resources?region={}", form.area_code.trim()))
                .into_response(),
        ),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let query = PageQuery {
                region: Some(form.area_code.clone()).filter(|c| RegionCode::parse(c).is_ok()),
                ..PageQuery::default()
            };
            let page = render_list(&state, ctx, &user, query, form, Some(p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

#[derive(Debug, Deserialize)]
struct ReferForm {
    #[serde(default)]
    resource_id: String,
    #[serde(default)]
    note: String,
}

/// The referral form of a case's, household's or person's page.
fn refer_page(subject: fn(i64) -> Subject) -> MethodRouter<AppState> {
    post(
        move |State(state): State<AppState>,
              req: RequestContext,
              User(user): User,
              Path(id): Path<String>,
              Form(form): Form<ReferForm>| async move {
            refer_from_page(&state, &req, &user, subject(record_id(&id)?), form).await
        },
    )
}

async fn refer_from_page(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    subject: Subject,
    form: ReferForm,
) -> Result<Response> {
    let input = ReferralIn {
        resource_id: form
            .resource_id
            .trim()
            .parse()
            .map_err(|_| Problem::field("resource_id", "field.resource_serves"))?,
        note: Some(form.note),
    };
    refer(state, req, user, subject, &input).await?;
    Ok(Redirect::to(&subject_href(subject)).into_response())
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    result: String,
}

async fn status_form(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response> {
    let input = StatusIn {
        status: form.status,
        result: Some(form.result),
    };
    let subject = set_status(&state, &req, &user, &id, &input).await?;
    Ok(Redirect::to(&subject_href(subject)).into_response())
}
