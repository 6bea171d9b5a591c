//! Claims already fact-checked (`import-reviews`, `match`, `search --checked`, `show`,
//! `eval-match`): outside ClaimReview files as fact-checkers publish them and as claimtrail
//! writes them, matched at ingest, at import and on reindex, never confusing a denial or
//! another figure with the claim that was checked.

use crate::common::{REVIEW_URL, TestEnv, arg, ids, skip};

/// A fact-checker's page: a WebPage and the review in an `@graph`, as sites embed them.
const SNOPES: &str = r#"{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "name": "Fact check: the port stake"},
  {"@type": "ClaimReview", "url": "https://factcheck.example/port-stake",
   "claimReviewed": "Halvard Shipping plans to sell its 49% stake in the Varn port terminal",
   "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "Halvard Shipping"}},
   "author": {"@type": "Organization", "name": "Snopes"}, "datePublished": "2025-10-02",
   "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "False"}}
]}"#;

/// Three articles: the checked claim reworded, the same company denying it, another figure.
fn articles(env: &TestEnv) -> std::path::PathBuf {
    let line = |title: &str, outlet: &str, url: &str, text: &str| {
        serde_json::json!({"title": title, "outlet": outlet, "url": url,
            "published": "2025-11-20", "text": text})
        .to_string()
    };
    let body = [
        line(
            "Halvard to sell port holding",
            "Harbour Times",
            "https://harbour.example/1",
            "Halvard Shipping will sell its 49% stake in the Varn port terminal, the company said on Monday.",
        ),
        line(
            "Ministry denies fuel plan",
            "Radio Varn",
            "https://radio.example/2",
            "Halvard Shipping denied that it will sell its 49% stake in the Varn port terminal, a spokeswoman said.",
        ),
        line(
            "Another deal",
            "Coast Daily",
            "https://coast.example/3",
            "Halvard Shipping will sell its 12% stake in the Varn port terminal, the company said.",
        ),
    ]
    .join("\n");
    env.write("articles.jsonl", body)
}

fn found(env: &TestEnv, args: &[&str]) -> Vec<i64> {
    let mut args = args.to_vec();
    args.extend(["--format", "json", "--limit", "1000"]);
    let run = env.run(&args);
    match run.code {
        0 => ids(&serde_json::from_str(&run.stdout).unwrap()),
        1 => Vec::new(),
        _ => panic!("{run}"),
    }
}

fn fact_checks(env: &TestEnv) -> i64 {
    env.db()
        .query_row("SELECT count(*) FROM fact_checks", [], |r| r.get(0))
        .unwrap()
}

/// The id of the one claim of `outlet`'s article.
fn claim_of(env: &TestEnv, outlet: &str) -> i64 {
    let hits = found(env, &["search", "--outlet", outlet]);
    assert_eq!(hits.len(), 1, "{outlet}: {hits:?}");
    hits[0]
}

#[test]
fn a_reviewed_claim_ingested_afterwards_is_already_checked_and_nothing_else_is() {
    let env = TestEnv::new();
    let reviews = env.write("snopes.jsonld", SNOPES);
    let run = env.run(&["import-reviews", reviews.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "imported 1 fact-check (0 already stored); 0 stored claims already checked\n"
    );
    let run = env.run(&["ingest", articles(&env).to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("checked:  1 claim already fact-checked"),
        "{run}"
    );
    let reworded = claim_of(&env, "Harbour Times");
    assert_eq!(found(&env, &["search", "--checked"]), vec![reworded]);
    let show = env.run(&["show", &reworded.to_string()]);
    assert!(
        show.stdout.contains(
            "already checked: Snopes rated it False (https://factcheck.example/port-stake), 2025-10-02"
        ),
        "{show}"
    );
    // The denials and the other figure are other claims.
    for outlet in ["Radio Varn", "Coast Daily"] {
        for id in found(&env, &["search", "--outlet", outlet]) {
            let show = env.run(&["show", &id.to_string()]);
            assert!(!show.stdout.contains("already checked"), "{outlet}: {show}");
        }
    }
    let json = env.run(&["show", &reworded.to_string(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["already_checked"][0]["by"], "review");
    assert_eq!(v["already_checked"][0]["reviewer"], "Snopes");
    assert_eq!(v["already_checked"][0]["rating"], "False");
}

#[test]
fn importing_reviews_checks_the_claims_already_stored_and_twice_adds_nothing() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["ingest", articles(&env).to_str().unwrap()]).code,
        0
    );
    assert!(found(&env, &["search", "--checked"]).is_empty());
    let reviews = env.write("snopes.jsonld", SNOPES);
    let run = env.run(&["import-reviews", reviews.to_str().unwrap()]);
    assert_eq!(
        run.stdout, "imported 1 fact-check (0 already stored); 1 stored claim already checked\n",
        "{run}"
    );
    let run = env.run(&[
        "import-reviews",
        reviews.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["reviews_added"], 0);
    assert_eq!(v["reviews_already_stored"], 1);
    assert_eq!(fact_checks(&env), 1);
    let reworded = claim_of(&env, "Harbour Times");
    assert_eq!(found(&env, &["search", "--checked"]), vec![reworded]);
    // Derived data: reindex matches again and finds the same.
    env.db().execute("DELETE FROM claim_checks", []).unwrap();
    let run = env.run(&["reindex"]);
    assert!(
        run.stdout.ends_with("1 claim already fact-checked\n"),
        "{run}"
    );
    assert_eq!(found(&env, &["search", "--checked"]), vec![reworded]);
}

/// Regression: `export` left the outside fact-checks out, so a store restored from its
/// backup no longer knew which claims were already checked.
#[test]
fn a_backup_keeps_the_fact_checks_and_the_restored_store_knows_what_is_checked() {
    let env = TestEnv::new();
    let reviews = env.write("snopes.jsonld", SNOPES);
    assert_eq!(env.run(&["import-reviews", &arg(&reviews)]).code, 0);
    assert_eq!(env.run(&["ingest", &arg(&articles(&env))]).code, 0);
    let backup = env.dir().join("backup.jsonl");
    let run = env.run(&["export", "-o", &arg(&backup)]);
    assert_eq!(run.code, 0, "{run}");
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(
        text.starts_with(r#"{"format":"claimtrail-export","version":4,"#),
        "{text}"
    );
    assert!(text.contains(r#""type":"fact_check""#), "{text}");

    let restored = TestEnv::new();
    let run = restored.run(&["import", &arg(&backup)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("fact-checks:   1 new, 0 already stored"),
        "{run}"
    );
    assert_eq!(fact_checks(&restored), 1);
    let reworded = claim_of(&restored, "Harbour Times");
    assert_eq!(found(&restored, &["search", "--checked"]), vec![reworded]);
    let show = restored.run(&["show", &reworded.to_string()]);
    assert!(
        show.stdout.contains(
            "already checked: Snopes rated it False (https://factcheck.example/port-stake)"
        ),
        "{show}"
    );
    // The restored store exports what the first did; importing the backup again adds none.
    let again = restored.dir().join("again.jsonl");
    assert_eq!(restored.run(&["export", "-o", &arg(&again)]).code, 0);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
    let json = restored.json(&["import", &arg(&backup), "--format", "json"]);
    assert_eq!(
        json["fact_checks"],
        serde_json::json!({"new": 0, "existing": 1})
    );
    assert_eq!(fact_checks(&restored), 1);
}

#[test]
fn a_claimreview_file_claimtrail_wrote_is_read_back_by_another_store() {
    let desk = TestEnv::new();
    assert_eq!(
        desk.run(&["ingest", articles(&desk).to_str().unwrap()])
            .code,
        0
    );
    let reworded = claim_of(&desk, "Harbour Times");
    let run = desk.run(&[
        "verify",
        &reworded.to_string(),
        "--status",
        "false",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let report = desk.run(&[
        "report",
        "--format",
        "claimreview",
        "--review-url",
        REVIEW_URL,
    ]);
    assert_eq!(report.code, 0, "{report}");

    let other = TestEnv::new();
    let file = other.write("claimtrail.json", &report.stdout);
    let run = other.run(&["import-reviews", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("imported 1 fact-check"), "{run}");
    // The same wording in another outlet's article is checked by the review.
    let relay = serde_json::json!({"title": "Port stake", "outlet": "Bay Herald",
        "url": "https://bay.example/9", "published": "2025-11-21",
        "text": "Halvard Shipping will sell its 49% stake in the Varn port terminal, the company said on Monday."});
    let path = other.write("relay.jsonl", relay.to_string());
    assert_eq!(other.run(&["ingest", path.to_str().unwrap()]).code, 0);
    let id = claim_of(&other, "Bay Herald");
    let show = other.run(&["show", &id.to_string()]);
    assert!(
        show.stdout
            .contains("already checked: ana rated it False (https://factcheck.example/claims/"),
        "{show}"
    );
}

#[test]
fn a_verdict_in_the_store_checks_the_same_claim_in_another_article() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["ingest", articles(&env).to_str().unwrap()]).code,
        0
    );
    let first = claim_of(&env, "Harbour Times");
    let run = env.run(&[
        "verify",
        &first.to_string(),
        "--status",
        "false",
        "--by",
        "ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let relay = serde_json::json!({"title": "Port stake", "outlet": "Bay Herald",
        "url": "https://bay.example/9", "published": "2025-11-21",
        "text": "Halvard Shipping will sell its 49% stake in the Varn port terminal, its chief executive said on Tuesday."});
    let path = env.write("relay.jsonl", relay.to_string());
    let run = env.run(&["ingest", path.to_str().unwrap()]);
    assert!(
        run.stdout
            .contains("already fact-checked (claimtrail search --checked)"),
        "{run}"
    );
    let relayed = found(&env, &["search", "--outlet", "Bay Herald"]);
    let show = env.run(&["show", &relayed.iter().min().unwrap().to_string()]);
    assert!(
        show.stdout.contains(&format!(
            "already checked: claim {first} was judged false by ana"
        )),
        "{show}"
    );
    let run = env.run(&[
        "match",
        "Halvard wants to sell its 49% stake in the Varn terminal",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("1. [")
            && run
                .stdout
                .lines()
                .next()
                .unwrap()
                .contains(&format!("claim #{first} is false")),
        "{run}"
    );
}

#[test]
fn bad_review_files_are_one_line_errors_and_import_nothing() {
    let env = TestEnv::new();
    let good = env.write("good.jsonld", SNOPES);
    for (name, content, message) in [
        (
            "notes.txt",
            "The port stake claim is false.",
            "notes.txt: not JSON-LD: ",
        ),
        (
            "page.jsonld",
            r#"{"@context": "https://schema.org", "@type": "WebPage"}"#,
            "page.jsonld: no ClaimReview in it",
        ),
        (
            "bare.jsonld",
            r#"[{"@type": "ClaimReview", "url": "https://x.example/1"}]"#,
            "bare.jsonld: review 1: a ClaimReview without claimReviewed text",
        ),
    ] {
        let bad = env.write(name, content);
        let run = env.run(&[
            "import-reviews",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ]);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains(message), "{run}");
        if env.store().join("claimtrail.db").exists() {
            assert_eq!(fact_checks(&env), 0, "{name}");
        }
    }
    let run = env.run(&["match", "anything"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("nothing to match against"), "{run}");
}

#[test]
fn eval_match_writes_the_run_and_scores_it_as_the_task_does() {
    let env = TestEnv::new();
    let verified = env.write(
        "verified.tsv",
        "\tvclaim\ttitle\n\
         0\tA photograph shows a shark swimming on a flooded highway.\tShark on the Highway?\n\
         1\tThe senator said felons should not be allowed to vote.\tDid the Senator Say It?\n\
         2\tA video shows a whale inside a school gymnasium.\tWhale in the Gym?\n",
    );
    let queries = env.write(
        "queries.tsv",
        "\ttweet_content\n\
         10\tLook at this shark on the highway after the flood #HurricaneHarvey https://t.co/x\n\
         11\tA whale in a gym? — Some One (@someone) May 1, 2019\n\
         12\tnothing in common here\n",
    );
    let qrels = env.write("qrels", "10 0 0 1\n11 0 2 1\n12 0 1 1\n");
    let run_file = env.dir().join("run.txt");
    let run = env.run(&[
        "eval-match",
        verified.to_str().unwrap(),
        queries.to_str().unwrap(),
        "--qrels",
        qrels.to_str().unwrap(),
        "--run",
        run_file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("3 verified claims, 3 queries;"),
        "{run}"
    );
    assert!(
        run.stdout.contains("MAP@1  0.667   recall@1  0.667"),
        "{run}"
    );
    let written = std::fs::read_to_string(&run_file).unwrap();
    let first: Vec<&str> = written.lines().next().unwrap().split('\t').collect();
    assert_eq!(first[..4], ["10", "Q0", "0", "1"]);
    assert_eq!(first[5], "claimtrail");
}

/// CLEF-2020 CheckThat! Task 2 dev, when `../shared` is beside the clone: the figures the
/// README gives, and the task's own scorer agreeing with ours.
#[test]
fn eval_match_on_clef_dev_scores_what_the_readme_says() {
    let clef = crate::common::repo().join("../shared/clef2020-task2");
    if !clef.join("verified_claims.docs.tsv").exists() {
        skip(
            "eval_match_on_clef_dev",
            "../shared/clef2020-task2 is absent",
        );
        return;
    }
    let env = TestEnv::new();
    let run_file = env.dir().join("dev.run");
    let qrels = clef.join("dev/tweet-vclaim-pairs.qrels");
    let run = env.run(&[
        "eval-match",
        clef.join("verified_claims.docs.tsv").to_str().unwrap(),
        clef.join("dev/tweets.queries.tsv").to_str().unwrap(),
        "--qrels",
        qrels.to_str().unwrap(),
        "--run",
        run_file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("MAP@5 0.815"), "{run}");
    let ours: String = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    let python = std::process::Command::new("python3")
        .arg(crate::common::repo().join("../shared/tools/clef_match_score.py"))
        .arg(&run_file)
        .arg(&qrels)
        .output();
    match python {
        Ok(out) if out.status.success() => {
            assert_eq!(String::from_utf8_lossy(&out.stdout), ours);
        }
        _ => skip(
            "eval_match_on_clef_dev (scorer)",
            "python3 could not run the scorer",
        ),
    }
}

/// Regression: a claim rejected as not-a-claim kept its matches through `reindex` (the pass
/// read only claims that are not rejected, and so never rewrote theirs).
#[test]
fn a_claim_rejected_as_not_a_claim_is_checked_by_nothing_after_reindex() {
    let env = TestEnv::new();
    let reviews = env.write("snopes.jsonld", SNOPES);
    assert_eq!(
        env.run(&["import-reviews", reviews.to_str().unwrap()]).code,
        0
    );
    assert_eq!(
        env.run(&["ingest", articles(&env).to_str().unwrap()]).code,
        0
    );
    let reworded = claim_of(&env, "Harbour Times");
    let checks = |env: &TestEnv| -> i64 {
        env.db()
            .query_row(
                "SELECT count(*) FROM claim_checks WHERE claim_id = ?1",
                [reworded],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(checks(&env), 1);
    let id = reworded.to_string();
    let run = env.run(&["correct", &id, "--not-a-claim", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert_eq!(checks(&env), 0);
    let show = env.run(&["show", &id]);
    assert!(!show.stdout.contains("already checked"), "{show}");
}
