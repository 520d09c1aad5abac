//! Courses: the autonomy staff of a place open its autonomy school, add sessions, enrol
//! residents and record attendance; completion follows the hours; everyone reads a course,
//! only those who run it see the roster.

use maeul_core::account::Role;
use serde_json::json;

use crate::{anonymous, call, client, csrf_of, html_of, log_in, spawn_apps};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

#[tokio::test]
async fn a_place_runs_its_autonomy_school_and_attendance_decides_completion() {
    for app in spawn_apps().await {
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("lee.autonomy", Role::AutonomyStaff, SAJIK)
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        let staff = app.token("kim.autonomy").await;
        let other = app.token("lee.autonomy").await;
        let gu = app.token("yoon.programme").await;
        let courses = format!("/api/v1/regions/{CHEONGUN}/courses");
        let school = json!({"title": "2026 청운효자동 주민자치학교", "audience": "residents", "autonomy_school": true,
                            "required_minutes": 360, "description": "주민자치회 위원 신청 전에 듣는 과정"});

        let (status, _) = call(&app, &other, "POST", &courses, Some(school.clone())).await;
        assert_eq!(status, 403, "{}: another place's staff", app.engine);
        for (field, value, wrong) in [
            ("title", json!(" "), "title"),
            ("audience", json!("children"), "audience"),
            ("audience", json!("officials"), "autonomy_school"),
            ("required_minutes", json!(0), "required_minutes"),
            ("description", json!("a\u{0}b"), "description"),
        ] {
            let mut bad = school.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &staff, "POST", &courses, Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{problem}"
            );
        }
        let (status, course) = call(&app, &staff, "POST", &courses, Some(school)).await;
        assert_eq!(status, 201, "{course}");
        let id = course["id"].as_i64().unwrap();
        let sessions = format!("/api/v1/courses/{id}/sessions");
        let mut session_ids = Vec::new();
        for (n, day) in [(1, "2026-03-05"), (2, "2026-03-12"), (3, "2026-03-19")] {
            let (status, s) = call(
                &app,
                &staff,
                "POST",
                &sessions,
                Some(json!({"title": format!("{n}회차"), "held_on": day, "minutes": 120})),
            )
            .await;
            assert_eq!(status, 201, "{s}");
            session_ids.push(s["id"].as_i64().unwrap());
        }
        let (status, problem) = call(
            &app,
            &staff,
            "POST",
            &sessions,
            Some(json!({"title": "4회차", "held_on": "2026-03-26", "minutes": 601})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("minutes"))
        );
        let (status, _) = call(
            &app,
            &other,
            "POST",
            &sessions,
            Some(json!({"title": "4회차", "held_on": "2026-03-26", "minutes": 60})),
        )
        .await;
        assert_eq!(status, 403);

        let roster_path = format!("/api/v1/courses/{id}/roster");
        let roster_of = || async { call(&app, &staff, "GET", &roster_path, None).await.1 };
        let enrol = format!("/api/v1/courses/{id}/enrolments");
        let (_, kim) = call(
            &app,
            &staff,
            "POST",
            &enrol,
            Some(json!({"name": "김민수", "affiliation": "통장협의회"})),
        )
        .await;
        let (_, park) = call(
            &app,
            &staff,
            "POST",
            &enrol,
            Some(json!({"name": "박영희"})),
        )
        .await;
        let (kim, park) = (kim["id"].as_i64().unwrap(), park["id"].as_i64().unwrap());
        let (status, problem) = call(&app, &staff, "POST", &enrol, Some(json!({"name": ""}))).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("name"))
        );

        // 김민수 attends all three (6 h: completed), 박영희 two and half of the third.
        let attendance = format!("/api/v1/courses/{id}/attendance");
        let mut marks: Vec<_> = session_ids
            .iter()
            .map(|s| json!({"enrolment_id": kim, "session_id": s}))
            .collect();
        marks.push(json!({"enrolment_id": park, "session_id": session_ids[0]}));
        marks.push(json!({"enrolment_id": park, "session_id": session_ids[1], "minutes": 120}));
        marks.push(json!({"enrolment_id": park, "session_id": session_ids[2], "minutes": 60}));
        // One wrong mark: nothing is recorded.
        let mut bad = marks.clone();
        bad.push(json!({"enrolment_id": park, "session_id": session_ids[2], "minutes": 121}));
        let (status, problem) = call(
            &app,
            &staff,
            "PUT",
            &attendance,
            Some(json!({"marks": bad})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("marks[6].minutes"))
        );
        let roster = roster_of().await;
        assert_eq!(roster[0]["total_minutes"], 0, "nothing half-recorded");
        let (status, _) = call(
            &app,
            &staff,
            "PUT",
            &attendance,
            Some(
                json!({"marks": [{"enrolment_id": kim, "session_id": session_ids[0]},
                                  {"enrolment_id": 999999, "session_id": session_ids[0]}]}),
            ),
        )
        .await;
        assert_eq!(status, 422, "a person of no enrolment");
        let roster = roster_of().await;
        assert_eq!(
            roster[0]["total_minutes"], 0,
            "the valid mark before it is rolled back"
        );
        let (status, _) = call(
            &app,
            &staff,
            "PUT",
            &attendance,
            Some(json!({"marks": marks})),
        )
        .await;
        assert_eq!(status, 204);
        let roster = roster_of().await;
        assert_eq!(
            (
                roster[0]["name"].clone(),
                roster[0]["total_minutes"].clone(),
                roster[0]["completed"].clone()
            ),
            (json!("김민수"), json!(360), json!(true))
        );
        assert_eq!(
            (
                roster[1]["total_minutes"].clone(),
                roster[1]["completed"].clone()
            ),
            (json!(300), json!(false))
        );
        // The dashboards count them at the place and above, kept as attendance changes.
        for code in [CHEONGUN, "1111000000", "0000000000"] {
            let (status, d) = call(
                &app,
                &gu,
                "GET",
                &format!("/api/v1/dashboards/{code}"),
                None,
            )
            .await;
            if code == "0000000000" {
                assert_eq!(status, 403, "the nation is above the 구's scope");
                continue;
            }
            assert_eq!(
                d["figures"]["training"],
                json!({"enrolled": 2, "completed": 1}),
                "{code}"
            );
        }
        // The roster's names are the place's: not the 구's programme staff (figures only), nor
        // another place's staff.
        assert_eq!(
            call(
                &app,
                &gu,
                "GET",
                &format!("/api/v1/courses/{id}/roster"),
                None
            )
            .await
            .0,
            403
        );
        assert_eq!(
            call(
                &app,
                &other,
                "GET",
                &format!("/api/v1/courses/{id}/roster"),
                None
            )
            .await
            .0,
            403
        );
        assert_eq!(
            anonymous(&app, &format!("/api/v1/courses/{id}/roster"))
                .await
                .0,
            401
        );

        // Everyone reads the course and the list, without names.
        let (status, public) = anonymous(&app, &format!("/api/v1/courses/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(public["sessions"].as_array().map(Vec::len), Some(3));
        assert!(!public.to_string().contains("김민수"));
        let (_, list) = anonymous(&app, "/api/v1/courses?region=1111000000").await;
        assert_eq!(list["total"], 1, "a 구 lists its places' courses");
        assert_eq!(
            (
                list["items"][0]["enrolled"].clone(),
                list["items"][0]["completed"].clone()
            ),
            (json!(2), json!(1))
        );
        let (_, nation) = anonymous(&app, "/api/v1/courses").await;
        assert_eq!(nation["total"], 1);
        let (_, busan) = anonymous(&app, "/api/v1/courses?region=2600000000").await;
        assert_eq!(busan["total"], 0);
        assert_eq!(anonymous(&app, "/api/v1/courses/999999").await.0, 404);
        for page in ["/r/0000000000/courses", "/r/1111000000/courses"] {
            let html = html_of(&client(), &app, page).await;
            assert!(html.contains("2026 청운효자동 주민자치학교"), "{page}");
            assert!(!html.contains("/work/regions/"), "no form for the public");
        }

        // The page: the public sees the sessions; the staff the grid, which saves attendance.
        let page = html_of(&client(), &app, &format!("/courses/{id}")).await;
        assert!(
            page.contains("2회차") && !page.contains("김민수"),
            "no roster for the public"
        );
        let http = client();
        log_in(
            &http,
            &app.address,
            "kim.autonomy",
            &format!("/courses/{id}"),
        )
        .await;
        let page = html_of(&http, &app, &format!("/courses/{id}")).await;
        assert!(
            page.contains("김민수") && page.contains("1시간"),
            "the partial session is shown"
        );
        let csrf = csrf_of(&page);
        // Untick 김민수's third session; keep the rest as they are.
        let mut form: Vec<(String, String)> = vec![("_csrf".into(), csrf.clone())];
        for shown in page.split(r#"name="shown" value=""#).skip(1) {
            form.push(("shown".into(), shown.split('"').next().unwrap().to_owned()));
        }
        assert_eq!(form.len(), 7, "a box per person and session");
        for (e, s) in [(kim, 0), (kim, 1), (park, 0), (park, 1), (park, 2)] {
            form.push(("a".into(), format!("{e}:{}", session_ids[s])));
        }
        let res = http
            .post(app.url(&format!("/work/courses/{id}/attendance")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let roster = roster_of().await;
        assert_eq!(roster[0]["total_minutes"], 240, "unticked is absent");
        let (_, d) = call(
            &app,
            &gu,
            "GET",
            &format!("/api/v1/dashboards/{CHEONGUN}"),
            None,
        )
        .await;
        assert_eq!(
            d["figures"]["training"]["completed"], 0,
            "no longer completed"
        );
        assert_eq!(
            roster[1]["total_minutes"], 300,
            "a ticked part session keeps its minutes"
        );
        // A refused session comes back with what was typed.
        let res = http
            .post(app.url(&format!("/work/courses/{id}/sessions")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("title", "4회차"),
                ("held_on", "2026-03-26"),
                ("minutes", "두 시간"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(
            page.contains("두 시간") && page.contains("시간을 숫자로"),
            "{page}"
        );
        let res = http
            .post(app.url(&format!("/work/courses/{id}/sessions")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("title", "4회차"),
                ("held_on", "2026-03-26"),
                ("minutes", "1.5"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (_, public) = anonymous(&app, &format!("/api/v1/courses/{id}")).await;
        assert_eq!(public["sessions"][3]["minutes"], 90);
    }
}

#[tokio::test]
async fn those_who_complete_a_course_get_a_certificate_anyone_can_check() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        app.add_user("kim.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        let gu = app.token("yoon.programme").await;
        let place = app.token("kim.autonomy").await;
        let (status, course) = call(
            &app,
            &gu,
            "POST",
            "/api/v1/regions/1111000000/courses",
            Some(
                json!({"title": "주민자치 담당 공무원 기본 과정", "audience": "officials",
                        "required_minutes": 180}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{course}");
        let id = course["id"].as_i64().unwrap();
        let mut sessions = Vec::new();
        for day in ["2026-04-02", "2026-04-09"] {
            let (_, s) = call(
                &app,
                &gu,
                "POST",
                &format!("/api/v1/courses/{id}/sessions"),
                Some(json!({"title": "강의", "held_on": day, "minutes": 120})),
            )
            .await;
            sessions.push(s["id"].as_i64().unwrap());
        }
        let mut people = Vec::new();
        for name in ["정다은", "최우진", "한서윤"] {
            let (_, e) = call(
                &app,
                &gu,
                "POST",
                &format!("/api/v1/courses/{id}/enrolments"),
                Some(json!({"name": name, "affiliation": "청운효자동 행정복지센터"})),
            )
            .await;
            people.push(e["id"].as_i64().unwrap());
        }
        // 정다은 both sessions, 최우진 exactly the hours, 한서윤 one hour.
        let marks = json!({"marks": [
            {"enrolment_id": people[0], "session_id": sessions[0]},
            {"enrolment_id": people[0], "session_id": sessions[1]},
            {"enrolment_id": people[1], "session_id": sessions[0]},
            {"enrolment_id": people[1], "session_id": sessions[1], "minutes": 60},
            {"enrolment_id": people[2], "session_id": sessions[1], "minutes": 60},
        ]});
        let attendance = format!("/api/v1/courses/{id}/attendance");
        call(&app, &gu, "PUT", &attendance, Some(marks)).await;

        let path = format!("/api/v1/courses/{id}/certificates");
        assert_eq!(call(&app, &place, "POST", &path, None).await.0, 403);
        let (status, issued) = call(&app, &gu, "POST", &path, None).await;
        assert_eq!(status, 200, "{issued}");
        let holders: Vec<_> = issued
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["holder"].clone(), c["completion"]["minutes"].clone()))
            .collect();
        assert_eq!(
            holders,
            vec![(json!("정다은"), json!(240)), (json!("최우진"), json!(180))],
            "only those who completed"
        );
        assert_eq!(
            (
                issued[0]["event_on"].clone(),
                issued[0]["event_until"].clone(),
                issued[1]["event_until"].clone()
            ),
            (
                json!("2026-04-02"),
                json!("2026-04-09"),
                json!("2026-04-09")
            )
        );
        let (_, again) = call(&app, &gu, "POST", &path, None).await;
        assert_eq!(again, issued, "asking again issues nothing new");

        // What a certificate says stays as issued; one who completes later gets theirs.
        call(
            &app,
            &gu,
            "PUT",
            &attendance,
            Some(json!({"marks": [
                {"enrolment_id": people[0], "session_id": sessions[1], "minutes": 0},
                {"enrolment_id": people[2], "session_id": sessions[0]},
            ]})),
        )
        .await;
        let (_, now) = call(&app, &gu, "POST", &path, None).await;
        assert_eq!(now.as_array().map(Vec::len), Some(3));
        assert_eq!(now[0], issued[0]);
        assert_eq!(
            (
                now[2]["holder"].clone(),
                now[2]["completion"]["minutes"].clone()
            ),
            (json!("한서윤"), json!(180))
        );
        let (_, listed) = call(&app, &gu, "GET", &path, None).await;
        assert_eq!(listed, now);

        // Anyone checks one by its code and sees the name masked.
        let code = issued[0]["code"].as_str().unwrap();
        let (status, checked) = anonymous(&app, &format!("/api/v1/certificates/{code}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                checked["kind"].clone(),
                checked["holder"].clone(),
                checked["minutes"].clone(),
                checked["region_code"].clone()
            ),
            (
                json!("course_completion"),
                json!("정*은"),
                json!(240),
                json!("1111000000")
            )
        );
        let html = html_of(&client(), &app, &format!("/certificates/{code}")).await;
        assert!(
            html.contains("교육 이수증") && html.contains("정*은") && !html.contains("정다은"),
            "{html}"
        );
        assert!(
            !html.contains("행정복지센터"),
            "the affiliation beside a masked name could tell who it is"
        );
        // The course's certificates are its runners': not a place's staff nor the si/do's.
        app.add_user("seoul.programme", Role::ProgrammeStaff, "1100000000")
            .await;
        let sido = app.token("seoul.programme").await;
        for token in [&place, &sido] {
            assert_eq!(call(&app, token, "GET", &path, None).await.0, 403);
        }

        // On the page: the course's staff issue and print; the 구's head signs.
        let http = client();
        log_in(
            &http,
            &app.address,
            "yoon.programme",
            &format!("/courses/{id}"),
        )
        .await;
        let page = html_of(&http, &app, &format!("/courses/{id}")).await;
        assert!(
            page.contains(&format!("certificates?code={code}")),
            "{page}"
        );
        let res = http
            .post(app.url(&format!("/work/courses/{id}/certificates")))
            .form(&[("_csrf", csrf_of(&page).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let printed = html_of(&http, &app, &format!("/work/courses/{id}/certificates")).await;
        assert_eq!(printed.matches("<article").count(), 3);
        assert_eq!(
            printed.matches("<h1").count(),
            1,
            "one heading for the page"
        );
        assert!(printed.contains("종로구청장") && printed.contains("4시간"));
        let one = html_of(
            &http,
            &app,
            &format!("/work/courses/{id}/certificates?code={code}"),
        )
        .await;
        assert!(one.contains("정다은") && !one.contains("최우진"));
        let typed = code.to_lowercase().replace('-', "");
        let one = html_of(
            &http,
            &app,
            &format!("/work/courses/{id}/certificates?code={typed}"),
        )
        .await;
        assert!(one.contains("정다은"), "a code as people type it");
        let res = client()
            .get(app.url(&format!("/work/courses/{id}/certificates")))
            .send()
            .await
            .unwrap();
        assert_ne!(res.status(), 200, "not for the public");
        let res = http
            .get(app.url(&format!(
                "/work/courses/{id}/certificates?code=ABCD-EFGH-JKMN"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
}

#[tokio::test]
async fn a_lottery_application_takes_its_hours_from_the_places_autonomy_school() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("lee.autonomy", Role::AutonomyStaff, SAJIK)
            .await;
        let officer = app.token("park.officer").await;
        let sajik = app.token("lee.autonomy").await;
        // A course of `place` (an autonomy school or not) with one person who attended
        // `minutes` of each of two four-hour sessions; their enrolment and the course.
        let enrolled = async |token: &str, place: &str, school: bool, minutes: [u32; 2]| {
            let (_, course) = call(
                &app,
                token,
                "POST",
                &format!("/api/v1/regions/{place}/courses"),
                Some(json!({"title": "주민자치학교", "audience": "residents",
                            "autonomy_school": school, "required_minutes": 360})),
            )
            .await;
            let id = course["id"].as_i64().unwrap();
            let mut marks = Vec::new();
            let (_, e) = call(
                &app,
                token,
                "POST",
                &format!("/api/v1/courses/{id}/enrolments"),
                Some(json!({"name": "주민"})),
            )
            .await;
            let e = e["id"].as_i64().unwrap();
            for (day, m) in ["2026-03-05", "2026-03-12"].into_iter().zip(minutes) {
                let (_, s) = call(
                    &app,
                    token,
                    "POST",
                    &format!("/api/v1/courses/{id}/sessions"),
                    Some(json!({"title": "강의", "held_on": day, "minutes": 240})),
                )
                .await;
                marks.push(json!({"enrolment_id": e, "session_id": s["id"], "minutes": m}));
            }
            let (status, _) = call(
                &app,
                token,
                "PUT",
                &format!("/api/v1/courses/{id}/attendance"),
                Some(json!({ "marks": marks })),
            )
            .await;
            assert_eq!(status, 204);
            (e, id)
        };
        let (full, _) = enrolled(&officer, CHEONGUN, true, [240, 240]).await;
        let (part, part_course) = enrolled(&officer, CHEONGUN, true, [200, 0]).await;
        let (later, _) = enrolled(&officer, CHEONGUN, true, [240, 130]).await;
        let (not_school, _) = enrolled(&officer, CHEONGUN, false, [240, 240]).await;
        let (elsewhere, _) = enrolled(&sajik, SAJIK, true, [240, 240]).await;

        let (_, lottery) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/lotteries"),
            Some(json!({"title": "제3기 위원 공개추첨", "seats": 2})),
        )
        .await;
        let applications = format!("/api/v1/lotteries/{}/applications", lottery["id"]);
        let application = |n: u32, enrolment: i64| {
            json!({"number": format!("2026-{n:03}"), "name": "주민", "category": "resident",
                   "gender": "female", "school_enrolment_id": enrolment})
        };
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &applications,
            Some(json!({"applications": [application(1, full), application(2, part)]})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let mut someone_else = application(3, later);
        someone_else["name"] = json!("다른주민");
        for (batch, field) in [
            (
                vec![application(3, not_school)],
                "applications[0].school_enrolment_id",
            ),
            (
                vec![application(3, elsewhere)],
                "applications[0].school_enrolment_id",
            ),
            (
                vec![application(3, full)],
                "applications[0].school_enrolment_id",
            ),
            (vec![someone_else], "applications[0].school_enrolment_id"),
            (
                vec![application(3, later), application(4, later)],
                "applications[1].school_enrolment_id",
            ),
        ] {
            let (status, problem) = call(
                &app,
                &officer,
                "POST",
                &applications,
                Some(json!({ "applications": batch })),
            )
            .await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(field)),
                "{problem}"
            );
        }
        let mut both = application(3, later);
        both["training_hours"] = json!(6);
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &applications,
            Some(json!({ "applications": [both] })),
        )
        .await;
        assert_eq!(status, 422, "hours typed and from the school");

        // On the page, `#` and the enrolment number in place of the hours.
        let http = client();
        let work = format!("/work/lotteries/{}", lottery["id"]);
        log_in(&http, &app.address, "park.officer", &work).await;
        let page = html_of(&http, &app, &work).await;
        let res = http
            .post(app.url(&format!("{work}/applications")))
            .form(&[
                ("_csrf", csrf_of(&page).as_str()),
                (
                    "applications",
                    &format!("2026-003, 주 민, 일반, 남, #{later}"),
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (_, list) = call(&app, &officer, "GET", &applications, None).await;
        let hours: Vec<_> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["training_hours"].clone(),
                    a["school_enrolment_id"].clone(),
                )
            })
            .collect();
        assert_eq!(
            hours,
            vec![
                (json!(8), json!(full)),
                (json!(3), json!(part)),
                (json!(6), json!(later)),
            ],
            "whole hours of the attendance (6 h 10 min is 6)"
        );
        // A session recorded after the application counts: the hours are read again when the
        // seed fixes the list.
        let (_, course) = anonymous(&app, &format!("/api/v1/courses/{part_course}")).await;
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &format!("/api/v1/courses/{part_course}/attendance"),
            Some(json!({"marks": [{"enrolment_id": part, "session_id": course["sessions"][1]["id"]}]})),
        )
        .await;
        assert_eq!(status, 204);
        let seed = format!("/api/v1/lotteries/{}/seed", lottery["id"]);
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &seed,
            Some(json!({"seed": "4 2 6 1"})),
        )
        .await;
        assert!(status < 300, "{body}");
        let (_, list) = call(&app, &officer, "GET", &applications, None).await;
        assert_eq!(
            list["items"][1]["training_hours"], 7,
            "3 h 20 min and a 4 h session"
        );
        let public = html_of(
            &client(),
            &app,
            &format!("/r/{CHEONGUN}/lotteries/{}", lottery["id"]),
        )
        .await;
        assert_eq!(
            public.matches("주민자치학교 출석 기록").count(),
            3,
            "the public sees which hours the school's record gave"
        );
        assert!(!public.contains("주 민"), "no names in public");
    }
}
