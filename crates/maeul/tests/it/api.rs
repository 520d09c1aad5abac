//! The JSON API: regions, tokens, problem details, access log.

use maeul_core::account::Role;
use serde_json::Value;

use crate::{PASSWORD, client, spawn_apps};

#[tokio::test]
async fn regions_filter_paginate_and_name_the_wrong_parameter() {
    for app in spawn_apps().await {
        let http = client();
        let get = |path: &str| http.get(app.url(path)).send();

        let res: Value = get("/api/v1/regions?level=sido&per_page=100")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(res["total"], 17, "{}", app.engine);
        assert_eq!(res["items"][0]["parent"], "0000000000");

        let res: Value = get("/api/v1/regions?q=%EC%B2%AD%EC%9A%B4%ED%9A%A8%EC%9E%90")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(res["total"], 1);
        assert_eq!(res["items"][0]["full_name"], "서울특별시 종로구 청운효자동");
        assert_eq!(res["items"][0]["kind"], "dong");

        let res: Value = get("/api/v1/regions?parent=1111000000&per_page=5&page=4")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(res["total"], 17);
        assert_eq!(
            res["items"].as_array().unwrap().len(),
            2,
            "page 4 of 5 holds the last two"
        );

        let one: Value = get("/api/v1/regions/4111000000")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(one["kind"], "parent_city");
        assert_eq!(one["children"], 4);

        for (query, field) in [
            ("level=town", "level"),
            ("parent=12", "parent"),
            ("page=0", "page"),
            ("per_page=1000", "per_page"),
        ] {
            let res = get(&format!("/api/v1/regions?{query}")).await.unwrap();
            assert_eq!(res.status(), 422, "{query}");
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["errors"][0]["field"], field, "{query}");
            assert_eq!(body["type"], "urn:maeul:problem:validation");
        }
        let res = get("/api/v1/regions/9999999900").await.unwrap();
        assert_eq!(res.status(), 404);
        let res = get("/api/v1/regions/abc").await.unwrap();
        assert_eq!(res.status(), 422);

        // Problem titles follow the caller's language.
        let res: Value = http
            .get(app.url("/api/v1/regions?level=town"))
            .header("accept-language", "en-GB,en;q=0.8")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(res["title"], "Please check what you entered.");
    }
}

#[tokio::test]
async fn tokens_authenticate_api_calls_and_roles_decide_what_they_reach() {
    for app in spawn_apps().await {
        app.add_user("kim.welfare", Role::WelfareStaff, "1111051500")
            .await;
        app.add_user("oh.auditor", Role::Auditor, "1111000000")
            .await;
        let http = client();

        let bad = http
            .post(app.url("/api/v1/tokens"))
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422, "{}", app.engine);
        assert_eq!(
            bad.json::<Value>().await.unwrap()["errors"][0]["field"],
            "body"
        );
        let wrong = http
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"login": "kim.welfare", "password": "nope-nope-1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        assert_eq!(wrong.headers()["content-type"], "application/problem+json");
        assert_eq!(
            wrong.json::<Value>().await.unwrap()["type"],
            "urn:maeul:problem:invalid-credentials"
        );

        let token = app.token("kim.welfare").await;
        let me: Value = http
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["grants"][0]["role"], "welfare_staff");
        assert_eq!(me["grants"][0]["scope"], "1111051500");

        let forbidden = http
            .get(app.url("/api/v1/access-log"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(forbidden.status(), 403);
        assert_eq!(
            forbidden.headers()["content-type"],
            "application/problem+json"
        );
        let garbage = http
            .get(app.url("/api/v1/me"))
            .bearer_auth("garbage")
            .send()
            .await
            .unwrap();
        assert_eq!(garbage.status(), 401);

        let auditor = app.token("oh.auditor").await;
        let log: Value = http
            .get(app.url("/api/v1/access-log?per_page=100"))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let entries = log["items"].as_array().unwrap();
        assert!(
            entries.iter().any(|e| e["action"] == "grant_added"
                && e["subject"].as_str().unwrap().contains("kim.welfare")),
            "{}: grant changes in 종로구 are visible to its auditor: {log}",
            app.engine
        );
        let bad_date = http
            .get(app.url("/api/v1/access-log?from=2026-13-01"))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap();
        assert_eq!(bad_date.status(), 422);
        assert_eq!(
            bad_date.json::<Value>().await.unwrap()["errors"][0]["field"],
            "from"
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_and_are_logged() {
    let app = crate::spawn_app().await;
    app.add_user("lee.nurse", Role::Nurse, "1111051500").await;
    app.add_user("national.auditor", Role::Auditor, "0000000000")
        .await;
    let auditor = app.token("national.auditor").await;
    let http = client();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let res = http
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"login": "lee.nurse", "password": "wrong-password-1"}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, vec![401, 401, 401, 401, 429]);
    let right = http
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"login": "lee.nurse", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 429, "locked even with the right password");
    let log: Value = http
        .get(app.url("/api/v1/access-log?subject=user:lee.nurse&per_page=100"))
        .bearer_auth(&auditor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let failed = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "login_failed")
        .count();
    assert_eq!(failed, 6);
}

#[tokio::test]
async fn operations_endpoints_answer() {
    let app = crate::spawn_app().await;
    let http = client();
    assert_eq!(
        http.get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        http.get(app.url("/readyz")).send().await.unwrap().status(),
        200
    );
    http.get(app.url("/api/v1/regions")).send().await.unwrap();
    let metrics = http
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/api/v1/regions\""));
    assert!(metrics.contains("db_pool_connections"));
    let unknown = http
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        unknown.headers()["content-type"],
        "application/problem+json"
    );
    let wrong_method = http
        .delete(app.url("/api/v1/regions"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        wrong_method.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn log_ins_are_filed_under_the_users_region_for_its_auditors() {
    let app = crate::spawn_app().await;
    app.add_user("kim.welfare", Role::WelfareStaff, "1111051500")
        .await;
    app.add_user("oh.auditor", Role::Auditor, "1111000000")
        .await;
    app.add_user("jung.auditor", Role::Auditor, "1114000000")
        .await;
    app.token("kim.welfare").await;
    let http = client();
    let seen = |token: String| {
        let http = http.clone();
        let url = app.url("/api/v1/access-log?subject=user:kim.welfare&per_page=100");
        async move {
            let log: Value = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let jongno = seen(app.token("oh.auditor").await).await;
    assert!(
        jongno.contains(&"login".to_owned()) && jongno.contains(&"token_issued".to_owned()),
        "{jongno:?}"
    );
    assert!(
        seen(app.token("jung.auditor").await).await.is_empty(),
        "중구's auditor sees none of 종로구's log-ins"
    );
}
