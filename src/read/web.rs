//! Web pages by URL: `claimtrail ingest https://...`. One blocking GET with a well-kept HTTP
//! client (ureq, rustls), then the HTML reader every page file goes through.
//!
//! What is ours around the client: timeouts (connect and whole request), at most
//! [`MAX_REDIRECTS`] redirects, the [file limit](super::MAX_FILE_BYTES) enforced while the body
//! streams in (a 200 MB response costs at most 64 MiB, and nothing when it says its size
//! first), gzip taken care of by the client and deflate by us (zlib-wrapped or raw, within the
//! same limit once decoded), a User-Agent naming claimtrail, only HTML, text
//! and feeds accepted (a PDF or an image is refused by its `Content-Type`, a body with a NUL byte
//! as binary), the charset the body really has (valid UTF-8 is read as UTF-8 whatever the
//! header declares; other bytes are decoded by the declared charset, and refused when that
//! is UTF-8 or unknown), and the final URL after redirects as the article's url when the page
//! names no canonical one. Every failure is one line naming the URL: `URL: HTTP 404`.

use super::{Document, MAX_FILE_BYTES, ReadError, html, without_bom};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// Redirects followed before a URL is refused (a loop ends here).
pub const MAX_REDIRECTS: u32 = 5;

/// What claimtrail tells servers it is.
const USER_AGENT: &str = concat!(
    "claimtrail/",
    env!("CARGO_PKG_VERSION"),
    " (source-attribution fact-check database)"
);

/// True for an argument `ingest` fetches rather than opens: an http or https URL.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A reusable HTTP client with claimtrail's limits.
pub struct Fetcher {
    agent: ureq::Agent,
}

impl Fetcher {
    /// `timeout` bounds a whole request, connection and body included.
    pub fn new(timeout: Duration) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .max_redirects(MAX_REDIRECTS)
            .max_redirects_will_error(true)
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            // gzip the client decodes, deflate we do (see `decompress`); nothing else is
            // asked for, so nothing else should come.
            .accept_encoding("gzip, deflate")
            .build();
        Fetcher {
            agent: config.into(),
        }
    }

    /// Fetches `url` and reads it as a web page.
    pub fn fetch(&self, url: &str) -> Result<Document, ReadError> {
        let body = self.get(url)?;
        page(url, body)
    }

    /// Fetches `url` and reads it as what it is: a feed (by its media type or, for the
    /// generic XML and HTML types, its root element) or a web page.
    pub fn fetch_any(&self, url: &str) -> Result<Fetched, ReadError> {
        let body = self.get(url)?;
        let feed_type = matches!(
            body.mime.as_str(),
            "application/rss+xml" | "application/atom+xml" | "application/rdf+xml"
        );
        if feed_type || super::feed::is_feed(&body.bytes) {
            return Ok(Fetched::Feed {
                final_url: body.final_url,
                bytes: body.bytes,
            });
        }
        page(url, body).map(Fetched::Page)
    }

    /// One GET with every limit applied: the body, decoded from its Content-Encoding.
    fn get(&self, url: &str) -> Result<Body, ReadError> {
        let err = |message: String| ReadError::Web {
            url: url.to_string(),
            message,
        };
        let mut response = self.agent.get(url).call().map_err(|e| err(describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(err(format!("HTTP {}", status.as_u16())));
        }
        let final_url = {
            use ureq::ResponseExt;
            response.get_uri().to_string()
        };
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let content_type = header("content-type");
        let encoding = header("content-encoding");
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if !mime.is_empty() && !is_page_type(&mime) && !is_feed_type(&mime) {
            return Err(err(format!(
                "not a web page (Content-Type {}), expected HTML",
                super::shorten(&mime)
            )));
        }
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let too_large = |size| ReadError::TooLarge {
            path: url.into(),
            size,
            limit: MAX_FILE_BYTES,
            hint: "",
        };
        if let Some(size) = declared.filter(|s| *s > MAX_FILE_BYTES) {
            return Err(too_large(size));
        }
        let mut bytes = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .reader()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| err(format!("cannot read the response: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        // The client decodes gzip itself; deflate, which it only passes through, is ours.
        if encoding.trim() == "deflate" {
            bytes = decompress("deflate", &bytes[..]).map_err(|e| match e.kind() {
                std::io::ErrorKind::FileTooLarge => too_large(MAX_FILE_BYTES + 1),
                _ => err(format!("cannot decode the deflate body: {e}")),
            })?;
        }
        Ok(Body {
            final_url,
            mime,
            content_type,
            bytes,
        })
    }
}

/// What a URL held.
pub enum Fetched {
    Page(Document),
    /// A feed, not yet parsed: its entries' links are relative to `final_url`.
    Feed {
        final_url: String,
        bytes: Vec<u8>,
    },
}

/// A response body within the limits, decoded from its Content-Encoding.
struct Body {
    final_url: String,
    /// The media type, lower-case, without parameters ("" when none was sent).
    mime: String,
    /// The whole Content-Type header, lower-case.
    content_type: String,
    bytes: Vec<u8>,
}

/// The body of `url` read as a web page.
fn page(url: &str, body: Body) -> Result<Document, ReadError> {
    let path = Path::new(url);
    if is_feed_type(&body.mime) && !is_page_type(&body.mime) {
        return Err(ReadError::Web {
            url: url.to_string(),
            message: format!(
                "a feed (Content-Type {}), not a web page",
                super::shorten(&body.mime)
            ),
        });
    }
    let bytes = body.bytes;
    if bytes[..bytes.len().min(super::BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(ReadError::Binary { path: path.into() });
    }
    let text = decode(bytes, charset(&body.content_type)).map_err(|offset| ReadError::NotUtf8 {
        path: path.into(),
        offset,
    })?;
    if without_bom(&text).trim().is_empty() {
        return Err(ReadError::Empty { path: path.into() });
    }
    let mut doc = html::read(path, without_bom(&text))?;
    if doc.meta.url.is_none() {
        doc.meta.url = Some(body.final_url);
    }
    Ok(doc.without_controls())
}

/// Media types only a feed has.
fn is_feed_type(mime: &str) -> bool {
    matches!(
        mime,
        "application/rss+xml" | "application/atom+xml" | "application/rdf+xml"
    )
}

/// A body decoded from its `Content-Encoding`, at most [`MAX_FILE_BYTES`] of it (an error
/// of kind `FileTooLarge` past that: a small compressed body can expand to gigabytes).
/// `deflate` is meant to be zlib-wrapped (RFC 9110), but servers also send raw deflate
/// streams: the zlib header tells them apart.
pub(super) fn decompress(encoding: &str, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let encoding = encoding.trim().to_ascii_lowercase();
    let reader: Box<dyn Read + '_> = match encoding.as_str() {
        "" | "identity" => Box::new(bytes),
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
        "deflate" if is_zlib(bytes) => Box::new(flate2::read::ZlibDecoder::new(bytes)),
        "deflate" => Box::new(flate2::read::DeflateDecoder::new(bytes)),
        other => {
            return Err(std::io::Error::other(format!(
                "unsupported Content-Encoding '{}'",
                super::shorten(other)
            )));
        }
    };
    let mut out = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("decoded body over the {MAX_FILE_BYTES}-byte limit"),
        ));
    }
    Ok(out)
}

/// A zlib stream's two-byte header: deflate method, a window up to 32 KiB, and a check
/// that makes the pair a multiple of 31.
fn is_zlib(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// Media types read as a page: HTML, XHTML and plain text.
fn is_page_type(mime: &str) -> bool {
    matches!(
        mime,
        "text/html" | "application/xhtml+xml" | "text/plain" | "application/xml" | "text/xml"
    )
}

/// The `charset` parameter of a Content-Type, lower-case.
pub(super) fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches('"'))
    })
}

/// The body as text. Valid UTF-8 is UTF-8, whatever the header said (a server that declares
/// Latin-1 and sends UTF-8 is common, and reading UTF-8 as Latin-1 would garble every
/// accented letter). Otherwise the declared charset decodes it; with none declared, or UTF-8
/// declared, the bytes are refused at the first invalid one (`Err(offset)`).
pub(super) fn decode(bytes: Vec<u8>, declared: Option<&str>) -> Result<String, usize> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let offset = bytes.utf8_error().valid_up_to();
    let encoding = declared
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .ok_or(offset)?;
    let (text, _, _) = encoding.decode(bytes.as_bytes());
    Ok(text.into_owned())
}

/// One line for a failed request, naming what happened rather than the client's internals.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::TooManyRedirects => {
            format!("more than {MAX_REDIRECTS} redirects (a redirect loop?)")
        }
        ureq::Error::ConnectionFailed => "cannot connect".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".into()
        }
        other => collapse_line(&other.to_string()),
    }
}

fn collapse_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_and_https_only() {
        for url in ["http://a.example/x", "HTTPS://a.example", "https://"] {
            assert!(is_url(url), "{url}");
        }
        for not in ["ftp://a", "a.html", "http:/a", "/tmp/https://x", ""] {
            assert!(!is_url(not), "{not}");
        }
    }

    #[test]
    fn a_body_is_utf8_when_it_is_whatever_the_header_says() {
        let utf8 = "Café".as_bytes().to_vec();
        assert_eq!(decode(utf8.clone(), Some("iso-8859-1")).unwrap(), "Café");
        assert_eq!(decode(utf8, None).unwrap(), "Café");
        // Latin-1 bytes: decoded by the declared charset, refused without one.
        assert_eq!(
            decode(b"Caf\xe9".to_vec(), Some("iso-8859-1")).unwrap(),
            "Café"
        );
        assert_eq!(decode(b"Caf\xe9".to_vec(), Some("utf-8")), Err(3));
        assert_eq!(decode(b"Caf\xe9".to_vec(), None), Err(3));
        assert_eq!(decode(b"Caf\xe9".to_vec(), Some("no-such")), Err(3));
    }

    #[test]
    fn charset_is_read_from_the_content_type() {
        assert_eq!(charset("text/html; charset=iso-8859-1"), Some("iso-8859-1"));
        assert_eq!(charset("text/html;charset=\"utf-8\""), Some("utf-8"));
        assert_eq!(charset("text/html"), None);
    }
}
