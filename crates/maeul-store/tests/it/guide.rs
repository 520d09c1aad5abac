//! Guides: the shipped ones are added once and keep the ministry's edits when the store opens
//! again; a revision is saved over the one read, so of two editors of the same revision one
//! wins and the other is told; every version is kept.

use maeul_core::account::Role;
use maeul_core::guide::{Guide, Slug, Subject};
use maeul_store::Store;
use maeul_store::guide::GuideStoreError;

use crate::account::add;
use crate::engines;

fn text(body: &str) -> Guide {
    Guide::new("주민총회 운영 안내", Subject::Assembly, "고친 요약", body).unwrap()
}

#[tokio::test]
async fn shipped_guides_are_added_once_and_edits_survive_reopening() {
    for db in engines().await {
        let guides = db.store.guides();
        let assembly = Slug::parse("assembly").unwrap();
        let shipped = guides.get(&assembly).await.unwrap().unwrap();
        assert_eq!(shipped.revision, 1, "{}", db.name);
        let n = guides.all().await.unwrap().len();
        assert_eq!(n, 5);

        let done = guides
            .import(vec![(assembly.clone(), text("# 고친 본문"))])
            .await
            .unwrap();
        assert_eq!((done.created, done.updated, done.unchanged), (0, 1, 0));
        let before = guides.changed().await.unwrap();

        let reopened = Store::open(db.config.clone()).await.unwrap();
        let g = reopened.guides().get(&assembly).await.unwrap().unwrap();
        assert_eq!((g.revision, g.guide.body.as_str()), (2, "# 고친 본문"));
        assert_eq!(reopened.guides().all().await.unwrap().len(), n);
        assert_eq!(
            reopened.guides().changed().await.unwrap(),
            before,
            "opening again writes nothing"
        );
        let history = reopened.guides().history(&assembly).await.unwrap();
        let sources: Vec<&str> = history.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(sources, ["import", "shipped"]);
    }
}

#[tokio::test]
async fn of_two_editors_of_one_revision_one_saves_and_the_other_is_told() {
    for db in engines().await {
        let by = add(&db.store, "moon.ministry", Role::Ministry, "0000000000").await;
        let slug = Slug::parse("lottery").unwrap();
        let writes = (0..6).map(|i| {
            let store = db.store.clone();
            let slug = slug.clone();
            tokio::spawn(async move {
                store
                    .guides()
                    .update(&slug, text(&format!("# 판 {i}")), 1, by)
                    .await
            })
        });
        let mut saved = 0;
        for w in writes {
            match w.await.unwrap() {
                Ok(()) => saved += 1,
                Err(GuideStoreError::Stale) => {}
                Err(e) => panic!("{}: {e}", db.name),
            }
        }
        assert_eq!(saved, 1, "{}", db.name);
        let g = db.store.guides().get(&slug).await.unwrap().unwrap();
        assert_eq!(g.revision, 2);
        assert_eq!(db.store.guides().history(&slug).await.unwrap().len(), 2);
        let stale = db
            .store
            .guides()
            .update(&slug, text("# 늦은 판"), 1, by)
            .await;
        assert!(matches!(stale, Err(GuideStoreError::Stale)));
        let missing = Slug::parse("nothing-here").unwrap();
        let gone = db.store.guides().update(&missing, text("# x"), 1, by).await;
        assert!(matches!(gone, Err(GuideStoreError::NotFound)));
        let taken = db.store.guides().create(&slug, text("# x"), by).await;
        assert!(matches!(taken, Err(GuideStoreError::Taken)));
    }
}
