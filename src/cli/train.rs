//! `claimtrail train CORPUS -o MODEL`: train the tagger, write the model atomically, and
//! score it on `--dev` if given. Progress and timings go to stderr, the summary to stdout.

use super::args::TrainArgs;
use super::{Context, Run};
use crate::error::Error;
use crate::extract::Extractor;
use crate::extract::tagger::TrainOptions;
use std::io::{self, Write};
use std::time::Instant;

impl Run for TrainArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let started = Instant::now();
        let opts = TrainOptions {
            epochs: self.epochs,
            seed: self.seed,
        };
        let mut err = io::stderr();
        let (model, summary) = crate::train::train(
            &self.corpus,
            self.bits,
            opts,
            |_, _| {},
            |e, errors| {
                let _ = writeln!(
                    err,
                    "epoch {e}/{}: {errors} tokens mis-tagged ({:.0} s)",
                    opts.epochs,
                    started.elapsed().as_secs_f64()
                );
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
            "trained on {} articles ({} paragraphs, {} tokens), {} epochs, seed {}, {} buckets\nwrote {} ({} bytes)",
            summary.articles,
            summary.sequences,
            summary.tokens,
            opts.epochs,
            opts.seed,
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
