//! The report as Markdown, for reading and pasting into a document or a ticket. Claim and
//! article text is written as it is, on one line each, inside blockquotes and list items.

use super::{Report, ReportClaim, one_line};
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut s = String::from("# Citation report\n\n");
    selection(&mut s, report);
    let sum = &report.summary;
    let _ = writeln!(s, "## Summary\n\n{} claims.\n", sum.claims);
    s.push_str("| outlet | claims |\n| --- | ---: |\n");
    for c in &sum.per_outlet {
        let _ = writeln!(s, "| {} | {} |", cell(&c.name), c.claims);
    }
    s.push_str("\n| status | claims |\n| --- | ---: |\n");
    for c in &sum.per_status {
        let _ = writeln!(s, "| {} | {} |", c.name, c.claims);
    }
    let _ = writeln!(
        s,
        "\n- resting on a single relayed outlet: {}\n- hedged by their own text: {}\n\
         - unconfirmed by their own text: {}\n- denied by their own text: {}",
        sum.single_relay, sum.hedged, sum.unconfirmed, sum.denied
    );
    if !report.claims.is_empty() {
        s.push_str("\n## Claims\n");
    }
    for c in &report.claims {
        claim(&mut s, c);
    }
    s
}

fn selection(s: &mut String, report: &Report) {
    if report.selection.is_empty() {
        s.push_str("Selection: every claim of the store.\n\n");
    } else {
        let _ = writeln!(s, "Selection: {}.\n", report.selection.join("; "));
    }
}

fn claim(s: &mut String, c: &ReportClaim) {
    let _ = writeln!(s, "\n### Claim {}: {}\n", c.id, c.status);
    let _ = writeln!(s, "> {}\n", one_line(&c.claim.text));
    let mut certainty = format!("{} ({})", c.claim.certainty, c.claim.kind);
    if !c.claim.hedges.is_empty() {
        let _ = write!(certainty, ", hedges: {}", c.claim.hedges.join(", "));
    }
    let _ = writeln!(s, "- certainty: {certainty}");
    let _ = writeln!(s, "- source: {}", c.citation);
    let a = &c.article.meta;
    let _ = writeln!(
        s,
        "- article: {}, {}, {}{}",
        one_line(a.title.as_deref().unwrap_or("(untitled)")),
        one_line(a.outlet.as_deref().unwrap_or(super::UNKNOWN_OUTLET)),
        a.published
            .map(|d| d.to_string())
            .unwrap_or_else(|| "date unknown".into()),
        a.url
            .as_deref()
            .map(|u| format!(", <{u}>"))
            .unwrap_or_default()
    );
    if c.orphaned {
        s.push_str("- no longer found by the latest extraction of its article\n");
    }
    if c.verdicts.is_empty() {
        s.push_str("- verdicts: none\n");
        return;
    }
    s.push_str("- verdicts, newest first:\n");
    for v in &c.verdicts {
        let _ = write!(s, "  - {} **{}**", v.created_at, v.status);
        if let Some(by) = &v.reviewer {
            let _ = write!(s, " by {}", one_line(by));
        }
        if let Some(note) = &v.note {
            let _ = write!(s, ": {}", one_line(note));
        }
        s.push('\n');
        for url in &v.evidence {
            let _ = writeln!(s, "    - evidence: <{url}>");
        }
    }
}

/// A table cell: a `|` would end it.
fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}
