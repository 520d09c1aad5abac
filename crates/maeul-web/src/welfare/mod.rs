//! Visiting health and welfare: the workspace pages and the API of personal records, open
//! only to the roles and places of DESIGN.md §4.

pub mod area;
pub mod case;
pub mod discovery;
pub mod health;
pub mod resource;
pub mod visit;

/// The routes of every welfare capability.
pub fn routes(r: crate::access::Routes) -> crate::access::Routes {
    [
        discovery::routes,
        case::routes,
        area::routes,
        health::routes,
        resource::routes,
        visit::routes,
    ]
    .into_iter()
    .fold(r, |r, add| add(r))
}

use maeul_core::account::{Permission, Principal};
use maeul_core::format::KST;
use maeul_core::region::{RegionCode, RegionPath};
use maeul_store::welfare::Subject;
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

/// Checks that the user may write to the subject's record — refer it, plan its visits — and
/// returns its place: a case for those who manage cases there, a listed household for its
/// field workers, a person in visiting health care for the nurses. 404 otherwise, so that
/// existence does not leak.
pub(crate) async fn writable_subject(
    state: &crate::AppState,
    user: &Principal,
    subject: Subject,
) -> crate::error::Result<RegionPath> {
    subject_place(state, user, subject, true).await
}

/// Checks that the user may read the subject's record (404 otherwise) and returns its place.
pub(crate) async fn readable_subject(
    state: &crate::AppState,
    user: &Principal,
    subject: Subject,
) -> crate::error::Result<RegionPath> {
    subject_place(state, user, subject, false).await
}

async fn subject_place(
    state: &crate::AppState,
    user: &Principal,
    subject: Subject,
    write: bool,
) -> crate::error::Result<RegionPath> {
    use crate::error::Problem;
    let (id, path, allowed) = match subject {
        Subject::Case(id) => (
            id,
            case::visible_case_place(state, user, id, write).await?,
            true,
        ),
        Subject::Candidate(id) => {
            let permission = if write {
                Permission::RecordVisit
            } else {
                Permission::ReadPersonalWelfare
            };
            let emd = discovery::candidate_place(state, user, id, permission).await?;
            let code = RegionCode::parse(&emd).map_err(|_| Problem::internal())?;
            let path = state
                .store
                .regions()
                .get(&code)
                .await?
                .ok_or_else(Problem::not_found)?
                .path;
            (id, path, true)
        }
        Subject::HealthPerson(id) => {
            let (_, path, _) = state
                .store
                .health()
                .place_of(id)
                .await?
                .ok_or_else(Problem::not_found)?;
            let permission = if write {
                Permission::RecordHealth
            } else {
                Permission::ReadPersonalWelfare
            };
            let allowed = user.may_in(permission, &path);
            (id, path, allowed)
        }
    };
    if id <= 0 || !allowed {
        return Err(Problem::not_found());
    }
    Ok(path)
}

/// The page of a case, household or person, where its referrals and planned visits are shown.
pub(crate) fn subject_href(subject: Subject) -> String {
    match subject {
        Subject::Case(id) => format!("/work/cases/{id}"),
        Subject::Candidate(id) => format!("/work/discovery/candidates/{id}"),
        Subject::HealthPerson(id) => format!("/work/health/{id}"),
    }
}

/// The names of the places of a list (few: one for a dong's staff), each looked up once.
pub(crate) async fn place_names(
    state: &crate::AppState,
    codes: &[&str],
) -> crate::error::Result<std::collections::HashMap<String, String>> {
    let mut names = std::collections::HashMap::new();
    for &code in codes {
        if names.contains_key(code) {
            continue;
        }
        let name = match RegionCode::parse(code) {
            Ok(c) => state.store.regions().get(&c).await?.map(|r| r.region.name),
            Err(_) => None,
        };
        names.insert(code.to_owned(), name.unwrap_or_default());
    }
    Ok(names)
}

/// The download form under a list of personal records: the list unmasked as CSV, after the
/// user states why (each record is logged as exported with that purpose).
pub(crate) struct ExportBox {
    pub href: String,
    /// The list's filter, sent again with the form.
    pub hidden: Vec<(&'static str, String)>,
    /// The download was asked for without a purpose.
    pub purpose_error: bool,
    /// The catalogue key of the hint under the purpose.
    pub hint: &'static str,
}

/// A list page's region: the one asked for, or the user's first place.
pub(crate) fn list_region(user: &Principal, region: Option<&str>) -> crate::error::Result<String> {
    match region.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Ok(code.to_owned()),
        None => user
            .scopes(Permission::ReadPersonalWelfare)
            .first()
            .map(|s| s.to_string())
            .ok_or_else(crate::error::Problem::forbidden),
    }
}
