//! Pages of the grant calls: the list, a call with what each user may do there (the ministry's
//! experts and steps, the si/gun/gu's application, the experts' scoring, the public results),
//! one application, and the printable award notice. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::format;
use maeul_core::programme::grant_call::{Outcome, Phase, Status, Unit, points};
use maeul_core::region::{Level, RegionCode};
use maeul_store::grant_call::{StoredApplication, StoredCall};
use maeul_store::region::{RegionFilter, StoredRegion};
use serde::Deserialize;

use super::{
    CriterionOut, GrantApplicationIn, GrantCallIn, GrantProposalIn, GrantScorecardIn, Seat, call,
    scorecards, seat, visible,
};
use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::autonomy::corporation::ReportIn;
use crate::error::{Problem, Result};
use crate::page::{PageCtx, form_answer, form_error};
use crate::welfare::{day, today};

const MANAGE: Access = Access::Allowed(Permission::ManageGrantCalls);
const APPLY: Access = Access::Allowed(Permission::ApplyForGrants);
const REVIEW: Access = Access::Allowed(Permission::ReviewGrants);

pub fn routes(r: Routes) -> Routes {
    r.page("/grant-calls", Access::Public, get(list))
        .page("/grant-calls/new", MANAGE, get(new_form).post(create_form))
        .page("/grant-calls/{id}", Access::Public, get(show))
        .page(
            "/grant-calls/{id}/edit",
            MANAGE,
            get(edit_form).post(update_form),
        )
        .page("/grant-calls/{id}/reviewers", MANAGE, post(assign_form))
        .page(
            "/grant-calls/{id}/reviewers/{user}/removal",
            MANAGE,
            post(unassign_form),
        )
        .page("/grant-calls/{id}/closing", MANAGE, post(close_form))
        .page("/grant-calls/{id}/selection", MANAGE, post(select_form))
        .page("/grant-calls/{id}/applications", APPLY, post(apply_form))
        .page(
            "/grant-calls/{id}/applications/{app}",
            Access::Public,
            get(application),
        )
        .page(
            "/grant-calls/{id}/applications/{app}/proposal",
            APPLY,
            post(revise_form),
        )
        .page(
            "/grant-calls/{id}/applications/{app}/withdrawal",
            APPLY,
            post(withdraw_form),
        )
        .page(
            "/grant-calls/{id}/applications/{app}/scorecard",
            REVIEW,
            post(score_form),
        )
        .page(
            "/grant-calls/{id}/applications/{app}/reports",
            APPLY,
            post(report_form),
        )
        .page(
            "/grant-calls/{id}/applications/{app}/notice",
            Access::Public,
            get(notice),
        )
}

fn won(ctx: &PageCtx, a: i64) -> String {
    format::won(a, ctx.lang)
}

fn date(ctx: &PageCtx, d: time::Date) -> String {
    format::date(d, ctx.lang)
}

/// "86.50점", "86.50 points".
fn pts(ctx: &PageCtx, n: &str) -> String {
    ctx.tf("grant.points", &[("n", n)])
}

fn phase_badge(p: Phase) -> &'static str {
    match p {
        Phase::Accepting => "bg-light-primary",
        Phase::Awarded => "bg-light-success",
        Phase::Upcoming | Phase::Closed | Phase::Reviewing => "bg-light-gray",
    }
}

// ---------------------------------------------------------------------------------------
// The list

struct CallRow {
    href: String,
    title: String,
    ministry: String,
    budget: String,
    window: String,
    phase: &'static str,
    badge: &'static str,
    applications: usize,
    selected: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "grant_call/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<CallRow>,
    may_manage: bool,
}

async fn list(State(state): State<AppState>, ctx: PageCtx) -> Result<ListPage> {
    let ctx = ctx.crumb_t("grant.title", None);
    let today = today();
    let rows = state
        .store
        .grant_calls()
        .list()
        .await?
        .into_iter()
        .map(|s| {
            let phase = s.call.phase(s.status, today);
            CallRow {
                href: format!("/grant-calls/{}", s.id),
                ministry: s.call.ministry.clone(),
                budget: won(&ctx, s.call.budget),
                window: format!(
                    "{} ~ {}",
                    date(&ctx, s.call.opens_on),
                    date(&ctx, s.call.closes_on)
                ),
                phase: ctx.t(&format!("grant.phase.{}", phase.as_str())),
                badge: phase_badge(phase),
                applications: s.applications,
                selected: s.selected,
                title: s.call.title,
            }
        })
        .collect();
    Ok(ListPage {
        may_manage: ctx.may("grant_calls"),
        rows,
        ctx,
    })
}

// ---------------------------------------------------------------------------------------
// Publishing and editing a call

/// The call's form as typed: the criteria one per line, "name weight".
#[derive(Debug, Default, Deserialize)]
struct CallForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    ministry: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    programme_id: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    award_cap: String,
    #[serde(default)]
    unit_sigungu: Option<String>,
    #[serde(default)]
    unit_emd: Option<String>,
    #[serde(default)]
    eligibility: String,
    #[serde(default)]
    criteria: String,
    #[serde(default)]
    pass_mark: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    announce_on: String,
}

impl CallForm {
    fn of(s: &StoredCall) -> Self {
        let c = &s.call;
        CallForm {
            title: c.title.clone(),
            ministry: c.ministry.clone(),
            summary: c.summary.clone(),
            programme_id: c.programme_id.map(|p| p.to_string()).unwrap_or_default(),
            budget: c.budget.to_string(),
            award_cap: c.award_cap.to_string(),
            unit_sigungu: c.units.contains(&Unit::Sigungu).then(|| "on".into()),
            unit_emd: c.units.contains(&Unit::Emd).then(|| "on".into()),
            eligibility: c.eligibility.clone(),
            criteria: c
                .criteria
                .iter()
                .map(|k| format!("{} {}", k.name, k.weight))
                .collect::<Vec<_>>()
                .join("\n"),
            pass_mark: c.pass_mark.to_string(),
            opens_on: day(c.opens_on),
            closes_on: day(c.closes_on),
            announce_on: day(c.announce_on),
        }
    }

    fn input(&self) -> Result<GrantCallIn> {
        let amount = |s: &str, field: &str| {
            format::parse_won(s).ok_or_else(|| Problem::field(field, "grant.error.budget"))
        };
        let criteria = self
            .criteria
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, weight) = l
                    .rsplit_once(char::is_whitespace)
                    .ok_or_else(|| Problem::field("criteria", "grant.error.criterion_line"))?;
                let weight = weight
                    .trim_end_matches('점')
                    .parse()
                    .map_err(|_| Problem::field("criteria", "grant.error.criterion_line"))?;
                Ok(CriterionOut {
                    name: name.to_owned(),
                    weight,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut units = Vec::new();
        if self.unit_sigungu.is_some() {
            units.push(Unit::Sigungu.as_str().to_owned());
        }
        if self.unit_emd.is_some() {
            units.push(Unit::Emd.as_str().to_owned());
        }
        Ok(GrantCallIn {
            title: self.title.clone(),
            ministry: self.ministry.clone(),
            summary: self.summary.clone(),
            programme_id: crate::page::optional_id(&self.programme_id, "programme_id")?,
            budget: amount(&self.budget, "budget")?,
            award_cap: amount(&self.award_cap, "award_cap")
                .map_err(|_| Problem::field("award_cap", "grant.error.award_cap"))?,
            units,
            eligibility: self.eligibility.clone(),
            criteria,
            pass_mark: self
                .pass_mark
                .trim()
                .parse()
                .map_err(|_| Problem::field("pass_mark", "grant.error.pass_mark"))?,
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            announce_on: self.announce_on.clone(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "grant_call/form.html")]
struct FormPage {
    ctx: PageCtx,
    heading: &'static str,
    action: String,
    form: CallForm,
    error_field: String,
    error_message: &'static str,
}

fn form_page(
    ctx: PageCtx,
    edit: Option<&StoredCall>,
    form: CallForm,
    error: Option<&Problem>,
) -> FormPage {
    let ctx = ctx.crumb_t("grant.title", Some("/grant-calls".into()));
    let (ctx, heading, action) = match edit {
        None => (
            ctx.crumb_t("grant.new", None),
            "grant.new",
            "/grant-calls/new".to_owned(),
        ),
        Some(s) => (
            ctx.crumb(s.call.title.clone(), Some(format!("/grant-calls/{}", s.id)))
                .crumb_t("grant.edit", None),
            "grant.edit",
            format!("/grant-calls/{}/edit", s.id),
        ),
    };
    let (error_field, error_message) = form_error(&ctx, error);
    FormPage {
        heading,
        action,
        form,
        error_field,
        error_message,
        ctx,
    }
}

async fn new_form(ctx: PageCtx) -> FormPage {
    let form = CallForm {
        unit_sigungu: Some("on".into()),
        pass_mark: "60".into(),
        ..CallForm::default()
    };
    form_page(ctx, None, form, None)
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<CallForm>,
) -> Result<Response> {
    let created = async {
        let id = super::create(&state, &user, form.input()?).await?;
        Ok(format!("/grant-calls/{id}?done=created"))
    }
    .await;
    form_answer(created, |p| async move {
        Ok(form_page(ctx, None, form, Some(&p)))
    })
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<FormPage> {
    let s = call(&state, &id).await?;
    Ok(form_page(ctx, Some(&s), CallForm::of(&s), None))
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    Form(form): Form<CallForm>,
) -> Result<Response> {
    let s = call(&state, &id).await?;
    let saved = async {
        super::update(&state, &id, form.input()?).await?;
        Ok(format!("/grant-calls/{}?done=saved", s.id))
    }
    .await;
    form_answer(saved, |p| async move {
        Ok(form_page(ctx, Some(&s), form, Some(&p)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// One call

struct AppRow {
    href: String,
    rank: String,
    applicant: String,
    title: String,
    amount: String,
    score: String,
    outcome: Option<(&'static str, &'static str)>,
    scored_by: String,
}

struct ReviewerRow {
    user_id: i64,
    name: String,
    login: String,
    scored: String,
}

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

struct Group {
    label: String,
    options: Vec<Opt>,
}

#[derive(Debug, Default, Deserialize)]
struct ApplyForm {
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    emd_code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    amount: String,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "grant_call/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    ministry: String,
    summary: String,
    /// The catalogue programme the call funds: its name and page.
    programme: Option<(String, String)>,
    budget: String,
    award_cap: String,
    units: String,
    eligibility: String,
    criteria: Vec<(String, String)>,
    pass_mark: String,
    window: String,
    announce_on: String,
    phase: &'static str,
    badge: &'static str,
    awarded: Option<String>,
    apps: Vec<AppRow>,
    /// The ministry's or an expert's view: progress of the scoring is shown.
    sees_scoring: bool,
    is_ministry: bool,
    reviewers: Vec<ReviewerRow>,
    may_edit: bool,
    may_close: bool,
    may_select: bool,
    may_apply: bool,
    sigungus: Vec<Opt>,
    emds: Vec<Group>,
    form: ApplyForm,
    notice: Option<&'static str>,
    refused: &'static str,
    /// A refusal whose form the page no longer shows (the call moved on): said at the top.
    orphan_error: bool,
    /// The expert's log-in name as typed, when the assignment was refused.
    login: String,
    error_field: String,
    error_message: &'static str,
}

fn outcome_badge(ctx: &PageCtx, o: Outcome) -> (&'static str, &'static str) {
    let badge = match o {
        Outcome::Selected => "bg-light-success",
        Outcome::BelowPassMark | Outcome::OverBudget | Outcome::Unscored => "bg-light-gray",
    };
    (ctx.t(&format!("grant.outcome.{}", o.as_str())), badge)
}

fn applicant_name(a: &StoredApplication) -> String {
    match &a.emd_name {
        Some(e) => format!("{} · {e}", a.sigungu_name),
        None => a.sigungu_name.clone(),
    }
}

fn within(level: Level, parent: Option<RegionCode>) -> RegionFilter {
    RegionFilter {
        level: Some(level),
        parent,
        ..RegionFilter::default()
    }
}

/// The applicants ([`crate::region::is_local_government`]) within a scope of the user's.
async fn applicants_within(state: &AppState, scope: &RegionCode) -> Result<Vec<StoredRegion>> {
    let regions = state.store.regions();
    let candidates = match scope.level() {
        Level::Sigungu => regions.get(scope).await?.into_iter().collect(),
        Level::Sido => {
            let mut found = regions
                .list(within(Level::Sigungu, Some(scope.clone())), 0, 500)
                .await?
                .items;
            found.extend(regions.get(scope).await?);
            found
        }
        Level::Nation => {
            let mut found = regions
                .list(within(Level::Sigungu, None), 0, 500)
                .await?
                .items;
            found.extend(regions.list(within(Level::Sido, None), 0, 50).await?.items);
            found
        }
        Level::Emd => Vec::new(),
    };
    let mut applicants = Vec::new();
    for r in candidates {
        if crate::region::is_local_government(state, &r).await? {
            applicants.push(r);
        }
    }
    Ok(applicants)
}

/// The eup/myeon/dong of an applicant, also those of its 일반구 (named with the 구).
async fn places_of(state: &AppState, applicant: &StoredRegion, chosen: &str) -> Result<Vec<Opt>> {
    let regions = state.store.regions();
    let code = &applicant.region.code;
    let mut places: Vec<(String, StoredRegion)> = regions
        .list(within(Level::Emd, Some(code.clone())), 0, 500)
        .await?
        .items
        .into_iter()
        .map(|p| (String::new(), p))
        .collect();
    for gu in regions
        .list(within(Level::Sigungu, Some(code.clone())), 0, 50)
        .await?
        .items
    {
        let short = gu
            .region
            .name
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        for p in regions
            .list(within(Level::Emd, Some(gu.region.code.clone())), 0, 500)
            .await?
            .items
        {
            places.push((format!("{short} "), p));
        }
    }
    Ok(places
        .into_iter()
        .map(|(prefix, p)| Opt {
            selected: chosen == p.region.code.as_str(),
            value: p.region.code.to_string(),
            label: format!("{prefix}{}", p.region.name),
        })
        .collect())
}

/// The applicants the user may apply for, and the eup/myeon/dong of those held as a si/gun/gu
/// (a si/do's or the nation's staff would face thousands; they name the place by code in the
/// API, or apply for the si/gun/gu).
async fn applicant_choices(
    state: &AppState,
    user: &Principal,
    form: &ApplyForm,
) -> Result<(Vec<Opt>, Vec<Group>)> {
    let mut sigungus = Vec::new();
    let mut emds = Vec::new();
    for scope in user.scopes(Permission::ApplyForGrants) {
        for r in applicants_within(state, &scope).await? {
            if scope.level() == Level::Sigungu {
                emds.push(Group {
                    label: r.region.full_name.clone(),
                    options: places_of(state, &r, &form.emd_code).await?,
                });
            }
            sigungus.push(Opt {
                selected: form.region_code == r.region.code.as_str(),
                value: r.region.code.to_string(),
                label: r.region.full_name,
            });
        }
    }
    Ok((sigungus, emds))
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    id: &str,
    form: ApplyForm,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ShowPage> {
    let s = call(state, id).await?;
    let user = req.principal();
    let seat = seat(state, user, s.id).await?;
    let today = today();
    let phase = s.call.phase(s.status, today);
    let ctx = ctx
        .crumb_t("grant.title", Some("/grant-calls".into()))
        .crumb(s.call.title.clone(), None);
    let apps = state.store.grant_calls().applications(s.id).await?;
    let apps = visible(user, seat, &s, apps);
    let is_ministry = seat == Seat::Ministry;
    let reviewers = if is_ministry || seat == Seat::Reviewer {
        state.store.grant_calls().reviewers(s.id).await?
    } else {
        Vec::new()
    };
    let programme = match s.call.programme_id {
        Some(p) => state
            .store
            .programmes()
            .versions(p)
            .await?
            .into_iter()
            .next()
            .map(|v| (v.programme.name, format!("/programmes/{p}"))),
        None => None,
    };
    let may_apply =
        phase == Phase::Accepting && user.is_some_and(|u| u.may(Permission::ApplyForGrants));
    let (sigungus, emds) = match user.filter(|_| may_apply) {
        Some(u) => applicant_choices(state, u, &form).await?,
        None => (Vec::new(), Vec::new()),
    };
    let units = s
        .call
        .units
        .iter()
        .map(|u| ctx.t(&format!("grant.unit.{}", u.as_str())))
        .collect::<Vec<_>>()
        .join(", ");
    let n_reviewers = reviewers.len();
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let may_close = is_ministry && s.status == Status::Open;
    let may_select = is_ministry && s.status == Status::Reviewing;
    let orphan_error = match refused.map(|(r, _)| r) {
        Some("apply") => !may_apply,
        Some("reviewer") => !(may_close || may_select),
        Some(_) => !is_ministry,
        None => false,
    };
    Ok(ShowPage {
        id: s.id,
        title: s.call.title.clone(),
        ministry: s.call.ministry.clone(),
        summary: s.call.summary.clone(),
        programme,
        budget: won(&ctx, s.call.budget),
        award_cap: won(&ctx, s.call.award_cap),
        units,
        eligibility: s.call.eligibility.clone(),
        criteria: s
            .call
            .criteria
            .iter()
            .map(|k| (k.name.clone(), pts(&ctx, &k.weight.to_string())))
            .collect(),
        pass_mark: pts(&ctx, &s.call.pass_mark.to_string()),
        window: format!(
            "{} ~ {}",
            date(&ctx, s.call.opens_on),
            date(&ctx, s.call.closes_on)
        ),
        announce_on: date(&ctx, s.call.announce_on),
        phase: ctx.t(&format!("grant.phase.{}", phase.as_str())),
        badge: phase_badge(phase),
        awarded: (s.status == Status::Awarded).then(|| {
            ctx.tf(
                "grant.awarded.summary",
                &[
                    ("n", &s.selected.to_string()),
                    ("of", &s.applications.to_string()),
                    ("amount", &won(&ctx, s.awarded)),
                ],
            )
        }),
        apps: apps
            .iter()
            .map(|a| AppRow {
                href: format!("/grant-calls/{}/applications/{}", s.id, a.id),
                rank: a.rank.map(|r| r.to_string()).unwrap_or_default(),
                applicant: applicant_name(a),
                title: a.proposal.title.clone(),
                amount: won(&ctx, a.proposal.amount),
                score: a.score.map(points).unwrap_or_default(),
                outcome: a.outcome.map(|o| outcome_badge(&ctx, o)),
                scored_by: format!("{} / {n_reviewers}", a.scored_by),
            })
            .collect(),
        sees_scoring: matches!(seat, Seat::Ministry | Seat::Reviewer),
        is_ministry,
        reviewers: if is_ministry {
            reviewers
                .iter()
                .map(|r| ReviewerRow {
                    user_id: r.user_id,
                    name: r.name.clone(),
                    login: r.login.clone(),
                    scored: format!("{} / {}", r.scored, s.applications),
                })
                .collect()
        } else {
            Vec::new()
        },
        may_edit: is_ministry && s.status == Status::Open && s.applications == 0,
        may_close,
        may_select,
        orphan_error,
        login: String::new(),
        may_apply,
        sigungus,
        emds,
        form,
        notice,
        refused: refused.map(|(r, _)| r).unwrap_or_default(),
        error_field,
        error_message,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<ShowPage> {
    let notice = match q.done.as_deref() {
        Some("created") => Some("grant.done.created"),
        Some("saved") => Some("grant.done.saved"),
        Some("reviewer") => Some("grant.done.reviewer"),
        Some("unassigned") => Some("grant.done.unassigned"),
        Some("closed") => Some("grant.done.closed"),
        Some("selected") => Some("grant.done.selected"),
        Some("applied") => Some("grant.done.applied"),
        Some("withdrawn") => Some("grant.done.withdrawn"),
        _ => None,
    };
    render(&state, ctx, &req, &id, ApplyForm::default(), notice, None).await
}

#[derive(Debug, Default, Deserialize)]
struct ReviewerForm {
    #[serde(default)]
    login: String,
}

/// Answers a ministry step on the call's page: on success back with `done`, otherwise the page
/// with the refusal in the section `which`.
async fn step_answer(
    state: AppState,
    ctx: PageCtx,
    req: RequestContext,
    id: String,
    which: &'static str,
    outcome: Result<&'static str>,
    login: String,
) -> Result<Response> {
    let to = outcome.map(|done| format!("/grant-calls/{id}?done={done}"));
    form_answer(to, |p| async move {
        let mut page = render(
            &state,
            ctx,
            &req,
            &id,
            ApplyForm::default(),
            None,
            Some((which, &p)),
        )
        .await?;
        page.login = login;
        Ok(page)
    })
    .await
}

async fn assign_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path(id): Path<String>,
    Form(form): Form<ReviewerForm>,
) -> Result<Response> {
    let outcome = super::assign(&state, &id, &form.login)
        .await
        .map(|_| "reviewer");
    step_answer(state, ctx, req, id, "reviewer", outcome, form.login).await
}

async fn unassign_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path((id, user)): Path<(String, String)>,
) -> Result<Response> {
    let outcome = super::unassign(&state, &id, &user)
        .await
        .map(|_| "unassigned");
    step_answer(state, ctx, req, id, "reviewer", outcome, String::new()).await
}

async fn close_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = super::close(&state, &id).await.map(|_| "closed");
    step_answer(state, ctx, req, id, "steps", outcome, String::new()).await
}

async fn select_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = super::select(&state, &id).await.map(|_| "selected");
    step_answer(state, ctx, req, id, "steps", outcome, String::new()).await
}

fn amount_of(s: &str) -> Result<i64> {
    format::parse_won(s).ok_or_else(|| Problem::field("amount", "grant.error.amount"))
}

async fn apply_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Result<Response> {
    let applied = async {
        let input = GrantApplicationIn {
            region_code: form.region_code.clone(),
            emd_code: Some(form.emd_code.clone()),
            title: form.title.clone(),
            summary: form.summary.clone(),
            amount: amount_of(&form.amount)?,
        };
        let app = super::apply(&state, &user, &id, input).await?;
        Ok(format!("/grant-calls/{id}/applications/{app}?done=applied"))
    }
    .await;
    form_answer(applied, |p| async move {
        render(&state, ctx, &req, &id, form, None, Some(("apply", &p))).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// One application

struct CardView {
    reviewer: String,
    scores: Vec<(String, u32)>,
    total: String,
    comment: String,
}

struct ReportRow {
    at: String,
    body: String,
    spent: String,
}

struct ScoreField {
    index: usize,
    name: String,
    weight: String,
    value: String,
}

#[derive(Debug, Default, Deserialize)]
struct ApplicationQuery {
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "grant_call/application.html")]
struct ApplicationPage {
    ctx: PageCtx,
    href: String,
    call_href: String,
    call_title: String,
    applicant: String,
    title: String,
    summary: String,
    amount: String,
    score: String,
    rank: String,
    outcome: Option<(&'static str, &'static str)>,
    notice_no: String,
    spent: String,
    /// The scoring form's fields: each criterion with the expert's earlier or typed score.
    criteria: Vec<ScoreField>,
    cards: Vec<CardView>,
    own_comment: String,
    /// A refusal whose form the page no longer shows (the call moved on): said at the top.
    orphan_error: bool,
    may_score: bool,
    may_revise: bool,
    may_report: bool,
    emds: Vec<Opt>,
    form: ApplyForm,
    report_body: String,
    report_spent: String,
    reports: Vec<ReportRow>,
    notice: Option<&'static str>,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

#[allow(clippy::too_many_arguments)]
async fn render_application(
    state: &AppState,
    ctx: PageCtx,
    req: &RequestContext,
    id: &str,
    app_id: &str,
    form: Option<ApplyForm>,
    scored: Option<(Vec<String>, String)>,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ApplicationPage> {
    let user = req.principal();
    let (app, s, seat) = super::application(state, user, app_id).await?;
    if app.call_id.to_string() != id {
        return Err(Problem::not_found());
    }
    let ctx = ctx
        .crumb_t("grant.title", Some("/grant-calls".into()))
        .crumb(s.call.title.clone(), Some(format!("/grant-calls/{}", s.id)))
        .crumb(app.proposal.title.clone(), None);
    let cards = scorecards(state, user, seat, app.id).await?;
    let own = user.and_then(|u| cards.iter().find(|c| c.reviewer_id == u.user_id));
    let (own_scores, own_comment) = match scored {
        Some(typed) => typed,
        None => own
            .map(|c| {
                (
                    c.scores.iter().map(u32::to_string).collect(),
                    c.comment.clone(),
                )
            })
            .unwrap_or_default(),
    };
    let applies = user.is_some_and(|u| super::applies_for(u, &app));
    let phase = s.call.phase(s.status, today());
    let may_revise = applies && phase == Phase::Accepting;
    let form = form.unwrap_or_else(|| ApplyForm {
        region_code: app.sigungu_code.clone(),
        emd_code: app.emd_code.clone().unwrap_or_default(),
        title: app.proposal.title.clone(),
        summary: app.proposal.summary.clone(),
        amount: app.proposal.amount.to_string(),
    });
    let emds = if may_revise && s.call.units.contains(&Unit::Emd) {
        let applicant = crate::region::in_use(state, &app.sigungu_code).await?;
        places_of(state, &applicant, &form.emd_code).await?
    } else {
        Vec::new()
    };
    let reports = state.store.grant_calls().reports(app.id).await?;
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let may_score = seat == Seat::Reviewer && s.status == Status::Reviewing;
    let may_report =
        applies && s.status == Status::Awarded && app.outcome == Some(Outcome::Selected);
    let orphan_error = match refused.map(|(r, _)| r) {
        Some("score") => !may_score,
        Some("revise") => !may_revise,
        Some("report") => !may_report,
        _ => false,
    };
    Ok(ApplicationPage {
        href: format!("/grant-calls/{}/applications/{}", s.id, app.id),
        call_href: format!("/grant-calls/{}", s.id),
        call_title: s.call.title.clone(),
        applicant: applicant_name(&app),
        title: app.proposal.title.clone(),
        summary: app.proposal.summary.clone(),
        amount: won(&ctx, app.proposal.amount),
        score: app.score.map(|p| pts(&ctx, &points(p))).unwrap_or_default(),
        rank: app.rank.map(|r| r.to_string()).unwrap_or_default(),
        outcome: app.outcome.map(|o| outcome_badge(&ctx, o)),
        notice_no: app.notice_no.clone().unwrap_or_default(),
        spent: app.spent.map(|a| won(&ctx, a)).unwrap_or_default(),
        criteria: s
            .call
            .criteria
            .iter()
            .enumerate()
            .map(|(i, k)| ScoreField {
                index: i,
                name: k.name.clone(),
                weight: pts(&ctx, &k.weight.to_string()),
                value: own_scores.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
        cards: cards
            .iter()
            .map(|c| CardView {
                reviewer: c.reviewer_name.clone(),
                scores: s
                    .call
                    .criteria
                    .iter()
                    .zip(&c.scores)
                    .map(|(k, v)| (k.name.clone(), *v))
                    .collect(),
                total: pts(&ctx, &points(c.total)),
                comment: c.comment.clone(),
            })
            .collect(),
        own_comment,
        orphan_error,
        may_score,
        may_revise,
        may_report,
        emds,
        form,
        report_body: String::new(),
        report_spent: String::new(),
        reports: reports
            .iter()
            .map(|r| ReportRow {
                at: ctx.moment(r.at),
                body: r.body.clone(),
                spent: r.spent.map(|a| won(&ctx, a)).unwrap_or_default(),
            })
            .collect(),
        notice,
        refused: refused.map(|(r, _)| r).unwrap_or_default(),
        error_field,
        error_message,
        ctx,
    })
}

async fn application(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path((id, app)): Path<(String, String)>,
    Query(q): Query<ApplicationQuery>,
) -> Result<Response> {
    let notice = match q.done.as_deref() {
        Some("applied") => Some("grant.done.applied"),
        Some("revised") => Some("grant.done.revised"),
        Some("scored") => Some("grant.done.scored"),
        Some("report") => Some("grant.done.report"),
        _ => None,
    };
    Ok(
        render_application(&state, ctx, &req, &id, &app, None, None, notice, None)
            .await?
            .into_response(),
    )
}

/// Checks that the application of the path belongs to the call of the path.
async fn check_call(state: &AppState, id: &str, app: &str) -> Result<()> {
    let found = state
        .store
        .grant_calls()
        .application(crate::record_id(app)?)
        .await?;
    match found {
        Some(a) if a.call_id.to_string() == id => Ok(()),
        _ => Err(Problem::not_found()),
    }
}

async fn revise_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path((id, app)): Path<(String, String)>,
    Form(form): Form<ApplyForm>,
) -> Result<Response> {
    let revised = async {
        check_call(&state, &id, &app).await?;
        let input = GrantProposalIn {
            emd_code: Some(form.emd_code.clone()),
            title: form.title.clone(),
            summary: form.summary.clone(),
            amount: amount_of(&form.amount)?,
        };
        super::revise(&state, &user, &app, input).await?;
        Ok(format!("/grant-calls/{id}/applications/{app}?done=revised"))
    }
    .await;
    form_answer(revised, |p| async move {
        render_application(
            &state,
            ctx,
            &req,
            &id,
            &app,
            Some(form),
            None,
            None,
            Some(("revise", &p)),
        )
        .await
    })
    .await
}

async fn withdraw_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path((id, app)): Path<(String, String)>,
) -> Result<Response> {
    let withdrawn = async {
        check_call(&state, &id, &app).await?;
        super::withdraw(&state, &user, &app).await?;
        Ok(format!("/grant-calls/{id}?done=withdrawn"))
    }
    .await;
    form_answer(withdrawn, |p| async move {
        render_application(
            &state,
            ctx,
            &req,
            &id,
            &app,
            None,
            None,
            None,
            Some(("revise", &p)),
        )
        .await
    })
    .await
}

async fn score_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path((id, app)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let typed: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "score")
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    let comment = fields
        .iter()
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let typed_comment = comment.clone();
    let scored = async {
        check_call(&state, &id, &app).await?;
        let scores = typed
            .iter()
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| Problem::field("scores", "grant.error.scores"))
            })
            .collect::<Result<Vec<_>>>()?;
        super::score(&state, &user, &app, GrantScorecardIn { scores, comment }).await?;
        Ok(format!("/grant-calls/{id}/applications/{app}?done=scored"))
    }
    .await;
    form_answer(scored, |p| async move {
        render_application(
            &state,
            ctx,
            &req,
            &id,
            &app,
            None,
            Some((typed, typed_comment)),
            None,
            Some(("score", &p)),
        )
        .await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
struct ReportForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    spent: String,
}

async fn report_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path((id, app)): Path<(String, String)>,
    Form(form): Form<ReportForm>,
) -> Result<Response> {
    let reported = async {
        check_call(&state, &id, &app).await?;
        let spent = crate::page::optional_won(&form.spent, "spent", "plan.error.amount")?;
        let input = ReportIn {
            body: form.body.clone(),
            spent,
        };
        super::report(&state, &user, &app, input).await?;
        Ok(format!("/grant-calls/{id}/applications/{app}?done=report"))
    }
    .await;
    form_answer(reported, |p| async move {
        let mut page = render_application(
            &state,
            ctx,
            &req,
            &id,
            &app,
            None,
            None,
            None,
            Some(("report", &p)),
        )
        .await?;
        page.report_body = form.body;
        page.report_spent = form.spent;
        Ok(page)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// The award notice

#[derive(Template, WebTemplate)]
#[template(path = "grant_call/notice.html")]
struct NoticePage {
    ctx: PageCtx,
    notice_no: String,
    recipient: String,
    call_title: String,
    title: String,
    amount: String,
    statement: String,
    issued: String,
    ministry: String,
    back: String,
}

/// 선정 통지서 — the award notice of a selected application, to print.
async fn notice(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Path((id, app)): Path<(String, String)>,
) -> Result<NoticePage> {
    let (app, s, _) = super::application(&state, req.principal(), &app).await?;
    let (Some(notice_no), Some(awarded_on)) = (app.notice_no.clone(), s.awarded_on) else {
        return Err(Problem::not_found());
    };
    if app.call_id.to_string() != id {
        return Err(Problem::not_found());
    }
    let back = format!("/grant-calls/{}/applications/{}", s.id, app.id);
    let ctx = ctx
        .crumb_t("grant.title", Some("/grant-calls".into()))
        .crumb(s.call.title.clone(), Some(format!("/grant-calls/{}", s.id)))
        .crumb_t("grant.notice", None);
    Ok(NoticePage {
        statement: ctx.tf("grant.notice.statement", &[("call", &s.call.title)]),
        issued: date(&ctx, awarded_on),
        recipient: applicant_name(&app),
        call_title: s.call.title.clone(),
        title: app.proposal.title.clone(),
        amount: won(&ctx, app.proposal.amount),
        ministry: s.call.ministry.clone(),
        notice_no,
        back,
        ctx,
    })
}
