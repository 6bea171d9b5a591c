//! Attribution frames inside one sentence unit: a cue ("said", "according to", "told"),
//! the noun phrase of its source, an optional recipient, and the content it attributes.
//!
//! This is shallow parsing over tokens with the lexicons, no grammar: the patterns are the
//! ones news prose uses (see DESIGN.md, "The pipeline"): "X said (that) C", "C, X said",
//! "“C,” said X", "X told Y (that) C", "According to X, C", "C, according to X",
//! "As X told Y, C", "X added: “C”", "There was information that C".

mod np;
mod verb;
mod words;

use crate::extract::entities::{Np, is_determiner};
use crate::extract::lexicon::{Lexicon, VerbFlags};
use crate::extract::text::{Sentence, TokKind, Tokens};
pub use np::np_left;
use np::np_right;
pub use verb::clause_subject;
use verb::{passive_frame, verb_frame};
pub(crate) use words::TIME_WORDS;
use words::is_number;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// "according to X".
    AccordingTo,
    /// A reporting verb or cue phrase with its subject.
    Verb,
    /// "there was information that", "it is reported that": no source named.
    Unsourced,
}

impl Frame {
    /// A frame whose source phrase is its own head, with every flag off.
    fn new(
        kind: FrameKind,
        cue: Range,
        cue_word: impl Into<String>,
        source: Option<Np>,
        content: Vec<Range>,
    ) -> Frame {
        Frame {
            kind,
            cue,
            cue_word: cue_word.into(),
            flags: VerbFlags::default(),
            source,
            source_head: source,
            apposition: None,
            recipient: None,
            content,
            negated: false,
            needs_subject: false,
            embedded: false,
            pending: false,
        }
    }
}

/// A token range `[t0, t1)`.
pub type Range = (usize, usize);

#[derive(Debug, Clone)]
pub struct Frame {
    pub kind: FrameKind,
    pub cue: Range,
    /// The cue word or phrase as the chain link shows it: "told", "according to",
    /// "issued a joint statement saying" (auxiliaries and adverbs dropped).
    pub cue_word: String,
    pub flags: VerbFlags,
    pub source: Option<Np>,
    /// The head of the source phrase without an apposition ("Andriy Yermak" in "Andriy
    /// Yermak, head of the Presidential Office"), and the apposition itself.
    pub source_head: Option<Np>,
    pub apposition: Option<Np>,
    pub recipient: Option<Np>,
    /// Content pieces, in text order.
    pub content: Vec<Range>,
    /// The cue is negated ("did not say", "never said").
    pub negated: bool,
    /// The gerund after a comma ("..., saying"): its source is the clause's subject.
    pub needs_subject: bool,
    /// Found inside another frame's content ("a finish that he said defied expectations").
    pub embedded: bool,
    /// The cue ends its paragraph with a colon; the content is the next paragraph.
    pub pending: bool,
}

/// Finds every attribution frame of a sentence unit, outer frames and nested ones alike,
/// sorted by cue position.
pub fn find_frames(tokens: &Tokens, lx: &Lexicon, s: &Sentence) -> Vec<Frame> {
    let (lo, hi) = (s.t0, content_end(tokens, s.t0, s.t1));
    let mut frames = Vec::new();
    // Headlines in title case ("Bellwether County Says Trump Should Win") capitalise verbs.
    let words =
        (lo..hi).filter(|&k| tokens.toks[k].kind == TokKind::Word && tokens.lower(k).len() > 3);
    let (n, caps) = words.fold((0, 0), |(n, c), k| {
        (n + 1, c + usize::from(tokens.toks[k].cap))
    });
    let title_case = n >= 4 && caps * 10 >= n * 8;
    let mut i = lo;
    if let Some(f) =
        colon_frame(tokens, lx, lo, hi).or_else(|| in_document_frame(tokens, lx, lo, hi))
    {
        i = f.content[0].0;
        frames.push(f);
    }
    while i < hi {
        let t = &tokens.toks[i];
        if t.quoted || t.kind != TokKind::Word {
            i += 1;
            continue;
        }
        let w = tokens.lower(i);
        if !lx.starts_cue_at(tokens, i) && !matches!(w, "according" | "there" | "it") {
            i += 1;
            continue;
        }
        // "A spokeswoman declined to comment": a refusal attributes nothing.
        if let Some((n, _)) = lx.no_comment.match_at(tokens, i, hi) {
            i += n;
            continue;
        }
        // Scanning resumes after the cue and its source phrase, so that a document's "reviewed
        // by" inside "according to a record reviewed by X" is not a frame of its own.
        let resume = |f: &Frame| f.cue.1.max(f.source.map_or(0, |np| np.t1));
        if w == "according"
            && tokens.lower(i + 1) == "to"
            && i + 2 < hi
            && let Some(f) = according_to(tokens, lx, lo, hi, i)
        {
            i = resume(&f);
            frames.push(f);
            continue;
        }
        if let Some(f) = unsourced(tokens, lx, hi, i) {
            i = f.cue.1;
            frames.push(f);
            continue;
        }
        if let Some(f) = passive_frame(tokens, lx, s, lo, hi, i) {
            i = f.source.map_or(f.cue.1, |np| np.t1);
            frames.push(f);
            continue;
        }
        if let Some(f) = verb_frame(tokens, lx, s, lo, hi, i, title_case) {
            i = resume(&f);
            frames.push(f);
            continue;
        }
        i += 1;
    }
    frames
}

crate::extract::word_set!(
/// Labels that end in a colon but name no source: "UPDATE:", "Editor’s Note:".

    COLON_LABELS = [
        "update",
        "updated",
        "breaking",
        "editor",
        "editor’s",
        "editor's",
        "note",
        "watch",
        "video",
        "photo",
        "photos",
        "related",
        "read",
        "q",
        "a",
        "question",
        "answer",
        "exclusive",
        "live",
        "opinion",
        "analysis",
        "warning",
        "correction",
        "disclosure",
        "background",
        "context",
        "why",
        "what",
        "how",
        "here",
        "full",
        "transcript",
        "source",
        "sources",
        "the",
        "this",
        "that",
        "these",
        "in",
        "on",
        "at",
        "for",
        "but",
        "and",
        "so",
        "now",
        "then",
        "also",
        "first",
        "second",
        "third",
        "finally",
        "pictured"
    ]
);

/// "Wash Post Fact-Check: If Obama says it, it’s true", "TRUMP: We will win": a short
/// name-like phrase and a colon open the sentence and attribute what follows.
fn colon_frame(tokens: &Tokens, lx: &Lexicon, lo: usize, hi: usize) -> Option<Frame> {
    let c = (lo + 1..(lo + 7).min(hi)).find(|&k| tokens.lower(k) == ":")?;
    let all_words = (lo..c).all(|k| {
        tokens.toks[k].kind == TokKind::Word && !tokens.toks[k].quoted && !is_number(tokens, k)
    });
    let named = (lo..c)
        .all(|k| tokens.toks[k].cap || matches!(tokens.lower(k), "of" | "the" | "for"))
        && tokens.toks[lo].cap;
    if !all_words
        || !named
        || COLON_LABELS.contains(&tokens.lower(lo))
        || (lo..c).any(|k| lx.verb(tokens, k).is_some())
    {
        return None;
    }
    let content = trim_range(tokens, c + 1, hi)?;
    let words = (content.0..content.1)
        .filter(|&k| tokens.toks[k].kind == TokKind::Word)
        .count();
    if words < 3 {
        return None;
    }
    let np = Np { t0: lo, t1: c };
    Some(Frame {
        flags: VerbFlags {
            speech: true,
            ..VerbFlags::default()
        },
        ..Frame::new(FrameKind::Verb, (c, c + 1), ":", Some(np), vec![content])
    })
}

crate::extract::word_set!(
/// Nouns of the documents and occasions that "In a ..., C" attributes to.
IN_NOUNS = ["poll", "survey", "study", "report", "analysis"]);

/// "In an NBC News/Wall Street Journal poll released Monday, 50 percent chose Clinton": the
/// document after "In" is the source, "In" the cue.
fn in_document_frame(tokens: &Tokens, lx: &Lexicon, lo: usize, hi: usize) -> Option<Frame> {
    if tokens.lower(lo) != "in" || !is_determiner(tokens.lower(lo + 1)) {
        return None;
    }
    let comma = (lo + 2..(lo + 16).min(hi)).find(|&k| tokens.lower(k) == ",")?;
    let noun = (lo + 2..comma).find(|&k| IN_NOUNS.contains(&tokens.lower(k)))?;
    if (lo + 1..comma).any(|k| tokens.toks[k].quoted)
        || (lo + 2..noun).any(|k| lx.verb(tokens, k).is_some_and(|v| !v.participle))
    {
        return None;
    }
    let content = trim_range(tokens, comma + 1, hi)?;
    let np = Np {
        t0: lo + 1,
        t1: comma,
    };
    Some(Frame::new(
        FrameKind::AccordingTo,
        (lo, lo + 1),
        "in",
        Some(np),
        vec![content],
    ))
}

/// The end of the sentence's content: the unit without its final period (a closing quote
/// after it stays).
pub fn content_end(tokens: &Tokens, t0: usize, t1: usize) -> usize {
    let mut e = t1;
    while e > t0
        && tokens.toks[e - 1].kind == TokKind::Punct
        && matches!(tokens.lower(e - 1), "." | ";" | "," | "—" | "–" | "-")
        && !tokens.toks[e - 1].quoted
    {
        e -= 1;
    }
    e
}

fn trim_range(tokens: &Tokens, mut a: usize, mut b: usize) -> Option<Range> {
    while a < b
        && tokens.toks[a].kind == TokKind::Punct
        && matches!(tokens.lower(a), "," | ":" | ";" | "—" | "–" | "-")
    {
        a += 1;
    }
    while b > a
        && tokens.toks[b - 1].kind == TokKind::Punct
        && matches!(
            tokens.lower(b - 1),
            "," | ":" | ";" | "." | "—" | "–" | "-" | "("
        )
        && !tokens.toks[b - 1].quoted
    {
        b -= 1;
    }
    (a < b).then_some((a, b))
}

/// "According to X, C" / "C, according to X" / "C, according to X, C2".
fn according_to(tokens: &Tokens, lx: &Lexicon, lo: usize, hi: usize, i: usize) -> Option<Frame> {
    let np = np_right(tokens, lx, i + 2, hi, true, false)?;
    let (source, head, appos) = np;
    let mut content = Vec::new();
    // Before: from the sentence start (or the start of this clause) up to the comma.
    let before_start = lo;
    if i > before_start
        && let Some(r) = trim_range(tokens, before_start, i)
    {
        // Sentence-initial discourse words before "According to" ("But", "However,") are
        // not content.
        let only_adverbial = (r.0..r.1)
            .all(|k| tokens.toks[k].kind != TokKind::Word || !tokens.toks[k].quoted)
            && r.1 - r.0 <= 2
            && tokens.toks[r.0].cap;
        if !only_adverbial {
            content.push(r);
        }
    }
    if source.t1 < hi
        && let Some(r) = trim_range(tokens, source.t1, hi)
    {
        content.push(r);
    }
    if content.is_empty() {
        return None;
    }
    Some(Frame {
        source_head: Some(head),
        apposition: appos,
        ..Frame::new(
            FrameKind::AccordingTo,
            (i, i + 2),
            "according to",
            Some(source),
            content,
        )
    })
}

/// "There was information that C", "it is reported that C": content with no source.
fn unsourced(tokens: &Tokens, lx: &Lexicon, hi: usize, i: usize) -> Option<Frame> {
    let w = tokens.lower(i);
    if w != "there" && w != "it" {
        return None;
    }
    // "There was (also) information that": one adverb may stand inside the phrase.
    let words: Vec<&str> = (i..hi.min(i + 8)).map(|k| tokens.lower(k)).collect();
    let adverb = words.get(2).is_some_and(|w| {
        matches!(*w, "also" | "still" | "even" | "now" | "already") || w.ends_with("ly")
    });
    let (n, skipped) = match lx.anonymous.match_words(&words) {
        Some((n, _)) => (n, 0),
        None if adverb => {
            let mut gapped = words.clone();
            gapped.remove(2);
            (lx.anonymous.match_words(&gapped)?.0, 1)
        }
        None => return None,
    };
    let mut e = i + n + skipped;
    if tokens.lower(e) == "that" {
        e += 1;
    }
    let content = trim_range(tokens, e.min(hi), hi)?;
    Some(Frame::new(
        FrameKind::Unsourced,
        (i, e),
        words[..n + skipped].join(" "),
        None,
        vec![content],
    ))
}
