//! Training the tagger's weights as a linear-chain CRF: the penalised log-likelihood of the
//! gold tags (forward-backward marginals) maximised by L-BFGS, as CRFsuite does it.
//!
//! Why a CRF beside the perceptron: on the same hashed features and the same decoding, the
//! perceptron's mistake-driven updates leave many weak, noisy weights (PolNeAR dev source
//! exact precision 76.6); fitted to convergence with an L2 penalty the same features give
//! more precise spans (see MODEL.md for the measured figures).
//!
//! Like CRFsuite's defaults, a (bucket, tag) weight is free only if the bucket occurs on a
//! token of that gold tag, and a transition only if the gold tags make it; every other
//! weight stays zero. That keeps the model sparse where the data says nothing. Training is
//! unconstrained (every tag sequence counts in the partition function); decoding applies
//! the BIO constraint.
//!
//! Deterministic: the sequences are cut into a fixed number of shards whatever the machine
//! has, each shard's gradient is summed in its own order and the shards in theirs, so the
//! same corpus and settings give the same bytes on any number of cores.

use super::model::{Model, Sequence, TAGS};
use std::collections::VecDeque;

/// Training settings of the CRF.
#[derive(Debug, Clone, Copy)]
pub struct CrfOptions {
    /// The L2 penalty: the objective is the negative log-likelihood plus `c2 · |w|²`.
    pub c2: f64,
    /// At most this many L-BFGS iterations.
    pub iterations: usize,
}

/// Shards of the gradient (fixed, for determinism; threads take them as cores allow).
const SHARDS: usize = 4;

/// Corrections L-BFGS remembers (CRFsuite's default).
const MEMORY: usize = 6;

/// Stop when the objective fell by less than this fraction over the last [`PAST`] iterations
/// (CRFsuite's `delta` and `period`).
const DELTA: f64 = 1e-5;
const PAST: usize = 10;

/// Where each free weight lives in the model's dense table (`bucket × TAGS + tag`, then the
/// `TAGS × TAGS` transitions after the table).
struct Layout {
    dense: usize,
    free: Vec<u32>,
}

impl Layout {
    /// The free weights (those the gold tags use) and the gold count of each, in one walk
    /// over the corpus.
    fn of(seqs: &[Sequence], n: usize, buckets: usize) -> (Layout, Vec<f64>) {
        let table = buckets * TAGS;
        let mut counts = vec![0f64; table + TAGS * TAGS];
        for s in seqs {
            for (i, &y) in s.gold.iter().enumerate() {
                for &f in &s.feats[i * n..(i + 1) * n] {
                    counts[f as usize * TAGS + y as usize] += 1.0;
                }
                if i > 0 {
                    counts[table + s.gold[i - 1] as usize * TAGS + y as usize] += 1.0;
                }
            }
        }
        let free: Vec<u32> = (0..counts.len() as u32)
            .filter(|&k| counts[k as usize] > 0.0)
            .collect();
        let empirical = free.iter().map(|&k| counts[k as usize]).collect();
        (
            Layout {
                dense: counts.len(),
                free,
            },
            empirical,
        )
    }

    fn expand(&self, x: &[f64], dense: &mut [f64]) {
        for (&k, &v) in self.free.iter().zip(x) {
            dense[k as usize] = v;
        }
    }
}

/// Reusable buffers of one sequence's forward-backward pass.
#[derive(Default)]
struct Buffers {
    emit: Vec<f64>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    scale: Vec<f64>,
}

/// Adds one sequence's expected counts to `g` (dense) and returns its negative
/// log-likelihood, `w` being the dense weights (table then transitions).
fn sequence(
    w: &[f64],
    table: usize,
    s: &Sequence,
    n: usize,
    g: &mut [f64],
    b: &mut Buffers,
) -> f64 {
    let len = s.gold.len();
    if len == 0 {
        return 0.0;
    }
    let trans = &w[table..table + TAGS * TAGS];
    b.emit.clear();
    b.emit.resize(len * TAGS, 0.0);
    for (i, token) in s.feats.chunks_exact(n).enumerate() {
        let row = &mut b.emit[i * TAGS..(i + 1) * TAGS];
        for &f in token {
            let f = f as usize * TAGS;
            for (e, w) in row.iter_mut().zip(&w[f..f + TAGS]) {
                *e += w;
            }
        }
    }
    let mut gold = 0.0;
    for (i, &y) in s.gold.iter().enumerate() {
        gold += b.emit[i * TAGS + y as usize];
        if i > 0 {
            gold += trans[s.gold[i - 1] as usize * TAGS + y as usize];
        }
    }
    // exp of the emissions less each token's largest (the largest goes into log Z), so
    // nothing overflows however large a score.
    let mut log_z = 0.0;
    for row in b.emit.chunks_exact_mut(TAGS) {
        let m = row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        log_z += m;
        for v in row.iter_mut() {
            *v = (*v - m).exp();
        }
    }
    let mut et = [0f64; TAGS * TAGS];
    for (e, t) in et.iter_mut().zip(trans) {
        *e = t.exp();
    }
    let e = &b.emit;
    // Forward, each position normalised to sum 1 (its sum before is its scale).
    b.alpha.clear();
    b.alpha.resize(len * TAGS, 0.0);
    b.scale.clear();
    b.scale.resize(len, 0.0);
    for i in 0..len {
        for y in 0..TAGS {
            let into = if i == 0 {
                1.0
            } else {
                (0..TAGS)
                    .map(|p| b.alpha[(i - 1) * TAGS + p] * et[p * TAGS + y])
                    .sum()
            };
            b.alpha[i * TAGS + y] = into * e[i * TAGS + y];
        }
        let c: f64 = b.alpha[i * TAGS..(i + 1) * TAGS].iter().sum();
        for v in &mut b.alpha[i * TAGS..(i + 1) * TAGS] {
            *v /= c;
        }
        b.scale[i] = c;
        log_z += c.ln();
    }
    // Backward, scaled by the same factors, so that alpha × beta is the marginal.
    b.beta.clear();
    b.beta.resize(len * TAGS, 1.0);
    for i in (0..len - 1).rev() {
        for p in 0..TAGS {
            let mut sum = 0.0;
            for y in 0..TAGS {
                sum += et[p * TAGS + y] * e[(i + 1) * TAGS + y] * b.beta[(i + 1) * TAGS + y];
            }
            b.beta[i * TAGS + p] = sum / b.scale[i + 1];
        }
    }
    for (i, token) in s.feats.chunks_exact(n).enumerate() {
        let mut p = [0f64; TAGS];
        for (y, p) in p.iter_mut().enumerate() {
            *p = b.alpha[i * TAGS + y] * b.beta[i * TAGS + y];
        }
        for &f in token {
            let f = f as usize * TAGS;
            for (g, p) in g[f..f + TAGS].iter_mut().zip(&p) {
                *g += p;
            }
        }
        if i > 0 {
            let gt = &mut g[table..table + TAGS * TAGS];
            for q in 0..TAGS {
                let a = b.alpha[(i - 1) * TAGS + q] / b.scale[i];
                for y in 0..TAGS {
                    gt[q * TAGS + y] +=
                        a * et[q * TAGS + y] * e[i * TAGS + y] * b.beta[i * TAGS + y];
                }
            }
        }
    }
    log_z - gold
}

/// The objective and its gradient over the free weights `x`.
struct Objective<'a> {
    seqs: &'a [Sequence],
    n: usize,
    table: usize,
    layout: Layout,
    /// The gold counts of each free weight (subtracted from the expected counts).
    empirical: Vec<f64>,
    c2: f64,
    dense: Vec<f64>,
    shards: Vec<Vec<f64>>,
}

impl<'a> Objective<'a> {
    fn new(seqs: &'a [Sequence], n: usize, buckets: usize, c2: f64) -> Objective<'a> {
        let (layout, empirical) = Layout::of(seqs, n, buckets);
        let table = buckets * TAGS;
        Objective {
            seqs,
            n,
            table,
            dense: vec![0.0; layout.dense],
            shards: vec![Vec::new(); SHARDS],
            layout,
            empirical,
            c2,
        }
    }

    fn evaluate(&mut self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.layout.expand(x, &mut self.dense);
        let per = self.seqs.len().div_ceil(SHARDS).max(1);
        let (w, n, table) = (&self.dense, self.n, self.table);
        let losses: Vec<f64> = std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .shards
                .iter_mut()
                .zip(self.seqs.chunks(per).chain(std::iter::repeat(&[][..])))
                .map(|(g, seqs)| {
                    scope.spawn(move || {
                        g.clear();
                        g.resize(w.len(), 0.0);
                        let mut b = Buffers::default();
                        seqs.iter()
                            .map(|s| sequence(w, table, s, n, g, &mut b))
                            .sum::<f64>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a gradient shard does not panic"))
                .collect()
        });
        let mut loss: f64 = losses.iter().sum();
        for (j, &k) in self.layout.free.iter().enumerate() {
            let expected: f64 = self.shards.iter().map(|g| g[k as usize]).sum();
            grad[j] = expected - self.empirical[j] + 2.0 * self.c2 * x[j];
            loss += self.c2 * x[j] * x[j];
        }
        loss
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

/// Minimises `f` from `x` by L-BFGS with a backtracking (Armijo) line search. `progress` is
/// called after each iteration with (iteration, objective).
fn lbfgs(
    x: &mut [f64],
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    iterations: usize,
    mut progress: impl FnMut(usize, f64),
) {
    let dim = x.len();
    let mut g = vec![0.0; dim];
    let mut fx = f(x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let mut past: VecDeque<f64> = VecDeque::from([fx]);
    let (mut xn, mut gn, mut d) = (vec![0.0; dim], vec![0.0; dim], vec![0.0; dim]);
    let mut alphas = [0.0; MEMORY];
    for iteration in 1..=iterations {
        // The direction: minus the inverse Hessian estimate times the gradient.
        d.copy_from_slice(&g);
        for (k, (s, y, rho)) in history.iter().enumerate().rev() {
            alphas[k] = rho * dot(s, &d);
            for (d, y) in d.iter_mut().zip(y) {
                *d -= alphas[k] * y;
            }
        }
        let gamma = match history.back() {
            Some((s, y, _)) => dot(s, y) / dot(y, y),
            None => 1.0 / dot(&g, &g).sqrt().max(f64::MIN_POSITIVE),
        };
        for d in d.iter_mut() {
            *d *= gamma;
        }
        for (k, (s, y, rho)) in history.iter().enumerate() {
            let beta = rho * dot(y, &d);
            for (d, s) in d.iter_mut().zip(s) {
                *d += (alphas[k] - beta) * s;
            }
        }
        for d in d.iter_mut() {
            *d = -*d;
        }
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (the estimate went wrong): start again from the gradient.
            history.clear();
            let norm = dot(&g, &g).sqrt().max(f64::MIN_POSITIVE);
            for (d, g) in d.iter_mut().zip(&g) {
                *d = -g / norm;
            }
            slope = dot(&g, &d);
        }
        let mut step = 1.0;
        let mut fn_ = f64::INFINITY;
        for _ in 0..30 {
            for ((xn, x), d) in xn.iter_mut().zip(x.iter()).zip(&d) {
                *xn = x + step * d;
            }
            fn_ = f(&xn, &mut gn);
            if fn_ <= fx + 1e-4 * step * slope {
                break;
            }
            step *= 0.5;
        }
        if fn_.is_nan() || fn_ > fx {
            // No step lowers the objective: as good as these weights get.
            break;
        }
        let s: Vec<f64> = xn.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-10 {
            if history.len() == MEMORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        x.copy_from_slice(&xn);
        std::mem::swap(&mut g, &mut gn);
        fx = fn_;
        progress(iteration, fx);
        past.push_back(fx);
        if past.len() > PAST {
            let old = past.pop_front().unwrap_or(fx);
            if (old - fx) / fx.abs().max(1e-12) < DELTA {
                break;
            }
        }
    }
}

/// Trains `model`'s weights as a CRF over `seqs` (`n` feature buckets per token).
/// `progress` is called after each iteration with (iteration, objective).
pub fn train(
    model: &mut Model,
    seqs: &[Sequence],
    n: usize,
    opts: CrfOptions,
    progress: impl FnMut(usize, f64),
) {
    let buckets = model.buckets();
    let mut objective = Objective::new(seqs, n, buckets, opts.c2);
    let mut x = vec![0.0; objective.layout.free.len()];
    lbfgs(
        &mut x,
        |x, g| objective.evaluate(x, g),
        opts.iterations,
        progress,
    );
    let mut dense = vec![0.0; objective.layout.dense];
    objective.layout.expand(&x, &mut dense);
    let table = buckets * TAGS;
    model.set_weights(&dense[..table], &dense[table..]);
}

#[cfg(test)]
mod tests {
    use super::super::model::{B_CUE, O};
    use super::*;

    fn toy() -> Vec<Sequence> {
        // Feature 1 marks cue words, feature 2 the rest, feature 3 is noise on both.
        vec![
            Sequence {
                feats: vec![2, 3, 1, 3, 2, 3],
                gold: vec![O, B_CUE, O],
            },
            Sequence {
                feats: vec![1, 3, 2, 2],
                gold: vec![B_CUE, O],
            },
            Sequence {
                feats: vec![2, 2, 2, 3, 1, 1],
                gold: vec![O, O, B_CUE],
            },
        ]
    }

    #[test]
    fn the_gradient_is_the_objective_s_slope() {
        let seqs = toy();
        let mut obj = Objective::new(&seqs, 2, 8, 0.1);
        let dim = obj.layout.free.len();
        let x: Vec<f64> = (0..dim).map(|k| ((k * 7 % 5) as f64 - 2.0) * 0.3).collect();
        let mut g = vec![0.0; dim];
        obj.evaluate(&x, &mut g);
        let mut scratch = vec![0.0; dim];
        for k in 0..dim {
            let h = 1e-5;
            let (mut up, mut down) = (x.clone(), x.clone());
            up[k] += h;
            down[k] -= h;
            let numeric =
                (obj.evaluate(&up, &mut scratch) - obj.evaluate(&down, &mut scratch)) / (2.0 * h);
            assert!(
                (numeric - g[k]).abs() < 1e-6,
                "weight {k}: {numeric} against {}",
                g[k]
            );
        }
    }

    #[test]
    fn training_learns_a_separable_toy_and_is_deterministic() {
        let seqs = toy();
        let opts = CrfOptions {
            c2: 0.01,
            iterations: 100,
        };
        let mut a = Model::new(8);
        let mut objectives = Vec::new();
        train(&mut a, &seqs, 2, opts, |_, f| objectives.push(f));
        assert!(
            objectives.windows(2).all(|w| w[1] <= w[0]),
            "{objectives:?}"
        );
        assert_eq!(a.decode(&[2, 3, 1, 3, 2, 3], 2), vec![O, B_CUE, O]);
        assert_eq!(a.decode(&[2, 2, 1, 3], 2), vec![O, B_CUE]);
        let mut b = Model::new(8);
        train(&mut b, &seqs, 2, opts, |_, _| {});
        assert_eq!(a.compile().as_bytes(), b.compile().as_bytes());
    }
}
