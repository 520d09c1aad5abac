//! Integration tests through the public surface: HTTP against the real server on a random
//! port and a fresh database, and the `maeul` binary itself for process-level promises.

mod access;
mod agenda;
mod api;
mod assembly;
mod case;
mod certificate;
mod cli;
mod consulting;
mod corporation;
mod council;
mod dashboard;
mod discovery;
mod education;
mod expert;
mod forum;
mod grant_call;
mod guide;
mod health;
mod linkage;
mod mou;
mod officer;
mod org_model;
mod pages;
mod partner_project;
mod plan;
mod practice;
mod process;
mod programme;
mod project;
mod promotion_council;
mod resident_vote;
mod resource;
mod staffing;
mod visit;

use maeul_core::account::{Grant, Login, Password, Role};
use maeul_core::region::RegionCode;
use maeul_store::account::Actor;
use maeul_store::{DbConfig, Store};
use maeul_web::{AppState, WebConfig};

pub const PASSWORD: &str = "correct-horse-9";

/// A running server on a fresh database.
pub struct TestApp {
    pub engine: &'static str,
    pub address: String,
    pub store: Store,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn add_user(&self, login: &str, role: Role, scope: &str) {
        let login = Login::parse(login).unwrap();
        let hash = Password::parse(&login, PASSWORD).unwrap().hash();
        let grant = Grant::new(role, RegionCode::parse(scope).unwrap()).unwrap();
        self.store
            .accounts()
            .create_user(login, "시험 사용자", hash, vec![grant], Actor::cli())
            .await
            .unwrap();
    }

    /// A bearer token for a user added with [`TestApp::add_user`].
    pub async fn token(&self, login: &str) -> String {
        let res = client()
            .post(self.url("/api/v1/tokens"))
            .json(&serde_json::json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        res.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The hidden CSRF field of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let start = html
        .find("name=\"_csrf\" value=\"")
        .expect("the form carries a CSRF token")
        + 20;
    html[start..].split('"').next().unwrap().to_owned()
}

/// Logs in through the form at `base` (`http://host:port`): fetches it for its CSRF token,
/// then posts the log-in with `next`.
pub async fn log_in(
    http: &reqwest::Client,
    base: &str,
    login: &str,
    next: &str,
) -> reqwest::Response {
    let form = http
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&form);
    http.post(format!("{base}/login"))
        .form(&[
            ("login", login),
            ("password", PASSWORD),
            ("_csrf", &csrf),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

/// A client that does not follow redirects and keeps cookies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn start(config: DbConfig, engine: &'static str, dir: tempfile::TempDir) -> TestApp {
    let store = Store::open(config)
        .await
        .unwrap()
        .with_data_key(
            maeul_core::crypto::DataKey::parse(&maeul_core::crypto::DataKey::generate()).unwrap(),
        )
        .await
        .unwrap();
    store.regions().load_shipped_if_empty().await.unwrap();
    store.programmes().load_shipped_if_empty().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(store.clone(), WebConfig::default());
    tokio::spawn(maeul_web::serve(listener, state));
    TestApp {
        engine,
        address,
        store,
        _dir: dir,
    }
}

/// The server on SQLite.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    start(
        DbConfig::Sqlite {
            data_dir: dir.path().to_owned(),
        },
        "sqlite",
        dir,
    )
    .await
}

/// The server on SQLite and, when `MAEUL_TEST_POSTGRES_URL` is set, on PostgreSQL.
pub async fn spawn_apps() -> Vec<TestApp> {
    let mut apps = vec![spawn_app().await];
    if let Some(url) = fresh_postgres_database() {
        apps.push(
            start(
                DbConfig::Postgres { url },
                "postgres",
                tempfile::tempdir().unwrap(),
            )
            .await,
        );
    }
    apps
}

/// Creates an empty database next to the one `MAEUL_TEST_POSTGRES_URL` names.
pub fn fresh_postgres_database() -> Option<String> {
    let base = std::env::var("MAEUL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!("maeul_test_{}", rand_suffix());
    let status = std::process::Command::new("psql")
        .args([base.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql runs");
    assert!(status.success(), "creating {name}");
    let (prefix, _) = base.rsplit_once('/').expect("a URL with a database name");
    Some(format!("{prefix}/{name}"))
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// A GET without a token: the status and the body (`null` when there is none).
pub async fn anonymous(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let res = client().get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// Today in Korea, as the server judges "not before today" and "not after today".
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date()
}

/// A page's HTML as `http` (logged in or not) gets it.
pub async fn html_of(http: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = http.get(app.url(path)).send().await.unwrap();
    res.text().await.unwrap()
}

/// The access-log entries about one subject (`case:12`), oldest first.
pub async fn logged(app: &TestApp, subject: &str) -> Vec<maeul_store::audit::LoggedAccess> {
    app.store
        .access_log()
        .list(
            maeul_store::audit::AccessFilter {
                subject: Some(subject.into()),
                scopes: vec![maeul_core::region::RegionCode::nation()],
                ..Default::default()
            },
            0,
            1000,
        )
        .await
        .unwrap()
        .items
}

/// A JSON call with a bearer token: the status and the body (`null` when there is none).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let http = client();
    let req = match method {
        "POST" => http
            .post(app.url(path))
            .json(&body.unwrap_or(serde_json::Value::Null)),
        "PUT" => http
            .put(app.url(path))
            .json(&body.unwrap_or(serde_json::Value::Null)),
        "DELETE" => http.delete(app.url(path)),
        "PATCH" => http
            .patch(app.url(path))
            .json(&body.unwrap_or(serde_json::Value::Null)),
        _ => http.get(app.url(path)),
    };
    let res = req.bearer_auth(token).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// The sheets of a downloaded workbook, by name in order, each its rows of cells.
pub fn xlsx_sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[_]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}
