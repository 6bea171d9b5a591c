//! The features of each token for the learned layer: the word and its neighbours (±2),
//! bigrams, its shape, prefix and suffixes, whether it is quoted, which lexicons mark it,
//! whether it opens a sentence, and the rules' own analysis of it (B/I/O for source, cue
//! and content, at the token and its neighbours, and with the word).
//!
//! Every feature is a 64-bit hash of a template number and a value, computed with a fixed
//! function (FNV-1a, then a mixer) so that a model trained once reads the same on every
//! machine and every version of the dependencies.

use crate::extract::text::{TokKind, Tokens};

/// How many features each token has: the length of every row [`token_features`] writes.
pub const PER_TOKEN: usize = 32;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// A feature from its template and value: mixed (splitmix64's finaliser) so that the top
/// bits, which pick the bucket, depend on every bit of both.
#[inline]
fn feat(template: u64, value: u64) -> u64 {
    let mut z = value ^ template.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Per-token facts computed once and read by the windows of its neighbours.
struct Facts {
    word: u64,
    shape: u64,
    rule: u8,
    bits: u32,
}

/// The shape of a word: each char as X, x, d or itself, runs collapsed ("Xxx", "d.d").
fn shape(s: &str) -> u64 {
    let mut out = [0u8; 8];
    let mut n = 0;
    let mut last = 0u8;
    for c in s.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'u'
        };
        if k != last && n < out.len() {
            out[n] = k;
            n += 1;
        }
        last = k;
    }
    fnv(&out[..n])
}

/// The rules' tag of each token as one number `source*9 + cue*3 + content`, each
/// 0 (outside), 1 (begin) or 2 (inside).
pub type RuleTags = Vec<u8>;

/// Writes the [`PER_TOKEN`] feature hashes of every token of `t0..t1` into `out`, in token
/// order. `starts[k]` says whether token `k` opens a sentence.
pub(crate) fn token_features(
    tokens: &Tokens,
    text: &str,
    (t0, t1): (usize, usize),
    rules: &[u8],
    starts: &[bool],
    out: &mut Vec<u64>,
) {
    let facts: Vec<Facts> = (t0..t1)
        .map(|k| {
            let tok = &tokens.toks[k];
            Facts {
                word: fnv(tokens.lower(k).as_bytes()),
                shape: shape(&text[tok.start..tok.end]),
                rule: rules[k],
                bits: tokens.bits.get(k).copied().unwrap_or(0),
            }
        })
        .collect();
    const EDGE: u64 = 0x5EED;
    let len = t1 - t0;
    // How far the nearest word a cue can start with is, to the left and to the right inside
    // the token's sentence: content sits beside its cue, a source just before or after it.
    let is_cue = |f: &Facts| f.bits != u32::MAX && f.bits & crate::extract::lexicon::CUE_BITS != 0;
    let mut left = vec![usize::MAX; len];
    let mut right = vec![usize::MAX; len];
    let mut last = usize::MAX;
    for i in 0..len {
        if starts[t0 + i] {
            last = usize::MAX;
        }
        if is_cue(&facts[i]) {
            last = i;
        }
        left[i] = if last == usize::MAX {
            usize::MAX
        } else {
            i - last
        };
    }
    let mut next = usize::MAX;
    for i in (0..len).rev() {
        if is_cue(&facts[i]) {
            next = i;
        }
        right[i] = if next == usize::MAX {
            usize::MAX
        } else {
            next - i
        };
        if starts[t0 + i] {
            next = usize::MAX;
        }
    }
    let bucket = |d: usize| -> u64 {
        match d {
            0..=3 => d as u64,
            4..=6 => 4,
            7..=12 => 5,
            13..=25 => 6,
            usize::MAX => 8,
            _ => 7,
        }
    };
    for i in 0..len {
        let k = t0 + i;
        let at = |d: isize| -> Option<&Facts> {
            let j = i as isize + d;
            (j >= 0 && (j as usize) < len).then(|| &facts[j as usize])
        };
        let w = |d: isize| at(d).map_or(EDGE, |f| f.word);
        let r = |d: isize| at(d).map_or(99, |f| f.rule) as u64;
        let b = |d: isize| at(d).map_or(u32::MAX, |f| f.bits) as u64;
        let f = &facts[i];
        // The first three and the last two and three chars, as slices of the word (no
        // allocation per token: extraction speed).
        let lower = tokens.lower(k);
        let pre = lower
            .char_indices()
            .nth(3)
            .map_or(lower, |(b, _)| &lower[..b]);
        let from_end = |n: usize| {
            lower
                .char_indices()
                .rev()
                .nth(n - 1)
                .map_or(lower, |(b, _)| &lower[b..])
        };
        let (suf3, suf2) = (from_end(3), from_end(2));
        let quote_of = |k: usize| {
            let tok = &tokens.toks[k];
            match tok.kind {
                TokKind::QuoteOpen => 1,
                TokKind::QuoteClose => 2,
                _ => tok.quoted as u64 + 3 * tok.cap as u64,
            }
        };
        let quote_at = |d: isize| {
            let j = i as isize + d;
            if j >= 0 && (j as usize) < len {
                quote_of(t0 + j as usize)
            } else {
                7
            }
        };
        let tok = &tokens.toks[k];
        let quote = quote_of(k);
        let row = [
            feat(0, 0),
            feat(1, f.word),
            feat(2, w(-1)),
            feat(3, w(1)),
            feat(4, w(-2)),
            feat(5, w(2)),
            feat(6, w(-1).rotate_left(17) ^ f.word),
            feat(7, f.word.rotate_left(17) ^ w(1)),
            feat(8, f.shape),
            feat(9, fnv(pre.as_bytes())),
            feat(10, fnv(suf3.as_bytes())),
            feat(11, fnv(suf2.as_bytes())),
            feat(12, quote),
            feat(13, r(0)),
            feat(14, r(-1)),
            feat(15, r(1)),
            feat(16, f.word ^ r(0).wrapping_mul(0x1234_5678_9ABC)),
            feat(17, r(-1) * 100 + r(0) * 10000 + r(1)),
            feat(18, b(0)),
            feat(19, b(-1)),
            feat(20, b(1)),
            feat(21, starts[k] as u64 + 2 * tok.possessive as u64),
            feat(22, w(-1) ^ r(0).wrapping_mul(0x5555_1234_9876)),
            feat(23, w(1) ^ r(0).wrapping_mul(0x7777_4321_6789)),
            feat(24, b(-2) ^ (b(2) << 32)),
            feat(25, w(-1).rotate_left(9) ^ b(0)),
            feat(26, (i.min(8) as u64) * 2 + (i + 1 == len) as u64),
            feat(27, quote_at(-1) * 8 + quote_at(1)),
            feat(28, bucket(left[i]) * 16 + bucket(right[i])),
            feat(
                29,
                f.word
                    ^ ((left[i] != usize::MAX) as u64 * 2 + (right[i] != usize::MAX) as u64)
                        .wrapping_mul(0x3141_5926_5358_9793),
            ),
            feat(30, (bucket(left[i]) * 16 + bucket(right[i])) * 100 + r(0)),
            feat(
                31,
                f.shape ^ (r(0) * 8 + quote).wrapping_mul(0x2718_2818_2845_9045),
            ),
        ];
        out.extend_from_slice(&row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed_across_builds() {
        // The shipped model was trained with these values: they must never change.
        assert_eq!(feat(1, fnv(b"said")), 0x25e2_6c37_a8ff_2944);
        assert_eq!(fnv(b""), FNV_OFFSET);
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(feat(1, 2), feat(1, 2));
        assert_ne!(feat(1, 2), feat(2, 1));
        assert_eq!(shape("McCain"), shape("DeVos"));
        assert_ne!(shape("U.S."), shape("US"));
    }
}
