//! Pages of staffing: for everyone, the headcount by staff kind at every level (a spreadsheet
//! for the standard labour cost); for programme and ministry staff, the roster of a region's
//! posts, the form that adds one, and the form that fills a post or takes it off.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::Permission;
use maeul_core::format;
use maeul_core::org::staffing::StaffKind;
use maeul_core::region::{Level, RegionCode};
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{
    PostQuery, StaffCountsOut, StaffHeadcount, StaffHolderIn, StaffPostIn, StaffPostOut, add,
    headcount, kept_post, kept_region, posts_out, set_holder,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{Cell, Choice, PageCtx, XlsxDownload, form_answer, form_error, query_string};
use crate::paging::{Pager, Paging};

const MANAGE: Access = Access::Allowed(Permission::ManageStaffing);

pub fn routes(r: Routes) -> Routes {
    r.page("/staffing/{code}", Access::Public, get(headcount_page))
        .page(
            "/work/staffing/{code}",
            MANAGE,
            get(roster_page).post(add_form),
        )
        .page(
            "/work/staff-posts/{id}",
            MANAGE,
            get(post_page).post(holder_form),
        )
        .page("/work/staff-posts/{id}/removal", MANAGE, post(remove_form))
}

fn kind_label(ctx: &PageCtx, k: StaffKind) -> &'static str {
    ctx.t(&format!("staffing.kind.{}", k.as_str()))
}

// ---------------------------------------------------------------------------------------
// Headcount at every level

struct HeadcountRow {
    name: String,
    href: String,
    /// Posts and vacancies of each kind in [`StaffKind::ALL`] order, then of all.
    cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/staffing/headcount.html")]
struct HeadcountPage {
    ctx: PageCtx,
    name: String,
    code: String,
    kinds: Vec<&'static str>,
    rows: Vec<HeadcountRow>,
    total: HeadcountRow,
    up: Option<String>,
    may_keep: bool,
}

#[derive(Debug, Default, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

fn by_kind(c: &StaffCountsOut) -> [&StaffHeadcount; 5] {
    [&c.programme, &c.welfare, &c.nurse, &c.autonomy, &c.total]
}

/// Posts and vacancies by kind in a region and each region below it, each row a level down;
/// `?format=xlsx` downloads the same table, counts as numbers.
async fn headcount_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<FormatQuery>,
) -> Result<Response> {
    let region = RegionCode::parse(&code).map_err(|_| Problem::not_found())?;
    let out = headcount(&state, &region).await?;
    let own = own_label(&ctx, &region);
    match query.format.as_deref() {
        None | Some("") => {}
        Some("xlsx") => return headcount_xlsx(&ctx, &out, own),
        Some(_) => return Err(Problem::field("format", "field.choice")),
    }
    let name = if out.region_name.is_empty() {
        ctx.t("region.nation").to_owned()
    } else {
        out.region_name.clone()
    };
    let row = |name: String, href: String, c: &StaffCountsOut| HeadcountRow {
        name,
        href,
        cells: by_kind(c)
            .into_iter()
            .flat_map(|h| [format::thousands(h.posts), format::thousands(h.vacant)])
            .collect(),
    };
    let mut rows: Vec<HeadcountRow> = Vec::new();
    if out.own.total.posts > 0 {
        rows.push(row(own.to_owned(), String::new(), &out.own));
    }
    rows.extend(out.below.iter().map(|b| {
        row(
            b.name.clone(),
            format!("/staffing/{}", b.region_code),
            &b.counts,
        )
    }));
    let stored = state.store.regions().get(&region).await?;
    let up = match region.level() {
        Level::Nation => None,
        Level::Sido => Some(RegionCode::NATION.to_owned()),
        _ => stored
            .as_ref()
            .and_then(|r| r.path.codes().iter().rev().nth(1).cloned())
            .map(|c| c.to_string()),
    };
    let path = stored
        .map(|r| r.path)
        .unwrap_or_else(|| maeul_core::region::RegionPath::new(Vec::new()));
    let may_keep = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.may_in(Permission::ManageStaffing, &path));
    let ctx = ctx.crumb_t("staffing.title", None);
    Ok(HeadcountPage {
        total: row(
            ctx.t("staffing.total").to_owned(),
            String::new(),
            &out.counts,
        ),
        kinds: StaffKind::ALL
            .iter()
            .map(|k| kind_label(&ctx, *k))
            .chain([ctx.t("staffing.all")])
            .collect(),
        name,
        code,
        rows,
        up,
        may_keep,
        ctx,
    }
    .into_response())
}

/// The headcount table as a spreadsheet: a row per region below, then the total; for each
/// kind its posts, filled posts and vacancies.
fn headcount_xlsx(ctx: &PageCtx, out: &super::StaffingOut, own: &str) -> Result<Response> {
    let mut header = vec![
        ctx.t("staffing.col.code").to_owned(),
        ctx.t("staffing.col.region").to_owned(),
    ];
    for kind in StaffKind::ALL
        .iter()
        .map(|k| kind_label(ctx, *k))
        .chain([ctx.t("staffing.all")])
    {
        for col in [
            "staffing.col.posts",
            "staffing.col.filled",
            "staffing.col.vacant",
        ] {
            header.push(format!("{kind} {}", ctx.t(col)));
        }
    }
    let mut sheet = XlsxDownload::new(ctx.t("staffing.title"), header);
    let counts = |c: &StaffCountsOut| {
        by_kind(c)
            .into_iter()
            .flat_map(|h| [h.posts, h.filled, h.vacant])
            .map(Cell::Count)
            .collect::<Vec<_>>()
    };
    if out.own.total.posts > 0 {
        let mut row = vec![
            Cell::Text(out.region_code.clone()),
            Cell::Text(own.to_owned()),
        ];
        row.extend(counts(&out.own));
        sheet.row(row);
    }
    for b in &out.below {
        let mut row = vec![
            Cell::Text(b.region_code.clone()),
            Cell::Text(b.name.clone()),
        ];
        row.extend(counts(&b.counts));
        sheet.row(row);
    }
    let mut total = vec![
        Cell::Text(out.region_code.clone()),
        Cell::Text(ctx.t("staffing.total").to_owned()),
    ];
    total.extend(counts(&out.counts));
    sheet.row(total);
    sheet.attachment(&format!("staffing-{}.xlsx", out.region_code))
}

/// What the posts a region holds itself are: a place's own, or a local government's head
/// office and health centre.
fn own_label(ctx: &PageCtx, region: &RegionCode) -> &'static str {
    match region.level() {
        Level::Emd => ctx.t("staffing.own.emd"),
        _ => ctx.t("staffing.own"),
    }
}

// ---------------------------------------------------------------------------------------
// The roster of a region

#[derive(Template, WebTemplate)]
#[template(path = "org/staffing/roster.html")]
struct RosterPage {
    ctx: PageCtx,
    name: String,
    code: String,
    posts: Vec<PostView>,
    total: i64,
    pager: Pager,
    kinds: Vec<Choice>,
    filter_kinds: Vec<Choice>,
    vacant_only: bool,
    places: Vec<Choice>,
    form: AddForm,
    error_field: String,
    error_message: &'static str,
    notice: Option<&'static str>,
}

struct PostView {
    href: String,
    kind: &'static str,
    quota: String,
    placement: String,
    holder: String,
    since: String,
}

fn post_view(ctx: &PageCtx, p: StaffPostOut) -> PostView {
    PostView {
        href: format!("/work/staff-posts/{}", p.id),
        kind: StaffKind::parse(&p.kind)
            .map(|k| kind_label(ctx, k))
            .unwrap_or_default(),
        quota: format!(
            "{} {}",
            p.quota_name,
            ctx.t(&format!("staffing.unit.{}", p.quota_unit))
        ),
        placement: format!(
            "{} {}",
            p.placement_name,
            ctx.t(&format!("staffing.unit.{}", p.placement_unit))
        ),
        holder: p.holder.unwrap_or_default(),
        since: p.since.unwrap_or_default(),
    }
}

/// The add form as typed: the kind and the place (the si/gun/gu itself or one of its
/// eup/myeon/dong), from which the quota and the placement follow.
#[derive(Debug, Default, Deserialize)]
struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    since: String,
}

#[derive(Debug, Default, Deserialize)]
struct RosterQuery {
    kind: Option<String>,
    vacant: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

/// The local government a roster page adds posts to: the one on the region's path (a city,
/// not its 일반구; 세종 itself), none above the local governments.
async fn local_government_of(
    state: &AppState,
    region: &StoredRegion,
) -> Result<Option<StoredRegion>> {
    for code in region.path.codes() {
        let Some(r) = state.store.regions().get(code).await? else {
            continue;
        };
        if crate::region::is_local_government(state, &r).await? {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

async fn roster(
    state: &AppState,
    ctx: PageCtx,
    region: &StoredRegion,
    query: RosterQuery,
    form: AddForm,
    error: Option<&Problem>,
) -> Result<RosterPage> {
    let code = region.region.code.to_string();
    let api_query = PostQuery {
        kind: query.kind.clone().filter(|k| !k.is_empty()),
        vacant: query.vacant.clone().filter(|v| !v.is_empty()),
        ..PostQuery::default()
    };
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (posts, total) = state
        .store
        .staffing()
        .list(
            api_query.filter(region.region.code.clone())?,
            paging.offset(),
            paging.per_page,
        )
        .await?;
    let posts = posts_out(state, posts).await?;
    let base = query_string(&[("kind", &query.kind), ("vacant", &query.vacant)]);
    // Places to add posts at: the si/gun/gu and its eup/myeon/dong, in a roster of one of them.
    let mut places = Vec::new();
    if let Some(government) = local_government_of(state, region).await? {
        let code = &government.region.code;
        let emds = state.store.regions().active_emds().await?;
        places.push(Choice {
            value: code.to_string(),
            label: government.region.full_name.clone(),
            selected: form.place == code.as_str(),
        });
        places.extend(
            emds.into_iter()
                .filter(|r| r.path.within(code))
                .map(|r| Choice {
                    selected: form.place == r.region.code.as_str(),
                    value: r.region.code.to_string(),
                    label: r.region.full_name,
                }),
        );
    }
    let kind_choices = |selected: &str| {
        StaffKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: kind_label(&ctx, *k).to_owned(),
                selected: k.as_str() == selected,
            })
            .collect::<Vec<_>>()
    };
    let mut filter_kinds = vec![Choice {
        value: String::new(),
        label: ctx.t("staffing.all").to_owned(),
        selected: query.kind.as_deref().unwrap_or_default().is_empty(),
    }];
    filter_kinds.extend(kind_choices(query.kind.as_deref().unwrap_or_default()));
    let kinds = kind_choices(&form.kind);
    let (error_field, error_message) = form_error(&ctx, error);
    let notice = match query.done.as_deref() {
        Some("added") => Some("staffing.done.added"),
        Some("saved") => Some("staffing.done.saved"),
        Some("removed") => Some("staffing.done.removed"),
        _ => None,
    };
    let title = ctx.t("staffing.title").to_owned();
    let ctx = ctx
        .crumb(title, Some(format!("/staffing/{code}")))
        .crumb_t("staffing.roster", None);
    Ok(RosterPage {
        name: region.region.full_name.clone(),
        posts: posts.into_iter().map(|p| post_view(&ctx, p)).collect(),
        total,
        pager: Pager::new(paging, total, base),
        kinds,
        filter_kinds,
        vacant_only: query.vacant.as_deref() == Some("1"),
        places,
        form,
        error_field,
        error_message,
        notice,
        code,
        ctx,
    })
}

async fn roster_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<RosterQuery>,
) -> Result<Response> {
    let region = kept_region(&state, &user, &code).await?;
    Ok(
        roster(&state, ctx, &region, query, AddForm::default(), None)
            .await?
            .into_response(),
    )
}

async fn add_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<AddForm>,
) -> Result<Response> {
    let region = kept_region(&state, &user, &code).await?;
    let outcome = async {
        let kind =
            StaffKind::parse(&form.kind).ok_or_else(|| Problem::field("kind", "field.choice"))?;
        let government = local_government_of(&state, &region)
            .await?
            .ok_or_else(|| Problem::field("place", "field.choice"))?;
        // Welfare and autonomy posts are held and placed by the chosen place itself; programme
        // staff and nurses are held by the local government (a nurse placed in the chosen place).
        let quota_code = match kind {
            StaffKind::Welfare | StaffKind::Autonomy => form.place.clone(),
            StaffKind::Programme | StaffKind::Nurse => government.region.code.to_string(),
        };
        let quota =
            kept_region(&state, &user, &quota_code)
                .await
                .map_err(|p| match p.status.as_u16() {
                    403 | 404 => Problem::field("place", "staffing.error.placement"),
                    _ => p,
                })?;
        let sent = StaffPostIn {
            kind: form.kind.clone(),
            placement_code: Some(form.place.clone()),
            holder: Some(form.holder.clone()),
            since: Some(form.since.clone()),
        };
        add(&state, &user, &quota, &sent).await?;
        Ok(format!("/work/staffing/{code}?done=added"))
    }
    .await;
    form_answer(outcome, |p| async move {
        roster(&state, ctx, &region, RosterQuery::default(), form, Some(&p)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// One post

#[derive(Template, WebTemplate)]
#[template(path = "org/staffing/post.html")]
struct PostPage {
    ctx: PageCtx,
    id: i64,
    view: PostView,
    roster: String,
    holder: String,
    since: String,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct HolderForm {
    #[serde(default)]
    holder: String,
    #[serde(default)]
    since: String,
}

async fn post_view_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    typed: Option<HolderForm>,
    error: Option<&Problem>,
) -> Result<PostPage> {
    let post = state
        .store
        .staffing()
        .get(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    let roster = format!("/work/staffing/{}", post.quota_code);
    let out = posts_out(state, vec![post])
        .await?
        .pop()
        .ok_or_else(Problem::not_found)?;
    let typed = typed.unwrap_or_else(|| HolderForm {
        holder: out.holder.clone().unwrap_or_default(),
        since: out.since.clone().unwrap_or_default(),
    });
    let (error_field, error_message) = form_error(&ctx, error);
    let title = ctx.t("staffing.roster").to_owned();
    let ctx = ctx
        .crumb(title, Some(roster.clone()))
        .crumb_t("staffing.post", None);
    Ok(PostPage {
        id,
        view: post_view(&ctx, out),
        roster,
        holder: typed.holder,
        since: typed.since,
        error_field,
        error_message,
        ctx,
    })
}

async fn post_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let post = kept_post(&state, &user, &id).await?;
    Ok(post_view_page(&state, ctx, post.id, None, None)
        .await?
        .into_response())
}

async fn holder_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<HolderForm>,
) -> Result<Response> {
    let post = kept_post(&state, &user, &id).await?;
    let sent = StaffHolderIn {
        holder: Some(form.holder.clone()),
        since: Some(form.since.clone()),
    };
    let outcome = set_holder(&state, &user, &post, &sent)
        .await
        .map(|()| format!("/work/staffing/{}?done=saved", post.quota_code));
    form_answer(outcome, |p| async move {
        post_view_page(&state, ctx, post.id, Some(form), Some(&p)).await
    })
    .await
}

async fn remove_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let post = kept_post(&state, &user, &id).await?;
    if !state.store.staffing().remove(post.id).await? {
        return Err(Problem::not_found());
    }
    Ok(
        axum::response::Redirect::to(&format!("/work/staffing/{}?done=removed", post.quota_code))
            .into_response(),
    )
}
