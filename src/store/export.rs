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
//! {"type":"end","sources":11,"source_merges":1,"articles":14,"claims":156,"verdicts":4}
//! ```
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

use super::read::{json, vocabulary};
use super::{Store, StoreError};
use crate::model::{Certainty, ClaimKind, ClaimSpans, Role, SourceKind, Span, Status};
use rusqlite::{Connection, Row, params};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The name in the header of an export.
pub const EXPORT_FORMAT: &str = "claimtrail-export";
/// The version of the export format this program writes and the newest it reads.
pub const EXPORT_VERSION: u32 = 1;

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
    End(Totals),
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

impl Store {
    /// Writes the whole store to `out` in the export format, from one snapshot of the
    /// database, and returns what it wrote. `out` should be buffered: records are written
    /// one at a time.
    pub fn export(&self, out: &mut impl Write) -> Result<Totals, ExportError> {
        let sql = |e| ExportError::Store(self.sql(e));
        // One read transaction: every query below sees the same state of the database.
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let mut writer = RecordWriter {
            out,
            totals: Totals::default(),
        };
        let header = Header {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            schema: Some(super::SCHEMA_VERSION),
        };
        writer.line(&header)?;
        export_sources(&tx, &mut writer).map_err(|e| e.or_sql(self))?;
        export_articles(&tx, &mut writer).map_err(|e| e.or_sql(self))?;
        let totals = writer.totals;
        writer.line(&Record::End(totals))?;
        tx.commit().map_err(sql)?;
        Ok(totals)
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

fn export_sources<W: Write>(conn: &Connection, w: &mut RecordWriter<W>) -> Result<(), Failure> {
    let mut sources = conn.prepare("SELECT id, name, kind, created_at FROM sources ORDER BY id")?;
    let mut aliases = conn.prepare(
        "SELECT alias FROM source_aliases WHERE source_id = ?1 AND form = ?2 ORDER BY alias",
    )?;
    let mut rows = sources.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let mut forms = |form: &str| -> rusqlite::Result<Vec<String>> {
            aliases
                .query_map(params![id, form], |r| r.get(0))?
                .collect()
        };
        let record = SourceRecord {
            id,
            name: r.get(1)?,
            kind: vocabulary(r, 2)?,
            aliases: forms("name")?,
            roles: forms("role")?,
            created_at: r.get(3)?,
        };
        w.record(Record::Source(record))?;
    }
    let mut merges =
        conn.prepare("SELECT name, kind, source_id FROM source_merges ORDER BY name, kind")?;
    let mut rows = merges.query([])?;
    while let Some(r) = rows.next()? {
        let record = SourceMergeRecord {
            name: r.get(0)?,
            kind: vocabulary(r, 1)?,
            source: r.get(2)?,
        };
        w.record(Record::SourceMerge(record))?;
    }
    Ok(())
}

fn export_articles<W: Write>(conn: &Connection, w: &mut RecordWriter<W>) -> Result<(), Failure> {
    let mut articles = conn.prepare(
        "SELECT id, content_hash, title, outlet, publisher_id, url, published, language, author,
             source_path, source_line, extractor_version, ingested_at, extracted_at, text
         FROM articles ORDER BY id",
    )?;
    let mut claims = conn.prepare(
        "SELECT id, claim_key, position, text, sentence, sentence_start, sentence_end, kind,
             certainty, hedges, cue, spans, orphaned, created_at, updated_at
         FROM claims WHERE article_id = ?1 ORDER BY id",
    )?;
    let mut rows = articles.query([])?;
    while let Some(r) = rows.next()? {
        let article = ArticleRecord {
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
        let article = ArticleRecord {
            text_hash: (found != article.content_hash).then_some(found),
            ..article
        };
        let article_id = article.id;
        w.record(Record::Article(article))?;
        let mut claim_rows = claims.query([article_id])?;
        while let Some(r) = claim_rows.next()? {
            let claim = claim_record(conn, r, article_id)?;
            let claim_id = claim.id;
            w.record(Record::Claim(claim))?;
            export_verdicts(conn, w, claim_id)?;
        }
    }
    Ok(())
}

fn claim_record(conn: &Connection, r: &Row, article_id: i64) -> rusqlite::Result<ClaimRecord> {
    let id: i64 = r.get(0)?;
    let span = |start: i64, end: i64| Span::new(start as usize, end.max(start) as usize);
    let chain = conn
        .prepare_cached(
            "SELECT source_id, role, cue, recipient_id, mention_start, mention_end
             FROM claim_links WHERE claim_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
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
        .collect::<rusqlite::Result<_>>()?;
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
        chain,
        orphaned: r.get::<_, i64>(12)? != 0,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

fn export_verdicts<W: Write>(
    conn: &Connection,
    w: &mut RecordWriter<W>,
    claim_id: i64,
) -> Result<(), Failure> {
    let mut verdicts = conn.prepare_cached(
        "SELECT id, status, note, reviewer, created_at, seq FROM verdicts
         WHERE claim_id = ?1 ORDER BY id",
    )?;
    let mut rows = verdicts.query([claim_id])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let evidence = conn
            .prepare_cached(
                "SELECT url FROM verdict_evidence WHERE verdict_id = ?1 ORDER BY position",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let record = VerdictRecord {
            id,
            claim: claim_id,
            status: vocabulary(r, 1)?,
            note: r.get(2)?,
            reviewer: r.get(3)?,
            created_at: r.get(4)?,
            evidence,
            seq: Some(r.get::<_, i64>(5)?).filter(|&n| n != 0),
        };
        w.record(Record::Verdict(record))?;
    }
    Ok(())
}
