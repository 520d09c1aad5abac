//! Pages of the certificates: checking one by its code, asking for an assembly's (the resident
//! with their voting code, the staff by roster reference), issuing a council meeting's, and the
//! certificate itself, made to be printed.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maeul_core::account::Permission;
use maeul_core::autonomy::certificate::{CertificateCode, Kind, head_of, masked};
use maeul_core::format;
use maeul_store::autonomy::certificate::Certificate;
use serde::Deserialize;

use super::{
    CertificateRequestIn, MeetingCertificateIn, RosterCertificateIn, assembly_event, certificate,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::autonomy::council::emd;
use crate::education::hours;
use crate::error::{Problem, Result};
use crate::page::{PageCtx, form_error, form_result};
use crate::paging::MAX_PER_PAGE;

pub fn routes(r: Routes) -> Routes {
    r.page("/certificates", Access::Public, get(verify_form))
        .page("/certificates/{code}", Access::Public, get(verify))
        .page(
            "/r/{code}/assemblies/{id}/certificate",
            Access::Public,
            get(request_page).post(request_form),
        )
        .page(
            "/r/{code}/assemblies/{id}/certificates",
            Access::Allowed(Permission::RunPolling),
            axum::routing::post(roster_form),
        )
        .page(
            "/work/council/certificates",
            Access::Allowed(Permission::ManageCouncil),
            get(meeting_page).post(meeting_form),
        )
}

/// The event's days as the certificate prints them.
fn when(ctx: &PageCtx, c: &Certificate) -> String {
    let on = format::date(c.event_on, ctx.lang);
    match c.event_until.filter(|u| *u != c.event_on) {
        Some(until) => format!("{on} ~ {}", format::date(until, ctx.lang)),
        None => on,
    }
}

/// What a certificate states, label and value in the order printed: in full to print, to a
/// verifier (`public`) with the name masked and without the holder's affiliation, which with
/// a masked name could still tell who it is.
fn facts(ctx: &PageCtx, c: &Certificate, public: bool) -> Vec<(&'static str, String)> {
    let holder = if public {
        masked(&c.holder)
    } else {
        c.holder.clone()
    };
    let mut facts = vec![(ctx.t("certificate.holder"), holder)];
    match &c.completion {
        None => facts.extend([
            (ctx.t("certificate.event"), c.event_title.clone()),
            (ctx.t("certificate.when"), when(ctx, c)),
            (ctx.t("certificate.place"), c.place_name.clone()),
        ]),
        Some(done) => {
            if !public && !done.affiliation.is_empty() {
                facts.push((ctx.t("certificate.affiliation"), done.affiliation.clone()));
            }
            facts.extend([
                (ctx.t("certificate.course"), c.event_title.clone()),
                (ctx.t("certificate.period"), when(ctx, c)),
                (ctx.t("certificate.minutes"), hours(ctx, done.minutes)),
                (ctx.t("certificate.runner"), c.place_name.clone()),
            ]);
        }
    }
    facts
}

// ---------------------------------------------------------------------------------------
// Checking a certificate

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/certificate/verify.html")]
struct VerifyPage {
    ctx: PageCtx,
    typed: String,
    error_message: &'static str,
    /// The certificate found: kind, title, days, place, masked holder, issued, code.
    found: Option<Found>,
}

struct Found {
    kind: &'static str,
    facts: Vec<(&'static str, String)>,
    issued: String,
    code: String,
}

#[derive(Debug, Default, Deserialize)]
struct VerifyQuery {
    code: Option<String>,
}

async fn verify_form(ctx: PageCtx, Query(q): Query<VerifyQuery>) -> Result<Response> {
    let ctx = ctx.crumb_t("certificate.verify.title", None);
    let Some(typed) = q.code.filter(|c| !c.trim().is_empty()) else {
        return Ok(VerifyPage {
            ctx,
            typed: String::new(),
            error_message: "",
            found: None,
        }
        .into_response());
    };
    match CertificateCode::parse(&typed) {
        Some(code) => {
            Ok(Redirect::to(&format!("/certificates/{}", code.display())).into_response())
        }
        None => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            VerifyPage {
                error_message: ctx.t("certificate.error.code"),
                ctx,
                typed,
                found: None,
            },
        )
            .into_response()),
    }
}

async fn verify(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response> {
    let ctx = ctx.crumb_t("certificate.verify.title", Some("/certificates".into()));
    let c = match certificate(&state, &code).await {
        Ok(c) => c,
        // No such certificate: the check form again, saying so.
        Err(p) if p.status == axum::http::StatusCode::NOT_FOUND => {
            return Ok((
                p.status,
                VerifyPage {
                    error_message: ctx.t("certificate.error.unknown"),
                    ctx,
                    typed: code,
                    found: None,
                },
            )
                .into_response());
        }
        Err(p) => return Err(p),
    };
    let ctx = ctx.crumb(c.code.clone(), None);
    Ok(VerifyPage {
        found: Some(Found {
            kind: ctx.t(&format!("certificate.kind.{}", c.kind.as_str())),
            facts: facts(&ctx, &c, true),
            issued: format::date(c.issued_on, ctx.lang),
            code: c.code.clone(),
        }),
        typed: c.code.clone(),
        error_message: "",
        ctx,
    }
    .into_response())
}

// ---------------------------------------------------------------------------------------
// The certificate, to print

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/certificate/print.html")]
pub(crate) struct PrintPage {
    ctx: PageCtx,
    /// The page's title: the kind of the certificates on it.
    heading: &'static str,
    /// Above the certificates, not printed.
    notice: &'static str,
    certificates: Vec<Printed>,
}

impl PrintPage {
    /// The page with another line above the certificates (the message key).
    pub(crate) fn with_notice(mut self, key: &str) -> Self {
        self.notice = self.ctx.t(key);
        self
    }
}

/// One certificate as printed.
struct Printed {
    heading: &'static str,
    facts: Vec<(&'static str, String)>,
    statement: &'static str,
    issuer: String,
    issued: String,
    code: String,
    /// Where a verifier checks it, with this site's address as the request reached it.
    verify_at: String,
}

/// Who signs a certificate: the place's council for taking part, the head of the region (the
/// ministry for the nation) for a course.
fn issuer(ctx: &PageCtx, c: &Certificate) -> String {
    match c.kind {
        Kind::CourseCompletion => head_of(&c.place_name)
            .unwrap_or_else(|| ctx.t("certificate.issuer.ministry").to_owned()),
        Kind::Assembly | Kind::CouncilMeeting => {
            // The place's own name (청운효자동) is the last word of its full name.
            let place = c.place_name.rsplit(' ').next().unwrap_or(&c.place_name);
            ctx.tf("certificate.issuer", &[("place", place)])
        }
    }
}

/// A page of certificates for their holders, one to a printed sheet; `site` is the host the
/// request came to, printed so that a verifier holding the paper knows where to check.
pub(crate) fn print(ctx: PageCtx, list: &[Certificate], site: &str) -> PrintPage {
    let certificates = list
        .iter()
        .map(|c| {
            let kind = c.kind.as_str();
            Printed {
                heading: ctx.t(&format!("certificate.kind.{kind}")),
                facts: facts(&ctx, c, false),
                statement: ctx.t(&format!("certificate.statement.{kind}")),
                issuer: issuer(&ctx, c),
                issued: format::date(c.issued_on, ctx.lang),
                code: c.code.clone(),
                verify_at: format!("{site}/certificates/{}", c.code),
            }
        })
        .collect::<Vec<_>>();
    let kind = list
        .first()
        .map_or("course_completion", |c| c.kind.as_str());
    let heading = ctx.t(&format!("certificate.kind.{kind}"));
    PrintPage {
        heading,
        notice: ctx.t("certificate.issued.notice"),
        certificates,
        ctx: ctx.crumb(heading.to_owned(), None),
    }
}

/// The host a request came to (for the address printed on a certificate).
pub(crate) fn site(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or_default()
        .to_owned()
}

// ---------------------------------------------------------------------------------------
// Asking for an assembly's certificate

#[derive(Debug, Default, Deserialize)]
struct RequestForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    resident_ref: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/certificate/request.html")]
struct RequestPage {
    ctx: PageCtx,
    action: String,
    title: String,
    may_issue: bool,
    name: String,
    refused: &'static str,
    error_field: String,
    error_message: &'static str,
}

async fn render_request(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
    id: &str,
    form: &RequestForm,
    refused: Option<(&'static str, &Problem)>,
) -> Result<RequestPage> {
    let (event, assembly) = assembly_event(state, id).await?;
    if event.emd_code.to_string() != code {
        return Err(Problem::not_found());
    }
    let place = emd(state, code).await?;
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb(
            event.title.clone(),
            Some(format!("/r/{code}/assemblies/{id}")),
        )
        .crumb_t("certificate.title", None);
    let may_issue = ctx.may_in(Permission::RunPolling, &assembly.setup.place);
    let (error_field, error_message) = form_error(&ctx, refused.map(|(_, p)| p));
    Ok(RequestPage {
        action: format!("/r/{code}/assemblies/{id}"),
        title: event.title,
        may_issue,
        name: form.name.clone(),
        refused: refused.map_or("", |(f, _)| f),
        error_field,
        error_message,
        ctx,
    })
}

async fn request_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<RequestPage> {
    render_request(&state, ctx, &code, &id, &RequestForm::default(), None).await
}

/// The assembly of the path, checked to be of the path's place.
async fn check_place(state: &AppState, code: &str, id: &str) -> Result<()> {
    let (event, _) = assembly_event(state, id).await?;
    if event.emd_code.to_string() != code {
        return Err(Problem::not_found());
    }
    Ok(())
}

async fn request_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<RequestForm>,
) -> Result<Response> {
    let issued = async {
        check_place(&state, &code, &id).await?;
        let input = CertificateRequestIn {
            code: form.code.clone(),
            name: form.name.clone(),
        };
        let c = super::request(&state, &id, input).await?;
        Ok(print(ctx.clone(), &[c], &site(&headers)))
    }
    .await;
    form_result(issued, |p| async move {
        render_request(&state, ctx, &code, &id, &form, Some(("request", &p))).await
    })
    .await
}

async fn roster_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
    User(user): User,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<RequestForm>,
) -> Result<Response> {
    let issued = async {
        check_place(&state, &code, &id).await?;
        let input = RosterCertificateIn {
            resident_ref: form.resident_ref.clone(),
            name: form.name.clone(),
        };
        let c = super::issue_by_roster(&state, &user, &id, input).await?;
        Ok(print(ctx.clone(), &[c], &site(&headers)))
    }
    .await;
    form_result(issued, |p| async move {
        render_request(&state, ctx, &code, &id, &form, Some(("roster", &p))).await
    })
    .await
}

// ---------------------------------------------------------------------------------------
// A council meeting's certificate

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/certificate/meeting.html")]
struct MeetingPage {
    ctx: PageCtx,
    region: String,
    meetings: Vec<(i64, String, bool)>,
    name: String,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct MeetingForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    name: String,
}

async fn render_meeting(
    state: &AppState,
    ctx: PageCtx,
    user: &maeul_core::account::Principal,
    form: &MeetingForm,
    refused: Option<&Problem>,
) -> Result<MeetingPage> {
    let place = crate::autonomy::council::managed_place(state, user, &form.region).await?;
    let (meetings, _) = state
        .store
        .councils()
        .meetings(&place.region.code, 0, MAX_PER_PAGE)
        .await?;
    let ctx = ctx
        .crumb_t(
            "council.work.title",
            Some(format!("/work/council?region={}", form.region)),
        )
        .crumb_t("certificate.meeting.title", None);
    let (error_field, error_message) = form_error(&ctx, refused);
    Ok(MeetingPage {
        meetings: meetings
            .into_iter()
            .map(|m| {
                let label = format!(
                    "{} · {}",
                    format::date(m.meeting.held_on, ctx.lang),
                    m.meeting.title
                );
                (m.id, label, form.meeting == m.id.to_string())
            })
            .collect(),
        name: form.name.clone(),
        region: form.region.clone(),
        error_field,
        error_message,
        ctx,
    })
}

async fn meeting_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Query(form): Query<MeetingForm>,
) -> Result<MeetingPage> {
    render_meeting(&state, ctx, &user, &form, None).await
}

async fn meeting_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
    User(user): User,
    Form(form): Form<MeetingForm>,
) -> Result<Response> {
    let issued = async {
        let meeting = crate::page::optional_id(&form.meeting, "meeting")?
            .ok_or_else(|| Problem::field("meeting", "field.choice"))?;
        let input = MeetingCertificateIn {
            name: form.name.clone(),
        };
        let c = super::issue_for_meeting(&state, &user, &meeting.to_string(), input).await?;
        Ok(print(ctx.clone(), &[c], &site(&headers)))
    }
    .await;
    form_result(issued, |p| async move {
        render_meeting(&state, ctx, &user, &form, Some(&p)).await
    })
    .await
}
