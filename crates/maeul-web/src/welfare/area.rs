//! 지역 분석 — the welfare picture of a place and above, in counts only with small ones
//! withheld: what discovery found, where cases stand, which needs come up most. Staff,
//! programme staff and the councils see it, so that local needs can become agenda items
//! without anyone's personal data.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::routing::get;
use maeul_core::account::{Permission, Principal};
use maeul_core::disclosure::suppress_small;
use maeul_core::format;
use maeul_core::region::RegionCode;
use maeul_core::welfare::case::Step;
use maeul_store::welfare::case::CaseArea;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::PageCtx;
use crate::welfare::discovery::{aggregate_region, roll_up};
use crate::welfare::today;

const AREA: Access = Access::Allowed(Permission::ReadAreaAnalysis);

pub fn routes(r: Routes) -> Routes {
    r.api(AREA, routes!(area_api))
        .page("/work/area", AREA, get(area_page))
}

/// The figures of an area; every count under 5 is `null`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaOut {
    region_code: String,
    /// The newest discovery round, when there is one.
    discovery: Option<DiscoveryArea>,
    cases: CasesArea,
    health: HealthArea,
}

/// Visiting health care: people by risk group and how many are past their visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthArea {
    by_group: Vec<Counted>,
    overdue: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiscoveryArea {
    round: i64,
    round_name: String,
    listed: Option<i64>,
    visited: Option<i64>,
    needed_support: Option<i64>,
    overdue: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CasesArea {
    open: Option<i64>,
    overdue: Option<i64>,
    high_difficulty: Option<i64>,
    /// Open cases by their last step.
    by_step: Vec<Counted>,
    /// Needs domains found in assessments, most frequent first.
    by_need: Vec<Counted>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Counted {
    code: String,
    name: String,
    count: Option<i64>,
}

async fn figures(
    state: &AppState,
    region: &RegionCode,
    ctx_names: impl Fn(&str) -> String,
) -> Result<AreaOut> {
    let today = today();
    let discovery = match state.store.discovery().round(None).await? {
        Some(round) => {
            let (t, _) = roll_up(state, &round, region).await?;
            Some(DiscoveryArea {
                round: round.id,
                round_name: round.name.clone(),
                listed: suppress_small(t.listed),
                visited: suppress_small(t.visited),
                needed_support: suppress_small(t.needed_support()),
                overdue: suppress_small(t.overdue(round.due_on, today)),
            })
        }
        None => None,
    };
    let within = (region.as_str() != RegionCode::NATION).then(|| region.to_string());
    let area: CaseArea = state.store.cases().area(within, today).await?;
    let rules = state.store.cases().rules().await?;
    let domain = |code: &str| {
        rules
            .needs_domains
            .iter()
            .find(|(c, _)| c == code)
            .map_or(code.to_owned(), |(_, n)| n.clone())
    };
    let (groups, health_overdue) = state
        .store
        .health()
        .area(
            (region.as_str() != RegionCode::NATION).then(|| region.to_string()),
            today,
        )
        .await?;
    let health = HealthArea {
        by_group: groups
            .iter()
            .map(|(g, n)| Counted {
                code: g.as_str().to_owned(),
                name: ctx_names(&format!("health.group.{}", g.as_str())),
                count: suppress_small(*n),
            })
            .collect(),
        overdue: suppress_small(health_overdue),
    };
    Ok(AreaOut {
        region_code: region.to_string(),
        health,
        discovery,
        cases: CasesArea {
            open: suppress_small(area.open()),
            overdue: suppress_small(area.overdue),
            high_difficulty: suppress_small(area.high_difficulty),
            by_step: Step::ALL
                .into_iter()
                .filter(|s| s.open())
                .map(|s| Counted {
                    code: s.as_str().to_owned(),
                    name: ctx_names(&format!("case.step.{}", s.as_str())),
                    count: suppress_small(
                        area.by_step
                            .iter()
                            .find(|(x, _)| *x == s)
                            .map_or(0, |(_, n)| *n),
                    ),
                })
                .collect(),
            by_need: area
                .by_need
                .iter()
                .map(|(code, n)| Counted {
                    code: code.clone(),
                    name: domain(code),
                    count: suppress_small(*n),
                })
                .collect(),
        },
    })
}

/// The welfare picture of a region at any level the user covers: counts only, under 5 `null`.
#[utoipa::path(get, path = "/regions/{code}/welfare-area", tag = "welfare", params(
        ("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = AreaOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "The region is outside the user's scope", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
    ))]
async fn area_api(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<AreaOut>> {
    let region = aggregate_region(&state, &user, &code, Permission::ReadAreaAnalysis).await?;
    Ok(Json(
        figures(&state, &region, |k| ctx.t(k).to_owned()).await?,
    ))
}

struct Row {
    label: String,
    value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "welfare/area.html")]
struct AreaPage {
    ctx: PageCtx,
    region_name: String,
    discovery: Vec<Row>,
    round_name: String,
    cases: Vec<Row>,
    steps: Vec<Row>,
    needs: Vec<Row>,
    health: Vec<Row>,
}

#[derive(Debug, Default, Deserialize)]
struct AreaQuery {
    region: Option<String>,
}

fn shown(ctx: &PageCtx, n: Option<i64>) -> String {
    n.map_or_else(
        || ctx.t("discovery.suppressed").to_owned(),
        format::thousands,
    )
}

async fn area_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<AreaQuery>,
) -> Result<AreaPage> {
    let code = default_region(&user, query.region.as_deref())?;
    let region = aggregate_region(&state, &user, &code, Permission::ReadAreaAnalysis).await?;
    let f = figures(&state, &region, |k| ctx.t(k).to_owned()).await?;
    let region_name = match state.store.regions().get(&region).await? {
        Some(r) => r.region.full_name,
        None => ctx.t("region.nation").to_owned(),
    };
    let row = |key: &str, n: Option<i64>| Row {
        label: ctx.t(key).to_owned(),
        value: shown(&ctx, n),
    };
    let (discovery, round_name) = match &f.discovery {
        Some(d) => (
            vec![
                row("discovery.col.listed", d.listed),
                row("discovery.col.visited", d.visited),
                row("discovery.col.needed", d.needed_support),
                row("discovery.col.overdue", d.overdue),
            ],
            d.round_name.clone(),
        ),
        None => (Vec::new(), String::new()),
    };
    let cases = vec![
        row("area.cases.open", f.cases.open),
        row("area.cases.overdue", f.cases.overdue),
        row("area.cases.hard", f.cases.high_difficulty),
    ];
    let counted = |items: &[Counted]| {
        items
            .iter()
            .map(|c| Row {
                label: c.name.clone(),
                value: shown(&ctx, c.count),
            })
            .collect()
    };
    let steps = counted(&f.cases.by_step);
    let mut health: Vec<Row> = counted(&f.health.by_group);
    health.push(row("health.area.overdue", f.health.overdue));
    let needs = counted(&f.cases.by_need);
    let title = ctx.t("area.title");
    Ok(AreaPage {
        ctx: ctx.crumb(title, None),
        region_name,
        discovery,
        round_name,
        cases,
        steps,
        needs,
        health,
    })
}

/// The region asked for, or the scope of the user's first grant that allows the analysis.
fn default_region(user: &Principal, asked: Option<&str>) -> Result<String> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Ok(code.to_owned()),
        None => user
            .scopes(Permission::ReadAreaAnalysis)
            .first()
            .map(|s| s.to_string())
            .ok_or_else(Problem::forbidden),
    }
}
