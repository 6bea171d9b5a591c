//! Reading documents: every supported file format becomes one or more [`Document`]s, each
//! a text with what is known about it ([`ArticleMeta`]).
//!
//! SKELETON: the signatures are the contract the store and the command line build on; the
//! bodies are filled in by the readers work (issue 2).

use crate::model::ArticleMeta;
use std::path::{Path, PathBuf};

/// The largest file a reader accepts, in bytes. Larger files are refused with
/// [`ReadError::TooLarge`] before they are read, so memory stays bounded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// One article ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub meta: ArticleMeta,
    /// The article text. For `.txt`/`.md`: the file's content after the front matter, exactly
    /// as read (no normalisation), so char offsets line up with the file body. For HTML: the
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
    #[error("{path}: {size} bytes is over the {limit}-byte limit for one file")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
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

/// Expands the paths given on the command line: files as they are, folders recursively
/// (files with a supported extension only, sorted, symlink loops and unreadable entries
/// reported, never followed forever). A missing path is an error in the list, so the rest
/// of the batch goes on.
pub fn collect_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, ReadError>> {
    let _ = paths;
    todo!("readers")
}

/// Reads one file into its documents (one for txt/md/html/json, one per line for JSONL).
/// The outer error means nothing in the file could be read; the inner ones are per
/// document (a malformed JSONL line), so the other lines still go on.
pub fn read_file(path: &Path) -> Result<Vec<Result<Document, ReadError>>, ReadError> {
    let _ = path;
    todo!("readers")
}

/// Parses a date as people write them in metadata: `2025-11-25`, an RFC 3339 / ISO 8601
/// date-time (the date part, in the timestamp's own offset), or RFC 2822. `None` when it
/// is none of these; never a guess.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let _ = s;
    todo!("readers")
}

impl ArticleMeta {
    /// Fills every field still unknown from `defaults` (the CLI's `--outlet`, `--published`,
    /// `--url`); what the file says wins.
    pub fn fill_from(&mut self, defaults: &ArticleMeta) {
        let _ = defaults;
        todo!("readers")
    }
}
