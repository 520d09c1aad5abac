//! The search index as a cache of the database's catalogue (`crate::cache`).

use std::sync::Arc;

use maeul_search::catalogue::{Catalogue, Entry};

use crate::AppState;
use crate::cache::Rebuilt;
use crate::error::{Problem, Result};

pub type CatalogueCache = Rebuilt<Catalogue>;

/// The index of the catalogue as it stands now.
pub async fn catalogue(state: &AppState) -> Result<Arc<Catalogue>> {
    let programmes = state.store.programmes();
    state
        .catalogue
        .get(
            || async { Ok(programmes.revision().await?) },
            || async {
                Ok(programmes
                    .current()
                    .await?
                    .into_iter()
                    .map(|v| Entry {
                        id: v.programme_id,
                        year: v.year,
                        programme: v.programme,
                    })
                    .collect::<Vec<_>>())
            },
            |entries| {
                Catalogue::build(entries).map_err(|e| {
                    tracing::error!(error = %e, "catalogue index");
                    Problem::internal()
                })
            },
        )
        .await
}
