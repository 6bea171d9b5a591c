//! `claimtrail ingest`: the main job on the bundled corpus, idempotence, metadata flags.

use crate::common::{NOW, TestEnv, arg};

#[test]
fn ingest_corpus_prints_a_summary() {
    let env = TestEnv::new();
    let run = env.run(&["ingest", "corpus"]);
    assert_eq!(run.code, 0, "{run}");
    // No progress bar: stderr is not a terminal here.
    assert_eq!(run.stderr, "", "{run}");
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn ingest_corpus_twice_changes_no_table() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let first = env.counts();
    assert!(first["articles"] >= 10 && first["claims"] > 0, "{first:?}");

    let again = env.run(&["ingest", "corpus"]);
    assert_eq!(again.code, 0, "{again}");
    assert_eq!(env.counts(), first);
    assert!(
        again.stdout.starts_with(&format!(
            "articles: 0 new, {} unchanged, 0 re-extracted, 0 failed\n",
            first["articles"]
        )),
        "{again}"
    );
}

#[test]
fn the_same_text_in_two_files_is_one_article() {
    let env = TestEnv::new();
    let text = "---\ntitle: Twice\noutlet: The Test Times\n---\nThe council said the bridge will open in May.\n";
    let a = env.write("a/one.txt", text);
    let b = env.write("b/two.md", text);
    let run = env.run(&["ingest", &arg(&a), &arg(&b)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("articles: 1 new, 1 unchanged"),
        "{run}"
    );
    assert_eq!(env.counts()["articles"], 1);
}

#[test]
fn flags_fill_what_files_leave_unknown_and_never_override_it() {
    let env = TestEnv::new();
    env.write(
        "in/plain.txt",
        "A plain headline\n\nThe mayor said the budget is balanced.\n",
    );
    env.write(
        "in/with_meta.txt",
        "---\ntitle: With meta\noutlet: The Own Outlet\npublished: 2024-01-02\n---\nThe port said exports rose.\n",
    );
    let folder = env.dir().join("in");
    let run = env.run(&[
        "ingest",
        &arg(&folder),
        "--outlet",
        "Flag Daily",
        "--published",
        "2025-11-20",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let rows: Vec<(String, Option<String>, Option<String>)> = env
        .db()
        .prepare("SELECT title, outlet, published FROM articles ORDER BY title")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "A plain headline".into(),
                Some("Flag Daily".into()),
                Some("2025-11-20".into())
            ),
            (
                "With meta".into(),
                Some("The Own Outlet".into()),
                Some("2024-01-02".into())
            ),
        ]
    );
}

#[test]
fn unknown_publisher_and_date_stay_unknown() {
    let env = TestEnv::new();
    let file = env.write(
        "plain.txt",
        "A plain headline\n\nThe mayor said the budget is balanced.\n",
    );
    assert_eq!(env.run(&["ingest", &arg(&file)]).code, 0);
    let (outlet, publisher, published): (Option<String>, Option<i64>, Option<String>) = env
        .db()
        .query_row(
            "SELECT outlet, publisher_id, published FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((outlet, publisher, published), (None, None, None));
}

#[test]
fn every_timestamp_comes_from_the_pinned_clock() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let stamps: Vec<String> = env
        .db()
        .prepare(
            "SELECT ingested_at FROM articles UNION SELECT extracted_at FROM articles
             UNION SELECT created_at FROM claims UNION SELECT updated_at FROM claims
             UNION SELECT created_at FROM sources",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stamps, vec![NOW.to_string()]);
}

#[test]
fn db_flag_overrides_the_environment() {
    let env = TestEnv::new();
    let other = env.dir().join("other-store");
    let run = env.run(&[
        "--db",
        &arg(&other),
        "ingest",
        "corpus/001_varnholm_terminal_lease.txt",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(other.join("claims.db").exists());
    assert!(!env.store().exists());
}

#[test]
fn a_folder_without_article_files_is_nothing_found() {
    let env = TestEnv::new();
    env.write("empty/notes.csv", "a,b\n");
    let folder = env.dir().join("empty");
    let run = env.run(&["ingest", &arg(&folder)]);
    run.assert_one_line_error(1);
    insta::assert_snapshot!(run.to_string());
}

#[test]
fn a_batch_goes_on_past_a_bad_file_and_counts_it() {
    let env = TestEnv::new();
    env.write(
        "mixed/good.txt",
        "A headline\n\nThe mayor said the budget is balanced.\n",
    );
    env.write("mixed/empty.txt", "");
    let folder = env.dir().join("mixed");
    let run = env.run(&["ingest", &arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.to_string());
    assert_eq!(env.counts()["articles"], 1);
}

/// The 256-article transaction limit holds inside one file (issue 11, item 9): a JSON Lines
/// file of 600 articles is three transactions, each its own generation, so a kill loses at
/// most the batch being written. Counted through the generations the batches stamp: no
/// timing is involved.
#[test]
fn a_large_jsonl_file_commits_in_batches_of_256_articles() {
    let env = TestEnv::new();
    let folder = env.dir().join("generated");
    let run = env.run(&[
        "gen-corpus",
        "--articles",
        "600",
        "--seed",
        "3",
        "--out",
        &arg(&folder),
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("in 1 files"), "one file: {run}");
    let run = env.run(&["ingest", &arg(&folder)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("articles: 600 new"), "{run}");
    let db = env.db();
    let generation: i64 = db
        .query_row("SELECT generation FROM meta", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        generation, 3,
        "600 articles in batches of 256 are three commits"
    );
    // Each batch is the articles of its stretch of the file, in order.
    let batches: Vec<(i64, i64, i64, i64)> = db
        .prepare(
            "SELECT c.changed_generation, count(DISTINCT a.id), min(a.source_line), max(a.source_line)
             FROM claims c JOIN articles a ON a.id = c.article_id
             GROUP BY c.changed_generation ORDER BY c.changed_generation",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        batches,
        [(1, 256, 1, 256), (2, 256, 257, 512), (3, 88, 513, 600)],
        "every article of the generated corpus has claims"
    );
}

/// An article over 1 MiB has its text written after its claims (issue 11, item 10: SQLite's
/// two copies of a 64 MiB text beside its extraction were the peak of ingest's memory): the
/// text stored is still the article's, whole, and a re-ingest finds it unchanged.
#[test]
fn a_long_article_s_text_is_stored_whole_after_its_claims() {
    let env = TestEnv::new();
    let mut text = String::from("---\ntitle: Long\noutlet: Batch Wire\n---\n");
    let mut n = 0;
    while text.len() < (1 << 20) + 100_000 {
        text.push_str(&format!(
            "Ana Varn said berth {n} would reopen on Monday.\n\n"
        ));
        n += 1;
    }
    let file = env.write("long.md", &text);
    let run = env.run(&["ingest", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let last = format!("Ana Varn said berth {} would reopen on Monday.\n\n", n - 1);
    let (chars, tail): (i64, String) = env
        .db()
        .query_row(
            "SELECT length(text), substr(text, -?1) FROM articles",
            [last.len() as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(chars as usize > 1 << 20, "{chars}");
    assert_eq!(tail, last);
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
    assert!(
        check
            .stdout
            .contains("every article's text matches its content hash"),
        "{check}"
    );
    let again = env.run(&["ingest", &arg(&file)]);
    assert!(
        again.stdout.starts_with("articles: 0 new, 1 unchanged"),
        "{again}"
    );
}
