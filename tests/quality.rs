//! Extraction quality, measured the way the user would: the real binary's
//! `extract --format json` scored against what a careful reader finds (the seed article and
//! every corpus article, `tests/expectations/`), and `claimtrail eval` on PolNeAR dev.
//!
//! The expectation scorer is the metric of `../shared/tools/seed_score.py`, written again
//! here so the test needs no Python; where Python and `../shared` are present, a test checks
//! that the two agree. PolNeAR's texts are not in the repository: those tests say so and
//! pass when `../shared/polnear` is absent.

use crate::common::{TestEnv, arg, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The figures of one article: chains accepted, and every other check.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Score {
    chains: usize,
    claims: usize,
    checks: usize,
    checks_total: usize,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .map(norm)
        .unwrap_or_default()
}

/// The chain after the publisher.
fn after_publisher(claim: &Value) -> Vec<&Value> {
    let links: Vec<&Value> = claim["chain"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    match links.first() {
        Some(l) if l["role"] == "publisher" => links[1..].to_vec(),
        _ => links,
    }
}

fn chain_ok(links: &[&Value], accept: &Value) -> bool {
    accept.as_array().into_iter().flatten().any(|alt| {
        let alt = alt.as_array().map(Vec::as_slice).unwrap_or_default();
        alt.len() == links.len()
            && alt
                .iter()
                .zip(links)
                .all(|(g, l)| text(l, "name").contains(&norm(g.as_str().unwrap_or(""))))
    })
}

/// Scores one extraction against one expectations file, as `seed_score.py` does; the
/// failures are returned as lines for the test output.
fn score(exp: &Value, out: &Value) -> (Score, Vec<String>) {
    let claims: Vec<&Value> = out["claims"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut s = Score::default();
    let mut fails = Vec::new();
    let expected = exp["claims"].as_array().cloned().unwrap_or_default();
    s.claims = expected.len();
    for g in &expected {
        let key = text(g, "contains");
        let cands: Vec<&Value> = claims
            .iter()
            .copied()
            .filter(|c| text(c, "sentence").contains(&key) || text(c, "text").contains(&key))
            .collect();
        if cands.is_empty() {
            fails.push(format!("no claim for: {key}"));
            continue;
        }
        let good: Vec<&Value> = cands
            .iter()
            .copied()
            .filter(|c| chain_ok(&after_publisher(c), &g["accept"]))
            .collect();
        if good.is_empty() {
            let got: Vec<String> = after_publisher(cands[0])
                .iter()
                .map(|l| text(l, "name"))
                .collect();
            fails.push(format!("chain {got:?} not in {} for: {key}", g["accept"]));
        } else {
            s.chains += 1;
        }
        let pool = if good.is_empty() { &cands } else { &good };
        for field in ["certainty", "kind"] {
            if let Some(want) = g.get(field) {
                let want: Vec<&Value> = match want {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                s.checks_total += 1;
                if pool.iter().any(|c| want.contains(&&c[field])) {
                    s.checks += 1;
                } else {
                    fails.push(format!(
                        "{field} {} not in {want:?} for: {key}",
                        pool[0][field]
                    ));
                }
            }
        }
        if let Some(r) = g.get("recipient").and_then(Value::as_str) {
            s.checks_total += 1;
            let r = norm(r);
            if pool.iter().any(|c| {
                c["chain"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|l| text(l, "recipient").contains(&r) && !text(l, "recipient").is_empty())
            }) {
                s.checks += 1;
            } else {
                fails.push(format!("recipient {r} missing for: {key}"));
            }
        }
    }
    for line in exp["not_claims"].as_array().into_iter().flatten() {
        s.checks_total += 1;
        let line = norm(line.as_str().unwrap_or(""));
        if claims
            .iter()
            .any(|c| !text(c, "sentence").is_empty() && line.contains(&text(c, "sentence")))
        {
            fails.push(format!("claim taken from a non-claim line: {line}"));
        } else {
            s.checks += 1;
        }
    }
    let names: Vec<String> = claims
        .iter()
        .flat_map(|c| c["chain"].as_array().into_iter().flatten())
        .map(|l| text(l, "name"))
        .filter(|n| !n.is_empty())
        .collect();
    let sources = &exp["sources"];
    for n in sources["must_include"].as_array().into_iter().flatten() {
        s.checks_total += 1;
        let n = norm(n.as_str().unwrap_or(""));
        if names.iter().any(|x| x.contains(&n)) {
            s.checks += 1;
        } else {
            fails.push(format!("source missing: {n}"));
        }
    }
    for n in sources["must_not_include"].as_array().into_iter().flatten() {
        s.checks_total += 1;
        let n = norm(n.as_str().unwrap_or(""));
        if names.iter().any(|x| x.contains(&n)) {
            fails.push(format!("source must not appear: {n}"));
        } else {
            s.checks += 1;
        }
    }
    for group in sources["one_source_for"].as_array().into_iter().flatten() {
        s.checks_total += 1;
        let group: Vec<String> = group
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| norm(t.as_str().unwrap_or("")))
            .collect();
        let mut hit: Vec<&String> = names
            .iter()
            .filter(|x| group.iter().any(|t| x.contains(t.as_str())))
            .collect();
        hit.sort();
        hit.dedup();
        if hit.len() <= 1 {
            s.checks += 1;
        } else {
            fails.push(format!("several sources for one: {hit:?}"));
        }
    }
    (s, fails)
}

/// Runs `claimtrail extract --format json` on a corpus file; for a JSONL file, the
/// document of the given 1-based line.
fn extract_json(env: &TestEnv, file: &Path, line: Option<usize>) -> Value {
    let run = env.run(&["extract", "--format", "json", &arg(file)]);
    assert_eq!(run.code, 0, "{run}");
    let json_line = match line {
        Some(n) => run
            .stdout
            .lines()
            .nth(n - 1)
            .unwrap_or_else(|| panic!("no line {n} in {run}"))
            .to_string(),
        None => run.stdout.clone(),
    };
    serde_json::from_str(&json_line).unwrap_or_else(|e| panic!("{e}: {run}"))
}

fn expectation_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/expectations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn score_file(env: &TestEnv, exp_path: &Path) -> (Score, Vec<String>) {
    let exp: Value = serde_json::from_str(&std::fs::read_to_string(exp_path).unwrap()).unwrap();
    let doc = repo()
        .join("corpus")
        .join(exp["document"].as_str().expect("document field"));
    let line = exp.get("line").and_then(Value::as_u64).map(|n| n as usize);
    score(&exp, &extract_json(env, &doc, line))
}

#[test]
fn the_seed_article_gets_its_chains_certainties_kinds_and_sources() {
    let env = TestEnv::new();
    let (s, fails) = score_file(
        &env,
        &repo().join("tests/expectations/000_a839bff65d798603.json"),
    );
    for f in &fails {
        println!("{f}");
    }
    println!(
        "seed: chains {}/{}, checks {}/{}",
        s.chains, s.claims, s.checks, s.checks_total
    );
    assert!(
        s.chains + 2 >= s.claims,
        "at least {} of {} chains",
        s.claims - 2,
        s.claims
    );
    assert_eq!(
        s.checks, s.checks_total,
        "every certainty, kind, recipient, non-claim line and source rule"
    );
}

/// The fictional corpus articles, each scored against what its author expects (written
/// from the text by a careful reader, not from the extractor's output). Measured: 163 of
/// 205 chains and 210 of 227 checks (the rules alone on main: 159 chains); the floors sit
/// just below, the chains' above main's 159, so a regression fails.
#[test]
fn every_corpus_article_meets_its_expectations() {
    let env = TestEnv::new();
    let mut total = Score::default();
    let mut report = Vec::new();
    for path in expectation_files() {
        let (s, fails) = score_file(&env, &path);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        report.push(format!(
            "{name:<40} chains {:>2}/{:<2} checks {:>2}/{:<2}",
            s.chains, s.claims, s.checks, s.checks_total
        ));
        for f in fails {
            report.push(format!("    {f}"));
        }
        total.chains += s.chains;
        total.claims += s.claims;
        total.checks += s.checks;
        total.checks_total += s.checks_total;
    }
    println!("{}", report.join("\n"));
    println!(
        "corpus: chains {}/{}, checks {}/{}",
        total.chains, total.claims, total.checks, total.checks_total
    );
    assert!(
        total.chains * 100 >= total.claims * 78,
        "chains below 78%: {}/{}",
        total.chains,
        total.claims
    );
    assert!(
        total.checks * 100 >= total.checks_total * 89,
        "checks below 89%: {}/{}",
        total.checks,
        total.checks_total
    );
}

/// Where Python and the shared scorers are at hand: our scorer and `seed_score.py` print the
/// same figures for the same extraction.
#[test]
fn the_expectation_scorer_agrees_with_seed_score_py() {
    let tool = repo().join("../shared/tools/seed_score.py");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool.exists() || !python {
        crate::common::skip(
            "the_expectation_scorer_agrees_with_seed_score_py",
            "../shared/tools/seed_score.py or python3 is not here",
        );
        return;
    }
    let env = TestEnv::new();
    for path in expectation_files()
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("011_"))
    {
        let exp: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let doc = repo()
            .join("corpus")
            .join(exp["document"].as_str().unwrap());
        let out = extract_json(&env, &doc, None);
        let out_path = env.write("extract.json", serde_json::to_string(&out).unwrap());
        let py = std::process::Command::new("python3")
            .arg(&tool)
            .arg(&path)
            .arg(&out_path)
            .output()
            .unwrap();
        let py_last = String::from_utf8_lossy(&py.stdout)
            .lines()
            .last()
            .unwrap_or("")
            .to_string();
        let (s, _) = score(&exp, &out);
        let ours = format!(
            "chains {}/{}, checks {}/{}",
            s.chains, s.claims, s.checks, s.checks_total
        );
        assert_eq!(ours, py_last, "{}", path.display());
    }
}

/// PolNeAR dev beside the repository, or `None` after recording that `test` skipped.
fn polnear_dev(test: &str) -> Option<PathBuf> {
    let dir = repo().join("../shared/polnear/data/dev");
    if dir.join("text").is_dir() {
        Some(dir)
    } else {
        crate::common::skip(
            test,
            "../shared/polnear is not here (PolNeAR is not redistributable)",
        );
        None
    }
}

/// PolNeAR dev, exact match and overlap F1 per role. The floors are the targets
/// where they are met and the measured figure otherwise (see README, "Extraction quality").
#[test]
fn polnear_dev_scores() {
    let Some(dir) = polnear_dev("polnear_dev_scores") else {
        return;
    };
    let env = TestEnv::new();
    let run = env.run(&["eval", "--format", "json", &arg(&dir)]);
    assert_eq!(run.code, 0, "{run}");
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let f1 = |role: &str, m: &str| {
        let c = &report["total"][role];
        let (gold, pred, hit) = (
            c["gold"].as_f64().unwrap(),
            c["pred"].as_f64().unwrap(),
            c[m].as_f64().unwrap(),
        );
        let (p, r) = (hit / pred, hit / gold);
        200.0 * p * r / (p + r)
    };
    let line = |m: &str| {
        ["source", "cue", "content"]
            .map(|r| format!("{:.1}", f1(r, m)))
            .join("/")
    };
    println!("PolNeAR dev exact F1 source/cue/content: {}", line("exact"));
    println!(
        "PolNeAR dev overlap F1 source/cue/content: {}",
        line("overlap")
    );
    // The targets: exact 60/58/45 and overlap 70/68/68, all met (64.1/62.6/47.2 and
    // 70.1/68.9/71.3 when this was written).
    for (role, m, floor) in [
        ("source", "exact", 60.0),
        ("cue", "exact", 58.0),
        ("content", "exact", 45.0),
        ("source", "overlap", 70.0),
        ("cue", "overlap", 68.0),
        ("content", "overlap", 68.0),
    ] {
        assert!(
            f1(role, m) >= floor,
            "{role} {m} F1 {:.1} < {floor}",
            f1(role, m)
        );
    }
}

/// `claimtrail eval` and `brat_score.py` (which drives `claimtrail extract`) give the same
/// counts on PolNeAR dev.
#[test]
fn eval_agrees_with_brat_score_py() {
    let Some(dir) = polnear_dev("eval_agrees_with_brat_score_py") else {
        return;
    };
    let tool = repo().join("../shared/tools/brat_score.py");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool.exists() || !python {
        crate::common::skip(
            "eval_agrees_with_brat_score_py",
            "../shared/tools/brat_score.py or python3 is not here",
        );
        return;
    }
    let env = TestEnv::new();
    let ours = env.run(&["eval", &arg(&dir)]);
    let py = std::process::Command::new("python3")
        .arg(&tool)
        .arg(env!("CARGO_BIN_EXE_claimtrail"))
        .arg(&dir)
        .output()
        .unwrap();
    let py = String::from_utf8_lossy(&py.stdout).into_owned();
    let last = |s: &str, prefix: &str| {
        s.lines()
            .find(|l| l.starts_with(prefix))
            .map(str::to_string)
    };
    for prefix in ["exact F1", "docs"] {
        let p = last(&py, prefix)
            .unwrap_or_else(|| panic!("brat_score.py printed no '{prefix}' line: {py}"));
        let want = p
            .trim_start_matches(|c: char| c != 'F' && prefix == "docs")
            .to_string();
        let _ = want;
        if prefix == "exact F1" {
            assert_eq!(last(&ours.stdout, prefix), Some(p), "{ours}");
        } else {
            let overlap = p.split("overlap F1 ").nth(1).unwrap_or("");
            assert!(
                ours.stdout.contains(&format!(
                    "overlap F1 source/cue/content: {}",
                    overlap.trim_start_matches("source/cue/content: ")
                )),
                "{py}\n{ours}"
            );
        }
    }
}
