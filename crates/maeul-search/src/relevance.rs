//! Measuring a ranking against a judged set: for each text, the programmes a person judged
//! to fit; recall at k (the share of those found in the first k) and nDCG at k (binary
//! relevance: a fitting programme counts more the higher it stands).

use maeul_core::programme::catalogue::Setting;

use crate::catalogue::{Catalogue, Search};

/// One judged text.
#[derive(Debug, Clone)]
pub struct Judged {
    pub text: String,
    /// `읍`, `면` or `동`: the kind of the place whose agenda it is.
    pub place: String,
    /// Names of the programmes that fit.
    pub relevant: Vec<String>,
}

impl Judged {
    /// The setting of the judged place: a 읍 or 면 is rural, a 동 urban.
    pub fn setting(&self) -> Setting {
        match self.place.as_str() {
            "읍" | "면" => Setting::Rural,
            "동" => Setting::Urban,
            _ => Setting::Any,
        }
    }
}

/// The names of the first `k` programmes matching puts forward for a judged text.
pub fn by_matching(catalogue: &Catalogue, j: &Judged, k: usize) -> Vec<String> {
    catalogue
        .match_text(&j.text, j.setting(), k)
        .map(|found| {
            found
                .into_iter()
                .map(|m| m.entry.programme.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The names of the first `k` programmes the plain search (bigram BM25) finds for it.
pub fn by_bm25(catalogue: &Catalogue, j: &Judged, k: usize) -> Vec<String> {
    catalogue
        .search(&Search {
            text: j.text.clone(),
            limit: k,
            ..Search::default()
        })
        .map(|found| {
            found
                .hits
                .into_iter()
                .map(|h| h.entry.programme.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a judged set: CSV with the header `text,place,relevant`, the names in `relevant`
/// separated by `|`.
pub fn read_judged(csv_text: &str) -> Result<Vec<Judged>, String> {
    let mut lines = csv_reader(csv_text);
    let header = lines.next().ok_or("the judged set is empty")?;
    if header != ["text", "place", "relevant"] {
        return Err(format!(
            "the header must be text,place,relevant, not {header:?}"
        ));
    }
    lines
        .enumerate()
        .map(|(i, cells)| match cells.as_slice() {
            [text, place, relevant] => Ok(Judged {
                text: text.clone(),
                place: place.clone(),
                relevant: relevant.split('|').map(|s| s.trim().to_owned()).collect(),
            }),
            _ => Err(format!("line {}: three cells expected", i + 2)),
        })
        .collect()
}

/// A minimal CSV reader (quoted cells, doubled quotes) so that this crate needs no CSV
/// dependency for its own data.
fn csv_reader(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines().filter(|l| !l.trim().is_empty()).map(|line| {
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cell)),
                _ => cell.push(c),
            }
        }
        cells.push(cell);
        cells
    })
}

/// Recall and nDCG at k, averaged over the judged texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    pub k: usize,
    pub queries: usize,
    pub recall: f64,
    pub ndcg: f64,
}

/// Measures `rank` (names, best first) on a judged set.
pub fn evaluate(
    judged: &[Judged],
    k: usize,
    mut rank: impl FnMut(&Judged) -> Vec<String>,
) -> Report {
    let (mut recall, mut ndcg) = (0.0, 0.0);
    for j in judged {
        let ranked = rank(j);
        let top: Vec<&String> = ranked.iter().take(k).collect();
        let hits = |name: &String| j.relevant.contains(name);
        let found = top.iter().filter(|n| hits(n)).count();
        recall += found as f64 / j.relevant.len().min(k).max(1) as f64;
        let dcg: f64 = top
            .iter()
            .enumerate()
            .filter(|(_, n)| hits(n))
            .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..j.relevant.len().min(k))
            .map(|i| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        ndcg += if ideal > 0.0 { dcg / ideal } else { 0.0 };
    }
    let n = judged.len().max(1) as f64;
    Report {
        k,
        queries: judged.len(),
        recall: recall / n,
        ndcg: ndcg / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_ranking_scores_one_and_a_late_one_less() {
        let judged = vec![Judged {
            text: "빈집".into(),
            place: "면".into(),
            relevant: vec!["a".into(), "b".into()],
        }];
        let perfect = evaluate(&judged, 5, |_| vec!["a".into(), "b".into(), "c".into()]);
        assert_eq!((perfect.recall, perfect.ndcg), (1.0, 1.0));
        let late = evaluate(&judged, 5, |_| {
            ["c", "d", "a", "e", "b"].map(String::from).to_vec()
        });
        assert_eq!(late.recall, 1.0);
        assert!(late.ndcg < 1.0 && late.ndcg > 0.0);
        let missed = evaluate(&judged, 2, |_| vec!["c".into(), "a".into()]);
        assert_eq!(missed.recall, 0.5);
    }

    #[test]
    fn the_judged_file_reads_quoted_cells() {
        let j = read_judged("text,place,relevant\n\"빈집, 많아요\",면,가|나\n").unwrap();
        assert_eq!(j[0].text, "빈집, 많아요");
        assert_eq!(j[0].relevant, ["가", "나"]);
        assert!(read_judged("a,b\n").is_err());
    }
}
