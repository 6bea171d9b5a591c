//! Selecting claims as `search`, `unconfirmed`, `verify --query` and `report` do: reading
//! the QUERY, resolving it and the filter flags into index filters, and listing every
//! matching claim. In the QUERY, field terms (`outlet:Bloomberg`,
//! `source:"Steve Witkoff"`) become filters, the free words and "phrases" left go to the
//! index's query parser. Field terms are taken here rather than by tantivy so that names
//! with spaces can be quoted and resolve through aliases like the flags do.

use super::args::{KindArg, SelectArgs, parse_date_arg, parse_kind_arg};
use crate::error::Error;
use crate::index::{Filters, Ranking, SearchIndex};
use crate::model::{Certainty, SourceKind, Status};
use crate::store::Store;
use crate::terminal::shorten;
use chrono::NaiveDate;

/// The fields a QUERY may name.
const FIELDS: &str = "outlet, source, speaker, status, certainty, kind, since, until";

/// A QUERY taken apart.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Query {
    /// Free words and "phrases", for the index.
    pub text: String,
    pub outlets: Vec<String>,
    pub sources: Vec<String>,
    pub speakers: Vec<String>,
    pub statuses: Vec<Status>,
    pub certainties: Vec<Certainty>,
    pub kinds: Vec<KindArg>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Splits `query` into free text and field terms; the error is one line naming the problem.
pub(crate) fn parse(query: &str) -> Result<Query, String> {
    let mut q = Query::default();
    let mut free: Vec<String> = Vec::new();
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        // One term: up to whitespace outside quotes.
        let start = i;
        let mut quote_at: Option<usize> = None;
        while i < chars.len() && (quote_at.is_some() || !chars[i].is_whitespace()) {
            if chars[i] == '"' {
                quote_at = if quote_at.is_some() { None } else { Some(i) };
            }
            i += 1;
        }
        if let Some(at) = quote_at {
            let shown: String = chars[at..].iter().take(30).collect();
            return Err(format!(
                "unbalanced quote in the query at character {} ({shown}): close it with \"",
                at + 1
            ));
        }
        let term: String = chars[start..i].iter().collect();
        match field_term(&term) {
            Some((field, value)) => q.add(&field, &value)?,
            None => free.push(term),
        }
    }
    q.text = free.join(" ");
    Ok(q)
}

/// `name:value` with a name of letters (or `_`) and a value, quotes removed; `None` for a
/// free word or phrase (which may hold colons: "10:30", a quoted "a:b").
fn field_term(term: &str) -> Option<(String, String)> {
    let (name, value) = term.split_once(':')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let value = value.strip_prefix('"').unwrap_or(value);
    let value = value.strip_suffix('"').unwrap_or(value);
    Some((name.to_ascii_lowercase(), value.to_string()))
}

/// The index filters of a parsed QUERY and the filter flags, names resolved through the
/// store (aliases, case). A name the store does not know is [`Error::NothingFound`]: no
/// claim can match it.
pub(crate) fn filters(
    store: &Store,
    query: &Query,
    select: &SelectArgs,
    statuses: Vec<Status>,
) -> Result<Filters, Error> {
    let resolve =
        |names: &[String], kind: Option<SourceKind>, what: &str| -> Result<Vec<String>, Error> {
            let mut out = Vec::new();
            for name in names {
                let found = store.resolve_source(name, kind)?;
                if found.is_empty() {
                    return Err(Error::NothingFound(format!(
                        "no {what} named '{}' in the store, so no claim matches",
                        shorten(name)
                    )));
                }
                out.extend(found);
            }
            Ok(out)
        };
    let outlets: Vec<String> = select
        .outlet
        .iter()
        .chain(&query.outlets)
        .cloned()
        .collect();
    let sources: Vec<String> = select
        .source
        .iter()
        .chain(&query.sources)
        .cloned()
        .collect();
    let speakers: Vec<String> = select
        .speaker
        .iter()
        .chain(&query.speakers)
        .cloned()
        .collect();
    let kinds: Vec<KindArg> = select.kind.iter().chain(&query.kinds).copied().collect();
    Ok(Filters {
        outlets: resolve(&outlets, Some(SourceKind::Outlet), "outlet")?,
        sources: resolve(&sources, None, "source")?,
        speakers: resolve(&speakers, None, "speaker")?,
        statuses,
        certainties: select
            .certainty
            .iter()
            .chain(&query.certainties)
            .copied()
            .collect(),
        kinds: kinds
            .iter()
            .filter(|k| !k.negated)
            .map(|k| k.kind)
            .collect(),
        exclude_kinds: kinds.iter().filter(|k| k.negated).map(|k| k.kind).collect(),
        since: select.since.or(query.since),
        until: select.until.or(query.until),
        orphaned: select.orphaned.map(Into::into).unwrap_or_default(),
        include_rejected: select.include_rejected,
        checked: select.checked,
        min_risk: None,
    })
}

/// The ids of every claim matching the free text of `query` and `filters`, in id order
/// (commands that act on all of them, not a ranked page of them).
pub(crate) fn all_ids(
    index: &SearchIndex,
    query: &Query,
    filters: &Filters,
) -> Result<Vec<i64>, Error> {
    let text = Some(query.text.as_str());
    let total = index.search(text, filters, Ranking::Newest, 1)?.total;
    if total == 0 {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = index
        .search(text, filters, Ranking::Newest, total)?
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

impl Query {
    fn add(&mut self, field: &str, value: &str) -> Result<(), String> {
        if value.trim().is_empty() && FIELDS.split(", ").any(|f| f == field) {
            return Err(format!("'{}:' in the query has no value", shorten(field)));
        }
        match field {
            "outlet" => self.outlets.push(value.to_string()),
            "source" => self.sources.push(value.to_string()),
            "speaker" => self.speakers.push(value.to_string()),
            "status" => self.statuses.push(value.parse()?),
            "certainty" => self.certainties.push(value.parse()?),
            "kind" => self.kinds.push(parse_kind_arg(value)?),
            "since" => self.since = Some(parse_date_arg(value)?),
            "until" => self.until = Some(parse_date_arg(value)?),
            other => {
                return Err(format!(
                    "unknown field '{}' in the query (fields: {FIELDS})",
                    shorten(other)
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_terms_are_filters_and_the_rest_is_free_text() {
        let q = parse(r#"peace "20-point plan" outlet:Bloomberg source:"Steve Witkoff" status:unverified at 10:30"#)
            .unwrap();
        assert_eq!(q.text, r#"peace "20-point plan" at 10:30"#);
        assert_eq!(q.outlets, ["Bloomberg"]);
        assert_eq!(q.sources, ["Steve Witkoff"]);
        assert_eq!(q.statuses, [Status::Unverified]);
    }

    #[test]
    fn bad_queries_name_the_problem() {
        let e = parse(r#"peace "plan"#).unwrap_err();
        assert!(
            e.starts_with("unbalanced quote in the query at character 7"),
            "{e}"
        );
        let e = parse("colour:red").unwrap_err();
        assert!(e.starts_with("unknown field 'colour'"), "{e}");
        let e = parse("status:maybe").unwrap_err();
        assert!(e.contains("allowed: unverified, confirmed"), "{e}");
        let e = parse("since:yesterday").unwrap_err();
        assert!(e.contains("accepted: YYYY-MM-DD"), "{e}");
    }
}
