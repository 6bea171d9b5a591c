//! The end-to-end benchmark: one run, one scale, our store and index beside an SQLite FTS5
//! baseline over the same claims. `benches/end_to_end.rs` is its command line; a test runs
//! it at a tiny scale to keep the harness honest (no timing is asserted anywhere).
//!
//! The corpus generator is [`corpus`].
//!
//! The phases, in order, each in its own folder under the work folder:
//! 1. the corpus of [`corpus`] is written as JSONL shards (not timed);
//! 2. **ingest**: the shards are read, extracted and stored in batches as `claimtrail
//!    ingest` does (256 documents or 32 MB per transaction), while a [`Follower`] indexes
//!    each committed batch, as the command does; "index" is what is left to index after the
//!    last batch. Timed whole;
//! 3. **storage only**: the same shards into a second store, each batch read and extracted
//!    untimed, then stored with [`Store::ingest_extracted`] (timed) with the follower
//!    indexing it (not paused while extraction runs, so its work overlaps the untimed part
//!    too): what ingest would cost if extraction were free;
//! 4. verdicts are given to 40% of the claims of the first store (by id: confirmed,
//!    disputed, false, unconfirmable) and the index caught up, so status filters select
//!    something (not timed);
//! 5. **the baseline**: an FTS5 table (porter stemming) over every claim's text and
//!    sentence, beside plain tables of its outlets (publisher and outlets of the chain, as
//!    the index has them), status and published day, indexed for the filters;
//! 6. **queries**: seven classes, drawn from the claims with the corpus seed, each answered
//!    by both: the top 20 and the total count. Ours is [`SearchIndex::search`] (BM25 with
//!    snippets and stored fields for the 20 hits; newest first without words); FTS5's is
//!    `ORDER BY rank LIMIT 20` plus a `count(*)`, newest first without words. The filter-only
//!    classes must agree on every count, or the run fails;
//!    With `fts_sample`, FTS5 answers only the first N queries of each class (its ranked
//!    queries take seconds each at 1M articles); ours answer all of them;
//! 7. **the bare-tantivy reference** ([`bare`]): the same words in one field, nothing
//!    stored, built from the store after the queries' material is drawn (timed apart), and
//!    the text of every query answered by it too, top 20 alone: what tantivy itself takes;
//! 8. **one-shot CLI**: `claimtrail search WORD` as a new process, wall time.
//!
//! Peak memory is the process's `VmHWM`, reset (`/proc/self/clear_refs`) before each phase
//! where the kernel allows it, so the ingest figure is ingest's own; beside it, the peaks
//! of heap and of mapped file pages that [`memory::Sampler`] saw. The disk each store and
//! index takes is measured at the end.

pub mod bare;
pub mod corpus;
pub mod desk;
mod memory;

use crate::extract::Extractor;
use crate::index::{Filters, Follower, Plan, Ranking, SearchIndex, SearchResult};
use crate::model::Status;
use crate::read::{self, Document};
use crate::store::Store;
use anyhow::{Context, Result, bail};
use bare::Bare;
use chrono::{Datelike, NaiveDate};
use memory::{Peaks, Sampler, disk_bytes, peak_kb, reset_peak};
use rusqlite::{Connection, params};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Documents and bytes per ingest transaction: the command's batch.
const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Hits asked for per query, the command's default limit.
const LIMIT: usize = 20;

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    pub articles: u64,
    pub seed: u64,
    /// Queries per class (the issue asks for at least 300).
    pub queries_per_class: usize,
    /// One-shot `claimtrail search` processes to time.
    pub cli_runs: usize,
    /// The `claimtrail` binary for the one-shot runs; `None` skips them.
    pub cli: Option<PathBuf>,
    /// The work folder; must not exist or be empty.
    pub dir: PathBuf,
    /// FTS5 answers only this many queries of each class (`None`: all of them).
    pub fts_sample: Option<usize>,
}

/// The query classes, in the order of the tables.
pub const CLASSES: [&str; 7] = [
    "one word",
    "two words",
    "phrase",
    "word + outlet",
    "word + status",
    "outlet + status",
    "date range",
];

/// Classes without free text: both engines must find exactly the same claims.
fn unranked(class: usize) -> bool {
    class >= 5
}

#[derive(Debug, Clone)]
struct Query {
    class: usize,
    text: Option<String>,
    outlet: Option<String>,
    status: Option<Status>,
    range: Option<(NaiveDate, NaiveDate)>,
}

/// Latency percentiles in microseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

impl Latency {
    fn of(mut us: Vec<f64>) -> Latency {
        us.sort_by(f64::total_cmp);
        let at = |q: f64| {
            if us.is_empty() {
                0.0
            } else {
                us[((us.len() as f64 * q).ceil() as usize).clamp(1, us.len()) - 1]
            }
        };
        Latency {
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ClassResult {
    pub queries: usize,
    pub ours: Latency,
    pub fts: Latency,
    /// Mean total hits per query, ours and FTS5's.
    pub ours_hits: f64,
    pub fts_hits: f64,
    /// Queries whose total counts differ.
    pub disagreements: usize,
    /// Our one-query plan that scores every hit ([`Plan::Exhaustive`]), the reference the
    /// pruned plan is measured against in the same run.
    pub exhaustive: Latency,
    /// Queries whose hits (ids and scores, in order) or total differ between our two plans.
    pub plans_differ: usize,
    /// The queries FTS5 answered (all of them unless the run samples it).
    pub fts_queries: usize,
    /// The bare-tantivy reference answering the query's text alone, top 20 only; `None`
    /// for the classes without text.
    pub bare: Option<Latency>,
    /// Queries of the text-only classes whose total differs between ours and the bare
    /// index (an untimed count): they index the same words, so it must be 0.
    pub bare_differ: usize,
}

/// Everything one run measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub articles: u64,
    pub seed: u64,
    pub text_bytes: u64,
    pub claims: i64,
    pub ingest: Duration,
    pub ingest_index: Duration,
    /// Grouping the ingested claims into stories, after the last batch (what `claimtrail
    /// ingest` does next): timed apart, so end to end stays comparable with older runs.
    pub ingest_stories: Duration,
    pub ingest_peak_kb: Option<u64>,
    /// Peaks of heap and mapped pages while ingest ran (stories included).
    pub ingest_peaks: Option<Peaks>,
    pub storage: Duration,
    pub storage_index: Duration,
    pub storage_peak_kb: Option<u64>,
    pub storage_peaks: Option<Peaks>,
    /// Extraction alone, summed over the batches of the storage-only phase.
    pub extract: Duration,
    pub fts_build: Duration,
    /// FTS5 answered only this many queries per class.
    pub fts_sample: Option<usize>,
    /// Building the bare-tantivy reference from the store.
    pub bare_build: Duration,
    /// Segments of our index and of the bare one when the queries ran.
    pub segments: usize,
    pub bare_segments: usize,
    /// Bytes on disk: the store's database files, our index, the bare index, FTS5's.
    pub disk_db: u64,
    pub disk_index: u64,
    pub disk_bare: u64,
    pub disk_fts: u64,
    pub classes: Vec<ClassResult>,
    pub cli_median: Option<Duration>,
    pub cli_runs: usize,
    pub run_peak_kb: Option<u64>,
    pub load: String,
}

impl Report {
    /// True when both engines agree on every count of the filter-only classes, our two
    /// search plans give the same hits and totals on every query, and the bare index finds
    /// as many claims as ours for every text-only query.
    pub fn filters_agree(&self) -> bool {
        self.classes.iter().enumerate().all(|(i, c)| {
            (!unranked(i) || c.disagreements == 0) && c.plans_differ == 0 && c.bare_differ == 0
        })
    }

    fn mb_s(&self, d: Duration) -> f64 {
        self.text_bytes as f64 / 1e6 / d.as_secs_f64()
    }

    fn art_s(&self, d: Duration) -> f64 {
        self.articles as f64 / d.as_secs_f64()
    }

    /// The run as Markdown: ingest, then search.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let mb =
            |kb: Option<u64>| kb.map_or("n/a".into(), |k| format!("{:.0} MB", k as f64 / 1024.0));
        let _ = writeln!(
            s,
            "### {} articles (seed {}): {:.1} MB of text, {} claims\n\nload average (1/5/15 min) at the end: {}\n",
            self.articles,
            self.seed,
            self.text_bytes as f64 / 1e6,
            self.claims,
            self.load
        );
        let peaks = |p: Option<Peaks>| {
            p.map_or("n/a".into(), |p| {
                format!(
                    "{:.0} / {:.0} MB",
                    p.anon_kb as f64 / 1024.0,
                    p.file_kb as f64 / 1024.0
                )
            })
        };
        let _ = writeln!(
            s,
            "| ingest | time | articles/s | MB/s | peak RSS | peak heap / mapped files |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|");
        let _ = writeln!(
            s,
            "| end to end (read + extract + SQLite + index) | {:.2} s (index {:.2} s) | {:.0} | {:.2} | {} | {} |",
            self.ingest.as_secs_f64(),
            self.ingest_index.as_secs_f64(),
            self.art_s(self.ingest),
            self.mb_s(self.ingest),
            mb(self.ingest_peak_kb),
            peaks(self.ingest_peaks)
        );
        let _ = writeln!(
            s,
            "| stories (grouping the claims ingested end to end, after it) | {:.2} s | | | | |",
            self.ingest_stories.as_secs_f64()
        );
        let _ = writeln!(
            s,
            "| storage only (SQLite + index, claims extracted beforehand) | {:.2} s (index {:.2} s) | {:.0} | {:.2} | {} | {} |",
            self.storage.as_secs_f64(),
            self.storage_index.as_secs_f64(),
            self.art_s(self.storage),
            self.mb_s(self.storage),
            mb(self.storage_peak_kb),
            peaks(self.storage_peaks)
        );
        let _ = writeln!(
            s,
            "| extraction alone (untimed part of the storage-only phase) | {:.2} s | {:.0} | {:.2} | | |",
            self.extract.as_secs_f64(),
            self.art_s(self.extract),
            self.mb_s(self.extract)
        );
        let with_stories = self.ingest + self.ingest_stories;
        let _ = writeln!(
            s,
            "\nend to end / storage only: **{:.2}×**; with stories on / without: **{:.2}×**; with stories on / storage only: **{:.2}×**. FTS5 baseline built in {:.2} s; the bare-tantivy reference in {:.2} s. Peak RSS of the whole run: {}.\n",
            self.storage.as_secs_f64() / self.ingest.as_secs_f64(),
            self.ingest.as_secs_f64() / with_stories.as_secs_f64(),
            self.storage.as_secs_f64() / with_stories.as_secs_f64(),
            self.fts_build.as_secs_f64(),
            self.bare_build.as_secs_f64(),
            mb(self.run_peak_kb)
        );
        let size = |b: u64| format!("{:.0} MB", b as f64 / 1e6);
        let _ = writeln!(
            s,
            "On disk: the store's database {}, its index {} ({} segments), the bare-tantivy index {} ({} segments), FTS5 {}.\n",
            size(self.disk_db),
            size(self.disk_index),
            self.segments,
            size(self.disk_bare),
            self.bare_segments,
            size(self.disk_fts)
        );
        if let Some(n) = self.fts_sample {
            let _ = writeln!(
                s,
                "FTS5 answered the first {n} queries of each class only (`--fts-sample {n}`).\n"
            );
        }
        let _ = writeln!(
            s,
            "| query class | n | ours p50 / p90 / p99 (ms) | one query, every hit scored (ms) | bare tantivy, text alone, top 20 (ms) | p99 ours / bare | FTS5 p50 / p90 / p99 (ms) | p99 FTS5 / ours | mean hits ours / FTS5 | counts differ | plans differ | totals differ from bare |"
        );
        let _ = writeln!(
            s,
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        let ms = |l: Latency| {
            format!(
                "{:.2} / {:.2} / {:.2}",
                l.p50 / 1e3,
                l.p90 / 1e3,
                l.p99 / 1e3
            )
        };
        for (i, c) in self.classes.iter().enumerate() {
            let n = if c.fts_queries == c.queries {
                c.queries.to_string()
            } else {
                format!("{} (FTS5 {})", c.queries, c.fts_queries)
            };
            let (bare, ratio) = match c.bare {
                Some(b) => (ms(b), format!("{:.1}×", c.ours.p99 / b.p99.max(1e-9))),
                None => ("n/a".into(), "n/a".into()),
            };
            let bare_differ = if i <= 2 {
                c.bare_differ.to_string()
            } else {
                "n/a".into()
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {:.1}× | {:.0} / {:.0} | {} | {} | {} |",
                CLASSES[i],
                n,
                ms(c.ours),
                ms(c.exhaustive),
                bare,
                ratio,
                ms(c.fts),
                c.fts.p99 / c.ours.p99.max(1e-9),
                c.ours_hits,
                c.fts_hits,
                c.disagreements,
                c.plans_differ,
                bare_differ
            );
        }
        match self.cli_median {
            Some(m) => {
                let _ = writeln!(
                    s,
                    "\none-shot `claimtrail search WORD` process: median **{:.1} ms** over {} runs",
                    m.as_secs_f64() * 1e3,
                    self.cli_runs
                );
            }
            None => {
                let _ = writeln!(s, "\none-shot CLI: not run");
            }
        }
        s
    }
}

/// Runs the benchmark; `log` hears what each phase is doing.
pub fn run(cfg: &Config, mut log: impl FnMut(&str)) -> Result<Report> {
    if cfg.dir.exists() && std::fs::read_dir(&cfg.dir)?.next().is_some() {
        bail!(
            "{}: the work folder must be new or empty",
            cfg.dir.display()
        );
    }
    let mut r = Report {
        articles: cfg.articles,
        seed: cfg.seed,
        fts_sample: cfg.fts_sample,
        ..Report::default()
    };

    log("generating the corpus");
    let corpus = cfg.dir.join("corpus");
    let (files, bytes) = corpus::write_corpus(&corpus, cfg.articles, cfg.seed)
        .with_context(|| format!("writing {}", corpus.display()))?;
    r.text_bytes = bytes;

    log("ingest, end to end");
    reset_peak();
    let sampler = Sampler::start();
    let start = Instant::now();
    let mut store = Store::open(cfg.dir.join("e2e"))?;
    let extractor = Extractor::new();
    let follower = Follower::start(&store);
    batches(&files, |batch| {
        store.ingest(batch, &extractor)?;
        follower.notify();
        Ok(())
    })?;
    let index_start = Instant::now();
    follower.finish(&store)?;
    r.ingest_index = index_start.elapsed();
    r.ingest = start.elapsed();
    let stories_start = Instant::now();
    store.group_stories(crate::store::StoryScope::New(-1))?;
    r.ingest_stories = stories_start.elapsed();
    r.ingest_peak_kb = peak_kb();
    r.ingest_peaks = sampler.stop();
    r.claims = store.counts()?.claims;

    log("ingest, storage only");
    reset_peak();
    let sampler = Sampler::start();
    let mut stored = Store::open(cfg.dir.join("storage"))?;
    let mut storage = Duration::ZERO;
    let mut extract = Duration::ZERO;
    let follower = Follower::start(&stored);
    batches(&files, |batch| {
        let t = Instant::now();
        let extracted: Vec<(Document, _)> = batch
            .iter()
            .map(|d| (d.clone(), extractor.extract(&d.text, &d.meta)))
            .collect();
        extract += t.elapsed();
        let t = Instant::now();
        stored.ingest_extracted(&extracted)?;
        follower.notify();
        storage += t.elapsed();
        Ok(())
    })?;
    let t = Instant::now();
    follower.finish(&stored)?;
    r.storage_index = t.elapsed();
    r.storage = storage + r.storage_index;
    r.extract = extract;
    r.storage_peak_kb = peak_kb();
    r.storage_peaks = sampler.stop();
    if stored.counts()?.claims != r.claims {
        bail!("the storage-only store holds another number of claims than the ingested one");
    }
    drop(stored);

    log("verdicts on 40% of the claims");
    give_verdicts(&mut store, r.claims)?;
    let index = SearchIndex::open(&store)?;

    log("the FTS5 baseline");
    reset_peak();
    let t = Instant::now();
    let (fts, samples) = build_fts(&store, &cfg.dir.join("fts.db"))?;
    r.fts_build = t.elapsed();

    log("the bare-tantivy reference");
    let t = Instant::now();
    let bare = Bare::build(&store, &cfg.dir.join("bare"))?;
    r.bare_build = t.elapsed();

    log("queries");
    let queries = make_queries(&samples, cfg.seed, cfg.queries_per_class);
    r.classes = run_queries(&index, &fts, &bare, &queries, cfg.fts_sample)?;
    r.segments = index.parts().1.searcher().segment_readers().len();
    r.bare_segments = bare.segments();
    let e2e = cfg.dir.join("e2e");
    r.disk_index = disk_bytes(&e2e.join(crate::store::INDEX_DIR));
    r.disk_db = disk_bytes(&e2e).saturating_sub(r.disk_index);
    r.disk_bare = disk_bytes(&cfg.dir.join("bare"));
    r.disk_fts = ["fts.db", "fts.db-wal", "fts.db-shm"]
        .iter()
        .map(|f| disk_bytes(&cfg.dir.join(f)))
        .sum();

    if let Some(bin) = &cfg.cli {
        log("one-shot CLI");
        let words: Vec<&Query> = queries
            .iter()
            .filter(|q| q.class == 0)
            .take(cfg.cli_runs)
            .collect();
        let mut times = Vec::new();
        for q in words {
            let t = Instant::now();
            let status = Command::new(bin)
                .arg("--db")
                .arg(cfg.dir.join("e2e"))
                .args(["search", q.text.as_deref().unwrap_or("")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .with_context(|| format!("running {}", bin.display()))?;
            times.push(t.elapsed());
            if !matches!(status.code(), Some(0 | 1)) {
                bail!("claimtrail search failed: {status}");
            }
        }
        times.sort();
        r.cli_runs = times.len();
        r.cli_median = times.get(times.len() / 2).copied();
    }
    r.run_peak_kb = peak_kb();
    r.load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into());
    Ok(r)
}

/// Reads the shards and hands out batches as `claimtrail ingest` makes them.
fn batches(files: &[PathBuf], mut f: impl FnMut(&[Document]) -> Result<()>) -> Result<()> {
    let mut batch: Vec<Document> = Vec::new();
    let mut bytes = 0usize;
    for file in files {
        for doc in read::read_file(file)? {
            let doc = doc?;
            bytes += doc.text.len();
            batch.push(doc);
            if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
                f(&batch)?;
                batch.clear();
                bytes = 0;
            }
        }
    }
    if !batch.is_empty() {
        f(&batch)?;
    }
    Ok(())
}

/// The status the benchmark gives claim `id`: 60% stay unverified.
fn status_of(id: i64) -> Status {
    match id % 10 {
        0 => Status::Confirmed,
        1 => Status::Disputed,
        2 => Status::False,
        3 => Status::Unconfirmable,
        _ => Status::Unverified,
    }
}

fn give_verdicts(store: &mut Store, claims: i64) -> Result<()> {
    let at = chrono::DateTime::from_timestamp(1_735_689_600, 0).unwrap_or_default();
    for status in [
        Status::Confirmed,
        Status::Disputed,
        Status::False,
        Status::Unconfirmable,
    ] {
        let ids: Vec<i64> = (1..=claims).filter(|id| status_of(*id) == status).collect();
        for chunk in ids.chunks(10_000) {
            store.add_verdicts(chunk, status, None, &[], Some("bench"), at)?;
        }
    }
    Ok(())
}

/// A claim kept to draw queries from.
struct Sample {
    words: Vec<String>,
    outlets: Vec<String>,
}

/// Builds the baseline database from the store's claims; returns it and every 7th claim as
/// query material.
fn build_fts(store: &Store, path: &Path) -> Result<(Connection, Vec<Sample>)> {
    let mut db = Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE VIRTUAL TABLE fts USING fts5(text, sentence, tokenize = 'porter unicode61');
         CREATE TABLE claim (id INTEGER PRIMARY KEY, status TEXT NOT NULL, published INTEGER);
         CREATE TABLE claim_outlet (outlet TEXT NOT NULL, claim_id INTEGER NOT NULL,
             PRIMARY KEY (outlet, claim_id)) WITHOUT ROWID;",
    )?;
    let enabled: i64 =
        db.query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })?;
    if enabled != 1 {
        bail!("this SQLite was built without FTS5");
    }
    let mut samples = Vec::new();
    let tx = db.transaction()?;
    {
        let mut fts = tx.prepare("INSERT INTO fts (rowid, text, sentence) VALUES (?1, ?2, ?3)")?;
        let mut claim =
            tx.prepare("INSERT INTO claim (id, status, published) VALUES (?1, ?2, ?3)")?;
        let mut outlet =
            tx.prepare("INSERT OR IGNORE INTO claim_outlet (outlet, claim_id) VALUES (?1, ?2)")?;
        store.visit_claims(None, |c| -> Result<()> {
            fts.execute(params![c.id, c.claim.text, c.claim.sentence])?;
            claim.execute(params![
                c.id,
                c.status.as_str(),
                c.article.published.map(|d| d.num_days_from_ce())
            ])?;
            // The outlets the index gives a claim: the publisher and every outlet of the chain.
            let mut outlets: Vec<String> = c.article.outlet.iter().map(|o| exact(o)).collect();
            for link in &c.claim.chain {
                if link.kind == crate::model::SourceKind::Outlet
                    || link.role == crate::model::Role::Publisher
                {
                    outlets.push(exact(&link.name));
                }
            }
            for o in &outlets {
                outlet.execute(params![o, c.id])?;
            }
            if c.id % 7 == 0 {
                let words: Vec<String> = c
                    .claim
                    .text
                    .split(|ch: char| !ch.is_ascii_alphabetic())
                    .filter(|w| w.len() >= 3)
                    .map(str::to_lowercase)
                    .collect();
                if words.len() >= 2 {
                    samples.push(Sample { words, outlets });
                }
            }
            Ok(())
        })?;
    }
    tx.execute_batch(
        "CREATE INDEX claim_status_published ON claim (status, published);
         CREATE INDEX claim_published ON claim (published);",
    )?;
    tx.commit()?;
    db.execute_batch("INSERT INTO fts (fts) VALUES ('optimize'); ANALYZE;")?;
    if samples.is_empty() {
        bail!("no claims to draw queries from");
    }
    Ok((db, samples))
}

fn exact(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn make_queries(samples: &[Sample], seed: u64, per_class: usize) -> Vec<Query> {
    let mut rng = corpus::Rng::new(seed ^ 0x0051_EA2C_4000);
    let statuses = [
        Status::Unverified,
        Status::Confirmed,
        Status::Disputed,
        Status::False,
        Status::Unconfirmable,
    ];
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut out = Vec::new();
    for class in 0..CLASSES.len() {
        for _ in 0..per_class {
            let s = rng.pick(samples);
            let word = |rng: &mut corpus::Rng| rng.pick(&s.words).clone();
            let mut q = Query {
                class,
                text: None,
                outlet: None,
                status: None,
                range: None,
            };
            match class {
                0 => q.text = Some(word(&mut rng)),
                1 => q.text = Some(format!("{} {}", word(&mut rng), word(&mut rng))),
                2 => {
                    let at = rng.below(s.words.len() - 1);
                    q.text = Some(format!("\"{} {}\"", s.words[at], s.words[at + 1]));
                }
                3 => {
                    q.text = Some(word(&mut rng));
                    q.outlet = s.outlets.first().cloned();
                }
                4 => {
                    q.text = Some(word(&mut rng));
                    q.status = Some(*rng.pick(&statuses));
                }
                5 => {
                    q.outlet = Some(exact(rng.pick::<&str>(corpus::OUTLETS)));
                    q.status = Some(*rng.pick(&statuses));
                }
                _ => {
                    let from = start + chrono::Days::new(rng.below(731) as u64);
                    let to = from + chrono::Days::new(rng.below(60) as u64);
                    q.range = Some((from, to));
                }
            }
            out.push(q);
        }
    }
    out
}

/// The FTS5 MATCH expression of free text: each word a quoted string (so no word is read as
/// an operator), a phrase one quoted string; words are all required, as ours are.
fn fts_match(text: &str) -> String {
    if text.starts_with('"') {
        text.to_string()
    } else {
        text.split_whitespace()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn run_queries(
    index: &SearchIndex,
    fts: &Connection,
    bare: &Bare,
    queries: &[Query],
    fts_sample: Option<usize>,
) -> Result<Vec<ClassResult>> {
    let mut results = vec![ClassResult::default(); CLASSES.len()];
    let mut ours_us: Vec<Vec<f64>> = vec![Vec::new(); CLASSES.len()];
    let mut fts_us: Vec<Vec<f64>> = vec![Vec::new(); CLASSES.len()];
    let mut exhaustive_us: Vec<Vec<f64>> = vec![Vec::new(); CLASSES.len()];
    let mut bare_us: Vec<Vec<f64>> = vec![Vec::new(); CLASSES.len()];
    // Whether FTS5 answers the query: the first `fts_sample` of its class.
    let mut seen = vec![0usize; CLASSES.len()];
    let sampled: Vec<bool> = queries
        .iter()
        .map(|q| {
            seen[q.class] += 1;
            fts_sample.is_none_or(|n| seen[q.class] <= n)
        })
        .collect();
    // Warm every engine up with the first queries of each class, untimed.
    for (q, sampled) in queries.iter().zip(&sampled).step_by(20) {
        ours(index, q, Plan::Pruned)?;
        if *sampled {
            baseline(fts, q)?;
        }
        if let Some(text) = &q.text {
            bare.top(text, LIMIT)?;
        }
    }
    for (n, q) in queries.iter().enumerate() {
        // The plan that runs second finds the query's pages warm: each goes first for half
        // of the queries.
        let timed = |plan: Plan| -> Result<(SearchResult, f64)> {
            let t = Instant::now();
            let found = ours(index, q, plan)?;
            Ok((found, t.elapsed().as_secs_f64() * 1e6))
        };
        let ((found, pruned), (reference, exhaustive)) = if n % 2 == 0 {
            let a = timed(Plan::Pruned)?;
            (a, timed(Plan::Exhaustive)?)
        } else {
            let b = timed(Plan::Exhaustive)?;
            (timed(Plan::Pruned)?, b)
        };
        ours_us[q.class].push(pruned);
        exhaustive_us[q.class].push(exhaustive);
        if found != reference {
            results[q.class].plans_differ += 1;
        }
        let a = found.total;
        if let Some(text) = &q.text {
            let t = Instant::now();
            bare.top(text, LIMIT)?;
            bare_us[q.class].push(t.elapsed().as_secs_f64() * 1e6);
            // The text-only classes: the bare index must find what ours finds.
            if q.outlet.is_none() && q.status.is_none() && q.range.is_none() {
                let counted = bare.count(text)?;
                if counted != a {
                    results[q.class].bare_differ += 1;
                }
            }
        }
        let c = &mut results[q.class];
        c.queries += 1;
        c.ours_hits += a as f64;
        if sampled[n] {
            let t = Instant::now();
            let b = baseline(fts, q)?;
            fts_us[q.class].push(t.elapsed().as_secs_f64() * 1e6);
            c.fts_queries += 1;
            c.fts_hits += b as f64;
            if a != b {
                c.disagreements += 1;
            }
        }
    }
    for (i, c) in results.iter_mut().enumerate() {
        c.ours_hits /= c.queries.max(1) as f64;
        c.fts_hits /= c.fts_queries.max(1) as f64;
        c.ours = Latency::of(std::mem::take(&mut ours_us[i]));
        c.fts = Latency::of(std::mem::take(&mut fts_us[i]));
        c.exhaustive = Latency::of(std::mem::take(&mut exhaustive_us[i]));
        let bare = std::mem::take(&mut bare_us[i]);
        c.bare = (!bare.is_empty()).then(|| Latency::of(bare));
    }
    Ok(results)
}

/// Our answer: the top hits and the total, as `claimtrail search` asks for them.
fn ours(index: &SearchIndex, q: &Query, plan: Plan) -> Result<SearchResult> {
    let filters = Filters {
        outlets: q.outlet.iter().cloned().collect(),
        statuses: q.status.into_iter().collect(),
        since: q.range.map(|r| r.0),
        until: q.range.map(|r| r.1),
        ..Filters::default()
    };
    let found = index.search_with(q.text.as_deref(), &filters, Ranking::Relevance, LIMIT, plan)?;
    Ok(std::hint::black_box(found))
}

/// FTS5's answer: the top ids (by bm25 with words, newest first without) and the total.
/// With words, the full-text match runs first (a materialised CTE) and the filters apply
/// to its rows: left to itself, the planner drives an `IN` filter into FTS5 one rowid at a
/// time, hundreds of times slower.
fn baseline(db: &Connection, q: &Query) -> Result<usize> {
    use rusqlite::types::Value as V;
    let mut conds: Vec<&str> = Vec::new();
    let mut args: Vec<V> = Vec::new();
    let (with, from, id, order) = match &q.text {
        Some(text) => {
            args.push(V::Text(fts_match(text)));
            (
                "WITH m AS MATERIALIZED (SELECT rowid AS id, rank FROM fts WHERE fts MATCH ?) ",
                "m JOIN claim c ON c.id = m.id",
                "m.id",
                "ORDER BY m.rank",
            )
        }
        None => (
            "",
            "claim c",
            "c.id",
            "ORDER BY c.published DESC, c.id DESC",
        ),
    };
    if let Some(o) = &q.outlet {
        conds.push("c.id IN (SELECT claim_id FROM claim_outlet WHERE outlet = ?)");
        args.push(V::Text(o.clone()));
    }
    if let Some(s) = q.status {
        conds.push("c.status = ?");
        args.push(V::Text(s.as_str().into()));
    }
    if let Some((from, to)) = q.range {
        conds.push("c.published BETWEEN ? AND ?");
        args.push(V::Integer(from.num_days_from_ce().into()));
        args.push(V::Integer(to.num_days_from_ce().into()));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let top = format!("{with}SELECT {id} FROM {from} {filter} {order} LIMIT {LIMIT}");
    let ids: Vec<i64> = db
        .prepare_cached(&top)?
        .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    std::hint::black_box(&ids);
    let count = format!("{with}SELECT count(*) FROM {from} {filter}");
    let total: i64 = db
        .prepare_cached(&count)?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    Ok(total as usize)
}
