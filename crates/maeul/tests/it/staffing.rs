//! Staffing: programme staff keep the posts whose quota their scope holds, placed as the
//! manual's table says; anyone reads the headcount, which adds up at every level.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, spawn_apps};

const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";
const BUSAN_DONG: &str = "2611051000";

#[tokio::test]
async fn programme_staff_keep_posts_by_the_manuals_table_and_headcounts_add_up() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        let gu = app.token("yoon.programme").await;
        let busan = app.token("busan.programme").await;
        let officer = app.token("park.officer").await;
        let posts = |code: &str| format!("/api/v1/regions/{code}/staff-posts");

        let welfare = json!({"kind": "welfare", "holder": "정복지", "since": "2024-01-02"});
        for (token, expected) in [(&officer, 403), (&busan, 403)] {
            let (status, _) =
                call(&app, token, "POST", &posts(CHEONGUN), Some(welfare.clone())).await;
            assert_eq!(status, expected, "only programme staff over the quota");
        }
        for (code, body, field) in [
            (JONGNO, json!({"kind": "welfare"}), "kind"),
            (CHEONGUN, json!({"kind": "nurse"}), "kind"),
            (CHEONGUN, json!({"kind": "programme"}), "kind"),
            (
                JONGNO,
                json!({"kind": "programme", "placement_code": CHEONGUN}),
                "placement_code",
            ),
            (JONGNO, json!({"kind": "nurse"}), "placement_code"),
            (
                JONGNO,
                json!({"kind": "nurse", "placement_code": BUSAN_DONG}),
                "placement_code",
            ),
            (
                CHEONGUN,
                json!({"kind": "autonomy", "placement_code": SAJIK}),
                "placement_code",
            ),
            (
                CHEONGUN,
                json!({"kind": "welfare", "holder": "가".repeat(51)}),
                "holder",
            ),
            (
                CHEONGUN,
                json!({"kind": "welfare", "since": "2024-01-02"}),
                "since",
            ),
            (CHEONGUN, json!({"kind": "cook"}), "kind"),
        ] {
            let (status, problem) = call(&app, &gu, "POST", &posts(code), Some(body.clone())).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{body}: {problem}"
            );
        }
        let (status, list) = call(&app, &gu, "GET", &posts(JONGNO), None).await;
        assert_eq!(
            (status, list["total"].clone()),
            (200, json!(0)),
            "refusals change nothing"
        );

        let (status, post) = call(&app, &gu, "POST", &posts(CHEONGUN), Some(welfare.clone())).await;
        assert_eq!(status, 201, "{}: {post}", app.engine);
        assert_eq!(
            (
                post["quota_unit"].clone(),
                post["placement_unit"].clone(),
                post["placement_name"].clone()
            ),
            (
                json!("community_centre"),
                json!("visiting_team"),
                json!("서울특별시 종로구 청운효자동")
            )
        );
        let (status, vacancy) = call(
            &app,
            &gu,
            "POST",
            &posts(CHEONGUN),
            Some(json!({"kind": "welfare", "holder": " "})),
        )
        .await;
        assert_eq!((status, vacancy["vacant"].clone()), (201, json!(true)));
        let (status, nurse) = call(
            &app,
            &gu,
            "POST",
            &posts(JONGNO),
            Some(json!({"kind": "nurse", "placement_code": SAJIK, "holder": "한간호"})),
        )
        .await;
        assert_eq!(
            (status, nurse["quota_unit"].clone()),
            (201, json!("health_centre"))
        );
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &posts(JONGNO),
            Some(json!({"kind": "programme", "holder": "윤총괄"})),
        )
        .await;
        assert_eq!(status, 201);
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &posts(SAJIK),
            Some(json!({"kind": "autonomy"})),
        )
        .await;
        assert_eq!(status, 201);

        let (_, list) = call(&app, &gu, "GET", &posts(JONGNO), None).await;
        assert_eq!(list["total"], 5);
        let (_, nurses) = call(
            &app,
            &gu,
            "GET",
            &format!("{}?kind=nurse", posts(SAJIK)),
            None,
        )
        .await;
        assert_eq!(nurses["total"], 1, "a place lists the nurse placed there");
        let (_, vacant) = call(
            &app,
            &gu,
            "GET",
            &format!("{}?vacant=1", posts(JONGNO)),
            None,
        )
        .await;
        assert_eq!(vacant["total"], 2);
        let (status, _) = call(&app, &busan, "GET", &posts(JONGNO), None).await;
        assert_eq!(status, 403);
        let (status, problem) = call(
            &app,
            &gu,
            "GET",
            &format!("{}?vacant=yes", posts(JONGNO)),
            None,
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("vacant"))
        );
        for empty in ["vacant=", "kind="] {
            let (status, _) = call(
                &app,
                &gu,
                "GET",
                &format!("{}?{empty}", posts(JONGNO)),
                None,
            )
            .await;
            assert_eq!(status, 422, "the API takes no empty parameter: {empty}");
        }

        // Headcount: public, each post where its quota is held; a level is its own posts plus
        // the sum of the level below.
        let (status, gu_count) =
            anonymous(&app, &format!("/api/v1/regions/{JONGNO}/staffing")).await;
        assert_eq!(status, 200);
        assert_eq!(
            gu_count["counts"]["total"],
            json!({"posts": 5, "filled": 3, "vacant": 2})
        );
        assert_eq!(
            gu_count["own"]["nurse"]["posts"], 1,
            "the health centre's nurse"
        );
        assert_eq!(gu_count["own"]["programme"]["posts"], 1);
        let dongs = app
            .store
            .org_models()
            .places(&maeul_core::region::RegionCode::parse(JONGNO).unwrap())
            .await
            .unwrap()
            .len();
        assert_eq!(
            gu_count["below"].as_array().unwrap().len(),
            dongs,
            "every dong has its row, zeros too"
        );
        for kind in ["programme", "welfare", "nurse", "autonomy", "total"] {
            for key in ["posts", "filled", "vacant"] {
                let below: i64 = gu_count["below"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| b["counts"][kind][key].as_i64().unwrap())
                    .sum();
                assert_eq!(
                    below + gu_count["own"][kind][key].as_i64().unwrap(),
                    gu_count["counts"][kind][key].as_i64().unwrap(),
                    "{kind} {key}"
                );
            }
        }
        let (_, nation) = anonymous(&app, "/api/v1/regions/0000000000/staffing").await;
        assert_eq!(nation["counts"]["total"]["posts"], 5);
        let seoul: i64 = nation["below"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["counts"]["total"]["posts"].as_i64().unwrap())
            .sum();
        assert_eq!(seoul, 5);

        // Fill the vacancy, then take a post off.
        let id = vacancy["id"].as_i64().unwrap();
        let (status, filled) = call(
            &app,
            &gu,
            "PUT",
            &format!("/api/v1/staff-posts/{id}"),
            Some(json!({"holder": "이복지", "since": "2025-03-01"})),
        )
        .await;
        assert_eq!((status, filled["holder"].clone()), (200, json!("이복지")));
        let (status, _) = call(
            &app,
            &busan,
            "PUT",
            &format!("/api/v1/staff-posts/{id}"),
            Some(json!({"holder": "남"})),
        )
        .await;
        assert_eq!(status, 404, "outside the scope");
        let (status, _) = call(
            &app,
            &gu,
            "DELETE",
            &format!("/api/v1/staff-posts/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (_, after) = anonymous(&app, &format!("/api/v1/regions/{JONGNO}/staffing")).await;
        assert_eq!(
            after["counts"]["total"],
            json!({"posts": 4, "filled": 3, "vacant": 1})
        );

        let xlsx = client()
            .get(app.url(&format!("/staffing/{JONGNO}?format=xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        assert!(
            xlsx.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
    }
}

#[tokio::test]
async fn the_roster_page_adds_a_nurse_and_fills_a_vacancy() {
    let app = crate::spawn_app().await;
    app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
        .await;
    let staff = client();
    crate::log_in(&staff, &app.address, "yoon.programme", "/work").await;
    let home = staff
        .get(app.url("/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(&format!("/work/staffing/{JONGNO}")),
        "a shortcut on the workspace home"
    );
    let roster = format!("/work/staffing/{JONGNO}");
    let page = staff
        .get(app.url(&roster))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::csrf_of(&page);
    let refused = staff
        .post(app.url(&roster))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "nurse"),
            ("place", JONGNO),
            ("holder", "한간호"),
            ("since", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        422,
        "a nurse is placed in an eup/myeon/dong"
    );
    let html = refused.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("value=\"한간호\""));
    let added = staff
        .post(app.url(&roster))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("kind", "nurse"),
            ("place", SAJIK),
            ("holder", ""),
            ("since", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let page = staff
        .get(app.url(&format!("{roster}?vacant=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = page
        .split("href=\"/work/staff-posts/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the vacancy is listed");
    let filled = staff
        .post(app.url(&format!("/work/staff-posts/{href}")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("holder", "한간호"),
            ("since", "2025-03-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(filled.status(), 303);
    let (_, count) = anonymous(&app, &format!("/api/v1/regions/{JONGNO}/staffing")).await;
    assert_eq!(
        count["counts"]["nurse"],
        json!({"posts": 1, "filled": 1, "vacant": 0})
    );
    let public = client()
        .get(app.url(&format!("/staffing/{JONGNO}")))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 200);
}
