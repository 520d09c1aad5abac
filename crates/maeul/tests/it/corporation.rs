//! Execution organisations: registered by the council, their contracts and reports public, kept
//! only by the place's officers; a contract carries out only an adopted plan item of the place.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";
const BUSAN: &str = "2611051000";

#[tokio::test]
async fn a_council_registers_organisations_that_carry_out_its_projects() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, BUSAN)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        let officer = app.token("park.officer").await;
        let busan = app.token("busan.officer").await;
        let resident = app.token("kim.resident").await;

        let register = format!("/api/v1/regions/{CHEONGUN}/corporation-registrations");
        let org = json!({"name": "청운마을 사회적협동조합", "kind": "social_cooperative",
                         "registration_no": "110111-2345678", "representative": "김대표",
                         "founded_on": "2021-03-02", "contact": "02-000-0000"});
        let (status, _) = call(&app, &resident, "POST", &register, Some(org.clone())).await;
        assert_eq!(status, 403);
        let (status, _) = call(&app, &busan, "POST", &register, Some(org.clone())).await;
        assert_eq!(status, 403, "another place's council");
        for (field, value) in [
            ("registration_no", json!("12345")),
            ("kind", json!("company")),
            ("representative", json!(" ")),
            ("founded_on", json!("2021-02-30")),
        ] {
            let mut bad = org.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &officer, "POST", &register, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let (status, created) = call(&app, &officer, "POST", &register, Some(org.clone())).await;
        assert_eq!(status, 201, "{created}");
        let (status, problem) = call(&app, &officer, "POST", &register, Some(org.clone())).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("name")),
            "one name per place"
        );
        let id = created["id"].as_i64().unwrap();

        let contracts = format!("/api/v1/corporations/{id}/contracts");
        let contract = json!({"title": "골목 화단 관리 위탁", "kind": "commissioned",
                              "amount": 3_000_000, "starts_on": "2026-04-01",
                              "ends_on": "2026-11-30"});
        let (status, _) = call(&app, &busan, "POST", &contracts, Some(contract.clone())).await;
        assert_eq!(status, 404, "another place's organisation");
        let mut backwards = contract.clone();
        backwards["ends_on"] = json!("2026-03-01");
        let (status, problem) = call(&app, &officer, "POST", &contracts, Some(backwards)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("ends_on"))
        );
        let mut elsewhere = contract.clone();
        elsewhere["plan_item_id"] = json!(999_999);
        let (status, problem) = call(&app, &officer, "POST", &contracts, Some(elsewhere)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("plan_item_id")),
            "only an adopted item of the place"
        );
        let (status, k) = call(&app, &officer, "POST", &contracts, Some(contract)).await;
        assert_eq!(status, 201, "{k}");

        let reports = format!("/api/v1/corporation-contracts/{}/reports", k["id"]);
        let (status, _) = call(&app, &busan, "POST", &reports, Some(json!({"body": "x"}))).await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            "/api/v1/corporation-contracts/999999/reports",
            Some(json!({"body": "x"})),
        )
        .await;
        assert_eq!(status, 404);
        for (body, spent) in [
            ("4월 식재 완료", 1_200_000),
            ("10월 가을 식재 완료", 2_900_000),
        ] {
            let (status, _) = call(
                &app,
                &officer,
                "POST",
                &reports,
                Some(json!({"body": body, "spent": spent})),
            )
            .await;
            assert_eq!(status, 201);
        }

        let res = client()
            .get(app.url(&format!("/api/v1/corporations/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let shown: Value = res.json().await.unwrap();
        assert_eq!(shown["corporation"]["registration_no"], "1101112345678");
        assert_eq!(shown["corporation"]["amount"], 3_000_000);
        let c = &shown["contracts"][0];
        assert_eq!(c["spent"], 2_900_000, "the latest report's spending");
        assert_eq!(c["reports"][0]["body"], "10월 가을 식재 완료");
        let res = client()
            .get(app.url(&format!("/api/v1/regions/{CHEONGUN}/corporations")))
            .send()
            .await
            .unwrap();
        let list: Value = res.json().await.unwrap();
        assert_eq!(list["items"][0]["contracts"], 1);

        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &format!("/api/v1/corporations/{id}/registry"),
            Some(
                json!({"name": "청운마을 사회적협동조합", "kind": "social_cooperative",
                        "representative": "이대표"}),
            ),
        )
        .await;
        assert_eq!(status, 204);
        let page = client()
            .get(app.url(&format!("/r/{CHEONGUN}/corporations/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("이대표") && page.contains("10월 가을 식재 완료"),
            "{page}"
        );
        assert!(!page.contains("계약 기록"), "no forms for the public");
    }
}
