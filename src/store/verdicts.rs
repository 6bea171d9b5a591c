//! Writing verdicts: [`Store::record_verdicts`] appends one verdict to each of a list of
//! claims in one transaction, and says per claim what it did.
//!
//! Three rules live here:
//! - **The latest verdict is the latest by time.** [`LATEST_FIRST`] is the one order of a
//!   claim's history (the status, `show`, reports, the index): the latest `created_at`, then,
//!   within one second, the greatest `seq` (the order in which one store recorded them), then
//!   the verdict's content (status, reviewer, note, evidence, as text), so that two stores
//!   holding the same verdicts put them in the same order whatever ids they gave them.
//! - **A retry is not a second verdict.** A verdict identical to the claim's latest one
//!   (status, note, evidence, reviewer) and recorded in the same second is the same judgement
//!   sent twice (a command that was killed, or reported a failure, and was run again): it is
//!   reported as already recorded and nothing is written.
//! - **A selection is re-checked against the truth.** `verify --query` chooses its claims in
//!   the search index, which may be behind the database; the filters SQL can decide (status,
//!   certainty, kind, dates, orphaned) are checked again inside the write transaction, and a
//!   claim that no longer matches them is left alone and reported as skipped.

use super::{LazyGeneration, Store, StoreError};
use crate::clock;
use crate::model::{Certainty, ClaimKind, Status};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

/// The order of a claim's verdicts, latest first, over `verdicts v` (an ORDER BY clause).
/// `schema.sql`'s `claim_status` view spells the same clause (a test compares them).
macro_rules! latest_first {
    () => {
        "julianday(v.created_at) DESC, v.seq DESC, v.status DESC, coalesce(v.reviewer, '') DESC, coalesce(v.note, '') DESC, (SELECT coalesce(group_concat(e.url, ' ' ORDER BY e.position), '') FROM verdict_evidence e WHERE e.verdict_id = v.id) DESC, v.id DESC"
    };
}
pub(crate) use latest_first;

/// See [`latest_first!`].
pub const LATEST_FIRST: &str = latest_first!();

/// The current status of the claim `c.id`, as an SQL expression.
macro_rules! status_of_claim {
    () => {
        concat!(
            "coalesce((SELECT v.status FROM verdicts v WHERE v.claim_id = c.id ORDER BY ",
            $crate::store::verdicts::latest_first!(),
            " LIMIT 1), 'unverified')"
        )
    };
}
pub(crate) use status_of_claim;

/// One verdict, as a fact-checker gives it.
#[derive(Debug, Clone, Copy)]
pub struct NewVerdict<'a> {
    pub status: Status,
    pub note: Option<&'a str>,
    /// Empty urls are skipped.
    pub evidence: &'a [String],
    pub reviewer: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// What a selection of claims required, re-checked against the database when the verdicts
/// are written. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recheck {
    pub statuses: Vec<Status>,
    pub certainties: Vec<Certainty>,
    pub kinds: Vec<ClaimKind>,
    /// Kinds left out, whatever `kinds` says.
    pub exclude_kinds: Vec<ClaimKind>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Whether orphaned claims were selected too, or only they.
    pub orphans: crate::index::Orphans,
}

/// What [`Store::record_verdicts`] did for one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The verdict was appended; the claim's status before it.
    Written { verdict_id: i64, previous: Status },
    /// The claim's latest verdict is this one, recorded in the same second: nothing written.
    AlreadyRecorded { verdict_id: i64 },
    /// The claim no longer matches the selection: nothing written.
    Skipped { why: Skip },
}

/// Why a claim of a selection was left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Its status is not one the selection asked for (any more).
    Status(Status),
    /// Another filter no longer holds (its extraction or article changed).
    Filters,
}

impl Store {
    /// Appends a verdict to a claim's history and returns its id (the existing one when the
    /// same verdict was just recorded). `at` is the time it is recorded with.
    pub fn add_verdict(
        &mut self,
        claim_id: i64,
        status: Status,
        note: Option<&str>,
        evidence: &[String],
        reviewer: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let ids = self.add_verdicts(&[claim_id], status, note, evidence, reviewer, at)?;
        Ok(ids[0])
    }

    /// [`Store::record_verdicts`] without a selection to re-check; the verdict ids in the
    /// order of `claim_ids`.
    pub fn add_verdicts(
        &mut self,
        claim_ids: &[i64],
        status: Status,
        note: Option<&str>,
        evidence: &[String],
        reviewer: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let verdict = NewVerdict {
            status,
            note,
            evidence,
            reviewer,
            at,
        };
        let outcomes = self.record_verdicts(claim_ids, &verdict, None)?;
        Ok(outcomes
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Written { verdict_id, .. } | Outcome::AlreadyRecorded { verdict_id } => {
                    Some(verdict_id)
                }
                Outcome::Skipped { .. } => None,
            })
            .collect())
    }

    /// Appends `verdict` to each of `claim_ids` in one transaction (one generation, taken only
    /// when something is written) and says what it did for each, in the same order. An
    /// unknown claim anywhere in the list fails the whole batch: nothing is written. With
    /// `recheck`, a claim that no longer matches it is skipped.
    pub fn record_verdicts(
        &mut self,
        claim_ids: &[i64],
        verdict: &NewVerdict,
        recheck: Option<&Recheck>,
    ) -> Result<Vec<Outcome>, StoreError> {
        // IMMEDIATE, like ingest: the write lock is taken (waiting up to the busy timeout for
        // another writer) before anything is read, so what is checked below is what the
        // verdicts are written against.
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let mut generation = LazyGeneration::default();
        let urls: Vec<String> = verdict
            .evidence
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .collect();
        let at = clock::timestamp(verdict.at);
        let mut outcomes = Vec::with_capacity(claim_ids.len());
        for &claim_id in claim_ids {
            let Some(current) = current_state(&tx, claim_id).map_err(sql)? else {
                // Dropped uncommitted: what was already written is rolled back.
                return Err(StoreError::UnknownClaim(claim_id));
            };
            if let Some(why) = recheck.and_then(|r| current.fails(r)) {
                outcomes.push(Outcome::Skipped { why });
                continue;
            }
            if let Some(latest) = latest_verdict(&tx, claim_id).map_err(sql)? {
                let same = latest.status == verdict.status
                    && latest.note.as_deref() == verdict.note
                    && latest.reviewer.as_deref() == verdict.reviewer
                    && latest.created_at == at
                    && latest.evidence == urls;
                if same {
                    outcomes.push(Outcome::AlreadyRecorded {
                        verdict_id: latest.id,
                    });
                    continue;
                }
            }
            let g = generation.get(&tx).map_err(sql)?;
            tx.prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")
                .and_then(|mut s| s.execute(params![g, claim_id]))
                .map_err(sql)?;
            let verdict_id: i64 = tx
                .prepare_cached(
                    "INSERT INTO verdicts (claim_id, status, note, reviewer, created_at, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5,
                         (SELECT coalesce(max(seq) + 1, 0) FROM verdicts
                          WHERE claim_id = ?1 AND created_at = ?5))
                     RETURNING id",
                )
                .and_then(|mut s| {
                    s.query_row(
                        params![
                            claim_id,
                            verdict.status.as_str(),
                            verdict.note,
                            verdict.reviewer,
                            at
                        ],
                        |r| r.get(0),
                    )
                })
                .map_err(sql)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO verdict_evidence (verdict_id, position, url) VALUES (?1, ?2, ?3)",
                )
                .map_err(sql)?;
            for (position, url) in urls.iter().enumerate() {
                insert
                    .execute(params![verdict_id, position as i64, url])
                    .map_err(sql)?;
            }
            outcomes.push(Outcome::Written {
                verdict_id,
                previous: current.status,
            });
        }
        crate::failpoint::hit("verdict-commit")
            .map_err(|e| StoreError::from_io(&self.db_path, e))?;
        tx.commit().map_err(sql)?;
        Ok(outcomes)
    }
}

/// What a selection can ask of a claim, as the database holds it now.
struct Current {
    status: Status,
    certainty: Certainty,
    kind: ClaimKind,
    published: Option<NaiveDate>,
    orphaned: bool,
}

impl Current {
    /// Why the claim does not match `r`, if it does not.
    fn fails(&self, r: &Recheck) -> Option<Skip> {
        if !r.statuses.is_empty() && !r.statuses.contains(&self.status) {
            return Some(Skip::Status(self.status));
        }
        let dated = |bound: Option<NaiveDate>, ok: fn(NaiveDate, NaiveDate) -> bool| match bound {
            None => true,
            Some(b) => self.published.is_some_and(|p| ok(p, b)),
        };
        let holds = (r.certainties.is_empty() || r.certainties.contains(&self.certainty))
            && (r.kinds.is_empty() || r.kinds.contains(&self.kind))
            && !r.exclude_kinds.contains(&self.kind)
            && dated(r.since, |p, b| p >= b)
            && dated(r.until, |p, b| p <= b)
            && match r.orphans {
                crate::index::Orphans::Include => true,
                crate::index::Orphans::Exclude => !self.orphaned,
                crate::index::Orphans::Only => self.orphaned,
            };
        (!holds).then_some(Skip::Filters)
    }
}

fn current_state(tx: &rusqlite::Transaction, claim_id: i64) -> rusqlite::Result<Option<Current>> {
    tx.prepare_cached(concat!(
        "SELECT ",
        status_of_claim!(),
        ", c.certainty, c.kind, a.published, c.orphaned
         FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.id = ?1"
    ))?
    .query_row([claim_id], |r| {
        let published: Option<String> = r.get(3)?;
        Ok(Current {
            status: super::read::vocabulary(r, 0)?,
            certainty: super::read::vocabulary(r, 1)?,
            kind: super::read::vocabulary(r, 2)?,
            published: published.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            orphaned: r.get::<_, i64>(4)? != 0,
        })
    })
    .optional()
}

/// The claim's latest verdict with its evidence.
fn latest_verdict(
    tx: &rusqlite::Transaction,
    claim_id: i64,
) -> rusqlite::Result<Option<super::Verdict>> {
    let latest = tx
        .prepare_cached(concat!(
            "SELECT v.id, v.status, v.note, v.reviewer, v.created_at FROM verdicts v
             WHERE v.claim_id = ?1 ORDER BY ",
            latest_first!(),
            " LIMIT 1"
        ))?
        .query_row([claim_id], |r| {
            Ok(super::Verdict {
                id: r.get(0)?,
                status: super::read::vocabulary(r, 1)?,
                note: r.get(2)?,
                reviewer: r.get(3)?,
                created_at: r.get(4)?,
                evidence: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut latest) = latest else {
        return Ok(None);
    };
    latest.evidence = tx
        .prepare_cached("SELECT url FROM verdict_evidence WHERE verdict_id = ?1 ORDER BY position")?
        .query_map([latest.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(latest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view that every status query reads and the order `show` lists a history in are
    /// one order: schema.sql and the migration to version 3 spell [`LATEST_FIRST`].
    #[test]
    fn the_schema_orders_a_history_as_the_program_does() {
        assert!(super::super::migrate::SCHEMA.contains(LATEST_FIRST));
        assert!(super::super::migrate::MIGRATIONS[1].contains(LATEST_FIRST));
    }
}
