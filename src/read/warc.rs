//! Web archives: `.warc` and `.warc.gz` files (WARC 1.0/1.1, the format of Common Crawl's
//! CC-NEWS), read record by record as a stream.
//!
//! Our own parser over `flate2`'s `MultiGzDecoder` rather than a WARC crate: the format is a
//! header block and a `Content-Length`, and what matters here is ours to decide: memory
//! stays bounded whatever the archive's size (one record at a time, at most
//! [`MAX_FILE_BYTES`] of it, a larger one skipped by streaming past it), a record whose
//! `Content-Length` is wrong is reported and the reader finds the next record, and a
//! truncated archive keeps the records before the cut. The `warc` crate reads a whole record
//! before it can be refused, and stops at the first malformed one.
//!
//! Every `response` record whose HTTP payload is an HTML page becomes an article: its
//! `WARC-Target-URI` is the url (unless the page names its canonical one) and its
//! `WARC-Date` the date only when the page states none (the archive says when the page was
//! fetched, not when it was published). Other responses (an image, a PDF, a redirect, a 404)
//! are skipped and counted, not errors; other record types (`request`, `warcinfo`,
//! `metadata`) are not documents and pass silently.

use super::{Document, MAX_FILE_BYTES, ReadError, html, web, without_bom};
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The longest header line of a record or of its HTTP payload.
const MAX_LINE: u64 = 64 * 1024;
/// The most header lines a record may have.
const MAX_HEADERS: usize = 512;

/// True for a path `ingest` reads as a web archive.
pub fn is_archive(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// What one record of an archive gives.
// One record is alive at a time: its size on the stack costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Record {
    /// An HTML response read as an article, or why it could not be.
    Page(Result<Document, ReadError>),
    /// A response that is not an HTML page: skipped, counted.
    Skipped,
}

/// The records of one archive, in order. After an error the archive cannot be read past
/// (a truncated or corrupt gzip stream), the iterator ends.
pub struct Archive {
    path: PathBuf,
    reader: Box<dyn BufRead>,
    /// Bytes read from the file so far (compressed, for `.warc.gz`): progress by bytes.
    consumed: Rc<Cell<u64>>,
    /// 1-based number of the record being read.
    record: usize,
    /// A `WARC/` line already read while looking for the next record.
    pending: Option<Vec<u8>>,
    done: bool,
}

/// Counts the bytes read from the file under the decoder.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl Archive {
    pub fn open(path: &Path) -> Result<Archive, ReadError> {
        let file = std::fs::File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound { path: path.into() },
            _ => ReadError::Io {
                path: path.into(),
                message: e.to_string(),
            },
        })?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(ReadError::Io {
                path: path.into(),
                message: "is a directory".into(),
            });
        }
        Ok(Archive::new(path, file))
    }

    fn new(path: &Path, file: impl Read + 'static) -> Archive {
        let consumed = Rc::new(Cell::new(0));
        let counting = Counting {
            inner: file,
            count: consumed.clone(),
        };
        let gzip = path.to_string_lossy().to_ascii_lowercase().ends_with(".gz");
        let reader: Box<dyn BufRead> = if gzip {
            // Every record of a .warc.gz is its own gzip member: read them all, one by one.
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
                BufReader::new(counting),
            )))
        } else {
            Box::new(BufReader::new(counting))
        };
        Archive {
            path: path.to_path_buf(),
            reader,
            consumed,
            record: 0,
            pending: None,
            done: false,
        }
    }

    /// Bytes of the file read so far.
    pub fn consumed(&self) -> u64 {
        self.consumed.get()
    }

    fn error(&self, uri: Option<&str>, message: impl Into<String>) -> ReadError {
        let what = match uri {
            Some(uri) => format!("record {} ({})", self.record, super::shorten(uri)),
            None => format!("record {}", self.record),
        };
        ReadError::Warc {
            path: self.path.clone(),
            record: what,
            message: message.into(),
        }
    }

    /// One line, at most [`MAX_LINE`] bytes; empty at the end of the archive.
    fn line(&mut self) -> io::Result<Vec<u8>> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)?;
        Ok(line)
    }

    /// Skips to the next line that starts a record, after a record that could not be read
    /// to its end. Line by line, so a long stretch of garbage costs no memory.
    fn resync(&mut self) -> io::Result<()> {
        if self.pending.is_some() {
            return Ok(());
        }
        loop {
            let line = self.line()?;
            if line.is_empty() {
                return Ok(());
            }
            if line.starts_with(b"WARC/") {
                self.pending = Some(line);
                return Ok(());
            }
        }
    }

    /// The next record, `None` at the end of the archive.
    fn next_record(&mut self) -> Option<Record> {
        loop {
            if self.done {
                return None;
            }
            match self.read_record() {
                Ok(Some(Step::Record(r))) => return Some(r),
                Ok(Some(Step::Pass)) => {}
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(Failure::Record(e)) => {
                    // The record is reported; the archive goes on from the next one.
                    if let Err(io) = self.resync() {
                        self.done = true;
                        return Some(Record::Page(Err(self.unreadable(io))));
                    }
                    return Some(Record::Page(Err(e)));
                }
                Err(Failure::Fatal(e)) => {
                    self.done = true;
                    return Some(Record::Page(Err(e)));
                }
            }
        }
    }

    fn unreadable(&self, e: io::Error) -> ReadError {
        self.error(
            None,
            format!("cannot read the archive past here (truncated or corrupt?): {e}"),
        )
    }

    fn read_record(&mut self) -> Result<Option<Step>, Failure> {
        let fatal = |this: &Self, e: io::Error| Failure::Fatal(this.unreadable(e));
        // The version line, after any blank lines between records.
        let first = match self.pending.take() {
            Some(line) => line,
            None => loop {
                let line = self.line().map_err(|e| fatal(self, e))?;
                if line.is_empty() {
                    return Ok(None);
                }
                if !line.trim_ascii().is_empty() {
                    break line;
                }
            },
        };
        self.record += 1;
        if !first.starts_with(b"WARC/") {
            return Err(Failure::Record(self.error(
                None,
                format!(
                    "not a WARC record (starts with '{}')",
                    super::shorten(&String::from_utf8_lossy(first.trim_ascii()))
                ),
            )));
        }
        let mut headers = Vec::new();
        loop {
            let line = self.line().map_err(|e| fatal(self, e))?;
            if line.is_empty() {
                return Err(Failure::Fatal(self.error(
                    None,
                    "the archive ends inside the record's header (truncated?)",
                )));
            }
            if line.trim_ascii().is_empty() {
                break;
            }
            if headers.len() >= MAX_HEADERS {
                return Err(Failure::Record(
                    self.error(None, format!("more than {MAX_HEADERS} header lines")),
                ));
            }
            headers.push(String::from_utf8_lossy(&line).into_owned());
        }
        let header = |name: &str| header(&headers, name);
        let uri = header("WARC-Target-URI").map(|u| u.trim_matches(['<', '>']).to_string());
        let uri = uri.as_deref();
        let length = header("Content-Length")
            .and_then(|l| l.parse::<u64>().ok())
            .ok_or_else(|| {
                Failure::Record(self.error(uri, "no readable Content-Length in the record header"))
            })?;
        let response = header("WARC-Type").is_some_and(|t| t.eq_ignore_ascii_case("response"));
        if !response || length > MAX_FILE_BYTES {
            // Streamed past, never held.
            let skipped = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())
                .map_err(|e| fatal(self, e))?;
            if skipped < length {
                return Err(Failure::Fatal(
                    self.error(uri, "the archive ends inside the record (truncated?)"),
                ));
            }
            self.trailer(uri)?;
            if !response {
                return Ok(Some(Step::Pass));
            }
            return Err(Failure::Record(self.error(
                uri,
                format!("{length} bytes is over the {MAX_FILE_BYTES}-byte limit for one record"),
            )));
        }
        let mut block = Vec::with_capacity(usize::try_from(length).unwrap_or(0).min(1 << 20));
        (&mut self.reader)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| fatal(self, e))?;
        if (block.len() as u64) < length {
            return Err(Failure::Fatal(self.error(
                uri,
                format!(
                    "the archive ends inside the record ({} of its {length} bytes; truncated?)",
                    block.len()
                ),
            )));
        }
        self.trailer(uri)?;
        let date = header("WARC-Date").and_then(super::parse_date);
        let Some(uri) = uri else {
            return Err(Failure::Record(
                self.error(None, "a response record without WARC-Target-URI"),
            ));
        };
        Ok(Some(match page(&block, uri) {
            Ok(Some(mut doc)) => {
                if doc.meta.published.is_none() {
                    doc.meta.published = date;
                }
                doc.origin.path = self.path.clone();
                Step::Record(Record::Page(Ok(doc)))
            }
            Ok(None) => Step::Record(Record::Skipped),
            Err(message) => Step::Record(Record::Page(Err(self.error(Some(uri), message)))),
        }))
    }

    /// The blank line that ends every record. Anything else means the `Content-Length` did
    /// not say where the record ends, and nothing read from it can be trusted.
    fn trailer(&mut self, uri: Option<&str>) -> Result<(), Failure> {
        for _ in 0..2 {
            let line = self
                .line()
                .map_err(|e| Failure::Fatal(self.unreadable(e)))?;
            if line.is_empty() {
                // The last record without its closing blank lines: its block is whole.
                return Ok(());
            }
            if !line.trim_ascii().is_empty() {
                if line.starts_with(b"WARC/") {
                    self.pending = Some(line);
                }
                return Err(Failure::Record(self.error(
                    uri,
                    "the record does not end where its Content-Length says (wrong Content-Length?)",
                )));
            }
        }
        Ok(())
    }
}

#[allow(clippy::large_enum_variant)]
enum Step {
    Record(Record),
    /// A record that is not a document (request, warcinfo, metadata).
    Pass,
}

enum Failure {
    /// This record is bad; the next one may be read.
    Record(ReadError),
    /// Nothing past here can be read.
    Fatal(ReadError),
}

impl Iterator for Archive {
    type Item = Record;
    fn next(&mut self) -> Option<Record> {
        self.next_record()
    }
}

/// The value of header `name` (case-insensitive), trimmed.
fn header<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The article in an archived HTTP response: `Ok(None)` when it is not an HTML page (another
/// media type, a status other than 2xx), `Err` when it claims to be one and cannot be read.
fn page(block: &[u8], uri: &str) -> Result<Option<Document>, String> {
    let split = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)));
    let Some((head_end, body_start)) = split else {
        return Err("no HTTP header in the response record".into());
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    if !status.starts_with("HTTP/") {
        return Err(format!(
            "not an HTTP response (starts with '{}')",
            super::shorten(status)
        ));
    }
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        return Ok(None);
    }
    let headers: Vec<String> = lines.map(str::to_string).collect();
    let content_type = header(&headers, "Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    let mut body = block[body_start..].to_vec();
    if header(&headers, "Transfer-Encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body).ok_or("a chunked body that does not parse")?;
    }
    if let Some(encoding) = header(&headers, "Content-Encoding") {
        body = web::decompress(encoding, &body[..])
            .map_err(|e| format!("cannot decode the {encoding} body: {e}"))?;
    }
    let html = match mime {
        "text/html" | "application/xhtml+xml" => true,
        "" => looks_like_html(&body),
        _ => false,
    };
    if !html {
        return Ok(None);
    }
    if body[..body.len().min(super::BINARY_SNIFF_BYTES)].contains(&0) {
        return Err("looks like a binary file, not text".into());
    }
    let text = web::decode(body, web::charset(&content_type))
        .map_err(|offset| format!("not valid UTF-8 text (byte {offset})"))?;
    if without_bom(&text).trim().is_empty() {
        return Err("empty page, no article text".into());
    }
    let mut doc = html::read(Path::new(uri), without_bom(&text)).map_err(|e| match e {
        ReadError::Html { message, .. } => message,
        other => other.to_string(),
    })?;
    if doc.meta.url.is_none() {
        doc.meta.url = Some(uri.to_string());
    }
    Ok(Some(doc.without_controls()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// A `Transfer-Encoding: chunked` body, as a crawler that kept it wrote it.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(body, b"\n")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-06-02T07:00:00Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn response(content_type: &str, body: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}").into_bytes()
    }

    fn records(path: &Path, bytes: &[u8]) -> Vec<Record> {
        Archive::new(path, io::Cursor::new(bytes.to_vec())).collect()
    }

    #[test]
    fn html_responses_are_pages_and_other_records_pass_or_are_skipped() {
        let mut warc = record("warcinfo", "", b"software: test\r\n");
        warc.extend(record(
            "response",
            "https://a.example/1",
            &response(
                "text/html",
                "<p>The mayor said the bridge would reopen.</p>",
            ),
        ));
        warc.extend(record(
            "response",
            "https://a.example/x.png",
            &response("image/png", "PNG"),
        ));
        let got = records(Path::new("a.warc"), &warc);
        assert_eq!(got.len(), 2, "{got:?}");
        let Record::Page(Ok(doc)) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(doc.meta.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(
            doc.meta.published,
            chrono::NaiveDate::from_ymd_opt(2025, 6, 2)
        );
        assert!(matches!(got[1], Record::Skipped));
    }

    #[test]
    fn consumed_bytes_reach_the_file_size_compressed_too() {
        let mut plain = Vec::new();
        let mut gz = Vec::new();
        for i in 0..3 {
            let r = record(
                "response",
                &format!("https://a.example/{i}"),
                &response("text/html", &format!("<p>Story {i} said so.</p>")),
            );
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&r).unwrap();
            gz.extend(enc.finish().unwrap());
            plain.extend(r);
        }
        for (name, bytes) in [("a.warc", plain), ("a.warc.gz", gz)] {
            let mut archive = Archive::new(Path::new(name), io::Cursor::new(bytes.clone()));
            let pages = archive
                .by_ref()
                .filter(|r| matches!(r, Record::Page(Ok(_))))
                .count();
            assert_eq!(pages, 3, "{name}");
            assert_eq!(archive.consumed(), bytes.len() as u64, "{name}");
        }
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\n\r\n").as_deref(),
            Some(&b"Wikipedia"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
    }
}
