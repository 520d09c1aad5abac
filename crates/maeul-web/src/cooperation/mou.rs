//! 업무협약 — the MOUs of public-private cooperation: public to read (a region's list takes in
//! the regions below it), recorded by the officials of the scope. The API and the pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::cooperation::mou::{Kind, Mou, MouError};
use maeul_core::format;
use maeul_store::cooperation::mou::StoredMou;
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, choices, code_enum, form_answer, form_error};
use crate::paging::{Pager, Paging};
use crate::region::WithinPage;
use crate::welfare::today;
use crate::{AppState, record_id};

const RECORD: Access = Access::Allowed(Permission::RecordMous);

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(list_api))
        .api(Access::Public, routes!(show_api))
        .api(RECORD, routes!(create_api))
        .page("/r/{code}/mous", Access::Public, get(list))
        .page("/work/regions/{code}/mous", RECORD, post(create_form))
        .page("/mous/{id}", Access::Public, get(show))
}

fn rule_problem(e: MouError) -> Problem {
    let key = match e {
        MouError::Title => "mou.error.title",
        MouError::Parties => "mou.error.parties",
        MouError::Future => "mou.error.future",
        MouError::Ends => "mou.error.ends",
        MouError::Scope => "mou.error.scope",
    };
    Problem::field(e.field(), key)
}

fn kind_schema() -> utoipa::openapi::schema::Object {
    code_enum(Kind::ALL.iter().map(|k| k.as_str()))
}

/// Whether the user records the MOUs of a region (theirs or one within their scope).
fn records(user: Option<&Principal>, r: &StoredRegion) -> bool {
    user.is_some_and(|u| u.may_in(Permission::RecordMous, &r.path))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MouIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// `interministerial` (부처 간), `public_private` (민관) or `local_actors` (지역 주체 간).
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// The parties in the agreement's order: 2 to 30, each named once.
    #[schema(min_items = 2, max_items = 30)]
    pub parties: Vec<String>,
    /// `YYYY-MM-DD`, not after today.
    #[schema(example = "2026-03-20", format = Date)]
    pub signed_on: String,
    /// `YYYY-MM-DD`, after `signed_on`; left out (or empty) when it sets no end.
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    /// 협력 범위: what the parties agree to do together.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub scope: String,
}

impl MouIn {
    fn mou(&self) -> Result<Mou> {
        let kind = Kind::parse(&self.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
        let signed_on = day("signed_on", Some(&self.signed_on))?
            .ok_or_else(|| Problem::field("signed_on", "field.required"))?;
        let ends_on = day("ends_on", self.ends_on.as_deref())?;
        Mou::new(
            &self.title,
            kind,
            &self.parties,
            signed_on,
            ends_on,
            &self.scope,
            today(),
        )
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MouOut {
    pub id: i64,
    /// Where it is kept: the nation (`0000000000`), a si/do, a si/gun/gu or a place.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    pub parties: Vec<String>,
    pub signed_on: String,
    pub ends_on: Option<String>,
    /// Whether it runs today.
    pub in_force: bool,
    pub scope: String,
}

impl From<&StoredMou> for MouOut {
    fn from(s: &StoredMou) -> Self {
        let m = &s.mou;
        MouOut {
            id: s.id,
            region_code: s.region_code.clone(),
            region_name: s.region_name.clone(),
            title: m.title.clone(),
            kind: m.kind.as_str().to_owned(),
            parties: m.parties.clone(),
            signed_on: m.signed_on.to_string(),
            ends_on: m.ends_on.map(|d| d.to_string()),
            in_force: m.in_force(today()),
            scope: m.scope.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MouListOut {
    pub items: Vec<MouOut>,
    pub total: i64,
}

/// The MOUs kept at a region and the regions within it, newest signed first.
#[utoipa::path(get, path = "/mous", tag = "organisation", params(WithinPage),
    responses(
        (status = 200, body = MouListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "A region code or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Params(query): Params<WithinPage>,
) -> Result<Json<MouListOut>> {
    let (code, paging) = query.read()?;
    let (items, total) = state
        .store
        .mous()
        .within(&code, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(MouListOut {
        items: items.iter().map(MouOut::from).collect(),
        total,
    }))
}

async fn mou_of(state: &AppState, id: &str) -> Result<StoredMou> {
    state
        .store
        .mous()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// One MOU.
#[utoipa::path(get, path = "/mous/{id}", tag = "organisation",
    params(("id" = String, Path, description = "An MOU id")),
    responses(
        (status = 200, body = MouOut),
        (status = 404, description = "No such MOU", content_type = "application/problem+json"),
    ))]
async fn show_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<MouOut>> {
    Ok(Json(MouOut::from(&mou_of(&state, &id).await?)))
}

/// A region whose MOUs the user records (403 outside the scope).
async fn recorded_region(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if !records(Some(user), &r) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

async fn create(state: &AppState, user: &Principal, r: &StoredRegion, sent: &MouIn) -> Result<i64> {
    let mou = sent.mou()?;
    Ok(state
        .store
        .mous()
        .create(&r.region.code, mou, user.user_id)
        .await?)
}

/// Records an MOU made in a region.
#[utoipa::path(post, path = "/regions/{code}/mous", tag = "organisation",
    params(("code" = String, Path, description = "The region where it was made")),
    request_body = MouIn, security(("bearer" = [])),
    responses(
        (status = 201, body = MouOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not recording MOUs for this region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (fewer than two parties or one named twice, a day after today, an end before the signing); `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<MouOut>)> {
    let r = recorded_region(&state, &user, &code).await?;
    let sent = json_body::<MouIn>(&body)?;
    let id = create(&state, &user, &r, &sent).await?;
    let stored = mou_of(&state, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(MouOut::from(&stored))))
}

// ---------------------------------------------------------------------------------------
// Pages

/// An MOU as the pages show it.
struct MouView {
    href: String,
    title: String,
    kind: &'static str,
    parties: String,
    place: String,
    signed_on: String,
    ends_on: String,
    in_force: bool,
    scope: String,
}

fn view(ctx: &PageCtx, s: &StoredMou) -> MouView {
    let m = &s.mou;
    MouView {
        href: format!("/mous/{}", s.id),
        title: m.title.clone(),
        kind: ctx.t(&format!("mou.kind.{}", m.kind.as_str())),
        parties: m.parties.join(" · "),
        place: s.region_name.clone(),
        signed_on: format::date(m.signed_on, ctx.lang),
        ends_on: m.ends_on.map_or_else(
            || ctx.t("mou.open_ended").to_owned(),
            |d| format::date(d, ctx.lang),
        ),
        in_force: m.in_force(today()),
        scope: m.scope.clone(),
    }
}

/// The new-MOU form as typed: the parties one to a line.
#[derive(Debug, Default, Deserialize)]
struct MouForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parties: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    scope: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/mou_list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    name: String,
    rows: Vec<MouView>,
    total: i64,
    pager: Pager,
    may_record: bool,
    kinds: Vec<Choice>,
    form: MouForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    r: &StoredRegion,
    paging: Paging,
    form: MouForm,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let (items, total) = state
        .store
        .mous()
        .within(&r.region.code, paging.offset(), paging.per_page)
        .await?;
    let rows = items.iter().map(|s| view(&ctx, s)).collect();
    let kinds = choices(
        &Kind::ALL,
        "mou.kind",
        Kind::as_str,
        &ctx,
        std::slice::from_ref(&form.kind),
    );
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb_t("mou.title", None);
    Ok(ListPage {
        code: r.region.code.to_string(),
        name: r.region.full_name.clone(),
        rows,
        total,
        pager: Pager::new(paging, total, String::new()),
        may_record: records(ctx.user.as_ref(), r),
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
    let form = MouForm {
        kind: Kind::PublicPrivate.as_str().to_owned(),
        ..MouForm::default()
    };
    render_list(&state, ctx, &r, paging, form, None).await
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<MouForm>,
) -> Result<Response> {
    let r = recorded_region(&state, &user, &code).await?;
    let sent = MouIn {
        title: f.title.clone(),
        kind: f.kind.clone(),
        parties: f
            .parties
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        signed_on: f.signed_on.clone(),
        ends_on: Some(f.ends_on.clone()),
        scope: f.scope.clone(),
    };
    let outcome = create(&state, &user, &r, &sent)
        .await
        .map(|id| format!("/mous/{id}"));
    form_answer(outcome, |p| async move {
        render_list(&state, ctx, &r, Paging::first(), f, Some(&p)).await
    })
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/mou_show.html")]
struct ShowPage {
    ctx: PageCtx,
    m: MouView,
    list_href: String,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let s = mou_of(&state, &id).await?;
    let ctx = ctx
        .crumb(
            s.region_name.clone(),
            Some(crate::region::region_href(&s.region_code)),
        )
        .crumb_t("mou.title", Some(format!("/r/{}/mous", s.region_code)))
        .crumb(s.mou.title.clone(), None);
    Ok(ShowPage {
        m: view(&ctx, &s),
        list_href: format!("/r/{}/mous", s.region_code),
        ctx,
    }
    .into_response())
}
