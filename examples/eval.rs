//! Scores the extractor on a brat-standoff corpus (PolNeAR layout) and prints the table:
//! `cargo run --release --example eval -- ../shared/polnear/data/dev`
fn main() {
    let dir = std::env::args().nth(1).expect("usage: eval DIR");
    let x = claimtrail::extract::Extractor::new();
    let report = claimtrail::eval::run(std::path::Path::new(&dir), &x, |_, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    print!("{}", report.table());
}
