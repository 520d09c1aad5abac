//! Reading a finished round back for the workspace (`maeul discovery load`,
//! specs/welfare-api.md): the engine's `candidates.csv`, checked line by line, and the details
//! of the listed households from the `households.csv` the round was computed from.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::engine::{Candidate, Failure, MAX_REPORTED, Problem};
use crate::model::Model;
use crate::parse::{small_int, valid_household_id};

const CANDIDATES_HEADER: &str = "emd_code,rank,household_id,probability,reasons";
const HOUSEHOLDS_HEADER: &str = "household_id,emd_code,members,head_age,tags";

/// A listed household with what the households file says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedHousehold {
    pub candidate: Candidate,
    pub members: u32,
    pub head_age: u32,
    pub tags: Vec<String>,
}

/// A round read from its files.
#[derive(Debug)]
pub struct RoundFiles {
    pub listed: Vec<ListedHousehold>,
    /// SHA-256 over the model and both files, so that loading the same files again is
    /// recognised and anything else under the same name is refused.
    pub digest: String,
}

struct Problems {
    found: Vec<Problem>,
    total: usize,
}

impl Problems {
    fn add(&mut self, file: &Path, line: u64, message: String) {
        self.total += 1;
        if self.found.len() < MAX_REPORTED {
            self.found.push(Problem {
                file: file.display().to_string(),
                line,
                message,
            });
        }
    }
}

/// Reads a round. Every problem is reported with its file and line; on any problem nothing
/// is returned. `on_progress` gets the bytes read.
pub fn read_round(
    households: &Path,
    candidates: &Path,
    model_text: &str,
    model: &Model,
    emd_codes: &[String],
    on_progress: &dyn Fn(u64),
) -> Result<RoundFiles, Failure> {
    let mut problems = Problems {
        found: Vec::new(),
        total: 0,
    };
    let mut digest = Sha256::new();
    digest.update(model_text.as_bytes());
    digest.update([0]);
    let emds: HashSet<&str> = emd_codes.iter().map(String::as_str).collect();
    let indicators: HashSet<&str> = model.indicators.iter().map(|i| i.code.as_str()).collect();

    let mut listed = Vec::new();
    let mut by_id: HashMap<String, (usize, u64)> = HashMap::new();
    each_line(candidates, &mut digest, on_progress, |line_no, line| {
        if line_no == 1 {
            if line != CANDIDATES_HEADER {
                problems.add(
                    candidates,
                    1,
                    format!("the header must be {CANDIDATES_HEADER}"),
                );
            }
            return;
        }
        match candidate_row(line, &emds, &indicators) {
            Ok(c) => {
                let expected_rank = match listed.last() {
                    Some(ListedHousehold { candidate: p, .. }) if p.emd_code == c.emd_code => {
                        p.rank + 1
                    }
                    Some(ListedHousehold { candidate: p, .. }) if p.emd_code > c.emd_code => {
                        problems.add(
                            candidates,
                            line_no,
                            "rows must be ordered by emd_code then rank".into(),
                        );
                        return;
                    }
                    _ => 1,
                };
                if c.rank != expected_rank {
                    problems.add(
                        candidates,
                        line_no,
                        format!("rank {} where {expected_rank} was expected", c.rank),
                    );
                }
                if let Some((_, first)) = by_id.get(&c.household_id) {
                    problems.add(
                        candidates,
                        line_no,
                        format!(
                            "household {} is listed twice (first on line {first})",
                            c.household_id
                        ),
                    );
                    return;
                }
                by_id.insert(c.household_id.clone(), (listed.len(), line_no));
                listed.push(ListedHousehold {
                    candidate: c,
                    members: 0,
                    head_age: 0,
                    tags: Vec::new(),
                });
            }
            Err(message) => problems.add(candidates, line_no, message),
        }
    })
    .map_err(|e| Failure::io(candidates, e))?;
    digest.update([0]);

    let tags: HashSet<&str> = model.tags.iter().map(|(t, _)| t.as_str()).collect();
    let mut found: HashMap<String, u64> = HashMap::new();
    each_line(households, &mut digest, on_progress, |line_no, line| {
        if line_no == 1 {
            if line != HOUSEHOLDS_HEADER {
                problems.add(
                    households,
                    1,
                    format!("the header must be {HOUSEHOLDS_HEADER}"),
                );
            }
            return;
        }
        let id = line.split(',').next().unwrap_or_default();
        let Some(&(index, _)) = by_id.get(id) else {
            return;
        };
        if let Some(first) = found.insert(id.to_owned(), line_no) {
            problems.add(
                households,
                line_no,
                format!("household {id} appears twice (first on line {first})"),
            );
            return;
        }
        let entry = &mut listed[index];
        match household_row(line, &entry.candidate.emd_code, &tags) {
            Ok((members, head_age, row_tags)) => {
                entry.members = members;
                entry.head_age = head_age;
                entry.tags = row_tags;
            }
            Err(message) => problems.add(households, line_no, message),
        }
    })
    .map_err(|e| Failure::io(households, e))?;

    let mut missing: Vec<(u64, &str)> = by_id
        .iter()
        .filter(|(id, _)| !found.contains_key(*id))
        .map(|(id, (_, line))| (*line, id.as_str()))
        .collect();
    missing.sort_unstable();
    for (line, id) in missing {
        problems.add(
            candidates,
            line,
            format!(
                "household {id} is not in {}",
                households
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
        );
    }
    if problems.total > 0 {
        return Err(Failure {
            problems: problems.found,
            total: problems.total,
        });
    }
    Ok(RoundFiles {
        listed,
        digest: format!("{:x}", digest.finalize()),
    })
}

/// Calls `f` with each line (1-based number, without its line ending), hashing the bytes.
fn each_line(
    path: &Path,
    digest: &mut Sha256,
    on_progress: &dyn Fn(u64),
    mut f: impl FnMut(u64, &str),
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut buf = Vec::with_capacity(256);
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        digest.update(&buf);
        on_progress(n as u64);
        line_no += 1;
        let mut line = &buf[..];
        if let Some(rest) = line.strip_suffix(b"\n") {
            line = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        match std::str::from_utf8(line) {
            Ok(text) => f(line_no, text),
            Err(_) => f(line_no, "\u{fffd}"),
        }
    }
}

fn candidate_row(
    line: &str,
    emds: &HashSet<&str>,
    indicators: &HashSet<&str>,
) -> Result<Candidate, String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [emd_code, rank, household_id, probability, reasons] = fields[..] else {
        return Err(format!("{} fields where 5 were expected", fields.len()));
    };
    if !emds.contains(emd_code) {
        return Err(format!("unknown eup/myeon/dong code {emd_code:?}"));
    }
    let rank = small_int(rank.as_bytes(), 1, 1_000_000)
        .ok_or_else(|| format!("rank {rank:?} is not a whole number ≥ 1"))?;
    if !valid_household_id(household_id.as_bytes()) {
        return Err(format!(
            "household id {household_id:?} is not 1–32 of A-Z a-z 0-9 _ -"
        ));
    }
    let probability = probability
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| format!("probability {probability:?} is not a number from 0 to 1"))?;
    let reasons: Vec<String> = reasons
        .split(';')
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if reasons.len() > 3 {
        return Err("at most three reasons".into());
    }
    if let Some(unknown) = reasons.iter().find(|r| !indicators.contains(r.as_str())) {
        return Err(format!(
            "reason {unknown:?} is not an indicator of the model"
        ));
    }
    Ok(Candidate {
        emd_code: emd_code.to_owned(),
        rank: rank as usize,
        household_id: household_id.to_owned(),
        probability,
        reasons,
    })
}

fn household_row(
    line: &str,
    listed_emd: &str,
    tags: &HashSet<&str>,
) -> Result<(u32, u32, Vec<String>), String> {
    let fields: Vec<&str> = line.split(',').collect();
    let [_, emd_code, members, head_age, row_tags] = fields[..] else {
        return Err(format!("{} fields where 5 were expected", fields.len()));
    };
    if emd_code != listed_emd {
        return Err(format!(
            "the household lives in {emd_code:?} but is listed under {listed_emd}"
        ));
    }
    let members = small_int(members.as_bytes(), 1, 99)
        .ok_or_else(|| format!("members {members:?} is not 1–99"))?;
    let head_age = small_int(head_age.as_bytes(), 0, 130)
        .ok_or_else(|| format!("head_age {head_age:?} is not 0–130"))?;
    let row_tags: Vec<String> = row_tags
        .split(';')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(unknown) = row_tags.iter().find(|t| !tags.contains(t.as_str())) {
        return Err(format!("tag {unknown:?} is not in the model's [tags]"));
    }
    Ok((members, head_age, row_tags))
}
