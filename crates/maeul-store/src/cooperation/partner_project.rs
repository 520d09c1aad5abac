//! 민간 지원조직 주도 사업 — the projects private support organisations lead, kept at their
//! target area, listed with the regions below it, saved whole over the revision read.

use diesel::prelude::*;
use maeul_core::cooperation::partner_project::{Fund, PartnerProject, Stage};
use maeul_core::region::RegionCode;
use serde::de::DeserializeOwned;

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{partner_projects, regions};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now, within_pattern};

/// A project with its target area and the revision it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPartnerProject {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub project: PartnerProject,
    pub revision: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum PartnerStoreError {
    #[error("no such project")]
    NotFound,
    #[error("the project was saved by someone else since it was read")]
    Changed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for PartnerStoreError {
    fn from(e: diesel::result::Error) -> Self {
        PartnerStoreError::Store(e.into())
    }
}

pub struct PartnerProjects<'a>(&'a Store);

impl Store {
    pub fn partner_projects(&self) -> PartnerProjects<'_> {
        PartnerProjects(self)
    }
}

type Row = (
    (i64, String, String),
    (String, String, String, String),
    (String, String, String, String),
    (String, String, Option<i64>, i64),
);

macro_rules! project_columns {
    () => {
        (
            (
                partner_projects::id,
                partner_projects::region_code,
                regions::full_name,
            ),
            (
                partner_projects::title,
                partner_projects::organisation,
                partner_projects::selected_on,
                partner_projects::selected_with,
            ),
            (
                partner_projects::stage,
                partner_projects::agenda,
                partner_projects::actors,
                partner_projects::resources,
            ),
            (
                partner_projects::funds,
                partner_projects::consultants,
                partner_projects::mou_id,
                partner_projects::revision,
            ),
        )
    };
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("partner project {what}"))
}

fn json<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|_| corrupt(what))
}

fn project_of(r: Row) -> Result<StoredPartnerProject, StoreError> {
    let (
        (id, region_code, region_name),
        (title, organisation, selected_on, selected_with),
        (stage, agenda, actors, resources),
        (funds, consultants, mou_id, revision),
    ) = r;
    Ok(StoredPartnerProject {
        id,
        region_code,
        region_name,
        project: PartnerProject {
            title,
            organisation,
            selected_on: date(&selected_on)?,
            selected_with: json(&selected_with, "parties")?,
            stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage"))?,
            agenda,
            actors: json(&actors, "actors")?,
            resources: json(&resources, "resources")?,
            funds: json::<Vec<Fund>>(&funds, "funds")?,
            consultants: json(&consultants, "consultants")?,
            mou_id,
        },
        revision,
    })
}

/// The lists as stored.
struct Lists {
    selected_with: String,
    actors: String,
    resources: String,
    funds: String,
    consultants: String,
}

fn lists(p: &PartnerProject) -> Result<Lists, StoreError> {
    let write = |v: serde_json::Result<String>| v.map_err(|_| corrupt("lists"));
    Ok(Lists {
        selected_with: write(serde_json::to_string(&p.selected_with))?,
        actors: write(serde_json::to_string(&p.actors))?,
        resources: write(serde_json::to_string(&p.resources))?,
        funds: write(serde_json::to_string(&p.funds))?,
        consultants: write(serde_json::to_string(&p.consultants))?,
    })
}

impl PartnerProjects<'_> {
    pub async fn create(
        &self,
        region: &RegionCode,
        p: PartnerProject,
        by: i64,
    ) -> Result<i64, StoreError> {
        let region = region.to_string();
        let l = lists(&p)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(partner_projects::table)
                        .values((
                            partner_projects::region_code.eq(&region),
                            partner_projects::title.eq(&p.title),
                            partner_projects::organisation.eq(&p.organisation),
                            partner_projects::selected_on.eq(text(p.selected_on)),
                            partner_projects::selected_with.eq(&l.selected_with),
                            partner_projects::stage.eq(p.stage.as_str()),
                            partner_projects::agenda.eq(&p.agenda),
                            partner_projects::actors.eq(&l.actors),
                            partner_projects::resources.eq(&l.resources),
                            partner_projects::funds.eq(&l.funds),
                            partner_projects::consultants.eq(&l.consultants),
                            partner_projects::mou_id.eq(p.mou_id),
                            partner_projects::created_by.eq(by),
                            partner_projects::updated_by.eq(by),
                            partner_projects::updated_at.eq(unix_now()),
                        ))
                        .returning(partner_projects::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredPartnerProject>, StoreError> {
        let row: Option<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(partner_projects::table
                    .inner_join(regions::table)
                    .filter(partner_projects::id.eq(id))
                    .select(project_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(project_of).transpose()
    }

    /// The projects of a region or any region within it, newest first; and how many.
    pub async fn within(
        &self,
        region: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<StoredPartnerProject>, i64), StoreError> {
        let pattern = within_pattern(region);
        let (rows, total): (Vec<Row>, i64) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        partner_projects::table
                            .inner_join(regions::table)
                            .filter(regions::path.like(pattern.clone()))
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows = query()
                        .order((
                            partner_projects::selected_on.desc(),
                            partner_projects::id.desc(),
                        ))
                        .offset(offset)
                        .limit(limit)
                        .select(project_columns!())
                        .load(c)?;
                    Ok((rows, total))
                })
            })
            .await?;
        Ok((
            rows.into_iter().map(project_of).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Saves the project whole over `revision`, the one read: refused when someone saved since.
    pub async fn update(
        &self,
        id: i64,
        revision: i64,
        p: PartnerProject,
        by: i64,
    ) -> Result<(), PartnerStoreError> {
        let l = lists(&p)?;
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, PartnerStoreError, |c| {
                    let n = diesel::update(
                        partner_projects::table
                            .find(id)
                            .filter(partner_projects::revision.eq(revision)),
                    )
                    .set((
                        (
                            partner_projects::title.eq(&p.title),
                            partner_projects::organisation.eq(&p.organisation),
                            partner_projects::selected_on.eq(text(p.selected_on)),
                            partner_projects::selected_with.eq(&l.selected_with),
                            partner_projects::stage.eq(p.stage.as_str()),
                            partner_projects::agenda.eq(&p.agenda),
                            partner_projects::actors.eq(&l.actors),
                            partner_projects::resources.eq(&l.resources),
                        ),
                        (
                            partner_projects::funds.eq(&l.funds),
                            partner_projects::consultants.eq(&l.consultants),
                            partner_projects::mou_id.eq(p.mou_id),
                            partner_projects::revision.eq(partner_projects::revision + 1),
                            partner_projects::updated_by.eq(by),
                            partner_projects::updated_at.eq(unix_now()),
                        ),
                    ))
                    .execute(c)?;
                    if n == 1 {
                        return Ok(());
                    }
                    let there: i64 = partner_projects::table.find(id).count().get_result(c)?;
                    Err(if there == 0 {
                        PartnerStoreError::NotFound
                    } else {
                        PartnerStoreError::Changed
                    })
                })
            })
            .await
    }
}
