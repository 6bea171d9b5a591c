//! Failpoints: named places where a test makes the program fail as a full disk would, so
//! that what happens after such a failure (exit code, what was written, the warning) is
//! tested deterministically rather than by filling a real disk.
//!
//! The command line installs them once from `CLAIMTRAIL_FAILPOINTS` (a comma-separated list
//! of `NAME=enospc` or `NAME=stall`); the library never reads the environment itself.
//! Without it, every [`hit`] is one load of an empty list.
//!
//! The names: `index-commit` (every commit of the search index), `verdict-commit` (the
//! SQLite commit of `verify`'s verdicts), both `enospc`; `ingest-extract` (the extraction
//! of an ingest batch), `stall`: it then takes [`STALL`], longer than a writer waits for the
//! store, so a test can show that extraction holds no lock another command waits for;
//! `stories-group` (between what grouping claims into stories reads and its write
//! transaction), `stall`: another ingest groups meanwhile.

use std::sync::OnceLock;

/// The environment variable the command line reads the failpoints from.
pub const FAILPOINTS_ENV: &str = "CLAIMTRAIL_FAILPOINTS";

/// How long a `stall` failpoint holds its caller: more than the 5 seconds a writer waits
/// for the store's write lock.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(7);

static ACTIVE: OnceLock<Vec<(String, Action)>> = OnceLock::new();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Fail as a full disk would.
    Enospc,
    /// Take [`STALL`] first.
    Stall,
}

/// Installs the failpoints of `spec` (`NAME=enospc,NAME=stall,...`) for the rest of the
/// process; only the first call counts. An unknown action is an error naming it.
pub fn install(spec: &str) -> Result<(), String> {
    let mut names = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item.split_once('=') {
            Some((name, "enospc")) => names.push((name.trim().to_string(), Action::Enospc)),
            Some((name, "stall")) => names.push((name.trim().to_string(), Action::Stall)),
            _ => {
                return Err(format!(
                    "{FAILPOINTS_ENV}: cannot read '{item}' (expected NAME=enospc or NAME=stall)"
                ));
            }
        }
    }
    let _ = ACTIVE.set(names);
    Ok(())
}

/// `Err(ENOSPC)` when the failpoint `name` is installed as `enospc`; a pause of [`STALL`]
/// when it is installed as `stall`.
pub fn hit(name: &str) -> std::io::Result<()> {
    let action = ACTIVE
        .get()
        .and_then(|names| names.iter().find(|(n, _)| n == name))
        .map(|(_, a)| *a);
    match action {
        Some(Action::Enospc) => Err(std::io::Error::from_raw_os_error(libc::ENOSPC)),
        Some(Action::Stall) => {
            std::thread::sleep(STALL);
            Ok(())
        }
        None => Ok(()),
    }
}
