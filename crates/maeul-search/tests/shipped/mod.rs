//! The shipped catalogue (`data/programs.csv`) as the import reads it, for the relevance
//! test and the benchmark.

use maeul_core::programme::catalogue::Programme;
use maeul_core::programme::file;

const CATALOGUE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/programs.csv"
));

pub fn shipped() -> Vec<Programme> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(CATALOGUE.as_bytes());
    let rows = reader
        .records()
        .enumerate()
        .map(|(i, r)| (i + 1, r.unwrap().iter().map(str::to_owned).collect()))
        .collect();
    file::read(rows, 2025)
        .unwrap()
        .into_iter()
        .map(|r| r.programme)
        .collect()
}
