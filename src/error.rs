//! The one error type of the program, and the one place that turns it into a message and an
//! exit code.
//!
//! Exit codes are a contract (README.md, "Exit codes"):
//! - `0`: success; also when stdout is closed early (`claimtrail ... | head`), which is how a
//!   reader says it has seen enough, not a failure;
//! - `1`: nothing found where something was asked for (an ingest that finds no files, a
//!   search that matches nothing), `check` finding the store inconsistent, or `export` of a
//!   damaged store writing what it could read and not the rest;
//! - `2`: anything else that went wrong. A user error (bad input, a wrong store folder, an
//!   unknown claim) is one line naming the problem. An internal error (SQLite failing for a
//!   reason the user did not cause) exits 2 as well, so scripts have one code to test, but
//!   says `internal error:` and asks for a report, since it is a bug or a broken machine.
//!
//! The libraries underneath ([`ReadError`], [`StoreError`]) are `thiserror` enums that know
//! nothing about exit codes; only [`Error::kind`] sorts them.

use crate::index::IndexError;
use crate::read::ReadError;
use crate::store::StoreError;
use std::error::Error as _;
use std::io::{self, Write};

/// How an error ends the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The user can fix it: a bad file, a wrong folder, an unknown id.
    User,
    /// Nothing matched what was asked for.
    NothingFound,
    /// `claimtrail check` found the store inconsistent.
    CheckFailed,
    /// The output was written, but without what a damaged store could not give.
    Incomplete,
    /// Not the user's doing: a bug, or the machine failing.
    Internal,
    /// Whoever reads our stdout stopped reading: success.
    BrokenPipe,
}

impl ErrorKind {
    /// The process exit code for this kind. The only place exit codes are decided.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::BrokenPipe => 0,
            ErrorKind::NothingFound | ErrorKind::CheckFailed | ErrorKind::Incomplete => 1,
            ErrorKind::User | ErrorKind::Internal => 2,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A usage problem the argument parser cannot see (a bad `CLAIMTRAIL_NOW`).
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NothingFound(String),
    /// What `claimtrail check` found wrong, summarised on one line.
    #[error("{0}")]
    CheckFailed(String),
    /// What `claimtrail export` of a damaged store could not read, summarised on one line
    /// (the file was written all the same).
    #[error("{0}")]
    Incomplete(String),
    #[error("cannot write the output")]
    Output(#[source] io::Error),
    /// A bug met while serving (a request's task panicked): internal, never the user's.
    #[error("{0}")]
    Internal(String),
    /// The problems were already reported one line each (a batch where every file failed):
    /// nothing more to print, only the exit code to give.
    #[error("")]
    Reported(ErrorKind),
}

impl Error {
    /// Wraps an error writing to stdout; a closed pipe becomes [`ErrorKind::BrokenPipe`].
    pub fn output(e: io::Error) -> Error {
        Error::Output(e)
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Read(_) | Error::Usage(_) => ErrorKind::User,
            Error::Store(e) if e.is_internal() => ErrorKind::Internal,
            Error::Store(_) => ErrorKind::User,
            Error::Index(e) if e.is_internal() => ErrorKind::Internal,
            Error::Index(_) => ErrorKind::User,
            Error::CheckFailed(_) => ErrorKind::CheckFailed,
            Error::Incomplete(_) => ErrorKind::Incomplete,
            Error::NothingFound(_) => ErrorKind::NothingFound,
            Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => ErrorKind::BrokenPipe,
            Error::Output(_) => ErrorKind::User,
            Error::Reported(kind) => *kind,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.kind().exit_code()
    }

    /// The message as the user sees it: one line, the whole cause chain.
    pub fn message(&self) -> String {
        let mut message = self.to_string();
        let mut source = self.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            // `transparent` and `{source}` in a message already show the cause.
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        one_line(&message)
    }

    /// Prints the error to stderr, once, on one line (nothing for a closed pipe or for
    /// problems already reported).
    pub fn report(&self) {
        let line = match self.kind() {
            ErrorKind::BrokenPipe => return,
            _ if matches!(self, Error::Reported(_)) => return,
            ErrorKind::Internal => format!(
                "internal error: {} (this is a claimtrail bug or a failing machine; please report it)",
                self.message()
            ),
            ErrorKind::User
            | ErrorKind::NothingFound
            | ErrorKind::CheckFailed
            | ErrorKind::Incomplete => {
                format!("error: {}", self.message())
            }
        };
        // Nowhere left to report a failure to write to stderr.
        let _ = writeln!(io::stderr(), "{line}");
    }
}

/// `s` made safe to print as one line of a terminal: line breaks, other control characters
/// and bidi controls (a file may be named `a\nb.txt`, or hold an escape sequence in its
/// name) are written as Rust escapes (`\n`, `\u{1b}`, `\u{202e}`) by
/// [`crate::terminal::message`], so one problem is always one line, and names the file
/// exactly.
pub fn one_line(s: &str) -> String {
    crate::terminal::message(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn exit_codes_follow_the_contract() {
        let broken = Error::output(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(broken.exit_code(), 0);
        assert_eq!(Error::NothingFound("no files".into()).exit_code(), 1);
        let user = Error::Read(ReadError::Empty {
            path: PathBuf::from("a.txt"),
        });
        assert_eq!(user.exit_code(), 2);
        assert_eq!(user.message(), "a.txt: empty file, no article text");
        let internal = Error::Store(StoreError::Sqlite {
            path: PathBuf::from("claims.db"),
            source: rusqlite::Error::InvalidQuery,
        });
        assert_eq!(internal.kind(), ErrorKind::Internal);
        assert_eq!(internal.exit_code(), 2);
        assert_eq!(
            internal.message(),
            "claims.db: database error: Query is not read-only"
        );
    }

    #[test]
    fn a_message_is_one_line_whatever_the_file_is_named() {
        let e = Error::Read(ReadError::Empty {
            path: PathBuf::from("a\nb\r\u{1b}[2J.txt"),
        });
        assert_eq!(
            e.message(),
            "a\\nb\\r\\u{1b}[2J.txt: empty file, no article text"
        );
        assert_eq!(one_line("tab\tkept, é kept"), "tab\tkept, é kept");
    }
}
