//! HTML pages: the portal without JavaScript, log-in with CSRF, the workspace, the access log.

use maeul_core::account::Role;

use crate::{PASSWORD, client, csrf_of, log_in, spawn_app, spawn_apps};

#[tokio::test]
async fn the_portal_finds_a_place_by_name_and_by_drilling_down() {
    let app = spawn_app().await;
    let http = client();
    let home = http.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("<html lang=\"ko\">"));
    assert!(html.contains("우리 동네 찾기"));
    assert!(
        html.contains("href=\"/r/1100000000\""),
        "the si/do are listed"
    );
    assert!(html.contains("/assets/vendor/krds/css/output.css"));

    let found = http
        .get(app.url("/?q=청운효자"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("<a href=\"/r/1111051500\">서울특별시 종로구 청운효자동</a>"),
        "{found}"
    );

    let seoul = http
        .get(app.url("/r/1100000000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        seoul.contains("href=\"/r/1111000000\""),
        "서울 lists 종로구"
    );
    let jongno = http
        .get(app.url("/r/1111000000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        jongno.contains("href=\"/r/1111051500\""),
        "종로구 lists 청운효자동"
    );
    let place = http
        .get(app.url("/r/1111051500"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(place.contains("<h1 class=\"maeul-title\">서울특별시 종로구 청운효자동</h1>"));
    assert!(
        place.contains("href=\"/r/1111000000\" class=\"txt\">종로구</a>"),
        "breadcrumb leads back"
    );

    let suwon = http
        .get(app.url("/r/4111000000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        suwon.contains("href=\"/r/4111100000\""),
        "수원시 lists its 일반구"
    );

    let missing = http.get(app.url("/r/9999999900")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("찾는 페이지나 자료가 없습니다")
    );
}

#[tokio::test]
async fn pages_speak_english_on_request_and_remember_it() {
    let app = spawn_app().await;
    let http = client();
    let en = http
        .get(app.url("/?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Find your neighbourhood"));
    let again = http
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(again.contains("Log-in name"), "the cookie keeps the choice");
    let by_header = client()
        .get(app.url("/"))
        .header("accept-language", "en-US")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(by_header.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn log_in_needs_the_csrf_token_and_leads_to_the_workspace() {
    for app in spawn_apps().await {
        app.add_user("kim.welfare", Role::WelfareStaff, "1111051500")
            .await;
        let http = client();
        let work = http.get(app.url("/work")).send().await.unwrap();
        assert_eq!(work.status(), 303, "{}", app.engine);
        assert_eq!(work.headers()["location"], "/login?next=/work");

        let form = http
            .get(app.url("/login?next=/work"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&form);
        let forged = http
            .post(app.url("/login"))
            .form(&[
                ("login", "kim.welfare"),
                ("password", PASSWORD),
                ("_csrf", "forged-token-value-123"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "{}", app.engine);

        let wrong = http
            .post(app.url("/login"))
            .form(&[
                ("login", "kim.welfare"),
                ("password", "wrong-password-1"),
                ("_csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
        let wrong = wrong.text().await.unwrap();
        assert!(
            wrong.contains("form-hint-invalid"),
            "the error shows under the field"
        );
        assert!(wrong.contains("value=\"kim.welfare\""), "the input is kept");

        let ok = http
            .post(app.url("/login"))
            .form(&[
                ("login", "kim.welfare"),
                ("password", PASSWORD),
                ("_csrf", &csrf),
                ("next", "/work"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 303);
        assert_eq!(ok.headers()["location"], "/work");
        let home = http.get(app.url("/work")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        let home = home.text().await.unwrap();
        assert!(home.contains("복지 담당"), "the role is shown");
        assert!(
            home.contains("/r/1111051500"),
            "the workspace links the place"
        );

        let admin_only = http.get(app.url("/admin/users")).send().await.unwrap();
        assert_eq!(admin_only.status(), 403);

        let session_csrf = csrf_of(&home);
        let out = http
            .post(app.url("/logout"))
            .form(&[("_csrf", session_csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);
        assert_eq!(
            http.get(app.url("/work")).send().await.unwrap().status(),
            303,
            "logged out"
        );
    }
}

#[tokio::test]
async fn open_redirects_are_refused_after_log_in() {
    let app = spawn_app().await;
    app.add_user("kim.welfare", Role::WelfareStaff, "1111051500")
        .await;
    let res = log_in(&client(), &app.address, "kim.welfare", "//evil.example/").await;
    assert_eq!(res.headers()["location"], "/work");
}

#[tokio::test]
async fn auditors_browse_and_export_the_access_log_with_a_purpose() {
    let app = spawn_app().await;
    app.add_user("oh.auditor", Role::Auditor, "1111000000")
        .await;
    app.add_user("kim.welfare", Role::WelfareStaff, "1111051500")
        .await;
    app.add_user("far.welfare", Role::WelfareStaff, "1114052000")
        .await;
    let http = client();
    log_in(&http, &app.address, "oh.auditor", "/work").await;
    let page = http.get(app.url("/work/access-log")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("user:kim.welfare grant:welfare_staff@1111051500"),
        "종로구 entries are shown"
    );
    assert!(!page.contains("far.welfare"), "중구 entries are not");
    let csrf = csrf_of(&page);

    let no_purpose = http
        .post(app.url("/work/access-log/export"))
        .form(&[("_csrf", csrf.as_str()), ("purpose", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_purpose.status(), 422);
    assert!(
        no_purpose
            .text()
            .await
            .unwrap()
            .contains("form-hint-invalid")
    );

    let csv = http
        .post(app.url("/work/access-log/export"))
        .form(&[("_csrf", csrf.as_str()), ("purpose", "분기 점검")])
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = csv.text().await.unwrap();
    assert!(body.contains("kim.welfare"));
    assert!(
        body.contains("분기 점검"),
        "the export logs itself first, with its purpose"
    );
}
