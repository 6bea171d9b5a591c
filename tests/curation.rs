//! Curating sources (issue 14, item 3): `alias` refuses a name the store does not have,
//! `unalias` undoes a merge exactly, re-aliasing a merged name moves it, and `source NAME
//! --rename NEW | --kind K` changes a source store-wide; each change one transaction and one
//! row of `source_changes`.

use crate::common::{TestEnv, ids};

/// Every claim id whose chain names `source` (any alias or case).
fn claims_of(env: &TestEnv, source: &str) -> Vec<i64> {
    let run = env.run(&[
        "search", "--source", source, "--format", "json", "--limit", "10000",
    ]);
    match run.code {
        0 => {
            let mut v = ids(&serde_json::from_str(&run.stdout).unwrap());
            v.sort_unstable();
            v
        }
        1 => Vec::new(),
        _ => panic!("{run}"),
    }
}

/// Every table that a merge changes, as rows of text, for comparing whole states.
fn state(env: &TestEnv) -> Vec<String> {
    let db = env.db();
    let mut out = Vec::new();
    for sql in [
        "SELECT id || ' ' || name || ' ' || kind || ' ' || created_at FROM sources ORDER BY id",
        "SELECT claim_id || ' ' || position || ' ' || source_id || ' ' || coalesce(recipient_id, '-')
         FROM claim_links ORDER BY claim_id, position",
        "SELECT source_id || ' ' || alias || ' ' || form FROM source_aliases
         ORDER BY source_id, alias, form",
        "SELECT name || ' ' || kind || ' ' || source_id FROM source_merges ORDER BY name, kind",
        "SELECT id || ' ' || coalesce(publisher_id, '-') FROM articles ORDER BY id",
    ] {
        let rows: Vec<String> = db
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.extend(rows);
    }
    out
}

fn changes(env: &TestEnv) -> Vec<String> {
    env.db()
        .prepare("SELECT action || ' ' || name FROM source_changes ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn unalias_undoes_a_merge_exactly() {
    let env = TestEnv::with_corpus();
    let before = state(&env);
    let reuters = claims_of(&env, "Reuters");
    let bloomberg = claims_of(&env, "Bloomberg");
    assert!(!reuters.is_empty() && !bloomberg.is_empty());
    let run = env.run(&["alias", "Reuters", "Bloomberg"]);
    assert_eq!(run.code, 0, "{run}");
    let mut both: Vec<i64> = reuters.iter().chain(&bloomberg).copied().collect();
    both.sort_unstable();
    both.dedup();
    assert_eq!(claims_of(&env, "Bloomberg"), both);

    let run = env.run(&["unalias", "Reuters"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .starts_with("'Reuters' is no longer merged into Bloomberg: 1 source(s) restored"),
        "{run}"
    );
    assert_eq!(state(&env), before);
    assert_eq!(claims_of(&env, "Reuters"), reuters);
    assert_eq!(claims_of(&env, "Bloomberg"), bloomberg);
    assert_eq!(changes(&env), ["alias Reuters", "unalias Reuters"]);
    assert_eq!(env.run(&["check"]).code, 0);
    // Nothing left to undo.
    let run = env.run(&["unalias", "Reuters"]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr.contains("no merge of 'Reuters' to undo"),
        "{run}"
    );

    // A merge exported and imported into an empty store (every id kept) is undone there too.
    assert_eq!(env.run(&["alias", "Reuters", "Bloomberg"]).code, 0);
    let file = env.dir().join("merged.jsonl");
    assert_eq!(env.run(&["export", "-o", &file.to_string_lossy()]).code, 0);
    let copy = TestEnv::new();
    let run = copy.run(&["import", &file.to_string_lossy()]);
    assert!(
        run.stdout.contains("source changes: 3 kept, 0 left out\n"),
        "{run}"
    );
    let run = copy.run(&["unalias", "Reuters"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(claims_of(&copy, "Reuters"), reuters);
    assert_eq!(claims_of(&copy, "Bloomberg"), bloomberg);
}

/// Re-aliasing a merged name printed success and changed nothing (issue 14, item 3): the
/// name, and the claims it brought, move to the new canonical source.
#[test]
fn re_aliasing_a_merged_name_moves_it_to_the_new_source() {
    let env = TestEnv::with_corpus();
    let reuters = claims_of(&env, "Reuters");
    let coastline = claims_of(&env, "Coastline Wire");
    assert_eq!(env.run(&["alias", "Reuters", "Bloomberg"]).code, 0);
    let run = env.run(&["alias", "Reuters", "Coastline Wire"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("merged 'Reuters' into Coastline Wire"),
        "{run}"
    );
    let mut both: Vec<i64> = reuters.iter().chain(&coastline).copied().collect();
    both.sort_unstable();
    both.dedup();
    assert_eq!(claims_of(&env, "Coastline Wire"), both);
    assert!(
        claims_of(&env, "Bloomberg")
            .iter()
            .all(|id| !reuters.contains(id) || both.contains(id))
    );
    let merged: i64 = env
        .db()
        .query_row(
            "SELECT count(*) FROM source_merges m JOIN sources s ON s.id = m.source_id
             WHERE m.name = 'Reuters' AND s.name = 'Coastline Wire'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(merged, 1);
    assert_eq!(
        changes(&env),
        ["alias Reuters", "unalias Reuters", "alias Reuters"]
    );
}

#[test]
fn alias_refuses_a_name_no_source_has_and_writes_nothing() {
    let env = TestEnv::with_corpus();
    let before = state(&env);
    let run = env.run(&["alias", "Nobody By This Name", "Bloomberg"]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains("no source named 'Nobody By This Name' in the store"),
        "{run}"
    );
    assert_eq!(state(&env), before);
    assert!(changes(&env).is_empty());
}

#[test]
fn a_source_is_renamed_or_given_another_kind_store_wide() {
    let env = TestEnv::with_corpus();
    let reuters = claims_of(&env, "Reuters");
    let run = env.run(&["source", "Reuters", "--rename", "Reuters News Agency"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(
        run.stdout,
        "renamed Reuters (outlet) to Reuters News Agency\n"
    );
    assert_eq!(claims_of(&env, "Reuters News Agency"), reuters);
    // The old name still finds it.
    assert_eq!(claims_of(&env, "Reuters"), reuters);
    let sources = env.json(&["sources", "--format", "json"]);
    assert!(
        sources
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Reuters News Agency" && s["kind"] == "outlet")
    );

    let run = env.run(&["source", "Reuters News Agency", "--kind", "organization"]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&[
        "search",
        "--source",
        "Reuters News Agency",
        "--format",
        "json",
    ]);
    assert!(run.stdout.contains("\"kind\": \"organization\""), "{run}");
    assert_eq!(
        changes(&env),
        ["rename Reuters", "kind Reuters News Agency"]
    );

    for args in [
        &["source", "Nobody Here", "--kind", "person"][..],
        &["source", "Bloomberg", "--kind", "outlet"],
        &["source", "Bloomberg", "--rename", "  "],
        &["source", "Bloomberg", "--kind", "planet"],
        &["source", "Bloomberg"],
    ] {
        env.run(args).assert_one_line_error(2);
    }
    let e = env
        .db()
        .execute("DELETE FROM source_changes", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}
