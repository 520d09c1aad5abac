//! The search index as a cache of the database's catalogue. Each search reads the catalogue's
//! revision (one row, raised by every committed change) and rebuilds the index when it moved,
//! so an edit, an import by the CLI or another server's write shows in the next search.

use std::sync::{Arc, RwLock};

use maeul_search::catalogue::{Catalogue, Entry};

use crate::AppState;
use crate::error::{Problem, Result};

pub struct Cached {
    pub revision: i64,
    pub catalogue: Catalogue,
}

#[derive(Default)]
pub struct CatalogueCache {
    current: RwLock<Option<Arc<Cached>>>,
    /// One rebuild at a time; others wait for it instead of building the same index.
    rebuilding: tokio::sync::Mutex<()>,
}

impl CatalogueCache {
    fn fresh(&self, revision: i64) -> Option<Arc<Cached>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        // A newer index than the revision read is fresh too (another request rebuilt it).
        current.as_ref().filter(|c| c.revision >= revision).cloned()
    }
}

/// The index of the catalogue as it stands now.
pub async fn catalogue(state: &AppState) -> Result<Arc<Cached>> {
    let cache = &state.catalogue;
    let revision = state.store.programmes().revision().await?;
    if let Some(c) = cache.fresh(revision) {
        return Ok(c);
    }
    let _one = cache.rebuilding.lock().await;
    if let Some(c) = cache.fresh(revision) {
        return Ok(c);
    }
    // Read the revision before the rows: a change in between only causes one more rebuild.
    let revision = state.store.programmes().revision().await?;
    let entries: Vec<Entry> = state
        .store
        .programmes()
        .current()
        .await?
        .into_iter()
        .map(|v| Entry {
            id: v.programme_id,
            year: v.year,
            programme: v.programme,
        })
        .collect();
    let catalogue = tokio::task::spawn_blocking(move || Catalogue::build(entries))
        .await
        .map_err(|_| Problem::internal())?
        .map_err(|e| {
            tracing::error!(error = %e, "catalogue index");
            Problem::internal()
        })?;
    let cached = Arc::new(Cached {
        revision,
        catalogue,
    });
    *cache.current.write().unwrap_or_else(|e| e.into_inner()) = Some(cached.clone());
    Ok(cached)
}
