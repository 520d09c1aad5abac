//! Deny by default: every route declares its access, and the declaration holds.

use maeul_store::{DbConfig, Store};
use maeul_web::{Access, AppState, WebConfig};

use crate::{client, spawn_app};

fn concrete(path: &str) -> String {
    path.replace("{code}", "1111051500")
        .replace("{*path}", "css/maeul.css")
        .replace("{*rest}", "index.html")
}

#[tokio::test]
async fn every_route_declares_access_and_anonymous_callers_get_only_public_ones() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(DbConfig::Sqlite {
        data_dir: dir.path().to_owned(),
    })
    .await
    .unwrap();
    let (_, table) = maeul_web::app(AppState::new(store, WebConfig::default()));

    let routes: Vec<(String, Access)> = table.iter().map(|(p, a)| (p.to_owned(), a)).collect();
    assert!(routes.len() >= 15, "the table lists the routes: {routes:?}");

    // The OpenAPI document lists no route the table does not know.
    let doc: serde_json::Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"].as_str().unwrap().get(..3), Some("3.1"));
    for path in doc["paths"].as_object().unwrap().keys() {
        let full = format!("/api/v1{path}");
        assert!(
            table.get(&full).is_some(),
            "{full} is documented but declares no access"
        );
    }

    let http = client();
    for (path, access) in &routes {
        // An API route is asked with a method it serves (others answer 405 to anyone).
        let method = path
            .strip_prefix("/api/v1")
            .and_then(|p| doc["paths"][p].as_object())
            .and_then(|ops| ops.keys().find(|m| m.as_str() != "parameters").cloned())
            .map_or(reqwest::Method::GET, |m| {
                reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap()
            });
        let res = http
            .request(method, app.url(&concrete(path)))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        match access {
            Access::Public => assert!(
                ![401, 403].contains(&status),
                "{path} is public but answered {status}"
            ),
            _ if path.starts_with("/api/") => {
                assert_eq!(status, 401, "{path} must refuse anonymous callers");
                assert_eq!(res.headers()["content-type"], "application/problem+json");
            }
            _ => {
                // Pages send visitors to log in (or refuse a method they do not serve).
                assert!(
                    status == 303 || status == 405,
                    "{path} must not serve anonymous visitors, answered {status}"
                );
                if status == 303 {
                    assert!(
                        res.headers()["location"]
                            .to_str()
                            .unwrap()
                            .starts_with("/login?next=")
                    );
                }
            }
        }
    }
}

/// Two schemas of one name would silently replace each other in the OpenAPI document.
#[tokio::test]
async fn every_schema_name_in_the_api_document_is_declared_once() {
    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    // Every module of the web crate, however deep.
    let mut sources = Vec::new();
    collect(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../maeul-web/src")),
        &mut sources,
    );
    let mut names = Vec::new();
    for text in &sources {
        for part in text.split("ToSchema").skip(1) {
            let after_derive = part.split_once(")]").map_or("", |(_, rest)| rest);
            if let Some(name) = after_derive
                .split_whitespace()
                .skip_while(|w| !matches!(*w, "struct" | "enum"))
                .nth(1)
            {
                names.push(name.trim_end_matches(['{', '(', ';']).to_owned());
            }
        }
    }
    names.sort();
    let mut twice: Vec<&String> = names
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    twice.dedup();
    assert!(names.len() > 20, "found the schemas: {names:?}");
    assert!(twice.is_empty(), "declared more than once: {twice:?}");
}
