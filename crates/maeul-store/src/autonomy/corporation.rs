//! 실행 법인 — the registry of organisations linked to a place's council, the contracts under
//! which they carry out its projects, and their reports.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::autonomy::corporation::{Contract, ContractKind, OrgKind, Organisation, Report};
use maeul_core::autonomy::plan::Decision;
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write_as};
use crate::schema::{
    autonomy_plan_items, autonomy_plans, corporation_contracts, corporation_reports, corporations,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

/// An organisation as registered, with what its contracts add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCorporation {
    pub id: i64,
    pub emd_code: String,
    pub org: Organisation,
    pub contracts: usize,
    /// 원, all contracts together.
    pub amount: i64,
    pub updated_at: i64,
}

/// A contract with the plan item it carries out and its reports (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContract {
    pub id: i64,
    pub contract: Contract,
    pub plan_item: Option<String>,
    pub spent: Option<i64>,
    pub reports: Vec<StoredReport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub id: i64,
    pub body: String,
    pub spent: Option<i64>,
    pub at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum CorporationStoreError {
    #[error("no such organisation or contract")]
    NotFound,
    #[error("the place already has an organisation of that name")]
    NameTaken,
    #[error("the plan item is not an adopted item of the organisation's place")]
    PlanItemElsewhere,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for CorporationStoreError {
    fn from(e: diesel::result::Error) -> Self {
        CorporationStoreError::Store(e.into())
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("corporation {what}"))
}

type CorporationRow = (
    i64,
    String,
    (String, String, Option<String>, String),
    (Option<String>, String, String),
    i64,
);

macro_rules! corporation_columns {
    () => {
        (
            corporations::id,
            corporations::emd_code,
            (
                corporations::name,
                corporations::kind,
                corporations::registration_no,
                corporations::representative,
            ),
            (
                corporations::founded_on,
                corporations::contact,
                corporations::description,
            ),
            corporations::updated_at,
        )
    };
}

type ContractRow = (
    i64,
    i64,
    (String, String, i64, String, String),
    Option<i64>,
    Option<i64>,
);

macro_rules! contract_columns {
    () => {
        (
            corporation_contracts::id,
            corporation_contracts::corporation_id,
            (
                corporation_contracts::title,
                corporation_contracts::kind,
                corporation_contracts::amount,
                corporation_contracts::starts_on,
                corporation_contracts::ends_on,
            ),
            corporation_contracts::plan_item_id,
            corporation_contracts::spent,
        )
    };
}

fn corporation_of(
    r: CorporationRow,
    sums: &BTreeMap<i64, (usize, i64)>,
) -> Result<StoredCorporation, StoreError> {
    let (id, emd_code, (name, kind, registration_no, representative), rest, updated_at) = r;
    let (founded_on, contact, description) = rest;
    let (contracts, amount) = sums.get(&id).copied().unwrap_or_default();
    Ok(StoredCorporation {
        id,
        emd_code,
        org: Organisation {
            name,
            kind: OrgKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
            registration_no,
            representative,
            founded_on: founded_on.as_deref().map(date).transpose()?,
            contact,
            description,
        },
        contracts,
        amount,
        updated_at,
    })
}

fn contract_of(
    r: ContractRow,
    titles: &BTreeMap<i64, String>,
    reports: &mut BTreeMap<i64, Vec<StoredReport>>,
) -> Result<StoredContract, StoreError> {
    let (id, _, (title, kind, amount, starts_on, ends_on), plan_item_id, spent) = r;
    Ok(StoredContract {
        id,
        contract: Contract {
            title,
            kind: ContractKind::parse(&kind).ok_or_else(|| corrupt("contract kind"))?,
            amount,
            starts_on: date(&starts_on)?,
            ends_on: date(&ends_on)?,
            plan_item_id,
        },
        plan_item: plan_item_id.and_then(|i| titles.get(&i).cloned()),
        spent,
        reports: reports.remove(&id).unwrap_or_default(),
    })
}

/// Loads the organisations of the rows with the count and sum of their contracts.
macro_rules! load_corporations {
    ($c:expr, $rows:expr) => {{
        let rows: Vec<CorporationRow> = $rows;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let amounts: Vec<(i64, i64)> = corporation_contracts::table
            .filter(corporation_contracts::corporation_id.eq_any(&ids))
            .select((
                corporation_contracts::corporation_id,
                corporation_contracts::amount,
            ))
            .load($c)?;
        let mut sums: BTreeMap<i64, (usize, i64)> = BTreeMap::new();
        for (corporation, amount) in amounts {
            let s = sums.entry(corporation).or_default();
            s.0 += 1;
            s.1 += amount;
        }
        rows.into_iter()
            .map(|r| corporation_of(r, &sums))
            .collect::<Result<Vec<_>, StoreError>>()
    }};
}

/// The columns of a registry entry, as written.
type OrganisationValues = (
    diesel::dsl::Eq<corporations::name, String>,
    diesel::dsl::Eq<corporations::kind, &'static str>,
    diesel::dsl::Eq<corporations::registration_no, Option<String>>,
    diesel::dsl::Eq<corporations::representative, String>,
    diesel::dsl::Eq<corporations::founded_on, Option<String>>,
    diesel::dsl::Eq<corporations::contact, String>,
    diesel::dsl::Eq<corporations::description, String>,
);

fn organisation_values(o: &Organisation) -> OrganisationValues {
    (
        corporations::name.eq(o.name.clone()),
        corporations::kind.eq(o.kind.as_str()),
        corporations::registration_no.eq(o.registration_no.clone()),
        corporations::representative.eq(o.representative.clone()),
        corporations::founded_on.eq(o.founded_on.map(text)),
        corporations::contact.eq(o.contact.clone()),
        corporations::description.eq(o.description.clone()),
    )
}

fn name_taken(e: diesel::result::Error) -> CorporationStoreError {
    match StoreError::from(e) {
        StoreError::Conflict => CorporationStoreError::NameTaken,
        other => other.into(),
    }
}

pub struct Corporations<'a>(&'a Store);

impl Store {
    pub fn corporations(&self) -> Corporations<'_> {
        Corporations(self)
    }
}

impl Corporations<'_> {
    /// Registers an organisation of a place.
    pub async fn register(
        &self,
        emd: &RegionCode,
        org: Organisation,
        by: i64,
    ) -> Result<i64, CorporationStoreError> {
        let emd = emd.to_string();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, CorporationStoreError, |c| {
                    let now = unix_now();
                    diesel::insert_into(corporations::table)
                        .values((
                            corporations::emd_code.eq(&emd),
                            organisation_values(&org),
                            corporations::created_by.eq(by),
                            corporations::created_at.eq(now),
                            corporations::updated_at.eq(now),
                        ))
                        .returning(corporations::id)
                        .get_result(c)
                        .map_err(name_taken)
                })
            })
            .await
    }

    /// Replaces an organisation's registry entry.
    pub async fn update(&self, id: i64, org: Organisation) -> Result<(), CorporationStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, CorporationStoreError, |c| {
                    let n = diesel::update(corporations::table.find(id))
                        .set((
                            organisation_values(&org),
                            corporations::updated_at.eq(unix_now()),
                        ))
                        .execute(c)
                        .map_err(name_taken)?;
                    if n == 0 {
                        return Err(CorporationStoreError::NotFound);
                    }
                    Ok(())
                })
            })
            .await
    }

    /// The organisations of a place, by name.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<StoredCorporation>, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = corporations::table
                        .filter(corporations::emd_code.eq(&emd))
                        .order(corporations::name)
                        .limit(500)
                        .select(corporation_columns!())
                        .load(c)?;
                    load_corporations!(c, rows)
                })
            })
            .await
    }

    /// An organisation with its contracts (latest first) and their reports.
    pub async fn get(
        &self,
        id: i64,
    ) -> Result<Option<(StoredCorporation, Vec<StoredContract>)>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows = corporations::table
                        .filter(corporations::id.eq(id))
                        .select(corporation_columns!())
                        .load(c)?;
                    let Some(corporation) = load_corporations!(c, rows)?.pop() else {
                        return Ok(None);
                    };
                    let contracts: Vec<ContractRow> = corporation_contracts::table
                        .filter(corporation_contracts::corporation_id.eq(id))
                        .order(corporation_contracts::id.desc())
                        .select(contract_columns!())
                        .load(c)?;
                    let ids: Vec<i64> = contracts.iter().map(|r| r.0).collect();
                    let items: Vec<i64> = contracts.iter().filter_map(|r| r.3).collect();
                    let titles: BTreeMap<i64, String> = autonomy_plan_items::table
                        .filter(autonomy_plan_items::id.eq_any(&items))
                        .select((autonomy_plan_items::id, autonomy_plan_items::title))
                        .load::<(i64, String)>(c)?
                        .into_iter()
                        .collect();
                    let mut reports: BTreeMap<i64, Vec<StoredReport>> = BTreeMap::new();
                    let report_rows: Vec<(i64, i64, String, Option<i64>, i64)> =
                        corporation_reports::table
                            .filter(corporation_reports::contract_id.eq_any(&ids))
                            .order(corporation_reports::id.desc())
                            .select((
                                corporation_reports::id,
                                corporation_reports::contract_id,
                                corporation_reports::body,
                                corporation_reports::spent,
                                corporation_reports::reported_at,
                            ))
                            .load(c)?;
                    for (id, contract, body, spent, at) in report_rows {
                        reports.entry(contract).or_default().push(StoredReport {
                            id,
                            body,
                            spent,
                            at,
                        });
                    }
                    let contracts = contracts
                        .into_iter()
                        .map(|r| contract_of(r, &titles, &mut reports))
                        .collect::<Result<Vec<_>, StoreError>>()?;
                    Ok(Some((corporation, contracts)))
                })
            })
            .await
    }

    /// The organisation a contract belongs to.
    pub async fn corporation_of_contract(&self, contract: i64) -> Result<Option<i64>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(corporation_contracts::table
                        .find(contract)
                        .select(corporation_contracts::corporation_id)
                        .first(c)
                        .optional()?)
                })
            })
            .await
    }

    /// The contracts carrying out a plan item: organisation id and name, contract title.
    pub async fn contracts_of_plan_item(
        &self,
        item: i64,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(corporation_contracts::table
                        .inner_join(corporations::table)
                        .filter(corporation_contracts::plan_item_id.eq(item))
                        .order(corporation_contracts::id)
                        .select((
                            corporations::id,
                            corporations::name,
                            corporation_contracts::title,
                        ))
                        .load(c)?)
                })
            })
            .await
    }

    /// Records a contract of an organisation; a plan item it carries out must be an adopted
    /// item of the organisation's place.
    pub async fn add_contract(
        &self,
        corporation: i64,
        contract: Contract,
        by: i64,
    ) -> Result<i64, CorporationStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, CorporationStoreError, |c| {
                    let emd: String = corporations::table
                        .find(corporation)
                        .select(corporations::emd_code)
                        .first(c)
                        .optional()?
                        .ok_or(CorporationStoreError::NotFound)?;
                    if let Some(item) = contract.plan_item_id {
                        let n: i64 = autonomy_plan_items::table
                            .inner_join(autonomy_plans::table)
                            .filter(autonomy_plan_items::id.eq(item))
                            .filter(autonomy_plans::emd_code.eq(&emd))
                            .filter(autonomy_plan_items::decision.eq(Decision::Adopted.as_str()))
                            .count()
                            .get_result(c)?;
                        if n == 0 {
                            return Err(CorporationStoreError::PlanItemElsewhere);
                        }
                    }
                    Ok(diesel::insert_into(corporation_contracts::table)
                        .values((
                            corporation_contracts::corporation_id.eq(corporation),
                            corporation_contracts::title.eq(&contract.title),
                            corporation_contracts::kind.eq(contract.kind.as_str()),
                            corporation_contracts::amount.eq(contract.amount),
                            corporation_contracts::starts_on.eq(text(contract.starts_on)),
                            corporation_contracts::ends_on.eq(text(contract.ends_on)),
                            corporation_contracts::plan_item_id.eq(contract.plan_item_id),
                            corporation_contracts::created_by.eq(by),
                            corporation_contracts::created_at.eq(unix_now()),
                        ))
                        .returning(corporation_contracts::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Records a report on a contract; the spending it gives becomes the contract's.
    pub async fn add_report(
        &self,
        contract: i64,
        report: Report,
        by: i64,
    ) -> Result<i64, CorporationStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, CorporationStoreError, |c| {
                    let found: i64 = corporation_contracts::table
                        .filter(corporation_contracts::id.eq(contract))
                        .count()
                        .get_result(c)?;
                    if found == 0 {
                        return Err(CorporationStoreError::NotFound);
                    }
                    if let Some(spent) = report.spent {
                        diesel::update(corporation_contracts::table.find(contract))
                            .set(corporation_contracts::spent.eq(spent))
                            .execute(c)?;
                    }
                    Ok(diesel::insert_into(corporation_reports::table)
                        .values((
                            corporation_reports::contract_id.eq(contract),
                            corporation_reports::body.eq(&report.body),
                            corporation_reports::spent.eq(report.spent),
                            corporation_reports::reported_by.eq(by),
                            corporation_reports::reported_at.eq(unix_now()),
                        ))
                        .returning(corporation_reports::id)
                        .get_result(c)?)
                })
            })
            .await
    }
}
