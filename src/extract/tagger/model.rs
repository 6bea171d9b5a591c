//! The learned layer's model: an averaged structured perceptron over BIO tags with hashed
//! features, decoded by Viterbi under the BIO constraint (an `I-x` tag only follows a
//! `B-x` or `I-x`), its training loop, and its file format.
//!
//! A feature is a 64-bit hash (see [`super::features`]); its weights live in bucket
//! `hash >> (64 - bits)` of a dense table, one weight per tag. Hashing keeps the model a
//! fixed-size block of numbers with no vocabulary in it, so no corpus text is stored.

use std::borrow::Cow;

/// The tags: outside, then begin/inside for source, cue and content.
pub const TAGS: usize = 7;
pub const O: u8 = 0;
pub const B_SOURCE: u8 = 1;
pub const B_CUE: u8 = 3;
pub const B_CONTENT: u8 = 5;

/// The role a tag belongs to (0 source, 1 cue, 2 content), `None` for outside.
pub fn role(tag: u8) -> Option<usize> {
    (tag != O).then(|| (tag as usize - 1) / 2)
}

/// Whether a tag opens a span.
pub fn begins(tag: u8) -> bool {
    tag != O && (tag - 1).is_multiple_of(2)
}

/// `I-x` may only follow `B-x` or `I-x`; `None` for the start of a sequence.
fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if cur == O || begins(cur) {
        return true;
    }
    prev.is_some_and(|p| p != O && role(p) == role(cur))
}

/// How many tokens ahead decoding asks for the weights it will read (see [`Model::decode`]).
const AHEAD: usize = 4;

/// The file of version 1: `f32` weights, seven to a bucket.
const MAGIC: &[u8; 16] = b"claimtrail-tag\0\x01";

/// One bucket's weights, one per tag, padded to eight and aligned so that a bucket is
/// always inside one cache line (with seven unaligned weights almost half of them straddled
/// two, and decoding is bound by these random reads) and sums as one vector add.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C, align(32))]
struct Row([f32; 8]);

/// Weights of one trained model.
#[derive(Debug, Clone)]
pub struct Model {
    bits: u32,
    /// One row per bucket.
    weights: Vec<Row>,
    /// `(TAGS + 1) × TAGS`: row `TAGS` is the start of a sequence.
    trans: Vec<f32>,
}

impl Model {
    pub fn new(bits: u32) -> Model {
        Model {
            bits,
            weights: vec![Row::default(); 1usize << bits],
            trans: vec![0.0; (TAGS + 1) * TAGS],
        }
    }

    /// How many buckets the table has.
    pub(super) fn buckets(&self) -> usize {
        self.weights.len()
    }

    /// Sets the weights from a dense table (`bucket × TAGS + tag`) and the tag-to-tag
    /// transitions (`TAGS × TAGS`); the start of a sequence weighs nothing.
    pub(super) fn set_weights(&mut self, table: &[f64], trans: &[f64]) {
        for (row, w) in self.weights.iter_mut().zip(table.chunks_exact(TAGS)) {
            for (r, w) in row.0.iter_mut().zip(w) {
                *r = *w as f32;
            }
        }
        for (t, w) in self.trans.iter_mut().zip(trans) {
            *t = *w as f32;
        }
        for t in &mut self.trans[TAGS * TAGS..] {
            *t = 0.0;
        }
    }

    /// The bucket of a feature hash.
    #[inline]
    pub fn bucket(&self, hash: u64) -> u32 {
        (hash >> (64 - self.bits)) as u32
    }

    /// The tags of one sequence: `feats` holds `n` buckets per token.
    pub fn decode(&self, feats: &[u32], n: usize) -> Vec<u8> {
        let len = feats.len() / n;
        let mut emit = vec![0f32; len * TAGS];
        for (i, token) in feats.chunks_exact(n).enumerate() {
            let row = &mut emit[i * TAGS..(i + 1) * TAGS];
            for &f in token {
                for (e, w) in row.iter_mut().zip(&self.weights[f as usize].0) {
                    *e += w;
                }
            }
        }
        viterbi(&self.trans, &emit)
    }

    /// The model as extraction reads it and as files hold it: the weights as 16-bit
    /// integers, eight to a bucket (the eighth is zero), after a header of 256 bytes. A
    /// bucket is then 16 bytes, a quarter of `f32` padded to eight, so more of the table stays
    /// in the caches (decoding is bound by these random reads), and the file is read where it
    /// lies, with no pass over its 2 million weights when a command starts (a debug build
    /// spent 0.3 s converting the `f32` file of version 1). The scale maps the largest weight
    /// to 32,767: each weight moves by at most half a step, 1/65,534 of the largest
    /// (PolNeAR dev scored the same to the decimal).
    pub fn compile(&self) -> Compiled {
        let max = self
            .weights
            .iter()
            .flat_map(|r| r.0)
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let unit = 1.0 / scale;
        let mut out = Vec::with_capacity(HEADER + 16 * self.weights.len());
        out.extend_from_slice(MAGIC_2);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(TAGS as u32).to_le_bytes());
        out.extend_from_slice(&unit.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        for w in &self.trans {
            out.extend_from_slice(&w.to_le_bytes());
        }
        debug_assert_eq!(out.len(), HEADER);
        for r in &self.weights {
            for y in 0..8 {
                let q = if y < TAGS {
                    (r.0[y] * scale).round() as i16
                } else {
                    0
                };
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        Compiled::from_bytes(Cow::Owned(out)).expect("a model compiles to a readable file")
    }

    /// The model in the file format of version 1 (`f32` weights, seven to a bucket), which
    /// [`Compiled::from_bytes`] still reads.
    pub fn to_bytes_v1(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + 4 * (self.trans.len() + 7 * self.weights.len()));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(TAGS as u32).to_le_bytes());
        let weights = self.weights.iter().flat_map(|r| &r.0[..TAGS]);
        for w in self.trans.iter().chain(weights) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Reads a model file of version 1 (see [`Model::to_bytes_v1`]).
    fn from_bytes_v1(b: &[u8]) -> Result<Model, String> {
        if b.len() < 24 || &b[..16] != MAGIC {
            return Err("not a claimtrail tagger model (bad header)".into());
        }
        let word = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        let (bits, tags) = (word(16), word(20));
        if tags as usize != TAGS || !(8..=24).contains(&bits) {
            return Err(format!(
                "unsupported tagger model ({tags} tags, {bits} bucket bits)"
            ));
        }
        let nt = (TAGS + 1) * TAGS;
        let nw = (1usize << bits) * TAGS;
        if b.len() != 24 + 4 * (nt + nw) {
            return Err(format!(
                "tagger model cut short or padded: {} bytes, {} expected",
                b.len(),
                24 + 4 * (nt + nw)
            ));
        }
        let mut vals = b[24..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let trans: Vec<f32> = vals.by_ref().take(nt).collect();
        let flat: Vec<f32> = vals.collect();
        if trans.iter().chain(&flat).any(|w| !w.is_finite()) {
            return Err("tagger model holds a weight that is not a number".into());
        }
        let weights = flat
            .chunks_exact(TAGS)
            .map(|c| {
                let mut row = Row::default();
                row.0[..TAGS].copy_from_slice(c);
                row
            })
            .collect();
        Ok(Model {
            bits,
            weights,
            trans,
        })
    }
}

/// The best tag sequence under the BIO constraint, given the emission scores of each token
/// (`TAGS` per token) and the transition weights.
fn viterbi(trans: &[f32], emit: &[f32]) -> Vec<u8> {
    let len = emit.len() / TAGS;
    if len == 0 {
        return Vec::new();
    }
    let mut score = vec![f32::NEG_INFINITY; len * TAGS];
    let mut back = vec![0u8; len * TAGS];
    for y in 0..TAGS {
        if allowed(None, y as u8) {
            score[y] = trans[TAGS * TAGS + y] + emit[y];
        }
    }
    for i in 1..len {
        for y in 0..TAGS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..TAGS {
                if !allowed(Some(p as u8), y as u8) {
                    continue;
                }
                let s = score[(i - 1) * TAGS + p] + trans[p * TAGS + y];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            score[i * TAGS + y] = best + emit[i * TAGS + y];
            back[i * TAGS + y] = arg;
        }
    }
    let last = &score[(len - 1) * TAGS..];
    let mut y = (0..TAGS)
        .max_by(|&a, &b| last[a].total_cmp(&last[b]).then(b.cmp(&a)))
        .unwrap_or(0) as u8;
    let mut out = vec![0u8; len];
    for i in (0..len).rev() {
        out[i] = y;
        y = back[i * TAGS + y as usize];
    }
    out
}

/// The header of a compiled model file: magic, bucket bits, tag count, the worth of one
/// integer step, four zero bytes, then the `(TAGS + 1) × TAGS` transition weights.
const HEADER: usize = 32 + 4 * (TAGS + 1) * TAGS;
const MAGIC_2: &[u8; 16] = b"claimtrail-tag\0\x02";

/// A model ready to tag (see [`Model::compile`]): the file's bytes, read in place.
#[derive(Debug, Clone)]
pub struct Compiled {
    bits: u32,
    bytes: Cow<'static, [u8]>,
    /// What one integer step of a weight is worth.
    unit: f32,
    trans: Vec<f32>,
}

impl Compiled {
    /// Reads a model file (either version); the message says what is wrong.
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<Compiled, String> {
        let b = &bytes[..];
        if b.len() >= 16 && &b[..16] == MAGIC {
            return Ok(Model::from_bytes_v1(b)?.compile());
        }
        if b.len() < HEADER || &b[..16] != MAGIC_2 {
            return Err("not a claimtrail tagger model (bad header)".into());
        }
        let word = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        let (bits, tags, unit) = (word(16), word(20), f32::from_bits(word(24)));
        if tags as usize != TAGS || !(8..=24).contains(&bits) {
            return Err(format!(
                "unsupported tagger model ({tags} tags, {bits} bucket bits)"
            ));
        }
        let want = HEADER + 16 * (1usize << bits);
        if b.len() != want {
            return Err(format!(
                "tagger model cut short or padded: {} bytes, {want} expected",
                b.len()
            ));
        }
        let trans: Vec<f32> = (0..(TAGS + 1) * TAGS)
            .map(|k| f32::from_bits(word(32 + 4 * k)))
            .collect();
        if !(unit.is_finite() && unit > 0.0) || trans.iter().any(|w| !w.is_finite()) {
            return Err("tagger model holds a weight that is not a number".into());
        }
        Ok(Compiled {
            bits,
            bytes,
            unit,
            trans,
        })
    }

    /// The file's bytes (what `claimtrail train` writes).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bucket of a feature hash.
    #[inline]
    pub fn bucket(&self, hash: u64) -> u32 {
        (hash >> (64 - self.bits)) as u32
    }

    /// The tags of one sequence: `feats` holds `n` buckets per token.
    pub fn decode(&self, feats: &[u32], n: usize) -> Vec<u8> {
        let rows = &self.bytes[HEADER..];
        let len = feats.len() / n;
        let mut emit = vec![0f32; len * TAGS];
        for (i, token) in feats.chunks_exact(n).enumerate() {
            // Each of a token's features is a read at a random place of the table, most of
            // them cache misses: asking for the rows of a token a few ahead lets those
            // reads overlap with this token's sums (measured: the learned layer's cost
            // fell by half).
            #[cfg(target_arch = "x86_64")]
            for &f in feats
                .get((i + AHEAD) * n..(i + AHEAD + 1) * n)
                .unwrap_or(&[])
            {
                if let Some(p) = rows.get(16 * f as usize) {
                    let p = p as *const u8 as *const i8;
                    // SAFETY: a prefetch is a hint that never faults, and SSE is in every
                    // x86-64.
                    unsafe {
                        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p)
                    };
                }
            }
            let mut sum = [0i32; TAGS];
            for &f in token {
                let row = &rows[16 * f as usize..16 * f as usize + 16];
                for (y, s) in sum.iter_mut().enumerate() {
                    *s += i16::from_le_bytes([row[2 * y], row[2 * y + 1]]) as i32;
                }
            }
            for (e, s) in emit[i * TAGS..(i + 1) * TAGS].iter_mut().zip(sum) {
                *e = s as f32 * self.unit;
            }
        }
        viterbi(&self.trans, &emit)
    }
}

/// One training sequence: `n` feature buckets per token and the gold tag of each token.
#[derive(Debug, Clone)]
pub struct Sequence {
    pub feats: Vec<u32>,
    pub gold: Vec<u8>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
}

/// A small, seeded generator (xorshift64*) for the order of sequences in each epoch: the
/// same seed gives the same model.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Trains an averaged perceptron: for each sequence in a seeded shuffled order, decode
/// with the current weights and move them towards the gold tags where they differ. The
/// averaged weights (the mean over every step) are what is returned; they generalise far
/// better than the last ones. `progress` is called after each epoch with (epoch, errors).
pub fn train(
    model: &mut Model,
    seqs: &[Sequence],
    n: usize,
    opts: TrainOptions,
    mut progress: impl FnMut(usize, usize),
) {
    // `acc` holds the sum of step × update, so that the average is `w - acc / steps`.
    let mut acc_w = vec![Row::default(); model.weights.len()];
    let mut acc_t = vec![0f32; model.trans.len()];
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    let mut step = 1f32;
    for epoch in 0..opts.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errors = 0usize;
        for &k in &order {
            let s = &seqs[k];
            let pred = model.decode(&s.feats, n);
            if pred != s.gold {
                for i in 0..s.gold.len() {
                    let (g, p) = (s.gold[i] as usize, pred[i] as usize);
                    if g != p {
                        errors += 1;
                        for &f in &s.feats[i * n..(i + 1) * n] {
                            let (w, a) =
                                (&mut model.weights[f as usize].0, &mut acc_w[f as usize].0);
                            w[g] += 1.0;
                            w[p] -= 1.0;
                            a[g] += step;
                            a[p] -= step;
                        }
                    }
                    let prev = |t: &[u8]| if i == 0 { TAGS } else { t[i - 1] as usize };
                    let (gp, pp) = (prev(&s.gold), prev(&pred));
                    if (gp, g) != (pp, p) {
                        model.trans[gp * TAGS + g] += 1.0;
                        model.trans[pp * TAGS + p] -= 1.0;
                        acc_t[gp * TAGS + g] += step;
                        acc_t[pp * TAGS + p] -= step;
                    }
                }
            }
            step += 1.0;
        }
        progress(epoch + 1, errors);
    }
    for (w, a) in model.weights.iter_mut().zip(&acc_w) {
        for (w, a) in w.0.iter_mut().zip(&a.0) {
            *w -= a / step;
        }
    }
    for (w, a) in model.trans.iter_mut().zip(&acc_t) {
        *w -= a / step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_never_opens_a_span_with_inside() {
        let mut m = Model::new(8);
        // Every token strongly prefers I-cue: the best allowed path is B-cue then I-cue.
        m.weights[0].0[4] = 10.0;
        let tags = m.decode(&[0, 0, 0], 1);
        assert_eq!(tags, vec![B_CUE, 4, 4]);
    }

    #[test]
    fn training_learns_a_separable_toy_and_is_deterministic() {
        // Feature 1 marks cue words, feature 2 the rest.
        let seqs = vec![
            Sequence {
                feats: vec![2, 1, 2],
                gold: vec![O, B_CUE, O],
            },
            Sequence {
                feats: vec![1, 2],
                gold: vec![B_CUE, O],
            },
            Sequence {
                feats: vec![2, 2, 1],
                gold: vec![O, O, B_CUE],
            },
        ];
        let opts = TrainOptions { epochs: 5, seed: 7 };
        let mut a = Model::new(8);
        train(&mut a, &seqs, 1, opts, |_, _| {});
        assert_eq!(a.decode(&[2, 1, 2], 1), vec![O, B_CUE, O]);
        assert_eq!(a.decode(&[2, 2, 1], 1), vec![O, O, B_CUE]);
        // What extraction runs decodes the same.
        let c = a.compile();
        assert_eq!(c.decode(&[2, 1, 2], 1), vec![O, B_CUE, O]);
        assert_eq!(c.decode(&[2, 2, 1], 1), vec![O, O, B_CUE]);
        let mut b = Model::new(8);
        train(&mut b, &seqs, 1, opts, |_, _| {});
        assert_eq!(a.compile().as_bytes(), b.compile().as_bytes());
        let bytes = a.compile().as_bytes().to_vec();
        let back = Compiled::from_bytes(Cow::Owned(bytes.clone())).unwrap();
        assert_eq!(back.as_bytes(), &bytes[..]);
        assert!(Compiled::from_bytes(Cow::Owned(bytes[..100].to_vec())).is_err());
        // A file of version 1 reads as the same model.
        let v1 = Compiled::from_bytes(Cow::Owned(a.to_bytes_v1())).unwrap();
        assert_eq!(v1.as_bytes(), &bytes[..]);
    }
}
