//! Every command the README shows works as shown: the `claimtrail ...` lines of its ```sh
//! blocks run, in order, against a fresh store from the repository root, and each exits 0.
//! The set-up commands (`cargo ...`) are checked to be the ones `.ci/run` runs.

use crate::common::{TestEnv, repo};

/// The lines of the README's ```sh blocks, comments dropped.
fn sh_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = trimmed == "```sh";
            continue;
        }
        if in_sh {
            // The line as written: joining split words would lose the quotes of
            // multi-word arguments (`--outlet "Fallback Outlet"`).
            if !split(trimmed).is_empty() {
                lines.push(trimmed.to_string());
            }
        }
    }
    lines
}

/// Splits a shell line into words: whitespace separates, double and single quotes group,
/// `#` outside quotes starts a comment. Enough for a README; anything fancier is refused.
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, '#') if word.is_none() => break,
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, '$' | '`' | '|' | '>' | '<' | ';' | '&' | '\\') => {
                panic!("README command needs a real shell, which this test does not run: {line}")
            }
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    assert!(quote.is_none(), "unclosed quote in README command: {line}");
    words.extend(word);
    words
}

#[test]
fn every_claimtrail_command_in_the_readme_works() {
    let env = TestEnv::new();
    let commands: Vec<Vec<String>> = sh_lines()
        .iter()
        .map(|l| split(l))
        .filter(|w| w[0] == "claimtrail")
        .collect();
    assert!(
        commands.len() >= 4,
        "the README shows claimtrail commands: {commands:?}"
    );
    for command in commands {
        let args: Vec<&str> = command[1..].iter().map(String::as_str).collect();
        let run = env.run(&args);
        assert_eq!(
            run.code,
            0,
            "README command `{}` failed:\n{run}",
            command.join(" ")
        );
        assert!(
            !run.stdout.is_empty(),
            "`{}` printed nothing",
            command.join(" ")
        );
    }
}

#[test]
fn the_readme_set_up_commands_are_what_ci_runs() {
    let lines = sh_lines();
    assert!(
        lines.contains(&"cargo run --release -- ingest corpus".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"cargo test".to_string()), "{lines:?}");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    let ci_commands: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("cargo "))
        .collect();
    assert_eq!(
        ci_commands,
        [
            "cargo fmt --check",
            "cargo clippy --all-targets -- -D warnings",
            "cargo test"
        ]
    );
}

#[test]
fn the_readme_splitter_understands_quotes_and_comments() {
    assert_eq!(
        split(r#"claimtrail ingest a --outlet "Fallback Outlet"   # note"#),
        ["claimtrail", "ingest", "a", "--outlet", "Fallback Outlet"]
    );
    assert_eq!(split("# only a comment"), Vec::<String>::new());
    assert_eq!(split("a 'b c'd"), ["a", "b cd"]);
}
