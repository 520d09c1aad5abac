//! 담당자 네트워크 — the officers in charge of each field in every local government, read by every
//! workspace user (peers and the ministry), kept by the programme staff of the scope and the
//! ministry. The API is here; the pages are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal, Role};
use maeul_core::org::officer::{Field, Officer, OfficerError};
use maeul_core::region::{RegionCode, RegionPath};
use maeul_store::org::officer::{OfficerFilter, OfficerStoreError, StoredOfficer};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{code_enum, searchable};
use crate::paging::Paging;
use crate::{AppState, Created, record_id, rfc3339};

const READ: Access = Access::Allowed(Permission::UseWorkspace);
const KEEP: Access = Access::Allowed(Permission::KeepOfficerNetwork);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(READ, routes!(search_api))
        .api(KEEP, routes!(add_api))
        .api(KEEP, routes!(update_api, remove_api));
    pages::routes(r)
}

fn rule_problem(e: OfficerError) -> Problem {
    let key = match e {
        OfficerError::Required { .. } => "officer.error.required",
        OfficerError::TooLong { .. } => "officer.error.too_long",
        OfficerError::Phone => "officer.error.phone",
        OfficerError::Email => "officer.error.email",
    };
    Problem::field(e.field(), key)
}

fn store_problem(e: OfficerStoreError) -> Problem {
    match e {
        OfficerStoreError::NotFound => Problem::not_found(),
        OfficerStoreError::Taken => Problem::field("name", "officer.error.taken"),
        OfficerStoreError::Store(e) => e.into(),
    }
}

/// Whether the user keeps the entries of the government at `path`: within the scope of their
/// grant, and the ministry's own entries (the nation) only for ministry staff — a programme
/// officer with a national scope keeps the local governments, not the ministry.
pub(crate) fn keeps(user: &Principal, code: &RegionCode, path: &RegionPath) -> bool {
    if code.as_str() == RegionCode::NATION {
        return user
            .grants
            .iter()
            .any(|g| g.role == Role::Ministry && g.allows(Permission::KeepOfficerNetwork, path));
    }
    user.may_in(Permission::KeepOfficerNetwork, path)
}

/// A local government in use whose officers the user keeps (404 unknown or retired, 403
/// outside the scope).
pub(crate) async fn kept_region(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let region = crate::region::in_use(state, code).await?;
    if !keeps(user, &region.region.code, &region.path) {
        return Err(Problem::forbidden());
    }
    Ok(region)
}

/// An officer the user keeps (404 otherwise, also outside the scope).
pub(crate) async fn kept_officer(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<StoredOfficer> {
    let o = state
        .store
        .officers()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    // An entry of a government since retired is still kept, so that it can be taken off.
    let code = RegionCode::parse(&o.region_code).map_err(|_| Problem::not_found())?;
    if !keeps(user, &code, &o.region_path) {
        return Err(Problem::not_found());
    }
    Ok(o)
}

fn field_pattern() -> utoipa::openapi::schema::Object {
    code_enum(Field::ALL.iter().map(|f| f.as_str()))
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficerQuery {
    /// Words in the name, department, position or local government.
    #[param(max_length = 100, pattern = "\\S")]
    pub q: Option<String>,
    /// A field code.
    #[param(
        pattern = "^(programme|organisation|resident_autonomy|welfare|visiting_health|case_management|cooperation|regional_projects)$"
    )]
    pub field: Option<String>,
    /// A region: its officers and those of the governments below it.
    #[param(pattern = "^[0-9]{8}00$")]
    pub region: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl OfficerQuery {
    pub(crate) fn filter(&self) -> Result<OfficerFilter> {
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 100) {
            return Err(Problem::field("q", "field.query"));
        }
        let field = match self.field.as_deref().filter(|f| !f.is_empty()) {
            None => None,
            Some(f) => {
                Some(Field::parse(f).ok_or_else(|| Problem::field("field", "field.choice"))?)
            }
        };
        let within = match self.region.as_deref().filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => Some(
                RegionCode::parse(r).map_err(|_| Problem::field("region", "field.region_code"))?,
            ),
        };
        Ok(OfficerFilter {
            q: self
                .q
                .as_deref()
                .map(searchable)
                .filter(|q| !q.trim().is_empty()),
            field,
            within,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerOut {
    pub id: i64,
    /// The local government (`0000000000`: the ministry).
    pub region_code: String,
    pub region_name: String,
    /// A field code.
    pub field: String,
    pub name: String,
    pub department: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub updated_at: String,
}

impl From<&StoredOfficer> for OfficerOut {
    fn from(s: &StoredOfficer) -> Self {
        let o = &s.officer;
        OfficerOut {
            id: s.id,
            region_code: s.region_code.clone(),
            region_name: s.region_name.clone(),
            field: o.field.as_str().to_owned(),
            name: o.name.clone(),
            department: o.department.clone(),
            position: o.position.clone(),
            phone: o.phone.clone(),
            email: o.email.clone(),
            updated_at: rfc3339(s.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerListOut {
    pub items: Vec<OfficerOut>,
    pub total: i64,
}

/// Searches the officer network, by local government, field and name.
#[utoipa::path(get, path = "/officers", tag = "organisation", params(OfficerQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OfficerListOut),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a workspace user", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range", content_type = "application/problem+json"),
    ))]
async fn search_api(
    State(state): State<AppState>,
    Params(query): Params<OfficerQuery>,
) -> Result<Json<OfficerListOut>> {
    no_empty_values(&[
        ("q", &query.q),
        ("field", &query.field),
        ("region", &query.region),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (items, total) = state
        .store
        .officers()
        .search(query.filter()?, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(OfficerListOut {
        items: items.iter().map(OfficerOut::from).collect(),
        total,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OfficerIn {
    #[schema(schema_with = field_pattern)]
    pub field: String,
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub department: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub position: String,
    /// Digits, spaces, `-`, `(`, `)` and `+`.
    #[schema(min_length = 7, max_length = 20, pattern = "^[0-9 ()+-]+$")]
    pub phone: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub email: String,
}

impl OfficerIn {
    pub(crate) fn officer(self) -> Result<Officer> {
        let field =
            Field::parse(&self.field).ok_or_else(|| Problem::field("field", "field.choice"))?;
        Officer::new(Officer {
            field,
            name: self.name,
            department: self.department,
            position: self.position,
            phone: self.phone,
            email: self.email,
        })
        .map_err(rule_problem)
    }
}

/// Lists an officer of the local government of `code`.
pub(crate) async fn add(
    state: &AppState,
    user: &Principal,
    code: &str,
    input: OfficerIn,
) -> Result<i64> {
    let region = kept_region(state, user, code).await?;
    let officer = input.officer()?;
    state
        .store
        .officers()
        .add(&region.region.code, officer, user.user_id)
        .await
        .map_err(store_problem)
}

/// Lists an officer of a local government (`0000000000` for the ministry).
#[utoipa::path(post, path = "/regions/{code}/officers", tag = "organisation",
    params(("code" = String, Path, description = "region code")),
    request_body = OfficerIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping the network of this region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or wrong, or the officer is listed already", content_type = "application/problem+json"),
    ))]
async fn add_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = add(&state, &user, &code, json_body::<OfficerIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replaces an officer's entry.
pub(crate) async fn update(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: OfficerIn,
) -> Result<()> {
    let o = kept_officer(state, user, id).await?;
    let officer = input.officer()?;
    state
        .store
        .officers()
        .update(o.id, officer, user.user_id)
        .await
        .map_err(store_problem)
}

/// Replaces an officer's entry.
#[utoipa::path(put, path = "/officers/{id}", tag = "organisation", params(("id" = i64, Path)),
    request_body = OfficerIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping the network", content_type = "application/problem+json"),
        (status = 404, description = "No such officer in the caller's scope", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or wrong, or the officer is listed already", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    update(&state, &user, &id, json_body::<OfficerIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes an officer off the network.
pub(crate) async fn remove(state: &AppState, user: &Principal, id: &str) -> Result<()> {
    let o = kept_officer(state, user, id).await?;
    state
        .store
        .officers()
        .remove(o.id)
        .await
        .map_err(store_problem)
}

/// Takes an officer off the network (moved on, retired).
#[utoipa::path(delete, path = "/officers/{id}", tag = "organisation", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Taken off"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping the network", content_type = "application/problem+json"),
        (status = 404, description = "No such officer in the caller's scope", content_type = "application/problem+json"),
    ))]
async fn remove_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    remove(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
