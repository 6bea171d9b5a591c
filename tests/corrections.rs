//! Corrections (`claimtrail correct`): a fact-checker's fix of what extraction got wrong is
//! what every listing, `show`, every report format and ClaimReview say, before and after a
//! re-extraction and an export/import round trip; it is append-only in the database itself;
//! a claim marked not a claim leaves every listing unless asked for.

use crate::common::{REVIEW_URL, TestEnv, format_args, ids};

/// The claim the tests correct: Bloomberg's account of what Witkoff told Ushakov.
const WORDS: &str = "whether it would be helpful for Putin to call Trump";

fn corrections(env: &TestEnv) -> i64 {
    env.db()
        .query_row("SELECT count(*) FROM claim_corrections", [], |r| r.get(0))
        .unwrap()
}

/// The claim ids `args` (a listing command) prints as JSON; none when it finds nothing.
fn found(env: &TestEnv, args: &[&str]) -> Vec<i64> {
    let mut args = args.to_vec();
    args.extend(["--format", "json", "--limit", "10000"]);
    let run = env.run(&args);
    match run.code {
        0 => ids(&serde_json::from_str(&run.stdout).unwrap()),
        1 => Vec::new(),
        _ => panic!("{run}"),
    }
}

/// Everything that shows claim `id` shows "Jane Roe" as its speaker, and nothing shows it
/// under Steve Witkoff.
fn corrected_everywhere(env: &TestEnv, id: i64) {
    assert!(found(env, &["search", "--source", "Jane Roe"]).contains(&id));
    assert!(found(env, &["search", "--speaker", "Jane Roe"]).contains(&id));
    assert!(found(env, &["search", "source:\"Jane Roe\""]).contains(&id));
    assert!(!found(env, &["search", "--speaker", "Steve Witkoff"]).contains(&id));
    // Judged false: no longer open, so out of `unconfirmed`, by either name.
    assert!(!found(env, &["unconfirmed", "--source", "Jane Roe"]).contains(&id));
    let show = env.run(&["show", &id.to_string()]);
    assert_eq!(show.code, 0, "{show}");
    assert!(show.stdout.contains("└─ Jane Roe (person)"), "{show}");
    assert!(
        show.stdout
            .contains("speaker: Steve Witkoff (person) → Jane Roe (person)"),
        "{show}"
    );
    assert!(show.stdout.contains("by ana: misattributed"), "{show}");
    for format in ["markdown", "html", "csv", "json", "claimreview"] {
        let mut args = vec!["report", "--source", "Jane Roe"];
        args.extend(format_args(format));
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{format}: {run}");
        assert!(run.stdout.contains("Jane Roe"), "{format}: {run}");
        assert!(!run.stdout.contains("Witkoff (person)"), "{format}: {run}");
    }
    let run = env.run(&[
        "report",
        "--format",
        "claimreview",
        "--review-url",
        REVIEW_URL,
    ]);
    let reviews: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let review = reviews
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"].as_str().unwrap().ends_with(&format!("/{id}")))
        .unwrap_or_else(|| panic!("no review of claim {id}: {run}"));
    assert_eq!(
        review["itemReviewed"]["author"]["name"], "Jane Roe",
        "{review}"
    );
}

#[test]
fn a_corrected_speaker_wins_everywhere_through_reextraction_and_export() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id(WORDS);
    let sid = id.to_string();
    // Open, so `unconfirmed` lists it by its corrected speaker.
    let run = env.run(&[
        "correct",
        &sid,
        "--speaker",
        "Jane Roe (person)",
        "--by",
        "ana",
        "--note",
        "misattributed",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        format!(
            "claim {id}: corrected by ana at 2025-11-25T12:00:00Z\n  \
             speaker: Steve Witkoff (person) → Jane Roe (person)\n"
        )
    );
    assert!(found(&env, &["unconfirmed", "--source", "Jane Roe"]).contains(&id));
    env.verify_each(&[(WORDS, &["--status", "false", "--by", "ana"])]);
    corrected_everywhere(&env, id);

    // Re-extraction writes the extracted chain back; the correction is applied again.
    env.db()
        .execute("UPDATE articles SET extractor_version = 0", [])
        .unwrap();
    let run = env.run(&["ingest", "corpus"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("re-extracted") || run.stdout.contains("updated"),
        "{run}"
    );
    corrected_everywhere(&env, id);
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run}");
    corrected_everywhere(&env, id);

    // Export and import: into an empty store, and into a store of the same articles
    // ingested but never corrected.
    let file = env.dir().join("export.jsonl");
    let run = env.run(&["export", "-o", &file.to_string_lossy()]);
    assert_eq!(run.code, 0, "{run}");
    let empty = TestEnv::new();
    let run = empty.run(&["import", &file.to_string_lossy()]);
    assert_eq!(run.code, 0, "{run}");
    corrected_everywhere(&empty, id);
    let fresh = TestEnv::with_corpus();
    let run = fresh.run(&["import", &file.to_string_lossy()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("corrections:   1 new"), "{run}");
    corrected_everywhere(&fresh, fresh.claim_id(WORDS));
    // Twice: nothing new.
    let run = fresh.run(&["import", &file.to_string_lossy()]);
    assert!(
        run.stdout
            .contains("corrections:   0 new, 1 already stored"),
        "{run}"
    );
}

#[test]
fn a_claim_marked_not_a_claim_leaves_every_listing_unless_asked_for() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id(WORDS);
    let sid = id.to_string();
    let sources_claims = |env: &TestEnv| -> i64 {
        let json = env.json(&["sources", "--format", "json"]);
        json.as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Steve Witkoff")
            .unwrap()["claims"]
            .as_i64()
            .unwrap()
    };
    let before = sources_claims(&env);
    let run = env.run(&["correct", &sid, "--not-a-claim", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("marked not a claim"), "{run}");
    for listing in [&["search"][..], &["unconfirmed"], &["search", "Putin"]] {
        assert!(!found(&env, listing).contains(&id), "{listing:?}");
        let mut with = listing.to_vec();
        with.push("--include-rejected");
        assert!(found(&env, &with).contains(&id), "{listing:?}");
    }
    let report = env.run(&["report", "--format", "json"]);
    assert!(!report.stdout.contains(WORDS), "{report}");
    let report = env.run(&["report", "--format", "json", "--include-rejected"]);
    assert!(report.stdout.contains("\"rejected\": true"), "{report}");
    assert_eq!(sources_claims(&env), before - 1);
    let show = env.run(&["show", &sid]);
    assert!(
        show.stdout.contains("(not a claim, by a correction)"),
        "{show}"
    );

    // It survives a rebuilt index, and is undone by a later correction.
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert!(!found(&env, &["search"]).contains(&id));
    let run = env.run(&["correct", &sid, "--is-a-claim", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(found(&env, &["search"]).contains(&id));
    assert_eq!(sources_claims(&env), before);
    assert_eq!(corrections(&env), 2);
}

#[test]
fn text_kind_certainty_and_chain_are_corrected_and_json_says_what_changed() {
    let env = TestEnv::with_corpus();
    let sid = env.claim_id(WORDS).to_string();
    let out = env.json(&[
        "correct",
        &sid,
        "--text",
        "a call would help",
        "--kind",
        "direct_quote",
        "--certainty",
        "possible",
        "--chain",
        "Reuters (outlet) > call memo (document) > Jane Roe (person)",
        "--by",
        "ana",
        "--format",
        "json",
    ]);
    assert_eq!(out["outcome"], "written", "{out}");
    assert_eq!(out["changes"]["kind"]["from"], "indirect", "{out}");
    assert_eq!(out["changes"]["kind"]["to"], "direct_quote", "{out}");
    assert_eq!(out["changes"]["certainty"]["to"], "possible", "{out}");
    assert_eq!(out["changes"]["text"]["to"], "a call would help", "{out}");
    let chain = out["changes"]["chain"]["to"].as_array().unwrap();
    let roles: Vec<&str> = chain.iter().map(|l| l["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["relay", "document", "speaker"], "{out}");

    let hits = found(
        &env,
        &["search", "\"call would help\"", "--kind", "direct_quote"],
    );
    assert_eq!(hits, [sid.parse::<i64>().unwrap()]);
    assert!(
        found(
            &env,
            &["search", "--source", "call memo", "--certainty", "possible"]
        )
        .contains(&hits[0])
    );
    let show = env.run(&["show", &sid]);
    assert!(
        show.stdout
            .contains("\"a call would help\"  direct_quote, possible"),
        "{show}"
    );
    assert!(show.stdout.contains("call memo (document)"), "{show}");

    // The same correction sent again in the same second is a retry, not a second entry.
    let again = env.json(&[
        "correct",
        &sid,
        "--kind",
        "direct_quote",
        "--by",
        "ana",
        "--format",
        "json",
    ]);
    assert_eq!(again["outcome"], "already_recorded", "{again}");
    assert_eq!(corrections(&env), 1);
}

#[test]
fn bad_corrections_are_one_line_errors_and_write_nothing() {
    let env = TestEnv::with_corpus();
    let sid = env.claim_id(WORDS).to_string();
    let generation = || -> i64 {
        env.db()
            .query_row("SELECT generation FROM meta", [], |r| r.get(0))
            .unwrap()
    };
    let before = generation();
    for (args, message) in [
        (
            vec!["correct", "99999", "--text", "x"],
            "no claim with id 99999",
        ),
        (
            vec!["correct", &sid, "--text", "  "],
            "the corrected text is empty",
        ),
        (vec!["correct", &sid], "nothing to correct"),
        (vec!["correct", &sid, "--kind", "rumour"], "'rumour'"),
        (vec!["correct", &sid, "--certainty", "sure"], "'sure'"),
        (
            vec!["correct", &sid, "--kind", "indirect"],
            "nothing to change",
        ),
        (
            vec!["correct", &sid, "--chain", "Reuters > > Jane"],
            "--chain",
        ),
        (
            vec!["correct", &sid, "--chain", "Nobody Known Here > Jane Roe"],
            "give its kind",
        ),
    ] {
        let run = env.run(&args);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains(message), "{args:?}: {run}");
    }
    assert_eq!(corrections(&env), 0);
    assert_eq!(generation(), before);
}

#[test]
fn the_database_refuses_to_edit_or_delete_a_correction_or_its_claim() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id(WORDS);
    let run = env.run(&["correct", &id.to_string(), "--speaker", "Jane Roe (person)"]);
    assert_eq!(run.code, 0, "{run}");
    let db = env.db();
    let e = db
        .execute("UPDATE claim_corrections SET note = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = db.execute("DELETE FROM claim_corrections", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    db.execute("PRAGMA foreign_keys = OFF", []).unwrap();
    let e = db
        .execute("DELETE FROM claims WHERE id = ?1", [id])
        .unwrap_err();
    assert!(
        e.to_string().contains("corrections cannot be deleted"),
        "{e}"
    );
}
