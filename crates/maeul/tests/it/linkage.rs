//! Linking a plan item to a programme through the API and the pages: who sees it, the steps in
//! order, amounts where they belong, documents uploaded as raw bytes and as a form file.

use maeul_core::account::Role;
use serde_json::json;

use crate::{call, client, spawn_apps};

const CHEONGUN: &str = "1111051500";

#[tokio::test]
async fn a_plan_item_is_linked_to_a_programme_step_by_step_with_documents() {
    for app in spawn_apps().await {
        app.add_user("han.member", Role::CouncilMember, CHEONGUN)
            .await;
        app.add_user("kim.resident", Role::Resident, CHEONGUN).await;
        app.add_user("yoon.programme", Role::ProgrammeStaff, "1111000000")
            .await;
        app.add_user("busan.programme", Role::ProgrammeStaff, "2611000000")
            .await;
        let member = app.token("han.member").await;
        let resident = app.token("kim.resident").await;
        let gu = app.token("yoon.programme").await;
        let busan = app.token("busan.programme").await;

        let (_, plan) = call(
            &app,
            &member,
            "POST",
            &format!("/api/v1/regions/{CHEONGUN}/autonomy-plan-drafts"),
            Some(json!({"year": 2027})),
        )
        .await;
        let (status, item) = call(
            &app,
            &member,
            "POST",
            &format!("/api/v1/autonomy-plans/{}/items", plan["id"]),
            Some(
                json!({"title": "빈집을 고쳐 마을 사랑방으로", "topic": "housing",
                        "budget": 50000000, "funding": "grant"}),
            ),
        )
        .await;
        assert_eq!(status, 201);
        let (_, found) = call(&app, &member, "GET", "/api/v1/programmes?q=빈집", None).await;
        let programme = found["items"][0]["id"].as_i64().unwrap();

        let start = format!("/api/v1/regions/{CHEONGUN}/linkages");
        let body = json!({"programme_id": programme, "title": "빈집을 고쳐 마을 사랑방으로",
                          "owner": "마을문화분과 한위원", "plan_item_id": item["id"]});
        let (status, _) = call(&app, &resident, "POST", &start, Some(body.clone())).await;
        assert_eq!(status, 403, "residents do not keep linkages");
        let (status, _) = call(&app, &busan, "POST", &start, Some(body.clone())).await;
        assert_eq!(status, 403, "another si/gun/gu's staff");
        let mut wrong = body.clone();
        wrong["programme_id"] = json!(999_999);
        let (status, problem) = call(&app, &member, "POST", &start, Some(wrong)).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("programme_id"))
        );
        let (status, created) = call(&app, &member, "POST", &start, Some(body)).await;
        assert_eq!(status, 201, "{}: {created}", app.engine);
        let one = format!("/api/v1/linkages/{}", created["id"]);

        // The si/gun/gu sees it and records the consultation; another si/gun/gu does not.
        let (_, list) = call(&app, &gu, "GET", "/api/v1/linkages", None).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
        let (_, list) = call(&app, &busan, "GET", "/api/v1/linkages", None).await;
        assert!(list["items"].as_array().unwrap().is_empty());
        let (status, _) = call(&app, &busan, "GET", &one, None).await;
        assert_eq!(status, 404);
        let steps = format!("{one}/steps");
        let (status, _) = call(
            &app,
            &gu,
            "POST",
            &steps,
            Some(json!({"stage": "submitted", "on": "2027-03-02", "owner": "구청 윤"})),
        )
        .await;
        assert_eq!(status, 409, "not before consultation and preparation");
        let (status, problem) = call(
            &app,
            &gu,
            "POST",
            &steps,
            Some(
                json!({"stage": "consultation", "on": "2027-03-02", "owner": "구청 윤",
                        "amount": 5}),
            ),
        )
        .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].clone()),
            (422, json!("amount"))
        );
        for (stage, amount) in [
            ("consultation", None),
            ("preparing", None),
            ("submitted", Some(50_000_000)),
        ] {
            let (status, out) = call(
                &app,
                &gu,
                "POST",
                &steps,
                Some(
                    json!({"stage": stage, "on": "2027-03-02", "owner": "구청 도시재생과 윤",
                            "note": "협의", "due_on": "2027-04-30", "amount": amount}),
                ),
            )
            .await;
            assert_eq!(status, 204, "{stage}: {out}");
        }
        // A step from a page that showed an earlier stage is refused, not applied.
        let (status, problem) = call(
            &app,
            &member,
            "POST",
            &steps,
            Some(
                json!({"from": "preparing", "stage": "selected", "on": "2027-05-02",
                        "owner": "구청 윤"}),
            ),
        )
        .await;
        assert_eq!(status, 409);
        assert_eq!(problem["type"], "urn:maeul:problem:linkage-moved");
        let (_, shown) = call(&app, &member, "GET", &one, None).await;
        assert_eq!(shown["stage"], "submitted");
        assert_eq!(shown["next"], json!(["selected", "not_selected"]));
        assert_eq!(shown["steps"].as_array().unwrap().len(), 4);
        assert_eq!(shown["steps"][3]["amount"], 50_000_000);
        assert_eq!(shown["due_on"], "2027-04-30");

        // A document as raw bytes through the API.
        let content = "신청서 본문 %PDF".as_bytes().to_vec();
        let res = client()
            .post(app.url(&format!("{one}/documents?name=신청서.pdf")))
            .bearer_auth(&member)
            .header("content-type", "application/pdf")
            .body(content.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let doc: serde_json::Value = res.json().await.unwrap();
        let res = client()
            .get(app.url(&format!("{one}/documents/{}", doc["id"])))
            .bearer_auth(&gu)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().to_vec(), content);

        // A form file through the page, its CSRF token in the form's address.
        let http = client();
        crate::log_in(&http, &app.address, "han.member", "/work").await;
        let page_path = format!("/r/{CHEONGUN}/linkages/{}", created["id"]);
        let page = http
            .get(app.url(&page_path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("신청 완료") && page.contains("신청서.pdf"),
            "{page}"
        );
        // The plan's page shows the item's linkage and its stage to those who follow it.
        let plan_page = http
            .get(app.url(&format!("/r/{CHEONGUN}/plans/{}", plan["id"])))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            plan_page.contains(&format!("/r/{CHEONGUN}/linkages/{}", created["id"]))
                && plan_page.contains("신청 완료"),
            "{plan_page}"
        );
        let csrf = crate::csrf_of(&page);
        let boundary = "maeulboundary";
        let mut form = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"협약서.hwp\"\r\nContent-Type: application/x-hwp\r\n\r\n"
        )
        .into_bytes();
        form.extend_from_slice(b"HWP bytes");
        form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let upload = format!("{page_path}/documents");
        let refused = http
            .post(app.url(&upload))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(form.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "no CSRF token, no upload");
        let res = http
            .post(app.url(&format!("{upload}?_csrf={csrf}")))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (_, shown) = call(&app, &member, "GET", &one, None).await;
        let docs = shown["documents"].as_array().unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1]["name"], "협약서.hwp");
        assert_eq!(docs[1]["stage"], "submitted");

        // Too large: refused before it is read.
        let res = client()
            .post(app.url(&format!("{one}/documents?name=big.bin")))
            .bearer_auth(&member)
            .body(vec![0u8; 11 * 1024 * 1024])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 413);
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["status"], 413);
    }
}
