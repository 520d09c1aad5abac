use maeul_core::account::Role;
use maeul_core::audit::AccessAction;
use maeul_core::region::RegionCode;
use maeul_core::welfare::health::{Readings, Registration, RiskGroup};
use maeul_core::welfare::person::Person;
use maeul_store::account::Actor;
use maeul_store::audit::AccessFilter;
use time::macros::date;

use crate::account::add;
use crate::engines;

#[tokio::test]
async fn health_records_are_sealed_logged_and_keep_their_group_history() {
    for db in engines().await {
        let store = crate::keyed(db.store.clone()).await;
        let nurse = add(&store, "kang.nurse", Role::Nurse, "1111051500").await;
        let actor = Actor {
            user_id: Some(nurse),
            login: "kang.nurse".into(),
            address: "10.0.0.2".into(),
            region: Some("1111051500".into()),
        };
        let today = date!(2026 - 11 - 25);
        let reg = Registration::new(
            Person::new("최복남", Some(1941), today).unwrap(),
            "self_capacity",
            None,
            date!(2026 - 06 - 01),
            today,
        )
        .unwrap();
        let health = store.health();
        let id = health
            .register("1111051500", reg, actor.clone())
            .await
            .unwrap();
        health
            .record_visit(
                id,
                date!(2026 - 07 - 01),
                Readings::default(),
                Some("낙상 주의".into()),
                actor.clone(),
            )
            .await
            .unwrap();
        // An older visit entered late does not move the cadence back.
        health
            .record_visit(
                id,
                date!(2026 - 06 - 15),
                Readings::default(),
                None,
                actor.clone(),
            )
            .await
            .unwrap();
        health
            .change_group(
                id,
                RiskGroup::Intensive,
                date!(2026 - 11 - 20),
                actor.clone(),
            )
            .await
            .unwrap();
        let d = health.person(id, actor.clone()).await.unwrap().unwrap();
        assert_eq!(
            d.person.last_visit_on,
            Some(date!(2026 - 07 - 01)),
            "{}",
            db.name
        );
        assert_eq!(
            d.person.next_due,
            date!(2026 - 12 - 01),
            "11 days from the change"
        );
        assert_eq!(d.visits[0].note.as_deref(), Some("낙상 주의"));
        assert_eq!(d.changes.len(), 2);
        for blob in
            crate::discovery::raw_blobs(&db.config, "SELECT person_name AS b FROM health_people")
        {
            assert!(!blob.windows(3).any(|w| w == "최".as_bytes()));
        }
        let log = store
            .access_log()
            .list(
                AccessFilter {
                    subject: Some(format!("health:{id}")),
                    scopes: vec![RegionCode::nation()],
                    ..AccessFilter::default()
                },
                0,
                50,
            )
            .await
            .unwrap();
        assert!(log.items.iter().any(|e| e.action == AccessAction::Read));
        assert_eq!(
            log.items
                .iter()
                .filter(|e| e.action == AccessAction::Write)
                .count(),
            4,
            "registration, two visits, one group change"
        );
    }
}
