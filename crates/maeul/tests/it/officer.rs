//! The officer network: programme staff keep the entries of the governments in their scope, the
//! ministry its own and everyone's; every workspace user finds a peer; residents and anonymous
//! callers do not see it.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, spawn_apps};

const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn programme_staff_keep_their_officers_and_peers_find_them() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("jung.welfare", Role::WelfareStaff, CHEONGUN)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        let gu = app.token("yoon.programme").await;
        let busan = app.token("busan.programme").await;
        let ministry = app.token("lee.ministry").await;
        let welfare = app.token("jung.welfare").await;
        let resident = app.token("kim.resident").await;

        let officer = json!({"field": "welfare", "name": "정복지", "department": "청운효자동 맞춤형복지팀",
                             "position": "주무관", "phone": "02-2148-5000", "email": "jung@jongno.go.kr"});
        let add = |code: &str| format!("/api/v1/regions/{code}/officers");
        let (status, _) = call(
            &app,
            &welfare,
            "POST",
            &add(CHEONGUN),
            Some(officer.clone()),
        )
        .await;
        assert_eq!(
            status, 403,
            "welfare staff read the network, they do not keep it"
        );
        let (status, _) = call(&app, &busan, "POST", &add(CHEONGUN), Some(officer.clone())).await;
        assert_eq!(status, 403, "another si/gun/gu's staff");
        for (field, value) in [
            ("phone", json!("02-21a8")),
            ("email", json!("jung@jongno")),
            ("field", json!("weather")),
            ("name", json!(" ")),
        ] {
            let mut bad = officer.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &gu, "POST", &add(CHEONGUN), Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let (status, created) =
            call(&app, &gu, "POST", &add(CHEONGUN), Some(officer.clone())).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let (status, problem) =
            call(&app, &gu, "POST", &add(CHEONGUN), Some(officer.clone())).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("name")),
            "listed once"
        );
        let mut lead = officer.clone();
        lead["field"] = json!("programme");
        lead["name"] = json!("윤총괄");
        lead["department"] = json!("자치행정과");
        let (status, _) = call(&app, &gu, "POST", &add(JONGNO), Some(lead)).await;
        assert_eq!(status, 201);
        let mut national = officer.clone();
        national["field"] = json!("programme");
        national["name"] = json!("임추진");
        national["department"] = json!("주민자치형 공공서비스 추진단");
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &add("0000000000"),
            Some(national.clone()),
        )
        .await;
        assert_eq!(status, 403, "the ministry's own entries are the ministry's");
        app.add_user("nation.programme", Role::ProgrammeStaff, "0000000000")
            .await;
        let nation = app.token("nation.programme").await;
        let (status, _) = call(
            &app,
            &nation,
            "POST",
            &add("0000000000"),
            Some(national.clone()),
        )
        .await;
        assert_eq!(
            status, 403,
            "not even a programme officer with a national scope"
        );
        let (status, _) = call(&app, &ministry, "POST", &add("0000000000"), Some(national)).await;
        assert_eq!(status, 201);

        // Peers find them by government, field and words; residents and the public do not.
        for (query, n) in [
            ("", 3),
            ("?region=1111000000", 2),
            ("?region=1111051500", 1),
            ("?region=2600000000", 0),
            ("?field=welfare", 1),
            ("?q=%EC%9E%90%EC%B9%98%ED%96%89%EC%A0%95", 1),
            ("?q=%EC%B2%AD%EC%9A%B4", 1),
        ] {
            let (status, found) = call(
                &app,
                &welfare,
                "GET",
                &format!("/api/v1/officers{query}"),
                None,
            )
            .await;
            assert_eq!(
                (status, found["total"].clone()),
                (200, json!(n)),
                "{query}: {found}"
            );
        }
        let (_, found) = call(&app, &busan, "GET", "/api/v1/officers?field=welfare", None).await;
        assert_eq!(
            found["items"][0]["phone"], "02-2148-5000",
            "a peer elsewhere finds them"
        );
        let (status, found) = call(
            &app,
            &welfare,
            "GET",
            "/api/v1/officers?q=%00%EC%B2%AD%EC%9A%B4",
            None,
        )
        .await;
        assert_eq!(
            (status, found["total"].clone()),
            (200, json!(1)),
            "a control character stands for nothing searched for"
        );
        let (status, _) = call(&app, &resident, "GET", "/api/v1/officers", None).await;
        assert_eq!(status, 403);
        let (status, _) = anonymous(&app, "/api/v1/officers").await;
        assert_eq!(status, 401);

        // Kept within the scope: edited and taken off by its own staff only.
        let one = format!("/api/v1/officers/{}", created["id"]);
        let mut moved = officer.clone();
        moved["phone"] = json!("02-2148-5001");
        let (status, _) = call(&app, &busan, "PUT", &one, Some(moved.clone())).await;
        assert_eq!(status, 404);
        let (status, _) = call(&app, &gu, "PUT", &one, Some(moved)).await;
        assert_eq!(status, 204);
        let (_, found) = call(
            &app,
            &welfare,
            "GET",
            "/api/v1/officers?field=welfare",
            None,
        )
        .await;
        assert_eq!(found["items"][0]["phone"], "02-2148-5001");
        let (status, _) = call(&app, &busan, "DELETE", &one, None).await;
        assert_eq!(status, 404);
        let (status, _) = call(&app, &ministry, "DELETE", &one, None).await;
        assert_eq!(status, 204, "the ministry keeps every entry");

        let page = client()
            .get(app.url("/work/officers"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            page.headers()["location"],
            "/login?next=/work/officers",
            "the directory is behind the log-in"
        );
    }
}
