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
        ("help_sources", &["sources", "--help"][..]),
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

/// `completions` prints a script for each shell that names every command; bash's parses.
#[test]
fn completions_for_every_shell_name_every_command() {
    let env = TestEnv::new();
    let commands = ["ingest", "search", "verify", "report", "completions", "man"];
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = env.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{run}");
        for command in commands {
            assert!(run.stdout.contains(command), "{shell}: no {command}");
        }
        if shell == "bash" {
            let script = env.write("claimtrail.bash", &run.stdout);
            let check = std::process::Command::new("bash")
                .arg("-n")
                .arg(&script)
                .output()
                .expect("bash");
            assert!(check.status.success(), "{check:?}");
        }
    }
    env.run(&["completions", "tcsh"]).assert_one_line_error(2);
}

/// `man` prints the main page; `man -o DIR` writes one page per command, each a roff page
/// titled after the command, holding its own options.
#[test]
fn man_pages_for_the_program_and_every_command() {
    let env = TestEnv::new();
    let run = env.run(&["man"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains(".TH claimtrail 1"), "{run}");
    let dir = env.dir().join("man");
    let run = env.run(&["man", "-o", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let help = env.run(&["--help"]).stdout;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for command in ["ingest", "search", "verify", "report", "export", "check"] {
        assert!(help.contains(command));
        let page = std::fs::read_to_string(dir.join(format!("claimtrail-{command}.1")))
            .unwrap_or_else(|e| panic!("no page for {command} in {names:?}: {e}"));
        assert!(
            page.contains(&format!(".TH claimtrail-{command} 1")),
            "{page}"
        );
    }
    let search = std::fs::read_to_string(dir.join("claimtrail-search.1")).unwrap();
    assert!(search.contains("\\-\\-outlet"), "{search}");
    assert!(
        run.stdout
            .starts_with(&format!("wrote {} manual pages", names.len()))
    );
}

/// `sources --help` describes what `sources` prints, not the claim listings' formats
/// (issue 14: it said "one claim a few lines" and "one row per claim").
#[test]
fn sources_help_describes_sources() {
    let env = TestEnv::new();
    let run = env.run(&["sources", "--help"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stdout.contains("claim a few lines"), "{run}");
    assert!(!run.stdout.contains("row per claim"), "{run}");
    assert!(run.stdout.contains("One row per source"), "{run}");
}
