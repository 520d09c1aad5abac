//! Grant calls end to end through the API: the ministry publishes a call and runs it, si/gun/gu
//! apply within the window (for themselves or one of their eup/myeon/dong, never for another's),
//! assigned experts score, the selection ranks and funds within the budget, the results and
//! the execution reports are public, the scorecards are not.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{anonymous, call, client, spawn_apps, today};

const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";
const JUNG: &str = "1114000000";
const BUSAN_JUNG: &str = "2611000000";
const BUSAN_EMD: &str = "2611051000";

fn day(d: time::Date) -> String {
    d.to_string()
}

fn the_call() -> Value {
    json!({
        "title": "주민자치 공공서비스 연계 공모", "ministry": "행정안전부",
        "summary": "읍·면·동 주민자치와 공공서비스를 잇는 사업을 지원합니다.",
        "budget": 80_000_000, "award_cap": 50_000_000, "units": ["sigungu", "emd"],
        "criteria": [{"name": "주민 참여", "weight": 40}, {"name": "실현 가능성", "weight": 60}],
        "pass_mark": 60,
        "opens_on": day(today() - time::Duration::days(1)),
        "closes_on": day(today() + time::Duration::days(10)),
        "announce_on": day(today() + time::Duration::days(30)),
    })
}

#[tokio::test]
async fn a_grant_call_runs_from_publication_to_public_results_and_reports() {
    for app in spawn_apps().await {
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("han.expert", Role::Expert, "0000000000").await;
        app.add_user("oh.expert", Role::Expert, "1100000000").await;
        app.add_user("kim.expert", Role::Expert, "0000000000").await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, BUSAN_JUNG)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("nation.programme", Role::ProgrammeStaff, "0000000000")
            .await;
        // An expert who is also 종로구's programme officer.
        app.add_user("jongno.expert", Role::Expert, JONGNO).await;
        app.store
            .accounts()
            .grant(
                maeul_core::account::Login::parse("jongno.expert").unwrap(),
                maeul_core::account::Grant::new(
                    Role::ProgrammeStaff,
                    maeul_core::region::RegionCode::parse(JONGNO).unwrap(),
                )
                .unwrap(),
                maeul_store::account::Actor::cli(),
            )
            .await
            .unwrap();
        let ministry = app.token("lee.ministry").await;
        let han = app.token("han.expert").await;
        let oh = app.token("oh.expert").await;
        let kim = app.token("kim.expert").await;
        let jongno = app.token("yoon.programme").await;
        let seoul = app.token("seoul.programme").await;
        let busan = app.token("busan.programme").await;
        let resident = app.token("kim.resident").await;
        let nation = app.token("nation.programme").await;

        // Publishing: only the ministry, and only terms that hold together.
        let (status, _) = call(
            &app,
            &resident,
            "POST",
            "/api/v1/grant-calls",
            Some(the_call()),
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            &jongno,
            "POST",
            "/api/v1/grant-calls",
            Some(the_call()),
        )
        .await;
        assert_eq!(status, 403, "programme staff apply, they do not publish");
        for (field, value, named) in [
            (
                "criteria",
                json!([{"name": "주민 참여", "weight": 40}]),
                "criteria",
            ),
            ("award_cap", json!(90_000_000), "award_cap"),
            ("units", json!([]), "units"),
            (
                "closes_on",
                json!(day(today() - time::Duration::days(2))),
                "closes_on",
            ),
            ("programme_id", json!(999_999), "programme_id"),
        ] {
            let mut bad = the_call();
            bad[field] = value;
            let (status, problem) =
                call(&app, &ministry, "POST", "/api/v1/grant-calls", Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(named)),
                "{field}: {problem}"
            );
        }
        let (status, created) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/grant-calls",
            Some(the_call()),
        )
        .await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let id = created["id"].as_i64().unwrap();
        let (_, list) = anonymous(&app, "/api/v1/grant-calls").await;
        assert_eq!(list["items"][0]["phase"], "accepting", "{list}");

        // Applying: within the call's terms, for one's own si/gun/gu and its places only.
        let apply = format!("/api/v1/grant-calls/{id}/applications");
        let proposal = json!({"region_code": JONGNO, "emd_code": CHEONGUN,
                              "title": "청운효자동 돌봄 연계 사랑방",
                              "summary": "빈 점포를 돌봄·상담 공간으로 고칩니다.", "amount": 50_000_000});
        let mut over = proposal.clone();
        over["amount"] = json!(60_000_000);
        let (status, problem) = call(&app, &jongno, "POST", &apply, Some(over)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("amount"))
        );
        let mut elsewhere = proposal.clone();
        elsewhere["emd_code"] = json!(BUSAN_EMD);
        let (status, problem) = call(&app, &jongno, "POST", &apply, Some(elsewhere)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("emd_code")),
            "a place of another si/gun/gu"
        );
        let (status, _) = call(&app, &busan, "POST", &apply, Some(proposal.clone())).await;
        assert_eq!(status, 403, "applying for another si/gun/gu");
        let mut sido = proposal.clone();
        sido["region_code"] = json!("1100000000");
        let (status, problem) = call(&app, &seoul, "POST", &apply, Some(sido)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("region_code"))
        );
        // A city applies for the 동 of its 일반구; the 구 does not apply for itself; 세종, with
        // no si/gun/gu below it, applies as its own.
        let (status, problem) = call(
            &app,
            &nation,
            "POST",
            &apply,
            Some(json!({"region_code": "4111100000", "title": "장안구 사업", "amount": 1_000_000})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("region_code"))
        );
        for (region, emd) in [
            ("4111000000", json!("4111156000")),
            ("3600000000", json!(null)),
        ] {
            let (status, created) = call(
                &app,
                &nation,
                "POST",
                &apply,
                Some(json!({"region_code": region, "emd_code": emd, "title": "마을 사업", "amount": 1_000_000})),
            )
            .await;
            assert_eq!(status, 201, "{region}: {created}");
            let (status, _) = call(
                &app,
                &nation,
                "POST",
                &format!("/api/v1/grant-applications/{}/withdrawal", created["id"]),
                None,
            )
            .await;
            assert_eq!(status, 204, "withdrawn within the window");
        }
        // Two applications of one si/gun/gu at once: one lands, the other is told.
        let (a, b) = tokio::join!(
            call(&app, &jongno, "POST", &apply, Some(proposal.clone())),
            call(&app, &jongno, "POST", &apply, Some(proposal.clone())),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{a:?} {b:?}");
        let landed = if a.0 == 201 { &a.1 } else { &b.1 };
        let jongno_app = landed["id"].as_i64().unwrap();
        let (status, busan_app) = call(
            &app,
            &busan,
            "POST",
            &apply,
            Some(
                json!({"region_code": BUSAN_JUNG, "title": "골목 안전 순찰", "amount": 40_000_000}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{busan_app}");
        let (status, jung_app) = call(
            &app,
            &seoul,
            "POST",
            &apply,
            Some(json!({"region_code": JUNG, "title": "주민 공유 부엌", "amount": 30_000_000})),
        )
        .await;
        assert_eq!(
            status, 201,
            "a si/do's staff applies for a si/gun/gu in it: {jung_app}"
        );

        // Who sees the applications before the results: the ministry all, an applicant its own.
        let (_, public) = anonymous(&app, &format!("/api/v1/grant-calls/{id}")).await;
        assert_eq!(public["applications"], json!([]), "{public}");
        assert_eq!(public["call"]["applications"], 3);
        let (_, own) = call(&app, &busan, "GET", &apply, None).await;
        assert_eq!(own["items"].as_array().unwrap().len(), 1, "{own}");
        // The council of 청운효자동 follows the application made for it; a resident does not.
        let council = app.token("park.officer").await;
        let (_, followed) = call(&app, &council, "GET", &apply, None).await;
        assert_eq!(followed["items"].as_array().unwrap().len(), 1, "{followed}");
        assert_eq!(followed["items"][0]["emd_code"], CHEONGUN);
        let (_, none) = call(&app, &resident, "GET", &apply, None).await;
        assert_eq!(none["items"], json!([]));
        let (_, all) = call(&app, &ministry, "GET", &apply, None).await;
        assert_eq!(all["items"].as_array().unwrap().len(), 3);
        let (status, _) =
            anonymous(&app, &format!("/api/v1/grant-applications/{jongno_app}")).await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &app,
            &busan,
            "GET",
            &format!("/api/v1/grant-applications/{jongno_app}"),
            None,
        )
        .await;
        assert_eq!(status, 404, "another si/gun/gu's application");

        // The terms stay once applications are in; an applicant revises its own.
        let (status, _) = call(
            &app,
            &ministry,
            "PUT",
            &format!("/api/v1/grant-calls/{id}"),
            Some(the_call()),
        )
        .await;
        assert_eq!(status, 409);
        let revise = format!("/api/v1/grant-applications/{jongno_app}/proposal");
        let revised = json!({"emd_code": CHEONGUN, "title": "청운효자동 돌봄 연계 사랑방",
                             "summary": "빈 점포를 돌봄·상담 공간으로 고칩니다.", "amount": 45_000_000});
        let (status, _) = call(&app, &busan, "PUT", &revise, Some(revised.clone())).await;
        assert_eq!(status, 404);
        let (status, _) = call(&app, &jongno, "PUT", &revise, Some(revised)).await;
        assert_eq!(status, 204);

        // Experts: only users holding the role; scoring waits for the review.
        let reviewers = format!("/api/v1/grant-calls/{id}/reviewers");
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            &reviewers,
            Some(json!({"login": "kim.resident"})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("login"))
        );
        let mut jongno_expert = 0;
        for login in ["han.expert", "oh.expert", "jongno.expert"] {
            let (status, created) = call(
                &app,
                &ministry,
                "POST",
                &reviewers,
                Some(json!({"login": login})),
            )
            .await;
            assert_eq!(status, 201);
            jongno_expert = created["id"].as_i64().unwrap();
        }
        let score = |app_id: i64| format!("/api/v1/grant-applications/{app_id}/scorecard");
        let (status, _) = call(
            &app,
            &han,
            "PUT",
            &score(jongno_app),
            Some(json!({"scores": [90, 80]})),
        )
        .await;
        assert_eq!(status, 409, "not in review yet");
        let select = format!("/api/v1/grant-calls/{id}/selection");
        let (status, _) = call(&app, &ministry, "POST", &select, None).await;
        assert_eq!(status, 409, "the selection waits for the review");
        let (status, _) = call(
            &app,
            &ministry,
            "POST",
            &format!("/api/v1/grant-calls/{id}/closing"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (status, problem) = call(&app, &jongno, "POST", &apply, Some(proposal.clone())).await;
        assert_eq!(
            (
                status,
                problem["type"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with("grant-call-status")
            ),
            (409, true),
            "{problem}"
        );

        let own = app.token("jongno.expert").await;
        let (status, problem) = call(
            &app,
            &own,
            "PUT",
            &score(jongno_app),
            Some(json!({"scores": [90, 90]})),
        )
        .await;
        assert_eq!(
            (status, problem["type"].clone()),
            (403, json!("urn:maeul:problem:grant-own-application")),
            "an expert does not score their own si/gun/gu"
        );
        let (status, _) = call(
            &app,
            &ministry,
            "DELETE",
            &format!("{reviewers}/{jongno_expert}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (status, problem) = call(
            &app,
            &han,
            "PUT",
            &score(jongno_app),
            Some(json!({"scores": [90]})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("scores"))
        );
        let (status, _) = call(
            &app,
            &kim,
            "PUT",
            &score(jongno_app),
            Some(json!({"scores": [90, 80]})),
        )
        .await;
        assert_eq!(status, 404, "an expert not assigned to the call");
        let busan_id = busan_app["id"].as_i64().unwrap();
        let jung_id = jung_app["id"].as_i64().unwrap();
        for (token, app_id, scores) in [
            (&han, jongno_app, [90, 80]),
            (&han, busan_id, [70, 60]),
            (&han, jung_id, [50, 40]),
            (&oh, jongno_app, [80, 90]),
            (&oh, busan_id, [75, 65]),
        ] {
            let (status, card) = call(
                &app,
                token,
                "PUT",
                &score(app_id),
                Some(json!({"scores": scores, "comment": "계획이 구체적입니다."})),
            )
            .await;
            assert_eq!(status, 200, "{card}");
        }
        let (status, problem) = call(&app, &ministry, "POST", &select, None).await;
        assert_eq!(status, 409, "one scorecard is missing: {problem}");
        let (_, progress) = call(&app, &ministry, "GET", &reviewers, None).await;
        let scored: Vec<i64> = progress["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["scored"].as_i64().unwrap())
            .collect();
        assert_eq!(scored.iter().sum::<i64>(), 5, "{progress}");
        let (_, card) = call(
            &app,
            &oh,
            "PUT",
            &score(jung_id),
            Some(json!({"scores": [60, 50]})),
        )
        .await;
        assert_eq!(card["total"], "54.00");

        // The selection: 85.00 (45M) selected; 66.50 (40M) no longer fits the 35M left;
        // 49.00 is below the pass mark.
        let (status, selection) = call(&app, &ministry, "POST", &select, None).await;
        assert_eq!(
            (status, selection["selected"].clone()),
            (200, json!(1)),
            "{selection}"
        );
        let (_, results) = anonymous(&app, &format!("/api/v1/grant-calls/{id}")).await;
        let got: Vec<(Value, Value, Value)> = results["applications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["region_code"].clone(),
                    a["score"].clone(),
                    a["outcome"].clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (json!(JONGNO), json!("85.00"), json!("selected")),
                (json!(BUSAN_JUNG), json!("66.50"), json!("over_budget")),
                (json!(JUNG), json!("49.00"), json!("below_pass_mark")),
            ],
            "{results}"
        );
        assert_eq!(results["call"]["awarded"], 45_000_000);
        let notice = results["applications"][0]["notice_no"].as_str().unwrap();
        assert_eq!(notice, format!("{}-{id:03}-001", today().year()));
        assert_eq!(results["applications"][1]["notice_no"], Value::Null);

        // Scorecards stay with the ministry (all) and each expert (their own).
        let one = format!("/api/v1/grant-applications/{jongno_app}");
        let (_, public) = anonymous(&app, &one).await;
        assert_eq!(public["scorecards"], json!([]), "{public}");
        assert_eq!(public["application"]["scored_by"], Value::Null);
        let (_, seen) = call(&app, &ministry, "GET", &one, None).await;
        assert_eq!(seen["scorecards"].as_array().unwrap().len(), 2);
        let (_, seen) = call(&app, &han, "GET", &one, None).await;
        assert_eq!(seen["scorecards"].as_array().unwrap().len(), 1);
        assert_eq!(seen["scorecards"][0]["scores"], json!([90, 80]));

        // Execution reports: only on an award, by its si/gun/gu; public.
        let report = json!({"body": "사랑방 공사를 마쳤습니다.", "spent": 30_000_000});
        let (status, _) = call(
            &app,
            &busan,
            "POST",
            &format!("/api/v1/grant-applications/{busan_id}/reports"),
            Some(report.clone()),
        )
        .await;
        assert_eq!(status, 409, "not selected");
        let (status, _) = call(
            &app,
            &busan,
            "POST",
            &format!("{one}/reports"),
            Some(report.clone()),
        )
        .await;
        assert_eq!(status, 404, "another si/gun/gu's award");
        let (status, _) = call(
            &app,
            &jongno,
            "POST",
            &format!("{one}/reports"),
            Some(report),
        )
        .await;
        assert_eq!(status, 201);
        let (_, public) = anonymous(&app, &one).await;
        assert_eq!(public["reports"][0]["spent"], 30_000_000);
        assert_eq!(public["application"]["spent"], 30_000_000);

        // Nothing moves after the selection.
        let (status, _) = call(
            &app,
            &ministry,
            "DELETE",
            &format!("{reviewers}/{}", seen["scorecards"][0]["reviewer_id"]),
            None,
        )
        .await;
        assert_eq!(status, 409);
        let (status, _) = call(
            &app,
            &oh,
            "PUT",
            &score(jung_id),
            Some(json!({"scores": [100, 100]})),
        )
        .await;
        assert_eq!(status, 409);

        // The pages: the results and the printable award notice.
        let page = client()
            .get(app.url(&format!("/grant-calls/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("85.00") && html.contains("예산 부족"),
            "results on the page"
        );
        let page = client()
            .get(app.url(&format!(
                "/grant-calls/{id}/applications/{jongno_app}/notice"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains(notice) && html.contains("45,000,000원"),
            "the notice"
        );
        let page = client()
            .get(app.url(&format!("/grant-calls/{id}/applications/{busan_id}/notice")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            page.status(),
            404,
            "no notice for an application not selected"
        );
    }
}

#[tokio::test]
async fn an_expert_taken_off_a_call_takes_their_scores_along() {
    for app in spawn_apps().await {
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("han.expert", Role::Expert, "0000000000").await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        let ministry = app.token("lee.ministry").await;
        let han = app.token("han.expert").await;
        let jongno = app.token("yoon.programme").await;
        // The call funds a catalogue programme, whose page then lists it.
        let (_, found) = call(
            &app,
            &ministry,
            "GET",
            "/api/v1/programmes?q=청년마을",
            None,
        )
        .await;
        let programme = found["items"][0]["id"].as_i64().unwrap();
        let mut funded = the_call();
        funded["programme_id"] = json!(programme);
        let (_, created) = call(&app, &ministry, "POST", "/api/v1/grant-calls", Some(funded)).await;
        let id = created["id"].as_i64().unwrap();
        let page = client()
            .get(app.url(&format!("/programmes/{programme}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("주민자치 공공서비스 연계 공모"),
            "the programme lists its call"
        );
        let (_, applied) = call(
            &app,
            &jongno,
            "POST",
            &format!("/api/v1/grant-calls/{id}/applications"),
            Some(json!({"region_code": JONGNO, "title": "마을 돌봄", "amount": 10_000_000})),
        )
        .await;
        let reviewers = format!("/api/v1/grant-calls/{id}/reviewers");
        let (_, expert) = call(
            &app,
            &ministry,
            "POST",
            &reviewers,
            Some(json!({"login": "han.expert"})),
        )
        .await;
        call(
            &app,
            &ministry,
            "POST",
            &format!("/api/v1/grant-calls/{id}/closing"),
            None,
        )
        .await;
        let (status, _) = call(
            &app,
            &han,
            "PUT",
            &format!("/api/v1/grant-applications/{}/scorecard", applied["id"]),
            Some(json!({"scores": [100, 100]})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            &app,
            &ministry,
            "DELETE",
            &format!("{reviewers}/{}", expert["id"]),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (_, seen) = call(
            &app,
            &ministry,
            "GET",
            &format!("/api/v1/grant-applications/{}", applied["id"]),
            None,
        )
        .await;
        assert_eq!(seen["scorecards"], json!([]), "{seen}");
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            &format!("/api/v1/grant-calls/{id}/selection"),
            None,
        )
        .await;
        assert_eq!(status, 409, "no experts left: {problem}");
    }
}
