//! The expert pool: the ministry and a si/do register experts and keep their availability;
//! officials find them by specialty, si/do and availability; residents and experts do not.

use maeul_core::account::Role;
use serde_json::json;

use crate::{call, client, csrf_of, html_of, log_in, spawn_apps};

#[tokio::test]
async fn the_si_do_keeps_its_experts_and_officials_find_them() {
    for app in spawn_apps().await {
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2600000000")
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        app.add_user("kim.autonomy", Role::AutonomyStaff, "1111051500")
            .await;
        app.add_user("park.resident", Role::Resident, "1111051500")
            .await;
        let seoul = app.token("seoul.programme").await;
        let busan = app.token("busan.programme").await;
        let gu = app.token("yoon.programme").await;
        let place = app.token("kim.autonomy").await;
        let resident = app.token("park.resident").await;
        let pool = "/api/v1/regions/1100000000/experts";
        let han = json!({"name": "한공론", "organisation": "마을공론연구소",
                         "specialties": ["facilitation", "resident_autonomy"],
                         "regions": ["1100000000", "4100000000"], "email": "han@example.org",
                         "profile": "주민총회 퍼실리테이션 40회"});
        for (field, value, wrong) in [
            ("specialties", json!([]), "specialties"),
            ("specialties", json!(["magic"]), "specialties"),
            ("regions", json!(["1111000000"]), "regions"),
            ("regions", json!(["9900000000"]), "regions"),
            ("email", json!(""), "email"),
            ("name", json!(" "), "name"),
        ] {
            let mut bad = han.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &seoul, "POST", pool, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        assert_eq!(
            call(&app, &busan, "POST", pool, Some(han.clone())).await.0,
            403
        );
        assert_eq!(
            call(
                &app,
                &gu,
                "POST",
                "/api/v1/regions/1111000000/experts",
                Some(han.clone())
            )
            .await
            .0,
            404,
            "a si/gun/gu keeps no pool"
        );
        let (status, created) = call(&app, &seoul, "POST", pool, Some(han)).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        assert_eq!(
            created["specialties"],
            json!(["resident_autonomy", "facilitation"])
        );
        let (status, _) = call(
            &app,
            &busan,
            "POST",
            "/api/v1/regions/2600000000/experts",
            Some(
                json!({"name": "오돌봄", "specialties": ["welfare"], "phone": "051-000-0000",
                        "availability": "unavailable"}),
            ),
        )
        .await;
        assert_eq!(status, 201);

        // Officials find them; a resident may not look.
        let find = |q: &'static str| {
            let place = place.clone();
            let app = &app;
            async move { call(app, &place, "GET", &format!("/api/v1/experts{q}"), None).await }
        };
        assert_eq!(find("").await.1["total"], 2);
        assert_eq!(find("?specialty=facilitation").await.1["total"], 1);
        assert_eq!(find("?region=4100000000").await.1["total"], 2);
        assert_eq!(
            find("?region=2600000000").await.1["items"][0]["name"],
            "오돌봄",
            "busan's expert works everywhere"
        );
        assert_eq!(
            find("?region=2600000000").await.1["total"],
            1,
            "한공론 works in 서울 and 경기 only"
        );
        assert_eq!(find("?available=true").await.1["total"], 1);
        assert_eq!(find("?region=1111000000").await.0, 422);
        assert_eq!(find("?available=1").await.0, 422);
        app.add_user("lee.officer", Role::CouncilOfficer, "1111051500")
            .await;
        let volunteer = app.token("lee.officer").await;
        for token in [&resident, &volunteer] {
            assert_eq!(
                call(&app, token, "GET", "/api/v1/experts", None).await.0,
                403,
                "private persons' contacts are for public officials"
            );
        }

        // Availability: by the pool's keepers only.
        let id = created["id"].as_i64().unwrap();
        let availability = format!("/api/v1/experts/{id}/availability");
        let limited = json!({"availability": "limited"});
        assert_eq!(
            call(&app, &busan, "PUT", &availability, Some(limited.clone()))
                .await
                .0,
            404
        );
        assert_eq!(
            call(&app, &seoul, "PUT", &availability, Some(limited))
                .await
                .0,
            204
        );
        assert_eq!(
            find("?specialty=facilitation").await.1["items"][0]["availability"],
            "limited"
        );

        // The page: officials look, the si/do registers with boxes ticked.
        let html = html_of(
            &{
                let http = client();
                log_in(&http, &app.address, "kim.autonomy", "/work/experts").await;
                http
            },
            &app,
            "/work/experts?specialty=facilitation",
        )
        .await;
        assert!(
            html.contains("한공론")
                && !html.contains("오돌봄")
                && !html.contains("/work/expert-pool/")
        );
        let http = client();
        log_in(&http, &app.address, "seoul.programme", "/work/experts").await;
        let page = html_of(&http, &app, "/work/experts").await;
        let csrf = csrf_of(&page);
        let res = http
            .post(app.url("/work/expert-pool/1100000000"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("name", "정마을"),
                ("specialty", "community_planning"),
                ("specialty", "regional_projects"),
                ("region", "1100000000"),
                ("email", ""),
                ("phone", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "no way to reach them");
        let refused = res.text().await.unwrap();
        assert!(refused.contains("정마을") && refused.contains("전자우편이나 전화"));
        let res = http
            .post(app.url("/work/expert-pool/1100000000"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("name", "정마을"),
                ("specialty", "community_planning"),
                ("specialty", "regional_projects"),
                ("region", "1100000000"),
                ("email", ""),
                ("phone", "02-000-0000"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (_, found) = find("?specialty=regional_projects").await;
        assert_eq!(
            found["items"][0]["specialties"],
            json!(["community_planning", "regional_projects"])
        );
    }
}

#[tokio::test]
async fn the_keepers_correct_an_entry_and_take_it_out_at_the_experts_request() {
    for app in spawn_apps().await {
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2600000000")
            .await;
        app.add_user("kim.autonomy", Role::AutonomyStaff, "1111051500")
            .await;
        let seoul = app.token("seoul.programme").await;
        let busan = app.token("busan.programme").await;
        let place = app.token("kim.autonomy").await;
        let entry = json!({"name": "한공론", "specialties": ["facilitation"],
                           "regions": ["1100000000"], "email": "han@example.org",
                           "availability": "limited", "profile": "주민총회 40회"});
        let (_, created) = call(
            &app,
            &seoul,
            "POST",
            "/api/v1/regions/1100000000/experts",
            Some(entry.clone()),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let one = format!("/api/v1/experts/{id}");
        let mut corrected = entry.clone();
        corrected["email"] = json!("han@maeul.example");
        corrected["specialties"] = json!(["facilitation", "community_planning"]);
        assert_eq!(
            call(&app, &busan, "PUT", &one, Some(corrected.clone()))
                .await
                .0,
            404
        );
        let mut bad = corrected.clone();
        bad["email"] = json!("");
        let (status, problem) = call(&app, &seoul, "PUT", &one, Some(bad)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("email"))
        );
        let (status, saved) = call(&app, &seoul, "PUT", &one, Some(corrected)).await;
        assert_eq!(status, 200, "{}: {saved}", app.engine);
        assert_eq!(
            (saved["email"].as_str(), saved["specialties"].clone()),
            (
                Some("han@maeul.example"),
                json!(["community_planning", "facilitation"])
            )
        );

        // Taken out: gone from the list, contacts erased, no longer assignable or kept.
        assert_eq!(call(&app, &busan, "DELETE", &one, None).await.0, 404);
        assert_eq!(call(&app, &seoul, "DELETE", &one, None).await.0, 204);
        assert_eq!(call(&app, &seoul, "DELETE", &one, None).await.0, 404);
        let (_, found) = call(&app, &place, "GET", "/api/v1/experts", None).await;
        assert_eq!(found["total"], 0);
        let (_, gone) = call(
            &app,
            &seoul,
            "PUT",
            &format!("{one}/availability"),
            Some(json!({"availability": "available"})),
        )
        .await;
        assert_eq!(gone["status"], 404);
        let stored = app.store.experts().get(id).await.unwrap().unwrap();
        assert!(
            stored.removed
                && stored.expert.email.is_empty()
                && stored.expert.profile.is_empty()
                && stored.expert.name == "한공론"
        );
        let (_, asked) = call(
            &app,
            &place,
            "POST",
            "/api/v1/regions/1111051500/consultations",
            Some(json!({"title": "t", "specialty": "facilitation", "needs": "n"})),
        )
        .await;
        let (status, problem) = call(
            &app,
            &seoul,
            "PUT",
            &format!("/api/v1/consultations/{}/expert", asked["id"]),
            Some(json!({"expert_id": id})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("expert_id"))
        );

        // The pages: the keeper corrects on the entry's page, a refusal keeps the ticks.
        let (_, other) = call(
            &app,
            &seoul,
            "POST",
            "/api/v1/regions/1100000000/experts",
            Some(entry),
        )
        .await;
        let other = other["id"].as_i64().unwrap();
        let http = client();
        log_in(&http, &app.address, "seoul.programme", "/work/experts").await;
        let list = html_of(&http, &app, "/work/experts").await;
        assert!(list.contains(&format!("href=\"/work/experts/{other}\"")));
        let page = html_of(&http, &app, &format!("/work/experts/{other}")).await;
        assert!(page.contains("value=\"han@example.org\"") && page.contains("checked"));
        let post = |email: &'static str| {
            http.post(app.url(&format!("/work/experts/{other}")))
                .form(&[
                    ("_csrf", csrf_of(&page)),
                    ("name", "한공론".to_owned()),
                    ("specialty", "health".to_owned()),
                    ("email", email.to_owned()),
                    ("phone", String::new()),
                ])
                .send()
        };
        let res = post("").await.unwrap();
        assert_eq!(res.status(), 422);
        let refused = res.text().await.unwrap();
        assert!(
            refused.contains(
                "id=\"new-specialty-health\" name=\"specialty\" value=\"health\" checked"
            )
        );
        assert_eq!(post("h@example.org").await.unwrap().status(), 303);
        let e = app.store.experts().get(other).await.unwrap().unwrap();
        assert_eq!(
            (e.expert.email.as_str(), e.expert.availability.as_str()),
            ("h@example.org", "limited"),
            "the availability is kept"
        );
        let res = http
            .post(app.url(&format!("/work/experts/{other}/removal")))
            .form(&[("_csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert!(
            app.store
                .experts()
                .get(other)
                .await
                .unwrap()
                .unwrap()
                .removed
        );
        assert_eq!(
            http.get(app.url(&format!("/work/experts/{other}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    }
}
