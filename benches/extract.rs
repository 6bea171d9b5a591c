//! Extraction speed over the bundled corpus, on one core: `cargo bench --bench extract`.
//!
//! The corpus is read once (readers are not measured); each iteration extracts every
//! article. Criterion reports the throughput in bytes of article text per second, the
//! figure README.md records (target: at least 10 MB/s), with and without the learned layer.

use claimtrail::extract::Extractor;
use claimtrail::read::{self, Document};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> Vec<Document> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    read::collect_paths(&[dir])
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|p| read::read_file(&p).ok())
        .flatten()
        .filter_map(Result::ok)
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    assert!(!docs.is_empty(), "the bundled corpus is empty");
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let extractor = Extractor::new();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(extractor.extract(black_box(&d.text), &d.meta));
            }
        })
    });
    // The rules alone, without the learned layer: what the tagger costs.
    let rules = Extractor::rules_only();
    group.bench_function("corpus_rules_only", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(rules.extract(black_box(&d.text), &d.meta));
            }
        })
    });
    // The seed article alone: the user's own sample.
    if let Some(seed) = docs.iter().find(|d| d.text.contains("Witkoff")) {
        group.throughput(Throughput::Bytes(seed.text.len() as u64));
        group.bench_function("seed", |b| {
            b.iter(|| black_box(extractor.extract(black_box(&seed.text), &seed.meta)))
        });
    }
    group.finish();
    c.bench_function("lexicon_load", |b| b.iter(|| black_box(Extractor::new())));
}

criterion_group!(benches, bench);
criterion_main!(benches);
