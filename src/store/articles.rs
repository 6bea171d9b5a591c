//! Articles as things a fact-checker can see and fix: listing them, correcting their
//! metadata ([`Store::change_article`]) and taking them out of every listing and search and
//! back ([`Store::set_removed`]). Each change is one entry of the article's history
//! (`article_changes`, append-only) and one transaction that stamps the article's claims
//! with a new generation, so the index follows. The article row holds the current values;
//! [`reapply`] applies the history again (import), each change setting its fields.

use super::corrections::{Change, source_id};
use super::{Store, StoreError, next_generation};
use crate::clock;
use crate::model::{Role, SourceKind};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

/// What one change of an article changed (the `changes` JSON of `article_changes`). A
/// `None` inside a change is "unknown".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Change<Option<String>>>,
    /// The publisher's name (an outlet source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<Change<Option<String>>>,
    /// ISO date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Change<Option<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Change<Option<String>>>,
    /// True: taken out of every listing (`remove`); false: back (`restore`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Change<bool>>,
}

impl ArticleChanges {
    pub fn is_empty(&self) -> bool {
        *self == ArticleChanges::default()
    }
}

/// A correction of an article's metadata. `None` fields are left as they are.
#[derive(Debug, Clone, Default)]
pub struct NewArticleChange<'a> {
    pub title: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub published: Option<NaiveDate>,
    pub url: Option<&'a str>,
    pub note: Option<&'a str>,
    pub reviewer: Option<&'a str>,
    pub at: Option<DateTime<Utc>>,
}

/// One entry of an article's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleChange {
    pub id: i64,
    pub changes: ArticleChanges,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub created_at: String,
}

/// One article as `articles` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: Option<String>,
    /// The publisher's canonical name.
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// Where it was first read from.
    pub path: String,
    /// Its claims in listings: not orphaned, not marked not a claim.
    pub claims: i64,
    pub removed: bool,
    /// Claims with verdicts or corrections: a fact-checker's work hangs on them.
    pub judged_claims: i64,
}

/// What the article listing selects. `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Canonical outlet names, any of them.
    pub outlets: Vec<String>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Removed articles instead of the others.
    pub removed: bool,
}

/// What [`Store::set_removed`] did to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Done,
    /// It already was (removed, or not).
    Already,
}

const SUMMARY: &str = "SELECT a.id, a.title,
        coalesce((SELECT s.name FROM sources s WHERE s.id = a.publisher_id), a.outlet),
        a.published, a.url, a.source_path,
        (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND c.orphaned = 0
             AND c.rejected = 0),
        a.removed,
        (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND (
             EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = c.id)
             OR EXISTS (SELECT 1 FROM claim_corrections k WHERE k.claim_id = c.id)))
     FROM articles a";

fn summary(r: &rusqlite::Row) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        outlet: r.get(2)?,
        published: r.get(3)?,
        url: r.get(4)?,
        path: r.get(5)?,
        claims: r.get(6)?,
        removed: r.get::<_, i64>(7)? != 0,
        judged_claims: r.get(8)?,
    })
}

impl Store {
    /// The articles `filter` selects, newest first (unknown dates last), then by id.
    pub fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        let sql = |e| self.sql(e);
        let all: Vec<ArticleSummary> = self
            .conn
            .prepare(&format!(
                "{SUMMARY} WHERE a.removed = ?1
                 ORDER BY a.published IS NULL, a.published DESC, a.id"
            ))
            .and_then(|mut s| s.query_map([filter.removed as i64], summary)?.collect())
            .map_err(sql)?;
        let day = |a: &ArticleSummary| {
            a.published
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        Ok(all
            .into_iter()
            .filter(|a| {
                filter.outlets.is_empty()
                    || a.outlet
                        .as_ref()
                        .is_some_and(|o| filter.outlets.iter().any(|f| f.eq_ignore_ascii_case(o)))
            })
            .filter(|a| filter.since.is_none_or(|s| day(a).is_some_and(|d| d >= s)))
            .filter(|a| filter.until.is_none_or(|u| day(a).is_some_and(|d| d <= u)))
            .collect())
    }

    /// One article, or `None`.
    pub fn article(&self, id: i64) -> Result<Option<ArticleSummary>, StoreError> {
        self.conn
            .prepare_cached(&format!("{SUMMARY} WHERE a.id = ?1"))
            .and_then(|mut s| s.query_row([id], summary).optional())
            .map_err(|e| self.sql(e))
    }

    /// An article's text, or `None` for an unknown id.
    pub fn article_text(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT text FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))
    }

    /// The ids of an article's claims, in their order in the article.
    pub fn article_claims(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM claims WHERE article_id = ?1 ORDER BY position, id")
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(|e| self.sql(e))
    }

    /// An article's history, newest first.
    pub fn article_history(&self, id: i64) -> Result<Vec<ArticleChange>, StoreError> {
        let mut out = history(&self.conn, id).map_err(|e| self.sql(e))?;
        out.reverse();
        Ok(out)
    }

    /// Corrects an article's metadata in one transaction; values it already has are not
    /// changes, and a change that changes nothing is refused.
    pub fn change_article(
        &mut self,
        id: i64,
        c: &NewArticleChange,
    ) -> Result<ArticleChanges, StoreError> {
        let blank = |s: Option<&str>, what: &str| -> Result<Option<String>, StoreError> {
            match s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")) {
                Some(s) if s.is_empty() => Err(StoreError::Invalid(format!("the {what} is empty"))),
                other => Ok(other),
            }
        };
        let title = blank(c.title, "title")?;
        let outlet = blank(c.outlet, "outlet")?;
        let url = blank(c.url, "url")?;
        if let Some(u) = &url {
            crate::model::check_http_url(u).map_err(StoreError::Invalid)?;
        }
        let at = clock::timestamp(c.at.unwrap_or_else(|| self.clock.now()));
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let Some(now) = current(&tx, id).map_err(sql)? else {
            return Err(StoreError::Invalid(format!("no article with id {id}")));
        };
        let mut changes = ArticleChanges::default();
        let change = |from: &Option<String>, to: Option<String>| {
            to.filter(|t| from.as_deref() != Some(t.as_str()))
                .map(|t| Change {
                    from: Some(from.clone()),
                    to: Some(t),
                })
        };
        changes.title = change(&now.title, title);
        changes.outlet = change(&now.outlet, outlet);
        changes.url = change(&now.url, url);
        changes.published = change(
            &now.published,
            c.published.map(|d| d.format("%Y-%m-%d").to_string()),
        );
        if changes.is_empty() {
            return Err(StoreError::Invalid(format!(
                "nothing to change: article {id} already has these values"
            )));
        }
        record(&tx, id, &changes, c.note, c.reviewer, &at).map_err(sql)?;
        apply(&tx, id, &changes, &at).map_err(sql)?;
        stamp(&tx, id).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(changes)
    }

    /// Takes articles out of every listing and search (`removed`), or puts them back, in
    /// one transaction. An article whose claims carry verdicts or corrections is refused
    /// unless `force` (the verdicts stay in the database either way); an unknown id fails
    /// the whole batch.
    pub fn set_removed(
        &mut self,
        ids: &[i64],
        removed: bool,
        force: bool,
        reviewer: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Vec<Removal>, StoreError> {
        let at = clock::timestamp(at);
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let row: Option<(bool, i64)> = tx
                .prepare_cached(&format!("{SUMMARY} WHERE a.id = ?1"))
                .and_then(|mut s| {
                    s.query_row([id], |r| Ok((r.get::<_, i64>(7)? != 0, r.get(8)?)))
                        .optional()
                })
                .map_err(sql)?;
            let Some((was, judged)) = row else {
                return Err(StoreError::Invalid(format!("no article with id {id}")));
            };
            if was == removed {
                out.push(Removal::Already);
                continue;
            }
            if removed && judged > 0 && !force {
                return Err(StoreError::Invalid(format!(
                    "article {id} has {judged} claim(s) with verdicts or corrections: add \
                     --force to remove it anyway (they stay in the store and in export)"
                )));
            }
            let changes = ArticleChanges {
                removed: Some(Change {
                    from: Some(was),
                    to: removed,
                }),
                ..ArticleChanges::default()
            };
            record(&tx, id, &changes, None, reviewer, &at).map_err(sql)?;
            apply(&tx, id, &changes, &at).map_err(sql)?;
            stamp(&tx, id).map_err(sql)?;
            out.push(Removal::Done);
        }
        tx.commit().map_err(sql)?;
        Ok(out)
    }
}

/// The article's history, oldest first.
pub(super) fn history(
    conn: &rusqlite::Connection,
    id: i64,
) -> rusqlite::Result<Vec<ArticleChange>> {
    conn.prepare_cached(
        "SELECT id, changes, note, reviewer, created_at FROM article_changes
         WHERE article_id = ?1 ORDER BY julianday(created_at), seq, id",
    )?
    .query_map([id], |r| {
        Ok(ArticleChange {
            id: r.get(0)?,
            changes: super::read::json(r, 1)?,
            note: r.get(2)?,
            reviewer: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?
    .collect()
}

/// Applies an article's history again, oldest first (import). The caller stamps it.
pub(super) fn reapply(tx: &Transaction, id: i64, now: &str) -> rusqlite::Result<()> {
    for c in history(tx, id)? {
        apply(tx, id, &c.changes, now)?;
    }
    Ok(())
}

/// Stamps the article's claims with a new generation: the index re-reads them.
pub(super) fn stamp(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    let generation = next_generation(tx)?;
    tx.prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE article_id = ?2")?
        .execute(params![generation, id])?;
    Ok(())
}

fn record(
    tx: &Transaction,
    id: i64,
    changes: &ArticleChanges,
    note: Option<&str>,
    reviewer: Option<&str>,
    at: &str,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(changes).unwrap_or_else(|_| "{}".into());
    tx.prepare_cached(
        "INSERT INTO article_changes (article_id, changes, note, reviewer, created_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5,
             (SELECT coalesce(max(seq) + 1, 0) FROM article_changes
              WHERE article_id = ?1 AND created_at = ?5))",
    )?
    .execute(params![id, json, note, reviewer, at])?;
    Ok(())
}

struct Current {
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

fn current(tx: &Transaction, id: i64) -> rusqlite::Result<Option<Current>> {
    tx.prepare_cached(
        "SELECT title, coalesce((SELECT s.name FROM sources s WHERE s.id = a.publisher_id),
             a.outlet), published, url FROM articles a WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Current {
            title: r.get(0)?,
            outlet: r.get(1)?,
            published: r.get(2)?,
            url: r.get(3)?,
        })
    })
    .optional()
}

/// Sets the article's fields to the `to` values of `changes`; a new outlet becomes the
/// publisher of every claim of the article (the first link of its chain).
fn apply(tx: &Transaction, id: i64, changes: &ArticleChanges, now: &str) -> rusqlite::Result<()> {
    if let Some(c) = &changes.title {
        tx.prepare_cached("UPDATE articles SET title = ?1 WHERE id = ?2")?
            .execute(params![c.to, id])?;
    }
    if let Some(c) = &changes.url {
        tx.prepare_cached("UPDATE articles SET url = ?1 WHERE id = ?2")?
            .execute(params![c.to, id])?;
    }
    if let Some(c) = &changes.published {
        tx.prepare_cached("UPDATE articles SET published = ?1 WHERE id = ?2")?
            .execute(params![c.to, id])?;
    }
    if let Some(c) = &changes.removed {
        tx.prepare_cached("UPDATE articles SET removed = ?1 WHERE id = ?2")?
            .execute(params![c.to as i64, id])?;
    }
    if let Some(c) = &changes.outlet {
        let publisher = match &c.to {
            Some(name) => Some(source_id(tx, name, SourceKind::Outlet, now)?),
            None => None,
        };
        tx.prepare_cached("UPDATE articles SET outlet = ?1, publisher_id = ?2 WHERE id = ?3")?
            .execute(params![c.to, publisher, id])?;
        let claims: Vec<i64> = tx
            .prepare_cached("SELECT id FROM claims WHERE article_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for claim in claims {
            let first: Option<String> = tx
                .prepare_cached(
                    "SELECT role FROM claim_links WHERE claim_id = ?1 AND position = 0",
                )?
                .query_row([claim], |r| r.get(0))
                .optional()?;
            let has_publisher = first.as_deref() == Some(Role::Publisher.as_str());
            match (publisher, has_publisher) {
                (Some(p), true) => {
                    tx.prepare_cached(
                        "UPDATE claim_links SET source_id = ?1 WHERE claim_id = ?2 AND position = 0",
                    )?
                    .execute(params![p, claim])?;
                }
                (Some(p), false) => {
                    // Every link one place on, through positions no chain reaches (the
                    // key is checked row by row).
                    shift(tx, claim, 1)?;
                    tx.prepare_cached(super::INSERT_LINK)?.execute(params![
                        claim,
                        0,
                        p,
                        Role::Publisher.as_str(),
                        Option::<String>::None,
                        Option::<i64>::None,
                        Option::<i64>::None,
                        Option::<i64>::None,
                    ])?;
                }
                (None, true) => {
                    tx.prepare_cached(
                        "DELETE FROM claim_links WHERE claim_id = ?1 AND position = 0",
                    )?
                    .execute([claim])?;
                    shift(tx, claim, -1)?;
                }
                (None, false) => {}
            }
        }
    }
    Ok(())
}

/// Moves every link of a claim's chain `by` places.
fn shift(tx: &Transaction, claim: i64, by: i64) -> rusqlite::Result<()> {
    const AWAY: i64 = 1 << 40;
    tx.prepare_cached("UPDATE claim_links SET position = position + ?1 WHERE claim_id = ?2")?
        .execute(params![AWAY, claim])?;
    tx.prepare_cached("UPDATE claim_links SET position = position - ?1 WHERE claim_id = ?2")?
        .execute(params![AWAY - by, claim])?;
    Ok(())
}
