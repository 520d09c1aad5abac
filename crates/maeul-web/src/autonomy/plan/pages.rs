//! Pages of the autonomy plan: a place's plans by year, one plan with its items, settlement
//! and the forms of its current step (drafting, putting to the assembly, the decision,
//! spending, closing), and the settlement as XLSX. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::plan::{Decision, Funding, Status};
use maeul_core::format;
use maeul_core::topic::Topic;
use maeul_store::autonomy::assembly::Status as AssemblyStatus;
use maeul_store::autonomy::plan::Plan;
use maeul_store::region::StoredRegion;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{PlanItemIn, PutIn, SpendingIn, advance, plan, settlement_of};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::emd;
use crate::error::{Params, Problem, Result};
use crate::page::{
    Cell, Choice, PageCtx, XlsxDownload, choices, form_answer, form_error, optional_id, topic_label,
};

const DRAFT: Access = Access::Allowed(Permission::DraftPlan);
const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/plans", Access::Public, get(list))
        .page("/r/{code}/plans/new", DRAFT, post(create_form))
        .page("/r/{code}/plans/{id}", Access::Public, get(show))
        .page("/r/{code}/plans/{id}/items", DRAFT, post(add_item_form))
        .page(
            "/r/{code}/plans/{id}/items/{item}/removal",
            DRAFT,
            post(remove_item_form),
        )
        .page("/r/{code}/plans/{id}/assembly", MANAGE, post(put_form))
        .page(
            "/r/{code}/plans/{id}/withdrawal",
            MANAGE,
            post(withdrawal_form),
        )
        .page("/r/{code}/plans/{id}/decision", MANAGE, post(decision_form))
        .page(
            "/r/{code}/plans/{id}/execution",
            MANAGE,
            post(execution_form),
        )
        .page("/r/{code}/plans/{id}/closing", MANAGE, post(closing_form))
        .page("/r/{code}/plans/{id}/funds", MANAGE, post(funds_form))
        .page(
            "/r/{code}/plans/{id}/items/{item}/spending",
            MANAGE,
            post(spending_form),
        )
}

fn status_label(ctx: &PageCtx, s: Status) -> &'static str {
    ctx.t(&format!("plan.status.{}", s.as_str()))
}

fn funding_label(ctx: &PageCtx, f: Funding) -> &'static str {
    ctx.t(&format!("plan.funding.{}", f.as_str()))
}

fn decision_label(ctx: &PageCtx, d: Decision) -> &'static str {
    ctx.t(&format!("plan.decision.{}", d.as_str()))
}

async fn place_ctx(state: &AppState, ctx: PageCtx, code: &str) -> Result<(PageCtx, StoredRegion)> {
    let place = emd(state, code).await?;
    let ctx = ctx.crumb(place.region.full_name.clone(), Some(format!("/r/{code}")));
    Ok((ctx, place))
}

// ---------------------------------------------------------------------------------------
// The plans of a place

struct PlanLink {
    href: String,
    heading: String,
    status: &'static str,
    status_label: &'static str,
    items: usize,
    budget: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/plan/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    place: String,
    plans: Vec<PlanLink>,
    may_draft: bool,
    next_year: i32,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let (ctx, place) = place_ctx(state, ctx, code).await?;
    let ctx = ctx.crumb_t("plan.title", None);
    let plans = state.store.plans().of_place(&place.region.code).await?;
    let this_year = OffsetDateTime::now_utc().year();
    let next_year = plans
        .first()
        .map_or(this_year, |p| (p.year + 1).max(this_year));
    let (_, error_message) = form_error(&ctx, error);
    Ok(ListPage {
        plans: plans
            .iter()
            .map(|p| PlanLink {
                href: format!("/r/{code}/plans/{}", p.id),
                heading: ctx.tf("plan.heading", &[("year", &p.year.to_string())]),
                status: p.status.as_str(),
                status_label: status_label(&ctx, p.status),
                items: p.items.len(),
                budget: format::won(p.items.iter().map(|i| i.item.budget).sum(), ctx.lang),
            })
            .collect(),
        may_draft: ctx.may_in(Permission::DraftPlan, &place.path),
        code: code.to_owned(),
        place: place.region.full_name.clone(),
        next_year,
        error_message,
        ctx,
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<ListPage> {
    render_list(&state, ctx, &code, None).await
}

#[derive(Debug, Default, Deserialize)]
struct YearForm {
    #[serde(default)]
    year: String,
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<YearForm>,
) -> Result<Response> {
    let created = match form.year.trim().parse::<i64>() {
        Ok(year) => super::create(&state, &user, &code, year).await,
        Err(_) => Err(Problem::field("year", "plan.error.year")),
    };
    let to = created.map(|id| format!("/r/{code}/plans/{id}?done=created"));
    form_answer(to, |p| async move {
        render_list(&state, ctx, &code, Some(&p)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// One plan

struct ItemRow {
    id: i64,
    title: String,
    description: String,
    agenda_href: Option<String>,
    topic: &'static str,
    subcommittee: String,
    funding: &'static str,
    budget: String,
    decision: &'static str,
    decision_label: &'static str,
    spent: String,
    spent_value: String,
    balance: String,
    note: String,
    progress: u8,
    /// The item's programme linkages (shown to those who follow them): link and label.
    linkages: Vec<(String, String)>,
}

struct FundingRow {
    funding: &'static str,
    available: String,
    allocated: String,
    spent: String,
    unallocated: String,
    balance: String,
    /// The adopted items take more than the source has.
    short: bool,
}

/// A source's amount in the funds form: its code, label and the amount as typed.
struct FundInput {
    code: &'static str,
    label: &'static str,
    value: String,
}

struct AssemblyChoice {
    id: i64,
    title: String,
}

struct EventRow {
    at: String,
    by: String,
    action: &'static str,
    detail: String,
}

/// The item form's fields as typed (prefilled from an agenda item when coming from one).
#[derive(Debug, Default, Deserialize)]
struct ItemForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    funding: String,
    #[serde(default)]
    subcommittee_id: String,
    #[serde(default)]
    agenda_item_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/plan/show.html")]
struct ShowPage {
    ctx: PageCtx,
    code: String,
    id: i64,
    heading: String,
    status: &'static str,
    steps: Vec<(&'static str, bool, bool)>,
    items: Vec<ItemRow>,
    total_budget: String,
    by_funding: Vec<FundingRow>,
    fund_inputs: Vec<FundInput>,
    total_available: String,
    settled: Option<(String, String, String)>,
    assembly_href: Option<String>,
    may_draft: bool,
    may_manage: bool,
    may_link: bool,
    /// Putting to an assembly and withdrawing also change the assembly's ballot.
    may_put: bool,
    form: ItemForm,
    topics: Vec<Choice>,
    fundings: Vec<Choice>,
    subcommittees: Vec<Choice>,
    assemblies: Vec<AssemblyChoice>,
    events: Vec<EventRow>,
    notice: Option<&'static str>,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
    format: Option<String>,
    /// Prefills the item form from this agenda item of the place.
    agenda: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    Params(query): Params<ShowQuery>,
) -> Result<Response> {
    if query.format.as_deref() == Some("xlsx") {
        return settlement_xlsx(&state, &ctx, &code, &id).await;
    }
    let notice = match query.done.as_deref() {
        Some("created") => Some("plan.done.created"),
        Some("added") => Some("plan.done.added"),
        Some("removed") => Some("plan.done.removed"),
        Some("put") => Some("plan.done.put"),
        Some("withdrawn") => Some("plan.done.withdrawn"),
        Some("decided") => Some("plan.done.decided"),
        Some("back_to_draft") => Some("plan.done.back_to_draft"),
        Some("executing") => Some("plan.done.executing"),
        Some("spent") => Some("plan.done.spent"),
        Some("closed") => Some("plan.done.closed"),
        Some("funds") => Some("plan.done.funds"),
        _ => None,
    };
    let mut form = ItemForm::default();
    // Prefilled from an agenda item of the place that is not hidden.
    if let Some(agenda) = query.agenda.as_deref()
        && let Some(item) = crate::autonomy::agenda::shown_item_of(&state, agenda, &code).await
    {
        form = ItemForm {
            title: item.proposal.title.clone(),
            description: item.proposal.body.clone(),
            topic: item.proposal.topic.as_str().to_owned(),
            budget: item
                .proposal
                .rough_cost
                .map(|c| c.to_string())
                .unwrap_or_default(),
            agenda_item_id: item.id.to_string(),
            ..ItemForm::default()
        };
    }
    Ok(render(&state, ctx, &code, &id, form, notice, None)
        .await?
        .into_response())
}

/// The plan of the path, checked to be of the path's place.
async fn plan_here(state: &AppState, code: &str, id: &str) -> Result<(Plan, StoredRegion)> {
    let (plan, place) = plan(state, id).await?;
    if plan.emd_code != code {
        return Err(Problem::not_found());
    }
    Ok((plan, place))
}

fn amount(won: i64, ctx: &PageCtx) -> String {
    format::won(won, ctx.lang)
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    form: ItemForm,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ShowPage> {
    let (plan, place) = plan_here(state, code, id).await?;
    let (ctx, _) = place_ctx(state, ctx, code).await?;
    let heading = ctx.tf("plan.heading", &[("year", &plan.year.to_string())]);
    let ctx = ctx
        .crumb_t("plan.title", Some(format!("/r/{code}/plans")))
        .crumb(heading.clone(), None);
    let may_draft = ctx.may_in(Permission::DraftPlan, &place.path);
    let may_manage = ctx.may_in(Permission::ManageCouncil, &place.path);
    let may_put = may_manage && ctx.may_in(Permission::ManageAssemblies, &place.path);
    let may_link = ctx.may_in(Permission::LinkProgrammes, &place.path);
    let decided = !matches!(plan.status, Status::Draft | Status::AtAssembly);
    let mut linkages: std::collections::HashMap<i64, Vec<(String, String)>> =
        std::collections::HashMap::new();
    if may_link {
        let ids = plan.items.iter().map(|i| i.id).collect();
        let mut names = std::collections::HashMap::new();
        for l in state.store.linkages().of_plan_items(ids).await? {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(l.programme_id) {
                e.insert(
                    crate::linkage::programme_name(state, l.programme_id)
                        .await?
                        .0,
                );
            }
            let label = format!(
                "{} · {}",
                names[&l.programme_id],
                ctx.t(&format!("linkage.stage.{}", l.stage.as_str()))
            );
            let href = format!("/r/{code}/linkages/{}", l.id);
            if let Some(item) = l.plan_item_id {
                linkages.entry(item).or_default().push((href, label));
            }
        }
    }
    let items = plan
        .items
        .iter()
        .map(|i| {
            let counted = i.decision == Decision::Adopted;
            ItemRow {
                linkages: linkages.remove(&i.id).unwrap_or_default(),
                id: i.id,
                title: i.item.title.clone(),
                description: i.item.description.clone(),
                agenda_href: i
                    .item
                    .agenda_item_id
                    .map(|a| format!("/r/{code}/agenda/{a}")),
                topic: topic_label(&ctx, i.item.topic),
                subcommittee: i.subcommittee.clone().unwrap_or_default(),
                funding: funding_label(&ctx, i.item.funding),
                budget: amount(i.item.budget, &ctx),
                decision: i.decision.as_str(),
                decision_label: decision_label(&ctx, i.decision),
                spent: i.spent.map(|s| amount(s, &ctx)).unwrap_or_default(),
                spent_value: i.spent.map(|s| s.to_string()).unwrap_or_default(),
                balance: if counted {
                    amount(i.item.budget - i.spent.unwrap_or(0), &ctx)
                } else {
                    String::new()
                },
                note: i.settlement_note.clone(),
                progress: i.progress,
            }
        })
        .collect();
    let settlement = settlement_of(&plan);
    let by_funding = super::fund_lines_of(&plan)
        .iter()
        .map(|l| FundingRow {
            funding: funding_label(&ctx, l.funding),
            available: amount(l.available, &ctx),
            allocated: amount(l.allocated, &ctx),
            spent: amount(l.spent, &ctx),
            unallocated: amount(l.unallocated(), &ctx),
            balance: amount(l.balance(), &ctx),
            short: l.unallocated() < 0,
        })
        .collect();
    let fund_inputs = Funding::ALL
        .into_iter()
        .map(|f| FundInput {
            code: f.as_str(),
            label: funding_label(&ctx, f),
            value: plan
                .funds
                .get(&f)
                .map(|a| a.to_string())
                .unwrap_or_default(),
        })
        .collect();
    let total_available: i64 = plan.funds.values().sum();
    let t = settlement.total;
    let settled = decided.then(|| {
        (
            amount(t.budget, &ctx),
            amount(t.spent, &ctx),
            amount(t.balance(), &ctx),
        )
    });
    let subcommittees = state
        .store
        .councils()
        .subcommittees(&place.region.code)
        .await?;
    let assemblies = if may_put && plan.status == Status::Draft {
        state
            .store
            .assemblies()
            .of_place(&place.region.code)
            .await?
            .into_iter()
            .filter(|a| a.status == AssemblyStatus::Draft)
            .map(|a| AssemblyChoice {
                id: a.setup.id,
                title: a.setup.rules.title.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let events = if may_draft || may_manage {
        state
            .store
            .plans()
            .events(plan.id)
            .await?
            .into_iter()
            .map(|e| EventRow {
                at: ctx.moment(e.at),
                by: e.by,
                action: ctx.t(&format!("plan.event.{}", e.action)),
                detail: e.detail,
            })
            .collect()
    } else {
        Vec::new()
    };
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let current = Status::ALL
        .iter()
        .position(|s| *s == plan.status)
        .unwrap_or(0);
    Ok(ShowPage {
        steps: Status::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| (status_label(&ctx, *s), i == current, i < current))
            .collect(),
        topics: choices(
            &Topic::ALL,
            "topic",
            Topic::as_str,
            &ctx,
            std::slice::from_ref(&form.topic),
        ),
        fundings: choices(
            &Funding::ALL,
            "plan.funding",
            Funding::as_str,
            &ctx,
            std::slice::from_ref(&form.funding),
        ),
        subcommittees: subcommittees
            .into_iter()
            .map(|s| Choice {
                selected: form.subcommittee_id == s.id.to_string(),
                value: s.id.to_string(),
                label: s.name,
            })
            .collect(),
        assembly_href: plan
            .assembly_id
            .map(|a| format!("/r/{code}/assemblies/{a}")),
        code: code.to_owned(),
        id: plan.id,
        heading,
        status: plan.status.as_str(),
        items,
        total_budget: amount(plan.items.iter().map(|i| i.item.budget).sum(), &ctx),
        by_funding,
        fund_inputs,
        total_available: amount(total_available, &ctx),
        settled,
        may_draft,
        may_manage,
        may_link,
        may_put,
        form,
        assemblies,
        events,
        notice,
        refused: refused.map_or("", |(f, _)| f),
        error_field,
        error_message,
        ctx,
    })
}

/// Runs a form of the plan's page: back to the page on success, the page with the reason on
/// a refusal (the item form keeps what was typed).
async fn after(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    which: &'static str,
    form: ItemForm,
    outcome: Result<&'static str>,
) -> Result<Response> {
    let to = outcome.map(|done| format!("/r/{code}/plans/{id}?done={done}"));
    form_answer(to, |p| async move {
        render(state, ctx, code, id, form, None, Some((which, &p))).await
    })
    .await
}

/// The user's plan of the path's place (404 for another place's).
async fn check_place(state: &AppState, code: &str, id: &str) -> Result<()> {
    plan_here(state, code, id).await.map(drop)
}

async fn add_item_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<ItemForm>,
) -> Result<Response> {
    let added = async {
        check_place(&state, &code, &id).await?;
        let budget = format::parse_won(&form.budget)
            .ok_or_else(|| Problem::field("budget", "plan.error.amount"))?;
        let item = PlanItemIn {
            title: form.title.clone(),
            description: form.description.clone(),
            topic: form.topic.clone(),
            budget,
            funding: form.funding.clone(),
            subcommittee_id: optional_id(&form.subcommittee_id, "subcommittee_id")?,
            agenda_item_id: optional_id(&form.agenda_item_id, "agenda_item_id")?,
        };
        super::add_item(&state, &user, &id, item).await?;
        Ok("added")
    }
    .await;
    after(&state, ctx, &code, &id, "item", form, added).await
}

async fn remove_item_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id, item)): Path<(String, String, String)>,
) -> Result<Response> {
    let removed = async {
        check_place(&state, &code, &id).await?;
        super::remove_item(&state, &user, &id, &item).await?;
        Ok("removed")
    }
    .await;
    after(
        &state,
        ctx,
        &code,
        &id,
        "remove",
        ItemForm::default(),
        removed,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct PutForm {
    #[serde(default)]
    assembly_id: String,
    #[serde(default)]
    ballot: String,
    #[serde(default)]
    limit: String,
}

async fn put_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<PutForm>,
) -> Result<Response> {
    let put = async {
        check_place(&state, &code, &id).await?;
        let assembly_id = optional_id(&form.assembly_id, "assembly_id")?
            .ok_or_else(|| Problem::field("assembly_id", "plan.error.assembly"))?;
        let limit = crate::page::optional_won(&form.limit, "limit", "plan.error.limit")?;
        let input = PutIn {
            assembly_id,
            ballot: form.ballot.clone(),
            limit,
        };
        super::put(&state, &user, &id, input).await?;
        Ok("put")
    }
    .await;
    after(&state, ctx, &code, &id, "put", ItemForm::default(), put).await
}

async fn withdrawal_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response> {
    let withdrawn = async {
        check_place(&state, &code, &id).await?;
        super::withdraw(&state, &user, &id).await?;
        Ok("withdrawn")
    }
    .await;
    after(
        &state,
        ctx,
        &code,
        &id,
        "withdrawal",
        ItemForm::default(),
        withdrawn,
    )
    .await
}

async fn decision_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response> {
    let decided = async {
        check_place(&state, &code, &id).await?;
        let out = super::decide(&state, &user, &id).await?;
        Ok(if out.outcome == "decided" {
            "decided"
        } else {
            "back_to_draft"
        })
    }
    .await;
    after(
        &state,
        ctx,
        &code,
        &id,
        "decision",
        ItemForm::default(),
        decided,
    )
    .await
}

async fn step_form(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    code: &str,
    id: &str,
    to: Status,
) -> Result<Response> {
    let moved = async {
        check_place(state, code, id).await?;
        advance(state, user, id, to).await?;
        Ok(if to == Status::Closed {
            "closed"
        } else {
            "executing"
        })
    }
    .await;
    after(state, ctx, code, id, "step", ItemForm::default(), moved).await
}

async fn execution_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response> {
    step_form(&state, ctx, &user, &code, &id, Status::Executing).await
}

async fn closing_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response> {
    step_form(&state, ctx, &user, &code, &id, Status::Closed).await
}

#[derive(Debug, Default, Deserialize)]
struct SpendingForm {
    #[serde(default)]
    spent: String,
    #[serde(default)]
    note: String,
}

async fn spending_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id, item)): Path<(String, String, String)>,
    Form(form): Form<SpendingForm>,
) -> Result<Response> {
    let spent = async {
        check_place(&state, &code, &id).await?;
        let spent = format::parse_won(&form.spent)
            .ok_or_else(|| Problem::field("spent", "plan.error.amount"))?;
        let input = SpendingIn {
            spent,
            note: form.note.clone(),
        };
        super::spend(&state, &user, &id, &item, input).await?;
        Ok("spent")
    }
    .await;
    after(
        &state,
        ctx,
        &code,
        &id,
        "spending",
        ItemForm::default(),
        spent,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
struct FundsForm {
    #[serde(default)]
    resident_tax_return: String,
    #[serde(default)]
    participatory_budget: String,
    #[serde(default)]
    special_account: String,
    #[serde(default)]
    grant: String,
    #[serde(default)]
    private: String,
    #[serde(default)]
    own: String,
}

async fn funds_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<FundsForm>,
) -> Result<Response> {
    let set = async {
        check_place(&state, &code, &id).await?;
        let won = |s: &str, field: &str| match s.trim() {
            "" => Ok(None),
            s => format::parse_won(s)
                .map(Some)
                .ok_or_else(|| Problem::field(field, "plan.error.amount")),
        };
        let input = super::FundsIn {
            resident_tax_return: won(&form.resident_tax_return, "resident_tax_return")?,
            participatory_budget: won(&form.participatory_budget, "participatory_budget")?,
            special_account: won(&form.special_account, "special_account")?,
            grant: won(&form.grant, "grant")?,
            private: won(&form.private, "private")?,
            own: won(&form.own, "own")?,
        };
        super::set_funds(&state, &user, &id, input).await?;
        Ok("funds")
    }
    .await;
    after(&state, ctx, &code, &id, "funds", ItemForm::default(), set).await
}

// ---------------------------------------------------------------------------------------
// The settlement as a spreadsheet

/// Every item with its budget, decision, spending and balance, then the totals per funding
/// source and of the plan; amounts stay numbers.
async fn settlement_xlsx(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    id: &str,
) -> Result<Response> {
    let (plan, place) = plan_here(state, code, id).await?;
    let col = |k: &str| ctx.t(&format!("plan.col.{k}")).to_owned();
    let header = [
        "title",
        "subcommittee",
        "funding",
        "budget",
        "decision",
        "spent",
        "balance",
        "note",
    ]
    .map(col)
    .to_vec();
    let heading = format!(
        "{} {}",
        place.region.name,
        ctx.tf("plan.heading", &[("year", &plan.year.to_string())])
    );
    let mut xlsx = XlsxDownload::new(&heading, header);
    for i in &plan.items {
        let adopted = i.decision == Decision::Adopted;
        xlsx.row(vec![
            Cell::Text(i.item.title.clone()),
            Cell::Text(i.subcommittee.clone().unwrap_or_default()),
            Cell::Text(funding_label(ctx, i.item.funding).to_owned()),
            Cell::Count(i.item.budget),
            Cell::Text(decision_label(ctx, i.decision).to_owned()),
            i.spent.map_or(Cell::Text(String::new()), Cell::Count),
            if adopted {
                Cell::Count(i.item.budget - i.spent.unwrap_or(0))
            } else {
                Cell::Text(String::new())
            },
            Cell::Text(i.settlement_note.clone()),
        ]);
    }
    let settlement = settlement_of(&plan);
    let sums = |label: String, s: maeul_core::autonomy::plan::Sums| {
        vec![
            Cell::Text(label),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            Cell::Count(s.budget),
            Cell::Text(String::new()),
            Cell::Count(s.spent),
            Cell::Count(s.balance()),
            Cell::Text(String::new()),
        ]
    };
    for (f, s) in &settlement.by_funding {
        let label = format!(
            "{} · {}",
            ctx.t("plan.adopted_subtotal"),
            funding_label(ctx, *f)
        );
        xlsx.row(sums(label, *s));
    }
    xlsx.row(sums(
        ctx.t("plan.adopted_total").to_owned(),
        settlement.total,
    ));
    xlsx.attachment(&format!(
        "autonomy-plan-{}-{}.xlsx",
        plan.emd_code, plan.year
    ))
}
