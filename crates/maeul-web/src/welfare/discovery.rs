//! 복지사각지대 발굴 — rounds in the workspace: each place's list with reasons, the field
//! window and assignees, visits with their outcome, and counts above the place
//! (specs/welfare-api.md fixes the API routes).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::audit::Purpose;
use maeul_core::crypto::mask;
use maeul_core::disclosure::suppress_small;
use maeul_core::format;
use maeul_core::region::{Level, RegionCode};
use maeul_core::welfare::discovery::{DiscoveryError, Outcome, Tally, Visit};
use maeul_store::account::Actor;
use maeul_store::region::{RegionFilter, StoredRegion};
use maeul_store::welfare::discovery::{CandidateDetail, CandidateItem, PlaceList, Round};
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
use crate::welfare::{AssignForm, Assignment, Created, day, today};

const PERSONAL: Access = Access::Allowed(Permission::ReadPersonalWelfare);
const RECORD: Access = Access::Allowed(Permission::RecordVisit);
const SUMMARY: Access = Access::Allowed(Permission::ReadWelfareSummary);

pub fn routes(r: Routes) -> Routes {
    r.api(SUMMARY, routes!(list_rounds))
        .api(PERSONAL, routes!(list_candidates))
        .api(PERSONAL, routes!(get_candidate))
        .api(RECORD, routes!(record_visit))
        .api(RECORD, routes!(assign_candidate))
        .api(SUMMARY, routes!(discovery_summary))
        .page("/work/discovery", SUMMARY, get(overview_page))
        .page("/work/discovery/places/{code}", PERSONAL, get(place_page))
        .page(
            "/work/discovery/places/{code}/export",
            PERSONAL,
            post(export_place),
        )
        .page(
            "/work/discovery/candidates/{id}",
            PERSONAL,
            get(candidate_page),
        )
        .page(
            "/work/discovery/candidates/{id}/visits",
            RECORD,
            post(visit_form),
        )
        .page(
            "/work/discovery/candidates/{id}/assignment",
            RECORD,
            post(assign_form),
        )
}

/// A round id from a query (`None` when absent: the newest round).
fn round_param(value: Option<&str>) -> Result<Option<i64>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| Problem::field("round", "field.round")),
    }
}

async fn round_of(state: &AppState, id: Option<i64>) -> Result<Round> {
    state
        .store
        .discovery()
        .round(id)
        .await?
        .ok_or_else(Problem::not_found)
}

/// The region of a path parameter, when the user holds `permission` there: 404 for a code
/// that names no region (or no eup/myeon/dong when `emd_only`), 403 outside the user's scope.
pub(crate) async fn region_for(
    state: &AppState,
    user: &Principal,
    code: &str,
    permission: Permission,
    emd_only: bool,
) -> Result<StoredRegion> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let region = state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| !emd_only || r.region.level == Level::Emd)
        .ok_or_else(Problem::not_found)?;
    if !user.may_in(permission, &region.path) && !covers(user, permission, &code) {
        return Err(Problem::forbidden());
    }
    Ok(region)
}

/// Whether a grant of `permission` sits on `code` or above it; for the nation, which has no
/// stored path.
fn covers(user: &Principal, permission: Permission, code: &RegionCode) -> bool {
    code.as_str() == RegionCode::NATION
        && user
            .scopes(permission)
            .iter()
            .any(|s| s.as_str() == RegionCode::NATION)
}

/// The listed household's place, when the user holds `permission` there; otherwise 404, so
/// that whether a household is listed elsewhere does not leak.
pub(crate) async fn candidate_place(
    state: &AppState,
    user: &Principal,
    id: i64,
    permission: Permission,
) -> Result<String> {
    let user = user.clone();
    state
        .store
        .discovery()
        .place_if(id, move |path| user.may_in(permission, path))
        .await?
        .ok_or_else(Problem::not_found)
}

// ---------------------------------------------------------------------------------------------
// API

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    id: i64,
    #[schema(example = "2026-6차")]
    name: String,
    model_name: String,
    model_version: i64,
    /// The model's reference date.
    as_of: String,
    /// First and last day of the eight-week field window.
    opens_on: String,
    due_on: String,
    listed: i64,
}

impl From<&Round> for RoundOut {
    fn from(r: &Round) -> Self {
        RoundOut {
            id: r.id,
            name: r.name.clone(),
            model_name: r.model_name.clone(),
            model_version: r.model_version,
            as_of: r.as_of.clone(),
            opens_on: day(r.opens_on),
            due_on: day(r.due_on),
            listed: r.listed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundList {
    items: Vec<RoundOut>,
}

/// Discovery rounds, newest first (no personal data).
#[utoipa::path(get, path = "/discovery/rounds", tag = "welfare", security(("bearer" = [])),
    responses(
        (status = 200, body = RoundList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a role that sees discovery", content_type = "application/problem+json"),
    ))]
async fn list_rounds(State(state): State<AppState>) -> Result<Json<RoundList>> {
    let rounds = state.store.discovery().rounds().await?;
    Ok(Json(RoundList {
        items: rounds.iter().map(RoundOut::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    #[schema(example = "ELEC_CUT")]
    code: String,
    #[schema(example = "단전")]
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    id: i64,
    round: i64,
    emd_code: String,
    household_id: String,
    /// 1 is the highest risk of the place.
    rank: i64,
    probability: f64,
    reasons: Vec<ReasonOut>,
    /// `listed`, `assigned` or `visited`.
    status: String,
    /// Log-in of the assigned worker.
    assigned_to: Option<String>,
    /// Last day of the field window.
    due_on: String,
    /// Past the field window without a visit.
    overdue: bool,
    visited_on: Option<String>,
    /// The latest visit's outcome.
    outcome: Option<String>,
}

impl CandidateOut {
    fn new(c: &CandidateItem, today: Date) -> Self {
        CandidateOut {
            id: c.id,
            round: c.round_id,
            emd_code: c.emd_code.clone(),
            household_id: c.household_id.clone(),
            rank: c.rank,
            probability: c.probability,
            reasons: c
                .reasons
                .iter()
                .map(|r| ReasonOut {
                    code: r.code.clone(),
                    name: r.name.clone(),
                })
                .collect(),
            status: c.status.as_str().to_owned(),
            assigned_to: c.assigned_to.as_ref().map(|(login, _)| login.clone()),
            due_on: day(c.due_on),
            overdue: c.status.overdue(c.due_on, today),
            visited_on: c.visited_on.map(day),
            outcome: c.outcome.map(|o| o.as_str().to_owned()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    items: Vec<CandidateOut>,
    total: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The round (default: the newest).
    #[param(value_type = Option<i64>, minimum = 1)]
    round: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// A place's list in rank order. Every household returned is logged as read.
#[utoipa::path(get, path = "/regions/{code}/candidates", tag = "welfare", params(
        ("code" = String, Path, description = "The eup/myeon/dong code", pattern = "^[0-9]{8}00$"),
        ListQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = CandidateList),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or nurses of the place or the case managers of its si/gun/gu", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong or round", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_candidates(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<ListQuery>,
) -> Result<Json<CandidateList>> {
    no_empty_values(&[
        ("round", &query.round),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let round = round_param(query.round.as_deref())?;
    let place = region_for(&state, &user, &code, Permission::ReadPersonalWelfare, true).await?;
    let Some(round) = state.store.discovery().round(round).await? else {
        return match round {
            Some(_) => Err(Problem::not_found()),
            None => Ok(Json(CandidateList {
                items: Vec::new(),
                total: 0,
            })),
        };
    };
    let page = state
        .store
        .discovery()
        .candidates(
            PlaceList::all(round.id, place.region.code.as_str()),
            paging.offset(),
            paging.per_page,
            Actor::user(&user, &req.address),
        )
        .await?;
    let today = today();
    Ok(Json(CandidateList {
        items: page
            .items
            .iter()
            .map(|c| CandidateOut::new(c, today))
            .collect(),
        total: page.total,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdOut {
    household_id: String,
    members: i64,
    head_age: i64,
    tags: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitOut {
    id: i64,
    visited_on: String,
    outcome: String,
    /// The needs domains the counselling covered (codes).
    domains: Vec<String>,
    note: Option<String>,
    /// Log-in of who recorded it.
    recorded_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateDetailOut {
    #[serde(flatten)]
    candidate: CandidateOut,
    household: HouseholdOut,
    /// Newest first.
    visits: Vec<VisitOut>,
}

/// One listed household with its household and its visits; logged as read.
#[utoipa::path(get, path = "/candidates/{id}", tag = "welfare", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CandidateDetailOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a role that sees personal welfare data", content_type = "application/problem+json"),
        (status = 404, description = "No such household in the user's places", content_type = "application/problem+json"),
    ))]
async fn get_candidate(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<CandidateDetailOut>> {
    let detail = read_candidate(&state, &req, &user, &id).await?;
    let today = today();
    Ok(Json(CandidateDetailOut {
        candidate: CandidateOut::new(&detail.item, today),
        household: HouseholdOut {
            household_id: detail.item.household_id.clone(),
            members: detail.members,
            head_age: detail.head_age,
            tags: detail.tags.clone(),
        },
        visits: detail
            .visits
            .iter()
            .map(|v| VisitOut {
                id: v.id,
                visited_on: day(v.visited_on),
                outcome: v.outcome.as_str().to_owned(),
                domains: v.domains.clone(),
                note: v.note.clone(),
                recorded_by: v.recorded_by.clone(),
            })
            .collect(),
    }))
}

fn candidate_id(id: &str) -> Result<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(Problem::not_found)
}

async fn read_candidate(
    state: &AppState,
    req: &RequestContext,
    user: &Principal,
    id: &str,
) -> Result<CandidateDetail> {
    let id = candidate_id(id)?;
    candidate_place(state, user, id, Permission::ReadPersonalWelfare).await?;
    state
        .store
        .discovery()
        .candidate(id, Actor::user(user, &req.address))
        .await?
        .ok_or_else(Problem::not_found)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitIn {
    /// `YYYY-MM-DD`, not in the future.
    #[schema(example = "2026-11-20", format = Date)]
    visited_on: String,
    /// What the visit found.
    #[schema(example = "public_emergency", value_type = String, pattern = "^(public_basic_livelihood|public_near_poor|public_emergency|public_other|private_resource|case_management|no_support_needed|unreachable|refused)$")]
    outcome: String,
    /// Counselling notes; sealed at rest. At most 4,000 characters.
    #[serde(default)]
    #[schema(max_length = 4000)]
    note: Option<String>,
    /// The needs domains the counselling covered (종합상담): codes of `maeul case rules`,
    /// e.g. `health`, `employment`, `housing`.
    #[serde(default)]
    #[schema(example = json!(["health", "housing"]))]
    domains: Vec<String>,
}

/// A visit checked against today and the needs domains in force.
async fn checked_visit(
    state: &AppState,
    visited_on: &str,
    outcome: &str,
    note: &str,
    domains: &[String],
) -> Result<std::result::Result<Visit, DiscoveryError>> {
    let rules = state.store.cases().rules().await?;
    Ok(Visit::new(visited_on, outcome, note, today())
        .and_then(|v| v.counselled(domains, &rules.needs_domains)))
}

fn visit_problem(e: DiscoveryError) -> Problem {
    let key = match e {
        DiscoveryError::Outcome => "field.outcome",
        DiscoveryError::FutureDate => "field.visit_future",
        DiscoveryError::NoteTooLong => "field.note",
        DiscoveryError::Domains => "field.domains",
        DiscoveryError::Date | DiscoveryError::RoundName => "field.date",
    };
    Problem::field(e.field(), key)
}

/// Records a visit and its outcome for a listed household of the user's place.
#[utoipa::path(post, path = "/candidates/{id}/visits", tag = "welfare", params(("id" = i64, Path)),
    request_body = VisitIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or nurses of a place", content_type = "application/problem+json"),
        (status = 404, description = "No such household in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (e.g. an unknown outcome)", content_type = "application/problem+json"),
    ))]
async fn record_visit(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = candidate_id(&id)?;
    let body: VisitIn = json_body(&body)?;
    let visit = checked_visit(
        &state,
        &body.visited_on,
        &body.outcome,
        body.note.as_deref().unwrap_or_default(),
        &body.domains,
    )
    .await?
    .map_err(visit_problem)?;
    candidate_place(&state, &user, id, Permission::RecordVisit).await?;
    let visit_id = state
        .store
        .discovery()
        .record_visit(id, visit, Actor::user(&user, &req.address))
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: visit_id })))
}

/// Puts a welfare worker or nurse of the place in charge of visiting the household.
#[utoipa::path(post, path = "/candidates/{id}/assignment", tag = "welfare", params(("id" = i64, Path)),
    request_body = Assignment, security(("bearer" = [])),
    responses(
        (status = 200, body = Assignment),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the welfare staff or nurses of a place", content_type = "application/problem+json"),
        (status = 404, description = "No such household in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "Not a welfare worker or nurse of the place", content_type = "application/problem+json"),
    ))]
async fn assign_candidate(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Assignment>> {
    let id = candidate_id(&id)?;
    let body: Assignment = json_body(&body)?;
    let emd = candidate_place(&state, &user, id, Permission::RecordVisit).await?;
    let workers = state.store.discovery().field_workers(&emd).await?;
    let worker = body.worker(workers.iter().map(|w| (w.id, w.login.as_str())))?;
    state
        .store
        .discovery()
        .assign(id, worker, Actor::user(&user, &req.address))
        .await?;
    Ok(Json(body))
}

/// Counts by outcome; each `null` when under 5.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeCounts {
    public_basic_livelihood: Option<i64>,
    public_near_poor: Option<i64>,
    public_emergency: Option<i64>,
    public_other: Option<i64>,
    private_resource: Option<i64>,
    case_management: Option<i64>,
    no_support_needed: Option<i64>,
    unreachable: Option<i64>,
    refused: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryOut {
    round: i64,
    region_code: String,
    /// Counts under 5 are `null` (withheld).
    listed: Option<i64>,
    visited: Option<i64>,
    /// Visited households that needed public or private support or case management.
    needed_support: Option<i64>,
    /// Not visited by the end of the field window.
    overdue: Option<i64>,
    outcomes: OutcomeCounts,
}

impl SummaryOut {
    fn new(round: &Round, region_code: &str, t: &Tally, today: Date) -> Self {
        let n = |o: Outcome| suppress_small(t.count(o));
        SummaryOut {
            round: round.id,
            region_code: region_code.to_owned(),
            listed: suppress_small(t.listed),
            visited: suppress_small(t.visited),
            needed_support: suppress_small(t.needed_support()),
            overdue: suppress_small(t.overdue(round.due_on, today)),
            outcomes: OutcomeCounts {
                public_basic_livelihood: n(Outcome::PublicBasicLivelihood),
                public_near_poor: n(Outcome::PublicNearPoor),
                public_emergency: n(Outcome::PublicEmergency),
                public_other: n(Outcome::PublicOther),
                private_resource: n(Outcome::PrivateResource),
                case_management: n(Outcome::CaseManagement),
                no_support_needed: n(Outcome::NoSupportNeeded),
                unreachable: n(Outcome::Unreachable),
                refused: n(Outcome::Refused),
            },
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The round (default: the newest).
    #[param(value_type = Option<i64>, minimum = 1)]
    round: Option<String>,
}

/// The tally of a region in a round, and the tallies of the regions directly below it, summed
/// over their eup/myeon/dong.
pub(crate) async fn roll_up(
    state: &AppState,
    round: &Round,
    region: &RegionCode,
) -> Result<(Tally, BTreeMap<RegionCode, Tally>)> {
    let within = (region.as_str() != RegionCode::NATION).then(|| region.to_string());
    let places = state.store.discovery().counts(round.id, within).await?;
    let mut total = Tally::default();
    let mut below: BTreeMap<RegionCode, Tally> = BTreeMap::new();
    for p in &places {
        total.merge(&p.tally);
        if let Some(child) = p.path.step_below(region) {
            below.entry(child.clone()).or_default().merge(&p.tally);
        }
    }
    Ok((total, below))
}

/// Aggregates of a round for a region at any level the user covers: no personal data, and
/// counts under 5 withheld as `null`.
#[utoipa::path(get, path = "/regions/{code}/discovery-summary", tag = "welfare", params(
        ("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$"),
        SummaryQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = SummaryOut),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The region is outside the user's scope", content_type = "application/problem+json"),
        (status = 404, description = "No such region or round", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn discovery_summary(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<SummaryQuery>,
) -> Result<Json<SummaryOut>> {
    no_empty_values(&[("round", &query.round)])?;
    let round = round_param(query.round.as_deref())?;
    let region = aggregate_region(&state, &user, &code, Permission::ReadWelfareSummary).await?;
    let round = round_of(&state, round).await?;
    let (tally, _) = roll_up(&state, &round, &region).await?;
    Ok(Json(SummaryOut::new(
        &round,
        region.as_str(),
        &tally,
        today(),
    )))
}

/// A region on which the user holds `permission` for aggregates (the nation has no stored region).
pub(crate) async fn aggregate_region(
    state: &AppState,
    user: &Principal,
    code: &str,
    permission: Permission,
) -> Result<RegionCode> {
    if code == RegionCode::NATION {
        let nation = RegionCode::nation();
        return if covers(user, permission, &nation) {
            Ok(nation)
        } else {
            Err(Problem::forbidden())
        };
    }
    Ok(region_for(state, user, code, permission, false)
        .await?
        .region
        .code)
}

// ---------------------------------------------------------------------------------------------
// Pages

struct RoundChoice {
    id: i64,
    label: String,
    selected: bool,
}

struct SummaryRow {
    name: String,
    /// The place's list, for rows the user may open.
    href: Option<String>,
    listed: String,
    visited: String,
    completion: String,
    needed: String,
    overdue: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/discovery/overview.html")]
struct OverviewPage {
    ctx: PageCtx,
    region_code: String,
    region_name: String,
    rounds: Vec<RoundChoice>,
    window: String,
    rows: Vec<SummaryRow>,
    total: Option<SummaryRow>,
    indicators: Vec<IndicatorRow>,
}

/// How the households listed for one indicator fared: the share that needed support tells
/// which indicators find people (per place and above, for past rounds).
struct IndicatorRow {
    name: String,
    listed: String,
    visited: String,
    needed: String,
    share: String,
}

#[derive(Debug, Default, Deserialize)]
struct OverviewQuery {
    round: Option<String>,
    region: Option<String>,
}

fn count_text(n: i64, exact: bool, ctx: &PageCtx) -> String {
    match (exact, suppress_small(n)) {
        (true, _) => format::thousands(n),
        (false, Some(n)) => format::thousands(n),
        (false, None) => ctx.t("discovery.suppressed").to_owned(),
    }
}

fn summary_row(
    ctx: &PageCtx,
    name: String,
    href: Option<String>,
    t: &Tally,
    round: &Round,
    exact: bool,
    today: Date,
) -> SummaryRow {
    let completion = if t.listed > 0 && (exact || suppress_small(t.visited).is_some()) {
        format!("{:.1}%", t.visited as f64 * 100.0 / t.listed as f64)
    } else {
        "–".into()
    };
    SummaryRow {
        name,
        href,
        listed: count_text(t.listed, exact, ctx),
        visited: count_text(t.visited, exact, ctx),
        completion,
        needed: count_text(t.needed_support(), exact, ctx),
        overdue: count_text(t.overdue(round.due_on, today), exact, ctx),
    }
}

/// Where a round stands in a region, one row per region below it. Counts are exact where the
/// user may see the persons behind them, and small ones are withheld elsewhere.
async fn overview_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<OverviewQuery>,
) -> Result<Response> {
    let code = match query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => code.to_owned(),
        None => user
            .scopes(Permission::ReadWelfareSummary)
            .first()
            .map(|s| s.to_string())
            .ok_or_else(Problem::forbidden)?,
    };
    let region = aggregate_region(&state, &user, &code, Permission::ReadWelfareSummary).await?;
    let title = ctx.t("discovery.title");
    let rounds = state.store.discovery().rounds().await?;
    let wanted = round_param(query.round.as_deref())?;
    let Some(round) = rounds
        .iter()
        .find(|r| wanted.is_none_or(|id| r.id == id))
        .cloned()
    else {
        if wanted.is_some() {
            return Err(Problem::not_found());
        }
        return Ok(OverviewPage {
            ctx: ctx.crumb(title, None),
            region_code: region.to_string(),
            region_name: String::new(),
            rounds: Vec::new(),
            window: String::new(),
            rows: Vec::new(),
            total: None,
            indicators: Vec::new(),
        }
        .into_response());
    };
    let regions = state.store.regions();
    let stored = regions.get(&region).await?;
    let (region_name, region_path) = match &stored {
        Some(r) => (r.region.full_name.clone(), Some(r.path.clone())),
        None => (ctx.t("region.nation").to_owned(), None),
    };
    let (total, by_child) = roll_up(&state, &round, &region).await?;
    let today = today();
    // An eup/myeon/dong is its own only row.
    let children = if region.level() == Level::Emd {
        stored.into_iter().collect()
    } else {
        regions
            .list(
                RegionFilter {
                    parent: Some(region.clone()),
                    ..RegionFilter::default()
                },
                0,
                1000,
            )
            .await?
            .items
    };
    let rows = children
        .iter()
        .map(|child| {
            let t = by_child
                .get(&child.region.code)
                .copied()
                .unwrap_or_default();
            let personal = user.may_in(Permission::ReadPersonalWelfare, &child.path);
            let href = (personal && child.region.level == Level::Emd).then(|| {
                format!(
                    "/work/discovery/places/{}?round={}",
                    child.region.code, round.id
                )
            });
            summary_row(
                &ctx,
                child.region.name.clone(),
                href,
                &t,
                &round,
                personal,
                today,
            )
        })
        .collect();
    let exact_total = region_path
        .as_ref()
        .is_some_and(|p| user.may_in(Permission::ReadPersonalWelfare, p));
    let total = summary_row(
        &ctx,
        ctx.t("discovery.total").to_owned(),
        None,
        &total,
        &round,
        exact_total,
        today,
    );
    let within = (region.as_str() != RegionCode::NATION).then(|| region.to_string());
    let indicators = state
        .store
        .discovery()
        .indicator_counts(round.id, within)
        .await?
        .into_iter()
        .filter(|i| i.tally.listed > 0)
        .map(|i| {
            let t = &i.tally;
            let shown = exact_total || suppress_small(t.needed_support()).is_some();
            IndicatorRow {
                name: i.name,
                listed: count_text(t.listed, exact_total, &ctx),
                visited: count_text(t.visited, exact_total, &ctx),
                needed: count_text(t.needed_support(), exact_total, &ctx),
                share: if t.visited > 0 && shown {
                    format!(
                        "{:.1}%",
                        t.needed_support() as f64 * 100.0 / t.visited as f64
                    )
                } else {
                    "–".into()
                },
            }
        })
        .collect();
    let window = window_text(&ctx, &round);
    Ok(OverviewPage {
        ctx: ctx.crumb(title, None),
        region_code: region.to_string(),
        region_name,
        rounds: rounds
            .iter()
            .map(|r| RoundChoice {
                id: r.id,
                label: format!("{} ({})", r.name, r.as_of),
                selected: r.id == round.id,
            })
            .collect(),
        window,
        rows,
        total: Some(total),
        indicators,
    }
    .into_response())
}

/// "현장 조사 기간 2026년 11월 2일 ~ 2026년 12월 28일".
fn window_text(ctx: &PageCtx, round: &Round) -> String {
    ctx.tf(
        "discovery.window",
        &[
            ("from", &format::date(round.opens_on, ctx.lang)),
            ("to", &format::date(round.due_on, ctx.lang)),
        ],
    )
}

struct CandidateRow {
    href: String,
    rank: i64,
    household: String,
    probability: String,
    reasons: String,
    status: &'static str,
    assignee: String,
    overdue: bool,
    outcome: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/discovery/place.html")]
struct PlacePage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    export: crate::welfare::ExportBox,
    /// Only the user's households still to visit.
    mine: bool,
    all_href: String,
    place: String,
    round_name: String,
    window: String,
    rows: Vec<CandidateRow>,
    total_text: String,
    pager: Pager,
}

fn outcome_label(ctx: &PageCtx, o: Option<Outcome>) -> &'static str {
    o.map_or("", |o| ctx.t(&format!("outcome.{}", o.as_str())))
}

/// A place's list: rank, masked household, reasons in Korean, status, assignee and the window.
#[derive(Debug, Deserialize)]
struct ExportForm {
    #[serde(default)]
    purpose: String,
    round: Option<String>,
}

/// Downloads a place's whole list as CSV (UTF-8 with BOM, for Excel) with the household ids
/// unmasked, for field work; needs a purpose, and each household is logged as exported.
async fn export_place(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<ExportForm>,
) -> Result<Response> {
    let Ok(purpose) = Purpose::parse(&form.purpose) else {
        let query = PlaceQuery {
            round: form.round,
            page: None,
            mine: None,
        };
        let page = render_place(&state, ctx, &req, &user, &code, query, true).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let place = region_for(&state, &user, &code, Permission::ReadPersonalWelfare, true).await?;
    let round = round_of(&state, round_param(form.round.as_deref())?).await?;
    let items = state
        .store
        .discovery()
        .export(
            PlaceList::all(round.id, place.region.code.as_str()),
            Actor::user(&user, &req.address),
            purpose,
        )
        .await?;
    let mut out = CsvDownload::new([
        "round",
        "emd_code",
        "rank",
        "household_id",
        "probability",
        "reasons",
        "status",
        "assigned_to",
        "due_on",
        "visited_on",
        "outcome",
    ]);
    for c in &items {
        let reasons = c
            .reasons
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>();
        out.row([
            round.name.as_str(),
            &c.emd_code,
            &c.rank.to_string(),
            &c.household_id,
            &format!("{:.6}", c.probability),
            &reasons.join(";"),
            c.status.as_str(),
            c.assigned_to
                .as_ref()
                .map_or("", |(login, _)| login.as_str()),
            &day(c.due_on),
            &c.visited_on.map(day).unwrap_or_default(),
            c.outcome.map_or("", Outcome::as_str),
        ]);
    }
    out.attachment(&format!("discovery-{}-{}.csv", round.id, place.region.code))
}

#[derive(Debug, Default, Deserialize)]
struct PlaceQuery {
    round: Option<String>,
    page: Option<String>,
    /// `1`: only the user's households still to visit.
    mine: Option<String>,
}

async fn place_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<PlaceQuery>,
) -> Result<PlacePage> {
    render_place(&state, ctx, &req, &user, &code, query, false).await
}

async fn render_place(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    code: &str,
    query: PlaceQuery,
    purpose_error: bool,
) -> Result<PlacePage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let place = region_for(state, user, code, Permission::ReadPersonalWelfare, true).await?;
    let round = round_of(state, round_param(query.round.as_deref())?).await?;
    let mine = query.mine.as_deref() == Some("1");
    let page = state
        .store
        .discovery()
        .candidates(
            PlaceList {
                assigned_to: mine.then_some(user.user_id),
                ..PlaceList::all(round.id, place.region.code.as_str())
            },
            paging.offset(),
            paging.per_page,
            Actor::user(user, &req.address),
        )
        .await?;
    let today = today();
    let rows = page
        .items
        .iter()
        .map(|c| CandidateRow {
            href: format!("/work/discovery/candidates/{}", c.id),
            rank: c.rank,
            household: mask(&c.household_id),
            probability: format!("{:.1}%", c.probability * 100.0),
            reasons: c
                .reasons
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            status: ctx.t(&format!("discovery.status.{}", c.status.as_str())),
            assignee: c
                .assigned_to
                .as_ref()
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
            overdue: c.status.overdue(c.due_on, today),
            outcome: outcome_label(&ctx, c.outcome),
        })
        .collect();
    let window = window_text(&ctx, &round);
    let total_text = ctx.tf(
        "discovery.listed_total",
        &[("n", &format::thousands(page.total))],
    );
    let base = if mine {
        format!("round={}&mine=1", round.id)
    } else {
        format!("round={}", round.id)
    };
    let overview = ctx.t("discovery.title");
    Ok(PlacePage {
        guides: crate::guide::links(state, maeul_core::guide::Subject::Discovery).await,
        export: crate::welfare::ExportBox {
            href: format!("/work/discovery/places/{}/export", place.region.code),
            hidden: vec![("round", round.id.to_string())],
            purpose_error,
            hint: "discovery.export.hint",
        },
        mine,
        all_href: format!(
            "/work/discovery/places/{}?round={}",
            place.region.code, round.id
        ),
        ctx: ctx
            .crumb(
                overview,
                Some(format!("/work/discovery?round={}", round.id)),
            )
            .crumb(place.region.name.clone(), None),
        place: place.region.full_name,
        round_name: round.name,
        window,
        rows,
        total_text,
        pager: Pager::new(paging, page.total, base),
    })
}

struct VisitRow {
    visited_on: String,
    outcome: &'static str,
    /// The needs domains counselled on, by name.
    domains: String,
    note: String,
    recorded_by: String,
}

struct OutcomeChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

struct WorkerChoice {
    id: i64,
    label: String,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/discovery/candidate.html")]
struct CandidatePage {
    ctx: PageCtx,
    /// The needs domains to tick for the counselling.
    domains: Vec<crate::welfare::Choice>,
    case_href: Option<String>,
    referrals: Vec<crate::welfare::resource::ReferralView>,
    services: Vec<crate::welfare::Choice>,
    refer_action: String,
    plans: crate::welfare::visit::PlanSection,
    id: i64,
    household: String,
    place_href: String,
    rank: i64,
    probability: String,
    reasons: Vec<String>,
    members: i64,
    head_age: i64,
    tags: String,
    status: &'static str,
    overdue: bool,
    due_on: String,
    assignee: String,
    visits: Vec<VisitRow>,
    may_record: bool,
    outcomes: Vec<OutcomeChoice>,
    workers: Vec<WorkerChoice>,
    form_date: String,
    form_note: String,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default)]
struct VisitForm {
    visited_on: String,
    outcome: String,
    note: String,
    domains: Vec<String>,
}

impl VisitForm {
    /// The form as a browser sends it: `domains` once per ticked box.
    fn read(pairs: &[(String, String)]) -> Self {
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        VisitForm {
            visited_on: field("visited_on"),
            outcome: field("outcome"),
            note: field("note"),
            domains: pairs
                .iter()
                .filter(|(k, _)| k == "domains")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }
}

async fn candidate_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
) -> Result<CandidatePage> {
    render_candidate(&state, ctx, &req, &user, &id, VisitForm::default(), None).await
}

async fn render_candidate(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    user: &Principal,
    id: &str,
    form: VisitForm,
    error: Option<DiscoveryError>,
) -> Result<CandidatePage> {
    let detail = read_candidate(state, req, user, id).await?;
    let c = &detail.item;
    let place = state
        .store
        .regions()
        .get(&RegionCode::parse(&c.emd_code).map_err(|_| Problem::internal())?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let may_record = user.may_in(Permission::RecordVisit, &place.path);
    // A visit that escalated the household to case management leads on to its intake.
    let case_href = (c.outcome == Some(Outcome::CaseManagement)
        && user.may_in(Permission::ManageCases, &place.path))
    .then(|| format!("/work/cases/new?candidate={}&emd={}", c.id, c.emd_code));
    let assigned = c.assigned_to.as_ref().map(|(login, _)| login.as_str());
    let workers = if may_record {
        state
            .store
            .discovery()
            .field_workers(&c.emd_code)
            .await?
            .into_iter()
            .map(|w| WorkerChoice {
                id: w.id,
                selected: assigned == Some(w.login.as_str()),
                label: format!("{} ({})", w.name, w.login),
            })
            .collect()
    } else {
        Vec::new()
    };
    let needs = state.store.cases().rules().await?.needs_domains;
    let domain_name = |code: &str| {
        needs
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, n)| n.clone())
    };
    let today = today();
    let title = ctx.tf(
        "discovery.candidate.title",
        &[("rank", &c.rank.to_string())],
    );
    let place_href = format!("/work/discovery/places/{}?round={}", c.emd_code, c.round_id);
    let overview = ctx.t("discovery.title");
    let subject = maeul_store::welfare::Subject::Candidate(c.id);
    let (referrals, services) =
        crate::welfare::resource::referral_section(state, &ctx, subject, &place.path, may_record)
            .await?;
    let plans = crate::welfare::visit::plan_section(state, &ctx, user, subject, may_record).await?;
    Ok(CandidatePage {
        plans,
        refer_action: format!("/work/discovery/candidates/{}/referrals", c.id),
        referrals,
        services,
        case_href,
        id: c.id,
        household: mask(&c.household_id),
        rank: c.rank,
        probability: format!("{:.1}%", c.probability * 100.0),
        reasons: c.reasons.iter().map(|r| r.name.clone()).collect(),
        members: detail.members,
        head_age: detail.head_age,
        tags: detail
            .tags
            .iter()
            .map(|t| {
                crate::i18n::lookup(ctx.lang, &format!("tag.{t}")).map_or(t.clone(), str::to_owned)
            })
            .collect::<Vec<_>>()
            .join(", "),
        status: ctx.t(&format!("discovery.status.{}", c.status.as_str())),
        overdue: c.status.overdue(c.due_on, today),
        due_on: format::date(c.due_on, ctx.lang),
        assignee: c
            .assigned_to
            .as_ref()
            .map(|(_, name)| name.clone())
            .unwrap_or_default(),
        visits: detail
            .visits
            .iter()
            .map(|v| VisitRow {
                visited_on: format::date(v.visited_on, ctx.lang),
                outcome: outcome_label(&ctx, Some(v.outcome)),
                domains: v
                    .domains
                    .iter()
                    .map(|d| domain_name(d))
                    .collect::<Vec<_>>()
                    .join(", "),
                note: v.note.clone().unwrap_or_default(),
                recorded_by: v.recorded_by.clone(),
            })
            .collect(),
        may_record,
        domains: needs
            .iter()
            .map(|(code, name)| crate::welfare::Choice {
                selected: form.domains.contains(code),
                value: code.clone(),
                label: name.clone(),
            })
            .collect(),
        outcomes: Outcome::ALL
            .into_iter()
            .map(|o| OutcomeChoice {
                value: o.as_str(),
                label: ctx.t(&format!("outcome.{}", o.as_str())),
                selected: form.outcome == o.as_str(),
            })
            .collect(),
        workers,
        form_date: if form.visited_on.is_empty() {
            day(today)
        } else {
            form.visited_on
        },
        form_note: form.note,
        error_field: error.map(|e| e.field().to_owned()).unwrap_or_default(),
        error_message: error.map_or("", |e| ctx.t(visit_problem(e).fields[0].message_key)),
        place_href: place_href.clone(),
        ctx: ctx
            .crumb(
                overview,
                Some(format!("/work/discovery?round={}", c.round_id)),
            )
            .crumb(place.region.name.clone(), Some(place_href))
            .crumb(title, None),
    })
}

async fn visit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let candidate = candidate_id(&id)?;
    candidate_place(&state, &user, candidate, Permission::RecordVisit).await?;
    let form = VisitForm::read(&pairs);
    let checked = checked_visit(
        &state,
        &form.visited_on,
        &form.outcome,
        &form.note,
        &form.domains,
    )
    .await?;
    match checked {
        Ok(visit) => {
            state
                .store
                .discovery()
                .record_visit(candidate, visit, Actor::user(&user, &req.address))
                .await?;
            Ok(Redirect::to(&format!("/work/discovery/candidates/{candidate}")).into_response())
        }
        Err(e) => {
            let page = render_candidate(&state, ctx, &req, &user, &id, form, Some(e)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn assign_form(
    State(state): State<AppState>,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response> {
    let candidate = candidate_id(&id)?;
    candidate_place(&state, &user, candidate, Permission::RecordVisit).await?;
    let worker = form.worker()?;
    state
        .store
        .discovery()
        .assign(candidate, worker, Actor::user(&user, &req.address))
        .await?;
    Ok(Redirect::to(&format!("/work/discovery/candidates/{candidate}")).into_response())
}
