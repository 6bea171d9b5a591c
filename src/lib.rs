//! claimtrail: a source-attribution fact-check database.
//!
//! The pipeline, one module per stage:
//! - [`model`]: the domain types (articles, claims, attribution chains, vocabularies);
//! - [`read`]: files to documents (text and metadata);
//! - [`extract`]: pure extraction of claims from text;
//! - [`eval`]: scoring extraction against brat-standoff attribution corpora.

pub mod eval;
pub mod extract;
pub mod model;
pub mod read;
