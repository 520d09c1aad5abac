//! Organisation models: programme staff record a place's model, plan and teams within the
//! manual's rule; everyone reads a place's record and the progress at every level, whose counts
//! add up; the places' records download in the columns the import reads back.

use maeul_core::account::Role;
use maeul_core::org::model::{self as rule, OrgRules};
use maeul_core::region::{RegionCode, RegionKind};
use serde_json::json;

use crate::cli::maeul;
use crate::{anonymous, call, client, spawn_apps};

const JONGNO: &str = "1111000000";
const CHEONGUN: &str = "1111051500";
const SAJIK: &str = "1111053000";
const GOKSEONG: &str = "4672000000";

#[tokio::test]
async fn programme_staff_record_models_within_the_rule_and_progress_adds_up() {
    for app in spawn_apps().await {
        app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        let gu = app.token("yoon.programme").await;
        let busan = app.token("busan.programme").await;
        let officer = app.token("park.officer").await;
        let change = |code: &str| format!("/api/v1/regions/{code}/org-model-changes");

        let (status, unrecorded) =
            anonymous(&app, &format!("/api/v1/regions/{CHEONGUN}/org-model")).await;
        assert_eq!(status, 200);
        assert_eq!(unrecorded["progress"], "unrecorded");
        assert_eq!(unrecorded["target_models"], json!(["service_linked"]));

        let basic = json!({"model": "basic", "since": "2018-07-01",
                           "planned_model": "service_linked", "planned_on": "2022-07-01"});
        for (token, expected) in [(&officer, 403), (&busan, 403)] {
            let (status, _) =
                call(&app, token, "POST", &change(CHEONGUN), Some(basic.clone())).await;
            assert_eq!(status, expected, "only programme staff over the place");
        }
        for (field, value, wrong) in [
            ("planned_model", json!("rural_specialised"), "planned_model"),
            ("planned_model", json!("basic"), "planned_model"),
            ("planned_on", json!(null), "planned_on"),
            ("planned_on", json!("2018-06-30"), "planned_on"),
            ("model", json!("big"), "model"),
            ("model", json!("rural_specialised"), "model"),
            ("planned_model", json!(""), "planned_model"),
            ("teams", json!(["총무팀"]), "teams"),
            ("teams", json!(["주민자치팀", "주민자치팀"]), "teams"),
        ] {
            let mut bad = basic.clone();
            bad[field] = value;
            let (status, problem) = call(&app, &gu, "POST", &change(CHEONGUN), Some(bad)).await;
            assert_eq!(
                (status, problem["errors"][0]["field"].clone()),
                (422, json!(wrong)),
                "{field}: {problem}"
            );
        }
        let (status, _) = call(&app, &gu, "POST", &change(JONGNO), Some(basic.clone())).await;
        assert_eq!(status, 404, "a si/gun/gu has no model of its own");
        let (status, history) = call(&app, &gu, "GET", &change(CHEONGUN), None).await;
        assert_eq!(
            (status, history["items"].as_array().map(Vec::len)),
            (200, Some(0)),
            "refusals change nothing"
        );

        let (status, record) =
            call(&app, &gu, "POST", &change(CHEONGUN), Some(basic.clone())).await;
        assert_eq!(status, 201, "{}: {record}", app.engine);
        assert_eq!(record["model"], "basic");
        assert_eq!(
            record["progress"], "overdue",
            "the planned day passed without the change"
        );
        assert_eq!(
            record["teams"],
            json!(["행정민원팀", "찾아가는 보건복지팀"]),
            "the model's standard teams"
        );
        let linked = json!({"model": "service_linked", "since": "2022-07-01", "teams": ["행정민원팀", "찾아가는 보건복지팀"]});
        let (status, record) = call(&app, &gu, "POST", &change(CHEONGUN), Some(linked)).await;
        assert_eq!(status, 201);
        assert_eq!(record["progress"], "reached");
        assert_eq!(record["missing_teams"], json!(["주민자치팀"]));
        let (_, history) = call(&app, &gu, "GET", &change(CHEONGUN), None).await;
        let models: Vec<_> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["model"].clone())
            .collect();
        assert_eq!(
            models,
            vec![json!("service_linked"), json!("basic")],
            "newest first"
        );
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &change(SAJIK),
            Some(json!({"model": "basic"})),
        )
        .await;
        assert_eq!(status, 201);

        // A 면 of 곡성군, recorded by the ministry: its targets are basic or rural-specialised.
        app.add_user("lee.ministry", Role::Ministry, "0000000000")
            .await;
        let ministry = app.token("lee.ministry").await;
        let places = app
            .store
            .org_models()
            .places(&RegionCode::parse(GOKSEONG).unwrap())
            .await
            .unwrap();
        let myeon = places.iter().find(|p| p.kind == RegionKind::Myeon).unwrap();
        let to_linked = json!({"model": "basic", "planned_model": "service_linked", "planned_on": "2027-01-01"});
        let (status, _) = call(
            &app,
            &ministry,
            "POST",
            &change(myeon.code.as_str()),
            Some(to_linked),
        )
        .await;
        assert_eq!(status, 422, "a 면 does not become public-service-linked");
        let (status, record) = call(
            &app,
            &ministry,
            "POST",
            &change(myeon.code.as_str()),
            Some(json!({"model": "rural_specialised"})),
        )
        .await;
        assert_eq!(
            (status, record["progress"].clone()),
            (201, json!("reached"))
        );

        // Progress: the nation's counts are the sum of the si/do, every place counted once.
        let (status, nation) =
            anonymous(&app, "/api/v1/regions/0000000000/org-model-progress").await;
        assert_eq!(status, 200);
        let total = &nation["counts"];
        assert_eq!(total["total"], 3560);
        assert_eq!(
            (
                total["basic"].clone(),
                total["service_linked"].clone(),
                total["rural_specialised"].clone()
            ),
            (json!(1), json!(1), json!(1))
        );
        assert_eq!(
            (total["reached"].clone(), total["unplanned"].clone()),
            (json!(2), json!(1))
        );
        for key in [
            "basic",
            "service_linked",
            "rural_specialised",
            "unrecorded",
            "reached",
            "planned",
            "overdue",
            "late",
            "unplanned",
            "total",
        ] {
            let sum: i64 = nation["below"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["counts"][key].as_i64().unwrap())
                .sum();
            assert_eq!(sum, total[key].as_i64().unwrap(), "{key}");
        }
        let by_progress: i64 = [
            "reached",
            "planned",
            "overdue",
            "late",
            "unplanned",
            "unrecorded",
        ]
        .iter()
        .map(|k| total[*k].as_i64().unwrap())
        .sum();
        assert_eq!(by_progress, 3560);
        let (_, gu_progress) = anonymous(
            &app,
            &format!("/api/v1/regions/{JONGNO}/org-model-progress"),
        )
        .await;
        let cheongun = gu_progress["below"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["region_code"] == CHEONGUN)
            .unwrap();
        assert_eq!(
            (
                cheongun["name"].clone(),
                cheongun["counts"]["service_linked"].clone()
            ),
            (json!("청운효자동"), json!(1))
        );
        let (status, _) = anonymous(&app, "/api/v1/regions/9999999900/org-model-progress").await;
        assert_eq!(status, 404);

        // The download reads back into the same records.
        let csv = client()
            .get(app.url(&format!("/org-models/{JONGNO}?format=csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let rows: Vec<(usize, Vec<String>)> = reader
            .records()
            .enumerate()
            .map(|(i, r)| (i + 1, r.unwrap().iter().map(str::to_owned).collect()))
            .collect();
        assert_eq!(
            rows.len(),
            1 + gu_progress["counts"]["total"].as_i64().unwrap() as usize
        );
        let kinds = |c: &RegionCode| c.as_str().starts_with("11110").then_some(RegionKind::Dong);
        let read = rule::read(rows, kinds, &OrgRules::default()).expect("the download reads back");
        assert_eq!(
            read.len(),
            2,
            "the two recorded places; the others stay unrecorded"
        );
        let stored = app
            .store
            .org_models()
            .get(&RegionCode::parse(CHEONGUN).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            read.iter().find(|(c, _)| c.as_str() == CHEONGUN).unwrap().1,
            stored.organisation
        );
        let xlsx = client()
            .get(app.url(&format!("/org-models/{JONGNO}?format=xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        assert!(
            xlsx.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
    }
}

#[tokio::test]
async fn the_pages_show_progress_and_keep_a_place_with_the_form_refilled_on_refusal() {
    let app = crate::spawn_app().await;
    app.add_user("yoon.programme", Role::ProgrammeStaff, JONGNO)
        .await;
    let staff = client();
    crate::log_in(&staff, &app.address, "yoon.programme", "/work").await;
    let home = staff
        .get(app.url("/work"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains(&format!("/org-models/{JONGNO}")),
        "a shortcut on the workspace home"
    );
    let page = staff
        .get(app.url(&format!("/org-models/{JONGNO}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(&format!("/r/{CHEONGUN}/organisation"))
    );

    let form_url = format!("/work/org-models/{CHEONGUN}");
    let form = staff
        .get(app.url(&form_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::csrf_of(&form);
    let refused = staff
        .post(app.url(&form_url))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("model", "service_linked"),
            ("since", "2019-07-01"),
            ("planned_model", "service_linked"),
            ("planned_on", "2027-01-01"),
            ("teams", "주민자치팀"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\""),
        "the field is marked"
    );
    assert!(
        html.contains("value=\"2019-07-01\""),
        "what was typed stays"
    );
    let saved = staff
        .post(app.url(&form_url))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("model", "service_linked"),
            ("since", "2019-07-01"),
            ("planned_model", ""),
            ("planned_on", ""),
            ("teams", "주민자치팀"),
            ("teams", "행정민원팀"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let (_, record) = anonymous(&app, &format!("/api/v1/regions/{CHEONGUN}/org-model")).await;
    assert_eq!(record["teams"], json!(["주민자치팀", "행정민원팀"]));
    let public = client()
        .get(app.url(&format!("/r/{CHEONGUN}/organisation")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        public.contains("공공서비스 연계형") && public.contains("찾아가는 보건복지팀"),
        "model and the missing standard team"
    );
    let other = staff
        .get(app.url("/work/org-models/2611051000"))
        .send()
        .await
        .unwrap();
    assert!(
        [403, 404].contains(&other.status().as_u16()),
        "outside the scope"
    );
}

#[test]
fn org_models_import_from_a_file_all_or_nothing_and_rules_are_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("org.csv");
    std::fs::write(
        &file,
        "행정기관코드,조직모형,전환일,전환예정모형,전환예정일,팀\n\
         1111051500,공공서비스 연계형,2019-07-01,,,행정민원팀; 찾아가는 보건복지팀; 주민자치팀\n\
         1111053000,기본형,2018-07-01,공공서비스 연계형,2027-01-01,\n\
         1111054000,기본형,,농어촌특성화형,2027-01-01,\n\
         9999999900,기본형,,,,\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let (ok, _, err) = maeul(dir.path(), &["import", "org-models", path], None);
    assert!(!ok);
    assert!(
        err.contains("org.csv:4:"),
        "a 동 planned to become rural-specialised: {err}"
    );
    assert!(err.contains("org.csv:5:"), "an unknown code: {err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let text = std::fs::read_to_string(&file).unwrap();
    let fixed: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(&file, fixed.join("\n")).unwrap();
    let (ok, out, err) = maeul(dir.path(), &["import", "org-models", path], None);
    assert!(ok, "{err}");
    assert!(out.contains("2 organisation models recorded"), "{out}");

    let rules = dir.path().join("org.toml");
    let changed = OrgRules::default()
        .to_toml()
        .replace("2022-12-31", "2027-12-31");
    std::fs::write(&rules, &changed).unwrap();
    let (ok, out, err) = maeul(
        dir.path(),
        &["org", "rules", "--set", rules.to_str().unwrap()],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("target_on = \"2027-12-31\""), "{out}");
    std::fs::write(&rules, "target_on = \"someday\"").unwrap();
    let (ok, _, _) = maeul(
        dir.path(),
        &["org", "rules", "--set", rules.to_str().unwrap()],
        None,
    );
    assert!(!ok, "bad rules are refused");
    let (_, out, _) = maeul(dir.path(), &["org", "rules"], None);
    assert!(out.contains("2027-12-31"), "and change nothing: {out}");
}
