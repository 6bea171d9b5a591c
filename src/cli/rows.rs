//! Claims found by `search` and `unconfirmed`, printed as a table for people or as JSON or
//! CSV for scripts. One place builds what a claim row holds ([`Record`]); each format only
//! renders it.
//!
//! The table marks the words that matched the free text: in colour on a terminal (unless
//! `NO_COLOR` is set), as `[word]` otherwise, so that piped output and tests see the marks.

use super::args::ListFormat;
use crate::error::Error;
use crate::index::Hit;
use crate::index::risk::Risk;
use crate::model::{Certainty, ClaimKind, Link, Status};
use crate::report::csv::write_record;
use crate::store::StoredClaim;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::ops::Range;

/// One claim found, with how it was found.
pub(crate) struct Row {
    pub claim: StoredClaim,
    pub hit: Hit,
    /// Set by `unconfirmed`.
    pub risk: Option<Risk>,
}

/// Everything a row says, as scripts read it.
#[derive(Serialize)]
struct Record<'a> {
    id: i64,
    status: Status,
    certainty: Certainty,
    kind: ClaimKind,
    text: &'a str,
    /// The text, or its source's denial of it: what a reader may quote.
    statement: String,
    sentence: &'a str,
    hedges: &'a [String],
    cue: Option<&'a str>,
    speaker: Option<&'a str>,
    chain: &'a [Link],
    article: Article<'a>,
    /// The latest extraction of the article no longer finds the claim (kept, with its
    /// verdicts); written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    orphaned: bool,
    /// Its story (`claimtrail story`), and how many independent origins the story has.
    story: Option<i64>,
    origins: i64,
    /// The words of the claim that matched the free text, in order.
    matched: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    risk: Option<RiskRecord>,
}

#[derive(Serialize)]
struct Article<'a> {
    id: i64,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    published: Option<String>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct RiskRecord {
    /// See [`crate::index::risk`].
    score: u32,
    /// The factors of the score, each with its points.
    reasons: Vec<String>,
}

impl Row {
    fn record(&self) -> Record<'_> {
        let c = &self.claim;
        let text = c.claim.text.as_str();
        Record {
            id: c.id,
            status: c.status,
            certainty: c.claim.certainty,
            kind: c.claim.kind,
            text,
            statement: c.claim.statement(),
            sentence: &c.claim.sentence,
            hedges: &c.claim.hedges,
            cue: c.claim.cue.as_deref(),
            speaker: c.claim.speaker().map(|l| l.name.as_str()),
            chain: &c.claim.chain,
            article: Article {
                id: c.article_id,
                title: c.article.title.as_deref(),
                outlet: c.article.outlet.as_deref(),
                published: c.article.published.map(|d| d.to_string()),
                url: c.article.url.as_deref(),
            },
            orphaned: c.orphaned,
            story: c.story,
            origins: c.origins,
            matched: self
                .hit
                .highlights
                .iter()
                .filter_map(|r| text.get(r.clone()))
                .collect(),
            score: self.hit.score,
            risk: self.risk.as_ref().map(|r| RiskRecord {
                score: r.score,
                reasons: r.reasons(),
            }),
        }
    }
}

/// Prints `rows` (of `total` matching) in `format`.
pub(crate) fn print(
    rows: &[Row],
    total: usize,
    format: ListFormat,
    wide: bool,
) -> Result<(), Error> {
    let text = match format {
        ListFormat::Table => {
            let marks = Marks::for_stdout();
            let text = table(rows, total, marks, super::layout::columns(wide));
            if marks.colour() {
                // The one output holding escapes of our own: every piece of text in it
                // went through `one_line` or `flat` already (see `marked`).
                let mut out = io::stdout().lock();
                out.write_all(text.as_bytes()).map_err(Error::output)?;
                return out.flush().map_err(Error::output);
            }
            text
        }
        ListFormat::Json => {
            let records: Vec<Record> = rows.iter().map(Row::record).collect();
            let mut s =
                serde_json::to_string_pretty(&records).map_err(|e| Error::output(e.into()))?;
            s.push('\n');
            crate::terminal::json(&s).into_owned()
        }
        ListFormat::Csv => csv(rows).map_err(Error::output)?,
    };
    super::print(&text)
}

/// What follows the chain of an orphaned claim in a table, so that a claim no longer in its
/// article's latest extraction is never taken for a current one.
pub(crate) const ORPHANED_MARK: &str = "  (orphaned: no longer found in its article)";

/// How matched words are marked in the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marks {
    open: &'static str,
    close: &'static str,
}

impl Marks {
    /// True when the marks are terminal escapes.
    fn colour(self) -> bool {
        self.open.starts_with('\x1b')
    }

    /// Bold yellow on a terminal, brackets otherwise or with `NO_COLOR`.
    pub(crate) fn for_stdout() -> Marks {
        let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if colour {
            Marks {
                open: "\x1b[1;33m",
                close: "\x1b[0m",
            }
        } else {
            Marks {
                open: "[",
                close: "]",
            }
        }
    }
}

/// The chain on one line: "Bloomberg › record › Yuri Ushakov".
pub(crate) fn chain_line(chain: &[Link]) -> String {
    if chain.is_empty() {
        return "(no attribution)".into();
    }
    chain
        .iter()
        .map(|l| one_line(&l.name))
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The claims a few lines each: id, status, certainty and chain (cut with "…" to the
/// `columns` given), then the claim's text and why it is listed, wrapped at words under the
/// indent.
fn table(rows: &[Row], total: usize, marks: Marks, columns: Option<usize>) -> String {
    use super::layout::{fit, wrap};
    let width = rows
        .iter()
        .map(|r| r.claim.id.to_string().len())
        .max()
        .unwrap_or(1);
    let indent = " ".repeat(width + 2);
    let mut s = String::new();
    for row in rows {
        let c = &row.claim;
        let head = format!(
            "{:>width$}  {:<13} {:<11}  {}",
            c.id,
            c.status.as_str(),
            c.claim.certainty.as_str(),
            chain_line(&c.claim.chain),
        );
        let orphaned = if c.orphaned { ORPHANED_MARK } else { "" };
        let text = format!(
            "\"{}{}\"",
            c.claim.denial_prefix().unwrap_or_default(),
            single_spaced(&marked(&c.claim.text, &row.hit.highlights, marks))
        );
        let why = row.risk.as_ref().map(|risk| {
            format!(
                "why: risk {}: {}",
                risk.score,
                one_line(&risk.reasons().join("; "))
            )
        });
        // Without a width (a pipe, `--wide`) every line is whole and the orphaned mark ends
        // the first one; with one, the mark has its own line, wrapped, never cut: a cut
        // chain must not take with it the mark that tells an orphaned claim from a current
        // one.
        let room = columns.unwrap_or(usize::MAX);
        s.push_str(&fit(&head, room));
        if columns.is_none() {
            s.push_str(orphaned);
        }
        s.push('\n');
        let lines = [
            (columns.is_some() && c.orphaned).then(|| orphaned.trim_start().to_string()),
            Some(text),
            why,
        ];
        for line in lines.into_iter().flatten() {
            s.push_str(&indent);
            s.push_str(&wrap(&line, room, &indent));
            s.push('\n');
        }
    }
    let noun = if total == 1 { "claim" } else { "claims" };
    if rows.len() < total {
        s.push_str(&format!(
            "{} of {total} {noun} (--limit shows more)\n",
            rows.len()
        ));
    } else {
        s.push_str(&format!("{total} {noun}\n"));
    }
    s
}

/// `text` with the byte ranges `marks`ed; ranges that do not fall on characters are skipped.
/// The pieces of text between the marks are made [`flat`] (whitespace a space, hazards
/// escaped), so that the marks are the only escapes of the line.
fn marked(text: &str, ranges: &[Range<usize>], marks: Marks) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 2);
    let mut at = 0;
    for r in ranges {
        if r.start < at || text.get(r.clone()).is_none() {
            continue;
        }
        out.push_str(&flat(&text[at..r.start]));
        out.push_str(marks.open);
        out.push_str(&flat(&text[r.clone()]));
        out.push_str(marks.close);
        at = r.end;
    }
    out.push_str(&flat(&text[at..]));
    out
}

fn csv(rows: &[Row]) -> io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write_record(
        &mut w,
        [
            "id",
            "status",
            "certainty",
            "kind",
            "text",
            "statement",
            "sentence",
            "hedges",
            "cue",
            "speaker",
            "chain",
            "chain_json",
            "article_id",
            "title",
            "outlet",
            "published",
            "url",
            "matched",
            "score",
            "risk",
            "reasons",
            "orphaned",
        ],
    )?;
    for row in rows {
        let r = row.record();
        let chain_json = serde_json::to_string(r.chain).map_err(io::Error::other)?;
        // JSON in a cell stays JSON: its hazards as \u escapes, not Rust ones.
        let chain_json = crate::terminal::json(&chain_json).into_owned();
        write_record(
            &mut w,
            [
                r.id.to_string(),
                r.status.to_string(),
                r.certainty.to_string(),
                r.kind.to_string(),
                r.text.to_string(),
                r.statement.clone(),
                r.sentence.to_string(),
                r.hedges.join("; "),
                r.cue.unwrap_or_default().to_string(),
                r.speaker.unwrap_or_default().to_string(),
                chain_line(r.chain),
                chain_json,
                r.article.id.to_string(),
                r.article.title.unwrap_or_default().to_string(),
                r.article.outlet.unwrap_or_default().to_string(),
                r.article.published.clone().unwrap_or_default(),
                r.article.url.unwrap_or_default().to_string(),
                r.matched.join("; "),
                r.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
                r.risk
                    .as_ref()
                    .map(|k| k.score.to_string())
                    .unwrap_or_default(),
                r.risk
                    .as_ref()
                    .map(|k| k.reasons.join("; "))
                    .unwrap_or_default(),
                r.orphaned.to_string(),
            ],
        )?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

use crate::terminal::{flat, one_line, single_spaced};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_brackets_each_range() {
        let marks = Marks {
            open: "[",
            close: "]",
        };
        assert_eq!(
            marked("the peace plan for peace", &[4..9, 19..24], marks),
            "the [peace] plan for [peace]"
        );
        // A range inside a character is skipped, never a panic.
        assert_eq!(marked("é", std::slice::from_ref(&(1..2)), marks), "é");
    }
}
