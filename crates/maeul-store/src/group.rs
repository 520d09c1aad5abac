//! Group commit: one writer thread takes every request waiting at that moment and commits
//! them in one transaction (one disk flush for many requests), then answers each. A request
//! is answered only once its transaction is committed, so nothing acknowledged is lost.
//!
//! The access log and the ballot box write through it: both take many small writes at once
//! and must make each durable before answering.

use std::sync::mpsc;

use diesel::r2d2::Pool;
use tokio::sync::oneshot;

use crate::StoreError;
use crate::db::{DbConn, Manager};

type Reply<A> = oneshot::Sender<Result<A, String>>;

pub(crate) struct GroupCommit<R, A> {
    queue: mpsc::Sender<(R, Reply<A>)>,
    name: &'static str,
}

impl<R: Send + 'static, A: Send + 'static> GroupCommit<R, A> {
    /// Starts the writer thread. `commit` writes a group in one transaction and returns one
    /// answer per request, in order; `weight` bounds the size of a group (at most `limit`).
    pub(crate) fn start(
        name: &'static str,
        pool: Pool<Manager>,
        limit: usize,
        weight: fn(&R) -> usize,
        commit: impl Fn(&mut DbConn, &[R]) -> Result<Vec<A>, StoreError> + Send + 'static,
    ) -> Self {
        let (queue, waiting) = mpsc::channel::<(R, Reply<A>)>();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                // Ends when the last store handle is dropped.
                while let Ok(first) = waiting.recv() {
                    let mut size = weight(&first.0);
                    let mut group = vec![first];
                    while size < limit {
                        let Ok(next) = waiting.try_recv() else { break };
                        size += weight(&next.0);
                        group.push(next);
                    }
                    let (requests, replies): (Vec<R>, Vec<Reply<A>>) = group.into_iter().unzip();
                    let result = pool
                        .get()
                        .map_err(StoreError::from)
                        .and_then(|mut conn| commit(&mut conn, &requests));
                    match result {
                        Ok(answers) => {
                            for (reply, answer) in replies.into_iter().zip(answers) {
                                let _ = reply.send(Ok(answer));
                            }
                        }
                        Err(e) => {
                            tracing::error!(writer = name, error = %e, requests = requests.len(), "group not written");
                            let e = e.to_string();
                            for reply in replies {
                                let _ = reply.send(Err(e.clone()));
                            }
                        }
                    }
                }
            })
            .expect("the writer thread starts");
        GroupCommit { queue, name }
    }

    /// Hands a request to the writer; returns its answer once the group is committed.
    pub(crate) async fn submit(&self, request: R) -> Result<A, StoreError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Other(format!("the {} writer has stopped", self.name));
        self.queue.send((request, reply)).map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::Other)
    }
}
