//! Unit tests of the extractor on small texts; the seed article and PolNeAR are scored by
//! the integration tests.

use super::*;

fn run(text: &str) -> Extraction {
    Extractor::new().extract(text, &ArticleMeta::default())
}

#[test]
fn according_to_gives_a_relay_chain() {
    let x = run("According to Bloomberg, the plan was drafted in Moscow.");
    assert_eq!(x.claims.len(), 1);
    let c = &x.claims[0];
    assert_eq!(c.chain[0].name, "Bloomberg");
    assert_eq!(c.kind, ClaimKind::AccordingTo);
}
