//! Pages of the agenda: a place's items with filters, one item with its supports, answer and
//! the forms its reader may use (support for residents of the place; answer and moderation
//! for the council), and the proposal form. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::agenda::{Status, Topic};
use maeul_core::format;
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{ListQuery, ModerationIn, ProposalIn, answer, emd, item, residents_place, support};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, choices, form_answer, form_error, topic_label};
use crate::paging::{Pager, Paging};

const PROPOSE: Access = Access::Allowed(Permission::ProposeAgenda);
const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/agenda", Access::Public, get(list))
        .page(
            "/r/{code}/agenda/new",
            PROPOSE,
            get(new_page).post(new_submit),
        )
        .page("/r/{code}/agenda/{id}", Access::Public, get(show))
        .page("/r/{code}/agenda/{id}/support", PROPOSE, post(support_form))
        .page("/r/{code}/agenda/{id}/answer", MANAGE, post(answer_form))
        .page(
            "/r/{code}/agenda/{id}/moderation",
            MANAGE,
            post(moderation_form),
        )
}

fn status_label(ctx: &PageCtx, s: Status) -> &'static str {
    ctx.t(&format!("agenda.status.{}", s.as_str()))
}

struct ItemLink {
    href: String,
    title: String,
    topic: &'static str,
    status: &'static str,
    status_label: &'static str,
    supports: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/agenda/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    place: String,
    items: Vec<ItemLink>,
    total_text: String,
    pager: Pager,
    topics: Vec<Choice>,
    statuses: Vec<Choice>,
    sort: String,
    ladder: String,
    may_propose: bool,
}

async fn place_ctx(state: &AppState, ctx: PageCtx, code: &str) -> Result<(PageCtx, StoredRegion)> {
    let place = emd(state, code).await?;
    let ctx = ctx.crumb(place.region.full_name.clone(), Some(format!("/r/{code}")));
    Ok((ctx, place))
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<ListQuery>,
) -> Result<ListPage> {
    let (ctx, place) = place_ctx(&state, ctx, &code).await?;
    let ctx = ctx.crumb_t("agenda.title", None);
    let filter = query.filter(place.region.code.as_str())?;
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (items, total) = state
        .store
        .agenda()
        .list(filter, paging.offset(), paging.per_page)
        .await?;
    let ladder = state.store.agenda().ladder(&place.region.code).await?;
    let (status, topic, sort) = (
        query.status.clone().unwrap_or_default(),
        query.topic.clone().unwrap_or_default(),
        query.sort.clone().unwrap_or_default(),
    );
    let base = format!(
        "status={}&topic={}&sort={}",
        crate::page::utf8_percent(&status),
        crate::page::utf8_percent(&topic),
        crate::page::utf8_percent(&sort)
    );
    Ok(ListPage {
        items: items
            .iter()
            .map(|i| ItemLink {
                href: format!("/r/{code}/agenda/{}", i.id),
                title: i.proposal.title.clone(),
                topic: topic_label(&ctx, i.proposal.topic),
                status: i.status.as_str(),
                status_label: status_label(&ctx, i.status),
                supports: format::thousands(i.supports),
            })
            .collect(),
        topics: choices(
            &Topic::ALL,
            "topic",
            Topic::as_str,
            &ctx,
            std::slice::from_ref(&topic),
        ),
        statuses: choices(
            &Status::ALL[..4],
            "agenda.status",
            Status::as_str,
            &ctx,
            std::slice::from_ref(&status),
        ),
        ladder: ctx.tf(
            "agenda.ladder",
            &[
                ("review", &ladder.review.to_string()),
                ("answer", &ladder.answer.to_string()),
            ],
        ),
        may_propose: ctx.may_in(Permission::ProposeAgenda, &place.path),
        code: code.clone(),
        place: place.region.full_name.clone(),
        total_text: ctx.tf("agenda.total", &[("n", &format::thousands(total))]),
        pager: Pager::new(paging, total, base),
        sort,
        ctx,
    })
}

/// A plan an agenda item went into: its link, year, the decision and, once adopted, the
/// project's link and progress.
struct InPlan {
    href: String,
    label: String,
    decision: &'static str,
    project: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/agenda/show.html")]
struct ShowPage {
    ctx: PageCtx,
    code: String,
    id: i64,
    title: String,
    body: String,
    topic: &'static str,
    cost: Option<String>,
    proposed: String,
    supports: String,
    status: &'static str,
    status_label: &'static str,
    next_step: Option<String>,
    answer: Option<String>,
    hidden_reason: Option<String>,
    /// The support button: shown to residents of the place who have not supported yet.
    may_support: bool,
    supported: bool,
    may_manage: bool,
    notice: Option<&'static str>,
    refused: &'static str,
    error_message: &'static str,
    /// Programmes that may fit the item, and the link to look further.
    programmes: Vec<crate::programme::MatchItem>,
    programmes_href: String,
    /// The plans the item went into, and the draft plans it can go
    /// into for those who write them.
    in_plans: Vec<InPlan>,
    draft_plans: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    Params(query): Params<ShowQuery>,
) -> Result<ShowPage> {
    let notice = match query.done.as_deref() {
        Some("proposed") => Some("agenda.done.proposed"),
        Some("supported") => Some("agenda.done.supported"),
        Some("answered") => Some("agenda.done.answered"),
        Some("moderated") => Some("agenda.done.moderated"),
        _ => None,
    };
    render(&state, ctx, &code, &id, notice, None).await
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    notice: Option<&'static str>,
    refused: Option<(&'static str, &Problem)>,
) -> Result<ShowPage> {
    let (ctx, place) = place_ctx(state, ctx, code).await?;
    let item = item(state, id).await?;
    if item.emd_code != place.region.code.as_str() {
        return Err(Problem::not_found());
    }
    let hidden = item.status == Status::Hidden;
    let title = if hidden {
        ctx.t("agenda.hidden_title").to_owned()
    } else {
        item.proposal.title.clone()
    };
    let ctx = ctx
        .crumb_t("agenda.title", Some(format!("/r/{code}/agenda")))
        .crumb(title.clone(), None);
    let ladder = state.store.agenda().ladder(&place.region.code).await?;
    let next_step = match item.status {
        Status::Open => Some(ctx.tf(
            "agenda.next.review",
            &[("n", &(i64::from(ladder.review) - item.supports).to_string())],
        )),
        Status::Review => Some(ctx.tf(
            "agenda.next.answer",
            &[("n", &(i64::from(ladder.answer) - item.supports).to_string())],
        )),
        _ => None,
    };
    let user = ctx.user.clone();
    let resident = ctx.may_in(Permission::ProposeAgenda, &place.path);
    let supported = match &user {
        Some(u) if resident => state.store.agenda().supports(item.id, u.user_id).await?,
        _ => false,
    };
    let own = user.as_ref().is_some_and(|u| u.user_id == item.proposed_by);
    let (_, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    let text = format!("{} {}", item.proposal.title, item.proposal.body);
    let programmes = if hidden {
        Vec::new()
    } else {
        crate::programme::fits(state, ctx.lang, &text, Some(&place), 3).await?
    };
    let programmes_href = format!(
        "/programmes/match?region={code}&text={}",
        crate::page::utf8_percent(&item.proposal.title)
    );
    let in_plans = state
        .store
        .plans()
        .items_of_agenda_item(item.id)
        .await?
        .into_iter()
        .map(|(plan, year, i)| InPlan {
            href: format!("/r/{code}/plans/{plan}"),
            label: ctx.tf("agenda.plan.in", &[("year", &year.to_string())]),
            decision: ctx.t(&format!("plan.decision.{}", i.decision.as_str())),
            project: (i.decision == maeul_core::autonomy::plan::Decision::Adopted).then(|| {
                (
                    format!("/r/{code}/projects/{}", i.id),
                    format!(
                        "{} · {} {}%",
                        ctx.t("project.title"),
                        ctx.t("project.col.progress"),
                        i.progress
                    ),
                )
            }),
        })
        .collect();
    let draft_plans = if ctx.may_in(Permission::DraftPlan, &place.path) && !hidden {
        state
            .store
            .plans()
            .of_place(&place.region.code)
            .await?
            .into_iter()
            .filter(|p| p.status == maeul_core::autonomy::plan::Status::Draft)
            .map(|p| {
                (
                    format!("/r/{code}/plans/{}?agenda={}#add-item", p.id, item.id),
                    ctx.tf("plan.heading", &[("year", &p.year.to_string())]),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        code: code.to_owned(),
        id: item.id,
        title,
        body: if hidden {
            String::new()
        } else {
            item.proposal.body.clone()
        },
        topic: topic_label(&ctx, item.proposal.topic),
        cost: item.proposal.rough_cost.map(|c| format::won(c, ctx.lang)),
        proposed: ctx.moment(item.created_at),
        supports: format::thousands(item.supports),
        status: item.status.as_str(),
        status_label: status_label(&ctx, item.status),
        next_step,
        answer: item.answer.clone().filter(|_| !hidden),
        hidden_reason: item.hidden_reason.clone(),
        may_support: resident && !own && !hidden,
        supported,
        may_manage: ctx.may_in(Permission::ManageCouncil, &place.path),
        notice,
        refused: refused.map_or("", |(f, _)| f),
        error_message,
        programmes,
        programmes_href,
        in_plans,
        draft_plans,
        ctx,
    })
}

/// Runs a form of an item's page: back to the page on success, the page with the reason on
/// a refusal.
async fn after(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    which: &'static str,
    outcome: Result<()>,
) -> Result<Response> {
    let to = outcome.map(|()| format!("/r/{code}/agenda/{id}?done={which}"));
    form_answer(to, |p| async move {
        render(state, ctx, code, id, None, Some((which, &p))).await
    })
    .await
}

async fn support_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response> {
    let outcome = support(&state, &user, &id).await.map(drop);
    after(&state, ctx, &code, &id, "supported", outcome).await
}

#[derive(Debug, Default, Deserialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
}

async fn answer_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response> {
    let outcome = answer(&state, &user, &id, &form.answer).await;
    after(&state, ctx, &code, &id, "answered", outcome).await
}

#[derive(Debug, Default, Deserialize)]
struct ModerationForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

async fn moderation_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<ModerationForm>,
) -> Result<Response> {
    let input = ModerationIn {
        action: form.action,
        reason: form.reason,
    };
    let outcome = super::moderate(&state, &user, &id, input).await;
    after(&state, ctx, &code, &id, "moderated", outcome).await
}

// ---------------------------------------------------------------------------------------
// Proposing

#[derive(Debug, Default, Deserialize)]
struct NewForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    rough_cost: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/agenda/new.html")]
struct NewPage {
    ctx: PageCtx,
    code: String,
    form: NewForm,
    topics: Vec<Choice>,
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
    residents_place(state, user, code).await?;
    let (ctx, _) = place_ctx(state, ctx, code).await?;
    let ctx = ctx
        .crumb_t("agenda.title", Some(format!("/r/{code}/agenda")))
        .crumb_t("agenda.new", None);
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(NewPage {
        topics: choices(
            &Topic::ALL,
            "topic",
            Topic::as_str,
            &ctx,
            std::slice::from_ref(&form.topic),
        ),
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
) -> Result<NewPage> {
    render_new(&state, ctx, &user, &code, NewForm::default(), None).await
}

async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    let proposed = async {
        let place = residents_place(&state, &user, &code).await?;
        let rough_cost = match form.rough_cost.replace([',', ' '], "").as_str() {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| Problem::field("rough_cost", "agenda.error.cost"))?,
            ),
        };
        let proposal = ProposalIn {
            title: form.title.clone(),
            body: form.body.clone(),
            topic: form.topic.clone(),
            rough_cost,
        }
        .proposal()?;
        Ok::<_, Problem>(
            state
                .store
                .agenda()
                .propose(&place.region.code, proposal, user.user_id)
                .await?,
        )
    }
    .await;
    match proposed {
        Ok(id) => Ok(Redirect::to(&format!("/r/{code}/agenda/{id}?done=proposed")).into_response()),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, &code, form, Some(&p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}
