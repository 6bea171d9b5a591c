//! The web desk under load: many clients searching (the HTML search page, as a browser
//! asks for it) and a few recording verdicts through the JSON API, at once, for a while, on
//! loopback against a running `claimtrail serve`. `benches/desk.rs` is its command line (it
//! builds the store and starts the server); a test runs it for a moment on the corpus to
//! keep it honest. Nothing here asserts a time: it measures, and checks that nothing failed
//! and nothing written was lost.

use crate::model::Status;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// What to run against the desk at `base` (`http://127.0.0.1:PORT`).
#[derive(Debug, Clone)]
pub struct LoadConfig {
    pub base: String,
    /// Clients searching, each one request after the other.
    pub searchers: usize,
    /// Clients recording verdicts.
    pub writers: usize,
    pub duration: Duration,
    /// The words searched for, drawn in turn.
    pub words: Vec<String>,
    /// The claims verdicts are recorded on: writer `w` takes every `writers`-th from `w`,
    /// so two writers never record the same verdict in the same second.
    pub claims: Vec<i64>,
}

/// One verdict the desk said it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub claim: i64,
    pub status: Status,
    pub by: String,
    pub at: String,
}

/// What the load did.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub seconds: f64,
    pub searches: usize,
    /// Search pages answered with anything but 200, or not at all.
    pub search_errors: usize,
    /// Search page latency, milliseconds.
    pub search_p50: f64,
    pub search_p90: f64,
    pub search_p99: f64,
    pub search_max: f64,
    pub verdicts: Vec<Written>,
    /// Verdict requests answered with anything but a verdict written.
    pub verdict_errors: usize,
    pub verdict_p50: f64,
    pub verdict_p99: f64,
    /// The first few errors, for the report.
    pub problems: Vec<String>,
}

/// Starts `cmd`, a `claimtrail serve` with its arguments and environment (its stdout is
/// taken), and waits for the line saying where it listens: the server and its base url
/// (`http://127.0.0.1:PORT`). A server that prints no address is stopped, and the error
/// holds what it printed (and its stderr, when the caller piped it).
pub fn spawn_desk(mut cmd: std::process::Command) -> Result<(std::process::Child, String)> {
    use std::io::{BufRead, Read};
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("start claimtrail serve")?;
    let mut line = String::new();
    let stdout = child.stdout.take().context("the server's stdout")?;
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    match line.split_whitespace().find(|w| w.starts_with("http://")) {
        Some(url) => Ok((child, url.trim_end_matches('/').to_string())),
        None => {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = child.wait();
            bail!("the server printed no address: {line:?}; stderr: {err}")
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Runs the load and gathers what every client saw.
pub fn load(cfg: &LoadConfig) -> Result<LoadReport> {
    if cfg.words.is_empty() || (cfg.writers > 0 && cfg.claims.len() < cfg.writers) {
        bail!("the load needs words to search and a claim per writer");
    }
    let start = Arc::new(Barrier::new(cfg.searchers + cfg.writers + 1));
    let mut searchers = Vec::new();
    for c in 0..cfg.searchers {
        let (cfg, start) = (cfg.clone(), start.clone());
        searchers.push(std::thread::spawn(move || {
            let agent = agent();
            let mut times = Vec::new();
            let mut errors = Vec::new();
            let mut i = c * 7919;
            start.wait();
            let until = Instant::now() + cfg.duration;
            while Instant::now() < until {
                let word = &cfg.words[i % cfg.words.len()];
                i += 1;
                let t = Instant::now();
                let outcome = agent
                    .get(format!("{}/?q={word}", cfg.base))
                    .call()
                    .map_err(|e| e.to_string())
                    .and_then(|mut r| {
                        let status = r.status().as_u16();
                        let body = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
                        if status == 200 && body.contains("total-count") {
                            Ok(())
                        } else {
                            Err(format!("search {word}: {status}"))
                        }
                    });
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                match outcome {
                    Ok(()) => times.push(ms),
                    Err(e) => errors.push(e),
                }
            }
            (times, errors)
        }));
    }
    let mut writers = Vec::new();
    for w in 0..cfg.writers {
        let (cfg, start) = (cfg.clone(), start.clone());
        writers.push(std::thread::spawn(
            move || -> (Vec<f64>, Vec<Written>, Vec<String>) {
                let agent = agent();
                let mut times = Vec::new();
                let mut written = Vec::new();
                let mut errors = Vec::new();
                let session = agent
                    .get(format!("{}/api/session", cfg.base))
                    .call()
                    .map_err(|e| e.to_string())
                    .and_then(|mut r| {
                        let cookie = r
                            .headers()
                            .get("set-cookie")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.split(';').next())
                            .map(str::to_string)
                            .ok_or("no session cookie")?;
                        let body: serde_json::Value = serde_json::from_str(
                            &r.body_mut().read_to_string().map_err(|e| e.to_string())?,
                        )
                        .map_err(|e| e.to_string())?;
                        let csrf = body["csrf"].as_str().ok_or("no csrf")?.to_string();
                        Ok((cookie, csrf))
                    });
                start.wait();
                let (cookie, csrf) = match session {
                    Ok(s) => s,
                    Err(e) => return (times, written, vec![format!("session: {e}")]),
                };
                let mine: Vec<i64> = cfg
                    .claims
                    .iter()
                    .skip(w)
                    .step_by(cfg.writers)
                    .copied()
                    .collect();
                let statuses = [Status::Confirmed, Status::Disputed, Status::False];
                let until = Instant::now() + cfg.duration;
                let mut i = 0;
                while Instant::now() < until {
                    let claim = mine[i % mine.len()];
                    let status = statuses[(i / mine.len()) % statuses.len()];
                    i += 1;
                    let body =
                        serde_json::json!({"status": status, "note": "load test"}).to_string();
                    let t = Instant::now();
                    let outcome = agent
                        .post(format!("{}/api/claims/{claim}/verdicts", cfg.base))
                        .header("cookie", &cookie)
                        .header("x-csrf-token", &csrf)
                        .header("content-type", "application/json")
                        .send(body.as_bytes())
                        .map_err(|e| e.to_string())
                        .and_then(|mut r| {
                            let code = r.status().as_u16();
                            let text = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
                            let v: serde_json::Value =
                                serde_json::from_str(&text).map_err(|e| format!("{code}: {e}"))?;
                            match (code, v["claims"][0]["outcome"].as_str()) {
                                (200, Some("written")) => Ok(Written {
                                    claim,
                                    status,
                                    by: v["by"].as_str().unwrap_or_default().to_string(),
                                    at: v["at"].as_str().unwrap_or_default().to_string(),
                                }),
                                // The same verdict by the same reviewer in the same second: the
                                // store keeps one, by design; not an error, nothing to check.
                                (200, Some("already_recorded")) => Err(String::new()),
                                _ => Err(format!("verdict on {claim}: {code} {text}")),
                            }
                        });
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    match outcome {
                        Ok(v) => written.push(v),
                        Err(e) if e.is_empty() => {}
                        Err(e) => errors.push(e),
                    }
                }
                (times, written, errors)
            },
        ));
    }
    start.wait();
    let began = Instant::now();
    let mut report = LoadReport::default();
    let mut search_times = Vec::new();
    for s in searchers {
        let (times, errors) = s
            .join()
            .map_err(|_| anyhow::anyhow!("a searcher panicked"))?;
        search_times.extend(times);
        report.search_errors += errors.len();
        report.problems.extend(errors.into_iter().take(3));
    }
    let mut verdict_times = Vec::new();
    for w in writers {
        let (times, written, errors) =
            w.join().map_err(|_| anyhow::anyhow!("a writer panicked"))?;
        verdict_times.extend(times);
        report.verdicts.extend(written);
        report.verdict_errors += errors.len();
        report.problems.extend(errors.into_iter().take(3));
    }
    report.seconds = began.elapsed().as_secs_f64();
    search_times.sort_by(f64::total_cmp);
    verdict_times.sort_by(f64::total_cmp);
    report.searches = search_times.len() + report.search_errors;
    report.search_p50 = percentile(&search_times, 50.0);
    report.search_p90 = percentile(&search_times, 90.0);
    report.search_p99 = percentile(&search_times, 99.0);
    report.search_max = search_times.last().copied().unwrap_or(0.0);
    report.verdict_p50 = percentile(&verdict_times, 50.0);
    report.verdict_p99 = percentile(&verdict_times, 99.0);
    Ok(report)
}

/// The verdicts of `written` the store at `store` does not hold (by claim, status,
/// reviewer and time): none, when nothing the desk said it wrote was lost.
pub fn missing_verdicts(store: &Path, written: &[Written]) -> Result<Vec<Written>> {
    let conn = rusqlite::Connection::open_with_flags(
        store.join("claims.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .context("open the store")?;
    let mut q = conn.prepare(
        "SELECT count(*) FROM verdicts WHERE claim_id = ?1 AND status = ?2 AND reviewer = ?3 AND created_at = ?4",
    )?;
    let mut missing = Vec::new();
    for w in written {
        let n: i64 = q.query_row(
            rusqlite::params![w.claim, w.status.as_str(), w.by, w.at],
            |r| r.get(0),
        )?;
        if n == 0 {
            missing.push(w.clone());
        }
    }
    Ok(missing)
}

impl LoadReport {
    /// The report as BENCHMARKS.md holds it.
    pub fn markdown(&self, searchers: usize, writers: usize, claims: i64) -> String {
        format!(
            "| clients | store claims | seconds | searches | search errors | search p50 / p90 / p99 / max ms | verdicts written | verdict errors | verdict p50 / p99 ms | verdicts missing afterwards |\n\
             |---|---|---|---|---|---|---|---|---|---|\n\
             | {searchers} searching + {writers} recording | {claims} | {:.1} | {} | {} | {:.2} / {:.2} / {:.2} / {:.2} | {} | {} | {:.2} / {:.2} | {{missing}} |\n",
            self.seconds,
            self.searches,
            self.search_errors,
            self.search_p50,
            self.search_p90,
            self.search_p99,
            self.search_max,
            self.verdicts.len(),
            self.verdict_errors,
            self.verdict_p50,
            self.verdict_p99,
        )
    }
}
