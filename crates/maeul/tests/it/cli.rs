//! The command line: users, region imports.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn maeul(
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_maeul"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("MAEUL_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn users_are_added_granted_and_listed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let add = [
        "user",
        "add",
        "--login",
        "kim.welfare",
        "--name",
        "김복지",
        "--role",
        "welfare_staff",
        "--scope",
        "1111051500",
        "--password-stdin",
    ];
    let (ok, _, err) = maeul(dir.path(), &add, Some("short\n"));
    assert!(!ok, "a weak password is refused");
    assert!(err.contains("10 characters"), "{err}");

    let (ok, out, err) = maeul(dir.path(), &add, Some("correct-horse-9\n"));
    assert!(ok, "{err}");
    assert!(out.contains("kim.welfare added"));
    let (ok, _, err) = maeul(dir.path(), &add, Some("correct-horse-9\n"));
    assert!(!ok && err.contains("taken"), "{err}");

    let bad_scope = [
        "user",
        "grant",
        "--login",
        "kim.welfare",
        "--role",
        "case_manager",
        "--scope",
        "1111051500",
    ];
    let (ok, _, err) = maeul(dir.path(), &bad_scope, None);
    assert!(
        !ok && err.contains("case_manager cannot be granted at the emd level"),
        "{err}"
    );
    let grant = [
        "user",
        "grant",
        "--login",
        "kim.welfare",
        "--role",
        "auditor",
        "--scope",
        "1111000000",
    ];
    let (ok, _, err) = maeul(dir.path(), &grant, None);
    assert!(ok, "{err}");

    let (ok, out, _) = maeul(dir.path(), &["user", "list"], None);
    assert!(ok);
    assert!(
        out.contains("kim.welfare\t김복지\twelfare_staff@1111051500,auditor@1111000000"),
        "{out}"
    );
}

#[test]
fn a_newer_region_release_records_created_and_retired_codes() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/KIKcd_H.20250701.xlsx"
    );
    let (ok, out, err) = maeul(dir.path(), &["import", "regions", xlsx], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("0 created, 0 retired, 0 renamed"),
        "the official file matches the shipped copy: {out}"
    );

    // A later release: 사직동 retired, a new dong created, 청운효자동 renamed.
    let mut csv = String::from("행정동코드,시도명,시군구명,읍면동명,생성일자,말소일자\n");
    csv.push_str("1100000000,서울특별시,,,19880423,\n1111000000,서울특별시,종로구,,19880423,\n");
    csv.push_str("1111051500,서울특별시,종로구,청운동,20081101,\n1111053000,서울특별시,종로구,사직동,19880423,20260101\n");
    csv.push_str("1111099900,서울특별시,종로구,새동,20260101,\n");
    let file = dir.path().join("KIKcd_H.2026.csv");
    std::fs::write(&file, csv).unwrap();
    let (ok, out, err) = maeul(
        dir.path(),
        &["import", "regions", file.to_str().unwrap()],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("created 1111099900"), "{out}");
    assert!(out.contains("renamed 1111051500"), "{out}");
    assert!(out.contains("retired 1111053000"), "{out}");

    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "행정동코드,시도명\n11110,서울특별시\n").unwrap();
    let (ok, _, err) = maeul(
        dir.path(),
        &["import", "regions", broken.to_str().unwrap()],
        None,
    );
    assert!(!ok);
    assert!(err.contains("broken.csv:2"), "errors name the line: {err}");
}

#[test]
fn a_discovery_round_writes_candidates_or_nothing_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.toml");
    std::fs::write(
        &model,
        "name = \"t\"\nas_of = \"2024-03-01\"\nlookback_days = 365\nintercept = -6.0\ntop_per_emd = 20\nmin_probability = 0.0\n\
         [indicators.ELEC_CUT]\nname = \"단전\"\nweight = 1.2\ntransform = \"flag\"\nhalf_life_days = 90\n",
    )
    .unwrap();
    let households = dir.path().join("households.csv");
    std::fs::write(
        &households,
        "household_id,emd_code,members,head_age,tags\nH1,1111051500,2,70,\nH2,4672025000,1,81,\n",
    )
    .unwrap();
    let crisis = dir.path().join("crisis.csv");
    std::fs::write(
        &crisis,
        "household_id,indicator,value,observed_on\nH1,ELEC_CUT,1,2024-02-01\n",
    )
    .unwrap();
    let out = dir.path().join("candidates.csv");
    let args = |crisis: &std::path::Path| {
        vec![
            "discovery".to_owned(),
            "run".into(),
            "--households".into(),
            households.display().to_string(),
            "--crisis".into(),
            crisis.display().to_string(),
            "--model".into(),
            model.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let ok_args = args(&crisis);
    let (ok, stdout, err) = maeul(
        dir.path(),
        &ok_args.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    );
    assert!(ok, "{err}");
    assert!(stdout.contains("1 households listed"), "{stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.starts_with("emd_code,rank,household_id,probability,reasons\n1111051500,1,H1,"),
        "{written}"
    );
    std::fs::remove_file(&out).unwrap();

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "household_id,indicator,value,observed_on\nH1,ELEC_CUT,1,2024-02-30\nNOPE,ELEC_CUT,1,2024-02-01\n").unwrap();
    let bad_args = args(&bad);
    let (ok, _, err) = maeul(
        dir.path(),
        &bad_args.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    );
    assert!(!ok);
    assert!(err.contains("bad.csv:2: observed_on"), "{err}");
    assert!(err.contains("bad.csv:3: household NOPE"), "{err}");
    assert!(!out.exists(), "no output on error");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );

    // Loading the round: the id on the last line, the same id again, nothing from bad files.
    let (ok, _, err) = maeul(
        dir.path(),
        &ok_args.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    );
    assert!(ok, "{err}");
    let load = |candidates: &std::path::Path, name: &str| {
        let args = [
            "discovery",
            "load",
            "--households",
            &households.display().to_string(),
            "--candidates",
            &candidates.display().to_string(),
            "--model",
            &model.display().to_string(),
            "--name",
            name,
            "--opens-on",
            "2026-11-02",
        ]
        .map(str::to_owned);
        maeul(
            dir.path(),
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            None,
        )
    };
    let last_line = |s: &str| s.lines().last().unwrap_or_default().to_owned();
    let (ok, first, err) = load(&out, "2026-6차");
    assert!(ok, "{err}");
    assert!(first.contains("1 households listed"), "{first}");
    let id = last_line(&first);
    assert!(id.parse::<i64>().is_ok(), "{first}");
    let (ok, again, _) = load(&out, "2026-6차");
    assert!(ok);
    assert_eq!(last_line(&again), id, "loading twice changes nothing");
    assert!(again.contains("nothing changed"));

    let wrong = dir.path().join("wrong.csv");
    std::fs::write(
        &wrong,
        "emd_code,rank,household_id,probability,reasons\n1111051500,1,H1,0.5,NOPE\n1111051500,2,H9,0.4,\n",
    )
    .unwrap();
    let (ok, _, err) = load(&wrong, "other");
    assert!(!ok);
    assert!(err.contains("wrong.csv:2: reason"), "{err}");
    assert!(err.contains("wrong.csv:3: household H9 is not in"), "{err}");
    let (ok, _, err) = load(&out, "2026-6차 ");
    assert!(ok, "the name is trimmed: {err}");
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "emd_code,rank,household_id,probability,reasons\n1111051500,1,H1,0.400000,ELEC_CUT\n",
    )
    .unwrap();
    let (ok, _, err) = load(&other, "2026-6차");
    assert!(!ok, "other files under a taken name");
    assert!(err.contains("other files"), "{err}");
    let (ok, _, err) = load(&other, "2026-7차");
    assert!(ok, "{err}");
    assert!(
        dir.path().join("data.key").exists(),
        "the data key lives beside the database, not in it"
    );
}

/// A round whose visits found that one indicator tells need and another does not: the refit
/// raises the first weight above the second and says how the versions compare.
#[tokio::test]
async fn a_model_is_refitted_from_recorded_outcomes() {
    use maeul_core::welfare::discovery::Visit;
    use maeul_store::account::Actor;

    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.toml");
    std::fs::write(
        &model,
        "name = \"t\"\nas_of = \"2024-03-01\"\nlookback_days = 365\nintercept = -6.0\ntop_per_emd = 80\nmin_probability = 0.0\n\
         [indicators.A_TELLS]\nname = \"가\"\nweight = 1.0\ntransform = \"flag\"\nhalf_life_days = 90\n\
         [indicators.B_NOISE]\nname = \"나\"\nweight = 1.0\ntransform = \"flag\"\nhalf_life_days = 90\n",
    )
    .unwrap();
    let (mut households, mut crisis) = (
        String::from("household_id,emd_code,members,head_age,tags\n"),
        String::from("household_id,indicator,value,observed_on\n"),
    );
    for i in 0..80 {
        households.push_str(&format!("H{i:02},1111051500,1,70,\n"));
        // A for the even ones, B for every third: need will follow A only.
        if i % 2 == 0 {
            crisis.push_str(&format!("H{i:02},A_TELLS,1,2024-02-01\n"));
        }
        if i % 3 == 0 || i % 2 == 1 {
            crisis.push_str(&format!("H{i:02},B_NOISE,1,2024-02-01\n"));
        }
    }
    let path = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let (h, c) = (path("h.csv", &households), path("c.csv", &crisis));
    let out = dir.path().join("candidates.csv").display().to_string();
    let m = model.display().to_string();
    let run = |args: &[&str]| {
        let (ok, stdout, err) = maeul(dir.path(), args, None);
        assert!(ok, "{args:?}: {err}");
        stdout
    };
    run(&[
        "discovery",
        "run",
        "--households",
        &h,
        "--crisis",
        &c,
        "--model",
        &m,
        "--out",
        &out,
    ]);
    let loaded = run(&[
        "discovery",
        "load",
        "--households",
        &h,
        "--candidates",
        &out,
        "--model",
        &m,
        "--name",
        "r",
    ]);
    let round: i64 = loaded.lines().last().unwrap().parse().unwrap();

    // Visits recorded through the store of the same data directory, with its key.
    let store = maeul_store::Store::open(maeul_store::DbConfig::Sqlite {
        data_dir: dir.path().to_owned(),
    })
    .await
    .unwrap()
    .with_data_key(maeul_store::keys::load_or_create(&dir.path().join("data.key")).unwrap())
    .await
    .unwrap();
    let login = maeul_core::account::Login::parse("kim.welfare").unwrap();
    let grant = maeul_core::account::Grant::new(
        maeul_core::account::Role::WelfareStaff,
        maeul_core::region::RegionCode::parse("1111051500").unwrap(),
    )
    .unwrap();
    let kim = store
        .accounts()
        .create_user(login, "김", "x".into(), vec![grant], Actor::cli())
        .await
        .unwrap();
    let worker = Actor {
        user_id: Some(kim),
        login: "kim.welfare".into(),
        address: "test".into(),
        region: None,
    };
    let listed = store
        .discovery()
        .candidates(
            maeul_store::welfare::discovery::PlaceList::all(round, "1111051500"),
            0,
            100,
            worker.clone(),
        )
        .await
        .unwrap();
    assert_eq!(listed.total, 80);
    for c in &listed.items {
        let number: usize = c.household_id[1..].parse().unwrap();
        let outcome = if number.is_multiple_of(2) {
            "public_emergency"
        } else {
            "no_support_needed"
        };
        let visit = Visit::new(
            "2024-03-10",
            outcome,
            "",
            time::macros::date!(2026 - 11 - 25),
        )
        .unwrap();
        store
            .discovery()
            .record_visit(c.id, visit, worker.clone())
            .await
            .unwrap();
    }

    let refitted = dir.path().join("model-v2.toml");
    let report = run(&[
        "discovery",
        "fit",
        "--round",
        &round.to_string(),
        "--crisis",
        &c,
        "--out",
        &refitted.display().to_string(),
    ]);
    assert!(report.contains("80 visited households"), "{report}");
    assert!(report.contains("40 needed support"), "{report}");
    assert!(report.contains("version 2 finds 40"), "{report}");
    let text = std::fs::read_to_string(&refitted).unwrap();
    let new = maeul_discovery::Model::parse(&text).unwrap();
    assert_eq!(new.version, 2);
    let weight = |code: &str| {
        new.indicators
            .iter()
            .find(|i| i.code == code)
            .unwrap()
            .weight
    };
    assert!(weight("A_TELLS") > weight("B_NOISE") + 1.0, "{text}");

    let log = store
        .access_log()
        .list(
            maeul_store::audit::AccessFilter {
                subject: Some(format!("discovery_round:{round}")),
                scopes: vec![maeul_core::region::RegionCode::nation()],
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert!(
        log.items
            .iter()
            .any(|e| e.action == maeul_core::audit::AccessAction::Export
                && e.purpose.as_deref().is_some_and(|p| p.contains("재적합"))),
        "the fit's reading of the households is logged with its purpose"
    );
}

#[test]
fn case_rules_are_shown_and_replaced_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, shown, err) = maeul(dir.path(), &["case", "rules"], None);
    assert!(ok, "{err}");
    assert!(shown.contains("assessment_days = 10") && shown.contains("\"법률 및 권익보장\""));
    // What it prints is a rules file itself: edit and set it back.
    let file = dir.path().join("rules.toml");
    std::fs::write(
        &file,
        shown.replace("assessment_days = 10", "assessment_days = 12"),
    )
    .unwrap();
    let path = file.display().to_string();
    let (ok, out, err) = maeul(dir.path(), &["case", "rules", "--set", &path], None);
    assert!(ok, "{err}");
    assert!(out.contains("assessment_days = 12"));
    std::fs::write(&file, "assessment_days = 0").unwrap();
    let (ok, _, err) = maeul(dir.path(), &["case", "rules", "--set", &path], None);
    assert!(!ok && err.contains("rules.toml"), "{err}");
    let (_, shown, _) = maeul(dir.path(), &["case", "rules"], None);
    assert!(
        shown.contains("assessment_days = 12"),
        "a refused file changes nothing"
    );
}

#[tokio::test]
async fn the_sigungu_scale_gives_every_place_a_caseload_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut counts = Vec::new();
    for _ in 0..2 {
        let (ok, _, err) = maeul(dir.path(), &["seed", "--scale", "sigungu"], None);
        assert!(ok, "{err}");
        let store = maeul_store::Store::open(maeul_store::DbConfig::Sqlite {
            data_dir: dir.path().to_owned(),
        })
        .await
        .unwrap();
        let cases = store
            .cases()
            .count(maeul_store::welfare::case::CaseFilter {
                within: Some("1111053000".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        let (groups, _) = store
            .health()
            .area(Some("1111053000".into()), crate::today())
            .await
            .unwrap();
        let people: i64 = groups.iter().map(|(_, n)| n).sum();
        let worker = store
            .accounts()
            .id_of("w1111053000")
            .await
            .unwrap()
            .unwrap();
        let plans = store
            .visit_plans()
            .due_of(worker, crate::today())
            .await
            .unwrap();
        counts.push((cases, people, plans.today));
    }
    assert_eq!(
        counts[0],
        (20, 30, 1),
        "사직동: 20 cases, 30 people, today's visit"
    );
    assert_eq!(counts[1], counts[0], "seeding again changes nothing");
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let (ok, _, err) = maeul(dir.path(), &["seed"], None);
        assert!(ok, "{err}");
    }
    let store = maeul_store::Store::open(maeul_store::DbConfig::Sqlite {
        data_dir: dir.path().to_owned(),
    })
    .await
    .unwrap();
    assert_eq!(store.discovery().rounds().await.unwrap().len(), 1);
    let cases = store
        .cases()
        .count(maeul_store::welfare::case::CaseFilter::default())
        .await
        .unwrap();
    assert_eq!(cases, 3, "the demo's three cases, once");
    let (_, users) = store.accounts().list(0, 1).await.unwrap();
    assert_eq!(
        users,
        16 + 24 + 2,
        "the demo users, the neighbours who support the demo agenda and the grant call's two \
         experts, once"
    );
    let calls = store.grant_calls().list().await.unwrap();
    assert_eq!(calls.len(), 2, "the demo's grant calls, once");
    let past = calls.iter().find(|c| c.awarded_on.is_some()).unwrap();
    assert_eq!(
        (past.applications, past.selected, past.awarded),
        (60, 49, 2_450_000_000),
        "like 2019's call: 49 si/gun/gu selected at 50 million won each"
    );
    let filter = maeul_store::autonomy::agenda::ItemFilter {
        emd: "1111051500".into(),
        status: None,
        topic: None,
        sort: Default::default(),
    };
    let (_, items) = store.agenda().list(filter, 0, 10).await.unwrap();
    assert_eq!(items, 4, "the demo agenda, once");
}

#[tokio::test]
async fn voting_codes_go_to_eligible_residents_of_the_roster_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = maeul_store::Store::open(maeul_store::DbConfig::Sqlite {
        data_dir: dir.path().to_owned(),
    })
    .await
    .unwrap();
    store.regions().load_shipped_if_empty().await.unwrap();
    let officer = {
        use maeul_core::account::{Grant, Login, Password, Role};
        let login = Login::parse("park.officer").unwrap();
        let hash = Password::parse(&login, crate::PASSWORD).unwrap().hash();
        let grant = Grant::new(
            Role::CouncilOfficer,
            maeul_core::region::RegionCode::parse("1111051500").unwrap(),
        )
        .unwrap();
        store
            .accounts()
            .create_user(
                login,
                "박회장",
                hash,
                vec![grant],
                maeul_store::account::Actor::cli(),
            )
            .await
            .unwrap()
    };
    let closes_at = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let closes = closes_at.to_offset(maeul_core::format::KST).date();
    let rules = maeul_core::autonomy::assembly::Rules::new(maeul_core::autonomy::assembly::Rules {
        title: "주민총회".into(),
        opens_at: 0,
        closes_at: closes_at.unix_timestamp(),
        advance_opens_at: None,
        eligibility: maeul_core::autonomy::assembly::Eligibility {
            min_age: 16,
            voters: Default::default(),
        },
        eligible_population: 100,
        quorum_basis_points: 50,
        items: vec![maeul_core::autonomy::assembly::Item {
            title: "안건".into(),
            rule: maeul_core::autonomy::assembly::DecisionRule::Majority,
        }],
        booths: vec![],
    })
    .unwrap();
    let code = maeul_core::region::RegionCode::parse("1111051500").unwrap();
    let id = store
        .assemblies()
        .create(&code, rules, officer)
        .await
        .unwrap()
        .setup
        .id;
    drop(store);
    // Sixteen on the closing day is old enough; a day short of it is not.
    let sixteen = closes.replace_year(closes.year() - 16).unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        format!(
            "resident_ref,name,birth_date\nR1,김하나,1970-03-01\nR2,이둘,{sixteen}\nR3,박셋,{}\n",
            sixteen.next_day().unwrap()
        ),
    )
    .unwrap();
    let out = dir.path().join("codes.csv");
    let args = |roster: &std::path::Path| {
        vec![
            "assembly".to_owned(),
            "issue-codes".into(),
            "--assembly".into(),
            id.to_string(),
            "--roster".into(),
            roster.to_str().unwrap().into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ]
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        maeul(dir.path(), &a, None)
    };
    let (ok, stdout, stderr) = run(args(&roster));
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 codes"), "{stdout}");
    assert!(stderr.contains(":4: R3 is younger than 16"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "resident_ref,code");
    assert!(lines[1].starts_with("R1,") && lines[2].starts_with("R2,"));
    assert_eq!(lines.len(), 3);
    let first = lines[1].split(',').nth(1).unwrap().to_owned();
    assert!(maeul_core::autonomy::assembly::VotingCode::parse(&first).is_some());

    // A printable sheet and a notify command of one's own: each resident's code reaches them.
    let sheet = dir.path().join("slips.html");
    let notices = dir.path().join("notices.txt");
    let mut with_delivery = args(&roster);
    with_delivery.extend([
        "--sheet".to_owned(),
        sheet.to_str().unwrap().into(),
        "--site".into(),
        "https://maeul.example.kr".into(),
        "--notify-command".into(),
        format!(
            "printf '%s %s %s\\n' \"$MAEUL_RESIDENT_REF\" \"$MAEUL_CODE\" \"$MAEUL_NAME\" >> {}",
            notices.display()
        ),
    ]);
    let (ok, _, stderr) = run(with_delivery.clone());
    assert!(ok, "{stderr}");
    let reissued = std::fs::read_to_string(&out).unwrap();
    let sent = std::fs::read_to_string(&notices).unwrap();
    let slips = std::fs::read_to_string(&sheet).unwrap();
    for line in reissued.lines().skip(1) {
        let (reference, code) = line.split_once(',').unwrap();
        assert!(sent.contains(&format!("{reference} {code} ")), "{sent}");
        assert!(slips.contains(code), "the slip carries the code");
    }
    assert!(slips.contains("김하나") && slips.contains("https://maeul.example.kr/assemblies/"));
    assert!(
        !slips.contains("박셋"),
        "no slip for a resident below the minimum age"
    );
    // A gateway that fails: the codes are issued all the same, the failures named.
    with_delivery.pop();
    with_delivery.push("exit 3".into());
    let (ok, _, stderr) = run(with_delivery);
    assert!(!ok);
    assert!(
        stderr.contains("2 of 2 notices were not sent (R1, R2)"),
        "{stderr}"
    );
    assert_ne!(
        std::fs::read_to_string(&out).unwrap(),
        reissued,
        "new codes are in the file"
    );
    let written = std::fs::read_to_string(&out).unwrap();

    // A bad line stops the command with its number and leaves the earlier codes file alone.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "resident_ref,name,birth_date\nR1,김하나,1970-03-01\nR1,김하나,1970-03-01\n",
    )
    .unwrap();
    let (ok, _, stderr) = run(args(&bad));
    assert!(!ok);
    assert!(stderr.contains("bad.csv:3"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    let (ok, _, stderr) = run(vec![
        "assembly".into(),
        "issue-codes".into(),
        "--assembly".into(),
        "999".into(),
        "--roster".into(),
        roster.to_str().unwrap().into(),
        "--out".into(),
        out.to_str().unwrap().into(),
    ]);
    assert!(!ok && stderr.contains("no assembly 999"), "{stderr}");
}

#[test]
fn dashboards_are_printed_and_their_roll_ups_checked_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = maeul(dir.path(), &["dashboard", "check"], None);
    assert!(ok, "{err}");
    assert!(out.contains("every roll-up equals a full recount"), "{out}");
    let (ok, out, err) = maeul(dir.path(), &["dashboard", "show", "1111000000"], None);
    assert!(ok, "{err}");
    assert!(
        out.lines().any(|l| l == "org_models\tunrecorded\t17"),
        "the 17 dong of 종로구: {out}"
    );
    assert!(out.lines().any(|l| l == "cases\tintake\t0"), "{out}");
    let (ok, _, err) = maeul(dir.path(), &["dashboard", "show", "9999999900"], None);
    assert!(!ok && err.contains("no such region"), "{err}");
    let (ok, out, err) = maeul(dir.path(), &["dashboard", "rebuild"], None);
    assert!(ok && out.contains("counted again"), "{err}");
}
