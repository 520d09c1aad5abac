use maeul_core::account::Role;
use maeul_core::programme::catalogue::{Programme, TargetUnit};
use maeul_core::topic::Topic;
use maeul_store::programme::{ImportRow, ProgrammeStoreError, SHIPPED_YEAR};

use crate::account::add;
use crate::engines;

fn programme(name: &str, amount_max: Option<i64>) -> Programme {
    Programme::new(Programme {
        ministry: "국토교통부".into(),
        name: name.into(),
        summary: "주민이 세운 계획을 지원합니다".into(),
        target: "읍·면·동 주민자치회".into(),
        amount_max,
        years: Some(3),
        topics: vec![Topic::Housing],
        source: "https://www.molit.go.kr".into(),
        ..Programme::default()
    })
    .unwrap()
}

#[tokio::test]
async fn the_shipped_catalogue_loads_once() {
    for db in engines().await {
        let catalogue = db.store.programmes();
        assert!(
            catalogue.load_shipped_if_empty().await.unwrap(),
            "{}",
            db.name
        );
        assert!(!catalogue.load_shipped_if_empty().await.unwrap());
        let current = catalogue.current().await.unwrap();
        assert_eq!(current.len(), 34, "{}", db.name);
        assert!(current.iter().all(|v| v.year == SHIPPED_YEAR));
        let village = current
            .iter()
            .find(|v| v.programme.name == "청년마을 만들기 지원 사업")
            .unwrap();
        assert!(village.programme.topics.contains(&Topic::Youth));
        assert!(village.programme.target_units.contains(&TargetUnit::Group));
        assert!(catalogue.revision().await.unwrap() > 0);
    }
}

#[tokio::test]
async fn a_new_year_is_a_new_version_and_every_change_is_kept() {
    for db in engines().await {
        let store = &db.store;
        let staff = add(store, "lee.ministry", Role::Ministry, "0000000000").await;
        let catalogue = store.programmes();
        let rev0 = catalogue.revision().await.unwrap();
        let id = catalogue
            .create(2025, programme("소규모 재생사업", Some(500_000_000)), staff)
            .await
            .unwrap();
        let rev1 = catalogue.revision().await.unwrap();
        assert!(rev1 > rev0);
        // The same entry again changes nothing and keeps no change.
        let same = catalogue
            .put(
                id,
                2025,
                programme("소규모 재생사업", Some(500_000_000)),
                staff,
            )
            .await
            .unwrap();
        assert!(!same);
        assert_eq!(catalogue.revision().await.unwrap(), rev1);
        // Renamed and re-budgeted for 2026: a second version; 2025 stays as it was.
        assert!(
            catalogue
                .put(
                    id,
                    2026,
                    programme("주민참여형 소규모 재생사업", Some(1_000_000_000)),
                    staff
                )
                .await
                .unwrap()
        );
        let versions = catalogue.versions(id).await.unwrap();
        assert_eq!(
            versions.iter().map(|v| v.year).collect::<Vec<_>>(),
            [2026, 2025]
        );
        assert_eq!(versions[1].programme.amount_max, Some(500_000_000));
        let current = catalogue.current().await.unwrap();
        let now = current.iter().find(|v| v.programme_id == id).unwrap();
        assert_eq!(now.programme.name, "주민참여형 소규모 재생사업");
        let history = catalogue.history(id).await.unwrap();
        assert_eq!(history.len(), 2, "{}", db.name);
        assert_eq!(history[0].year, 2026);
        assert_eq!(history[0].before, None);
        assert!(history[0].changed_by.is_some());
        assert_eq!(history[1].after.amount_max, Some(500_000_000));
        assert!(matches!(
            catalogue
                .put(999_999, 2026, programme("x", None), staff)
                .await,
            Err(ProgrammeStoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn an_import_matches_by_id_or_name_and_is_all_or_nothing() {
    for db in engines().await {
        let store = &db.store;
        let staff = add(store, "lee.ministry", Role::Ministry, "0000000000").await;
        let catalogue = store.programmes();
        let id = catalogue
            .create(2025, programme("소규모 재생사업", None), staff)
            .await
            .unwrap();
        let row = |line, id, name: &str, amount| ImportRow {
            line,
            id,
            year: 2025,
            programme: programme(name, amount),
        };
        let summary = catalogue
            .import(
                vec![
                    row(2, None, "소규모 재생사업", Some(300_000_000)),
                    row(3, None, "빈집 활용 마을 만들기", None),
                ],
                "catalogue.xlsx".into(),
            )
            .await
            .unwrap();
        assert_eq!(
            (summary.created, summary.updated, summary.unchanged),
            (1, 1, 0)
        );
        let again = catalogue
            .import(
                vec![row(2, Some(id), "소규모 재생사업", Some(300_000_000))],
                "again.xlsx".into(),
            )
            .await
            .unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
        // By name on one line and by id on another: the same entry twice is refused.
        let twice = catalogue
            .import(
                vec![
                    row(2, None, "소규모 재생사업", Some(1)),
                    row(3, Some(id), "소규모 재생사업", Some(2)),
                ],
                "twice.xlsx".into(),
            )
            .await;
        assert!(
            matches!(twice, Err(ProgrammeStoreError::Twice { line: 3 })),
            "{}",
            db.name
        );
        assert_eq!(catalogue.current().await.unwrap().len(), 2);
        let history = catalogue.history(id).await.unwrap();
        assert_eq!(history[0].origin, "import: catalogue.xlsx");
        assert_eq!(history[0].changed_by, None);
        let rev = catalogue.revision().await.unwrap();
        let refused = catalogue
            .import(
                vec![
                    row(2, None, "또 다른 사업", None),
                    row(3, Some(424_242), "없는 사업", None),
                ],
                "bad.csv".into(),
            )
            .await;
        assert!(matches!(
            refused,
            Err(ProgrammeStoreError::UnknownId {
                line: 3,
                id: 424_242
            })
        ));
        assert_eq!(catalogue.current().await.unwrap().len(), 2, "{}", db.name);
        assert_eq!(catalogue.revision().await.unwrap(), rev);
    }
}
