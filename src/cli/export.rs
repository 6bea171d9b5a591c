//! `claimtrail export [-o FILE]`: the whole store as versioned JSON Lines (the format is
//! described in `crate::store`'s `export.rs`), streamed from the database to stdout or, with
//! `-o FILE`, through a temporary file renamed into place.

use super::args::ExportArgs;
use super::{Context, Run, output};
use crate::error::Error;
use crate::store::{ExportError, Store};
use std::io::{self, BufWriter, Write};

/// What `-o FILE` writes, in messages.
const WHAT: &str = "the export";

impl Run for ExportArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        // Refuse a bad destination before any work.
        if let Some(path) = &self.output {
            output::check_destination(path, self.force, WHAT)?;
        }
        let store = Store::open_for_reading(&ctx.db)?.with_clock(ctx.clock);
        match &self.output {
            Some(path) => output::write_atomically(path, self.force, WHAT, |w| {
                store.export(w).map(drop).map_err(|e| match e {
                    ExportError::Write(e) => output::cannot_write(path, WHAT, e),
                    ExportError::Store(e) => e.into(),
                })
            }),
            None => {
                let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
                store.export(&mut out).map_err(|e| match e {
                    ExportError::Write(e) => Error::output(e),
                    ExportError::Store(e) => e.into(),
                })?;
                out.flush().map_err(Error::output)
            }
        }
    }
}
