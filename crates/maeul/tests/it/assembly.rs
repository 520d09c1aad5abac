//! The resident general assembly through the API: rules frozen at opening, one participation
//! per resident across online codes and booths, paper tallies, the result and its ballot file.

use maeul_core::account::Role;
use maeul_core::autonomy::assembly::VotingCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{TestApp, call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";

/// An assembly open from a minute ago for an hour.
pub fn assembly_body(title: &str) -> Value {
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    json!({
        "title": title,
        "opens_at": fmt(now - time::Duration::minutes(1)),
        "closes_at": fmt(now + time::Duration::hours(1)),
        "eligibility": {"min_age": 16},
        "eligible_population": 2000,
        "quorum": {"min_turnout_percent": 0.5},
        "items": [
            {"title": "마을 도서관 운영시간 연장", "rule": "majority"},
            {"title": "마을축제 프로그램", "rule": "top_k", "k": 2,
             "options": ["벼룩시장", "음악회", "어린이 그림대회"]},
            {"title": "주민참여예산 사업", "rule": "budget", "limit": 10000000,
             "options": [{"title": "골목 화단", "cost": 6000000},
                         {"title": "경로당 안전손잡이", "cost": 4000000},
                         {"title": "공유 창고", "cost": 5000000}]}
        ],
        "booths": [{"name": "청운효자동 주민센터"}, {"name": "찾아가는 투표소", "kind": "mobile"}]
    })
}

/// Posts without a token (voting needs none).
async fn post_anonymous(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let res = client()
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> u16 {
    client()
        .patch(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn ballot(code: &str, items: &[i64], answer: &str, festival: &[&str], budget: &[&str]) -> Value {
    json!({"code": code, "choices": [
        {"item": items[0], "choice": answer},
        {"item": items[1], "choice": festival},
        {"item": items[2], "choice": budget},
    ]})
}

#[tokio::test]
async fn an_assembly_is_set_up_voted_counted_and_published() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("choi.autonomy", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, "2611051000")
            .await;
        let officer = app.token("park.officer").await;
        let staff = app.token("choi.autonomy").await;
        let busan = app.token("busan.officer").await;
        let path = format!("/api/v1/regions/{CHEONGUN}/assemblies");

        // Bad rules are refused with the field named; other places are refused.
        let mut bad = assembly_body("총회");
        bad["items"][1]["k"] = json!(3);
        let (status, problem) = call(&app, &officer, "POST", &path, Some(bad)).await;
        assert_eq!(status, 422, "{}: {problem}", app.engine);
        assert_eq!(problem["errors"][0]["field"], "items[1].k");
        let (status, _) = call(&app, &busan, "POST", &path, Some(assembly_body("x"))).await;
        assert_eq!(status, 403);
        let (status, _) = post_anonymous(&app, &path, assembly_body("x")).await;
        assert_eq!(status, 401);

        let (status, created) = call(
            &app,
            &officer,
            "POST",
            &path,
            Some(assembly_body("2026 주민총회")),
        )
        .await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let id = created["id"].as_i64().unwrap();
        let items: Vec<i64> = created["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(items.len(), 3);
        let one = format!("/api/v1/assemblies/{id}");
        let (status, _) = call(&app, &busan, "GET", &one, None).await;
        assert_eq!(
            status, 404,
            "another place's assembly is not even confirmed"
        );

        // Before opening the rules change (and the items get new ids); after, never.
        let mut changed = assembly_body("2026년 청운효자동 주민총회");
        changed["eligible_population"] = json!(1000);
        assert_eq!(patch(&app, &officer, &one, changed.clone()).await, 200);
        let (_, shown) = call(&app, &officer, "GET", &one, None).await;
        assert_eq!(shown["status"], "draft");
        assert_eq!(shown["eligible_population"], 1000);
        let items: Vec<i64> = shown["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        let codes: Vec<(String, VotingCode)> = (0..30)
            .map(|i| (format!("R{i:03}"), VotingCode::generate()))
            .collect();
        app.store
            .assemblies()
            .issue_codes(id, codes.clone(), |_| {})
            .await
            .unwrap();
        let code = |i: usize| codes[i].1.display();
        let ballots = format!("{one}/ballots");
        let (status, _) = post_anonymous(
            &app,
            &ballots,
            ballot(&code(0), &items, "yes", &["음악회"], &[]),
        )
        .await;
        assert_eq!(status, 409, "no voting before the assembly opens");

        let (status, opened) = call(&app, &officer, "POST", &format!("{one}/open"), None).await;
        assert_eq!(status, 200, "{opened}");
        assert_eq!(opened["status"], "open");
        assert_eq!(patch(&app, &officer, &one, changed).await, 409);
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/open"), None).await;
        assert_eq!(status, 409);

        // The public ballot paper shows what to choose.
        let paper: Value = client()
            .get(app.url(&format!("{one}/ballot-paper")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(paper["items"][2]["limit"], 10_000_000);
        assert_eq!(paper["items"][0]["options"][0]["title"], "yes");

        // Broken ballots are refused and the code stays usable.
        for (broken, field) in [
            (
                ballot(&code(0), &items, "yes", &[], &["골목 화단", "공유 창고"]),
                "choices[2].choice",
            ),
            (
                ballot(
                    &code(0),
                    &items,
                    "yes",
                    &["벼룩시장", "음악회", "어린이 그림대회"],
                    &[],
                ),
                "choices[1].choice",
            ),
            (
                ballot(&code(0), &items, "maybe", &[], &[]),
                "choices[0].choice",
            ),
            (
                json!({"code": code(0), "choices": [{"item": 999_999, "choice": "yes"}]}),
                "choices[0].item",
            ),
            (
                json!({"code": "AAAA-AAAA-AAAA", "choices": [{"item": items[0], "choice": "yes"}]}),
                "code",
            ),
        ] {
            let (status, problem) = post_anonymous(&app, &ballots, broken).await;
            assert_eq!(status, 422, "{}: {problem}", app.engine);
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
        let (status, receipt) = post_anonymous(
            &app,
            &ballots,
            ballot(
                &code(0),
                &items,
                "yes",
                &["음악회", "벼룩시장"],
                &["골목 화단", "경로당 안전손잡이"],
            ),
        )
        .await;
        assert_eq!(status, 201, "{receipt}");
        let receipt = receipt["receipt"].as_str().unwrap().to_owned();
        let (status, problem) =
            post_anonymous(&app, &ballots, ballot(&code(0), &items, "no", &[], &[])).await;
        assert_eq!(status, 409, "a used code");
        assert_eq!(problem["type"], "urn:maeul:problem:already-participated");

        // Residents 1..=20 vote online and are checked in at a booth at the same moment:
        // exactly one of the two goes through for each.
        let mut tasks = Vec::new();
        for (i, (resident, _)) in codes.iter().enumerate().take(21).skip(1) {
            let (url, body) = (
                app.url(&ballots),
                ballot(
                    &code(i),
                    &items,
                    if i % 3 == 0 { "no" } else { "yes" },
                    &["음악회"],
                    &["공유 창고"],
                ),
            );
            tasks.push(tokio::spawn(async move {
                client()
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
            let (url, token, resident) = (
                app.url(&format!("{one}/checkins")),
                staff.clone(),
                resident.clone(),
            );
            tasks.push(tokio::spawn(async move {
                client()
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"resident_ref": resident, "booth": "찾아가는 투표소"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        let mut online = 1;
        let mut booth = 0;
        for (n, t) in tasks.into_iter().enumerate() {
            let status = t.await.unwrap();
            assert!(status == 201 || status == 409, "{}: {status}", app.engine);
            if status == 201 {
                if n % 2 == 0 { online += 1 } else { booth += 1 }
            }
        }
        assert_eq!(
            online + booth,
            21,
            "{}: every resident took part once",
            app.engine
        );

        // Check-ins: staff only, known booths only, once per resident.
        let checkins = format!("{one}/checkins");
        let (status, _) = call(
            &app,
            &staff,
            "POST",
            &checkins,
            Some(json!({"resident_ref": "R000", "booth": "청운효자동 주민센터"})),
        )
        .await;
        assert_eq!(status, 409, "voted online already");
        let (status, _) = call(
            &app,
            &staff,
            "POST",
            &checkins,
            Some(json!({"resident_ref": "R021", "booth": "없는 투표소"})),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = call(
            &app,
            &officer,
            "POST",
            &checkins,
            Some(json!({"resident_ref": "R021", "booth": "청운효자동 주민센터"})),
        )
        .await;
        assert_eq!(status, 403, "council officers do not run the booths");
        let (status, body) = call(
            &app,
            &staff,
            "POST",
            &checkins,
            Some(json!({"resident_ref": "R999", "booth": "청운효자동 주민센터"})),
        )
        .await;
        assert_eq!(status, 422, "not on the roster: {body}");
        assert_eq!(body["errors"][0]["field"], "resident_ref");
        for r in ["R021", "R022"] {
            let (status, body) = call(
                &app,
                &staff,
                "POST",
                &checkins,
                Some(json!({"resident_ref": r, "booth": "청운효자동 주민센터"})),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }

        // Paper tallies: the centre counted 3 ballots for 2 check-ins; the mobile booth none yet.
        let tallies = format!("{one}/booth-tallies");
        let (status, problem) = call(
            &app,
            &staff,
            "POST",
            &tallies,
            Some(json!({
            "booth": "청운효자동 주민센터", "ballots": 1,
            "choices": {items[0].to_string(): {"yes": 2}}})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        let (status, entered) = call(
            &app,
            &staff,
            "POST",
            &tallies,
            Some(json!({
            "booth": "청운효자동 주민센터", "ballots": 3,
            "choices": {items[0].to_string(): {"yes": 2, "no": 1},
                        items[2].to_string(): {"골목 화단": 3}}})),
        )
        .await;
        assert_eq!(status, 201, "{entered}");
        assert_eq!(entered["mismatch"], true);

        let result = format!("{one}/result");
        let (status, _) = call(&app, &officer, "GET", &result, None).await;
        assert_eq!(status, 409, "no result while voting");
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/close"), None).await;
        assert_eq!(status, 200);
        let (status, _) =
            post_anonymous(&app, &ballots, ballot(&code(29), &items, "yes", &[], &[])).await;
        assert_eq!(status, 409, "no voting after closing");

        let res: Value = client()
            .get(app.url(&result))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(res["eligible_population"], 1000);
        assert_eq!(res["participants"]["online"], online);
        assert_eq!(res["participants"]["booth"], booth + 2);
        assert_eq!(res["participants"]["total"], online + booth + 2);
        assert_eq!(res["quorum_needed"], 5);
        assert_eq!(res["quorum_met"], true);
        assert_eq!(res["valid"], false);
        let codes_of: Vec<&str> = res["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert!(codes_of.contains(&"more_ballots_than_check_ins"), "{res}");
        if booth > 0 {
            assert!(codes_of.contains(&"booth_tally_missing"), "{res}");
        }
        let yes_online = 1 + (1..=20).filter(|i| i % 3 != 0).count() as u64;
        let yes = res["items"][0]["counts"]["yes"].as_u64().unwrap();
        assert!(yes <= yes_online + 2 && yes >= 3, "{res}");
        assert_eq!(
            res["items"][1]["counts"]["음악회"].as_u64().unwrap(),
            online as u64
        );
        // Winners are taken by votes while they fit in the limit.
        let cost = |t: &Value| match t.as_str().unwrap() {
            "골목 화단" => 6_000_000,
            "경로당 안전손잡이" => 4_000_000,
            _ => 5_000_000,
        };
        let winners = res["items"][2]["winners"].as_array().unwrap();
        assert!(!winners.is_empty(), "{res}");
        assert!(winners.iter().map(cost).sum::<i64>() <= 10_000_000, "{res}");

        // The published ballot file reproduces the hash, and holds the first voter's receipt.
        let file = client()
            .get(app.url(&ballots))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(file.lines().count(), online);
        assert!(file.lines().any(|l| l.starts_with(&receipt)));
        assert!(!file.contains("R00"), "no resident in the ballot file");
        let hash: String = Sha256::digest(file.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(res["ballot_hash"], hash);
    }
}

/// Posts a form with the CSRF token of the page at `from`.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    app: &TestApp,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = http
        .get(app.url(from))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::csrf_of(&page);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("_csrf", &csrf));
    http.post(app.url(to)).form(&all).send().await.unwrap()
}

#[tokio::test]
async fn a_council_runs_an_assembly_and_residents_vote_through_the_pages() {
    let app = crate::spawn_app().await;
    app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
        .await;
    app.add_user("choi.autonomy", Role::AutonomyStaff, CHEONGUN)
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
    assert!(home.contains("href=\"/work/assemblies\""), "{home}");

    let now = time::OffsetDateTime::now_utc().to_offset(maeul_core::format::KST);
    let local = |t: time::OffsetDateTime| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    };
    let (opens, closes) = (
        local(now - time::Duration::minutes(2)),
        local(now + time::Duration::hours(1)),
    );
    let fields = vec![
        ("emd_code", CHEONGUN),
        ("title", "2026 청운효자동 주민총회"),
        ("opens_at", opens.as_str()),
        ("closes_at", closes.as_str()),
        ("advance_opens_at", ""),
        ("min_age", "16"),
        ("voters", "residents"),
        ("eligible_population", "1000"),
        ("quorum", "0.5"),
        ("booths", "청운효자동 주민센터"),
        ("mobile_booths", ""),
        ("item0_title", "마을 도서관 운영시간 연장"),
        ("item0_rule", "majority"),
        ("item1_title", "주민참여예산 사업"),
        ("item1_rule", "budget"),
        ("item1_limit", "10000000"),
        (
            "item1_options",
            "골목 화단 | 6,000,000\n공유 창고 | 5000000",
        ),
    ];
    // A budget line without its amount is named under its item, and nothing is made.
    let without_amount: Vec<(&str, &str)> = fields
        .iter()
        .map(|&(k, v)| {
            if k == "item1_options" {
                (k, "골목 화단")
            } else {
                (k, v)
            }
        })
        .collect();
    let refused = post_form(
        &officer,
        &app,
        "/work/assemblies/new",
        "/work/assemblies/new",
        &without_amount,
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("사업명 | 금액"), "{html}");
    assert!(
        html.contains("value=\"2026 청운효자동 주민총회\""),
        "the form keeps what was typed"
    );

    let created = post_form(
        &officer,
        &app,
        "/work/assemblies/new",
        "/work/assemblies/new",
        &fields,
    )
    .await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    let at = created.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    let opened = post_form(&officer, &app, &at, &format!("{at}/open"), &[]).await;
    assert_eq!(opened.status(), 303);

    let assembly = app.store.assemblies().get(id).await.unwrap().unwrap();
    let items = &assembly.setup.item_ids;
    let codes: Vec<(String, VotingCode)> = (0..3)
        .map(|i| (format!("R{i}"), VotingCode::generate()))
        .collect();
    app.store
        .assemblies()
        .issue_codes(id, codes.clone(), |_| {})
        .await
        .unwrap();

    // A resident finds the assembly from the place page and votes without an account.
    let resident = client();
    let place = resident
        .get(app.url(&format!("/r/{CHEONGUN}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(place.contains(&format!("/r/{CHEONGUN}/assemblies")));
    let list = resident
        .get(app.url(&format!("/r/{CHEONGUN}/assemblies")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("2026 청운효자동 주민총회"), "{list}");
    let show = format!("/r/{CHEONGUN}/assemblies/{id}");
    let page = resident
        .get(app.url(&show))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("골목 화단 (6,000,000원)"), "{page}");
    let vote = format!("{show}/vote");
    let (item0, item1) = (format!("item-{}", items[0]), format!("item-{}", items[1]));
    let over = post_form(
        &resident,
        &app,
        &show,
        &vote,
        &[
            ("code", &codes[0].1.display()),
            (&item0, "yes"),
            (&item1, "골목 화단"),
            (&item1, "공유 창고"),
        ],
    )
    .await;
    assert_eq!(over.status(), 422);
    let html = over.text().await.unwrap();
    assert!(html.contains("한도를 넘습니다"), "{html}");
    assert!(
        html.contains("value=\"공유 창고\" checked"),
        "the choices stay"
    );
    let done = post_form(
        &resident,
        &app,
        &show,
        &vote,
        &[
            ("code", &codes[0].1.display().to_lowercase()),
            (&item0, "yes"),
            (&item1, "골목 화단"),
        ],
    )
    .await;
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("투표가 접수되었습니다"));
    let again = post_form(
        &resident,
        &app,
        &show,
        &vote,
        &[("code", &codes[0].1.display()), (&item0, "no")],
    )
    .await;
    assert_eq!(again.status(), 409);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("이미 투표에 참여하셨습니다")
    );

    // Staff check a resident in and enter the booth's paper tally.
    let staff = client();
    crate::log_in(&staff, &app.address, "choi.autonomy", "/work").await;
    let work = format!("/work/assemblies/{id}");
    let checked = post_form(
        &staff,
        &app,
        &work,
        &format!("{work}/checkins"),
        &[("resident_ref", "R1"), ("booth", "청운효자동 주민센터")],
    )
    .await;
    assert_eq!(checked.status(), 303);
    let twice = post_form(
        &staff,
        &app,
        &work,
        &format!("{work}/checkins"),
        &[("resident_ref", "R0"), ("booth", "청운효자동 주민센터")],
    )
    .await;
    assert_eq!(twice.status(), 409, "R0 voted online");
    let yes_field = format!("count-{}-0", items[0]);
    let tallied = post_form(
        &staff,
        &app,
        &work,
        &format!("{work}/booth-tallies"),
        &[
            ("booth", "청운효자동 주민센터"),
            ("ballots", "1"),
            (&yes_field, "1"),
        ],
    )
    .await;
    assert_eq!(tallied.status(), 303);
    let closed = post_form(&officer, &app, &work, &format!("{work}/close"), &[]).await;
    assert_eq!(closed.status(), 303);

    let result = resident
        .get(app.url(&show))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(result.contains("투표 결과"), "{result}");
    // Two of 1,000 took part: below the quorum of 5, which the result says.
    assert!(result.contains("정족수 미달"), "{result}");
    assert!(
        result.contains("정족수 5명에 못 미쳤습니다 (참여 2명)"),
        "{result}"
    );
    assert!(result.contains("/api/v1/assemblies/"));
    let english = resident
        .get(app.url(&format!("{show}?lang=en")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        english.contains("Result") && english.contains("Took part"),
        "{english}"
    );
}
