//! `maeul backup` and `maeul restore` for the SQLite data directory.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use maeul_store::{DbConfig, Store};

use crate::Cli;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// File to write (must not exist).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `maeul backup`.
    file: PathBuf,
}

/// Holds the data directory for one server; released when dropped.
pub fn lock_data_dir(data_dir: &Path) -> anyhow::Result<File> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let file = File::create(data_dir.join("serve.lock"))?;
    file.try_lock()
        .map_err(|_| anyhow::anyhow!("another maeul server is using {}", data_dir.display()))?;
    Ok(file)
}

pub async fn backup(cli: &Cli, args: &BackupArgs) -> anyhow::Result<()> {
    let DbConfig::Sqlite { .. } = cli.db_config()? else {
        anyhow::bail!("backup copies the SQLite data directory; for PostgreSQL use pg_dump");
    };
    let store = Store::open(cli.db_config()?).await?;
    store.backup_to(&args.out).await?;
    println!("backup written to {}", args.out.display());
    Ok(())
}

pub async fn restore(cli: &Cli, args: &RestoreArgs) -> anyhow::Result<()> {
    let DbConfig::Sqlite { data_dir } = cli.db_config()? else {
        anyhow::bail!("restore replaces the SQLite data directory; for PostgreSQL use pg_restore");
    };
    let _lock = lock_data_dir(&data_dir).context("stop the server before restoring")?;
    maeul_store::restore_sqlite(&data_dir, &args.file).await?;
    println!(
        "restored {} into {}",
        args.file.display(),
        data_dir.display()
    );
    Ok(())
}
