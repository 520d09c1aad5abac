//! Forums: of several taking the last places at once only as many as there are places get one;
//! a second sign-up changes nothing, a cancellation frees a place, sign-up closes at the start;
//! on both engines.

use maeul_core::account::Role;
use maeul_core::forum::{Forum, Kind, SignUpError};
use maeul_core::region::RegionCode;
use maeul_store::forum::ForumStoreError;
use time::macros::{date, datetime, time};

use crate::account::add;
use crate::engines;

#[tokio::test]
async fn the_last_places_of_a_forum_go_to_as_many_as_there_are() {
    for db in engines().await {
        let store = db.store.clone();
        let by = add(&store, "kim.autonomy", Role::AutonomyStaff, "1111051500").await;
        let mut people = Vec::new();
        for i in 0..8 {
            people.push(
                add(
                    &store,
                    &format!("resident.{i}"),
                    Role::Resident,
                    "1111051500",
                )
                .await,
            );
        }
        let forum = Forum::new(Forum {
            title: "원탁회의".into(),
            kind: Kind::Roundtable,
            topic: "정원".into(),
            held_on: date!(2026 - 12 - 05),
            starts_at: time!(14:00),
            venue: "주민센터".into(),
            capacity: Some(3),
            supported_by: String::new(),
        })
        .unwrap();
        let place = RegionCode::parse("1111051500").unwrap();
        let id = store.forums().create(&place, forum, by).await.unwrap();
        let now = datetime!(2026-12-01 10:00);
        let tries = people.iter().map(|&user| {
            let store = store.clone();
            tokio::spawn(async move { store.forums().sign_up(id, user, now).await })
        });
        let (mut took, mut full) = (0, 0);
        for t in tries {
            match t.await.unwrap() {
                Ok(()) => took += 1,
                Err(ForumStoreError::Closed(SignUpError::Full)) => full += 1,
                Err(e) => panic!("{}: {e}", db.name),
            }
        }
        assert_eq!((took, full), (3, 5), "{}", db.name);
        let stored = store.forums().get(id).await.unwrap().unwrap();
        assert_eq!(stored.taken, 3);
        assert_eq!(store.forums().sign_ups(id).await.unwrap().len(), 3);
        // Signing up again changes nothing; a cancellation frees a place.
        let first = store.forums().sign_ups(id).await.unwrap()[0].login.clone();
        let first = people[first
            .trim_start_matches("resident.")
            .parse::<usize>()
            .unwrap()];
        store.forums().sign_up(id, first, now).await.unwrap();
        assert_eq!(store.forums().get(id).await.unwrap().unwrap().taken, 3);
        assert!(store.forums().cancel(id, first, now).await.unwrap());
        assert!(!store.forums().cancel(id, first, now).await.unwrap());
        assert_eq!(store.forums().get(id).await.unwrap().unwrap().taken, 2);
        let late = store
            .forums()
            .sign_up(id, first, datetime!(2026-12-05 14:00))
            .await;
        assert!(
            matches!(late, Err(ForumStoreError::Closed(SignUpError::Started))),
            "{late:?}"
        );
    }
}
