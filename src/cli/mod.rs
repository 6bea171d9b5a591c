//! The command line: parse the arguments, resolve the settings every command shares, run the
//! one command asked for, and turn its error into a message and an exit code.
//!
//! One file per command, each implementing [`Run`]; what the user typed lives in [`args`].

pub mod args;
mod articles;
mod correct;
mod docs;
mod eval;
mod export;
mod extract;
mod factcheck;
mod gen_corpus;
mod import;
mod index;
mod ingest;
mod layout;
mod output;
pub(crate) mod query;
pub(crate) mod render;
pub(crate) mod report;
mod rows;
mod search;
mod serve;
mod show;
mod sources;
mod story;
pub(crate) mod sync;
mod train;
mod verify;

use crate::clock::{Clock, NOW_ENV};
use crate::error::Error;
use crate::model::ArticleMeta;
use args::{Args, Command, MetaDefaults};
use clap::Parser;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The whole program: what `main` calls.
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            use clap::error::ErrorKind as Clap;
            // --help and --version come here too, with exit code 0: printed as they are.
            match e.kind() {
                Clap::DisplayHelp
                | Clap::DisplayVersion
                | Clap::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                }
                _ => {
                    let line = usage_error_line(&e.render().to_string());
                    let _ = writeln!(io::stderr(), "{}", crate::error::one_line(&line));
                }
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit_code())
        }
    }
}

/// Clap's usage error (`error: ...`, then tips, the usage and a pointer to `--help`, over
/// several lines) as the one line every error is: the problem, its tips, and `--help`.
fn usage_error_line(rendered: &str) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut line = lines.next().unwrap_or("error: bad arguments").to_string();
    for more in lines {
        // The values a closed set allows ("--format xml") are the one thing the user needs
        // to retype the argument: kept, spelled as the vocabularies' own errors spell them.
        if let Some(values) = more
            .strip_prefix("[possible values: ")
            .and_then(|v| v.strip_suffix(']'))
        {
            line.push_str(&format!(" (allowed: {values})"));
        } else if more.starts_with("tip:") {
            line.push_str("; ");
            line.push_str(more);
        }
    }
    line.push_str(" (see --help)");
    line
}

/// Runs one parsed command line.
pub fn run(args: Args) -> Result<(), Error> {
    let now = std::env::var_os(NOW_ENV);
    let now = match now.as_deref().map(|v| v.to_str()) {
        None => None,
        Some(Some(v)) => Some(v),
        Some(None) => return Err(Error::Usage(format!("{NOW_ENV}: not valid UTF-8"))),
    };
    if let Some(spec) = std::env::var_os(crate::failpoint::FAILPOINTS_ENV) {
        let spec = spec.to_str().ok_or_else(|| {
            Error::Usage(format!(
                "{}: not valid UTF-8",
                crate::failpoint::FAILPOINTS_ENV
            ))
        })?;
        crate::failpoint::install(spec).map_err(Error::Usage)?;
    }
    // A blank name (`CLAIMTRAIL_DB=" "`, a variable set from an empty field) is a mistake,
    // not a store folder named with spaces.
    if args.db.as_os_str().to_string_lossy().trim().is_empty() {
        return Err(Error::Usage(
            "the store folder (--db or CLAIMTRAIL_DB) is blank: name a folder".into(),
        ));
    }
    let ctx = Context {
        db: args.db,
        model: args.model,
        embeddings: args.embeddings,
        clock: Clock::from_env_value(now).map_err(Error::Usage)?,
    };
    match args.command {
        Command::Ingest(a) => a.run(&ctx),
        Command::Extract(a) => a.run(&ctx),
        Command::Search(a) => a.run(&ctx),
        Command::Unconfirmed(a) => a.run(&ctx),
        Command::Show(a) => a.run(&ctx),
        Command::Story(a) => a.run(&ctx),
        Command::Stories(a) => a.run(&ctx),
        Command::Verify(a) => a.run(&ctx),
        Command::Correct(a) => a.run(&ctx),
        Command::Articles(a) => a.run(&ctx),
        Command::Article(a) => a.run(&ctx),
        Command::Remove(a) => a.run(&ctx),
        Command::Restore(a) => a.run(&ctx),
        Command::Report(a) => a.run(&ctx),
        Command::Serve(a) => a.run(&ctx),
        Command::Sources(a) => a.run(&ctx),
        Command::Alias(a) => a.run(&ctx),
        Command::Unalias(a) => a.run(&ctx),
        Command::Source(a) => a.run(&ctx),
        Command::Export(a) => a.run(&ctx),
        Command::Import(a) => a.run(&ctx),
        Command::Reindex(a) => a.run(&ctx),
        Command::ImportReviews(a) => a.run(&ctx),
        Command::Match(a) => a.run(&ctx),
        Command::EvalMatch(a) => a.run(&ctx),
        Command::Check(a) => a.run(&ctx),
        Command::Eval(a) => a.run(&ctx),
        Command::Train(a) => a.run(&ctx),
        Command::GenCorpus(a) => a.run(&ctx),
        Command::Completions(a) => a.run(&ctx),
        Command::Man(a) => a.run(&ctx),
    }
}

/// The settings every command runs with, resolved once from what the user typed.
pub struct Context {
    /// The store folder.
    pub db: PathBuf,
    /// `--model FILE`: the tagger model to extract with instead of the shipped one.
    pub model: Option<PathBuf>,
    /// `--embeddings DIR`: the sentence-embedding model matching ranks with, if any.
    pub embeddings: Option<PathBuf>,
    pub clock: Clock,
}

impl Context {
    /// The extractor every extracting command uses: the rules with the `--model` tagger, or
    /// with the shipped one. A model file that cannot be read is a user error.
    pub fn extractor(&self) -> Result<crate::extract::Extractor, Error> {
        use crate::extract::{Extractor, tagger::Compiled};
        let Some(path) = &self.model else {
            return Ok(Extractor::new());
        };
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("--model {}: {e}", path.display())))?;
        let model = Compiled::from_bytes(bytes.into())
            .map_err(|e| Error::Usage(format!("--model {}: {e}", path.display())))?;
        Ok(Extractor::with_model(model))
    }

    /// The `--embeddings` model, loaded, or `None` when none was given. A folder that is no
    /// such model is a user error.
    pub fn embedder(&self) -> Result<Option<crate::embed::Embedder>, Error> {
        let Some(dir) = &self.embeddings else {
            return Ok(None);
        };
        crate::embed::Embedder::load(dir)
            .map(Some)
            .map_err(|e| Error::Usage(format!("--embeddings {e}")))
    }
}

/// One command.
pub trait Run {
    fn run(self, ctx: &Context) -> Result<(), Error>;
}

impl MetaDefaults {
    /// The flags as metadata, to fill what a file leaves unknown.
    fn to_meta(&self) -> ArticleMeta {
        ArticleMeta {
            outlet: self.outlet.clone(),
            published: self.published,
            url: self.url.clone(),
            ..ArticleMeta::default()
        }
    }
}

/// Writes a command's output to stdout through the one sanitising path
/// ([`crate::terminal::visible`]): whatever a field forgot, no control, bidi or invisible
/// character reaches the terminal as it is. Each renderer makes its own fields one line
/// and inert already; this is the last word before the bytes leave.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(crate::terminal::visible(text).as_bytes())
        .map_err(Error::output)?;
    out.flush().map_err(Error::output)
}

/// Prints a value as pretty JSON, its control and bidi characters as `\u` escapes.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| Error::output(e.into()))?;
    s.push('\n');
    print(&crate::terminal::json(&s))
}

/// Prints `text` as it is, unsanitised: only for bytes the program itself chose (a CSV
/// byte-order mark), never for stored or user text.
pub(crate) fn print_raw(text: &'static str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::output)
}

/// Prints one problem line to stderr (where the progress bar, if any, is drawn); control
/// characters (a file named with a newline) are escaped so that it stays one line.
fn warn(progress: &indicatif::ProgressBar, message: impl std::fmt::Display) {
    let line = crate::error::one_line(&message.to_string());
    progress.suspend(|| {
        let _ = writeln!(io::stderr(), "error: {line}");
    });
}

/// "s" after a count other than one: "1 fact-check", "2 fact-checks".
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
