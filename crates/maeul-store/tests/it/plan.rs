use std::collections::BTreeMap;

use maeul_core::account::Role;
use maeul_core::autonomy::assembly::{DecisionRule, Eligibility, Item, Rules, Voters};
use maeul_core::autonomy::plan::{
    Ballot, Decision, Funding, PlanItem, Status, ballot_items, settle,
};
use maeul_core::region::RegionCode;
use maeul_core::topic::Topic;
use maeul_store::autonomy::plan::{Outcome, PlanStoreError};

use crate::account::add;
use crate::engines;

fn assembly_rules() -> Rules {
    Rules::new(Rules {
        title: "2027년 청운효자동 주민총회".into(),
        opens_at: 1_900_000_000,
        closes_at: 1_900_086_400,
        advance_opens_at: None,
        eligibility: Eligibility {
            min_age: 16,
            voters: Voters::Residents,
        },
        eligible_population: 1000,
        quorum_basis_points: 50,
        items: vec![Item {
            title: "마을 도서관 운영시간 연장".into(),
            rule: DecisionRule::Majority,
        }],
        booths: vec![],
    })
    .unwrap()
}

fn item(title: &str, budget: i64, funding: Funding) -> PlanItem {
    PlanItem::new(PlanItem {
        title: title.into(),
        description: "주민 제안에서 온 사업".into(),
        topic: Topic::Community,
        budget,
        funding,
        subcommittee_id: None,
        agenda_item_id: None,
    })
    .unwrap()
}

#[tokio::test]
async fn a_plan_goes_to_the_assembly_with_its_ballot_in_one_step_and_is_settled() {
    for db in engines().await {
        let store = &db.store;
        let place = RegionCode::parse("1111051500").unwrap();
        let officer = add(store, "park.officer", Role::CouncilOfficer, "1111051500").await;
        let plans = store.plans();
        let plan = plans.create(&place, 2027, officer).await.unwrap();
        assert!(matches!(
            plans.create(&place, 2027, officer).await,
            Err(PlanStoreError::YearTaken)
        ));
        let elsewhere = store
            .councils()
            .add_subcommittee(&RegionCode::parse("1111053000").unwrap(), "환경분과".into())
            .await
            .unwrap();
        let wrong = PlanItem {
            subcommittee_id: Some(elsewhere),
            ..item("골목 화단", 5_000_000, Funding::ResidentTaxReturn)
        };
        assert!(matches!(
            plans.add_item(plan, wrong, officer).await,
            Err(PlanStoreError::Elsewhere {
                field: "subcommittee_id"
            })
        ));
        let ours = store
            .councils()
            .add_subcommittee(&place, "환경분과".into())
            .await
            .unwrap();
        let garden = PlanItem {
            subcommittee_id: Some(ours),
            ..item("골목 화단", 5_000_000, Funding::ResidentTaxReturn)
        };
        plans.add_item(plan, garden, officer).await.unwrap();
        let rails = plans
            .add_item(
                plan,
                item("경로당 안전 손잡이", 3_000_000, Funding::Grant),
                officer,
            )
            .await
            .unwrap();
        plans
            .add_item(
                plan,
                item("청소년 공부방", 8_000_000, Funding::Grant),
                officer,
            )
            .await
            .unwrap();

        // An opened assembly's ballot cannot take the plan; nothing changes.
        let opened = store
            .assemblies()
            .create(&place, assembly_rules(), officer)
            .await
            .unwrap();
        store.assemblies().open(opened.setup.id).await.unwrap();
        let put = |assembly: i64| {
            plans.put_to_assembly(plan, assembly, officer, |items, rules| {
                let on: Vec<&str> = rules.items.iter().map(|i| i.title.as_str()).collect();
                ballot_items(items, Ballot::EachItem, "", &on)
            })
        };
        assert!(matches!(
            put(opened.setup.id).await,
            Err(PlanStoreError::AssemblyFrozen)
        ));
        assert_eq!(
            plans.get(plan).await.unwrap().unwrap().status,
            Status::Draft
        );

        // Two puts at once to a draft assembly: one goes through, the other finds the plan
        // already at the assembly, and the ballot holds the items once.
        let draft = store
            .assemblies()
            .create(&place, assembly_rules(), officer)
            .await
            .unwrap();
        let id = draft.setup.id;
        let (a, b) = tokio::join!(put(id), put(id));
        assert!(a.is_ok() != b.is_ok(), "{}: {a:?} {b:?}", db.name);
        assert!(matches!(
            a.err().or(b.err()),
            Some(PlanStoreError::Status(Status::AtAssembly))
        ));
        let assembly = store.assemblies().get(id).await.unwrap().unwrap();
        let titles: Vec<&str> = assembly
            .setup
            .rules
            .items
            .iter()
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "마을 도서관 운영시간 연장",
                "골목 화단",
                "경로당 안전 손잡이",
                "청소년 공부방"
            ]
        );
        assert_eq!(assembly.setup.item_ids.len(), 4, "{}", db.name);
        assert!(matches!(
            plans
                .add_item(plan, item("늦은 제안", 1, Funding::Own), officer)
                .await,
            Err(PlanStoreError::Status(Status::AtAssembly))
        ));

        // An invalid result sends the plan back to draft.
        let outcome = plans
            .record_decision(plan, id, None, "정족수 미달".into(), officer)
            .await
            .unwrap();
        assert_eq!(outcome, Outcome::BackToDraft);
        let back = plans.get(plan).await.unwrap().unwrap();
        assert_eq!((back.status, back.assembly_id), (Status::Draft, None));
        assert!(back.items.iter().all(|i| i.placement.is_none()));

        let again = store
            .assemblies()
            .create(&place, assembly_rules(), officer)
            .await
            .unwrap();
        plans
            .put_to_assembly(plan, again.setup.id, officer, |items, _| {
                ballot_items(items, Ballot::WithinLimit(11_000_000), "2027 자치계획", &[])
            })
            .await
            .unwrap();
        // Withdrawn while the assembly is a draft: its question leaves the ballot; put again.
        plans.withdraw(plan, officer).await.unwrap();
        let left = store
            .assemblies()
            .get(again.setup.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(left.setup.rules.items.len(), 1, "{}", db.name);
        assert_eq!(
            plans.get(plan).await.unwrap().unwrap().status,
            Status::Draft
        );
        plans
            .put_to_assembly(plan, again.setup.id, officer, |items, _| {
                ballot_items(items, Ballot::WithinLimit(11_000_000), "2027 자치계획", &[])
            })
            .await
            .unwrap();
        // A decision read from another assembly than the plan's is refused.
        assert!(matches!(
            plans
                .record_decision(plan, id, None, String::new(), officer)
                .await,
            Err(PlanStoreError::Status(Status::AtAssembly))
        ));
        // A question renamed in the assembly: the decision cannot be read and nothing changes.
        let renamed: BTreeMap<String, Vec<String>> =
            [("다른 안건".to_owned(), vec![])].into_iter().collect();
        assert_eq!(
            plans
                .record_decision(plan, again.setup.id, Some(renamed), String::new(), officer)
                .await
                .unwrap(),
            Outcome::MissingFromBallot("2027 자치계획".into())
        );
        let winners: BTreeMap<String, Vec<String>> = [(
            "2027 자치계획".to_owned(),
            vec!["청소년 공부방".to_owned(), "경로당 안전 손잡이".to_owned()],
        )]
        .into_iter()
        .collect();
        assert_eq!(
            plans
                .record_decision(plan, again.setup.id, Some(winners), "유효".into(), officer)
                .await
                .unwrap(),
            Outcome::Decided
        );
        let decided = plans.get(plan).await.unwrap().unwrap();
        assert_eq!(decided.status, Status::Adopted);
        let decisions: Vec<Decision> = decided.items.iter().map(|i| i.decision).collect();
        assert_eq!(
            decisions,
            [Decision::NotAdopted, Decision::Adopted, Decision::Adopted]
        );
        assert_eq!(decided.items[0].subcommittee.as_deref(), Some("환경분과"));

        assert!(matches!(
            plans
                .record_spending(plan, rails, 1, String::new(), officer)
                .await,
            Err(PlanStoreError::Status(Status::Adopted))
        ));
        plans
            .advance(plan, Status::Executing, officer)
            .await
            .unwrap();
        let garden_id = decided.items[0].id;
        assert!(matches!(
            plans
                .record_spending(plan, garden_id, 1, String::new(), officer)
                .await,
            Err(PlanStoreError::NotAdopted)
        ));
        plans
            .record_spending(plan, rails, 2_900_000, "손잡이 12개".into(), officer)
            .await
            .unwrap();
        plans.advance(plan, Status::Closed, officer).await.unwrap();
        let closed = plans.get(plan).await.unwrap().unwrap();
        let s = settle(
            closed
                .items
                .iter()
                .map(|i| (i.decision, i.item.funding, i.item.budget, i.spent)),
        );
        assert_eq!(s.total.budget, 11_000_000);
        assert_eq!(s.total.spent, 2_900_000);
        let events: Vec<String> = plans
            .events(plan)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(events.first().map(String::as_str), Some("create"));
        assert_eq!(events.last().map(String::as_str), Some("closed"));
        assert!(events.contains(&"assembly_not_valid".to_owned()));
    }
}
