//! The end-to-end benchmark at one scale, ours beside SQLite FTS5 (see `claimtrail::bench`):
//!
//! ```sh
//! cargo bench --bench end_to_end -- --articles 10000 [--seed 1] [--queries 300] [--cli-runs 30] [--dir DIR] [--keep]
//!     [--fts-sample N]
//! ```
//!
//! Prints a Markdown table to stdout, progress to stderr. Exits 1 when the two engines
//! disagree on a count of the filter-only queries.

use claimtrail::bench::{Config, run};
use std::path::PathBuf;
use std::process::ExitCode;

// The allocator the binary runs on, set the same way, so that what a phase costs (and the
// heap it peaks at: how much freed memory stays resident is the allocator's choice) is
// what `claimtrail ingest` and `search` would cost.
#[global_allocator]
static ALLOCATOR: claimtrail::alloc::Allocator = mimalloc::MiMalloc;

fn main() -> ExitCode {
    claimtrail::alloc::configure();
    let mut cfg = Config {
        articles: 1000,
        seed: 1,
        queries_per_class: 300,
        cli_runs: 30,
        cli: Some(PathBuf::from(env!("CARGO_BIN_EXE_claimtrail"))),
        dir: std::env::temp_dir().join(format!("claimtrail-bench-{}", std::process::id())),
        fts_sample: None,
    };
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match a.as_str() {
            "--articles" => cfg.articles = value().parse().unwrap_or(cfg.articles),
            "--seed" => cfg.seed = value().parse().unwrap_or(cfg.seed),
            "--queries" => cfg.queries_per_class = value().parse().unwrap_or(300),
            "--cli-runs" => cfg.cli_runs = value().parse().unwrap_or(30),
            "--dir" => cfg.dir = PathBuf::from(value()),
            "--keep" => keep = true,
            // FTS5's ranked queries take seconds each at 1M articles: a sample keeps the
            // run to hours.
            "--fts-sample" => match value().parse() {
                Ok(n) => cfg.fts_sample = Some(n),
                Err(_) => {
                    eprintln!("error: --fts-sample takes a number of queries per class");
                    return ExitCode::from(2);
                }
            },
            // `cargo bench` passes --bench to every bench binary.
            "--bench" => {}
            other => {
                eprintln!("error: unknown argument '{other}'");
                return ExitCode::from(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let result = run(&cfg, |phase| {
        eprintln!("[{:>7.1} s] {phase}", started.elapsed().as_secs_f64())
    });
    if !keep {
        let _ = std::fs::remove_dir_all(&cfg.dir);
    }
    match result {
        Ok(report) => {
            println!("{}", report.markdown());
            eprintln!("[{:>7.1} s] done", started.elapsed().as_secs_f64());
            if report.filters_agree() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "error: ours and FTS5 disagree on filter-only counts, our two plans differ, or the bare index finds other totals"
                );
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
