//! `claimtrail verify`: append one verdict to each claim named by id or selected by a query,
//! in one store transaction, then bring the search index up to date in one commit so that
//! `search` sees the new status as soon as this returns. Once the verdicts are committed the
//! command succeeds: an index that cannot be updated is a warning (it catches up on the next
//! command), never an exit 2 that would make a retry write the verdicts twice.

use super::args::{ResultFormat, VerifyArgs};
use super::{Context, Run, query, sync};
use crate::error::Error;
use crate::store::{NewVerdict, Outcome, Recheck, Skip, Store};
use std::fmt::Write as _;

impl Run for VerifyArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        for url in &self.evidence {
            crate::model::check_http_url(url).map_err(Error::Usage)?;
        }
        let bulk = self.query.is_some() || !self.select.is_empty();
        if bulk && !self.claims.is_empty() {
            return Err(Error::Usage(
                "give claim ids or a selection (--query, filters), not both".into(),
            ));
        }
        if !bulk && self.claims.is_empty() {
            return Err(Error::Usage(
                "which claims? give claim ids, or --query and filters with --yes".into(),
            ));
        }
        let mut store = Store::open(&ctx.db)?.with_clock(ctx.clock);
        let (ids, recheck) = if bulk {
            let query = query::parse(self.query.as_deref().unwrap_or("")).map_err(Error::Usage)?;
            let filters = query::filters(&store, &query, &self.select, query.statuses.clone())?;
            let index = sync::open_for_reading(&store)?;
            let ids = sync::searching(&store, index, |i| query::all_ids(i, &query, &filters))?;
            if ids.is_empty() {
                return Err(Error::NothingFound(
                    "no claim matches the query: no verdict written".into(),
                ));
            }
            if !self.yes {
                return Err(Error::Usage(format!(
                    "this would set {} claim(s) to {}; add --yes to do it",
                    ids.len(),
                    self.status
                )));
            }
            // The index chose the claims and may be behind the database: what SQL can
            // decide is decided again where the verdicts are written.
            let recheck = Recheck {
                statuses: filters.statuses.clone(),
                certainties: filters.certainties.clone(),
                kinds: filters.kinds.clone(),
                exclude_kinds: filters.exclude_kinds.clone(),
                since: filters.since,
                until: filters.until,
                orphans: filters.orphaned,
            };
            (ids, Some(recheck))
        } else {
            let mut ids = Vec::new();
            for id in &self.claims {
                // Every appearance of its story, the claim itself first; an unknown id
                // stays, for the transaction below to refuse whole.
                ids.push(*id);
                if self.story {
                    ids.extend(store.story_claims(*id)?);
                }
            }
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(*id));
            (ids, None)
        };
        let reviewer = self.by.clone().unwrap_or_else(user_name);
        let at = ctx.clock.now();
        let verdict = NewVerdict {
            status: self.status,
            note: self.note.as_deref(),
            evidence: &self.evidence,
            reviewer: Some(&reviewer),
            at,
        };
        // Which claims are orphaned, to mark them in what is printed (read before writing:
        // a verdict changes a claim's status, never whether its article still holds it).
        let orphaned: std::collections::HashSet<i64> = store
            .claims(&ids)?
            .iter()
            .filter(|c| c.orphaned)
            .map(|c| c.id)
            .collect();
        let outcomes = store.record_verdicts(&ids, &verdict, recheck.as_ref())?;
        let written = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Written { .. }))
            .count();
        // Committed: from here on the command succeeds. One index commit for the batch.
        if written > 0 {
            let _ = sync::after_commit(&store);
        }

        if self.format == ResultFormat::Json {
            let claims: Vec<serde_json::Value> = ids
                .iter()
                .zip(&outcomes)
                .map(|(id, outcome)| match outcome {
                    Outcome::Written { previous, .. } => serde_json::json!({
                        "id": id, "outcome": "written", "previous": previous,
                        "orphaned": orphaned.contains(id),
                    }),
                    Outcome::AlreadyRecorded { .. } => {
                        serde_json::json!({"id": id, "outcome": "already_recorded"})
                    }
                    Outcome::Skipped {
                        why: Skip::Status(now),
                    } => serde_json::json!({
                        "id": id, "outcome": "skipped", "why": "status_changed", "status": now,
                    }),
                    Outcome::Skipped { why: Skip::Filters } => serde_json::json!({
                        "id": id, "outcome": "skipped", "why": "filters_changed",
                    }),
                })
                .collect();
            return super::print_json(&serde_json::json!({
                "status": self.status,
                "by": reviewer,
                "at": crate::clock::timestamp(at),
                "note": self.note,
                "evidence": self.evidence,
                "written": written,
                "claims": claims,
            }));
        }
        let shown = crate::terminal::one_line(&reviewer);
        let mut s = String::new();
        let (mut recorded, mut status_changed, mut filters_changed) = (0, 0, 0);
        for (id, outcome) in ids.iter().zip(&outcomes) {
            match outcome {
                Outcome::Written { previous, .. } => {
                    let mark = if orphaned.contains(id) {
                        super::rows::ORPHANED_MARK
                    } else {
                        ""
                    };
                    let _ = writeln!(s, "claim {id}: {previous} → {}{mark}", self.status);
                }
                Outcome::AlreadyRecorded { .. } => {
                    recorded += 1;
                    let _ = writeln!(s, "claim {id}: already recorded ({})", self.status);
                }
                Outcome::Skipped {
                    why: Skip::Status(now),
                } => {
                    status_changed += 1;
                    let _ = writeln!(s, "claim {id}: skipped, its status is now {now}");
                }
                Outcome::Skipped { why: Skip::Filters } => {
                    filters_changed += 1;
                    let _ = writeln!(s, "claim {id}: skipped, it no longer matches the filters");
                }
            }
        }
        let claims = |n: usize| {
            if n == 1 {
                "1 claim".to_string()
            } else {
                format!("{n} claims")
            }
        };
        let _ = writeln!(
            s,
            "{} set to {} by {shown} at {}",
            claims(written),
            self.status,
            crate::clock::timestamp(at)
        );
        if recorded > 0 {
            let _ = writeln!(
                s,
                "{} already recorded: the same verdict by {shown} in the same second, not written twice",
                claims(recorded)
            );
        }
        if status_changed > 0 {
            let _ = writeln!(
                s,
                "{} skipped: their status changed",
                claims(status_changed)
            );
        }
        if filters_changed > 0 {
            let _ = writeln!(
                s,
                "{} skipped: they no longer match the filters",
                claims(filters_changed)
            );
        }
        if !bulk && !self.story {
            // The same claim elsewhere is judged separately unless asked: say so.
            for id in &ids {
                let Some(story) = store.story_of(*id)? else {
                    continue;
                };
                let others = store
                    .story(story)?
                    .iter()
                    .filter(|a| a.claim != *id)
                    .count();
                if others > 0 {
                    let _ = writeln!(
                        s,
                        "claim {id}: its story has {} other appearance{} (claimtrail story {id}); verify --story records the verdict on all",
                        others,
                        if others == 1 { "" } else { "s" }
                    );
                }
            }
        }
        super::print(&s)
    }
}

/// Who runs the program, for `--by`'s default: `USER`, else `USERNAME`, else "unknown".
pub(super) fn user_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
