//! `claimtrail ingest FEED`: RSS and Atom feeds, as files the tests write and as URLs served
//! by the loopback server of `fetch.rs`. No test touches the network.

use crate::common::TestEnv;
use crate::fetch::{Reply, reply, serve};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How often the story pages of the Atom feed were fetched, by every test of this module
/// (each test has its own paths, so each counts its own).
static FETCHED_A: AtomicUsize = AtomicUsize::new(0);
static FETCHED_B: AtomicUsize = AtomicUsize::new(0);

fn rss(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Valley Courier</title><link>https://courier.example/</link>
<description>News</description>{items}</channel></rss>"#
    )
}

fn item(n: usize, date: &str) -> String {
    format!(
        r#"<item><title>Council story {n}</title><link>https://courier.example/s/{n}</link>
<guid>courier-{n}</guid><pubDate>{date}</pubDate><author>desk@courier.example (Ines Marl)</author>
<description>A short summary.</description>
<content:encoded><![CDATA[<p>The council will close road {n} for repairs, the mayor told reporters on Monday.</p>]]></content:encoded></item>"#
    )
}

/// Only a summary: the article is at the link.
const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>urn:gazette</id>
<updated>2025-06-03T10:00:00Z</updated>
<entry><id>urn:gazette:a</id><title>Dam repairs will take a year</title>
  <link rel="alternate" href="/a"/><published>2025-06-02T23:30:00-04:00</published>
  <updated>2025-06-02T23:30:00-04:00</updated><author><name>Lena Brask</name></author>
  <summary>Repairs to the dam.</summary></entry>
<entry><id>urn:gazette:b</id><title>Entry title B</title><link href="/b"/>
  <published>2025-06-01T08:00:00Z</published><updated>2025-06-01T08:00:00Z</updated>
  <summary>Bridge.</summary></entry>
<entry><id>urn:gazette:gone</id><title>Gone</title><link href="/gone"/>
  <updated>2025-06-01T08:00:00Z</updated><summary>Gone.</summary></entry>
</feed>"#;

/// A page that says nothing about itself: the entry's title, date and author fill in.
const PAGE_A: &str = "<html><body><p>Repairs to the Oldwater dam will take at least a year, \
the regional water board said on Monday.</p><p>“We found cracks in two gates,” chief engineer \
Lena Brask told the Gazette.</p></body></html>";

/// A page with its own headline and date: they win over the entry's.
const PAGE_B: &str = "<html><head><title>The bridge reopens in July</title>\
<meta property=\"article:published_time\" content=\"2025-05-30T09:00:00+02:00\"></head><body>\
<article><h1>The bridge reopens in July</h1><p>The old bridge will reopen in July, the roads \
agency said in a statement on Friday.</p></article></body></html>";

fn routes(path: &str) -> Option<Reply> {
    Some(match path {
        "/feed.atom" => reply("200 OK", "application/atom+xml", ATOM),
        // A feed served as generic XML is known by its root element.
        "/feed.xml" => reply("200 OK", "text/xml; charset=utf-8", ATOM),
        "/a" => {
            FETCHED_A.fetch_add(1, Ordering::SeqCst);
            reply("200 OK", "text/html", PAGE_A)
        }
        "/b" => {
            FETCHED_B.fetch_add(1, Ordering::SeqCst);
            reply("200 OK", "text/html", PAGE_B)
        }
        "/broken.rss" => reply("200 OK", "application/rss+xml", "this is not XML at all\n"),
        _ => return None,
    })
}

fn articles(env: &TestEnv) -> Vec<[Option<String>; 4]> {
    let db = env.db();
    let mut st = db
        .prepare("SELECT title, published, author, url FROM articles ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn an_rss_file_with_content_is_read_entry_by_entry_and_once() {
    let env = TestEnv::new();
    // No extension: a feed is known by its root element.
    let feed = env.write(
        "courier-feed",
        rss(&format!(
            "{}{}",
            item(1, "Mon, 02 Jun 2025 23:30:00 -0400"),
            item(2, "Sun, 01 Jun 2025 08:00:00 GMT")
        )),
    );
    let path = feed.to_str().unwrap();
    let run = env.run(&["ingest", path]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("articles: 2 new"), "{run}");
    assert!(
        run.stdout
            .contains("feeds:    2 entries, 0 stored before, 0 dated before --since"),
        "{run}"
    );
    assert_eq!(
        articles(&env),
        [
            // The date as the feed states it, in its own offset (UTC would say June 3).
            [
                s("Council story 1"),
                s("2025-06-02"),
                s("Ines Marl"),
                s("https://courier.example/s/1")
            ],
            [
                s("Council story 2"),
                s("2025-06-01"),
                s("Ines Marl"),
                s("https://courier.example/s/2")
            ],
        ]
    );
    let again = env.run(&["ingest", path]);
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stdout.contains("articles: 0 new, 0 unchanged"),
        "{again}"
    );
    assert!(
        again.stdout.contains("2 entries, 2 stored before"),
        "{again}"
    );
    let entries: i64 = env
        .db()
        .query_row("SELECT count(*) FROM feed_entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(entries, 2);
}

#[test]
fn an_atom_feed_by_url_fetches_summary_only_entries_once_and_fills_what_pages_lack() {
    let base = serve(routes);
    let env = TestEnv::new();
    let url = format!("{base}/feed.atom");
    let run = env.run(&["ingest", &url]);
    // The entry whose page is gone is one counted failure; the others are stored.
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("articles: 2 new, 0 unchanged, 0 re-extracted, 1 failed"),
        "{run}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(
        run.stderr.contains(&format!("{base}/gone: HTTP 404")),
        "{run}"
    );
    let stored = articles(&env);
    assert_eq!(
        stored[0][..3],
        [
            s("Dam repairs will take a year"),
            s("2025-06-02"),
            s("Lena Brask")
        ]
    );
    assert_eq!(stored[0][3], Some(format!("{base}/a")));
    // The page's own headline and date win; it names no author, the entry does not either.
    assert_eq!(
        stored[1][..3],
        [s("The bridge reopens in July"), s("2025-05-30"), None]
    );
    assert_eq!(
        (
            FETCHED_A.load(Ordering::SeqCst),
            FETCHED_B.load(Ordering::SeqCst)
        ),
        (1, 1)
    );

    // Again: the stored entries are not fetched; the one that failed is tried again.
    let again = env.run(&["ingest", &url]);
    assert_eq!(again.code, 2, "{again}");
    assert!(again.stdout.is_empty(), "{again}");
    assert!(again.stderr.contains("/gone: HTTP 404"), "{again}");
    assert_eq!(
        (
            FETCHED_A.load(Ordering::SeqCst),
            FETCHED_B.load(Ordering::SeqCst)
        ),
        (1, 1)
    );
}

#[test]
fn since_skips_entries_dated_before_it() {
    let env = TestEnv::new();
    let feed = env.write(
        "f.rss",
        rss(&format!(
            "{}{}",
            item(1, "Mon, 02 Jun 2025 10:00:00 GMT"),
            item(2, "Sun, 01 Jun 2025 08:00:00 GMT")
        )),
    );
    let run = env.run(&["ingest", "--since", "2025-06-02", feed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("articles: 1 new"), "{run}");
    assert!(
        run.stdout
            .contains("2 entries, 0 stored before, 1 dated before --since"),
        "{run}"
    );
    assert_eq!(articles(&env)[0][0], s("Council story 1"));
}

#[test]
fn a_feed_that_is_not_xml_is_one_line_and_exit_2() {
    let base = serve(routes);
    let env = TestEnv::new();
    let file = env.write("news.rss", "this is not XML at all\n");
    let run = env.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        run.stderr,
        "error: [TMP]/news.rss: not a feed (expected an <rss>, <feed> or <rdf:RDF> XML document)\n"
    );
    let url = format!("{base}/broken.rss");
    let run = env.run(&["ingest", &url]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(run.stderr.starts_with(&format!("error: {url}: ")), "{run}");
    // Cut off in the middle: XML, but not a whole feed.
    let cut = env.write(
        "cut.xml",
        &rss(&item(1, "Mon, 02 Jun 2025 10:00:00 GMT"))[..300],
    );
    let run = env.run(&["ingest", cut.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(run.stderr.contains("cut.xml: not a readable feed"), "{run}");
}

#[test]
fn an_entry_with_no_link_is_a_counted_failure_and_the_feed_goes_on() {
    let env = TestEnv::new();
    let feed = env.write(
        "f.atom",
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>
<updated>2025-06-03T10:00:00Z</updated>
<entry><id>urn:t:1</id><title>Only a summary</title><updated>2025-06-03T10:00:00Z</updated>
<summary>Nothing to fetch.</summary></entry>
<entry><id>urn:t:2</id><title>With content</title><updated>2025-06-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;The mayor said the market would reopen in July.&lt;/p&gt;</content></entry>
</feed>"#,
    );
    let run = env.run(&["ingest", feed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("articles: 1 new, 0 unchanged, 0 re-extracted, 1 failed"),
        "{run}"
    );
    assert_eq!(
        run.stderr,
        "error: [TMP]/f.atom: entry 1 (urn:t:1): no link to fetch, and the feed carries no content\n"
    );
    // No publication date in the feed: none stored (`updated` is not when it was published).
    assert_eq!(articles(&env)[0][..2], [s("With content"), None]);
}

#[test]
fn a_feed_of_10000_entries_is_stored_in_batches() {
    let env = TestEnv::new();
    let items: String = (0..10_000)
        .map(|n| item(n, "Mon, 02 Jun 2025 10:00:00 GMT"))
        .collect();
    let feed = env.write("big.rss", rss(&items));
    let run = env.run(&["ingest", feed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("articles: 10000 new, 0 unchanged, 0 re-extracted, 0 failed"),
        "{run}"
    );
    assert!(run.stderr.is_empty(), "{run}");
    let entries: i64 = env
        .db()
        .query_row("SELECT count(*) FROM feed_entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(entries, 10_000);
    // Every batch that changes claims takes one generation: 256 articles a transaction.
    let generation: i64 = env
        .db()
        .query_row("SELECT generation FROM meta", [], |r| r.get(0))
        .unwrap();
    assert_eq!(generation, (10_000 + 255) / 256);
}
