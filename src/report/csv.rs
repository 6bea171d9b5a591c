//! The report as CSV, one row per claim, with the columns fact-checking spreadsheets
//! keep: the claim, its status and certainty, the chain as a citation, the article's outlet,
//! url and date, and the latest verdict (when, by whom, its note and evidence urls,
//! space-separated). The summary is not in the CSV: it is the rows counted.

use super::{Report, one_line};

pub const COLUMNS: [&str; 12] = [
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
];

pub fn render(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COLUMNS);
    for c in &report.claims {
        let a = &c.article.meta;
        let latest = c.latest();
        let _ = w.write_record([
            c.id.to_string(),
            one_line(&c.statement),
            c.status.to_string(),
            c.claim.certainty.to_string(),
            c.citation.clone(),
            a.outlet.clone().unwrap_or_default(),
            a.url.clone().unwrap_or_default(),
            a.published.map(|d| d.to_string()).unwrap_or_default(),
            latest.map(|v| v.created_at.clone()).unwrap_or_default(),
            latest.and_then(|v| v.reviewer.clone()).unwrap_or_default(),
            latest
                .and_then(|v| v.note.as_deref())
                .map(one_line)
                .unwrap_or_default(),
            latest.map(|v| v.evidence.join(" ")).unwrap_or_default(),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
