//! Stories (`claim_stories`, derived: see schema.sql): grouping the claims a run stored into
//! stories and giving each its origin, in one transaction after the claims' own, and
//! reading stories back. The decisions are pure and live in [`crate::story`].
//!
//! Cost: one read of every grouped claim's text per run (the in-memory index of
//! [`Grouper`]); the new claims, their chains and their articles' credits read a chunk at a
//! time and held only until the chunk is written; one write per new claim; no query per
//! claim.

use super::{Store, StoreError};
use crate::model::{Link, Role, SourceKind};
use crate::story::{Grouper, Joined, Origin, OriginKind, Prepared, origin, wire_credit};
use rusqlite::{OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};

/// Which claims `group_stories` groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryScope {
    /// Every claim again, from nothing, then the user's splits and joins (reindex).
    All,
    /// The claims without a story yet; and the origins of the claims changed after this
    /// generation (their chain may have changed), keeping their story (ingest).
    New(i64),
}

/// What a grouping pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grouped {
    /// Claims given a story.
    pub grouped: usize,
    /// Of them, those that joined a story of another claim.
    pub joined: usize,
}

/// One appearance of a story, as `story` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    pub claim: i64,
    pub article: i64,
    pub published: Option<String>,
    /// The publisher's canonical name, else the outlet as the metadata names it.
    pub outlet: Option<String>,
    pub path: String,
    pub origin: String,
    pub origin_kind: OriginKind,
    pub via: Option<String>,
    pub anonymous: bool,
    pub similarity: f64,
}

impl Appearance {
    /// Its origin as a citation names it: "The Ledger Financial, memo", "Coastline Wire,
    /// wire copy", "Radio Varn, assertion".
    pub fn label(&self) -> String {
        match (&self.via, self.origin_kind) {
            (Some(via), crate::story::OriginKind::Reporting) => format!("{}, {via}", self.origin),
            _ => format!("{}, {}", self.origin, self.origin_kind.describe()),
        }
    }
}

/// One story with its counts, as `stories` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct StorySummary {
    pub story: i64,
    /// The founding claim's statement.
    pub text: String,
    pub appearances: i64,
    pub outlets: i64,
    pub origins: i64,
    /// One of its origins rests on an anonymous source.
    pub anonymous: bool,
    /// No appearance has a `confirmed` verdict.
    pub unconfirmed: bool,
    /// The appearance published first (then ingested first).
    pub first: i64,
}

/// A user's split or join, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryChange {
    Detach,
    Join(i64),
}

type Row = (i64, i64, String, bool);

/// New claims read, prepared, assigned and written at a time.
const PREPARED_CHUNK: usize = 512;

/// Chunks read ahead of the one being written: enough to keep the other two stages busy.
const IN_FLIGHT: usize = 4;

/// An article's wire credit and its publisher's name.
type Credits = (Option<String>, Option<String>);

impl Store {
    /// Groups claims into stories (see [`StoryScope`]) in one transaction. The search index
    /// holds no story field (every command reads stories from the database), so nothing is
    /// stamped and the generation does not move.
    pub fn group_stories(&mut self, scope: StoryScope) -> Result<Grouped, StoreError> {
        let sql = |e| StoreError::from_sqlite(&self.db_path, e);
        // The claims to group are read a chunk at a time, in id order, inside the write
        // transaction: each chunk's rows, chains and credits are freed once it is written,
        // so the pass holds only the grouper's index of the claims, not every claim's text
        // and chain (reading them all first was most of a 100k-article ingest's heap).
        let next_chunk = if scope == StoryScope::All {
            "SELECT c.id, c.article_id, c.text, c.certainty = 'denied' FROM claims c
             WHERE c.id > ?1 AND c.rejected = 0 ORDER BY c.id LIMIT ?2"
        } else {
            "SELECT c.id, c.article_id, c.text, c.certainty = 'denied' FROM claims c
             WHERE c.id > ?1 AND c.rejected = 0 AND NOT EXISTS
                 (SELECT 1 FROM claim_stories s WHERE s.claim_id = c.id)
             ORDER BY c.id LIMIT ?2"
        };
        let any_new = self
            .conn
            .prepare_cached(next_chunk)
            .and_then(|mut s| s.exists(params![0, 1]))
            .map_err(sql)?;
        // Claims already grouped whose chain this run changed: their origin again.
        let refresh: Vec<i64> = match scope {
            StoryScope::All => Vec::new(),
            StoryScope::New(g) => self
                .conn
                .prepare_cached(
                    "SELECT s.claim_id FROM claim_stories s JOIN claims c ON c.id = s.claim_id
                     WHERE c.changed_generation > ?1 ORDER BY s.claim_id",
                )
                .and_then(|mut s| {
                    s.query_map([g], |r| r.get(0))?
                        .collect::<Result<Vec<i64>, _>>()
                })
                .map_err(sql)?,
        };
        let had_stories: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM claim_stories)", [], |r| {
                r.get(0)
            })
            .map_err(sql)?;
        if !any_new && refresh.is_empty() && !(scope == StoryScope::All && had_stories) {
            return Ok(Grouped::default());
        }
        let mut grouper = Grouper::new();
        if scope != StoryScope::All {
            let mut s = self
                .conn
                .prepare(
                    "SELECT c.id, c.article_id, s.story_id, c.text, c.certainty = 'denied'
                     FROM claim_stories s JOIN claims c ON c.id = s.claim_id
                     WHERE c.rejected = 0 ORDER BY c.id",
                )
                .map_err(sql)?;
            let mut rows = s.query([]).map_err(sql)?;
            while let Some(r) = rows.next().map_err(sql)? {
                let text: String = r.get(3).map_err(sql)?;
                grouper.known(
                    r.get(0).map_err(sql)?,
                    r.get(1).map_err(sql)?,
                    r.get(2).map_err(sql)?,
                    &text,
                    r.get(4).map_err(sql)?,
                );
            }
        }
        crate::failpoint::hit("stories-group")
            .map_err(|e| StoreError::from_io(&self.db_path, e))?;
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        if scope == StoryScope::All {
            tx.execute("DELETE FROM claim_stories", []).map_err(sql)?;
        }
        let mut done = Grouped::default();
        // Three stages, each in claim order, a chunk apart: the new claims' texts are
        // prepared (stemming, regular expressions, the words' numbers) on one thread, assigned
        // to stories on another (one at a time, in order: each sees the claims before it),
        // and read and written here. Each stage was about a third of the pass: on one thread
        // after another, the assignment and the writes were the pass's length. This thread
        // reads at most IN_FLIGHT chunks ahead of the one it writes, and every channel holds
        // as many, so no stage waits on a full channel that nothing drains.
        let (to_prepare, rows_in) = std::sync::mpsc::sync_channel::<Vec<Row>>(IN_FLIGHT);
        let (ready, prepared) =
            std::sync::mpsc::sync_channel::<Vec<(i64, i64, Prepared)>>(IN_FLIGHT);
        let (assigned, joins) = std::sync::mpsc::sync_channel::<Vec<(i64, Joined)>>(IN_FLIGHT);
        let mut vocabulary = grouper.take_vocabulary();
        let grouper = &mut grouper;
        std::thread::scope(|scope| -> Result<(), StoreError> {
            // A stage whose receiver has gone stops: that is an error downstream, and
            // nothing more is needed.
            scope.spawn(move || {
                for chunk in rows_in {
                    let chunk = chunk
                        .into_iter()
                        .map(|(claim, article, text, denied)| {
                            (claim, article, vocabulary.prepare(&text, denied))
                        })
                        .collect();
                    if ready.send(chunk).is_err() {
                        break;
                    }
                }
            });
            scope.spawn(move || {
                for chunk in prepared {
                    let chunk = chunk
                        .into_iter()
                        .map(|(claim, article, p)| {
                            (claim, grouper.assign_prepared(claim, article, p))
                        })
                        .collect();
                    if assigned.send(chunk).is_err() {
                        break;
                    }
                }
            });
            let mut to_prepare = Some(to_prepare);
            let (mut after, mut in_flight) = (0i64, 0usize);
            loop {
                while in_flight < IN_FLIGHT
                    && let Some(sender) = &to_prepare
                {
                    let chunk: Vec<Row> = tx
                        .prepare_cached(next_chunk)
                        .and_then(|mut s| {
                            s.query_map(params![after, PREPARED_CHUNK as i64], |r| {
                                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                            })?
                            .collect()
                        })
                        .map_err(sql)?;
                    let Some(last) = chunk.last() else {
                        // The last chunk is out: the stages end once they have passed it on.
                        to_prepare = None;
                        break;
                    };
                    after = last.0;
                    if sender.send(chunk).is_err() {
                        to_prepare = None;
                        break;
                    }
                    in_flight += 1;
                }
                if in_flight == 0 {
                    break;
                }
                // A stage that stopped early has panicked; the scope reports it.
                let Ok(chunk) = joins.recv() else { break };
                in_flight -= 1;
                let ids: FxHashSet<i64> = chunk.iter().map(|(claim, _)| *claim).collect();
                let origins = Origins::read(&tx, &ids).map_err(sql)?;
                for (claim, joined) in chunk {
                    let o = origins.of(claim);
                    let (through, similarity) =
                        joined.through.map_or((None, 1.0), |(c, s)| (Some(c), s));
                    // What the grouper knows was read before this transaction: another
                    // claimtrail (a concurrent ingest) may have grouped the claim since, or a
                    // correction rejected it. The claim then stays as that left it; grouping
                    // never fails for it (stories are derived: `reindex` groups everything
                    // again in one pass).
                    let inserted = tx
                        .prepare_cached(
                            "INSERT OR IGNORE INTO claim_stories (claim_id, story_id, joined_through,
                             similarity, origin_name, origin_kind, origin_via, origin_anonymous)
                         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
                         WHERE EXISTS (SELECT 1 FROM claims WHERE id = ?1 AND rejected = 0)",
                        )
                        .and_then(|mut s| {
                            s.execute(params![
                                claim,
                                joined.story,
                                through,
                                similarity,
                                o.name,
                                o.kind.as_str(),
                                o.via,
                                o.anonymous
                            ])
                        })
                        .map_err(sql)?;
                    if inserted == 0 {
                        continue;
                    }
                    done.grouped += 1;
                    if through.is_some() {
                        done.joined += 1;
                    }
                }
            }
            drop(to_prepare);
            let origins = Origins::read(&tx, &refresh.iter().copied().collect()).map_err(sql)?;
            for claim in &refresh {
                let o = origins.of(*claim);
                tx.prepare_cached(
                    "UPDATE claim_stories SET origin_name = ?2, origin_kind = ?3, origin_via = ?4,
                         origin_anonymous = ?5 WHERE claim_id = ?1",
                )
                .and_then(|mut s| {
                    s.execute(params![claim, o.name, o.kind.as_str(), o.via, o.anonymous])
                })
                .map_err(sql)?;
            }
            Ok(())
        })?;
        if scope == StoryScope::All {
            let changes: Vec<(i64, String, Option<i64>)> = tx
                .prepare("SELECT claim_id, action, other_id FROM story_changes ORDER BY id")
                .and_then(|mut s| {
                    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect::<Result<Vec<_>, _>>()
                })
                .map_err(sql)?;
            for (claim, action, other) in changes {
                let change = match (action.as_str(), other) {
                    ("join", Some(o)) => StoryChange::Join(o),
                    _ => StoryChange::Detach,
                };
                apply_change(&tx, claim, change).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(done)
    }

    /// The chains of these claims (with their article), in one read of their id range.
    fn chains(
        conn: &rusqlite::Connection,
        wanted: &FxHashSet<i64>,
    ) -> rusqlite::Result<FxHashMap<i64, (i64, Vec<Link>)>> {
        let mut out: FxHashMap<i64, (i64, Vec<Link>)> = FxHashMap::default();
        let (Some(&min), Some(&max)) = (wanted.iter().min(), wanted.iter().max()) else {
            return Ok(out);
        };
        let mut s = conn.prepare_cached(
            "SELECT c.id, c.article_id, s.name, s.kind, l.role FROM claims c
             LEFT JOIN claim_links l ON l.claim_id = c.id
             LEFT JOIN sources s ON s.id = l.source_id
             WHERE c.id BETWEEN ?1 AND ?2 ORDER BY c.id, l.position",
        )?;
        let mut rows = s.query([min, max])?;
        while let Some(r) = rows.next()? {
            let claim: i64 = r.get(0)?;
            if !wanted.contains(&claim) {
                continue;
            }
            let entry = out.entry(claim).or_insert_with(|| (0, Vec::new()));
            entry.0 = r.get(1)?;
            let Some(name) = r.get::<_, Option<String>>(2)? else {
                continue;
            };
            entry.1.push(Link {
                name,
                kind: super::read::vocabulary::<SourceKind>(r, 3)?,
                role: super::read::vocabulary::<Role>(r, 4)?,
                cue: None,
                recipient: None,
                span: None,
            });
        }
        Ok(out)
    }

    /// The wire each article credits and its publisher's name, for the articles of these
    /// claims. Only texts with a parenthesis are read whole.
    fn article_credits(
        conn: &rusqlite::Connection,
        chains: &FxHashMap<i64, (i64, Vec<Link>)>,
    ) -> rusqlite::Result<FxHashMap<i64, Credits>> {
        let articles: FxHashSet<i64> = chains.values().map(|(a, _)| *a).collect();
        let mut out = FxHashMap::default();
        let (Some(&min), Some(&max)) = (articles.iter().min(), articles.iter().max()) else {
            return Ok(out);
        };
        let mut s = conn.prepare_cached(
            "SELECT a.id, CASE WHEN instr(a.text, '(') > 0 THEN a.text END,
                 coalesce((SELECT s.name FROM sources s WHERE s.id = a.publisher_id), a.outlet)
             FROM articles a WHERE a.id BETWEEN ?1 AND ?2",
        )?;
        let mut rows = s.query([min, max])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if !articles.contains(&id) {
                continue;
            }
            let text: Option<String> = r.get(1)?;
            out.insert(id, (text.as_deref().and_then(wire_credit), r.get(2)?));
        }
        Ok(out)
    }

    /// The story of a claim, or [`StoreError::UnknownClaim`]; `None` for a claim not
    /// grouped (rejected, or stored before stories and not reindexed since).
    pub fn story_of(&self, claim: i64) -> Result<Option<i64>, StoreError> {
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM claims WHERE id = ?1)")
            .and_then(|mut s| s.query_row([claim], |r| r.get(0)))
            .map_err(|e| self.sql(e))?;
        if !exists {
            return Err(StoreError::UnknownClaim(claim));
        }
        self.conn
            .prepare_cached("SELECT story_id FROM claim_stories WHERE claim_id = ?1")
            .and_then(|mut s| s.query_row([claim], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))
    }

    /// Every appearance of a story, first published first (then first ingested).
    pub fn story(&self, story: i64) -> Result<Vec<Appearance>, StoreError> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT s.claim_id, c.article_id, a.published, a.source_path, s.origin_name,
                     s.origin_kind, s.origin_via, s.origin_anonymous, s.similarity,
                     coalesce((SELECT p.name FROM sources p WHERE p.id = a.publisher_id), a.outlet)
                 FROM claim_stories s JOIN claims c ON c.id = s.claim_id
                 JOIN articles a ON a.id = c.article_id
                 WHERE s.story_id = ?1 AND c.rejected = 0
                 ORDER BY a.published IS NULL, a.published, a.id, c.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = s
            .query_map([story], |r| {
                let kind: String = r.get(5)?;
                Ok(Appearance {
                    claim: r.get(0)?,
                    article: r.get(1)?,
                    published: r.get(2)?,
                    path: r.get(3)?,
                    origin: r.get(4)?,
                    origin_kind: OriginKind::parse(&kind).unwrap_or(OriginKind::Reporting),
                    via: r.get(6)?,
                    anonymous: r.get(7)?,
                    similarity: r.get(8)?,
                    outlet: r.get(9)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Every story with at least `min_appearances` appearances, riskiest first: a single
    /// origin, then an anonymous origin, then no confirmed appearance; then the most
    /// appearances, then the oldest story.
    pub fn stories(&self, min_appearances: i64) -> Result<Vec<StorySummary>, StoreError> {
        let q = concat!(
            "WITH m AS (SELECT s.story_id, s.claim_id, s.origin_name, s.origin_anonymous,
                    a.publisher_id, a.outlet, a.published, a.id AS article, ",
            super::verdicts::status_of_claim!(),
            " AS status
                FROM claim_stories s JOIN claims c ON c.id = s.claim_id
                JOIN articles a ON a.id = c.article_id WHERE a.removed = 0 AND c.rejected = 0)
             SELECT m.story_id, count(*), count(DISTINCT coalesce(m.publisher_id, lower(m.outlet))),
                 count(DISTINCT lower(m.origin_name)), max(m.origin_anonymous),
                 sum(m.status = 'confirmed') = 0,
                 (SELECT f.claim_id FROM m f WHERE f.story_id = m.story_id
                  ORDER BY f.published IS NULL, f.published, f.article, f.claim_id LIMIT 1),
                 (SELECT c.text FROM claims c WHERE c.id = m.story_id)
             FROM m GROUP BY m.story_id HAVING count(*) >= ?1"
        );
        let mut s = self.conn.prepare(q).map_err(|e| self.sql(e))?;
        let mut rows = s
            .query_map([min_appearances], |r| {
                Ok(StorySummary {
                    story: r.get(0)?,
                    appearances: r.get(1)?,
                    outlets: r.get(2)?,
                    origins: r.get(3)?,
                    anonymous: r.get(4)?,
                    unconfirmed: r.get(5)?,
                    first: r.get(6)?,
                    text: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sql(e))?;
        rows.sort_by(|a, b| {
            (a.origins > 1)
                .cmp(&(b.origins > 1))
                .then(b.anonymous.cmp(&a.anonymous))
                .then(b.unconfirmed.cmp(&a.unconfirmed))
                .then(b.appearances.cmp(&a.appearances))
                .then(a.story.cmp(&b.story))
        });
        Ok(rows)
    }

    /// The claims of `claim`'s story (itself among them), first published first; empty for
    /// a claim in no story and for an unknown claim: whoever must refuse an unknown id does
    /// it where it writes (`verify --story`, the desk's verdict on a whole story).
    pub fn story_claims(&self, claim: i64) -> Result<Vec<i64>, StoreError> {
        match self.story_of(claim) {
            Ok(Some(story)) => Ok(self.story(story)?.iter().map(|a| a.claim).collect()),
            Ok(None) | Err(StoreError::UnknownClaim(_)) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The stories (of at least two appearances, as [`Store::stories`] lists them, riskiest
    /// first) of which `source` (a canonical name, any case) is an independent origin.
    pub fn stories_originated_by(&self, source: &str) -> Result<Vec<StorySummary>, StoreError> {
        let ids: std::collections::HashSet<i64> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT story_id FROM claim_stories WHERE lower(origin_name) = lower(?1)",
            )
            .and_then(|mut s| s.query_map([source], |r| r.get(0))?.collect())
            .map_err(|e| self.sql(e))?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut all = self.stories(2)?;
        all.retain(|s| ids.contains(&s.story));
        Ok(all)
    }

    /// Records a user's split or join of `claim`'s story and applies it, in one
    /// transaction. Joining names another claim, whose story `claim`'s whole story joins.
    pub fn change_story(
        &mut self,
        claim: i64,
        change: StoryChange,
        reviewer: Option<&str>,
    ) -> Result<(), StoreError> {
        self.story_of(claim)?;
        if let StoryChange::Join(other) = change {
            self.story_of(other)?;
        }
        let at = crate::clock::timestamp(self.clock.now());
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let (action, other) = match change {
            StoryChange::Detach => ("detach", None),
            StoryChange::Join(o) => ("join", Some(o)),
        };
        tx.execute(
            "INSERT INTO story_changes (claim_id, action, other_id, reviewer, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![claim, action, other, reviewer, at],
        )
        .map_err(sql)?;
        apply_change(&tx, claim, change).map_err(sql)?;
        tx.commit().map_err(sql)
    }
}

/// Applies one split or join to `claim_stories`. Detaching a story's founder moves the
/// rest of the story to its next claim's id, so the detached claim can keep its own.
fn apply_change(
    tx: &rusqlite::Transaction,
    claim: i64,
    change: StoryChange,
) -> rusqlite::Result<()> {
    let story: Option<i64> = tx
        .query_row(
            "SELECT story_id FROM claim_stories WHERE claim_id = ?1",
            [claim],
            |r| r.get(0),
        )
        .optional()?;
    let Some(story) = story else { return Ok(()) };
    match change {
        StoryChange::Detach => {
            if story == claim {
                let next: Option<i64> = tx.query_row(
                    "SELECT min(claim_id) FROM claim_stories WHERE story_id = ?1 AND claim_id <> ?1",
                    [story],
                    |r| r.get(0),
                )?;
                if let Some(next) = next {
                    tx.execute(
                        "UPDATE claim_stories SET story_id = ?2 WHERE story_id = ?1 AND claim_id <> ?1",
                        params![story, next],
                    )?;
                }
            } else {
                tx.execute(
                    "UPDATE claim_stories SET story_id = ?1, joined_through = NULL, similarity = 1
                     WHERE claim_id = ?1",
                    [claim],
                )?;
            }
        }
        StoryChange::Join(other) => {
            let target: Option<i64> = tx
                .query_row(
                    "SELECT story_id FROM claim_stories WHERE claim_id = ?1",
                    [other],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(target) = target.filter(|t| *t != story) {
                tx.execute(
                    "UPDATE claim_stories SET story_id = ?2 WHERE story_id = ?1",
                    params![story, target],
                )?;
            }
        }
    }
    Ok(())
}

/// The chains and credits the origins of some claims need, read together.
struct Origins {
    chains: FxHashMap<i64, (i64, Vec<Link>)>,
    articles: FxHashMap<i64, Credits>,
}

impl Origins {
    fn read(conn: &rusqlite::Connection, claims: &FxHashSet<i64>) -> rusqlite::Result<Origins> {
        let chains = Store::chains(conn, claims)?;
        let articles = Store::article_credits(conn, &chains)?;
        Ok(Origins { chains, articles })
    }

    fn of(&self, claim: i64) -> Origin {
        let (article, chain) = self
            .chains
            .get(&claim)
            .map_or((0, &[][..]), |(a, c)| (*a, c.as_slice()));
        let (wire, publisher) = self
            .articles
            .get(&article)
            .map_or((None, None), |(w, p)| (w.as_deref(), p.as_deref()));
        origin(chain, wire, publisher)
    }
}
