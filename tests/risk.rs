//! `claimtrail unconfirmed` ranks by the risk score of `src/index/risk.rs`: the ranking of
//! one corpus article pinned, the publisher's own narration under every attributed claim,
//! and `--min-risk` cutting the tail.

use crate::common::TestEnv;

/// No link but the publisher: the publisher's own narration.
fn narration(row: &serde_json::Value) -> bool {
    row["chain"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["role"] == "publisher")
}

fn drone_video() -> TestEnv {
    let env = TestEnv::new();
    let run = env.run(&["ingest", "corpus/009_harwick_drone_video.txt"]);
    assert_eq!(run.code, 0, "{run}");
    env
}

#[test]
fn unconfirmed_ranks_the_drone_video_article_by_risk_score() {
    let env = drone_video();
    let run = env.run(&["unconfirmed", "--limit", "100"]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn the_publishers_narration_never_ranks_above_an_attributed_unconfirmed_claim() {
    let env = TestEnv::with_corpus();
    let rows = env.json(&["unconfirmed", "--limit", "1000", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    let first_narration = rows
        .iter()
        .position(narration)
        .expect("the corpus has narration");
    let last_attributed = rows
        .iter()
        .rposition(|r| !narration(r))
        .expect("the corpus has attributed claims");
    assert!(
        last_attributed < first_narration,
        "narration at {first_narration} ({}) above an attributed claim at {last_attributed} ({})",
        rows[first_narration]["text"],
        rows[last_attributed]["text"]
    );
    // Narration the text itself hedges or calls unconfirmed is there, and still below.
    assert!(
        rows[first_narration..]
            .iter()
            .any(|r| r["certainty"] != "certain"),
        "no hedged narration to rank"
    );
    // The score each row shows is the order, and every row says why.
    let scores: Vec<u64> = rows
        .iter()
        .map(|r| r["risk"]["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(
        rows.iter()
            .all(|r| !r["risk"]["reasons"].as_array().unwrap().is_empty())
    );

    // --min-risk 10 leaves exactly the narration out.
    let cut = env.json(&[
        "unconfirmed",
        "--limit",
        "1000",
        "--min-risk",
        "10",
        "--format",
        "json",
    ]);
    let cut = cut.as_array().unwrap();
    assert_eq!(cut.len(), first_narration);
    assert!(cut.iter().all(|r| !narration(r)));
    let run = env.run(&["unconfirmed", "--min-risk", "1000"]);
    assert_eq!(run.code, 1, "{run}");
}
