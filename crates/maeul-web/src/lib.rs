//! The web face of maeul: HTML pages (askama, KRDS design system), the JSON API under
//! `/api/v1` with its OpenAPI document, and operational endpoints.

pub mod access;
mod account;
mod assets;
mod audit;
mod autonomy;
mod cache;
mod consulting;
mod cooperation;
mod dashboard;
mod education;
pub mod error;
mod expert;
mod forum;
mod grant_call;
mod guide;
pub mod i18n;
mod linkage;
mod ops;
mod org;
mod page;
mod paging;
mod practice;
mod programme;
mod region;
mod welfare;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use maeul_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use access::{Access, RouteTable};

/// The id of a record just created, as the API answers a POST that makes one.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The id in a record's path; anything but a positive number is no such record (404).
pub(crate) fn record_id(id: &str) -> error::Result<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(error::Problem::not_found)
}

/// A moment as the API writes it: RFC 3339 in Korea Standard Time.
pub(crate) fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(maeul_core::format::KST))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Settings of the web server.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served behind HTTPS).
    pub secure_cookies: bool,
    /// A directory of the operator's own files (notices, logos) served at `/static/`.
    pub static_dir: Option<std::path::PathBuf>,
}

/// Shared state of every handler. Nothing here is per-user: sessions live in the database.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    /// The programme search index, rebuilt when the catalogue changes.
    pub catalogue: Arc<programme::CatalogueCache>,
    /// The guides' search index, rebuilt when a guide changes.
    pub guides: Arc<guide::GuideCache>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            catalogue: Arc::default(),
            guides: Arc::default(),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "maeul API",
        description = "주민자치형 공공서비스 플랫폼 마을의 JSON API. Errors are RFC 9457 problem details.",
        license(name = "AGPL-3.0-or-later")
    ),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    tags(
        (name = "regions", description = "행정구역 — the official region hierarchy"),
        (name = "accounts", description = "API tokens"),
        (name = "audit", description = "접속기록 — access log of personal data"),
        (name = "autonomy", description = "주민자치 — resident general assemblies: rules, voting codes, ballots, booths, results"),
        (name = "programmes", description = "지역사업 — the ministries' regional programmes: catalogue, search, editing, matching, linkage and competitive grant calls"),
        (name = "guides", description = "안내서 — the programme's guides: search, read, write and revise"),
        (name = "organisation", description = "조직 — how the programme is organised: organisation models, staffing, the officer network, promotion councils, courses and certificates of completion, MOUs, dashboards"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Builds the whole application: every route with its declared access, and the middleware.
pub fn app(state: AppState) -> (Router, Arc<RouteTable>) {
    let routes = Routes::new(OpenApiRouter::with_openapi(ApiDoc::openapi()));
    // Each capability adds its routes with their declared access.
    let routes = [
        assets::routes,
        welfare::routes,
        autonomy::routes,
        programme::routes,
        grant_call::routes,
        practice::routes,
        guide::routes,
        org::routes,
        cooperation::routes,
        education::routes,
        expert::routes,
        consulting::routes,
        forum::routes,
        dashboard::routes,
        linkage::routes,
        audit::routes,
        account::routes,
        region::routes,
        ops::routes,
    ]
    .into_iter()
    .fold(routes, |routes, add| add(routes));
    let (api, openapi) = routes.api.split_for_parts();
    let table = Arc::new(routes.table);
    let router = Router::new()
        .nest("/api/v1", api)
        .merge(routes.pages)
        .merge(ops::docs(openapi))
        .merge(assets::operator_files(state.config.static_dir.as_deref()))
        .fallback(|| async { error::Problem::not_found() })
        // A panic becomes a 500 problem in the user's language, never a dropped connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(error::Problem::internal())
        }))
        .layer(from_fn(body_limit))
        .layer(from_fn(access::csrf))
        .layer(from_fn_with_state(table.clone(), access::policy))
        .layer(from_fn(page::render_problems))
        .layer(from_fn_with_state(state.clone(), access::context))
        .layer(from_fn(ops::track))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(ops::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    (router, table)
}

/// The largest body of a request: 4 MiB, and for the uploads of documents what a document may
/// weigh plus the form around it.
fn body_limit_of(path: &str) -> usize {
    if path.ends_with("/documents") {
        maeul_core::programme::linkage::MAX_DOCUMENT + 64 * 1024
    } else {
        4 * 1024 * 1024
    }
}

/// Refuses a body above its path's limit (413), by its announced length or as it streams in.
async fn body_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let limit = body_limit_of(req.uri().path());
    let announced = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
    next.run(req).await
}

/// Serves until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let (router, _) = app(state);
    // Without TCP_NODELAY a response written in two pieces (headers, then a file body) waits
    // for the client's delayed acknowledgement, about 40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

use access::Routes;
