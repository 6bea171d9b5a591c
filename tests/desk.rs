//! `claimtrail serve`, the web desk: the real binary serving a temp store on loopback,
//! driven over HTTP (and, in `the_desk_in_chromium`, by Playwright in Debian's Chromium),
//! with what it wrote checked through the command line.

use crate::common::{TestEnv, repo, skip};
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An article whose quote holds markup: it must render as text, never run.
pub const HOSTILE: &str = r#"{"title": "Minister's <b>remark</b>", "outlet": "Coastline Wire", "published": "2025-11-20", "text": "\"The <script>window.__pwned = true</script> deal is done,\" Transport Minister Ilsa Varn told reporters on Tuesday."}"#;

/// A running `claimtrail serve` on a test's store, killed when dropped.
pub struct Desk {
    child: Option<Child>,
    pub base: String,
    agent: ureq::Agent,
}

/// What the desk answered.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

impl Desk {
    /// Starts the desk on a free loopback port with `extra` arguments, as user `ann`.
    pub fn start(env: &TestEnv, extra: &[&str]) -> Desk {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimtrail"));
        cmd.args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .current_dir(repo())
            .env("CLAIMTRAIL_DB", env.store())
            .env("CLAIMTRAIL_NOW", crate::common::NOW)
            .env("USER", "ann")
            .stdin(Stdio::null())
            .stderr(Stdio::piped());
        let (child, base) =
            claimtrail::bench::desk::spawn_desk(cmd).unwrap_or_else(|e| panic!("{e:#}"));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Desk {
            child: Some(child),
            base,
            agent,
        }
    }

    fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        Answer {
            status: r.status().as_u16(),
            headers,
            body: r.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// GET `path` with these extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Desk::answer(req.call().expect("GET"))
    }

    pub fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[])
    }

    /// A session: its cookie header and its CSRF token.
    pub fn session(&self, headers: &[(&str, &str)]) -> (String, String) {
        let a = self.get_with("/api/session", headers);
        assert_eq!(a.status, 200, "{}", a.body);
        let cookie = a
            .header("set-cookie")
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        (cookie, a.json()["csrf"].as_str().unwrap().to_string())
    }

    /// POST `body` to `path` with these headers.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut req = self.agent.post(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Desk::answer(req.send(body.as_bytes()).expect("POST"))
    }

    /// POST JSON to the API in a fresh session with its CSRF token.
    pub fn api_post(&self, path: &str, body: serde_json::Value) -> Answer {
        let (cookie, csrf) = self.session(&[]);
        self.post(
            path,
            &[
                ("cookie", cookie.as_str()),
                ("x-csrf-token", csrf.as_str()),
                ("content-type", "application/json"),
            ],
            &body.to_string(),
        )
    }

    /// Asks the server to stop (SIGTERM) and waits for it: its exit code and stderr.
    pub fn stop(mut self) -> (i32, String) {
        let mut child = self.child.take().unwrap();
        unsafe {
            libc::kill(child.id() as i32, libc::SIGTERM);
        }
        let status = child.wait().expect("wait for the server");
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        (status.code().unwrap_or(-1), err)
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The corpus and the hostile article in one store; the hostile claim's id.
pub fn desk_store() -> (TestEnv, i64) {
    let env = TestEnv::with_corpus();
    let file = env.write("hostile.json", HOSTILE);
    let run = env.run(&["ingest", &crate::common::arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let hostile = env.claim_id("<script>");
    (env, hostile)
}

#[test]
fn a_verdict_recorded_on_the_desk_is_in_the_command_line_at_once_and_back() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let id = env.claim_id("got tips from Witkoff");

    // Without the session's CSRF token, nothing is written.
    let refused = desk.post(
        &format!("/api/claims/{id}/verdicts"),
        &[("content-type", "application/json")],
        r#"{"status": "confirmed"}"#,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.json()["error"].as_str().unwrap().contains("CSRF"));
    // A reviewer is never taken from the request.
    let named = desk.api_post(
        &format!("/api/claims/{id}/verdicts"),
        serde_json::json!({"status": "confirmed", "reviewer": "mallory"}),
    );
    assert_eq!(named.status, 400, "{}", named.body);
    assert_eq!(env.counts()["verdicts"], 0);

    let written = desk.api_post(
        &format!("/api/claims/{id}/verdicts"),
        serde_json::json!({"status": "confirmed", "note": "call record seen",
                           "evidence": ["https://evidence.example/call"]}),
    );
    assert_eq!(written.status, 200, "{}", written.body);
    let w = written.json();
    assert_eq!(w["written"], 1);
    assert_eq!(w["by"], "ann");
    assert_eq!(w["claims"][0]["previous"], "unverified");

    let show = env.run(&["show", &id.to_string()]);
    assert!(
        show.stdout.contains("confirmed by ann: call record seen")
            && show
                .stdout
                .contains("evidence: https://evidence.example/call"),
        "{show}"
    );
    let found = env.json(&["search", "--status", "confirmed", "--format", "json"]);
    assert_eq!(crate::common::ids(&found), [id]);

    // And the other way: a verdict of the command line is on the desk's next answer.
    let other = env.claim_id("entirely Russian");
    let run = env.run(&[
        "verify",
        &other.to_string(),
        "--status",
        "false",
        "--by",
        "cli",
    ]);
    assert_eq!(run.code, 0, "{run}");
    let page = desk.get("/api/search?status=false");
    assert_eq!(page.json()["total"], 1, "{}", page.body);
    assert_eq!(page.json()["claims"][0]["id"], other);
    let claim = desk.get(&format!("/api/claims/{other}")).json();
    assert_eq!(claim["status"], "false");
    assert_eq!(claim["verdicts"][0]["reviewer"], "cli");

    // A correction through the API, as `correct` would record it.
    let corrected = desk.api_post(
        &format!("/api/claims/{id}/corrections"),
        serde_json::json!({"speaker": "Jane Desk (person)", "note": "hers"}),
    );
    assert_eq!(corrected.status, 200, "{}", corrected.body);
    let show = env.run(&["show", &id.to_string()]);
    assert!(
        show.stdout.contains("speaker: ") && show.stdout.contains("Jane Desk (person)"),
        "{show}"
    );
}

#[test]
fn the_search_answers_with_facets_and_pages_and_the_url_holds_the_query() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let all = desk.get("/api/search?q=Witkoff").json();
    let total = all["total"].as_u64().unwrap();
    assert!(total > 3, "{all}");
    // The facets count the claims found: each facet's counts add up to the total.
    for facet in ["status", "certainty", "kind"] {
        let sum: u64 = all["facets"][facet]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["claims"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total, "{facet}: {}", all["facets"][facet]);
    }
    // The command line finds the same claims.
    let cli = env.json(&["search", "Witkoff", "--format", "json", "--limit", "100"]);
    assert_eq!(cli.as_array().unwrap().len() as u64, total);
    // Narrowed by a facet value, the total is that value's count.
    let kind = all["facets"]["kind"][0].clone();
    let narrowed = desk
        .get(&format!(
            "/api/search?q=Witkoff&kind={}",
            kind["value"].as_str().unwrap()
        ))
        .json();
    assert_eq!(narrowed["total"], kind["claims"]);
    // An outlet counts what the outlet filter selects: the publisher or a relay of the chain.
    let every = desk.get("/api/search").json();
    let outlets = every["facets"]["outlet"].as_array().unwrap().clone();
    assert!(outlets.len() > 3, "{every}");
    for outlet in &outlets {
        let name = outlet["value"].as_str().unwrap();
        let found = desk
            .get(&format!("/api/search?outlet={}", name.replace(' ', "%20")))
            .json();
        assert_eq!(found["total"], outlet["claims"], "{name}");
    }
    // Pages do not overlap and hold every claim once.
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=total.div_ceil(2) {
        let p = desk
            .get(&format!("/api/search?q=Witkoff&per_page=2&page={page}"))
            .json();
        for c in p["claims"].as_array().unwrap() {
            assert!(seen.insert(c["id"].as_i64().unwrap()), "{p}");
        }
    }
    assert_eq!(seen.len() as u64, total);
    // The HTML page: facet links keep the query, and the paging links too.
    let html = desk.get("/?q=Witkoff&per_page=2").body;
    assert!(
        html.contains("href=\"/?q=Witkoff&amp;status=unverified&amp;per_page=2\""),
        "{html}"
    );
    assert!(
        html.contains("rel=\"next\" href=\"/?q=Witkoff&amp;page=2&amp;per_page=2\""),
        "{html}"
    );
}

#[test]
fn bad_requests_get_the_command_line_s_one_line_errors_as_json() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let cases = [
        ("/api/claims/999999", 404, "no claim with id 999999"),
        ("/api/claims/abc", 400, "'abc' is not an id"),
        ("/api/search?status=maybe", 400, "unknown status 'maybe'"),
        (
            "/api/search?q=%22open",
            400,
            "unbalanced quote in the query",
        ),
        ("/api/search?page=0", 400, "page must be 1 to"),
        (
            "/api/sources/Nobody%20Atall",
            404,
            "no source named 'Nobody Atall'",
        ),
        (
            "/api/report?format=claimreview",
            400,
            "ClaimReview needs review_url",
        ),
        ("/api/report?format=pdf", 400, "bad query string"),
    ];
    for (path, status, message) in cases {
        let a = desk.get(path);
        assert_eq!(a.status, status, "{path}: {}", a.body);
        assert!(
            a.header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
        let error = a.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(message), "{path}: {error}");
        assert!(!error.contains('\n'));
    }
    // An unknown name in a search matches nothing, as in `report`: an empty page.
    let none = desk.get("/api/search?outlet=Nowhere%20Times").json();
    assert_eq!(none["total"], 0);
    let long = format!("/api/search?q={}", "a".repeat(5000));
    assert_eq!(desk.get(&long).status, 414);
    let big = desk.api_post(
        &format!(
            "/api/claims/{}/verdicts",
            env.claim_id("got tips from Witkoff")
        ),
        serde_json::json!({"status": "confirmed", "note": "x".repeat(100_000)}),
    );
    assert_eq!(big.status, 413, "{}", big.body);
    assert_eq!(env.counts()["verdicts"], 0);
}

#[test]
fn a_hostile_claim_renders_as_text_under_a_strict_policy() {
    let (env, hostile) = desk_store();
    let desk = Desk::start(&env, &[]);
    let page = desk.get(&format!("/claims/{hostile}"));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("&lt;script&gt;window.__pwned = true&lt;/script&gt;")
    );
    assert!(!page.body.contains("<script"), "{}", page.body);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let article = desk.get(&format!(
        "/articles/{}",
        desk.get(&format!("/api/claims/{hostile}")).json()["article"]["id"]
    ));
    assert!(
        article
            .body
            .contains("Minister&#39;s &lt;b&gt;remark&lt;/b&gt;")
            || article
                .body
                .contains("Minister's &lt;b&gt;remark&lt;/b&gt;"),
        "{}",
        article.body
    );
    assert!(!article.body.contains("<script") && !article.body.contains("<b>"));
}

#[test]
fn the_article_page_marks_every_claim_of_the_seed_article() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let article = desk.get("/api/articles/1").json();
    let claims: Vec<i64> = article["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    let stored: i64 = env
        .db()
        .query_row(
            "SELECT count(*) FROM claims WHERE article_id = 1 AND rejected = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(claims.len() as i64, stored);
    let runs = article["runs"].as_array().unwrap();
    for id in &claims {
        assert!(
            runs.iter().any(|r| r["claim"] == *id),
            "claim {id} is not marked in the text"
        );
    }
    // The runs spell the article's text, whole.
    let text: String = runs.iter().map(|r| r["text"].as_str().unwrap()).collect();
    let stored: String = env
        .db()
        .query_row("SELECT text FROM articles WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, stored);
    let marks: std::collections::BTreeSet<&str> =
        runs.iter().filter_map(|r| r["mark"].as_str()).collect();
    assert_eq!(marks, ["content", "cue", "source"].into_iter().collect());
}

#[test]
fn off_loopback_the_desk_needs_a_token_and_refuses_requests_without_one() {
    let env = TestEnv::with_corpus();
    let run = env.run(&["serve", "--addr", "0.0.0.0:0"]);
    run.assert_one_line_error(2);
    assert!(run.stderr.contains("needs --token-file"), "{run}");

    let tokens = env.write("tokens", "bea:bea-0123456789abcdef\n");
    let desk = Desk::start(&env, &["--token-file", &crate::common::arg(&tokens)]);
    let refused = desk.get("/api/search?q=Witkoff");
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(refused.json()["error"].as_str().unwrap().contains("Bearer"));
    let wrong = desk.get_with(
        "/api/search",
        &[("authorization", "Bearer nope-nope-nope-nope")],
    );
    assert_eq!(wrong.status, 401);
    let page = desk.get("/");
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location"), Some("/login"));
    // The OpenAPI document and the sign-in page are open.
    assert_eq!(desk.get("/api/openapi.json").status, 200);
    assert_eq!(desk.get("/login").status, 200);

    let auth = [("authorization", "Bearer bea-0123456789abcdef")];
    assert_eq!(desk.get_with("/api/search?q=Witkoff", &auth).status, 200);
    // The verdict is the token's account's, whoever runs the server.
    let (cookie, csrf) = desk.session(&auth);
    let id = env.claim_id("got tips from Witkoff");
    let written = desk.post(
        &format!("/api/claims/{id}/verdicts"),
        &[
            auth[0],
            ("cookie", cookie.as_str()),
            ("x-csrf-token", csrf.as_str()),
        ],
        r#"{"status": "disputed"}"#,
    );
    assert_eq!(written.status, 200, "{}", written.body);
    assert_eq!(written.json()["by"], "bea");
    // The same token signs a browser in, through the login form, into a cookie.
    let form = desk.get("/login");
    let cookie = form
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = form
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("a CSRF field in the form")
        .to_string();
    let login = desk.post(
        "/login",
        &[
            ("cookie", cookie.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &format!("csrf={csrf}&token=bea-0123456789abcdef"),
    );
    assert_eq!(login.status, 303, "{}", login.body);
    let signed = login.header("set-cookie").unwrap();
    assert!(signed.starts_with("claimtrail_token=") && signed.contains("HttpOnly"));
    let token_cookie = signed.split(';').next().unwrap();
    let home = desk.get_with("/", &[("cookie", &format!("{cookie}; {token_cookie}"))]);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("reviewing as <strong>bea</strong>"));
}

#[test]
fn a_write_while_another_process_holds_the_store_answers_503_and_writes_nothing() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let id = env.claim_id("got tips from Witkoff");
    let (cookie, csrf) = desk.session(&[]);
    let holder = env.db();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let busy = desk.post(
        &format!("/api/claims/{id}/verdicts"),
        &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        r#"{"status": "confirmed"}"#,
    );
    assert_eq!(busy.status, 503, "{}", busy.body);
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert!(busy.json()["error"].as_str().unwrap().contains("busy"));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(env.counts()["verdicts"], 0);
    let again = desk.post(
        &format!("/api/claims/{id}/verdicts"),
        &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        r#"{"status": "confirmed"}"#,
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(env.counts()["verdicts"], 1);
}

#[test]
fn sigterm_stops_the_desk_once_requests_in_flight_are_done() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    assert_eq!(desk.get("/").status, 200);
    let (code, stderr) = desk.stop();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("stopped: every request in flight has finished"),
        "{stderr}"
    );
}

#[test]
fn the_openapi_document_describes_every_route_of_the_api() {
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let doc = desk.get("/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut routes: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    routes.sort();
    insta::assert_snapshot!(routes.join("\n"));
}

/// Playwright drives Debian's Chromium through the desk (tests/browser/desk.mjs): search
/// with two facets, open a claim, record a verdict with evidence, correct its speaker, the
/// seed article's highlights, a hostile claim; then `claimtrail show` sees what it wrote,
/// and every screenshot has something on it.
#[test]
fn the_desk_in_chromium() {
    const TEST: &str = "the_desk_in_chromium";
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        return skip(
            TEST,
            "/usr/bin/chromium is absent (apt-get install chromium)",
        );
    }
    let browser = repo().join("tests/browser");
    if !browser.join("node_modules/playwright-core").exists() {
        return skip(
            TEST,
            "playwright-core is not installed (npm ci --prefix tests/browser)",
        );
    }
    let (env, hostile) = desk_store();
    let desk = Desk::start(&env, &[]);
    let shots = env.dir().join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(browser.join("desk.mjs"))
        .arg(&desk.base)
        .arg(&shots)
        .arg(hostile.to_string())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "desk.mjs failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("desk.mjs prints JSON");
    let claim = report["claim"].as_i64().unwrap();
    let show = env.run(&["show", &claim.to_string()]);
    assert!(
        show.stdout
            .contains("disputed by ann: two outlets contradict it")
            && show.stdout.contains("evidence: https://evidence.example/b")
            && show.stdout.contains("Jane Desk (person)")
            && show.stdout.contains("by ann: the quote is hers"),
        "{show}"
    );
    let pages = report["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 7, "{report}");
    for page in pages {
        let path = page.as_str().unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let pixels = &buf[..info.buffer_size()];
        let distinct: std::collections::BTreeSet<&[u8]> = pixels
            .chunks(info.color_type.samples())
            .take(2_000_000)
            .collect();
        assert!(
            distinct.len() > 20,
            "{path} looks blank ({} colours)",
            distinct.len()
        );
    }
}

/// Where schemathesis is: `.ci/run` installs it in `target/ci-venv`; else on the PATH.
fn schemathesis() -> Option<std::path::PathBuf> {
    let ci = repo().join("target/ci-venv/bin/schemathesis");
    if ci.exists() {
        return Some(ci);
    }
    let on_path = Command::new("schemathesis")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    on_path.then(|| "schemathesis".into())
}

/// schemathesis (PyPI) generates requests from `/api/openapi.json`, writes included: no
/// answer is a server error or off its documented status, type or schema, and the store is
/// whole afterwards.
#[test]
fn schemathesis_finds_no_server_error_and_no_answer_off_the_schema() {
    const TEST: &str = "schemathesis_finds_no_server_error_and_no_answer_off_the_schema";
    let Some(tool) = schemathesis() else {
        return skip(
            TEST,
            "schemathesis is not installed (pip install schemathesis; .ci/run puts it in target/ci-venv)",
        );
    };
    let (env, _) = desk_store();
    let desk = Desk::start(&env, &[]);
    let (cookie, csrf) = desk.session(&[]);
    let out = Command::new(tool)
        .args(["run", &format!("{}/api/openapi.json", desk.base)])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "25",
            "--seed",
            "1",
            // One worker: hypothesis's lambda descriptions race across threads (an
            // "AST constructor recursion depth mismatch" of its own, seen with 2).
            "--workers",
            "1",
        ])
        .args(["-H", &format!("Cookie: {cookie}")])
        .args(["-H", &format!("X-CSRF-Token: {csrf}")])
        .env("NO_COLOR", "1")
        // Its cache (`.schemathesis/`) goes in the working folder: the test's, not the
        // repository.
        .current_dir(env.dir())
        .output()
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("No issues found"),
        "schemathesis found problems:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{check}");
}

/// The load harness of `cargo bench --bench desk`, for a moment on the corpus: clients
/// searching and recording at once, no request failing, every verdict the desk said it
/// wrote in the store afterwards. No time is asserted.
#[test]
fn the_desk_under_a_moment_of_load_fails_nothing_and_loses_no_verdict() {
    use claimtrail::bench::desk::{LoadConfig, load, missing_verdicts};
    let env = TestEnv::with_corpus();
    let desk = Desk::start(&env, &[]);
    let claims: Vec<i64> = (1..=40).collect();
    let report = load(&LoadConfig {
        base: desk.base.clone(),
        searchers: 4,
        writers: 2,
        duration: Duration::from_millis(1500),
        words: ["Witkoff", "ministry", "plan", "strike", "denied"]
            .map(String::from)
            .to_vec(),
        claims,
    })
    .unwrap();
    assert_eq!(report.search_errors, 0, "{:?}", report.problems);
    assert_eq!(report.verdict_errors, 0, "{:?}", report.problems);
    assert!(report.searches > 0 && !report.verdicts.is_empty());
    let (code, stderr) = desk.stop();
    assert_eq!(code, 0, "{stderr}");
    let missing = missing_verdicts(&env.store(), &report.verdicts).unwrap();
    assert!(missing.is_empty(), "{missing:?}");
    // And the command line agrees with the count.
    assert_eq!(env.counts()["verdicts"] as usize, report.verdicts.len());
}

/// An outlet's facet count is what clicking it selects: claims it published and claims
/// its reporting reached another outlet's article through (a relay of the chain). It
/// counted publishers only, so a relayed outlet's count was short of its claims.
#[test]
fn an_outlet_s_count_includes_the_claims_it_relays() {
    let env = TestEnv::new();
    let file = env.write(
        "two.jsonl",
        concat!(
            r#"{"title": "Port fees rise", "outlet": "Coastline Wire", "published": "2025-11-20", "text": "The port authority will raise fees by 4% in January, its director Mara Lind said on Monday."}"#,
            "\n",
            r#"{"title": "Fees at the port", "outlet": "Midland Observer", "published": "2025-11-21", "text": "The port authority will raise its fees in January, according to Coastline Wire."}"#,
            "\n"
        ),
    );
    let run = env.run(&["ingest", &crate::common::arg(&file)]);
    assert_eq!(run.code, 0, "{run}");
    let desk = Desk::start(&env, &[]);
    let every = desk.get("/api/search").json();
    let count = every["facets"]["outlet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "Coastline Wire")
        .map(|f| f["claims"].as_u64().unwrap())
        .unwrap_or_else(|| panic!("{every}"));
    let selected = desk.get("/api/search?outlet=Coastline%20Wire").json();
    assert_eq!(selected["total"].as_u64().unwrap(), count, "{selected}");
    assert!(
        selected["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["article"]["outlet"] == "Midland Observer"),
        "the relayed claim is among them: {selected}"
    );
}
