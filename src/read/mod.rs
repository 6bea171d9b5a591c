//! Reading documents: every supported file format becomes one or more [`Document`]s, each
//! a text with what is known about it ([`ArticleMeta`]).
//!
//! [`read_file`] does the checks every format shares (the file exists, is not too large,
//! is UTF-8 text and not empty) and then hands the text to the reader for its extension:
//! [`text`] for `.txt`/`.md` with front matter, [`html`] for web pages, [`json`] for `.json`
//! and `.jsonl`. Readers never invent metadata: what a file does not say stays `None`.

mod date;
pub mod feed;
mod html;
mod json;
mod text;
pub mod warc;
pub mod web;

use crate::model::ArticleMeta;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The file extensions [`read_file`] understands, lower-case.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "json", "jsonl"];

/// How many leading bytes are searched for a NUL to tell binary files from text.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// The largest file a reader accepts, in bytes. Larger files are refused with
/// [`ReadError::TooLarge`] before they are read, so memory stays bounded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The longest metadata value (a title, an outlet, a url, an author, a date, in front matter
/// or a JSON field), in bytes. A longer one in front matter or JSON refuses the article
/// (the message names the field and line); one in an HTML page's head is left unknown, as
/// an unreadable date there is. No real headline or outlet name comes near it, and a source
/// name is shown in every listing that names it.
pub const MAX_META_BYTES: usize = 4096;

/// One article ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub meta: ArticleMeta,
    /// The article text. For `.txt`/`.md`: the file's content after the front matter, exactly
    /// as read (no normalisation but control characters, replaced one for one), so char
    /// offsets line up with the file body. For HTML: the
    /// visible article text, paragraphs separated by a newline. For JSON: the `text` field.
    pub text: String,
    /// Where it came from, for messages: the file, and the line for JSONL.
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    /// 1-based line number for documents read from JSONL.
    pub line: Option<usize>,
    /// The feed entry it was read for, remembered with the article so that the feed read
    /// again does not fetch it again.
    pub feed_entry: Option<FeedEntry>,
}

/// An entry of a feed: the feed (its URL as given, or the file's absolute path) and the
/// entry's id within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub feed: String,
    pub id: String,
}

/// Why a file (or a line of one) could not be read. Every message names the file, and the
/// line where there is one, on one line.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: not found")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read: {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}: not valid UTF-8 text (byte {offset})")]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: looks like a binary file, not text")]
    Binary { path: PathBuf },
    #[error("{path}: empty file, no article text")]
    Empty { path: PathBuf },
    #[error("{path}: {size} bytes is over the {limit}-byte limit for one file{hint}")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        /// What to do about it, when there is something to say ("" otherwise).
        hint: &'static str,
    },
    #[error("{path}:{line}: front matter: {message}")]
    FrontMatter {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}:{line}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Html { path: PathBuf, message: String },
    /// A URL that could not be fetched as a page: `URL: HTTP 404`, `URL: timed out`.
    #[error("{url}: {message}")]
    Web { url: String, message: String },
    /// A feed, or one of its entries, that could not be read: `FEED: entry 3 (id): no link`.
    #[error("{feed}: {message}")]
    Feed { feed: String, message: String },
    /// A record of a web archive that could not be read.
    #[error("{path}: {record}: {message}")]
    Warc {
        path: PathBuf,
        /// "record 3 (https://...)".
        record: String,
        message: String,
    },
    #[error("{path}: unsupported file type (expected .txt, .md, .html, .htm, .json or .jsonl)")]
    Unsupported { path: PathBuf },
    #[error(
        "{path}: {field}: cannot read date '{value}' (accepted: YYYY-MM-DD, RFC 3339 / ISO 8601 date-time, RFC 2822)"
    )]
    Date {
        path: PathBuf,
        field: String,
        value: String,
    },
}

/// Expands the paths given on the command line.
///
/// - A file is taken as it is, whatever its extension ([`read_file`] reports an unsupported
///   one, so the user hears about it rather than having it vanish).
/// - A folder is walked recursively (symbolic links followed), keeping only files with a
///   [supported extension](SUPPORTED_EXTENSIONS), in file-name order within each folder so
///   the result is the same on every machine. Hidden files and folders (a name starting
///   with `.`) are skipped, and so are files named `README.md` (any case): inside a corpus
///   folder they document the corpus, they are not articles.
/// - A missing path, a symlink loop, or an entry that cannot be read is an `Err` item in
///   place, so the rest of the batch goes on. Loops are reported once and never followed.
pub fn collect_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, ReadError>> {
    let mut out = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(Err(ReadError::NotFound { path: path.clone() }))
            }
            Err(e) => out.push(Err(ReadError::Io {
                path: path.clone(),
                message: e.to_string(),
            })),
            Ok(m) if m.is_dir() => walk(path, &mut out),
            Ok(_) => out.push(Ok(path.clone())),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<PathBuf, ReadError>>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // The folder the user named is walked even when it is hidden (`.` or `./.drafts`).
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && is_article_file(e.path()) => {
                out.push(Ok(e.into_path()))
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let item = if let Some(ancestor) = e.loop_ancestor() {
                    ReadError::Io {
                        path,
                        message: format!(
                            "symbolic link loop back to {}, not followed",
                            ancestor.display()
                        ),
                    }
                } else if e
                    .io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                {
                    // A dangling symbolic link.
                    ReadError::NotFound { path }
                } else {
                    let message = e
                        .io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string());
                    ReadError::Io { path, message }
                };
                out.push(Err(item));
            }
        }
    }
}

/// A file a folder walk keeps: a supported extension, and not a `README.md`.
fn is_article_file(path: &Path) -> bool {
    let readme = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("README.md"));
    !readme
        && (extension(path).is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e.as_str()))
            || warc::is_archive(path))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Reads one file into its documents (one for txt/md/html/json, one per line for JSONL).
/// The outer error means nothing in the file could be read; the inner ones are per
/// document (a malformed JSONL line), so the other lines still go on.
///
/// Before any format is looked at, in this order: a missing path is
/// [`ReadError::NotFound`]; a file over [`MAX_FILE_BYTES`] is [`ReadError::TooLarge`]
/// (judged from its metadata, before reading); a NUL byte in the first 8 KiB is
/// [`ReadError::Binary`]; invalid UTF-8 is [`ReadError::NotUtf8`] with the byte offset in
/// the file; empty or whitespace-only content is [`ReadError::Empty`]; an extension other
/// than `.txt`, `.md`, `.html`, `.htm`, `.json`, `.jsonl` (any case) is
/// [`ReadError::Unsupported`]. A UTF-8 byte order mark is dropped. Control characters
/// other than tab, line and page breaks become U+FFFD in the text and the metadata.
pub fn read_file(path: &Path) -> Result<Vec<Result<Document, ReadError>>, ReadError> {
    let docs = read_documents(path)?;
    Ok(docs
        .into_iter()
        .map(|doc| doc.map(Document::without_controls))
        .collect())
}

fn read_documents(path: &Path) -> Result<Vec<Result<Document, ReadError>>, ReadError> {
    documents(path, read_text(path)?)
}

fn documents(path: &Path, content: String) -> Result<Vec<Result<Document, ReadError>>, ReadError> {
    // A file holding one document that fails could not be read at all: the outer error.
    match extension(path).as_deref() {
        // A text file keeps a leading byte-order mark: span offsets count it, as the
        // annotators' tools that read the same file do. Parsers of structure drop it.
        Some("txt") => Ok(vec![Ok(text::read(path, &content, false)?)]),
        Some("md") => Ok(vec![Ok(text::read(path, &content, true)?)]),
        Some("html" | "htm") => Ok(vec![Ok(html::read(path, without_bom(&content))?)]),
        Some("json") => Ok(vec![Ok(json::read_object(path, without_bom(&content))?)]),
        Some("jsonl") => Ok(json::read_lines(path, without_bom(&content))),
        _ => Err(ReadError::Unsupported {
            path: path.to_path_buf(),
        }),
    }
}

/// Control characters other than tab, line and page breaks have no place in an article,
/// and printed to a terminal (`search`, `show`, `sources`) an escape sequence in a claim or
/// a source name would drive it. They become U+FFFD, one character for one, so that char
/// offsets into the text still line up with the file.
fn inert(text: &mut String) {
    let odd = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    if text.contains(odd) {
        *text = text
            .chars()
            .map(|c| if odd(c) { '\u{fffd}' } else { c })
            .collect();
    }
}

impl Document {
    /// The document with [`inert`] text and metadata.
    fn without_controls(mut self) -> Document {
        inert(&mut self.text);
        let ArticleMeta {
            title,
            outlet,
            published: _,
            url,
            author,
            language,
        } = &mut self.meta;
        for field in [title, outlet, url, author, language].into_iter().flatten() {
            inert(field);
        }
        self
    }
}

/// The file's content as text, after the checks every format shares.
fn without_bom(content: &str) -> &str {
    content.strip_prefix('\u{feff}').unwrap_or(content)
}

/// What a file named on the command line holds: documents, a feed (by its root element,
/// whatever its extension; `.rss`, `.atom` and `.xml` files are read as feeds even when they
/// are not, so the message says why), or a web archive (by its name), opened, not read.
pub enum Contents {
    Documents(Vec<Result<Document, ReadError>>),
    Feed(Vec<u8>),
    Archive(warc::Archive),
}

/// Reads one file as [`Contents`]; what [`read_file`] does, plus feeds and archives.
pub fn read_contents(path: &Path) -> Result<Contents, ReadError> {
    if warc::is_archive(path) {
        return warc::Archive::open(path).map(Contents::Archive);
    }
    let bytes = read_bytes(path)?;
    let feed_extension = matches!(extension(path).as_deref(), Some("rss" | "atom" | "xml"));
    if feed_extension || feed::is_feed(&bytes) {
        return Ok(Contents::Feed(bytes));
    }
    let content = text_of(path, bytes)?;
    let docs = documents(path, content)?;
    Ok(Contents::Documents(
        docs.into_iter()
            .map(|doc| doc.map(Document::without_controls))
            .collect(),
    ))
}

fn read_text(path: &Path) -> Result<String, ReadError> {
    text_of(path, read_bytes(path)?)
}

/// The file's bytes, after the checks every format shares but the text ones: it exists, is
/// no folder, is within [`MAX_FILE_BYTES`], and is not empty.
fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ReadError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if metadata.is_dir() {
        return Err(ReadError::Io {
            path: path.to_path_buf(),
            message: "is a directory".into(),
        });
    }
    let too_large = |size| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: MAX_FILE_BYTES,
        // A JSON Lines file is refused whole, however small its lines: it can be cut.
        hint: if extension(path).as_deref() == Some("jsonl") {
            "; split it at line ends (split -l) into smaller .jsonl files"
        } else {
            ""
        },
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    // Bounded read: a file that grows after the metadata check still cannot exhaust memory.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The file's bytes as text: not binary, UTF-8, not empty.
fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(ReadError::Binary {
            path: path.to_path_buf(),
        });
    }
    let content = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Err(ReadError::NotUtf8 {
                path: path.to_path_buf(),
                offset: e.utf8_error().valid_up_to(),
            });
        }
    };
    if without_bom(&content).trim().is_empty() {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(content)
}

/// Parses a date as people write them in metadata: `2025-11-25`, an RFC 3339 / ISO 8601
/// date-time (the date part, in the timestamp's own offset), or RFC 2822. `None` when it
/// is none of these; never a guess.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    date::parse(s)
}

impl ArticleMeta {
    /// Fills every field still unknown from `defaults` (the CLI's `--outlet`, `--published`,
    /// `--url`); what the file says wins.
    pub fn fill_from(&mut self, defaults: &ArticleMeta) {
        let ArticleMeta {
            title,
            outlet,
            published,
            url,
            author,
            language,
        } = self;
        fill(title, &defaults.title);
        fill(outlet, &defaults.outlet);
        fill(published, &defaults.published);
        fill(url, &defaults.url);
        fill(author, &defaults.author);
        fill(language, &defaults.language);
    }
}

/// A value quoted in an error message (a line, a date that does not parse) stays short
/// enough for one terminal line, however long it is in the file: the same cut as for a
/// value from the command line.
pub(super) use crate::terminal::shorten;

fn fill<T: Clone>(field: &mut Option<T>, default: &Option<T>) {
    if field.is_none() {
        field.clone_from(default);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, bytes).unwrap();
        path
    }

    fn read_err(path: &Path) -> ReadError {
        read_file(path).expect_err("expected the file to be refused")
    }

    #[test]
    fn missing_file_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_err(&dir.path().join("nope.txt")),
            ReadError::NotFound { .. }
        ));
    }

    #[test]
    fn a_directory_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_err(dir.path()), ReadError::Io { .. }));
    }

    #[test]
    fn too_large_is_refused_from_metadata_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        // Sparse: no disk is written, and reading it would be all NULs (Binary), so getting
        // TooLarge proves the size check comes first.
        fs::File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        match read_err(&path) {
            ReadError::TooLarge { size, limit, .. } => {
                assert_eq!((size, limit), (MAX_FILE_BYTES + 1, MAX_FILE_BYTES))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nul_in_the_first_8k_is_binary() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "a.txt", b"Title\n\0\x01\x02 body");
        assert!(matches!(read_err(&path), ReadError::Binary { .. }));
        let mut late = vec![b'a'; BINARY_SNIFF_BYTES];
        late.push(0);
        let path = write(dir.path(), "late.txt", &late);
        assert!(read_file(&path).is_ok(), "a NUL after 8 KiB is not sniffed");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "a.txt", b"Caf\xC3\xA9 ok\nthen \xFF bad");
        assert!(matches!(
            read_err(&path),
            ReadError::NotUtf8 { offset: 14, .. }
        ));
        let path = write(dir.path(), "bom.txt", b"\xEF\xBB\xBFab\xFF");
        assert!(
            matches!(read_err(&path), ReadError::NotUtf8 { offset: 5, .. }),
            "offset counts the BOM"
        );
    }

    #[test]
    fn a_text_file_keeps_its_byte_order_mark_so_offsets_match_annotations() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "bom.txt",
            "\u{feff}Headline\n\nBody.".as_bytes(),
        );
        let doc = read_file(&path).unwrap().remove(0).unwrap();
        assert_eq!(doc.text, "\u{feff}Headline\n\nBody.");
        assert_eq!(doc.meta.title.as_deref(), Some("Headline"));
        let path = write(
            dir.path(),
            "fm.txt",
            "\u{feff}---\ntitle: T\n---\nBody".as_bytes(),
        );
        let doc = read_file(&path).unwrap().remove(0).unwrap();
        assert_eq!(
            (doc.text.as_str(), doc.meta.title.as_deref()),
            ("Body", Some("T"))
        );
    }

    #[test]
    fn empty_and_whitespace_only_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("e.txt", &b""[..]),
            ("w.md", b" \n\t\r\n"),
            ("b.json", b"\xEF\xBB\xBF \n"),
            ("e.html", b""),
        ] {
            let path = write(dir.path(), name, bytes);
            assert!(matches!(read_err(&path), ReadError::Empty { .. }), "{name}");
        }
    }

    #[test]
    fn unknown_extension_is_unsupported_and_case_does_not_matter() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_err(&write(dir.path(), "a.pdf", b"text")),
            ReadError::Unsupported { .. }
        ));
        assert!(matches!(
            read_err(&write(dir.path(), "noext", b"text")),
            ReadError::Unsupported { .. }
        ));
        let docs = read_file(&write(dir.path(), "UP.TXT", b"Upper case\n")).unwrap();
        assert_eq!(
            docs[0].as_ref().unwrap().meta.title.as_deref(),
            Some("Upper case")
        );
        assert!(read_file(&write(dir.path(), "p.HTM", b"<p>x</p>")).is_ok());
    }

    #[test]
    fn control_characters_become_replacement_characters_one_for_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "esc.txt",
            "---\ntitle: T\u{1b}[2J\n---\nThe mayor\u{7}\u{9b}31m said\tso.\r\n".as_bytes(),
        );
        let doc = read_file(&path).unwrap().remove(0).unwrap();
        assert_eq!(doc.text, "The mayor\u{fffd}\u{fffd}31m said\tso.\r\n");
        assert_eq!(doc.meta.title.as_deref(), Some("T\u{fffd}[2J"));
        let path = write(
            dir.path(),
            "esc.jsonl",
            br#"{"text":"a\u001bb","outlet":"O\u0007"}"#,
        );
        let doc = read_file(&path).unwrap().remove(0).unwrap();
        assert_eq!(
            (doc.text.as_str(), doc.meta.outlet.as_deref()),
            ("a\u{fffd}b", Some("O\u{fffd}"))
        );
    }

    #[test]
    fn bom_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "a.txt",
            "\u{feff}---\ntitle: T\n---\nBody".as_bytes(),
        );
        let doc = read_file(&path).unwrap().remove(0).unwrap();
        assert_eq!(
            (doc.meta.title.as_deref(), doc.text.as_str()),
            (Some("T"), "Body")
        );
    }

    #[test]
    fn dispatch_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        let txt = write(dir.path(), "a.txt", b"---\noutlet: O\n---\nHello\n");
        assert_eq!(
            read_file(&txt).unwrap()[0]
                .as_ref()
                .unwrap()
                .meta
                .outlet
                .as_deref(),
            Some("O")
        );
        let html = write(dir.path(), "a.html", b"<title>T</title><p>Hi</p>");
        assert_eq!(read_file(&html).unwrap()[0].as_ref().unwrap().text, "Hi");
        let json = write(dir.path(), "a.json", br#"{"text":"J"}"#);
        assert_eq!(read_file(&json).unwrap()[0].as_ref().unwrap().text, "J");
        let jsonl = write(
            dir.path(),
            "a.jsonl",
            b"{\"text\":\"1\"}\nnot json\n{\"text\":\"3\"}\n",
        );
        let docs = read_file(&jsonl).unwrap();
        assert_eq!(docs.len(), 3);
        assert!(matches!(docs[1], Err(ReadError::Json { line: 2, .. })));
        assert_eq!(
            docs[2].as_ref().unwrap().origin,
            Origin {
                path: jsonl.clone(),
                line: Some(3),
                feed_entry: None,
            }
        );
    }

    #[test]
    fn a_failing_single_document_file_is_the_outer_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "a.txt", b"---\ntitle T\n---\nBody\n");
        let err = read_err(&path);
        assert!(matches!(err, ReadError::FrontMatter { line: 2, .. }));
        assert!(
            err.to_string()
                .starts_with(&format!("{}:2: front matter:", path.display())),
            "{err}"
        );
        assert!(matches!(
            read_err(&write(dir.path(), "a.json", b"{\"title\":\"no text\"}")),
            ReadError::Json { .. }
        ));
    }

    #[test]
    fn collect_paths_walks_folders_sorted_supported_only_skipping_hidden_and_readmes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in [
            "b.txt",
            "a.HTML",
            "README.md",
            "notes.md",
            "c.pdf",
            ".hidden.txt",
            ".git/x.txt",
            "sub/z.jsonl",
            "sub/README.md",
            "sub/a.json",
        ] {
            write(d, name, b"x");
        }
        let lone = write(d, "lone.pdf", b"x");
        let got: Vec<PathBuf> = collect_paths(&[d.to_path_buf(), lone.clone()])
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let want: Vec<PathBuf> = ["a.HTML", "b.txt", "notes.md", "sub/a.json", "sub/z.jsonl"]
            .iter()
            .map(|n| d.join(n))
            .chain([lone])
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn collect_paths_reports_missing_paths_and_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let ok = write(dir.path(), "a.txt", b"x");
        let got = collect_paths(&[dir.path().join("missing"), ok.clone()]);
        assert!(matches!(got[0], Err(ReadError::NotFound { .. })));
        assert_eq!(got[1].as_ref().unwrap(), &ok);
    }

    #[cfg(unix)]
    #[test]
    fn collect_paths_reports_a_symlink_loop_once_and_ends() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "sub/a.txt", b"x");
        std::os::unix::fs::symlink(d.join("sub"), d.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("nowhere"), d.join("dangling.txt")).unwrap();
        let got = collect_paths(&[d.to_path_buf()]);
        let errors: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(got.iter().filter(|r| r.is_ok()).count(), 1, "{got:?}");
        assert!(
            errors.iter().any(|e| e.to_string().contains("loop")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| matches!(e, ReadError::NotFound { .. })),
            "{errors:?}"
        );
    }

    #[test]
    fn fill_from_fills_only_unknown_fields() {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 25);
        let mut meta = ArticleMeta {
            outlet: Some("From file".into()),
            ..Default::default()
        };
        let defaults = ArticleMeta {
            title: Some("T".into()),
            outlet: Some("From flag".into()),
            published: date,
            url: Some("https://example.org".into()),
            author: None,
            language: Some("en".into()),
        };
        meta.fill_from(&defaults);
        assert_eq!(meta.outlet.as_deref(), Some("From file"));
        assert_eq!(
            (meta.title.as_deref(), meta.published, meta.url.as_deref()),
            (Some("T"), date, Some("https://example.org"))
        );
        assert_eq!((meta.author, meta.language.as_deref()), (None, Some("en")));
    }

    #[test]
    fn no_panic_on_odd_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let odd: &[&[u8]] = &[
            b"---",
            b"---\n---",
            b"---\n---\n",
            b"\xEF\xBB\xBF",
            b"{",
            b"<",
            b"<html",
            b"\"",
            b"---\r\n:\r\n---\r\n",
            "\u{2028}x".as_bytes(),
        ];
        for (i, bytes) in odd.iter().enumerate() {
            for ext in SUPPORTED_EXTENSIONS {
                let _ = read_file(&write(dir.path(), &format!("{i}.{ext}"), bytes));
            }
        }
    }

    /// The bundled corpus is the first thing a new user ingests: every file must read, and
    /// every fictional article must carry its publisher and date.
    #[test]
    fn bundled_corpus_reads_cleanly() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let paths: Vec<PathBuf> = collect_paths(&[corpus])
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(paths.len() >= 12, "{paths:?}");
        assert!(!paths.iter().any(|p| p.ends_with("README.md")));
        let mut documents = 0;
        for path in &paths {
            for doc in read_file(path).unwrap_or_else(|e| panic!("{e}")) {
                let doc = doc.unwrap_or_else(|e| panic!("{e}"));
                documents += 1;
                assert!(doc.meta.title.is_some(), "{path:?}");
                if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("000_"))
                {
                    // The user's seed article says nothing about its publisher or date.
                    assert_eq!((doc.meta.outlet, doc.meta.published), (None, None));
                } else {
                    assert!(
                        doc.meta.outlet.is_some()
                            && doc.meta.published.is_some()
                            && doc.meta.url.is_some(),
                        "{path:?}: {:?}",
                        doc.meta
                    );
                }
            }
        }
        assert!(documents >= 14, "{documents}");
    }
}
