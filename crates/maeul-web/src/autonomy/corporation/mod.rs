//! 실행 법인 — organisations linked to a council that carry out its projects: the public
//! registry, the contracts (commissioned or subsidised) they take on, and their reports. The
//! council's officers and autonomy staff keep them. The API is here; the pages are in
//! [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::corporation::{
    Contract, ContractKind, CorporationError, OrgKind, Organisation, Report,
};
use maeul_core::format::parse_day;
use maeul_store::autonomy::corporation::{
    CorporationStoreError, StoredContract, StoredCorporation, StoredReport,
};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::council::emd;
use super::plan::rule_problem;
use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::page::code_enum;
use crate::welfare::day;
use crate::{AppState, Created, record_id, rfc3339};

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api))
        .api(MANAGE, routes!(register_api))
        .api(Access::Public, routes!(show_api))
        .api(MANAGE, routes!(registry_api))
        .api(MANAGE, routes!(contract_api))
        .api(MANAGE, routes!(report_api));
    pages::routes(r)
}

pub(crate) fn rules_problem(e: CorporationError) -> Problem {
    let key = match e {
        CorporationError::Name { .. } => "corporation.error.name",
        CorporationError::Title => "corporation.error.title",
        CorporationError::Registration => "corporation.error.registration",
        CorporationError::Contact => "corporation.error.contact",
        CorporationError::Period => "corporation.error.period",
        CorporationError::Report => "corporation.error.report",
        CorporationError::Plan(e) => return rule_problem(e),
    };
    Problem::field(e.field(), key)
}

fn store_problem(e: CorporationStoreError) -> Problem {
    match e {
        CorporationStoreError::NotFound => Problem::not_found(),
        CorporationStoreError::NameTaken => Problem::field("name", "corporation.error.name_taken"),
        CorporationStoreError::PlanItemElsewhere => {
            Problem::field("plan_item_id", "corporation.error.plan_item")
        }
        CorporationStoreError::Store(e) => e.into(),
    }
}

/// An organisation with its contracts, and its place (404 for no such organisation).
pub(crate) async fn corporation(
    state: &AppState,
    id: &str,
) -> Result<(StoredCorporation, Vec<StoredContract>, StoredRegion)> {
    let (c, contracts) = state
        .store
        .corporations()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = emd(state, &c.emd_code).await?;
    Ok((c, contracts, place))
}

/// The organisation when the user keeps its place's council (404 otherwise).
async fn kept(state: &AppState, user: &Principal, id: &str) -> Result<StoredCorporation> {
    let (c, _, place) = corporation(state, id).await?;
    if !user.may_in(Permission::ManageCouncil, &place.path) {
        return Err(Problem::not_found());
    }
    Ok(c)
}

// ---------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Serialize, ToSchema)]
pub struct CorporationOut {
    pub id: i64,
    pub region_code: String,
    pub name: String,
    /// `social_cooperative`, `cooperative`, `village_enterprise`, `social_enterprise` or
    /// `non_profit`.
    pub kind: String,
    /// Digits only.
    pub registration_no: Option<String>,
    pub representative: String,
    pub founded_on: Option<String>,
    pub contact: String,
    pub description: String,
    pub contracts: usize,
    /// 원, all contracts together.
    pub amount: i64,
    pub updated_at: String,
}

impl From<&StoredCorporation> for CorporationOut {
    fn from(c: &StoredCorporation) -> Self {
        CorporationOut {
            id: c.id,
            region_code: c.emd_code.clone(),
            name: c.org.name.clone(),
            kind: c.org.kind.as_str().to_owned(),
            registration_no: c.org.registration_no.clone(),
            representative: c.org.representative.clone(),
            founded_on: c.org.founded_on.map(day),
            contact: c.org.contact.clone(),
            description: c.org.description.clone(),
            contracts: c.contracts,
            amount: c.amount,
            updated_at: rfc3339(c.updated_at),
        }
    }
}

/// A report on work carried out (a contract's, a grant award's).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub id: i64,
    pub body: String,
    /// 원, the spending so far, if the report gave it.
    pub spent: Option<i64>,
    pub reported_at: String,
}

impl From<&StoredReport> for ReportOut {
    fn from(r: &StoredReport) -> Self {
        ReportOut {
            id: r.id,
            body: r.body.clone(),
            spent: r.spent,
            reported_at: rfc3339(r.at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    pub id: i64,
    pub title: String,
    /// `commissioned` (위탁) or `subsidised` (보조).
    pub kind: String,
    /// 원
    pub amount: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub plan_item_id: Option<i64>,
    pub plan_item: Option<String>,
    /// 원, from the latest report that gave it.
    pub spent: Option<i64>,
    /// Newest first.
    pub reports: Vec<ReportOut>,
}

impl From<&StoredContract> for ContractOut {
    fn from(c: &StoredContract) -> Self {
        ContractOut {
            id: c.id,
            title: c.contract.title.clone(),
            kind: c.contract.kind.as_str().to_owned(),
            amount: c.contract.amount,
            starts_on: day(c.contract.starts_on),
            ends_on: day(c.contract.ends_on),
            plan_item_id: c.contract.plan_item_id,
            plan_item: c.plan_item.clone(),
            spent: c.spent,
            reports: c.reports.iter().map(ReportOut::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorporationListOut {
    pub items: Vec<CorporationOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorporationDetailOut {
    pub corporation: CorporationOut,
    /// Latest first.
    pub contracts: Vec<ContractOut>,
}

/// The organisations linked to an eup/myeon/dong's council, by name.
#[utoipa::path(get, path = "/regions/{code}/corporations", tag = "autonomy",
    params(("code" = String, Path, description = "eup/myeon/dong code")),
    responses(
        (status = 200, body = CorporationListOut),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CorporationListOut>> {
    let place = emd(&state, &code).await?;
    let items = state
        .store
        .corporations()
        .of_place(&place.region.code)
        .await?
        .iter()
        .map(CorporationOut::from)
        .collect();
    Ok(Json(CorporationListOut { items }))
}

/// One organisation with its contracts and their reports.
#[utoipa::path(get, path = "/corporations/{id}", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = CorporationDetailOut),
        (status = 404, description = "No such organisation", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CorporationDetailOut>> {
    let (c, contracts, _) = corporation(&state, &id).await?;
    Ok(Json(CorporationDetailOut {
        corporation: CorporationOut::from(&c),
        contracts: contracts.iter().map(ContractOut::from).collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Keeping the registry

fn org_kind_code() -> utoipa::openapi::schema::Object {
    code_enum(OrgKind::ALL.iter().map(|k| k.as_str()))
}

fn contract_kind_code() -> utoipa::openapi::schema::Object {
    code_enum(ContractKind::ALL.iter().map(|k| k.as_str()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrganisationIn {
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    #[schema(schema_with = org_kind_code)]
    pub kind: String,
    /// 사업자등록번호 (10 digits) or 법인등록번호 (13 digits), dashes allowed.
    #[serde(default)]
    #[schema(pattern = "^[0-9-]*$", max_length = 20)]
    pub registration_no: Option<String>,
    /// 대표자, as on the organisation's registration.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub representative: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub founded_on: Option<String>,
    /// The organisation's public contact.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub contact: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
}

impl OrganisationIn {
    pub(crate) fn organisation(self) -> Result<Organisation> {
        let kind =
            OrgKind::parse(&self.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
        let founded_on = super::council::day("founded_on", self.founded_on.as_deref())?;
        Organisation::new(Organisation {
            name: self.name,
            kind,
            registration_no: self.registration_no,
            representative: self.representative,
            founded_on,
            contact: self.contact,
            description: self.description,
        })
        .map_err(rules_problem)
    }
}

/// Registers an organisation of a place whose council the user keeps.
pub(crate) async fn register(
    state: &AppState,
    user: &Principal,
    code: &str,
    input: OrganisationIn,
) -> Result<i64> {
    let place = super::council::managed_place(state, user, code).await?;
    let org = input.organisation()?;
    state
        .store
        .corporations()
        .register(&place.region.code, org, user.user_id)
        .await
        .map_err(store_problem)
}

/// Registers an organisation linked to the council (a social co-operative, a village
/// enterprise …).
#[utoipa::path(post, path = "/regions/{code}/corporation-registrations", tag = "autonomy",
    params(("code" = String, Path, description = "eup/myeon/dong code")),
    request_body = OrganisationIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep this council", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, or the name is taken", content_type = "application/problem+json"),
    ))]
async fn register_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = register(&state, &user, &code, json_body::<OrganisationIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replaces an organisation's registry entry.
#[utoipa::path(put, path = "/corporations/{id}/registry", tag = "autonomy", params(("id" = i64, Path)),
    request_body = OrganisationIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such organisation in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, or the name is taken", content_type = "application/problem+json"),
    ))]
async fn registry_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let c = kept(&state, &user, &id).await?;
    let org = json_body::<OrganisationIn>(&body)?.organisation()?;
    state
        .store
        .corporations()
        .update(c.id, org)
        .await
        .map_err(store_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContractIn {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    #[schema(schema_with = contract_kind_code)]
    pub kind: String,
    /// 원
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub amount: i64,
    #[schema(example = "2026-04-01", format = Date)]
    pub starts_on: String,
    /// Not before `starts_on`.
    #[schema(example = "2026-11-30", format = Date)]
    pub ends_on: String,
    /// An adopted plan item of the organisation's place that the contract carries out.
    #[serde(default)]
    pub plan_item_id: Option<i64>,
}

/// Records a contract of an organisation.
pub(crate) async fn add_contract(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: ContractIn,
) -> Result<i64> {
    let c = kept(state, user, id).await?;
    let kind =
        ContractKind::parse(&input.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
    let starts_on =
        parse_day(&input.starts_on).ok_or_else(|| Problem::field("starts_on", "field.date"))?;
    let ends_on =
        parse_day(&input.ends_on).ok_or_else(|| Problem::field("ends_on", "field.date"))?;
    let contract = Contract::new(Contract {
        title: input.title,
        kind,
        amount: input.amount,
        starts_on,
        ends_on,
        plan_item_id: input.plan_item_id,
    })
    .map_err(rules_problem)?;
    state
        .store
        .corporations()
        .add_contract(c.id, contract, user.user_id)
        .await
        .map_err(store_problem)
}

/// Records a project an organisation takes on: commissioned or subsidised, with its amount,
/// period and the adopted plan item it carries out.
#[utoipa::path(post, path = "/corporations/{id}/contracts", tag = "autonomy", params(("id" = i64, Path)),
    request_body = ContractIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such organisation in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, the period ends before it starts, or the plan item is not an adopted item of the place", content_type = "application/problem+json"),
    ))]
async fn contract_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = add_contract(&state, &user, &id, json_body::<ContractIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportIn {
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub body: String,
    /// Spending so far (원); it becomes the contract's.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub spent: Option<i64>,
}

/// Records a report on a contract of an organisation the user keeps.
pub(crate) async fn add_report(
    state: &AppState,
    user: &Principal,
    contract: &str,
    input: ReportIn,
) -> Result<i64> {
    let contract = record_id(contract)?;
    let corporation = state
        .store
        .corporations()
        .corporation_of_contract(contract)
        .await?
        .ok_or_else(Problem::not_found)?;
    kept(state, user, &corporation.to_string()).await?;
    let report = Report::new(&input.body, input.spent).map_err(rules_problem)?;
    state
        .store
        .corporations()
        .add_report(contract, report, user.user_id)
        .await
        .map_err(store_problem)
}

/// Records an organisation's report on a contract: what was done and the spending so far.
#[utoipa::path(post, path = "/corporation-contracts/{id}/reports", tag = "autonomy", params(("id" = i64, Path)),
    request_body = ReportIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such contract in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "No text, or an amount out of range", content_type = "application/problem+json"),
    ))]
async fn report_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = add_report(&state, &user, &id, json_body::<ReportIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
