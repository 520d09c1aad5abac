//! 발굴 차수 — discovery rounds, their listed households and the visits that settle them.

use std::collections::HashMap;

use diesel::prelude::*;
use maeul_core::audit::{AccessAction, Purpose};
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionPath;
use maeul_core::welfare::discovery::{Outcome, RoundName, Status, Tally, Visit, due_on};
use time::Date;

use crate::account::Actor;
use crate::db::{db_run, db_write};
use crate::region::Page;
use crate::schema::{
    discovery_candidates as cand, discovery_indicators as ind, discovery_rounds as rounds,
    discovery_visits as visits, grants, regions, users,
};
use crate::welfare::{Subject, date, listed, region_path, text};
use crate::{Store, StoreError, unix_now};

/// A listed household as the engine wrote it, with its household's details.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub emd_code: String,
    pub rank: i64,
    pub household_id: String,
    pub members: i64,
    pub head_age: i64,
    pub tags: Vec<String>,
    pub probability: f64,
    pub reasons: Vec<String>,
}

/// A round to load.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub name: RoundName,
    pub model_name: String,
    pub model_version: i64,
    pub model_toml: String,
    /// `YYYY-MM-DD`, the model's reference date.
    pub as_of: String,
    pub opens_on: Date,
    /// Identifies the files the round was loaded from.
    pub digest: String,
    /// Indicator code, name and weight.
    pub indicators: Vec<(String, String, f64)>,
    pub candidates: Vec<NewCandidate>,
}

/// What loading did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    Created(i64),
    /// The same files were loaded under this name before.
    Unchanged(i64),
}

impl Loaded {
    pub fn id(self) -> i64 {
        match self {
            Loaded::Created(id) | Loaded::Unchanged(id) => id,
        }
    }
}

/// A round as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub model_name: String,
    pub model_version: i64,
    pub as_of: String,
    pub opens_on: Date,
    pub due_on: Date,
    pub listed: i64,
    pub loaded_at: i64,
}

/// An indicator that put a household on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: String,
    /// The model's Korean name, e.g. `단전`.
    pub name: String,
}

/// A listed household in a place's list.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateItem {
    pub id: i64,
    pub round_id: i64,
    pub emd_code: String,
    pub rank: i64,
    /// Opened from its sealed form; pages show it masked.
    pub household_id: String,
    pub probability: f64,
    pub reasons: Vec<Reason>,
    pub status: Status,
    /// Log-in and name of the assigned worker.
    pub assigned_to: Option<(String, String)>,
    pub due_on: Date,
    pub visited_on: Option<Date>,
    pub outcome: Option<Outcome>,
}

/// A recorded visit.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRecord {
    pub id: i64,
    pub visited_on: Date,
    pub outcome: Outcome,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: i64,
    /// The needs domains the counselling covered (codes).
    pub domains: Vec<String>,
}

/// One listed household with its household and its visits.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateDetail {
    pub item: CandidateItem,
    pub members: i64,
    pub head_age: i64,
    pub tags: Vec<String>,
    pub visits: Vec<VisitRecord>,
}

/// Counts of one eup/myeon/dong in a round: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceCounts {
    pub emd_code: String,
    pub path: RegionPath,
    pub tally: Tally,
}

/// A listed household with what its latest visit found, for refitting the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub household_id: String,
    pub tags: Vec<String>,
    pub outcome: Option<Outcome>,
}

/// How the households listed for one indicator fared.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCounts {
    pub code: String,
    pub name: String,
    pub tally: Tally,
}

/// Which part of a place's list to read.
#[derive(Debug, Clone)]
pub struct PlaceList {
    pub round_id: i64,
    pub emd_code: String,
    /// Only the households assigned to this user and not yet visited.
    pub assigned_to: Option<i64>,
}

impl PlaceList {
    pub fn all(round_id: i64, emd_code: &str) -> Self {
        PlaceList {
            round_id,
            emd_code: emd_code.to_owned(),
            assigned_to: None,
        }
    }
}

/// A worker's households still to visit in one place and round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenVisits {
    pub round_id: i64,
    pub round_name: String,
    pub emd_code: String,
    pub place: String,
    pub due_on: Date,
    pub households: i64,
}

/// A worker who may be assigned households of a place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldWorker {
    pub id: i64,
    pub login: String,
    pub name: String,
}

pub struct Discovery<'a>(&'a Store);

impl Store {
    pub fn discovery(&self) -> Discovery<'_> {
        Discovery(self)
    }
}

fn parse_outcome(s: &str) -> Result<Outcome, StoreError> {
    Outcome::parse(s).ok_or_else(|| StoreError::Corrupt(format!("outcome {s:?}")))
}

type RoundRow = (i64, String, String, i64, String, String, String, i64, i64);

macro_rules! round_columns {
    () => {
        (
            rounds::id,
            rounds::name,
            rounds::model_name,
            rounds::model_version,
            rounds::as_of,
            rounds::opens_on,
            rounds::due_on,
            rounds::listed,
            rounds::loaded_at,
        )
    };
}

fn round_from(r: RoundRow) -> Result<Round, StoreError> {
    Ok(Round {
        id: r.0,
        name: r.1,
        model_name: r.2,
        model_version: r.3,
        as_of: r.4,
        opens_on: date(&r.5)?,
        due_on: date(&r.6)?,
        listed: r.7,
        loaded_at: r.8,
    })
}

type CandidateRow = (
    i64,
    i64,
    String,
    i64,
    Vec<u8>,
    f64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// Id, date, outcome, sealed note, recorder's log-in, when recorded.
type VisitRow = (i64, String, String, Option<Vec<u8>>, String, i64, String);

macro_rules! candidate_columns {
    () => {
        (
            cand::id,
            cand::round_id,
            cand::emd_code,
            cand::rank,
            cand::household_id,
            cand::probability,
            cand::reasons,
            cand::visited_on,
            cand::outcome,
            users::login.nullable(),
            users::name.nullable(),
            rounds::due_on,
        )
    };
}

/// Candidates with their assignee and their round's deadline.
macro_rules! candidates_query {
    () => {
        cand::table
            .inner_join(rounds::table)
            .left_join(users::table.on(cand::assigned_to.eq(users::id.nullable())))
    };
}

struct Opener {
    key: std::sync::Arc<maeul_core::crypto::DataKey>,
    names: HashMap<String, String>,
}

impl Opener {
    fn item(&self, r: CandidateRow) -> Result<CandidateItem, StoreError> {
        let household_id = self
            .key
            .open(Sealed::HouseholdId, &r.4)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let reasons =
            r.6.split(';')
                .filter(|c| !c.is_empty())
                .map(|code| Reason {
                    code: code.to_owned(),
                    name: self
                        .names
                        .get(code)
                        .cloned()
                        .unwrap_or_else(|| code.to_owned()),
                })
                .collect();
        let visited_on = r.7.as_deref().map(date).transpose()?;
        let assigned_to = r.9.zip(r.10);
        Ok(CandidateItem {
            id: r.0,
            round_id: r.1,
            emd_code: r.2,
            rank: r.3,
            household_id,
            probability: r.5,
            reasons,
            status: Status::of(assigned_to.is_some(), visited_on.is_some()),
            assigned_to,
            due_on: date(&r.11)?,
            visited_on,
            outcome: r.8.as_deref().map(parse_outcome).transpose()?,
        })
    }
}

/// The names of a round's indicators.
macro_rules! indicator_names {
    ($c:expr, $round:expr) => {
        ind::table
            .filter(ind::round_id.eq($round))
            .select((ind::code, ind::name))
            .load::<(String, String)>($c)
            .map(|rows| rows.into_iter().collect::<HashMap<String, String>>())
    };
}

impl Discovery<'_> {
    /// Loads a round in one transaction: all of it or nothing. The same files under the same
    /// name load once; other files under a name already taken are refused.
    pub async fn load(&self, round: NewRound, actor: Actor) -> Result<Loaded, StoreError> {
        let key = self.0.data_key()?;
        let name = round.name.as_str().to_owned();
        let digest = round.digest.clone();
        let result = self
            .0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let existing: Option<(i64, String)> = rounds::table
                        .filter(rounds::name.eq(round.name.as_str()))
                        .select((rounds::id, rounds::digest))
                        .first(c)
                        .optional()?;
                    if let Some((id, digest)) = existing {
                        return same_files(id, &digest, &round.digest);
                    }
                    let id: i64 = diesel::insert_into(rounds::table)
                        .values((
                            rounds::name.eq(round.name.as_str()),
                            rounds::model_name.eq(&round.model_name),
                            rounds::model_version.eq(round.model_version),
                            rounds::model_toml.eq(&round.model_toml),
                            rounds::as_of.eq(&round.as_of),
                            rounds::opens_on.eq(text(round.opens_on)),
                            rounds::due_on.eq(text(due_on(round.opens_on))),
                            rounds::digest.eq(&round.digest),
                            rounds::listed.eq(round.candidates.len() as i64),
                            rounds::loaded_at.eq(unix_now()),
                        ))
                        .returning(rounds::id)
                        .get_result(c)?;
                    let indicators: Vec<_> = round
                        .indicators
                        .iter()
                        .map(|(code, name, weight)| {
                            (
                                ind::round_id.eq(id),
                                ind::code.eq(code),
                                ind::name.eq(name),
                                ind::weight.eq(*weight),
                            )
                        })
                        .collect();
                    diesel::insert_into(ind::table)
                        .values(&indicators)
                        .execute(c)?;
                    for chunk in round.candidates.chunks(1000) {
                        let rows: Vec<_> = chunk
                            .iter()
                            .map(|n| {
                                (
                                    cand::round_id.eq(id),
                                    cand::emd_code.eq(&n.emd_code),
                                    cand::rank.eq(n.rank),
                                    cand::household_ref
                                        .eq(key.blind_index(Sealed::HouseholdId, &n.household_id)),
                                    cand::household_id
                                        .eq(key.seal(Sealed::HouseholdId, &n.household_id)),
                                    cand::members.eq(n.members),
                                    cand::head_age.eq(n.head_age),
                                    cand::tags.eq(n.tags.join(";")),
                                    cand::probability.eq(n.probability),
                                    cand::reasons.eq(n.reasons.join(";")),
                                )
                            })
                            .collect();
                        diesel::insert_into(cand::table).values(&rows).execute(c)?;
                    }
                    let entry = actor.entry(&format!("discovery_round:{id}"), AccessAction::Write);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(Loaded::Created(id))
                })
            })
            .await;
        match result {
            // Another loader took the name between our check and our insert.
            Err(StoreError::Conflict) => {
                let existing = self.by_name(&name).await?.ok_or(StoreError::Conflict)?;
                let stored: String = self
                    .0
                    .run(move |conn| {
                        Ok(db_run!(conn, |c| rounds::table
                            .find(existing)
                            .select(rounds::digest)
                            .first(c))?)
                    })
                    .await?;
                same_files(existing, &stored, &digest)
            }
            other => other,
        }
    }

    async fn by_name(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let name = name.to_owned();
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| rounds::table
                    .filter(rounds::name.eq(&name))
                    .select(rounds::id)
                    .first(c)
                    .optional())?)
            })
            .await
    }

    /// Rounds, newest first.
    pub async fn rounds(&self) -> Result<Vec<Round>, StoreError> {
        self.0
            .run(|conn| {
                let rows: Vec<RoundRow> = db_run!(conn, |c| rounds::table
                    .order(rounds::id.desc())
                    .select(round_columns!())
                    .load(c))?;
                rows.into_iter().map(round_from).collect()
            })
            .await
    }

    /// One round, or the newest when `id` is `None`.
    pub async fn round(&self, id: Option<i64>) -> Result<Option<Round>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<RoundRow> = db_run!(conn, |c| {
                    let q = rounds::table.select(round_columns!()).into_boxed();
                    match id {
                        Some(id) => q.filter(rounds::id.eq(id)).first(c).optional(),
                        None => q.order(rounds::id.desc()).first(c).optional(),
                    }
                })?;
                row.map(round_from).transpose()
            })
            .await
    }

    /// A page of a place's list in rank order. Each household shown is logged as read.
    pub async fn candidates(
        &self,
        list: PlaceList,
        offset: i64,
        limit: i64,
        actor: Actor,
    ) -> Result<Page<CandidateItem>, StoreError> {
        let page = self.read_list(list, offset, limit).await?;
        // Nothing leaves before its reading is on record.
        let read = listed(
            &actor,
            page.items
                .iter()
                .map(|i| (Subject::Candidate(i.id), i.emd_code.as_str())),
            None,
        );
        self.0.journal.append(read).await?;
        Ok(page)
    }

    /// A place's whole list for download, each household logged as exported with the
    /// stated purpose.
    pub async fn export(
        &self,
        list: PlaceList,
        actor: Actor,
        purpose: Purpose,
    ) -> Result<Vec<CandidateItem>, StoreError> {
        let page = self.read_list(list, 0, i64::MAX).await?;
        let exported = listed(
            &actor,
            page.items
                .iter()
                .map(|i| (Subject::Candidate(i.id), i.emd_code.as_str())),
            Some(&purpose),
        );
        self.0.journal.append(exported).await?;
        Ok(page.items)
    }

    async fn read_list(
        &self,
        list: PlaceList,
        offset: i64,
        limit: i64,
    ) -> Result<Page<CandidateItem>, StoreError> {
        let key = self.0.data_key()?;
        let PlaceList {
            round_id,
            emd_code: emd,
            assigned_to,
        } = list;
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let mut count = cand::table
                        .filter(cand::round_id.eq(round_id))
                        .filter(cand::emd_code.eq(&emd))
                        .into_boxed();
                    let mut query = candidates_query!()
                        .filter(cand::round_id.eq(round_id))
                        .filter(cand::emd_code.eq(&emd))
                        .into_boxed();
                    if let Some(user) = assigned_to {
                        count = count
                            .filter(cand::assigned_to.eq(user))
                            .filter(cand::visited_on.is_null());
                        query = query
                            .filter(cand::assigned_to.eq(user))
                            .filter(cand::visited_on.is_null());
                    }
                    let total: i64 = count.count().get_result(c)?;
                    let rows: Vec<CandidateRow> = query
                        .order(cand::rank)
                        .offset(offset)
                        .limit(limit)
                        .select(candidate_columns!())
                        .load(c)?;
                    let opener = Opener {
                        key: key.clone(),
                        names: indicator_names!(c, round_id)?,
                    };
                    let items: Vec<CandidateItem> = rows
                        .into_iter()
                        .map(|r| opener.item(r))
                        .collect::<Result<_, StoreError>>()?;
                    Ok::<_, StoreError>(Page { items, total })
                })
            })
            .await
    }

    /// Where a listed household lives: its place's region path (no personal data), for the
    /// access check that precedes any read or write.
    async fn place_of(&self, id: i64) -> Result<Option<(String, RegionPath)>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<(String, String)> = db_run!(conn, |c| cand::table
                    .inner_join(regions::table)
                    .filter(cand::id.eq(id))
                    .select((cand::emd_code, regions::path))
                    .first(c)
                    .optional())?;
                row.map(|(emd, path)| region_path(&path).map(|p| (emd, p)))
                    .transpose()
            })
            .await
    }

    /// The region path of a listed household's place, when `allowed` grants it; `None` for
    /// "no such household" and "not yours" alike, so that existence does not leak.
    pub async fn place_if(
        &self,
        id: i64,
        allowed: impl FnOnce(&RegionPath) -> bool,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .place_of(id)
            .await?
            .filter(|(_, path)| allowed(path))
            .map(|(emd, _)| emd))
    }

    /// One listed household with its household and visits; logged as read. Call after
    /// [`Discovery::place_if`].
    pub async fn candidate(
        &self,
        id: i64,
        actor: Actor,
    ) -> Result<Option<CandidateDetail>, StoreError> {
        let key = self.0.data_key()?;
        let detail = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let Some(row) = candidates_query!()
                        .filter(cand::id.eq(id))
                        .select(candidate_columns!())
                        .first::<CandidateRow>(c)
                        .optional()?
                    else {
                        return Ok(None);
                    };
                    let (members, head_age, tags): (i64, i64, String) = cand::table
                        .find(id)
                        .select((cand::members, cand::head_age, cand::tags))
                        .first(c)?;
                    let visit_rows: Vec<VisitRow> = visits::table
                        .inner_join(users::table)
                        .filter(visits::candidate_id.eq(id))
                        .order((visits::visited_on.desc(), visits::id.desc()))
                        .select((
                            visits::id,
                            visits::visited_on,
                            visits::outcome,
                            visits::note,
                            users::login,
                            visits::recorded_at,
                            visits::domains,
                        ))
                        .load(c)?;
                    let opener = Opener {
                        key: key.clone(),
                        names: indicator_names!(c, row.1)?,
                    };
                    let visits = visit_rows
                        .into_iter()
                        .map(|v| {
                            Ok(VisitRecord {
                                id: v.0,
                                visited_on: date(&v.1)?,
                                outcome: parse_outcome(&v.2)?,
                                note: v
                                    .3
                                    .map(|n| key.open(Sealed::VisitNote, &n))
                                    .transpose()
                                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                recorded_by: v.4,
                                recorded_at: v.5,
                                domains: v
                                    .6
                                    .split(';')
                                    .filter(|d| !d.is_empty())
                                    .map(str::to_owned)
                                    .collect(),
                            })
                        })
                        .collect::<Result<_, StoreError>>()?;
                    Ok(Some(CandidateDetail {
                        item: opener.item(row)?,
                        members,
                        head_age,
                        tags: tags
                            .split(';')
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        visits,
                    }))
                })
            })
            .await?;
        if let Some(d) = &detail {
            let read = listed(
                &actor,
                [(Subject::Candidate(d.item.id), d.item.emd_code.as_str())],
                None,
            );
            self.0.journal.append(read).await?;
        }
        Ok(detail)
    }

    /// Records a visit with its outcome (the note sealed) and makes it the household's
    /// latest state when it is the most recent visit. Call after [`Discovery::place_if`].
    pub async fn record_visit(
        &self,
        id: i64,
        visit: Visit,
        actor: Actor,
    ) -> Result<i64, StoreError> {
        let key = self.0.data_key()?;
        let recorded_by = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (emd, latest): (String, Option<String>) = cand::table
                        .find(id)
                        .select((cand::emd_code, cand::visited_on))
                        .first(c)?;
                    let visited_on = text(visit.visited_on);
                    let visit_id: i64 = diesel::insert_into(visits::table)
                        .values((
                            visits::candidate_id.eq(id),
                            visits::visited_on.eq(&visited_on),
                            visits::outcome.eq(visit.outcome.as_str()),
                            visits::domains.eq(visit.domains.join(";")),
                            visits::note.eq(visit
                                .note
                                .as_deref()
                                .map(|n| key.seal(Sealed::VisitNote, n))),
                            visits::recorded_by.eq(recorded_by),
                            visits::recorded_at.eq(unix_now()),
                        ))
                        .returning(visits::id)
                        .get_result(c)?;
                    // Dates as YYYY-MM-DD order as text.
                    if latest.is_none_or(|l| l <= visited_on) {
                        diesel::update(cand::table.find(id))
                            .set((
                                cand::visited_on.eq(&visited_on),
                                cand::outcome.eq(visit.outcome.as_str()),
                            ))
                            .execute(c)?;
                    }
                    crate::welfare::visit::fulfil_plans!(
                        c,
                        crate::welfare::Subject::Candidate(id),
                        visit.visited_on
                    )?;
                    let entry = actor
                        .entry(&format!("candidate:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(visit_id)
                })
            })
            .await
    }

    /// The households assigned to a worker and not yet visited, by round and place, newest
    /// round first: the worker's home shows them with their deadline. Counts only.
    pub async fn open_visits(&self, user_id: i64) -> Result<Vec<OpenVisits>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<(i64, String, i64)> = cand::table
                        .filter(cand::assigned_to.eq(user_id))
                        .filter(cand::visited_on.is_null())
                        .group_by((cand::round_id, cand::emd_code))
                        .select((cand::round_id, cand::emd_code, diesel::dsl::count_star()))
                        .order((cand::round_id.desc(), cand::emd_code))
                        .load(c)?;
                    let round_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let places: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
                    let round_info: HashMap<i64, (String, String)> = rounds::table
                        .filter(rounds::id.eq_any(&round_ids))
                        .select((rounds::id, rounds::name, rounds::due_on))
                        .load::<(i64, String, String)>(c)?
                        .into_iter()
                        .map(|(id, name, due)| (id, (name, due)))
                        .collect();
                    let place_names: HashMap<String, String> = regions::table
                        .filter(regions::code.eq_any(&places))
                        .select((regions::code, regions::name))
                        .load::<(String, String)>(c)?
                        .into_iter()
                        .collect();
                    rows.into_iter()
                        .map(|(round_id, emd_code, households)| {
                            let (round_name, due_on) =
                                round_info.get(&round_id).cloned().unwrap_or_default();
                            Ok(OpenVisits {
                                round_id,
                                round_name,
                                place: place_names.get(&emd_code).cloned().unwrap_or_default(),
                                emd_code,
                                due_on: date(&due_on)?,
                                households,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// The welfare staff and nurses of a place, who may be assigned its households.
    pub async fn field_workers(&self, emd_code: &str) -> Result<Vec<FieldWorker>, StoreError> {
        let emd = emd_code.to_owned();
        self.0
            .run(move |conn| {
                let rows: Vec<(i64, String, String)> = db_run!(conn, |c| users::table
                    .inner_join(grants::table)
                    .filter(grants::scope_code.eq(&emd))
                    .filter(grants::role.eq_any(["welfare_staff", "nurse"]))
                    .select((users::id, users::login, users::name))
                    .distinct()
                    .order(users::login)
                    .load(c))?;
                Ok(rows
                    .into_iter()
                    .map(|(id, login, name)| FieldWorker { id, login, name })
                    .collect())
            })
            .await
    }

    /// Assigns a listed household to a field worker of its place (or to nobody). A worker of
    /// another place is refused as a missing reference. Call after [`Discovery::place_if`].
    pub async fn assign(
        &self,
        id: i64,
        worker: Option<i64>,
        actor: Actor,
    ) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let emd: String = cand::table.find(id).select(cand::emd_code).first(c)?;
                    if let Some(worker) = worker {
                        let works_here: i64 = grants::table
                            .filter(grants::user_id.eq(worker))
                            .filter(grants::scope_code.eq(&emd))
                            .filter(grants::role.eq_any(["welfare_staff", "nurse"]))
                            .count()
                            .get_result(c)?;
                        if works_here == 0 {
                            return Err(StoreError::MissingReference);
                        }
                    }
                    diesel::update(cand::table.find(id))
                        .set(cand::assigned_to.eq(worker))
                        .execute(c)?;
                    let entry = actor
                        .entry(&format!("candidate:{id}"), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(())
                })
            })
            .await
    }

    /// Counts per eup/myeon/dong of a round, for the places under `path` (all of them for
    /// the nation). Aggregates only.
    pub async fn counts(
        &self,
        round_id: i64,
        within: Option<String>,
    ) -> Result<Vec<PlaceCounts>, StoreError> {
        self.0
            .run(move |conn| {
                let pattern = within.map_or_else(|| "%".to_owned(), |code| format!("%{code}%"));
                let (rows, paths) = db_run!(conn, |c| {
                    let places = regions::table
                        .filter(regions::path.like(&pattern))
                        .select(regions::code);
                    let rows: Vec<(String, Option<String>, i64)> = cand::table
                        .filter(cand::round_id.eq(round_id))
                        .filter(cand::emd_code.eq_any(places))
                        .group_by((cand::emd_code, cand::outcome))
                        .select((cand::emd_code, cand::outcome, diesel::dsl::count_star()))
                        .order(cand::emd_code)
                        .load(c)?;
                    let paths: HashMap<String, String> = regions::table
                        .filter(regions::path.like(&pattern))
                        .filter(regions::level.eq("emd"))
                        .select((regions::code, regions::path))
                        .load::<(String, String)>(c)?
                        .into_iter()
                        .collect();
                    Ok::<_, StoreError>((rows, paths))
                })?;
                let mut places: Vec<PlaceCounts> = Vec::new();
                for (emd, outcome, n) in rows {
                    if places.last().is_none_or(|p| p.emd_code != emd) {
                        let path = paths.get(&emd).map_or("", String::as_str);
                        places.push(PlaceCounts {
                            emd_code: emd,
                            path: region_path(path)?,
                            tally: Tally::default(),
                        });
                    }
                    let outcome = outcome.as_deref().map(parse_outcome).transpose()?;
                    let place = places.last_mut().expect("pushed above");
                    place.tally.add(outcome, n);
                }
                Ok(places)
            })
            .await
    }
}

impl Discovery<'_> {
    /// Counts per indicator of a round for the places under a region (all for the nation): a
    /// household counts for each indicator among its reasons. Aggregates only.
    pub async fn indicator_counts(
        &self,
        round_id: i64,
        within: Option<String>,
    ) -> Result<Vec<IndicatorCounts>, StoreError> {
        self.0
            .run(move |conn| {
                let pattern = within.map_or_else(|| "%".to_owned(), |code| format!("%{code}%"));
                let (rows, names) = db_run!(conn, |c| {
                    let places = regions::table
                        .filter(regions::path.like(&pattern))
                        .select(regions::code);
                    let rows: Vec<(String, Option<String>, i64)> = cand::table
                        .filter(cand::round_id.eq(round_id))
                        .filter(cand::emd_code.eq_any(places))
                        .group_by((cand::reasons, cand::outcome))
                        .select((cand::reasons, cand::outcome, diesel::dsl::count_star()))
                        .load(c)?;
                    let names: Vec<(String, String)> = ind::table
                        .filter(ind::round_id.eq(round_id))
                        .order(ind::code)
                        .select((ind::code, ind::name))
                        .load(c)?;
                    Ok::<_, StoreError>((rows, names))
                })?;
                let mut tallies: HashMap<String, Tally> = HashMap::new();
                for (reasons, outcome, n) in rows {
                    let outcome = outcome.as_deref().map(parse_outcome).transpose()?;
                    for code in reasons.split(';').filter(|c| !c.is_empty()) {
                        tallies.entry(code.to_owned()).or_default().add(outcome, n);
                    }
                }
                Ok(names
                    .into_iter()
                    .map(|(code, name)| IndicatorCounts {
                        tally: tallies.get(&code).copied().unwrap_or_default(),
                        code,
                        name,
                    })
                    .collect())
            })
            .await
    }

    /// The model file a round was loaded with.
    pub async fn model_text(&self, round_id: i64) -> Result<String, StoreError> {
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| rounds::table
                    .find(round_id)
                    .select(rounds::model_toml)
                    .first(c))?)
            })
            .await
    }

    /// Every listed household of a round with its tags and latest outcome, opened, for
    /// refitting the model. Logged as one export with its purpose.
    pub async fn labelled(
        &self,
        round_id: i64,
        actor: Actor,
        purpose: Purpose,
    ) -> Result<Vec<Labelled>, StoreError> {
        let key = self.0.data_key()?;
        let labelled = self
            .0
            .run(move |conn| {
                let rows: Vec<(Vec<u8>, String, Option<String>)> = db_run!(conn, |c| cand::table
                    .filter(cand::round_id.eq(round_id))
                    .order(cand::id)
                    .select((cand::household_id, cand::tags, cand::outcome))
                    .load(c))?;
                rows.into_iter()
                    .map(|(id, tags, outcome)| {
                        Ok(Labelled {
                            household_id: key
                                .open(Sealed::HouseholdId, &id)
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                            tags: tags
                                .split(';')
                                .filter(|t| !t.is_empty())
                                .map(str::to_owned)
                                .collect(),
                            outcome: outcome.as_deref().map(parse_outcome).transpose()?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })
            .await?;
        let mut entry = actor.entry(&format!("discovery_round:{round_id}"), AccessAction::Export);
        entry.purpose = Some(purpose);
        self.0.journal.append(vec![entry]).await?;
        Ok(labelled)
    }
}

fn same_files(id: i64, stored: &str, given: &str) -> Result<Loaded, StoreError> {
    if stored == given {
        Ok(Loaded::Unchanged(id))
    } else {
        Err(StoreError::Other(format!(
            "round {id} already has this name and was loaded from other files; choose another name"
        )))
    }
}
