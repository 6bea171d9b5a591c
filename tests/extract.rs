//! `claimtrail extract FILE`: the pipeline alone, nothing stored.

use crate::common::{TestEnv, arg};
use std::io::Read;
use std::process::Stdio;

#[test]
fn extract_json_follows_the_contract() {
    let env = TestEnv::new();
    let run = env.run(&[
        "extract",
        "--format",
        "json",
        "corpus/000_a839bff65d798603.txt",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON object");
    let article = json["article"].as_object().expect("article");
    for key in ["title", "outlet", "published", "url"] {
        assert!(article.contains_key(key), "article.{key} missing: {json}");
    }
    let claims = json["claims"].as_array().expect("claims");
    assert!(!claims.is_empty());
    for claim in claims {
        for key in [
            "text",
            "sentence",
            "kind",
            "certainty",
            "hedges",
            "cue",
            "spans",
            "chain",
        ] {
            assert!(claim.get(key).is_some(), "claim.{key} missing: {claim}");
        }
        assert!(claim["spans"]["content"].is_array(), "{claim}");
    }
    assert!(json["sources"].is_array());
    assert!(!env.store().exists(), "extract stores nothing");
}

/// Regression: the learned tagger found one cue over "suggested … and expressed confidence
/// that …" in the seed article, and both rule claims took it as their cue, so one attribution
/// was stored twice with the same spans (and the desk could mark only one of them).
#[test]
fn no_two_claims_of_an_article_have_the_same_spans() {
    let env = TestEnv::new();
    let mut files: Vec<_> = std::fs::read_dir(crate::common::repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "txt" || e == "html" || e == "jsonl")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let run = env.run(&["extract", "--format", "json", &arg(&path)]);
        assert_eq!(run.code, 0, "{run}");
        // One JSON object per article (a JSON-lines file holds several).
        for json in serde_json::Deserializer::from_str(&run.stdout).into_iter::<serde_json::Value>()
        {
            let json = json.expect("a JSON object");
            let mut seen = std::collections::HashSet::new();
            for claim in json["claims"].as_array().unwrap() {
                let spans = claim["spans"].to_string();
                assert!(
                    seen.insert(spans.clone()),
                    "{}: two claims with the spans {spans}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn extract_text_shows_each_claim_with_its_chain() {
    let env = TestEnv::new();
    let file = env.write(
        "short.txt",
        "---\ntitle: Bridge to open\noutlet: The Test Times\npublished: 2025-11-24\n---\nThe council said the bridge will open in May.\n",
    );
    let run = env.run(&["extract", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn extract_flags_fill_unknown_metadata() {
    let env = TestEnv::new();
    let file = env.write(
        "plain.txt",
        "A headline\n\nThe mayor said the budget is balanced.\n",
    );
    let run = env.run(&[
        "extract",
        "--format",
        "json",
        &arg(&file),
        "--outlet",
        "Flag Daily",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["article"]["outlet"], "Flag Daily");
    assert_eq!(json["article"]["published"], serde_json::Value::Null);
}

#[test]
fn extract_of_jsonl_prints_json_lines_and_reports_bad_lines() {
    let env = TestEnv::new();
    let file = env.write(
        "feed.jsonl",
        concat!(
            r#"{"title": "One", "text": "The mayor said the budget is balanced."}"#,
            "\nnot json\n",
            r#"{"title": "Three", "text": "The port said exports rose."}"#,
            "\n",
        ),
    );
    let run = env.run(&["extract", "--format", "json", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let titles: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["article"]["title"].to_string()
        })
        .collect();
    assert_eq!(titles, ["\"One\"", "\"Three\""]);
    assert!(
        run.stderr.starts_with("error: [TMP]/feed.jsonl:2: "),
        "{run}"
    );
}

#[test]
fn extract_of_a_missing_file() {
    let env = TestEnv::new();
    let run = env.run(&["extract", "nowhere.txt"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr, @"error: nowhere.txt: not found");
}

#[test]
fn a_closed_stdout_is_success() {
    // `claimtrail extract big.txt | head -c 100`: the reader stops early, which is not an
    // error. The output must be far larger than a pipe buffer so that writing hits the closed
    // end; many articles with long titles (under the metadata limit) do that while leaving
    // the extractor one sentence each (its speed is not what this test is about).
    let env = TestEnv::new();
    let title = "A very long headline ".repeat(190);
    let line =
        serde_json::json!({"title": title, "text": "The minister said the talks went well."});
    let file = env.write("long.jsonl", format!("{line}\n").repeat(200));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_claimtrail"))
        .args(["extract", "--format", "json", &arg(&file)])
        .env("CLAIMTRAIL_DB", env.store())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

/// What the claims of a hostile article store grows linearly with it (issue 11, item 10):
/// one sentence of "X said ..." clauses, each claim's content running to its end, and a
/// chain of "citing X" made every claim hold the whole sentence (a 100 KB sentence stored
/// 510 MB). Each sentence unit is now at most 400 tokens and its claims store at most twice
/// its length plus 2 KiB; doubling the article doubles what its claims hold.
#[test]
fn the_text_a_hostile_article_s_claims_hold_grows_linearly() {
    let env = TestEnv::new();
    let names = [
        "Ana Varn",
        "Bob Kestrel",
        "Carl Ortiz",
        "Dana Lind",
        "Eli Jensen",
    ];
    let held = |name: &str, clause: &dyn Fn(usize) -> String, bytes: usize| -> (usize, usize) {
        let mut text =
            String::from("---\ntitle: t\noutlet: Batch Wire\n---\nBatch Wire reported, ");
        let mut n = 0;
        while text.len() < bytes {
            text.push_str(&clause(n));
            n += 1;
        }
        text.push_str("and that the port would reopen.\n");
        let file = env.write(name, &text);
        let run = env.run(&["extract", "--format", "json", &arg(&file)]);
        assert_eq!(run.code, 0, "{run}");
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let claims = json["claims"].as_array().unwrap();
        assert!(!claims.is_empty(), "{name}: some claims are still found");
        let chars: usize = claims
            .iter()
            .map(|c| {
                c["sentence"].as_str().unwrap().chars().count()
                    + c["text"].as_str().unwrap().chars().count()
            })
            .sum();
        (chars, text.len())
    };
    let said = |n: usize| format!("{} said the berth {n} would reopen, ", names[n % 5]);
    let citing = |n: usize| format!("citing {}, ", names[n % 5]);
    for (what, clause) in [
        ("said", &said as &dyn Fn(usize) -> String),
        ("citing", &citing),
    ] {
        let (small, small_len) = held(&format!("{what}-20k.txt"), clause, 20_000);
        let (large, large_len) = held(&format!("{what}-40k.txt"), clause, 40_000);
        // At most 4 characters held per character of the article (2 by the budget, and the
        // 2 KiB slack of each unit of 400 tokens, here about 2 KB), where the whole
        // sentence per claim held hundreds.
        assert!(
            small <= 4 * small_len,
            "{what}: {small} chars held for {small_len}"
        );
        assert!(
            large <= 4 * large_len,
            "{what}: {large} chars held for {large_len}"
        );
        assert!(
            large <= small * 5 / 2,
            "{what}: {small} → {large}, not linear"
        );
    }
}
