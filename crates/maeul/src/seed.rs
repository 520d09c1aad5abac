//! `maeul seed`: demo data for a believable 종로구 and a rural 군, and larger scales for
//! benchmarks. Everything is deterministic: the same command makes the same data.

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use maeul_core::account::{Grant, Login, Password, Role};
use maeul_core::region::RegionCode;
use maeul_core::welfare::case::StepInput;
use maeul_core::welfare::discovery::{Outcome, RoundName, Visit};
use maeul_core::welfare::health::{Readings, Registration};
use maeul_core::welfare::person::Person;
use maeul_core::welfare::resource::Resource;
use maeul_store::account::Actor;
use maeul_store::welfare::case::{NewCase, Source};
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
                caseloads(&store, Some(RegionCode::parse(code)?)).await?;
            }
        }
        Scale::National => {
            staff_for_every_emd(&store, None).await?;
            discovery_round(&store, NATIONAL_ROUND, None).await?;
            caseloads(&store, None).await?;
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
    // Records, unlike accounts, would repeat: they are made once.
    if store.meta(DEMO_FLAG).await?.is_none() {
        discovery_round(store, DEMO_ROUND, Some(&DEMO_SIGUNGU)).await?;
        demo_cases(store).await?;
        demo_health(store).await?;
        demo_resources(store).await?;
        demo_councils(store).await?;
        demo_assemblies(store).await?;
        demo_agenda(store).await?;
        let programme = demo_programmes(store).await?;
        demo_plan(store, programme).await?;
        demo_grant_calls(store).await?;
        demo_practices(store, programme).await?;
        demo_officers(store).await?;
        demo_org_models(store).await?;
        demo_staffing(store).await?;
        demo_promotion_council(store).await?;
        demo_mous(store).await?;
        demo_consulting(store).await?;
        demo_forums(store).await?;
        demo_partner_projects(store).await?;
        store.set_meta(DEMO_FLAG, "yes").await?;
    }
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

/// Made-up cases: one high-difficulty case whose plan is overdue and one just opened in
/// 청운효자동, one in monitoring in 곡성읍.
async fn demo_cases(store: &Store) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let ago = |days: i64| today - time::Duration::days(days);
    let iso = |d: time::Date| format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    // (place, name, birth year, opened days ago, steps: (step, days ago, extra))
    type Demo<'a> = (&'a str, &'a str, i32, i64, &'a [(&'a str, i64, &'a str)]);
    let demo: [Demo; 3] = [
        (
            "1111051500",
            "김순자",
            1948,
            40,
            &[
                ("assessment", 33, "health;economy;housing|high"),
                ("conference", 30, ""),
                ("classification", 28, "high_difficulty"),
            ],
        ),
        ("1111051500", "박영호", 1955, 5, &[]),
        (
            "4672025000",
            "최복남",
            1941,
            70,
            &[
                ("assessment", 62, "health;daily_living|medium"),
                ("conference", 58, ""),
                ("classification", 56, "general"),
                ("plan", 45, ""),
                ("monitoring", 15, ""),
            ],
        ),
    ];
    for (place, name, born, opened, steps) in demo {
        let workers = store.discovery().field_workers(place).await?;
        let Some(worker) = workers.into_iter().find(|w| w.login.ends_with("welfare")) else {
            continue;
        };
        let actor = Actor {
            user_id: Some(worker.id),
            login: worker.login.clone(),
            address: "seed".into(),
            region: Some(place.to_owned()),
        };
        let id = store
            .cases()
            .open(
                NewCase {
                    emd_code: place.to_owned(),
                    person: Person::new(name, Some(born), today)?,
                    source: Source::WalkIn,
                    candidate_id: None,
                    opened_on: ago(opened),
                    note: None,
                },
                actor.clone(),
            )
            .await?;
        for (step, days, extra) in steps {
            let (needs, crisis) = extra.split_once('|').unwrap_or(("", ""));
            let input = StepInput {
                step: (*step).to_owned(),
                done_on: iso(ago(*days)),
                needs: needs
                    .split(';')
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect(),
                crisis: (!crisis.is_empty()).then(|| crisis.to_owned()),
                classification: (*step == "classification").then(|| (*extra).to_owned()),
                closure_reason: None,
                note: None,
            };
            store
                .cases()
                .record_step(id, input, today, actor.clone())
                .await?
                .map_err(|e| anyhow::anyhow!("demo case step {step}: {e}"))?;
        }
        // A high-difficulty case is handed to the si/gun/gu: demo.case takes it on.
        let classified_hard = steps
            .iter()
            .any(|(_, _, extra)| *extra == "high_difficulty");
        let manager = store.cases().assignable(place).await?;
        if let Some(m) = manager
            .iter()
            .find(|w| w.login == "demo.case")
            .filter(|_| classified_hard)
        {
            store.cases().assign(id, Some(m.id), actor.clone()).await?;
        }
    }
    Ok(())
}

/// A few services of 종로구 and 곡성군 for the directory and referrals (made up, with the kinds
/// of providers that run them).
async fn demo_resources(store: &Store) -> anyhow::Result<()> {
    // (area, name, category, sector, provider, capacity)
    type Demo<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<i64>);
    let services: [Demo; 5] = [
        (
            "1111000000",
            "종로 푸드마켓",
            "food",
            "private",
            "종로구 사회복지협의회",
            Some(120),
        ),
        (
            "1111000000",
            "정신건강복지센터 상담",
            "mental_health",
            "public",
            "종로구 정신건강복지센터",
            None,
        ),
        (
            "1111000000",
            "주거취약계층 집수리",
            "housing",
            "private",
            "지역 자활센터",
            Some(12),
        ),
        (
            "1111051500",
            "경로당 공동 점심",
            "food",
            "public",
            "청운효자동 행정복지센터",
            Some(30),
        ),
        (
            "4672000000",
            "농촌 이동 목욕 서비스",
            "care",
            "private",
            "곡성군 노인복지관",
            Some(40),
        ),
    ];
    let programme = store.discovery().field_workers("1111051500").await?;
    let Some(worker) = programme.into_iter().find(|w| w.login.ends_with("welfare")) else {
        return Ok(());
    };
    let actor = Actor {
        user_id: Some(worker.id),
        login: worker.login,
        address: "seed".into(),
        region: None,
    };
    for (area, name, category, sector, provider, capacity) in services {
        let resource = Resource::new(name, category, sector, provider, capacity, "", "")?;
        store.resources().add(area, resource, actor.clone()).await?;
    }
    Ok(())
}

/// Made-up people in visiting health care in 청운효자동: an intensive-group person short of
/// visits, and a regular-group person whose visit is overdue.
async fn demo_health(store: &Store) -> anyhow::Result<()> {
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let ago = |days: i64| today - time::Duration::days(days);
    let place = "1111051500";
    let workers = store.discovery().field_workers(place).await?;
    let Some(nurse) = workers.into_iter().find(|w| w.login == "demo.nurse") else {
        return Ok(());
    };
    let actor = Actor {
        user_id: Some(nurse.id),
        login: nurse.login.clone(),
        address: "seed".into(),
        region: Some(place.to_owned()),
    };
    // (name, birth year, group, registered days ago, visits: (days ago, systolic, diastolic))
    type Demo<'a> = (&'a str, i32, &'a str, i64, &'a [(i64, i64, i64)]);
    let people: [Demo; 2] = [
        (
            "한옥순",
            1938,
            "intensive",
            40,
            &[(30, 148, 92), (18, 142, 88), (6, 151, 95)],
        ),
        ("문병철", 1950, "regular", 120, &[]),
    ];
    for (name, born, group, registered, visits) in people {
        let reg = Registration::new(
            Person::new(name, Some(born), today)?,
            group,
            None,
            ago(registered),
            today,
        )?;
        let id = store.health().register(place, reg, actor.clone()).await?;
        for (days, systolic, diastolic) in visits {
            let readings = Readings {
                systolic: Some(*systolic),
                diastolic: Some(*diastolic),
                height_cm: Some(152.0),
                weight_kg: Some(47.5),
                frailty: Some(2),
                ..Readings::default()
            };
            store
                .health()
                .record_visit(id, ago(*days), readings, None, actor.clone())
                .await?;
        }
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
        // (log-in prefix, name suffix, role): w… welfare, n… nurse, a… autonomy staff.
        for (prefix, suffix, role) in [
            ("w", "복지", Role::WelfareStaff),
            ("n", "간호", Role::Nurse),
            ("a", "자치", Role::AutonomyStaff),
        ] {
            add_user(
                store,
                &format!("{prefix}{code}"),
                &format!("{} {suffix}", emd.region.name),
                &hash,
                Grant::new(role, emd.region.code.clone())?,
            )
            .await?;
        }
        bar.inc(1);
    }
    bar.finish();
    Ok(())
}

/// Cases, people in visiting health care and planned visits in every eup/myeon/dong of
/// `within` (all when `None`), for the worker-list benchmark at national scale: per place
/// 20 cases of its welfare worker
/// (`w{code}`), 30 people of its nurse (`n{code}`) in the three risk groups, and the worker's
/// visits planned for the next five days. Made-up names; one transaction per place; a place
/// whose worker has cases already is left as it is, so that seeding again changes nothing.
async fn caseloads(store: &Store, within: Option<RegionCode>) -> anyhow::Result<()> {
    const FAMILY: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    const GIVEN: [&str; 12] = [
        "순자", "영수", "민서", "정희", "상철", "옥순", "병철", "미숙", "지훈", "경자", "동수",
        "말순",
    ];
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let emds: Vec<_> = store
        .regions()
        .active_emds()
        .await?
        .into_iter()
        .filter(|r| within.as_ref().is_none_or(|w| r.path.within(w)))
        .collect();
    let mut rng = Lcg(20261127);
    let bar = ProgressBar::new(emds.len() as u64).with_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} 읍·면·동 사례·건강관리 {elapsed_precise}",
        )
        .expect("valid template"),
    );
    for emd in &emds {
        let code = emd.region.code.to_string();
        let actor_of = |id: i64, login: String| Actor {
            user_id: Some(id),
            login,
            address: "seed".into(),
            region: Some(code.clone()),
        };
        let (Some(worker), Some(nurse)) = (
            store.accounts().id_of(&format!("w{code}")).await?,
            store.accounts().id_of(&format!("n{code}")).await?,
        ) else {
            bar.inc(1);
            continue;
        };
        let seeded = store
            .cases()
            .count(maeul_store::welfare::case::CaseFilter {
                within: Some(code.clone()),
                assigned_to: Some(worker),
                ..Default::default()
            })
            .await?;
        if seeded > 0 {
            bar.inc(1);
            continue;
        }
        let worker = actor_of(worker, format!("w{code}"));
        let nurse = actor_of(nurse, format!("n{code}"));
        let mut person = |born_from: u64| {
            let name = format!(
                "{}{}",
                FAMILY[rng.below(FAMILY.len() as u64) as usize],
                GIVEN[rng.below(GIVEN.len() as u64) as usize]
            );
            Person::new(&name, Some((born_from + rng.below(40)) as i32), today)
        };
        let mut cases = Vec::with_capacity(20);
        for _ in 0..20 {
            let person = person(1940)?;
            cases.push((
                NewCase {
                    emd_code: code.clone(),
                    person,
                    source: Source::WalkIn,
                    candidate_id: None,
                    opened_on: today - time::Duration::days(1 + (cases.len() as i64 * 3) % 60),
                    note: None,
                },
                worker.clone(),
            ));
        }
        let case_ids = store.cases().open_many(cases).await?;
        let mut people = Vec::with_capacity(30);
        for i in 0..30 {
            let group = ["intensive", "regular", "regular", "self_capacity"][i % 4];
            let reg = Registration::new(
                person(1925)?,
                group,
                None,
                today - time::Duration::days(10 + (i as i64 * 7) % 200),
                today,
            )?;
            people.push((code.clone(), reg, nurse.clone()));
        }
        store.health().register_many(people).await?;
        for (day, case) in case_ids.iter().take(5).enumerate() {
            let plan = maeul_core::welfare::visit::Plan::new(
                today + time::Duration::days(day as i64),
                "10:00",
                "정기 점검 방문",
                today,
            )?;
            let subject = maeul_store::welfare::Subject::Case(*case);
            let by = worker.user_id.unwrap_or_default();
            store
                .visit_plans()
                .plan(subject, by, plan, worker.clone())
                .await?;
        }
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

/// Prints the demo voting codes of the open demo assembly, kept for that purpose only.
pub async fn print_demo_codes(store: &Store) -> anyhow::Result<()> {
    if let Some(codes) = store.meta(DEMO_CODES).await? {
        println!("demo voting codes of the open assembly at /r/1111051500/assemblies:");
        for code in codes.split(',') {
            println!("  demo voting code {code}");
        }
    }
    Ok(())
}

/// Where the demo keeps the voting codes it prints. Real codes are never kept: only their hashes.
const DEMO_CODES: &str = "demo_voting_codes";

/// Two assemblies of 청운효자동: last year's, closed with its result (online ballots, two
/// booths with their paper tallies), and this year's, open for a month with codes to try.
async fn demo_assemblies(store: &Store) -> anyhow::Result<()> {
    use maeul_core::autonomy::assembly::{
        Ballot, Booth, BoothKind, Channel, DecisionRule, Eligibility, Item, PaperTally,
        PricedOption, RawChoice, Rules, VotingCode,
    };
    let place = RegionCode::parse("1111051500")?;
    let Some(officer) = store.accounts().id_of("demo.officer").await? else {
        return Ok(());
    };
    let kst = |date: &str| -> anyhow::Result<i64> {
        Ok(time::OffsetDateTime::parse(
            &format!("{date}+09:00"),
            &time::format_description::well_known::Rfc3339,
        )?
        .unix_timestamp())
    };
    let booths = vec![
        Booth {
            name: "청운효자동 주민센터".into(),
            kind: BoothKind::Fixed,
        },
        Booth {
            name: "찾아가는 투표소 (경로당)".into(),
            kind: BoothKind::Mobile,
        },
    ];
    let festival = Item {
        title: "2026년 마을축제 프로그램 (2개 선정)".into(),
        rule: DecisionRule::TopK {
            k: 2,
            options: vec![
                "벼룩시장".into(),
                "골목 음악회".into(),
                "어린이 그림대회".into(),
            ],
        },
    };
    let budget = Item {
        title: "주민참여예산 사업 (한도 1,000만 원)".into(),
        rule: DecisionRule::Budget {
            limit: 10_000_000,
            options: vec![
                PricedOption {
                    title: "골목 화단 가꾸기".into(),
                    cost: 6_000_000,
                },
                PricedOption {
                    title: "경로당 안전손잡이".into(),
                    cost: 4_000_000,
                },
                PricedOption {
                    title: "공유 창고".into(),
                    cost: 5_000_000,
                },
            ],
        },
    };
    let last_year = Rules::new(Rules {
        title: "2025년 청운효자동 주민총회".into(),
        opens_at: kst("2025-11-15T10:00:00")?,
        closes_at: kst("2025-11-22T18:00:00")?,
        advance_opens_at: Some(kst("2025-11-08T09:00:00")?),
        eligibility: Eligibility {
            min_age: 16,
            voters: Default::default(),
        },
        eligible_population: 9_800,
        quorum_basis_points: 50,
        items: vec![
            Item {
                title: "청운공원 야간 조명 설치".into(),
                rule: DecisionRule::Majority,
            },
            festival,
        ],
        booths: booths.clone(),
    })?;
    let assemblies = store.assemblies();
    let id = assemblies
        .create(&place, last_year, officer)
        .await?
        .setup
        .id;
    // This year's autonomy plan is the assembly's third question: projects within a limit.
    let plan = demo_plan_put(store, &place, id, officer).await?;
    let codes: Vec<(String, VotingCode)> = (0..70)
        .map(|i| (format!("2025-{i:04}"), VotingCode::generate()))
        .collect();
    assemblies.issue_codes(id, codes.clone(), |_| {}).await?;
    let setup = assemblies.open(id).await?.setup;
    let mut rng = Lcg(2025);
    let answers = ["yes", "yes", "yes", "no", "abstain"];
    let festivals = [
        &["골목 음악회", "벼룩시장"][..],
        &["골목 음악회"],
        &["어린이 그림대회", "골목 음악회"],
    ];
    let projects = [
        &["골목 화단 가꾸기", "경로당 안전손잡이"][..],
        &["공유 창고", "경로당 안전손잡이"],
        &["경로당 안전손잡이"],
    ];
    let many = |titles: &[&str]| RawChoice::Many(titles.iter().map(|t| t.to_string()).collect());
    for (_, code) in codes.iter().take(52) {
        let choices = [
            (
                Some(0),
                RawChoice::One(answers[rng.below(5) as usize].into()),
            ),
            (Some(1), many(festivals[rng.below(3) as usize])),
            (Some(2), many(projects[rng.below(3) as usize])),
        ];
        let ballot = Ballot::new(&setup.rules, &choices)?;
        let channel = if rng.below(4) == 0 {
            Channel::Advance
        } else {
            Channel::Online
        };
        assemblies.cast(&setup, code, &ballot, channel).await?;
    }
    for (i, (resident, _)) in codes.iter().enumerate().skip(52).take(14) {
        assemblies
            .check_in(&setup, resident, &booths[i % 2])
            .await?;
    }
    let paper = |yes: u64, no: u64| -> anyhow::Result<PaperTally> {
        Ok(PaperTally::new(
            &setup.rules,
            7,
            &[
                (
                    "1".into(),
                    Some(0),
                    vec![("yes".into(), yes), ("no".into(), no)],
                ),
                (
                    "2".into(),
                    Some(1),
                    vec![("골목 음악회".into(), 6), ("벼룩시장".into(), 4)],
                ),
                (
                    "3".into(),
                    Some(2),
                    vec![
                        ("경로당 안전손잡이".into(), 7),
                        ("골목 화단 가꾸기".into(), 3),
                    ],
                ),
            ],
        )?)
    };
    assemblies
        .enter_paper(&setup, &booths[0], &paper(5, 2)?, officer)
        .await?;
    assemblies
        .enter_paper(&setup, &booths[1], &paper(6, 1)?, officer)
        .await?;
    assemblies.close(id).await?;
    demo_projects(store, plan, id, officer).await?;

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let this_year = Rules::new(Rules {
        title: "2026년 청운효자동 주민총회".into(),
        opens_at: now - 3600,
        closes_at: now + 30 * 24 * 3600,
        advance_opens_at: None,
        eligibility: Eligibility {
            min_age: 16,
            voters: Default::default(),
        },
        eligible_population: 9_750,
        quorum_basis_points: 50,
        items: vec![
            Item {
                title: "마을 도서관 토요일 운영".into(),
                rule: DecisionRule::Majority,
            },
            budget,
        ],
        booths,
    })?;
    let id = assemblies
        .create(&place, this_year, officer)
        .await?
        .setup
        .id;
    let codes: Vec<(String, VotingCode)> = (0..20)
        .map(|i| (format!("2026-{i:04}"), VotingCode::generate()))
        .collect();
    assemblies.issue_codes(id, codes.clone(), |_| {}).await?;
    assemblies.open(id).await?;
    // The demo resident is verified at the community centre: they vote signed in, no code.
    if let Some(staff) = store.accounts().id_of("demo.autonomy").await? {
        let today = time::OffsetDateTime::now_utc().date();
        store
            .residents()
            .verify(&place, "demo.resident", "2026-0018", staff, today)
            .await?;
    }
    let shown: Vec<String> = codes.iter().take(5).map(|(_, c)| c.display()).collect();
    store.set_meta(DEMO_CODES, &shown.join(",")).await?;
    Ok(())
}

/// Councils of the demo si/gun/gu at every stage (the ordinances are examples), and for
/// 청운효자동 its subcommittees, two meetings and a drawn member lottery.
async fn demo_councils(store: &Store) -> anyhow::Result<()> {
    use maeul_core::autonomy::council::{Council, CouncilStatus, Meeting, MemberRole};
    use maeul_core::autonomy::lottery::{Application, Category, Gender, Rules};
    use maeul_store::autonomy::lottery::Applicant;
    use time::macros::date;

    let Some(officer) = store.accounts().id_of("demo.officer").await? else {
        return Ok(());
    };
    let mut records = Vec::new();
    let mut rng = Lcg(11);
    for sigungu in DEMO_SIGUNGU {
        let within = RegionCode::parse(sigungu)?;
        let urban = sigungu.starts_with("11");
        for r in store.regions().active_emds().await? {
            if !r.path.within(&within) {
                continue;
            }
            let roll = rng.below(10);
            let status = match (urban, roll) {
                (true, 0..=4) | (false, 0) => CouncilStatus::Pilot,
                (true, 5..=6) | (false, 1) => CouncilStatus::Established,
                (_, 7..=8) | (false, _) => CouncilStatus::Committee,
                _ => CouncilStatus::None,
            };
            let founded = matches!(status, CouncilStatus::Pilot | CouncilStatus::Established);
            let council = Council::new(Council {
                status,
                ordinance: founded.then(|| {
                    format!(
                        "{} 주민자치회 설치·운영 조례 (예시)",
                        r.region
                            .full_name
                            .rsplit_once(' ')
                            .map_or("", |(sgg, _)| sgg)
                    )
                }),
                ordinance_on: founded.then_some(date!(2019 - 03 - 28)),
                pilot_designated_on: founded.then_some(date!(2019 - 04 - 15)),
            })?;
            records.push((r.region.code.clone(), council));
        }
    }
    let place = RegionCode::parse("1111051500")?;
    records.retain(|(c, _)| *c != place);
    records.push((
        place.clone(),
        Council::new(Council {
            status: CouncilStatus::Pilot,
            ordinance: Some("서울특별시 종로구 주민자치회 시범실시 조례 (예시)".into()),
            ordinance_on: Some(date!(2019 - 03 - 28)),
            pilot_designated_on: Some(date!(2019 - 04 - 15)),
        })?,
    ));
    store.councils().import(records).await?;

    let councils = store.councils();
    let mut subs = Vec::new();
    for name in ["복지분과", "환경안전분과", "마을문화분과"] {
        subs.push(councils.add_subcommittee(&place, name.into()).await?);
    }
    for (title, held_on, sub, attended, agenda, minutes) in [
        (
            "2026년 2월 정기회의",
            date!(2026 - 02 - 10),
            None,
            21,
            "제3기 위원 공개추첨 방법, 2026년 자치계획 초안",
            "1. 공개추첨 시드는 회의에서 주사위를 굴려 정하기로 함.\n2. 자치계획 초안을 분과별로 검토해 3월 회의에 올리기로 함.",
        ),
        (
            "복지분과 3월 회의",
            date!(2026 - 03 - 05),
            Some(subs[0]),
            6,
            "홀로 사는 어르신 안부 확인 사업",
            "경로당 세 곳과 함께 주 1회 안부 전화를 하기로 하고, 주민총회 안건으로 올리기로 함.",
        ),
    ] {
        let members = if sub.is_some() { 8 } else { 25 };
        let meeting = Meeting::new(Meeting {
            title: title.into(),
            held_on,
            agenda: agenda.into(),
            attended,
            members,
            minutes: Some(minutes.into()),
            subcommittee_id: sub,
        })?;
        councils.add_meeting(&place, meeting, officer).await?;
    }

    let lotteries = store.lotteries();
    let rules = Rules::new(Rules {
        seats: 25,
        min_training_hours: 6,
        max_gender_percent: 60,
        reserved: vec![maeul_core::autonomy::lottery::Reservation {
            category: Category::Disadvantaged,
            seats: 2,
        }],
        alternates: 5,
    })?;
    let id = lotteries
        .create(
            &place,
            "제3기 청운효자동 주민자치회 위원 공개추첨".into(),
            rules,
            officer,
        )
        .await?;
    let family = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    let given = [
        "민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지민", "현우", "유진",
    ];
    let applicants = (1..=48)
        .map(|n| {
            let category = match rng.below(10) {
                0 => Category::Disadvantaged,
                1..=2 => Category::Youth,
                3 => Category::Organisation,
                _ => Category::Resident,
            };
            Applicant {
                application: Application {
                    number: format!("2026-{n:03}"),
                    category,
                    gender: if rng.below(10) < 6 {
                        Gender::Female
                    } else {
                        Gender::Male
                    },
                    training_hours: [4, 6, 6, 8, 8, 10, 12][rng.below(7) as usize],
                },
                name: format!(
                    "{}{}",
                    family[rng.below(10) as usize],
                    given[rng.below(10) as usize]
                ),
                school_enrolment: None,
            }
        })
        .collect();
    lotteries.apply(id, applicants).await?;
    lotteries
        .publish_seed(id, "2026-02-10 정기회의 공개 주사위 3 6 1 4 2 5".into())
        .await?;
    lotteries.draw(id).await?;
    let starts = date!(2026 - 03 - 01);
    councils.appoint_drawn(id, starts).await?;
    let members = councils.members(&place, starts).await?;
    let roles = [
        (MemberRole::Chair, None),
        (MemberRole::ViceChair, None),
        (MemberRole::Secretary, None),
        (MemberRole::SubcommitteeChair, Some(subs[0])),
        (MemberRole::SubcommitteeChair, Some(subs[1])),
        (MemberRole::SubcommitteeChair, Some(subs[2])),
    ];
    for (m, (role, sub)) in members.iter().zip(roles) {
        councils.set_role(m.id, role, sub, starts).await?;
    }
    Ok(())
}

/// Agenda items of 청운효자동 at every stage, supported by example residents
/// (`demo.neighbour01` …, with the demo password).
/// A made-up resident-participation programme taking applications this year, so that the
/// catalogue shows an open call and the ministry's history has an entry.
/// A programme open this year, by the demo ministry; its id.
async fn demo_programmes(store: &Store) -> anyhow::Result<Option<i64>> {
    use maeul_core::programme::catalogue::{Programme, Window};

    let Some(ministry) = store.accounts().id_of("demo.ministry").await? else {
        return Ok(None);
    };
    let year = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .year();
    let window = Window {
        opens: time::Date::from_calendar_date(year, time::Month::January, 1)?,
        closes: time::Date::from_calendar_date(year, time::Month::December, 31)?,
    };
    let programme = Programme::new(Programme {
        ministry: "국토교통부".into(),
        name: "주민참여형 소규모 도시재생 (예시)".into(),
        summary: "주민자치회가 세운 마을 계획 가운데 집수리, 골목길 정비, 마을 쉼터 조성을 \
                  지원합니다. 주민이 제안하고 총회에서 정한 사업이 대상입니다."
            .into(),
        target: "읍·면·동 주민자치회 (시·군·구를 거쳐 신청)".into(),
        amount_min: Some(100_000_000),
        amount_max: Some(500_000_000),
        years: Some(2),
        window: Some(window),
        ..Programme::default()
    })?;
    Ok(Some(
        store.programmes().create(year, programme, ministry).await?,
    ))
}

async fn demo_agenda(store: &Store) -> anyhow::Result<()> {
    use maeul_core::autonomy::agenda::{Ladder, Proposal, Topic};

    let place = RegionCode::parse("1111051500")?;
    let (Some(proposer), Some(officer)) = (
        store.accounts().id_of("demo.resident").await?,
        store.accounts().id_of("demo.officer").await?,
    ) else {
        return Ok(());
    };
    let hash = demo_hash();
    let mut neighbours = Vec::new();
    for n in 1..=24 {
        let login = format!("demo.neighbour{n:02}");
        add_user(
            store,
            &login,
            &format!("이웃{n}"),
            &hash,
            Grant::new(Role::Resident, place.clone())?,
        )
        .await?;
        if let Some(id) = store.accounts().id_of(&login).await? {
            neighbours.push(id);
        }
    }
    let agenda = store.agenda();
    agenda.set_ladder(&place, Ladder::new(10, 20)?).await?;
    let items = [
        (
            "경로당 앞 횡단보도 설치",
            "청운경로당 앞 도로에 횡단보도가 없어 어르신들이 멀리 돌아가거나 무단횡단을 합니다. 횡단보도와 과속방지턱을 요청합니다.",
            Topic::Safety,
            Some(3_000_000),
            22,
            None,
        ),
        (
            "골목 화단 가꾸기",
            "자하문로 골목의 빈 화분대를 주민이 함께 가꾸면 좋겠습니다. 봄·가을 두 번 모여 심고 돌봅니다.",
            Topic::Environment,
            Some(1_500_000),
            12,
            None,
        ),
        (
            "청소년 공부방 운영시간 연장",
            "주민센터 공부방이 저녁 6시에 닫아 학생들이 쓰기 어렵습니다. 평일 9시까지 열어 주세요.",
            Topic::Education,
            None,
            4,
            None,
        ),
        (
            "마을버스 배차 간격 조정",
            "출근 시간 마을버스 배차가 20분이라 너무 깁니다.",
            Topic::Transport,
            None,
            21,
            Some(
                "구청 교통행정과와 협의해 2026년 1월부터 출근 시간 배차를 12분으로 줄이기로 했습니다.",
            ),
        ),
    ];
    for (title, body, topic, cost, supports, answer) in items {
        let id = agenda
            .propose(
                &place,
                Proposal::new(Proposal {
                    title: title.into(),
                    body: body.into(),
                    topic,
                    rough_cost: cost,
                })?,
                proposer,
            )
            .await?;
        for n in &neighbours[..supports] {
            agenda.support(id, *n).await?;
        }
        if let Some(a) = answer {
            agenda.answer(id, a.into(), officer).await?;
        }
    }
    Ok(())
}

/// 청운효자동's autonomy plan for 2026, put to the 2025 assembly as one question within a
/// limit of 10 million won (the options the demo's ballots and paper tallies vote on).
async fn demo_plan_put(
    store: &Store,
    place: &RegionCode,
    assembly: i64,
    officer: i64,
) -> anyhow::Result<i64> {
    use maeul_core::autonomy::plan::{Ballot, Funding, PlanItem, ballot_items};
    use maeul_core::topic::Topic;

    let subcommittees = store.councils().subcommittees(place).await?;
    let sub = |name: &str| subcommittees.iter().find(|s| s.name == name).map(|s| s.id);
    let plans = store.plans();
    let plan = plans.create(place, 2026, officer).await?;
    let items = [
        (
            "골목 화단 가꾸기",
            "자하문로 골목 화분대에 주민이 꽃을 심고 돌봅니다.",
            Topic::Environment,
            6_000_000,
            Funding::ResidentTaxReturn,
            "환경안전분과",
        ),
        (
            "경로당 안전손잡이",
            "청운경로당 계단과 화장실에 안전손잡이를 답니다.",
            Topic::Ageing,
            4_000_000,
            Funding::ParticipatoryBudget,
            "복지분과",
        ),
        (
            "공유 창고",
            "마을 공구와 행사 물품을 함께 쓰는 창고를 둡니다.",
            Topic::Community,
            5_000_000,
            Funding::ResidentTaxReturn,
            "마을문화분과",
        ),
    ];
    for (title, description, topic, budget, funding, subcommittee) in items {
        let item = PlanItem::new(PlanItem {
            title: title.into(),
            description: description.into(),
            topic,
            budget,
            funding,
            subcommittee_id: sub(subcommittee),
            agenda_item_id: None,
        })?;
        plans.add_item(plan, item, officer).await?;
    }
    plans
        .set_funds(
            plan,
            [
                (Funding::ResidentTaxReturn, 7_000_000),
                (Funding::ParticipatoryBudget, 4_000_000),
            ]
            .into_iter()
            .collect(),
            officer,
        )
        .await?;
    plans
        .put_to_assembly(plan, assembly, officer, |items, rules| {
            let on: Vec<&str> = rules.items.iter().map(|i| i.title.as_str()).collect();
            ballot_items(
                items,
                Ballot::WithinLimit(10_000_000),
                "2026년 자치계획 (한도 1,000만 원)",
                &on,
            )
        })
        .await?;
    Ok(plan)
}

/// The 2026 plan decided by its assembly and carried out: milestones, updates with progress and
/// spending, one milestone late.
async fn demo_projects(
    store: &Store,
    plan: i64,
    assembly: i64,
    officer: i64,
) -> anyhow::Result<()> {
    use maeul_core::autonomy::plan::Status;
    use maeul_core::autonomy::project::{Milestone, Update};
    use time::macros::date;

    let (winners, detail) = store.assemblies().counted(assembly).await?.plan_decision();
    let plans = store.plans();
    plans
        .record_decision(plan, assembly, winners, detail, officer)
        .await?;
    plans.advance(plan, Status::Executing, officer).await?;
    let Some(stored) = plans.get(plan).await? else {
        return Ok(());
    };
    let projects = store.projects();
    let adopted = stored
        .items
        .iter()
        .filter(|i| i.decision == maeul_core::autonomy::plan::Decision::Adopted);
    for (n, item) in adopted.enumerate() {
        let steps = [
            (
                "주민 설명회",
                date!(2026 - 02 - 28),
                Some(date!(2026 - 02 - 26)),
            ),
            (
                "업체 선정과 계약",
                date!(2026 - 04 - 30),
                Some(date!(2026 - 05 - 08)),
            ),
            (
                "설치·조성",
                date!(2026 - 09 - 30),
                (n == 0).then_some(date!(2026 - 09 - 20)),
            ),
            ("정산과 주민 보고", date!(2026 - 12 - 20), None),
        ];
        for (title, due, done) in steps {
            let id = projects
                .add_milestone(item.id, Milestone::new(title, due, 2026)?, officer)
                .await?;
            if let Some(done) = done {
                projects
                    .complete_milestone(item.id, id, done, officer)
                    .await?;
            }
        }
        let updates: &[(&str, i64, Option<i64>)] = if n == 0 {
            &[
                (
                    "주민 설명회에 32명이 와서 심을 꽃과 돌볼 순번을 정했습니다.",
                    20,
                    None,
                ),
                (
                    "화분대 40곳에 봄꽃을 심었습니다. 가을 꽃은 10월에 심습니다.",
                    70,
                    Some(4_100_000),
                ),
                (
                    "가을 꽃까지 심어 조성을 마쳤습니다. 12월에 정산을 보고합니다.",
                    90,
                    Some(5_650_000),
                ),
            ]
        } else {
            &[(
                "업체 계약이 1주 늦어졌습니다. 설치는 여름에 시작합니다.",
                30,
                Some(400_000),
            )]
        };
        for (body, progress, spent) in updates {
            projects
                .post_update(item.id, Update::new(body, *progress, *spent)?, officer)
                .await?;
        }
    }
    demo_corporation(store, &stored, officer).await
}

/// A made-up social co-operative of 청운효자동 that the council commissions to keep the garden
/// it adopted, with its reports.
async fn demo_corporation(
    store: &Store,
    plan: &maeul_store::autonomy::plan::Plan,
    officer: i64,
) -> anyhow::Result<()> {
    use maeul_core::autonomy::corporation::{
        Contract, ContractKind, OrgKind, Organisation, Report,
    };
    use time::macros::date;

    let place = RegionCode::parse(&plan.emd_code)?;
    let corporations = store.corporations();
    let org = Organisation::new(Organisation {
        name: "청운마을 사회적협동조합 (예시)".into(),
        kind: OrgKind::SocialCooperative,
        registration_no: None,
        representative: "홍길동".into(),
        founded_on: Some(date!(2021 - 03 - 02)),
        contact: "청운효자동 주민센터 2층".into(),
        description: "주민이 출자해 만든 협동조합으로 골목 화단과 공유 공간을 돌봅니다.".into(),
    })?;
    let id = corporations.register(&place, org, officer).await?;
    let garden = plan.items.iter().find(|i| {
        i.item.title == "골목 화단 가꾸기"
            && i.decision == maeul_core::autonomy::plan::Decision::Adopted
    });
    let contract = Contract::new(Contract {
        title: "골목 화단 조성·관리 위탁".into(),
        kind: ContractKind::Commissioned,
        amount: 5_500_000,
        starts_on: date!(2026 - 03 - 15),
        ends_on: date!(2026 - 12 - 15),
        plan_item_id: garden.map(|i| i.id),
    })?;
    let contract = corporations.add_contract(id, contract, officer).await?;
    for (body, spent) in [
        (
            "봄꽃 식재를 마쳤습니다. 조합원 12명과 주민 20명이 함께했습니다.",
            2_400_000,
        ),
        ("가을 식재와 물주기 순번표 정비를 마쳤습니다.", 5_200_000),
    ] {
        corporations
            .add_report(contract, Report::new(body, Some(spent))?, officer)
            .await?;
    }
    Ok(())
}

/// 청운효자동's autonomy plan for next year, in draft: two items from residents' agenda items
/// and one the council adds itself, each with its subcommittee and funding source; the last is
/// being linked to the demo's small-scale regeneration programme, in consultation with 종로구.
async fn demo_plan(store: &Store, programme: Option<i64>) -> anyhow::Result<()> {
    use maeul_core::autonomy::plan::{Funding, PlanItem};
    use maeul_core::topic::Topic;
    use maeul_store::autonomy::agenda::{ItemFilter, Sort};

    let place = RegionCode::parse("1111051500")?;
    let Some(member) = store.accounts().id_of("demo.council").await? else {
        return Ok(());
    };
    let (agenda, _) = store
        .agenda()
        .list(
            ItemFilter {
                emd: place.to_string(),
                status: None,
                topic: None,
                sort: Sort::Newest,
            },
            0,
            50,
        )
        .await?;
    let agenda_id = |title: &str| {
        agenda
            .iter()
            .find(|i| i.proposal.title == title)
            .map(|i| i.id)
    };
    let subcommittees = store.councils().subcommittees(&place).await?;
    let sub = |name: &str| subcommittees.iter().find(|s| s.name == name).map(|s| s.id);
    // Next year's, and never the 2026 plan the demo assembly decided.
    let year = (time::OffsetDateTime::now_utc().year() + 1).max(2027);
    let plans = store.plans();
    let plan = plans.create(&place, year, member).await?;
    let items = [
        (
            "골목 화단 가꾸기",
            "자하문로 골목의 빈 화분대 40곳을 주민이 봄·가을에 함께 심고 돌봅니다.",
            Topic::Environment,
            1_500_000,
            Funding::ResidentTaxReturn,
            "환경안전분과",
            agenda_id("골목 화단 가꾸기"),
        ),
        (
            "경로당 앞 안전한 길 만들기",
            "청운경로당 앞 횡단보도 설치를 구청에 요청하고, 어르신 보행 안전 캠페인을 엽니다.",
            Topic::Safety,
            3_000_000,
            Funding::ParticipatoryBudget,
            "복지분과",
            agenda_id("경로당 앞 횡단보도 설치"),
        ),
        (
            "빈집을 고쳐 마을 사랑방으로",
            "오래 비어 있는 골목 안 한옥을 고쳐 주민 사랑방과 공유 부엌으로 씁니다. 국토교통부 소규모 재생사업 공모와 연계합니다.",
            Topic::Housing,
            50_000_000,
            Funding::Grant,
            "마을문화분과",
            None,
        ),
    ];
    for (title, description, topic, budget, funding, subcommittee, agenda_item_id) in items {
        let item = PlanItem::new(PlanItem {
            title: title.into(),
            description: description.into(),
            topic,
            budget,
            funding,
            subcommittee_id: sub(subcommittee),
            agenda_item_id,
        })?;
        let item_id = plans.add_item(plan, item, member).await?;
        if let Some(programme) = programme
            && funding == Funding::Grant
        {
            demo_linkage(store, &place, programme, item_id, title, member).await?;
        }
    }
    Ok(())
}

async fn demo_linkage(
    store: &Store,
    place: &RegionCode,
    programme: i64,
    plan_item: i64,
    title: &str,
    member: i64,
) -> anyhow::Result<()> {
    use maeul_core::programme::linkage::{Stage, Step};
    use maeul_store::linkage::Start;

    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let linkages = store.linkages();
    let id = linkages
        .start(
            place,
            Start {
                programme_id: programme,
                title: title.into(),
                owner: "주민자치회 마을문화분과 이위원".into(),
                plan_item_id: Some(plan_item),
                agenda_item_id: None,
            },
            today - time::Duration::days(14),
            member,
        )
        .await?;
    let step = Step::new(
        Stage::Candidate,
        Step {
            stage: Stage::Consultation,
            on: today - time::Duration::days(7),
            owner: "종로구 도시재생과 사업 담당".into(),
            note: "구청 도시재생과와 첫 협의: 빈집 소유자 동의서와 주민총회 의결이 신청 요건."
                .into(),
            due_on: Some(today + time::Duration::days(30)),
            amount: None,
        },
    )?;
    linkages.record(id, Stage::Candidate, step, member).await?;
    Ok(())
}

/// Grant calls of the demo: one like 2019's public-service linkage call (49 si/gun/gu selected,
/// 50 million won each), run through to its results and reports by made-up experts; and one
/// taking applications now, so that `demo.programme` (종로구) can apply and `demo.expert`
/// will score it.
async fn demo_grant_calls(store: &Store) -> anyhow::Result<()> {
    use maeul_core::autonomy::corporation::Report;
    use maeul_core::programme::grant_call::{self, Call, Criterion, Proposal, Unit};
    use maeul_core::region::Level;
    use maeul_store::grant_call::Applicant;
    use maeul_store::region::RegionFilter;
    use time::macros::date;

    let (Some(ministry), Some(programme)) = (
        store.accounts().id_of("demo.ministry").await?,
        store.accounts().id_of("demo.programme").await?,
    ) else {
        return Ok(());
    };
    let hash = demo_hash();
    let mut reviewers = Vec::new();
    for (n, name) in [(1, "심사위원 가"), (2, "심사위원 나")] {
        let login = format!("demo.reviewer{n}");
        let grant = Grant::new(Role::Expert, RegionCode::nation())?;
        add_user(store, &login, name, &hash, grant).await?;
        if let Some(id) = store.accounts().id_of(&login).await? {
            reviewers.push((login, id));
        }
    }
    let criteria = |c: &[(&str, u32)]| -> Vec<Criterion> {
        c.iter()
            .map(|(name, weight)| Criterion {
                name: (*name).into(),
                weight: *weight,
            })
            .collect()
    };
    let calls = store.grant_calls();

    // 2019: sixty si/gun/gu apply; the top 49 within 2.45 billion won are selected.
    let past = Call::new(Call {
        title: "주민자치형 공공서비스 구축 공모 (2019년, 예시)".into(),
        ministry: "행정안전부".into(),
        summary: "읍·면·동 주민자치회와 찾아가는 보건복지를 잇는 공공서비스 모델을 만드는 \
                  시·군·구에 1곳당 5천만 원을 지원합니다."
            .into(),
        programme_id: None,
        budget: 2_450_000_000,
        award_cap: 50_000_000,
        units: vec![Unit::Sigungu],
        eligibility: "주민자치회를 시범 실시하는 시·군·구".into(),
        criteria: criteria(&[
            ("추진 의지와 계획의 적정성", 30),
            ("주민 참여", 30),
            ("공공서비스 연계", 25),
            ("지속 가능성", 15),
        ]),
        pass_mark: 60,
        opens_on: date!(2019 - 03 - 04),
        closes_on: date!(2019 - 04 - 05),
        announce_on: date!(2019 - 05 - 10),
    })?;
    let call = calls.create(past, ministry).await?;
    for (login, _) in &reviewers {
        calls.assign(call, login).await?;
    }
    let filter = RegionFilter {
        level: Some(Level::Sigungu),
        ..RegionFilter::default()
    };
    let mut sigungus: Vec<RegionCode> = store
        .regions()
        .list(filter, 0, 500)
        .await?
        .items
        .into_iter()
        .filter(|r| grant_call::applies(r.region.kind, true))
        .map(|r| r.region.code)
        .collect();
    let mut rng = Lcg(2019);
    let mut applicants = vec![RegionCode::parse("1111000000")?];
    while applicants.len() < 60 && !sigungus.is_empty() {
        let i = rng.below(sigungus.len() as u64) as usize;
        let code = sigungus.swap_remove(i);
        if !applicants.contains(&code) {
            applicants.push(code);
        }
    }
    let mut apps = Vec::new();
    for (n, sigungu) in applicants.into_iter().enumerate() {
        let proposal = Proposal {
            title: format!("찾아가는 마을복지 연계 사업 {:02}", n + 1),
            summary: "주민자치회 복지분과와 맞춤형복지팀이 함께 이웃을 찾고 돕습니다.".into(),
            amount: 50_000_000,
        };
        let applicant = Applicant {
            sigungu,
            place: None,
        };
        let id = calls
            .apply(call, applicant, proposal, date!(2019 - 03 - 20), programme)
            .await?;
        // Fifty-four sound plans and six below the pass mark, whatever the experts' spread.
        let quality = if n == 0 {
            92
        } else if n < 54 {
            62 + rng.below(34) as i64
        } else {
            45 + rng.below(10) as i64
        };
        apps.push((id, quality));
    }
    calls.close(call).await?;
    for (_, reviewer) in &reviewers {
        for (id, quality) in &apps {
            let scores = (0..4).map(|_| quality + rng.below(4) as i64).collect();
            calls.score(*id, *reviewer, scores, String::new()).await?;
        }
    }
    calls.award(call, date!(2019 - 05 - 10)).await?;
    let jongno = apps[0].0;
    for (body, spent) in [
        (
            "주민자치회 복지분과와 동 맞춤형복지팀이 함께 위기가구 120곳을 방문했습니다.",
            21_000_000,
        ),
        (
            "마을 돌봄 이웃 40명을 교육하고 사업을 마쳤습니다. 정산을 제출했습니다.",
            49_600_000,
        ),
    ] {
        calls
            .report(jongno, Report::new(body, Some(spent))?, programme)
            .await?;
    }

    // Now: a call open for a month, with an expert assigned and applications coming in.
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let open = Call::new(Call {
        title: format!(
            "{}년 주민자치 공공서비스 연계 공모 (예시)",
            today.year() + 1
        ),
        ministry: "행정안전부".into(),
        summary: "읍·면·동 주민자치회가 자치계획으로 정한 사업 가운데 돌봄·안전·주거처럼 \
                  공공서비스와 잇는 사업을 지원합니다. 시·군·구가 직접 하거나 읍·면·동을 \
                  위해 신청합니다."
            .into(),
        programme_id: None,
        budget: 2_500_000_000,
        award_cap: 50_000_000,
        units: vec![Unit::Sigungu, Unit::Emd],
        eligibility: "주민자치회가 구성된 읍·면·동이 있는 시·군·구".into(),
        criteria: criteria(&[
            ("주민 참여와 총회 의결", 35),
            ("공공서비스 연계", 30),
            ("실현 가능성", 20),
            ("지속 가능성", 15),
        ]),
        pass_mark: 60,
        opens_on: today - time::Duration::days(7),
        closes_on: today + time::Duration::days(30),
        announce_on: today + time::Duration::days(60),
    })?;
    let call = calls.create(open, ministry).await?;
    calls.assign(call, "demo.expert").await?;
    let sido = store
        .accounts()
        .id_of("demo.sido")
        .await?
        .unwrap_or(ministry);
    for (sigungu, title, amount) in [
        ("1114000000", "중구 골목 안전 지킴이", 30_000_000),
        ("1117000000", "용산구 마을 공유 부엌", 45_000_000),
    ] {
        let applicant = Applicant {
            sigungu: RegionCode::parse(sigungu)?,
            place: None,
        };
        let proposal = Proposal {
            title: title.into(),
            summary: "주민총회에서 정한 사업입니다.".into(),
            amount,
        };
        calls.apply(call, applicant, proposal, today, sido).await?;
    }
    Ok(())
}

/// The good-practice library of the demo: published cases of 청운효자동 (linked to the plan
/// item it carried out and the agenda item it grew from), of 종로구 and of a 면 in 곡성군, and one
/// waiting for the ministry's review.
async fn demo_practices(store: &Store, programme: Option<i64>) -> anyhow::Result<()> {
    use maeul_core::autonomy::plan::Decision as PlanDecision;
    use maeul_core::practice::{Decision, Practice, Review};
    use maeul_core::topic::Topic;
    use maeul_store::autonomy::agenda::{ItemFilter, Sort};

    let (Some(ministry), Some(autonomy), Some(gu), Some(rural)) = (
        store.accounts().id_of("demo.ministry").await?,
        store.accounts().id_of("demo.autonomy").await?,
        store.accounts().id_of("demo.programme").await?,
        store.accounts().id_of("demo.rural.autonomy").await?,
    ) else {
        return Ok(());
    };
    let cheongun = RegionCode::parse("1111051500")?;
    let garden = store
        .plans()
        .of_place(&cheongun)
        .await?
        .into_iter()
        .flat_map(|p| p.items)
        .find(|i| i.item.title == "골목 화단 가꾸기" && i.decision == PlanDecision::Adopted);
    let filter = ItemFilter {
        emd: cheongun.to_string(),
        status: None,
        topic: None,
        sort: Sort::Newest,
    };
    let (agenda, _) = store.agenda().list(filter, 0, 100).await?;
    let agenda_id = |title: &str| {
        agenda
            .iter()
            .find(|i| i.proposal.title == title)
            .map(|i| i.id)
    };
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let cases = [
        (
            "1111051500",
            autonomy,
            Practice {
                title: "골목 화단을 주민이 함께 가꾸다 (예시)".into(),
                topic: Topic::Environment,
                summary: "주민총회에서 정한 골목 화단을 사회적협동조합에 맡기고, 주민 순번표로 물주기를 \
                          나누어 한 해 내내 가꾸었습니다."
                    .into(),
                body: "1. 마을 의제로 제안된 골목 화단을 환경분과가 현장 조사했습니다.\n\
                       2. 주민총회에서 자치계획 사업으로 정하고 예산을 세웠습니다.\n\
                       3. 조성과 관리를 마을의 사회적협동조합에 위탁하고, 주민 20명이 물주기 \
                       순번을 맡았습니다."
                    .into(),
                results: "쓰레기 무단 투기가 줄고, 이웃이 골목에서 자주 만나게 되었습니다. 위탁 계약에 \
                          주민 참여 방식을 함께 적어 두는 것이 좋습니다."
                    .into(),
                programme_id: None,
                agenda_item_id: agenda_id("골목 화단 가꾸기"),
                plan_item_id: garden.map(|i| i.id),
            },
            true,
        ),
        (
            "1111000000",
            gu,
            Practice {
                title: "주민자치회와 맞춤형복지팀이 함께 찾는 이웃 (예시)".into(),
                topic: Topic::Care,
                summary: "공모사업으로 동마다 주민자치회 복지분과와 맞춤형복지팀이 짝을 이루어 위기가구를 \
                          함께 찾았습니다."
                    .into(),
                body: "구가 공공서비스 연계 공모에 선정된 뒤, 17개 동 주민자치회 복지분과 위원이 \
                       동 복지팀과 함께 발굴 대상 가구를 방문했습니다."
                    .into(),
                results: "위기가구 120곳을 방문해 38곳을 공공 지원과 민간 자원에 이었습니다.".into(),
                programme_id: None,
                agenda_item_id: None,
                plan_item_id: None,
            },
            true,
        ),
        (
            "4672025000",
            rural,
            Practice {
                title: "면 단위 마을 돌봄 이웃 (예시)".into(),
                topic: Topic::Ageing,
                summary: "홀로 사는 어르신이 많은 면에서 마을 이장과 주민자치회가 돌봄 이웃을 맺었습니다."
                    .into(),
                body: "주민자치회가 마을마다 돌봄 이웃을 두고, 면 복지 담당과 한 달에 한 번 모여 \
                       살핀 내용을 나눕니다."
                    .into(),
                results: String::new(),
                programme_id: programme,
                agenda_item_id: None,
                plan_item_id: None,
            },
            true,
        ),
        (
            "1111051500",
            autonomy,
            Practice {
                title: "경로당 안전손잡이로 낙상 줄이기 (예시)".into(),
                topic: Topic::Safety,
                summary: "총회에서 정한 경로당 안전손잡이를 설치하고 낙상 예방 교실을 열었습니다.".into(),
                body: "안전분과가 경로당 세 곳을 살피고, 손잡이 설치와 함께 방문간호사의 낙상 예방 \
                       교실을 열었습니다."
                    .into(),
                results: String::new(),
                programme_id: None,
                agenda_item_id: None,
                plan_item_id: None,
            },
            false,
        ),
    ];
    for (region, by, case, publish) in cases {
        let id = store
            .practices()
            .submit(&RegionCode::parse(region)?, Practice::new(case)?, by)
            .await?;
        if publish {
            store
                .practices()
                .review(
                    id,
                    Review::new(Decision::Publish, "")?,
                    None,
                    today,
                    ministry,
                )
                .await?;
        }
    }
    Ok(())
}

/// Organisation models of 종로구 and 곡성군: most places at their target, some with a planned
/// transition (one whose day has passed, some after the target day), a few not recorded.
async fn demo_org_models(store: &Store) -> anyhow::Result<()> {
    use maeul_core::org::model::{OrgModel, Organisation};
    use time::macros::date;

    let rules = store.org_models().rules().await?;
    // Days from today, so that the demo's places stay late or overdue whenever it is run.
    let today = time::OffsetDateTime::now_utc().date();
    let late = today + time::Duration::days(400);
    let overdue = today - time::Duration::days(120);
    let mut records = Vec::new();
    for sigungu in ["1111000000", "4672000000"] {
        let places = store
            .org_models()
            .places(&RegionCode::parse(sigungu)?)
            .await?;
        for (i, place) in places.into_iter().enumerate() {
            let myeon = place.kind == maeul_core::region::RegionKind::Myeon;
            let (model, since, planned) = match (myeon, i % 6) {
                (_, 5) => continue,
                (true, n) if n % 2 == 0 => {
                    (OrgModel::RuralSpecialised, date!(2020 - 01 - 01), None)
                }
                (true, 3) => (
                    OrgModel::ServiceLinked,
                    date!(2019 - 07 - 01),
                    Some((OrgModel::RuralSpecialised, late)),
                ),
                (true, _) => (OrgModel::Basic, date!(2018 - 07 - 01), None),
                (false, 1) => (
                    OrgModel::Basic,
                    date!(2018 - 07 - 01),
                    Some((OrgModel::ServiceLinked, late)),
                ),
                (false, 3) => (
                    OrgModel::Basic,
                    date!(2018 - 07 - 01),
                    Some((OrgModel::ServiceLinked, overdue)),
                ),
                (false, _) => (OrgModel::ServiceLinked, date!(2019 - 07 - 01), None),
            };
            let o = Organisation::new(
                place.kind,
                model,
                Some(since),
                (planned.map(|p| p.0), planned.map(|p| p.1)),
                None,
                &rules,
            )?;
            records.push((place.code, o));
        }
    }
    store.org_models().import(records).await?;
    Ok(())
}

/// The staff posts of 종로구 and 곡성군: two programme posts at the head office (one vacant), two
/// welfare posts and one autonomy post in every eup/myeon/dong (every fifth place with a welfare
/// vacancy), and a nurse of the health centre for every two places.
async fn demo_staffing(store: &Store) -> anyhow::Result<()> {
    use maeul_core::org::staffing::{Post, StaffKind, check_units};
    use maeul_store::region::RegionFilter;

    let Some(by) = store.accounts().id_of("demo.programme").await? else {
        return Ok(());
    };
    const NAMES: [&str; 6] = ["김하늘", "이바다", "박산들", "최누리", "정가람", "한별"];
    let mut n = 0;
    let mut holder = |vacant: bool| {
        n += 1;
        (!vacant).then(|| NAMES[n % NAMES.len()])
    };
    for code in ["1111000000", "4672000000"] {
        let Some(sigungu) = store.regions().get(&RegionCode::parse(code)?).await? else {
            continue;
        };
        let places = store
            .regions()
            .list(
                RegionFilter {
                    parent: Some(sigungu.region.code.clone()),
                    ..RegionFilter::default()
                },
                0,
                1000,
            )
            .await?
            .items;
        let mut posts = vec![
            (StaffKind::Programme, &sigungu, &sigungu, holder(false)),
            (StaffKind::Programme, &sigungu, &sigungu, holder(true)),
        ];
        for (i, place) in places.iter().enumerate() {
            posts.push((StaffKind::Welfare, place, place, holder(false)));
            posts.push((StaffKind::Welfare, place, place, holder(i % 5 == 4)));
            posts.push((StaffKind::Autonomy, place, place, holder(false)));
            if i % 2 == 0 {
                posts.push((StaffKind::Nurse, &sigungu, place, holder(false)));
            }
        }
        for (kind, quota, placement, name) in posts {
            // 종로구 and 곡성군 are local governments; their places hold their own posts.
            let local = quota.region.code == sigungu.region.code;
            check_units(
                kind,
                &quota.region,
                local,
                &placement.region,
                &placement.path,
            )?;
            let since = name.map(|_| time::macros::date!(2024 - 01 - 02));
            store
                .staffing()
                .add(
                    Post::new(kind, name, since)?,
                    (&quota.region.code, &quota.path),
                    (&placement.region.code, &placement.path),
                    by,
                )
                .await?;
        }
    }
    Ok(())
}

/// The promotion council of 종로구: its departments, a dong, a council and a local organisation,
/// with a meeting that set the year's implementation plan and linked a local resource.
async fn demo_promotion_council(store: &Store) -> anyhow::Result<()> {
    use maeul_core::cooperation::promotion_council::{Affiliation, DecisionKind, Meeting, Member};
    use time::macros::date;

    let Some(by) = store.accounts().id_of("demo.programme").await? else {
        return Ok(());
    };
    let jongno = RegionCode::parse("1111000000")?;
    let joined = date!(2020 - 03 - 02);
    for (name, affiliation, organisation, chair) in [
        (
            "윤총괄",
            Affiliation::SigunguDepartment,
            "종로구 자치행정과",
            true,
        ),
        (
            "조사례",
            Affiliation::SigunguDepartment,
            "종로구 희망복지지원단",
            false,
        ),
        (
            "한동장",
            Affiliation::EmdDepartment,
            "청운효자동 행정복지센터",
            false,
        ),
        (
            "박회장",
            Affiliation::ResidentCouncil,
            "청운효자동 주민자치회",
            false,
        ),
        (
            "서나눔",
            Affiliation::LocalOrganisation,
            "종로구 사회복지협의회 (예시)",
            false,
        ),
    ] {
        let m = Member::new(name, affiliation, organisation, chair, joined)?;
        store
            .promotion_councils()
            .add_member(&jongno, m, by)
            .await?;
    }
    let meeting = Meeting::new(
        "2026년 제1차 추진협의회",
        date!(2026 - 03 - 16),
        11,
        "주민자치형 공공서비스 2026년 실시계획을 심의하고, 청운효자동 마을 정원 사업에 구의 녹지 자원을 잇는 방안을 논의함.",
        vec![
            (
                DecisionKind::ImplementationPlan,
                "2026년 실시계획 확정".into(),
            ),
            (
                DecisionKind::ResourceLinkage,
                "청운효자동 마을 정원에 공원녹지과 묘목 지원 연계".into(),
            ),
        ],
    )?;
    store
        .promotion_councils()
        .add_meeting(&jongno, meeting, by)
        .await?;
    Ok(())
}

/// An MOU of 청운효자동's local actors on the garden the promotion council linked a resource to.
async fn demo_mous(store: &Store) -> anyhow::Result<()> {
    use maeul_core::cooperation::mou::{Kind, Mou};
    use time::macros::date;

    let Some(by) = store.accounts().id_of("demo.autonomy").await? else {
        return Ok(());
    };
    let parties = [
        "청운효자동 주민자치회",
        "청운효자동 행정복지센터",
        "종로구 사회복지협의회 (예시)",
    ];
    let mou = Mou::new(
        "마을 정원 공동 운영 협약 (예시)",
        Kind::LocalActors,
        &parties.map(String::from),
        date!(2026 - 04 - 02),
        Some(date!(2027 - 12 - 31)),
        "주민자치회가 정원 가꾸기 모임을 꾸리고, 행정복지센터가 장소와 물품을, 사회복지협의회가 어르신 참여를 잇는다.",
        time::OffsetDateTime::now_utc().date(),
    )?;
    store
        .mous()
        .create(&RegionCode::parse("1111051500")?, mou, by)
        .await?;
    Ok(())
}

/// The demo expert (한전문, who has the `demo.expert` account) in 서울특별시's pool, and a
/// consulting request of 청운효자동 waiting for 서울특별시 to assign an expert.
async fn demo_consulting(store: &Store) -> anyhow::Result<()> {
    use maeul_core::consulting::Request;
    use maeul_core::expert::{Availability, Expert, Specialty};

    let (Some(sido), Some(place)) = (
        store.accounts().id_of("demo.sido").await?,
        store.accounts().id_of("demo.autonomy").await?,
    ) else {
        return Ok(());
    };
    let seoul = RegionCode::parse("1100000000")?;
    let expert = Expert::new(Expert {
        name: "한전문".into(),
        organisation: "마을자치연구소 (예시)".into(),
        specialties: vec![Specialty::ResidentAutonomy, Specialty::Facilitation],
        regions: vec![seoul.clone()],
        availability: Availability::Available,
        email: "expert@example.org".into(),
        phone: String::new(),
        profile: "주민총회·분임 토의 진행 (예시)".into(),
    })?;
    store.experts().create(&seoul, expert, sido).await?;
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let cheongun = RegionCode::parse("1111051500")?;
    let request = Request::new(
        &cheongun,
        "주민총회 분임 토의 운영 (예시)",
        Specialty::Facilitation,
        "올해 처음 분임 토의로 의제를 다듬으려 합니다. 분임 구성과 진행자 교육을 도와줄 전문가가 필요합니다.",
        None,
        today,
    )?;
    store
        .consultations()
        .create(&cheongun, request, place, today)
        .await?;
    Ok(())
}

/// A support organisation's project at 청운효자동, under the place's MOU, with the demo
/// expert as its consultant.
async fn demo_partner_projects(store: &Store) -> anyhow::Result<()> {
    use maeul_core::cooperation::partner_project::{Fund, FundKind, PartnerProject, Stage};
    use time::macros::date;

    let Some(by) = store.accounts().id_of("demo.autonomy").await? else {
        return Ok(());
    };
    let cheongun = RegionCode::parse("1111051500")?;
    let (mous, _) = store.mous().within(&cheongun, 0, 1).await?;
    let (experts, _) = store
        .experts()
        .find(
            maeul_store::expert::ExpertFilter {
                sido: cheongun.sido(),
                ..Default::default()
            },
            0,
            1,
        )
        .await?;
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let project = PartnerProject::new(
        PartnerProject {
            title: "골목 돌봄 마을 (예시)".into(),
            organisation: "마을지원센터 (예시)".into(),
            selected_on: date!(2026 - 03 - 02),
            selected_with: vec![
                "종로구".into(),
                "청운효자동 주민자치회".into(),
                "마을지원센터 (예시)".into(),
            ],
            stage: Stage::Survey,
            agenda: "혼자 사는 어르신이 골목에서 서로 돌보는 마을".into(),
            actors: vec!["청운경로당".into(), "마을 협동조합 (예시)".into()],
            resources: vec!["행정복지센터 3층 강당".into(), "마을 정원".into()],
            funds: vec![Fund {
                source: "사회복지공동모금회 (예시)".into(),
                kind: FundKind::PrivateFund,
                amount_won: 30_000_000,
            }],
            consultants: experts.iter().map(|e| e.id).collect(),
            mou_id: mous.first().map(|m| m.id),
        },
        today,
    )?;
    store
        .partner_projects()
        .create(&cheongun, project, by)
        .await?;
    Ok(())
}

/// A roundtable of 청운효자동 ten days ahead, taking sign-ups.
async fn demo_forums(store: &Store) -> anyhow::Result<()> {
    use maeul_core::forum::{Forum, Kind};
    use time::macros::time;

    let Some(by) = store.accounts().id_of("demo.autonomy").await? else {
        return Ok(());
    };
    let today = time::OffsetDateTime::now_utc()
        .to_offset(maeul_core::format::KST)
        .date();
    let forum = Forum::new(Forum {
        title: "마을 정원 원탁회의 (예시)".into(),
        kind: Kind::Roundtable,
        topic: "마을 정원을 누가 어떻게 가꿀지, 내년 운영비를 주민총회 의제로 올릴지 테이블별로 이야기합니다.".into(),
        held_on: today + time::Duration::days(10),
        starts_at: time!(14:00),
        venue: "청운효자동 행정복지센터 3층 강당".into(),
        capacity: Some(40),
        supported_by: String::new(),
    })?;
    store
        .forums()
        .create(&RegionCode::parse("1111051500")?, forum, by)
        .await?;
    Ok(())
}

/// The officer network of the demo: the ministry, 서울특별시, 종로구 and 청운효자동, and 곡성군,
/// the same people as the demo accounts, with made-up office numbers.
async fn demo_officers(store: &Store) -> anyhow::Result<()> {
    use maeul_core::org::officer::{Field, Officer};

    let Some(by) = store.accounts().id_of("demo.ministry").await? else {
        return Ok(());
    };
    let entries = [
        (
            "0000000000",
            Field::Programme,
            "임추진",
            "주민자치형 공공서비스 추진단",
            "사무관",
            "044-205-0000",
        ),
        (
            "1100000000",
            Field::Programme,
            "장시도",
            "자치행정과",
            "주무관",
            "02-2133-0000",
        ),
        (
            "1111000000",
            Field::Programme,
            "윤총괄",
            "자치행정과",
            "주무관",
            "02-2148-0000",
        ),
        (
            "1111000000",
            Field::CaseManagement,
            "조사례",
            "희망복지지원단",
            "통합사례관리사",
            "02-2148-0001",
        ),
        (
            "1111051500",
            Field::ResidentAutonomy,
            "최자치",
            "청운효자동 행정민원팀",
            "주무관",
            "02-2148-5001",
        ),
        (
            "1111051500",
            Field::Welfare,
            "정복지",
            "청운효자동 맞춤형복지팀",
            "주무관",
            "02-2148-5002",
        ),
        (
            "1111051500",
            Field::VisitingHealth,
            "강간호",
            "청운효자동 맞춤형복지팀",
            "간호사",
            "02-2148-5003",
        ),
        (
            "4672000000",
            Field::Programme,
            "황총괄",
            "행정과",
            "주무관",
            "061-360-0000",
        ),
    ];
    for (region, field, name, department, position, phone) in entries {
        let officer = Officer::new(Officer {
            field,
            name: name.into(),
            department: department.into(),
            position: position.into(),
            phone: phone.into(),
            email: String::new(),
        })?;
        store
            .officers()
            .add(&RegionCode::parse(region)?, officer, by)
            .await?;
    }
    Ok(())
}
