//! The programme catalogue through the API, the pages and the CLI: Korean search with
//! filters and facets, editing by ministry staff with history, the sourcebook, the XLSX
//! export read back and imported again.

use maeul_core::account::Role;
use serde_json::json;

use crate::assembly::post_form;
use crate::cli::maeul;
use crate::{call, client, spawn_apps};

fn names(out: &serde_json::Value) -> Vec<String> {
    out["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_shipped_catalogue_is_searchable_in_korean() {
    for app in spawn_apps().await {
        let get = |path: String| {
            let app = &app;
            async move { call(app, "", "GET", &path, None).await }
        };
        let (status, all) = get("/api/v1/programmes?per_page=100".into()).await;
        assert_eq!(status, 200);
        assert_eq!(all["total"], 34, "{}", app.engine);

        // A word finds the compounds that hold it, best match first, highlighted.
        let (_, found) = get("/api/v1/programmes?q=%EC%B2%AD%EB%85%84".into()).await; // 청년
        let found_names = names(&found);
        assert!(found_names[0].contains("청년"), "{found_names:?}");
        assert!(found_names.contains(&"청년마을 만들기 지원 사업".to_owned()));
        assert!(
            found["items"][0]["highlight"]["name"]
                .as_str()
                .unwrap()
                .contains("<mark>청년</mark>")
        );
        assert!(found["items"][0]["score"].as_f64().unwrap() > 0.0);
        let (_, empty_houses) = get("/api/v1/programmes?q=%EB%B9%88%EC%A7%91".into()).await; // 빈집
        assert!(
            names(&empty_houses).iter().any(|n| n.contains("행복농촌")),
            "빈집재생 in a summary: {:?}",
            names(&empty_houses)
        );

        // Filters and facets: a ministry's facet count is what choosing it gives.
        let (_, by_topic) = get("/api/v1/programmes?topic=youth".into()).await;
        let mois = by_topic["facets"]["ministry"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == "행정안전부")
            .cloned()
            .unwrap();
        let (_, narrowed) = get(format!(
            "/api/v1/programmes?topic=youth&ministry={}",
            "%ED%96%89%EC%A0%95%EC%95%88%EC%A0%84%EB%B6%80"
        ))
        .await;
        assert_eq!(narrowed["total"], mois["count"]);
        let (_, emd) = get("/api/v1/programmes?target=emd".into()).await;
        assert!(names(&emd).iter().any(|n| n.contains("스마트빌리지")));

        // Paging is stable and covers every match once.
        let mut seen = Vec::new();
        for page in 1..=4 {
            let (_, p) = get(format!("/api/v1/programmes?per_page=10&page={page}")).await;
            seen.extend(
                p["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_i64().unwrap()),
            );
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 34);

        for bad in [
            "target=planet",
            "topic=weather",
            "min_amount=lots",
            "open=maybe",
            "q=",
            "per_page=500",
        ] {
            let (status, problem) = get(format!("/api/v1/programmes?{bad}")).await;
            assert_eq!(status, 422, "{bad}");
            assert!(problem["errors"][0]["field"].is_string(), "{bad}");
        }
    }
}

#[tokio::test]
async fn ministry_staff_edit_the_catalogue_and_every_change_is_kept() {
    for app in spawn_apps().await {
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("kim.resident", Role::Resident, "1111051500")
            .await;
        let ministry = app.token("lee.ministry").await;
        let resident = app.token("kim.resident").await;
        let entry = json!({
            "year": 2026, "ministry": "국토교통부", "name": "주민참여형 소규모 도시재생",
            "summary": "주민자치회가 세운 마을 계획의 집수리와 골목 정비를 지원",
            "target": "읍·면·동 주민자치회", "amount_max": 500000000, "years": 2,
            "opens_on": "2026-01-01", "closes_on": "2099-12-31",
            "source": "https://www.molit.go.kr"
        });
        let (status, _) = call(
            &app,
            &resident,
            "POST",
            "/api/v1/catalogue-entries",
            Some(entry.clone()),
        )
        .await;
        assert_eq!(status, 403);
        let mut bad = entry.clone();
        bad["closes_on"] = json!("2025-12-31");
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/catalogue-entries",
            Some(bad),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["field"], "closes_on");
        let (status, created) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/catalogue-entries",
            Some(entry.clone()),
        )
        .await;
        assert_eq!(status, 201, "{}", app.engine);
        let id = created["id"].as_i64().unwrap();

        // The new entry is found at once, read from its words, and open today.
        let (_, found) = call(
            &app,
            "",
            "GET",
            "/api/v1/programmes?q=%EC%A7%91%EC%88%98%EB%A6%AC&open=true",
            None,
        )
        .await; // 집수리
        let hit = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .cloned()
            .unwrap();
        assert_eq!(hit["open"], true);
        assert!(
            hit["target_units"]
                .as_array()
                .unwrap()
                .contains(&json!("emd"))
        );
        assert!(
            hit["topics"]
                .as_array()
                .unwrap()
                .contains(&json!("housing"))
        );
        let (_, by_amount) = call(
            &app,
            "",
            "GET",
            "/api/v1/programmes?min_amount=500000000",
            None,
        )
        .await;
        assert!(names(&by_amount).contains(&"주민참여형 소규모 도시재생".to_owned()));

        // A new year's version with a new name; the old year stays.
        let mut next = entry.clone();
        next.as_object_mut().unwrap().remove("year");
        next["name"] = json!("주민참여형 도시재생");
        next["amount_max"] = json!(700000000);
        let path = format!("/api/v1/programmes/{id}/versions/2027");
        let (status, out) = call(&app, &ministry, "PUT", &path, Some(next.clone())).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["changed"], true);
        let (_, again) = call(&app, &ministry, "PUT", &path, Some(next)).await;
        assert_eq!(again["changed"], false);
        let (status, _) = call(&app, &resident, "PUT", &path, Some(json!({}))).await;
        assert_eq!(status, 403);
        let (status, _) = call(
            &app,
            &ministry,
            "PUT",
            "/api/v1/programmes/9999999/versions/2027",
            Some(entry.clone()),
        )
        .await;
        assert_eq!(status, 404);
        let (_, shown) = call(&app, "", "GET", &format!("/api/v1/programmes/{id}"), None).await;
        let years: Vec<i64> = shown["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["year"].as_i64().unwrap())
            .collect();
        assert_eq!(years, [2027, 2026]);
        assert_eq!(shown["versions"][1]["name"], "주민참여형 소규모 도시재생");
        let (_, history) = call(
            &app,
            &ministry,
            "GET",
            &format!("/api/v1/programmes/{id}/history"),
            None,
        )
        .await;
        assert_eq!(history.as_array().unwrap().len(), 2);
        assert_eq!(history[0]["after"]["amount_max"], 700000000);
        let (status, _) = call(
            &app,
            &resident,
            "GET",
            &format!("/api/v1/programmes/{id}/history"),
            None,
        )
        .await;
        assert_eq!(status, 403);
        // The search shows the current year's name.
        let (_, found) = call(
            &app,
            "",
            "GET",
            "/api/v1/programmes?q=%EB%8F%84%EC%8B%9C%EC%9E%AC%EC%83%9D",
            None,
        )
        .await; // 도시재생
        assert!(names(&found).contains(&"주민참여형 도시재생".to_owned()));
        assert!(!names(&found).contains(&"주민참여형 소규모 도시재생".to_owned()));
    }
}

#[tokio::test]
async fn the_pages_search_edit_print_and_export() {
    let app = crate::spawn_app().await;
    app.add_user("lee.ministry", Role::Ministry, "0000000000")
        .await;
    let visitor = client();
    let page = visitor
        .get(app.url("/programmes?q=%EC%B2%AD%EB%85%84"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<mark>청년</mark>"), "highlighted");
    assert!(page.contains("행정안전부 ("), "facet counts");
    let rich = visitor
        .get(app.url("/programmes?min_amount=10%EC%96%B5%EC%9B%90")) // 10억원
        .send()
        .await
        .unwrap();
    assert_eq!(rich.status(), 200, "the form reads amounts in Korean units");
    let book = visitor
        .get(app.url("/sourcebook"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(book.contains("청년이 떠나고 있어요"));
    assert!(
        book.contains("그 밖의 사업"),
        "untagged programmes have their chapter"
    );
    assert!(
        book.contains("스마트챌린지 - 시티 챌린지"),
        "every shipped programme is in it"
    );
    assert!(book.contains("data-print"));
    let res = visitor
        .get(app.url("/work/programmes/new"))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 200, "visitors do not edit");

    let staff = client();
    crate::log_in(&staff, &app.address, "lee.ministry", "/programmes").await;
    let form = [
        ("year", "2026"),
        ("ministry", "행정안전부"),
        ("name", "마을 돌봄 공동체"),
        ("summary", "이웃이 이웃을 돌보는 공동체를 지원"),
        ("target", "주민 단체"),
        ("topics", "care"),
        ("topics", "community"),
        ("amount_max", "3천만원"),
    ];
    let mut bad = form.to_vec();
    bad[7] = ("amount_max", "많이");
    let res = post_form(
        &staff,
        &app,
        "/work/programmes/new",
        "/work/programmes/new",
        &bad,
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text().await.unwrap().contains("많이"),
        "what was typed stays"
    );
    let res = post_form(
        &staff,
        &app,
        "/work/programmes/new",
        "/work/programmes/new",
        &form,
    )
    .await;
    assert_eq!(res.status(), 303);
    let at = res.headers()["location"].to_str().unwrap().to_owned();
    let shown = staff
        .get(app.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("최대 3,000만원"), "{shown}");
    assert!(shown.contains("마을공동체"));
    let id = at.trim_start_matches("/programmes/");
    let edit = format!("/work/programmes/{id}/edit");
    let mut changed = form.to_vec();
    changed[2] = ("name", "마을 돌봄 공동체 지원");
    let res = post_form(&staff, &app, &edit, &edit, &changed).await;
    assert_eq!(res.status(), 303);
    let history = staff
        .get(app.url(&format!("/work/programmes/{id}/history")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("사업명"),
        "the changed field is named: {history}"
    );

    // The export holds every match in the import's columns, and imports back unchanged.
    let bytes = visitor
        .get(app.url("/programmes?topic=care&format=xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows: Vec<Vec<String>> = crate::xlsx_sheets(&bytes)
        .remove(0)
        .1
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "사업ID");
    assert!(
        rows.iter()
            .any(|r| r.contains(&"마을 돌봄 공동체 지원".to_string()))
    );
    let (_, care) = call(
        &app,
        "",
        "GET",
        "/api/v1/programmes?topic=care&per_page=100",
        None,
    )
    .await;
    assert_eq!(rows.len() as i64 - 1, care["total"].as_i64().unwrap());
}

#[test]
fn the_catalogue_imports_from_a_file_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalogue.csv");
    std::fs::write(
        &file,
        "ministry,program,target,summary,source,amount_max,year\n\
         국토교통부,주민참여형 소규모 도시재생,읍·면·동,집수리와 골목 정비,https://www.molit.go.kr,5억원,2026\n\
         행정안전부,,시·군,이름 없는 줄,,,2026\n\
         행정안전부,마을공방 육성사업,시·군·구,유휴시설,,열네억,2026\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (ok, _, err) = maeul(dir.path(), &["import", "programmes", path], None);
    assert!(!ok);
    assert!(err.contains("catalogue.csv:3:"), "no name: {err}");
    assert!(err.contains("catalogue.csv:4:"), "a bad amount: {err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let text = std::fs::read_to_string(&file).unwrap();
    let fixed: Vec<&str> = text.lines().take(2).collect();
    std::fs::write(&file, fixed.join("\n")).unwrap();
    let (ok, out, err) = maeul(dir.path(), &["import", "programmes", path], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("1 programmes read: 1 new, 0 changed, 0 unchanged"),
        "{out}"
    );
    let (ok, out, _) = maeul(dir.path(), &["import", "programmes", path], None);
    assert!(ok);
    assert!(
        out.contains("0 new, 0 changed, 1 unchanged"),
        "the same file again: {out}"
    );
}

#[tokio::test]
async fn a_local_problem_is_matched_to_programmes_with_reasons() {
    for app in spawn_apps().await {
        let ask = |body: serde_json::Value| {
            let app = &app;
            async move { call(app, "", "POST", "/api/v1/programmes/match", Some(body)).await }
        };
        let text =
            "마을에 빈집이 늘어나 흉물이 되고 있어요. 빈집을 고쳐 청년이 살 수 있게 했으면 합니다.";
        // 오곡면 (곡성군), a rural place.
        let (status, rural) =
            ask(json!({"text": text, "region_code": "4672031000", "limit": 5})).await;
        assert_eq!(status, 200, "{}", app.engine);
        let items = rural["items"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert!(
            names.contains(&"농어촌 취약지역 생활여건 개조사업")
                || names.contains(&"행복농촌만들기 콘테스트"),
            "{names:?}"
        );
        let reasons: Vec<&str> = items[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert!(
            reasons.iter().any(|r| r.starts_with("같은 낱말")),
            "{reasons:?}"
        );
        let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "best first: {scores:?}"
        );
        // The same text for an urban 동 ranks rural programmes lower.
        let (_, urban) = ask(json!({"text": text, "region_code": "1111051500", "limit": 20})).await;
        let score_of = |out: &serde_json::Value, name: &str| {
            out["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == name)
                .map(|i| i["score"].as_f64().unwrap())
        };
        let (_, rural_all) =
            ask(json!({"text": text, "region_code": "4672031000", "limit": 20})).await;
        let name = "청년 농촌보금자리 조성사업";
        assert!(score_of(&rural_all, name).unwrap() > score_of(&urban, name).unwrap());

        for (bad, field) in [
            (json!({"text": "   "}), "text"),
            (
                json!({"text": "빈집", "region_code": "1111000000"}),
                "region_code",
            ),
            (json!({"text": "빈집", "limit": 99}), "limit"),
        ] {
            let (status, problem) = ask(bad).await;
            assert_eq!(status, 422);
            assert_eq!(problem["errors"][0]["field"], field);
        }
    }
}

#[tokio::test]
async fn an_agenda_item_shows_the_programmes_that_may_fit() {
    let app = crate::spawn_app().await;
    app.add_user("kim.resident", Role::Resident, "4672031000")
        .await;
    let kim = app.token("kim.resident").await;
    let (status, created) = call(
        &app,
        &kim,
        "POST",
        "/api/v1/regions/4672031000/agenda-proposals",
        Some(json!({"title": "빈집 정비", "body": "마을 빈집을 고쳐 귀촌한 청년이 살게 해 주세요.", "topic": "housing"})),
    )
    .await;
    assert_eq!(status, 201);
    let id = created["id"].as_i64().unwrap();
    let page = client()
        .get(app.url(&format!("/r/4672031000/agenda/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("이 의제에 맞을 수 있는 지역사업"));
    assert!(page.contains("같은 낱말"), "reasons are shown");
    assert!(page.contains("/programmes/match?region=4672031000"));
    let more = client()
        .get(app.url("/programmes/match?region=4672031000&text=%EB%B9%88%EC%A7%91"))
        .send()
        .await
        .unwrap();
    assert_eq!(more.status(), 200);
    assert!(more.text().await.unwrap().contains("오곡면"));
    let wrong = client()
        .get(app.url("/programmes/match?region=12&text=%EB%B9%88%EC%A7%91"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
}
