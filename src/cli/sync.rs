//! The search index as commands use it: opened (built or caught up first, see
//! [`crate::index`]) with what the user must know said on stderr, and brought up after a
//! write without ever turning a write that SQLite committed into a failure.

use crate::error::{Error, one_line};
use crate::index::SearchIndex;
use crate::store::Store;
use std::io::{self, Write};

/// [`SearchIndex::open`], saying on stderr first when the index is to be rebuilt for a reason
/// the user must hear of: it is ahead of the database (commits were lost, and the index is
/// their only trace) or belongs to another store.
pub(crate) fn open(store: &Store) -> Result<SearchIndex, Error> {
    say(store)?;
    Ok(SearchIndex::open(store)?)
}

/// [`SearchIndex::open_for_reading`], saying what [`open`] says.
/// An index left behind on read-only media is searched as it stands, saying so.
pub(crate) fn open_for_reading(store: &Store) -> Result<SearchIndex, Error> {
    say(store)?;
    let index = SearchIndex::open_for_reading(store)?;
    if let crate::index::Refresh::Behind {
        generation,
        database,
        read_only: true,
    } = index.sync()
    {
        warning(&format!(
            "the search index is behind the database (generation {generation} of {database}) \
             and on read-only media: searched as it stands, recent changes may be missing"
        ));
    }
    Ok(index)
}

/// Runs `f` (a search) on `index`. When it fails with an error of the index and the index has
/// files whose checksum does not match (damaged on disk), the index is rebuilt from the
/// database, as a missing one is, saying so, and `f` runs once more on the new one: a damaged
/// index never needs a manual `reindex`.
pub(crate) fn searching<T>(
    store: &Store,
    index: SearchIndex,
    f: impl Fn(&SearchIndex) -> Result<T, Error>,
) -> Result<T, Error> {
    match f(&index) {
        Err(Error::Index(e)) if e.is_internal() => {
            let damaged = index.damaged_files().unwrap_or_default();
            if damaged.is_empty() {
                return Err(Error::Index(e));
            }
            drop(index);
            warning(&format!(
                "the search index has {} damaged file(s) ({}); rebuilding it from the database",
                damaged.len(),
                damaged[0].display()
            ));
            SearchIndex::rebuild(store)?;
            f(&open_for_reading(store)?)
        }
        other => other,
    }
}

/// Brings the index up with what the command just committed. Whatever fails here (another
/// process holding the index writer past the wait, a full disk), the database holds the
/// write and the command succeeds: the failure is a warning, and the next command that
/// opens the index catches it up (the database's generation says what it lacks).
/// Returns the index when it could be brought up.
pub(crate) fn after_commit(store: &Store) -> Option<SearchIndex> {
    match open(store) {
        Ok(index) => Some(index),
        Err(e) => {
            warning(&format!(
                "written; the search index will catch up on the next command ({})",
                e.message()
            ));
            None
        }
    }
}

fn say(store: &Store) -> Result<(), Error> {
    if let Some(reason) = crate::index::mismatch_with(store)? {
        warning(&format!("{reason}; rebuilding the index from the database"));
    }
    Ok(())
}

/// One `warning: ` line on stderr.
pub(crate) fn warning(message: &str) {
    let _ = writeln!(io::stderr(), "warning: {}", one_line(message));
}
