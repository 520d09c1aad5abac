//! `maeul discovery`: rounds of finding households in crisis.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use maeul_core::welfare::discovery::RoundName;
use maeul_discovery::{Model, Phase};
use maeul_store::Store;
use maeul_store::account::Actor;
use maeul_store::welfare::discovery::{Loaded, NewCandidate, NewRound};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum DiscoveryCommand {
    /// Rank households by crisis risk per eup/myeon/dong (specs/discovery.md).
    Run {
        /// households.csv: household_id,emd_code,members,head_age,tags
        #[arg(long)]
        households: PathBuf,
        /// crisis.csv: household_id,indicator,value,observed_on
        #[arg(long)]
        crisis: PathBuf,
        /// model.toml
        #[arg(long)]
        model: PathBuf,
        /// Where to write candidates.csv (written elsewhere, then renamed).
        #[arg(long)]
        out: PathBuf,
        /// Worker threads (default: every core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Load a round into the workspace from the engine's output (specs/welfare-api.md);
    /// prints the round's id on the last line. Loading the same files again changes nothing.
    Load {
        /// The households.csv the round was computed from.
        #[arg(long)]
        households: PathBuf,
        /// The engine's candidates.csv.
        #[arg(long)]
        candidates: PathBuf,
        /// The model.toml of the run.
        #[arg(long)]
        model: PathBuf,
        /// What officials call the round, e.g. "2026-6차".
        #[arg(long)]
        name: String,
        /// First day of the eight-week field window (default: today).
        #[arg(long, value_parser = parse_day)]
        opens_on: Option<time::Date>,
    },
}

fn parse_day(s: &str) -> Result<time::Date, String> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

/// Reads and checks a model file, printing every problem.
fn read_model(path: &PathBuf) -> anyhow::Result<(String, Model)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    match Model::parse(&text) {
        Ok(m) => Ok((text, m)),
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", path.display());
            }
            anyhow::bail!(
                "the model has {} problems; nothing was done",
                problems.len()
            );
        }
    }
}

/// Prints a failed read's problems, at most the first hundred and then their number.
fn report(failure: &maeul_discovery::Failure, what: &str) -> anyhow::Error {
    for p in &failure.problems {
        eprintln!("{}:{}: {}", p.file, p.line, p.message);
    }
    if failure.total > failure.problems.len() {
        eprintln!(
            "… and {} more problems",
            failure.total - failure.problems.len()
        );
    }
    anyhow::anyhow!("{} problems in the input; {what}", failure.total)
}

fn byte_bar(len: u64, label: &str) -> ProgressBar {
    ProgressBar::new(len).with_style(
        ProgressStyle::with_template(&format!(
            "{label:<10} {{bar:40}} {{bytes}}/{{total_bytes}} {{elapsed_precise}}"
        ))
        .expect("valid template"),
    )
}

async fn load(
    cli: &Cli,
    households: &PathBuf,
    candidates: &PathBuf,
    model_path: &PathBuf,
    name: &str,
    opens_on: Option<time::Date>,
) -> anyhow::Result<()> {
    let name = RoundName::parse(name)?;
    let (model_text, model) = read_model(model_path)?;
    let store = cli.open_store().await?;
    let emd_codes = active_emd_codes(&store).await?;
    let size = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let bar = byte_bar(size(households) + size(candidates), "reading");
    let files = {
        let (h, c, m, t, b) = (
            households.clone(),
            candidates.clone(),
            model.clone(),
            model_text.clone(),
            bar.clone(),
        );
        tokio::task::spawn_blocking(move || {
            maeul_discovery::read_round(&h, &c, &t, &m, &emd_codes, &|n| b.inc(n))
        })
        .await?
    };
    bar.finish_and_clear();
    let files = files.map_err(|f| report(&f, "nothing was loaded"))?;
    let places = files
        .listed
        .iter()
        .map(|l| l.candidate.emd_code.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let listed = files.listed.len();
    let round = NewRound {
        name,
        model_name: model.name.clone(),
        model_version: i64::from(model.version),
        model_toml: model_text,
        as_of: model.as_of_text.clone(),
        opens_on: opens_on.unwrap_or_else(|| {
            time::OffsetDateTime::now_utc()
                .to_offset(maeul_core::format::KST)
                .date()
        }),
        digest: files.digest,
        indicators: model
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), i.weight))
            .collect(),
        candidates: files
            .listed
            .into_iter()
            .map(|l| NewCandidate {
                emd_code: l.candidate.emd_code,
                rank: l.candidate.rank as i64,
                household_id: l.candidate.household_id,
                members: i64::from(l.members),
                head_age: i64::from(l.head_age),
                tags: l.tags,
                probability: l.candidate.probability,
                reasons: l.candidate.reasons,
            })
            .collect(),
    };
    let spinner = ProgressBar::new_spinner().with_message("writing the round");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let loaded = store.discovery().load(round, Actor::cli()).await;
    spinner.finish_and_clear();
    match loaded? {
        Loaded::Created(id) => {
            println!("round {id} loaded: {listed} households listed in {places} eup/myeon/dong");
            println!("{id}");
        }
        Loaded::Unchanged(id) => {
            println!("round {id} was loaded from these files before; nothing changed");
            println!("{id}");
        }
    }
    Ok(())
}

pub async fn run(cli: &Cli, cmd: &DiscoveryCommand) -> anyhow::Result<()> {
    match cmd {
        DiscoveryCommand::Load {
            households,
            candidates,
            model,
            name,
            opens_on,
        } => load(cli, households, candidates, model, name, *opens_on).await,
        DiscoveryCommand::Run {
            households,
            crisis,
            model,
            out,
            threads,
        } => {
            let (_, model) = read_model(model)?;
            let emd_codes = active_emd_codes(&cli.open_store().await?).await?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .max(1);
            let bars = MultiProgress::new();
            let bar = |path: &PathBuf, label: &str| {
                bars.add(byte_bar(
                    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                    label,
                ))
            };
            let crisis_bar = bar(crisis, "crisis");
            let households_bar = bar(households, "households");
            let (households, crisis, out) = (households.clone(), crisis.clone(), out.clone());
            let (cb, hb) = (crisis_bar.clone(), households_bar.clone());
            let result = tokio::task::spawn_blocking(move || {
                let on_progress = |phase: Phase, n: u64| match phase {
                    Phase::Crisis => cb.inc(n),
                    Phase::Households => hb.inc(n),
                };
                maeul_discovery::run(
                    &households,
                    &crisis,
                    &model,
                    &emd_codes,
                    threads,
                    &on_progress,
                )
            });
            let result = result.await?;
            crisis_bar.finish();
            households_bar.finish();
            match result {
                Ok(candidates) => {
                    maeul_discovery::write_candidates(&out, &candidates)
                        .with_context(|| format!("writing {}", out.display()))?;
                    println!(
                        "{} households listed in {}",
                        candidates.len(),
                        out.display()
                    );
                    Ok(())
                }
                Err(failure) => Err(report(&failure, "nothing was written")),
            }
        }
    }
}

/// The eup/myeon/dong codes of the region registry.
async fn active_emd_codes(store: &Store) -> anyhow::Result<Vec<String>> {
    let codes = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .map(|r| r.region.code.to_string())
        .collect();
    Ok(codes)
}
