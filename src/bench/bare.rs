//! The bare-tantivy reference (issue 17, item 3): the same words as our index, in one
//! field, nothing stored, no filters, no exclusions. What tantivy itself takes for a query
//! shape on this machine, measured in the same run as ours, so a class's latency can be
//! read as a ratio to what the engine underneath can do.
//!
//! Same content as [`crate::index::Fields::words`] (each claim's sentence and claim as two
//! values of one field), same analyser, same merge policy and executor (every core), the
//! query parsed the same way (words required). Its answer is the top 20 by BM25 alone, the
//! collector that lets tantivy prune; a separate, untimed count checks that it indexes
//! what ours does.

use crate::index::{ANALYZER, register_analyzers as register};
use crate::store::Store;
use anyhow::{Context, Result};
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

/// The writer's memory: the one our index is written with.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

pub struct Bare {
    index: Index,
    reader: IndexReader,
    words: Field,
}

impl Bare {
    /// Indexes every claim of `store` into a new index at `dir`.
    pub fn build(store: &Store, dir: &Path) -> Result<Bare> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut schema = Schema::builder();
        let words = schema.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let mut index = Index::create_in_dir(dir, schema.build())?;
        register(&index);
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        store.visit_claims(None, |c| -> Result<()> {
            let mut doc = TantivyDocument::default();
            doc.add_text(words, &c.claim.sentence);
            doc.add_text(words, &c.claim.text);
            writer.add_document(doc)?;
            Ok(())
        })?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Bare {
            index,
            reader,
            words,
        })
    }

    fn parse(&self, text: &str) -> Result<Box<dyn tantivy::query::Query>> {
        let mut parser = QueryParser::for_index(&self.index, vec![self.words]);
        parser.set_conjunction_by_default();
        Ok(parser.parse_query(text)?)
    }

    /// The top 20 of `text`, the timed answer; returns how many came back.
    pub fn top(&self, text: &str, limit: usize) -> Result<usize> {
        let query = self.parse(text)?;
        let hits = self
            .reader
            .searcher()
            .search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        Ok(std::hint::black_box(hits).len())
    }

    /// Every claim `text` matches (untimed: the check that both indexes hold the same words).
    pub fn count(&self, text: &str) -> Result<usize> {
        let query = self.parse(text)?;
        Ok(self.reader.searcher().search(&query, &Count)?)
    }

    /// The segments the index was left with.
    pub fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }
}
