//! `maeul lottery verify`: re-runs a published council member lottery from its record.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use maeul_core::autonomy::lottery::{Record, Seat, verify};

#[derive(Debug, Subcommand)]
pub enum LotteryCommand {
    /// Re-runs the draw of a record (as downloaded from `/api/v1/lotteries/{id}/record`)
    /// and checks that it gives the published members, alternates and order. Needs no
    /// database: anyone can run it.
    Verify { record: PathBuf },
}

pub fn run(cmd: &LotteryCommand) -> anyhow::Result<()> {
    match cmd {
        LotteryCommand::Verify { record } => {
            let text = std::fs::read_to_string(record)
                .with_context(|| format!("reading {}", record.display()))?;
            let record: Record = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a lottery record", record.display()))?;
            verify(&record)?;
            let o = &record.outcome;
            println!(
                "the draw is reproduced: seed {:?}, {} applications, {} eligible",
                record.seed,
                record.applications.len(),
                o.order.len()
            );
            for (i, m) in o.members.iter().enumerate() {
                let seat = match m.seat {
                    Seat::Open => "open".to_owned(),
                    Seat::Reserved(c) => format!("reserved for {}", c.as_str()),
                };
                println!("  member {:>3}  {}  ({seat})", i + 1, m.number);
            }
            for (i, a) in o.alternates.iter().enumerate() {
                println!("  alternate {:>3}  {a}", i + 1);
            }
            if o.unfilled > 0 {
                println!("  {} seats left empty", o.unfilled);
            }
            Ok(())
        }
    }
}
