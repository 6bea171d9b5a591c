//! The one source of "now" for every timestamp the program writes.
//!
//! Tests pin the clock with `CLAIMTRAIL_NOW` (an RFC 3339 time) so that what the store holds
//! and what the user sees is the same on every run; the library never reads the environment
//! itself, the command line resolves the clock once and hands it down.

use chrono::{DateTime, SecondsFormat, Utc};

/// The environment variable that pins the clock (RFC 3339, e.g. `2025-11-25T12:00:00Z`).
pub const NOW_ENV: &str = "CLAIMTRAIL_NOW";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// Always the same instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Parses the value of [`NOW_ENV`]; `None` (unset or empty) is the system clock.
    pub fn from_env_value(value: Option<&str>) -> Result<Clock, String> {
        match value.map(str::trim) {
            None | Some("") => Ok(Clock::System),
            Some(v) => DateTime::parse_from_rfc3339(v)
                .map(|t| Clock::Fixed(t.with_timezone(&Utc)))
                .map_err(|e| {
                    let v = crate::terminal::shorten(v);
                    format!("{NOW_ENV}: cannot read '{v}' as an RFC 3339 time ({e})")
                }),
        }
    }
}

/// How timestamps are written to the store: RFC 3339 in UTC to the second, so they sort as
/// text and read well in the sqlite3 shell.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
