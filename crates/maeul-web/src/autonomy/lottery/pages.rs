//! Pages of a lottery: the public record (rules, seed, list without names, outcome, how to
//! re-run it) and the officers' page that takes applications, publishes the seed and draws.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_store::autonomy::lottery::{Applicant, Lottery};
use serde::Deserialize;

use super::{
    ApplicationIn, applicants, appoint, lottery_problem, managed, public, seat_name, stage,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::member_problem;
use crate::error::{Params, Problem, Result};
use crate::page::{PageCtx, form_error};
use crate::welfare::today;

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/lotteries/{id}", Access::Public, get(show))
        .page("/work/lotteries/{id}", MANAGE, get(work))
        .page(
            "/work/lotteries/{id}/applications",
            MANAGE,
            post(apply_form),
        )
        .page("/work/lotteries/{id}/seed", MANAGE, post(seed_form))
        .page("/work/lotteries/{id}/draw", MANAGE, post(draw_form))
        .page(
            "/work/lotteries/{id}/appointments",
            MANAGE,
            post(appoint_form),
        )
        .page(
            "/work/lotteries/{id}/alternates",
            MANAGE,
            post(alternate_form),
        )
}

/// One line of the list of applications.
struct Row {
    number: String,
    /// Empty on the public page.
    name: String,
    category: &'static str,
    gender: &'static str,
    hours: u32,
    /// The hours were read from the place's autonomy school.
    school: bool,
    /// What the draw made of it: a seat, an alternate's rank, not eligible, or nothing yet.
    result: String,
}

/// What every page of a lottery shows.
struct View {
    id: i64,
    title: String,
    stage: &'static str,
    stage_label: &'static str,
    rules: Vec<(String, String)>,
    seed: Option<String>,
    rows: Vec<Row>,
    /// Members, alternates and empty seats, once drawn.
    summary: Option<String>,
    record_href: String,
}

/// The lottery as shown; the applicants' names only on the officers' page (`names`).
fn view(ctx: &PageCtx, l: &Lottery, list: Vec<Applicant>, names: bool) -> View {
    let r = &l.rules;
    let mut rules = vec![
        (ctx.t("lottery.seats").to_owned(), r.seats.to_string()),
        (
            ctx.t("lottery.min_hours").to_owned(),
            ctx.tf("lottery.hours", &[("n", &r.min_training_hours.to_string())]),
        ),
        (
            ctx.t("lottery.gender_limit").to_owned(),
            ctx.tf(
                "lottery.gender_limit.value",
                &[
                    ("percent", &r.max_gender_percent.to_string()),
                    ("seats", &r.gender_cap().to_string()),
                ],
            ),
        ),
        (
            ctx.t("lottery.alternates").to_owned(),
            r.alternates.to_string(),
        ),
    ];
    for res in &r.reserved {
        rules.push((
            ctx.tf(
                "lottery.reserved.for",
                &[(
                    "category",
                    ctx.t(&format!("lottery.category.{}", res.category.as_str())),
                )],
            ),
            res.seats.to_string(),
        ));
    }
    let mut results: BTreeMap<&str, String> = BTreeMap::new();
    if let Some(o) = &l.outcome {
        for (i, m) in o.members.iter().enumerate() {
            results.insert(
                &m.number,
                ctx.tf(
                    &format!(
                        "lottery.result.{}",
                        if seat_name(m.seat) == "open" {
                            "open"
                        } else {
                            "reserved"
                        }
                    ),
                    &[("n", &(i + 1).to_string())],
                ),
            );
        }
        for (i, a) in o.alternates.iter().enumerate() {
            results.insert(
                a,
                ctx.tf("lottery.result.alternate", &[("n", &(i + 1).to_string())]),
            );
        }
        for n in &o.ineligible {
            results.insert(n, ctx.t("lottery.result.ineligible").to_owned());
        }
    }
    let summary = l.outcome.as_ref().map(|o| {
        ctx.tf(
            "lottery.summary",
            &[
                ("members", &o.members.len().to_string()),
                ("alternates", &o.alternates.len().to_string()),
                ("unfilled", &o.unfilled.to_string()),
            ],
        )
    });
    let rows = list
        .into_iter()
        .map(
            |Applicant {
                 application: a,
                 name,
                 school_enrolment,
             }| Row {
                result: match (results.get(a.number.as_str()), &l.outcome) {
                    (Some(r), _) => r.clone(),
                    (None, Some(_)) => ctx.t("lottery.result.not_seated").to_owned(),
                    (None, None) => String::new(),
                },
                category: ctx.t(&format!("lottery.category.{}", a.category.as_str())),
                gender: ctx.t(&format!("lottery.gender.{}", a.gender.as_str())),
                hours: a.training_hours,
                school: school_enrolment.is_some(),
                number: a.number,
                name: if names { name } else { String::new() },
            },
        )
        .collect();
    View {
        id: l.id,
        title: l.title.clone(),
        stage: stage(l),
        stage_label: ctx.t(&format!("lottery.stage.{}", stage(l))),
        rules,
        seed: l.seed.clone(),
        rows,
        summary,
        record_href: format!("/api/v1/lotteries/{}/record", l.id),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/lottery/show.html")]
struct ShowPage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    v: View,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<ShowPage> {
    let lottery = public(&state, &id).await?;
    if lottery.emd_code != code {
        return Err(Problem::not_found());
    }
    let place = state
        .store
        .regions()
        .get(&maeul_core::region::RegionCode::parse(&code).map_err(|_| Problem::not_found())?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let ctx = ctx
        .crumb(place.region.full_name, Some(format!("/r/{code}")))
        .crumb_t("council.title", Some(format!("/r/{code}/council")))
        .crumb(lottery.title.clone(), None);
    // The public list names no one.
    let list = state.store.lotteries().applicants(lottery.id).await?;
    Ok(ShowPage {
        guides: crate::guide::links(&state, maeul_core::guide::Subject::Lottery).await,
        v: view(&ctx, &lottery, list, false),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/lottery/work.html")]
struct WorkPage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    v: View,
    public_href: String,
    pasted: String,
    seed: String,
    /// Members the lottery has put on the council so far.
    appointed: i64,
    appointed_text: String,
    refused: &'static str,
    error_message: String,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
struct WorkQuery {
    done: Option<String>,
}

async fn work(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Params(query): Params<WorkQuery>,
) -> Result<WorkPage> {
    let notice = match query.done.as_deref() {
        Some("applications") => Some("lottery.done.applications"),
        Some("seed") => Some("lottery.done.seed"),
        Some("draw") => Some("lottery.done.draw"),
        Some("appointments") => Some("lottery.done.appointments"),
        Some("alternates") => Some("lottery.done.alternates"),
        _ => None,
    };
    render(&state, ctx, &user, &id, Forms::default(), None, notice).await
}

#[derive(Debug, Default, Deserialize)]
struct Forms {
    #[serde(default)]
    applications: String,
    #[serde(default)]
    seed: String,
    #[serde(default)]
    term_starts: String,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    id: &str,
    form: Forms,
    refused: Option<(&'static str, &Problem)>,
    notice: Option<&'static str>,
) -> Result<WorkPage> {
    let lottery = managed(state, user, id).await?;
    let ctx = ctx
        .crumb_t(
            "council.work.title",
            Some(format!("/work/council?region={}", lottery.emd_code)),
        )
        .crumb(lottery.title.clone(), None);
    let (_, message) = form_error(&ctx, refused.map(|(_, p)| p));
    let error_message = match refused.and_then(|(_, p)| p.detail.clone()) {
        Some(d) => format!("{message} ({d})"),
        None => message.to_owned(),
    };
    let list = state.store.lotteries().applicants(lottery.id).await?;
    let appointed = state.store.councils().appointed_from(lottery.id).await?;
    Ok(WorkPage {
        guides: crate::guide::links(state, maeul_core::guide::Subject::Lottery).await,
        appointed,
        appointed_text: ctx.tf("lottery.appointed", &[("n", &appointed.to_string())]),
        public_href: format!("/r/{}/lotteries/{}", lottery.emd_code, lottery.id),
        v: view(&ctx, &lottery, list, true),
        pasted: form.applications,
        seed: form.seed,
        refused: refused.map_or("", |(f, _)| f),
        error_message,
        notice,
        ctx,
    })
}

/// Reads applications pasted from a spreadsheet: one per line, `number, name, category,
/// gender, hours` separated by tabs or commas, the hours as a number or as `#` and the
/// applicant's autonomy-school enrolment number (`#12`: the hours its attendance records); a
/// wrong line is named by its number.
fn pasted(text: &str) -> Result<Vec<ApplicationIn>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let sep = if line.contains('\t') { '\t' } else { ',' };
        let f: Vec<&str> = line.split(sep).map(str::trim).collect();
        let wrong = || {
            Problem::field("applications", "lottery.error.line").with_detail(format!("{}", i + 1))
        };
        let [number, name, category, gender, hours] = f.as_slice() else {
            return Err(wrong());
        };
        let (training_hours, school_enrolment_id) = match hours.strip_prefix('#') {
            Some(enrolment) => (None, Some(enrolment.trim().parse().map_err(|_| wrong())?)),
            None => (Some(hours.parse().map_err(|_| wrong())?), None),
        };
        out.push(ApplicationIn {
            number: (*number).into(),
            name: (*name).into(),
            category: (*category).into(),
            gender: (*gender).into(),
            training_hours,
            school_enrolment_id,
        });
    }
    if out.is_empty() {
        return Err(Problem::field("applications", "field.required"));
    }
    Ok(out)
}

/// Runs a form of the lottery page on a lottery the user may run: back to the page on
/// success, the page with the reason on a refusal.
async fn submit<F>(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    id: &str,
    form: Forms,
    which: &'static str,
    run: F,
) -> Result<Response>
where
    F: AsyncFnOnce(&Lottery, &Forms) -> Result<()>,
{
    let outcome = match managed(state, user, id).await {
        Ok(lottery) => run(&lottery, &form).await,
        Err(p) => Err(p),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/work/lotteries/{id}?done={which}")).into_response()),
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            let status = p.status;
            let page = render(state, ctx, user, id, form, Some((which, &p)), None).await?;
            Ok((status, page).into_response())
        }
        Err(p) => Err(p),
    }
}

async fn apply_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<Forms>,
) -> Result<Response> {
    submit(
        &state,
        ctx,
        &user,
        &id,
        form,
        "applications",
        async |l, f| {
            let list = applicants(pasted(&f.applications)?, "applications")?;
            let lotteries = state.store.lotteries();
            lotteries.apply(l.id, list).await.map_err(lottery_problem)
        },
    )
    .await
}

async fn seed_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<Forms>,
) -> Result<Response> {
    submit(&state, ctx, &user, &id, form, "seed", async |l, f| {
        let lotteries = state.store.lotteries();
        let published = lotteries.publish_seed(l.id, f.seed.clone()).await;
        published.map_err(lottery_problem)
    })
    .await
}

async fn draw_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    submit(
        &state,
        ctx,
        &user,
        &id,
        Forms::default(),
        "draw",
        async |l, _| {
            let drawn = state.store.lotteries().draw(l.id).await;
            drawn.map(drop).map_err(lottery_problem)
        },
    )
    .await
}

async fn appoint_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<Forms>,
) -> Result<Response> {
    submit(
        &state,
        ctx,
        &user,
        &id,
        form,
        "appointments",
        async |l, f| appoint(&state, l.id, &f.term_starts).await.map(drop),
    )
    .await
}

async fn alternate_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    submit(
        &state,
        ctx,
        &user,
        &id,
        Forms::default(),
        "alternates",
        async |l, _| {
            let called = state.store.councils().call_alternate(l.id, today()).await;
            called.map(drop).map_err(member_problem)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_rows_come_from_a_spreadsheet_or_a_csv() {
        let list =
            pasted("2026-001\t김주민\t청년\t여\t8\n\n2026-002, 이주민, 일반, 남, 6\n").unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].name, "이주민");
        let e = pasted("2026-001\t김주민\t청년\t여\t8\n2026-002,이주민,일반,남\n").unwrap_err();
        assert_eq!(e.detail.as_deref(), Some("2"));
        assert!(pasted("  \n").is_err());
    }
}
