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
    add_user_as(data_dir, database_url, login, "welfare_staff");
}

fn add_user_as(data_dir: &Path, database_url: Option<&str>, login: &str, role: &str) {
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
        role,
        "--scope",
        "1111051500",
        "--password-stdin",
    ]);
    let (ok, _, err) = maeul(data_dir, &args, Some(&format!("{PASSWORD}\n")));
    assert!(ok, "{err}");
}

async fn token(server: &Server, login: &str) -> String {
    token_at(&server.url, login).await
}

async fn token_at(base: &str, login: &str) -> String {
    let res = client()
        .post(format!("{base}/api/v1/tokens"))
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

#[tokio::test]
async fn every_acknowledged_ballot_survives_kill_9_in_the_middle_of_a_burst() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), None);
    add_user_as(dir.path(), None, "park.officer", "council_officer");
    let officer = token(&server, "park.officer").await;
    let http = client();
    let created: Value = http
        .post(server.url("/api/v1/regions/1111051500/assemblies"))
        .bearer_auth(&officer)
        .json(&crate::assembly::assembly_body("주민총회"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let item = created["items"][0]["id"].as_i64().unwrap();
    let roster = dir.path().join("roster.csv");
    let mut text = String::from("resident_ref,name,birth_date\n");
    for i in 0..600 {
        text.push_str(&format!("R{i:04},주민{i},1980-01-01\n"));
    }
    std::fs::write(&roster, text).unwrap();
    let codes_file = dir.path().join("codes.csv");
    let (ok, out, err) = maeul(
        dir.path(),
        &[
            "assembly",
            "issue-codes",
            "--assembly",
            &id.to_string(),
            "--roster",
            roster.to_str().unwrap(),
            "--out",
            codes_file.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("600 codes"), "{out}");
    let codes: Vec<String> = std::fs::read_to_string(&codes_file)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_owned())
        .collect();
    let open = http
        .post(server.url(&format!("/api/v1/assemblies/{id}/open")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);

    // Each resident votes twice at once; the server is killed while the ballots stream in.
    let url = server.url(&format!("/api/v1/assemblies/{id}/ballots"));
    let acks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        for _ in 0..2 {
            let (url, http, acks) = (url.clone(), http.clone(), acks.clone());
            let body = serde_json::json!({"code": code, "choices": [
                {"item": item, "choice": if i % 2 == 0 { "yes" } else { "no" }}]});
            tasks.push(tokio::spawn(async move {
                let res = http.post(url).json(&body).send().await.ok()?;
                if res.status() != 201 {
                    return None;
                }
                let v: Value = res.json().await.ok()?;
                acks.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Some((i, v["receipt"].as_str()?.to_owned()))
            }));
        }
    }
    // Killed once a hundred ballots are acknowledged, with hundreds still on their way.
    for _ in 0..3000 {
        if acks.load(std::sync::atomic::Ordering::SeqCst) >= 100 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.kill_9();
    let mut acknowledged = Vec::new();
    for t in tasks {
        if let Some(ack) = t.await.unwrap() {
            acknowledged.push(ack);
        }
    }
    let mut residents: Vec<usize> = acknowledged.iter().map(|(i, _)| *i).collect();
    residents.sort_unstable();
    let before = residents.len();
    residents.dedup();
    assert_eq!(
        before,
        residents.len(),
        "no resident was acknowledged twice"
    );

    let server = Server::start(dir.path(), None);
    let closed = http
        .post(server.url(&format!("/api/v1/assemblies/{id}/close")))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 200);
    let file = http
        .get(server.url(&format!("/api/v1/assemblies/{id}/ballots")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (_, receipt) in &acknowledged {
        assert!(
            file.lines().any(|l| l.starts_with(receipt.as_str())),
            "acknowledged ballot {receipt} is counted after kill -9"
        );
    }
    let result: Value = http
        .get(server.url(&format!("/api/v1/assemblies/{id}/result")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counted = file.lines().count() as u64;
    assert_eq!(
        result["participants"]["online"], counted,
        "participations equal ballots"
    );
    let counts = &result["items"][0]["counts"];
    assert_eq!(
        counts["yes"].as_u64().unwrap() + counts["no"].as_u64().unwrap(),
        counted,
        "the tally equals the ballots, none twice"
    );
    assert!(acknowledged.len() >= 100, "the burst was under way");
    assert!(counted as usize >= acknowledged.len() && counted <= 600);
    eprintln!(
        "{} acknowledged before kill -9, {counted} counted",
        acknowledged.len()
    );
}
