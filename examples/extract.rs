//! Extracts the claims of one text file and prints them as JSON: the library API in a dozen
//! lines. `cargo run --example extract -- corpus/000_a839bff65d798603.txt`
use claimtrail::extract::Extractor;
use claimtrail::model::ArticleMeta;

fn main() {
    let path = std::env::args().nth(1).expect("usage: extract FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let extraction = Extractor::new().extract(&text, &ArticleMeta::default());
    let out = serde_json::json!({ "article": ArticleMeta::default(), "claims": extraction.claims, "sources": extraction.sources });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).expect("serialisable")
    );
}
