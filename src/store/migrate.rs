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
pub const SCHEMA_VERSION: i64 = 8;

/// Marks the file as a claimtrail database (`PRAGMA application_id`, "ClTr"), so a SQLite
/// file of another program that happens to be named `claims.db` is never written to.
const APPLICATION_ID: i64 = 0x436c_5472;

/// `MIGRATIONS[i]` takes a database from version `i + 1` to `i + 2`; each step must end in the
/// same schema as `schema.sql` at that version (a test migrates a version 1 database and
/// compares every table and index with a new one).
pub(super) const MIGRATIONS: &[&str] = &[
    // 1 → 2: the search index. `meta.generation` numbers the states of the database and
    // `claims.changed_generation` says in which one each claim last changed, so an index that
    // records the generation it reflects can be caught up with the claims changed since.
    // Existing claims get generation 0 and the database generation 1: no index exists for a
    // version 1 store, so the first one is built whole anyway. `source_merges` keeps the
    // names `claimtrail alias` merged away, so later articles naming them land on the
    // canonical source.
    "CREATE TABLE meta (
         id          INTEGER PRIMARY KEY CHECK (id = 1),
         generation  INTEGER NOT NULL CHECK (generation >= 0)
     );
     INSERT INTO meta (id, generation) VALUES (1, 1);
     ALTER TABLE claims ADD COLUMN
         changed_generation INTEGER NOT NULL DEFAULT 0 CHECK (changed_generation >= 0);
     CREATE INDEX claims_by_changed_generation ON claims (changed_generation);
     CREATE TABLE source_merges (
         name        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
         kind        TEXT NOT NULL
                     CHECK (kind IN ('outlet', 'person', 'organization', 'document', 'anonymous')),
         source_id   INTEGER NOT NULL REFERENCES sources (id),
         PRIMARY KEY (name, kind)
     ) WITHOUT ROWID;",
    // 2 → 3: a claim's status is its latest verdict by time, not by id (ids differ between
    // stores that exchange exports). `verdicts.seq` orders the verdicts of one claim recorded
    // in the same second; existing ones get their order by id, the only order they had, which
    // needs the append-only trigger lifted for the one UPDATE that fills the new column.
    // `meta.store_id` is the store's identity, which the index records so that an index
    // copied from another store is rebuilt rather than trusted.
    "ALTER TABLE meta ADD COLUMN store_id TEXT;
     UPDATE meta SET store_id = lower(hex(randomblob(16)));
     ALTER TABLE verdicts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0);
     DROP TRIGGER verdicts_no_update;
     UPDATE verdicts SET seq = (SELECT count(*) FROM verdicts w
         WHERE w.claim_id = verdicts.claim_id AND w.created_at = verdicts.created_at
           AND w.id < verdicts.id);
     CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts
     BEGIN
         SELECT RAISE(ABORT, 'verdicts are append-only: add a new verdict instead');
     END;
     DROP VIEW claim_status;
     CREATE VIEW claim_status AS
     SELECT c.id AS claim_id,
            coalesce((SELECT v.status FROM verdicts v WHERE v.claim_id = c.id
                      ORDER BY julianday(v.created_at) DESC, v.seq DESC, v.status DESC, coalesce(v.reviewer, '') DESC, coalesce(v.note, '') DESC, (SELECT coalesce(group_concat(e.url, ' ' ORDER BY e.position), '') FROM verdict_evidence e WHERE e.verdict_id = v.id) DESC, v.id DESC
                      LIMIT 1), 'unverified') AS status
     FROM claims c;",
    // 3 → 4: feeds. `feed_entries` remembers the entries of each feed that were stored, so
    // that reading the same feed again fetches only the entries it has not seen. A new table:
    // nothing existing changes.
    "CREATE TABLE feed_entries (
         feed        TEXT NOT NULL CHECK (length(feed) > 0),
         entry       TEXT NOT NULL CHECK (length(entry) > 0),
         article_id  INTEGER NOT NULL REFERENCES articles (id),
         seen_at     TEXT NOT NULL,
         PRIMARY KEY (feed, entry)
     ) WITHOUT ROWID;
     CREATE INDEX feed_entries_by_article ON feed_entries (article_id);",
    // 4 → 5: human curation. Corrections of claims (`claim_corrections`), of articles
    // (`article_changes`) and of sources (`source_changes`), each append-only like verdicts;
    // `claims.rejected` and `articles.removed` hold what the latest of them says, for
    // every reader. The trigger that keeps judged claims also keeps corrected ones. Nothing
    // existing changes value.
    "ALTER TABLE claims ADD COLUMN
         rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1));
     ALTER TABLE articles ADD COLUMN
         removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1));
     DROP TRIGGER claims_keep_judged;
     CREATE TRIGGER claims_keep_judged BEFORE DELETE ON claims
     WHEN EXISTS (SELECT 1 FROM verdicts WHERE claim_id = OLD.id)
       OR EXISTS (SELECT 1 FROM claim_corrections WHERE claim_id = OLD.id)
     BEGIN
         SELECT RAISE(ABORT, 'a claim with verdicts or corrections cannot be deleted');
     END;
     CREATE TABLE claim_corrections (
         id          INTEGER PRIMARY KEY,
         claim_id    INTEGER NOT NULL REFERENCES claims (id),
         changes     TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'object'),
         note        TEXT,
         reviewer    TEXT,
         created_at  TEXT NOT NULL,
         seq         INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0)
     );
     CREATE INDEX claim_corrections_by_claim ON claim_corrections (claim_id, id);
     CREATE TRIGGER claim_corrections_no_update BEFORE UPDATE ON claim_corrections
     BEGIN
         SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
     END;
     CREATE TRIGGER claim_corrections_no_delete BEFORE DELETE ON claim_corrections
     BEGIN
         SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
     END;

     CREATE TABLE article_changes (
         id          INTEGER PRIMARY KEY,
         article_id  INTEGER NOT NULL REFERENCES articles (id),
         changes     TEXT NOT NULL CHECK (json_valid(changes) AND json_type(changes) = 'object'),
         note        TEXT,
         reviewer    TEXT,
         created_at  TEXT NOT NULL,
         seq         INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0)
     );
     CREATE INDEX article_changes_by_article ON article_changes (article_id, id);
     CREATE TRIGGER article_changes_no_update BEFORE UPDATE ON article_changes
     BEGIN
         SELECT RAISE(ABORT, 'article changes are append-only: add a new change instead');
     END;
     CREATE TRIGGER article_changes_no_delete BEFORE DELETE ON article_changes
     BEGIN
         SELECT RAISE(ABORT, 'article changes are append-only: add a new change instead');
     END;

     CREATE TABLE source_changes (
         id          INTEGER PRIMARY KEY,
         action      TEXT NOT NULL CHECK (action IN ('alias', 'unalias', 'rename', 'kind')),
         name        TEXT NOT NULL COLLATE NOCASE,
         details     TEXT NOT NULL CHECK (json_valid(details) AND json_type(details) = 'object'),
         created_at  TEXT NOT NULL
     );
     CREATE INDEX source_changes_by_name ON source_changes (name, id);
     CREATE TRIGGER source_changes_no_update BEFORE UPDATE ON source_changes
     BEGIN
         SELECT RAISE(ABORT, 'source changes are append-only');
     END;
     CREATE TRIGGER source_changes_no_delete BEFORE DELETE ON source_changes
     BEGIN
         SELECT RAISE(ABORT, 'source changes are append-only');
     END;",
    // 5 -> 6: outside fact-checks and the claims that match them.
    "-- Outside fact-checks, read by `claimtrail import-reviews` from schema.org ClaimReview
     -- JSON-LD: one row per review, kept as given. `review_key` (claimReviewed and url) makes
     -- importing the same review again add nothing. Added in version 6.
     CREATE TABLE fact_checks (
         id              INTEGER PRIMARY KEY,
         claim_reviewed  TEXT NOT NULL CHECK (claim_reviewed <> ''),
         item_text       TEXT,
         rating          TEXT,
         reviewer        TEXT,
         url             TEXT,
         published       TEXT,
         claimant        TEXT,
         origin          TEXT NOT NULL,
         imported_at     TEXT NOT NULL,
         review_key      TEXT NOT NULL UNIQUE
     );

     -- Which stored claims say what an outside fact-check or another claim's verdict already
     -- judged (src/factcheck/matcher.rs, `same_claim`): derived data, written by ingest,
     -- import-reviews and reindex for the claims they match, never edited by hand. Added in
     -- version 6.
     CREATE TABLE claim_checks (
         claim_id          INTEGER NOT NULL REFERENCES claims (id),
         fact_check_id     INTEGER REFERENCES fact_checks (id),
         verdict_claim_id  INTEGER REFERENCES claims (id),
         overlap           REAL NOT NULL CHECK (overlap >= 0 AND overlap <= 1),
         CHECK ((fact_check_id IS NULL) <> (verdict_claim_id IS NULL))
     );
     CREATE INDEX claim_checks_by_claim ON claim_checks (claim_id);",
    // 6 -> 7: stories and their origins (derived: grouped by the first ingest or reindex
    // after the migration; until then a claim shows no story) and the user's splits and
    // joins. New tables: nothing existing changes.
    "-- The story of every claim that is not rejected: the claims saying the same thing across
     -- articles (src/story/similar.rs), grouped at ingest, a new claim joining an existing
     -- story or founding one (src/story/group.rs). `story_id` is the id of the claim that
     -- founded the story, so a claim joining it changes no other claim's story. `joined_through`
     -- and `similarity` say which claim it was found similar to (NULL and 1 for a founder).
     -- The origin is the first-hand source the claim's chain ends on before the speaker
     -- (src/story/origin.rs). Derived data: rebuilt by `reindex` from the claims and
     -- `story_changes`, never edited by hand. Added in version 7.
     CREATE TABLE claim_stories (
         claim_id        INTEGER PRIMARY KEY REFERENCES claims (id),
         story_id        INTEGER NOT NULL REFERENCES claims (id),
         joined_through  INTEGER REFERENCES claims (id),
         similarity      REAL NOT NULL CHECK (similarity >= 0 AND similarity <= 1),
         origin_name     TEXT NOT NULL,
         origin_kind     TEXT NOT NULL CHECK (origin_kind IN ('reporting', 'wire', 'assertion')),
         origin_via      TEXT,
         origin_anonymous INTEGER NOT NULL DEFAULT 0 CHECK (origin_anonymous IN (0, 1))
     );
     CREATE INDEX claim_stories_by_story ON claim_stories (story_id);

     -- A fact-checker's splits and joins of stories (`claimtrail story CLAIM --detach`,
     -- `--join OTHER`): append-only like corrections, applied after grouping, in order, by
     -- ingest and by `reindex`, so they survive every rebuild. Added in version 7.
     CREATE TABLE story_changes (
         id          INTEGER PRIMARY KEY,
         claim_id    INTEGER NOT NULL REFERENCES claims (id),
         action      TEXT NOT NULL CHECK (action IN ('detach', 'join')),
         other_id    INTEGER REFERENCES claims (id),
         reviewer    TEXT,
         created_at  TEXT NOT NULL,
         CHECK ((action = 'join') = (other_id IS NOT NULL))
     );
     CREATE INDEX story_changes_by_claim ON story_changes (claim_id, id);
     CREATE TRIGGER story_changes_no_update BEFORE UPDATE ON story_changes
     BEGIN
         SELECT RAISE(ABORT, 'story changes are append-only');
     END;
     CREATE TRIGGER story_changes_no_delete BEFORE DELETE ON story_changes
     BEGIN
         SELECT RAISE(ABORT, 'story changes are append-only');
     END;",
    // 7 -> 8: sentence vectors of the fact-checks (derived; none until import-reviews or
    // reindex runs with --embeddings). A new table: nothing existing changes.
    "-- The sentence vectors of each outside fact-check (its claim, then its title when it has
     -- one: little-endian 32-bit floats, one vector after the other) under the fingerprint of
     -- the model that made them (src/embed): derived data, written by import-reviews, reindex
     -- and eval-match when given --embeddings, read by match. Added in version 8.
     CREATE TABLE fact_check_vectors (
         fact_check_id  INTEGER NOT NULL REFERENCES fact_checks (id),
         model          TEXT NOT NULL,
         vectors        BLOB NOT NULL CHECK (length(vectors) > 0 AND length(vectors) % 4 = 0),
         PRIMARY KEY (fact_check_id, model)
     ) WITHOUT ROWID;",
];

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
///
/// The version and the tables are read in one read transaction: another claimtrail creating
/// the schema of a new store meanwhile must not be seen half (no version yet, but tables),
/// which looks like another program's database.
pub(crate) fn refuse_unknown(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |e| StoreError::from_sqlite(path, e);
    let tx = conn.unchecked_transaction().map_err(sql)?;
    // The first read takes the snapshot the others see.
    tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(sql)?;
    let read = |pragma: &str| -> Result<i64, StoreError> {
        tx.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(sql)
    };
    let (version, app_id) = (read("user_version")?, read("application_id")?);
    check(&tx, path, version, app_id)?;
    tx.commit().map_err(sql)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table's columns (name, type, not null, default, primary key) and every index
    /// and trigger, as SQLite reports them.
    fn shape(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        let objects: Vec<(String, String, String)> = conn
            .prepare("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (kind, name, table) in objects {
            out.push(format!("{kind} {name} on {table}"));
            if kind == "table" {
                let columns: Vec<String> = conn
                    .prepare(&format!("PRAGMA table_info({name})"))
                    .unwrap()
                    .query_map([], |r| {
                        Ok(format!(
                            "  {} {} notnull={} default={:?} pk={}",
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, i64>(5)?
                        ))
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                out.extend(columns);
            }
        }
        out
    }

    #[test]
    fn a_version_1_database_migrates_to_the_current_schema() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.db");
        let conn = Connection::open(&old).unwrap();
        conn.execute_batch(include_str!("../../tests/fixtures/schema_v1.sql"))
            .unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        let mut old_conn = Connection::open(&old).unwrap();
        migrate(&mut old_conn, &old).unwrap();

        let mut new_conn = Connection::open(dir.path().join("new.db")).unwrap();
        migrate(&mut new_conn, &dir.path().join("new.db")).unwrap();
        assert_eq!(shape(&old_conn), shape(&new_conn));
        let generation: i64 = old_conn
            .query_row("SELECT generation FROM meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(generation, 1);
    }

    /// A store at schema `version` (version 1's schema and the migrations after it) holding
    /// one article and one claim, as an older claimtrail left it.
    fn one_claim_store_at(path: &Path, version: usize) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(include_str!("../../tests/fixtures/schema_v1.sql"))
            .unwrap();
        for step in &MIGRATIONS[..version - 1] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO articles (id, content_hash, text, source_path, extractor_version,
                 ingested_at, extracted_at)
             VALUES (1, printf('%064d', 0), 't', 'p', 1, 'x', 'x');
             INSERT INTO claims (id, article_id, claim_key, position, text, sentence,
                 sentence_start, sentence_end, kind, certainty, spans, created_at, updated_at)
             VALUES (1, 1, 'k', 0, 't', 's', 0, 1, 'assertion', 'certain', '{}', 'x', 'x');",
        )
        .unwrap();
        conn
    }

    /// Version 3 orders a history by time, and within a second by `seq`: a version 2 store's
    /// verdicts of one second get `seq` in id order, the order they had, so the migration
    /// changes no claim's status. And the store gets its identity.
    #[test]
    fn a_version_2_database_keeps_its_statuses_through_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v2.db");
        let mut conn = one_claim_store_at(&path, 2);
        conn.execute_batch(
            "INSERT INTO verdicts (id, claim_id, status, reviewer, created_at) VALUES
                 (1, 1, 'retracted', 'ana', '2025-11-25T13:00:00Z'),
                 (2, 1, 'false', 'ana', '2025-11-26T12:00:00Z'),
                 (3, 1, 'confirmed', 'ana', '2025-11-26T12:00:00Z');",
        )
        .unwrap();
        migrate(&mut conn, &path).unwrap();
        let seqs: Vec<i64> = conn
            .prepare("SELECT seq FROM verdicts ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(seqs, [0, 0, 1]);
        let status: String = conn
            .query_row("SELECT status FROM claim_status", [], |r| r.get(0))
            .unwrap();
        assert_eq!(status, "confirmed");
        let id: String = conn
            .query_row("SELECT store_id FROM meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id.len(), 32);
        // Still append-only after the trigger was lifted for the migration.
        assert!(conn.execute("UPDATE verdicts SET note = 'x'", []).is_err());
    }
    /// Version 7 adds stories as new tables: a version 6 store keeps its claims, has no
    /// story until the next ingest or reindex groups them, and story changes are
    /// append-only from the start.
    #[test]
    fn a_version_6_database_gains_empty_stories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v6.db");
        let mut conn = one_claim_store_at(&path, 6);
        migrate(&mut conn, &path).unwrap();
        let count = |q: &str| -> i64 { conn.query_row(q, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM claims"), 1);
        assert_eq!(count("SELECT count(*) FROM claim_stories"), 0);
        conn.execute(
            "INSERT INTO story_changes (claim_id, action, created_at) VALUES (1, 'detach', 'x')",
            [],
        )
        .unwrap();
        assert!(conn.execute("DELETE FROM story_changes", []).is_err());
        assert!(
            conn.execute("UPDATE story_changes SET reviewer = 'x'", [])
                .is_err()
        );
    }
}
