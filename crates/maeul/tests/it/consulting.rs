//! Consulting: a place asks, the si/do that keeps the pool assigns an expert who fits, the
//! expert's account reports; only those who ask in the scope, the keepers and the assigned
//! expert see an engagement; each step is taken once, even when several try at once.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{call, client, csrf_of, html_of, log_in, spawn_apps, today};

const CHEONGUN: &str = "1111051500";

fn request() -> Value {
    json!({"title": "주민총회 분임 토의 운영", "specialty": "facilitation",
           "needs": "주민총회 분임 토의를 처음 엽니다. 진행 방법과 진행자 교육이 필요합니다."})
}

#[tokio::test]
async fn a_place_asks_the_si_do_assigns_and_the_expert_reports() {
    for app in spawn_apps().await {
        for (login, role, scope) in [
            ("kim.autonomy", Role::AutonomyStaff, CHEONGUN),
            ("choi.welfare", Role::WelfareStaff, CHEONGUN),
            ("yoon.programme", Role::ProgrammeStaff, "1111000000"),
            ("seoul.programme", Role::ProgrammeStaff, "1100000000"),
            ("gyeonggi.programme", Role::ProgrammeStaff, "4100000000"),
            ("han.expert", Role::Expert, "1100000000"),
            ("oh.expert", Role::Expert, "1100000000"),
            ("park.resident", Role::Resident, CHEONGUN),
        ] {
            app.add_user(login, role, scope).await;
        }
        let place = app.token("kim.autonomy").await;
        let welfare = app.token("choi.welfare").await;
        let gu = app.token("yoon.programme").await;
        let seoul = app.token("seoul.programme").await;
        let gyeonggi = app.token("gyeonggi.programme").await;
        let han = app.token("han.expert").await;
        let oh = app.token("oh.expert").await;
        let resident = app.token("park.resident").await;
        let expert = |token: &str, pool: &str, body: Value| {
            let (token, pool) = (token.to_owned(), pool.to_owned());
            let app = &app;
            async move {
                let path = format!("/api/v1/regions/{pool}/experts");
                let (status, e) = call(app, &token, "POST", &path, Some(body)).await;
                assert_eq!(status, 201, "{e}");
                e["id"].as_i64().unwrap()
            }
        };
        let han_entry = expert(
            &seoul,
            "1100000000",
            json!({"name": "한공론", "organisation": "마을공론연구소",
                   "specialties": ["facilitation"], "regions": ["1100000000"],
                   "email": "han@example.org"}),
        )
        .await;
        let welfare_entry = expert(
            &seoul,
            "1100000000",
            json!({"name": "오돌봄", "specialties": ["welfare"], "email": "oh@example.org"}),
        )
        .await;
        let gyeonggi_entry = expert(
            &gyeonggi,
            "4100000000",
            json!({"name": "경기진행", "specialties": ["facilitation"],
                   "regions": ["4100000000"], "phone": "031-000-0000"}),
        )
        .await;
        let resting_entry = expert(
            &seoul,
            "1100000000",
            json!({"name": "쉬는중", "specialties": ["facilitation"],
                   "availability": "unavailable", "phone": "02-000-0000"}),
        )
        .await;

        // The request: checked, for the user's own scope, not for the nation.
        let ask = format!("/api/v1/regions/{CHEONGUN}/consultations");
        let yesterday = (today() - time::Duration::days(1)).to_string();
        for (field, value, wrong) in [
            ("title", json!(" "), "title"),
            ("needs", json!(""), "needs"),
            ("specialty", json!("magic"), "specialty"),
            ("wanted_by", json!(yesterday), "wanted_by"),
            ("wanted_by", json!("2026-02-30"), "wanted_by"),
        ] {
            let mut bad = request();
            bad[field] = value;
            let (status, problem) = call(&app, &place, "POST", &ask, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        let elsewhere = "/api/v1/regions/4182025000/consultations";
        assert_eq!(
            call(&app, &place, "POST", elsewhere, Some(request()))
                .await
                .0,
            403
        );
        let nation = "/api/v1/regions/0000000000/consultations";
        assert_eq!(
            call(&app, &seoul, "POST", nation, Some(request())).await.0,
            404,
            "the nation does not ask for consulting"
        );
        assert_eq!(
            call(&app, &welfare, "POST", &ask, Some(request())).await.0,
            403
        );
        let (status, asked) = call(&app, &place, "POST", &ask, Some(request())).await;
        assert_eq!(status, 201, "{}: {asked}", app.engine);
        assert_eq!(
            (
                asked["status"].as_str(),
                asked["requested_on"].as_str(),
                asked["region_name"].as_str()
            ),
            (
                Some("requested"),
                Some(today().to_string().as_str()),
                Some("서울특별시 종로구 청운효자동")
            )
        );
        let id = asked["id"].as_i64().unwrap();
        let one = format!("/api/v1/consultations/{id}");

        // Who sees it.
        for (token, seen) in [
            (&place, 1),
            (&gu, 1),
            (&seoul, 1),
            (&gyeonggi, 0),
            (&welfare, 0),
            (&han, 0),
        ] {
            let (status, list) = call(&app, token, "GET", "/api/v1/consultations", None).await;
            assert_eq!((status, list["total"].as_i64()), (200, Some(seen)));
            let expected = if seen == 1 { 200 } else { 404 };
            assert_eq!(call(&app, token, "GET", &one, None).await.0, expected);
        }
        assert_eq!(
            call(&app, &resident, "GET", "/api/v1/consultations", None)
                .await
                .0,
            403
        );
        assert_eq!(
            call(
                &app,
                &seoul,
                "GET",
                "/api/v1/consultations?status=assigned",
                None
            )
            .await
            .1["total"],
            0
        );
        assert_eq!(
            call(
                &app,
                &seoul,
                "GET",
                "/api/v1/consultations?region=1111000000&status=requested",
                None
            )
            .await
            .1["total"],
            1
        );
        for bad in ["?status=open", "?region=11110515", "?region="] {
            let path = format!("/api/v1/consultations{bad}");
            assert_eq!(call(&app, &seoul, "GET", &path, None).await.0, 422, "{bad}");
        }

        // The assignment: the si/do's keepers, an expert who fits, an expert account.
        let assign = format!("/api/v1/consultations/{id}/expert");
        let to = |expert: i64, login: Option<&str>| json!({"expert_id": expert, "login": login});
        assert_eq!(
            call(&app, &place, "PUT", &assign, Some(to(han_entry, None)))
                .await
                .0,
            403
        );
        assert_eq!(
            call(&app, &gu, "PUT", &assign, Some(to(han_entry, None)))
                .await
                .0,
            403,
            "a si/gun/gu keeps no pool"
        );
        assert_eq!(
            call(&app, &gyeonggi, "PUT", &assign, Some(to(han_entry, None)))
                .await
                .0,
            404
        );
        for (body, field) in [
            (to(welfare_entry, None), "expert_id"),
            (to(gyeonggi_entry, None), "expert_id"),
            (to(resting_entry, None), "expert_id"),
            (to(999_999, None), "expert_id"),
            (to(han_entry, Some("nobody")), "login"),
            (to(han_entry, Some("kim.autonomy")), "login"),
        ] {
            let (status, problem) = call(&app, &seoul, "PUT", &assign, Some(body)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].as_str()),
                (422, Some(field)),
                "{problem}"
            );
        }
        assert_eq!(
            call(&app, &seoul, "GET", &one, None).await.1["status"],
            "requested",
            "refusals change nothing"
        );
        assert_eq!(
            call(
                &app,
                &seoul,
                "PUT",
                &assign,
                Some(to(han_entry, Some(" Han.Expert ")))
            )
            .await
            .0,
            204
        );
        let (_, assigned) = call(&app, &han, "GET", &one, None).await;
        assert_eq!(
            (
                assigned["status"].as_str(),
                assigned["expert"]["name"].as_str(),
                assigned["expert_has_account"].as_bool()
            ),
            (Some("assigned"), Some("한공론"), Some(true))
        );
        assert_eq!(call(&app, &oh, "GET", &one, None).await.0, 404);

        // The report: checked; taken once, by one of several at once.
        let report = format!("/api/v1/consultations/{id}/report");
        let findings = |held_on: String, hours: u32, findings: &str| {
            json!({"held_on": held_on, "hours": hours, "findings": findings,
                   "recommendations": "분임별 진행자 2명을 미리 교육"})
        };
        let t = today().to_string();
        for (body, field) in [
            (findings(yesterday.clone(), 4, "진단"), "held_on"),
            (findings(t.clone(), 0, "진단"), "hours"),
            (findings(t.clone(), 201, "진단"), "hours"),
            (findings(t.clone(), 4, "  "), "findings"),
        ] {
            let (status, problem) = call(&app, &han, "PUT", &report, Some(body)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].as_str()),
                (422, Some(field)),
                "{problem}"
            );
        }
        assert_eq!(
            call(
                &app,
                &oh,
                "PUT",
                &report,
                Some(findings(t.clone(), 4, "진단"))
            )
            .await
            .0,
            404
        );
        for token in [&place, &seoul] {
            assert_eq!(
                call(
                    &app,
                    token,
                    "PUT",
                    &report,
                    Some(findings(t.clone(), 4, "대신 씀"))
                )
                .await
                .0,
                403,
                "the expert's account writes the report"
            );
        }
        let tries = [&han, &han, &han, &han, &han, &han].map(|token| {
            let body = findings(t.clone(), 4, "분임 토의 설계와 진행자 역할을 점검");
            let (app, report) = (&app, &report);
            async move { call(app, token, "PUT", report, Some(body)).await.0 }
        });
        let mut statuses = futures_join(tries).await;
        statuses.sort_unstable();
        assert_eq!(statuses, [204, 409, 409, 409, 409, 409], "{}", app.engine);
        let (_, done) = call(&app, &place, "GET", &one, None).await;
        assert_eq!(
            (
                done["status"].as_str(),
                done["report"]["hours"].as_i64(),
                done["closed_on"].as_str()
            ),
            (Some("reported"), Some(4), Some(t.as_str()))
        );
        let withdraw = format!("/api/v1/consultations/{id}/withdrawal");
        for (token, path, body) in [
            (&place, &withdraw, json!({"reason": "늦게 철회"})),
            (&seoul, &assign, to(han_entry, None)),
        ] {
            let method = if path == &withdraw { "POST" } else { "PUT" };
            assert_eq!(
                call(&app, token, method, path, Some(body)).await.0,
                409,
                "a reported engagement takes no more steps"
            );
        }

        // A withdrawal: with a reason, by those who ask or keep, not by the expert.
        let (_, second) = call(&app, &place, "POST", &ask, Some(request())).await;
        let second = second["id"].as_i64().unwrap();
        let withdraw = format!("/api/v1/consultations/{second}/withdrawal");
        let report = format!("/api/v1/consultations/{second}/report");
        assert_eq!(
            call(
                &app,
                &place,
                "PUT",
                &report,
                Some(findings(t.clone(), 4, "진단"))
            )
            .await
            .0,
            409,
            "no report before an expert is assigned"
        );
        let assign = format!("/api/v1/consultations/{second}/expert");
        assert_eq!(
            call(
                &app,
                &seoul,
                "PUT",
                &assign,
                Some(to(han_entry, Some("han.expert")))
            )
            .await
            .0,
            204
        );
        assert_eq!(
            call(
                &app,
                &han,
                "POST",
                &withdraw,
                Some(json!({"reason": "일정이 맞지 않음"}))
            )
            .await
            .0,
            403,
            "the expert does not withdraw a request"
        );
        let (status, problem) = call(
            &app,
            &place,
            "POST",
            &withdraw,
            Some(json!({"reason": " "})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("reason"))
        );
        assert_eq!(
            call(
                &app,
                &gu,
                "POST",
                &withdraw,
                Some(json!({"reason": "자체 해결"}))
            )
            .await
            .0,
            204,
            "the si/gun/gu asks for its places and may withdraw"
        );
        assert_eq!(
            call(
                &app,
                &han,
                "PUT",
                &report,
                Some(findings(t.clone(), 4, "진단"))
            )
            .await
            .0,
            409,
            "a withdrawn engagement takes no report"
        );
        let (_, gone) = call(
            &app,
            &gu,
            "GET",
            &format!("/api/v1/consultations/{second}"),
            None,
        )
        .await;
        assert_eq!(
            (gone["status"].as_str(), gone["withdrawn_reason"].as_str()),
            (Some("withdrawn"), Some("자체 해결"))
        );
        let (_, listed) = call(&app, &han, "GET", "/api/v1/consultations", None).await;
        assert_eq!(
            (listed["total"].as_i64(), listed["items"][1]["id"].as_i64()),
            (Some(2), Some(id)),
            "the expert lists what they are assigned"
        );
    }
}

/// Runs the calls at once and gives their results in order.
async fn futures_join<F: std::future::Future<Output = u16>>(calls: [F; 6]) -> Vec<u16> {
    let [a, b, c, d, e, f] = calls;
    let (a, b, c, d, e, f) = tokio::join!(a, b, c, d, e, f);
    vec![a, b, c, d, e, f]
}

#[tokio::test]
async fn the_pages_ask_assign_and_report() {
    for app in spawn_apps().await {
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        let seoul = app.token("seoul.programme").await;
        let (status, _) = call(
            &app,
            &seoul,
            "POST",
            "/api/v1/regions/1100000000/experts",
            Some(json!({"name": "한공론", "specialties": ["facilitation"],
                        "email": "han@example.org"})),
        )
        .await;
        assert_eq!(status, 201);

        let http = client();
        log_in(&http, &app.address, "kim.autonomy", "/work").await;
        let home = html_of(&http, &app, "/work").await;
        assert!(home.contains("href=\"/work/consultations\""));
        let page = html_of(&http, &app, "/work/consultations").await;
        let csrf = csrf_of(&page);
        assert!(page.contains("서울특별시 종로구 청운효자동"));
        let form = |needs: &'static str| {
            vec![
                ("_csrf", csrf.clone()),
                ("region", CHEONGUN.to_owned()),
                ("title", "마을계획 수립 지원".to_owned()),
                ("specialty", "facilitation".to_owned()),
                ("needs", needs.to_owned()),
                ("wanted_by", String::new()),
            ]
        };
        let res = http
            .post(app.url("/work/consultations"))
            .form(&form(""))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(refused.contains("마을계획 수립 지원") && refused.contains("요청 내용을 1자"));
        let mut elsewhere = form("도움");
        elsewhere[1].1 = "4182025000".into();
        let res = http
            .post(app.url("/work/consultations"))
            .form(&elsewhere)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "a region not offered");
        let refused = res.text().await.unwrap();
        assert!(refused.contains("요청 기관을 목록에서 고르세요"));
        let res = http
            .post(app.url("/work/consultations"))
            .form(&form("마을계획단 첫 회의 진행"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let at = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(at.starts_with("/work/consultations/"), "{at}");
        let shown = html_of(&http, &app, &at).await;
        assert!(shown.contains("마을계획단 첫 회의 진행") && !shown.contains("name=\"expert_id\""));

        let keeper = client();
        log_in(&keeper, &app.address, "seoul.programme", "/work").await;
        let shown = html_of(&keeper, &app, &at).await;
        assert!(shown.contains("name=\"expert_id\"") && shown.contains("한공론"));
        let expert_id = shown
            .split("<option value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let res = keeper
            .post(app.url(&format!("{at}/expert")))
            .form(&[
                ("_csrf", csrf_of(&shown)),
                ("expert_id", expert_id),
                ("login", String::new()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);

        let shown = html_of(&http, &app, &at).await;
        assert!(shown.contains("한공론") && shown.contains("name=\"findings\""));
        let report = |hours: &'static str| {
            vec![
                ("_csrf", csrf_of(&shown)),
                ("held_on", today().to_string()),
                ("hours", hours.to_owned()),
                ("findings", "마을계획단 운영 규칙이 없음".to_owned()),
                ("recommendations", String::new()),
            ]
        };
        let res = http
            .post(app.url(&format!("{at}/report")))
            .form(&report("두 시간"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(refused.contains("마을계획단 운영 규칙이 없음") && refused.contains("1에서 200"));
        let res = http
            .post(app.url(&format!("{at}/report")))
            .form(&report("2"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let done = html_of(&http, &app, &at).await;
        assert!(
            done.contains("진단 결과")
                && done.contains("2시간")
                && !done.contains("name=\"findings\"")
                && !done.contains("name=\"reason\"")
        );
    }
}
