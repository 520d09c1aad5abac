//! Dashboards: the officials of a scope read its figures and those of each region below it,
//! counts that add up level by level, as JSON, as a page with charts and as a workbook.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{anonymous, call, client, spawn_apps};

const NATION: &str = "0000000000";
const SEOUL: &str = "1100000000";
const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

/// Every count of `figures` equals `own` plus the sum over `below`, wherever none of them is
/// withheld; returns how many counts were compared.
fn assert_adds_up(d: &Value) -> usize {
    let mut compared = 0;
    let figures = d["figures"].as_object().unwrap();
    for (topic, rows) in figures {
        for (code, n) in rows.as_object().unwrap() {
            let below: Option<Vec<i64>> = d["below"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["figures"][topic][code].as_i64())
                .collect();
            let (Some(n), Some(own), Some(below)) =
                (n.as_i64(), d["own"][topic][code].as_i64(), below)
            else {
                continue;
            };
            assert_eq!(
                n,
                own + below.iter().sum::<i64>(),
                "{} {topic}.{code}",
                d["region_code"]
            );
            compared += 1;
        }
    }
    compared
}

/// How many counts a dashboard has.
fn records_count(d: &Value) -> usize {
    d["figures"]
        .as_object()
        .unwrap()
        .values()
        .map(|rows| rows.as_object().unwrap().len())
        .sum()
}

#[tokio::test]
async fn the_figures_of_every_level_add_up_and_stay_within_the_scope() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("kim.welfare", Role::WelfareStaff, CHEONGUN)
            .await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("lee.ministry", Role::Ministry, NATION).await;
        app.add_user("cho.case", Role::CaseManager, JONGNO).await;
        let gu = app.token("yoon.programme").await;
        let kim = app.token("kim.welfare").await;
        let officer = app.token("park.officer").await;
        let ministry = app.token("lee.ministry").await;
        let case_manager = app.token("cho.case").await;
        let dashboard = |code: &str| format!("/api/v1/dashboards/{code}");

        // What the programme staff and the welfare staff record.
        for (code, post) in [
            (JONGNO, json!({"kind": "programme", "holder": "윤총괄"})),
            (CHEONGUN, json!({"kind": "welfare"})),
            (SAJIK, json!({"kind": "autonomy", "holder": "최자치"})),
        ] {
            let path = format!("/api/v1/regions/{code}/staff-posts");
            let (status, body) = call(&app, &gu, "POST", &path, Some(post)).await;
            assert_eq!(status, 201, "{body}");
        }
        let change = json!({"model": "service_linked", "since": "2020-01-01"});
        let path = format!("/api/v1/regions/{CHEONGUN}/org-model-changes");
        let (status, body) = call(&app, &gu, "POST", &path, Some(change)).await;
        assert_eq!(status, 201, "{body}");
        for emd in [CHEONGUN, CHEONGUN] {
            let case = json!({"emd_code": emd, "person_name": "김순자", "birth_year": 1948,
                              "source": "walk_in", "opened_on": "2026-10-01"});
            let (status, body) = call(&app, &kim, "POST", "/api/v1/cases", Some(case)).await;
            assert_eq!(status, 201, "{body}");
        }

        let (status, jongno) = call(&app, &gu, "GET", &dashboard(JONGNO), None).await;
        assert_eq!(status, 200, "{}: {jongno}", app.engine);
        assert_eq!(jongno["region_name"], "서울특별시 종로구");
        assert_eq!(jongno["level"], "sigungu");
        let places = jongno["below"].as_array().unwrap().len() as i64;
        assert_eq!(places, 17, "the dong of 종로구 in use");
        assert_eq!(
            jongno["figures"]["staff_posts"],
            json!({"programme": 1, "welfare": 1, "nurse": 0, "autonomy": 1})
        );
        assert_eq!(jongno["figures"]["vacancies"]["welfare"], 1);
        assert_eq!(
            jongno["own"]["staff_posts"]["programme"], 1,
            "a post whose quota the si/gun/gu holds counts at the si/gun/gu"
        );
        assert_eq!(jongno["figures"]["org_models"]["service_linked"], 1);
        assert_eq!(jongno["figures"]["org_models"]["unrecorded"], places - 1);
        assert_eq!(
            jongno["figures"]["cases"]["intake"],
            Value::Null,
            "two cases: withheld from programme staff, who do not read the records"
        );
        assert_adds_up(&jongno);
        let (_, records) = call(&app, &case_manager, "GET", &dashboard(JONGNO), None).await;
        assert_eq!(
            records["figures"]["cases"]["intake"], 2,
            "the case manager reads them"
        );
        assert_eq!(records["below"][0]["figures"]["cases"]["intake"], 2);
        let compared = assert_adds_up(&records);
        assert_eq!(
            compared,
            records_count(&records),
            "nothing withheld from her"
        );

        let (status, nation) = call(&app, &ministry, "GET", &dashboard(NATION), None).await;
        assert_eq!(status, 200);
        assert_eq!(nation["below"].as_array().unwrap().len(), 17, "the si/do");
        assert_eq!(nation["figures"]["cases"]["intake"], Value::Null);
        assert_eq!(nation["figures"]["staff_posts"]["welfare"], 1);
        assert!(
            assert_adds_up(&nation) > 30,
            "the topics without personal counts"
        );
        let (_, seoul) = call(&app, &ministry, "GET", &dashboard(SEOUL), None).await;
        assert_adds_up(&seoul);
        let (status, place) = call(&app, &kim, "GET", &dashboard(CHEONGUN), None).await;
        assert_eq!(status, 200);
        assert_eq!(place["below"], json!([]));
        assert_eq!(place["figures"]["staff_posts"]["welfare"], 1);
        assert_eq!(
            place["figures"]["cases"]["intake"], 2,
            "her own place's records"
        );
        assert_eq!(
            place["own"], place["figures"],
            "a place counts everything itself"
        );
        let total: i64 = place["figures"]["org_models"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_i64().unwrap())
            .sum();
        assert_eq!(total, 1, "a place counts once");

        for (token, code, expected) in [
            (&gu, NATION, 403),
            (&gu, "2611000000", 403),
            (&kim, JONGNO, 403),
            (&officer, CHEONGUN, 403),
            (&ministry, "9999999900", 404),
            (&ministry, "12", 404),
        ] {
            let (status, _) = call(&app, token, "GET", &dashboard(code), None).await;
            assert_eq!(status, expected, "{code}");
        }
        let (status, _) = anonymous(&app, &dashboard(NATION)).await;
        assert_eq!(status, 401);

        let mismatches = app.store.dashboards().check().await.unwrap();
        assert!(mismatches.is_empty(), "{mismatches:?}");
    }
}

#[tokio::test]
async fn the_page_draws_each_topic_with_its_table_and_downloads_a_workbook() {
    let app = crate::spawn_app().await;
    app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
        .await;
    let gu = app.token("yoon.programme").await;
    let path = format!("/api/v1/regions/{JONGNO}/staff-posts");
    let (status, _) = call(&app, &gu, "POST", &path, Some(json!({"kind": "programme"}))).await;
    assert_eq!(status, 201);

    let staff = client();
    crate::log_in(&staff, &app.address, "yoon.programme", "/work").await;
    let home = staff.get(app.url("/work")).send().await.unwrap();
    let home = home.text().await.unwrap();
    assert!(
        home.contains(&format!("/dashboards/{JONGNO}")),
        "a shortcut"
    );
    let page = staff
        .get(app.url(&format!("/dashboards/{JONGNO}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("<svg class=\"maeul-chart\"").count(), 14);
    assert!(html.contains("인력 정원"), "topics in Korean");
    assert!(html.contains(&format!("/dashboards/{CHEONGUN}#org_models")));
    assert!(html.contains("이 지역 자체"), "the si/gun/gu's own post");

    let res = staff
        .get(app.url(&format!("/dashboards/{JONGNO}?format=xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    use calamine::DataType;
    let sheets = crate::xlsx_sheets(&res.bytes().await.unwrap());
    assert_eq!(sheets.len(), 14, "a sheet per topic");
    let (_, rows) = sheets.iter().find(|(n, _)| n == "인력 정원").unwrap();
    let total = rows.last().unwrap();
    assert_eq!(total[0].to_string(), "서울특별시 종로구");
    let column = |c: usize| -> i64 {
        rows[1..rows.len() - 1]
            .iter()
            .map(|r| r[c].as_f64().unwrap() as i64)
            .sum()
    };
    assert_eq!(total[1].as_f64(), Some(1.0), "one programme post");
    assert_eq!(column(1), 1, "the rows add up to the total");

    let bad = staff
        .get(app.url(&format!("/dashboards/{JONGNO}?format=pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let outside = staff
        .get(app.url("/dashboards/2600000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 403);
}
