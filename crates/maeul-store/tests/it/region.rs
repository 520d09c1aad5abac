use maeul_core::region::kikcd;
use maeul_core::region::{Level, RegionCode};
use maeul_store::region::{RegionFilter, shipped_registry};

use crate::engines;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

#[tokio::test]
async fn the_shipped_regions_load_once_with_every_level() {
    for db in engines().await {
        let regions = db.store.regions();
        assert!(
            !regions.load_shipped_if_empty().await.unwrap(),
            "{}: loaded twice",
            db.name
        );
        let count = |level| {
            let regions = db.store.regions();
            async move {
                regions
                    .list(
                        RegionFilter {
                            level: Some(level),
                            ..Default::default()
                        },
                        0,
                        1,
                    )
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!(count(Level::Sido).await, 17, "{}", db.name);
        assert_eq!(count(Level::Sigungu).await, 263, "{}", db.name);
        assert_eq!(count(Level::Emd).await, 3560, "{}", db.name);

        let found = regions
            .list(
                RegionFilter {
                    q: Some("청운효자".into()),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(
            found.items[0].region.full_name,
            "서울특별시 종로구 청운효자동"
        );

        let jongno = regions
            .list(
                RegionFilter {
                    parent: Some(code("1111000000")),
                    ..Default::default()
                },
                0,
                100,
            )
            .await
            .unwrap();
        assert_eq!(jongno.total, 17, "{}: 종로구 has 17 dong", db.name);

        let sejong_emd = regions.get(&code("3611025000")).await.unwrap().unwrap();
        assert_eq!(sejong_emd.region.parent, Some(code("3600000000")));
        let ilbangu = regions.get(&code("4111100000")).await.unwrap().unwrap();
        assert_eq!(ilbangu.region.parent, Some(code("4111000000")));
        assert_eq!(
            regions.child_count(&code("4111000000")).await.unwrap(),
            4,
            "수원시 holds four 일반구"
        );

        // LIKE wildcards in a search are taken literally.
        let none = regions
            .list(
                RegionFilter {
                    q: Some("%".into()),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!(none.total, 0, "{}", db.name);
    }
}

#[tokio::test]
async fn an_import_records_created_and_retired_codes_and_keeps_retired_rows() {
    for db in engines().await {
        let mut release = shipped_registry();
        let gone = code("1111053000"); // 사직동
        release.regions.retain(|(r, _)| r.code != gone);
        let (mut new_region, mut path) = release
            .regions
            .iter()
            .find(|(r, _)| r.code.as_str() == "1111051500")
            .cloned()
            .unwrap();
        new_region.code = code("1111099900");
        new_region.name = "새동".into();
        new_region.full_name = "서울특별시 종로구 새동".into();
        let mut codes = path.codes().to_vec();
        *codes.last_mut().unwrap() = new_region.code.clone();
        path = maeul_core::region::RegionPath::new(codes);
        release.regions.push((new_region, path));

        let report = db
            .store
            .regions()
            .import("test.csv", release, "2026-11-25")
            .await
            .unwrap();
        assert_eq!(
            report.changes.created,
            vec![code("1111099900")],
            "{}",
            db.name
        );
        assert_eq!(report.changes.retired, vec![gone.clone()], "{}", db.name);
        assert!(report.changes.renamed.is_empty());

        let retired = db
            .store
            .regions()
            .get(&gone)
            .await
            .unwrap()
            .expect("the retired row stays");
        assert_eq!(retired.retired_on.as_deref(), Some("2026-11-25"));
        let active = db
            .store
            .regions()
            .list(
                RegionFilter {
                    parent: Some(code("1111000000")),
                    ..Default::default()
                },
                0,
                100,
            )
            .await
            .unwrap();
        assert_eq!(active.total, 17, "one retired, one created");
        let history = db.store.regions().history(&gone).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].1, "retired");

        // Importing the same release again changes nothing.
        let again = db
            .store
            .regions()
            .import("test.csv", shipped_registry(), "2026-11-26")
            .await
            .unwrap();
        assert_eq!(
            again.changes.created,
            vec![gone.clone()],
            "the shipped release brings 사직동 back"
        );
        assert_eq!(again.changes.retired, vec![code("1111099900")]);
        assert!(
            db.store
                .regions()
                .get(&gone)
                .await
                .unwrap()
                .unwrap()
                .retired_on
                .is_none()
        );
    }
}

#[tokio::test]
async fn reimporting_the_same_release_changes_nothing() {
    // The shipped CSVs and the official spreadsheet describe the same registry.
    let rows = kikcd::rows_from_shipped(
        include_str!("../../../../data/sido.csv"),
        include_str!("../../../../data/sigungu.csv"),
        include_str!("../../../../data/regions.csv"),
    );
    let registry = kikcd::build(rows).unwrap();
    for db in engines().await {
        let report = db
            .store
            .regions()
            .import("again", registry.clone(), "2026-11-25")
            .await
            .unwrap();
        assert_eq!(report.changes, kikcd::Changes::default(), "{}", db.name);
    }
}
