//! `maeul case`: the configuration of integrated case management.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use maeul_core::welfare::case::CaseRules;

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Show the deadlines and needs domains in force, or replace them from a TOML file.
    Rules {
        /// A TOML file with every field of the rules (see docs/cases.md).
        #[arg(long)]
        set: Option<PathBuf>,
    },
}

pub async fn run(cli: &Cli, cmd: &CaseCommand) -> anyhow::Result<()> {
    match cmd {
        CaseCommand::Rules { set } => {
            let store = cli.open_store().await?;
            let rules = match set {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    let rules = store
                        .cases()
                        .set_rules(&text)
                        .await
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    println!("case rules replaced from {}", path.display());
                    rules
                }
                None => store.cases().rules().await?,
            };
            print(&rules);
            Ok(())
        }
    }
}

fn print(r: &CaseRules) {
    println!("assessment_days = {}", r.assessment_days);
    println!("classification_days = {}", r.classification_days);
    println!("plan_days = {}", r.plan_days);
    println!("intake_to_plan_days = {}", r.intake_to_plan_days);
    println!("monitoring_days = {}", r.monitoring_days);
    println!("follow_up_days = {}", r.follow_up_days);
    let domains: Vec<String> = r
        .needs_domains
        .iter()
        .map(|(code, name)| format!("[{code:?}, {name:?}]"))
        .collect();
    println!("needs_domains = [{}]", domains.join(", "));
}
