//! Community resources: the directory, and referrals of cases with their status.

use maeul_core::account::Role;
use serde_json::json;

use crate::{call, client, csrf_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn services_are_listed_for_their_area_and_cases_referred_to_them() {
    for app in spawn_apps().await {
        for (login, role, scope) in [
            ("kim.welfare", Role::WelfareStaff, CHEONGUN),
            ("han.programme", Role::ProgrammeStaff, "1111000000"),
            ("park.council", Role::CouncilOfficer, CHEONGUN),
            ("busan.welfare", Role::WelfareStaff, "2611051000"),
        ] {
            app.add_user(login, role, scope).await;
        }
        let programme = app.token("han.programme").await;
        let service = |area: &str, name: &str, category: &str| {
            json!({"area_code": area, "name": name, "category": category, "sector": "private",
                   "provider": "종로구 자원봉사센터", "capacity": 40, "contact": "02-000-0000"})
        };
        let (status, food) = call(
            &app,
            &programme,
            "POST",
            "/api/v1/resources",
            Some(service("1111000000", "종로 푸드뱅크", "food")),
        )
        .await;
        assert_eq!(status, 201, "{}: {food}", app.engine);
        let food = food["id"].as_i64().unwrap();
        let (status, _) = call(
            &app,
            &programme,
            "POST",
            "/api/v1/resources",
            Some(service("1111000000", "", "food")),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = call(
            &app,
            &programme,
            "POST",
            "/api/v1/resources",
            Some(service("2611000000", "남의 구", "food")),
        )
        .await;
        assert_eq!(status, 403, "outside the user's scope");
        let busan = app.token("busan.welfare").await;
        let (_, far) = call(
            &app,
            &busan,
            "POST",
            "/api/v1/resources",
            Some(service("2611051000", "부산 쉼터", "housing")),
        )
        .await;
        let far = far["id"].as_i64().unwrap();

        let council = app.token("park.council").await;
        let (status, _) = call(
            &app,
            &council,
            "POST",
            "/api/v1/resources",
            Some(service(CHEONGUN, "x", "food")),
        )
        .await;
        assert_eq!(status, 403);
        let (status, list) = call(
            &app,
            &council,
            "GET",
            &format!("/api/v1/resources?region={CHEONGUN}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "the directory holds no personal data");
        assert_eq!(
            list["total"], 1,
            "the 종로구 service serves 청운효자동; Busan's does not"
        );
        let (_, none) = call(
            &app,
            &council,
            "GET",
            &format!("/api/v1/resources?region={CHEONGUN}&category=housing"),
            None,
        )
        .await;
        assert_eq!(none["total"], 0);

        let kim = app.token("kim.welfare").await;
        let (_, case) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/cases",
            Some(json!({"emd_code": CHEONGUN, "person_name": "김순자", "source": "walk_in"})),
        )
        .await;
        let case = case["id"].as_i64().unwrap();
        let refer = format!("/api/v1/cases/{case}/referrals");
        let (status, problem) = call(
            &app,
            &kim,
            "POST",
            &refer,
            Some(json!({"resource_id": far})),
        )
        .await;
        assert_eq!(status, 422, "a Busan service does not serve 청운효자동");
        assert_eq!(problem["errors"][0]["field"], "resource_id");
        let (status, referral) = call(
            &app,
            &kim,
            "POST",
            &refer,
            Some(json!({"resource_id": food, "note": "주 1회 식품 지원"})),
        )
        .await;
        assert_eq!(status, 201);
        let referral = referral["id"].as_i64().unwrap();
        let status_of = format!("/api/v1/referrals/{referral}/status");
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            &status_of,
            Some(json!({"status": "completed"})),
        )
        .await;
        assert_eq!(status, 422, "not before it is accepted");
        for next in ["accepted", "completed"] {
            let (status, out) = call(
                &app,
                &kim,
                "POST",
                &status_of,
                Some(json!({"status": next, "result": "매주 화요일 수령"})),
            )
            .await;
            assert_eq!((status, out), (200, json!({"status": next})));
        }
        let (status, _) = call(
            &app,
            &busan,
            "POST",
            &status_of,
            Some(json!({"status": "declined"})),
        )
        .await;
        assert_eq!(status, 404, "a referral of another place's case");

        let http = client();
        log_in(&http, &app.address, "kim.welfare", "/work").await;
        let page = http
            .get(app.url(&format!("/work/cases/{case}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("종로 푸드뱅크")
                && page.contains("제공 완료")
                && page.contains("매주 화요일 수령")
        );
        let directory = http
            .get(app.url(&format!("/work/resources?region={CHEONGUN}")))
            .send()
            .await
            .unwrap();
        assert_eq!(directory.status(), 200);
        let directory = directory.text().await.unwrap();
        let res = http
            .post(app.url("/work/resources"))
            .form(&[
                ("_csrf", csrf_of(&directory).as_str()),
                ("area_code", CHEONGUN),
                ("name", "청운 경로당 식사"),
                ("category", "food"),
                ("sector", "public"),
                ("capacity", "many"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
    }
}

#[tokio::test]
async fn nurses_refer_the_people_in_their_care_and_follow_the_referral() {
    for app in spawn_apps().await {
        for (login, role, scope) in [
            ("kang.nurse", Role::Nurse, CHEONGUN),
            ("kim.welfare", Role::WelfareStaff, CHEONGUN),
            ("song.nurse", Role::Nurse, "1111053000"),
            ("han.programme", Role::ProgrammeStaff, "1111000000"),
        ] {
            app.add_user(login, role, scope).await;
        }
        let programme = app.token("han.programme").await;
        let (_, meals) = call(
            &app,
            &programme,
            "POST",
            "/api/v1/resources",
            Some(
                json!({"area_code": "1111000000", "name": "종로 도시락 배달", "category": "food",
                        "sector": "public", "provider": "종로구청", "capacity": 30}),
            ),
        )
        .await;
        let meals = meals["id"].as_i64().unwrap();
        let nurse = app.token("kang.nurse").await;
        let (_, person) = call(
            &app,
            &nurse,
            "POST",
            "/api/v1/health/people",
            Some(
                json!({"emd_code": CHEONGUN, "person_name": "최복남", "group": "regular",
                        "registered_on": "2026-08-01"}),
            ),
        )
        .await;
        let person = person["id"].as_i64().unwrap();
        let refer = format!("/api/v1/health/people/{person}/referrals");
        // Only the nurses of the place refer a person in their care.
        for (login, expected) in [("song.nurse", 404), ("kim.welfare", 403)] {
            let token = app.token(login).await;
            let (status, _) = call(
                &app,
                &token,
                "POST",
                &refer,
                Some(json!({"resource_id": meals})),
            )
            .await;
            assert_eq!(status, expected, "{}: {login}", app.engine);
        }
        let (status, referral) = call(
            &app,
            &nurse,
            "POST",
            &refer,
            Some(json!({"resource_id": meals, "note": "거동 불편, 점심 배달"})),
        )
        .await;
        assert_eq!(status, 201, "{referral}");
        let status_of = format!("/api/v1/referrals/{}/status", referral["id"]);
        let (status, out) = call(
            &app,
            &nurse,
            "POST",
            &status_of,
            Some(json!({"status": "accepted", "result": "다음 주부터"})),
        )
        .await;
        assert_eq!((status, out), (200, json!({"status": "accepted"})));

        let http = client();
        log_in(&http, &app.address, "kang.nurse", "/work").await;
        let page = crate::html_of(&http, &app, &format!("/work/health/{person}")).await;
        assert!(page.contains("종로 도시락 배달") && page.contains("다음 주부터"));
        let res = http
            .post(app.url(&format!("/work/health/{person}/referrals")))
            .form(&[
                ("_csrf", csrf_of(&page).as_str()),
                ("resource_id", meals.to_string().as_str()),
                ("note", ""),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success() || res.status().is_redirection());
        let log = crate::logged(&app, &format!("health:{person}")).await;
        let writes = log
            .iter()
            .filter(|e| e.action == maeul_core::audit::AccessAction::Write)
            .count();
        assert!(
            writes >= 4,
            "registration, two referrals, a status: {writes}"
        );
    }
}
