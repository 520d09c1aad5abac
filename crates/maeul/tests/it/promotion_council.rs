//! Promotion councils: programme staff of the scope keep a local government's council, its
//! members and its meetings with their decisions; everyone reads it.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, spawn_apps};

const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn programme_staff_keep_the_council_and_everyone_reads_it() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        let gu = app.token("yoon.programme").await;
        let busan = app.token("busan.programme").await;
        let members = format!("/api/v1/regions/{JONGNO}/promotion-council-members");
        let meetings = format!("/api/v1/regions/{JONGNO}/promotion-council-meetings");

        let chair = json!({"name": "윤총괄", "affiliation": "sigungu_department", "organisation": "자치행정과",
                           "chair": true, "joined_on": "2020-03-02"});
        let (status, _) = call(&app, &busan, "POST", &members, Some(chair.clone())).await;
        assert_eq!(status, 403, "another si/gun/gu's staff");
        for (field, value) in [
            ("name", json!(" ")),
            ("affiliation", json!("mayor")),
            ("organisation", json!("a\u{1}b")),
            ("joined_on", json!("2020-02-30")),
        ] {
            let mut bad = chair.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &gu, "POST", &members, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/promotion-council-members"),
            Some(chair.clone()),
        )
        .await;
        assert_eq!(status, 404, "an eup/myeon/dong has no promotion council");
        let (status, member) = call(&app, &gu, "POST", &members, Some(chair)).await;
        assert_eq!(status, 201, "{}: {member}", app.engine);
        let (status, council_member) = call(&app, &gu, "POST", &members, Some(json!({"name": "박회장", "affiliation": "resident_council", "organisation": "청운효자동 주민자치회", "joined_on": "2020-03-02"}))).await;
        assert_eq!(status, 201);

        let meeting = json!({"title": "제1차 추진협의회", "held_on": "2020-04-10", "attended": 12, "minutes": "실시계획 심의",
                             "decisions": [{"kind": "implementation_plan", "summary": "2020년 실시계획 확정"},
                                           {"kind": "resource_linkage", "summary": "마을 정원 사업에 도시재생 자원 연계"}]});
        for (field, value) in [
            ("attended", json!(0)),
            ("held_on", json!("yesterday")),
            ("decisions", json!([{"kind": "ordinance", "summary": " "}])),
            ("decisions", json!([{"kind": "law", "summary": "x"}])),
        ] {
            let mut bad = meeting.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &gu, "POST", &meetings, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let (status, recorded) = call(&app, &gu, "POST", &meetings, Some(meeting)).await;
        assert_eq!(status, 201);
        assert_eq!(recorded["decisions"].as_array().map(Vec::len), Some(2));

        let (status, council) =
            anonymous(&app, &format!("/api/v1/regions/{JONGNO}/promotion-council")).await;
        assert_eq!(status, 200);
        assert_eq!(council["members"].as_array().map(Vec::len), Some(2));
        assert_eq!(council["members"][0]["chair"], true, "the chair first");
        assert_eq!(
            (
                council["meetings_total"].clone(),
                council["meetings"][0]["decisions"][1]["kind"].clone()
            ),
            (json!(1), json!("resource_linkage"))
        );

        let departure = format!(
            "/api/v1/promotion-council-members/{}/departure",
            council_member["id"]
        );
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &departure,
            Some(json!({"left_on": "2019-01-01"})),
        )
        .await;
        assert_eq!(status, 422, "before joining");
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &departure,
            Some(json!({"left_on": "2999-01-01"})),
        )
        .await;
        assert_eq!(status, 422, "after today");
        let (status, _) = call(&app, &busan, "POST", &departure, Some(json!({}))).await;
        assert_eq!(status, 404, "outside the scope");
        let (status, _) = call(&app, &gu, "POST", &departure, Some(json!({}))).await;
        assert_eq!(status, 204);
        let (status, _) = call(&app, &gu, "POST", &departure, Some(json!({}))).await;
        assert_eq!(status, 409, "once");
        let (_, council) =
            anonymous(&app, &format!("/api/v1/regions/{JONGNO}/promotion-council")).await;
        assert_eq!(
            council["members"].as_array().map(Vec::len),
            Some(1),
            "{}",
            member
        );

        let page = client()
            .get(app.url(&format!("/promotion-councils/{JONGNO}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("2020년 실시계획 확정") && !html.contains("/work/promotion-councils"),
            "no forms for the public"
        );
    }
}

#[tokio::test]
async fn the_ministry_keeps_the_national_public_private_council() {
    for app in spawn_apps().await {
        app.add_user("im.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        let ministry = app.token("im.ministry").await;
        let sido = app.token("seoul.programme").await;
        let members = "/api/v1/regions/0000000000/promotion-council-members";
        let member = json!({"name": "정협력", "affiliation": "national_organisation",
                            "organisation": "주민자치 관련 전국 민간단체", "chair": true, "joined_on": "2026-02-02"});
        let (status, _) = call(&app, &sido, "POST", members, Some(member.clone())).await;
        assert_eq!(status, 403, "a si/do keeps its own council only");
        let (status, body) = call(&app, &ministry, "POST", members, Some(member)).await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = call(
            &app,
            &ministry,
            "POST",
            members,
            Some(json!({"name": "김부처", "affiliation": "ministry",
                        "organisation": "국토교통부 도시재생정책과", "joined_on": "2026-02-02"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, council) =
            anonymous(&app, "/api/v1/regions/0000000000/promotion-council").await;
        assert_eq!(status, 200);
        assert_eq!(
            council["members"][0]["affiliation"], "national_organisation",
            "{council}"
        );
        let html = client()
            .get(app.url("/promotion-councils/0000000000"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("주민자치 민관협의회") && html.contains("중앙부처·공공기관"),
            "{html}"
        );
        let portal = client()
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(portal.contains("/promotion-councils/0000000000"));
    }
}
