//! Pages of the council: for everyone, a place's council (status, basis, subcommittees,
//! meetings with minutes, lotteries) and the councils by status at every level; for the
//! council's officers, autonomy staff and programme staff, the workspace that keeps them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::council::{Council, CouncilStatus, MemberRole, StatusCounts};
use maeul_core::format;
use maeul_core::region::{Level, RegionCode};
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{
    CouncilIn, MeetingIn, RoleIn, add_meeting, add_subcommittee, emd, managed_place, member_of,
    member_problem, statuses,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::lottery::{LotteryIn, stage};
use crate::error::{Params, Problem, Result};
use crate::page::{Cell, Choice, PageCtx, XlsxDownload, form_error};
use crate::paging::{Pager, Paging};
use crate::welfare::today;

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/council", Access::Public, get(show))
        .page("/councils/{code}", Access::Public, get(statuses_page))
        .page("/work/council", MANAGE, get(work))
        .page("/work/council/status", MANAGE, post(status_form))
        .page(
            "/work/council/subcommittees",
            MANAGE,
            post(subcommittee_form),
        )
        .page("/work/council/meetings", MANAGE, post(meeting_form))
        .page("/work/council/lotteries", MANAGE, post(lottery_form))
        .page("/work/council/agenda-ladder", MANAGE, post(ladder_form))
        .page("/work/council/members/{id}/role", MANAGE, post(role_form))
        .page("/work/council/members/{id}/end", MANAGE, post(end_form))
}

pub(crate) fn status_label(ctx: &PageCtx, s: CouncilStatus) -> &'static str {
    ctx.t(&format!("council.status.{}", s.as_str()))
}

fn day(ctx: &PageCtx, d: Option<time::Date>) -> String {
    d.map(|d| format::date(d, ctx.lang)).unwrap_or_default()
}

/// The facts of a council, as every council page shows them.
struct Facts {
    status: &'static str,
    status_label: &'static str,
    ordinance: String,
    ordinance_on: String,
    pilot_designated_on: String,
}

fn facts(ctx: &PageCtx, c: &Council) -> Facts {
    Facts {
        status: c.status.as_str(),
        status_label: status_label(ctx, c.status),
        ordinance: c.ordinance.clone().unwrap_or_default(),
        ordinance_on: day(ctx, c.ordinance_on),
        pilot_designated_on: day(ctx, c.pilot_designated_on),
    }
}

struct MeetingView {
    title: String,
    held_on: String,
    body: String,
    agenda: String,
    attendance: String,
    minutes: Option<String>,
}

/// A serving member as the pages list them.
struct MemberView {
    id: i64,
    name: String,
    role: &'static str,
    role_label: &'static str,
    subcommittee: String,
    term: String,
}

fn member_views(
    ctx: &PageCtx,
    list: Vec<maeul_store::autonomy::council::Member>,
) -> Vec<MemberView> {
    list.into_iter()
        .map(|m| MemberView {
            id: m.id,
            role: m.role.as_str(),
            role_label: ctx.t(&format!("council.role.{}", m.role.as_str())),
            subcommittee: m.subcommittee.unwrap_or_default(),
            term: format!(
                "{} ~ {}",
                format::date(m.term_starts, ctx.lang),
                format::date(m.term_ends, ctx.lang)
            ),
            name: m.name,
        })
        .collect()
}

struct LotteryLink {
    href: String,
    title: String,
    stage: &'static str,
    stage_label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/council/show.html")]
struct ShowPage {
    ctx: PageCtx,
    code: String,
    place: String,
    facts: Facts,
    subcommittees: Vec<String>,
    members: Vec<MemberView>,
    meetings: Vec<MeetingView>,
    pager: Pager,
    lotteries: Vec<LotteryLink>,
    sigungu: Option<String>,
    may_manage: bool,
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    page: Option<String>,
}

async fn meeting_views(
    state: &AppState,
    ctx: &PageCtx,
    code: &RegionCode,
    paging: Paging,
) -> Result<(Vec<MeetingView>, i64)> {
    let (list, total) = state
        .store
        .councils()
        .meetings(code, paging.offset(), paging.per_page)
        .await?;
    let views = list
        .into_iter()
        .map(|m| MeetingView {
            held_on: format::date(m.meeting.held_on, ctx.lang),
            body: m
                .subcommittee
                .unwrap_or_else(|| ctx.t("council.whole").to_owned()),
            attendance: ctx.tf(
                "council.attendance",
                &[
                    ("attended", &m.meeting.attended.to_string()),
                    ("members", &m.meeting.members.to_string()),
                ],
            ),
            title: m.meeting.title,
            agenda: m.meeting.agenda,
            minutes: m.meeting.minutes,
        })
        .collect();
    Ok((views, total))
}

fn lottery_links(
    ctx: &PageCtx,
    list: &[maeul_store::autonomy::lottery::Lottery],
    work: bool,
) -> Vec<LotteryLink> {
    list.iter()
        .map(|l| LotteryLink {
            href: if work {
                format!("/work/lotteries/{}", l.id)
            } else {
                format!("/r/{}/lotteries/{}", l.emd_code, l.id)
            },
            title: l.title.clone(),
            stage: stage(l),
            stage_label: ctx.t(&format!("lottery.stage.{}", stage(l))),
        })
        .collect()
}

/// A place's council, public.
async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<PageQuery>,
) -> Result<ShowPage> {
    let place = emd(&state, &code).await?;
    let code = place.region.code.clone();
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("council.title", None);
    let council = state.store.councils().get(&code).await?.council;
    let subcommittees = state
        .store
        .councils()
        .subcommittees(&code)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect();
    let (meetings, total) = meeting_views(&state, &ctx, &code, paging).await?;
    let members = member_views(&ctx, state.store.councils().members(&code, today()).await?);
    let lotteries = lottery_links(&ctx, &state.store.lotteries().of_place(&code).await?, false);
    let may_manage = ctx
        .user
        .as_ref()
        .is_some_and(|p| p.may_in(Permission::ManageCouncil, &place.path));
    Ok(ShowPage {
        facts: facts(&ctx, &council),
        place: place.region.full_name.clone(),
        sigungu: code.sigungu_prefix().map(|s| s.to_string()),
        code: code.to_string(),
        subcommittees,
        members,
        meetings,
        pager: Pager::new(paging, total, String::new()),
        lotteries,
        may_manage,
        ctx,
    })
}

struct StatusRow {
    name: String,
    href: String,
    none: String,
    committee: String,
    pilot: String,
    established: String,
    total: String,
    share: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/council/statuses.html")]
struct StatusesPage {
    ctx: PageCtx,
    name: String,
    total: StatusRow,
    rows: Vec<StatusRow>,
    up: Option<String>,
    xlsx_href: String,
}

fn permille(n: i64) -> String {
    format!("{}.{}%", n / 10, n % 10)
}

/// Councils by status in a region and each region below it; each row leads a level down,
/// down to the places' own council pages.
async fn statuses_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<FormatQuery>,
) -> Result<Response> {
    let (name, out) = statuses(&state, &code).await?;
    match query.format.as_deref() {
        None | Some("") => {}
        Some("xlsx") => return statuses_xlsx(&ctx, &code, &out),
        Some(_) => return Err(Problem::field("format", "field.choice")),
    }
    let region = RegionCode::parse(&code).map_err(|_| Problem::not_found())?;
    let name = if name.is_empty() {
        ctx.t("region.nation").to_owned()
    } else {
        name
    };
    let ctx = ctx.crumb_t("council.statuses.title", None);
    let row = |name: String, href: String, c: &super::CountsOut| {
        let counts = StatusCounts {
            none: c.none,
            committee: c.committee,
            pilot: c.pilot,
            established: c.established,
        };
        StatusRow {
            name,
            href,
            none: format::thousands(c.none),
            committee: format::thousands(c.committee),
            pilot: format::thousands(c.pilot),
            established: format::thousands(c.established),
            total: format::thousands(c.total),
            share: permille(counts.council_permille()),
        }
    };
    let rows = out
        .below
        .iter()
        .map(|b| {
            let href = match RegionCode::parse(&b.region_code).map(|r| r.level()) {
                Ok(Level::Emd) => format!("/r/{}/council", b.region_code),
                _ => format!("/councils/{}", b.region_code),
            };
            row(b.name.clone(), href, &b.counts)
        })
        .collect();
    let up = match region.level() {
        Level::Nation => None,
        Level::Sido => Some(RegionCode::NATION.to_owned()),
        _ => state
            .store
            .regions()
            .get(&region)
            .await?
            .and_then(|r| r.path.codes().iter().rev().nth(1).cloned())
            .map(|c| c.to_string()),
    };
    Ok(StatusesPage {
        total: row(
            ctx.t("council.statuses.total").to_owned(),
            String::new(),
            &out.counts,
        ),
        xlsx_href: format!("/councils/{code}?format=xlsx"),
        name,
        rows,
        up,
        ctx,
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
struct FormatQuery {
    format: Option<String>,
}

/// The same table as a spreadsheet: a row per region below, then the total; counts as
/// numbers.
fn statuses_xlsx(ctx: &PageCtx, code: &str, out: &super::StatusesOut) -> Result<Response> {
    let header = [
        "council.col.code",
        "council.col.region",
        "council.status.established",
        "council.status.pilot",
        "council.status.committee",
        "council.status.none",
        "council.col.total",
    ]
    .iter()
    .map(|k| ctx.t(k).to_owned())
    .collect();
    let mut sheet = XlsxDownload::new(ctx.t("council.statuses.title"), header);
    let counts = |c: &super::CountsOut| {
        [c.established, c.pilot, c.committee, c.none, c.total].map(Cell::Count)
    };
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
        Cell::Text(ctx.t("council.statuses.total").to_owned()),
    ];
    total.extend(counts(&out.counts));
    sheet.row(total);
    sheet.attachment(&format!("councils-{code}.xlsx"))
}

// ---------------------------------------------------------------------------------------
// Workspace

/// Every form of the workspace as typed, so that a refused one comes back filled in.
#[derive(Debug, Default, Deserialize)]
struct WorkForms {
    #[serde(default)]
    region: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    ordinance: String,
    #[serde(default)]
    ordinance_on: String,
    #[serde(default)]
    pilot_designated_on: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    attended: String,
    #[serde(default)]
    members: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    subcommittee_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    seats: String,
    #[serde(default)]
    min_training_hours: String,
    #[serde(default)]
    max_gender_percent: String,
    #[serde(default)]
    reserved_disadvantaged: String,
    #[serde(default)]
    reserved_youth: String,
    #[serde(default)]
    alternates: String,
    #[serde(default)]
    done: Option<String>,
}

fn number(field: &str, s: &str) -> Result<u32> {
    s.trim()
        .parse()
        .map_err(|_| Problem::field(field, "field.number"))
}

fn optional_number(field: &str, s: &str) -> Result<Option<u32>> {
    match s.trim() {
        "" => Ok(None),
        s => number(field, s).map(Some),
    }
}

impl WorkForms {
    fn council(&self) -> CouncilIn {
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        CouncilIn {
            status: self.status.clone(),
            ordinance: some(&self.ordinance),
            ordinance_on: some(&self.ordinance_on),
            pilot_designated_on: some(&self.pilot_designated_on),
        }
    }

    fn meeting(&self) -> Result<MeetingIn> {
        Ok(MeetingIn {
            title: self.title.clone(),
            held_on: self.held_on.clone(),
            agenda: self.agenda.clone(),
            attended: number("attended", &self.attended)?,
            members: number("members", &self.members)?,
            minutes: Some(self.minutes.clone()),
            subcommittee_id: match self.subcommittee_id.trim() {
                "" => None,
                s => Some(
                    s.parse()
                        .map_err(|_| Problem::field("subcommittee_id", "field.choice"))?,
                ),
            },
        })
    }

    fn lottery(&self) -> Result<LotteryIn> {
        let mut reserved = Vec::new();
        for (category, seats) in [
            ("disadvantaged", &self.reserved_disadvantaged),
            ("youth", &self.reserved_youth),
        ] {
            if let Some(n) = optional_number("reserved", seats)?.filter(|n| *n > 0) {
                reserved.push(super::super::lottery::ReservationIn {
                    category: category.into(),
                    seats: n,
                });
            }
        }
        Ok(LotteryIn {
            title: self.title.clone(),
            seats: number("seats", &self.seats)?,
            min_training_hours: optional_number("min_training_hours", &self.min_training_hours)?,
            max_gender_percent: optional_number("max_gender_percent", &self.max_gender_percent)?,
            reserved,
            alternates: optional_number("alternates", &self.alternates)?.unwrap_or(0),
        })
    }
}

struct ChangeView {
    at: String,
    status: &'static str,
    source: &'static str,
    ordinance: String,
}

struct PlaceLink {
    href: String,
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/council/work.html")]
struct WorkPage {
    ctx: PageCtx,
    /// None: the user picks a place first.
    place: Option<String>,
    region: String,
    places: Vec<PlaceLink>,
    form: WorkForms,
    /// Which form was refused, and why.
    refused: &'static str,
    error_field: String,
    error_message: String,
    notice: Option<&'static str>,
    facts: Option<Facts>,
    statuses: Vec<Choice>,
    subcommittees: Vec<Choice>,
    members: Vec<MemberView>,
    roles: Vec<Choice>,
    changes: Vec<ChangeView>,
    lotteries: Vec<LotteryLink>,
}

#[derive(Debug, Default, Deserialize)]
struct WorkQuery {
    region: Option<String>,
    done: Option<String>,
}

/// The places the user keeps councils for: their own eup/myeon/dong, and for wider scopes a
/// way into the overview of that scope.
async fn scopes(state: &AppState, user: &Principal) -> Result<Vec<PlaceLink>> {
    let mut out = Vec::new();
    for scope in user.scopes(Permission::ManageCouncil) {
        let name = match state.store.regions().get(&scope).await? {
            Some(r) => r.region.full_name,
            None => continue,
        };
        let href = if scope.level() == Level::Emd {
            format!("/work/council?region={scope}")
        } else {
            format!("/councils/{scope}")
        };
        out.push(PlaceLink { href, name });
    }
    Ok(out)
}

async fn work(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<WorkQuery>,
) -> Result<Response> {
    let region = match query.region.filter(|r| !r.is_empty()) {
        Some(r) => r,
        None => {
            let places = scopes(&state, &user).await?;
            if let [only] = places.as_slice()
                && only.href.starts_with("/work/")
            {
                return Ok(Redirect::to(&only.href).into_response());
            }
            let ctx = ctx.crumb_t("council.work.title", None);
            return Ok(WorkPage {
                ctx,
                place: None,
                region: String::new(),
                places,
                form: WorkForms::default(),
                refused: "",
                error_field: String::new(),
                error_message: String::new(),
                notice: None,
                facts: None,
                statuses: vec![],
                subcommittees: vec![],
                members: vec![],
                roles: vec![],
                changes: vec![],
                lotteries: vec![],
            }
            .into_response());
        }
    };
    let place = managed_place(&state, &user, &region).await?;
    let form = WorkForms {
        done: query.done,
        ..WorkForms::default()
    };
    Ok(render(&state, ctx, &place, form, None)
        .await?
        .into_response())
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    place: &StoredRegion,
    mut form: WorkForms,
    refused: Option<(&'static str, &Problem)>,
) -> Result<WorkPage> {
    let code = &place.region.code;
    let ctx = ctx
        .crumb_t("council.work.title", Some("/work/council".into()))
        .crumb(place.region.full_name.clone(), None);
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let error_message = match refused.and_then(|(_, p)| p.detail.clone()) {
        Some(d) => format!("{error_message} ({d})"),
        None => error_message.to_owned(),
    };
    let council = state.store.councils().get(code).await?.council;
    if refused.is_none() {
        let ladder = state.store.agenda().ladder(code).await?;
        form.review = ladder.review.to_string();
        form.answer = ladder.answer.to_string();
        form.status = council.status.as_str().into();
        form.ordinance = council.ordinance.clone().unwrap_or_default();
        form.ordinance_on = council
            .ordinance_on
            .map(|d| d.to_string())
            .unwrap_or_default();
        form.pilot_designated_on = council
            .pilot_designated_on
            .map(|d| d.to_string())
            .unwrap_or_default();
    }
    let statuses = CouncilStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().into(),
            label: status_label(&ctx, *s).into(),
            selected: form.status == s.as_str(),
        })
        .collect();
    let subcommittees = state
        .store
        .councils()
        .subcommittees(code)
        .await?
        .into_iter()
        .map(|s| Choice {
            selected: form.subcommittee_id == s.id.to_string(),
            value: s.id.to_string(),
            label: s.name,
        })
        .collect();
    let changes = state
        .store
        .councils()
        .history(code)
        .await?
        .into_iter()
        .map(|c| ChangeView {
            at: ctx.moment(c.changed_at),
            status: status_label(&ctx, c.council.status),
            source: ctx.t(&format!("council.source.{}", c.source)),
            ordinance: c.council.ordinance.unwrap_or_default(),
        })
        .collect();
    let lotteries = lottery_links(&ctx, &state.store.lotteries().of_place(code).await?, true);
    let members = member_views(&ctx, state.store.councils().members(code, today()).await?);
    let roles = MemberRole::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().into(),
            label: ctx.t(&format!("council.role.{}", r.as_str())).into(),
            selected: false,
        })
        .collect();
    let notice = form.done.as_deref().and_then(|d| match d {
        "status" => Some("council.done.status"),
        "subcommittee" => Some("council.done.subcommittee"),
        "meeting" => Some("council.done.meeting"),
        "role" => Some("council.done.role"),
        "ended" => Some("council.done.ended"),
        "ladder" => Some("council.done.ladder"),
        _ => None,
    });
    Ok(WorkPage {
        facts: Some(facts(&ctx, &council)),
        place: Some(place.region.full_name.clone()),
        region: code.to_string(),
        places: vec![],
        refused: refused.map_or("", |(f, _)| f),
        error_field,
        error_message,
        notice,
        statuses,
        subcommittees,
        members,
        roles,
        changes,
        lotteries,
        form,
        ctx,
    })
}

/// Runs a workspace form: on success back to the workspace (or where `done` leads), on a
/// refusal the page again with the input and the reason.
async fn submit<F>(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    form: WorkForms,
    which: &'static str,
    run: F,
) -> Result<Response>
where
    F: AsyncFnOnce(&StoredRegion) -> Result<String>,
{
    let place = managed_place(state, user, &form.region).await?;
    match run(&place).await {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            let status = p.status;
            let page = render(state, ctx, &place, form, Some((which, &p))).await?;
            Ok((status, page).into_response())
        }
        Err(p) => Err(p),
    }
}

fn back(place: &StoredRegion, done: &str) -> String {
    format!("/work/council?region={}&done={done}", place.region.code)
}

async fn status_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let council = form.council();
    let by = user.user_id;
    submit(&state, ctx, &user, form, "status", async |place| {
        let council = council.council()?;
        state
            .store
            .councils()
            .set(&place.region.code, council, by)
            .await?;
        Ok(back(place, "status"))
    })
    .await
}

async fn subcommittee_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let name = form.name.clone();
    submit(&state, ctx, &user, form, "subcommittee", async |place| {
        add_subcommittee(&state, place, &name).await?;
        Ok(back(place, "subcommittee"))
    })
    .await
}

async fn meeting_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let meeting = form.meeting();
    let who = user.clone();
    submit(&state, ctx, &user, form, "meeting", async |place| {
        let meeting = meeting?.meeting()?;
        add_meeting(&state, &who, place, meeting).await?;
        Ok(back(place, "meeting"))
    })
    .await
}

async fn lottery_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let lottery = form.lottery();
    let by = user.user_id;
    submit(&state, ctx, &user, form, "lottery", async |place| {
        let (title, rules) = lottery?.rules()?;
        let id = state
            .store
            .lotteries()
            .create(&place.region.code, title, rules, by)
            .await?;
        Ok(format!("/work/lotteries/{id}"))
    })
    .await
}

async fn role_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let subcommittee = match form.subcommittee_id.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| Problem::field("subcommittee_id", "field.choice")),
    };
    let role = form.role.clone();
    let who = user.clone();
    submit(&state, ctx, &user, form, "members", async |place| {
        let member = member_of(&state, &who, &id).await?;
        let role = RoleIn {
            role,
            subcommittee_id: subcommittee?,
        };
        state
            .store
            .councils()
            .set_role(member, role.role()?, role.subcommittee_id, today())
            .await
            .map_err(member_problem)?;
        Ok(back(place, "role"))
    })
    .await
}

async fn end_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let who = user.clone();
    submit(&state, ctx, &user, form, "members", async |place| {
        let member = member_of(&state, &who, &id).await?;
        state
            .store
            .councils()
            .end_membership(member, today())
            .await
            .map_err(member_problem)?;
        Ok(back(place, "ended"))
    })
    .await
}

async fn ladder_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<WorkForms>,
) -> Result<Response> {
    let numbers = (
        number("review", &form.review),
        number("answer", &form.answer),
    );
    submit(&state, ctx, &user, form, "ladder", async |place| {
        let ladder = maeul_core::autonomy::agenda::Ladder::new(numbers.0?, numbers.1?)
            .map_err(crate::autonomy::agenda::rule_problem)?;
        state
            .store
            .agenda()
            .set_ladder(&place.region.code, ladder)
            .await?;
        Ok(back(place, "ladder"))
    })
    .await
}
