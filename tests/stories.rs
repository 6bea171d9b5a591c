//! Stories across articles (`story`, `stories`, grouping at ingest, `reindex`): ten
//! articles on one event from three independent origins are one story of ten appearances
//! and three origins; a denial by the same ministry on another subject is another story;
//! an eleventh relay ingested later joins without moving the others.

use crate::common::TestEnv;
use serde_json::Value;

fn line(title: &str, outlet: &str, day: u32, text: &str) -> String {
    let slug: String = outlet
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    serde_json::json!({"title": title, "outlet": outlet,
        "url": format!("https://{slug}.example/halvard"),
        "published": format!("2025-11-{day:02}"), "text": text})
    .to_string()
}

/// Six outlets relaying The Ledger Financial's memo, in their own words.
const RELAYS: &[(&str, &str)] = &[
    (
        "Harbour Times",
        "Halvard Shipping plans to sell its 49% stake in the Varn port terminal, according to a memo seen by The Ledger Financial.",
    ),
    (
        "Coast Daily",
        "Halvard Shipping intends to sell its 49 percent holding in the Varn port terminal, according to a memo seen by The Ledger Financial.",
    ),
    (
        "Northern Courier",
        "Halvard Shipping plans to sell its 49% stake in the Varn port terminal, according to an internal memo seen by The Ledger Financial.",
    ),
    (
        "Valley Gazette",
        "Halvard Shipping is planning to sell its 49% stake in the Varn port terminal, according to a memo seen by The Ledger Financial.",
    ),
    (
        "Bay Observer",
        "Halvard Shipping plans to sell its 49% stake in the Varn port terminal, according to a company memo seen by The Ledger Financial.",
    ),
    (
        "Evening Post",
        "Halvard Shipping intends to sell its 49% stake in the Varn port terminal, according to a memo seen by The Ledger Financial.",
    ),
];

/// The same wire copy, printed by three newspapers.
const WIRE: &str = "VARN (Coastline Wire) — Halvard Shipping plans to sell its 49% stake in the Varn port terminal, the company's chief executive Maren Holt said on Tuesday.";

fn first_batch(env: &TestEnv) -> std::path::PathBuf {
    let mut lines: Vec<String> = RELAYS
        .iter()
        .enumerate()
        .map(|(i, (outlet, text))| line("Halvard to sell port stake", outlet, 10 + i as u32, text))
        .collect();
    lines.push(line(
        "Ministry source: Halvard stake for sale",
        "Radio Varn",
        9,
        "Halvard Shipping plans to sell its 49% stake in the Varn port terminal, a transport ministry official told Radio Varn.",
    ));
    // Each paper prints the copy its own way (an identical text is one article): with
    // the dateline, with a credit line instead, with the dateline and a closing line.
    let body = WIRE.split_once("— ").unwrap().1;
    let copies = [
        WIRE.to_string(),
        format!("{body}\n\n(Coastline Wire)"),
        format!("{WIRE}\n\nThe terminal handles most of the island's freight."),
    ];
    for (i, (outlet, text)) in ["Varn Herald", "Isla Record", "Mainland News"]
        .iter()
        .zip(&copies)
        .enumerate()
    {
        lines.push(line("Halvard stake sale", outlet, 11 + i as u32, text));
    }
    // The same ministry, another subject: not the story.
    lines.push(line(
        "Ministry denies fuel price rise",
        "Radio Varn",
        12,
        "The transport ministry denied that fuel prices at the Varn port would rise in March.",
    ));
    env.write("first.jsonl", lines.join("\n"))
}

fn story_json(env: &TestEnv, claim: i64) -> Value {
    let run = env.run(&["story", &claim.to_string(), "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    serde_json::from_str(&run.stdout).unwrap()
}

/// Every claim id with its story id, from the database.
fn stories(env: &TestEnv) -> Vec<(i64, i64)> {
    env.db()
        .prepare("SELECT claim_id, story_id FROM claim_stories ORDER BY claim_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn ten_articles_from_three_origins_are_one_story_with_three_origins() {
    let env = TestEnv::new();
    let run = env.run(&["ingest", first_batch(&env).to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let halvard = env.claim_id("Halvard Shipping plans to sell its 49% stake");
    let story = story_json(&env, halvard);
    let claims = story["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 10, "{story:#}");
    let origins = story["origins"].as_array().unwrap();
    let names: Vec<&str> = origins
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{story:#}");
    // The extractor names the outlet without its article.
    for want in ["Ledger Financial", "Radio Varn", "Coastline Wire"] {
        assert!(
            names.iter().any(|n| n.ends_with(want)),
            "{want} in {names:?}"
        );
    }
    let ledger = origins
        .iter()
        .find(|o| o["name"].as_str().unwrap().ends_with("Ledger Financial"))
        .unwrap();
    assert_eq!(ledger["via"], "memo");
    assert_eq!(ledger["claims"].as_array().unwrap().len(), 6);
    let wire = origins
        .iter()
        .find(|o| o["name"] == "Coastline Wire")
        .unwrap();
    assert_eq!(wire["kind"], "wire");
    assert_eq!(wire["claims"].as_array().unwrap().len(), 3);
    // Radio Varn published first (the 9th).
    let radio = origins.iter().find(|o| o["name"] == "Radio Varn").unwrap();
    assert_eq!(claims[0]["id"], radio["first"]);
    assert_eq!(claims[0]["article"]["outlet"], "Radio Varn");

    // The denial about fuel prices is in another story.
    let denial = env.claim_id("fuel prices");
    let other = story_json(&env, denial);
    assert_ne!(other["story"], story["story"]);
    assert_eq!(other["claims"].as_array().unwrap().len(), 1);

    // `stories` lists it with its counts.
    let run = env.run(&["stories", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let listed: Value = serde_json::from_str(&run.stdout).unwrap();
    let ours = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["story"] == story["story"])
        .unwrap_or_else(|| panic!("{listed:#}"));
    assert_eq!(ours["appearances"], 10);
    assert_eq!(ours["outlets"], 10);
    assert_eq!(ours["origins"], 3);

    // An eleventh relay, ingested later, joins; nothing else moves.
    let before = stories(&env);
    let later = env.write(
        "later.jsonl",
        line(
            "Halvard eyes port exit",
            "Fjord Weekly",
            20,
            "Halvard Shipping intends to sell its 49% holding in the Varn port terminal, according to a memo seen by The Ledger Financial.",
        ),
    );
    let run = env.run(&["ingest", later.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let after = stories(&env);
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "the others' stories are untouched"
    );
    let story = story_json(&env, halvard);
    assert_eq!(story["claims"].as_array().unwrap().len(), 11, "{story:#}");
    assert_eq!(story["origins"].as_array().unwrap().len(), 3);

    // Reindex rebuilds the same stories.
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(stories(&env), after);
}

#[test]
fn story_json_shape() {
    let env = TestEnv::new();
    let lines = [
        line(
            "Halvard to sell port stake",
            "Harbour Times",
            10,
            RELAYS[0].1,
        ),
        line("Halvard stake sale", "Varn Herald", 11, WIRE),
    ];
    let path = env.write("two.jsonl", lines.join("\n"));
    let run = env.run(&["ingest", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let id = env.claim_id("Halvard Shipping plans to sell its 49% stake");
    let run = env.run(&["story", &id.to_string(), "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.stdout);
    let run = env.run(&["story", &id.to_string()]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!("story_text", run.stdout);
}

#[test]
fn story_of_an_unknown_claim_is_a_one_line_error() {
    let env = TestEnv::new();
    let path = env.write("one.jsonl", line("t", "Harbour Times", 10, RELAYS[0].1));
    assert_eq!(env.run(&["ingest", path.to_str().unwrap()]).code, 0);
    env.run(&["story", "999"]).assert_one_line_error(2);
}

/// The README's file: two relays of the memo, the radio's own source, a wire copy, and the
/// ministry's denial on fuel prices.
fn fixture(env: &TestEnv) -> i64 {
    let run = env.run(&["ingest", "tests/fixtures/stories.jsonl"]);
    assert_eq!(run.code, 0, "{run}");
    env.claim_id("Halvard Shipping plans to sell its 49% stake")
}

fn appearances(env: &TestEnv, claim: i64) -> usize {
    story_json(env, claim)["claims"].as_array().unwrap().len()
}

#[test]
fn detach_and_join_are_recorded_and_survive_reindex() {
    let env = TestEnv::new();
    let halvard = fixture(&env);
    assert_eq!(appearances(&env, halvard), 4);
    // The radio's appearance: the claim of its article in the story.
    let story = story_json(&env, halvard);
    let radio = story["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["article"]["outlet"] == "Radio Varn")
        .map(|c| c["id"].as_i64().unwrap())
        .expect("Radio Varn's appearance is in the story");
    let run = env.run(&["story", &radio.to_string(), "--detach", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(appearances(&env, halvard), 3);
    assert_eq!(appearances(&env, radio), 1);
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert_eq!(appearances(&env, halvard), 3, "the split survives reindex");
    let run = env.run(&["story", &radio.to_string(), "--join", &halvard.to_string()]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(appearances(&env, halvard), 4);
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert_eq!(appearances(&env, halvard), 4, "the join survives reindex");
    let changes: i64 = env
        .db()
        .query_row("SELECT count(*) FROM story_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(changes, 2);
    env.run(&["story", "999", "--join", &halvard.to_string()])
        .assert_one_line_error(2);
}

/// A split is a fact-checker's work: an export carries it and an import applies it again,
/// into an empty store and into one that holds the same articles, once.
#[test]
fn a_split_of_a_story_survives_export_and_import() {
    let env = TestEnv::new();
    let halvard = fixture(&env);
    let radio = story_json(&env, halvard)["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["article"]["outlet"] == "Radio Varn")
        .map(|c| c["id"].as_i64().unwrap())
        .unwrap();
    let run = env.run(&["story", &radio.to_string(), "--detach", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    let file = env.dir().join("export.jsonl");
    let run = env.run(&["export", "-o", &crate::common::arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.lines().any(|l| l.contains("\"type\":\"story_change\"")
            && l.contains("\"action\":\"detach\"")
            && l.contains("\"reviewer\":\"ana\"")),
        "{text}"
    );

    // Into an empty store: the same stories, the split applied.
    let other = TestEnv::new();
    let run = other.run(&["import", &crate::common::arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("story changes: 1 new"), "{run}");
    assert_eq!(appearances(&other, halvard), 3);
    assert_eq!(appearances(&other, radio), 1);

    // Into a store that ingested the same file: its claims are matched, the split applied
    // once; a second import adds nothing.
    let third = TestEnv::new();
    fixture(&third);
    assert_eq!(appearances(&third, halvard), 4);
    for _ in 0..2 {
        let run = third.run(&["import", &crate::common::arg(&file)]);
        assert_eq!(run.code, 0, "{run}");
    }
    assert_eq!(appearances(&third, halvard), 3);
    let changes: i64 = third
        .db()
        .query_row("SELECT count(*) FROM story_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(changes, 1);
}

#[test]
fn verify_story_judges_every_appearance_and_plain_verify_says_how_many_others() {
    let env = TestEnv::new();
    let halvard = fixture(&env);
    let id = halvard.to_string();
    let run = env.run(&["verify", &id, "--status", "disputed", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("its story has 3 other appearances"),
        "{run}"
    );
    let run = env.run(&["verify", &id, "--story", "--status", "false", "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("4 claims set to false"), "{run}");
    let story = story_json(&env, halvard);
    for c in story["claims"].as_array().unwrap() {
        let run = env.run(&["show", &c["id"].to_string(), "--format", "json"]);
        let shown: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(shown["status"], "false", "{shown:#}");
        assert_eq!(shown["story"], story["story"]);
        assert_eq!(shown["origins"], 3);
        assert!(
            shown["citation"]
                .as_str()
                .unwrap()
                .contains("carried by 4 outlets, 3 independent origins"),
            "{shown:#}"
        );
    }
}

#[test]
fn unconfirmed_lists_single_origin_claims_before_several_origin_ones() {
    let env = TestEnv::new();
    fixture(&env);
    let run = env.run(&["unconfirmed", "--format", "json", "--limit", "100"]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    let several: Vec<bool> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["origins"].as_i64().unwrap() > 1)
        .collect();
    assert!(several.contains(&true), "{rows:#}");
    assert!(several.windows(2).all(|w| w[0] <= w[1]), "{several:?}");
}

/// Two ingests at once, each grouping what it stored: grouping reads the claims to group
/// before its write transaction, so one ingest (held there by the `stories-group`
/// failpoint) finds its claims grouped by the other meanwhile. Neither fails for it (a
/// claim grouped meanwhile stays as grouped: the first run failed with "grouping them into
/// stories failed (... UNIQUE constraint ...)"), and every claim ends in exactly one story.
#[test]
fn an_ingest_whose_claims_another_grouped_meanwhile_does_not_fail() {
    let lines: Vec<String> =
        std::fs::read_to_string(crate::common::repo().join("tests/fixtures/stories.jsonl"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
    let half = lines.len() / 2;
    let env = TestEnv::new();
    let a = env.write("a/a.jsonl", lines[..half].join("\n") + "\n");
    let b = env.write("b/b.jsonl", lines[half..].join("\n") + "\n");
    let mut slow = env.background(&["ingest", &crate::common::arg(&a)]);
    slow.env("CLAIMTRAIL_FAILPOINTS", "stories-group=stall")
        .stderr(std::process::Stdio::piped());
    let slow = slow.spawn().unwrap();
    // Its claims committed, it reads them and stalls before grouping them.
    let started = std::time::Instant::now();
    while env.store().join("claims.db").exists().then(|| {
        env.db()
            .query_row("SELECT count(*) FROM claims", [], |r| r.get::<_, i64>(0))
            .unwrap_or(0)
    }) < Some(1)
    {
        assert!(
            started.elapsed().as_secs() < 20,
            "the first ingest stored nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let run = env.run(&["ingest", &crate::common::arg(&b)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("failed"), "{run}");
    let out = slow.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("grouping them into stories failed"),
        "{stderr}"
    );
    let (claims, grouped): (i64, i64) = env
        .db()
        .query_row(
            "SELECT (SELECT count(*) FROM claims WHERE rejected = 0),
                    (SELECT count(*) FROM claim_stories)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(claims, grouped, "every claim in one story");
    assert_eq!(env.run(&["check"]).code, 0);
}

/// The grouping pass reads, groups and writes the new claims a chunk of 512 at a time, a few
/// chunks ahead (`src/store/stories.rs`): over thousands of claims every claim gets one
/// story, none twice, and grouping the same claims again from nothing (`reindex`) gives the
/// same stories, origins and similarities.
#[test]
fn thousands_of_claims_are_grouped_chunk_by_chunk_as_in_one_pass() {
    let env = TestEnv::new();
    let folder = env.dir().join("generated");
    let run = env.run(&[
        "gen-corpus",
        "--articles",
        "100",
        "--seed",
        "3",
        "--out",
        &crate::common::arg(&folder),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&["ingest", &crate::common::arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    let rows = |env: &TestEnv| -> Vec<(i64, i64, Option<i64>, String, String)> {
        env.db()
            .prepare(
                "SELECT claim_id, story_id, joined_through, printf('%.6f', similarity),
                     origin_name || '|' || origin_kind || '|' || coalesce(origin_via, '')
                     || '|' || origin_anonymous
                 FROM claim_stories ORDER BY claim_id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let claims: i64 = env
        .db()
        .query_row("SELECT count(*) FROM claims WHERE rejected = 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        claims > 4 * 512,
        "more chunks than are read ahead: {claims}"
    );
    let at_ingest = rows(&env);
    assert_eq!(at_ingest.len() as i64, claims, "every claim in one story");
    assert!(
        at_ingest.iter().any(|r| r.2.is_some()),
        "some claims joined another's story"
    );
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(rows(&env), at_ingest);
}
