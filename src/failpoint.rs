//! Failpoints: named places where a test makes the program fail as a full disk would, so
//! that what happens after such a failure (exit code, what was written, the warning) is
//! tested deterministically rather than by filling a real disk.
//!
//! The command line installs them once from `CLAIMTRAIL_FAILPOINTS` (a comma-separated list
//! of `NAME=enospc`); the library never reads the environment itself. Without it, every
//! [`hit`] is one load of an empty list.
//!
//! The names: `index-commit` (every commit of the search index), `verdict-commit` (the
//! SQLite commit of `verify`'s verdicts).

use std::sync::OnceLock;

/// The environment variable the command line reads the failpoints from.
pub const FAILPOINTS_ENV: &str = "CLAIMTRAIL_FAILPOINTS";

static ACTIVE: OnceLock<Vec<String>> = OnceLock::new();

/// Installs the failpoints of `spec` (`NAME=enospc,...`) for the rest of the process; only
/// the first call counts. An unknown action is an error naming it.
pub fn install(spec: &str) -> Result<(), String> {
    let mut names = Vec::new();
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item.split_once('=') {
            Some((name, "enospc")) => names.push(name.trim().to_string()),
            _ => {
                return Err(format!(
                    "{FAILPOINTS_ENV}: cannot read '{item}' (expected NAME=enospc)"
                ));
            }
        }
    }
    let _ = ACTIVE.set(names);
    Ok(())
}

/// `Err(ENOSPC)` when the failpoint `name` is installed.
pub fn hit(name: &str) -> std::io::Result<()> {
    match ACTIVE.get() {
        Some(names) if names.iter().any(|n| n == name) => {
            Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
        }
        _ => Ok(()),
    }
}
