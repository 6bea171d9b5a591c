//! `claimtrail correct CLAIM`: one correction of what extraction got wrong (speaker, chain,
//! text, kind, certainty, not a claim), appended to the claim's correction history in one
//! store transaction, then the search index brought up to date. As for `verify`, once the
//! correction is committed the command succeeds: an index that cannot follow is a warning.

use super::args::{CorrectArgs, ResultFormat};
use super::{Context, Run, render, sync};
use crate::error::Error;
use crate::store::corrections::{parse_chain, parse_source_name};
use crate::store::{Corrected, NewCorrection, Store};
use std::fmt::Write as _;

impl Run for CorrectArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let speaker = self
            .speaker
            .as_deref()
            .map(parse_source_name)
            .transpose()
            .map_err(|e| Error::Usage(format!("--speaker: {e}")))?;
        let chain = self
            .chain
            .as_deref()
            .map(parse_chain)
            .transpose()
            .map_err(|e| Error::Usage(format!("--chain: {e}")))?;
        let rejected = match (self.not_a_claim, self.is_a_claim) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        if speaker.is_none()
            && chain.is_none()
            && self.text.is_none()
            && self.kind.is_none()
            && self.certainty.is_none()
            && rejected.is_none()
        {
            return Err(Error::Usage(
                "nothing to correct: give --speaker, --chain, --text, --kind, --certainty or \
                 --not-a-claim"
                    .into(),
            ));
        }
        let reviewer = self.by.clone().unwrap_or_else(super::verify::user_name);
        let at = ctx.clock.now();
        let correction = NewCorrection {
            speaker,
            chain,
            text: self.text.as_deref(),
            kind: self.kind,
            certainty: self.certainty,
            rejected,
            note: self.note.as_deref(),
            reviewer: Some(&reviewer),
            at: Some(at),
        };
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let outcome = store.correct_claim(self.claim, &correction)?;
        // Committed: from here on the command succeeds.
        if matches!(outcome, Corrected::Written { .. }) {
            let _ = sync::after_commit(&store);
        }
        let at = crate::clock::timestamp(at);
        if self.format == ResultFormat::Json {
            return super::print_json(&match &outcome {
                Corrected::Written {
                    correction_id,
                    changes,
                } => serde_json::json!({
                    "claim": self.claim, "outcome": "written", "correction": correction_id,
                    "by": reviewer, "at": at, "note": self.note, "changes": changes,
                }),
                Corrected::AlreadyRecorded { correction_id } => serde_json::json!({
                    "claim": self.claim, "outcome": "already_recorded",
                    "correction": correction_id, "by": reviewer, "at": at,
                }),
            });
        }
        let by = crate::terminal::one_line(&reviewer);
        let mut s = String::new();
        match &outcome {
            Corrected::Written { changes, .. } => {
                let _ = writeln!(s, "claim {}: corrected by {by} at {at}", self.claim);
                for line in render::changes(changes) {
                    let _ = writeln!(s, "  {line}");
                }
            }
            Corrected::AlreadyRecorded { .. } => {
                let _ = writeln!(
                    s,
                    "claim {}: already recorded: the same correction by {by} in the same second, not written twice",
                    self.claim
                );
            }
        }
        super::print(&s)
    }
}
