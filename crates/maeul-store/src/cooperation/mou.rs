//! 업무협약 — the MOUs kept at each region, listed newest first within a region and below it.

use diesel::prelude::*;
use maeul_core::cooperation::mou::{Kind, Mou};
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write};
use crate::schema::{mous, regions};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now, within_pattern};

/// An agreement with where it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMou {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub mou: Mou,
}

pub struct Mous<'a>(&'a Store);

impl Store {
    pub fn mous(&self) -> Mous<'_> {
        Mous(self)
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

macro_rules! mou_columns {
    () => {
        (
            mous::id,
            mous::region_code,
            regions::full_name,
            mous::title,
            mous::kind,
            mous::parties,
            mous::signed_on,
            mous::ends_on,
            mous::scope,
        )
    };
}

fn mou_of(r: Row) -> Result<StoredMou, StoreError> {
    let (id, region_code, region_name, title, kind, parties, signed_on, ends_on, scope) = r;
    Ok(StoredMou {
        id,
        region_code,
        region_name,
        mou: Mou {
            title,
            kind: Kind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("mou kind {kind:?}")))?,
            parties: serde_json::from_str(&parties)
                .map_err(|e| StoreError::Corrupt(format!("mou parties: {e}")))?,
            signed_on: date(&signed_on)?,
            ends_on: ends_on.as_deref().map(date).transpose()?,
            scope,
        },
    })
}

impl Mous<'_> {
    pub async fn create(&self, region: &RegionCode, m: Mou, by: i64) -> Result<i64, StoreError> {
        let region = region.to_string();
        let parties = serde_json::to_string(&m.parties)
            .map_err(|e| StoreError::Corrupt(format!("mou parties: {e}")))?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(mous::table)
                        .values((
                            mous::region_code.eq(&region),
                            mous::title.eq(&m.title),
                            mous::kind.eq(m.kind.as_str()),
                            mous::parties.eq(&parties),
                            mous::signed_on.eq(text(m.signed_on)),
                            mous::ends_on.eq(m.ends_on.map(text)),
                            mous::scope.eq(&m.scope),
                            mous::created_by.eq(by),
                            mous::created_at.eq(unix_now()),
                        ))
                        .returning(mous::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredMou>, StoreError> {
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(mous::table
                    .inner_join(regions::table)
                    .filter(mous::id.eq(id))
                    .select(mou_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(mou_of).transpose()
    }

    /// The titles of the agreements among `ids`, in one query.
    pub async fn titles(
        &self,
        ids: Vec<i64>,
    ) -> Result<std::collections::HashMap<i64, String>, StoreError> {
        let rows: Vec<(i64, String)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(mous::table
                    .filter(mous::id.eq_any(&ids))
                    .select((mous::id, mous::title))
                    .load(c)?))
            })
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The agreements kept at a region or any region within it, newest signed first; and how
    /// many there are.
    pub async fn within(
        &self,
        region: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredMou>, i64), StoreError> {
        let pattern = within_pattern(region);
        let (rows, total): (Vec<Row>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        mous::table
                            .inner_join(regions::table)
                            .filter(regions::path.like(pattern.clone()))
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order((mous::signed_on.desc(), mous::id.desc()))
                        .offset(offset)
                        .limit(limit)
                        .select(mou_columns!())
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter().map(mou_of).collect::<Result<_, _>>()?,
            total,
        ))
    }
}
