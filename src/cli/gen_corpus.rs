//! `claimtrail gen-corpus`: write the seeded synthetic corpus of [`crate::bench::corpus`].

use super::args::GenCorpusArgs;
use super::{Context, Run};
use crate::error::Error;

impl Run for GenCorpusArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let (files, bytes) =
            crate::bench::corpus::write_corpus(&self.out, self.articles, self.seed)
                .map_err(|e| Error::Usage(format!("{}: {e}", self.out.display())))?;
        super::print(&format!(
            "{} articles ({:.1} MB of text, seed {}) in {} files under {}\n",
            self.articles,
            bytes as f64 / 1e6,
            self.seed,
            files.len(),
            self.out.display()
        ))
    }
}
