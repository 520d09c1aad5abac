//! Voting signed in as a resident the community centre has verified: no code, the same window and
//! ballot rules, and one participation per resident across every channel.

use maeul_core::account::Role;
use maeul_core::autonomy::assembly::VotingCode;
use serde_json::json;

use crate::assembly::assembly_body;
use crate::{call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";
const BUSAN: &str = "2611051000";

#[tokio::test]
async fn a_verified_resident_votes_signed_in_once_across_channels() {
    for app in spawn_apps().await {
        app.add_user("park.officer", Role::CouncilOfficer, CHEONGUN)
            .await;
        app.add_user("lee.staff", Role::AutonomyStaff, CHEONGUN)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("han.resident", Role::Resident, CHEONGUN).await;
        app.add_user("busan.resident", Role::Resident, BUSAN).await;
        let officer = app.token("park.officer").await;
        let staff = app.token("lee.staff").await;
        let kim = app.token("kim.resident").await;
        let han = app.token("han.resident").await;
        let busan = app.token("busan.resident").await;

        let (_, created) = call(
            &app,
            &officer,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/assemblies"),
            Some(assembly_body("2026년 청운효자동 주민총회")),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let one = format!("/api/v1/assemblies/{id}");
        let codes: Vec<(String, VotingCode)> = (0..3)
            .map(|i| (format!("R{i:03}"), VotingCode::generate()))
            .collect();
        app.store
            .assemblies()
            .issue_codes(id, codes.clone(), |_| {})
            .await
            .unwrap();
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/open"), None).await;
        assert_eq!(status, 200);
        let item = created["items"][0]["id"].clone();
        let ballot = || Some(json!({"choices": [{"item": item, "choice": "yes"}]}));
        let vote = format!("{one}/resident-ballots");

        let (status, problem) = call(&app, &kim, "POST", &vote, ballot()).await;
        assert_eq!(status, 403, "{problem}");
        assert_eq!(problem["type"], "urn:maeul:problem:resident-not-verified");

        // The community centre ties accounts to roster entries.
        let verify = format!("/api/v1/regions/{CHEONGUN}/resident-verifications");
        let tie = |login: &str, r: &str| Some(json!({"login": login, "resident_ref": r}));
        let (status, _) = call(&app, &kim, "POST", &verify, tie("kim.resident", "R000")).await;
        assert_eq!(status, 403, "residents do not verify themselves");
        let (status, problem) =
            call(&app, &staff, "POST", &verify, tie("busan.resident", "R001")).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("login")),
            "a resident of another place"
        );
        let (status, _) = call(&app, &staff, "POST", &verify, tie("kim.resident", "R000")).await;
        assert_eq!(status, 204);
        let (status, problem) =
            call(&app, &staff, "POST", &verify, tie("han.resident", "R000")).await;
        assert_eq!(status, 409, "one account per resident: {problem}");
        let (status, _) = call(&app, &staff, "POST", &verify, tie("han.resident", "R099")).await;
        assert_eq!(status, 204);

        // Kim votes without a code, once; the code and the booth see the same resident.
        let (status, receipt) = call(&app, &kim, "POST", &vote, ballot()).await;
        assert_eq!(status, 201, "{receipt}");
        assert!(receipt["receipt"].is_string());
        let (status, _) = call(&app, &kim, "POST", &vote, ballot()).await;
        assert_eq!(status, 409);
        let res = client()
            .post(app.url(&format!("{one}/ballots")))
            .json(&json!({"code": codes[0].1.display(),
                          "choices": [{"item": item, "choice": "no"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            409,
            "the code of a resident who voted signed in"
        );
        let (status, _) = call(
            &app,
            &staff,
            "POST",
            &format!("{one}/checkins"),
            Some(json!({"resident_ref": "R000", "booth": "청운효자동 주민센터"})),
        )
        .await;
        assert_eq!(status, 409, "nor at a booth");

        // Not on the roster, or of another place: refused, nothing counted.
        let (status, problem) = call(&app, &han, "POST", &vote, ballot()).await;
        assert_eq!(status, 403);
        assert_eq!(problem["type"], "urn:maeul:problem:not-on-roster");
        let (status, _) = call(&app, &busan, "POST", &vote, ballot()).await;
        assert_eq!(status, 403);
        let (_, shown) = call(&app, &officer, "GET", &one, None).await;
        assert_eq!(shown["participants"], 1, "{shown}");

        // While the assembly votes, an account is not moved to another entry (one person
        // could vote twice); once it closes, it is.
        let (status, problem) =
            call(&app, &staff, "POST", &verify, tie("han.resident", "R001")).await;
        assert_eq!(status, 409, "{problem}");
        assert_eq!(problem["type"], "urn:maeul:problem:voting-open");
        // A ballot that breaks the rules is 422 and counts nothing.
        let (status, _) = call(
            &app,
            &kim,
            "POST",
            &vote,
            Some(json!({"choices": [{"item": 999_999, "choice": "yes"}]})),
        )
        .await;
        assert_eq!(status, 422);
        let (status, _) = call(&app, &officer, "POST", &format!("{one}/close"), None).await;
        assert_eq!(status, 200);
        let (status, _) = call(&app, &staff, "POST", &verify, tie("han.resident", "R001")).await;
        assert_eq!(
            status, 204,
            "verifying again moves the account to another entry"
        );
        let (status, _) = call(&app, &han, "POST", &vote, ballot()).await;
        assert_eq!(status, 409, "voting has closed");
    }
}
