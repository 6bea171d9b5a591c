//! Searching the index: free text ranked by BM25 over the claim and its sentence, exact-term
//! filters that never change the score, and three orders (relevance, newest first, riskiest
//! first).
//!
//! Filters hold canonical names: what the user typed is resolved through the store (aliases,
//! case) by the command line before it gets here. Within one filter the values are
//! alternatives (`--outlet A --outlet B`: either); different filters must all hold. Each
//! filter is a boolean query wrapped in a [`ConstScoreQuery`] of score 0, so the ranking is
//! the free text's BM25 alone.

use super::schema::{Fields, days, exact};
use super::{IndexError, SearchIndex, tantivy_error};
use crate::model::{Certainty, ClaimKind, Status};
use chrono::NaiveDate;
use std::ops::{Bound, Range};
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, TantivyDocument, Term};

/// What must hold of every claim found. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Canonical outlet names: the claim's publisher or an outlet of its chain is one of them.
    pub outlets: Vec<String>,
    /// Canonical source names: a source of the chain is one of them.
    pub sources: Vec<String>,
    /// Canonical source names: the original speaker is one of them.
    pub speakers: Vec<String>,
    pub statuses: Vec<Status>,
    pub certainties: Vec<Certainty>,
    pub kinds: Vec<ClaimKind>,
    /// Kinds left out (`--kind -assertion`), whatever `kinds` says.
    pub exclude_kinds: Vec<ClaimKind>,
    /// Published on or after.
    pub since: Option<NaiveDate>,
    /// Published on or before.
    pub until: Option<NaiveDate>,
    /// Whether claims the latest extraction of their article no longer finds are found.
    pub orphaned: Orphans,
    /// Whether claims a fact-checker marked as not a claim are found (never by default).
    pub include_rejected: bool,
    /// Only claims that say what a fact-check already judged (`--checked`).
    pub checked: bool,
    /// Only claims whose risk score ([`super::risk`]) is at least this.
    pub min_risk: Option<u32>,
}

/// Which orphaned claims (no longer found by the latest extraction of their article, kept
/// with their chain and verdicts) a search finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Orphans {
    /// Orphaned claims as well as the others: the default, so that a judged claim never
    /// vanishes from a listing because the extractor changed.
    #[default]
    Include,
    /// Only claims the latest extraction finds.
    Exclude,
    /// Only orphaned claims.
    Only,
}

/// How the claims found are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// By BM25 of the free text (newest first without one).
    Relevance,
    /// Newest article first, then the newest claim.
    Newest,
    /// Riskiest first (see [`super::risk`]), then newest.
    Risk,
}

/// One claim found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    /// The BM25 score, when ranked by relevance.
    pub score: Option<f32>,
    /// Byte ranges of the claim text that match the free text, in order.
    pub highlights: Vec<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// At most the limit asked for, best first.
    pub hits: Vec<Hit>,
    /// How many claims match in all.
    pub total: usize,
}

/// How a ranked text search finds its best hits. Both give the same hits and total (the
/// end-to-end benchmark and its CI smoke run compare them on every query).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Plan {
    /// The free text searched bare, so tantivy can skip blocks that cannot enter the top
    /// (block-max WAND prunes only a bare term query, a union or an intersection of terms:
    /// never a query with filter or exclusion clauses, and never alongside a `Count`), the
    /// filters checked on the few hits it returns, the total counted in a second pass.
    #[default]
    Pruned,
    /// One query with every clause, scoring every hit: the reference.
    Exhaustive,
}

/// How many more hits than asked a pruned search fetches first: a few claims of every page
/// are orphaned, rejected or removed, and filtered away after the fact.
const PRUNE_SLACK: usize = 16;
/// Past this many bare hits to fetch, a filter that keeps few of them is searched as one
/// query instead: an intersection with a rare filter value is cheap to score in full.
const PRUNE_CAP: usize = 1024;

impl SearchIndex {
    /// Finds the claims matching `text` (free words, "phrases"; `None` or blank for all) and
    /// `filters`, ordered by `ranking`, at most `limit` (at least 1).
    pub fn search(
        &self,
        text: Option<&str>,
        filters: &Filters,
        ranking: Ranking,
        limit: usize,
    ) -> Result<SearchResult, IndexError> {
        self.search_with(text, filters, ranking, limit, Plan::Pruned)
    }

    /// [`SearchIndex::search`] by the given plan.
    pub fn search_with(
        &self,
        text: Option<&str>,
        filters: &Filters,
        ranking: Ranking,
        limit: usize,
        plan: Plan,
    ) -> Result<SearchResult, IndexError> {
        let (index, reader, fields, dir) = self.parts();
        let err = |e| tantivy_error(dir, e);
        let Compiled {
            text: text_query,
            query,
            conditions,
        } = compile(index, fields, text, filters)?;

        let searcher = reader.searcher();
        let limit = limit.max(1);
        let newest = (
            (
                SortByStaticFastValue::<i64>::for_field("published"),
                tantivy::Order::Desc,
            ),
            (
                SortByStaticFastValue::<u64>::for_field("id"),
                tantivy::Order::Desc,
            ),
        );
        let (addresses, total): (Vec<(Option<f32>, DocAddress)>, usize) =
            match (ranking, &text_query) {
                (Ranking::Relevance, Some(text_query))
                    if plan == Plan::Pruned
                        && prunable(text_query.as_ref())
                        && pass_rate(&searcher, fields, filters).map_err(err)? >= MIN_PASS_RATE =>
                {
                    let total = searcher.search(&query, &Count).map_err(err)?;
                    let top = if total == 0 {
                        Vec::new()
                    } else {
                        pruned_top(&searcher, text_query, &query, &conditions, limit, total)
                            .map_err(err)?
                    };
                    (top.into_iter().map(|(s, a)| (Some(s), a)).collect(), total)
                }
                (Ranking::Relevance, Some(_)) => {
                    let (top, total) = searcher
                        .search(
                            &query,
                            &(TopDocs::with_limit(limit).order_by_score(), Count),
                        )
                        .map_err(err)?;
                    (top.into_iter().map(|(s, a)| (Some(s), a)).collect(), total)
                }
                (Ranking::Relevance | Ranking::Newest, _) => {
                    let (top, total) = searcher
                        .search(
                            &query,
                            &(TopDocs::with_limit(limit).order_by(newest), Count),
                        )
                        .map_err(err)?;
                    (top.into_iter().map(|(_, a)| (None, a)).collect(), total)
                }
                (Ranking::Risk, _) => {
                    let by_risk = (
                        (
                            SortByStaticFastValue::<u64>::for_field("risk"),
                            tantivy::Order::Desc,
                        ),
                        newest,
                    );
                    let (top, total) = searcher
                        .search(
                            &query,
                            &(TopDocs::with_limit(limit).order_by(by_risk), Count),
                        )
                        .map_err(err)?;
                    (top.into_iter().map(|(_, a)| (None, a)).collect(), total)
                }
            };

        let snippets = match &text_query {
            Some(q) => {
                // The words of the query, as the index holds them, marked in the claim
                // (which is analysed as `words` is), the rarer the better.
                let mut terms = std::collections::BTreeMap::new();
                let mut failed = None;
                q.query_terms(&mut |term, _| {
                    if let Some(word) = term.value().as_str() {
                        match searcher.doc_freq(term) {
                            Ok(0) => {}
                            Ok(n) => {
                                terms.insert(word.to_string(), 1.0 / (1.0 + n as f32));
                            }
                            Err(e) => failed = Some(e),
                        }
                    }
                });
                if let Some(e) = failed {
                    return Err(err(e));
                }
                let analyzer = index.tokenizer_for_field(fields.words).map_err(err)?;
                // One fragment holding the whole claim: highlights anywhere in it.
                Some(SnippetGenerator::new(
                    terms,
                    analyzer,
                    fields.text,
                    usize::MAX / 2,
                ))
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(err)?;
            let Some(id) = doc.get_first(fields.id).and_then(|v| v.as_u64()) else {
                continue;
            };
            let highlights = match (
                &snippets,
                doc.get_first(fields.text).and_then(|v| v.as_str()),
            ) {
                (Some(g), Some(text)) => {
                    let snippet = g.snippet(text);
                    let start = snippet.fragment_range().start;
                    snippet
                        .highlighted()
                        .iter()
                        .map(|r| r.start + start..r.end + start)
                        .collect()
                }
                _ => Vec::new(),
            };
            hits.push(Hit {
                id: id as i64,
                score,
                highlights,
            });
        }
        Ok(SearchResult { hits, total })
    }
}

/// A search taken apart: the free text alone (`None` for every claim), the whole query (the
/// text and every filter and exclusion), and the conditions besides the text.
pub(super) struct Compiled {
    pub text: Option<Box<dyn Query>>,
    pub query: BooleanQuery,
    pub conditions: BooleanQuery,
}

/// Parses the free text and builds the clauses of `filters` (see [`Compiled`]).
pub(super) fn compile(
    index: &tantivy::Index,
    fields: &Fields,
    text: Option<&str>,
    filters: &Filters,
) -> Result<Compiled, IndexError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let text_query = match text {
        Some(t) => {
            let mut parser = QueryParser::for_index(index, vec![fields.words]);
            parser.set_conjunction_by_default();
            Some(parser.parse_query(t).map_err(|e| IndexError::Query {
                message: format!(
                    "cannot read the query '{}': {}",
                    crate::terminal::shorten(t),
                    crate::terminal::shorten(&e.to_string())
                ),
            })?)
        }
        None => None,
    };
    // The clauses besides the free text: what every hit must also satisfy.
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for filter in filter_queries(fields, filters) {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    match filters.orphaned {
        Orphans::Include => {}
        Orphans::Exclude => clauses.push((Occur::MustNot, term(fields.orphaned, "1"))),
        Orphans::Only => clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(term(fields.orphaned, "1"), 0.0)),
        )),
    }
    for kind in &filters.exclude_kinds {
        clauses.push((Occur::MustNot, term(fields.kind, &exact(kind.as_str()))));
    }
    if !filters.include_rejected {
        clauses.push((Occur::MustNot, term(fields.rejected, "1")));
    }
    if filters.checked {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(term(fields.checked, "1"), 0.0)),
        ));
    }
    // An article taken out (`claimtrail remove`) is out of every search.
    clauses.push((Occur::MustNot, term(fields.removed, "1")));
    let conditions = {
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
        )];
        all.extend(clauses.iter().map(|(o, q)| (*o, q.box_clone())));
        BooleanQuery::new(all)
    };
    clauses.insert(
        0,
        match &text_query {
            Some(q) => (Occur::Must, q.box_clone()),
            None => (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
            ),
        },
    );
    let query = BooleanQuery::new(clauses);
    Ok(Compiled {
        text: text_query,
        query,
        conditions,
    })
}

/// The best `limit` hits of `query` (the free text and `conditions`), found by searching the
/// free text bare and keeping the hits that satisfy `conditions`, fetching more while too
/// few do. The bare search ranks by the same BM25 (a filter clause adds a score of 0) and
/// breaks ties the same way, so the first `limit` kept are exactly the full query's top.
fn pruned_top(
    searcher: &tantivy::Searcher,
    text: &dyn Query,
    query: &dyn Query,
    conditions: &dyn Query,
    limit: usize,
    total: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let weight = conditions.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    let want = limit.min(total);
    let mut fetch = limit + PRUNE_SLACK;
    loop {
        let top = searcher.search(text, &TopDocs::with_limit(fetch).order_by_score())?;
        let exhausted = top.len() < fetch;
        let kept = satisfying(searcher, weight.as_ref(), top)?;
        if kept.len() >= want || exhausted {
            return Ok(kept.into_iter().take(limit).collect());
        }
        // How many bare hits would hold enough that pass, at the rate these passed, with
        // half again for luck. A selective filter (an outlet among dozens) needs more than
        // pruning saves: its intersection with the text is cheap to score in full, led by
        // the filter's short posting list.
        let needed = (want * fetch * 3 / (2 * kept.len().max(1))).max(fetch * 2);
        if needed > PRUNE_CAP.min(8 * fetch) {
            return searcher.search(query, &TopDocs::with_limit(limit).order_by_score());
        }
        fetch = needed;
    }
}

/// Below this share of the claims passing the filters, a search is one query: so few bare
/// hits pass that fetching enough of them costs more than scoring the filter's intersection
/// with the text, led by the filter's short posting lists.
const MIN_PASS_RATE: f64 = 0.125;

/// The share of all claims the exact-term filters let through, each filter's share from its
/// terms' document frequencies (values of one filter add up, filters multiply, as if they
/// were independent). Ranges (dates, risk) and the exclusions count as letting everything
/// through: they are rarely selective, and a wrong guess costs a fallback, not a wrong hit.
fn pass_rate(searcher: &tantivy::Searcher, f: &Fields, filters: &Filters) -> tantivy::Result<f64> {
    let docs = searcher.num_docs().max(1) as f64;
    let share = |field: Field, values: &mut dyn Iterator<Item = &str>| -> tantivy::Result<f64> {
        let mut n = 0u64;
        for v in values {
            n += searcher.doc_freq(&Term::from_field_text(field, &exact(v)))?;
        }
        Ok((n as f64 / docs).min(1.0))
    };
    let mut rate = 1.0;
    let lists: [(Field, Vec<&str>); 6] = [
        (
            f.outlet,
            filters.outlets.iter().map(String::as_str).collect(),
        ),
        (
            f.source,
            filters.sources.iter().map(String::as_str).collect(),
        ),
        (
            f.speaker,
            filters.speakers.iter().map(String::as_str).collect(),
        ),
        (
            f.status,
            filters.statuses.iter().map(|s| s.as_str()).collect(),
        ),
        (
            f.certainty,
            filters.certainties.iter().map(|c| c.as_str()).collect(),
        ),
        (f.kind, filters.kinds.iter().map(|k| k.as_str()).collect()),
    ];
    for (field, values) in lists {
        if !values.is_empty() {
            rate *= share(field, &mut values.into_iter())?;
        }
    }
    if filters.checked {
        rate *= share(f.checked, &mut std::iter::once("1"))?;
    }
    if filters.orphaned == Orphans::Only {
        rate *= share(f.orphaned, &mut std::iter::once("1"))?;
    }
    Ok(rate)
}

/// Whether tantivy can prune `q` searched bare with `TopDocs`: a term, or a union or an
/// intersection of terms (block-max WAND). A phrase is scored at every match whatever the
/// collector, and searching it twice (hits, then the count) would only cost.
fn prunable(q: &dyn Query) -> bool {
    if q.downcast_ref::<TermQuery>().is_some() {
        return true;
    }
    q.downcast_ref::<BooleanQuery>().is_some_and(|b| {
        b.clauses()
            .iter()
            .all(|(occur, c)| *occur != Occur::MustNot && c.downcast_ref::<TermQuery>().is_some())
    })
}

/// The hits, in their order, that `weight` matches: one pass per segment over its doc set,
/// seeking from hit to hit in doc order.
fn satisfying(
    searcher: &tantivy::Searcher,
    weight: &dyn tantivy::query::Weight,
    hits: Vec<(f32, DocAddress)>,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    use tantivy::DocSet;
    let mut by_segment: Vec<(u32, u32, usize)> = hits
        .iter()
        .enumerate()
        .map(|(i, (_, a))| (a.segment_ord, a.doc_id, i))
        .collect();
    by_segment.sort_unstable();
    let mut keep = vec![false; hits.len()];
    let mut k = 0;
    while k < by_segment.len() {
        let segment = by_segment[k].0;
        let mut docs = weight.scorer(searcher.segment_reader(segment), 1.0)?;
        while k < by_segment.len() && by_segment[k].0 == segment {
            let (_, doc, i) = by_segment[k];
            if docs.doc() < doc {
                docs.seek(doc);
            }
            keep[i] = docs.doc() == doc;
            k += 1;
        }
    }
    Ok(hits
        .into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect())
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// Any of `values` in `field`, or `None` when there is nothing to filter on.
fn any_of<'a>(field: Field, values: impl IntoIterator<Item = &'a str>) -> Option<Box<dyn Query>> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = values
        .into_iter()
        .map(|v| (Occur::Should, term(field, &exact(v))))
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

fn filter_queries(f: &Fields, filters: &Filters) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    out.extend(any_of(f.outlet, filters.outlets.iter().map(String::as_str)));
    out.extend(any_of(f.source, filters.sources.iter().map(String::as_str)));
    out.extend(any_of(
        f.speaker,
        filters.speakers.iter().map(String::as_str),
    ));
    out.extend(any_of(
        f.status,
        filters.statuses.iter().map(|s| s.as_str()),
    ));
    out.extend(any_of(
        f.certainty,
        filters.certainties.iter().map(|c| c.as_str()),
    ));
    out.extend(any_of(f.kind, filters.kinds.iter().map(|k| k.as_str())));
    if let Some(min) = filters.min_risk {
        out.push(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.risk, u64::from(min))),
            Bound::Unbounded,
        )));
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |d: Option<NaiveDate>| match d {
            Some(d) => Bound::Included(Term::from_field_i64(f.published, days(d))),
            None => Bound::Unbounded,
        };
        let mut range = RangeQuery::new(bound(filters.since), bound(filters.until));
        if filters.since.is_none() {
            // An unbounded start must still require a date: unknown dates match no range.
            range = RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.published, i64::MIN)),
                bound(filters.until),
            );
        }
        out.push(Box::new(range));
    }
    out
}
