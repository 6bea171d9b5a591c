//! claimtrail: a source-attribution fact-check database.
//!
//! The pipeline, one module per stage:
//! - [`model`]: the domain types (articles, claims, attribution chains, vocabularies);
//! - [`read`]: files to documents (text and metadata);
//! - [`extract`]: pure extraction of claims from text;
//! - [`store`]: the SQLite store (articles, claims, chains, sources, verdicts);
//! - [`index`]: the tantivy search index over the claims, kept consistent with the store;
//! - [`story`]: claims grouped into stories across articles, and their independent origins;
//! - [`embed`]: sentence embeddings (a BERT encoder run in-process) for claim matching;
//! - [`report`]: the citation report (Markdown, HTML, CSV, JSON, ClaimReview JSON-LD);
//! - [`eval`]: scoring extraction against brat-standoff attribution corpora;
//! - [`train`]: training extraction's learned layer on such a corpus;
//! - [`bench`]: a seeded synthetic news corpus and the end-to-end benchmark over it;
//! - [`serve`]: the web desk and JSON API (`claimtrail serve`), over the same stages;
//! - [`cli`]: the command line, one file per command, over the stages above.
//!
//! Around them: [`error`] (the one error type and its exit codes), [`clock`] (the one
//! source of "now"), [`atomic`] (files written whole or not at all), [`terminal`] (what
//! may be printed as it is, and how the rest is made visible) and [`failpoint`] (disk-full
//! failures on demand, for tests).

pub mod alloc;
pub mod atomic;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod embed;
pub mod error;
pub mod eval;
pub mod extract;
pub mod factcheck;
pub mod failpoint;
pub mod index;
pub mod model;
pub mod read;
pub mod report;
pub mod serve;
pub mod store;
pub mod story;
pub mod terminal;
pub mod train;
