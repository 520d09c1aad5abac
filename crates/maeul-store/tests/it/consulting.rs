//! Consulting steps are decided on a revision: one decided on a state someone changed meanwhile
//! (another expert assigned) is refused, on both engines.

use maeul_core::account::Role;
use maeul_core::consulting::{Report, Request};
use maeul_core::expert::{Availability, Expert, Specialty};
use maeul_core::region::RegionCode;
use maeul_store::consulting::ConsultingStoreError;
use time::macros::date;

use crate::account::add;
use crate::engines;

fn expert(name: &str) -> Expert {
    Expert::new(Expert {
        name: name.into(),
        organisation: String::new(),
        specialties: vec![Specialty::Facilitation],
        regions: vec![],
        availability: Availability::Available,
        email: "x@example.org".into(),
        phone: String::new(),
        profile: String::new(),
    })
    .unwrap()
}

#[tokio::test]
async fn a_step_decided_on_a_changed_engagement_is_refused() {
    for db in engines().await {
        let store = db.store.clone();
        let by = add(
            &store,
            "seoul.programme",
            Role::ProgrammeStaff,
            "1100000000",
        )
        .await;
        let seoul = RegionCode::parse("1100000000").unwrap();
        let place = RegionCode::parse("1111051500").unwrap();
        let a = store
            .experts()
            .create(&seoul, expert("가"), by)
            .await
            .unwrap();
        let b = store
            .experts()
            .create(&seoul, expert("나"), by)
            .await
            .unwrap();
        let today = date!(2026 - 11 - 27);
        let request = Request::new(&place, "t", Specialty::Facilitation, "n", None, today).unwrap();
        let c = store.consultations();
        let id = c.create(&place, request, by, today).await.unwrap();
        c.assign(id, 0, a, None, by, today).await.unwrap();
        let read = c.get(id).await.unwrap().unwrap();
        assert_eq!(read.revision, 1);
        // Meanwhile another expert is assigned; the report decided on the first is refused.
        c.assign(id, 1, b, None, by, today).await.unwrap();
        let report = Report::new(today, 2, "f", "", today, today).unwrap();
        let stale = c.report(id, read.revision, report.clone(), by, today).await;
        assert!(
            matches!(stale, Err(ConsultingStoreError::Changed)),
            "{}: {stale:?}",
            db.name
        );
        c.report(id, 2, report.clone(), by, today).await.unwrap();
        let done = c.get(id).await.unwrap().unwrap();
        assert_eq!(
            (done.expert.map(|e| e.1), done.report.map(|r| r.hours)),
            (Some("나".to_owned()), Some(2))
        );
        let again = c.withdraw(id, 3, "r".into(), by, today).await;
        assert!(
            matches!(again, Err(ConsultingStoreError::Step(_))),
            "{again:?}"
        );
        assert!(matches!(
            c.withdraw(99_999, 0, "r".into(), by, today).await,
            Err(ConsultingStoreError::NotFound)
        ));
    }
}
