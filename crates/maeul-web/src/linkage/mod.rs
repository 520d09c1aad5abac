//! 지역사업 연계 — linking a place's agenda to a programme, step by step from candidate to
//! report, with owners, dates and documents; seen and kept by the council and autonomy staff of
//! the place and the programme staff above it. The API is here; the pages are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maeul_core::account::{Permission, Principal};
use maeul_core::format::parse_day;
use maeul_core::programme::linkage::{self as rules, LinkageError, MAX_DOCUMENT, Stage, Step};
use maeul_store::linkage::{Document, Linkage, LinkageStoreError, Start, StoredStep};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::emd;
use crate::error::{Problem, Result};
use crate::{AppState, Created, record_id, rfc3339};

const LINK: Access = Access::Allowed(Permission::LinkProgrammes);

pub fn routes(r: Routes) -> Routes {
    let (schemas, paths, upload) = routes!(upload_api);
    let upload = (
        schemas,
        paths,
        upload.layer(DefaultBodyLimit::max(MAX_DOCUMENT + 64 * 1024)),
    );
    let r = r
        .api(LINK, routes!(list_api))
        .api(LINK, routes!(start_api))
        .api(LINK, routes!(show_api))
        .api(LINK, routes!(step_api))
        .api(LINK, upload)
        .api(LINK, routes!(download_api));
    pages::routes(r)
}

pub(crate) fn linkage_problem(e: LinkageStoreError) -> Problem {
    match e {
        LinkageStoreError::NotFound => Problem::not_found(),
        LinkageStoreError::Elsewhere { field } => Problem::field(field, "linkage.error.elsewhere"),
        LinkageStoreError::Stage(_) => Problem::conflict_of("linkage-moved", "linkage.error.moved"),
        LinkageStoreError::Store(e) => e.into(),
    }
}

pub(crate) fn rule_problem(e: LinkageError) -> Problem {
    let key = match e {
        LinkageError::Title => "linkage.error.title",
        LinkageError::Owner => "linkage.error.owner",
        LinkageError::Note => "linkage.error.note",
        LinkageError::Transition { .. } => "linkage.error.transition",
        LinkageError::Amount => "linkage.error.amount",
        LinkageError::Due => "linkage.error.due",
        LinkageError::Document => "linkage.error.document",
    };
    Problem::field(e.field(), key)
}

/// The place of `code` when the user may link its agenda (403 otherwise).
pub(crate) async fn linking_place(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let place = emd(state, code).await?;
    if !user.may_in(Permission::LinkProgrammes, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

/// A linkage the user may see, with its place (404 otherwise, so that others' linkages are not
/// confirmed to exist).
pub(crate) async fn linkage(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<(Linkage, StoredRegion)> {
    let linkage = state
        .store
        .linkages()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = emd(state, &linkage.emd_code).await?;
    if !user.may_in(Permission::LinkProgrammes, &place.path) {
        return Err(Problem::not_found());
    }
    Ok((linkage, place))
}

/// The name of a programme as its latest entry gives it, with its ministry.
pub(crate) async fn programme_name(state: &AppState, id: i64) -> Result<(String, String)> {
    let versions = state.store.programmes().versions(id).await?;
    Ok(versions.first().map_or_else(
        || (String::new(), String::new()),
        |v| (v.programme.name.clone(), v.programme.ministry.clone()),
    ))
}

// ---------------------------------------------------------------------------------------
// Reading

/// A linkage as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageOut {
    pub id: i64,
    pub region_code: String,
    pub programme_id: i64,
    pub programme: String,
    pub ministry: String,
    pub plan_item_id: Option<i64>,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    /// `candidate`, `consultation`, `preparing`, `submitted`, `selected`, `not_selected`,
    /// `executing`, `reported` or `dropped`.
    pub stage: String,
    /// The stages it may move to next.
    pub next: Vec<String>,
    /// Who takes the next action.
    pub owner: String,
    /// The next deadline, `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub updated_at: String,
}

pub(crate) async fn linkage_out(state: &AppState, l: &Linkage) -> Result<LinkageOut> {
    let (programme, ministry) = programme_name(state, l.programme_id).await?;
    Ok(LinkageOut {
        id: l.id,
        region_code: l.emd_code.clone(),
        programme_id: l.programme_id,
        programme,
        ministry,
        plan_item_id: l.plan_item_id,
        agenda_item_id: l.agenda_item_id,
        title: l.title.clone(),
        stage: l.stage.as_str().to_owned(),
        next: l
            .stage
            .next()
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        owner: l.owner.clone(),
        due_on: l.due_on.map(crate::welfare::day),
        updated_at: rfc3339(l.updated_at),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageList {
    pub items: Vec<LinkageOut>,
}

/// The linkages of the places the user covers, latest change first (at most 200).
#[utoipa::path(get, path = "/linkages", tag = "programmes", security(("bearer" = [])),
    responses(
        (status = 200, body = LinkageList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff", content_type = "application/problem+json"),
    ))]
async fn list_api(State(state): State<AppState>, User(user): User) -> Result<Json<LinkageList>> {
    let list = state
        .store
        .linkages()
        .within(user.scopes(Permission::LinkProgrammes), 200)
        .await?;
    let mut items = Vec::with_capacity(list.len());
    for l in &list {
        items.push(linkage_out(&state, l).await?);
    }
    Ok(Json(LinkageList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageStepOut {
    pub stage: String,
    /// `YYYY-MM-DD`
    pub on: String,
    pub owner: String,
    pub note: String,
    pub due_on: Option<String>,
    /// Requested (submitted), awarded (selected) or spent (reported), in won.
    pub amount: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl From<&StoredStep> for LinkageStepOut {
    fn from(s: &StoredStep) -> Self {
        LinkageStepOut {
            stage: s.step.stage.as_str().to_owned(),
            on: crate::welfare::day(s.step.on),
            owner: s.step.owner.clone(),
            note: s.step.note.clone(),
            due_on: s.step.due_on.map(crate::welfare::day),
            amount: s.step.amount,
            recorded_by: s.recorded_by.clone(),
            recorded_at: rfc3339(s.recorded_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    /// The stage the linkage was at when it was filed.
    pub stage: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

impl From<&Document> for DocumentOut {
    fn from(d: &Document) -> Self {
        DocumentOut {
            id: d.id,
            stage: d.stage.as_str().to_owned(),
            name: d.name.clone(),
            content_type: d.content_type.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            uploaded_by: d.uploaded_by.clone(),
            uploaded_at: rfc3339(d.uploaded_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkageDetail {
    #[serde(flatten)]
    pub linkage: LinkageOut,
    pub steps: Vec<LinkageStepOut>,
    pub documents: Vec<DocumentOut>,
}

/// A linkage with its steps and documents.
#[utoipa::path(get, path = "/linkages/{id}", tag = "programmes", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LinkageDetail),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such linkage in the user's places", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<LinkageDetail>> {
    let (l, _) = linkage(&state, &user, &id).await?;
    let steps = state.store.linkages().steps(l.id).await?;
    let documents = state.store.linkages().documents(l.id).await?;
    Ok(Json(LinkageDetail {
        linkage: linkage_out(&state, &l).await?,
        steps: steps.iter().map(LinkageStepOut::from).collect(),
        documents: documents.iter().map(DocumentOut::from).collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Starting and moving on

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartIn {
    /// A programme of the catalogue.
    #[schema(minimum = 1)]
    pub programme_id: i64,
    /// What is to be funded, in the council's words.
    #[schema(
        example = "빈집을 고쳐 마을 사랑방으로",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub title: String,
    /// Who takes the next action (name and office).
    #[schema(
        example = "주민자치회 마을문화분과 이위원",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub owner: String,
    /// The autonomy-plan item of the place it funds.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub plan_item_id: Option<i64>,
    /// The agenda item of the place it grew from.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub agenda_item_id: Option<i64>,
}

/// Starts a linkage at the candidate stage.
pub(crate) async fn start(
    state: &AppState,
    user: &Principal,
    code: &str,
    input: StartIn,
) -> Result<i64> {
    let place = linking_place(state, user, code).await?;
    let start = Start {
        programme_id: input.programme_id,
        title: rules::title(&input.title).map_err(rule_problem)?,
        owner: rules::owner(&input.owner).map_err(rule_problem)?,
        plan_item_id: input.plan_item_id,
        agenda_item_id: input.agenda_item_id,
    };
    state
        .store
        .linkages()
        .start(
            &place.region.code,
            start,
            crate::welfare::today(),
            user.user_id,
        )
        .await
        .map_err(linkage_problem)
}

/// Starts linking a local agenda of the place to a programme.
#[utoipa::path(post, path = "/regions/{code}/linkages", tag = "programmes",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = StartIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong, or the programme, plan item or agenda item is unknown or another place's", content_type = "application/problem+json"),
    ))]
async fn start_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let id = start(&state, &user, &code, json_body::<StartIn>(&body)?).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

fn stage_code() -> utoipa::openapi::schema::Object {
    crate::page::code_enum(Stage::ALL.into_iter().skip(1).map(Stage::as_str))
}

fn any_stage_code() -> utoipa::openapi::schema::Object {
    crate::page::code_enum(Stage::ALL.into_iter().map(Stage::as_str))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkageStepIn {
    /// The stage the sender saw the linkage at: when it has moved on meanwhile, the step is
    /// refused (409 `linkage-moved`) instead of applied to a stage the sender did not see.
    #[serde(default)]
    #[schema(schema_with = any_stage_code, nullable = false)]
    pub from: Option<String>,
    /// The stage reached: one the linkage may move to (its `next`).
    #[schema(schema_with = stage_code)]
    pub stage: String,
    /// The day it happened, `YYYY-MM-DD`.
    #[schema(example = "2027-03-02", format = Date)]
    pub on: String,
    /// Who takes the next action.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub owner: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
    /// The next deadline, `YYYY-MM-DD`, not before `on`.
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    /// Requested (`submitted`), awarded (`selected`) or spent (`reported`), in won.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub amount: Option<i64>,
}

/// Records the next step of a linkage the user may see.
pub(crate) async fn step(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: LinkageStepIn,
) -> Result<()> {
    let (l, _) = linkage(state, user, id).await?;
    if let Some(from) = input.from.as_deref() {
        let from = Stage::parse(from)
            .filter(|s| s.as_str() == from)
            .ok_or_else(|| Problem::field("from", "field.choice"))?;
        if from != l.stage {
            return Err(Problem::conflict_of("linkage-moved", "linkage.error.moved"));
        }
    }
    let stage = Stage::parse(&input.stage)
        .filter(|s| s.as_str() == input.stage)
        .ok_or_else(|| Problem::field("stage", "field.choice"))?;
    let on = parse_day(&input.on).ok_or_else(|| Problem::field("on", "field.date"))?;
    let due_on = match input.due_on.as_deref() {
        None => None,
        Some(d) => Some(parse_day(d).ok_or_else(|| Problem::field("due_on", "field.date"))?),
    };
    let step = Step::new(
        l.stage,
        Step {
            stage,
            on,
            owner: input.owner,
            note: input.note,
            due_on,
            amount: input.amount,
        },
    )
    .map_err(|e| match e {
        LinkageError::Transition { .. } => {
            Problem::conflict_of("linkage-stage", "linkage.error.transition")
        }
        e => rule_problem(e),
    })?;
    state
        .store
        .linkages()
        .record(l.id, l.stage, step, user.user_id)
        .await
        .map_err(linkage_problem)
}

/// Records a step: the stage reached, when, who takes the next action, a note, the next
/// deadline and, when submitting, selected or reporting, the amount.
#[utoipa::path(post, path = "/linkages/{id}/steps", tag = "programmes", params(("id" = i64, Path)),
    request_body = LinkageStepIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded; the linkage is at the new stage"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such linkage in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The linkage cannot move to that stage from where it is", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (a date, the owner, an amount at a stage that takes none)", content_type = "application/problem+json"),
    ))]
async fn step_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    step(&state, &user, &id, json_body::<LinkageStepIn>(&body)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// Documents

/// Files a document under the linkage's current stage.
pub(crate) async fn upload(
    state: &AppState,
    user: &Principal,
    id: &str,
    name: &str,
    content_type: &str,
    content: Vec<u8>,
) -> Result<i64> {
    let (l, _) = linkage(state, user, id).await?;
    let name = rules::document_name(name, content.len()).map_err(rule_problem)?;
    // The media type without its parameters, when it is one; else plain bytes.
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let token = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    let content_type = match essence.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => essence,
        _ => "application/octet-stream".to_owned(),
    };
    state
        .store
        .linkages()
        .add_document(l.id, name, content_type, content, user.user_id)
        .await
        .map_err(linkage_problem)
}

/// A document's bytes, as they are.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct DocumentBody(#[allow(dead_code)] Vec<u8>);

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name, as it will be downloaded.
    #[param(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
}

/// Files a document (the request body, as it is) under the linkage's current stage; at most
/// 10 MiB.
#[utoipa::path(post, path = "/linkages/{id}/documents", tag = "programmes",
    params(("id" = i64, Path), UploadQuery),
    request_body(content = DocumentBody, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 400, description = "No `name` in the address", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such linkage in the user's places", content_type = "application/problem+json"),
        (status = 413, description = "Larger than 10 MiB", content_type = "application/problem+json"),
        (status = 422, description = "No name, or an empty file", content_type = "application/problem+json"),
    ))]
async fn upload_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let id = upload(&state, &user, &id, &query.name, content_type, body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A document as a download: never shown inline, so that no uploaded page runs in ours.
pub(crate) async fn download(
    state: &AppState,
    user: &Principal,
    id: &str,
    document: &str,
) -> Result<Response> {
    let (l, _) = linkage(state, user, id).await?;
    let (name, _, content) = state
        .store
        .linkages()
        .document(l.id, record_id(document)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let mut res = content.into_response();
    let headers = res.headers_mut();
    // Always bytes to save (the name tells the computer what opens it), never a page.
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"document-{document}\"; filename*=UTF-8''{}",
            crate::page::utf8_percent(&name)
        ))
        .map_err(|_| Problem::internal())?,
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}

/// Downloads a document of a linkage.
#[utoipa::path(get, path = "/linkages/{id}/documents/{document}", tag = "programmes",
    params(("id" = i64, Path), ("document" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, description = "The document, as an attachment", content_type = "application/octet-stream"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council member, officer, autonomy or programme staff", content_type = "application/problem+json"),
        (status = 404, description = "No such linkage or document in the user's places", content_type = "application/problem+json"),
    ))]
async fn download_api(
    State(state): State<AppState>,
    User(user): User,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response> {
    download(&state, &user, &id, &document).await
}
