//! 조직 모형 — the organisation model of every eup/myeon/dong: public, with progress towards
//! the manual's rule at every level; kept by the programme staff of the scope and the
//! ministry. The API is here; the pages, which use the same checks, are in [`pages`].

mod pages;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use maeul_core::account::{Permission, Principal};
use maeul_core::org::model::{
    ModelCounts, OrgError, OrgModel, OrgRules, Organisation, Progress, progress, target_models,
};
use maeul_core::region::RegionCode;
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::{day, emd};
use crate::error::{Problem, Result};
use crate::page::{code_enum, nullable_code_enum};
use crate::region::below_names;
use crate::welfare::today;
use crate::{AppState, rfc3339};

const KEEP: Access = Access::Allowed(Permission::KeepOrgModels);

pub fn routes(r: Routes) -> Routes {
    let r = r
        .api(Access::Public, routes!(model_api))
        .api(Access::Public, routes!(progress_api))
        .api(KEEP, routes!(change_api, history_api));
    pages::routes(r)
}

pub(crate) fn rule_problem(e: OrgError) -> Problem {
    let key = match e {
        OrgError::NotAPlace => "org.error.not_a_place",
        OrgError::ModelNotForKind => "org.error.model_not_for_kind",
        OrgError::PlannedModelMissing => "org.error.planned_model_missing",
        OrgError::PlannedDayMissing => "org.error.planned_day_missing",
        OrgError::PlannedSame => "org.error.planned_same",
        OrgError::AgainstRule => "org.error.against_rule",
        OrgError::PlannedBeforeSince => "org.error.planned_before_since",
        OrgError::UnknownTeam(_) => "org.error.unknown_team",
        OrgError::TeamTwice(_) => "org.error.team_twice",
        OrgError::TooManyTeams => "org.error.too_many_teams",
    };
    Problem::field(e.field(), key)
}

/// An active eup/myeon/dong whose record the user keeps (404 unknown, 403 outside the scope).
pub(crate) async fn kept_place(
    state: &AppState,
    user: &Principal,
    code: &str,
) -> Result<StoredRegion> {
    let place = emd(state, code).await?;
    if !user.may_in(Permission::KeepOrgModels, &place.path) {
        return Err(Problem::forbidden());
    }
    Ok(place)
}

fn model_schema() -> utoipa::openapi::schema::Object {
    code_enum(OrgModel::ALL.iter().map(|m| m.as_str()))
}

fn planned_model_schema() -> utoipa::openapi::schema::Object {
    nullable_code_enum(OrgModel::ALL.iter().map(|m| m.as_str()))
}

/// A place's organisation as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OrgModelIn {
    /// `basic` (기본형), `service_linked` (공공서비스 연계형) or `rural_specialised` (농어촌특성화형).
    #[schema(schema_with = model_schema)]
    pub model: String,
    /// Since when the place has this model (`YYYY-MM-DD`).
    #[schema(example = "2019-07-01")]
    pub since: Option<String>,
    /// The model the place is to change to: for a 읍 or 동 `service_linked`, for a 면 `basic`
    /// or `rural_specialised`. Given together with `planned_on`; null for none.
    #[schema(schema_with = planned_model_schema)]
    pub planned_model: Option<String>,
    #[schema(example = "2022-07-01")]
    pub planned_on: Option<String>,
    /// The place's teams, each one of the configured teams once; left out, the model's
    /// standard teams.
    #[schema(max_items = 20)]
    pub teams: Option<Vec<String>>,
}

impl OrgModelIn {
    /// The record for a place of `kind`; 422 naming the field that is wrong.
    pub(crate) fn organisation(
        &self,
        place: &StoredRegion,
        rules: &OrgRules,
    ) -> Result<Organisation> {
        let model = |field: &str, s: &str| {
            OrgModel::parse(s).ok_or_else(|| Problem::field(field, "field.choice"))
        };
        let current = model("model", &self.model)?;
        let planned_model = match self.planned_model.as_deref() {
            None => None,
            Some(s) => Some(model("planned_model", s)?),
        };
        Organisation::new(
            place.region.kind,
            current,
            day("since", self.since.as_deref())?,
            (
                planned_model,
                day("planned_on", self.planned_on.as_deref())?,
            ),
            self.teams.clone(),
            rules,
        )
        .map_err(rule_problem)
    }
}

/// A place's organisation and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelOut {
    pub region_code: String,
    pub region_name: String,
    /// `eup`, `myeon` or `dong`.
    pub kind: String,
    /// None when never recorded.
    pub model: Option<String>,
    pub since: Option<String>,
    pub planned_model: Option<String>,
    pub planned_on: Option<String>,
    pub teams: Vec<String>,
    /// The standard teams of the model that the place does not have.
    pub missing_teams: Vec<String>,
    /// The models the rule wants for a place of this kind.
    pub target_models: Vec<String>,
    /// The day by which every place is to have one of them.
    pub target_on: String,
    /// `reached`, `planned`, `overdue` (the planned day passed), `late` (planned after the
    /// target day), `unplanned` or `unrecorded`.
    pub progress: String,
    /// When the record last changed (RFC 3339), none when never recorded.
    pub updated_at: Option<String>,
}

/// A place's record with where it stands today.
pub(crate) struct PlaceRecord {
    pub organisation: Option<Organisation>,
    pub updated_at: Option<i64>,
    pub progress: Progress,
    pub rules: OrgRules,
}

pub(crate) async fn place_record(state: &AppState, place: &StoredRegion) -> Result<PlaceRecord> {
    let rules = state.store.org_models().rules().await?;
    let stored = state.store.org_models().get(&place.region.code).await?;
    let organisation = stored.as_ref().map(|s| s.organisation.clone());
    let progress = progress(
        place.region.kind,
        organisation.as_ref(),
        rules.target_on(),
        today(),
    );
    Ok(PlaceRecord {
        organisation,
        updated_at: stored.map(|s| s.updated_at),
        progress,
        rules,
    })
}

fn model_out(place: &StoredRegion, r: &PlaceRecord) -> OrgModelOut {
    let o = r.organisation.as_ref();
    OrgModelOut {
        region_code: place.region.code.to_string(),
        region_name: place.region.full_name.clone(),
        kind: place.region.kind.as_str().to_owned(),
        model: o.map(|o| o.model.as_str().to_owned()),
        since: o.and_then(|o| o.since).map(|d| d.to_string()),
        planned_model: o
            .and_then(|o| o.planned)
            .map(|t| t.model.as_str().to_owned()),
        planned_on: o.and_then(|o| o.planned).map(|t| t.on.to_string()),
        teams: o.map(|o| o.teams.clone()).unwrap_or_default(),
        missing_teams: o
            .map(|o| o.missing_teams(&r.rules))
            .unwrap_or_default()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        target_models: target_models(place.region.kind)
            .iter()
            .map(|m| m.as_str().to_owned())
            .collect(),
        target_on: r.rules.target_on().to_string(),
        progress: r.progress.as_str().to_owned(),
        updated_at: r.updated_at.map(rfc3339),
    }
}

/// The organisation model of an eup/myeon/dong and where it stands against the rule.
#[utoipa::path(get, path = "/regions/{code}/org-model", tag = "organisation",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    responses(
        (status = 200, body = OrgModelOut),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn model_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<OrgModelOut>> {
    let place = emd(&state, &code).await?;
    let record = place_record(&state, &place).await?;
    Ok(Json(model_out(&place, &record)))
}

/// Records the model, planned transition and teams of an eup/myeon/dong; every change is kept.
#[utoipa::path(post, path = "/regions/{code}/org-model-changes", tag = "organisation",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    request_body = OrgModelIn, security(("bearer" = [])),
    responses(
        (status = 201, body = OrgModelOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
        (status = 422, description = "The record breaks the rule or does not hold together; `errors` names the field", content_type = "application/problem+json"),
    ))]
async fn change_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<OrgModelOut>)> {
    let place = kept_place(&state, &user, &code).await?;
    record(&state, &user, &place, &json_body::<OrgModelIn>(&body)?).await?;
    let record = place_record(&state, &place).await?;
    Ok((StatusCode::CREATED, Json(model_out(&place, &record))))
}

/// Checks and records what was sent for a place the user keeps.
pub(crate) async fn record(
    state: &AppState,
    user: &Principal,
    place: &StoredRegion,
    sent: &OrgModelIn,
) -> Result<()> {
    let rules = state.store.org_models().rules().await?;
    let organisation = sent.organisation(place, &rules)?;
    state
        .store
        .org_models()
        .set(&place.region.code, organisation, user.user_id)
        .await?;
    Ok(())
}

/// A past state of a place's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelChangeOut {
    pub model: String,
    pub since: Option<String>,
    pub planned_model: Option<String>,
    pub planned_on: Option<String>,
    pub teams: Vec<String>,
    /// `web` or `import`.
    pub source: String,
    /// RFC 3339.
    pub changed_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelChangeList {
    pub items: Vec<OrgModelChangeOut>,
}

/// The changes of a place's record, newest first.
#[utoipa::path(get, path = "/regions/{code}/org-model-changes", tag = "organisation",
    params(("code" = String, Path, description = "10-digit eup/myeon/dong code")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OrgModelChangeList),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not programme or ministry staff over the place", content_type = "application/problem+json"),
        (status = 404, description = "No such eup/myeon/dong", content_type = "application/problem+json"),
    ))]
async fn history_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
) -> Result<Json<OrgModelChangeList>> {
    let place = kept_place(&state, &user, &code).await?;
    let items = state
        .store
        .org_models()
        .history(&place.region.code)
        .await?
        .into_iter()
        .map(|c| {
            let o = c.organisation;
            OrgModelChangeOut {
                model: o.model.as_str().to_owned(),
                since: o.since.map(|d| d.to_string()),
                planned_model: o.planned.map(|t| t.model.as_str().to_owned()),
                planned_on: o.planned.map(|t| t.on.to_string()),
                teams: o.teams,
                source: c.source,
                changed_at: rfc3339(c.changed_at),
            }
        })
        .collect();
    Ok(Json(OrgModelChangeList { items }))
}

/// Places by model (with `unrecorded`) and by progress (reached … unplanned, with
/// `unrecorded`); each set adds up to `total`.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelCounts {
    pub basic: i64,
    pub service_linked: i64,
    pub rural_specialised: i64,
    pub unrecorded: i64,
    pub reached: i64,
    pub planned: i64,
    pub overdue: i64,
    pub late: i64,
    pub unplanned: i64,
    pub total: i64,
    /// The share of the places that reached their target, in tenths of a percent.
    pub reached_permille: i64,
}

impl From<&ModelCounts> for OrgModelCounts {
    fn from(c: &ModelCounts) -> Self {
        OrgModelCounts {
            basic: c.basic,
            service_linked: c.service_linked,
            rural_specialised: c.rural_specialised,
            unrecorded: c.unrecorded,
            reached: c.reached,
            planned: c.planned,
            overdue: c.overdue,
            late: c.late,
            unplanned: c.unplanned,
            total: c.total(),
            reached_permille: c.reached_permille(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelBelow {
    pub region_code: String,
    pub name: String,
    pub counts: OrgModelCounts,
}

/// A region's counts and those of each region one step below; they add up.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgModelProgress {
    pub region_code: String,
    pub region_name: String,
    /// The day by which every place is to have its model.
    pub target_on: String,
    pub counts: OrgModelCounts,
    pub below: Vec<OrgModelBelow>,
}

/// The counts of a region (any level; `0000000000` for the nation) with names below it.
pub(crate) async fn progress_of(state: &AppState, code: &str) -> Result<OrgModelProgress> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let (name, names) = below_names(state, &code).await?;
    let target_on = state.store.org_models().rules().await?.target_on();
    let counts = state
        .store
        .org_models()
        .counts(&code, target_on, today())
        .await?;
    let below = counts
        .below
        .iter()
        .map(|(child, c)| OrgModelBelow {
            region_code: child.to_string(),
            name: names
                .get(child.as_str())
                .cloned()
                .unwrap_or_else(|| child.to_string()),
            counts: OrgModelCounts::from(c),
        })
        .collect();
    Ok(OrgModelProgress {
        region_code: code.to_string(),
        region_name: name,
        target_on: target_on.to_string(),
        counts: OrgModelCounts::from(&counts.total),
        below,
    })
}

/// Eup/myeon/dong by organisation model and by progress towards the rule, in a region and in
/// each region one step below.
#[utoipa::path(get, path = "/regions/{code}/org-model-progress", tag = "organisation",
    params(("code" = String, Path, description = "A region code; `0000000000` for the nation", pattern = "^[0-9]{8}00$")),
    responses(
        (status = 200, body = OrgModelProgress),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
    ))]
async fn progress_api(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<OrgModelProgress>> {
    Ok(Json(progress_of(&state, &code).await?))
}
