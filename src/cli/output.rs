//! Writing a command's output to `-o FILE` through [`crate::atomic`], so a reader never sees
//! half a file, not even after a crash; an existing FILE is replaced only with `--force`,
//! and a folder that does not exist is refused. Used by `report` and `export`.

use crate::error::Error;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The folder of `path` must exist, and `path` must not, unless `force`. `what` names the
/// output in messages ("the report").
pub(crate) fn check_destination(path: &Path, force: bool, what: &str) -> Result<(), Error> {
    let folder = crate::atomic::folder_of(path);
    if !folder.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such folder to write {what} into",
            folder.display()
        )));
    }
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{}: is a folder; give a file name",
            path.display()
        )));
    }
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{}: exists; add --force to replace it",
            path.display()
        )));
    }
    Ok(())
}

/// The error of a failed write to `path`, naming it and what was being written.
pub(crate) fn cannot_write(path: &Path, what: &str, e: io::Error) -> Error {
    Error::Usage(format!("{}: cannot write {what} ({e})", path.display()))
}

/// Writes `path` through `write` with [`crate::atomic::write_file`]: whole or not at all,
/// and an existing file (even one that appeared since [`check_destination`] looked) replaced
/// only with `force`. `write` turns the I/O errors it meets into [`Error`]s itself
/// ([`cannot_write`]), since it may fail for other reasons too.
pub(crate) fn write_atomically(
    path: &Path,
    force: bool,
    what: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), Error>,
) -> Result<(), Error> {
    check_destination(path, force, what)?;
    let mut failed: Option<Error> = None;
    let written = crate::atomic::write_file(path, force, |w| {
        write(w).map_err(|e| {
            failed = Some(e);
            io::Error::other("the output could not be made")
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    written.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{}: exists; add --force to replace it",
                path.display()
            ))
        } else {
            cannot_write(path, what, e)
        }
    })
}

/// Writes `bytes` to `path` as [`write_atomically`] does.
pub(crate) fn write_bytes_atomically(
    path: &Path,
    bytes: &[u8],
    force: bool,
    what: &str,
) -> Result<(), Error> {
    write_atomically(path, force, what, |w| {
        w.write_all(bytes).map_err(|e| cannot_write(path, what, e))
    })
}
