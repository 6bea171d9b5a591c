//! `claimtrail report`: select claims as `search` does (every claim by default), build the
//! report in `crate::report`, render it in the format asked for, and write it to stdout or,
//! with `-o FILE`, through a temporary file renamed into place in FILE's folder (so a reader
//! never sees half a report, not even after a crash, and an existing file is replaced only
//! with `--force`; see [`crate::atomic`]).

use super::args::{ReportArgs, ReportFormat, SelectArgs};
use super::{Context, Run, output, query};
use crate::error::Error;
use crate::report::{self, claimreview};
use crate::store::Store;
use clap::ValueEnum;

/// What `-o FILE` writes, in messages.
const WHAT: &str = "the report";

impl Run for ReportArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        // Refuse a bad destination or a ClaimReview without its url before any work.
        if let Some(path) = &self.output {
            output::check_destination(path, self.force, WHAT)?;
        }
        let review_url = match (self.format, &self.review_url) {
            (ReportFormat::Claimreview, None) => {
                return Err(Error::Usage(
                    "ClaimReview needs --review-url, where each review is published \
                     (e.g. --review-url 'https://factcheck.example/claims/{id}')"
                        .into(),
                ));
            }
            (ReportFormat::Claimreview, Some(url)) => {
                claimreview::check_review_url(url).map_err(Error::Usage)?;
                url.clone()
            }
            (_, Some(_)) => {
                return Err(Error::Usage(
                    "--review-url is for --format claimreview".into(),
                ));
            }
            (_, None) => String::new(),
        };
        if self.excel && self.format != ReportFormat::Csv {
            return Err(Error::Usage("--excel is for --format csv".into()));
        }
        let words = self.query.join(" ");
        let query = query::parse(&words).map_err(Error::Usage)?;
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let statuses = self.status.iter().chain(&query.statuses).copied().collect();
        let ids = match query::filters(&store, &query, &self.select, statuses) {
            Ok(filters) => {
                let index = super::sync::open_for_reading(&store)?;
                super::sync::searching(&store, index, |i| query::all_ids(i, &query, &filters))?
            }
            // A name the store does not know selects nothing: still an (empty) report.
            Err(Error::NothingFound(_)) => Vec::new(),
            Err(e) => return Err(e),
        };
        let selection = describe(&words, &self.select, &self.status);
        let report = report::build(&store, &ids, selection)?;
        let text = match self.format {
            ReportFormat::Markdown => report::markdown::render(&report),
            ReportFormat::Html => report::html::render(&report),
            ReportFormat::Csv => report::csv::render(&report),
            ReportFormat::Json => report::json::render(&report),
            ReportFormat::Claimreview => claimreview::render(
                &report,
                &claimreview::Reviewer {
                    org: self.org.clone(),
                    by: self.by.clone(),
                    url: review_url,
                },
            ),
        };
        // A byte-order mark is how Excel knows a CSV file is UTF-8, not the ANSI code page.
        // Written as it is: the printing path would make an invisible character visible.
        let bom = if self.excel { "\u{feff}" } else { "" };
        match &self.output {
            Some(path) => {
                let bytes = [bom.as_bytes(), text.as_bytes()].concat();
                output::write_bytes_atomically(path, &bytes, self.force, WHAT)?
            }
            None => {
                super::print_raw(bom)?;
                super::print(&text)?
            }
        }
        if report.claims.is_empty() {
            return Err(Error::NothingFound(
                "no claim matches: the report is empty".into(),
            ));
        }
        Ok(())
    }
}

/// The selection in words, for the report's header.
pub(crate) fn describe(
    words: &str,
    select: &SelectArgs,
    statuses: &[crate::model::Status],
) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |name: &str, values: Vec<String>| {
        if !values.is_empty() {
            out.push(format!("{name}: {}", values.join(", ")));
        }
    };
    add(
        "query",
        words
            .trim()
            .is_empty()
            .then(Vec::new)
            .unwrap_or(vec![words.trim().into()]),
    );
    add("outlet", select.outlet.clone());
    add("source", select.source.clone());
    add("speaker", select.speaker.iter().cloned().collect());
    add("status", statuses.iter().map(|s| s.to_string()).collect());
    add(
        "certainty",
        select.certainty.iter().map(|s| s.to_string()).collect(),
    );
    add("kind", select.kind.iter().map(|s| s.to_string()).collect());
    add(
        "since",
        select.since.iter().map(|d| d.to_string()).collect(),
    );
    add(
        "until",
        select.until.iter().map(|d| d.to_string()).collect(),
    );
    add(
        "orphaned",
        select
            .orphaned
            .iter()
            .filter_map(|o| o.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect(),
    );
    out
}
