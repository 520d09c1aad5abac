//! Pages of the catalogue: the search with its filters and facet counts (and its XLSX), one
//! programme with its years, the residents' sourcebook (자료집) by the problems they name,
//! printable, and the ministry's forms to add and edit entries with their history.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maeul_core::account::Permission;
use maeul_core::format::{self, Lang, parse_won};
use maeul_core::programme::catalogue::{Programme, TargetUnit};
use maeul_core::programme::file;
use maeul_core::topic::Topic;
use maeul_search::catalogue::{Hit, Search};

use super::{EntryIn, SearchQuery, cache, marked, store_problem, versions};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{Cell, Choice, PageCtx, XlsxDownload, form_error, query_string, topic_label};
use crate::paging::{Pager, Paging};
use crate::welfare::today;

const EDIT: Access = Access::Allowed(Permission::EditCatalogue);

pub fn routes(r: Routes) -> Routes {
    r.page("/programmes", Access::Public, get(search))
        .page("/programmes/match", Access::Public, get(match_page))
        .page("/programmes/{id}", Access::Public, get(show))
        .page("/sourcebook", Access::Public, get(sourcebook))
        .page("/work/programmes/new", EDIT, get(new_page).post(new_submit))
        .page(
            "/work/programmes/{id}/edit",
            EDIT,
            get(edit_page).post(edit_submit),
        )
        .page("/work/programmes/{id}/history", EDIT, get(history))
}

fn may_edit(ctx: &PageCtx) -> bool {
    ctx.user
        .as_ref()
        .is_some_and(|u| u.may(Permission::EditCatalogue))
}

fn unit_label(ctx: &PageCtx, u: TargetUnit) -> &'static str {
    ctx.t(&format!("programme.unit.{}", u.as_str()))
}

/// `최대 14억원`, `6,000만원 ~ 2억원`, or empty when unknown.
fn amount_text(ctx: &PageCtx, p: &Programme) -> String {
    let won = |n| format::won_short(n, ctx.lang);
    match (p.amount_min, p.amount_max) {
        (Some(lo), Some(hi)) if lo != hi => format!("{} ~ {}", won(lo), won(hi)),
        (_, Some(hi)) => format!("{} {}", ctx.t("programme.up_to"), won(hi)),
        (Some(lo), None) => format!("{} {}", won(lo), ctx.t("programme.from")),
        (None, None) => String::new(),
    }
}

/// A programme as a list shows it.
struct Listed {
    href: String,
    name_html: String,
    summary_html: String,
    ministry: String,
    target: String,
    amount: String,
    years: String,
    topics: Vec<&'static str>,
    open: bool,
    /// The source as written (a web address is printed in full in the sourcebook).
    source: String,
}

fn listed(ctx: &PageCtx, h: &Hit) -> Listed {
    let p = &h.entry.programme;
    Listed {
        href: format!("/programmes/{}", h.entry.id),
        name_html: marked(&h.name),
        summary_html: marked(&h.summary),
        ministry: p.ministry.clone(),
        target: p.target.clone(),
        amount: amount_text(ctx, p),
        years: p
            .years
            .map(|y| ctx.t("programme.years_n").replace("{n}", &y.to_string()))
            .unwrap_or_default(),
        topics: p.topics.iter().map(|t| topic_label(ctx, *t)).collect(),
        open: p.open_on(today()),
        source: p.source.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// Search

#[derive(Template, WebTemplate)]
#[template(path = "programme/search.html")]
struct SearchPage {
    ctx: PageCtx,
    q: String,
    min_amount: String,
    open: bool,
    ministries: Vec<Choice>,
    targets: Vec<Choice>,
    topics: Vec<Choice>,
    items: Vec<Listed>,
    total_text: String,
    pager: Pager,
    xlsx_href: String,
    may_edit: bool,
    /// Items are headings one level below the page's.
    item_heading: &'static str,
    show_source: bool,
}

/// A facet's options with their counts, the chosen one selected — and kept, with (0), when
/// nothing matches it, so that the form still shows the filter that is applied.
fn facet<T>(
    values: impl IntoIterator<Item = (T, usize)>,
    code: impl Fn(&T) -> String,
    label: impl Fn(&T) -> String,
    chosen: &str,
    chosen_label: impl Fn(&str) -> String,
) -> Vec<Choice> {
    let mut options: Vec<Choice> = values
        .into_iter()
        .map(|(v, n)| Choice {
            value: code(&v),
            label: format!("{} ({n})", label(&v)),
            selected: code(&v) == chosen,
        })
        .collect();
    if !chosen.is_empty() && !options.iter().any(|o| o.selected) {
        options.insert(
            0,
            Choice {
                value: chosen.to_owned(),
                label: format!("{} (0)", chosen_label(chosen)),
                selected: true,
            },
        );
    }
    options
}

async fn search(
    State(state): State<AppState>,
    ctx: PageCtx,
    Params(query): Params<SearchQuery>,
    Params(format): Params<FormatQuery>,
) -> Result<Response> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    // The form takes amounts as people write them (`5억원`); the API takes won.
    let mut typed = query.clone();
    typed.min_amount = match query.min_amount.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => Some(
            parse_won(a)
                .ok_or_else(|| Problem::field("min_amount", "programme.error.amount"))?
                .to_string(),
        ),
    };
    let mut search = typed.search(paging)?;
    let cached = cache::catalogue(&state).await?;
    if format.format.as_deref() == Some("xlsx") {
        search.offset = 0;
        search.limit = usize::MAX;
        let found = cached.search(&search).map_err(|_| Problem::internal())?;
        return export(&ctx, &found.hits);
    }
    let found = cached.search(&search).map_err(|_| Problem::internal())?;
    let ctx = ctx.crumb_t("programme.title", None);
    let chosen = |s: &Option<String>| s.clone().unwrap_or_default();
    let f = &found.facets;
    let ministries = facet(
        f.ministries.clone(),
        |m| m.clone(),
        |m| m.clone(),
        &chosen(&query.ministry),
        str::to_owned,
    );
    let targets = facet(
        f.targets.clone(),
        |t| t.as_str().into(),
        |t| unit_label(&ctx, *t).into(),
        &chosen(&query.target),
        |c| TargetUnit::parse(c).map_or(c.into(), |u| unit_label(&ctx, u).into()),
    );
    let topics = facet(
        f.topics.clone(),
        |t| t.as_str().into(),
        |t| topic_label(&ctx, *t).into(),
        &chosen(&query.topic),
        |c| Topic::parse(c).map_or(c.into(), |t| topic_label(&ctx, t).into()),
    );
    let base = query_string(&[
        ("q", &query.q),
        ("ministry", &query.ministry),
        ("target", &query.target),
        ("topic", &query.topic),
        ("min_amount", &query.min_amount),
        ("open", &query.open),
    ]);
    Ok(SearchPage {
        q: chosen(&query.q),
        min_amount: chosen(&query.min_amount),
        open: search.open_on.is_some(),
        ministries,
        targets,
        topics,
        items: found.hits.iter().map(|h| listed(&ctx, h)).collect(),
        total_text: ctx
            .t("programme.total")
            .replace("{n}", &format::thousands(found.total as i64)),
        pager: Pager::new(paging, found.total as i64, base.clone()),
        xlsx_href: format!(
            "/programmes?{base}{}format=xlsx",
            if base.is_empty() { "" } else { "&" }
        ),
        may_edit: may_edit(&ctx),
        item_heading: "h2",
        show_source: false,
        ctx,
    }
    .into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// The matching programmes as a spreadsheet in the import's own columns, so that it can be
/// edited and imported again.
fn export(ctx: &PageCtx, hits: &[Hit]) -> Result<Response> {
    let header = file::COLUMNS
        .iter()
        .map(|c| match ctx.lang {
            Lang::Ko => c.korean.to_owned(),
            Lang::En => c.name.to_owned(),
        })
        .collect();
    let mut xlsx = XlsxDownload::new(ctx.t("programme.title"), header);
    for h in hits {
        let cells = file::cells(
            h.entry.id,
            h.entry.year,
            &h.entry.programme,
            ctx.lang == Lang::Ko,
        );
        xlsx.row(
            cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| match (i, c.parse::<i64>()) {
                    // id, year, amounts and years are numbers.
                    (0 | 1 | 9 | 10 | 11, Ok(n)) => Cell::Count(n),
                    _ => Cell::Text(c),
                })
                .collect(),
        );
    }
    xlsx.attachment("programmes.xlsx")
}

// ---------------------------------------------------------------------------------------
// One programme

struct VersionRow {
    year: i32,
    name: String,
    amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    year: i32,
    p: Programme,
    units: Vec<&'static str>,
    topics: Vec<&'static str>,
    amount: String,
    years: String,
    window: String,
    open: bool,
    setting: &'static str,
    /// The source's host when it is a web address (the whole address is the link).
    source_host: Option<String>,
    as_of: String,
    versions: Vec<VersionRow>,
    may_edit: bool,
    /// Published good practice that grew from it: title and page.
    practices: Vec<(String, String)>,
    /// The grant calls that fund it: title, page and where each stands today.
    calls: Vec<(String, String, &'static str)>,
    practices_total: i64,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<ShowPage> {
    let (id, versions) = versions(&state, &id).await?;
    let current = &versions[0];
    let p = current.programme.clone();
    let ctx = ctx
        .crumb_t("programme.title", Some("/programmes".into()))
        .crumb(p.name.clone(), None);
    let filter = maeul_store::practice::PracticeFilter {
        programme_id: Some(id),
        status: Some(maeul_core::practice::Status::Published),
        ..Default::default()
    };
    let (practices, practices_total) = state.store.practices().search(filter, 0, 5).await?;
    let calls = state
        .store
        .grant_calls()
        .list()
        .await?
        .into_iter()
        .filter(|c| c.call.programme_id == Some(id))
        .map(|c| {
            let phase = c.call.phase(c.status, today());
            (
                c.call.title,
                format!("/grant-calls/{}", c.id),
                ctx.t(&format!("grant.phase.{}", phase.as_str())),
            )
        })
        .collect();
    Ok(ShowPage {
        calls,
        practices: practices
            .into_iter()
            .map(|c| {
                (
                    format!("{} · {}", c.practice.title, c.region_name),
                    format!("/practices/{}", c.id),
                )
            })
            .collect(),
        practices_total,
        id,
        year: current.year,
        units: p
            .target_units
            .iter()
            .map(|u| unit_label(&ctx, *u))
            .collect(),
        topics: p.topics.iter().map(|t| topic_label(&ctx, *t)).collect(),
        amount: amount_text(&ctx, &p),
        years: p
            .years
            .map(|y| ctx.t("programme.years_n").replace("{n}", &y.to_string()))
            .unwrap_or_default(),
        window: p
            .window
            .map(|w| {
                format!(
                    "{} ~ {}",
                    format::date(w.opens, ctx.lang),
                    format::date(w.closes, ctx.lang)
                )
            })
            .unwrap_or_default(),
        open: p.open_on(today()),
        setting: ctx.t(&format!("programme.setting.{}", p.setting().as_str())),
        source_host: p
            .source
            .strip_prefix("https://")
            .or_else(|| p.source.strip_prefix("http://"))
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned()),
        as_of: p
            .as_of
            .map(|d| format::date(d, ctx.lang))
            .unwrap_or_default(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                year: v.year,
                name: v.programme.name.clone(),
                amount: amount_text(&ctx, &v.programme),
            })
            .collect(),
        may_edit: may_edit(&ctx),
        p,
        ctx,
    })
}

// ---------------------------------------------------------------------------------------
// Matching a problem in words

#[derive(Debug, Default, serde::Deserialize)]
struct MatchQuery {
    text: Option<String>,
    region: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/match.html")]
struct MatchPage {
    ctx: PageCtx,
    text: String,
    region: String,
    place: Option<String>,
    asked: bool,
    programmes: Vec<super::MatchItem>,
    error_field: String,
    error_message: &'static str,
}

async fn match_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Params(query): Params<MatchQuery>,
) -> Result<Response> {
    let ctx = ctx
        .crumb_t("programme.title", Some("/programmes".into()))
        .crumb_t("programme.match.title", None);
    let text = query.text.unwrap_or_default();
    let region = query.region.unwrap_or_default();
    let asked = !text.trim().is_empty();
    let found = async {
        if text.chars().count() > 5_000 {
            return Err(Problem::field("text", "programme.error.too_long"));
        }
        let place = match region.trim() {
            "" => None,
            code => Some(
                crate::autonomy::council::emd(&state, code)
                    .await
                    .map_err(|_| Problem::field("region_code", "field.region_code"))?,
            ),
        };
        let programmes = if asked {
            super::fits(&state, ctx.lang, text.trim(), place.as_ref(), 10).await?
        } else {
            Vec::new()
        };
        Ok((place.map(|p| p.region.full_name), programmes))
    }
    .await;
    let (status, place, programmes, error) = match found {
        Ok((place, programmes)) => (StatusCode::OK, place, programmes, None),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            (p.status, None, Vec::new(), Some(p))
        }
        Err(p) => return Err(p),
    };
    let (error_field, error_message) = form_error(&ctx, error.as_ref());
    let page = MatchPage {
        text,
        region,
        place,
        asked: asked && error.is_none(),
        programmes,
        error_field,
        error_message,
        ctx,
    };
    Ok((status, page).into_response())
}

// ---------------------------------------------------------------------------------------
// The residents' sourcebook

struct Chapter {
    topic: &'static str,
    heading: &'static str,
    text: &'static str,
    items: Vec<Listed>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/sourcebook.html")]
struct SourcebookPage {
    ctx: PageCtx,
    chapters: Vec<Chapter>,
    total: usize,
    edition: String,
    item_heading: &'static str,
    show_source: bool,
}

/// Every programme under each problem it helps with, in the residents' words.
async fn sourcebook(State(state): State<AppState>, ctx: PageCtx) -> Result<SourcebookPage> {
    let cached = cache::catalogue(&state).await?;
    let ctx = ctx.crumb_t("sourcebook.title", None);
    let mut chapters = Vec::new();
    for topic in Topic::ALL {
        let found = cached
            .search(&Search {
                topic: Some(topic),
                limit: usize::MAX,
                ..Search::default()
            })
            .map_err(|_| Problem::internal())?;
        chapters.push(Chapter {
            topic: topic.as_str(),
            heading: ctx.t(&format!("sourcebook.problem.{}", topic.as_str())),
            text: ctx.t(&format!("sourcebook.problem.{}.text", topic.as_str())),
            items: found.hits.iter().map(|h| listed(&ctx, h)).collect(),
        });
    }
    Ok(SourcebookPage {
        chapters,
        total: cached.len(),
        edition: format::date(today(), ctx.lang),
        item_heading: "h3",
        show_source: true,
        ctx,
    })
}

// ---------------------------------------------------------------------------------------
// Editing

/// The entry form as a browser sends it: one `target_units` and one `topics` per ticked box.
#[derive(Debug, Default, Clone)]
struct EntryForm {
    year: String,
    ministry: String,
    name: String,
    summary: String,
    target: String,
    target_units: Vec<String>,
    topics: Vec<String>,
    eligibility: String,
    amount_min: String,
    amount_max: String,
    years: String,
    opens_on: String,
    closes_on: String,
    source: String,
    as_of: String,
}

impl EntryForm {
    fn parse(body: &Bytes) -> Result<EntryForm> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|_| Problem::bad_request())?;
        let one = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let all = |name: &str| {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        Ok(EntryForm {
            year: one("year"),
            ministry: one("ministry"),
            name: one("name"),
            summary: one("summary"),
            target: one("target"),
            target_units: all("target_units"),
            topics: all("topics"),
            eligibility: one("eligibility"),
            amount_min: one("amount_min"),
            amount_max: one("amount_max"),
            years: one("years"),
            opens_on: one("opens_on"),
            closes_on: one("closes_on"),
            source: one("source"),
            as_of: one("as_of"),
        })
    }

    fn of(year: i32, p: &Programme) -> EntryForm {
        let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        EntryForm {
            year: year.to_string(),
            ministry: p.ministry.clone(),
            name: p.name.clone(),
            summary: p.summary.clone(),
            target: p.target.clone(),
            target_units: p.target_units.iter().map(|u| u.as_str().into()).collect(),
            topics: p.topics.iter().map(|t| t.as_str().into()).collect(),
            eligibility: p.eligibility.clone(),
            amount_min: opt(p.amount_min),
            amount_max: opt(p.amount_max),
            years: p.years.map(|y| y.to_string()).unwrap_or_default(),
            opens_on: p.window.map(|w| w.opens.to_string()).unwrap_or_default(),
            closes_on: p.window.map(|w| w.closes.to_string()).unwrap_or_default(),
            source: p.source.clone(),
            as_of: p.as_of.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The year and the checked entry.
    fn entry(&self) -> Result<(i32, Programme)> {
        let year = self
            .year
            .trim()
            .parse()
            .ok()
            .and_then(|y| maeul_core::programme::catalogue::year(y).ok())
            .ok_or_else(|| Problem::field("year", "programme.error.year"))?;
        let amount = |s: &str, field: &str| match s.trim() {
            "" => Ok(None),
            s => parse_won(s)
                .map(Some)
                .ok_or_else(|| Problem::field(field, "programme.error.amount")),
        };
        let years = match self.years.trim() {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| Problem::field("years", "programme.error.years"))?,
            ),
        };
        let date = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let entry = EntryIn {
            ministry: self.ministry.clone(),
            name: self.name.clone(),
            summary: self.summary.clone(),
            target: self.target.clone(),
            target_units: self.target_units.clone(),
            topics: self.topics.clone(),
            eligibility: self.eligibility.clone(),
            amount_min: amount(&self.amount_min, "amount_min")?,
            amount_max: amount(&self.amount_max, "amount_max")?,
            years,
            opens_on: date(&self.opens_on),
            closes_on: date(&self.closes_on),
            source: self.source.clone(),
            as_of: date(&self.as_of),
        };
        Ok((year, entry.programme()?))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/form.html")]
struct FormPage {
    ctx: PageCtx,
    action: String,
    heading: &'static str,
    form: EntryForm,
    units: Vec<Choice>,
    topics: Vec<Choice>,
    error_field: String,
    error_message: &'static str,
}

fn form_page(
    ctx: PageCtx,
    action: String,
    heading: &'static str,
    form: EntryForm,
    error: Option<&Problem>,
) -> FormPage {
    let (error_field, error_message) = form_error(&ctx, error);
    FormPage {
        units: crate::page::choices(
            &TargetUnit::ALL,
            "programme.unit",
            TargetUnit::as_str,
            &ctx,
            &form.target_units,
        ),
        topics: crate::page::choices(&Topic::ALL, "topic", Topic::as_str, &ctx, &form.topics),
        action,
        heading,
        form,
        error_field,
        error_message,
        ctx,
    }
}

/// A refused form is shown again with what was typed and why (422); other problems pass.
fn refused(
    ctx: PageCtx,
    action: String,
    heading: &'static str,
    form: EntryForm,
    p: Problem,
) -> Result<Response> {
    if p.status == StatusCode::UNPROCESSABLE_ENTITY {
        let page = form_page(ctx, action, heading, form, Some(&p));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    } else {
        Err(p)
    }
}

async fn new_page(ctx: PageCtx) -> FormPage {
    let ctx = ctx
        .crumb_t("programme.title", Some("/programmes".into()))
        .crumb_t("programme.new", None);
    let form = EntryForm {
        year: today().year().to_string(),
        ..EntryForm::default()
    };
    let heading = ctx.t("programme.new");
    form_page(ctx, "/work/programmes/new".into(), heading, form, None)
}

async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    body: Bytes,
) -> Result<Response> {
    let form = EntryForm::parse(&body)?;
    let heading = ctx.t("programme.new");
    let (year, programme) = match form.entry() {
        Ok(e) => e,
        Err(p) => return refused(ctx, "/work/programmes/new".into(), heading, form, p),
    };
    let id = state
        .store
        .programmes()
        .create(year, programme, user.user_id)
        .await?;
    Ok(Redirect::to(&format!("/programmes/{id}")).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<FormPage> {
    let (id, versions) = versions(&state, &id).await?;
    let current = &versions[0];
    let ctx = ctx
        .crumb_t("programme.title", Some("/programmes".into()))
        .crumb(
            current.programme.name.clone(),
            Some(format!("/programmes/{id}")),
        )
        .crumb_t("programme.edit", None);
    let heading = ctx.t("programme.edit");
    Ok(form_page(
        ctx,
        format!("/work/programmes/{id}/edit"),
        heading,
        EntryForm::of(current.year, &current.programme),
        None,
    ))
}

async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let (id, _) = versions(&state, &id).await?;
    let form = EntryForm::parse(&body)?;
    let action = format!("/work/programmes/{id}/edit");
    let heading = ctx.t("programme.edit");
    let (year, programme) = match form.entry() {
        Ok(e) => e,
        Err(p) => return refused(ctx, action, heading, form, p),
    };
    state
        .store
        .programmes()
        .put(id, year, programme, user.user_id)
        .await
        .map_err(store_problem)?;
    Ok(Redirect::to(&format!("/programmes/{id}")).into_response())
}

struct ChangeRow {
    year: i32,
    at: String,
    by: String,
    what: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/history.html")]
struct HistoryPage {
    ctx: PageCtx,
    id: i64,
    name: String,
    changes: Vec<ChangeRow>,
}

/// The fields that differ between two entries, by their labels.
fn changed_fields(ctx: &PageCtx, before: &Programme, after: &Programme) -> String {
    let pairs: [(&str, bool); 12] = [
        ("ministry", before.ministry != after.ministry),
        ("name", before.name != after.name),
        ("summary", before.summary != after.summary),
        (
            "target",
            before.target != after.target || before.target_units != after.target_units,
        ),
        ("topics", before.topics != after.topics),
        ("eligibility", before.eligibility != after.eligibility),
        ("amount_min", before.amount_min != after.amount_min),
        ("amount_max", before.amount_max != after.amount_max),
        ("years", before.years != after.years),
        ("window", before.window != after.window),
        ("source", before.source != after.source),
        ("as_of", before.as_of != after.as_of),
    ];
    pairs
        .iter()
        .filter(|(_, changed)| *changed)
        .map(|(f, _)| ctx.t(&format!("programme.field.{f}")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn history(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<HistoryPage> {
    let (id, versions) = versions(&state, &id).await?;
    let name = versions[0].programme.name.clone();
    let ctx = ctx
        .crumb_t("programme.title", Some("/programmes".into()))
        .crumb(name.clone(), Some(format!("/programmes/{id}")))
        .crumb_t("programme.history", None);
    let changes = state.store.programmes().history(id).await?;
    let changes = changes
        .iter()
        .map(|c| ChangeRow {
            year: c.year,
            at: ctx.moment(c.changed_at),
            by: c
                .changed_by
                .clone()
                .unwrap_or_else(|| c.origin.trim_start_matches("import: ").to_owned()),
            what: match &c.before {
                None => ctx.t("programme.history.new").to_owned(),
                Some(b) => changed_fields(&ctx, b, &c.after),
            },
        })
        .collect();
    Ok(HistoryPage {
        id,
        name,
        changes,
        ctx,
    })
}
