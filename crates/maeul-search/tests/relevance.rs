//! The matching ranking on the judged set (`data/programme-matching/judged.csv`) over the
//! shipped catalogue, against plain BM25 on the same index as the baseline. Run with
//! `--nocapture` to read the figures; BENCHMARKS.md keeps them.

mod shipped;

use maeul_search::catalogue::{Catalogue, Entry};
use maeul_search::relevance::{by_bm25, by_matching, evaluate, read_judged};

const JUDGED: &str = include_str!("../../../data/programme-matching/judged.csv");

#[test]
fn matching_finds_the_judged_programmes_and_beats_plain_bm25() {
    let entries = shipped::shipped()
        .into_iter()
        .enumerate()
        .map(|(i, programme)| Entry {
            id: i as i64 + 1,
            year: 2025,
            programme,
        })
        .collect();
    let catalogue = Catalogue::build(entries).unwrap();
    let judged = read_judged(JUDGED).unwrap();
    assert!(judged.len() >= 15);
    let matched = evaluate(&judged, 5, |j| by_matching(&catalogue, j, 5));
    let bm25 = evaluate(&judged, 5, |j| by_bm25(&catalogue, j, 5));
    println!(
        "judged set, {} texts: matching recall@5 {:.3} nDCG@5 {:.3}; plain BM25 recall@5 {:.3} nDCG@5 {:.3}",
        matched.queries, matched.recall, matched.ndcg, bm25.recall, bm25.ndcg
    );
    for j in &judged {
        let top = by_matching(&catalogue, j, 5);
        let missed: Vec<&String> = j.relevant.iter().filter(|r| !top.contains(r)).collect();
        if !missed.is_empty() {
            println!("  {} → missed {missed:?}; top {top:?}", j.text);
        }
    }
    assert!(matched.recall >= 0.7, "recall@5 {:.3}", matched.recall);
    assert!(matched.ndcg >= bm25.ndcg, "{matched:?} vs {bm25:?}");
}
