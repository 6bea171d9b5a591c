//! Sources across the store: the list with claim counts (`claimtrail sources`), resolving what
//! a user types (any case, any alias) to canonical names, and merging two sources into one
//! (`claimtrail alias`).

use super::{Store, StoreError, next_generation};
use crate::model::{Certainty, SourceKind, Status};
use rusqlite::{OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};

/// One source with what the store attributes to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    /// Other names and spellings.
    pub aliases: Vec<String>,
    /// Titles and descriptions seen in text.
    pub roles: Vec<String>,
    /// Claims (not orphaned) whose chain holds this source, by current status.
    pub by_status: BTreeMap<Status, usize>,
    /// The same claims by certainty.
    pub by_certainty: BTreeMap<Certainty, usize>,
}

impl SourceSummary {
    /// Claims whose chain holds this source.
    pub fn claims(&self) -> usize {
        self.by_status.values().sum()
    }
}

/// What [`Store::merge_source`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    /// The canonical source kept.
    pub canonical: String,
    pub kind: SourceKind,
    /// Sources merged into it (0 when the name was only recorded as an alias).
    pub sources_merged: usize,
    /// Claims whose chain changed.
    pub claims_changed: usize,
}

impl Store {
    /// Every source (of `kind`, when given), most claims first, then by name.
    pub fn sources(&self, kind: Option<SourceKind>) -> Result<Vec<SourceSummary>, StoreError> {
        self.summaries(kind, None)
    }

    /// The sources named exactly `name` (a canonical name; one per kind at most), as
    /// [`Store::sources`] lists them, without counting every other source's claims.
    pub fn source_summaries(&self, name: &str) -> Result<Vec<SourceSummary>, StoreError> {
        self.summaries(None, Some(name))
    }

    fn summaries(
        &self,
        kind: Option<SourceKind>,
        only: Option<&str>,
    ) -> Result<Vec<SourceSummary>, StoreError> {
        let sql = |e| self.sql(e);
        let tx = self.conn.unchecked_transaction().map_err(sql)?;
        let mut sources: BTreeMap<i64, SourceSummary> = tx
            .prepare(
                "SELECT id, name, kind FROM sources
                 WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR name = ?2)",
            )
            .and_then(|mut s| {
                s.query_map(rusqlite::params![kind.map(|k| k.as_str()), only], |r| {
                    let kind: String = r.get(2)?;
                    Ok((
                        r.get(0)?,
                        SourceSummary {
                            id: r.get(0)?,
                            name: r.get(1)?,
                            kind: kind.parse().unwrap_or(SourceKind::Person),
                            aliases: Vec::new(),
                            roles: Vec::new(),
                            by_status: BTreeMap::new(),
                            by_certainty: BTreeMap::new(),
                        },
                    ))
                })?
                .collect()
            })
            .map_err(sql)?;
        let aliases: Vec<(i64, String, String)> = tx
            .prepare(
                "SELECT source_id, alias, form FROM source_aliases
                 WHERE ?1 IS NULL OR source_id IN (SELECT id FROM sources WHERE name = ?1)
                 ORDER BY source_id, alias",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(sql)?;
        for (id, alias, form) in aliases {
            if let Some(s) = sources.get_mut(&id) {
                if form == "name" {
                    s.aliases.push(alias);
                } else {
                    s.roles.push(alias);
                }
            }
        }
        let counts: Vec<(i64, String, String, i64)> = tx
            .prepare(
                "SELECT l.source_id, st.status, c.certainty, count(DISTINCT c.id)
                 FROM claim_links l
                 JOIN claims c ON c.id = l.claim_id AND c.orphaned = 0 AND c.rejected = 0
                 JOIN articles a ON a.id = c.article_id AND a.removed = 0
                 JOIN claim_status st ON st.claim_id = c.id
                 WHERE ?1 IS NULL OR l.source_id IN (SELECT id FROM sources WHERE name = ?1)
                 GROUP BY l.source_id, st.status, c.certainty",
            )
            .and_then(|mut s| {
                s.query_map([only], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect()
            })
            .map_err(sql)?;
        for (id, status, certainty, n) in counts {
            if let Some(s) = sources.get_mut(&id) {
                if let Ok(status) = status.parse() {
                    *s.by_status.entry(status).or_default() += n as usize;
                }
                if let Ok(certainty) = certainty.parse() {
                    *s.by_certainty.entry(certainty).or_default() += n as usize;
                }
            }
        }
        tx.commit().map_err(sql)?;
        let mut out: Vec<SourceSummary> = sources.into_values().collect();
        out.sort_by(|a, b| {
            b.claims()
                .cmp(&a.claims())
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then(a.kind.cmp(&b.kind))
        });
        Ok(out)
    }

    /// The canonical names of the sources (of `kind`, when given) that `name` designates:
    /// the source of that name in any case, the sources that have it as another name, else
    /// those whose name holds it as whole words ("Witkoff" → "Steve Witkoff"). Empty when
    /// none does.
    pub fn resolve_source(
        &self,
        name: &str,
        kind: Option<SourceKind>,
    ) -> Result<Vec<String>, StoreError> {
        let sql = |e| self.sql(e);
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(Vec::new());
        }
        let kind = kind.map(|k| k.as_str());
        let exact: BTreeSet<String> = self
            .conn
            .prepare_cached(
                "SELECT s.name FROM sources s WHERE s.name = ?1 AND (?2 IS NULL OR s.kind = ?2)
                 UNION
                 SELECT s.name FROM source_aliases a JOIN sources s ON s.id = a.source_id
                 WHERE a.alias = ?1 AND a.form = 'name' AND (?2 IS NULL OR s.kind = ?2)
                 UNION
                 SELECT s.name FROM source_merges m JOIN sources s ON s.id = m.source_id
                 WHERE m.name = ?1 AND (?2 IS NULL OR s.kind = ?2)",
            )
            .and_then(|mut s| s.query_map(params![name, kind], |r| r.get(0))?.collect())
            .map_err(sql)?;
        if !exact.is_empty() {
            return Ok(exact.into_iter().collect());
        }
        let wanted = words(&name);
        // (a name, the canonical name it stands for), for names holding the text anywhere.
        let candidates: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT name, name FROM sources
                 WHERE name LIKE '%' || ?1 || '%' AND (?2 IS NULL OR kind = ?2)
                 UNION
                 SELECT a.alias, s.name FROM source_aliases a JOIN sources s ON s.id = a.source_id
                 WHERE a.alias LIKE '%' || ?1 || '%' AND a.form = 'name'
                 AND (?2 IS NULL OR s.kind = ?2)
                 UNION
                 SELECT m.name, s.name FROM source_merges m JOIN sources s ON s.id = m.source_id
                 WHERE m.name LIKE '%' || ?1 || '%' AND (?2 IS NULL OR s.kind = ?2)",
            )
            .and_then(|mut s| {
                s.query_map(params![name, kind], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(sql)?;
        let mut found: BTreeSet<String> = BTreeSet::new();
        for (candidate, canonical) in candidates {
            let have = words(&candidate);
            if have.windows(wanted.len()).any(|w| w == wanted.as_slice()) {
                found.insert(canonical);
            }
        }
        Ok(found.into_iter().collect())
    }

    /// Merges the source(s) named `name` into the source named `canonical`, store-wide, in
    /// one transaction: their links, recipients, publications and aliases move to the
    /// canonical source, `name` becomes one of its aliases, and later articles naming `name`
    /// are attributed to it. A `name` the store does not know as a source is recorded as an
    /// alias only.
    pub fn merge_source(&mut self, name: &str, canonical: &str) -> Result<MergeReport, StoreError> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let canonical = canonical.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || canonical.is_empty() {
            return Err(StoreError::Invalid("a source name cannot be empty".into()));
        }
        // "Recorded as another name of itself" would be a success that changed nothing.
        if name.eq_ignore_ascii_case(&canonical) {
            return Err(StoreError::Invalid(format!(
                "'{}' cannot be an alias of itself: name another source to merge it into",
                crate::terminal::shorten(&name)
            )));
        }
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let targets: Vec<(i64, String, String)> = tx
            .prepare("SELECT id, name, kind FROM sources WHERE name = ?1 ORDER BY id")
            .and_then(|mut s| {
                s.query_map([&canonical], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(sql)?;
        let now = crate::clock::timestamp(self.clock.now());
        let named = |tx: &rusqlite::Transaction| -> Result<Vec<(i64, String, String)>, StoreError> {
            tx.prepare("SELECT id, name, kind FROM sources WHERE name = ?1 ORDER BY id")
                .and_then(|mut s| {
                    s.query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                        .collect()
                })
                .map_err(sql)
        };
        let mut merged = named(&tx)?;
        if merged.is_empty() {
            // Merged before into another source: that merge, when this store recorded it,
            // is undone first, so the name moves whole to its new canonical source.
            let earlier_target: Option<i64> = tx
                .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 LIMIT 1")
                .and_then(|mut s| s.query_row([&name], |r| r.get(0)).optional())
                .map_err(sql)?;
            let elsewhere = earlier_target.is_some_and(|t| !targets.iter().any(|x| x.0 == t));
            if elsewhere
                && let Some((change, details)) =
                    super::curation::latest_merge(&tx, &name).map_err(sql)?
                && !targets.iter().any(|x| x.0 == details.canonical)
            {
                super::curation::undo_merge(&tx, change, &name, &details, &now).map_err(sql)?;
                merged = named(&tx)?;
            }
        }
        // (An unknown canonical source is the error to give first, below.)
        if merged.is_empty() && !targets.is_empty() {
            let known: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM source_aliases WHERE alias = ?1 AND form = 'name')
                         OR EXISTS (SELECT 1 FROM source_merges WHERE name = ?1)",
                )
                .and_then(|mut s| s.query_row([&name], |r| r.get(0)))
                .map_err(sql)?;
            if !known {
                return Err(StoreError::Invalid(format!(
                    "no source named '{}' in the store, nor one known by that name: only a \
                     name the store has can be merged (ingest the articles first)",
                    crate::terminal::shorten(&name)
                )));
            }
        }
        // The canonical source: of the kind of the merged one when there is a choice.
        let target = match targets.len() {
            0 => return Err(StoreError::UnknownSource(canonical)),
            1 => targets[0].clone(),
            _ => merged
                .iter()
                .find_map(|(_, _, k)| targets.iter().find(|(_, _, tk)| tk == k))
                .cloned()
                .ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "'{}' names several sources ({}); merge them one kind at a time",
                        crate::terminal::shorten(&canonical),
                        targets
                            .iter()
                            .map(|(_, _, k)| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
        };
        let (target_id, target_name, target_kind) = target;
        let merged: Vec<(i64, String, String)> = merged
            .into_iter()
            .filter(|(id, ..)| *id != target_id)
            .collect();

        let mut claims_changed = 0;
        let mut details = super::curation::MergeDetails {
            canonical: target_id,
            ..Default::default()
        };
        if !merged.is_empty() {
            let generation = next_generation(&tx).map_err(sql)?;
            for (id, old_name, old_kind) in &merged {
                details
                    .merged
                    .push(super::curation::before_merge(&tx, *id, target_id).map_err(sql)?);
                claims_changed += tx
                    .prepare_cached(
                        "UPDATE claims SET changed_generation = ?1 WHERE id IN (
                             SELECT claim_id FROM claim_links
                             WHERE source_id = ?2 OR recipient_id = ?2)",
                    )
                    .and_then(|mut s| s.execute(params![generation, id]))
                    .map_err(sql)?;
                let statements = [
                    "UPDATE claim_links SET source_id = ?1 WHERE source_id = ?2",
                    "UPDATE claim_links SET recipient_id = ?1 WHERE recipient_id = ?2",
                    "UPDATE articles SET publisher_id = ?1 WHERE publisher_id = ?2",
                    "UPDATE source_merges SET source_id = ?1 WHERE source_id = ?2",
                    "INSERT OR IGNORE INTO source_aliases (source_id, alias, form)
                     SELECT ?1, alias, form FROM source_aliases WHERE source_id = ?2",
                    "DELETE FROM source_aliases WHERE source_id = ?2",
                ];
                for statement in statements {
                    tx.prepare_cached(statement)
                        .and_then(|mut s| s.execute(params![target_id, id]))
                        .map_err(sql)?;
                }
                tx.prepare_cached(
                    "INSERT INTO source_merges (name, kind, source_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT (name, kind) DO UPDATE SET source_id = excluded.source_id",
                )
                .and_then(|mut s| s.execute(params![old_name, old_kind, target_id]))
                .map_err(sql)?;
                tx.prepare_cached("DELETE FROM sources WHERE id = ?1")
                    .and_then(|mut s| s.execute([id]))
                    .map_err(sql)?;
            }
        }
        if merged.is_empty() {
            // A name merged before is no source any more: merging it again would only add an
            // alias while later articles naming it still land where the first merge sent them.
            let earlier: Option<(String, String)> = tx
                .prepare_cached(
                    "SELECT s.name, s.kind FROM source_merges m JOIN sources s ON s.id = m.source_id
                     WHERE m.name = ?1 AND m.source_id != ?2 LIMIT 1",
                )
                .and_then(|mut s| {
                    s.query_row(params![name, target_id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .map_err(sql)?;
            if let Some((other, kind)) = earlier {
                return Err(StoreError::Invalid(format!(
                    "'{name}' was already merged into {other} ({kind}); to move it, merge {other} \
                     into {target_name}: claimtrail alias \"{other}\" \"{target_name}\""
                )));
            }
        }
        if !name.eq_ignore_ascii_case(&target_name) {
            details.alias_added = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO source_aliases (source_id, alias, form)
                     VALUES (?1, ?2, 'name')",
                )
                .and_then(|mut s| s.execute(params![target_id, name]))
                .map_err(sql)?
                == 1;
            // Later articles naming it with the canonical kind land on the canonical source.
            let existing: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM source_merges WHERE name = ?1 AND kind = ?2")
                .and_then(|mut s| {
                    s.query_row(params![name, target_kind], |r| r.get(0))
                        .optional()
                })
                .map_err(sql)?;
            if existing.is_none() {
                tx.prepare_cached(
                    "INSERT INTO source_merges (name, kind, source_id) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| s.execute(params![name, target_kind, target_id]))
                .map_err(sql)?;
                details.merge_added = Some(target_kind.clone());
            }
        }
        super::curation::record(&tx, "alias", &name, &details, &now).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(MergeReport {
            canonical: target_name,
            kind: target_kind.parse().unwrap_or(SourceKind::Person),
            sources_merged: merged.len(),
            claims_changed,
        })
    }
}

/// Lower-case words of a name, for whole-word matching.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}
