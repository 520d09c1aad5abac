//! The engine against hand-computed cases of `specs/discovery.md`.

use std::path::{Path, PathBuf};

use maeul_discovery::{Model, run, write_candidates};

const MODEL: &str = r#"
name = "test"
as_of = "2024-03-01"
lookback_days = 365
intercept = -6.0
top_per_emd = 2
min_probability = 0.0

[indicators.ELEC_CUT]
name = "단전"
weight = 1.2
transform = "flag"
half_life_days = 90

[indicators.HI_ARREARS]
name = "건강보험료 체납(개월)"
weight = 0.35
transform = "cap"
cap = 12.0
half_life_days = 180

[indicators.MED_COST]
name = "과다 의료비"
weight = 0.2
transform = "log1p"
half_life_days = 60

[indicators.ZZ_NEGATIVE]
name = "감점"
weight = -0.5
transform = "flag"
half_life_days = 30

[tags]
elderly_alone = 0.8
disabled = 0.5
"#;

const EMDS: [&str; 2] = ["1111051500", "1111053000"];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn emds() -> Vec<String> {
    EMDS.iter().map(|s| s.to_string()).collect()
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[test]
fn scores_follow_the_contract_and_lists_are_cut_per_place() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(
        dir.path(),
        "h.csv",
        "household_id,emd_code,members,head_age,tags\n\
         A,1111051500,1,80,elderly_alone;disabled\n\
         B,1111051500,2,45,\n\
         C,1111051500,3,50,\n\
         D,1111053000,1,30,\n\
         E,1111053000,1,30,\n\
         F,1111053000,4,40,elderly_alone\n",
    );
    let crisis = write(
        dir.path(),
        "c.csv",
        "household_id,indicator,value,observed_on\n\
         A,HI_ARREARS,20,2024-03-01\n\
         A,HI_ARREARS,4,2023-12-01\n\
         A,ELEC_CUT,1,2024-01-01\n\
         B,MED_COST,1000000,2023-09-03\n\
         B,ZZ_NEGATIVE,1,2024-02-29\n\
         C,ELEC_CUT,1,2023-03-02\n\
         D,ELEC_CUT,1,2024-03-02\n\
         E,ELEC_CUT,0,2024-02-01\n\
         F,ELEC_CUT,1,2023-03-03\n",
    );
    let model = Model::parse(MODEL).unwrap();
    let out = run(&households, &crisis, &model, &emds(), 2, &|_, _| {}).unwrap();

    // A: HI_ARREARS max(20, 4·0.5^(91/180)) capped at 12; ELEC_CUT flag; both tags in name order.
    let z_a = -6.0 + 1.2 * 1.0 + 0.35 * 12.0 + 0.5 + 0.8;
    // B: MED_COST decays 180 days with half-life 60; ZZ_NEGATIVE lowers z and is no reason.
    let z_b = -6.0 + 0.2 * (1.0 + 1_000_000.0 * 0.5f64.powf(180.0 / 60.0)).ln() + -0.5;
    // C: observed 365 days before as_of: not counted, so not listed.
    // D: observed after as_of: not counted. E: a zero value counts but the flag stays 0.
    // F: 364 days: counted.
    let z_e = -6.0;
    let z_f = -6.0 + 1.2 * 1.0 + 0.8;

    let rows: Vec<(String, usize, String, f64, Vec<String>)> = out
        .iter()
        .map(|c| {
            (
                c.emd_code.clone(),
                c.rank,
                c.household_id.clone(),
                c.probability,
                c.reasons.clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "1111051500".into(),
                1,
                "A".into(),
                sigmoid(z_a),
                vec!["HI_ARREARS".into(), "ELEC_CUT".into()]
            ),
            (
                "1111051500".into(),
                2,
                "B".into(),
                sigmoid(z_b),
                vec!["MED_COST".into()]
            ),
            (
                "1111053000".into(),
                1,
                "F".into(),
                sigmoid(z_f),
                vec!["ELEC_CUT".into()]
            ),
            ("1111053000".into(), 2, "E".into(), sigmoid(z_e), vec![]),
        ]
    );

    let file = dir.path().join("candidates.csv");
    write_candidates(&file, &out).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("emd_code,rank,household_id,probability,reasons")
    );
    assert_eq!(
        lines.next(),
        Some(format!("1111051500,1,A,{:.6},HI_ARREARS;ELEC_CUT", sigmoid(z_a)).as_str())
    );
    assert_eq!(
        lines.last(),
        Some(format!("1111053000,2,E,{:.6},", sigmoid(z_e)).as_str())
    );

    // The refit's features, recomputed from the crisis file, give back the engine's scores
    // under the model's own weights.
    let ids = out.iter().map(|c| c.household_id.clone()).collect();
    let features = maeul_discovery::fit::indicator_features(&crisis, &model, &ids).unwrap();
    let weights = maeul_discovery::fit::Fit {
        intercept: model.intercept,
        weights: model
            .indicators
            .iter()
            .map(|i| i.weight)
            .chain(model.tags.iter().map(|(_, w)| *w))
            .collect(),
    };
    for (c, tags) in out.iter().zip([
        vec![1.0, 1.0],
        vec![0.0, 0.0],
        vec![0.0, 1.0],
        vec![0.0, 0.0],
    ]) {
        // Tags in name order: disabled, elderly_alone.
        let mut x = features[&c.household_id].clone();
        x.extend(tags);
        assert_eq!(sigmoid(weights.z(&x)), c.probability, "{}", c.household_id);
    }
}

#[test]
fn ties_break_by_household_id_bytes_and_min_probability_cuts() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(
        dir.path(),
        "h.csv",
        "household_id,emd_code,members,head_age,tags\r\nb,1111051500,1,1,\r\nB,1111051500,1,1,\r\na,1111051500,1,1,\r\n",
    );
    let crisis = write(
        dir.path(),
        "c.csv",
        "household_id,indicator,value,observed_on\nb,ELEC_CUT,1,2024-02-01\nB,ELEC_CUT,1,2024-02-01\na,ELEC_CUT,1,2024-02-01",
    );
    let model = Model::parse(&MODEL.replace("top_per_emd = 2", "top_per_emd = 5")).unwrap();
    let out = run(&households, &crisis, &model, &emds(), 3, &|_, _| {}).unwrap();
    let ids: Vec<&str> = out.iter().map(|c| c.household_id.as_str()).collect();
    assert_eq!(ids, vec!["B", "a", "b"], "equal probabilities: byte order");

    let strict =
        Model::parse(&MODEL.replace("min_probability = 0.0", "min_probability = 0.5")).unwrap();
    assert!(
        run(&households, &crisis, &strict, &emds(), 1, &|_, _| {})
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_rows_are_all_reported_with_their_lines_and_nothing_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(
        dir.path(),
        "h.csv",
        "household_id,emd_code,members,head_age,tags\n\
         A,1111051500,1,80,\n\
         A,1111051500,1,80,\n\
         B,9999999900,1,80,\n\
         C,1111051500,0,80,\n\
         D,1111051500,1,131,nobody\n\
         E,1111051500,1\n",
    );
    let crisis = write(
        dir.path(),
        "c.csv",
        "household_id,indicator,value,observed_on\n\
         A,ELEC_CUT,1,2024-02-30\n\
         A,GHOST,1,2024-02-01\n\
         A,ELEC_CUT,-1,2024-02-01\n\
         Z,ELEC_CUT,1,2024-02-01\n",
    );
    let model = Model::parse(MODEL).unwrap();
    let failure = run(&households, &crisis, &model, &emds(), 2, &|_, _| {}).unwrap_err();
    let at = |file: &Path, line: u64, text: &str| {
        failure.problems.iter().any(|p| {
            p.file == file.display().to_string() && p.line == line && p.message.contains(text)
        })
    };
    assert!(
        at(&households, 3, "appears again (first on line 2)"),
        "{:#?}",
        failure.problems
    );
    assert!(at(&households, 4, "emd_code"));
    assert!(at(&households, 5, "members"));
    assert!(at(&households, 6, "head_age"));
    assert!(at(&households, 6, "tag \"nobody\""));
    assert!(at(&households, 7, "expected 5 fields"));
    assert!(at(&crisis, 2, "observed_on"));
    assert!(at(&crisis, 3, "indicator \"GHOST\""));
    assert!(at(&crisis, 4, "value \"-1\""));
    assert!(at(&crisis, 5, "household Z is not in the households file"));
    assert_eq!(failure.total, 10);
}

#[test]
fn a_wrong_header_or_missing_file_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(dir.path(), "h.csv", "id,emd\n");
    let crisis = write(
        dir.path(),
        "c.csv",
        "household_id,indicator,value,observed_on\n",
    );
    let model = Model::parse(MODEL).unwrap();
    let failure = run(&households, &crisis, &model, &emds(), 1, &|_, _| {}).unwrap_err();
    assert_eq!(failure.problems[0].line, 1);
    assert!(failure.problems[0].message.contains("header"));
    let missing = run(
        &dir.path().join("none.csv"),
        &crisis,
        &model,
        &emds(),
        1,
        &|_, _| {},
    )
    .unwrap_err();
    assert_eq!(missing.total, 1);
}

fn read_back(
    households: &Path,
    candidates: &Path,
) -> Result<maeul_discovery::RoundFiles, maeul_discovery::Failure> {
    let model = Model::parse(MODEL).unwrap();
    maeul_discovery::read_round(households, candidates, MODEL, &model, &emds(), &|_| {})
}

#[test]
fn a_round_reads_back_with_its_households_and_a_stable_digest() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(
        dir.path(),
        "h.csv",
        "household_id,emd_code,members,head_age,tags\n\
         A,1111051500,1,80,elderly_alone;disabled\n\
         Z,1111051500,2,45,\n\
         D,1111053000,3,30,\n",
    );
    let candidates = write(
        dir.path(),
        "c.csv",
        "emd_code,rank,household_id,probability,reasons\n\
         1111051500,1,A,0.912345,HI_ARREARS;ELEC_CUT\n\
         1111053000,1,D,0.100000,\n",
    );
    let round = read_back(&households, &candidates).unwrap();
    assert_eq!(round.listed.len(), 2);
    let a = &round.listed[0];
    assert_eq!(a.candidate.household_id, "A");
    assert_eq!(a.candidate.reasons, ["HI_ARREARS", "ELEC_CUT"]);
    assert_eq!((a.members, a.head_age), (1, 80));
    assert_eq!(a.tags, ["elderly_alone", "disabled"]);
    assert!(round.listed[1].tags.is_empty());
    assert_eq!(
        round.digest,
        read_back(&households, &candidates).unwrap().digest
    );
    let changed = write(
        dir.path(),
        "h2.csv",
        "household_id,emd_code,members,head_age,tags\n\
         A,1111051500,2,80,elderly_alone;disabled\n\
         D,1111053000,3,30,\n",
    );
    assert_ne!(
        round.digest,
        read_back(&changed, &candidates).unwrap().digest
    );
}

#[test]
fn a_bad_round_file_names_every_line_and_returns_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let households = write(
        dir.path(),
        "h.csv",
        "household_id,emd_code,members,head_age,tags\n\
         A,1111051500,1,80,\n\
         B,1111053000,1,80,\n\
         B,1111053000,1,80,\n\
         C,1111053000,0,80,\n",
    );
    let candidates = write(
        dir.path(),
        "c.csv",
        "emd_code,rank,household_id,probability,reasons\n\
         1111051500,1,A,0.9,ELEC_CUT\n\
         1111051500,3,X,0.5,\n\
         9999999900,1,Y,0.5,\n\
         1111053000,1,B,1.5,\n\
         1111053000,1,C,0.4,NOPE\n\
         1111053000,2,A,0.3,\n",
    );
    let failure = read_back(&households, &candidates).unwrap_err();
    let lines: Vec<(String, u64)> = failure
        .problems
        .iter()
        .map(|p| (p.file.rsplit('/').next().unwrap().to_owned(), p.line))
        .collect();
    for expected in [
        ("c.csv", 3), // rank 3 where 2 comes next
        ("c.csv", 6), // unknown reason
        ("c.csv", 4), // unknown place
        ("c.csv", 5), // probability above 1
        ("c.csv", 7), // A listed twice
        ("c.csv", 3), // X is not a household of the file
    ] {
        assert!(
            lines.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} missing from {:?}",
            failure.problems
        );
    }
    assert_eq!(failure.total, failure.problems.len());
}
