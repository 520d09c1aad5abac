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
    pub(crate) fn io(file: &Path, e: io::Error) -> Self {
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
#[derive(Clone, Copy, PartialEq, Eq)]
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

impl std::hash::Hash for Id {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
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
    // Workers hand their blocks back, so buffers are reused rather than allocated and zeroed.
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let (rx, init, work, free_tx) = (&rx, &init, &work, free_tx.clone());
                scope.spawn(move || {
                    let mut state = init();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok((block, first_line))) = next else {
                            break;
                        };
                        work(&mut state, &block, first_line);
                        let _ = free_tx.send(block);
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
                let mut buf = free_rx
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BLOCK + carry.len()));
                buf.clear();
                buf.extend_from_slice(&carry);
                carry.clear();
                let n = read_block(&mut file, &mut buf).map_err(|e| Failure::io(path, e))?;
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
                carry.extend_from_slice(&buf[end..]);
                buf.truncate(end);
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

/// Appends up to [`BLOCK`] bytes of the file to `buf` (into spare capacity, without zeroing).
fn read_block(file: &mut File, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut total = 0;
    loop {
        match (&mut *file).take((BLOCK - total) as u64).read_to_end(buf) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                total += n;
                if total >= BLOCK {
                    return Ok(total);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The lines of a block with their numbers; empty lines are skipped.
fn lines(block: &[u8], first_line: u64) -> impl Iterator<Item = (u64, &[u8])> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', block).chain(std::iter::once(block.len()));
    ends.enumerate()
        .map(move |(i, end)| {
            let line = &block[start.min(end)..end];
            start = end + 1;
            (
                first_line + i as u64,
                line.strip_suffix(b"\r").unwrap_or(line),
            )
        })
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
    let emd_index: FxHashMap<u64, u16> = emds
        .iter()
        .enumerate()
        .filter_map(|(i, c)| code_number(c.as_bytes()).map(|n| (n, i as u16)))
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
                let emd = code_number(emd).and_then(|n| emd_index.get(&n).copied());
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
                let hash = hasher.hash_one(id);
                st.hashes.push(hash);
                let Some(c) = crisis_map.get(hash, id) else {
                    continue;
                };
                c.seen.store(true, Ordering::Relaxed);
                if !c.counted {
                    continue;
                }
                let (p, reasons) = score(model, &c.values, &mut tag_ids);
                if p >= model.min_probability {
                    st.scored
                        .push((emd.unwrap_or_default(), p, Id::new(id), reasons));
                }
            }
        },
    )?;

    let mut problems: Vec<Problems> = vec![crisis_problems];
    let mut hashes = Vec::new();
    let mut scored = Vec::new();
    for st in states {
        problems.push(st.problems);
        hashes.push(st.hashes);
        scored.extend(st.scored);
    }
    let mut missing = Problems::default();
    let crisis_name = crisis.display().to_string();
    for (id, c) in crisis_map.iter() {
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
    // The crisis map is done with: free it before the duplicate check needs its memory.
    drop(crisis_map);
    problems.push(duplicates(households, hashes, &hasher)?);
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

/// 10 ASCII digits as a number.
fn code_number(s: &[u8]) -> Option<u64> {
    (s.len() == 10 && s.iter().all(u8::is_ascii_digit))
        .then(|| s.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// The households of the crisis file, looked up by a hash computed once per row. The table is
/// split into shards by the hash's top bits, so that workers' maps merge shard by shard and
/// the merge never holds two copies of the whole map.
struct CrisisMap(Vec<hashbrown::HashTable<(u64, Id, Crisis)>>);

const SHARD_BITS: u32 = 6;

impl Default for CrisisMap {
    fn default() -> Self {
        CrisisMap(
            (0..1 << SHARD_BITS)
                .map(|_| hashbrown::HashTable::new())
                .collect(),
        )
    }
}

/// Middle bits of the hash: the tables use its low bits for the bucket and its top bits as a
/// tag, so sharding on either would crowd each shard's table.
fn shard(hash: u64) -> usize {
    ((hash >> 32) & ((1 << SHARD_BITS) - 1)) as usize
}

impl CrisisMap {
    fn get(&self, hash: u64, id: &[u8]) -> Option<&Crisis> {
        self.0[shard(hash)]
            .find(hash, |(_, k, _)| k.as_bytes() == id)
            .map(|(_, _, c)| c)
    }

    fn upsert(&mut self, hash: u64, id: &[u8], line: u64) -> &mut Crisis {
        let entry = self.0[shard(hash)]
            .entry(hash, |(_, k, _)| k.as_bytes() == id, |(h, _, _)| *h)
            .or_insert_with(|| {
                let c = Crisis {
                    first_line: line,
                    values: SmallVec::new(),
                    counted: false,
                    seen: AtomicBool::new(false),
                };
                (hash, Id::new(id), c)
            });
        let c = &mut entry.into_mut().2;
        c.first_line = c.first_line.min(line);
        c
    }

    fn merge(&mut self, other: CrisisMap) {
        for theirs in other.0 {
            for (hash, id, c) in theirs {
                let m = self.upsert(hash, id.as_bytes(), c.first_line);
                m.counted |= c.counted;
                for (ind, a) in c.values {
                    keep_largest(&mut m.values, ind, a);
                }
            }
        }
    }

    fn len(&self) -> usize {
        self.0.iter().map(|t| t.len()).sum()
    }

    fn iter(&self) -> impl Iterator<Item = (&Id, &Crisis)> {
        self.0
            .iter()
            .flat_map(|t| t.iter())
            .map(|(_, id, c)| (id, c))
    }
}

fn read_crisis(
    path: &Path,
    model: &Model,
    threads: usize,
    progress: &(dyn Fn(Phase, u64) + Sync),
) -> Result<(CrisisMap, Problems), Failure> {
    let name = path.display().to_string();
    let hasher = FxBuildHasher;
    let indicators: FxHashMap<&[u8], u16> = model
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.code.as_bytes(), i as u16))
        .collect();
    // 0.5^(age / half-life) for every age that counts: computed once, exactly as the contract says.
    let decay: Vec<Vec<f64>> = model
        .indicators
        .iter()
        .map(|i| {
            (0..model.lookback_days)
                .map(|age| 0.5f64.powf(age as f64 / i.half_life_days))
                .collect()
        })
        .collect();
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
                let ind = indicators.get(indicator).copied();
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
                let entry = map.upsert(hasher.hash_one(id), id, line);
                let age = model.as_of - day;
                if (0..model.lookback_days).contains(&age) {
                    let decayed = v * decay[ind as usize][age as usize];
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
        map.merge(other);
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
    hashes: Vec<Vec<u64>>,
    hasher: &FxBuildHasher,
) -> Result<Problems, Failure> {
    let repeated = repeated_values(hashes);
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

/// Values that occur more than once across the lists. The values (hashes, so evenly spread)
/// are scattered into buckets by their top bits, and the small buckets sorted in parallel:
/// far cheaper than sorting tens of millions of values as one array.
fn repeated_values(lists: Vec<Vec<u64>>) -> FxHashSet<u64> {
    const BITS: u32 = 16;
    let bucket = |h: u64| (h >> (64 - BITS)) as usize;
    let mut starts = vec![0usize; (1 << BITS) + 1];
    for h in lists.iter().flatten() {
        starts[bucket(*h) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut all = vec![0u64; starts[starts.len() - 1]];
    let mut next = starts.clone();
    for list in lists {
        for h in list {
            let b = bucket(h);
            all[next[b]] = h;
            next[b] += 1;
        }
    }
    // Split the buckets between threads at bucket boundaries; each sorts its own buckets.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = (1usize << BITS).div_ceil(threads);
    let found: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let mut rest: &mut [u64] = &mut all;
        let mut handles = Vec::new();
        for t in 0..threads {
            let (lo, hi) = (t * per, ((t + 1) * per).min(1 << BITS));
            let (mine, tail) = std::mem::take(&mut rest).split_at_mut(starts[hi] - starts[lo]);
            rest = tail;
            let starts = &starts;
            handles.push(scope.spawn(move || {
                let mut dups = Vec::new();
                for b in lo..hi {
                    let part = &mut mine[starts[b] - starts[lo]..starts[b + 1] - starts[lo]];
                    part.sort_unstable();
                    dups.extend(part.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
                }
                dups
            }));
        }
        handles
            .into_iter()
            .map(|h| h.join().expect("a sorting thread panicked"))
            .collect()
    });
    found.into_iter().flatten().collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_values_are_found_across_lists_and_buckets() {
        let a = vec![u64::MAX, 7, 1 << 63, 42];
        let b = vec![42, 9, u64::MAX, 3];
        let c = vec![5, 5];
        let r = repeated_values(vec![a, b, c]);
        let mut r: Vec<u64> = r.into_iter().collect();
        r.sort_unstable();
        assert_eq!(r, vec![5, 42, u64::MAX]);
        assert!(repeated_values(vec![vec![1, 2, 3], vec![]]).is_empty());
    }
}
