//! `claimtrail sources` (every source, its aliases, its claims by status and certainty) and
//! `claimtrail alias NAME CANONICAL` (merge two sources store-wide).

use super::args::{AliasArgs, SourceArgs, SourcesArgs, SourcesFormat, UnaliasArgs};
use super::index::describe;
use super::{Context, Run};
use crate::error::Error;
use crate::model::{Certainty, Status};
use crate::report::csv::write_record;
use crate::store::{SourceSummary, Store};
use crate::terminal::one_line;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;

impl Run for SourcesArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let mut sources = store.sources(self.kind)?;
        // A name mentioned in passing is no source of anything: listed only on request.
        if !self.all {
            sources.retain(|s| s.claims() > 0);
        }
        if sources.is_empty() {
            return Err(Error::NothingFound(match self.kind {
                Some(kind) => format!("no source of kind {kind} in the store"),
                None => "no source in the store; ingest articles first".into(),
            }));
        }
        let text = match self.format {
            SourcesFormat::Table => table(&sources, super::layout::columns(self.wide)),
            SourcesFormat::Json => {
                let records: Vec<Record> = sources.iter().map(Record::from).collect();
                let mut s =
                    serde_json::to_string_pretty(&records).map_err(|e| Error::output(e.into()))?;
                s.push('\n');
                crate::terminal::json(&s).into_owned()
            }
            SourcesFormat::Csv => csv(&sources).map_err(Error::output)?,
        };
        print(&text)
    }
}

impl Run for AliasArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let report = store.merge_source(&self.name, &self.canonical)?;
        // Committed. The index catches up now, in this command's one commit; if it cannot,
        // the merge is still done (a warning says the index catches up later).
        let index = super::sync::after_commit(&store);
        let what = if report.sources_merged == 0 {
            format!(
                "'{}' recorded as another name of {} ({})",
                one_line(&self.name),
                one_line(&report.canonical),
                report.kind
            )
        } else {
            format!(
                "merged '{}' into {} ({}): {} claim(s) re-attributed",
                one_line(&self.name),
                one_line(&report.canonical),
                report.kind,
                report.claims_changed
            )
        };
        match index {
            Some(index) => print(&format!("{what}\nindex: {}\n", describe(index.sync()))),
            None => print(&format!("{what}\n")),
        }
    }
}

impl Run for UnaliasArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let report = store.unalias(&self.name)?;
        // Committed: the index catches up now, or on the next command.
        let index = super::sync::after_commit(&store);
        let what = format!(
            "'{}' is no longer merged into {}: {} source(s) restored, {} claim(s) re-attributed",
            one_line(&self.name),
            one_line(&report.canonical),
            report.sources_restored,
            report.claims_changed
        );
        match index {
            Some(index) => print(&format!("{what}\nindex: {}\n", describe(index.sync()))),
            None => print(&format!("{what}\n")),
        }
    }
}

impl Run for SourceArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        use crate::store::curation::SourceEdit;
        let edit = match (&self.rename, self.kind) {
            (Some(n), _) => SourceEdit::Rename(n.clone()),
            (None, Some(k)) => SourceEdit::Kind(k),
            (None, None) => return Err(Error::Usage("give --rename NEW or --kind K".into())),
        };
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let (name, kind) = store.change_source(&self.name, &edit)?;
        let _ = super::sync::after_commit(&store);
        let what = match edit {
            SourceEdit::Rename(n) => format!(
                "renamed {} ({kind}) to {}",
                one_line(&name),
                one_line(n.split_whitespace().collect::<Vec<_>>().join(" ").as_str())
            ),
            SourceEdit::Kind(k) => format!("{} is now of kind {k} (was {kind})", one_line(&name)),
        };
        print(&format!("{what}\n"))
    }
}

#[derive(Serialize)]
struct Record<'a> {
    id: i64,
    name: &'a str,
    kind: &'a str,
    aliases: &'a [String],
    roles: &'a [String],
    claims: usize,
    by_status: &'a BTreeMap<Status, usize>,
    by_certainty: &'a BTreeMap<Certainty, usize>,
}

impl<'a> From<&'a SourceSummary> for Record<'a> {
    fn from(s: &'a SourceSummary) -> Self {
        Record {
            id: s.id,
            name: &s.name,
            kind: s.kind.as_str(),
            aliases: &s.aliases,
            roles: &s.roles,
            claims: s.claims(),
            by_status: &s.by_status,
            by_certainty: &s.by_certainty,
        }
    }
}

/// "unverified 3, confirmed 1" in vocabulary order, zeros left out.
fn counts<K: Copy + Ord + std::fmt::Display>(all: &[K], by: &BTreeMap<K, usize>) -> String {
    let parts: Vec<String> = all
        .iter()
        .filter_map(|k| {
            by.get(k)
                .filter(|n| **n > 0)
                .map(|n| format!("{k}\u{a0}{n}"))
        })
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(", ")
    }
}

/// Columns of a sources row between the name and the counts: two spaces, the kind (12),
/// two, the claims (6), two.
const SOURCE_ROW_MIDDLE: usize = 2 + 12 + 2 + 6 + 2;

/// The sources a line each; with `columns`, a long name is cut with "…" so that the other
/// columns stay in place (one headline fragment padded every name to 93 characters), and
/// counts or aliases that would not fit are wrapped at words under their column.
fn table(sources: &[SourceSummary], columns: Option<usize>) -> String {
    use super::layout::{fit, width};
    let names: Vec<String> = sources.iter().map(|s| one_line(&s.name)).collect();
    let widest = names
        .iter()
        .map(|name| width(name))
        .max()
        .unwrap_or(0)
        .max("SOURCE".len());
    let name_width = match columns {
        // Half of what the middle leaves for the name, half for the counts.
        Some(c) => widest.min((c.saturating_sub(SOURCE_ROW_MIDDLE) / 2).max(12)),
        None => widest,
    };
    let names: Vec<String> = names
        .iter()
        .map(|n| {
            let n = fit(n, name_width);
            let pad = name_width.saturating_sub(width(&n));
            format!("{n}{}", " ".repeat(pad))
        })
        .collect();
    // The row up to its last column, and that column wrapped under itself.
    // Wrapped at a count's end, never between its name and its number (held together by
    // a no-break space until the wrapping is done).
    let line = |head: String, last: String| match columns {
        Some(c) => {
            let indent = " ".repeat(width(&head));
            let wrapped = super::layout::wrap(&last, c, &indent);
            format!("{head}{}", wrapped.replace('\u{a0}', " "))
        }
        None => format!("{head}{}", last.replace('\u{a0}', " ")),
    };
    let mut s = line(
        format!(
            "{:<name_width$}  {:<12}  {:>6}  ",
            "SOURCE", "KIND", "CLAIMS"
        ),
        "STATUS / CERTAINTY".into(),
    );
    s.push('\n');
    for (src, name) in sources.iter().zip(&names) {
        s.push_str(&line(
            format!("{name}  {:<12}  {:>6}  ", src.kind.as_str(), src.claims()),
            format!(
                "{} / {}",
                counts(Status::ALL, &src.by_status),
                counts(Certainty::ALL, &src.by_certainty),
            ),
        ));
        s.push('\n');
        if !src.aliases.is_empty() {
            s.push_str(&line(
                format!("{:name_width$}  also: ", ""),
                src.aliases
                    .iter()
                    .map(|a| one_line(a).replace(' ', "\u{a0}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            s.push('\n');
        }
    }
    let noun = if sources.len() == 1 {
        "source"
    } else {
        "sources"
    };
    s.push_str(&format!("{} {noun}\n", sources.len()));
    s
}

fn csv(sources: &[SourceSummary]) -> io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "name", "kind", "claims"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    header.extend(Status::ALL.iter().map(|s| format!("status_{s}")));
    header.extend(Certainty::ALL.iter().map(|c| format!("certainty_{c}")));
    header.push("aliases".into());
    header.push("roles".into());
    write_record(&mut w, &header)?;
    for src in sources {
        let mut row = vec![
            src.id.to_string(),
            src.name.clone(),
            src.kind.to_string(),
            src.claims().to_string(),
        ];
        row.extend(
            Status::ALL
                .iter()
                .map(|k| src.by_status.get(k).copied().unwrap_or(0).to_string()),
        );
        row.extend(
            Certainty::ALL
                .iter()
                .map(|k| src.by_certainty.get(k).copied().unwrap_or(0).to_string()),
        );
        row.push(src.aliases.join("; "));
        row.push(src.roles.join("; "));
        write_record(&mut w, &row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

use super::print;
