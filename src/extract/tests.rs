//! Unit tests of the extractor on small texts, and a property test that it never panics
//! and keeps every span on char boundaries inside the text. The seed article, the corpus
//! and PolNeAR are scored by the integration tests.

use super::*;
use proptest::prelude::*;

/// One extractor for every test: reading the lexicons and the 7 MB model once, not per case
/// of the property tests.
fn run(text: &str) -> Extraction {
    static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EXTRACTOR
        .get_or_init(Extractor::new)
        .extract(text, &ArticleMeta::default())
}

fn names(c: &Claim) -> Vec<&str> {
    c.chain.iter().map(|l| l.name.as_str()).collect()
}

fn claim<'a>(x: &'a Extraction, contains: &str) -> &'a Claim {
    x.claims
        .iter()
        .find(|c| c.sentence.contains(contains))
        .unwrap_or_else(|| panic!("no claim for {contains:?} in {:#?}", x.claims))
}

/// The text a char span covers.
fn at(text: &str, s: Span) -> String {
    text.chars().skip(s.start).take(s.end - s.start).collect()
}

#[test]
fn according_to_opens_a_relay_scope_that_carries_over() {
    let text =
        "According to Bloomberg, the plan was drafted in Moscow. Specifically, it had 28 points.";
    let x = run(text);
    assert_eq!(names(claim(&x, "drafted")), ["Bloomberg"]);
    assert_eq!(claim(&x, "drafted").kind, ClaimKind::AccordingTo);
    let carried = claim(&x, "Specifically");
    assert_eq!(names(carried), ["Bloomberg"]);
    assert_eq!(
        carried.spans.cue, None,
        "a carried-over sentence has no cue of its own"
    );
}

#[test]
fn told_gives_the_recipient_and_a_quote_is_a_direct_quote() {
    let text = "Steve Witkoff met Yuri Ushakov. “We put a plan together,” Witkoff told Ushakov.";
    let x = run(text);
    let c = claim(&x, "We put");
    assert_eq!(c.kind, ClaimKind::DirectQuote);
    assert_eq!(names(c), ["Steve Witkoff"]);
    assert_eq!(c.chain[0].recipient.as_deref(), Some("Yuri Ushakov"));
    assert_eq!(at(text, c.spans.content[0]), "“We put a plan together,”");
    assert_eq!(at(text, c.spans.source.unwrap()), "Witkoff");
    assert_eq!(at(text, c.spans.cue.unwrap()), "told");
}

#[test]
fn a_document_reviewed_by_an_outlet_is_two_links() {
    let text = "According to a record reviewed by Bloomberg, Dmitriev and Ushakov spoke by phone.";
    let x = run(text);
    let c = claim(&x, "spoke by phone");
    assert_eq!(names(c), ["Bloomberg", "record"]);
    assert_eq!(c.chain[1].kind, SourceKind::Document);
    assert_eq!(
        at(text, c.spans.source.unwrap()),
        "a record reviewed by Bloomberg"
    );
}

#[test]
fn pronouns_resolve_to_the_last_speaker() {
    let text = "Andriy Yermak said Zelenskyy is ready to meet. He also confirmed that Driscoll will arrive.";
    let x = run(text);
    let c = claim(&x, "He also confirmed");
    assert_eq!(names(c), ["Andriy Yermak"]);
    assert_eq!(at(text, c.spans.source.unwrap()), "He");
    assert_eq!(
        c.certainty,
        Certainty::Certain,
        "'confirmed' is a cue, not a hedge"
    );
}

#[test]
fn hedges_and_disclaimers_set_the_certainty() {
    let x = run(
        "Bloomberg notes that it could not confirm which proposals Russia shared. Ushakov apparently followed the advice.",
    );
    let c = claim(&x, "could not confirm");
    assert_eq!(c.certainty, Certainty::Unconfirmed);
    assert_eq!(c.hedges, ["could not confirm"]);
    assert_eq!(claim(&x, "apparently").certainty, Certainty::Probable);
}

#[test]
fn a_denial_is_denied() {
    let x = run("The ministry denied that the payments were made twice.");
    let c = claim(&x, "denied");
    assert_eq!(c.certainty, Certainty::Denied);
    assert_eq!(names(c), ["ministry"]);
}

#[test]
fn captions_and_subheadings_are_not_claims() {
    let text = "Headline about the talks - Reuters\nSteve Witkoff (Photo: Getty Images)\nThe talks went on.\nA subheading here\nThe envoy left.";
    let x = run(text);
    assert!(x.claims.iter().all(|c| !c.sentence.contains("Getty")));
    assert!(x.claims.iter().all(|c| c.sentence != "A subheading here"));
    assert_eq!(names(claim(&x, "Headline about")), ["Reuters"]);
    assert!(x.sources.iter().all(|s| s.name != "Getty Images"));
}

#[test]
fn spelling_variants_are_one_source() {
    let text = "Volodymyr Zelenskyy arrived. “We are ready,” Zelenskiy said.";
    let x = run(text);
    assert_eq!(names(claim(&x, "We are ready")), ["Volodymyr Zelenskyy"]);
}

#[test]
fn a_quotation_running_across_paragraphs_stays_with_its_speaker() {
    let text = "“The barrier will hold,” said Mayor Ilse Brandt. “It was built for this.\n\n“And it will be inspected every year.”";
    let x = run(text);
    let c = claim(&x, "inspected every year");
    assert_eq!(names(c), ["Ilse Brandt"]);
    assert_eq!(c.kind, ClaimKind::DirectQuote);
}

#[test]
fn the_publisher_is_the_first_link_when_known() {
    let meta = ArticleMeta {
        outlet: Some("Kyiv Daily".into()),
        ..Default::default()
    };
    let x = Extractor::new().extract("According to Bloomberg, talks resumed.", &meta);
    let c = &x.claims[0];
    assert_eq!(c.chain[0].role, Role::Publisher);
    assert_eq!(names(c), ["Kyiv Daily", "Bloomberg"]);
}

#[test]
fn spans_are_char_offsets_not_bytes() {
    let text = "Über «news»: “Ça va très bien,” said Zoë Ångström.";
    // The rules' spans; the tagger's go through the same conversion (and the property test
    // below checks every span of both on char boundaries).
    let x = Extractor::rules_only().extract(text, &ArticleMeta::default());
    let c = claim(&x, "Ça va");
    assert_eq!(at(text, c.spans.source.unwrap()), "Zoë Ångström");
    assert_eq!(at(text, c.spans.content[0]), "“Ça va très bien,”");
}

/// Text built from pieces that stress the tokenizer and the frame finder: quotes of every
/// kind left open, cue words, names, abbreviations, RTL and combining marks.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "“",
        "”",
        "\"",
        "'",
        "''",
        "‘",
        "’",
        "«",
        "»",
        "(",
        ")",
        ",",
        ".",
        ":",
        ";",
        " - ",
        "—",
        "\n",
        "\n\n",
        " ",
        "said",
        "told",
        "according to",
        "Bloomberg",
        "Mr.",
        "U.S.",
        "he",
        "who",
        "that",
        "Witkoff",
        "Steve",
        "a record reviewed by",
        "could not confirm",
        "reportedly",
        "\u{200f}",
        "\u{202e}",
        "e\u{301}",
        "ü",
        "日本",
        "🙂",
        "There was information that",
        "and said",
        ", saying",
        "percent",
        "12",
        "the",
        "(D-N.Y.)",
        "As",
        "Said",
        "\r\n",
        "\t",
        "''",
        "`",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn check_spans(text: &str, x: &Extraction) {
    let n = text.chars().count();
    for c in &x.claims {
        let spans = c
            .spans
            .source
            .iter()
            .chain(c.spans.cue.iter())
            .chain(c.spans.content.iter())
            .chain(std::iter::once(&c.sentence_span))
            .chain(c.chain.iter().filter_map(|l| l.span.as_ref()));
        for s in spans {
            assert!(
                s.start <= s.end && s.end <= n,
                "span {s:?} outside a text of {n} chars"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_stay_inside(text in hostile_text()) {
        let x = run(&text);
        check_spans(&text, &x);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,400}") {
        let x = run(&text);
        check_spans(&text, &x);
    }
}

#[test]
fn a_one_megabyte_line_and_lone_quotes() {
    let mut text = "“".to_string();
    text.push_str(&"He said that the plan was ready and ".repeat(30_000));
    let x = run(&text);
    check_spans(&text, &x);
    for t in ["\"", "“", "”", "''", "(", "According to", "said", ""] {
        check_spans(t, &run(t));
    }
}

/// Regression: a text whose byte length is a multiple of 64 ended in a block the char map
/// did not have, and the last span's end came out as 0.
#[test]
fn the_char_map_counts_chars_up_to_every_block_edge() {
    for n in [0, 1, 31, 32, 33, 64, 65, 100] {
        for text in ["é".repeat(n), format!("{}a", "é".repeat(n)), "a".repeat(n)] {
            let map = text::CharMap::new(&text);
            for (ci, (b, _)) in text.char_indices().enumerate() {
                assert_eq!(map.char_at(b), ci, "{text:?} at byte {b}");
            }
            assert_eq!(
                map.char_at(text.len()),
                text.chars().count(),
                "{text:?} at its end"
            );
        }
    }
}
