//! Corrections of claims: [`Store::correct_claim`] appends one entry to a claim's correction
//! history (`claim_corrections`, append-only like verdicts) and writes the corrected values
//! into the claim's row and chain, in one transaction that bumps the generation, so every
//! reader and the search index see them.
//!
//! The claim row holds the corrected values; the history says what changed from what. When
//! re-extraction writes a claim's extracted values back (found again by its stable key, so
//! with the same id), [`reapply`] applies the claim's corrections again, oldest first: each
//! correction sets its fields to its `to` values, so replaying the history on any base gives
//! the same claim. Import uses the same path. Sources are named by name and kind, never by id,
//! and resolved through merges when applied.

use super::{INSERT_LINK, Store, StoreError, next_generation};
use crate::clock;
use crate::model::{Certainty, ClaimKind, Role, SourceKind};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

/// A source as a correction names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub kind: SourceKind,
    /// In a chain: the link's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// One field's change: what it was when the correction was made, and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    pub from: Option<T>,
    pub to: T,
}

/// What one correction changed (the `changes` JSON of `claim_corrections`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// The original speaker (the last link that is not the publisher).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Change<Named>>,
    /// The chain after the publisher, speaker last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Change<Vec<Named>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Change<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Change<ClaimKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Change<Certainty>>,
    /// True: not a claim (out of every listing unless asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<Change<bool>>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// A source as the user names it in a correction: the kind when they gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceName {
    pub name: String,
    pub kind: Option<SourceKind>,
}

/// One correction, as a fact-checker gives it. `None` fields are left as they are.
#[derive(Debug, Clone, Default)]
pub struct NewCorrection<'a> {
    pub speaker: Option<SourceName>,
    /// The chain after the publisher, speaker last.
    pub chain: Option<Vec<SourceName>>,
    pub text: Option<&'a str>,
    pub kind: Option<ClaimKind>,
    pub certainty: Option<Certainty>,
    pub rejected: Option<bool>,
    pub note: Option<&'a str>,
    pub reviewer: Option<&'a str>,
    pub at: Option<DateTime<Utc>>,
}

/// One entry of a claim's correction history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: i64,
    pub changes: Changes,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    /// RFC 3339, as stored.
    pub created_at: String,
}

/// What [`Store::correct_claim`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrected {
    /// A new correction, with what it changed.
    Written {
        correction_id: i64,
        changes: Changes,
    },
    /// The claim's latest correction asked for exactly this, in the same second (a retry):
    /// nothing written.
    AlreadyRecorded { correction_id: i64 },
}

/// The order of a claim's corrections, oldest first (the order they are applied in).
const OLDEST_FIRST: &str = "julianday(created_at), seq, id";

impl Store {
    /// Appends a correction to the claim's history and writes its values into the claim, in
    /// one transaction. Values equal to the claim's are not changes; a correction that
    /// changes nothing is refused (unless it is the latest one sent again in its second).
    pub fn correct_claim(
        &mut self,
        claim_id: i64,
        c: &NewCorrection,
    ) -> Result<Corrected, StoreError> {
        if let Some(text) = c.text
            && text.trim().is_empty()
        {
            return Err(StoreError::Invalid("the corrected text is empty".into()));
        }
        if matches!(&c.chain, Some(chain) if chain.is_empty()) {
            return Err(StoreError::Invalid(
                "the corrected chain is empty: name at least the speaker".into(),
            ));
        }
        let at = clock::timestamp(c.at.unwrap_or_else(|| self.clock.now()));
        let (tx, sql) = super::write_tx(&mut self.conn, &self.db_path)?;
        let Some(current) = current(&tx, claim_id).map_err(sql)? else {
            return Err(StoreError::UnknownClaim(claim_id));
        };
        let mut changes = Changes::default();
        if let Some(text) = c.text {
            let text = text.trim().to_string();
            if text != current.text {
                changes.text = Some(Change {
                    from: Some(current.text.clone()),
                    to: text,
                });
            }
        }
        if let Some(kind) = c.kind.filter(|k| *k != current.kind) {
            changes.kind = Some(Change {
                from: Some(current.kind),
                to: kind,
            });
        }
        if let Some(certainty) = c.certainty.filter(|k| *k != current.certainty) {
            changes.certainty = Some(Change {
                from: Some(current.certainty),
                to: certainty,
            });
        }
        if let Some(rejected) = c.rejected.filter(|r| *r != current.rejected) {
            changes.rejected = Some(Change {
                from: Some(current.rejected),
                to: rejected,
            });
        }
        let speaker_now = current.after_publisher.last().cloned();
        if let Some(chain) = &c.chain {
            let mut names = chain.clone();
            // The whole chain written out, publisher first: the publisher stays its own.
            if let (Some(publisher), Some(first)) = (&current.publisher, names.first())
                && names.len() > 1
                && first.name.eq_ignore_ascii_case(publisher)
            {
                names.remove(0);
            }
            let last = names.len() - 1;
            let mut to = Vec::with_capacity(names.len());
            for (i, n) in names.iter().enumerate() {
                let fallback = if i == last {
                    Some(speaker_now.as_ref().map_or(SourceKind::Person, |s| s.kind))
                } else {
                    None
                };
                let kind = resolve_kind(&tx, n, fallback).map_err(|e| match e {
                    Resolve::Sql(e) => sql(e),
                    Resolve::Bad(m) => StoreError::Invalid(m),
                })?;
                let role = if i == last {
                    Role::Speaker
                } else if kind == SourceKind::Document {
                    Role::Document
                } else {
                    Role::Relay
                };
                to.push(Named {
                    name: clean(&n.name),
                    kind,
                    role: Some(role),
                });
            }
            if !same_chain(&to, &current.after_publisher) {
                changes.chain = Some(Change {
                    from: Some(current.after_publisher.clone()),
                    to,
                });
            }
        }
        if let Some(speaker) = &c.speaker {
            let fallback = speaker_now.as_ref().map_or(SourceKind::Person, |s| s.kind);
            let kind = resolve_kind(&tx, speaker, Some(fallback)).map_err(|e| match e {
                Resolve::Sql(e) => sql(e),
                Resolve::Bad(m) => StoreError::Invalid(m),
            })?;
            let to = Named {
                name: clean(&speaker.name),
                kind,
                role: None,
            };
            // Compared with the speaker the chain correction (if any) leaves.
            let after = changes
                .chain
                .as_ref()
                .and_then(|c| c.to.last().cloned())
                .or(speaker_now.clone());
            let same = after
                .as_ref()
                .is_some_and(|s| s.kind == to.kind && s.name.eq_ignore_ascii_case(&to.name));
            if !same {
                changes.speaker = Some(Change {
                    from: speaker_now.map(|s| Named { role: None, ..s }),
                    to,
                });
            }
        }
        if changes.is_empty() {
            type Latest = (i64, String, String, Option<String>, Option<String>);
            let latest: Option<Latest> = tx
                .prepare_cached(&format!(
                    "SELECT id, changes, created_at, note, reviewer FROM claim_corrections
                     WHERE claim_id = ?1 ORDER BY {OLDEST_FIRST} DESC LIMIT 1"
                ))
                .and_then(|mut s| {
                    s.query_row([claim_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .optional()
                })
                .map_err(sql)?;
            // A retry: the same fields to the same values, by the same reviewer with the
            // same note, in the same second.
            if let Some((id, json, created_at, note, reviewer)) = latest
                && created_at == at
                && note.as_deref() == c.note
                && reviewer.as_deref() == c.reviewer
                && serde_json::from_str::<Changes>(&json).is_ok_and(|l| asks_the_same(&l, c))
            {
                return Ok(Corrected::AlreadyRecorded { correction_id: id });
            }
            return Err(StoreError::Invalid(format!(
                "nothing to change: claim {claim_id} already has these values"
            )));
        }
        let json = serde_json::to_string(&changes)
            .map_err(|e| StoreError::Invalid(format!("cannot write the correction: {e}")))?;
        let correction_id: i64 = tx
            .prepare_cached(
                "INSERT INTO claim_corrections (claim_id, changes, note, reviewer, created_at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                     (SELECT coalesce(max(seq) + 1, 0) FROM claim_corrections
                      WHERE claim_id = ?1 AND created_at = ?5))
                 RETURNING id",
            )
            .and_then(|mut s| {
                s.query_row(params![claim_id, json, c.note, c.reviewer, at], |r| {
                    r.get(0)
                })
            })
            .map_err(sql)?;
        let generation = next_generation(&tx).map_err(sql)?;
        apply(&tx, claim_id, &changes, &at).map_err(sql)?;
        tx.prepare_cached("UPDATE claims SET changed_generation = ?1 WHERE id = ?2")
            .and_then(|mut s| s.execute(params![generation, claim_id]))
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Corrected::Written {
            correction_id,
            changes,
        })
    }

    /// The correction history of a claim, newest first.
    pub fn corrections(&self, claim_id: i64) -> Result<Vec<Correction>, StoreError> {
        let mut out = history(&self.conn, claim_id).map_err(|e| self.sql(e))?;
        out.reverse();
        Ok(out)
    }
}

/// The corrections of a claim, oldest first.
pub(super) fn history(
    conn: &rusqlite::Connection,
    claim_id: i64,
) -> rusqlite::Result<Vec<Correction>> {
    conn.prepare_cached(&format!(
        "SELECT id, changes, note, reviewer, created_at FROM claim_corrections
         WHERE claim_id = ?1 ORDER BY {OLDEST_FIRST}"
    ))?
    .query_map([claim_id], |r| {
        Ok(Correction {
            id: r.get(0)?,
            changes: super::read::json(r, 1)?,
            note: r.get(2)?,
            reviewer: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?
    .collect()
}

/// Applies every correction of the claim again, oldest first, over what its row holds now
/// (the extracted values, after a re-extraction). Does nothing for a claim never corrected.
/// The caller stamps the claim with its generation.
pub(super) fn reapply(tx: &Transaction, claim_id: i64, now: &str) -> rusqlite::Result<bool> {
    let corrections = history(tx, claim_id)?;
    for c in &corrections {
        apply(tx, claim_id, &c.changes, now)?;
    }
    Ok(!corrections.is_empty())
}

/// Whether the latest correction `latest` set every field `c` asks for to the value asked.
fn asks_the_same(latest: &Changes, c: &NewCorrection) -> bool {
    let text = c
        .text
        .is_none_or(|t| latest.text.as_ref().is_some_and(|l| l.to == t.trim()));
    let kind = c
        .kind
        .is_none_or(|k| latest.kind.as_ref().is_some_and(|l| l.to == k));
    let certainty = c
        .certainty
        .is_none_or(|k| latest.certainty.as_ref().is_some_and(|l| l.to == k));
    let rejected = c
        .rejected
        .is_none_or(|k| latest.rejected.as_ref().is_some_and(|l| l.to == k));
    let speaker = c.speaker.as_ref().is_none_or(|s| {
        latest
            .speaker
            .as_ref()
            .is_some_and(|l| l.to.name.eq_ignore_ascii_case(&clean(&s.name)))
    });
    let chain = c.chain.as_ref().is_none_or(|_| latest.chain.is_some());
    text && kind && certainty && rejected && speaker && chain
}

fn same_chain(a: &[Named], b: &[Named]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name.eq_ignore_ascii_case(&y.name) && x.kind == y.kind && x.role == y.role
        })
}

/// The claim as a correction compares against it.
struct Current {
    text: String,
    kind: ClaimKind,
    certainty: Certainty,
    rejected: bool,
    /// The publisher link's name, when the chain starts with one.
    publisher: Option<String>,
    /// The links after the publisher, with their roles.
    after_publisher: Vec<Named>,
}

fn current(tx: &Transaction, claim_id: i64) -> rusqlite::Result<Option<Current>> {
    let row = tx
        .prepare_cached("SELECT text, kind, certainty, rejected FROM claims WHERE id = ?1")?
        .query_row([claim_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                super::read::vocabulary::<ClaimKind>(r, 1)?,
                super::read::vocabulary::<Certainty>(r, 2)?,
                r.get::<_, i64>(3)? != 0,
            ))
        })
        .optional()?;
    let Some((text, kind, certainty, rejected)) = row else {
        return Ok(None);
    };
    let links = chain(tx, claim_id)?;
    let mut publisher = None;
    let mut after_publisher = Vec::new();
    for (i, (_, named)) in links.into_iter().enumerate() {
        if i == 0 && named.role == Some(Role::Publisher) {
            publisher = Some(named.name);
        } else {
            after_publisher.push(named);
        }
    }
    Ok(Some(Current {
        text,
        kind,
        certainty,
        rejected,
        publisher,
        after_publisher,
    }))
}

/// The chain of a claim: (position, source as named, with its role).
fn chain(tx: &Transaction, claim_id: i64) -> rusqlite::Result<Vec<(i64, Named)>> {
    tx.prepare_cached(
        "SELECT l.position, s.name, s.kind, l.role FROM claim_links l
         JOIN sources s ON s.id = l.source_id WHERE l.claim_id = ?1 ORDER BY l.position",
    )?
    .query_map([claim_id], |r| {
        Ok((
            r.get(0)?,
            Named {
                name: r.get(1)?,
                kind: super::read::vocabulary(r, 2)?,
                role: Some(super::read::vocabulary(r, 3)?),
            },
        ))
    })?
    .collect()
}

/// Sets the claim's fields to the `to` values of `changes`.
fn apply(tx: &Transaction, claim_id: i64, changes: &Changes, now: &str) -> rusqlite::Result<()> {
    if let Some(c) = &changes.text {
        tx.prepare_cached("UPDATE claims SET text = ?1 WHERE id = ?2")?
            .execute(params![c.to, claim_id])?;
    }
    if let Some(c) = &changes.kind {
        tx.prepare_cached("UPDATE claims SET kind = ?1 WHERE id = ?2")?
            .execute(params![c.to.as_str(), claim_id])?;
    }
    if let Some(c) = &changes.certainty {
        tx.prepare_cached("UPDATE claims SET certainty = ?1 WHERE id = ?2")?
            .execute(params![c.to.as_str(), claim_id])?;
    }
    if let Some(c) = &changes.rejected {
        tx.prepare_cached("UPDATE claims SET rejected = ?1 WHERE id = ?2")?
            .execute(params![c.to as i64, claim_id])?;
    }
    if let Some(c) = &changes.chain {
        let links = chain(tx, claim_id)?;
        let keep_publisher = links
            .first()
            .is_some_and(|(_, n)| n.role == Some(Role::Publisher));
        let first = i64::from(keep_publisher);
        tx.prepare_cached("DELETE FROM claim_links WHERE claim_id = ?1 AND position >= ?2")?
            .execute(params![claim_id, first])?;
        for (i, named) in c.to.iter().enumerate() {
            let source = source_id(tx, &named.name, named.kind, now)?;
            let role = named.role.unwrap_or(Role::Relay);
            tx.prepare_cached(INSERT_LINK)?.execute(params![
                claim_id,
                first + i as i64,
                source,
                role.as_str(),
                Option::<String>::None,
                Option::<i64>::None,
                Option::<i64>::None,
                Option::<i64>::None,
            ])?;
        }
    }
    if let Some(c) = &changes.speaker {
        let links = chain(tx, claim_id)?;
        let source = source_id(tx, &c.to.name, c.to.kind, now)?;
        match links
            .iter()
            .rev()
            .find(|(_, n)| n.role != Some(Role::Publisher))
        {
            // The mention span pointed at the name the text gave, which is not this one.
            Some((position, _)) => {
                tx.prepare_cached(
                    "UPDATE claim_links SET source_id = ?1, mention_start = NULL,
                         mention_end = NULL
                     WHERE claim_id = ?2 AND position = ?3",
                )?
                .execute(params![source, claim_id, position])?;
            }
            None => {
                let position = links.last().map_or(0, |(p, _)| p + 1);
                tx.prepare_cached(INSERT_LINK)?.execute(params![
                    claim_id,
                    position,
                    source,
                    Role::Speaker.as_str(),
                    Option::<String>::None,
                    Option::<i64>::None,
                    Option::<i64>::None,
                    Option::<i64>::None,
                ])?;
            }
        }
    }
    Ok(())
}

enum Resolve {
    Sql(rusqlite::Error),
    Bad(String),
}

impl From<rusqlite::Error> for Resolve {
    fn from(e: rusqlite::Error) -> Self {
        Resolve::Sql(e)
    }
}

/// The kind of a source named in a correction: as given; else the kind of the one source of
/// that name the store knows (or merged away); else `fallback`, or a message asking for it.
fn resolve_kind(
    tx: &Transaction,
    n: &SourceName,
    fallback: Option<SourceKind>,
) -> Result<SourceKind, Resolve> {
    let name = clean(&n.name);
    if name.is_empty() {
        return Err(Resolve::Bad("a source name cannot be empty".into()));
    }
    if let Some(kind) = n.kind {
        return Ok(kind);
    }
    let kinds: Vec<String> = tx
        .prepare_cached(
            "SELECT kind FROM sources WHERE name = ?1
             UNION SELECT kind FROM source_merges WHERE name = ?1 ORDER BY 1",
        )?
        .query_map([&name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match kinds.as_slice() {
        [one] => Ok(one.parse().map_err(Resolve::Bad)?),
        [] => fallback.ok_or_else(|| {
            Resolve::Bad(format!(
                "no source named '{}' in the store: give its kind, as '{} (document)'",
                crate::terminal::shorten(&name),
                crate::terminal::shorten(&name)
            ))
        }),
        several => Err(Resolve::Bad(format!(
            "'{}' names several sources ({}): say which, as '{} ({})'",
            crate::terminal::shorten(&name),
            several.join(", "),
            crate::terminal::shorten(&name),
            several[0]
        ))),
    }
}

/// The id of the source (name, kind), through merges; created when the store has none.
pub(super) fn source_id(
    tx: &Transaction,
    name: &str,
    kind: SourceKind,
    now: &str,
) -> rusqlite::Result<i64> {
    let merged: Option<i64> = tx
        .prepare_cached("SELECT source_id FROM source_merges WHERE name = ?1 AND kind = ?2")?
        .query_row(params![name, kind.as_str()], |r| r.get(0))
        .optional()?;
    if let Some(id) = merged {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO sources (name, kind, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name, kind) DO NOTHING",
    )?
    .execute(params![name, kind.as_str(), now])?;
    tx.prepare_cached("SELECT id FROM sources WHERE name = ?1 AND kind = ?2")?
        .query_row(params![name, kind.as_str()], |r| r.get(0))
}

/// A name as stored: trimmed, inner whitespace made one space.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Jane Doe (person)" → the name and the kind; a name without a kind in parentheses at its
/// end is taken whole.
pub fn parse_source_name(s: &str) -> Result<SourceName, String> {
    let s = s.trim();
    if let Some(open) = s.rfind('(')
        && let Some(inner) = s[open + 1..].strip_suffix(')')
        && let Ok(kind) = inner.trim().parse::<SourceKind>()
    {
        let name = clean(&s[..open]);
        if name.is_empty() {
            return Err(format!("no name before '({inner})'"));
        }
        return Ok(SourceName {
            name,
            kind: Some(kind),
        });
    }
    if clean(s).is_empty() {
        return Err("a source name cannot be empty".into());
    }
    Ok(SourceName {
        name: clean(s),
        kind: None,
    })
}

/// "Bloomberg > recording of the call (document) > Steve Witkoff": the chain's names in
/// order, speaker last.
pub fn parse_chain(s: &str) -> Result<Vec<SourceName>, String> {
    s.split('>').map(parse_source_name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_in_parentheses_is_taken_and_the_rest_is_the_name() {
        let n = parse_source_name(" Jane  Doe (person) ").unwrap();
        assert_eq!(n.name, "Jane Doe");
        assert_eq!(n.kind, Some(SourceKind::Person));
        // Not a kind: part of the name.
        let n = parse_source_name("Party (Left)").unwrap();
        assert_eq!(n.name, "Party (Left)");
        assert_eq!(n.kind, None);
        let chain = parse_chain("Bloomberg > call record (document) > Witkoff").unwrap();
        assert_eq!(chain.len(), 3);
        assert_eq!(chain[1].kind, Some(SourceKind::Document));
        assert!(parse_chain("Bloomberg > > Witkoff").is_err());
    }
}
