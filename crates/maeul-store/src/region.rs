//! The region registry: loaded from the shipped release on first start, replaced by newer
//! releases through `import`, never losing a retired code.

use diesel::prelude::*;
use maeul_core::region::kikcd::{self, Changes, Registry};
use maeul_core::region::{Level, Region, RegionCode, RegionKind, RegionPath};

use crate::db::{db_run, db_write};
use crate::schema::{region_changes, region_imports, regions};
use crate::{Store, StoreError, unix_now};

const SHIPPED_SIDO: &str = include_str!("../../../data/sido.csv");
const SHIPPED_SIGUNGU: &str = include_str!("../../../data/sigungu.csv");
const SHIPPED_REGIONS: &str = include_str!("../../../data/regions.csv");

/// The release the product ships (MOIS KIKcd_H of 2025-07-01).
pub fn shipped_registry() -> Registry {
    kikcd::build(kikcd::rows_from_shipped(
        SHIPPED_SIDO,
        SHIPPED_SIGUNGU,
        SHIPPED_REGIONS,
    ))
    .expect("the shipped region files are consistent (a unit test checks them)")
}

/// A region as stored: the domain region, its path, and whether it was retired.
#[derive(Debug, Clone)]
pub struct StoredRegion {
    pub region: Region,
    pub path: RegionPath,
    pub retired_on: Option<String>,
}

/// Filters of a region list.
#[derive(Debug, Clone, Default)]
pub struct RegionFilter {
    pub level: Option<Level>,
    pub parent: Option<RegionCode>,
    /// Part of the full name (`청운효자`) or the start of a code.
    pub q: Option<String>,
    pub include_retired: bool,
}

/// One page of a list and the total count.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub import_id: i64,
    pub changes: Changes,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

fn from_row(row: Row) -> Result<StoredRegion, StoreError> {
    let (code, level, kind, name, full_name, parent, path, created_on, retired_on) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("region {code}: {what}"));
    let parent = match parent {
        Some(p) if p != RegionCode::NATION => {
            Some(RegionCode::parse(&p).map_err(|_| corrupt("parent"))?)
        }
        _ => None,
    };
    Ok(StoredRegion {
        region: Region {
            code: RegionCode::parse(&code).map_err(|_| corrupt("code"))?,
            level: Level::parse(&level).ok_or_else(|| corrupt("level"))?,
            kind: RegionKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            name,
            full_name,
            parent,
            created_on,
        },
        path: RegionPath::parse(&path).map_err(|_| corrupt("path"))?,
        retired_on,
    })
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = regions)]
#[diesel(treat_none_as_null = true)]
struct NewRegion<'a> {
    code: &'a str,
    level: &'a str,
    kind: &'a str,
    name: &'a str,
    full_name: &'a str,
    parent_code: Option<&'a str>,
    path: String,
    created_on: Option<&'a str>,
    retired_on: Option<&'a str>,
}

impl<'a> NewRegion<'a> {
    fn from(region: &'a Region, path: &RegionPath) -> Self {
        NewRegion {
            code: region.code.as_str(),
            level: region.level.as_str(),
            kind: region.kind.as_str(),
            name: &region.name,
            full_name: &region.full_name,
            parent_code: Some(
                region
                    .parent
                    .as_ref()
                    .map_or(RegionCode::NATION, |p| p.as_str()),
            ),
            path: path.to_stored(),
            created_on: region.created_on.as_deref(),
            retired_on: None,
        }
    }

    fn nation() -> Self {
        NewRegion {
            code: RegionCode::NATION,
            level: "nation",
            kind: "nation",
            name: "전국",
            full_name: "전국",
            parent_code: None,
            path: String::new(),
            created_on: None,
            retired_on: None,
        }
    }
}

/// Region queries and commands.
pub struct Regions<'a>(&'a Store);

impl Store {
    pub fn regions(&self) -> Regions<'_> {
        Regions(self)
    }
}

macro_rules! region_columns {
    () => {
        (
            regions::code,
            regions::level,
            regions::kind,
            regions::name,
            regions::full_name,
            regions::parent_code,
            regions::path,
            regions::created_on,
            regions::retired_on,
        )
    };
}

impl Regions<'_> {
    /// Loads the shipped release into an empty registry; returns whether it did.
    pub async fn load_shipped_if_empty(&self) -> Result<bool, StoreError> {
        self.0
            .run(|conn| {
                db_write!(conn, |c| {
                    let n: i64 = regions::table.count().get_result(c)?;
                    if n > 0 {
                        return Ok(false);
                    }
                    let registry = shipped_registry();
                    diesel::insert_into(regions::table)
                        .values(NewRegion::nation())
                        .execute(c)?;
                    let mut rows: Vec<_> = registry.regions.iter().collect();
                    rows.sort_by_key(|(_, p)| p.codes().len());
                    let rows: Vec<NewRegion> =
                        rows.iter().map(|(r, p)| NewRegion::from(r, p)).collect();
                    for chunk in rows.chunks(500) {
                        diesel::insert_into(regions::table)
                            .values(chunk)
                            .execute(c)?;
                    }
                    crate::dashboard::rebuild(c)?;
                    Ok(true)
                })
            })
            .await
    }

    /// One region by code, active or retired; the nation too.
    pub async fn get(&self, code: &RegionCode) -> Result<Option<StoredRegion>, StoreError> {
        let code = code.as_str().to_owned();
        self.0
            .run(move |conn| {
                let row: Option<Row> = db_run!(conn, |c| regions::table
                    .find(&code)
                    .select(region_columns!())
                    .first(c)
                    .optional())?;
                row.map(from_row).transpose()
            })
            .await
    }

    /// The full names of some regions, by code, in one query.
    pub async fn full_names(
        &self,
        codes: Vec<String>,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        self.0
            .run(move |conn| {
                let rows: Vec<(String, String)> = db_run!(conn, |c| regions::table
                    .filter(regions::code.eq_any(&codes))
                    .select((regions::code, regions::full_name))
                    .load(c))?;
                Ok(rows.into_iter().collect())
            })
            .await
    }

    /// How many active regions sit directly below `code`.
    pub async fn child_count(&self, code: &RegionCode) -> Result<i64, StoreError> {
        let code = code.as_str().to_owned();
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| regions::table
                    .filter(regions::parent_code.eq(&code))
                    .filter(regions::retired_on.is_null())
                    .count()
                    .get_result(c))?)
            })
            .await
    }

    /// A filtered page of regions in code order.
    pub async fn list(
        &self,
        filter: RegionFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<StoredRegion>, StoreError> {
        self.0
            .run(move |conn| {
                let pattern = filter
                    .q
                    .as_deref()
                    .map(str::trim)
                    .filter(|q| !q.is_empty())
                    .map(crate::contains_pattern);
                let code_prefix = filter
                    .q
                    .as_deref()
                    .map(str::trim)
                    .filter(|q| !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()))
                    .map(|q| format!("{q}%"));
                db_run!(conn, |c| {
                    let query = || {
                        let mut q = regions::table
                            .filter(regions::code.ne(RegionCode::NATION))
                            .into_boxed();
                        if !filter.include_retired {
                            q = q.filter(regions::retired_on.is_null());
                        }
                        if let Some(level) = filter.level {
                            q = q.filter(regions::level.eq(level.as_str()));
                        }
                        if let Some(parent) = &filter.parent {
                            q = q.filter(regions::parent_code.eq(parent.as_str().to_owned()));
                        }
                        match (&pattern, &code_prefix) {
                            (_, Some(prefix)) => q = q.filter(regions::code.like(prefix.clone())),
                            (Some(p), None) => {
                                q = q.filter(regions::full_name.like(p.clone()).escape('\\'))
                            }
                            (None, None) => {}
                        }
                        q
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows: Vec<Row> = query()
                        .select(region_columns!())
                        .order(regions::code)
                        .offset(offset)
                        .limit(limit)
                        .load(c)?;
                    Ok(Page {
                        items: rows.into_iter().map(from_row).collect::<Result<_, _>>()?,
                        total,
                    })
                })
            })
            .await
    }

    /// Every active eup/myeon/dong, in code order.
    pub async fn active_emds(&self) -> Result<Vec<StoredRegion>, StoreError> {
        let filter = RegionFilter {
            level: Some(Level::Emd),
            ..Default::default()
        };
        Ok(self.list(filter, 0, i64::MAX).await?.items)
    }

    /// Applies a newer release: new codes are added, changed names and parents updated, and
    /// codes missing from the release are marked retired (their rows stay). Each change is
    /// recorded against the import.
    pub async fn import(
        &self,
        source: &str,
        release: Registry,
        today: &str,
    ) -> Result<ImportReport, StoreError> {
        let (source, today) = (source.to_owned(), today.to_owned());
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let active: Vec<(String, String)> = regions::table
                        .filter(regions::retired_on.is_null())
                        .filter(regions::code.ne(RegionCode::NATION))
                        .select((regions::code, regions::full_name))
                        .load(c)?;
                    let active: Vec<(RegionCode, String)> = active
                        .into_iter()
                        .filter_map(|(code, name)| RegionCode::parse(&code).ok().map(|c| (c, name)))
                        .collect();
                    let changes =
                        kikcd::diff(active.iter().map(|(c, n)| (c, n.as_str())), &release);
                    let old_names: std::collections::HashMap<&RegionCode, &str> =
                        active.iter().map(|(c, n)| (c, n.as_str())).collect();

                    let import_id: i64 = diesel::insert_into(region_imports::table)
                        .values((
                            region_imports::source.eq(&source),
                            region_imports::imported_at.eq(unix_now()),
                            region_imports::created.eq(changes.created.len() as i64),
                            region_imports::retired.eq(changes.retired.len() as i64),
                            region_imports::renamed.eq(changes.renamed.len() as i64),
                        ))
                        .returning(region_imports::id)
                        .get_result(c)?;

                    let mut ordered: Vec<_> = release.regions.iter().collect();
                    ordered.sort_by_key(|(_, p)| p.codes().len());
                    for (region, path) in ordered {
                        let row = NewRegion::from(region, path);
                        diesel::insert_into(regions::table)
                            .values(&row)
                            .on_conflict(regions::code)
                            .do_update()
                            .set(&row)
                            .execute(c)?;
                    }
                    for code in &changes.retired {
                        diesel::update(regions::table.find(code.as_str()))
                            .set(regions::retired_on.eq(&today))
                            .execute(c)?;
                    }
                    let new_names: std::collections::HashMap<&RegionCode, &str> = release
                        .regions
                        .iter()
                        .map(|(r, _)| (&r.code, r.full_name.as_str()))
                        .collect();
                    let records = [
                        ("created", &changes.created),
                        ("retired", &changes.retired),
                        ("renamed", &changes.renamed),
                    ];
                    for (change, codes) in records {
                        for code in codes {
                            diesel::insert_into(region_changes::table)
                                .values((
                                    region_changes::import_id.eq(import_id),
                                    region_changes::code.eq(code.as_str()),
                                    region_changes::change.eq(change),
                                    region_changes::old_name.eq(old_names.get(code).copied()),
                                    region_changes::new_name.eq(new_names.get(code).copied()),
                                ))
                                .execute(c)?;
                        }
                    }
                    // A region may have moved: every roll-up is counted again.
                    crate::dashboard::rebuild(c)?;
                    Ok(ImportReport { import_id, changes })
                })
            })
            .await
    }

    /// The recorded changes of a code, oldest first: (import id, change, old name, new name).
    pub async fn history(
        &self,
        code: &RegionCode,
    ) -> Result<Vec<(i64, String, Option<String>, Option<String>)>, StoreError> {
        let code = code.as_str().to_owned();
        self.0
            .run(move |conn| {
                Ok(db_run!(conn, |c| region_changes::table
                    .filter(region_changes::code.eq(&code))
                    .order(region_changes::id)
                    .select((
                        region_changes::import_id,
                        region_changes::change,
                        region_changes::old_name,
                        region_changes::new_name
                    ))
                    .load(c))?)
            })
            .await
    }
}
