//! The report as JSON, for scripts: the whole [`Report`], each claim with the fields of
//! `extract --format json` plus its id, status, citation, article (with its id) and
//! verdicts.

use super::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    // The same value, its control and bidi characters as \u escapes.
    crate::terminal::json(&s).into_owned()
}
