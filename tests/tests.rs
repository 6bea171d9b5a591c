mod bad_input;
mod bench;
mod cli_help;
mod common;
mod consistency;
mod damaged;
mod export;
mod extract;
mod feeds;
mod fetch;
mod formats;
mod ingest;
mod integrity;
mod layout;
#[cfg(unix)]
mod media;
mod orphaned;
mod quality;
mod readme;
mod reextract;
#[cfg(unix)]
mod reliability;
mod report;
mod search;
mod terminal;
mod verify;
mod warc;
mod web;
