//! 접속기록 — auditors browse and export the access log of their jurisdiction. Exports are
//! themselves logged with their stated purpose.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::audit::{AccessEntry, Purpose};
use maeul_core::format::KST;
use maeul_store::audit::{AccessFilter, LoggedAccess};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{CsvDownload, PageCtx};
use crate::paging::{Pager, Paging};

const READ: Access = Access::Allowed(Permission::ReadAccessLog);

pub fn routes(r: Routes) -> Routes {
    r.api(READ, routes!(list_access_log))
        .page("/work/access-log", READ, get(access_log_page))
        .page("/work/access-log/export", READ, post(export))
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessQuery {
    /// Exactly this subject (e.g. `user:kim.welfare`).
    #[param(max_length = 200)]
    subject: Option<String>,
    /// First day, `YYYY-MM-DD` (KST).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (KST), inclusive.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

fn day_bound(field: &str, value: Option<&str>, end: bool) -> Result<Option<i64>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(v, &format).map_err(|_| Problem::field(field, "field.date"))?;
    let start = date.midnight().assume_offset(KST).unix_timestamp();
    Ok(Some(if end { start + 86_399 } else { start }))
}

impl AccessQuery {
    fn filter(&self, user: &Principal) -> Result<AccessFilter> {
        let subject = self
            .subject
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if subject.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(Problem::field("subject", "field.query"));
        }
        Ok(AccessFilter {
            subject,
            from: day_bound("from", self.from.as_deref(), false)?,
            to: day_bound("to", self.to.as_deref(), true)?,
            scopes: user.scopes(Permission::ReadAccessLog),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntryOut {
    /// RFC 3339 moment.
    at: String,
    /// Log-in name of who acted (`cli` for the command line).
    user: String,
    /// Address the request came from.
    address: String,
    subject: String,
    /// `login`, `login_failed`, `logout`, `token_issued`, `user_created`, `grant_added`, `grant_revoked`, `password_reset`, `unlocked`, `read`, `export`.
    action: String,
    /// The stated purpose of an export.
    purpose: Option<String>,
}

impl From<&LoggedAccess> for AccessEntryOut {
    fn from(e: &LoggedAccess) -> Self {
        AccessEntryOut {
            at: time::OffsetDateTime::from_unix_timestamp(e.at)
                .ok()
                .and_then(|t| {
                    t.to_offset(KST)
                        .format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
            user: e.user_login.clone(),
            address: e.address.clone(),
            subject: e.subject.clone(),
            action: e.action.as_str().to_owned(),
            purpose: e.purpose.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogPage {
    items: Vec<AccessEntryOut>,
    total: i64,
}

/// Entries of the access log within the auditor's scope, newest first.
#[utoipa::path(get, path = "/access-log", tag = "audit", params(AccessQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = AccessLogPage),
        (status = 400, description = "The query string cannot be read (e.g. a parameter given twice)", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor", content_type = "application/problem+json"),
        (status = 422, description = "A parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn list_access_log(
    State(state): State<AppState>,
    User(user): User,
    Params(query): Params<AccessQuery>,
) -> Result<Json<AccessLogPage>> {
    no_empty_values(&[
        ("from", &query.from),
        ("to", &query.to),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let page = state
        .store
        .access_log()
        .list(query.filter(&user)?, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(AccessLogPage {
        items: page.items.iter().map(AccessEntryOut::from).collect(),
        total: page.total,
    }))
}

struct EntryView {
    at: String,
    user: String,
    address: String,
    subject: String,
    action: &'static str,
    purpose: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/index.html")]
struct AccessLogView {
    ctx: PageCtx,
    subject: String,
    from: String,
    to: String,
    entries: Vec<EntryView>,
    total_text: String,
    pager: Pager,
    purpose_error: bool,
}

async fn access_log_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<AccessQuery>,
) -> Result<AccessLogView> {
    render(state, ctx, user, query, false).await
}

async fn render(
    state: AppState,
    ctx: PageCtx,
    user: Principal,
    query: AccessQuery,
    purpose_error: bool,
) -> Result<AccessLogView> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let page = state
        .store
        .access_log()
        .list(query.filter(&user)?, paging.offset(), paging.per_page)
        .await?;
    let entries = page
        .items
        .iter()
        .map(|e| EntryView {
            at: time::OffsetDateTime::from_unix_timestamp(e.at)
                .map(|t| maeul_core::format::datetime(t, ctx.lang))
                .unwrap_or_default(),
            user: e.user_login.clone(),
            address: e.address.clone(),
            subject: e.subject.clone(),
            action: ctx.t(&format!("action.{}", e.action.as_str())),
            purpose: e.purpose.clone().unwrap_or_default(),
        })
        .collect();
    let base = serde_urlencoded::to_string([
        ("subject", query.subject.clone().unwrap_or_default()),
        ("from", query.from.clone().unwrap_or_default()),
        ("to", query.to.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let total_text = ctx.tf(
        "audit.total",
        &[("n", &maeul_core::format::thousands(page.total))],
    );
    let title = ctx.t("audit.title");
    Ok(AccessLogView {
        ctx: ctx.crumb(title, None),
        subject: query.subject.unwrap_or_default(),
        from: query.from.unwrap_or_default(),
        to: query.to.unwrap_or_default(),
        entries,
        total_text,
        pager: Pager::new(paging, page.total, base),
        purpose_error,
    })
}

#[derive(Debug, Deserialize)]
struct ExportForm {
    #[serde(default)]
    purpose: String,
    subject: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// Downloads the filtered entries as CSV (UTF-8 with BOM, so Excel reads the Korean).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    User(user): User,
    Form(form): Form<ExportForm>,
) -> Result<Response> {
    let query = AccessQuery {
        subject: form.subject,
        from: form.from,
        to: form.to,
        page: None,
        per_page: None,
    };
    let Ok(purpose) = Purpose::parse(&form.purpose) else {
        let mut page = render(state, ctx, user, query, true).await?.into_response();
        *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    let filter = query.filter(&user)?;
    let log = state.store.access_log();
    let mut entry = AccessEntry::export(
        user.user_id,
        &user.login,
        &req.address,
        "access_log",
        purpose,
    );
    // Filed under the auditor's own scope, so that the auditors of that scope see it.
    entry.region_code = filter.scopes.first().map(|s| s.to_string());
    log.append(entry).await?;
    let mut out = CsvDownload::new(["at", "user", "address", "subject", "action", "purpose"]);
    let mut offset = 0;
    loop {
        let page = log.list(filter.clone(), offset, 1000).await?;
        for e in &page.items {
            let e = AccessEntryOut::from(e);
            out.row([
                e.at,
                e.user,
                e.address,
                e.subject,
                e.action,
                e.purpose.unwrap_or_default(),
            ]);
        }
        offset += 1000;
        if page.items.len() < 1000 {
            break;
        }
    }
    out.attachment("access-log.csv")
}
