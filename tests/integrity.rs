//! Issue 11, verdict integrity: what claimtrail says about a verdict is always true, and the
//! status is always the fact-checker's latest word. Each test pins one rule and failed on
//! main c9bea2e. Timing is made deterministic by holding the index writer from the test (as
//! another claimtrail would) and by `CLAIMTRAIL_FAILPOINTS` (a full disk on demand).

use crate::common::{TestEnv, arg, ids};
use claimtrail::model::Status;
use claimtrail::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};

fn at(time: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(time).unwrap().to_utc()
}

fn status_in_db(env: &TestEnv, id: i64) -> String {
    env.db()
        .query_row(
            "SELECT status FROM claim_status WHERE claim_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn verdict_rows(env: &TestEnv) -> i64 {
    env.counts()["verdicts"]
}

/// The index writer of the store's index, held by this test as another claimtrail holding
/// it would (an ingest, a hung process): every claimtrail command waits for it.
fn hold_index_writer(store: &Path) -> tantivy::IndexWriter<tantivy::TantivyDocument> {
    let index = tantivy::Index::open_in_dir(store.join("index")).unwrap();
    claimtrail::index::register_analyzers(&index);
    index.writer_with_num_threads(1, 15_000_000).unwrap()
}

// --- 1. A committed write never exits as failed -------------------------------------------

#[test]
fn a_verify_that_cannot_update_a_busy_index_exits_0_and_says_it_was_written() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point");
    let writer = hold_index_writer(&env.store());
    let run = env.run(&[
        "verify",
        &id.to_string(),
        "--status",
        "false",
        "--by",
        "ana",
    ]);
    drop(writer);
    assert_eq!(
        run.code, 0,
        "a verdict that is in the database is not a failure: {run}"
    );
    assert!(run.stdout.contains("1 claim set to false by ana"), "{run}");
    assert!(
        run.stderr
            .contains("warning: written; the search index will catch up on the next command"),
        "{run}"
    );
    assert_eq!(status_in_db(&env, id), "false");
    // The next command catches the index up: search sees it, check agrees.
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
    assert_eq!(env.run(&["check"]).code, 0);
}

#[test]
fn verify_alias_and_import_exit_0_when_the_disk_fills_after_their_commit() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point");
    let full = |args: &[&str]| {
        let out = env
            .command()
            .env("CLAIMTRAIL_FAILPOINTS", "index-commit=enospc")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = full(&["verify", &id.to_string(), "--status", "disputed"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("written; the search index will catch up"),
        "{stderr}"
    );
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(status_in_db(&env, id), "disputed");

    let (code, stderr) = full(&["alias", "Reuters", "Bloomberg"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("written; the search index will catch up"),
        "{stderr}"
    );

    let export = env.dir().join("export.jsonl");
    assert_eq!(env.run(&["export", "-o", &arg(&export)]).code, 0);
    let other = TestEnv::new();
    let out = other
        .command()
        .env("CLAIMTRAIL_FAILPOINTS", "index-commit=enospc")
        .args(["import", &arg(&export)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(other.counts()["verdicts"], 1);

    // Nothing is behind for long: the next command catches up, and check passes.
    let found = env.json(&["search", "--status", "disputed", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
    assert_eq!(env.run(&["check"]).code, 0);
    assert_eq!(other.run(&["check"]).code, 0);
}

#[test]
fn an_ingest_whose_index_commit_fails_exits_0_with_its_articles_stored() {
    let env = TestEnv::new();
    let out = env
        .command()
        .env("CLAIMTRAIL_FAILPOINTS", "index-commit=enospc")
        .args(["ingest", "corpus"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("written; the search index will catch up"),
        "{stderr}"
    );
    assert_eq!(
        env.counts()["articles"],
        crate::common::CORPUS_ARTICLES as i64
    );
    let found = env.json(&["search", "--outlet", "Bloomberg", "--format", "json"]);
    assert!(!ids(&found).is_empty());
    assert_eq!(env.run(&["check"]).code, 0);
}

#[test]
fn a_verify_whose_database_commit_fails_exits_2_and_writes_nothing() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point").to_string();
    let out = env
        .command()
        .env("CLAIMTRAIL_FAILPOINTS", "verdict-commit=enospc")
        .args(["verify", &id, "--status", "false"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
    assert_eq!(verdict_rows(&env), 0);
}

#[test]
fn retrying_the_same_verdict_in_the_same_second_records_it_once() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point").to_string();
    let args = [
        "verify",
        &id,
        "--status",
        "confirmed",
        "--by",
        "ana",
        "--note",
        "transcript",
        "--evidence",
        "https://example.com/t",
    ];
    assert_eq!(env.run(&args).code, 0);
    let generation = |env: &TestEnv| -> i64 {
        env.db()
            .query_row("SELECT generation FROM meta", [], |r| r.get(0))
            .unwrap()
    };
    let before = generation(&env);
    let retry = env.run(&args);
    assert_eq!(retry.code, 0, "{retry}");
    assert!(
        retry
            .stdout
            .contains(&format!("claim {id}: already recorded")),
        "{retry}"
    );
    assert!(
        retry.stdout.contains("0 claims set to confirmed"),
        "{retry}"
    );
    assert_eq!(verdict_rows(&env), 1, "a retry is not a second verdict");
    assert_eq!(
        generation(&env),
        before,
        "nothing written, nothing to index"
    );
    // Another reviewer, or another note, is another verdict.
    let other = env.run(&["verify", &id, "--status", "confirmed", "--by", "ben"]);
    assert_eq!(other.code, 0, "{other}");
    assert_eq!(verdict_rows(&env), 2);
}

// --- 2. The status is the latest verdict by time -------------------------------------------

/// Runs `args` on `env`'s store at the time `now`.
fn run_at(env: &TestEnv, now: &str, args: &[&str]) -> crate::common::Run {
    let out = env
        .command()
        .env("CLAIMTRAIL_NOW", now)
        .args(args)
        .output()
        .unwrap();
    crate::common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: env.normalise(&String::from_utf8_lossy(&out.stdout)),
        stderr: env.normalise(&String::from_utf8_lossy(&out.stderr)),
    }
}

fn history(env: &TestEnv, id: i64) -> String {
    let show = env.run(&["show", &id.to_string()]);
    assert_eq!(show.code, 0, "{show}");
    show.stdout[show.stdout.find("verdicts, newest first").unwrap()..].to_string()
}

#[test]
fn two_stores_that_exchange_exports_agree_on_the_status_and_the_history() {
    let a = TestEnv::with_corpus();
    let b = TestEnv::with_corpus();
    let id = a.claim_id("20-point");
    assert_eq!(b.claim_id("20-point"), id);
    let x = id.to_string();
    let run = run_at(
        &a,
        "2025-11-25T10:00:00Z",
        &["verify", &x, "--status", "confirmed", "--by", "ana"],
    );
    assert_eq!(run.code, 0, "{run}");
    let run = run_at(
        &b,
        "2025-11-25T12:00:00Z",
        &["verify", &x, "--status", "false", "--by", "bob"],
    );
    assert_eq!(run.code, 0, "{run}");
    // B → A, then A → B.
    let from_b = b.dir().join("b.jsonl");
    assert_eq!(b.run(&["export", "-o", &arg(&from_b)]).code, 0);
    assert_eq!(a.run(&["import", &arg(&from_b)]).code, 0);
    let from_a = a.dir().join("a.jsonl");
    assert_eq!(a.run(&["export", "-o", &arg(&from_a)]).code, 0);
    assert_eq!(b.run(&["import", &arg(&from_a)]).code, 0);

    for env in [&a, &b] {
        assert_eq!(
            status_in_db(env, id),
            "false",
            "bob's 12:00 verdict is the latest"
        );
        let found = env.json(&["search", "--status", "false", "--format", "json"]);
        assert_eq!(ids(&found), [id]);
        let mut args = vec!["report", "--org", "Check"];
        args.extend(crate::common::format_args("claimreview"));
        let review = env.run(&args);
        assert_eq!(review.code, 0, "{review}");
        assert!(
            review.stdout.contains("\"alternateName\": \"False\""),
            "{review}"
        );
        assert!(
            !review.stdout.contains("\"alternateName\": \"True\""),
            "{review}"
        );
        assert_eq!(env.run(&["check"]).code, 0);
    }
    let history_a = history(&a, id);
    assert_eq!(history_a, history(&b, id));
    let twelve = history_a.find("12:00:00Z  false by bob").unwrap();
    let ten = history_a.find("10:00:00Z  confirmed by ana").unwrap();
    assert!(twelve < ten, "newest first:\n{history_a}");
}

#[test]
fn an_imported_verdict_with_the_greatest_id_does_not_freeze_the_status() {
    let source = TestEnv::with_corpus();
    let id = source.claim_id("20-point");
    let run = run_at(
        &source,
        "2025-11-25T10:00:00Z",
        &["verify", &id.to_string(), "--status", "confirmed"],
    );
    assert_eq!(run.code, 0, "{run}");
    let file = source.dir().join("e.jsonl");
    assert_eq!(source.run(&["export", "-o", &arg(&file)]).code, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replace(
        "{\"type\":\"verdict\",\"id\":1,",
        "{\"type\":\"verdict\",\"id\":9223372036854775807,",
    );
    assert!(text.contains("9223372036854775807"));
    std::fs::write(&file, text).unwrap();

    let env = TestEnv::new();
    assert_eq!(env.run(&["import", &arg(&file)]).code, 0);
    let run = run_at(
        &env,
        "2025-11-25T12:00:00Z",
        &["verify", &id.to_string(), "--status", "false"],
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("confirmed → false"), "{run}");
    assert_eq!(status_in_db(&env, id), "false");
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    assert_eq!(ids(&found), [id]);
}

#[test]
fn verdicts_of_one_second_keep_the_order_they_were_given_in() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point").to_string();
    for status in ["false", "confirmed", "disputed"] {
        let run = env.run(&["verify", &id, "--status", status, "--by", "ana"]);
        assert_eq!(run.code, 0, "{run}");
    }
    assert_eq!(status_in_db(&env, id.parse().unwrap()), "disputed");
    // And another store importing them orders them alike.
    let file = env.dir().join("e.jsonl");
    assert_eq!(env.run(&["export", "-o", &arg(&file)]).code, 0);
    let other = TestEnv::with_corpus();
    assert_eq!(other.run(&["import", &arg(&file)]).code, 0);
    assert_eq!(status_in_db(&other, id.parse().unwrap()), "disputed");
    assert_eq!(
        history(&env, id.parse().unwrap()),
        history(&other, id.parse().unwrap())
    );
}

// --- 3. A bulk verify chooses its claims from the database's truth ---------------------------

#[test]
fn a_bulk_verify_from_a_stale_index_leaves_a_claim_whose_status_changed_alone() {
    let env = TestEnv::with_corpus();
    let judged = env.claim_id("20-point");
    // A verdict the index has not seen yet (another process wrote it and is indexing).
    let mut store = Store::open(env.store()).unwrap();
    store
        .add_verdict(
            judged,
            Status::False,
            None,
            &[],
            Some("ana"),
            at(crate::common::NOW),
        )
        .unwrap();
    drop(store);
    let unverified_before: i64 = env
        .db()
        .query_row(
            "SELECT count(*) FROM claim_status s JOIN claims c ON c.id = s.claim_id
             WHERE s.status = 'unverified' AND c.orphaned = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // That process holds the index writer: the query is answered by the index as it stands.
    let writer = hold_index_writer(&env.store());
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
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains(&format!("claim {judged}: skipped, its status is now false")),
        "{run}"
    );
    assert!(
        run.stdout.contains("1 claim skipped: their status changed"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains(&format!("{unverified_before} claims set to unconfirmable")),
        "{run}"
    );
    assert_eq!(status_in_db(&env, judged), "false", "ana's verdict stands");
    assert_eq!(env.run(&["check"]).code, 0);
}

// --- 4. Read-your-writes holds during a reindex -----------------------------------------------

#[test]
fn an_index_rebuilt_from_an_older_snapshot_is_caught_up_before_it_is_swapped_in() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point");
    let index_dir = env.store().join("index");
    // Hold the index writer: the reindex builds its new index beside, from the database as
    // it is now, then waits for the writer to swap it in.
    let index = tantivy::Index::open_in_dir(&index_dir).unwrap();
    claimtrail::index::register_analyzers(&index);
    let mut writer = index
        .writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
        .unwrap();
    let mut reindex = env.background(&["reindex"]).spawn().unwrap();
    let start = Instant::now();
    let built = loop {
        let tmp = std::fs::read_dir(env.store())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("index.tmp-")
            });
        if let Some(tmp) = tmp
            && std::fs::read_to_string(tmp.join("meta.json"))
                .is_ok_and(|m| m.contains("generation"))
        {
            break true;
        }
        if start.elapsed() > Duration::from_secs(8) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(built, "the reindex did not build its new index");
    // Meanwhile a verify: its verdict committed, and the index it found (the old one)
    // updated with it, as `verify` does before it returns.
    let mut store = Store::open(env.store()).unwrap();
    store
        .add_verdict(
            id,
            Status::False,
            None,
            &[],
            Some("ana"),
            at(crate::common::NOW),
        )
        .unwrap();
    let generation = store.generation().unwrap();
    let fields = claimtrail::index::Fields::of(&index).unwrap();
    writer.delete_term(tantivy::Term::from_field_u64(fields.id, id as u64));
    writer
        .add_document(fields.document(&store.claim(id).unwrap()))
        .unwrap();
    let mut payload: serde_json::Value =
        serde_json::from_str(index.load_metas().unwrap().payload.as_deref().unwrap()).unwrap();
    payload["generation"] = generation.into();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(&payload.to_string());
    prepared.commit().unwrap();
    drop(writer);
    drop(index);
    assert!(reindex.wait().unwrap().success());

    // Another claimtrail now holds the writer of the index swapped in: a search answers from
    // that index as it stands, which must hold the verdict.
    let writer = hold_index_writer(&env.store());
    let found = env.json(&["search", "--status", "false", "--format", "json"]);
    drop(writer);
    assert_eq!(ids(&found), [id], "the verdict vanished from search");
    assert_eq!(env.run(&["check"]).code, 0);
}

// --- 6. check tells the truth about the database -----------------------------------------------

#[test]
fn an_index_ahead_of_the_database_is_reported_by_check_and_by_the_next_command() {
    let env = TestEnv::with_corpus();
    let db = env.db();
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(db);
    let backup = env.dir().join("claims.db.bak");
    std::fs::copy(env.store().join("claims.db"), &backup).unwrap();
    let run = env.run(&["verify", "1", "2", "--status", "false"]);
    assert_eq!(run.code, 0, "{run}");
    // The database restored from the older copy: the index has seen commits it lacks.
    let db = env.db();
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    drop(db);
    std::fs::copy(&backup, env.store().join("claims.db")).unwrap();
    let _ = std::fs::remove_file(env.store().join("claims.db-wal"));
    let _ = std::fs::remove_file(env.store().join("claims.db-shm"));

    let check = env.run(&["check"]);
    assert_eq!(check.code, 1, "{check}");
    assert!(check.stderr.contains("is ahead of the database"), "{check}");
    assert!(check.stderr.contains("lost commits"), "{check}");
    // Check rebuilt nothing: it says so again, and so does the next command, once.
    assert_eq!(env.run(&["check"]).code, 1);
    let search = env.run(&["search", "--status", "false", "--format", "json"]);
    assert!(
        search.stderr.contains("warning: the search index"),
        "{search}"
    );
    assert!(search.stderr.contains("rebuilding the index"), "{search}");
    assert_eq!(search.code, 1, "the lost verdicts are not found: {search}");
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
}

/// Overwrites one byte of the text of article `id` in place.
fn damage_article(env: &TestEnv, id: i64) {
    let db = env.db();
    db.execute(
        "UPDATE articles SET text = substr(text, 1, 40) || 'X' || substr(text, 42) WHERE id = ?1",
        [id],
    )
    .unwrap();
}

#[test]
fn check_verifies_every_articles_content_hash() {
    let env = TestEnv::with_corpus();
    assert_eq!(env.run(&["check"]).code, 0);
    damage_article(&env, 3);
    let check = env.run(&["check"]);
    check.assert_one_line_error(1);
    assert!(
        check
            .stderr
            .contains("article 3: its text does not match its content hash"),
        "{check}"
    );
}

#[test]
fn the_export_of_a_damaged_store_restores_every_verdict() {
    let env = TestEnv::with_corpus();
    let claims: Vec<i64> = env
        .db()
        .prepare("SELECT id FROM claims ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut args = vec!["verify".to_string()];
    args.extend(claims.iter().map(i64::to_string));
    args.extend(["--status", "confirmed", "--by", "ana"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(env.run(&args).code, 0);
    damage_article(&env, 3);
    let file = env.dir().join("backup.jsonl");
    let run = env.run(&["export", "-o", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let text = std::fs::read_to_string(&file).unwrap();
    let flagged = text
        .lines()
        .filter(|l| l.contains("\"type\":\"article\"") && l.contains("\"text_hash\""))
        .count();
    assert_eq!(flagged, 1, "the damaged article is flagged in the export");

    let restored = TestEnv::new();
    let run = restored.run(&["import", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("article 3: its text does not match its content hash"),
        "{run}"
    );
    assert_eq!(restored.counts()["verdicts"], claims.len() as i64);
    // The damage came along, and check says so.
    assert_eq!(restored.run(&["check"]).code, 1);
}

// --- 11. The smaller ones ---------------------------------------------------------------------

/// A merge this store recorded moves (tests/curation.rs); one it did not record (imported
/// into a store that was not empty: what the merge moved is named by the other store's ids)
/// cannot be undone, so re-aliasing it is refused and says where the name went.
#[test]
fn re_aliasing_an_imported_merge_is_refused_and_says_where_it_went() {
    let first = TestEnv::with_corpus();
    let run = first.run(&["alias", "Reuters", "Bloomberg"]);
    assert_eq!(run.code, 0, "{run}");
    let file = first.dir().join("export.jsonl");
    assert_eq!(
        first.run(&["export", "-o", &file.to_string_lossy()]).code,
        0
    );
    let env = TestEnv::new();
    let other = env.write("other.txt", "Mayor Ann Lee said the bridge would reopen.\n");
    assert_eq!(env.run(&["ingest", &other.to_string_lossy()]).code, 0);
    let run = env.run(&["import", &file.to_string_lossy()]);
    assert!(
        run.stdout.contains("source changes: 0 kept, 1 left out"),
        "{run}"
    );
    let run = env.run(&["alias", "Reuters", "Coastline Wire"]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains("'Reuters' was already merged into Bloomberg"),
        "{run}"
    );
}

/// `alias X X` printed "'X' recorded as another name of X" and changed nothing (issue 14,
/// item 3): refused, whatever the case and spacing, and nothing is written.
#[test]
fn aliasing_a_name_to_itself_is_refused() {
    let env = TestEnv::with_corpus();
    let before = env.counts();
    for (name, canonical) in [("Bloomberg", "Bloomberg"), ("bloomberg ", "  BLOOMBERG")] {
        let run = env.run(&["alias", name, canonical]);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains("cannot be an alias of itself"), "{run}");
    }
    assert_eq!(env.counts(), before);
}

#[test]
fn an_index_copied_from_another_store_is_rebuilt_not_trusted() {
    let a = TestEnv::new();
    let run = a.run(&["ingest", "corpus/003_envoy_denies_lobbying.txt"]);
    assert_eq!(run.code, 0, "{run}");
    let b = TestEnv::new();
    let run = b.run(&["ingest", "corpus/000_a839bff65d798603.txt"]);
    assert_eq!(run.code, 0, "{run}");
    let generation = |env: &TestEnv| -> i64 {
        env.db()
            .query_row("SELECT generation FROM meta", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(generation(&a), generation(&b));
    std::fs::remove_dir_all(a.store().join("index")).unwrap();
    crate::consistency::copy_dir(&b.store().join("index"), &a.store().join("index"));
    let found = a.run(&["search", "--format", "json", "--limit", "1000"]);
    assert_eq!(found.code, 0, "{found}");
    assert!(found.stderr.contains("belongs to another store"), "{found}");
    let json: serde_json::Value = serde_json::from_str(&found.stdout).unwrap();
    assert_eq!(ids(&json).len() as i64, a.counts()["claims"]);
    assert_eq!(a.run(&["check"]).code, 0);
}

#[test]
fn a_blank_store_folder_name_is_refused() {
    let env = TestEnv::new();
    let run = env
        .command()
        .current_dir(env.dir())
        .env("CLAIMTRAIL_DB", " ")
        .args(["ingest", &arg(&crate::common::repo().join("corpus"))])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is blank"));
    assert!(!env.dir().join(" ").exists());
}

#[test]
fn a_checksum_damaged_index_is_rebuilt_as_a_missing_one_is() {
    let env = TestEnv::with_corpus();
    // Eight bytes flipped in the middle of the document store, which a search reads: its
    // checksum no longer matches, and reading it fails.
    let index = env.store().join("index");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "store") {
            let mut bytes = std::fs::read(&path).unwrap();
            let middle = bytes.len() / 2;
            for b in &mut bytes[middle..middle + 8] {
                *b ^= 0xff;
            }
            std::fs::write(&path, bytes).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let found = env.run(&["search", "said", "--format", "json"]);
    assert_eq!(found.code, 0, "{found}");
    assert!(found.stderr.contains("damaged file(s)"), "{found}");
    assert_eq!(env.run(&["check"]).code, 0);
}
