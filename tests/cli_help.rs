//! The whole `--help` reference, snapshotted so that any change to it shows in review.

use crate::common::TestEnv;

#[test]
fn help() {
    let env = TestEnv::new();
    for (name, args) in [
        ("help", &["--help"][..]),
        ("help_ingest", &["ingest", "--help"][..]),
        ("help_extract", &["extract", "--help"][..]),
        ("help_search", &["search", "--help"][..]),
        ("help_verify", &["verify", "--help"][..]),
        ("help_report", &["report", "--help"][..]),
        ("help_export", &["export", "--help"][..]),
        ("help_import", &["import", "--help"][..]),
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{run}");
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn a_usage_error_exits_2() {
    let env = TestEnv::new();
    let run = env.run(&["ingest"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("error: the following required arguments"),
        "{run}"
    );
    let run = env.run(&["extract", "x.txt", "--format", "yaml"]);
    assert_eq!(run.code, 2, "{run}");
}

/// A usage error is one line like every other error: the problem, clap's tips, `--help`.
#[test]
fn a_usage_error_is_one_line_with_its_tip() {
    let env = TestEnv::new();
    let run = env.run(&["search", "-peace"]);
    run.assert_one_line_error(2);
    insta::assert_snapshot!(run.stderr, @"error: unexpected argument '-p' found; tip: to pass '-p' as a value, use '-- -p' (see --help)");
    for args in [
        &["ingest"][..],
        &["verify", "1", "--status", "maybe"],
        &["search", "--limit", "x"],
        &["frobnicate"],
    ] {
        env.run(args).assert_one_line_error(2);
    }
}
