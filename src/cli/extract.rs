//! `claimtrail extract FILE`: the pipeline alone (read, extract), nothing stored.
//!
//! `--format json` is the contract of DESIGN.md: `{"article", "claims", "sources"}` with the
//! model's own serde types; a JSONL file gives one such object per line (JSON Lines).
//! `--format text` shows each claim with its chain as a tree.

use super::args::{ExtractArgs, ExtractFormat};
use super::{Context, Run, render, warn};
use crate::error::{Error, ErrorKind};
use crate::model::{ArticleMeta, Claim, Source};
use crate::read;
use indicatif::ProgressBar;
use serde::Serialize;
use std::io::{self, Write};

/// The JSON contract of one document.
#[derive(Serialize)]
struct Output<'a> {
    article: &'a ArticleMeta,
    claims: &'a [Claim],
    sources: &'a [Source],
}

impl Run for ExtractArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let defaults = self.meta.to_meta();
        let docs = read::read_file(&self.file)?;
        let several = docs.len() > 1;
        let extractor = ctx.extractor()?;
        let no_progress = ProgressBar::hidden();
        let mut out = io::stdout().lock();
        let (mut shown, mut failed) = (0usize, 0usize);
        for doc in docs {
            let mut doc = match doc {
                Ok(doc) => doc,
                Err(e) => {
                    failed += 1;
                    warn(&no_progress, e);
                    continue;
                }
            };
            doc.meta.fill_from(&defaults);
            let extraction = extractor.extract(&doc.text, &doc.meta);
            let output = Output {
                article: &doc.meta,
                claims: &extraction.claims,
                sources: &extraction.sources,
            };
            let text = match self.format {
                ExtractFormat::Json if several => serde_json::to_string(&output),
                ExtractFormat::Json => serde_json::to_string_pretty(&output),
                ExtractFormat::Text => Ok(text(&output, shown > 0)),
            }
            .map_err(|e| Error::output(e.into()))?;
            // JSON: hazards as \u escapes (the same value); text: the one sanitising path.
            let text = match self.format {
                ExtractFormat::Json => crate::terminal::json(&text),
                ExtractFormat::Text => crate::terminal::visible(&text),
            };
            writeln!(out, "{text}").map_err(Error::output)?;
            shown += 1;
        }
        out.flush().map_err(Error::output)?;
        if shown == 0 && failed > 0 {
            return Err(Error::Reported(ErrorKind::User));
        }
        Ok(())
    }
}

fn text(output: &Output, separate: bool) -> String {
    let mut s = String::new();
    if separate {
        s.push('\n');
    }
    s.push_str(&render::article_header(output.article));
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (c, n) = (output.claims.len(), output.sources.len());
    s.push_str(&format!(
        "\n{c} claim{}, {n} source{}\n",
        plural(c),
        plural(n)
    ));
    for (i, claim) in output.claims.iter().enumerate() {
        s.push_str(&format!("\n{}. {}\n", i + 1, render::claim_tree(claim)));
    }
    s.pop();
    s
}
