//! `maeul user`: add users, change grants, list them.

use std::io::BufRead;

use anyhow::Context;
use clap::{Args, Subcommand};
use maeul_core::account::{Grant, Login, Password, Role};
use maeul_core::region::RegionCode;
use maeul_store::account::Actor;

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user with one grant; the password is read from standard input.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        grant: GrantArgs,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Give a user another grant.
    Grant {
        #[arg(long)]
        login: String,
        #[command(flatten)]
        grant: GrantArgs,
    },
    /// Take a grant away from a user.
    Revoke {
        #[arg(long)]
        login: String,
        #[command(flatten)]
        grant: GrantArgs,
    },
    /// Set a new password (read from standard input): lifts any lock-out and ends the user's
    /// sessions and API tokens.
    Password {
        #[arg(long)]
        login: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Lift a lock-out after repeated failed log-ins.
    Unlock {
        #[arg(long)]
        login: String,
    },
    /// List users and their grants.
    List,
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    /// resident, council_member, council_officer, autonomy_staff, welfare_staff, nurse,
    /// case_manager, programme_staff, ministry, expert, auditor or admin.
    #[arg(long)]
    role: String,
    /// Region code of the scope; 0000000000 is the nation.
    #[arg(long)]
    scope: String,
}

impl GrantArgs {
    fn parse(&self) -> anyhow::Result<Grant> {
        let role = Role::parse(&self.role)?;
        let scope =
            RegionCode::parse(&self.scope).with_context(|| format!("scope {:?}", self.scope))?;
        Ok(Grant::new(role, scope)?)
    }
}

pub async fn run(cli: &Cli, cmd: &UserCommand) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    let accounts = store.accounts();
    match cmd {
        UserCommand::Add {
            login, name, grant, ..
        } => {
            let login = Login::parse(login)?;
            let grant = grant.parse()?;
            ensure_region(&store, &grant).await?;
            let password = Password::parse(&login, &read_password()?)?;
            let id = accounts
                .create_user(
                    login.clone(),
                    name,
                    password.hash(),
                    vec![grant],
                    Actor::cli(),
                )
                .await
                .map_err(|e| match e {
                    maeul_store::StoreError::Conflict => {
                        anyhow::anyhow!("the log-in {} is taken", login.as_str())
                    }
                    e => e.into(),
                })?;
            println!("user {} added (id {id})", login.as_str());
        }
        UserCommand::Grant { login, grant } => {
            let grant = grant.parse()?;
            ensure_region(&store, &grant).await?;
            accounts
                .grant(Login::parse(login)?, grant.clone(), Actor::cli())
                .await
                .map_err(|e| match e {
                    maeul_store::StoreError::Conflict => {
                        anyhow::anyhow!("{login} already holds {} @ {}", grant.role, grant.scope)
                    }
                    maeul_store::StoreError::NotFound => anyhow::anyhow!("no user {login}"),
                    e => e.into(),
                })?;
            println!("granted {} @ {} to {login}", grant.role, grant.scope);
        }
        UserCommand::Revoke { login, grant } => {
            let grant = grant.parse()?;
            accounts
                .revoke(Login::parse(login)?, grant.clone(), Actor::cli())
                .await
                .map_err(|e| match e {
                    maeul_store::StoreError::NotFound => {
                        anyhow::anyhow!("{login} does not hold {} @ {}", grant.role, grant.scope)
                    }
                    e => e.into(),
                })?;
            println!("revoked {} @ {} from {login}", grant.role, grant.scope);
        }
        UserCommand::Password { login, .. } => {
            let login = Login::parse(login)?;
            let password = Password::parse(&login, &read_password()?)?;
            accounts
                .reset_password(login.clone(), password.hash(), Actor::cli())
                .await
                .map_err(|e| match e {
                    maeul_store::StoreError::NotFound => {
                        anyhow::anyhow!("no user {}", login.as_str())
                    }
                    e => e.into(),
                })?;
            println!(
                "password of {} set; its sessions and tokens ended",
                login.as_str()
            );
        }
        UserCommand::Unlock { login } => {
            accounts
                .unlock(Login::parse(login)?, Actor::cli())
                .await
                .map_err(|e| match e {
                    maeul_store::StoreError::NotFound => anyhow::anyhow!("no user {login}"),
                    e => e.into(),
                })?;
            println!("{login} unlocked");
        }
        UserCommand::List => {
            let mut offset = 0;
            loop {
                let (users, _) = accounts.list(offset, 500).await?;
                for u in &users {
                    let grants: Vec<String> = u
                        .grants
                        .iter()
                        .map(|g| format!("{}@{}", g.role, g.scope))
                        .collect();
                    println!("{}\t{}\t{}", u.login, u.name, grants.join(","));
                }
                if users.len() < 500 {
                    break;
                }
                offset += 500;
            }
        }
    }
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn ensure_region(store: &maeul_store::Store, grant: &Grant) -> anyhow::Result<()> {
    match store.regions().get(&grant.scope).await? {
        Some(r) if r.retired_on.is_none() => Ok(()),
        Some(_) => anyhow::bail!("the region {} is retired", grant.scope),
        None => anyhow::bail!("no region has the code {}", grant.scope),
    }
}
