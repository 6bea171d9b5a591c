mod bad_input;
mod common;
mod ingest;
