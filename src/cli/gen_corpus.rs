//! `claimtrail gen-corpus`: write the seeded synthetic corpus of [`crate::bench::corpus`].

use super::args::GenCorpusArgs;
use super::{Context, Run};
use crate::error::Error;
use std::io::{self, Write};

impl Run for GenCorpusArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let (files, bytes) =
            crate::bench::corpus::write_corpus(&self.out, self.articles, self.seed)
                .map_err(|e| Error::Usage(format!("{}: {e}", self.out.display())))?;
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "{} articles ({:.1} MB of text, seed {}) in {} files under {}",
            self.articles,
            bytes as f64 / 1e6,
            self.seed,
            files.len(),
            self.out.display()
        )
        .map_err(Error::output)
    }
}
