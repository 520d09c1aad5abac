//! 지역사회자원 연계 — the directory of services and the referrals of cases, of listed
//! households (from a discovery visit) and of people in visiting health care to them.

use diesel::prelude::*;
use maeul_core::audit::AccessAction;
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionPath;
use maeul_core::welfare::resource::{Category, ReferralStatus, Resource, ResourceError, Sector};
use time::Date;

use crate::account::Actor;
use crate::db::{db_run, db_write};
use crate::region::Page;
use crate::schema::{referrals, regions, resources};
use crate::welfare::{Subject, date, of_subject, region_path, subject_place, text};
use crate::{Store, StoreError, unix_now};

/// A service as the directory shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResource {
    pub id: i64,
    pub area_code: String,
    pub area_name: String,
    pub resource: Resource,
}

/// A referral of a case, with its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub category: Category,
    pub status: ReferralStatus,
    pub requested_on: Date,
    pub updated_on: Date,
    pub result: Option<String>,
}

/// Which services to list: those serving a place (its own and its ancestors' areas) and,
/// for a wider region, those of the areas within it.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    /// The region's path: the services of these areas serve it.
    pub serving: Vec<String>,
    /// Services of areas within this region too (its code).
    pub within: Option<String>,
    pub category: Option<Category>,
    /// Part of the name or the provider.
    pub q: Option<String>,
}

pub struct Resources<'a>(&'a Store);

impl Store {
    pub fn resources(&self) -> Resources<'_> {
        Resources(self)
    }
}

/// Id, service id and name, category, status, requested, updated, sealed result.
type ReferralRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<Vec<u8>>,
);

type ResourceRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
);

fn stored(r: ResourceRow) -> Result<StoredResource, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
    Ok(StoredResource {
        id: r.0,
        area_code: r.1,
        area_name: r.2,
        resource: Resource {
            name: r.3,
            category: Category::parse(&r.4).ok_or_else(|| corrupt("category"))?,
            sector: Sector::parse(&r.5).ok_or_else(|| corrupt("sector"))?,
            provider: r.6,
            capacity: r.7,
            contact: r.8,
            description: r.9,
        },
    })
}

impl Resources<'_> {
    /// Adds a service serving an area.
    pub async fn add(&self, area_code: &str, r: Resource, actor: Actor) -> Result<i64, StoreError> {
        let by = actor.user_id.ok_or(StoreError::MissingReference)?;
        let area = area_code.to_owned();
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(resources::table)
                        .values((
                            resources::area_code.eq(&area),
                            resources::name.eq(&r.name),
                            resources::category.eq(r.category.as_str()),
                            resources::sector.eq(r.sector.as_str()),
                            resources::provider.eq(&r.provider),
                            resources::capacity.eq(r.capacity),
                            resources::contact.eq(&r.contact),
                            resources::description.eq(&r.description),
                            resources::created_by.eq(by),
                            resources::created_at.eq(unix_now()),
                        ))
                        .returning(resources::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Services by name; no personal data, so nothing to log.
    pub async fn list(
        &self,
        filter: ResourceFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<StoredResource>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let mut areas = filter.serving.clone();
                    if let Some(code) = &filter.within {
                        let below: Vec<String> = regions::table
                            .filter(regions::path.like(format!("%{code}%")))
                            .select(regions::code)
                            .load(c)?;
                        areas.extend(below);
                    }
                    macro_rules! filtered {
                        ($q:expr) => {{
                            let mut q = $q.filter(resources::area_code.eq_any(&areas)).into_boxed();
                            if let Some(cat) = filter.category {
                                q = q.filter(resources::category.eq(cat.as_str()));
                            }
                            if let Some(text) = &filter.q {
                                let like = format!("%{}%", text.replace(['%', '_'], ""));
                                q = q.filter(
                                    resources::name
                                        .like(like.clone())
                                        .or(resources::provider.like(like)),
                                );
                            }
                            q
                        }};
                    }
                    let total: i64 = filtered!(resources::table.inner_join(regions::table))
                        .count()
                        .get_result(c)?;
                    let rows: Vec<ResourceRow> =
                        filtered!(resources::table.inner_join(regions::table))
                            .order((resources::category, resources::name, resources::id))
                            .offset(offset)
                            .limit(limit)
                            .select((
                                resources::id,
                                resources::area_code,
                                regions::full_name,
                                resources::name,
                                resources::category,
                                resources::sector,
                                resources::provider,
                                resources::capacity,
                                resources::contact,
                                resources::description,
                            ))
                            .load(c)?;
                    let items = rows
                        .into_iter()
                        .map(stored)
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(Page { items, total })
                })
            })
            .await
    }

    /// The path of the area a service serves, to check that it serves a case's place.
    pub async fn area_of(&self, id: i64) -> Result<Option<RegionPath>, StoreError> {
        self.0
            .run(move |conn| {
                let path: Option<String> = db_run!(conn, |c| resources::table
                    .inner_join(regions::table)
                    .filter(resources::id.eq(id))
                    .select(regions::path)
                    .first(c)
                    .optional())?;
                path.as_deref().map(region_path).transpose()
            })
            .await
    }

    /// Refers a case or a household to a service. Call after checking the subject and that the
    /// service serves its place.
    pub async fn refer(
        &self,
        subject: Subject,
        resource_id: i64,
        on: Date,
        note: Option<String>,
        actor: Actor,
    ) -> Result<i64, StoreError> {
        let key = self.0.data_key()?;
        let by = actor.user_id.ok_or(StoreError::MissingReference)?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let emd = subject_place!(c, subject)?;
                    let (case_id, candidate_id, health_person_id) = subject.columns();
                    let id: i64 = diesel::insert_into(referrals::table)
                        .values((
                            referrals::resource_id.eq(resource_id),
                            referrals::case_id.eq(case_id),
                            referrals::candidate_id.eq(candidate_id),
                            referrals::health_person_id.eq(health_person_id),
                            referrals::emd_code.eq(&emd),
                            referrals::status.eq(ReferralStatus::Requested.as_str()),
                            referrals::requested_on.eq(text(on)),
                            referrals::updated_on.eq(text(on)),
                            referrals::result
                                .eq(note.as_deref().map(|n| key.seal(Sealed::CaseNote, n))),
                            referrals::created_by.eq(by),
                            referrals::created_at.eq(unix_now()),
                        ))
                        .returning(referrals::id)
                        .get_result(c)?;
                    let entry = actor
                        .entry(&subject.log_subject(), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(id)
                })
            })
            .await
    }

    /// Whom a referral is for, for the access check.
    pub async fn subject_of(&self, referral: i64) -> Result<Option<Subject>, StoreError> {
        self.0
            .run(move |conn| {
                let row: Option<crate::welfare::SubjectColumns> =
                    db_run!(conn, |c| referrals::table
                        .find(referral)
                        .select((
                            referrals::case_id,
                            referrals::candidate_id,
                            referrals::health_person_id
                        ))
                        .first(c)
                        .optional())?;
                row.map(|(case, candidate, health)| Subject::from_columns(case, candidate, health))
                    .transpose()
            })
            .await
    }

    /// Moves a referral on (requested → accepted → completed, or declined) with its result.
    pub async fn update(
        &self,
        referral: i64,
        status: ReferralStatus,
        result: Option<String>,
        on: Date,
        actor: Actor,
    ) -> Result<Result<(), ResourceError>, StoreError> {
        let key = self.0.data_key()?;
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (case_id, candidate_id, health_person_id, current, emd): (
                        Option<i64>,
                        Option<i64>,
                        Option<i64>,
                        String,
                        String,
                    ) = referrals::table
                        .filter(referrals::id.eq(referral))
                        .select((
                            referrals::case_id,
                            referrals::candidate_id,
                            referrals::health_person_id,
                            referrals::status,
                            referrals::emd_code,
                        ))
                        .first(c)?;
                    let subject = Subject::from_columns(case_id, candidate_id, health_person_id)?;
                    let current = ReferralStatus::parse(&current)
                        .ok_or_else(|| StoreError::Corrupt("referral status".into()))?;
                    if !current.may_become(status) {
                        return Ok(Err(ResourceError::Transition));
                    }
                    diesel::update(referrals::table.find(referral))
                        .set((
                            referrals::status.eq(status.as_str()),
                            referrals::updated_on.eq(text(on)),
                        ))
                        .execute(c)?;
                    if let Some(r) = result {
                        diesel::update(referrals::table.find(referral))
                            .set(referrals::result.eq(Some(key.seal(Sealed::CaseNote, &r))))
                            .execute(c)?;
                    }
                    let entry = actor
                        .entry(&subject.log_subject(), AccessAction::Write)
                        .in_region(&emd);
                    crate::audit::log_access!(c, &entry)?;
                    Ok(Ok(()))
                })
            })
            .await
    }

    /// The referrals of a case or household, oldest first. Part of reading the subject, which
    /// logs it.
    pub async fn of(&self, subject: Subject) -> Result<Vec<Referral>, StoreError> {
        let key = self.0.data_key()?;
        self.0
            .run(move |conn| {
                let rows: Vec<ReferralRow> = db_run!(conn, |c| {
                    let q = referrals::table.inner_join(resources::table).into_boxed();
                    let q = of_subject!(q, referrals, subject);
                    q.order(referrals::id)
                        .select((
                            referrals::id,
                            referrals::resource_id,
                            resources::name,
                            resources::category,
                            referrals::status,
                            referrals::requested_on,
                            referrals::updated_on,
                            referrals::result,
                        ))
                        .load(c)
                })?;
                rows.into_iter()
                    .map(|r| {
                        Ok(Referral {
                            id: r.0,
                            resource_id: r.1,
                            resource_name: r.2,
                            category: Category::parse(&r.3)
                                .ok_or_else(|| StoreError::Corrupt("category".into()))?,
                            status: ReferralStatus::parse(&r.4)
                                .ok_or_else(|| StoreError::Corrupt("status".into()))?,
                            requested_on: date(&r.5)?,
                            updated_on: date(&r.6)?,
                            result: r
                                .7
                                .map(|n| key.open(Sealed::CaseNote, &n))
                                .transpose()
                                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        })
                    })
                    .collect()
            })
            .await
    }
}
