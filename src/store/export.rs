//! The export format and [`Store::export`]: the whole store as JSON Lines, one record a line,
//! read from one snapshot of the database and written row by row, never held in memory.
//!
//! ```text
//! {"format":"claimtrail-export","version":1,"schema":2}
//! {"type":"source","id":1,"name":"Kyiv Daily","kind":"outlet","aliases":[],"roles":[],...}
//! {"type":"source_merge","name":"AP","kind":"outlet","source":4}
//! {"type":"article","id":1,"content_hash":"…","title":…,"publisher":1,…,"text":"…"}
//! {"type":"claim","id":1,"article":1,"claim_key":"…",…,"chain":[{"source":1,…}],…}
//! {"type":"verdict","id":1,"claim":1,"status":"confirmed",…,"evidence":["https://…"]}
//! {"type":"correction","id":1,"claim":1,"changes":{"speaker":{"from":…,"to":…}},…}
//! {"type":"story_change","id":1,"claim":7,"action":"join","other":3,"reviewer":"ann",…}
//! {"type":"fact_check","id":1,"claim_reviewed":"…","rating":"False","reviewer":"Snopes",…}
//! {"type":"end","sources":11,"source_merges":1,"articles":14,"claims":156,"verdicts":4,
//!  "corrections":1,"story_changes":1,"fact_checks":1}
//! ```
//!
//! Version 4 added the outside fact-checks `import-reviews` stored (`fact_check`, last):
//! an export without them lost them, so a store restored from it no longer knew what was
//! already checked. Which claims they check, and their sentence vectors, are derived and
//! made again on import.
//!
//! Version 3 added the splits and joins of stories (`story_change`, after everything else:
//! each names two claims of the file), a fact-checker's work like corrections: stories
//! themselves are derived and rebuilt on import, these are applied to them.
//!
//! Version 2 added corrections: a claim's record holds its corrected values, and its
//! corrections follow its verdicts, oldest first; an article's record holds its corrected
//! metadata, and its changes (`article_change`, removals included) follow it, before its
//! claims; the curation of sources (`source_change`: merges with what they moved, undone
//! merges, renames, kinds) comes last, after every record its ids name. A version 1 file has
//! none of these, and imports.
//!
//! - The first line is the header: the format's name and version (an importer refuses a
//!   version newer than it knows) and, for information, the schema version of the store.
//! - Every source (with its aliases and roles), then every source merge (by name and kind),
//!   then every article by id, each followed by its claims by id, each claim followed by its
//!   verdicts by id (the order of a claim's history). A record refers to others by their ids
//!   in the file, and only to records before it.
//! - The last line counts the records of each type: a file cut anywhere is refused.
//! - Every column of every table that holds data is there, as stored, timestamps included;
//!   what is derived (the generation, which claims changed in which one) is not. The same
//!   database gives the same bytes.
//!
//! A database with a damaged page (SQLite: "database disk image is malformed") is exported
//! as far as it can be read: every table is read in id order, and a row or a page that
//! cannot be read is skipped, named in [`Exported::problems`], so one bad page loses only
//! the rows on it. Verdicts are listed through their own index, apart from the claims
//! table, and a claim whose row is lost is recovered by extracting its article's text again
//! (claims are derived from the text; its key and chain are still in the database). What
//! the file holds refers only to what it holds, so it imports.

use super::read::{json, vocabulary};
use super::{Store, StoreError};
use crate::model::{Certainty, ClaimKind, ClaimSpans, Role, SourceKind, Span, Status};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// The name in the header of an export.
pub const EXPORT_FORMAT: &str = "claimtrail-export";
/// The version of the export format this program writes and the newest it reads.
pub const EXPORT_VERSION: u32 = 4;

/// The first line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header {
    pub format: String,
    pub version: u32,
    /// The schema version of the store exported (information only).
    #[serde(default)]
    pub schema: Option<i64>,
}

/// One line after the header, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Record {
    Source(SourceRecord),
    SourceMerge(SourceMergeRecord),
    Article(ArticleRecord),
    Claim(ClaimRecord),
    Verdict(VerdictRecord),
    Correction(CorrectionRecord),
    ArticleChange(ArticleChangeRecord),
    SourceChange(SourceChangeRecord),
    StoryChange(StoryChangeRecord),
    FactCheck(FactCheckRecord),
    End(Totals),
}

/// One row of `fact_checks` (version 4): an outside review as `import-reviews` stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FactCheckRecord {
    pub id: i64,
    pub claim_reviewed: String,
    pub item_text: Option<String>,
    pub rating: Option<String>,
    pub reviewer: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub claimant: Option<String>,
    /// The file it was imported from.
    pub origin: String,
    pub imported_at: String,
}

/// One row of `story_changes` (version 3): a claim detached from its story, or its story
/// joined to another claim's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoryChangeRecord {
    pub id: i64,
    pub claim: i64,
    /// "detach" or "join".
    pub action: String,
    /// The claim whose story it joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<i64>,
    pub reviewer: Option<String>,
    pub created_at: String,
}

/// One row of `source_changes` (version 2). Its `details` name rows by their ids in the
/// exporting store, so an import keeps it only where every id was kept (into an empty store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceChangeRecord {
    pub id: i64,
    pub action: String,
    pub name: String,
    pub details: serde_json::Value,
    pub created_at: String,
}

/// One entry of an article's history (version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticleChangeRecord {
    pub id: i64,
    pub article: i64,
    pub changes: super::articles::ArticleChanges,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
}

/// One entry of a claim's correction history (version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CorrectionRecord {
    pub id: i64,
    pub claim: i64,
    pub changes: super::corrections::Changes,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub created_at: String,
    /// Its place among its claim's corrections of the same second, when not 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRecord {
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    /// Other names and spellings (`source_aliases` of form `name`).
    pub aliases: Vec<String>,
    /// Titles and descriptions (`source_aliases` of form `role`).
    pub roles: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceMergeRecord {
    pub name: String,
    pub kind: SourceKind,
    /// The source the name was merged into.
    pub source: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticleRecord {
    pub id: i64,
    pub content_hash: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// The outlet source the publisher resolves to.
    pub publisher: Option<i64>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
    pub source_path: String,
    pub source_line: Option<i64>,
    pub extractor_version: i64,
    pub ingested_at: String,
    pub extracted_at: String,
    pub text: String,
    /// Only when the text is not the one `content_hash` was computed from (the database was
    /// damaged): the hash of the text as found, so that the damage is in the file for all to
    /// see and an import can restore the article, and what hangs on it, as it was exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClaimRecord {
    pub id: i64,
    pub article: i64,
    pub claim_key: String,
    pub position: i64,
    pub text: String,
    pub sentence: String,
    pub sentence_span: Span,
    pub kind: ClaimKind,
    pub certainty: Certainty,
    pub hedges: Vec<String>,
    pub cue: Option<String>,
    pub spans: ClaimSpans,
    /// Publisher first, speaker last.
    pub chain: Vec<LinkRecord>,
    pub orphaned: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Only when the claim's row could not be read (a damaged page of the database): the
    /// claim as extracting its article's text again gives it, found by its key (which the
    /// database's index of claims still held) with its stored chain. Its times are then the
    /// article's last extraction, when it was last written at the latest.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkRecord {
    pub source: i64,
    pub role: Role,
    pub cue: Option<String>,
    pub recipient: Option<i64>,
    pub mention: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VerdictRecord {
    pub id: i64,
    pub claim: i64,
    pub status: Status,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub created_at: String,
    /// The urls in the order given.
    pub evidence: Vec<String>,
    /// The verdict's place among its claim's verdicts of the same second (`verdicts.seq`),
    /// written when it is not 0. An export of a store older than schema 3 has none: its
    /// verdicts of one second are then in the order they were recorded, the file's order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
}

/// How many records of each type an export holds (its last line).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub sources: u64,
    pub source_merges: u64,
    pub articles: u64,
    pub claims: u64,
    pub verdicts: u64,
    /// Version 2; a version 1 file has none.
    #[serde(default)]
    pub corrections: u64,
    /// Version 2; a version 1 file has none.
    #[serde(default)]
    pub article_changes: u64,
    /// Version 2; a version 1 file has none.
    #[serde(default)]
    pub source_changes: u64,
    /// Version 3; older files have none. Written only when there are some, so that a store
    /// without story changes exports the end record it did before.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub story_changes: u64,
    /// Version 4; older files have none. Written only when there are some, like
    /// `story_changes`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fact_checks: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Totals {
    /// Counts one record (the end record counts nothing).
    pub(super) fn count(&mut self, record: &Record) {
        match record {
            Record::Source(_) => self.sources += 1,
            Record::SourceMerge(_) => self.source_merges += 1,
            Record::Article(_) => self.articles += 1,
            Record::Claim(_) => self.claims += 1,
            Record::Verdict(_) => self.verdicts += 1,
            Record::Correction(_) => self.corrections += 1,
            Record::ArticleChange(_) => self.article_changes += 1,
            Record::SourceChange(_) => self.source_changes += 1,
            Record::StoryChange(_) => self.story_changes += 1,
            Record::FactCheck(_) => self.fact_checks += 1,
            Record::End(_) => {}
        }
    }
}

/// Why an export stopped: the store could not be read, or the output not written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export")]
    Write(#[source] io::Error),
}

/// What an export wrote, and what it could not read (a damaged database), one line each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    pub totals: Totals,
    /// Rows skipped or recovered because the database could not read them, the first
    /// [`KEPT_PROBLEMS`]; empty for a sound database.
    pub problems: Vec<String>,
    /// How many there were in all: a store damaged throughout may have one per row, which
    /// are counted, not held.
    pub problem_count: u64,
}

/// How many of an export's problems are kept in [`Exported::problems`].
pub const KEPT_PROBLEMS: usize = 1000;

impl Store {
    /// Writes the whole store to `out` in the export format, from one snapshot of the
    /// database, and returns what it wrote. `out` should be buffered: records are written
    /// one at a time. What a damaged database cannot give is skipped and listed in
    /// [`Exported::problems`]; any other failure ends the export.
    pub fn export(&self, out: &mut impl Write) -> Result<Exported, ExportError> {
        let sql = |e| ExportError::Store(self.sql(e));
        // One read transaction: every query below sees the same state of the database.
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let header = Header {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            schema: Some(super::SCHEMA_VERSION),
        };
        let mut x = Exporter {
            conn: &tx,
            w: RecordWriter {
                out,
                totals: Totals::default(),
            },
            problems: Vec::new(),
            problem_count: 0,
            sources: HashSet::new(),
            claims: HashSet::new(),
            extractor: None,
            claims_by_article: None,
            verdicts_by_claim: None,
        };
        x.w.line(&header)?;
        x.sources().map_err(|e| e.or_sql(self))?;
        x.articles().map_err(|e| e.or_sql(self))?;
        x.source_changes().map_err(|e| e.or_sql(self))?;
        x.story_changes().map_err(|e| e.or_sql(self))?;
        x.fact_checks().map_err(|e| e.or_sql(self))?;
        x.unexported().map_err(|e| e.or_sql(self))?;
        let totals = x.w.totals;
        x.w.line(&Record::End(totals))?;
        let (problems, problem_count) = (x.problems, x.problem_count);
        // A read transaction: ending it writes nothing, and SQLite may answer a damaged
        // database here too.
        match tx.commit() {
            Ok(()) => {}
            Err(e) if damaged(&e) => {}
            Err(e) => return Err(sql(e)),
        }
        Ok(Exported {
            totals,
            problems,
            problem_count,
        })
    }
}

/// An error of the export loops, before the store's path is attached to SQLite errors.
enum Failure {
    Sql(rusqlite::Error),
    Export(ExportError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Self {
        Failure::Export(e)
    }
}

impl Failure {
    fn or_sql(self, store: &Store) -> ExportError {
        match self {
            Failure::Sql(e) => ExportError::Store(store.sql(e)),
            Failure::Export(e) => e,
        }
    }

    /// The SQLite error of a damaged database, which skips what it hangs on.
    fn damage(&self) -> Option<String> {
        match self {
            Failure::Sql(e) if damaged(e) => Some(super::sqlite_message(e)),
            _ => None,
        }
    }
}

/// True for what a damaged database answers: SQLITE_CORRUPT, or a value its CHECK
/// constraints would never have let in (a page overwritten with something that parses).
fn damaged(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt)
        || matches!(
            e,
            rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)
        )
}

struct RecordWriter<'a, W: Write> {
    out: &'a mut W,
    totals: Totals,
}

impl<W: Write> RecordWriter<'_, W> {
    fn line(&mut self, value: &impl Serialize) -> Result<(), ExportError> {
        let line = serde_json::to_string(value).map_err(|e| ExportError::Write(e.into()))?;
        // The same value, with control and bidi characters as \u escapes: an export shown
        // on a terminal cannot drive it.
        let line = crate::terminal::json(&line);
        self.out
            .write_all(line.as_bytes())
            .map_err(ExportError::Write)?;
        self.out.write_all(b"\n").map_err(ExportError::Write)
    }

    fn record(&mut self, record: Record) -> Result<(), ExportError> {
        self.totals.count(&record);
        self.line(&record)
    }
}

struct Exporter<'a, 'w, W: Write> {
    conn: &'a Connection,
    w: RecordWriter<'w, W>,
    problems: Vec<String>,
    problem_count: u64,
    /// The sources written, which claims and merges may refer to.
    sources: HashSet<i64>,
    /// The claims written, which story changes may refer to.
    claims: HashSet<i64>,
    /// Made at the first claim to recover.
    extractor: Option<crate::extract::Extractor>,
    /// The claims of each article not yet exported, when the index of claims is damaged.
    claims_by_article: Option<HashMap<i64, Vec<(i64, String)>>>,
    /// The verdicts of each claim, when the index of verdicts is damaged.
    verdicts_by_claim: Option<HashMap<i64, Vec<i64>>>,
}

impl<W: Write> Exporter<'_, '_, W> {
    /// Records one thing the damage skipped or made recovered.
    fn problem(&mut self, line: String) {
        self.problem_count += 1;
        if self.problems.len() < KEPT_PROBLEMS {
            self.problems.push(line);
        }
    }

    /// Reads the rows of `table` (`NAME NOT INDEXED`: the table's own b-tree, sought by id)
    /// in id order with `select` (columns starting with `id`,
    /// `WHERE id > ?1 ORDER BY id`), giving each to `each`. What cannot be read is skipped
    /// and named: a row whose own content is damaged (an overflow page) alone; a damaged
    /// b-tree page with the rows on it, found by seeking past it (a seek lands on a damaged
    /// page only for the ids it holds, so the first id that can be sought is found by
    /// bisection). `each` failing with damage skips its row.
    fn scan(
        &mut self,
        table: &str,
        what: &str,
        select: &str,
        mut each: impl FnMut(&mut Self, &Row) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let conn = self.conn;
        let seek = format!("SELECT id FROM {table} WHERE id >= ?1 ORDER BY id LIMIT 1");
        let readable = |from: i64| -> Result<Option<Option<i64>>, Failure> {
            match conn
                .prepare_cached(&seek)?
                .query_row([from], |r| r.get::<_, i64>(0))
                .optional()
            {
                Ok(next) => Ok(Some(next)),
                Err(e) if damaged(&e) => Ok(None),
                Err(e) => Err(e.into()),
            }
        };
        let mut after = i64::MIN;
        'pages: loop {
            let mut stmt = conn.prepare_cached(select)?;
            let mut rows = stmt.query([after])?;
            loop {
                let row = match rows.next() {
                    Ok(Some(row)) => row,
                    Ok(None) => return Ok(()),
                    Err(e) if damaged(&e) => break,
                    Err(e) => return Err(e.into()),
                };
                let id: i64 = row.get(0)?;
                if let Err(e) = each(self, row) {
                    let Some(message) = e.damage() else {
                        return Err(e);
                    };
                    self.problem(format!("{what} {id} cannot be read ({message}); skipped"));
                }
                after = id;
            }
            drop(rows);
            drop(stmt);
            if after == i64::MAX {
                return Ok(());
            }
            // The next row after the last one read: on a readable page, its own content
            // is what failed; else the page is, and the first id past it is looked for.
            match readable(after + 1)? {
                Some(None) => return Ok(()),
                Some(Some(id)) => {
                    self.problem(format!(
                        "{what} {id} cannot be read (database disk image is malformed); skipped"
                    ));
                    after = id;
                    continue 'pages;
                }
                None => {}
            }
            let mut step: i64 = 1;
            let (mut bad, good) = loop {
                let probe = after.saturating_add(step.saturating_mul(2));
                if readable(probe)?.is_some() {
                    break (after.saturating_add(step), probe);
                }
                if probe == i64::MAX {
                    self.problem(format!(
                        "every {what} after id {after} is on a damaged page of the database; skipped"
                    ));
                    return Ok(());
                }
                step = step.saturating_mul(2);
            };
            let mut good = good;
            while good - bad > 1 {
                let mid = bad + (good - bad) / 2;
                if readable(mid)?.is_some() {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            let from = if after == i64::MIN {
                "up to".to_string()
            } else {
                format!("from {} to", after + 1)
            };
            self.problem(format!(
                "{what} ids {from} {bad} are on a damaged page of the database; skipped"
            ));
            after = bad;
        }
    }

    fn sources(&mut self) -> Result<(), Failure> {
        self.scan(
            "sources NOT INDEXED",
            "source",
            "SELECT id, name, kind, created_at FROM sources WHERE id > ?1 ORDER BY id",
            |x, r| {
                let id: i64 = r.get(0)?;
                let forms = |form: &str| -> rusqlite::Result<Vec<String>> {
                    x.conn
                        .prepare_cached(
                            "SELECT alias FROM source_aliases WHERE source_id = ?1 AND form = ?2
                             ORDER BY alias",
                        )?
                        .query_map(params![id, form], |r| r.get(0))?
                        .collect()
                };
                // Damaged aliases lose the aliases, not the source (and every claim whose
                // chain names it).
                let (aliases, roles) = match forms("name").and_then(|a| Ok((a, forms("role")?))) {
                    Ok(forms) => forms,
                    Err(e) if damaged(&e) => {
                        x.problem(format!(
                            "source {id}: its aliases and roles cannot be read ({}); exported \
                             without them",
                            super::sqlite_message(&e)
                        ));
                        (Vec::new(), Vec::new())
                    }
                    Err(e) => return Err(e.into()),
                };
                let record = SourceRecord {
                    id,
                    name: r.get(1)?,
                    kind: vocabulary(r, 2)?,
                    aliases,
                    roles,
                    created_at: r.get(3)?,
                };
                x.w.record(Record::Source(record))?;
                x.sources.insert(id);
                Ok(())
            },
        )?;
        // A table without rowids, small (one row per `alias`): read whole, or not at all.
        let merges = self
            .conn
            .prepare_cached("SELECT name, kind, source_id FROM source_merges ORDER BY name, kind")?
            .query_map([], |r| {
                Ok(SourceMergeRecord {
                    name: r.get(0)?,
                    kind: vocabulary(r, 1)?,
                    source: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>();
        let merges = match merges {
            Ok(merges) => merges,
            Err(e) if damaged(&e) => {
                self.problem(format!(
                    "the source merges cannot be read ({}); skipped",
                    super::sqlite_message(&e)
                ));
                Vec::new()
            }
            Err(e) => return Err(e.into()),
        };
        for merge in merges {
            if !self.sources.contains(&merge.source) {
                self.problem(format!(
                    "the merge of '{}' into source {}: that source cannot be read; skipped",
                    merge.name, merge.source
                ));
                continue;
            }
            self.w.record(Record::SourceMerge(merge))?;
        }
        Ok(())
    }

    fn articles(&mut self) -> Result<(), Failure> {
        self.scan(
            "articles NOT INDEXED",
            "article",
            "SELECT id, content_hash, title, outlet, publisher_id, url, published, language,
                 author, source_path, source_line, extractor_version, ingested_at,
                 extracted_at, text
             FROM articles WHERE id > ?1 ORDER BY id",
            |x, r| {
                let mut article = ArticleRecord {
                    id: r.get(0)?,
                    content_hash: r.get(1)?,
                    title: r.get(2)?,
                    outlet: r.get(3)?,
                    publisher: r.get(4)?,
                    url: r.get(5)?,
                    published: r.get(6)?,
                    language: r.get(7)?,
                    author: r.get(8)?,
                    source_path: r.get(9)?,
                    source_line: r.get(10)?,
                    extractor_version: r.get(11)?,
                    ingested_at: r.get(12)?,
                    extracted_at: r.get(13)?,
                    text: r.get(14)?,
                    text_hash: None,
                };
                let found = super::key::content_hash(&article.text);
                article.text_hash = (found != article.content_hash).then_some(found);
                if let Some(p) = article.publisher.filter(|p| !x.sources.contains(p)) {
                    x.problem(format!(
                        "article {}: its publisher, source {p}, cannot be read; exported \
                         without it (its outlet name is kept)",
                        article.id
                    ));
                    article.publisher = None;
                }
                x.article(article)
            },
        )
    }

    /// An article, then each of its claims with its verdicts.
    fn article(&mut self, article: ArticleRecord) -> Result<(), Failure> {
        let claims = self.claims_of(article.id)?;
        let mut recovery: Option<Recovery> = None;
        let article_id = article.id;
        self.w.record(Record::Article(article.clone()))?;
        self.article_changes(article_id)?;
        for (claim_id, key) in claims {
            let read = self
                .conn
                .prepare_cached(
                    "SELECT id, claim_key, position, text, sentence, sentence_start,
                         sentence_end, kind, certainty, hedges, cue, spans, orphaned,
                         created_at, updated_at
                     FROM claims WHERE id = ?1",
                )?
                .query_row([claim_id], |r| claim_record(r, article_id));
            let found = |x: &mut Self, recovery: &mut Option<Recovery>| {
                let r = recovery.get_or_insert_with(|| Recovery::of(x, &article));
                r.keys.iter().position(|k| *k == key)
            };
            let mut claim = match read {
                Ok(claim) => claim,
                Err(e) if damaged(&e) => match found(self, &mut recovery) {
                    Some(i) => {
                        self.problem(format!(
                            "claim {claim_id} (article {article_id}) cannot be read ({}); \
                             recovered from its article's text",
                            super::sqlite_message(&e)
                        ));
                        let c = &recovery.as_ref().expect("made above").claims[i];
                        ClaimRecord {
                            id: claim_id,
                            article: article_id,
                            claim_key: key.clone(),
                            position: i as i64,
                            text: c.text.clone(),
                            sentence: c.sentence.to_string(),
                            sentence_span: c.sentence_span,
                            kind: c.kind,
                            certainty: c.certainty,
                            hedges: c.hedges.clone(),
                            cue: c.cue.clone(),
                            spans: c.spans.clone(),
                            chain: Vec::new(),
                            orphaned: false,
                            created_at: article.extracted_at.clone(),
                            updated_at: article.extracted_at.clone(),
                            recovered: true,
                        }
                    }
                    None => {
                        let verdicts = self.verdict_ids(claim_id)?.len();
                        self.problem(format!(
                            "claim {claim_id} (article {article_id}) cannot be read ({}) nor \
                             recovered from its article's text; skipped with its {verdicts} \
                             verdict(s)",
                            super::sqlite_message(&e)
                        ));
                        continue;
                    }
                },
                Err(e) => return Err(e.into()),
            };
            // The stored chain; if its rows are damaged, the chain extraction gives the
            // claim, its names resolved to the store's sources as ingest resolved them.
            match chain(self.conn, claim_id) {
                Ok(chain) => claim.chain = chain,
                Err(e) if damaged(&e) => {
                    let links = match found(self, &mut recovery) {
                        Some(i) => {
                            let c = &recovery.as_ref().expect("made above").claims[i];
                            resolve_chain(self.conn, &c.chain)?
                        }
                        None => None,
                    };
                    let Some(links) = links else {
                        let verdicts = self.verdict_ids(claim_id)?.len();
                        self.problem(format!(
                            "claim {claim_id} (article {article_id}): its chain cannot be read \
                             ({}) nor recovered from its article's text; skipped with its \
                             {verdicts} verdict(s)",
                            super::sqlite_message(&e)
                        ));
                        continue;
                    };
                    if !claim.recovered {
                        self.problem(format!(
                            "claim {claim_id} (article {article_id}): its chain cannot be read \
                             ({}); recovered from its article's text",
                            super::sqlite_message(&e)
                        ));
                    }
                    claim.chain = links;
                    claim.recovered = true;
                }
                Err(e) => return Err(e.into()),
            }
            if let Some(link) = claim.chain.iter().find(|l| {
                !self.sources.contains(&l.source)
                    || l.recipient.is_some_and(|r| !self.sources.contains(&r))
            }) {
                let verdicts = self.verdict_ids(claim_id)?.len();
                self.problem(format!(
                    "claim {claim_id}: a source of its chain ({}) cannot be read; skipped \
                     with its {verdicts} verdict(s)",
                    link.source
                ));
                continue;
            }
            self.w.record(Record::Claim(claim))?;
            self.claims.insert(claim_id);
            self.verdicts(claim_id)?;
            self.corrections(claim_id)?;
        }
        Ok(())
    }

    /// The ids and keys of an article's claims, from the index of their keys, which holds
    /// them apart from the rows themselves; if that index is damaged, from the claims table
    /// read once whole (what of it can be read).
    fn claims_of(&mut self, article_id: i64) -> Result<Vec<(i64, String)>, Failure> {
        if self.claims_by_article.is_none() {
            let listed = self
                .conn
                .prepare_cached(
                    "SELECT id, claim_key FROM claims INDEXED BY sqlite_autoindex_claims_1
                     WHERE article_id = ?1 ORDER BY id",
                )?
                .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>();
            match listed {
                Ok(claims) => return Ok(claims),
                Err(e) if damaged(&e) => {
                    self.problem(format!(
                        "the index of claims cannot be read ({}); the claims table is read \
                         instead",
                        super::sqlite_message(&e)
                    ));
                    let mut map: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
                    self.scan(
                        "claims NOT INDEXED",
                        "claim",
                        "SELECT id, article_id, claim_key FROM claims NOT INDEXED
                         WHERE id > ?1 ORDER BY id",
                        |_, r| {
                            map.entry(r.get(1)?)
                                .or_default()
                                .push((r.get(0)?, r.get(2)?));
                            Ok(())
                        },
                    )?;
                    self.claims_by_article = Some(map);
                }
                Err(e) => return Err(e.into()),
            }
        }
        let map = self.claims_by_article.as_mut().expect("built above");
        Ok(map.remove(&article_id).unwrap_or_default())
    }

    /// The ids of a claim's verdicts, from their index alone; if that index is damaged,
    /// from the verdicts table read once whole (what of it can be read): the verdicts are
    /// found whatever page of claims, articles or their indexes is lost.
    fn verdict_ids(&mut self, claim_id: i64) -> Result<Vec<i64>, Failure> {
        if self.verdicts_by_claim.is_none() {
            match self.listed_verdict_ids(claim_id) {
                Ok(ids) => return Ok(ids),
                Err(e) if damaged(&e) => {
                    self.problem(format!(
                        "the index of verdicts cannot be read ({}); the verdicts table is read \
                         instead",
                        super::sqlite_message(&e)
                    ));
                    self.read_verdicts_table()?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let map = self.verdicts_by_claim.as_ref().expect("built above");
        Ok(map.get(&claim_id).cloned().unwrap_or_default())
    }

    fn listed_verdict_ids(&self, claim_id: i64) -> rusqlite::Result<Vec<i64>> {
        self.conn
            .prepare_cached(
                "SELECT id FROM verdicts INDEXED BY verdicts_by_claim WHERE claim_id = ?1
                 ORDER BY id",
            )?
            .query_map([claim_id], |r| r.get(0))?
            .collect()
    }

    /// Every verdict's id by its claim, from the verdicts table itself.
    fn read_verdicts_table(&mut self) -> Result<(), Failure> {
        let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
        self.scan(
            "verdicts NOT INDEXED",
            "verdict",
            "SELECT id, claim_id FROM verdicts NOT INDEXED WHERE id > ?1 ORDER BY id",
            |_, r| {
                map.entry(r.get(1)?).or_default().push(r.get(0)?);
                Ok(())
            },
        )?;
        self.verdicts_by_claim = Some(map);
        Ok(())
    }

    fn verdicts(&mut self, claim_id: i64) -> Result<(), Failure> {
        let ids = self.verdict_ids(claim_id)?;
        for id in ids {
            let read = self
                .conn
                .prepare_cached(
                    "SELECT id, status, note, reviewer, created_at, seq FROM verdicts
                     WHERE id = ?1",
                )?
                .query_row([id], |r| {
                    Ok(VerdictRecord {
                        id,
                        claim: claim_id,
                        status: vocabulary(r, 1)?,
                        note: r.get(2)?,
                        reviewer: r.get(3)?,
                        created_at: r.get(4)?,
                        evidence: Vec::new(),
                        seq: Some(r.get::<_, i64>(5)?).filter(|&n| n != 0),
                    })
                });
            let mut record = match read {
                Ok(record) => record,
                Err(e) if damaged(&e) => {
                    self.problem(format!(
                        "verdict {id} (claim {claim_id}) cannot be read ({}); skipped",
                        super::sqlite_message(&e)
                    ));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let evidence = self
                .conn
                .prepare_cached(
                    "SELECT url FROM verdict_evidence WHERE verdict_id = ?1 ORDER BY position",
                )?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>();
            match evidence {
                Ok(evidence) => record.evidence = evidence,
                Err(e) if damaged(&e) => self.problem(format!(
                    "verdict {id} (claim {claim_id}): its evidence cannot be read ({}); \
                     exported without it",
                    super::sqlite_message(&e)
                )),
                Err(e) => return Err(e.into()),
            }
            self.w.record(Record::Verdict(record))?;
        }
        Ok(())
    }

    /// Writes the records a query read, in order; when damage kept them from being read,
    /// says so (`what` cannot be read) and exports without them.
    fn write_or_report(
        &mut self,
        read: rusqlite::Result<Vec<Record>>,
        what: impl FnOnce() -> String,
    ) -> Result<(), Failure> {
        match read {
            Ok(records) => {
                for record in records {
                    self.w.record(record)?;
                }
            }
            Err(e) if damaged(&e) => self.problem(format!(
                "{} cannot be read ({}); exported without them",
                what(),
                super::sqlite_message(&e)
            )),
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Every split and join of a story, in id order (the order they apply in); one naming a
    /// claim the damage kept out of the file is left out too, and said.
    fn story_changes(&mut self) -> Result<(), Failure> {
        let read = self
            .conn
            .prepare_cached(
                "SELECT id, claim_id, action, other_id, reviewer, created_at FROM story_changes
                 ORDER BY id",
            )?
            .query_map([], |r| {
                Ok(StoryChangeRecord {
                    id: r.get(0)?,
                    claim: r.get(1)?,
                    action: r.get(2)?,
                    other: r.get(3)?,
                    reviewer: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>();
        let (kept, lost): (Vec<_>, Vec<_>) = match read {
            Ok(changes) => changes.into_iter().partition(|c| {
                self.claims.contains(&c.claim) && c.other.is_none_or(|o| self.claims.contains(&o))
            }),
            Err(e) => return self.write_or_report(Err(e), || "the changes of stories".into()),
        };
        for c in lost {
            self.problem(format!(
                "story change {}: names a claim that cannot be read; left out",
                c.id
            ));
        }
        self.write_or_report(
            Ok(kept.into_iter().map(Record::StoryChange).collect()),
            || "the changes of stories".into(),
        )
    }

    /// Every outside fact-check, in id order (the order they were imported in).
    fn fact_checks(&mut self) -> Result<(), Failure> {
        let read = self
            .conn
            .prepare_cached(
                "SELECT id, claim_reviewed, item_text, rating, reviewer, url, published, claimant,
                     origin, imported_at
                 FROM fact_checks ORDER BY id",
            )?
            .query_map([], |r| {
                Ok(Record::FactCheck(FactCheckRecord {
                    id: r.get(0)?,
                    claim_reviewed: r.get(1)?,
                    item_text: r.get(2)?,
                    rating: r.get(3)?,
                    reviewer: r.get(4)?,
                    url: r.get(5)?,
                    published: r.get(6)?,
                    claimant: r.get(7)?,
                    origin: r.get(8)?,
                    imported_at: r.get(9)?,
                }))
            })?
            .collect::<rusqlite::Result<Vec<_>>>();
        self.write_or_report(read, || "the outside fact-checks".into())
    }

    /// Every change of a source, in id order (the order they were made in).
    fn source_changes(&mut self) -> Result<(), Failure> {
        let read = self
            .conn
            .prepare_cached(
                "SELECT id, action, name, details, created_at FROM source_changes ORDER BY id",
            )?
            .query_map([], |r| {
                Ok(SourceChangeRecord {
                    id: r.get(0)?,
                    action: r.get(1)?,
                    name: r.get(2)?,
                    details: json(r, 3)?,
                    created_at: r.get(4)?,
                })
            })?
            .map(|r| r.map(Record::SourceChange))
            .collect::<rusqlite::Result<Vec<_>>>();
        self.write_or_report(read, || "the changes of sources".to_string())
    }

    /// An article's changes, oldest first.
    fn article_changes(&mut self, article_id: i64) -> Result<(), Failure> {
        let read = self
            .conn
            .prepare_cached(
                "SELECT id, changes, note, reviewer, created_at, seq FROM article_changes
                 WHERE article_id = ?1 ORDER BY julianday(created_at), seq, id",
            )?
            .query_map([article_id], |r| {
                Ok(ArticleChangeRecord {
                    id: r.get(0)?,
                    article: article_id,
                    changes: json(r, 1)?,
                    note: r.get(2)?,
                    reviewer: r.get(3)?,
                    created_at: r.get(4)?,
                    seq: Some(r.get::<_, i64>(5)?).filter(|&n| n != 0),
                })
            })?
            .map(|r| r.map(Record::ArticleChange))
            .collect::<rusqlite::Result<Vec<_>>>();
        self.write_or_report(read, || format!("article {article_id}: its changes"))
    }

    /// A claim's corrections, oldest first (the order they apply in).
    fn corrections(&mut self, claim_id: i64) -> Result<(), Failure> {
        let read = self
            .conn
            .prepare_cached(
                "SELECT id, changes, note, reviewer, created_at, seq FROM claim_corrections
                 WHERE claim_id = ?1 ORDER BY julianday(created_at), seq, id",
            )?
            .query_map([claim_id], |r| {
                Ok(CorrectionRecord {
                    id: r.get(0)?,
                    claim: claim_id,
                    changes: json(r, 1)?,
                    note: r.get(2)?,
                    reviewer: r.get(3)?,
                    created_at: r.get(4)?,
                    seq: Some(r.get::<_, i64>(5)?).filter(|&n| n != 0),
                })
            })?
            .map(|r| r.map(Record::Correction))
            .collect::<rusqlite::Result<Vec<_>>>();
        self.write_or_report(read, || format!("claim {claim_id}: its corrections"))
    }

    /// Says how many verdicts of the store the export does not hold, when the damage hid
    /// some (their claim or article could not be read).
    fn unexported(&mut self) -> Result<(), Failure> {
        if self.problem_count == 0 {
            return Ok(());
        }
        let counted = self
            .conn
            .query_row("SELECT count(*) FROM verdicts", [], |r| r.get::<_, i64>(0));
        let stored = match counted {
            Ok(n) => n as u64,
            Err(e) if damaged(&e) => {
                if self.verdicts_by_claim.is_none() {
                    self.read_verdicts_table()?;
                }
                let map = self.verdicts_by_claim.as_ref().expect("built above");
                map.values().map(|ids| ids.len() as u64).sum()
            }
            Err(e) => return Err(e.into()),
        };
        if stored > self.w.totals.verdicts {
            self.problem(format!(
                "{} of the store's {stored} verdicts (as far as they can be counted) are not in \
                 the export",
                stored - self.w.totals.verdicts
            ));
        }
        Ok(())
    }
}

/// An article's claims extracted again from its text, with their keys: where a claim whose
/// row or chain cannot be read is found again.
struct Recovery {
    claims: Vec<crate::model::Claim>,
    keys: Vec<String>,
}

impl Recovery {
    fn of<W: Write>(x: &mut Exporter<W>, article: &ArticleRecord) -> Recovery {
        let extractor = x
            .extractor
            .get_or_insert_with(crate::extract::Extractor::new);
        let claims = extractor.extract(&article.text, &meta(article)).claims;
        let keys = super::key::claim_keys(&claims);
        Recovery { claims, keys }
    }
}

/// The links of an extracted chain with their names resolved to the store's sources as
/// ingest resolved them (a name merged by `alias` to the source it went to); `None` when a
/// name is not in the store, or a recipient's name (which a chain gives without a kind) is
/// not one source's.
fn resolve_chain(
    conn: &Connection,
    links: &[crate::model::Link],
) -> rusqlite::Result<Option<Vec<LinkRecord>>> {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let by_kind = |name: &str, kind: &str| -> rusqlite::Result<Option<i64>> {
        let merged = conn
            .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 AND kind = ?2")?
            .query_row(params![name, kind], |r| r.get(0))
            .optional()?;
        match merged {
            Some(id) => Ok(Some(id)),
            None => conn
                .prepare_cached("SELECT id FROM sources WHERE name = ?1 AND kind = ?2")?
                .query_row(params![name, kind], |r| r.get(0))
                .optional(),
        }
    };
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        let Some(source) = by_kind(&clean(&link.name), link.kind.as_str())? else {
            return Ok(None);
        };
        let recipient = match link.recipient.as_deref().map(clean) {
            Some(name) if !name.is_empty() => {
                let ids: Vec<i64> = conn
                    .prepare_cached(
                        "SELECT source_id FROM source_merges WHERE name = ?1
                         UNION SELECT id FROM sources WHERE name = ?1",
                    )?
                    .query_map([&name], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                match ids[..] {
                    [id] => Some(id),
                    _ => return Ok(None),
                }
            }
            _ => None,
        };
        out.push(LinkRecord {
            source,
            role: link.role,
            cue: link.cue.clone(),
            recipient,
            mention: link.span,
        });
    }
    Ok(Some(out))
}

/// The metadata an article was extracted with, as its record holds it.
fn meta(a: &ArticleRecord) -> crate::model::ArticleMeta {
    crate::model::ArticleMeta {
        title: a.title.clone(),
        outlet: a.outlet.clone(),
        published: a
            .published
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        url: a.url.clone(),
        author: a.author.clone(),
        language: a.language.clone(),
    }
}

fn span(start: i64, end: i64) -> Span {
    Span::new(start as usize, end.max(start) as usize)
}

/// A claim's stored chain.
fn chain(conn: &Connection, claim_id: i64) -> rusqlite::Result<Vec<LinkRecord>> {
    conn.prepare_cached(
        "SELECT source_id, role, cue, recipient_id, mention_start, mention_end
         FROM claim_links WHERE claim_id = ?1 ORDER BY position",
    )?
    .query_map([claim_id], |r| {
        let start: Option<i64> = r.get(4)?;
        let end: Option<i64> = r.get(5)?;
        Ok(LinkRecord {
            source: r.get(0)?,
            role: vocabulary(r, 1)?,
            cue: r.get(2)?,
            recipient: r.get(3)?,
            mention: start.zip(end).map(|(s, e)| span(s, e)),
        })
    })?
    .collect()
}

fn claim_record(r: &Row, article_id: i64) -> rusqlite::Result<ClaimRecord> {
    let id: i64 = r.get(0)?;
    Ok(ClaimRecord {
        id,
        article: article_id,
        claim_key: r.get(1)?,
        position: r.get(2)?,
        text: r.get(3)?,
        sentence: r.get(4)?,
        sentence_span: span(r.get(5)?, r.get(6)?),
        kind: vocabulary(r, 7)?,
        certainty: vocabulary(r, 8)?,
        hedges: json(r, 9)?,
        cue: r.get(10)?,
        spans: json(r, 11)?,
        chain: Vec::new(),
        orphaned: r.get::<_, i64>(12)? != 0,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        recovered: false,
    })
}
