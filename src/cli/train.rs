//! `claimtrail train CORPUS -o MODEL`: train the tagger, write the model atomically, and
//! score it on `--dev` if given. Progress and timings go to stderr, the summary to stdout.

use super::args::{TrainAlgorithm, TrainArgs};
use super::{Context, Run};
use crate::error::Error;
use crate::extract::Extractor;
use crate::extract::tagger::TrainOptions;
use crate::extract::tagger::crf::CrfOptions;
use crate::train::{Algorithm, Step};
use std::io::{self, Write};
use std::time::Instant;

impl Run for TrainArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let started = Instant::now();
        let (algorithm, fitted) = match self.algorithm {
            TrainAlgorithm::Crf => {
                if !(self.c2.is_finite() && self.c2 >= 0.0) {
                    return Err(Error::Usage(format!(
                        "--c2 {}: the penalty must be a number of at least 0",
                        self.c2
                    )));
                }
                (
                    Algorithm::Crf(CrfOptions {
                        c2: self.c2,
                        iterations: self.iterations,
                    }),
                    format!(
                        "a CRF (L-BFGS, at most {} iterations, c2 {})",
                        self.iterations, self.c2
                    ),
                )
            }
            TrainAlgorithm::Perceptron => (
                Algorithm::Perceptron(TrainOptions {
                    epochs: self.epochs,
                    seed: self.seed,
                }),
                format!(
                    "an averaged perceptron ({} epochs, seed {})",
                    self.epochs, self.seed
                ),
            ),
        };
        let mut err = io::stderr();
        let (model, summary) = crate::train::train(
            &self.corpus,
            self.bits,
            algorithm,
            |_, _| {},
            |step| {
                let elapsed = started.elapsed().as_secs_f64();
                let _ = match step {
                    Step::Epoch(e, errors) => writeln!(
                        err,
                        "epoch {e}/{}: {errors} tokens mis-tagged ({elapsed:.0} s)",
                        self.epochs
                    ),
                    Step::Iteration(i, objective) => writeln!(
                        err,
                        "iteration {i}: objective {objective:.1} ({elapsed:.0} s)"
                    ),
                };
            },
        )
        .map_err(Error::Usage)?;
        let model = model.compile();
        let bytes = model.as_bytes();
        crate::atomic::write_file(&self.output, true, |w| w.write_all(bytes))
            .map_err(|e| Error::Usage(format!("{}: {e}", self.output.display())))?;
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "trained {fitted} on {} articles ({} paragraphs, {} tokens), {} buckets\nwrote {} ({} bytes)",
            summary.articles,
            summary.sequences,
            summary.tokens,
            1u64 << self.bits,
            self.output.display(),
            bytes.len()
        )
        .map_err(Error::output)?;
        if let Some(dev) = &self.dev {
            let report = crate::eval::run(dev, &Extractor::with_model(model), |_, _| {})
                .map_err(Error::Usage)?;
            write!(out, "score on {}:\n{}", dev.display(), report.table())
                .map_err(Error::output)?;
        }
        let _ = writeln!(
            io::stderr(),
            "training took {:.0} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}
