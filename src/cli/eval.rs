//! `claimtrail eval DIR`: score extraction against a brat-standoff corpus, with progress on
//! stderr (a bar on a terminal) and the scores on stdout.

use super::args::{EvalArgs, EvalFormat};
use super::{Context, Run};
use crate::error::Error;
use crate::eval;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, IsTerminal};

impl Run for EvalArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let progress = if io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} articles") {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        let extractor = ctx.extractor()?;
        let report = eval::run(&self.dir, &extractor, |done, total| {
            progress.set_length(total as u64);
            progress.set_position(done as u64);
        })
        .map_err(Error::Usage)?;
        progress.finish_and_clear();
        if report.articles.is_empty() {
            return Err(Error::NothingFound(format!(
                "{}: no annotated article (text/*.txt with attributions/*.ann)",
                self.dir.display()
            )));
        }
        let out = match self.format {
            EvalFormat::Table => report.table(),
            EvalFormat::Json => {
                let mut s = serde_json::to_string_pretty(&report)
                    .map_err(|e| Error::Usage(e.to_string()))?;
                s.push('\n');
                s
            }
        };
        super::print(&out)
    }
}
