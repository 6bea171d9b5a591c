//! What the user can type: the clap definitions alone, one struct per command. Doc comments
//! are the help text (the whole `--help` reference is snapshotted in tests/cli_help.rs).

use crate::read;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// claimtrail: a source-attribution fact-check database. It reads news articles, finds each
/// claim with who says it, according to whom, and stores them for fact-checking.
#[derive(Debug, Parser)]
#[command(name = "claimtrail", version, propagate_version = true)]
pub struct Args {
    /// The store folder, holding claims.db and index/ (created when missing)
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "CLAIMTRAIL_DB",
        default_value = "./.claimtrail"
    )]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Ingest(IngestArgs),
    Extract(ExtractArgs),
    Eval(EvalArgs),
}

/// Read articles from files and folders, extract their claims and store them.
///
/// Folders are read recursively for .txt, .md, .html, .htm, .json and .jsonl files. The same
/// text ingested twice stores nothing new; an article stored by an older extractor is
/// extracted again, keeping every verdict. A file that cannot be read is reported and the
/// rest goes on.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files and folders to ingest
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub meta: MetaDefaults,
}

/// Show what extraction finds in one file, storing nothing.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The article file (.txt, .md, .html, .htm, .json, .jsonl)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// How to print the claims
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,

    #[command(flatten)]
    pub meta: MetaDefaults,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// Each claim with its attribution chain as a tree
    Text,
    /// The JSON contract scripts and scorers read (JSON Lines for a .jsonl file)
    Json,
}

/// Score extraction against a brat-standoff attribution corpus (PolNeAR's layout).
///
/// DIR holds text/*.txt and attributions/<text>_<annotator>.ann; the first annotator's file
/// of each text is the gold standard. Prints precision, recall and F1 for source, cue and
/// content spans, by exact match and by overlap. Attribution relations are the distinct
/// (cue, source) pairs of the claims, their content merged.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The corpus folder
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// How to print the scores
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The totals as a table
    Table,
    /// The totals and every article's counts, for scripts
    Json,
}

/// What to assume where a file says nothing; what a file says always wins.
#[derive(Debug, Default, clap::Args)]
pub struct MetaDefaults {
    /// The publisher of articles whose file names none
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,

    /// The publication date of articles whose file gives none (YYYY-MM-DD, ISO 8601 or RFC
    /// 2822)
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub published: Option<NaiveDate>,

    /// The url of articles whose file gives none
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    read::parse_date(s).ok_or_else(|| {
        format!("cannot read date '{s}' (accepted: YYYY-MM-DD, ISO 8601 date-time, RFC 2822)")
    })
}
