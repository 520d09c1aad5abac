use maeul_core::account::Role;
use maeul_core::welfare::case::{CaseError, Classification, Step, StepInput};
use maeul_core::welfare::person::Person;
use maeul_store::account::Actor;
use maeul_store::welfare::case::{CaseFilter, NewCase, Source};
use time::macros::date;

use crate::account::add;
use crate::engines;

const CHEONGUN: &str = "1111051500";
const TODAY: time::Date = date!(2026 - 11 - 25);

fn worker(id: i64) -> Actor {
    Actor {
        user_id: Some(id),
        login: "kim.welfare".into(),
        address: "10.0.0.1".into(),
        region: Some(CHEONGUN.into()),
    }
}

fn input(step: &str, day: &str) -> StepInput {
    StepInput {
        step: step.into(),
        done_on: day.into(),
        ..StepInput::default()
    }
}

fn new_case(emd: &str, name: &str, opened_on: time::Date) -> NewCase {
    NewCase {
        emd_code: emd.into(),
        person: Person::new(name, Some(1948), TODAY).unwrap(),
        source: Source::WalkIn,
        candidate_id: None,
        opened_on,
        note: Some("독거, 난방비 체납".into()),
    }
}

#[tokio::test]
async fn a_case_moves_through_its_steps_in_order_with_deadlines() {
    for db in engines().await {
        let store = crate::keyed(db.store.clone()).await;
        let kim = add(&store, "kim.welfare", Role::WelfareStaff, CHEONGUN).await;
        let cases = store.cases();
        let id = cases
            .open(
                new_case(CHEONGUN, "김순자", date!(2026 - 11 - 02)),
                worker(kim),
            )
            .await
            .unwrap();
        let detail = cases.case(id, worker(kim)).await.unwrap().unwrap();
        assert_eq!(detail.case.person_name, "김순자", "{}", db.name);
        assert_eq!(detail.case.next_step, Step::Assessment);
        assert_eq!(detail.case.next_due, date!(2026 - 11 - 12));
        assert_eq!(detail.steps[0].note.as_deref(), Some("독거, 난방비 체납"));

        let record = |i: StepInput| cases.record_step(id, i, TODAY, worker(kim));
        assert_eq!(
            record(input("plan", "2026-11-05")).await.unwrap(),
            Err(CaseError::Order)
        );
        let mut assessment = input("assessment", "2026-11-09");
        assessment.needs = vec!["health".into(), "economy".into()];
        assessment.crisis = Some("high".into());
        assert_eq!(record(assessment).await.unwrap(), Ok(Step::Assessment));
        assert_eq!(
            record(input("conference", "2026-11-08")).await.unwrap(),
            Err(CaseError::Date),
            "not before the last step"
        );
        record(input("conference", "2026-11-12"))
            .await
            .unwrap()
            .unwrap();
        let mut class = input("classification", "2026-11-13");
        class.classification = Some("high_difficulty".into());
        record(class).await.unwrap().unwrap();
        let detail = cases.case(id, worker(kim)).await.unwrap().unwrap();
        assert_eq!(
            detail.case.classification,
            Some(Classification::HighDifficulty)
        );
        assert_eq!(
            (detail.case.next_step, detail.case.next_due),
            (Step::Plan, date!(2026 - 11 - 28))
        );
        assert_eq!(detail.steps[1].needs, ["economy", "health"]);
        assert!(detail.case.overdue(date!(2026 - 11 - 29)));

        // A second, overdue case in the same place; then lists by what is due.
        let late = cases
            .open(
                new_case(CHEONGUN, "박영호", date!(2026 - 10 - 01)),
                worker(kim),
            )
            .await
            .unwrap();
        let list = |filter: CaseFilter| cases.list(filter, 0, 20, worker(kim));
        let all = list(CaseFilter {
            within: Some("1111000000".into()),
            open_only: true,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
        assert_eq!(all.total, 2);
        assert_eq!(all.items[0].id, late, "the most urgent first");
        let overdue = list(CaseFilter {
            due_before: Some(TODAY),
            ..CaseFilter::default()
        })
        .await
        .unwrap();
        assert_eq!(
            overdue.items.iter().map(|c| c.id).collect::<Vec<_>>(),
            [late]
        );
        let hard = list(CaseFilter {
            high_difficulty_only: true,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
        assert_eq!(hard.items.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);

        let mut close = input("closure", "2026-11-20");
        close.closure_reason = Some("moved_away".into());
        cases
            .record_step(late, close, TODAY, worker(kim))
            .await
            .unwrap()
            .unwrap();
        let open = list(CaseFilter {
            open_only: true,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
        assert_eq!(open.total, 1);
        let elsewhere = list(CaseFilter {
            within: Some("2600000000".into()),
            ..CaseFilter::default()
        })
        .await
        .unwrap();
        assert_eq!(elsewhere.total, 0);
        for blob in crate::discovery::raw_blobs(&db.config, "SELECT person_name AS b FROM cases") {
            assert!(
                !blob.windows(3).any(|w| w == "김".as_bytes()),
                "names are sealed"
            );
        }
        assert!(cases.place_of(id).await.unwrap().is_some());
        assert!(cases.place_of(999_999).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn case_rules_are_configuration_and_bad_ones_are_refused() {
    for db in engines().await {
        let cases = db.store.cases();
        assert_eq!(cases.rules().await.unwrap().assessment_days, 10);
        let text = "assessment_days = 7\nclassification_days = 5\nplan_days = 15\nintake_to_plan_days = 30\n\
                    monitoring_days = 30\nfollow_up_days = 90\nneeds_domains = [[\"health\", \"건강\"]]\n";
        cases.set_rules(text).await.unwrap();
        assert_eq!(
            cases.rules().await.unwrap().assessment_days,
            7,
            "{}",
            db.name
        );
        assert!(cases.set_rules("assessment_days = 0").await.is_err());
        assert_eq!(cases.rules().await.unwrap().assessment_days, 7);
    }
}
