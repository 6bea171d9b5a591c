//! `claimtrail ingest ARCHIVE.warc[.gz]`: web archives the tests build themselves, plain and
//! gzip (one member per record, as Common Crawl writes them).

use crate::common::TestEnv;
use std::io::Write;

fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    record_with_length(kind, uri, block, block.len())
}

/// A record whose header says `length`, whatever its block's size.
fn record_with_length(kind: &str, uri: &str, block: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\n\
         WARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-03T01:30:00Z\r\n\
         Content-Type: application/http; msgtype={kind}\r\nContent-Length: {length}\r\n\r\n",
        uri.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn gzip(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(r).unwrap();
        out.extend(enc.finish().unwrap());
    }
    out
}

const DATED: &str = "<html><head><meta property=\"article:published_time\" \
content=\"2025-05-30T09:00:00+02:00\"><link rel=\"canonical\" href=\"https://news.example/bridge\">\
</head><body><article><h1>The bridge reopens in July</h1><p>The old bridge will reopen in July, \
the roads agency said in a statement on Friday.</p></article></body></html>";

const UNDATED: &str = "<html><body><p>Repairs to the Oldwater dam will take at least a year, \
the regional water board said on Monday.</p></body></html>";

fn page(n: usize) -> String {
    format!(
        "<html><body><p>The council will close road {n} for repairs, the mayor said.</p></body></html>"
    )
}

/// A warcinfo, a request, two HTML responses (one with its own date and canonical url, one
/// without), an image and a redirect.
fn archive() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", "", b"software: claimtrail tests\r\n"),
        record(
            "request",
            "https://news.example/b?utm=1",
            b"GET /b HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        record(
            "response",
            "https://news.example/b?utm=1",
            &response("text/html; charset=utf-8", DATED),
        ),
        record(
            "response",
            "https://news.example/dam",
            &response("text/html", UNDATED),
        ),
        record(
            "response",
            "https://news.example/logo.png",
            &response("image/png", "\u{89}PNG"),
        ),
        record(
            "response",
            "https://news.example/old",
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\n\r\n",
        ),
    ]
}

fn articles(env: &TestEnv) -> Vec<(Option<String>, Option<String>)> {
    let db = env.db();
    let mut st = db
        .prepare("SELECT url, published FROM articles ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn html_responses_of_an_archive_are_articles_plain_and_gzip_and_in_folders() {
    for (name, bytes) in [
        ("crawl.warc", archive().concat()),
        ("crawl.warc.gz", gzip(&archive())),
    ] {
        let env = TestEnv::new();
        let file = env.write(&format!("cc-news/{name}"), bytes);
        let run = env.run(&["ingest", file.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{name}: {run}");
        assert!(run.stderr.is_empty(), "{name}: {run}");
        assert!(
            run.stdout
                .contains("articles: 2 new, 0 unchanged, 0 re-extracted, 0 failed"),
            "{name}: {run}"
        );
        // The image and the redirect: skipped and counted, not failures.
        assert!(
            run.stdout
                .contains("archives: 2 responses skipped (not HTML pages)"),
            "{name}: {run}"
        );
        assert_eq!(
            articles(&env),
            [
                // The page's own date and canonical url win over the record's.
                (s("https://news.example/bridge"), s("2025-05-30")),
                // The record's date (when it was fetched) only where the page has none.
                (s("https://news.example/dam"), s("2025-06-03")),
            ],
            "{name}"
        );
        // A folder walk takes archives too; the same pages again store nothing.
        let again = env.run(&["ingest", env.dir().join("cc-news").to_str().unwrap()]);
        assert_eq!(again.code, 0, "{name}: {again}");
        assert!(
            again.stdout.contains("articles: 0 new, 2 unchanged"),
            "{name}: {again}"
        );
    }
}

#[test]
fn a_truncated_warc_gz_keeps_the_records_before_the_cut() {
    let env = TestEnv::new();
    let records: Vec<Vec<u8>> = (0..3)
        .map(|n| {
            record(
                "response",
                &format!("https://news.example/{n}"),
                &response("text/html", &page(n)),
            )
        })
        .collect();
    let whole = gzip(&records);
    let last = gzip(&records[2..]).len();
    // Cut inside the third member.
    let file = env.write("cut.warc.gz", &whole[..whole.len() - last / 2]);
    let run = env.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("articles: 2 new, 0 unchanged, 0 re-extracted, 1 failed"),
        "{run}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(
        run.stderr.starts_with("error: [TMP]/cut.warc.gz: record 3"),
        "{run}"
    );
    assert!(run.stderr.contains("truncated"), "{run}");
    // A plain archive cut inside a record: the same.
    let plain = records.concat();
    let file = env.write("cut.warc", &plain[..plain.len() - 40]);
    let run = env.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("0 new, 2 unchanged, 0 re-extracted, 1 failed"),
        "{run}"
    );
    assert_eq!(
        run.stderr,
        format!(
            "error: [TMP]/cut.warc: record 3 (https://news.example/2): the archive ends inside the record ({} of its {} bytes; truncated?)\n",
            // The 40 bytes cut: the 4 of the closing blank lines, 36 of the block.
            response("text/html", &page(2)).len() - 36,
            response("text/html", &page(2)).len()
        )
    );
}

#[test]
fn a_record_with_a_wrong_content_length_is_reported_and_the_next_is_read() {
    let good = |n: usize| {
        record(
            "response",
            &format!("https://news.example/{n}"),
            &response("text/html", &page(n)),
        )
    };
    let block = response("text/html", &page(1));
    for (name, length) in [("short", block.len() - 10), ("long", block.len() + 10)] {
        let bad = record_with_length("response", "https://news.example/1", &block, length);
        let bytes = [good(0), bad, good(2), good(3)].concat();
        for (file_name, bytes) in [
            (format!("{name}.warc"), bytes.clone()),
            (format!("{name}.warc.gz"), gzip(&[bytes])),
        ] {
            let env = TestEnv::new();
            let file = env.write(&file_name, bytes);
            let run = env.run(&["ingest", file.to_str().unwrap()]);
            assert_eq!(run.code, 0, "{file_name}: {run}");
            assert_eq!(run.stderr.lines().count(), 1, "{file_name}: {run}");
            assert!(
                run.stderr.contains(&format!(
                    "{file_name}: record 2 (https://news.example/1): the record does not end where its Content-Length says"
                )),
                "{file_name}: {run}"
            );
            let urls: Vec<_> = articles(&env).into_iter().map(|(u, _)| u).collect();
            // Too long eats into the next record, which cannot be trusted either: it is
            // skipped past to the one after.
            let expected: &[usize] = if name == "short" { &[0, 2, 3] } else { &[0, 3] };
            let expected: Vec<_> = expected
                .iter()
                .map(|n| Some(format!("https://news.example/{n}")))
                .collect();
            assert_eq!(urls, expected, "{file_name}: {run}");
        }
    }
}

#[test]
fn a_record_over_the_file_limit_is_streamed_past_and_reported() {
    let env = TestEnv::new();
    let mut huge = response("text/html", "<p>");
    huge.resize(64 * 1024 * 1024 + 1, b'a');
    let bytes = [
        record("response", "https://news.example/huge", &huge),
        record(
            "response",
            "https://news.example/after",
            &response("text/html", &page(1)),
        ),
    ]
    .concat();
    drop(huge);
    let file = env.write("huge.warc", bytes);
    let run = env.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("articles: 1 new, 0 unchanged, 0 re-extracted, 1 failed"),
        "{run}"
    );
    assert_eq!(
        run.stderr,
        "error: [TMP]/huge.warc: record 1 (https://news.example/huge): 67108865 bytes is over the 67108864-byte limit for one record\n"
    );
    assert_eq!(
        articles(&env),
        [(s("https://news.example/after"), s("2025-06-03"))]
    );
}
