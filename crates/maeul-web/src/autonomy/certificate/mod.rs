//! 참여 확인서 — certificates of taking part in a resident general assembly or a council meeting,
//! for official leave (공가). A resident gets theirs with the voting code they used; the
//! community centre's staff issue one by the roster reference (for those who voted at a booth);
//! the council issues one for a meeting. Anyone checks a certificate by its code and sees the
//! holder's name masked. The API is here; the pages are in [`pages`].

mod pages;

pub(crate) use pages::{print, site};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::assembly::VotingCode;
use maeul_core::autonomy::certificate::{self as rules, CertificateCode, Kind, masked};
use maeul_core::format::KST;
use maeul_store::autonomy::assembly::Status as AssemblyStatus;
use maeul_store::autonomy::certificate::{Certificate, CertificateStoreError, Event, Participant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Problem, Result};
use crate::welfare::{day, today};
use crate::{AppState, record_id};

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(verify_api))
        .api(Access::Public, routes!(request_api))
        .api(Access::Allowed(Permission::RunPolling), routes!(roster_api))
        .api(
            Access::Allowed(Permission::ManageCouncil),
            routes!(meeting_api),
        );
    pages::routes(r)
}

fn store_problem(e: CertificateStoreError, field: &str) -> Problem {
    match e {
        CertificateStoreError::NotParticipant => {
            Problem::field(field, "certificate.error.not_participant")
        }
        CertificateStoreError::Store(e) => e.into(),
    }
}

fn name_of(name: &str) -> Result<String> {
    rules::holder(name).map_err(|_| Problem::field("name", "certificate.error.name"))
}

/// A certificate as its holder gets it: with the full name, to print.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateOut {
    /// 확인번호, `XXXX-XXXX-XXXX`.
    pub code: String,
    /// `assembly`, `council_meeting` or `course_completion`.
    pub kind: String,
    /// The place of the assembly or the meeting, the region that ran the course.
    pub region_code: String,
    /// The assembly, the meeting or the course.
    pub event_id: i64,
    pub event_title: String,
    /// `YYYY-MM-DD`: the meeting's day, the first day of the assembly's voting, the first
    /// session attended of the course.
    pub event_on: String,
    /// `YYYY-MM-DD`: the last day of the assembly's voting, the last session attended.
    pub event_until: Option<String>,
    pub holder: String,
    pub issued_on: String,
    /// Where anyone checks it.
    pub verify_path: String,
    /// On a course's certificate: the enrolment, the holder's affiliation and the minutes attended.
    pub completion: Option<CompletionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionOut {
    pub enrolment_id: i64,
    pub affiliation: String,
    pub minutes: u32,
}

impl From<&Certificate> for CertificateOut {
    fn from(c: &Certificate) -> Self {
        CertificateOut {
            code: c.code.clone(),
            kind: c.kind.as_str().to_owned(),
            region_code: c.region_code.clone(),
            event_id: c.event_id,
            event_title: c.event_title.clone(),
            event_on: day(c.event_on),
            event_until: c.event_until.map(day),
            holder: c.holder.clone(),
            issued_on: day(c.issued_on),
            verify_path: format!("/certificates/{}", c.code),
            completion: c.completion.as_ref().map(|d| CompletionOut {
                enrolment_id: d.enrolment_id,
                affiliation: d.affiliation.clone(),
                minutes: d.minutes,
            }),
        }
    }
}

/// A certificate as a verifier sees it: the holder's name masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationOut {
    pub code: String,
    /// `assembly`, `council_meeting` or `course_completion`.
    pub kind: String,
    pub region_code: String,
    pub event_title: String,
    pub event_on: String,
    pub event_until: Option<String>,
    /// 김*수
    pub holder: String,
    pub issued_on: String,
    /// On a course's certificate, the minutes attended.
    pub minutes: Option<u32>,
}

/// The certificate of a code typed by a person (404 for a malformed or unknown code).
pub(crate) async fn certificate(state: &AppState, code: &str) -> Result<Certificate> {
    let code = CertificateCode::parse(code).ok_or_else(Problem::not_found)?;
    state
        .store
        .certificates()
        .get(&code)
        .await?
        .ok_or_else(Problem::not_found)
}

/// Checks a certificate by its code.
#[utoipa::path(get, path = "/certificates/{code}", tag = "autonomy",
    params(("code" = String, Path, description = "확인번호, XXXX-XXXX-XXXX")),
    responses(
        (status = 200, body = VerificationOut),
        (status = 404, description = "No certificate has that code", content_type = "application/problem+json"),
    ))]
async fn verify_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<VerificationOut>> {
    let c = certificate(&state, &code).await?;
    Ok(Json(VerificationOut {
        code: c.code.clone(),
        kind: c.kind.as_str().to_owned(),
        region_code: c.region_code.clone(),
        event_title: c.event_title.clone(),
        event_on: day(c.event_on),
        event_until: c.event_until.map(day),
        holder: masked(&c.holder),
        issued_on: day(c.issued_on),
        minutes: c.completion.as_ref().map(|d| d.minutes),
    }))
}

/// What an assembly's certificate is for: its title and voting days. 404 for no such
/// assembly, or one whose voting has not opened (nobody has taken part yet).
pub(crate) async fn assembly_event(state: &AppState, id: &str) -> Result<(Event, StoredAssembly)> {
    let assembly = state
        .store
        .assemblies()
        .get(record_id(id)?)
        .await?
        .filter(|a| a.status != AssemblyStatus::Draft)
        .ok_or_else(Problem::not_found)?;
    let rules = &assembly.setup.rules;
    let kst_day = |t: i64| {
        time::OffsetDateTime::from_unix_timestamp(t)
            .map(|t| t.to_offset(KST).date())
            .map_err(|_| Problem::not_found())
    };
    let first = rules.advance_opens_at.unwrap_or(rules.opens_at);
    let place = super::council::emd(state, &assembly.setup.emd_code).await?;
    let event = Event {
        kind: Kind::Assembly,
        emd_code: place.region.code.clone(),
        place_name: place.region.full_name.clone(),
        id: assembly.setup.id,
        title: rules.title.clone(),
        on: kst_day(first)?,
        until: Some(kst_day(rules.closes_at)?),
    };
    Ok((event, assembly))
}

type StoredAssembly = maeul_store::autonomy::assembly::Assembly;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CertificateRequestIn {
    /// The voting code used in the assembly.
    #[schema(example = "ABCD-EFGH-JKMN", min_length = 1, max_length = 40)]
    pub code: String,
    /// The name to print.
    #[schema(min_length = 1, max_length = 50, pattern = "\\S")]
    pub name: String,
}

/// A resident's own certificate, by the voting code they used.
pub(crate) async fn request(
    state: &AppState,
    id: &str,
    input: CertificateRequestIn,
) -> Result<Certificate> {
    let (event, _) = assembly_event(state, id).await?;
    let name = name_of(&input.name)?;
    let code = VotingCode::parse(&input.code)
        .ok_or_else(|| Problem::field("code", "certificate.error.not_participant"))?;
    state
        .store
        .certificates()
        .for_assembly(event, Participant::Code(code), name, today(), None)
        .await
        .map_err(|e| store_problem(e, "code"))
}

/// Gets the certificate of taking part in an assembly with the voting code used in it; asking
/// again gives the same certificate. No account needed: the code is the proof.
#[utoipa::path(post, path = "/assemblies/{id}/participation-certificates", tag = "autonomy",
    params(("id" = i64, Path)), request_body = CertificateRequestIn,
    responses(
        (status = 201, body = CertificateOut),
        (status = 404, description = "No such assembly, or its voting has not opened", content_type = "application/problem+json"),
        (status = 422, description = "No name, or no one took part with that code", content_type = "application/problem+json"),
    ))]
async fn request_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CertificateOut>)> {
    let c = request(&state, &id, json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(CertificateOut::from(&c))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RosterCertificateIn {
    /// The resident's number in the community centre's roster.
    #[schema(min_length = 1, max_length = 100, pattern = "\\S")]
    pub resident_ref: String,
    #[schema(min_length = 1, max_length = 50, pattern = "\\S")]
    pub name: String,
}

/// A certificate issued by the community centre, by the roster reference.
pub(crate) async fn issue_by_roster(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: RosterCertificateIn,
) -> Result<Certificate> {
    let (event, assembly) = assembly_event(state, id).await?;
    if !user.may_in(Permission::RunPolling, &assembly.setup.place) {
        return Err(Problem::not_found());
    }
    let name = name_of(&input.name)?;
    let resident = input.resident_ref.trim();
    if resident.is_empty() || input.resident_ref.chars().count() > 100 {
        return Err(Problem::field(
            "resident_ref",
            "certificate.error.not_participant",
        ));
    }
    state
        .store
        .certificates()
        .for_assembly(
            event,
            Participant::Roster(resident.to_owned()),
            name,
            today(),
            Some(user.user_id),
        )
        .await
        .map_err(|e| store_problem(e, "resident_ref"))
}

/// Issues the certificate of a resident recorded as taking part (at a booth or online), by
/// their roster reference; asking again gives the same certificate.
#[utoipa::path(post, path = "/assemblies/{id}/certificates", tag = "autonomy",
    params(("id" = i64, Path)), request_body = RosterCertificateIn, security(("bearer" = [])),
    responses(
        (status = 201, body = CertificateOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to run polling", content_type = "application/problem+json"),
        (status = 404, description = "No such opened assembly in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "No name, or no record of that resident taking part", content_type = "application/problem+json"),
    ))]
async fn roster_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CertificateOut>)> {
    let c = issue_by_roster(&state, &user, &id, json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(CertificateOut::from(&c))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingCertificateIn {
    /// The attendee's name to print.
    #[schema(min_length = 1, max_length = 50, pattern = "\\S")]
    pub name: String,
}

/// A certificate of attending a council meeting, on the council's word.
pub(crate) async fn issue_for_meeting(
    state: &AppState,
    user: &Principal,
    id: &str,
    input: MeetingCertificateIn,
) -> Result<Certificate> {
    let certificates = state.store.certificates();
    let event = certificates
        .meeting_event(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let place = super::council::emd(state, &event.emd_code.to_string()).await?;
    if !user.may_in(Permission::ManageCouncil, &place.path) {
        return Err(Problem::not_found());
    }
    let name = name_of(&input.name)?;
    certificates
        .for_meeting(event, name, today(), user.user_id)
        .await
        .map_err(|e| store_problem(e, "name"))
}

/// Issues the certificate of someone who attended a council meeting; asking again with the
/// same name gives the same certificate.
#[utoipa::path(post, path = "/council-meetings/{id}/certificates", tag = "autonomy",
    params(("id" = i64, Path)), request_body = MeetingCertificateIn, security(("bearer" = [])),
    responses(
        (status = 201, body = CertificateOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such meeting in the user's places", content_type = "application/problem+json"),
        (status = 422, description = "No name", content_type = "application/problem+json"),
    ))]
async fn meeting_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CertificateOut>)> {
    let c = issue_for_meeting(&state, &user, &id, json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(CertificateOut::from(&c))))
}
