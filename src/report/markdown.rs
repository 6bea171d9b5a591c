//! The report as Markdown, for reading and pasting into a document or a ticket. Claim and
//! article text is written on one line each, inside blockquotes and list items, through
//! [`text`]: what would be markup (an HTML tag, a link) is escaped, so a claim holding
//! `<script>` or `[x](javascript:...)` reads as written once the Markdown is rendered and
//! never becomes live. Only http(s) urls become links.
//!
//! Claims are grouped by article (title, outlet, date) under a table of contents; each claim
//! is shown in its sentence with its own words in bold.

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
    let groups = super::by_article(&report.claims);
    if !groups.is_empty() {
        s.push_str("\n## Articles\n\n");
    }
    for (i, g) in groups.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}. [{}](#article-{}): {}, {} claim{}",
            i + 1,
            text(title(g.article)),
            g.article.id,
            byline(g.article),
            g.claims.len(),
            if g.claims.len() == 1 { "" } else { "s" }
        );
    }
    for g in &groups {
        // An explicit anchor: a heading's own depends on the renderer.
        let _ = writeln!(
            s,
            "\n<a id=\"article-{}\"></a>\n\n## {}\n\n{}",
            g.article.id,
            text(title(g.article)),
            byline(g.article)
        );
        if let Some(url) = &g.article.meta.url {
            let _ = writeln!(s, "\n{}", link(url));
        }
        for c in g.claims {
            claim(&mut s, c);
        }
    }
    s
}

fn title(a: &super::ReportArticle) -> &str {
    a.meta.title.as_deref().unwrap_or("(untitled)")
}

/// "The Harbour Ledger, 2025-11-20 (article 3)".
fn byline(a: &super::ReportArticle) -> String {
    format!(
        "{}, {} (article {})",
        text(a.meta.outlet.as_deref().unwrap_or(super::UNKNOWN_OUTLET)),
        a.meta
            .published
            .map(|d| d.to_string())
            .unwrap_or_else(|| "date unknown".into()),
        a.id
    )
}

/// The claim's sentence on one line, the claim's words in bold; when the sentence does not
/// hold them (a corrected text), the claim in bold and the sentence after it.
fn sentence(c: &ReportClaim) -> String {
    let Some(pieces) = super::marked_sentence(&c.claim) else {
        return format!(
            "**{}**\n>\n> sentence: {}",
            inline(c.claim.text.trim()),
            inline(&c.claim.sentence)
        );
    };
    let mut out = String::new();
    for p in pieces {
        let (lead, piece, trail) = super::spaced(p.text);
        if p.marked && !piece.is_empty() {
            // Bold must not open or close on a space: the spaces stay outside the marks.
            let _ = write!(out, "{lead}**{}**{trail}", inline(&piece));
        } else {
            let _ = write!(out, "{lead}{}{trail}", inline(&piece));
        }
    }
    out.trim().to_string()
}

/// [`text`] with emphasis and code marks escaped too, for text that sits beside bold.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for c in text(s).chars() {
        if matches!(c, '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn selection(s: &mut String, report: &Report) {
    if report.selection.is_empty() {
        s.push_str("Selection: every claim of the store.\n\n");
    } else {
        let _ = writeln!(s, "Selection: {}.\n", text(&report.selection.join("; ")));
    }
}

fn claim(s: &mut String, c: &ReportClaim) {
    let orphaned = if c.orphaned { " (orphaned)" } else { "" };
    let _ = writeln!(s, "\n### Claim {}: {}{orphaned}\n", c.id, c.status);
    // A denial is stated as one first ("Trump denied that …"): the sentence marks only the
    // words denied, which alone would read as the source asserting them.
    if c.claim.denial_prefix().is_some() {
        let _ = writeln!(s, "> {}\n>", text(&c.statement));
    }
    let _ = writeln!(s, "> {}\n", sentence(c));
    let mut certainty = format!("{} ({})", c.claim.certainty, c.claim.kind);
    if !c.claim.hedges.is_empty() {
        let _ = write!(certainty, ", hedges: {}", c.claim.hedges.join(", "));
    }
    let _ = writeln!(s, "- certainty: {}", text(&certainty));
    let _ = writeln!(s, "- source: {}", text(&c.citation));
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
            let _ = write!(s, " by {}", text(by));
        }
        if let Some(note) = &v.note {
            let _ = write!(s, ": {}", text(note));
        }
        s.push('\n');
        for url in &v.evidence {
            let _ = writeln!(s, "    - evidence: {}", link(url));
        }
    }
}

/// A table cell: a `|` would end it.
fn cell(s: &str) -> String {
    text(s).replace('|', "\\|")
}

/// Text from an article, a source or a fact-checker, on one line and inert: the characters
/// that open HTML (`<`, `>`) or a link or image (`[`, `]`) are backslash-escaped, and so is
/// the backslash itself, so that one in the text cannot undo an escape. Rendered, it reads
/// exactly as written.
fn text(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An http(s) url as an autolink (`<https://...>`); anything else, a `javascript:` url or
/// one with spaces or angle brackets that would end the autolink early, as inert text.
fn link(url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let http = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if http && clean {
        format!("<{url}>")
    } else {
        text(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_and_reads_as_written() {
        assert_eq!(
            text("<script>alert(1)</script> [x](javascript:alert(1)) a\\<b>"),
            "\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:alert(1)) a\\\\\\<b\\>"
        );
        assert_eq!(text("Zelenskyy — «мир»\nsaid"), "Zelenskyy — «мир» said");
    }

    #[test]
    fn only_clean_http_urls_become_autolinks() {
        assert_eq!(link("https://e.com/a?b=1"), "<https://e.com/a?b=1>");
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            link("https://e.com/a><script>"),
            "https://e.com/a\\>\\<script\\>"
        );
    }
}
