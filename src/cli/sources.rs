//! `claimtrail sources` (every source, its aliases, its claims by status and certainty) and
//! `claimtrail alias NAME CANONICAL` (merge two sources store-wide).

use super::args::{AliasArgs, SourcesArgs, SourcesFormat};
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
        let sources = store.sources(self.kind)?;
        if sources.is_empty() {
            return Err(Error::NothingFound(match self.kind {
                Some(kind) => format!("no source of kind {kind} in the store"),
                None => "no source in the store; ingest articles first".into(),
            }));
        }
        let text = match self.format {
            SourcesFormat::Table => table(&sources),
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
        .filter_map(|k| by.get(k).filter(|n| **n > 0).map(|n| format!("{k} {n}")))
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(", ")
    }
}

fn table(sources: &[SourceSummary]) -> String {
    let names: Vec<String> = sources.iter().map(|s| one_line(&s.name)).collect();
    let name_width = names
        .iter()
        .map(|name| name.chars().count())
        .max()
        .unwrap_or(0)
        .max("SOURCE".len());
    let mut s = format!(
        "{:<name_width$}  {:<12}  {:>6}  STATUS / CERTAINTY\n",
        "SOURCE", "KIND", "CLAIMS"
    );
    for (src, name) in sources.iter().zip(&names) {
        s.push_str(&format!(
            "{:<name_width$}  {:<12}  {:>6}  {} / {}\n",
            name,
            src.kind.as_str(),
            src.claims(),
            counts(Status::ALL, &src.by_status),
            counts(Certainty::ALL, &src.by_certainty),
        ));
        if !src.aliases.is_empty() {
            s.push_str(&format!(
                "{:name_width$}  also: {}\n",
                "",
                one_line(&src.aliases.join(", "))
            ));
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
