//! 안내서 — the programme's guides: public to read and search, written and revised by the
//! ministry, linked from the pages they explain. The API here; the pages in `pages`.

mod pages;

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::guide::{self, Guide, GuideError, Slug, Subject};
use maeul_search::guide::{GuideDoc, GuideHit, GuideIndex};
use maeul_store::guide::{GuideRevision, GuideStoreError, StoredGuide};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::cache::Rebuilt;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::code_enum;
use crate::programme::marked;
use crate::{AppState, rfc3339};

const EDIT: Access = Access::Allowed(Permission::EditGuides);

pub type GuideCache = Rebuilt<GuideIndex>;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(search_api))
        .api(EDIT, routes!(create_api))
        .api(Access::Public, routes!(show_api))
        .api(EDIT, routes!(update_api))
        .api(EDIT, routes!(history_api))
        .api(EDIT, routes!(version_api));
    pages::routes(r)
}

fn rule_problem(e: GuideError) -> Problem {
    let key = match e {
        GuideError::Slug => "guide.error.slug",
        GuideError::Title => "guide.error.title",
        GuideError::Summary => "guide.error.summary",
        GuideError::Body => "guide.error.body",
        GuideError::Html { .. } => "guide.error.html",
        GuideError::Image { .. } => "guide.error.image",
        GuideError::Link { .. } => "guide.error.link",
        GuideError::Control { .. } => "guide.error.control",
    };
    let p = Problem::field(e.field(), key);
    // The body's line, as a number (as the other line-numbered refusals give it).
    match e.line() {
        Some(line) => p.with_detail(line.to_string()),
        None => p,
    }
}

fn store_problem(e: GuideStoreError) -> Problem {
    match e {
        GuideStoreError::Taken => Problem::conflict_of("guide-exists", "guide.error.taken")
            .and_field("slug", "guide.error.taken"),
        GuideStoreError::NotFound => Problem::not_found(),
        GuideStoreError::Stale => Problem::conflict_of("guide-changed", "guide.error.stale"),
        GuideStoreError::Store(e) => e.into(),
    }
}

/// A guide's name from the path: anything but a guide's name is no such guide (404).
fn slug_of(s: &str) -> Result<Slug> {
    Slug::parse(s).map_err(|_| Problem::not_found())
}

async fn stored(state: &AppState, slug: &str) -> Result<StoredGuide> {
    state
        .store
        .guides()
        .get(&slug_of(slug)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// The index of the guides as they stand now.
pub(crate) async fn index(state: &AppState) -> Result<Arc<GuideIndex>> {
    let guides = state.store.guides();
    state
        .guides
        .get(
            || async { Ok(guides.changed().await?) },
            || async { Ok(guides.all().await?) },
            |all| {
                let docs = all
                    .into_iter()
                    .map(|g| GuideDoc {
                        slug: g.slug.to_string(),
                        subject: g.guide.subject,
                        text: guide::plain(&g.guide.body),
                        title: g.guide.title,
                        summary: g.guide.summary,
                    })
                    .collect();
                GuideIndex::build(docs).map_err(|e| {
                    tracing::error!(error = %e, "guide index");
                    Problem::internal()
                })
            },
        )
        .await
}

/// A link to a guide, for the pages it explains.
pub(crate) struct GuideLink {
    pub title: String,
    pub href: String,
}

/// The guides on a subject, for a page of that subject to link to (none when the index
/// cannot be read: a page does not fail for want of its guide links).
pub(crate) async fn links(state: &AppState, subject: Subject) -> Vec<GuideLink> {
    match index(state).await {
        Ok(ix) => ix
            .docs()
            .iter()
            .filter(|d| d.subject == subject)
            .map(|d| GuideLink {
                title: d.title.clone(),
                href: format!("/guides/{}", d.slug),
            })
            .collect(),
        Err(e) => {
            tracing::warn!(status = %e.status, kind = e.kind, "guide links left out");
            Vec::new()
        }
    }
}

fn subject_schema() -> utoipa::openapi::schema::Object {
    code_enum(Subject::ALL.iter().map(|s| s.as_str()))
}

fn subject_of(s: &str) -> Result<Subject> {
    Subject::parse(s).ok_or_else(|| Problem::field("subject", "field.choice"))
}

/// What to look for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuideQuery {
    /// Words to look for in the titles, summaries and bodies; every guide when left out.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only guides on this subject.
    #[param(value_type = Option<String>, schema_with = subject_schema)]
    pub subject: Option<String>,
}

impl GuideQuery {
    /// The words and the subject. The API refuses an empty subject (leave it out); the page's
    /// "every subject" sends one, and [`GuideQuery::on_page`] takes it away first.
    fn parts(&self) -> Result<(&str, Option<Subject>)> {
        no_empty_values(&[("subject", &self.subject)])?;
        let q = self.q.as_deref().unwrap_or("").trim();
        if q.chars().count() > 200 {
            return Err(Problem::field("q", "field.too_long"));
        }
        let subject = self.subject.as_deref().map(subject_of).transpose()?;
        Ok((q, subject))
    }

    fn on_page(mut self) -> Self {
        self.subject = self.subject.filter(|s| !s.is_empty());
        self
    }
}

/// The words of the query marked in a found guide, as HTML (`<mark>` around each match, the
/// rest escaped).
#[derive(Debug, Serialize, ToSchema)]
pub struct GuideHighlight {
    pub title: String,
    /// Around the first match in the body (or the summary), cut to about 160 characters.
    pub snippet: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuideHitOut {
    pub slug: String,
    #[schema(schema_with = subject_schema)]
    pub subject: String,
    pub title: String,
    pub summary: String,
    pub highlight: GuideHighlight,
}

impl From<&GuideHit<'_>> for GuideHitOut {
    fn from(h: &GuideHit) -> Self {
        GuideHitOut {
            slug: h.doc.slug.clone(),
            subject: h.doc.subject.as_str().to_owned(),
            title: h.doc.title.clone(),
            summary: h.doc.summary.clone(),
            highlight: GuideHighlight {
                title: marked(&h.title),
                snippet: marked(&h.snippet),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuideListOut {
    /// Best match first; by subject and title when no words are given.
    pub guides: Vec<GuideHitOut>,
}

/// Searches the guides.
#[utoipa::path(get, path = "/guides", tag = "guides", params(GuideQuery),
    responses(
        (status = 200, body = GuideListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "An unknown subject or words too long", content_type = "application/problem+json"),
    ))]
async fn search_api(
    State(state): State<AppState>,
    Params(query): Params<GuideQuery>,
) -> Result<Json<GuideListOut>> {
    let (q, subject) = query.parts()?;
    let ix = index(&state).await?;
    let hits = ix.search(q, subject).map_err(|_| Problem::internal())?;
    Ok(Json(GuideListOut {
        guides: hits.iter().map(GuideHitOut::from).collect(),
    }))
}

/// A chapter or section of a guide.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuideHeadingOut {
    /// The anchor in `html`.
    pub id: String,
    pub text: String,
    /// 1 for a chapter, 2 for a section.
    pub depth: u8,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuideOut {
    pub slug: String,
    #[schema(schema_with = subject_schema)]
    pub subject: String,
    pub title: String,
    pub summary: String,
    /// Markdown, as written.
    pub body: String,
    /// The body as HTML (the shallowest heading an `h2`, each with its anchor; no raw HTML,
    /// images or script).
    pub html: String,
    pub contents: Vec<GuideHeadingOut>,
    /// 1 for the first version; send it back with a change.
    pub revision: i64,
    pub updated_at: String,
}

impl From<&StoredGuide> for GuideOut {
    fn from(g: &StoredGuide) -> Self {
        let r = guide::render(&g.guide.body);
        GuideOut {
            slug: g.slug.to_string(),
            subject: g.guide.subject.as_str().to_owned(),
            title: g.guide.title.clone(),
            summary: g.guide.summary.clone(),
            body: g.guide.body.clone(),
            html: r.html,
            contents: r
                .contents
                .into_iter()
                .map(|h| GuideHeadingOut {
                    id: h.id,
                    text: h.text,
                    depth: h.depth,
                })
                .collect(),
            revision: g.revision,
            updated_at: rfc3339(g.updated_at),
        }
    }
}

/// A guide.
#[utoipa::path(get, path = "/guides/{slug}", tag = "guides",
    params(("slug" = String, Path, description = "The guide's name")),
    responses(
        (status = 200, body = GuideOut),
        (status = 404, description = "No such guide", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<GuideOut>> {
    Ok(Json(GuideOut::from(&stored(&state, &slug).await?)))
}

/// A guide's text as written.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GuideText {
    #[schema(schema_with = subject_schema)]
    pub subject: String,
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub summary: String,
    /// Markdown (CommonMark with tables); no raw HTML or images; links to this site, anchors,
    /// http(s) or mailto.
    #[schema(min_length = 1, max_length = 100000)]
    pub body: String,
}

impl GuideText {
    fn guide(&self) -> Result<Guide> {
        let subject = subject_of(&self.subject)?;
        Guide::new(&self.title, subject, &self.summary, &self.body).map_err(rule_problem)
    }
}

/// A new guide.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GuideNewIn {
    /// 2–60 lower-case letters, digits and inner hyphens, starting with a letter (not `new`):
    /// its address, for good.
    #[schema(min_length = 2, max_length = 60, pattern = "^[a-z][a-z0-9-]*[a-z0-9]$")]
    pub slug: String,
    #[serde(flatten)]
    pub text: GuideText,
}

/// A new version of a guide.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GuideRevisionIn {
    #[serde(flatten)]
    pub text: GuideText,
    /// The revision the change was made over (409 when someone saved since).
    #[schema(minimum = 1)]
    pub revision: i64,
}

/// Writes a new guide; the address it is at.
async fn create(state: &AppState, user: &Principal, slug: &str, text: &GuideText) -> Result<Slug> {
    let slug = Slug::parse(slug.trim()).map_err(rule_problem)?;
    let g = text.guide()?;
    state
        .store
        .guides()
        .create(&slug, g, user.user_id)
        .await
        .map_err(store_problem)?;
    Ok(slug)
}

/// Saves a new version of a guide over the revision the editor read.
async fn update(
    state: &AppState,
    user: &Principal,
    slug: &Slug,
    text: &GuideText,
    revision: Option<i64>,
) -> Result<()> {
    let g = text.guide()?;
    let revision = revision
        .filter(|r| *r > 0)
        .ok_or_else(|| Problem::field("revision", "guide.error.revision"))?;
    state
        .store
        .guides()
        .update(slug, g, revision, user.user_id)
        .await
        .map_err(store_problem)
}

/// Writes a new guide.
#[utoipa::path(post, path = "/guide-entries", tag = "guides", request_body = GuideNewIn,
    security(("bearer" = [])),
    responses(
        (status = 201, body = GuideOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 409, description = "A guide of that name exists", content_type = "application/problem+json"),
        (status = 422, description = "A name, subject, title, summary or body is wrong (`detail` gives the body's line); `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<GuideOut>)> {
    let sent = json_body::<GuideNewIn>(&body)?;
    let slug = create(&state, &user, &sent.slug, &sent.text).await?;
    let g = stored(&state, slug.as_str()).await?;
    Ok((StatusCode::CREATED, Json(GuideOut::from(&g))))
}

/// Revises a guide.
#[utoipa::path(put, path = "/guide-entries/{slug}", tag = "guides", request_body = GuideRevisionIn,
    params(("slug" = String, Path, description = "The guide's name")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = GuideOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such guide", content_type = "application/problem+json"),
        (status = 409, description = "Someone saved the guide since the revision sent", content_type = "application/problem+json"),
        (status = 422, description = "A subject, title, summary, body or revision is wrong (`detail` gives the body's line); `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Json<GuideOut>> {
    let slug = slug_of(&slug)?;
    let sent = json_body::<GuideRevisionIn>(&body)?;
    update(&state, &user, &slug, &sent.text, Some(sent.revision)).await?;
    Ok(Json(GuideOut::from(&stored(&state, slug.as_str()).await?)))
}

/// One version of a guide.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuideRevisionOut {
    pub revision: i64,
    pub title: String,
    /// `shipped` (with maeul), `web` (the page or the API) or `import` (`maeul guide import`).
    pub source: String,
    /// Who saved it on the web or the API.
    pub editor: Option<String>,
    pub edited_at: String,
}

impl From<&GuideRevision> for GuideRevisionOut {
    fn from(r: &GuideRevision) -> Self {
        GuideRevisionOut {
            revision: r.revision,
            title: r.title.clone(),
            source: r.source.clone(),
            editor: r.editor.clone(),
            edited_at: rfc3339(r.edited_at),
        }
    }
}

/// Every version of a guide, newest first.
#[utoipa::path(get, path = "/guides/{slug}/revisions", tag = "guides",
    params(("slug" = String, Path, description = "The guide's name")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<GuideRevisionOut>),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such guide", content_type = "application/problem+json"),
    ))]
async fn history_api(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<GuideRevisionOut>>> {
    let g = stored(&state, &slug).await?;
    let history = state.store.guides().history(&g.slug).await?;
    Ok(Json(history.iter().map(GuideRevisionOut::from).collect()))
}

/// One version of a guide as it was written.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuideVersionOut {
    pub revision: i64,
    #[schema(schema_with = subject_schema)]
    pub subject: String,
    pub title: String,
    pub summary: String,
    /// Markdown, as written then.
    pub body: String,
    /// The body as HTML, as [`GuideOut::html`].
    pub html: String,
    /// `shipped`, `web` or `import`.
    pub source: String,
    pub editor: Option<String>,
    pub edited_at: String,
}

/// One version of a guide, to compare or to restore (send its body back as a revision).
#[utoipa::path(get, path = "/guides/{slug}/revisions/{revision}", tag = "guides",
    params(
        ("slug" = String, Path, description = "The guide's name"),
        ("revision" = i64, Path, description = "The revision, from 1"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, body = GuideVersionOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such guide or revision", content_type = "application/problem+json"),
    ))]
async fn version_api(
    State(state): State<AppState>,
    Path((slug, revision)): Path<(String, String)>,
) -> Result<Json<GuideVersionOut>> {
    let g = stored(&state, &slug).await?;
    let (r, text) = state
        .store
        .guides()
        .revision(&g.slug, crate::record_id(&revision)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    Ok(Json(GuideVersionOut {
        revision: r.revision,
        subject: text.subject.as_str().to_owned(),
        html: guide::render(&text.body).html,
        title: text.title,
        summary: text.summary,
        body: text.body,
        source: r.source,
        editor: r.editor,
        edited_at: rfc3339(r.edited_at),
    }))
}
