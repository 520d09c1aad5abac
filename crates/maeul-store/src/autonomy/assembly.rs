//! 주민총회 — assemblies: their rules (frozen once voting opens), voting codes, participation
//! kept apart from ballots, and tallies kept up to date in the transaction of each ballot.
//!
//! Ballot secrecy (DESIGN.md §4): `assembly_participations` says who took part and through which
//! channel; `assembly_ballots` says what was chosen, under a random receipt, with no time and
//! no resident. Nothing here reads the two together, and the schema does not let a query join
//! them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use maeul_core::autonomy::assembly::{
    Ballot, Booth, BoothCount, BoothKind, Channel, Decision, PaperTally, Rules, Tally, VotingCode,
    ballot_hash, ballot_line, decide,
};
use maeul_core::crypto::Sealed;
use maeul_core::region::{RegionCode, RegionPath};

use crate::db::{DbConn, Manager, db_run, db_write, db_write_as};
use crate::group::GroupCommit;
use maeul_core::autonomy::plan::{Status as PlanStatus, keeps_placed};

use crate::schema::{
    assemblies, assembly_ballots, assembly_booths, assembly_counts, assembly_items,
    assembly_participations, autonomy_plan_items, autonomy_plans, regions, voting_codes,
};
use crate::welfare::region_path;
use crate::{Store, StoreError, unix_now};

/// Where an assembly is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Rules may still change.
    Draft,
    /// Voting has opened: the rules are frozen.
    Open,
    /// Voting is over; the ballot set and its hash are final.
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    fn parse(s: &str) -> Result<Status, StoreError> {
        match s {
            "draft" => Ok(Status::Draft),
            "open" => Ok(Status::Open),
            "closed" => Ok(Status::Closed),
            other => Err(StoreError::Corrupt(format!("assembly status {other:?}"))),
        }
    }
}

/// What does not change once voting opens: the place, the rules and the items' ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub id: i64,
    pub emd_code: String,
    pub place: RegionPath,
    pub rules: Rules,
    /// The id of each item, in the order of the rules.
    pub item_ids: Vec<i64>,
}

impl Setup {
    /// The position of the item with that id.
    pub fn item_position(&self, item_id: i64) -> Option<usize> {
        self.item_ids.iter().position(|i| *i == item_id)
    }
}

/// Participants per channel, as counted with each participation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Participants {
    pub online: u64,
    pub advance: u64,
    pub booth: u64,
    pub mobile_booth: u64,
}

impl Participants {
    pub fn total(&self) -> u64 {
        self.online + self.advance + self.booth + self.mobile_booth
    }
}

/// An assembly as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembly {
    pub setup: Arc<Setup>,
    pub status: Status,
    pub participants: Participants,
    pub ballot_hash: Option<String>,
    pub created_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// A closed assembly's counts and booths as one JSON value ([`Snapshot`]), so that its
    /// result is read in one query.
    snapshot: Option<String>,
}

/// The online counts `(item, option, votes)` and the booths of an assembly.
type Snapshot = (Vec<(i64, i64, i64)>, Vec<BoothRow>);

/// Reads the online counts and the booths of an assembly on a connection.
macro_rules! snapshot_of {
    ($c:expr, $id:expr) => {
        assembly_counts::table
            .filter(assembly_counts::assembly_id.eq($id))
            .select((
                assembly_counts::item_position,
                assembly_counts::option_position,
                assembly_counts::votes,
            ))
            .load::<(i64, i64, i64)>($c)
            .and_then(|counts| {
                assembly_booths::table
                    .filter(assembly_booths::assembly_id.eq($id))
                    .select((
                        assembly_booths::name,
                        assembly_booths::kind,
                        assembly_booths::checked_in,
                        assembly_booths::ballots,
                        assembly_booths::counts,
                    ))
                    .order(assembly_booths::name)
                    .load::<BoothRow>($c)
                    .map(|booths| (counts, booths))
            })
    };
}

/// Keeps a closed assembly's snapshot up to date (a no-op while voting runs).
macro_rules! refresh_snapshot {
    ($c:expr, $id:expr) => {
        snapshot_of!($c, $id).and_then(|snapshot: Snapshot| {
            diesel::update(
                assemblies::table
                    .filter(assemblies::id.eq($id))
                    .filter(assemblies::status.eq(Status::Closed.as_str())),
            )
            .set(assemblies::snapshot.eq(serde_json::to_string(&snapshot).expect("serialises")))
            .execute($c)
        })
    };
}

/// A booth's check-ins and, once counted, its paper tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoothRecord {
    pub count: BoothCount,
    pub kind: BoothKind,
    pub paper: Option<PaperTally>,
}

/// Everything the result of an assembly is computed from, read without recounting ballots.
#[derive(Debug, Clone)]
pub struct Counted {
    pub assembly: Assembly,
    /// Online votes (paper tallies are in `booths`).
    pub online: Tally,
    pub booths: Vec<BoothRecord>,
}

impl Counted {
    /// Online votes plus every booth's paper tally.
    pub fn tally(&self) -> Tally {
        let mut tally = self.online.clone();
        for paper in self.booths.iter().filter_map(|b| b.paper.as_ref()) {
            tally.add_paper(paper);
        }
        tally
    }

    /// The decision of every item and whether the result is valid, and why not.
    pub fn decision(&self) -> Decision {
        let booths: Vec<_> = self.booths.iter().map(|b| b.count.clone()).collect();
        let a = &self.assembly;
        decide(
            &a.setup.rules,
            &self.tally(),
            a.participants.total(),
            &booths,
        )
    }

    /// What a plan put to this assembly records: the winners (see [`Counted::winners`]) and
    /// the line kept in the plan's history.
    pub fn plan_decision(&self) -> (Option<BTreeMap<String, Vec<String>>>, String) {
        let winners = self.winners();
        let detail = format!(
            "{} — {}",
            self.assembly.setup.rules.title,
            if winners.is_some() {
                "valid"
            } else {
                "not valid"
            }
        );
        (winners, detail)
    }

    /// What each item (by title) decided, when the result is valid: the winning options
    /// (`yes` for an adopted majority item).
    pub fn winners(&self) -> Option<BTreeMap<String, Vec<String>>> {
        let decision = self.decision();
        decision.valid.then(|| {
            self.assembly
                .setup
                .rules
                .items
                .iter()
                .zip(decision.items)
                .map(|(item, d)| (item.title.clone(), d.winners))
                .collect()
        })
    }
}

/// Why a command on an assembly is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AssemblyError {
    #[error("no such assembly")]
    NotFound,
    #[error("the rules are frozen once voting has opened")]
    Frozen,
    #[error("voting is not open")]
    NotOpen,
    #[error("voting has not closed yet")]
    NotClosed,
    #[error("the assembly is closed")]
    Closed,
    #[error("this resident has already taken part")]
    AlreadyTookPart,
    #[error("no such voting code")]
    UnknownCode,
    #[error("the resident is not on the assembly's roster")]
    NotOnRoster,
    #[error("an autonomy plan's questions on the ballot cannot be changed or removed")]
    PlanOnBallot,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for AssemblyError {
    fn from(e: diesel::result::Error) -> Self {
        AssemblyError::Store(e.into())
    }
}

/// A ballot waiting for the writer.
pub(crate) struct Cast {
    assembly_id: i64,
    code_digest: String,
    channel: Channel,
    content: String,
    marks: Vec<(usize, usize)>,
    receipt: String,
}

/// Refusals the writer gives per ballot (the rest of the group is still written).
#[derive(Debug, Clone, Copy)]
enum Refusal {
    NotOpen,
    UnknownCode,
    AlreadyTookPart,
}

/// The ballot writer and the frozen setups of assemblies that have opened.
pub(crate) struct BallotBox {
    writer: GroupCommit<Cast, Result<String, Refusal>>,
    setups: Mutex<HashMap<i64, Arc<Setup>>>,
}

/// Ballots committed together at most.
const GROUP_LIMIT: usize = 2000;
/// Rows per multi-row statement: well under SQLite's limit of bound variables.
const CHUNK: usize = 500;

impl BallotBox {
    pub(crate) fn start(pool: diesel::r2d2::Pool<Manager>) -> Self {
        BallotBox {
            writer: GroupCommit::start("maeul-ballot-box", pool, GROUP_LIMIT, |_| 1, commit_casts),
            setups: Mutex::new(HashMap::new()),
        }
    }
}

fn receipt() -> String {
    rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes a group of ballots in one transaction: per assembly one status check that also
/// locks the assembly against closing, one look-up of the codes, one insert of the
/// participations (the first of a resident wins), one of the ballots, and one update per
/// option voted.
fn commit_casts(
    conn: &mut DbConn,
    casts: &[Cast],
) -> Result<Vec<Result<String, Refusal>>, StoreError> {
    let mut by_assembly: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, cast) in casts.iter().enumerate() {
        by_assembly.entry(cast.assembly_id).or_default().push(i);
    }
    db_write!(conn, |c| {
        let mut answers: Vec<Result<String, Refusal>> = vec![Err(Refusal::NotOpen); casts.len()];
        for (&id, group) in &by_assembly {
            // Touching the row takes its lock on PostgreSQL, so closing waits for this group.
            let open = diesel::update(
                assemblies::table
                    .filter(assemblies::id.eq(id))
                    .filter(assemblies::status.eq(Status::Open.as_str())),
            )
            .set(assemblies::status.eq(Status::Open.as_str()))
            .execute(c)?
                == 1;
            if !open {
                continue;
            }
            let mut residents: HashMap<String, String> = HashMap::new();
            for chunk in group.chunks(CHUNK) {
                let digests: Vec<&str> = chunk
                    .iter()
                    .map(|i| casts[*i].code_digest.as_str())
                    .collect();
                let found: Vec<(String, String)> = voting_codes::table
                    .filter(voting_codes::assembly_id.eq(id))
                    .filter(voting_codes::code_digest.eq_any(&digests))
                    .select((voting_codes::code_digest, voting_codes::resident_key))
                    .load(c)?;
                residents.extend(found);
            }
            // The first ballot of a resident in the group goes on; the database decides
            // against earlier ones and against booth check-ins.
            let mut claimed: HashSet<&str> = HashSet::new();
            let mut candidates: Vec<(usize, &str)> = Vec::new();
            for &i in group {
                match residents.get(&casts[i].code_digest) {
                    None => answers[i] = Err(Refusal::UnknownCode),
                    Some(r) if !claimed.insert(r.as_str()) => {
                        answers[i] = Err(Refusal::AlreadyTookPart)
                    }
                    Some(r) => candidates.push((i, r.as_str())),
                }
            }
            let mut inserted: HashSet<String> = HashSet::new();
            for chunk in candidates.chunks(CHUNK) {
                let rows: Vec<_> = chunk
                    .iter()
                    .map(|(i, r)| {
                        (
                            assembly_participations::assembly_id.eq(id),
                            assembly_participations::resident_key.eq(*r),
                            assembly_participations::channel.eq(casts[*i].channel.as_str()),
                            assembly_participations::booth.eq(""),
                        )
                    })
                    .collect();
                let keys: Vec<String> = diesel::insert_into(assembly_participations::table)
                    .values(&rows)
                    .on_conflict_do_nothing()
                    .returning(assembly_participations::resident_key)
                    .get_results(c)?;
                inserted.extend(keys);
            }
            let mut accepted: Vec<usize> = Vec::with_capacity(candidates.len());
            for (i, r) in &candidates {
                if inserted.contains(*r) {
                    accepted.push(*i);
                } else {
                    answers[*i] = Err(Refusal::AlreadyTookPart);
                }
            }
            // Stored in receipt order, not in the order of participation.
            accepted.sort_unstable_by(|a, b| casts[*a].receipt.cmp(&casts[*b].receipt));
            for chunk in accepted.chunks(CHUNK) {
                let rows: Vec<_> = chunk
                    .iter()
                    .map(|i| {
                        (
                            assembly_ballots::assembly_id.eq(id),
                            assembly_ballots::receipt.eq(&casts[*i].receipt),
                            assembly_ballots::content.eq(&casts[*i].content),
                        )
                    })
                    .collect();
                diesel::insert_into(assembly_ballots::table)
                    .values(&rows)
                    .execute(c)?;
            }
            let mut votes: BTreeMap<(usize, usize), i64> = BTreeMap::new();
            let (mut online, mut advance) = (0i64, 0i64);
            for &i in &accepted {
                for mark in &casts[i].marks {
                    *votes.entry(*mark).or_default() += 1;
                }
                match casts[i].channel {
                    Channel::Advance => advance += 1,
                    _ => online += 1,
                }
                answers[i] = Ok(casts[i].receipt.clone());
            }
            for ((item, option), n) in votes {
                diesel::update(
                    assembly_counts::table
                        .filter(assembly_counts::assembly_id.eq(id))
                        .filter(assembly_counts::item_position.eq(item as i64))
                        .filter(assembly_counts::option_position.eq(option as i64)),
                )
                .set(assembly_counts::votes.eq(assembly_counts::votes + n))
                .execute(c)?;
            }
            diesel::update(assemblies::table.filter(assemblies::id.eq(id)))
                .set((
                    assemblies::online.eq(assemblies::online + online),
                    assemblies::advance.eq(assemblies::advance + advance),
                ))
                .execute(c)?;
        }
        Ok(answers)
    })
}

pub struct Assemblies<'a>(&'a Store);

impl Store {
    pub fn assemblies(&self) -> Assemblies<'_> {
        Assemblies(self)
    }
}

/// What changes while an assembly runs: status, participants per channel, hash, moments.
type StateRow = (
    String,
    (i64, i64, i64, i64),
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

type AssemblyRow = (i64, String, String, String, StateRow);

macro_rules! state_columns {
    () => {
        (
            assemblies::status,
            (
                assemblies::online,
                assemblies::advance,
                assemblies::booth,
                assemblies::mobile_booth,
            ),
            assemblies::ballot_hash,
            assemblies::created_at,
            assemblies::opened_at,
            assemblies::closed_at,
            assemblies::snapshot,
        )
    };
}

macro_rules! assembly_query {
    () => {
        assemblies::table.inner_join(regions::table).select((
            assemblies::id,
            assemblies::emd_code,
            assemblies::rules,
            regions::path,
            state_columns!(),
        ))
    };
}

/// Loads an assembly on a connection: only its state when its frozen setup is known.
macro_rules! load_assembly {
    ($c:expr, $id:expr, $known:expr) => {
        match $known {
            Some(setup) => assemblies::table
                .filter(assemblies::id.eq($id))
                .select(state_columns!())
                .first::<StateRow>($c)
                .optional()
                .map_err(StoreError::from)
                .and_then(|row| row.map(|row| state_of(setup, row)).transpose()),
            None => assembly_query!()
                .filter(assemblies::id.eq($id))
                .first::<AssemblyRow>($c)
                .optional()
                .map_err(StoreError::from)
                .and_then(|row| {
                    row.map(|row| {
                        let items = item_ids!($c, $id)?;
                        assembly_of(row, items)
                    })
                    .transpose()
                }),
        }
    };
}

pub(crate) fn rules_json(rules: &Rules) -> String {
    serde_json::to_string(rules).expect("rules serialise")
}

fn assembly_of(row: AssemblyRow, item_ids: Vec<i64>) -> Result<Assembly, StoreError> {
    let (id, emd_code, rules, path, state) = row;
    let rules: Rules = serde_json::from_str(&rules)
        .map_err(|e| StoreError::Corrupt(format!("rules of assembly {id}: {e}")))?;
    let setup = Arc::new(Setup {
        id,
        emd_code,
        place: region_path(&path)?,
        rules,
        item_ids,
    });
    state_of(setup, state)
}

fn state_of(setup: Arc<Setup>, row: StateRow) -> Result<Assembly, StoreError> {
    let (status, (online, advance, booth, mobile_booth), hash, created, opened, closed, snapshot) =
        row;
    Ok(Assembly {
        setup,
        status: Status::parse(&status)?,
        participants: Participants {
            online: online as u64,
            advance: advance as u64,
            booth: booth as u64,
            mobile_booth: mobile_booth as u64,
        },
        ballot_hash: hash,
        created_at: created,
        opened_at: opened,
        closed_at: closed,
        snapshot,
    })
}

/// The ids of an assembly's items, in order (a macro: it runs on either engine's connection).
macro_rules! item_ids {
    ($c:expr, $id:expr) => {
        assembly_items::table
            .filter(assembly_items::assembly_id.eq($id))
            .select(assembly_items::id)
            .order(assembly_items::position)
            .load::<i64>($c)
    };
}

macro_rules! insert_items {
    ($c:expr, $id:expr, $rules:expr) => {{
        let mut result = Ok(0);
        for (position, item) in $rules.items.iter().enumerate() {
            result = diesel::insert_into($crate::schema::assembly_items::table)
                .values((
                    $crate::schema::assembly_items::assembly_id.eq($id),
                    $crate::schema::assembly_items::position.eq(position as i64),
                    $crate::schema::assembly_items::title.eq(item.title.as_str()),
                ))
                .execute($c);
            if result.is_err() {
                break;
            }
        }
        result
    }};
}

pub(crate) use insert_items;

/// Replaces the rules and items of an assembly still in draft on a connection; the number of
/// assemblies changed (0 when it is not a draft or does not exist).
macro_rules! replace_draft_rules {
    ($c:expr, $id:expr, $rules:expr) => {
        diesel::update(
            $crate::schema::assemblies::table
                .filter($crate::schema::assemblies::id.eq($id))
                .filter(
                    $crate::schema::assemblies::status
                        .eq($crate::autonomy::assembly::Status::Draft.as_str()),
                ),
        )
        .set((
            $crate::schema::assemblies::title.eq(&$rules.title),
            $crate::schema::assemblies::rules.eq($crate::autonomy::assembly::rules_json(&$rules)),
        ))
        .execute($c)
        .and_then(|changed| {
            if changed == 0 {
                return Ok(0);
            }
            diesel::delete(
                $crate::schema::assembly_items::table
                    .filter($crate::schema::assembly_items::assembly_id.eq($id)),
            )
            .execute($c)?;
            $crate::autonomy::assembly::insert_items!($c, $id, $rules)?;
            Ok(changed)
        })
    };
}
pub(crate) use replace_draft_rules;

/// Takes an assembly still in draft for a change of its ballot: touching the row locks it on
/// PostgreSQL (SQLite's write transaction holds the lock already), so that changes of one
/// ballot run one after another. Gives its place and current rules (JSON), or `None`.
macro_rules! lock_draft {
    ($c:expr, $id:expr) => {
        diesel::update(
            $crate::schema::assemblies::table
                .filter($crate::schema::assemblies::id.eq($id))
                .filter(
                    $crate::schema::assemblies::status
                        .eq($crate::autonomy::assembly::Status::Draft.as_str()),
                ),
        )
        .set(
            $crate::schema::assemblies::status
                .eq($crate::autonomy::assembly::Status::Draft.as_str()),
        )
        .returning((
            $crate::schema::assemblies::emd_code,
            $crate::schema::assemblies::rules,
        ))
        .get_result::<(String, String)>($c)
        .optional()
    };
}
pub(crate) use lock_draft;

/// The lines of the ballot file, unsorted.
macro_rules! ballot_lines {
    ($c:expr, $id:expr) => {
        assembly_ballots::table
            .filter(assembly_ballots::assembly_id.eq($id))
            .select((assembly_ballots::receipt, assembly_ballots::content))
            .load::<(String, String)>($c)
            .map(|rows| {
                rows.iter()
                    .map(|(receipt, content)| ballot_line(receipt, content))
                    .collect::<Vec<String>>()
            })
    };
}

/// `$refusal` when the assembly exists, `NotFound` when it does not.
macro_rules! refusal_or_not_found {
    ($c:expr, $id:expr, $refusal:expr) => {
        match assemblies::table
            .filter(assemblies::id.eq($id))
            .select(assemblies::id)
            .first::<i64>($c)
            .optional()
        {
            Ok(Some(_)) => $refusal,
            Ok(None) => AssemblyError::NotFound,
            Err(e) => AssemblyError::from(e),
        }
    };
}

impl Assemblies<'_> {
    /// A new assembly in draft.
    pub async fn create(
        &self,
        emd: &RegionCode,
        rules: Rules,
        by: i64,
    ) -> Result<Assembly, AssemblyError> {
        let emd = emd.as_str().to_owned();
        let id = self
            .0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let id: i64 = diesel::insert_into(assemblies::table)
                        .values((
                            assemblies::emd_code.eq(&emd),
                            assemblies::title.eq(&rules.title),
                            assemblies::rules.eq(rules_json(&rules)),
                            assemblies::status.eq(Status::Draft.as_str()),
                            assemblies::created_by.eq(by),
                            assemblies::created_at.eq(unix_now()),
                        ))
                        .returning(assemblies::id)
                        .get_result(c)?;
                    insert_items!(c, id, rules)?;
                    Ok(id)
                })
            })
            .await?;
        self.get(id).await?.ok_or(AssemblyError::NotFound)
    }

    /// An assembly as it stands now.
    pub async fn get(&self, id: i64) -> Result<Option<Assembly>, StoreError> {
        let known = self.cached(id);
        self.0
            .run(move |conn| db_run!(conn, |c| load_assembly!(c, id, known)))
            .await
    }

    /// The assemblies of a place, newest first.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<Assembly>, StoreError> {
        let emd = emd.as_str().to_owned();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<AssemblyRow> = assembly_query!()
                        .filter(assemblies::emd_code.eq(&emd))
                        .order((assemblies::created_at.desc(), assemblies::id.desc()))
                        .limit(200)
                        .load(c)?;
                    rows.into_iter()
                        .map(|row| {
                            let items = item_ids!(c, row.0)?;
                            assembly_of(row, items)
                        })
                        .collect()
                })
            })
            .await
    }

    /// The frozen setup of an assembly whose voting has opened, remembered after the first
    /// read (it cannot change); `None` for a draft or an unknown assembly.
    pub async fn setup(&self, id: i64) -> Result<Option<Arc<Setup>>, StoreError> {
        if let Some(s) = self.cached(id) {
            return Ok(Some(s));
        }
        let Some(assembly) = self.get(id).await? else {
            return Ok(None);
        };
        if assembly.status == Status::Draft {
            return Ok(None);
        }
        self.remember(assembly.setup.clone());
        Ok(Some(assembly.setup))
    }

    fn remember(&self, setup: Arc<Setup>) {
        self.0
            .ballot_box
            .setups
            .lock()
            .expect("setups lock")
            .insert(setup.id, setup);
    }

    fn cached(&self, id: i64) -> Option<Arc<Setup>> {
        self.0
            .ballot_box
            .setups
            .lock()
            .expect("setups lock")
            .get(&id)
            .cloned()
    }

    /// Replaces the rules of a draft; refused once voting has opened.
    pub async fn update(&self, id: i64, rules: Rules) -> Result<Assembly, AssemblyError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    let Some((_, before)) = lock_draft!(c, id)? else {
                        return Err(refusal_or_not_found!(c, id, AssemblyError::Frozen));
                    };
                    // The questions an autonomy plan put on the ballot stay as they are while
                    // the plan waits for the decision: it is read back by their titles.
                    let placed: Vec<Option<String>> = autonomy_plan_items::table
                        .inner_join(autonomy_plans::table)
                        .filter(autonomy_plans::assembly_id.eq(id))
                        .filter(autonomy_plans::status.eq(PlanStatus::AtAssembly.as_str()))
                        .select(autonomy_plan_items::ballot_item)
                        .load(c)?;
                    let placed: Vec<String> = placed.into_iter().flatten().collect();
                    if !placed.is_empty() {
                        let before: Rules = serde_json::from_str(&before).map_err(|e| {
                            StoreError::Corrupt(format!("rules of assembly {id}: {e}"))
                        })?;
                        if !keeps_placed(&before, &rules, &placed) {
                            return Err(AssemblyError::PlanOnBallot);
                        }
                    }
                    replace_draft_rules!(c, id, rules)?;
                    Ok(())
                })
            })
            .await?;
        self.get(id).await?.ok_or(AssemblyError::NotFound)
    }

    /// Opens voting: the rules are frozen from now on, and the counters start at zero.
    pub async fn open(&self, id: i64) -> Result<Assembly, AssemblyError> {
        let assembly = self.get(id).await?.ok_or(AssemblyError::NotFound)?;
        let setup = assembly.setup.clone();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    let changed = diesel::update(
                        assemblies::table
                            .filter(assemblies::id.eq(id))
                            .filter(assemblies::status.eq(Status::Draft.as_str()))
                            // The rules read above are the ones frozen.
                            .filter(assemblies::rules.eq(rules_json(&setup.rules))),
                    )
                    .set((
                        assemblies::status.eq(Status::Open.as_str()),
                        assemblies::opened_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        return Err(refusal_or_not_found!(c, id, AssemblyError::Frozen));
                    }
                    for (i, item) in setup.rules.items.iter().enumerate() {
                        for o in 0..item.rule.option_titles().len() {
                            diesel::insert_into(assembly_counts::table)
                                .values((
                                    assembly_counts::assembly_id.eq(id),
                                    assembly_counts::item_position.eq(i as i64),
                                    assembly_counts::option_position.eq(o as i64),
                                    assembly_counts::votes.eq(0),
                                ))
                                .execute(c)?;
                        }
                    }
                    for booth in &setup.rules.booths {
                        diesel::insert_into(assembly_booths::table)
                            .values((
                                assembly_booths::assembly_id.eq(id),
                                assembly_booths::name.eq(&booth.name),
                                assembly_booths::kind.eq(kind_str(booth.kind)),
                            ))
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await?;
        // The first voters find the frozen setup ready instead of all reading it at once.
        self.remember(assembly.setup.clone());
        self.get(id).await?.ok_or(AssemblyError::NotFound)
    }

    /// Closes voting and fixes the hash of the ballot set.
    pub async fn close(&self, id: i64) -> Result<Assembly, AssemblyError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    // Waits (on PostgreSQL) for ballots being written to this assembly.
                    let changed = diesel::update(
                        assemblies::table
                            .filter(assemblies::id.eq(id))
                            .filter(assemblies::status.eq(Status::Open.as_str())),
                    )
                    .set((
                        assemblies::status.eq(Status::Closed.as_str()),
                        assemblies::closed_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        return Err(refusal_or_not_found!(c, id, AssemblyError::NotOpen));
                    }
                    let mut lines = ballot_lines!(c, id)?;
                    let hash = ballot_hash(&mut lines);
                    diesel::update(assemblies::table.filter(assemblies::id.eq(id)))
                        .set(assemblies::ballot_hash.eq(hash))
                        .execute(c)?;
                    refresh_snapshot!(c, id)?;
                    Ok(())
                })
            })
            .await?;
        self.get(id).await?.ok_or(AssemblyError::NotFound)
    }

    /// Gives residents their voting codes (replacing a code given before). Residents are
    /// kept only as keyed hashes of their roster reference. Refused once voting has closed.
    /// All codes are stored in one transaction; `progress` hears how many are done.
    pub async fn issue_codes(
        &self,
        id: i64,
        codes: Vec<(String, VotingCode)>,
        progress: impl Fn(u64) + Send + 'static,
    ) -> Result<(), AssemblyError> {
        let key = self.0.data_key()?;
        let rows: Vec<(String, String)> = codes
            .iter()
            .map(|(r, code)| {
                (
                    key.blind_index(Sealed::ResidentRef, r.trim()),
                    code.digest(),
                )
            })
            .collect();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    let status: Option<String> = assemblies::table
                        .filter(assemblies::id.eq(id))
                        .select(assemblies::status)
                        .first(c)
                        .optional()?;
                    match status.as_deref() {
                        None => return Err(AssemblyError::NotFound),
                        Some("closed") => return Err(AssemblyError::Closed),
                        _ => {}
                    }
                    for (n, (resident, digest)) in rows.iter().enumerate() {
                        if n % 1000 == 0 {
                            progress(n as u64);
                        }
                        diesel::insert_into(voting_codes::table)
                            .values((
                                voting_codes::assembly_id.eq(id),
                                voting_codes::code_digest.eq(digest),
                                voting_codes::resident_key.eq(resident),
                            ))
                            .on_conflict((voting_codes::assembly_id, voting_codes::resident_key))
                            .do_update()
                            .set(voting_codes::code_digest.eq(digest))
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Casts a ballot with a voting code; returns the receipt once it is committed.
    pub async fn cast(
        &self,
        setup: &Setup,
        code: &VotingCode,
        ballot: &Ballot,
        channel: Channel,
    ) -> Result<String, AssemblyError> {
        self.submit(setup, code.digest(), ballot, channel).await
    }

    /// Casts the ballot of a verified resident signed in, by their roster key: their voting
    /// code stands for them (without it they are not on the assembly's roster), so that they
    /// take part once across every channel as with the code itself.
    pub async fn cast_as(
        &self,
        setup: &Setup,
        resident_key: String,
        ballot: &Ballot,
        channel: Channel,
    ) -> Result<String, AssemblyError> {
        let digest = self
            .roster_code(setup.id, resident_key)
            .await?
            .ok_or(AssemblyError::NotOnRoster)?;
        self.submit(setup, digest, ballot, channel).await
    }

    /// The digest of the voting code issued to a resident (by participation key) for an
    /// assembly: none when they are not on its roster.
    pub async fn roster_code(
        &self,
        assembly: i64,
        resident_key: String,
    ) -> Result<Option<String>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(voting_codes::table
                        .filter(voting_codes::assembly_id.eq(assembly))
                        .filter(voting_codes::resident_key.eq(&resident_key))
                        .select(voting_codes::code_digest)
                        .first(c)
                        .optional()?)
                })
            })
            .await
    }

    async fn submit(
        &self,
        setup: &Setup,
        code_digest: String,
        ballot: &Ballot,
        channel: Channel,
    ) -> Result<String, AssemblyError> {
        let cast = Cast {
            assembly_id: setup.id,
            code_digest,
            channel,
            content: ballot.canonical(&setup.rules),
            marks: ballot.marks().collect(),
            receipt: receipt(),
        };
        match self.0.ballot_box.writer.submit(cast).await? {
            Ok(receipt) => Ok(receipt),
            Err(Refusal::NotOpen) => Err(AssemblyError::NotOpen),
            Err(Refusal::UnknownCode) => Err(AssemblyError::UnknownCode),
            Err(Refusal::AlreadyTookPart) => Err(AssemblyError::AlreadyTookPart),
        }
    }

    /// Checks a resident in at a booth, where they will cast a paper ballot. Refused when
    /// they already took part through any channel.
    pub async fn check_in(
        &self,
        setup: &Setup,
        resident_ref: &str,
        booth: &Booth,
    ) -> Result<(), AssemblyError> {
        let resident = self
            .0
            .data_key()?
            .blind_index(Sealed::ResidentRef, resident_ref.trim());
        let (id, booth) = (setup.id, booth.clone());
        let channel = Channel::of_booth(booth.kind);
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    let counter = match channel {
                        Channel::MobileBooth => diesel::update(
                            assemblies::table
                                .filter(assemblies::id.eq(id))
                                .filter(assemblies::status.eq(Status::Open.as_str())),
                        )
                        .set(assemblies::mobile_booth.eq(assemblies::mobile_booth + 1))
                        .execute(c)?,
                        _ => diesel::update(
                            assemblies::table
                                .filter(assemblies::id.eq(id))
                                .filter(assemblies::status.eq(Status::Open.as_str())),
                        )
                        .set(assemblies::booth.eq(assemblies::booth + 1))
                        .execute(c)?,
                    };
                    if counter == 0 {
                        return Err(AssemblyError::NotOpen);
                    }
                    // Only residents of the roster the codes were issued from may vote, at a
                    // booth as online: a mistyped reference must not count as a participant.
                    let on_roster: i64 = voting_codes::table
                        .filter(voting_codes::assembly_id.eq(id))
                        .filter(voting_codes::resident_key.eq(&resident))
                        .count()
                        .get_result(c)?;
                    if on_roster == 0 {
                        return Err(AssemblyError::NotOnRoster);
                    }
                    diesel::insert_into(assembly_participations::table)
                        .values((
                            assembly_participations::assembly_id.eq(id),
                            assembly_participations::resident_key.eq(&resident),
                            assembly_participations::channel.eq(channel.as_str()),
                            assembly_participations::booth.eq(&booth.name),
                        ))
                        .execute(c)
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict => AssemblyError::AlreadyTookPart,
                            other => AssemblyError::Store(other),
                        })?;
                    diesel::insert_into(assembly_booths::table)
                        .values((
                            assembly_booths::assembly_id.eq(id),
                            assembly_booths::name.eq(&booth.name),
                            assembly_booths::kind.eq(kind_str(booth.kind)),
                            assembly_booths::checked_in.eq(1),
                        ))
                        .on_conflict((assembly_booths::assembly_id, assembly_booths::name))
                        .do_update()
                        .set(assembly_booths::checked_in.eq(assembly_booths::checked_in + 1))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Records (or corrects) the paper tally of a booth, once voting has opened.
    pub async fn enter_paper(
        &self,
        setup: &Setup,
        booth: &Booth,
        paper: &PaperTally,
        by: i64,
    ) -> Result<(), AssemblyError> {
        let (id, booth) = (setup.id, booth.clone());
        let counts = serde_json::to_string(&paper.counts).expect("counts serialise");
        let ballots = paper.ballots as i64;
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AssemblyError, |c| {
                    let now = unix_now();
                    diesel::insert_into(assembly_booths::table)
                        .values((
                            assembly_booths::assembly_id.eq(id),
                            assembly_booths::name.eq(&booth.name),
                            assembly_booths::kind.eq(kind_str(booth.kind)),
                            assembly_booths::ballots.eq(ballots),
                            assembly_booths::counts.eq(&counts),
                            assembly_booths::entered_by.eq(by),
                            assembly_booths::entered_at.eq(now),
                        ))
                        .on_conflict((assembly_booths::assembly_id, assembly_booths::name))
                        .do_update()
                        .set((
                            assembly_booths::ballots.eq(ballots),
                            assembly_booths::counts.eq(&counts),
                            assembly_booths::entered_by.eq(by),
                            assembly_booths::entered_at.eq(now),
                        ))
                        .execute(c)?;
                    // A tally entered after closing changes the closed result.
                    refresh_snapshot!(c, id)?;
                    Ok(())
                })
            })
            .await
    }

    /// The counters of an assembly: participants, online votes and the booths.
    pub async fn counted(&self, id: i64) -> Result<Counted, AssemblyError> {
        let known = self.cached(id);
        let (assembly, (counts, booths)) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let Some(assembly) = load_assembly!(c, id, known)? else {
                        return Err(StoreError::NotFound);
                    };
                    // A closed assembly's result is one query; a running one reads its counters.
                    let snapshot: Snapshot = match &assembly.snapshot {
                        Some(json) => serde_json::from_str(json).map_err(|e| {
                            StoreError::Corrupt(format!("snapshot of assembly {id}: {e}"))
                        })?,
                        None => snapshot_of!(c, id)?,
                    };
                    Ok((assembly, snapshot))
                })
            })
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AssemblyError::NotFound,
                other => AssemblyError::Store(other),
            })?;
        let mut online = Tally::zero(&assembly.setup.rules);
        for (item, option, votes) in counts {
            let cell = online
                .counts
                .get_mut(item as usize)
                .and_then(|i| i.get_mut(option as usize))
                .ok_or_else(|| StoreError::Corrupt(format!("count of assembly {id}")))?;
            *cell = votes as u64;
        }
        let booths = booths
            .into_iter()
            .map(|(name, kind, checked_in, ballots, counts)| {
                let paper = match (ballots, counts) {
                    (Some(b), Some(counts)) => Some(PaperTally {
                        ballots: b as u64,
                        counts: serde_json::from_str(&counts).map_err(|e| {
                            StoreError::Corrupt(format!("paper tally of assembly {id}: {e}"))
                        })?,
                    }),
                    _ => None,
                };
                Ok(BoothRecord {
                    count: BoothCount {
                        booth: name,
                        checked_in: checked_in as u64,
                        ballots: ballots.map(|b| b as u64),
                    },
                    kind: if kind == kind_str(BoothKind::Mobile) {
                        BoothKind::Mobile
                    } else {
                        BoothKind::Fixed
                    },
                    paper,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Counted {
            assembly,
            online,
            booths,
        })
    }

    /// The published ballot file: one line per online ballot, sorted. Only once closed.
    pub async fn ballot_file(&self, id: i64) -> Result<Vec<String>, AssemblyError> {
        let assembly = self.get(id).await?.ok_or(AssemblyError::NotFound)?;
        if assembly.status != Status::Closed {
            return Err(AssemblyError::NotClosed);
        }
        let mut lines = self
            .0
            .run(move |conn| Ok(db_run!(conn, |c| ballot_lines!(c, id))?))
            .await?;
        lines.sort_unstable();
        Ok(lines)
    }
}

type BoothRow = (String, String, i64, Option<i64>, Option<String>);

fn kind_str(kind: BoothKind) -> &'static str {
    match kind {
        BoothKind::Fixed => "fixed",
        BoothKind::Mobile => "mobile",
    }
}
