//! The index schema: one tantivy document per claim, and how a stored claim becomes one.
//!
//! Two kinds of fields. `words` (the claim's sentence and the claim) is analysed with an
//! English stemming analyser ([`ANALYZER`]) and ranked by BM25; `text`, the claim, is only
//! stored, for highlighting. Everything a filter looks at (outlet, source, speaker,
//! status, certainty, kind, source kinds) is a raw `STRING` field holding lower-cased exact
//! values, matched by term queries that do not score; `speaker`, `outlet`, `status`,
//! `certainty` and `kind` are fast as well, counted per value by [`super::facets`]. `id` is
//! indexed (updates are a delete by id and an add) and fast; `published` (days since
//! 0001-01-01, absent when unknown) and `risk` (the score of [`super::risk`]) are fast, for
//! ordering without a score and, for `risk`, `--min-risk`.

use super::risk::risk;
use super::stem::EnglishStemmer;
use crate::model::{Role, SourceKind};
use crate::store::StoredClaim;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

/// The name the English analyser is registered under (tokenizers are not stored in the
/// index: every [`Index`] opened gets it from [`register`]).
pub const ANALYZER: &str = "claimtrail_en";

/// The version of this schema and of what goes into its documents. An index written with
/// another one is rebuilt on open. 6: `risk` holds the score of [`super::risk`], not a
/// tier from 0 to 4. 7: `checked`. 8: `speaker`, `publisher`, `status`, `certainty` and
/// `kind` are fast too, for the counts per value of a search ([`super::facets`]). 9: `outlet`
/// (several values: the publisher and the chain's outlets) is fast instead of `publisher`,
/// so an outlet's count is what the `outlet` filter selects.
pub const FORMAT: u32 = 9;

/// The fields of the schema, by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The claim, stored (for the highlights of a hit), not searched itself.
    pub text: Field,
    /// What free text is matched against: the claim's sentence, then the claim. One field,
    /// so a word is one posting list to score, not the union of two (half of a word
    /// query's time when they were two fields); the claim's own words count once more,
    /// so of the claims of one sentence those saying the word rank first.
    pub words: Field,
    /// The original speaker's canonical name, lower-case.
    pub speaker: Field,
    /// Every source of the chain, canonical names, lower-case.
    pub source: Field,
    /// The publisher and every outlet of the chain, lower-case.
    pub outlet: Field,
    /// The article's publisher, lower-case.
    pub publisher: Field,
    /// The kinds of the chain's sources.
    pub source_kind: Field,
    pub status: Field,
    pub certainty: Field,
    pub kind: Field,
    /// "1" for a claim the latest extraction no longer finds.
    pub orphaned: Field,
    /// "1" for a claim a fact-checker marked as not a claim.
    pub rejected: Field,
    /// "1" when the claim says what a fact-check already judged (`claim_checks`).
    pub checked: Field,
    /// "1" for a claim of an article taken out of every listing (`claimtrail remove`).
    pub removed: Field,
    pub published: Field,
    pub risk: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analysed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            id: b.add_u64_field("id", INDEXED | FAST | STORED),
            text: b.add_text_field("text", STORED),
            words: b.add_text_field("words", analysed),
            speaker: b.add_text_field("speaker", STRING | FAST),
            source: b.add_text_field("source", STRING),
            outlet: b.add_text_field("outlet", STRING | FAST),
            publisher: b.add_text_field("publisher", STRING),
            source_kind: b.add_text_field("source_kind", STRING),
            status: b.add_text_field("status", STRING | STORED | FAST),
            certainty: b.add_text_field("certainty", STRING | FAST),
            kind: b.add_text_field("kind", STRING | FAST),
            orphaned: b.add_text_field("orphaned", STRING),
            rejected: b.add_text_field("rejected", STRING),
            checked: b.add_text_field("checked", STRING),
            removed: b.add_text_field("removed", STRING),
            published: b.add_i64_field("published", INDEXED | FAST),
            risk: b.add_u64_field("risk", FAST | INDEXED),
        };
        (b.build(), fields)
    }

    /// The fields of an opened index, which must have this schema.
    pub fn of(index: &Index) -> Option<Fields> {
        let (schema, fields) = Fields::schema();
        (index.schema() == schema).then_some(fields)
    }

    /// The document of one claim.
    pub fn document(&self, c: &StoredClaim) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.id, c.id as u64);
        doc.add_text(self.text, &c.claim.text);
        // Two values: a phrase does not run from the end of one into the other.
        doc.add_text(self.words, &c.claim.sentence);
        doc.add_text(self.words, &c.claim.text);
        if let Some(speaker) = c.claim.speaker() {
            doc.add_text(self.speaker, exact(&speaker.name));
        }
        let mut outlets: Vec<String> = Vec::new();
        if let Some(publisher) = &c.article.outlet {
            doc.add_text(self.publisher, exact(publisher));
            outlets.push(exact(publisher));
        }
        let mut kinds: Vec<&str> = Vec::new();
        for link in &c.claim.chain {
            doc.add_text(self.source, exact(&link.name));
            if link.kind == SourceKind::Outlet || link.role == Role::Publisher {
                outlets.push(exact(&link.name));
            }
            kinds.push(link.kind.as_str());
        }
        outlets.sort();
        outlets.dedup();
        for outlet in outlets {
            doc.add_text(self.outlet, outlet);
        }
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            doc.add_text(self.source_kind, kind);
        }
        doc.add_text(self.status, c.status.as_str());
        doc.add_text(self.certainty, c.claim.certainty.as_str());
        doc.add_text(self.kind, c.claim.kind.as_str());
        doc.add_text(self.orphaned, if c.orphaned { "1" } else { "0" });
        doc.add_text(self.rejected, if c.rejected { "1" } else { "0" });
        doc.add_text(self.checked, if c.checked { "1" } else { "0" });
        doc.add_text(self.removed, if c.removed { "1" } else { "0" });
        if let Some(date) = c.article.published {
            doc.add_i64(self.published, days(date));
        }
        doc.add_u64(self.risk, u64::from(risk(c).score));
        doc
    }
}

/// Registers the analysers an index of this schema needs.
pub fn register(index: &Index) {
    let english = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(EnglishStemmer)
        .build();
    index.tokenizers().register(ANALYZER, english);
}

/// How a name or value is stored in an exact-match field: single-spaced, lower-case.
pub fn exact(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A date as the `published` field holds it.
pub fn days(date: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce())
}
