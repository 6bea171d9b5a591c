//! `claimtrail show CLAIM`: one claim in full, from the database: text and chain as a tree,
//! its sentence, certainty and hedges, the article, and the verdict history, newest first.

use super::args::{ResultFormat, ShowArgs};
use super::{Context, Run, render};
use crate::error::Error;
use crate::store::Store;
use crate::terminal::one_line;
use std::fmt::Write as _;

impl Run for ShowArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        let c = store.claim(self.claim)?;
        if self.format == ResultFormat::Json {
            // The claim as the JSON report holds it: one shape for one claim and for many.
            let report = crate::report::build(&store, &[c.id], Vec::new())?;
            let claim = report.claims.into_iter().next().ok_or_else(|| {
                // Only if another process removed it between the two reads.
                Error::NothingFound(format!("claim {} is no longer in the store", c.id))
            })?;
            let mut value =
                serde_json::to_value(&claim).map_err(|e| Error::Usage(e.to_string()))?;
            value["already_checked"] = serde_json::to_value(store.checks_of(c.id)?)
                .map_err(|e| Error::Usage(e.to_string()))?;
            return super::print_json(&value);
        }
        let verdicts = store.verdicts(c.id)?;
        let corrections = store.corrections(c.id)?;

        let mut s = format!("claim {}  status: {}", c.id, c.status);
        if c.orphaned {
            s.push_str("  (no longer found by the latest extraction of its article)");
        }
        if c.rejected {
            s.push_str("  (not a claim, by a correction)");
        }
        if c.removed {
            s.push_str("  (its article is removed)");
        }
        let _ = write!(s, "\n{}\n", render::claim_tree(&c.claim));
        let _ = writeln!(s, "\nsentence: {}", one_line(&c.claim.sentence));
        let hedges = if c.claim.hedges.is_empty() {
            "none".to_string()
        } else {
            one_line(&c.claim.hedges.join(", "))
        };
        let _ = writeln!(
            s,
            "certainty: {} (FactBank {}), hedges: {hedges}",
            c.claim.certainty,
            c.claim.certainty.factbank()
        );
        let _ = writeln!(
            s,
            "\narticle {}: {}",
            c.article_id,
            render::article_header(&c.article).replace('\n', "\n  ")
        );
        if let Some(story) = c.story {
            let appearances = store.story(story)?.len();
            if appearances > 1 {
                let _ = writeln!(
                    s,
                    "\nstory {story}: {appearances} appearances, {} independent origin{} (claimtrail story {})",
                    c.origins,
                    if c.origins == 1 { "" } else { "s" },
                    c.id
                );
            }
        }
        let checks = store.checks_of(c.id)?;
        if !checks.is_empty() {
            s.push('\n');
            for check in &checks {
                let _ = writeln!(s, "{}", one_line(&already_checked(check)));
            }
        }
        if verdicts.is_empty() {
            s.push_str("\nverdicts: none (unverified)\n");
        } else {
            s.push_str("\nverdicts, newest first:\n");
            for v in &verdicts {
                let _ = write!(s, "  {}  {}", v.created_at, v.status);
                if let Some(by) = &v.reviewer {
                    let _ = write!(s, " by {}", one_line(by));
                }
                if let Some(note) = &v.note {
                    let _ = write!(s, ": {}", one_line(note));
                }
                s.push('\n');
                for url in &v.evidence {
                    let _ = writeln!(s, "    evidence: {}", one_line(url));
                }
            }
        }
        if !corrections.is_empty() {
            s.push_str("\ncorrections, newest first:\n");
            for k in &corrections {
                let _ = write!(s, "  {}", k.created_at);
                if let Some(by) = &k.reviewer {
                    let _ = write!(s, " by {}", one_line(by));
                }
                if let Some(note) = &k.note {
                    let _ = write!(s, ": {}", one_line(note));
                }
                s.push('\n');
                for line in render::changes(&k.changes) {
                    let _ = writeln!(s, "    {line}");
                }
            }
        }
        super::print(&s)
    }
}

/// "already checked: Snopes rated it False (https://…)", or the store's own verdict on
/// another claim saying the same.
fn already_checked(check: &crate::store::Check) -> String {
    use crate::store::Check;
    match check {
        Check::Review { review, .. } => {
            let who = review
                .reviewer
                .as_deref()
                .unwrap_or("an outside fact-check");
            let mut line = match &review.rating {
                Some(rating) => format!("already checked: {who} rated it {rating}"),
                None => format!("already checked: {who} reviewed it"),
            };
            if let Some(url) = &review.url {
                let _ = write!(line, " ({url})");
            }
            if let Some(date) = &review.published {
                let _ = write!(line, ", {date}");
            }
            let _ = write!(line, ": \"{}\"", review.claim_reviewed);
            line
        }
        Check::Verdict {
            claim,
            text,
            status,
            reviewer,
            ..
        } => {
            let by = reviewer
                .as_deref()
                .map(|r| format!(" by {r}"))
                .unwrap_or_default();
            format!("already checked: claim {claim} was judged {status}{by}: \"{text}\"")
        }
    }
}
