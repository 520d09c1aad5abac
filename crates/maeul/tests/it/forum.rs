//! Forums: officials of the scope announce them, everyone reads them, anyone signed in signs up
//! within the places until the start, the organisers see who signed up and record the outcome.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{anonymous, call, client, csrf_of, html_of, log_in, spawn_apps, today};

const CHEONGUN: &str = "1111051500";

fn forum(held_on: time::Date, capacity: Option<u32>) -> Value {
    json!({"title": "마을 정원 원탁회의", "kind": "roundtable",
           "topic": "정원 운영 방식과 내년 예산을 주민이 함께 정합니다.",
           "held_on": held_on.to_string(), "starts_at": "14:00",
           "venue": "청운효자동 주민센터 3층", "capacity": capacity,
           "supported_by": "행정안전부"})
}

#[tokio::test]
async fn a_place_holds_a_forum_residents_sign_up_and_the_outcome_is_public() {
    for app in spawn_apps().await {
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2600000000")
            .await;
        app.add_user("park.resident", Role::Resident, CHEONGUN)
            .await;
        app.add_user("lee.resident", Role::Resident, "2611051000")
            .await;
        let place = app.token("kim.autonomy").await;
        let busan = app.token("busan.programme").await;
        let park = app.token("park.resident").await;
        let lee = app.token("lee.resident").await;
        let tomorrow = today() + time::Duration::days(1);
        let yesterday = today() - time::Duration::days(1);
        let hold = format!("/api/v1/regions/{CHEONGUN}/forums");

        for (field, value, wrong) in [
            ("title", json!(" "), "title"),
            ("kind", json!("seminar"), "kind"),
            ("starts_at", json!("25:00"), "starts_at"),
            ("held_on", json!("2026-13-01"), "held_on"),
            ("capacity", json!(0), "capacity"),
            ("venue", json!(""), "venue"),
        ] {
            let mut bad = forum(tomorrow, Some(1));
            bad[field] = value;
            let (status, problem) = call(&app, &place, "POST", &hold, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        assert_eq!(
            call(&app, &busan, "POST", &hold, Some(forum(tomorrow, None)))
                .await
                .0,
            403
        );
        assert_eq!(
            call(&app, &park, "POST", &hold, Some(forum(tomorrow, None)))
                .await
                .0,
            403
        );
        let (status, created) =
            call(&app, &place, "POST", &hold, Some(forum(tomorrow, Some(1)))).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        assert_eq!(
            (created["open"].as_bool(), created["taken"].as_i64()),
            (Some(true), Some(0))
        );
        let id = created["id"].as_i64().unwrap();

        // Everyone reads it, from the place or above.
        let (status, list) = anonymous(&app, "/api/v1/forums?region=1111000000").await;
        assert_eq!((status, list["total"].as_i64()), (200, Some(1)));
        assert_eq!(
            anonymous(&app, "/api/v1/forums?region=2600000000").await.1["total"],
            0
        );
        assert_eq!(
            anonymous(&app, &format!("/api/v1/forums/{id}")).await.0,
            200
        );

        // Sign-up: one place.
        let sign_up = format!("/api/v1/forums/{id}/sign-up");
        let status = client()
            .put(app.url(&sign_up))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
        assert_eq!(call(&app, &park, "PUT", &sign_up, None).await.0, 204);
        assert_eq!(
            call(&app, &park, "PUT", &sign_up, None).await.0,
            204,
            "again changes nothing"
        );
        let (status, problem) = call(&app, &lee, "PUT", &sign_up, None).await;
        assert_eq!(
            (status, problem["type"].as_str()),
            (409, Some("urn:maeul:problem:forum-full"))
        );
        assert_eq!(call(&app, &park, "DELETE", &sign_up, None).await.0, 204);
        assert_eq!(call(&app, &lee, "PUT", &sign_up, None).await.0, 204);
        let (_, now) = anonymous(&app, &format!("/api/v1/forums/{id}")).await;
        assert_eq!(
            (now["taken"].as_i64(), now["open"].as_bool()),
            (Some(1), Some(false))
        );
        let who = format!("/api/v1/forums/{id}/sign-ups");
        let (status, people) = call(&app, &place, "GET", &who, None).await;
        assert_eq!(
            (
                status,
                people["total"].as_i64(),
                people["items"][0]["name"].as_str()
            ),
            (200, Some(1), Some("시험 사용자"))
        );
        assert_eq!(call(&app, &park, "GET", &who, None).await.0, 403);
        assert_eq!(call(&app, &busan, "GET", &who, None).await.0, 403);
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        app.add_user("lim.ministry", Role::Ministry, "0000000000")
            .await;
        for above in [
            app.token("yoon.programme").await,
            app.token("lim.ministry").await,
        ] {
            assert_eq!(
                call(&app, &above, "GET", &who, None).await.0,
                403,
                "staff above the place see counts, not names"
            );
            assert_eq!(
                call(&app, &above, "POST", &hold, Some(forum(tomorrow, None)))
                    .await
                    .0,
                403,
                "a place's forums are held by the place"
            );
        }

        // The outcome: after the start only.
        let outcome = format!("/api/v1/forums/{id}/outcome");
        let said = json!({"attendance": 38, "summary": "정원 운영을 주민 모임이 맡기로 함",
                          "proposals": "정원 운영비를 주민총회 의제로"});
        let (status, problem) = call(&app, &place, "PUT", &outcome, Some(said.clone())).await;
        assert_eq!(
            (status, problem["type"].as_str()),
            (409, Some("urn:maeul:problem:forum-not-started"))
        );
        let (_, past) = call(&app, &place, "POST", &hold, Some(forum(yesterday, None))).await;
        let past = past["id"].as_i64().unwrap();
        let outcome = format!("/api/v1/forums/{past}/outcome");
        for (body, field) in [
            (json!({"attendance": 38, "summary": " "}), "summary"),
            (json!({"attendance": -1, "summary": "s"}), "body"),
            (json!({"attendance": 100_001, "summary": "s"}), "attendance"),
        ] {
            let (status, problem) = call(&app, &place, "PUT", &outcome, Some(body)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].as_str()),
                (422, Some(field)),
                "{problem}"
            );
        }
        assert_eq!(
            call(&app, &busan, "PUT", &outcome, Some(said.clone()))
                .await
                .0,
            403
        );
        assert_eq!(call(&app, &place, "PUT", &outcome, Some(said)).await.0, 204);
        let (_, held) = anonymous(&app, &format!("/api/v1/forums/{past}")).await;
        assert_eq!(
            (
                held["outcome"]["attendance"].as_i64(),
                held["open"].as_bool()
            ),
            (Some(38), Some(false))
        );
        let (status, problem) = call(
            &app,
            &park,
            "PUT",
            &format!("/api/v1/forums/{past}/sign-up"),
            None,
        )
        .await;
        assert_eq!(
            (status, problem["type"].as_str()),
            (409, Some("urn:maeul:problem:forum-started"))
        );
    }
}

#[tokio::test]
async fn the_pages_announce_sign_up_and_record() {
    for app in spawn_apps().await {
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("park.resident", Role::Resident, CHEONGUN)
            .await;
        let place = app.token("kim.autonomy").await;
        let hold = format!("/api/v1/regions/{CHEONGUN}/forums");
        let (_, past) = call(
            &app,
            &place,
            "POST",
            &hold,
            Some(forum(today() - time::Duration::days(1), None)),
        )
        .await;
        let past = past["id"].as_i64().unwrap();

        // A visitor is offered the log-in; a resident signs up and sees it.
        let staff = client();
        log_in(&staff, &app.address, "kim.autonomy", "/work").await;
        let list = html_of(&staff, &app, &format!("/r/{CHEONGUN}/forums")).await;
        assert!(list.contains("/work/regions/1111051500/forums"));
        let csrf = csrf_of(&list);
        let form = |starts_at: &'static str| {
            [
                ("_csrf", csrf.clone()),
                ("title", "주민총회 의제 토론회".to_owned()),
                ("kind", "debate".to_owned()),
                ("topic", "올해 의제 후보를 놓고 토론".to_owned()),
                ("held_on", (today() + time::Duration::days(3)).to_string()),
                ("starts_at", starts_at.to_owned()),
                ("venue", "주민센터".to_owned()),
                ("capacity", "30".to_owned()),
                ("supported_by", String::new()),
            ]
        };
        let res = staff
            .post(app.url("/work/regions/1111051500/forums"))
            .form(&form("두 시"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(refused.contains("주민총회 의제 토론회") && refused.contains("14:00처럼"));
        let res = staff
            .post(app.url("/work/regions/1111051500/forums"))
            .form(&form("19:00"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let at = res.headers()["location"].to_str().unwrap().to_owned();

        let visitor = html_of(&client(), &app, &at).await;
        assert!(visitor.contains("로그인하고 참가 신청하기") && !visitor.contains("참가 신청자"));
        let resident = client();
        log_in(&resident, &app.address, "park.resident", "/work").await;
        let page = html_of(&resident, &app, &at).await;
        assert!(
            !html_of(&resident, &app, &format!("/r/{CHEONGUN}/forums"))
                .await
                .contains("/work/regions/1111051500/forums")
        );
        let res = resident
            .post(app.url(&format!("/work{at}/sign-up")))
            .form(&[("_csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let page = html_of(&resident, &app, &at).await;
        assert!(page.contains("참가 신청했습니다") && page.contains("1 / 30명"));
        let organisers = html_of(&staff, &app, &at).await;
        assert!(organisers.contains("참가 신청자 1명") && organisers.contains("시험 사용자"));
        assert!(
            organisers.contains("공론장이 시작되면"),
            "no outcome form before"
        );

        // The outcome on the page of the past one: a refusal keeps what was typed.
        let page = html_of(&staff, &app, &format!("/forums/{past}")).await;
        let res = staff
            .post(app.url(&format!("/work/forums/{past}/outcome")))
            .form(&[
                ("_csrf", csrf_of(&page)),
                ("attendance", "많이".to_owned()),
                ("summary", "정원 규칙 합의".to_owned()),
                ("proposals", String::new()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("정원 규칙 합의"));
        let res = staff
            .post(app.url(&format!("/work/forums/{past}/outcome")))
            .form(&[
                ("_csrf", csrf_of(&page)),
                ("attendance", "24".to_owned()),
                ("summary", "정원 규칙 합의".to_owned()),
                ("proposals", String::new()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        for national in [
            "/r/0000000000/forums",
            "/r/0000000000/mous",
            "/r/0000000000/courses",
        ] {
            let html = html_of(&client(), &app, national).await;
            assert!(
                html.contains("<h1") && !html.contains("href=\"/r/0000000000\""),
                "{national}: the nation has no place page to link to"
            );
        }
        let public = html_of(&client(), &app, &format!("/forums/{past}")).await;
        assert!(public.contains("참석 24명") && public.contains("신청이 마감되었습니다"));
    }
}
