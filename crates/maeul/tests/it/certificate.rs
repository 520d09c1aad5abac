//! Participation certificates: a resident gets one with the voting code they used, the staff
//! issue one by roster reference, the council for a meeting; anyone checks one by its code and
//! sees the name masked; asking again gives the same certificate.

use maeul_core::account::Role;
use maeul_core::autonomy::assembly::VotingCode;
use serde_json::{Value, json};

use crate::assembly::assembly_body;
use crate::{TestApp, call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";
const BUSAN: &str = "2611051000";

async fn anonymous(app: &TestApp, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let req = match method {
        "POST" => client()
            .post(app.url(path))
            .json(&body.unwrap_or(Value::Null)),
        _ => client().get(app.url(path)),
    };
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn residents_who_took_part_get_a_certificate_anyone_can_check() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("lee.staff", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("busan.staff", Role::AutonomyStaff, BUSAN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, BUSAN)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        let officer = app.token("park.officer").await;
        let staff = app.token("lee.staff").await;
        let busan = app.token("busan.staff").await;
        let busan_officer = app.token("busan.officer").await;
        let resident = app.token("kim.resident").await;

        let (status, created) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/assemblies"),
            Some(assembly_body("2026년 청운효자동 주민총회")),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let one = format!("/api/v1/assemblies/{id}");
        let own = format!("{one}/participation-certificates");
        let codes: Vec<(String, VotingCode)> = (0..3)
            .map(|i| (format!("R{i:03}"), VotingCode::generate()))
            .collect();
        app.store
            .assemblies()
            .issue_codes(id, codes.clone(), |_| {})
            .await
            .unwrap();
        let ask =
            |code: &VotingCode, name: &str| Some(json!({"code": code.display(), "name": name}));
        let (status, _) = anonymous(&app, "POST", &own, ask(&codes[0].1, "김민수")).await;
        assert_eq!(status, 404, "nobody has taken part before voting opens");

        let (status, _) = call(&app, &officer, "POST", &format!("{one}/open"), None).await;
        assert_eq!(status, 200);
        let items = created["items"].as_array().unwrap();
        let res = client()
            .post(app.url(&format!("{one}/ballots")))
            .json(&json!({"code": codes[0].1.display(),
                          "choices": [{"item": items[0]["id"], "choice": "yes"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let (status, _) = call(
            &app,
            &staff,
            "POST",
            &format!("{one}/checkins"),
            Some(json!({"resident_ref": "R001", "booth": "청운효자동 주민센터"})),
        )
        .await;
        assert_eq!(status, 201);

        // The resident who voted online, with their code (typed in lower case, with spaces).
        let typed = codes[0].1.display().to_lowercase().replace('-', " ");
        let (status, first) = anonymous(
            &app,
            "POST",
            &own,
            Some(json!({"code": typed, "name": " 김민수 "})),
        )
        .await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["holder"], "김민수");
        assert_eq!(first["kind"], "assembly");
        assert_eq!(first["event_title"], "2026년 청운효자동 주민총회");
        let (status, again) = anonymous(&app, "POST", &own, ask(&codes[0].1, "다른 이름")).await;
        assert_eq!(status, 201);
        assert_eq!(
            (again["code"].clone(), again["holder"].clone()),
            (first["code"].clone(), json!("김민수")),
            "asking again gives the same certificate"
        );
        // The resident checked in at a booth has a code too: it proves the same participation.
        let (status, booth) = anonymous(&app, "POST", &own, ask(&codes[1].1, "이영희")).await;
        assert_eq!(status, 201, "{booth}");
        for (body, field) in [
            (ask(&codes[2].1, "박철수"), "code"),
            (ask(&VotingCode::generate(), "박철수"), "code"),
            (
                Some(json!({"code": "not a code", "name": "박철수"})),
                "code",
            ),
            (ask(&codes[0].1, " "), "name"),
        ] {
            let (status, problem) = anonymous(&app, "POST", &own, body).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }

        // The community centre, by roster reference.
        let roster = format!("{one}/certificates");
        let by_ref = |r: &str| Some(json!({"resident_ref": r, "name": "이영희"}));
        let (status, _) = call(&app, &resident, "POST", &roster, by_ref("R001")).await;
        assert_eq!(status, 403);
        let (status, _) = call(&app, &busan, "POST", &roster, by_ref("R001")).await;
        assert_eq!(status, 404, "another place's staff");
        let (status, problem) = call(&app, &staff, "POST", &roster, by_ref("R002")).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("resident_ref"))
        );
        let (status, issued) = call(&app, &staff, "POST", &roster, by_ref("R001")).await;
        assert_eq!(status, 201);
        assert_eq!(
            issued["code"], booth["code"],
            "one certificate per resident"
        );

        // Anyone checks it and sees the name masked.
        let check = format!("/api/v1/certificates/{}", first["code"].as_str().unwrap());
        let (status, checked) = anonymous(&app, "GET", &check, None).await;
        assert_eq!(status, 200);
        assert_eq!(checked["holder"], "김*수");
        assert_eq!(checked["event_title"], "2026년 청운효자동 주민총회");
        let (status, _) = anonymous(
            &app,
            "GET",
            &format!("/api/v1/certificates/{}", VotingCode::generate().display()),
            None,
        )
        .await;
        assert_eq!(status, 404);
        let page = client()
            .get(app.url(&check.replace("/api/v1", "")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("김*수") && !page.contains("김민수"), "{page}");
        let res = client()
            .get(app.url(&format!(
                "/certificates/{}",
                VotingCode::generate().display()
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert!(res.text().await.unwrap().contains("확인서는 없습니다"));

        // A council meeting's, on the council's word.
        let (status, meeting) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/council-meetings"),
            Some(
                json!({"title": "11월 정기회의", "held_on": "2026-11-03", "agenda": "자치계획",
                        "attended": 9, "members": 12}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{meeting}");
        let for_meeting = format!("/api/v1/council-meetings/{}/certificates", meeting["id"]);
        let (status, _) = call(
            &app,
            &busan_officer,
            "POST",
            &for_meeting,
            Some(json!({"name": "최위원"})),
        )
        .await;
        assert_eq!(status, 404);
        let (status, m1) = call(
            &app,
            &officer,
            "POST",
            &for_meeting,
            Some(json!({"name": "최위원"})),
        )
        .await;
        assert_eq!(status, 201, "{m1}");
        assert_eq!(
            (m1["kind"].clone(), m1["event_on"].clone()),
            (json!("council_meeting"), json!("2026-11-03"))
        );
        let (_, m2) = call(
            &app,
            &officer,
            "POST",
            &for_meeting,
            Some(json!({"name": "최위원"})),
        )
        .await;
        assert_eq!(m2["code"], m1["code"]);
        let (_, m3) = call(
            &app,
            &officer,
            "POST",
            &for_meeting,
            Some(json!({"name": "정위원"})),
        )
        .await;
        assert_ne!(m3["code"], m1["code"]);
    }
}
