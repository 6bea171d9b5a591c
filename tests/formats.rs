//! `--format json` on the commands that print what they did (issue 14, item 5): `show`,
//! `verify`, `check` and `import` each print one JSON object a script can read, with the
//! same exit codes as their text.

use crate::common::{TestEnv, arg};

fn parse(run: &crate::common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{run}"))
}

#[test]
fn show_verify_check_and_import_print_json_for_scripts() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point");

    // verify: the verdict, and each claim's outcome.
    let verify = || {
        let run = env.run(&[
            "verify",
            &id.to_string(),
            "--status",
            "disputed",
            "--by",
            "ana",
            "--note",
            "one outlet only",
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{run}");
        parse(&run)
    };
    let v = verify();
    assert_eq!(v["status"], "disputed");
    assert_eq!(v["by"], "ana");
    assert_eq!(v["written"], 1);
    assert_eq!(
        v["claims"],
        serde_json::json!([{"id": id, "outcome": "written", "previous": "unverified", "orphaned": false}])
    );
    // The same verdict again in the same second (the clock is pinned): already recorded.
    let v = verify();
    assert_eq!(v["written"], 0);
    assert_eq!(v["claims"][0]["outcome"], "already_recorded");

    // show: the claim as the JSON report holds it.
    let run = env.run(&["show", &id.to_string(), "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let c = parse(&run);
    assert_eq!(c["id"], id);
    assert_eq!(c["status"], "disputed");
    assert!(c["text"].as_str().unwrap().contains("20-point"), "{run}");
    assert!(
        c["chain"].as_array().is_some_and(|l| !l.is_empty()),
        "{run}"
    );
    assert_eq!(c["verdicts"][0]["status"], "disputed");
    assert_eq!(c["verdicts"][0]["reviewer"], "ana");
    assert!(c["article"]["id"].is_i64(), "{run}");
    // An unknown claim is the same error as in text.
    let run = env.run(&["show", "999999", "--format", "json"]);
    run.assert_one_line_error(2);

    // check: every check passed.
    let run = env.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let c = parse(&run);
    assert_eq!(c["ok"], true);
    assert_eq!(c["problem"], serde_json::Value::Null);
    let passed = c["passed"].as_array().unwrap();
    assert_eq!(passed.len(), 4, "{run}");
    assert_eq!(passed[0]["what"], "database");

    // import: the tallies and the store's counts.
    let export = env.dir().join("all.jsonl");
    let run = env.run(&["export", "-o", &arg(&export)]);
    assert_eq!(run.code, 0, "{run}");
    let other = TestEnv::new();
    let run = other.run(&["import", &arg(&export), "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let i = parse(&run);
    assert_eq!(i["ids_kept"], true);
    assert_eq!(i["verdicts"], serde_json::json!({"new": 1, "existing": 0}));
    assert_eq!(i["store"]["verdicts"], 1);
    assert_eq!(i["claims"]["new"], i["store"]["claims"]);
    assert_eq!(i["damaged"], serde_json::json!([]));

    // check on a damaged article: not ok, the problem named, exit 1 as in text.
    env.db()
        .execute("UPDATE articles SET text = text || 'x' WHERE id = 1", [])
        .unwrap();
    let run = env.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    let c = parse(&run);
    assert_eq!(c["ok"], false);
    assert!(
        c["problem"].as_str().unwrap().contains("content hash"),
        "{run}"
    );
    assert!(run.stderr.starts_with("error: "), "{run}");
}

/// `ingest --format json`: the summary's counts as one object, the same as the text says.
#[test]
fn ingest_prints_its_summary_as_json() {
    let text_env = TestEnv::new();
    let text = text_env.run(&["ingest", "corpus"]);
    assert_eq!(text.code, 0, "{text}");
    let env = TestEnv::new();
    let run = env.run(&["ingest", "corpus", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let s = parse(&run);
    let a = &s["articles"];
    assert!(
        text.stdout.starts_with(&format!(
            "articles: {} new, 0 unchanged, 0 re-extracted, 0 failed\nclaims:   {} new, 0 updated, 0 orphaned\nsources:  {} new\n",
            a["new"], s["claims"]["new"], s["sources"]["new"]
        )),
        "{text}\n{run}"
    );
    assert_eq!(s["store"]["claims"], s["claims"]["new"]);
    let by_outlet = s["claims_by_outlet"].as_array().unwrap();
    let total: i64 = by_outlet
        .iter()
        .map(|o| o["claims"].as_i64().unwrap())
        .sum();
    assert_eq!(serde_json::json!(total), s["claims"]["new"]);
    // The unknown publisher is null, last; never a made-up name.
    assert_eq!(by_outlet.last().unwrap()["outlet"], serde_json::Value::Null);
    let again = env.run(&["ingest", "corpus", "--format", "json"]);
    assert_eq!(parse(&again)["articles"]["unchanged"], a["new"]);
}
