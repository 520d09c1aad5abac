//! Agenda items through the API and the pages: residents propose and support, the ladder
//! moves items, the council answers and moderates.

use maeul_core::account::Role;
use serde_json::json;

use crate::assembly::post_form;
use crate::{call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn residents_propose_and_support_and_the_council_answers() {
    for app in spawn_apps().await {
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("lee.resident", Role::Resident, CHEONGUN).await;
        app.add_user("choi.resident", Role::Resident, CHEONGUN)
            .await;
        app.add_user("busan.resident", Role::Resident, "2611051000")
            .await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        let kim = app.token("kim.resident").await;
        let lee = app.token("lee.resident").await;
        let choi = app.token("choi.resident").await;
        let busan = app.token("busan.resident").await;
        let officer = app.token("park.officer").await;

        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-ladder"),
            Some(json!({"review": 3, "answer": 2})),
        )
        .await;
        assert_eq!(status, 422, "review cannot need more than an answer");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-ladder"),
            Some(json!({"review": 1, "answer": 2})),
        )
        .await;
        assert_eq!(status, 204, "{}", app.engine);

        let proposals = format!("/api/v1/regions/{CHEONGUN}/agenda-proposals");
        let body = json!({"title": "경로당 앞 횡단보도", "body": "건너기 위험합니다.",
                          "topic": "safety", "rough_cost": 3000000});
        let (status, _) = call(&app, &busan, "POST", &proposals, Some(body.clone())).await;
        assert_eq!(status, 403, "only residents of the place propose there");
        let (status, _) = call(&app, &officer, "POST", &proposals, Some(body.clone())).await;
        assert_eq!(
            status, 403,
            "a council officer is not a resident by that grant"
        );
        let mut bad = body.clone();
        bad["topic"] = json!("weather");
        let (status, problem) = call(&app, &kim, "POST", &proposals, Some(bad)).await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["field"], "topic");
        let (status, created) = call(&app, &kim, "POST", &proposals, Some(body)).await;
        assert_eq!(status, 201);
        let id = created["id"].as_i64().unwrap();
        let supports = format!("/api/v1/agenda-items/{id}/supports");

        let (status, _) = call(&app, &kim, "POST", &supports, None).await;
        assert_eq!(status, 409, "not one's own");
        let (status, _) = call(&app, &busan, "POST", &supports, None).await;
        assert_eq!(status, 403);
        let (status, out) = call(&app, &lee, "POST", &supports, None).await;
        assert_eq!(status, 201);
        assert_eq!(out["supports"], 1);
        assert_eq!(out["status"], "review");
        let (status, _) = call(&app, &lee, "POST", &supports, None).await;
        assert_eq!(status, 409, "once per resident");
        let (_, out) = call(&app, &choi, "POST", &supports, None).await;
        assert_eq!(out["status"], "answer_due");

        let (status, list) = call(
            &app,
            "",
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-items?status=answer_due&topic=safety"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(list["total"], 1);
        assert_eq!(list["ladder"]["answer"], 2);
        assert_eq!(list["items"][0]["supports"], 2);

        let answer = format!("/api/v1/agenda-items/{id}/answer");
        let (status, _) = call(&app, &kim, "POST", &answer, Some(json!({"answer": "x"}))).await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &answer,
            Some(json!({"answer": "구청과 협의해 설치합니다."})),
        )
        .await;
        assert_eq!(status, 204);
        let moderation = format!("/api/v1/agenda-items/{id}/moderation");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &moderation,
            Some(json!({"action": "hide", "reason": " "})),
        )
        .await;
        assert_eq!(status, 422, "a reason is needed");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &moderation,
            Some(json!({"action": "hide", "reason": "연락처가 적혀 있음"})),
        )
        .await;
        assert_eq!(status, 204);
        let (_, hidden) = call(&app, "", "GET", &format!("/api/v1/agenda-items/{id}"), None).await;
        assert_eq!(hidden["status"], "hidden");
        assert_eq!(hidden["title"], "");
        assert_eq!(hidden["hidden_reason"], "연락처가 적혀 있음");
        let (_, list) = call(
            &app,
            "",
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-items"),
            None,
        )
        .await;
        assert_eq!(list["total"], 0, "hidden items are not listed");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &moderation,
            Some(json!({"action": "restore", "reason": "연락처 삭제 확인"})),
        )
        .await;
        assert_eq!(status, 204);
        let (_, restored) =
            call(&app, "", "GET", &format!("/api/v1/agenda-items/{id}"), None).await;
        assert_eq!(restored["status"], "answered");
        assert_eq!(restored["answer"], "구청과 협의해 설치합니다.");
    }
}

#[tokio::test]
async fn a_resident_proposes_and_a_neighbour_supports_through_the_pages() {
    let app = crate::spawn_app().await;
    app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
    app.add_user("lee.resident", Role::Resident, CHEONGUN).await;
    let kim = client();
    crate::log_in(&kim, &app.address, "kim.resident", "/").await;
    let new = format!("/r/{CHEONGUN}/agenda/new");
    let fields = [
        ("title", "청소년 공부방 운영시간 연장"),
        ("topic", "education"),
        ("body", ""),
        ("rough_cost", "1,000,000"),
    ];
    let refused = post_form(&kim, &app, &new, &new, &fields).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("내용은 1자 이상"), "{html}");
    assert!(html.contains("value=\"청소년 공부방 운영시간 연장\""));
    let mut fields = fields.to_vec();
    fields[2] = ("body", "평일 9시까지 열어 주세요.");
    let created = post_form(&kim, &app, &new, &new, &fields).await;
    assert_eq!(created.status(), 303);
    let page = created.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    let lee = client();
    crate::log_in(&lee, &app.address, "lee.resident", "/").await;
    let supported = post_form(&lee, &app, &page, &format!("{page}/support"), &[]).await;
    assert_eq!(supported.status(), 303);
    let again = post_form(&lee, &app, &page, &format!("{page}/support"), &[]).await;
    assert_eq!(again.status(), 409);
    let html = lee
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("이 의제에 공감하셨습니다"), "{html}");
    assert!(html.contains("1,000,000원"));

    let list = client()
        .get(app.url(&format!("/r/{CHEONGUN}/agenda?topic=education&sort=new")))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(list.contains("청소년 공부방 운영시간 연장"));
    assert!(list.contains("모두 1건"));
    let bad = client()
        .get(app.url(&format!("/r/{CHEONGUN}/agenda?topic=weather")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}
