//! Schema versions: `schema.sql` is the current schema, `PRAGMA user_version` says which
//! version a database has, and [`MIGRATIONS`] steps an older database forward.
//!
//! No migration crate: `rusqlite_migration` pulls another `libsqlite3-sys`, which cannot link
//! next to ours, and the loop is a few lines.

use super::StoreError;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// The whole current schema, applied as is to a new database.
pub(crate) const SCHEMA: &str = include_str!("../../schema.sql");

/// The schema version this program writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Marks the file as a claimtrail database (`PRAGMA application_id`, "ClTr"), so a SQLite
/// file of another program that happens to be named `claims.db` is never written to.
const APPLICATION_ID: i64 = 0x436c_5472;

/// `MIGRATIONS[i]` takes a database from version `i + 1` to `i + 2`; each step must end in the
/// same schema as `schema.sql` at that version. Empty while there is only version 1.
const MIGRATIONS: &[&str] = &[];

const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION - 1);

/// Creates the schema in a new database or brings an older one up to [`SCHEMA_VERSION`],
/// in one transaction: a failed step leaves the database as it was. The version is checked
/// again inside the transaction, in case another program migrated it meanwhile.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |e| StoreError::from_sqlite(path, e);
    let read = |conn: &Connection, pragma: &str| -> Result<i64, StoreError> {
        conn.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(sql)
    };
    if read(conn, "user_version")? == SCHEMA_VERSION {
        return Ok(());
    }
    // IMMEDIATE: two programs opening a new store at once must not both create the schema.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let version = read(&tx, "user_version")?;
    check(&tx, path, version, read(&tx, "application_id")?)?;
    if version == 0 {
        tx.execute_batch(SCHEMA).map_err(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sql)?;
    } else {
        for step in &MIGRATIONS[(version - 1) as usize..] {
            tx.execute_batch(step).map_err(sql)?;
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(sql)?;
    tx.commit().map_err(sql)
}

/// Refuses a database that is newer than this program or not ours, reading only: called
/// before anything is written to the file.
pub(crate) fn refuse_unknown(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(|e| StoreError::from_sqlite(path, e))
    };
    check(conn, path, read("user_version")?, read("application_id")?)
}

/// Refuses a database that is newer than this program or that is not ours.
fn check(conn: &Connection, path: &Path, version: i64, app_id: i64) -> Result<(), StoreError> {
    let path_buf = path.to_path_buf();
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path_buf,
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    let foreign = if version < 0 {
        true
    } else if version == 0 {
        // A new database has no tables; one with tables but no version is someone else's.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| StoreError::from_sqlite(path, e))?
            > 0
    } else {
        app_id != APPLICATION_ID
    };
    if foreign {
        return Err(StoreError::NotOurDatabase { path: path_buf });
    }
    Ok(())
}
