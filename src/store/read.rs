//! Reading claims back: whole claims with their chain, article and current status (what the
//! index is built from and what every command shows), verdict histories, the generation, and
//! the integrity checks of `claimtrail check`.
//!
//! Whatever must describe one state of the database (the claims changed since a generation
//! and that generation) is read inside one read transaction, so a writer committing
//! meanwhile cannot make the two disagree.

use super::{Store, StoreError};
use crate::model::{
    ArticleMeta, Certainty, Claim, ClaimKind, ClaimSpans, Link, Role, SourceKind, Span, Status,
};
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::BTreeMap;

/// A claim as the store holds it: the extracted claim (chain with canonical names), where it
/// comes from and what the fact-checkers decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredClaim {
    pub id: i64,
    pub article_id: i64,
    pub claim: Claim,
    /// The current status: the latest verdict, `unverified` when there is none.
    pub status: Status,
    /// The latest extraction of the article no longer finds this claim.
    pub orphaned: bool,
    /// A fact-checker's latest correction says it is not a claim.
    pub rejected: bool,
    /// Its article was taken out of every listing (`claimtrail remove`).
    pub removed: bool,
    /// Says what an outside fact-check or another claim's verdict already judged
    /// (`claim_checks`).
    pub checked: bool,
    /// The story it is part of (`claim_stories`: the id of the claim that founded it);
    /// `None` until it is grouped, and for a rejected claim.
    pub story: Option<i64>,
    /// How many independent origins its story rests on (0 without a story).
    pub origins: i64,
    /// The article: title, publisher (its canonical name), date, url.
    pub article: ArticleMeta,
}

/// One entry of a claim's verdict history (serialised as reports print it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub id: i64,
    pub status: Status,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    /// RFC 3339, as stored.
    pub created_at: String,
    pub evidence: Vec<String>,
}

/// The columns [`claim_from_row`] reads, in its order.
const CLAIM_COLUMNS: &str = concat!(
    "c.id, c.article_id, c.text, c.sentence, c.sentence_start,
    c.sentence_end, c.kind, c.certainty, c.hedges, c.cue, c.spans, c.orphaned, ",
    super::verdicts::status_of_claim!(),
    ", a.title, coalesce((SELECT s.name FROM sources s WHERE s.id = a.publisher_id), a.outlet),
    a.published, a.url, c.rejected, a.removed,
    EXISTS (SELECT 1 FROM claim_checks k WHERE k.claim_id = c.id),
    (SELECT st.story_id FROM claim_stories st WHERE st.claim_id = c.id),
    (SELECT count(DISTINCT lower(o.origin_name)) FROM claim_stories o
     WHERE o.story_id = (SELECT st.story_id FROM claim_stories st WHERE st.claim_id = c.id))"
);

impl Store {
    /// The current generation of the database (see `meta` in schema.sql).
    pub fn generation(&self) -> Result<i64, StoreError> {
        generation(&self.conn).map_err(|e| self.sql(e))
    }

    /// The store's identity (`meta.store_id`), drawn at random when it was created.
    pub fn store_id(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT store_id FROM meta WHERE id = 1")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.sql(e))
    }

    /// Calls `f` with every claim changed after generation `since` (every claim for `None`),
    /// in id order, and returns the generation they were read at: all from one state of the
    /// database.
    pub fn visit_claims<E: From<StoreError>>(
        &self,
        since: Option<i64>,
        mut f: impl FnMut(StoredClaim) -> Result<(), E>,
    ) -> Result<i64, E> {
        let sql = |e| E::from(self.sql(e));
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        // The first read fixes the snapshot every later read of this transaction sees.
        let generation = generation(&tx).map_err(sql)?;
        let mut stmt = tx.prepare(&changed_claims_sql(since)).map_err(sql)?;
        let mut rows = stmt.query([since.unwrap_or(-1)]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let mut claim = claim_from_row(row).map_err(sql)?;
            fill_chain(&tx, &mut claim).map_err(sql)?;
            f(claim)?;
        }
        drop(rows);
        drop(stmt);
        tx.commit().map_err(sql)?;
        Ok(generation)
    }

    /// The greatest claim id, 0 for a store without claims.
    pub fn max_claim_id(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM claims", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// The claims with these ids, in the order given; ids the store does not hold are left out.
    pub fn claims(&self, ids: &[i64]) -> Result<Vec<StoredClaim>, StoreError> {
        let sql = |e| self.sql(e);
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let claim = tx
                .prepare_cached(&format!(
                    "SELECT {CLAIM_COLUMNS} FROM claims c JOIN articles a ON a.id = c.article_id
                     WHERE c.id = ?1"
                ))
                .and_then(|mut s| s.query_row([id], claim_from_row).optional())
                .map_err(sql)?;
            if let Some(mut claim) = claim {
                fill_chain(&tx, &mut claim).map_err(sql)?;
                out.push(claim);
            }
        }
        tx.commit().map_err(sql)?;
        Ok(out)
    }

    /// One claim, or [`StoreError::UnknownClaim`].
    pub fn claim(&self, id: i64) -> Result<StoredClaim, StoreError> {
        self.claims(&[id])?
            .pop()
            .ok_or(StoreError::UnknownClaim(id))
    }

    /// The verdict history of a claim, newest first: latest by time, in the order of
    /// [`super::LATEST_FIRST`], the one every store holding these verdicts lists.
    pub fn verdicts(&self, claim_id: i64) -> Result<Vec<Verdict>, StoreError> {
        let sql = |e| self.sql(e);
        let mut verdicts: Vec<Verdict> = self
            .conn
            .prepare_cached(concat!(
                "SELECT v.id, v.status, v.note, v.reviewer, v.created_at FROM verdicts v
                 WHERE v.claim_id = ?1 ORDER BY ",
                super::verdicts::latest_first!()
            ))
            .and_then(|mut s| {
                s.query_map([claim_id], |r| {
                    Ok(Verdict {
                        id: r.get(0)?,
                        status: vocabulary(r, 1)?,
                        note: r.get(2)?,
                        reviewer: r.get(3)?,
                        created_at: r.get(4)?,
                        evidence: Vec::new(),
                    })
                })?
                .collect()
            })
            .map_err(sql)?;
        for v in &mut verdicts {
            v.evidence = self
                .conn
                .prepare_cached(
                    "SELECT url FROM verdict_evidence WHERE verdict_id = ?1 ORDER BY position",
                )
                .and_then(|mut s| s.query_map([v.id], |r| r.get(0))?.collect())
                .map_err(sql)?;
        }
        Ok(verdicts)
    }

    /// The current status of every claim, and the generation it was read at.
    pub fn statuses(&self) -> Result<(i64, BTreeMap<i64, Status>), StoreError> {
        let sql = |e| self.sql(e);
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let generation = generation(&tx).map_err(sql)?;
        let statuses = tx
            .prepare("SELECT claim_id, status FROM claim_status")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, vocabulary(r, 1)?)))?
                    .collect()
            })
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok((generation, statuses))
    }

    /// The articles whose text is not the one their content hash was computed from (a
    /// damaged database), one line each; empty when every text matches.
    pub fn damaged_articles(&self) -> Result<Vec<String>, StoreError> {
        let sql = |e| self.sql(e);
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let mut damaged = Vec::new();
        {
            let mut stmt = tx
                .prepare("SELECT id, content_hash, text FROM articles ORDER BY id")
                .map_err(sql)?;
            let mut rows = stmt.query([]).map_err(sql)?;
            while let Some(r) = rows.next().map_err(sql)? {
                let id: i64 = r.get(0).map_err(sql)?;
                let hash: String = r.get(1).map_err(sql)?;
                let text: String = r.get(2).map_err(sql)?;
                let found = super::key::content_hash(&text);
                if found != hash {
                    damaged.push(format!(
                        "article {id}: its text does not match its content hash (stored {hash}, \
                         the text hashes to {found})"
                    ));
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(damaged)
    }

    /// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` find wrong, one line
    /// each; empty when the database is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let sql = |e| self.sql(e);
        // A damaged page makes SQLite list what it found ("Page 27: btreeInitPage() returns
        // error code 11") and then fail with SQLITE_CORRUPT: the lines before are kept, and
        // the failure is one more problem, not the end of the check.
        let mut problems: Vec<String> = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        loop {
            match rows.next() {
                Ok(Some(r)) => {
                    let line: String = r.get(0).map_err(sql)?;
                    let line = line.trim_start_matches("*** in database main ***").trim();
                    problems.push(line.to_string());
                }
                Ok(None) => break,
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                    problems.push(super::sqlite_message(&e));
                    break;
                }
                Err(e) => return Err(sql(e)),
            }
        }
        drop(rows);
        drop(stmt);
        problems.retain(|p| p != "ok" && !p.is_empty());
        if !problems.is_empty() {
            // "Tree 12 page 27: ..." names a b-tree by its root page: say whose it is.
            let trees: Vec<(i64, String)> = self
                .conn
                .prepare("SELECT rootpage, name FROM sqlite_master WHERE rootpage > 0")
                .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
                .unwrap_or_default();
            for p in &mut problems {
                let root = p
                    .strip_prefix("Tree ")
                    .and_then(|rest| rest.split(' ').next())
                    .and_then(|n| n.parse::<i64>().ok());
                if let Some((_, name)) = root.and_then(|n| trees.iter().find(|(r, _)| *r == n)) {
                    *p = format!("{name}: {p}");
                }
            }
            // foreign_key_check reads every table: on a damaged page it fails as well.
            return Ok(problems);
        }
        let dangling: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(format!(
                        "{} row {} refers to a missing {} row",
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?
                            .map_or("?".to_string(), |id| id.to_string()),
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect()
            })
            .map_err(sql)?;
        problems.extend(dangling);
        Ok(problems)
    }
}

fn generation(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT generation FROM meta WHERE id = 1")?
        .query_row([], |r| r.get(0))
}

/// A closed-vocabulary column, read through the model's `FromStr` (the schema's CHECK
/// constraints make a failure here a corrupt database).
pub(super) fn vocabulary<T: std::str::FromStr<Err = String>>(
    row: &Row,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(i)?;
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

pub(super) fn json<T: serde::de::DeserializeOwned>(row: &Row, i: usize) -> rusqlite::Result<T> {
    let text: String = row.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

fn claim_from_row(r: &Row) -> rusqlite::Result<StoredClaim> {
    let start: i64 = r.get(4)?;
    let end: i64 = r.get(5)?;
    let published: Option<String> = r.get(15)?;
    Ok(StoredClaim {
        id: r.get(0)?,
        article_id: r.get(1)?,
        claim: Claim {
            text: r.get(2)?,
            sentence: r.get::<_, String>(3)?.into(),
            kind: vocabulary::<ClaimKind>(r, 6)?,
            certainty: vocabulary::<Certainty>(r, 7)?,
            hedges: json(r, 8)?,
            cue: r.get(9)?,
            spans: json::<ClaimSpans>(r, 10)?,
            sentence_span: Span::new(start as usize, end.max(start) as usize),
            chain: Vec::new(),
        },
        orphaned: r.get::<_, i64>(11)? != 0,
        rejected: r.get::<_, i64>(17)? != 0,
        removed: r.get::<_, i64>(18)? != 0,
        checked: r.get::<_, i64>(19)? != 0,
        story: r.get(20)?,
        origins: r.get(21)?,
        status: vocabulary(r, 12)?,
        article: ArticleMeta {
            title: r.get(13)?,
            outlet: r.get(14)?,
            published: published
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            url: r.get(16)?,
            author: None,
            language: None,
        },
    })
}

/// Reads the chain: canonical names, so a merge of two sources shows at once.
fn fill_chain(conn: &Connection, claim: &mut StoredClaim) -> rusqlite::Result<()> {
    claim.claim.chain = conn
        .prepare_cached(
            "SELECT s.name, s.kind, l.role, l.cue, r.name, l.mention_start, l.mention_end
             FROM claim_links l JOIN sources s ON s.id = l.source_id
             LEFT JOIN sources r ON r.id = l.recipient_id
             WHERE l.claim_id = ?1 ORDER BY l.position",
        )?
        .query_map([claim.id], |r| {
            let start: Option<i64> = r.get(5)?;
            let end: Option<i64> = r.get(6)?;
            Ok(Link {
                name: r.get(0)?,
                kind: vocabulary::<SourceKind>(r, 1)?,
                role: vocabulary::<Role>(r, 2)?,
                cue: r.get(3)?,
                recipient: r.get(4)?,
                span: start
                    .zip(end)
                    .map(|(s, e)| Span::new(s as usize, e.max(s) as usize)),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

/// The query of [`Store::visit_claims`]. A catch-up reads the few claims changed since
/// `since` through their index, whatever the planner would guess: it guesses blind (the
/// planner stability guarantee plans without the bound value, and the store has no
/// statistics), and chose to walk every claim in id order to save sorting, a full scan of the
/// table for every verdict (42,000 page reads at 373,000 claims, 300 ms of a `verify`). A
/// full read (`None`) walks the table in id order, as it should.
fn changed_claims_sql(since: Option<i64>) -> String {
    let from = match since {
        Some(_) => "claims c INDEXED BY claims_by_changed_generation",
        None => "claims c",
    };
    format!(
        "SELECT {CLAIM_COLUMNS} FROM {from} JOIN articles a ON a.id = c.article_id
         WHERE c.changed_generation > ?1 ORDER BY c.id"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query_plan;

    #[test]
    fn a_catch_up_reads_the_changed_claims_through_their_index_not_the_whole_table() {
        let catch_up = query_plan(&changed_claims_sql(Some(1)));
        assert!(
            catch_up.contains("USING INDEX claims_by_changed_generation (changed_generation>?)"),
            "{catch_up}"
        );
        let full = query_plan(&changed_claims_sql(None));
        assert!(!full.contains("claims_by_changed_generation"), "{full}");
    }
}
