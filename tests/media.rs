//! Stores on media that cannot be written: a read-only mount. Read commands open the
//! database read-only and never write the folder, so a store on such media can still be
//! searched, shown, reported and exported. The media are real (a tmpfs mounted on the store
//! folder, remounted read-only), which needs root; elsewhere the tests skip, saying why.

use crate::common::{TestEnv, skip};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs mounted on a folder for the life of the value, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` (as `mount -o size=` spells it) on `dir`, or says why not.
    fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mounting a tmpfs is not permitted here ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs(dir.to_path_buf()))
    }

    /// Remounts it read-only (`ro = true`) or writable.
    fn remount(&self, ro: bool) {
        let mode = if ro { "remount,ro" } else { "remount,rw" };
        let out = Command::new("mount")
            .args(["-o", mode])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The read commands and what each must print on stdout, on a store of the corpus.
const READS: &[&[&str]] = &[
    &["search", "said"],
    &["unconfirmed"],
    &["sources"],
    &["report"],
    &["export"],
    &["check"],
];

#[test]
fn a_store_on_read_only_media_can_be_read_and_exported() {
    let env = TestEnv::new();
    let media = match Tmpfs::mount(&env.store(), "64m") {
        Ok(m) => m,
        Err(why) => {
            return skip(
                "media::a_store_on_read_only_media_can_be_read_and_exported",
                &why,
            );
        }
    };
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let id = env.claim_id("60 percent chance").to_string();
    assert_eq!(env.run(&["verify", &id, "--status", "false"]).code, 0);
    let writable: Vec<String> = READS.iter().map(|args| env.run(args).stdout).collect();
    // A store as copied onto read-only media: no -shm (the last writer to close removes it;
    // the read-only readers above leave theirs, which is removed here, the WAL being empty),
    // and none can be created there.
    let wal = env.store().join("claims.db-wal");
    assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0));
    let _ = std::fs::remove_file(env.store().join("claims.db-shm"));
    let _ = std::fs::remove_file(wal);
    media.remount(true);

    for (args, before) in READS.iter().zip(&writable) {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{args:?} on read-only media: {run}");
        assert_eq!(
            &run.stdout, before,
            "{args:?} reads the same as on writable media"
        );
        assert_eq!(run.stderr, "", "{args:?}");
    }
    let show = env.run(&["show", &id]);
    assert_eq!(show.code, 0, "{show}");
    assert!(show.stdout.contains("status: false"), "{show}");
    // A write is refused in one line, and the store is unchanged.
    let run = env.run(&["verify", &id, "--status", "confirmed"]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(!run.stderr.contains("internal error"), "{run}");
    assert!(env.run(&["show", &id]).stdout.contains("status: false"));
}

#[test]
fn an_index_behind_on_read_only_media_is_searched_as_it_stands_with_a_warning() {
    let env = TestEnv::new();
    let media = match Tmpfs::mount(&env.store(), "64m") {
        Ok(m) => m,
        Err(why) => {
            return skip(
                "media::an_index_behind_on_read_only_media_is_searched_as_it_stands_with_a_warning",
                &why,
            );
        }
    };
    assert_eq!(env.run(&["ingest", "corpus"]).code, 0);
    let id = env.claim_id("60 percent chance");
    // The verdict is committed, its index update fails: the index is one generation behind.
    let out = env
        .command()
        .env("CLAIMTRAIL_FAILPOINTS", "index-commit=enospc")
        .args(["verify", &id.to_string(), "--status", "false"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    media.remount(true);

    let run = env.run(&["search", "60 percent chance", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .starts_with("warning: the search index is behind the database")
            && run.stderr.contains("read-only media")
            && run.stderr.lines().count() == 1,
        "{run}"
    );
    let found: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(crate::common::ids(&found).contains(&id), "{run}");
    // What it prints of a claim comes from the database: the verdict is there.
    let hit = found
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(hit["status"], "false", "{run}");
    // check says the index is behind (exit 1), not an internal error.
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1, "{check}");
    assert!(check.stderr.contains("read-only media"), "{check}");
    // Writable again, the next command catches the index up.
    media.remount(false);
    assert_eq!(env.run(&["check"]).code, 0);
}

/// The binary with `args` on the store at `store` (on a disk of its own, not the test's temp
/// folder): exit code, stdout, stderr as printed.
fn run_on(env: &TestEnv, store: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = env
        .command()
        .env("CLAIMTRAIL_DB", store)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_store_on_a_full_disk_can_be_read_and_exported_to_another_disk() {
    let env = TestEnv::new();
    // The store on its own small disk; the export goes to the test's temp folder.
    let disk = env.dir().join("disk");
    let _media = match Tmpfs::mount(&disk, "3m") {
        Ok(m) => m,
        Err(why) => {
            return skip(
                "media::a_store_on_a_full_disk_can_be_read_and_exported_to_another_disk",
                &why,
            );
        }
    };
    let store = disk.join("store");
    let run = |args: &[&str]| run_on(&env, &store, args);
    assert_eq!(run(&["ingest", "corpus"]).0, Some(0));
    let (code, found, _) = run(&["search", "60 percent chance", "--format", "json"]);
    assert_eq!(code, Some(0));
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    let id = crate::common::ids(&found)[0].to_string();
    assert_eq!(run(&["verify", &id, "--status", "false"]).0, Some(0));
    // Fill the disk to the last block.
    let mut fill = std::fs::File::create(disk.join("fill")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut fill, &block).is_ok() {}
    let _ = std::io::Write::write_all(&mut fill, &[0u8]);
    drop(fill);

    for args in READS.iter().copied().chain([&["show", id.as_str()][..]]) {
        let (code, _, stderr) = run(args);
        assert_eq!(code, Some(0), "{args:?} on a full disk: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
    let export = env.dir().join("export.jsonl");
    let (code, _, stderr) = run(&["export", "-o", &crate::common::arg(&export)]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&export).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.contains("\"verdict\"")).count(),
        1,
        "the verdict is exported"
    );
}

/// What a write command on a full disk must say: one line naming the problem (the disk of
/// the store, or of its index for `reindex`), no "internal error", exit 2.
fn assert_disk_full(args: &[&str], code: Option<i32>, stderr: &str) {
    assert_eq!(code, Some(2), "{args:?} on a full disk: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error: ")
            && (stderr.contains("the disk holding the store is full")
                || (args == ["reindex"]
                    && stderr.contains("the disk holding the search index is full")))
            && stderr.contains("free some space and try again"),
        "{args:?}: {stderr}"
    );
    assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
}

#[test]
fn a_write_on_a_full_disk_says_the_disk_is_full_and_writes_nothing() {
    let env = TestEnv::new();
    let disk = env.dir().join("disk");
    let _media = match Tmpfs::mount(&disk, "3m") {
        Ok(m) => m,
        Err(why) => {
            return skip(
                "media::a_write_on_a_full_disk_says_the_disk_is_full_and_writes_nothing",
                &why,
            );
        }
    };
    let store = disk.join("store");
    let run = |args: &[&str]| {
        let (code, _, stderr) = run_on(&env, &store, args);
        (code, stderr)
    };
    assert_eq!(run(&["ingest", "corpus"]).0, Some(0));
    let db = store.join("claims.db");
    let ids: Vec<String> = rusqlite::Connection::open(&db)
        .unwrap()
        .prepare("SELECT id FROM claims ORDER BY id LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|id| id.unwrap().to_string())
        .collect();
    assert_eq!(run(&["verify", &ids[0], "--status", "false"]).0, Some(0));
    // An export holding a verdict the store has not: importing it has something to write.
    let other = TestEnv::with_corpus();
    assert_eq!(
        other.run(&["verify", &ids[1], "--status", "disputed"]).code,
        0
    );
    let backup = env.dir().join("backup.jsonl");
    assert_eq!(
        other
            .run(&["export", "-o", &crate::common::arg(&backup)])
            .code,
        0
    );
    // A reader holding the database open keeps its -shm at full size, so that a write can
    // get as far as its transaction; it is opened before the disk fills.
    let reader = rusqlite::Connection::open(&db).unwrap();
    let count = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&reader), 1);
    let mut fill = std::fs::File::create(disk.join("fill")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut fill, &block).is_ok() {}
    while std::io::Write::write_all(&mut fill, &[0u8]).is_ok() {}
    drop(fill);
    let article = crate::common::arg(&env.write(
        "new.txt",
        "The port authority said on Monday that the berth would reopen next week, according to Reuters.\n",
    ));
    let writes: [&[&str]; 4] = [
        &[
            "verify",
            &ids[1],
            "--status",
            "confirmed",
            "--note",
            "a note to make it longer",
        ],
        &["alias", "Axios", "Bloomberg"],
        &["ingest", &article],
        &["reindex"],
    ];

    // The database's commit fails (SQLITE_FULL as the WAL grows): rolled back.
    for args in writes {
        let (code, stderr) = run(args);
        assert_disk_full(args, code, &stderr);
    }
    assert_eq!(count(&reader), 1, "nothing written");
    // With no other connection, opening for a write fails first (the -shm cannot be grown).
    drop(reader);
    let import = ["import", &crate::common::arg(&backup)];
    for args in writes.iter().copied().chain([&import[..]]) {
        let (code, stderr) = run(args);
        assert_disk_full(args, code, &stderr);
    }
    std::fs::remove_file(disk.join("fill")).unwrap();
    let reader = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(count(&reader), 1, "nothing written");
}
