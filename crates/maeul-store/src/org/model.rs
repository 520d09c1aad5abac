//! 조직 모형 — the organisation model of every eup/myeon/dong with every change kept, the
//! configured target day and teams, and the places of a region with their records.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::org::model::{ModelCounts, OrgModel, OrgRules, Organisation, Transition, progress};
use maeul_core::region::{Level, RegionCode, RegionKind, RegionPath};
use time::Date;

use crate::db::{db_run, db_write};
use crate::schema::{org_model_changes, org_models, regions};
use crate::welfare::{date, region_path, text};
use crate::{Source, Store, StoreError, unix_now};

const RULES_KEY: &str = "org_rules";

/// A place's record as kept, with when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrganisation {
    pub organisation: Organisation,
    pub updated_at: i64,
}

/// A past state of a place's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub organisation: Organisation,
    pub source: String,
    pub changed_at: i64,
}

/// An active eup/myeon/dong with its record (None: never recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: RegionCode,
    pub name: String,
    pub full_name: String,
    pub kind: RegionKind,
    pub path: RegionPath,
    pub organisation: Option<Organisation>,
}

/// The counts of a region and of each region one step below it.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub total: ModelCounts,
    pub below: BTreeMap<RegionCode, ModelCounts>,
}

pub struct OrgModels<'a>(&'a Store);

impl Store {
    pub fn org_models(&self) -> OrgModels<'_> {
        OrgModels(self)
    }
}

/// Model, since, planned model, planned day, teams.
type RecordRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

fn model(s: &str) -> Result<OrgModel, StoreError> {
    OrgModel::parse(s).ok_or_else(|| StoreError::Corrupt(format!("organisation model {s:?}")))
}

/// A stored record as it was written: it is not checked again against today's rules, which
/// may have changed the configured teams since.
fn organisation_of(row: RecordRow) -> Result<Organisation, StoreError> {
    let (m, since, planned_model, planned_on, teams) = row;
    let planned = match (planned_model, planned_on) {
        (Some(m), Some(on)) => Some(Transition {
            model: model(&m)?,
            on: date(&on)?,
        }),
        _ => None,
    };
    Ok(Organisation {
        model: model(&m)?,
        since: since.as_deref().map(date).transpose()?,
        planned,
        teams: teams.lines().map(str::to_owned).collect(),
    })
}

/// The columns of a record as stored.
fn record_row(o: &Organisation) -> RecordRow {
    (
        o.model.as_str().to_owned(),
        o.since.map(text),
        o.planned.map(|t| t.model.as_str().to_owned()),
        o.planned.map(|t| text(t.on)),
        o.teams.join("\n"),
    )
}

impl OrgModels<'_> {
    /// The rules in force: those stored with `maeul org rules --set`, or the manual's.
    pub async fn rules(&self) -> Result<OrgRules, StoreError> {
        match self.0.meta(RULES_KEY).await? {
            Some(t) => OrgRules::parse(&t).map_err(StoreError::Corrupt),
            None => Ok(OrgRules::default()),
        }
    }

    pub async fn set_rules(&self, text: &str) -> Result<OrgRules, String> {
        let rules = OrgRules::parse(text)?;
        self.0
            .set_meta(RULES_KEY, text)
            .await
            .map_err(|e| e.to_string())?;
        Ok(rules)
    }

    /// The record of a place, if it has one.
    pub async fn get(&self, emd: &RegionCode) -> Result<Option<StoredOrganisation>, StoreError> {
        let emd = emd.to_string();
        let row: Option<(RecordRow, i64)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(org_models::table
                        .find(&emd)
                        .select((
                            (
                                org_models::model,
                                org_models::since,
                                org_models::planned_model,
                                org_models::planned_on,
                                org_models::teams,
                            ),
                            org_models::updated_at,
                        ))
                        .first(c)
                        .optional()?)
                })
            })
            .await?;
        row.map(|(r, at)| {
            Ok(StoredOrganisation {
                organisation: organisation_of(r)?,
                updated_at: at,
            })
        })
        .transpose()
    }

    /// Records a place's organisation, keeping the change.
    pub async fn set(
        &self,
        emd: &RegionCode,
        organisation: Organisation,
        by: i64,
    ) -> Result<(), StoreError> {
        self.write(vec![(emd.clone(), organisation)], Source::Web, Some(by))
            .await
    }

    /// Records many places in one transaction (a file import): all or nothing; a place whose
    /// record is already what the file says keeps it, with no change added to its history.
    pub async fn import(&self, records: Vec<(RegionCode, Organisation)>) -> Result<(), StoreError> {
        self.write(records, Source::Import, None).await
    }

    async fn write(
        &self,
        records: Vec<(RegionCode, Organisation)>,
        source: Source,
        by: Option<i64>,
    ) -> Result<(), StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let now = unix_now();
                    for (emd, o) in &records {
                        let row = record_row(o);
                        if source == Source::Import {
                            let stored: Option<RecordRow> = org_models::table
                                .find(emd.as_str())
                                .select((
                                    org_models::model,
                                    org_models::since,
                                    org_models::planned_model,
                                    org_models::planned_on,
                                    org_models::teams,
                                ))
                                .first(c)
                                .optional()?;
                            if stored.as_ref() == Some(&row) {
                                continue;
                            }
                        }
                        let (m, since, planned_model, planned_on, teams) = row;
                        let values = (
                            org_models::model.eq(&m),
                            org_models::since.eq(&since),
                            org_models::planned_model.eq(&planned_model),
                            org_models::planned_on.eq(&planned_on),
                            org_models::teams.eq(&teams),
                            org_models::updated_at.eq(now),
                        );
                        diesel::insert_into(org_models::table)
                            .values((org_models::emd_code.eq(emd.as_str()), values))
                            .on_conflict(org_models::emd_code)
                            .do_update()
                            .set(values)
                            .execute(c)?;
                        diesel::insert_into(org_model_changes::table)
                            .values((
                                org_model_changes::emd_code.eq(emd.as_str()),
                                org_model_changes::model.eq(&m),
                                org_model_changes::since.eq(&since),
                                org_model_changes::planned_model.eq(&planned_model),
                                org_model_changes::planned_on.eq(&planned_on),
                                org_model_changes::teams.eq(&teams),
                                org_model_changes::source.eq(source.as_str()),
                                org_model_changes::changed_by.eq(by),
                                org_model_changes::changed_at.eq(now),
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
        let rows: Vec<(RecordRow, String, i64)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(org_model_changes::table
                        .filter(org_model_changes::emd_code.eq(&emd))
                        .order(org_model_changes::id.desc())
                        .select((
                            (
                                org_model_changes::model,
                                org_model_changes::since,
                                org_model_changes::planned_model,
                                org_model_changes::planned_on,
                                org_model_changes::teams,
                            ),
                            org_model_changes::source,
                            org_model_changes::changed_at,
                        ))
                        .load(c)?)
                })
            })
            .await?;
        rows.into_iter()
            .map(|(r, source, at)| {
                Ok(Change {
                    organisation: organisation_of(r)?,
                    source,
                    changed_at: at,
                })
            })
            .collect()
    }

    /// Every active eup/myeon/dong within a region (the nation included), in code order,
    /// with its record.
    pub async fn places(&self, region: &RegionCode) -> Result<Vec<Place>, StoreError> {
        let pattern = crate::within_pattern(region);
        type Row = (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(regions::table
                        .left_join(org_models::table)
                        .filter(regions::level.eq(Level::Emd.as_str()))
                        .filter(regions::retired_on.is_null())
                        .filter(regions::path.like(&pattern))
                        .order(regions::code)
                        .select((
                            regions::code,
                            regions::name,
                            regions::full_name,
                            regions::kind,
                            regions::path,
                            org_models::model.nullable(),
                            org_models::since.nullable(),
                            org_models::planned_model.nullable(),
                            org_models::planned_on.nullable(),
                            org_models::teams.nullable(),
                        ))
                        .load(c)?)
                })
            })
            .await?;
        rows.into_iter()
            .map(
                |(code, name, full_name, kind, path, m, since, pm, pon, teams)| {
                    let organisation = match (m, teams) {
                        (Some(m), Some(teams)) => {
                            Some(organisation_of((m, since, pm, pon, teams))?)
                        }
                        _ => None,
                    };
                    Ok(Place {
                        code: RegionCode::parse(&code)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        name,
                        full_name,
                        kind: RegionKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("region kind {kind:?}")))?,
                        path: region_path(&path)?,
                        organisation,
                    })
                },
            )
            .collect()
    }

    /// Active eup/myeon/dong by model and by progress on `today` against `target_on`, within a
    /// region and per region one step below it.
    pub async fn counts(
        &self,
        region: &RegionCode,
        target_on: Date,
        today: Date,
    ) -> Result<Counts, StoreError> {
        let mut counts = Counts::default();
        for place in self.places(region).await? {
            let o = place.organisation.as_ref();
            let p = progress(place.kind, o, target_on, today);
            let m = o.map(|o| o.model);
            counts.total.add(m, p);
            if let Some(child) = place.path.step_below(region) {
                counts.below.entry(child.clone()).or_default().add(m, p);
            }
        }
        Ok(counts)
    }
}
