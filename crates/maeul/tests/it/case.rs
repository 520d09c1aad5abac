//! Integrated case management through the API and the pages: who may open, read and move a
//! case, its steps in order, overdue work.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{TestApp, call, client, csrf_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

async fn staff(app: &TestApp) {
    for (login, role, scope) in [
        ("kim.welfare", Role::WelfareStaff, CHEONGUN),
        ("kang.nurse", Role::Nurse, CHEONGUN),
        ("lee.welfare", Role::WelfareStaff, SAJIK),
        ("cho.case", Role::CaseManager, "1111000000"),
        ("yoon.case", Role::CaseManager, "1114000000"),
        ("park.council", Role::CouncilOfficer, CHEONGUN),
        ("han.programme", Role::ProgrammeStaff, "1111000000"),
        ("oh.auditor", Role::Auditor, "1111000000"),
    ] {
        app.add_user(login, role, scope).await;
    }
}

#[tokio::test]
async fn a_case_is_opened_and_moved_on_step_by_step_through_the_api() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kim = app.token("kim.welfare").await;
        let (status, created) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/cases",
            Some(
                json!({"emd_code": CHEONGUN, "person_name": "김순자", "birth_year": 1948,
                        "source": "walk_in", "opened_on": "2026-10-01", "note": "난방비 체납"}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let id = created["id"].as_i64().unwrap();
        let steps = format!("/api/v1/cases/{id}/steps");

        let (status, problem) = call(
            &app,
            &kim,
            "POST",
            &steps,
            Some(json!({"step": "plan", "done_on": "2026-10-05"})),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["field"], "step");
        let (status, problem) = call(
            &app,
            &kim,
            "POST",
            &steps,
            Some(json!({"step": "assessment", "done_on": "2026-10-08", "needs": ["health"]})),
        )
        .await;
        assert_eq!(status, 422, "an assessment without a crisis level");
        assert_eq!(problem["errors"][0]["field"], "needs");
        for body in [
            json!({"step": "assessment", "done_on": "2026-10-08", "needs": ["health", "economy"], "crisis": "high"}),
            json!({"step": "conference", "done_on": "2026-10-12", "note": "주민센터·보건소·복지관 참석"}),
            json!({"step": "classification", "done_on": "2026-10-14", "classification": "high_difficulty"}),
        ] {
            let (status, out) = call(&app, &kim, "POST", &steps, Some(body)).await;
            assert_eq!(status, 201, "{out}");
        }
        let (status, case) = call(&app, &kim, "GET", &format!("/api/v1/cases/{id}"), None).await;
        assert_eq!(status, 200);
        assert_eq!(case["person_name"], "김순자");
        assert_eq!(case["classification"], "high_difficulty");
        assert_eq!(case["next_step"], "plan");
        // Classified on 10-14: 15 days gives 10-29, within 30 days of intake (10-31).
        assert_eq!(case["next_due"], "2026-10-29");
        assert_eq!(case["overdue"], true);
        assert_eq!(case["steps"].as_array().unwrap().len(), 4);
        assert_eq!(case["steps"][1]["needs"], json!(["economy", "health"]));

        // The si/gun/gu case manager takes the high-difficulty case on.
        let cho = app.token("cho.case").await;
        let assign = format!("/api/v1/cases/{id}/assignment");
        let (status, _) = call(
            &app,
            &cho,
            "POST",
            &assign,
            Some(json!({"assigned_to": "lee.welfare"})),
        )
        .await;
        assert_eq!(status, 422, "a welfare worker of another place");
        let (status, _) = call(
            &app,
            &cho,
            "POST",
            &assign,
            Some(json!({"assigned_to": "cho.case"})),
        )
        .await;
        assert_eq!(status, 200);
        let (_, case) = call(&app, &cho, "GET", &format!("/api/v1/cases/{id}"), None).await;
        assert_eq!(case["assigned_to"], "cho.case");
        let (status, list) = call(
            &app,
            &cho,
            "GET",
            "/api/v1/regions/1111000000/cases?hard=1&overdue=1",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(list["total"], 1);
        let (status, _) = call(
            &app,
            &cho,
            "POST",
            &steps,
            Some(json!({"step": "plan", "done_on": "2026-11-20", "note": "주거급여 신청, 방문간호 연계"})),
        )
        .await;
        assert_eq!(status, 201);
        let (_, list) = call(
            &app,
            &cho,
            "GET",
            "/api/v1/regions/1111000000/cases?overdue=1",
            None,
        )
        .await;
        assert_eq!(
            list["total"], 0,
            "the plan moved the deadline to monitoring: {list}"
        );
        let (status, _) = call(
            &app,
            &cho,
            "GET",
            "/api/v1/regions/1111000000/cases?overdue=",
            None,
        )
        .await;
        assert_eq!(status, 422, "the API takes no empty flag");
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            &steps,
            Some(json!({"step": "closure", "done_on": "2026-11-20", "closure_reason": "goal_achieved"})),
        )
        .await;
        assert_eq!(status, 201);
        let (_, open) = call(
            &app,
            &kim,
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/cases?open=1"),
            None,
        )
        .await;
        assert_eq!(open["total"], 0);

        let auditor = app.token("oh.auditor").await;
        let (_, log) = call(
            &app,
            &auditor,
            "GET",
            &format!("/api/v1/access-log?subject=case:{id}"),
            None,
        )
        .await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&"read") && actions.contains(&"write"),
            "{actions:?}"
        );
    }
}

#[tokio::test]
async fn only_the_place_and_its_case_managers_see_a_case() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kim = app.token("kim.welfare").await;
        let (_, created) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/cases",
            Some(
                json!({"emd_code": CHEONGUN, "person_name": "박영호", "source": "referral",
                        "opened_on": "2026-11-20"}),
            ),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let read = format!("/api/v1/cases/{id}");
        let step = json!({"step": "assessment", "done_on": "2026-11-21", "needs": ["safety"], "crisis": "low"});
        // (log-in, read, list of the place, record a step, open a case in 청운효자동)
        for (login, expected) in [
            ("cho.case", (200, 200, 201, 201)),
            ("kang.nurse", (404, 200, 403, 403)),
            ("lee.welfare", (404, 403, 404, 403)),
            ("yoon.case", (404, 403, 404, 403)),
            ("park.council", (403, 403, 403, 403)),
            ("han.programme", (403, 403, 403, 403)),
            ("oh.auditor", (403, 403, 403, 403)),
        ] {
            let token = app.token(login).await;
            let (r, _) = call(&app, &token, "GET", &read, None).await;
            let (l, list) = call(
                &app,
                &token,
                "GET",
                &format!("/api/v1/regions/{CHEONGUN}/cases"),
                None,
            )
            .await;
            let (s, _) = call(
                &app,
                &token,
                "POST",
                &format!("{read}/steps"),
                Some(step.clone()),
            )
            .await;
            let (o, _) = call(
                &app,
                &token,
                "POST",
                "/api/v1/cases",
                Some(json!({"emd_code": CHEONGUN, "person_name": "이", "source": "walk_in"})),
            )
            .await;
            assert_eq!((r, l, s, o), expected, "{}: {login}", app.engine);
            if login == "kang.nurse" {
                assert_eq!(
                    list["total"], 0,
                    "nurses list only the cases assigned to them"
                );
            }
        }
        // Assigned to the nurse of the place, the case becomes hers to read.
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            &format!("{read}/assignment"),
            Some(json!({"assigned_to": "kang.nurse"})),
        )
        .await;
        assert_eq!(status, 200);
        let nurse = app.token("kang.nurse").await;
        let (status, case) = call(&app, &nurse, "GET", &read, None).await;
        assert_eq!((status, &case["person_name"]), (200, &json!("박영호")));
        let (_, list) = call(
            &app,
            &nurse,
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/cases"),
            None,
        )
        .await;
        assert_eq!(list["total"], 1);
        let anonymous = client().get(app.url(&read)).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
    }
}

#[tokio::test]
async fn staff_open_and_work_a_case_in_the_pages() {
    for app in spawn_apps().await {
        staff(&app).await;
        let http = client();
        log_in(&http, &app.address, "kim.welfare", "/work").await;
        let form = http.get(app.url("/work/cases/new")).send().await.unwrap();
        assert_eq!(form.status(), 200);
        let form = form.text().await.unwrap();
        assert!(
            form.contains("서울특별시 종로구 청운효자동"),
            "{}",
            app.engine
        );
        let csrf = csrf_of(&form);
        let open = |name: &'static str| {
            http.post(app.url("/work/cases/new"))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("emd_code", CHEONGUN),
                    ("person_name", name),
                    ("birth_year", "1950"),
                    ("source", "walk_in"),
                    ("opened_on", "2026-10-01"),
                    ("note", "초기상담"),
                    ("candidate_id", ""),
                ])
                .send()
        };
        let res = open("").await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("form-hint-invalid"));
        let res = open("정말순").await.unwrap();
        assert_eq!(res.status(), 303);
        let url = app.url(res.headers()["location"].to_str().unwrap());
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("정말순") && page.contains("욕구·위기도 조사"));
        assert!(
            page.contains("기한 경과"),
            "assessment was due on 2026-10-11"
        );

        let res = http
            .post(format!("{url}/steps"))
            .body(format!(
                "_csrf={csrf}&step=assessment&done_on=2026-10-09&needs=health&needs=housing&crisis=medium"
            ))
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("건강, 생활환경(주거)") && page.contains("중"));

        let list = http
            .get(app.url(&format!("/work/cases?region={CHEONGUN}&open=1")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            list.contains("정**") && !list.contains("정말순"),
            "names are masked in lists"
        );
        let home = http
            .get(app.url("/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("기한이 지난 단계 1건"),
            "the conference was due on 2026-10-14"
        );

        // Classified high-difficulty, the case waits for the si/gun/gu; a case manager takes it.
        for body in [
            "step=conference&done_on=2026-10-10",
            "step=classification&done_on=2026-10-11&classification=high_difficulty",
        ] {
            let res = http
                .post(format!("{url}/steps"))
                .body(format!("_csrf={csrf}&{body}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303, "{body}");
        }
        let manager = client();
        log_in(&manager, &app.address, "cho.case", "/work").await;
        let home = manager
            .get(app.url("/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("고난도사례 1건"), "{home}");
        let page = manager
            .get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mine = page
            .split("<option value=\"")
            .find(|o| o.contains("(cho.case)"))
            .and_then(|o| o.split('"').next())
            .unwrap()
            .to_owned();
        let res = manager
            .post(format!("{url}/assignment"))
            .form(&[
                ("_csrf", csrf_of(&page).as_str()),
                ("worker", mine.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let home = manager
            .get(app.url("/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!home.contains("고난도사례 1건"), "taken on");
        let res = manager
            .post(format!("{url}/assignment"))
            .form(&[("_csrf", csrf_of(&page).as_str()), ("worker", "999")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            422,
            "only staff of the place or its case managers"
        );

        let council = client();
        log_in(&council, &app.address, "park.council", "/work").await;
        assert_eq!(council.get(&url).send().await.unwrap().status(), 403);
    }
}

#[tokio::test]
async fn councils_see_the_local_picture_in_counts_with_small_ones_withheld() {
    for app in spawn_apps().await {
        staff(&app).await;
        app.add_user("jung.resident", Role::Resident, CHEONGUN)
            .await;
        let kim = app.token("kim.welfare").await;
        for (i, extra) in ["housing", "economy", "", "", ""].into_iter().enumerate() {
            let (_, created) = call(
                &app,
                &kim,
                "POST",
                "/api/v1/cases",
                Some(
                    json!({"emd_code": CHEONGUN, "person_name": format!("주민{i}"),
                            "source": "walk_in", "opened_on": "2026-11-01"}),
                ),
            )
            .await;
            let needs: Vec<&str> = ["health"]
                .into_iter()
                .chain((!extra.is_empty()).then_some(extra))
                .collect();
            let (status, _) = call(
                &app,
                &kim,
                "POST",
                &format!("/api/v1/cases/{}/steps", created["id"]),
                Some(json!({"step": "assessment", "done_on": "2026-11-05", "needs": needs, "crisis": "medium"})),
            )
            .await;
            assert_eq!(status, 201);
        }
        let council = app.token("park.council").await;
        let (status, area) = call(
            &app,
            &council,
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/welfare-area"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{}: {area}", app.engine);
        assert_eq!(area["cases"]["open"], 5);
        assert_eq!(
            area["cases"]["by_need"][0],
            json!({"code": "health", "name": "건강", "count": 5})
        );
        assert_eq!(
            area["cases"]["by_need"][1]["count"],
            Value::Null,
            "one case: withheld"
        );
        assert_eq!(area["cases"]["high_difficulty"], Value::Null);
        assert!(!area.to_string().contains("주민"), "no names");
        let (status, _) = call(
            &app,
            &council,
            "GET",
            "/api/v1/regions/1111000000/welfare-area",
            None,
        )
        .await;
        assert_eq!(status, 403, "a council sees its own place");
        let programme = app.token("han.programme").await;
        let (status, gu) = call(
            &app,
            &programme,
            "GET",
            "/api/v1/regions/1111000000/welfare-area",
            None,
        )
        .await;
        assert_eq!((status, &gu["cases"]["open"]), (200, &json!(5)));
        for login in ["jung.resident", "oh.auditor"] {
            let token = app.token(login).await;
            let (status, _) = call(
                &app,
                &token,
                "GET",
                &format!("/api/v1/regions/{CHEONGUN}/welfare-area"),
                None,
            )
            .await;
            assert_eq!(status, 403, "{login}");
        }
        let http = client();
        log_in(&http, &app.address, "park.council", "/work").await;
        let page = http
            .get(app.url("/work/area"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("지역 복지 분석") && page.contains("건강") && page.contains("5 미만")
        );
    }
}
