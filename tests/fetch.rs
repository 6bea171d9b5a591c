//! `claimtrail ingest URL...` against a loopback server each test starts itself: no test
//! touches the network.

use crate::common::TestEnv;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><title>Dam repairs | Test Gazette</title>\
<meta property=\"og:site_name\" content=\"The Test Gazette\">\
<meta property=\"article:published_time\" content=\"2025-06-02T09:00:00+02:00\">\
</head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article>\
<h1>Dam repairs will take a year, engineers say</h1>\
<p>Repairs to the Oldwater dam will take at least a year, the regional water board said on \
Monday, according to a statement published on its website.</p>\
<p>“We found cracks in two of the spillway gates,” chief engineer Lena Brask told the Gazette. \
She said the reservoir would be kept a third below its usual level until the work is done.</p>\
<p>Residents downstream were told there was no immediate danger.</p>\
</article><footer>Contact us</footer></body></html>";

/// What the server sends for one path: the status line and headers, then the body.
pub(crate) struct Reply {
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

pub(crate) fn reply(status: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    let body = body.into();
    Reply {
        head: format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
        body,
    }
}

fn redirect(to: &str) -> Reply {
    Reply {
        head: format!(
            "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        body: Vec::new(),
    }
}

/// A loopback HTTP server answering every path with `route(path)`, on its own threads for the
/// rest of the test process. Returns its base URL.
pub(crate) fn serve(route: fn(&str) -> Option<Reply>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream, route));
        }
    });
    base
}

fn answer(mut stream: TcpStream, route: fn(&str) -> Option<Reply>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    // The rest of the request head.
    let mut line = String::new();
    let mut accept_encoding = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("accept-encoding")
        {
            accept_encoding = value.trim().to_string();
        }
        line.clear();
    }
    match path.as_str() {
        "/accept-encoding" => {
            let page = format!(
                "<p>The client said it accepts {accept_encoding} as encodings, the server said.</p>"
            );
            let r = reply("200 OK", "text/html", page);
            let _ = stream.write_all(r.head.as_bytes());
            let _ = stream.write_all(&r.body);
        }
        "/slow" => thread::sleep(Duration::from_secs(30)),
        "/huge-chunked" => {
            // 200 MB without a Content-Length: the client must stop at the file limit.
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            );
            let chunk = vec![b'a'; 1 << 20];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            for _ in 0..200 {
                if stream.write_all(&framed).is_err() {
                    return;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
        _ => {
            let r = route(&path).unwrap_or_else(|| reply("404 Not Found", "text/html", "gone"));
            let _ = stream.write_all(r.head.as_bytes());
            let _ = stream.write_all(&r.body);
        }
    }
}

fn routes(path: &str) -> Option<Reply> {
    Some(match path {
        "/page" => reply("200 OK", "text/html; charset=utf-8", PAGE),
        "/moved" => redirect("/page"),
        "/loop" => redirect("/loop"),
        "/broken" => reply("500 Internal Server Error", "text/html", "oops"),
        "/paper.pdf" => reply("200 OK", "application/pdf", "%PDF-1.7 ..."),
        "/photo.png" => reply("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0".to_vec()),
        "/huge" => Reply {
            head: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\n".into(),
            body: b"<p>".to_vec(),
        },
        // Declares UTF-8, sends Latin-1.
        "/latin1-as-utf8" => reply(
            "200 OK",
            "text/html; charset=utf-8",
            b"<p>Caf\xe9 owners said the square would reopen.</p>".to_vec(),
        ),
        // Declares Latin-1, sends UTF-8.
        "/utf8-as-latin1" => reply(
            "200 OK",
            "text/html; charset=iso-8859-1",
            "<p>The café owners said the square would reopen in June.</p>",
        ),
        // Declares Latin-1 and sends it.
        "/latin1" => reply(
            "200 OK",
            "text/html; charset=iso-8859-1",
            b"<p>The caf\xe9 owners said the market would reopen in July.</p>".to_vec(),
        ),
        "/gzip" => encoded("gzip", {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(COMPRESSED_PAGE.as_bytes()).unwrap();
            enc.finish().unwrap()
        }),
        // RFC 9110's deflate is a zlib stream; some servers send a raw deflate one.
        "/deflate-zlib" => encoded("deflate", {
            let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(COMPRESSED_PAGE.as_bytes()).unwrap();
            enc.finish().unwrap()
        }),
        "/deflate-raw" => encoded("deflate", {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(COMPRESSED_PAGE.as_bytes()).unwrap();
            enc.finish().unwrap()
        }),
        "/deflate-corrupt" => encoded("deflate", b"\x78\x9c not deflate at all".to_vec()),
        // 65 MiB of zeros in 64 KiB: the limit holds for what the body decodes to.
        "/deflate-bomb" => encoded("deflate", {
            let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            let zeros = vec![b' '; 1 << 20];
            for _ in 0..65 {
                enc.write_all(&zeros).unwrap();
            }
            enc.finish().unwrap()
        }),
        _ => return None,
    })
}

const COMPRESSED_PAGE: &str = "<html><body><p>The harbour will be dredged this winter, the port \
authority said on Tuesday.</p></body></html>";

/// A 200 HTML reply whose body is sent with `Content-Encoding: encoding`.
fn encoded(encoding: &str, body: Vec<u8>) -> Reply {
    Reply {
        head: format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {encoding}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
        body,
    }
}

#[test]
fn gzip_and_deflate_bodies_are_decoded_zlib_wrapped_or_raw() {
    let base = serve(routes);
    for path in ["/gzip", "/deflate-zlib", "/deflate-raw"] {
        let env = TestEnv::new();
        let url = format!("{base}{path}");
        let run = env.run(&["ingest", &url]);
        assert_eq!(run.code, 0, "{path}: {run}");
        let stored = stored(&env);
        assert_eq!(stored.len(), 1, "{path}");
        assert!(
            stored[0]
                .2
                .starts_with("The harbour will be dredged this winter"),
            "{path}: {stored:?}"
        );
    }
    // What is asked for is what is decoded.
    let env = TestEnv::new();
    let run = env.run(&["ingest", &format!("{base}/accept-encoding")]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        stored(&env)[0].2.contains("accepts gzip, deflate as"),
        "{:?}",
        stored(&env)
    );
}

#[test]
fn a_corrupt_or_oversized_deflate_body_is_one_line_and_exit_2() {
    let base = serve(routes);
    let env = TestEnv::new();
    let corrupt = format!("{base}/deflate-corrupt");
    let run = env.run(&["ingest", &corrupt]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(
        run.stderr
            .starts_with(&format!("error: {corrupt}: cannot decode the deflate body")),
        "{run}"
    );
    let bomb = format!("{base}/deflate-bomb");
    let run = env.run(&["ingest", &bomb]);
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(run.stderr.lines().count(), 1, "{run}");
    assert!(run.stderr.starts_with(&format!("error: {bomb}: ")), "{run}");
    assert!(run.stderr.contains("over the 67108864-byte limit"), "{run}");
}

fn stored(env: &TestEnv) -> Vec<(String, Option<String>, String)> {
    let db = env.db();
    let mut st = db
        .prepare("SELECT url, outlet, text FROM articles ORDER BY id")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_url_is_fetched_read_as_a_page_and_stored_once() {
    let base = serve(routes);
    let env = TestEnv::new();
    let url = format!("{base}/page");
    let run = env.run(&["ingest", &url]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout.starts_with("articles: 1 new, 0 unchanged"),
        "{run}"
    );
    let rows = stored(&env);
    assert_eq!(rows.len(), 1);
    let (stored_url, outlet, text) = &rows[0];
    assert_eq!(
        stored_url, &url,
        "the page names no canonical url: the url fetched"
    );
    assert_eq!(outlet.as_deref(), Some("The Test Gazette"));
    assert!(
        text.starts_with("Dam repairs will take a year, engineers say\n"),
        "{text}"
    );
    assert!(
        !text.contains("Home") && !text.contains("Contact us"),
        "{text}"
    );
    let claims = env.counts()["claims"];
    assert!(claims >= 2, "{claims}");

    // The same text again, by a redirect this time: nothing new.
    let again = env.run(&["ingest", &format!("{base}/moved")]);
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stdout.starts_with("articles: 0 new, 1 unchanged"),
        "{again}"
    );
    assert_eq!(env.counts()["claims"], claims);
}

#[test]
fn the_url_after_redirects_is_the_article_url() {
    let base = serve(routes);
    let env = TestEnv::new();
    let run = env.run(&["ingest", &format!("{base}/moved")]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(stored(&env)[0].0, format!("{base}/page"));
}

/// Each bad URL is one line naming it, exit 2 when it is alone, and a counted failure while
/// the rest of the batch goes on.
#[test]
fn bad_urls_are_one_line_each_and_the_batch_goes_on() {
    let base = serve(routes);
    // A port nothing listens on: bind one, then free it.
    let refused = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/page", l.local_addr().unwrap())
    };
    let cases: Vec<(String, &str)> = vec![
        (format!("{base}/missing"), "HTTP 404"),
        (format!("{base}/broken"), "HTTP 500"),
        (format!("{base}/loop"), "more than 5 redirects"),
        (
            format!("{base}/paper.pdf"),
            "not a web page (Content-Type application/pdf)",
        ),
        (
            format!("{base}/photo.png"),
            "not a web page (Content-Type image/png)",
        ),
        (
            format!("{base}/huge"),
            "200000000 bytes is over the 67108864-byte limit",
        ),
        (
            format!("{base}/huge-chunked"),
            "bytes is over the 67108864-byte limit",
        ),
        (
            format!("{base}/latin1-as-utf8"),
            "not valid UTF-8 text (byte 6)",
        ),
        (format!("{base}/slow"), "timed out"),
        (refused.clone(), ""),
    ];
    for (url, message) in &cases {
        let env = TestEnv::new();
        let run = env.run(&["ingest", "--timeout", "2", url]);
        run.assert_one_line_error(2);
        assert!(
            run.stderr.starts_with(&format!("error: {url}: ")),
            "names the url: {run}"
        );
        assert!(run.stderr.contains(message), "{message:?}: {run}");
        assert!(env.nothing_stored(), "{run}");
    }

    // In one batch with a good page: each failure counted, the page stored, exit 0.
    let env = TestEnv::new();
    let mut args = vec!["ingest".to_string(), "--timeout".into(), "2".into()];
    args.extend(cases.iter().map(|(u, _)| u.clone()));
    args.push(format!("{base}/page"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = env.run(&args);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stderr.lines().count(), cases.len(), "{run}");
    assert!(
        run.stdout.starts_with(&format!(
            "articles: 1 new, 0 unchanged, 0 re-extracted, {} failed",
            cases.len()
        )),
        "{run}"
    );
    assert!(!run.stderr.contains("panicked"), "{run}");
}

#[test]
fn a_page_sent_in_another_charset_than_declared_is_read_as_it_is() {
    let base = serve(routes);
    let env = TestEnv::new();
    let run = env.run(&[
        "ingest",
        &format!("{base}/utf8-as-latin1"),
        &format!("{base}/latin1"),
    ]);
    assert_eq!(run.code, 0, "{run}");
    let texts: Vec<String> = stored(&env).into_iter().map(|r| r.2).collect();
    assert!(
        texts[0].contains("The café owners said the square"),
        "{texts:?}"
    );
    assert!(
        texts[1].contains("The café owners said the market"),
        "{texts:?}"
    );
}
