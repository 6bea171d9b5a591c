//! Attribution frames inside one sentence unit: a cue ("said", "according to", "told"),
//! the noun phrase of its source, an optional recipient, and the content it attributes.
//!
//! This is shallow parsing over tokens with the lexicons, no grammar: the patterns are the
//! ones news prose uses (see DESIGN.md, "The pipeline"): "X said (that) C", "C, X said",
//! "“C,” said X", "X told Y (that) C", "According to X, C", "C, according to X",
//! "As X told Y, C", "X added: “C”", "There was information that C".

use super::entities::{Np, is_determiner, is_name_token};
use super::lexicon::{Lexicon, VerbFlags};
use super::text::{Sentence, TokKind, Tokens};

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

crate::extract::word_set!(
    AUXILIARIES = [
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "could",
        "can",
        "may",
        "might",
        "should",
        "must",
        "did",
        "does",
        "do",
        "been",
        "be",
        "being",
        "also",
        "then",
        "later",
        "soon",
        "previously",
        "repeatedly",
        "once",
        "again",
        "already",
        "still",
        "recently",
        "never",
        "not",
        "long",
        "first",
        "often",
        "even",
        "just",
        "now",
        "always",
        "initially",
        "subsequently",
        "further",
        "reportedly",
        "publicly",
        "privately",
        "separately"
    ]
);

crate::extract::word_set!(
    NEGATIONS = [
        "not",
        "never",
        "didn’t",
        "didn't",
        "doesn’t",
        "doesn't",
        "won’t",
        "won't",
        "hasn’t",
        "hasn't",
        "haven’t",
        "haven't",
        "wouldn’t",
        "wouldn't"
    ]
);

crate::extract::word_set!(
    SUBJECT_PRONOUNS = [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "who",
        "which",
        "he’s",
        "she’s",
        "it’s",
        "they’re",
        "we’re",
        "i’m",
        "he's",
        "she's",
        "it's",
        "they're",
        "we're",
        "i'm",
        "he’d",
        "she’d",
        "they’d",
        "i’d",
        "we’d",
        "he’ll",
        "she’ll",
        "they’ll",
        "i’ll",
        "we’ll",
        "they’ve",
        "we’ve",
        "i’ve"
    ]
);
crate::extract::word_set!(
    OBJECT_PRONOUNS = ["him", "her", "them", "me", "us", "it", "you", "reporters"]
);

crate::extract::word_set!(
/// Words after which a following clause is the content of a weak cue.

    COMPLEMENT_STARTERS = [
        "that", "whether", "if", "how", "what", "why", "when", "where", "who", "which"
    ]
);

crate::extract::word_set!(
/// Words that start a subordinate or coordinate clause; a source phrase never includes them.

    CLAUSE_WORDS = [
        "and", "but", "or", "that", "which", "while", "when", "after", "before", "because", "as",
        "if", "though", "although", "since", "so", "where", "whether", "than", "until", "unless",
        "once"
    ]
);

crate::extract::word_set!(
    PREPOSITIONS = [
        "outside",
        "inside",
        "near",
        "behind",
        "across",
        "around",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "of",
        "from",
        "after",
        "before",
        "during",
        "to",
        "about",
        "over",
        "under",
        "into",
        "through",
        "against",
        "among",
        "between",
        "without",
        "within",
        "since",
        "last",
        "this",
        "earlier",
        "later",
        "yesterday",
        "today",
        "tonight",
        "recently"
    ]
);

crate::extract::word_set!(
/// Heads of poll and quantity subjects: "percent", "half", "many".

    QUANTIFIER_HEADS = [
        "percent",
        "%",
        "half",
        "majority",
        "plurality",
        "minority",
        "third",
        "thirds",
        "quarter",
        "quarters",
        "many",
        "most",
        "some",
        "others",
        "several",
        "few",
        "all",
        "both",
        "none",
        "respondents",
        "voters",
        "americans",
        "democrats",
        "republicans"
    ]
);

crate::extract::word_set!(
    NUMBER_WORDS = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred"
    ]
);

fn adjective_like(w: &str) -> bool {
    matches!(
        w,
        "former"
            | "top"
            | "senior"
            | "chief"
            | "deputy"
            | "special"
            | "longtime"
            | "new"
            | "local"
            | "federal"
            | "state"
            | "then"
            | "acting"
            | "current"
            | "outgoing"
            | "incoming"
            | "vice"
            | "assistant"
            | "associate"
            | "executive"
            | "general"
            | "leading"
            | "prominent"
            | "veteran"
            | "retired"
            | "fellow"
            | "two"
            | "three"
            | "several"
            | "other"
            | "many"
            | "some"
            | "most"
            | "few"
            | "anonymous"
            | "unnamed"
            | "independent"
            | "conservative"
            | "liberal"
            | "progressive"
            | "republican"
            | "democratic"
            | "military"
            | "foreign"
            | "white"
            | "house"
            | "press"
            | "campaign"
            | "senate"
            | "party"
            | "legal"
            | "polling"
            | "policy"
            | "intelligence"
            | "security"
            | "defense"
            | "justice"
            | "government"
            | "administration"
            | "news"
    ) || (w.len() > 4
        && ["al", "ic", "ive", "ian", "ese", "ish", "ary", "ous", "ern"]
            .iter()
            .any(|s| w.ends_with(s)))
}

/// A lower-case word that can modify a head noun: not a function word, a verb of the
/// lexicon or an adverb.
fn plain_modifier(lx: &Lexicon, w: &str) -> bool {
    w.chars().next().is_some_and(char::is_alphabetic)
        && !CLAUSE_WORDS.contains(&w)
        && !PREPOSITIONS.contains(&w)
        && !is_determiner(w)
        && !w.ends_with("ly")
        && !SUBJECT_PRONOUNS.contains(&w)
        && !OBJECT_PRONOUNS.contains(&w)
        && !lx.verbs.contains_key(w)
        && !matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "has"
                | "have"
                | "had"
                | "not"
                | "will"
                | "would"
                | "can"
                | "could"
                | "should"
                | "may"
                | "might"
                | "must"
                | "do"
                | "does"
                | "did"
                | "to"
        )
}

fn is_number(tokens: &Tokens, i: usize) -> bool {
    let w = tokens.lower(i);
    if w.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    // "six", "twenty-four": the word, or its part before a hyphen.
    let head = w.split_once('-').map_or(w, |(h, _)| h);
    NUMBER_WORDS.contains(&head)
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

/// Whether `k..hi` is only a trailing adverbial of time or place ("on Friday", "Saturday",
/// "in Berea, Ohio Tuesday night", "when asked about it"), so the cue clause ends there.
fn adverbial_tail(tokens: &Tokens, lx: &Lexicon, k: usize, hi: usize) -> bool {
    // What follows a subordinator ("when asked about ...", ", when a dozen states ...") is
    // another clause; only the part before it must be adverbial.
    let end = (k..hi)
        .find(|&x| {
            !tokens.toks[x].quoted
                && matches!(
                    tokens.lower(x),
                    "when"
                        | "as"
                        | "after"
                        | "before"
                        | "while"
                        | "because"
                        | "if"
                        | "where"
                        | "who"
                        | "which"
                        | "since"
                        | "until"
                        | "though"
                        | "although"
                        | "whereas"
                )
        })
        .unwrap_or(hi);
    let mut end = end;
    while end > k && tokens.lower(end - 1) == "," {
        end -= 1;
    }
    if k >= end {
        return true;
    }
    let first = tokens.lower(k);
    let starts = PREPOSITIONS.contains(&first) || TIME_WORDS.contains(&first);
    if !starts || end - k > 12 {
        return false;
    }
    (k..end).all(|x| {
        let t = &tokens.toks[x];
        let w = tokens.lower(x);
        !t.quoted
            && t.kind != TokKind::QuoteOpen
            && w != "that"
            && (t.kind == TokKind::Word || matches!(w, "," | "." | "’" | "'"))
            && lx.verbs.get(w).is_none_or(|v| v.participle && x > k)
    })
}

/// "O’Malley’s move was first reported by MSNBC": a passive reporting verb with its agent.
/// The agent is the source, the subject the content.
fn passive_frame(
    tokens: &Tokens,
    lx: &Lexicon,
    s: &Sentence,
    lo: usize,
    hi: usize,
    i: usize,
) -> Option<Frame> {
    let v = lx.verb(tokens, i)?;
    if !v.participle || v.gerund || tokens.lower(i + 1) != "by" || tokens.toks[i].quoted {
        return None;
    }
    let mut c0 = i;
    while c0 > lo
        && (tokens.lower(c0 - 1).ends_with("ly")
            || matches!(
                tokens.lower(c0 - 1),
                "first" | "also" | "later" | "previously" | "initially" | "widely" | "not"
            ))
    {
        c0 -= 1;
    }
    if c0 == lo
        || !matches!(
            tokens.lower(c0 - 1),
            "was" | "were" | "is" | "are" | "been" | "be" | "being"
        )
    {
        return None;
    }
    c0 -= 1;
    while c0 > lo
        && matches!(
            tokens.lower(c0 - 1),
            "has" | "have" | "had" | "will" | "would" | "may" | "might" | "could"
        )
    {
        c0 -= 1;
    }
    let (agent, head, appos) = np_right(tokens, lx, i + 2, hi, true, false)?;
    let content = if tokens.lower(c0.saturating_sub(1)) == "it" && tokens.lower(agent.t1) == "that"
    {
        trim_range(tokens, agent.t1, hi)?
    } else {
        let np = np_left(tokens, lx, lo, c0, s.t0)?;
        (np.t0, np.t1)
    };
    Some(Frame {
        flags: v.flags,
        source_head: Some(head),
        apposition: appos,
        ..Frame::new(
            FrameKind::Verb,
            (c0, i + 2),
            format!("{} by", tokens.lower(i)),
            Some(agent),
            vec![content],
        )
    })
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

/// A noun phrase to the right of `i`, ending at a comma or the end (an according-to source,
/// an inverted subject): `(whole, head, apposition)`.
fn np_right(
    tokens: &Tokens,
    lx: &Lexicon,
    i: usize,
    hi: usize,
    until_comma: bool,
    to_end: bool,
) -> Option<(Np, Np, Option<Np>)> {
    if i >= hi || tokens.toks[i].kind != TokKind::Word && tokens.toks[i].kind != TokKind::QuoteOpen
    {
        return None;
    }
    if tokens.toks[i].quoted {
        return None;
    }
    let stop = |k: usize| -> bool {
        let t = &tokens.toks[k];
        t.kind == TokKind::QuoteOpen
            || t.kind == TokKind::QuoteClose
            || (t.kind == TokKind::Punct
                && matches!(
                    tokens.lower(k),
                    "," | "." | ";" | ":" | "(" | ")" | "—" | "–" | "?" | "!"
                ))
    };
    if let Some((n, _)) = lx.anonymous.match_at(tokens, i, hi) {
        let mut e = i + n;
        while e < hi && !stop(e) && e - i < 12 {
            e += 1;
        }
        let np = Np { t0: i, t1: e };
        return Some((np, np, None));
    }
    let mut e = i;
    while e < hi && !stop(e) && e - i < if to_end { 30 } else { 14 } {
        if !until_comma && e > i && CLAUSE_WORDS.contains(&tokens.lower(e)) {
            break;
        }
        e += 1;
    }
    if e == i {
        return None;
    }
    // "Rep. Patrick J. Tiberi (R-Ohio), a senior member ...": a parenthesis after the name
    // belongs to it.
    if e < hi
        && tokens.lower(e) == "("
        && let Some(close) = (e + 1..(e + 8).min(hi)).find(|&k| tokens.lower(k) == ")")
    {
        e = close + 1;
    }
    let head = Np { t0: i, t1: e };
    // An apposition: ", head of the Ukrainian Presidential Office," then more.
    if e < hi && tokens.lower(e) == "," && until_comma {
        let mut a = e + 1;
        let a0 = a;
        while a < hi && !stop(a) && a - a0 < 20 {
            a += 1;
        }
        let closed = a < hi && tokens.lower(a) == ",";
        // An inverted subject's apposition may run to the end: "said Newt Gingrich, the
        // former House speaker."
        if (closed || (to_end && a == hi)) && a > a0 && is_apposition(tokens, lx, a0, a) {
            let appos = Np { t0: a0, t1: a };
            return Some((Np { t0: i, t1: a }, head, Some(appos)));
        }
    }
    Some((head, head, None))
}

/// Whether `a0..a1` reads as an apposition describing a person ("head of the office", "a
/// spokesman for the campaign", "the former envoy"), not a clause or an adverbial.
fn is_apposition(tokens: &Tokens, lx: &Lexicon, a0: usize, a1: usize) -> bool {
    if a1 <= a0 || a1 - a0 > 24 {
        return false;
    }
    let first = tokens.lower(a0);
    if PREPOSITIONS.contains(&first)
        || CLAUSE_WORDS.contains(&first)
        || SUBJECT_PRONOUNS.contains(&first)
    {
        return false;
    }
    if (a0..a1).any(|k| {
        lx.verbs
            .get(tokens.lower(k))
            .is_some_and(|v| !v.participle && !v.gerund && v.flags.speech)
            && !lx.title_words.contains(tokens.lower(k))
    }) {
        return false;
    }
    // "a Navy veteran", "head of the office", "Sanders' senior media adviser", "49".
    is_determiner(first)
        || lx.title_words.contains(first)
        || tokens.toks[a0].possessive && a1 - a0 >= 2
        || (a0..a1).all(|k| is_number(tokens, k))
        || (a1 - a0 <= 4
            && (a0..a1).all(|k| tokens.toks[k].cap || tokens.toks[k].kind != TokKind::Word))
}

/// Like [`np_left`], but a parenthesis right before `e` ("Rep. Gregory Meeks (D-N.Y.)")
/// belongs to the phrase.
fn np_left_paren(
    tokens: &Tokens,
    lx: &Lexicon,
    lo: usize,
    e: usize,
    sentence_start: usize,
) -> Option<Np> {
    if e > lo + 1 && tokens.lower(e - 1) == ")" {
        let open = (e.saturating_sub(9).max(lo)..e - 1)
            .rev()
            .find(|&k| tokens.lower(k) == "(")?;
        let np = np_left(tokens, lx, lo, open, sentence_start)?;
        return Some(Np { t0: np.t0, t1: e });
    }
    np_left(tokens, lx, lo, e, sentence_start)
}

/// The source noun phrase that ends right before `e` (a subject), not reaching before `lo`.
pub fn np_left(
    tokens: &Tokens,
    lx: &Lexicon,
    lo: usize,
    e: usize,
    sentence_start: usize,
) -> Option<Np> {
    let mut np = np_head(tokens, lx, lo, e, sentence_start)?;
    // "Aides to Clinton", "a spokesman for the campaign", "the director of the FBI": the
    // phrase runs back over the preposition to the noun it belongs to.
    if np.t0 >= lo + 2
        && matches!(
            tokens.lower(np.t0 - 1),
            "to" | "for" | "of" | "at" | "from" | "with"
        )
    {
        let noun = np.t0 - 2;
        let w = tokens.lower(noun);
        let nounish = lx.title_words.contains(w)
            || lx.document_heads.contains(w)
            || lx.org_words.contains(w)
            || (w.ends_with('s')
                && !w.ends_with("ss")
                && plain_modifier(lx, w)
                && !tokens.toks[noun].cap);
        if nounish
            && tokens.toks[noun].kind == TokKind::Word
            && !tokens.toks[noun].quoted
            && let Some(head) = np_head(tokens, lx, lo, noun + 1, sentence_start)
        {
            np = Np { t0: head.t0, t1: e };
        }
    }
    // "People familiar with the negotiations", "an official briefed on the talks",
    // "sources close to the Kremlin": a person noun with a phrase of knowledge or closeness
    // is the source, not the topic that ends it (which read as "negotiations", "matter").
    if let Some(start) = knowledge_phrase_before(tokens, lo, np.t0)
        && start > lo
        && person_noun(lx, tokens, start - 1)
        && let Some(head) = np_head(tokens, lx, lo, start, sentence_start)
    {
        np = Np { t0: head.t0, t1: e };
    }
    // "Sixty-four percent of voters", "most of the delegates": the quantity is the source.
    let s = np.t0;
    if s >= lo + 2 && tokens.lower(s - 1) == "of" {
        let q = s - 2;
        if (QUANTIFIER_HEADS.contains(&tokens.lower(q)) || is_number(tokens, q))
            && let Some(quantity) = np_head(tokens, lx, lo, q + 1, sentence_start)
        {
            return Some(Np {
                t0: quantity.t0,
                t1: e,
            });
        }
    }
    Some(np)
}

/// Where the "that" of a claim is after a document phrase opening at `p` ("in a note
/// provided to X by Y that"): a determiner, a document or cue noun within three words, then
/// at most twelve words with no punctuation and no clause of their own.
fn that_after_document_phrase(tokens: &Tokens, lx: &Lexicon, p: usize, hi: usize) -> Option<usize> {
    let word = |k: usize| k < hi && tokens.toks[k].kind == TokKind::Word && !tokens.toks[k].quoted;
    if !word(p + 1) || !is_determiner(tokens.lower(p + 1)) {
        return None;
    }
    let noun = (p + 2..p + 5).find(|&k| {
        word(k) && {
            let w = tokens.lower(k);
            lx.document_heads.contains(w)
                || lx.cue_nouns.contains(w)
                || matches!(
                    w,
                    "note" | "email" | "e-mail" | "message" | "letter" | "memo"
                )
        }
    })?;
    (noun + 1..(noun + 14).min(hi))
        .take_while(|&k| word(k))
        .find(|&k| tokens.lower(k) == "that")
        .filter(|&that| {
            (noun + 1..that).all(|k| {
                let w = tokens.lower(k);
                // No clause of its own in between: no auxiliary, relative or reporting verb
                // (a participle such as "provided" or "sent" is the document's).
                !AUXILIARIES.contains(&w)
                    && !matches!(w, "who" | "which" | "whom" | "whose" | "and" | "but" | "or")
                    && (w.ends_with("ed") || !lx.verbs.contains_key(w))
            })
        })
}

/// Phrases of knowledge or closeness that follow a person noun and take a topic: "familiar
/// with", "close to", "briefed on", "with (direct) knowledge of", "knowledgeable about",
/// "involved in", "aware of".
const KNOWLEDGE_PHRASES: &[&[&str]] = &[
    &["familiar", "with"],
    &["close", "to"],
    &["closer", "to"],
    &["briefed", "on"],
    &["with", "knowledge", "of"],
    &["with", "direct", "knowledge", "of"],
    &["knowledgeable", "about"],
    &["involved", "in"],
    &["aware", "of"],
];

/// Where a knowledge phrase ending right before token `t0` starts, if one does.
fn knowledge_phrase_before(tokens: &Tokens, lo: usize, t0: usize) -> Option<usize> {
    KNOWLEDGE_PHRASES.iter().find_map(|p| {
        let start = t0.checked_sub(p.len())?;
        (start >= lo
            && p.iter().enumerate().all(|(k, w)| {
                let t = &tokens.toks[start + k];
                t.kind == TokKind::Word && !t.quoted && tokens.lower(start + k) == *w
            }))
        .then_some(start)
    })
}

/// Whether token `i` is a noun for people as a source: a role or title ("official",
/// "aide"), or the head of an anonymous or collective phrase ("people", "sources").
fn person_noun(lx: &Lexicon, tokens: &Tokens, i: usize) -> bool {
    let w = tokens.lower(i);
    let singular = w.strip_suffix('s').unwrap_or(w);
    lx.title_words.contains(w)
        || lx.title_words.contains(singular)
        || matches!(
            w,
            "people" | "person" | "persons" | "someone" | "source" | "sources" | "individuals"
        )
}

/// [`np_left`] without the quantity before "of".
fn np_head(
    tokens: &Tokens,
    lx: &Lexicon,
    lo: usize,
    e: usize,
    sentence_start: usize,
) -> Option<Np> {
    if e <= lo {
        return None;
    }
    let h = e - 1;
    let ht = &tokens.toks[h];
    if ht.kind != TokKind::Word || ht.quoted {
        return None;
    }
    let hw = tokens.lower(h);
    if SUBJECT_PRONOUNS.contains(&hw) {
        return Some(Np { t0: h, t1: e });
    }
    // Anonymous, outlet and organisation phrases that end here ("people familiar with the
    // matter", "the Financial Times").
    // Most heads end no such phrase: one look-up rules the search out.
    let could_end = lx.ends_source_at(tokens, h);
    for j in (e.saturating_sub(9).max(lo)..=h).filter(|_| could_end) {
        for m in [
            lx.anonymous.match_at(tokens, j, e).map(|(n, _)| n),
            lx.outlets.match_at(tokens, j, e).map(|(n, _)| n),
            lx.organizations.match_at(tokens, j, e).map(|(n, _)| n),
        ]
        .into_iter()
        .flatten()
        {
            if j + m == e {
                let mut s = j;
                // Extend over determiners and modifiers: "two people familiar with ...",
                // "the U.S. State Department".
                while s > lo
                    && tokens.toks[s - 1].kind == TokKind::Word
                    && !tokens.toks[s - 1].quoted
                {
                    let w = tokens.lower(s - 1);
                    // "election officials", "Republican primary voters": one or two plain
                    // modifiers, when what precedes them ends the phrase.
                    let modifier = e - s < 4
                        && plain_modifier(lx, w)
                        && (s < lo + 2
                            || !tokens.toks[s - 2].kind.eq(&TokKind::Word)
                            || is_determiner(tokens.lower(s - 2))
                            || s - 1 == sentence_start);
                    if is_determiner(w)
                        || adjective_like(w)
                        || modifier
                        || is_number(tokens, s - 1)
                        || is_name_token(tokens, s - 1, sentence_start)
                    {
                        s -= 1;
                        if is_determiner(w) {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                return Some(Np { t0: s, t1: e });
            }
        }
    }
    // Poll subjects: "Twenty-four percent said", "more than 4 in 10 said", "half said".
    if QUANTIFIER_HEADS.contains(&hw) || is_number(tokens, h) {
        let mut s = h;
        while s > lo && tokens.toks[s - 1].kind == TokKind::Word && !tokens.toks[s - 1].quoted {
            let w = tokens.lower(s - 1);
            if is_number(tokens, s - 1)
                || matches!(
                    w,
                    "more"
                        | "than"
                        | "less"
                        | "fewer"
                        | "about"
                        | "nearly"
                        | "almost"
                        | "roughly"
                        | "over"
                        | "under"
                        | "just"
                        | "in"
                        | "only"
                        | "some"
                        | "a"
                        | "the"
                        | "of"
                )
                || is_number(tokens, s - 1)
                || QUANTIFIER_HEADS.contains(&w) && matches!(tokens.lower(s), "of")
            {
                s -= 1;
            } else {
                break;
            }
        }
        while s < h && matches!(tokens.lower(s), "in" | "of" | "than") {
            s += 1;
        }
        if is_name_token(tokens, h, sentence_start) || !is_number(tokens, h) || s < h {
            return Some(Np { t0: s, t1: e });
        }
    }
    let name_head = is_name_token(tokens, h, sentence_start);
    let lexical_head = lx.title_words.contains(hw)
        || lx.document_heads.contains(hw)
        || lx.org_words.contains(hw)
        || lx.cue_nouns.contains(hw)
            && (hw == "poll" || hw == "report" || hw == "survey" || hw == "study");
    // "Ford itself said": a reflexive after the phrase belongs to it.
    if matches!(hw, "itself" | "himself" | "herself" | "themselves") && h > lo {
        return np_head(tokens, lx, lo, h, sentence_start).map(|np| Np { t0: np.t0, t1: e });
    }
    // "former employees said", "local residents say": a bare plural with modifiers opening
    // its clause.
    if hw.ends_with('s') && !hw.ends_with("ss") && plain_modifier(lx, hw) && !ht.cap {
        let mut k = h;
        while k > lo
            && k + 3 > h
            && (adjective_like(tokens.lower(k - 1)) || plain_modifier(lx, tokens.lower(k - 1)))
            && !tokens.toks[k - 1].cap
            && tokens.toks[k - 1].kind == TokKind::Word
        {
            k -= 1;
        }
        let opens_clause = k == lo
            || k == sentence_start
            || matches!(tokens.lower(k - 1), "," | "and" | "but" | ";");
        if k < h && opens_clause {
            return Some(Np { t0: k, t1: e });
        }
    }
    if !name_head && !lexical_head {
        // A common noun heads a subject only after a determiner: "the campaign said".
        let det = (h.saturating_sub(4).max(lo)..h)
            .rev()
            .find(|&k| is_determiner(tokens.lower(k)) || tokens.toks[k].possessive);
        let plausible = !CLAUSE_WORDS.contains(&hw)
            && !PREPOSITIONS.contains(&hw)
            && !hw.ends_with("ly")
            && !is_determiner(hw)
            && !lx.verbs.contains_key(hw);
        match det {
            Some(d)
                if plausible
                    && (d + 1..h).all(|k| {
                        tokens.toks[k].kind == TokKind::Word
                            && !CLAUSE_WORDS.contains(&tokens.lower(k))
                            && !PREPOSITIONS.contains(&tokens.lower(k))
                            && !lx.verbs.contains_key(tokens.lower(k))
                    }) =>
            {
                return Some(Np { t0: d, t1: e });
            }
            _ => return None,
        }
    }
    let mut s = h;
    let mut modifiers = 0;
    while s > lo {
        let j = s - 1;
        let t = &tokens.toks[j];
        if t.kind != TokKind::Word || t.quoted {
            break;
        }
        let w = tokens.lower(j);
        if is_determiner(w) && w != "that" {
            s = j;
            break;
        }
        if t.possessive {
            s = j;
            continue;
        }
        if is_name_token(tokens, j, sentence_start) {
            s = j;
            continue;
        }
        // "Secretary of State", "the mayor of Northgate": "of" joins names and titles.
        if matches!(w, "of" | "for" | "and")
            && j > lo
            && (is_name_token(tokens, j - 1, sentence_start)
                || w == "of" && lx.title_words.contains(tokens.lower(j - 1)))
            && tokens.toks[s].cap
        {
            s = j;
            continue;
        }
        if (lx.title_words.contains(w) || adjective_like(w) || is_number(tokens, j))
            && modifiers < 4
            && !CLAUSE_WORDS.contains(&w)
        {
            modifiers += 1;
            s = j;
            continue;
        }
        // Other lower-case modifiers ("presidential contender", "largest gun", "early")
        // belong to the phrase when it goes on to a determiner or a capitalised word:
        // "Democratic presidential contender Hillary Clinton", "An early tweet".
        if modifiers < 4 && plain_modifier(lx, w) {
            let mut k = j;
            let mut n = 0;
            while k > lo
                && n < 4
                && tokens.toks[k].kind == TokKind::Word
                && !tokens.toks[k].quoted
                && plain_modifier(lx, tokens.lower(k))
                && !tokens.toks[k].cap
            {
                k -= 1;
                n += 1;
            }
            let anchor = tokens.lower(k);
            let anchored = tokens.toks[k].kind == TokKind::Word
                && !tokens.toks[k].quoted
                && (is_determiner(anchor)
                    || tokens.toks[k].possessive
                    || is_name_token(tokens, k, sentence_start));
            if anchored && k >= lo {
                modifiers += n;
                s = k;
                if is_determiner(anchor) {
                    break;
                }
                continue;
            }
        }
        break;
    }
    // Never start on a connective ("and").
    while s < h && matches!(tokens.lower(s), "and" | "of" | "for") {
        s += 1;
    }
    Some(Np { t0: s, t1: e })
}

/// What a comma-separated segment between a subject and its cue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    /// Describes the subject: "a junior from Las Vegas", "21", "head of the office".
    Apposition,
    /// An aside that is not part of the source: "in turn", "for instance", "who said ...".
    Aside,
}

fn segment_kind(tokens: &Tokens, lx: &Lexicon, a0: usize, a1: usize) -> Option<Segment> {
    if a1 <= a0 || a1 - a0 > 24 {
        return None;
    }
    let first = tokens.lower(a0);
    // "Chris Cox, who runs the NRA’s lobbying arm, said": a relative clause describes the
    // source, unless it is an attribution of its own ("who said he votes democratic").
    if matches!(first, "who" | "which" | "whose" | "whom") {
        let speech = (a0 + 1..a1).any(|k| {
            lx.verbs
                .get(tokens.lower(k))
                .is_some_and(|v| v.flags.speech || v.flags.belief)
        });
        return Some(if speech {
            Segment::Aside
        } else {
            Segment::Apposition
        });
    }
    // A speech verb inside makes the segment a clause, unless the word is a noun there
    // ("the state party chairwoman").
    let finite_speech = (a0..a1).any(|k| {
        let w = tokens.lower(k);
        lx.verbs
            .get(w)
            .is_some_and(|v| v.flags.speech && !v.participle && !v.gerund)
            && !tokens.toks[k].cap
            && !lx.noun_homographs.contains(w)
            && !(k > a0
                && (is_determiner(tokens.lower(k - 1)) || plain_modifier(lx, tokens.lower(k - 1))))
    });
    if finite_speech || tokens.toks[a0].quoted {
        return None;
    }
    if PREPOSITIONS.contains(&first)
        || first.ends_with("ly")
        || matches!(
            first,
            "including"
                | "especially"
                | "notably"
                | "like"
                | "however"
                | "too"
                | "though"
                | "meanwhile"
                | "instead"
                | "also"
                | "then"
                | "for"
                | "in"
                | "speaking"
                | "asked"
                | "when"
                | "while"
        )
    {
        return Some(Segment::Aside);
    }
    if (a0..a1).all(|k| is_number(tokens, k)) {
        return Some(Segment::Apposition);
    }
    // Participial descriptions: "clad in a red cape".
    if first.ends_with("ed") && a1 - a0 >= 2 && !lx.verbs.contains_key(first) {
        return Some(Segment::Apposition);
    }
    is_apposition(tokens, lx, a0, a1).then_some(Segment::Apposition)
}

crate::extract::word_set!(
    pub(crate) TIME_WORDS = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tonight",
        "week",
        "month",
        "year",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "time",
        "earlier",
        "later",
        "recently",
        "previously",
        "once",
        "again"
    ]
);

/// Skips a time adverbial that ends at `e` ("on Tuesday", "last week", "earlier this
/// month"), which sits between a subject and its cue but belongs to neither.
fn skip_time_adverbial(tokens: &Tokens, lo: usize, e: usize) -> usize {
    if e <= lo || !TIME_WORDS.contains(&tokens.lower(e - 1)) {
        return e;
    }
    let mut s = e - 1;
    while s > lo && e - s < 5 {
        let w = tokens.lower(s - 1);
        if matches!(
            w,
            "on" | "last" | "this" | "earlier" | "late" | "early" | "at" | "the" | "in" | "next"
        ) || TIME_WORDS.contains(&w)
        {
            s -= 1;
        } else {
            break;
        }
    }
    // A bare weekday ("Clinton Tuesday said") or a phrase with its preposition.
    if s < e - 1 || tokens.toks[e - 1].cap {
        s
    } else {
        e
    }
}

/// The subject of a cue starting at `c0`: `(whole source phrase, head, apposition)`.
/// Walks left over a time adverbial ("on Tuesday"), a parenthesis ("(D-Ga.)") and up to
/// three comma-separated segments: appositions ("Marley Anderson, 21, a junior from Las
/// Vegas, said") belong to the source phrase, asides ("Dmitriev, in turn, suggested") do
/// not.
fn subject_with_apposition(
    tokens: &Tokens,
    lx: &Lexicon,
    lo: usize,
    c0: usize,
    sentence_start: usize,
) -> Option<(Np, Np, Option<Np>)> {
    let mut e = skip_time_adverbial(tokens, lo, c0);
    let mut whole_end = e;
    if e > lo
        && tokens.lower(e - 1) == ")"
        && let Some(p) = (e.saturating_sub(8).max(lo)..e - 1)
            .rev()
            .find(|&k| tokens.lower(k) == "(")
    {
        e = p;
    }
    if e <= lo {
        return None;
    }
    if tokens.lower(e - 1) != "," {
        let np = np_left(tokens, lx, lo, e, sentence_start)?;
        if whole_end > e && tokens.lower(whole_end - 1) != ")" {
            whole_end = e;
        }
        return Some((
            Np {
                t0: np.t0,
                t1: whole_end.max(np.t1),
            },
            np,
            None,
        ));
    }
    // Commas back from the cue, nearest first.
    let mut commas = vec![e - 1];
    let mut k = e - 1;
    while commas.len() < 5 {
        // Commas inside a quoted title ("the co-author of “Going Viral,”") do not count; an
        // opening quotation before the subject ends the search.
        match (k.saturating_sub(17).max(lo)..k).rev().find(|&x| {
            tokens.lower(x) == "," && !tokens.toks[x].quoted
                || tokens.toks[x].kind == TokKind::QuoteOpen
                    && x + 1 < k
                    && !tokens.toks[x + 1].quoted
        }) {
            Some(p) if tokens.lower(p) == "," => {
                commas.push(p);
                k = p;
            }
            _ => break,
        }
    }
    // The farthest comma whose left side is a source phrase and whose segments up to the
    // cue are all appositions or asides.
    for h in (1..commas.len()).rev() {
        let Some(head) = np_left_paren(tokens, lx, lo, commas[h], sentence_start) else {
            continue;
        };
        let mut appos_end = None;
        let mut ok = true;
        for j in (0..h).rev() {
            match segment_kind(tokens, lx, commas[j + 1] + 1, commas[j]) {
                Some(Segment::Apposition) if appos_end.is_some() || j + 1 == h => {
                    appos_end = Some(commas[j])
                }
                Some(_) => {}
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        // Annotators take the apposition's closing comma into the source phrase.
        return Some(match appos_end {
            Some(a) => (
                Np {
                    t0: head.t0,
                    t1: a + 1,
                },
                head,
                Some(Np {
                    t0: commas[h] + 1,
                    t1: a,
                }),
            ),
            None => (head, head, None),
        });
    }
    None
}

/// A recipient right after a verb: "told Ushakov", "told reporters", "told a crowd in
/// Miami", "assured him". It runs to the first word that starts the content or an
/// adverbial: "that", a quotation, a preposition, a time word ("told CNBC Saturday").
fn recipient_np(
    tokens: &Tokens,
    lx: &Lexicon,
    i: usize,
    hi: usize,
    sentence_start: usize,
) -> Option<Np> {
    if i >= hi || tokens.toks[i].kind != TokKind::Word || tokens.toks[i].quoted {
        return None;
    }
    let w = tokens.lower(i);
    // "her superiors" is a phrase; "told her that" a pronoun.
    let possessive_det = matches!(w, "her" | "his" | "their" | "its" | "our" | "my")
        && plain_modifier(lx, tokens.lower(i + 1))
        && !tokens.toks.get(i + 1).is_some_and(|t| t.quoted);
    if OBJECT_PRONOUNS.contains(&w) && !possessive_det {
        return Some(Np { t0: i, t1: i + 1 });
    }
    if COMPLEMENT_STARTERS.contains(&w)
        || PREPOSITIONS.contains(&w) && !is_determiner(w)
        || TIME_WORDS.contains(&w)
    {
        return None;
    }
    let starts_np = is_name_token(tokens, i, sentence_start)
        || is_determiner(w)
        || tokens.toks[i].possessive
        || lx.title_words.contains(w)
        || plain_modifier(lx, w);
    if !starts_np {
        return None;
    }
    let mut e = i;
    while e < hi && tokens.toks[e].kind == TokKind::Word && !tokens.toks[e].quoted && e - i < 8 {
        let w = tokens.lower(e);
        if e > i
            && (COMPLEMENT_STARTERS.contains(&w)
                || PREPOSITIONS.contains(&w) && w != "of"
                || TIME_WORDS.contains(&w)
                || SUBJECT_PRONOUNS.contains(&w)
                || lx.verbs.get(w).is_some_and(|v| !v.participle))
        {
            break;
        }
        // A new clause after the recipient ("told Ushakov Russia wanted ...") starts with a
        // name or determiner right after a complete noun phrase.
        if e > i + 1 && (is_determiner(w) && !is_determiner(tokens.lower(e - 1))) {
            break;
        }
        e += 1;
    }
    while e > i && matches!(tokens.lower(e - 1), "of" | "the" | "a" | "an") {
        e -= 1;
    }
    (e > i).then_some(Np { t0: i, t1: e })
}

/// A reporting verb (or cue phrase) at `i` with its subject and content.
fn verb_frame(
    tokens: &Tokens,
    lx: &Lexicon,
    s: &Sentence,
    lo: usize,
    hi: usize,
    i: usize,
    title_case: bool,
) -> Option<Frame> {
    let sentence_start = s.t0;
    let (mut c1, lemma, flags, gerund, participle) =
        if let Some((n, _)) = lx.cue_phrases.match_at(tokens, i, hi) {
            let first = tokens.lower(i);
            if matches!(first, "in" | "on" | "according" | "as" | "told") {
                // Prepositional cue phrases extend a verb ("said in a statement"); "told ..." is a verb.
                if first != "told" {
                    return None;
                }
            }
            let v = lx.verb(tokens, i);
            let flags = v.map(|v| v.flags).unwrap_or(VerbFlags {
                speech: true,
                ..Default::default()
            });
            let phrase = (i..i + n)
                .map(|k| tokens.lower(k))
                .collect::<Vec<_>>()
                .join(" ");
            (
                i + n,
                phrase,
                VerbFlags {
                    weak: false,
                    ..flags
                },
                tokens.lower(i).ends_with("ing"),
                false,
            )
        } else {
            let v = lx.verb(tokens, i)?;
            (
                i + 1,
                tokens.lower(i).to_string(),
                v.flags,
                v.gerund,
                v.participle,
            )
        };
    let lemma = lemma.as_str();
    // A gerund is a cue after a comma or a conjunction ("..., saying that"), or between a
    // noun and a clause ("911 calls saying shots were fired"); "a creative writing
    // professor" is no attribution.
    if gerund && i > lo {
        let prev = tokens.lower(i - 1);
        let after = tokens.lower(c1);
        let joined = matches!(
            prev,
            "," | "and"
                | "is"
                | "are"
                | "was"
                | "were"
                | "been"
                | "be"
                | "keeps"
                | "kept"
                | "started"
                | "began"
                | "while"
                | "after"
                | "before"
                | "when"
                | "by"
                | "in"
                | "without"
                | "—"
                | "–"
        );
        let clause_after = matches!(after, "that" | "," | ":")
            || tokens
                .toks
                .get(c1)
                .is_some_and(|t| t.kind == TokKind::QuoteOpen);
        if !joined && !clause_after {
            return None;
        }
    }
    // A capitalised verb form mid-sentence is a name ("Said", "Will"), not a cue.
    if tokens.toks[i].cap && i != sentence_start && !title_case {
        return None;
    }
    // Passive or adjectival uses: "the facts reported by", "to say", "was told".
    let prev = if i > lo { tokens.lower(i - 1) } else { "" };
    if tokens.lower(c1) == "by" && participle {
        return None;
    }
    if prev == "to" && !flags.speech {
        return None;
    }
    if matches!(
        prev,
        "was" | "were" | "been" | "be" | "being" | "is" | "are"
    ) && participle
        && !gerund
    {
        return None;
    }
    // "a group called the We The People Foundation", "an event was held called ...": a
    // participle naming something, not a speaker calling it so.
    if lemma_of(lx, tokens, i) == "call" && participle && i > lo && {
        let p = tokens.lower(i - 1);
        !tokens.toks[i - 1].cap
            && !SUBJECT_PRONOUNS.contains(&p)
            && tokens.toks[i - 1].kind == TokKind::Word
            && !AUXILIARIES.contains(&p)
    } {
        return None;
    }
    // "showed up", "called off": a phrasal verb that reports nothing.
    if matches!(tokens.lower(c1), "up" | "off" | "out" | "down" | "back")
        && c1 == i + 1
        && !flags.speech
    {
        return None;
    }
    // After a determiner or a possessive the word is a noun: "a phone call on", "the plan",
    // "Trump’s claims". (Not after "-al" words: "the official said", "the admiral said".)
    if i > lo
        && (is_determiner(prev) || tokens.toks[i - 1].possessive)
        && tokens.toks[i - 1].kind == TokKind::Word
    {
        return None;
    }
    // Forms that are nouns as often as verbs ("plan", "report", "claims") count as a verb only
    // with a clause, a quotation or "to" after them: "a new US peace plan aimed at" is a noun.
    let noun_like = lx.noun_homographs.contains(tokens.lower(i)) && !participle && !gerund;
    // After a number a noun-verb homograph is the noun: "30 states", "911 calls" (but "six
    // in 10 say" is a verb).
    if i > lo && is_number(tokens, i - 1) && noun_like {
        return None;
    }
    if noun_like {
        let next = tokens.lower(c1);
        let clause = matches!(next, "that" | "to" | ":" | ",")
            || tokens
                .toks
                .get(c1)
                .is_some_and(|t| t.kind == TokKind::QuoteOpen)
            || COMPLEMENT_STARTERS.contains(&next);
        let pronoun_subject = i > lo && SUBJECT_PRONOUNS.contains(&prev);
        if !clause && !pronoun_subject {
            return None;
        }
    }
    // "insist on", "speak about" and the like take no claim.
    if matches!(tokens.lower(c1), "on" | "about" | "of") && !flags.speech {
        return None;
    }
    // The cue extends left over auxiliaries and adverbs ("has also said", "did not say").
    let mut c0 = i;
    let mut negated = false;
    while c0 > lo {
        let p = tokens.lower(c0 - 1);
        if tokens.toks[c0 - 1].kind == TokKind::Word
            && !tokens.toks[c0 - 1].quoted
            && (AUXILIARIES.contains(&p)
                || NEGATIONS.contains(&p)
                || (p.ends_with("ly") && p.len() > 4 && !tokens.toks[c0 - 1].cap))
        {
            negated |= NEGATIONS.contains(&p);
            c0 -= 1;
        } else {
            break;
        }
    }
    // "said in a note provided to The Ledger by his office that ...": the document phrase
    // and its tail run to the "that" of the claim, which is what was said (the phrase read
    // as the claim's opening).
    let document_tail = (tokens.lower(c1) == "in")
        .then(|| that_after_document_phrase(tokens, lx, c1, hi))
        .flatten();
    // Prepositional cue phrases right after the verb belong to the cue: "said in a statement".
    if let Some((n, _)) = lx.cue_phrases.match_at(tokens, c1, hi)
        && matches!(tokens.lower(c1), "in" | "on")
    {
        c1 += n;
    }
    if let Some(that) = document_tail {
        c1 = c1.max(that);
    }

    // The subject: left of the cue, or inverted after it ("said Witkoff").
    let mut needs_subject = false;
    // A gerund after a comma ("..., saying that") has its subject at the clause's start,
    // not in the phrase before the comma ("Fiorina criticised Donald Trump, the front-runner,
    // saying ...").
    let gerund_after_comma = gerund && c0 > lo && tokens.lower(c0 - 1) == ",";
    let mut subject = if gerund_after_comma {
        None
    } else {
        subject_with_apposition(tokens, lx, lo, c0, sentence_start)
    };
    let mut inverted = false;
    // A finite verb after "and"/"but" shares the clause's subject ("X praised A and said B");
    // only speech verbs, so that "and state Sen. Alvarado" stays a name.
    let finite = !gerund && tokens.lower(i) != lemma_of(lx, tokens, i);
    let conj =
        c0 > lo && matches!(tokens.lower(c0 - 1), "and" | "but") && !tokens.toks[c0 - 1].quoted;
    let clause_next = matches!(tokens.lower(c1), "that" | ":")
        || tokens
            .toks
            .get(c1)
            .is_some_and(|t| t.kind == TokKind::QuoteOpen);
    if subject.is_none()
        && c0 > lo
        && (gerund && tokens.lower(c0 - 1) == ","
            || conj && finite && (flags.speech || clause_next))
    {
        // "..., saying that" and "X mentioned A and suggested that B": the clause's subject.
        needs_subject = true;
    }
    if subject.is_none() && !needs_subject {
        // Inverted: `“…,” said X.` or `…, said X.` or at the start after a quote.
        // "Said Dorothy Poynter, who grew up with Ali, “…”": a sentence may open with its cue.
        // Only verbs of saying invert ("…, said X"); "…, has endorsed Sen. Ted Cruz" has its
        // subject on the left, however far.
        let after_quote_or_comma = flags.speech
            && (c0 == lo
                || (tokens.lower(c0 - 1) == ","
                    || tokens.toks[c0 - 1].kind == TokKind::QuoteClose));
        if after_quote_or_comma
            && let Some((np, head, appos)) = np_right(tokens, lx, c1, hi, true, true)
        {
            // An inverted subject is a short noun phrase that ends the clause.
            let first = tokens.lower(np.t0);
            // A relative clause may lengthen it: "said an American official who was
            // briefed on the details". A clause of its own may not: "said she had ...".
            let relative = (np.t0..np.t1).any(|x| matches!(tokens.lower(x), "who" | "which"));
            let clause = (np.t0..np.t1)
                .take_while(|&x| !matches!(tokens.lower(x), "who" | "which"))
                .any(|x| {
                    let w = tokens.lower(x);
                    AUXILIARIES.contains(&w)
                        && !matches!(
                            w,
                            "also"
                                | "then"
                                | "later"
                                | "once"
                                | "first"
                                | "long"
                                | "even"
                                | "just"
                                | "now"
                        )
                        // After a determiner a verb's form is a noun: "said Maria Lopez, a
                        // witness who lives nearby".
                        || lx.verbs.get(w).is_some_and(|v| {
                            !v.participle
                                && !lx.noun_homographs.contains(w)
                                && (x == np.t0
                                    || !crate::extract::entities::is_determiner(
                                        tokens.lower(x - 1),
                                    ))
                        })
                });
            let plausible = head.t1 - head.t0 <= if relative { 30 } else { 12 }
                && !clause
                && !SUBJECT_PRONOUNS.contains(&first)
                && !COMPLEMENT_STARTERS.contains(&first)
                && !PREPOSITIONS.contains(&first)
                && (np.t1 >= hi || matches!(tokens.lower(np.t1), "," | "." | ";" | ":"));
            if plausible {
                subject = Some((np, head, appos));
                inverted = true;
            }
        }
    }
    let (source, source_head, apposition) = match subject {
        Some((np, head, appos)) => (Some(np), Some(head), appos),
        // The clause's own subject, when it opens the sentence: "Trump attacked Clinton,
        // saying ...". Otherwise the frame before it in the sentence lends its source.
        None if needs_subject => match clause_subject(tokens, lx, lo, c0, sentence_start) {
            Some(np) => (Some(np), Some(np), None),
            None => (None, None, None),
        },
        None => return None,
    };
    // A subject of "to", a gerund clause or a relative "that" is not a source.
    if let Some(np) = source {
        let first = tokens.lower(np.t0);
        if matches!(first, "which" | "who") && np.t0 == sentence_start {
            return None;
        }
        // A bare base form agrees only with a plural subject: "officials say", "they say",
        // never "state Rep." or "Trump say".
        let base = tokens.lower(i) == lemma_of(lx, tokens, i) && c0 == i && !inverted;
        if base && !gerund {
            // The head is before a preposition inside the phrase: "Aides to Clinton say".
            let np = (np.t0 + 1..np.t1)
                .find(|&k| {
                    matches!(
                        tokens.lower(k),
                        "to" | "for" | "of" | "at" | "from" | "with"
                    )
                })
                .map_or(np, |p| Np { t0: np.t0, t1: p });
            let head = tokens.lower(np.t1 - 1);
            let plural = matches!(head, "i" | "we" | "you" | "they" | "who" | "which" | "that")
                || plural_noun(tokens, np)
                || QUANTIFIER_HEADS.contains(&head)
                || is_number(tokens, np.t1 - 1)
                || (np.t0..np.t1).any(|k| tokens.lower(k) == "and");
            if !plural {
                return None;
            }
        }
    }

    // Content.
    let mut k = if inverted {
        source.map_or(c1, |np| np.t1)
    } else {
        c1
    };
    let mut recipient = None;
    let tell = matches!(lemma, "tell" | "told" | "tells" | "telling");
    if !inverted && (flags.recipient || tell) {
        if let Some(r) = recipient_np(tokens, lx, k, hi, sentence_start) {
            recipient = Some(r);
            k = r.t1;
        } else if tell {
            return None;
        }
    }
    // Skip a prepositional cue phrase or a short adverbial before "that": "told Axios in an
    // interview, ...", "said during the Geneva talks that ...".
    if let Some((n, _)) = lx.cue_phrases.match_at(tokens, k, hi)
        && matches!(tokens.lower(k), "in" | "on")
    {
        k += n;
    }
    // "said during the Geneva talks that", "argued, with the benefit of hindsight, that": an
    // adverbial before "that" is not content.
    let gap_start = if tokens.lower(k) == "," { k + 1 } else { k };
    if let Some(t) = (gap_start..(gap_start + 9).min(hi))
        .find(|&x| tokens.lower(x) == "that" && !tokens.toks[x].quoted)
    {
        let gap_ok = (gap_start..t).all(|x| {
            (tokens.toks[x].kind == TokKind::Word || tokens.lower(x) == ",")
                && !tokens.toks[x].quoted
                && lx
                    .verbs
                    .get(tokens.lower(x))
                    .is_none_or(|v| v.participle && !v.flags.speech)
        });
        let adverbial = PREPOSITIONS.contains(&tokens.lower(gap_start))
            || TIME_WORDS.contains(&tokens.lower(gap_start))
            || tokens.lower(gap_start).ends_with("ly");
        if gap_ok && t > gap_start && adverbial {
            k = t;
        }
    }
    let mut content: Vec<Range> = Vec::new();
    // "“…,” McCain said, citing low growth": a gerund clause after the cue is another frame;
    // for this one the content is on the left.
    let gerund_next = k + 1 < hi
        && tokens.lower(k) == ","
        && (lx.verb(tokens, k + 1).is_some_and(|v| v.gerund)
            || tokens.lower(k + 1).ends_with("ing")
                && lx.cue_phrases.match_at(tokens, k + 1, hi).is_some())
        && !tokens.toks[k + 1].quoted;
    let ends_here = gerund_next || adverbial_tail(tokens, lx, k, hi);
    let before_is_content = c0 > lo && {
        let b = source.map_or(c0, |np| if inverted { c0 } else { np.t0 });
        b > lo && (tokens.lower(b - 1) == "," || tokens.toks[b - 1].kind == TokKind::QuoteClose)
    };
    let left_piece = |b: usize| -> Option<Range> {
        // Content before the cue clause: a quotation right before it, or the clause from
        // the sentence start.
        let mut e = b;
        if e > lo && tokens.lower(e - 1) == "," {
            e -= 1;
        }
        if e > lo && tokens.toks[e - 1].kind == TokKind::QuoteClose {
            // The whole quotation, with its marks.
            let close = e - 1;
            let open = (lo..close)
                .rev()
                .find(|&x| tokens.toks[x].kind == TokKind::QuoteOpen && !tokens.toks[x].quoted)?;
            return Some((open, e));
        }
        trim_range(tokens, lo, e)
    };
    let clause_start = source.map_or(c0, |np| if inverted { c0 } else { np.t0 });
    if (ends_here
        || (k < hi
            && tokens.lower(k) == ","
            && tokens
                .toks
                .get(k + 1)
                .is_some_and(|t| t.kind == TokKind::QuoteOpen)
            && before_is_content))
        && before_is_content
    {
        if let Some(r) = left_piece(clause_start) {
            content.push(r);
        }
        // `“Q1,” X said, “Q2.”`: the quotation after the cue continues the content.
        if !ends_here && let Some(r) = trim_range(tokens, k + 1, hi) {
            content.push(r);
        }
    } else if k < hi {
        let mut a = k;
        if matches!(tokens.lower(a), "," | ":") {
            a += 1;
        }
        // Adverbs before the complement do not decide it: "suggested informally sharing".
        let mut b = a;
        while b < hi
            && tokens.toks[b].kind == TokKind::Word
            && tokens.lower(b).ends_with("ly")
            && tokens.lower(b).len() > 4
        {
            b += 1;
        }
        let starts = if b < hi { tokens.lower(b) } else { "" };
        let opener = a < hi && tokens.toks[a].kind == TokKind::QuoteOpen;
        let weak_ok = opener
            || COMPLEMENT_STARTERS.contains(&starts)
            || tokens.lower(k) == ":"
            || (starts == "to" && a + 1 < hi)
            || (starts.ends_with("ing") && starts.len() > 5)
            || SUBJECT_PRONOUNS.contains(&starts) && !matches!(starts, "who" | "which");
        // A document, poll or video shows its finding as a plain object: "the poll shows
        // Sanders leading"; a person "suggests" or "mentions" only with a clause.
        let documentary =
            source.is_some_and(|np| lx.document_heads.contains(tokens.lower(np.t1 - 1)));
        // A person's weak cue with a plain object ("Trump called the attack an act of war")
        // is still an attribution when the object runs on for a few words.
        let long_object = (k..hi)
            .filter(|&x| tokens.toks[x].kind == TokKind::Word)
            .count()
            >= 4;
        let needs_complement = (flags.weak && !documentary && !long_object)
            || (flags.recipient && recipient.is_some() && !flags.ask)
            || flags.perception;
        if needs_complement && !weak_ok {
            return None;
        }
        // "continued, “…”" is speech; "continues to be" is not.
        if lemma_of(lx, tokens, i) == "continue"
            && !(opener || matches!(tokens.lower(k), "," | ":"))
        {
            return None;
        }
        // A clause introduced by "as" or "if" never continues into a content after a comma.
        // In a subordinate clause that opens the sentence ("While the two aides considered
        // options, Ushakov insisted ..."), the content ends with the clause, at its comma.
        let subordinate = matches!(
            tokens.lower(lo),
            "while"
                | "when"
                | "although"
                | "though"
                | "as"
                | "after"
                | "before"
                | "because"
                | "if"
                | "since"
                | "whereas"
                | "once"
                | "until"
        ) && source.is_some_and(|np| np.t0 <= lo + 3);
        let end = if subordinate && !opener {
            (a..hi)
                .find(|&x| tokens.lower(x) == "," && !tokens.toks[x].quoted)
                .unwrap_or(hi)
        } else {
            hi
        };
        if let Some(r) = trim_range(tokens, a, end) {
            // Content that is only an adverb or a short prepositional phrase is none.
            let words = (r.0..r.1)
                .filter(|&x| tokens.toks[x].kind == TokKind::Word)
                .count();
            let only_adverbial = words <= 2
                && (r.0..r.1).all(|x| {
                    tokens.toks[x].kind != TokKind::Word
                        || tokens.lower(x).ends_with("ly")
                        || PREPOSITIONS.contains(&tokens.lower(x))
                });
            if !only_adverbial {
                content.push(r);
            }
        }
    } else if before_is_content && let Some(r) = left_piece(clause_start) {
        content.push(r);
    }
    // `“…missing.” Trump said.`: a sentence that is only the cue clause points back at the
    // quotation that ends right before it.
    if content.is_empty()
        && ends_here
        && !inverted
        && source.is_some_and(|np| np.t0 == lo)
        && lo > s.p0
        && tokens.toks[lo - 1].kind == TokKind::QuoteClose
        && let Some(open) = (s.p0..lo - 1)
            .rev()
            .find(|&x| tokens.toks[x].kind == TokKind::QuoteOpen && !tokens.toks[x].quoted)
    {
        content.push((open, lo));
    }
    // "Reporter Jomana Karadsheh says:" ending the paragraph: the content is what follows,
    // in the next paragraph. The frame stays open for it.
    let pending = content.is_empty()
        && !inverted
        && source.is_some()
        && k < hi + 1
        && tokens.lower(k) == ":"
        && k + 1 >= s.t1.min(hi + 1);
    if content.is_empty() && !pending {
        return None;
    }
    let cue = (c0, c1);
    Some(Frame {
        kind: FrameKind::Verb,
        cue,
        cue_word: lemma.to_string(),
        flags,
        source,
        source_head,
        apposition,
        recipient,
        content,
        negated,
        needs_subject,
        embedded: false,
        pending,
    })
}

/// A plural head noun ("officials", "Democrats"), not a singular name ending in "s"
/// ("Sanders", "Cruz's").
fn plural_noun(tokens: &Tokens, np: Np) -> bool {
    let h = np.t1 - 1;
    let head = tokens.lower(h);
    let single_name = tokens.toks[h].cap
        && np.t1 - np.t0 == 1
        && !head.ends_with("ans")
        && !head.ends_with("ists");
    head.ends_with('s') && !head.ends_with("ss") && !tokens.toks[h].possessive && !single_name
}

fn lemma_of<'a>(lx: &'a Lexicon, tokens: &Tokens, i: usize) -> &'a str {
    lx.verb(tokens, i).map_or("", |v| v.lemma.as_str())
}

/// The subject of a clause starting at `lo` (the sentence's first noun phrase), for a
/// gerund cue after a comma ("Trump attacked Clinton, saying ...").
pub fn clause_subject(
    tokens: &Tokens,
    lx: &Lexicon,
    lo: usize,
    hi: usize,
    sentence_start: usize,
) -> Option<Np> {
    // Skip a leading adverbial clause or phrase up to its comma: "After the vote, ...",
    // "Speaking on CNN, ...", "Hours later, ...".
    let mut a = lo;
    let first = tokens.lower(a);
    let opener = PREPOSITIONS.contains(&first)
        || CLAUSE_WORDS.contains(&first)
        || (first.ends_with("ing") || first.ends_with("ed")) && first.len() > 4
        || TIME_WORDS.contains(&tokens.lower(a + 1))
        || matches!(
            tokens.lower(a + 1),
            "later" | "earlier" | "ago" | "after" | "before"
        );
    if tokens.toks.get(a).is_some_and(|t| t.kind == TokKind::Word)
        && opener
        && let Some(c) = (a..hi).find(|&k| tokens.lower(k) == ",")
    {
        a = c + 1;
    }
    // The subject ends where the first word that is not part of a noun phrase begins.
    let mut e = a;
    while e < hi && tokens.toks[e].kind == TokKind::Word && e - a < 8 {
        let w = tokens.lower(e);
        let np_word = is_name_token(tokens, e, sentence_start)
            || is_determiner(w)
            || lx.title_words.contains(w)
            || adjective_like(w)
            || tokens.toks[e].possessive
            || SUBJECT_PRONOUNS.contains(&w) && e == a;
        if !np_word {
            break;
        }
        e += 1;
        if SUBJECT_PRONOUNS.contains(&w) {
            break;
        }
    }
    (e > a)
        .then(|| np_left(tokens, lx, a, e, sentence_start))
        .flatten()
}
