//! `maeul assembly`: batch work of a resident general assembly (주민총회).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use maeul_core::autonomy::assembly::VotingCode;
use maeul_core::format::KST;
use time::{Date, OffsetDateTime};

use crate::Cli;

#[derive(Debug, Subcommand)]
pub enum AssemblyCommand {
    /// Give every eligible resident of the community centre's roster a one-time voting code.
    ///
    /// The roster is CSV with the columns `resident_ref,name,birth_date` (YYYY-MM-DD). Residents
    /// below the assembly's minimum age on its closing day get no code and are listed. The
    /// output is CSV `resident_ref,code`, for printing or sending; a resident given a code
    /// again gets a new one and the old one stops working. Only the codes' hashes are stored.
    IssueCodes {
        #[arg(long)]
        assembly: i64,
        #[arg(long)]
        roster: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Also write a printable HTML sheet: one slip per resident with their name, code and
        /// how to vote, to cut and hand out or mail (print it from a browser, or save as PDF).
        #[arg(long)]
        sheet: Option<PathBuf>,
        /// The address residents vote at, printed on the slips (e.g. https://maeul.example.kr).
        #[arg(long, default_value = "")]
        site: String,
        /// Send each code through a command of your own (a text-message or mail gateway): it
        /// runs once per resident through `sh -c`, with MAEUL_RESIDENT_REF, MAEUL_NAME,
        /// MAEUL_CODE, MAEUL_ASSEMBLY, MAEUL_OPENS, MAEUL_CLOSES, MAEUL_VOTE_URL and, when the
        /// roster has them, MAEUL_PHONE and MAEUL_EMAIL in its environment. A failed sending
        /// is listed and the others go on.
        #[arg(long)]
        notify_command: Option<String>,
    },
}

pub async fn run(cli: &Cli, cmd: &AssemblyCommand) -> anyhow::Result<()> {
    match cmd {
        AssemblyCommand::IssueCodes {
            assembly,
            roster,
            out,
            sheet,
            site,
            notify_command,
        } => {
            let delivery = Delivery {
                sheet: sheet.as_deref(),
                site,
                notify_command: notify_command.as_deref(),
            };
            issue_codes(cli, *assembly, roster, out, delivery).await
        }
    }
}

/// Where the codes go besides the CSV file.
struct Delivery<'a> {
    sheet: Option<&'a Path>,
    site: &'a str,
    notify_command: Option<&'a str>,
}

/// A resident of the roster old enough to vote, with what the slip and the notice need.
#[derive(Debug, Clone)]
struct Voter {
    resident_ref: String,
    name: String,
    phone: String,
    email: String,
}

/// The roster read: residents old enough to vote, and the line and reference of each resident
/// who is not.
struct Roster {
    eligible: Vec<Voter>,
    too_young: Vec<(u64, String)>,
}

/// Reads the roster whole before anything is written: any bad line stops the command.
fn read_roster(path: &Path, admits: impl Fn(Date) -> bool) -> anyhow::Result<Roster> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .with_context(|| format!("{}: no column {name:?}", path.display()))
    };
    let (ref_col, birth_col) = (column("resident_ref")?, column("birth_date")?);
    let name_col = column("name")?;
    // Contact columns are optional: they feed the notify command.
    let (phone_col, email_col) = (column("phone").ok(), column("email").ok());
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut seen = std::collections::HashSet::new();
    let (mut eligible, mut too_young) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.with_context(|| format!("{}:{line}", path.display()))?;
        let resident_ref = record.get(ref_col).unwrap_or("").to_owned();
        if resident_ref.is_empty() || resident_ref.chars().count() > 100 {
            bail!(
                "{}:{line}: resident_ref is empty or longer than 100 characters",
                path.display()
            );
        }
        if !seen.insert(resident_ref.clone()) {
            bail!(
                "{}:{line}: resident_ref {resident_ref:?} appears twice",
                path.display()
            );
        }
        let birth = record.get(birth_col).unwrap_or("");
        let birth = Date::parse(birth, format).with_context(|| {
            format!(
                "{}:{line}: birth_date {birth:?} is not YYYY-MM-DD",
                path.display()
            )
        })?;
        if admits(birth) {
            let get = |col: Option<usize>| {
                col.and_then(|c| record.get(c))
                    .unwrap_or_default()
                    .to_owned()
            };
            eligible.push(Voter {
                name: get(Some(name_col)),
                phone: get(phone_col),
                email: get(email_col),
                resident_ref,
            });
        } else {
            too_young.push((line, resident_ref));
        }
    }
    Ok(Roster {
        eligible,
        too_young,
    })
}

async fn issue_codes(
    cli: &Cli,
    id: i64,
    roster: &Path,
    out: &Path,
    delivery: Delivery<'_>,
) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    let assemblies = store.assemblies();
    let assembly = assemblies
        .get(id)
        .await?
        .with_context(|| format!("no assembly {id}"))?;
    let rules = &assembly.setup.rules;
    // The closing day as the community centre counts it, in Korea Standard Time.
    let closing_day = OffsetDateTime::from_unix_timestamp(rules.closes_at)?
        .to_offset(KST)
        .date();
    let eligibility = rules.eligibility;
    let Roster {
        eligible,
        too_young,
    } = read_roster(roster, |birth| eligibility.admits(birth, closing_day))?;
    let voters: Vec<(Voter, VotingCode)> = eligible
        .into_iter()
        .map(|v| (v, VotingCode::generate()))
        .collect();
    let codes: Vec<(String, VotingCode)> = voters
        .iter()
        .map(|(v, c)| (v.resident_ref.clone(), c.clone()))
        .collect();

    // The file is written first and put in place only once the codes are stored: a failure
    // leaves neither codes without a file nor a file of codes that do not work.
    let staging = out.with_extension("csv.partial");
    {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&staging)
                .with_context(|| format!("writing {}", staging.display()))?,
        );
        writeln!(w, "resident_ref,code")?;
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut w);
        for (resident_ref, code) in &codes {
            csv.write_record([resident_ref.as_str(), &code.display()])?;
        }
        csv.flush()?;
        drop(csv);
        w.into_inner()?.sync_all()?;
    }
    let bar = ProgressBar::new(codes.len() as u64).with_style(
        ProgressStyle::with_template("codes {bar:30} {pos}/{len} {eta}").expect("a valid template"),
    );
    let progress = bar.clone();
    let stored = assemblies
        .issue_codes(id, codes.clone(), move |n| progress.set_position(n))
        .await;
    bar.finish_and_clear();
    if let Err(e) = stored {
        let _ = std::fs::remove_file(&staging);
        return Err(anyhow::Error::new(e).context(format!("issuing codes for assembly {id}")));
    }
    std::fs::rename(&staging, out).with_context(|| format!("writing {}", out.display()))?;
    let notice = Notice::of(&assembly.setup.rules.title, rules, delivery.site, id);
    if let Some(sheet) = delivery.sheet {
        std::fs::write(sheet, slips(&notice, &voters))
            .with_context(|| format!("writing {}", sheet.display()))?;
    }
    let failed = match delivery.notify_command {
        Some(command) => notify(command, &notice, &voters),
        None => Vec::new(),
    };
    for (line, resident_ref) in &too_young {
        eprintln!(
            "{}:{line}: {resident_ref} is younger than {} on {closing_day}: no code",
            roster.display(),
            eligibility.min_age
        );
    }
    println!(
        "{} codes written to {}; {} residents below the minimum age",
        codes.len(),
        out.display(),
        too_young.len()
    );
    if !failed.is_empty() {
        bail!(
            "{} of {} notices were not sent ({}); the codes are issued and in {}",
            failed.len(),
            voters.len(),
            failed.join(", "),
            out.display()
        );
    }
    Ok(())
}

/// What every slip and notice says about the assembly.
struct Notice {
    title: String,
    opens: String,
    closes: String,
    vote_url: String,
}

impl Notice {
    fn of(title: &str, rules: &maeul_core::autonomy::assembly::Rules, site: &str, id: i64) -> Self {
        let at = |t: i64| {
            OffsetDateTime::from_unix_timestamp(t)
                .map(|t| maeul_core::format::datetime(t, maeul_core::format::Lang::Ko))
                .unwrap_or_default()
        };
        Notice {
            title: title.to_owned(),
            opens: at(rules.advance_opens_at.unwrap_or(rules.opens_at)),
            closes: at(rules.closes_at),
            vote_url: match site.trim_end_matches('/') {
                "" => String::new(),
                site => format!("{site}/assemblies/{id}"),
            },
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A printable page of slips, one per resident, each kept whole on paper.
fn slips(notice: &Notice, voters: &[(Voter, VotingCode)]) -> String {
    let mut html = format!(
        "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>{title} 투표 코드</title>\
         <style>body{{font-family:sans-serif;margin:1cm}}.slip{{border:1px dashed #888;padding:0.8cm;margin-bottom:0.6cm;break-inside:avoid}}\
         .code{{font:700 20pt monospace;letter-spacing:0.1em}}h1{{font-size:14pt}}p{{margin:0.2cm 0}}</style></head><body>",
        title = escape(&notice.title)
    );
    for (voter, code) in voters {
        html.push_str(&format!(
            "<section class=\"slip\"><h1>{title}</h1><p>{name} 님 (명부 {reference})</p>\
             <p>투표 코드</p><p class=\"code\">{code}</p>\
             <p>투표 기간: {opens} ~ {closes}</p>{url}\
             <p>이 코드는 한 번만 쓸 수 있습니다. 투표소에서 투표하거나 주민센터에서 확인받은 계정으로 투표했다면 쓰지 않아도 됩니다. 남에게 보여 주지 마세요.</p></section>",
            title = escape(&notice.title),
            name = escape(&voter.name),
            reference = escape(&voter.resident_ref),
            code = code.display(),
            opens = notice.opens,
            closes = notice.closes,
            url = if notice.vote_url.is_empty() {
                String::new()
            } else {
                format!("<p>투표하는 곳: {}</p>", escape(&notice.vote_url))
            },
        ));
    }
    html.push_str("</body></html>\n");
    html
}

/// Runs the notify command once per resident; gives the references whose sending failed.
fn notify(command: &str, notice: &Notice, voters: &[(Voter, VotingCode)]) -> Vec<String> {
    let bar = ProgressBar::new(voters.len() as u64).with_style(
        ProgressStyle::with_template("notices {bar:30} {pos}/{len} {eta}")
            .expect("a valid template"),
    );
    let mut failed = Vec::new();
    for (voter, code) in voters {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .env("MAEUL_RESIDENT_REF", &voter.resident_ref)
            .env("MAEUL_NAME", &voter.name)
            .env("MAEUL_CODE", code.display())
            .env("MAEUL_PHONE", &voter.phone)
            .env("MAEUL_EMAIL", &voter.email)
            .env("MAEUL_ASSEMBLY", &notice.title)
            .env("MAEUL_OPENS", &notice.opens)
            .env("MAEUL_CLOSES", &notice.closes)
            .env("MAEUL_VOTE_URL", &notice.vote_url)
            .stdin(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            bar.suspend(|| eprintln!("{}: the notice was not sent", voter.resident_ref));
            failed.push(voter.resident_ref.clone());
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    failed
}
