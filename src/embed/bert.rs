//! A BERT encoder's forward pass (the architecture of all-MiniLM-L6-v2: absolute position
//! embeddings, post-layer-norm, GELU with erf), then mean pooling over the tokens and L2
//! normalisation, as sentence-transformers runs that model. Pure: weights in, vectors out.
//!
//! A batch of texts is packed row by row with no padding (T tokens in all, one row each),
//! so each linear layer is one matrix product of T rows (`matrixmultiply`'s sgemm, which
//! picks AVX2/FMA kernels at run time); attention runs per text and head. Checked against
//! an independent NumPy implementation of the same model (the test in `super` and the
//! figures in README): cosine 0.9999+ on every text compared.

use std::collections::HashMap;

/// The model's shape, from its `config.json`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Config {
    pub hidden_size: usize,
    pub num_attention_heads: usize,
    pub num_hidden_layers: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f32,
    #[serde(default)]
    pub hidden_act: Option<String>,
    #[serde(default)]
    pub position_embedding_type: Option<String>,
}

fn default_eps() -> f32 {
    1e-12
}

/// Named tensors of `f32`, with their shapes.
pub type Tensors = HashMap<String, (Vec<usize>, Vec<f32>)>;

struct Linear {
    /// `out × in`, row-major (PyTorch's layout).
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

struct Norm {
    g: Vec<f32>,
    b: Vec<f32>,
}

struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    attn_out: Linear,
    attn_norm: Norm,
    up: Linear,
    down: Linear,
    out_norm: Norm,
}

pub struct Bert {
    cfg: Config,
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    norm: Norm,
    layers: Vec<Layer>,
}

fn take(t: &mut Tensors, name: &str, shape: &[usize]) -> Result<Vec<f32>, String> {
    // The same weights are named with or without the `bert.` prefix, by how they were saved.
    let (found, data) = t
        .remove(name)
        .or_else(|| t.remove(&format!("bert.{name}")))
        .ok_or_else(|| format!("the model has no tensor {name}"))?;
    if found != shape {
        return Err(format!(
            "the model's tensor {name} has shape {found:?}, expected {shape:?}"
        ));
    }
    Ok(data)
}

fn linear(t: &mut Tensors, name: &str, inputs: usize, outputs: usize) -> Result<Linear, String> {
    Ok(Linear {
        w: take(t, &format!("{name}.weight"), &[outputs, inputs])?,
        b: take(t, &format!("{name}.bias"), &[outputs])?,
        inputs,
        outputs,
    })
}

fn norm(t: &mut Tensors, name: &str, size: usize) -> Result<Norm, String> {
    Ok(Norm {
        g: take(t, &format!("{name}.weight"), &[size])?,
        b: take(t, &format!("{name}.bias"), &[size])?,
    })
}

/// `c (m × n) = alpha · a (m × k, strides rsa, csa) · b (k × n, strides rsb, csb)`, bounds
/// checked so the one unsafe call stays inside its slices.
#[allow(clippy::too_many_arguments)]
pub(crate) fn gemm(
    (m, k, n): (usize, usize, usize),
    alpha: f32,
    a: &[f32],
    (rsa, csa): (usize, usize),
    b: &[f32],
    (rsb, csb): (usize, usize),
    c: &mut [f32],
    (rsc, csc): (usize, usize),
) {
    if m == 0 || n == 0 {
        return;
    }
    let last = |rows: usize, cols: usize, rs: usize, cs: usize| (rows - 1) * rs + (cols - 1) * cs;
    if k > 0 {
        assert!(last(m, k, rsa, csa) < a.len() && last(k, n, rsb, csb) < b.len());
    }
    assert!(last(m, n, rsc, csc) < c.len());
    // SAFETY: every element read or written lies inside the slices (checked above), `c`
    // is exclusively borrowed and does not alias `a` or `b`.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            alpha,
            a.as_ptr(),
            rsa as isize,
            csa as isize,
            b.as_ptr(),
            rsb as isize,
            csb as isize,
            0.0,
            c.as_mut_ptr(),
            rsc as isize,
            csc as isize,
        );
    }
}

impl Linear {
    /// `y` (`rows × outputs`) from `x` (`rows × inputs`); `y` is resized, not read.
    fn apply(&self, x: &[f32], rows: usize, y: &mut Vec<f32>) {
        y.resize(rows * self.outputs, 0.0);
        gemm(
            (rows, self.inputs, self.outputs),
            1.0,
            x,
            (self.inputs, 1),
            &self.w,
            (1, self.inputs),
            y,
            (self.outputs, 1),
        );
        for row in y.chunks_exact_mut(self.outputs) {
            for (v, b) in row.iter_mut().zip(&self.b) {
                *v += b;
            }
        }
    }
}

/// The buffers of a forward pass, kept from one batch to the next: allocating them afresh
/// for every layer made a page fault of every new page (the allocator hands freed memory
/// back to the system at once, see `crate::alloc`), a tenth of the time.
#[derive(Default)]
pub struct Scratch {
    x: Vec<f32>,
    q: Vec<f32>,
    k: Vec<f32>,
    v: Vec<f32>,
    context: Vec<f32>,
    attended: Vec<f32>,
    up: Vec<f32>,
    out: Vec<f32>,
    scores: Vec<f32>,
}

impl Norm {
    /// Each row of `x` (plus `residual`'s, if any) normalised in place.
    fn apply(&self, x: &mut [f32], residual: Option<&[f32]>, eps: f32) {
        let size = self.g.len();
        for (i, row) in x.chunks_exact_mut(size).enumerate() {
            if let Some(res) = residual {
                for (v, r) in row.iter_mut().zip(&res[i * size..(i + 1) * size]) {
                    *v += r;
                }
            }
            let mean = row.iter().sum::<f32>() / size as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / size as f32;
            let scale = 1.0 / (var + eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&self.g).zip(&self.b) {
                *v = (*v - mean) * scale * g + b;
            }
        }
    }
}

/// The error function (Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7), in
/// `f32` throughout: it runs on every value of the widest layer, and `f64`'s `exp` was a
/// twelfth of a forward pass.
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    (1.0 - poly * (-a * a).exp()).copysign(x)
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

impl Bert {
    pub fn new(cfg: Config, mut t: Tensors) -> Result<Bert, String> {
        if cfg.hidden_act.as_deref().is_some_and(|a| a != "gelu") {
            return Err(format!(
                "the model's activation is {:?}; only gelu is supported",
                cfg.hidden_act
            ));
        }
        if cfg
            .position_embedding_type
            .as_deref()
            .is_some_and(|p| p != "absolute")
        {
            return Err("only absolute position embeddings are supported".into());
        }
        let (h, i) = (cfg.hidden_size, cfg.intermediate_size);
        if cfg.num_attention_heads == 0 || h % cfg.num_attention_heads != 0 {
            return Err("the hidden size is not a multiple of the attention heads".into());
        }
        let word = take(
            &mut t,
            "embeddings.word_embeddings.weight",
            &[cfg.vocab_size, h],
        )?;
        let position = take(
            &mut t,
            "embeddings.position_embeddings.weight",
            &[cfg.max_position_embeddings, h],
        )?;
        let token_types = t
            .get("embeddings.token_type_embeddings.weight")
            .or_else(|| t.get("bert.embeddings.token_type_embeddings.weight"))
            .map_or(1, |(s, _)| s.first().copied().unwrap_or(1));
        let mut token_type = take(
            &mut t,
            "embeddings.token_type_embeddings.weight",
            &[token_types, h],
        )?;
        // Every input is one segment: type 0.
        token_type.truncate(h);
        let embeddings_norm = norm(&mut t, "embeddings.LayerNorm", h)?;
        let mut layers = Vec::with_capacity(cfg.num_hidden_layers);
        for l in 0..cfg.num_hidden_layers {
            let p = format!("encoder.layer.{l}");
            layers.push(Layer {
                q: linear(&mut t, &format!("{p}.attention.self.query"), h, h)?,
                k: linear(&mut t, &format!("{p}.attention.self.key"), h, h)?,
                v: linear(&mut t, &format!("{p}.attention.self.value"), h, h)?,
                attn_out: linear(&mut t, &format!("{p}.attention.output.dense"), h, h)?,
                attn_norm: norm(&mut t, &format!("{p}.attention.output.LayerNorm"), h)?,
                up: linear(&mut t, &format!("{p}.intermediate.dense"), h, i)?,
                down: linear(&mut t, &format!("{p}.output.dense"), i, h)?,
                out_norm: norm(&mut t, &format!("{p}.output.LayerNorm"), h)?,
            });
        }
        Ok(Bert {
            cfg,
            word,
            position,
            token_type,
            norm: embeddings_norm,
            layers,
        })
    }

    /// The longest input, in tokens.
    pub fn max_tokens(&self) -> usize {
        self.cfg.max_position_embeddings
    }

    pub fn dimensions(&self) -> usize {
        self.cfg.hidden_size
    }

    /// The mean-pooled, unit-length vector of each token sequence (ids below the
    /// vocabulary's size, each sequence non-empty and at most [`Bert::max_tokens`] long),
    /// computed in the buffers of `scratch` (whatever an earlier call left in them).
    pub fn embed(&self, batch: &[Vec<u32>], scratch: &mut Scratch) -> Vec<Vec<f32>> {
        let h = self.cfg.hidden_size;
        let heads = self.cfg.num_attention_heads;
        let d = h / heads;
        let eps = self.cfg.layer_norm_eps;
        let rows: usize = batch.iter().map(Vec::len).sum();
        let Scratch {
            x,
            q,
            k,
            v,
            context,
            attended,
            up,
            out,
            scores,
        } = scratch;
        x.clear();
        x.resize(rows * h, 0.0);
        let mut row = 0;
        for ids in batch {
            for (pos, &id) in ids.iter().enumerate() {
                let out = &mut x[row * h..(row + 1) * h];
                let w = &self.word[id as usize * h..(id as usize + 1) * h];
                let p = &self.position[pos * h..(pos + 1) * h];
                for j in 0..h {
                    out[j] = w[j] + p[j] + self.token_type[j];
                }
                row += 1;
            }
        }
        self.norm.apply(x, None, eps);
        let longest = batch.iter().map(Vec::len).max().unwrap_or(0);
        scores.resize(longest * longest, 0.0);
        let scale = 1.0 / (d as f32).sqrt();
        for layer in &self.layers {
            layer.q.apply(x, rows, q);
            layer.k.apply(x, rows, k);
            layer.v.apply(x, rows, v);
            // Every element is written by the per-head products below (beta is 0).
            context.resize(rows * h, 0.0);
            let mut start = 0;
            for ids in batch {
                let n = ids.len();
                for head in 0..heads {
                    let at = start * h + head * d;
                    let s = &mut scores[..n * n];
                    gemm(
                        (n, d, n),
                        scale,
                        &q[at..],
                        (h, 1),
                        &k[at..],
                        (1, h),
                        s,
                        (n, 1),
                    );
                    for r in s.chunks_exact_mut(n) {
                        let max = r.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                        let mut sum = 0.0;
                        for v in r.iter_mut() {
                            *v = (*v - max).exp();
                            sum += *v;
                        }
                        let inv = 1.0 / sum;
                        for v in r.iter_mut() {
                            *v *= inv;
                        }
                    }
                    gemm(
                        (n, n, d),
                        1.0,
                        s,
                        (n, 1),
                        &v[at..],
                        (h, 1),
                        &mut context[at..],
                        (h, 1),
                    );
                }
                start += n;
            }
            layer.attn_out.apply(context, rows, attended);
            layer.attn_norm.apply(attended, Some(x), eps);
            layer.up.apply(attended, rows, up);
            for v in up.iter_mut() {
                *v = gelu(*v);
            }
            layer.down.apply(up, rows, out);
            layer.out_norm.apply(out, Some(attended), eps);
            std::mem::swap(x, out);
        }
        let mut vectors = Vec::with_capacity(batch.len());
        let mut start = 0;
        for ids in batch {
            let n = ids.len();
            let mut mean = vec![0.0f32; h];
            for r in x[start * h..(start + n) * h].chunks_exact(h) {
                for (m, v) in mean.iter_mut().zip(r) {
                    *m += v;
                }
            }
            let length = mean.iter().map(|v| v * v).sum::<f32>().sqrt();
            if length > 0.0 {
                for m in &mut mean {
                    *m /= length;
                }
            }
            vectors.push(mean);
            start += n;
        }
        vectors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_is_close_to_its_known_values() {
        for (x, e) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            assert!((erf(x) - e).abs() < 2e-7, "erf({x}) = {}", erf(x));
        }
    }

    #[test]
    fn gemm_multiplies_with_strides() {
        // a = [[1, 2], [3, 4]], b = aᵀ read through strides.
        let a = [1.0, 2.0, 3.0, 4.0];
        let mut c = [0.0; 4];
        gemm((2, 2, 2), 1.0, &a, (2, 1), &a, (1, 2), &mut c, (2, 1));
        assert_eq!(c, [5.0, 11.0, 11.0, 25.0]);
    }
}
