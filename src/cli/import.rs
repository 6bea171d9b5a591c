//! `claimtrail import FILE`: an export read line by line into the store in one transaction,
//! merged with what the store holds (see `crate::store`'s `import.rs`), then the search index
//! caught up with the claims it added or judged, and a summary printed.

use super::args::{ImportArgs, ResultFormat};
use super::{Context, Run};
use crate::error::Error;
use crate::read::ReadError;
use crate::store::{Store, Tally};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufReader};

impl Run for ImportArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        // The file first: a wrong name is one error before the store is opened.
        let path = &self.file;
        let unreadable = |message: String| ReadError::Io {
            path: path.clone(),
            message,
        };
        if path.is_dir() {
            return Err(unreadable("is a folder, not an export file".into()).into());
        }
        let file = File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound { path: path.clone() },
            _ => unreadable(e.to_string()),
        })?;
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let report = store.import(BufReader::with_capacity(1 << 20, file), path)?;
        // Stories are derived: the imported claims are grouped like ingested ones (their
        // own transaction; a failure loses nothing imported, and `reindex` groups again).
        // Splits and joins imported apply to every story: then all are grouped again.
        let scope = if report.story_changes.new > 0 {
            crate::store::StoryScope::All
        } else {
            crate::store::StoryScope::New(i64::MAX)
        };
        if let Err(e) = store.group_stories(scope) {
            super::sync::warning(&format!(
                "imported; grouping the claims into stories failed ({}): run `claimtrail reindex`",
                crate::error::Error::from(e).message()
            ));
        }
        // Which claims are already checked is derived too: matched again when the import
        // brought fact-checks or claims (a failure loses nothing imported either).
        if (report.fact_checks.new > 0 || report.claims.new > 0)
            && let Err(e) = store.match_claims(crate::store::Scope::All)
        {
            super::sync::warning(&format!(
                "imported; matching the claims against the fact-checks failed ({}): run `claimtrail reindex`",
                crate::error::Error::from(e).message()
            ));
        }
        // Committed. The index takes what was imported, in one commit, or catches up on the
        // next command (a warning says so): the import succeeded either way.
        let _ = super::sync::after_commit(&store);
        let counts = store.counts()?;
        for line in &report.damaged {
            super::sync::warning(&format!("{}:{line}", path.display()));
        }

        if self.format == ResultFormat::Json {
            let tally = |t: Tally| serde_json::json!({"new": t.new, "existing": t.existing});
            return super::print_json(&serde_json::json!({
                "file": path.display().to_string(),
                "ids_kept": report.ids_kept,
                "sources": tally(report.sources),
                "source_merges": tally(report.source_merges),
                "articles": tally(report.articles),
                "claims": tally(report.claims),
                "verdicts": tally(report.verdicts),
                "corrections": tally(report.corrections),
                "article_changes": tally(report.article_changes),
                "source_changes": tally(report.source_changes),
                "story_changes": tally(report.story_changes),
                "fact_checks": tally(report.fact_checks),
                "damaged": report.damaged,
                "store": {
                    "path": store.dir().display().to_string(),
                    "articles": counts.articles,
                    "claims": counts.claims,
                    "orphaned_claims": counts.orphaned_claims,
                    "sources": counts.sources,
                    "verdicts": counts.verdicts,
                },
            }));
        }
        let mut s = String::new();
        let how = if report.ids_kept {
            "into an empty store: every id kept"
        } else {
            "into a store that was not empty: records matched, new rows given new ids"
        };
        let _ = writeln!(s, "imported {} {how}", path.display());
        for (name, tally) in [
            ("sources", report.sources),
            ("source merges", report.source_merges),
            ("articles", report.articles),
            ("claims", report.claims),
            ("verdicts", report.verdicts),
            ("corrections", report.corrections),
            ("article changes", report.article_changes),
            ("source changes", report.source_changes),
            ("story changes", report.story_changes),
            ("fact-checks", report.fact_checks),
        ] {
            let Tally { new, existing } = tally;
            // A file without corrections (all of version 1) says nothing of them.
            if matches!(
                name,
                "corrections"
                    | "article changes"
                    | "source changes"
                    | "story changes"
                    | "fact-checks"
            ) && new + existing == 0
            {
                continue;
            }
            if name == "source changes" {
                // Their details name rows by the exporting store's ids: kept only where
                // every id was kept.
                let why = if existing > 0 {
                    " (they name another store's ids)"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "{:<14} {new} kept, {existing} left out{why}",
                    format!("{name}:")
                );
                continue;
            }
            let _ = writeln!(
                s,
                "{:<14} {new} new, {existing} already stored",
                format!("{name}:")
            );
        }
        let _ = writeln!(
            s,
            "store {}: {} articles, {} claims ({} orphaned), {} sources, {} verdicts",
            store.dir().display(),
            counts.articles,
            counts.claims,
            counts.orphaned_claims,
            counts.sources,
            counts.verdicts,
        );
        super::print(&s)
    }
}
