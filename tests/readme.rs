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
    // The commands run where a user runs them, a folder of their own holding the repository's
    // `corpus/` and `tests/` (linked): a `--db fixture-store` of the tour lands there, never in
    // the repository.
    let cwd = env.dir().join("work");
    std::fs::create_dir_all(&cwd).unwrap();
    for folder in ["corpus", "tests"] {
        link(&repo().join(folder), &cwd.join(folder));
    }
    for command in commands {
        let args: Vec<&str> = command[1..].iter().map(String::as_str).collect();
        if args.first() == Some(&"serve") {
            serves(&env, &cwd, &args);
            continue;
        }
        let output = env
            .command()
            .current_dir(&cwd)
            .args(&args)
            .output()
            .expect("run claimtrail");
        let run = crate::common::Run {
            code: output.status.code().unwrap_or(-1),
            stdout: env.normalise(&String::from_utf8_lossy(&output.stdout)),
            stderr: env.normalise(&String::from_utf8_lossy(&output.stderr)),
        };
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
    // The tour leaves the user's store as the corpus made it plus their own work: the test
    // fixture went into a store of its own.
    let articles = env.json(&["articles", "--format", "json"]);
    assert!(
        articles
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["title"] != "Harbour bridge to close for repairs"),
        "the fixture's article is in the user's store: {articles}"
    );
}

/// A `claimtrail serve` of the README: started (on a free port unless the README names
/// one), its search page fetched, stopped with SIGTERM, and exited 0.
fn serves(env: &TestEnv, cwd: &std::path::Path, args: &[&str]) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_claimtrail"));
    cmd.args(args)
        .current_dir(cwd)
        .env("CLAIMTRAIL_DB", env.store())
        .env("CLAIMTRAIL_NOW", crate::common::NOW)
        .stderr(std::process::Stdio::null());
    if !args.contains(&"--addr") {
        cmd.env("CLAIMTRAIL_ADDR", "127.0.0.1:0");
    }
    let (mut child, url) = claimtrail::bench::desk::spawn_desk(cmd)
        .unwrap_or_else(|e| panic!("README `claimtrail {}`: {e:#}", args.join(" ")));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let status = agent.get(&url).call().expect("GET the desk").status();
    #[cfg(unix)]
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    #[cfg(not(unix))]
    let _ = child.kill();
    let exit = child.wait().unwrap();
    assert_eq!(
        status.as_u16(),
        200,
        "README `claimtrail {}`",
        args.join(" ")
    );
    assert!(
        exit.success(),
        "README `claimtrail {}` exited {exit}",
        args.join(" ")
    );
}

#[cfg(unix)]
fn link(from: &std::path::Path, to: &std::path::Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[cfg(windows)]
fn link(from: &std::path::Path, to: &std::path::Path) {
    std::os::windows::fs::symlink_dir(from, to).unwrap();
}

/// The ingest summary the README shows is what `ingest corpus` prints today: its counts line
/// for line, the elided outlets (`...`) aside.
#[test]
fn the_ingest_summary_the_readme_shows_is_todays() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split("### `claimtrail ingest PATH...`")
        .nth(1)
        .expect("the README has an ingest section");
    let shown = section
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the ingest section shows its summary");
    let env = TestEnv::new();
    let run = env.run(&["ingest", "corpus"]);
    assert_eq!(run.code, 0, "{run}");
    let store = env.store().to_string_lossy().into_owned();
    let printed = run.stdout.replace(&env.normalise(&store), "./.claimtrail");
    let printed: Vec<&str> = printed.lines().collect();
    let mut at = 0;
    for line in shown.lines().filter(|l| l.trim() != "...") {
        match printed[at..].iter().position(|p| *p == line) {
            Some(i) => at += i + 1,
            None => panic!(
                "the README shows {line:?}, which ingest corpus no longer prints (in this order):\n{}",
                printed.join("\n")
            ),
        }
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
