//! An index kept as a cache of database rows (the programme catalogue, the guides). Each use
//! reads the rows' revision (a number raised by every committed change) and rebuilds the index
//! when it moved, so an edit, an import by the CLI or another server's write shows in the next
//! search.

use std::sync::{Arc, RwLock};

use crate::error::{Problem, Result};

pub struct Rebuilt<T> {
    current: RwLock<Option<(i64, Arc<T>)>>,
    /// One rebuild at a time; others wait for it instead of building the same index.
    rebuilding: tokio::sync::Mutex<()>,
}

impl<T> Default for Rebuilt<T> {
    fn default() -> Self {
        Rebuilt {
            current: RwLock::new(None),
            rebuilding: tokio::sync::Mutex::new(()),
        }
    }
}

impl<T: Send + Sync + 'static> Rebuilt<T> {
    fn fresh(&self, revision: i64) -> Option<Arc<T>> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        // A newer index than the revision read is fresh too (another request rebuilt it).
        current
            .as_ref()
            .filter(|(r, _)| *r >= revision)
            .map(|(_, t)| t.clone())
    }

    /// The index as the rows stand now: `revision` reads their revision, `rows` reads them and
    /// `build` (run off the async threads) makes the index of them.
    pub async fn get<R, FR, FB>(
        &self,
        revision: impl Fn() -> FR,
        rows: impl FnOnce() -> FB,
        build: impl FnOnce(R) -> Result<T> + Send + 'static,
    ) -> Result<Arc<T>>
    where
        R: Send + 'static,
        FR: Future<Output = Result<i64>>,
        FB: Future<Output = Result<R>>,
    {
        if let Some(t) = self.fresh(revision().await?) {
            return Ok(t);
        }
        let _one = self.rebuilding.lock().await;
        // Read the revision before the rows: a change in between only causes one more rebuild.
        let revision = revision().await?;
        if let Some(t) = self.fresh(revision) {
            return Ok(t);
        }
        let rows = rows().await?;
        let built = Arc::new(
            tokio::task::spawn_blocking(move || build(rows))
                .await
                .map_err(|_| Problem::internal())??,
        );
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some((revision, built.clone()));
        Ok(built)
    }
}
