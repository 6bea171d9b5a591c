//! `claimtrail ingest PATH...`: read, extract and store, in batches, with a progress bar on
//! a terminal and a summary at the end.
//!
//! Inputs are files, folders, feeds (files or URLs: their entries), web archives (their
//! records) and web pages by URL. The progress bar counts bytes of input, moved as the
//! batches holding them are committed, with an ETA: a folder of a few large shards moves
//! as their articles are stored, not a file at a time. It is drawn only when stderr is a
//! terminal.
//!
//! A file, JSONL line, feed entry or archive record that cannot be read is reported on one
//! line and the batch goes on. The exit code is 0 when at least one article was read (stored
//! or already there) or a feed or archive was read without a failure (a feed with nothing
//! new), 2 when every input failed, 1 when the paths held no article file at all.

use super::args::{IngestArgs, ResultFormat};
use super::{Context, Run, warn};
use crate::error::{Error, ErrorKind};
use crate::extract::Extractor;
use crate::index::Follower;
use crate::model::ArticleMeta;
use crate::read::{self, Contents, Document, FeedEntry, ReadError, feed, warc, web};
use crate::store::{IngestReport, Store};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One thing to read: a file from the walk of the paths given (or why it could not be
/// listed), or a URL to fetch.
enum Input {
    File(Result<PathBuf, read::ReadError>),
    Url(String),
}

/// Documents per transaction: large enough that commits cost little, small enough that an
/// interrupted run loses little and memory stays bounded.
const BATCH_DOCS: usize = 256;
/// Text bytes per transaction, for the same reasons with large articles.
const BATCH_BYTES: usize = 32 * 1024 * 1024;

impl Run for IngestArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let defaults = self.meta.to_meta();
        // The store first: a wrong --db is one error before any file is read.
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let extractor = ctx.extractor()?;
        // URLs are fetched in the order given, after the files: a slow server does not hold
        // up what is on disk.
        let (urls, files): (Vec<&PathBuf>, Vec<&PathBuf>) = self
            .paths
            .iter()
            .partition(|p| p.to_str().is_some_and(web::is_url));
        let files: Vec<PathBuf> = files.into_iter().cloned().collect();
        let paths = read::collect_paths(&files);
        let fetcher = web::Fetcher::new(Duration::from_secs(self.timeout));
        // Progress is by bytes, so a folder of ten large shards moves as their articles are
        // stored, not in tenths. A URL's size is known once it is fetched.
        let total: u64 = paths
            .iter()
            .flatten()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
        let inputs = paths.into_iter().map(Input::File).chain(
            urls.into_iter()
                .map(|u| Input::Url(u.to_string_lossy().into_owned())),
        );

        let progress = if io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes}  {binary_bytes_per_sec}  ETA {eta}  {wide_msg}",
            ) {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };

        // The claims this run stamps are the ones matched against fact-checks at the end.
        let generation_before = store.generation()?;
        // The index takes each batch as soon as it is committed, on another core.
        let follower = Follower::start(&store);
        let mut sink = Sink {
            store: &mut store,
            extractor: &extractor,
            follower: &follower,
            progress: &progress,
            defaults: &defaults,
            batch: Vec::new(),
            batch_bytes: 0,
            uncredited: 0,
            report: IngestReport::default(),
            tally: Tally::default(),
        };
        for input in inputs {
            match input {
                Input::File(Err(e)) => sink.fail(e, 0),
                Input::File(Ok(path)) => {
                    progress.set_message(crate::error::one_line(&path.display().to_string()));
                    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
                    match read::read_contents(&path) {
                        Err(e) => sink.fail(e, size),
                        Ok(Contents::Documents(docs)) => {
                            let weights = shares(size, docs.len());
                            for (doc, weight) in docs.into_iter().zip(weights) {
                                sink.doc(doc, weight)?;
                            }
                        }
                        Ok(Contents::Feed(bytes)) => {
                            // The absolute path, so the same feed file read from another
                            // folder is the same feed.
                            let key = std::fs::canonicalize(&path)
                                .unwrap_or_else(|_| path.clone())
                                .display()
                                .to_string();
                            let name = path.display().to_string();
                            let read = FeedRead {
                                key: &key,
                                name: &name,
                                path: &path,
                                since: self.since,
                                fetcher: &fetcher,
                            };
                            read.entries(&mut sink, &bytes, None, size)?;
                        }
                        Ok(Contents::Archive(archive)) => {
                            archive_records(&mut sink, archive, size)?
                        }
                    }
                }
                Input::Url(url) => {
                    progress.set_message(crate::error::one_line(&url));
                    match fetcher.fetch_any(&url) {
                        Err(e) => sink.fail(e, 0),
                        Ok(web::Fetched::Page(doc)) => {
                            let weight = doc.text.len() as u64;
                            progress.inc_length(weight);
                            sink.doc(Ok(doc), weight)?;
                        }
                        Ok(web::Fetched::Feed { final_url, bytes }) => {
                            progress.inc_length(bytes.len() as u64);
                            let read = FeedRead {
                                key: &url,
                                name: &url,
                                path: Path::new(&url),
                                since: self.since,
                                fetcher: &fetcher,
                            };
                            read.entries(&mut sink, &bytes, Some(&final_url), bytes.len() as u64)?;
                        }
                    }
                }
            }
        }
        sink.flush()?;
        let Sink {
            report, mut tally, ..
        } = sink;
        // Stories: the claims this run stored join the stories of the claims saying the
        // same, or found their own; their own transaction, after the claims', like the
        // matching below: a failure loses no claim, and `reindex` groups again.
        match store.group_stories(crate::store::StoryScope::New(generation_before)) {
            Ok(g) => tally.joined = g.joined,
            Err(e) => progress.suspend(|| {
                super::sync::warning(&format!(
                    "claims stored; grouping them into stories failed ({}): run `claimtrail reindex`",
                    Error::from(e).message()
                ))
            }),
        }
        // Already fact-checked: the claims this run stored that say what an imported review
        // or another claim's verdict judged. Committed after the claims (their own
        // transaction): a failure here loses no claim, and `reindex` matches again.
        match store.match_claims(crate::store::Scope::ChangedAfter(generation_before)) {
            Ok(n) => {
                tally.checked = n;
                follower.notify();
            }
            Err(e) => progress.suspend(|| {
                super::sync::warning(&format!(
                    "claims stored; matching them against fact-checks failed ({}): run `claimtrail reindex`",
                    Error::from(e).message()
                ))
            }),
        }
        // The index holds what this run stored before the summary says so; if it cannot
        // (busy past the wait, a full disk), the batches are committed all the same and the
        // next command catches the index up: a warning, not a failed ingest.
        if let Err(e) = follower.finish(&store) {
            progress.suspend(|| {
                super::sync::warning(&format!(
                    "written; the search index will catch up on the next command ({})",
                    Error::from(e).message()
                ))
            });
        }
        progress.finish_and_clear();

        // A feed with nothing new, or an archive of images, read fine: that is a summary.
        let read_something = tally.entries > 0 || tally.archives > 0;
        if report.articles() == 0 {
            if tally.failed > 0 {
                return Err(Error::Reported(ErrorKind::User));
            }
            if !read_something {
                return Err(Error::NothingFound(
                    "no article files (.txt, .md, .html, .htm, .json, .jsonl, .warc, .warc.gz) in the given paths"
                        .into(),
                ));
            }
        }
        let counts = store.counts()?;
        if self.format == ResultFormat::Json {
            return super::print_json(&json_summary(&report, &tally, &counts, store.dir()));
        }
        let mut summary = Vec::new();
        write_summary(&mut summary, &report, &tally, &counts, store.dir())
            .map_err(Error::output)?;
        super::print(&String::from_utf8_lossy(&summary))
    }
}

/// What a run counted besides what the store reports.
#[derive(Default)]
struct Tally {
    /// Claims of this run already fact-checked (`claim_checks`).
    checked: usize,
    /// Claims of this run that joined a story of another claim.
    joined: usize,
    /// Documents, files, entries and records that could not be read or fetched.
    failed: usize,
    /// Feed entries read from feeds, and of them: stored by an earlier run (not fetched
    /// again), and dated before `--since`.
    entries: usize,
    seen_before: usize,
    before_since: usize,
    /// Web archives opened, and their responses that are not HTML pages.
    archives: usize,
    skipped: usize,
}

/// Where documents go: batches of at most [`BATCH_DOCS`] documents and [`BATCH_BYTES`] of
/// text, each one transaction. The progress bar is moved by the bytes of input a batch
/// stands for once it is committed, so it shows what is stored, not what is read.
struct Sink<'a> {
    store: &'a mut Store,
    extractor: &'a Extractor,
    follower: &'a Follower,
    progress: &'a ProgressBar,
    defaults: &'a ArticleMeta,
    batch: Vec<Document>,
    batch_bytes: usize,
    /// Input bytes of the documents in `batch`.
    uncredited: u64,
    report: IngestReport,
    tally: Tally,
}

impl Sink<'_> {
    /// One document read (or not) from `weight` bytes of input.
    fn doc(&mut self, doc: Result<Document, ReadError>, weight: u64) -> Result<(), Error> {
        match doc {
            Ok(mut doc) => {
                doc.meta.fill_from(self.defaults);
                self.batch_bytes += doc.text.len();
                self.batch.push(doc);
                self.uncredited += weight;
            }
            Err(e) => self.fail(e, weight),
        }
        // Within a file too: a JSON Lines file of 6,000 articles is 24 transactions, and a
        // killed ingest loses one batch, not the file.
        if self.batch.len() >= BATCH_DOCS || self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn fail(&mut self, e: ReadError, weight: u64) {
        self.tally.failed += 1;
        warn(self.progress, e);
        self.progress.inc(weight);
    }

    /// Input that holds no document (a record skipped, an entry seen before).
    fn pass(&mut self, weight: u64) {
        self.progress.inc(weight);
    }

    fn flush(&mut self) -> Result<(), Error> {
        if !self.batch.is_empty() {
            self.report
                .merge(self.store.ingest(&self.batch, self.extractor)?);
            self.follower.notify();
            self.batch.clear();
            self.batch_bytes = 0;
        }
        self.progress.inc(std::mem::take(&mut self.uncredited));
        Ok(())
    }
}

/// One feed being read.
struct FeedRead<'a> {
    /// What its entries are remembered under: the URL as given, or the file's absolute path.
    key: &'a str,
    /// How messages name it.
    name: &'a str,
    /// The article's origin for entries whose content the feed carries.
    path: &'a Path,
    since: Option<NaiveDate>,
    fetcher: &'a web::Fetcher,
}

impl FeedRead<'_> {
    /// Every entry of the feed `bytes` (of `size` input bytes) not stored before and not
    /// older than `--since`, into the sink: from the feed's own content when it carries the
    /// article, else fetched from the entry's link.
    fn entries(
        &self,
        sink: &mut Sink,
        bytes: &[u8],
        base: Option<&str>,
        size: u64,
    ) -> Result<(), Error> {
        let entries = match feed::parse(bytes, base) {
            Ok(entries) => entries,
            Err(message) => {
                let e = ReadError::Feed {
                    feed: self.name.to_string(),
                    message,
                };
                sink.fail(e, size);
                return Ok(());
            }
        };
        let mut seen = sink.store.seen_entries(self.key)?;
        let weights = shares(size, entries.len());
        for (number, (entry, weight)) in entries.iter().zip(weights).enumerate() {
            sink.tally.entries += 1;
            if let (Some(since), Some(date)) = (self.since, entry.date())
                && date < since
            {
                sink.tally.before_since += 1;
                sink.pass(weight);
                continue;
            }
            if !entry.id.is_empty() && seen.contains(&entry.id) {
                sink.tally.seen_before += 1;
                sink.pass(weight);
                continue;
            }
            let doc = self.entry(number + 1, entry).map(|mut doc| {
                if !entry.id.is_empty() {
                    doc.origin.feed_entry = Some(FeedEntry {
                        feed: self.key.to_string(),
                        id: entry.id.clone(),
                    });
                }
                doc
            });
            if doc.is_ok() {
                // The same entry twice in one feed is read once.
                seen.insert(entry.id.clone());
            }
            sink.doc(doc, weight)?;
        }
        Ok(())
    }

    fn entry(&self, number: usize, entry: &feed::Entry) -> Result<Document, ReadError> {
        if let Some(doc) = entry.document(self.path) {
            return doc.map_err(|e| self.error(number, entry, &e.to_string()));
        }
        match &entry.link {
            Some(link) if web::is_url(link) => {
                let mut doc = self.fetcher.fetch(link)?;
                // What the page says wins; the entry fills what it does not.
                doc.meta.fill_from(&entry.meta());
                Ok(doc)
            }
            Some(link) => Err(self.error(
                number,
                entry,
                &format!(
                    "the link '{}' is not an http(s) URL, and the feed carries no content",
                    crate::terminal::shorten(link)
                ),
            )),
            None => Err(self.error(
                number,
                entry,
                "no link to fetch, and the feed carries no content",
            )),
        }
    }

    fn error(&self, number: usize, entry: &feed::Entry, message: &str) -> ReadError {
        let named = if entry.id.is_empty() {
            String::new()
        } else {
            format!(" ({})", crate::terminal::shorten(&entry.id))
        };
        ReadError::Feed {
            feed: self.name.to_string(),
            message: format!("entry {number}{named}: {message}"),
        }
    }
}

/// Every record of a web archive of `size` bytes into the sink, one at a time.
fn archive_records(sink: &mut Sink, mut archive: warc::Archive, size: u64) -> Result<(), Error> {
    sink.tally.archives += 1;
    let mut credited = 0;
    while let Some(record) = archive.next() {
        let weight = archive.consumed().saturating_sub(credited);
        credited += weight;
        match record {
            warc::Record::Page(doc) => sink.doc(doc, weight)?,
            warc::Record::Skipped => {
                sink.tally.skipped += 1;
                sink.pass(weight);
            }
        }
    }
    sink.pass(size.saturating_sub(credited));
    Ok(())
}

/// `total` bytes cut into `n` whole shares that add up to it, for the documents of one file.
fn shares(total: u64, n: usize) -> impl Iterator<Item = u64> {
    let n = n as u64;
    (0..n).map(move |i| total * (i + 1) / n - total * i / n)
}

fn write_summary(
    out: &mut impl Write,
    r: &IngestReport,
    tally: &Tally,
    counts: &crate::store::Counts,
    dir: &std::path::Path,
) -> io::Result<()> {
    writeln!(
        out,
        "articles: {} new, {} unchanged, {} re-extracted, {} failed",
        r.articles_new, r.articles_unchanged, r.articles_reextracted, tally.failed
    )?;
    if tally.entries > 0 {
        writeln!(
            out,
            "feeds:    {} entries, {} stored before, {} dated before --since",
            tally.entries, tally.seen_before, tally.before_since
        )?;
    }
    if tally.archives > 0 {
        writeln!(
            out,
            "archives: {} responses skipped (not HTML pages)",
            tally.skipped
        )?;
    }
    writeln!(
        out,
        "claims:   {} new, {} updated, {} orphaned",
        r.claims_added, r.claims_updated, r.claims_orphaned
    )?;
    if tally.checked > 0 {
        writeln!(
            out,
            "checked:  {} already fact-checked (claimtrail search --checked)",
            count(tally.checked as i64, "claim")
        )?;
    }
    if tally.joined > 0 {
        writeln!(
            out,
            "stories:  {} joined a story carried by another article (claimtrail stories)",
            count(tally.joined as i64, "claim")
        )?;
    }
    writeln!(out, "sources:  {} new", r.sources_added)?;
    if !r.claims_by_outlet.is_empty() {
        writeln!(out, "claims by outlet:")?;
        let rows: Vec<(String, usize)> = outlets_in_order(r)
            .into_iter()
            .map(|(o, n)| {
                let outlet = o.as_deref().unwrap_or("(unknown outlet)");
                (crate::terminal::one_line(outlet), n)
            })
            .collect();
        let width = rows
            .iter()
            .map(|(o, _)| o.chars().count())
            .max()
            .unwrap_or(0);
        for (outlet, n) in rows {
            writeln!(out, "  {outlet:<width$}  {n:>6}")?;
        }
    }
    writeln!(
        out,
        "store {}: {}, {} ({} orphaned), {}",
        dir.display(),
        count(counts.articles, "article"),
        count(counts.claims, "claim"),
        counts.orphaned_claims,
        count(counts.sources, "source"),
    )
}

/// The outlets of a run's claims with their counts as the summary lists them: most claims
/// first, the unknown publisher (`None`) last whatever its count.
fn outlets_in_order(r: &IngestReport) -> Vec<(&Option<String>, usize)> {
    let mut rows: Vec<(&Option<String>, usize)> =
        r.claims_by_outlet.iter().map(|(o, n)| (o, *n)).collect();
    rows.sort_by_key(|(o, n)| (o.is_none(), std::cmp::Reverse(*n), *o));
    rows
}

/// The summary as one JSON object: what `write_summary` prints, every count always there
/// (zero when nothing of the kind was read), the outlets in the same order, the unknown
/// publisher as `null`.
fn json_summary(
    r: &IngestReport,
    tally: &Tally,
    counts: &crate::store::Counts,
    dir: &std::path::Path,
) -> serde_json::Value {
    let outlets: Vec<serde_json::Value> = outlets_in_order(r)
        .into_iter()
        .map(|(o, n)| serde_json::json!({"outlet": o, "claims": n}))
        .collect();
    serde_json::json!({
        "articles": {
            "new": r.articles_new,
            "unchanged": r.articles_unchanged,
            "reextracted": r.articles_reextracted,
            "failed": tally.failed,
        },
        "feeds": {
            "entries": tally.entries,
            "stored_before": tally.seen_before,
            "before_since": tally.before_since,
        },
        "archives": {"files": tally.archives, "responses_skipped": tally.skipped},
        "claims": {
            "new": r.claims_added,
            "updated": r.claims_updated,
            "orphaned": r.claims_orphaned,
            "already_checked": tally.checked,
            "joined_stories": tally.joined,
        },
        "sources": {"new": r.sources_added},
        "claims_by_outlet": outlets,
        "store": {
            "path": dir.display().to_string(),
            "articles": counts.articles,
            "claims": counts.claims,
            "orphaned_claims": counts.orphaned_claims,
            "sources": counts.sources,
        },
    })
}

/// "1 article", "2 articles".
fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::shares;

    /// The documents of one file move the bar by equal parts of its size, with nothing lost
    /// to rounding: the bar ends full.
    #[test]
    fn a_file_is_shared_among_its_documents_without_loss() {
        assert_eq!(shares(10, 3).collect::<Vec<_>>(), [3, 3, 4]);
        assert_eq!(shares(7, 1).collect::<Vec<_>>(), [7]);
        assert_eq!(shares(5, 0).count(), 0);
        assert_eq!(shares(1_000_003, 1000).sum::<u64>(), 1_000_003);
        assert!(shares(1_000_003, 1000).all(|s| s == 1000 || s == 1001));
    }
}
