//! Static files (KRDS, fonts, our stylesheet, htmx), embedded in the binary and served with
//! long cache lifetimes. Nothing is loaded from another host.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::access::{Access, Routes};
use crate::error::Problem;

#[derive(RustEmbed)]
#[folder = "assets/"]
#[exclude = "*.md"]
#[exclude = "vendor/krds/upstream/*"]
struct Assets;

pub fn routes(r: Routes) -> Routes {
    r.page("/assets/{*path}", Access::Public, get(asset))
        .page(
            "/favicon.ico",
            Access::Public,
            get(|| asset(Path("favicon.svg".to_owned()))),
        )
        .declared("/static/{*path}", Access::Public)
}

/// The operator's own files, when a directory is configured; nothing otherwise.
pub fn operator_files(dir: Option<&std::path::Path>) -> axum::Router<crate::AppState> {
    match dir {
        Some(dir) => {
            axum::Router::new().nest_service("/static", tower_http::services::ServeDir::new(dir))
        }
        None => axum::Router::new(),
    }
}

async fn asset(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            let mut res = file.data.into_owned().into_response();
            let headers = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            res
        }
        None => Problem::not_found().into_response(),
    }
}
