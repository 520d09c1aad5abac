//! 추진협의회 — the members of a local government's promotion council, its meetings and their
//! decisions. A meeting and its decisions are written in one transaction.

use diesel::prelude::*;
use maeul_core::cooperation::promotion_council::{
    Affiliation, Decision, DecisionKind, Meeting, Member,
};
use maeul_core::region::RegionCode;
use time::Date;

use crate::db::{db_run, db_write};
use crate::schema::{
    promotion_council_decisions as decisions, promotion_council_meetings as meetings,
    promotion_council_members as members,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMember {
    pub id: i64,
    pub region_code: String,
    pub member: Member,
    pub left_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: i64,
    pub meeting: Meeting,
}

pub struct PromotionCouncils<'a>(&'a Store);

impl Store {
    pub fn promotion_councils(&self) -> PromotionCouncils<'_> {
        PromotionCouncils(self)
    }
}

/// Id, region, name, affiliation, organisation, chair, joined, left.
type MemberRow = (
    i64,
    String,
    String,
    String,
    String,
    bool,
    String,
    Option<String>,
);

fn member_of(r: MemberRow) -> Result<StoredMember, StoreError> {
    let (id, region_code, name, affiliation, organisation, chair, joined, left) = r;
    Ok(StoredMember {
        id,
        region_code,
        member: Member {
            name,
            affiliation: Affiliation::parse(&affiliation)
                .ok_or_else(|| StoreError::Corrupt(format!("affiliation {affiliation:?}")))?,
            organisation,
            chair,
            joined_on: date(&joined)?,
        },
        left_on: left.as_deref().map(date).transpose()?,
    })
}

macro_rules! member_columns {
    () => {
        (
            members::id,
            members::region_code,
            members::name,
            members::affiliation,
            members::organisation,
            members::chair,
            members::joined_on,
            members::left_on,
        )
    };
}

impl PromotionCouncils<'_> {
    pub async fn add_member(
        &self,
        region: &RegionCode,
        m: Member,
        by: i64,
    ) -> Result<i64, StoreError> {
        let region = region.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(members::table)
                        .values((
                            members::region_code.eq(&region),
                            members::name.eq(&m.name),
                            members::affiliation.eq(m.affiliation.as_str()),
                            members::organisation.eq(&m.organisation),
                            members::chair.eq(m.chair),
                            members::joined_on.eq(text(m.joined_on)),
                            members::created_by.eq(by),
                            members::created_at.eq(unix_now()),
                        ))
                        .returning(members::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn member(&self, id: i64) -> Result<Option<StoredMember>, StoreError> {
        let row: Option<MemberRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(members::table
                        .find(id)
                        .select(member_columns!())
                        .first(c)
                        .optional()?)
                })
            })
            .await?;
        row.map(member_of).transpose()
    }

    /// Ends a membership on a day; false when it had already ended.
    pub async fn end_member(&self, id: i64, on: Date) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n =
                        diesel::update(members::table.find(id).filter(members::left_on.is_null()))
                            .set(members::left_on.eq(text(on)))
                            .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }

    /// The members serving (not left), the chair first, then by when they joined.
    pub async fn members(&self, region: &RegionCode) -> Result<Vec<StoredMember>, StoreError> {
        let region = region.to_string();
        let rows: Vec<MemberRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(members::table
                        .filter(members::region_code.eq(&region))
                        .filter(members::left_on.is_null())
                        .order((members::chair.desc(), members::joined_on, members::id))
                        .select(member_columns!())
                        .load(c)?)
                })
            })
            .await?;
        rows.into_iter().map(member_of).collect()
    }

    /// Records a meeting with its decisions, all or nothing.
    pub async fn add_meeting(
        &self,
        region: &RegionCode,
        m: Meeting,
        by: i64,
    ) -> Result<i64, StoreError> {
        let region = region.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let id: i64 = diesel::insert_into(meetings::table)
                        .values((
                            meetings::region_code.eq(&region),
                            meetings::title.eq(&m.title),
                            meetings::held_on.eq(text(m.held_on)),
                            meetings::attended.eq(m.attended as i32),
                            meetings::minutes.eq(&m.minutes),
                            meetings::created_by.eq(by),
                            meetings::created_at.eq(unix_now()),
                        ))
                        .returning(meetings::id)
                        .get_result(c)?;
                    for d in &m.decisions {
                        diesel::insert_into(decisions::table)
                            .values((
                                decisions::meeting_id.eq(id),
                                decisions::kind.eq(d.kind.as_str()),
                                decisions::summary.eq(&d.summary),
                            ))
                            .execute(c)?;
                    }
                    Ok(id)
                })
            })
            .await
    }

    /// A page of meetings, newest first, with their decisions, and how many there are.
    pub async fn meetings(
        &self,
        region: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredMeeting>, i64), StoreError> {
        let region = region.to_string();
        type Row = (i64, String, String, i32, String);
        let (rows, found, total): (Vec<Row>, Vec<(i64, String, String)>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let total = meetings::table
                        .filter(meetings::region_code.eq(&region))
                        .count()
                        .get_result(c)?;
                    let rows: Vec<Row> = meetings::table
                        .filter(meetings::region_code.eq(&region))
                        .order((meetings::held_on.desc(), meetings::id.desc()))
                        .select((
                            meetings::id,
                            meetings::title,
                            meetings::held_on,
                            meetings::attended,
                            meetings::minutes,
                        ))
                        .offset(offset)
                        .limit(limit)
                        .load(c)?;
                    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let found = decisions::table
                        .filter(decisions::meeting_id.eq_any(&ids))
                        .order(decisions::id)
                        .select((decisions::meeting_id, decisions::kind, decisions::summary))
                        .load(c)?;
                    Ok((rows, found, total))
                })
            })
            .await?;
        let items = rows
            .into_iter()
            .map(|(id, title, held_on, attended, minutes)| {
                let decisions = found
                    .iter()
                    .filter(|d| d.0 == id)
                    .map(|(_, kind, summary)| {
                        Ok(Decision {
                            kind: DecisionKind::parse(kind)
                                .ok_or_else(|| StoreError::Corrupt(format!("decision {kind:?}")))?,
                            summary: summary.clone(),
                        })
                    })
                    .collect::<Result<_, StoreError>>()?;
                Ok(StoredMeeting {
                    id,
                    meeting: Meeting {
                        title,
                        held_on: date(&held_on)?,
                        attended: u32::try_from(attended).unwrap_or_default(),
                        minutes,
                        decisions,
                    },
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((items, total))
    }
}
