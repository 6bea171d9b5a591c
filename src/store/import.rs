//! [`Store::import`]: an export (see `export.rs`) read line by line into the store, in one
//! transaction, merging with what the store already holds.
//!
//! Records are matched by what identifies them, never by their ids in the file:
//! - a source by its name (any case) and kind; a name the store has merged into another
//!   source (`claimtrail alias`) is that source, as it is for ingest. Aliases and roles are
//!   added to it;
//! - a source merge by its name and kind: the store's own merges, and its live sources of
//!   that name and kind, are kept as they are;
//! - an article by its content hash (the stored article, its metadata and its claims are
//!   kept as they are);
//! - a claim by its article and its stable key (the stored claim and its chain are kept);
//! - a verdict by its claim, status, note, reviewer, time and evidence: a verdict the claim's
//!   history already holds is not added again (two identical verdicts in the file and one
//!   in the store add one). Verdicts are append-only, and a claim's status is its latest
//!   verdict by time (see `verdicts.rs`), whichever store recorded it: the file's ids decide
//!   nothing but which record refers to which.
//!
//! What is not found is inserted. Into an empty store, every row keeps its id from the file
//! (so `show 17` shows the same claim, and exporting again gives the same bytes); into a
//! store that holds anything, new rows get new ids and the file's references are remapped.
//! The claims inserted, and those given a verdict, are stamped with one new generation, so
//! the search index catches up with them; importing what the store already holds changes
//! nothing at all, not even the generation.
//!
//! Any bad line (not JSON, an unknown record, a reference to a record not defined before it,
//! an evidence url `verify` would refuse) stops the import with an error naming the file and
//! line, and nothing is written: the transaction is dropped uncommitted. An article whose
//! text is not its content hash's (an export of a damaged store) is not a bad line: it is
//! imported as found, with the claims and verdicts hanging on it, and named in the report.

use super::export::{
    ArticleChangeRecord, ArticleRecord, ClaimRecord, CorrectionRecord, EXPORT_FORMAT,
    EXPORT_VERSION, FactCheckRecord, Header, Record, SourceChangeRecord, SourceMergeRecord,
    SourceRecord, StoryChangeRecord, Totals, VerdictRecord,
};
use super::key::content_hash;
use super::{INSERT_LINK, LazyGeneration, Store, StoreError};
use crate::model::Status;
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

/// What one import did, per record type: rows inserted and records found already stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The store was empty, so every row kept its id from the file.
    pub ids_kept: bool,
    pub sources: Tally,
    pub source_merges: Tally,
    pub articles: Tally,
    pub claims: Tally,
    pub verdicts: Tally,
    pub corrections: Tally,
    pub article_changes: Tally,
    /// Changes of sources: `new` kept (into an empty store, where every id is the file's),
    /// `existing` left out (their ids are another store's: a merge imported so cannot be
    /// undone by `unalias`).
    pub source_changes: Tally,
    /// Splits and joins of stories: `new` added, `existing` already held (same claims,
    /// action, reviewer and time).
    pub story_changes: Tally,
    /// Outside fact-checks: `new` added, `existing` already held (same claim reviewed and
    /// url, as `import-reviews` tells them apart).
    pub fact_checks: Tally,
    /// Articles whose text does not match their content hash, imported as found, one line
    /// each naming the line of the file and the article.
    pub damaged: Vec<String>,
}

/// Records of one type: inserted, and matched to what the store already held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub new: u64,
    pub existing: u64,
}

impl Store {
    /// Imports the export read from `input` (`path` names it in messages) in one transaction.
    pub fn import(&mut self, input: impl BufRead, path: &Path) -> Result<ImportReport, StoreError> {
        // IMMEDIATE: a concurrent writer waits (or this one does) before anything is read.
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let empty: bool = tx
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM sources) AND NOT EXISTS (SELECT 1 FROM articles)
                     AND NOT EXISTS (SELECT 1 FROM source_merges)",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let mut importer = Importer {
            tx: &tx,
            keep_ids: empty,
            generation: LazyGeneration::default(),
            sources: HashMap::new(),
            articles: HashMap::new(),
            claims: HashMap::new(),
            verdict_ids: HashSet::new(),
            correction_ids: HashSet::new(),
            article_change_ids: HashSet::new(),
            history: HashMap::new(),
            seq_from_order: false,
            seen_in_second: HashMap::new(),
            line: 0,
            read: Totals::default(),
            report: ImportReport {
                ids_kept: empty,
                ..ImportReport::default()
            },
        };
        let bad = |line: u64, message: String| StoreError::BadImport {
            path: path.to_path_buf(),
            line,
            message,
        };
        let fail = |line: u64, e: Failure| match e {
            Failure::Bad(message) => bad(line, message),
            Failure::Sql(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                bad(
                    line,
                    format!(
                        "the record breaks a rule of the store ({})",
                        super::sqlite_message(&e)
                    ),
                )
            }
            Failure::Sql(e) => sql(e),
        };

        let mut lines = Lines { input, number: 0 };
        let mut buf = String::new();
        match lines.next(&mut buf).map_err(|m| bad(1, m))? {
            None => return Err(bad(1, "empty file, not a claimtrail export".into())),
            Some(line) => {
                let header = check_header(line).map_err(|m| bad(1, m))?;
                // Before schema 3 a store had no `seq`: its verdicts of one second were in
                // id order, the order of the file.
                importer.seq_from_order = header.schema.is_none_or(|v| v < 3);
            }
        }
        let mut ended = false;
        loop {
            let line = lines.next(&mut buf).map_err(|m| bad(lines.number, m))?;
            let number = lines.number;
            let Some(line) = line else { break };
            if ended {
                return Err(bad(number, "a line after the end record".into()));
            }
            let record = parse_record(line).map_err(|m| bad(number, m))?;
            if let Record::End(totals) = record {
                if totals != importer.read {
                    return Err(bad(
                        number,
                        format!(
                            "the end record counts {} but the file holds {} (records lost?)",
                            describe(&totals),
                            describe(&importer.read)
                        ),
                    ));
                }
                ended = true;
                continue;
            }
            importer.read.count(&record);
            importer.line = number;
            importer.record(record).map_err(|e| fail(number, e))?;
        }
        if !ended {
            return Err(bad(
                lines.number - 1,
                "the file ends before its end record: it is truncated".into(),
            ));
        }
        let report = importer.report;
        tx.commit().map_err(sql)?;
        Ok(report)
    }
}

/// "11 sources, 1 source merges, ..." for messages.
fn describe(t: &Totals) -> String {
    format!(
        "{} sources, {} source merges, {} articles, {} claims, {} verdicts",
        t.sources, t.source_merges, t.articles, t.claims, t.verdicts
    )
}

/// The input, one line at a time.
struct Lines<R> {
    input: R,
    /// The number of the line last read (1-based).
    number: u64,
}

impl<R: BufRead> Lines<R> {
    /// The next line, without its line end, read into `buf`; `None` at the end.
    fn next<'b>(&mut self, buf: &'b mut String) -> Result<Option<&'b str>, String> {
        buf.clear();
        self.number += 1;
        match self.input.read_line(buf) {
            Ok(0) => Ok(None),
            Ok(_) => {
                let line: &'b str = buf;
                let line = line.strip_suffix('\n').unwrap_or(line);
                Ok(Some(line.strip_suffix('\r').unwrap_or(line)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                Err("not valid UTF-8 text".into())
            }
            Err(e) => Err(format!("cannot read: {e}")),
        }
    }
}

fn check_header(line: &str) -> Result<Header, String> {
    let not_ours = || "not a claimtrail export (its first line is no export header)".to_string();
    let value: serde_json::Value = serde_json::from_str(line).map_err(|_| not_ours())?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(EXPORT_FORMAT) {
        return Err(match format {
            Some(other) => format!("not a claimtrail export (format '{other}')"),
            None => not_ours(),
        });
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| format!("an export header that cannot be read ({e})"))?;
    if header.version > EXPORT_VERSION {
        return Err(format!(
            "written by a newer claimtrail (export format version {}; this one reads up to \
             version {EXPORT_VERSION}); upgrade claimtrail to import it",
            header.version
        ));
    }
    if header.version == 0 {
        return Err("export format version 0 does not exist".into());
    }
    Ok(header)
}

fn parse_record(line: &str) -> Result<Record, String> {
    if line.trim().is_empty() {
        return Err("an empty line, not a record".into());
    }
    serde_json::from_str(line).map_err(|e| {
        use serde_json::error::Category;
        // serde_json says where on the line; the line is named by the caller.
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) if e.line() > 0 => format!("{} (column {})", &message[..i], e.column()),
            _ => message,
        };
        match e.classify() {
            Category::Eof => format!("the line ends inside a record: it is truncated ({message})"),
            Category::Syntax => format!("not JSON ({message})"),
            Category::Data | Category::Io => format!("not a valid record ({message})"),
        }
    })
}

/// Why a record could not be imported: bad input, or SQLite refusing it (a constraint: bad
/// input too) or failing.
enum Failure {
    Bad(String),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

/// What identifies a verdict in its claim's history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct VerdictKey {
    status: Status,
    note: Option<String>,
    reviewer: Option<String>,
    created_at: String,
    evidence: Vec<String>,
}

struct Importer<'a> {
    tx: &'a Transaction<'a>,
    /// The store was empty: rows keep their ids from the file.
    keep_ids: bool,
    /// The generation this import stamps the claims it changes with; taken at the first
    /// change, so an import that changes nothing leaves the generation alone.
    generation: LazyGeneration,
    /// Ids in the file → ids in the store.
    sources: HashMap<i64, i64>,
    articles: HashMap<i64, i64>,
    claims: HashMap<i64, i64>,
    /// The verdict ids of the file seen so far (each must be new).
    verdict_ids: HashSet<i64>,
    /// The correction ids of the file seen so far.
    correction_ids: HashSet<i64>,
    /// The article change ids of the file seen so far.
    article_change_ids: HashSet<i64>,
    /// The store's verdicts of each claim (by store id) the file gives verdicts for, as they
    /// were before this import, not yet matched by a verdict of the file.
    history: HashMap<i64, HashMap<VerdictKey, usize>>,
    /// The file predates `seq` (schema < 3): a verdict's place within its second is its
    /// place in the file.
    seq_from_order: bool,
    /// Verdicts of the file seen so far per (claim in the file, time), for `seq_from_order`.
    seen_in_second: HashMap<(i64, String), i64>,
    /// The line being imported, for the warnings of the report.
    line: u64,
    /// Records read, by type, to compare with the end record.
    read: Totals,
    report: ImportReport,
}

impl Importer<'_> {
    fn generation(&mut self) -> rusqlite::Result<i64> {
        self.generation.get(self.tx)
    }

    /// The id a new row is inserted with: the file's in an empty store, else SQLite's next.
    fn new_id(&self, file_id: i64) -> Option<i64> {
        self.keep_ids.then_some(file_id)
    }

    fn record(&mut self, record: Record) -> Result<(), Failure> {
        match record {
            Record::Source(r) => self.source(r),
            Record::SourceMerge(r) => self.source_merge(r),
            Record::Article(r) => self.article(r),
            Record::Claim(r) => self.claim(r),
            Record::Verdict(r) => self.verdict(r),
            Record::Correction(r) => self.correction(r),
            Record::ArticleChange(r) => self.article_change(r),
            Record::SourceChange(r) => self.source_change(r),
            Record::StoryChange(r) => self.story_change(r),
            Record::FactCheck(r) => self.fact_check(r),
            Record::End(_) => Ok(()),
        }
    }

    fn source(&mut self, r: SourceRecord) -> Result<(), Failure> {
        if self.sources.contains_key(&r.id) {
            return Err(duplicate("source", r.id));
        }
        let kind = r.kind.as_str();
        let merged: Option<i64> = self
            .tx
            .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 AND kind = ?2")?
            .query_row(params![r.name, kind], |row| row.get(0))
            .optional()?;
        let stored = match merged {
            Some(id) => Some(id),
            None => self
                .tx
                .prepare_cached("SELECT id FROM sources WHERE name = ?1 AND kind = ?2")?
                .query_row(params![r.name, kind], |row| row.get(0))
                .optional()?,
        };
        let id = match stored {
            Some(id) => {
                self.report.sources.existing += 1;
                id
            }
            None => {
                check_time("created_at", &r.created_at)?;
                self.report.sources.new += 1;
                self.tx
                    .prepare_cached(
                        "INSERT INTO sources (id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)
                         RETURNING id",
                    )?
                    .query_row(
                        params![self.new_id(r.id), r.name, kind, r.created_at],
                        |row| row.get(0),
                    )?
            }
        };
        let forms = r.aliases.iter().map(|a| (a, "name"));
        for (alias, form) in forms.chain(r.roles.iter().map(|a| (a, "role"))) {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO source_aliases (source_id, alias, form)
                     VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, alias, form])?;
        }
        self.sources.insert(r.id, id);
        Ok(())
    }

    fn source_merge(&mut self, r: SourceMergeRecord) -> Result<(), Failure> {
        let source = reference(&self.sources, "source", r.source)?;
        let kind = r.kind.as_str();
        let live: bool = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sources WHERE name = ?1 AND kind = ?2)")?
            .query_row(params![r.name, kind], |row| row.get(0))?;
        let added = if live {
            0
        } else {
            self.tx
                .prepare_cached(
                    "INSERT INTO source_merges (name, kind, source_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT (name, kind) DO NOTHING",
                )?
                .execute(params![r.name, kind, source])?
        };
        if added == 1 {
            self.report.source_merges.new += 1;
        } else {
            self.report.source_merges.existing += 1;
        }
        Ok(())
    }

    fn article(&mut self, r: ArticleRecord) -> Result<(), Failure> {
        if self.articles.contains_key(&r.id) {
            return Err(duplicate("article", r.id));
        }
        // References are checked whether or not the article is new, so that a file is
        // refused or accepted alike by every store.
        let publisher = r
            .publisher
            .map(|p| reference(&self.sources, "source", p))
            .transpose()?;
        // A text that is not its hash's: the exported store was damaged (the export says
        // so with `text_hash`), or the file was. The article is restored as found, so that
        // its claims and their verdicts are too, and named in the report; `check` of the
        // store names it as well.
        let found = content_hash(&r.text);
        let damaged = found != r.content_hash;
        let stored: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM articles WHERE content_hash = ?1")?
            .query_row([&r.content_hash], |row| row.get(0))
            .optional()?;
        let id = match stored {
            Some(id) => {
                self.report.articles.existing += 1;
                id
            }
            None => {
                if damaged {
                    self.report.damaged.push(format!(
                        "line {}: article {}: its text does not match its content hash \
                         (the text hashes to {found}); imported as found",
                        self.line, r.id
                    ));
                }
                if let Some(date) = &r.published {
                    let ok = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                        .is_ok_and(|d| d.format("%Y-%m-%d").to_string() == *date);
                    if !ok {
                        return Err(Failure::Bad(format!(
                            "published '{date}' is not a date (YYYY-MM-DD)"
                        )));
                    }
                }
                check_time("ingested_at", &r.ingested_at)?;
                check_time("extracted_at", &r.extracted_at)?;
                self.report.articles.new += 1;
                self.tx
                    .prepare_cached(
                        "INSERT INTO articles (id, content_hash, title, outlet, publisher_id, url,
                             published, language, author, text, source_path, source_line,
                             extractor_version, ingested_at, extracted_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                         RETURNING id",
                    )?
                    .query_row(
                        params![
                            self.new_id(r.id),
                            r.content_hash,
                            r.title,
                            r.outlet,
                            publisher,
                            r.url,
                            r.published,
                            r.language,
                            r.author,
                            r.text,
                            r.source_path,
                            r.source_line,
                            r.extractor_version,
                            r.ingested_at,
                            r.extracted_at,
                        ],
                        |row| row.get(0),
                    )?
            }
        };
        self.articles.insert(r.id, id);
        Ok(())
    }

    fn claim(&mut self, r: ClaimRecord) -> Result<(), Failure> {
        if self.claims.contains_key(&r.id) {
            return Err(duplicate("claim", r.id));
        }
        let article = reference(&self.articles, "article", r.article)?;
        // Every reference is checked, whether or not the claim is new, before anything of
        // it is written.
        let mut chain = Vec::with_capacity(r.chain.len());
        for link in &r.chain {
            let source = reference(&self.sources, "source", link.source)?;
            let recipient = link
                .recipient
                .map(|p| reference(&self.sources, "source", p))
                .transpose()?;
            chain.push((link, source, recipient));
        }
        let stored: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM claims WHERE article_id = ?1 AND claim_key = ?2")?
            .query_row(params![article, r.claim_key], |row| row.get(0))
            .optional()?;
        if let Some(id) = stored {
            self.report.claims.existing += 1;
            self.claims.insert(r.id, id);
            return Ok(());
        }
        check_time("created_at", &r.created_at)?;
        check_time("updated_at", &r.updated_at)?;
        let generation = self.generation()?;
        let hedges = serde_json::to_string(&r.hedges).unwrap_or_else(|_| "[]".into());
        let spans = serde_json::to_string(&r.spans).unwrap_or_else(|_| "{}".into());
        let id: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO claims (id, article_id, claim_key, position, text, sentence,
                     sentence_start, sentence_end, kind, certainty, hedges, cue, spans, orphaned,
                     created_at, updated_at, changed_generation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17)
                 RETURNING id",
            )?
            .query_row(
                params![
                    self.new_id(r.id),
                    article,
                    r.claim_key,
                    r.position,
                    r.text,
                    r.sentence,
                    r.sentence_span.start as i64,
                    r.sentence_span.end as i64,
                    r.kind.as_str(),
                    r.certainty.as_str(),
                    hedges,
                    r.cue,
                    spans,
                    r.orphaned as i64,
                    r.created_at,
                    r.updated_at,
                    generation,
                ],
                |row| row.get(0),
            )?;
        let mut insert = self.tx.prepare_cached(INSERT_LINK)?;
        for (position, (link, source, recipient)) in chain.into_iter().enumerate() {
            insert.execute(params![
                id,
                position as i64,
                source,
                link.role.as_str(),
                link.cue,
                recipient,
                link.mention.map(|s| s.start as i64),
                link.mention.map(|s| s.end as i64),
            ])?;
        }
        self.report.claims.new += 1;
        self.claims.insert(r.id, id);
        Ok(())
    }

    fn verdict(&mut self, r: VerdictRecord) -> Result<(), Failure> {
        if !self.verdict_ids.insert(r.id) {
            return Err(duplicate("verdict", r.id));
        }
        let claim = reference(&self.claims, "claim", r.claim)?;
        check_time("created_at", &r.created_at)?;
        for url in &r.evidence {
            crate::model::check_http_url(url).map_err(Failure::Bad)?;
        }
        let seq = match r.seq {
            Some(n) if n < 0 => return Err(Failure::Bad(format!("seq {n} is negative"))),
            Some(n) => n,
            None if self.seq_from_order => {
                let seen = self
                    .seen_in_second
                    .entry((r.claim, r.created_at.clone()))
                    .or_default();
                *seen += 1;
                *seen - 1
            }
            None => 0,
        };
        let key = VerdictKey {
            status: r.status,
            note: r.note,
            reviewer: r.reviewer,
            created_at: r.created_at,
            evidence: r.evidence,
        };
        if !self.history.contains_key(&claim) {
            let history = self.stored_history(claim)?;
            self.history.insert(claim, history);
        }
        if let Some(n) = self
            .history
            .get_mut(&claim)
            .and_then(|h| h.get_mut(&key))
            .filter(|n| **n > 0)
        {
            *n -= 1;
            self.report.verdicts.existing += 1;
            return Ok(());
        }
        let generation = self.generation()?;
        self.tx
            .prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")?
            .execute(params![generation, claim])?;
        let id: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO verdicts (id, claim_id, status, note, reviewer, created_at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            )?
            .query_row(
                params![
                    self.new_id(r.id),
                    claim,
                    key.status.as_str(),
                    key.note,
                    key.reviewer,
                    key.created_at,
                    seq
                ],
                |row| row.get(0),
            )?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO verdict_evidence (verdict_id, position, url) VALUES (?1, ?2, ?3)",
        )?;
        for (position, url) in key.evidence.iter().enumerate() {
            insert.execute(params![id, position as i64, url])?;
        }
        self.report.verdicts.new += 1;
        Ok(())
    }

    /// A correction of a claim of the file: added to the claim's history unless the store
    /// holds the same one (same changes, note, reviewer and time), and the history applied
    /// again, so the claim holds its corrected values whatever the store held before.
    fn correction(&mut self, r: CorrectionRecord) -> Result<(), Failure> {
        if !self.correction_ids.insert(r.id) {
            return Err(duplicate("correction", r.id));
        }
        let claim = reference(&self.claims, "claim", r.claim)?;
        check_time("created_at", &r.created_at)?;
        if r.changes.is_empty() {
            return Err(Failure::Bad("a correction that changes nothing".into()));
        }
        if r.changes
            .text
            .as_ref()
            .is_some_and(|t| t.to.trim().is_empty())
        {
            return Err(Failure::Bad("a correction to an empty text".into()));
        }
        let changes = serde_json::to_string(&r.changes)
            .map_err(|e| Failure::Bad(format!("cannot read the correction: {e}")))?;
        let entry = History {
            table: "claim_corrections",
            target_column: "claim_id",
            target: claim,
            id: r.id,
            changes: &changes,
            note: r.note.as_deref(),
            reviewer: r.reviewer.as_deref(),
            created_at: &r.created_at,
            seq: r.seq,
        };
        if !self.history_entry(entry)? {
            self.report.corrections.existing += 1;
            return Ok(());
        }
        let generation = self.generation()?;
        super::corrections::reapply(self.tx, claim, &r.created_at)?;
        self.tx
            .prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")?
            .execute(params![generation, claim])?;
        self.report.corrections.new += 1;
        Ok(())
    }

    /// A split or join of a story, its claims by their ids in this store: added unless the
    /// store holds the same one. Stories are grouped after the import, and the changes
    /// applied to them then (`claimtrail import` does it).
    fn story_change(&mut self, r: StoryChangeRecord) -> Result<(), Failure> {
        check_time("created_at", &r.created_at)?;
        let claim = reference(&self.claims, "claim", r.claim)?;
        let other = match (r.action.as_str(), r.other) {
            ("join", Some(other)) => Some(reference(&self.claims, "claim", other)?),
            ("detach", None) => None,
            _ => {
                return Err(Failure::Bad(format!(
                    "a story change must be a detach, or a join naming another claim (got '{}')",
                    crate::terminal::shorten(&r.action)
                )));
            }
        };
        let held: bool = self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM story_changes WHERE claim_id = ?1 AND action = ?2
                     AND other_id IS ?3 AND reviewer IS ?4 AND created_at = ?5)",
            )?
            .query_row(
                params![claim, r.action, other, r.reviewer, r.created_at],
                |row| row.get(0),
            )?;
        if held {
            self.report.story_changes.existing += 1;
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO story_changes (claim_id, action, other_id, reviewer, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![claim, r.action, other, r.reviewer, r.created_at])?;
        self.report.story_changes.new += 1;
        Ok(())
    }

    /// An outside fact-check: added unless the store holds the same review.
    fn fact_check(&mut self, r: FactCheckRecord) -> Result<(), Failure> {
        check_time("imported_at", &r.imported_at)?;
        if r.claim_reviewed.trim().is_empty() {
            return Err(Failure::Bad(format!(
                "fact-check {}: no claim reviewed",
                r.id
            )));
        }
        let review = crate::factcheck::Review {
            claim_reviewed: r.claim_reviewed,
            item_text: r.item_text,
            rating: r.rating,
            reviewer: r.reviewer,
            url: r.url,
            published: r.published,
            claimant: r.claimant,
        };
        let added = super::factchecks::insert_review(
            self.tx,
            self.new_id(r.id),
            &review,
            &r.origin,
            &r.imported_at,
        )?;
        if added {
            self.report.fact_checks.new += 1;
        } else {
            self.report.fact_checks.existing += 1;
        }
        Ok(())
    }

    /// A change of a source: kept where every id of the file was kept, else left out.
    fn source_change(&mut self, r: SourceChangeRecord) -> Result<(), Failure> {
        check_time("created_at", &r.created_at)?;
        if !["alias", "unalias", "rename", "kind"].contains(&r.action.as_str()) {
            return Err(Failure::Bad(format!(
                "unknown source change '{}'",
                crate::terminal::shorten(&r.action)
            )));
        }
        if !r.details.is_object() {
            return Err(Failure::Bad("a source change without details".into()));
        }
        if !self.keep_ids {
            self.report.source_changes.existing += 1;
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO source_changes (id, action, name, details, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                r.id,
                r.action,
                r.name,
                r.details.to_string(),
                r.created_at
            ])?;
        self.report.source_changes.new += 1;
        Ok(())
    }

    /// A change of an article of the file: added to its history unless the store holds the
    /// same one, and the history applied again.
    fn article_change(&mut self, r: ArticleChangeRecord) -> Result<(), Failure> {
        if !self.article_change_ids.insert(r.id) {
            return Err(duplicate("article change", r.id));
        }
        let article = reference(&self.articles, "article", r.article)?;
        check_time("created_at", &r.created_at)?;
        if r.changes.is_empty() {
            return Err(Failure::Bad(
                "an article change that changes nothing".into(),
            ));
        }
        if let Some(Some(date)) = r.changes.published.as_ref().map(|c| &c.to)
            && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_or(true, |d| d.format("%Y-%m-%d").to_string() != *date)
        {
            return Err(Failure::Bad(format!(
                "published '{date}' is not a date (YYYY-MM-DD)"
            )));
        }
        let changes = serde_json::to_string(&r.changes)
            .map_err(|e| Failure::Bad(format!("cannot read the article change: {e}")))?;
        let entry = History {
            table: "article_changes",
            target_column: "article_id",
            target: article,
            id: r.id,
            changes: &changes,
            note: r.note.as_deref(),
            reviewer: r.reviewer.as_deref(),
            created_at: &r.created_at,
            seq: r.seq,
        };
        if !self.history_entry(entry)? {
            self.report.article_changes.existing += 1;
            return Ok(());
        }
        // Claims of the article are imported after this record: they are stamped as they
        // are written; those already stored are stamped here.
        super::articles::reapply(self.tx, article, &r.created_at)?;
        super::articles::stamp(self.tx, article)?;
        self.report.article_changes.new += 1;
        Ok(())
    }

    /// Stores one entry of an append-only history (a claim's corrections, an article's
    /// changes) unless the same entry is already there: `false` when it was.
    fn history_entry(&mut self, h: History) -> Result<bool, Failure> {
        let stored: bool = self
            .tx
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {} WHERE {} = ?1
                     AND changes = ?2 AND note IS ?3 AND reviewer IS ?4 AND created_at = ?5)",
                h.table, h.target_column
            ))?
            .query_row(
                params![h.target, h.changes, h.note, h.reviewer, h.created_at],
                |row| row.get(0),
            )?;
        if stored {
            return Ok(false);
        }
        let seq = match h.seq {
            Some(n) if n < 0 => return Err(Failure::Bad(format!("seq {n} is negative"))),
            Some(n) => n,
            None => 0,
        };
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO {} (id, {}, changes, note, reviewer, created_at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                h.table, h.target_column
            ))?
            .execute(params![
                self.new_id(h.id),
                h.target,
                h.changes,
                h.note,
                h.reviewer,
                h.created_at,
                seq
            ])?;
        Ok(true)
    }

    /// The verdicts the store holds for `claim`, counted by what identifies them.
    fn stored_history(&self, claim: i64) -> rusqlite::Result<HashMap<VerdictKey, usize>> {
        let mut history = HashMap::new();
        let mut verdicts = self.tx.prepare_cached(
            "SELECT id, status, note, reviewer, created_at FROM verdicts WHERE claim_id = ?1",
        )?;
        let mut evidence = self.tx.prepare_cached(
            "SELECT url FROM verdict_evidence WHERE verdict_id = ?1 ORDER BY position",
        )?;
        let rows: Vec<(i64, VerdictKey)> = verdicts
            .query_map([claim], |row| {
                Ok((
                    row.get(0)?,
                    VerdictKey {
                        status: super::read::vocabulary(row, 1)?,
                        note: row.get(2)?,
                        reviewer: row.get(3)?,
                        created_at: row.get(4)?,
                        evidence: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, mut key) in rows {
            key.evidence = evidence
                .query_map([id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            *history.entry(key).or_default() += 1;
        }
        Ok(history)
    }
}

/// The store id of the record of type `what` with id `id` in the file.
fn reference(map: &HashMap<i64, i64>, what: &str, id: i64) -> Result<i64, Failure> {
    map.get(&id).copied().ok_or_else(|| {
        Failure::Bad(format!(
            "refers to {what} {id}, which no line before it defines"
        ))
    })
}

fn duplicate(what: &str, id: i64) -> Failure {
    Failure::Bad(format!("a second {what} with id {id}"))
}

/// Timestamps are RFC 3339, as the store writes them.
fn check_time(field: &str, value: &str) -> Result<(), Failure> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|_| ())
        .map_err(|_| Failure::Bad(format!("{field} '{value}' is not an RFC 3339 time")))
}

/// One entry of an append-only history, as [`Importer::history_entry`] stores it; the table
/// and column names are the program's own, never the file's.
struct History<'a> {
    table: &'static str,
    target_column: &'static str,
    target: i64,
    id: i64,
    changes: &'a str,
    note: Option<&'a str>,
    reviewer: Option<&'a str>,
    created_at: &'a str,
    seq: Option<i64>,
}
