//! Writing a file so that no one ever sees half of it: the one way claimtrail writes files
//! outside its store (reports, generated corpora). The store itself is written through
//! SQLite transactions and the index through tantivy commits and an atomic folder swap.
//!
//! [`write_file`] writes into a temporary file beside the destination, flushes it to disk,
//! then puts it in place with one rename (or, when an existing file must not be replaced,
//! one hard link, which fails if something is there) and syncs the folder so the rename
//! itself survives a power cut. A process killed at any point leaves the destination as it
//! was or whole, never cut short; the temporary file it leaves behind is hidden
//! (`.NAME.tmp-PID`) and removed by the next write of the same file.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// Writes `path` through `write`, atomically. With `replace` false an existing `path` is
/// left alone and the error is [`io::ErrorKind::AlreadyExists`], even when the file
/// appeared after the caller last looked.
pub fn write_file(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let folder = folder_of(path);
    let prefix = temp_prefix(path);
    remove_leftovers(folder, &prefix);
    let tmp = folder.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let mut out = BufWriter::new(File::create(&tmp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        if replace {
            std::fs::rename(&tmp, path)?;
        } else {
            place_new(&tmp, path)?;
        }
        sync_folder(folder)
    })();
    // After a rename there is nothing left at `tmp`; after a link or a failure there is.
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Puts `tmp` at `path` only if nothing is there: a hard link fails if `path` exists. Where
/// the file system has no hard links, a check then a rename (a narrow race, not a torn file).
fn place_new(tmp: &Path, path: &Path) -> io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if path.symlink_metadata().is_ok() => {
            Err(io::Error::from(io::ErrorKind::AlreadyExists))
        }
        Err(_) => std::fs::rename(tmp, path),
    }
}

/// The folder `path` is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.NAME.tmp-`: hidden, so folder walks (ingest) skip it, and cut so that the whole name
/// with a process id stays within the 255 bytes a file name may have.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut cut = name.len().min(200);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.tmp-", &name[..cut])
}

/// Makes a rename in `folder` durable. Not every platform can open a folder; there the
/// rename is as durable as the file system makes it.
fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// Removes the temporary files `PREFIX<pid>` in `folder` of processes that no longer run
/// (a write that was killed). Where processes cannot be looked up, nothing is removed.
pub fn remove_leftovers(folder: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !is_running(pid) {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// False only when `pid` surely does not run: never this process, and never where processes
/// cannot be looked up (no `/proc`).
pub fn is_running(pid: u32) -> bool {
    let proc = PathBuf::from("/proc");
    pid == std::process::id() || !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn writes_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        write_file(&path, false, |w| w.write_all(b"one")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        let err = write_file(&path, false, |w| w.write_all(b"two")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one", "not replaced");
        write_file(&path, true, |w| w.write_all(b"three")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        std::fs::write(&path, "old").unwrap();
        let err = write_file(&path, true, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk on fire");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_dead_processes_are_removed_and_long_names_fit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        // No process has this id (above the kernel's pid_max on Linux).
        let dead = dir.path().join(".r.md.tmp-4294967294");
        std::fs::write(&dead, "half a report").unwrap();
        write_file(&path, false, |w| w.write_all(b"whole")).unwrap();
        assert!(!dead.exists());
        let long = dir.path().join(format!("{}.md", "é".repeat(125)));
        write_file(&long, false, |w| w.write_all(b"long")).unwrap();
        assert_eq!(std::fs::read(&long).unwrap(), b"long");
    }
}
