//! 컨설팅 — consulting for local governments: a place, a si/gun/gu or a si/do asks; the keepers of
//! the expert pool over it assign an expert who fits; the expert's account (or an official)
//! records the report; the request can be withdrawn until then. Seen by those who ask in the
//! scope, the keepers and the assigned expert: to anyone else an engagement does not exist. The
//! API and the pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal, Role};
use maeul_core::consulting::{
    FitError, MAX_HOURS, Report, ReportError, Request, RequestError, Status, StepError, fits,
    withdrawal_reason,
};
use maeul_core::expert::Specialty;
use maeul_core::format;
use maeul_core::region::{Level, RegionCode, RegionPath};
use maeul_store::consulting::{ConsultationFilter, ConsultingStoreError, StoredConsultation};
use maeul_store::expert::ExpertFilter;
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{Choice, PageCtx, choices, code_enum, form_answer, form_error, query_string};
use crate::paging::{Pager, Paging};
use crate::welfare::today;
use crate::{AppState, record_id};

const WORK: Access = Access::Allowed(Permission::UseWorkspace);
const REQUEST: Access = Access::Allowed(Permission::RequestConsulting);
const KEEP: Access = Access::Allowed(Permission::KeepExpertPool);

pub fn routes(r: Routes) -> Routes {
    r.api(WORK, routes!(list_api))
        .api(WORK, routes!(show_api))
        .api(REQUEST, routes!(create_api))
        .api(KEEP, routes!(assign_api))
        .api(WORK, routes!(report_api))
        .api(WORK, routes!(withdraw_api))
        .page(
            "/work/consultations",
            WORK,
            get(list_page).post(create_form),
        )
        .page("/work/consultations/{id}", WORK, get(show_page))
        .page("/work/consultations/{id}/expert", KEEP, post(assign_form))
        .page("/work/consultations/{id}/report", WORK, post(report_form))
        .page(
            "/work/consultations/{id}/withdrawal",
            WORK,
            post(withdraw_form),
        )
}

fn specialty_schema() -> utoipa::openapi::schema::Object {
    code_enum(Specialty::ALL.iter().map(|s| s.as_str()))
}

fn status_schema() -> utoipa::openapi::schema::Object {
    code_enum(Status::ALL.iter().map(|s| s.as_str()))
}

fn request_problem(e: RequestError) -> Problem {
    let key = match e {
        RequestError::Level => "consulting.error.level",
        RequestError::Title => "consulting.error.title",
        RequestError::Needs => "consulting.error.needs",
        RequestError::WantedBy => "consulting.error.wanted_by",
    };
    Problem::field(e.field(), key)
}

fn report_problem(e: ReportError) -> Problem {
    let key = match e {
        ReportError::HeldOn => "consulting.error.held_on",
        ReportError::Hours => "consulting.error.hours",
        ReportError::Findings => "consulting.error.findings",
        ReportError::Recommendations => "consulting.error.recommendations",
    };
    Problem::field(e.field(), key)
}

fn fit_problem(e: FitError) -> Problem {
    let key = match e {
        FitError::Specialty => "consulting.error.fit_specialty",
        FitError::Region => "consulting.error.fit_region",
        FitError::Unavailable => "consulting.error.fit_unavailable",
    };
    Problem::field("expert_id", key)
}

/// A step that does not follow from where the engagement stands (409).
fn step_refused(status: Status) -> Problem {
    store_problem(ConsultingStoreError::Step(StepError(status)))
}

fn store_problem(e: ConsultingStoreError) -> Problem {
    match e {
        ConsultingStoreError::NotFound => Problem::not_found(),
        ConsultingStoreError::Step(_) | ConsultingStoreError::Changed => {
            Problem::conflict_of("consulting-step", "consulting.error.step")
        }
        ConsultingStoreError::Store(e) => e.into(),
    }
}

/// Whether the user keeps an expert pool (the nation's or a si/do's) over the region.
fn keeps_pool_over(user: &Principal, path: &RegionPath) -> bool {
    user.scopes(Permission::KeepExpertPool)
        .iter()
        .any(|s| matches!(s.level(), Level::Nation | Level::Sido) && path.within(s))
}

/// How the user stands to an engagement.
#[derive(Debug, Clone, Copy, Default)]
struct Standing {
    /// Asks for consulting in the region's scope.
    asks: bool,
    /// Keeps the expert pool over it: assigns the expert.
    keeps: bool,
    /// The assigned expert's account.
    expert: bool,
}

impl Standing {
    fn of(user: &Principal, c: &StoredConsultation) -> Standing {
        let path = RegionPath::parse(&c.region_path).ok();
        Standing {
            asks: path
                .as_ref()
                .is_some_and(|p| user.may_in(Permission::RequestConsulting, p)),
            keeps: path.as_ref().is_some_and(|p| keeps_pool_over(user, p)),
            expert: user.has_role(Role::Expert) && c.expert_user_id == Some(user.user_id),
        }
    }

    fn sees(self) -> bool {
        self.asks || self.keeps || self.expert
    }

    fn may_assign(self, c: &StoredConsultation) -> bool {
        self.keeps && matches!(c.status, Status::Requested | Status::Assigned)
    }

    /// The expert's account writes the report; without one, those who ask or keep record it
    /// on the expert's behalf.
    fn may_report(self, c: &StoredConsultation) -> bool {
        let writer = if c.expert_user_id.is_some() {
            self.expert
        } else {
            self.asks || self.keeps
        };
        writer && c.status == Status::Assigned
    }

    fn may_withdraw(self, c: &StoredConsultation) -> bool {
        (self.asks || self.keeps) && matches!(c.status, Status::Requested | Status::Assigned)
    }
}

/// An engagement the user sees, with their standing (404 for anyone else).
async fn seen(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<(StoredConsultation, Standing)> {
    let c = state
        .store
        .consultations()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let standing = Standing::of(user, &c);
    if !standing.sees() {
        return Err(Problem::not_found());
    }
    Ok((c, standing))
}

/// What the user sees in lists: their scopes of asking and keeping, and what they are assigned.
fn filter_of(user: &Principal) -> ConsultationFilter {
    let mut scopes = user.scopes(Permission::RequestConsulting);
    scopes.extend(
        user.scopes(Permission::KeepExpertPool)
            .into_iter()
            .filter(|s| matches!(s.level(), Level::Nation | Level::Sido)),
    );
    ConsultationFilter {
        scopes,
        expert_user: user.has_role(Role::Expert).then_some(user.user_id),
        ..ConsultationFilter::default()
    }
}

// ---------------------------------------------------------------------------------------
// The API

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RequestIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// The specialty wanted: `resident_autonomy`, `community_planning`, `facilitation`,
    /// `welfare`, `health`, `regional_projects` or `organisation`.
    #[schema(schema_with = specialty_schema)]
    pub specialty: String,
    /// The situation and the help wanted.
    #[schema(min_length = 1, max_length = 4000)]
    pub needs: String,
    /// `YYYY-MM-DD`, not before today; left out (or empty) when any time will do.
    #[schema(format = Date)]
    pub wanted_by: Option<String>,
}

impl RequestIn {
    fn request(&self, region: &RegionCode) -> Result<Request> {
        let specialty = Specialty::parse(&self.specialty)
            .ok_or_else(|| Problem::field("specialty", "field.choice"))?;
        let wanted_by = day("wanted_by", self.wanted_by.as_deref())?;
        Request::new(
            region,
            &self.title,
            specialty,
            &self.needs,
            wanted_by,
            today(),
        )
        .map_err(request_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertRef {
    /// The expert's entry in the pool (`GET /experts`).
    pub id: i64,
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationReportOut {
    pub held_on: String,
    pub hours: u16,
    pub findings: String,
    pub recommendations: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationOut {
    pub id: i64,
    /// The place, si/gun/gu or si/do asking.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    #[schema(schema_with = specialty_schema)]
    pub specialty: String,
    pub needs: String,
    pub wanted_by: Option<String>,
    #[schema(schema_with = status_schema)]
    pub status: String,
    pub requested_on: String,
    pub expert: Option<ExpertRef>,
    /// Whether an expert's account writes the report.
    pub expert_has_account: bool,
    pub assigned_on: Option<String>,
    pub report: Option<ConsultationReportOut>,
    pub withdrawn_reason: Option<String>,
    /// The day it was reported or withdrawn.
    pub closed_on: Option<String>,
}

impl From<&StoredConsultation> for ConsultationOut {
    fn from(c: &StoredConsultation) -> Self {
        ConsultationOut {
            id: c.id,
            region_code: c.region_code.clone(),
            region_name: c.region_name.clone(),
            title: c.request.title.clone(),
            specialty: c.request.specialty.as_str().to_owned(),
            needs: c.request.needs.clone(),
            wanted_by: c.request.wanted_by.map(|d| d.to_string()),
            status: c.status.as_str().to_owned(),
            requested_on: c.requested_on.to_string(),
            expert: c.expert.as_ref().map(|(id, name, organisation)| ExpertRef {
                id: *id,
                name: name.clone(),
                organisation: organisation.clone(),
            }),
            expert_has_account: c.expert_user_id.is_some(),
            assigned_on: c.assigned_on.map(|d| d.to_string()),
            report: c.report.as_ref().map(|r| ConsultationReportOut {
                held_on: r.held_on.to_string(),
                hours: r.hours,
                findings: r.findings.clone(),
                recommendations: r.recommendations.clone(),
            }),
            withdrawn_reason: c.withdrawn_reason.clone(),
            closed_on: c.closed_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationListOut {
    pub items: Vec<ConsultationOut>,
    pub total: i64,
}

/// Which engagements to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsultationQuery {
    /// Only those of this region and the regions within it.
    #[param(pattern = "^[0-9]{8}00$")]
    pub region: Option<String>,
    #[param(schema_with = status_schema)]
    pub status: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Engagements per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl ConsultationQuery {
    fn filter(&self, user: &Principal) -> Result<ConsultationFilter> {
        let region = match self.region.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(r) => Some(
                RegionCode::parse(r).map_err(|_| Problem::field("region", "field.region_code"))?,
            ),
        };
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                Some(Status::parse(s).ok_or_else(|| Problem::field("status", "field.choice"))?)
            }
        };
        Ok(ConsultationFilter {
            region,
            status,
            ..filter_of(user)
        })
    }
}

/// The engagements the user sees (asked in their scope, over their pool, or assigned to
/// them), newest first.
#[utoipa::path(get, path = "/consultations", tag = "organisation", params(ConsultationQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConsultationListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a workspace user", content_type = "application/problem+json"),
        (status = 422, description = "A region, status or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    User(user): User,
    Params(query): Params<ConsultationQuery>,
) -> Result<Json<ConsultationListOut>> {
    no_empty_values(&[
        ("region", &query.region),
        ("status", &query.status),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (items, total) = state
        .store
        .consultations()
        .find(query.filter(&user)?, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(ConsultationListOut {
        items: items.iter().map(ConsultationOut::from).collect(),
        total,
    }))
}

/// One engagement.
#[utoipa::path(get, path = "/consultations/{id}", tag = "organisation",
    params(("id" = String, Path, description = "An engagement id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConsultationOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a workspace user", content_type = "application/problem+json"),
        (status = 404, description = "No such engagement that the user sees", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<ConsultationOut>> {
    let (c, _) = seen(&state, &user, &id).await?;
    Ok(Json(ConsultationOut::from(&c)))
}

/// A region for which the user asks (404 for the nation or no such region, 403 outside the
/// scope).
async fn asking_region(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if r.region.level == Level::Nation {
        return Err(Problem::not_found());
    }
    if !user.may_in(Permission::RequestConsulting, &r.path) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

async fn create(
    state: &AppState,
    user: &Principal,
    r: &StoredRegion,
    sent: &RequestIn,
) -> Result<i64> {
    let request = sent.request(&r.region.code)?;
    Ok(state
        .store
        .consultations()
        .create(&r.region.code, request, user.user_id, today())
        .await?)
}

/// Asks for consulting for a place, a si/gun/gu or a si/do.
#[utoipa::path(post, path = "/regions/{code}/consultations", tag = "organisation",
    params(("code" = String, Path, description = "The region asking")),
    request_body = RequestIn, security(("bearer" = [])),
    responses(
        (status = 201, body = ConsultationOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not asking for this region", content_type = "application/problem+json"),
        (status = 404, description = "No such region, or the nation", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (no title or needs, a day wanted before today); `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ConsultationOut>)> {
    let r = asking_region(&state, &user, &code).await?;
    let sent = json_body::<RequestIn>(&body)?;
    let id = create(&state, &user, &r, &sent).await?;
    let (c, _) = seen(&state, &user, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(ConsultationOut::from(&c))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssignIn {
    /// An expert of the pool (`GET /experts`) who lists the specialty, works in the si/do
    /// of the region asking and takes work now.
    #[schema(minimum = 1)]
    pub expert_id: i64,
    /// The log-in name of the expert's account (a user holding the expert role), who then
    /// sees the engagement and writes its report; left out when the expert has none.
    #[schema(max_length = 32)]
    pub login: Option<String>,
}

async fn assign(state: &AppState, user: &Principal, id: &str, sent: &AssignIn) -> Result<()> {
    let (c, standing) = seen(state, user, id).await?;
    if !standing.keeps {
        return Err(Problem::forbidden());
    }
    if !standing.may_assign(&c) {
        return Err(step_refused(c.status));
    }
    let expert = state
        .store
        .experts()
        .get(sent.expert_id)
        .await?
        .filter(|e| !e.removed)
        .ok_or_else(|| Problem::field("expert_id", "consulting.error.expert"))?;
    let region = RegionCode::parse(&c.region_code).map_err(|_| Problem::internal())?;
    fits(&expert.expert, c.request.specialty, &region).map_err(fit_problem)?;
    let account = match sent
        .login
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => None,
        Some(login) => Some(
            state
                .store
                .accounts()
                .holder_of(&login.to_lowercase(), Role::Expert)
                .await?
                .ok_or_else(|| Problem::field("login", "consulting.error.login"))?,
        ),
    };
    state
        .store
        .consultations()
        .assign(c.id, c.revision, expert.id, account, user.user_id, today())
        .await
        .map_err(store_problem)
}

/// Assigns the expert (or another one before the report): the keepers of the pool over the
/// region asking.
#[utoipa::path(put, path = "/consultations/{id}/expert", tag = "organisation",
    params(("id" = String, Path, description = "An engagement id")),
    request_body = AssignIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Assigned"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping the pool over the region asking", content_type = "application/problem+json"),
        (status = 404, description = "No such engagement that the user sees", content_type = "application/problem+json"),
        (status = 409, description = "Reported or withdrawn already", content_type = "application/problem+json"),
        (status = 422, description = "No such expert, one who does not fit, or no expert account of that log-in name; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn assign_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let sent = json_body::<AssignIn>(&body)?;
    assign(&state, &user, &id, &sent).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConsultationReportIn {
    /// `YYYY-MM-DD`: the (last) day it was held, from the request to today.
    #[schema(format = Date)]
    pub held_on: String,
    #[schema(minimum = 1, maximum = 200)]
    pub hours: u16,
    /// 진단 결과.
    #[schema(min_length = 1, max_length = 4000)]
    pub findings: String,
    /// 개선 제안.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub recommendations: String,
}

async fn report(
    state: &AppState,
    user: &Principal,
    id: &str,
    sent: &ConsultationReportIn,
) -> Result<()> {
    let (c, standing) = seen(state, user, id).await?;
    if c.status != Status::Assigned {
        return Err(step_refused(c.status));
    }
    if !standing.may_report(&c) {
        return Err(Problem::forbidden());
    }
    let held_on = day("held_on", Some(&sent.held_on))?
        .ok_or_else(|| Problem::field("held_on", "field.required"))?;
    let r = Report::new(
        held_on,
        sent.hours,
        &sent.findings,
        &sent.recommendations,
        c.requested_on,
        today(),
    )
    .map_err(report_problem)?;
    state
        .store
        .consultations()
        .report(c.id, c.revision, r, user.user_id, today())
        .await
        .map_err(store_problem)
}

/// Records the report of an assigned engagement: the expert's account when one is assigned,
/// otherwise those who asked or the keepers of the pool, on the expert's behalf.
#[utoipa::path(put, path = "/consultations/{id}/report", tag = "organisation",
    params(("id" = String, Path, description = "An engagement id")),
    request_body = ConsultationReportIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Reported"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not the one who writes this report (the expert's account when one is assigned)", content_type = "application/problem+json"),
        (status = 404, description = "No such engagement that the user sees", content_type = "application/problem+json"),
        (status = 409, description = "No expert assigned yet, reported or withdrawn already, or changed meanwhile", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (a day before the request or after today, hours out of 1–200, no findings); `errors` names it", content_type = "application/problem+json"),
    ))]
async fn report_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let sent = json_body::<ConsultationReportIn>(&body)?;
    report(&state, &user, &id, &sent).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WithdrawIn {
    #[schema(min_length = 1, max_length = 200)]
    pub reason: String,
}

async fn withdraw(state: &AppState, user: &Principal, id: &str, reason: &str) -> Result<()> {
    let (c, standing) = seen(state, user, id).await?;
    if !(standing.asks || standing.keeps) {
        return Err(Problem::forbidden());
    }
    if !standing.may_withdraw(&c) {
        return Err(step_refused(c.status));
    }
    let reason = withdrawal_reason(reason)
        .ok_or_else(|| Problem::field("reason", "consulting.error.reason"))?;
    state
        .store
        .consultations()
        .withdraw(c.id, c.revision, reason, user.user_id, today())
        .await
        .map_err(store_problem)
}

/// Withdraws an engagement not yet reported (those who asked, the keepers of the pool).
#[utoipa::path(post, path = "/consultations/{id}/withdrawal", tag = "organisation",
    params(("id" = String, Path, description = "An engagement id")),
    request_body = WithdrawIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The assigned expert, who does not withdraw it", content_type = "application/problem+json"),
        (status = 404, description = "No such engagement that the user sees", content_type = "application/problem+json"),
        (status = 409, description = "Reported or withdrawn already", content_type = "application/problem+json"),
        (status = 422, description = "No reason, or one over 200 characters", content_type = "application/problem+json"),
    ))]
async fn withdraw_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let sent = json_body::<WithdrawIn>(&body)?;
    withdraw(&state, &user, &id, &sent.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// The pages

/// An engagement as the pages show it.
struct ConsultationView {
    id: i64,
    href: String,
    title: String,
    place: String,
    specialty: &'static str,
    status: &'static str,
    status_code: &'static str,
    requested_on: String,
    wanted_by: String,
    needs: String,
    /// Name and organisation.
    expert: String,
    assigned_on: String,
    report: Option<ReportView>,
    withdrawn_reason: String,
    closed_on: String,
}

struct ReportView {
    held_on: String,
    hours: u16,
    findings: String,
    recommendations: String,
}

fn specialty_label(ctx: &PageCtx, s: Specialty) -> &'static str {
    ctx.t(&format!("expert.specialty.{}", s.as_str()))
}

fn view(ctx: &PageCtx, c: &StoredConsultation) -> ConsultationView {
    let day = |d: Option<time::Date>| d.map(|d| format::date(d, ctx.lang)).unwrap_or_default();
    ConsultationView {
        id: c.id,
        href: format!("/work/consultations/{}", c.id),
        title: c.request.title.clone(),
        place: c.region_name.clone(),
        specialty: specialty_label(ctx, c.request.specialty),
        status: ctx.t(&format!("consulting.status.{}", c.status.as_str())),
        status_code: c.status.as_str(),
        requested_on: format::date(c.requested_on, ctx.lang),
        wanted_by: c.request.wanted_by.map_or_else(
            || ctx.t("consulting.wanted_by.any").to_owned(),
            |d| format::date(d, ctx.lang),
        ),
        needs: c.request.needs.clone(),
        expert: c
            .expert
            .as_ref()
            .map(|(_, name, org)| {
                if org.is_empty() {
                    name.clone()
                } else {
                    format!("{name} ({org})")
                }
            })
            .unwrap_or_default(),
        assigned_on: day(c.assigned_on),
        report: c.report.as_ref().map(|r| ReportView {
            held_on: format::date(r.held_on, ctx.lang),
            hours: r.hours,
            findings: r.findings.clone(),
            recommendations: r.recommendations.clone(),
        }),
        withdrawn_reason: c.withdrawn_reason.clone().unwrap_or_default(),
        closed_on: day(c.closed_on),
    }
}

/// The request form as typed.
#[derive(Debug, Default, Deserialize)]
struct RequestForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    specialty: String,
    #[serde(default)]
    needs: String,
    #[serde(default)]
    wanted_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "consulting/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<ConsultationView>,
    total: i64,
    pager: Pager,
    statuses: Vec<Choice>,
    /// The regions the user asks for; empty when they ask for none.
    asking: Vec<Choice>,
    specialties: Vec<Choice>,
    form: RequestForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    query: ConsultationQuery,
    form: RequestForm,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (items, total) = state
        .store
        .consultations()
        .find(query.filter(user)?, paging.offset(), paging.per_page)
        .await?;
    let rows = items.iter().map(|c| view(&ctx, c)).collect();
    let mut statuses = vec![Choice {
        value: String::new(),
        label: ctx.t("consulting.status.all").to_owned(),
        selected: query.status.as_deref().unwrap_or_default().is_empty(),
    }];
    statuses.extend(choices(
        &Status::ALL,
        "consulting.status",
        Status::as_str,
        &ctx,
        &[query.status.clone().unwrap_or_default()],
    ));
    let mut asking = Vec::new();
    for code in user.scopes(Permission::RequestConsulting) {
        if code.level() == Level::Nation {
            continue;
        }
        if let Some(r) = state.store.regions().get(&code).await? {
            asking.push(Choice {
                selected: form.region == r.region.code.as_str(),
                value: r.region.code.to_string(),
                label: r.region.full_name,
            });
        }
    }
    asking.sort_by(|a, b| a.value.cmp(&b.value));
    asking.dedup_by(|a, b| a.value == b.value);
    let specialties = choices(
        &Specialty::ALL,
        "expert.specialty",
        Specialty::as_str,
        &ctx,
        std::slice::from_ref(&form.specialty),
    );
    let base = query_string(&[("region", &query.region), ("status", &query.status)]);
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb_t("nav.workspace", Some("/work".into()))
        .crumb_t("consulting.title", None);
    Ok(ListPage {
        rows,
        total,
        pager: Pager::new(paging, total, base),
        statuses,
        asking,
        specialties,
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<ConsultationQuery>,
) -> Result<ListPage> {
    render_list(&state, ctx, &user, query, RequestForm::default(), None).await
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(f): Form<RequestForm>,
) -> Result<Response> {
    let sent = RequestIn {
        title: f.title.clone(),
        specialty: f.specialty.clone(),
        needs: f.needs.clone(),
        wanted_by: Some(f.wanted_by.clone()),
    };
    let outcome = match asking_region(&state, &user, &f.region).await {
        Ok(r) => create(&state, &user, &r, &sent)
            .await
            .map(|id| format!("/work/consultations/{id}")),
        // A region not offered on the form: say so beside the field.
        Err(p) if matches!(p.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) => {
            Err(Problem::field("region", "consulting.error.region"))
        }
        Err(p) => Err(p),
    };
    form_answer(outcome, |p| async move {
        render_list(
            &state,
            ctx,
            &user,
            ConsultationQuery::default(),
            f,
            Some(&p),
        )
        .await
    })
    .await
}

/// The forms of the engagement's page as typed.
#[derive(Debug, Default, Deserialize)]
struct StepForm {
    #[serde(default)]
    expert_id: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    recommendations: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "consulting/show.html")]
struct ShowPage {
    ctx: PageCtx,
    c: ConsultationView,
    /// The experts who fit, for a keeper while it can be assigned.
    experts: Option<Vec<Choice>>,
    /// The log-in name of the expert's account, shown to the keepers.
    expert_login: String,
    may_report: bool,
    may_withdraw: bool,
    /// The hours field's bounds.
    hours_attrs: String,
    form: StepForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_show(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    id: &str,
    form: StepForm,
    error: Option<&Problem>,
) -> Result<ShowPage> {
    let (c, standing) = seen(state, user, id).await?;
    let experts = if standing.may_assign(&c) {
        let region = RegionCode::parse(&c.region_code).map_err(|_| Problem::internal())?;
        let filter = ExpertFilter {
            specialty: Some(c.request.specialty),
            sido: region.sido(),
            available: true,
        };
        let (found, _) = state.store.experts().find(filter, 0, 100).await?;
        let chosen = if form.expert_id.is_empty() {
            c.expert
                .as_ref()
                .map(|e| e.0.to_string())
                .unwrap_or_default()
        } else {
            form.expert_id.clone()
        };
        Some(
            found
                .iter()
                .map(|e| Choice {
                    value: e.id.to_string(),
                    label: format!(
                        "{}{} · {}",
                        e.expert.name,
                        if e.expert.organisation.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", e.expert.organisation)
                        },
                        ctx.t(&format!(
                            "expert.availability.{}",
                            e.expert.availability.as_str()
                        ))
                    ),
                    selected: chosen == e.id.to_string(),
                })
                .collect(),
        )
    } else {
        None
    };
    let expert_login = match (standing.keeps, c.expert_user_id) {
        (true, Some(u)) => state
            .store
            .accounts()
            .login_of(u)
            .await?
            .unwrap_or_default(),
        _ => String::new(),
    };
    // Assigning another expert keeps the account unless it is changed.
    let mut form = form;
    if error.is_none() && form.login.is_empty() {
        form.login.clone_from(&expert_login);
    }
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb_t("nav.workspace", Some("/work".into()))
        .crumb_t("consulting.title", Some("/work/consultations".into()))
        .crumb(c.request.title.clone(), None);
    Ok(ShowPage {
        c: view(&ctx, &c),
        experts,
        expert_login,
        may_report: standing.may_report(&c),
        may_withdraw: standing.may_withdraw(&c),
        hours_attrs: format!("min=\"1\" max=\"{MAX_HOURS}\" required"),
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn show_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<ShowPage> {
    render_show(&state, ctx, &user, &id, StepForm::default(), None).await
}

/// Answers a step's form: back to the engagement, or its page again with the error.
async fn step_answer(
    state: AppState,
    ctx: PageCtx,
    user: Principal,
    id: String,
    form: StepForm,
    outcome: Result<()>,
) -> Result<Response> {
    let outcome = outcome.map(|()| format!("/work/consultations/{id}"));
    form_answer(outcome, |p| async move {
        render_show(&state, ctx, &user, &id, form, Some(&p)).await
    })
    .await
}

async fn assign_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response> {
    let outcome = match f.expert_id.parse::<i64>() {
        Ok(expert_id) => {
            let sent = AssignIn {
                expert_id,
                login: Some(f.login.clone()),
            };
            assign(&state, &user, &id, &sent).await
        }
        Err(_) => Err(Problem::field("expert_id", "consulting.error.expert")),
    };
    step_answer(state, ctx, user, id, f, outcome).await
}

async fn report_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response> {
    let outcome = match f.hours.trim().parse::<u16>() {
        Ok(hours) => {
            let sent = ConsultationReportIn {
                held_on: f.held_on.clone(),
                hours,
                findings: f.findings.clone(),
                recommendations: f.recommendations.clone(),
            };
            report(&state, &user, &id, &sent).await
        }
        Err(_) => Err(report_problem(ReportError::Hours)),
    };
    step_answer(state, ctx, user, id, f, outcome).await
}

async fn withdraw_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response> {
    let outcome = withdraw(&state, &user, &id, &f.reason).await;
    step_answer(state, ctx, user, id, f, outcome).await
}
