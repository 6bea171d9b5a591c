//! The index stays consistent with SQLite: verdicts show at once, a missing, corrupt or
//! behind index is rebuilt or caught up on open, `check` notices a difference, a killed
//! ingest loses nothing committed, readers see consistent results while a writer runs, and a
//! locked store says it is busy.

use crate::common::{NOW, TestEnv, arg, ids};
use claimtrail::model::Status;
use claimtrail::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

fn verdict(env: &TestEnv, claim: i64, status: Status) {
    let mut store = Store::open(env.store()).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    store
        .add_verdict(
            claim,
            status,
            Some("checked against the call record"),
            &["https://example.org/evidence".into()],
            Some("tester"),
            at,
        )
        .unwrap();
}

#[test]
fn a_verdict_written_through_the_store_shows_in_search_at_once() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("Russia request the maximum");
    verdict(&env, id, Status::Confirmed);
    let found = env.json(&["search", "--status", "confirmed", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
    // It left the open claims, and its history shows.
    let open = env.json(&["unconfirmed", "--limit", "1000", "--format", "json"]);
    assert!(!ids(&open).contains(&id));
    let run = env.run(&["show", &id.to_string()]);
    assert!(
        run.stdout.contains(
            "verdicts, newest first:\n  2025-11-25T12:00:00Z  confirmed by tester: checked against the call record\n    evidence: https://example.org/evidence\n"
        ),
        "{run}"
    );
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
}

#[test]
fn check_passes_on_a_fresh_store_and_reports_what_it_did() {
    let env = TestEnv::with_corpus();
    let run = env.run(&["check"]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn check_finds_a_status_written_behind_the_programs_back_and_reindex_repairs_it() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("Russia request the maximum");
    // Another program appends a verdict without starting a new generation.
    env.db()
        .execute(
            "INSERT INTO verdicts (claim_id, status, created_at) VALUES (?1, 'false', ?2)",
            rusqlite::params![id, NOW],
        )
        .unwrap();
    let run = env.run(&["check"]);
    run.assert_one_line_error(1);
    assert!(
        run.stderr.contains(&format!(
            "1 status(es) differ (claim {id} is false but indexed as unverified)"
        )),
        "{run}"
    );
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("index rebuilt: "), "{run}");
    assert_eq!(env.run(&["check"]).code, 0);
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
}

#[test]
fn a_missing_or_corrupt_index_is_rebuilt_on_open() {
    let env = TestEnv::with_corpus();
    let before = env.json(&["search", "--outlet", "Reuters", "--format", "json"]);
    let index = env.store().join("index");
    std::fs::remove_dir_all(&index).unwrap();
    assert_eq!(
        env.json(&["search", "--outlet", "Reuters", "--format", "json"]),
        before
    );

    std::fs::write(index.join("meta.json"), "{ not json").unwrap();
    let run = env.run(&["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("index: rebuilt because the index cannot be opened"),
        "{run}"
    );
    assert_eq!(
        env.json(&["search", "--outlet", "Reuters", "--format", "json"]),
        before
    );
    // No temporary folders are left behind.
    assert_no_index_folders_left(&env);
}

/// Only `index/` is left of the index in the store: no `index.tmp-<pid>` or
/// `index.old-<pid>` of a rebuild.
fn assert_no_index_folders_left(env: &TestEnv) {
    let names: Vec<String> = std::fs::read_dir(env.store())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with("index.")), "{names:?}");
}

#[test]
fn a_killed_ingest_loses_nothing_committed_and_check_passes_after_the_catch_up() {
    let env = TestEnv::with_corpus();
    let judged = env.claim_id("Russia request the maximum");
    verdict(&env, judged, Status::Disputed);
    let folder = env.write_articles("batch", 2000);
    let before = env.counts()["articles"];

    let mut child = env.background(&["ingest", &arg(&folder)]).spawn().unwrap();
    // Kill it in the middle: as soon as a batch is committed.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
        if env.counts()["articles"] > before {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let after = env.counts()["articles"];
    assert!(after > before, "no batch was committed before the kill");

    // The index followed the batches as they were committed: it may have been killed
    // before or after its last commit, so it is caught up now or already up to date.
    let run = env.run(&["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("index: "), "{run}");
    // Every committed article is searchable, and the verdict is intact.
    assert_eq!(env.batch_articles_found().len() as i64, after - before);
    let disputed = env.json(&["search", "--status", "disputed", "--format", "json"]);
    assert_eq!(ids(&disputed), [judged]);

    // Ingesting the rest completes the batch.
    let run = env.run(&["ingest", &arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(env.counts()["articles"], before + 2000);
    assert_eq!(env.run(&["check"]).code, 0);
}

#[test]
fn searching_while_another_process_ingests_gives_consistent_results() {
    let env = TestEnv::with_corpus();
    let folder = env.write_articles("batch", 1200);
    let mut child = env.background(&["ingest", &arg(&folder)]).spawn().unwrap();
    let mut searches = 0;
    loop {
        let done = child.try_wait().unwrap().is_some();
        let run = env.run(&[
            "search",
            "--outlet",
            "Batch Wire",
            "--limit",
            "100000",
            "--format",
            "json",
        ]);
        // Nothing yet (1) or claims, each whole: never an error.
        assert!(run.code == 0 || run.code == 1, "{run}");
        if run.code == 0 {
            let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            for c in found.as_array().unwrap() {
                assert_eq!(c["article"]["outlet"], "Batch Wire");
                assert!(!c["chain"].as_array().unwrap().is_empty(), "{c}");
            }
        }
        searches += 1;
        if done {
            break;
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(searches >= 2);
    assert_eq!(env.run(&["check"]).code, 0);
    assert_eq!(env.batch_articles_found().len(), 1200);
}

#[test]
fn a_store_locked_by_a_writer_waits_then_says_it_is_busy() {
    let env = TestEnv::with_corpus();
    let mut db = env.db();
    let tx = db
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let start = Instant::now();
    let run = env.run(&["alias", "Reuters", "Bloomberg"]);
    assert!(start.elapsed() >= Duration::from_secs(4), "it did not wait");
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains("the store is busy (another claimtrail is writing to it); try again"),
        "{run}"
    );
    // Readers are not blocked by the writer.
    let found = env.run(&["search", "--outlet", "Reuters", "--format", "json"]);
    assert_eq!(found.code, 0, "{found}");
    drop(tx);
}

/// An ingest holds the index writer while it runs (its follower indexes each batch as it
/// is committed). A `verify` meanwhile neither fails nor waits for the ingest to end: it
/// returns once the follower has indexed its verdict, and search shows it at once.
#[test]
fn a_verdict_given_while_an_ingest_runs_shows_in_search_when_verify_returns() {
    let env = TestEnv::with_corpus();
    let judged = env.claim_id("Russia request the maximum");
    // Long articles with many claims, so the ingest runs for seconds.
    let folder = env.dir().join("generated");
    let run = env.run(&[
        "gen-corpus",
        "--articles",
        "2000",
        "--seed",
        "7",
        "--out",
        &arg(&folder),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let before = env.counts()["articles"];
    let mut child = env.background(&["ingest", &arg(&folder)]).spawn().unwrap();
    // Once a batch is in, the ingest (and its follower) is under way.
    let start = Instant::now();
    while env.counts()["articles"] == before && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let run = env.run(&[
        "verify",
        &judged.to_string(),
        "--status",
        "false",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [judged]);
    let ingest_running = child.try_wait().unwrap().is_none();
    assert!(child.wait().unwrap().success());
    eprintln!("the ingest was still running when verify returned: {ingest_running}");
    assert_eq!(env.counts()["articles"], before + 2000);
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [judged]);
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Found by tests/reliability.rs (a killed `verify`): a process killed in an index commit
/// after writing a deletion file (named after its segment and the operation number) and
/// before `meta.json` made the next catch-up of the
/// same changes fail with "File already exists", an internal error on every command that
/// opened the index. The files a killed commit wrote are now collected first.
#[test]
fn a_commit_killed_half_way_does_not_block_the_next_one() {
    let env = TestEnv::with_corpus();
    // A verdict the index has not seen: the next catch-up deletes and adds its claim again.
    let at = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    let mut store = Store::open(env.store()).unwrap();
    store
        .add_verdict(1, Status::False, None, &[], None, at)
        .unwrap();
    drop(store);
    // The same catch-up in a copy of the store; its files, but not its meta.json, are what a
    // process killed just before writing meta.json leaves behind.
    let copy = env.dir().join("copy");
    copy_dir(&env.store(), &copy);
    let run = env
        .command()
        .env("CLAIMTRAIL_DB", &copy)
        .arg("check")
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let (index, copied) = (env.store().join("index"), copy.join("index"));
    let managed = |dir: &Path| -> std::collections::BTreeSet<String> {
        serde_json::from_slice(&std::fs::read(dir.join(".managed.json")).unwrap()).unwrap()
    };
    let mut left = managed(&index);
    left.extend(managed(&copied));
    let mut deletions = 0;
    for entry in std::fs::read_dir(&copied).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "meta.json" && !name.starts_with('.') && !index.join(&name).exists() {
            deletions += usize::from(name.ends_with(".del"));
            std::fs::copy(copied.join(&name), index.join(&name)).unwrap();
        }
    }
    assert!(deletions > 0, "the catch-up wrote no deletion file");
    std::fs::write(
        index.join(".managed.json"),
        serde_json::to_vec(&left).unwrap(),
    )
    .unwrap();

    let run = env.run(&["check"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("index: caught up"), "{run}");
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [1]);
}

/// A rebuild killed before its swap leaves `index.tmp-<pid>` (a whole index's worth of
/// files); the next command that opens the index removes it, not only the next rebuild.
#[test]
fn what_a_killed_rebuild_left_is_removed_by_the_next_open() {
    let env = TestEnv::with_corpus();
    // No process has these ids (above the kernel's pid_max).
    for name in ["index.tmp-4294967294", "index.old-4294967293"] {
        env.write(&format!("store/{name}/meta.json"), "{}");
    }
    let run = env.run(&["search", "--outlet", "Reuters"]);
    assert_eq!(run.code, 0, "{run}");
    assert_no_index_folders_left(&env);
}

/// A search waits at most a second for another process that holds the index writer, then
/// searches the index as it stands: a long ingest indexing its claims never makes a search
/// fail (it used to wait ten seconds, then fail as busy). The claims that process indexes
/// show as soon as it is done.
#[test]
fn a_search_does_not_fail_while_another_process_holds_the_index_writer() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("Russia request the maximum");
    verdict(&env, id, Status::False);
    let index = tantivy::Index::open_in_dir(env.store().join("index")).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let start = Instant::now();
    let run = env.run(&["search", "--outlet", "Reuters", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // The verdict is not indexed yet.
    let run = env.run(&["search", "--status", "false"]);
    assert_eq!(run.code, 1, "{run}");
    drop(writer);
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
}

/// Regression: an ingest batch extracted its articles while holding the store's write lock,
/// so a `verify` behind a large batch on a loaded machine waited out its 5 s busy timeout
/// and failed ("the store is busy"). Extraction now runs before the lock is taken: with the
/// extraction made to take longer than that timeout (the `stall` failpoint), a `verify`
/// started meanwhile is written at once.
#[test]
fn a_verify_does_not_wait_for_an_ingest_batch_being_extracted() {
    let env = TestEnv::with_corpus();
    let judged = env.claim_id("Russia request the maximum");
    let article = env.write(
        "late.txt",
        "Harbour strike ends\n\nThe dock workers' union said on Friday that the strike was over.\n",
    );
    let mut child = env
        .background(&["ingest", &arg(&article)])
        .env("CLAIMTRAIL_FAILPOINTS", "ingest-extract=stall")
        .spawn()
        .unwrap();
    // Well inside the ingest's 7-second stall, well before its batch is written.
    std::thread::sleep(Duration::from_millis(1500));
    let start = Instant::now();
    let run = env.run(&[
        "verify",
        &judged.to_string(),
        "--status",
        "false",
        "--by",
        "ana",
    ]);
    let took = start.elapsed();
    let ingest_running = child.try_wait().unwrap().is_none();
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("set to false"), "{run}");
    assert!(child.wait().unwrap().success());
    assert!(
        ingest_running,
        "the ingest had finished before verify returned ({took:?}): the test proves nothing"
    );
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [judged]);
    assert_eq!(env.run(&["check"]).code, 0);
}
