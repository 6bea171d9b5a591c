//! `claimtrail reindex` (rebuild the search index from the database) and `claimtrail check`
//! (the database is sound, and the index holds exactly its claims with their statuses).

use super::args::{CheckArgs, ReindexArgs, ResultFormat};
use super::{Context, Run, print_json};
use crate::error::Error;
use crate::index::{Refresh, SearchIndex};
use crate::store::Store;

impl Run for ReindexArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let embedder = ctx.embedder()?;
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        // The fact-checks' vectors, when a model is given, are derived too: the missing
        // ones are made now.
        let embedded = match &embedder {
            Some(e) => Some(store.embed_fact_checks(e)?),
            None => None,
        };
        // Matching is derived like the index: every claim again, against every fact-check
        // and verdict, before the index is rebuilt from it.
        let checked = store.match_claims(crate::store::Scope::All)?;
        // Stories too, from nothing, then the user's splits and joins again.
        store.group_stories(crate::store::StoryScope::All)?;
        let line = match SearchIndex::rebuild(&store)? {
            Refresh::Rebuilt {
                generation, claims, ..
            } => format!("index rebuilt: {claims} claims, database generation {generation}"),
            other => describe(&other),
        };
        let mut out = format!("{line}\n");
        if checked > 0 {
            out.push_str(&match checked {
                1 => "1 claim already fact-checked\n".to_string(),
                n => format!("{n} claims already fact-checked\n"),
            });
        }
        if let Some(n) = embedded {
            out.push_str(&format!(
                "vectors stored for {n} fact-check{}\n",
                super::plural(n)
            ));
        }
        print(&out)
    }
}

impl Run for CheckArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let mut report = String::new();
        let outcome = checks(&store, &mut report);
        if self.format == ResultFormat::Json {
            let passed: Vec<serde_json::Value> = report
                .lines()
                .map(|l| {
                    let (what, result) = l.split_once(": ").unwrap_or(("", l));
                    serde_json::json!({"what": what, "result": result})
                })
                .collect();
            let problem = match &outcome {
                Err(Error::CheckFailed(p)) => Some(p.clone()),
                _ => None,
            };
            // A check that could not run at all (an unreadable store) is an error, not a
            // result: nothing on stdout, as for every other error.
            if outcome.is_ok() || problem.is_some() {
                print_json(&serde_json::json!({
                    "ok": outcome.is_ok(),
                    "passed": passed,
                    "problem": problem,
                }))?;
            }
            return outcome;
        }
        outcome?;
        print(&report)
    }
}

/// Runs the checks in turn, each one passed a line of `report`; the first that fails is the
/// error.
fn checks(store: &Store, report: &mut String) -> Result<(), Error> {
    let problems = store.integrity_problems()?;
    if !problems.is_empty() {
        return Err(Error::CheckFailed(format!(
            "the database is damaged: {} problem(s), the first: {}",
            problems.len(),
            problems[0]
        )));
    }
    report.push_str("database: integrity and foreign keys ok\n");
    let damaged = store.damaged_articles()?;
    if !damaged.is_empty() {
        return Err(Error::CheckFailed(format!(
            "the database is damaged: {} article(s) whose text does not match its content hash, the first: {}",
            damaged.len(),
            damaged[0]
        )));
    }
    report.push_str("database: every article's text matches its content hash\n");
    // An index that has to be rebuilt rather than caught up is reported before anything
    // rebuilds it: ahead of the database, it is the only trace of commits the database
    // lost. The next command that opens the index rebuilds it, saying so.
    if let Some(reason) = crate::index::mismatch_with(store)? {
        return Err(Error::CheckFailed(format!(
            "{reason}; the next command rebuilds the index from the database"
        )));
    }

    // On read-only media the index cannot be caught up: one that is behind is reported
    // (exit 1), not an internal error.
    let index = if crate::store::read_only_media(&store.dir().join(crate::store::INDEX_DIR)) {
        SearchIndex::open_for_reading(store)?
    } else {
        SearchIndex::open(store)?
    };
    if let Refresh::Behind {
        read_only: true, ..
    } = index.sync()
    {
        return Err(Error::CheckFailed(format!(
            "the search index is {}; the database is sound",
            describe(index.sync())
        )));
    }
    report.push_str(&format!("index: {}\n", describe(index.sync())));
    let damaged = index.damaged_files()?;
    if !damaged.is_empty() {
        return Err(Error::CheckFailed(format!(
            "the search index has {} damaged file(s) ({}); run claimtrail reindex",
            damaged.len(),
            damaged[0].display()
        )));
    }
    // Compare one state with one state: a writer committing in between makes the two
    // generations differ, and the comparison is made again.
    let mut attempts = 0;
    let (db_statuses, index_statuses, docs, generation) = loop {
        let (index_generation, index_statuses, docs) = index.statuses()?;
        let (db_generation, db_statuses) = store.statuses()?;
        attempts += 1;
        if index_generation == db_generation || attempts == 5 {
            break (db_statuses, index_statuses, docs, db_generation);
        }
        drop(SearchIndex::open(store)?);
    };
    let missing: Vec<i64> = db_statuses
        .keys()
        .filter(|id| !index_statuses.contains_key(id))
        .copied()
        .collect();
    let extra: Vec<i64> = index_statuses
        .keys()
        .filter(|id| !db_statuses.contains_key(id))
        .copied()
        .collect();
    let differ: Vec<String> = db_statuses
        .iter()
        .filter_map(|(id, status)| {
            let indexed = index_statuses.get(id)?;
            (indexed != status).then(|| format!("claim {id} is {status} but indexed as {indexed}"))
        })
        .collect();
    let duplicates = docs.saturating_sub(index_statuses.len());
    if !missing.is_empty() || !extra.is_empty() || !differ.is_empty() || duplicates > 0 {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "{} claim(s) missing from the index (first: {})",
                missing.len(),
                missing[0]
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "{} indexed claim(s) not in the database (first: {})",
                extra.len(),
                extra[0]
            ));
        }
        if !differ.is_empty() {
            parts.push(format!(
                "{} status(es) differ ({})",
                differ.len(),
                differ[0]
            ));
        }
        if duplicates > 0 {
            parts.push(format!("{duplicates} duplicate document(s)"));
        }
        return Err(Error::CheckFailed(format!(
            "the search index differs from the database: {}; run claimtrail reindex",
            parts.join(", ")
        )));
    }
    report.push_str(&format!(
            "index: holds the database's {} claims with their current statuses (generation {generation})\n",
            db_statuses.len()
        ));
    Ok(())
}

/// What opening the index did, in words.
pub(crate) fn describe(refresh: &Refresh) -> String {
    match refresh {
        Refresh::UpToDate { generation } => format!("up to date (generation {generation})"),
        Refresh::CaughtUp { from, to, claims } => {
            format!("caught up from generation {from} to {to} ({claims} claims re-indexed)")
        }
        Refresh::Rebuilt {
            reason,
            generation,
            claims,
            ..
        } => format!("rebuilt because {reason} ({claims} claims, generation {generation})"),
        Refresh::Behind {
            generation,
            database,
            read_only: false,
        } => format!(
            "at generation {generation}, behind the database's {database} (another claimtrail is indexing)"
        ),
        Refresh::Behind {
            generation,
            database,
            read_only: true,
        } => format!(
            "at generation {generation}, behind the database's {database} (on read-only media, it cannot be caught up)"
        ),
    }
}

use super::print;
