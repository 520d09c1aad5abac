//! The dashboard page of a region: for each topic a chart drawn on the server with its table
//! beside it, then the same figures for each region one level below (each linking to its own
//! dashboard); `?format=xlsx` downloads every table, a sheet per topic, counts as numbers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maeul_core::dashboard::{PENDING, Panel, Topic, UNRECORDED, share};
use maeul_core::format;
use maeul_core::region::{Level, RegionCode};
use serde::Deserialize;

use super::chart::{Chart, WIDTH, chart};
use super::{Dashboard, VIEW, dashboard};
use crate::AppState;
use crate::access::{Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{Cell, PageCtx, XlsxDownload};

pub fn routes(r: Routes) -> Routes {
    r.page("/dashboards/{code}", VIEW, get(dashboard_page))
}

/// The catalogue key of a row's label: the domain's own name for the code.
fn label_key(topic: Topic, code: &str) -> String {
    match (topic, code) {
        (_, UNRECORDED) => "dashboard.unrecorded".to_owned(),
        (Topic::Grants, PENDING) => "dashboard.pending".to_owned(),
        (Topic::OrgModels | Topic::PlannedModels, c) => format!("org.model.{c}"),
        (Topic::StaffPosts | Topic::Vacancies, c) => format!("staffing.kind.{c}"),
        (Topic::Councils, c) => format!("council.status.{c}"),
        (Topic::Assemblies, c) => format!("assembly.status.{c}"),
        (Topic::Participation, c) => format!("dashboard.{c}"),
        (Topic::Discovery, c) => format!("discovery.status.{c}"),
        (Topic::DiscoveryOutcomes, c) => format!("outcome.{c}"),
        (Topic::Cases, c) => format!("case.step.{c}"),
        (Topic::HealthGroups, c) => format!("health.group.{c}"),
        (Topic::Linkages, c) => format!("linkage.stage.{c}"),
        (Topic::Grants, c) => format!("grant.outcome.{c}"),
    }
}

fn label(ctx: &PageCtx, topic: Topic, code: &str) -> &'static str {
    ctx.t(&label_key(topic, code))
}

fn title(ctx: &PageCtx, topic: Topic) -> &'static str {
    ctx.t(&format!("dashboard.topic.{}", topic.as_str()))
}

struct Row {
    label: &'static str,
    count: String,
    share: String,
}

struct AreaRow {
    name: String,
    href: String,
    cells: Vec<String>,
}

struct PanelView {
    id: &'static str,
    title: &'static str,
    unit: &'static str,
    chart: Chart,
    rows: Vec<Row>,
    total: String,
    partition: bool,
    labels: Vec<&'static str>,
    areas: Vec<AreaRow>,
    area_total: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/page.html")]
struct DashboardPage {
    ctx: PageCtx,
    name: String,
    code: String,
    up: Option<String>,
    width: u32,
    below_heading: &'static str,
    panels: Vec<PanelView>,
}

#[derive(Debug, Default, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

fn counts(p: &Panel) -> Vec<String> {
    p.rows
        .iter()
        .map(|(_, n)| format::thousands(*n))
        .chain([format::thousands(p.total())])
        .collect()
}

/// A region's name on its page: the full name, or 전국 for the nation.
fn region_name(ctx: &PageCtx, d: &Dashboard) -> String {
    match d.region.region.level {
        Level::Nation => ctx.t("region.nation").to_owned(),
        _ => d.region.region.full_name.clone(),
    }
}

/// The row of what a region counts itself, shown only when it counts something.
fn own_row<'a>(ctx: &PageCtx, d: &'a Dashboard, i: usize) -> Option<(&'static str, &'a Panel)> {
    let own = &d.own[i];
    (!d.below.is_empty() && own.rows.iter().any(|(_, n)| *n != 0))
        .then(|| (ctx.t("dashboard.own"), own))
}

async fn dashboard_page(
    State(state): State<AppState>,
    User(user): User,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<FormatQuery>,
) -> Result<Response> {
    let d = dashboard(&state, &user, &code).await?;
    match query.format.as_deref() {
        None | Some("") => {}
        Some("xlsx") => return workbook(&ctx, &d),
        Some(_) => return Err(Problem::field("format", "field.choice")),
    }
    let name = region_name(&ctx, &d);
    let up = match d.region.region.level {
        Level::Nation => None,
        Level::Sido => Some(RegionCode::NATION.to_owned()),
        _ => d
            .region
            .path
            .codes()
            .iter()
            .rev()
            .nth(1)
            .map(|c| c.to_string()),
    };
    let panels = d
        .panels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let topic = p.topic;
            let total = p.total();
            let mut areas: Vec<AreaRow> = d
                .below
                .iter()
                .map(|(r, panels)| AreaRow {
                    name: r.region.name.clone(),
                    href: format!("/dashboards/{}#{}", r.region.code, topic.as_str()),
                    cells: counts(&panels[i]),
                })
                .collect();
            if let Some((label, own)) = own_row(&ctx, &d, i) {
                areas.push(AreaRow {
                    name: label.to_owned(),
                    href: String::new(),
                    cells: counts(own),
                });
            }
            PanelView {
                id: topic.as_str(),
                title: title(&ctx, topic),
                unit: ctx.t(&format!("dashboard.unit.{}", topic.as_str())),
                chart: chart(
                    p.rows
                        .iter()
                        .map(|(c, n)| (label(&ctx, topic, c).to_owned(), *n, format::thousands(*n)))
                        .collect(),
                ),
                rows: p
                    .rows
                    .iter()
                    .map(|(c, n)| Row {
                        label: label(&ctx, topic, c),
                        count: format::thousands(*n),
                        share: share(*n, total).map_or_else(|| "–".into(), |s| format!("{s}%")),
                    })
                    .collect(),
                total: format::thousands(total),
                partition: topic.is_partition(),
                labels: p.rows.iter().map(|(c, _)| label(&ctx, topic, c)).collect(),
                areas,
                area_total: counts(p),
            }
        })
        .collect();
    let below_heading = match d.region.region.level {
        Level::Nation => "dashboard.below.sido",
        Level::Sido => "dashboard.below.sigungu",
        _ => "dashboard.below.emd",
    };
    let ctx = ctx.crumb_t("dashboard.title", None);
    Ok(DashboardPage {
        below_heading: ctx.t(below_heading),
        name,
        code: d.region.region.code.to_string(),
        up,
        width: WIDTH,
        panels,
        ctx,
    }
    .into_response())
}

/// Every table of the page as a workbook: a sheet per topic with a row per region below, the
/// region's own row when it counts something, and the total.
fn workbook(ctx: &PageCtx, d: &Dashboard) -> Result<Response> {
    let header = |p: &Panel| -> Vec<String> {
        [ctx.t("dashboard.col.region").to_owned()]
            .into_iter()
            .chain(
                p.rows
                    .iter()
                    .map(|(c, _)| label(ctx, p.topic, c).to_owned()),
            )
            .chain([ctx.t("dashboard.total").to_owned()])
            .collect()
    };
    let row = |name: &str, p: &Panel| -> Vec<Cell> {
        [Cell::Text(name.to_owned())]
            .into_iter()
            .chain(p.rows.iter().map(|(_, n)| Cell::Count(*n)))
            .chain([Cell::Count(p.total())])
            .collect()
    };
    let mut book: Option<XlsxDownload> = None;
    for (i, p) in d.panels.iter().enumerate() {
        let name = title(ctx, p.topic);
        match book.as_mut() {
            None => book = Some(XlsxDownload::new(name, header(p))),
            Some(b) => b.sheet(name, header(p)),
        }
        let b = book.as_mut().ok_or_else(Problem::internal)?;
        for (r, panels) in &d.below {
            b.row(row(&r.region.name, &panels[i]));
        }
        if let Some((label, own)) = own_row(ctx, d, i) {
            b.row(row(label, own));
        }
        b.row(row(&region_name(ctx, d), p));
    }
    book.ok_or_else(Problem::internal)?
        .attachment(&format!("dashboard-{}.xlsx", d.region.region.code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, lookup};

    #[test]
    fn every_topic_and_row_has_its_text_in_both_languages() {
        for lang in [Lang::Ko, Lang::En] {
            for topic in Topic::ALL {
                let t = topic.as_str();
                for key in [
                    format!("dashboard.topic.{t}"),
                    format!("dashboard.unit.{t}"),
                ] {
                    assert!(lookup(lang, &key).is_some(), "{key}");
                }
                for code in topic.codes() {
                    let key = label_key(topic, code);
                    assert!(lookup(lang, &key).is_some(), "{key}");
                }
            }
        }
    }
}
