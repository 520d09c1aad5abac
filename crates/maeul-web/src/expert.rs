//! 민간 전문인력 풀 — the pool of private experts: officials look in it by specialty, si/do and
//! availability; the ministry and the si/do register experts and keep their availability. The
//! API and the page.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use maeul_core::account::{Permission, Principal};
use maeul_core::expert::{Availability, Expert, ExpertError, Specialty};
use maeul_core::region::{Level, RegionCode, RegionPath};
use maeul_store::expert::{ExpertFilter, StoredExpert};
use maeul_store::region::StoredRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use crate::access::{Access, Routes, User};
use crate::account::json_body;
use crate::error::{Params, Problem, Result, no_empty_values};
use crate::page::{
    Choice, PageCtx, choices, code_enum, form_answer, form_error, nullable_code_enum, query_string,
    region_choices,
};
use crate::paging::{Pager, Paging};
use crate::{AppState, record_id};

const KEEP: Access = Access::Allowed(Permission::KeepExpertPool);
const FIND: Access = Access::Allowed(Permission::FindExperts);

pub fn routes(r: Routes) -> Routes {
    r.api(FIND, routes!(find_api))
        .api(KEEP, routes!(create_api))
        .api(KEEP, routes!(availability_api))
        .api(KEEP, routes!(update_api, remove_api))
        .page("/work/experts", FIND, get(page))
        .page("/work/experts/{id}", KEEP, get(edit_page).post(update_form))
        .page("/work/experts/{id}/removal", KEEP, post(remove_form))
        .page("/work/expert-pool/{code}", KEEP, post(create_form))
        .page(
            "/work/experts/{id}/availability",
            KEEP,
            post(availability_form),
        )
}

fn rule_problem(e: ExpertError) -> Problem {
    let key = match e {
        ExpertError::Name => "expert.error.name",
        ExpertError::Organisation => "expert.error.organisation",
        ExpertError::Specialties => "expert.error.specialties",
        ExpertError::Regions => "expert.error.regions",
        ExpertError::Email => "expert.error.email",
        ExpertError::Phone => "expert.error.phone",
        ExpertError::Contact => "expert.error.contact",
        ExpertError::Profile => "expert.error.profile",
    };
    Problem::field(e.field(), key)
}

fn specialty_schema() -> utoipa::openapi::schema::Object {
    code_enum(Specialty::ALL.iter().map(|s| s.as_str()))
}

fn availability_schema() -> utoipa::openapi::schema::Object {
    code_enum(Availability::ALL.iter().map(|a| a.as_str()))
}

fn optional_availability_schema() -> utoipa::openapi::schema::Object {
    nullable_code_enum(Availability::ALL.iter().map(|a| a.as_str()))
}

fn specialties_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(specialty_schema())
        .min_items(Some(1))
        .max_items(Some(Specialty::ALL.len()))
        .build()
}

fn regions_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(SIDO_PATTERN)),
        )
        .max_items(Some(17))
        .build()
}

/// A si/do code: two digits (not 00) and eight zeros.
const SIDO_PATTERN: &str = "^(0[1-9]|[1-9][0-9])00000000$";

/// A pool the user keeps: the nation's or a si/do's in their scope (404 for another level,
/// 403 outside the scope).
async fn kept_pool(state: &AppState, user: &Principal, code: &str) -> Result<StoredRegion> {
    let r = crate::region::in_use(state, code).await?;
    if !matches!(r.region.level, Level::Nation | Level::Sido) {
        return Err(Problem::not_found());
    }
    if !user.may_in(Permission::KeepExpertPool, &r.path) {
        return Err(Problem::forbidden());
    }
    Ok(r)
}

/// An expert in the pool whose entry the user keeps (404 otherwise, and once removed).
async fn kept_expert(state: &AppState, user: &Principal, id: &str) -> Result<StoredExpert> {
    let e = state
        .store
        .experts()
        .get(record_id(id)?)
        .await?
        .filter(|e| !e.removed)
        .ok_or_else(Problem::not_found)?;
    kept_pool(state, user, &e.region_code)
        .await
        .map_err(|_| Problem::not_found())?;
    Ok(e)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ExpertIn {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub organisation: String,
    /// One or more of `resident_autonomy`, `community_planning`, `facilitation`, `welfare`,
    /// `health`, `regional_projects`, `organisation`.
    #[schema(schema_with = specialties_schema)]
    pub specialties: Vec<String>,
    /// The si/do codes they work in; empty or left out for the whole country.
    #[serde(default)]
    #[schema(schema_with = regions_schema)]
    pub regions: Vec<String>,
    /// `available` (the default when left out or null), `limited` or `unavailable`.
    #[schema(schema_with = optional_availability_schema)]
    pub availability: Option<String>,
    /// An e-mail address or a telephone number, or both.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    pub phone: String,
    /// 경력·소개.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub profile: String,
}

impl ExpertIn {
    fn expert(&self) -> Result<Expert> {
        let specialties = self
            .specialties
            .iter()
            .map(|s| {
                Specialty::parse(s).ok_or_else(|| Problem::field("specialties", "field.choice"))
            })
            .collect::<Result<Vec<_>>>()?;
        let regions = self
            .regions
            .iter()
            .map(|r| RegionCode::parse(r).map_err(|_| rule_problem(ExpertError::Regions)))
            .collect::<Result<Vec<_>>>()?;
        let availability = match self.availability.as_deref() {
            None => Availability::Available,
            Some(a) => Availability::parse(a)
                .ok_or_else(|| Problem::field("availability", "field.choice"))?,
        };
        Expert::new(Expert {
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            specialties,
            regions,
            availability,
            email: self.email.clone(),
            phone: self.phone.clone(),
            profile: self.profile.clone(),
        })
        .map_err(rule_problem)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertOut {
    pub id: i64,
    /// The pool that keeps the entry: the nation (`0000000000`) or a si/do.
    pub pool: String,
    pub name: String,
    pub organisation: String,
    pub specialties: Vec<String>,
    /// Si/do codes; empty for the whole country.
    pub regions: Vec<String>,
    #[schema(schema_with = availability_schema)]
    pub availability: String,
    pub email: String,
    pub phone: String,
    pub profile: String,
}

impl From<&StoredExpert> for ExpertOut {
    fn from(s: &StoredExpert) -> Self {
        let e = &s.expert;
        ExpertOut {
            id: s.id,
            pool: s.region_code.clone(),
            name: e.name.clone(),
            organisation: e.organisation.clone(),
            specialties: e
                .specialties
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            regions: e.regions.iter().map(|r| r.to_string()).collect(),
            availability: e.availability.as_str().to_owned(),
            email: e.email.clone(),
            phone: e.phone.clone(),
            profile: e.profile.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertListOut {
    pub items: Vec<ExpertOut>,
    pub total: i64,
}

/// What to look for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpertQuery {
    #[param(schema_with = specialty_schema)]
    pub specialty: Option<String>,
    /// Those who work in this si/do (or everywhere).
    #[param(pattern = "^(0[1-9]|[1-9][0-9])00000000$")]
    pub region: Option<String>,
    /// `true`: only those who take work now (available or limited).
    #[param(pattern = "^(true|false)$")]
    pub available: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000000)]
    pub page: Option<String>,
    /// Experts per page, 1–100 (default 20).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

impl ExpertQuery {
    fn filter(&self) -> Result<ExpertFilter> {
        let specialty = match self.specialty.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                Specialty::parse(s).ok_or_else(|| Problem::field("specialty", "field.choice"))?,
            ),
        };
        let sido = match self.region.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(r) => Some(
                RegionCode::parse(r)
                    .ok()
                    .filter(|c| c.level() == Level::Sido)
                    .ok_or_else(|| Problem::field("region", "expert.error.sido"))?,
            ),
        };
        let available = match self.available.as_deref() {
            None | Some("" | "false") => false,
            Some("true") => true,
            Some(_) => return Err(Problem::field("available", "field.choice")),
        };
        Ok(ExpertFilter {
            specialty,
            sido,
            available,
        })
    }
}

/// Looks in the pool, by name.
#[utoipa::path(get, path = "/experts", tag = "organisation", params(ExpertQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ExpertListOut),
        (status = 400, description = "A parameter is not of its type", content_type = "application/problem+json"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not an official", content_type = "application/problem+json"),
        (status = 422, description = "A specialty, si/do or page out of range; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn find_api(
    State(state): State<AppState>,
    Params(query): Params<ExpertQuery>,
) -> Result<Json<ExpertListOut>> {
    no_empty_values(&[
        ("specialty", &query.specialty),
        ("region", &query.region),
        ("available", &query.available),
        ("page", &query.page),
        ("per_page", &query.per_page),
    ])?;
    let paging = Paging::parse(query.page.as_deref(), query.per_page.as_deref())?;
    let (items, total) = state
        .store
        .experts()
        .find(query.filter()?, paging.offset(), paging.per_page)
        .await?;
    Ok(Json(ExpertListOut {
        items: items.iter().map(ExpertOut::from).collect(),
        total,
    }))
}

/// The entry as sent, its regions checked to be si/do in use.
async fn checked(state: &AppState, sent: &ExpertIn) -> Result<Expert> {
    let expert = sent.expert()?;
    for r in &expert.regions {
        let known = state.store.regions().get(r).await?;
        if known.is_none_or(|k| k.retired_on.is_some()) {
            return Err(rule_problem(ExpertError::Regions));
        }
    }
    Ok(expert)
}

async fn create(
    state: &AppState,
    user: &Principal,
    pool: &StoredRegion,
    sent: &ExpertIn,
) -> Result<i64> {
    let expert = checked(state, sent).await?;
    Ok(state
        .store
        .experts()
        .create(&pool.region.code, expert, user.user_id)
        .await?)
}

/// Registers an expert in the pool of the nation or a si/do.
#[utoipa::path(post, path = "/regions/{code}/experts", tag = "organisation",
    params(("code" = String, Path, description = "The pool: `0000000000` or a si/do")),
    request_body = ExpertIn, security(("bearer" = [])),
    responses(
        (status = 201, body = ExpertOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping this pool", content_type = "application/problem+json"),
        (status = 404, description = "No such region, or one below a si/do", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (no specialty, a region that is not a si/do, no way to reach them); `errors` names it", content_type = "application/problem+json"),
    ))]
async fn create_api(
    State(state): State<AppState>,
    User(user): User,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ExpertOut>)> {
    let pool = kept_pool(&state, &user, &code).await?;
    let sent = json_body::<ExpertIn>(&body)?;
    let id = create(&state, &user, &pool, &sent).await?;
    let stored = state
        .store
        .experts()
        .get(id)
        .await?
        .ok_or_else(Problem::internal)?;
    Ok((StatusCode::CREATED, Json(ExpertOut::from(&stored))))
}

async fn update(state: &AppState, user: &Principal, id: &str, sent: &ExpertIn) -> Result<i64> {
    let e = kept_expert(state, user, id).await?;
    let expert = checked(state, sent).await?;
    if !state.store.experts().update(e.id, expert).await? {
        return Err(Problem::not_found());
    }
    Ok(e.id)
}

/// Corrects an entry: every field as for a new one (`availability` left out keeps it
/// available).
#[utoipa::path(put, path = "/experts/{id}", tag = "organisation",
    params(("id" = String, Path, description = "An expert id")),
    request_body = ExpertIn, security(("bearer" = [])),
    responses(
        (status = 200, body = ExpertOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping expert pools", content_type = "application/problem+json"),
        (status = 404, description = "No such expert in the user's pools (or taken out)", content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `errors` names it", content_type = "application/problem+json"),
    ))]
async fn update_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<ExpertOut>> {
    let sent = json_body::<ExpertIn>(&body)?;
    let id = update(&state, &user, &id, &sent).await?;
    let stored = state
        .store
        .experts()
        .get(id)
        .await?
        .ok_or_else(Problem::internal)?;
    Ok(Json(ExpertOut::from(&stored)))
}

/// Takes an expert out of the pool (at their request, or when they no longer work): no longer
/// listed or assigned; the contacts and profile are erased, the name stays on the consulting
/// they served.
#[utoipa::path(delete, path = "/experts/{id}", tag = "organisation",
    params(("id" = String, Path, description = "An expert id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Taken out"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping expert pools", content_type = "application/problem+json"),
        (status = 404, description = "No such expert in the user's pools (or taken out already)", content_type = "application/problem+json"),
    ))]
async fn remove_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    remove(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(state: &AppState, user: &Principal, id: &str) -> Result<()> {
    let e = kept_expert(state, user, id).await?;
    if !state.store.experts().remove(e.id).await? {
        return Err(Problem::not_found());
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AvailabilityIn {
    #[schema(schema_with = availability_schema)]
    pub availability: String,
}

async fn set_availability(state: &AppState, user: &Principal, id: &str, a: &str) -> Result<()> {
    let e = kept_expert(state, user, id).await?;
    let a = Availability::parse(a).ok_or_else(|| Problem::field("availability", "field.choice"))?;
    state.store.experts().set_availability(e.id, a).await?;
    Ok(())
}

/// Says whether an expert takes work now.
#[utoipa::path(put, path = "/experts/{id}/availability", tag = "organisation",
    params(("id" = String, Path, description = "An expert id")),
    request_body = AvailabilityIn, security(("bearer" = [])),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not keeping expert pools", content_type = "application/problem+json"),
        (status = 404, description = "No such expert in the user's pools", content_type = "application/problem+json"),
        (status = 422, description = "Not one of the values", content_type = "application/problem+json"),
    ))]
async fn availability_api(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode> {
    let sent = json_body::<AvailabilityIn>(&body)?;
    set_availability(&state, &user, &id, &sent.availability).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------
// The page

struct Row {
    id: i64,
    name: String,
    organisation: String,
    specialties: String,
    regions: String,
    availability: &'static str,
    email: String,
    phone: String,
    profile: String,
    /// The availability choices, for one who keeps the entry.
    keep: Option<Vec<Choice>>,
}

/// The new-expert form as typed.
#[derive(Debug, Default, Deserialize)]
struct ExpertForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    specialty: Vec<String>,
    #[serde(default)]
    region: Vec<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    profile: String,
}

impl ExpertForm {
    /// The form as posted: the ticked boxes repeat their names.
    fn read(f: &[(String, String)]) -> ExpertForm {
        let all = |k: &str| -> Vec<String> {
            f.iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
        ExpertForm {
            name: one("name"),
            organisation: one("organisation"),
            specialty: all("specialty"),
            region: all("region"),
            email: one("email"),
            phone: one("phone"),
            profile: one("profile"),
        }
    }

    fn of(e: &Expert) -> ExpertForm {
        ExpertForm {
            name: e.name.clone(),
            organisation: e.organisation.clone(),
            specialty: e
                .specialties
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            region: e.regions.iter().map(|r| r.to_string()).collect(),
            email: e.email.clone(),
            phone: e.phone.clone(),
            profile: e.profile.clone(),
        }
    }

    fn sent(&self, availability: Option<Availability>) -> ExpertIn {
        ExpertIn {
            name: self.name.clone(),
            organisation: self.organisation.clone(),
            specialties: self.specialty.clone(),
            regions: self.region.clone(),
            availability: availability.map(|a| a.as_str().to_owned()),
            email: self.email.clone(),
            phone: self.phone.clone(),
            profile: self.profile.clone(),
        }
    }

    /// The boxes to tick: specialties, and the si/do among `sidos` (whose first is "all").
    fn boxes(&self, ctx: &PageCtx, sidos: &[Choice]) -> (Vec<Choice>, Vec<Choice>) {
        let specialties = choices(
            &Specialty::ALL,
            "expert.specialty",
            Specialty::as_str,
            ctx,
            &self.specialty,
        );
        let regions = sidos
            .iter()
            .skip(1)
            .map(|c| Choice {
                value: c.value.clone(),
                label: c.label.clone(),
                selected: self.region.contains(&c.value),
            })
            .collect();
        (specialties, regions)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "expert/list.html")]
struct PoolPage {
    ctx: PageCtx,
    query: ExpertQuery,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
    specialties: Vec<Choice>,
    regions: Vec<Choice>,
    /// The pool the user registers in (their nation or si/do), with its name.
    pool: Option<(String, String)>,
    new_specialties: Vec<Choice>,
    new_regions: Vec<Choice>,
    form: ExpertForm,
    error_field: String,
    error_message: &'static str,
}

fn specialty_label(ctx: &PageCtx, s: Specialty) -> &'static str {
    ctx.t(&format!("expert.specialty.{}", s.as_str()))
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    query: ExpertQuery,
    form: ExpertForm,
    error: Option<&Problem>,
) -> Result<PoolPage> {
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (found, total) = state
        .store
        .experts()
        .find(query.filter()?, paging.offset(), paging.per_page)
        .await?;
    let sidos = region_choices(state, &ctx, "", "expert.region.all").await?;
    let sido_name = |code: &RegionCode| {
        sidos
            .iter()
            .find(|c| c.value == code.as_str())
            .map_or_else(|| code.to_string(), |c| c.label.clone())
    };
    let mut rows = Vec::new();
    for e in &found {
        // A pool's region is the nation or a si/do: its path is its code.
        let keeps = RegionPath::parse(&e.region_code)
            .is_ok_and(|path| user.may_in(Permission::KeepExpertPool, &path));
        let x = &e.expert;
        rows.push(Row {
            id: e.id,
            name: x.name.clone(),
            organisation: x.organisation.clone(),
            specialties: x
                .specialties
                .iter()
                .map(|s| specialty_label(&ctx, *s))
                .collect::<Vec<_>>()
                .join(", "),
            regions: if x.regions.is_empty() {
                ctx.t("expert.region.everywhere").to_owned()
            } else {
                x.regions
                    .iter()
                    .map(&sido_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            availability: ctx.t(&format!("expert.availability.{}", x.availability.as_str())),
            email: x.email.clone(),
            phone: x.phone.clone(),
            profile: x.profile.clone(),
            keep: keeps.then(|| {
                choices(
                    &Availability::ALL,
                    "expert.availability",
                    Availability::as_str,
                    &ctx,
                    &[x.availability.as_str().to_owned()],
                )
            }),
        });
    }
    let mut specialties = vec![Choice {
        value: String::new(),
        label: ctx.t("expert.specialty.all").to_owned(),
        selected: query.specialty.as_deref().unwrap_or_default().is_empty(),
    }];
    specialties.extend(choices(
        &Specialty::ALL,
        "expert.specialty",
        Specialty::as_str,
        &ctx,
        &[query.specialty.clone().unwrap_or_default()],
    ));
    let regions = region_choices(
        state,
        &ctx,
        query.region.as_deref().unwrap_or_default(),
        "expert.region.all",
    )
    .await?;
    // The pool the user registers in: the widest of their scopes that keeps one.
    let mut scopes = user.scopes(Permission::KeepExpertPool);
    scopes.retain(|c| matches!(c.level(), Level::Nation | Level::Sido));
    scopes.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    let pool = scopes.first().map(|c| {
        let name = if c.level() == Level::Nation {
            ctx.t("expert.pool.nation").to_owned()
        } else {
            sido_name(c)
        };
        (c.to_string(), name)
    });
    let (new_specialties, new_regions) = form.boxes(&ctx, &sidos);
    let base = query_string(&[
        ("specialty", &query.specialty),
        ("region", &query.region),
        ("available", &query.available),
    ]);
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb_t("nav.workspace", Some("/work".into()))
        .crumb_t("expert.title", None);
    Ok(PoolPage {
        rows,
        total,
        pager: Pager::new(paging, total, base),
        specialties,
        regions,
        pool,
        new_specialties,
        new_regions,
        form,
        error_field,
        error_message,
        query,
        ctx,
    })
}

async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Params(query): Params<ExpertQuery>,
) -> Result<PoolPage> {
    render(&state, ctx, &user, query, ExpertForm::default(), None).await
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let pool = kept_pool(&state, &user, &code).await?;
    let form = ExpertForm::read(&f);
    let sent = form.sent(None);
    let outcome = create(&state, &user, &pool, &sent)
        .await
        .map(|_| "/work/experts".to_owned());
    form_answer(outcome, |p| async move {
        render(&state, ctx, &user, ExpertQuery::default(), form, Some(&p)).await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
struct AvailabilityForm {
    #[serde(default)]
    availability: String,
}

async fn availability_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<AvailabilityForm>,
) -> Result<Response> {
    set_availability(&state, &user, &id, &f.availability).await?;
    Ok(Redirect::to("/work/experts").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "expert/edit.html")]
struct EditPage {
    ctx: PageCtx,
    id: i64,
    name: String,
    new_specialties: Vec<Choice>,
    new_regions: Vec<Choice>,
    form: ExpertForm,
    error_field: String,
    error_message: &'static str,
}

async fn render_edit(
    state: &AppState,
    ctx: PageCtx,
    e: &StoredExpert,
    form: ExpertForm,
    error: Option<&Problem>,
) -> Result<EditPage> {
    let sidos = region_choices(state, &ctx, "", "expert.region.all").await?;
    let (new_specialties, new_regions) = form.boxes(&ctx, &sidos);
    let (error_field, error_message) = form_error(&ctx, error);
    let ctx = ctx
        .crumb_t("nav.workspace", Some("/work".into()))
        .crumb_t("expert.title", Some("/work/experts".into()))
        .crumb(e.expert.name.clone(), None);
    Ok(EditPage {
        id: e.id,
        name: e.expert.name.clone(),
        new_specialties,
        new_regions,
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<EditPage> {
    let e = kept_expert(&state, &user, &id).await?;
    render_edit(&state, ctx, &e, ExpertForm::of(&e.expert), None).await
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let e = kept_expert(&state, &user, &id).await?;
    let form = ExpertForm::read(&f);
    // The availability is kept: it is changed on the list.
    let sent = form.sent(Some(e.expert.availability));
    let outcome = update(&state, &user, &id, &sent)
        .await
        .map(|_| "/work/experts".to_owned());
    form_answer(outcome, |p| async move {
        render_edit(&state, ctx, &e, form, Some(&p)).await
    })
    .await
}

async fn remove_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    remove(&state, &user, &id).await?;
    Ok(Redirect::to("/work/experts").into_response())
}
