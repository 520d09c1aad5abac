//! 의제 — agenda items: residents of a place propose and support them; the council's ladder
//! sends them to subcommittee review and obliges a public answer; the council moderates with
//! a recorded reason. The API is here; the pages, which use the same checks, are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::agenda::{self, AgendaError, Ladder, Proposal, Status, Topic};
use maeul_store::autonomy::agenda::{AgendaStoreError, Item, ItemFilter, Sort};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use super::council::{emd, managed_place};
use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result};
use crate::paging::Paging;
use crate::record_id;
use crate::{AppState, Created, rfc3339};

const PROPOSE: Access = Access::Allowed(Permission::ProposeAgenda);
const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api))
        .api(PROPOSE, routes!(propose_api))
        .api(Access::Public, routes!(show_api))
        .api(PROPOSE, routes!(support_api))
        .api(MANAGE, routes!(answer_api))
        .api(MANAGE, routes!(moderation_api))
        .api(MANAGE, routes!(ladder_api));
    pages::routes(r)
}

pub(crate) fn agenda_problem(e: AgendaStoreError) -> Problem {
    match e {
        AgendaStoreError::NotFound => Problem::not_found(),
        AgendaStoreError::AlreadySupported => {
            Problem::conflict_of("already-supported", "agenda.error.already")
        }
        AgendaStoreError::OwnItem => Problem::conflict_of("own-item", "agenda.error.own"),
        AgendaStoreError::Hidden => Problem::conflict_of("item-hidden", "agenda.error.hidden"),
        AgendaStoreError::NotHidden => {
            Problem::conflict_of("item-not-hidden", "agenda.error.not_hidden")
        }
        AgendaStoreError::Store(e) => e.into(),
    }
}

pub(crate) fn rule_problem(e: AgendaError) -> Problem {
    let key = match e {
        AgendaError::Title => "agenda.error.title",
        AgendaError::Text { .. } => "agenda.error.text",
        AgendaError::Cost => "agenda.error.cost",
        AgendaError::Ladder => "agenda.error.ladder",
    };
    Problem::field(e.field(), key)
}

/// The place of `code` when the user is one of its residents (403 otherwise).
pub(crate) async fn residents_place(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let place = emd(state, code).await?;
    if !user.may_in(Permission::ProposeAgenda, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

/// An item that is not hidden (404 for a hidden one, except to those who moderate it).
pub(crate) async fn item(state: &AppState, id: &str) -> Result<Item> {
    state
        .store
        .agenda()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// A shown (not hidden) item of the place `code`, to start a plan item or a linkage from;
/// `None` for anything else, which such a form simply ignores.
pub(crate) async fn shown_item_of(state: &AppState, id: &str, code: &str) -> Option<Item> {
    item(state, id)
        .await
        .ok()
        .filter(|i| i.emd_code == code && i.status != Status::Hidden)
}

/// The item when the user keeps its council (404 otherwise).
pub(crate) async fn managed_item(state: &AppState, user: &Principal, id: &str) -> Result<Item> {
    let item = item(state, id).await?;
    managed_place(state, user, &item.emd_code)
        .await
        .map_err(|_| Problem::not_found())?;
    Ok(item)
}

// ---------------------------------------------------------------------------------------
// Listing and reading

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `open`, `review`, `answer_due` or `answered`; hidden items are never listed.
    pub status: Option<String>,
    /// One of the topics (`care`, `housing`, `jobs`, `youth`, `ageing`, `safety`,
    /// `environment`, `culture`, `education`, `transport`, `local_economy`,
    /// `population_decline`, `community`, `other`).
    pub topic: Option<String>,
    /// `supports` (most supported first, the default) or `new`.
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl ListQuery {
    pub(crate) fn filter(&self, emd: &str) -> Result<ItemFilter> {
        let some = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let status = match some(&self.status) {
            None => None,
            Some(s) => Some(
                Status::parse(&s)
                    .filter(|s| *s != Status::Hidden)
                    .ok_or_else(|| Problem::field("status", "field.choice"))?,
            ),
        };
        let topic = match some(&self.topic) {
            None => None,
            Some(t) => {
                Some(Topic::parse(&t).ok_or_else(|| Problem::field("topic", "field.choice"))?)
            }
        };
        let sort = match some(&self.sort).as_deref() {
            None | Some("supports") => Sort::Supports,
            Some("new") => Sort::Newest,
            Some(_) => return Err(Problem::field("sort", "field.choice")),
        };
        Ok(ItemFilter {
            emd: emd.to_owned(),
            status,
            topic,
            sort,
        })
    }
}

/// An item as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    pub id: i64,
    pub region_code: String,
    /// Empty for a hidden item.
    pub title: String,
    /// Empty for a hidden item.
    pub body: String,
    pub topic: String,
    pub rough_cost: Option<i64>,
    pub supports: i64,
    /// `open`, `review`, `answer_due`, `answered` or `hidden`.
    pub status: String,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    /// Why a hidden item was hidden.
    pub hidden_reason: Option<String>,
    pub created_at: String,
}

impl From<&Item> for ItemOut {
    fn from(i: &Item) -> Self {
        let hidden = i.status == Status::Hidden;
        let shown = |s: &str| if hidden { String::new() } else { s.to_owned() };
        ItemOut {
            id: i.id,
            region_code: i.emd_code.clone(),
            title: shown(&i.proposal.title),
            body: shown(&i.proposal.body),
            topic: i.proposal.topic.as_str().to_owned(),
            rough_cost: i.proposal.rough_cost,
            supports: i.supports,
            status: i.status.as_str().to_owned(),
            answer: i.answer.clone().filter(|_| !hidden),
            answered_at: i.answered_at.map(rfc3339),
            hidden_reason: i.hidden_reason.clone(),
            created_at: rfc3339(i.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LadderOut {
    /// Supports that send an item to subcommittee review.
    pub review: u32,
    /// Supports that oblige the council to answer in public.
    pub answer: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemList {
    pub items: Vec<ItemOut>,
    pub total: i64,
    pub ladder: LadderOut,
}

/// The agenda items of an eup/myeon/dong (hidden ones left out).
#[utoipa::path(get, path = "/regions/{code}/agenda-items", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code"), ListQuery),
    responses(
        (status = 200, body = ItemList),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A filter or paging parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Params(query): Params<ListQuery>,
) -> Result<Json<ItemList>> {
    let place = emd(&state, &code).await?;
    let filter = query.filter(place.region.code.as_str())?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (items, total) = state
        .store
        .agenda()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    let ladder = state.store.agenda().ladder(&place.region.code).await?;
    Ok(Json(ItemList {
        items: items.iter().map(ItemOut::from).collect(),
        total,
        ladder: LadderOut {
            review: ladder.review,
            answer: ladder.answer,
        },
    }))
}

/// An agenda item; a hidden one shows only why it was hidden.
#[utoipa::path(get, path = "/agenda-items/{id}", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = ItemOut),
        (status = 404, description = "No such item", content_type = "application/problem+json"),
    ))]
async fn show_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ItemOut>> {
    Ok(Json(ItemOut::from(&item(&state, &id).await?)))
}

// ---------------------------------------------------------------------------------------
// Residents: proposing and supporting

/// A proposal as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposalIn {
    #[schema(
        example = "경로당 앞 횡단보도 설치",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub title: String,
    #[schema(
        example = "어르신들이 길을 건너기 위험합니다.",
        min_length = 1,
        max_length = 5000,
        pattern = "\\S"
    )]
    pub body: String,
    /// One of the topics.
    #[schema(
        example = "safety",
        pattern = "^(care|housing|jobs|youth|ageing|safety|environment|culture|education|transport|local_economy|population_decline|community|other)$"
    )]
    pub topic: String,
    /// 원, when the proposer has an idea of it.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub rough_cost: Option<i64>,
}

impl ProposalIn {
    pub(crate) fn proposal(self) -> Result<Proposal> {
        let topic =
            Topic::parse(&self.topic).ok_or_else(|| Problem::field("topic", "field.choice"))?;
        Proposal::new(Proposal {
            title: self.title,
            body: self.body,
            topic,
            rough_cost: self.rough_cost,
        })
        .map_err(rule_problem)
    }
}

/// A resident proposes an agenda item for their eup/myeon/dong.
#[utoipa::path(post, path = "/regions/{code}/agenda-proposals", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = ProposalIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a resident of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn propose_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let place = residents_place(&state, &user, &code).await?;
    let proposal = json_body::<ProposalIn>(&body)?.proposal()?;
    let id = state
        .store
        .agenda()
        .propose(&place.region.code, proposal, user.user_id)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportOut {
    pub supports: i64,
    pub status: String,
}

/// Adds the resident's support, once per resident; a resident of the item's place only.
pub(crate) async fn support(state: &AppState, user: &Principal, id: &str) -> Result<SupportOut> {
    let item = item(state, id).await?;
    residents_place(state, user, &item.emd_code).await?;
    let (supports, status) = state
        .store
        .agenda()
        .support(item.id, user.user_id)
        .await
        .map_err(agenda_problem)?;
    Ok(SupportOut {
        supports,
        status: status.as_str().to_owned(),
    })
}

/// Supports an item (공감): once per resident of its place, not one's own.
#[utoipa::path(post, path = "/agenda-items/{id}/supports", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = SupportOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a resident of the item's place", content_type = "application/problem+json"),
        (status = 404, description = "No such item", content_type = "application/problem+json"),
        (status = 409, description = "Already supported, one's own item, or hidden", content_type = "application/problem+json"),
    ))]
async fn support_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<SupportOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(support(&state, &user, &id).await?),
    ))
}

// ---------------------------------------------------------------------------------------
// The council: answers, moderation, the ladder

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerIn {
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub answer: String,
}

/// The council's public answer to an item.
#[utoipa::path(post, path = "/agenda-items/{id}/answer", tag = "autonomy", params(("id" = i64, Path)),
    request_body = AnswerIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "The answer is published"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The item is hidden", content_type = "application/problem+json"),
        (status = 422, description = "The answer is empty or too long", content_type = "application/problem+json"),
    ))]
async fn answer_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    answer(&state, &user, &id, &json_body::<AnswerIn>(&body)?.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes the council's answer to an item of its place.
pub(crate) async fn answer(state: &AppState, user: &Principal, id: &str, text: &str) -> Result<()> {
    let item = managed_item(state, user, id).await?;
    let text = agenda::text(text, "answer").map_err(rule_problem)?;
    state
        .store
        .agenda()
        .answer(item.id, text, user.user_id)
        .await
        .map_err(agenda_problem)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ModerationIn {
    /// `hide` or `restore`.
    #[schema(pattern = "^(hide|restore)$")]
    pub action: String,
    /// Why; kept with the action and shown with a hidden item.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub reason: String,
}

/// Moderates an item: hide it with a reason, or restore it; both are kept.
pub(crate) async fn moderate(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: ModerationIn,
) -> Result<()> {
    let item = managed_item(state, user, id).await?;
    let hide = match input.action.trim() {
        "hide" => true,
        "restore" => false,
        _ => return Err(Problem::field("action", "field.choice")),
    };
    let reason = agenda::text(&input.reason, "reason").map_err(rule_problem)?;
    state
        .store
        .agenda()
        .moderate(item.id, hide, reason, user.user_id)
        .await
        .map_err(agenda_problem)
}

/// Hides an item with a recorded reason, or restores it.
#[utoipa::path(post, path = "/agenda-items/{id}/moderation", tag = "autonomy", params(("id" = i64, Path)),
    request_body = ModerationIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Already hidden, or not hidden", content_type = "application/problem+json"),
        (status = 422, description = "No such action, or no reason", content_type = "application/problem+json"),
    ))]
async fn moderation_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    moderate(&state, &user, &id, json_body::<ModerationIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LadderIn {
    #[schema(minimum = 1, maximum = 100000)]
    pub review: u32,
    #[schema(minimum = 1, maximum = 100000)]
    pub answer: u32,
}

/// Sets the council's ladder; items that now reach a step move up at once.
#[utoipa::path(post, path = "/regions/{code}/agenda-ladder", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = LadderIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "The ladder is set"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "Review must need no more supports than an answer", content_type = "application/problem+json"),
    ))]
async fn ladder_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let place = managed_place(&state, &user, &code).await?;
    let input = json_body::<LadderIn>(&body)?;
    let ladder = Ladder::new(input.review, input.answer).map_err(rule_problem)?;
    state
        .store
        .agenda()
        .set_ladder(&place.region.code, ladder)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
