//! The report as CSV, one row per claim, with the columns fact-checking spreadsheets
//! keep: the claim, its status and certainty, the chain as a citation, the article's outlet,
//! url and date, and the latest verdict (when, by whom, its note and evidence urls,
//! space-separated). The summary is not in the CSV: it is the rows counted.
//!
//! Every CSV that claimtrail writes (this report, `search --format csv`, `sources
//! --format csv`) writes its records through [`write_record`], so that no cell is a
//! spreadsheet formula and none can drive a terminal (see [`cell`]).

use super::{Report, one_line};
use std::io;

/// The characters that make a spreadsheet read a cell as a formula (or, for tab and
/// carriage return, move to another cell first), as OWASP's "CSV Injection" lists them.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as written: a text that starts with one of [`FORMULA_STARTS`] is prefixed with
/// `'` (OWASP's recommendation: the spreadsheet shows it as text, the `'` hidden or plain),
/// and every character that could drive a terminal is written as its escape
/// ([`crate::terminal::visible`]; line breaks stay, inside the quoted cell).
pub fn cell(s: &str) -> String {
    let text = crate::terminal::visible(s);
    if s.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// Writes one record, every field through [`cell`].
pub fn write_record<W: io::Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    fields: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    w.write_record(fields.into_iter().map(|f| cell(f.as_ref())))
}

pub const COLUMNS: [&str; 13] = [
    "id",
    "claim",
    "status",
    "certainty",
    "chain",
    "outlet",
    "article_url",
    "published",
    "last_verdict",
    "reviewer",
    "note",
    "evidence",
    "orphaned",
];

pub fn render(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = write_record(&mut w, COLUMNS);
    for c in &report.claims {
        let a = &c.article.meta;
        let latest = c.latest();
        let _ = write_record(
            &mut w,
            [
                c.id.to_string(),
                one_line(&c.statement),
                c.status.to_string(),
                c.claim.certainty.to_string(),
                c.citation.clone(),
                a.outlet.clone().unwrap_or_default(),
                a.url.clone().unwrap_or_default(),
                a.published.map(|d| d.to_string()).unwrap_or_default(),
                latest.map(|v| v.created_at.clone()).unwrap_or_default(),
                latest
                    .and_then(|v| v.reviewer.as_deref())
                    .map(one_line)
                    .unwrap_or_default(),
                latest
                    .and_then(|v| v.note.as_deref())
                    .map(one_line)
                    .unwrap_or_default(),
                latest.map(|v| v.evidence.join(" ")).unwrap_or_default(),
                c.orphaned.to_string(),
            ],
        );
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
