//! 주민 확인 — residents' accounts tied to their entry in the community centre's roster, so that
//! they vote signed in. The roster reference is kept sealed; the participation key (the blind
//! index voting codes and participation use, so that one resident takes part once across
//! channels) is computed from it only when the resident votes, never stored beside the account.

use diesel::prelude::*;
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionCode;
use time::Date;

use super::assembly::Status as AssemblyStatus;
use crate::db::{db_run, db_write_as};
use crate::schema::{assemblies, grants, resident_verifications, users};
use crate::welfare::{date, text};
use crate::{Store, StoreError};

/// A verified resident as the community centre's list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedResident {
    pub login: String,
    pub name: String,
    pub verified_on: Date,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// No account of that login with a resident's grant for the place.
    #[error("no resident account of that login in the place")]
    NotAResident,
    /// The roster entry is tied to another account already (one account per resident).
    #[error("that roster entry belongs to another account")]
    RefTaken,
    /// The account is tied to another entry and an assembly of the place is voting: moving it
    /// now could let one person vote twice.
    #[error("an assembly of the place is voting")]
    VotingOpen,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for VerifyError {
    fn from(e: diesel::result::Error) -> Self {
        VerifyError::Store(e.into())
    }
}

pub struct Residents<'a>(&'a Store);

impl Store {
    pub fn residents(&self) -> Residents<'_> {
        Residents(self)
    }
}

impl Residents<'_> {
    /// Ties a resident account of the place to a roster entry (again: to another entry).
    pub async fn verify(
        &self,
        emd: &RegionCode,
        login: &str,
        resident_ref: &str,
        by: i64,
        today: Date,
    ) -> Result<(), VerifyError> {
        let key = self.0.data_key()?;
        let account_key = key.blind_index(Sealed::ResidentAccount, resident_ref.trim());
        let sealed = key.seal(Sealed::ResidentRef, resident_ref.trim());
        let (emd, login) = (emd.to_string(), login.trim().to_owned());
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, VerifyError, |c| {
                    let user: i64 = users::table
                        .inner_join(grants::table)
                        .filter(users::login.eq(&login))
                        .filter(grants::role.eq("resident"))
                        .filter(grants::scope_code.eq(&emd))
                        .select(users::id)
                        .first(c)
                        .optional()?
                        .ok_or(VerifyError::NotAResident)?;
                    let holder: Option<i64> = resident_verifications::table
                        .filter(resident_verifications::emd_code.eq(&emd))
                        .filter(resident_verifications::account_key.eq(&account_key))
                        .select(resident_verifications::user_id)
                        .first(c)
                        .optional()?;
                    match holder {
                        Some(h) if h != user => return Err(VerifyError::RefTaken),
                        // The same account and entry: nothing to change.
                        Some(_) => return Ok(()),
                        None => {}
                    }
                    let tied: i64 = resident_verifications::table
                        .find((user, &emd))
                        .count()
                        .get_result(c)?;
                    let voting: i64 = assemblies::table
                        .filter(assemblies::emd_code.eq(&emd))
                        .filter(assemblies::status.eq(AssemblyStatus::Open.as_str()))
                        .count()
                        .get_result(c)?;
                    if tied > 0 && voting > 0 {
                        return Err(VerifyError::VotingOpen);
                    }
                    diesel::delete(resident_verifications::table.find((user, &emd))).execute(c)?;
                    diesel::insert_into(resident_verifications::table)
                        .values((
                            resident_verifications::user_id.eq(user),
                            resident_verifications::emd_code.eq(&emd),
                            resident_verifications::account_key.eq(&account_key),
                            resident_verifications::resident_ref.eq(&sealed),
                            resident_verifications::verified_by.eq(by),
                            resident_verifications::verified_on.eq(text(today)),
                        ))
                        .execute(c)
                        .map_err(|e| match StoreError::from(e) {
                            StoreError::Conflict => VerifyError::RefTaken,
                            other => other.into(),
                        })?;
                    Ok(())
                })
            })
            .await
    }

    /// The participation key of a verified resident of the place (the blind index of their
    /// roster reference that voting codes and participation use), if the account is verified
    /// there.
    pub async fn key_of(&self, user: i64, emd: &str) -> Result<Option<String>, StoreError> {
        let data_key = self.0.data_key()?;
        let emd = emd.to_owned();
        let sealed: Option<Vec<u8>> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(resident_verifications::table
                        .find((user, &emd))
                        .select(resident_verifications::resident_ref)
                        .first(c)
                        .optional()?)
                })
            })
            .await?;
        sealed
            .map(|s| {
                let reference = data_key
                    .open(Sealed::ResidentRef, &s)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(data_key.blind_index(Sealed::ResidentRef, &reference))
            })
            .transpose()
    }

    /// The verified residents of a place, latest first.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<VerifiedResident>, StoreError> {
        let emd = emd.to_string();
        let rows: Vec<(String, String, String)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(resident_verifications::table
                        .inner_join(users::table)
                        .filter(resident_verifications::emd_code.eq(&emd))
                        .order(resident_verifications::verified_on.desc())
                        .limit(200)
                        .select((
                            users::login,
                            users::name,
                            resident_verifications::verified_on,
                        ))
                        .load(c)?)
                })
            })
            .await?;
        rows.into_iter()
            .map(|(login, name, on)| {
                Ok(VerifiedResident {
                    login,
                    name,
                    verified_on: date(&on)?,
                })
            })
            .collect()
    }
}
