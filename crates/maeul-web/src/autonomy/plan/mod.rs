//! 자치계획 — the autonomy plan: the council drafts a year's items (from agenda items or
//! directly), puts them to a draft assembly, reads the decision back, records the spending of
//! the adopted items and closes the year with a settlement. The API is here; the pages, which
//! use the same checks, are in [`pages`].

mod pages;

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::plan::{
    self as rules, Ballot, Funding, PlanError, PlanItem, Status, ballot_items, settle,
};
use maeul_core::topic::Topic;
use maeul_store::autonomy::assembly::Status as AssemblyStatus;
use maeul_store::autonomy::plan::{Outcome, Plan, PlanStoreError, StoredItem};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::assembly::{assembly_problem, rules_problem};
use super::council::emd;
use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::{AppState, Created, record_id, rfc3339};

const DRAFT: Access = Access::Allowed(Permission::DraftPlan);
const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api))
        .api(DRAFT, routes!(create_api))
        .api(Access::Public, routes!(show_api))
        .api(DRAFT, routes!(add_item_api))
        .api(DRAFT, routes!(update_item_api, remove_item_api))
        .api(MANAGE, routes!(put_api))
        .api(MANAGE, routes!(withdrawal_api))
        .api(MANAGE, routes!(decision_api))
        .api(MANAGE, routes!(execution_api))
        .api(MANAGE, routes!(spending_api))
        .api(MANAGE, routes!(funds_api))
        .api(MANAGE, routes!(closing_api));
    pages::routes(r)
}

pub(crate) fn plan_problem(e: PlanStoreError) -> Problem {
    match e {
        PlanStoreError::NotFound => Problem::not_found(),
        PlanStoreError::YearTaken => {
            Problem::conflict_of("plan-year-taken", "plan.error.year_taken")
        }
        PlanStoreError::Status(_) => Problem::conflict_of("plan-status", "plan.error.status"),
        PlanStoreError::Elsewhere { field } => Problem::field(field, "plan.error.elsewhere"),
        PlanStoreError::Full => Problem::field("title", "plan.error.full"),
        PlanStoreError::AssemblyNotFound => Problem::field("assembly_id", "plan.error.assembly"),
        PlanStoreError::AssemblyFrozen => {
            Problem::conflict_of("rules-frozen", "assembly.error.frozen")
        }
        PlanStoreError::NotAdopted => {
            Problem::conflict_of("item-not-adopted", "plan.error.not_adopted")
        }
        PlanStoreError::Rule(e) => rule_problem(e),
        PlanStoreError::Project(e) => super::project::project_problem(e),
        PlanStoreError::Rules(e) => rules_problem(e),
        PlanStoreError::Store(e) => e.into(),
    }
}

pub(crate) fn rule_problem(e: PlanError) -> Problem {
    let key = match e {
        PlanError::Year => "plan.error.year",
        PlanError::Title => "plan.error.title",
        PlanError::Text { .. } => "plan.error.text",
        PlanError::Amount { .. } => "plan.error.amount",
        PlanError::ItemCount => "plan.error.items",
        PlanError::SameTitle(_) => "plan.error.same_title",
        PlanError::OnBallot(_) => "plan.error.on_ballot",
        PlanError::Limit => "plan.error.limit",
    };
    Problem::field(e.field(), key)
}

/// A plan and its place (404 for no such plan).
pub(crate) async fn plan(state: &AppState, id: &str) -> Result<(Plan, StoredRegion)> {
    let plan = state
        .store
        .plans()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = emd(state, &plan.emd_code).await?;
    Ok((plan, place))
}

/// The plan when the user may act on it with `permission` there (404 otherwise, so that
/// other places' plans are not confirmed to exist to those who cannot act on them).
pub(crate) async fn plan_for(
    state: &AppState,
    user: &Principal,
    id: &str,
    permission: Permission,
) -> Result<(Plan, StoredRegion)> {
    let (plan, place) = plan(state, id).await?;
    if !user.may_in(permission, &place.path) {
        return Err(Problem::not_found());
    }
    Ok((plan, place))
}

// ---------------------------------------------------------------------------------------
// Reading

/// An item of a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub topic: String,
    /// 원
    pub budget: i64,
    /// `resident_tax_return`, `participatory_budget`, `special_account`, `grant`, `private`
    /// or `own`.
    pub funding: String,
    pub subcommittee_id: Option<i64>,
    pub subcommittee: Option<String>,
    pub agenda_item_id: Option<i64>,
    /// The assembly question it was put as, and the option that adopts it.
    pub ballot_item: Option<String>,
    pub ballot_option: Option<String>,
    /// `pending`, `adopted` or `not_adopted`.
    pub decision: String,
    /// 원, once recorded.
    pub spent: Option<i64>,
    pub settlement_note: String,
    /// 추진률, 0–100 %, from the item's latest project update.
    pub progress: u8,
}

impl From<&StoredItem> for PlanItemOut {
    fn from(i: &StoredItem) -> Self {
        PlanItemOut {
            id: i.id,
            title: i.item.title.clone(),
            description: i.item.description.clone(),
            topic: i.item.topic.as_str().to_owned(),
            budget: i.item.budget,
            funding: i.item.funding.as_str().to_owned(),
            subcommittee_id: i.item.subcommittee_id,
            subcommittee: i.subcommittee.clone(),
            agenda_item_id: i.item.agenda_item_id,
            ballot_item: i.placement.as_ref().map(|p| p.ballot_item.clone()),
            ballot_option: i.placement.as_ref().map(|p| p.option.clone()),
            decision: i.decision.as_str().to_owned(),
            spent: i.spent,
            settlement_note: i.settlement_note.clone(),
            progress: i.progress,
        }
    }
}

/// Budget, spending and balance, in won.
#[derive(Debug, Serialize, ToSchema)]
pub struct SumsOut {
    pub budget: i64,
    pub spent: i64,
    pub balance: i64,
}

impl From<rules::Sums> for SumsOut {
    fn from(s: rules::Sums) -> Self {
        SumsOut {
            budget: s.budget,
            spent: s.spent,
            balance: s.balance(),
        }
    }
}

/// 결산 — the adopted items per funding source and in total.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementOut {
    pub by_funding: BTreeMap<String, SumsOut>,
    pub total: SumsOut,
}

/// The settlement of a plan's adopted items.
pub(crate) fn settlement_of(plan: &Plan) -> rules::Settlement {
    settle(
        plan.items
            .iter()
            .map(|i| (i.decision, i.item.funding, i.item.budget, i.spent)),
    )
}

/// One funding source: what the plan has, what adopted items take and spent, what is left.
#[derive(Debug, Serialize, ToSchema)]
pub struct FundLineOut {
    pub funding: String,
    /// 확보액
    pub available: i64,
    /// 배정액 — the adopted items' budgets.
    pub allocated: i64,
    /// 집행액
    pub spent: i64,
    /// 미배정액 — available less allocated (negative when items take more than there is).
    pub unallocated: i64,
    /// 잔액 — available less spent.
    pub balance: i64,
}

/// The funds of a plan against its settlement, a line per source.
pub(crate) fn fund_lines_of(plan: &Plan) -> Vec<rules::FundLine> {
    rules::fund_lines(&plan.funds, &settlement_of(plan))
}

/// A plan with its items and settlement.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanOut {
    pub id: i64,
    pub region_code: String,
    pub year: i32,
    /// `draft`, `at_assembly`, `adopted`, `executing` or `closed`.
    pub status: String,
    pub assembly_id: Option<i64>,
    /// All items' budgets together, in won.
    pub total_budget: i64,
    pub items: Vec<PlanItemOut>,
    pub settlement: SettlementOut,
    /// 재원 — per funding source: available, allocated, spent, unallocated, balance.
    pub funds: Vec<FundLineOut>,
    pub updated_at: String,
}

impl From<&Plan> for PlanOut {
    fn from(p: &Plan) -> Self {
        let s = settlement_of(p);
        PlanOut {
            id: p.id,
            region_code: p.emd_code.clone(),
            year: p.year,
            status: p.status.as_str().to_owned(),
            assembly_id: p.assembly_id,
            total_budget: p.items.iter().map(|i| i.item.budget).sum(),
            items: p.items.iter().map(PlanItemOut::from).collect(),
            settlement: SettlementOut {
                by_funding: s
                    .by_funding
                    .into_iter()
                    .map(|(f, sums)| (f.as_str().to_owned(), sums.into()))
                    .collect(),
                total: s.total.into(),
            },
            funds: fund_lines_of(p)
                .into_iter()
                .map(|l| FundLineOut {
                    funding: l.funding.as_str().to_owned(),
                    available: l.available,
                    allocated: l.allocated,
                    spent: l.spent,
                    unallocated: l.unallocated(),
                    balance: l.balance(),
                })
                .collect(),
            updated_at: rfc3339(p.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<PlanOut>,
}

/// The autonomy plans of an eup/myeon/dong, latest year first (public).
#[utoipa::path(get, path = "/regions/{code}/autonomy-plans", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    responses(
        (status = 200, body = PlanList),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<PlanList>> {
    let place = emd(&state, &code).await?;
    let plans = state.store.plans().of_place(&place.region.code).await?;
    Ok(Json(PlanList {
        items: plans.iter().map(PlanOut::from).collect(),
    }))
}

/// An autonomy plan with its items and settlement (public).
#[utoipa::path(get, path = "/autonomy-plans/{id}", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = PlanOut),
        (status = 404, description = "No such plan", content_type = "application/problem+json"),
    ))]
async fn show_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<PlanOut>> {
    Ok(Json(PlanOut::from(&plan(&state, &id).await?.0)))
}

// ---------------------------------------------------------------------------------------
// Drafting

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanIn {
    #[schema(example = 2027, minimum = 2000, maximum = 2100)]
    pub year: i64,
}

/// Starts a place's plan for a year (one per year).
pub(crate) async fn create(
    state: &AppState,
    user: &Principal,
    code: &str,
    year: i64,
) -> Result<i64> {
    let place = emd(state, code).await?;
    if !user.may_in(Permission::DraftPlan, &place.path) {
        return Err(Problem::forbidden());
    }
    let year = rules::year(year).map_err(rule_problem)?;
    state
        .store
        .plans()
        .create(&place.region.code, year, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Starts the autonomy plan of a year for an eup/myeon/dong, in draft.
#[utoipa::path(post, path = "/regions/{code}/autonomy-plan-drafts", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = PlanIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 409, description = "The place already has a plan for that year", content_type = "application/problem+json"),
        (status = 422, description = "The year is out of range", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let year = json_body::<PlanIn>(&body)?.year;
    let id = create(&state, &user, &code, year).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

fn topic_code() -> utoipa::openapi::schema::Object {
    crate::page::code_enum(Topic::ALL.into_iter().map(Topic::as_str))
}

fn funding_code() -> utoipa::openapi::schema::Object {
    crate::page::code_enum(Funding::ALL.into_iter().map(Funding::as_str))
}

/// A plan item as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanItemIn {
    #[schema(
        example = "골목길 화단 가꾸기",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
    #[schema(schema_with = topic_code)]
    pub topic: String,
    /// 예산 (원).
    #[schema(example = 5_000_000, minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub budget: i64,
    #[schema(schema_with = funding_code)]
    pub funding: String,
    /// One of the place's subcommittees.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub subcommittee_id: Option<i64>,
    /// The agenda item of the place it grew from.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub agenda_item_id: Option<i64>,
}

impl PlanItemIn {
    pub(crate) fn item(self) -> Result<PlanItem> {
        let topic =
            Topic::parse(&self.topic).ok_or_else(|| Problem::field("topic", "field.choice"))?;
        let funding = Funding::parse(&self.funding)
            .ok_or_else(|| Problem::field("funding", "field.choice"))?;
        PlanItem::new(PlanItem {
            title: self.title,
            description: self.description,
            topic,
            budget: self.budget,
            funding,
            subcommittee_id: self.subcommittee_id,
            agenda_item_id: self.agenda_item_id,
        })
        .map_err(rule_problem)
    }
}

/// Adds an item to a draft plan.
pub(crate) async fn add_item(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: PlanItemIn,
) -> Result<i64> {
    let (plan, _) = plan_for(state, user, id, Permission::DraftPlan).await?;
    let item = input.item()?;
    state
        .store
        .plans()
        .add_item(plan.id, item, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Adds an item to a plan in draft.
#[utoipa::path(post, path = "/autonomy-plans/{id}/items", tag = "autonomy", params(("id" = i64, Path)),
    request_body = PlanItemIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to draft plans", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is no longer a draft", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the subcommittee or agenda item is not the place's", content_type = "application/problem+json"),
    ))]
async fn add_item_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = add_item(&state, &user, &id, json_body::<PlanItemIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Changes an item of a plan in draft.
#[utoipa::path(put, path = "/autonomy-plans/{id}/items/{item}", tag = "autonomy",
    params(("id" = i64, Path), ("item" = i64, Path)),
    request_body = PlanItemIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to draft plans", content_type = "application/problem+json"),
        (status = 404, description = "No such plan or item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is no longer a draft", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the subcommittee or agenda item is not the place's", content_type = "application/problem+json"),
    ))]
async fn update_item_api(
    State(state): State<AppState>,
    User(user): User,
    Path((id, item)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode> {
    let (plan, _) = plan_for(&state, &user, &id, Permission::DraftPlan).await?;
    let item_id = record_id(&item)?;
    let item = json_body::<PlanItemIn>(&body)?.item()?;
    state
        .store
        .plans()
        .update_item(plan.id, item_id, item, user.user_id)
        .await
        .map_err(plan_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an item from a plan in draft.
pub(crate) async fn remove_item(
    state: &AppState,
    user: &Principal,
    id: &str,
    item: &str,
) -> Result<()> {
    let (plan, _) = plan_for(state, user, id, Permission::DraftPlan).await?;
    state
        .store
        .plans()
        .remove_item(plan.id, record_id(item)?, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Removes an item from a plan in draft.
#[utoipa::path(delete, path = "/autonomy-plans/{id}/items/{item}", tag = "autonomy",
    params(("id" = i64, Path), ("item" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to draft plans", content_type = "application/problem+json"),
        (status = 404, description = "No such plan or item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is no longer a draft", content_type = "application/problem+json"),
    ))]
async fn remove_item_api(
    State(state): State<AppState>,
    User(user): User,
    Path((id, item)): Path<(String, String)>,
) -> Result<StatusCode> {
    remove_item(&state, &user, &id, &item).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// The assembly and after

#[derive(Debug, Deserialize, ToSchema)]
pub struct PutIn {
    /// A draft assembly of the plan's place.
    #[schema(minimum = 1)]
    pub assembly_id: i64,
    /// `each_item` (a yes/no question per item) or `within_limit` (one question over all
    /// items, adopted in order of votes while they fit in `limit`).
    #[schema(pattern = "^(each_item|within_limit)$")]
    pub ballot: String,
    /// 원; for `within_limit`.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub limit: Option<i64>,
}

/// Puts a draft plan to a draft assembly of its place: its items join the ballot.
pub(crate) async fn put(state: &AppState, user: &Principal, id: &str, input: PutIn) -> Result<()> {
    let (plan, place) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    // The plan changes the assembly's ballot: only those who may set assemblies up.
    if !user.may_in(Permission::ManageAssemblies, &place.path) {
        return Err(Problem::forbidden());
    }
    if input
        .limit
        .is_some_and(|l| !(1..=rules::MAX_AMOUNT).contains(&l))
    {
        return Err(Problem::field("limit", "plan.error.limit"));
    }
    let ballot = match (input.ballot.as_str(), input.limit) {
        ("each_item", _) => Ballot::EachItem,
        ("within_limit", Some(limit)) => Ballot::WithinLimit(limit),
        ("within_limit", None) => return Err(Problem::field("limit", "plan.error.limit")),
        _ => return Err(Problem::field("ballot", "field.choice")),
    };
    let heading = format!("{}년 자치계획", plan.year);
    state
        .store
        .plans()
        .put_to_assembly(
            plan.id,
            input.assembly_id,
            user.user_id,
            move |items, rules| {
                let on: Vec<&str> = rules.items.iter().map(|i| i.title.as_str()).collect();
                ballot_items(items, ballot, &heading, &on)
            },
        )
        .await
        .map_err(plan_problem)
}

/// Puts the plan to an assembly that has not opened: each item becomes a yes/no question, or
/// the items become the options of one question within a spending limit.
#[utoipa::path(post, path = "/autonomy-plans/{id}/assembly", tag = "autonomy", params(("id" = i64, Path)),
    request_body = PutIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "The items are on the assembly's ballot"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to set up the place's assemblies", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not a draft, or the assembly's voting has opened", content_type = "application/problem+json"),
        (status = 422, description = "No items, two with one title, a title already on the ballot, a limit that fits none, or no such assembly in the place", content_type = "application/problem+json"),
    ))]
async fn put_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    put(&state, &user, &id, json_body::<PutIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws a plan from an assembly whose voting has not opened.
pub(crate) async fn withdraw(state: &AppState, user: &Principal, id: &str) -> Result<()> {
    let (plan, place) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    if !user.may_in(Permission::ManageAssemblies, &place.path) {
        return Err(Problem::forbidden());
    }
    state
        .store
        .plans()
        .withdraw(plan.id, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Withdraws the plan from its assembly before voting opens: its questions leave the ballot
/// and the plan is a draft again.
#[utoipa::path(post, path = "/autonomy-plans/{id}/withdrawal", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The plan is a draft again"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to set up the place's assemblies", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not at an assembly, or its voting has opened", content_type = "application/problem+json"),
    ))]
async fn withdrawal_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    withdraw(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// `decided` (each item adopted or not) or `back_to_draft` (the assembly's result was
    /// not valid: the plan can be put to another assembly).
    pub outcome: String,
    pub plan: PlanOut,
}

/// Reads the decision of the plan's assembly once its voting has closed.
pub(crate) async fn decide(state: &AppState, user: &Principal, id: &str) -> Result<DecisionOut> {
    let (plan, _) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    let Some(assembly) = plan
        .assembly_id
        .filter(|_| plan.status == Status::AtAssembly)
    else {
        return Err(plan_problem(PlanStoreError::Status(plan.status)));
    };
    let counted = state
        .store
        .assemblies()
        .counted(assembly)
        .await
        .map_err(assembly_problem)?;
    if counted.assembly.status != AssemblyStatus::Closed {
        return Err(assembly_problem(
            maeul_store::autonomy::assembly::AssemblyError::NotClosed,
        ));
    }
    let (winners, detail) = counted.plan_decision();
    let outcome = state
        .store
        .plans()
        .record_decision(plan.id, assembly, winners, detail, user.user_id)
        .await
        .map_err(plan_problem)?;
    let outcome = match outcome {
        Outcome::Decided => "decided",
        Outcome::BackToDraft => "back_to_draft",
        Outcome::MissingFromBallot(_) => {
            return Err(Problem::conflict_of(
                "plan-not-on-ballot",
                "plan.error.not_on_ballot",
            ));
        }
    };
    let (plan, _) = self::plan(state, id).await?;
    Ok(DecisionOut {
        outcome: outcome.to_owned(),
        plan: PlanOut::from(&plan),
    })
}

/// Records the decision of the plan's assembly after its voting closed: items adopted or not
/// by the result; a result that is not valid sends the plan back to draft.
#[utoipa::path(post, path = "/autonomy-plans/{id}/decision", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DecisionOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not at an assembly, its voting has not closed, or a question was renamed", content_type = "application/problem+json"),
    ))]
async fn decision_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<DecisionOut>> {
    Ok(Json(decide(&state, &user, &id).await?))
}

/// Moves an adopted plan to execution, or an executing one to closed.
pub(crate) async fn advance(
    state: &AppState,
    user: &Principal,
    id: &str,
    to: Status,
) -> Result<()> {
    let (plan, _) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    state
        .store
        .plans()
        .advance(plan.id, to, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Starts carrying out an adopted plan.
#[utoipa::path(post, path = "/autonomy-plans/{id}/execution", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The plan is executing"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not adopted", content_type = "application/problem+json"),
    ))]
async fn execution_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    advance(&state, &user, &id, Status::Executing).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes an executing plan: its settlement is final.
#[utoipa::path(post, path = "/autonomy-plans/{id}/closing", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The plan is closed"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not executing", content_type = "application/problem+json"),
    ))]
async fn closing_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    advance(&state, &user, &id, Status::Closed).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SpendingIn {
    /// 집행액 (원).
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub spent: i64,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
}

/// Records what an adopted item spent.
pub(crate) async fn spend(
    state: &AppState,
    user: &Principal,
    id: &str,
    item: &str,
    input: SpendingIn,
) -> Result<()> {
    let (plan, _) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    let item = record_id(item)?;
    let spent = rules::amount(input.spent, "spent").map_err(rule_problem)?;
    let note = rules::note(&input.note, "note").map_err(rule_problem)?;
    state
        .store
        .plans()
        .record_spending(plan.id, item, spent, note, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Records the spending of an adopted item while the plan executes (a later record replaces
/// it; each is kept in the plan's history).
#[utoipa::path(put, path = "/autonomy-plans/{id}/items/{item}/spending", tag = "autonomy",
    params(("id" = i64, Path), ("item" = i64, Path)),
    request_body = SpendingIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such plan or item in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is not executing, or the item was not adopted", content_type = "application/problem+json"),
        (status = 422, description = "The amount or note is out of range", content_type = "application/problem+json"),
    ))]
async fn spending_api(
    State(state): State<AppState>,
    User(user): User,
    Path((id, item)): Path<(String, String)>,
    body: Bytes,
) -> Result<StatusCode> {
    spend(&state, &user, &id, &item, json_body::<SpendingIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 재원 — what the plan has from each funding source, in won; a source left out has nothing.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FundsIn {
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub resident_tax_return: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub participatory_budget: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub special_account: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub grant: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub private: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub own: Option<i64>,
}

impl FundsIn {
    fn funds(&self) -> Result<BTreeMap<Funding, i64>> {
        let given = [
            (Funding::ResidentTaxReturn, self.resident_tax_return),
            (Funding::ParticipatoryBudget, self.participatory_budget),
            (Funding::SpecialAccount, self.special_account),
            (Funding::Grant, self.grant),
            (Funding::Private, self.private),
            (Funding::Own, self.own),
        ];
        let mut funds = BTreeMap::new();
        for (f, amount) in given {
            if let Some(a) = amount {
                funds.insert(f, rules::amount(a, f.as_str()).map_err(rule_problem)?);
            }
        }
        Ok(funds)
    }
}

/// Sets what the plan has from each funding source.
pub(crate) async fn set_funds(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: FundsIn,
) -> Result<()> {
    let (plan, _) = plan_for(state, user, id, Permission::ManageCouncil).await?;
    let funds = input.funds()?;
    state
        .store
        .plans()
        .set_funds(plan.id, funds, user.user_id)
        .await
        .map_err(plan_problem)
}

/// Sets what the plan has from each funding source (resident-tax return, participatory budget,
/// special account, grants, private funds, own income); until the plan is closed.
#[utoipa::path(put, path = "/autonomy-plans/{id}/funds", tag = "autonomy", params(("id" = i64, Path)),
    request_body = FundsIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Set"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such plan in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The plan is closed", content_type = "application/problem+json"),
        (status = 422, description = "An amount is out of range", content_type = "application/problem+json"),
    ))]
async fn funds_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    set_funds(&state, &user, &id, json_body::<FundsIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
