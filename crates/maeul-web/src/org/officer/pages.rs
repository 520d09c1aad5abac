//! Pages of the officer network: the search every workspace user reads, and the forms with which
//! programme and ministry staff keep their governments' entries. Every form works without
//! JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::org::officer::Field;
use maeul_core::region::{Level, RegionCode};
use maeul_store::org::officer::StoredOfficer;
use maeul_store::region::{RegionFilter, StoredRegion};
use serde::Deserialize;

use super::{OfficerIn, OfficerQuery, kept_officer};
use crate::AppState;
use crate::access::{Access, RequestContext, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{
    Choice, PageCtx, choices, form_answer, form_error, query_string, region_choices,
};
use crate::paging::{Pager, Paging};

const READ: Access = Access::Allowed(Permission::UseWorkspace);
const KEEP: Access = Access::Allowed(Permission::KeepOfficerNetwork);

pub fn routes(r: Routes) -> Routes {
    r.page("/work/officers", READ, get(search))
        .page("/work/officers/new", KEEP, get(new_form).post(add_form))
        .page(
            "/work/officers/{id}/edit",
            KEEP,
            get(edit_form).post(update_form),
        )
        .page("/work/officers/{id}/removal", KEEP, post(remove_form))
}

struct Row {
    government: String,
    field: &'static str,
    name: String,
    department: String,
    position: String,
    phone: String,
    email: String,
    edit: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/officer/search.html")]
struct SearchPage {
    ctx: PageCtx,
    query: OfficerQuery,
    rows: Vec<Row>,
    total: i64,
    pager: Pager,
    fields: Vec<Choice>,
    regions: Vec<Choice>,
    may_keep: bool,
    notice: Option<&'static str>,
}

/// The search form as sent (the API's parameters), and what was just done.
#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    q: Option<String>,
    field: Option<String>,
    region: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

fn field_label(ctx: &PageCtx, f: Field) -> &'static str {
    ctx.t(&format!("officer.field.{}", f.as_str()))
}

fn region_filter(level: Level, parent: Option<RegionCode>) -> RegionFilter {
    RegionFilter {
        level: Some(level),
        parent,
        ..RegionFilter::default()
    }
}

async fn search(
    State(state): State<AppState>,
    ctx: PageCtx,
    req: RequestContext,
    Params(params): Params<SearchParams>,
) -> Result<SearchPage> {
    let ctx = ctx.crumb_t("officer.title", None);
    let query = OfficerQuery {
        q: params.q,
        field: params.field,
        region: params.region,
        page: params.page,
        per_page: None,
    };
    let paging = Paging::parse(query.page.as_deref(), None)?;
    let (found, total) = state
        .store
        .officers()
        .search(query.filter()?, paging.offset(), paging.per_page)
        .await?;
    let user = req.principal();
    let rows = found
        .iter()
        .map(|o| Row {
            government: if o.region_name.is_empty() {
                ctx.t("officer.ministry").to_owned()
            } else {
                o.region_name.clone()
            },
            field: field_label(&ctx, o.officer.field),
            name: o.officer.name.clone(),
            department: o.officer.department.clone(),
            position: o.officer.position.clone(),
            phone: o.officer.phone.clone(),
            email: o.officer.email.clone(),
            edit: user
                .filter(|u| keeps(u, o))
                .map(|_| format!("/work/officers/{}/edit", o.id)),
        })
        .collect();
    let field = query.field.clone().unwrap_or_default();
    let mut fields = vec![Choice {
        value: String::new(),
        label: ctx.t("officer.field.all").to_owned(),
        selected: field.is_empty(),
    }];
    fields.extend(choices(
        &Field::ALL,
        "officer.field",
        Field::as_str,
        &ctx,
        std::slice::from_ref(&field),
    ));
    let region = query.region.clone().unwrap_or_default();
    let regions = region_choices(&state, &ctx, &region, "officer.region.all").await?;
    let base = query_string(&[
        ("q", &query.q),
        ("field", &query.field),
        ("region", &query.region),
    ]);
    let notice = match params.done.as_deref() {
        Some("added") => Some("officer.done.added"),
        Some("saved") => Some("officer.done.saved"),
        Some("removed") => Some("officer.done.removed"),
        _ => None,
    };
    Ok(SearchPage {
        rows,
        total,
        pager: Pager::new(paging, total, base),
        fields,
        regions,
        may_keep: user.is_some_and(|u| u.may(Permission::KeepOfficerNetwork)),
        notice,
        query,
        ctx,
    })
}

/// Whether the user keeps the entry.
fn keeps(user: &Principal, o: &StoredOfficer) -> bool {
    RegionCode::parse(&o.region_code).is_ok_and(|code| super::keeps(user, &code, &o.region_path))
}

// ---------------------------------------------------------------------------------------
// Keeping entries

#[derive(Debug, Default, Deserialize)]
struct OfficerForm {
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

impl OfficerForm {
    fn of(o: &StoredOfficer) -> Self {
        OfficerForm {
            region_code: o.region_code.clone(),
            field: o.officer.field.as_str().to_owned(),
            name: o.officer.name.clone(),
            department: o.officer.department.clone(),
            position: o.officer.position.clone(),
            phone: o.officer.phone.clone(),
            email: o.officer.email.clone(),
        }
    }

    fn input(&self) -> OfficerIn {
        OfficerIn {
            field: self.field.clone(),
            name: self.name.clone(),
            department: self.department.clone(),
            position: self.position.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "org/officer/form.html")]
struct FormPage {
    ctx: PageCtx,
    heading: &'static str,
    action: String,
    /// The governments to choose from (new entries only).
    regions: Vec<Choice>,
    /// The government of an entry being edited.
    government: String,
    fields: Vec<Choice>,
    form: OfficerForm,
    removal: Option<String>,
    error_field: String,
    error_message: &'static str,
}

/// The governments whose officers the user keeps: their scopes and the governments one level
/// below (a si/do's si/gun/gu, a si/gun/gu's eup/myeon/dong; the nation's si/do).
async fn keepable(state: &AppState, user: &Principal) -> Result<Vec<StoredRegion>> {
    let mut out = Vec::new();
    for scope in user.scopes(Permission::KeepOfficerNetwork) {
        let below = match scope.level() {
            Level::Nation => Some(region_filter(Level::Sido, None)),
            Level::Sido => Some(region_filter(Level::Sigungu, Some(scope.clone()))),
            Level::Sigungu => Some(region_filter(Level::Emd, Some(scope.clone()))),
            Level::Emd => None,
        };
        out.extend(state.store.regions().get(&scope).await?);
        if let Some(f) = below {
            out.extend(state.store.regions().list(f, 0, 500).await?.items);
        }
    }
    out.retain(|r| r.retired_on.is_none() && super::keeps(user, &r.region.code, &r.path));
    Ok(out)
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    edit: Option<&StoredOfficer>,
    form: OfficerForm,
    error: Option<&Problem>,
) -> Result<FormPage> {
    let ctx = ctx.crumb_t("officer.title", Some("/work/officers".into()));
    let (ctx, heading, action) = match edit {
        None => (
            ctx.crumb_t("officer.new", None),
            "officer.new",
            "/work/officers/new".to_owned(),
        ),
        Some(o) => (
            ctx.crumb_t("officer.edit", None),
            "officer.edit",
            format!("/work/officers/{}/edit", o.id),
        ),
    };
    let regions = match edit {
        Some(_) => Vec::new(),
        None => keepable(state, user)
            .await?
            .into_iter()
            .map(|r| Choice {
                selected: form.region_code == r.region.code.as_str(),
                value: r.region.code.to_string(),
                label: if r.region.code.as_str() == RegionCode::NATION {
                    ctx.t("officer.ministry").to_owned()
                } else {
                    r.region.full_name
                },
            })
            .collect(),
    };
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(FormPage {
        heading,
        action,
        regions,
        government: edit
            .map(|o| {
                if o.region_name.is_empty() {
                    ctx.t("officer.ministry").to_owned()
                } else {
                    o.region_name.clone()
                }
            })
            .unwrap_or_default(),
        fields: choices(
            &Field::ALL,
            "officer.field",
            Field::as_str,
            &ctx,
            std::slice::from_ref(&form.field),
        ),
        removal: edit.map(|o| format!("/work/officers/{}/removal", o.id)),
        form,
        error_field,
        error_message,
        ctx,
    })
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
) -> Result<FormPage> {
    form_page(&state, ctx, &user, None, OfficerForm::default(), None).await
}

async fn add_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<OfficerForm>,
) -> Result<Response> {
    let added = super::add(&state, &user, &form.region_code, form.input())
        .await
        .map(|_| {
            format!(
                "/work/officers?region={}&done=added",
                form.region_code.trim()
            )
        })
        .map_err(|p| {
            // An unknown government is a choice the form offered wrongly: name the field.
            if p.status == axum::http::StatusCode::NOT_FOUND {
                Problem::field("region_code", "field.choice")
            } else {
                p
            }
        });
    form_answer(added, |p| async move {
        form_page(&state, ctx, &user, None, form, Some(&p)).await
    })
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let o = kept_officer(&state, &user, &id).await?;
    Ok(
        form_page(&state, ctx, &user, Some(&o), OfficerForm::of(&o), None)
            .await?
            .into_response(),
    )
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<OfficerForm>,
) -> Result<Response> {
    let o = kept_officer(&state, &user, &id).await?;
    let saved = super::update(&state, &user, &id, form.input())
        .await
        .map(|_| format!("/work/officers?region={}&done=saved", o.region_code));
    form_answer(saved, |p| async move {
        form_page(&state, ctx, &user, Some(&o), form, Some(&p)).await
    })
    .await
}

async fn remove_form(
    State(state): State<AppState>,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let o = kept_officer(&state, &user, &id).await?;
    super::remove(&state, &user, &id).await?;
    Ok(axum::response::Redirect::to(&format!(
        "/work/officers?region={}&done=removed",
        o.region_code
    ))
    .into_response())
}
