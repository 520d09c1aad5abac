//! `maeul assembly`: batch work of a resident general assembly (주민총회).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use maeul_core::autonomy::assembly::VotingCode;
use maeul_core::format::KST;
use time::{Date, OffsetDateTime};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum AssemblyCommand {
    /// Give every eligible resident of the community centre's roster a one-time voting code.
    ///
    /// The roster is CSV with the columns `resident_ref,name,birth_date` (YYYY-MM-DD). Residents
    /// below the assembly's minimum age on its closing day get no code and are listed. The
    /// output is CSV `resident_ref,code`, for printing or sending; a resident given a code
    /// again gets a new one and the old one stops working. Only the codes' hashes are stored.
    IssueCodes {
        #[arg(long)]
        assembly: i64,
        #[arg(long)]
        roster: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run(cli: &Cli, cmd: &AssemblyCommand) -> anyhow::Result<()> {
    match cmd {
        AssemblyCommand::IssueCodes {
            assembly,
            roster,
            out,
        } => issue_codes(cli, *assembly, roster, out).await,
    }
}

/// The roster read: references of residents old enough to vote, and the line and reference
/// of each resident who is not.
struct Roster {
    eligible: Vec<String>,
    too_young: Vec<(u64, String)>,
}

/// Reads the roster whole before anything is written: any bad line stops the command.
fn read_roster(path: &Path, admits: impl Fn(Date) -> bool) -> anyhow::Result<Roster> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .with_context(|| format!("{}: no column {name:?}", path.display()))
    };
    let (ref_col, birth_col) = (column("resident_ref")?, column("birth_date")?);
    column("name")?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut seen = std::collections::HashSet::new();
    let (mut eligible, mut too_young) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.with_context(|| format!("{}:{line}", path.display()))?;
        let resident_ref = record.get(ref_col).unwrap_or("").to_owned();
        if resident_ref.is_empty() || resident_ref.chars().count() > 100 {
            bail!(
                "{}:{line}: resident_ref is empty or longer than 100 characters",
                path.display()
            );
        }
        if !seen.insert(resident_ref.clone()) {
            bail!(
                "{}:{line}: resident_ref {resident_ref:?} appears twice",
                path.display()
            );
        }
        let birth = record.get(birth_col).unwrap_or("");
        let birth = Date::parse(birth, format).with_context(|| {
            format!(
                "{}:{line}: birth_date {birth:?} is not YYYY-MM-DD",
                path.display()
            )
        })?;
        if admits(birth) {
            eligible.push(resident_ref);
        } else {
            too_young.push((line, resident_ref));
        }
    }
    Ok(Roster {
        eligible,
        too_young,
    })
}

async fn issue_codes(cli: &Cli, id: i64, roster: &Path, out: &Path) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    let assemblies = store.assemblies();
    let assembly = assemblies
        .get(id)
        .await?
        .with_context(|| format!("no assembly {id}"))?;
    let rules = &assembly.setup.rules;
    // The closing day as the community centre counts it, in Korea Standard Time.
    let closing_day = OffsetDateTime::from_unix_timestamp(rules.closes_at)?
        .to_offset(KST)
        .date();
    let eligibility = rules.eligibility;
    let Roster {
        eligible,
        too_young,
    } = read_roster(roster, |birth| eligibility.admits(birth, closing_day))?;
    let codes: Vec<(String, VotingCode)> = eligible
        .into_iter()
        .map(|r| (r, VotingCode::generate()))
        .collect();

    // The file is written first and put in place only once the codes are stored: a failure
    // leaves neither codes without a file nor a file of codes that do not work.
    let staging = out.with_extension("csv.partial");
    {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&staging)
                .with_context(|| format!("writing {}", staging.display()))?,
        );
        writeln!(w, "resident_ref,code")?;
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut w);
        for (resident_ref, code) in &codes {
            csv.write_record([resident_ref.as_str(), &code.display()])?;
        }
        csv.flush()?;
        drop(csv);
        w.into_inner()?.sync_all()?;
    }
    let bar = ProgressBar::new(codes.len() as u64).with_style(
        ProgressStyle::with_template("codes {bar:30} {pos}/{len} {eta}").expect("a valid template"),
    );
    let progress = bar.clone();
    let stored = assemblies
        .issue_codes(id, codes.clone(), move |n| progress.set_position(n))
        .await;
    bar.finish_and_clear();
    if let Err(e) = stored {
        let _ = std::fs::remove_file(&staging);
        return Err(anyhow::Error::new(e).context(format!("issuing codes for assembly {id}")));
    }
    std::fs::rename(&staging, out).with_context(|| format!("writing {}", out.display()))?;
    for (line, resident_ref) in &too_young {
        eprintln!(
            "{}:{line}: {resident_ref} is younger than {} on {closing_day}: no code",
            roster.display(),
            eligibility.min_age
        );
    }
    println!(
        "{} codes written to {}; {} residents below the minimum age",
        codes.len(),
        out.display(),
        too_young.len()
    );
    Ok(())
}
