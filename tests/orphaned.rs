//! Judged claims never vanish (issue 11, item 5): a claim that re-extraction no longer finds
//! but that has verdicts stays in `search`, `unconfirmed`, `verify --query` and every report
//! format, ClaimReview included, marked as orphaned; `--orphaned include|exclude|only`
//! chooses, `include` being the default everywhere.

use crate::common::{TestEnv, arg, ids};

/// A store with one article whose judged "berth" claim the latest extraction no longer
/// finds (the extractor change simulated as in tests/reextract.rs), and its id.
fn with_an_orphaned_judged_claim() -> (TestEnv, i64) {
    let env = TestEnv::new();
    let folder = env.write_articles("in", 1);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    let judged = env.claim_id("berth");
    let run = env.run(&[
        "verify",
        &judged.to_string(),
        "--status",
        "disputed",
        "--note",
        "harbour office denies it",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let db = env.db();
    db.execute("UPDATE articles SET extractor_version = 0", [])
        .unwrap();
    db.execute(
        "UPDATE claims SET claim_key = 'found-only-by-the-old-extractor' WHERE id = ?1",
        [judged],
    )
    .unwrap();
    drop(db);
    let run = env.run(&["ingest", &arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("1 orphaned"), "{run}");
    (env, judged)
}

fn orphaned_ids(env: &TestEnv, args: &[&str]) -> (Vec<i64>, Vec<i64>) {
    let mut all = vec![args[0], "--format", "json"];
    all.extend_from_slice(&args[1..]);
    let found = env.json(&all);
    let orphaned = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["orphaned"] == true)
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    (ids(&found), orphaned)
}

#[test]
fn a_judged_claim_orphaned_by_reextraction_stays_in_search_and_unconfirmed_marked() {
    let (env, judged) = with_an_orphaned_judged_claim();
    let (found, orphaned) = orphaned_ids(&env, &["search"]);
    assert!(found.contains(&judged), "{found:?}");
    assert_eq!(orphaned, [judged]);
    let (found, _) = orphaned_ids(&env, &["search", "--orphaned", "exclude"]);
    assert!(!found.contains(&judged) && !found.is_empty(), "{found:?}");
    let (found, _) = orphaned_ids(&env, &["search", "--orphaned", "only"]);
    assert_eq!(found, [judged]);
    let (found, orphaned) = orphaned_ids(&env, &["unconfirmed", "status:disputed"]);
    assert_eq!((found, orphaned), (vec![judged], vec![judged]));

    let table = env.run(&["search", "status:disputed"]);
    assert_eq!(table.code, 0, "{table}");
    assert!(
        table
            .stdout
            .contains("(orphaned: no longer found in its article)"),
        "{table}"
    );
    let csv = env.run(&["search", "status:disputed", "--format", "csv"]);
    assert!(
        csv.stdout.lines().next().unwrap().ends_with(",orphaned"),
        "{csv}"
    );
    assert!(
        csv.stdout.lines().nth(1).unwrap().ends_with(",true"),
        "{csv}"
    );
    // The claim's history is intact.
    let show = env.run(&["show", &judged.to_string()]);
    assert!(
        show.stdout
            .contains("disputed by ana: harbour office denies it"),
        "{show}"
    );
}

#[test]
fn every_report_format_keeps_an_orphaned_judged_claim_and_marks_it() {
    let (env, judged) = with_an_orphaned_judged_claim();
    let id = judged.to_string();
    let report = |format: &str, extra: &[&str]| {
        let mut args = vec!["report"];
        args.extend(crate::common::format_args(format));
        args.extend_from_slice(extra);
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{run}");
        run.stdout
    };
    let json: serde_json::Value = serde_json::from_str(&report("json", &[])).unwrap();
    let claim = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == judged)
        .expect("the orphaned claim is in the JSON report");
    assert_eq!(claim["orphaned"], true);
    let reviews: serde_json::Value = serde_json::from_str(&report("claimreview", &[])).unwrap();
    let reviews = reviews.as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "Disputed");
    assert_eq!(reviews[0]["orphaned"], true);
    let markdown = report("markdown", &[]);
    assert!(
        markdown.contains(&format!("### Claim {id}: disputed (orphaned)")),
        "{markdown}"
    );
    let html = report("html", &[]);
    assert!(
        html.contains(&format!(
            "Claim {id} <span class=\"status\">disputed</span> <span class=\"status\">orphaned</span>"
        )),
        "{html}"
    );
    let csv = report("csv", &[]);
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .expect("the orphaned claim has its CSV row");
    assert!(row.ends_with(",true"), "{row}");
    // --orphaned exclude leaves it out, and says so in the selection.
    let markdown = report("markdown", &["--orphaned", "exclude"]);
    assert!(
        !markdown.contains(&format!("### Claim {id}:")),
        "{markdown}"
    );
    assert!(
        markdown.contains("Selection: orphaned: exclude."),
        "{markdown}"
    );
}

#[test]
fn verify_query_reaches_an_orphaned_judged_claim_and_says_so() {
    let (env, judged) = with_an_orphaned_judged_claim();
    let run = env.run(&[
        "verify",
        "--query",
        "status:disputed",
        "--status",
        "false",
        "--by",
        "ben",
        "--yes",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains(&format!(
            "claim {judged}: disputed → false  (orphaned: no longer found in its article)"
        )),
        "{run}"
    );
    let run = env.run(&[
        "verify",
        "--query",
        "status:false",
        "--orphaned",
        "exclude",
        "--status",
        "confirmed",
        "--yes",
    ]);
    run.assert_one_line_error(1);
}
