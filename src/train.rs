//! Training the learned layer on a brat-standoff corpus laid out like PolNeAR: each text is
//! read as `claimtrail extract` reads it, the rules run over it, and its annotated source,
//! cue and content spans become the gold tags of its paragraphs (see
//! [`crate::extract::tagger`]). The same corpus, settings and seed give the same model.

use crate::eval;
use crate::extract::Extractor;
use crate::extract::tagger::crf::{self, CrfOptions};
use crate::extract::tagger::{Model, Sequence, TrainOptions, features, model};
use std::path::Path;

/// What one training run read and did, for its report.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub articles: usize,
    pub sequences: usize,
    pub tokens: usize,
}

/// How the weights are fitted.
#[derive(Debug, Clone, Copy)]
pub enum Algorithm {
    /// An averaged perceptron (passes over the corpus in a seeded order).
    Perceptron(TrainOptions),
    /// A linear-chain CRF fitted by L-BFGS (the default: see MODEL.md).
    Crf(CrfOptions),
}

/// One step of training, for progress lines.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// A perceptron pass and the tokens it mis-tagged.
    Epoch(usize, usize),
    /// A CRF iteration and the objective (negative log-likelihood plus penalty) after it.
    Iteration(usize, f64),
}

/// Reads a corpus into training sequences, one per paragraph. `progress` is called after
/// each article with (done, total).
pub fn sequences(
    dir: &Path,
    bits: u32,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Sequence>, String> {
    let items = eval::corpus_items(dir)?;
    let rules = Extractor::rules_only();
    let mut out = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let doc = crate::read::read_file(&item.text)
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{}: no article in the file", item.text.display()))?
            .map_err(|e| e.to_string())?;
        let ann = std::fs::read_to_string(&item.ann)
            .map_err(|e| format!("{}: {e}", item.ann.display()))?;
        let gold =
            eval::parse_ann(&ann, &doc.text).map_err(|e| format!("{}: {e}", item.ann.display()))?;
        let flat = |v: &[eval::Fragments]| -> Vec<(usize, usize)> {
            v.iter().flatten().copied().collect()
        };
        let (s, c, t) = (flat(&gold.source), flat(&gold.cue), flat(&gold.content));
        out.extend(rules.training_sequences(&doc.text, &doc.meta, [&s, &c, &t], bits));
        progress(k + 1, items.len());
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no annotated article (text/*.txt with attributions/*.ann)",
            dir.display()
        ));
    }
    Ok(out)
}

/// Trains a model on a corpus. `step` is called after each pass or iteration.
pub fn train(
    dir: &Path,
    bits: u32,
    algorithm: Algorithm,
    progress: impl FnMut(usize, usize),
    mut step: impl FnMut(Step),
) -> Result<(Model, Summary), String> {
    let seqs = sequences(dir, bits, progress)?;
    let summary = Summary {
        articles: eval::corpus_items(dir)?.len(),
        sequences: seqs.len(),
        tokens: seqs.iter().map(|s| s.gold.len()).sum(),
    };
    let mut m = Model::new(bits);
    match algorithm {
        Algorithm::Perceptron(opts) => {
            model::train(&mut m, &seqs, features::PER_TOKEN, opts, |e, errors| {
                step(Step::Epoch(e, errors))
            })
        }
        Algorithm::Crf(opts) => crf::train(&mut m, &seqs, features::PER_TOKEN, opts, |i, f| {
            step(Step::Iteration(i, f))
        }),
    }
    Ok((m, summary))
}
