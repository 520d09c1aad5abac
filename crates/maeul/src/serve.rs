//! `maeul serve`.

use std::net::SocketAddr;

use clap::Args;
use maeul_store::DbConfig;
use maeul_web::{AppState, WebConfig};

use crate::{Cli, backup, seed};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "MAEUL_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Do not load demo data into an empty database.
    #[arg(long)]
    no_demo: bool,
    /// Mark cookies Secure (set when served behind HTTPS).
    #[arg(long, env = "MAEUL_SECURE_COOKIES")]
    secure_cookies: bool,
    /// A directory of your own files (notices, logos) to serve at /static/.
    #[arg(long, env = "MAEUL_STATIC_DIR")]
    static_dir: Option<std::path::PathBuf>,
}

pub async fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<()> {
    // One server per SQLite data directory; `restore` checks the same lock.
    let _lock = match cli.db_config()? {
        DbConfig::Sqlite { data_dir } => Some(backup::lock_data_dir(&data_dir)?),
        DbConfig::Postgres { .. } => None,
    };
    let store = cli.open_store().await?;
    if !args.no_demo {
        seed::demo_if_empty(&store).await?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    if store.meta(seed::DEMO_FLAG).await?.is_some() {
        seed::print_demo_logins();
        seed::print_demo_codes(&store).await?;
    }
    println!("maeul listening on http://{addr}");
    let state = AppState::new(
        store,
        WebConfig {
            secure_cookies: args.secure_cookies,
            static_dir: args.static_dir.clone(),
        },
    );
    maeul_web::serve(listener, state).await?;
    Ok(())
}
