//! Pages of the organisation models: for everyone, the progress at every level (with the
//! places' records to download as XLSX or CSV) and each place's record; for programme and
//! ministry staff, the form that keeps a place's record, with its history.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maeul_core::account::Permission;
use maeul_core::format;
use maeul_core::org::model::{self as rule, OrgModel, OrgRules, Organisation, Progress};
use maeul_core::region::{Level, RegionCode};
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{OrgModelIn, OrgModelProgress, kept_place, place_record, progress_of, record};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::emd;
use crate::error::{Params, Problem, Result};
use crate::page::{Cell, Choice, CsvDownload, PageCtx, XlsxDownload, form_answer, form_error};

const KEEP: Access = Access::Allowed(Permission::KeepOrgModels);

pub fn routes(r: Routes) -> Routes {
    r.page("/org-models/{code}", Access::Public, get(progress_page))
        .page("/r/{code}/organisation", Access::Public, get(show))
        .page(
            "/work/org-models/{code}",
            KEEP,
            get(edit_form).post(save_form),
        )
}

fn model_label(ctx: &PageCtx, m: OrgModel) -> &'static str {
    ctx.t(&format!("org.model.{}", m.as_str()))
}

fn progress_label(ctx: &PageCtx, p: Progress) -> &'static str {
    ctx.t(&format!("org.progress.{}", p.as_str()))
}

fn permille(n: i64) -> String {
    format!("{}.{}%", n / 10, n % 10)
}

// ---------------------------------------------------------------------------------------
// Progress at every level

struct ProgressRow {
    name: String,
    href: String,
    /// Basic, service-linked, rural-specialised, unrecorded; then reached, planned, overdue,
    /// late, unplanned; then the places.
    counts: Vec<String>,
    share: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/model/progress.html")]
struct ProgressPage {
    ctx: PageCtx,
    name: String,
    target_on: String,
    columns: Vec<&'static str>,
    rows: Vec<ProgressRow>,
    total: ProgressRow,
    up: Option<String>,
    code: String,
}

#[derive(Debug, Default, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// Places by model and progress in a region and each region below it; each row leads a level
/// down, down to the places' own records. `?format=xlsx|csv` downloads the places' records in
/// the columns `maeul import org-models` reads.
async fn progress_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<FormatQuery>,
) -> Result<Response> {
    let region = RegionCode::parse(&code).map_err(|_| Problem::not_found())?;
    match query.format.as_deref() {
        None | Some("") => {}
        Some(f @ ("xlsx" | "csv")) => return places_file(&state, &ctx, &region, f).await,
        Some(_) => return Err(Problem::field("format", "field.choice")),
    }
    let out = progress_of(&state, &code).await?;
    let OrgModelProgress {
        region_name,
        target_on,
        counts,
        below,
        ..
    } = out;
    let name = if region_name.is_empty() {
        ctx.t("region.nation").to_owned()
    } else {
        region_name
    };
    let ctx = ctx.crumb_t("org.progress.title", None);
    let row = |name: String, href: String, c: &super::OrgModelCounts| ProgressRow {
        name,
        href,
        counts: [
            c.basic,
            c.service_linked,
            c.rural_specialised,
            c.unrecorded,
            c.reached,
            c.planned,
            c.overdue,
            c.late,
            c.unplanned,
            c.total,
        ]
        .into_iter()
        .map(format::thousands)
        .collect(),
        share: permille(c.reached_permille),
    };
    let rows = below
        .iter()
        .map(|b| {
            let href = match RegionCode::parse(&b.region_code).map(|r| r.level()) {
                Ok(Level::Emd) => format!("/r/{}/organisation", b.region_code),
                _ => format!("/org-models/{}", b.region_code),
            };
            row(b.name.clone(), href, &b.counts)
        })
        .collect();
    let region_path = state.store.regions().get(&region).await?.map(|r| r.path);
    let up = region_path
        .as_ref()
        .and_then(|p| p.codes().iter().rev().nth(1).cloned())
        .map(|c| c.to_string())
        .or_else(|| (region.level() == Level::Sido).then(|| RegionCode::NATION.to_owned()));
    let target_on = format::parse_day(&target_on)
        .map(|d| format::date(d, ctx.lang))
        .unwrap_or(target_on);
    Ok(ProgressPage {
        total: row(
            ctx.t("org.progress.total").to_owned(),
            String::new(),
            &counts,
        ),
        columns: COUNT_COLUMNS.to_vec(),
        name,
        target_on,
        rows,
        up,
        code,
        ctx,
    }
    .into_response())
}

/// The headers of the counts, in the order of [`ProgressRow::counts`].
const COUNT_COLUMNS: [&str; 10] = [
    "org.model.basic",
    "org.model.service_linked",
    "org.model.rural_specialised",
    "org.model.unrecorded",
    "org.progress.reached",
    "org.progress.planned",
    "org.progress.overdue",
    "org.progress.late",
    "org.progress.unplanned",
    "org.progress.places",
];

/// Every place below a region with its record, in the import's columns (Korean headers and
/// model names on Korean pages, English ones otherwise — both read back).
async fn places_file(
    state: &AppState,
    ctx: &PageCtx,
    region: &RegionCode,
    format: &str,
) -> Result<Response> {
    // An unknown region is 404, as the page is; the nation has no row.
    if region.level() != Level::Nation && state.store.regions().get(region).await?.is_none() {
        return Err(Problem::not_found());
    }
    let places = state.store.org_models().places(region).await?;
    let korean = ctx.lang == format::Lang::Ko;
    let header: Vec<String> = rule::COLUMNS
        .iter()
        .map(|c| if korean { c.korean } else { c.name }.to_owned())
        .collect();
    let rows = places
        .iter()
        .map(|p| rule::cells(&p.code, &p.full_name, p.organisation.as_ref(), korean));
    let filename = format!("org-models-{region}.{format}");
    if format == "csv" {
        let mut file = CsvDownload::new(header);
        for row in rows {
            file.row(row);
        }
        return file.attachment(&filename);
    }
    let mut sheet = XlsxDownload::new(ctx.t("org.progress.title"), header);
    for row in rows {
        sheet.row(row.into_iter().map(Cell::Text).collect());
    }
    sheet.attachment(&filename)
}

// ---------------------------------------------------------------------------------------
// A place

/// What every page of a place's record shows.
struct Facts {
    model: String,
    since: String,
    planned: String,
    teams: String,
    missing_teams: String,
    targets: String,
    progress: &'static str,
    progress_label: &'static str,
    target_on: String,
}

fn facts(ctx: &PageCtx, place: &StoredRegion, r: &super::PlaceRecord) -> Facts {
    let day = |d: Option<time::Date>| d.map(|d| format::date(d, ctx.lang)).unwrap_or_default();
    let o = r.organisation.as_ref();
    Facts {
        model: o
            .map(|o| model_label(ctx, o.model).to_owned())
            .unwrap_or_default(),
        since: day(o.and_then(|o| o.since)),
        planned: o
            .and_then(|o| o.planned)
            .map(|t| {
                ctx.tf(
                    "org.planned_to",
                    &[
                        ("model", model_label(ctx, t.model)),
                        ("day", &format::date(t.on, ctx.lang)),
                    ],
                )
            })
            .unwrap_or_default(),
        teams: o.map(|o| o.teams.join(", ")).unwrap_or_default(),
        missing_teams: o
            .map(|o| o.missing_teams(&r.rules).join(", "))
            .unwrap_or_default(),
        targets: rule::target_models(place.region.kind)
            .iter()
            .map(|m| model_label(ctx, *m))
            .collect::<Vec<_>>()
            .join(", "),
        progress: r.progress.as_str(),
        progress_label: progress_label(ctx, r.progress),
        target_on: format::date(r.rules.target_on(), ctx.lang),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "org/model/show.html")]
struct ShowPage {
    ctx: PageCtx,
    place: String,
    code: String,
    facts: Facts,
    may_keep: bool,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response> {
    let place = emd(&state, &code).await?;
    let r = place_record(&state, &place).await?;
    let may_keep = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.may_in(Permission::KeepOrgModels, &place.path));
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("org.place.title", None);
    Ok(ShowPage {
        facts: facts(&ctx, &place, &r),
        place: place.region.full_name.clone(),
        code: place.region.code.to_string(),
        may_keep,
        ctx,
    }
    .into_response())
}

// ---------------------------------------------------------------------------------------
// Keeping a place's record

struct ChangeRow {
    when: String,
    model: &'static str,
    since: String,
    planned: String,
    teams: String,
    source: &'static str,
}

struct TeamBox {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/model/edit.html")]
struct EditPage {
    ctx: PageCtx,
    place: String,
    code: String,
    facts: Facts,
    models: Vec<Choice>,
    planned_models: Vec<Choice>,
    since: String,
    planned_on: String,
    teams: Vec<TeamBox>,
    history: Vec<ChangeRow>,
    error_field: String,
    error_message: &'static str,
    saved: bool,
}

/// The form as typed: teams are ticked boxes, so the fields come as pairs.
#[derive(Debug, Default)]
struct Typed {
    model: String,
    since: String,
    planned_model: String,
    planned_on: String,
    teams: Vec<String>,
}

impl Typed {
    fn from_pairs(pairs: Vec<(String, String)>) -> Typed {
        let mut t = Typed::default();
        for (k, v) in pairs {
            match k.as_str() {
                "model" => t.model = v,
                "since" => t.since = v,
                "planned_model" => t.planned_model = v,
                "planned_on" => t.planned_on = v,
                "teams" => t.teams.push(v),
                _ => {}
            }
        }
        t
    }

    /// What the form shows for a record; for none, the first model with its standard teams.
    fn of(o: Option<&Organisation>, rules: &OrgRules) -> Typed {
        match o {
            None => Typed {
                model: OrgModel::Basic.as_str().to_owned(),
                teams: rules.standard_teams(OrgModel::Basic).to_vec(),
                ..Typed::default()
            },
            Some(o) => Typed {
                model: o.model.as_str().to_owned(),
                since: o.since.map(|d| d.to_string()).unwrap_or_default(),
                planned_model: o
                    .planned
                    .map(|t| t.model.as_str().to_owned())
                    .unwrap_or_default(),
                planned_on: o.planned.map(|t| t.on.to_string()).unwrap_or_default(),
                teams: o.teams.clone(),
            },
        }
    }

    fn sent(&self) -> OrgModelIn {
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        OrgModelIn {
            model: self.model.clone(),
            since: some(&self.since),
            planned_model: some(&self.planned_model),
            planned_on: some(&self.planned_on),
            teams: Some(self.teams.clone()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    place: &StoredRegion,
    typed: Option<Typed>,
    error: Option<&Problem>,
    saved: bool,
) -> Result<EditPage> {
    let r = place_record(state, place).await?;
    let typed = typed.unwrap_or_else(|| Typed::of(r.organisation.as_ref(), &r.rules));
    let ctx = ctx
        .crumb(
            place.region.full_name.clone(),
            Some(format!("/r/{}/organisation", place.region.code)),
        )
        .crumb_t("org.edit.title", None);
    let models = |selected: &str| {
        OrgModel::ALL
            .iter()
            .map(|m| Choice {
                value: m.as_str().to_owned(),
                label: model_label(&ctx, *m).to_owned(),
                selected: m.as_str() == selected,
            })
            .collect::<Vec<_>>()
    };
    let mut planned_models = vec![Choice {
        value: String::new(),
        label: ctx.t("org.planned.none").to_owned(),
        selected: typed.planned_model.is_empty(),
    }];
    planned_models.extend(
        rule::target_models(place.region.kind)
            .iter()
            .map(|m| Choice {
                value: m.as_str().to_owned(),
                label: model_label(&ctx, *m).to_owned(),
                selected: m.as_str() == typed.planned_model,
            }),
    );
    let teams = r
        .rules
        .all_teams()
        .into_iter()
        .enumerate()
        .map(|(i, t)| TeamBox {
            id: format!("team-{i}"),
            name: t.to_owned(),
            checked: typed.teams.iter().any(|x| x == t),
        })
        .collect();
    let history = state
        .store
        .org_models()
        .history(&place.region.code)
        .await?
        .into_iter()
        .map(|c| {
            let o = c.organisation;
            ChangeRow {
                when: ctx.moment(c.changed_at),
                model: model_label(&ctx, o.model),
                since: o
                    .since
                    .map(|d| format::date(d, ctx.lang))
                    .unwrap_or_default(),
                planned: o
                    .planned
                    .map(|t| {
                        format!(
                            "{} ({})",
                            model_label(&ctx, t.model),
                            format::date(t.on, ctx.lang)
                        )
                    })
                    .unwrap_or_default(),
                teams: o.teams.join(", "),
                source: ctx.t(&format!("org.source.{}", c.source)),
            }
        })
        .collect();
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(EditPage {
        facts: facts(&ctx, place, &r),
        models: models(&typed.model),
        planned_models,
        since: typed.since,
        planned_on: typed.planned_on,
        teams,
        history,
        error_field,
        error_message,
        saved,
        place: place.region.full_name.clone(),
        code: place.region.code.to_string(),
        ctx,
    })
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<DoneQuery>,
) -> Result<Response> {
    let place = kept_place(&state, &user, &code).await?;
    let saved = query.done.is_some();
    Ok(edit_page(&state, ctx, &place, None, None, saved)
        .await?
        .into_response())
}

async fn save_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let place = kept_place(&state, &user, &code).await?;
    let typed = Typed::from_pairs(pairs);
    let outcome = record(&state, &user, &place, &typed.sent())
        .await
        .map(|()| format!("/work/org-models/{code}?done=saved"));
    form_answer(outcome, |p| async move {
        edit_page(&state, ctx, &place, Some(typed), Some(&p), false).await
    })
    .await
}
