//! 우수사례 — the good-practice library: a place's council officers, autonomy staff or the
//! programme staff above write up a case; the ministry publishes it, returns it for revision or
//! takes it down; published cases are public and searchable by words, field and region, linked
//! to the programme and the agenda or plan item they grew from. The API is here; the pages are
//! in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::practice::{Decision, Practice, PracticeError, Review, Status};
use maeul_core::region::{Level, RegionCode};
use maeul_core::topic::Topic;
use maeul_store::practice::{PracticeFilter, PracticeStoreError, StoredPractice, StoredReview};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{code_enum, searchable};
use crate::paging::Paging;
use crate::welfare::{day, today};
use crate::{AppState, Created, record_id, rfc3339};

const SUBMIT: Access = Access::Allowed(Permission::SubmitPractice);
const REVIEW: Access = Access::Allowed(Permission::ReviewPractice);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(search_api))
        .api(SUBMIT, routes!(submit_api))
        .api(Access::Public, routes!(show_api))
        .api(SUBMIT, routes!(revise_api))
        .api(REVIEW, routes!(review_api));
    pages::routes(r)
}

pub(crate) fn rule_problem(e: PracticeError) -> Problem {
    let key = match e {
        PracticeError::Title => "practice.error.title",
        PracticeError::Summary => "practice.error.summary",
        PracticeError::Body => "practice.error.body",
        PracticeError::Text { .. } => "practice.error.text",
        PracticeError::NotUnderReview => {
            return Problem::conflict_of("practice-status", "practice.error.status");
        }
        PracticeError::NoteNeeded => "practice.error.note",
    };
    Problem::field(e.field(), key)
}

pub(crate) fn store_problem(e: PracticeStoreError) -> Problem {
    match e {
        PracticeStoreError::NotFound => Problem::not_found(),
        PracticeStoreError::Status(_) => {
            Problem::conflict_of("practice-status", "practice.error.status")
        }
        PracticeStoreError::Elsewhere { field } => Problem::field(field, "practice.error.link"),
        PracticeStoreError::Changed => {
            Problem::conflict_of("practice-changed", "practice.error.changed")
        }
        PracticeStoreError::Rule(e) => rule_problem(e),
        PracticeStoreError::Store(e) => e.into(),
    }
}

/// Whether the user sees a case that is not published: the ministry, and whoever may write up
/// cases of its place (a grant on a si/do or the nation covers the places below it).
pub(crate) fn sees_unpublished(user: Option<&Principal>, place: &StoredRegion) -> bool {
    user.is_some_and(|u| {
        u.may(Permission::ReviewPractice) || u.may_in(Permission::SubmitPractice, &place.path)
    })
}

/// A case with its reviews and place, when the user may see it (404 otherwise).
pub(crate) async fn practice(
    state: &AppState,
    user: Option<&Principal>,
    id: &str,
) -> Result<(StoredPractice, Vec<StoredReview>, StoredRegion)> {
    let (p, reviews) = state
        .store
        .practices()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = state
        .store
        .regions()
        .get(&RegionCode::parse(&p.region_code).map_err(|_| Problem::not_found())?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let inside = sees_unpublished(user, &place);
    if p.status != Status::Published && !inside {
        return Err(Problem::not_found());
    }
    // Reviews are between the place and the ministry.
    let reviews = if inside { reviews } else { Vec::new() };
    Ok((p, reviews, place))
}

/// The case when the user may write up cases of its place (404 otherwise).
async fn kept(state: &AppState, user: &Principal, id: &str) -> Result<StoredPractice> {
    let (p, _, place) = practice(state, Some(user), id).await?;
    if !user.may_in(Permission::SubmitPractice, &place.path) {
        return Err(Problem::not_found());
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------------
// Searching

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PracticeQuery {
    /// Words found anywhere in the case (`빈집` finds `빈집정비`).
    #[param(max_length = 100, pattern = "\\S")]
    pub q: Option<String>,
    /// A field (topic code: `housing`, `care`, …).
    #[param(
        pattern = "^(care|housing|jobs|youth|ageing|safety|environment|culture|education|transport|local_economy|population_decline|community|other)$"
    )]
    pub topic: Option<String>,
    /// A region: its cases and those of the places below it.
    #[param(pattern = "^[0-9]{8}00$")]
    pub region: Option<String>,
    /// The catalogue programme the cases grew from.
    #[param(value_type = Option<i64>, minimum = 1)]
    pub programme: Option<String>,
    /// `published` (default). `submitted` and `returned` list what the caller may see
    /// unpublished: all for the ministry, their places' for those who write cases up, none for
    /// anyone else.
    #[param(pattern = "^(published|submitted|returned)$")]
    pub status: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl PracticeQuery {
    /// The store's filter for this user, or 422 naming the parameter that is wrong.
    pub(crate) fn filter(&self, user: Option<&Principal>) -> Result<PracticeFilter> {
        let topic = match self.topic.as_deref().filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => {
                Some(Topic::parse(t).ok_or_else(|| Problem::field("topic", "field.choice"))?)
            }
        };
        let within = match self.region.as_deref().filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => {
                Some(RegionCode::parse(r).map_err(|_| Problem::field("region", "field.region"))?)
            }
        };
        let programme_id = match self.programme.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(
                p.parse::<i64>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| Problem::field("programme", "field.choice"))?,
            ),
        };
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => Status::Published,
            Some(s) => Status::parse(s).ok_or_else(|| Problem::field("status", "field.choice"))?,
        };
        // Unpublished cases only to the ministry (all) and to those who write up cases (theirs).
        let places = match (status, user) {
            (Status::Published, _) => None,
            (_, Some(u)) if u.may(Permission::ReviewPractice) => None,
            (_, Some(u)) => Some(u.scopes(Permission::SubmitPractice)),
            (_, None) => Some(Vec::new()),
        };
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 100) {
            return Err(Problem::field("q", "field.query"));
        }
        Ok(PracticeFilter {
            q: self
                .q
                .as_deref()
                .map(searchable)
                .filter(|q| !q.trim().is_empty()),
            topic,
            within,
            status: Some(status),
            programme_id,
            places,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeOut {
    pub id: i64,
    /// The eup/myeon/dong or si/gun/gu it happened in.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    /// A topic code.
    pub topic: String,
    pub summary: String,
    pub body: String,
    pub results: String,
    pub programme_id: Option<i64>,
    pub programme: Option<String>,
    pub agenda_item_id: Option<i64>,
    pub agenda_item: Option<String>,
    pub plan_item_id: Option<i64>,
    pub plan_item: Option<String>,
    /// `submitted`, `returned` or `published`.
    pub status: String,
    /// How many times the place has revised it; a review may name the one it read.
    pub revision: i64,
    pub published_on: Option<String>,
    pub updated_at: String,
}

impl From<&StoredPractice> for PracticeOut {
    fn from(s: &StoredPractice) -> Self {
        let p = &s.practice;
        PracticeOut {
            id: s.id,
            region_code: s.region_code.clone(),
            region_name: s.region_name.clone(),
            title: p.title.clone(),
            topic: p.topic.as_str().to_owned(),
            summary: p.summary.clone(),
            body: p.body.clone(),
            results: p.results.clone(),
            programme_id: p.programme_id,
            programme: s.programme.clone(),
            agenda_item_id: p.agenda_item_id,
            agenda_item: s.agenda_item.as_ref().map(|a| a.0.clone()),
            plan_item_id: p.plan_item_id,
            plan_item: s.plan_item.as_ref().map(|a| a.0.clone()),
            status: s.status.as_str().to_owned(),
            revision: s.revision,
            published_on: s.published_on.map(day),
            updated_at: rfc3339(s.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeListOut {
    pub items: Vec<PracticeOut>,
    pub total: i64,
}

/// Searches the good-practice library: published cases by default, newest first.
#[utoipa::path(get, path = "/practices", tag = "programmes", params(PracticeQuery),
    responses(
        (status = 200, body = PracticeListOut),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range", content_type = "application/problem+json"),
    ))]
async fn search_api(
    State(state): State<AppState>,
    req: RequestContext,
    Params(query): Params<PracticeQuery>,
) -> Result<Json<PracticeListOut>> {
    no_empty_values(&[
        ("q", &query.q),
        ("topic", &query.topic),
        ("region", &query.region),
        ("programme", &query.programme),
        ("status", &query.status),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let filter = query.filter(req.principal())?;
    let (items, total) = state
        .store
        .practices()
        .search(filter, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(PracticeListOut {
        items: items.iter().map(PracticeOut::from).collect(),
        total,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeReviewOut {
    /// `publish` or `return`.
    pub decision: String,
    pub note: String,
    pub reviewer: String,
    pub reviewed_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeDetailOut {
    pub practice: PracticeOut,
    /// Newest first; only to the ministry and the place's own staff.
    pub reviews: Vec<PracticeReviewOut>,
}

/// One case: public once published; before, to the ministry and the place's own staff.
#[utoipa::path(get, path = "/practices/{id}", tag = "programmes", params(("id" = i64, Path)),
    responses(
        (status = 200, body = PracticeDetailOut),
        (status = 404, description = "No such case the caller may see", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    req: RequestContext,
    Path(id): Path<String>,
) -> Result<Json<PracticeDetailOut>> {
    let (p, reviews, _) = practice(&state, req.principal(), &id).await?;
    Ok(Json(PracticeDetailOut {
        practice: PracticeOut::from(&p),
        reviews: reviews
            .iter()
            .map(|r| PracticeReviewOut {
                decision: r.decision.clone(),
                note: r.note.clone(),
                reviewer: r.reviewer.clone(),
                reviewed_at: rfc3339(r.at),
            })
            .collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Writing up and reviewing

fn topic_code() -> utoipa::openapi::schema::Object {
    code_enum(Topic::ALL.iter().map(|t| t.as_str()))
}

fn decision_code() -> utoipa::openapi::schema::Object {
    code_enum(Decision::ALL.iter().map(|d| d.as_str()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PracticeIn {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// The field: a topic code.
    #[schema(schema_with = topic_code)]
    pub topic: String,
    /// One paragraph, as search results show it.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub summary: String,
    /// What was done, by whom and how.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
    /// What came of it and what others should know.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub results: String,
    /// The catalogue programme it grew from.
    #[serde(default)]
    pub programme_id: Option<i64>,
    /// An agenda item of the place (or of a place within it).
    #[serde(default)]
    pub agenda_item_id: Option<i64>,
    /// An autonomy-plan item of the place (or of a place within it).
    #[serde(default)]
    pub plan_item_id: Option<i64>,
}

impl PracticeIn {
    pub(crate) fn practice(self) -> Result<Practice> {
        let topic =
            Topic::parse(&self.topic).ok_or_else(|| Problem::field("topic", "field.choice"))?;
        Practice::new(Practice {
            title: self.title,
            topic,
            summary: self.summary,
            body: self.body,
            results: self.results,
            programme_id: self.programme_id,
            agenda_item_id: self.agenda_item_id,
            plan_item_id: self.plan_item_id,
        })
        .map_err(rule_problem)
    }
}

/// Submits a case of the region of `code` (an eup/myeon/dong or a si/gun/gu) for review.
pub(crate) async fn submit(
    state: &AppState,
    user: &Principal,
    code: &str,
    input: PracticeIn,
) -> Result<i64> {
    let place = crate::region::in_use(state, code).await?;
    if !matches!(place.region.level, Level::Emd | Level::Sigungu) {
        return Err(Problem::not_found());
    }
    if !user.may_in(Permission::SubmitPractice, &place.path) {
        return Err(Problem::forbidden());
    }
    let p = input.practice()?;
    state
        .store
        .practices()
        .submit(&place.region.code, p, user.user_id)
        .await
        .map_err(store_problem)
}

/// Submits a good-practice case of an eup/myeon/dong or si/gun/gu for the ministry's review.
#[utoipa::path(post, path = "/regions/{code}/practices", tag = "programmes",
    params(("code" = String, Path, description = "eup/myeon/dong or si/gun/gu code")),
    request_body = PracticeIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to write up cases of this place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong or si/gun/gu", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, or a link is not of the place", content_type = "application/problem+json"),
    ))]
async fn submit_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = submit(&state, &user, &code, json_body::<PracticeIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Revises a case that is not published, and submits it again.
pub(crate) async fn revise(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: PracticeIn,
) -> Result<()> {
    let p = kept(state, user, id).await?;
    let practice = input.practice()?;
    state
        .store
        .practices()
        .revise(p.id, practice)
        .await
        .map_err(store_problem)
}

/// Revises a case (submitted or returned) and submits it again.
#[utoipa::path(put, path = "/practices/{id}/submission", tag = "programmes",
    params(("id" = i64, Path)), request_body = PracticeIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved and submitted"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to write up cases", content_type = "application/problem+json"),
        (status = 404, description = "No such case of the caller's places", content_type = "application/problem+json"),
        (status = 409, description = "The case is published", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range", content_type = "application/problem+json"),
    ))]
async fn revise_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    revise(&state, &user, &id, json_body::<PracticeIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PracticeReviewIn {
    /// `publish`, or `return` for revision (also takes a published case down).
    #[schema(schema_with = decision_code)]
    pub decision: String,
    /// Why, when returned; the place reads it.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
    /// The case's `revision` as the reviewer read it: a case revised since is refused (409
    /// `practice-changed`), so that nobody publishes a text they did not read.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub seen: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PracticeStatusOut {
    /// Where the case now stands.
    pub status: String,
}

/// Records the ministry's review of a case.
pub(crate) async fn review(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: PracticeReviewIn,
) -> Result<Status> {
    let (p, _, _) = practice(state, Some(user), id).await?;
    let decision = Decision::parse(&input.decision)
        .ok_or_else(|| Problem::field("decision", "field.choice"))?;
    let review = Review::new(decision, &input.note).map_err(rule_problem)?;
    state
        .store
        .practices()
        .review(p.id, review, input.seen, today(), user.user_id)
        .await
        .map_err(store_problem)
}

/// Publishes a submitted case, returns it for revision with a note, or takes a published one
/// down.
#[utoipa::path(post, path = "/practices/{id}/reviews", tag = "programmes",
    params(("id" = i64, Path)), request_body = PracticeReviewIn, security(("bearer" = [])),
    responses(
        (status = 200, body = PracticeStatusOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff review cases", content_type = "application/problem+json"),
        (status = 404, description = "No such case", content_type = "application/problem+json"),
        (status = 409, description = "The case is not under review (returned, or published and asked to publish), or was revised after `seen`", content_type = "application/problem+json"),
        (status = 422, description = "No such decision, or a return without a note", content_type = "application/problem+json"),
    ))]
async fn review_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<PracticeStatusOut>> {
    let status = review(&state, &user, &id, json_body::<PracticeReviewIn>(&body)?).await?;
    Ok(Json(PracticeStatusOut {
        status: status.as_str().to_owned(),
    }))
}
