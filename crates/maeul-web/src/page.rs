//! What every page template gets, and the rendering of problems as pages or problem details.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_core::account::{Permission, Principal};

use crate::access::RequestContext;
use crate::error::Problem;
use crate::i18n::{self, Lang};

/// One step of the breadcrumb; the last has no link.
#[derive(Debug, Clone)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

/// The page context: language, user, CSRF token and breadcrumb.
#[derive(Debug, Clone)]
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<Principal>,
    pub csrf: String,
    pub path: String,
    pub query: String,
    pub crumbs: Vec<Crumb>,
}

impl PageCtx {
    pub fn from_request(ctx: &RequestContext) -> Self {
        PageCtx {
            lang: ctx.lang,
            user: ctx.principal().cloned(),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
            query: ctx.query.clone(),
            crumbs: Vec::new(),
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        i18n::tf(self.lang, key, args)
    }

    /// A moment (seconds since the epoch) in Korean time, as the page's language writes it;
    /// empty for a moment out of range.
    pub fn moment(&self, unix: i64) -> String {
        time::OffsetDateTime::from_unix_timestamp(unix)
            .map(|t| maeul_core::format::datetime(t, self.lang))
            .unwrap_or_default()
    }

    /// Adds a breadcrumb step named by a catalogue key.
    pub fn crumb_t(self, key: &str, href: Option<String>) -> Self {
        let label = self.t(key);
        self.crumb(label, href)
    }

    /// Adds a breadcrumb step.
    pub fn crumb(mut self, label: impl Into<String>, href: Option<String>) -> Self {
        self.crumbs.push(Crumb {
            label: label.into(),
            href,
        });
        self
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.as_str()
    }

    /// The same page in the other language.
    pub fn other_lang_href(&self) -> String {
        let other = match self.lang {
            Lang::Ko => "en",
            Lang::En => "ko",
        };
        let mut params: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let lang = format!("lang={other}");
        params.push(&lang);
        format!("{}?{}", self.path, params.join("&"))
    }

    pub fn other_lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Ko => "en",
            Lang::En => "ko",
        }
    }

    /// Whether the signed-in user holds `permission` at the region of `path` (what a page
    /// shows depends on it; the routes check their own access).
    pub fn may_in(&self, permission: Permission, path: &maeul_core::region::RegionPath) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.may_in(permission, path))
    }

    pub fn may(&self, permission: &str) -> bool {
        let p = match permission {
            "workspace" => Permission::UseWorkspace,
            "users" => Permission::ManageUsers,
            "access_log" => Permission::ReadAccessLog,
            "grant_calls" => Permission::ManageGrantCalls,
            _ => return false,
        };
        self.user.as_ref().is_some_and(|u| u.may(p))
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn user_name(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.name.as_str())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let ctx = RequestContext::from_request_parts(parts, state).await?;
        Ok(PageCtx::from_request(&ctx).crumb(ctx_home(&ctx), Some("/".into())))
    }
}

fn ctx_home(ctx: &RequestContext) -> &'static str {
    i18n::t(ctx.lang, "site.home")
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    message: &'static str,
    detail: Option<String>,
}

/// Renders the [`Problem`] a handler or middleware returned, in the request's language: problem
/// details under `/api/`, an error page elsewhere (a log-in redirect for a visitor's 401).
/// API error responses from the framework itself (405, rejected bodies) get problem details too.
pub async fn render_problems(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<RequestContext>().cloned();
    let path = req.uri().path().to_owned();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let mut res = next.run(req).await;
    let problem = match res.extensions_mut().remove::<Problem>() {
        Some(p) => p,
        None if path.starts_with("/api/")
            && res.status().is_client_error()
            && !is_problem(&res)
            && !is_json(&res) =>
        {
            match res.status() {
                StatusCode::NOT_FOUND => Problem::not_found(),
                StatusCode::METHOD_NOT_ALLOWED => Problem {
                    status: StatusCode::METHOD_NOT_ALLOWED,
                    ..Problem::bad_request()
                },
                StatusCode::UNSUPPORTED_MEDIA_TYPE => Problem {
                    status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ..Problem::field("body", "field.body")
                },
                StatusCode::PAYLOAD_TOO_LARGE => Problem {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    ..Problem::field("body", "field.body")
                },
                s => Problem {
                    status: s,
                    ..Problem::bad_request()
                },
            }
        }
        None => return res,
    };
    let lang = ctx.as_ref().map(|c| c.lang).unwrap_or_default();
    let allow = res.headers().get(header::ALLOW).cloned();
    let mut out = if path.starts_with("/api/") || path == "/metrics" {
        let body = serde_json::json!({
            "type": problem.type_uri(),
            "title": i18n::t(lang, problem.title_key),
            "status": problem.status.as_u16(),
            "detail": problem.detail,
            "instance": path,
            "errors": problem.fields.iter().map(|f| serde_json::json!({
                "field": f.field,
                "message": i18n::t(lang, f.message_key),
            })).collect::<Vec<_>>(),
        });
        let mut r = (problem.status, body.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else if problem.status == StatusCode::UNAUTHORIZED {
        let next = utf8_percent(&path_and_query);
        Redirect::to(&format!("/login?next={next}")).into_response()
    } else {
        let ctx = ctx.map(|c| PageCtx::from_request(&c)).unwrap_or(PageCtx {
            lang,
            user: None,
            csrf: String::new(),
            path: path.clone(),
            query: String::new(),
            crumbs: Vec::new(),
        });
        let mut message = ctx.t(problem.title_key);
        if let Some(f) = problem.fields.first() {
            message = ctx.t(f.message_key);
        }
        let page = ErrorPage {
            ctx,
            status: problem.status.as_u16(),
            message,
            detail: problem.detail.clone(),
        };
        (problem.status, page).into_response()
    };
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}

fn is_problem(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// Percent-encodes everything but unreserved characters and `/`, for a `next=` parameter.
/// The options of a select or a set of checkboxes: each value's code, its label (the
/// catalogue key `{key}.{code}`) and whether it is chosen.
pub fn choices<T: Copy>(
    all: &[T],
    key: &str,
    name: fn(T) -> &'static str,
    ctx: &PageCtx,
    selected: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|x| Choice {
            value: name(*x).to_owned(),
            label: ctx.t(&format!("{key}.{}", name(*x))).to_owned(),
            selected: selected.iter().any(|s| s == name(*x)),
        })
        .collect()
}

/// The name of a topic in the page's language.
pub fn topic_label(ctx: &PageCtx, t: maeul_core::topic::Topic) -> &'static str {
    ctx.t(&format!("topic.{}", t.as_str()))
}

/// The choices of a region filter: everywhere (labelled `all_key`), the si/do, and — when a
/// page linked here with a smaller region (a place's own code) — that region, chosen, so that
/// the filter stays visible and in force.
pub(crate) async fn region_choices(
    state: &crate::AppState,
    ctx: &PageCtx,
    chosen: &str,
    all_key: &str,
) -> Result<Vec<Choice>, Problem> {
    use maeul_core::region::{Level, RegionCode};
    use maeul_store::region::RegionFilter;

    let sidos = state
        .store
        .regions()
        .list(
            RegionFilter {
                level: Some(Level::Sido),
                ..RegionFilter::default()
            },
            0,
            50,
        )
        .await?
        .items;
    let listed = sidos.iter().any(|s| s.region.code.as_str() == chosen);
    let mut out = vec![Choice {
        value: String::new(),
        label: ctx.t(all_key).to_owned(),
        selected: chosen.is_empty(),
    }];
    out.extend(sidos.into_iter().map(|s| Choice {
        selected: chosen == s.region.code.as_str(),
        value: s.region.code.to_string(),
        label: s.region.name,
    }));
    if !chosen.is_empty()
        && !listed
        && let Some(code) = RegionCode::parse(chosen)
            .ok()
            .filter(|c| c.as_str() != RegionCode::NATION)
        && let Some(place) = state.store.regions().get(&code).await?
    {
        out.push(Choice {
            value: chosen.to_owned(),
            label: place.region.full_name,
            selected: true,
        });
    }
    Ok(out)
}

/// Search words as the database takes them: control characters (a NUL, which PostgreSQL keeps
/// in no text, among them) stand for nothing a user searches for and become spaces.
pub(crate) fn searchable(q: &str) -> String {
    q.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A query string of the parameters that are given (`q=%EB%B9%88&topic=housing`), for the
/// links of a pager.
pub fn query_string(params: &[(&str, &Option<String>)]) -> String {
    params
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", utf8_percent(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A CSV file to download, as Excel reads Korean: UTF-8 with a byte-order mark.
pub struct CsvDownload(csv::Writer<Vec<u8>>);

impl CsvDownload {
    pub fn new<I: AsRef<[u8]>>(header: impl IntoIterator<Item = I>) -> Self {
        let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        // Writing into memory cannot fail.
        let _ = out.write_record(header);
        CsvDownload(out)
    }

    pub fn row<I: AsRef<[u8]>>(&mut self, fields: impl IntoIterator<Item = I>) {
        let _ = self.0.write_record(fields);
    }

    /// The response, an attachment named `filename` (ASCII).
    pub fn attachment(self, filename: &str) -> Result<Response, Problem> {
        let bytes = self.0.into_inner().map_err(|_| Problem::internal())?;
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            .map_err(|_| Problem::internal())?;
        let mut res = bytes.into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        res.headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
        Ok(res)
    }
}

/// A cell of a spreadsheet download: counts stay numbers, so that officials can add them up.
pub enum Cell {
    Text(String),
    Count(i64),
}

/// An XLSX file to download: sheets, each a bold header row and then its rows.
pub struct XlsxDownload {
    sheets: Vec<XlsxSheet>,
}

struct XlsxSheet {
    name: String,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl XlsxDownload {
    pub fn new(sheet: &str, header: Vec<String>) -> Self {
        let mut book = XlsxDownload { sheets: Vec::new() };
        book.sheet(sheet, header);
        book
    }

    /// Starts another sheet: the rows that follow go to it. A name is cut to Excel's 31
    /// characters.
    pub fn sheet(&mut self, name: &str, header: Vec<String>) {
        self.sheets.push(XlsxSheet {
            name: name.chars().take(31).collect(),
            header,
            rows: Vec::new(),
        });
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        if let Some(sheet) = self.sheets.last_mut() {
            sheet.rows.push(cells);
        }
    }

    /// The response, an attachment named `filename` (ASCII).
    pub fn attachment(self, filename: &str) -> Result<Response, Problem> {
        let bytes = self.workbook().map_err(|_| Problem::internal())?;
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            .map_err(|_| Problem::internal())?;
        let mut res = bytes.into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        );
        res.headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
        Ok(res)
    }

    fn workbook(self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for s in &self.sheets {
            let sheet = book.add_worksheet();
            sheet.set_name(&s.name)?;
            for (c, h) in s.header.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, h, &bold)?;
            }
            for (r, row) in s.rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, cell) in row.iter().enumerate() {
                    match cell {
                        Cell::Text(t) => sheet.write_string(r, c as u16, t)?,
                        Cell::Count(n) => sheet.write_number(r, c as u16, *n as f64)?,
                    };
                }
            }
            sheet.autofit();
        }
        book.save_to_buffer()
    }
}

/// An option of a select or a checkbox in a form.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The field a refused form names and the message to show under it, in the page's language;
/// a refusal that names no field (a conflict) gives its title.
pub(crate) fn form_error(
    ctx: &crate::page::PageCtx,
    error: Option<&crate::error::Problem>,
) -> (String, &'static str) {
    match error {
        None => (String::new(), ""),
        Some(p) => p
            .fields
            .first()
            .map_or((String::new(), ctx.t(p.title_key)), |f| {
                (f.field.clone(), ctx.t(f.message_key))
            }),
    }
}

/// The OpenAPI schema of an optional text that is one of `codes`, or null for none.
pub(crate) fn nullable_code_enum(
    codes: impl Iterator<Item = &'static str>,
) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let mut values: Vec<serde_json::Value> = codes.map(serde_json::Value::from).collect();
    values.push(serde_json::Value::Null);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .build()
}

/// The OpenAPI schema of a text that is one of `codes`.
pub(crate) fn code_enum(
    codes: impl Iterator<Item = &'static str>,
) -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.collect::<Vec<_>>()))
        .build()
}

/// A record id chosen in a form: none when the field is empty, 422 naming `field` when it is
/// not a number.
pub(crate) fn optional_id(s: &str, field: &str) -> Result<Option<i64>, Problem> {
    match s.trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| Problem::field(field, "field.choice")),
    }
}

/// An amount in won typed in a form ("1,200,000" or "120만"): none when the field is empty,
/// 422 naming `field` with `message_key` when it is not an amount.
pub(crate) fn optional_won(
    s: &str,
    field: &str,
    message_key: &'static str,
) -> Result<Option<i64>, Problem> {
    match s.trim() {
        "" => Ok(None),
        s => maeul_core::format::parse_won(s)
            .map(Some)
            .ok_or_else(|| Problem::field(field, message_key)),
    }
}

/// A form's answer: on to `to` when it went through; when it was refused for a reason the user
/// can mend (a 4xx other than 404), the form's page again with that reason, under the
/// refusal's status; anything else as it is.
pub(crate) async fn form_answer<T, F, Fut>(
    outcome: Result<String, Problem>,
    again: F,
) -> Result<axum::response::Response, Problem>
where
    F: FnOnce(Problem) -> Fut,
    Fut: std::future::Future<Output = Result<T, Problem>>,
    T: axum::response::IntoResponse,
{
    form_result(outcome.map(|to| axum::response::Redirect::to(&to)), again).await
}

/// As [`form_answer`], with the page to show when the form went through (a page made by the
/// request itself, such as a certificate to print).
pub(crate) async fn form_result<R, T, F, Fut>(
    outcome: Result<R, Problem>,
    again: F,
) -> Result<axum::response::Response, Problem>
where
    R: axum::response::IntoResponse,
    F: FnOnce(Problem) -> Fut,
    Fut: std::future::Future<Output = Result<T, Problem>>,
    T: axum::response::IntoResponse,
{
    use axum::response::IntoResponse;
    match outcome {
        Ok(page) => Ok(page.into_response()),
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            let status = p.status;
            Ok((status, again(p).await?).into_response())
        }
        Err(p) => Err(p),
    }
}
