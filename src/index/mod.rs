//! The search index: a tantivy index in `<store>/index/`, derived from SQLite and kept
//! consistent with it.
//!
//! SQLite is the truth. Every write transaction of the store increments the database's
//! *generation* and stamps the claims it changed with it; the index records the generation
//! it reflects in the payload of its own commit (one commit per command run). Opening the
//! index ([`SearchIndex::open`]) compares the two, before anything is searched:
//! - no index, an unreadable one, or one of another schema: rebuilt from the database;
//! - an index behind the database (a crash between the SQLite commit and the tantivy one, a
//!   verdict written by another program, an ingest still running): the claims changed since
//!   its generation are re-indexed (a delete by id and an add each), in one commit;
//! - an index ahead of the database (a database restored from an older copy, or its WAL
//!   lost): commits the index saw are gone from the database. Rebuilt, and said so
//!   ([`Refresh::Rebuilt`] with `warn`), since it is the only trace of the loss;
//! - an index of another store (copied from elsewhere: its stamp names another store id):
//!   rebuilt, and said so.
//!
//! Rebuilding writes a new index beside the old one (`index.tmp-<pid>/`) and swaps it into
//! place in one atomic rename (on Linux; see [`swap_into_place`]) while holding the old
//! index's writer lock, so a reader never sees half an index and a crash at any point leaves
//! a whole one. What a killed rebuild leaves behind is removed by the next open. Only one
//! process writes the index at a time (tantivy's writer lock); another one waits for it, up
//! to the store's busy timeout.
//!
//! Searching is in [`query`]; the risk ranking of `claimtrail unconfirmed` in [`risk`].

pub mod facets;
mod follow;
pub mod query;
pub mod risk;
mod schema;
mod stem;

pub use follow::Follower;
pub use query::{Filters, Hit, Orphans, Plan, Ranking, SearchResult};
pub use schema::{ANALYZER, Fields, register as register_analyzers};

use crate::model::Status;
use crate::store::{INDEX_DIR, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

/// How long to wait for another process writing the index.
const WRITER_WAIT: Duration = Duration::from_secs(10);
/// How long a reader waits for another process writing the index before it searches the
/// index as it stands (see [`SearchIndex::open_for_reading`]).
const READER_WAIT: Duration = Duration::from_secs(1);
/// Memory for one indexing thread (tantivy's floor is 15 MB).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: the search index is busy (another claimtrail is writing it); try again")]
    Busy { path: PathBuf },
    /// The free text of a query cannot be read.
    #[error("{message}")]
    Query { message: String },
    #[error("{path}: search index error")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// ENOSPC writing the index: the machine is not failing, the disk is full.
    #[error(
        "{path}: the disk holding the search index is full ({message}): free some space and \
         try again"
    )]
    DiskFull { path: PathBuf, message: String },
}

impl IndexError {
    /// True for failures the user cannot fix by changing the input.
    pub fn is_internal(&self) -> bool {
        match self {
            IndexError::Store(e) => e.is_internal(),
            IndexError::Busy { .. } | IndexError::Query { .. } | IndexError::DiskFull { .. } => {
                false
            }
            IndexError::Tantivy { .. } | IndexError::Io { .. } => true,
        }
    }
}

/// What the index records in the payload of each commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    /// [`schema::FORMAT`] of the index.
    format: u32,
    /// The database generation the index reflects.
    generation: i64,
    /// The identity of the store it was built from (`meta.store_id`); absent in an index
    /// built before stores had one, which is then taken for this store's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    store: Option<String>,
}

/// What opening the index had to do to match the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    UpToDate {
        generation: i64,
    },
    CaughtUp {
        from: i64,
        to: i64,
        claims: usize,
    },
    Rebuilt {
        reason: String,
        generation: i64,
        claims: usize,
        /// The reason is one the user must hear of (the index was ahead of the database, or
        /// of another store), not a routine build.
        warn: bool,
    },
    /// Opened for reading while another process held the writer (whose changes it is
    /// indexing), or on read-only media where nothing can write it: the index as it stands,
    /// behind the database.
    Behind {
        generation: i64,
        database: i64,
        /// The index is on read-only media: it stays behind until the store is writable.
        read_only: bool,
    },
}

impl Refresh {
    /// The database generation the opened index reflects; `None` when it was left behind
    /// (searched as it stands).
    pub fn reached(&self) -> Option<i64> {
        match self {
            Refresh::UpToDate { generation } => Some(*generation),
            Refresh::CaughtUp { to, .. } => Some(*to),
            Refresh::Rebuilt { generation, .. } => Some(*generation),
            Refresh::Behind { .. } => None,
        }
    }
}

/// The open index of a store, at least as new as the database was when it was opened.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    dir: PathBuf,
    sync: Refresh,
}

impl SearchIndex {
    /// Opens the index of `store`, building or catching it up first as needed.
    ///
    /// Another process may swap a rebuilt index in, or commit and collect the files of
    /// merged segments, while this one is opening: the files it listed are then gone. Such a
    /// failure is transient, so the whole open is tried again a few times before the error
    /// is reported; an index that is really damaged is rebuilt, not an error, on any try.
    pub fn open(store: &Store) -> Result<SearchIndex, IndexError> {
        SearchIndex::open_with(store, WRITER_WAIT, false)
    }

    /// Opens the index of `store` for searching. As [`SearchIndex::open`], except when the
    /// index is behind the database and another process holds its writer for more than a
    /// second: that process is indexing changes itself (an `ingest` or `verify` indexes
    /// what it wrote before it returns), so the index is searched as it stands rather than
    /// failing as busy. A long ingest never makes a search fail.
    pub fn open_for_reading(store: &Store) -> Result<SearchIndex, IndexError> {
        SearchIndex::open_with(store, READER_WAIT, true)
    }

    fn open_with(store: &Store, wait: Duration, stale_ok: bool) -> Result<SearchIndex, IndexError> {
        let mut attempt = 0;
        loop {
            match SearchIndex::open_once(store, wait, stale_ok) {
                Err(IndexError::Tantivy { .. } | IndexError::Io { .. }) if attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 * attempt));
                }
                result => return result,
            }
        }
    }

    fn open_once(store: &Store, wait: Duration, stale_ok: bool) -> Result<SearchIndex, IndexError> {
        let dir = store.dir().join(INDEX_DIR);
        // What a killed rebuild left behind goes first, whatever this open has to do.
        remove_leftovers(store.dir());
        let sync = match open_existing(&dir) {
            Err(reason) => {
                let (generation, claims) = rebuild(store, &dir)?;
                Refresh::Rebuilt {
                    reason,
                    generation,
                    claims,
                    warn: false,
                }
            }
            Ok((index, _, stamp)) => {
                let db = store.generation()?;
                if let Some(reason) = mismatch(&stamp, store)? {
                    drop(index);
                    let (generation, claims) = rebuild(store, &dir)?;
                    Refresh::Rebuilt {
                        reason,
                        generation,
                        claims,
                        warn: true,
                    }
                } else if stamp.generation < db {
                    match catch_up(store, &index, &dir, wait) {
                        Err(IndexError::Busy { .. }) if stale_ok => Refresh::Behind {
                            generation: stamp.generation,
                            database: db,
                            read_only: false,
                        },
                        // Its writer cannot be had where nothing can be written: searched
                        // as it stands, never a failure.
                        Err(_) if stale_ok && crate::store::read_only_media(&dir) => {
                            Refresh::Behind {
                                generation: stamp.generation,
                                database: db,
                                read_only: true,
                            }
                        }
                        other => other?,
                    }
                } else {
                    Refresh::UpToDate {
                        generation: stamp.generation,
                    }
                }
            }
        };
        let (mut index, fields, opened) = open_existing(&dir)
            .map_err(|reason| tantivy_error(&dir, TantivyError::InternalError(reason)))?;
        // Another process may have swapped a rebuilt index in since the state above was
        // reached: what is opened must be at least as new, or the open starts again (the
        // caller tries a few times), so that a command never searches an index older than
        // what it saw in the database.
        let reached = sync.reached();
        if reached.is_some_and(|g| opened.generation < g) {
            return Err(tantivy_error(
                &dir,
                TantivyError::InternalError(
                    "an older index was swapped in while this one was opened".into(),
                ),
            ));
        }
        // A query is run over the segments on every core: the frequent words of a large
        // store have hundreds of thousands of hits to score and count.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if cores > 1 {
            index
                .set_multithread_executor(cores)
                .map_err(|e| tantivy_error(&dir, e))?;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(&dir, e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            dir,
            sync,
        })
    }

    /// Rebuilds the index of `store` from scratch, whatever state it is in.
    pub fn rebuild(store: &Store) -> Result<Refresh, IndexError> {
        let dir = store.dir().join(INDEX_DIR);
        let (generation, claims) = rebuild(store, &dir)?;
        Ok(Refresh::Rebuilt {
            reason: "asked for".into(),
            generation,
            claims,
            warn: false,
        })
    }

    /// What opening had to do.
    pub fn sync(&self) -> &Refresh {
        &self.sync
    }

    /// Moves this index's searches to its latest commit (made by this process or another)
    /// and returns the generation that commit reflects: how a long-lived reader follows the
    /// writers without opening the index again.
    pub fn reload(&self) -> Result<i64, IndexError> {
        self.reader
            .reload()
            .map_err(|e| tantivy_error(&self.dir, e))?;
        self.generation()
    }

    /// The generation the index reflects (as of its last commit).
    pub fn generation(&self) -> Result<i64, IndexError> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| tantivy_error(&self.dir, e))?;
        stamp(metas.payload.as_deref())
            .map(|s| s.generation)
            .ok_or_else(|| tantivy_error(&self.dir, TantivyError::InternalError("no stamp".into())))
    }

    /// The status of every claim the index holds, by id; the reader is reloaded first so it
    /// sees the latest commit. Also returns the generation of that commit and the number of
    /// documents (two documents for one id would show here).
    pub fn statuses(&self) -> Result<(i64, BTreeMap<i64, Status>, usize), IndexError> {
        let err = |e| tantivy_error(&self.dir, e);
        self.reader.reload().map_err(err)?;
        let searcher = self.reader.searcher();
        let generation = stamp(self.index.load_metas().map_err(err)?.payload.as_deref())
            .map(|s| s.generation)
            .unwrap_or(-1);
        let docs = searcher.search(&AllQuery, &DocSetCollector).map_err(err)?;
        let mut statuses = BTreeMap::new();
        for address in &docs {
            let doc: TantivyDocument = searcher.doc(*address).map_err(err)?;
            let id = doc.get_first(self.fields.id).and_then(|v| v.as_u64());
            let status = doc
                .get_first(self.fields.status)
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse::<Status>().ok());
            if let (Some(id), Some(status)) = (id, status) {
                statuses.insert(id as i64, status);
            }
        }
        Ok((generation, statuses, docs.len()))
    }

    /// Files whose checksum does not match (a damaged index), for `claimtrail check`.
    pub fn damaged_files(&self) -> Result<Vec<PathBuf>, IndexError> {
        let mut files: Vec<PathBuf> = self
            .index
            .validate_checksum()
            .map_err(|e| tantivy_error(&self.dir, e))?
            .into_iter()
            .collect();
        files.sort();
        Ok(files)
    }

    pub(crate) fn parts(&self) -> (&Index, &IndexReader, &Fields, &Path) {
        (&self.index, &self.reader, &self.fields, &self.dir)
    }
}

fn tantivy_error(dir: &Path, source: TantivyError) -> IndexError {
    if no_space(&source) {
        return IndexError::DiskFull {
            path: dir.to_path_buf(),
            message: "No space left on device".into(),
        };
    }
    IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    }
}

fn io_error(path: &Path, source: std::io::Error) -> IndexError {
    if source.raw_os_error() == Some(libc::ENOSPC) {
        return IndexError::DiskFull {
            path: path.to_path_buf(),
            message: source.to_string(),
        };
    }
    IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// True when a tantivy error comes from ENOSPC. Its variants wrap I/O errors in several
/// ways (some only as text, with the path), so the text is looked at as well as the chain.
fn no_space(e: &TantivyError) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.raw_os_error() == Some(libc::ENOSPC))
        {
            return true;
        }
        source = err.source();
    }
    e.to_string()
        .contains(&format!("(os error {})", libc::ENOSPC))
}

fn stamp(payload: Option<&str>) -> Option<Stamp> {
    serde_json::from_str(payload?).ok()
}

/// Why an index stamped `stamp` cannot be caught up with `store` but must be rebuilt, in
/// words the user is told: it is ahead of the database, or it belongs to another store.
fn mismatch(stamp: &Stamp, store: &Store) -> Result<Option<String>, IndexError> {
    let own = store.store_id()?;
    if let (Some(theirs), Some(own)) = (&stamp.store, &own)
        && theirs != own
    {
        return Ok(Some(format!(
            "the search index belongs to another store (store id {theirs}, this one is {own})"
        )));
    }
    let db = store.generation()?;
    if stamp.generation > db {
        return Ok(Some(format!(
            "the search index (generation {}) is ahead of the database (generation {db}): \
             the database lost commits the index had seen (restored from an older copy, or \
             its write-ahead log deleted)",
            stamp.generation
        )));
    }
    Ok(None)
}

/// What `claimtrail check` reports before anything rebuilds the index: why the index of
/// `store` would have to be rebuilt rather than caught up (see [`mismatch`]), or `None`.
///
/// Cheap enough for every command: only the index's `meta.json` is read (no segment is
/// opened); an index without a readable stamp is left to [`SearchIndex::open`].
pub fn mismatch_with(store: &Store) -> Result<Option<String>, IndexError> {
    let meta = store.dir().join(INDEX_DIR).join("meta.json");
    let stamp = std::fs::read(&meta)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|v| stamp(v.get("payload")?.as_str()));
    match stamp {
        Some(stamp) => mismatch(&stamp, store),
        None => Ok(None),
    }
}

/// Opens the index in `dir` if it is one of ours and readable; otherwise says why not. A
/// concurrent commit can remove files between reading the list and opening them, so a
/// failure is retried before the index is called unreadable.
fn open_existing(dir: &Path) -> Result<(Index, Fields, Stamp), String> {
    let mut last = String::new();
    for attempt in 0..3 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(50));
        }
        if !dir.join("meta.json").exists() {
            return Err("there is no index yet".into());
        }
        let opened = if crate::store::read_only_media(dir) {
            MmapDirectory::open(dir)
                .map_err(TantivyError::from)
                .and_then(|d| Index::open(ReadOnlyMedia(d)))
        } else {
            Index::open_in_dir(dir)
        };
        let index = match opened {
            Ok(index) => index,
            Err(e) => {
                last = format!("the index cannot be opened ({e})");
                continue;
            }
        };
        schema::register(&index);
        let Some(fields) = Fields::of(&index) else {
            return Err("the index has another schema".into());
        };
        let metas = match index.load_metas() {
            Ok(m) => m,
            Err(e) => {
                last = format!("the index cannot be read ({e})");
                continue;
            }
        };
        let Some(stamp) = stamp(metas.payload.as_deref()) else {
            return Err("the index does not say which database state it reflects".into());
        };
        if stamp.format != schema::FORMAT {
            return Err(format!("the index is of format {}", stamp.format));
        }
        // Opening a reader opens every segment: a damaged one fails here.
        if let Err(e) = index.reader() {
            last = format!("the index cannot be read ({e})");
            continue;
        }
        return Ok((index, fields, stamp));
    }
    Err(last)
}

/// The index folder on read-only media, where tantivy's lock files cannot be created: a
/// reader takes the meta lock (to load a consistent list of segments) by creating a file.
/// Nothing can write the folder, so no writer can change the list under the reader and the
/// meta lock is not needed; the writer lock is refused, as the writing it guards would be.
#[derive(Debug, Clone)]
struct ReadOnlyMedia(MmapDirectory);

impl Directory for ReadOnlyMedia {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(&self, lock: &tantivy::directory::Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath == INDEX_WRITER_LOCK.filepath {
            return Err(LockError::IoError(std::sync::Arc::new(
                std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem),
            )));
        }
        Ok(DirectoryLock::from(Box::new(())))
    }
    fn watch(
        &self,
        callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(callback)
    }
}

/// The writer of `index`, waiting up to `wait` for another process that holds it.
fn writer(
    index: &Index,
    dir: &Path,
    wait: Duration,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    match writer_unless_reached(index, dir, wait, None)? {
        Some(w) => Ok(w),
        None => unreachable!("without a target generation the wait only ends with the writer"),
    }
}

/// The writer of `index`, waiting up to `wait` for another process that holds it; or
/// `None` as soon as that process has committed the index at generation `target` or later,
/// when a target is given. The holder may be an ingest that keeps the index up with its
/// batches ([`Follower`]) and holds the writer for its whole run: a reader or a `verify`
/// that only needs the index to reflect the database as they saw it waits for that, not for
/// the lock.
fn writer_unless_reached(
    index: &Index,
    dir: &Path,
    wait: Duration,
    target: Option<i64>,
) -> Result<Option<IndexWriter<TantivyDocument>>, IndexError> {
    let start = Instant::now();
    loop {
        if let Some(w) = try_writer(index, dir)? {
            return Ok(Some(w));
        }
        if let Some(target) = target {
            let reached = index
                .load_metas()
                .ok()
                .and_then(|m| stamp(m.payload.as_deref()))
                .is_some_and(|s| s.generation >= target);
            if reached {
                return Ok(None);
            }
        }
        if start.elapsed() >= wait {
            return Err(IndexError::Busy {
                path: dir.to_path_buf(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The writer of `index` if no other process holds it, else `None`.
///
/// The files a killed writer wrote for a commit it never finished are removed first: a
/// deletion file is named after its segment and the operation number, so the next commit
/// of the same deletions would collide with it and fail. Tantivy registers every file in
/// `.managed.json` before writing it, and its garbage collection removes the registered
/// files that no commit refers to; holding the writer lock, none is being written.
fn try_writer(
    index: &Index,
    dir: &Path,
) -> Result<Option<IndexWriter<TantivyDocument>>, IndexError> {
    match index.writer_with_num_threads(1, WRITER_MEMORY) {
        Ok(w) => {
            w.garbage_collect_files()
                .wait()
                .map_err(|e| tantivy_error(dir, e))?;
            Ok(Some(w))
        }
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Ok(None),
        Err(e) => Err(tantivy_error(dir, e)),
    }
}

/// Commits with the stamp of `generation`, and lets merges finish so segments stay few.
fn commit(
    mut w: IndexWriter<TantivyDocument>,
    generation: i64,
    store_id: Option<&str>,
    dir: &Path,
) -> Result<(), IndexError> {
    commit_stamped(&mut w, generation, store_id, dir)?;
    w.wait_merging_threads().map_err(|e| tantivy_error(dir, e))
}

/// Commits what `w` was given, stamped with the database generation it reflects and the
/// identity of its store.
fn commit_stamped(
    w: &mut IndexWriter<TantivyDocument>,
    generation: i64,
    store_id: Option<&str>,
    dir: &Path,
) -> Result<(), IndexError> {
    let err = |e| tantivy_error(dir, e);
    crate::failpoint::hit("index-commit").map_err(|e| io_error(dir, e))?;
    let payload = serde_json::to_string(&Stamp {
        format: schema::FORMAT,
        generation,
        store: store_id.map(str::to_string),
    })
    .unwrap_or_default();
    let mut prepared = w.prepare_commit().map_err(err)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(err)?;
    Ok(())
}

/// Re-indexes the claims changed since the index's generation, in one commit. The generation
/// is read again under the writer lock: another process may have caught up meanwhile.
fn catch_up(
    store: &Store,
    index: &Index,
    dir: &Path,
    wait: Duration,
) -> Result<Refresh, IndexError> {
    let target = store.generation()?;
    let Some(w) = writer_unless_reached(index, dir, wait, Some(target))? else {
        return Ok(Refresh::UpToDate { generation: target });
    };
    let from = stamp(
        index
            .load_metas()
            .map_err(|e| tantivy_error(dir, e))?
            .payload
            .as_deref(),
    )
    .map(|s| s.generation)
    .unwrap_or(-1);
    let fields = Fields::of(index).ok_or_else(|| {
        tantivy_error(
            dir,
            TantivyError::SchemaError("the index has another schema".into()),
        )
    })?;
    let mut claims = 0usize;
    let to = store.visit_claims(Some(from), |c| {
        w.delete_term(Term::from_field_u64(fields.id, c.id as u64));
        w.add_document(fields.document(&c))
            .map_err(|e| tantivy_error(dir, e))?;
        claims += 1;
        Ok::<(), IndexError>(())
    })?;
    if to <= from {
        // Someone else caught it up while we waited for the writer.
        return Ok(Refresh::UpToDate { generation: from });
    }
    commit(w, to, store.store_id()?.as_deref(), dir)?;
    Ok(Refresh::CaughtUp { from, to, claims })
}

/// Builds a new index of every claim beside `dir` and renames it into place. Returns the
/// generation it reflects and the number of claims.
fn rebuild(store: &Store, dir: &Path) -> Result<(i64, usize), IndexError> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    remove_leftovers(parent);
    let tmp = parent.join(format!("{INDEX_DIR}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| io_error(&tmp, e))?;
    }
    std::fs::create_dir_all(&tmp).map_err(|e| io_error(&tmp, e))?;
    let (schema, fields) = Fields::schema();
    let index = Index::create_in_dir(&tmp, schema).map_err(|e| tantivy_error(&tmp, e))?;
    schema::register(&index);
    let store_id = store.store_id()?;
    let mut w = writer(&index, &tmp, WRITER_WAIT)?;
    let mut claims = 0usize;
    let mut generation = store.visit_claims(None, |c| {
        w.add_document(fields.document(&c))
            .map_err(|e| tantivy_error(&tmp, e))?;
        claims += 1;
        Ok::<(), IndexError>(())
    })?;
    commit_stamped(&mut w, generation, store_id.as_deref(), &tmp)?;

    // The swap holds the writer lock of the index it replaces: a catch-up of another process
    // is then never half-way through a commit in the folder that moves, and one waiting for
    // the lock finds the new index in place when it gets it.
    let _lock = lock_for_swap(dir)?;
    // What was committed to the database while the new index was built (a `verify` that
    // caught the old index up and returned) is added before the swap, under the lock: the
    // index swapped in is never older than the one it replaces.
    if store.generation()? > generation {
        let from = generation;
        generation = store.visit_claims(Some(from), |c| {
            w.delete_term(Term::from_field_u64(fields.id, c.id as u64));
            w.add_document(fields.document(&c))
                .map_err(|e| tantivy_error(&tmp, e))?;
            Ok::<(), IndexError>(())
        })?;
        commit_stamped(&mut w, generation, store_id.as_deref(), &tmp)?;
    }
    w.wait_merging_threads()
        .map_err(|e| tantivy_error(&tmp, e))?;
    drop(index);
    swap_into_place(&tmp, dir)?;
    Ok((generation, claims))
}

/// The writer lock of the index in `dir` (the lock tantivy's own writer takes), waiting for
/// another process that holds it. `None` when there is no index there, or one too broken to
/// lock: nothing can be writing it then.
fn lock_for_swap(dir: &Path) -> Result<Option<DirectoryLock>, IndexError> {
    if !dir.join("meta.json").exists() {
        return Ok(None);
    }
    let Ok(directory) = MmapDirectory::open(dir) else {
        return Ok(None);
    };
    let start = Instant::now();
    loop {
        match directory.acquire_lock(&INDEX_WRITER_LOCK) {
            Ok(lock) => return Ok(Some(lock)),
            Err(LockError::LockBusy) if start.elapsed() < WRITER_WAIT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(LockError::LockBusy) => {
                return Err(IndexError::Busy {
                    path: dir.to_path_buf(),
                });
            }
            Err(LockError::IoError(_)) => return Ok(None),
        }
    }
}

/// Puts the finished index `tmp` in place of `dir` and removes the one it replaces.
///
/// On Linux the two folders are exchanged in one atomic rename (`RENAME_EXCHANGE`), so a
/// reader finds the old index or the new one, never none, and a crash at any point leaves
/// one complete index at `dir` (and at worst a leftover folder that the next open removes).
/// Elsewhere, or on a file system without the exchange, the old index is renamed aside and
/// the new one renamed in: a reader looking in between finds no index and builds its own.
fn swap_into_place(tmp: &Path, dir: &Path) -> Result<(), IndexError> {
    if dir.exists() {
        match exchange(tmp, dir) {
            Ok(()) => {
                // `tmp` now holds the old index.
                return std::fs::remove_dir_all(tmp).map_err(|e| io_error(tmp, e));
            }
            // Gone meanwhile (another rebuild moved it aside): a plain rename below.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // The kernel or the file system cannot exchange two paths.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
            Err(e) => return Err(io_error(dir, e)),
        }
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    let old = parent.join(format!("{INDEX_DIR}.old-{}", std::process::id()));
    match std::fs::rename(dir, &old) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir, e)),
    }
    if let Err(e) = std::fs::rename(tmp, dir) {
        if dir.join("meta.json").exists() {
            // Another process put its own new index in place first: as good as ours.
            let _ = std::fs::remove_dir_all(tmp);
        } else {
            return Err(io_error(dir, e));
        }
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    Ok(())
}

/// Exchanges two paths atomically (both must exist).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths; renameat2 reads them and touches no memory of
    // ours. Called through syscall(2) so that no particular C library version is needed.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS) => {
            Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
        }
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Removes `index.tmp-<pid>` and `index.old-<pid>` folders of processes that no longer run
/// (a rebuild that was killed). Where processes cannot be looked up, nothing is removed.
fn remove_leftovers(parent: &Path) {
    crate::atomic::remove_leftovers(parent, &format!("{INDEX_DIR}.tmp-"));
    crate::atomic::remove_leftovers(parent, &format!("{INDEX_DIR}.old-"));
}
