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
    assert!(x.claims.iter().all(|c| &*c.sentence != "A subheading here"));
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

/// An article longer than a segment (issue 11, item 10: only one segment's tokens are held
/// at once) is cut at a paragraph break, and each segment's claims and spans land where
/// they are in the whole text: the second copy of a paragraph gets the first copy's claims,
/// moved by its offset, and its sources are the same sources, once.
#[test]
fn an_article_walked_in_segments_keeps_its_spans_and_sources() {
    let para = "Steve Witkoff met Yuri Ushakov in Moscow. “We put a plan together,” Witkoff \
                told Ushakov. According to Bloomberg, the plan had 28 points.";
    // The second segment starts at "Ünïcode", so char and byte offsets differ after it.
    let text = format!("{para}\n\nÜnïcode ĥere. {para}");
    let x = Extractor::new();
    let whole = x.extract_in_segments(para, &ArticleMeta::default(), usize::MAX);
    let second =
        x.extract_in_segments(&text[para.len() + 2..], &ArticleMeta::default(), usize::MAX);
    let cut = x.extract_in_segments(&text, &ArticleMeta::default(), para.len() + 40);
    assert!(!whole.claims.is_empty());
    assert_eq!(cut.claims.len(), whole.claims.len() + second.claims.len());
    let shift = para.chars().count() + 2;
    for (got, want) in cut.claims[whole.claims.len()..].iter().zip(&second.claims) {
        assert_eq!(got.text, want.text);
        assert_eq!(got.sentence_span.start, want.sentence_span.start + shift);
        assert_eq!(at(&text, got.sentence_span), &*got.sentence);
        for (g, w) in got.spans.content.iter().zip(&want.spans.content) {
            assert_eq!(g.start, w.start + shift);
        }
        for (g, w) in got.chain.iter().zip(&want.chain) {
            assert_eq!(g.name, w.name);
            assert_eq!(g.span.map(|s| s.start), w.span.map(|s| s.start + shift));
        }
    }
    assert_eq!(&cut.claims[..whole.claims.len()], &whole.claims[..]);
    let witkoffs = cut.sources.iter().filter(|s| s.name == "Steve Witkoff");
    assert_eq!(witkoffs.count(), 1, "{:#?}", cut.sources);
    assert_eq!(cut.sources.len(), whole.sources.len());
}

/// A segment ends at a paragraph break in its second half, else a line break, else a
/// space, else at the size itself (on a char boundary).
#[test]
fn a_segment_ends_at_the_best_break_in_its_second_half() {
    assert_eq!(segment_end("aaaa bb\n\ncc\ndd ee", 0, 14), 9);
    assert_eq!(segment_end("aaaa\n\nbbbb cc\ndddd", 0, 12), 11);
    assert_eq!(segment_end("a\n\nbbbbbb cc\ndddd", 0, 14), 13);
    assert_eq!(segment_end("a\n\nbbbbbb cc dddd", 0, 14), 13);
    assert_eq!(segment_end("ééééééééé", 0, 7), 6);
    assert_eq!(segment_end("short", 0, 12), 5);
    assert_eq!(segment_end("aaaa bbbb cccc", 5, 4), 9);
}

/// A chain of ever new names ("citing Ana Kalo, citing Bob Lomi, ...") compared each new
/// name with every person already named: twice the names took four times the work (a
/// 2 MiB article 27 s). Through the name index, twice the names take about twice the work.
#[test]
fn resolving_ever_new_names_takes_work_linear_in_their_number() {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "da", "fi", "go", "hu", "ja", "pe", "ri",
        "zu",
    ];
    let chain = |names: usize| {
        let mut text = String::from("Batch Wire reported, ");
        for n in 0..names {
            let (mut k, mut surname) = (n, String::new());
            loop {
                surname.push_str(SYLLABLES[k % 16]);
                k /= 16;
                if k == 0 {
                    break;
                }
            }
            let surname = surname[..1].to_uppercase() + &surname[1..];
            let first = ["Ana", "Bob", "Carl", "Dana"][n % 4];
            text.push_str(&format!("citing {first} {surname}, "));
        }
        text.push_str("that the port would reopen.");
        entities::VARIANT_CALLS.with(|n| n.set(0));
        let x = run(&text);
        assert!(x.sources.len() > names / 2, "{} sources", x.sources.len());
        entities::VARIANT_CALLS.with(|n| n.get())
    };
    let (small, large) = (chain(1500), chain(3000));
    assert!(
        large <= small * 5 / 2,
        "{small} name comparisons for 1,500 names, {large} for 3,000"
    );
}

#[test]
fn a_refusal_the_tagger_finds_attributes_nothing() {
    // The shipped model tags "declined" as a cue (PolNeAR annotates refusals); as a claim of
    // the insurer it took the sentence away from the publisher who states it.
    let text = "Two ships were insured by Valdoria Maritime Assurance under older policies. \
                Valdoria Maritime Assurance declined to comment on the minutes. \
                A Nordhaven spokeswoman declined to comment.";
    let x = run(text);
    for c in x.claims.iter().filter(|c| c.sentence.contains("declined")) {
        assert_eq!(c.speaker(), None, "{c:#?}");
    }
}

#[test]
fn the_navy_is_not_the_organisation_last_named() {
    let text = "The minutes of a board meeting of Valdoria Maritime Assurance show the vote. \
                The navy said the approaches to Selvik were no longer safe.";
    let x = run(text);
    let c = claim(&x, "approaches");
    assert_eq!(names(c), ["navy"], "{c:#?}");
}

#[test]
fn a_spokesman_for_a_person_is_the_source_not_the_person() {
    let text = "Chief executive Anton Reiss told the board the vote was needed. \
                A spokesman for Reiss said the chief executive had acted within his duties.";
    let x = run(text);
    let c = claim(&x, "acted within");
    let speaker = c.speaker().map(|l| l.name.as_str()).unwrap_or("");
    assert!(speaker.contains("spokesman"), "{c:#?}");
}

/// The claims of one sentence unit hold one copy of its text (issue 11, item 10: a chain
/// of ever new names held a copy per claim, most of a 64 MiB article's memory), and a
/// claim of another sentence holds its own.
#[test]
fn the_claims_of_one_sentence_share_its_text() {
    let text = "Ana Varn said the port would reopen, Bob Kestrel said the berth would close, \
                and Carl Ortiz said the ships would wait. Dana Lind said it was over.";
    let x = run(text);
    let first: Vec<&Claim> = x
        .claims
        .iter()
        .filter(|c| c.sentence.starts_with("Ana Varn"))
        .collect();
    assert!(first.len() >= 2, "{:#?}", x.claims);
    assert!(
        first
            .iter()
            .all(|c| std::sync::Arc::ptr_eq(&c.sentence, &first[0].sentence)),
        "one copy for the sentence"
    );
    let other = claim(&x, "Dana Lind");
    assert_eq!(&*other.sentence, "Dana Lind said it was over.");
    assert!(!std::sync::Arc::ptr_eq(&other.sentence, &first[0].sentence));
}

/// Issue 13, item 3: a quote whose speaker follows it with an apposition ("said Maria
/// Lopez, a witness ...") is hers, not the previous paragraph's speaker's ("witness" is
/// also a verb; after a determiner it is a noun).
#[test]
fn an_inverted_speaker_with_an_apposition_keeps_the_quote() {
    let text = "Donald Trump spoke to reporters on Tuesday. He said the wall would be built.\n\n\
                \"I saw the car stop,\" said Maria Lopez, a witness who lives nearby.";
    let x = run(text);
    let quotes: Vec<&Claim> = x
        .claims
        .iter()
        .filter(|c| c.sentence.contains("car stop"))
        .collect();
    assert!(!quotes.is_empty(), "{:#?}", x.claims);
    for c in quotes {
        assert_eq!(
            c.speaker().map(|l| l.name.as_str()),
            Some("Maria Lopez"),
            "{c:#?}"
        );
    }
}

/// Issue 13, item 3: "people familiar with the negotiations" is the source, not
/// "negotiations"; the same for any person noun with a phrase of knowledge or closeness.
#[test]
fn a_source_familiar_with_a_topic_is_the_whole_phrase() {
    for (text, source) in [
        (
            "People familiar with the negotiations said the deal was close.",
            "familiar with the negotiations",
        ),
        (
            "An official familiar with the matter said Sunday that the talks had stalled.",
            "official familiar with the matter",
        ),
        (
            "Two sources close to the Kremlin said the deal was close.",
            "sources close to the Kremlin",
        ),
    ] {
        let x = run(text);
        let c = x.claims.first().unwrap_or_else(|| panic!("{text}"));
        let speaker = c.speaker().unwrap_or_else(|| panic!("{c:#?}"));
        assert!(speaker.name.contains(source), "{text}: {c:#?}");
        assert_eq!(speaker.kind, SourceKind::Anonymous, "{c:#?}");
        assert!(
            !c.text.contains("Sunday") || c.text.contains("talks"),
            "{c:#?}"
        );
    }
}

/// Issue 13, item 3: "X said in a note provided to Y by Z that ...": what was said is the
/// clause after "that", not the prepositional tail.
#[test]
fn a_document_phrase_after_the_cue_is_not_the_claim() {
    let x = run(
        "The mayor said in a note provided to The Ledger by his office that the \
                 budget was balanced.",
    );
    let c = claim(&x, "budget");
    assert_eq!(c.text, "that the budget was balanced", "{c:#?}");
}

/// A denial is stated as one, and a denied noun phrase is the object of "denied", not a
/// clause after "denied that" ("Erik Sund denied that the report" read as broken English).
#[test]
fn a_denial_states_a_clause_with_that_and_a_noun_phrase_without() {
    let x = run("Trump has denied he has any formal connection to the Kremlin.");
    let c = claim(&x, "Kremlin");
    assert_eq!(
        c.statement(),
        "Trump denied that he has any formal connection to the Kremlin",
        "{c:#?}"
    );
    let x = run("Halvard spokesman Erik Sund rejected the report.");
    let c = claim(&x, "rejected");
    assert_eq!(c.certainty, Certainty::Denied, "{c:#?}");
    assert_eq!(c.statement(), "Erik Sund denied the report", "{c:#?}");
}

/// Regression: "X denied that C, a spokeswoman said" gave "spokeswoman denied that X denied
/// that C" (the denial word read as the spokeswoman's hedge) and a denied content running on
/// into ", a spokeswoman said".
#[test]
fn a_reported_denial_is_the_denier_s_and_its_reporter_asserts_it() {
    let x = run("Halvard denied that it will sell its stake in the port, a spokeswoman said.");
    let denial = x
        .claims
        .iter()
        .find(|c| c.cue.as_deref() == Some("denied"))
        .unwrap_or_else(|| panic!("{:#?}", x.claims));
    assert_eq!(names(denial), ["Halvard"], "{denial:#?}");
    assert_eq!(denial.certainty, Certainty::Denied);
    assert_eq!(
        denial.statement(),
        "Halvard denied that it will sell its stake in the port",
        "{denial:#?}"
    );
    for c in x.claims.iter().filter(|c| c.cue.as_deref() == Some("said")) {
        assert_eq!(c.certainty, Certainty::Certain, "{c:#?}");
        assert!(!c.statement().contains("denied that Halvard"), "{c:#?}");
    }
    // Nested: the officials relay the ministry's denial, and the claim is what it denied.
    let x = run("Officials said the ministry denied that fuel prices would rise.");
    let c = claim(&x, "fuel");
    assert_eq!(names(c), ["Officials", "ministry"], "{c:#?}");
    assert_eq!(c.certainty, Certainty::Denied, "{c:#?}");
    assert_eq!(
        c.statement(),
        "ministry denied that fuel prices would rise",
        "{c:#?}"
    );
}
