//! Articles as things a fact-checker can see and fix: `articles` lists them, `article ID`
//! shows one and corrects its metadata (history kept, the corrected values winning in
//! every listing and report, through re-ingest and export/import), `remove` takes one out
//! of every listing and search and `restore` puts it back.

use crate::common::{TestEnv, format_args, ids};

const SEED: &str = "corpus/000_a839bff65d798603.txt";

/// The article ids `articles --format json` lists with these flags.
fn listed(env: &TestEnv, flags: &[&str]) -> Vec<i64> {
    let mut args = vec!["articles", "--format", "json"];
    args.extend_from_slice(flags);
    let run = env.run(&args);
    match run.code {
        0 => ids(&serde_json::from_str(&run.stdout).unwrap()),
        1 => Vec::new(),
        _ => panic!("{run}"),
    }
}

/// The article ids of every claim `search` finds.
fn searched(env: &TestEnv, flags: &[&str]) -> Vec<i64> {
    let mut args = vec!["search", "--format", "json", "--limit", "10000"];
    args.extend_from_slice(flags);
    let run = env.run(&args);
    if run.code == 1 {
        return Vec::new();
    }
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out: Vec<i64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["article"]["id"].as_i64().unwrap())
        .collect();
    out.dedup();
    out
}

#[test]
fn articles_lists_every_article_and_fits_80_columns() {
    let env = TestEnv::with_corpus();
    assert_eq!(listed(&env, &[]).len(), crate::common::CORPUS_ARTICLES);
    let run = env
        .command()
        .env("COLUMNS", "80")
        .arg("articles")
        .output()
        .unwrap();
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.starts_with("ID  DATE        OUTLET"), "{out}");
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "{line:?} is wider than 80 columns"
        );
    }
    let wide = env.run(&["articles", "--wide"]);
    assert!(
        wide.stdout.lines().any(|l| l.chars().count() > 80),
        "{wide}"
    );
    // Filters.
    let coastline = listed(&env, &["--outlet", "coastline wire"]);
    assert!(!coastline.is_empty());
    assert!(coastline.len() < crate::common::CORPUS_ARTICLES);
    env.run(&["articles", "--outlet", "No Such Outlet"])
        .assert_one_line_error(1);
}

#[test]
fn corrected_article_metadata_wins_and_survives_reingest_and_export() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", SEED]).code, 0);
    let run = env.run(&[
        "article",
        "1",
        "--outlet",
        "Bloomberg",
        "--published",
        "2025-11-25",
        "--title",
        "Russia got tips from Witkoff",
        "--by",
        "ana",
        "--note",
        "front matter was missing",
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.contains("outlet: unknown → \"Bloomberg\""),
        "{run}"
    );
    let check = |env: &TestEnv| {
        let show = env.run(&["article", "1"]);
        assert!(show.stdout.contains("Bloomberg, 2025-11-25"), "{show}");
        assert!(
            show.stdout.contains("by ana: front matter was missing"),
            "{show}"
        );
        assert_eq!(
            listed(env, &["--outlet", "Bloomberg", "--since", "2025-11-25"]),
            [1]
        );
        assert_eq!(searched(env, &["--since", "2025-11-25"]), [1]);
        for format in ["markdown", "html", "csv", "json"] {
            let mut args = vec!["report"];
            args.extend(format_args(format));
            let run = env.run(&args);
            assert!(
                run.stdout.contains("Russia got tips from Witkoff"),
                "{format}: {run}"
            );
            assert!(run.stdout.contains("2025-11-25"), "{format}: {run}");
        }
    };
    check(&env);
    // Ingesting the same text again changes nothing; nor does an --outlet given with it.
    let run = env.run(&["ingest", SEED, "--outlet", "Other Wire"]);
    assert_eq!(run.code, 0, "{run}");
    check(&env);
    let file = env.dir().join("export.jsonl");
    assert_eq!(env.run(&["export", "-o", &file.to_string_lossy()]).code, 0);
    let other = TestEnv::new();
    assert_eq!(other.run(&["ingest", SEED]).code, 0);
    let run = other.run(&["import", &file.to_string_lossy()]);
    assert!(run.stdout.contains("article changes: 1 new"), "{run}");
    check(&other);

    // Bad input: one line, nothing written.
    for args in [
        &["article", "99", "--title", "x"][..],
        &["article", "1", "--published", "yesterday"],
        &["article", "1", "--url", "not a url"],
        &["article", "1", "--outlet", "Bloomberg"],
    ] {
        env.run(args).assert_one_line_error(2);
    }
    let changes: i64 = env
        .db()
        .query_row("SELECT count(*) FROM article_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(changes, 1);
}

#[test]
fn a_removed_article_leaves_every_listing_and_comes_back_with_restore() {
    let env = TestEnv::with_corpus();
    let id = 2_i64;
    let sid = id.to_string();
    assert!(searched(&env, &[]).contains(&id));
    let run = env.run(&["remove", &sid, "--by", "ana"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout, format!("article {id}: removed\n"));
    assert!(!listed(&env, &[]).contains(&id));
    assert_eq!(listed(&env, &["--removed"]), [id]);
    assert!(!searched(&env, &[]).contains(&id));
    let report = env.json(&["report", "--format", "json"]);
    let articles: Vec<i64> = report["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["article"]["id"].as_i64().unwrap())
        .collect();
    assert!(!articles.is_empty() && !articles.contains(&id));
    let open = env.json(&["unconfirmed", "--format", "json", "--limit", "10000"]);
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .all(|c| c["article"]["id"] != id)
    );
    assert_eq!(env.run(&["reindex"]).code, 0);
    assert!(!searched(&env, &[]).contains(&id));
    let run = env.run(&["restore", &sid]);
    assert_eq!(run.stdout, format!("article {id}: restored\n"));
    assert!(searched(&env, &[]).contains(&id));
    assert!(listed(&env, &["--removed"]).is_empty());
}

#[test]
fn an_article_with_verdicts_is_removed_only_with_force_and_keeps_them() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", SEED]).code, 0);
    env.verify_each(&[("20-point", &["--status", "false", "--by", "ana"])]);
    let run = env.run(&["remove", "1"]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("--force"), "{run}");
    assert_eq!(listed(&env, &[]), [1]);
    // An unknown id in the batch: nothing removed.
    env.run(&["remove", "1", "99", "--force"])
        .assert_one_line_error(2);
    assert_eq!(listed(&env, &[]), [1]);
    let run = env.run(&["remove", "1", "--force"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(listed(&env, &[]).is_empty());
    assert_eq!(env.counts()["verdicts"], 1);
    let export = env.run(&["export"]);
    assert!(export.stdout.contains("\"type\":\"verdict\""), "{export}");
    assert!(
        export
            .stdout
            .contains("\"removed\":{\"from\":false,\"to\":true}"),
        "{export}"
    );
    // Imported elsewhere, it is removed there too.
    let file = env.write("x.jsonl", export.stdout.as_bytes());
    let other = TestEnv::new();
    assert_eq!(other.run(&["import", &file.to_string_lossy()]).code, 0);
    assert!(listed(&other, &[]).is_empty());
    assert_eq!(listed(&other, &["--removed"]), [1]);
    let e = env
        .db()
        .execute("DELETE FROM article_changes", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}
