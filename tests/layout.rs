//! Tables fit the terminal (issue 14, item 5): at 80 and at 120 columns (`COLUMNS`) no line
//! of `search`, `unconfirmed` or `sources` is wider, long cells end in "…" and long texts
//! wrap at words; `--wide` prints every line whole, as a pipe gets it.

use crate::common::TestEnv;

fn run_at(env: &TestEnv, columns: Option<&str>, args: &[&str]) -> String {
    let mut cmd = env.command();
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The widest line in terminal columns (a wide character takes two).
fn widest(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

/// The words of a table, whatever its line breaks and padding.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn tables_fit_80_and_120_columns_and_wide_prints_them_whole() {
    let env = TestEnv::with_corpus();
    let lists: [&[&str]; 3] = [
        &["search", "Witkoff", "plan", "--limit", "5"],
        &["unconfirmed", "--limit", "5"],
        &["sources", "--kind", "outlet"],
    ];
    for args in lists {
        let whole = run_at(&env, None, args);
        let wide = run_at(&env, Some("80"), &[args, &["--wide"]].concat());
        assert_eq!(wide, whole, "--wide is the table a pipe gets: {args:?}");
        assert!(widest(&whole) > 80, "{args:?} has lines to fit:\n{whole}");
        for columns in [80, 120] {
            let text = run_at(&env, Some(&columns.to_string()), args);
            assert!(widest(&text) <= columns, "{args:?} at {columns}:\n{text}");
            let name = format!("{}_{columns}", args[0]);
            insta::assert_snapshot!(name, text);
            // Wrapped, not cut: with no cell cut, the words are the whole table's, in order.
            if !text.contains('…') {
                assert_eq!(words(&text), words(&whole), "{args:?} at {columns}");
            }
        }
    }
}

/// An orphaned claim keeps its mark at any width: a cut chain must not take it along.
#[test]
fn an_orphaned_claim_is_marked_at_any_width() {
    let env = TestEnv::with_corpus();
    let id = env.claim_id("20-point");
    env.db()
        .execute("UPDATE claims SET orphaned = 1 WHERE id = ?1", [id])
        .unwrap();
    let run = env.run(&["reindex"]);
    assert_eq!(run.code, 0, "{run}");
    for columns in ["40", "60", "80"] {
        let text = run_at(&env, Some(columns), &["search", "20-point"]);
        // Whole, though a narrow table wraps it.
        assert!(
            words(&text)
                .join(" ")
                .contains("(orphaned: no longer found in its article)"),
            "at {columns}:\n{text}"
        );
        assert!(widest(&text) <= columns.parse().unwrap(), "{text}");
    }
}
