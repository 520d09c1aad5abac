//! 지역사업 연계 — linkages of a place's agenda to programmes: their steps, each moving the
//! linkage on in the transaction that records it, and their documents.

use diesel::prelude::*;
use maeul_core::programme::linkage::{Stage, Step};
use maeul_core::region::RegionCode;
use sha2::{Digest, Sha256};

use crate::db::{db_run, db_write_as};
use crate::schema::{
    agenda_items, autonomy_plan_items, autonomy_plans, linkage_documents, linkage_steps, linkages,
    programmes, regions, users,
};
use crate::welfare::{date, text};
use crate::{Store, StoreError, unix_now};

/// A linkage as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linkage {
    pub id: i64,
    pub emd_code: String,
    pub programme_id: i64,
    pub plan_item_id: Option<i64>,
    pub agenda_item_id: Option<i64>,
    pub title: String,
    pub stage: Stage,
    pub owner: String,
    pub due_on: Option<time::Date>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A recorded step, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStep {
    pub step: Step,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// A document's particulars (its content is read on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub stage: Stage,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

/// What a new linkage starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub programme_id: i64,
    pub title: String,
    pub owner: String,
    pub plan_item_id: Option<i64>,
    pub agenda_item_id: Option<i64>,
}

/// Why a command is refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum LinkageStoreError {
    #[error("no such linkage")]
    NotFound,
    #[error("no such programme, or plan or agenda item of the place")]
    Elsewhere { field: &'static str },
    #[error("the linkage moved on meanwhile, or cannot move so")]
    Stage(maeul_core::programme::linkage::LinkageError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for LinkageStoreError {
    fn from(e: diesel::result::Error) -> Self {
        LinkageStoreError::Store(e.into())
    }
}

pub struct Linkages<'a>(&'a Store);

impl Store {
    pub fn linkages(&self) -> Linkages<'_> {
        Linkages(self)
    }
}

type LinkageRow = (
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
);

macro_rules! linkage_columns {
    () => {
        (
            linkages::id,
            linkages::emd_code,
            linkages::programme_id,
            linkages::plan_item_id,
            linkages::agenda_item_id,
            linkages::title,
            linkages::stage,
            linkages::owner,
            linkages::due_on,
            linkages::created_at,
            linkages::updated_at,
        )
    };
}

fn stage(s: &str) -> Result<Stage, StoreError> {
    Stage::parse(s).ok_or_else(|| StoreError::Corrupt(format!("linkage stage {s:?}")))
}

fn linkage_of(r: LinkageRow) -> Result<Linkage, StoreError> {
    Ok(Linkage {
        id: r.0,
        emd_code: r.1,
        programme_id: r.2,
        plan_item_id: r.3,
        agenda_item_id: r.4,
        title: r.5,
        stage: stage(&r.6)?,
        owner: r.7,
        due_on: r.8.as_deref().map(date).transpose()?,
        created_at: r.9,
        updated_at: r.10,
    })
}

impl Linkages<'_> {
    /// Starts a linkage at the candidate stage, with its first step recorded.
    pub async fn start(
        &self,
        emd: &RegionCode,
        start: Start,
        on: time::Date,
        by: i64,
    ) -> Result<i64, LinkageStoreError> {
        let emd = emd.to_string();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LinkageStoreError, |c| {
                    let known: i64 = programmes::table
                        .filter(programmes::id.eq(start.programme_id))
                        .count()
                        .get_result(c)?;
                    if known == 0 {
                        return Err(LinkageStoreError::Elsewhere {
                            field: "programme_id",
                        });
                    }
                    if let Some(item) = start.plan_item_id {
                        let n: i64 = autonomy_plan_items::table
                            .inner_join(autonomy_plans::table)
                            .filter(autonomy_plan_items::id.eq(item))
                            .filter(autonomy_plans::emd_code.eq(&emd))
                            .count()
                            .get_result(c)?;
                        if n == 0 {
                            return Err(LinkageStoreError::Elsewhere {
                                field: "plan_item_id",
                            });
                        }
                    }
                    if let Some(item) = start.agenda_item_id {
                        let n: i64 = agenda_items::table
                            .filter(agenda_items::id.eq(item))
                            .filter(agenda_items::emd_code.eq(&emd))
                            .count()
                            .get_result(c)?;
                        if n == 0 {
                            return Err(LinkageStoreError::Elsewhere {
                                field: "agenda_item_id",
                            });
                        }
                    }
                    let now = unix_now();
                    let id: i64 = diesel::insert_into(linkages::table)
                        .values((
                            linkages::emd_code.eq(&emd),
                            linkages::programme_id.eq(start.programme_id),
                            linkages::plan_item_id.eq(start.plan_item_id),
                            linkages::agenda_item_id.eq(start.agenda_item_id),
                            linkages::title.eq(&start.title),
                            linkages::stage.eq(Stage::Candidate.as_str()),
                            linkages::owner.eq(&start.owner),
                            linkages::created_by.eq(by),
                            linkages::created_at.eq(now),
                            linkages::updated_at.eq(now),
                        ))
                        .returning(linkages::id)
                        .get_result(c)?;
                    diesel::insert_into(linkage_steps::table)
                        .values((
                            linkage_steps::linkage_id.eq(id),
                            linkage_steps::stage.eq(Stage::Candidate.as_str()),
                            linkage_steps::on_date.eq(text(on)),
                            linkage_steps::owner.eq(&start.owner),
                            linkage_steps::note.eq(""),
                            linkage_steps::recorded_by.eq(by),
                            linkage_steps::recorded_at.eq(now),
                        ))
                        .execute(c)?;
                    Ok(id)
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<Linkage>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let row: Option<LinkageRow> = linkages::table
                        .find(id)
                        .select(linkage_columns!())
                        .first(c)
                        .optional()?;
                    row.map(linkage_of).transpose()
                })
            })
            .await
    }

    /// The linkages of the places whose path contains one of `within` (all when empty is not
    /// meant: give at least one scope), latest change first.
    pub async fn within(
        &self,
        within: Vec<RegionCode>,
        limit: i64,
    ) -> Result<Vec<Linkage>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let mut out = Vec::new();
                    for scope in &within {
                        let places = regions::table
                            .filter(regions::path.like(format!("%{scope}%")))
                            .select(regions::code);
                        let rows: Vec<LinkageRow> = linkages::table
                            .filter(linkages::emd_code.eq_any(places))
                            .order((linkages::updated_at.desc(), linkages::id.desc()))
                            .limit(limit)
                            .select(linkage_columns!())
                            .load(c)?;
                        for r in rows {
                            if !out.iter().any(|l: &Linkage| l.id == r.0) {
                                out.push(linkage_of(r)?);
                            }
                        }
                    }
                    out.sort_by_key(|l| std::cmp::Reverse((l.updated_at, l.id)));
                    out.truncate(limit as usize);
                    Ok(out)
                })
            })
            .await
    }

    /// The linkages of plan items.
    pub async fn of_plan_items(&self, items: Vec<i64>) -> Result<Vec<Linkage>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<LinkageRow> = linkages::table
                        .filter(linkages::plan_item_id.eq_any(&items))
                        .order(linkages::id)
                        .select(linkage_columns!())
                        .load(c)?;
                    rows.into_iter().map(linkage_of).collect()
                })
            })
            .await
    }

    /// Records a step; the linkage moves to its stage if it still stands at `from` (the
    /// stage the step was checked against), else nothing is written.
    pub async fn record(
        &self,
        id: i64,
        from: Stage,
        step: Step,
        by: i64,
    ) -> Result<(), LinkageStoreError> {
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LinkageStoreError, |c| {
                    let now = unix_now();
                    let moved = diesel::update(
                        linkages::table
                            .filter(linkages::id.eq(id))
                            .filter(linkages::stage.eq(from.as_str())),
                    )
                    .set((
                        linkages::stage.eq(step.stage.as_str()),
                        linkages::owner.eq(&step.owner),
                        linkages::due_on.eq(step.due_on.map(text)),
                        linkages::updated_at.eq(now),
                    ))
                    .execute(c)?;
                    if moved == 0 {
                        let exists: i64 = linkages::table
                            .filter(linkages::id.eq(id))
                            .count()
                            .get_result(c)?;
                        return Err(if exists == 0 {
                            LinkageStoreError::NotFound
                        } else {
                            LinkageStoreError::Stage(
                                maeul_core::programme::linkage::LinkageError::Transition {
                                    from,
                                    to: step.stage,
                                },
                            )
                        });
                    }
                    diesel::insert_into(linkage_steps::table)
                        .values((
                            linkage_steps::linkage_id.eq(id),
                            linkage_steps::stage.eq(step.stage.as_str()),
                            linkage_steps::on_date.eq(text(step.on)),
                            linkage_steps::owner.eq(&step.owner),
                            linkage_steps::note.eq(&step.note),
                            linkage_steps::due_on.eq(step.due_on.map(text)),
                            linkage_steps::amount.eq(step.amount),
                            linkage_steps::recorded_by.eq(by),
                            linkage_steps::recorded_at.eq(now),
                        ))
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
    }

    /// The steps of a linkage, oldest first.
    pub async fn steps(&self, id: i64) -> Result<Vec<StoredStep>, StoreError> {
        type Row = (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<i64>,
            String,
            i64,
        );
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<Row> = linkage_steps::table
                        .inner_join(users::table)
                        .filter(linkage_steps::linkage_id.eq(id))
                        .order(linkage_steps::id)
                        .select((
                            linkage_steps::stage,
                            linkage_steps::on_date,
                            linkage_steps::owner,
                            linkage_steps::note,
                            linkage_steps::due_on,
                            linkage_steps::amount,
                            users::name,
                            linkage_steps::recorded_at,
                        ))
                        .load(c)?;
                    rows.into_iter()
                        .map(|r| {
                            Ok(StoredStep {
                                step: Step {
                                    stage: stage(&r.0)?,
                                    on: date(&r.1)?,
                                    owner: r.2,
                                    note: r.3,
                                    due_on: r.4.as_deref().map(date).transpose()?,
                                    amount: r.5,
                                },
                                recorded_by: r.6,
                                recorded_at: r.7,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// Files a document under the linkage's current stage.
    pub async fn add_document(
        &self,
        id: i64,
        name: String,
        content_type: String,
        content: Vec<u8>,
        by: i64,
    ) -> Result<i64, LinkageStoreError> {
        let sha256: String = Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.0
            .run_as(move |conn| {
                db_write_as!(conn, LinkageStoreError, |c| {
                    let at: Option<String> = linkages::table
                        .find(id)
                        .select(linkages::stage)
                        .first(c)
                        .optional()?;
                    let at = at.ok_or(LinkageStoreError::NotFound)?;
                    Ok(diesel::insert_into(linkage_documents::table)
                        .values((
                            linkage_documents::linkage_id.eq(id),
                            linkage_documents::stage.eq(&at),
                            linkage_documents::name.eq(&name),
                            linkage_documents::content_type.eq(&content_type),
                            linkage_documents::size.eq(content.len() as i64),
                            linkage_documents::sha256.eq(&sha256),
                            linkage_documents::content.eq(&content),
                            linkage_documents::uploaded_by.eq(by),
                            linkage_documents::uploaded_at.eq(unix_now()),
                        ))
                        .returning(linkage_documents::id)
                        .get_result(c)?)
                })
            })
            .await
    }

    /// The documents of a linkage, oldest first, without their content.
    pub async fn documents(&self, id: i64) -> Result<Vec<Document>, StoreError> {
        type Row = (i64, String, String, String, i64, String, String, i64);
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    let rows: Vec<Row> = linkage_documents::table
                        .inner_join(users::table)
                        .filter(linkage_documents::linkage_id.eq(id))
                        .order(linkage_documents::id)
                        .select((
                            linkage_documents::id,
                            linkage_documents::stage,
                            linkage_documents::name,
                            linkage_documents::content_type,
                            linkage_documents::size,
                            linkage_documents::sha256,
                            users::name,
                            linkage_documents::uploaded_at,
                        ))
                        .load(c)?;
                    rows.into_iter()
                        .map(|r| {
                            Ok(Document {
                                id: r.0,
                                stage: stage(&r.1)?,
                                name: r.2,
                                content_type: r.3,
                                size: r.4,
                                sha256: r.5,
                                uploaded_by: r.6,
                                uploaded_at: r.7,
                            })
                        })
                        .collect()
                })
            })
            .await
    }

    /// A document of the linkage with its content: (name, content type, bytes).
    pub async fn document(
        &self,
        id: i64,
        document: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
        self.0
            .run(move |conn| {
                db_run!(conn, |c| {
                    Ok(linkage_documents::table
                        .filter(linkage_documents::id.eq(document))
                        .filter(linkage_documents::linkage_id.eq(id))
                        .select((
                            linkage_documents::name,
                            linkage_documents::content_type,
                            linkage_documents::content,
                        ))
                        .first(c)
                        .optional()?)
                })
            })
            .await
    }
}
