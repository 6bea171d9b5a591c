//! The web desk under load (see `claimtrail::bench::desk`): builds a store of the synthetic
//! corpus with the release binary, serves it, and runs searching and recording clients
//! against it on loopback:
//!
//! ```sh
//! cargo bench --bench desk -- --articles 10000 [--seconds 60] [--searchers 20] [--writers 2] [--seed 1] [--dir DIR] [--keep]
//! ```
//!
//! Prints a Markdown table to stdout, progress to stderr. Exits 1 when a request failed or
//! a verdict the desk said it wrote is not in the store afterwards.

use claimtrail::bench::corpus::{Vocabulary, write_corpus};
use claimtrail::bench::desk::{LoadConfig, load, missing_verdicts, spawn_desk};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

// The allocator `claimtrail serve` runs on, set the same way (see benches/end_to_end.rs).
#[global_allocator]
static ALLOCATOR: claimtrail::alloc::Allocator = mimalloc::MiMalloc;

fn main() -> ExitCode {
    claimtrail::alloc::configure();
    let (mut articles, mut seconds, mut searchers, mut writers, mut seed) =
        (10_000u64, 60u64, 20, 2, 1u64);
    let mut dir =
        std::env::temp_dir().join(format!("claimtrail-desk-bench-{}", std::process::id()));
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match a.as_str() {
            "--articles" => articles = value().parse().unwrap_or(articles),
            "--seconds" => seconds = value().parse().unwrap_or(seconds),
            "--searchers" => searchers = value().parse().unwrap_or(searchers),
            "--writers" => writers = value().parse().unwrap_or(writers),
            "--seed" => seed = value().parse().unwrap_or(seed),
            "--dir" => dir = PathBuf::from(value()),
            "--keep" => keep = true,
            "--bench" => {}
            other => {
                eprintln!("error: unknown argument '{other}'");
                return ExitCode::from(2);
            }
        }
    }
    let started = Instant::now();
    let log = |s: &str| eprintln!("[{:>7.1} s] {s}", started.elapsed().as_secs_f64());
    let result = run(&dir, articles, seed, seconds, searchers, writers, &log);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    match result {
        Ok(ok) => {
            log("done");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(
    dir: &std::path::Path,
    articles: u64,
    seed: u64,
    seconds: u64,
    searchers: usize,
    writers: usize,
    log: &dyn Fn(&str),
) -> anyhow::Result<bool> {
    let bin = env!("CARGO_BIN_EXE_claimtrail");
    let shards = dir.join("corpus");
    let store = dir.join("store");
    log(&format!("writing {articles} articles"));
    write_corpus(&shards, articles, seed)?;
    log("ingesting them");
    let status = Command::new(bin)
        .args(["--db", &store.to_string_lossy(), "ingest"])
        .arg(&shards)
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "ingest failed");
    let conn = rusqlite::Connection::open(store.join("claims.db"))?;
    let claims: i64 = conn.query_row("SELECT count(*) FROM claims", [], |r| r.get(0))?;
    // Verdicts on claims spread over the store.
    let step = (claims / 500).max(1);
    let ids: Vec<i64> = (1..=claims).step_by(step as usize).collect();
    drop(conn);
    let vocabulary = Vocabulary::new();
    let words: Vec<String> = vocabulary
        .words()
        .iter()
        .step_by(7)
        .take(300)
        .cloned()
        .collect();
    log(&format!("serving {claims} claims"));
    let mut server = Command::new(bin);
    server
        .args([
            "--db",
            &store.to_string_lossy(),
            "serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .env("USER", "load")
        .stderr(Stdio::null());
    let (mut server, base) = spawn_desk(server)?;
    log(&format!(
        "{searchers} searching and {writers} recording for {seconds} s"
    ));
    let report = load(&LoadConfig {
        base,
        searchers,
        writers,
        duration: Duration::from_secs(seconds),
        words,
        claims: ids,
    });
    unsafe {
        libc::kill(server.id() as i32, libc::SIGTERM);
    }
    let exit = server.wait()?;
    let report = report?;
    let missing = missing_verdicts(&store, &report.verdicts)?;
    println!(
        "{}",
        report
            .markdown(searchers, writers, claims)
            .replace("{missing}", &missing.len().to_string())
    );
    for p in &report.problems {
        eprintln!("problem: {p}");
    }
    Ok(exit.success()
        && report.search_errors == 0
        && report.verdict_errors == 0
        && missing.is_empty())
}
