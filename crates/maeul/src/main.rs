//! `maeul`: one binary for the web server and the batch work around it.

mod assembly;
mod backup;
mod dashboard;
mod discovery;
mod guide;
mod import;
mod lottery;
mod rules;
mod seed;
mod serve;
mod user;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use maeul_store::{DbConfig, Store};

/// 마을 — 주민자치형 공공서비스 플랫폼 (platform for resident-autonomy public services).
#[derive(Debug, Parser)]
#[command(name = "maeul", version, about)]
struct Cli {
    /// Data directory for the SQLite database (ignored with --database-url).
    #[arg(
        long,
        global = true,
        env = "MAEUL_DATA_DIR",
        default_value = "./maeul-data"
    )]
    data_dir: PathBuf,
    /// PostgreSQL URL (postgres://user@host/db); without it, SQLite in the data directory.
    #[arg(long, global = true, env = "MAEUL_DATABASE_URL")]
    database_url: Option<String>,
    /// The data key that seals personal identifiers and notes (kept outside the database;
    /// created on first use). Default: `data.key` in the data directory.
    #[arg(long, global = true, env = "MAEUL_DATA_KEY_FILE")]
    data_key: Option<PathBuf>,
    /// Log as JSON lines instead of text.
    #[arg(long, global = true, env = "MAEUL_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web UI and the JSON API (migrates, and loads regions and demo data when empty).
    Serve(serve::ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Make demo or benchmark data, deterministically.
    Seed(seed::SeedArgs),
    /// Find households in crisis from indicator feeds.
    #[command(subcommand)]
    Discovery(discovery::DiscoveryCommand),
    /// Integrated case management (통합사례관리).
    #[command(subcommand)]
    Case(rules::RulesCommand),
    /// Visiting health care (방문건강관리).
    #[command(subcommand)]
    Health(rules::RulesCommand),
    /// Organisation models of the eup/myeon/dong (조직 모형): the target day and teams.
    #[command(subcommand)]
    Org(rules::RulesCommand),
    /// Dashboards (대시보드): print a region's figures, check or rebuild the roll-ups.
    #[command(subcommand)]
    Dashboard(dashboard::DashboardCommand),
    /// Guides (안내서): export them as Markdown files, or import such files.
    #[command(subcommand)]
    Guide(guide::GuideCommand),
    /// Resident general assemblies (주민총회): voting codes.
    #[command(subcommand)]
    Assembly(assembly::AssemblyCommand),
    /// Council member lotteries (공개추첨): check a published draw.
    #[command(subcommand)]
    Lottery(lottery::LotteryCommand),
    /// Import reference data.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Manage users and their grants.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Copy the SQLite database to a file while the server keeps running.
    Backup(backup::BackupArgs),
    /// Replace the SQLite database with a backup (the server must be stopped).
    Restore(backup::RestoreArgs),
}

impl Cli {
    fn db_config(&self) -> anyhow::Result<DbConfig> {
        Ok(DbConfig::new(&self.data_dir, self.database_url.as_deref())?)
    }

    async fn open_store(&self) -> anyhow::Result<Store> {
        let store = Store::open(self.db_config()?).await?;
        store.regions().load_shipped_if_empty().await?;
        store.programmes().load_shipped_if_empty().await?;
        let key_file = self
            .data_key
            .clone()
            .unwrap_or_else(|| self.data_dir.join("data.key"));
        let key = tokio::task::spawn_blocking(move || maeul_store::keys::load_or_create(&key_file))
            .await??;
        Ok(store.with_data_key(key).await?)
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MAEUL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let result = match &cli.command {
        Command::Serve(args) => serve::run(&cli, args).await,
        Command::Migrate => cli
            .open_store()
            .await
            .map(|_| println!("migrations applied")),
        Command::Seed(args) => seed::run(&cli, args).await,
        Command::Discovery(cmd) => discovery::run(&cli, cmd).await,
        Command::Import(cmd) => import::run(&cli, cmd).await,
        Command::Assembly(cmd) => assembly::run(&cli, cmd).await,
        Command::Lottery(cmd) => lottery::run(cmd),
        Command::Case(cmd) => rules::run(&cli, rules::Rules::Case, cmd).await,
        Command::Health(cmd) => rules::run(&cli, rules::Rules::Health, cmd).await,
        Command::Org(cmd) => rules::run(&cli, rules::Rules::Org, cmd).await,
        Command::Dashboard(cmd) => dashboard::run(&cli, cmd).await,
        Command::Guide(cmd) => guide::run(&cli, cmd).await,
        Command::User(cmd) => user::run(&cli, cmd).await,
        Command::Backup(args) => backup::backup(&cli, args).await,
        Command::Restore(args) => backup::restore(&cli, args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
