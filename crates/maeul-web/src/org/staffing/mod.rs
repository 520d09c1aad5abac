//! 인력 배치 — the posts of the four staff kinds with the unit that holds each one's quota and the
//! unit where it is placed, kept by the programme staff of the scope and the ministry; headcount
//! by kind at every level is public. The API is here; the pages are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::org::staffing::{Headcount, Post, PostError, StaffCounts, StaffKind, check_units};
use maeul_core::region::RegionCode;
use maeul_store::org::staffing::{PostFilter, StoredPost};
use maeul_store::region::{RegionFilter, StoredRegion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result, flag, no_empty_values};
use crate::page::code_enum;
use crate::paging::Paging;
use crate::region::below_names;
use crate::{AppState, record_id, rfc3339};

const MANAGE: Access = Access::Allowed(Permission::ManageStaffing);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(MANAGE, routes!(list_api, add_api))
        .api(MANAGE, routes!(update_api, remove_api))
        .api(Access::Public, routes!(headcount_api));
    pages::routes(r)
}

fn rule_problem(e: PostError) -> Problem {
    let key = match e {
        PostError::QuotaUnit => "staffing.error.quota_unit",
        PostError::Placement => "staffing.error.placement",
        PostError::Holder => "staffing.error.holder",
        PostError::SinceWithoutHolder => "staffing.error.since",
    };
    Problem::field(e.field(), key)
}

/// A region in use (404 otherwise) whose roster the user keeps (403 outside the scope).
pub(crate) async fn kept_region(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let region = crate::region::in_use(state, code).await?;
    if !user.may_in(Permission::ManageStaffing, &region.path) {
        return Err(Problem::forbidden());
    }
    Ok(region)
}

/// A post the user keeps (404 otherwise, also outside the scope).
pub(crate) async fn kept_post(state: &AppState, user: &Principal, id: &str) -> Result<StoredPost> {
    let post = state
        .store
        .staffing()
        .get(record_id(id)?)
        .await?
        .filter(|p| user.may_in(Permission::ManageStaffing, &p.quota_path))
        .ok_or_else(Problem::not_found)?;
    Ok(post)
}

fn kind_schema() -> utoipa::openapi::schema::Object {
    code_enum(StaffKind::ALL.iter().map(|k| k.as_str()))
}

/// A post as sent: the path's region holds its quota.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StaffPostIn {
    /// `programme` (사업 총괄인력), `welfare` (복지인력), `nurse` (간호인력) or `autonomy`
    /// (주민자치 인력).
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// The eup/myeon/dong where the post is placed; left out, the quota's own region (a
    /// nurse's is an eup/myeon/dong of the health centre's si/gun/gu).
    #[schema(pattern = "^[0-9]{10}$")]
    pub placement_code: Option<String>,
    /// Who holds the post; left out or empty, it is vacant.
    #[schema(max_length = 50)]
    pub holder: Option<String>,
    /// Since when the holder holds it (`YYYY-MM-DD`).
    #[schema(example = "2024-01-02")]
    pub since: Option<String>,
}

/// A post's holder as sent: empty or left out for a vacancy.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StaffHolderIn {
    #[schema(max_length = 50)]
    pub holder: Option<String>,
    #[schema(example = "2024-01-02")]
    pub since: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPostOut {
    pub id: i64,
    pub kind: String,
    /// `lead_department`, `health_centre` or `community_centre`.
    pub quota_unit: String,
    pub quota_code: String,
    pub quota_name: String,
    /// `lead_department`, `visiting_team` or `administration_team`.
    pub placement_unit: String,
    pub placement_code: String,
    pub placement_name: String,
    pub holder: Option<String>,
    pub since: Option<String>,
    pub vacant: bool,
    /// RFC 3339.
    pub updated_at: String,
}

/// Posts with the full names of their regions, read in one query.
pub(crate) async fn posts_out(
    state: &AppState,
    posts: Vec<StoredPost>,
) -> Result<Vec<StaffPostOut>> {
    let mut codes: Vec<String> = posts
        .iter()
        .flat_map(|p| [p.quota_code.clone(), p.placement_code.clone()])
        .collect();
    codes.sort();
    codes.dedup();
    let names = state.store.regions().full_names(codes).await?;
    let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_owned());
    Ok(posts
        .into_iter()
        .map(|p| StaffPostOut {
            id: p.id,
            kind: p.post.kind.as_str().to_owned(),
            quota_unit: p.post.kind.quota_unit().as_str().to_owned(),
            quota_name: name(&p.quota_code),
            placement_unit: p.post.kind.placement_unit().as_str().to_owned(),
            placement_name: name(&p.placement_code),
            vacant: p.post.holder.is_none(),
            holder: p.post.holder,
            since: p.post.since.map(|d| d.to_string()),
            quota_code: p.quota_code,
            placement_code: p.placement_code,
            updated_at: rfc3339(p.updated_at),
        })
        .collect())
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostQuery {
    /// A staff kind code.
    #[param(pattern = "^(programme|welfare|nurse|autonomy)$")]
    pub kind: Option<String>,
    /// `1`: vacant posts only.
    #[param(pattern = "^[01]$")]
    pub vacant: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl PostQuery {
    pub(crate) fn filter(&self, within: RegionCode) -> Result<PostFilter> {
        let kind = match self.kind.as_deref() {
            None | Some("") => None,
            Some(k) => {
                Some(StaffKind::parse(k).ok_or_else(|| Problem::field("kind", "field.choice"))?)
            }
        };
        Ok(PostFilter {
            within,
            kind,
            vacant: flag("vacant", self.vacant.as_deref())?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPostList {
    pub items: Vec<StaffPostOut>,
    pub total: i64,
}

/// The posts whose quota or placement lies within a region, by quota, placement and kind.
#[utoipa::path(get, path = "/regions/{code}/staff-posts", tag = "organisation",
    params(("code" = String, Path, description = "A region code; `0000000000` for the nation"), PostQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = StaffPostList),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "An unknown kind, a vacancy flag other than 0 or 1, or a page out of range; `errors` names the parameter", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<PostQuery>,
) -> Result<Json<StaffPostList>> {
    let region = kept_region(&state, &user, &code).await?;
    no_empty_values(&[
        ("kind", &query.kind),
        ("vacant", &query.vacant),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let filter = query.filter(region.region.code.clone())?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (posts, total) = state
        .store
        .staffing()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(StaffPostList {
        items: posts_out(&state, posts).await?,
        total,
    }))
}

/// Checks and adds a post whose quota `quota` holds; its id.
pub(crate) async fn add(
    state: &AppState,
    user: &Principal,
    quota: &StoredRegion,
    sent: &StaffPostIn,
) -> Result<i64> {
    let kind =
        StaffKind::parse(&sent.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
    let placement = match sent.placement_code.as_deref().map(str::trim) {
        None | Some("") => quota.clone(),
        Some(code) => {
            let code = RegionCode::parse(code)
                .map_err(|_| Problem::field("placement_code", "staffing.error.placement"))?;
            state
                .store
                .regions()
                .get(&code)
                .await?
                .filter(|r| r.retired_on.is_none())
                .ok_or_else(|| Problem::field("placement_code", "staffing.error.placement"))?
        }
    };
    let local = crate::region::is_local_government(state, quota).await?;
    check_units(
        kind,
        &quota.region,
        local,
        &placement.region,
        &placement.path,
    )
    .map_err(rule_problem)?;
    let post = Post::new(
        kind,
        sent.holder.as_deref(),
        day("since", sent.since.as_deref())?,
    )
    .map_err(rule_problem)?;
    Ok(state
        .store
        .staffing()
        .add(
            post,
            (&quota.region.code, &quota.path),
            (&placement.region.code, &placement.path),
            user.user_id,
        )
        .await?)
}

async fn post_out(state: &AppState, id: i64) -> Result<StaffPostOut> {
    let post = state
        .store
        .staffing()
        .get(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    posts_out(state, vec![post])
        .await?
        .pop()
        .ok_or_else(Problem::not_found)
}

/// Adds a post whose quota the path's region holds, placed as the manual's table says.
#[utoipa::path(post, path = "/regions/{code}/staff-posts", tag = "organisation",
    params(("code" = String, Path, description = "The region that holds the quota: a si/gun/gu (programme staff, nurses) or an eup/myeon/dong (welfare, autonomy staff)")),
    request_body = StaffPostIn, security(("bearer" = [])),
    responses(
        (status = 201, body = StaffPostOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "The quota or placement breaks the manual's table, or the holder is not a name; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn add_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<StaffPostOut>)> {
    let quota = kept_region(&state, &user, &code).await?;
    let id = add(&state, &user, &quota, &json_body::<StaffPostIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(post_out(&state, id).await?)))
}

/// Checks and records who holds a post the user keeps.
pub(crate) async fn set_holder(
    state: &AppState,
    user: &Principal,
    post: &StoredPost,
    sent: &StaffHolderIn,
) -> Result<()> {
    let checked = Post::new(
        post.post.kind,
        sent.holder.as_deref(),
        day("since", sent.since.as_deref())?,
    )
    .map_err(rule_problem)?;
    if !state
        .store
        .staffing()
        .set_holder(post.id, checked.holder, checked.since, user.user_id)
        .await?
    {
        return Err(Problem::not_found());
    }
    Ok(())
}

/// Fills a post or leaves it vacant.
#[utoipa::path(put, path = "/staff-posts/{id}", tag = "organisation",
    params(("id" = String, Path, description = "A post id")),
    request_body = StaffHolderIn, security(("bearer" = [])),
    responses(
        (status = 200, body = StaffPostOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such post within the user's scope", content_type = "application/problem+json"),
        (status = 422, description = "The holder is not a name, or a vacant post has a day; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<StaffPostOut>> {
    let post = kept_post(&state, &user, &id).await?;
    set_holder(&state, &user, &post, &json_body::<StaffHolderIn>(&body)?).await?;
    Ok(Json(post_out(&state, post.id).await?))
}

/// Takes a post off the roster (its quota was cut).
#[utoipa::path(delete, path = "/staff-posts/{id}", tag = "organisation",
    params(("id" = String, Path, description = "A post id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Taken off"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such post within the user's scope", content_type = "application/problem+json"),
    ))]
async fn remove_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let post = kept_post(&state, &user, &id).await?;
    if !state.store.staffing().remove(post.id).await? {
        return Err(Problem::not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffHeadcount {
    pub posts: i64,
    pub filled: i64,
    pub vacant: i64,
}

impl From<Headcount> for StaffHeadcount {
    fn from(h: Headcount) -> Self {
        StaffHeadcount {
            posts: h.posts,
            filled: h.filled,
            vacant: h.vacant(),
        }
    }
}

/// Headcount by kind; `total` is their sum.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCountsOut {
    pub programme: StaffHeadcount,
    pub welfare: StaffHeadcount,
    pub nurse: StaffHeadcount,
    pub autonomy: StaffHeadcount,
    pub total: StaffHeadcount,
}

impl From<&StaffCounts> for StaffCountsOut {
    fn from(c: &StaffCounts) -> Self {
        StaffCountsOut {
            programme: c.of(StaffKind::Programme).into(),
            welfare: c.of(StaffKind::Welfare).into(),
            nurse: c.of(StaffKind::Nurse).into(),
            autonomy: c.of(StaffKind::Autonomy).into(),
            total: c.total().into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBelow {
    pub region_code: String,
    pub name: String,
    pub counts: StaffCountsOut,
}

/// A region's headcount, that of the posts it holds itself (a si/gun/gu's head office and
/// health centre) and that of each region one step below: `counts` is `own` plus `below`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffingOut {
    pub region_code: String,
    pub region_name: String,
    pub counts: StaffCountsOut,
    pub own: StaffCountsOut,
    pub below: Vec<StaffBelow>,
}

/// The headcount of a region (any level) with the names of the regions below it; every active
/// region below has its row, with zeros when it has no posts.
pub(crate) async fn headcount(state: &AppState, code: &RegionCode) -> Result<StaffingOut> {
    let code = code.clone();
    let (name, names) = below_names(state, &code).await?;
    let mut counts = state.store.staffing().counts(&code).await?;
    let active = RegionFilter {
        parent: Some(code.clone()),
        ..RegionFilter::default()
    };
    for child in state.store.regions().list(active, 0, i64::MAX).await?.items {
        counts.below.entry(child.region.code).or_default();
    }
    let below = counts
        .below
        .iter()
        .map(|(child, c)| StaffBelow {
            region_code: child.to_string(),
            name: names
                .get(child.as_str())
                .cloned()
                .unwrap_or_else(|| child.to_string()),
            counts: StaffCountsOut::from(c),
        })
        .collect();
    Ok(StaffingOut {
        region_code: code.to_string(),
        region_name: name,
        counts: StaffCountsOut::from(&counts.total),
        own: StaffCountsOut::from(&counts.own),
        below,
    })
}

/// Posts, filled posts and vacancies by staff kind in a region and in each region one step
/// below, each post counted where its quota is held (the standard labour cost's headcount).
#[utoipa::path(get, path = "/regions/{code}/staffing", tag = "organisation",
    params(("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$")),
    responses(
        (status = 200, body = StaffingOut),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
    ))]
async fn headcount_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<StaffingOut>> {
    let code = RegionCode::parse(&code).map_err(|_| Problem::not_found())?;
    Ok(Json(headcount(&state, &code).await?))
}
