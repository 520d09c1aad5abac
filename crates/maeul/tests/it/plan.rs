//! The autonomy plan through the API and the pages: drafted from an agenda item and directly,
//! put to an assembly whose ballot takes its items, decided by the vote, carried out and
//! settled, with the settlement as XLSX.

use maeul_core::account::Role;
use maeul_core::autonomy::assembly::VotingCode;
use serde_json::json;

use crate::assembly::assembly_body;
use crate::{call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";
const BUSAN: &str = "2611051000";

#[tokio::test]
async fn a_plan_is_drafted_decided_by_the_assembly_carried_out_and_settled() {
    for app in spawn_apps().await {
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("han.member", Role::CouncilMember, CHEONGUN)
            .await;
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("busan.officer", Role::CouncilOfficer, BUSAN)
            .await;
        let resident = app.token("kim.resident").await;
        let member = app.token("han.member").await;
        let officer = app.token("park.officer").await;
        let busan = app.token("busan.officer").await;

        // A resident's agenda item, and one of another place.
        let (_, agenda) = call(
            &app,
            &resident,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/agenda-proposals"),
            Some(
                json!({"title": "골목 화단 가꾸기", "body": "골목이 삭막합니다.",
                        "topic": "environment", "rough_cost": 5000000}),
            ),
        )
        .await;
        let agenda = agenda["id"].as_i64().unwrap();

        let drafts = format!("/api/v1/regions/{CHEONGUN}/autonomy-plan-drafts");
        let (status, _) = call(
            &app,
            &resident,
            "POST",
            &drafts,
            Some(json!({"year": 2027})),
        )
        .await;
        assert_eq!(status, 403, "residents do not draft the plan");
        let (status, _) = call(&app, &member, "POST", &drafts, Some(json!({"year": 1999}))).await;
        assert_eq!(status, 422);
        let (status, created) =
            call(&app, &member, "POST", &drafts, Some(json!({"year": 2027}))).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let (status, _) = call(&app, &member, "POST", &drafts, Some(json!({"year": 2027}))).await;
        assert_eq!(status, 409, "one plan per year");
        let plan = format!("/api/v1/autonomy-plans/{}", created["id"]);
        let items = format!("{plan}/items");

        let item = |title: &str, budget: i64, funding: &str| json!({"title": title, "topic": "community", "budget": budget, "funding": funding});
        let mut from_agenda = item("골목 화단 가꾸기", 5_000_000, "resident_tax_return");
        from_agenda["agenda_item_id"] = json!(agenda);
        let (status, _) = call(&app, &busan, "POST", &items, Some(from_agenda.clone())).await;
        assert_eq!(
            status, 404,
            "another place's council does not see the draft"
        );
        let mut bad = from_agenda.clone();
        bad["funding"] = json!("lottery");
        let (status, problem) = call(&app, &member, "POST", &items, Some(bad)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("funding"))
        );
        let mut elsewhere = from_agenda.clone();
        elsewhere["agenda_item_id"] = json!(agenda + 1000);
        let (status, problem) = call(&app, &member, "POST", &items, Some(elsewhere)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("agenda_item_id"))
        );
        for body in [
            from_agenda,
            item("경로당 안전 손잡이", 3_000_000, "grant"),
            item("청소년 공부방", 8_000_000, "grant"),
            item("빼낼 사업", 1_000, "own"),
        ] {
            let (status, out) = call(&app, &member, "POST", &items, Some(body)).await;
            assert_eq!(status, 201, "{out}");
        }
        let (_, shown) = call(&app, &resident, "GET", &plan, None).await;
        let ids: Vec<i64> = shown["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        let (status, _) = call(
            &app,
            &member,
            "DELETE",
            &format!("{items}/{}", ids[3]),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let mut renamed = item("청소년 공부방 (방학 중)", 8_000_000, "participatory_budget");
        renamed["description"] = json!("방학 동안 주민센터 3층");
        let (status, _) = call(
            &app,
            &member,
            "PUT",
            &format!("{items}/{}", ids[2]),
            Some(renamed),
        )
        .await;
        assert_eq!(status, 204);

        // An assembly still in draft takes the items as yes/no questions.
        let mut rules = assembly_body("2027년 청운효자동 주민총회");
        rules["eligible_population"] = json!(100);
        rules["quorum"] = json!({"min_turnout_percent": 2});
        let (status, assembly) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/assemblies"),
            Some(rules),
        )
        .await;
        assert_eq!(status, 201, "{assembly}");
        let assembly_id = assembly["id"].as_i64().unwrap();
        let put = format!("{plan}/assembly");
        let (status, _) = call(
            &app,
            &member,
            "POST",
            &put,
            Some(json!({"assembly_id": assembly_id, "ballot": "each_item"})),
        )
        .await;
        assert_eq!(
            status, 403,
            "members draft; the officers put it to the assembly"
        );
        let (status, problem) = call(
            &app,
            &officer,
            "POST",
            &put,
            Some(json!({"assembly_id": assembly_id, "ballot": "within_limit"})),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("limit"))
        );
        let (status, out) = call(
            &app,
            &officer,
            "POST",
            &put,
            Some(json!({"assembly_id": assembly_id, "ballot": "each_item"})),
        )
        .await;
        assert_eq!(status, 204, "{out}");
        let (status, _) = call(
            &app,
            &member,
            "POST",
            &items,
            Some(item("늦은 사업", 1, "own")),
        )
        .await;
        assert_eq!(status, 409, "the items are fixed at the assembly");
        let one = format!("/api/v1/assemblies/{assembly_id}");
        // The plan's questions stay on the ballot as they were while it waits for the vote.
        let mut without = assembly_body("2027년 청운효자동 주민총회");
        without["eligible_population"] = json!(100);
        let (status, problem) = call(&app, &officer, "PATCH", &one, Some(without)).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["type"], "urn:maeul:problem:plan-on-ballot");
        let (_, on_ballot) = call(&app, &officer, "GET", &one, None).await;
        let ballot: Vec<(String, i64)> = on_ballot["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["title"].as_str().unwrap().to_owned(),
                    i["id"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(ballot.len(), 6, "{on_ballot}");
        assert_eq!(ballot[5].0, "청소년 공부방 (방학 중)");

        // Three residents vote: the garden and the study room pass, the handrails do not.
        let codes: Vec<(String, VotingCode)> = (0..3)
            .map(|i| (format!("R{i:03}"), VotingCode::generate()))
            .collect();
        app.store
            .assemblies()
            .issue_codes(assembly_id, codes.clone(), |_| {})
            .await
            .unwrap();
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/open"), None).await;
        assert_eq!(status, 200);
        for (_, code) in &codes {
            let body = json!({"code": code.display(), "choices": [
                {"item": ballot[3].1, "choice": "yes"},
                {"item": ballot[4].1, "choice": "no"},
                {"item": ballot[5].1, "choice": "yes"},
            ]});
            let res = client()
                .post(app.url(&format!("{one}/ballots")))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
        }
        let decision = format!("{plan}/decision");
        let (status, _) = call(&app, &officer, "POST", &decision, None).await;
        assert_eq!(status, 409, "not before voting closes");
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/close"), None).await;
        assert_eq!(status, 200);
        let (status, decided) = call(&app, &officer, "POST", &decision, None).await;
        assert_eq!(status, 200, "{decided}");
        assert_eq!(decided["outcome"], "decided");
        let decisions: Vec<&str> = decided["plan"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["decision"].as_str().unwrap())
            .collect();
        assert_eq!(decisions, ["adopted", "not_adopted", "adopted"]);
        assert_eq!(decided["plan"]["status"], "adopted");
        let early = crate::project::plan_while_adopted(
            &app,
            CHEONGUN,
            (&resident, &officer, &busan),
            ids[0],
            ids[1],
        )
        .await;

        // Carried out and settled.
        let spending = |id: i64| format!("{items}/{id}/spending");
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &spending(ids[0]),
            Some(json!({"spent": 1})),
        )
        .await;
        assert_eq!(status, 409, "spending is recorded once execution starts");
        let (status, _) = call(&app, &officer, "POST", &format!("{plan}/execution"), None).await;
        assert_eq!(status, 204);
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &spending(ids[1]),
            Some(json!({"spent": 1})),
        )
        .await;
        assert_eq!(status, 409, "not for an item the assembly did not adopt");
        // The garden's spending comes with its last update; the study room's is recorded alone.
        crate::project::report_while_executing(&app, &officer, ids[0], 4_800_000).await;
        for (id, spent) in [(ids[2], 8_300_000)] {
            let (status, _) = call(
                &app,
                &officer,
                "PUT",
                &spending(id),
                Some(json!({"spent": spent, "note": "영수증 보관"})),
            )
            .await;
            assert_eq!(status, 204);
        }
        // What each source has: the participatory budget is short of what the items took.
        let funds = format!("{plan}/funds");
        let (status, _) = call(&app, &officer, "PUT", &funds, Some(json!({"own": -1}))).await;
        assert_eq!(status, 422);
        let (status, _) = call(&app, &officer, "PUT", &funds, Some(json!([null, null]))).await;
        assert_eq!(status, 422, "a body is an object, not the fields in a row");
        let (status, _) = call(
            &app,
            &officer,
            "PUT",
            &funds,
            Some(
                json!({"resident_tax_return": 6_000_000, "participatory_budget": 7_000_000,
                        "private": 500_000}),
            ),
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = call(&app, &officer, "POST", &format!("{plan}/closing"), None).await;
        assert_eq!(status, 204);
        let (status, _) = call(&app, &officer, "PUT", &funds, Some(json!({"own": 1}))).await;
        assert_eq!(status, 409, "the settlement is closed");
        crate::project::read_after_closing(&app, CHEONGUN, &officer, ids[0], early, 4_800_000)
            .await;
        let (_, closed) = call(&app, &resident, "GET", &plan, None).await;
        assert_eq!(closed["status"], "closed");
        let s = &closed["settlement"];
        assert_eq!(
            s["total"],
            json!({"budget": 13_000_000, "spent": 13_100_000, "balance": -100_000})
        );
        assert_eq!(s["by_funding"]["resident_tax_return"]["balance"], 200_000);
        assert_eq!(s["by_funding"]["participatory_budget"]["balance"], -300_000);
        assert!(
            s["by_funding"].get("grant").is_none(),
            "the handrails were not adopted"
        );
        let lines: Vec<(String, i64, i64, i64)> = closed["funds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["funding"].as_str().unwrap().to_owned(),
                    l["available"].as_i64().unwrap(),
                    l["allocated"].as_i64().unwrap(),
                    l["unallocated"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (
                    "resident_tax_return".to_owned(),
                    6_000_000,
                    5_000_000,
                    1_000_000
                ),
                (
                    "participatory_budget".to_owned(),
                    7_000_000,
                    8_000_000,
                    -1_000_000
                ),
                ("private".to_owned(), 500_000, 0, 500_000),
            ]
        );

        // The public pages: the plan, the agenda item that went into it, and the spreadsheet.
        let app = &app;
        let page_of = |path: String| async move {
            let res = client().get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.text().await.unwrap()
        };
        let list = page_of(format!("/r/{CHEONGUN}/plans")).await;
        assert!(list.contains("2027년 자치계획"), "{list}");
        let page = page_of(format!("/r/{CHEONGUN}/plans/{}", created["id"])).await;
        assert!(
            page.contains("결산 완료") && page.contains("8,300,000"),
            "{page}"
        );
        let agenda_page = page_of(format!("/r/{CHEONGUN}/agenda/{agenda}")).await;
        assert!(agenda_page.contains("2027년 자치계획에 담겼습니다"));
        let res = client()
            .get(app.url(&format!(
                "/r/{CHEONGUN}/plans/{}?format=xlsx",
                created["id"]
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        use calamine::DataType;
        let rows = crate::xlsx_sheets(&res.bytes().await.unwrap()).remove(0).1;
        // Header, three items, two funding subtotals, the total.
        assert_eq!(rows.len(), 7, "{rows:?}");
        let total = rows.last().unwrap();
        assert_eq!(total[0], "가결 사업 합계");
        assert_eq!(total[3].as_f64(), Some(13_000_000.0));
        assert_eq!(total[6].as_f64(), Some(-100_000.0));
        let items_spent: f64 = rows[1..4].iter().filter_map(|r| r[5].as_f64()).sum();
        assert_eq!(
            Some(items_spent),
            total[5].as_f64(),
            "the items add up to the total"
        );
    }
}
