//! 담당자 네트워크 — the directory of officers in charge of each field in every local government.

use diesel::prelude::*;
use maeul_core::org::officer::{Field, Officer};
use maeul_core::region::{RegionCode, RegionPath};

use crate::db::{db_run, db_write_as};
use crate::schema::{officers, regions};
use crate::welfare::region_path;
use crate::{Store, StoreError, contains_pattern, unix_now};

/// An officer with their local government.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOfficer {
    pub id: i64,
    pub region_code: String,
    /// `서울특별시 종로구`; empty for the nation (the ministry).
    pub region_name: String,
    /// Where the government sits, for checking who keeps its entries.
    pub region_path: RegionPath,
    pub officer: Officer,
    pub updated_at: i64,
}

/// What to look for: words in the name, department or position; a field; a region and the
/// governments below it.
#[derive(Debug, Clone, Default)]
pub struct OfficerFilter {
    pub q: Option<String>,
    pub field: Option<Field>,
    pub within: Option<RegionCode>,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficerStoreError {
    #[error("no such officer")]
    NotFound,
    #[error("the government already lists this officer in this field")]
    Taken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for OfficerStoreError {
    fn from(e: diesel::result::Error) -> Self {
        match StoreError::from(e) {
            StoreError::Conflict => OfficerStoreError::Taken,
            other => OfficerStoreError::Store(other),
        }
    }
}

macro_rules! officer_columns {
    () => {
        (
            officers::id,
            officers::region_code,
            (regions::full_name, regions::path),
            (
                officers::field,
                officers::name,
                officers::department,
                officers::position,
                (officers::phone, officers::email),
            ),
            officers::updated_at,
        )
    };
}

type Row = (
    i64,
    String,
    (String, String),
    (String, String, String, String, (String, String)),
    i64,
);

fn officer_of(r: Row) -> Result<StoredOfficer, StoreError> {
    let (id, region_code, (region_name, path), (field, name, department, position, contact), at) =
        r;
    let (phone, email) = contact;
    Ok(StoredOfficer {
        id,
        region_name: if region_code == RegionCode::NATION {
            String::new()
        } else {
            region_name
        },
        region_path: region_path(&path)?,
        region_code,
        officer: Officer {
            field: Field::parse(&field)
                .ok_or_else(|| StoreError::Corrupt(format!("officer field {field:?}")))?,
            name,
            department,
            position,
            phone,
            email,
        },
        updated_at: at,
    })
}

pub struct Officers<'a>(&'a Store);

impl Store {
    pub fn officers(&self) -> Officers<'_> {
        Officers(self)
    }
}

impl Officers<'_> {
    /// Lists an officer of a local government.
    pub async fn add(
        &self,
        region: &RegionCode,
        officer: Officer,
        by: i64,
    ) -> Result<i64, OfficerStoreError> {
        let region = region.to_string();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, OfficerStoreError, |c| {
                    Ok(diesel::insert_into(officers::table)
                        .values((
                            officers::region_code.eq(&region),
                            officers::field.eq(officer.field.as_str()),
                            officers::name.eq(&officer.name),
                            officers::department.eq(&officer.department),
                            officers::position.eq(&officer.position),
                            officers::phone.eq(&officer.phone),
                            officers::email.eq(&officer.email),
                            officers::updated_by.eq(by),
                            officers::updated_at.eq(unix_now()),
                        ))
                        .returning(officers::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Replaces an officer's entry.
    pub async fn update(
        &self,
        id: i64,
        officer: Officer,
        by: i64,
    ) -> Result<(), OfficerStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, OfficerStoreError, |c| {
                    let n = diesel::update(officers::table.find(id))
                        .set((
                            officers::field.eq(officer.field.as_str()),
                            officers::name.eq(&officer.name),
                            officers::department.eq(&officer.department),
                            officers::position.eq(&officer.position),
                            officers::phone.eq(&officer.phone),
                            officers::email.eq(&officer.email),
                            officers::updated_by.eq(by),
                            officers::updated_at.eq(unix_now()),
                        ))
                        .execute(c)?;
                    if n == 0 {
                        return Err(OfficerStoreError::NotFound);
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Takes an officer off the network (moved on, retired).
    pub async fn remove(&self, id: i64) -> Result<(), OfficerStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, OfficerStoreError, |c| {
                    let n = diesel::delete(officers::table.find(id)).execute(c)?;
                    if n == 0 {
                        return Err(OfficerStoreError::NotFound);
                    }
                    Ok(())
                })
            })
            .await
    }

    /// One officer.
    pub async fn get(&self, id: i64) -> Result<Option<StoredOfficer>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let row: Option<Row> = officers::table
                        .inner_join(regions::table)
                        .filter(officers::id.eq(id))
                        .select(officer_columns!())
                        .first(c)
                        .optional()?;
                    row.map(officer_of).transpose()
                })
            })
            .await
    }

    /// The officers that match, by region code then field and name, and how many match.
    pub async fn search(
        &self,
        filter: OfficerFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredOfficer>, i64), StoreError> {
        let pattern = filter
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(contains_pattern);
        // The nation holds every region; a region's own code and those below it are on its path.
        let within = filter
            .within
            .as_ref()
            .filter(|r| r.as_str() != RegionCode::NATION)
            .map(|r| (r.to_string(), format!("%{r}%")));
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = officers::table.inner_join(regions::table).into_boxed();
                        if let Some(p) = &pattern {
                            q = q.filter(
                                officers::name
                                    .like(p.clone())
                                    .escape('\\')
                                    .or(officers::department.like(p.clone()).escape('\\'))
                                    .or(officers::position.like(p.clone()).escape('\\'))
                                    .or(regions::full_name.like(p.clone()).escape('\\')),
                            );
                        }
                        if let Some(f) = filter.field {
                            q = q.filter(officers::field.eq(f.as_str()));
                        }
                        if let Some((code, path)) = &within {
                            q = q.filter(
                                officers::region_code
                                    .eq(code.clone())
                                    .or(regions::path.like(path.clone())),
                            );
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows: Vec<Row> = query()
                        .order((officers::region_code, officers::field, officers::name))
                        .offset(offset)
                        .limit(limit)
                        .select(officer_columns!())
                        .load(c)?;
                    let found = rows
                        .into_iter()
                        .map(officer_of)
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((found, total))
                })
            })
            .await
    }
}
