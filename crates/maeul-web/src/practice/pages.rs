//! Pages of the good-practice library: the search, one case with the ministry's review, and the
//! form a place writes a case up with. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::plan::Decision as PlanDecision;
use maeul_core::format;
use maeul_core::practice::Status;
use maeul_core::region::{Level, RegionCode};
use maeul_core::topic::Topic;
use maeul_store::autonomy::agenda::{ItemFilter, Sort};
use maeul_store::practice::StoredPractice;
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{PracticeIn, PracticeQuery, PracticeReviewIn, practice};
use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{
    Choice, PageCtx, choices, form_answer, form_error, optional_id, query_string, region_choices,
    topic_label,
};
use crate::paging::{Pager, Paging};

const SUBMIT: Access = Access::Allowed(Permission::SubmitPractice);
const REVIEW: Access = Access::Allowed(Permission::ReviewPractice);

pub fn routes(r: Routes) -> Routes {
    r.page("/practices", Access::Public, get(search))
        .page("/practices/{id}", Access::Public, get(show))
        .page(
            "/practices/{id}/edit",
            SUBMIT,
            get(edit_form).post(revise_form),
        )
        .page("/practices/{id}/reviews", REVIEW, post(review_form))
        .page(
            "/r/{code}/practices/new",
            SUBMIT,
            get(new_form).post(submit_form),
        )
}

// ---------------------------------------------------------------------------------------
// The search

struct Card {
    href: String,
    title: String,
    place: String,
    topic: &'static str,
    summary: String,
    date: String,
    status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "practice/search.html")]
struct SearchPage {
    ctx: PageCtx,
    query: PracticeQuery,
    cards: Vec<Card>,
    total: i64,
    pager: Pager,
    topics: Vec<Choice>,
    sidos: Vec<Choice>,
    /// Whether the user sees unpublished cases (the status filter is offered).
    sees_unpublished: bool,
    statuses: Vec<Choice>,
    /// The places the user writes cases up for: (name, link to the form).
    write_for: Vec<(String, String)>,
    /// The programme the cases are narrowed to: its name and the search without it.
    programme: Option<(String, String)>,
}

fn card(ctx: &PageCtx, p: &StoredPractice) -> Card {
    Card {
        href: format!("/practices/{}", p.id),
        title: p.practice.title.clone(),
        place: p.region_name.clone(),
        topic: topic_label(ctx, p.practice.topic),
        summary: p.practice.summary.clone(),
        date: p
            .published_on
            .map(|d| format::date(d, ctx.lang))
            .unwrap_or_default(),
        status: ctx.t(&format!("practice.status.{}", p.status.as_str())),
    }
}

/// The places whose cases the user writes up: their scopes at eup/myeon/dong or si/gun/gu level.
async fn places_written(state: &AppState, user: Option<&Principal>) -> Result<Vec<StoredRegion>> {
    let mut places = Vec::new();
    for scope in user
        .map(|u| u.scopes(Permission::SubmitPractice))
        .unwrap_or_default()
    {
        if matches!(scope.level(), Level::Emd | Level::Sigungu)
            && let Some(r) = state.store.regions().get(&scope).await?
        {
            places.push(r);
        }
    }
    Ok(places)
}

async fn search(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Params(query): Params<PracticeQuery>,
) -> Result<SearchPage> {
    let ctx = ctx.crumb_t("practice.title", None);
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let user = req.principal();
    let filter = query.filter(user)?;
    let (found, total) = state
        .store
        .practices()
        .search(filter, paging.offset(), paging.per_page)
        .await?;
    let region = query.region.clone().unwrap_or_default();
    let sido_choices = region_choices(&state, &ctx, &region, "practice.region.all").await?;
    // The programme the cases are narrowed to, with a link that lifts the narrowing.
    let programme = match query
        .programme
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
    {
        Some(p) => state
            .store
            .programmes()
            .versions(p)
            .await?
            .into_iter()
            .next()
            .map(|v| {
                let without = query_string(&[
                    ("q", &query.q),
                    ("topic", &query.topic),
                    ("region", &query.region),
                    ("status", &query.status),
                ]);
                (v.programme.name, format!("/practices?{without}"))
            }),
        None => None,
    };
    let topic = query.topic.clone().unwrap_or_default();
    let mut topics = vec![Choice {
        value: String::new(),
        label: ctx.t("practice.topic.all").to_owned(),
        selected: topic.is_empty(),
    }];
    topics.extend(choices(
        &Topic::ALL,
        "topic",
        Topic::as_str,
        &ctx,
        std::slice::from_ref(&topic),
    ));
    let written = places_written(&state, user).await?;
    let sees_unpublished = user
        .is_some_and(|u| u.may(Permission::ReviewPractice) || u.may(Permission::SubmitPractice));
    let status = query.status.clone().unwrap_or_else(|| "published".into());
    let base = query_string(&[
        ("q", &query.q),
        ("topic", &query.topic),
        ("region", &query.region),
        ("programme", &query.programme),
        ("status", &query.status),
    ]);
    Ok(SearchPage {
        cards: found.iter().map(|p| card(&ctx, p)).collect(),
        total,
        pager: Pager::new(paging, total, base),
        topics,
        sidos: sido_choices,
        sees_unpublished,
        statuses: choices(
            &Status::ALL,
            "practice.status",
            Status::as_str,
            &ctx,
            std::slice::from_ref(&status),
        ),
        write_for: written
            .into_iter()
            .map(|r| {
                (
                    r.region.full_name,
                    format!("/r/{}/practices/new", r.region.code),
                )
            })
            .collect(),
        programme,
        query,
        ctx,
    })
}

// ---------------------------------------------------------------------------------------
// One case

struct ReviewRow {
    decision: &'static str,
    note: String,
    reviewer: String,
    at: String,
}

#[derive(Debug, Default, Deserialize)]
struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    /// The case's revision when the page was shown.
    #[serde(default)]
    seen: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "practice/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    place: String,
    place_href: String,
    topic: &'static str,
    status: Status,
    status_label: &'static str,
    published_on: String,
    summary: String,
    body: String,
    results: String,
    programme: Option<(String, String)>,
    agenda_item: Option<(String, String)>,
    plan_item: Option<(String, String)>,
    reviews: Vec<ReviewRow>,
    may_review: bool,
    may_publish: bool,
    may_revise: bool,
    /// The case's revision as shown, sent back with the review.
    seen: i64,
    form: ReviewForm,
    notice: Option<&'static str>,
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
    req: &RequestContext,
    id: &str,
    form: ReviewForm,
    notice: Option<&'static str>,
    error: Option<&Problem>,
) -> Result<ShowPage> {
    let user = req.principal();
    let (p, reviews, place) = practice(state, user, id).await?;
    let ctx = ctx
        .crumb_t("practice.title", Some("/practices".into()))
        .crumb(p.practice.title.clone(), None);
    let may_review = user.is_some_and(|u| u.may(Permission::ReviewPractice));
    let may_revise = p.status.revisable()
        && user.is_some_and(|u| u.may_in(Permission::SubmitPractice, &place.path));
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(ShowPage {
        id: p.id,
        title: p.practice.title.clone(),
        place: p.region_name.clone(),
        place_href: format!("/r/{}", p.region_code),
        topic: topic_label(&ctx, p.practice.topic),
        status: p.status,
        status_label: ctx.t(&format!("practice.status.{}", p.status.as_str())),
        published_on: p
            .published_on
            .map(|d| format::date(d, ctx.lang))
            .unwrap_or_default(),
        summary: p.practice.summary.clone(),
        body: p.practice.body.clone(),
        results: p.practice.results.clone(),
        programme: p
            .practice
            .programme_id
            .zip(p.programme.clone())
            .map(|(id, name)| (name, format!("/programmes/{id}"))),
        agenda_item: p
            .practice
            .agenda_item_id
            .zip(p.agenda_item.clone())
            .map(|(id, (title, emd))| (title, format!("/r/{emd}/agenda/{id}"))),
        plan_item: p
            .practice
            .plan_item_id
            .zip(p.plan_item.clone())
            .map(|(id, (title, emd))| (title, format!("/r/{emd}/projects/{id}"))),
        reviews: reviews
            .iter()
            .map(|r| ReviewRow {
                decision: ctx.t(&format!("practice.decision.{}", r.decision)),
                note: r.note.clone(),
                reviewer: r.reviewer.clone(),
                at: ctx.moment(r.at),
            })
            .collect(),
        may_publish: may_review && p.status == Status::Submitted,
        may_review: may_review && p.status != Status::Returned,
        may_revise,
        seen: p.revision,
        form,
        notice,
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
    Params(q): Params<ShowQuery>,
) -> Result<ShowPage> {
    let notice = match q.done.as_deref() {
        Some("submitted") => Some("practice.done.submitted"),
        Some("revised") => Some("practice.done.revised"),
        Some("published") => Some("practice.done.published"),
        Some("returned") => Some("practice.done.returned"),
        _ => None,
    };
    render(&state, ctx, &req, &id, ReviewForm::default(), notice, None).await
}

async fn review_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response> {
    let input = PracticeReviewIn {
        decision: form.decision.clone(),
        note: form.note.clone(),
        seen: form.seen.trim().parse().ok(),
    };
    let reviewed = super::review(&state, &user, &id, input)
        .await
        .map(|s| format!("/practices/{id}?done={}", s.as_str()));
    form_answer(reviewed, |p| async move {
        render(&state, ctx, &req, &id, form, None, Some(&p)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Writing a case up

#[derive(Debug, Default, Deserialize)]
struct PracticeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    results: String,
    #[serde(default)]
    programme_id: String,
    #[serde(default)]
    agenda_item_id: String,
    #[serde(default)]
    plan_item_id: String,
}

impl PracticeForm {
    fn of(p: &StoredPractice) -> Self {
        let id = |i: Option<i64>| i.map(|i| i.to_string()).unwrap_or_default();
        PracticeForm {
            title: p.practice.title.clone(),
            topic: p.practice.topic.as_str().to_owned(),
            summary: p.practice.summary.clone(),
            body: p.practice.body.clone(),
            results: p.practice.results.clone(),
            programme_id: id(p.practice.programme_id),
            agenda_item_id: id(p.practice.agenda_item_id),
            plan_item_id: id(p.practice.plan_item_id),
        }
    }

    fn input(&self) -> Result<PracticeIn> {
        Ok(PracticeIn {
            title: self.title.clone(),
            topic: self.topic.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            results: self.results.clone(),
            programme_id: optional_id(&self.programme_id, "programme_id")?,
            agenda_item_id: optional_id(&self.agenda_item_id, "agenda_item_id")?,
            plan_item_id: optional_id(&self.plan_item_id, "plan_item_id")?,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "practice/form.html")]
struct FormPage {
    ctx: PageCtx,
    heading: &'static str,
    place: String,
    action: String,
    form: PracticeForm,
    topics: Vec<Choice>,
    agenda_items: Vec<Choice>,
    plan_items: Vec<Choice>,
    error_field: String,
    error_message: &'static str,
}

/// The agenda items and adopted plan items of an eup/myeon/dong, to link a case to; the case's
/// own links (which may lie in a place below a si/gun/gu, or be older than the list) stay offered
/// so that saving does not drop them.
async fn links_of(
    state: &AppState,
    ctx: &PageCtx,
    place: &RegionCode,
    form: &PracticeForm,
    current: Option<&StoredPractice>,
) -> Result<(Vec<Choice>, Vec<Choice>)> {
    let none = |selected: bool| Choice {
        value: String::new(),
        label: ctx.t("practice.link.none").to_owned(),
        selected,
    };
    let mut agenda = vec![none(form.agenda_item_id.is_empty())];
    let mut plan = vec![none(form.plan_item_id.is_empty())];
    let kept = |id: Option<i64>, title: Option<&(String, String)>| {
        id.zip(title).map(|(id, (title, _))| Choice {
            value: id.to_string(),
            label: title.clone(),
            selected: false,
        })
    };
    let keep_agenda = current.and_then(|c| kept(c.practice.agenda_item_id, c.agenda_item.as_ref()));
    let keep_plan = current.and_then(|c| kept(c.practice.plan_item_id, c.plan_item.as_ref()));
    let keep = |list: &mut Vec<Choice>, k: Option<Choice>, chosen: &str| {
        if let Some(k) = k
            && !list.iter().any(|c| c.value == k.value)
        {
            list.push(k);
        }
        for c in list.iter_mut() {
            c.selected = c.value == chosen;
        }
    };
    if place.level() != Level::Emd {
        keep(&mut agenda, keep_agenda, &form.agenda_item_id);
        keep(&mut plan, keep_plan, &form.plan_item_id);
        return Ok((agenda, plan));
    }
    let filter = ItemFilter {
        emd: place.to_string(),
        status: None,
        topic: None,
        sort: Sort::Newest,
    };
    let (items, _) = state.store.agenda().list(filter, 0, 200).await?;
    agenda.extend(items.into_iter().map(|i| Choice {
        selected: form.agenda_item_id == i.id.to_string(),
        value: i.id.to_string(),
        label: i.proposal.title,
    }));
    for p in state.store.plans().of_place(place).await? {
        for i in p
            .items
            .iter()
            .filter(|i| i.decision == PlanDecision::Adopted)
        {
            plan.push(Choice {
                selected: form.plan_item_id == i.id.to_string(),
                value: i.id.to_string(),
                label: format!("{} · {}", p.year, i.item.title),
            });
        }
    }
    keep(&mut agenda, keep_agenda, &form.agenda_item_id);
    keep(&mut plan, keep_plan, &form.plan_item_id);
    Ok((agenda, plan))
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    place: &StoredRegion,
    edit: Option<&StoredPractice>,
    form: PracticeForm,
    error: Option<&Problem>,
) -> Result<FormPage> {
    let ctx = ctx.crumb_t("practice.title", Some("/practices".into()));
    let (ctx, heading, action) = match edit {
        None => (
            ctx.crumb_t("practice.new", None),
            "practice.new",
            format!("/r/{}/practices/new", place.region.code),
        ),
        Some(p) => (
            ctx.crumb(
                p.practice.title.clone(),
                Some(format!("/practices/{}", p.id)),
            )
            .crumb_t("practice.edit", None),
            "practice.edit",
            format!("/practices/{}/edit", p.id),
        ),
    };
    let (agenda_items, plan_items) = links_of(state, &ctx, &place.region.code, &form, edit).await?;
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(FormPage {
        heading,
        place: place.region.full_name.clone(),
        action,
        topics: choices(
            &Topic::ALL,
            "topic",
            Topic::as_str,
            &ctx,
            std::slice::from_ref(&form.topic),
        ),
        agenda_items,
        plan_items,
        form,
        error_field,
        error_message,
        ctx,
    })
}

/// The place of the path, when the user writes up its cases (403 otherwise).
async fn written_place(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let place = crate::region::in_use(state, code).await?;
    if !matches!(place.region.level, Level::Emd | Level::Sigungu) {
        return Err(Problem::not_found());
    }
    if !user.may_in(Permission::SubmitPractice, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
) -> Result<FormPage> {
    let place = written_place(&state, &user, &code).await?;
    form_page(&state, ctx, &place, None, PracticeForm::default(), None).await
}

async fn submit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<PracticeForm>,
) -> Result<Response> {
    let place = written_place(&state, &user, &code).await?;
    let submitted = async {
        let id = super::submit(&state, &user, &code, form.input()?).await?;
        Ok(format!("/practices/{id}?done=submitted"))
    }
    .await;
    form_answer(submitted, |p| async move {
        form_page(&state, ctx, &place, None, form, Some(&p)).await
    })
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let (p, _, place) = practice(&state, Some(&user), &id).await?;
    if !user.may_in(Permission::SubmitPractice, &place.path) {
        return Err(Problem::not_found());
    }
    if !p.status.revisable() {
        return Err(Problem::conflict_of(
            "practice-status",
            "practice.error.status",
        ));
    }
    Ok(
        form_page(&state, ctx, &place, Some(&p), PracticeForm::of(&p), None)
            .await?
            .into_response(),
    )
}

async fn revise_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<PracticeForm>,
) -> Result<Response> {
    let (p, _, place) = practice(&state, Some(&user), &id).await?;
    let revised = async {
        super::revise(&state, &user, &id, form.input()?).await?;
        Ok(format!("/practices/{}?done=revised", p.id))
    }
    .await;
    form_answer(revised, |e| async move {
        form_page(&state, ctx, &place, Some(&p), form, Some(&e)).await
    })
    .await
}
