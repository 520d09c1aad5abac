//! Guides: everyone reads and searches them, the ministry writes and revises them, pages link
//! to theirs, and the command line exports and imports them as Markdown files.

use maeul_core::account::Role;
use serde_json::json;

use crate::cli::maeul;
use crate::{anonymous, call, client, csrf_of, log_in, spawn_app, spawn_apps};

/// A page's HTML.
async fn page_html(http: &reqwest::Client, url: String) -> String {
    http.get(url).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_shipped_guides_are_found_and_read_by_anyone() {
    for app in spawn_apps().await {
        let (status, list) = anonymous(&app, "/api/v1/guides").await;
        assert_eq!(status, 200, "{}", app.engine);
        let slugs: Vec<&str> = list["guides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["slug"].as_str().unwrap())
            .collect();
        for shipped in [
            "programme",
            "assembly",
            "lottery",
            "discovery-round",
            "case-conference",
        ] {
            assert!(slugs.contains(&shipped), "{shipped} in {slugs:?}");
        }
        // The programme as a whole comes first (by subject).
        assert_eq!(slugs[0], "programme");

        let (_, found) = anonymous(
            &app,
            "/api/v1/guides?q=%EC%82%AC%EB%A1%80%ED%9A%8C%EC%9D%98",
        )
        .await;
        assert_eq!(
            found["guides"][0]["slug"], "case-conference",
            "사례회의: {found}"
        );
        let title = found["guides"][0]["highlight"]["title"].as_str().unwrap();
        assert!(title.contains("<mark>사례회의</mark>"), "{title}");
        let (_, lottery) = anonymous(&app, "/api/v1/guides?subject=lottery").await;
        assert_eq!(lottery["guides"].as_array().map(Vec::len), Some(1));
        assert_eq!(lottery["guides"][0]["slug"], "lottery");
        let (_, none) = anonymous(&app, "/api/v1/guides?q=zzqqxx").await;
        assert_eq!(none["guides"], json!([]));
        for bad in ["/api/v1/guides?subject=sports", "/api/v1/guides?subject="] {
            let (status, problem) = anonymous(&app, bad).await;
            assert_eq!(status, 422, "{bad}: {problem}");
            assert_eq!(problem["errors"][0]["field"], "subject");
        }

        let (status, assembly) = anonymous(&app, "/api/v1/guides/assembly").await;
        assert_eq!(status, 200);
        assert_eq!(assembly["subject"], "assembly");
        assert_eq!(assembly["revision"], 1);
        let html = assembly["html"].as_str().unwrap();
        assert!(html.contains(r#"<h2 id="s1">"#), "chapters are h2: {html}");
        assert!(!assembly["contents"].as_array().unwrap().is_empty());
        for missing in [
            "/api/v1/guides/nothing-here",
            "/api/v1/guides/NEW",
            "/api/v1/guides/new",
        ] {
            assert_eq!(anonymous(&app, missing).await.0, 404, "{missing}");
        }

        // Every page a shipped guide links to exists (a workspace page asks for a log-in).
        for slug in &slugs {
            let (_, g) = anonymous(&app, &format!("/api/v1/guides/{slug}")).await;
            for href in g["html"].as_str().unwrap().split("href=\"").skip(1) {
                let href = href.split('"').next().unwrap().replace("&amp;", "&");
                if !href.starts_with('/') {
                    continue;
                }
                let status = client().get(app.url(&href)).send().await.unwrap().status();
                assert!(
                    status.is_success() || status.is_redirection(),
                    "{slug} links to {href}: {status}"
                );
            }
        }

        let page = page_html(&client(), app.url("/guides/assembly")).await;
        assert!(
            page.contains("목차") && page.contains(r##"href="#s1""##),
            "{page}"
        );
        // The form's "every subject" sends an empty subject.
        let search = page_html(&client(), app.url("/guides?q=%EC%B6%94%EC%B2%A8&subject=")).await;
        assert!(search.contains("<mark>추첨</mark>"), "추첨 marked");
        assert!(search.contains(r#"href="/guides/lottery""#));
        assert!(!search.contains("/guides/new"), "no writing for visitors");
    }
}

#[tokio::test]
async fn the_ministry_writes_and_revises_guides_with_their_history() {
    for app in spawn_apps().await {
        app.add_user("moon.ministry", Role::Ministry, "0000000000")
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        let ministry = app.token("moon.ministry").await;
        let programme = app.token("yoon.programme").await;
        let guide = json!({"slug": "village-forum", "subject": "agenda", "title": "마을 공론장 여는 법",
                           "summary": "주민이 의제를 함께 숙의하는 자리", "body": "# 준비\n\n장소와 날짜를 정합니다.\n\n## 알림\n\n[의제 안내](/guides/assembly)"});

        let (status, _) = call(
            &app,
            "",
            "POST",
            "/api/v1/guide-entries",
            Some(guide.clone()),
        )
        .await;
        assert_eq!(status, 401, "{}", app.engine);
        let (status, _) = call(
            &app,
            &programme,
            "POST",
            "/api/v1/guide-entries",
            Some(guide.clone()),
        )
        .await;
        assert_eq!(status, 403, "only the ministry writes guides");
        for (field, value, line) in [
            ("slug", json!("Village"), None),
            ("slug", json!("new"), None),
            ("subject", json!("sports"), None),
            ("title", json!(" "), None),
            (
                "body",
                json!("첫 줄\n\n<script>alert(1)</script>"),
                Some("3"),
            ),
            ("body", json!("[누르기](javascript:alert(1))"), Some("1")),
            (
                "body",
                json!("![그림](https://example.com/a.png)"),
                Some("1"),
            ),
            ("body", json!(" "), None),
        ] {
            let mut bad = guide.clone();
            bad[field] = value;
            let (status, problem) =
                call(&app, &ministry, "POST", "/api/v1/guide-entries", Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
            if let Some(line) = line {
                assert_eq!(problem["detail"], line, "{problem}");
            }
        }
        let (status, created) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/guide-entries",
            Some(guide.clone()),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["revision"], 1);
        assert!(
            created["html"]
                .as_str()
                .unwrap()
                .contains(r#"<a href="/guides/assembly">"#)
        );
        let (status, problem) = call(
            &app,
            &ministry,
            "POST",
            "/api/v1/guide-entries",
            Some(guide.clone()),
        )
        .await;
        assert_eq!(status, 409, "the name is taken");
        assert_eq!(problem["errors"][0]["field"], "slug", "{problem}");
        // Found at once: the index follows the change.
        let (_, found) = anonymous(&app, "/api/v1/guides?q=%EA%B3%B5%EB%A1%A0%EC%9E%A5").await;
        assert_eq!(found["guides"][0]["slug"], "village-forum", "{found}");

        let mut revised = guide.clone();
        revised.as_object_mut().unwrap().remove("slug");
        revised["title"] = json!("마을 공론장 운영 안내");
        let put = "/api/v1/guide-entries/village-forum";
        let (status, problem) = call(&app, &ministry, "PUT", put, Some(revised.clone())).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or("")
                .contains("revision"),
            "{problem}"
        );
        revised["revision"] = json!(0);
        let (status0, problem0) = call(&app, &ministry, "PUT", put, Some(revised.clone())).await;
        assert_eq!(
            (status0, problem0["errors"][0]["field"].clone()),
            (422, json!("revision"))
        );
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("body"))
        );
        revised["revision"] = json!(1);
        let (status, _) = call(&app, &programme, "PUT", put, Some(revised.clone())).await;
        assert_eq!(status, 403);
        let (status, saved) = call(&app, &ministry, "PUT", put, Some(revised.clone())).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(
            (saved["revision"].clone(), saved["title"].clone()),
            (json!(2), json!("마을 공론장 운영 안내"))
        );
        let (status, problem) = call(&app, &ministry, "PUT", put, Some(revised.clone())).await;
        assert_eq!(status, 409, "revision 1 is stale: {problem}");
        let (status, _) = call(
            &app,
            &ministry,
            "PUT",
            "/api/v1/guide-entries/nothing-here",
            Some(revised),
        )
        .await;
        assert_eq!(status, 404);
        let (_, found) = anonymous(
            &app,
            "/api/v1/guides?q=%EC%9A%B4%EC%98%81%20%EC%95%88%EB%82%B4&subject=agenda",
        )
        .await;
        assert_eq!(
            found["guides"][0]["title"], "마을 공론장 운영 안내",
            "the index follows revisions"
        );

        let (status, history) = call(
            &app,
            &ministry,
            "GET",
            "/api/v1/guides/village-forum/revisions",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
        assert_eq!(history[0]["revision"], 2);
        assert_eq!(history[0]["source"], "web");
        assert!(history[0]["editor"].is_string());
        let (_, shipped) = call(
            &app,
            &ministry,
            "GET",
            "/api/v1/guides/assembly/revisions",
            None,
        )
        .await;
        assert_eq!(
            (shipped[0]["source"].clone(), shipped[0]["editor"].clone()),
            (json!("shipped"), json!(null))
        );
        assert_eq!(
            anonymous(&app, "/api/v1/guides/assembly/revisions").await.0,
            401
        );
        let (status, first) = call(
            &app,
            &ministry,
            "GET",
            "/api/v1/guides/village-forum/revisions/1",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            first["title"], "마을 공론장 여는 법",
            "the first title: {first}"
        );
        assert!(first["body"].as_str().unwrap().starts_with("# 준비"));
        let (status, _) = call(
            &app,
            &ministry,
            "GET",
            "/api/v1/guides/village-forum/revisions/3",
            None,
        )
        .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn the_ministry_writes_on_the_page_and_a_refused_body_comes_back_with_its_line() {
    let app = spawn_app().await;
    app.add_user("moon.ministry", Role::Ministry, "0000000000")
        .await;
    let visitor = client();
    let res = visitor.get(app.url("/guides/new")).send().await.unwrap();
    assert!(
        res.status().is_redirection(),
        "log in first: {}",
        res.status()
    );

    let http = client();
    log_in(&http, &app.address, "moon.ministry", "/guides").await;
    let list = page_html(&http, app.url("/guides")).await;
    assert!(list.contains(r#"href="/guides/new""#));
    let form = page_html(&http, app.url("/guides/new")).await;
    let csrf = csrf_of(&form);
    let body = "# 준비\n\n본문\n\n<b>굵게</b>";
    let res = http
        .post(app.url("/guides/new"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("slug", "forum"),
            ("subject", "agenda"),
            ("title", "공론장"),
            ("summary", ""),
            ("body", body),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("5번째 줄"), "the line of the HTML: {page}");
    assert!(
        page.contains("&#60;b&#62;굵게&#60;/b&#62;"),
        "the text typed comes back: {page}"
    );
    let res = http
        .post(app.url("/guides/new"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("slug", "forum"),
            ("subject", "agenda"),
            ("title", "공론장"),
            ("summary", ""),
            ("body", "# 준비\n\n**굵게**"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/guides/forum?saved=1");
    let shown = page_html(&http, app.url("/guides/forum?saved=1")).await;
    assert!(shown.contains("<strong>굵게</strong>") && shown.contains("저장했습니다"));
    assert!(shown.contains("제1판"), "the history for the ministry");

    // Revised over a stale revision: refused, the text kept, and the form now over the newest.
    let edit = page_html(&http, app.url("/guides/forum/edit")).await;
    let csrf = csrf_of(&edit);
    let save = |text: &'static str| {
        http.post(app.url("/guides/forum/edit"))
            .form(&[
                ("_csrf", csrf.clone()),
                ("subject", "agenda".into()),
                ("title", "공론장".into()),
                ("body", text.into()),
                ("revision", "1".into()),
            ])
            .send()
    };
    assert_eq!(save("# 준비\n\n둘째 판").await.unwrap().status(), 303);
    let res = save("# 준비\n\n겹친 판").await.unwrap();
    assert_eq!(res.status(), 409);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("겹친 판") && page.contains(r#"name="revision" value="2""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/guides/forum""#),
        "a link to what was saved meanwhile"
    );

    // Every earlier version can be read back, with its source to copy.
    let first = page_html(&http, app.url("/guides/forum/revisions/1")).await;
    assert!(
        first.contains("제1판") && first.contains("이전 판입니다"),
        "{first}"
    );
    assert!(first.contains("<strong>굵게</strong>") && first.contains("**굵게**"));
    let res = http
        .get(app.url("/guides/forum/revisions/9"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client()
        .get(app.url("/guides/forum/revisions/1"))
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "the history is the ministry's"
    );
}

#[test]
fn guides_go_out_to_files_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("guides");
    let (ok, stdout, stderr) = maeul(
        dir.path(),
        &["guide", "export", out.to_str().unwrap()],
        None,
    );
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("5 guides"), "{stdout}");
    let lottery = std::fs::read_to_string(out.join("lottery.md")).unwrap();
    assert!(lottery.starts_with("title: ") && lottery.contains("\nsubject: lottery\n"));

    // One wrong file: nothing is saved, the file and line are named.
    std::fs::write(
        out.join("lottery.md"),
        lottery.replacen("---\n", "---\n수정한 첫 줄\n\n", 1),
    )
    .unwrap();
    std::fs::write(
        out.join("forum.md"),
        "title: 공론장\nsubject: agenda\nsummary: 요약\n---\n# 준비\n\n<i>x</i>\n",
    )
    .unwrap();
    let (ok, _, stderr) = maeul(
        dir.path(),
        &["guide", "import", out.to_str().unwrap()],
        None,
    );
    assert!(!ok);
    assert!(stderr.contains("forum.md:7"), "{stderr}");
    std::fs::write(
        out.join("forum.md"),
        "title: 공론장\nsubject: agenda\nsummary: 요약\n---\n# 준비\n\n본문\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = maeul(
        dir.path(),
        &["guide", "import", out.to_str().unwrap()],
        None,
    );
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), "1 created, 1 revised, 4 unchanged");
    let (ok, stdout, _) = maeul(
        dir.path(),
        &["guide", "import", out.to_str().unwrap()],
        None,
    );
    assert!(ok);
    assert_eq!(
        stdout.trim(),
        "0 created, 0 revised, 6 unchanged",
        "importing twice changes nothing"
    );
    let again = dir.path().join("again");
    maeul(
        dir.path(),
        &["guide", "export", again.to_str().unwrap()],
        None,
    );
    assert!(
        std::fs::read_to_string(again.join("lottery.md"))
            .unwrap()
            .contains("수정한 첫 줄")
    );
}
