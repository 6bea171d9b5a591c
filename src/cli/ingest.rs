//! `claimtrail ingest PATH...`: read, extract and store, in batches, with a progress bar on
//! a terminal and a summary at the end.
//!
//! A file (or JSONL line) that cannot be read is reported on one line and the batch goes
//! on. The exit code is 0 when at least one article was read (stored or already there),
//! 2 when every input failed, 1 when the paths held no article file at all.

use super::args::IngestArgs;
use super::{Context, Run, warn};
use crate::error::{Error, ErrorKind};
use crate::index::Follower;
use crate::read::{self, Document};
use crate::store::{IngestReport, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
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
            .partition(|p| p.to_str().is_some_and(read::web::is_url));
        let files: Vec<PathBuf> = files.into_iter().cloned().collect();
        let paths = read::collect_paths(&files);
        let fetcher = read::web::Fetcher::new(Duration::from_secs(self.timeout));
        let count = paths.len() + urls.len();
        let inputs = paths.into_iter().map(Input::File).chain(
            urls.into_iter()
                .map(|u| Input::Url(u.to_string_lossy().into_owned())),
        );

        let progress = if io::stderr().is_terminal() {
            let bar = ProgressBar::new(count as u64);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {wide_msg}")
            {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };

        // The index takes each batch as soon as it is committed, on another core.
        let follower = Follower::start(&store);
        let mut report = IngestReport::default();
        let mut failed = 0usize;
        let mut batch: Vec<Document> = Vec::new();
        let mut batch_bytes = 0usize;
        for input in inputs {
            let docs = match input {
                Input::File(entry) => entry.and_then(|path| {
                    progress.set_message(crate::error::one_line(&path.display().to_string()));
                    read::read_file(&path)
                }),
                Input::Url(url) => {
                    progress.set_message(crate::error::one_line(&url));
                    fetcher.fetch(&url).map(|doc| vec![Ok(doc)])
                }
            };
            match docs {
                Err(e) => {
                    failed += 1;
                    warn(&progress, e);
                }
                Ok(docs) => {
                    for doc in docs {
                        match doc {
                            Ok(mut doc) => {
                                doc.meta.fill_from(&defaults);
                                batch_bytes += doc.text.len();
                                batch.push(doc);
                            }
                            Err(e) => {
                                failed += 1;
                                warn(&progress, e);
                            }
                        }
                        // Within a file too: a JSON Lines file of 6,000 articles is 24
                        // transactions, and a killed ingest loses one batch, not the file.
                        if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                            report.merge(store.ingest(&batch, &extractor)?);
                            follower.notify();
                            batch.clear();
                            batch_bytes = 0;
                        }
                    }
                }
            }
            progress.inc(1);
        }
        if !batch.is_empty() {
            report.merge(store.ingest(&batch, &extractor)?);
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

        if report.articles() == 0 {
            if failed > 0 {
                return Err(Error::Reported(ErrorKind::User));
            }
            return Err(Error::NothingFound(
                "no article files (.txt, .md, .html, .htm, .json, .jsonl) in the given paths"
                    .into(),
            ));
        }
        let counts = store.counts()?;
        let mut summary = Vec::new();
        write_summary(&mut summary, &report, failed, &counts, store.dir())
            .map_err(Error::output)?;
        super::print(&String::from_utf8_lossy(&summary))
    }
}

fn write_summary(
    out: &mut impl Write,
    r: &IngestReport,
    failed: usize,
    counts: &crate::store::Counts,
    dir: &std::path::Path,
) -> io::Result<()> {
    writeln!(
        out,
        "articles: {} new, {} unchanged, {} re-extracted, {} failed",
        r.articles_new, r.articles_unchanged, r.articles_reextracted, failed
    )?;
    writeln!(
        out,
        "claims:   {} new, {} updated, {} orphaned",
        r.claims_added, r.claims_updated, r.claims_orphaned
    )?;
    writeln!(out, "sources:  {} new", r.sources_added)?;
    if !r.claims_by_outlet.is_empty() {
        writeln!(out, "claims by outlet:")?;
        // Most claims first; the unknown publisher last, whatever its count.
        let mut rows: Vec<(&Option<String>, usize)> =
            r.claims_by_outlet.iter().map(|(o, n)| (o, *n)).collect();
        rows.sort_by_key(|(o, n)| (o.is_none(), std::cmp::Reverse(*n), *o));
        let rows: Vec<(String, usize)> = rows
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

/// "1 article", "2 articles".
fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
