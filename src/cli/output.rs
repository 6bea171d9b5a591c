//! Writing a command's output to `-o FILE`: through a temporary file beside FILE, renamed
//! into place, so a reader never sees half a file; an existing FILE is replaced only with
//! `--force`, and a folder that does not exist is refused. Used by `report` and `export`.

use crate::error::Error;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The folder of `path` must exist, and `path` must not, unless `force`. `what` names the
/// output in messages ("the report").
pub(crate) fn check_destination(path: &Path, force: bool, what: &str) -> Result<(), Error> {
    let folder = folder_of(path);
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

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Calls `write` with a buffered temporary file beside `path`, then syncs it and renames it
/// over `path`. When `write` (or anything after it) fails, the temporary file is removed and
/// `path` is left as it was. `write` turns the I/O errors it meets into [`Error`]s itself
/// ([`cannot_write`]), since it may fail for other reasons too.
pub(crate) fn write_atomically(
    path: &Path,
    force: bool,
    what: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), Error>,
) -> Result<(), Error> {
    check_destination(path, force, what)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = folder_of(path).join(format!(".{name}.tmp-{}", std::process::id()));
    let fail = |e: io::Error| cannot_write(path, what, e);
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp).map_err(fail)?);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
