//! `claimtrail export [-o FILE]`: the whole store as versioned JSON Lines (the format is
//! described in `crate::store`'s `export.rs`), streamed from the database to stdout or, with
//! `-o FILE`, through a temporary file renamed into place.

use super::args::ExportArgs;
use super::{Context, Run, output};
use crate::error::Error;
use crate::store::{ExportError, Exported, Store};
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
        let exported = match &self.output {
            Some(path) => {
                let mut exported = None;
                output::write_atomically(path, self.force, WHAT, |w| {
                    exported = Some(store.export(w).map_err(|e| match e {
                        ExportError::Write(e) => output::cannot_write(path, WHAT, e),
                        ExportError::Store(e) => e.into(),
                    })?);
                    Ok(())
                })?;
                exported.unwrap_or_default()
            }
            None => {
                let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
                let exported = store.export(&mut out).map_err(|e| match e {
                    ExportError::Write(e) => Error::output(e),
                    ExportError::Store(e) => e.into(),
                })?;
                out.flush().map_err(Error::output)?;
                exported
            }
        };
        incomplete(&exported)
    }
}

/// At most this many problems of a damaged store are listed one line each; the rest are
/// counted.
const LISTED: usize = 20;

/// An export of a damaged store is written whole as far as it could be read, and imports;
/// what it could not read is said, one `warning:` line each, and the exit code is 1: the
/// file does not hold the whole store.
fn incomplete(exported: &Exported) -> Result<(), Error> {
    if exported.problem_count == 0 {
        return Ok(());
    }
    for p in exported.problems.iter().take(LISTED) {
        super::sync::warning(p);
    }
    let listed = exported.problems.len().min(LISTED) as u64;
    if exported.problem_count > listed {
        super::sync::warning(&format!(
            "{} more rows skipped or recovered",
            exported.problem_count - listed
        ));
    }
    Err(Error::Incomplete(format!(
        "the store is damaged: the export holds what could be read, {} problem(s) above; run \
         `claimtrail check`",
        exported.problem_count
    )))
}
