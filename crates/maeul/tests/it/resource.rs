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
