//! The projects of an adopted plan through the API and the pages: milestones planned once the
//! plan is adopted, updates with progress and spending while it executes, everything public and
//! kept only by the place's officers. Driven from the plan's own test, which brings a plan to
//! adoption through a real assembly.

use serde_json::json;

use crate::{TestApp, call, client};

/// Keeps the projects of an adopted plan of `place` (items `adopted` adopted, `rejected` not):
/// milestones and an update before execution; refusals of those who may not.
pub async fn plan_while_adopted(
    app: &TestApp,
    place: &str,
    tokens: (&str, &str, &str),
    adopted: i64,
    rejected: i64,
) -> i64 {
    let (resident, officer, other_place) = tokens;
    let res = client()
        .get(app.url(&format!("/api/v1/regions/{place}/projects")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    let listed: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(
        listed.contains(&adopted) && !listed.contains(&rejected),
        "{list}"
    );
    let (status, _) = call(
        app,
        resident,
        "GET",
        &format!("/api/v1/projects/{rejected}"),
        None,
    )
    .await;
    assert_eq!(status, 404, "an item not adopted is no project");

    let milestones = format!("/api/v1/projects/{adopted}/milestones");
    let step = |title: &str, due: &str| Some(json!({"title": title, "due_on": due}));
    let (status, _) = call(
        app,
        resident,
        "POST",
        &milestones,
        step("업체 선정", "2027-03-31"),
    )
    .await;
    assert_eq!(
        status, 403,
        "residents read the projects; officers keep them"
    );
    let (status, _) = call(
        app,
        other_place,
        "POST",
        &milestones,
        step("업체 선정", "2027-03-31"),
    )
    .await;
    assert_eq!(status, 404, "another place's officers do not keep them");
    for (body, field) in [
        (step("업체 선정", "2030-01-01"), "due_on"),
        (step("업체 선정", "2027-02-30"), "due_on"),
        (step(" ", "2027-03-31"), "title"),
    ] {
        let (status, problem) = call(app, officer, "POST", &milestones, body).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!(field)),
            "{problem}"
        );
    }
    let (status, early) = call(
        app,
        officer,
        "POST",
        &milestones,
        step("주민 설명회", "2026-01-02"),
    )
    .await;
    assert_eq!(status, 201, "{early}");
    let (status, late) = call(
        app,
        officer,
        "POST",
        &milestones,
        step("화단 조성", "2027-05-31"),
    )
    .await;
    assert_eq!(status, 201);

    let updates = format!("/api/v1/projects/{adopted}/updates");
    let (status, _) = call(
        app,
        officer,
        "POST",
        &updates,
        Some(json!({"body": "업체를 골랐습니다.", "progress": 10, "spent": 100})),
    )
    .await;
    assert_eq!(status, 409, "spending is recorded once execution starts");
    let (status, problem) = call(
        app,
        officer,
        "POST",
        &updates,
        Some(json!({"body": "x", "progress": 101})),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].clone()),
        (422, json!("progress"))
    );
    let (status, _) = call(
        app,
        officer,
        "POST",
        &updates,
        Some(json!({"body": "주민 설명회 준비 중입니다.", "progress": 10})),
    )
    .await;
    assert_eq!(status, 201);

    let done = |m: &serde_json::Value| {
        format!(
            "/api/v1/projects/{adopted}/milestones/{}/completion",
            m["id"]
        )
    };
    let (status, problem) = call(
        app,
        officer,
        "POST",
        &done(&late),
        Some(json!({"done_on": "2999-01-01"})),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].clone()),
        (422, json!("done_on"))
    );
    let (status, _) = call(
        app,
        officer,
        "POST",
        &done(&json!({"id": 999_999})),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(app, officer, "POST", &done(&late), Some(json!({}))).await;
    assert_eq!(status, 204, "done today when no day is given");
    early["id"].as_i64().unwrap()
}

/// While the plan executes: an update with the spending so far sets the item's spending.
pub async fn report_while_executing(app: &TestApp, officer: &str, adopted: i64, spent: i64) {
    let (status, out) = call(
        app,
        officer,
        "POST",
        &format!("/api/v1/projects/{adopted}/updates"),
        Some(json!({"body": "화단 조성을 마쳤습니다. 주민 20명이 함께 심었습니다.", "progress": 100, "spent": spent})),
    )
    .await;
    assert_eq!(status, 201, "{out}");
}

/// Once the plan is closed the projects stand as they ended, for anyone to read.
pub async fn read_after_closing(
    app: &TestApp,
    place: &str,
    officer: &str,
    adopted: i64,
    early: i64,
    spent: i64,
) {
    let (status, _) = call(
        app,
        officer,
        "POST",
        &format!("/api/v1/projects/{adopted}/updates"),
        Some(json!({"body": "늦은 소식", "progress": 100})),
    )
    .await;
    assert_eq!(status, 409, "a closed plan's projects are final");
    let res = client()
        .get(app.url(&format!("/api/v1/projects/{adopted}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (p["progress"].clone(), p["spent"].clone()),
        (json!(100), json!(spent))
    );
    assert_eq!(p["plan_status"], "closed");
    let steps: Vec<(i64, bool, bool)> = p["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                m["done_on"].is_string(),
                m["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps[0],
        (early, false, true),
        "by due day; the early one was never done"
    );
    assert!(steps[1].1 && !steps[1].2);
    assert_eq!(p["schedule"]["done"], 1);
    assert_eq!(p["schedule"]["overdue"], 1);
    let progress: Vec<i64> = p["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["progress"].as_i64().unwrap())
        .collect();
    assert_eq!(progress, [100, 10], "newest first");

    for (path, expected) in [
        (format!("/r/{place}/projects"), "100%"),
        (
            format!("/r/{place}/projects/{adopted}"),
            "주민 20명이 함께 심었습니다",
        ),
    ] {
        let res = client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains(expected) && page.contains("지연"),
            "{path}: {page}"
        );
    }
    let res = client()
        .get(app.url(&format!("/r/{place}/projects/{adopted}")))
        .send()
        .await
        .unwrap();
    assert!(
        !res.text().await.unwrap().contains("추진 소식 올리기"),
        "no forms for the public"
    );
}
