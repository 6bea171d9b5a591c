//! Indexing while an ingest writes: a [`Follower`] thread adds the claims of each committed
//! batch to the index while the ingest extracts and stores the next one, so the two costs
//! share the machine's cores instead of coming one after the other.
//!
//! It changes nothing of what the index is. The follower reads the claims back from
//! SQLite, through the same `visit_claims` as a catch-up, in its own connection (WAL: the
//! ingest's writes never wait for it), and commits the index with the generation it read
//! them at: at most every [`COMMIT_EVERY`], and at the end. A crash at any point leaves an
//! index that is behind at worst, which the next command catches up.
//!
//! It holds the index writer for the whole ingest. Another command that finds the index
//! behind the database waits until the follower's next commit reaches the generation it
//! saw (see `writer_unless_reached`), which the follower also makes for changes it did not
//! write itself (a `verify` run meanwhile): it looks for them whenever it is idle for
//! [`IDLE_LOOK`]. When another process already holds the writer (a second ingest), the
//! follower steps aside and the ingest ends with an ordinary catch-up, as without one.

use super::{IndexError, Refresh, SearchIndex, commit_stamped, tantivy_error, try_writer};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tantivy::Term;

/// The longest the index lags behind the batches committed by the ingest it follows.
const COMMIT_EVERY: Duration = Duration::from_secs(2);
/// How often an idle follower looks for changes other processes made.
const IDLE_LOOK: Duration = Duration::from_millis(250);

/// Keeps the index of a store up with the batches this process commits to it.
pub struct Follower {
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<Result<Option<Refresh>, IndexError>>>,
}

impl Follower {
    /// Starts following the store `store` (opened again, read-only in use, by the thread).
    pub fn start(store: &Store) -> Follower {
        // One pending wake is enough: a round reads every change since the last one.
        let (wake, woken) = mpsc::sync_channel(1);
        let dir = store.dir().to_path_buf();
        let thread = std::thread::Builder::new()
            .name("index-follower".into())
            .spawn(move || follow(dir, woken))
            .ok();
        Follower {
            wake: Some(wake),
            thread,
        }
    }

    /// Says a batch was committed: its claims are read and indexed now.
    pub fn notify(&self) {
        if let Some(wake) = &self.wake {
            // Full: a round is already due, and will see this batch too.
            let _ = wake.try_send(());
        }
    }

    /// Indexes what is left and commits; returns when the index reflects every batch
    /// committed before the call. Where the follower could not follow (another process
    /// holds the writer, or it failed), the index is caught up as every command does it.
    pub fn finish(mut self, store: &Store) -> Result<Refresh, IndexError> {
        match self.stop() {
            Some(Ok(Some(refresh))) => Ok(refresh),
            _ => Ok(SearchIndex::open(store)?.sync().clone()),
        }
    }

    fn stop(&mut self) -> Option<Result<Option<Refresh>, IndexError>> {
        // The thread sees the channel closed once it has drained it: one last round.
        drop(self.wake.take());
        let thread = self.thread.take()?;
        thread.join().ok()
    }
}

impl Drop for Follower {
    /// An ingest that stops on an error still leaves the index with what it committed.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The follower thread. `Ok(None)`: another process holds the writer, nothing was done.
fn follow(dir: PathBuf, woken: Receiver<()>) -> Result<Option<Refresh>, IndexError> {
    let store = Store::open(&dir)?;
    // Build or catch the index up first, as any command does: from here on only the
    // changes since its generation are read.
    let opened = SearchIndex::open(&store)?;
    let (index, _, fields, path) = opened.parts();
    let fields = *fields;
    let Some(mut w) = try_writer(index, path)? else {
        return Ok(None);
    };
    let path = path.to_path_buf();
    let store_id = store.store_id()?;
    // Read under the writer lock: another process may have committed since the open.
    let start = opened.generation()?;
    let mut from = start;
    // Claims with a greater id were stored after this point, so they are not in the index
    // and need no delete before their add (deletes are most of a commit's cost otherwise).
    let mut high_water = store.max_claim_id()?;
    let mut claims = 0usize;
    let mut pending = false;
    let mut last_commit = Instant::now();
    loop {
        let last_round = match woken.recv_timeout(IDLE_LOOK) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => true,
        };
        if store.generation()? > from {
            let mut added_max = high_water;
            from = store.visit_claims(Some(from), |c| {
                if c.id <= high_water {
                    w.delete_term(Term::from_field_u64(fields.id, c.id as u64));
                }
                added_max = added_max.max(c.id);
                w.add_document(fields.document(&c))
                    .map_err(|e| tantivy_error(&path, e))?;
                claims += 1;
                Ok::<(), IndexError>(())
            })?;
            // A claim added now is in the index for the next round.
            high_water = high_water.max(added_max);
            pending = true;
        }
        if pending && (last_round || last_commit.elapsed() >= COMMIT_EVERY) {
            commit_stamped(&mut w, from, store_id.as_deref(), &path)?;
            pending = false;
            last_commit = Instant::now();
        }
        if last_round {
            break;
        }
    }
    w.wait_merging_threads()
        .map_err(|e| tantivy_error(&path, e))?;
    Ok(Some(if from == start {
        Refresh::UpToDate { generation: from }
    } else {
        Refresh::CaughtUp {
            from: start,
            to: from,
            claims,
        }
    }))
}
