//! Pages of the guides: the list with its search, one guide with its contents, and the form
//! the ministry writes and revises a guide with. Every form works without JavaScript.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maeul_core::account::Permission;
use maeul_core::guide::{self, Heading, Subject};
use serde::Deserialize;

use maeul_store::guide::GuideRevision;

use super::{EDIT, GuideQuery, GuideText, create, index, slug_of, stored, update};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Params, Problem, Result};
use crate::page::{Choice, PageCtx, form_answer, form_error};
use crate::programme::marked;

pub fn routes(r: Routes) -> Routes {
    r.page("/guides", Access::Public, get(list))
        .page("/guides/new", EDIT, get(new_form).post(create_form))
        .page("/guides/{slug}", Access::Public, get(show))
        .page(
            "/guides/{slug}/edit",
            EDIT,
            get(edit_form).post(update_form),
        )
        .page("/guides/{slug}/revisions/{revision}", EDIT, get(revision))
}

fn subject_label(ctx: &PageCtx, s: Subject) -> &'static str {
    ctx.t(&format!("guide.subject.{}", s.as_str()))
}

/// The subjects to choose from, `chosen` selected; `any` first names "every subject".
fn subject_choices(ctx: &PageCtx, chosen: &str, any: bool) -> Vec<Choice> {
    let first = any.then(|| Choice {
        value: String::new(),
        label: ctx.t("guide.subject.all").to_owned(),
        selected: chosen.is_empty(),
    });
    first
        .into_iter()
        .chain(Subject::ALL.iter().map(|s| Choice {
            value: s.as_str().to_owned(),
            label: subject_label(ctx, *s).to_owned(),
            selected: s.as_str() == chosen,
        }))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The list

struct Card {
    href: String,
    /// HTML: escaped, with the query's words marked.
    title: String,
    subject: &'static str,
    snippet: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "guide/list.html")]
struct ListPage {
    ctx: PageCtx,
    q: String,
    subjects: Vec<Choice>,
    cards: Vec<Card>,
    searched: bool,
    may_edit: bool,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Params(query): Params<GuideQuery>,
) -> Result<ListPage> {
    let query = query.on_page();
    let (q, subject) = query.parts()?;
    let ix = index(&state).await?;
    let hits = ix.search(q, subject).map_err(|_| Problem::internal())?;
    let cards = hits
        .iter()
        .map(|h| Card {
            href: format!("/guides/{}", h.doc.slug),
            title: marked(&h.title),
            subject: subject_label(&ctx, h.doc.subject),
            snippet: marked(&h.snippet),
        })
        .collect();
    let may_edit = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.may(Permission::EditGuides));
    let chosen = subject.map_or("", |s| s.as_str());
    Ok(ListPage {
        q: q.to_owned(),
        subjects: subject_choices(&ctx, chosen, true),
        cards,
        searched: !q.is_empty() || subject.is_some(),
        may_edit,
        ctx: ctx.crumb_t("guide.title", None),
    })
}

// ---------------------------------------------------------------------------------------
// One guide

struct RevisionView {
    revision: i64,
    at: String,
    by: String,
}

impl RevisionView {
    fn of(ctx: &PageCtx, r: GuideRevision) -> Self {
        RevisionView {
            revision: r.revision,
            at: ctx.moment(r.edited_at),
            by: r
                .editor
                .unwrap_or_else(|| ctx.t(&format!("guide.source.{}", r.source)).to_owned()),
        }
    }
}

/// A chapter of the contents with its sections, so that the list nests as the guide does.
struct Chapter {
    heading: Heading,
    sections: Vec<Heading>,
}

fn chapters(contents: Vec<Heading>) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    for h in contents {
        match out.last_mut() {
            Some(c) if h.depth > 1 => c.sections.push(h),
            _ => out.push(Chapter {
                heading: h,
                sections: Vec::new(),
            }),
        }
    }
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "guide/show.html")]
struct ShowPage {
    ctx: PageCtx,
    slug: String,
    title: String,
    subject: &'static str,
    summary: String,
    updated: String,
    contents: Vec<Chapter>,
    /// Rendered by `maeul_core::guide::render`, which lets no raw HTML, image or unsafe link
    /// through.
    html: String,
    may_edit: bool,
    history: Vec<RevisionView>,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
struct Shown {
    saved: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Params(shown): Params<Shown>,
) -> Result<ShowPage> {
    let g = stored(&state, &slug).await?;
    let may_edit = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.may(Permission::EditGuides));
    let history = if may_edit {
        state
            .store
            .guides()
            .history(&g.slug)
            .await?
            .into_iter()
            .map(|r| RevisionView::of(&ctx, r))
            .collect()
    } else {
        Vec::new()
    };
    let rendered = guide::render(&g.guide.body);
    let ctx = ctx.crumb_t("guide.title", Some("/guides".into()));
    Ok(ShowPage {
        slug: g.slug.to_string(),
        subject: subject_label(&ctx, g.guide.subject),
        title: g.guide.title,
        summary: g.guide.summary,
        updated: ctx.moment(g.updated_at),
        contents: chapters(rendered.contents),
        html: rendered.html,
        may_edit,
        history,
        notice: shown.saved.is_some().then_some("guide.saved"),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "guide/revision.html")]
struct RevisionPage {
    ctx: PageCtx,
    slug: String,
    title: String,
    version: RevisionView,
    /// The current revision, to tell an older one.
    current: i64,
    /// Rendered by `maeul_core::guide::render`.
    html: String,
    /// As written, to copy back into the form.
    body: String,
}

/// One earlier (or the current) version of a guide, for the ministry to compare and copy back.
async fn revision(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, revision)): Path<(String, String)>,
) -> Result<RevisionPage> {
    let g = stored(&state, &slug).await?;
    let n = crate::record_id(&revision)?;
    let (r, text) = state
        .store
        .guides()
        .revision(&g.slug, n)
        .await?
        .ok_or_else(Problem::not_found)?;
    let version = RevisionView::of(&ctx, r);
    let label = ctx.tf("guide.revision", &[("n", &n.to_string())]);
    let ctx = ctx
        .crumb_t("guide.title", Some("/guides".into()))
        .crumb(g.guide.title.clone(), Some(format!("/guides/{}", g.slug)))
        .crumb(label, None);
    Ok(RevisionPage {
        ctx,
        slug: g.slug.to_string(),
        title: text.title,
        version,
        current: g.revision,
        html: guide::render(&text.body).html,
        body: text.body,
    })
}

// ---------------------------------------------------------------------------------------
// Writing and revising

#[derive(Debug, Default, Deserialize)]
struct GuideForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    revision: String,
}

impl GuideForm {
    fn text(&self) -> GuideText {
        GuideText {
            subject: self.subject.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "guide/form.html")]
struct FormPage {
    ctx: PageCtx,
    heading: &'static str,
    /// The guide revised (empty for a new one).
    title: String,
    /// Where the guide is now, when someone saved it since the form was opened.
    current_href: Option<String>,
    action: String,
    /// Empty when revising: a guide keeps its name.
    new: bool,
    form: GuideForm,
    subjects: Vec<Choice>,
    error_field: String,
    error_message: &'static str,
    /// The body line a markup error is on.
    error_detail: String,
}

/// The form; `revised` names the guide being revised (its name and title as stored).
fn form_page(
    ctx: PageCtx,
    revised: Option<(&str, &str)>,
    form: GuideForm,
    error: Option<&Problem>,
) -> FormPage {
    let slug = revised.map(|(s, _)| s);
    let (error_field, error_message) = form_error(&ctx, error);
    let error_detail = error
        .and_then(|p| p.detail.as_deref())
        .map(|line| ctx.tf("guide.error.line", &[("line", line)]))
        .unwrap_or_default();
    let current_href = error
        .filter(|p| p.kind == "guide-changed")
        .and(slug)
        .map(|s| format!("/guides/{s}"));
    let subjects = subject_choices(&ctx, &form.subject, false);
    let (heading, action) = match slug {
        None => ("guide.new", "/guides/new".to_owned()),
        Some(s) => ("guide.edit", format!("/guides/{s}/edit")),
    };
    let ctx = ctx.crumb_t("guide.title", Some("/guides".into()));
    FormPage {
        heading,
        title: revised.map(|(_, t)| t.to_owned()).unwrap_or_default(),
        current_href,
        action,
        new: slug.is_none(),
        form,
        subjects,
        error_field,
        error_message,
        error_detail,
        ctx: ctx.crumb_t(heading, None),
    }
}

async fn new_form(ctx: PageCtx) -> FormPage {
    let form = GuideForm {
        subject: Subject::General.as_str().to_owned(),
        ..GuideForm::default()
    };
    form_page(ctx, None, form, None)
}

async fn create_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(f): Form<GuideForm>,
) -> Result<Response> {
    let outcome = create(&state, &user, &f.slug, &f.text())
        .await
        .map(|slug| format!("/guides/{slug}?saved=1"));
    form_answer(
        outcome,
        |p| async move { Ok(form_page(ctx, None, f, Some(&p))) },
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let g = stored(&state, &slug).await?;
    let form = GuideForm {
        slug: g.slug.to_string(),
        subject: g.guide.subject.as_str().to_owned(),
        title: g.guide.title.clone(),
        summary: g.guide.summary,
        body: g.guide.body,
        revision: g.revision.to_string(),
    };
    Ok(form_page(ctx, Some((g.slug.as_str(), &g.guide.title)), form, None).into_response())
}

async fn update_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(slug): Path<String>,
    Form(mut f): Form<GuideForm>,
) -> Result<Response> {
    let slug = slug_of(&slug)?;
    f.slug = slug.to_string();
    let revision = f.revision.trim().parse().ok();
    let outcome = update(&state, &user, &slug, &f.text(), revision)
        .await
        .map(|()| format!("/guides/{slug}?saved=1"));
    form_answer(outcome, |p| async move {
        let g = stored(&state, slug.as_str()).await?;
        // Someone saved in between: the form comes back over their version (linked, to read
        // first), so that saving again is a choice to replace it.
        if p.kind == "guide-changed" {
            f.revision = g.revision.to_string();
        }
        Ok(form_page(
            ctx,
            Some((slug.as_str(), &g.guide.title)),
            f,
            Some(&p),
        ))
    })
    .await
}
