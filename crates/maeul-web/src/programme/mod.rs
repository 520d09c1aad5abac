//! 지역사업 — the programme catalogue: Korean full-text search with filters and facet counts
//! (public), each programme with its yearly versions (public), and editing by ministry
//! staff with every change kept. The API is here; the pages are in [`pages`].

mod cache;
mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::Permission;
use maeul_core::format::parse_day;
use maeul_core::programme::catalogue::{self, Programme, ProgrammeError, TargetUnit, Window};
use maeul_core::topic::Topic;
use maeul_search::catalogue::{Found, Hit, Piece, Search};
use maeul_store::programme::{Change, ProgrammeStoreError, Version};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, RequestContext, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::paging::Paging;
use crate::welfare::{day, today};
use crate::{AppState, Created, record_id, rfc3339};
pub use cache::CatalogueCache;

const EDIT: Access = Access::Allowed(Permission::EditCatalogue);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(search_api))
        .api(Access::Public, routes!(show_api))
        .api(Access::Public, routes!(match_api))
        .api(EDIT, routes!(create_api))
        .api(EDIT, routes!(put_api))
        .api(EDIT, routes!(history_api));
    pages::routes(r)
}

fn rule_problem(e: ProgrammeError) -> Problem {
    let key = match e {
        ProgrammeError::Required { .. } => "programme.error.required",
        ProgrammeError::TooLong { .. } => "programme.error.too_long",
        ProgrammeError::AmountOrder => "programme.error.amount_order",
        ProgrammeError::Amount => "programme.error.amount",
        ProgrammeError::Years => "programme.error.years",
        ProgrammeError::WindowOrder => "programme.error.window",
        ProgrammeError::Year => "programme.error.year",
    };
    Problem::field(e.field(), key)
}

fn store_problem(e: ProgrammeStoreError) -> Problem {
    match e {
        ProgrammeStoreError::NotFound
        | ProgrammeStoreError::UnknownId { .. }
        | ProgrammeStoreError::Twice { .. } => Problem::not_found(),
        ProgrammeStoreError::Store(e) => e.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Search

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words in Korean or English; `빈집` finds `빈집정비`. Absent lists the whole catalogue.
    #[param(max_length = 500, pattern = "\\S")]
    pub q: Option<String>,
    /// A ministry, exactly as the facet names it.
    #[param(max_length = 100, pattern = "\\S")]
    pub ministry: Option<String>,
    /// A target unit: `emd`, `village`, `sigungu`, `sido`, `group` or `enterprise`.
    #[param(pattern = "^(emd|village|sigungu|sido|group|enterprise)$")]
    pub target: Option<String>,
    /// A topic code (`housing`, `youth`, …).
    #[param(
        pattern = "^(care|housing|jobs|youth|ageing|safety|environment|culture|education|transport|local_economy|population_decline|community|other)$"
    )]
    pub topic: Option<String>,
    /// Programmes whose largest award is at least this many won.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub min_amount: Option<String>,
    /// `true`: only programmes taking applications today.
    #[param(pattern = "^(true|false)$")]
    pub open: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// The longest query, in characters.
const MAX_QUERY: usize = 500;

impl SearchQuery {
    pub(crate) fn search(&self, paging: Paging) -> Result<Search> {
        let some = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let text = some(&self.q).unwrap_or_default();
        if text.chars().count() > MAX_QUERY {
            return Err(Problem::field("q", "field.too_long"));
        }
        let ministry = some(&self.ministry);
        if ministry
            .as_ref()
            .is_some_and(|m| m.chars().count() > catalogue::MAX_MINISTRY)
        {
            return Err(Problem::field("ministry", "field.too_long"));
        }
        let target = match some(&self.target) {
            None => None,
            Some(t) => Some(
                TargetUnit::parse(&t).ok_or_else(|| Problem::field("target", "field.choice"))?,
            ),
        };
        let topic = match some(&self.topic) {
            None => None,
            Some(t) => {
                Some(Topic::parse(&t).ok_or_else(|| Problem::field("topic", "field.choice"))?)
            }
        };
        let min_amount = match some(&self.min_amount) {
            None => None,
            Some(a) => Some(
                a.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=catalogue::MAX_AMOUNT).contains(n))
                    .ok_or_else(|| Problem::field("min_amount", "field.number"))?,
            ),
        };
        let open_on = match some(&self.open).as_deref() {
            None | Some("false") => None,
            Some("true") => Some(today()),
            Some(_) => return Err(Problem::field("open", "field.choice")),
        };
        Ok(Search {
            text,
            ministry,
            target,
            topic,
            min_amount,
            open_on,
            offset: paging.offset() as usize,
            limit: paging.per_page as usize,
        })
    }
}

/// Text with the matched words in `<mark>`, HTML-escaped.
#[derive(Debug, Serialize, ToSchema)]
pub struct Highlight {
    pub name: String,
    pub summary: String,
}

/// HTML of highlighted pieces.
pub(crate) fn marked(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        let text = html_escape(&p.text);
        if p.hit {
            out.push_str("<mark>");
            out.push_str(&text);
            out.push_str("</mark>");
        } else {
            out.push_str(&text);
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn codes<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    items.iter().map(|i| code(*i).to_owned()).collect()
}

/// A programme found.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeHit {
    pub id: i64,
    /// The year of the entry (the programme's latest).
    pub year: i32,
    pub ministry: String,
    pub name: String,
    pub summary: String,
    /// The target as the notice writes it.
    pub target: String,
    pub target_units: Vec<String>,
    pub topics: Vec<String>,
    /// The largest award, in won, when known.
    pub amount_max: Option<i64>,
    /// Taking applications today.
    pub open: bool,
    /// BM25 relevance; 0 when the query is empty.
    pub score: f32,
    pub highlight: Highlight,
}

impl From<&Hit<'_>> for ProgrammeHit {
    fn from(h: &Hit) -> Self {
        let p = &h.entry.programme;
        ProgrammeHit {
            id: h.entry.id,
            year: h.entry.year,
            ministry: p.ministry.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            target: p.target.clone(),
            target_units: codes(&p.target_units, TargetUnit::as_str),
            topics: codes(&p.topics, Topic::as_str),
            amount_max: p.amount_max,
            open: p.open_on(today()),
            score: h.score,
            highlight: Highlight {
                name: marked(&h.name),
                summary: marked(&h.summary),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

/// Matches per value of each facet, counted with the other filters applied.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsOut {
    pub ministry: Vec<FacetCount>,
    pub target: Vec<FacetCount>,
    pub topic: Vec<FacetCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub items: Vec<ProgrammeHit>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub facets: FacetsOut,
}

impl SearchOut {
    fn new(found: &Found, paging: Paging) -> Self {
        let count = |value: String, n: usize| FacetCount {
            value,
            count: n as i64,
        };
        let f = &found.facets;
        SearchOut {
            items: found.hits.iter().map(ProgrammeHit::from).collect(),
            total: found.total as i64,
            page: paging.page,
            per_page: paging.per_page,
            facets: FacetsOut {
                ministry: f
                    .ministries
                    .iter()
                    .map(|(m, n)| count(m.clone(), *n))
                    .collect(),
                target: f
                    .targets
                    .iter()
                    .map(|(t, n)| count(t.as_str().into(), *n))
                    .collect(),
                topic: f
                    .topics
                    .iter()
                    .map(|(t, n)| count(t.as_str().into(), *n))
                    .collect(),
            },
        }
    }
}

/// Searches the catalogue: every ministry's programmes, in Korean without exact word forms.
#[utoipa::path(get, path = "/programmes", tag = "programmes", params(SearchQuery),
    responses(
        (status = 200, body = SearchOut),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 422, description = "A filter or paging parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn search_api(
    State(state): State<AppState>,
    Params(query): Params<SearchQuery>,
) -> Result<Json<SearchOut>> {
    no_empty_values(&[
        ("q", &query.q),
        ("ministry", &query.ministry),
        ("target", &query.target),
        ("topic", &query.topic),
        ("min_amount", &query.min_amount),
        ("open", &query.open),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let search = query.search(paging)?;
    let cached = cache::catalogue(&state).await?;
    let found = cached.search(&search).map_err(|_| Problem::internal())?;
    Ok(Json(SearchOut::new(&found, paging)))
}

// ---------------------------------------------------------------------------------------
// One programme

/// A programme's entry for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub year: i32,
    pub ministry: String,
    pub name: String,
    pub summary: String,
    pub target: String,
    pub target_units: Vec<String>,
    pub topics: Vec<String>,
    pub eligibility: String,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub years: Option<u8>,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    /// `rural`, `urban` or `any`, read from the programme's words.
    pub setting: String,
    pub open: bool,
    pub source: String,
    pub as_of: Option<String>,
}

impl EntryOut {
    fn new(year: i32, p: &Programme) -> Self {
        EntryOut {
            year,
            ministry: p.ministry.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            target: p.target.clone(),
            target_units: codes(&p.target_units, TargetUnit::as_str),
            topics: codes(&p.topics, Topic::as_str),
            eligibility: p.eligibility.clone(),
            amount_min: p.amount_min,
            amount_max: p.amount_max,
            years: p.years,
            opens_on: p.window.map(|w| day(w.opens)),
            closes_on: p.window.map(|w| day(w.closes)),
            setting: p.setting().as_str().into(),
            open: p.open_on(today()),
            source: p.source.clone(),
            as_of: p.as_of.map(day),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeOut {
    pub id: i64,
    /// Every year's entry, newest first; the first is the current one.
    pub versions: Vec<EntryOut>,
}

/// The versions of a programme, 404 when there is none.
pub(crate) async fn versions(state: &AppState, id: &str) -> Result<(i64, Vec<Version>)> {
    let id = record_id(id)?;
    let versions = state.store.programmes().versions(id).await?;
    if versions.is_empty() {
        return Err(Problem::not_found());
    }
    Ok((id, versions))
}

/// A programme with every year's entry.
#[utoipa::path(get, path = "/programmes/{id}", tag = "programmes", params(("id" = i64, Path)),
    responses(
        (status = 200, body = ProgrammeOut),
        (status = 404, description = "No such programme", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProgrammeOut>> {
    let (id, versions) = versions(&state, &id).await?;
    Ok(Json(ProgrammeOut {
        id,
        versions: versions
            .iter()
            .map(|v| EntryOut::new(v.year, &v.programme))
            .collect(),
    }))
}

// ---------------------------------------------------------------------------------------
// Editing (ministry staff)

/// An entry as sent. Units and topics left empty are read from the target and summary.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EntryIn {
    #[schema(
        example = "국토교통부",
        min_length = 1,
        max_length = 100,
        pattern = "\\S"
    )]
    pub ministry: String,
    #[schema(
        example = "주민참여형 소규모 도시재생",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub summary: String,
    #[serde(default)]
    #[schema(example = "읍·면·동 주민자치회", max_length = 200)]
    pub target: String,
    /// Codes: `emd`, `village`, `sigungu`, `sido`, `group`, `enterprise`.
    #[serde(default)]
    #[schema(schema_with = unit_codes)]
    pub target_units: Vec<String>,
    /// Topic codes.
    #[serde(default)]
    #[schema(schema_with = topic_codes)]
    pub topics: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub eligibility: String,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub amount_min: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100_000_000_000_000_i64)]
    pub amount_max: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 20)]
    pub years: Option<u8>,
    #[serde(default)]
    #[schema(example = "2026-03-02", format = Date)]
    pub opens_on: Option<String>,
    #[serde(default)]
    #[schema(example = "2026-04-30", format = Date)]
    pub closes_on: Option<String>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub source: String,
    #[serde(default)]
    #[schema(example = "2026-01-15", format = Date)]
    pub as_of: Option<String>,
}

/// A list of codes from a closed list, as the document shows it.
fn code_list(codes: impl Iterator<Item = &'static str>) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes.collect::<Vec<_>>())),
        )
        .build()
}

fn unit_codes() -> utoipa::openapi::schema::Array {
    code_list(TargetUnit::ALL.into_iter().map(TargetUnit::as_str))
}

fn topic_codes() -> utoipa::openapi::schema::Array {
    code_list(Topic::ALL.into_iter().map(Topic::as_str))
}

/// A day given or not; given, it must be one (an empty text is not).
fn optional_day(s: &Option<String>, field: &str) -> Result<Option<time::Date>> {
    match s.as_deref() {
        None => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| Problem::field(field, "field.date")),
    }
}

impl EntryIn {
    pub(crate) fn programme(self) -> Result<Programme> {
        let target_units = self
            .target_units
            .iter()
            .map(|u| {
                TargetUnit::parse(u).ok_or_else(|| Problem::field("target_units", "field.choice"))
            })
            .collect::<Result<Vec<_>>>()?;
        let topics = self
            .topics
            .iter()
            .map(|t| Topic::parse(t).ok_or_else(|| Problem::field("topics", "field.choice")))
            .collect::<Result<Vec<_>>>()?;
        let window = match (
            optional_day(&self.opens_on, "opens_on")?,
            optional_day(&self.closes_on, "closes_on")?,
        ) {
            (Some(opens), Some(closes)) => Some(Window { opens, closes }),
            (None, None) => None,
            (None, Some(_)) => return Err(Problem::field("opens_on", "field.required")),
            (Some(_), None) => return Err(Problem::field("closes_on", "field.required")),
        };
        Programme::new(Programme {
            ministry: self.ministry,
            name: self.name,
            summary: self.summary,
            target: self.target,
            target_units,
            eligibility: self.eligibility,
            amount_min: self.amount_min,
            amount_max: self.amount_max,
            years: self.years,
            window,
            topics,
            source: self.source,
            as_of: optional_day(&self.as_of, "as_of")?,
        })
        .map_err(rule_problem)
    }
}

/// A new programme and its first year's entry.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProgrammeIn {
    #[schema(example = 2026, minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[serde(flatten)]
    pub entry: EntryIn,
}

/// Ministry staff add a programme to the catalogue.
#[utoipa::path(post, path = "/catalogue-entries", tag = "programmes",
    request_body = NewProgrammeIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let input = json_body::<NewProgrammeIn>(&body)?;
    let year = catalogue::year(input.year).map_err(rule_problem)?;
    let programme = input.entry.programme()?;
    let id = state
        .store
        .programmes()
        .create(year, programme, user.user_id)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PutOut {
    /// False when the entry was already so.
    pub changed: bool,
}

/// Sets a programme's entry for a year: a correction of that year's, or a new year's version
/// (renamed, re-budgeted). The change is kept with who made it.
#[utoipa::path(put, path = "/programmes/{id}/versions/{year}", tag = "programmes",
    params(("id" = i64, Path), ("year" = i32, Path, minimum = 2000, maximum = 2100)),
    request_body = EntryIn, security(("bearer" = [])),
    responses(
        (status = 200, body = PutOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such programme", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn put_api(
    State(state): State<AppState>,
    User(user): User,
    Path((id, year)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<PutOut>> {
    let id = record_id(&id)?;
    let year = year
        .parse()
        .ok()
        .and_then(|y| catalogue::year(y).ok())
        .ok_or_else(|| Problem::field("year", "programme.error.year"))?;
    let programme = json_body::<EntryIn>(&body)?.programme()?;
    let changed = state
        .store
        .programmes()
        .put(id, year, programme, user.user_id)
        .await
        .map_err(store_problem)?;
    Ok(Json(PutOut { changed }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeChangeOut {
    pub id: i64,
    pub year: i32,
    /// `web`, or `import: FILE` for a file import.
    pub origin: String,
    pub changed_by: Option<String>,
    /// The entry before; none for a new version.
    pub before: Option<EntryOut>,
    pub after: EntryOut,
    pub changed_at: String,
}

impl From<&Change> for ProgrammeChangeOut {
    fn from(c: &Change) -> Self {
        ProgrammeChangeOut {
            id: c.id,
            year: c.year,
            origin: c.origin.clone(),
            changed_by: c.changed_by.clone(),
            before: c.before.as_ref().map(|p| EntryOut::new(c.year, p)),
            after: EntryOut::new(c.year, &c.after),
            changed_at: rfc3339(c.changed_at),
        }
    }
}

/// Every change of a programme, newest first.
#[utoipa::path(get, path = "/programmes/{id}/history", tag = "programmes",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = [ProgrammeChangeOut]),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not ministry staff", content_type = "application/problem+json"),
        (status = 404, description = "No such programme", content_type = "application/problem+json"),
    ))]
async fn history_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<ProgrammeChangeOut>>> {
    let (id, _) = versions(&state, &id).await?;
    let changes = state.store.programmes().history(id).await?;
    Ok(Json(changes.iter().map(ProgrammeChangeOut::from).collect()))
}

// ---------------------------------------------------------------------------------------
// Matching a text (an agenda item, a plan item, a problem in words) to programmes

/// A programme that may fit, with why, in the reader's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchItem {
    pub id: i64,
    pub name: String,
    pub ministry: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

/// The programmes that may fit a text for a place (any place when `place` is `None`), best
/// first, each with its reasons.
pub(crate) async fn fits(
    state: &AppState,
    lang: maeul_core::format::Lang,
    text: &str,
    place: Option<&maeul_store::region::StoredRegion>,
    limit: usize,
) -> Result<Vec<MatchItem>> {
    use maeul_core::programme::catalogue::Setting;
    use maeul_core::programme::matching::{self, Applicant};

    let t = |key: &str| crate::i18n::t(lang, key);
    let setting = place.map_or(Setting::Any, |p| matching::setting_of(p.region.kind));
    let cached = cache::catalogue(state).await?;
    let matched = cached
        .match_text(text, setting, limit)
        .map_err(|_| Problem::internal())?;
    Ok(matched
        .into_iter()
        .map(|m| {
            let p = &m.entry.programme;
            let mut reasons = Vec::new();
            if !m.terms.is_empty() {
                reasons.push(crate::i18n::tf(
                    lang,
                    "programme.reason.terms",
                    &[("words", &m.terms.join(", "))],
                ));
            }
            if !m.topics.is_empty() {
                let names: Vec<&str> = m
                    .topics
                    .iter()
                    .map(|x| t(&format!("topic.{}", x.as_str())))
                    .collect();
                reasons.push(crate::i18n::tf(
                    lang,
                    "programme.reason.topics",
                    &[("topics", &names.join(", "))],
                ));
            }
            if let Some(place) = place {
                let kind = t(&format!("region.kind.{}", place.region.kind.as_str()));
                match matching::setting_fits(setting, p) {
                    Some(true) => reasons.push(crate::i18n::tf(
                        lang,
                        "programme.reason.setting_fit",
                        &[("kind", kind)],
                    )),
                    Some(false) => reasons.push(crate::i18n::tf(
                        lang,
                        "programme.reason.setting_misfit",
                        &[("kind", kind)],
                    )),
                    None => {}
                }
            }
            match matching::applicant(p) {
                Applicant::Direct(unit) => reasons.push(crate::i18n::tf(
                    lang,
                    "programme.reason.direct",
                    &[("unit", t(&format!("programme.unit.{}", unit.as_str())))],
                )),
                Applicant::ThroughSigungu => reasons.push(t("programme.reason.sigungu").into()),
                Applicant::Other => {}
            }
            MatchItem {
                id: m.entry.id,
                name: p.name.clone(),
                ministry: p.ministry.clone(),
                score: m.score,
                reasons,
            }
        })
        .collect())
}

/// A text to match.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchIn {
    #[schema(
        example = "마을에 빈집이 늘어 청년이 살 수 있게 고쳤으면 합니다.",
        min_length = 1,
        max_length = 5000,
        pattern = "\\S"
    )]
    pub text: String,
    /// The eup/myeon/dong whose problem it is: a 읍 or 면 favours rural programmes, a 동
    /// urban ones.
    #[serde(default)]
    #[schema(example = "4672031000", pattern = "^[0-9]{8}00$")]
    pub region_code: Option<String>,
    /// How many programmes, 1–20 (5 by default).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 20)]
    pub limit: Option<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchOut {
    pub items: Vec<MatchItem>,
}

/// The longest text to match, in characters.
const MAX_MATCH_TEXT: usize = 5_000;

/// Programmes that may fit a local agenda item, a plan item or any text, ranked, each with
/// the reasons it matches (shared words and topics, the place's setting, who applies).
#[utoipa::path(post, path = "/programmes/match", tag = "programmes", request_body = MatchIn,
    responses(
        (status = 200, body = MatchOut),
        (status = 422, description = "A field is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn match_api(
    State(state): State<AppState>,
    req: RequestContext,
    body: Bytes,
) -> Result<Json<MatchOut>> {
    let input = json_body::<MatchIn>(&body)?;
    let text = input.text.trim();
    if text.is_empty() {
        return Err(Problem::field("text", "programme.error.required"));
    }
    if text.chars().count() > MAX_MATCH_TEXT {
        return Err(Problem::field("text", "programme.error.too_long"));
    }
    let limit = match input.limit {
        None => 5,
        Some(n @ 1..=20) => usize::from(n),
        Some(_) => return Err(Problem::field("limit", "field.number")),
    };
    let place = match &input.region_code {
        None => None,
        Some(code) => Some(
            crate::autonomy::council::emd(&state, code)
                .await
                .map_err(|_| Problem::field("region_code", "field.region_code"))?,
        ),
    };
    Ok(Json(MatchOut {
        items: fits(&state, req.lang, text, place.as_ref(), limit).await?,
    }))
}
