//! `claimtrail export` and `claimtrail import`: export, import into an empty store and export
//! again gives the same bytes, and the two stores answer alike; importing twice changes
//! nothing; importing into a store that shares articles adds what it lacks without
//! duplicating or losing a verdict; bad input is one line naming file and line, exit 2, and
//! nothing written; `-o` refuses to overwrite without `--force`. The format is snapshotted.

use crate::common::{TestEnv, arg};
use std::path::{Path, PathBuf};

/// The corpus after a few verdicts (several on one claim, notes, evidence), a real merge of
/// two sources and a name merged into the source it was already another name of (`alias`
/// refuses a name the store does not have), and one claim flagged orphaned.
fn judged() -> TestEnv {
    let env = TestEnv::with_corpus();
    let verdicts: [(&str, &[&str]); 4] = [
        (
            "20-point",
            &[
                "--status",
                "disputed",
                "--by",
                "ana",
                "--note",
                "one outlet only",
            ],
        ),
        (
            "20-point",
            &[
                "--status",
                "confirmed",
                "--by",
                "ben",
                "--note",
                "transcript published",
                "--evidence",
                "https://example.com/transcript",
                "--evidence",
                "https://example.org/call?id=1&lang=en",
            ],
        ),
        ("20-point", &["--status", "disputed", "--by", "ana"]),
        ("Zelenskiy is coming", &["--status", "false", "--by", "ana"]),
    ];
    env.verify_each(&verdicts);
    for (name, canonical) in [
        ("Copper Valley Times", "The Copper Valley Times"),
        ("Witkoff", "Steve Witkoff"),
    ] {
        let run = env.run(&["alias", name, canonical]);
        assert_eq!(run.code, 0, "{run}");
    }
    // No command orphans a claim without a new extractor: set the flag directly (and
    // rebuild the index, which the database changed behind), so the round trip carries it.
    env.db()
        .execute(
            "UPDATE claims SET orphaned = 1 WHERE id = (SELECT max(id) FROM claims)",
            [],
        )
        .unwrap();
    assert_eq!(env.run(&["reindex"]).code, 0);
    env
}

/// Exports the store of `env` to a file in its temp folder and returns the path.
fn export_to(env: &TestEnv, name: &str) -> PathBuf {
    let file = env.dir().join(name);
    let run = env.run(&["export", "-o", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.is_empty(), "{run}");
    file
}

/// The export on stdout, as bytes (not normalised: the bytes are the point).
fn export_bytes(env: &TestEnv) -> Vec<u8> {
    let out = env.command().arg("export").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

/// A copy of `file` in the temp folder of `env`, so that messages show it as `[TMP]/...`.
fn copy_into(env: &TestEnv, file: &Path) -> PathBuf {
    let copy = env.dir().join(file.file_name().unwrap());
    std::fs::copy(file, &copy).unwrap();
    copy
}

fn import(env: &TestEnv, file: &Path) -> crate::common::Run {
    let run = env.run(&["import", &arg(file)]);
    assert_eq!(run.code, 0, "{run}");
    run
}

fn generation(env: &TestEnv) -> i64 {
    env.db()
        .query_row("SELECT generation FROM meta", [], |r| r.get(0))
        .unwrap()
}

/// Every verdict of the store by what identifies it (the claim by its article's hash and its
/// key), sorted: equal for two stores holding the same histories, whatever their ids.
fn verdicts(env: &TestEnv) -> Vec<String> {
    let mut out: Vec<String> = env
        .db()
        .prepare(
            "SELECT a.content_hash || ' ' || c.claim_key || ' ' || v.status || ' '
                 || coalesce(v.note, '-') || ' ' || coalesce(v.reviewer, '-') || ' '
                 || v.created_at || ' ' || coalesce((SELECT group_concat(url, ',') FROM
                     (SELECT url FROM verdict_evidence e WHERE e.verdict_id = v.id
                      ORDER BY position)), '-')
             FROM verdicts v JOIN claims c ON c.id = v.claim_id
             JOIN articles a ON a.id = c.article_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    out.sort();
    out
}

/// Every claim of the store by what identifies it, sorted.
fn claim_keys(env: &TestEnv) -> Vec<String> {
    let mut out: Vec<String> = env
        .db()
        .prepare(
            "SELECT a.content_hash || ' ' || c.claim_key FROM claims c
             JOIN articles a ON a.id = c.article_id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    out.sort();
    out
}

#[test]
fn export_import_export_gives_the_same_bytes_and_the_same_answers() {
    let a = judged();
    let file = export_to(&a, "a.jsonl");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        export_bytes(&a),
        bytes,
        "stdout and -o write the same bytes"
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    for record in [
        "\"type\":\"source\"",
        "\"type\":\"source_merge\",\"name\":\"Copper Valley Times\"",
        "\"type\":\"source_merge\",\"name\":\"Witkoff\"",
        "\"type\":\"article\"",
        "\"type\":\"claim\"",
        "\"orphaned\":true",
        "\"evidence\":[\"https://example.com/transcript\",\"https://example.org/call?id=1&lang=en\"]",
        "\"type\":\"end\"",
    ] {
        assert!(text.contains(record), "the export holds {record}");
    }

    let b = TestEnv::new();
    let run = import(&b, &copy_into(&b, &file));
    insta::assert_snapshot!("import_into_an_empty_store", run.to_string());
    assert_eq!(
        export_bytes(&b),
        bytes,
        "export → import → export: same bytes"
    );
    assert_eq!(b.counts(), a.counts());

    let check = b.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
    assert!(check.stdout.contains("index: up to date"), "{check}");
    let judged_claim = a.claim_id("20-point").to_string();
    for args in [
        &["search", "Witkoff", "--format", "json"][..],
        &["search", "status:disputed", "--format", "json"][..],
        &[
            "search",
            "--outlet",
            "Copper Valley Times",
            "--format",
            "json",
        ][..],
        &["search", "--source", "Witkoff", "--format", "json"][..],
        &["unconfirmed", "--limit", "1000", "--format", "csv"][..],
        &["sources", "--format", "json"][..],
        &["show", &judged_claim][..],
        &["show", "1"][..],
        &["report", "--format", "json"][..],
    ] {
        let (on_a, on_b) = (a.run(args), b.run(args));
        assert_eq!(on_a.code, 0, "{on_a}");
        assert_eq!(on_a.stdout, on_b.stdout, "{args:?}");
    }
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let a = judged();
    let file = export_to(&a, "a.jsonl");
    let b = TestEnv::new();
    import(&b, &file);
    let (counts, generation_before, bytes) = (b.counts(), generation(&b), export_bytes(&b));
    let run = import(&b, &file);
    assert!(
        run.stdout.contains("into a store that was not empty"),
        "{run}"
    );
    for line in [
        "articles:      0 new, 15 already stored",
        "verdicts:      0 new, 4",
    ] {
        assert!(run.stdout.contains(line), "{run}");
    }
    assert_eq!(b.counts(), counts);
    assert_eq!(generation(&b), generation_before, "not even the generation");
    assert_eq!(export_bytes(&b), bytes);
    // The store it came from, too.
    let (counts, generation_before) = (a.counts(), generation(&a));
    let run = import(&a, &file);
    assert!(run.stdout.contains("claims:        0 new"), "{run}");
    assert_eq!(a.counts(), counts);
    assert_eq!(generation(&a), generation_before);
}

/// Verifies the claim holding `words` with `args`.
fn verify(env: &TestEnv, words: &str, args: &[&str]) {
    let id = env.claim_id(words).to_string();
    let mut command = vec!["verify", id.as_str()];
    command.extend_from_slice(args);
    let run = env.run(&command);
    assert_eq!(run.code, 0, "{run}");
}

fn ingest(env: &TestEnv, files: &[&str]) {
    let mut command = vec!["ingest"];
    command.extend_from_slice(files);
    let run = env.run(&command);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn importing_another_store_adds_what_it_lacks_without_duplicating_or_losing_a_verdict() {
    let seed = "corpus/000_a839bff65d798603.txt";
    let envoy = "corpus/003_envoy_denies_lobbying.txt";
    let a = TestEnv::new();
    ingest(&a, &[seed, envoy, "corpus/001_varnholm_terminal_lease.txt"]);
    let b = TestEnv::new();
    // Another order, so the shared claims have other ids in B.
    ingest(&b, &["corpus/002_selvik_insurer_reuters.txt", envoy, seed]);
    let disputed = [
        "--status",
        "disputed",
        "--by",
        "ana",
        "--note",
        "one outlet",
    ];
    verify(&a, "20-point", &disputed);
    verify(&b, "20-point", &disputed);
    verify(
        &b,
        "20-point",
        &[
            "--status",
            "confirmed",
            "--by",
            "ben",
            "--evidence",
            "https://example.com/transcript",
        ],
    );
    verify(
        &a,
        "Zelenskiy is coming",
        &["--status", "false", "--by", "ana"],
    );
    let only_a = first_claim_text(&a, "corpus/001_varnholm_terminal_lease.txt");
    verify(&a, &only_a, &["--status", "confirmed", "--by", "ana"]);
    let only_b = first_claim_text(&b, "corpus/002_selvik_insurer_reuters.txt");
    verify(&b, &only_b, &["--status", "unconfirmable", "--by", "ben"]);

    let (verdicts_a, verdicts_b) = (verdicts(&a), verdicts(&b));
    assert_eq!((verdicts_a.len(), verdicts_b.len()), (3, 3));
    let mut union: Vec<String> = verdicts_a.iter().chain(&verdicts_b).cloned().collect();
    union.sort();
    union.dedup(); // the disputed verdict both stores hold, alike to the second
    assert_eq!(union.len(), 5);
    let mut claims: Vec<String> = claim_keys(&a).into_iter().chain(claim_keys(&b)).collect();
    claims.sort();
    claims.dedup();

    let from_a = copy_into(&b, &export_to(&a, "a.jsonl"));
    let from_b = copy_into(&a, &export_to(&b, "b.jsonl"));
    let run = import(&a, &from_b);
    insta::assert_snapshot!("import_into_a_store_sharing_articles", run.to_string());
    assert_eq!(verdicts(&a), union, "every verdict, once");
    assert_eq!(claim_keys(&a), claims, "every claim, once");
    assert_eq!(a.counts()["articles"], 4);
    // The other way round gives the same union.
    import(&b, &from_a);
    assert_eq!(verdicts(&b), union);
    assert_eq!(claim_keys(&b), claims);

    // B's later verdict was appended after A's history: the shared claim is confirmed now,
    // and the index saw it.
    let shared = a.claim_id("20-point").to_string();
    let show = a.run(&["show", &shared]);
    let history = &show.stdout[show.stdout.find("verdicts, newest first").unwrap()..];
    insta::assert_snapshot!("merged_history", history);
    let confirmed = a.json(&["search", "status:confirmed", "--format", "json"]);
    assert!(
        crate::common::ids(&confirmed).contains(&shared.parse().unwrap()),
        "{confirmed}"
    );
    for env in [&a, &b] {
        let check = env.run(&["check"]);
        assert_eq!(check.code, 0, "{check}");
    }

    // Again: nothing changes.
    let (counts, generation_before) = (a.counts(), generation(&a));
    import(&a, &from_b);
    import(&a, &from_a);
    assert_eq!(a.counts(), counts);
    assert_eq!(generation(&a), generation_before);
}

/// The text of the first claim of the article read from `file`, to find it with
/// [`TestEnv::claim_id`].
fn first_claim_text(env: &TestEnv, file: &str) -> String {
    env.db()
        .query_row(
            "SELECT c.text FROM claims c JOIN articles a ON a.id = c.article_id
             WHERE a.source_path = ?1 ORDER BY c.id LIMIT 1",
            [file],
            |r| r.get(0),
        )
        .unwrap()
}

/// The lines of an export as JSON values, to make bad files from.
fn records(file: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write_records(env: &TestEnv, name: &str, records: &[serde_json::Value]) -> PathBuf {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    env.write(name, text)
}

#[test]
fn bad_input_is_one_line_naming_file_and_line_and_writes_nothing() {
    let a = judged();
    let file = export_to(&a, "a.jsonl");
    let good = records(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    let last = good.len();
    // The line of the last claim, deep in the file: everything before it was imported when
    // it fails, and must be rolled back.
    let last_claim = good.iter().rposition(|r| r["type"] == "claim").unwrap();

    let mut cases: Vec<(PathBuf, String)> = Vec::new();
    let mut case = |name: &str, content: String, expected: String| {
        cases.push((a.write(name, content), expected));
    };
    case(
        "article.txt",
        std::fs::read_to_string("corpus/003_envoy_denies_lobbying.txt").unwrap(),
        "article.txt:1: not a claimtrail export".into(),
    );
    case(
        "other.jsonl",
        "{\"format\":\"something-else\",\"version\":1}\n".into(),
        "other.jsonl:1: not a claimtrail export (format 'something-else')".into(),
    );
    case(
        "newer.jsonl",
        text.replacen("\"version\":4", "\"version\":5", 1),
        "newer.jsonl:1: written by a newer claimtrail (export format version 5".into(),
    );
    case(
        "empty.jsonl",
        String::new(),
        "empty.jsonl:1: empty file".into(),
    );
    // Cut inside a line, and at a line end before the end record.
    let mut cut = text.len() * 2 / 3;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    case("cut.jsonl", text[..cut].to_string(), "cut.jsonl:".into());
    let lines: Vec<&str> = text.lines().collect();
    case(
        "cut_at_line.jsonl",
        lines[..last - 1].iter().map(|l| format!("{l}\n")).collect(),
        format!(
            "cut_at_line.jsonl:{}: the file ends before its end record",
            last - 1
        ),
    );
    case(
        "not_json.jsonl",
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 3 {
                    "{oops\n".into()
                } else {
                    format!("{l}\n")
                }
            })
            .collect(),
        "not_json.jsonl:4: not JSON".into(),
    );
    let mut bad = good.clone();
    bad[last_claim]["article"] = 99999.into();
    cases.push((
        write_records(&a, "missing_article.jsonl", &bad),
        format!(
            "missing_article.jsonl:{}: refers to article 99999, which no line before it defines",
            last_claim + 1
        ),
    ));
    let mut bad = good.clone();
    bad[last_claim]["chain"][0]["source"] = 99999.into();
    cases.push((
        write_records(&a, "missing_source.jsonl", &bad),
        format!(
            "missing_source.jsonl:{}: refers to source 99999",
            last_claim + 1
        ),
    ));
    // A claim of the article the second store below already holds: refused there too.
    let mut bad = good.clone();
    let envoy = bad
        .iter()
        .position(|r| r["source_path"] == "corpus/003_envoy_denies_lobbying.txt")
        .unwrap();
    bad[envoy + 1]["chain"][0]["recipient"] = 88888.into();
    cases.push((
        write_records(&a, "missing_recipient.jsonl", &bad),
        format!(
            "missing_recipient.jsonl:{}: refers to source 88888",
            envoy + 2
        ),
    ));
    let mut bad = good.clone();
    let verdict = bad.iter().position(|r| r["type"] == "verdict").unwrap();
    bad[verdict]["status"] = "maybe".into();
    cases.push((
        write_records(&a, "bad_status.jsonl", &bad),
        format!(
            "bad_status.jsonl:{}: not a valid record (unknown variant `maybe`",
            verdict + 1
        ),
    ));
    let mut bad = good.clone();
    let verdict = bad.iter().position(|r| r["type"] == "verdict").unwrap();
    bad[verdict]["evidence"] = serde_json::json!(["javascript:alert(1)"]);
    cases.push((
        write_records(&a, "bad_evidence.jsonl", &bad),
        format!(
            "bad_evidence.jsonl:{}: evidence 'javascript:alert(1)' is not an http(s) url",
            verdict + 1
        ),
    ));
    let mut bad = good.clone();
    bad[last_claim]["sentence_span"] = serde_json::json!([10, 2]);
    cases.push((
        write_records(&a, "bad_span.jsonl", &bad),
        format!(
            "bad_span.jsonl:{}: the record breaks a rule of the store",
            last_claim + 1
        ),
    ));
    let mut bad = good.clone();
    bad[last - 1]["verdicts"] = 99.into();
    cases.push((
        write_records(&a, "bad_count.jsonl", &bad),
        format!("bad_count.jsonl:{last}: the end record counts"),
    ));
    let mut bad = good.clone();
    bad.push(good[1].clone());
    cases.push((
        write_records(&a, "after_end.jsonl", &bad),
        format!("after_end.jsonl:{}: a line after the end record", last + 1),
    ));
    cases.push((
        a.write("binary.jsonl", b"\xff\xfe\x00\x01\n"),
        "binary.jsonl:1: not valid UTF-8 text".into(),
    ));
    cases.push((
        a.dir().join("missing.jsonl"),
        "missing.jsonl: not found".into(),
    ));

    // Into an empty store (everything would be new) and into one that already holds one
    // article of the file (some would be matched): nothing is written either way.
    let empty = TestEnv::new();
    let partial = TestEnv::new();
    ingest(&partial, &["corpus/003_envoy_denies_lobbying.txt"]);
    for env in [&empty, &partial] {
        let counts = env.counts();
        let generation_before = (!env.nothing_stored()).then(|| generation(env));
        for (path, expected) in &cases {
            let run = env.run(&["import", &arg(path)]);
            run.assert_one_line_error(2);
            assert!(
                run.stderr.contains(&format!("/{expected}")),
                "expected {expected:?}:\n{run}"
            );
            assert_eq!(env.counts(), counts, "{path:?} wrote something");
            if let Some(before) = generation_before {
                assert_eq!(generation(env), before);
            }
        }
    }
    assert!(empty.nothing_stored());
    // The good file still imports.
    import(&empty, &file);
    assert_eq!(export_bytes(&empty), std::fs::read(&file).unwrap());
}

#[test]
fn export_to_a_file_refuses_to_overwrite_without_force() {
    let env = judged();
    let file = export_to(&env, "out.jsonl");
    let bytes = std::fs::read(&file).unwrap();
    // No temp file left beside it.
    let names: Vec<String> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    std::fs::write(&file, "keep me").unwrap();
    let run = env.run(&["export", "-o", &arg(&file)]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("exists; add --force"), "{run}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    let run = env.run(&["export", "-o", &arg(&file), "--force"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(std::fs::read(&file).unwrap(), bytes);

    let missing = env.dir().join("no/such/folder/e.jsonl");
    let run = env.run(&["export", "-o", &arg(&missing)]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains("no such folder to write the export into"),
        "{run}"
    );
    let run = env.run(&["export", "--force"]);
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn the_export_format_of_one_small_article() {
    let env = TestEnv::new();
    let article = env.write(
        "bridge.md",
        "---\ntitle: Harbour bridge to close for repairs\noutlet: Coastline Wire\n\
         published: 2025-11-20\nurl: https://example.com/bridge\n---\n\
         The city will close the harbour bridge for repairs in March, Mayor Lena Ortiz said \
         on Monday. \"We have no other choice,\" Ortiz told reporters. The closure could last \
         six weeks, according to people familiar with the plan.\n",
    );
    let run = env.run(&["ingest", &arg(&article)]);
    assert_eq!(run.code, 0, "{run}");
    verify(
        &env,
        "close the harbour bridge",
        &[
            "--status",
            "confirmed",
            "--by",
            "ana",
            "--note",
            "council minutes",
            "--evidence",
            "https://example.com/minutes",
        ],
    );
    // A name the store has (the short form of the mayor's name, after ingest): `alias`
    // refuses one no source has.
    let run = env.run(&["alias", "Ortiz", "Lena Ortiz"]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&["export"]);
    assert_eq!(run.code, 0, "{run}");
    let header = run.stdout.lines().next().unwrap();
    insta::assert_snapshot!("export_header", header);
    insta::assert_snapshot!("export_of_one_small_article", run.stdout);
}

/// `tests/fixtures/export_v1.jsonl` is an export of format version 1 (the article of the
/// test above, ingested as `bridge.md`; the README imports it): it must keep importing, and
/// export again byte for byte but what versions 2 to 4 added (the header's version, the
/// counts of corrections, article changes and source changes in the end record; the counts
/// of story changes and fact-checks of versions 3 and 4 are written only when there are some).
#[test]
fn a_version_1_export_imports_and_exports_again_unchanged() {
    let fixture = crate::common::repo().join("tests/fixtures/export_v1.jsonl");
    let env = TestEnv::new();
    let run = import(&env, &fixture);
    assert!(run.stdout.contains("claims:        3 new"), "{run}");
    assert_eq!(env.run(&["check"]).code, 0);
    let show = env.run(&["show", "1"]);
    assert!(
        show.stdout.contains("confirmed by ana: council minutes"),
        "{show}"
    );
    // Byte for byte but the header's schema version, which is the exporting store's.
    let fixture = String::from_utf8(std::fs::read(&fixture).unwrap()).unwrap();
    let current = format!("\"schema\":{}}}", claimtrail::store::SCHEMA_VERSION);
    let expected = fixture
        .replacen("\"schema\":2}", &current, 1)
        .replacen("\"version\":1,", "\"version\":4,", 1)
        .replacen(
            "}\n",
            ",\"corrections\":0,\"article_changes\":0,\"source_changes\":0}\n",
            usize::MAX,
        );
    // Only the end record gains the count: put every other line back.
    let expected: String = expected
        .lines()
        .map(|l| {
            if l.starts_with("{\"type\":\"end\"") {
                l.to_string()
            } else {
                l.replacen(
                    ",\"corrections\":0,\"article_changes\":0,\"source_changes\":0}",
                    "}",
                    1,
                )
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_eq!(String::from_utf8(export_bytes(&env)).unwrap(), expected);
}

/// Two identical verdicts (the same reviewer, status and note in the same second) in a file
/// are two entries of the history: a store holding one of them gets the other, and only it.
/// (`verify` does not write such a pair: the second is a retry, "already recorded".)
#[test]
fn identical_verdicts_are_counted_not_collapsed() {
    let seed = "corpus/000_a839bff65d798603.txt";
    let once = TestEnv::new();
    ingest(&once, &[seed]);
    let confirmed = ["--status", "confirmed", "--by", "ana", "--note", "seen"];
    verify(&once, "20-point", &confirmed);
    let exported = export_to(&once, "once.jsonl");
    // The same verdict twice in the file, as a store that holds it twice exports it.
    let mut records: Vec<serde_json::Value> = std::fs::read_to_string(&exported)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let at = records.iter().position(|r| r["type"] == "verdict").unwrap();
    let mut second = records[at].clone();
    second["id"] = 999.into();
    second["seq"] = 1.into();
    records.insert(at + 1, second);
    let last = records.len() - 1;
    records[last]["verdicts"] = 2.into();
    let file = write_records(&once, "twice.jsonl", &records);

    let run = import(&once, &file);
    assert!(
        run.stdout
            .contains("verdicts:      1 new, 1 already stored"),
        "{run}"
    );
    assert_eq!(once.counts()["verdicts"], 2);
    import(&once, &file);
    assert_eq!(once.counts()["verdicts"], 2);
}
