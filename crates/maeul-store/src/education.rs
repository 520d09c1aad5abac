//! 교육 — courses, their sessions, enrolments and attendance. Attendance of a course is written
//! in one transaction, all of it or none.

use std::collections::BTreeMap;

use diesel::prelude::*;
use maeul_core::education::{Audience, Course, Session};
use maeul_core::region::RegionCode;

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{course_attendance, course_enrolments, course_sessions, courses, regions};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now, within_pattern};

/// A course with where it is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCourse {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub course: Course,
}

/// A course in a list, with how far it has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSummary {
    pub stored: StoredCourse,
    pub sessions: i64,
    pub enrolled: i64,
    pub completed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: i64,
    pub session: Session,
}

/// One person on a course's roster and what they attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolee {
    pub id: i64,
    pub name: String,
    /// 소속: the council, the team or the organisation (empty when not given).
    pub affiliation: String,
    /// Minutes attended, by session id.
    pub attended: BTreeMap<i64, u32>,
}

impl Enrolee {
    pub fn total(&self) -> u32 {
        self.attended.values().sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EducationStoreError {
    /// An enrolment or a session of another course (or none).
    #[error("not of this course")]
    NotOfCourse { field: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for EducationStoreError {
    fn from(e: diesel::result::Error) -> Self {
        EducationStoreError::Store(e.into())
    }
}

pub struct Courses<'a>(&'a Store);

impl Store {
    pub fn courses(&self) -> Courses<'_> {
        Courses(self)
    }
}

type CourseRow = (i64, String, String, String, String, bool, i32, String);

macro_rules! course_columns {
    () => {
        (
            courses::id,
            courses::region_code,
            regions::full_name,
            courses::title,
            courses::audience,
            courses::autonomy_school,
            courses::required_minutes,
            courses::description,
        )
    };
}

fn course_of(r: CourseRow) -> Result<StoredCourse, StoreError> {
    let (id, region_code, region_name, title, audience, autonomy_school, required, description) = r;
    Ok(StoredCourse {
        id,
        region_code,
        region_name,
        course: Course {
            title,
            audience: Audience::parse(&audience)
                .ok_or_else(|| StoreError::Corrupt(format!("course audience {audience:?}")))?,
            autonomy_school,
            required_minutes: u32::try_from(required)
                .map_err(|_| StoreError::Corrupt("course minutes".into()))?,
            description,
        },
    })
}

fn minutes(m: i32) -> Result<u32, StoreError> {
    u32::try_from(m).map_err(|_| StoreError::Corrupt("minutes".into()))
}

impl Courses<'_> {
    pub async fn create(&self, region: &RegionCode, c: Course, by: i64) -> Result<i64, StoreError> {
        let region = region.to_string();
        self.0
            .run(move |conn| {
                db_write!(conn, |c2| {
                    Ok(diesel::insert_into(courses::table)
                        .values((
                            courses::region_code.eq(&region),
                            courses::title.eq(&c.title),
                            courses::audience.eq(c.audience.as_str()),
                            courses::autonomy_school.eq(c.autonomy_school),
                            courses::required_minutes.eq(c.required_minutes as i32),
                            courses::description.eq(&c.description),
                            courses::created_by.eq(by),
                            courses::created_at.eq(unix_now()),
                        ))
                        .returning(courses::id)
                        .get_result(c2)?)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<StoredCourse>, StoreError> {
        let row: Option<CourseRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(courses::table
                    .inner_join(regions::table)
                    .filter(courses::id.eq(id))
                    .select(course_columns!())
                    .first(c)
                    .optional()?))
            })
            .await?;
        row.map(course_of).transpose()
    }

    /// The courses run by a region or any region within it, newest first, with their counts;
    /// and how many there are.
    pub async fn within(
        &self,
        region: &RegionCode,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<CourseSummary>, i64), StoreError> {
        let pattern = within_pattern(region);
        let (rows, counts, total) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let query = || {
                        courses::table
                            .inner_join(regions::table)
                            .filter(regions::path.like(pattern.clone()))
                    };
                    let total: i64 = query().count().get_result(c)?;
                    let rows: Vec<CourseRow> = query()
                        .order(courses::id.desc())
                        .offset(offset)
                        .limit(limit)
                        .select(course_columns!())
                        .load(c)?;
                    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let sessions: Vec<(i64, i64)> = course_sessions::table
                        .filter(course_sessions::course_id.eq_any(&ids))
                        .group_by(course_sessions::course_id)
                        .select((course_sessions::course_id, diesel::dsl::count_star()))
                        .load(c)?;
                    let enrolled: Vec<(i64, bool)> = course_enrolments::table
                        .filter(course_enrolments::course_id.eq_any(&ids))
                        .select((course_enrolments::course_id, course_enrolments::completed))
                        .load(c)?;
                    Ok((rows, (sessions, enrolled), total))
                })
            })
            .await?;
        let (sessions, enrolled) = counts;
        let list = rows
            .into_iter()
            .map(|r| {
                let stored = course_of(r)?;
                let id = stored.id;
                let mine = enrolled.iter().filter(|e| e.0 == id);
                Ok(CourseSummary {
                    sessions: sessions.iter().find(|s| s.0 == id).map_or(0, |s| s.1),
                    enrolled: mine.clone().count() as i64,
                    completed: mine.filter(|e| e.1).count() as i64,
                    stored,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((list, total))
    }

    pub async fn add_session(&self, course: i64, s: Session) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    Ok(diesel::insert_into(course_sessions::table)
                        .values((
                            course_sessions::course_id.eq(course),
                            course_sessions::title.eq(&s.title),
                            course_sessions::held_on.eq(text(s.held_on)),
                            course_sessions::minutes.eq(s.minutes as i32),
                        ))
                        .returning(course_sessions::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// A course's sessions, by day.
    pub async fn sessions(&self, course: i64) -> Result<Vec<StoredSession>, StoreError> {
        let rows: Vec<(i64, String, String, i32)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(course_sessions::table
                    .filter(course_sessions::course_id.eq(course))
                    .order((course_sessions::held_on, course_sessions::id))
                    .select((
                        course_sessions::id,
                        course_sessions::title,
                        course_sessions::held_on,
                        course_sessions::minutes,
                    ))
                    .load(c)?))
            })
            .await?;
        rows.into_iter()
            .map(|(id, title, held_on, m)| {
                Ok(StoredSession {
                    id,
                    session: Session {
                        title,
                        held_on: date(&held_on)?,
                        minutes: minutes(m)?,
                    },
                })
            })
            .collect()
    }

    pub async fn enrol(
        &self,
        course: i64,
        name: String,
        affiliation: String,
        by: i64,
    ) -> Result<i64, StoreError> {
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let region: String = courses::table
                        .find(course)
                        .select(courses::region_code)
                        .first(c)?;
                    Ok(diesel::insert_into(course_enrolments::table)
                        .values((
                            course_enrolments::course_id.eq(course),
                            course_enrolments::region_code.eq(&region),
                            course_enrolments::name.eq(&name),
                            course_enrolments::affiliation.eq(&affiliation),
                            course_enrolments::enrolled_by.eq(by),
                            course_enrolments::enrolled_at.eq(unix_now()),
                        ))
                        .returning(course_enrolments::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// Who enrolled, in the order they did, with what each attended.
    pub async fn roster(&self, course: i64) -> Result<Vec<Enrolee>, StoreError> {
        // (enrolment, name, affiliation) and (enrolment, session, minutes).
        type Person = (i64, String, String);
        type Mark = (i64, i64, i32);
        let (people, attended): (Vec<Person>, Vec<Mark>) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let people = course_enrolments::table
                        .filter(course_enrolments::course_id.eq(course))
                        .order(course_enrolments::id)
                        .select((
                            course_enrolments::id,
                            course_enrolments::name,
                            course_enrolments::affiliation,
                        ))
                        .load(c)?;
                    let attended = course_attendance::table
                        .inner_join(course_enrolments::table)
                        .filter(course_enrolments::course_id.eq(course))
                        .select((
                            course_attendance::enrolment_id,
                            course_attendance::session_id,
                            course_attendance::minutes,
                        ))
                        .load(c)?;
                    Ok((people, attended))
                })
            })
            .await?;
        let mut roster: Vec<Enrolee> = people
            .into_iter()
            .map(|(id, name, affiliation)| Enrolee {
                id,
                name,
                affiliation,
                attended: BTreeMap::new(),
            })
            .collect();
        for (enrolment, session, m) in attended {
            if let Some(e) = roster.iter_mut().find(|e| e.id == enrolment) {
                e.attended.insert(session, minutes(m)?);
            }
        }
        Ok(roster)
    }

    /// Records attendance of a course: each (enrolment, session, minutes) replaces what was
    /// recorded for that pair, 0 removing it. Every enrolment and session must be the course's.
    pub async fn record_attendance(
        &self,
        course: i64,
        marks: Vec<(i64, i64, u32)>,
    ) -> Result<(), EducationStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, EducationStoreError, |c| {
                    let enrolments: Vec<i64> = course_enrolments::table
                        .filter(course_enrolments::course_id.eq(course))
                        .select(course_enrolments::id)
                        .load(c)?;
                    let sessions: Vec<i64> = course_sessions::table
                        .filter(course_sessions::course_id.eq(course))
                        .select(course_sessions::id)
                        .load(c)?;
                    // In key order, so that two writers lock rows in the same order.
                    let mut marks = marks;
                    marks.sort_unstable();
                    for (enrolment, session, m) in &marks {
                        if !enrolments.contains(enrolment) {
                            return Err(EducationStoreError::NotOfCourse {
                                field: "enrolment_id",
                            });
                        }
                        if !sessions.contains(session) {
                            return Err(EducationStoreError::NotOfCourse {
                                field: "session_id",
                            });
                        }
                        if *m == 0 {
                            let pair = course_attendance::table
                                .filter(course_attendance::enrolment_id.eq(enrolment))
                                .filter(course_attendance::session_id.eq(session));
                            diesel::delete(pair).execute(c)?;
                        } else {
                            // An upsert: two saves of one box at once both land, the later wins.
                            diesel::insert_into(course_attendance::table)
                                .values((
                                    course_attendance::enrolment_id.eq(enrolment),
                                    course_attendance::session_id.eq(session),
                                    course_attendance::minutes.eq(*m as i32),
                                ))
                                .on_conflict((
                                    course_attendance::enrolment_id,
                                    course_attendance::session_id,
                                ))
                                .do_update()
                                .set(course_attendance::minutes.eq(*m as i32))
                                .execute(c)?;
                        }
                    }
                    // Completion, for the dashboards: written only where it moved.
                    let required: i32 = courses::table
                        .find(course)
                        .select(courses::required_minutes)
                        .first(c)?;
                    let mut touched: Vec<i64> = marks.iter().map(|m| m.0).collect();
                    touched.sort_unstable();
                    touched.dedup();
                    for enrolment in touched {
                        let total: i64 = course_attendance::table
                            .filter(course_attendance::enrolment_id.eq(enrolment))
                            .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                                "CAST(COALESCE(SUM(minutes), 0) AS BIGINT)",
                            ))
                            .first(c)?;
                        let completed = total >= i64::from(required);
                        diesel::update(
                            course_enrolments::table
                                .find(enrolment)
                                .filter(course_enrolments::completed.ne(completed)),
                        )
                        .set(course_enrolments::completed.eq(completed))
                        .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await
    }
}
