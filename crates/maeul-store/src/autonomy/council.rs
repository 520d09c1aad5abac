//! 주민자치회 — councils: their status and legal basis with every change kept, counts by
//! status for any region, subcommittees and meetings.

use diesel::prelude::*;
use maeul_core::autonomy::council::{
    Council, CouncilStatus, Meeting, MemberRole, RoleError, Seat, StatusCounts, check_role,
    term_end,
};
use maeul_core::autonomy::lottery::{Gender, next_alternate};
use maeul_core::region::{Level, RegionCode, RegionPath};

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{
    council_changes, council_meetings, council_members, councils, regions, subcommittees,
};
use crate::welfare::{date, region_path, text};
use crate::{Source, Store, StoreError, unix_now};
use time::Date;

/// Inserts a member drawn by a lottery, on a connection.
macro_rules! insert_member {
    ($c:expr, $emd:expr, $a:expr, $from:expr, $to:expr, $lottery:expr) => {
        diesel::insert_into(council_members::table)
            .values((
                council_members::emd_code.eq($emd),
                council_members::name.eq(&$a.name),
                council_members::gender.eq($a.application.gender.as_str()),
                council_members::role.eq(MemberRole::Member.as_str()),
                council_members::term_starts.eq($from),
                council_members::term_ends.eq($to),
                council_members::lottery_id.eq($lottery),
                council_members::application_number.eq(&$a.application.number),
                council_members::created_at.eq(unix_now()),
            ))
            .execute($c)
    };
}

/// A place's council as recorded, with when it last changed (None: never recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCouncil {
    pub council: Council,
    pub updated_at: Option<i64>,
}

/// A past state of a council's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub council: Council,
    pub source: String,
    pub changed_at: i64,
}

/// The counts of a region and of each region one step below it.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub total: StatusCounts,
    pub below: std::collections::BTreeMap<RegionCode, StatusCounts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcommittee {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: i64,
    pub meeting: Meeting,
    pub subcommittee: Option<String>,
}

pub struct Councils<'a>(&'a Store);

impl Store {
    pub fn councils(&self) -> Councils<'_> {
        Councils(self)
    }
}

/// Status, ordinance, its date, pilot date, source, when.
type ChangeRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

type CouncilRow = (String, Option<String>, Option<String>, Option<String>, i64);

fn council_of(
    status: &str,
    ordinance: Option<String>,
    ordinance_on: Option<String>,
    pilot: Option<String>,
) -> Result<Council, StoreError> {
    Ok(Council {
        status: CouncilStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("council status {status:?}")))?,
        ordinance,
        ordinance_on: ordinance_on.as_deref().map(date).transpose()?,
        pilot_designated_on: pilot.as_deref().map(date).transpose()?,
    })
}

impl Councils<'_> {
    /// The council of a place; a place never recorded has none.
    pub async fn get(&self, emd: &RegionCode) -> Result<StoredCouncil, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let row: Option<CouncilRow> = councils::table
                        .find(&emd)
                        .select((
                            councils::status,
                            councils::ordinance,
                            councils::ordinance_on,
                            councils::pilot_designated_on,
                            councils::updated_at,
                        ))
                        .first(c)
                        .optional()?;
                    match row {
                        Some((s, o, on, p, at)) => Ok(StoredCouncil {
                            council: council_of(&s, o, on, p)?,
                            updated_at: Some(at),
                        }),
                        None => Ok(StoredCouncil {
                            council: Council::none(),
                            updated_at: None,
                        }),
                    }
                })
            })
            .await
    }

    /// Records a council's status and basis, keeping the change.
    pub async fn set(&self, emd: &RegionCode, council: Council, by: i64) -> Result<(), StoreError> {
        self.write(vec![(emd.clone(), council)], Source::Web, Some(by))
            .await
    }

    /// Records many councils in one transaction (a file import): all or nothing.
    pub async fn import(&self, records: Vec<(RegionCode, Council)>) -> Result<(), StoreError> {
        self.write(records, Source::Import, None).await
    }

    async fn write(
        &self,
        records: Vec<(RegionCode, Council)>,
        source: Source,
        by: Option<i64>,
    ) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let now = unix_now();
                    for (emd, council) in &records {
                        let (ordinance_on, pilot) = (
                            council.ordinance_on.map(text),
                            council.pilot_designated_on.map(text),
                        );
                        diesel::insert_into(councils::table)
                            .values((
                                councils::emd_code.eq(emd.as_str()),
                                councils::status.eq(council.status.as_str()),
                                councils::ordinance.eq(&council.ordinance),
                                councils::ordinance_on.eq(&ordinance_on),
                                councils::pilot_designated_on.eq(&pilot),
                                councils::updated_at.eq(now),
                            ))
                            .on_conflict(councils::emd_code)
                            .do_update()
                            .set((
                                councils::status.eq(council.status.as_str()),
                                councils::ordinance.eq(&council.ordinance),
                                councils::ordinance_on.eq(&ordinance_on),
                                councils::pilot_designated_on.eq(&pilot),
                                councils::updated_at.eq(now),
                            ))
                            .execute(c)?;
                        diesel::insert_into(council_changes::table)
                            .values((
                                council_changes::emd_code.eq(emd.as_str()),
                                council_changes::status.eq(council.status.as_str()),
                                council_changes::ordinance.eq(&council.ordinance),
                                council_changes::ordinance_on.eq(&ordinance_on),
                                council_changes::pilot_designated_on.eq(&pilot),
                                council_changes::source.eq(source.as_str()),
                                council_changes::changed_by.eq(by),
                                council_changes::changed_at.eq(now),
                            ))
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// The changes of a place's record, newest first.
    pub async fn history(&self, emd: &RegionCode) -> Result<Vec<Change>, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<ChangeRow> = council_changes::table
                        .filter(council_changes::emd_code.eq(&emd))
                        .order(council_changes::id.desc())
                        .select((
                            council_changes::status,
                            council_changes::ordinance,
                            council_changes::ordinance_on,
                            council_changes::pilot_designated_on,
                            council_changes::source,
                            council_changes::changed_at,
                        ))
                        .load(c)?;
                    rows.into_iter()
                        .map(|(s, o, on, p, source, at)| {
                            Ok(Change {
                                council: council_of(&s, o, on, p)?,
                                source,
                                changed_at: at,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// Active eup/myeon/dong by council status, within a region and per region one step
    /// below it (a place never recorded counts as none).
    pub async fn counts(&self, region: &RegionCode) -> Result<Counts, StoreError> {
        let pattern = crate::within_pattern(region);
        let rows: Vec<(String, Option<String>)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(regions::table
                        .left_join(councils::table)
                        .filter(regions::level.eq(Level::Emd.as_str()))
                        .filter(regions::retired_on.is_null())
                        .filter(regions::path.like(&pattern))
                        .select((regions::path, councils::status.nullable()))
                        .load(c)?)
                })
            })
            .await?;
        let mut counts = Counts::default();
        for (path, status) in rows {
            let status = match status {
                Some(s) => CouncilStatus::parse(&s)
                    .ok_or_else(|| StoreError::Corrupt(format!("council status {s:?}")))?,
                None => CouncilStatus::None,
            };
            counts.total.add(status, 1);
            let path: RegionPath = region_path(&path)?;
            if let Some(child) = path.step_below(region) {
                counts
                    .below
                    .entry(child.clone())
                    .or_default()
                    .add(status, 1);
            }
        }
        Ok(counts)
    }

    /// Adds a subcommittee; a second one of the same name is a conflict.
    pub async fn add_subcommittee(
        &self,
        emd: &RegionCode,
        name: String,
    ) -> Result<i64, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(subcommittees::table)
                        .values((
                            subcommittees::emd_code.eq(&emd),
                            subcommittees::name.eq(&name),
                            subcommittees::created_at.eq(unix_now()),
                        ))
                        .returning(subcommittees::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// The subcommittees of a place, by name.
    pub async fn subcommittees(&self, emd: &RegionCode) -> Result<Vec<Subcommittee>, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<(i64, String)> = subcommittees::table
                        .filter(subcommittees::emd_code.eq(&emd))
                        .order(subcommittees::name)
                        .select((subcommittees::id, subcommittees::name))
                        .load(c)?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, name)| Subcommittee { id, name })
                        .collect())
                })
            })
            .await
    }

    /// Records a meeting; its subcommittee must be one of the place's ([`StoreError::NotFound`]).
    pub async fn add_meeting(
        &self,
        emd: &RegionCode,
        meeting: Meeting,
        by: i64,
    ) -> Result<i64, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    if let Some(sub) = meeting.subcommittee_id {
                        subcommittees::table
                            .filter(subcommittees::id.eq(sub))
                            .filter(subcommittees::emd_code.eq(&emd))
                            .select(subcommittees::id)
                            .first::<i64>(c)?;
                    }
                    Ok(diesel::insert_into(council_meetings::table)
                        .values((
                            council_meetings::emd_code.eq(&emd),
                            council_meetings::subcommittee_id.eq(meeting.subcommittee_id),
                            council_meetings::title.eq(&meeting.title),
                            council_meetings::held_on.eq(text(meeting.held_on)),
                            council_meetings::agenda.eq(&meeting.agenda),
                            council_meetings::attended.eq(i64::from(meeting.attended)),
                            council_meetings::members.eq(i64::from(meeting.members)),
                            council_meetings::minutes.eq(&meeting.minutes),
                            council_meetings::created_by.eq(by),
                            council_meetings::created_at.eq(unix_now()),
                        ))
                        .returning(council_meetings::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// A place's meetings, newest first, a page at a time, with the total.
    pub async fn meetings(
        &self,
        emd: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredMeeting>, i64), StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let total: i64 = council_meetings::table
                        .filter(council_meetings::emd_code.eq(&emd))
                        .count()
                        .get_result(c)?;
                    let rows: Vec<MeetingRow> = council_meetings::table
                        .left_join(subcommittees::table)
                        .filter(council_meetings::emd_code.eq(&emd))
                        .order((
                            council_meetings::held_on.desc(),
                            council_meetings::id.desc(),
                        ))
                        .offset(offset)
                        .limit(limit)
                        .select((
                            council_meetings::id,
                            council_meetings::subcommittee_id,
                            subcommittees::name.nullable(),
                            council_meetings::title,
                            council_meetings::held_on,
                            council_meetings::agenda,
                            council_meetings::attended,
                            council_meetings::members,
                            council_meetings::minutes,
                        ))
                        .load(c)?;
                    let meetings = rows
                        .into_iter()
                        .map(|r| {
                            Ok(StoredMeeting {
                                id: r.0,
                                subcommittee: r.2,
                                meeting: Meeting {
                                    subcommittee_id: r.1,
                                    title: r.3,
                                    held_on: date(&r.4)?,
                                    agenda: r.5,
                                    attended: count(r.6)?,
                                    members: count(r.7)?,
                                    minutes: r.8,
                                },
                            })
                        })
                        .collect::<Result<_, StoreError>>()?;
                    Ok((meetings, total))
                })
            })
            .await
    }
}

/// Id, subcommittee id and name, title, day, agenda, attended, members, minutes.
type MeetingRow = (
    i64,
    Option<i64>,
    Option<String>,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
);

fn count(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("count {n}")))
}

/// A member as the council's pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub emd_code: String,
    pub name: String,
    pub gender: Gender,
    pub role: MemberRole,
    pub subcommittee_id: Option<i64>,
    pub subcommittee: Option<String>,
    pub term_starts: Date,
    pub term_ends: Date,
    pub ended_on: Option<Date>,
    pub lottery_id: Option<i64>,
    pub application_number: Option<String>,
}

/// Why a command on the members is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("no such member or lottery")]
    NotFound,
    #[error("the lottery has not been drawn")]
    NotDrawn,
    #[error("the lottery's members have been appointed already")]
    AlreadyAppointed,
    #[error("the lottery's members have not been appointed yet")]
    NotAppointed,
    #[error("no alternate is left who keeps the gender limit")]
    NoAlternate,
    #[error("the member is not serving")]
    NotServing,
    #[error("every seat is taken: no one has left")]
    NoVacancy,
    #[error("a term cannot start that late")]
    Term,
    #[error(transparent)]
    Role(#[from] RoleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for MemberError {
    fn from(e: diesel::result::Error) -> Self {
        MemberError::Store(e.into())
    }
}

/// Id, place, name, gender, role, subcommittee id and name, term, ended, lottery, number.
type MemberRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn member_of(r: MemberRow) -> Result<Member, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("member {what}"));
    Ok(Member {
        id: r.0,
        emd_code: r.1,
        name: r.2,
        gender: Gender::parse(&r.3).ok_or_else(|| corrupt("gender"))?,
        role: MemberRole::parse(&r.4).ok_or_else(|| corrupt("role"))?,
        subcommittee_id: r.5,
        subcommittee: r.6,
        term_starts: date(&r.7)?,
        term_ends: date(&r.8)?,
        ended_on: r.9.as_deref().map(date).transpose()?,
        lottery_id: r.10,
        application_number: r.11,
    })
}

/// Application number, gender, term start and end, and when the member left.
type AppointedRow = (Option<String>, String, String, String, Option<String>);

/// The members of a place serving on a day, on a connection.
macro_rules! serving_on {
    ($c:expr, $emd:expr, $day:expr) => {
        council_members::table
            .left_join(subcommittees::table)
            .filter(council_members::emd_code.eq($emd))
            .filter(council_members::term_starts.le($day))
            .filter(council_members::term_ends.ge($day))
            .filter(
                council_members::ended_on
                    .is_null()
                    .or(council_members::ended_on.gt($day)),
            )
            .order((council_members::role, council_members::name))
            .select((
                council_members::id,
                council_members::emd_code,
                council_members::name,
                council_members::gender,
                council_members::role,
                council_members::subcommittee_id,
                subcommittees::name.nullable(),
                council_members::term_starts,
                council_members::term_ends,
                council_members::ended_on,
                council_members::lottery_id,
                council_members::application_number,
            ))
            .load::<MemberRow>($c)
    };
}

/// Takes the place's write lock on PostgreSQL (a no-op update locks the region's row), so
/// that two role changes in one council are checked one after the other. It updates a column
/// that is not a key, so the lock does not hold up inserts elsewhere that refer to the
/// region. SQLite's `BEGIN IMMEDIATE` already serialises writers.
macro_rules! lock_place {
    ($c:expr, $emd:expr) => {
        diesel::update(regions::table.find($emd))
            .set(regions::name.eq(regions::name))
            .execute($c)
    };
}

impl Councils<'_> {
    /// The members serving on `day`, by role then name.
    pub async fn members(&self, emd: &RegionCode, day: Date) -> Result<Vec<Member>, StoreError> {
        let (emd, day) = (emd.to_string(), text(day));
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    serving_on!(c, &emd, &day)?
                        .into_iter()
                        .map(member_of)
                        .collect()
                })
            })
            .await
    }

    /// Appoints the members a lottery seated, for two years from `starts`.
    pub async fn appoint_drawn(&self, lottery_id: i64, starts: Date) -> Result<usize, MemberError> {
        let lottery = self
            .0
            .lotteries()
            .get(lottery_id)
            .await?
            .ok_or(MemberError::NotFound)?;
        let outcome = lottery.outcome.ok_or(MemberError::NotDrawn)?;
        let names = self.0.lotteries().applicants(lottery_id).await?;
        let ends = term_end(starts).ok_or(MemberError::Term)?;
        let (from, to) = (text(starts), text(ends));
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, MemberError, |c| {
                    lock_place!(c, &lottery.emd_code)?;
                    let already: i64 = council_members::table
                        .filter(council_members::lottery_id.eq(lottery_id))
                        .count()
                        .get_result(c)?;
                    if already > 0 {
                        return Err(MemberError::AlreadyAppointed);
                    }
                    for seated in &outcome.members {
                        let a = names
                            .iter()
                            .find(|a| a.application.number == seated.number)
                            .ok_or_else(|| StoreError::Corrupt("seated number".into()))?;
                        insert_member!(c, &lottery.emd_code, a, &from, &to, lottery_id)?;
                    }
                    Ok(outcome.members.len())
                })
            })
            .await
    }

    /// Seats the next alternate of a lottery for the rest of its members' term, when a
    /// member has left; returns the alternate's application number.
    pub async fn call_alternate(&self, lottery_id: i64, day: Date) -> Result<String, MemberError> {
        let lottery = self
            .0
            .lotteries()
            .get(lottery_id)
            .await?
            .ok_or(MemberError::NotFound)?;
        let outcome = lottery.outcome.clone().ok_or(MemberError::NotDrawn)?;
        let applicants = self.0.lotteries().applicants(lottery_id).await?;
        let today = text(day);
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, MemberError, |c| {
                    lock_place!(c, &lottery.emd_code)?;
                    let appointed: Vec<AppointedRow> = council_members::table
                        .filter(council_members::lottery_id.eq(lottery_id))
                        .select((
                            council_members::application_number,
                            council_members::gender,
                            council_members::term_starts,
                            council_members::term_ends,
                            council_members::ended_on,
                        ))
                        .load(c)?;
                    let Some(term_ends) = appointed.iter().map(|a| a.3.clone()).max() else {
                        return Err(MemberError::NotAppointed);
                    };
                    let serving: Vec<Gender> = appointed
                        .iter()
                        .filter(|a| a.4.as_ref().is_none_or(|e| *e > today) && a.3 >= today)
                        .filter_map(|a| Gender::parse(&a.1))
                        .collect();
                    if serving.len() as u32 >= lottery.rules.seats {
                        return Err(MemberError::NoVacancy);
                    }
                    let called = appointed.iter().filter_map(|a| a.0.clone()).collect();
                    let list: Vec<_> = applicants.iter().map(|a| a.application.clone()).collect();
                    let number = next_alternate(&lottery.rules, &outcome, &list, &serving, &called)
                        .ok_or(MemberError::NoAlternate)?
                        .to_owned();
                    let a = applicants
                        .iter()
                        .find(|a| a.application.number == number)
                        .ok_or_else(|| StoreError::Corrupt("alternate number".into()))?;
                    insert_member!(c, &lottery.emd_code, a, &today, &term_ends, lottery_id)?;
                    Ok(number)
                })
            })
            .await
    }

    /// Gives a serving member a role, checked against the other members serving on `day`.
    pub async fn set_role(
        &self,
        member_id: i64,
        role: MemberRole,
        subcommittee: Option<i64>,
        day: Date,
    ) -> Result<(), MemberError> {
        let today = text(day);
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, MemberError, |c| {
                    let emd: Option<String> = council_members::table
                        .find(member_id)
                        .select(council_members::emd_code)
                        .first(c)
                        .optional()?;
                    let emd = emd.ok_or(MemberError::NotFound)?;
                    lock_place!(c, &emd)?;
                    let serving: Vec<Member> = serving_on!(c, &emd, &today)?
                        .into_iter()
                        .map(member_of)
                        .collect::<Result<_, _>>()?;
                    if !serving.iter().any(|m| m.id == member_id) {
                        return Err(MemberError::NotServing);
                    }
                    if let Some(sub) = subcommittee {
                        subcommittees::table
                            .filter(subcommittees::id.eq(sub))
                            .filter(subcommittees::emd_code.eq(&emd))
                            .select(subcommittees::id)
                            .first::<i64>(c)
                            .optional()?
                            .ok_or(RoleError::SubcommitteeNeeded)?;
                    }
                    let seats: Vec<Seat> = serving
                        .iter()
                        .map(|m| Seat {
                            member_id: m.id,
                            role: m.role,
                            subcommittee_id: m.subcommittee_id,
                        })
                        .collect();
                    check_role(&seats, member_id, role, subcommittee)?;
                    diesel::update(council_members::table.find(member_id))
                        .set((
                            council_members::role.eq(role.as_str()),
                            council_members::subcommittee_id.eq(subcommittee),
                        ))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// Records that a serving member leaves on `day`.
    pub async fn end_membership(&self, member_id: i64, day: Date) -> Result<String, MemberError> {
        let today = text(day);
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, MemberError, |c| {
                    let changed = diesel::update(
                        council_members::table
                            .filter(council_members::id.eq(member_id))
                            .filter(council_members::ended_on.is_null())
                            .filter(council_members::term_starts.le(&today))
                            .filter(council_members::term_ends.ge(&today)),
                    )
                    .set((
                        council_members::ended_on.eq(&today),
                        council_members::role.eq(MemberRole::Member.as_str()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        let exists: i64 = council_members::table
                            .find(member_id)
                            .count()
                            .get_result(c)?;
                        return Err(if exists == 0 {
                            MemberError::NotFound
                        } else {
                            MemberError::NotServing
                        });
                    }
                    Ok(council_members::table
                        .find(member_id)
                        .select(council_members::emd_code)
                        .first(c)?)
                })
            })
            .await
    }

    /// The place of a member (for the caller's jurisdiction check).
    pub async fn member_place(&self, member_id: i64) -> Result<Option<String>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(council_members::table
                        .find(member_id)
                        .select(council_members::emd_code)
                        .first(c)
                        .optional()?)
                })
            })
            .await
    }
}

impl Councils<'_> {
    /// How many members a lottery has put on the council (serving or not).
    pub async fn appointed_from(&self, lottery_id: i64) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(council_members::table
                        .filter(council_members::lottery_id.eq(lottery_id))
                        .count()
                        .get_result(c)?)
                })
            })
            .await
    }
}
