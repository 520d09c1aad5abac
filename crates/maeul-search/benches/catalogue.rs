//! Search and matching over a generated catalogue of 10,000 programmes, in process, against
//! SQLite FTS5 with its trigram tokenizer on the same catalogue (the baseline), and the
//! relevance of both on the judged set over the shipped catalogue.
//!
//! `cargo bench -p maeul-search --bench catalogue` (settings: `PROGRAMMES`, `ROUNDS`).

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use maeul_core::programme::catalogue::{Programme, Setting};
use maeul_core::programme::file;
use maeul_search::catalogue::{Catalogue, Entry, Search};
use maeul_search::relevance::{by_bm25, by_matching, evaluate, read_judged};

#[path = "../tests/shipped/mod.rs"]
mod shipped;
use shipped::shipped;

const JUDGED: &str = include_str!("../../../data/programme-matching/judged.csv");

const QUERIES: [&str; 20] = [
    "빈집",
    "청년",
    "돌봄",
    "주차",
    "도시재생",
    "어촌",
    "전통시장",
    "마을",
    "일자리",
    "안전",
    "문화도시",
    "스마트",
    "귀농 귀촌",
    "공동체 공간",
    "집수리",
    "상권",
    "인구감소",
    "농촌 재생",
    "관광",
    "교육",
];

/// A catalogue of `n` made-up programmes built from the shipped ones' words.
fn generated(n: usize) -> Vec<Entry> {
    let base = shipped();
    let prefixes = [
        "주민참여형",
        "스마트",
        "지역",
        "농어촌",
        "도시",
        "청년",
        "마을",
        "공동체",
        "생활",
        "안전",
        "association",
        "그린",
        "로컬",
        "작은",
        "통합",
    ];
    let suffixes = [
        "지원사업",
        "육성사업",
        "시범사업",
        "공모사업",
        "활성화 사업",
        "조성사업",
    ];
    let mut seed: u64 = 20261125;
    let mut next = |m: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let a = &base[next(base.len())];
            let b = &base[next(base.len())];
            let words: Vec<&str> = a.name.split_whitespace().collect();
            // Numbered, so that no two share a ministry and a name.
            let name = format!(
                "{} {} {} {}",
                prefixes[next(prefixes.len())],
                words[next(words.len())],
                suffixes[next(suffixes.len())],
                i + 1
            );
            let programme = Programme::new(Programme {
                ministry: b.ministry.clone(),
                name,
                summary: format!("{} {}", a.summary, b.summary),
                target: b.target.clone(),
                amount_max: Some((next(300) as i64 + 1) * 10_000_000),
                ..Programme::default()
            })
            .unwrap();
            Entry {
                id: i as i64 + 1,
                year: 2026,
                programme,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "{name:<44} n={:<6} p50 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
        times.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
    (p50, p99)
}

/// An FTS5 table with the trigram tokenizer over the same fields.
fn fts5(entries: &[Entry]) -> SqliteConnection {
    let mut c = SqliteConnection::establish(":memory:").unwrap();
    c.batch_execute(
        "CREATE VIRTUAL TABLE fts USING fts5(name, summary, target, ministry, tokenize = 'trigram');",
    )
    .unwrap();
    c.batch_execute("BEGIN").unwrap();
    for e in entries {
        let p = &e.programme;
        diesel::sql_query(
            "INSERT INTO fts (rowid, name, summary, target, ministry) VALUES (?, ?, ?, ?, ?)",
        )
        .bind::<BigInt, _>(e.id)
        .bind::<Text, _>(&p.name)
        .bind::<Text, _>(&p.summary)
        .bind::<Text, _>(&p.target)
        .bind::<Text, _>(&p.ministry)
        .execute(&mut c)
        .unwrap();
    }
    c.batch_execute("COMMIT").unwrap();
    c
}

/// The FTS5 query for a text: its words of three characters or more (shorter ones cannot
/// be searched with trigrams), each quoted, OR-ed.
fn fts5_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" OR "))
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    rowid: i64,
}

/// Every match, best first (BM25 with the name weighing three times), as our search reads
/// every match for its total and facets.
fn fts5_search(c: &mut SqliteConnection, text: &str) -> Vec<i64> {
    let Some(q) = fts5_query(text) else {
        return Vec::new();
    };
    diesel::sql_query(
        "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.0, 0.5, 0.5)",
    )
    .bind::<Text, _>(q)
    .load::<Row>(c)
    .unwrap()
    .into_iter()
    .map(|r| r.rowid)
    .collect()
}

fn main() {
    let n: usize = std::env::var("PROGRAMMES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);

    // Relevance on the judged set over the shipped catalogue.
    let judged = read_judged(JUDGED).unwrap();
    let entries: Vec<Entry> = shipped()
        .into_iter()
        .enumerate()
        .map(|(i, p)| Entry {
            id: i as i64 + 1,
            year: 2025,
            programme: p,
        })
        .collect();
    let mut fts_small = fts5(&entries);
    let names: Vec<String> = entries.iter().map(|e| e.programme.name.clone()).collect();
    let small = Catalogue::build(entries).unwrap();
    let ours = evaluate(&judged, 5, |j| by_matching(&small, j, 5));
    let bm25 = evaluate(&judged, 5, |j| by_bm25(&small, j, 5));
    let trigram = evaluate(&judged, 5, |j| {
        fts5_search(&mut fts_small, &j.text)
            .into_iter()
            .take(5)
            .map(|id| names[id as usize - 1].clone())
            .collect()
    });
    println!(
        "relevance on the judged set ({} texts, shipped catalogue):",
        ours.queries
    );
    for (name, r) in [
        ("matching (bigrams, topics, place)", ours),
        ("bigram BM25 alone", bm25),
        ("SQLite FTS5 trigram", trigram),
    ] {
        println!(
            "  {name:<36} recall@5 {:.3}  nDCG@5 {:.3}",
            r.recall, r.ndcg
        );
    }

    // Speed over a generated catalogue (also written as an import file when asked, for the
    // HTTP measurement of benches/catalogue/run.sh).
    let entries = generated(n);
    if let Ok(path) = std::env::var("CATALOGUE_CSV") {
        let mut w = csv::Writer::from_path(&path).unwrap();
        w.write_record(file::COLUMNS.iter().map(|c| c.name))
            .unwrap();
        for e in &entries {
            let mut cells = file::cells(e.id, e.year, &e.programme, false);
            cells[0].clear(); // new programmes in the server's catalogue
            w.write_record(&cells).unwrap();
        }
        w.flush().unwrap();
        println!("wrote {n} programmes to {path}");
    }
    let started = Instant::now();
    let mut fts_big = fts5(&entries);
    let fts_build = started.elapsed();
    let started = Instant::now();
    let catalogue = Catalogue::build(entries).unwrap();
    let build = started.elapsed();
    println!(
        "\n{n} programmes: index built in {:.0} ms (FTS5 trigram table {:.0} ms)",
        build.as_secs_f64() * 1e3,
        fts_build.as_secs_f64() * 1e3
    );
    let texts: Vec<String> = QUERIES
        .iter()
        .map(|q| q.to_string())
        .chain(judged.iter().map(|j| j.text.clone()))
        .collect();
    let (mut search, mut filtered, mut matching, mut fts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut short, mut sentences) = (Vec::new(), Vec::new());
    let mut total = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            let s = Instant::now();
            let found = catalogue
                .search(&Search {
                    text: t.clone(),
                    limit: 20,
                    ..Search::default()
                })
                .unwrap();
            search.push(s.elapsed());
            if QUERIES.contains(&t.as_str()) {
                short.push(s.elapsed());
            } else {
                sentences.push(s.elapsed());
            }
            total += found.total;
            let s = Instant::now();
            let found = catalogue
                .search(&Search {
                    text: t.clone(),
                    topic: Some(maeul_core::topic::Topic::Housing),
                    min_amount: Some(500_000_000),
                    limit: 20,
                    ..Search::default()
                })
                .unwrap();
            filtered.push(s.elapsed());
            total += found.total;
            let s = Instant::now();
            total += catalogue.match_text(t, Setting::Rural, 5).unwrap().len();
            matching.push(s.elapsed());
            let s = Instant::now();
            total += fts5_search(&mut fts_big, t).len();
            fts.push(s.elapsed());
        }
    }
    println!("(sum of results, to keep the work: {total})");
    let (_, ours) = report("search: page of 20, total and facets", search);
    report("  of which words typed in the box (20)", short);
    report("  of which agenda sentences (16)", sentences);
    report("search with topic and amount filters", filtered);
    report("matching: top 5 with reasons", matching);
    let (_, base) = report("SQLite FTS5 trigram: every match ranked", fts);
    println!(
        "p99 ratio, our search ÷ FTS5 trigram: {:.2}",
        ours.as_secs_f64() / base.as_secs_f64()
    );
}
