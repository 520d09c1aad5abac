//! Regions: the public portal (find your eup/myeon/dong), the public home of a place, and the
//! regions API.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, State};
use axum::routing::get;
use maeul_core::region::{Level, RegionCode};
use maeul_store::region::{RegionFilter, StoredRegion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, Routes};
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::PageCtx;
use crate::paging::{Pager, Paging};

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(list_regions))
        .api(Access::Public, routes!(get_region))
        .page("/", Access::Public, get(portal))
        .page("/r/{code}", Access::Public, get(place))
}

/// A region as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionOut {
    /// 행정기관코드, 10 digits.
    #[schema(example = "1111051500")]
    code: String,
    #[schema(example = "청운효자동")]
    name: String,
    #[schema(example = "서울특별시 종로구 청운효자동")]
    full_name: String,
    /// `sido`, `sigungu` or `emd`.
    #[schema(example = "emd")]
    level: String,
    /// `sido`, `city`, `parent_city`, `county`, `district`, `ilbangu`, `eup`, `myeon` or `dong`.
    #[schema(example = "dong")]
    kind: String,
    /// The region directly above; `0000000000` (the nation) for a si/do.
    #[schema(example = "1111000000")]
    parent: Option<String>,
    /// The date the code was retired, when it was.
    retired_on: Option<String>,
}

impl From<&StoredRegion> for RegionOut {
    fn from(r: &StoredRegion) -> Self {
        RegionOut {
            code: r.region.code.to_string(),
            name: r.region.name.clone(),
            full_name: r.region.full_name.clone(),
            level: r.region.level.as_str().to_owned(),
            kind: r.region.kind.as_str().to_owned(),
            parent: Some(
                r.region
                    .parent
                    .as_ref()
                    .map_or(RegionCode::NATION.to_owned(), |p| p.to_string()),
            ),
            retired_on: r.retired_on.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    items: Vec<RegionOut>,
    total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    region: RegionOut,
    /// Active regions directly below.
    children: i64,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// `sido`, `sigungu` or `emd`.
    #[param(pattern = "^(sido|sigungu|emd)$")]
    level: Option<String>,
    /// Only regions directly below this code (`0000000000` for the si/do).
    #[param(pattern = "^[0-9]{8}00$")]
    parent: Option<String>,
    /// Part of the full name (`청운효자`) or the first digits of a code.
    #[param(max_length = 100)]
    q: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

impl RegionQuery {
    fn filter(&self) -> Result<RegionFilter> {
        let level = match self
            .level
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(
                Level::parse(s)
                    .filter(|l| *l != Level::Nation)
                    .ok_or_else(|| Problem::field("level", "field.level"))?,
            ),
        };
        let parent = match self
            .parent
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(
                RegionCode::parse(s).map_err(|_| Problem::field("parent", "field.region_code"))?,
            ),
        };
        let q = self
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            return Err(Problem::field("q", "field.query"));
        }
        Ok(RegionFilter {
            level,
            parent,
            q,
            include_retired: false,
        })
    }
}

/// Lists regions, filtered by level, parent and name.
#[utoipa::path(get, path = "/regions", tag = "regions", params(RegionQuery),
    responses(
        (status = 200, body = RegionList),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong; `errors[].field` names it", content_type = "application/problem+json"),
    ))]
async fn list_regions(
    State(state): State<AppState>,
    Params(query): Params<RegionQuery>,
) -> Result<Json<RegionList>> {
    no_empty_values(&[
        ("level", &query.level),
        ("parent", &query.parent),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let filter = query.filter()?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let page = state
        .store
        .regions()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(RegionList {
        items: page.items.iter().map(RegionOut::from).collect(),
        total: page.total,
    }))
}

/// One region with the number of regions directly below it.
#[utoipa::path(get, path = "/regions/{code}", tag = "regions",
    params(("code" = String, Path, description = "행정기관코드", example = "1111051500", pattern = "^[0-9]{8}00$")),
    responses(
        (status = 200, body = RegionDetail),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "Not a region code", content_type = "application/problem+json"),
    ))]
async fn get_region(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<RegionDetail>> {
    let code = RegionCode::parse(&code).map_err(|_| Problem::field("code", "field.region_code"))?;
    if code.level() == Level::Nation {
        return Err(Problem::not_found());
    }
    let region = state
        .store
        .regions()
        .get(&code)
        .await?
        .ok_or_else(Problem::not_found)?;
    let children = state.store.regions().child_count(&code).await?;
    Ok(Json(RegionDetail {
        region: RegionOut::from(&region),
        children,
    }))
}

/// A link to a region for templates.
pub struct RegionLink {
    pub code: String,
    pub name: String,
    pub full_name: String,
    pub kind: &'static str,
}

impl RegionLink {
    fn new(ctx: &PageCtx, r: &StoredRegion) -> Self {
        RegionLink {
            code: r.region.code.to_string(),
            name: r.region.name.clone(),
            full_name: r.region.full_name.clone(),
            kind: ctx.t(&format!("region.kind.{}", r.region.kind.as_str())),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/index.html")]
struct PortalPage {
    ctx: PageCtx,
    q: String,
    sido: Vec<RegionLink>,
    results: Option<Vec<RegionLink>>,
    total: i64,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
struct PortalQuery {
    q: Option<String>,
    page: Option<String>,
}

/// The public portal: find an eup/myeon/dong by name or browse from the si/do.
async fn portal(
    State(state): State<AppState>,
    ctx: PageCtx,
    Params(query): Params<PortalQuery>,
) -> Result<PortalPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let q = query
        .q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(100)
        .collect::<String>();
    let regions = state.store.regions();
    let sido = regions
        .list(
            RegionFilter {
                level: Some(Level::Sido),
                ..Default::default()
            },
            0,
            100,
        )
        .await?
        .items
        .iter()
        .map(|r| RegionLink::new(&ctx, r))
        .collect();
    let (results, total) = if q.is_empty() {
        (None, 0)
    } else {
        let page = regions
            .list(
                RegionFilter {
                    level: Some(Level::Emd),
                    q: Some(q.clone()),
                    ..Default::default()
                },
                paging.offset(),
                paging.per_page,
            )
            .await?;
        (
            Some(
                page.items
                    .iter()
                    .map(|r| RegionLink::new(&ctx, r))
                    .collect(),
            ),
            page.total,
        )
    };
    let base = format!("q={}", crate::page::utf8_percent(&q));
    let title = ctx.t("portal.title");
    let ctx = ctx.crumb(title, None);
    Ok(PortalPage {
        ctx,
        q,
        sido,
        results,
        total,
        pager: Pager::new(paging, total, base),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "region/show.html")]
struct PlacePage {
    ctx: PageCtx,
    region: RegionLink,
    level: &'static str,
    retired: Option<String>,
    children_title: &'static str,
    children: Vec<RegionLink>,
    lead: String,
}

/// The public home of a place: a si/do or si/gun/gu lists what lies below; an eup/myeon/dong
/// is the resident autonomy space of that place.
async fn place(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<PlacePage> {
    let code = RegionCode::parse(&code).map_err(|_| Problem::not_found())?;
    let regions = state.store.regions();
    let region = regions
        .get(&code)
        .await?
        .filter(|r| r.region.level != Level::Nation)
        .ok_or_else(Problem::not_found)?;
    let mut ctx = ctx;
    for ancestor in region.path.codes().iter().filter(|c| **c != code) {
        if let Some(a) = regions.get(ancestor).await? {
            ctx = ctx.crumb(a.region.name.clone(), Some(format!("/r/{ancestor}")));
        }
    }
    ctx = ctx.crumb(region.region.name.clone(), None);
    let children = regions
        .list(
            RegionFilter {
                parent: Some(code.clone()),
                ..Default::default()
            },
            0,
            500,
        )
        .await?
        .items
        .iter()
        .map(|r| RegionLink::new(&ctx, r))
        .collect::<Vec<_>>();
    let children_title = ctx.t(match region.region.level {
        Level::Sido => "region.children.sido",
        Level::Sigungu
            if children
                .iter()
                .all(|c| c.kind == ctx.t("region.kind.ilbangu"))
                && !children.is_empty() =>
        {
            "region.children.list"
        }
        _ => "region.children.sigungu",
    });
    let lead = ctx.tf("region.emd.lead", &[("name", &region.region.full_name)]);
    let retired = region
        .retired_on
        .as_ref()
        .map(|d| ctx.tf("region.retired", &[("date", d)]));
    Ok(PlacePage {
        level: region.region.level.as_str(),
        region: RegionLink::new(&ctx, &region),
        ctx,
        retired,
        children_title,
        children,
        lead,
    })
}

/// The page of a region: `/r/{code}`, and the portal for the nation (which has no place page).
pub(crate) fn region_href(code: &str) -> String {
    if code == RegionCode::NATION {
        "/".to_owned()
    } else {
        format!("/r/{code}")
    }
}

/// The name of a region (empty for the nation; 404 for an unknown code) and the names of the
/// regions one step below it, retired ones too, read in one query rather than one per row.
pub(crate) async fn below_names(
    state: &AppState,
    code: &RegionCode,
) -> Result<(String, std::collections::HashMap<String, String>)> {
    let name = if code.level() == Level::Nation {
        String::new()
    } else {
        state
            .store
            .regions()
            .get(code)
            .await?
            .ok_or_else(Problem::not_found)?
            .region
            .full_name
    };
    let names = children(state, code)
        .await?
        .into_iter()
        .map(|r| (r.region.code.to_string(), r.region.name))
        .collect();
    Ok((name, names))
}

/// The regions one step below a region, retired ones too, in one query.
pub(crate) async fn children(state: &AppState, code: &RegionCode) -> Result<Vec<StoredRegion>> {
    let children = RegionFilter {
        parent: Some(code.clone()),
        include_retired: true,
        ..Default::default()
    };
    Ok(state
        .store
        .regions()
        .list(children, 0, i64::MAX)
        .await?
        .items)
}

/// Whether a region is a local government of its own ([`maeul_core::region::is_local_government`]):
/// a si/do counts when it has no si/gun/gu below it (세종).
pub(crate) async fn is_local_government(state: &AppState, r: &StoredRegion) -> Result<bool> {
    let sigungu_below = r.region.level == Level::Sido
        && state
            .store
            .regions()
            .list(
                RegionFilter {
                    level: Some(Level::Sigungu),
                    parent: Some(r.region.code.clone()),
                    ..RegionFilter::default()
                },
                0,
                1,
            )
            .await?
            .total
            > 0;
    Ok(maeul_core::region::is_local_government(
        r.region.kind,
        sigungu_below,
    ))
}

/// Which page of a list of what regions keep (courses, MOUs): those of a region and the
/// regions within it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WithinPage {
    /// Those of this region and the regions within it (`0000000000`, the default, for all).
    #[param(pattern = "^[0-9]{8}00$")]
    pub region: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Items per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl WithinPage {
    /// The region (the nation when left out) and the page, for the API: 422 naming the
    /// parameter for an empty value, a malformed code or a page out of range (a code of no
    /// region lists nothing).
    pub(crate) fn read(&self) -> Result<(RegionCode, Paging)> {
        no_empty_values(&[
            ("region", &self.region),
            ("page", &self.page),
            ("per_page", &self.per_page),
        ])?;
        let paging = Paging::parse(self.page.as_deref(), self.per_page.as_deref())?;
        let code = RegionCode::parse(self.region.as_deref().unwrap_or(RegionCode::NATION))
            .map_err(|_| Problem::field("region", "field.region_code"))?;
        Ok((code, paging))
    }
}

/// A region in use (404 if unknown or retired).
pub(crate) async fn in_use(state: &AppState, code: &str) -> Result<StoredRegion> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.retired_on.is_none())
        .ok_or_else(Problem::not_found)
}
