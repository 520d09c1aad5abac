//! `maeul import`: newer releases of reference data.

use std::path::{Path, PathBuf};

use anyhow::Context;
use calamine::{Data, Reader};
use clap::Subcommand;
use maeul_core::autonomy::council::{Council, CouncilStatus, StatusCounts};
use maeul_core::format::parse_day;
use maeul_core::org::model as org_model;
use maeul_core::region::kikcd::{self, KikcdRow};
use maeul_core::region::{RegionCode, RegionKind};
use maeul_core::sheet::{Column, LineError, blank, cell, col, positions};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A MOIS 행정기관코드 release (KIKcd_H, .xlsx or UTF-8 .csv): adds new codes, updates
    /// names, and marks codes missing from the release as retired (their rows stay).
    Regions { file: PathBuf },
    /// Council status per eup/myeon/dong (주민자치회 구성 현황, .xlsx or UTF-8 .csv) with a
    /// header row: `region_code,status,ordinance,ordinance_on,pilot_designated_on` (or the
    /// Korean 행정기관코드, 구성단계, 근거조례, 조례제정일, 시범실시지정일). All rows or none.
    Councils { file: PathBuf },
    /// Organisation models per eup/myeon/dong (조직 모형, .xlsx or UTF-8 .csv) in the columns
    /// of the download on `/org-models/{code}`: `region_code,region,model,since,planned_model,
    /// planned_on,teams` (or 행정기관코드, 읍면동, 조직모형, 전환일, 전환예정모형, 전환예정일, 팀);
    /// `region_code` and `model` needed, a row without a model skipped, teams separated by `;`.
    /// Checked against the manual's rule and the configured teams. All rows or none.
    OrgModels { file: PathBuf },
    /// The programme catalogue (.xlsx or UTF-8 .csv): the columns of `data/programs.csv`
    /// (`ministry,program,target,summary,source`) at least; also `id`, `year`, `target_units`,
    /// `topics`, `eligibility`, `amount_min`, `amount_max`, `years`, `opens_on`, `closes_on`,
    /// `as_of` (or the Korean headers of the XLSX export). A row with an `id` updates that
    /// programme; else one of the same ministry and name; else it is a new programme.
    /// All rows or none.
    Programmes {
        file: PathBuf,
        /// The year of rows that give none (this year by default).
        #[arg(long)]
        year: Option<i32>,
    },
}

pub async fn run(cli: &Cli, cmd: &ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Councils { file } => councils(cli, file).await,
        ImportCommand::OrgModels { file } => org_models(cli, file).await,
        ImportCommand::Programmes { file, year } => programmes(cli, file, *year).await,
        ImportCommand::Regions { file } => {
            let rows: Vec<KikcdRow> = read_cells(file)?
                .into_iter()
                .map(|(line, cells)| KikcdRow::from_cells(line, &cells))
                .collect();
            let registry = match kikcd::build(rows) {
                Ok(r) => r,
                Err(errors) => {
                    let errors: Vec<LineError> =
                        errors.into_iter().map(|e| (e.line, e.message)).collect();
                    return Err(refuse(file, &errors));
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

/// The rows of a file with their line numbers, from a spreadsheet's first sheet or a CSV file.
fn read_cells(file: &Path) -> anyhow::Result<Vec<(usize, Vec<String>)>> {
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
            .map(|(i, row)| (i + 1, row.iter().map(cell_text).collect()))
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
            rows.push((i + 1, record.iter().map(str::to_owned).collect()));
        }
        Ok(rows)
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        // A date typed in Excel is a serial day number: write it as YYYY-MM-DD.
        Data::DateTime(d) => excel_day(d.as_f64()).unwrap_or_default(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// An Excel serial day (days since 1899-12-30, the 1900 date system) as `YYYY-MM-DD`.
fn excel_day(serial: f64) -> Option<String> {
    const DAY_ZERO_JULIAN: i32 = 2_415_019; // 1899-12-30
    let days = i32::try_from(serial.floor() as i64).ok()?;
    time::Date::from_julian_day(DAY_ZERO_JULIAN.checked_add(days)?)
        .ok()
        .map(|d| d.to_string())
}

/// The columns of a council status file, by their English or Korean header.
const COUNCIL_COLUMNS: [Column; 5] = [
    col("region_code", &[], "행정기관코드"),
    col("status", &[], "구성단계"),
    col("ordinance", &[], "근거조례"),
    col("ordinance_on", &[], "조례제정일"),
    col("pilot_designated_on", &[], "시범실시지정일"),
];

/// Reads council status rows; every wrong line is reported with its number.
fn council_rows(
    rows: Vec<(usize, Vec<String>)>,
    places: &std::collections::HashSet<String>,
) -> Result<Vec<(RegionCode, Council)>, Vec<LineError>> {
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(vec![(1, "the file is empty".into())]);
    };
    let at = positions(&header, &COUNCIL_COLUMNS);
    if at[0].is_none() || at[1].is_none() {
        return Err(vec![(
            1,
            "the header needs region_code and status (행정기관코드, 구성단계)".into(),
        )]);
    }
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for (line, cells) in rows {
        let cell = |i: usize| cell(&at, &cells, i);
        if blank(&cells) {
            continue;
        }
        let code = match RegionCode::parse(cell(0)) {
            Ok(c) if places.contains(c.as_str()) => c,
            _ => {
                errors.push((
                    line,
                    format!("{:?} is not an active eup/myeon/dong code", cell(0)),
                ));
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            errors.push((line, format!("{code} appears twice")));
            continue;
        }
        let Some(status) = CouncilStatus::parse(cell(1)) else {
            errors.push((line, format!("{:?} is not a council stage", cell(1))));
            continue;
        };
        let day = |i: usize| match cell(i) {
            "" => Ok(None),
            s => parse_day(s)
                .map(Some)
                .ok_or_else(|| format!("{s:?} is not a date ({})", COUNCIL_COLUMNS[i].name)),
        };
        let council = day(3).and_then(|ordinance_on| {
            let pilot = day(4)?;
            Council::new(Council {
                status,
                ordinance: Some(cell(2).to_owned()),
                ordinance_on,
                pilot_designated_on: pilot,
            })
            .map_err(|e| e.to_string())
        });
        match council {
            Ok(c) => out.push((code, c)),
            Err(e) => errors.push((line, e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

async fn councils(cli: &Cli, file: &Path) -> anyhow::Result<()> {
    let rows = read_cells(file)?;
    let store = cli.open_store().await?;
    let places = crate::discovery::active_emd_codes(&store)
        .await?
        .into_iter()
        .collect();
    let records = match council_rows(rows, &places) {
        Ok(r) => r,
        Err(errors) => return Err(refuse(file, &errors)),
    };
    let mut counts = StatusCounts::default();
    for (_, c) in &records {
        counts.add(c.status, 1);
    }
    store.councils().import(records).await?;
    println!(
        "{} councils recorded: {} established, {} pilot, {} committee, {} none",
        counts.total(),
        counts.established,
        counts.pilot,
        counts.committee,
        counts.none
    );
    Ok(())
}

async fn org_models(cli: &Cli, file: &Path) -> anyhow::Result<()> {
    let rows = read_cells(file)?;
    let store = cli.open_store().await?;
    let kinds: std::collections::HashMap<String, RegionKind> = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .map(|r| (r.region.code.to_string(), r.region.kind))
        .collect();
    let rules = store.org_models().rules().await?;
    let records = org_model::read(rows, |c| kinds.get(c.as_str()).copied(), &rules)
        .map_err(|errors| refuse(file, &errors))?;
    let n = records.len();
    store.org_models().import(records).await?;
    println!("{n} organisation models recorded");
    Ok(())
}

/// Prints every wrong line as `file:line: message` and fails with nothing imported.
fn refuse(file: &Path, errors: &[LineError]) -> anyhow::Error {
    for (line, e) in errors.iter().take(100) {
        eprintln!("{}:{line}: {e}", file.display());
    }
    if errors.len() > 100 {
        eprintln!("… and {} more", errors.len() - 100);
    }
    anyhow::anyhow!(
        "{} problems in {}; nothing was imported",
        errors.len(),
        file.display()
    )
}

async fn programmes(cli: &Cli, file: &Path, year: Option<i32>) -> anyhow::Result<()> {
    let default_year = year.unwrap_or_else(|| {
        time::OffsetDateTime::now_utc()
            .to_offset(maeul_core::format::KST)
            .year()
    });
    let rows = read_cells(file)?;
    let rows = maeul_core::programme::file::read(rows, default_year)
        .map_err(|errors| refuse(file, &errors))?;
    let store = cli.open_store().await?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = rows.len();
    let summary = match store.programmes().import(rows, name).await {
        Ok(s) => s,
        Err(maeul_store::programme::ProgrammeStoreError::UnknownId { line, id }) => {
            return Err(refuse(
                file,
                &[(line, format!("no programme has the id {id}"))],
            ));
        }
        Err(e) => return Err(e.into()),
    };
    println!(
        "{n} programmes read: {} new, {} changed, {} unchanged",
        summary.created, summary.updated, summary.unchanged
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_serial_days_read_as_dates() {
        assert_eq!(super::excel_day(46_083.0).as_deref(), Some("2026-03-02"));
        assert_eq!(super::excel_day(45_658.0).as_deref(), Some("2025-01-01"));
        assert_eq!(super::excel_day(1.5).as_deref(), Some("1899-12-31"));
    }
}
