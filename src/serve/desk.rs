//! What the web desk shows and does, as data: every page and every API answer is one of
//! these functions over the store and the index, and both the HTML pages and the JSON API
//! render their result. They go through the same library calls as the commands (the
//! command line's query language and filter resolution, [`Store::record_verdicts`],
//! [`Store::correct_claim`], [`crate::report::build`]): nothing here is a second
//! implementation of search, verdicts or reports.
//!
//! Each function is blocking (SQLite, tantivy) and runs on tokio's blocking pool.

use crate::cli::args::{SelectArgs, parse_date_arg, parse_kind_arg};
use crate::cli::query;
use crate::clock::Clock;
use crate::error::Error;
use crate::index::facets::FacetCount;
use crate::index::{Ranking, SearchIndex};
use crate::model::{ArticleMeta, Certainty, ClaimKind, Link, SourceKind, Status};
use crate::store::corrections::parse_source_name;
use crate::store::{Corrected, NewCorrection, NewVerdict, Outcome, Skip, Store, StoryChange};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use utoipa::{IntoParams, ToSchema};

/// Claims on one page of results, unless asked otherwise.
pub const PER_PAGE: usize = 20;
/// At most this many claims on one page.
pub const MAX_PER_PAGE: usize = 100;
/// How deep paging goes: the index ranks the first `page × per page` hits for each page.
pub const MAX_PAGE: usize = 500;
/// Values listed per facet.
const FACET_SIZE: usize = 12;

/// The store the desk serves, its clock, and what is worth keeping between requests: read
/// connections, and the open index with the database generation it reflects (reopened as
/// soon as the database is newer, so nothing is served from past the last write).
pub struct Desk {
    db: PathBuf,
    clock: Clock,
    readers: Mutex<Vec<Store>>,
    index: Mutex<Option<(i64, Arc<SearchIndex>)>>,
    /// Held while the index is reloaded or opened: when a write moves the database on,
    /// one request brings the index up and the others wait for it, rather than all of them
    /// reloading it at once.
    refresh: Mutex<()>,
}

/// A read connection lent by the desk, given back when dropped.
struct Reader<'a> {
    desk: &'a Desk,
    store: Option<Store>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store.as_ref().expect("held until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let (Some(store), Ok(mut pool)) = (self.store.take(), self.desk.readers.lock())
            && pool.len() < 16
        {
            pool.push(store);
        }
    }
}

impl Desk {
    /// The desk of the store folder `db`, which is opened (created or migrated) once here so
    /// that a wrong folder fails at start, not at the first request.
    pub fn open(db: PathBuf, clock: Clock) -> Result<Desk, Error> {
        let store = Store::open(&db)?.with_clock(clock);
        // The index is built or caught up before the first page, not during it.
        let index = SearchIndex::open(&store)?;
        drop(index);
        Ok(Desk {
            db,
            clock,
            readers: Mutex::new(Vec::new()),
            index: Mutex::new(None),
            refresh: Mutex::new(()),
        })
    }

    pub fn db(&self) -> &std::path::Path {
        &self.db
    }

    fn reader(&self) -> Result<Reader<'_>, Error> {
        let pooled = self.readers.lock().ok().and_then(|mut p| p.pop());
        let store = match pooled {
            Some(s) => s,
            None => Store::open_for_reading(&self.db)?.with_clock(self.clock),
        };
        Ok(Reader {
            desk: self,
            store: Some(store),
        })
    }

    /// The index, at least as new as the database is now: the one kept, reloaded to its
    /// latest commit when the database moved on (a writer of this process or another
    /// indexes what it commits), else opened again, which catches it up.
    fn index(&self, store: &Store) -> Result<Arc<SearchIndex>, Error> {
        let generation = store.generation()?;
        let current = || {
            self.index
                .lock()
                .ok()
                .and_then(|c| c.clone())
                .filter(|(at, _)| *at >= generation)
        };
        if let Some((_, index)) = current() {
            return Ok(index);
        }
        let _refreshing = self.refresh.lock();
        // Another request may have brought it up while this one waited.
        if let Some((_, index)) = current() {
            return Ok(index);
        }
        let cached = self.index.lock().ok().and_then(|c| c.clone());
        if let Some((_, index)) = cached
            && let Ok(now) = index.reload()
            && now >= generation
        {
            if let Ok(mut c) = self.index.lock() {
                *c = Some((now, index.clone()));
            }
            return Ok(index);
        }
        let index = crate::cli::sync::open_for_reading(store)?;
        // Left behind (another process holds the writer), it is searched as it stands and
        // not kept: the next request opens it again.
        let reached = index.sync().reached();
        let index = Arc::new(index);
        if let (Some(at), Ok(mut cached)) = (reached, self.index.lock()) {
            *cached = Some((at, index.clone()));
        }
        Ok(index)
    }

    /// A store to write with: its own connection, never one of the readers.
    fn writer(&self) -> Result<Store, Error> {
        Ok(Store::open(&self.db)?.with_clock(self.clock))
    }
}

/// A search as the desk's URL holds it: the command line's query language in `q` (free
/// words, "phrases", field terms such as `outlet:Bloomberg`) and one value per facet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Free text and field terms, as `claimtrail search` reads them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// An outlet: the publisher or an outlet of the chain (any alias or case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// A source anywhere in the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The original speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// A verdict status (unverified, confirmed, disputed, false, unconfirmable, retracted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A certainty (certain, probable, possible, unconfirmed, denied, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<String>,
    /// A claim kind, or `-kind` to leave one out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Published on or after (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Published on or before (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only the appearances of the story of this claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<i64>,
    /// The page, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(minimum = 1, maximum = 500)]
    #[schema(minimum = 1, maximum = 500)]
    pub page: Option<usize>,
    /// Claims per page (1 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(minimum = 1, maximum = 100)]
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: Option<usize>,
}

impl SearchParams {
    /// The same search with one facet set (or cleared with `None`), from the first page.
    pub fn with(&self, facet: &str, value: Option<String>) -> SearchParams {
        let mut p = self.clone();
        p.page = None;
        match facet {
            "outlet" => p.outlet = value,
            "source" => p.source = value,
            "speaker" => p.speaker = value,
            "status" => p.status = value,
            "certainty" => p.certainty = value,
            "kind" => p.kind = value,
            _ => {}
        }
        p
    }

    /// The query string of this search (empty fields left out), for links.
    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn blank(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// The selection as the command line's flags, each value checked as they check it: the
    /// parsed query, the filter flags, and the `--status` flags (which the query's own
    /// `status:` terms add to).
    fn select(&self) -> Result<(query::Query, SelectArgs, Vec<Status>), Error> {
        let q = query::parse(Self::blank(&self.q).unwrap_or("")).map_err(Error::Usage)?;
        let mut select = SelectArgs::default();
        if let Some(v) = Self::blank(&self.outlet) {
            select.outlet.push(v.to_string());
        }
        if let Some(v) = Self::blank(&self.source) {
            select.source.push(v.to_string());
        }
        select.speaker = Self::blank(&self.speaker).map(str::to_string);
        let mut statuses = Vec::new();
        if let Some(v) = Self::blank(&self.status) {
            statuses.push(v.parse::<Status>().map_err(Error::Usage)?);
        }
        if let Some(v) = Self::blank(&self.certainty) {
            select
                .certainty
                .push(v.parse::<Certainty>().map_err(Error::Usage)?);
        }
        if let Some(v) = Self::blank(&self.kind) {
            select.kind.push(parse_kind_arg(v).map_err(Error::Usage)?);
        }
        if let Some(v) = Self::blank(&self.since) {
            select.since = Some(parse_date_arg(v).map_err(Error::Usage)?);
        }
        if let Some(v) = Self::blank(&self.until) {
            select.until = Some(parse_date_arg(v).map_err(Error::Usage)?);
        }
        Ok((q, select, statuses))
    }

    fn paging(&self) -> Result<(usize, usize), Error> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(PER_PAGE);
        if page == 0 || page > MAX_PAGE {
            return Err(Error::Usage(format!("page must be 1 to {MAX_PAGE}")));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(Error::Usage(format!(
                "per_page must be 1 to {MAX_PER_PAGE}"
            )));
        }
        Ok((page, per_page))
    }
}

/// One claim in a list of results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimHit {
    pub id: i64,
    /// The claim as stated on its own: its text, or its source's denial of it.
    pub statement: String,
    /// The claim's text as extracted (or corrected).
    pub text: String,
    /// Byte ranges of `text` that match the free text.
    pub highlights: Vec<[usize; 2]>,
    pub status: Status,
    pub certainty: Certainty,
    pub kind: ClaimKind,
    /// The original speaker, when the chain names one besides the publisher.
    pub speaker: Option<String>,
    /// The chain as one citation sentence.
    pub citation: String,
    pub article: ArticleRef,
    pub story: Option<i64>,
    pub origins: i64,
    pub orphaned: bool,
    /// The BM25 score, when ranked by relevance.
    pub score: Option<f32>,
}

/// An article as a claim refers to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleRef {
    pub id: i64,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// YYYY-MM-DD; absent when unknown.
    pub published: Option<String>,
    pub url: Option<String>,
}

impl ArticleRef {
    fn of(id: i64, meta: &ArticleMeta) -> ArticleRef {
        ArticleRef {
            id,
            title: meta.title.clone(),
            outlet: meta.outlet.clone(),
            published: meta.published.map(|d| d.to_string()),
            url: meta.url.clone(),
        }
    }
}

/// How many of the claims found have one value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facet {
    pub value: String,
    pub claims: u64,
}

/// The counts per value of the claims found, the most first.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    pub status: Vec<Facet>,
    pub certainty: Vec<Facet>,
    pub kind: Vec<Facet>,
    pub outlet: Vec<Facet>,
    pub speaker: Vec<Facet>,
}

/// One page of a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub params: SearchParams,
    /// Claims found in all.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub claims: Vec<ClaimHit>,
    pub facets: Facets,
}

/// Runs a search: what `claimtrail search` finds, one page of it, with the facets.
pub fn search(desk: &Desk, params: &SearchParams) -> Result<SearchPage, Error> {
    let (page, per_page) = params.paging()?;
    let (q, select, mut statuses) = params.select()?;
    statuses.extend(&q.statuses);
    let store = desk.reader()?;
    let empty = |params: &SearchParams| SearchPage {
        params: params.clone(),
        total: 0,
        page,
        per_page,
        claims: Vec::new(),
        facets: Facets::default(),
    };
    // A name the store does not know matches nothing: an empty page, as `report` makes an
    // empty report, not an error page.
    let filters = match query::filters(&store, &q, &select, statuses) {
        Ok(f) => f,
        Err(Error::NothingFound(_)) => return Ok(empty(params)),
        Err(e) => return Err(e),
    };
    let index = desk.index(&store)?;
    let text = Some(q.text.as_str());
    // The page's hits, the total, the facets, and the page's claims when already read.
    let (ids_scores, total, facets, read) = match params.story {
        Some(claim) => {
            // The story's appearances that the rest of the search selects, in story order.
            let members = store.story_claims(claim)?;
            // The story alone (its own link) lists its appearances as they are; a search
            // within it keeps those the rest of the search selects.
            let found: Vec<i64> =
                if q.text.trim().is_empty() && filters == crate::index::Filters::default() {
                    members
                } else {
                    let selected: std::collections::HashSet<i64> =
                        query::all_ids(&index, &q, &filters)?.into_iter().collect();
                    members
                        .into_iter()
                        .filter(|id| selected.contains(id))
                        .collect()
                };
            // An appearance in an article taken out of the listings is out, as in a search.
            let claims: Vec<_> = store
                .claims(&found)?
                .into_iter()
                .filter(|c| !c.removed)
                .collect();
            let kept: std::collections::HashSet<i64> = claims.iter().map(|c| c.id).collect();
            let found: Vec<i64> = found.into_iter().filter(|id| kept.contains(id)).collect();
            let total = found.len();
            let facets = facets_of(&claims);
            let page_ids: Vec<(i64, Option<f32>, Vec<std::ops::Range<usize>>)> = found
                .into_iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|id| (id, None, Vec::new()))
                .collect();
            let read: HashMap<i64, _> = claims.into_iter().map(|c| (c.id, c)).collect();
            (page_ids, total, facets, Some(read))
        }
        None => {
            let found = index.search(text, &filters, Ranking::Relevance, page * per_page)?;
            let facets = index.facets(text, &filters, FACET_SIZE)?;
            let facets = Facets {
                status: plain(facets.status),
                certainty: plain(facets.certainty),
                kind: plain(facets.kind),
                outlet: named(&store, facets.outlet, Some(SourceKind::Outlet))?,
                speaker: named(&store, facets.speaker, None)?,
            };
            let hits = found
                .hits
                .into_iter()
                .skip((page - 1) * per_page)
                .map(|h| (h.id, h.score, h.highlights))
                .collect();
            (hits, found.total, facets, None)
        }
    };
    let mut claims: HashMap<i64, _> = match read {
        Some(read) => read,
        None => {
            let ids: Vec<i64> = ids_scores.iter().map(|(id, _, _)| *id).collect();
            store.claims(&ids)?.into_iter().map(|c| (c.id, c)).collect()
        }
    };
    let claims = ids_scores
        .into_iter()
        .filter_map(|(id, score, highlights)| {
            let c = claims.remove(&id)?;
            Some(ClaimHit {
                id,
                statement: c.claim.statement(),
                text: c.claim.text.clone(),
                highlights: highlights.into_iter().map(|r| [r.start, r.end]).collect(),
                status: c.status,
                certainty: c.claim.certainty,
                kind: c.claim.kind,
                speaker: c.claim.speaker().map(|l| l.name.clone()),
                citation: crate::report::citation(&c.claim, c.article.outlet.as_deref()),
                article: ArticleRef::of(c.article_id, &c.article),
                story: c.story,
                origins: c.origins,
                orphaned: c.orphaned,
                score,
            })
        })
        .collect();
    Ok(SearchPage {
        params: params.clone(),
        total,
        page,
        per_page,
        claims,
        facets,
    })
}

fn plain(counts: Vec<FacetCount>) -> Vec<Facet> {
    counts
        .into_iter()
        .map(|c| Facet {
            value: c.value,
            claims: c.claims,
        })
        .collect()
}

/// Facet values of names (held lower-case by the index) in the store's own spelling.
fn named(
    store: &Store,
    counts: Vec<FacetCount>,
    kind: Option<SourceKind>,
) -> Result<Vec<Facet>, Error> {
    let mut out = Vec::with_capacity(counts.len());
    for c in counts {
        let value = store
            .resolve_source(&c.value, kind)?
            .into_iter()
            .next()
            .unwrap_or(c.value);
        out.push(Facet {
            value,
            claims: c.claims,
        });
    }
    Ok(out)
}

/// The facets of a few claims counted directly (a story's appearances).
fn facets_of(claims: &[crate::store::StoredClaim]) -> Facets {
    fn count(values: impl Iterator<Item = String>) -> Vec<Facet> {
        let mut m: std::collections::BTreeMap<String, u64> = Default::default();
        for v in values {
            *m.entry(v).or_default() += 1;
        }
        let mut v: Vec<Facet> = m
            .into_iter()
            .map(|(value, claims)| Facet { value, claims })
            .collect();
        v.sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.value.cmp(&b.value)));
        v
    }
    Facets {
        status: count(claims.iter().map(|c| c.status.to_string())),
        certainty: count(claims.iter().map(|c| c.claim.certainty.to_string())),
        kind: count(claims.iter().map(|c| c.claim.kind.to_string())),
        outlet: count(claims.iter().filter_map(|c| c.article.outlet.clone())),
        speaker: count(
            claims
                .iter()
                .filter_map(|c| c.claim.speaker().map(|l| l.name.clone())),
        ),
    }
}

/// One claim in full: what `claimtrail show` prints.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimPage {
    pub id: i64,
    pub statement: String,
    pub text: String,
    pub sentence: String,
    /// The sentence in pieces, the claim's own words marked; absent when the sentence does
    /// not hold the claim's (corrected) text.
    pub sentence_pieces: Option<Vec<SentencePiece>>,
    pub kind: ClaimKind,
    pub certainty: Certainty,
    /// FactBank's value of the certainty.
    pub factbank: String,
    pub hedges: Vec<String>,
    pub cue: Option<String>,
    /// Publisher first, then relays, documents and the speaker.
    pub chain: Vec<Link>,
    pub citation: String,
    pub status: Status,
    pub orphaned: bool,
    pub rejected: bool,
    pub removed: bool,
    pub article: ArticleRef,
    /// Its story: every appearance grouped by origin (absent when it is in none).
    pub story: Option<StoryPage>,
    /// Outside fact-checks, and verdicts on other claims, that say the same.
    pub already_checked: Vec<AlreadyChecked>,
    /// Newest first.
    pub verdicts: Vec<crate::store::Verdict>,
    /// Newest first.
    pub corrections: Vec<CorrectionEntry>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SentencePiece {
    pub marked: bool,
    pub text: String,
}

/// A fact-check the claim matches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlreadyChecked {
    /// "review" (an imported fact-check) or "verdict" (this store's verdict on another claim).
    pub by: String,
    /// What was judged.
    pub text: String,
    /// The rating or status given.
    pub rating: Option<String>,
    pub reviewer: Option<String>,
    pub url: Option<String>,
    /// The other claim, for a verdict of this store.
    pub claim: Option<i64>,
}

/// One correction of the claim's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionEntry {
    pub id: i64,
    pub created_at: String,
    pub reviewer: Option<String>,
    pub note: Option<String>,
    /// What changed, one line per field, as `claimtrail show` prints it.
    pub changes: Vec<String>,
}

pub fn claim(desk: &Desk, id: i64) -> Result<ClaimPage, Error> {
    let store = desk.reader()?;
    let c = store.claim(id)?;
    let story = match c.story {
        Some(_) => Some(story_of_claim(&store, id)?),
        None => None,
    };
    let already_checked = store
        .checks_of(id)?
        .into_iter()
        .map(|check| match check {
            crate::store::Check::Review { review, .. } => AlreadyChecked {
                by: "review".into(),
                text: review.claim_reviewed,
                rating: review.rating,
                reviewer: review.reviewer,
                url: review.url,
                claim: None,
            },
            crate::store::Check::Verdict {
                claim,
                text,
                status,
                reviewer,
                ..
            } => AlreadyChecked {
                by: "verdict".into(),
                text,
                rating: Some(status.to_string()),
                reviewer,
                url: None,
                claim: Some(claim),
            },
        })
        .collect();
    let corrections = store
        .corrections(id)?
        .into_iter()
        .map(|k| CorrectionEntry {
            id: k.id,
            created_at: k.created_at,
            reviewer: k.reviewer,
            note: k.note,
            changes: crate::cli::render::changes(&k.changes),
        })
        .collect();
    Ok(ClaimPage {
        id,
        statement: c.claim.statement(),
        text: c.claim.text.clone(),
        sentence: c.claim.sentence.to_string(),
        sentence_pieces: crate::report::marked_sentence(&c.claim).map(|pieces| {
            pieces
                .into_iter()
                .map(|p| SentencePiece {
                    marked: p.marked,
                    text: p.text.to_string(),
                })
                .collect()
        }),
        kind: c.claim.kind,
        certainty: c.claim.certainty,
        factbank: c.claim.certainty.factbank().to_string(),
        hedges: c.claim.hedges.clone(),
        cue: c.claim.cue.clone(),
        citation: crate::report::citation(&c.claim, c.article.outlet.as_deref()),
        chain: c.claim.chain.clone(),
        status: c.status,
        orphaned: c.orphaned,
        rejected: c.rejected,
        removed: c.removed,
        article: ArticleRef::of(c.article_id, &c.article),
        story,
        already_checked,
        verdicts: store.verdicts(id)?,
        corrections,
    })
}

/// A story: every appearance, grouped by independent origin (what `claimtrail story`
/// prints).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryPage {
    pub story: i64,
    pub appearances: Vec<StoryAppearance>,
    pub origins: Vec<StoryOrigin>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryAppearance {
    pub id: i64,
    pub statement: String,
    pub status: Status,
    pub article: ArticleRef,
    pub chain: Vec<Link>,
    /// Index into `origins`.
    pub origin: usize,
    /// The first appearance of the story (published first, then ingested first).
    pub first: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryOrigin {
    pub name: String,
    pub kind: crate::story::OriginKind,
    pub via: Option<String>,
    /// "The Ledger Financial, memo"
    pub label: String,
    pub claims: Vec<i64>,
    pub first: i64,
}

fn story_of_claim(store: &Store, claim: i64) -> Result<StoryPage, Error> {
    let Some(story) = store.story_of(claim)? else {
        return Err(Error::NothingFound(format!(
            "claim {claim} is in no story (rejected, or stored before stories: run `claimtrail reindex`)"
        )));
    };
    let appearances = store.story(story)?;
    let ids: Vec<i64> = appearances.iter().map(|a| a.claim).collect();
    let claims: HashMap<i64, _> = store.claims(&ids)?.into_iter().map(|c| (c.id, c)).collect();
    let mut origins: Vec<StoryOrigin> = Vec::new();
    let mut out = Vec::new();
    for (i, a) in appearances.iter().enumerate() {
        let Some(c) = claims.get(&a.claim) else {
            continue;
        };
        let origin = match origins
            .iter()
            .position(|o| o.name.eq_ignore_ascii_case(&a.origin))
        {
            Some(o) => {
                origins[o].claims.push(a.claim);
                o
            }
            None => {
                origins.push(StoryOrigin {
                    name: a.origin.clone(),
                    kind: a.origin_kind,
                    via: a.via.clone(),
                    label: a.label(),
                    claims: vec![a.claim],
                    first: a.claim,
                });
                origins.len() - 1
            }
        };
        out.push(StoryAppearance {
            id: a.claim,
            statement: c.claim.statement(),
            status: c.status,
            article: ArticleRef::of(c.article_id, &c.article),
            chain: c.claim.chain.clone(),
            origin,
            first: i == 0,
        });
    }
    Ok(StoryPage {
        story,
        appearances: out,
        origins,
    })
}

pub fn story(desk: &Desk, claim: i64) -> Result<StoryPage, Error> {
    let store = desk.reader()?;
    store.claim(claim)?;
    story_of_claim(&store, claim)
}

/// The stories, riskiest first (what `claimtrail stories` lists).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoriesPage {
    pub stories: Vec<crate::store::StorySummary>,
}

pub fn stories(desk: &Desk, limit: usize) -> Result<StoriesPage, Error> {
    let store = desk.reader()?;
    let mut stories = store.stories(2)?;
    stories.truncate(limit);
    Ok(StoriesPage { stories })
}

/// An article with every attribution of its claims marked in place.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticlePage {
    pub article: ArticleRef,
    pub removed: bool,
    /// The text, in runs: each either plain or part of one claim's source, cue or content.
    pub runs: Vec<TextRun>,
    /// Its claims, in the order of the text.
    pub claims: Vec<ArticleClaim>,
}

/// What a run of an article's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Source,
    Cue,
    Content,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TextRun {
    pub text: String,
    /// The claim this run is part of, and as what.
    pub claim: Option<i64>,
    pub mark: Option<Mark>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleClaim {
    pub id: i64,
    pub statement: String,
    pub status: Status,
    pub speaker: Option<String>,
}

pub fn article(desk: &Desk, id: i64) -> Result<ArticlePage, Error> {
    let store = desk.reader()?;
    let summary = store
        .article(id)?
        .ok_or_else(|| Error::NothingFound(format!("no article with id {id}")))?;
    let text = store.article_text(id)?.unwrap_or_default();
    let claims = store.claims(&store.article_claims(id)?)?;
    let mut claims: Vec<_> = claims.into_iter().filter(|c| !c.rejected).collect();
    claims.sort_by_key(|c| (c.claim.sentence_span.start, c.id));
    let chars: Vec<char> = text.chars().collect();
    // Each char: the mark of the narrowest span over it (a quote inside a reported clause
    // belongs to the inner claim), source and cue over content.
    let mut marks: Vec<Option<(usize, Mark, i64)>> = vec![None; chars.len()];
    for c in &claims {
        let spans = &c.claim.spans;
        let mut pieces: Vec<(crate::model::Span, Mark)> = Vec::new();
        pieces.extend(spans.source.map(|s| (s, Mark::Source)));
        pieces.extend(spans.cue.map(|s| (s, Mark::Cue)));
        pieces.extend(spans.content.iter().map(|s| (*s, Mark::Content)));
        if pieces.is_empty() {
            pieces.push((c.claim.sentence_span, Mark::Content));
        }
        for (span, mark) in pieces {
            let width = span.len();
            let rank = |m: Mark| if m == Mark::Content { 1 } else { 0 };
            for slot in marks
                .iter_mut()
                .take(span.end.min(chars.len()))
                .skip(span.start)
            {
                let better = match slot {
                    None => true,
                    Some((w, m, _)) => (rank(mark), width) < (rank(*m), *w),
                };
                if better {
                    *slot = Some((width, mark, c.id));
                }
            }
        }
    }
    let mut runs: Vec<TextRun> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let key = marks[i].map(|(_, m, c)| (m, c));
        let mut j = i + 1;
        while j < chars.len() && marks[j].map(|(_, m, c)| (m, c)) == key {
            j += 1;
        }
        runs.push(TextRun {
            text: chars[i..j].iter().collect(),
            claim: key.map(|(_, c)| c),
            mark: key.map(|(m, _)| m),
        });
        i = j;
    }
    let meta = ArticleMeta {
        title: summary.title.clone(),
        outlet: summary.outlet.clone(),
        published: summary.published.as_deref().and_then(|d| d.parse().ok()),
        url: summary.url.clone(),
        ..ArticleMeta::default()
    };
    Ok(ArticlePage {
        article: ArticleRef::of(id, &meta),
        removed: summary.removed,
        runs,
        claims: claims
            .iter()
            .map(|c| ArticleClaim {
                id: c.id,
                statement: c.claim.statement(),
                status: c.status,
                speaker: c.claim.speaker().map(|l| l.name.clone()),
            })
            .collect(),
    })
}

/// A source: what the store attributes to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcePage {
    pub name: String,
    pub kind: SourceKind,
    pub aliases: Vec<String>,
    pub roles: Vec<String>,
    /// Claims whose chain holds it, per current status.
    pub by_status: Vec<Facet>,
    /// The same claims per certainty.
    pub by_certainty: Vec<Facet>,
    /// Its latest claims.
    pub claims: Vec<ClaimHit>,
    /// Stories it is an independent origin of.
    pub stories: Vec<crate::store::StorySummary>,
}

pub fn source(desk: &Desk, name: &str) -> Result<SourcePage, Error> {
    let canonical = {
        let store = desk.reader()?;
        let found = store.resolve_source(name, None)?;
        let Some(canonical) = found.into_iter().next() else {
            return Err(crate::store::StoreError::UnknownSource(name.to_string()).into());
        };
        canonical
    };
    let store = desk.reader()?;
    let summary = store
        .source_summaries(&canonical)?
        .into_iter()
        .max_by_key(|s| s.claims())
        .ok_or_else(|| crate::store::StoreError::UnknownSource(name.to_string()))?;
    let stories = store.stories_originated_by(&canonical)?;
    drop(store);
    let page = search(
        desk,
        &SearchParams {
            source: Some(canonical.clone()),
            ..SearchParams::default()
        },
    )?;
    Ok(SourcePage {
        name: summary.name.clone(),
        kind: summary.kind,
        aliases: summary.aliases.clone(),
        roles: summary.roles.clone(),
        by_status: summary
            .by_status
            .iter()
            .map(|(s, n)| Facet {
                value: s.to_string(),
                claims: *n as u64,
            })
            .collect(),
        by_certainty: summary
            .by_certainty
            .iter()
            .map(|(s, n)| Facet {
                value: s.to_string(),
                claims: *n as u64,
            })
            .collect(),
        claims: page.claims,
        stories,
    })
}

/// A verdict as a fact-checker records it in the browser or through the API. Who records
/// it is the signed-in account, never a field of the request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictForm {
    pub status: Status,
    /// Why: a sentence or two.
    #[serde(default)]
    pub note: Option<String>,
    /// Evidence: http(s) urls.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The same verdict on every appearance of the claim's story.
    #[serde(default)]
    pub story: bool,
}

/// What recording a verdict did, claim by claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerdictOutcome {
    pub status: Status,
    pub by: String,
    pub at: String,
    /// How many verdicts were written.
    pub written: usize,
    pub claims: Vec<VerdictClaim>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerdictClaim {
    pub id: i64,
    /// "written", "already_recorded" or "skipped".
    pub outcome: String,
    /// The status before, for a verdict written.
    pub previous: Option<Status>,
}

/// Longest note or text accepted from a form, in chars.
pub const MAX_NOTE: usize = 4000;
/// Most evidence urls on one verdict.
pub const MAX_EVIDENCE: usize = 20;

fn bounded(what: &str, value: &Option<String>) -> Result<Option<String>, Error> {
    let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
    if let Some(v) = v
        && v.chars().count() > MAX_NOTE
    {
        return Err(Error::Usage(format!(
            "{what} is longer than {MAX_NOTE} characters"
        )));
    }
    Ok(v.map(str::to_string))
}

pub fn record_verdict(
    desk: &Desk,
    claim: i64,
    form: &VerdictForm,
    reviewer: &str,
) -> Result<VerdictOutcome, Error> {
    let note = bounded("the note", &form.note)?;
    let evidence: Vec<String> = form
        .evidence
        .iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    if evidence.len() > MAX_EVIDENCE {
        return Err(Error::Usage(format!(
            "at most {MAX_EVIDENCE} evidence urls on one verdict"
        )));
    }
    for url in &evidence {
        crate::model::check_http_url(url).map_err(Error::Usage)?;
    }
    let mut store = desk.writer()?;
    let mut ids = vec![claim];
    if form.story {
        ids.extend(store.story_claims(claim)?);
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
    }
    let at = desk.clock.now();
    let verdict = NewVerdict {
        status: form.status,
        note: note.as_deref(),
        evidence: &evidence,
        reviewer: Some(reviewer),
        at,
    };
    let outcomes = store.record_verdicts(&ids, &verdict, None)?;
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Written { .. }))
        .count();
    if written > 0 {
        let _ = crate::cli::sync::after_commit(&store);
    }
    Ok(VerdictOutcome {
        status: form.status,
        by: reviewer.to_string(),
        at: crate::clock::timestamp(at),
        written,
        claims: ids
            .iter()
            .zip(&outcomes)
            .map(|(id, o)| VerdictClaim {
                id: *id,
                outcome: match o {
                    Outcome::Written { .. } => "written",
                    Outcome::AlreadyRecorded { .. } => "already_recorded",
                    Outcome::Skipped {
                        why: Skip::Status(_) | Skip::Filters,
                    } => "skipped",
                }
                .into(),
                previous: match o {
                    Outcome::Written { previous, .. } => Some(*previous),
                    _ => None,
                },
            })
            .collect(),
    })
}

/// A correction of what extraction got wrong, as the desk takes it (the fields of
/// `claimtrail correct`; absent fields are left as they are).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionForm {
    /// The original speaker, as `correct --speaker` takes it ("Jane Doe", or "Jane Doe
    /// (person)" to give the kind).
    #[serde(default)]
    pub speaker: Option<String>,
    /// The claim's text.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub kind: Option<ClaimKind>,
    #[serde(default)]
    pub certainty: Option<Certainty>,
    /// True: not a claim; false: a claim again.
    #[serde(default)]
    pub not_a_claim: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionOutcome {
    pub claim: i64,
    /// "written" or "already_recorded".
    pub outcome: String,
    pub correction: i64,
    pub by: String,
    pub at: String,
    /// What changed, one line per field.
    pub changes: Vec<String>,
}

pub fn correct(
    desk: &Desk,
    claim: i64,
    form: &CorrectionForm,
    reviewer: &str,
) -> Result<CorrectionOutcome, Error> {
    let speaker = bounded("the speaker", &form.speaker)?
        .map(|s| parse_source_name(&s))
        .transpose()
        .map_err(|e| Error::Usage(format!("speaker: {e}")))?;
    let text = bounded("the text", &form.text)?;
    let note = bounded("the note", &form.note)?;
    if speaker.is_none()
        && text.is_none()
        && form.kind.is_none()
        && form.certainty.is_none()
        && form.not_a_claim.is_none()
    {
        return Err(Error::Usage(
            "nothing to correct: give a speaker, a text, a kind, a certainty or not a claim".into(),
        ));
    }
    let at = desk.clock.now();
    let correction = NewCorrection {
        speaker,
        chain: None,
        text: text.as_deref(),
        kind: form.kind,
        certainty: form.certainty,
        rejected: form.not_a_claim,
        note: note.as_deref(),
        reviewer: Some(reviewer),
        at: Some(at),
    };
    let mut store = desk.writer()?;
    let outcome = store.correct_claim(claim, &correction)?;
    if matches!(outcome, Corrected::Written { .. }) {
        let _ = crate::cli::sync::after_commit(&store);
    }
    let at = crate::clock::timestamp(at);
    Ok(match outcome {
        Corrected::Written {
            correction_id,
            changes,
        } => CorrectionOutcome {
            claim,
            outcome: "written".into(),
            correction: correction_id,
            by: reviewer.to_string(),
            at,
            changes: crate::cli::render::changes(&changes),
        },
        Corrected::AlreadyRecorded { correction_id } => CorrectionOutcome {
            claim,
            outcome: "already_recorded".into(),
            correction: correction_id,
            by: reviewer.to_string(),
            at,
            changes: Vec::new(),
        },
    })
}

/// Detaches a claim from its story, or joins it to another's, as `claimtrail story` does.
pub fn change_story(
    desk: &Desk,
    claim: i64,
    join: Option<i64>,
    reviewer: &str,
) -> Result<Option<i64>, Error> {
    let change = match join {
        Some(other) if other == claim => {
            return Err(Error::Usage("join needs another claim's id".into()));
        }
        Some(other) => StoryChange::Join(other),
        None => StoryChange::Detach,
    };
    let mut store = desk.writer()?;
    store.change_story(claim, change, Some(reviewer))?;
    Ok(store.story_of(claim)?)
}

/// The formats of the citation report, as `report --format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Markdown,
    Html,
    Csv,
    Json,
    Claimreview,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Markdown,
        ReportFormat::Html,
        ReportFormat::Csv,
        ReportFormat::Json,
        ReportFormat::Claimreview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "markdown",
            ReportFormat::Html => "html",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
            ReportFormat::Claimreview => "claimreview",
        }
    }

    /// The media type and file extension of a download.
    pub fn media(self) -> (&'static str, &'static str) {
        match self {
            ReportFormat::Markdown => ("text/markdown; charset=utf-8", "md"),
            ReportFormat::Html => ("text/html; charset=utf-8", "html"),
            ReportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
            ReportFormat::Json => ("application/json", "json"),
            ReportFormat::Claimreview => ("application/ld+json", "jsonld"),
        }
    }
}

/// The citation report of every claim a search selects (not only one page), rendered as
/// `claimtrail report` renders it.
pub fn report(
    desk: &Desk,
    params: &SearchParams,
    format: ReportFormat,
    review_url: Option<&str>,
    reviewer: &str,
) -> Result<String, Error> {
    let review_url = match (format, review_url.map(str::trim).filter(|u| !u.is_empty())) {
        (ReportFormat::Claimreview, None) => {
            return Err(Error::Usage(
                "ClaimReview needs review_url, where each review is published \
                 (e.g. https://factcheck.example/claims/{id})"
                    .into(),
            ));
        }
        (ReportFormat::Claimreview, Some(url)) => {
            crate::report::claimreview::check_review_url(url).map_err(Error::Usage)?;
            url.to_string()
        }
        _ => String::new(),
    };
    let (q, select, flags) = params.select()?;
    let store = desk.reader()?;
    // The report's header names the selection as `claimtrail report` does.
    let mut selection = crate::cli::report::describe(
        SearchParams::blank(&params.q).unwrap_or(""),
        &select,
        &flags,
    );
    let statuses = flags.iter().chain(&q.statuses).copied().collect();
    let mut ids = match query::filters(&store, &q, &select, statuses) {
        Ok(filters) => {
            let index = desk.index(&store)?;
            query::all_ids(&index, &q, &filters)?
        }
        Err(Error::NothingFound(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    if let Some(claim) = params.story {
        selection.push(format!("story of claim {claim}"));
        let members: std::collections::HashSet<i64> =
            store.story_claims(claim)?.into_iter().collect();
        ids.retain(|id| members.contains(id));
    }
    let report = crate::report::build(&store, &ids, selection)?;
    Ok(match format {
        ReportFormat::Markdown => crate::report::markdown::render(&report),
        ReportFormat::Html => crate::report::html::render(&report),
        ReportFormat::Csv => crate::report::csv::render(&report),
        ReportFormat::Json => crate::report::json::render(&report),
        ReportFormat::Claimreview => crate::report::claimreview::render(
            &report,
            &crate::report::claimreview::Reviewer {
                org: None,
                by: Some(reviewer.to_string()),
                url: review_url,
            },
        ),
    })
}
