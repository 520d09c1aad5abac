//! One error type for every handler. A handler returns a [`Problem`]; the `render_problems`
//! middleware, which knows the request's language and whether it is an API call, turns it
//! into RFC 9457 problem details (`application/problem+json`) or an error page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maeul_store::StoreError;
use serde::Serialize;

/// A field that was wrong and the catalogue key of the message that says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message_key: &'static str,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable machine-readable kind, the last part of the `type` URI.
    pub kind: &'static str,
    pub title_key: &'static str,
    pub fields: Vec<FieldError>,
    /// Extra detail that needs no translation (a line number, a code).
    pub detail: Option<String>,
}

impl Problem {
    fn new(status: StatusCode, kind: &'static str, title_key: &'static str) -> Self {
        Problem {
            status,
            kind,
            title_key,
            fields: Vec::new(),
            detail: None,
        }
    }

    pub fn bad_request() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "error.bad_request")
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "error.unauthorized",
        )
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "error.forbidden")
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "error.not_found")
    }
    pub fn conflict() -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "error.conflict")
    }
    /// 403 of a kind of its own, for refusals a client acts on differently.
    pub fn forbidden_of(kind: &'static str, title_key: &'static str) -> Self {
        Self::new(StatusCode::FORBIDDEN, kind, title_key)
    }
    /// 409 of a kind of its own, for conflicts a client acts on differently.
    pub fn conflict_of(kind: &'static str, title_key: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, kind, title_key)
    }
    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf", "error.csrf")
    }
    /// Wrong log-in name or password (which one is not said).
    pub fn bad_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid-credentials",
            "error.credentials",
        )
    }
    pub fn locked() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "locked", "error.locked")
    }
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "error.internal",
        )
    }
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "error.unavailable",
        )
    }

    /// 422 naming the field that is wrong.
    pub fn field(field: &str, message_key: &'static str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "error.validation",
        )
        .and_field(field, message_key)
    }

    pub fn and_field(mut self, field: &str, message_key: &'static str) -> Self {
        self.fields.push(FieldError {
            field: field.to_owned(),
            message_key,
        });
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn type_uri(&self) -> String {
        format!("urn:maeul:problem:{}", self.kind)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Problem::not_found(),
            StoreError::Conflict => Problem::conflict(),
            StoreError::MissingReference => Problem::field("reference", "error.validation"),
            StoreError::TextWithNul => Problem::field("body", "field.nul"),
            StoreError::Connection(msg) => {
                tracing::error!(error = %msg, "database unavailable");
                Problem::unavailable()
            }
            other => {
                tracing::error!(error = %other, "store error");
                Problem::internal()
            }
        }
    }
}

pub type Result<T, E = Problem> = std::result::Result<T, E>;

/// API parameters are typed: an empty value (`?page=`) is refused rather than read as absent,
/// which HTML forms (that send empty fields) are allowed.
pub fn no_empty_values(params: &[(&str, &Option<String>)]) -> Result<(), Problem> {
    match params
        .iter()
        .find(|(_, v)| v.as_deref().is_some_and(|v| v.trim().is_empty()))
    {
        Some((name, _)) => Err(Problem::field(name, "field.empty")),
        None => Ok(()),
    }
}

/// A yes/no query parameter as lists take it: `1`, or `0`/empty/absent (422 otherwise).
pub fn flag(name: &str, value: Option<&str>) -> Result<bool, Problem> {
    match value.map(str::trim) {
        None | Some("" | "0") => Ok(false),
        Some("1") => Ok(true),
        Some(_) => Err(Problem::field(name, "field.flag")),
    }
}

/// Query-string parameters; a query string that cannot be read at all is a 400 problem.
pub struct Params<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Params<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Problem> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Params(q.0))
            .map_err(|e| Problem::bad_request().with_detail(e.body_text()))
    }
}
