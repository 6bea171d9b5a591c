//! `claimtrail verify`: verdicts by id and by query, one transaction and one generation for a
//! batch, the new status searchable at once, the history in `show` and kept through
//! re-ingest and reindex, and every bad input refused with one line.

use crate::common::{TestEnv, ids};

fn generation(env: &TestEnv) -> i64 {
    env.db()
        .query_row("SELECT generation FROM meta", [], |r| r.get(0))
        .unwrap()
}

fn verdict_count(env: &TestEnv) -> (i64, i64) {
    let db = env.db();
    let n = |t: &str| -> i64 {
        db.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (n("verdicts"), n("verdict_evidence"))
}

#[test]
fn verify_by_id_is_searchable_at_once_and_shown_newest_first() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point").to_string();
    let run = env.run(&[
        "verify",
        &id,
        "--status",
        "unconfirmable",
        "--note",
        "no second source",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&[
        "verify",
        &id,
        "--status",
        "confirmed",
        "--evidence",
        "https://example.com/transcript",
        "--evidence",
        "http://example.org/call?id=1",
        "--by",
        "ben",
    ]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!("verify_prints_each_claim", run.to_string());
    // Visible to search as soon as verify returned, and the index agrees with the database.
    let found = env.json(&["search", "status:confirmed", "--format", "json"]);
    assert_eq!(ids(&found), [id.parse::<i64>().unwrap()]);
    assert_eq!(env.run(&["check"]).code, 0);
    let show = env.run(&["show", &id]);
    let history = &show.stdout[show.stdout.find("verdicts, newest first").unwrap()..];
    insta::assert_snapshot!("show_lists_the_history_newest_first", history);
}

#[test]
fn verify_several_ids_is_one_transaction_and_one_generation() {
    let env = TestEnv::with_corpus();
    let before = generation(&env);
    let run = env.run(&["verify", "1", "2", "3", "--status", "false", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        generation(&env),
        before + 1,
        "one transaction, one generation"
    );
    assert_eq!(verdict_count(&env), (3, 0));
    // An unknown id part-way: nothing is written, and the message names it.
    let run = env.run(&["verify", "4", "5", "999999", "6", "--status", "confirmed"]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("999999"), "{run}");
    assert_eq!(verdict_count(&env), (3, 0));
    assert_eq!(generation(&env), before + 1);
}

#[test]
fn bulk_verify_needs_yes_and_says_how_many_claims() {
    let env = TestEnv::with_corpus();
    let selected = env.json(&[
        "search",
        "--outlet",
        "Bloomberg",
        "Witkoff",
        "--limit",
        "1000",
        "--format",
        "json",
    ]);
    let mut expected = ids(&selected);
    expected.sort();
    let run = env.run(&[
        "verify",
        "--query",
        "Witkoff",
        "--outlet",
        "Bloomberg",
        "--status",
        "disputed",
    ]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr.contains(&format!(
            "would set {} claim(s) to disputed",
            expected.len()
        )),
        "{run}"
    );
    assert_eq!(verdict_count(&env), (0, 0));
    let before = generation(&env);
    let run = env.run(&[
        "verify",
        "--query",
        "Witkoff outlet:Bloomberg",
        "--status",
        "disputed",
        "--yes",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(generation(&env), before + 1);
    let mut disputed = ids(&env.json(&[
        "search", "--status", "disputed", "--limit", "1000", "--format", "json",
    ]));
    disputed.sort();
    assert_eq!(disputed, expected);
    // A query matching nothing writes nothing and exits 1.
    let run = env.run(&["verify", "--query", "zzzqqq", "--status", "false", "--yes"]);
    run.assert_one_line_error(1);
}

#[test]
fn verify_bad_input_is_one_line_naming_the_problem() {
    let env = TestEnv::with_corpus();
    let run = env.run(&["verify", "424242", "--status", "confirmed"]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("no claim with id 424242"), "{run}");

    for bad in [
        "example.com/x",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "https://",
    ] {
        let run = env.run(&["verify", "1", "--status", "false", "--evidence", bad]);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains("not an http(s) url"), "{run}");
    }

    let run = env.run(&["verify", "1", "--status", "maybe"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .contains("allowed: unverified, confirmed, disputed, false, unconfirmable, retracted"),
        "{run}"
    );
    assert!(!run.stderr.contains("panicked"));

    let run = env.run(&["verify", "--status", "false"]);
    run.assert_one_line_error(2);
    let run = env.run(&["verify", "1", "--outlet", "Bloomberg", "--status", "false"]);
    run.assert_one_line_error(2);
    assert_eq!(verdict_count(&env), (0, 0));
}

#[test]
fn verify_by_defaults_to_the_user_name() {
    let env = TestEnv::with_corpus();
    let out = env
        .command()
        .args(["verify", "1", "--status", "confirmed"])
        .env("USER", "carmen")
        .env_remove("USERNAME")
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = env
        .command()
        .args(["verify", "1", "--status", "disputed"])
        .env_remove("USER")
        .env_remove("USERNAME")
        .output()
        .unwrap();
    assert!(out.status.success());
    let reviewers: Vec<String> = env
        .db()
        .prepare("SELECT reviewer || ' ' || created_at FROM verdicts ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        reviewers,
        [
            "carmen 2025-11-25T12:00:00Z",
            "unknown 2025-11-25T12:00:00Z"
        ]
    );
}

#[test]
fn verdict_history_survives_ingest_again_and_reindex() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point").to_string();
    for (status, by) in [("disputed", "ana"), ("confirmed", "ben")] {
        let run = env.run(&[
            "verify",
            &id,
            "--status",
            status,
            "--by",
            by,
            "--evidence",
            "https://example.com/e",
        ]);
        assert_eq!(run.code, 0, "{run}");
    }
    let before = env.run(&["show", &id]).stdout;
    let report_before = env.run(&["report", "--format", "json"]).stdout;
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert_eq!(env.run(&["show", &id]).stdout, before);
    assert_eq!(
        env.run(&["report", "--format", "json"]).stdout,
        report_before
    );
    let found = env.json(&["search", "status:confirmed", "--format", "json"]);
    assert_eq!(ids(&found), [id.parse::<i64>().unwrap()]);
    assert_eq!(env.run(&["check"]).code, 0);
}
