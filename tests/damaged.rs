//! A store with one bad database page (issue 11, rule 11): `export` saves every verdict and
//! what else it can read, exit 1 with a warning per row it skipped or recovered, and its file
//! imports; a write that meets the damage is refused in one line, exit 2, nothing written;
//! `check` names the page. The damage is real: one leaf page of the claims table's b-tree,
//! found from `sqlite_master` and the file's own page headers, overwritten with garbage.

use crate::common::{TestEnv, arg};
use std::io::{Read, Seek, SeekFrom, Write};

/// A b-tree page of a table: interior (0x05) or leaf (0x0d); of an index: 0x02 or 0x0a.
const INTERIOR: u8 = 0x05;
const LEAF: u8 = 0x0d;
const INDEX_INTERIOR: u8 = 0x02;
const INDEX_LEAF: u8 = 0x0a;

/// The leaf pages of the b-tree (of a table or an index) rooted at `root`, in key order.
fn leaves(file: &mut std::fs::File, page_size: u64, root: u32) -> Vec<u32> {
    let mut page = vec![0u8; page_size as usize];
    file.seek(SeekFrom::Start((u64::from(root) - 1) * page_size))
        .unwrap();
    file.read_exact(&mut page).unwrap();
    let u16_at = |i: usize| u16::from_be_bytes([page[i], page[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_be_bytes(page[i..i + 4].try_into().unwrap());
    match page[0] {
        LEAF | INDEX_LEAF => vec![root],
        INTERIOR | INDEX_INTERIOR => {
            let cells = u16_at(3);
            let mut children: Vec<u32> = (0..cells).map(|i| u32_at(u16_at(12 + 2 * i))).collect();
            children.push(u32_at(8));
            children
                .into_iter()
                .flat_map(|c| leaves(file, page_size, c))
                .collect()
        }
        other => panic!("page {root} is no b-tree page (type {other:#x})"),
    }
}

/// The ids of the rows on a table leaf page: each cell is a varint payload size, then the
/// varint rowid.
fn rowids(file: &mut std::fs::File, page_size: u64, leaf: u32) -> Vec<i64> {
    let mut page = vec![0u8; page_size as usize];
    file.seek(SeekFrom::Start((u64::from(leaf) - 1) * page_size))
        .unwrap();
    file.read_exact(&mut page).unwrap();
    let varint = |mut i: usize| -> (i64, usize) {
        let mut v: i64 = 0;
        for n in 0..9 {
            let b = page[i];
            i += 1;
            if n == 8 {
                return ((v << 8) | i64::from(b), i);
            }
            v = (v << 7) | i64::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
        (v, i)
    };
    let cells = u16::from_be_bytes([page[3], page[4]]) as usize;
    (0..cells)
        .map(|i| {
            let at = u16::from_be_bytes([page[8 + 2 * i], page[9 + 2 * i]]) as usize;
            let (_, at) = varint(at);
            varint(at).0
        })
        .collect()
}

/// Overwrites leaf page `which` (in key order) of the b-tree of `name` (a table or an
/// index) with garbage and returns the page's number. Every claimtrail has closed the
/// database, so its WAL is checkpointed into the file first (the damage must be in the
/// file, not under a newer copy of the page).
fn damage_leaf(env: &TestEnv, name: &str, which: usize) -> (std::fs::File, u64, u32) {
    let (root, page_size) = {
        let db = env.db();
        db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        let root: u32 = db
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        let size: u32 = db.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        (root, u64::from(size))
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(env.store().join("claims.db"))
        .unwrap();
    let leaves = leaves(&mut file, page_size, root);
    assert!(leaves.len() > which, "{name}: {leaves:?}");
    (file, page_size, leaves[which])
}

fn overwrite(file: &mut std::fs::File, page_size: u64, page: u32) {
    file.seek(SeekFrom::Start((u64::from(page) - 1) * page_size))
        .unwrap();
    file.write_all(&vec![0x5a; page_size as usize]).unwrap();
    file.sync_all().unwrap();
}

/// Overwrites the second leaf page of `table`'s b-tree with garbage and returns the ids of
/// the rows it held.
fn damage_a_page(env: &TestEnv, table: &str) -> Vec<i64> {
    let (mut file, page_size, leaf) = damage_leaf(env, table, 1);
    let ids = rowids(&mut file, page_size, leaf);
    assert!(!ids.is_empty());
    overwrite(&mut file, page_size, leaf);
    ids
}

/// A store of the corpus where every claim has a verdict, with one page of claims damaged;
/// returns the number of claims and the ids of the claims on the damaged page.
fn judged_and_damaged(env: &TestEnv) -> (usize, Vec<i64>) {
    let claims: Vec<i64> = env
        .db()
        .prepare("SELECT id FROM claims ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut args = vec!["verify".to_string()];
    args.extend(claims.iter().map(i64::to_string));
    args.extend(["--status", "false", "--by", "ana", "--note", "checked"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(env.run(&args).code, 0);
    let lost = damage_a_page(env, "claims");
    (claims.len(), lost)
}

/// Every claim of the corpus given a verdict, then the index of verdicts (`verdicts_by_claim`)
/// damaged: its first leaf page overwritten. Returns the number of verdicts.
fn judged_with_a_damaged_verdict_index(env: &TestEnv) -> usize {
    judged_with_a_damaged_verdict_index_or_links(env, "verdicts_by_claim")
}

/// Every claim of the corpus given a verdict, then a leaf page of `name` (an index, or the
/// table without rowids `claim_links`) overwritten: the second one if it has several.
/// Returns the number of verdicts.
fn judged_with_a_damaged_verdict_index_or_links(env: &TestEnv, name: &str) -> usize {
    let claims: Vec<String> = env
        .db()
        .prepare("SELECT id FROM claims ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|id| id.unwrap().to_string())
        .collect();
    let mut args: Vec<&str> = vec!["verify"];
    args.extend(claims.iter().map(String::as_str));
    args.extend(["--status", "confirmed", "--by", "ana"]);
    assert_eq!(env.run(&args).code, 0);
    let which = usize::from(name == "claim_links");
    let (mut file, page_size, leaf) = damage_leaf(env, name, which);
    overwrite(&mut file, page_size, leaf);
    claims.len()
}

#[test]
fn the_export_of_a_store_with_a_bad_page_holds_every_verdict_and_imports() {
    let env = TestEnv::with_corpus();
    let (claims, lost) = judged_and_damaged(&env);
    let file = env.dir().join("backup.jsonl");
    let run = env.run(&["export", "-o", &arg(&file)]);
    assert_eq!(run.code, 1, "something could not be read as stored: {run}");
    // One warning per claim on the page, then the one-line summary.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), lost.len(), "{run}");
    for id in &lost {
        let line = warnings
            .iter()
            .find(|l| l.starts_with(&format!("warning: claim {id} (article ")))
            .unwrap_or_else(|| panic!("no warning for claim {id}: {run}"));
        assert!(
            line.ends_with(
                "cannot be read (database disk image is malformed); recovered from its article's text"
            ),
            "{run}"
        );
    }
    assert!(
        run.stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("error: the store is damaged: the export holds what could be read"),
        "{run}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let count = |what: &str| text.lines().filter(|l| l.contains(what)).count();
    assert_eq!(
        count("\"type\":\"verdict\""),
        claims,
        "every verdict is exported"
    );
    assert_eq!(count("\"recovered\":true"), lost.len());
    assert_eq!(count("\"type\":\"claim\""), claims);

    // The file imports: a new store gets every verdict, on claims that read as before.
    let restored = TestEnv::new();
    let run = restored.run(&["import", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(restored.counts()["verdicts"], claims as i64);
    assert_eq!(restored.counts()["claims"], claims as i64);
    assert_eq!(restored.run(&["check"]).code, 0);
    let show = restored.run(&["show", &lost[0].to_string()]);
    assert_eq!(show.code, 0, "{show}");
    assert!(show.stdout.contains("status: false"), "{show}");
    assert!(show.stdout.contains("checked"), "{show}");
    // The recovered claims are the claims that were lost: the same keys and texts as in a
    // store ingested from the same files.
    let fresh = TestEnv::with_corpus();
    let key_text = |env: &TestEnv, id: i64| -> (String, String) {
        env.db()
            .query_row(
                "SELECT claim_key, text FROM claims WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    for &id in &lost {
        assert_eq!(key_text(&restored, id), key_text(&fresh, id), "claim {id}");
    }
}

#[test]
fn a_write_that_meets_a_bad_page_is_refused_in_one_line_and_writes_nothing() {
    let env = TestEnv::with_corpus();
    let (claims, lost) = judged_and_damaged(&env);
    let run = env.run(&["verify", &lost[0].to_string(), "--status", "confirmed"]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains("the store is damaged (database disk image is malformed)")
            && run.stderr.contains("run `claimtrail check`")
            && run.stderr.contains("claimtrail export -o FILE"),
        "{run}"
    );
    assert!(!run.stderr.contains("internal error"), "{run}");
    let verdicts: i64 = env
        .db()
        .query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdicts, claims as i64, "nothing written");
}

#[test]
fn check_names_the_bad_page() {
    let env = TestEnv::with_corpus();
    damage_a_page(&env, "claims");
    let check = env.run(&["check"]);
    check.assert_one_line_error(1);
    assert!(
        check.stderr.contains("the database is damaged")
            && check.stderr.contains("the first: claims: Tree ")
            && check
                .stderr
                .contains("btreeInitPage() returns error code 11"),
        "{check}"
    );
}

#[test]
fn the_export_of_a_store_whose_verdict_index_is_damaged_holds_every_verdict() {
    let env = TestEnv::with_corpus();
    let verdicts = judged_with_a_damaged_verdict_index(&env);
    let file = env.dir().join("backup.jsonl");
    let run = env.run(&["export", "-o", &arg(&file)]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.starts_with(
            "warning: the index of verdicts cannot be read (database disk image is malformed); \
             the verdicts table is read instead\n"
        ),
        "{run}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let exported = text
        .lines()
        .filter(|l| l.contains("\"type\":\"verdict\""))
        .count();
    assert_eq!(exported, verdicts, "{run}");
    let restored = TestEnv::new();
    assert_eq!(restored.run(&["import", &arg(&file)]).code, 0);
    assert_eq!(restored.counts()["verdicts"], verdicts as i64);
    // A verdict written now would go into the damaged index: refused, nothing written.
    let run = env.run(&["verify", "1", "--status", "false"]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("the store is damaged"), "{run}");
}

#[test]
fn claims_whose_chains_are_on_a_bad_page_get_their_chains_back_from_the_text() {
    let env = TestEnv::with_corpus();
    let claims = judged_with_a_damaged_verdict_index_or_links(&env, "claim_links");
    let file = env.dir().join("backup.jsonl");
    let run = env.run(&["export", "-o", &arg(&file)]);
    assert_eq!(run.code, 1, "{run}");
    // The first 20 problems are listed, then counted.
    assert!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("warning: claim "))
            .all(|l| l.ends_with(
                "its chain cannot be read (database disk image is malformed); recovered from its article's text"
            )),
        "{run}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let count = |what: &str| text.lines().filter(|l| l.contains(what)).count();
    assert_eq!(count("\"type\":\"verdict\""), claims);
    assert_eq!(count("\"type\":\"claim\""), claims);
    assert!(count("\"recovered\":true") > 0);
    let restored = TestEnv::new();
    assert_eq!(restored.run(&["import", &arg(&file)]).code, 0);
    assert_eq!(restored.counts()["verdicts"], claims as i64);
    // Every chain as ingest made it: the same links as a store ingested from the files.
    let links = |env: &TestEnv| -> Vec<String> {
        env.db()
            .prepare(
                "SELECT claim_id, position, source_id, role, cue, recipient_id, mention_start,
                     mention_end FROM claim_links ORDER BY claim_id, position",
            )
            .unwrap()
            .query_map([], |r| {
                Ok(format!(
                    "{:?}",
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                    )
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(links(&restored), links(&TestEnv::with_corpus()));
}
