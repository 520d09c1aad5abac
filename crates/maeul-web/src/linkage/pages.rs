//! Pages of the linkage procedure: the linkages of the user's places, starting one from a plan
//! item or an agenda item with the programmes that fit it, and one linkage with its steps,
//! the form of the next step and its documents. Every form works without JavaScript.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::format;
use maeul_core::programme::linkage::{AmountKind, MAX_DOCUMENT, Stage};
use serde::Deserialize;

use super::{
    LinkageStepIn, StartIn, download, linkage, linking_place, programme_name, step, upload,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{PageCtx, form_answer, form_error, optional_id};

const LINK: Access = Access::Allowed(Permission::LinkProgrammes);

pub fn routes(r: Routes) -> Routes {
    r.page("/work/linkages", LINK, get(list))
        .page(
            "/r/{code}/linkages/new",
            LINK,
            get(new_page).post(new_submit),
        )
        .page("/r/{code}/linkages/{id}", LINK, get(show))
        .page("/r/{code}/linkages/{id}/steps", LINK, post(step_form))
        .page(
            "/r/{code}/linkages/{id}/documents",
            LINK,
            post(upload_form).layer(DefaultBodyLimit::max(MAX_DOCUMENT + 64 * 1024)),
        )
        .page(
            "/r/{code}/linkages/{id}/documents/{document}",
            LINK,
            get(download_page),
        )
}

fn stage_label(ctx: &PageCtx, s: Stage) -> &'static str {
    ctx.t(&format!("linkage.stage.{}", s.as_str()))
}

// ---------------------------------------------------------------------------------------
// The linkages of the user's places

struct Row {
    href: String,
    place: String,
    title: String,
    programme: String,
    stage: &'static str,
    owner: String,
    due_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "linkage/list.html")]
struct ListPage {
    ctx: PageCtx,
    rows: Vec<Row>,
}

async fn list(State(state): State<AppState>, ctx: PageCtx, User(user): User) -> Result<ListPage> {
    let ctx = ctx.crumb_t("linkage.title", None);
    let list = state
        .store
        .linkages()
        .within(user.scopes(Permission::LinkProgrammes), 200)
        .await?;
    let mut rows = Vec::with_capacity(list.len());
    // Linkages share few places and programmes: each name is read once.
    let mut places: HashMap<String, String> = HashMap::new();
    let mut programmes: HashMap<i64, String> = HashMap::new();
    for l in list {
        if let Entry::Vacant(e) = places.entry(l.emd_code.clone()) {
            // By code, also for a place retired since (its linkages stay listed).
            let code = maeul_core::region::RegionCode::parse(&l.emd_code)
                .map_err(|_| Problem::internal())?;
            let name = state.store.regions().get(&code).await?;
            e.insert(name.map(|r| r.region.full_name).unwrap_or_default());
        }
        if let Entry::Vacant(e) = programmes.entry(l.programme_id) {
            e.insert(programme_name(&state, l.programme_id).await?.0);
        }
        rows.push(Row {
            href: format!("/r/{}/linkages/{}", l.emd_code, l.id),
            place: places[&l.emd_code].clone(),
            title: l.title.clone(),
            programme: programmes[&l.programme_id].clone(),
            stage: stage_label(&ctx, l.stage),
            owner: l.owner.clone(),
            due_on: l
                .due_on
                .map(|d| format::date(d, ctx.lang))
                .unwrap_or_default(),
        });
    }
    Ok(ListPage { ctx, rows })
}

// ---------------------------------------------------------------------------------------
// Starting

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    plan_item: Option<String>,
    agenda: Option<String>,
    /// A programme chosen elsewhere (the catalogue), offered first.
    programme: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct NewForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    programme_id: String,
    #[serde(default)]
    plan_item_id: String,
    #[serde(default)]
    agenda_item_id: String,
}

struct Candidate {
    id: String,
    label: String,
    reasons: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "linkage/new.html")]
struct NewPage {
    ctx: PageCtx,
    code: String,
    form: NewForm,
    candidates: Vec<Candidate>,
    search_href: String,
    error_field: String,
    error_message: &'static str,
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    code: &str,
    form: NewForm,
    error: Option<&Problem>,
) -> Result<NewPage> {
    let place = linking_place(state, user, code).await?;
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("linkage.title", Some("/work/linkages".into()))
        .crumb_t("linkage.new", None);
    let matches = crate::programme::fits(state, ctx.lang, &form.title, Some(&place), 5).await?;
    let mut candidates: Vec<Candidate> = matches
        .into_iter()
        .map(|m| Candidate {
            checked: form.programme_id == m.id.to_string(),
            id: m.id.to_string(),
            label: format!("{} · {}", m.ministry, m.name),
            reasons: m.reasons.join(" · "),
        })
        .collect();
    // A programme chosen in the catalogue that the matching did not offer comes first.
    if let Ok(chosen) = form.programme_id.parse::<i64>()
        && !candidates.iter().any(|c| c.checked)
    {
        let (name, ministry) = programme_name(state, chosen).await?;
        if !name.is_empty() {
            candidates.insert(
                0,
                Candidate {
                    id: chosen.to_string(),
                    label: format!("{ministry} · {name}"),
                    reasons: String::new(),
                    checked: true,
                },
            );
        }
    }
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(NewPage {
        candidates,
        search_href: format!("/programmes?q={}", crate::page::utf8_percent(&form.title)),
        code: code.to_owned(),
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<NewQuery>,
) -> Result<NewPage> {
    let mut form = NewForm {
        owner: user.name.clone(),
        ..NewForm::default()
    };
    // From a plan item or an agenda item of the place: its title, and the link kept.
    if let Some(item) = query
        .plan_item
        .as_deref()
        .and_then(|i| i.parse::<i64>().ok())
        && let Some(plan) = state.store.plans().plan_of_item(item).await?
        && let Some(plan) = state.store.plans().get(plan).await?
        && plan.emd_code == code
        && let Some(i) = plan.items.iter().find(|i| i.id == item)
    {
        form.title = i.item.title.clone();
        form.plan_item_id = item.to_string();
        form.agenda_item_id = i
            .item
            .agenda_item_id
            .map(|a| a.to_string())
            .unwrap_or_default();
    } else if let Some(agenda) = query.agenda.as_deref()
        && let Some(item) = crate::autonomy::agenda::shown_item_of(&state, agenda, &code).await
    {
        form.title = item.proposal.title.clone();
        form.agenda_item_id = item.id.to_string();
    }
    if let Some(p) = query
        .programme
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
    {
        form.programme_id = p.to_string();
    }
    render_new(&state, ctx, &user, &code, form, None).await
}

async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    let started = async {
        let programme_id = optional_id(&form.programme_id, "programme_id")?
            .ok_or_else(|| Problem::field("programme_id", "linkage.error.programme"))?;
        let input = StartIn {
            programme_id,
            title: form.title.clone(),
            owner: form.owner.clone(),
            plan_item_id: optional_id(&form.plan_item_id, "plan_item_id")?,
            agenda_item_id: optional_id(&form.agenda_item_id, "agenda_item_id")?,
        };
        super::start(&state, &user, &code, input).await
    }
    .await;
    match started {
        Ok(id) => {
            Ok(Redirect::to(&format!("/r/{code}/linkages/{id}?done=started")).into_response())
        }
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, &code, form, Some(&p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

// ---------------------------------------------------------------------------------------
// One linkage

struct StepRow {
    stage: &'static str,
    on: String,
    owner: String,
    note: String,
    due_on: String,
    amount: String,
    by: String,
}

struct DocRow {
    href: String,
    name: String,
    stage: &'static str,
    size: String,
    by: String,
    at: String,
}

#[derive(Debug, Default, Deserialize)]
struct StepForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "linkage/show.html")]
struct ShowPage {
    ctx: PageCtx,
    code: String,
    id: i64,
    title: String,
    programme: String,
    programme_href: String,
    plan_href: Option<String>,
    agenda_href: Option<String>,
    stage: &'static str,
    /// The stage as a code, sent back with the step form.
    stage_code: &'static str,
    owner: String,
    due_on: String,
    steps: Vec<StepRow>,
    documents: Vec<DocRow>,
    next: Vec<(&'static str, &'static str)>,
    form: StepForm,
    today: String,
    /// The upload form's action: a file upload carries its CSRF token in the address.
    upload_action: String,
    notice: Option<&'static str>,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Params(query): Params<ShowQuery>,
) -> Result<ShowPage> {
    let notice = match query.done.as_deref() {
        Some("started") => Some("linkage.done.started"),
        Some("step") => Some("linkage.done.step"),
        Some("document") => Some("linkage.done.document"),
        _ => None,
    };
    let refusal = Problem::field("file", "linkage.error.document");
    let refused =
        (query.done.as_deref() == Some("document_refused")).then_some(("document", &refusal));
    render(
        &state,
        ctx,
        &user,
        &code,
        &id,
        StepForm::default(),
        notice,
        refused,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    code: &str,
    id: &str,
    form: StepForm,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ShowPage> {
    let (l, place) = linkage(state, user, id).await?;
    if l.emd_code != code {
        return Err(Problem::not_found());
    }
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("linkage.title", Some("/work/linkages".into()))
        .crumb(l.title.clone(), None);
    let (programme, ministry) = programme_name(state, l.programme_id).await?;
    let steps = state.store.linkages().steps(l.id).await?;
    let documents = state.store.linkages().documents(l.id).await?;
    let plan_href = match l.plan_item_id {
        Some(item) => state
            .store
            .plans()
            .plan_of_item(item)
            .await?
            .map(|p| format!("/r/{code}/plans/{p}")),
        None => None,
    };
    let amount_label = |s: Stage| match s.amount_kind() {
        Some(AmountKind::Requested) => ctx.t("linkage.amount.requested"),
        Some(AmountKind::Awarded) => ctx.t("linkage.amount.awarded"),
        Some(AmountKind::Spent) => ctx.t("linkage.amount.spent"),
        None => "",
    };
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    Ok(ShowPage {
        steps: steps
            .iter()
            .map(|s| StepRow {
                stage: stage_label(&ctx, s.step.stage),
                on: format::date(s.step.on, ctx.lang),
                owner: s.step.owner.clone(),
                note: s.step.note.clone(),
                due_on: s
                    .step
                    .due_on
                    .map(|d| format::date(d, ctx.lang))
                    .unwrap_or_default(),
                amount: s
                    .step
                    .amount
                    .map(|a| {
                        format!(
                            "{} {}",
                            amount_label(s.step.stage),
                            format::won(a, ctx.lang)
                        )
                    })
                    .unwrap_or_default(),
                by: s.recorded_by.clone(),
            })
            .collect(),
        documents: documents
            .iter()
            .map(|d| DocRow {
                href: format!("/r/{code}/linkages/{}/documents/{}", l.id, d.id),
                name: d.name.clone(),
                stage: stage_label(&ctx, d.stage),
                size: format!("{} KB", format::thousands((d.size + 1023) / 1024)),
                by: d.uploaded_by.clone(),
                at: ctx.moment(d.uploaded_at),
            })
            .collect(),
        next: l
            .stage
            .next()
            .iter()
            .map(|s| (s.as_str(), stage_label(&ctx, *s)))
            .collect(),
        code: code.to_owned(),
        id: l.id,
        title: l.title.clone(),
        programme: format!("{ministry} · {programme}"),
        programme_href: format!("/programmes/{}", l.programme_id),
        plan_href,
        agenda_href: l.agenda_item_id.map(|a| format!("/r/{code}/agenda/{a}")),
        stage: stage_label(&ctx, l.stage),
        stage_code: l.stage.as_str(),
        owner: l.owner.clone(),
        due_on: l
            .due_on
            .map(|d| format::date(d, ctx.lang))
            .unwrap_or_default(),
        form: StepForm {
            owner: if form.owner.is_empty() {
                l.owner.clone()
            } else {
                form.owner
            },
            ..form
        },
        today: crate::welfare::day(crate::welfare::today()),
        upload_action: format!(
            "/r/{code}/linkages/{}/documents?_csrf={}",
            l.id,
            crate::page::utf8_percent(&ctx.csrf)
        ),
        notice,
        refused: refused.map_or("", |(f, _)| f),
        error_field,
        error_message,
        ctx,
    })
}

#[allow(clippy::too_many_arguments)]
async fn after(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    code: &str,
    id: &str,
    which: &'static str,
    form: StepForm,
    outcome: Result<()>,
) -> Result<Response> {
    let to = outcome.map(|()| format!("/r/{code}/linkages/{id}?done={which}"));
    form_answer(to, |p| async move {
        render(state, ctx, user, code, id, form, None, Some((which, &p))).await
    })
    .await
}

/// The linkage of the path, checked to be of the path's place.
async fn check_place(state: &AppState, user: &Principal, code: &str, id: &str) -> Result<()> {
    let (l, _) = linkage(state, user, id).await?;
    if l.emd_code != code {
        return Err(Problem::not_found());
    }
    Ok(())
}

async fn step_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<StepForm>,
) -> Result<Response> {
    let recorded = async {
        let amount = crate::page::optional_won(&form.amount, "amount", "linkage.error.amount")?;
        let due_on = Some(form.due_on.trim().to_owned()).filter(|d| !d.is_empty());
        check_place(&state, &user, &code, &id).await?;
        let input = LinkageStepIn {
            from: Some(form.from.clone()).filter(|f| !f.is_empty()),
            stage: form.stage.clone(),
            on: form.on.trim().to_owned(),
            owner: form.owner.clone(),
            note: form.note.clone(),
            due_on,
            amount,
        };
        step(&state, &user, &id, input).await
    }
    .await;
    after(&state, ctx, &user, &code, &id, "step", form, recorded).await
}

async fn upload_form(
    State(state): State<AppState>,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response> {
    let uploaded = async {
        check_place(&state, &user, &code, &id).await?;
        let mut file = None;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| Problem::field("file", "linkage.error.document"))?
        {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_owned();
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| Problem::field("file", "linkage.error.document"))?;
                file = Some((name, content_type, bytes.to_vec()));
            }
        }
        let (name, content_type, bytes) =
            file.ok_or_else(|| Problem::field("file", "linkage.error.document"))?;
        upload(&state, &user, &id, &name, &content_type, bytes)
            .await
            .map(drop)
    }
    .await;
    // Back to the page in every case, so that the address (which carries the form's token) is
    // not the one shown.
    let done = match uploaded {
        Ok(()) => "document",
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            "document_refused"
        }
        Err(p) => return Err(p),
    };
    Ok(Redirect::to(&format!("/r/{code}/linkages/{id}?done={done}")).into_response())
}

async fn download_page(
    State(state): State<AppState>,
    User(user): User,
    Path((code, id, document)): Path<(String, String, String)>,
) -> Result<Response> {
    let (l, _) = linkage(&state, &user, &id).await?;
    if l.emd_code != code {
        return Err(Problem::not_found());
    }
    download(&state, &user, &id, &document).await
}
