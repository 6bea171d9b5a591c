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

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
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
            // Every word of the whole table is there (wrapped, not cut), but for cells cut
            // with "…".
            let cut = text.matches('…').count();
            let name = format!("{}_{columns}", args[0]);
            insta::assert_snapshot!(name, text);
            if args[0] != "sources" {
                assert_eq!(cut, 0, "claim texts wrap, not cut: {text}");
            }
        }
    }
}
