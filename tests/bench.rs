//! The benchmark harness at the smoke scale CI runs (1k articles): the corpus generator is
//! deterministic and gives the extractor something to find, and one end-to-end run
//! completes with both engines agreeing on every filter-only count, our pruned search
//! plan giving the hits and totals of the one-query plan on every query, and the
//! bare-tantivy reference finding the totals ours finds. No timing is asserted.

use claimtrail::bench::corpus::{self, Vocabulary};
use claimtrail::bench::{self, CLASSES, Config};
use claimtrail::extract::Extractor;
use claimtrail::model::ClaimKind;
use std::collections::BTreeSet;

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, bytes) = corpus::write_corpus(&dir.path().join("a"), 1200, 42).unwrap();
    let (b, _) = corpus::write_corpus(&dir.path().join("b"), 1200, 42).unwrap();
    assert_eq!(a.len(), 2, "1200 articles are two shards");
    assert!(bytes > 1200 * 2000, "{bytes} bytes of text");
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
    let (c, _) = corpus::write_corpus(&dir.path().join("c"), 1200, 43).unwrap();
    assert_ne!(std::fs::read(&a[0]).unwrap(), std::fs::read(&c[0]).unwrap());
}

#[test]
fn the_extractor_finds_attributed_claims_in_generated_articles() {
    let vocab = Vocabulary::new();
    let extractor = Extractor::new();
    let mut kinds = BTreeSet::new();
    let mut sources = BTreeSet::new();
    for i in 0..20 {
        let doc = corpus::article(&vocab, 9, i);
        let found = extractor.extract(&doc.text, &doc.meta);
        assert!(
            found.claims.len() >= 5,
            "article {i}: {} claims",
            found.claims.len()
        );
        for c in &found.claims {
            kinds.insert(c.kind);
            for link in c.chain.iter().skip(1) {
                sources.insert(link.kind);
            }
        }
    }
    assert!(kinds.contains(&ClaimKind::DirectQuote), "{kinds:?}");
    assert!(kinds.contains(&ClaimKind::AccordingTo), "{kinds:?}");
    assert!(sources.len() >= 4, "source kinds seen: {sources:?}");
}

#[test]
fn a_1k_smoke_run_of_the_benchmark_agrees_with_fts5() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        // The smoke scale: 1k articles (~38k claims).
        articles: 1000,
        seed: 5,
        queries_per_class: 15,
        cli_runs: 2,
        cli: Some(env!("CARGO_BIN_EXE_claimtrail").into()),
        dir: dir.path().join("work"),
        // Sampled, as a 1M run does: FTS5 answers 10 of the 15 queries of each class.
        fts_sample: Some(10),
    };
    let report = bench::run(&cfg, |_| {}).unwrap();
    assert!(report.claims > 120, "{} claims", report.claims);
    assert_eq!(report.classes.len(), CLASSES.len());
    for (i, (class, c)) in CLASSES.iter().zip(&report.classes).enumerate() {
        assert_eq!(c.queries, 15, "{class}");
        assert_eq!(c.fts_queries, 10, "{class}");
        // The reference answers the text of every class that has text.
        assert_eq!(c.bare.is_some(), i <= 4, "{class}");
    }
    assert!(report.filters_agree(), "{}", report.markdown());
    // Filters that select something, not two empty answers agreeing.
    assert!(report.classes[5].ours_hits > 0.0, "{}", report.markdown());
    assert!(report.classes[6].ours_hits > 0.0, "{}", report.markdown());
    assert!(report.classes[0].ours_hits > 0.0, "{}", report.markdown());
    assert_eq!(report.cli_runs, 2);
    assert!(
        report.disk_db > 0 && report.disk_index > 0,
        "{}",
        report.markdown()
    );
    assert!(
        report.disk_bare > 0 && report.disk_fts > 0,
        "{}",
        report.markdown()
    );
    assert!(report.bare_segments >= 1, "{}", report.markdown());
    let table = report.markdown();
    assert!(
        table.contains("| outlet + status | 15 (FTS5 10) |"),
        "{table}"
    );
    assert!(
        table.contains("first 10 queries of each class only"),
        "{table}"
    );
}
