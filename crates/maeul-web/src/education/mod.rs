//! 교육 — courses for officials and residents (the autonomy school among them): public to read,
//! run by the council's officers and autonomy staff of a place and by programme and ministry
//! staff of theirs, who keep the sessions, the roster and its attendance. The API here; the
//! pages in `pages`.

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::education::{Audience, Course, EducationError, Session, name};
use maeul_store::education::{
    CourseSummary, EducationStoreError, Enrolee, StoredCourse, StoredSession,
};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::certificate::CertificateOut;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result};
use crate::page::{PageCtx, code_enum};
use crate::region::WithinPage;
use crate::welfare::today;
use crate::{AppState, record_id};

const RUN: Access = Access::Allowed(Permission::RunCourses);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(list_api))
        .api(RUN, routes!(create_api))
        .api(Access::Public, routes!(show_api))
        .api(RUN, routes!(session_api))
        .api(RUN, routes!(enrol_api))
        .api(RUN, routes!(roster_api))
        .api(RUN, routes!(attendance_api))
        .api(RUN, routes!(certificates_api, issue_api));
    pages::routes(r)
}

fn rule_problem(e: EducationError) -> Problem {
    let key = match e {
        EducationError::Name { field: "title" } => "course.error.title",
        EducationError::Name {
            field: "affiliation",
        } => "course.error.affiliation",
        EducationError::Name { .. } => "course.error.name",
        EducationError::Text => "course.error.text",
        EducationError::Required => "course.error.required",
        EducationError::SchoolAudience => "course.error.school_audience",
        EducationError::SessionMinutes => "course.error.session_minutes",
        EducationError::Attendance => "course.error.attendance",
    };
    Problem::field(e.field(), key)
}

fn store_problem(e: EducationStoreError) -> Problem {
    match e {
        EducationStoreError::NotOfCourse { field } => {
            Problem::field(field, "course.error.not_of_course")
        }
        EducationStoreError::Store(e) => e.into(),
    }
}

/// A course and the region that runs it (404 when there is no such course).
async fn course_of(state: &AppState, id: &str) -> Result<(StoredCourse, StoredRegion)> {
    let c = state
        .store
        .courses()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)?;
    let code =
        maeul_core::region::RegionCode::parse(&c.region_code).map_err(|_| Problem::internal())?;
    let r = state
        .store
        .regions()
        .get(&code)
        .await?
        .ok_or_else(Problem::internal)?;
    Ok((c, r))
}

/// Whether the user runs the courses of a region: those of their own scope only, so that
/// programme and ministry staff above a place see its figures, never its roster's names.
fn runs(user: Option<&Principal>, r: &StoredRegion) -> bool {
    user.is_some_and(|u| u.scopes(Permission::RunCourses).contains(&r.region.code))
}

/// A course the user runs (403 for a course of another scope).
async fn run_course(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<(StoredCourse, StoredRegion)> {
    let (c, r) = course_of(state, id).await?;
    if !runs(Some(user), &r) {
        return Err(Problem::forbidden());
    }
    Ok((c, r))
}

/// Minutes as hours and minutes (`6시간`, `1시간 30분`).
pub(crate) fn hours(ctx: &PageCtx, minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (h, 0) => ctx.tf("course.hours", &[("h", &h.to_string())]),
        (0, m) => ctx.tf("course.minutes", &[("m", &m.to_string())]),
        (h, m) => ctx.tf(
            "course.hours_minutes",
            &[("h", &h.to_string()), ("m", &m.to_string())],
        ),
    }
}

fn audience_schema() -> utoipa::openapi::schema::Object {
    code_enum(Audience::ALL.iter().map(|a| a.as_str()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CourseIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// `residents`, `officials` or `everyone`.
    #[schema(schema_with = audience_schema)]
    pub audience: String,
    /// 주민자치학교: its completed hours count for the council's member lottery (a course for
    /// residents or everyone).
    #[serde(default)]
    pub autonomy_school: bool,
    /// Attended minutes that complete the course (6 hours: 360).
    #[schema(minimum = 1, maximum = 12000)]
    pub required_minutes: u32,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub description: String,
}

impl CourseIn {
    fn course(&self) -> Result<Course> {
        let audience = Audience::parse(&self.audience)
            .ok_or_else(|| Problem::field("audience", "field.choice"))?;
        Course::new(
            &self.title,
            audience,
            self.autonomy_school,
            self.required_minutes,
            &self.description,
        )
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub minutes: u32,
}

impl From<&StoredSession> for SessionOut {
    fn from(s: &StoredSession) -> Self {
        SessionOut {
            id: s.id,
            title: s.session.title.clone(),
            held_on: s.session.held_on.to_string(),
            minutes: s.session.minutes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseOut {
    pub id: i64,
    /// The place, local government, si/do or nation (`0000000000`) that runs it.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    #[schema(schema_with = audience_schema)]
    pub audience: String,
    pub autonomy_school: bool,
    pub required_minutes: u32,
    pub description: String,
    /// By day.
    pub sessions: Vec<SessionOut>,
}

fn course_out(c: &StoredCourse, sessions: &[StoredSession]) -> CourseOut {
    CourseOut {
        id: c.id,
        region_code: c.region_code.clone(),
        region_name: c.region_name.clone(),
        title: c.course.title.clone(),
        audience: c.course.audience.as_str().to_owned(),
        autonomy_school: c.course.autonomy_school,
        required_minutes: c.course.required_minutes,
        description: c.course.description.clone(),
        sessions: sessions.iter().map(SessionOut::from).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseListItem {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    #[schema(schema_with = audience_schema)]
    pub audience: String,
    pub autonomy_school: bool,
    pub required_minutes: u32,
    pub sessions: i64,
    pub enrolled: i64,
    /// Enrolments whose attended minutes reach `required_minutes`.
    pub completed: i64,
}

impl From<&CourseSummary> for CourseListItem {
    fn from(s: &CourseSummary) -> Self {
        let c = &s.stored;
        CourseListItem {
            id: c.id,
            region_code: c.region_code.clone(),
            region_name: c.region_name.clone(),
            title: c.course.title.clone(),
            audience: c.course.audience.as_str().to_owned(),
            autonomy_school: c.course.autonomy_school,
            required_minutes: c.course.required_minutes,
            sessions: s.sessions,
            enrolled: s.enrolled,
            completed: s.completed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CourseListOut {
    pub items: Vec<CourseListItem>,
    pub total: i64,
}

/// The courses run by a region and the regions within it, newest first.
#[utoipa::path(get, path = "/courses", tag = "organisation", params(WithinPage),
    responses(
        (status = 200, body = CourseListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "A region code or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Params(query): Params<WithinPage>,
) -> Result<Json<CourseListOut>> {
    let (code, paging) = query.read()?;
    let (items, total) = state
        .store
        .courses()
        .within(&code, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(CourseListOut {
        items: items.iter().map(CourseListItem::from).collect(),
        total,
    }))
}

/// A region the user runs courses for (403 outside the scope).
async fn run_region(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if !runs(Some(user), &r) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

async fn create(
    state: &AppState,
    user: &Principal,
    r: &StoredRegion,
    sent: &CourseIn,
) -> Result<i64> {
    let course = sent.course()?;
    Ok(state
        .store
        .courses()
        .create(&r.region.code, course, user.user_id)
        .await?)
}

/// Opens a course of a region.
#[utoipa::path(post, path = "/regions/{code}/courses", tag = "organisation",
    params(("code" = String, Path, description = "The region that runs the course")),
    request_body = CourseIn, security(("bearer" = [])),
    responses(
        (status = 201, body = CourseOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the courses of the region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A title, audience, hours or description is wrong; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<CourseOut>)> {
    let r = run_region(&state, &user, &code).await?;
    let id = create(&state, &user, &r, &json_body::<CourseIn>(&body)?).await?;
    let (c, _) = course_of(&state, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(course_out(&c, &[]))))
}

/// A course with its sessions (who enrolled is on the roster, for those who run it).
#[utoipa::path(get, path = "/courses/{id}", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    responses(
        (status = 200, body = CourseOut),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CourseOut>> {
    let (c, _) = course_of(&state, &id).await?;
    let sessions = state.store.courses().sessions(c.id).await?;
    Ok(Json(course_out(&c, &sessions)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SessionIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    #[schema(minimum = 10, maximum = 600)]
    pub minutes: u32,
}

impl SessionIn {
    fn session(&self) -> Result<Session> {
        let held_on = day("held_on", Some(&self.held_on))?
            .ok_or_else(|| Problem::field("held_on", "field.date"))?;
        Session::new(&self.title, held_on, self.minutes).map_err(rule_problem)
    }
}

/// Adds a session to a course.
#[utoipa::path(post, path = "/courses/{id}/sessions", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    request_body = SessionIn, security(("bearer" = [])),
    responses(
        (status = 201, body = SessionOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
        (status = 422, description = "A title, day or length is wrong; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn session_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<SessionOut>)> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let session = json_body::<SessionIn>(&body)?.session()?;
    let id = state
        .store
        .courses()
        .add_session(c.id, session.clone())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionOut::from(&StoredSession { id, session })),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EnrolmentIn {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// 소속: the council, the team or the organisation.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub affiliation: String,
}

async fn enrol(
    state: &AppState,
    user: &Principal,
    c: &StoredCourse,
    sent: &EnrolmentIn,
) -> Result<i64> {
    let person = name("name", &sent.name).map_err(rule_problem)?;
    let affiliation = match sent.affiliation.trim() {
        "" => String::new(),
        a => name("affiliation", a).map_err(rule_problem)?,
    };
    Ok(state
        .store
        .courses()
        .enrol(c.id, person, affiliation, user.user_id)
        .await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendedOut {
    pub session_id: i64,
    pub minutes: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnroleeOut {
    pub id: i64,
    pub name: String,
    pub affiliation: String,
    pub attended: Vec<AttendedOut>,
    pub total_minutes: u32,
    /// Whether `total_minutes` reaches the course's `required_minutes`.
    pub completed: bool,
}

fn enrolee_out(c: &StoredCourse, e: &Enrolee) -> EnroleeOut {
    EnroleeOut {
        id: e.id,
        name: e.name.clone(),
        affiliation: e.affiliation.clone(),
        attended: e
            .attended
            .iter()
            .map(|(s, m)| AttendedOut {
                session_id: *s,
                minutes: *m,
            })
            .collect(),
        total_minutes: e.total(),
        completed: c.course.completed_by(e.total()),
    }
}

/// Enrols a person in a course.
#[utoipa::path(post, path = "/courses/{id}/enrolments", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    request_body = EnrolmentIn, security(("bearer" = [])),
    responses(
        (status = 201, body = EnroleeOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
        (status = 422, description = "A name or affiliation is wrong; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn enrol_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<EnroleeOut>)> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let sent = json_body::<EnrolmentIn>(&body)?;
    let id = enrol(&state, &user, &c, &sent).await?;
    let roster = state.store.courses().roster(c.id).await?;
    let e = roster
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(Problem::internal)?;
    Ok((StatusCode::CREATED, Json(enrolee_out(&c, e))))
}

/// A course's roster: who enrolled, what each attended, who completed.
#[utoipa::path(get, path = "/courses/{id}/roster", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<EnroleeOut>),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
    ))]
async fn roster_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<Vec<EnroleeOut>>> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let roster = state.store.courses().roster(c.id).await?;
    Ok(Json(roster.iter().map(|e| enrolee_out(&c, e)).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AttendanceMarkIn {
    pub enrolment_id: i64,
    pub session_id: i64,
    /// Minutes attended (0 for absent); the whole session when left out.
    #[schema(minimum = 0, maximum = 600)]
    pub minutes: Option<u32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AttendanceIn {
    #[schema(max_items = 5000)]
    pub marks: Vec<AttendanceMarkIn>,
}

/// Most marks one request records.
const MAX_MARKS: usize = 5000;

/// Checks marks against the course's sessions and writes them, all or none; a refusal names
/// the mark (`marks[3].minutes`).
async fn record(state: &AppState, c: &StoredCourse, marks: &[AttendanceMarkIn]) -> Result<()> {
    if marks.len() > MAX_MARKS {
        return Err(Problem::field("marks", "course.error.too_many"));
    }
    let sessions = state.store.courses().sessions(c.id).await?;
    let checked = marks
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let s = sessions
                .iter()
                .find(|s| s.id == m.session_id)
                .ok_or_else(|| {
                    Problem::field(
                        &format!("marks[{i}].session_id"),
                        "course.error.not_of_course",
                    )
                })?;
            let minutes = s.session.attended(m.minutes).map_err(|_| {
                Problem::field(&format!("marks[{i}].minutes"), "course.error.attendance")
            })?;
            Ok((m.enrolment_id, m.session_id, minutes))
        })
        .collect::<Result<Vec<_>>>()?;
    state
        .store
        .courses()
        .record_attendance(c.id, checked)
        .await
        .map_err(store_problem)
}

/// Records attendance: each mark replaces what was recorded for its person and session.
#[utoipa::path(put, path = "/courses/{id}/attendance", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    request_body = AttendanceIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
        (status = 422, description = "A person or session not of the course, or more minutes than the session; `errors` names the mark (`marks[3].minutes`); nothing is recorded", content_type = "application/problem+json"),
    ))]
async fn attendance_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let sent = json_body::<AttendanceIn>(&body)?;
    record(&state, &c, &sent.marks).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The course's certificates of completion, in the order of its roster.
#[utoipa::path(get, path = "/courses/{id}/certificates", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<CertificateOut>),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
    ))]
async fn certificates_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<Vec<CertificateOut>>> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let list = state.store.certificates().of_course(c.id).await?;
    Ok(Json(list.iter().map(CertificateOut::from).collect()))
}

/// Issues a certificate of completion (교육 이수증) to everyone whose attendance reaches the
/// course's hours and who has none yet, then gives all the course's certificates. A
/// certificate says what the attendance said when it was issued; asking again changes none.
#[utoipa::path(post, path = "/courses/{id}/certificates", tag = "organisation",
    params(("id" = String, Path, description = "A course id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<CertificateOut>),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not running the course", content_type = "application/problem+json"),
        (status = 404, description = "No such course", content_type = "application/problem+json"),
    ))]
async fn issue_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Json<Vec<CertificateOut>>> {
    let (c, _) = run_course(&state, &user, &id).await?;
    let list = state
        .store
        .certificates()
        .for_course(c.id, today(), user.user_id)
        .await?;
    Ok(Json(list.iter().map(CertificateOut::from).collect()))
}
