//! `maeul guide`: write every guide to a directory of Markdown files, and read such a directory
//! (or files) back, so that the ministry can keep its guides with its other documents.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use maeul_core::guide::{Guide, Slug, from_file, to_file};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Write each guide to `DIR/<name>.md` (a header of title, subject and summary, `---`,
    /// then the Markdown body).
    Export { dir: PathBuf },
    /// Create or revise a guide for each `<name>.md` file given, or in each directory given.
    /// Every file is checked first: one wrong file (reported with its line) saves nothing.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

pub async fn run(cli: &Cli, cmd: &GuideCommand) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    match cmd {
        GuideCommand::Export { dir } => {
            std::fs::create_dir_all(dir)?;
            let all = store.guides().all().await?;
            for g in &all {
                let path = dir.join(format!("{}.md", g.slug));
                std::fs::write(&path, to_file(&g.guide))
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
            println!("{} guides written to {}", all.len(), dir.display());
        }
        GuideCommand::Import { paths } => {
            let set = read_all(paths)?;
            let done = store.guides().import(set).await?;
            println!(
                "{} created, {} revised, {} unchanged",
                done.created, done.updated, done.unchanged
            );
        }
    }
    Ok(())
}

/// The guides of the files and directories given, every file checked; the first wrong one
/// with its line.
fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<(Slug, Guide)>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "md"))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    let mut set: Vec<(Slug, Guide)> = Vec::new();
    for f in &files {
        let (slug, g) = read(f)?;
        if set.iter().any(|(s, _)| *s == slug) {
            anyhow::bail!("{}: a second file for the guide {slug}", f.display());
        }
        set.push((slug, g));
    }
    if set.is_empty() {
        anyhow::bail!("no .md files given");
    }
    Ok(set)
}

fn read(f: &Path) -> anyhow::Result<(Slug, Guide)> {
    let name = f
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|_| f.extension().is_some_and(|x| x == "md"))
        .ok_or_else(|| anyhow::anyhow!("{}: a guide's file is <name>.md", f.display()))?;
    let slug = Slug::parse(name).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
    let text = std::fs::read_to_string(f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
    let g = from_file(&text)
        .map_err(|e| anyhow::anyhow!("{}:{}: {}", f.display(), e.line, e.message))?;
    Ok((slug, g))
}
