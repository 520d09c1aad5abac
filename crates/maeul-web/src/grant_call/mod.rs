//! 공모사업 — competitive grant calls: ministry staff publish a call, assign experts, close it
//! for review and make the selection; programme staff of a si/gun/gu apply (for the si/gun/gu
//! or one of its eup/myeon/dong) and report on an award; assigned experts score per criterion.
//! Calls and, once announced, their results and reports are public. The API is here; the pages
//! are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal, Role};
use maeul_core::autonomy::corporation::Report;
use maeul_core::format::parse_day;
use maeul_core::programme::grant_call::{
    Call, Criterion, GrantCallError, Proposal, Status, Unit, points,
};
use maeul_store::grant_call::{
    Applicant, GrantStoreError, Reviewer, StoredApplication, StoredCall, StoredScore,
};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::autonomy::corporation::{ReportIn, ReportOut, rules_problem as report_problem};
use crate::error::{Problem, Result};
use crate::page::code_enum;
use crate::welfare::{day, today};
use crate::{AppState, Created, record_id, rfc3339};

const MANAGE: Access = Access::Allowed(Permission::ManageGrantCalls);
const APPLY: Access = Access::Allowed(Permission::ApplyForGrants);
const REVIEW: Access = Access::Allowed(Permission::ReviewGrants);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api, create_api))
        .api(Access::Public, routes!(show_api, update_api))
        .api(MANAGE, routes!(reviewers_api, assign_api))
        .api(MANAGE, routes!(unassign_api))
        .api(MANAGE, routes!(close_api))
        .api(MANAGE, routes!(select_api))
        .api(Access::SignedIn, routes!(applications_api, apply_api))
        .api(Access::Public, routes!(application_api))
        .api(APPLY, routes!(revise_api))
        .api(APPLY, routes!(withdraw_api))
        .api(REVIEW, routes!(score_api))
        .api(APPLY, routes!(report_api));
    pages::routes(r)
}

pub(crate) fn rule_problem(e: GrantCallError) -> Problem {
    let key = match e {
        GrantCallError::Title => "grant.error.title",
        GrantCallError::Ministry => "grant.error.ministry",
        GrantCallError::Text { .. } => "grant.error.text",
        GrantCallError::Budget => "grant.error.budget",
        GrantCallError::AwardCap => "grant.error.award_cap",
        GrantCallError::Units => "grant.error.units",
        GrantCallError::CriteriaCount => "grant.error.criteria_count",
        GrantCallError::CriterionName => "grant.error.criterion_name",
        GrantCallError::Weights => "grant.error.weights",
        GrantCallError::PassMark => "grant.error.pass_mark",
        GrantCallError::Window => "grant.error.window",
        GrantCallError::Announce => "grant.error.announce",
        GrantCallError::Amount => "grant.error.amount",
        GrantCallError::Applicant => "grant.error.applicant",
        GrantCallError::UnitNotFunded => "grant.error.unit",
        GrantCallError::PlaceElsewhere => "grant.error.place",
        GrantCallError::Scores => "grant.error.scores",
    };
    Problem::field(e.field(), key)
}

pub(crate) fn store_problem(e: GrantStoreError) -> Problem {
    match e {
        GrantStoreError::NotFound => Problem::not_found(),
        GrantStoreError::Status(_) => {
            Problem::conflict_of("grant-call-status", "grant.error.status")
        }
        GrantStoreError::Window => Problem::conflict_of("grant-call-window", "grant.error.closed"),
        GrantStoreError::HasApplications => {
            Problem::conflict_of("grant-call-applied", "grant.error.has_applications")
        }
        GrantStoreError::AlreadyApplied => {
            Problem::conflict_of("grant-already-applied", "grant.error.already_applied")
        }
        GrantStoreError::UnknownProgramme => {
            Problem::field("programme_id", "grant.error.programme")
        }
        GrantStoreError::NotExpert => Problem::field("login", "grant.error.not_expert"),
        GrantStoreError::NotReviewer => Problem::not_found(),
        GrantStoreError::NoReviewers => {
            Problem::conflict_of("grant-no-reviewers", "grant.error.no_reviewers")
        }
        GrantStoreError::ScoresMissing(n) => {
            Problem::conflict_of("grant-scores-missing", "grant.error.scores_missing")
                .with_detail(n.to_string())
        }
        GrantStoreError::NotSelected => {
            Problem::conflict_of("grant-not-selected", "grant.error.not_selected")
        }
        GrantStoreError::Rule(e) => rule_problem(e),
        GrantStoreError::Store(e) => e.into(),
    }
}

/// A call (404 for no such call).
pub(crate) async fn call(state: &AppState, id: &str) -> Result<StoredCall> {
    state
        .store
        .grant_calls()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// How a user stands towards a call's applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seat {
    /// Ministry staff: every application and every scorecard.
    Ministry,
    /// An expert assigned to the call: every application, their own scorecards.
    Reviewer,
    /// Programme staff: the applications of the si/gun/gu in their scopes.
    Applicant,
    /// Anyone else: the results once announced.
    Public,
}

pub(crate) async fn seat(state: &AppState, user: Option<&Principal>, call: i64) -> Result<Seat> {
    let Some(user) = user else {
        return Ok(Seat::Public);
    };
    if user.may(Permission::ManageGrantCalls) {
        return Ok(Seat::Ministry);
    }
    if user.has_role(Role::Expert)
        && state
            .store
            .grant_calls()
            .assigned_to(user.user_id)
            .await?
            .contains(&call)
    {
        return Ok(Seat::Reviewer);
    }
    if user.may(Permission::ApplyForGrants) {
        return Ok(Seat::Applicant);
    }
    Ok(Seat::Public)
}

/// Whether the user applies for the application's si/gun/gu.
pub(crate) fn applies_for(user: &Principal, app: &StoredApplication) -> bool {
    user.may_in(Permission::ApplyForGrants, &app.sigungu_path)
}

/// Whether the user keeps the council of the eup/myeon/dong an application is for: the
/// council applies through its si/gun/gu and follows its application.
pub(crate) fn council_of(user: &Principal, app: &StoredApplication) -> bool {
    app.emd_path
        .as_ref()
        .is_some_and(|p| user.may_in(Permission::ManageCouncil, p))
}

/// Which applications a seat sees: all of them for the ministry and the call's experts; before
/// the results, its own for an applicant and the council's for the place it is for; all once
/// announced.
pub(crate) fn visible(
    user: Option<&Principal>,
    seat: Seat,
    c: &StoredCall,
    mut apps: Vec<StoredApplication>,
) -> Vec<StoredApplication> {
    if matches!(seat, Seat::Ministry | Seat::Reviewer) || c.status == Status::Awarded {
        return apps;
    }
    match user {
        Some(user) => apps.retain(|a| applies_for(user, a) || council_of(user, a)),
        None => apps.clear(),
    }
    apps
}

/// An application with its call, when the user may see it (404 otherwise).
pub(crate) async fn application(
    state: &AppState,
    user: Option<&Principal>,
    id: &str,
) -> Result<(StoredApplication, StoredCall, Seat)> {
    let app = state
        .store
        .grant_calls()
        .application(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let c = call(state, &app.call_id.to_string()).await?;
    let seat = seat(state, user, c.id).await?;
    let mut shown = visible(user, seat, &c, vec![app]);
    let app = shown.pop().ok_or_else(Problem::not_found)?;
    Ok((app, c, seat))
}

// ---------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CriterionOut {
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    /// Points out of 100; the weights of a call add up to 100.
    #[schema(minimum = 1, maximum = 100)]
    pub weight: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantCallOut {
    pub id: i64,
    pub title: String,
    pub ministry: String,
    pub summary: String,
    pub programme_id: Option<i64>,
    /// 원
    pub budget: i64,
    /// 원, the most one award may be.
    pub award_cap: i64,
    /// `sigungu` and/or `emd`.
    pub units: Vec<String>,
    pub eligibility: String,
    pub criteria: Vec<CriterionOut>,
    /// Points; applications scored below it are not selected.
    pub pass_mark: u32,
    pub opens_on: String,
    pub closes_on: String,
    pub announce_on: String,
    /// `open`, `reviewing` or `awarded`.
    pub status: String,
    /// `upcoming`, `accepting`, `closed`, `reviewing` or `awarded`, today.
    pub phase: String,
    pub awarded_on: Option<String>,
    pub applications: usize,
    pub selected: usize,
    /// 원, all awards together.
    pub awarded: i64,
    pub updated_at: String,
}

impl From<&StoredCall> for GrantCallOut {
    fn from(s: &StoredCall) -> Self {
        let c = &s.call;
        GrantCallOut {
            id: s.id,
            title: c.title.clone(),
            ministry: c.ministry.clone(),
            summary: c.summary.clone(),
            programme_id: c.programme_id,
            budget: c.budget,
            award_cap: c.award_cap,
            units: c.units.iter().map(|u| u.as_str().to_owned()).collect(),
            eligibility: c.eligibility.clone(),
            criteria: c
                .criteria
                .iter()
                .map(|k| CriterionOut {
                    name: k.name.clone(),
                    weight: k.weight,
                })
                .collect(),
            pass_mark: c.pass_mark,
            opens_on: day(c.opens_on),
            closes_on: day(c.closes_on),
            announce_on: day(c.announce_on),
            status: s.status.as_str().to_owned(),
            phase: c.phase(s.status, today()).as_str().to_owned(),
            awarded_on: s.awarded_on.map(day),
            applications: s.applications,
            selected: s.selected,
            awarded: s.awarded,
            updated_at: rfc3339(s.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantCallListOut {
    pub items: Vec<GrantCallOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantApplicationOut {
    pub id: i64,
    pub call_id: i64,
    /// The applying si/gun/gu.
    pub region_code: String,
    pub region_name: String,
    /// The eup/myeon/dong the project is for, if any.
    pub emd_code: Option<String>,
    pub emd_name: Option<String>,
    pub title: String,
    pub summary: String,
    /// 원 asked for; the award when selected.
    pub amount: i64,
    /// Mean of the experts' weighted totals, in points with two decimals (`"86.50"`), once
    /// the selection is made.
    pub score: Option<String>,
    pub rank: Option<u32>,
    /// `selected`, `below_pass_mark`, `over_budget` or `unscored`, once the selection is made.
    pub outcome: Option<String>,
    /// 선정 통지 번호.
    pub notice_no: Option<String>,
    /// 원, from the latest execution report that gave it.
    pub spent: Option<i64>,
    pub submitted_at: String,
    /// How many experts have scored it (shown to the ministry and the call's experts).
    pub scored_by: Option<usize>,
}

impl GrantApplicationOut {
    fn new(a: &StoredApplication, seat: Seat) -> Self {
        GrantApplicationOut {
            id: a.id,
            call_id: a.call_id,
            region_code: a.sigungu_code.clone(),
            region_name: a.sigungu_name.clone(),
            emd_code: a.emd_code.clone(),
            emd_name: a.emd_name.clone(),
            title: a.proposal.title.clone(),
            summary: a.proposal.summary.clone(),
            amount: a.proposal.amount,
            score: a.score.map(points),
            rank: a.rank,
            outcome: a.outcome.map(|o| o.as_str().to_owned()),
            notice_no: a.notice_no.clone(),
            spent: a.spent,
            submitted_at: rfc3339(a.submitted_at),
            scored_by: matches!(seat, Seat::Ministry | Seat::Reviewer).then_some(a.scored_by),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantCallDetailOut {
    pub call: GrantCallOut,
    /// By rank once announced (everyone sees them then); before, the ministry and the call's
    /// experts see all applications and an applicant its own.
    pub applications: Vec<GrantApplicationOut>,
}

/// The grant calls, the latest closing first.
#[utoipa::path(get, path = "/grant-calls", tag = "programmes",
    responses((status = 200, body = GrantCallListOut)))]
async fn list_api(State(state): State<AppState>) -> Result<Json<GrantCallListOut>> {
    let items = state
        .store
        .grant_calls()
        .list()
        .await?
        .iter()
        .map(GrantCallOut::from)
        .collect();
    Ok(Json(GrantCallListOut { items }))
}

/// One grant call with the applications the caller may see.
#[utoipa::path(get, path = "/grant-calls/{id}", tag = "programmes", params(("id" = i64, Path)),
    responses(
        (status = 200, body = GrantCallDetailOut),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    req: RequestContext,
    Path(id): Path<String>,
) -> Result<Json<GrantCallDetailOut>> {
    let c = call(&state, &id).await?;
    let user = req.principal();
    let seat = seat(&state, user, c.id).await?;
    let apps = state.store.grant_calls().applications(c.id).await?;
    let apps = visible(user, seat, &c, apps);
    Ok(Json(GrantCallDetailOut {
        call: GrantCallOut::from(&c),
        applications: apps
            .iter()
            .map(|a| GrantApplicationOut::new(a, seat))
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantScoreOut {
    pub reviewer_id: i64,
    pub reviewer_name: String,
    /// One per criterion, in the call's order.
    pub scores: Vec<u32>,
    /// Weighted total, in points with two decimals.
    pub total: String,
    pub comment: String,
    pub scored_at: String,
}

impl From<&StoredScore> for GrantScoreOut {
    fn from(s: &StoredScore) -> Self {
        GrantScoreOut {
            reviewer_id: s.reviewer_id,
            reviewer_name: s.reviewer_name.clone(),
            scores: s.scores.clone(),
            total: points(s.total),
            comment: s.comment.clone(),
            scored_at: rfc3339(s.scored_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantApplicationDetailOut {
    pub application: GrantApplicationOut,
    /// The ministry sees every expert's card; an expert their own; nobody else any.
    pub scorecards: Vec<GrantScoreOut>,
    /// Execution reports, newest first.
    pub reports: Vec<ReportOut>,
}

/// The scorecards a seat sees of an application.
pub(crate) async fn scorecards(
    state: &AppState,
    user: Option<&Principal>,
    seat: Seat,
    app: i64,
) -> Result<Vec<StoredScore>> {
    let cards = match seat {
        Seat::Ministry | Seat::Reviewer => state.store.grant_calls().scores(app).await?,
        Seat::Applicant | Seat::Public => Vec::new(),
    };
    Ok(match (seat, user) {
        (Seat::Reviewer, Some(u)) => cards
            .into_iter()
            .filter(|c| c.reviewer_id == u.user_id)
            .collect(),
        _ => cards,
    })
}

/// One application: public once the results are announced; before, to the ministry, the call's
/// experts and the applying si/gun/gu.
#[utoipa::path(get, path = "/grant-applications/{id}", tag = "programmes", params(("id" = i64, Path)),
    responses(
        (status = 200, body = GrantApplicationDetailOut),
        (status = 404, description = "No such application the caller may see", content_type = "application/problem+json"),
    ))]
async fn application_api(
    State(state): State<AppState>,
    req: RequestContext,
    Path(id): Path<String>,
) -> Result<Json<GrantApplicationDetailOut>> {
    let user = req.principal();
    let (app, _, seat) = application(&state, user, &id).await?;
    let cards = scorecards(&state, user, seat, app.id).await?;
    let reports = state.store.grant_calls().reports(app.id).await?;
    Ok(Json(GrantApplicationDetailOut {
        application: GrantApplicationOut::new(&app, seat),
        scorecards: cards.iter().map(GrantScoreOut::from).collect(),
        reports: reports.iter().map(ReportOut::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantApplicationListOut {
    pub items: Vec<GrantApplicationOut>,
}

/// The applications to a call the caller may see: all for the ministry and the call's experts,
/// the si/gun/gu's own for programme staff, all once announced.
#[utoipa::path(get, path = "/grant-calls/{id}/applications", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = GrantApplicationListOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
    ))]
async fn applications_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<GrantApplicationListOut>> {
    let c = call(&state, &id).await?;
    let seat = seat(&state, Some(&user), c.id).await?;
    let apps = state.store.grant_calls().applications(c.id).await?;
    let apps = visible(Some(&user), seat, &c, apps);
    Ok(Json(GrantApplicationListOut {
        items: apps
            .iter()
            .map(|a| GrantApplicationOut::new(a, seat))
            .collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Publishing and running a call

fn unit_code() -> utoipa::openapi::schema::Object {
    code_enum(Unit::ALL.iter().map(|u| u.as_str()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantCallIn {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// The ministry running the call (행정안전부 …).
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub ministry: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub summary: String,
    /// The catalogue programme the call funds.
    #[serde(default)]
    pub programme_id: Option<i64>,
    /// 원
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub budget: i64,
    /// 원, the most one award may be; at most the budget.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub award_cap: i64,
    /// Whom it funds: a si/gun/gu's own project, one eup/myeon/dong's (through its si/gun/gu).
    #[schema(schema_with = units_schema)]
    pub units: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub eligibility: String,
    /// 1 to 10 criteria whose weights add up to 100.
    #[schema(min_items = 1, max_items = 10)]
    pub criteria: Vec<CriterionOut>,
    /// Points (0–100); applications below it are not selected.
    #[schema(minimum = 0, maximum = 100)]
    pub pass_mark: i64,
    #[schema(example = "2026-11-01", format = Date)]
    pub opens_on: String,
    /// Not before `opens_on`.
    #[schema(example = "2026-12-15", format = Date)]
    pub closes_on: String,
    /// Not before `closes_on`.
    #[schema(example = "2026-12-31", format = Date)]
    pub announce_on: String,
}

fn units_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(unit_code())
        .min_items(Some(1))
        .build()
}

fn date_field(s: &str, field: &'static str) -> Result<time::Date> {
    parse_day(s).ok_or_else(|| Problem::field(field, "field.date"))
}

impl GrantCallIn {
    pub(crate) fn call(self) -> Result<Call> {
        let units = self
            .units
            .iter()
            .map(|u| Unit::parse(u).ok_or_else(|| Problem::field("units", "field.choice")))
            .collect::<Result<Vec<_>>>()?;
        let pass_mark = u32::try_from(self.pass_mark)
            .map_err(|_| Problem::field("pass_mark", "grant.error.pass_mark"))?;
        Call::new(Call {
            title: self.title,
            ministry: self.ministry,
            summary: self.summary,
            programme_id: self.programme_id,
            budget: self.budget,
            award_cap: self.award_cap,
            units,
            eligibility: self.eligibility,
            criteria: self
                .criteria
                .into_iter()
                .map(|k| Criterion {
                    name: k.name,
                    weight: k.weight,
                })
                .collect(),
            pass_mark,
            opens_on: date_field(&self.opens_on, "opens_on")?,
            closes_on: date_field(&self.closes_on, "closes_on")?,
            announce_on: date_field(&self.announce_on, "announce_on")?,
        })
        .map_err(rule_problem)
    }
}

/// Publishes a grant call.
#[utoipa::path(post, path = "/grant-calls", tag = "programmes",
    request_body = GrantCallIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff publish calls", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, the weights do not add up to 100, the dates are out of order, or no such programme", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    if !user.may(Permission::ManageGrantCalls) {
        return Err(Problem::forbidden());
    }
    let id = create(&state, &user, json_body::<GrantCallIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Publishes a call.
pub(crate) async fn create(state: &AppState, user: &Principal, input: GrantCallIn) -> Result<i64> {
    let c = input.call()?;
    state
        .store
        .grant_calls()
        .create(c, user.user_id)
        .await
        .map_err(store_problem)
}

/// Replaces a call's terms.
pub(crate) async fn update(state: &AppState, id: &str, input: GrantCallIn) -> Result<()> {
    let id = call(state, id).await?.id;
    let c = input.call()?;
    state
        .store
        .grant_calls()
        .update(id, c)
        .await
        .map_err(store_problem)
}

/// Assigns an expert by log-in name; gives their user id.
pub(crate) async fn assign(state: &AppState, id: &str, login: &str) -> Result<i64> {
    let c = call(state, id).await?;
    state
        .store
        .grant_calls()
        .assign(c.id, login)
        .await
        .map_err(store_problem)
}

/// Takes an expert off a call.
pub(crate) async fn unassign(state: &AppState, id: &str, user: &str) -> Result<()> {
    let c = call(state, id).await?;
    state
        .store
        .grant_calls()
        .unassign(c.id, record_id(user)?)
        .await
        .map_err(store_problem)
}

/// Closes a call for applications.
pub(crate) async fn close(state: &AppState, id: &str) -> Result<()> {
    let c = call(state, id).await?;
    state
        .store
        .grant_calls()
        .close(c.id)
        .await
        .map_err(store_problem)
}

/// Makes the selection today; gives how many were selected.
pub(crate) async fn select(state: &AppState, id: &str) -> Result<usize> {
    let c = call(state, id).await?;
    state
        .store
        .grant_calls()
        .award(c.id, today())
        .await
        .map_err(store_problem)
}

/// Replaces a call's terms while nobody has applied.
#[utoipa::path(put, path = "/grant-calls/{id}", tag = "programmes", params(("id" = i64, Path)),
    request_body = GrantCallIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff edit calls", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
        (status = 409, description = "The call has applications or is no longer open", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    if !user.may(Permission::ManageGrantCalls) {
        return Err(Problem::forbidden());
    }
    update(&state, &id, json_body::<GrantCallIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantReviewerOut {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    /// How many of the call's applications they have scored.
    pub scored: usize,
}

impl From<&Reviewer> for GrantReviewerOut {
    fn from(r: &Reviewer) -> Self {
        GrantReviewerOut {
            user_id: r.user_id,
            login: r.login.clone(),
            name: r.name.clone(),
            scored: r.scored,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantReviewerListOut {
    pub items: Vec<GrantReviewerOut>,
}

/// The experts assigned to a call, with their progress.
#[utoipa::path(get, path = "/grant-calls/{id}/reviewers", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = GrantReviewerListOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
    ))]
async fn reviewers_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<GrantReviewerListOut>> {
    let c = call(&state, &id).await?;
    let items = state.store.grant_calls().reviewers(c.id).await?;
    Ok(Json(GrantReviewerListOut {
        items: items.iter().map(GrantReviewerOut::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantReviewerIn {
    /// The log-in name of a user holding the expert role.
    #[schema(min_length = 3, max_length = 32, pattern = "^[a-z0-9._-]+$")]
    pub login: String,
}

/// Assigns an expert to score the call's applications (before the selection).
#[utoipa::path(post, path = "/grant-calls/{id}/reviewers", tag = "programmes",
    params(("id" = i64, Path)), request_body = GrantReviewerIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created, description = "The expert's user id"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
        (status = 409, description = "The selection is made", content_type = "application/problem+json"),
        (status = 422, description = "No expert with that log-in name", content_type = "application/problem+json"),
    ))]
async fn assign_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input = json_body::<GrantReviewerIn>(&body)?;
    let id = assign(&state, &id, &input.login).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Takes an expert off a call before the selection; their scores in it go with them.
#[utoipa::path(delete, path = "/grant-calls/{id}/reviewers/{user_id}", tag = "programmes",
    params(("id" = i64, Path), ("user_id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Taken off"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such call or expert on it", content_type = "application/problem+json"),
        (status = 409, description = "The selection is made", content_type = "application/problem+json"),
    ))]
async fn unassign_api(
    State(state): State<AppState>,
    Path((id, user)): Path<(String, String)>,
) -> Result<StatusCode> {
    unassign(&state, &id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes the call for applications and opens the experts' review.
#[utoipa::path(post, path = "/grant-calls/{id}/closing", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Closed; the review is open"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
        (status = 409, description = "The call is not open", content_type = "application/problem+json"),
    ))]
async fn close_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<StatusCode> {
    close(&state, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantSelectionOut {
    /// How many applications were selected.
    pub selected: usize,
}

/// Makes the selection: once every assigned expert has scored every application, ranks them by
/// their mean score, selects down the ranking within the budget (below the pass mark never),
/// numbers the award notices and publishes the results.
#[utoipa::path(post, path = "/grant-calls/{id}/selection", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = GrantSelectionOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Only ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
        (status = 409, description = "The call is not in review, has no experts, or scorecards are missing", content_type = "application/problem+json"),
    ))]
async fn select_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<GrantSelectionOut>> {
    let selected = select(&state, &id).await?;
    Ok(Json(GrantSelectionOut { selected }))
}

// ---------------------------------------------------------------------------------------
// Applying

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantApplicationIn {
    /// The applying si/gun/gu, within the caller's scope.
    #[schema(pattern = "^[0-9]{10}$", example = "1111000000")]
    pub region_code: String,
    /// One of its eup/myeon/dong, when the project is that place's.
    #[serde(default)]
    #[schema(pattern = "^[0-9]{10}$", example = "1111051500")]
    pub emd_code: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// What the si/gun/gu proposes to do.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub summary: String,
    /// 원 asked for, up to the call's cap for one award.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount: i64,
}

/// The place an application is for, resolved: 422 naming `emd_code` for an unknown code.
async fn place_of(state: &AppState, emd: Option<&str>) -> Result<Option<StoredRegion>> {
    match emd.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => crate::region::in_use(state, e)
            .await
            .map(Some)
            .map_err(|_| Problem::field("emd_code", "grant.error.place")),
    }
}

/// Applies for the si/gun/gu of the input, which the user must hold.
pub(crate) async fn apply(
    state: &AppState,
    user: &Principal,
    call_id: &str,
    input: GrantApplicationIn,
) -> Result<i64> {
    let c = call(state, call_id).await?;
    let sigungu = crate::region::in_use(state, &input.region_code)
        .await
        .map_err(|_| Problem::field("region_code", "grant.error.applicant"))?;
    if !crate::region::is_local_government(state, &sigungu).await? {
        return Err(Problem::field("region_code", "grant.error.applicant"));
    }
    if !user.may_in(Permission::ApplyForGrants, &sigungu.path) {
        return Err(Problem::forbidden());
    }
    let place = place_of(state, input.emd_code.as_deref()).await?;
    let applicant = Applicant {
        sigungu: sigungu.region.code,
        place: place.map(|p| p.path),
    };
    let proposal = Proposal {
        title: input.title,
        summary: input.summary,
        amount: input.amount,
    };
    state
        .store
        .grant_calls()
        .apply(c.id, applicant, proposal, today(), user.user_id)
        .await
        .map_err(store_problem)
}

/// Applies to a call for a si/gun/gu (or one of its eup/myeon/dong) within its window.
#[utoipa::path(post, path = "/grant-calls/{id}/applications", tag = "programmes",
    params(("id" = i64, Path)), request_body = GrantApplicationIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme staff of that si/gun/gu", content_type = "application/problem+json"),
        (status = 404, description = "No such call", content_type = "application/problem+json"),
        (status = 409, description = "Outside the window, the call is closed, or the si/gun/gu has applied already", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range, the amount is over the cap, the unit is not funded, or the eup/myeon/dong is not the si/gun/gu's", content_type = "application/problem+json"),
    ))]
async fn apply_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    if !user.may(Permission::ApplyForGrants) {
        return Err(Problem::forbidden());
    }
    let id = apply(&state, &user, &id, json_body::<GrantApplicationIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The application when the user applies for its si/gun/gu (404 otherwise).
pub(crate) async fn own_application(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<StoredApplication> {
    let app = state
        .store
        .grant_calls()
        .application(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    if !applies_for(user, &app) {
        return Err(Problem::not_found());
    }
    Ok(app)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantProposalIn {
    /// One of the si/gun/gu's eup/myeon/dong, when the project is that place's.
    #[serde(default)]
    #[schema(pattern = "^[0-9]{10}$", example = "1111051500")]
    pub emd_code: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub summary: String,
    /// 원 asked for, up to the call's cap for one award.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub amount: i64,
}

/// Revises an application of the user's si/gun/gu while the call takes applications.
pub(crate) async fn revise(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: GrantProposalIn,
) -> Result<()> {
    let app = own_application(state, user, id).await?;
    let place = place_of(state, input.emd_code.as_deref()).await?;
    let proposal = Proposal {
        title: input.title,
        summary: input.summary,
        amount: input.amount,
    };
    state
        .store
        .grant_calls()
        .revise(app.id, place.map(|p| p.path), proposal, today())
        .await
        .map_err(store_problem)
}

/// Revises an application while the call takes applications.
#[utoipa::path(put, path = "/grant-applications/{id}/proposal", tag = "programmes",
    params(("id" = i64, Path)), request_body = GrantProposalIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's si/gun/gu", content_type = "application/problem+json"),
        (status = 409, description = "The call no longer takes applications", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or out of range", content_type = "application/problem+json"),
    ))]
async fn revise_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    revise(&state, &user, &id, json_body::<GrantProposalIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws an application of the user's si/gun/gu while the call takes applications.
pub(crate) async fn withdraw(state: &AppState, user: &Principal, id: &str) -> Result<()> {
    let app = own_application(state, user, id).await?;
    state
        .store
        .grant_calls()
        .withdraw(app.id, today())
        .await
        .map_err(store_problem)
}

/// Withdraws an application while the call takes applications.
#[utoipa::path(post, path = "/grant-applications/{id}/withdrawal", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's si/gun/gu", content_type = "application/problem+json"),
        (status = 409, description = "The call no longer takes applications", content_type = "application/problem+json"),
    ))]
async fn withdraw_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    withdraw(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// Scoring and reporting

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantScorecardIn {
    /// One score from 0 to 100 per criterion, in the call's order.
    #[schema(min_items = 1, max_items = 10)]
    pub scores: Vec<i64>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantScorecardOut {
    /// The weighted total, in points with two decimals.
    pub total: String,
}

/// Records the user's scorecard of an application of a call they are assigned to.
pub(crate) async fn score(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: GrantScorecardIn,
) -> Result<String> {
    if input.comment.chars().count() > maeul_core::autonomy::plan::MAX_TEXT {
        return Err(Problem::field("comment", "grant.error.text"));
    }
    let app = state
        .store
        .grant_calls()
        .application(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    // An expert who also applies for the si/gun/gu does not score its application.
    if applies_for(user, &app) {
        return Err(Problem::forbidden_of(
            "grant-own-application",
            "grant.error.own",
        ));
    }
    let card = state
        .store
        .grant_calls()
        .score(app.id, user.user_id, input.scores, input.comment)
        .await
        .map_err(store_problem)?;
    Ok(points(card.total))
}

/// Scores an application, one score per criterion; scoring again replaces the card.
#[utoipa::path(put, path = "/grant-applications/{id}/scorecard", tag = "programmes",
    params(("id" = i64, Path)), request_body = GrantScorecardIn, security(("bearer" = [])),
    responses(
        (status = 200, body = GrantScorecardOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not an expert, or one who applies for the application's si/gun/gu", content_type = "application/problem+json"),
        (status = 404, description = "No such application in a call the expert is assigned to", content_type = "application/problem+json"),
        (status = 409, description = "The call is not in review", content_type = "application/problem+json"),
        (status = 422, description = "Not one score from 0 to 100 per criterion", content_type = "application/problem+json"),
    ))]
async fn score_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<GrantScorecardOut>> {
    let total = score(&state, &user, &id, json_body::<GrantScorecardIn>(&body)?).await?;
    Ok(Json(GrantScorecardOut { total }))
}

/// Records an execution report on an award of the user's si/gun/gu.
pub(crate) async fn report(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: ReportIn,
) -> Result<i64> {
    let app = own_application(state, user, id).await?;
    let report = Report::new(&input.body, input.spent).map_err(report_problem)?;
    state
        .store
        .grant_calls()
        .report(app.id, report, user.user_id)
        .await
        .map_err(store_problem)
}

/// Reports on the execution of an award: what was done and the spending so far.
#[utoipa::path(post, path = "/grant-applications/{id}/reports", tag = "programmes",
    params(("id" = i64, Path)), request_body = ReportIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such application of the caller's si/gun/gu", content_type = "application/problem+json"),
        (status = 409, description = "The application was not selected", content_type = "application/problem+json"),
        (status = 422, description = "No text, or an amount out of range", content_type = "application/problem+json"),
    ))]
async fn report_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = report(&state, &user, &id, json_body::<ReportIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
