//! The citation report: what a fact-checker hands an editor about a set of claims.
//!
//! This module is the one place that decides what a report says: [`build`] reads the
//! claims from the store and makes the [`Report`] (a summary, then one [`ReportClaim`] per
//! claim with its chain written as a citation and its verdict history). Each format in its
//! own file only renders a `Report`: [`markdown`], [`html`], [`csv`], [`json`] and
//! [`claimreview`] (schema.org JSON-LD).
//!
//! Reports are deterministic so that they can be diffed: the same store and selection give
//! the same bytes. Claims are sorted by a stable key (article date, unknown dates last, then
//! article id, then claim id), every count is ordered, and no wall-clock time is written:
//! the only dates are the articles' and the verdicts'.

pub mod claimreview;
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;

use crate::index::risk;
use crate::model::{ArticleMeta, Certainty, Claim, Role, SourceKind, Status};
use crate::store::{Store, StoreError, Verdict};
use serde::Serialize;

/// A whole report: what was asked for, the summary, the claims.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The selection as the user gave it, one item per filter ("outlet: Bloomberg");
    /// empty for every claim of the store.
    pub selection: Vec<String>,
    pub summary: Summary,
    pub claims: Vec<ReportClaim>,
}

/// Counts over the claims of the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub claims: usize,
    /// Claims per publishing outlet, the most first, then by name; `None` is unknown.
    pub per_outlet: Vec<Count>,
    /// Claims per current status, in the vocabulary's order, every status listed.
    pub per_status: Vec<Count>,
    /// Claims whose chain passes through exactly one outlet besides the publisher.
    pub single_relay: usize,
    /// Claims the text itself hedges (certainty probable or possible).
    pub hedged: usize,
    /// Claims the text itself says are not confirmed.
    pub unconfirmed: usize,
    /// Claims the text presents as denied by their source.
    pub denied: usize,
}

/// One line of a summary table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub claims: usize,
}

/// One claim of the report: the extracted claim (the serde type of `extract --format json`,
/// flattened) with its id, status, citation, article and verdict history.
#[derive(Debug, Clone, Serialize)]
pub struct ReportClaim {
    pub id: i64,
    pub status: Status,
    /// The latest extraction of the article no longer finds this claim.
    pub orphaned: bool,
    /// The chain as a citation sentence (see [`citation`]), and how far its story was
    /// carried ("carried by 7 outlets, 1 independent origin (The Ledger Financial, memo)").
    pub citation: String,
    /// Its story (`claimtrail story`) and how many independent origins the story has.
    pub story: Option<i64>,
    pub origins: i64,
    /// The claim as stated on its own: its text, or its source's denial of it
    /// ([`Claim::statement`]).
    pub statement: String,
    #[serde(flatten)]
    pub claim: Claim,
    pub article: ReportArticle,
    /// Newest first; empty when the claim was never judged.
    pub verdicts: Vec<Verdict>,
    /// A fact-checker's correction says it is not a claim (listed only when asked for).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
    /// The correction history, newest first: the claim above already holds its values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<crate::store::Correction>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportArticle {
    pub id: i64,
    #[serde(flatten)]
    pub meta: ArticleMeta,
}

impl ReportClaim {
    /// The current verdict, if any.
    pub fn latest(&self) -> Option<&Verdict> {
        self.verdicts.first()
    }

    /// The original speaker, for ClaimReview's `itemReviewed.author`.
    pub fn speaker(&self) -> Option<&crate::model::Link> {
        self.claim.speaker()
    }
}

/// The claims of one article, in report order: how Markdown and HTML group them.
pub struct ArticleGroup<'a> {
    pub article: &'a ReportArticle,
    pub claims: &'a [ReportClaim],
}

/// The report's claims grouped by article. [`build`] sorts them by article first, so each
/// article's claims are together.
pub fn by_article(claims: &[ReportClaim]) -> Vec<ArticleGroup<'_>> {
    claims
        .chunk_by(|a, b| a.article.id == b.article.id)
        .map(|claims| ArticleGroup {
            article: &claims[0].article,
            claims,
        })
        .collect()
}

/// A piece of a claim's sentence: the claim's own words (`marked`) or the words around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    pub marked: bool,
    pub text: &'a str,
}

/// The claim's sentence in pieces, the claim's words marked: by the claim's content spans
/// when they still spell its text, else where its text occurs in the sentence. `None` when
/// neither finds it (a fact-checker's corrected text the sentence does not hold): the
/// formats then show the claim and the sentence apart, never a mark on the wrong words.
pub fn marked_sentence(claim: &Claim) -> Option<Vec<Piece<'_>>> {
    let sentence: &str = &claim.sentence;
    let mut ranges = spans_in_sentence(claim).or_else(|| {
        let at = sentence.find(claim.text.as_str())?;
        (!claim.text.is_empty()).then(|| std::iter::once(at..at + claim.text.len()).collect())
    })?;
    ranges.sort_by_key(|r| r.start);
    let mut pieces = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at {
            return None;
        }
        if r.start > at {
            pieces.push(Piece {
                marked: false,
                text: &sentence[at..r.start],
            });
        }
        pieces.push(Piece {
            marked: true,
            text: &sentence[r.clone()],
        });
        at = r.end;
    }
    if at < sentence.len() {
        pieces.push(Piece {
            marked: false,
            text: &sentence[at..],
        });
    }
    Some(pieces)
}

/// The content spans as byte ranges of the sentence, when the sentence is the one the spans
/// were read in (its length in characters matches) and they spell the claim's text.
fn spans_in_sentence(claim: &Claim) -> Option<Vec<std::ops::Range<usize>>> {
    let sentence: &str = &claim.sentence;
    let start = claim.sentence_span.start;
    let chars = claim.sentence_span.end.checked_sub(start)?;
    if claim.spans.content.is_empty() || sentence.chars().count() != chars {
        return None;
    }
    // Byte offset of every char offset, the end included.
    let bytes: Vec<usize> = sentence
        .char_indices()
        .map(|(b, _)| b)
        .chain([sentence.len()])
        .collect();
    let ranges: Vec<std::ops::Range<usize>> = claim
        .spans
        .content
        .iter()
        .map(|sp| {
            let a = *bytes.get(sp.start.checked_sub(start)?)?;
            let b = *bytes.get(sp.end.checked_sub(start)?)?;
            (a < b).then_some(a..b)
        })
        .collect::<Option<_>>()?;
    let spelled: Vec<&str> = ranges.iter().map(|r| &sentence[r.clone()]).collect();
    (spelled.join(" ") == claim.text).then_some(ranges)
}

/// What is written for an unknown publisher.
pub const UNKNOWN_OUTLET: &str = "unknown outlet";

/// Builds the report of the claims `ids` (in any order; unknown ids are left out).
pub fn build(store: &Store, ids: &[i64], selection: Vec<String>) -> Result<Report, StoreError> {
    let mut claims = Vec::with_capacity(ids.len());
    for c in store.claims(ids)? {
        let verdicts = store.verdicts(c.id)?;
        let corrections = store.corrections(c.id)?;
        claims.push(ReportClaim {
            rejected: c.rejected,
            corrections,
            id: c.id,
            status: c.status,
            orphaned: c.orphaned,
            citation: match carried(store, c.story)? {
                Some(carried) => format!(
                    "{}; {carried}",
                    citation(&c.claim, c.article.outlet.as_deref())
                ),
                None => citation(&c.claim, c.article.outlet.as_deref()),
            },
            story: c.story,
            origins: c.origins,
            statement: c.claim.statement(),
            claim: c.claim,
            article: ReportArticle {
                id: c.article_id,
                meta: c.article,
            },
            verdicts,
        });
    }
    claims.sort_by_key(|c| {
        (
            c.article.meta.published.is_none(),
            c.article.meta.published,
            c.article.id,
            c.id,
        )
    });
    claims.dedup_by_key(|c| c.id);
    Ok(Report {
        selection,
        summary: summarise(&claims),
        claims,
    })
}

/// "carried by 7 outlets, 1 independent origin (The Ledger Financial, memo)" for a story
/// carried by more than one outlet; `None` otherwise.
fn carried(store: &Store, story: Option<i64>) -> Result<Option<String>, StoreError> {
    let Some(story) = story else { return Ok(None) };
    let appearances = store.story(story)?;
    let mut outlets: Vec<String> = appearances
        .iter()
        .filter_map(|a| a.outlet.as_deref().map(str::to_lowercase))
        .collect();
    outlets.sort();
    outlets.dedup();
    if outlets.len() < 2 {
        return Ok(None);
    }
    let mut origins: Vec<&crate::store::Appearance> = Vec::new();
    for a in &appearances {
        if !origins
            .iter()
            .any(|o| o.origin.eq_ignore_ascii_case(&a.origin))
        {
            origins.push(a);
        }
    }
    let named: Vec<String> = origins.iter().map(|o| o.label()).collect();
    Ok(Some(format!(
        "carried by {} outlets, {} independent origin{} ({})",
        outlets.len(),
        origins.len(),
        if origins.len() == 1 { "" } else { "s" },
        named.join("; ")
    )))
}

fn summarise(claims: &[ReportClaim]) -> Summary {
    let mut outlets: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut s = Summary {
        claims: claims.len(),
        ..Summary::default()
    };
    for c in claims {
        let outlet = c.article.meta.outlet.as_deref().unwrap_or(UNKNOWN_OUTLET);
        *outlets.entry(outlet).or_default() += 1;
        if risk::single_relay(&c.claim).is_some() {
            s.single_relay += 1;
        }
        match c.claim.certainty {
            Certainty::Probable | Certainty::Possible => s.hedged += 1,
            Certainty::Unconfirmed => s.unconfirmed += 1,
            Certainty::Denied => s.denied += 1,
            Certainty::Certain => {}
        }
    }
    s.per_outlet = outlets
        .into_iter()
        .map(|(name, claims)| Count {
            name: name.to_string(),
            claims,
        })
        .collect();
    s.per_outlet
        .sort_by(|a, b| b.claims.cmp(&a.claims).then_with(|| a.name.cmp(&b.name)));
    s.per_status = Status::ALL
        .iter()
        .map(|status| Count {
            name: status.to_string(),
            claims: claims.iter().filter(|c| c.status == *status).count(),
        })
        .collect();
    s
}

/// The chain written the way a citation reads, publisher first:
/// "Kyiv Daily, citing Bloomberg, citing a record reviewed by Bloomberg: Steve Witkoff to
/// Yuri Ushakov". A document takes the reviewer of the link before it when that link's cue
/// ends in "by" ("reviewed by", "obtained by"); the speaker follows a colon, with whom they
/// spoke to. `outlet` (the article's publisher) opens the sentence when the chain has no
/// publisher link.
pub fn citation(claim: &Claim, outlet: Option<&str>) -> String {
    let chain = &claim.chain;
    let mut parts: Vec<String> = Vec::new();
    if chain.first().map(|l| l.role) != Some(Role::Publisher) {
        parts.push(one_line(outlet.unwrap_or(UNKNOWN_OUTLET)));
    }
    let mut speaker = None;
    for (i, link) in chain.iter().enumerate() {
        let name = one_line(&link.name);
        match link.role {
            Role::Publisher => parts.push(name),
            // A publisher that names itself as the source ("Coastline Wire has learned")
            // cites nobody.
            Role::Relay if i > 0 && chain[i - 1].name == link.name => {}
            Role::Relay => parts.push(format!("citing {name}")),
            Role::Document => {
                let mut part = format!("citing {}", with_article(&name, link.kind));
                if let Some(prev) = i.checked_sub(1).map(|p| &chain[p])
                    && let Some(cue) = &prev.cue
                    && cue.trim().ends_with(" by")
                {
                    part.push_str(&format!(" {} {}", one_line(cue), one_line(&prev.name)));
                }
                parts.push(part);
            }
            Role::Speaker => speaker = Some(link),
        }
    }
    let mut s = parts.join(", ");
    if let Some(link) = speaker {
        s.push_str(": ");
        s.push_str(&one_line(&link.name));
        if let Some(recipient) = &link.recipient {
            s.push_str(" to ");
            s.push_str(&one_line(recipient));
        }
    }
    s
}

/// "a record", "an email": a common-noun document name takes an indefinite article; a
/// proper name or one that already has an article is left alone.
fn with_article(name: &str, kind: SourceKind) -> String {
    let lower = name.to_lowercase();
    let starts_lower = name.chars().next().is_some_and(char::is_lowercase);
    let has_article = ["a ", "an ", "the ", "this ", "that ", "another "]
        .iter()
        .any(|a| lower.starts_with(a));
    if kind != SourceKind::Document || !starts_lower || has_article {
        return name.to_string();
    }
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// Text made to fit one line (claims may span paragraphs), inert on a terminal (see
/// [`crate::terminal::one_line`]).
pub fn one_line(s: &str) -> String {
    crate::terminal::one_line(s)
}

/// A piece of a sentence on one line (see [`one_line`]) with a single space kept where it
/// began or ended with white space, so that pieces put back together keep their word breaks.
pub fn spaced(piece: &str) -> (&'static str, String, &'static str) {
    let space = |yes: bool| if yes { " " } else { "" };
    (
        space(piece.starts_with(char::is_whitespace)),
        one_line(piece),
        space(piece.ends_with(char::is_whitespace)),
    )
}

/// The date part of a stored RFC 3339 timestamp.
pub fn date_of(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_link as link;
    use crate::model::{ClaimKind, ClaimSpans, Link, Span};

    fn claim(chain: Vec<Link>) -> Claim {
        Claim {
            text: "We put a 20-point plan together".into(),
            sentence: "".into(),
            kind: ClaimKind::DirectQuote,
            certainty: Certainty::Certain,
            hedges: vec![],
            cue: None,
            spans: ClaimSpans::default(),
            sentence_span: Span::new(0, 0),
            chain,
        }
    }

    #[test]
    fn the_sentence_marks_the_claim_by_its_spans_or_its_text() {
        let mut c = claim(vec![]);
        c.sentence = "Ortiz said «the plan» was agreed, she added.".into();
        c.text = "«the plan» was agreed".into();
        // Spans in characters of the document; the sentence starts at 100.
        c.sentence_span = Span::new(100, 100 + c.sentence.chars().count());
        c.spans.content = vec![Span::new(111, 132)];
        let pieces = marked_sentence(&c).unwrap();
        let shown: Vec<(bool, &str)> = pieces.iter().map(|p| (p.marked, p.text)).collect();
        assert_eq!(
            shown,
            [
                (false, "Ortiz said "),
                (true, "«the plan» was agreed"),
                (false, ", she added.")
            ]
        );
        // Spans that no longer spell the text (a corrected text): found by the text, or
        // not marked at all.
        c.text = "was agreed".into();
        let pieces = marked_sentence(&c).unwrap();
        assert_eq!(pieces[1].text, "was agreed");
        assert!(pieces[1].marked);
        c.text = "the plan was rejected".into();
        assert_eq!(marked_sentence(&c), None);
    }

    #[test]
    fn citation_reads_like_the_design_example() {
        let mut speaker = link(
            "Steve Witkoff",
            SourceKind::Person,
            Role::Speaker,
            Some("told"),
        );
        speaker.recipient = Some("Yuri Ushakov".into());
        let c = claim(vec![
            link("Kyiv Daily", SourceKind::Outlet, Role::Publisher, None),
            link(
                "Bloomberg",
                SourceKind::Outlet,
                Role::Relay,
                Some("reviewed by"),
            ),
            link(
                "record",
                SourceKind::Document,
                Role::Document,
                Some("according to"),
            ),
            speaker,
        ]);
        assert_eq!(
            citation(&c, Some("Kyiv Daily")),
            "Kyiv Daily, citing Bloomberg, citing a record reviewed by Bloomberg: \
             Steve Witkoff to Yuri Ushakov"
        );
    }

    #[test]
    fn citation_without_a_publisher_link_opens_with_the_article_outlet() {
        let c = claim(vec![link(
            "Bloomberg",
            SourceKind::Outlet,
            Role::Relay,
            Some("according to"),
        )]);
        assert_eq!(citation(&c, None), "unknown outlet, citing Bloomberg");
        assert_eq!(citation(&claim(vec![]), Some("Axios")), "Axios");
        let c = claim(vec![link(
            "the internal memo",
            SourceKind::Document,
            Role::Document,
            None,
        )]);
        assert_eq!(
            citation(&c, Some("Axios")),
            "Axios, citing the internal memo"
        );
    }
}
