//! `maeul import`: newer releases of reference data.

use std::path::{Path, PathBuf};

use anyhow::Context;
use calamine::{Data, Reader};
use clap::Subcommand;
use maeul_core::region::kikcd::{self, KikcdRow};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A MOIS 행정기관코드 release (KIKcd_H, .xlsx or UTF-8 .csv): adds new codes, updates
    /// names, and marks codes missing from the release as retired (their rows stay).
    Regions { file: PathBuf },
}

pub async fn run(cli: &Cli, cmd: &ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Regions { file } => {
            let rows = read_rows(file)?;
            let registry = match kikcd::build(rows) {
                Ok(r) => r,
                Err(errors) => {
                    for e in errors.iter().take(100) {
                        eprintln!("{}:{}: {}", file.display(), e.line, e.message);
                    }
                    if errors.len() > 100 {
                        eprintln!("… and {} more", errors.len() - 100);
                    }
                    anyhow::bail!(
                        "{} problems in {}; nothing was imported",
                        errors.len(),
                        file.display()
                    );
                }
            };
            let store = cli.open_store().await?;
            let today = time::OffsetDateTime::now_utc()
                .to_offset(maeul_core::format::KST)
                .date()
                .to_string();
            let source = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let report = store.regions().import(&source, registry, &today).await?;
            let c = &report.changes;
            println!(
                "import {}: {} created, {} retired, {} renamed",
                report.import_id,
                c.created.len(),
                c.retired.len(),
                c.renamed.len()
            );
            for (label, codes) in [
                ("created", &c.created),
                ("retired", &c.retired),
                ("renamed", &c.renamed),
            ] {
                for code in codes {
                    println!("  {label} {code}");
                }
            }
            Ok(())
        }
    }
}

/// The rows of a release, from a spreadsheet's first sheet or a CSV file.
fn read_rows(file: &Path) -> anyhow::Result<Vec<KikcdRow>> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ext == "xlsx" || ext == "xls" {
        let mut book = calamine::open_workbook_auto(file)
            .with_context(|| format!("opening {}", file.display()))?;
        let sheet = book
            .sheet_names()
            .first()
            .cloned()
            .context("the workbook has no sheet")?;
        let range = book.worksheet_range(&sheet)?;
        Ok(range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                KikcdRow::from_cells(i + 1, &row.iter().map(cell_text).collect::<Vec<_>>())
            })
            .collect())
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow::anyhow!(
                "{} is not UTF-8: save the CSV as UTF-8 (CP949 is not read)",
                file.display()
            )
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("{}: line {}", file.display(), i + 1))?;
            rows.push(KikcdRow::from_cells(
                i + 1,
                &record.iter().map(str::to_owned).collect::<Vec<_>>(),
            ));
        }
        Ok(rows)
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}
