//! 공개추첨 — lotteries: rules, applications (names for the officers only), the seed that
//! freezes them once published, and the draw, written once.

use diesel::prelude::*;
use maeul_core::autonomy::lottery::{
    self, Application, Category, Gender, LotteryError, MAX_APPLICANT_HOURS, Outcome, Record, Rules,
};
use maeul_core::education::whole_hours;
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write_as};
use crate::schema::{
    course_attendance, course_enrolments, courses, lotteries, lottery_applications,
};
use crate::{Store, StoreError, unix_now};

/// A lottery as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lottery {
    pub id: i64,
    pub emd_code: String,
    pub title: String,
    pub rules: Rules,
    /// Published seed; from then on the list and rules are fixed.
    pub seed: Option<String>,
    pub seed_published_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub drawn_at: Option<i64>,
    pub created_at: i64,
    pub applications: i64,
}

/// One application with the applicant's name (officers only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub application: Application,
    pub name: String,
    /// The enrolment in the place's autonomy school whose attendance gives the training hours
    /// (then the hours given are replaced when the application is taken).
    pub school_enrolment: Option<i64>,
}

/// Why a command on a lottery is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum LotteryStoreError {
    #[error("no such lottery")]
    NotFound,
    #[error("the seed is published: the applications and rules are fixed")]
    Frozen,
    #[error("the seed must be published before the draw")]
    SeedNeeded,
    #[error("the draw has been made")]
    Drawn,
    #[error("application number {0} is already on the list")]
    NumberTaken(String),
    /// The application at `index` of the batch names an enrolment that is not of the place's
    /// autonomy school.
    #[error("#{enrolment} is not an enrolment of the place's autonomy school")]
    NotSchoolEnrolment { index: usize, enrolment: i64 },
    /// The application at `index` names an enrolment another application of the lottery names.
    #[error("an application of the lottery names #{enrolment} already")]
    EnrolmentTaken { index: usize, enrolment: i64 },
    /// The application at `index` names an enrolment of someone else (a mistyped number).
    #[error("#{enrolment} is the enrolment of another name")]
    SchoolNameDiffers { index: usize, enrolment: i64 },
    #[error(transparent)]
    Invalid(#[from] LotteryError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for LotteryStoreError {
    fn from(e: diesel::result::Error) -> Self {
        LotteryStoreError::Store(e.into())
    }
}

pub struct Lotteries<'a>(&'a Store);

impl Store {
    pub fn lotteries(&self) -> Lotteries<'_> {
        Lotteries(self)
    }
}

type LotteryRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
);

macro_rules! lottery_columns {
    () => {
        (
            lotteries::id,
            lotteries::emd_code,
            lotteries::title,
            lotteries::rules,
            lotteries::seed,
            lotteries::seed_published_at,
            lotteries::outcome,
            lotteries::drawn_at,
            lotteries::created_at,
        )
    };
}

fn json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn lottery_of(r: LotteryRow, applications: i64) -> Result<Lottery, StoreError> {
    Ok(Lottery {
        id: r.0,
        emd_code: r.1,
        title: r.2,
        rules: json("lottery rules", &r.3)?,
        seed: r.4,
        seed_published_at: r.5,
        outcome: r
            .6
            .as_deref()
            .map(|o| json("lottery outcome", o))
            .transpose()?,
        drawn_at: r.7,
        created_at: r.8,
        applications,
    })
}

type ApplicantRow = (String, String, String, String, i64, Option<i64>);

fn applicant_of(r: ApplicantRow) -> Result<Applicant, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("application {what}"));
    Ok(Applicant {
        application: Application {
            number: r.0,
            category: Category::parse(&r.2).ok_or_else(|| corrupt("category"))?,
            gender: Gender::parse(&r.3).ok_or_else(|| corrupt("gender"))?,
            training_hours: u32::try_from(r.4).map_err(|_| corrupt("hours"))?,
        },
        name: r.1,
        school_enrolment: r.5,
    })
}

/// Loads the applications of a lottery in number order.
macro_rules! applicants_of {
    ($c:expr, $id:expr) => {
        lottery_applications::table
            .filter(lottery_applications::lottery_id.eq($id))
            .order(lottery_applications::number)
            .select((
                lottery_applications::number,
                lottery_applications::name,
                lottery_applications::category,
                lottery_applications::gender,
                lottery_applications::training_hours,
                lottery_applications::school_enrolment_id,
            ))
            .load::<ApplicantRow>($c)
    };
}

/// The whole hours an enrolment's attendance records, at most what an application may state.
macro_rules! enrolment_hours {
    ($c:expr, $enrolment:expr) => {{
        let minutes: Vec<i32> = course_attendance::table
            .filter(course_attendance::enrolment_id.eq($enrolment))
            .select(course_attendance::minutes)
            .load($c)?;
        let minutes = u32::try_from(minutes.iter().sum::<i32>()).unwrap_or(0);
        whole_hours(minutes).min(MAX_APPLICANT_HOURS)
    }};
}

/// A name as compared with the one on a roster: without spaces (김 민수 is 김민수).
fn compact(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Fills the training hours of the applications that name an autonomy-school enrolment from
/// its attendance: the enrolment must be of an autonomy school of the lottery's place, under
/// the applicant's name, and no other application of the lottery may name it. Inside the
/// transaction that takes them (a refusal returns from it).
macro_rules! school_hours {
    ($c:expr, $id:expr, $list:expr) => {{
        let c = &mut *$c;
        let emd: String = lotteries::table
            .find($id)
            .select(lotteries::emd_code)
            .first(c)?;
        let mut named: Vec<i64> = lottery_applications::table
            .filter(lottery_applications::lottery_id.eq($id))
            .filter(lottery_applications::school_enrolment_id.is_not_null())
            .select(lottery_applications::school_enrolment_id.assume_not_null())
            .load(c)?;
        for (index, a) in $list.iter_mut().enumerate() {
            let Some(enrolment) = a.school_enrolment else {
                continue;
            };
            if named.contains(&enrolment) {
                return Err(LotteryStoreError::EnrolmentTaken { index, enrolment });
            }
            named.push(enrolment);
            let enrolled: Option<String> = course_enrolments::table
                .inner_join(courses::table)
                .filter(course_enrolments::id.eq(enrolment))
                .filter(courses::autonomy_school.eq(true))
                .filter(courses::region_code.eq(&emd))
                .select(course_enrolments::name)
                .first(c)
                .optional()?;
            let Some(enrolled) = enrolled else {
                return Err(LotteryStoreError::NotSchoolEnrolment { index, enrolment });
            };
            if compact(&enrolled) != compact(&a.name) {
                return Err(LotteryStoreError::SchoolNameDiffers { index, enrolment });
            }
            a.application.training_hours = enrolment_hours!(c, enrolment);
        }
    }};
}

impl Lotteries<'_> {
    pub async fn create(
        &self,
        emd: &RegionCode,
        title: String,
        rules: Rules,
        by: i64,
    ) -> Result<i64, StoreError> {
        let emd = emd.to_string();
        let rules = serde_json::to_string(&rules).expect("rules serialise");
        self.0
            .run(move |conn| {
                db_write_as!(conn, StoreError, |c| {
                    Ok(diesel::insert_into(lotteries::table)
                        .values((
                            lotteries::emd_code.eq(&emd),
                            lotteries::title.eq(&title),
                            lotteries::rules.eq(&rules),
                            lotteries::created_by.eq(by),
                            lotteries::created_at.eq(unix_now()),
                        ))
                        .returning(lotteries::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<Lottery>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let row: Option<LotteryRow> = lotteries::table
                        .find(id)
                        .select(lottery_columns!())
                        .first(c)
                        .optional()?;
                    let Some(row) = row else { return Ok(None) };
                    let n: i64 = lottery_applications::table
                        .filter(lottery_applications::lottery_id.eq(id))
                        .count()
                        .get_result(c)?;
                    lottery_of(row, n).map(Some)
                })
            })
            .await
    }

    /// The lotteries of a place, newest first.
    pub async fn of_place(&self, emd: &RegionCode) -> Result<Vec<Lottery>, StoreError> {
        let emd = emd.to_string();
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<LotteryRow> = lotteries::table
                        .filter(lotteries::emd_code.eq(&emd))
                        .order(lotteries::id.desc())
                        .select(lottery_columns!())
                        .load(c)?;
                    rows.into_iter()
                        .map(|r| {
                            let n: i64 = lottery_applications::table
                                .filter(lottery_applications::lottery_id.eq(r.0))
                                .count()
                                .get_result(c)?;
                            lottery_of(r, n)
                        })
                        .collect()
                })
            })
            .await
    }

    /// The applications with names, in number order (for the council's officers).
    pub async fn applicants(&self, id: i64) -> Result<Vec<Applicant>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    applicants_of!(c, id)?
                        .into_iter()
                        .map(applicant_of)
                        .collect()
                })
            })
            .await
    }

    /// Adds applications, all or none, while the seed is unpublished. A number already
    /// taken is refused as a duplicate.
    pub async fn apply(&self, id: i64, list: Vec<Applicant>) -> Result<(), LotteryStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LotteryStoreError, |c| {
                    // A no-op update on an unseeded lottery locks its row, so that publishing
                    // the seed waits for this batch (or this batch sees the seed).
                    let open = diesel::update(
                        lotteries::table
                            .filter(lotteries::id.eq(id))
                            .filter(lotteries::seed.is_null()),
                    )
                    .set(lotteries::title.eq(lotteries::title))
                    .execute(c)?;
                    if open == 0 {
                        let exists: i64 = lotteries::table
                            .filter(lotteries::id.eq(id))
                            .count()
                            .get_result(c)?;
                        return Err(if exists == 0 {
                            LotteryStoreError::NotFound
                        } else {
                            LotteryStoreError::Frozen
                        });
                    }
                    let mut list = list;
                    school_hours!(c, id, &mut list);
                    let batch: Vec<Application> =
                        list.iter().map(|a| a.application.clone()).collect();
                    lottery::check_applications(&batch)?;
                    let mut all: Vec<Application> = applicants_of!(c, id)?
                        .into_iter()
                        .map(|r| applicant_of(r).map(|a| a.application))
                        .collect::<Result<_, _>>()?;
                    all.extend(batch);
                    // The batch holds together; what clashes now is the list already taken.
                    match lottery::check_applications(&all) {
                        Err(LotteryError::Duplicate { number }) => {
                            return Err(LotteryStoreError::NumberTaken(number));
                        }
                        other => other?,
                    }
                    for a in &list {
                        diesel::insert_into(lottery_applications::table)
                            .values((
                                lottery_applications::lottery_id.eq(id),
                                lottery_applications::number.eq(&a.application.number),
                                lottery_applications::name.eq(&a.name),
                                lottery_applications::category.eq(a.application.category.as_str()),
                                lottery_applications::gender.eq(a.application.gender.as_str()),
                                lottery_applications::training_hours
                                    .eq(i64::from(a.application.training_hours)),
                                lottery_applications::school_enrolment_id.eq(a.school_enrolment),
                            ))
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Publishes the seed, once: from then on the applications are fixed. The hours of those
    /// taken from the autonomy school are read again now, so that sessions recorded after an
    /// application was given count.
    pub async fn publish_seed(&self, id: i64, seed: String) -> Result<(), LotteryStoreError> {
        let seed = lottery::seed(&seed)?;
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LotteryStoreError, |c| {
                    let changed = diesel::update(
                        lotteries::table
                            .filter(lotteries::id.eq(id))
                            .filter(lotteries::seed.is_null()),
                    )
                    .set((
                        lotteries::seed.eq(&seed),
                        lotteries::seed_published_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        let exists: i64 = lotteries::table
                            .filter(lotteries::id.eq(id))
                            .count()
                            .get_result(c)?;
                        return Err(if exists == 0 {
                            LotteryStoreError::NotFound
                        } else {
                            LotteryStoreError::Frozen
                        });
                    }
                    let from_school: Vec<(String, i64)> = lottery_applications::table
                        .filter(lottery_applications::lottery_id.eq(id))
                        .filter(lottery_applications::school_enrolment_id.is_not_null())
                        .select((
                            lottery_applications::number,
                            lottery_applications::school_enrolment_id.assume_not_null(),
                        ))
                        .load(c)?;
                    for (number, enrolment) in from_school {
                        let hours = enrolment_hours!(c, enrolment);
                        diesel::update(
                            lottery_applications::table
                                .filter(lottery_applications::lottery_id.eq(id))
                                .filter(lottery_applications::number.eq(&number)),
                        )
                        .set(lottery_applications::training_hours.eq(i64::from(hours)))
                        .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Makes the draw, once, from the published seed and the fixed list.
    pub async fn draw(&self, id: i64) -> Result<Outcome, LotteryStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LotteryStoreError, |c| {
                    let row: Option<LotteryRow> = lotteries::table
                        .find(id)
                        .select(lottery_columns!())
                        .first(c)
                        .optional()?;
                    let lottery = lottery_of(row.ok_or(LotteryStoreError::NotFound)?, 0)?;
                    if lottery.outcome.is_some() {
                        return Err(LotteryStoreError::Drawn);
                    }
                    let seed = lottery.seed.ok_or(LotteryStoreError::SeedNeeded)?;
                    let list: Vec<Application> = applicants_of!(c, id)?
                        .into_iter()
                        .map(|r| applicant_of(r).map(|a| a.application))
                        .collect::<Result<_, _>>()?;
                    let outcome = lottery::draw(&lottery.rules, &list, &seed);
                    let changed = diesel::update(
                        lotteries::table
                            .filter(lotteries::id.eq(id))
                            .filter(lotteries::outcome.is_null()),
                    )
                    .set((
                        lotteries::outcome
                            .eq(serde_json::to_string(&outcome).expect("outcome serialises")),
                        lotteries::drawn_at.eq(unix_now()),
                    ))
                    .execute(c)?;
                    if changed == 0 {
                        return Err(LotteryStoreError::Drawn);
                    }
                    Ok(outcome)
                })
            })
            .await
    }

    /// The public record of a drawn lottery: enough to re-run it, no names.
    pub async fn record(&self, id: i64) -> Result<Option<Record>, StoreError> {
        let Some(lottery) = self.get(id).await? else {
            return Ok(None);
        };
        let (Some(seed), Some(outcome)) = (lottery.seed, lottery.outcome) else {
            return Ok(None);
        };
        let applications = self
            .applicants(id)
            .await?
            .into_iter()
            .map(|a| a.application)
            .collect();
        Ok(Some(Record {
            rules: lottery.rules,
            seed,
            applications,
            outcome,
        }))
    }
}
