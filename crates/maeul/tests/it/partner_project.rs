//! Projects of private support organisations: recorded by the officials of the target area's
//! scope, read by everyone, saved whole over the revision read, their lists checked entry by
//! entry and the page's lines named by number.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{anonymous, call, client, csrf_of, html_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";

fn project(consultants: Vec<i64>) -> Value {
    json!({"title": "골목 돌봄 마을", "organisation": "마을지원센터",
           "selected_on": "2026-03-02", "selected_with": ["종로구", "청운효자동 주민자치회"],
           "stage": "agenda", "agenda": "혼자 사는 어르신 돌봄",
           "actors": ["청운경로당", "마을 협동조합"], "resources": ["주민센터 3층 강당"],
           "funds": [{"source": "사회복지공동모금회", "kind": "private_fund", "amount_won": 30000000},
                     {"source": "행정안전부 공모", "kind": "grant_call", "amount_won": 0}],
           "consultants": consultants})
}

#[tokio::test]
async fn a_place_records_a_partner_project_and_keeps_it_up_to_date() {
    for app in spawn_apps().await {
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2600000000")
            .await;
        app.add_user("park.resident", Role::Resident, CHEONGUN)
            .await;
        let place = app.token("kim.autonomy").await;
        let gu = app.token("yoon.programme").await;
        let seoul = app.token("seoul.programme").await;
        let busan = app.token("busan.programme").await;
        let resident = app.token("park.resident").await;
        let (_, expert) = call(
            &app,
            &seoul,
            "POST",
            "/api/v1/regions/1100000000/experts",
            Some(
                json!({"name": "한공론", "specialties": ["community_planning"],
                        "email": "han@example.org"}),
            ),
        )
        .await;
        let expert = expert["id"].as_i64().unwrap();
        let record = format!("/api/v1/regions/{CHEONGUN}/partner-projects");

        for (field, value, wrong) in [
            ("title", json!(" "), "title"),
            ("selected_on", json!("2999-01-01"), "selected_on"),
            ("selected_with", json!([]), "selected_with"),
            (
                "selected_with",
                json!(["종로구", " 종로구"]),
                "selected_with[1]",
            ),
            ("actors", json!(["a", "b\nc"]), "actors[1]"),
            (
                "funds",
                json!([{"source": "s", "kind": "private_fund", "amount_won": -1}]),
                "funds[0]",
            ),
            (
                "funds",
                json!([{"source": "s", "kind": "loan", "amount_won": 1}]),
                "funds[0].kind",
            ),
            ("consultants", json!([999_999]), "consultants[0]"),
            ("mou_id", json!(999_999), "mou_id"),
            ("stage", json!("done"), "stage"),
        ] {
            let mut bad = project(vec![]);
            bad[field] = value;
            let (status, problem) = call(&app, &place, "POST", &record, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        for token in [&busan, &resident] {
            assert_eq!(
                call(&app, token, "POST", &record, Some(project(vec![])))
                    .await
                    .0,
                403
            );
        }
        let (status, created) =
            call(&app, &place, "POST", &record, Some(project(vec![expert]))).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        assert_eq!(
            (
                created["funded"]["private_fund"].as_i64(),
                created["consultants"][0]["name"].as_str(),
                created["revision"].as_i64()
            ),
            (Some(30_000_000), Some("한공론"), Some(0))
        );
        let id = created["id"].as_i64().unwrap();

        // Everyone reads it, from the place or above.
        let (_, list) = anonymous(&app, "/api/v1/partner-projects?region=1100000000").await;
        assert_eq!(list["total"], 1);
        assert_eq!(
            anonymous(&app, "/api/v1/partner-projects?region=2600000000")
                .await
                .1["total"],
            0
        );

        // Saved whole over the revision read; a save over a replaced version is refused.
        let one = format!("/api/v1/partner-project-entries/{id}");
        let mut next = project(vec![expert]);
        next["stage"] = json!("survey");
        next["resources"] = json!(["주민센터 3층 강당", "마을 정원", "빈 점포 2곳"]);
        assert_eq!(
            call(&app, &gu, "PUT", &one, Some(next.clone())).await.1["errors"][0]["field"],
            "revision"
        );
        next["revision"] = json!(0);
        assert_eq!(
            call(&app, &busan, "PUT", &one, Some(next.clone())).await.0,
            403
        );
        let (status, saved) = call(&app, &gu, "PUT", &one, Some(next.clone())).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(
            (saved["stage"].as_str(), saved["revision"].as_i64()),
            (Some("survey"), Some(1))
        );
        let (status, problem) = call(&app, &place, "PUT", &one, Some(next)).await;
        assert_eq!(
            (status, problem["type"].as_str()),
            (409, Some("urn:maeul:problem:partner-project-changed"))
        );
        assert_eq!(
            anonymous(&app, &format!("/api/v1/partner-projects/{id}"))
                .await
                .1["resources"]
                .as_array()
                .map(Vec::len),
            Some(3)
        );

        // The pages: one entry to a line, a fund line naming its number; the edit keeps what
        // was typed and sends the revision back.
        let http = client();
        log_in(&http, &app.address, "kim.autonomy", "/work").await;
        let list = html_of(&http, &app, &format!("/r/{CHEONGUN}/partner-projects")).await;
        assert!(list.contains("골목 돌봄 마을") && list.contains("한공론"));
        // A consultant taken out of the pool no longer shows on the public project.
        app.store.experts().remove(expert).await.unwrap();
        let (_, public) = anonymous(&app, &format!("/api/v1/partner-projects/{id}")).await;
        assert_eq!(public["consultants"], json!([]));
        let csrf = csrf_of(&list);
        let form = |funds: &'static str| {
            vec![
                ("_csrf", csrf.clone()),
                ("title", "빈 점포 마을 부엌".to_owned()),
                ("organisation", "마을지원센터".to_owned()),
                ("selected_on", "2026-05-01".to_owned()),
                (
                    "selected_with",
                    "종로구\n청운효자동 주민자치회\n".to_owned(),
                ),
                ("stage", "selection".to_owned()),
                ("agenda", String::new()),
                ("actors", "청년 모임\n\n부녀회".to_owned()),
                ("resources", String::new()),
                ("private_funds", funds.to_owned()),
                ("grant_funds", "행정안전부 공모 | 5천만".to_owned()),
                ("consultant", String::new()),
                ("mou_id", String::new()),
            ]
        };
        let res = http
            .post(app.url(&format!("/work/regions/{CHEONGUN}/partner-projects")))
            .form(&form("모금회 | 30,000,000\n마을 기업 | 많이"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(
            refused.contains("빈 점포 마을 부엌")
                && refused.contains("금액을 읽을 수 없습니다")
                && refused.contains("2번째 줄"),
            "{refused}"
        );
        let res = http
            .post(app.url(&format!("/work/regions/{CHEONGUN}/partner-projects")))
            .form(&form("모금회 | 30,000,000\n\n | 100"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(
            res.text().await.unwrap().contains("3번째 줄"),
            "the line as the box shows it, the blank one counted"
        );
        let res = http
            .post(app.url(&format!("/work/regions/{CHEONGUN}/partner-projects")))
            .form(&form("모금회 | 30,000,000"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let at = res.headers()["location"].to_str().unwrap().to_owned();
        let (_, made) = anonymous(&app, &format!("/api/v1{at}")).await;
        assert_eq!(
            (
                made["actors"].clone(),
                made["funded"]["grant_call"].as_i64()
            ),
            (json!(["청년 모임", "부녀회"]), Some(50_000_000))
        );
        let id = made["id"].as_i64().unwrap();
        let edit = html_of(&http, &app, &format!("/work/partner-projects/{id}")).await;
        assert!(edit.contains("name=\"revision\" value=\"0\"") && edit.contains("30,000,000"));
        let shown = html_of(&client(), &app, &at).await;
        assert!(shown.contains("부녀회") && !shown.contains("/work/partner-projects/"));
    }
}
