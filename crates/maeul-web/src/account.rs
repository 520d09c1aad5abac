//! Log-in and log-out, the workspace home, API tokens, and the user list for administrators.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maeul_core::account::{Permission, Role};
use maeul_store::account::{LoginOutcome, SESSION_SECONDS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::access::{Access, RequestContext, Routes, SESSION_COOKIE, User, set_cookie};
use crate::error::{Params, Problem, Result};
use crate::page::PageCtx;
use crate::paging::{Pager, Paging};
use crate::rfc3339;

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(create_token))
        .api(Access::SignedIn, routes!(me))
        .page("/login", Access::Public, get(login_form).post(login))
        .page("/logout", Access::SignedIn, axum::routing::post(logout))
        .page("/work", Access::SignedIn, get(workspace))
        .page(
            "/admin/users",
            Access::Allowed(Permission::ManageUsers),
            get(users),
        )
}

/// Reads a JSON body, naming what is wrong instead of answering with the framework's text.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Result<T> {
    // Every request body of the API is an object; serde alone would also read a struct from
    // an array of its fields (`[2027]`), which the API document does not allow.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Problem::field("body", "field.body").with_detail("a JSON object is expected"));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Problem::field("body", "field.body").with_detail(e.to_string()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(example = "kim.welfare", min_length = 1, max_length = 100)]
    login: String,
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    /// RFC 3339 moment after which the token no longer works.
    expires_at: String,
}

/// Issues a bearer token for the API. Repeated failures lock the account for a growing time.
#[utoipa::path(post, path = "/tokens", tag = "accounts", request_body = TokenRequest,
    responses(
        (status = 201, body = TokenResponse),
        (status = 401, description = "Wrong log-in name or password", content_type = "application/problem+json"),
        (status = 422, description = "A field is missing", content_type = "application/problem+json"),
        (status = 429, description = "Locked after repeated failures", content_type = "application/problem+json"),
    ))]
async fn create_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    body: Bytes,
) -> Result<(StatusCode, Json<TokenResponse>)> {
    let req: TokenRequest = json_body(&body)?;
    if req.login.trim().is_empty() || req.login.len() > 100 {
        return Err(Problem::field("login", "field.login"));
    }
    if req.password.is_empty() || req.password.len() > 1024 {
        return Err(Problem::field("password", "field.password"));
    }
    match state
        .store
        .accounts()
        .authenticate(&req.login, &req.password, &ctx.address)
        .await?
    {
        LoginOutcome::Success(principal) => {
            let (token, expires_at) = state
                .store
                .accounts()
                .create_token(&principal, &ctx.address)
                .await?;
            Ok((
                StatusCode::CREATED,
                Json(TokenResponse {
                    token,
                    expires_at: rfc3339(expires_at),
                }),
            ))
        }
        LoginOutcome::Invalid => Err(Problem::bad_credentials()),
        LoginOutcome::Locked(until) => Err(Problem::locked().with_detail(rfc3339(until))),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantOut {
    #[schema(example = "welfare_staff")]
    role: String,
    #[schema(example = "1111051500")]
    scope: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    login: String,
    name: String,
    grants: Vec<GrantOut>,
}

/// The signed-in user and their grants.
#[utoipa::path(get, path = "/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, body = MeOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
    ))]
async fn me(User(user): User) -> Json<MeOut> {
    Json(MeOut {
        login: user.login,
        name: user.name,
        grants: user
            .grants
            .iter()
            .map(|g| GrantOut {
                role: g.role.to_string(),
                scope: g.scope.to_string(),
            })
            .collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "account/login.html")]
struct LoginPage {
    ctx: PageCtx,
    login: String,
    next: String,
    error: Option<String>,
    required: bool,
}

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only paths on this site, never `//host` or `scheme:` (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.starts_with("/login") =>
        {
            n.to_owned()
        }
        _ => "/work".to_owned(),
    }
}

async fn login_form(ctx: PageCtx, Params(query): Params<NextQuery>) -> LoginPage {
    let next = query.next;
    let required = next.is_some();
    let title = ctx.t("login.title");
    LoginPage {
        ctx: ctx.crumb(title, None),
        login: String::new(),
        next: safe_next(next.as_deref()),
        error: None,
        required,
    }
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let next = safe_next(form.next.as_deref());
    let title = ctx.t("login.title");
    let ctx = ctx.crumb(title, None);
    let fail = |ctx: PageCtx, message: String| {
        let page = LoginPage {
            ctx,
            login: form.login.clone(),
            next: next.clone(),
            error: Some(message),
            required: false,
        };
        Ok((StatusCode::UNAUTHORIZED, page).into_response())
    };
    if form.login.trim().is_empty()
        || form.password.is_empty()
        || form.login.len() > 100
        || form.password.len() > 1024
    {
        let m = ctx.t("login.invalid").to_owned();
        return fail(ctx, m);
    }
    match state
        .store
        .accounts()
        .authenticate(&form.login, &form.password, &req.address)
        .await?
    {
        LoginOutcome::Success(principal) => {
            let session = state
                .store
                .accounts()
                .create_session(principal.user_id)
                .await?;
            let mut res = Redirect::to(&next).into_response();
            set_cookie(
                &mut res,
                SESSION_COOKIE,
                &session.token,
                SESSION_SECONDS,
                state.config.secure_cookies,
            );
            Ok(res)
        }
        LoginOutcome::Invalid => {
            let m = ctx.t("login.invalid").to_owned();
            fail(ctx, m)
        }
        LoginOutcome::Locked(until) => {
            let when = time::OffsetDateTime::from_unix_timestamp(until)
                .map(|t| maeul_core::format::datetime(t, ctx.lang))
                .unwrap_or_default();
            let m = ctx.tf("login.locked", &[("until", &when)]);
            fail(ctx, m)
        }
    }
}

async fn logout(State(state): State<AppState>, req: RequestContext) -> Result<Response> {
    if let Some(identity) = &req.identity
        && let Some(token) = &identity.session_token
    {
        state
            .store
            .accounts()
            .end_session(token, &identity.principal, &req.address)
            .await?;
    }
    let mut res = Redirect::to("/").into_response();
    set_cookie(&mut res, SESSION_COOKIE, "", 0, state.config.secure_cookies);
    Ok(res)
}

/// One grant as the workspace shows it.
struct GrantView {
    role: &'static str,
    description: &'static str,
    scope_code: String,
    scope_name: String,
}

/// A shortcut on the workspace home.
struct Shortcut {
    label: String,
    href: String,
}

/// Households assigned to the worker and not yet visited, per place and round.
struct VisitTask {
    label: String,
    href: String,
    overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/work.html")]
struct WorkPage {
    ctx: PageCtx,
    hello: String,
    grants: Vec<GrantView>,
    shortcuts: Vec<Shortcut>,
    visits: Vec<VisitTask>,
    waiting_cases: Vec<VisitTask>,
    /// "방문 기한이 지난 건강관리 대상자 2명", when there are any.
    overdue_health: Option<String>,
    /// "기한이 지난 사례 단계 3건", when there are any.
    overdue_cases: Option<String>,
    /// "오늘 방문 일정 2건" and "지난 방문 일정 1건", when there are any.
    planned_today: Option<String>,
    planned_missed: Option<String>,
}

/// The workspace home: the user's roles and where each leads.
async fn workspace(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
) -> Result<WorkPage> {
    let mut grants = Vec::new();
    let mut shortcuts = Vec::new();
    for g in &user.grants {
        let scope_name = match state.store.regions().get(&g.scope).await? {
            Some(r) => r.region.full_name,
            None => g.scope.to_string(),
        };
        if g.scope.as_str() != maeul_core::region::RegionCode::NATION {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.place", &[("place", &scope_name)]),
                href: format!("/r/{}", g.scope),
            });
        }
        if g.role.permits(Permission::ManageCases) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.cases", &[("place", &scope_name)]),
                href: format!("/work/cases?region={}&open=1", g.scope),
            });
        }
        if g.role.permits(Permission::ManageAssemblies) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.assemblies", &[("place", &scope_name)]),
                href: "/work/assemblies".into(),
            });
        }
        if g.role.permits(Permission::ManageCouncil) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.council", &[("place", &scope_name)]),
                href: if g.scope.level() == maeul_core::region::Level::Emd {
                    format!("/work/council?region={}", g.scope)
                } else {
                    format!("/councils/{}", g.scope)
                },
            });
        }
        if g.role.permits(Permission::KeepOrgModels) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.org_models", &[("place", &scope_name)]),
                href: format!("/org-models/{}", g.scope),
            });
        }
        if g.role.permits(Permission::ManageStaffing) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.staffing", &[("place", &scope_name)]),
                href: format!("/work/staffing/{}", g.scope),
            });
        }
        if g.role.permits(Permission::RunCourses) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.courses", &[("place", &scope_name)]),
                href: format!("/r/{}/courses", g.scope),
            });
        }
        if g.role.permits(Permission::ViewDashboards) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.dashboard", &[("place", &scope_name)]),
                href: format!("/dashboards/{}", g.scope),
            });
        }
        if g.role.permits(Permission::LinkProgrammes) {
            shortcuts.push(Shortcut {
                label: ctx.t("work.linkages").to_owned(),
                href: "/work/linkages".into(),
            });
        }
        if g.role.permits(Permission::ManageGrantCalls)
            || g.role.permits(Permission::ApplyForGrants)
            || g.role.permits(Permission::ReviewGrants)
        {
            shortcuts.push(Shortcut {
                label: ctx.t("work.grant_calls").to_owned(),
                href: "/grant-calls".into(),
            });
        }
        if g.role.permits(Permission::SubmitPractice) || g.role.permits(Permission::ReviewPractice)
        {
            shortcuts.push(Shortcut {
                label: ctx.t("work.practices").to_owned(),
                href: if g.role.permits(Permission::ReviewPractice) {
                    "/practices?status=submitted".into()
                } else {
                    "/practices".into()
                },
            });
        }
        if g.role.permits(Permission::RecordHealth) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.health", &[("place", &scope_name)]),
                href: format!("/work/health?region={}", g.scope),
            });
        }
        if g.role.permits(Permission::ManageResources)
            && g.scope.as_str() != maeul_core::region::RegionCode::NATION
        {
            shortcuts.push(Shortcut {
                label: ctx.t("work.resources").to_owned(),
                href: format!("/work/resources?region={}", g.scope),
            });
        }
        if g.role.permits(Permission::ReadAreaAnalysis) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.area", &[("place", &scope_name)]),
                href: format!("/work/area?region={}", g.scope),
            });
        }
        if g.role.permits(Permission::ReadWelfareSummary) {
            shortcuts.push(Shortcut {
                label: ctx.tf("work.discovery", &[("place", &scope_name)]),
                href: format!("/work/discovery?region={}", g.scope),
            });
        }
        grants.push(GrantView {
            role: ctx.t(&format!("role.{}", g.role.as_str())),
            description: ctx.t(&format!("role.desc.{}", g.role.as_str())),
            scope_code: g.scope.to_string(),
            scope_name,
        });
    }
    if user.may(Permission::UseWorkspace) {
        shortcuts.push(Shortcut {
            label: ctx.t("work.officers").to_owned(),
            href: "/work/officers".into(),
        });
    }
    if user.may(Permission::FindExperts) {
        shortcuts.push(Shortcut {
            label: ctx.t("work.experts").to_owned(),
            href: "/work/experts".into(),
        });
    }
    if user.may(Permission::RequestConsulting)
        || user.may(Permission::KeepExpertPool)
        || user.has_role(Role::Expert)
    {
        shortcuts.push(Shortcut {
            label: ctx.t("work.consultations").to_owned(),
            href: "/work/consultations".into(),
        });
    }
    if user.has_role(Role::Auditor) {
        shortcuts.push(Shortcut {
            label: ctx.t("nav.access_log").into(),
            href: "/work/access-log".into(),
        });
    }
    if user.has_role(Role::Admin) {
        shortcuts.push(Shortcut {
            label: ctx.t("nav.users").into(),
            href: "/admin/users".into(),
        });
    }
    if user.may(Permission::ReadPersonalWelfare) {
        shortcuts.push(Shortcut {
            label: ctx.t("work.schedule").to_owned(),
            href: "/work/visits".into(),
        });
    }
    shortcuts.dedup_by(|a, b| a.href == b.href);
    let due = if user.may(Permission::ReadPersonalWelfare) {
        state
            .store
            .visit_plans()
            .due_of(user.user_id, crate::welfare::today())
            .await?
    } else {
        Default::default()
    };
    let count_text = |key: &str, n: i64| {
        (n > 0).then(|| ctx.tf(key, &[("n", &maeul_core::format::thousands(n))]))
    };
    let planned_today = count_text("work.visit_plans", due.today);
    let planned_missed = count_text("work.visit_plans.missed", due.missed);
    let visits = if user.may(Permission::RecordVisit) {
        let today = crate::welfare::today();
        state
            .store
            .discovery()
            .open_visits(user.user_id)
            .await?
            .into_iter()
            .map(|v| VisitTask {
                label: ctx.tf(
                    "work.visits.row",
                    &[
                        ("place", &v.place),
                        ("round", &v.round_name),
                        ("n", &maeul_core::format::thousands(v.households)),
                        ("due", &maeul_core::format::date(v.due_on, ctx.lang)),
                    ],
                ),
                href: format!(
                    "/work/discovery/places/{}?round={}&mine=1",
                    v.emd_code, v.round_id
                ),
                overdue: today > v.due_on,
            })
            .collect()
    } else {
        Vec::new()
    };
    let overdue_cases = if user.may(Permission::ManageCases) {
        let today = crate::welfare::today();
        state
            .store
            .cases()
            .count(maeul_store::welfare::case::CaseFilter {
                due_before: Some(today),
                assigned_to: Some(user.user_id),
                ..Default::default()
            })
            .await?
    } else {
        0
    };
    // High-difficulty cases of a case manager's si/gun/gu that nobody has taken on yet.
    let mut waiting_cases = Vec::new();
    for g in user.grants.iter().filter(|g| g.role == Role::CaseManager) {
        let n = state
            .store
            .cases()
            .count(maeul_store::welfare::case::CaseFilter {
                within: Some(g.scope.to_string()),
                open_only: true,
                high_difficulty_only: true,
                unassigned: true,
                ..Default::default()
            })
            .await?;
        if n > 0 {
            waiting_cases.push(VisitTask {
                label: ctx.tf(
                    "work.cases.waiting",
                    &[("n", &maeul_core::format::thousands(n))],
                ),
                href: format!("/work/cases?region={}&hard=1&open=1", g.scope),
                overdue: false,
            });
        }
    }
    let overdue_health = if user.may(Permission::RecordHealth) {
        state
            .store
            .health()
            .overdue_of(user.user_id, crate::welfare::today())
            .await?
    } else {
        0
    };
    let overdue_health = count_text("work.health.overdue", overdue_health);
    let overdue_cases = count_text("work.cases.overdue", overdue_cases);
    let hello = ctx.tf("work.hello", &[("name", &user.name)]);
    let title = ctx.t("work.title");
    Ok(WorkPage {
        ctx: ctx.crumb(title, None),
        hello,
        grants,
        shortcuts,
        visits,
        waiting_cases,
        overdue_health,
        overdue_cases,
        planned_today,
        planned_missed,
    })
}

struct UserRow {
    login: String,
    name: String,
    grants: Vec<String>,
    locked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserRow>,
    total: i64,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    page: Option<String>,
}

async fn users(
    State(state): State<AppState>,
    ctx: PageCtx,
    Params(query): Params<PageQuery>,
) -> Result<UsersPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (list, total) = state
        .store
        .accounts()
        .list(paging.offset(), paging.per_page)
        .await?;
    let now = maeul_store::unix_now();
    let users = list
        .into_iter()
        .map(|u| UserRow {
            grants: u
                .grants
                .iter()
                .map(|g| {
                    format!(
                        "{} · {}",
                        ctx.t(&format!("role.{}", g.role.as_str())),
                        g.scope
                    )
                })
                .collect(),
            locked: u.locked_until.is_some_and(|t| t > now),
            login: u.login,
            name: u.name,
        })
        .collect();
    let title = ctx.t("users.title");
    Ok(UsersPage {
        ctx: ctx.crumb(title, None),
        users,
        total,
        pager: Pager::new(paging, total, String::new()),
    })
}
