//! Deny by default: every route declares its access, and the declaration holds.

use std::sync::Arc;

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
    let (_, table) = maeul_web::app(AppState {
        store,
        config: Arc::new(WebConfig::default()),
    });

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
        let res = http.get(app.url(&concrete(path))).send().await.unwrap();
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
