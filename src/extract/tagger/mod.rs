//! The learned layer over the rules: a sequence labeller that reads each paragraph's
//! tokens with the rules' own analysis among its features, tags them B/I/O for source,
//! cue and content, and groups the tagged spans into attribution relations that the
//! article walk merges with the rules' claims (`super::layer`).
//!
//! - [`model`]: the averaged structured perceptron, Viterbi decoding, training, the file;
//! - [`crf`]: training the same weights as a linear-chain CRF (L-BFGS), the default;
//! - [`features`]: the hashed features of a token.
//!
//! Everything here is pure: tokens and tags in, tags and spans out.

pub mod crf;
pub mod features;
pub mod model;

pub use model::{Compiled, Model, Sequence, TrainOptions};

use crate::extract::frames::Range;
use crate::extract::text::Tokens;

/// Bytes aligned to a cache line.
#[repr(C, align(64))]
struct Aligned<B: ?Sized>(B);

/// The file in the binary, aligned so that each of its 16-byte buckets (after a 256-byte
/// header) lies inside one cache line.
static SHIPPED: &Aligned<[u8]> = &Aligned(*include_bytes!("../../../models/polnear-train.model"));

/// The model trained on PolNeAR's train split that ships with claimtrail (see MODEL.md).
pub static DEFAULT_MODEL: &[u8] = &SHIPPED.0;

/// One relation the tagger found: a cue, the nearest source and the contents nearest to
/// that cue, as token ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub cue: Range,
    pub source: Option<Range>,
    pub content: Vec<Range>,
}

/// The spans of a tag sequence as (role, token range), `offset` being the first token's
/// index in the article.
pub fn spans(tags: &[u8], offset: usize) -> Vec<(usize, Range)> {
    let mut out: Vec<(usize, Range)> = Vec::new();
    for (i, &tag) in tags.iter().enumerate() {
        let Some(role) = model::role(tag) else {
            continue;
        };
        match out.last_mut() {
            Some((r, range)) if !model::begins(tag) && *r == role && range.1 == offset + i => {
                range.1 += 1;
            }
            _ => out.push((role, (offset + i, offset + i + 1))),
        }
    }
    out
}

/// Tokens between two ranges (0 when they touch or overlap).
fn gap(a: Range, b: Range) -> usize {
    if a.1 <= b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// Groups one paragraph's spans into relations: every cue is one; each source goes to the
/// nearest cue (the closer of two sources wins), each content piece to the nearest cue.
pub fn relations(spans: &[(usize, Range)]) -> Vec<Relation> {
    let mut rels: Vec<Relation> = spans
        .iter()
        .filter(|(role, _)| *role == 1)
        .map(|&(_, cue)| Relation {
            cue,
            source: None,
            content: Vec::new(),
        })
        .collect();
    if rels.is_empty() {
        return rels;
    }
    // Between two cues as near, the first (measured on PolNeAR dev: a little better than
    // the one after).
    let nearest = |r: Range, rels: &[Relation]| {
        (0..rels.len())
            .min_by_key(|&k| gap(rels[k].cue, r))
            .unwrap_or(0)
    };
    for &(role, r) in spans {
        match role {
            0 => {
                let k = nearest(r, &rels);
                let closer = rels[k]
                    .source
                    .is_none_or(|s| gap(r, rels[k].cue) < gap(s, rels[k].cue));
                if closer {
                    rels[k].source = Some(r);
                }
            }
            2 => {
                let k = nearest(r, &rels);
                rels[k].content.push(r);
            }
            _ => {}
        }
    }
    rels
}

/// The tag of each token given labelled spans (byte ranges) of source, cue and content, one
/// layer per role.
pub(crate) fn tags_from_spans(tokens: &Tokens, roles: [&[(usize, usize)]; 3]) -> Vec<[u8; 3]> {
    let mut out = vec![[0u8; 3]; tokens.len()];
    for (role, spans) in roles.iter().enumerate() {
        for &(a, b) in spans.iter() {
            let first = tokens.toks.partition_point(|t| t.start < a);
            let mut k = first;
            while k < tokens.len() && tokens.toks[k].end <= b {
                out[k][role] = if k == first { 1 } else { 2 };
                k += 1;
            }
        }
    }
    out
}

/// Makes a tag sequence one the decoder can produce: an `I-x` that does not follow a tag
/// of its role (content resumed after a nested cue) opens a span, `B-x`.
pub fn repair(tags: &mut [u8]) {
    for i in 0..tags.len() {
        let t = tags[i];
        if t != model::O && !model::begins(t) {
            let prev = if i == 0 { model::O } else { tags[i - 1] };
            if prev == model::O || model::role(prev) != model::role(t) {
                tags[i] = t - 1;
            }
        }
    }
}

/// The one gold tag per token from the three layers: content over cue over source. An
/// attribution nested in another's content is left to the outer one, whose content stays
/// whole: measured on PolNeAR dev, this scored better than the other way round.
pub fn gold_tag(layers: [u8; 3]) -> u8 {
    let of = |role: u8, v: u8| 1 + 2 * role + (v - 1);
    if layers[2] != 0 {
        return of(2, layers[2]);
    }
    if layers[1] != 0 {
        of(1, layers[1])
    } else if layers[0] != 0 {
        of(0, layers[0])
    } else {
        model::O
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{B_CONTENT, B_CUE, B_SOURCE};

    #[test]
    fn spans_group_into_relations_by_the_nearest_cue() {
        // “A B,” he said . And “C,” she said
        let tags = [
            0,
            B_CONTENT,
            B_CONTENT + 1,
            0,
            B_SOURCE,
            B_CUE,
            0,
            0,
            0,
            B_CONTENT,
            0,
            B_SOURCE,
            B_CUE,
        ];
        let s = spans(&tags, 100);
        let rels = relations(&s);
        assert_eq!(rels.len(), 2);
        assert_eq!(rels[0].cue, (105, 106));
        assert_eq!(rels[0].source, Some((104, 105)));
        assert_eq!(rels[0].content, vec![(101, 103)]);
        assert_eq!(rels[1].source, Some((111, 112)));
        assert_eq!(rels[1].content, vec![(109, 110)]);
    }

    #[test]
    fn gold_tags_give_the_content_priority() {
        assert_eq!(gold_tag([0, 0, 2]), B_CONTENT + 1);
        assert_eq!(gold_tag([1, 2, 2]), B_CONTENT + 1);
        assert_eq!(gold_tag([1, 2, 0]), B_CUE + 1);
        assert_eq!(gold_tag([1, 0, 0]), B_SOURCE);
        assert_eq!(gold_tag([0, 0, 0]), model::O);
        let mut t = [B_CONTENT, B_CONTENT + 1, B_CUE, B_CONTENT + 1];
        repair(&mut t);
        assert_eq!(t, [B_CONTENT, B_CONTENT + 1, B_CUE, B_CONTENT]);
    }
}
