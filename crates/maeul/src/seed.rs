//! `maeul seed`: demo data for a believable 종로구 and a rural 군, and larger scales for
//! benchmarks. Everything is deterministic: the same command makes the same data.

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use maeul_core::account::{Grant, Login, Password, Role};
use maeul_core::region::RegionCode;
use maeul_core::welfare::discovery::{Outcome, RoundName, Visit};
use maeul_store::account::Actor;
use maeul_store::welfare::discovery::{Loaded, NewCandidate, NewRound, PlaceList};
use maeul_store::{Store, StoreError};

use crate::Cli;

pub const DEMO_FLAG: &str = "demo_seeded";
/// The password of every demo account (printed at start; demo data is for trying maeul out).
pub const DEMO_PASSWORD: &str = "maeul-demo-2026";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    /// Accounts for every role in 종로구 (서울) and 곡성군 (전남).
    Demo,
    /// Demo, plus welfare and autonomy staff for every eup/myeon/dong of 종로구 and 곡성군.
    Sigungu,
    /// Demo, plus welfare and autonomy staff for every eup/myeon/dong in the country.
    National,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[arg(long, value_enum, default_value = "demo")]
    scale: Scale,
}

/// (log-in, name, role, scope)
const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("demo.resident", "김주민", Role::Resident, "1111051500"),
    ("demo.council", "이위원", Role::CouncilMember, "1111051500"),
    ("demo.officer", "박회장", Role::CouncilOfficer, "1111051500"),
    ("demo.autonomy", "최자치", Role::AutonomyStaff, "1111051500"),
    ("demo.welfare", "정복지", Role::WelfareStaff, "1111051500"),
    ("demo.nurse", "강간호", Role::Nurse, "1111051500"),
    ("demo.case", "조사례", Role::CaseManager, "1111000000"),
    (
        "demo.programme",
        "윤총괄",
        Role::ProgrammeStaff,
        "1111000000",
    ),
    ("demo.sido", "장시도", Role::ProgrammeStaff, "1100000000"),
    ("demo.ministry", "임추진", Role::Ministry, "0000000000"),
    ("demo.expert", "한전문", Role::Expert, "1111000000"),
    ("demo.auditor", "오점검", Role::Auditor, "1111000000"),
    ("demo.admin", "서관리", Role::Admin, "0000000000"),
    (
        "demo.rural.welfare",
        "신복지",
        Role::WelfareStaff,
        "4672025000",
    ),
    (
        "demo.rural.autonomy",
        "권자치",
        Role::AutonomyStaff,
        "4672025000",
    ),
    (
        "demo.rural.programme",
        "황총괄",
        Role::ProgrammeStaff,
        "4672000000",
    ),
];

/// The si/gun/gu the demo is set in: 서울 종로구 (urban) and 전남 곡성군 (rural).
const DEMO_SIGUNGU: [&str; 2] = ["1111000000", "4672000000"];

pub async fn run(cli: &Cli, args: &SeedArgs) -> anyhow::Result<()> {
    let store = cli.open_store().await?;
    demo(&store).await?;
    match args.scale {
        Scale::Demo => {}
        Scale::Sigungu => {
            for code in DEMO_SIGUNGU {
                staff_for_every_emd(&store, Some(RegionCode::parse(code)?)).await?;
            }
        }
        Scale::National => {
            staff_for_every_emd(&store, None).await?;
            discovery_round(&store, NATIONAL_ROUND, None).await?;
        }
    }
    print_demo_logins();
    Ok(())
}

/// Loads the demo on a database that has no users yet.
pub async fn demo_if_empty(store: &Store) -> anyhow::Result<()> {
    let (_, users) = store.accounts().list(0, 1).await?;
    if users == 0 {
        demo(store).await?;
    }
    Ok(())
}

async fn demo(store: &Store) -> anyhow::Result<()> {
    let hash = demo_hash();
    for (login, name, role, scope) in DEMO_USERS {
        let grant = Grant::new(*role, RegionCode::parse(scope)?)?;
        add_user(store, login, name, &hash, grant).await?;
    }
    discovery_round(store, DEMO_ROUND, Some(&DEMO_SIGUNGU)).await?;
    store.set_meta(DEMO_FLAG, "yes").await?;
    Ok(())
}

const DEMO_ROUND: &str = "2026-6차 (예시)";
const NATIONAL_ROUND: &str = "2026-6차 전국 (예시)";
/// The model of the demo rounds, also the starting point for a real one.
const DEMO_MODEL: &str = include_str!("../../../data/discovery/model.toml");

/// A small deterministic generator, so that the same command makes the same data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A made-up discovery round: twenty households in every eup/myeon/dong of `within` (all of
/// them when `None`), with visits already recorded for part of the demo places' lists.
async fn discovery_round(store: &Store, name: &str, within: Option<&[&str]>) -> anyhow::Result<()> {
    let model = maeul_discovery::Model::parse(DEMO_MODEL)
        .map_err(|e| anyhow::anyhow!("the demo model: {e:?}"))?;
    let emds: Vec<_> = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .filter(|r| {
            within.is_none_or(|codes| {
                codes
                    .iter()
                    .any(|c| RegionCode::parse(c).is_ok_and(|c| r.path.within(&c)))
            })
        })
        .collect();
    let mut rng = Lcg(20261125);
    let codes: Vec<&str> = model.indicators.iter().map(|i| i.code.as_str()).collect();
    let tags: Vec<&str> = model.tags.iter().map(|(t, _)| t.as_str()).collect();
    let mut candidates = Vec::with_capacity(emds.len() * 20);
    for emd in &emds {
        let mut p = 0.95 - rng.below(20) as f64 / 100.0;
        for rank in 1..=20 {
            let mut reasons: Vec<String> = Vec::new();
            for _ in 0..=rng.below(3) {
                let code = codes[rng.below(codes.len() as u64) as usize];
                if !reasons.iter().any(|r| r == code) {
                    reasons.push(code.to_owned());
                }
            }
            candidates.push(NewCandidate {
                emd_code: emd.region.code.to_string(),
                rank,
                household_id: format!("D{}{rank:02}", &emd.region.code.as_str()[..8]),
                members: 1 + rng.below(4) as i64,
                head_age: 30 + rng.below(60) as i64,
                tags: (rng.below(3) == 0)
                    .then(|| tags[rng.below(tags.len() as u64) as usize].to_owned())
                    .into_iter()
                    .collect(),
                probability: (p * 1e6).round() / 1e6,
                reasons,
            });
            p *= 0.93;
        }
    }
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let round = NewRound {
        name: RoundName::parse(name)?,
        model_name: model.name.clone(),
        model_version: i64::from(model.version),
        model_toml: DEMO_MODEL.to_owned(),
        as_of: model.as_of_text.clone(),
        opens_on: today - time::Duration::days(30),
        digest: format!("demo:{}", candidates.len()),
        indicators: model
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), i.weight))
            .collect(),
        candidates,
    };
    let Loaded::Created(id) = store.discovery().load(round, Actor::cli()).await? else {
        return Ok(());
    };
    if within.is_some() {
        demo_visits(store, id, today, &mut rng).await?;
    }
    Ok(())
}

/// Part of the demo places' lists visited, so that lists and summaries show every state.
async fn demo_visits(
    store: &Store,
    round: i64,
    today: time::Date,
    rng: &mut Lcg,
) -> anyhow::Result<()> {
    let d = store.discovery();
    for (place, visited) in [("1111051500", 12), ("4672025000", 9)] {
        let workers = d.field_workers(place).await?;
        let Some(worker) = workers.into_iter().find(|w| w.login.ends_with("welfare")) else {
            continue;
        };
        let actor = Actor {
            user_id: Some(worker.id),
            login: worker.login.clone(),
            address: "seed".into(),
            region: Some(place.to_owned()),
        };
        let list = d
            .candidates(PlaceList::all(round, place), 0, 20, Actor::cli())
            .await?;
        for (i, c) in list.items.iter().enumerate() {
            if i < visited + 3 {
                d.assign(c.id, Some(worker.id), actor.clone()).await?;
            }
            if i < visited {
                let outcome = Outcome::ALL[rng.below(Outcome::ALL.len() as u64) as usize];
                let day = today - time::Duration::days(1 + rng.below(25) as i64);
                let date = format!(
                    "{}-{:02}-{:02}",
                    day.year(),
                    u8::from(day.month()),
                    day.day()
                );
                let visit = Visit::new(&date, outcome.as_str(), "", today)?;
                d.record_visit(c.id, visit, actor.clone()).await?;
            }
        }
    }
    Ok(())
}

fn demo_hash() -> String {
    let login = Login::parse("demo.seed").expect("valid");
    Password::parse(&login, DEMO_PASSWORD)
        .expect("the demo password meets the rules")
        .hash()
}

/// Adds a user unless one with that log-in exists (seeding twice changes nothing).
async fn add_user(
    store: &Store,
    login: &str,
    name: &str,
    hash: &str,
    grant: Grant,
) -> anyhow::Result<()> {
    match store
        .accounts()
        .create_user(
            Login::parse(login)?,
            name,
            hash.to_owned(),
            vec![grant],
            Actor::cli(),
        )
        .await
    {
        Ok(_) | Err(StoreError::Conflict) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn staff_for_every_emd(store: &Store, within: Option<RegionCode>) -> anyhow::Result<()> {
    let emds: Vec<_> = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .filter(|r| within.as_ref().is_none_or(|w| r.path.within(w)))
        .collect();
    let hash = demo_hash();
    let bar = ProgressBar::new(emds.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} 읍·면·동 {elapsed_precise}")
            .expect("valid template"),
    );
    for emd in &emds {
        let code = emd.region.code.as_str();
        add_user(
            store,
            &format!("w{code}"),
            &format!("{} 복지", emd.region.name),
            &hash,
            Grant::new(Role::WelfareStaff, emd.region.code.clone())?,
        )
        .await?;
        add_user(
            store,
            &format!("a{code}"),
            &format!("{} 자치", emd.region.name),
            &hash,
            Grant::new(Role::AutonomyStaff, emd.region.code.clone())?,
        )
        .await?;
        bar.inc(1);
    }
    bar.finish();
    Ok(())
}

pub fn print_demo_logins() {
    println!("demo log-ins (password: {DEMO_PASSWORD}):");
    for (login, name, role, scope) in DEMO_USERS {
        println!("  {login:<22} {name}  {role} @ {scope}");
    }
}
