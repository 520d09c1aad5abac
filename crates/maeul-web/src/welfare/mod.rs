//! Visiting health and welfare: the workspace pages and the API of personal records, open
//! only to the roles and places of DESIGN.md §4.

pub mod area;
pub mod case;
pub mod discovery;
pub mod health;
pub mod resource;

/// The routes of every welfare capability.
pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    [
        discovery::routes,
        case::routes,
        area::routes,
        health::routes,
        resource::routes,
    ]
    .into_iter()
    .fold(r, |r, add| add(r))
}

use maeul_core::format::KST;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

/// Today in Korea: deadlines and "not in the future" are judged by the Korean calendar day.
pub(crate) fn today() -> Date {
    time::OffsetDateTime::now_utc().to_offset(KST).date()
}

/// `YYYY-MM-DD`, as the API writes dates.
pub(crate) fn day(d: Date) -> String {
    d.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

pub use crate::Created;

/// The assignment form of a household or a case: a user id, or empty for nobody.
#[derive(Debug, Deserialize)]
pub(crate) struct AssignForm {
    #[serde(default)]
    worker: String,
}

impl AssignForm {
    pub(crate) fn worker(&self) -> crate::error::Result<Option<i64>> {
        match self.worker.trim() {
            "" => Ok(None),
            w => w
                .parse::<i64>()
                .map(Some)
                .map_err(|_| crate::error::Problem::field("worker", "error.validation")),
        }
    }
}

/// Who is put in charge, by log-in; `null` for nobody.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Assignment {
    #[schema(example = "kim.welfare")]
    pub assigned_to: Option<String>,
}

impl Assignment {
    /// The id of the named worker among those who may be put in charge; 422 otherwise.
    pub(crate) fn worker<'a>(
        &self,
        workers: impl IntoIterator<Item = (i64, &'a str)>,
    ) -> crate::error::Result<Option<i64>> {
        let Some(login) = self.assigned_to.as_deref().map(str::trim) else {
            return Ok(None);
        };
        workers
            .into_iter()
            .find(|(_, l)| *l == login)
            .map(|(id, _)| Some(id))
            .ok_or_else(|| crate::error::Problem::field("assigned_to", "field.assignee"))
    }
}

pub(crate) use crate::page::{Choice, form_error};

/// The problem of a person's name or birth year, naming the field.
pub(crate) fn person_problem(e: maeul_core::welfare::person::PersonError) -> crate::error::Problem {
    use maeul_core::welfare::person::PersonError;
    let key = match e {
        PersonError::Name => "field.person_name",
        PersonError::BirthYear => "field.birth_year",
    };
    crate::error::Problem::field(e.field(), key)
}
