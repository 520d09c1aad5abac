//! Pages of the assembly: for residents, the place's assemblies, the ballot paper with the
//! voting form and the result; for the council and autonomy staff, setting up, opening and
//! closing, booth check-ins and paper tallies. Every form works without JavaScript.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maeul_core::account::{Permission, Principal};
use maeul_core::autonomy::assembly::{DecisionRule, PaperItem, PaperTally, RawChoice, Reason};
use maeul_core::format;
use maeul_core::region::{Level, RegionCode};
use maeul_store::autonomy::assembly::{Assembly, Setup, Status};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{
    AssemblyIn, AssemblyResult, BoothIn, EligibilityIn, ItemIn, PricedOptionIn, QuorumIn,
    Transition, assembly_problem, booth_of, cast, check_in, emd_of, managed, opened, paper_problem,
    polled, record_id, result_of, transition,
};
use crate::AppState;
use crate::access::{Access, Routes, User};
use crate::error::{Problem, Result};
use crate::page::{Choice, PageCtx, form_error};

const MANAGE: Access = Access::Allowed(Permission::ManageAssemblies);
const POLLING: Access = Access::Allowed(Permission::RunPolling);

pub fn routes(r: Routes) -> Routes {
    r.page("/r/{code}/assemblies", Access::Public, get(place_list))
        .page("/r/{code}/assemblies/{id}", Access::Public, get(show))
        .page("/r/{code}/assemblies/{id}/vote", Access::Public, post(vote))
        .page("/work/assemblies", MANAGE, get(work_list))
        .page(
            "/work/assemblies/new",
            MANAGE,
            get(new_page).post(new_submit),
        )
        .page("/work/assemblies/{id}", MANAGE, get(work_show))
        .page("/work/assemblies/{id}/open", MANAGE, post(open_form))
        .page("/work/assemblies/{id}/close", MANAGE, post(close_form))
        .page(
            "/work/assemblies/{id}/checkins",
            POLLING,
            post(check_in_form),
        )
        .page(
            "/work/assemblies/{id}/booth-tallies",
            POLLING,
            post(tally_form),
        )
        .page(
            "/r/{code}/resident-verifications",
            POLLING,
            get(verification_page).post(verification_form),
        )
}

fn status_label(ctx: &PageCtx, status: Status) -> &'static str {
    ctx.t(match status {
        Status::Draft => "assembly.status.draft",
        Status::Open => "assembly.status.open",
        Status::Closed => "assembly.status.closed",
    })
}

/// The facts every page of an assembly shows.
struct Facts {
    title: String,
    status: &'static str,
    status_label: &'static str,
    window: String,
    advance: Option<String>,
    eligibility: String,
    quorum: String,
    participants: String,
}

fn facts(ctx: &PageCtx, a: &Assembly) -> Facts {
    let r = &a.setup.rules;
    let needed = format::thousands(r.quorum_needed() as i64);
    let percent = format!("{}", f64::from(r.quorum_basis_points) / 100.0);
    let population = format::thousands(r.eligible_population as i64);
    Facts {
        title: r.title.clone(),
        status: a.status.as_str(),
        status_label: status_label(ctx, a.status),
        window: format!("{} ~ {}", ctx.moment(r.opens_at), ctx.moment(r.closes_at)),
        advance: r
            .advance_opens_at
            .map(|t| ctx.tf("assembly.advance_from", &[("at", &ctx.moment(t))])),
        eligibility: ctx.tf(
            match r.eligibility.voters {
                maeul_core::autonomy::assembly::Voters::Residents => {
                    "assembly.eligibility.residents"
                }
                maeul_core::autonomy::assembly::Voters::ResidentsWorkersStudents => {
                    "assembly.eligibility.workers"
                }
            },
            &[("age", &r.eligibility.min_age.to_string())],
        ),
        quorum: ctx.tf(
            "assembly.quorum_text",
            &[
                ("percent", &percent),
                ("population", &population),
                ("needed", &needed),
            ],
        ),
        participants: format::thousands(a.participants.total() as i64),
    }
}

// ---------------------------------------------------------------------------------------
// Public pages

struct AssemblyLink {
    href: String,
    title: String,
    status: &'static str,
    status_label: &'static str,
    window: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/list.html")]
struct PlaceListPage {
    ctx: PageCtx,
    place: String,
    assemblies: Vec<AssemblyLink>,
}

/// The eup/myeon/dong of a public page, with the breadcrumb to it.
async fn public_place(
    state: &AppState,
    ctx: PageCtx,
    code: &str,
) -> Result<(PageCtx, RegionCode, String)> {
    let code = RegionCode::parse(code).map_err(|_| Problem::not_found())?;
    let region = state
        .store
        .regions()
        .get(&code)
        .await?
        .filter(|r| r.region.level == Level::Emd)
        .ok_or_else(Problem::not_found)?;
    let name = region.region.full_name.clone();
    let ctx = ctx.crumb(name.clone(), Some(format!("/r/{code}")));
    Ok((ctx, code, name))
}

async fn place_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<PlaceListPage> {
    let (ctx, code, place) = public_place(&state, ctx, &code).await?;
    let ctx = ctx.crumb_t("assembly.title", None);
    let assemblies = state
        .store
        .assemblies()
        .of_place(&code)
        .await?
        .iter()
        .map(|a| AssemblyLink {
            href: format!("/r/{code}/assemblies/{}", a.setup.id),
            title: a.setup.rules.title.clone(),
            status: a.status.as_str(),
            status_label: status_label(&ctx, a.status),
            window: format!(
                "{} ~ {}",
                ctx.moment(a.setup.rules.opens_at),
                ctx.moment(a.setup.rules.closes_at)
            ),
        })
        .collect();
    Ok(PlaceListPage {
        ctx,
        place,
        assemblies,
    })
}

/// One item of the ballot paper as a fieldset of the voting form.
struct BallotItem {
    id: i64,
    title: String,
    /// `radio` for a majority item, `checkbox` otherwise.
    input: &'static str,
    hint: String,
    options: Vec<Choice>,
    error: &'static str,
}

fn ballot_items(
    ctx: &PageCtx,
    setup: &Setup,
    chosen: &BTreeMap<i64, Vec<String>>,
    error: (&str, &'static str),
) -> Vec<BallotItem> {
    setup
        .item_ids
        .iter()
        .zip(&setup.rules.items)
        .map(|(id, item)| {
            let picked = chosen.get(id);
            let choice = |value: &str, label: String| Choice {
                selected: picked.is_some_and(|p| p.iter().any(|v| v == value)),
                value: value.to_owned(),
                label,
            };
            let (input, hint, options) = match &item.rule {
                DecisionRule::Majority => (
                    "radio",
                    ctx.t("assembly.hint.majority").to_owned(),
                    maeul_core::autonomy::assembly::MAJORITY_OPTIONS
                        .iter()
                        .map(|o| choice(o, ctx.t(&format!("assembly.answer.{o}")).to_owned()))
                        .collect(),
                ),
                DecisionRule::TopK { k, options } => (
                    "checkbox",
                    ctx.tf("assembly.hint.top_k", &[("k", &k.to_string())]),
                    options.iter().map(|o| choice(o, o.clone())).collect(),
                ),
                DecisionRule::Budget { limit, options } => (
                    "checkbox",
                    ctx.tf(
                        "assembly.hint.budget",
                        &[("limit", &format::won(*limit, ctx.lang))],
                    ),
                    options
                        .iter()
                        .map(|o| {
                            choice(
                                &o.title,
                                format!("{} ({})", o.title, format::won(o.cost, ctx.lang)),
                            )
                        })
                        .collect(),
                ),
            };
            // The error names `choices[N]…` after the order of the submitted choices, which is
            // the order of the ballot paper for the items chosen.
            let index = chosen.keys().position(|k| k == id);
            let error = match (index, error) {
                (Some(i), (field, message)) if field.starts_with(&format!("choices[{i}]")) => {
                    message
                }
                _ => "",
            };
            BallotItem {
                id: *id,
                title: item.title.clone(),
                input,
                hint,
                options,
                error,
            }
        })
        .collect()
}

struct ResultRow {
    label: String,
    votes: String,
    winner: bool,
}

struct ItemResultView {
    title: String,
    rows: Vec<ResultRow>,
    tied: bool,
}

#[derive(Clone)]
struct BoothView {
    name: String,
    checked_in: String,
    ballots: String,
    mismatch: bool,
}

/// The result as a page shows it.
struct ResultView {
    online: String,
    booth: String,
    total: String,
    turnout: String,
    quorum_met: bool,
    valid: bool,
    reasons: Vec<String>,
    items: Vec<ItemResultView>,
    booths: Vec<BoothView>,
    hash: String,
    file_href: String,
}

fn reason_text(ctx: &PageCtx, r: &Reason) -> String {
    match r {
        Reason::QuorumNotMet {
            needed,
            participants,
        } => ctx.tf(
            "assembly.reason.quorum",
            &[
                ("needed", &format::thousands(*needed as i64)),
                ("participants", &format::thousands(*participants as i64)),
            ],
        ),
        Reason::BoothTallyMissing { booth } => {
            ctx.tf("assembly.reason.missing", &[("booth", booth)])
        }
        Reason::MoreBallotsThanCheckIns {
            booth,
            checked_in,
            ballots,
        } => ctx.tf(
            "assembly.reason.more",
            &[
                ("booth", booth),
                ("checked_in", &checked_in.to_string()),
                ("ballots", &ballots.to_string()),
            ],
        ),
    }
}

fn answer_label(ctx: &PageCtx, rule: &str, option: &str) -> String {
    if rule == "majority" {
        ctx.t(&format!("assembly.answer.{option}")).to_owned()
    } else {
        option.to_owned()
    }
}

fn result_view(ctx: &PageCtx, r: &AssemblyResult) -> ResultView {
    let n = |v: u64| format::thousands(v as i64);
    ResultView {
        online: n(r.participants.online),
        booth: n(r.participants.booth),
        total: n(r.participants.total),
        turnout: format!("{}%", r.turnout_percent),
        quorum_met: r.quorum_met,
        valid: r.valid,
        reasons: r.reasons.iter().map(|x| reason_text(ctx, x)).collect(),
        items: r
            .items
            .iter()
            .map(|i| {
                // Yes, no, abstain in that order; options by votes, most first.
                let mut counts: Vec<(&String, &u64)> = i.counts.iter().collect();
                if i.rule == "majority" {
                    counts.sort_by_key(|(o, _)| {
                        maeul_core::autonomy::assembly::MAJORITY_OPTIONS
                            .iter()
                            .position(|m| m == o)
                    });
                } else {
                    counts.sort_by_key(|(_, v)| std::cmp::Reverse(**v));
                }
                let rows = counts
                    .into_iter()
                    .map(|(option, votes)| ResultRow {
                        label: answer_label(ctx, &i.rule, option),
                        votes: n(*votes),
                        winner: i.winners.iter().any(|w| w == option),
                    })
                    .collect();
                ItemResultView {
                    title: i.title.clone(),
                    rows,
                    tied: i.tied,
                }
            })
            .collect(),
        booths: r
            .booths
            .iter()
            .map(|b| BoothView {
                name: b.booth.clone(),
                checked_in: n(b.checked_in),
                ballots: b
                    .ballots
                    .map(n)
                    .unwrap_or_else(|| ctx.t("assembly.not_counted").into()),
                mismatch: b.mismatch,
            })
            .collect(),
        hash: r.ballot_hash.clone().unwrap_or_default(),
        file_href: format!("/api/v1/assemblies/{}/ballots", r.id),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/show.html")]
struct ShowPage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    place: String,
    action: String,
    facts: Facts,
    voting: bool,
    items: Vec<BallotItem>,
    code: String,
    error_field: String,
    error_message: &'static str,
    result: Option<ResultView>,
    /// Where residents who took part get their certificate, once voting has opened.
    certificate_href: Option<String>,
    /// The user is a resident of the place verified by the community centre: they vote
    /// without a code.
    signed_in_voter: bool,
}

/// The assembly of a public page: it must belong to the place in the address.
async fn public_assembly(state: &AppState, code: &RegionCode, id: &str) -> Result<Assembly> {
    let id = record_id(id)?;
    state
        .store
        .assemblies()
        .get(id)
        .await?
        .filter(|a| a.setup.emd_code == code.as_str())
        .ok_or_else(Problem::not_found)
}

async fn render_show(
    state: &AppState,
    ctx: PageCtx,
    place: String,
    assembly: &Assembly,
    chosen: &BTreeMap<i64, Vec<String>>,
    code: String,
    error: Option<&Problem>,
) -> Result<ShowPage> {
    let ctx = ctx.crumb(assembly.setup.rules.title.clone(), None);
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let voting =
        assembly.status == Status::Open && assembly.setup.rules.online_channel(now).is_some();
    let (error_field, error_message) = form_error(&ctx, error);
    let error_message = match (error, error_message) {
        (Some(p), "") => ctx.t(p.title_key),
        (_, m) => m,
    };
    let signed_in_voter = match &ctx.user {
        Some(user) if voting => super::votes_signed_in(state, user, &assembly.setup).await?,
        _ => false,
    };
    let result = if assembly.status == Status::Closed {
        let counted = state
            .store
            .assemblies()
            .counted(assembly.setup.id)
            .await
            .map_err(assembly_problem)?;
        Some(result_view(&ctx, &result_of(&counted)))
    } else {
        None
    };
    Ok(ShowPage {
        guides: crate::guide::links(state, maeul_core::guide::Subject::Assembly).await,
        items: ballot_items(&ctx, &assembly.setup, chosen, (&error_field, error_message)),
        facts: facts(&ctx, assembly),
        action: format!(
            "/r/{}/assemblies/{}/vote",
            assembly.setup.emd_code, assembly.setup.id
        ),
        certificate_href: (assembly.status != Status::Draft).then(|| {
            format!(
                "/r/{}/assemblies/{}/certificate",
                assembly.setup.emd_code, assembly.setup.id
            )
        }),
        ctx,
        place,
        voting,
        code,
        error_field,
        error_message,
        result,
        signed_in_voter,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<ShowPage> {
    let (ctx, code, place) = public_place(&state, ctx, &code).await?;
    let ctx = ctx.crumb_t("assembly.title", Some(format!("/r/{code}/assemblies")));
    let assembly = public_assembly(&state, &code, &id).await?;
    render_show(
        &state,
        ctx,
        place,
        &assembly,
        &BTreeMap::new(),
        String::new(),
        None,
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/receipt.html")]
struct ReceiptPage {
    ctx: PageCtx,
    title: String,
    receipt: String,
    back: String,
}

async fn vote(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (ctx, region, place) = public_place(&state, ctx, &code).await?;
    let ctx = ctx.crumb_t("assembly.title", Some(format!("/r/{region}/assemblies")));
    let assembly = public_assembly(&state, &region, &id).await?;
    let mut voting_code = String::new();
    let mut chosen: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (key, value) in fields {
        if key == "code" {
            voting_code = value;
        } else if let Some(item) = key.strip_prefix("item-").and_then(|i| i.parse().ok()) {
            chosen.entry(item).or_default().push(value);
        }
    }
    let choices: Vec<(i64, RawChoice)> = chosen
        .iter()
        .filter_map(|(item, values)| {
            let position = assembly.setup.item_position(*item)?;
            Some(match assembly.setup.rules.items[position].rule {
                DecisionRule::Majority => (*item, RawChoice::One(values[0].clone())),
                _ => (*item, RawChoice::Many(values.clone())),
            })
        })
        .collect();
    let outcome = async {
        let setup = opened(&state, assembly.setup.id).await?;
        // A verified resident signed in votes without typing a code.
        match &ctx.user {
            Some(user)
                if voting_code.trim().is_empty()
                    && super::votes_signed_in(&state, user, &setup).await? =>
            {
                super::cast_signed_in(&state, user, &setup, choices).await
            }
            _ => cast(&state, &setup, &voting_code, choices).await,
        }
    }
    .await;
    match outcome {
        Ok(receipt) => Ok(ReceiptPage {
            title: assembly.setup.rules.title.clone(),
            back: format!("/r/{region}/assemblies/{}", assembly.setup.id),
            ctx: ctx.crumb(assembly.setup.rules.title.clone(), None),
            receipt,
        }
        .into_response()),
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            let status = p.status;
            let page = render_show(
                &state,
                ctx,
                place,
                &assembly,
                &chosen,
                voting_code,
                Some(&p),
            )
            .await?;
            Ok((status, page).into_response())
        }
        Err(p) => Err(p),
    }
}

// ---------------------------------------------------------------------------------------
// Workspace

struct WorkRow {
    href: String,
    title: String,
    place: String,
    status: &'static str,
    status_label: &'static str,
    window: String,
    participants: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/work_list.html")]
struct WorkListPage {
    ctx: PageCtx,
    rows: Vec<WorkRow>,
}

/// The eup/myeon/dong where the user manages assemblies, with their names.
async fn managed_places(state: &AppState, user: &Principal) -> Result<Vec<(RegionCode, String)>> {
    let mut places = Vec::new();
    for scope in user.scopes(Permission::ManageAssemblies) {
        if scope.level() != Level::Emd {
            continue;
        }
        if let Some(r) = state.store.regions().get(&scope).await? {
            places.push((scope, r.region.full_name));
        }
    }
    Ok(places)
}

async fn work_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
) -> Result<WorkListPage> {
    let ctx = ctx.crumb_t("assembly.work.title", None);
    let mut rows = Vec::new();
    for (code, name) in managed_places(&state, &user).await? {
        for a in state.store.assemblies().of_place(&code).await? {
            rows.push(WorkRow {
                href: format!("/work/assemblies/{}", a.setup.id),
                title: a.setup.rules.title.clone(),
                place: name.clone(),
                status: a.status.as_str(),
                status_label: status_label(&ctx, a.status),
                window: format!(
                    "{} ~ {}",
                    ctx.moment(a.setup.rules.opens_at),
                    ctx.moment(a.setup.rules.closes_at)
                ),
                participants: format::thousands(a.participants.total() as i64),
            });
        }
    }
    Ok(WorkListPage { ctx, rows })
}

/// The set-up form as typed. Moments are `datetime-local` values in Korea Standard Time.
#[derive(Debug, Deserialize, Default)]
struct NewForm {
    #[serde(default)]
    emd_code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    advance_opens_at: String,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    voters: String,
    #[serde(default)]
    eligible_population: String,
    #[serde(default)]
    quorum: String,
    #[serde(default)]
    booths: String,
    #[serde(default)]
    mobile_booths: String,
    #[serde(flatten)]
    items: BTreeMap<String, String>,
}

/// Items the form offers: enough for an assembly's usual agenda; more through the API.
const FORM_ITEMS: usize = 5;

impl NewForm {
    fn item(&self, n: usize, part: &str) -> String {
        self.items
            .get(&format!("item{n}_{part}"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    }

    fn number<T: std::str::FromStr>(field: &str, s: &str) -> Result<T> {
        s.trim()
            .replace(',', "")
            .parse()
            .map_err(|_| Problem::field(field, "field.number"))
    }

    fn moment(s: &str) -> String {
        // `2026-12-05T10:00` as typed in the browser, in Korea Standard Time.
        let s = s.trim();
        if s.len() == 16 {
            format!("{s}:00+09:00")
        } else {
            s.to_owned()
        }
    }

    fn input(&self) -> Result<AssemblyIn> {
        let mut items = Vec::new();
        for n in 0..FORM_ITEMS {
            let title = self.item(n, "title");
            if title.is_empty() {
                continue;
            }
            let lines: Vec<String> = self
                .item(n, "options")
                .lines()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect();
            let field = |part: &str| format!("items[{}].{part}", items.len());
            items.push(match self.item(n, "rule").as_str() {
                "top_k" => ItemIn::TopK {
                    title,
                    k: Self::number(&field("k"), &self.item(n, "k"))?,
                    options: lines,
                },
                "budget" => ItemIn::Budget {
                    title,
                    limit: Self::number(&field("limit"), &self.item(n, "limit"))?,
                    options: lines
                        .iter()
                        .map(|l| {
                            let (t, cost) = l.rsplit_once('|').ok_or_else(|| {
                                Problem::field(&field("options"), "assembly.error.cost_line")
                            })?;
                            Ok(PricedOptionIn {
                                title: t.trim().to_owned(),
                                cost: Self::number(&field("options"), cost)?,
                            })
                        })
                        .collect::<Result<_>>()?,
                },
                _ => ItemIn::Majority { title },
            });
        }
        let booths = |text: &str, kind: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| BoothIn {
                    name: l.to_owned(),
                    kind: Some(kind.to_owned()),
                })
                .collect::<Vec<_>>()
        };
        let mut all_booths = booths(&self.booths, "fixed");
        all_booths.extend(booths(&self.mobile_booths, "mobile"));
        let advance = Some(self.advance_opens_at.trim()).filter(|s| !s.is_empty());
        Ok(AssemblyIn {
            title: self.title.clone(),
            opens_at: Self::moment(&self.opens_at),
            closes_at: Self::moment(&self.closes_at),
            advance_opens_at: advance.map(Self::moment),
            eligibility: EligibilityIn {
                min_age: Self::number("eligibility.min_age", &self.min_age)?,
                voters: Some(self.voters.clone()).filter(|v| !v.is_empty()),
            },
            eligible_population: Self::number("eligible_population", &self.eligible_population)?,
            quorum: QuorumIn {
                min_turnout_percent: Self::number("quorum.min_turnout_percent", &self.quorum)?,
            },
            items,
            booths: all_booths,
        })
    }
}

struct ItemFields {
    n: usize,
    title: String,
    rules: Vec<Choice>,
    k: String,
    limit: String,
    options: String,
    error: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/new.html")]
struct NewPage {
    ctx: PageCtx,
    places: Vec<Choice>,
    voters: Vec<Choice>,
    form: NewForm,
    items: Vec<ItemFields>,
    error_field: String,
    error_message: &'static str,
}

async fn render_new(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    form: NewForm,
    error: Option<&Problem>,
) -> Result<NewPage> {
    let ctx = ctx
        .crumb_t("assembly.work.title", Some("/work/assemblies".into()))
        .crumb_t("assembly.new", None);
    let (error_field, error_message) = form_error(&ctx, error);
    let places = managed_places(state, user)
        .await?
        .into_iter()
        .map(|(code, name)| Choice {
            selected: form.emd_code == code.as_str(),
            value: code.to_string(),
            label: name,
        })
        .collect();
    let voters = ["residents", "residents_workers_students"]
        .into_iter()
        .map(|v| Choice {
            value: v.into(),
            label: ctx.t(&format!("assembly.voters.{v}")).into(),
            selected: form.voters == v,
        })
        .collect();
    // Errors name items by their place among the filled-in ones.
    let mut filled = 0;
    let items = (0..FORM_ITEMS)
        .map(|n| {
            let rule = form.item(n, "rule");
            let error = if !form.item(n, "title").is_empty() {
                filled += 1;
                if error_field.starts_with(&format!("items[{}]", filled - 1)) {
                    error_message
                } else {
                    ""
                }
            } else {
                ""
            };
            ItemFields {
                n,
                title: form.item(n, "title"),
                rules: ["majority", "top_k", "budget"]
                    .into_iter()
                    .map(|r| Choice {
                        value: r.into(),
                        label: ctx.t(&format!("assembly.rule.{r}")).into(),
                        selected: rule == r,
                    })
                    .collect(),
                k: form.item(n, "k"),
                limit: form.item(n, "limit"),
                options: form.item(n, "options"),
                error,
            }
        })
        .collect();
    Ok(NewPage {
        ctx,
        places,
        voters,
        form,
        items,
        error_field,
        error_message,
    })
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
) -> Result<NewPage> {
    let form = NewForm {
        min_age: "16".into(),
        quorum: "0.5".into(),
        ..NewForm::default()
    };
    render_new(&state, ctx, &user, form, None).await
}

async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    let created = async {
        let emd = emd_of(&state, &user, &form.emd_code).await?;
        let rules = form.input()?.rules()?;
        state
            .store
            .assemblies()
            .create(&emd, rules, user.user_id)
            .await
            .map_err(assembly_problem)
    }
    .await;
    match created {
        Ok(a) => Ok(Redirect::to(&format!("/work/assemblies/{}", a.setup.id)).into_response()),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let page = render_new(&state, ctx, &user, form, Some(&p)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(p) => Err(p),
    }
}

struct PaperField {
    name: String,
    label: String,
}

struct PaperItemFields {
    title: String,
    fields: Vec<PaperField>,
}

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/work_show.html")]
struct WorkShowPage {
    ctx: PageCtx,
    /// The guides on this work.
    guides: Vec<crate::guide::GuideLink>,
    id: i64,
    place_href: String,
    /// Where the staff verify residents to vote signed in.
    verify_href: String,
    facts: Facts,
    items: Vec<String>,
    may_poll: bool,
    /// Booth names to choose from; empty when any name is accepted.
    booth_names: Vec<String>,
    booths: Vec<BoothView>,
    paper: Vec<PaperItemFields>,
    notice: Option<&'static str>,
    error_field: String,
    error_message: &'static str,
    result: Option<ResultView>,
}

#[derive(Debug, Deserialize, Default)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn render_work_show(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    id: &str,
    notice: Option<&'static str>,
    error: Option<&Problem>,
) -> Result<WorkShowPage> {
    let id = record_id(id)?;
    let assembly = managed(state, user, id).await?;
    let ctx = ctx
        .crumb_t("assembly.work.title", Some("/work/assemblies".into()))
        .crumb(assembly.setup.rules.title.clone(), None);
    let (error_field, error_message) = form_error(&ctx, error);
    let setup = &assembly.setup;
    let counted = if assembly.status == Status::Draft {
        None
    } else {
        Some(
            state
                .store
                .assemblies()
                .counted(id)
                .await
                .map_err(assembly_problem)?,
        )
    };
    let result = counted.as_ref().map(|c| result_view(&ctx, &result_of(c)));
    let booths = result
        .as_ref()
        .map(|r| r.booths.clone())
        .unwrap_or_default();
    Ok(WorkShowPage {
        guides: crate::guide::links(state, maeul_core::guide::Subject::Assembly).await,
        id,
        place_href: format!("/r/{}/assemblies/{id}", setup.emd_code),
        verify_href: format!("/r/{}/resident-verifications", setup.emd_code),
        facts: facts(&ctx, &assembly),
        items: setup.rules.items.iter().map(|i| i.title.clone()).collect(),
        may_poll: assembly.status == Status::Open
            && user.may_in(Permission::RunPolling, &setup.place),
        booth_names: setup.rules.booths.iter().map(|b| b.name.clone()).collect(),
        booths,
        paper: setup
            .item_ids
            .iter()
            .zip(&setup.rules.items)
            .map(|(item_id, item)| PaperItemFields {
                title: item.title.clone(),
                fields: item
                    .rule
                    .option_titles()
                    .iter()
                    .enumerate()
                    .map(|(o, title)| PaperField {
                        name: format!("count-{item_id}-{o}"),
                        label: answer_label(&ctx, item.rule.name(), title),
                    })
                    .collect(),
            })
            .collect(),
        notice,
        error_field,
        error_message,
        result: result.filter(|_| assembly.status == Status::Closed),
        ctx,
    })
}

async fn work_show(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> Result<WorkShowPage> {
    let notice = match done.done.as_str() {
        "opened" => Some("assembly.done.opened"),
        "closed" => Some("assembly.done.closed"),
        "checked_in" => Some("assembly.done.checked_in"),
        "tallied" => Some("assembly.done.tallied"),
        _ => None,
    };
    render_work_show(&state, ctx, &user, &id, notice, None).await
}

/// After a workspace command: back to the assembly with a notice, or the page with the error.
async fn after(
    state: &AppState,
    ctx: PageCtx,
    user: &Principal,
    id: &str,
    outcome: Result<()>,
    done: &str,
) -> Result<Response> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/work/assemblies/{id}?done={done}")).into_response()),
        Err(p) if p.status.is_client_error() && p.status != StatusCode::NOT_FOUND => {
            let status = p.status;
            let page = render_work_show(state, ctx, user, id, None, Some(&p)).await?;
            Ok((status, page).into_response())
        }
        Err(p) => Err(p),
    }
}

async fn open_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = transition(&state, &user, &id, Transition::Open).await;
    after(&state, ctx, &user, &id, outcome.map(drop), "opened").await
}

async fn close_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
) -> Result<Response> {
    let outcome = transition(&state, &user, &id, Transition::Close).await;
    after(&state, ctx, &user, &id, outcome.map(drop), "closed").await
}

#[derive(Debug, Deserialize)]
struct CheckInForm {
    #[serde(default)]
    resident_ref: String,
    #[serde(default)]
    booth: String,
}

async fn check_in_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(form): Form<CheckInForm>,
) -> Result<Response> {
    let outcome = async {
        let setup = polled(&state, &user, &id).await?;
        check_in(&state, &setup, &form.resident_ref, &form.booth).await?;
        Ok(())
    }
    .await;
    after(&state, ctx, &user, &id, outcome, "checked_in").await
}

async fn tally_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let outcome = async {
        let setup = polled(&state, &user, &id).await?;
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let booth = booth_of(&setup, &field("booth"))?;
        let ballots: u64 = field("ballots")
            .parse()
            .map_err(|_| Problem::field("ballots", "field.number"))?;
        let mut items: Vec<PaperItem> = Vec::new();
        for (position, (item_id, item)) in setup.item_ids.iter().zip(&setup.rules.items).enumerate()
        {
            let mut votes = Vec::new();
            for (o, title) in item.rule.option_titles().iter().enumerate() {
                let name = format!("count-{item_id}-{o}");
                let value = field(&name);
                if value.is_empty() {
                    continue;
                }
                let n = value
                    .parse::<u64>()
                    .map_err(|_| Problem::field(&name, "field.number"))?;
                votes.push(((*title).to_owned(), n));
            }
            items.push((item_id.to_string(), Some(position), votes));
        }
        let paper = PaperTally::new(&setup.rules, ballots, &items).map_err(paper_problem)?;
        state
            .store
            .assemblies()
            .enter_paper(&setup, &booth, &paper, user.user_id)
            .await
            .map_err(assembly_problem)
    }
    .await;
    after(&state, ctx, &user, &id, outcome, "tallied").await
}

// ---------------------------------------------------------------------------------------
// Residents verified to vote signed in

#[derive(Template, WebTemplate)]
#[template(path = "autonomy/assembly/residents.html")]
struct ResidentsPage {
    ctx: PageCtx,
    code: String,
    place: String,
    residents: Vec<(String, String, String)>,
    login: String,
    notice: Option<&'static str>,
    error_field: String,
    error_message: &'static str,
}

#[derive(Debug, Default, Deserialize)]
struct VerificationForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    resident_ref: String,
}

#[derive(Debug, Default, Deserialize)]
struct VerifiedQuery {
    done: Option<String>,
}

async fn render_residents(
    state: &AppState,
    ctx: PageCtx,
    user: &maeul_core::account::Principal,
    code: &str,
    login: String,
    notice: Option<&'static str>,
    error: Option<&Problem>,
) -> Result<ResidentsPage> {
    let place = crate::autonomy::council::emd(state, code).await?;
    if !user.may_in(Permission::RunPolling, &place.path) {
        return Err(Problem::forbidden());
    }
    let ctx = ctx
        .crumb(place.region.full_name.clone(), Some(format!("/r/{code}")))
        .crumb_t("assembly.verify.title", None);
    let residents = state
        .store
        .residents()
        .of_place(&place.region.code)
        .await?
        .into_iter()
        .map(|r| (r.login, r.name, format::date(r.verified_on, ctx.lang)))
        .collect();
    let (error_field, error_message) = form_error(&ctx, error);
    Ok(ResidentsPage {
        code: code.to_owned(),
        place: place.region.full_name.clone(),
        residents,
        login,
        notice,
        error_field,
        error_message,
        ctx,
    })
}

async fn verification_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Query(q): Query<VerifiedQuery>,
) -> Result<ResidentsPage> {
    let notice = (q.done.as_deref() == Some("verified")).then_some("assembly.verify.done");
    render_residents(&state, ctx, &user, &code, String::new(), notice, None).await
}

async fn verification_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    User(user): User,
    Path(code): Path<String>,
    Form(form): Form<VerificationForm>,
) -> Result<Response> {
    let input = super::VerificationIn {
        login: form.login.clone(),
        resident_ref: form.resident_ref.clone(),
    };
    let verified = super::verify_resident(&state, &user, &code, input)
        .await
        .map(|()| format!("/r/{code}/resident-verifications?done=verified"));
    crate::page::form_answer(verified, |p| async move {
        render_residents(&state, ctx, &user, &code, form.login, None, Some(&p)).await
    })
    .await
}
