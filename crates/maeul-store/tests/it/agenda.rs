use maeul_core::account::Role;
use maeul_core::autonomy::agenda::{Ladder, Proposal, Status, Topic};
use maeul_core::region::RegionCode;
use maeul_store::autonomy::agenda::{AgendaStoreError, ItemFilter, Sort};

use crate::account::add;
use crate::engines;

fn proposal(title: &str) -> Proposal {
    Proposal::new(Proposal {
        title: title.into(),
        body: "어르신들이 길을 건너기 위험합니다.".into(),
        topic: Topic::Safety,
        rough_cost: Some(3_000_000),
    })
    .unwrap()
}

#[tokio::test]
async fn supports_count_once_each_and_climb_the_councils_ladder() {
    for db in engines().await {
        let store = &db.store;
        let place = RegionCode::parse("1111051500").unwrap();
        let proposer = add(store, "kim.resident", Role::Resident, "1111051500").await;
        let officer = add(store, "park.officer", Role::CouncilOfficer, "1111051500").await;
        let mut residents = Vec::new();
        for i in 0..20 {
            residents.push(add(store, &format!("resident{i}"), Role::Resident, "1111051500").await);
        }
        let agenda = store.agenda();
        agenda
            .set_ladder(&place, Ladder::new(5, 12).unwrap())
            .await
            .unwrap();
        let id = agenda
            .propose(&place, proposal("경로당 앞 횡단보도"), proposer)
            .await
            .unwrap();
        assert!(matches!(
            agenda.support(id, proposer).await,
            Err(AgendaStoreError::OwnItem)
        ));

        // Twenty residents at once: every support counts once and the ladder follows.
        let mut tasks = Vec::new();
        for r in &residents {
            let (store, r) = (store.clone(), *r);
            tasks.push(tokio::spawn(
                async move { store.agenda().support(id, r).await },
            ));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert!(matches!(
            agenda.support(id, residents[0]).await,
            Err(AgendaStoreError::AlreadySupported)
        ));
        let item = agenda.get(id).await.unwrap().unwrap();
        assert_eq!(item.supports, 20, "{}", db.name);
        assert_eq!(item.status, Status::AnswerDue);

        // A council that lowers its ladder moves the items that now reach a step.
        let other = agenda
            .propose(&place, proposal("골목 화단"), proposer)
            .await
            .unwrap();
        for r in &residents[..3] {
            agenda.support(other, *r).await.unwrap();
        }
        assert_eq!(
            agenda.get(other).await.unwrap().unwrap().status,
            Status::Open
        );
        agenda
            .set_ladder(&place, Ladder::new(3, 12).unwrap())
            .await
            .unwrap();
        assert_eq!(
            agenda.get(other).await.unwrap().unwrap().status,
            Status::Review
        );

        // Moderation hides with a reason and restores; hidden items are out of lists.
        agenda
            .moderate(other, true, "개인정보가 담겨 있음".into(), officer)
            .await
            .unwrap();
        assert!(matches!(
            agenda.support(other, residents[5]).await,
            Err(AgendaStoreError::Hidden)
        ));
        let filter = ItemFilter {
            emd: place.to_string(),
            status: None,
            topic: None,
            sort: Sort::Supports,
        };
        let (list, total) = agenda.list(filter.clone(), 0, 10).await.unwrap();
        assert_eq!(total, 1);
        assert_eq!(list[0].id, id);
        agenda
            .moderate(other, false, "수정 확인".into(), officer)
            .await
            .unwrap();
        assert_eq!(
            agenda.get(other).await.unwrap().unwrap().status,
            Status::Review
        );
        assert!(matches!(
            agenda.moderate(other, false, "again".into(), officer).await,
            Err(AgendaStoreError::NotHidden)
        ));

        agenda
            .answer(id, "4월 구청 협의 후 설치 예정".into(), officer)
            .await
            .unwrap();
        let item = agenda.get(id).await.unwrap().unwrap();
        assert_eq!(item.status, Status::Answered);
        assert_eq!(item.answer.as_deref(), Some("4월 구청 협의 후 설치 예정"));
        assert!(agenda.supports(id, residents[3]).await.unwrap());
        assert!(!agenda.supports(id, proposer).await.unwrap());
    }
}
