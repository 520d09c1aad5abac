//! 참여 확인서 — certificates of taking part in an assembly or a council meeting, and 교육 이수증,
//! of completing a course. An assembly's is issued only to a resident with a participation
//! record (found by the roster reference, or by the voting code they used), a course's only to
//! an enrolment whose attendance reaches the course's hours; asking again gives the same
//! certificate. Nothing here reads or writes ballots.

use diesel::prelude::*;
use maeul_core::autonomy::assembly::VotingCode;
use maeul_core::autonomy::certificate::{CertificateCode, Kind};
use maeul_core::crypto::Sealed;
use maeul_core::region::RegionCode;
use time::Date;

use crate::db::{db_run, db_write, db_write_as};
use crate::schema::{
    assembly_participations, council_meetings, course_attendance, course_certificates,
    course_enrolments, course_sessions, courses, participation_certificates, regions, voting_codes,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError};

/// What a certificate is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: Kind,
    pub emd_code: RegionCode,
    /// The place's full name on the day of issue.
    pub place_name: String,
    /// The assembly or the council meeting.
    pub id: i64,
    pub title: String,
    pub on: Date,
    /// The last day of an assembly's voting.
    pub until: Option<Date>,
}

/// Who asks for an assembly's certificate.
#[derive(Debug, Clone)]
pub enum Participant {
    /// Staff of the community centre, by the roster reference.
    Roster(String),
    /// The resident, by the voting code they used.
    Code(VotingCode),
}

/// A certificate as stored, with the holder's name opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub code: String,
    pub kind: Kind,
    /// The place of an assembly or a meeting; the region that runs a course.
    pub region_code: String,
    /// The region's full name on the day of issue.
    pub place_name: String,
    /// The assembly, the council meeting or the course.
    pub event_id: i64,
    pub holder: String,
    pub event_title: String,
    /// The day of the meeting, the first of the assembly's voting, the first attended of a course.
    pub event_on: Date,
    /// The last day of the assembly's voting, the last attended of a course.
    pub event_until: Option<Date>,
    pub issued_on: Date,
    /// What a course's certificate adds.
    pub completion: Option<Completion>,
}

/// The holder's affiliation and the minutes attended, on a course's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub enrolment_id: i64,
    pub affiliation: String,
    pub minutes: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum CertificateStoreError {
    /// No participation record for that resident (or no such code) in the assembly.
    #[error("no record of taking part")]
    NotParticipant,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for CertificateStoreError {
    fn from(e: diesel::result::Error) -> Self {
        CertificateStoreError::Store(e.into())
    }
}

/// Inserts a certificate unless its holder has one for the event already (then nothing: the
/// unique index on the event and the holder's key decides, also between two requests at once).
macro_rules! insert_certificate {
    ($c:expr, $event:expr, $holder:expr, $sealed:expr, $today:expr, $by:expr) => {{
        // An event is an assembly or a meeting: a course's certificates come from `for_course`.
        let e: &Event = $event;
        let (assembly, meeting) = match e.kind {
            Kind::Assembly => (Some(e.id), None),
            Kind::CouncilMeeting => (None, Some(e.id)),
            Kind::CourseCompletion => unreachable!("a course's certificates come from for_course"),
        };
        let insert = diesel::insert_into(participation_certificates::table).values((
            participation_certificates::code.eq(CertificateCode::generate().display()),
            participation_certificates::kind.eq(e.kind.as_str()),
            participation_certificates::emd_code.eq(e.emd_code.to_string()),
            participation_certificates::place_name.eq(&e.place_name),
            participation_certificates::assembly_id.eq(assembly),
            participation_certificates::meeting_id.eq(meeting),
            participation_certificates::holder_key.eq($holder),
            participation_certificates::holder_name.eq($sealed),
            participation_certificates::event_title.eq(&e.title),
            participation_certificates::event_on.eq(text(e.on)),
            participation_certificates::event_until.eq(e.until.map(text)),
            participation_certificates::issued_on.eq(text($today)),
            participation_certificates::issued_by.eq($by),
        ));
        // Only the holder's own certificate counts as a conflict: a clash of codes is an error.
        match e.kind {
            Kind::Assembly => insert
                .on_conflict((
                    participation_certificates::assembly_id,
                    participation_certificates::holder_key,
                ))
                .do_nothing()
                .execute($c),
            Kind::CouncilMeeting | Kind::CourseCompletion => insert
                .on_conflict((
                    participation_certificates::meeting_id,
                    participation_certificates::holder_key,
                ))
                .do_nothing()
                .execute($c),
        }
    }};
}

pub struct Certificates<'a>(&'a Store);

impl Store {
    pub fn certificates(&self) -> Certificates<'_> {
        Certificates(self)
    }
}

type Row = (
    String,
    String,
    (String, String),
    (Option<i64>, Option<i64>),
    Vec<u8>,
    String,
    String,
    Option<String>,
    String,
);

macro_rules! certificate_columns {
    () => {
        (
            participation_certificates::code,
            participation_certificates::kind,
            (
                participation_certificates::emd_code,
                participation_certificates::place_name,
            ),
            (
                participation_certificates::assembly_id,
                participation_certificates::meeting_id,
            ),
            participation_certificates::holder_name,
            participation_certificates::event_title,
            participation_certificates::event_on,
            participation_certificates::event_until,
            participation_certificates::issued_on,
        )
    };
}

/// (code, (course, enrolment), (region, its name), sealed name, affiliation, title, (first,
/// last day), minutes, issued).
type CourseRow = (
    String,
    (i64, i64),
    (String, String),
    Vec<u8>,
    String,
    String,
    (String, String),
    i32,
    String,
);

macro_rules! course_certificate_columns {
    () => {
        (
            course_certificates::code,
            (
                course_certificates::course_id,
                course_certificates::enrolment_id,
            ),
            (
                course_certificates::region_code,
                course_certificates::region_name,
            ),
            course_certificates::holder_name,
            course_certificates::affiliation,
            course_certificates::course_title,
            (course_certificates::first_on, course_certificates::last_on),
            course_certificates::minutes,
            course_certificates::issued_on,
        )
    };
}

impl Certificates<'_> {
    fn certificate_of(&self, r: Row) -> Result<Certificate, StoreError> {
        let key = self.0.data_key()?;
        let (
            code,
            kind,
            (emd_code, place_name),
            (assembly, meeting),
            name,
            title,
            on,
            until,
            issued,
        ) = r;
        let kind = Kind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("certificate kind {kind:?}")))?;
        let event_id = match kind {
            Kind::Assembly => assembly,
            Kind::CouncilMeeting => meeting,
            Kind::CourseCompletion => None,
        }
        .ok_or_else(|| StoreError::Corrupt("certificate without its event".into()))?;
        Ok(Certificate {
            code,
            kind,
            region_code: emd_code,
            place_name,
            event_id,
            holder: key
                .open(Sealed::PersonName, &name)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            event_title: title,
            event_on: date(&on)?,
            event_until: until.as_deref().map(date).transpose()?,
            issued_on: date(&issued)?,
            completion: None,
        })
    }

    fn course_certificate_of(&self, r: CourseRow) -> Result<Certificate, StoreError> {
        let key = self.0.data_key()?;
        let (
            code,
            (course, enrolment_id),
            (region_code, region_name),
            name,
            affiliation,
            title,
            days,
            m,
            issued,
        ) = r;
        Ok(Certificate {
            code,
            kind: Kind::CourseCompletion,
            region_code,
            place_name: region_name,
            event_id: course,
            holder: key
                .open(Sealed::PersonName, &name)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            event_title: title,
            event_on: date(&days.0)?,
            event_until: Some(date(&days.1)?),
            issued_on: date(&issued)?,
            completion: Some(Completion {
                enrolment_id,
                affiliation,
                minutes: u32::try_from(m)
                    .map_err(|_| StoreError::Corrupt("certificate minutes".into()))?,
            }),
        })
    }

    /// What a council meeting's certificate is for: the meeting's title, day and place.
    pub async fn meeting_event(&self, meeting: i64) -> Result<Option<Event>, StoreError> {
        let row: Option<(String, String, String, String)> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let found: Option<(String, String, String)> = council_meetings::table
                        .find(meeting)
                        .select((
                            council_meetings::emd_code,
                            council_meetings::title,
                            council_meetings::held_on,
                        ))
                        .first(c)
                        .optional()?;
                    let Some((emd, title, held_on)) = found else {
                        return Ok(None);
                    };
                    let place: String = regions::table
                        .find(&emd)
                        .select(regions::full_name)
                        .first(c)?;
                    Ok(Some((emd, place, title, held_on)))
                })
            })
            .await?;
        row.map(|(emd, place_name, title, held_on)| {
            Ok(Event {
                kind: Kind::CouncilMeeting,
                emd_code: RegionCode::parse(&emd)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                place_name,
                id: meeting,
                title,
                on: date(&held_on)?,
                until: None,
            })
        })
        .transpose()
    }

    /// The certificate of a verification code, of whatever kind.
    pub async fn get(&self, code: &CertificateCode) -> Result<Option<Certificate>, StoreError> {
        let code = code.display();
        let (participation, course): (Option<Row>, Option<CourseRow>) = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let participation = participation_certificates::table
                        .filter(participation_certificates::code.eq(&code))
                        .select(certificate_columns!())
                        .first(c)
                        .optional()?;
                    if participation.is_some() {
                        return Ok((participation, None));
                    }
                    let course = course_certificates::table
                        .filter(course_certificates::code.eq(&code))
                        .select(course_certificate_columns!())
                        .first(c)
                        .optional()?;
                    Ok((None, course))
                })
            })
            .await?;
        match (participation, course) {
            (Some(r), _) => self.certificate_of(r).map(Some),
            (None, Some(r)) => self.course_certificate_of(r).map(Some),
            (None, None) => Ok(None),
        }
    }

    /// The certificates issued for a course, in the order of its roster.
    pub async fn of_course(&self, course: i64) -> Result<Vec<Certificate>, StoreError> {
        let rows: Vec<CourseRow> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| Ok(course_certificates::table
                    .filter(course_certificates::course_id.eq(course))
                    .order(course_certificates::enrolment_id)
                    .select(course_certificate_columns!())
                    .load(c)?))
            })
            .await?;
        rows.into_iter()
            .map(|r| self.course_certificate_of(r))
            .collect()
    }

    /// Issues the certificate of every enrolment of a course whose attended minutes reach its
    /// hours and that has none yet, saying what the attendance says now; then all the course's
    /// certificates. The minutes are summed here, in one statement per person, rather than
    /// taken from the enrolment's `completed` flag: on PostgreSQL attendance committed between
    /// two statements could otherwise certify someone below the hours.
    pub async fn for_course(
        &self,
        course: i64,
        today: Date,
        by: i64,
    ) -> Result<Vec<Certificate>, StoreError> {
        let key = self.0.data_key()?;
        // (enrolment, name, affiliation) of those without a certificate.
        type Due = (i64, String, String);
        self.0
            .run(move |conn| {
                db_write!(conn, |c| {
                    let (title, region_code, region_name, required): (String, String, String, i32) =
                        courses::table
                            .inner_join(regions::table)
                            .filter(courses::id.eq(course))
                            .select((
                                courses::title,
                                courses::region_code,
                                regions::full_name,
                                courses::required_minutes,
                            ))
                            .first(c)?;
                    let due: Vec<Due> = course_enrolments::table
                        .left_join(course_certificates::table)
                        .filter(course_enrolments::course_id.eq(course))
                        .filter(course_certificates::code.is_null())
                        .order(course_enrolments::id)
                        .select((
                            course_enrolments::id,
                            course_enrolments::name,
                            course_enrolments::affiliation,
                        ))
                        .load(c)?;
                    for (enrolment, name, affiliation) in due {
                        let attended: Vec<(String, i32)> = course_attendance::table
                            .inner_join(course_sessions::table)
                            .filter(course_attendance::enrolment_id.eq(enrolment))
                            .select((course_sessions::held_on, course_attendance::minutes))
                            .load(c)?;
                        let (Some(first), Some(last)) = (
                            attended.iter().map(|a| &a.0).min(),
                            attended.iter().map(|a| &a.0).max(),
                        ) else {
                            continue;
                        };
                        let minutes: i32 = attended.iter().map(|a| a.1).sum();
                        if minutes < required {
                            continue;
                        }
                        diesel::insert_into(course_certificates::table)
                            .values((
                                course_certificates::code.eq(CertificateCode::generate().display()),
                                course_certificates::enrolment_id.eq(enrolment),
                                course_certificates::course_id.eq(course),
                                course_certificates::region_code.eq(&region_code),
                                course_certificates::region_name.eq(&region_name),
                                course_certificates::holder_name
                                    .eq(key.seal(Sealed::PersonName, &name)),
                                course_certificates::affiliation.eq(&affiliation),
                                course_certificates::course_title.eq(&title),
                                course_certificates::first_on.eq(first),
                                course_certificates::last_on.eq(last),
                                course_certificates::minutes.eq(minutes),
                                course_certificates::issued_on.eq(text(today)),
                                course_certificates::issued_by.eq(by),
                            ))
                            // Another clerk's issue of the same enrolment at once: theirs stands.
                            .on_conflict(course_certificates::enrolment_id)
                            .do_nothing()
                            .execute(c)?;
                    }
                    Ok(())
                })
            })
            .await?;
        self.of_course(course).await
    }

    /// The certificate of a resident who took part in an assembly: the one issued before, or a
    /// new one under `name`.
    pub async fn for_assembly(
        &self,
        event: Event,
        who: Participant,
        name: String,
        today: Date,
        by: Option<i64>,
    ) -> Result<Certificate, CertificateStoreError> {
        let key = self.0.data_key()?;
        let assembly = event.id;
        let (roster_key, digest) = match &who {
            Participant::Roster(r) => (Some(key.blind_index(Sealed::ResidentRef, r.trim())), None),
            Participant::Code(c) => (None, Some(c.digest())),
        };
        // Whether the resident took part is read first, so that a request without a record
        // never takes the write lock that voting needs.
        let holder: Option<String> = self
            .0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let holder = match roster_key {
                        Some(k) => Some(k),
                        None => voting_codes::table
                            .filter(voting_codes::assembly_id.eq(assembly))
                            .filter(voting_codes::code_digest.eq(digest.unwrap_or_default()))
                            .select(voting_codes::resident_key)
                            .first::<String>(c)
                            .optional()?,
                    };
                    let Some(holder) = holder else {
                        return Ok(None);
                    };
                    let took_part: i64 = assembly_participations::table
                        .filter(assembly_participations::assembly_id.eq(assembly))
                        .filter(assembly_participations::resident_key.eq(&holder))
                        .count()
                        .get_result(c)?;
                    Ok((took_part > 0).then_some(holder))
                })
            })
            .await?;
        let holder = holder.ok_or(CertificateStoreError::NotParticipant)?;
        let sealed = key.seal(Sealed::PersonName, &name);
        let row: Row = self
            .0
            .run_as(move |conn| {
                db_write_as!(conn, CertificateStoreError, |c| {
                    insert_certificate!(c, &event, &holder, &sealed, today, by)?;
                    Ok(participation_certificates::table
                        .filter(participation_certificates::assembly_id.eq(assembly))
                        .filter(participation_certificates::holder_key.eq(&holder))
                        .select(certificate_columns!())
                        .first(c)?)
                })
            })
            .await?;
        Ok(self.certificate_of(row)?)
    }

    /// The certificate of someone who attended a council meeting, on the council's word: the
    /// one issued before under the same name, or a new one.
    pub async fn for_meeting(
        &self,
        event: Event,
        name: String,
        today: Date,
        by: i64,
    ) -> Result<Certificate, CertificateStoreError> {
        let key = self.0.data_key()?;
        let holder = key.blind_index(Sealed::PersonName, &name);
        let sealed = key.seal(Sealed::PersonName, &name);
        let meeting = event.id;
        let row: Row = self
            .0
            .run_as(move |conn| {
                db_write_as!(conn, CertificateStoreError, |c| {
                    insert_certificate!(c, &event, &holder, &sealed, today, Some(by))?;
                    Ok(participation_certificates::table
                        .filter(participation_certificates::meeting_id.eq(meeting))
                        .filter(participation_certificates::holder_key.eq(&holder))
                        .select(certificate_columns!())
                        .first(c)?)
                })
            })
            .await?;
        Ok(self.certificate_of(row)?)
    }
}
