//! 대시보드 — the figures of a region and of each region one level below it, for the officials
//! of the scope: counts only, read from the store's roll-ups (no scan on request). The API is
//! here; the page and its spreadsheet are in [`pages`], the charts in [`chart`].

mod chart;
mod pages;

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use maeul_core::account::{Permission, Principal};
use maeul_core::dashboard::{Panel, Topic, panels, shown};
use maeul_store::region::StoredRegion;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::Result;

const VIEW: Access = Access::Allowed(Permission::ViewDashboards);

pub fn routes(r: Routes) -> Routes {
    pages::routes(r.api(VIEW, routes!(dashboard_api)))
}

/// A region's panels, those of each region below it (in use, or retired with figures) and
/// what is counted at the region itself rather than below it (posts held by a si/gun/gu).
pub(crate) struct Dashboard {
    pub region: StoredRegion,
    pub panels: Vec<Panel>,
    pub own: Vec<Panel>,
    pub below: Vec<Below>,
    /// The newest discovery round, whose households the discovery topics count: (id, name).
    pub round: Option<(i64, String)>,
    /// Whether the user reads the welfare and health records of the region: if not, small
    /// counts of those topics are withheld.
    pub reads_records: bool,
}

pub(crate) struct Below {
    pub region: StoredRegion,
    pub panels: Vec<Panel>,
    pub reads_records: bool,
}

/// The dashboard of a region the user holds [`Permission::ViewDashboards`] on (403 outside the
/// scope, 404 for an unknown code).
pub(crate) async fn dashboard(state: &AppState, user: &Principal, code: &str) -> Result<Dashboard> {
    let region =
        crate::welfare::discovery::region_for(state, user, code, Permission::ViewDashboards, false)
            .await?;
    let mut figures = state
        .store
        .dashboards()
        .figures(&region.region.code)
        .await?;
    let reads = |r: &StoredRegion| user.may_in(Permission::ReadPersonalWelfare, &r.path);
    let below: Vec<Below> = crate::region::children(state, &region.region.code)
        .await?
        .into_iter()
        .filter_map(|child| {
            let counts = figures.below.remove(child.region.code.as_str());
            if child.retired_on.is_some() && counts.is_none() {
                return None;
            }
            Some(Below {
                panels: panels(&counts.unwrap_or_default()),
                reads_records: reads(&child),
                region: child,
            })
        })
        .collect();
    let panels = panels(&figures.figures);
    // A place counts everything itself.
    let own = if below.is_empty() {
        panels.clone()
    } else {
        maeul_core::dashboard::remainder(&panels, below.iter().map(|b| b.panels.as_slice()))
    };
    Ok(Dashboard {
        reads_records: reads(&region),
        region,
        panels,
        own,
        below,
        round: figures.round,
    })
}

/// Figures by topic and code, e.g. `{"cases": {"intake": 3, …}, …}`; a withheld count is null.
type FiguresOut = BTreeMap<&'static str, BTreeMap<&'static str, Option<i64>>>;

fn figures_out(panels: &[Panel], reads_records: bool) -> FiguresOut {
    panels
        .iter()
        .map(|p| {
            let (rows, _) = shown(p, reads_records);
            (p.topic.as_str(), rows.into_iter().collect())
        })
        .collect()
}

/// The OpenAPI schema of the figures: an object per topic with an integer per code.
fn figures_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, SchemaType, Type};
    let mut out = ObjectBuilder::new().schema_type(Type::Object);
    for topic in Topic::ALL {
        let mut panel = ObjectBuilder::new().schema_type(Type::Object);
        let count = if topic.is_personal() {
            SchemaType::from_iter([Type::Integer, Type::Null])
        } else {
            SchemaType::new(Type::Integer)
        };
        for code in topic.codes() {
            panel = panel
                .property(code, ObjectBuilder::new().schema_type(count.clone()))
                .required(code);
        }
        out = out
            .property(
                topic.as_str(),
                panel.additional_properties(Some(AdditionalProperties::FreeForm(false))),
            )
            .required(topic.as_str());
    }
    out.additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build()
}

/// A region's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardOut {
    region_code: String,
    /// The full name (`전국` for the nation).
    region_name: String,
    /// `nation`, `sido`, `sigungu` or `emd`.
    level: &'static str,
    /// The discovery round the `discovery` and `discovery_outcomes` topics count (the newest).
    discovery_round: Option<String>,
    /// Counts over the region and everything below it. `org_models.unrecorded` and
    /// `councils.unrecorded` are the places in use with no record. Counts of `discovery`,
    /// `discovery_outcomes`, `cases` and `health_groups` under 5 are null unless the user reads
    /// the records of the region (welfare staff and nurses of the place, case managers of the
    /// si/gun/gu).
    #[schema(schema_with = figures_schema)]
    figures: FiguresOut,
    /// What is counted at the region itself and not below it (posts whose quota a si/gun/gu
    /// holds; everything, for an eup/myeon/dong): `figures` = `own` + the sum of `below`
    /// wherever no count is withheld.
    #[schema(schema_with = figures_schema)]
    own: FiguresOut,
    below: Vec<DashboardBelow>,
}

/// The figures of a region one level below.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardBelow {
    region_code: String,
    region_name: String,
    /// Set when the region was retired; its figures stay counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    retired_on: Option<String>,
    #[schema(schema_with = figures_schema)]
    figures: FiguresOut,
}

/// The dashboard of a region (`0000000000` for the nation): organisation models, staffing,
/// councils, assemblies and participation, discovery, cases, health care, linkages and grants
/// in counts, and the same for each region one level below. Answered from kept roll-ups.
#[utoipa::path(get, path = "/dashboards/{code}", tag = "organisation",
    params(("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$")),
    responses(
        (status = 200, body = DashboardOut),
        (status = 401, description = "Not signed in", content_type = "application/problem+json"),
        (status = 403, description = "Outside the user's scope", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
    ))]
async fn dashboard_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<DashboardOut>> {
    let d = dashboard(&state, &user, &code).await?;
    Ok(Json(DashboardOut {
        region_code: d.region.region.code.to_string(),
        region_name: d.region.region.full_name.clone(),
        level: d.region.region.level.as_str(),
        discovery_round: d.round.as_ref().map(|(_, name)| name.clone()),
        figures: figures_out(&d.panels, d.reads_records),
        own: figures_out(&d.own, d.reads_records),
        below: d
            .below
            .iter()
            .map(|b| DashboardBelow {
                region_code: b.region.region.code.to_string(),
                region_name: b.region.region.name.clone(),
                retired_on: b.region.retired_on.clone(),
                figures: figures_out(&b.panels, b.reads_records),
            })
            .collect(),
    }))
}
