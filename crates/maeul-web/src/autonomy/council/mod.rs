//! 주민자치회 — the council of an eup/myeon/dong: its status and legal basis (public, with
//! counts by status at every level), subcommittees and meetings with public minutes. The
//! API is here; the pages, which use the same checks, are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::council::{
    self, Council, CouncilError, CouncilStatus, Meeting, MemberRole, RoleError, StatusCounts,
};
use maeul_core::format::parse_day;
use maeul_core::region::{Level, RegionCode};
use maeul_store::StoreError;
use maeul_store::autonomy::council::{MemberError, StoredCouncil, StoredMeeting};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result};
use crate::paging::Paging;
use crate::record_id;
use crate::welfare::today;
use crate::{AppState, Created};

const MANAGE: Access = Access::Allowed(Permission::ManageCouncil);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(council_api))
        .api(Access::Public, routes!(statuses_api))
        .api(MANAGE, routes!(change_api, history_api))
        .api(MANAGE, routes!(subcommittee_api))
        .api(MANAGE, routes!(add_meeting_api, meetings_api))
        .api(MANAGE, routes!(role_api))
        .api(MANAGE, routes!(end_api));
    pages::routes(r)
}

/// The problem for a council record that does not hold together.
pub(crate) fn member_problem(e: MemberError) -> Problem {
    match e {
        MemberError::NotFound => Problem::not_found(),
        MemberError::NotDrawn => {
            Problem::conflict_of("lottery-not-drawn", "lottery.error.not_drawn")
        }
        MemberError::AlreadyAppointed => {
            Problem::conflict_of("members-appointed", "council.error.appointed")
        }
        MemberError::NotAppointed => {
            Problem::conflict_of("members-not-appointed", "council.error.not_appointed")
        }
        MemberError::NoAlternate => {
            Problem::conflict_of("no-alternate", "council.error.no_alternate")
        }
        MemberError::NotServing => Problem::conflict_of("not-serving", "council.error.not_serving"),
        MemberError::NoVacancy => Problem::conflict_of("no-vacancy", "council.error.no_vacancy"),
        MemberError::Term => Problem::field("term_starts", "field.date"),
        MemberError::Role(RoleError::Taken) => {
            Problem::conflict_of("role-taken", "council.error.role_taken")
        }
        MemberError::Role(RoleError::SubcommitteeNeeded) => {
            Problem::field("subcommittee_id", "council.error.subcommittee")
        }
        MemberError::Store(e) => e.into(),
    }
}

pub(crate) fn council_problem(e: CouncilError) -> Problem {
    let key = match e {
        CouncilError::OrdinanceNeeded => "council.error.ordinance",
        CouncilError::OrdinanceName => "council.error.ordinance_name",
        CouncilError::PilotDateNeeded => "council.error.pilot_needed",
        CouncilError::PilotDateNotAllowed => "council.error.pilot_not_allowed",
        CouncilError::Name => "council.error.name",
        CouncilError::Text => "council.error.text",
        CouncilError::Attendance => "council.error.attendance",
        CouncilError::Members => "council.error.members",
    };
    Problem::field(e.field(), key)
}

/// An active eup/myeon/dong (404 for anything else).
pub(crate) async fn emd(state: &AppState, code: &str) -> Result<StoredRegion> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.region.level == Level::Emd && r.retired_on.is_none())
        .ok_or_else(Problem::not_found)
}

/// The eup/myeon/dong of `code` when the user may keep its council's records.
pub(crate) async fn managed_place(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let place = emd(state, code).await?;
    if !user.may_in(Permission::ManageCouncil, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

/// An optional day as typed: none when empty, 422 naming `field` when it is not a day.
pub(crate) fn day(field: &str, s: Option<&str>) -> Result<Option<time::Date>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| Problem::field(field, "field.date")),
    }
}

// ---------------------------------------------------------------------------------------
// The council

/// A council's status and basis as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CouncilIn {
    /// `none`, `committee` (주민자치위원회), `pilot` (시범실시) or `established`.
    #[schema(example = "pilot", pattern = "^(none|committee|pilot|established)$")]
    pub status: String,
    /// The ordinance the council stands on; needed for a pilot or established council.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub ordinance: Option<String>,
    /// `YYYY-MM-DD`
    #[serde(default)]
    #[schema(example = "2019-03-28", format = Date)]
    pub ordinance_on: Option<String>,
    /// `YYYY-MM-DD`; needed for a pilot council.
    #[serde(default)]
    #[schema(example = "2019-04-15", format = Date)]
    pub pilot_designated_on: Option<String>,
}

impl CouncilIn {
    pub(crate) fn council(&self) -> Result<Council> {
        let status = CouncilStatus::parse(&self.status)
            .ok_or_else(|| Problem::field("status", "field.choice"))?;
        Council::new(Council {
            status,
            ordinance: self.ordinance.clone(),
            ordinance_on: day("ordinance_on", self.ordinance_on.as_deref())?,
            pilot_designated_on: day("pilot_designated_on", self.pilot_designated_on.as_deref())?,
        })
        .map_err(council_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubcommitteeOut {
    pub id: i64,
    pub name: String,
}

/// A meeting and its public minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`
    pub held_on: String,
    pub agenda: String,
    pub attended: u32,
    pub members: u32,
    pub quorate: bool,
    pub minutes: Option<String>,
    /// None for a meeting of the whole council.
    pub subcommittee: Option<String>,
}

impl From<&StoredMeeting> for MeetingOut {
    fn from(m: &StoredMeeting) -> Self {
        MeetingOut {
            id: m.id,
            title: m.meeting.title.clone(),
            held_on: m.meeting.held_on.to_string(),
            agenda: m.meeting.agenda.clone(),
            attended: m.meeting.attended,
            members: m.meeting.members,
            quorate: m.meeting.quorate(),
            minutes: m.meeting.minutes.clone(),
            subcommittee: m.subcommittee.clone(),
        }
    }
}

/// A member serving today.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilMemberOut {
    pub id: i64,
    pub name: String,
    /// `chair`, `vice_chair`, `secretary`, `subcommittee_chair` or `member`.
    pub role: String,
    pub subcommittee: Option<String>,
    pub term_starts: String,
    pub term_ends: String,
}

/// A place's council, public.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilOut {
    pub region_code: String,
    pub region_name: String,
    pub status: String,
    pub ordinance: Option<String>,
    pub ordinance_on: Option<String>,
    pub pilot_designated_on: Option<String>,
    pub subcommittees: Vec<SubcommitteeOut>,
    /// The members serving today, by role.
    pub members: Vec<CouncilMemberOut>,
    /// The ten latest meetings.
    pub meetings: Vec<MeetingOut>,
}

fn council_fields(c: &Council) -> (String, Option<String>, Option<String>, Option<String>) {
    (
        c.status.as_str().to_owned(),
        c.ordinance.clone(),
        c.ordinance_on.map(|d| d.to_string()),
        c.pilot_designated_on.map(|d| d.to_string()),
    )
}

async fn council_out(state: &AppState, place: &StoredRegion) -> Result<CouncilOut> {
    let code = &place.region.code;
    let StoredCouncil { council, .. } = state.store.councils().get(code).await?;
    let subcommittees = state.store.councils().subcommittees(code).await?;
    let (meetings, _) = state.store.councils().meetings(code, 0, 10).await?;
    let members = state.store.councils().members(code, today()).await?;
    let (status, ordinance, ordinance_on, pilot_designated_on) = council_fields(&council);
    Ok(CouncilOut {
        region_code: code.to_string(),
        region_name: place.region.full_name.clone(),
        status,
        ordinance,
        ordinance_on,
        pilot_designated_on,
        subcommittees: subcommittees
            .into_iter()
            .map(|s| SubcommitteeOut {
                id: s.id,
                name: s.name,
            })
            .collect(),
        members: members
            .into_iter()
            .map(|m| CouncilMemberOut {
                id: m.id,
                name: m.name,
                role: m.role.as_str().to_owned(),
                subcommittee: m.subcommittee,
                term_starts: m.term_starts.to_string(),
                term_ends: m.term_ends.to_string(),
            })
            .collect(),
        meetings: meetings.iter().map(MeetingOut::from).collect(),
    })
}

/// The council of an eup/myeon/dong: status, legal basis, subcommittees, latest meetings.
#[utoipa::path(get, path = "/regions/{code}/council", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    responses(
        (status = 200, body = CouncilOut),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn council_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<CouncilOut>> {
    let place = emd(&state, &code).await?;
    Ok(Json(council_out(&state, &place).await?))
}

/// Records a change of the council's status or basis; every change is kept.
#[utoipa::path(post, path = "/regions/{code}/council-changes", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = CouncilIn, security(("bearer" = [])),
    responses(
        (status = 201, body = CouncilOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "The record does not hold together; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn change_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CouncilOut>)> {
    let place = managed_place(&state, &user, &code).await?;
    let council = json_body::<CouncilIn>(&body)?.council()?;
    state
        .store
        .councils()
        .set(&place.region.code, council, user.user_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(council_out(&state, &place).await?),
    ))
}

/// A past state of a council's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilChangeOut {
    pub status: String,
    pub ordinance: Option<String>,
    pub ordinance_on: Option<String>,
    pub pilot_designated_on: Option<String>,
    /// `web` or `import`.
    pub source: String,
    /// Seconds since the epoch.
    pub changed_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilChangeList {
    pub items: Vec<CouncilChangeOut>,
}

/// The changes of a council's record, newest first.
#[utoipa::path(get, path = "/regions/{code}/council-changes", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = CouncilChangeList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn history_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<CouncilChangeList>> {
    let place = managed_place(&state, &user, &code).await?;
    let items = state
        .store
        .councils()
        .history(&place.region.code)
        .await?
        .into_iter()
        .map(|c| {
            let (status, ordinance, ordinance_on, pilot_designated_on) = council_fields(&c.council);
            CouncilChangeOut {
                status,
                ordinance,
                ordinance_on,
                pilot_designated_on,
                source: c.source,
                changed_at: c.changed_at,
            }
        })
        .collect();
    Ok(Json(CouncilChangeList { items }))
}

// ---------------------------------------------------------------------------------------
// Counts by status

/// Places by council status.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsOut {
    pub none: i64,
    pub committee: i64,
    pub pilot: i64,
    pub established: i64,
    pub total: i64,
}

impl From<&StatusCounts> for CountsOut {
    fn from(c: &StatusCounts) -> Self {
        CountsOut {
            none: c.none,
            committee: c.committee,
            pilot: c.pilot,
            established: c.established,
            total: c.total(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BelowOut {
    pub region_code: String,
    pub name: String,
    pub counts: CountsOut,
}

/// A region's counts and those of each region one step below; they add up.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusesOut {
    pub region_code: String,
    pub counts: CountsOut,
    pub below: Vec<BelowOut>,
}

/// The counts of a region (any level; `0000000000` for the nation) with names below it.
pub(crate) async fn statuses(state: &AppState, code: &str) -> Result<(String, StatusesOut)> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let (name, names) = crate::region::below_names(state, &code).await?;
    let counts = state.store.councils().counts(&code).await?;
    let below = counts
        .below
        .iter()
        .map(|(child, c)| BelowOut {
            region_code: child.to_string(),
            name: names
                .get(child.as_str())
                .cloned()
                .unwrap_or_else(|| child.to_string()),
            counts: CountsOut::from(c),
        })
        .collect();
    Ok((
        name,
        StatusesOut {
            region_code: code.to_string(),
            counts: CountsOut::from(&counts.total),
            below,
        },
    ))
}

/// Eup/myeon/dong by council status in a region and in each region one step below.
#[utoipa::path(get, path = "/regions/{code}/council-statuses", tag = "autonomy",
    params(("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$")),
    responses(
        (status = 200, body = StatusesOut),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
    ))]
async fn statuses_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<StatusesOut>> {
    Ok(Json(statuses(&state, &code).await?.1))
}

// ---------------------------------------------------------------------------------------
// Subcommittees and meetings

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubcommitteeIn {
    #[schema(
        example = "복지분과",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub name: String,
}

/// Adds a subcommittee (분과) to a council.
#[utoipa::path(post, path = "/regions/{code}/subcommittees", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = SubcommitteeIn, security(("bearer" = [])),
    responses(
        (status = 201, body = SubcommitteeOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 409, description = "The council has a subcommittee of that name", content_type = "application/problem+json"),
        (status = 422, description = "The name is empty or too long", content_type = "application/problem+json"),
    ))]
async fn subcommittee_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<SubcommitteeOut>)> {
    let place = managed_place(&state, &user, &code).await?;
    let name = json_body::<SubcommitteeIn>(&body)?.name;
    let id = add_subcommittee(&state, &place, &name).await?;
    Ok((
        StatusCode::CREATED,
        Json(SubcommitteeOut {
            id,
            name: name.trim().to_owned(),
        }),
    ))
}

pub(crate) async fn add_subcommittee(
    state: &AppState,
    place: &StoredRegion,
    name: &str,
) -> Result<i64> {
    let name = council::name(name).map_err(council_problem)?;
    match state
        .store
        .councils()
        .add_subcommittee(&place.region.code, name)
        .await
    {
        Err(StoreError::Conflict) => Err(Problem::conflict_of(
            "subcommittee-exists",
            "council.error.subcommittee_exists",
        )),
        other => Ok(other?),
    }
}

/// A meeting as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingIn {
    #[schema(
        example = "3월 정기회의",
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub title: String,
    /// `YYYY-MM-DD`
    #[schema(example = "2026-03-10", format = Date)]
    pub held_on: String,
    #[serde(default)]
    pub agenda: String,
    /// Members present.
    #[schema(minimum = 0, maximum = 1000)]
    pub attended: u32,
    /// Members in office that day.
    #[schema(minimum = 0, maximum = 1000)]
    pub members: u32,
    /// 회의록 — public.
    #[serde(default)]
    pub minutes: Option<String>,
    /// A subcommittee of the council; none for the whole council.
    #[serde(default)]
    pub subcommittee_id: Option<i64>,
}

impl MeetingIn {
    pub(crate) fn meeting(self) -> Result<Meeting> {
        let held_on = day("held_on", Some(&self.held_on))?
            .ok_or_else(|| Problem::field("held_on", "field.required"))?;
        Meeting::new(Meeting {
            title: self.title,
            held_on,
            agenda: self.agenda,
            attended: self.attended,
            members: self.members,
            minutes: self.minutes,
            subcommittee_id: self.subcommittee_id,
        })
        .map_err(council_problem)
    }
}

/// Records a meeting of the council or of one of its subcommittees.
#[utoipa::path(post, path = "/regions/{code}/council-meetings", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = MeetingIn, security(("bearer" = [])),
    responses(
        (status = 201, body = Created),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (e.g. more present than members, a subcommittee of another council)", content_type = "application/problem+json"),
    ))]
async fn add_meeting_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Created>)> {
    let place = managed_place(&state, &user, &code).await?;
    let meeting = json_body::<MeetingIn>(&body)?.meeting()?;
    let id = add_meeting(&state, &user, &place, meeting).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

pub(crate) async fn add_meeting(
    state: &AppState,
    user: &Principal,
    place: &StoredRegion,
    meeting: Meeting,
) -> Result<i64> {
    match state
        .store
        .councils()
        .add_meeting(&place.region.code, meeting, user.user_id)
        .await
    {
        Err(StoreError::NotFound) => Err(Problem::field(
            "subcommittee_id",
            "council.error.subcommittee",
        )),
        other => Ok(other?),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MeetingsQuery {
    /// From 1.
    pub page: Option<String>,
    /// 1 to 100; 20 unless given.
    pub per_page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<MeetingOut>,
    pub total: i64,
}

/// The meetings of a council, newest first.
#[utoipa::path(get, path = "/regions/{code}/council-meetings", tag = "autonomy",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code"), MeetingsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = MeetingList),
        (status = 400, description = "The query string cannot be read", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not a council officer, autonomy staff or programme staff of the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "A paging parameter is wrong", content_type = "application/problem+json"),
    ))]
async fn meetings_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    Params(query): Params<MeetingsQuery>,
) -> Result<Json<MeetingList>> {
    let place = managed_place(&state, &user, &code).await?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (list, total) = state
        .store
        .councils()
        .meetings(&place.region.code, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(MeetingList {
        items: list.iter().map(MeetingOut::from).collect(),
        total,
    }))
}

// ---------------------------------------------------------------------------------------
// Members' roles and leaving

/// The place of a member when the user keeps its council (404 otherwise).
pub(crate) async fn member_of(state: &AppState, user: &Principal, id: &str) -> Result<i64> {
    let id = record_id(id)?;
    let place = state
        .store
        .councils()
        .member_place(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    managed_place(state, user, &place)
        .await
        .map_err(|_| Problem::not_found())?;
    Ok(id)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleIn {
    /// `chair`, `vice_chair`, `secretary`, `subcommittee_chair` or `member`.
    #[schema(pattern = "^(chair|vice_chair|secretary|subcommittee_chair|member)$")]
    pub role: String,
    /// The subcommittee a subcommittee chair leads.
    #[serde(default)]
    pub subcommittee_id: Option<i64>,
}

impl RoleIn {
    pub(crate) fn role(&self) -> Result<MemberRole> {
        MemberRole::parse(&self.role).ok_or_else(|| Problem::field("role", "field.choice"))
    }
}

/// Gives a serving member a role: one chair and one secretary, at most two vice-chairs, one
/// chair per subcommittee.
#[utoipa::path(post, path = "/council-members/{id}/role", tag = "autonomy", params(("id" = i64, Path)),
    request_body = RoleIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "The role is given"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such member in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "Another member holds the role, or the member is not serving", content_type = "application/problem+json"),
        (status = 422, description = "No such role, or a subcommittee chair without a subcommittee of the council", content_type = "application/problem+json"),
    ))]
async fn role_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let id = member_of(&state, &user, &id).await?;
    let input = json_body::<RoleIn>(&body)?;
    state
        .store
        .councils()
        .set_role(id, input.role()?, input.subcommittee_id, today())
        .await
        .map_err(member_problem)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that a serving member leaves the council today (their role ends with them).
#[utoipa::path(post, path = "/council-members/{id}/end", tag = "autonomy", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The membership has ended"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to keep councils", content_type = "application/problem+json"),
        (status = 404, description = "No such member in the user's places", content_type = "application/problem+json"),
        (status = 409, description = "The member is not serving", content_type = "application/problem+json"),
    ))]
async fn end_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let id = member_of(&state, &user, &id).await?;
    state
        .store
        .councils()
        .end_membership(id, today())
        .await
        .map_err(member_problem)?;
    Ok(StatusCode::NO_CONTENT)
}
