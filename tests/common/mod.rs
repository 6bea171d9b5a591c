//! The test environment: every test runs the real `claimtrail` binary on a fresh store in its
//! own temp folder, with a pinned clock, from the repository root (so `corpus/` is at hand),
//! and normalises temp paths before anything is compared or snapshotted.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// What every timestamp written during a test says.
pub const NOW: &str = "2025-11-25T12:00:00Z";

/// Where tests that cannot run here write why (`.ci/run` prints the file after `cargo test`,
/// so a skip is seen in CI's summary and not only under `--nocapture`).
pub fn skipped_file() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt")
}

/// Says that `test` did not run and why: on stdout for `--nocapture`, and as a line of
/// [`skipped_file`] for the summary. Call it and return.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let line = format!("{test}: {why}");
    println!("skipped {line}");
    let _ = std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR"));
    // One write of one line with O_APPEND: lines of tests skipping at once never interleave.
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(skipped_file())
    {
        let _ = f.write_all(format!("{line}\n").as_bytes());
    }
}

/// The articles of the bundled `corpus/` (one per file, one per line of its `.jsonl`).
pub const CORPUS_ARTICLES: usize = 15;

/// The repository root (the tests' working directory).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The temp folder of this test.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The store folder `CLAIMTRAIL_DB` points to (not created until a command creates it).
    pub fn store(&self) -> PathBuf {
        self.dir().join("store")
    }

    /// Writes a file under the temp folder and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        path
    }

    /// The binary, ready to run against this test's store with the pinned clock.
    pub fn command(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_claimtrail"));
        cmd.current_dir(repo())
            .env("CLAIMTRAIL_DB", self.store())
            .env("CLAIMTRAIL_NOW", NOW)
            .env("COLUMNS", "100")
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LOG")
            // A model the user has set up would change what `match` prints.
            .env_remove("CLAIMTRAIL_EMBEDDINGS");
        cmd
    }

    /// Gives each claim, found by words of its text, the verdict the `verify` flags beside it
    /// say, in order.
    pub fn verify_each(&self, verdicts: &[(&str, &[&str])]) {
        for (words, flags) in verdicts {
            let id = self.claim_id(words).to_string();
            let mut args = vec!["verify", id.as_str()];
            args.extend_from_slice(flags);
            let run = self.run(&args);
            assert_eq!(run.code, 0, "{run}");
        }
    }

    /// The binary with `args` on this test's store with the pinned clock, to be spawned and
    /// left running (killed, raced against another): no input, output discarded.
    pub fn background(&self, args: &[&str]) -> std::process::Command {
        use std::process::Stdio;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_claimtrail"));
        cmd.args(args)
            .current_dir(repo())
            .env("CLAIMTRAIL_DB", self.store())
            .env("CLAIMTRAIL_NOW", NOW)
            .env_remove("RUST_BACKTRACE")
            .env_remove("CLAIMTRAIL_EMBEDDINGS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    /// Runs the binary with `args` and captures what the user sees.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command().args(args).output().expect("run claimtrail");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: self.normalise(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.normalise(&String::from_utf8_lossy(&output.stderr)),
        }
    }

    /// Temp and repository paths replaced by `[TMP]` and `[REPO]`, so snapshots hold.
    pub fn normalise(&self, s: &str) -> String {
        let tmp = self.dir().to_string_lossy().into_owned();
        // macOS-style /private prefixes and the like: the canonical form too.
        let canonical = self
            .dir()
            .canonicalize()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| tmp.clone());
        s.replace(&canonical, "[TMP]")
            .replace(&tmp, "[TMP]")
            .replace(&repo().to_string_lossy().into_owned(), "[REPO]")
    }

    /// A connection to this test's database, to look at what was stored.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.store().join("claims.db")).expect("open claims.db")
    }

    /// Row counts of every table; all zero when the store does not exist.
    pub fn counts(&self) -> BTreeMap<&'static str, i64> {
        let tables = [
            "articles",
            "sources",
            "source_aliases",
            "claims",
            "claim_links",
            "verdicts",
            "verdict_evidence",
        ];
        let exists = self.store().join("claims.db").exists();
        let db = exists.then(|| self.db());
        tables
            .into_iter()
            .map(|t| {
                let n = match &db {
                    Some(db) => db
                        .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                        .unwrap_or_else(|e| panic!("count {t}: {e}")),
                    None => 0,
                };
                (t, n)
            })
            .collect()
    }

    /// True when nothing was ever stored: no store, or a store with empty tables.
    pub fn nothing_stored(&self) -> bool {
        self.counts().values().all(|n| *n == 0)
    }
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts a failure is one line on stderr, nothing on stdout, the given exit code,
    /// and never a panic.
    pub fn assert_one_line_error(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "{self}");
        assert!(self.stdout.is_empty(), "{self}");
        assert_eq!(self.stderr.lines().count(), 1, "{self}");
        assert!(self.stderr.starts_with("error: "), "{self}");
        assert!(!self.stderr.contains("panicked"), "{self}");
        self
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "exit: {}", self.code)?;
        writeln!(f, "--- stdout")?;
        write!(f, "{}", self.stdout)?;
        writeln!(f, "--- stderr")?;
        write!(f, "{}", self.stderr)
    }
}

/// A path as a command-line argument.
pub fn arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl TestEnv {
    /// Runs the binary with `args`, asserts it succeeded, and parses its stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{run}");
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{run}"))
    }

    /// A store with the bundled corpus ingested.
    pub fn with_corpus() -> TestEnv {
        let env = TestEnv::new();
        let run = env.run(&["ingest", "corpus"]);
        assert_eq!(run.code, 0, "{run}");
        env
    }

    /// The id of the one claim whose text contains `words`.
    pub fn claim_id(&self, words: &str) -> i64 {
        let ids: Vec<i64> = self
            .db()
            .prepare("SELECT id FROM claims WHERE text LIKE '%' || ?1 || '%' ORDER BY id")
            .unwrap()
            .query_map([words], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!ids.is_empty(), "no claim contains {words:?}");
        ids[0]
    }
}

/// The ids of the claims of a JSON list (`search --format json`).
pub fn ids(json: &serde_json::Value) -> Vec<i64> {
    json.as_array()
        .expect("a JSON array")
        .iter()
        .map(|c| c["id"].as_i64().expect("an id"))
        .collect()
}

impl TestEnv {
    /// `n` small articles, each with an attributed claim.
    pub fn write_articles(&self, folder: &str, n: usize) -> std::path::PathBuf {
        self.write_articles_numbered(folder, 0..n)
    }

    /// The articles numbered `numbers` of [`TestEnv::write_articles`]: the same number is the
    /// same text (so two folders can overlap), different numbers are different articles.
    pub fn write_articles_numbered(
        &self,
        folder: &str,
        numbers: std::ops::Range<usize>,
    ) -> std::path::PathBuf {
        for i in numbers {
            self.write(
                &format!("{folder}/{i:05}.txt"),
                format!(
                    "---\ntitle: Harbour note {i}\noutlet: Batch Wire\npublished: 2025-11-{:02}\n---\n\
                     Harbour master Ilse Varn{i} said berth {i} would reopen on Monday.\n\
                     According to Reuters, the port authority could not confirm the cost of repair {i}.\n",
                    1 + i % 28
                ),
            );
        }
        self.dir().join(folder)
    }

    /// The articles of `write_articles` that `search` finds: the ids of every article with a
    /// claim from Batch Wire.
    pub fn batch_articles_found(&self) -> std::collections::BTreeSet<i64> {
        let found = self.json(&[
            "search",
            "--outlet",
            "Batch Wire",
            "--limit",
            "100000",
            "--format",
            "json",
        ]);
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["article"]["id"].as_i64().unwrap())
            .collect()
    }
}

/// The `--review-url` the tests publish their ClaimReviews under.
pub const REVIEW_URL: &str = "https://factcheck.example/claims/{id}";

/// `--format FORMAT` for `report`, with the `--review-url` that ClaimReview requires.
pub fn format_args(format: &str) -> Vec<&str> {
    let mut args = vec!["--format", format];
    if format == "claimreview" {
        args.extend(["--review-url", REVIEW_URL]);
    }
    args
}
