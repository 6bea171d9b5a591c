//! Outside fact-checks (`claimtrail import-reviews`) and the claims that say what one of
//! them, or another claim's verdict, already judged (`claim_checks`, derived: see
//! schema.sql). The matching itself is pure and lives in [`crate::factcheck`].

use super::{LazyGeneration, Store, StoreError};
use crate::clock;
use crate::embed::Embedder;
use crate::factcheck::{Matcher, Review};
use crate::model::Status;
use rusqlite::{OptionalExtension, params};

/// One outside fact-check as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredFactCheck {
    pub id: i64,
    pub claim_reviewed: String,
    pub rating: Option<String>,
    pub reviewer: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub claimant: Option<String>,
    /// The review's title (`itemReviewed`'s name or the review's headline), when it has one.
    #[serde(skip)]
    pub item_text: Option<String>,
    #[serde(skip)]
    pub match_text: String,
}

/// What `import-reviews` did with a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewsImported {
    pub added: usize,
    /// Already in the store (same claimReviewed and url).
    pub already: usize,
}

/// What a stored claim was matched to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Check {
    /// An outside fact-check.
    Review {
        #[serde(flatten)]
        review: StoredFactCheck,
        overlap: f64,
    },
    /// A verdict recorded in this store on another claim saying the same.
    Verdict {
        claim: i64,
        text: String,
        status: Status,
        reviewer: Option<String>,
        overlap: f64,
    },
}

/// One row of `claim_checks` as (fact_check_id, verdict_claim_id).
type CheckKey = (Option<i64>, Option<i64>);

/// What a text is matched against: an outside fact-check or a judged claim, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Review(i64),
    Verdict(i64),
}

/// Each judged claim with its article: (claim id, article id).
pub type JudgedArticles = Vec<(i64, i64)>;

/// Which stored claims `match_claims` matches.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Every claim (reindex, import-reviews).
    All,
    /// The claims a run changed: stamped after this generation (ingest).
    ChangedAfter(i64),
}

/// The candidates a claim is ranked against; of them, the ones `same_claim` keeps.
const CANDIDATES: usize = 8;

impl Store {
    /// Stores `reviews` read from `origin` (a file name) in one transaction.
    pub fn import_reviews(
        &mut self,
        reviews: &[Review],
        origin: &str,
    ) -> Result<ReviewsImported, StoreError> {
        let at = clock::timestamp(self.clock.now());
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let mut done = ReviewsImported::default();
        for r in reviews {
            let added = insert_review(&tx, None, r, origin, &at).map_err(sql)?;
            if added {
                done.added += 1;
            } else {
                done.already += 1;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(done)
    }

    /// Every outside fact-check, oldest import first.
    pub fn fact_checks(&self) -> Result<Vec<StoredFactCheck>, StoreError> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT id, claim_reviewed, rating, reviewer, url, published, claimant, item_text
                 FROM fact_checks ORDER BY id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = s
            .query_map([], fact_check_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    fn fact_check(&self, id: i64) -> Result<Option<StoredFactCheck>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT id, claim_reviewed, rating, reviewer, url, published, claimant, item_text
                 FROM fact_checks WHERE id = ?1",
            )
            .and_then(|mut s| s.query_row([id], fact_check_from_row).optional())
            .map_err(|e| self.sql(e))
    }

    /// Claims whose current verdict judges them (not `unverified`, not rejected), with
    /// their article: what a new claim saying the same is "already checked" by.
    fn judged_claims(&self) -> Result<Vec<(i64, i64, String, bool)>, StoreError> {
        let q = concat!(
            "SELECT c.id, c.article_id, c.text, c.certainty = 'denied', ",
            super::verdicts::status_of_claim!(),
            // Driven from verdicts, which are few, not from claims: ingest runs this on every
            // batch, and scanning every claim with a subquery each grows with the store.
            " FROM claims c WHERE c.id IN (SELECT claim_id FROM verdicts) AND c.rejected = 0
               ORDER BY c.id"
        );
        let mut s = self.conn.prepare_cached(q).map_err(|e| self.sql(e))?;
        let rows = s
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql(e))?;
        Ok(rows
            .into_iter()
            .filter(|(.., status)| status != Status::Unverified.as_str())
            .map(|(id, article, text, denied, _)| (id, article, text, denied))
            .collect())
    }

    /// A matcher over every outside fact-check and judged claim, with the article of each
    /// judged claim (a claim is not "already checked" by its own article's other claims).
    pub fn matcher(&self) -> Result<(Matcher<Target>, JudgedArticles), StoreError> {
        Ok(words_matcher(&self.fact_checks()?, &self.judged_claims()?))
    }

    /// A matcher like [`Store::matcher`] that also ranks by meaning with `embedder`'s sentence
    /// vectors: the fact-checks' as stored under the model's fingerprint (those without are
    /// embedded now and not stored: [`Store::embed_fact_checks`] stores them), the judged
    /// claims' embedded now (they are few, and their text can be corrected).
    pub fn matcher_with(
        &self,
        embedder: Option<&Embedder>,
    ) -> Result<(Matcher<Target>, JudgedArticles), StoreError> {
        let Some(e) = embedder else {
            return self.matcher();
        };
        let reviews = self.fact_checks()?;
        let judged = self.judged_claims()?;
        let mut stored = self.fact_check_vectors(&e.fingerprint)?;
        let missing: Vec<&StoredFactCheck> = reviews
            .iter()
            .filter(|r| !stored.contains_key(&r.id))
            .collect();
        for (id, v) in embed_reviews(e, &missing) {
            stored.insert(id, v);
        }
        let texts: Vec<&str> = judged.iter().map(|(_, _, t, _)| t.as_str()).collect();
        let judged_vectors = e.embed(&texts);
        let vectors: Vec<Vec<f32>> = reviews
            .iter()
            .map(|r| stored.remove(&r.id).unwrap_or_default())
            .chain(judged_vectors)
            .collect();
        let (matcher, articles) = words_matcher(&reviews, &judged);
        let matcher = matcher
            .with_vectors(e.dimensions(), vectors)
            .map_err(|problem| StoreError::Corrupt {
                path: self.db_path.clone(),
                message: format!("fact_check_vectors: {problem}"),
            })?;
        Ok((matcher, articles))
    }

    /// The stored sentence vectors of every fact-check under the model `fingerprint`.
    pub fn fact_check_vectors(
        &self,
        fingerprint: &str,
    ) -> Result<rustc_hash::FxHashMap<i64, Vec<f32>>, StoreError> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT fact_check_id, vectors FROM fact_check_vectors WHERE model = ?1",
            )
            .map_err(|e| self.sql(e))?;
        let rows = s
            .query_map([fingerprint], |r| {
                let bytes: Vec<u8> = r.get(1)?;
                Ok((r.get(0)?, floats(&bytes)))
            })
            .and_then(|rows| rows.collect::<Result<_, _>>())
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Embeds every fact-check that has no vectors under `embedder`'s model yet and stores
    /// them, in one transaction. Returns how many it embedded.
    pub fn embed_fact_checks(&mut self, embedder: &Embedder) -> Result<usize, StoreError> {
        let have = self.fact_check_vectors(&embedder.fingerprint)?;
        let reviews = self.fact_checks()?;
        let missing: Vec<&StoredFactCheck> = reviews
            .iter()
            .filter(|r| !have.contains_key(&r.id))
            .collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let vectors = embed_reviews(embedder, &missing);
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO fact_check_vectors (fact_check_id, model, vectors)
                     VALUES (?1, ?2, ?3)",
                )
                .map_err(sql)?;
            for (id, v) in &vectors {
                let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                insert
                    .execute(params![id, embedder.fingerprint, bytes])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(vectors.len())
    }

    /// Matches the claims of `scope` against every outside fact-check and judged claim and
    /// rewrites their `claim_checks` in one transaction; a claim whose matches changed is
    /// stamped so the index learns it. Returns how many of them are already checked.
    pub fn match_claims(&mut self, scope: Scope) -> Result<usize, StoreError> {
        let (mut matcher, judged) = self.matcher()?;
        let had_checks: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM claim_checks)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql(e))?;
        if matcher.is_empty() && !had_checks {
            // Nothing to match against and nothing to undo: ingest's usual case costs a
            // query, not a pass over its claims.
            return Ok(0);
        }
        let article_of: rustc_hash::FxHashMap<i64, i64> = judged.into_iter().collect();
        // Every claim is "changed after" generation -1.
        let after = match scope {
            Scope::All => -1,
            Scope::ChangedAfter(g) => g,
        };
        let claims: Vec<(i64, i64, String, bool)> = self
            .conn
            .prepare(changed_claims_sql(scope))
            .and_then(|mut s| {
                s.query_map([after], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| self.sql(e))?;
        let mut found: Vec<(i64, Vec<(Target, f64)>)> = Vec::with_capacity(claims.len());
        for (id, article, text, denied) in &claims {
            let same: Vec<(Target, f64)> = matcher
                .rank_claim(text, *denied, CANDIDATES)
                .into_iter()
                .filter(|r| r.same)
                .filter(|r| match r.id {
                    Target::Verdict(other) => {
                        other != *id && article_of.get(&other) != Some(article)
                    }
                    Target::Review(_) => true,
                })
                .map(|r| (r.id, r.overlap.min(1.0)))
                .collect();
            found.push((*id, same));
        }
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        // Every old match of the scope in one read, not one query per claim; read inside
        // the write transaction so nothing changes between reading and rewriting them.
        let mut old_checks: rustc_hash::FxHashMap<i64, Vec<CheckKey>> =
            rustc_hash::FxHashMap::default();
        tx.prepare(
            "SELECT cc.claim_id, cc.fact_check_id, cc.verdict_claim_id
             FROM claim_checks cc JOIN claims c ON c.id = cc.claim_id
             WHERE c.changed_generation > ?1",
        )
        .and_then(|mut s| {
            let rows = s.query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                let (claim, review, verdict): (i64, _, _) = row?;
                old_checks.entry(claim).or_default().push((review, verdict));
            }
            Ok(())
        })
        .map_err(sql)?;
        let mut generation = LazyGeneration::default();
        let mut checked = 0;
        for (id, same) in &found {
            if !same.is_empty() {
                checked += 1;
            }
            let mut old = old_checks.remove(id).unwrap_or_default();
            let mut new: Vec<CheckKey> = same
                .iter()
                .map(|(t, _)| match t {
                    Target::Review(r) => (Some(*r), None),
                    Target::Verdict(c) => (None, Some(*c)),
                })
                .collect();
            old.sort();
            new.sort();
            if old == new {
                continue;
            }
            tx.prepare_cached("DELETE FROM claim_checks WHERE claim_id = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(sql)?;
            for (t, overlap) in same {
                let (review, verdict) = match t {
                    Target::Review(r) => (Some(*r), None),
                    Target::Verdict(c) => (None, Some(*c)),
                };
                tx.prepare_cached(
                    "INSERT INTO claim_checks (claim_id, fact_check_id, verdict_claim_id, overlap)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .and_then(|mut s| s.execute(params![id, review, verdict, overlap]))
                .map_err(sql)?;
            }
            // Checked or no longer: the index's `checked` field follows.
            if old.is_empty() != new.is_empty() {
                let g = generation.get(&tx).map_err(sql)?;
                tx.prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")
                    .and_then(|mut s| s.execute(params![g, id]))
                    .map_err(sql)?;
            }
        }
        // A claim rejected as not-a-claim says nothing, so it is checked by nothing.
        tx.execute(
            "DELETE FROM claim_checks WHERE claim_id IN
             (SELECT id FROM claims WHERE rejected = 1 AND changed_generation > ?1)",
            [after],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(checked)
    }

    /// What `claim_id` was matched to, best overlap first.
    pub fn checks_of(&self, claim_id: i64) -> Result<Vec<Check>, StoreError> {
        let rows: Vec<(Option<i64>, Option<i64>, f64)> = self
            .conn
            .prepare_cached(
                "SELECT fact_check_id, verdict_claim_id, overlap FROM claim_checks
                 WHERE claim_id = ?1 ORDER BY overlap DESC, rowid",
            )
            .and_then(|mut s| {
                s.query_map([claim_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| self.sql(e))?;
        let mut checks = Vec::with_capacity(rows.len());
        for (review, verdict, overlap) in rows {
            if let Some(id) = review {
                if let Some(review) = self.fact_check(id)? {
                    checks.push(Check::Review { review, overlap });
                }
            } else if let Some(id) = verdict {
                let c = self.claim(id)?;
                let reviewer = self
                    .verdicts(id)?
                    .into_iter()
                    .next()
                    .and_then(|v| v.reviewer);
                checks.push(Check::Verdict {
                    claim: id,
                    text: c.claim.text,
                    status: c.status,
                    reviewer,
                    overlap,
                });
            }
        }
        Ok(checks)
    }
}

/// Stores one review unless the store holds it (the same claim reviewed and url: the same
/// file imported twice, or a backup of the store, adds none), with `id` or SQLite's next;
/// says whether it was added. `import-reviews` and `import` (a backup) both write through it.
pub(super) fn insert_review(
    conn: &rusqlite::Connection,
    id: Option<i64>,
    r: &Review,
    origin: &str,
    imported_at: &str,
) -> rusqlite::Result<bool> {
    let key = format!("{}\n{}", r.claim_reviewed, r.url.as_deref().unwrap_or(""));
    let n = conn
        .prepare_cached(
            "INSERT INTO fact_checks (id, claim_reviewed, item_text, rating, reviewer, url,
                 published, claimant, origin, imported_at, review_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (review_key) DO NOTHING",
        )?
        .execute(params![
            id,
            r.claim_reviewed,
            r.item_text,
            r.rating,
            r.reviewer,
            r.url,
            r.published,
            r.claimant,
            origin,
            imported_at,
            key
        ])?;
    Ok(n == 1)
}

/// The word matcher over `reviews` and `judged` claims, in that order.
fn words_matcher(
    reviews: &[StoredFactCheck],
    judged: &[(i64, i64, String, bool)],
) -> (Matcher<Target>, JudgedArticles) {
    let matcher = Matcher::with_polarity(
        reviews
            .iter()
            .map(|r| (Target::Review(r.id), r.match_text.as_str(), false))
            .chain(
                judged
                    .iter()
                    .map(|(id, _, text, denied)| (Target::Verdict(*id), text.as_str(), *denied)),
            ),
    );
    let articles = judged
        .iter()
        .map(|(id, article, ..)| (*id, *article))
        .collect();
    (matcher, articles)
}

/// The vectors of each review: its claim's, then its title's when it has one, one after the
/// other, as the matcher takes them.
fn embed_reviews(e: &Embedder, reviews: &[&StoredFactCheck]) -> Vec<(i64, Vec<f32>)> {
    let mut texts = Vec::with_capacity(reviews.len() * 2);
    for r in reviews {
        texts.push(r.claim_reviewed.as_str());
        if let Some(title) = title_of(r) {
            texts.push(title);
        }
    }
    let mut vectors = e.embed(&texts).into_iter();
    reviews
        .iter()
        .map(|r| {
            let mut v = vectors.next().expect("one vector a text");
            if title_of(r).is_some() {
                v.extend(vectors.next().expect("one vector a text"));
            }
            (r.id, v)
        })
        .collect()
}

/// A review's title when it says something its claim does not.
fn title_of(r: &StoredFactCheck) -> Option<&str> {
    r.item_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != r.claim_reviewed.trim())
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect()
}

fn fact_check_from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredFactCheck> {
    let claim_reviewed: String = r.get(1)?;
    let item_text: Option<String> = r.get(7)?;
    let match_text = Review {
        claim_reviewed: claim_reviewed.clone(),
        item_text: item_text.clone(),
        rating: None,
        reviewer: None,
        url: None,
        published: None,
        claimant: None,
    }
    .match_text();
    Ok(StoredFactCheck {
        id: r.get(0)?,
        claim_reviewed,
        rating: r.get(2)?,
        reviewer: r.get(3)?,
        url: r.get(4)?,
        published: r.get(5)?,
        claimant: r.get(6)?,
        item_text,
        match_text,
    })
}

/// The claims [`Store`]'s matching reads: every claim, or those changed after a generation
/// through their index. Left to itself the planner scanned the whole table for the second
/// (it plans blind, without the bound value: see `store::read::changed_claims_sql`), which
/// made every ingest batch and verdict read every claim.
fn changed_claims_sql(scope: Scope) -> &'static str {
    match scope {
        Scope::All => {
            "SELECT id, article_id, text, certainty = 'denied' FROM claims
             WHERE rejected = 0 AND changed_generation > ?1 ORDER BY id"
        }
        Scope::ChangedAfter(_) => {
            "SELECT id, article_id, text, certainty = 'denied'
             FROM claims INDEXED BY claims_by_changed_generation
             WHERE rejected = 0 AND changed_generation > ?1 ORDER BY id"
        }
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    #[test]
    fn matching_after_a_generation_reads_the_changed_claims_through_their_index() {
        let plan = crate::store::query_plan(changed_claims_sql(Scope::ChangedAfter(1)));
        assert!(
            plan.contains("USING INDEX claims_by_changed_generation"),
            "{plan}"
        );
    }
}
