//! Every bad input of issue 2: one line naming the problem, the documented exit code, never a
//! panic, and nothing partly written.
//!
//! A single bad file is an error (exit 2) because nothing could be ingested; in a batch the
//! same line is printed and the rest goes on (tests/ingest.rs).

use crate::common::{TestEnv, arg};
use std::fs;

/// Ingests one path that cannot be read and checks the outcome.
fn ingest_one_bad_file(env: &TestEnv, path: &std::path::Path) -> crate::common::Run {
    let run = env.run(&["ingest", &arg(path)]);
    run.assert_one_line_error(2);
    assert!(env.nothing_stored(), "{run}");
    run
}

#[test]
fn missing_path() {
    let env = TestEnv::new();
    let run = ingest_one_bad_file(&env, &env.dir().join("no/such/file.txt"));
    insta::assert_snapshot!(run.to_string(), @r"
    exit: 2
    --- stdout
    --- stderr
    error: [TMP]/no/such/file.txt: not found
    ");
}

#[test]
fn unreadable_file_by_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let path = env.write("secret.txt", "A headline\n\nThe mayor said so.\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Root reads any file whatever its mode (CI runs as root): the symlink-loop test
        // below covers an unreadable file there.
        crate::common::skip(
            "unreadable_file_by_permissions",
            "this user can read a mode-000 file",
        );
        return;
    }
    let run = ingest_one_bad_file(&env, &path);
    assert!(run.stderr.contains("secret.txt: cannot read"), "{run}");
}

#[test]
fn unreadable_file_a_symlink_loop() {
    let env = TestEnv::new();
    let path = env.dir().join("loop.txt");
    std::os::unix::fs::symlink(&path, &path).unwrap();
    let run = ingest_one_bad_file(&env, &path);
    assert!(run.stderr.starts_with("error: [TMP]/loop.txt: "), "{run}");
}

#[test]
fn not_utf8() {
    let env = TestEnv::new();
    let path = env.write("latin1.txt", b"Caf\xe9 au lait, said the mayor.\n");
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/latin1.txt: not valid UTF-8 text (byte 3)");
}

#[test]
fn empty_file() {
    let env = TestEnv::new();
    let path = env.write("empty.txt", "");
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/empty.txt: empty file, no article text");
}

#[test]
fn binary_file() {
    let env = TestEnv::new();
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    let path = env.write("image.txt", bytes);
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/image.txt: looks like a binary file, not text");
}

#[test]
fn a_50_mb_text_file_is_accepted_whole() {
    // Under read::MAX_FILE_BYTES (64 MiB): stored as one article. Generated here, never
    // committed. Words without sentence ends, so the test measures reading and storing, not
    // the extractor.
    let env = TestEnv::new();
    let line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n";
    let mut text = String::from("A very long article\n\n");
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    let path = env.write("big.txt", &text);
    let run = env.run(&["ingest", &arg(&path)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("articles: 1 new"), "{run}");
    let stored: i64 = env
        .db()
        .query_row("SELECT length(CAST(text AS BLOB)) FROM articles", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(stored > 50 * 1000 * 1000, "{stored}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    // A sparse file: 65 MiB on paper, nothing on disk, refused from its size alone.
    let env = TestEnv::new();
    let path = env.dir().join("huge.txt");
    fs::File::create(&path)
        .unwrap()
        .set_len(claimtrail::read::MAX_FILE_BYTES + 1024 * 1024)
        .unwrap();
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/huge.txt: 68157440 bytes is over the 67108864-byte limit for one file");
}

#[test]
fn broken_front_matter_names_file_and_line() {
    let env = TestEnv::new();
    let path = env.write(
        "broken.txt",
        "---\ntitle: Broken\noutlet The Missing Colon\n---\nThe mayor said so.\n",
    );
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn unclosed_front_matter_names_file_and_line() {
    let env = TestEnv::new();
    let path = env.write(
        "unclosed.md",
        "---\ntitle: Never closed\n\nThe mayor said so.\n",
    );
    let run = ingest_one_bad_file(&env, &path);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn malformed_jsonl_names_the_line_and_the_other_lines_ingest() {
    let env = TestEnv::new();
    let path = env.write(
        "feed.jsonl",
        concat!(
            r#"{"title": "One", "outlet": "Feed News", "text": "The mayor said the budget is balanced."}"#,
            "\n",
            r#"{"title": "Two", "text": "#,
            "\n",
            r#"{"title": "Three", "outlet": "Feed News", "text": "The port said exports rose."}"#,
            "\n",
        ),
    );
    let run = env.run(&["ingest", &arg(&path)]);
    assert_eq!(run.code, 0, "{run}");
    insta::assert_snapshot!(run.to_string());
    assert_eq!(env.counts()["articles"], 2);
}

#[test]
fn a_folder_that_is_not_a_store_is_left_alone() {
    let env = TestEnv::new();
    env.write("store/thesis.docx", "my thesis");
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr);
    let entries: Vec<_> = fs::read_dir(env.store()).unwrap().collect();
    assert_eq!(
        entries.len(),
        1,
        "nothing added to a folder that is not a store"
    );
}

#[test]
fn a_store_path_that_is_a_file() {
    let env = TestEnv::new();
    env.write("store", "not a folder");
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/store: the store path exists and is not a folder");
}

#[test]
fn a_database_file_that_is_not_a_database() {
    let env = TestEnv::new();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    let db = env.write("store/claims.db", &garbage);
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr);
    assert_eq!(
        fs::read(&db).unwrap(),
        garbage,
        "the file is left as it was"
    );
}

#[test]
fn a_database_file_cut_short() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let db = env.store().join("claims.db");
    let len = fs::metadata(&db).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(len / 3)
        .unwrap();
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .starts_with("error: [TMP]/store/claims.db: the store is damaged (database disk image is malformed): run `claimtrail check`"),
        "{run}"
    );
}

#[test]
fn a_database_from_a_newer_claimtrail() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["ingest", "corpus/001_varnholm_terminal_lease.txt"])
            .code,
        0
    );
    let before = env.counts();
    env.db().pragma_update(None, "user_version", 99).unwrap();
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr);
    assert_eq!(env.counts(), before);
    let version: i64 = env
        .db()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99, "a newer database is not touched");
}

#[test]
fn a_database_of_another_program() {
    let env = TestEnv::new();
    fs::create_dir_all(env.store()).unwrap();
    env.db()
        .execute_batch("CREATE TABLE notes (body TEXT);")
        .unwrap();
    let run = env.run(&["ingest", "corpus"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr, @"error: [TMP]/store/claims.db: not a claimtrail database (it belongs to another program)");
}

#[test]
fn a_bad_date_flag() {
    let env = TestEnv::new();
    let run = env.run(&["ingest", "corpus", "--published", "last tuesday"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.contains("cannot read date 'last tuesday'"),
        "{run}"
    );
    assert!(!env.store().exists());
}

#[test]
fn a_bad_pinned_clock() {
    let env = TestEnv::new();
    let output = env
        .command()
        .env("CLAIMTRAIL_NOW", "noon")
        .args(["ingest", "corpus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    insta::assert_snapshot!(stderr, @"error: CLAIMTRAIL_NOW: cannot read 'noon' as an RFC 3339 time (premature end of input)");
}

#[test]
fn every_enum_argument_error_names_the_value_as_typed_and_the_allowed_ones() {
    let env = TestEnv::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["search", "--kind", "rumour"],
            "unknown kind 'rumour' (allowed: direct_quote, indirect, according_to, assertion)",
        ),
        (
            &["search", "kind:rumour"],
            "unknown kind 'rumour' (allowed: direct_quote",
        ),
        (
            &["correct", "1", "--kind", "rumour"],
            "unknown kind 'rumour' (allowed: direct_quote",
        ),
        (
            &["sources", "--kind", "planet"],
            "unknown kind 'planet' (allowed: outlet, person, organization, document, anonymous)",
        ),
        (
            &["search", "--certainty", "sure"],
            "unknown certainty 'sure' (allowed: certain, probable",
        ),
        (
            &["verify", "1", "--status", "maybe"],
            "unknown status 'maybe' (allowed: unverified, confirmed",
        ),
        (
            &["search", "--format", "xml"],
            "invalid value 'xml' for '--format <FORMAT>' (allowed: table, json, csv)",
        ),
        (
            &["report", "--format", "pdf"],
            "(allowed: markdown, html, csv, json, claimreview)",
        ),
        (
            &["search", "--orphaned", "maybe"],
            "(allowed: include, exclude, only)",
        ),
        (
            &["completions", "tcsh"],
            "(allowed: bash, zsh, fish, powershell)",
        ),
    ];
    for (args, expected) in cases {
        let run = env.run(args);
        run.assert_one_line_error(2);
        assert!(run.stderr.contains(expected), "{args:?}: {run}");
        // The type behind the value is the program's business, not the user's.
        for internal in ["claimkind", "sourcekind", "ClaimKind", "SourceKind"] {
            assert!(!run.stderr.contains(internal), "{args:?}: {run}");
        }
    }
}
