//! 의제 — agenda items: proposals, supports counted (and the ladder climbed) in the
//! transaction of each support, public answers and moderation, each kept with who and why.

use diesel::prelude::*;
use maeul_core::autonomy::agenda::{Ladder, Proposal, Status, Topic};
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{agenda_actions, agenda_items, agenda_ladders, agenda_supports};
use crate::{Store, StoreError, unix_now};

/// An item as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub emd_code: String,
    pub proposal: Proposal,
    pub proposed_by: i64,
    pub supports: i64,
    pub status: Status,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub hidden_reason: Option<String>,
    pub created_at: i64,
}

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most supported first.
    #[default]
    Supports,
    Newest,
}

/// Which items to list: a place's, optionally by status and topic; hidden ones only when
/// asked for by status.
#[derive(Debug, Clone)]
pub struct ItemFilter {
    pub emd: String,
    pub status: Option<Status>,
    pub topic: Option<Topic>,
    pub sort: Sort,
}

/// Why a command on an item is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum AgendaStoreError {
    #[error("no such agenda item")]
    NotFound,
    #[error("this resident already supports the item")]
    AlreadySupported,
    #[error("a proposer does not support their own item")]
    OwnItem,
    #[error("the item is hidden")]
    Hidden,
    #[error("the item is not hidden")]
    NotHidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for AgendaStoreError {
    fn from(e: diesel::result::Error) -> Self {
        AgendaStoreError::Store(e.into())
    }
}

pub struct Agenda<'a>(&'a Store);

impl Store {
    pub fn agenda(&self) -> Agenda<'_> {
        Agenda(self)
    }
}

type ItemRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
);

macro_rules! item_columns {
    () => {
        (
            agenda_items::id,
            agenda_items::emd_code,
            agenda_items::title,
            agenda_items::body,
            agenda_items::topic,
            agenda_items::rough_cost,
            agenda_items::proposed_by,
            agenda_items::supports,
            agenda_items::status,
            agenda_items::answer,
            agenda_items::answered_at,
            agenda_items::hidden_reason,
            agenda_items::created_at,
        )
    };
}

fn item_of(r: ItemRow) -> Result<Item, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("agenda item {what}"));
    Ok(Item {
        id: r.0,
        emd_code: r.1,
        proposal: Proposal {
            title: r.2,
            body: r.3,
            topic: Topic::parse(&r.4).ok_or_else(|| corrupt("topic"))?,
            rough_cost: r.5,
        },
        proposed_by: r.6,
        supports: r.7,
        status: Status::parse(&r.8).ok_or_else(|| corrupt("status"))?,
        answer: r.9,
        answered_at: r.10,
        hidden_reason: r.11,
        created_at: r.12,
    })
}

/// The ladder of a place on a connection (the default when the council set none).
macro_rules! ladder_of {
    ($c:expr, $emd:expr) => {
        agenda_ladders::table
            .find($emd)
            .select((agenda_ladders::review, agenda_ladders::answer))
            .first::<(i64, i64)>($c)
            .optional()
            .map(|l| {
                l.map_or_else(Ladder::default, |(review, answer)| Ladder {
                    review: review as u32,
                    answer: answer as u32,
                })
            })
    };
}

/// Records an answer or a moderation on a connection.
macro_rules! record_action {
    ($c:expr, $id:expr, $action:expr, $text:expr, $by:expr) => {
        diesel::insert_into(agenda_actions::table)
            .values((
                agenda_actions::item_id.eq($id),
                agenda_actions::action.eq($action),
                agenda_actions::text.eq($text),
                agenda_actions::acted_by.eq($by),
                agenda_actions::acted_at.eq(unix_now()),
            ))
            .execute($c)
    };
}

impl Agenda<'_> {
    /// The ladder of a place.
    pub async fn ladder(&self, emd: &RegionCode) -> Result<Ladder, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| db_run!(conn, |c| Ok(ladder_of!(c, &emd)?)))
            .await
    }

    /// Sets a place's ladder; items whose supports now reach a higher step move up at once.
    pub async fn set_ladder(&self, emd: &RegionCode, ladder: Ladder) -> Result<(), StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (review, answer) = (i64::from(ladder.review), i64::from(ladder.answer));
                    diesel::insert_into(agenda_ladders::table)
                        .values((
                            agenda_ladders::emd_code.eq(&emd),
                            agenda_ladders::review.eq(review),
                            agenda_ladders::answer.eq(answer),
                        ))
                        .on_conflict(agenda_ladders::emd_code)
                        .do_update()
                        .set((
                            agenda_ladders::review.eq(review),
                            agenda_ladders::answer.eq(answer),
                        ))
                        .execute(c)?;
                    let climbing: Vec<(i64, i64, String)> = agenda_items::table
                        .filter(agenda_items::emd_code.eq(&emd))
                        .filter(
                            agenda_items::status
                                .eq_any([Status::Open.as_str(), Status::Review.as_str()]),
                        )
                        .select((
                            agenda_items::id,
                            agenda_items::supports,
                            agenda_items::status,
                        ))
                        .load(c)?;
                    for (id, supports, status) in climbing {
                        let from = Status::parse(&status)
                            .ok_or_else(|| StoreError::Corrupt("agenda status".into()))?;
                        let to = ladder.climb(from, supports as u32);
                        if to != from {
                            // Only from the status read: an answer or a hide that came in
                            // meanwhile stays.
                            diesel::update(
                                agenda_items::table
                                    .filter(agenda_items::id.eq(id))
                                    .filter(agenda_items::status.eq(from.as_str())),
                            )
                            .set(agenda_items::status.eq(to.as_str()))
                            .execute(c)?;
                        }
                    }
                    Ok(())
                })
            })
            .await
    }

    pub async fn propose(
        &self,
        emd: &RegionCode,
        proposal: Proposal,
        by: i64,
    ) -> Result<i64, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(agenda_items::table)
                        .values((
                            agenda_items::emd_code.eq(&emd),
                            agenda_items::title.eq(&proposal.title),
                            agenda_items::body.eq(&proposal.body),
                            agenda_items::topic.eq(proposal.topic.as_str()),
                            agenda_items::rough_cost.eq(proposal.rough_cost),
                            agenda_items::proposed_by.eq(by),
                            agenda_items::status.eq(Status::Open.as_str()),
                            agenda_items::created_at.eq(unix_now()),
                        ))
                        .returning(agenda_items::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<Item>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let row: Option<ItemRow> = agenda_items::table
                        .find(id)
                        .select(item_columns!())
                        .first(c)
                        .optional()?;
                    row.map(item_of).transpose()
                })
            })
            .await
    }

    /// A page of a place's items and how many match.
    pub async fn list(
        &self,
        filter: ItemFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Item>, i64), StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = agenda_items::table
                            .filter(agenda_items::emd_code.eq(filter.emd.clone()))
                            .into_boxed();
                        q = match filter.status {
                            Some(s) => q.filter(agenda_items::status.eq(s.as_str())),
                            None => q.filter(agenda_items::status.ne(Status::Hidden.as_str())),
                        };
                        if let Some(t) = filter.topic {
                            q = q.filter(agenda_items::topic.eq(t.as_str()));
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let q = query().select(item_columns!()).offset(offset).limit(limit);
                    let rows: Vec<ItemRow> = match filter.sort {
                        Sort::Supports => q
                            .order((agenda_items::supports.desc(), agenda_items::id.desc()))
                            .load(c)?,
                        Sort::Newest => q.order(agenda_items::id.desc()).load(c)?,
                    };
                    let items = rows.into_iter().map(item_of).collect::<Result<_, _>>()?;
                    Ok((items, total))
                })
            })
            .await
    }

    /// Whether a user supports an item.
    pub async fn supports(&self, id: i64, user: i64) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let n: i64 = agenda_supports::table
                        .filter(agenda_supports::item_id.eq(id))
                        .filter(agenda_supports::user_id.eq(user))
                        .count()
                        .get_result(c)?;
                    Ok(n > 0)
                })
            })
            .await
    }

    /// Adds a resident's support, once, and climbs the ladder in the same transaction;
    /// returns the new count and status.
    pub async fn support(&self, id: i64, user: i64) -> Result<(i64, Status), AgendaStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AgendaStoreError, |c| {
                    let found: Option<(String, i64, String)> = agenda_items::table
                        .find(id)
                        .select((
                            agenda_items::emd_code,
                            agenda_items::proposed_by,
                            agenda_items::status,
                        ))
                        .first(c)
                        .optional()?;
                    let (emd, proposer, _) = found.ok_or(AgendaStoreError::NotFound)?;
                    if proposer == user {
                        return Err(AgendaStoreError::OwnItem);
                    }
                    diesel::insert_into(agenda_supports::table)
                        .values((
                            agenda_supports::item_id.eq(id),
                            agenda_supports::user_id.eq(user),
                            agenda_supports::created_at.eq(unix_now()),
                        ))
                        .execute(c)
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict => AgendaStoreError::AlreadySupported,
                            other => other.into(),
                        })?;
                    // The increment locks the row, so concurrent supports count one by one.
                    let (supports, status): (i64, String) =
                        diesel::update(agenda_items::table.find(id))
                            .set(agenda_items::supports.eq(agenda_items::supports + 1))
                            .returning((agenda_items::supports, agenda_items::status))
                            .get_result(c)?;
                    let from = Status::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt("agenda status".into()))?;
                    if from == Status::Hidden {
                        return Err(AgendaStoreError::Hidden);
                    }
                    let to = ladder_of!(c, &emd)?.climb(from, supports as u32);
                    if to != from {
                        diesel::update(agenda_items::table.find(id))
                            .set(agenda_items::status.eq(to.as_str()))
                            .execute(c)?;
                    }
                    Ok((supports, to))
                })
            })
            .await
    }

    /// The council's public answer (a later answer replaces it; each is kept).
    pub async fn answer(&self, id: i64, text: String, by: i64) -> Result<(), AgendaStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AgendaStoreError, |c| {
                    let changed = diesel::update(
                        agenda_items::table
                            .filter(agenda_items::id.eq(id))
                            .filter(agenda_items::status.ne(Status::Hidden.as_str())),
                    )
                    .set((
                        agenda_items::answer.eq(&text),
                        agenda_items::answered_at.eq(unix_now()),
                        agenda_items::status.eq(Status::Answered.as_str()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        let exists: i64 = agenda_items::table
                            .filter(agenda_items::id.eq(id))
                            .count()
                            .get_result(c)?;
                        return Err(if exists == 0 {
                            AgendaStoreError::NotFound
                        } else {
                            AgendaStoreError::Hidden
                        });
                    }
                    record_action!(c, id, "answer", &text, by)?;
                    Ok(())
                })
            })
            .await
    }

    /// Hides an item with its reason, or restores it to where its answer and supports put it.
    pub async fn moderate(
        &self,
        id: i64,
        hide: bool,
        reason: String,
        by: i64,
    ) -> Result<(), AgendaStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, AgendaStoreError, |c| {
                    let row: Option<ItemRow> = agenda_items::table
                        .find(id)
                        .select(item_columns!())
                        .first(c)
                        .optional()?;
                    let item = item_of(row.ok_or(AgendaStoreError::NotFound)?)?;
                    let hidden = item.status == Status::Hidden;
                    let status = match (hide, hidden) {
                        (true, true) => return Err(AgendaStoreError::Hidden),
                        (false, false) => return Err(AgendaStoreError::NotHidden),
                        (true, false) => Status::Hidden,
                        (false, true) if item.answer.is_some() => Status::Answered,
                        (false, true) => {
                            ladder_of!(c, &item.emd_code)?.climb(Status::Open, item.supports as u32)
                        }
                    };
                    // Only from the status read, so that a concurrent answer or moderation is
                    // not overwritten (it is refused as a conflict instead).
                    let changed = diesel::update(
                        agenda_items::table
                            .filter(agenda_items::id.eq(id))
                            .filter(agenda_items::status.eq(item.status.as_str())),
                    )
                    .set((
                        agenda_items::status.eq(status.as_str()),
                        agenda_items::hidden_reason.eq(hide.then_some(&reason)),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        return Err(StoreError::Conflict.into());
                    }
                    record_action!(c, id, if hide { "hide" } else { "restore" }, &reason, by)?;
                    Ok(())
                })
            })
            .await
    }
}
