//! 공론장 — forums and deliberation events: public to read (a region's list takes in the regions
//! below it); held by the officials of the scope, who see who signed up and record the outcome;
//! anyone signed in signs up while places are left. The API and the pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::format::{self, clock, parse_clock};
use maeul_core::forum::{Forum, ForumError, Kind, Outcome, OutcomeError, SignUpError};
use maeul_store::forum::{ForumStoreError, StoredForum};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, choices, code_enum, form_answer, form_error};
use crate::paging::{Pager, Paging};
use crate::region::WithinPage;
use crate::{AppState, record_id};

const RUN: Access = Access::Allowed(Permission::RunForums);

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(list_api))
        .api(Access::Public, routes!(show_api))
        .api(RUN, routes!(create_api))
        .api(RUN, routes!(outcome_api))
        .api(RUN, routes!(sign_ups_api))
        .api(Access::SignedIn, routes!(sign_up_api, cancel_api))
        .page("/r/{code}/forums", Access::Public, get(list))
        .page("/work/regions/{code}/forums", RUN, post(create_form))
        .page("/forums/{id}", Access::Public, get(show))
        .page(
            "/work/forums/{id}/sign-up",
            Access::SignedIn,
            post(sign_up_form),
        )
        .page(
            "/work/forums/{id}/cancel",
            Access::SignedIn,
            post(cancel_form),
        )
        .page("/work/forums/{id}/outcome", RUN, post(outcome_form))
}

/// Now, in Korean local time: events are announced in it.
fn now_local() -> PrimitiveDateTime {
    let t = time::OffsetDateTime::now_utc().to_offset(format::KST);
    PrimitiveDateTime::new(t.date(), t.time())
}

fn rule_problem(e: ForumError) -> Problem {
    let key = match e {
        ForumError::Title => "forum.error.title",
        ForumError::Topic => "forum.error.topic",
        ForumError::Venue => "forum.error.venue",
        ForumError::Capacity => "forum.error.capacity",
        ForumError::SupportedBy => "forum.error.supported_by",
    };
    Problem::field(e.field(), key)
}

fn outcome_problem(e: OutcomeError) -> Problem {
    match e {
        OutcomeError::Early => Problem::conflict_of("forum-not-started", "forum.error.early"),
        OutcomeError::Attendance => Problem::field(e.field(), "forum.error.attendance"),
        OutcomeError::Summary => Problem::field(e.field(), "forum.error.summary"),
        OutcomeError::Proposals => Problem::field(e.field(), "forum.error.proposals"),
    }
}

fn store_problem(e: ForumStoreError) -> Problem {
    match e {
        ForumStoreError::NotFound => Problem::not_found(),
        ForumStoreError::Closed(SignUpError::Full) => {
            Problem::conflict_of("forum-full", "forum.error.full")
        }
        ForumStoreError::Closed(SignUpError::Started) => {
            Problem::conflict_of("forum-started", "forum.error.started")
        }
        ForumStoreError::Store(e) => e.into(),
    }
}

fn kind_schema() -> utoipa::openapi::schema::Object {
    code_enum(Kind::ALL.iter().map(|k| k.as_str()))
}

/// Whether the user holds the events of the region `code`: their own scope only, as courses
/// are run — staff above a place see its events, never the names of those who signed up.
fn holds(user: Option<&Principal>, code: &str) -> bool {
    user.is_some_and(|u| {
        u.scopes(Permission::RunForums)
            .iter()
            .any(|s| s.as_str() == code)
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ForumIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// `forum` (포럼), `debate` (토론회), `roundtable` (원탁회의) or `deliberation`
    /// (공론조사·숙의토론).
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// The question and how the event runs.
    #[schema(min_length = 1, max_length = 8000)]
    pub topic: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "2026-12-05", format = Date)]
    pub held_on: String,
    /// Local time it starts, `HH:MM`.
    #[schema(example = "14:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub starts_at: String,
    #[schema(min_length = 1, max_length = 100)]
    pub venue: String,
    /// Places to sign up for, 1–10000; left out or null for no limit.
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<u32>,
    /// 지원 기관, if any.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub supported_by: String,
}

impl ForumIn {
    fn forum(&self) -> Result<Forum> {
        let kind = Kind::parse(&self.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
        let held_on = day("held_on", Some(&self.held_on))?
            .ok_or_else(|| Problem::field("held_on", "field.required"))?;
        let starts_at = parse_clock(&self.starts_at)
            .ok_or_else(|| Problem::field("starts_at", "forum.error.starts_at"))?;
        Forum::new(Forum {
            title: self.title.clone(),
            kind,
            topic: self.topic.clone(),
            held_on,
            starts_at,
            venue: self.venue.clone(),
            capacity: self.capacity,
            supported_by: self.supported_by.clone(),
        })
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForumOutcomeOut {
    pub attendance: u32,
    pub summary: String,
    pub proposals: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForumOut {
    pub id: i64,
    /// Where it is held: the nation (`0000000000`), a si/do, a si/gun/gu or a place.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    pub topic: String,
    pub held_on: String,
    /// `HH:MM`, local time.
    pub starts_at: String,
    pub venue: String,
    pub capacity: Option<u32>,
    /// Places taken.
    pub taken: u32,
    /// Whether one can still sign up (not started, not full).
    pub open: bool,
    pub supported_by: String,
    pub outcome: Option<ForumOutcomeOut>,
}

fn is_open(s: &StoredForum) -> bool {
    maeul_core::forum::may_sign_up(&s.forum, s.taken, now_local()).is_ok()
}

impl From<&StoredForum> for ForumOut {
    fn from(s: &StoredForum) -> Self {
        let f = &s.forum;
        ForumOut {
            id: s.id,
            region_code: s.region_code.clone(),
            region_name: s.region_name.clone(),
            title: f.title.clone(),
            kind: f.kind.as_str().to_owned(),
            topic: f.topic.clone(),
            held_on: f.held_on.to_string(),
            starts_at: clock(f.starts_at),
            venue: f.venue.clone(),
            capacity: f.capacity,
            taken: s.taken,
            open: is_open(s),
            supported_by: f.supported_by.clone(),
            outcome: s.outcome.as_ref().map(|o| ForumOutcomeOut {
                attendance: o.attendance,
                summary: o.summary.clone(),
                proposals: o.proposals.clone(),
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ForumListOut {
    pub items: Vec<ForumOut>,
    pub total: i64,
}

/// The events held by a region and the regions within it, latest first.
#[utoipa::path(get, path = "/forums", tag = "organisation", params(WithinPage),
    responses(
        (status = 200, body = ForumListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "A region code or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Params(query): Params<WithinPage>,
) -> Result<Json<ForumListOut>> {
    let (code, paging) = query.read()?;
    let (items, total) = state
        .store
        .forums()
        .within(&code, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(ForumListOut {
        items: items.iter().map(ForumOut::from).collect(),
        total,
    }))
}

async fn forum_of(state: &AppState, id: &str) -> Result<StoredForum> {
    state
        .store
        .forums()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// One event.
#[utoipa::path(get, path = "/forums/{id}", tag = "organisation",
    params(("id" = String, Path, description = "An event id")),
    responses(
        (status = 200, body = ForumOut),
        (status = 404, description = "No such event", content_type = "application/problem+json"),
    ))]
async fn show_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ForumOut>> {
    Ok(Json(ForumOut::from(&forum_of(&state, &id).await?)))
}

/// A region whose events the user holds (403 otherwise).
async fn held_region(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if !holds(Some(user), r.region.code.as_str()) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

/// An event the user holds (403 otherwise).
async fn held_forum(state: &AppState, user: &Principal, id: &str) -> Result<StoredForum> {
    let f = forum_of(state, id).await?;
    if !holds(Some(user), &f.region_code) {
        return Err(Problem::forbidden());
    }
    Ok(f)
}

async fn create(
    state: &AppState,
    user: &Principal,
    r: &StoredRegion,
    sent: &ForumIn,
) -> Result<i64> {
    let forum = sent.forum()?;
    Ok(state
        .store
        .forums()
        .create(&r.region.code, forum, user.user_id)
        .await?)
}

/// Announces an event held by a region.
#[utoipa::path(post, path = "/regions/{code}/forums", tag = "organisation",
    params(("code" = String, Path, description = "The region holding it")),
    request_body = ForumIn, security(("bearer" = [])),
    responses(
        (status = 201, body = ForumOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not holding events for this region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (no title, topic or venue, a time not HH:MM, places out of 1–10000); `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ForumOut>)> {
    let r = held_region(&state, &user, &code).await?;
    let sent = json_body::<ForumIn>(&body)?;
    let id = create(&state, &user, &r, &sent).await?;
    let stored = forum_of(&state, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(ForumOut::from(&stored))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ForumOutcomeIn {
    /// 참석 인원.
    #[schema(minimum = 0, maximum = 100000)]
    pub attendance: u32,
    /// 논의 결과.
    #[schema(min_length = 1, max_length = 8000)]
    pub summary: String,
    /// 제안 (e.g. agenda items for the assembly).
    #[serde(default)]
    #[schema(max_length = 8000)]
    pub proposals: String,
}

async fn record_outcome(
    state: &AppState,
    user: &Principal,
    id: &str,
    sent: &ForumOutcomeIn,
) -> Result<()> {
    let f = held_forum(state, user, id).await?;
    let o = Outcome::new(
        &f.forum,
        sent.attendance,
        &sent.summary,
        &sent.proposals,
        now_local(),
    )
    .map_err(outcome_problem)?;
    state
        .store
        .forums()
        .record_outcome(f.id, o, user.user_id)
        .await?
        .then_some(())
        .ok_or_else(Problem::not_found)
}

/// Records (or corrects) the outcome of an event once it has started.
#[utoipa::path(put, path = "/forums/{id}/outcome", tag = "organisation",
    params(("id" = String, Path, description = "An event id")),
    request_body = ForumOutcomeIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not holding this event", content_type = "application/problem+json"),
        (status = 404, description = "No such event", content_type = "application/problem+json"),
        (status = 409, description = "The event has not started", content_type = "application/problem+json"),
        (status = 422, description = "No summary, or a field out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn outcome_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let sent = json_body::<ForumOutcomeIn>(&body)?;
    record_outcome(&state, &user, &id, &sent).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignUpOut {
    pub name: String,
    /// When they signed up (RFC 3339).
    pub signed_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignUpListOut {
    pub items: Vec<SignUpOut>,
    pub total: usize,
}

/// Who signed up, in order (those holding the event).
#[utoipa::path(get, path = "/forums/{id}/sign-ups", tag = "organisation",
    params(("id" = String, Path, description = "An event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SignUpListOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not holding this event", content_type = "application/problem+json"),
        (status = 404, description = "No such event", content_type = "application/problem+json"),
    ))]
async fn sign_ups_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<SignUpListOut>> {
    let f = held_forum(&state, &user, &id).await?;
    let items: Vec<SignUpOut> = state
        .store
        .forums()
        .sign_ups(f.id)
        .await?
        .into_iter()
        .map(|s| SignUpOut {
            name: s.name,
            signed_at: crate::rfc3339(s.signed_at),
        })
        .collect();
    Ok(Json(SignUpListOut {
        total: items.len(),
        items,
    }))
}

/// Signs the caller up while places are left and it has not started; again changes nothing.
#[utoipa::path(put, path = "/forums/{id}/sign-up", tag = "organisation",
    params(("id" = String, Path, description = "An event id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed up"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 404, description = "No such event", content_type = "application/problem+json"),
        (status = 409, description = "Full (`forum-full`) or started (`forum-started`)", content_type = "application/problem+json"),
    ))]
async fn sign_up_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    state
        .store
        .forums()
        .sign_up(record_id(&id)?, user.user_id, now_local())
        .await
        .map_err(store_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes the caller's sign-up back before the start (nothing to take back changes nothing).
#[utoipa::path(delete, path = "/forums/{id}/sign-up", tag = "organisation",
    params(("id" = String, Path, description = "An event id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Not signed up now"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 404, description = "No such event", content_type = "application/problem+json"),
        (status = 409, description = "The event has started (`forum-started`)", content_type = "application/problem+json"),
    ))]
async fn cancel_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    state
        .store
        .forums()
        .cancel(record_id(&id)?, user.user_id, now_local())
        .await
        .map_err(store_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// Pages

/// An event as the pages show it.
struct ForumView {
    href: String,
    title: String,
    kind: &'static str,
    place: String,
    when: String,
    venue: String,
    /// `12 / 40명` or `12명`.
    places: String,
    open: bool,
    supported_by: String,
    topic: String,
    outcome: Option<Outcome>,
}

fn view(ctx: &PageCtx, s: &StoredForum) -> ForumView {
    let f = &s.forum;
    let taken = s.taken.to_string();
    ForumView {
        href: format!("/forums/{}", s.id),
        title: f.title.clone(),
        kind: ctx.t(&format!("forum.kind.{}", f.kind.as_str())),
        place: s.region_name.clone(),
        when: format!(
            "{} {}",
            format::date(f.held_on, ctx.lang),
            clock(f.starts_at)
        ),
        venue: f.venue.clone(),
        places: match f.capacity {
            Some(c) => ctx.tf(
                "forum.places.of",
                &[("n", taken.as_str()), ("capacity", c.to_string().as_str())],
            ),
            None => ctx.tf("forum.places.taken", &[("n", taken.as_str())]),
        },
        open: is_open(s),
        supported_by: f.supported_by.clone(),
        topic: f.topic.clone(),
        outcome: s.outcome.clone(),
    }
}

/// The new-event form as typed.
#[derive(Debug, Default, Deserialize)]
struct ForumForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    supported_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    name: String,
    rows: Vec<ForumView>,
    total: i64,
    pager: Pager,
    may_hold: bool,
    kinds: Vec<Choice>,
    form: ForumForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    r: &StoredRegion,
    paging: Paging,
    form: ForumForm,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let (items, total) = state
        .store
        .forums()
        .within(&r.region.code, paging.offset(), paging.per_page)
        .await?;
    let rows = items.iter().map(|s| view(&ctx, s)).collect();
    let kinds = choices(
        &Kind::ALL,
        "forum.kind",
        Kind::as_str,
        &ctx,
        std::slice::from_ref(&form.kind),
    );
    let (error_field, error_message) = form_error(&ctx, error);
    let may_hold = holds(ctx.user.as_ref(), r.region.code.as_str());
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb_t("forum.title", None);
    Ok(ListPage {
        code: r.region.code.to_string(),
        name: r.region.full_name.clone(),
        rows,
        total,
        pager: Pager::new(paging, total, String::new()),
        may_hold,
        kinds,
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<WithinPage>,
) -> Result<ListPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let r = crate::region::in_use(&state, &code).await?;
    let form = ForumForm {
        kind: Kind::Roundtable.as_str().to_owned(),
        ..ForumForm::default()
    };
    render_list(&state, ctx, &r, paging, form, None).await
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<ForumForm>,
) -> Result<Response> {
    let r = held_region(&state, &user, &code).await?;
    let capacity = match f.capacity.trim() {
        "" => Ok(None),
        n => n
            .parse::<u32>()
            .map(Some)
            .map_err(|_| rule_problem(ForumError::Capacity)),
    };
    let outcome = match capacity {
        Ok(capacity) => {
            let sent = ForumIn {
                title: f.title.clone(),
                kind: f.kind.clone(),
                topic: f.topic.clone(),
                held_on: f.held_on.clone(),
                starts_at: f.starts_at.clone(),
                venue: f.venue.clone(),
                capacity,
                supported_by: f.supported_by.clone(),
            };
            create(&state, &user, &r, &sent)
                .await
                .map(|id| format!("/forums/{id}"))
        }
        Err(p) => Err(p),
    };
    form_answer(outcome, |p| async move {
        render_list(&state, ctx, &r, Paging::first(), f, Some(&p)).await
    })
    .await
}

/// The outcome form as typed.
#[derive(Debug, Default, Deserialize)]
struct OutcomeForm {
    #[serde(default)]
    attendance: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    proposals: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    f: ForumView,
    list_href: String,
    /// Whether the signed-in user signed up; `None` when nobody is signed in.
    signed_up: Option<bool>,
    started: bool,
    /// Who signed up (name, when), for those holding it.
    sign_ups: Option<Vec<(String, String)>>,
    form: OutcomeForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_show(
    state: &AppState,
    ctx: PageCtx,
    id: &str,
    form: Option<OutcomeForm>,
    error: Option<&Problem>,
) -> Result<ShowPage> {
    let s = forum_of(state, id).await?;
    let user = ctx.user.clone();
    let signed_up = match &user {
        Some(u) => Some(state.store.forums().signed_up(s.id, u.user_id).await?),
        None => None,
    };
    let sign_ups = if holds(user.as_ref(), &s.region_code) {
        Some(
            state
                .store
                .forums()
                .sign_ups(s.id)
                .await?
                .into_iter()
                .map(|x| {
                    let at = time::OffsetDateTime::from_unix_timestamp(x.signed_at)
                        .map(|t| format::datetime(t, ctx.lang))
                        .unwrap_or_default();
                    (x.name, at)
                })
                .collect(),
        )
    } else {
        None
    };
    let form = form.unwrap_or_else(|| OutcomeForm {
        attendance: s
            .outcome
            .as_ref()
            .map(|o| o.attendance.to_string())
            .unwrap_or_default(),
        summary: s
            .outcome
            .as_ref()
            .map(|o| o.summary.clone())
            .unwrap_or_default(),
        proposals: s
            .outcome
            .as_ref()
            .map(|o| o.proposals.clone())
            .unwrap_or_default(),
    });
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb(
            s.region_name.clone(),
            Some(crate::region::region_href(&s.region_code)),
        )
        .crumb_t("forum.title", Some(format!("/r/{}/forums", s.region_code)))
        .crumb(s.forum.title.clone(), None);
    Ok(ShowPage {
        id: s.id,
        f: view(&ctx, &s),
        list_href: format!("/r/{}/forums", s.region_code),
        signed_up,
        started: s.forum.started(now_local()),
        sign_ups,
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    Ok(render_show(&state, ctx, &id, None, None)
        .await?
        .into_response())
}

/// Answers a form of the event's page: back to it, or the page again with the refusal.
async fn answer(
    state: AppState,
    ctx: PageCtx,
    id: String,
    form: Option<OutcomeForm>,
    outcome: Result<()>,
) -> Result<Response> {
    let outcome = outcome.map(|()| format!("/forums/{id}"));
    form_answer(outcome, |p| async move {
        render_show(&state, ctx, &id, form, Some(&p)).await
    })
    .await
}

async fn sign_up_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = match record_id(&id) {
        Ok(n) => state
            .store
            .forums()
            .sign_up(n, user.user_id, now_local())
            .await
            .map_err(store_problem),
        Err(p) => Err(p),
    };
    answer(state, ctx, id, None, outcome).await
}

async fn cancel_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = match record_id(&id) {
        Ok(n) => state
            .store
            .forums()
            .cancel(n, user.user_id, now_local())
            .await
            .map(|_| ())
            .map_err(store_problem),
        Err(p) => Err(p),
    };
    answer(state, ctx, id, None, outcome).await
}

async fn outcome_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<OutcomeForm>,
) -> Result<Response> {
    let outcome = match f.attendance.trim().parse::<u32>() {
        Ok(attendance) => {
            let sent = ForumOutcomeIn {
                attendance,
                summary: f.summary.clone(),
                proposals: f.proposals.clone(),
            };
            record_outcome(&state, &user, &id, &sent).await
        }
        Err(_) => Err(outcome_problem(OutcomeError::Attendance)),
    };
    answer(state, ctx, id, Some(f), outcome).await
}
