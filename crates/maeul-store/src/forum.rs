//! 공론장 — forums and deliberation events: announced by a region, listed with the regions below
//! it, signed up for within their places, their outcome recorded.

use diesel::prelude::*;
use maeul_core::format::{clock, parse_clock};
use maeul_core::forum::{Forum, Kind, Outcome, SignUpError};
use maeul_core::region::RegionCode;
use time::PrimitiveDateTime;

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{forum_sign_ups, forums, regions, users};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now, within_pattern};

/// An event with where it is held and how many signed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredForum {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub forum: Forum,
    /// Places taken.
    pub taken: u32,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, thiserror::Error)]
pub enum ForumStoreError {
    #[error("no such event")]
    NotFound,
    #[error(transparent)]
    Closed(#[from] SignUpError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ForumStoreError {
    fn from(e: diesel::result::Error) -> Self {
        ForumStoreError::Store(e.into())
    }
}

pub struct Forums<'a>(&'a Store);

impl Store {
    pub fn forums(&self) -> Forums<'_> {
        Forums(self)
    }
}

type Row = (
    (i64, String, String),
    (String, String, String),
    (String, String, String),
    (Option<i64>, String, i64),
    (Option<i64>, Option<String>, Option<String>),
);

macro_rules! forum_columns {
    () => {
        (
            (forums::id, forums::region_code, regions::full_name),
            (forums::title, forums::kind, forums::topic),
            (forums::held_on, forums::starts_at, forums::venue),
            (forums::capacity, forums::supported_by, forums::taken),
            (forums::attendance, forums::summary, forums::proposals),
        )
    };
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("forum {what}"))
}

fn count(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| corrupt("count"))
}

fn forum_of(r: Row) -> Result<StoredForum, StoreError> {
    let (
        (id, region_code, region_name),
        (title, kind, topic),
        (held_on, starts_at, venue),
        (capacity, supported_by, taken),
        (attendance, summary, proposals),
    ) = r;
    let outcome = match (attendance, summary) {
        (Some(attendance), Some(summary)) => Some(Outcome {
            attendance: count(attendance)?,
            summary,
            proposals: proposals.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(StoredForum {
        id,
        region_code,
        region_name,
        forum: Forum {
            title,
            kind: Kind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            topic,
            held_on: date(&held_on)?,
            starts_at: parse_clock(&starts_at).ok_or_else(|| corrupt("start"))?,
            venue,
            capacity: capacity.map(count).transpose()?,
            supported_by,
        },
        taken: count(taken)?,
        outcome,
    })
}

/// One who signed up, for the organisers' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedUp {
    pub name: String,
    pub login: String,
    pub signed_at: i64,
}

impl Forums<'_> {
    pub async fn create(&self, region: &RegionCode, f: Forum, by: i64) -> Result<i64, StoreError> {
        let region = region.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(forums::table)
                        .values((
                            forums::region_code.eq(&region),
                            forums::title.eq(&f.title),
                            forums::kind.eq(f.kind.as_str()),
                            forums::topic.eq(&f.topic),
                            forums::held_on.eq(text(f.held_on)),
                            forums::starts_at.eq(clock(f.starts_at)),
                            forums::venue.eq(&f.venue),
                            forums::capacity.eq(f.capacity.map(i64::from)),
                            forums::supported_by.eq(&f.supported_by),
                            forums::created_by.eq(by),
                            forums::created_at.eq(unix_now()),
                        ))
                        .returning(forums::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredForum>, StoreError> {
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(forums::table
                    .inner_join(regions::table)
                    .filter(forums::id.eq(id))
                    .select(forum_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(forum_of).transpose()
    }

    /// The events held by a region or any region within it, latest first; and how many.
    pub async fn within(
        &self,
        region: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredForum>, i64), StoreError> {
        let pattern = within_pattern(region);
        let (rows, total): (Vec<Row>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        forums::table
                            .inner_join(regions::table)
                            .filter(regions::path.like(pattern.clone()))
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order((
                            forums::held_on.desc(),
                            forums::starts_at.desc(),
                            forums::id.desc(),
                        ))
                        .offset(offset)
                        .limit(limit)
                        .select(forum_columns!())
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter().map(forum_of).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Signs a user up at `now` (local time); signing up twice changes nothing. The place is
    /// taken by a conditional update of the count, so that of several taking the last place at
    /// once one does.
    pub async fn sign_up(
        &self,
        id: i64,
        user: i64,
        now: PrimitiveDateTime,
    ) -> Result<(), ForumStoreError> {
        let forum = self.get(id).await?.ok_or(ForumStoreError::NotFound)?;
        // The places are counted in the update below; here only the start.
        if forum.forum.started(now) {
            return Err(SignUpError::Started.into());
        }
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ForumStoreError, |c| {
                    let added = diesel::insert_into(forum_sign_ups::table)
                        .values((
                            forum_sign_ups::forum_id.eq(id),
                            forum_sign_ups::user_id.eq(user),
                            forum_sign_ups::signed_at.eq(unix_now()),
                        ))
                        .on_conflict_do_nothing()
                        .execute(c)?;
                    if added == 0 {
                        return Ok(());
                    }
                    let took = diesel::update(
                        forums::table.find(id).filter(
                            forums::capacity
                                .is_null()
                                .or(forums::taken.lt(forums::capacity.assume_not_null())),
                        ),
                    )
                    .set(forums::taken.eq(forums::taken + 1))
                    .execute(c)?;
                    if took == 1 {
                        Ok(())
                    } else {
                        Err(SignUpError::Full.into())
                    }
                })
            })
            .await
    }

    /// Takes a user's sign-up back before the start; false when they had none.
    pub async fn cancel(
        &self,
        id: i64,
        user: i64,
        now: PrimitiveDateTime,
    ) -> Result<bool, ForumStoreError> {
        let forum = self.get(id).await?.ok_or(ForumStoreError::NotFound)?;
        if forum.forum.started(now) {
            return Err(SignUpError::Started.into());
        }
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, ForumStoreError, |c| {
                    let gone = diesel::delete(
                        forum_sign_ups::table
                            .filter(forum_sign_ups::forum_id.eq(id))
                            .filter(forum_sign_ups::user_id.eq(user)),
                    )
                    .execute(c)?;
                    if gone == 1 {
                        diesel::update(forums::table.find(id))
                            .set(forums::taken.eq(forums::taken - 1))
                            .execute(c)?;
                    }
                    Ok(gone == 1)
                })
            })
            .await
    }

    /// Whether the user signed up.
    pub async fn signed_up(&self, id: i64, user: i64) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let n: i64 = forum_sign_ups::table
                        .filter(forum_sign_ups::forum_id.eq(id))
                        .filter(forum_sign_ups::user_id.eq(user))
                        .count()
                        .get_result(c)?;
                    Ok(n > 0)
                })
            })
            .await
    }

    /// Those who signed up, in the order they did.
    pub async fn sign_ups(&self, id: i64) -> Result<Vec<SignedUp>, StoreError> {
        let rows: Vec<(String, String, i64)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(forum_sign_ups::table
                    .inner_join(users::table)
                    .filter(forum_sign_ups::forum_id.eq(id))
                    .order((forum_sign_ups::signed_at, users::id))
                    .select((users::name, users::login, forum_sign_ups::signed_at))
                    .load(c)?))
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|(name, login, signed_at)| SignedUp {
                name,
                login,
                signed_at,
            })
            .collect())
    }

    /// Records (or corrects) the outcome; false when there is no such event.
    pub async fn record_outcome(&self, id: i64, o: Outcome, by: i64) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n = diesel::update(forums::table.find(id))
                        .set((
                            forums::attendance.eq(i64::from(o.attendance)),
                            forums::summary.eq(&o.summary),
                            forums::proposals.eq(&o.proposals),
                            forums::recorded_by.eq(by),
                        ))
                        .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }
}
