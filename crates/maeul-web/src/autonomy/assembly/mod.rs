//! 주민총회 — the resident general assembly: set up by the council (rules frozen once voting
//! opens), voted online with one-time codes and at booths with paper, and its result.
//! The API is here; the pages, which use the same checks, are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::assembly::{
    self as rules, Ballot, BallotError, Booth, BoothKind, DecisionRule, Eligibility, Item,
    PaperError, PaperTally, PricedOption, RawChoice, Reason, Rules, RulesError, Voters, VotingCode,
};
use maeul_core::region::{Level, RegionCode};
use maeul_store::autonomy::assembly::{Assembly, AssemblyError, Counted, Setup, Status};
use maeul_store::autonomy::resident::VerifyError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::{AppState, record_id, rfc3339};

const MANAGE: Access = Access::Allowed(Permission::ManageAssemblies);
const POLLING: Access = Access::Allowed(Permission::RunPolling);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(MANAGE, routes!(create_api, list_api))
        .api(MANAGE, routes!(show_api, update_api))
        .api(MANAGE, routes!(open_api))
        .api(MANAGE, routes!(close_api))
        .api(Access::Public, routes!(ballot_paper_api))
        // Voting needs no account: the one-time code is the credential. The ballot file of a
        // closed assembly is public at the same path.
        .api(Access::Public, routes!(cast_api, ballot_file_api))
        .api(
            Access::Allowed(Permission::VoteAsResident),
            routes!(resident_cast_api),
        )
        .api(POLLING, routes!(verification_api))
        .api(POLLING, routes!(check_in_api))
        .api(POLLING, routes!(booth_tally_api))
        .api(Access::Public, routes!(result_api));
    pages::routes(r)
}

/// The problem for a refused assembly command.
pub(crate) fn assembly_problem(e: AssemblyError) -> Problem {
    match e {
        AssemblyError::NotFound => Problem::not_found(),
        AssemblyError::Frozen => Problem::conflict_of("rules-frozen", "assembly.error.frozen"),
        AssemblyError::NotOpen => {
            Problem::conflict_of("voting-not-open", "assembly.error.not_open")
        }
        AssemblyError::NotClosed => {
            Problem::conflict_of("voting-not-closed", "assembly.error.not_closed")
        }
        AssemblyError::Closed => Problem::conflict_of("voting-closed", "assembly.error.closed"),
        AssemblyError::AlreadyTookPart => {
            Problem::conflict_of("already-participated", "assembly.error.already")
        }
        AssemblyError::UnknownCode => Problem::field("code", "assembly.error.code"),
        AssemblyError::PlanOnBallot => {
            Problem::conflict_of("plan-on-ballot", "assembly.error.plan_on_ballot")
        }
        AssemblyError::NotOnRoster => {
            Problem::field("resident_ref", "assembly.error.not_on_roster")
        }
        AssemblyError::Store(e) => e.into(),
    }
}

pub(crate) fn rules_problem(e: RulesError) -> Problem {
    let key = match e {
        RulesError::Title { .. } => "assembly.error.title",
        RulesError::Window => "assembly.error.window",
        RulesError::Population => "assembly.error.population",
        RulesError::Quorum => "assembly.error.quorum",
        RulesError::ItemCount => "assembly.error.items",
        RulesError::Options { .. } => "assembly.error.options",
        RulesError::K { .. } => "assembly.error.k",
        RulesError::Amount { .. } => "assembly.error.amount",
        RulesError::Booths => "assembly.error.booths",
    };
    Problem::field(&e.field(), key)
}

pub(crate) fn ballot_problem(e: BallotError) -> Problem {
    let key = match e {
        BallotError::UnknownItem { .. } => "assembly.error.item",
        BallotError::RepeatedItem { .. } => "assembly.error.repeated",
        BallotError::NotAnAnswer { .. } => "assembly.error.answer",
        BallotError::UnknownOption { .. } => "assembly.error.option",
        BallotError::TooManyOptions { .. } => "assembly.error.too_many",
        BallotError::OverBudget { .. } => "assembly.error.over_budget",
        BallotError::Empty => "assembly.error.empty",
    };
    Problem::field(&e.field(), key)
}

pub(crate) fn paper_problem(e: PaperError) -> Problem {
    let key = match e {
        PaperError::UnknownItem(_) => "assembly.error.item",
        PaperError::UnknownOption(..) => "assembly.error.option",
        PaperError::TooManyVotes(_) => "assembly.error.paper_votes",
    };
    Problem::field(&e.field(), key)
}

/// The assembly if the user may manage it (404 otherwise, so that other places' assemblies
/// are not even confirmed to exist).
pub(crate) async fn managed(state: &AppState, user: &Principal, id: i64) -> Result<Assembly> {
    let assembly = state
        .store
        .assemblies()
        .get(id)
        .await?
        .filter(|a| user.may_in(Permission::ManageAssemblies, &a.setup.place))
        .ok_or_else(Problem::not_found)?;
    Ok(assembly)
}

/// The frozen setup of an assembly whose voting has opened.
pub(crate) async fn opened(state: &AppState, id: i64) -> Result<std::sync::Arc<Setup>> {
    match state.store.assemblies().setup(id).await? {
        Some(s) => Ok(s),
        None if state.store.assemblies().get(id).await?.is_some() => {
            Err(assembly_problem(AssemblyError::NotOpen))
        }
        None => Err(Problem::not_found()),
    }
}

// ---------------------------------------------------------------------------------------
// Setting up

#[derive(Debug, Deserialize, ToSchema)]
pub struct EligibilityIn {
    #[schema(example = 16, maximum = 120)]
    pub min_age: u8,
    /// `residents` (default) or `residents_workers_students`.
    #[serde(default)]
    pub voters: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QuorumIn {
    /// Least turnout in percent of the eligible population, at most two decimals.
    #[schema(example = 0.5)]
    pub min_turnout_percent: f64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PricedOptionIn {
    pub title: String,
    /// 원
    pub cost: i64,
}

/// One item and its decision rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ItemIn {
    /// Yes, no or abstain.
    Majority { title: String },
    /// Up to `k` options on a ballot; the `k` with most votes win.
    TopK {
        title: String,
        k: u32,
        options: Vec<String>,
    },
    /// Options with costs; a ballot stays within `limit`.
    Budget {
        title: String,
        limit: i64,
        options: Vec<PricedOptionIn>,
    },
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BoothIn {
    pub name: String,
    /// `fixed` (default) or `mobile` (찾아가는 투표소).
    #[serde(default)]
    pub kind: Option<String>,
}

/// The rules of an assembly.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssemblyIn {
    #[schema(example = "2026년 청운효자동 주민총회")]
    pub title: String,
    /// RFC 3339, e.g. `2026-12-05T10:00:00+09:00`.
    pub opens_at: String,
    pub closes_at: String,
    /// 사전투표 — online voting from this moment, before `opens_at`.
    #[serde(default)]
    pub advance_opens_at: Option<String>,
    pub eligibility: EligibilityIn,
    pub eligible_population: u64,
    pub quorum: QuorumIn,
    pub items: Vec<ItemIn>,
    /// Polling booths; without them any booth name is accepted.
    #[serde(default)]
    pub booths: Vec<BoothIn>,
}

fn moment(field: &str, s: &str) -> Result<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| Problem::field(field, "field.datetime"))
}

impl AssemblyIn {
    pub(crate) fn rules(self) -> Result<Rules> {
        let voters = match self.eligibility.voters.as_deref() {
            None | Some("residents") => Voters::Residents,
            Some("residents_workers_students") => Voters::ResidentsWorkersStudents,
            Some(_) => return Err(Problem::field("eligibility.voters", "field.choice")),
        };
        let mut booths = Vec::with_capacity(self.booths.len());
        for b in self.booths {
            let kind = match b.kind.as_deref() {
                None | Some("fixed") => BoothKind::Fixed,
                Some("mobile") => BoothKind::Mobile,
                Some(_) => return Err(Problem::field("booths", "field.choice")),
            };
            booths.push(Booth { name: b.name, kind });
        }
        let items = self
            .items
            .into_iter()
            .map(|i| match i {
                ItemIn::Majority { title } => Item {
                    title,
                    rule: DecisionRule::Majority,
                },
                ItemIn::TopK { title, k, options } => Item {
                    title,
                    rule: DecisionRule::TopK { k, options },
                },
                ItemIn::Budget {
                    title,
                    limit,
                    options,
                } => Item {
                    title,
                    rule: DecisionRule::Budget {
                        limit,
                        options: options
                            .into_iter()
                            .map(|o| PricedOption {
                                title: o.title,
                                cost: o.cost,
                            })
                            .collect(),
                    },
                },
            })
            .collect();
        Rules::new(Rules {
            title: self.title,
            opens_at: moment("opens_at", &self.opens_at)?,
            closes_at: moment("closes_at", &self.closes_at)?,
            advance_opens_at: self
                .advance_opens_at
                .as_deref()
                .map(|s| moment("advance_opens_at", s))
                .transpose()?,
            eligibility: Eligibility {
                min_age: self.eligibility.min_age,
                voters,
            },
            eligible_population: self.eligible_population,
            quorum_basis_points: rules::quorum_basis_points(self.quorum.min_turnout_percent)
                .map_err(rules_problem)?,
            items,
            booths,
        })
        .map_err(rules_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemRef {
    pub id: i64,
    pub title: String,
}

/// An assembly as created or changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyCreated {
    pub id: i64,
    pub items: Vec<ItemRef>,
}

fn item_refs(setup: &Setup) -> Vec<ItemRef> {
    setup
        .item_ids
        .iter()
        .zip(&setup.rules.items)
        .map(|(id, item)| ItemRef {
            id: *id,
            title: item.title.clone(),
        })
        .collect()
}

/// Sets up an assembly of an eup/myeon/dong, in draft.
#[utoipa::path(post, path = "/regions/{code}/assemblies", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = AssemblyIn, security(("bearer" = [])),
    responses(
        (status = 201, body = AssemblyCreated),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A rule is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<AssemblyCreated>)> {
    let emd = emd_of(&state, &user, &code).await?;
    let rules = json_body::<AssemblyIn>(&body)?.rules()?;
    let assembly = state
        .store
        .assemblies()
        .create(&emd, rules, user.user_id)
        .await
        .map_err(assembly_problem)?;
    Ok((
        StatusCode::CREATED,
        Json(AssemblyCreated {
            id: assembly.setup.id,
            items: item_refs(&assembly.setup),
        }),
    ))
}

/// The eup/myeon/dong of `code` when the user manages assemblies there.
pub(crate) async fn emd_of(state: &AppState, user: &Principal, code: &str) -> Result<RegionCode> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let region = state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.region.level == Level::Emd && r.retired_on.is_none())
        .ok_or_else(Problem::not_found)?;
    if !user.may_in(Permission::ManageAssemblies, &region.path) {
        return Err(Problem::forbidden());
    }
    Ok(code)
}

/// An assembly as its organisers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyOut {
    pub id: i64,
    pub region_code: String,
    pub title: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub opens_at: String,
    pub closes_at: String,
    pub advance_opens_at: Option<String>,
    pub eligible_population: u64,
    pub min_turnout_percent: f64,
    pub min_age: u8,
    pub items: Vec<ItemRef>,
    pub participants: u64,
    pub ballot_hash: Option<String>,
}

impl From<&Assembly> for AssemblyOut {
    fn from(a: &Assembly) -> Self {
        let r = &a.setup.rules;
        AssemblyOut {
            id: a.setup.id,
            region_code: a.setup.emd_code.clone(),
            title: r.title.clone(),
            status: a.status.as_str().into(),
            opens_at: rfc3339(r.opens_at),
            closes_at: rfc3339(r.closes_at),
            advance_opens_at: r.advance_opens_at.map(rfc3339),
            eligible_population: r.eligible_population,
            min_turnout_percent: f64::from(r.quorum_basis_points) / 100.0,
            min_age: r.eligibility.min_age,
            items: item_refs(&a.setup),
            participants: a.participants.total(),
            ballot_hash: a.ballot_hash.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyList {
    pub items: Vec<AssemblyOut>,
}

/// The assemblies of an eup/myeon/dong, newest first.
#[utoipa::path(get, path = "/regions/{code}/assemblies", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AssemblyList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<AssemblyList>> {
    let emd = emd_of(&state, &user, &code).await?;
    let list = state.store.assemblies().of_place(&emd).await?;
    Ok(Json(AssemblyList {
        items: list.iter().map(AssemblyOut::from).collect(),
    }))
}

/// An assembly with its status.
#[utoipa::path(get, path = "/assemblies/{id}", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AssemblyOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<AssemblyOut>> {
    let assembly = managed(&state, &user, record_id(&id)?).await?;
    Ok(Json(AssemblyOut::from(&assembly)))
}

/// Replaces the rules of an assembly before voting opens.
#[utoipa::path(patch, path = "/assemblies/{id}", tag = "autonomy", params(("id" = i64, Path)),
    request_body = AssemblyIn, security(("bearer" = [])),
    responses(
        (status = 200, body = AssemblyCreated),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Voting has opened: the rules are frozen", content_type = "application/problem+json"),
        (status = 422, description = "A rule is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<AssemblyCreated>> {
    let assembly = managed(&state, &user, record_id(&id)?).await?;
    if assembly.status != Status::Draft {
        return Err(assembly_problem(AssemblyError::Frozen));
    }
    let rules = json_body::<AssemblyIn>(&body)?.rules()?;
    let updated = state
        .store
        .assemblies()
        .update(assembly.setup.id, rules)
        .await
        .map_err(assembly_problem)?;
    Ok(Json(AssemblyCreated {
        id: updated.setup.id,
        items: item_refs(&updated.setup),
    }))
}

/// Opens voting; the rules are frozen from now on.
#[utoipa::path(post, path = "/assemblies/{id}/open", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AssemblyOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Voting has already opened", content_type = "application/problem+json"),
    ))]
async fn open_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<AssemblyOut>> {
    let opened = transition(&state, &user, &id, Transition::Open).await?;
    Ok(Json(AssemblyOut::from(&opened)))
}

/// Opening or closing voting.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Transition {
    Open,
    Close,
}

/// Opens or closes the voting of an assembly the user manages.
pub(crate) async fn transition(
    state: &AppState,
    user: &Principal,
    id: &str,
    to: Transition,
) -> Result<Assembly> {
    let id = managed(state, user, record_id(id)?).await?.setup.id;
    let assemblies = state.store.assemblies();
    match to {
        Transition::Open => assemblies.open(id).await,
        Transition::Close => assemblies.close(id).await,
    }
    .map_err(assembly_problem)
}

/// Closes voting and fixes the hash of the ballot set.
#[utoipa::path(post, path = "/assemblies/{id}/close", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AssemblyOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer or autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Voting is not open", content_type = "application/problem+json"),
    ))]
async fn close_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<AssemblyOut>> {
    let closed = transition(&state, &user, &id, Transition::Close).await?;
    Ok(Json(AssemblyOut::from(&closed)))
}

// ---------------------------------------------------------------------------------------
// Voting

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionOut {
    pub title: String,
    /// 원, for budget items.
    pub cost: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperItemOut {
    pub id: i64,
    pub title: String,
    /// `majority`, `top_k` or `budget`.
    pub rule: String,
    /// Most options a ballot may mark (top_k).
    pub k: Option<u32>,
    /// Spending limit of a ballot in 원 (budget).
    pub limit: Option<i64>,
    /// `yes`, `no`, `abstain` for majority items.
    pub options: Vec<OptionOut>,
}

/// What a voter needs: the items, their rules and options, and the voting window.
#[derive(Debug, Serialize, ToSchema)]
pub struct BallotPaper {
    pub id: i64,
    pub region_code: String,
    pub title: String,
    pub status: String,
    pub opens_at: String,
    pub closes_at: String,
    pub advance_opens_at: Option<String>,
    pub items: Vec<PaperItemOut>,
}

pub(crate) fn paper_items(setup: &Setup) -> Vec<PaperItemOut> {
    setup
        .item_ids
        .iter()
        .zip(&setup.rules.items)
        .map(|(id, item)| {
            let (k, limit, options) = match &item.rule {
                DecisionRule::Majority => (
                    None,
                    None,
                    rules::MAJORITY_OPTIONS
                        .iter()
                        .map(|o| OptionOut {
                            title: (*o).into(),
                            cost: None,
                        })
                        .collect(),
                ),
                DecisionRule::TopK { k, options } => (
                    Some(*k),
                    None,
                    options
                        .iter()
                        .map(|o| OptionOut {
                            title: o.clone(),
                            cost: None,
                        })
                        .collect(),
                ),
                DecisionRule::Budget { limit, options } => (
                    None,
                    Some(*limit),
                    options
                        .iter()
                        .map(|o| OptionOut {
                            title: o.title.clone(),
                            cost: Some(o.cost),
                        })
                        .collect(),
                ),
            };
            PaperItemOut {
                id: *id,
                title: item.title.clone(),
                rule: item.rule.name().into(),
                k,
                limit,
                options,
            }
        })
        .collect()
}

/// The ballot paper of an assembly (public).
#[utoipa::path(get, path = "/assemblies/{id}/ballot-paper", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = BallotPaper),
        (status = 404, description = "No such assembly", content_type = "application/problem+json"),
    ))]
async fn ballot_paper_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<BallotPaper>> {
    let a = state
        .store
        .assemblies()
        .get(record_id(&id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let r = &a.setup.rules;
    Ok(Json(BallotPaper {
        id: a.setup.id,
        region_code: a.setup.emd_code.clone(),
        title: r.title.clone(),
        status: a.status.as_str().into(),
        opens_at: rfc3339(r.opens_at),
        closes_at: rfc3339(r.closes_at),
        advance_opens_at: r.advance_opens_at.map(rfc3339),
        items: paper_items(&a.setup),
    }))
}

/// An answer (`yes`, `no`, `abstain`) for a majority item, option titles otherwise.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ChoiceValue {
    Answer(String),
    Options(Vec<String>),
}

impl From<ChoiceValue> for RawChoice {
    fn from(c: ChoiceValue) -> Self {
        match c {
            ChoiceValue::Answer(a) => RawChoice::One(a),
            ChoiceValue::Options(o) => RawChoice::Many(o),
        }
    }
}

/// One choice on an item of the ballot paper.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChoiceIn {
    pub item: i64,
    pub choice: ChoiceValue,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BallotIn {
    /// The one-time voting code, with or without dashes.
    #[schema(example = "ABCD-EFGH-JKMN")]
    pub code: String,
    pub choices: Vec<ChoiceIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    /// Appears in the published ballot file beside the ballot, so the voter can find it.
    pub receipt: String,
}

/// Builds a ballot from choices naming items by id.
pub(crate) fn ballot_of(setup: &Setup, choices: Vec<(i64, RawChoice)>) -> Result<Ballot> {
    let choices: Vec<(Option<usize>, RawChoice)> = choices
        .into_iter()
        .map(|(item, choice)| (setup.item_position(item), choice))
        .collect();
    Ballot::new(&setup.rules, &choices).map_err(ballot_problem)
}

/// Casts a ballot with a one-time voting code. No account is needed.
#[utoipa::path(post, path = "/assemblies/{id}/ballots", tag = "autonomy", params(("id" = i64, Path)),
    request_body = BallotIn,
    responses(
        (status = 201, body = Receipt),
        (status = 404, description = "No such assembly", content_type = "application/problem+json"),
        (status = 409, description = "The code was used, the resident took part at a booth, or voting is not open", content_type = "application/problem+json"),
        (status = 422, description = "Unknown code, or a ballot that breaks the rules; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn cast_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>)> {
    let input: BallotIn = json_body(&body)?;
    let setup = opened(&state, record_id(&id)?).await?;
    let receipt = cast(
        &state,
        &setup,
        &input.code,
        input
            .choices
            .into_iter()
            .map(|c| (c.item, c.choice.into()))
            .collect(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Receipt { receipt })))
}

/// The channel a ballot cast now comes through (online or advance), if voting is open.
fn channel_now(setup: &Setup) -> Result<rules::Channel> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    setup
        .rules
        .online_channel(now)
        .ok_or_else(|| assembly_problem(AssemblyError::NotOpen))
}

/// Checks the window, the code and the ballot, then casts it.
pub(crate) async fn cast(
    state: &AppState,
    setup: &Setup,
    code: &str,
    choices: Vec<(i64, RawChoice)>,
) -> Result<String> {
    let channel = channel_now(setup)?;
    let code =
        VotingCode::parse(code).ok_or_else(|| Problem::field("code", "assembly.error.code"))?;
    let ballot = ballot_of(setup, choices)?;
    state
        .store
        .assemblies()
        .cast(setup, &code, &ballot, channel)
        .await
        .map_err(assembly_problem)
}

/// The roster key of a signed-in resident verified in the assembly's place: 403 for a resident
/// of another place or one the community centre has not verified.
pub(crate) async fn verified_key(
    state: &AppState,
    user: &Principal,
    setup: &Setup,
) -> Result<Option<String>> {
    if !user.may_in(Permission::VoteAsResident, &setup.place) {
        return Ok(None);
    }
    Ok(state
        .store
        .residents()
        .key_of(user.user_id, &setup.emd_code)
        .await?)
}

/// Whether the user votes signed in here: a resident of the place verified by the community
/// centre and on the assembly's roster (otherwise they vote with their code).
pub(crate) async fn votes_signed_in(
    state: &AppState,
    user: &Principal,
    setup: &Setup,
) -> Result<bool> {
    Ok(match verified_key(state, user, setup).await? {
        Some(key) => state
            .store
            .assemblies()
            .roster_code(setup.id, key)
            .await?
            .is_some(),
        None => false,
    })
}

/// Casts the ballot of a signed-in verified resident: the same window, ballot rules and
/// once-only participation as with their voting code.
pub(crate) async fn cast_signed_in(
    state: &AppState,
    user: &Principal,
    setup: &Setup,
    choices: Vec<(i64, RawChoice)>,
) -> Result<String> {
    let channel = channel_now(setup)?;
    let key = verified_key(state, user, setup).await?.ok_or_else(|| {
        Problem::forbidden_of("resident-not-verified", "assembly.error.not_verified")
    })?;
    let ballot = ballot_of(setup, choices)?;
    state
        .store
        .assemblies()
        .cast_as(setup, key, &ballot, channel)
        .await
        .map_err(|e| match e {
            AssemblyError::NotOnRoster => {
                Problem::forbidden_of("not-on-roster", "assembly.error.not_on_roster_vote")
            }
            e => assembly_problem(e),
        })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResidentBallotIn {
    pub choices: Vec<ChoiceIn>,
}

/// Casts a ballot as a signed-in resident whom the community centre has verified: no code is
/// needed, and the resident takes part once across every channel.
#[utoipa::path(post, path = "/assemblies/{id}/resident-ballots", tag = "autonomy", params(("id" = i64, Path)),
    request_body = ResidentBallotIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Receipt),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a verified resident of the place, or not on the assembly's roster", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly", content_type = "application/problem+json"),
        (status = 409, description = "The resident took part already, or voting is not open", content_type = "application/problem+json"),
        (status = 422, description = "A ballot that breaks the rules; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn resident_cast_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>)> {
    let input: ResidentBallotIn = json_body(&body)?;
    let setup = opened(&state, record_id(&id)?).await?;
    let choices = input
        .choices
        .into_iter()
        .map(|c| (c.item, c.choice.into()))
        .collect();
    let receipt = cast_signed_in(&state, &user, &setup, choices).await?;
    Ok((StatusCode::CREATED, Json(Receipt { receipt })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerificationIn {
    /// The resident's account.
    #[schema(min_length = 1, max_length = 64)]
    pub login: String,
    /// Their number in the community centre's roster, checked against their identity card.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub resident_ref: String,
}

/// Ties a resident's account to their roster entry.
pub(crate) async fn verify_resident(
    state: &AppState,
    user: &Principal,
    code: &str,
    input: VerificationIn,
) -> Result<()> {
    let place = super::council::emd(state, code).await?;
    if !user.may_in(Permission::RunPolling, &place.path) {
        return Err(Problem::forbidden());
    }
    let reference = input.resident_ref.trim();
    if reference.is_empty() || input.resident_ref.chars().count() > 100 {
        return Err(Problem::field(
            "resident_ref",
            "assembly.error.resident_ref",
        ));
    }
    state
        .store
        .residents()
        .verify(
            &place.region.code,
            &input.login,
            reference,
            user.user_id,
            crate::welfare::today(),
        )
        .await
        .map_err(|e| match e {
            VerifyError::NotAResident => Problem::field("login", "assembly.error.not_a_resident"),
            VerifyError::RefTaken => {
                Problem::conflict_of("resident-ref-taken", "assembly.error.ref_taken")
            }
            VerifyError::VotingOpen => {
                Problem::conflict_of("voting-open", "assembly.error.verify_while_voting")
            }
            VerifyError::Store(e) => e.into(),
        })
}

/// Ties a resident account of the place to the resident's entry in the community centre's
/// roster, after seeing their identity, so that they can vote signed in without a code. One
/// account per roster entry; verifying again moves the account to another entry, but not while
/// an assembly of the place is voting.
#[utoipa::path(post, path = "/regions/{code}/resident-verifications", tag = "autonomy",
    params(("code" = String, Path, description = "eup/myeon/dong code")),
    request_body = VerificationIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Verified"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run polling here", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 409, description = "The roster entry belongs to another account, or the account is tied to another entry while an assembly of the place is voting", content_type = "application/problem+json"),
        (status = 422, description = "No resident account of that login in the place, or no roster number", content_type = "application/problem+json"),
    ))]
async fn verification_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    verify_resident(&state, &user, &code, json_body(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The published ballot file of a closed assembly: one line per online ballot, sorted,
/// `receipt<TAB>[[item number, choice]…]`; its SHA-256 is the result's `ballot_hash`.
#[utoipa::path(get, path = "/assemblies/{id}/ballots", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The ballot file", content_type = "text/plain"),
        (status = 404, description = "No such assembly", content_type = "application/problem+json"),
        (status = 409, description = "Voting has not closed yet", content_type = "application/problem+json"),
    ))]
async fn ballot_file_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response> {
    let lines = state
        .store
        .assemblies()
        .ballot_file(record_id(&id)?)
        .await
        .map_err(assembly_problem)?;
    let mut body = String::with_capacity(lines.len() * 64);
    for line in lines {
        body.push_str(&line);
        body.push('\n');
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInIn {
    /// The resident's reference in the community centre's roster.
    pub resident_ref: String,
    pub booth: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckedIn {
    pub booth: String,
    /// `booth` or `mobile_booth`.
    pub channel: String,
}

/// The setup, if the user runs polling at its place.
pub(crate) async fn polled(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<std::sync::Arc<Setup>> {
    let id = record_id(id)?;
    let assembly = state
        .store
        .assemblies()
        .get(id)
        .await?
        .filter(|a| user.may_in(Permission::RunPolling, &a.setup.place))
        .ok_or_else(Problem::not_found)?;
    if assembly.status == Status::Draft {
        return Err(assembly_problem(AssemblyError::NotOpen));
    }
    opened(state, id).await
}

pub(crate) fn booth_of(setup: &Setup, name: &str) -> Result<Booth> {
    setup
        .rules
        .booth(name)
        .ok_or_else(|| Problem::field("booth", "assembly.error.booth"))
}

/// Checks a resident in at a booth (staff); they then vote on paper.
#[utoipa::path(post, path = "/assemblies/{id}/checkins", tag = "autonomy", params(("id" = i64, Path)),
    request_body = CheckInIn, security(("bearer" = [])),
    responses(
        (status = 201, body = CheckedIn),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The resident already took part, or voting is not open", content_type = "application/problem+json"),
        (status = 422, description = "Unknown booth, empty reference, or a resident not on the roster the codes were issued from", content_type = "application/problem+json"),
    ))]
async fn check_in_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CheckedIn>)> {
    let input: CheckInIn = json_body(&body)?;
    let setup = polled(&state, &user, &id).await?;
    let booth = check_in(&state, &setup, &input.resident_ref, &input.booth).await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckedIn {
            channel: rules::Channel::of_booth(booth.kind).as_str().into(),
            booth: booth.name,
        }),
    ))
}

pub(crate) async fn check_in(
    state: &AppState,
    setup: &Setup,
    resident_ref: &str,
    booth: &str,
) -> Result<Booth> {
    let resident_ref = resident_ref.trim();
    if resident_ref.is_empty() || resident_ref.chars().count() > 100 {
        return Err(Problem::field("resident_ref", "field.required"));
    }
    let booth = booth_of(setup, booth)?;
    if !setup
        .rules
        .booths_open(OffsetDateTime::now_utc().unix_timestamp())
    {
        return Err(assembly_problem(AssemblyError::NotOpen));
    }
    state
        .store
        .assemblies()
        .check_in(setup, resident_ref, &booth)
        .await
        .map_err(assembly_problem)?;
    Ok(booth)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BoothTallyIn {
    pub booth: String,
    /// Paper ballots counted at the booth.
    pub ballots: u64,
    /// Votes per item id and option title, e.g. `{"12":{"yes":40,"no":3}}`.
    pub choices: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoothOut {
    pub booth: String,
    pub checked_in: u64,
    pub ballots: Option<u64>,
    /// Paper ballots and check-ins differ.
    pub mismatch: bool,
}

/// Enters (or corrects) the paper tally of a booth (staff).
#[utoipa::path(post, path = "/assemblies/{id}/booth-tallies", tag = "autonomy", params(("id" = i64, Path)),
    request_body = BoothTallyIn, security(("bearer" = [])),
    responses(
        (status = 201, body = BoothOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not autonomy staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such assembly in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Voting has not opened", content_type = "application/problem+json"),
        (status = 422, description = "Unknown booth, item or option, or more votes than ballots", content_type = "application/problem+json"),
    ))]
async fn booth_tally_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<BoothOut>)> {
    let input: BoothTallyIn = json_body(&body)?;
    let setup = polled(&state, &user, &id).await?;
    let booth = booth_of(&setup, &input.booth)?;
    let items: Vec<rules::PaperItem> = input
        .choices
        .into_iter()
        .map(|(key, votes)| {
            let position = key.parse::<i64>().ok().and_then(|i| setup.item_position(i));
            (key, position, votes.into_iter().collect())
        })
        .collect();
    let paper = PaperTally::new(&setup.rules, input.ballots, &items).map_err(paper_problem)?;
    let assemblies = state.store.assemblies();
    assemblies
        .enter_paper(&setup, &booth, &paper, user.user_id)
        .await
        .map_err(assembly_problem)?;
    let counted = assemblies
        .counted(setup.id)
        .await
        .map_err(assembly_problem)?;
    let out = counted
        .booths
        .iter()
        .find(|b| b.count.booth == booth.name)
        .map(|b| BoothOut {
            booth: b.count.booth.clone(),
            checked_in: b.count.checked_in,
            ballots: b.count.ballots,
            mismatch: b.count.mismatch(),
        })
        .ok_or_else(Problem::internal)?;
    Ok((StatusCode::CREATED, Json(out)))
}

// ---------------------------------------------------------------------------------------
// Result

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantsOut {
    /// Online, including advance voting.
    pub online: u64,
    /// At booths, including mobile booths.
    pub booth: u64,
    pub total: u64,
    pub advance: u64,
    pub mobile_booth: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemResult {
    pub id: i64,
    pub title: String,
    pub rule: String,
    /// Votes per option title (online and paper together).
    pub counts: std::collections::BTreeMap<String, u64>,
    pub winners: Vec<String>,
    /// The last winning place was tied (broken by the order on the ballot paper).
    pub tied: bool,
}

/// The result of a closed assembly.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyResult {
    pub id: i64,
    pub title: String,
    pub eligible_population: u64,
    pub participants: ParticipantsOut,
    pub turnout_percent: f64,
    pub quorum_needed: u64,
    pub quorum_met: bool,
    pub valid: bool,
    /// Why the result is not valid: `quorum_not_met`, `booth_tally_missing`,
    /// `more_ballots_than_check_ins`, each with its figures.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    pub items: Vec<ItemResult>,
    pub booths: Vec<BoothOut>,
    /// SHA-256 of the published ballot file (`GET /assemblies/{id}/ballots`).
    pub ballot_hash: Option<String>,
}

/// Computes the result from the counters (no ballot is recounted).
pub(crate) fn result_of(counted: &Counted) -> AssemblyResult {
    let a = &counted.assembly;
    let setup = &a.setup;
    let booths: Vec<_> = counted.booths.iter().map(|b| b.count.clone()).collect();
    let p = a.participants;
    let decision = counted.decision();
    AssemblyResult {
        id: setup.id,
        title: setup.rules.title.clone(),
        eligible_population: setup.rules.eligible_population,
        participants: ParticipantsOut {
            online: p.online + p.advance,
            booth: p.booth + p.mobile_booth,
            total: p.total(),
            advance: p.advance,
            mobile_booth: p.mobile_booth,
        },
        turnout_percent: decision.turnout_percent,
        quorum_needed: setup.rules.quorum_needed(),
        quorum_met: decision.quorum_met,
        valid: decision.valid,
        reasons: decision.reasons,
        items: setup
            .item_ids
            .iter()
            .zip(&setup.rules.items)
            .zip(decision.items)
            .map(|((id, item), d)| ItemResult {
                id: *id,
                title: item.title.clone(),
                rule: item.rule.name().into(),
                counts: item
                    .rule
                    .option_titles()
                    .into_iter()
                    .map(str::to_owned)
                    .zip(d.counts)
                    .collect(),
                winners: d.winners,
                tied: d.tied,
            })
            .collect(),
        booths: booths
            .iter()
            .map(|b| BoothOut {
                booth: b.booth.clone(),
                checked_in: b.checked_in,
                ballots: b.ballots,
                mismatch: b.mismatch(),
            })
            .collect(),
        ballot_hash: a.ballot_hash.clone(),
    }
}

/// The result of an assembly once voting has closed (public).
#[utoipa::path(get, path = "/assemblies/{id}/result", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = AssemblyResult),
        (status = 404, description = "No such assembly", content_type = "application/problem+json"),
        (status = 409, description = "Voting has not closed yet", content_type = "application/problem+json"),
    ))]
async fn result_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AssemblyResult>> {
    let counted = state
        .store
        .assemblies()
        .counted(record_id(&id)?)
        .await
        .map_err(assembly_problem)?;
    if counted.assembly.status != Status::Closed {
        return Err(assembly_problem(AssemblyError::NotClosed));
    }
    Ok(Json(result_of(&counted)))
}
