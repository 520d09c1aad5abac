//! 인력 배치 — the posts of the four staff kinds, where each one's quota is held and where it is
//! placed, who holds it; headcount by kind for any region, each post counted where its quota is.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::org::staffing::{Post, StaffCounts, StaffKind};
use maeul_core::region::{RegionCode, RegionPath};
use time::Date;

use crate::db::{db_run, db_write};
use crate::schema::staff_posts;
use crate::welfare::{date, region_path, text};
use crate::{Store, StoreError, unix_now};

/// A post as kept, with the names and paths of its two regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPost {
    pub id: i64,
    pub post: Post,
    pub quota_code: String,
    pub quota_path: RegionPath,
    pub placement_code: String,
    pub placement_path: RegionPath,
    pub updated_at: i64,
}

/// Which posts: those whose quota or placement lies within a region, of a kind, vacant only.
#[derive(Debug, Clone)]
pub struct PostFilter {
    pub within: RegionCode,
    pub kind: Option<StaffKind>,
    pub vacant: bool,
}

/// The headcount of a region, of the posts it holds itself (a si/gun/gu's head office and
/// health centre), and of each region one step below it: `total` is `own` plus the rest.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub total: StaffCounts,
    pub own: StaffCounts,
    pub below: BTreeMap<RegionCode, StaffCounts>,
}

pub struct Staffing<'a>(&'a Store);

impl Store {
    pub fn staffing(&self) -> Staffing<'_> {
        Staffing(self)
    }
}

/// Id, kind, holder, since, quota code and path, placement code and path, when.
type PostRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    i64,
);

fn post_of(r: PostRow) -> Result<StoredPost, StoreError> {
    let (id, kind, holder, since, quota_code, quota_path, placement_code, placement_path, at) = r;
    Ok(StoredPost {
        id,
        post: Post {
            kind: StaffKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("staff kind {kind:?}")))?,
            holder,
            since: since.as_deref().map(date).transpose()?,
        },
        quota_code,
        quota_path: region_path(&quota_path)?,
        placement_code,
        placement_path: region_path(&placement_path)?,
        updated_at: at,
    })
}

macro_rules! post_columns {
    () => {
        (
            staff_posts::id,
            staff_posts::kind,
            staff_posts::holder,
            staff_posts::since,
            staff_posts::quota_code,
            staff_posts::quota_path,
            staff_posts::placement_code,
            staff_posts::placement_path,
            staff_posts::updated_at,
        )
    };
}

impl Staffing<'_> {
    /// Adds a post whose units were checked ([`maeul_core::org::staffing::check_units`]).
    pub async fn add(
        &self,
        post: Post,
        quota: (&RegionCode, &RegionPath),
        placement: (&RegionCode, &RegionPath),
        by: i64,
    ) -> Result<i64, StoreError> {
        let (quota_code, quota_path) = (quota.0.to_string(), quota.1.to_stored());
        let (placement_code, placement_path) = (placement.0.to_string(), placement.1.to_stored());
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(staff_posts::table)
                        .values((
                            staff_posts::kind.eq(post.kind.as_str()),
                            staff_posts::holder.eq(&post.holder),
                            staff_posts::since.eq(post.since.map(text)),
                            staff_posts::quota_code.eq(&quota_code),
                            staff_posts::quota_path.eq(&quota_path),
                            staff_posts::placement_code.eq(&placement_code),
                            staff_posts::placement_path.eq(&placement_path),
                            staff_posts::updated_by.eq(by),
                            staff_posts::updated_at.eq(unix_now()),
                        ))
                        .returning(staff_posts::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Fills a post or leaves it vacant; false when there is no such post.
    pub async fn set_holder(
        &self,
        id: i64,
        holder: Option<String>,
        since: Option<Date>,
        by: i64,
    ) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n = diesel::update(staff_posts::table.find(id))
                        .set((
                            staff_posts::holder.eq(&holder),
                            staff_posts::since.eq(since.map(text)),
                            staff_posts::updated_by.eq(by),
                            staff_posts::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }

    /// Takes a post off the roster (its quota was cut); false when there is no such post.
    pub async fn remove(&self, id: i64) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::delete(staff_posts::table.find(id)).execute(c)? == 1)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredPost>, StoreError> {
        let row: Option<PostRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(staff_posts::table
                        .find(id)
                        .select(post_columns!())
                        .first(c)
                        .optional()?)
                })
            })
            .await?;
        row.map(post_of).transpose()
    }

    /// The posts that match, by quota then placement then kind, a page of them, and how many
    /// match in all.
    pub async fn list(
        &self,
        filter: PostFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredPost>, i64), StoreError> {
        let pattern = crate::within_pattern(&filter.within);
        let (rows, total): (Vec<PostRow>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = staff_posts::table
                            .filter(
                                staff_posts::quota_path
                                    .like(pattern.clone())
                                    .or(staff_posts::placement_path.like(pattern.clone())),
                            )
                            .into_boxed();
                        if let Some(k) = filter.kind {
                            q = q.filter(staff_posts::kind.eq(k.as_str()));
                        }
                        if filter.vacant {
                            q = q.filter(staff_posts::holder.is_null());
                        }
                        q
                    };
                    let total = query().count().get_result(c)?;
                    let rows = query()
                        .order((
                            staff_posts::quota_code,
                            staff_posts::placement_code,
                            staff_posts::kind,
                            staff_posts::id,
                        ))
                        .select(post_columns!())
                        .offset(offset)
                        .limit(limit)
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter().map(post_of).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Headcount by kind within a region and per region one step below it, each post counted
    /// where its quota is held (what the standard labour cost reflects).
    pub async fn counts(&self, region: &RegionCode) -> Result<Counts, StoreError> {
        let pattern = crate::within_pattern(region);
        let rows: Vec<(String, String, bool)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(staff_posts::table
                        .filter(staff_posts::quota_path.like(&pattern))
                        .select((
                            staff_posts::kind,
                            staff_posts::quota_path,
                            staff_posts::holder.is_not_null(),
                        ))
                        .load(c)?)
                })
            })
            .await?;
        let mut counts = Counts::default();
        for (kind, path, filled) in rows {
            let kind = StaffKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("staff kind {kind:?}")))?;
            counts.total.add(kind, filled);
            let path = region_path(&path)?;
            // A post held by the region itself steps "below" to the region.
            match path.step_below(region).filter(|c| *c != region) {
                Some(child) => counts
                    .below
                    .entry(child.clone())
                    .or_default()
                    .add(kind, filled),
                None => counts.own.add(kind, filled),
            }
        }
        Ok(counts)
    }
}
