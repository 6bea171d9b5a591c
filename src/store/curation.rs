//! Curating sources: what a merge (`claimtrail alias`) moved, recorded in `source_changes`
//! so that `claimtrail unalias` can undo it exactly, and renaming a source or changing its
//! kind (`claimtrail source NAME --rename NEW | --kind K`). Every change is one transaction
//! (the caller's) and one row of `source_changes`, which the database keeps append-only.

use super::{Store, StoreError, next_generation};
use crate::clock;
use crate::model::SourceKind;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

/// A source merged away, as it was, and everything of it that moved to the canonical one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MergedSource {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub created_at: String,
    /// (claim, position) of the links that named it.
    pub links: Vec<(i64, i64)>,
    /// (claim, position) of the links that had it as recipient.
    pub recipients: Vec<(i64, i64)>,
    /// Articles it published.
    pub publications: Vec<i64>,
    /// Merge rows (name, kind) that pointed to it.
    pub merges: Vec<(String, String)>,
    /// Its aliases (alias, form) and whether the canonical source lacked each (so it was
    /// added there, and is taken away by an undo).
    pub aliases: Vec<(String, String, bool)>,
    /// What the merge row (name, kind) of the merged source pointed to before, if it existed.
    pub merge_before: Option<i64>,
}

/// What one `alias NAME CANONICAL` did (the `details` of its `source_changes` row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct MergeDetails {
    pub canonical: i64,
    pub merged: Vec<MergedSource>,
    /// NAME was added as an alias of the canonical source.
    pub alias_added: bool,
    /// The merge row (NAME, canonical kind) was added.
    pub merge_added: Option<String>,
}

/// Collects what merging source `old` into `target` is about to move.
pub(super) fn before_merge(
    tx: &Transaction,
    old: i64,
    target: i64,
) -> rusqlite::Result<MergedSource> {
    let pairs = |sql: &str| -> rusqlite::Result<Vec<(i64, i64)>> {
        tx.prepare_cached(sql)?
            .query_map([old], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    };
    let (name, kind, created_at): (String, String, String) = tx
        .prepare_cached("SELECT name, kind, created_at FROM sources WHERE id = ?1")?
        .query_row([old], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let links = pairs("SELECT claim_id, position FROM claim_links WHERE source_id = ?1")?;
    let recipients = pairs("SELECT claim_id, position FROM claim_links WHERE recipient_id = ?1")?;
    let publications = tx
        .prepare_cached("SELECT id FROM articles WHERE publisher_id = ?1")?
        .query_map([old], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let merges = tx
        .prepare_cached("SELECT name, kind FROM source_merges WHERE source_id = ?1")?
        .query_map([old], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let aliases = tx
        .prepare_cached(
            "SELECT a.alias, a.form, NOT EXISTS (SELECT 1 FROM source_aliases t
                 WHERE t.source_id = ?2 AND t.alias = a.alias AND t.form = a.form)
             FROM source_aliases a WHERE a.source_id = ?1",
        )?
        .query_map(params![old, target], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let merge_before = tx
        .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 AND kind = ?2")?
        .query_row(params![name, kind], |r| r.get(0))
        .optional()?;
    Ok(MergedSource {
        id: old,
        name,
        kind,
        created_at,
        links,
        recipients,
        publications,
        merges,
        aliases,
        merge_before,
    })
}

/// Records a change of source `name`.
pub(super) fn record(
    tx: &Transaction,
    action: &str,
    name: &str,
    details: &impl Serialize,
    now: &str,
) -> rusqlite::Result<i64> {
    let json = serde_json::to_string(details).unwrap_or_else(|_| "{}".into());
    tx.prepare_cached(
        "INSERT INTO source_changes (action, name, details, created_at)
         VALUES (?1, ?2, ?3, ?4) RETURNING id",
    )?
    .query_row(params![action, name, json, now], |r| r.get(0))
}

/// The latest merge of `name` that no `unalias` undid: its id and what it moved.
pub(super) fn latest_merge(
    tx: &Transaction,
    name: &str,
) -> rusqlite::Result<Option<(i64, MergeDetails)>> {
    let row: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT c.id, c.details FROM source_changes c
             WHERE c.action = 'alias' AND c.name = ?1
               AND NOT EXISTS (SELECT 1 FROM source_changes u WHERE u.action = 'unalias'
                   AND json_extract(u.details, '$.undoes') = c.id)
             ORDER BY c.id DESC LIMIT 1",
        )?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(id, json)| serde_json::from_str(&json).ok().map(|d| (id, d))))
}

/// Undoes the merge `change` (recorded as `details`) of `name`: the merged sources come
/// back with their ids when free, and every link, recipient, publication, merge and alias
/// that moved and still points where the merge sent it moves back. Returns the number of
/// claims changed.
pub(super) fn undo_merge(
    tx: &Transaction,
    change: i64,
    name: &str,
    details: &MergeDetails,
    now: &str,
) -> rusqlite::Result<usize> {
    let target = details.canonical;
    let generation = next_generation(tx)?;
    let mut claims = std::collections::BTreeSet::new();
    for m in &details.merged {
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM sources WHERE id = ?1)")?
            .query_row([m.id], |r| r.get(0))?;
        // The merge row of its (name, kind) goes first: it is what made the name resolve to
        // the canonical source.
        match m.merge_before {
            Some(before) => tx
                .prepare_cached(
                    "UPDATE source_merges SET source_id = ?1 WHERE name = ?2 AND kind = ?3",
                )?
                .execute(params![before, m.name, m.kind])?,
            None => tx
                .prepare_cached("DELETE FROM source_merges WHERE name = ?1 AND kind = ?2")?
                .execute(params![m.name, m.kind])?,
        };
        let id: i64 = tx
            .prepare_cached(
                "INSERT INTO sources (id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
            )?
            .query_row(
                params![(!taken).then_some(m.id), m.name, m.kind, m.created_at],
                |r| r.get(0),
            )?;
        for (claim, position) in &m.links {
            let n = tx
                .prepare_cached(
                    "UPDATE claim_links SET source_id = ?1
                     WHERE claim_id = ?2 AND position = ?3 AND source_id = ?4",
                )?
                .execute(params![id, claim, position, target])?;
            if n > 0 {
                claims.insert(*claim);
            }
        }
        for (claim, position) in &m.recipients {
            let n = tx
                .prepare_cached(
                    "UPDATE claim_links SET recipient_id = ?1
                     WHERE claim_id = ?2 AND position = ?3 AND recipient_id = ?4",
                )?
                .execute(params![id, claim, position, target])?;
            if n > 0 {
                claims.insert(*claim);
            }
        }
        for article in &m.publications {
            let n = tx
                .prepare_cached(
                    "UPDATE articles SET publisher_id = ?1 WHERE id = ?2 AND publisher_id = ?3",
                )?
                .execute(params![id, article, target])?;
            if n > 0 {
                let ids: Vec<i64> = tx
                    .prepare_cached("SELECT id FROM claims WHERE article_id = ?1")?
                    .query_map([article], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                claims.extend(ids);
            }
        }
        for (merge_name, kind) in &m.merges {
            tx.prepare_cached(
                "UPDATE source_merges SET source_id = ?1
                 WHERE name = ?2 AND kind = ?3 AND source_id = ?4",
            )?
            .execute(params![id, merge_name, kind, target])?;
        }
        for (alias, form, added) in &m.aliases {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO source_aliases (source_id, alias, form) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, alias, form])?;
            if *added {
                tx.prepare_cached(
                    "DELETE FROM source_aliases WHERE source_id = ?1 AND alias = ?2 AND form = ?3",
                )?
                .execute(params![target, alias, form])?;
            }
        }
    }
    if details.alias_added {
        tx.prepare_cached(
            "DELETE FROM source_aliases WHERE source_id = ?1 AND alias = ?2 AND form = 'name'",
        )?
        .execute(params![target, name])?;
    }
    if let Some(kind) = &details.merge_added {
        tx.prepare_cached(
            "DELETE FROM source_merges WHERE name = ?1 AND kind = ?2 AND source_id = ?3",
        )?
        .execute(params![name, kind, target])?;
    }
    for claim in &claims {
        tx.prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")?
            .execute(params![generation, claim])?;
    }
    record(
        tx,
        "unalias",
        name,
        &serde_json::json!({ "undoes": change }),
        now,
    )?;
    Ok(claims.len())
}

/// What [`Store::unalias`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnaliasReport {
    /// The source the name had been merged into.
    pub canonical: String,
    /// Sources brought back.
    pub sources_restored: usize,
    pub claims_changed: usize,
}

/// What [`Store::change_source`] changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceEdit {
    Rename(String),
    Kind(SourceKind),
}

impl Store {
    /// Undoes the latest merge of `name` (`claimtrail alias NAME ...`), in one transaction.
    pub fn unalias(&mut self, name: &str) -> Result<UnaliasReport, StoreError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let now = clock::timestamp(self.clock.now());
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let Some((change, details)) = latest_merge(&tx, &name).map_err(sql)? else {
            return Err(StoreError::Invalid(format!(
                "no merge of '{}' to undo (only merges recorded by this store can be undone)",
                crate::terminal::shorten(&name)
            )));
        };
        let canonical: String = tx
            .prepare_cached("SELECT name FROM sources WHERE id = ?1")
            .and_then(|mut s| s.query_row([details.canonical], |r| r.get(0)))
            .map_err(sql)?;
        let claims_changed = undo_merge(&tx, change, &name, &details, &now).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(UnaliasReport {
            canonical,
            sources_restored: details.merged.len(),
            claims_changed,
        })
    }

    /// Renames a source or changes its kind, in one transaction, recorded; refused when
    /// another source already has that name and kind (merge them with `alias` instead).
    /// Returns the source's canonical name and kind before the change.
    pub fn change_source(
        &mut self,
        name: &str,
        edit: &SourceEdit,
    ) -> Result<(String, SourceKind), StoreError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let now = clock::timestamp(self.clock.now());
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let found: Vec<(i64, String, String)> = tx
            .prepare("SELECT id, name, kind FROM sources WHERE name = ?1 ORDER BY id")
            .and_then(|mut s| {
                s.query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(sql)?;
        let (id, old_name, old_kind) = match found.as_slice() {
            [] => return Err(StoreError::UnknownSource(name)),
            [one] => one.clone(),
            several => {
                return Err(StoreError::Invalid(format!(
                    "'{}' names several sources ({}); rename or merge them one at a time",
                    crate::terminal::shorten(&name),
                    several
                        .iter()
                        .map(|(_, _, k)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
        let (new_name, new_kind) = match edit {
            SourceEdit::Rename(n) => {
                let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
                if n.is_empty() {
                    return Err(StoreError::Invalid("a source name cannot be empty".into()));
                }
                (n, old_kind.clone())
            }
            SourceEdit::Kind(k) => (old_name.clone(), k.as_str().to_string()),
        };
        if new_name == old_name && new_kind == old_kind {
            return Err(StoreError::Invalid(format!(
                "nothing to change: '{}' is already {new_name} ({new_kind})",
                crate::terminal::shorten(&old_name)
            )));
        }
        let clash: Option<i64> = tx
            .prepare_cached("SELECT id FROM sources WHERE name = ?1 AND kind = ?2 AND id != ?3")
            .and_then(|mut s| {
                s.query_row(params![new_name, new_kind, id], |r| r.get(0))
                    .optional()
            })
            .map_err(sql)?;
        if clash.is_some() {
            return Err(StoreError::Invalid(format!(
                "another source is already {new_name} ({new_kind}): merge the two with \
                 claimtrail alias \"{old_name}\" \"{new_name}\""
            )));
        }
        tx.prepare_cached("UPDATE sources SET name = ?1, kind = ?2 WHERE id = ?3")
            .and_then(|mut s| s.execute(params![new_name, new_kind, id]))
            .map_err(sql)?;
        if new_name != old_name {
            // The old spelling keeps finding it, and later articles naming it land on it.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO source_aliases (source_id, alias, form)
                 VALUES (?1, ?2, 'name')",
            )
            .and_then(|mut s| s.execute(params![id, old_name]))
            .map_err(sql)?;
            tx.prepare_cached(
                "INSERT INTO source_merges (name, kind, source_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name, kind) DO NOTHING",
            )
            .and_then(|mut s| s.execute(params![old_name, old_kind, id]))
            .map_err(sql)?;
        }
        let generation = next_generation(&tx).map_err(sql)?;
        tx.prepare_cached(
            "UPDATE claims SET changed_generation = ?1 WHERE id IN (
                 SELECT claim_id FROM claim_links WHERE source_id = ?2 OR recipient_id = ?2)
             OR article_id IN (SELECT id FROM articles WHERE publisher_id = ?2)",
        )
        .and_then(|mut s| s.execute(params![generation, id]))
        .map_err(sql)?;
        let action = match edit {
            SourceEdit::Rename(_) => "rename",
            SourceEdit::Kind(_) => "kind",
        };
        record(
            &tx,
            action,
            &old_name,
            &serde_json::json!({
                "source": id,
                "from": {"name": old_name, "kind": old_kind},
                "to": {"name": new_name, "kind": new_kind},
            }),
            &now,
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok((old_name, old_kind.parse().unwrap_or(SourceKind::Person)))
    }
}
