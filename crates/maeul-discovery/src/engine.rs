use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::model::Model;
use crate::parse::{days_from_date, non_negative_decimal, small_int, valid_household_id};

const BLOCK: usize = 4 << 20;
/// Problems reported in full; beyond this only their number.
pub const MAX_REPORTED: usize = 100;
const HOUSEHOLDS_HEADER: &[u8] = b"household_id,emd_code,members,head_age,tags";
const CRISIS_HEADER: &[u8] = b"household_id,indicator,value,observed_on";

/// A problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub message: String,
}

/// Why a run produced no output: the first problems in file and line order, and how many
/// there were in all.
#[derive(Debug)]
pub struct Failure {
    pub problems: Vec<Problem>,
    pub total: usize,
}

impl Failure {
    fn io(file: &Path, e: io::Error) -> Self {
        Failure {
            problems: vec![Problem {
                file: file.display().to_string(),
                line: 0,
                message: e.to_string(),
            }],
            total: 1,
        }
    }
}

/// One listed household.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub emd_code: String,
    pub rank: usize,
    pub household_id: String,
    pub probability: f64,
    /// Indicator codes with the largest positive contributions, at most three.
    pub reasons: Vec<String>,
}

/// The stage of a run, for progress bars: bytes read of each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Crisis,
    Households,
}

/// A household id kept inline (at most 32 bytes), so the maps hold no pointers.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Id {
    len: u8,
    bytes: [u8; 32],
}

impl Id {
    fn new(s: &[u8]) -> Id {
        let mut bytes = [0; 32];
        bytes[..s.len()].copy_from_slice(s);
        Id {
            len: s.len() as u8,
            bytes,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// What the crisis file says about one household.
struct Crisis {
    first_line: u64,
    /// (indicator index, largest decayed value) of counted observations, by index.
    values: SmallVec<[(u16, f64); 2]>,
    counted: bool,
    /// Set when the households file names the household.
    seen: AtomicBool,
}

/// Problems found by one worker: the first few in full, and a count.
#[derive(Default)]
struct Problems {
    first: Vec<Problem>,
    total: usize,
}

impl Problems {
    fn push(&mut self, file: &str, line: u64, message: String) {
        self.total += 1;
        self.first.push(Problem {
            file: file.to_owned(),
            line,
            message,
        });
        // Keep the earliest lines: a worker may see blocks out of order.
        if self.first.len() > 4 * MAX_REPORTED {
            self.first.sort();
            self.first.truncate(MAX_REPORTED);
        }
    }

    fn merge(mut all: Vec<Problems>) -> Failure {
        let total = all.iter().map(|p| p.total).sum();
        let mut problems: Vec<Problem> = all.iter_mut().flat_map(|p| p.first.drain(..)).collect();
        problems.sort();
        problems.truncate(MAX_REPORTED);
        Failure { problems, total }
    }
}

/// Reads `path` in blocks of whole lines and hands them to `threads` workers, each with its own
/// state; returns the states. `first_line` is the 1-based number of a block's first line.
fn for_each_block<W: Send>(
    path: &Path,
    header: &[u8],
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    init: impl Fn() -> W + Sync,
    work: impl Fn(&mut W, &[u8], u64) + Sync,
) -> Result<Vec<W>, Failure> {
    let name = path.display().to_string();
    let mut file = File::open(path).map_err(|e| Failure::io(path, e))?;
    let (tx, rx) = mpsc::sync_channel::<(Vec<u8>, u64)>(threads * 2);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let (rx, init, work) = (&rx, &init, &work);
                scope.spawn(move || {
                    let mut state = init();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok((block, first_line))) = next else {
                            break;
                        };
                        work(&mut state, &block, first_line);
                    }
                    state
                })
            })
            .collect();

        let read = (|| -> Result<(), Failure> {
            let mut carry: Vec<u8> = Vec::new();
            let mut line = 1u64;
            let mut header_checked = false;
            loop {
                let mut buf = std::mem::take(&mut carry);
                let start = buf.len();
                buf.resize(start + BLOCK, 0);
                let n =
                    read_full(&mut file, &mut buf[start..]).map_err(|e| Failure::io(path, e))?;
                buf.truncate(start + n);
                progress(n as u64);
                let eof = n == 0;
                let end = if eof {
                    buf.len()
                } else {
                    match memchr::memrchr(b'\n', &buf) {
                        Some(i) => i + 1,
                        None => {
                            carry = buf;
                            continue;
                        }
                    }
                };
                carry = buf.split_off(end);
                if !header_checked {
                    header_checked = true;
                    let first_end = memchr::memchr(b'\n', &buf).map_or(buf.len(), |i| i + 1);
                    let got = trim_line(&buf[..first_end]);
                    let got = got.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(got);
                    if got != header {
                        return Err(Failure {
                            problems: vec![Problem {
                                file: name.clone(),
                                line: 1,
                                message: format!(
                                    "the header must be {}",
                                    String::from_utf8_lossy(header)
                                ),
                            }],
                            total: 1,
                        });
                    }
                    buf.drain(..first_end);
                    line += 1;
                }
                let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
                if !buf.is_empty() && tx.send((buf, line)).is_err() {
                    break;
                }
                line += lines;
                if eof {
                    break;
                }
            }
            if !header_checked {
                return Err(Failure {
                    problems: vec![Problem {
                        file: name.clone(),
                        line: 1,
                        message: "the file is empty".into(),
                    }],
                    total: 1,
                });
            }
            Ok(())
        })();
        drop(tx);
        let states: Vec<W> = workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .collect();
        read.map(|()| states)
    })
}

fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The lines of a block with their numbers; empty lines are skipped.
fn lines(block: &[u8], first_line: u64) -> impl Iterator<Item = (u64, &[u8])> {
    block
        .split(|b| *b == b'\n')
        .enumerate()
        .map(move |(i, l)| (first_line + i as u64, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.is_empty())
}

fn fields<const N: usize>(line: &[u8]) -> Option<[&[u8]; N]> {
    let mut out = [&line[..0]; N];
    let mut parts = line.split(|b| *b == b',');
    for slot in out.iter_mut() {
        *slot = parts.next()?;
    }
    parts.next().is_none().then_some(out)
}

fn show(s: &[u8]) -> String {
    let s = String::from_utf8_lossy(s);
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.into_owned()
    }
}

/// Runs a round: reads and checks both files and returns the listed households in output
/// order, or every problem found (first [`MAX_REPORTED`] in full).
pub fn run(
    households: &Path,
    crisis: &Path,
    model: &Model,
    emd_codes: &[String],
    threads: usize,
    progress: &(dyn Fn(Phase, u64) + Sync),
) -> Result<Vec<Candidate>, Failure> {
    let mut emds: Vec<&str> = emd_codes.iter().map(String::as_str).collect();
    emds.sort_unstable();
    emds.dedup();
    let emd_index: FxHashMap<&[u8], u16> = emds
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_bytes(), i as u16))
        .collect();

    let crisis_map = read_crisis(crisis, model, threads, progress)?;
    let (crisis_map, crisis_problems) = crisis_map;
    let hh_name = households.display().to_string();

    struct HouseholdState {
        hashes: Vec<u64>,
        scored: Vec<(u16, f64, Id, [u16; 3])>,
        problems: Problems,
    }
    let hasher = FxBuildHasher;
    let states = for_each_block(
        households,
        HOUSEHOLDS_HEADER,
        threads,
        &|n| progress(Phase::Households, n),
        || HouseholdState {
            hashes: Vec::new(),
            scored: Vec::new(),
            problems: Problems::default(),
        },
        |st, block, first_line| {
            for (line, text) in lines(block, first_line) {
                let Some([id, emd, members, age, tags]) = fields::<5>(text) else {
                    st.problems.push(
                        &hh_name,
                        line,
                        "expected 5 fields: household_id,emd_code,members,head_age,tags".into(),
                    );
                    continue;
                };
                let mut ok = true;
                let mut bad = |m: String| {
                    ok = false;
                    st.problems.push(&hh_name, line, m);
                };
                if !valid_household_id(id) {
                    bad(format!(
                        "household_id {:?} is not 1–32 characters of A-Z a-z 0-9 _ -",
                        show(id)
                    ));
                }
                let emd = emd_index.get(emd).copied();
                if emd.is_none() {
                    bad(format!(
                        "emd_code {:?} is not an eup/myeon/dong of the region registry",
                        show(text.split(|b| *b == b',').nth(1).unwrap_or_default())
                    ));
                }
                if small_int(members, 1, 99).is_none() {
                    bad(format!(
                        "members {:?} is not a whole number from 1 to 99",
                        show(members)
                    ));
                }
                if small_int(age, 0, 130).is_none() {
                    bad(format!(
                        "head_age {:?} is not a whole number from 0 to 130",
                        show(age)
                    ));
                }
                let mut tag_ids: SmallVec<[u16; 4]> = SmallVec::new();
                if !tags.is_empty() {
                    for tag in tags.split(|b| *b == b';') {
                        match model.tag_index(tag) {
                            Some(t) => tag_ids.push(t),
                            None => bad(format!("tag {:?} is not defined in the model", show(tag))),
                        }
                    }
                }
                if !ok {
                    continue;
                }
                let key = Id::new(id);
                st.hashes.push(hasher.hash_one(key.as_bytes()));
                let Some(c) = crisis_map.get(&key) else {
                    continue;
                };
                c.seen.store(true, Ordering::Relaxed);
                if !c.counted {
                    continue;
                }
                let (p, reasons) = score(model, &c.values, &mut tag_ids);
                if p >= model.min_probability {
                    st.scored.push((emd.unwrap_or_default(), p, key, reasons));
                }
            }
        },
    )?;

    let mut problems: Vec<Problems> = vec![crisis_problems];
    let mut hashes = Vec::new();
    let mut scored = Vec::new();
    for st in states {
        problems.push(st.problems);
        hashes.extend(st.hashes);
        scored.extend(st.scored);
    }
    problems.push(duplicates(households, hashes, &hasher)?);
    let mut missing = Problems::default();
    let crisis_name = crisis.display().to_string();
    for (id, c) in &crisis_map {
        if !c.seen.load(Ordering::Relaxed) {
            missing.push(
                &crisis_name,
                c.first_line,
                format!(
                    "household {} is not in the households file",
                    show(id.as_bytes())
                ),
            );
        }
    }
    problems.push(missing);
    let failure = Problems::merge(problems);
    if failure.total > 0 {
        return Err(failure);
    }

    // Per eup/myeon/dong: probability descending, then household id in byte order.
    scored.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| a.2.as_bytes().cmp(b.2.as_bytes()))
    });
    let mut out = Vec::new();
    let mut rank = 0;
    let mut current = u16::MAX;
    for (emd, p, id, reasons) in scored {
        if emd != current {
            current = emd;
            rank = 0;
        }
        rank += 1;
        if rank > model.top_per_emd {
            continue;
        }
        out.push(Candidate {
            emd_code: emds[emd as usize].to_owned(),
            rank,
            household_id: String::from_utf8_lossy(id.as_bytes()).into_owned(),
            probability: p,
            reasons: reasons
                .iter()
                .filter(|r| **r != u16::MAX)
                .map(|r| model.indicators[*r as usize].code.clone())
                .collect(),
        });
    }
    Ok(out)
}

type CrisisMap = HashMap<Id, Crisis, FxBuildHasher>;

fn read_crisis(
    path: &Path,
    model: &Model,
    threads: usize,
    progress: &(dyn Fn(Phase, u64) + Sync),
) -> Result<(CrisisMap, Problems), Failure> {
    let name = path.display().to_string();
    let states = for_each_block(
        path,
        CRISIS_HEADER,
        threads,
        &|n| progress(Phase::Crisis, n),
        || (CrisisMap::default(), Problems::default()),
        |(map, problems), block, first_line| {
            for (line, text) in lines(block, first_line) {
                let Some([id, indicator, value, observed]) = fields::<4>(text) else {
                    problems.push(
                        &name,
                        line,
                        "expected 4 fields: household_id,indicator,value,observed_on".into(),
                    );
                    continue;
                };
                let mut ok = true;
                if !valid_household_id(id) {
                    ok = false;
                    problems.push(
                        &name,
                        line,
                        format!(
                            "household_id {:?} is not 1–32 characters of A-Z a-z 0-9 _ -",
                            show(id)
                        ),
                    );
                }
                let ind = model.indicator_index(indicator);
                if ind.is_none() {
                    ok = false;
                    problems.push(
                        &name,
                        line,
                        format!(
                            "indicator {:?} is not defined in the model",
                            show(indicator)
                        ),
                    );
                }
                let v = non_negative_decimal(value);
                if v.is_none() {
                    ok = false;
                    problems.push(
                        &name,
                        line,
                        format!("value {:?} is not a decimal number ≥ 0", show(value)),
                    );
                }
                let day = days_from_date(observed);
                if day.is_none() {
                    ok = false;
                    problems.push(
                        &name,
                        line,
                        format!("observed_on {:?} is not a date YYYY-MM-DD", show(observed)),
                    );
                }
                if !ok {
                    continue;
                }
                let (ind, v, day) = (
                    ind.unwrap_or_default(),
                    v.unwrap_or_default(),
                    day.unwrap_or_default(),
                );
                let entry = map.entry(Id::new(id)).or_insert_with(|| Crisis {
                    first_line: line,
                    values: SmallVec::new(),
                    counted: false,
                    seen: AtomicBool::new(false),
                });
                entry.first_line = entry.first_line.min(line);
                let age = model.as_of - day;
                if (0..model.lookback_days).contains(&age) {
                    let decayed =
                        v * 0.5f64.powf(age as f64 / model.indicators[ind as usize].half_life_days);
                    entry.counted = true;
                    keep_largest(&mut entry.values, ind, decayed);
                }
            }
        },
    )?;
    // Merge the workers' maps into the largest.
    let mut states = states;
    states.sort_by_key(|(m, _)| std::cmp::Reverse(m.len()));
    let mut iter = states.into_iter();
    let (mut map, mut problems) = iter.next().unwrap_or_default();
    for (other, p) in iter {
        problems.total += p.total;
        problems.first.extend(p.first);
        for (id, c) in other {
            match map.get_mut(&id) {
                None => {
                    map.insert(id, c);
                }
                Some(m) => {
                    m.first_line = m.first_line.min(c.first_line);
                    m.counted |= c.counted;
                    for (ind, a) in c.values {
                        keep_largest(&mut m.values, ind, a);
                    }
                }
            }
        }
    }
    Ok((map, problems))
}

/// Keeps the largest decayed value per indicator, the list ordered by indicator index.
fn keep_largest(values: &mut SmallVec<[(u16, f64); 2]>, ind: u16, a: f64) {
    match values.binary_search_by_key(&ind, |(i, _)| *i) {
        Ok(i) => {
            if a > values[i].1 {
                values[i].1 = a;
            }
        }
        Err(i) => values.insert(i, (ind, a)),
    }
}

/// z from the intercept, then each indicator's contribution in ascending code order, then each
/// tag weight in ascending name order; the probability and up to three reasons.
fn score(model: &Model, values: &[(u16, f64)], tags: &mut [u16]) -> (f64, [u16; 3]) {
    let mut z = model.intercept;
    let mut positive: SmallVec<[(f64, u16); 4]> = SmallVec::new();
    for &(ind, a) in values {
        let indicator = &model.indicators[ind as usize];
        let c = indicator.weight * indicator.transform.apply(a);
        z += c;
        if c > 0.0 {
            positive.push((c, ind));
        }
    }
    tags.sort_unstable();
    for &t in tags.iter() {
        z += model.tags[t as usize].1;
    }
    let p = 1.0 / (1.0 + (-z).exp());
    positive.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut reasons = [u16::MAX; 3];
    for (slot, (_, ind)) in reasons.iter_mut().zip(positive) {
        *slot = ind;
    }
    (p, reasons)
}

/// Household ids must be unique: equal hashes are checked against the real ids, so a hash
/// collision never reports a false duplicate.
fn duplicates(
    households: &Path,
    mut hashes: Vec<u64>,
    hasher: &FxBuildHasher,
) -> Result<Problems, Failure> {
    hashes.sort_unstable();
    let repeated: FxHashSet<u64> = hashes
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(hashes);
    let mut problems = Problems::default();
    if repeated.is_empty() {
        return Ok(problems);
    }
    let name = households.display().to_string();
    let first_seen: Mutex<FxHashMap<Id, u64>> = Mutex::default();
    let found = for_each_block(
        households,
        HOUSEHOLDS_HEADER,
        1,
        &|_| {},
        Vec::new,
        |dups: &mut Vec<(u64, Id, u64)>, block, first_line| {
            for (line, text) in lines(block, first_line) {
                let id = text.split(|b| *b == b',').next().unwrap_or_default();
                if valid_household_id(id) && repeated.contains(&hasher.hash_one(id)) {
                    let mut seen = first_seen.lock().expect("not poisoned");
                    let key = Id::new(id);
                    match seen.get(&key) {
                        Some(&first) => dups.push((line, key, first)),
                        None => {
                            seen.insert(key, line);
                        }
                    }
                }
            }
        },
    )?;
    for (line, id, first) in found.into_iter().flatten() {
        problems.push(
            &name,
            line,
            format!(
                "household_id {} appears again (first on line {first})",
                show(id.as_bytes())
            ),
        );
    }
    Ok(problems)
}

/// Writes `candidates.csv` next to its final place, then renames it there, so that a reader
/// never sees half a file.
pub fn write_candidates(path: &Path, candidates: &[Candidate]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        writeln!(w, "emd_code,rank,household_id,probability,reasons")?;
        for c in candidates {
            writeln!(
                w,
                "{},{},{},{:.6},{}",
                c.emd_code,
                c.rank,
                c.household_id,
                c.probability,
                c.reasons.join(";")
            )?;
        }
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
