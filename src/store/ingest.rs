//! Ingest: documents in, articles, claims, chains and sources out, one transaction per batch.
//!
//! The content hash is an article's identity, so the same text twice stores nothing new.
//! An article stored by another extractor version is re-extracted and its claims reconciled
//! by their stable key ([`super::key::claim_key`]): a claim found again is updated in place
//! (same id, so its verdicts stay with it), a new one is inserted, and one that is no longer
//! found is kept and flagged `orphaned`, with its chain and verdicts. No claim is ever deleted.

use super::key::{claim_keys, content_hash};
use super::{INSERT_LINK, LazyGeneration, Store, StoreError};
use crate::clock;
use crate::extract::{self, Extractor};
use crate::model::{ArticleMeta, Extraction, SourceKind};
use crate::read::Document;
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction, params, params_from_iter};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// What one ingest did. Add the reports of several batches with [`IngestReport::merge`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Articles stored for the first time.
    pub articles_new: usize,
    /// Documents whose text was already stored by the current extractor: nothing written.
    pub articles_unchanged: usize,
    /// Stored articles extracted again because the extractor changed.
    pub articles_reextracted: usize,
    /// Claim rows inserted.
    pub claims_added: usize,
    /// Claims found again by re-extraction and updated in place.
    pub claims_updated: usize,
    /// Claims that re-extraction no longer finds, now flagged `orphaned`.
    pub claims_orphaned: usize,
    /// Sources seen for the first time in this store.
    pub sources_added: usize,
    /// Claims extracted from new and re-extracted articles, by the article's publisher
    /// (`None`: publisher unknown).
    pub claims_by_outlet: BTreeMap<Option<String>, usize>,
}

impl IngestReport {
    pub fn merge(&mut self, other: IngestReport) {
        self.articles_new += other.articles_new;
        self.articles_unchanged += other.articles_unchanged;
        self.articles_reextracted += other.articles_reextracted;
        self.claims_added += other.claims_added;
        self.claims_updated += other.claims_updated;
        self.claims_orphaned += other.claims_orphaned;
        self.sources_added += other.sources_added;
        for (outlet, n) in other.claims_by_outlet {
            *self.claims_by_outlet.entry(outlet).or_default() += n;
        }
    }

    /// Documents read and stored or found already stored.
    pub fn articles(&self) -> usize {
        self.articles_new + self.articles_unchanged + self.articles_reextracted
    }
}

impl Store {
    /// Stores a batch of documents in one transaction: either every article of the batch is
    /// written whole, or (on error) none is.
    ///
    /// Extraction runs before the write lock is taken (it is most of a batch's time, and a
    /// `verify` waiting behind a batch of 256 articles would otherwise hit its busy
    /// timeout): each document is extracted with the metadata its write will use, as the
    /// store stands now. Should another process change that in between (store the same
    /// text first), the write sees it and extracts again inside the transaction.
    pub fn ingest(
        &mut self,
        docs: &[Document],
        extractor: &Extractor,
    ) -> Result<IngestReport, StoreError> {
        let prepared = self.prepare(docs, extractor)?;
        // Each extraction is moved into its write, so that it is freed once its claims are
        // stored, before the article's text is.
        self.write_batch(docs.iter().zip(prepared).map(|(d, p)| {
            let claims = match p {
                Some((meta, extraction)) => Claims::Prepared {
                    meta,
                    extraction,
                    extractor,
                },
                None => Claims::Extract(extractor),
            };
            (d, claims)
        }))
    }

    /// The extraction each document's write will need, outside any transaction: `None` for
    /// a text already stored by this extractor (nothing to extract), else the metadata the
    /// write extracts with (the stored one, for a re-extraction) and its extraction.
    fn prepare(
        &self,
        docs: &[Document],
        extractor: &Extractor,
    ) -> Result<Vec<Option<(ArticleMeta, Extraction)>>, StoreError> {
        let sql = |e| StoreError::from_sqlite(&self.db_path, e);
        let mut prepared = Vec::with_capacity(docs.len());
        for doc in docs {
            let stored = stored_version(&self.conn, &content_hash(&doc.text)).map_err(sql)?;
            let meta = match stored {
                Some((_, version)) if version == i64::from(extract::VERSION) => {
                    prepared.push(None);
                    continue;
                }
                Some((article_id, _)) => stored_meta(&self.conn, article_id).map_err(sql)?,
                None => doc.meta.clone(),
            };
            let extraction = extractor.extract(&doc.text, &meta);
            prepared.push(Some((meta, extraction)));
        }
        if prepared.iter().any(Option::is_some) {
            // Only ever a pause (a test's `stall`): nothing here can fail as a disk would.
            let _ = crate::failpoint::hit("ingest-extract");
        }
        Ok(prepared)
    }

    /// The ids of the entries of `feed` whose articles are stored.
    pub fn seen_entries(
        &self,
        feed: &str,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let sql = |e| StoreError::from_sqlite(&self.db_path, e);
        let mut st = self
            .conn
            .prepare_cached("SELECT entry FROM feed_entries WHERE feed = ?1")
            .map_err(sql)?;
        st.query_map([feed], |r| r.get(0))
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)
    }

    /// Stores a batch of documents with extractions made beforehand, in one transaction, as
    /// [`Store::ingest`] would store them (each extraction must be of its document's text
    /// and metadata). It is the storage-only path of the benchmark (see [`crate::bench`]):
    /// what ingest costs without extraction.
    pub fn ingest_extracted(
        &mut self,
        docs: &[(Document, Extraction)],
    ) -> Result<IngestReport, StoreError> {
        self.write_batch(docs.iter().map(|(d, e)| (d, Claims::Given(e))))
    }

    fn write_batch<'d>(
        &mut self,
        docs: impl Iterator<Item = (&'d Document, Claims<'d>)>,
    ) -> Result<IngestReport, StoreError> {
        let now = clock::timestamp(self.clock.now());
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let mut writer = Writer {
            tx: &tx,
            now: &now,
            report: IngestReport::default(),
            source_ids: HashMap::new(),
            generation: LazyGeneration::default(),
        };
        for (doc, claims) in docs {
            writer.document(doc, claims).map_err(sql)?;
        }
        let report = writer.report;
        tx.commit().map_err(sql)?;
        Ok(report)
    }
}

/// A longer article's text is written after its claims, once their extraction is freed:
/// SQLite copies a value it is given, and again into the row it builds, and for a 64 MiB
/// article those two copies beside the extraction were the peak of its memory (README,
/// Limits). The same transaction, so nothing in between is ever seen; a shorter article is
/// written in one statement, as the second costs a row rewrite per article.
const LATE_TEXT_BYTES: usize = 1 << 20;

/// Where the claims of a document come from.
enum Claims<'a> {
    /// Extracted while the batch is written.
    Extract(&'a Extractor),
    /// Extracted beforehand, from the document's text and metadata.
    Given(&'a Extraction),
    /// Extracted beforehand with `meta`; extracted again if the write needs other metadata.
    Prepared {
        meta: ArticleMeta,
        extraction: Extraction,
        extractor: &'a Extractor,
    },
}

impl<'a> Claims<'a> {
    fn of(self, text: &str, meta: &ArticleMeta) -> Cow<'a, Extraction> {
        match self {
            Claims::Extract(extractor) => Cow::Owned(extractor.extract(text, meta)),
            Claims::Given(extraction) => Cow::Borrowed(extraction),
            Claims::Prepared {
                meta: used,
                extraction,
                ..
            } if used == *meta => Cow::Owned(extraction),
            Claims::Prepared { extractor, .. } => Cow::Owned(extractor.extract(text, meta)),
        }
    }
}

/// The id and extractor version of the article whose text has `hash`, if one is stored.
fn stored_version(conn: &Connection, hash: &str) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached("SELECT id, extractor_version FROM articles WHERE content_hash = ?1")?
        .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// The metadata an article was first stored with: what a re-extraction extracts with.
fn stored_meta(conn: &Connection, article_id: i64) -> rusqlite::Result<ArticleMeta> {
    conn.prepare_cached(
        "SELECT title, outlet, published, url, author, language FROM articles WHERE id = ?1",
    )?
    .query_row([article_id], |r| {
        let published: Option<String> = r.get(2)?;
        Ok(ArticleMeta {
            title: r.get(0)?,
            outlet: r.get(1)?,
            published: published
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            url: r.get(3)?,
            author: r.get(4)?,
            language: r.get(5)?,
        })
    })
}

/// The state of one batch: the transaction, its timestamp, what it did so far, and the
/// sources it already resolved.
struct Writer<'a> {
    tx: &'a Transaction<'a>,
    now: &'a str,
    report: IngestReport,
    source_ids: HashMap<(String, SourceKind), i64>,
    /// The generation this batch stamps the claims it changes with; taken at the first
    /// change, so a batch of unchanged articles leaves the generation (and the index) alone.
    generation: LazyGeneration,
}

impl Writer<'_> {
    fn generation(&mut self) -> rusqlite::Result<i64> {
        self.generation.get(self.tx)
    }

    fn document(&mut self, doc: &Document, claims: Claims) -> rusqlite::Result<()> {
        let hash = content_hash(&doc.text);
        let stored = stored_version(self.tx, &hash)?;
        let article_id = match stored {
            Some((article_id, version)) if version == i64::from(extract::VERSION) => {
                self.report.articles_unchanged += 1;
                article_id
            }
            Some((article_id, _)) => {
                // The text is the same (same hash); the metadata is the one first stored, so
                // re-extraction sees exactly what the first extraction saw.
                let meta = stored_meta(self.tx, article_id)?;
                let extraction = claims.of(&doc.text, &meta);
                self.claims(article_id, &meta, &extraction)?;
                self.tx
                    .prepare_cached(
                        "UPDATE articles SET extractor_version = ?1, extracted_at = ?2 WHERE id = ?3",
                    )?
                    .execute(params![extract::VERSION, self.now, article_id])?;
                self.report.articles_reextracted += 1;
                article_id
            }
            None => {
                let meta = &doc.meta;
                let outlet = meta.outlet.as_deref().map(clean).filter(|o| !o.is_empty());
                let publisher_id = match &outlet {
                    Some(o) => Some(self.source(o, SourceKind::Outlet)?),
                    None => None,
                };
                let late_text = doc.text.len() > LATE_TEXT_BYTES;
                self.tx
                    .prepare_cached(
                        "INSERT INTO articles (content_hash, title, outlet, publisher_id, url,
                             published, language, author, text, source_path, source_line,
                             extractor_version, ingested_at, extracted_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                    )?
                    .execute(params![
                        hash,
                        meta.title,
                        outlet,
                        publisher_id,
                        meta.url,
                        meta.published.map(|d| d.format("%Y-%m-%d").to_string()),
                        meta.language,
                        meta.author,
                        if late_text { "" } else { doc.text.as_str() },
                        doc.origin.path.display().to_string(),
                        doc.origin.line.map(|l| l as i64),
                        extract::VERSION,
                        self.now,
                    ])?;
                // Not RETURNING: SQLite buffers its rows in a temporary table, a cost per
                // row that the rowid of the insert does not have.
                let article_id = self.tx.last_insert_rowid();
                let extraction = claims.of(&doc.text, meta);
                self.claims(article_id, meta, &extraction)?;
                drop(extraction);
                if late_text {
                    self.tx
                        .prepare_cached("UPDATE articles SET text = ?1 WHERE id = ?2")?
                        .execute(params![doc.text, article_id])?;
                }
                self.report.articles_new += 1;
                article_id
            }
        };
        if let Some(entry) = &doc.origin.feed_entry {
            // In the article's own transaction: an entry is remembered exactly when its
            // article is stored.
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO feed_entries (feed, entry, article_id, seen_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![entry.feed, entry.id, article_id, self.now])?;
        }
        Ok(())
    }

    /// Writes the claims of one extraction, reconciling them with the claims the article
    /// already has (none for a new article).
    fn claims(
        &mut self,
        article_id: i64,
        meta: &ArticleMeta,
        extraction: &Extraction,
    ) -> rusqlite::Result<()> {
        let mut existing: HashMap<String, i64> = self
            .tx
            .prepare_cached("SELECT claim_key, id FROM claims WHERE article_id = ?1")?
            .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;

        // The kind the article gives each name, to resolve recipients ("told Ushakov"),
        // which the chain names without a kind.
        let mut kinds: HashMap<String, SourceKind> = HashMap::new();
        for s in &extraction.sources {
            let id = self.source(&s.name, s.kind)?;
            kinds.entry(clean(&s.name).to_lowercase()).or_insert(s.kind);
            let forms = s.aliases.iter().map(|a| (a, "name"));
            for (alias, form) in forms.chain(s.roles.iter().map(|r| (r, "role"))) {
                let alias = clean(alias);
                if !alias.is_empty() {
                    self.tx
                        .prepare_cached(
                            "INSERT OR IGNORE INTO source_aliases (source_id, alias, form)
                             VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![id, alias, form])?;
                }
            }
        }

        let keys = claim_keys(&extraction.claims);
        for (position, (claim, key)) in extraction.claims.iter().zip(keys).enumerate() {
            let generation = self.generation()?;
            let hedges = serde_json::to_string(&claim.hedges).unwrap_or_default();
            let spans = serde_json::to_string(&claim.spans).unwrap_or_default();
            let (position, start, end) = (
                position as i64,
                claim.sentence_span.start as i64,
                claim.sentence_span.end as i64,
            );
            let fields: [&dyn ToSql; 12] = [
                &position,
                &claim.text,
                &claim.sentence,
                &start,
                &end,
                &claim.kind.as_str(),
                &claim.certainty.as_str(),
                &hedges,
                &claim.cue,
                &spans,
                &self.now,
                &generation,
            ];
            let found_again = existing.contains_key(&key);
            let claim_id = if let Some(id) = existing.remove(&key) {
                self.tx
                    .prepare_cached(
                        "UPDATE claims SET position = ?1, text = ?2, sentence = ?3,
                             sentence_start = ?4, sentence_end = ?5, kind = ?6, certainty = ?7,
                             hedges = ?8, cue = ?9, spans = ?10, updated_at = ?11,
                             changed_generation = ?12, orphaned = 0
                         WHERE id = ?13",
                    )?
                    .execute(params_from_iter(
                        fields.iter().chain([&(&id as &dyn ToSql)]),
                    ))?;
                // The chain is rewritten whole: links have no identity of their own.
                self.tx
                    .prepare_cached("DELETE FROM claim_links WHERE claim_id = ?1")?
                    .execute([id])?;
                self.report.claims_updated += 1;
                id
            } else {
                self.tx
                    .prepare_cached(
                        "INSERT INTO claims (position, text, sentence, sentence_start,
                             sentence_end, kind, certainty, hedges, cue, spans, created_at,
                             changed_generation, updated_at, article_id, claim_key)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11, ?13, ?14)",
                    )?
                    .execute(params_from_iter(
                        fields
                            .iter()
                            .chain([&(&article_id as &dyn ToSql), &(&key as &dyn ToSql)]),
                    ))?;
                let id = self.tx.last_insert_rowid();
                self.report.claims_added += 1;
                id
            };

            for (link_position, link) in claim.chain.iter().enumerate() {
                let source_id = self.source(&link.name, link.kind)?;
                let recipient_id = match &link.recipient {
                    Some(name) if !clean(name).is_empty() => {
                        let kind = self.recipient_kind(name, &kinds, claim)?;
                        Some(self.source(name, kind)?)
                    }
                    _ => None,
                };
                self.tx.prepare_cached(INSERT_LINK)?.execute(params![
                    claim_id,
                    link_position as i64,
                    source_id,
                    link.role.as_str(),
                    link.cue,
                    recipient_id,
                    link.span.map(|s| s.start as i64),
                    link.span.map(|s| s.end as i64),
                ])?;
            }
            // The extracted values are back: a fact-checker's corrections win over them.
            if found_again {
                super::corrections::reapply(self.tx, claim_id, self.now)?;
            }
        }

        // What the new extraction no longer finds: kept, with chain and verdicts, flagged.
        for id in existing.into_values() {
            let generation = self.generation()?;
            let changed = self
                .tx
                .prepare_cached(
                    "UPDATE claims SET orphaned = 1, updated_at = ?1, changed_generation = ?2
                     WHERE id = ?3 AND orphaned = 0",
                )?
                .execute(params![self.now, generation, id])?;
            self.report.claims_orphaned += changed;
        }

        let outlet = meta.outlet.as_deref().map(clean).filter(|o| !o.is_empty());
        *self.report.claims_by_outlet.entry(outlet).or_default() += extraction.claims.len();
        Ok(())
    }

    /// The kind of a recipient named in a chain: as the article's sources give it, else as
    /// the claim's own chain gives it, else as the store already knows that name, else a
    /// person (who one "tells" something to, nearly always).
    fn recipient_kind(
        &self,
        name: &str,
        kinds: &HashMap<String, SourceKind>,
        claim: &crate::model::Claim,
    ) -> rusqlite::Result<SourceKind> {
        let name = clean(name);
        if let Some(kind) = kinds.get(&name.to_lowercase()) {
            return Ok(*kind);
        }
        if let Some(link) = claim
            .chain
            .iter()
            .find(|l| clean(&l.name).eq_ignore_ascii_case(&name))
        {
            return Ok(link.kind);
        }
        let stored: Option<String> = self
            .tx
            .prepare_cached("SELECT kind FROM sources WHERE name = ?1 ORDER BY id LIMIT 1")?
            .query_row([&name], |r| r.get(0))
            .optional()?;
        Ok(stored
            .and_then(|k| k.parse().ok())
            .unwrap_or(SourceKind::Person))
    }

    /// The id of the source (name, kind), created when the store does not know it yet.
    fn source(&mut self, name: &str, kind: SourceKind) -> rusqlite::Result<i64> {
        let mut name = clean(name);
        if name.is_empty() {
            // An extractor bug must not turn into a failed batch: keep the link, visibly.
            name = "(unnamed)".to_string();
        }
        let cache_key = (name.to_ascii_lowercase(), kind);
        if let Some(id) = self.source_ids.get(&cache_key) {
            return Ok(*id);
        }
        // A name merged into another source (`claimtrail alias`) is that source.
        let merged: Option<i64> = self
            .tx
            .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 AND kind = ?2")?
            .query_row(params![name, kind.as_str()], |r| r.get(0))
            .optional()?;
        if let Some(id) = merged {
            self.source_ids.insert(cache_key, id);
            return Ok(id);
        }
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO sources (name, kind, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name, kind) DO NOTHING",
            )?
            .execute(params![name, kind.as_str(), self.now])?;
        let id = if inserted == 1 {
            self.report.sources_added += 1;
            self.tx.last_insert_rowid()
        } else {
            self.tx
                .prepare_cached("SELECT id FROM sources WHERE name = ?1 AND kind = ?2")?
                .query_row(params![name, kind.as_str()], |r| r.get(0))?
        };
        self.source_ids.insert(cache_key, id);
        Ok(id)
    }
}

/// A name as stored: trimmed, inner whitespace (newlines from wrapped text) made one space.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
