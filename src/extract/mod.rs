//! Extraction: text in, claims out. Pure: no database, clock, files or globals.
//!
//! PLACEHOLDER: a first version that treats every sentence as the publisher's own
//! assertion. The real extractor (issue 3) replaces the body of `Extractor::extract`;
//! its signature is the contract the store and the command line build on.

use crate::model::{
    ArticleMeta, Certainty, Claim, ClaimKind, ClaimSpans, Extraction, Link, Role, SourceKind, Span,
};

/// The extractor with its lexicons parsed. Build it once and reuse it for every article.
#[derive(Debug, Default)]
pub struct Extractor {}

impl Extractor {
    pub fn new() -> Self {
        Extractor {}
    }

    /// Every claim of one article, with spans as char offsets into `text`.
    pub fn extract(&self, text: &str, meta: &ArticleMeta) -> Extraction {
        let mut claims = Vec::new();
        let mut pos = 0usize;
        for line in text.split_inclusive('\n') {
            let n = line.chars().count();
            let trimmed = line.trim_end();
            if trimmed.ends_with('.') {
                let span = Span::new(pos, pos + trimmed.chars().count());
                let chain = meta
                    .outlet
                    .iter()
                    .map(|o| Link {
                        name: o.clone(),
                        kind: SourceKind::Outlet,
                        role: Role::Publisher,
                        cue: None,
                        recipient: None,
                        span: None,
                    })
                    .collect();
                claims.push(Claim {
                    text: trimmed.to_string(),
                    sentence: trimmed.to_string(),
                    kind: ClaimKind::Assertion,
                    certainty: Certainty::Certain,
                    hedges: vec![],
                    cue: None,
                    spans: ClaimSpans {
                        source: None,
                        cue: None,
                        content: vec![span],
                    },
                    sentence_span: span,
                    chain,
                });
            }
            pos += n;
        }
        Extraction {
            claims,
            sources: vec![],
        }
    }
}

/// Bumped whenever extraction output can change for the same text, so that `ingest`
/// re-extracts stored articles (keeping every verdict).
pub const VERSION: u32 = 1;
