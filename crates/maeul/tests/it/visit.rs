//! Planned visits (방문 일정): planning for a person in health care and a case, who may plan,
//! who may go, the schedules, fulfilment by a recorded visit, cancellation, the pages; and the
//! purpose-bound downloads of the case and health lists the visiting team works from.

use maeul_core::account::Role;
use serde_json::{Value, json};

use crate::{TestApp, call, client, csrf_of, html_of, log_in, logged, spawn_apps, today};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

fn day(offset: i64) -> String {
    (today() + time::Duration::days(offset)).to_string()
}

async fn staff(app: &TestApp) {
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
}

async fn health_person(app: &TestApp, nurse: &str) -> i64 {
    let (status, created) = call(
        app,
        nurse,
        "POST",
        "/api/v1/health/people",
        Some(
            json!({"emd_code": CHEONGUN, "person_name": "최복남", "birth_year": 1941,
                    "group": "regular", "registered_on": "2026-08-01"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

fn plan(kind: &str, id: i64, on: &str, staff: Option<&str>) -> Value {
    json!({"kind": kind, "subject_id": id, "planned_on": on, "planned_at": "14:00",
           "purpose": "혈압 재측정", "staff": staff})
}

/// The statuses of a schedule, by plan id.
async fn statuses(app: &TestApp, token: &str, query: &str) -> Vec<(i64, String)> {
    let (status, list) = call(
        app,
        token,
        "GET",
        &format!("/api/v1/visit-plans{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{query}: {list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().unwrap(),
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn visits_are_planned_by_who_may_write_the_record_and_fulfilled_by_the_visit() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kang = app.token("kang.nurse").await;
        let kim = app.token("kim.welfare").await;
        let person = health_person(&app, &kang).await;

        // Refusals name the field and change nothing.
        for (body, field) in [
            (plan("health_person", person, &day(-1), None), "planned_on"),
            (plan("health_person", person, &day(400), None), "planned_on"),
            (
                json!({"kind": "health_person", "subject_id": person, "planned_on": day(1),
                       "planned_at": "9:00", "purpose": "x"}),
                "planned_at",
            ),
            (
                json!({"kind": "health_person", "subject_id": person, "planned_on": day(1),
                       "purpose": "  "}),
                "purpose",
            ),
            // A case manager does not go on a nurse's health visit.
            (
                plan("health_person", person, &day(1), Some("cho.case")),
                "staff",
            ),
            (plan("person", person, &day(1), None), "kind"),
        ] {
            let (status, problem) =
                call(&app, &kang, "POST", "/api/v1/visit-plans", Some(body)).await;
            assert_eq!(status, 422, "{}: {problem}", app.engine);
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
        assert!(statuses(&app, &kang, "?all=1").await.is_empty());

        // Only the nurses of the place plan a health visit; others 404 or 403.
        for (login, expected) in [
            ("song.nurse", 404),
            ("kim.welfare", 404),
            ("park.council", 403),
            ("han.programme", 403),
        ] {
            let token = app.token(login).await;
            let (status, _) = call(
                &app,
                &token,
                "POST",
                "/api/v1/visit-plans",
                Some(plan("health_person", person, &day(1), None)),
            )
            .await;
            assert_eq!(status, expected, "{login}");
        }

        // One for later by the nurse herself, one for today with the welfare worker going.
        let (status, later) = call(
            &app,
            &kang,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("health_person", person, &day(3), None)),
        )
        .await;
        assert_eq!(status, 201, "{later}");
        let later = later["id"].as_i64().unwrap();
        let (_, now) = call(
            &app,
            &kang,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("health_person", person, &day(0), Some("kim.welfare"))),
        )
        .await;
        let now = now["id"].as_i64().unwrap();

        // Each sees their own; the team's schedule of the place has both, the si/gun/gu's
        // case manager sees it too, a nurse of another place may not ask.
        assert_eq!(
            statuses(&app, &kang, "").await,
            vec![(later, "planned".into())]
        );
        assert_eq!(
            statuses(&app, &kim, "").await,
            vec![(now, "planned".into())]
        );
        let team = statuses(&app, &kang, &format!("?region={CHEONGUN}")).await;
        assert_eq!(team.len(), 2);
        let cho = app.token("cho.case").await;
        assert_eq!(statuses(&app, &cho, "?region=1111000000").await.len(), 2);
        let song = app.token("song.nurse").await;
        let (status, _) = call(
            &app,
            &song,
            "GET",
            &format!("/api/v1/visit-plans?region={CHEONGUN}"),
            None,
        )
        .await;
        assert_eq!(status, 403);
        let (_, listed) = call(&app, &kang, "GET", "/api/v1/visit-plans", None).await;
        assert_eq!(listed["items"][0]["whom"], "최**", "names are masked");
        assert_eq!(listed["items"][0]["planned_at"], "14:00");
        assert_eq!(listed["items"][0]["purpose"], "혈압 재측정");

        // The visit recorded today fulfils today's plan, not the later one.
        let (status, _) = call(
            &app,
            &kang,
            "POST",
            &format!("/api/v1/health/people/{person}/visits"),
            Some(json!({"visited_on": day(0), "systolic": 130, "diastolic": 80})),
        )
        .await;
        assert_eq!(status, 201);
        let mut all = statuses(&app, &kang, &format!("?region={CHEONGUN}&all=1")).await;
        all.sort();
        let mut expected = vec![(later, "planned".to_owned()), (now, "done".to_owned())];
        expected.sort();
        assert_eq!(all, expected);
        assert!(statuses(&app, &kim, "").await.is_empty(), "open plans only");

        // Cancelling: the nurses of the place or the one who goes; once.
        let cancel = format!("/api/v1/visit-plans/{later}/cancellation");
        let (status, _) = call(&app, &song, "POST", &cancel, None).await;
        assert_eq!(status, 404);
        let (status, _) = call(&app, &kang, "POST", &cancel, None).await;
        assert_eq!(status, 204);
        let (status, problem) = call(&app, &kang, "POST", &cancel, None).await;
        assert_eq!(status, 409);
        assert_eq!(problem["type"], "urn:maeul:problem:visit-plan-closed");
        let (status, _) = call(
            &app,
            &kang,
            "POST",
            &format!("/api/v1/visit-plans/{now}/cancellation"),
            None,
        )
        .await;
        assert_eq!(status, 409, "a done plan stays done");

        // Every schedule listed its subject in the access log.
        let log = logged(&app, &format!("health:{person}")).await;
        let reads = log
            .iter()
            .filter(|e| e.action == maeul_core::audit::AccessAction::Read)
            .count();
        assert!(reads >= 6, "{reads} reads");
    }
}

#[tokio::test]
async fn a_case_visit_goes_to_those_who_may_see_the_case_and_nurses_see_only_theirs() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kim = app.token("kim.welfare").await;
        let kang = app.token("kang.nurse").await;
        let (status, created) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/cases",
            Some(
                json!({"emd_code": CHEONGUN, "person_name": "김순자", "birth_year": 1948,
                        "source": "walk_in", "opened_on": day(-5)}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let case = created["id"].as_i64().unwrap();

        // A nurse not in charge of the case may not go; the case manager may.
        let (status, problem) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("case", case, &day(2), Some("kang.nurse"))),
        )
        .await;
        assert_eq!(status, 422, "{}: {problem}", app.engine);
        assert_eq!(problem["errors"][0]["field"], "staff");
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("case", case, &day(2), Some("cho.case"))),
        )
        .await;
        assert_eq!(status, 201);
        // Nurses do not plan case visits (they do not manage cases).
        let (status, _) = call(
            &app,
            &kang,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("case", case, &day(2), None)),
        )
        .await;
        assert_eq!(status, 404);

        // Welfare staff elsewhere too: she manages cases in 사직동, not here.
        app.store
            .accounts()
            .grant(
                maeul_core::account::Login::parse("kang.nurse").unwrap(),
                maeul_core::account::Grant::new(
                    Role::WelfareStaff,
                    maeul_core::region::RegionCode::parse(SAJIK).unwrap(),
                )
                .unwrap(),
                maeul_store::account::Actor::cli(),
            )
            .await
            .unwrap();
        let kang = app.token("kang.nurse").await;
        let region = format!("?region={CHEONGUN}");
        assert!(
            statuses(&app, &kang, &region).await.is_empty(),
            "a nurse sees no plan of a case not in her charge"
        );
        assert_eq!(statuses(&app, &kim, &region).await.len(), 1);
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            &format!("/api/v1/cases/{case}/assignment"),
            Some(json!({"assigned_to": "kang.nurse"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(statuses(&app, &kang, &region).await.len(), 1);
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("case", case, &day(4), Some("kang.nurse"))),
        )
        .await;
        assert_eq!(status, 201, "the nurse in charge may go");

        // A step done with the person on the plan's day fulfils it, not those still ahead; a
        // case conference that day is a meeting of staff and leaves the visit to be made.
        let (_, today_plan) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/visit-plans",
            Some(plan("case", case, &day(0), None)),
        )
        .await;
        let today_plan = today_plan["id"].as_i64().unwrap();
        let steps = format!("/api/v1/cases/{case}/steps");
        let assessment = json!({"step": "assessment", "done_on": day(-4), "needs": ["safety"],
                                "crisis": "high"});
        let conference = json!({"step": "conference", "done_on": day(0)});
        let classification = json!({"step": "classification", "done_on": day(0),
                                    "classification": "general"});
        for body in [assessment, conference, classification] {
            let (status, out) = call(&app, &kim, "POST", &steps, Some(body)).await;
            assert_eq!(status, 201, "{out}");
        }
        let all = statuses(&app, &kim, &format!("{region}&all=1")).await;
        assert_eq!(all.len(), 3);
        assert!(
            all.iter().all(|(_, status)| status == "planned"),
            "a conference and a classification are no visit: {all:?}"
        );
        let service_plan = json!({"step": "plan", "done_on": day(0)});
        let (status, out) = call(&app, &kim, "POST", &steps, Some(service_plan)).await;
        assert_eq!(status, 201, "{out}");
        let all = statuses(&app, &kim, &format!("{region}&all=1")).await;
        assert_eq!(all.len(), 3);
        for (id, status) in all {
            let expected = if id == today_plan { "done" } else { "planned" };
            assert_eq!(status, expected, "plan {id}");
        }
    }
}

#[tokio::test]
async fn the_pages_plan_list_and_cancel_a_visit_and_the_home_counts_it() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kang = app.token("kang.nurse").await;
        let person = health_person(&app, &kang).await;
        let http = client();
        let res = log_in(&http, &app.address, "kang.nurse", "/work").await;
        assert!(res.status().is_success() || res.status().is_redirection());

        let page = format!("/work/health/{person}");
        let html = html_of(&http, &app, &page).await;
        assert!(html.contains("방문 일정"), "{html}");
        let new = format!("/work/visits/new?kind=health_person&id={person}");
        assert!(html.contains(&new.replace('&', "&#38;")), "{html}");
        let form = html_of(&http, &app, &new).await;
        assert!(form.contains("강") || form.contains("kang.nurse"), "{form}");
        let csrf = csrf_of(&form);
        let person_id = person.to_string();
        let post = |on: String, purpose: &'static str| {
            let fields = vec![
                ("_csrf", csrf.clone()),
                ("kind", "health_person".to_owned()),
                ("id", person_id.clone()),
                ("planned_on", on),
                ("planned_at", String::new()),
                ("staff", "kang.nurse".to_owned()),
                ("purpose", purpose.to_owned()),
            ];
            http.post(app.url("/work/visits/new")).form(&fields).send()
        };
        let refused = post(day(-2), "혈당 확인").await.unwrap();
        assert_eq!(refused.status(), 422);
        let body = refused.text().await.unwrap();
        assert!(body.contains("form-hint-invalid"), "{body}");
        assert!(body.contains("혈당 확인"), "the form keeps what was typed");

        let done = post(day(0), "혈당 확인").await.unwrap();
        assert!(done.status().is_redirection() || done.status().is_success());
        let html = html_of(&http, &app, &page).await;
        assert!(html.contains("혈당 확인"), "{html}");
        let home = html_of(&http, &app, "/work").await;
        assert!(home.contains("오늘 방문 일정 1건"), "{home}");
        let schedule = html_of(&http, &app, "/work/visits").await;
        assert!(schedule.contains("최**"), "{schedule}");
        assert!(
            !schedule.contains("최복남"),
            "names are masked on the schedule"
        );

        let (_, list) = call(&app, &kang, "GET", "/api/v1/visit-plans", None).await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let res = http
            .post(app.url(&format!("/work/visits/{id}/cancellation")))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success() || res.status().is_redirection());
        let (_, list) = call(&app, &kang, "GET", "/api/v1/visit-plans", None).await;
        assert_eq!(list["total"], 0, "{list}");
    }
}

/// Posts a list's download form: without a purpose the page comes back (422), with one the CSV.
async fn download(
    http: &reqwest::Client,
    app: &TestApp,
    list: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let page = html_of(http, app, list).await;
    assert!(page.contains(&format!("action=\"{action}\"")), "{page}");
    let mut form = vec![("_csrf", csrf_of(&page))];
    form.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let res = http.post(app.url(action)).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

async fn exports_of(app: &TestApp, subject: &str) -> Vec<Option<String>> {
    logged(app, subject)
        .await
        .into_iter()
        .filter(|e| e.action == maeul_core::audit::AccessAction::Export)
        .map(|e| e.purpose)
        .collect()
}

#[tokio::test]
async fn case_and_health_lists_download_unmasked_only_with_a_purpose_each_record_logged() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kim = app.token("kim.welfare").await;
        let (_, case) = call(
            &app,
            &kim,
            "POST",
            "/api/v1/cases",
            Some(
                json!({"emd_code": CHEONGUN, "person_name": "김순자", "source": "walk_in",
                        "opened_on": day(-3)}),
            ),
        )
        .await;
        let case = case["id"].as_i64().unwrap();
        let kang = app.token("kang.nurse").await;
        let person = health_person(&app, &kang).await;

        let http = client();
        log_in(&http, &app.address, "kim.welfare", "/work").await;
        let list = format!("/work/cases?region={CHEONGUN}&open=1");
        let filter = [("region", CHEONGUN), ("open", "1")];
        let (status, _, page) = download(&http, &app, &list, "/work/cases/export", &filter).await;
        assert_eq!(status, 422, "{}: no purpose", app.engine);
        assert!(page.contains("form-hint-invalid"));
        assert!(exports_of(&app, &format!("case:{case}")).await.is_empty());
        let with_purpose = [filter.as_slice(), &[("purpose", "사례회의 자료")]].concat();
        let (status, kind, csv) =
            download(&http, &app, &list, "/work/cases/export", &with_purpose).await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/csv"), "{kind}");
        assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
        assert!(csv.contains("김순자"), "unmasked: {csv}");
        assert_eq!(
            exports_of(&app, &format!("case:{case}")).await,
            vec![Some("사례회의 자료".to_owned())]
        );

        let nurse = client();
        log_in(&nurse, &app.address, "kang.nurse", "/work").await;
        let list = format!("/work/health?region={CHEONGUN}");
        let (status, _, csv) = download(
            &nurse,
            &app,
            &list,
            "/work/health/export",
            &[("region", CHEONGUN), ("purpose", "방문 순회 명단")],
        )
        .await;
        assert_eq!(status, 200);
        assert!(csv.contains("최복남") && csv.contains("regular"), "{csv}");
        assert_eq!(
            exports_of(&app, &format!("health:{person}")).await,
            vec![Some("방문 순회 명단".to_owned())]
        );
        // Another place's nurse downloads nothing of 청운효자동.
        let song = client();
        log_in(&song, &app.address, "song.nurse", "/work").await;
        let page = html_of(&song, &app, &format!("/work/health?region={SAJIK}")).await;
        let res = song
            .post(app.url("/work/health/export"))
            .form(&[
                ("_csrf", csrf_of(&page).as_str()),
                ("region", CHEONGUN),
                ("purpose", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
}

#[tokio::test]
async fn the_week_view_shows_every_day_of_the_week_and_the_api_reads_a_span() {
    for app in spawn_apps().await {
        staff(&app).await;
        let kang = app.token("kang.nurse").await;
        let person = health_person(&app, &kang).await;
        let mut ids = Vec::new();
        for (offset, purpose) in [(1, "이번 방문 혈압"), (9, "다음 방문 혈당")] {
            let mut body = plan("health_person", person, &day(offset), None);
            body["purpose"] = json!(purpose);
            let (status, out) = call(&app, &kang, "POST", "/api/v1/visit-plans", Some(body)).await;
            assert_eq!(status, 201, "{out}");
            ids.push(out["id"].as_i64().unwrap());
        }

        let span = format!("?from={}&to={}", day(1), day(1));
        let listed: Vec<i64> = statuses(&app, &kang, &span)
            .await
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(listed, [ids[0]], "only the plan of that day");
        let later = format!("?from={}", day(2));
        assert_eq!(statuses(&app, &kang, &later).await.len(), 1);
        for (query, field) in [
            (format!("?from={}&to={}", day(2), day(1)), "to"),
            ("?from=2026-13-01".to_owned(), "from"),
            ("?to=tomorrow".to_owned(), "to"),
        ] {
            let (status, problem) = call(
                &app,
                &kang,
                "GET",
                &format!("/api/v1/visit-plans{query}"),
                None,
            )
            .await;
            assert_eq!(status, 422, "{query}: {problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }

        // The week of the first plan: all seven days, from its Monday, the days without plans
        // said so; the plan eight days later is in another week.
        let http = client();
        log_in(&http, &app.address, "kang.nurse", "/work").await;
        let first = today() + time::Duration::days(1);
        let monday =
            first - time::Duration::days(i64::from(first.weekday().number_days_from_monday()));
        let week = html_of(&http, &app, &format!("/work/visits?week={}", day(1))).await;
        for n in 0..7 {
            let d = monday + time::Duration::days(n);
            let label = format!("{}월 {}일 (", u8::from(d.month()), d.day());
            assert!(week.contains(&label), "{label} in {week}");
        }
        assert!(week.contains("이번 방문 혈압"), "{week}");
        assert!(!week.contains("다음 방문 혈당"), "{week}");
        assert!(week.contains("일정 없음"), "{week}");
        let next = (monday + time::Duration::days(7)).to_string();
        assert!(week.contains(&format!("week={next}")), "{week}");
        let next_week = html_of(&http, &app, &format!("/work/visits?week={next}")).await;
        assert!(next_week.contains("다음 방문 혈당"), "{next_week}");
        assert!(!next_week.contains("이번 방문 혈압"), "{next_week}");
        let res = http
            .get(app.url("/work/visits?week=someday"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
    }
}
