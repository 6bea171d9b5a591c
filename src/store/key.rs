//! The two identities the store is built on: the content hash of an article and the stable
//! key of a claim.

use crate::model::Claim;
use sha2::{Digest, Sha256};

/// SHA-256 of the text, lowercase hex: an article's identity.
pub fn content_hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// A key that names "the same claim" across extractor versions: the speaker's name and the
/// claim text, both normalised (case, punctuation and spacing ignored), so a better
/// extractor that trims a quote mark or fixes a span still lands on the same claim and its
/// verdicts. Spans, kind and certainty are not part of it: they are what a new extractor is
/// expected to improve.
pub fn claim_key(claim: &Claim) -> String {
    let speaker = claim
        .speaker()
        .map(|l| normalise(&l.name))
        .unwrap_or_default();
    let mut h = Sha256::new();
    // A version prefix, so the key recipe itself can change one day without silently
    // matching keys made the old way.
    h.update(b"claimtrail-claim-key-1\0");
    h.update(speaker.as_bytes());
    h.update(b"\0");
    h.update(normalise(&claim.text).as_bytes());
    hex(&h.finalize()[..16])
}

/// The stored key of each claim of one extraction, in order: [`claim_key`], and for the
/// same claim twice in one article (a quote repeated) its occurrence number after it, so
/// the n-th occurrence matches the n-th occurrence next time. Ingest stores these; export
/// recomputes them to recover a claim whose row is on a damaged page.
pub fn claim_keys(claims: &[Claim]) -> Vec<String> {
    let mut occurrences: std::collections::HashMap<String, usize> = Default::default();
    claims
        .iter()
        .map(|claim| {
            let base = claim_key(claim);
            let n = occurrences.entry(base.clone()).or_default();
            *n += 1;
            if *n == 1 { base } else { format!("{base}-{n}") }
        })
        .collect()
}

/// Lowercase, letters and digits only, single spaces between words.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, ClaimKind, ClaimSpans, Link, Role, SourceKind, Span};

    fn claim(text: &str, speaker: Option<&str>) -> Claim {
        Claim {
            text: text.into(),
            sentence: text.into(),
            kind: ClaimKind::Indirect,
            certainty: Certainty::Certain,
            hedges: vec![],
            cue: None,
            spans: ClaimSpans::default(),
            sentence_span: Span::new(0, 1),
            chain: speaker
                .map(|s| Link {
                    name: s.into(),
                    kind: SourceKind::Person,
                    role: Role::Speaker,
                    cue: None,
                    recipient: None,
                    span: None,
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn claim_key_ignores_case_punctuation_and_spacing() {
        let a = claim("“We put a plan together,” ", Some("Steve Witkoff"));
        let b = claim("we put a  plan together", Some("steve witkoff"));
        assert_eq!(claim_key(&a), claim_key(&b));
        assert_eq!(claim_key(&a).len(), 32);
    }

    #[test]
    fn claim_key_depends_on_speaker_and_text() {
        let a = claim("the plan is ready", Some("Steve Witkoff"));
        assert_ne!(
            claim_key(&a),
            claim_key(&claim("the plan is ready", Some("Yuri Ushakov")))
        );
        assert_ne!(claim_key(&a), claim_key(&claim("the plan is ready", None)));
        assert_ne!(
            claim_key(&a),
            claim_key(&claim("the plan is not ready", Some("Steve Witkoff")))
        );
    }
}
