//! 추진협의회 — the promotion council of a si/do or local government: its members and its
//! meetings with their decisions, public; kept by the programme staff of the scope and the
//! ministry. At the nation (`0000000000`) the same council is the national public-private
//! council (주민자치 민관협의회), kept by the ministry. The API and the page (one page: the
//! council, and the forms for those who keep it).

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::cooperation::promotion_council::{
    Affiliation, CouncilError, DecisionKind, Meeting, Member,
};
use maeul_core::format;
use maeul_core::region::Level;
use maeul_store::cooperation::promotion_council::{StoredMeeting, StoredMember};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{Choice, PageCtx, code_enum, form_answer, form_error};
use crate::paging::{Pager, Paging};
use crate::welfare::today;
use crate::{AppState, record_id};

const KEEP: Access = Access::Allowed(Permission::KeepPromotionCouncils);

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(council_api))
        .api(KEEP, routes!(add_member_api))
        .api(KEEP, routes!(departure_api))
        .api(KEEP, routes!(add_meeting_api))
        .page("/promotion-councils/{code}", Access::Public, get(page))
        .page(
            "/work/promotion-councils/{code}/members",
            KEEP,
            post(member_form),
        )
        .page(
            "/work/promotion-councils/{code}/meetings",
            KEEP,
            post(meeting_form),
        )
        .page(
            "/work/promotion-council-members/{id}/departure",
            KEEP,
            post(departure_form),
        )
}

fn rule_problem(e: CouncilError) -> Problem {
    let key = match e {
        CouncilError::Name { .. } => "promotion.error.name",
        CouncilError::Text { .. } => "promotion.error.text",
        CouncilError::EmptyDecision => "promotion.error.empty_decision",
        CouncilError::TooManyDecisions => "promotion.error.too_many_decisions",
        CouncilError::Attendance => "promotion.error.attendance",
    };
    Problem::field(e.field(), key)
}

/// The nation, a si/do or a si/gun/gu in use, which may have a promotion council (404 for a
/// place).
async fn government(state: &AppState, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    match r.region.level {
        Level::Nation | Level::Sido | Level::Sigungu => Ok(r),
        Level::Emd => Err(Problem::not_found()),
    }
}

/// The council's name: the national public-private council at the nation, the promotion
/// council elsewhere (a message key).
pub(crate) fn title_key(level: Level) -> &'static str {
    match level {
        Level::Nation => "promotion.national.title",
        _ => "promotion.title",
    }
}

/// A government whose council the user keeps (403 outside the scope).
async fn kept(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = government(state, code).await?;
    if !user.may_in(Permission::KeepPromotionCouncils, &r.path) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

/// A serving member the user keeps (404 otherwise).
async fn kept_member(state: &AppState, user: &Principal, id: &str) -> Result<StoredMember> {
    let m = state
        .store
        .promotion_councils()
        .member(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let r = government(state, &m.region_code).await?;
    if !user.may_in(Permission::KeepPromotionCouncils, &r.path) {
        return Err(Problem::not_found());
    }
    Ok(m)
}

fn affiliation_schema() -> utoipa::openapi::schema::Object {
    code_enum(Affiliation::ALL.iter().map(|a| a.as_str()))
}

fn decision_schema() -> utoipa::openapi::schema::Object {
    code_enum(DecisionKind::ALL.iter().map(|k| k.as_str()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PromotionMemberIn {
    #[schema(max_length = 100)]
    pub name: String,
    /// `sigungu_department`, `emd_department`, `resident_council`, `local_organisation`,
    /// `ministry`, `national_organisation` or `other`.
    #[schema(schema_with = affiliation_schema)]
    pub affiliation: String,
    /// The department, council or organisation.
    #[schema(max_length = 100)]
    pub organisation: String,
    #[serde(default)]
    pub chair: bool,
    /// `YYYY-MM-DD`; today when left out.
    pub joined_on: Option<String>,
}

impl PromotionMemberIn {
    fn member(&self) -> Result<Member> {
        let affiliation = Affiliation::parse(&self.affiliation)
            .ok_or_else(|| Problem::field("affiliation", "field.choice"))?;
        let joined = day("joined_on", self.joined_on.as_deref())?.unwrap_or_else(today);
        // The list shows who serves today: an appointment is recorded once it has begun.
        if joined > today() {
            return Err(Problem::field("joined_on", "promotion.error.future"));
        }
        Member::new(
            &self.name,
            affiliation,
            &self.organisation,
            self.chair,
            joined,
        )
        .map_err(rule_problem)
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PromotionDecisionIn {
    /// `ordinance`, `implementation_plan`, `resource_linkage` or `other`.
    #[schema(schema_with = decision_schema)]
    pub kind: String,
    #[schema(max_length = 20000)]
    pub summary: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PromotionMeetingIn {
    #[schema(max_length = 100)]
    pub title: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    #[schema(minimum = 1, maximum = 500)]
    pub attended: u32,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub minutes: String,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub decisions: Vec<PromotionDecisionIn>,
}

impl PromotionMeetingIn {
    fn meeting(&self) -> Result<Meeting> {
        let held_on = day("held_on", Some(&self.held_on))?
            .ok_or_else(|| Problem::field("held_on", "field.date"))?;
        let decisions = self
            .decisions
            .iter()
            .map(|d| {
                DecisionKind::parse(&d.kind)
                    .map(|k| (k, d.summary.clone()))
                    .ok_or_else(|| Problem::field("decisions", "field.choice"))
            })
            .collect::<Result<_>>()?;
        Meeting::new(
            &self.title,
            held_on,
            self.attended,
            &self.minutes,
            decisions,
        )
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionMemberOut {
    pub id: i64,
    pub name: String,
    pub affiliation: String,
    pub organisation: String,
    pub chair: bool,
    pub joined_on: String,
}

impl From<&StoredMember> for PromotionMemberOut {
    fn from(m: &StoredMember) -> Self {
        PromotionMemberOut {
            id: m.id,
            name: m.member.name.clone(),
            affiliation: m.member.affiliation.as_str().to_owned(),
            organisation: m.member.organisation.clone(),
            chair: m.member.chair,
            joined_on: m.member.joined_on.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionDecisionOut {
    pub kind: String,
    pub summary: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionMeetingOut {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub attended: u32,
    pub minutes: String,
    pub decisions: Vec<PromotionDecisionOut>,
}

impl From<&StoredMeeting> for PromotionMeetingOut {
    fn from(m: &StoredMeeting) -> Self {
        PromotionMeetingOut {
            id: m.id,
            title: m.meeting.title.clone(),
            held_on: m.meeting.held_on.to_string(),
            attended: m.meeting.attended,
            minutes: m.meeting.minutes.clone(),
            decisions: m
                .meeting
                .decisions
                .iter()
                .map(|d| PromotionDecisionOut {
                    kind: d.kind.as_str().to_owned(),
                    summary: d.summary.clone(),
                })
                .collect(),
        }
    }
}

/// A promotion council: its serving members and its latest meetings.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionCouncilOut {
    pub region_code: String,
    pub region_name: String,
    pub members: Vec<PromotionMemberOut>,
    /// A page of meetings (20 by default), newest first.
    pub meetings: Vec<PromotionMeetingOut>,
    pub meetings_total: i64,
}

async fn council_of(
    state: &AppState,
    r: &StoredRegion,
    paging: Paging,
) -> Result<(Vec<StoredMember>, Vec<StoredMeeting>, i64)> {
    let store = state.store.promotion_councils();
    let members = store.members(&r.region.code).await?;
    let (meetings, total) = store
        .meetings(&r.region.code, paging.offset(), paging.per_page)
        .await?;
    Ok((members, meetings, total))
}

/// Which page of meetings.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingPage {
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Meetings per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// The promotion council of a si/do or local government.
#[utoipa::path(get, path = "/regions/{code}/promotion-council", tag = "organisation",
    params(("code" = String, Path, description = "A si/do or si/gun/gu code"), MeetingPage),
    responses(
        (status = 200, body = PromotionCouncilOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "A page out of range; `errors` names it", content_type = "application/problem+json"),
        (status = 404, description = "No such si/do or si/gun/gu", content_type = "application/problem+json"),
    ))]
async fn council_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Params(query): Params<MeetingPage>,
) -> Result<Json<PromotionCouncilOut>> {
    no_empty_values(&[("page", &query.page), ("per_page", &query.per_page)])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let r = government(&state, &code).await?;
    let (members, meetings, total) = council_of(&state, &r, paging).await?;
    Ok(Json(PromotionCouncilOut {
        region_code: r.region.code.to_string(),
        region_name: r.region.full_name.clone(),
        members: members.iter().map(PromotionMemberOut::from).collect(),
        meetings: meetings.iter().map(PromotionMeetingOut::from).collect(),
        meetings_total: total,
    }))
}

/// Adds a member to a promotion council.
#[utoipa::path(post, path = "/regions/{code}/promotion-council-members", tag = "organisation",
    params(("code" = String, Path, description = "A si/do or si/gun/gu code")),
    request_body = PromotionMemberIn, security(("bearer" = [])),
    responses(
        (status = 201, body = PromotionMemberOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the government", content_type = "application/problem+json"),
        (status = 404, description = "No such si/do or si/gun/gu", content_type = "application/problem+json"),
        (status = 422, description = "A name, organisation, affiliation or day (none after today) is wrong; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn add_member_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<PromotionMemberOut>)> {
    let r = kept(&state, &user, &code).await?;
    let id = add_member(&state, &user, &r, &json_body::<PromotionMemberIn>(&body)?).await?;
    let m = state
        .store
        .promotion_councils()
        .member(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    Ok((StatusCode::CREATED, Json(PromotionMemberOut::from(&m))))
}

async fn add_member(
    state: &AppState,
    user: &Principal,
    r: &StoredRegion,
    sent: &PromotionMemberIn,
) -> Result<i64> {
    let member = sent.member()?;
    Ok(state
        .store
        .promotion_councils()
        .add_member(&r.region.code, member, user.user_id)
        .await?)
}

/// A member's departure.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PromotionDepartureIn {
    /// `YYYY-MM-DD`; today when left out.
    pub left_on: Option<String>,
}

/// Ends a membership; the member stays on record.
#[utoipa::path(post, path = "/promotion-council-members/{id}/departure", tag = "organisation",
    params(("id" = String, Path, description = "A member id")),
    request_body = PromotionDepartureIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "The membership ended"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such member within the user's scope", content_type = "application/problem+json"),
        (status = 409, description = "The membership had already ended", content_type = "application/problem+json"),
        (status = 422, description = "The day is not a day, comes before the member joined or after today", content_type = "application/problem+json"),
    ))]
async fn departure_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let m = kept_member(&state, &user, &id).await?;
    let sent = json_body::<PromotionDepartureIn>(&body)?;
    depart(&state, &m, sent.left_on.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn depart(state: &AppState, m: &StoredMember, left_on: Option<&str>) -> Result<()> {
    let on = day("left_on", left_on)?.unwrap_or_else(today);
    if on < m.member.joined_on {
        return Err(Problem::field(
            "left_on",
            "promotion.error.left_before_joined",
        ));
    }
    // A departure is recorded once it has happened, so that the list shows who serves today.
    if on > today() {
        return Err(Problem::field("left_on", "promotion.error.future"));
    }
    if !state
        .store
        .promotion_councils()
        .end_member(m.id, on)
        .await?
    {
        return Err(Problem::conflict_of(
            "membership-ended",
            "promotion.error.ended",
        ));
    }
    Ok(())
}

/// Records a meeting of a promotion council with its decisions.
#[utoipa::path(post, path = "/regions/{code}/promotion-council-meetings", tag = "organisation",
    params(("code" = String, Path, description = "A si/do or si/gun/gu code")),
    request_body = PromotionMeetingIn, security(("bearer" = [])),
    responses(
        (status = 201, body = PromotionMeetingOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the government", content_type = "application/problem+json"),
        (status = 404, description = "No such si/do or si/gun/gu", content_type = "application/problem+json"),
        (status = 422, description = "A title, day, attendance, minutes or decision is wrong; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn add_meeting_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<PromotionMeetingOut>)> {
    let r = kept(&state, &user, &code).await?;
    let meeting = json_body::<PromotionMeetingIn>(&body)?.meeting()?;
    let id = state
        .store
        .promotion_councils()
        .add_meeting(&r.region.code, meeting.clone(), user.user_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PromotionMeetingOut::from(&StoredMeeting { id, meeting })),
    ))
}

// ---------------------------------------------------------------------------------------
// The page

struct MemberView {
    id: i64,
    name: String,
    affiliation: &'static str,
    organisation: String,
    chair: bool,
    joined_on: String,
}

struct MeetingView {
    title: String,
    held_on: String,
    attended: u32,
    minutes: String,
    decisions: Vec<(&'static str, String)>,
}

/// Both forms as typed, so that a refused one comes back filled in.
#[derive(Debug, Default)]
struct Typed {
    name: String,
    affiliation: String,
    organisation: String,
    chair: bool,
    joined_on: String,
    title: String,
    held_on: String,
    attended: String,
    minutes: String,
    decision_kind: String,
    decision: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/promotion_council.html")]
struct CouncilPage {
    ctx: PageCtx,
    /// 추진협의회, or 주민자치 민관협의회 at the nation.
    title: &'static str,
    lead: &'static str,
    code: String,
    name: String,
    members: Vec<MemberView>,
    meetings: Vec<MeetingView>,
    meetings_total: i64,
    pager: Pager,
    may_keep: bool,
    affiliations: Vec<Choice>,
    decision_kinds: Vec<Choice>,
    form: Typed,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    r: &StoredRegion,
    paging: Paging,
    form: Typed,
    refused: &'static str,
    error: Option<&Problem>,
) -> Result<CouncilPage> {
    let (members, meetings, total) = council_of(state, r, paging).await?;
    let may_keep = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.may_in(Permission::KeepPromotionCouncils, &r.path));
    let affiliation = |a: Affiliation| ctx.t(&format!("promotion.affiliation.{}", a.as_str()));
    let decision = |k: DecisionKind| ctx.t(&format!("promotion.decision.{}", k.as_str()));
    let members = members
        .iter()
        .map(|m| MemberView {
            id: m.id,
            name: m.member.name.clone(),
            affiliation: affiliation(m.member.affiliation),
            organisation: m.member.organisation.clone(),
            chair: m.member.chair,
            joined_on: format::date(m.member.joined_on, ctx.lang),
        })
        .collect();
    let meetings = meetings
        .iter()
        .map(|m| MeetingView {
            title: m.meeting.title.clone(),
            held_on: format::date(m.meeting.held_on, ctx.lang),
            attended: m.meeting.attended,
            minutes: m.meeting.minutes.clone(),
            decisions: m
                .meeting
                .decisions
                .iter()
                .map(|d| (decision(d.kind), d.summary.clone()))
                .collect(),
        })
        .collect();
    let affiliations = Affiliation::ALL
        .iter()
        .map(|a| Choice {
            value: a.as_str().to_owned(),
            label: affiliation(*a).to_owned(),
            selected: a.as_str() == form.affiliation,
        })
        .collect();
    let decision_kinds = DecisionKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: decision(*k).to_owned(),
            selected: k.as_str() == form.decision_kind,
        })
        .collect();
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb_t(title_key(r.region.level), None);
    Ok(CouncilPage {
        title: ctx.t(title_key(r.region.level)),
        lead: ctx.t(match r.region.level {
            Level::Nation => "promotion.national.lead",
            _ => "promotion.lead",
        }),
        code: r.region.code.to_string(),
        name: r.region.full_name.clone(),
        members,
        meetings,
        meetings_total: total,
        pager: Pager::new(paging, total, String::new()),
        may_keep,
        affiliations,
        decision_kinds,
        form,
        refused,
        error_field,
        error_message,
        ctx,
    })
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<MeetingPage>,
) -> Result<Response> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let r = government(&state, &code).await?;
    Ok(render(&state, ctx, &r, paging, Typed::default(), "", None)
        .await?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    affiliation: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    chair: Option<String>,
    #[serde(default)]
    joined_on: String,
}

async fn member_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<MemberForm>,
) -> Result<Response> {
    let r = kept(&state, &user, &code).await?;
    let sent = PromotionMemberIn {
        name: f.name.clone(),
        affiliation: f.affiliation.clone(),
        organisation: f.organisation.clone(),
        chair: f.chair.is_some(),
        joined_on: Some(f.joined_on.clone()),
    };
    let outcome = add_member(&state, &user, &r, &sent)
        .await
        .map(|_| format!("/promotion-councils/{code}#members"));
    let typed = Typed {
        name: f.name,
        affiliation: f.affiliation,
        organisation: f.organisation,
        chair: f.chair.is_some(),
        joined_on: f.joined_on,
        ..Typed::default()
    };
    form_answer(outcome, |p| async move {
        render(&state, ctx, &r, Paging::first(), typed, "member", Some(&p)).await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
struct MeetingForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    attended: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    decision_kind: String,
    #[serde(default)]
    decision: String,
}

async fn meeting_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<MeetingForm>,
) -> Result<Response> {
    let r = kept(&state, &user, &code).await?;
    let outcome = async {
        let attended = f
            .attended
            .trim()
            .parse()
            .map_err(|_| Problem::field("attended", "promotion.error.attendance"))?;
        let decisions = match f.decision.trim() {
            "" => Vec::new(),
            summary => vec![PromotionDecisionIn {
                kind: f.decision_kind.clone(),
                summary: summary.to_owned(),
            }],
        };
        let sent = PromotionMeetingIn {
            title: f.title.clone(),
            held_on: f.held_on.clone(),
            attended,
            minutes: f.minutes.clone(),
            decisions,
        };
        let meeting = sent.meeting()?;
        state
            .store
            .promotion_councils()
            .add_meeting(&r.region.code, meeting, user.user_id)
            .await?;
        Ok(format!("/promotion-councils/{code}#meetings"))
    }
    .await;
    let typed = Typed {
        title: f.title,
        held_on: f.held_on,
        attended: f.attended,
        minutes: f.minutes,
        decision_kind: f.decision_kind,
        decision: f.decision,
        ..Typed::default()
    };
    form_answer(outcome, |p| async move {
        render(&state, ctx, &r, Paging::first(), typed, "meeting", Some(&p)).await
    })
    .await
}

async fn departure_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let m = kept_member(&state, &user, &id).await?;
    depart(&state, &m, None).await?;
    Ok(Redirect::to(&format!("/promotion-councils/{}#members", m.region_code)).into_response())
}
