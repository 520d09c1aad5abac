//! The dashboard page of a region: for each topic a chart drawn on the server with its table
//! beside it, then the same figures for each region one level below (each linking to its own
//! dashboard); `?format=xlsx` downloads every table, a sheet per topic, counts as numbers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maeul_core::dashboard::{PENDING, Panel, Topic, UNRECORDED, share, shown};
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
        (Topic::Training, c) => format!("dashboard.training.{c}"),
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
    /// A sentence under the title: the turnout, the discovery round and its completion.
    note: Option<String>,
    chart: Chart,
    rows: Vec<Row>,
    total: String,
    total_share: &'static str,
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
    withheld: bool,
    panels: Vec<PanelView>,
}

#[derive(Debug, Default, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// A panel's counts then, when its rows part a whole, their total, as a viewer may see them
/// (`None`: withheld).
fn cells(p: &Panel, reads_records: bool) -> Vec<Option<i64>> {
    let (rows, total) = shown(p, reads_records);
    let total = p.topic.is_partition().then_some(total);
    rows.into_iter().map(|(_, n)| n).chain(total).collect()
}

fn text(ctx: &PageCtx, n: Option<i64>) -> String {
    n.map_or_else(
        || ctx.t("discovery.suppressed").to_owned(),
        format::thousands,
    )
}

/// A region's name on its page: the full name, or 전국 for the nation.
fn region_name(ctx: &PageCtx, d: &Dashboard) -> String {
    match d.region.region.level {
        Level::Nation => ctx.t("region.nation").to_owned(),
        _ => d.region.region.full_name.clone(),
    }
}

/// The row of what a region counts itself, shown only when it counts something and has
/// regions below.
fn own_row<'a>(ctx: &PageCtx, d: &'a Dashboard, i: usize) -> Option<(&'static str, &'a Panel)> {
    let own = &d.own[i];
    (!d.below.is_empty() && own.rows.iter().any(|(_, n)| *n != 0))
        .then(|| (ctx.t("dashboard.own"), own))
}

/// The sentence under a topic's title: the turnout of the closed assemblies, the discovery
/// round counted and how much of it was visited.
fn note(ctx: &PageCtx, d: &Dashboard, p: &Panel) -> Option<String> {
    let percent = |part: i64, whole: i64| share(part, whole).map(|s| s.to_string());
    match p.topic {
        Topic::Participation => {
            let turnout = percent(p.count("participants"), p.count("eligible"))?;
            Some(ctx.tf("dashboard.turnout", &[("percent", &turnout)]))
        }
        Topic::Discovery => Some(match &d.round {
            None => ctx.t("dashboard.no_round").to_owned(),
            Some((_, round)) => {
                let done = shown(p, d.reads_records)
                    .0
                    .iter()
                    .find(|(c, _)| *c == "visited")
                    .and_then(|(_, n)| *n)
                    .and_then(|visited| percent(visited, p.total()))
                    .unwrap_or_else(|| ctx.t("discovery.suppressed").to_owned());
                ctx.tf(
                    "dashboard.completion",
                    &[("round", round), ("percent", &done)],
                )
            }
        }),
        _ => None,
    }
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
    let mut withheld = false;
    let panels = d
        .panels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let topic = p.topic;
            let mut areas: Vec<AreaRow> = d
                .below
                .iter()
                .map(|b| {
                    let cells = cells(&b.panels[i], b.reads_records);
                    withheld |= cells.contains(&None);
                    AreaRow {
                        name: b.region.region.name.clone(),
                        href: format!("/dashboards/{}#{}", b.region.region.code, topic.as_str()),
                        cells: cells.into_iter().map(|n| text(&ctx, n)).collect(),
                    }
                })
                .collect();
            if let Some((label, own)) = own_row(&ctx, &d, i) {
                areas.push(AreaRow {
                    name: label.to_owned(),
                    href: String::new(),
                    cells: cells(own, d.reads_records)
                        .into_iter()
                        .map(|n| text(&ctx, n))
                        .collect(),
                });
            }
            let (rows, total) = shown(p, d.reads_records);
            withheld |= total.is_none() || rows.iter().any(|(_, n)| n.is_none());
            let shared = |n: Option<i64>| match (n, total) {
                (Some(n), Some(total)) => share(n, total).map(|s| format!("{s}%")),
                _ => None,
            };
            PanelView {
                id: topic.as_str(),
                title: title(&ctx, topic),
                unit: ctx.t(&format!("dashboard.unit.{}", topic.as_str())),
                note: note(&ctx, &d, p),
                chart: chart(
                    rows.iter()
                        .map(|(c, n)| {
                            (
                                label(&ctx, topic, c).to_owned(),
                                n.unwrap_or(0),
                                text(&ctx, *n),
                            )
                        })
                        .collect(),
                ),
                rows: rows
                    .iter()
                    .map(|(c, n)| Row {
                        label: label(&ctx, topic, c),
                        count: text(&ctx, *n),
                        share: shared(*n).unwrap_or_else(|| "–".into()),
                    })
                    .collect(),
                total: text(&ctx, total),
                total_share: if total.unwrap_or(0) > 0 {
                    "100%"
                } else {
                    "–"
                },
                partition: topic.is_partition(),
                labels: rows.iter().map(|(c, _)| label(&ctx, topic, c)).collect(),
                areas,
                area_total: cells(p, d.reads_records)
                    .into_iter()
                    .map(|n| text(&ctx, n))
                    .collect(),
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
        withheld,
        panels,
        ctx,
    }
    .into_response())
}

/// Every table of the page as a workbook: a sheet per topic with a row per region below, the
/// region's own row when it counts something, and the total; a withheld count is the text
/// the page shows.
fn workbook(ctx: &PageCtx, d: &Dashboard) -> Result<Response> {
    let header = |p: &Panel| -> Vec<String> {
        [ctx.t("dashboard.col.region").to_owned()]
            .into_iter()
            .chain(
                p.rows
                    .iter()
                    .map(|(c, _)| label(ctx, p.topic, c).to_owned()),
            )
            .chain(
                p.topic
                    .is_partition()
                    .then(|| ctx.t("dashboard.total").to_owned()),
            )
            .collect()
    };
    let row = |name: &str, p: &Panel, reads_records: bool| -> Vec<Cell> {
        [Cell::Text(name.to_owned())]
            .into_iter()
            .chain(cells(p, reads_records).into_iter().map(|n| match n {
                Some(n) => Cell::Count(n),
                None => Cell::Text(ctx.t("discovery.suppressed").to_owned()),
            }))
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
        for below in &d.below {
            b.row(row(
                &below.region.region.name,
                &below.panels[i],
                below.reads_records,
            ));
        }
        if let Some((label, own)) = own_row(ctx, d, i) {
            b.row(row(label, own, d.reads_records));
        }
        b.row(row(&region_name(ctx, d), p, d.reads_records));
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
