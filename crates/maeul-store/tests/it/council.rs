use maeul_core::account::Role;
use maeul_core::autonomy::council::{Council, CouncilStatus, Meeting};
use maeul_core::autonomy::council::{MemberRole, RoleError};
use maeul_core::autonomy::lottery::{self, Application, Category, Gender, Rules};
use maeul_core::region::RegionCode;
use maeul_store::StoreError;
use maeul_store::autonomy::council::MemberError;
use maeul_store::autonomy::lottery::{Applicant, LotteryStoreError};
use time::macros::date;

use crate::account::add;
use crate::engines;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn pilot() -> Council {
    Council::new(Council {
        status: CouncilStatus::Pilot,
        ordinance: Some("종로구 주민자치회 시범실시 조례".into()),
        ordinance_on: Some(date!(2019 - 03 - 01)),
        pilot_designated_on: Some(date!(2019 - 04 - 01)),
    })
    .unwrap()
}

#[tokio::test]
async fn counts_by_status_add_up_at_every_level_and_changes_are_kept() {
    for db in engines().await {
        let store = &db.store;
        let officer = add(store, "council.officer", Role::CouncilOfficer, "1111051500").await;
        let (cheongun, sajik) = (code("1111051500"), code("1111053000"));
        assert_eq!(
            store.councils().get(&cheongun).await.unwrap().council,
            Council::none()
        );
        store
            .councils()
            .set(&cheongun, pilot(), officer)
            .await
            .unwrap();
        let mut established = pilot();
        established.status = CouncilStatus::Established;
        store
            .councils()
            .import(vec![
                (sajik.clone(), established.clone()),
                (cheongun.clone(), established),
            ])
            .await
            .unwrap();
        let history = store.councils().history(&cheongun).await.unwrap();
        assert_eq!(history.len(), 2, "{}", db.name);
        assert_eq!(history[0].source, "import");
        assert_eq!(history[1].council.status, CouncilStatus::Pilot);

        let nation = store
            .councils()
            .counts(&RegionCode::nation())
            .await
            .unwrap();
        let emds = store.regions().active_emds().await.unwrap().len() as i64;
        assert_eq!(nation.total.total(), emds);
        assert_eq!(nation.total.established, 2);
        let seoul = nation.below.get(&code("1100000000")).unwrap();
        assert_eq!(seoul.established, 2);
        let sum: i64 = nation.below.values().map(|c| c.total()).sum();
        assert_eq!(sum, emds, "the si/do add up to the nation");
        let jongno = store.councils().counts(&code("1111000000")).await.unwrap();
        assert_eq!(jongno.below.len() as i64, jongno.total.total());
        assert_eq!(jongno.below[&sajik].established, 1);

        // A code that is not a place is refused and nothing of the batch is kept.
        let bad = store
            .councils()
            .import(vec![
                (code("1111051500"), pilot()),
                (code("9911051500"), pilot()),
            ])
            .await;
        assert!(
            matches!(bad, Err(StoreError::MissingReference)),
            "{}",
            db.name
        );
        assert_eq!(store.councils().history(&cheongun).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn meetings_belong_to_the_place_and_its_own_subcommittees() {
    for db in engines().await {
        let store = &db.store;
        let officer = add(store, "council.officer", Role::CouncilOfficer, "1111051500").await;
        let place = code("1111051500");
        let sub = store
            .councils()
            .add_subcommittee(&place, "복지분과".into())
            .await
            .unwrap();
        assert!(matches!(
            store
                .councils()
                .add_subcommittee(&place, "복지분과".into())
                .await,
            Err(StoreError::Conflict)
        ));
        let other = store
            .councils()
            .add_subcommittee(&code("1111053000"), "환경분과".into())
            .await
            .unwrap();
        let meeting = |sub: Option<i64>| {
            Meeting::new(Meeting {
                title: "3월 정기회의".into(),
                held_on: date!(2026 - 03 - 10),
                agenda: "자치계획 초안".into(),
                attended: 12,
                members: 20,
                minutes: Some("원안 의결".into()),
                subcommittee_id: sub,
            })
            .unwrap()
        };
        store
            .councils()
            .add_meeting(&place, meeting(Some(sub)), officer)
            .await
            .unwrap();
        assert!(matches!(
            store
                .councils()
                .add_meeting(&place, meeting(Some(other)), officer)
                .await,
            Err(StoreError::NotFound)
        ));
        let (list, total) = store.councils().meetings(&place, 0, 10).await.unwrap();
        assert_eq!(total, 1, "{}", db.name);
        assert_eq!(list[0].subcommittee.as_deref(), Some("복지분과"));
        assert_eq!(list[0].meeting, meeting(Some(sub)));
    }
}

fn applicant(n: usize) -> Applicant {
    Applicant {
        application: Application {
            number: format!("A-{n:03}"),
            category: if n.is_multiple_of(7) {
                Category::Disadvantaged
            } else {
                Category::Resident
            },
            gender: if n.is_multiple_of(3) {
                Gender::Female
            } else {
                Gender::Male
            },
            training_hours: 4 + (n as u32 % 5),
        },
        school_enrolment: None,
        name: format!("신청자{n}"),
    }
}

#[tokio::test]
async fn a_lottery_freezes_at_its_seed_draws_once_and_its_record_verifies() {
    for db in engines().await {
        let store = &db.store;
        let officer = add(store, "council.officer", Role::CouncilOfficer, "1111051500").await;
        let rules = Rules::new(Rules {
            seats: 12,
            min_training_hours: 6,
            max_gender_percent: 60,
            reserved: vec![],
            alternates: 3,
        })
        .unwrap();
        let lotteries = store.lotteries();
        let id = lotteries
            .create(
                &code("1111051500"),
                "제3기 위원 공개추첨".into(),
                rules,
                officer,
            )
            .await
            .unwrap();
        assert!(matches!(
            lotteries.draw(id).await,
            Err(LotteryStoreError::SeedNeeded)
        ));
        lotteries
            .apply(id, (1..=30).map(applicant).collect())
            .await
            .unwrap();
        // A number already taken, or given twice in the batch, refuses the whole batch.
        let again = lotteries.apply(id, vec![applicant(31), applicant(5)]).await;
        assert!(
            matches!(&again, Err(LotteryStoreError::NumberTaken(n)) if n == "A-005"),
            "{}",
            db.name
        );
        let twice = lotteries
            .apply(id, vec![applicant(32), applicant(32)])
            .await;
        assert!(matches!(twice, Err(LotteryStoreError::Invalid(_))));
        assert_eq!(lotteries.get(id).await.unwrap().unwrap().applications, 30);

        lotteries
            .publish_seed(id, " 2026-03-14 로또 1 7 12 25 33 41 ".into())
            .await
            .unwrap();
        assert!(matches!(
            lotteries.publish_seed(id, "another".into()).await,
            Err(LotteryStoreError::Frozen)
        ));
        assert!(matches!(
            lotteries.apply(id, vec![applicant(40)]).await,
            Err(LotteryStoreError::Frozen)
        ));
        let (a, b) = tokio::join!(lotteries.draw(id), lotteries.draw(id));
        let drawn = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(drawn, 1, "exactly one draw lands ({})", db.name);
        let record = lotteries.record(id).await.unwrap().unwrap();
        assert_eq!(record.seed, "2026-03-14 로또 1 7 12 25 33 41");
        assert_eq!(record.applications.len(), 30);
        assert_eq!(lottery::verify(&record), Ok(()));
        assert!(record.outcome.members.len() <= 12);
        assert!(!record.outcome.ineligible.is_empty());
    }
}

#[tokio::test]
async fn drawn_members_are_appointed_once_take_roles_and_alternates_fill_left_seats() {
    for db in engines().await {
        let store = &db.store;
        let officer = add(store, "council.officer", Role::CouncilOfficer, "1111051500").await;
        let place = code("1111051500");
        let rules = Rules::new(Rules {
            seats: 6,
            min_training_hours: 6,
            max_gender_percent: 60,
            reserved: vec![],
            alternates: 4,
        })
        .unwrap();
        let lotteries = store.lotteries();
        let id = lotteries
            .create(&place, "위원 공개추첨".into(), rules, officer)
            .await
            .unwrap();
        lotteries
            .apply(id, (1..=20).map(applicant).collect())
            .await
            .unwrap();
        let councils = store.councils();
        assert!(matches!(
            councils.appoint_drawn(id, date!(2026 - 03 - 01)).await,
            Err(MemberError::NotDrawn)
        ));
        lotteries.publish_seed(id, "seed".into()).await.unwrap();
        let outcome = lotteries.draw(id).await.unwrap();
        let n = councils
            .appoint_drawn(id, date!(2026 - 03 - 01))
            .await
            .unwrap();
        assert_eq!(n, outcome.members.len(), "{}", db.name);
        assert!(matches!(
            councils.appoint_drawn(id, date!(2026 - 03 - 01)).await,
            Err(MemberError::AlreadyAppointed)
        ));
        let today = date!(2026 - 06 - 01);
        let members = councils.members(&place, today).await.unwrap();
        assert_eq!(members.len(), n);
        assert_eq!(members[0].term_ends, date!(2028 - 02 - 29));
        assert!(
            councils
                .members(&place, date!(2028 - 03 - 01))
                .await
                .unwrap()
                .is_empty()
        );

        // The member who leaves has the first alternate's gender, so that alternate keeps
        // the gender limit and takes the seat.
        let first = &outcome.alternates[0];
        let gender_of = |n: &str| {
            (1..=20)
                .map(applicant)
                .find(|a| a.application.number == n)
                .unwrap()
                .application
                .gender
        };
        let a = members
            .iter()
            .find(|m| m.gender == gender_of(first))
            .unwrap()
            .id;
        let b = members.iter().find(|m| m.id != a).unwrap().id;
        councils
            .set_role(a, MemberRole::Chair, None, today)
            .await
            .unwrap();
        assert!(matches!(
            councils.set_role(b, MemberRole::Chair, None, today).await,
            Err(MemberError::Role(RoleError::Taken))
        ));
        assert!(matches!(
            councils.call_alternate(id, today).await,
            Err(MemberError::NoVacancy)
        ));
        // Leaving gives up the role: the chair is free again, and an alternate takes the seat.
        councils.end_membership(a, today).await.unwrap();
        assert!(matches!(
            councils.end_membership(a, today).await,
            Err(MemberError::NotServing)
        ));
        councils
            .set_role(b, MemberRole::Chair, None, today)
            .await
            .unwrap();
        let called = councils.call_alternate(id, today).await.unwrap();
        assert_eq!(&called, first);
        let now = councils.members(&place, today).await.unwrap();
        assert_eq!(now.len(), n);
        let newcomer = now
            .iter()
            .find(|m| m.application_number.as_deref() == Some(&called))
            .unwrap();
        assert_eq!(
            newcomer.term_ends,
            date!(2028 - 02 - 29),
            "the rest of the term"
        );
        assert_eq!(newcomer.term_starts, today);
    }
}
