//! 공개추첨 — the public lottery of council members: the council sets the rules and takes
//! applications, publishes the seed (which fixes the list), and draws; anyone can download
//! the record and re-run the draw with `maeul lottery verify`. The API is here; the pages
//! are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::lottery::{
    Application, Category, Gender, LotteryError, Outcome, Record, Reservation, Rules, Seat,
};
use maeul_store::autonomy::lottery::{Applicant, Lottery, LotteryStoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::council::{managed_place, member_problem};
use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::record_id;
use crate::welfare::today;
use crate::{AppState, Created};
use maeul_core::format::parse_day;

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(MANAGE, routes!(create_api, list_api))
        .api(Access::Public, routes!(show_api))
        .api(MANAGE, routes!(apply_api, applicants_api))
        .api(MANAGE, routes!(seed_api))
        .api(MANAGE, routes!(draw_api))
        .api(Access::Public, routes!(record_api))
        .api(MANAGE, routes!(appoint_api))
        .api(MANAGE, routes!(alternate_api));
    pages::routes(r)
}

pub(crate) fn lottery_problem(e: LotteryStoreError) -> Problem {
    match e {
        LotteryStoreError::NotFound => Problem::not_found(),
        LotteryStoreError::Frozen => Problem::conflict_of("lottery-frozen", "lottery.error.frozen"),
        LotteryStoreError::SeedNeeded => {
            Problem::conflict_of("seed-not-published", "lottery.error.seed_needed")
        }
        LotteryStoreError::Drawn => Problem::conflict_of("lottery-drawn", "lottery.error.drawn"),
        LotteryStoreError::NumberTaken(number) => {
            Problem::conflict_of("application-number-taken", "lottery.error.duplicate")
                .with_detail(number)
        }
        LotteryStoreError::NotSchoolEnrolment { index, enrolment } => {
            school_problem(index, enrolment, "lottery.error.not_school")
        }
        LotteryStoreError::EnrolmentTaken { index, enrolment } => {
            school_problem(index, enrolment, "lottery.error.school_taken")
        }
        LotteryStoreError::SchoolNameDiffers { index, enrolment } => {
            school_problem(index, enrolment, "lottery.error.school_name")
        }
        LotteryStoreError::Invalid(e) => rule_problem(e),
        LotteryStoreError::Store(e) => e.into(),
    }
}

/// A refused autonomy-school enrolment, named by the application and, for the page, its number.
fn school_problem(index: usize, enrolment: i64, key: &'static str) -> Problem {
    Problem::field(&format!("applications[{index}].school_enrolment_id"), key)
        .with_detail(format!("#{enrolment}"))
}

pub(crate) fn rule_problem(e: LotteryError) -> Problem {
    let key = match &e {
        LotteryError::Seats => "lottery.error.seats",
        LotteryError::Hours => "lottery.error.hours",
        LotteryError::GenderLimit => "lottery.error.gender_limit",
        LotteryError::Reserved => "lottery.error.reserved",
        LotteryError::Alternates => "lottery.error.alternates",
        LotteryError::Number { .. } => "lottery.error.number",
        LotteryError::Duplicate { .. } => "lottery.error.duplicate",
        LotteryError::TooMany => "lottery.error.too_many",
        LotteryError::Seed => "lottery.error.seed",
        LotteryError::ApplicantHours => "lottery.error.applicant_hours",
    };
    let p = Problem::field(e.field(), key);
    match e {
        LotteryError::Number { number } | LotteryError::Duplicate { number } => {
            p.with_detail(number)
        }
        _ => p,
    }
}

/// The lottery if the user may run it (404 otherwise).
pub(crate) async fn managed(state: &AppState, user: &Principal, id: &str) -> Result<Lottery> {
    let lottery = public(state, id).await?;
    managed_place(state, user, &lottery.emd_code)
        .await
        .map_err(|_| Problem::not_found())?;
    Ok(lottery)
}

pub(crate) async fn public(state: &AppState, id: &str) -> Result<Lottery> {
    state
        .store
        .lotteries()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// Where a lottery stands.
pub(crate) fn stage(l: &Lottery) -> &'static str {
    match (&l.seed, &l.outcome) {
        (_, Some(_)) => "drawn",
        (Some(_), None) => "seeded",
        (None, None) => "open",
    }
}

// ---------------------------------------------------------------------------------------
// Setting up

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReservationIn {
    /// `resident`, `youth`, `disadvantaged` or `organisation`.
    #[schema(pattern = "^(resident|youth|disadvantaged|organisation)$")]
    pub category: String,
    #[schema(minimum = 1, maximum = 100)]
    pub seats: u32,
}

/// A lottery's title and rules.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LotteryIn {
    #[schema(
        example = "제3기 주민자치회 위원 공개추첨",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub title: String,
    #[schema(example = 25, minimum = 1, maximum = 100)]
    pub seats: u32,
    /// 6 unless given.
    #[serde(default)]
    #[schema(maximum = 1000)]
    pub min_training_hours: Option<u32>,
    /// 60 unless given.
    #[serde(default)]
    #[schema(minimum = 50, maximum = 100)]
    pub max_gender_percent: Option<u32>,
    /// Each category once; together within the seats.
    #[serde(default)]
    pub reserved: Vec<ReservationIn>,
    #[serde(default)]
    #[schema(maximum = 100)]
    pub alternates: u32,
}

impl LotteryIn {
    pub(crate) fn rules(&self) -> Result<(String, Rules)> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(Problem::field("title", "council.error.name"));
        }
        let reserved = self
            .reserved
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Ok(Reservation {
                    category: Category::parse(&r.category).ok_or_else(|| {
                        Problem::field(&format!("reserved[{i}].category"), "field.choice")
                    })?,
                    seats: r.seats,
                })
            })
            .collect::<Result<_>>()?;
        let rules = Rules::new(Rules {
            seats: self.seats,
            min_training_hours: self.min_training_hours.unwrap_or(6),
            max_gender_percent: self.max_gender_percent.unwrap_or(60),
            reserved,
            alternates: self.alternates,
        })
        .map_err(rule_problem)?;
        Ok((title.to_owned(), rules))
    }
}

/// Sets up a member lottery for a council; applications are taken until the seed is published.
#[utoipa::path(post, path = "/regions/{code}/lotteries", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = LotteryIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A rule is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let place = managed_place(&state, &user, &code).await?;
    let (title, rules) = json_body::<LotteryIn>(&body)?.rules()?;
    let id = state
        .store
        .lotteries()
        .create(&place.region.code, title, rules, user.user_id)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A reservation of seats, as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationOut {
    pub category: String,
    pub seats: u32,
}

/// A lottery as anyone may see it: rules, seed, applications without names, outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct LotteryOut {
    pub id: i64,
    pub region_code: String,
    pub title: String,
    /// `open` (taking applications), `seeded` (seed published, list fixed) or `drawn`.
    pub stage: String,
    pub seats: u32,
    pub min_training_hours: u32,
    pub max_gender_percent: u32,
    pub reserved: Vec<ReservationOut>,
    pub alternates: u32,
    pub seed: Option<String>,
    pub applications: i64,
    pub outcome: Option<OutcomeOut>,
}

/// A seated member.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeatedOut {
    pub number: String,
    /// `open`, or the category of the reserved seat.
    pub seat: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeOut {
    pub members: Vec<SeatedOut>,
    pub alternates: Vec<String>,
    pub ineligible: Vec<String>,
    pub unfilled: u32,
}

pub(crate) fn seat_name(seat: Seat) -> &'static str {
    match seat {
        Seat::Open => "open",
        Seat::Reserved(c) => c.as_str(),
    }
}

impl From<&Outcome> for OutcomeOut {
    fn from(o: &Outcome) -> Self {
        OutcomeOut {
            members: o
                .members
                .iter()
                .map(|m| SeatedOut {
                    number: m.number.clone(),
                    seat: seat_name(m.seat).to_owned(),
                })
                .collect(),
            alternates: o.alternates.clone(),
            ineligible: o.ineligible.clone(),
            unfilled: o.unfilled,
        }
    }
}

impl From<&Lottery> for LotteryOut {
    fn from(l: &Lottery) -> Self {
        LotteryOut {
            id: l.id,
            region_code: l.emd_code.clone(),
            title: l.title.clone(),
            stage: stage(l).to_owned(),
            seats: l.rules.seats,
            min_training_hours: l.rules.min_training_hours,
            max_gender_percent: l.rules.max_gender_percent,
            reserved: l
                .rules
                .reserved
                .iter()
                .map(|r| ReservationOut {
                    category: r.category.as_str().to_owned(),
                    seats: r.seats,
                })
                .collect(),
            alternates: l.rules.alternates,
            seed: l.seed.clone(),
            applications: l.applications,
            outcome: l.outcome.as_ref().map(OutcomeOut::from),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LotteryList {
    pub items: Vec<LotteryOut>,
}

/// The lotteries of a council, newest first.
#[utoipa::path(get, path = "/regions/{code}/lotteries", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LotteryList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<LotteryList>> {
    let place = managed_place(&state, &user, &code).await?;
    let list = state.store.lotteries().of_place(&place.region.code).await?;
    Ok(Json(LotteryList {
        items: list.iter().map(LotteryOut::from).collect(),
    }))
}

/// A lottery, public.
#[utoipa::path(get, path = "/lotteries/{id}", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, body = LotteryOut),
        (status = 404, description = "No such lottery", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LotteryOut>> {
    Ok(Json(LotteryOut::from(&public(&state, &id).await?)))
}

// ---------------------------------------------------------------------------------------
// Applications, seed and draw

/// One application.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ApplicationIn {
    /// 접수번호: letters, digits and dashes, at most 20.
    #[schema(example = "2026-001", pattern = "^[0-9A-Za-z-]{1,20}$")]
    pub number: String,
    /// For the council's officers only; never published.
    #[schema(example = "김주민", min_length = 1, max_length = 100, pattern = "\\S")]
    pub name: String,
    /// `resident`, `youth`, `disadvantaged` or `organisation` (or their Korean names).
    #[schema(pattern = "^(resident|youth|disadvantaged|organisation)$")]
    pub category: String,
    /// `female` or `male` (or 여, 남).
    #[schema(pattern = "^(female|male)$")]
    pub gender: String,
    /// 주민자치학교 이수 시간, as the applicant states them; or leave it out and give
    /// `school_enrolment_id`.
    #[serde(default)]
    #[schema(maximum = 10000)]
    pub training_hours: Option<u32>,
    /// The applicant's enrolment in an autonomy school of the lottery's place (the roster's
    /// 수강 번호): the training hours are then the whole hours its attendance records.
    #[serde(default)]
    pub school_enrolment_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationsIn {
    pub applications: Vec<ApplicationIn>,
}

/// Reads sent applications; `field` prefixes the offending field (`applications[3].gender`).
pub(crate) fn applicants(list: Vec<ApplicationIn>, field: &str) -> Result<Vec<Applicant>> {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            let at = |f: &str| format!("{field}[{i}].{f}");
            let name = a.name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(Problem::field(&at("name"), "council.error.name"));
            }
            // The hours come from the applicant's word or from the school's record, not both.
            let training_hours = match (a.training_hours, a.school_enrolment_id) {
                (Some(_), Some(_)) => {
                    return Err(Problem::field(
                        &at("school_enrolment_id"),
                        "lottery.error.hours_source",
                    ));
                }
                (None, None) => {
                    return Err(Problem::field(&at("training_hours"), "field.required"));
                }
                (hours, _) => hours.unwrap_or(0),
            };
            let application = Application::new(Application {
                number: a.number.trim().to_owned(),
                category: Category::parse(&a.category)
                    .ok_or_else(|| Problem::field(&at("category"), "field.choice"))?,
                gender: Gender::parse(&a.gender)
                    .ok_or_else(|| Problem::field(&at("gender"), "field.choice"))?,
                training_hours,
            })
            .map_err(|e| match e {
                LotteryError::ApplicantHours => {
                    Problem::field(&at("training_hours"), "lottery.error.applicant_hours")
                }
                e => {
                    Problem::field(&at("number"), "lottery.error.number").with_detail(e.to_string())
                }
            })?;
            Ok(Applicant {
                application,
                name,
                school_enrolment: a.school_enrolment_id,
            })
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationsOut {
    /// Applications now on the list.
    pub applications: i64,
}

/// Adds applications, all or none, until the seed is published.
#[utoipa::path(post, path = "/lotteries/{id}/applications", tag = "autonomy", params(("id" = i64, Path)),
    request_body = ApplicationsIn, security(("bearer" = [])),
    responses(
        (status = 201, body = ApplicationsOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The seed is published (the list is fixed), or an application number is already on the list", content_type = "application/problem+json"),
        (status = 422, description = "An application is wrong, or the batch gives a number twice", content_type = "application/problem+json"),
    ))]
async fn apply_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ApplicationsOut>)> {
    let lottery = managed(&state, &user, &id).await?;
    let list = applicants(
        json_body::<ApplicationsIn>(&body)?.applications,
        "applications",
    )?;
    state
        .store
        .lotteries()
        .apply(lottery.id, list)
        .await
        .map_err(lottery_problem)?;
    let applications = public(&state, &id).await?.applications;
    Ok((StatusCode::CREATED, Json(ApplicationsOut { applications })))
}

/// The list as officers read it: each application with its `training_hours` and, when they
/// came from the autonomy school, the `school_enrolment_id` they were read from (to send one
/// back, give one of the two).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantList {
    pub items: Vec<ApplicationIn>,
}

/// The applications with names, for the council's officers.
#[utoipa::path(get, path = "/lotteries/{id}/applications", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ApplicantList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
    ))]
async fn applicants_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<ApplicantList>> {
    let lottery = managed(&state, &user, &id).await?;
    let items = state
        .store
        .lotteries()
        .applicants(lottery.id)
        .await?
        .into_iter()
        .map(|a| ApplicationIn {
            number: a.application.number,
            name: a.name,
            category: a.application.category.as_str().to_owned(),
            gender: a.application.gender.as_str().to_owned(),
            training_hours: Some(a.application.training_hours),
            school_enrolment_id: a.school_enrolment,
        })
        .collect();
    Ok(Json(ApplicantList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeedIn {
    /// Published before the draw, e.g. the numbers drawn in public at the council meeting.
    #[schema(
        example = "2026-03-14 공개 주사위 4 1 6 2 5 3",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub seed: String,
}

/// Publishes the seed, once; the list and rules are fixed from then on.
#[utoipa::path(post, path = "/lotteries/{id}/seed", tag = "autonomy", params(("id" = i64, Path)),
    request_body = SeedIn, security(("bearer" = [])),
    responses(
        (status = 200, body = LotteryOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The seed is already published", content_type = "application/problem+json"),
        (status = 422, description = "The seed is empty or too long", content_type = "application/problem+json"),
    ))]
async fn seed_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<LotteryOut>> {
    let lottery = managed(&state, &user, &id).await?;
    let seed = json_body::<SeedIn>(&body)?.seed;
    state
        .store
        .lotteries()
        .publish_seed(lottery.id, seed)
        .await
        .map_err(lottery_problem)?;
    Ok(Json(LotteryOut::from(&public(&state, &id).await?)))
}

/// Makes the draw, once, from the published seed.
#[utoipa::path(post, path = "/lotteries/{id}/draw", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = LotteryOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "No seed published yet, or already drawn", content_type = "application/problem+json"),
    ))]
async fn draw_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<LotteryOut>> {
    let lottery = managed(&state, &user, &id).await?;
    state
        .store
        .lotteries()
        .draw(lottery.id)
        .await
        .map_err(lottery_problem)?;
    Ok(Json(LotteryOut::from(&public(&state, &id).await?)))
}

/// The record of a drawn lottery: rules, seed, applications (no names) and outcome — the
/// input of `maeul lottery verify`.
#[utoipa::path(get, path = "/lotteries/{id}/record", tag = "autonomy", params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The record (JSON of the draw's rules, seed, applications and outcome)", content_type = "application/json"),
        (status = 404, description = "No such lottery", content_type = "application/problem+json"),
        (status = 409, description = "Not drawn yet", content_type = "application/problem+json"),
    ))]
async fn record_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Record>> {
    let lottery = public(&state, &id).await?;
    match state.store.lotteries().record(lottery.id).await? {
        Some(record) => Ok(Json(record)),
        None => Err(Problem::conflict_of(
            "lottery-not-drawn",
            "lottery.error.not_drawn",
        )),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentIn {
    /// The first day of the two-year term, `YYYY-MM-DD`.
    #[schema(example = "2026-03-01", format = Date)]
    pub term_starts: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointedOut {
    pub appointed: usize,
}

/// Appoints the members a lottery seated, for two years from `term_starts`; once.
#[utoipa::path(post, path = "/lotteries/{id}/appointments", tag = "autonomy", params(("id" = i64, Path)),
    request_body = AppointmentIn, security(("bearer" = [])),
    responses(
        (status = 201, body = AppointedOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Not drawn yet, or its members are appointed already", content_type = "application/problem+json"),
        (status = 422, description = "The date cannot be read", content_type = "application/problem+json"),
    ))]
async fn appoint_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<AppointedOut>)> {
    let lottery = managed(&state, &user, &id).await?;
    let starts = json_body::<AppointmentIn>(&body)?.term_starts;
    let appointed = appoint(&state, lottery.id, &starts).await?;
    Ok((StatusCode::CREATED, Json(AppointedOut { appointed })))
}

pub(crate) async fn appoint(state: &AppState, lottery: i64, starts: &str) -> Result<usize> {
    let starts = parse_day(starts).ok_or_else(|| Problem::field("term_starts", "field.date"))?;
    state
        .store
        .councils()
        .appoint_drawn(lottery, starts)
        .await
        .map_err(member_problem)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlternateOut {
    /// The application number of the alternate now seated.
    pub number: String,
}

/// Seats the next alternate, in rank order, whose gender keeps the limit among the members
/// serving, for the rest of the term.
#[utoipa::path(post, path = "/lotteries/{id}/alternates", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 201, body = AlternateOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run lotteries", content_type = "application/problem+json"),
        (status = 404, description = "No such lottery in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Not drawn or appointed yet, or no alternate keeps the gender limit", content_type = "application/problem+json"),
    ))]
async fn alternate_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<AlternateOut>)> {
    let lottery = managed(&state, &user, &id).await?;
    let number = state
        .store
        .councils()
        .call_alternate(lottery.id, today())
        .await
        .map_err(member_problem)?;
    Ok((StatusCode::CREATED, Json(AlternateOut { number })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_applications_name_the_offending_field() {
        let a = |gender: &str| ApplicationIn {
            number: "2026-001".into(),
            name: "김주민".into(),
            category: "청년".into(),
            gender: gender.into(),
            training_hours: Some(6),
            school_enrolment_id: None,
        };
        assert!(applicants(vec![a("여")], "applications").is_ok());
        let e = applicants(vec![a("여"), a("x")], "applications").unwrap_err();
        assert_eq!(e.fields[0].field, "applications[1].gender");
    }

    #[test]
    fn hours_come_from_the_applicant_or_the_school_not_both() {
        let a = |hours: Option<u32>, enrolment: Option<i64>| ApplicationIn {
            number: "2026-001".into(),
            name: "김주민".into(),
            category: "resident".into(),
            gender: "female".into(),
            training_hours: hours,
            school_enrolment_id: enrolment,
        };
        let from_school = applicants(vec![a(None, Some(12))], "applications").unwrap();
        assert_eq!(from_school[0].school_enrolment, Some(12));
        for (sent, field) in [
            (a(Some(6), Some(12)), "applications[0].school_enrolment_id"),
            (a(None, None), "applications[0].training_hours"),
        ] {
            let e = applicants(vec![sent], "applications").unwrap_err();
            assert_eq!(e.fields[0].field, field);
        }
    }
}
