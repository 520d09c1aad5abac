//! Visiting health care: registration by risk group, long-term-care exclusion, visits with
//! readings and flags, cadence and overdue, group history, who may see a person.

use maeul_core::account::Role;
use serde_json::json;

use crate::{call, client, csrf_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

#[tokio::test]
async fn nurses_register_visit_and_regroup_people_by_risk() {
    for app in spawn_apps().await {
        for (login, role, scope) in [
            ("kang.nurse", Role::Nurse, CHEONGUN),
            ("kim.welfare", Role::WelfareStaff, CHEONGUN),
            ("song.nurse", Role::Nurse, SAJIK),
            ("cho.case", Role::CaseManager, "1111000000"),
            ("park.council", Role::CouncilOfficer, CHEONGUN),
            ("han.programme", Role::ProgrammeStaff, "1111000000"),
        ] {
            app.add_user(login, role, scope).await;
        }
        let nurse = app.token("kang.nurse").await;
        let register = |name: &'static str, group: &'static str, grade: Option<i64>| {
            json!({"emd_code": CHEONGUN, "person_name": name, "birth_year": 1941, "group": group,
                   "ltc_grade": grade, "registered_on": "2026-08-01"})
        };
        let (status, problem) = call(
            &app,
            &nurse,
            "POST",
            "/api/v1/health/people",
            Some(register("이", "regular", Some(3))),
        )
        .await;
        assert_eq!(status, 422, "{}: long-term-care grade 3", app.engine);
        assert_eq!(problem["errors"][0]["field"], "ltc_grade");
        let (status, created) = call(
            &app,
            &nurse,
            "POST",
            "/api/v1/health/people",
            Some(register("최복남", "intensive", None)),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let person = format!("/api/v1/health/people/{id}");

        let (status, _) = call(
            &app,
            &nurse,
            "POST",
            &format!("{person}/visits"),
            Some(json!({"visited_on": "2026-11-20", "systolic": 152, "diastolic": 88, "glucose": 131,
                        "height_cm": 158.0, "weight_kg": 44.0, "frailty": 3, "note": "어지럼증 호소"})),
        )
        .await;
        assert_eq!(status, 201);
        let (status, _) = call(
            &app,
            &nurse,
            "POST",
            &format!("{person}/visits"),
            Some(json!({"visited_on": "2026-11-21", "systolic": 20})),
        )
        .await;
        assert_eq!(status, 422, "an impossible reading");
        let (_, detail) = call(&app, &nurse, "GET", &person, None).await;
        assert_eq!(detail["group"], "intensive");
        // Intensive: a visit every 90 / 8 = 11 days.
        assert_eq!(detail["next_due"], "2026-12-01");
        assert_eq!(detail["intensive_shortfall"], 7);
        assert_eq!(detail["visits"][0]["bmi"], 17.6);
        assert_eq!(
            detail["visits"][0]["flags"],
            json!([
                "high_blood_pressure",
                "high_glucose",
                "underweight",
                "frail"
            ])
        );

        let (status, _) = call(
            &app,
            &nurse,
            "POST",
            &format!("{person}/group"),
            Some(json!({"group": "regular", "changed_on": "2026-11-22"})),
        )
        .await;
        assert_eq!(status, 201);
        let (_, detail) = call(&app, &nurse, "GET", &person, None).await;
        assert_eq!(detail["next_due"], "2027-02-20", "90 days from the change");
        assert_eq!(detail["changes"].as_array().unwrap().len(), 2);
        assert_eq!(detail["changes"][1]["from"], "intensive");

        // A regular-group person registered long ago and never visited is overdue.
        call(
            &app,
            &nurse,
            "POST",
            "/api/v1/health/people",
            Some(register("박정자", "regular", None)),
        )
        .await;
        let (_, overdue) = call(
            &app,
            &nurse,
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/health/people?overdue=1"),
            None,
        )
        .await;
        assert_eq!(overdue["total"], 1);
        assert_eq!(overdue["items"][0]["person_name"], "박정자");

        // (log-in, read, record a visit)
        for (login, expected) in [
            ("kim.welfare", (200, 403)),
            ("cho.case", (200, 403)),
            ("song.nurse", (404, 404)),
            ("park.council", (403, 403)),
            ("han.programme", (403, 403)),
        ] {
            let token = app.token(login).await;
            let (r, _) = call(&app, &token, "GET", &person, None).await;
            let (v, _) = call(
                &app,
                &token,
                "POST",
                &format!("{person}/visits"),
                Some(json!({"visited_on": "2026-11-23"})),
            )
            .await;
            assert_eq!((r, v), expected, "{}: {login}", app.engine);
        }

        // The local picture counts people by group, withholding small counts.
        for i in 0..5 {
            let mut body = register("자기역량", "self_capacity", None);
            body["person_name"] = json!(format!("주민{i}"));
            call(&app, &nurse, "POST", "/api/v1/health/people", Some(body)).await;
        }
        let council = app.token("park.council").await;
        let (_, area) = call(
            &app,
            &council,
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/welfare-area"),
            None,
        )
        .await;
        let groups = &area["health"]["by_group"];
        assert_eq!(
            groups[2],
            json!({"code": "self_capacity", "name": "자기역량지원군 (6개월 1회 이상)", "count": 5})
        );
        assert_eq!(groups[0]["count"], serde_json::Value::Null);
        assert!(!area.to_string().contains("최복남"));

        let http = client();
        log_in(&http, &app.address, "kang.nurse", "/work").await;
        let page = http
            .get(app.url(&format!("/work/health/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("고혈압") && page.contains("정기관리군"),
            "{}",
            app.engine
        );
        let csrf = csrf_of(&page);
        let res = http
            .post(app.url(&format!("/work/health/{id}/visits")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("visited_on", "2026-11-24"),
                ("systolic", "abc"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let list = http
            .get(app.url(&format!("/work/health?region={CHEONGUN}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("최**") && !list.contains("최복남"));
    }
}
