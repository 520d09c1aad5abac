//! 민간 전문인력 풀 — the experts, found by specialty, si/do and availability.

use diesel::prelude::*;
use maeul_core::expert::{Availability, Expert, Specialty};
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write};
use crate::schema::experts;
use crate::{Store, StoreError, unix_now};

/// An expert with who keeps the entry (the ministry or a si/do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredExpert {
    pub id: i64,
    pub region_code: String,
    pub expert: Expert,
    /// Taken out of the pool: not listed, not assigned, no contacts kept.
    pub removed: bool,
}

/// What to look for; `None` for any.
#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    pub specialty: Option<Specialty>,
    /// Those who work in this si/do (or everywhere).
    pub sido: Option<RegionCode>,
    /// Only those who take work now (available or limited).
    pub available: bool,
}

pub struct Experts<'a>(&'a Store);

impl Store {
    pub fn experts(&self) -> Experts<'_> {
        Experts(self)
    }
}

type Row = (
    i64,
    String,
    (String, String),
    (String, String),
    String,
    (String, String),
    String,
    Option<i64>,
);

macro_rules! expert_columns {
    () => {
        (
            experts::id,
            experts::region_code,
            (experts::name, experts::organisation),
            (experts::specialties, experts::regions),
            experts::availability,
            (experts::email, experts::phone),
            experts::profile,
            experts::removed_at,
        )
    };
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("expert {what}"))
}

fn expert_of(r: Row) -> Result<StoredExpert, StoreError> {
    let (
        id,
        region_code,
        (name, organisation),
        (specialties, regions),
        availability,
        contact,
        profile,
        removed_at,
    ) = r;
    let specialties: Vec<String> =
        serde_json::from_str(&specialties).map_err(|_| corrupt("specialties"))?;
    let regions: Vec<String> = serde_json::from_str(&regions).map_err(|_| corrupt("regions"))?;
    Ok(StoredExpert {
        id,
        region_code,
        expert: Expert {
            name,
            organisation,
            specialties: specialties
                .iter()
                .map(|s| Specialty::parse(s).ok_or_else(|| corrupt("specialty")))
                .collect::<Result<_, _>>()?,
            regions: regions
                .iter()
                .map(|r| RegionCode::parse(r).map_err(|_| corrupt("region")))
                .collect::<Result<_, _>>()?,
            availability: Availability::parse(&availability)
                .ok_or_else(|| corrupt("availability"))?,
            email: contact.0,
            phone: contact.1,
            profile,
        },
        removed: removed_at.is_some(),
    })
}

fn codes<'a>(list: impl Iterator<Item = &'a str>) -> String {
    serde_json::to_string(&list.collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

impl Experts<'_> {
    /// Registers an expert in the pool kept by `region`.
    pub async fn create(&self, region: &RegionCode, e: Expert, by: i64) -> Result<i64, StoreError> {
        let region = region.to_string();
        let specialties = codes(e.specialties.iter().map(|s| s.as_str()));
        let regions = codes(e.regions.iter().map(|r| r.as_str()));
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(experts::table)
                        .values((
                            experts::region_code.eq(&region),
                            experts::name.eq(&e.name),
                            experts::organisation.eq(&e.organisation),
                            experts::specialties.eq(&specialties),
                            experts::regions.eq(&regions),
                            experts::availability.eq(e.availability.as_str()),
                            experts::email.eq(&e.email),
                            experts::phone.eq(&e.phone),
                            experts::profile.eq(&e.profile),
                            experts::created_by.eq(by),
                            experts::updated_at.eq(unix_now()),
                        ))
                        .returning(experts::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredExpert>, StoreError> {
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(experts::table
                    .find(id)
                    .select(expert_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(expert_of).transpose()
    }

    /// The names and organisations of the experts still in the pool among `ids`, in one query.
    pub async fn names(
        &self,
        ids: Vec<i64>,
    ) -> Result<std::collections::HashMap<i64, (String, String)>, StoreError> {
        let rows: Vec<(i64, String, String)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(experts::table
                    .filter(experts::id.eq_any(&ids))
                    .filter(experts::removed_at.is_null())
                    .select((experts::id, experts::name, experts::organisation))
                    .load(c)?))
            })
            .await?;
        Ok(rows.into_iter().map(|(id, n, o)| (id, (n, o))).collect())
    }

    /// Those matching the filter, by name; and how many there are.
    pub async fn find(
        &self,
        filter: ExpertFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredExpert>, i64), StoreError> {
        // The codes are written quoted in JSON arrays: a quoted code matches only itself.
        let specialty = filter.specialty.map(|s| format!("%\"{}\"%", s.as_str()));
        let sido = filter.sido.map(|r| format!("%\"{r}\"%"));
        let available = filter.available;
        let (rows, total): (Vec<Row>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = experts::table
                            .filter(experts::removed_at.is_null())
                            .into_boxed();
                        if let Some(s) = &specialty {
                            q = q.filter(experts::specialties.like(s.clone()));
                        }
                        if let Some(r) = &sido {
                            q = q.filter(
                                experts::regions
                                    .like(r.clone())
                                    .or(experts::regions.eq("[]")),
                            );
                        }
                        if available {
                            q = q.filter(
                                experts::availability.ne(Availability::Unavailable.as_str()),
                            );
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order((experts::name, experts::id))
                        .offset(offset)
                        .limit(limit)
                        .select(expert_columns!())
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter().map(expert_of).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Replaces an entry in the pool as corrected; false when there is none (or it was removed).
    pub async fn update(&self, id: i64, e: Expert) -> Result<bool, StoreError> {
        let specialties = codes(e.specialties.iter().map(|s| s.as_str()));
        let regions = codes(e.regions.iter().map(|r| r.as_str()));
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n = diesel::update(
                        experts::table
                            .find(id)
                            .filter(experts::removed_at.is_null()),
                    )
                    .set((
                        experts::name.eq(&e.name),
                        experts::organisation.eq(&e.organisation),
                        experts::specialties.eq(&specialties),
                        experts::regions.eq(&regions),
                        experts::availability.eq(e.availability.as_str()),
                        experts::email.eq(&e.email),
                        experts::phone.eq(&e.phone),
                        experts::profile.eq(&e.profile),
                        experts::updated_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }

    /// Takes an expert out of the pool: the contacts and profile are erased, the name stays on
    /// the consulting they served. False when there is none (or it was removed already).
    pub async fn remove(&self, id: i64) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let now = unix_now();
                    let n = diesel::update(
                        experts::table
                            .find(id)
                            .filter(experts::removed_at.is_null()),
                    )
                    .set((
                        experts::availability.eq(Availability::Unavailable.as_str()),
                        experts::email.eq(""),
                        experts::phone.eq(""),
                        experts::profile.eq(""),
                        experts::updated_at.eq(now),
                        experts::removed_at.eq(now),
                    ))
                    .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }

    /// Sets whether the expert takes work now; false when there is no such expert.
    pub async fn set_availability(&self, id: i64, a: Availability) -> Result<bool, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let n = diesel::update(
                        experts::table
                            .find(id)
                            .filter(experts::removed_at.is_null()),
                    )
                    .set((
                        experts::availability.eq(a.as_str()),
                        experts::updated_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    Ok(n == 1)
                })
            })
            .await
    }
}
