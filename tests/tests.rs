mod bad_input;
mod cli_help;
mod common;
mod extract;
mod ingest;
mod quality;
mod readme;
mod reextract;
