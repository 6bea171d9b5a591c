//! The report as one standalone HTML page: inline CSS, no scripts, no fonts or images to
//! fetch, laid out to print well (claims are not split across pages). Claims are grouped by
//! article (title, outlet, date) under a table of contents; each claim is shown in its
//! sentence with its own words in `<mark>`. Every piece of text
//! that comes from an article, a source or a fact-checker goes through [`escape`], so a
//! claim holding `<script>` shows as text. Links are made only of http(s) urls.

use super::{Count, Report, ReportClaim, UNKNOWN_OUTLET, one_line};
use std::fmt::Write;

const STYLE: &str = "
body { font: 15px/1.45 Georgia, 'Times New Roman', serif; color: #111; background: #fff;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #999; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; margin: .5rem 2rem .5rem 0; display: inline-table;
        vertical-align: top; }
th, td { border: 1px solid #bbb; padding: .15rem .5rem; text-align: left; }
td.n { text-align: right; }
.claim { border: 1px solid #ccc; border-left: 6px solid #888; padding: .6rem .9rem;
         margin: 1rem 0; page-break-inside: avoid; break-inside: avoid; }
.claim blockquote { margin: .3rem 0 .5rem; font-size: 1.05rem; }
.status { font-family: Helvetica, Arial, sans-serif; font-size: .8rem; padding: .05rem .4rem;
          border-radius: .2rem; background: #eee; text-transform: uppercase; }
.s-confirmed { border-left-color: #2a7a2a; } .s-false, .s-retracted { border-left-color: #b22; }
.s-disputed { border-left-color: #c80; } .s-unconfirmable { border-left-color: #668; }
dl { margin: 0; display: grid; grid-template-columns: 7rem 1fr; gap: .1rem .6rem; }
dt { color: #555; } dd { margin: 0; }
ul.verdicts { margin: .2rem 0 0; padding-left: 1.2rem; }
a { color: #124; word-break: break-all; }
mark { background: #fde68a; color: inherit; padding: 0 .1rem; }
.byline { color: #444; margin-top: 0; } .sentence { color: #444; font-size: .95rem; }
ol.toc { padding-left: 1.5rem; }
article > h2 { font-size: 1.15rem; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } a { color: #000; } }
";

pub fn render(report: &Report) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Citation report</title>\n<style>",
    );
    s.push_str(STYLE);
    s.push_str("</style>\n</head>\n<body>\n<h1>Citation report</h1>\n");
    let selection = if report.selection.is_empty() {
        "every claim of the store".to_string()
    } else {
        report.selection.join("; ")
    };
    let _ = writeln!(s, "<p>Selection: {}.</p>", escape(&selection));
    let sum = &report.summary;
    let _ = writeln!(s, "<h2>Summary</h2>\n<p>{} claims.</p>", sum.claims);
    count_table(&mut s, "outlet", &sum.per_outlet);
    count_table(&mut s, "status", &sum.per_status);
    let _ = writeln!(
        s,
        "<ul>\n<li>resting on a single relayed outlet: {}</li>\n\
         <li>hedged by their own text: {}</li>\n<li>unconfirmed by their own text: {}</li>\n\
         <li>denied by their own text: {}</li>\n</ul>",
        sum.single_relay, sum.hedged, sum.unconfirmed, sum.denied
    );
    let groups = super::by_article(&report.claims);
    if !groups.is_empty() {
        s.push_str("<nav>\n<h2>Articles</h2>\n<ol class=\"toc\">\n");
    }
    for g in &groups {
        let _ = writeln!(
            s,
            "<li><a href=\"#article-{}\">{}</a>: {}, {} claim{}</li>",
            g.article.id,
            escape(&one_line(title(g.article))),
            byline(g.article),
            g.claims.len(),
            if g.claims.len() == 1 { "" } else { "s" }
        );
    }
    if !groups.is_empty() {
        s.push_str("</ol>\n</nav>\n");
    }
    for g in &groups {
        let _ = write!(
            s,
            "<article id=\"article-{}\">\n<h2>{}</h2>\n<p class=\"byline\">{}",
            g.article.id,
            escape(&one_line(title(g.article))),
            byline(g.article)
        );
        if let Some(url) = &g.article.meta.url {
            let _ = write!(s, "<br>{}", link(url));
        }
        s.push_str("</p>\n");
        for c in g.claims {
            claim(&mut s, c);
        }
        s.push_str("</article>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}

fn title(a: &super::ReportArticle) -> &str {
    a.meta.title.as_deref().unwrap_or("(untitled)")
}

/// "The Harbour Ledger, 2025-11-20 (article 3)", escaped.
fn byline(a: &super::ReportArticle) -> String {
    format!(
        "{}, {} (article {})",
        escape(&one_line(
            a.meta.outlet.as_deref().unwrap_or(UNKNOWN_OUTLET)
        )),
        a.meta
            .published
            .map(|d| d.to_string())
            .unwrap_or_else(|| "date unknown".into()),
        a.id
    )
}

/// The claim's sentence, the claim's words in `<mark>`; when the sentence does not hold
/// them (a corrected text), the claim marked and the sentence after it.
fn sentence(c: &ReportClaim) -> String {
    let Some(pieces) = super::marked_sentence(&c.claim) else {
        return format!(
            "<mark>{}</mark><br><span class=\"sentence\">sentence: {}</span>",
            escape(&one_line(&c.claim.text)),
            escape(&one_line(&c.claim.sentence))
        );
    };
    let mut out = String::new();
    for p in pieces {
        let (lead, piece, trail) = super::spaced(p.text);
        if p.marked && !piece.is_empty() {
            let _ = write!(out, "{lead}<mark>{}</mark>{trail}", escape(&piece));
        } else {
            let _ = write!(out, "{lead}{}{trail}", escape(&piece));
        }
    }
    out.trim().to_string()
}

/// A two-column table of claim counts, headed by what is counted ("outlet", "status").
fn count_table(s: &mut String, what: &str, counts: &[Count]) {
    let _ = writeln!(s, "<table>\n<tr><th>{what}</th><th>claims</th></tr>");
    for c in counts {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&c.name),
            c.claims
        );
    }
    s.push_str("</table>\n");
}

fn claim(s: &mut String, c: &ReportClaim) {
    let _ = writeln!(
        s,
        "<section class=\"claim s-{status}\" id=\"claim-{id}\">\n\
         <h3>Claim {id} <span class=\"status\">{status}</span>{orphaned}</h3>\n\
         <blockquote>{text}</blockquote>\n<dl>",
        id = c.id,
        status = c.status,
        orphaned = if c.orphaned {
            " <span class=\"status\">orphaned</span>"
        } else {
            ""
        },
        text = match c.claim.denial_prefix() {
            // A denial is stated as one first: the marked words alone would read as the
            // source asserting them.
            Some(_) => format!("{}<br>{}", escape(&one_line(&c.statement)), sentence(c)),
            None => sentence(c),
        },
    );
    let mut certainty = format!("{} ({})", c.claim.certainty, c.claim.kind);
    if !c.claim.hedges.is_empty() {
        let _ = write!(certainty, ", hedges: {}", c.claim.hedges.join(", "));
    }
    let _ = writeln!(s, "<dt>certainty</dt><dd>{}</dd>", escape(&certainty));
    let _ = writeln!(s, "<dt>source</dt><dd>{}</dd>", escape(&c.citation));
    if c.orphaned {
        s.push_str(
            "<dt>note</dt><dd>no longer found by the latest extraction of its article</dd>\n",
        );
    }
    if c.verdicts.is_empty() {
        s.push_str("<dt>verdicts</dt><dd>none</dd>\n");
    } else {
        s.push_str("<dt>verdicts</dt><dd><ul class=\"verdicts\">\n");
        for v in &c.verdicts {
            let _ = write!(
                s,
                "<li>{} <strong>{}</strong>",
                escape(&v.created_at),
                v.status
            );
            if let Some(by) = &v.reviewer {
                let _ = write!(s, " by {}", escape(&one_line(by)));
            }
            if let Some(note) = &v.note {
                let _ = write!(s, ": {}", escape(&one_line(note)));
            }
            for url in &v.evidence {
                let _ = write!(s, "<br>evidence: {}", link(url));
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul></dd>\n");
    }
    s.push_str("</dl>\n</section>\n");
}

/// A link for an http(s) url, the escaped text for anything else (a `javascript:` url in an
/// article's metadata stays text).
fn link(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let url = escape(url.trim());
        format!("<a href=\"{url}\">{url}</a>")
    } else {
        escape(url)
    }
}

/// Text made safe inside HTML elements and double- or single-quoted attributes; control,
/// bidi and invisible characters are written as their escapes
/// ([`crate::terminal::visible`]), so they neither reorder the page nor reach a terminal
/// that shows the file.
pub fn escape(text: &str) -> String {
    let text = crate::terminal::visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(escape("Zelenskyy — «мир»"), "Zelenskyy — «мир»");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            link("https://e.com/?a=1&b=\"2\""),
            "<a href=\"https://e.com/?a=1&amp;b=&quot;2&quot;\">https://e.com/?a=1&amp;b=&quot;2&quot;</a>"
        );
        assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
    }
}
