//! Nothing a user or a file supplies can drive the terminal (issue 11, items 7 and 8): a
//! note or a reviewer with escape sequences and bells, an imported record holding them, a
//! title with a carriage return, a source name with a bidi override, an environment
//! variable: every command that shows them prints them as visible escapes, on stdout and
//! stderr alike; values quoted in errors are cut as file values are; CSV cells that a
//! spreadsheet would read as formulas are neutralised.

use crate::common::{Run, TestEnv, arg, repo};
/// The characters that must not reach a terminal raw, written out here rather than taken
/// from the program, so that the test does not trust what it tests: controls, bidi
/// controls, zero-width and invisible characters, line and paragraph separators.
fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// Every character of `s` that may drive a terminal or hide text: all but line feeds and
/// tabs, which are the layout of the output.
fn hazards(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| *c != '\n' && *c != '\t' && is_hazard(*c))
        .collect()
}

fn assert_inert(what: &str, run: &Run) {
    assert!(
        hazards(&run.stdout).is_empty(),
        "{what}: stdout holds {:?}\n{run}",
        hazards(&run.stdout)
    );
    assert!(
        hazards(&run.stderr).is_empty(),
        "{what}: stderr holds {:?}\n{run}",
        hazards(&run.stderr)
    );
}

/// A hostile note: clears the screen, moves home, writes a false status and rings.
const NOTE: &str = "\u{1b}[2J\u{1b}[Hstatus: confirmed\u{7} \u{9b}31m\rover\u{202e}desrever";

/// Runs every command that shows stored text, in every format, and checks it is inert.
fn every_output_is_inert(env: &TestEnv, claim: &str) {
    let dir = env.dir().to_path_buf();
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("show", vec!["show".into(), claim.into()]),
        ("search", vec!["search".into()]),
        (
            "search json",
            vec!["search".into(), "--format".into(), "json".into()],
        ),
        (
            "search csv",
            vec!["search".into(), "--format".into(), "csv".into()],
        ),
        (
            "unconfirmed",
            vec!["unconfirmed".into(), "--status".into(), "disputed".into()],
        ),
        ("sources", vec!["sources".into()]),
        (
            "sources json",
            vec!["sources".into(), "--format".into(), "json".into()],
        ),
        (
            "sources csv",
            vec!["sources".into(), "--format".into(), "csv".into()],
        ),
        ("export", vec!["export".into()]),
    ];
    let mut runs = runs;
    for format in ["markdown", "html", "csv", "json", "claimreview"] {
        let format_args: Vec<String> = crate::common::format_args(format)
            .into_iter()
            .map(String::from)
            .collect();
        runs.push((
            "report",
            [vec!["report".into()], format_args.clone()].concat(),
        ));
        let out = arg(&dir.join(format!("report.{format}")));
        runs.push((
            "report -o",
            [
                vec!["report".into()],
                format_args,
                vec!["-o".into(), out, "--force".into()],
            ]
            .concat(),
        ));
    }
    for (what, args) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = env.run(&args);
        assert!(run.code == 0 || run.code == 1, "{what}: {run}");
        assert_inert(&format!("{what} {args:?}"), &run);
    }
    for format in ["markdown", "html", "csv", "json", "claimreview"] {
        let written = std::fs::read_to_string(dir.join(format!("report.{format}"))).unwrap();
        assert!(
            hazards(&written).is_empty(),
            "report.{format}: {:?}",
            hazards(&written)
        );
    }
}

#[test]
fn a_crafted_note_and_reviewer_never_reach_the_terminal_raw() {
    let env = TestEnv::new();
    let folder = env.write_articles("in", 1);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    let id = env.claim_id("berth").to_string();
    let by = "ana\u{1b}]0;owned\u{7}\u{202e}";
    let run = env.run(&[
        "verify", &id, "--status", "disputed", "--note", NOTE, "--by", by,
    ]);
    assert_eq!(run.code, 0, "{run}");
    assert_inert("verify", &run);
    assert!(
        run.stdout
            .contains("by ana\\u{1b}]0;owned\\u{7}\\u{202e} at"),
        "{run}"
    );
    // Stored as given: the database keeps what the fact-checker typed.
    let note: String = env
        .db()
        .query_row("SELECT note FROM verdicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(note, NOTE);
    let show = env.run(&["show", &id]);
    assert!(
        show.stdout.contains(
            "\\u{1b}[2J\\u{1b}[Hstatus: confirmed\\u{7} \\u{9b}31m over\\u{202e}desrever"
        ),
        "{show}"
    );
    // The reviewer from the environment, when --by is not given.
    let run = env
        .command()
        .args(["verify", &id, "--status", "disputed"])
        .env("USER", "eve\u{1b}[31m")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(hazards(&stdout).is_empty(), "{stdout}");
    assert!(stdout.contains("by eve\\u{1b}[31m at"), "{stdout}");
    every_output_is_inert(&env, &id);
    // The JSON outputs keep the value: parsed back, it is the note as typed.
    let found = env.json(&["report", "--format", "json"]);
    assert_eq!(found["claims"][0]["verdicts"][1]["note"], NOTE);
}

#[test]
fn an_imported_record_with_escapes_and_bidi_is_shown_inert() {
    let fixture = repo().join("tests/fixtures/export_v1.jsonl");
    let mut lines: Vec<serde_json::Value> = std::fs::read_to_string(fixture)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for r in &mut lines {
        match r["type"].as_str() {
            Some("verdict") => {
                r["note"] = NOTE.into();
                r["reviewer"] = "ana\u{7}\u{200b}".into();
            }
            Some("source") if r["name"] == "Lena Ortiz" => r["name"] = "Lena \u{202e}zitrO".into(),
            Some("article") => r["title"] = "Harbour bridge\rFAKE: all confirmed".into(),
            _ => {}
        }
    }
    let env = TestEnv::new();
    let text: String = lines.iter().map(|r| format!("{r}\n")).collect();
    let file = env.write("hostile.jsonl", text);
    let run = env.run(&["import", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert_inert("import", &run);
    every_output_is_inert(&env, "1");
    let show = env.run(&["show", "1"]);
    assert!(
        show.stdout.contains("Lena \\u{202e}zitrO (person)"),
        "{show}"
    );
    assert!(
        show.stdout.contains("Harbour bridge FAKE: all confirmed"),
        "{show}"
    );
    // An export of it imports again as the same data: the escapes are JSON's own.
    let export = env.run(&["export"]);
    let again = TestEnv::new();
    let file = again.write("again.jsonl", &export.stdout);
    assert_eq!(again.run(&["import", &arg(&file)]).code, 0);
    assert_eq!(again.run(&["export"]).stdout, export.stdout);
}

#[test]
fn a_title_with_a_carriage_return_and_a_bidi_name_stay_on_their_line() {
    let env = TestEnv::new();
    let file = env.write(
        "cr.txt",
        "---\ntitle: Port reopens\r\u{1b}[1Aall claims confirmed\noutlet: Batch\u{202e}Wire\n---\n\
         Harbour master Ilse Varn said berth 4 would reopen on Monday.\n",
    );
    let run = env.run(&["ingest", &arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    assert_inert("ingest", &run);
    let extract = env.run(&["extract", &arg(&file), "--format", "text"]);
    assert_inert("extract", &extract);
    assert!(extract.stdout.starts_with("Port reopens "), "{extract}");
    let extract = env.run(&["extract", &arg(&file), "--format", "json"]);
    assert_inert("extract json", &extract);
    let id = env.claim_id("berth").to_string();
    every_output_is_inert(&env, &id);
    let show = env.run(&["show", &id]);
    assert!(show.stdout.contains("Batch\\u{202e}Wire"), "{show}");
}

#[test]
fn command_line_values_in_errors_are_escaped_and_cut_like_file_values() {
    let env = TestEnv::new();
    let folder = env.write_articles("in", 1);
    assert_eq!(env.run(&["ingest", &arg(&folder)]).code, 0);
    let long = format!("Wire\u{1b}[2J\u{202e}{}", "x".repeat(200));
    // 60 characters of the value as given, then its hazards made visible.
    let shown = format!("Wire\\u{{1b}}[2J\\u{{202e}}{}...", "x".repeat(51));
    let run = env.run(&["search", "--outlet", &long]);
    run.assert_one_line_error(1);
    assert_inert("search --outlet", &run);
    assert!(run.stderr.contains(&format!("'{shown}'")), "{run}");
    let id = env.claim_id("berth").to_string();
    let url = format!("ftp://{}", "y".repeat(100));
    let run = env.run(&["verify", &id, "--status", "false", "--evidence", &url]);
    run.assert_one_line_error(2);
    assert!(
        run.stderr
            .contains(&format!("evidence 'ftp://{}...'", "y".repeat(54))),
        "{run}"
    );
    let run = env.run(&["search", &format!("status:{long}")]);
    run.assert_one_line_error(2);
    assert_inert("search status:", &run);
    assert!(run.stderr.contains(&format!("'{shown}'")), "{run}");
    let run = env.run(&["alias", &long, "Batch Wire"]);
    assert_inert("alias", &run);
    let run = env.run(&["alias", "Batch Wire", &long]);
    assert_inert("alias", &run);
    assert!(run.stderr.contains(&format!("'{shown}'")), "{run}");
}

/// OWASP's CSV injection: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is
/// prefixed with `'`. Checked by reading the files with Python's csv module, as a
/// spreadsheet import would.
#[test]
fn csv_cells_that_would_be_formulas_are_neutralised() {
    let Ok(python) = std::process::Command::new("python3")
        .arg("--version")
        .output()
    else {
        eprintln!("python3 is not installed: the CSV injection test is skipped");
        return;
    };
    assert!(python.status.success());
    let env = TestEnv::new();
    let file = env.write(
        "f.txt",
        "---\ntitle: =HYPERLINK(\"http://evil.example\",\"x\")\noutlet: @SUM(A1)\n---\n\
         Harbour master Ilse Varn said berth 4 would reopen on Monday.\n",
    );
    assert_eq!(env.run(&["ingest", &arg(&file)]).code, 0);
    let id = env.claim_id("berth").to_string();
    let run = env.run(&[
        "verify", &id, "--status", "disputed", "--note", "=1+2", "--by", "+ana",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let run = env.run(&[
        "verify",
        &id,
        "--status",
        "disputed",
        "--note=\t-cmd|' /C calc'!A0",
        "--by=-bob",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let cells = |args: &[&str], name: &str| -> serde_json::Value {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{run}");
        let path = env.write(name, &run.stdout);
        let script = "import csv, json, sys\n\
                      rows = list(csv.DictReader(open(sys.argv[1], newline='')))\n\
                      print(json.dumps(rows))";
        let out = std::process::Command::new("python3")
            .args(["-c", script, &arg(&path)])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let report = cells(&["report", "--format", "csv"], "report.csv");
    // The report's note is one line: the tab is trimmed, and the `-` it hid is neutralised.
    assert_eq!(report[0]["note"], "'-cmd|' /C calc'!A0");
    assert_eq!(report[0]["reviewer"], "'-bob");
    assert_eq!(report[0]["outlet"], "'@SUM(A1)");
    let search = cells(&["search", "--format", "csv"], "search.csv");
    assert_eq!(
        search[0]["title"],
        "'=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(search[0]["outlet"], "'@SUM(A1)");
    let sources = cells(&["sources", "--format", "csv"], "sources.csv");
    assert!(
        sources
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "'@SUM(A1)"),
        "{sources}"
    );
    // Nothing else is touched: a plain cell reads as written.
    assert_eq!(search[0]["status"], "disputed");
}
