//! The store: one folder holding `claims.db` (SQLite, the source of truth) and `index/` (the
//! tantivy index, derived from the database and rebuildable; see [`crate::index`]).
//!
//! Opening a store checks before it writes anything: a folder that holds other things but no
//! `claims.db` is not taken over, a `claims.db` that is not a claimtrail database (or is
//! corrupt, or was written by a newer claimtrail) is refused with a message naming it.
//!
//! Writing goes through [`Store::ingest`], one transaction per batch of documents, so an
//! article is stored whole or not at all, [`Store::record_verdicts`] (`verdicts.rs`), [`Store::merge_source`]
//! and [`Store::import`] (an export, see `export.rs`, merged in one transaction). Human
//! curation has its own files: corrections of claims (`corrections.rs`), of articles and
//! their removal (`articles.rs`), and of sources (`curation.rs`), each an append-only
//! history whose current values the rows hold.
//! Each write transaction that changes what the search index holds increments the database's
//! generation once and stamps the claims it changed with it (see `meta` in schema.sql), so
//! the index can tell how far behind it is. Reading goes through `read.rs` and `sources.rs`,
//! and [`Store::export`] writes the whole store out.
//! The library prints nothing; it returns reports and errors for the command line to render.

pub mod articles;
pub mod corrections;
pub mod curation;
mod export;
mod factchecks;
mod import;
mod ingest;
pub mod key;
mod migrate;
mod read;
mod sources;
mod stories;
pub(crate) mod verdicts;

pub use corrections::{Corrected, Correction, NewCorrection};
pub use export::{EXPORT_FORMAT, EXPORT_VERSION, ExportError, Exported, Totals};
pub use factchecks::{Check, ReviewsImported, Scope, StoredFactCheck, Target};
pub use import::{ImportReport, Tally};
pub use ingest::IngestReport;
pub use migrate::SCHEMA_VERSION;
pub use read::{StoredClaim, Verdict};
pub use sources::{MergeReport, SourceSummary};
pub use stories::{Appearance, Grouped, StoryChange, StoryScope, StorySummary};
pub use verdicts::{LATEST_FIRST, NewVerdict, Outcome, Recheck, Skip};

use crate::clock::Clock;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file inside a store folder.
pub const DB_FILE: &str = "claims.db";
/// The folder reserved for the search index inside a store folder.
pub const INDEX_DIR: &str = "index";

/// How long a writer waits for another one (a second `claimtrail` on the same store) before
/// giving up with [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not do what was asked. [`StoreError::is_internal`] separates what the
/// user can fix (a wrong folder, a corrupt file, an unknown claim) from failures of the
/// program or the machine.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the store path exists and is not a folder")]
    NotAFolder { path: PathBuf },
    #[error(
        "{path}: not a claimtrail store (the folder is not empty and has no {DB_FILE}); \
         give --db an empty or new folder"
    )]
    NotAStore { path: PathBuf },
    #[error("{path}: not a claimtrail database (it belongs to another program)")]
    NotOurDatabase { path: PathBuf },
    #[error("{path}: the database file is corrupt or not a database ({message})")]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "{path}: written by a newer claimtrail (schema version {found}; this one knows up to \
         {known}); upgrade claimtrail to use this store"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// SQLite found a page of the database it cannot read (SQLITE_CORRUPT): the store is
    /// damaged. A write that meets it is rolled back (the message does not say so: it is also
    /// the warning of a write whose index update met it after its commit); what can still be
    /// read is exported by `claimtrail export`, which skips what it cannot read.
    #[error(
        "{path}: the store is damaged ({message}): run `claimtrail check` to see where, then `claimtrail export -o FILE` to save what can be read and \
         `claimtrail import FILE` into a new store"
    )]
    Damaged { path: PathBuf, message: String },
    /// The disk holding the store has no room left (SQLITE_FULL, or an I/O error with the
    /// file system full): the transaction that met it is rolled back.
    #[error(
        "{path}: the disk holding the store is full ({message}); the write was rolled back, \
         nothing of it was stored: free some space and try again"
    )]
    DiskFull { path: PathBuf, message: String },
    #[error("{path}: the store is busy (another claimtrail is writing to it); try again")]
    Busy { path: PathBuf },
    #[error("{path}: {message}")]
    Access { path: PathBuf, message: String },
    #[error("no claim with id {0}")]
    UnknownClaim(i64),
    #[error("no source named '{}' in the store", crate::terminal::shorten(.0))]
    UnknownSource(String),
    #[error("{0}")]
    Invalid(String),
    /// A line of a file given to `claimtrail import` that cannot be imported.
    #[error("{path}:{line}: {message}")]
    BadImport {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: database error")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// True for failures the user cannot fix by changing the input: SQLite errors that are
    /// not corruption, locking or file access. Everything else is a user error.
    pub fn is_internal(&self) -> bool {
        matches!(self, StoreError::Sqlite { .. })
    }

    /// Sorts a SQLite error into the variant a user can act on.
    fn from_sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt) => StoreError::Damaged {
                path,
                message: sqlite_message(&e),
            },
            Some(C::NotADatabase) => StoreError::Corrupt {
                path,
                message: sqlite_message(&e),
            },
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy { path },
            Some(C::DiskFull) => StoreError::DiskFull {
                path,
                message: sqlite_message(&e),
            },
            // SQLite turns most failed writes into a bare "disk I/O error" (growing the
            // `-shm`, writing the WAL): on a disk with no room left, that is what it means.
            Some(C::SystemIoFailure) if disk_full(&path) => StoreError::DiskFull {
                path,
                message: sqlite_message(&e),
            },
            Some(C::CannotOpen | C::PermissionDenied | C::ReadOnly) => StoreError::Access {
                path,
                message: sqlite_message(&e),
            },
            _ => StoreError::Sqlite { path, source: e },
        }
    }
}

impl StoreError {
    /// An I/O error of the store's own files (not SQLite's): a full disk is said so.
    fn from_io(path: &Path, e: std::io::Error) -> StoreError {
        let path = path.to_path_buf();
        if e.raw_os_error() == Some(libc::ENOSPC) {
            StoreError::DiskFull {
                path,
                message: e.to_string(),
            }
        } else {
            StoreError::Access {
                path,
                message: e.to_string(),
            }
        }
    }
}

/// Less room than this on the disk makes an I/O error a full disk: SQLite needs a few pages
/// (a WAL frame, the `-shm` grown by 32 KiB) for any write.
const FULL_DISK_BYTES: u64 = 1 << 20;

/// True when the file system holding `path` (or its folder, if it does not exist) has less
/// than [`FULL_DISK_BYTES`] left for an unprivileged writer.
fn disk_full(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let existing = if path.exists() {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    let Ok(c_path) = std::ffi::CString::new(existing.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs is plain old data, for statvfs(3) to fill.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid NUL-terminated path and a statvfs to fill.
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64) < FULL_DISK_BYTES
}

/// SQLite's own words for an error, without rusqlite's wrapping.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        rusqlite::Error::SqliteFailure(f, None) => f.to_string(),
        other => other.to_string(),
    }
}

/// Opens a write transaction on the store's connection, IMMEDIATE so that it takes the
/// write lock up front (a concurrent writer waits for the busy timeout instead of failing
/// halfway through), with the function that turns SQLite's errors into the store's (naming
/// the database file). Takes the fields, not the store, so the rest of the store stays
/// usable while the transaction is open.
fn write_tx<'c>(
    conn: &'c mut Connection,
    db_path: &'c Path,
) -> Result<
    (
        rusqlite::Transaction<'c>,
        impl Fn(rusqlite::Error) -> StoreError + Copy + use<'c>,
    ),
    StoreError,
> {
    let sql = move |e| StoreError::from_sqlite(db_path, e);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    Ok((tx, sql))
}

/// Starts the next generation of the database inside the write transaction `tx` and returns
/// it: the number the claims changed by `tx` are stamped with.
fn next_generation(tx: &rusqlite::Transaction) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "UPDATE meta SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )?
    .query_row([], |r| r.get(0))
}

/// Adds one link of a claim's chain; the parameters in the order of the columns. Ingest and
/// import both write chains, through this one statement.
const INSERT_LINK: &str = "INSERT INTO claim_links (claim_id, position, source_id, role, cue,
         recipient_id, mention_start, mention_end)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// The generation a write transaction stamps the claims it changes with, started at its
/// first change: a transaction that changes nothing leaves the generation (and the index)
/// alone.
#[derive(Debug, Default)]
struct LazyGeneration(Option<i64>);

impl LazyGeneration {
    fn get(&mut self, tx: &rusqlite::Transaction) -> rusqlite::Result<i64> {
        match self.0 {
            Some(g) => Ok(g),
            None => {
                let g = next_generation(tx)?;
                self.0 = Some(g);
                Ok(g)
            }
        }
    }
}

/// A name a store folder holds: the database and its journals, the index, and the folders
/// of an index being rebuilt.
fn is_store_file(name: &str) -> bool {
    name == DB_FILE
        || name
            .strip_prefix(DB_FILE)
            .is_some_and(|rest| ["-journal", "-wal", "-shm"].contains(&rest))
        || name == INDEX_DIR
        || name.starts_with(&format!("{INDEX_DIR}."))
}

/// Puts the database in WAL mode, unless it is already (every open but the first: nothing
/// is written then). Changing the mode needs the file to itself, and SQLite answers "busy"
/// at once, without its busy handler, while another connection reads it (two claimtrails
/// opening a new store together): the change is retried here for the busy timeout.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let mode = |conn: &Connection| {
        conn.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))
    };
    if mode(conn)?.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    let start = std::time::Instant::now();
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// The `file:` URI that opens `path` immutable (see [`Store::open_for_reading`]), with the
/// characters URIs give a meaning to escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(char::from(*b)),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// True for SQLITE_IOERR_SHMSIZE: the `-shm` was missing or short and could not be grown to
/// its size, as on a full disk. Every open connection keeps the `-shm` at its full size, so
/// none is open: with no commits in the WAL (checked by the caller) the database file is the
/// whole truth, and a writer starting meanwhile would have to grow the same `-shm` and fail
/// the same way. Opening it immutable is then safe, and a full disk can still be read.
fn shm_cannot_grow(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE)
}

/// True when nothing can write the database: its file system is mounted read-only, or
/// neither the folder nor the file grants write permission to anyone.
fn no_writer_can_exist(dir: &Path, db_path: &Path) -> bool {
    read_only_media(db_path) || (unwritable(dir) && unwritable(db_path))
}

/// True when `path` is on read-only media: its file system is mounted read-only, or it
/// grants write permission to no one (a store copied off read-only media, `chmod -R a-w`).
pub(crate) fn read_only_media(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs is plain old data, for statvfs(3) to fill.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid NUL-terminated path and a statvfs to fill.
    let mounted_ro = unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } == 0
        && stat.f_flag & libc::ST_RDONLY != 0;
    mounted_ro || unwritable(path)
}

/// Grants write permission to no one.
fn unwritable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o222 == 0)
}

/// Row counts of every table, for summaries and for tests that prove idempotence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: i64,
    pub sources: i64,
    pub source_aliases: i64,
    pub claims: i64,
    pub orphaned_claims: i64,
    pub claim_links: i64,
    pub verdicts: i64,
    pub verdict_evidence: i64,
}

/// An open store. Not `Sync`: one per thread, like the SQLite connection it wraps.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    db_path: PathBuf,
    conn: Connection,
    clock: Clock,
}

impl Store {
    /// Opens the store folder `dir`, creating it (and an empty database) when it does not
    /// exist or is empty, and bringing an older database up to the current schema.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        let db_path = dir.join(DB_FILE);
        let access = |e: std::io::Error| StoreError::Access {
            path: dir.clone(),
            message: e.to_string(),
        };
        match std::fs::metadata(&dir) {
            Ok(m) if !m.is_dir() => return Err(StoreError::NotAFolder { path: dir }),
            Ok(_) => {
                // Listed before `claims.db` is looked for: another claimtrail creating this
                // store at the same moment has only written files of a store (its
                // `claims.db` and journal), which do not make the folder someone else's.
                let foreign = std::fs::read_dir(&dir)
                    .map_err(access)?
                    .filter_map(Result::ok)
                    .any(|e| !is_store_file(&e.file_name().to_string_lossy()));
                if foreign && !db_path.exists() {
                    return Err(StoreError::NotAStore { path: dir });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&dir).map_err(access)?;
            }
            Err(e) => return Err(access(e)),
        }

        let sql = |e| StoreError::from_sqlite(&db_path, e);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&db_path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // The first statement that reads the file: a file that is not SQLite fails here,
        // before anything is written to it.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(sql)?;
        // A newer or foreign database is refused before anything, even the journal mode
        // (which is kept in the file), is written to it.
        migrate::refuse_unknown(&conn, &db_path)?;
        // WAL lets readers (search) run while ingest writes. FULL syncs the WAL at every
        // commit, so a verdict that `verify` reported written survives a power loss too,
        // not only a crash of the program (NORMAL could lose the last commits, and a
        // verdict cannot be re-run like an ingest). It costs one fsync per transaction:
        // ingest commits a batch of 256 articles at a time.
        set_wal(&conn).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        // The bundled SQLite is built with STAT4, under which a statement whose plan could
        // depend on a bound value is re-prepared (parsed and planned again) whenever that
        // value changes: every step of the per-claim statements of ingest and of the index
        // build, a third of ingest's time. The store has no sqlite_stat tables, so the
        // plans never change: the query planner stability guarantee turns that off.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(sql)?;
        // Statement journals (each INSERT checked against foreign keys may have to undo
        // itself) in memory rather than in temporary files: they were a tenth of ingest's
        // time, in write system calls. (A larger page cache measured no faster and tripled
        // ingest's peak memory.)
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(sql)?;
        migrate::migrate(&mut conn, &db_path)?;
        Ok(Store {
            dir,
            db_path,
            conn,
            clock: Clock::System,
        })
    }

    /// Opens the store folder `dir` for a command that only reads it (search, show, sources,
    /// report, export, check, unconfirmed): nothing is written to the folder, so a store on
    /// read-only media (a read-only mount, a folder nobody may write) can be read.
    ///
    /// The connection is opened with `SQLITE_OPEN_READ_ONLY`. In WAL mode a reader still
    /// needs the `-shm` file, which it creates when it is missing (every writer removes it
    /// when it closes last); on read-only media it cannot, and SQLite refuses to open. The
    /// database is then opened `immutable=1`, which skips the `-shm` and all locking: safe
    /// only when no writer can exist, so only when the file system is mounted read-only or
    /// neither the folder nor the database grants write permission to anyone, and only when
    /// there is no `-wal` with commits in it (immutable ignores the WAL: they would be
    /// silently missing). A store that does not exist yet, or whose schema is older, is
    /// opened as by [`Store::open`] (it is created or migrated first, as before).
    pub fn open_for_reading(dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        let dir = dir.as_ref().to_path_buf();
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Store::open(dir);
        }
        let sql = |e| StoreError::from_sqlite(&db_path, e);
        let read_only = |immutable: bool| -> rusqlite::Result<Connection> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI;
            let conn = if immutable {
                Connection::open_with_flags(immutable_uri(&db_path), flags)?
            } else {
                Connection::open_with_flags(&db_path, flags)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // The first read: where a missing `-shm` that cannot be created fails.
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        };
        let conn = match read_only(false) {
            Ok(conn) => conn,
            Err(e)
                if (matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) && no_writer_can_exist(&dir, &db_path))
                    || shm_cannot_grow(&e) =>
            {
                let wal = dir.join(format!("{DB_FILE}-wal"));
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                    return Err(StoreError::Access {
                        path: db_path.clone(),
                        message: format!(
                            "on read-only media or a full disk with commits still in {} and no \
                             -shm to read them with; copy the store elsewhere to read it",
                            wal.display()
                        ),
                    });
                }
                read_only(true).map_err(sql)?
            }
            Err(e) => return Err(sql(e)),
        };
        migrate::refuse_unknown(&conn, &db_path)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)?;
        if version != SCHEMA_VERSION {
            drop(conn);
            return Store::open(dir);
        }
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(sql)?;
        Ok(Store {
            dir,
            db_path,
            conn,
            clock: Clock::System,
        })
    }

    /// Uses `clock` for every timestamp this store writes from now on.
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The store folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.db_path, e)
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<i64, StoreError> {
            self.conn
                .prepare_cached(&format!("SELECT count(*) FROM {table}"))
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .map_err(|e| self.sql(e))
        };
        Ok(Counts {
            articles: count("articles")?,
            sources: count("sources")?,
            source_aliases: count("source_aliases")?,
            claims: count("claims")?,
            orphaned_claims: count("claims WHERE orphaned = 1")?,
            claim_links: count("claim_links")?,
            verdicts: count("verdicts")?,
            verdict_evidence: count("verdict_evidence")?,
        })
    }
}

/// The plan SQLite makes for `sql` (its `?1` bound to 1) in a new empty store, one line per
/// step: for tests that a query uses the index it must.
#[cfg(test)]
pub(crate) fn query_plan(sql: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut s = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    s.query_map([1], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, ClaimKind, Role, SourceKind, Status};

    #[test]
    fn a_new_store_gets_the_current_schema_and_reopens_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        drop(Store::open(&path).unwrap());
        let store = Store::open(&path).unwrap();
        assert_eq!(store.counts().unwrap(), Counts::default());
        let pragma = |name: &str| -> String {
            store
                .conn
                .pragma_query_value(None, name, |r| r.get::<_, rusqlite::types::Value>(0))
                .map(|v| format!("{v:?}"))
                .unwrap()
        };
        assert_eq!(pragma("user_version"), format!("Integer({SCHEMA_VERSION})"));
        assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
        assert_eq!(pragma("foreign_keys"), "Integer(1)");
        assert!(
            !path.join(INDEX_DIR).exists(),
            "the index is built by the commands that read it, not by opening the store"
        );
    }

    #[test]
    fn a_negative_schema_version_is_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
        conn.pragma_update(None, "user_version", -3).unwrap();
        drop(conn);
        let err = Store::open(dir.path()).unwrap_err();
        assert!(matches!(err, StoreError::NotOurDatabase { .. }), "{err}");
    }

    #[test]
    fn a_damaged_database_and_a_full_disk_are_said_so_not_internal_errors() {
        let failure = |code: i32, message: &str| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                Some(message.to_string()),
            )
        };
        let path = Path::new("store/claims.db");
        let damaged = StoreError::from_sqlite(
            path,
            failure(
                rusqlite::ffi::SQLITE_CORRUPT,
                "database disk image is malformed",
            ),
        );
        assert!(matches!(damaged, StoreError::Damaged { .. }), "{damaged}");
        assert!(!damaged.is_internal());
        assert!(
            damaged.to_string().starts_with(
                "store/claims.db: the store is damaged (database disk image is malformed): run \
                 `claimtrail check`"
            ),
            "{damaged}"
        );
        let full = StoreError::from_sqlite(
            path,
            failure(rusqlite::ffi::SQLITE_FULL, "database or disk is full"),
        );
        assert!(matches!(full, StoreError::DiskFull { .. }), "{full}");
        assert!(!full.is_internal());
        let enospc = StoreError::from_io(path, std::io::Error::from_raw_os_error(libc::ENOSPC));
        assert!(matches!(enospc, StoreError::DiskFull { .. }), "{enospc}");
        // A file that is not a database at all stays what it was.
        let not_a_db = StoreError::from_sqlite(
            path,
            failure(rusqlite::ffi::SQLITE_NOTADB, "file is not a database"),
        );
        assert!(matches!(not_a_db, StoreError::Corrupt { .. }), "{not_a_db}");
    }

    /// Every vocabulary's spellings appear in a CHECK constraint of schema.sql, so model.rs
    /// and the schema cannot drift apart unnoticed.
    #[test]
    fn schema_checks_spell_every_vocabulary() {
        let schema = migrate::SCHEMA;
        let mut words: Vec<&str> = Vec::new();
        words.extend(SourceKind::ALL.iter().map(|v| v.as_str()));
        words.extend(ClaimKind::ALL.iter().map(|v| v.as_str()));
        words.extend(Certainty::ALL.iter().map(|v| v.as_str()));
        words.extend(Role::ALL.iter().map(|v| v.as_str()));
        words.extend(Status::ALL.iter().map(|v| v.as_str()));
        for w in words {
            assert!(
                schema.contains(&format!("'{w}'")),
                "schema.sql has no CHECK value '{w}'"
            );
        }
    }
}
