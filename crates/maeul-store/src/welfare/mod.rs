//! Visiting health and welfare records. Every read of a personal record goes through a
//! method here that writes its access-log entry in the same transaction: no caller can
//! read a person without leaving a trace.

pub mod case;
pub mod discovery;
pub mod health;
pub mod resource;
pub mod visit;

use maeul_core::region::RegionPath;
use time::Date;

use crate::StoreError;

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A day as stored: `YYYY-MM-DD`, which orders as text.
pub(crate) fn text(d: Date) -> String {
    d.format(DATE).expect("a date formats")
}

/// A stored day.
pub(crate) fn date(s: &str) -> Result<Date, StoreError> {
    Date::parse(s, DATE).map_err(|_| StoreError::Corrupt(format!("date {s:?}")))
}

/// A stored region path.
pub(crate) fn region_path(s: &str) -> Result<RegionPath, StoreError> {
    RegionPath::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The `(case_id, candidate_id, health_person_id)` of a row about one subject.
pub(crate) type SubjectColumns = (Option<i64>, Option<i64>, Option<i64>);

/// Whose personal record: a case, a household a discovery round listed, or a person in
/// visiting health care. Referrals and planned visits belong to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Case(i64),
    Candidate(i64),
    HealthPerson(i64),
}

impl Subject {
    /// The subject of its access-log entries.
    pub fn log_subject(self) -> String {
        match self {
            Subject::Case(id) => format!("case:{id}"),
            Subject::Candidate(id) => format!("candidate:{id}"),
            Subject::HealthPerson(id) => format!("health:{id}"),
        }
    }

    /// The `(case_id, candidate_id, health_person_id)` columns of a row about this subject.
    pub(crate) fn columns(self) -> SubjectColumns {
        match self {
            Subject::Case(id) => (Some(id), None, None),
            Subject::Candidate(id) => (None, Some(id), None),
            Subject::HealthPerson(id) => (None, None, Some(id)),
        }
    }

    /// The subject of a row from its three columns (exactly one is set).
    pub(crate) fn from_columns(
        case: Option<i64>,
        candidate: Option<i64>,
        health_person: Option<i64>,
    ) -> Result<Self, StoreError> {
        match (case, candidate, health_person) {
            (Some(id), None, None) => Ok(Subject::Case(id)),
            (None, Some(id), None) => Ok(Subject::Candidate(id)),
            (None, None, Some(id)) => Ok(Subject::HealthPerson(id)),
            _ => Err(StoreError::Corrupt("a row of no single subject".into())),
        }
    }
}

/// One access-log entry per record listed — read, or exported with its purpose — filed under
/// its place. A list leaves only once these are on record.
pub(crate) fn listed<'a>(
    actor: &crate::account::Actor,
    records: impl IntoIterator<Item = (Subject, &'a str)>,
    purpose: Option<&maeul_core::audit::Purpose>,
) -> Vec<maeul_core::audit::AccessEntry> {
    use maeul_core::audit::AccessAction;
    let action = if purpose.is_some() {
        AccessAction::Export
    } else {
        AccessAction::Read
    };
    records
        .into_iter()
        .map(|(subject, emd)| {
            let mut entry = actor.entry(&subject.log_subject(), action).in_region(emd);
            entry.purpose = purpose.cloned();
            entry
        })
        .collect()
}

/// The eup/myeon/dong of a subject, read in the caller's transaction.
macro_rules! subject_place {
    ($c:expr, $subject:expr) => {{
        use $crate::schema::{cases, discovery_candidates, health_people};
        use $crate::welfare::Subject;
        match $subject {
            Subject::Case(id) => cases::table
                .find(id)
                .select(cases::emd_code)
                .first::<String>($c),
            Subject::Candidate(id) => discovery_candidates::table
                .find(id)
                .select(discovery_candidates::emd_code)
                .first::<String>($c),
            Subject::HealthPerson(id) => health_people::table
                .find(id)
                .select(health_people::emd_code)
                .first::<String>($c),
        }
    }};
}

/// A boxed query over a table with the three subject columns, narrowed to one subject.
macro_rules! of_subject {
    ($q:expr, $table:ident, $subject:expr) => {
        match $subject {
            $crate::welfare::Subject::Case(id) => $q.filter($table::case_id.eq(id)),
            $crate::welfare::Subject::Candidate(id) => $q.filter($table::candidate_id.eq(id)),
            $crate::welfare::Subject::HealthPerson(id) => {
                $q.filter($table::health_person_id.eq(id))
            }
        }
    };
}
pub(crate) use {of_subject, subject_place};
