//! Pages of the courses: the courses of a region (with the form to open one), and a course
//! (with, for those who run it, its sessions, roster and attendance grid). Every form works
//! without JavaScript.

use std::collections::HashSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::autonomy::certificate::CertificateCode;
use maeul_core::education::{Audience, parse_hours};
use maeul_core::format;
use maeul_store::education::StoredCourse;
use maeul_store::region::StoredRegion;
use serde::Deserialize;

use super::{
    CourseIn, EnrolmentIn, RUN, SessionIn, course_of, create, enrol, hours, record, run_course,
    run_region, runs,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::certificate::{print, site};
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, choices, form_answer, form_error};
use crate::paging::{Pager, Paging};
use crate::welfare::today;

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/courses", Access::Public, get(list))
        .page("/work/regions/{code}/courses", RUN, post(create_form))
        .page("/courses/{id}", Access::Public, get(show))
        .page("/work/courses/{id}/sessions", RUN, post(session_form))
        .page("/work/courses/{id}/enrolments", RUN, post(enrol_form))
        .page("/work/courses/{id}/attendance", RUN, post(attendance_form))
        .page(
            "/work/courses/{id}/certificates",
            RUN,
            get(certificates_page).post(issue_form),
        )
}

fn audience_label(ctx: &PageCtx, a: Audience) -> &'static str {
    ctx.t(&format!("course.audience.{}", a.as_str()))
}

/// Hours typed in a form as minutes, refused naming `field` (the API's name for the minutes).
fn typed_hours(field: &str, s: &str) -> Result<u32> {
    parse_hours(s).ok_or_else(|| Problem::field(field, "course.error.hours"))
}

// ---------------------------------------------------------------------------------------
// The courses of a region

struct Row {
    href: String,
    title: String,
    place: String,
    audience: &'static str,
    school: bool,
    required: String,
    sessions: i64,
    enrolled: i64,
    completed: i64,
}

/// The new-course form as typed.
#[derive(Debug, Default, Deserialize)]
struct CourseForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    autonomy_school: Option<String>,
    #[serde(default)]
    required_minutes: String,
    #[serde(default)]
    description: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "education/list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    name: String,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
    may_run: bool,
    audiences: Vec<Choice>,
    form: CourseForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    r: &StoredRegion,
    paging: Paging,
    form: CourseForm,
    error: Option<&Problem>,
) -> Result<ListPage> {
    let (items, total) = state
        .store
        .courses()
        .within(&r.region.code, paging.offset(), paging.per_page)
        .await?;
    let rows = items
        .iter()
        .map(|s| Row {
            href: format!("/courses/{}", s.stored.id),
            title: s.stored.course.title.clone(),
            place: s.stored.region_name.clone(),
            audience: audience_label(&ctx, s.stored.course.audience),
            school: s.stored.course.autonomy_school,
            required: hours(&ctx, s.stored.course.required_minutes),
            sessions: s.sessions,
            enrolled: s.enrolled,
            completed: s.completed,
        })
        .collect();
    let may_run = runs(ctx.user.as_ref(), r);
    let audiences = choices(
        &Audience::ALL,
        "course.audience",
        Audience::as_str,
        &ctx,
        std::slice::from_ref(&form.audience),
    );
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb_t("course.title", None);
    Ok(ListPage {
        code: r.region.code.to_string(),
        name: r.region.full_name.clone(),
        rows,
        total,
        pager: Pager::new(paging, total, String::new()),
        may_run,
        audiences,
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
    Params(query): Params<crate::region::WithinPage>,
) -> Result<ListPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let r = crate::region::in_use(&state, &code).await?;
    let form = CourseForm {
        audience: Audience::Residents.as_str().to_owned(),
        ..CourseForm::default()
    };
    render_list(&state, ctx, &r, paging, form, None).await
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<CourseForm>,
) -> Result<Response> {
    let r = run_region(&state, &user, &code).await?;
    let outcome = async {
        let sent = CourseIn {
            title: f.title.clone(),
            audience: f.audience.clone(),
            autonomy_school: f.autonomy_school.is_some(),
            required_minutes: typed_hours("required_minutes", &f.required_minutes)?,
            description: f.description.clone(),
        };
        let id = create(&state, &user, &r, &sent).await?;
        Ok(format!("/courses/{id}"))
    }
    .await;
    form_answer(outcome, |p| async move {
        render_list(&state, ctx, &r, Paging::first(), f, Some(&p)).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// A course

struct SessionView {
    title: String,
    day: String,
    length: String,
}

struct Cell {
    /// `{enrolment}:{session}`, the checkbox's value.
    key: String,
    /// Minutes recorded when the page was made.
    minutes: u32,
    checked: bool,
    /// What a screen reader says of the box.
    label: String,
    /// Part of a session (minutes recorded below its length).
    partial: String,
}

struct RosterRow {
    /// The enrolment (수강 번호), which a lottery application may name.
    id: i64,
    name: String,
    affiliation: String,
    cells: Vec<Cell>,
    total: String,
    completed: bool,
    /// The code of the certificate issued.
    certificate: Option<String>,
}

/// The forms as typed, so that a refused one comes back filled in.
#[derive(Debug, Default, Deserialize)]
struct Typed {
    #[serde(default)]
    title: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    affiliation: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "education/show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    place: String,
    place_href: String,
    audience: &'static str,
    school: bool,
    required: String,
    description: String,
    sessions: Vec<SessionView>,
    may_run: bool,
    roster: Vec<RosterRow>,
    completed: usize,
    /// Completed without a certificate yet.
    uncertified: usize,
    /// Certificates issued.
    issued: usize,
    form: Typed,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

async fn render_show(
    state: &AppState,
    ctx: PageCtx,
    c: &StoredCourse,
    r: &StoredRegion,
    form: Typed,
    refused: &'static str,
    error: Option<&Problem>,
) -> Result<ShowPage> {
    let store = state.store.courses();
    let sessions = store.sessions(c.id).await?;
    let may_run = runs(ctx.user.as_ref(), r);
    // The roster holds names: only for those who run the course.
    let (roster, certificates) = if may_run {
        let certificates = state.store.certificates().of_course(c.id).await?;
        (store.roster(c.id).await?, certificates)
    } else {
        (Vec::new(), Vec::new())
    };
    let rows: Vec<RosterRow> = roster
        .iter()
        .map(|e| RosterRow {
            id: e.id,
            name: e.name.clone(),
            affiliation: e.affiliation.clone(),
            cells: sessions
                .iter()
                .map(|s| {
                    let attended = e.attended.get(&s.id).copied().unwrap_or(0);
                    Cell {
                        key: format!("{}:{}", e.id, s.id),
                        minutes: attended,
                        checked: attended > 0,
                        label: format!(
                            "{} · {} ({})",
                            e.name,
                            s.session.title,
                            format::date(s.session.held_on, ctx.lang)
                        ),
                        partial: if attended > 0 && attended < s.session.minutes {
                            hours(&ctx, attended)
                        } else {
                            String::new()
                        },
                    }
                })
                .collect(),
            total: hours(&ctx, e.total()),
            completed: c.course.completed_by(e.total()),
            certificate: certificates
                .iter()
                .find(|x| {
                    x.completion
                        .as_ref()
                        .is_some_and(|d| d.enrolment_id == e.id)
                })
                .map(|x| x.code.clone()),
        })
        .collect();
    let completed = rows.iter().filter(|r| r.completed).count();
    let uncertified = rows
        .iter()
        .filter(|r| r.completed && r.certificate.is_none())
        .count();
    let sessions = sessions
        .iter()
        .map(|s| SessionView {
            title: s.session.title.clone(),
            day: format::date(s.session.held_on, ctx.lang),
            length: hours(&ctx, s.session.minutes),
        })
        .collect();
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb_t(
            "course.title",
            Some(format!("/r/{}/courses", r.region.code)),
        )
        .crumb(c.course.title.clone(), None);
    Ok(ShowPage {
        id: c.id,
        title: c.course.title.clone(),
        place: c.region_name.clone(),
        place_href: format!("/r/{}/courses", c.region_code),
        audience: audience_label(&ctx, c.course.audience),
        school: c.course.autonomy_school,
        required: hours(&ctx, c.course.required_minutes),
        description: c.course.description.clone(),
        sessions,
        may_run,
        roster: rows,
        completed,
        uncertified,
        issued: certificates.len(),
        form,
        refused,
        error_field,
        error_message,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let (c, r) = course_of(&state, &id).await?;
    Ok(render_show(&state, ctx, &c, &r, Typed::default(), "", None)
        .await?
        .into_response())
}

async fn session_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Result<Response> {
    let (c, r) = run_course(&state, &user, &id).await?;
    let outcome = async {
        let sent = SessionIn {
            title: f.title.clone(),
            held_on: f.held_on.clone(),
            minutes: typed_hours("minutes", &f.minutes)?,
        };
        let session = sent.session()?;
        state.store.courses().add_session(c.id, session).await?;
        Ok(format!("/courses/{}#sessions", c.id))
    }
    .await;
    form_answer(outcome, |p| async move {
        render_show(&state, ctx, &c, &r, f, "session", Some(&p)).await
    })
    .await
}

async fn enrol_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Result<Response> {
    let (c, r) = run_course(&state, &user, &id).await?;
    let sent = EnrolmentIn {
        name: f.name.clone(),
        affiliation: f.affiliation.clone(),
    };
    let outcome = enrol(&state, &user, &c, &sent)
        .await
        .map(|_| format!("/courses/{}#roster", c.id));
    form_answer(outcome, |p| async move {
        render_show(&state, ctx, &c, &r, f, "enrolment", Some(&p)).await
    })
    .await
}

/// The grid: each box shown on the page carries the minutes it showed; only the boxes whose
/// answer changed are written, so that a save does not undo what someone else recorded since
/// (a session added, a part recorded through the API). A ticked box keeps a part already
/// recorded or takes the whole session; an emptied one records an absence.
async fn attendance_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let ticked: HashSet<&str> = fields
        .iter()
        .filter(|(k, _)| k == "a")
        .map(|(_, v)| v.as_str())
        .collect();
    let sessions = state.store.courses().sessions(c.id).await?;
    let mut marks = Vec::new();
    for (_, shown) in fields.iter().filter(|(k, _)| k == "shown") {
        let mut parts = shown.splitn(3, ':');
        let (Some(e), Some(s), Some(before)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Problem::bad_request());
        };
        let (Ok(enrolment_id), Ok(session_id), Ok(before)) =
            (e.parse::<i64>(), s.parse::<i64>(), before.parse::<u32>())
        else {
            return Err(Problem::bad_request());
        };
        let whole = sessions
            .iter()
            .find(|x| x.id == session_id)
            .map_or(0, |x| x.session.minutes);
        let now = match (ticked.contains(format!("{e}:{s}").as_str()), before) {
            (true, 0) => whole,
            (true, kept) => kept,
            (false, _) => 0,
        };
        if now != before {
            marks.push(super::AttendanceMarkIn {
                enrolment_id,
                session_id,
                minutes: Some(now),
            });
        }
    }
    record(&state, &c, &marks).await?;
    Ok(Redirect::to(&format!("/courses/{}#roster", c.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct CertificateQuery {
    code: Option<String>,
}

/// The course's certificates to print, all of them or the one of `?code=`.
async fn certificates_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
    User(user): User,
    Path(id): Path<String>,
    Query(q): Query<CertificateQuery>,
) -> Result<Response> {
    let (c, r) = run_course(&state, &user, &id).await?;
    let mut list = state.store.certificates().of_course(c.id).await?;
    if let Some(typed) = q.code {
        let code = CertificateCode::parse(&typed).ok_or_else(Problem::not_found)?;
        list.retain(|x| x.code == code.display());
        if list.is_empty() {
            return Err(Problem::not_found());
        }
    }
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(crate::region::region_href(r.region.code.as_str())),
        )
        .crumb(c.course.title.clone(), Some(format!("/courses/{}", c.id)));
    let notice = if list.is_empty() {
        "course.certificates.none"
    } else {
        "course.certificates.notice"
    };
    let page = print(ctx, &list, &site(&headers)).with_notice(notice);
    Ok(page.into_response())
}

/// Issues the certificates due and shows them all to print.
async fn issue_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let certificates = state.store.certificates();
    certificates.for_course(c.id, today(), user.user_id).await?;
    Ok(Redirect::to(&format!("/work/courses/{}/certificates", c.id)).into_response())
}
