//! Real web pages in: the article body through the extraction library, metadata from every
//! place pages put it, and the webbench targets measured with the shared scorer.

use crate::common::{TestEnv, arg, repo};
use serde_json::Value;

const PAGE: &str = "corpus/012_kestrel_bay_ferry_contract.html";

fn extract(env: &TestEnv, path: &str) -> Value {
    env.json(&["extract", "--format", "json", path])
}

/// Page furniture of the corpus page, each a sentence a reader of the whole page would take
/// for a claim ("..., police say", "..., according to our cookie policy", a reader comment).
const FURNITURE: &[&str] = &[
    "cookies",
    "BREAKING",
    "1 day ago",
    "harbour road",
    "new ferry timetable",
    "harbour bridge",
    "marina",
    "friend who works there",
    "new boats",
    "Headteacher",
    "striker",
    "Advertisement",
    "Subscribe",
    "morning briefing",
    "All rights reserved",
];

#[test]
fn a_real_shaped_page_stores_no_claim_from_its_menu_related_links_comments_or_cookie_banner() {
    let env = TestEnv::new();
    let out = extract(&env, PAGE);
    let claims = out["claims"].as_array().unwrap();
    let sentences: Vec<&str> = claims
        .iter()
        .map(|c| c["sentence"].as_str().unwrap())
        .collect();
    for s in &sentences {
        for f in FURNITURE {
            assert!(!s.contains(f), "furniture {f:?} became a claim: {s:?}");
        }
    }
    // The article's own claims are all there.
    for want in [
        "according to tender documents seen by the Examiner",
        "Tell told the Examiner",
        "denied that the company had been given any advantage",
        "could not independently verify",
        "should be suspended until an independent review",
        "was considering whether to open an inquiry",
    ] {
        assert!(
            sentences.iter().any(|s| s.contains(want)),
            "no claim in {want:?}: {sentences:#?}"
        );
    }
    // And the stored text holds none of the furniture either.
    let run = env.run(&["ingest", PAGE]);
    assert_eq!(run.code, 0, "{run}");
    let text: String = env
        .db()
        .query_row("SELECT text FROM articles", [], |r| r.get(0))
        .unwrap();
    for f in FURNITURE {
        assert!(!text.contains(f), "furniture {f:?} in the text:\n{text}");
    }
    assert!(
        text.starts_with("Ferry contract went to bidder with ties to port chief, documents show\n"),
        "the headline is the first line:\n{text}"
    );
    assert!(
        text.contains("\nPanel changed weeks before the vote\n"),
        "subheadings are lines of their own:\n{text}"
    );
}

#[test]
fn the_corpus_page_metadata_comes_from_json_ld_and_the_page_own_offset() {
    let env = TestEnv::new();
    let article = &extract(&env, PAGE)["article"];
    // No og:site_name: the JSON-LD publisher, given by @id inside @graph, wins over
    // twitter:site.
    assert_eq!(article["outlet"], "The Kestrel Bay Examiner");
    // article:published_time is 02:30 UTC on the 14th; the JSON-LD gives the same moment
    // as 22:30 on the 13th in the page's own offset.
    assert_eq!(article["published"], "2025-10-13");
    assert_eq!(
        article["url"],
        "https://example.org/kestrel-bay-examiner/local/2025/10/13/ferry-contract"
    );
    // No og:title: the JSON-LD headline, before the <title> with its site suffix.
    assert_eq!(
        article["title"],
        "Ferry contract went to bidder with ties to port chief, documents show"
    );
}

#[test]
fn a_page_with_none_of_the_metadata_tags_gets_no_publisher_date_or_author() {
    let env = TestEnv::new();
    let page = env.write(
        "bare.html",
        "<html><head><title>Bridge to reopen</title></head><body>\
         <nav><a href='/'>Home</a></nav>\
         <article><h1>Bridge to reopen</h1>\
         <p>The bridge will reopen in May, the council said on Tuesday. Engineers finished \
         the repairs ahead of schedule, according to a statement from the contractor.</p>\
         <p>Traffic had been diverted through the town centre since January.</p></article>\
         <footer>example.org</footer></body></html>",
    );
    let run = env.run(&["ingest", &arg(&page), "--url", "https://example.org/bridge"]);
    assert_eq!(run.code, 0, "{run}");
    let (outlet, published, author, url): (Option<String>, Option<String>, Option<String>, String) =
        env.db()
            .query_row(
                "SELECT outlet, published, author, url FROM articles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!((outlet, published, author), (None, None, None));
    // The url's host is kept as the url, never made into a publisher.
    assert_eq!(url, "https://example.org/bridge");
}

/// The figures of issue 12, measured with `../shared/tools/webbench_score.py` on the 181 real
/// pages of the ScrapingHub benchmark. The targets: body F1 at least 0.95, at most 3%
/// of the claims from outside the article body, a publisher and a date on at least 170
/// pages, no page refused; all four are asserted. Measured now (README, "Web pages"): F1
/// 0.962, 2.8% of claims from outside the body, a publisher on 170, a date on 172.
#[test]
fn webbench_targets_hold() {
    let bench = repo().join("../shared/webbench");
    let tool = repo().join("../shared/tools/webbench_score.py");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !bench.join("ground-truth.json").exists() || !tool.exists() || !python {
        crate::common::skip(
            "webbench_targets_hold",
            "../shared/webbench, its scorer or python3 is not here",
        );
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(&tool)
        .arg(env!("CARGO_BIN_EXE_claimtrail"))
        .arg(&bench)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metrics: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    let f1 = metrics["f1"].as_f64().unwrap();
    let number_after = |word: &str| -> f64 {
        let line = stdout.lines().last().unwrap();
        let rest = &line[line
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {line}"))
            + word.len()..];
        rest.trim_start()
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let publisher = number_after("publisher");
    let date = number_after("date");
    let furniture = number_after("furniture claims");
    let refused = stdout
        .lines()
        .find_map(|l| l.strip_prefix("pages 181; refused "))
        .and_then(|r| r.split(';').next())
        .map(|n| n.trim().parse::<u32>().unwrap());
    assert!(f1 >= 0.95, "body F1 {f1} under 0.95\n{stdout}");
    assert!(
        furniture <= 3.0,
        "{furniture}% of claims from outside the body\n{stdout}"
    );
    assert!(
        publisher >= 170.0,
        "publisher on {publisher} pages\n{stdout}"
    );
    assert!(date >= 170.0, "a date on {date} pages\n{stdout}");
    assert_eq!(refused, Some(0), "{stdout}");
}
