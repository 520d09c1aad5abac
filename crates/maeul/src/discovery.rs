//! `maeul discovery`: rounds of finding households in crisis.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use maeul_discovery::{Model, Phase};

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
}

pub async fn run(cli: &Cli, cmd: &DiscoveryCommand) -> anyhow::Result<()> {
    match cmd {
        DiscoveryCommand::Run {
            households,
            crisis,
            model,
            out,
            threads,
        } => {
            let text = std::fs::read_to_string(model)
                .with_context(|| format!("reading {}", model.display()))?;
            let model = match Model::parse(&text) {
                Ok(m) => m,
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{}: {p}", model.display());
                    }
                    anyhow::bail!(
                        "the model has {} problems; nothing was written",
                        problems.len()
                    );
                }
            };
            let emd_codes = active_emd_codes(cli).await?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .max(1);
            let bars = MultiProgress::new();
            let bar = |path: &PathBuf, label: &'static str| {
                let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                bars.add(
                    ProgressBar::new(len).with_style(
                        ProgressStyle::with_template(&format!(
                            "{label:<10} {{bar:40}} {{bytes}}/{{total_bytes}} {{elapsed_precise}}"
                        ))
                        .expect("valid template"),
                    ),
                )
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
                Err(failure) => {
                    for p in &failure.problems {
                        eprintln!("{}:{}: {}", p.file, p.line, p.message);
                    }
                    if failure.total > failure.problems.len() {
                        eprintln!(
                            "… and {} more problems",
                            failure.total - failure.problems.len()
                        );
                    }
                    anyhow::bail!(
                        "{} problems in the input; nothing was written",
                        failure.total
                    )
                }
            }
        }
    }
}

/// The eup/myeon/dong codes of the region registry.
async fn active_emd_codes(cli: &Cli) -> anyhow::Result<Vec<String>> {
    let store = cli.open_store().await?;
    let codes = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .map(|r| r.region.code.to_string())
        .collect();
    Ok(codes)
}
