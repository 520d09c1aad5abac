use maeul_core::account::Role;
use maeul_core::programme::catalogue::Programme;
use maeul_core::programme::linkage::{Stage, Step};
use maeul_core::region::RegionCode;
use maeul_store::linkage::{LinkageStoreError, Start};
use time::macros::date;

use crate::account::add;
use crate::engines;

fn step(stage: Stage, owner: &str) -> Step {
    Step {
        stage,
        on: date!(2027 - 03 - 02),
        owner: owner.into(),
        note: String::new(),
        due_on: None,
        amount: None,
    }
}

#[tokio::test]
async fn a_linkage_moves_one_step_at_a_time_and_keeps_its_documents() {
    for db in engines().await {
        let store = &db.store;
        let place = RegionCode::parse("1111051500").unwrap();
        let member = add(store, "lee.member", Role::CouncilMember, "1111051500").await;
        let programme = store
            .programmes()
            .create(
                2027,
                Programme::new(Programme {
                    ministry: "국토교통부".into(),
                    name: "소규모 재생".into(),
                    ..Programme::default()
                })
                .unwrap(),
                member,
            )
            .await
            .unwrap();
        let linkages = store.linkages();
        let start = |programme_id: i64, agenda: Option<i64>| Start {
            programme_id,
            title: "빈집을 고쳐 마을 사랑방으로".into(),
            owner: "마을문화분과 이위원".into(),
            plan_item_id: None,
            agenda_item_id: agenda,
        };
        assert!(matches!(
            linkages
                .start(
                    &place,
                    start(programme + 99, None),
                    date!(2027 - 03 - 01),
                    member
                )
                .await,
            Err(LinkageStoreError::Elsewhere {
                field: "programme_id"
            })
        ));
        assert!(matches!(
            linkages
                .start(
                    &place,
                    start(programme, Some(1)),
                    date!(2027 - 03 - 01),
                    member
                )
                .await,
            Err(LinkageStoreError::Elsewhere {
                field: "agenda_item_id"
            })
        ));
        let id = linkages
            .start(
                &place,
                start(programme, None),
                date!(2027 - 03 - 01),
                member,
            )
            .await
            .unwrap();

        // Two people record the next step at once: one moves it, the other is refused.
        let a = linkages.record(
            id,
            Stage::Candidate,
            step(Stage::Consultation, "구청 김"),
            member,
        );
        let b = linkages.record(
            id,
            Stage::Candidate,
            step(Stage::Dropped, "구청 박"),
            member,
        );
        let (a, b) = tokio::join!(a, b);
        assert!(a.is_ok() != b.is_ok(), "{}: {a:?} {b:?}", db.name);
        let now = linkages.get(id).await.unwrap().unwrap();
        assert!(matches!(now.stage, Stage::Consultation | Stage::Dropped));
        assert_eq!(linkages.steps(id).await.unwrap().len(), 2, "{}", db.name);

        let content = "신청서 내용".as_bytes().to_vec();
        let doc = linkages
            .add_document(
                id,
                "신청서.hwp".into(),
                "application/x-hwp".into(),
                content.clone(),
                member,
            )
            .await
            .unwrap();
        let docs = linkages.documents(id).await.unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].stage, now.stage);
        assert_eq!(docs[0].size, content.len() as i64);
        let (name, _, back) = linkages.document(id, doc).await.unwrap().unwrap();
        assert_eq!((name.as_str(), back), ("신청서.hwp", content));
        assert!(linkages.document(id + 1, doc).await.unwrap().is_none());

        // Seen from the si/gun/gu and from the place, not from another si/gun/gu.
        let gu = RegionCode::parse("1111000000").unwrap();
        let other = RegionCode::parse("2611000000").unwrap();
        assert_eq!(linkages.within(vec![gu], 50).await.unwrap().len(), 1);
        assert_eq!(linkages.within(vec![place], 50).await.unwrap().len(), 1);
        assert!(linkages.within(vec![other], 50).await.unwrap().is_empty());
    }
}
