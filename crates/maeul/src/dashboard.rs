//! `maeul dashboard`: print a region's figures for scripts, check the kept roll-ups against a
//! full recount, and rebuild them.

use clap::Subcommand;
use maeul_core::dashboard::panels;
use maeul_core::region::RegionCode;

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum DashboardCommand {
    /// Print a region's figures (`0000000000` for the nation), a line per topic and code:
    /// `topic<TAB>code<TAB>count`.
    Show { region_code: String },
    /// Compare every kept roll-up with a full recount of the records; fails on any difference.
    Check,
    /// Count every roll-up again from the records.
    Rebuild,
}

pub async fn run(cli: &Cli, cmd: &DashboardCommand) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    let dashboards = store.dashboards();
    match cmd {
        DashboardCommand::Show { region_code } => {
            let code = RegionCode::parse(region_code)
                .map_err(|e| anyhow::anyhow!("{region_code}: {e}"))?;
            if store.regions().get(&code).await?.is_none() {
                anyhow::bail!("{region_code}: no such region");
            }
            let figures = dashboards.figures(&code).await?;
            for p in panels(&figures.figures) {
                for (c, n) in &p.rows {
                    println!("{}\t{c}\t{n}", p.topic.as_str());
                }
            }
        }
        DashboardCommand::Check => {
            let mismatches = dashboards.check().await?;
            for m in mismatches.iter().take(20) {
                eprintln!(
                    "{} {}: kept {}, counted {}",
                    m.region_code, m.metric, m.kept, m.counted
                );
            }
            if !mismatches.is_empty() {
                anyhow::bail!(
                    "{} roll-ups differ from a full recount; `maeul dashboard rebuild` counts them again",
                    mismatches.len()
                );
            }
            println!("every roll-up equals a full recount");
        }
        DashboardCommand::Rebuild => {
            dashboards.rebuild().await?;
            println!("roll-ups counted again");
        }
    }
    Ok(())
}
