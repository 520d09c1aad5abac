//! 민간 지원조직 주도 사업 — projects private support organisations lead in a target area: public
//! to read (a region's list takes in the regions below it), recorded and kept up to date by the
//! officials of the scope, saved whole over the revision read. The API and the pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::cooperation::partner_project::{
    Fund, FundKind, PartnerError, PartnerProject, Stage,
};
use maeul_core::format;
use maeul_store::cooperation::partner_project::{PartnerStoreError, StoredPartnerProject};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::autonomy::council::day;
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, choices, code_enum, form_answer, form_error};
use crate::paging::{Pager, Paging};
use crate::region::{WithinPage, region_href};
use crate::welfare::today;
use crate::{AppState, record_id};

const KEEP: Access = Access::Allowed(Permission::KeepPartnerProjects);

pub fn routes(r: Routes) -> Routes {
    r.api(Access::Public, routes!(list_api))
        .api(Access::Public, routes!(show_api))
        .api(KEEP, routes!(create_api))
        .api(KEEP, routes!(update_api))
        .page("/r/{code}/partner-projects", Access::Public, get(list))
        .page(
            "/work/regions/{code}/partner-projects",
            KEEP,
            post(create_form),
        )
        .page("/partner-projects/{id}", Access::Public, get(show))
        .page(
            "/work/partner-projects/{id}",
            KEEP,
            get(edit_page).post(update_form),
        )
}

fn rule_problem(e: PartnerError) -> Problem {
    let key = match e {
        PartnerError::Title => "partner.error.title",
        PartnerError::Organisation => "partner.error.organisation",
        PartnerError::SelectedOn => "partner.error.selected_on",
        PartnerError::SelectedWith(_) => "partner.error.selected_with",
        PartnerError::Agenda => "partner.error.agenda",
        PartnerError::Actors(_) => "partner.error.actors",
        PartnerError::Resources(_) => "partner.error.resources",
        PartnerError::Funds(_) => "partner.error.funds",
        PartnerError::Consultants => "partner.error.consultants",
    };
    Problem::field(&e.field(), key)
}

fn stage_schema() -> utoipa::openapi::schema::Object {
    code_enum(Stage::ALL.iter().map(|s| s.as_str()))
}

fn fund_kind_schema() -> utoipa::openapi::schema::Object {
    code_enum(FundKind::ALL.iter().map(|k| k.as_str()))
}

/// Whether the user keeps the projects of a region (theirs or one within their scope).
fn keeps(user: Option<&Principal>, r: &StoredRegion) -> bool {
    user.is_some_and(|u| u.may_in(Permission::KeepPartnerProjects, &r.path))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct FundIo {
    #[schema(min_length = 1, max_length = 100)]
    pub source: String,
    /// `private_fund` (민간 기금) or `grant_call` (공모사업).
    #[schema(schema_with = fund_kind_schema)]
    pub kind: String,
    /// In won; 0 while not known.
    #[schema(minimum = 0)]
    pub amount_won: i64,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PartnerProjectIn {
    #[schema(min_length = 1, max_length = 100)]
    pub title: String,
    /// 민간 지원조직.
    #[schema(min_length = 1, max_length = 100)]
    pub organisation: String,
    /// `YYYY-MM-DD`, not after today: the day the target area was chosen.
    #[schema(example = "2026-03-02", format = Date)]
    pub selected_on: String,
    /// Who chose the target area together: 1 to 200, each once.
    #[schema(min_items = 1, max_items = 200)]
    pub selected_with: Vec<String>,
    /// `selection`, `agenda`, `survey`, `running` or `closed`.
    #[schema(schema_with = stage_schema)]
    pub stage: String,
    /// 공동 의제.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub agenda: String,
    /// 지역 주체, each once.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub actors: Vec<String>,
    /// 지역자원 조사.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub resources: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub funds: Vec<FundIo>,
    /// Experts of the pool (ids), each once.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub consultants: Vec<i64>,
    /// The MOU it was agreed under.
    pub mou_id: Option<i64>,
    /// The revision read, when saving over a project (`PUT`); left out to create one.
    pub revision: Option<i64>,
}

impl PartnerProjectIn {
    fn project(&self) -> Result<PartnerProject> {
        let selected_on = day("selected_on", Some(&self.selected_on))?
            .ok_or_else(|| Problem::field("selected_on", "field.required"))?;
        let stage =
            Stage::parse(&self.stage).ok_or_else(|| Problem::field("stage", "field.choice"))?;
        let funds = self
            .funds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Ok(Fund {
                    source: f.source.clone(),
                    kind: FundKind::parse(&f.kind).ok_or_else(|| {
                        Problem::field(&format!("funds[{i}].kind"), "field.choice")
                    })?,
                    amount_won: f.amount_won,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        PartnerProject::new(
            PartnerProject {
                title: self.title.clone(),
                organisation: self.organisation.clone(),
                selected_on,
                selected_with: self.selected_with.clone(),
                stage,
                agenda: self.agenda.clone(),
                actors: self.actors.clone(),
                resources: self.resources.clone(),
                funds,
                consultants: self.consultants.clone(),
                mou_id: self.mou_id,
            },
            today(),
        )
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultantOut {
    /// The expert's entry in the pool.
    pub id: i64,
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MouRef {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FundedOut {
    /// Won linked from private funds.
    pub private_fund: i64,
    /// Won linked from grant calls.
    pub grant_call: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerProjectOut {
    pub id: i64,
    /// The target area.
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    pub organisation: String,
    pub selected_on: String,
    pub selected_with: Vec<String>,
    #[schema(schema_with = stage_schema)]
    pub stage: String,
    pub agenda: String,
    pub actors: Vec<String>,
    pub resources: Vec<String>,
    pub funds: Vec<FundIo>,
    pub funded: FundedOut,
    pub consultants: Vec<ConsultantOut>,
    pub mou: Option<MouRef>,
    /// Send it back with `PUT` to save over this version.
    pub revision: i64,
}

/// The consultants' names (those still in the pool) and the MOUs' titles of some projects,
/// read in one query each.
struct Names {
    experts: HashMap<i64, (String, String)>,
    mous: HashMap<i64, String>,
}

async fn names_of(state: &AppState, items: &[StoredPartnerProject]) -> Result<Names> {
    let experts: Vec<i64> = items
        .iter()
        .flat_map(|s| s.project.consultants.iter().copied())
        .collect();
    let mous: Vec<i64> = items.iter().filter_map(|s| s.project.mou_id).collect();
    Ok(Names {
        experts: state.store.experts().names(experts).await?,
        mous: state.store.mous().titles(mous).await?,
    })
}

/// A project with the names of its consultants and its MOU.
fn out(s: &StoredPartnerProject, names: &Names) -> PartnerProjectOut {
    let p = &s.project;
    let consultants = p
        .consultants
        .iter()
        .filter_map(|id| {
            names
                .experts
                .get(id)
                .map(|(name, organisation)| ConsultantOut {
                    id: *id,
                    name: name.clone(),
                    organisation: organisation.clone(),
                })
        })
        .collect();
    let mou = p.mou_id.and_then(|id| {
        names.mous.get(&id).map(|title| MouRef {
            id,
            title: title.clone(),
        })
    });
    let (private_fund, grant_call) = p.funded();
    PartnerProjectOut {
        id: s.id,
        region_code: s.region_code.clone(),
        region_name: s.region_name.clone(),
        title: p.title.clone(),
        organisation: p.organisation.clone(),
        selected_on: p.selected_on.to_string(),
        selected_with: p.selected_with.clone(),
        stage: p.stage.as_str().to_owned(),
        agenda: p.agenda.clone(),
        actors: p.actors.clone(),
        resources: p.resources.clone(),
        funds: p
            .funds
            .iter()
            .map(|f| FundIo {
                source: f.source.clone(),
                kind: f.kind.as_str().to_owned(),
                amount_won: f.amount_won,
            })
            .collect(),
        funded: FundedOut {
            private_fund,
            grant_call,
        },
        consultants,
        mou,
        revision: s.revision,
    }
}

/// One project as the API writes it.
async fn out_one(state: &AppState, s: StoredPartnerProject) -> Result<PartnerProjectOut> {
    let items = [s];
    let names = names_of(state, &items).await?;
    Ok(out(&items[0], &names))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerProjectListOut {
    pub items: Vec<PartnerProjectOut>,
    pub total: i64,
}

/// The projects of a region and the regions within it, newest chosen first.
#[utoipa::path(get, path = "/partner-projects", tag = "organisation", params(WithinPage),
    responses(
        (status = 200, body = PartnerProjectListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 422, description = "A region code or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn list_api(
    State(state): State<AppState>,
    Params(query): Params<WithinPage>,
) -> Result<Json<PartnerProjectListOut>> {
    let (code, paging) = query.read()?;
    let (items, total) = state
        .store
        .partner_projects()
        .within(&code, paging.offset(), paging.per_page)
        .await?;
    let names = names_of(&state, &items).await?;
    Ok(Json(PartnerProjectListOut {
        items: items.iter().map(|s| out(s, &names)).collect(),
        total,
    }))
}

async fn project_of(state: &AppState, id: &str) -> Result<StoredPartnerProject> {
    state
        .store
        .partner_projects()
        .get(record_id(id)?)
        .await?
        .ok_or_else(Problem::not_found)
}

/// One project.
#[utoipa::path(get, path = "/partner-projects/{id}", tag = "organisation",
    params(("id" = String, Path, description = "A project id")),
    responses(
        (status = 200, body = PartnerProjectOut),
        (status = 404, description = "No such project", content_type = "application/problem+json"),
    ))]
async fn show_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PartnerProjectOut>> {
    let s = project_of(&state, &id).await?;
    Ok(Json(out_one(&state, s).await?))
}

/// A region whose projects the user keeps (403 outside the scope).
async fn kept_region(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if !keeps(Some(user), &r) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

/// The project as sent, its consultants in the pool and its MOU on record.
async fn checked(state: &AppState, sent: &PartnerProjectIn) -> Result<PartnerProject> {
    let p = sent.project()?;
    for (i, id) in p.consultants.iter().enumerate() {
        let known = state.store.experts().get(*id).await?;
        if known.is_none_or(|e| e.removed) {
            return Err(Problem::field(
                &format!("consultants[{i}]"),
                "partner.error.consultant",
            ));
        }
    }
    if let Some(id) = p.mou_id
        && state.store.mous().get(id).await?.is_none()
    {
        return Err(Problem::field("mou_id", "partner.error.mou"));
    }
    Ok(p)
}

async fn create(
    state: &AppState,
    user: &Principal,
    r: &StoredRegion,
    sent: &PartnerProjectIn,
) -> Result<i64> {
    let p = checked(state, sent).await?;
    Ok(state
        .store
        .partner_projects()
        .create(&r.region.code, p, user.user_id)
        .await?)
}

/// Records a project led by a private support organisation in its target area.
#[utoipa::path(post, path = "/regions/{code}/partner-projects", tag = "organisation",
    params(("code" = String, Path, description = "The target area")),
    request_body = PartnerProjectIn, security(("bearer" = [])),
    responses(
        (status = 201, body = PartnerProjectOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping projects for this region", content_type = "application/problem+json"),
        (status = 404, description = "No such region", content_type = "application/problem+json"),
        (status = 422, description = "A field or list entry is wrong (`errors` names it, as `actors[2]`), a consultant not in the pool or no such MOU", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<PartnerProjectOut>)> {
    let r = kept_region(&state, &user, &code).await?;
    let sent = json_body::<PartnerProjectIn>(&body)?;
    let id = create(&state, &user, &r, &sent).await?;
    let s = project_of(&state, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(out_one(&state, s).await?)))
}

/// A project the user keeps (403 outside the scope).
async fn kept_project(
    state: &AppState,
    user: &Principal,
    id: &str,
) -> Result<StoredPartnerProject> {
    let s = project_of(state, id).await?;
    let r = crate::region::in_use(state, &s.region_code).await?;
    if !keeps(Some(user), &r) {
        return Err(Problem::forbidden());
    }
    Ok(s)
}

async fn update(
    state: &AppState,
    user: &Principal,
    id: &str,
    sent: &PartnerProjectIn,
) -> Result<i64> {
    let s = kept_project(state, user, id).await?;
    let revision = sent
        .revision
        .ok_or_else(|| Problem::field("revision", "field.required"))?;
    let p = checked(state, sent).await?;
    state
        .store
        .partner_projects()
        .update(s.id, revision, p, user.user_id)
        .await
        .map_err(|e| match e {
            PartnerStoreError::NotFound => Problem::not_found(),
            PartnerStoreError::Changed => {
                Problem::conflict_of("partner-project-changed", "partner.error.changed")
            }
            PartnerStoreError::Store(e) => e.into(),
        })?;
    Ok(s.id)
}

/// Saves a project whole over the revision read (its stage, agenda, actors, resources, funds,
/// consultants). The entry to write is its own path, as the public read is `GET
/// /partner-projects/{id}`.
#[utoipa::path(put, path = "/partner-project-entries/{id}", tag = "organisation",
    params(("id" = String, Path, description = "A project id")),
    request_body = PartnerProjectIn, security(("bearer" = [])),
    responses(
        (status = 200, body = PartnerProjectOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping projects for its region", content_type = "application/problem+json"),
        (status = 404, description = "No such project", content_type = "application/problem+json"),
        (status = 409, description = "Saved by someone else since the revision sent (`partner-project-changed`)", content_type = "application/problem+json"),
        (status = 422, description = "A field or list entry is wrong, or no `revision`; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<PartnerProjectOut>> {
    let sent = json_body::<PartnerProjectIn>(&body)?;
    let id = update(&state, &user, &id, &sent).await?;
    let s = project_of(&state, &id.to_string()).await?;
    Ok(Json(out_one(&state, s).await?))
}

// ---------------------------------------------------------------------------------------
// Pages

/// The project form as typed: the lists one entry to a line, a fund as `source | amount`.
#[derive(Debug, Default, Deserialize)]
struct ProjectForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    selected_on: String,
    #[serde(default)]
    selected_with: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    actors: String,
    #[serde(default)]
    resources: String,
    #[serde(default)]
    private_funds: String,
    #[serde(default)]
    grant_funds: String,
    #[serde(default)]
    mou_id: String,
    #[serde(default)]
    revision: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// The line, counted from 1 as the box shows it (blank lines too), of the `i`-th entry read
/// from `s` by [`lines`].
fn line_of(s: &str, i: usize) -> usize {
    s.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .nth(i)
        .map_or(i + 1, |(n, _)| n + 1)
}

/// `source | amount` lines of one kind (the amount may be left out).
fn fund_lines(s: &str, kind: FundKind) -> std::result::Result<Vec<FundIo>, usize> {
    lines(s)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (source, amount) = l.rsplit_once('|').unwrap_or((l, ""));
            let amount_won = match amount.trim() {
                "" => 0,
                a => format::parse_won(a).ok_or(i)?,
            };
            Ok(FundIo {
                source: source.trim().to_owned(),
                kind: kind.as_str().to_owned(),
                amount_won,
            })
        })
        .collect()
}

fn fund_text(p: &PartnerProject, kind: FundKind) -> String {
    p.funds
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| {
            if f.amount_won == 0 {
                f.source.clone()
            } else {
                format!("{} | {}", f.source, format::thousands(f.amount_won))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl ProjectForm {
    fn of(s: &StoredPartnerProject) -> ProjectForm {
        let p = &s.project;
        ProjectForm {
            title: p.title.clone(),
            organisation: p.organisation.clone(),
            selected_on: p.selected_on.to_string(),
            selected_with: p.selected_with.join("\n"),
            stage: p.stage.as_str().to_owned(),
            agenda: p.agenda.clone(),
            actors: p.actors.join("\n"),
            resources: p.resources.join("\n"),
            private_funds: fund_text(p, FundKind::PrivateFund),
            grant_funds: fund_text(p, FundKind::GrantCall),
            mou_id: p.mou_id.map(|m| m.to_string()).unwrap_or_default(),
            revision: s.revision.to_string(),
        }
    }

    /// The form as the API's body, with the consultants ticked; a fund line that cannot be
    /// read is refused naming its box.
    fn sent(&self, consultants: Vec<i64>) -> Result<PartnerProjectIn> {
        let unreadable = |name: &str, text: &str, i: usize| {
            Problem::field(name, "partner.error.fund_line")
                .with_detail(line_of(text, i).to_string())
        };
        let private = fund_lines(&self.private_funds, FundKind::PrivateFund)
            .map_err(|i| unreadable("private_funds", &self.private_funds, i))?;
        let grants = fund_lines(&self.grant_funds, FundKind::GrantCall)
            .map_err(|i| unreadable("grant_funds", &self.grant_funds, i))?;
        let mou_id = match self.mou_id.trim() {
            "" => None,
            m => Some(
                m.parse()
                    .map_err(|_| Problem::field("mou_id", "partner.error.mou"))?,
            ),
        };
        Ok(PartnerProjectIn {
            title: self.title.clone(),
            organisation: self.organisation.clone(),
            selected_on: self.selected_on.clone(),
            selected_with: lines(&self.selected_with),
            stage: self.stage.clone(),
            agenda: self.agenda.clone(),
            actors: lines(&self.actors),
            resources: lines(&self.resources),
            funds: private.into_iter().chain(grants).collect(),
            consultants,
            mou_id,
            revision: self.revision.trim().parse().ok(),
        })
    }
}

/// A refusal as the form shows it: the box at fault (a list entry's box, the funds' box of its
/// kind) and the line, counted from 1.
fn on_form(p: Problem, form: &ProjectForm) -> Problem {
    let Some(f) = p.fields.first() else {
        return p;
    };
    let (name, index) = match f.field.split_once('[') {
        Some((name, rest)) => (
            name.to_owned(),
            rest.split(']').next().and_then(|i| i.parse::<usize>().ok()),
        ),
        None => (f.field.clone(), None),
    };
    let text = |name: &str| match name {
        "selected_with" => form.selected_with.as_str(),
        "actors" => form.actors.as_str(),
        "resources" => form.resources.as_str(),
        "private_funds" => form.private_funds.as_str(),
        "grant_funds" => form.grant_funds.as_str(),
        _ => "",
    };
    let (name, index) = match (name.as_str(), index) {
        ("funds", Some(i)) => {
            let private = lines(&form.private_funds).len();
            if i < private {
                ("private_funds".to_owned(), Some(i))
            } else {
                ("grant_funds".to_owned(), Some(i - private))
            }
        }
        // Too many funds: the first box says so.
        ("funds", None) => ("private_funds".to_owned(), None),
        ("consultants", _) => ("consultants".to_owned(), None),
        (_, i) => (name, i),
    };
    let mut mapped = Problem::field(&name, f.message_key);
    mapped.status = p.status;
    match index {
        Some(i) => mapped.with_detail(line_of(text(&name), i).to_string()),
        None => match p.detail {
            Some(d) => mapped.with_detail(d),
            None => mapped,
        },
    }
}

/// The choices of the form: stages, the experts who work in the region's si/do (and those
/// ticked), the MOUs of the region and those within it (and the one it has).
struct FormChoices {
    stages: Vec<Choice>,
    consultants: Vec<Choice>,
    mous: Vec<Choice>,
}

async fn form_choices(
    state: &AppState,
    ctx: &PageCtx,
    r: &StoredRegion,
    form: &ProjectForm,
    ticked: &[i64],
) -> Result<FormChoices> {
    let stages = choices(
        &Stage::ALL,
        "partner.stage",
        Stage::as_str,
        ctx,
        std::slice::from_ref(&form.stage),
    );
    let filter = maeul_store::expert::ExpertFilter {
        sido: r.region.code.sido(),
        ..Default::default()
    };
    let (experts, _) = state.store.experts().find(filter, 0, 100).await?;
    let label = |name: &str, organisation: &str| {
        if organisation.is_empty() {
            name.to_owned()
        } else {
            format!("{name} ({organisation})")
        }
    };
    let mut consultants: Vec<Choice> = experts
        .iter()
        .map(|e| Choice {
            value: e.id.to_string(),
            label: label(&e.expert.name, &e.expert.organisation),
            selected: ticked.contains(&e.id),
        })
        .collect();
    // Those ticked stay offered, from wherever they were chosen, so a save keeps them.
    let offered: Vec<i64> = experts.iter().map(|e| e.id).collect();
    let others: Vec<i64> = ticked
        .iter()
        .copied()
        .filter(|id| !offered.contains(id))
        .collect();
    let names = state.store.experts().names(others).await?;
    for id in ticked {
        if let Some((name, organisation)) = names.get(id) {
            consultants.push(Choice {
                value: id.to_string(),
                label: label(name, organisation),
                selected: true,
            });
        }
    }
    let mut mous = vec![Choice {
        value: String::new(),
        label: ctx.t("partner.mou.none").to_owned(),
        selected: form.mou_id.is_empty(),
    }];
    let (found, _) = state.store.mous().within(&r.region.code, 0, 100).await?;
    mous.extend(found.iter().map(|m| Choice {
        value: m.id.to_string(),
        label: m.mou.title.clone(),
        selected: form.mou_id == m.id.to_string(),
    }));
    // The MOU it has stays offered even when kept above the area (the si/gun/gu's, say).
    if let Ok(current) = form.mou_id.parse::<i64>()
        && !found.iter().any(|m| m.id == current)
        && let Some(title) = state
            .store
            .mous()
            .titles(vec![current])
            .await?
            .remove(&current)
    {
        mous.push(Choice {
            value: current.to_string(),
            label: title,
            selected: true,
        });
    }
    Ok(FormChoices {
        stages,
        consultants,
        mous,
    })
}

/// A project as the pages show it.
struct ProjectView {
    href: String,
    title: String,
    organisation: String,
    place: String,
    stage: &'static str,
    selected_on: String,
    selected_with: String,
    agenda: String,
    actors: Vec<String>,
    resources: Vec<String>,
    /// (source, kind, amount)
    funds: Vec<(String, &'static str, String)>,
    funded: String,
    consultants: Vec<String>,
    mou: Option<(String, String)>,
}

fn view(ctx: &PageCtx, s: &StoredPartnerProject, o: &PartnerProjectOut) -> ProjectView {
    let p = &s.project;
    let (private, grants) = p.funded();
    ProjectView {
        href: format!("/partner-projects/{}", s.id),
        title: p.title.clone(),
        organisation: p.organisation.clone(),
        place: s.region_name.clone(),
        stage: ctx.t(&format!("partner.stage.{}", p.stage.as_str())),
        selected_on: format::date(p.selected_on, ctx.lang),
        selected_with: p.selected_with.join(" · "),
        agenda: p.agenda.clone(),
        actors: p.actors.clone(),
        resources: p.resources.clone(),
        funds: p
            .funds
            .iter()
            .map(|f| {
                (
                    f.source.clone(),
                    ctx.t(&format!("partner.fund.{}", f.kind.as_str())),
                    if f.amount_won == 0 {
                        ctx.t("partner.fund.unknown").to_owned()
                    } else {
                        format::won(f.amount_won, ctx.lang)
                    },
                )
            })
            .collect(),
        funded: ctx.tf(
            "partner.funded",
            &[
                ("private", format::won(private, ctx.lang).as_str()),
                ("grants", format::won(grants, ctx.lang).as_str()),
            ],
        ),
        consultants: o
            .consultants
            .iter()
            .map(|c| {
                if c.organisation.is_empty() {
                    c.name.clone()
                } else {
                    format!("{} ({})", c.name, c.organisation)
                }
            })
            .collect(),
        mou: o
            .mou
            .as_ref()
            .map(|m| (format!("/mous/{}", m.id), m.title.clone())),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/partner_list.html")]
struct ListPage {
    ctx: PageCtx,
    code: String,
    name: String,
    rows: Vec<ProjectView>,
    total: i64,
    pager: Pager,
    /// The form's choices, for one who keeps the region's projects.
    keep: Option<FormChoices>,
    form: ProjectForm,
    error_field: String,
    error_message: &'static str,
    error_line: String,
}

/// The refusal's box, message and line (empty when none).
fn refusal(ctx: &PageCtx, error: Option<&Problem>) -> (String, &'static str, String) {
    let (field, message) = form_error(ctx, error);
    let line = error
        .and_then(|p| p.detail.as_deref())
        .map(|n| ctx.tf("partner.error.line", &[("line", n)]))
        .unwrap_or_default();
    (field, message, line)
}

async fn render_list(
    state: &AppState,
    ctx: PageCtx,
    r: &StoredRegion,
    paging: Paging,
    form: ProjectForm,
    ticked: &[i64],
    error: Option<&Problem>,
) -> Result<ListPage> {
    let (items, total) = state
        .store
        .partner_projects()
        .within(&r.region.code, paging.offset(), paging.per_page)
        .await?;
    let names = names_of(state, &items).await?;
    let rows = items
        .iter()
        .map(|s| view(&ctx, s, &out(s, &names)))
        .collect();
    let keep = if keeps(ctx.user.as_ref(), r) {
        Some(form_choices(state, &ctx, r, &form, ticked).await?)
    } else {
        None
    };
    let (error_field, error_message, error_line) = refusal(&ctx, error);
    let ctx = ctx
        .crumb(
            r.region.full_name.clone(),
            Some(region_href(r.region.code.as_str())),
        )
        .crumb_t("partner.title", None);
    Ok(ListPage {
        code: r.region.code.to_string(),
        name: r.region.full_name.clone(),
        rows,
        total,
        pager: Pager::new(paging, total, String::new()),
        keep,
        form,
        error_field,
        error_message,
        error_line,
        ctx,
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    Params(query): Params<WithinPage>,
) -> Result<ListPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let r = crate::region::in_use(&state, &code).await?;
    let form = ProjectForm {
        stage: Stage::Selection.as_str().to_owned(),
        ..ProjectForm::default()
    };
    render_list(&state, ctx, &r, paging, form, &[], None).await
}

/// The form as posted: the ticked consultants repeat their name.
fn read_form(f: &[(String, String)]) -> (ProjectForm, Vec<i64>) {
    let one = |k: &str| {
        f.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let consultants = f
        .iter()
        .filter(|(k, _)| k == "consultant")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    (
        ProjectForm {
            title: one("title"),
            organisation: one("organisation"),
            selected_on: one("selected_on"),
            selected_with: one("selected_with"),
            stage: one("stage"),
            agenda: one("agenda"),
            actors: one("actors"),
            resources: one("resources"),
            private_funds: one("private_funds"),
            grant_funds: one("grant_funds"),
            mou_id: one("mou_id"),
            revision: one("revision"),
        },
        consultants,
    )
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let r = kept_region(&state, &user, &code).await?;
    let (form, ticked) = read_form(&f);
    let outcome = match form.sent(ticked.clone()) {
        Ok(sent) => create(&state, &user, &r, &sent)
            .await
            .map(|id| format!("/partner-projects/{id}")),
        Err(p) => Err(p),
    }
    .map_err(|p| on_form(p, &form));
    form_answer(outcome, |p| async move {
        render_list(&state, ctx, &r, Paging::first(), form, &ticked, Some(&p)).await
    })
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/partner_show.html")]
struct ShowPage {
    ctx: PageCtx,
    id: i64,
    p: ProjectView,
    list_href: String,
    may_keep: bool,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response> {
    let s = project_of(&state, &id).await?;
    let r = crate::region::in_use(&state, &s.region_code).await?;
    let o = out_one(&state, s.clone()).await?;
    let may_keep = keeps(ctx.user.as_ref(), &r);
    let ctx = ctx
        .crumb(s.region_name.clone(), Some(region_href(&s.region_code)))
        .crumb_t(
            "partner.title",
            Some(format!("/r/{}/partner-projects", s.region_code)),
        )
        .crumb(s.project.title.clone(), None);
    Ok(ShowPage {
        id: s.id,
        p: view(&ctx, &s, &o),
        list_href: format!("/r/{}/partner-projects", s.region_code),
        may_keep,
        ctx,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "cooperation/partner_edit.html")]
struct EditPage {
    ctx: PageCtx,
    id: i64,
    title: String,
    keep: FormChoices,
    form: ProjectForm,
    error_field: String,
    error_message: &'static str,
    error_line: String,
}

async fn render_edit(
    state: &AppState,
    ctx: PageCtx,
    s: &StoredPartnerProject,
    form: ProjectForm,
    ticked: &[i64],
    error: Option<&Problem>,
) -> Result<EditPage> {
    let r = crate::region::in_use(state, &s.region_code).await?;
    let keep = form_choices(state, &ctx, &r, &form, ticked).await?;
    let (error_field, error_message, error_line) = refusal(&ctx, error);
    let ctx = ctx
        .crumb(s.region_name.clone(), Some(region_href(&s.region_code)))
        .crumb_t(
            "partner.title",
            Some(format!("/r/{}/partner-projects", s.region_code)),
        )
        .crumb(
            s.project.title.clone(),
            Some(format!("/partner-projects/{}", s.id)),
        );
    Ok(EditPage {
        id: s.id,
        title: s.project.title.clone(),
        keep,
        form,
        error_field,
        error_message,
        error_line,
        ctx,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<EditPage> {
    let s = kept_project(&state, &user, &id).await?;
    let ticked = s.project.consultants.clone();
    render_edit(&state, ctx, &s, ProjectForm::of(&s), &ticked, None).await
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let s = kept_project(&state, &user, &id).await?;
    let (form, ticked) = read_form(&f);
    let outcome = match form.sent(ticked.clone()) {
        Ok(sent) => update(&state, &user, &id, &sent)
            .await
            .map(|id| format!("/partner-projects/{id}")),
        Err(p) => Err(p),
    }
    .map_err(|p| on_form(p, &form));
    form_answer(outcome, |p| async move {
        render_edit(&state, ctx, &s, form, &ticked, Some(&p)).await
    })
    .await
}
