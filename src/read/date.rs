//! Dates as people write them in article metadata, reduced to the calendar date the writer
//! meant: the date part of a timestamp is taken in the timestamp's own offset, never
//! converted to UTC (an article published at 00:30 in Kyiv was published that day in Kyiv).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// Date-times with an explicit offset in forms RFC 3339 does not cover (`+0000`, no seconds).
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M%z",
];

/// Local date-times (no offset): the date is as written.
const WITHOUT_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
];

pub(super) fn parse(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() || !s.is_ascii() {
        return None;
    }
    if is_plain_date(s) {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    }
    // Only strings that start with a full `YYYY-MM-DD` are tried as ISO forms, so chrono's
    // lenient `%Y` (signs, extra digits) cannot turn something odd into a date.
    if s.len() > 10 && is_plain_date(&s[..10]) {
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(dt.date_naive());
        }
        // "Z" is an offset too; chrono's %z does not read it.
        let zulu = s.strip_suffix('Z').or_else(|| s.strip_suffix('z'));
        if let Some(local) = zulu {
            return WITHOUT_OFFSET
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(local, f).ok())
                .map(|dt| dt.date());
        }
        if let Some(dt) = WITH_OFFSET
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
        {
            return Some(dt.date_naive());
        }
        return WITHOUT_OFFSET
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|dt| dt.date());
    }
    DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|dt| dt.date_naive())
}

/// The moment a timestamp with an explicit offset names, with that offset: `None` for a
/// plain date or a local date-time. Lets a reader of several stamps of one page tell a UTC
/// rendering (`...Z`) from the page's own local one of the same moment.
pub(super) fn instant(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if !s.is_ascii() {
        return None;
    }
    if s.len() > 10 && is_plain_date(&s[..10]) {
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(dt);
        }
        if let Some(local) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
            return WITHOUT_OFFSET
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(local, f).ok())
                .map(|dt| dt.and_utc().fixed_offset());
        }
        return WITH_OFFSET
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok());
    }
    DateTime::parse_from_rfc2822(s).ok()
}

/// `YYYY-MM-DD` exactly: four digits, dash, two digits, dash, two digits.
fn is_plain_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::parse;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn plain_iso_date() {
        assert_eq!(parse("2025-11-25"), d(2025, 11, 25));
        assert_eq!(parse("  2025-11-25\n"), d(2025, 11, 25));
    }

    #[test]
    fn impossible_calendar_dates_are_none() {
        assert_eq!(parse("2025-02-30"), None);
        assert_eq!(parse("2025-13-01"), None);
    }

    #[test]
    fn rfc3339_takes_the_date_in_its_own_offset() {
        assert_eq!(parse("2025-11-25T10:00:00Z"), d(2025, 11, 25));
        assert_eq!(
            parse("2025-11-25T00:30:00+02:00"),
            d(2025, 11, 25),
            "not converted to UTC (2025-11-24)"
        );
        assert_eq!(
            parse("2025-11-25T23:30:00-05:00"),
            d(2025, 11, 25),
            "not converted to UTC (2025-11-26)"
        );
        assert_eq!(parse("2025-11-25T10:00:00.123456+00:00"), d(2025, 11, 25));
    }

    #[test]
    fn iso_variants_space_no_offset_compact_offset_no_seconds() {
        assert_eq!(parse("2025-11-25 10:00:00+00:00"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25 10:00:00"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25T10:00:00"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25T10:00:00.5"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25T10:00:00+0000"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25T10:00"), d(2025, 11, 25));
        assert_eq!(parse("2025-11-25T10:00:00.250Z"), d(2025, 11, 25));
    }

    #[test]
    fn rfc2822() {
        assert_eq!(parse("Tue, 25 Nov 2025 10:00:00 +0000"), d(2025, 11, 25));
        assert_eq!(parse("25 Nov 2025 23:59:00 -0800"), d(2025, 11, 25));
    }

    #[test]
    fn anything_else_is_none_never_a_guess() {
        for s in [
            "",
            "yesterday",
            "25/11/2025",
            "11/25/2025",
            "Nov 25, 2025",
            "2025",
            "2025-11",
            "+2025-11-25",
            "20251125",
            "2025-11-25T99:00:00",
            "2025‑11‑25",
            "2025-11-25junk",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }
}
