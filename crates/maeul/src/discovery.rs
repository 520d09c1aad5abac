//! `maeul discovery`: rounds of finding households in crisis.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use maeul_core::audit::Purpose;
use maeul_core::welfare::discovery::{Outcome, RoundName};
use maeul_discovery::fit::Sample;
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
    /// Refit a round's model from the outcomes its visits recorded (logistic regression) and
    /// write the next version of the model; reports how the new model would have ranked the
    /// visited households.
    Fit {
        /// The round whose outcomes teach the model.
        #[arg(long)]
        round: i64,
        /// The crisis.csv the round was computed from.
        #[arg(long)]
        crisis: PathBuf,
        /// Where to write the new model.toml.
        #[arg(long)]
        out: PathBuf,
        /// Strength of the L2 penalty on the weights.
        #[arg(long, default_value_t = 1.0)]
        l2: f64,
        /// Folds of the cross-validation behind the report.
        #[arg(long, default_value_t = 5)]
        folds: usize,
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
        DiscoveryCommand::Fit {
            round,
            crisis,
            out,
            l2,
            folds,
        } => fit(cli, *round, crisis, out, *l2, *folds).await,
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
pub(crate) async fn active_emd_codes(store: &Store) -> anyhow::Result<Vec<String>> {
    let codes = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .map(|r| r.region.code.to_string())
        .collect();
    Ok(codes)
}

/// Households whose outcome says whether they needed support (unreachable and refused say
/// nothing) fewer than this, or without both answers, cannot teach a model.
const FEWEST_LABELS: usize = 20;

async fn fit(
    cli: &Cli,
    round_id: i64,
    crisis: &PathBuf,
    out: &PathBuf,
    l2: f64,
    folds: usize,
) -> anyhow::Result<()> {
    anyhow::ensure!(l2.is_finite() && l2 >= 0.0, "--l2 is a number ≥ 0");
    let store = cli.open_store().await?;
    let round = store
        .discovery()
        .round(Some(round_id))
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no round {round_id}"))?;
    let model_text = store.discovery().model_text(round.id).await?;
    let model = Model::parse(&model_text)
        .map_err(|p| anyhow::anyhow!("the round's model cannot be read: {}", p.join("; ")))?;
    let purpose = Purpose::parse("발굴 모형 재적합 (maeul discovery fit)")?;
    let labelled: Vec<_> = store
        .discovery()
        .labelled(round.id, Actor::cli(), purpose)
        .await?
        .into_iter()
        .filter_map(|l| {
            let needed = match l.outcome? {
                Outcome::Unreachable | Outcome::Refused => return None,
                o => o.needed_support(),
            };
            Some((l.household_id, l.tags, needed))
        })
        .collect();
    let needed = labelled.iter().filter(|l| l.2).count();
    anyhow::ensure!(
        labelled.len() >= FEWEST_LABELS && needed > 0 && needed < labelled.len(),
        "round {round_id} has {} visited households with a telling outcome ({needed} needed support); \
         at least {FEWEST_LABELS} with both answers are needed",
        labelled.len()
    );
    let ids = labelled.iter().map(|l| l.0.clone()).collect();
    let bar = byte_bar(
        std::fs::metadata(crisis).map(|m| m.len()).unwrap_or(0),
        "crisis",
    );
    let (crisis_path, m) = (crisis.clone(), model.clone());
    let features = tokio::task::spawn_blocking(move || {
        maeul_discovery::fit::indicator_features(&crisis_path, &m, &ids)
    })
    .await?;
    bar.finish_and_clear();
    let features = features.map_err(|f| report(&f, "no model was written"))?;
    let samples: Vec<Sample> = labelled
        .iter()
        .map(|(id, tags, needed)| {
            let mut x = features.get(id).cloned().unwrap_or_default();
            x.extend(
                model
                    .tags
                    .iter()
                    .map(|(t, _)| if tags.contains(t) { 1.0 } else { 0.0 }),
            );
            Sample {
                features: x,
                needed_support: *needed,
            }
        })
        .collect();
    let width = model.indicators.len() + model.tags.len();
    let old = maeul_discovery::fit::Fit {
        intercept: model.intercept,
        weights: model
            .indicators
            .iter()
            .map(|i| i.weight)
            .chain(model.tags.iter().map(|(_, w)| *w))
            .collect(),
    };
    let refit = maeul_discovery::fit::logistic(&samples, width, l2);
    let held_out = maeul_discovery::fit::held_out_scores(&samples, width, l2, folds);
    let size = samples.len() / 2;
    let rank = |scores: Vec<f64>| {
        let pairs: Vec<(f64, bool)> = scores
            .into_iter()
            .zip(samples.iter().map(|s| s.needed_support))
            .collect();
        maeul_discovery::fit::needed_in_top(&pairs, size)
    };
    let old_hits = rank(samples.iter().map(|s| old.z(&s.features)).collect());
    let new_hits = rank(held_out);
    let text = maeul_discovery::fit::refitted_toml(&model, &refit);
    Model::parse(&text).map_err(|p| anyhow::anyhow!("the refitted model is invalid: {p:?}"))?;
    let tmp = out.with_extension("toml.tmp");
    std::fs::write(&tmp, &text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "round {round_id}: {} visited households with a telling outcome, {needed} needed support",
        samples.len()
    );
    println!(
        "of the {size} each model ranks highest: version {} finds {old_hits}, version {} finds {new_hits} \
         (cross-validated, {folds} folds)",
        model.version,
        model.version + 1
    );
    println!(
        "model {} version {} written to {}",
        model.name,
        model.version + 1,
        out.display()
    );
    Ok(())
}
