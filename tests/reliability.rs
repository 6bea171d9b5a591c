//! Issue 7: nothing is lost under crashes, concurrency and hostile input.
//!
//! One test, [`reliability_table`], runs every scenario below and prints the table
//! `what was tried | times | lost` (see it with `cargo test --test tests reliability --
//! --nocapture`); it fails unless every row shows 0 lost, and lists what was lost.
//!
//! - **Crashes**: `ingest`, `verify` (many ids, and `--query ... --yes`) and `reindex` are
//!   killed with SIGKILL at a random point of their run, 20 times each: the delay is drawn
//!   from a seeded generator between 0 and the time one whole run took on this machine
//!   (measured first), so the kills land all over the run. After each kill `claimtrail
//!   check` must pass (after the automatic catch-up), every verdict that a `verify` reported
//!   written must be there, a killed `verify` must have written all its verdicts or none,
//!   and every stored article must be whole. `report -o` and `gen-corpus` are killed the
//!   same way: their files must be whole or absent, never cut short.
//! - **Concurrency**: two `ingest`s of overlapping folders, a `verify` loop and a `search`
//!   loop on one store at once: the only error allowed is "the store is busy" after the
//!   busy timeout; no article twice, every verdict reported is there, every search works.
//!   And three `ingest`s and a `search` creating one new store together, 20 times.
//! - **Hostile input**: property-based fuzzing (proptest, seeded) of every reader and of
//!   the extractor and the query parser, never a panic; HTML nested 100,000 deep; a 1 GB
//!   (sparse) file and a 200 MB JSON Lines file refused by size with memory bounded; many
//!   small files (1,000 here, 100,000 in the long mode); symbolic link loops; file names
//!   with newlines and invalid UTF-8; terminal escape sequences in an article; a 10 MB
//!   front matter value; queries full of SQL and tantivy syntax; claims holding HTML and
//!   JavaScript in every report format.
//!
//! - **Verdict integrity** (issue 11): a bulk `verify --query` and 12 `verify`s at once on a
//!   generated store (a non-zero exit only when nothing was written); two stores judging
//!   the same claims at different times and exchanging exports (both end with the latest
//!   verdict by time as every status, and the same histories); a bulk verify choosing from
//!   an index held behind (every claim judged meanwhile left alone); `verify` → `search`
//!   pairs while `reindex` loops; a full disk at the index commit and at the SQLite commit
//!   of `verify` (exit 0 if and only if written).
//!
//! `CLAIMTRAIL_RELIABILITY_LONG=1` runs the long mode: more kills, more fuzz cases, more
//! concurrency rounds and 100,000 small files. The seed is fixed ([`SEED`]); a failure
//! reproduces with the same build on the same machine (kill points depend on timing).

use crate::common::{TestEnv, arg, ids};
use claimtrail::extract::Extractor;
use claimtrail::model::ArticleMeta;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::CORPUS_ARTICLES;

/// The seed of every random choice of the suite.
const SEED: u64 = 0x00C1_A117_7EA1;

fn long_mode() -> bool {
    std::env::var("CLAIMTRAIL_RELIABILITY_LONG").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The sizes of one mode.
struct Plan {
    kills: usize,
    file_kills: usize,
    fuzz_cases: u32,
    concurrency_rounds: usize,
    new_store_rounds: usize,
    small_files: usize,
}

impl Plan {
    fn get() -> Plan {
        if long_mode() {
            Plan {
                kills: 100,
                file_kills: 50,
                fuzz_cases: 5000,
                concurrency_rounds: 10,
                new_store_rounds: 100,
                small_files: 100_000,
            }
        } else {
            Plan {
                kills: 20,
                file_kills: 10,
                fuzz_cases: 200,
                concurrency_rounds: 2,
                new_store_rounds: 20,
                small_files: 1_000,
            }
        }
    }
}

/// SplitMix64: a tiny seeded generator, enough to place kills and pick claims.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 for n = 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A delay uniform in `0..max`.
    fn delay(&mut self, max: Duration) -> Duration {
        Duration::from_micros(self.below(max.as_micros() as u64))
    }

    /// `n` distinct items of `items`, in their order.
    fn pick<T: Copy + Ord>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut chosen = BTreeSet::new();
        while chosen.len() < n.min(items.len()) {
            chosen.insert(items[self.below(items.len() as u64) as usize]);
        }
        chosen.into_iter().collect()
    }
}

/// One row of the table: what was tried, how many times, how much was lost, and what.
struct Row {
    what: String,
    times: usize,
    lost: usize,
    problems: Vec<String>,
}

impl Row {
    fn new(what: impl Into<String>) -> Row {
        Row {
            what: what.into(),
            times: 0,
            lost: 0,
            problems: Vec::new(),
        }
    }

    /// Records `n` things lost (a verdict, an article, a panic, a failed check) and why.
    fn lose(&mut self, n: usize, problem: impl Into<String>) {
        self.lost += n.max(1);
        let problem = problem.into();
        // The first lines of each problem are enough to start from.
        let short: String = problem.lines().take(12).collect::<Vec<_>>().join("\n    ");
        self.problems.push(short);
    }
}

fn print_table(rows: &[Row], elapsed: Duration) -> String {
    let width = rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = format!(
        "\nreliability ({} mode, seed {SEED:#x})\n{:<width$} | {:>6} | {:>4}\n{}-|-{}-|-{}\n",
        if long_mode() { "long" } else { "short" },
        "what was tried",
        "times",
        "lost",
        "-".repeat(width),
        "-".repeat(6),
        "-".repeat(4),
    );
    for r in rows {
        s.push_str(&format!(
            "{:<width$} | {:>6} | {:>4}\n",
            r.what, r.times, r.lost
        ));
    }
    s.push_str(&format!("({:.0} s)\n", elapsed.as_secs_f64()));
    s
}

/// The table, every row 0 lost. The scenarios run one after another in three threads
/// (crashes, concurrency, hostile input); a scenario that panics is a row with 1 lost.
#[test]
fn reliability_table() {
    let start = Instant::now();
    let plan = &Plan::get();
    type Scenario = fn(&Plan, &mut Rng) -> Vec<Row>;
    let groups: Vec<Vec<(&str, Scenario)>> = vec![
        vec![
            ("crash: ingest", crash_ingest),
            ("crash: verify", crash_verify),
            ("crash: reindex", crash_reindex),
            ("crash: report -o and gen-corpus", crash_files),
        ],
        vec![
            ("concurrency", concurrency),
            ("hostile: files", hostile_files),
            ("integrity", integrity),
        ],
        vec![
            ("hostile: fuzz", fuzz),
            ("hostile: queries and reports", hostile_queries_and_reports),
        ],
    ];
    let rows: Vec<Row> = std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .enumerate()
            .map(|(g, group)| {
                scope.spawn(move || {
                    let mut rows = Vec::new();
                    for (i, (name, scenario)) in group.into_iter().enumerate() {
                        let mut rng = Rng::new(SEED ^ ((g as u64) << 32) ^ i as u64);
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            scenario(plan, &mut rng)
                        }));
                        match result {
                            Ok(r) => rows.extend(r),
                            Err(e) => {
                                let message = e
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                let mut row = Row::new(format!("{name} (panicked)"));
                                row.lose(1, message);
                                rows.push(row);
                            }
                        }
                    }
                    rows
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a scenario group"))
            .collect()
    });
    let table = print_table(&rows, start.elapsed());
    println!("{table}");
    let lost: Vec<String> = rows
        .iter()
        .filter(|r| r.lost > 0)
        .map(|r| format!("{}:\n    {}", r.what, r.problems.join("\n    ")))
        .collect();
    assert!(lost.is_empty(), "{table}\nlost:\n{}", lost.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Running the binary

/// The binary on `env`'s store with the pinned clock, output discarded.
fn command(env: &TestEnv, args: &[&str]) -> Command {
    env.background(args)
}

/// How a run that was to be killed ended.
enum Ended {
    /// SIGKILL while it ran.
    Killed,
    /// It had finished before the kill was due.
    Finished(ExitStatus),
}

/// Runs `cmd` and sends SIGKILL after `delay` unless it has finished by then.
fn run_and_kill(mut cmd: Command, delay: Duration) -> Ended {
    let mut child = cmd.spawn().expect("spawn claimtrail");
    let due = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Ended::Finished(status);
        }
        let now = Instant::now();
        if now >= due {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            return Ended::Killed;
        }
        std::thread::sleep((due - now).min(Duration::from_millis(2)));
    }
}

/// How long one whole run of `args` takes (it must succeed): the range kills are drawn from.
fn whole_run(env: &TestEnv, args: &[&str]) -> Duration {
    let start = Instant::now();
    let run = env.run(args);
    assert_eq!(run.code, 0, "{args:?}\n{run}");
    start.elapsed()
}

/// `check` passes, or what it said.
fn check(env: &TestEnv) -> Result<(), String> {
    let run = env.run(&["check"]);
    if run.code == 0 {
        Ok(())
    } else {
        Err(format!("check failed:\n{run}"))
    }
}

/// The claims holding a verdict with this note, with repeats (a verdict written twice shows).
fn verdicts_noted(env: &TestEnv, note: &str) -> Vec<i64> {
    env.db()
        .prepare("SELECT claim_id FROM verdicts WHERE note = ?1 ORDER BY claim_id")
        .unwrap()
        .query_map([note], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn claim_ids(env: &TestEnv, sql: &str) -> Vec<i64> {
    env.db()
        .prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Verdicts that `verify` reported written: each note, and the claims it was written for.
#[derive(Default)]
struct Written(Vec<(String, Vec<i64>)>);

impl Written {
    /// Runs `verify` on `ids` to its end; when it says it wrote them, remembers them.
    fn verify(&mut self, env: &TestEnv, ids: &[i64], note: &str) -> bool {
        let mut args = vec!["verify".to_string()];
        args.extend(ids.iter().map(|i| i.to_string()));
        args.extend(["--status", "confirmed", "--note", note, "--by", "tester"].map(String::from));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run(&args);
        if run.code == 0 {
            self.0.push((note.to_string(), ids.to_vec()));
        }
        run.code == 0
    }

    /// The verdicts missing from the store, counted, with a word on each.
    fn missing(&self, env: &TestEnv) -> Vec<(usize, String)> {
        self.0
            .iter()
            .filter_map(|(note, ids)| {
                let found = verdicts_noted(env, note);
                (found != *ids).then(|| {
                    (
                        ids.len().abs_diff(found.len()).max(1),
                        format!("verdicts '{note}': reported for {ids:?}, stored for {found:?}"),
                    )
                })
            })
            .collect()
    }
}

/// Articles stored whole: each stored article has exactly the claims that extracting its
/// file gives (ingest stores an article and its claims in one transaction). Returns the
/// articles that are not whole.
fn partial_articles(env: &TestEnv) -> Vec<String> {
    let rows: Vec<(String, i64)> = env
        .db()
        .prepare(
            "SELECT a.source_path, (SELECT count(*) FROM claims c WHERE c.article_id = a.id)
             FROM articles a WHERE a.source_path LIKE '%/runs/%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let extractor = Extractor::new();
    rows.into_iter()
        .filter_map(|(path, stored)| {
            let docs = claimtrail::read::read_file(Path::new(&path)).ok()?;
            let doc = docs.into_iter().next()?.ok()?;
            // Claims with the same key (text and speaker) are one stored claim.
            let keys: BTreeSet<String> = extractor
                .extract(&doc.text, &doc.meta)
                .claims
                .iter()
                .map(claimtrail::store::key::claim_key)
                .collect();
            (keys.len() as i64 != stored)
                .then(|| format!("{path}: {stored} claims stored, {} extracted", keys.len()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Crashes

fn crash_ingest(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    // Several batches (256 documents each) a run, so kills also land between two commits.
    const PER_RUN: usize = 700;
    let env = TestEnv::with_corpus();
    let mut written = Written::default();
    assert!(written.verify(&env, &[1, 2, 3], "before the ingest kills"));
    let cal = env.write_articles_numbered("runs/calibration", 900_000..900_000 + PER_RUN);
    let whole = whole_run(&env, &["ingest", &arg(&cal)]);

    let mut row = Row::new("");
    let mut partly = 0;
    let mut run = 0;
    while row.times < plan.kills && run < plan.kills * 3 {
        let numbers = run * PER_RUN..(run + 1) * PER_RUN;
        run += 1;
        let folder = env.write_articles_numbered(&format!("runs/{run:03}"), numbers);
        let before = env.counts()["articles"];
        let ended = run_and_kill(command(&env, &["ingest", &arg(&folder)]), rng.delay(whole));
        if let Ended::Finished(status) = ended {
            if !status.success() {
                row.lose(1, format!("ingest run {run} failed unkilled: {status}"));
            }
            continue;
        }
        row.times += 1;
        let stored = env.counts()["articles"] - before;
        if stored > 0 && stored < PER_RUN as i64 {
            partly += 1;
        }
        if let Err(e) = check(&env) {
            row.lose(1, format!("after ingest kill {}: {e}", row.times));
        }
        for (n, problem) in written.missing(&env) {
            row.lose(n, problem);
        }
        // A verdict between kills, reported written: it must outlive the next kills.
        let id = 1 + rng.below(50) as i64;
        written.verify(&env, &[id], &format!("between ingest kills {}", row.times));
    }
    for problem in partial_articles(&env) {
        row.lose(1, problem);
    }
    // Running the same ingest again completes what was killed.
    let again = env.run(&["ingest", &arg(&env.dir().join("runs"))]);
    if again.code != 0 {
        row.lose(1, format!("ingest after the kills:\n{again}"));
    }
    let expected = CORPUS_ARTICLES + (run + 1) * PER_RUN;
    let articles = env.counts()["articles"] as usize;
    if articles != expected {
        row.lose(
            expected.abs_diff(articles),
            format!("{articles} articles after the re-run, {expected} expected"),
        );
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    row.what =
        format!("crash: SIGKILL ingest ({PER_RUN} articles, {partly} kills between commits)");
    vec![row]
}

fn crash_verify(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    let env = TestEnv::with_corpus();
    let folder = env.write_articles("batch", 200);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    let all = claim_ids(&env, "SELECT id FROM claims ORDER BY id");
    let query = "outlet:\"Batch Wire\" berth";
    let matching = ids(&env.json(&["search", query, "--limit", "100000", "--format", "json"]));
    let mut matching_sorted = matching.clone();
    matching_sorted.sort_unstable();
    assert!(matching.len() > 100, "{}", matching.len());
    let whole_query = whole_run(
        &env,
        &[
            "verify",
            "--query",
            query,
            "--status",
            "disputed",
            "--note",
            "calibration",
            "--yes",
        ],
    );
    let many: Vec<String> = all.iter().take(150).map(|i| i.to_string()).collect();
    let mut args = vec!["verify"];
    args.extend(many.iter().map(String::as_str));
    args.extend(["--status", "disputed", "--note", "calibration 2"]);
    let whole_ids = whole_run(&env, &args);

    let mut written = Written::default();
    let mut row = Row::new("");
    let (mut none, mut every) = (0, 0);
    let mut attempt = 0;
    while row.times < plan.kills && attempt < plan.kills * 3 {
        attempt += 1;
        // A verify that runs to its end first: its verdicts must outlive every later kill.
        let done = rng.pick(&all, 3);
        written.verify(&env, &done, &format!("done {attempt}"));

        let note = format!("killed {attempt}");
        let by_query = attempt % 2 == 0;
        let (targets, args, whole) = if by_query {
            let args: Vec<String> = ["verify", "--query", query, "--status", "false"]
                .iter()
                .map(|s| s.to_string())
                .chain(["--note".into(), note.clone(), "--yes".into()])
                .collect();
            (matching_sorted.clone(), args, whole_query)
        } else {
            let targets = rng.pick(&all, 150);
            let mut args = vec!["verify".to_string()];
            args.extend(targets.iter().map(|i| i.to_string()));
            args.extend([
                "--status".into(),
                "unconfirmable".into(),
                "--note".into(),
                note.clone(),
            ]);
            (targets, args, whole_ids)
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ended = run_and_kill(command(&env, &args), rng.delay(whole));
        let stored = verdicts_noted(&env, &note);
        match ended {
            Ended::Finished(status) => {
                if !status.success() || stored != targets {
                    row.lose(
                        1,
                        format!(
                            "unkilled verify {attempt} ({status}): {} of {} verdicts",
                            stored.len(),
                            targets.len()
                        ),
                    );
                }
                continue;
            }
            Ended::Killed => row.times += 1,
        }
        if stored.is_empty() {
            none += 1;
        } else if stored == targets {
            every += 1;
        } else {
            row.lose(
                targets.len().abs_diff(stored.len()).max(1),
                format!(
                    "killed verify {attempt} wrote {} of {} verdicts",
                    stored.len(),
                    targets.len()
                ),
            );
        }
        if let Err(e) = check(&env) {
            row.lose(1, format!("after verify kill {}: {e}", row.times));
        }
        for (n, problem) in written.missing(&env) {
            row.lose(n, problem);
        }
    }
    row.what = format!("crash: SIGKILL verify, ids and --query (all written {every}, none {none})");
    vec![row]
}

fn crash_reindex(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    let env = TestEnv::with_corpus();
    let folder = env.write_articles("batch", 300);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    let mut written = Written::default();
    assert!(written.verify(&env, &[4, 5, 6], "before the reindex kills"));
    let confirmed = || {
        ids(&env.json(&[
            "search",
            "--status",
            "confirmed",
            "--limit",
            "100000",
            "--format",
            "json",
        ]))
    };
    let before = confirmed();
    let whole = whole_run(&env, &["reindex"]);
    let mut row = Row::new("crash: SIGKILL reindex");
    let mut attempt = 0;
    while row.times < plan.kills && attempt < plan.kills * 3 {
        attempt += 1;
        match run_and_kill(command(&env, &["reindex"]), rng.delay(whole)) {
            Ended::Finished(status) => {
                if !status.success() {
                    row.lose(1, format!("unkilled reindex: {status}"));
                }
                continue;
            }
            Ended::Killed => row.times += 1,
        }
        if let Err(e) = check(&env) {
            row.lose(1, format!("after reindex kill {}: {e}", row.times));
        }
        let leftovers: Vec<String> = std::fs::read_dir(env.store())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("index."))
            .collect();
        if !leftovers.is_empty() {
            row.lose(1, format!("left behind after check: {leftovers:?}"));
        }
        let after = confirmed();
        if after != before {
            row.lose(1, format!("confirmed claims {before:?} became {after:?}"));
        }
        for (n, problem) in written.missing(&env) {
            row.lose(n, problem);
        }
    }
    vec![row]
}

/// `report -o` and `gen-corpus` killed: every file they leave is whole (the same bytes as a
/// whole run's), never cut short; the next run removes the temporary files of a killed one.
fn crash_files(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    let env = TestEnv::with_corpus();
    let folder = env.write_articles("batch", 300);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    std::fs::create_dir_all(env.dir().join("out")).unwrap();
    let reference_path = env.dir().join("reference.html");
    let whole = whole_run(
        &env,
        &["report", "--format", "html", "-o", &arg(&reference_path)],
    );
    let reference = std::fs::read(&reference_path).unwrap();
    let mut report = Row::new(format!(
        "crash: SIGKILL report -o ({} KB), file whole or absent",
        reference.len() / 1024
    ));
    let mut attempt = 0;
    while report.times < plan.file_kills && attempt < plan.file_kills * 3 {
        attempt += 1;
        let dest = env.dir().join(format!("out/report-{attempt}.html"));
        let args = ["report", "--format", "html", "-o", &arg(&dest)];
        if let Ended::Killed = run_and_kill(command(&env, &args), rng.delay(whole)) {
            report.times += 1;
        }
        if dest.exists() && std::fs::read(&dest).unwrap() != reference {
            report.lose(1, format!("{} is not the whole report", dest.display()));
        }
        // Written again, to its end: whole, and the killed run's temporary file is gone.
        let again = env.run(&["report", "--format", "html", "--force", "-o", &arg(&dest)]);
        let names: Vec<String> = std::fs::read_dir(env.dir().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        if again.code != 0 || std::fs::read(&dest).unwrap() != reference || !names.is_empty() {
            report.lose(
                1,
                format!("report written again: {again}, hidden files {names:?}"),
            );
        }
    }

    let corpus_args = |out: &Path| {
        vec![
            "gen-corpus".to_string(),
            "--articles".into(),
            "2100".into(),
            "--seed".into(),
            "7".into(),
            "--out".into(),
            arg(out),
        ]
    };
    let reference_dir = env.dir().join("corpus-reference");
    let args = corpus_args(&reference_dir);
    let whole = whole_run(&env, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let shards = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap())
                    .map(|e| {
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            std::fs::read(e.path()).unwrap(),
                        )
                    })
                    .filter(|(n, _)| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default()
    };
    let reference = shards(&reference_dir);
    assert_eq!(reference.len(), 3, "{:?}", reference.keys());
    let mut corpus = Row::new("crash: SIGKILL gen-corpus, shards whole or absent");
    let mut attempt = 0;
    while corpus.times < plan.file_kills && attempt < plan.file_kills * 3 {
        attempt += 1;
        let out = env.dir().join(format!("corpus-{attempt}"));
        let args = corpus_args(&out);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if let Ended::Killed = run_and_kill(command(&env, &args), rng.delay(whole)) {
            corpus.times += 1;
        }
        for (name, bytes) in shards(&out) {
            if reference.get(&name) != Some(&bytes) {
                corpus.lose(1, format!("{}/{name} is not a whole shard", out.display()));
            }
        }
    }
    vec![report, corpus]
}

// ---------------------------------------------------------------------------------------
// Concurrency

/// One `verify` of the loop: its note, its claims, its exit code and stderr.
type VerifyResult = (String, Vec<i64>, i32, String);

fn concurrency(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    let env = TestEnv::with_corpus();
    let corpus_claims = claim_ids(&env, "SELECT id FROM claims ORDER BY id");
    let mut ingests = Row::new("");
    let mut verifies = Row::new("");
    let mut searches = Row::new("");
    let (mut busy, mut verify_busy) = (0, 0);
    let mut written = Written::default();
    let mut expected_articles = CORPUS_ARTICLES;
    let mut overlap = Duration::ZERO;
    for round in 0..plan.concurrency_rounds {
        // Two folders sharing half their articles.
        let base = 1_000_000 + round * 10_000;
        let a = env.write_articles_numbered(&format!("round{round}/a"), base..base + 5000);
        let b = env.write_articles_numbered(&format!("round{round}/b"), base + 2500..base + 7500);
        expected_articles += 7500;
        let spawn = |folder: &Path| {
            command(&env, &["ingest", &arg(folder)])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children = [spawn(&a), spawn(&b)];
        let running = AtomicBool::new(true);
        let verify_results: Mutex<Vec<VerifyResult>> = Mutex::default();
        let search_results: Mutex<Vec<(i32, String)>> = Mutex::default();
        let picks: Vec<Vec<i64>> = (0..1000).map(|_| rng.pick(&corpus_claims, 2)).collect();
        let outputs = std::thread::scope(|scope| {
            scope.spawn(|| {
                let mut i = 0;
                while running.load(Ordering::Relaxed) {
                    let note = format!("round {round} verify {i}");
                    let ids = &picks[i % picks.len()];
                    let mut args = vec!["verify".to_string()];
                    args.extend(ids.iter().map(|i| i.to_string()));
                    args.extend(["--status", "confirmed", "--note", &note].map(String::from));
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let run = env.run(&args);
                    verify_results
                        .lock()
                        .unwrap()
                        .push((note, ids.clone(), run.code, run.stderr));
                    i += 1;
                }
            });
            scope.spawn(|| {
                let mut i = 0;
                while running.load(Ordering::Relaxed) {
                    let args: &[&str] = match i % 3 {
                        0 => &["search", "said", "--limit", "5"],
                        1 => &["search", "--outlet", "Reuters", "--format", "json"],
                        _ => &["unconfirmed", "--limit", "3", "--format", "csv"],
                    };
                    let run = env.run(args);
                    search_results
                        .lock()
                        .unwrap()
                        .push((run.code, run.to_string()));
                    i += 1;
                }
            });
            let t = Instant::now();
            let outputs: Vec<std::process::Output> = children
                .into_iter()
                .map(|c| c.wait_with_output().unwrap())
                .collect();
            running.store(false, Ordering::Relaxed);
            overlap += t.elapsed();
            outputs
        });
        for output in outputs {
            ingests.times += 1;
            let stderr = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                continue;
            }
            if output.status.code() == Some(2) && stderr.contains("is busy") {
                busy += 1;
            } else {
                ingests.lose(1, format!("ingest: {}: {stderr}", output.status));
            }
        }
        for (note, ids, code, stderr) in verify_results.into_inner().unwrap() {
            verifies.times += 1;
            match code {
                0 => written.0.push((note, ids)),
                // Busy, and so nothing written (a verdict is never reported failed once
                // it is in the database).
                2 if stderr.contains("is busy")
                    && stderr.lines().count() == 1
                    && verdicts_noted(&env, &note).is_empty() =>
                {
                    verify_busy += 1
                }
                _ => verifies.lose(1, format!("verify exited {code}: {stderr}")),
            }
        }
        for (code, run) in search_results.into_inner().unwrap() {
            searches.times += 1;
            if code != 0 {
                searches.lose(1, run);
            }
        }
    }
    // What a busy ingest did not store, a re-run stores.
    let again = env.run(&["ingest", &arg(env.dir())]);
    if again.code != 0 {
        ingests.lose(1, format!("ingest again:\n{again}"));
    }
    let articles = env.counts()["articles"] as usize;
    if articles != expected_articles {
        ingests.lose(
            articles.abs_diff(expected_articles),
            format!("{articles} articles, {expected_articles} expected"),
        );
    }
    let twice: i64 = env
        .db()
        .query_row(
            "SELECT count(*) FROM (SELECT title FROM articles GROUP BY title HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if twice > 0 {
        ingests.lose(twice as usize, format!("{twice} articles stored twice"));
    }
    for (n, problem) in written.missing(&env) {
        verifies.lose(n, problem);
    }
    if let Err(e) = check(&env) {
        ingests.lose(1, e);
    }
    let mut rows = vec![new_store_at_once(plan)];
    ingests.what = format!(
        "concurrency: 2 ingests of 5000, 2500 shared ({} round(s), {:.0} s, {busy} busy)",
        plan.concurrency_rounds,
        overlap.as_secs_f64()
    );
    verifies.what = format!("concurrency: verify loop meanwhile ({verify_busy} busy)");
    searches.what = "concurrency: search loop meanwhile".to_string();
    rows.extend([ingests, verifies, searches]);
    rows
}

/// Three `ingest`s and a `search` starting together on a store that does not exist yet:
/// each creates it, its schema and its index, or finds them being created. This found
/// three races (a folder taken for someone else's, a database taken for another
/// program's, "busy" at once when switching to WAL) and a fourth in the index (a
/// rebuilt index swapped in under a reader).
fn new_store_at_once(plan: &Plan) -> Row {
    let mut row = Row::new("");
    let files = [
        "corpus/001_varnholm_terminal_lease.txt",
        "corpus/003_envoy_denies_lobbying.txt",
        "corpus/004_northgate_flood_barrier.txt",
    ];
    for _ in 0..plan.new_store_rounds {
        let env = TestEnv::new();
        let mut children: Vec<_> = files
            .iter()
            .map(|f| {
                command(&env, &["ingest", f])
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        children.push(
            command(&env, &["search", "said"])
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        for (i, child) in children.into_iter().enumerate() {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let searched_too_early = i == files.len() && output.status.code() == Some(1);
            if !output.status.success() && !searched_too_early && !stderr.contains("is busy") {
                row.lose(1, format!("{}: {stderr}", output.status));
            }
        }
        row.times += 1;
        if env.counts()["articles"] != files.len() as i64 {
            row.lose(1, format!("{:?}", env.counts()));
        }
        if let Err(e) = check(&env) {
            row.lose(1, e);
        }
    }
    row.what = "concurrency: 3 ingests and a search creating one new store".into();
    row
}

// ---------------------------------------------------------------------------------------
// Hostile input: files

/// Runs `args` and measures the child's peak memory: exit code, stderr, and the largest
/// `VmHWM` (peak resident size) of `/proc/PID/status` seen while it ran, in MB. Sampled
/// every few milliseconds: reading a large file into memory takes long enough to be seen.
/// (wait4's `ru_maxrss` would count the test process's own memory, which the child shares
/// until it execs.)
fn run_measured(env: &TestEnv, args: &[&OsStr]) -> (i32, String, u64) {
    let mut child = command(env, &[])
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut stderr = String::new();
        pipe.read_to_string(&mut stderr).unwrap();
        stderr
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stderr = reader.join().unwrap();
    (
        status.code().unwrap_or(-1),
        env.normalise(&stderr),
        peak_kb / 1024,
    )
}

/// One line per problem, each `error: `, no panic.
fn one_line_errors(stderr: &str, expected: usize) -> Result<(), String> {
    let lines: Vec<&str> = stderr.lines().collect();
    if lines.len() != expected
        || lines.iter().any(|l| !l.starts_with("error: "))
        || stderr.contains("panicked")
    {
        return Err(format!("expected {expected} error line(s), got:\n{stderr}"));
    }
    Ok(())
}

const GOOD: &str =
    "---\ntitle: Good one\noutlet: Good Wire\n---\nThe mayor said the bridge would reopen.\n";

fn hostile_files(plan: &Plan, _rng: &mut Rng) -> Vec<Row> {
    let mut rows = Vec::new();

    // HTML nested 100,000 deep, in every way nesting can be written.
    let mut row = Row::new("hostile: HTML nested 100,000 deep (9 shapes)");
    let env = TestEnv::new();
    let depth = 100_000;
    let shapes: Vec<(&str, String)> = vec![
        (
            "div",
            format!(
                "{}deep text said{}",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            ),
        ),
        (
            "unclosed div",
            format!("{}deep text said", "<div>".repeat(depth)),
        ),
        (
            "span",
            format!("<p>{}deep text said</p>", "<span>".repeat(depth)),
        ),
        (
            "b i",
            format!("{}deep text said", "<b><i>".repeat(depth / 2)),
        ),
        ("a", format!("{}deep text said", "<a href=x>".repeat(depth))),
        (
            "table",
            format!("{}deep text said", "<table><tr><td>".repeat(depth / 3)),
        ),
        (
            "ul li",
            format!("{}deep text said", "<ul><li>".repeat(depth / 2)),
        ),
        (
            "custom",
            format!("{}deep text said", "<x-y z='>'>".repeat(depth)),
        ),
        (
            "quotes",
            format!(
                "<div title=\"{}\">deep text said</div>",
                "<div>".repeat(depth)
            ),
        ),
    ];
    for (name, body) in shapes {
        let path = env.write(
            &format!("deep-{}.html", name.replace(' ', "-")),
            format!("<html><body>{body}</body></html>"),
        );
        let start = Instant::now();
        let run = env.run(&["extract", "--format", "json", &arg(&path)]);
        row.times += 1;
        if run.code != 0 || !run.stdout.contains("deep text said") {
            row.lose(1, format!("{name}: {run}"));
        } else if start.elapsed() > Duration::from_secs(30) {
            row.lose(1, format!("{name}: took {:?}", start.elapsed()));
        }
    }
    rows.push(row);

    // Files over the size limit, refused from their size, the rest of the batch going on,
    // memory bounded.
    let mut row = Row::new("hostile: 1 GB file and 200 MB JSONL (sparse), refused");
    let env = TestEnv::new();
    let big = env.dir().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let lines = env.dir().join("feed.jsonl");
    std::fs::File::create(&lines)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    let good = env.write("good.txt", GOOD);
    let (code, stderr, peak_mb) = run_measured(
        &env,
        &[
            OsStr::new("ingest"),
            big.as_os_str(),
            lines.as_os_str(),
            good.as_os_str(),
        ],
    );
    row.times += 2;
    let want = [
        "error: [TMP]/big.txt: 1073741824 bytes is over the 67108864-byte limit for one file",
        "error: [TMP]/feed.jsonl: 200000000 bytes is over the 67108864-byte limit for one file; split it at line ends (split -l) into smaller .jsonl files",
    ];
    if code != 0 || stderr.lines().collect::<Vec<_>>() != want || env.counts()["articles"] != 1 {
        row.lose(2, format!("exit {code}, stderr:\n{stderr}"));
    }
    if peak_mb > 256 {
        row.lose(1, format!("peak memory {peak_mb} MB"));
    }
    row.what = format!("{} (peak {peak_mb} MB)", row.what);
    rows.push(row);

    // A JSON Lines line as large as a file may be: accepted, like one big .txt article.
    let mut row = Row::new("hostile: JSONL with a 16 MB line, read");
    let env = TestEnv::new();
    let long_text = "lorem ipsum dolor sit amet consectetur ".repeat(16 * 1024 * 1024 / 39);
    let path = env.write(
        "long.jsonl",
        format!(
            "{{\"title\":\"Short\",\"text\":\"The mayor said so.\"}}\n{}\n",
            serde_json::json!({"title": "Long", "text": long_text})
        ),
    );
    let run = env.run(&["ingest", &arg(&path)]);
    row.times += 1;
    if run.code != 0 || env.counts()["articles"] != 2 {
        row.lose(1, run.to_string());
    }
    rows.push(row);

    // Many small files.
    let mut row = Row::new(format!(
        "hostile: {} small files in one folder{}",
        plan.small_files,
        if long_mode() {
            ""
        } else {
            " (100,000 in the long mode)"
        }
    ));
    let env = TestEnv::new();
    let folder = env.write_articles("many", plan.small_files);
    let run = env.run(&["ingest", &arg(&folder)]);
    row.times += plan.small_files;
    let stored = env.counts()["articles"] as usize;
    if run.code != 0 || stored != plan.small_files {
        row.lose(plan.small_files.abs_diff(stored).max(1), run.to_string());
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    rows.push(row);

    // Symbolic link loops in an ingest folder: each reported once, the rest ingested.
    let mut row = Row::new("hostile: symlink loops and a dangling link in an ingest folder");
    let env = TestEnv::new();
    let d = env.dir().join("links");
    env.write("links/sub/good.txt", GOOD);
    env.write("links/other.txt", GOOD.replace("bridge", "tunnel"));
    let link =
        |target: &Path, name: &str| std::os::unix::fs::symlink(target, d.join(name)).unwrap();
    link(&d, "sub/up-loop");
    link(&d.join("self.txt"), "self.txt");
    link(&d.join("pong.txt"), "ping.txt");
    link(&d.join("ping.txt"), "pong.txt");
    link(&d.join("nowhere.txt"), "dangling.txt");
    let run = env.run(&["ingest", &arg(&d)]);
    row.times += 5;
    if run.code != 0 || env.counts()["articles"] != 2 {
        row.lose(1, run.to_string());
    }
    if let Err(e) = one_line_errors(&run.stderr, 5) {
        row.lose(1, e);
    }
    if !run.stderr.contains("symbolic link loop") {
        row.lose(1, run.to_string());
    }
    rows.push(row);

    // File names with a newline, an escape sequence, and bytes that are not UTF-8.
    let mut row = Row::new("hostile: file names with newlines and invalid UTF-8");
    let env = TestEnv::new();
    let d = env.dir().join("names");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("new\nline.txt"), GOOD).unwrap();
    let latin1 = d.join(OsStr::from_bytes(b"caf\xe9 \xff.txt"));
    std::fs::write(&latin1, GOOD.replace("bridge", "market")).unwrap();
    std::fs::write(d.join("bad\nname\x1b[2J.txt"), "").unwrap();
    let run = env.run(&["ingest", &arg(&d)]);
    row.times += 3;
    if run.code != 0 || env.counts()["articles"] != 2 {
        row.lose(1, run.to_string());
    }
    if let Err(e) = one_line_errors(&run.stderr, 1) {
        row.lose(1, e);
    } else if !run.stderr.contains("bad\\nname\\u{1b}[2J.txt: empty file") {
        row.lose(1, run.to_string());
    }
    // Named directly, as bytes that are not UTF-8: the same article, found unchanged.
    let output = env.command().arg("ingest").arg(&latin1).output().unwrap();
    if !output.status.success() || !String::from_utf8_lossy(&output.stdout).contains("1 unchanged")
    {
        row.lose(1, format!("{output:?}"));
    }
    rows.push(row);

    // Escape sequences and bells in an article: never printed raw, whatever shows it.
    let mut row = Row::new("hostile: terminal escapes in article text and names, 7 outputs");
    let env = TestEnv::new();
    let path = env.write(
        "esc.txt",
        "---\ntitle: Clear\u{1b}[2J screen\noutlet: Bell\u{7} Wire\n---\n\
         The mayor\u{1b}]0;owned\u{7} said the \u{9b}31mbridge would reopen.\n\
         According to Reuters\u{1b}[5m, the port could not confirm it.\n",
    );
    let run = env.run(&["ingest", &arg(&path)]);
    if run.code != 0 {
        row.lose(1, run.to_string());
    }
    for args in [
        &["search", "reopen"][..],
        &["unconfirmed"],
        &["show", "1"],
        &["sources"],
        &["report"],
        &["report", "--format", "csv"],
        &["extract", &arg(&path)],
    ] {
        let run = env.run(args);
        row.times += 1;
        let raw = |s: &str| s.contains(['\u{1b}', '\u{7}', '\u{9b}']);
        if run.code != 0 || raw(&run.stdout) || raw(&run.stderr) {
            row.lose(1, format!("{args:?}: {run:?}"));
        }
    }
    rows.push(row);

    // Front matter with a 10 MB value.
    let mut row = Row::new("hostile: front matter with a 10 MB value, refused");
    let env = TestEnv::new();
    let huge = "x".repeat(10 * 1024 * 1024);
    let title = env.write(
        "title.txt",
        format!("---\ntitle: {huge}\n---\nThe mayor said so.\n"),
    );
    let date = env.write(
        "date.md",
        format!("---\npublished: {huge}\n---\nThe mayor said so.\n"),
    );
    let json = env.write(
        "outlet.json",
        serde_json::json!({"outlet": huge, "text": "The mayor said so."}).to_string(),
    );
    let good = env.write("good.txt", GOOD);
    let run = env.run(&[
        "ingest",
        &arg(&title),
        &arg(&date),
        &arg(&json),
        &arg(&good),
    ]);
    row.times += 3;
    if run.code != 0 || env.counts()["articles"] != 1 {
        row.lose(1, run.to_string());
    }
    if let Err(e) = one_line_errors(&run.stderr, 3) {
        row.lose(1, e);
    } else if run.stderr.lines().any(|l| l.len() > 300) {
        row.lose(1, "an error line over 300 characters");
    }
    rows.push(row);
    rows
}

// ---------------------------------------------------------------------------------------
// Hostile input: fuzzing the readers, the extractor and the query

fn fuzz_runner(plan: &Plan, rng: &mut Rng) -> TestRunner {
    let config = Config {
        cases: plan.fuzz_cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    };
    let seed: Vec<u8> = (0..4).flat_map(|_| rng.next().to_le_bytes()).collect();
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

const WORDS: &[&str] = &[
    "said",
    "told",
    "according to",
    "citing",
    "reported",
    "denied",
    "says",
    "the",
    "minister",
    "people familiar with the matter",
    "could not independently verify",
    "apparently",
    "might",
    "Reuters",
    "Bloomberg",
    "Kyiv Daily",
    "Ana Pérez",
    "Steve Witkoff",
    "he",
    "she",
    "they",
    "Mr.",
    "Dr.",
    "U.S.",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "'",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "—",
    "-",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "  ",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "🙂",
    "é",
    "İ",
    "ß",
    "ﬁ",
    "a record reviewed by",
    "in a call with",
    "a spokesperson",
    "Western media",
    "sources",
    "told reporters",
    "on Monday",
    "2025",
    "---",
    "#",
    "*",
    "<p>",
];

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(WORDS),
            prop::sample::select(&[" ", "", " ", "\n"][..]),
        ),
        0..120,
    )
    .prop_map(|ws| ws.into_iter().flat_map(|(w, s)| [w, s]).collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![words(), any::<String>(), "[ -~\\n]{0,200}"]
}

fn front_matter() -> impl Strategy<Value = String> {
    let key = prop::sample::select(
        &[
            "title",
            "outlet",
            "published",
            "url",
            "author",
            "language",
            "note",
            "bad key",
            "",
            "tags",
        ][..],
    );
    let value = prop_oneof![
        any_text(),
        prop::sample::select(
            &[
                "2025-11-25",
                "2025-13-45",
                "'x'",
                "\"",
                "2025-11-25T25:00:00Z"
            ][..]
        )
        .prop_map(String::from),
    ];
    (
        prop::collection::vec((key, value, any::<bool>()), 0..6),
        any_text(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, body, closed, crlf)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut s = format!("---{nl}");
            for (k, v, colon) in lines {
                s.push_str(&format!("{k}{}{v}{nl}", if colon { ": " } else { " " }));
            }
            if closed {
                s.push_str(&format!("---{nl}"));
            }
            s + &body
        })
}

const HTML: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<i>",
    "<a href='x'>",
    "</a>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<!--",
    "-->",
    "<title>",
    "</title>",
    "<article>",
    "</article>",
    "<main>",
    "<header>",
    "</header>",
    "<footer>",
    "<table><tr><td>",
    "</table>",
    "<br/>",
    "<br>",
    "&amp;",
    "&#x0;",
    "&#99999999;",
    "&nbsp;",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "<meta property=\"og:title\" content=\"",
    "<meta property=\"article:published_time\" content=\"",
    "<meta property=\"og:site_name\" content=\"",
    "\">",
    "<link rel=canonical href=\"",
    "<time datetime=\"",
    "<svg>",
    "<math>",
    "<template>",
    "<![CDATA[",
    "]]>",
    "<?xml ?>",
    "<!DOCTYPE html>",
    "<html lang=\"",
    "<x-y>",
    "<plaintext>",
    "<noscript>",
    "<textarea>",
    "<select><option>",
    "<frameset>",
    "<body>",
    "</body>",
    "<head>",
    "</head>",
    "</html>",
    "<div class=\"byline\">",
    "<aside>",
    "<figure>",
    "<ul><li>",
    "<li>",
    "<h1>",
    "</h1>",
    "<blockquote>",
    "<pre>",
    "hidden",
    "aria-hidden=\"true\"",
    "<div hidden>",
    "<DIV>",
    "</DIV",
];

fn html() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HTML).prop_map(String::from),
            2 => words(),
            1 => any::<String>(),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any_text().prop_map(Value::String),
        prop::sample::select(&["2025-11-25", "yesterday", "", "   "][..])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(
                        &[
                            "text",
                            "body",
                            "content",
                            "title",
                            "outlet",
                            "publisher",
                            "published",
                            "date",
                            "url",
                            "author",
                            "language",
                            "lang",
                            "x"
                        ][..],
                    ),
                    inner,
                ),
                0..8,
            )
            .prop_map(|fields| {
                serde_json::Value::Object(
                    fields
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// JSON text: a value, sometimes cut short or with garbage after it.
fn json_text() -> impl Strategy<Value = String> {
    (
        json_value(),
        any::<u16>(),
        prop_oneof![Just(String::new()), any_text()],
    )
        .prop_map(|(v, cut, tail)| {
            let s = v.to_string();
            let mut at = if cut % 4 == 0 {
                cut as usize % (s.len() + 1)
            } else {
                s.len()
            };
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            format!(
                "{}{}",
                &s[..at],
                if cut % 7 == 0 { tail } else { String::new() }
            )
        })
}

fn fuzz(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    let mut read_fuzz = |what: &str, ext: &str, strategy: BoxedStrategy<Vec<u8>>, rng: &mut Rng| {
        let mut row = Row::new(format!("fuzz: {what} reader, no panic"));
        let path = dir.path().join(format!("case.{ext}"));
        let mut runner = fuzz_runner(plan, rng);
        let result = runner.run(&strategy, |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            let _ = claimtrail::read::read_file(&path);
            Ok(())
        });
        row.times = plan.fuzz_cases as usize;
        if let Err(e) = result {
            row.lose(1, format!("{e}"));
        }
        rows.push(row);
    };
    let bytes = || prop::collection::vec(any::<u8>(), 0..300);
    read_fuzz(
        "txt/md with front matter",
        "md",
        prop_oneof![4 => front_matter().prop_map(String::into_bytes), 1 => bytes()].boxed(),
        rng,
    );
    read_fuzz(
        "html",
        "html",
        prop_oneof![4 => html().prop_map(String::into_bytes), 1 => bytes()].boxed(),
        rng,
    );
    read_fuzz(
        "json",
        "json",
        prop_oneof![4 => json_text().prop_map(String::into_bytes), 1 => bytes()].boxed(),
        rng,
    );
    read_fuzz(
        "jsonl",
        "jsonl",
        prop::collection::vec(prop_oneof![json_text(), any_text()], 0..6)
            .prop_map(|lines| lines.join("\n").into_bytes())
            .boxed(),
        rng,
    );

    let mut row = Row::new("fuzz: extractor, no panic, spans inside the text");
    let extractor = Extractor::new();
    let mut runner = fuzz_runner(plan, rng);
    let strategy = (any_text(), words(), prop::option::of(words()));
    let result = runner.run(&strategy, |(a, b, outlet)| {
        let text = format!("{a}{b}");
        let meta = ArticleMeta {
            outlet,
            ..ArticleMeta::default()
        };
        let extraction = extractor.extract(&text, &meta);
        let chars = text.chars().count();
        for claim in &extraction.claims {
            let s = &claim.spans;
            let spans = s
                .source
                .iter()
                .chain(&s.cue)
                .chain(&s.content)
                .chain([&claim.sentence_span]);
            for span in spans {
                prop_assert!(
                    span.start <= span.end && span.end <= chars,
                    "span {}..{} of {chars} chars",
                    span.start,
                    span.end
                );
            }
        }
        Ok(())
    });
    row.times = plan.fuzz_cases as usize;
    if let Err(e) = result {
        row.lose(1, format!("{e}"));
    }
    rows.push(row);

    // The query: every string searches or is refused, never a panic, in the index itself.
    let mut row = Row::new("fuzz: search query (SQL, tantivy syntax), no panic");
    let env = TestEnv::with_corpus();
    assert_eq!(env.run(&["check"]).code, 0);
    let store = claimtrail::store::Store::open(env.store()).unwrap();
    let index = claimtrail::index::SearchIndex::open(&store).unwrap();
    const QUERY: &[&str] = &[
        "AND",
        "OR",
        "NOT",
        "+",
        "-",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "TO",
        "*",
        "?",
        "~",
        "~2",
        "^",
        "^3",
        "\"",
        ":",
        "'",
        ";",
        "--",
        "DROP TABLE claims",
        "SELECT * FROM claims",
        "1=1",
        "text:",
        "sentence:",
        "id:",
        "status:",
        "outlet:",
        "\\",
        "/",
        "/.*/",
        "IN",
        "$",
        "@",
        "peace",
        "plan",
        "Witkoff",
        "é",
        "said",
        "*:*",
        "\u{0}",
        " ",
        " ",
        " ",
    ];
    let mut runner = fuzz_runner(plan, rng);
    let strategy =
        prop::collection::vec(prop::sample::select(QUERY), 0..12).prop_map(|ws| ws.concat());
    let result = runner.run(&strategy, |q: String| {
        for ranking in [
            claimtrail::index::Ranking::Relevance,
            claimtrail::index::Ranking::Risk,
        ] {
            let _ = index.search(
                Some(&q),
                &claimtrail::index::Filters::default(),
                ranking,
                10,
            );
        }
        Ok(())
    });
    row.times = plan.fuzz_cases as usize;
    if let Err(e) = result {
        row.lose(1, format!("{e}"));
    }
    rows.push(row);
    rows
}

// ---------------------------------------------------------------------------------------
// Hostile input: queries on the command line, and claims holding markup in every report

fn hostile_queries_and_reports(_plan: &Plan, _rng: &mut Rng) -> Vec<Row> {
    let mut rows = Vec::new();
    let env = TestEnv::with_corpus();
    let before = env.counts();
    let queries = [
        "'; DROP TABLE claims; --",
        "\" OR 1=1 --",
        "peace' OR '1'='1",
        "1; DELETE FROM verdicts",
        "text:peace",
        "sentence:plan",
        "*",
        "*:*",
        "peace AND",
        "OR OR OR",
        "(((peace",
        "peace)))",
        "[a TO z]",
        "{* TO *}",
        "peace~2",
        "\"peace plan\"~3",
        "peace^100",
        "+peace -plan",
        "-peace",
        "/.*/",
        "outlet:'Bloomberg' OR 1=1",
        "outlet:",
        "status:confirmed; DROP TABLE claims",
        "\\",
        "\"unbalanced",
        "a:b:c",
        "IN [1 2 3]",
        "$where",
        &"peace ".repeat(2000),
    ];
    let mut row = Row::new(format!(
        "hostile: {} queries with SQL and tantivy syntax",
        queries.len() * 3
    ));
    for q in queries {
        for args in [
            vec!["search", q],
            vec!["report", q, "--format", "json"],
            vec!["verify", "--query", q, "--status", "false"],
        ] {
            let run = env.run(&args);
            row.times += 1;
            let fine = match run.code {
                0 | 1 => !run.stderr.contains("panicked"),
                2 => {
                    run.stderr.lines().count() == 1
                        && run.stderr.starts_with("error: ")
                        && !run.stderr.contains("internal error")
                }
                _ => false,
            };
            if !fine {
                row.lose(1, format!("{args:?}:\n{run}"));
            }
        }
    }
    if env.counts() != before {
        row.lose(
            1,
            format!("the store changed: {before:?} -> {:?}", env.counts()),
        );
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    rows.push(row);

    // Claims holding HTML and JavaScript, rendered in every report format.
    let mut row = Row::new("hostile: HTML/JS in claims, 5 report formats, no live markup");
    let env = TestEnv::new();
    let path = env.write(
        "xss.txt",
        "---\ntitle: <script>alert('title')</script> Harbour & \"quotes\"\n\
         outlet: <b onmouseover=alert(1)>Evil Wire</b>\nurl: javascript:alert(document.cookie)\n\
         published: 2025-11-20\n---\n\
         The mayor said \"<script>alert(1)</script> is harmless and <img src=x onerror=alert(2)> too\".\n\
         According to [a link](javascript:alert(3)), the port said </script><script>alert(4)</script> was closed.\n\
         Ana Pérez told reporters that <a href=\"javascript:alert(5)\">click</a> & <iframe src=//evil> would follow.\n",
    );
    assert_eq!(env.run(&["ingest", &arg(&path)]).code, 0);
    let claims = claim_ids(&env, "SELECT id FROM claims ORDER BY id");
    let texts: Vec<String> = claim_ids(&env, "SELECT id FROM claims")
        .iter()
        .map(|id| {
            env.db()
                .query_row("SELECT text FROM claims WHERE id = ?1", [id], |r| r.get(0))
                .unwrap()
        })
        .collect();
    assert!(
        texts.iter().any(|t: &String| t.contains("<script>")),
        "no claim holds markup: {texts:?}"
    );
    let mut args: Vec<String> = vec!["verify".into()];
    args.extend(claims.iter().map(|i| i.to_string()));
    args.extend(
        [
            "--status",
            "disputed",
            "--note",
            "<script>alert('note')</script>",
            "--by",
            "<b>ana</b>",
        ]
        .map(String::from),
    );
    let verify = env.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(verify.code, 0, "{verify}");
    let render = |format: &str| {
        let mut args = vec!["report"];
        args.extend(crate::common::format_args(format));
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{run}");
        run.stdout
    };

    // HTML: only the elements the report is made of, no handlers, only http(s) links, and
    // the claims read as written.
    let html = render("html");
    row.times += 1;
    let page = scraper::Html::parse_document(&html);
    let allowed = [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "table",
        "tr",
        "th",
        "td",
        "tbody",
        "ul",
        "li",
        "section",
        "span",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "a",
        "strong",
        "br",
        // The table of contents, the articles it links to, the claim marked in its sentence.
        "nav",
        "ol",
        "article",
        "mark",
    ];
    let own_anchor = regex::Regex::new(r"^#article-\d+$").unwrap();
    for el in page
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let v = el.value();
        if !allowed.contains(&v.name()) {
            row.lose(1, format!("html: live <{}> element", v.name()));
        }
        if v.attrs().any(|(name, _)| name.starts_with("on")) {
            row.lose(1, format!("html: an event handler on <{}>", v.name()));
        }
        if let Some(href) = v.attr("href")
            && !href.starts_with("http")
            && !own_anchor.is_match(href)
        {
            row.lose(1, format!("html: a link to {href}"));
        }
    }
    let page_text: String = page.root_element().text().collect();
    if !page_text.contains("<script>alert(1)</script>") {
        row.lose(1, "html: the claim does not read as written");
    }

    // Markdown: no unescaped '<' but in http(s) autolinks, no unescaped '[' (a link), once
    // the report's own anchors and table-of-contents links (to `#article-N`, their text
    // still checked) are set aside.
    let markdown = render("markdown");
    let anchors = regex::Regex::new(r#"<a id="article-\d+"></a>"#).unwrap();
    let toc = regex::Regex::new(r"(?m)^(\d+\. )\[(.*)\]\(#article-\d+\)").unwrap();
    let markdown = anchors.replace_all(&markdown, "");
    let markdown = toc.replace_all(&markdown, "$1$2").into_owned();
    row.times += 1;
    let chars: Vec<char> = markdown.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '<' => {
                let rest: String = chars[i..chars.len().min(i + 9)].iter().collect();
                if !(rest.starts_with("<http://") || rest.starts_with("<https://")) {
                    let line: String = chars[i..chars.len().min(i + 40)].iter().collect();
                    row.lose(1, format!("markdown: live markup at '{line}'"));
                }
            }
            '[' => row.lose(1, "markdown: an unescaped '['"),
            _ => {}
        }
        i += 1;
    }

    // JSON and ClaimReview: the same strings back; ClaimReview safe inside <script>.
    for format in ["json", "claimreview"] {
        let out = render(format);
        row.times += 1;
        match serde_json::from_str::<serde_json::Value>(&out) {
            Ok(v) if v.to_string().contains("<script>alert(1)</script>") => {}
            other => row.lose(1, format!("{format}: {other:?}")),
        }
        if format == "claimreview" && (out.contains('<') || out.contains('>')) {
            row.lose(
                1,
                "claimreview: a raw '<' or '>' could end the <script> it is embedded in",
            );
        }
    }

    // CSV: the claims come back as written.
    let csv = render("csv");
    row.times += 1;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let back: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(1).unwrap_or_default().to_string())
        .collect();
    if !back.iter().any(|t| t.contains("<script>alert(1)</script>")) {
        row.lose(1, format!("csv: {back:?}"));
    }
    rows.push(row);
    rows
}

// ---------------------------------------------------------------------------------------
// Verdict integrity (issue 11): what claimtrail says about a verdict is true, and the status
// is the latest verdict. Timing is made deterministic where a race is the point: the index
// writer is held by this process as another claimtrail would hold it, and a full disk is
// `CLAIMTRAIL_FAILPOINTS`.

/// The index writer of `env`'s store, held as another claimtrail holding it would be.
fn hold_index_writer(env: &TestEnv) -> tantivy::IndexWriter<tantivy::TantivyDocument> {
    let index = tantivy::Index::open_in_dir(env.store().join("index")).unwrap();
    claimtrail::index::register_analyzers(&index);
    index.writer_with_num_threads(1, 15_000_000).unwrap()
}

fn status_of(env: &TestEnv, id: i64) -> String {
    env.db()
        .query_row(
            "SELECT status FROM claim_status WHERE claim_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

/// A `verify` of `ids` with a note naming it, its exit code and stderr.
fn verify_noted(
    env: &TestEnv,
    ids: &[i64],
    status: &str,
    note: &str,
    extra: &[&str],
) -> (i32, String) {
    let mut args = vec!["verify".to_string()];
    args.extend(ids.iter().map(|i| i.to_string()));
    args.extend(["--status", status, "--note", note, "--by", "tester"].map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = env.run(&args);
    (run.code, run.stderr)
}

fn integrity(plan: &Plan, rng: &mut Rng) -> Vec<Row> {
    vec![
        concurrent_verifies_on_a_large_store(plan, rng),
        two_store_sync(plan, rng),
        stale_index_bulk_verify(plan, rng),
        reindex_during_read_your_writes(plan, rng),
        disk_full_during_verify(plan),
    ]
}

/// A `verify` run: its note, its one claim (none for a bulk one), exit code and stderr.
type NotedRun = (String, Option<i64>, i32, String);

/// A bulk `verify --query said` on a generated store and 12 single `verify`s at once,
/// racing for the database and the index writer: a command that exits non-zero wrote none of
/// its verdicts, one that exits 0 wrote all of them.
fn concurrent_verifies_on_a_large_store(plan: &Plan, _rng: &mut Rng) -> Row {
    let articles = if long_mode() { 3000 } else { 200 };
    let env = TestEnv::new();
    let folder = env.dir().join("generated");
    let run = env.run(&[
        "gen-corpus",
        "--articles",
        &articles.to_string(),
        "--seed",
        "11",
        "--out",
        &arg(&folder),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&["ingest", &arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    let claims = claim_ids(&env, "SELECT id FROM claims ORDER BY id");
    let mut row = Row::new("");
    let mut bulk_claims = 0usize;
    for round in 0..plan.concurrency_rounds {
        let results: Mutex<Vec<NotedRun>> = Mutex::default();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let note = format!("bulk {round}");
                let (code, stderr) = verify_noted(
                    &env,
                    &[],
                    if round % 2 == 0 {
                        "unconfirmable"
                    } else {
                        "disputed"
                    },
                    &note,
                    &["--query", "said", "--yes"],
                );
                results.lock().unwrap().push((note, None, code, stderr));
            });
            for j in 0..12 {
                let id = claims[(round * 12 + j) * 7 % claims.len()];
                let results = &results;
                let env = &env;
                scope.spawn(move || {
                    let note = format!("single {round}.{j}");
                    let (code, stderr) = verify_noted(env, &[id], "false", &note, &[]);
                    results.lock().unwrap().push((note, Some(id), code, stderr));
                });
            }
        });
        for (note, id, code, stderr) in results.into_inner().unwrap() {
            row.times += 1;
            let stored = verdicts_noted(&env, &note);
            match (code, id) {
                (0, Some(id)) if stored == [id] => {}
                (0, None) if !stored.is_empty() => bulk_claims = bulk_claims.max(stored.len()),
                (2, _) if stored.is_empty() && stderr.contains("the store is busy") => {}
                _ => row.lose(
                    1,
                    format!(
                        "'{note}' exited {code} with {} verdicts stored: {stderr}",
                        stored.len()
                    ),
                ),
            }
        }
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    row.what = format!(
        "integrity: bulk verify ({bulk_claims} claims of {}) + 12 verifies at once, exit 2 only if nothing written",
        claims.len()
    );
    row
}

/// Two stores judge the same claims at different times, then import each other's exports:
/// both end with every claim's status its latest verdict by time, and the same histories.
fn two_store_sync(plan: &Plan, rng: &mut Rng) -> Row {
    let a = TestEnv::with_corpus();
    let b = TestEnv::with_corpus();
    let claims = claim_ids(&a, "SELECT id FROM claims ORDER BY id");
    let statuses = [
        "confirmed",
        "false",
        "disputed",
        "unconfirmable",
        "retracted",
    ];
    let chosen = rng.pick(&claims, plan.kills.min(claims.len()));
    let mut latest: BTreeMap<i64, (u64, String)> = BTreeMap::new();
    let mut row = Row::new(format!(
        "integrity: two stores judge {} claims, exchange exports, agree on the latest",
        chosen.len()
    ));
    for &id in &chosen {
        // Distinct times, so that "the latest" has one answer to check against.
        let ta = rng.below(10_000) * 2;
        let tb = rng.below(10_000) * 2 + 1;
        for (env, t, by) in [(&a, ta, "ana"), (&b, tb, "bob")] {
            let status = statuses[rng.below(statuses.len() as u64) as usize];
            let now = (chrono::DateTime::parse_from_rfc3339("2025-11-25T00:00:00Z").unwrap()
                + chrono::Duration::seconds(t as i64))
            .to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let out = env
                .command()
                .env("CLAIMTRAIL_NOW", &now)
                .args(["verify", &id.to_string(), "--status", status, "--by", by])
                .output()
                .unwrap();
            if !out.status.success() {
                row.lose(1, format!("verify: {out:?}"));
            }
            if latest.get(&id).is_none_or(|(lt, _)| t > *lt) {
                latest.insert(id, (t, status.to_string()));
            }
        }
    }
    let exchange = |from: &TestEnv, to: &TestEnv, name: &str| {
        let file = from.dir().join(name);
        let run = from.run(&["export", "-o", &arg(&file)]);
        assert_eq!(run.code, 0, "{run}");
        let run = to.run(&["import", &arg(&file)]);
        assert_eq!(run.code, 0, "{run}");
    };
    exchange(&b, &a, "b.jsonl");
    exchange(&a, &b, "a.jsonl");
    for (&id, (_, status)) in &latest {
        row.times += 1;
        let (sa, sb) = (status_of(&a, id), status_of(&b, id));
        let show = |env: &TestEnv| env.run(&["show", &id.to_string()]).stdout;
        if sa != *status || sb != *status || show(&a) != show(&b) {
            row.lose(
                1,
                format!("claim {id}: latest {status}, A says {sa}, B says {sb}"),
            );
        }
    }
    for env in [&a, &b] {
        if let Err(e) = check(env) {
            row.lose(1, e);
        }
    }
    row
}

/// Claims judged in the database while another process holds the index writer (so the
/// index is behind): a `verify --query status:unverified --yes` must leave every one alone.
fn stale_index_bulk_verify(plan: &Plan, rng: &mut Rng) -> Row {
    let env = TestEnv::with_corpus();
    let claims = claim_ids(&env, "SELECT id FROM claims WHERE orphaned = 0 ORDER BY id");
    let judged = rng.pick(&claims, plan.kills.min(claims.len() / 2));
    let now = chrono::DateTime::parse_from_rfc3339(crate::common::NOW)
        .unwrap()
        .to_utc();
    let mut store = claimtrail::store::Store::open(env.store()).unwrap();
    store
        .add_verdicts(
            &judged,
            claimtrail::model::Status::False,
            Some("judged meanwhile"),
            &[],
            Some("ana"),
            now,
        )
        .unwrap();
    drop(store);
    let writer = hold_index_writer(&env);
    let run = env.run(&[
        "verify",
        "--query",
        "status:unverified",
        "--status",
        "unconfirmable",
        "--by",
        "bob",
        "--yes",
    ]);
    drop(writer);
    let mut row = Row::new(format!(
        "integrity: bulk verify status:unverified from a stale index, {} claims judged meanwhile",
        judged.len()
    ));
    row.times = judged.len();
    if run.code != 0
        || !run.stdout.contains(&format!(
            "{} claims skipped: their status changed",
            judged.len()
        ))
    {
        row.lose(1, format!("verify:\n{run}"));
    }
    for &id in &judged {
        let status = status_of(&env, id);
        if status != "false" {
            row.lose(1, format!("claim {id} judged false is now {status}"));
        }
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    row
}

/// `verify` then `search` for the new status, over and over, while `reindex` runs in a
/// loop: every verdict a `verify` reported written (without a warning about the index) is
/// found by the search that follows.
fn reindex_during_read_your_writes(plan: &Plan, rng: &mut Rng) -> Row {
    let env = TestEnv::with_corpus();
    let claims = claim_ids(&env, "SELECT id FROM claims WHERE orphaned = 0 ORDER BY id");
    let pairs = plan.kills * 3 / 2;
    let chosen = rng.pick(&claims, pairs.min(claims.len()));
    let running = AtomicBool::new(true);
    let mut row = Row::new("");
    let mut reindexes = 0;
    std::thread::scope(|scope| {
        let looper = scope.spawn(|| {
            let mut n = 0;
            while running.load(Ordering::Relaxed) {
                let run = env.run(&["reindex"]);
                assert_eq!(run.code, 0, "{run}");
                n += 1;
            }
            n
        });
        let statuses = ["false", "disputed", "retracted"];
        for (i, &id) in chosen.iter().enumerate() {
            let status = statuses[i % statuses.len()];
            let (code, stderr) = verify_noted(&env, &[id], status, &format!("ryw {i}"), &[]);
            row.times += 1;
            if code != 0 {
                row.lose(1, format!("verify {id} exited {code}: {stderr}"));
                continue;
            }
            if stderr.contains("warning:") {
                continue;
            }
            let found = env.run(&[
                "search", "--status", status, "--format", "json", "--limit", "100000",
            ]);
            let hit = serde_json::from_str::<serde_json::Value>(&found.stdout)
                .is_ok_and(|j| ids(&j).contains(&id));
            if !hit {
                row.lose(
                    1,
                    format!("claim {id} set to {status} not found by search:\n{found}"),
                );
            }
        }
        running.store(false, Ordering::Relaxed);
        reindexes = looper.join().unwrap();
    });
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    row.what =
        format!("integrity: verify → search for the new status during {reindexes} reindexes");
    row
}

/// The disk full during `verify`: after the SQLite commit (the index commit fails) the verdict
/// is written and the command exits 0; at the SQLite commit, nothing is written and it exits
/// 2. Exit 0 if and only if written, each time; the index catches up afterwards.
fn disk_full_during_verify(plan: &Plan) -> Row {
    let env = TestEnv::with_corpus();
    let claims = claim_ids(&env, "SELECT id FROM claims ORDER BY id");
    let mut row = Row::new("");
    for i in 0..plan.kills {
        let id = claims[i * 5 % claims.len()];
        let point = if i % 2 == 0 {
            "index-commit"
        } else {
            "verdict-commit"
        };
        let note = format!("disk full {i}");
        let out = env
            .command()
            .env("CLAIMTRAIL_FAILPOINTS", format!("{point}=enospc"))
            .args([
                "verify",
                &id.to_string(),
                "--status",
                "false",
                "--note",
                &note,
            ])
            .output()
            .unwrap();
        row.times += 1;
        let written = verdicts_noted(&env, &note) == [id];
        let code = out.status.code().unwrap_or(-1);
        if (code == 0) != written || (code != 0 && code != 2) {
            row.lose(
                1,
                format!(
                    "{point}: exit {code}, written {written}: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
            );
        }
    }
    if let Err(e) = check(&env) {
        row.lose(1, e);
    }
    row.what = "integrity: disk full during verify (index or database), exit 0 iff written".into();
    row
}
