//! Promises about the process: acknowledged writes survive `kill -9`, several servers on one
//! PostgreSQL are one site, and a SQLite data directory backs up while the server runs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::cli::maeul;
use crate::{PASSWORD, client, fresh_postgres_database, log_in};

/// A `maeul serve` process on a random port.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_maeul"));
        cmd.arg("--data-dir").arg(data_dir);
        if let Some(url) = database_url {
            cmd.arg("--database-url").arg(url);
        }
        let mut child = cmd
            .args(["serve", "--addr", "127.0.0.1:0", "--no-demo"])
            .env_remove("MAEUL_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        for line in stdout.lines() {
            let line = line.unwrap();
            if let Some(url) = line.strip_prefix("maeul listening on ") {
                return Server {
                    child,
                    url: url.trim().to_owned(),
                };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server stopped before listening");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_user(data_dir: &Path, database_url: Option<&str>, login: &str) {
    let mut args = vec![];
    if let Some(url) = database_url {
        args.extend(["--database-url", url]);
    }
    args.extend([
        "user",
        "add",
        "--login",
        login,
        "--name",
        "시험",
        "--role",
        "welfare_staff",
        "--scope",
        "1111051500",
        "--password-stdin",
    ]);
    let (ok, _, err) = maeul(data_dir, &args, Some(&format!("{PASSWORD}\n")));
    assert!(ok, "{err}");
}

async fn token(server: &Server, login: &str) -> String {
    let res = client()
        .post(server.url("/api/v1/tokens"))
        .json(&serde_json::json!({"login": login, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None);
    add_user(dir.path(), None, "kim.welfare"); // the CLI works beside the running server
    let token = token(&server, "kim.welfare").await; // 201 acknowledges a stored token
    server.kill_9();

    let server = Server::start(dir.path(), None);
    let me = client()
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        200,
        "the token written before kill -9 still works"
    );
}

#[tokio::test]
async fn two_servers_on_one_postgres_share_sessions() {
    let Some(url) = fresh_postgres_database() else {
        eprintln!("MAEUL_TEST_POSTGRES_URL is not set; skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = Server::start(dir.path(), Some(&url));
    let b = Server::start(dir.path(), Some(&url));
    add_user(dir.path(), Some(&url), "kim.welfare");

    // Log in on A; the session cookie it sets is then sent to B.
    let login = log_in(&client(), &a.url, "kim.welfare", "/work").await;
    assert_eq!(login.status(), 303);
    let session = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(session.starts_with("maeul_session="));

    let on_b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let work = on_b
        .get(b.url("/work"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(work.status(), 200, "a session made on A works on B");
    assert!(work.text().await.unwrap().contains("복지 담당"));
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None);
    add_user(dir.path(), None, "before.backup");
    let backup = dir.path().join("backup.db");
    let (ok, _, err) = maeul(
        dir.path(),
        &["backup", "--out", backup.to_str().unwrap()],
        None,
    );
    assert!(ok, "backup while serving: {err}");
    add_user(dir.path(), None, "after.backup");

    let (ok, _, err) = maeul(dir.path(), &["restore", backup.to_str().unwrap()], None);
    assert!(!ok, "restore refuses while the server runs");
    assert!(err.contains("another maeul server"), "{err}");
    drop(server);

    let not_a_backup = dir.path().join("junk.db");
    std::fs::write(&not_a_backup, "junk").unwrap();
    let (ok, _, _) = maeul(
        dir.path(),
        &["restore", not_a_backup.to_str().unwrap()],
        None,
    );
    assert!(!ok, "a damaged file is refused");

    let (ok, _, err) = maeul(dir.path(), &["restore", backup.to_str().unwrap()], None);
    assert!(ok, "{err}");
    let (_, users, _) = maeul(dir.path(), &["user", "list"], None);
    assert!(users.contains("before.backup"), "{users}");
    assert!(!users.contains("after.backup"), "{users}");

    let server = Server::start(dir.path(), None);
    let regions: Value = client()
        .get(server.url("/api/v1/regions?level=emd"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(regions["total"], 3560);
}
