//! Discovery rounds in the workspace: who sees a listed household, visits, summaries, pages.

use maeul_core::account::Role;
use maeul_core::welfare::discovery::RoundName;
use maeul_store::account::Actor;
use maeul_store::welfare::discovery::{NewCandidate, NewRound};
use serde_json::{Value, json};

use crate::{TestApp, client, csrf_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

/// Six households listed in 청운효자동 and one in 사직동, with staff of every kind.
async fn round(app: &TestApp) -> i64 {
    let candidate = |emd: &str, rank: i64, id: String| NewCandidate {
        emd_code: emd.into(),
        rank,
        household_id: id,
        members: 1,
        head_age: 84,
        tags: vec!["elderly_alone".into()],
        probability: 0.9 - rank as f64 / 100.0,
        reasons: vec!["ELEC_CUT".into(), "HI_ARREARS".into()],
    };
    let mut candidates: Vec<_> = (1..=6)
        .map(|r| candidate(CHEONGUN, r, format!("HHCH{r:04}")))
        .collect();
    candidates.push(candidate(SAJIK, 1, "HHSJ0001".into()));
    let id = app
        .store
        .discovery()
        .load(
            NewRound {
                name: RoundName::parse("2026-6차").unwrap(),
                model_name: "baseline".into(),
                model_version: 1,
                model_toml: String::new(),
                as_of: "2026-11-01".into(),
                opens_on: time::macros::date!(2026 - 09 - 01),
                digest: "test".into(),
                indicators: vec![
                    ("ELEC_CUT".into(), "단전".into(), 1.2),
                    ("HI_ARREARS".into(), "건강보험료 체납(개월)".into(), 0.35),
                ],
                candidates,
            },
            Actor::cli(),
        )
        .await
        .unwrap()
        .id();
    for (login, role, scope) in [
        ("kim.welfare", Role::WelfareStaff, CHEONGUN),
        ("kang.nurse", Role::Nurse, CHEONGUN),
        ("lee.welfare", Role::WelfareStaff, SAJIK),
        ("cho.case", Role::CaseManager, "1111000000"),
        ("yoon.case", Role::CaseManager, "1114000000"),
        ("park.council", Role::CouncilOfficer, CHEONGUN),
        ("choi.autonomy", Role::AutonomyStaff, CHEONGUN),
        ("han.programme", Role::ProgrammeStaff, "1111000000"),
        ("im.ministry", Role::Ministry, "0000000000"),
        ("oh.auditor", Role::Auditor, "1111000000"),
        ("seo.admin", Role::Admin, "0000000000"),
        ("jung.resident", Role::Resident, CHEONGUN),
    ] {
        app.add_user(login, role, scope).await;
    }
    id
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let res = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let res = client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn place_staff_read_the_list_record_visits_and_every_read_is_logged() {
    for app in spawn_apps().await {
        let round = round(&app).await;
        let kim = app.token("kim.welfare").await;
        let (status, list) = get(
            &app,
            &kim,
            &format!("/api/v1/regions/{CHEONGUN}/candidates?round={round}&per_page=4"),
        )
        .await;
        assert_eq!(status, 200, "{}: {list}", app.engine);
        assert_eq!(list["total"], 6);
        let first = &list["items"][0];
        assert_eq!(first["household_id"], "HHCH0001");
        assert_eq!(first["rank"], 1);
        assert_eq!(
            first["reasons"][0],
            json!({"code": "ELEC_CUT", "name": "단전"})
        );
        assert_eq!(first["status"], "listed");
        assert_eq!(first["due_on"], "2026-10-27");
        assert_eq!(
            first["overdue"], true,
            "the window of 2026-09-01 has closed"
        );
        let id = first["id"].as_i64().unwrap();

        let path = format!("/api/v1/candidates/{id}/visits");
        let (status, problem) = post(
            &app,
            &kim,
            &path,
            json!({"visited_on": "2026-11-20", "outcome": "helped", "note": ""}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["field"], "outcome");
        let (status, _) = post(
            &app,
            &kim,
            &path,
            json!({"visited_on": "2999-01-01", "outcome": "refused"}),
        )
        .await;
        assert_eq!(status, 422, "a visit in the future");
        let (status, problem) = post(
            &app,
            &kim,
            &path,
            json!({"visited_on": "2026-11-20", "outcome": "refused", "domains": ["care"]}),
        )
        .await;
        assert_eq!(status, 422, "not a configured needs domain");
        assert_eq!(problem["errors"][0]["field"], "domains");
        let (status, created) = post(
            &app,
            &kim,
            &path,
            json!({"visited_on": "2026-11-20", "outcome": "public_emergency", "note": "긴급지원 신청 안내",
                   "domains": ["housing", "health", "economy"]}),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        assert!(created["id"].as_i64().is_some());

        let assign = format!("/api/v1/candidates/{id}/assignment");
        let (status, body) = post(&app, &kim, &assign, json!({"assigned_to": "kang.nurse"})).await;
        assert_eq!((status, body), (200, json!({"assigned_to": "kang.nurse"})));
        let (status, problem) =
            post(&app, &kim, &assign, json!({"assigned_to": "lee.welfare"})).await;
        assert_eq!(status, 422, "a worker of another place");
        assert_eq!(problem["errors"][0]["field"], "assigned_to");

        let (status, detail) = get(&app, &kim, &format!("/api/v1/candidates/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(detail["assigned_to"], "kang.nurse");
        assert_eq!(detail["status"], "visited");
        assert_eq!(detail["outcome"], "public_emergency");
        assert_eq!(detail["household"]["members"], 1);
        assert_eq!(detail["household"]["head_age"], 84);
        assert_eq!(detail["household"]["tags"], json!(["elderly_alone"]));
        assert_eq!(
            detail["visits"].as_array().unwrap().len(),
            1,
            "the refused ones changed nothing"
        );
        assert_eq!(detail["visits"][0]["note"], "긴급지원 신청 안내");
        assert_eq!(
            detail["visits"][0]["domains"],
            json!(["health", "economy", "housing"]),
            "the comprehensive counselling's domains, in the configured order"
        );

        // The visit found a need a local service meets: the household is referred to it.
        let programme = app.token("han.programme").await;
        let (status, service) = post(
            &app,
            &programme,
            "/api/v1/resources",
            json!({"area_code": "1111000000", "name": "종로 푸드마켓", "category": "food", "sector": "private"}),
        )
        .await;
        assert_eq!(status, 201, "{service}");
        let (status, referral) = post(
            &app,
            &kim,
            &format!("/api/v1/candidates/{id}/referrals"),
            json!({"resource_id": service["id"], "note": "주 1회 식품"}),
        )
        .await;
        assert_eq!(status, 201, "{referral}");
        let status_path = format!("/api/v1/referrals/{}/status", referral["id"]);
        let nurse = app.token("kang.nurse").await;
        let (status, _) = post(&app, &nurse, &status_path, json!({"status": "accepted"})).await;
        assert_eq!(
            status, 200,
            "a nurse of the place follows the household's referral"
        );
        let other = app.token("lee.welfare").await;
        let (status, _) = post(&app, &other, &status_path, json!({"status": "completed"})).await;
        assert_eq!(status, 404, "not a household of their place");
        let (status, _) = post(
            &app,
            &other,
            &format!("/api/v1/candidates/{id}/referrals"),
            json!({"resource_id": service["id"]}),
        )
        .await;
        assert_eq!(status, 404);

        let auditor = app.token("oh.auditor").await;
        let (_, log) = get(
            &app,
            &auditor,
            &format!("/api/v1/access-log?subject=candidate:{id}"),
        )
        .await;
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions.iter().filter(|a| **a == "read").count(),
            2,
            "{}: list and detail reads: {actions:?}",
            app.engine
        );
        assert!(actions.contains(&"write"));
        assert!(
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["action"] == "read")
                .all(|e| e["user"] == "kim.welfare")
        );
        assert!(
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["user"] == "kang.nurse" && e["action"] == "write"),
            "the nurse's update of the referral is a change of the household"
        );
    }
}

#[tokio::test]
async fn only_the_place_staff_and_the_case_manager_ever_see_a_household() {
    for app in spawn_apps().await {
        let round = round(&app).await;
        let kim = app.token("kim.welfare").await;
        let (_, list) = get(
            &app,
            &kim,
            &format!("/api/v1/regions/{CHEONGUN}/candidates"),
        )
        .await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let list_path = format!("/api/v1/regions/{CHEONGUN}/candidates?round={round}");
        let detail_path = format!("/api/v1/candidates/{id}");
        let visit_path = format!("{detail_path}/visits");
        let visit = json!({"visited_on": "2026-11-20", "outcome": "refused"});

        // (log-in, list, detail, visit)
        for (login, expected) in [
            ("kang.nurse", (200, 200, 201)),
            ("cho.case", (200, 200, 403)),
            ("lee.welfare", (403, 404, 404)),
            ("yoon.case", (403, 404, 403)),
            ("park.council", (403, 403, 403)),
            ("choi.autonomy", (403, 403, 403)),
            ("han.programme", (403, 403, 403)),
            ("im.ministry", (403, 403, 403)),
            ("oh.auditor", (403, 403, 403)),
            ("seo.admin", (403, 403, 403)),
            ("jung.resident", (403, 403, 403)),
        ] {
            let token = app.token(login).await;
            let (list, body) = get(&app, &token, &list_path).await;
            let (detail, _) = get(&app, &token, &detail_path).await;
            let (visit, _) = post(&app, &token, &visit_path, visit.clone()).await;
            assert_eq!((list, detail, visit), expected, "{}: {login}", app.engine);
            if list != 200 {
                assert!(body.get("items").is_none());
            }
        }
        let (status, _) = get(&app, &kim, "/api/v1/candidates/999999").await;
        assert_eq!(status, 404);
        let (status, _) = get(&app, &kim, "/api/v1/regions/1111000000/candidates").await;
        assert_eq!(status, 404, "a si/gun/gu has no list of its own");
        let (status, _) = get(&app, &kim, &format!("{list_path}0")).await;
        assert_eq!(status, 404, "no such round");
        let anonymous = client().get(app.url(&detail_path)).send().await.unwrap();
        assert_eq!(anonymous.status(), 401);
    }
}

#[tokio::test]
async fn summaries_hold_counts_only_and_withhold_small_ones() {
    for app in spawn_apps().await {
        let round = round(&app).await;
        let kim = app.token("kim.welfare").await;
        let (_, list) = get(
            &app,
            &kim,
            &format!("/api/v1/regions/{CHEONGUN}/candidates"),
        )
        .await;
        for item in list["items"].as_array().unwrap().iter().take(5) {
            let path = format!("/api/v1/candidates/{}/visits", item["id"]);
            let (status, _) = post(
                &app,
                &kim,
                &path,
                json!({"visited_on": "2026-11-20", "outcome": "public_basic_livelihood"}),
            )
            .await;
            assert_eq!(status, 201);
        }
        let programme = app.token("han.programme").await;
        let (status, gu) = get(
            &app,
            &programme,
            &format!("/api/v1/regions/1111000000/discovery-summary?round={round}"),
        )
        .await;
        assert_eq!(status, 200, "{}: {gu}", app.engine);
        assert_eq!(gu["listed"], 7);
        assert_eq!(gu["visited"], 5);
        assert_eq!(gu["outcomes"]["public_basic_livelihood"], 5);
        assert_eq!(gu["outcomes"]["refused"], Value::Null);
        assert_eq!(gu["overdue"], Value::Null, "2 households overdue: withheld");
        assert!(!gu.to_string().contains("HHCH"));
        let (_, sajik) = get(
            &app,
            &programme,
            &format!("/api/v1/regions/{SAJIK}/discovery-summary"),
        )
        .await;
        assert_eq!(sajik["listed"], Value::Null, "one household: withheld");

        let ministry = app.token("im.ministry").await;
        let (status, nation) = get(
            &app,
            &ministry,
            "/api/v1/regions/0000000000/discovery-summary",
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(nation["listed"], 7);

        for (login, code, expected) in [
            ("kim.welfare", CHEONGUN, 200),
            ("kim.welfare", "1111000000", 403),
            ("han.programme", "1114000000", 403),
            ("han.programme", "0000000000", 403),
            ("park.council", CHEONGUN, 403),
            ("oh.auditor", "1111000000", 403),
            ("im.ministry", "9999999900", 404),
        ] {
            let token = app.token(login).await;
            let (status, _) = get(
                &app,
                &token,
                &format!("/api/v1/regions/{code}/discovery-summary"),
            )
            .await;
            assert_eq!(status, expected, "{}: {login} on {code}", app.engine);
        }
    }
}

#[tokio::test]
async fn staff_work_the_list_in_pages_with_ids_masked() {
    for app in spawn_apps().await {
        round(&app).await;
        let http = client();
        assert_eq!(
            log_in(&http, &app.address, "kim.welfare", "/work")
                .await
                .status(),
            303
        );
        let overview = http.get(app.url("/work/discovery")).send().await.unwrap();
        assert_eq!(overview.status(), 200);
        let overview = overview.text().await.unwrap();
        assert!(overview.contains("청운효자동"), "{}", app.engine);
        assert!(overview.contains(&format!("/work/discovery/places/{CHEONGUN}")));
        assert!(
            overview.contains("지표별 발굴 적중률") && overview.contains("건강보험료 체납(개월)")
        );

        let place = http
            .get(app.url(&format!("/work/discovery/places/{CHEONGUN}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(place.contains("HH****01"));
        assert!(!place.contains("HHCH0001"), "ids are masked on screen");
        assert!(
            place.contains(r#"href="/guides/discovery-round""#),
            "the place's list links to its guide"
        );
        assert!(place.contains("단전"));
        let href = place
            .split("href=\"/work/discovery/candidates/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let url = app.url(&format!("/work/discovery/candidates/{href}"));
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("독거노인"));
        let csrf = csrf_of(&page);

        let record = |outcome: &'static str, note: &'static str| {
            http.post(format!("{url}/visits"))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("visited_on", "2026-11-20"),
                    ("outcome", outcome),
                    ("domains", "employment"),
                    ("domains", "housing"),
                    ("note", note),
                ])
                .send()
        };
        // A wrong form comes back with the input kept and the field named.
        let res = record("", "다시 방문 예정").await.unwrap();
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains("다시 방문 예정") && body.contains("form-hint-invalid"));
        assert!(
            body.contains("value=\"housing\" checked"),
            "the ticked domains are kept"
        );

        let res = record("private_resource", "푸드뱅크 연계").await.unwrap();
        assert_eq!(res.status(), 303);
        let page = http.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("푸드뱅크 연계") && page.contains("민간자원 연계"));
        assert!(
            page.contains("고용, 생활환경(주거)"),
            "the counselling's domains by name"
        );

        let workers = page.split("name=\"worker\"").nth(1).unwrap();
        // The option of kim.welfare, the user logged in.
        let worker = workers
            .split("<option value=\"")
            .find(|o| o.contains("(kim.welfare)"))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let assign = |household: String| {
            http.post(app.url(&format!(
                "/work/discovery/candidates/{household}/assignment"
            )))
            .form(&[("_csrf", csrf.as_str()), ("worker", worker.as_str())])
            .send()
        };
        assert_eq!(assign(href.clone()).await.unwrap().status(), 303);
        let home = http
            .get(app.url("/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !home.contains("mine=1"),
            "the household assigned is already visited"
        );
        let next = href.parse::<i64>().unwrap() + 1;
        assert_eq!(assign(next.to_string()).await.unwrap().status(), 303);
        let home = http
            .get(app.url("/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("청운효자동 · 2026-6차: 1가구"), "{home}");
        assert!(
            home.contains("기한 경과"),
            "the window of the test round has closed"
        );
        let mine = http
            .get(app.url(&format!("/work/discovery/places/{CHEONGUN}?mine=1")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            mine.matches("href=\"/work/discovery/candidates/").count(),
            1
        );

        // Exporting the list needs a purpose; the file carries the ids unmasked, and every
        // household in it is logged as exported with that purpose.
        let export = |purpose: &'static str| {
            http.post(app.url(&format!("/work/discovery/places/{CHEONGUN}/export")))
                .form(&[("_csrf", csrf.as_str()), ("purpose", purpose)])
                .send()
        };
        let res = export("").await.unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("form-hint-invalid"));
        let res = export("현장 방문 일정 수립").await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = res.text().await.unwrap();
        assert_eq!(csv.lines().count(), 7, "a header and six households: {csv}");
        assert!(csv.contains("HHCH0001") && csv.contains("단전"));
        let auditor = app.token("oh.auditor").await;
        let log: serde_json::Value = client()
            .get(app.url(&format!("/api/v1/access-log?subject=candidate:{next}")))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            log["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "export" && e["purpose"] == "현장 방문 일정 수립"),
            "{log}"
        );

        let council = client();
        log_in(&council, &app.address, "park.council", "/work").await;
        for path in [
            "/work/discovery",
            &format!("/work/discovery/places/{CHEONGUN}"),
        ] {
            let res = council.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 403, "{path}");
        }
        let programme = client();
        log_in(&programme, &app.address, "han.programme", "/work").await;
        let page = programme
            .get(app.url("/work/discovery"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("5 미만") || page.contains("under 5"));
        assert!(
            !page.contains("/work/discovery/places/"),
            "no way to the persons"
        );
    }
}
