//! The good-practice library through the API and the pages: a place writes a case up with the
//! agenda item it grew from, the ministry returns it with a note and publishes the revision,
//! anyone finds it by words, field and region; unpublished cases and reviews stay with the place
//! and the ministry.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";
const JONGNO: &str = "1111000000";
const BUSAN_EMD: &str = "2611051000";

#[tokio::test]
async fn a_place_writes_up_a_case_the_ministry_reviews_and_anyone_finds_it() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, BUSAN_EMD)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        let officer = app.token("park.officer").await;
        let busan = app.token("busan.officer").await;
        let resident = app.token("kim.resident").await;
        let ministry = app.token("lee.ministry").await;
        let gu = app.token("yoon.programme").await;

        let (status, item) = call(
            &app,
            &resident,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-proposals"),
            Some(json!({"title": "골목 화단", "body": "골목에 꽃을 심어요.", "topic": "environment"})),
        )
        .await;
        assert_eq!(status, 201, "{item}");

        // An item the council hid is not named by a case (its page is not shown either).
        let (_, hidden) = call(
            &app,
            &resident,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-proposals"),
            Some(json!({"title": "광고", "body": "광고입니다.", "topic": "other"})),
        )
        .await;
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/agenda-items/{}/moderation", hidden["id"]),
            Some(json!({"action": "hide", "reason": "광고"})),
        )
        .await;
        assert_eq!(status, 204);
        let submit = format!("/api/v1/regions/{CHEONGUN}/practices");
        let case = json!({"title": "골목 화단을 주민이 함께 가꾸다", "topic": "environment",
                          "summary": "총회에서 정한 화단을 주민이 함께 가꾸었습니다.",
                          "body": "환경분과가 조사하고 주민 20명이 물주기 순번을 맡았습니다.",
                          "agenda_item_id": item["id"]});
        let (status, _) = call(&app, &resident, "POST", &submit, Some(case.clone())).await;
        assert_eq!(status, 403, "residents read cases, they do not submit them");
        let (status, _) = call(&app, &busan, "POST", &submit, Some(case.clone())).await;
        assert_eq!(status, 403, "another place's council");
        for (field, value) in [
            ("topic", json!("weather")),
            ("summary", json!(" ")),
            ("agenda_item_id", json!(999_999)),
            ("agenda_item_id", hidden["id"].clone()),
            ("programme_id", json!(999_999)),
        ] {
            let mut bad = case.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &officer, "POST", &submit, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let (status, created) = call(&app, &officer, "POST", &submit, Some(case.clone())).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let one = format!("/api/v1/practices/{}", created["id"]);

        // Not public until published; the place and the ministry see it.
        let (_, found) = anonymous(&app, "/api/v1/practices").await;
        assert_eq!(found["total"], 0);
        let (status, _) = anonymous(&app, &one).await;
        assert_eq!(status, 404);
        let (status, _) = call(&app, &busan, "GET", &one, None).await;
        assert_eq!(status, 404, "another place's unpublished case");
        for (token, n) in [(&officer, 1), (&ministry, 1), (&busan, 0), (&resident, 0)] {
            let (_, waiting) = call(
                &app,
                token,
                "GET",
                "/api/v1/practices?status=submitted",
                None,
            )
            .await;
            assert_eq!(waiting["total"], n, "{waiting}");
        }

        // The ministry returns it with a note; the place revises; the ministry publishes.
        let reviews = format!("{one}/reviews");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &reviews,
            Some(json!({"decision": "publish"})),
        )
        .await;
        assert_eq!(status, 403, "only the ministry reviews");
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "return"})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("note"))
        );
        let (status, reviewed) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "return", "note": "성과를 숫자로 적어 주세요."})),
        )
        .await;
        assert_eq!(
            (status, reviewed["status"].clone()),
            (200, json!("returned"))
        );
        let (status, _) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "publish"})),
        )
        .await;
        assert_eq!(status, 409, "a returned case waits for its revision");
        let mut revised = case.clone();
        revised["results"] = json!("무단 투기가 월 12건에서 2건으로 줄었습니다.");
        let (status, _) = call(
            &app,
            &busan,
            "PUT",
            &format!("{one}/submission"),
            Some(revised.clone()),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &format!("{one}/submission"),
            Some(revised.clone()),
        )
        .await;
        assert_eq!(status, 204);
        // A review names the revision it read: the one before the place's revision is refused.
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "publish", "seen": 0})),
        )
        .await;
        assert_eq!(
            (status, problem["type"].clone()),
            (409, json!("urn:maeul:problem:practice-changed"))
        );
        let (status, reviewed) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "publish", "seen": 1})),
        )
        .await;
        assert_eq!(
            (status, reviewed["status"].clone()),
            (200, json!("published"))
        );

        // Anyone finds it by words, field and region; the reviews stay with the place.
        for (query, n) in [
            ("q=%ED%99%94%EB%8B%A8", 1),
            ("q=%EA%BD%83%EA%B8%B8", 0),
            ("q=%25", 0),
            ("topic=environment", 1),
            ("topic=care", 0),
            ("region=1100000000", 1),
            ("region=2600000000", 0),
            ("region=0000000000", 1),
        ] {
            let (status, found) = anonymous(&app, &format!("/api/v1/practices?{query}")).await;
            assert_eq!(
                (status, found["total"].clone()),
                (200, json!(n)),
                "{query}: {found}"
            );
        }
        let (status, problem) =
            anonymous(&app, &format!("/api/v1/practices?q={}", "가".repeat(101))).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("q"))
        );
        let (status, shown) = anonymous(&app, &one).await;
        assert_eq!(status, 200);
        assert_eq!(shown["practice"]["agenda_item"], "골목 화단");
        assert_eq!(
            shown["practice"]["results"],
            "무단 투기가 월 12건에서 2건으로 줄었습니다."
        );
        assert_eq!(shown["reviews"], json!([]), "reviews are not public");
        let (_, seen) = call(&app, &officer, "GET", &one, None).await;
        assert_eq!(seen["reviews"].as_array().unwrap().len(), 2);
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &format!("{one}/submission"),
            Some(revised),
        )
        .await;
        assert_eq!(
            status, 409,
            "a published case is not changed under the reader"
        );

        // Taken down, it is no longer public.
        let (status, _) = call(
            &app,
            &ministry,
            "POST",
            &reviews,
            Some(json!({"decision": "return", "note": "사실 확인이 필요합니다."})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = anonymous(&app, &one).await;
        assert_eq!(status, 404);

        // The si/gun/gu writes up cases of its own and of its places, not of others.
        let mut wide = case.clone();
        wide.as_object_mut().unwrap().remove("agenda_item_id");
        for (code, want) in [
            (JONGNO, 201),
            (CHEONGUN, 201),
            (BUSAN_EMD, 403),
            ("1100000000", 404),
        ] {
            let (status, _) = call(
                &app,
                &gu,
                "POST",
                &format!("/api/v1/regions/{code}/practices"),
                Some(wide.clone()),
            )
            .await;
            assert_eq!(status, want, "{code}");
        }

        let page = client()
            .get(app.url("/practices?q=화단"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("사례 0건"),
            "the taken-down case is gone from the search"
        );
    }
}
