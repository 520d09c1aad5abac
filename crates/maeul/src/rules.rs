//! `maeul case`, `maeul health` and `maeul org`: the configuration of case management, of
//! visiting health care and of organisation models, kept in the database so that every server
//! uses the same.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show the rules in force as TOML, or replace them from a TOML file of the same shape.
    Rules {
        #[arg(long)]
        set: Option<PathBuf>,
    },
}

/// Which rules.
#[derive(Debug, Clone, Copy)]
pub enum Rules {
    /// 통합사례관리: deadlines and needs domains (docs/cases.md).
    Case,
    /// 방문건강관리: cadences and thresholds (docs/health.md).
    Health,
    /// 조직 모형: the target day and each model's teams (docs/organisation.md).
    Org,
}

pub async fn run(cli: &Cli, which: Rules, cmd: &RulesCommand) -> anyhow::Result<()> {
    let RulesCommand::Rules { set } = cmd;
    let store = cli.open_store().await?;
    if let Some(path) = set {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let refused = |e: String| anyhow::anyhow!("{}: {e}", path.display());
        match which {
            Rules::Case => {
                store
                    .cases()
                    .set_rules(&text)
                    .await
                    .map_err(|e| refused(e.to_string()))?;
            }
            Rules::Health => {
                store.health().set_rules(&text).await.map_err(refused)?;
            }
            Rules::Org => {
                store.org_models().set_rules(&text).await.map_err(refused)?;
            }
        }
        println!("rules replaced from {}", path.display());
    }
    let text = match which {
        Rules::Case => store.cases().rules().await?.to_toml(),
        Rules::Health => store.health().rules().await?.to_toml(),
        Rules::Org => store.org_models().rules().await?.to_toml(),
    };
    print!("{text}");
    Ok(())
}
