//! Who is asking and whether they may: identity (session cookie or bearer token), the route
//! table in which every route declares its access, and CSRF protection of forms.
//!
//! Deny by default: the policy middleware looks the matched route up in the table and refuses
//! any route that is not there.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use maeul_core::account::{Permission, Principal};
use subtle::ConstantTimeEq;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use crate::AppState;
use crate::error::Problem;
use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "maeul_session";
pub const CSRF_COOKIE: &str = "maeul_csrf";
pub const LANG_COOKIE: &str = "maeul_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user whose grants permit this (the region is checked by the handler).
    Allowed(Permission),
}

/// Every route with the access it declared. Routes are only added through [`Routes`], which
/// records the declaration as it adds the route.
#[derive(Debug, Default, Clone)]
pub struct RouteTable(BTreeMap<String, Access>, BTreeMap<String, Vec<Method>>);

impl RouteTable {
    pub fn get(&self, path: &str) -> Option<Access> {
        self.0.get(path).copied()
    }

    /// Whether an API route serves `method` (HEAD with GET); pages are not told apart.
    fn serves(&self, path: &str, method: &Method) -> bool {
        self.1.get(path).is_none_or(|methods| {
            methods.contains(method) || (*method == Method::HEAD && methods.contains(&Method::GET))
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Access)> {
        self.0.iter().map(|(p, a)| (p.as_str(), *a))
    }
}

/// Builds the router and its route table together.
pub struct Routes {
    pub(crate) pages: axum::Router<AppState>,
    pub(crate) api: OpenApiRouter<AppState>,
    pub(crate) table: RouteTable,
}

impl Routes {
    pub fn new(api: OpenApiRouter<AppState>) -> Self {
        Routes {
            pages: axum::Router::new(),
            api,
            table: RouteTable::default(),
        }
    }

    fn declare(&mut self, path: &str, access: Access) {
        if let Some(before) = self.table.0.insert(path.to_owned(), access) {
            assert_eq!(
                before, access,
                "{path} declared with two different accesses"
            );
        }
    }

    /// An HTML page (or form target).
    pub fn page(mut self, path: &str, access: Access, route: MethodRouter<AppState>) -> Self {
        self.declare(path, access);
        self.pages = self.pages.route(path, route);
        self
    }

    /// An API operation documented in the OpenAPI document.
    pub fn api(mut self, access: Access, route: UtoipaMethodRouter<AppState>) -> Self {
        for (path, item) in &route.1.paths {
            let path = format!("/api/v1{path}");
            self.declare(&path, access);
            let operations = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ];
            let methods = self.table.1.entry(path).or_default();
            methods.extend(
                operations
                    .into_iter()
                    .filter(|(_, op)| op.is_some())
                    .map(|(m, _)| m),
            );
        }
        self.api = self.api.routes(route);
        self
    }

    /// A route added by a component that builds its own router (API docs, static files).
    pub fn declared(mut self, path: &str, access: Access) -> Self {
        self.declare(path, access);
        self
    }
}

/// How the user was identified.
#[derive(Debug, Clone)]
pub struct Identity {
    pub principal: Principal,
    /// The CSRF token of the browser session; `None` for bearer tokens, which need none.
    pub session_csrf: Option<String>,
    pub session_token: Option<String>,
}

/// What the context middleware learned about the request, for handlers and templates.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub lang: Lang,
    pub identity: Option<Identity>,
    /// The token forms must echo: the session's, or for visitors the CSRF cookie's.
    pub csrf: String,
    pub address: String,
    pub path: String,
    pub query: String,
    pub is_api: bool,
}

impl RequestContext {
    pub fn principal(&self) -> Option<&Principal> {
        self.identity.as_ref().map(|i| &i.principal)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(Problem::internal)
    }
}

/// The signed-in user; rejects with 401 when there is none (the policy normally has already).
pub struct User(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        parts
            .extensions
            .get::<RequestContext>()
            .and_then(|c| c.principal().cloned())
            .map(User)
            .ok_or_else(Problem::unauthorized)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(res: &mut Response, name: &str, value: &str, max_age: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let Ok(v) = HeaderValue::from_str(&v) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn request_lang(req: &Request) -> (Lang, bool) {
    let from_query = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(Lang::parse);
    if let Some(l) = from_query {
        return (l, true);
    }
    let from_cookie = cookie(req.headers(), LANG_COOKIE).and_then(Lang::parse);
    let from_header = || {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(Lang::parse)
    };
    (from_cookie.or_else(from_header).unwrap_or_default(), false)
}

fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Identifies the user and the language, and gives visitors a CSRF cookie.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // Static files need neither a user nor a CSRF cookie (and stay cacheable without one).
    if path.starts_with("/assets/") || path.starts_with("/static/") || path == "/favicon.ico" {
        return next.run(req).await;
    }
    let is_api = path.starts_with("/api/");
    let (lang, lang_chosen) = request_lang(&req);
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let session_token = if is_api {
        None
    } else {
        cookie(req.headers(), SESSION_COOKIE).map(str::to_owned)
    };

    let mut identity = None;
    if let Some(token) = bearer.filter(|t| !t.is_empty() && t.len() < 200) {
        match state.store.accounts().token(&token).await {
            Ok(Some(principal)) => {
                identity = Some(Identity {
                    principal,
                    session_csrf: None,
                    session_token: None,
                })
            }
            Ok(None) => {}
            Err(e) => return Problem::from(e).into_response(),
        }
    } else if let Some(token) = session_token.filter(|t| !t.is_empty() && t.len() < 200) {
        match state.store.accounts().session(&token).await {
            Ok(Some((principal, csrf))) => {
                identity = Some(Identity {
                    principal,
                    session_csrf: Some(csrf),
                    session_token: Some(token),
                })
            }
            Ok(None) => {}
            Err(e) => return Problem::from(e).into_response(),
        }
    }

    let visitor_csrf = cookie(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() >= 20 && v.len() < 100)
        .map(str::to_owned);
    let new_visitor_csrf =
        (!is_api && visitor_csrf.is_none()).then(maeul_store::account::new_secret);
    let csrf = identity
        .as_ref()
        .and_then(|i| i.session_csrf.clone())
        .or_else(|| visitor_csrf.clone())
        .or_else(|| new_visitor_csrf.clone())
        .unwrap_or_default();
    let ctx = RequestContext {
        lang,
        identity,
        csrf,
        address: client_address(&req),
        query: req.uri().query().unwrap_or_default().to_owned(),
        path,
        is_api,
    };
    req.extensions_mut().insert(ctx);
    // The token a form must echo for visitors is the cookie's, known before this request set it.
    req.extensions_mut().insert(VisitorCsrf(visitor_csrf));
    let mut res = next.run(req).await;
    if let Some(token) = new_visitor_csrf {
        set_cookie(
            &mut res,
            CSRF_COOKIE,
            &token,
            12 * 3600,
            state.config.secure_cookies,
        );
    }
    if lang_chosen {
        set_cookie(
            &mut res,
            LANG_COOKIE,
            lang.as_str(),
            365 * 24 * 3600,
            state.config.secure_cookies,
        );
    }
    res
}

#[derive(Clone)]
struct VisitorCsrf(Option<String>);

/// Deny by default: the matched route must be in the table, and the user must satisfy it.
pub async fn policy(State(table): State<Arc<RouteTable>>, req: Request, next: Next) -> Response {
    let Some(matched) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
    else {
        return next.run(req).await; // no route matched: the 404 fallback answers
    };
    let Some(access) = table.get(&matched) else {
        tracing::error!(route = %matched, "route declares no access; refused");
        return Problem::forbidden().into_response();
    };
    // A method the API route does not serve gets the router's 405 whoever asks: the
    // operations are public in the OpenAPI document.
    if !table.serves(&matched, req.method()) {
        return next.run(req).await;
    }
    let principal = req
        .extensions()
        .get::<RequestContext>()
        .and_then(|c| c.principal());
    let allowed = match (access, principal) {
        (Access::Public, _) => true,
        (_, None) => return Problem::unauthorized().into_response(),
        (Access::SignedIn, Some(_)) => true,
        (Access::Allowed(p), Some(user)) => user.may(p),
    };
    if !allowed {
        return Problem::forbidden().into_response();
    }
    next.run(req).await
}

/// The CSRF field of URL-encoded fields (a form's body, or an address's query).
fn csrf_field(encoded: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v)
}

/// Forms must echo the CSRF token: the session's for signed-in users, the cookie's for visitors.
/// API calls authenticate with bearer tokens, which a foreign page cannot send, and are exempt.
pub async fn csrf(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(ctx) = req.extensions().get::<RequestContext>().cloned() else {
        return next.run(req).await;
    };
    if safe || ctx.is_api {
        return next.run(req).await;
    }
    let expected = match ctx.identity.as_ref().and_then(|i| i.session_csrf.clone()) {
        Some(t) => Some(t),
        None => req
            .extensions()
            .get::<VisitorCsrf>()
            .and_then(|v| v.0.clone()),
    };
    let header_token = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // A file upload is not read here (it may be large): its form carries the token in the
    // address of its action instead.
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let given = header_token.or_else(|| csrf_field(req.uri().query().unwrap_or("").as_bytes()));
        return match (expected, given) {
            (Some(e), Some(g)) if bool::from(e.as_bytes().ct_eq(g.as_bytes())) => {
                next.run(req).await
            }
            _ => Problem::csrf().into_response(),
        };
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, 2 * 1024 * 1024).await else {
        return Problem::bad_request().into_response();
    };
    let given = header_token.or_else(|| csrf_field(&bytes));
    let ok = match (expected, given) {
        (Some(e), Some(g)) => bool::from(e.as_bytes().ct_eq(g.as_bytes())),
        _ => false,
    };
    if !ok {
        return Problem::csrf().into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn status(table: RouteTable, path: &str) -> StatusCode {
        let router = axum::Router::new()
            .route("/declared", get(|| async { "ok" }))
            .route("/undeclared", get(|| async { "leak" }))
            .route("/staff", get(|| async { "staff" }))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(table),
                policy,
            ));
        router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn a_route_missing_from_the_table_is_refused() {
        let mut table = RouteTable::default();
        table.0.insert("/declared".into(), Access::Public);
        table
            .0
            .insert("/staff".into(), Access::Allowed(Permission::UseWorkspace));
        assert_eq!(status(table.clone(), "/declared").await, StatusCode::OK);
        assert_eq!(
            status(table.clone(), "/undeclared").await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(status(table, "/staff").await, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn a_method_an_api_route_does_not_serve_is_answered_405_before_sign_in() {
        let mut table = RouteTable::default();
        table
            .0
            .insert("/staff".into(), Access::Allowed(Permission::UseWorkspace));
        table.1.insert("/staff".into(), vec![Method::GET]);
        let router = axum::Router::new()
            .route("/staff", get(|| async { "staff" }))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(table),
                policy,
            ));
        let call = |method: Method| {
            let router = router.clone();
            async move {
                let req = Request::builder()
                    .method(method)
                    .uri("/staff")
                    .body(Body::empty())
                    .unwrap();
                router.oneshot(req).await.unwrap().status()
            }
        };
        assert_eq!(call(Method::TRACE).await, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(call(Method::POST).await, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(call(Method::GET).await, StatusCode::UNAUTHORIZED);
        assert_eq!(call(Method::HEAD).await, StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; maeul_session=xyz; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&headers, "c"), None);
    }
}
