//! MOUs: the ministry records the five-ministry MOU at the nation, a place's staff the MOU of
//! its local actors; everyone reads them, a region's list taking in the regions below.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, csrf_of, html_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn mous_are_recorded_where_they_were_made_and_read_by_everyone() {
    for app in spawn_apps().await {
        app.add_user("im.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        let ministry = app.token("im.ministry").await;
        let place = app.token("kim.autonomy").await;
        let busan = app.token("busan.programme").await;

        let five = json!({"title": "지역활성화 5부처 업무협약", "kind": "interministerial",
                          "parties": ["행정안전부", "국토교통부", "보건복지부", "농림축산식품부", "교육부"],
                          "signed_on": "2019-03-20", "scope": "인구감소 대응과 지역활성화를 위한 융합적 협력"});
        let (status, created) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/regions/0000000000/mous",
            Some(five.clone()),
        )
        .await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        assert_eq!(
            (created["in_force"].clone(), created["parties"][4].clone()),
            (json!(true), json!("교육부"))
        );
        let (status, _) = call(
            &app,
            &place,
            "POST",
            "/api/v1/regions/0000000000/mous",
            Some(five.clone()),
        )
        .await;
        assert_eq!(status, 403, "a place records its own");

        let local = format!("/api/v1/regions/{CHEONGUN}/mous");
        let garden = json!({"title": "마을 정원 공동 운영 협약", "kind": "local_actors",
                            "parties": ["청운효자동 주민자치회", "종로 사회적협동조합"],
                            "signed_on": "2026-04-01", "ends_on": "2026-12-31"});
        for (field, value, wrong) in [
            ("parties", json!(["청운효자동 주민자치회"]), "parties"),
            ("parties", json!(["주민자치회", "주민자치회 "]), "parties"),
            ("kind", json!("treaty"), "kind"),
            ("signed_on", json!("2999-01-01"), "signed_on"),
            ("signed_on", json!("2026-02-30"), "signed_on"),
            ("ends_on", json!("2026-04-01"), "ends_on"),
            ("title", json!("a\u{7}b"), "title"),
        ] {
            let mut bad = garden.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &place, "POST", &local, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        assert_eq!(
            call(&app, &busan, "POST", &local, Some(garden.clone()))
                .await
                .0,
            403
        );
        let (status, _) = call(&app, &place, "POST", &local, Some(garden)).await;
        assert_eq!(status, 201);

        // The nation lists both, newest signed first; the 구 its place's; 부산 none.
        let (_, all) = anonymous(&app, "/api/v1/mous").await;
        assert_eq!(all["total"], 2);
        assert_eq!(all["items"][0]["title"], "마을 정원 공동 운영 협약");
        let (_, gu) = anonymous(&app, "/api/v1/mous?region=1111000000").await;
        assert_eq!(gu["total"], 1);
        let (_, busan_list) = anonymous(&app, "/api/v1/mous?region=2600000000").await;
        assert_eq!(busan_list["total"], 0);
        assert_eq!(anonymous(&app, "/api/v1/mous?region=11").await.0, 422);
        assert_eq!(anonymous(&app, "/api/v1/mous/999999").await.0, 404);

        // The pages: the public list, and the form for a place's staff with the parties one to
        // a line; a refused form comes back as typed.
        let html = html_of(&client(), &app, "/r/0000000000/mous").await;
        assert!(html.contains("지역활성화 5부처 업무협약") && html.contains("교육부"));
        assert!(!html.contains("/work/regions/"), "no form for the public");
        let http = client();
        let list = format!("/r/{CHEONGUN}/mous");
        log_in(&http, &app.address, "kim.autonomy", &list).await;
        let page = html_of(&http, &app, &list).await;
        let csrf = csrf_of(&page);
        let form = |parties: &str| {
            vec![
                ("_csrf", csrf.clone()),
                ("title", "청년 공간 협약".to_owned()),
                ("kind", "public_private".to_owned()),
                ("parties", parties.to_owned()),
                ("signed_on", "2026-05-02".to_owned()),
                ("ends_on", String::new()),
                ("scope", "빈 점포를 청년 공간으로".to_owned()),
            ]
        };
        let work = app.url(&format!("/work/regions/{CHEONGUN}/mous"));
        let res = http
            .post(&work)
            .form(&form("종로구청"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(refused.contains("2곳 이상") && refused.contains("청년 공간 협약"));
        let res = http
            .post(&work)
            .form(&form("종로구청\r\n\r\n청운효자동 주민자치회\r\n"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let shown = html_of(&http, &app, res.headers()["location"].to_str().unwrap()).await;
        assert!(
            shown.contains("종로구청 · 청운효자동 주민자치회") && shown.contains("정하지 않음"),
            "{shown}"
        );
    }
}
