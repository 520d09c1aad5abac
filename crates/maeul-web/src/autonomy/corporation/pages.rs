//! Pages of the execution organisations: a place's registry, one organisation with its
//! contracts and reports, and, for those who keep the council, the forms to register one, record
//! a contract and a report. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::Permission;
use maeul_core::autonomy::corporation::{ContractKind, OrgKind};
use maeul_core::autonomy::plan::Decision;
use maeul_core::format;
use serde::Deserialize;

use super::{ContractIn, OrganisationIn, ReportIn, corporation};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::emd;
use crate::error::{Problem, Result};
use crate::page::{Choice, PageCtx, choices, form_answer, form_error, optional_id};

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/corporations", Access::Public, get(list))
        .page("/r/{code}/corporations/new", MANAGE, post(register_form))
        .page("/r/{code}/corporations/{id}", Access::Public, get(show))
        .page(
            "/r/{code}/corporations/{id}/contracts",
            MANAGE,
            post(contract_form),
        )
        .page(
            "/r/{code}/corporations/{id}/contracts/{contract}/reports",
            MANAGE,
            post(report_form),
        )
}

fn won(ctx: &PageCtx, a: i64) -> String {
    format::won(a, ctx.lang)
}

// ---------------------------------------------------------------------------------------
// The registry of a place

struct Row {
    href: String,
    name: String,
    kind: &'static str,
    representative: String,
    contracts: usize,
    amount: String,
}

#[derive(Debug, Default, Deserialize)]
struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    registration_no: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    founded_on: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    description: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/corporation/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    place: String,
    rows: Vec<Row>,
    may_manage: bool,
    kinds: Vec<Choice>,
    form: RegisterForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    form: RegisterForm,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let place = emd(state, code).await?;
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("corporation.title", None);
    let rows = state
        .store
        .corporations()
        .of_place(&place.region.code)
        .await?
        .into_iter()
        .map(|c| Row {
            href: format!("/r/{code}/corporations/{}", c.id),
            kind: ctx.t(&format!("corporation.kind.{}", c.org.kind.as_str())),
            name: c.org.name,
            representative: c.org.representative,
            contracts: c.contracts,
            amount: won(&ctx, c.amount),
        })
        .collect();
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(ListPage {
        kinds: choices(
            &OrgKind::ALL,
            "corporation.kind",
            OrgKind::as_str,
            &ctx,
            std::slice::from_ref(&form.kind),
        ),
        may_manage: ctx.may_in(Permission::ManageCouncil, &place.path),
        place: place.region.full_name.clone(),
        code: code.to_owned(),
        rows,
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<ListPage> {
    render_list(&state, ctx, &code, RegisterForm::default(), None).await
}

async fn register_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<RegisterForm>,
) -> Result<Response> {
    let input = OrganisationIn {
        name: form.name.clone(),
        kind: form.kind.clone(),
        registration_no: Some(form.registration_no.trim().to_owned()),
        representative: form.representative.clone(),
        founded_on: Some(form.founded_on.clone()),
        contact: form.contact.clone(),
        description: form.description.clone(),
    };
    let registered = super::register(&state, &user, &code, input)
        .await
        .map(|id| format!("/r/{code}/corporations/{id}?done=registered"));
    form_answer(registered, |p| async move {
        render_list(&state, ctx, &code, form, Some(&p)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// One organisation

struct ReportRow {
    at: String,
    body: String,
    spent: String,
}

struct ContractRow {
    id: i64,
    title: String,
    kind: &'static str,
    amount: String,
    spent: String,
    period: String,
    plan_item: Option<(String, String)>,
    reports: Vec<ReportRow>,
}

#[derive(Debug, Default, Deserialize)]
struct ContractForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    plan_item_id: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    spent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/corporation/show.html")]
struct ShowPage {
    ctx: PageCtx,
    href: String,
    name: String,
    kind: &'static str,
    registration_no: String,
    representative: String,
    founded_on: String,
    contact: String,
    description: String,
    contracts: Vec<ContractRow>,
    may_manage: bool,
    kinds: Vec<Choice>,
    plan_items: Vec<Choice>,
    form: ContractForm,
    notice: Option<&'static str>,
    refused: String,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    form: ContractForm,
    notice: Option<&'static str>,
    refused: Option<(String, &Problem)>,
) -> Result<ShowPage> {
    let (c, contracts, place) = corporation(state, id).await?;
    if c.emd_code != code {
        return Err(Problem::not_found());
    }
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("corporation.title", Some(format!("/r/{code}/corporations")))
        .crumb(c.org.name.clone(), None);
    let may_manage = ctx.may_in(Permission::ManageCouncil, &place.path);
    // The adopted items of the place's plans, which a contract may carry out.
    let plan_items = if may_manage {
        let mut items = vec![Choice {
            value: String::new(),
            label: ctx.t("corporation.plan_item.none").to_owned(),
            selected: form.plan_item_id.is_empty(),
        }];
        for p in state.store.plans().of_place(&place.region.code).await? {
            for i in p.items.iter().filter(|i| i.decision == Decision::Adopted) {
                items.push(Choice {
                    selected: form.plan_item_id == i.id.to_string(),
                    value: i.id.to_string(),
                    label: format!("{} · {}", p.year, i.item.title),
                });
            }
        }
        items
    } else {
        Vec::new()
    };
    let (error_field, error_message) = form_error(&ctx, refused.as_ref().map(|(_, p)| *p));
    Ok(ShowPage {
        href: format!("/r/{code}/corporations/{}", c.id),
        kind: ctx.t(&format!("corporation.kind.{}", c.org.kind.as_str())),
        name: c.org.name.clone(),
        registration_no: c.org.registration_no.clone().unwrap_or_default(),
        representative: c.org.representative.clone(),
        founded_on: c
            .org
            .founded_on
            .map(|d| format::date(d, ctx.lang))
            .unwrap_or_default(),
        contact: c.org.contact.clone(),
        description: c.org.description.clone(),
        contracts: contracts
            .iter()
            .map(|k| ContractRow {
                id: k.id,
                title: k.contract.title.clone(),
                kind: ctx.t(&format!(
                    "corporation.contract.{}",
                    k.contract.kind.as_str()
                )),
                amount: won(&ctx, k.contract.amount),
                spent: k.spent.map(|s| won(&ctx, s)).unwrap_or_default(),
                period: format!(
                    "{} ~ {}",
                    format::date(k.contract.starts_on, ctx.lang),
                    format::date(k.contract.ends_on, ctx.lang)
                ),
                plan_item: k
                    .contract
                    .plan_item_id
                    .zip(k.plan_item.clone())
                    .map(|(i, t)| (format!("/r/{code}/projects/{i}"), t)),
                reports: k
                    .reports
                    .iter()
                    .map(|r| ReportRow {
                        at: ctx.moment(r.at),
                        body: r.body.clone(),
                        spent: r.spent.map(|s| won(&ctx, s)).unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        kinds: choices(
            &ContractKind::ALL,
            "corporation.contract",
            ContractKind::as_str,
            &ctx,
            std::slice::from_ref(&form.kind),
        ),
        may_manage,
        plan_items,
        form,
        notice,
        refused: refused.map(|(f, _)| f).unwrap_or_default(),
        error_field,
        error_message,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response> {
    let notice = match q.done.as_deref() {
        Some("registered") => Some("corporation.done.registered"),
        Some("contract") => Some("corporation.done.contract"),
        Some("report") => Some("corporation.done.report"),
        _ => None,
    };
    Ok(render(
        &state,
        ctx,
        &code,
        &id,
        ContractForm::default(),
        notice,
        None,
    )
    .await?
    .into_response())
}

/// The organisation of the path, checked to be of the path's place.
async fn check_place(state: &AppState, code: &str, id: &str) -> Result<()> {
    let (c, _, _) = corporation(state, id).await?;
    if c.emd_code != code {
        return Err(Problem::not_found());
    }
    Ok(())
}

async fn contract_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<ContractForm>,
) -> Result<Response> {
    let added = async {
        check_place(&state, &code, &id).await?;
        let amount = format::parse_won(&form.amount)
            .ok_or_else(|| Problem::field("amount", "plan.error.amount"))?;
        let input = ContractIn {
            title: form.title.clone(),
            kind: form.kind.clone(),
            amount,
            starts_on: form.starts_on.clone(),
            ends_on: form.ends_on.clone(),
            plan_item_id: optional_id(&form.plan_item_id, "plan_item_id")?,
        };
        super::add_contract(&state, &user, &id, input).await?;
        Ok(format!("/r/{code}/corporations/{id}?done=contract"))
    }
    .await;
    form_answer(added, |p| async move {
        render(
            &state,
            ctx,
            &code,
            &id,
            form,
            None,
            Some(("contract".into(), &p)),
        )
        .await
    })
    .await
}

async fn report_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id, contract)): Path<(String, String, String)>,
    Form(form): Form<ContractForm>,
) -> Result<Response> {
    let added = async {
        check_place(&state, &code, &id).await?;
        // The contract of the path must be the organisation's.
        let of = state
            .store
            .corporations()
            .corporation_of_contract(crate::record_id(&contract)?)
            .await?;
        if of.map(|c| c.to_string()) != Some(id.clone()) {
            return Err(Problem::not_found());
        }
        let spent = crate::page::optional_won(&form.spent, "spent", "plan.error.amount")?;
        let input = ReportIn {
            body: form.body.clone(),
            spent,
        };
        super::add_report(&state, &user, &contract, input).await?;
        Ok(format!("/r/{code}/corporations/{id}?done=report"))
    }
    .await;
    let which = format!("report-{contract}");
    form_answer(added, |p| async move {
        render(&state, ctx, &code, &id, form, None, Some((which, &p))).await
    })
    .await
}
