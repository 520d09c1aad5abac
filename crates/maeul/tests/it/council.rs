//! Councils and their member lottery through the API, the pages and the command line.

use maeul_core::account::Role;
use maeul_core::autonomy::council::term_end;
use maeul_core::autonomy::lottery::{Record, verify};
use serde_json::{Value, json};

use crate::assembly::post_form;
use crate::cli::maeul;
use crate::{call, client, spawn_apps, today};

const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";

fn pilot() -> Value {
    json!({"status": "pilot", "ordinance": "종로구 주민자치회 시범실시 조례",
           "ordinance_on": "2019-03-28", "pilot_designated_on": "2019.04.15"})
}

#[tokio::test]
async fn a_council_keeps_its_status_subcommittees_and_meetings_and_counts_add_up() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, "2611051000")
            .await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        let officer = app.token("park.officer").await;
        let busan = app.token("busan.officer").await;
        let programme = app.token("yoon.programme").await;
        let changes = format!("/api/v1/regions/{CHEONGUN}/council-changes");

        let (status, _) = call(&app, "", "POST", &changes, Some(pilot())).await;
        assert_eq!(status, 401, "{}", app.engine);
        let (status, _) = call(&app, &busan, "POST", &changes, Some(pilot())).await;
        assert_eq!(status, 403);
        let mut no_basis = pilot();
        no_basis["ordinance"] = Value::Null;
        let (status, body) = call(&app, &officer, "POST", &changes, Some(no_basis)).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "ordinance");
        let (status, body) = call(&app, &officer, "POST", &changes, Some(pilot())).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["pilot_designated_on"], "2019-04-15");
        // Programme staff of the si/gun/gu record the next stage.
        let mut established = pilot();
        established["status"] = json!("established");
        let (status, _) = call(
            &app,
            &programme,
            "POST",
            &changes,
            Some(established.clone()),
        )
        .await;
        assert_eq!(status, 201);
        let (status, _) = call(
            &app,
            &programme,
            "POST",
            &format!("/api/v1/regions/{SAJIK}/council-changes"),
            Some(pilot()),
        )
        .await;
        assert_eq!(status, 201);
        let (_, history) = call(&app, &officer, "GET", &changes, None).await;
        assert_eq!(history["items"].as_array().unwrap().len(), 2);
        assert_eq!(history["items"][0]["status"], "established");

        // Counts: public, and each level is the sum of the level below.
        let (status, nation) = call(
            &app,
            "",
            "GET",
            "/api/v1/regions/0000000000/council-statuses",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(nation["counts"]["established"], 1);
        assert_eq!(nation["counts"]["pilot"], 1);
        let below: i64 = nation["below"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["counts"]["total"].as_i64().unwrap())
            .sum();
        assert_eq!(below, nation["counts"]["total"].as_i64().unwrap());
        assert!(
            nation["below"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["region_code"] == "1100000000" && b["name"] == "서울특별시"),
            "the regions below are named"
        );
        let (_, jongno) = call(
            &app,
            "",
            "GET",
            "/api/v1/regions/1111000000/council-statuses",
            None,
        )
        .await;
        let places = jongno["below"].as_array().unwrap();
        assert!(places.iter().any(|p| p["region_code"] == CHEONGUN
            && p["name"] == "청운효자동"
            && p["counts"]["established"] == 1
            && p["counts"]["total"] == 1));
        let (status, _) = call(
            &app,
            "",
            "GET",
            "/api/v1/regions/9911000000/council-statuses",
            None,
        )
        .await;
        assert_eq!(status, 404);

        // Subcommittees and meetings.
        let subs = format!("/api/v1/regions/{CHEONGUN}/subcommittees");
        let (status, sub) = call(
            &app,
            &officer,
            "POST",
            &subs,
            Some(json!({"name": " 복지분과 "})),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(sub["name"], "복지분과");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &subs,
            Some(json!({"name": "복지분과"})),
        )
        .await;
        assert_eq!(status, 409);
        // PostgreSQL keeps no NUL in text: refused there as bad input, never a 500.
        let (status, problem) = call(
            &app,
            &officer,
            "POST",
            &subs,
            Some(json!({"name": "체육\u{0}분과"})),
        )
        .await;
        let expected = if app.engine == "postgres" { 422 } else { 201 };
        assert_eq!(status, expected, "{}: {problem}", app.engine);
        let (_, other) = call(
            &app,
            &programme,
            "POST",
            &format!("/api/v1/regions/{SAJIK}/subcommittees"),
            Some(json!({"name": "환경분과"})),
        )
        .await;
        let meetings = format!("/api/v1/regions/{CHEONGUN}/council-meetings");
        let meeting = |sub: &Value, attended: u32| {
            json!({"title": "3월 분과회의", "held_on": "2026-03-05", "agenda": "안부 확인 사업",
                   "attended": attended, "members": 8, "minutes": "주민총회 안건으로 올림",
                   "subcommittee_id": sub["id"]})
        };
        let (status, body) = call(&app, &officer, "POST", &meetings, Some(meeting(&sub, 9))).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "attended");
        let (status, body) =
            call(&app, &officer, "POST", &meetings, Some(meeting(&other, 6))).await;
        assert_eq!(status, 422, "another council's subcommittee: {body}");
        assert_eq!(body["errors"][0]["field"], "subcommittee_id");
        let (status, _) = call(&app, &officer, "POST", &meetings, Some(meeting(&sub, 6))).await;
        assert_eq!(status, 201);
        let (_, list) = call(&app, &officer, "GET", &meetings, None).await;
        assert_eq!(list["total"], 1);

        let (status, council) = call(
            &app,
            "",
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/council"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(council["status"], "established");
        assert_eq!(council["subcommittees"][0]["name"], "복지분과");
        assert_eq!(council["meetings"][0]["subcommittee"], "복지분과");
        assert_eq!(council["meetings"][0]["quorate"], true);
        assert_eq!(council["meetings"][0]["minutes"], "주민총회 안건으로 올림");
    }
}

fn applications(from: usize, to: usize) -> Value {
    let list: Vec<Value> = (from..=to)
        .map(|n| {
            json!({"number": format!("2026-{n:03}"), "name": format!("신청자{n}"),
                   "category": if n % 9 == 0 { "사회적 약자" } else { "일반" },
                   "gender": if n % 3 == 0 { "여" } else { "남" },
                   "training_hours": 4 + (n % 5)})
        })
        .collect();
    json!({ "applications": list })
}

#[tokio::test]
async fn a_lottery_is_drawn_once_from_a_published_seed_and_its_record_reproduces_it() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        let officer = app.token("park.officer").await;
        let lotteries = format!("/api/v1/regions/{CHEONGUN}/lotteries");
        let rules = json!({"title": "제3기 위원 공개추첨", "seats": 12, "alternates": 3,
                           "reserved": [{"category": "disadvantaged", "seats": 1}]});
        let mut bad = rules.clone();
        bad["max_gender_percent"] = json!(40);
        let (status, body) = call(&app, &officer, "POST", &lotteries, Some(bad)).await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "max_gender_percent");
        let (status, created) = call(&app, &officer, "POST", &lotteries, Some(rules)).await;
        assert_eq!(status, 201, "{}", app.engine);
        let id = created["id"].as_i64().unwrap();
        let base = format!("/api/v1/lotteries/{id}");

        let (status, _) = call(&app, &officer, "POST", &format!("{base}/draw"), None).await;
        assert_eq!(status, 409, "no draw before the seed");
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &format!("{base}/applications"),
            Some(applications(1, 30)),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["applications"], 30);
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &format!("{base}/applications"),
            Some(applications(30, 31)),
        )
        .await;
        assert_eq!(
            status, 409,
            "a number already on the list refuses the batch: {body}"
        );
        assert_eq!(body["detail"], "2026-030");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &format!("{base}/seed"),
            Some(json!({"seed": " "})),
        )
        .await;
        assert_eq!(status, 422);
        let seed = json!({"seed": "2026-02-10 공개 주사위 3 6 1 4 2 5"});
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &format!("{base}/seed"),
            Some(seed.clone()),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["stage"], "seeded");
        assert_eq!(body["applications"], 30);
        let (status, _) = call(&app, &officer, "POST", &format!("{base}/seed"), Some(seed)).await;
        assert_eq!(status, 409);
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &format!("{base}/applications"),
            Some(applications(40, 40)),
        )
        .await;
        assert_eq!(status, 409, "the list is fixed once the seed is out");
        let (status, _) = call(&app, "", "GET", &format!("{base}/record"), None).await;
        assert_eq!(status, 409);

        let (status, drawn) = call(&app, &officer, "POST", &format!("{base}/draw"), None).await;
        assert_eq!(status, 200);
        assert_eq!(drawn["stage"], "drawn");
        let (status, _) = call(&app, &officer, "POST", &format!("{base}/draw"), None).await;
        assert_eq!(status, 409);

        let res = client()
            .get(app.url(&format!("{base}/record")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let text = res.text().await.unwrap();
        assert!(!text.contains("신청자"), "the record names no one");
        let record: Record = serde_json::from_str(&text).unwrap();
        assert_eq!(verify(&record), Ok(()));
        let members = &drawn["outcome"]["members"];
        assert_eq!(
            record.outcome.members.len(),
            members.as_array().unwrap().len()
        );
        assert!(
            record.outcome.members.len() <= 12 && !record.outcome.ineligible.is_empty(),
            "under-trained applicants stay out"
        );
        let (_, public) = call(&app, "", "GET", &base, None).await;
        assert!(!public.to_string().contains("신청자"));
        let (_, names) = call(&app, &officer, "GET", &format!("{base}/applications"), None).await;
        assert_eq!(names["items"][0]["name"], "신청자1");

        // The seated members are appointed once; roles and leaving.
        let appoint = format!("{base}/appointments");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &appoint,
            Some(json!({"term_starts": "9998-06-01"})),
        )
        .await;
        assert_eq!(status, 422, "a term past the calendar's end");
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &appoint,
            Some(json!({"term_starts": today().to_string()})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let seated = body["appointed"].as_u64().unwrap();
        let (status, body) =
            call(&app, &officer, "POST", &format!("{base}/alternates"), None).await;
        assert_eq!(status, 409, "no one has left: {body}");
        assert_eq!(body["type"], "urn:maeul:problem:no-vacancy");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &appoint,
            Some(json!({"term_starts": today().to_string()})),
        )
        .await;
        assert_eq!(status, 409);
        let (_, council) = call(
            &app,
            "",
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/council"),
            None,
        )
        .await;
        let members = council["members"].as_array().unwrap().clone();
        assert_eq!(members.len() as u64, seated);
        assert_eq!(
            members[0]["term_ends"],
            term_end(today()).unwrap().to_string()
        );
        let member = |i: usize| members[i]["id"].as_i64().unwrap();
        let role = |i: usize| format!("/api/v1/council-members/{}/role", member(i));
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &role(0),
            Some(json!({"role": "chair"})),
        )
        .await;
        assert_eq!(status, 204);
        let (status, body) = call(
            &app,
            &officer,
            "POST",
            &role(1),
            Some(json!({"role": "chair"})),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["type"], "urn:maeul:problem:role-taken");
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &role(1),
            Some(json!({"role": "subcommittee_chair"})),
        )
        .await;
        assert_eq!(status, 422, "a subcommittee chair needs a subcommittee");
        let end = format!("/api/v1/council-members/{}/end", member(0));
        let (status, _) = call(&app, &officer, "POST", &end, None).await;
        assert_eq!(status, 204);
        let (status, _) = call(&app, &officer, "POST", &end, None).await;
        assert_eq!(status, 409);
        let (status, body) =
            call(&app, &officer, "POST", &format!("{base}/alternates"), None).await;
        assert!(status == 201 || status == 409, "{body}");
        let (_, council) = call(
            &app,
            "",
            "GET",
            &format!("/api/v1/regions/{CHEONGUN}/council"),
            None,
        )
        .await;
        let serving = council["members"].as_array().unwrap().len() as u64;
        assert_eq!(serving, if status == 201 { seated } else { seated - 1 });

        // Anyone re-runs it from the downloaded record; a forged record fails.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("record.json");
        std::fs::write(&file, &text).unwrap();
        let (ok, out, err) = maeul(
            dir.path(),
            &["lottery", "verify", file.to_str().unwrap()],
            None,
        );
        assert!(ok, "{err}");
        assert!(out.contains("the draw is reproduced"), "{out}");
        let mut forged: Value = serde_json::from_str(&text).unwrap();
        forged["seed"] = json!("another seed");
        std::fs::write(&file, forged.to_string()).unwrap();
        let (ok, _, err) = maeul(
            dir.path(),
            &["lottery", "verify", file.to_str().unwrap()],
            None,
        );
        assert!(!ok);
        assert!(err.contains("differs"), "{err}");
    }
}

#[test]
fn council_statuses_import_from_a_file_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("councils.csv");
    std::fs::write(
        &file,
        "행정기관코드,구성단계,근거조례,조례제정일,시범실시지정일\n\
         1111051500,시범실시,종로구 주민자치회 조례,2019-03-28,2019-04-15\n\
         1111053000,주민자치위원회,,,\n\
         1111054000,시범실시,종로구 주민자치회 조례,2019-03-28,\n\
         9999999900,주민자치회,조례,2019-01-01,\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (ok, _, err) = maeul(dir.path(), &["import", "councils", path], None);
    assert!(!ok);
    assert!(
        err.contains("councils.csv:4:"),
        "a pilot without its date: {err}"
    );
    assert!(err.contains("councils.csv:5:"), "an unknown code: {err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let text = std::fs::read_to_string(&file).unwrap();
    let fixed: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(&file, fixed.join("\n")).unwrap();
    let (ok, out, err) = maeul(dir.path(), &["import", "councils", path], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("2 councils recorded: 0 established, 1 pilot, 1 committee"),
        "{out}"
    );
}

#[tokio::test]
async fn officers_keep_the_council_and_draw_members_through_the_pages() {
    let app = crate::spawn_app().await;
    app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
        .await;
    let officer = client();
    crate::log_in(&officer, &app.address, "park.officer", "/work").await;
    let home = officer
        .get(app.url("/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(&format!("/work/council?region={CHEONGUN}")),
        "{home}"
    );
    let res = officer.get(app.url("/work/council")).send().await.unwrap();
    assert_eq!(res.status(), 303, "one place: straight to it");
    let work = format!("/work/council?region={CHEONGUN}");

    let status = [
        ("region", CHEONGUN),
        ("status", "pilot"),
        ("ordinance", "종로구 주민자치회 시범실시 조례"),
        ("ordinance_on", "2019-03-28"),
        ("pilot_designated_on", ""),
    ];
    let refused = post_form(&officer, &app, &work, "/work/council/status", &status).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("시범실시 주민자치회는 지정일이 필요합니다"),
        "{html}"
    );
    assert!(
        html.contains("value=\"종로구 주민자치회 시범실시 조례\""),
        "input kept"
    );
    let mut status = status.to_vec();
    status[4] = ("pilot_designated_on", "2019-04-15");
    let saved = post_form(&officer, &app, &work, "/work/council/status", &status).await;
    assert_eq!(saved.status(), 303);

    let lottery = [
        ("region", CHEONGUN),
        ("title", "제3기 위원 공개추첨"),
        ("seats", "5"),
        ("min_training_hours", ""),
        ("max_gender_percent", ""),
        ("reserved_disadvantaged", ""),
        ("reserved_youth", ""),
        ("alternates", "2"),
    ];
    let created = post_form(&officer, &app, &work, "/work/council/lotteries", &lottery).await;
    assert_eq!(created.status(), 303);
    let page = created.headers()["location"].to_str().unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    let rows = "2026-001\t김하나\t일반\t여\t8\n2026-002\t이둘\t청년\t남\t6\n2026-003\t박셋\t일반\t여\t2\n2026-004\t최넷\t일반\t남\t10\n";
    let bad = post_form(
        &officer,
        &app,
        &page,
        &format!("{page}/applications"),
        &[("applications", "2026-009\t정아홉\t일반\t여\n")],
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("읽지 못한 줄 번호 (1)"));
    let added = post_form(
        &officer,
        &app,
        &page,
        &format!("{page}/applications"),
        &[("applications", rows)],
    )
    .await;
    assert_eq!(added.status(), 303);
    let seeded = post_form(
        &officer,
        &app,
        &page,
        &format!("{page}/seed"),
        &[("seed", "주사위 3 1 4")],
    )
    .await;
    assert_eq!(seeded.status(), 303);
    let drawn = post_form(&officer, &app, &page, &format!("{page}/draw"), &[]).await;
    assert_eq!(drawn.status(), 303);
    let appointed = post_form(
        &officer,
        &app,
        &page,
        &format!("{page}/appointments"),
        &[("term_starts", &today().to_string())],
    )
    .await;
    assert_eq!(appointed.status(), 303);
    let work_page = officer
        .get(app.url(&work))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        work_page.contains("김하나") || work_page.contains("최넷"),
        "{work_page}"
    );

    let public = client()
        .get(app.url(&format!("/r/{CHEONGUN}/lotteries/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("추첨 완료"), "{public}");
    assert!(public.contains("이수 시간 부족"), "2026-003 had 2 hours");
    assert!(!public.contains("김하나"), "the public page names no one");
    assert!(public.contains(&format!("/api/v1/lotteries/{id}/record")));
    let council = client()
        .get(app.url(&format!("/r/{CHEONGUN}/council")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(council.contains("시범실시 주민자치회"), "{council}");
    let ends = maeul_core::format::date(term_end(today()).unwrap(), maeul_core::format::Lang::Ko);
    assert!(council.contains(&ends), "the members' term is public");
    assert!(council.contains("제3기 위원 공개추첨"));
    let statuses = client()
        .get(app.url("/councils/1111000000"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        statuses.contains(&format!("/r/{CHEONGUN}/council")),
        "{statuses}"
    );

    // The same table as a spreadsheet whose counts add up.
    let res = client()
        .get(app.url("/councils/1111000000?format=xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    use calamine::DataType;
    let rows = crate::xlsx_sheets(&res.bytes().await.unwrap()).remove(0).1;
    let number = |r: &[calamine::Data], c: usize| r[c].as_f64().unwrap() as i64;
    let total = rows.last().unwrap();
    let sum: i64 = rows[1..rows.len() - 1].iter().map(|r| number(r, 6)).sum();
    assert_eq!(sum, number(total, 6), "the places add up to the total");
    assert!(rows.iter().any(|r| r[0] == CHEONGUN && number(r, 3) == 1));
    let bad = client()
        .get(app.url("/councils/1111000000?format=pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}
