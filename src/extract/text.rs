//! The text layer of extraction: tokens, paragraphs, quotations and sentence units.
//!
//! Everything here works in byte offsets into the article text (cheap to slice); the
//! conversion to char offsets, the unit of the public contract, happens once at the end
//! through [`CharMap`].

/// Byte offset → char offset. Char offsets are what the public contract speaks; counting
/// them once per 64-byte block keeps the map small and the look-up short.
pub struct CharMap<'a> {
    bytes: &'a [u8],
    /// Chars before each 64-byte block; empty for an ASCII text, where bytes are chars.
    blocks: Vec<u32>,
}

impl<'a> CharMap<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let blocks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut n = 0u32;
            let mut blocks: Vec<u32> = bytes
                .chunks(64)
                .map(|chunk| {
                    let before = n;
                    n += chunk.iter().filter(|&&b| !is_continuation(b)).count() as u32;
                    before
                })
                .collect();
            // The end of a text whose length is a multiple of 64 starts a block of its own.
            blocks.push(n);
            blocks
        };
        CharMap { bytes, blocks }
    }

    /// The char index of a byte offset (at a char boundary, or the text's end).
    pub fn char_at(&self, byte: usize) -> usize {
        let byte = byte.min(self.bytes.len());
        if self.blocks.is_empty() {
            return byte;
        }
        let block = byte / 64;
        let start = block * 64;
        let before = self.blocks.get(block).copied().unwrap_or(0) as usize;
        before
            + self.bytes[start..byte]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }
}

/// A UTF-8 continuation byte (`10xxxxxx`): not the start of a char.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// What a token is, as far as attribution finding cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters or digits, with inner apostrophes, hyphens and abbreviation periods.
    Word,
    /// An opening quotation mark.
    QuoteOpen,
    /// A closing quotation mark.
    QuoteClose,
    /// Any other punctuation, one char.
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Range of the lower-cased form in [`Tokens::lower`].
    lstart: u32,
    lend: u32,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Inside a quotation (between its marks, marks excluded).
    pub quoted: bool,
    /// Ends in a possessive 's / ’s / s’.
    pub possessive: bool,
    /// Written in capitals, two letters or more ("WASHINGTON", "US").
    pub shouted: bool,
}

/// The tokens of a whole article, with a shared buffer of lower-cased forms so lookups in
/// the lexicons never allocate.
pub struct Tokens {
    pub toks: Vec<Token>,
    lower: String,
    /// Per token, which lexicons have an entry starting (or ending) with its word; filled
    /// by `Lexicon::mark` so look-ups can skip the many tokens that start nothing. Empty
    /// when unmarked (the lexicons' own phrases), where every look-up goes to the table.
    pub bits: Vec<u32>,
}

impl Tokens {
    /// The lower-cased form of token `i`; empty past the last token, so that look-ahead at
    /// the end of a text needs no bounds check of its own.
    pub fn lower(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) => &self.lower[t.lstart as usize..t.lend as usize],
            None => "",
        }
    }
    pub fn len(&self) -> usize {
        self.toks.len()
    }
}

crate::extract::word_set!(
/// Abbreviations whose period belongs to the word, not to the sentence.

    ABBREVIATIONS = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
        "sgt", "adm", "rev", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "jan",
        "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "pres", "gov't",
        "dept", "est", "approx", "etc", "al", "ave", "blvd", "reps", "sens", "atty", "supt", "u.s",
        "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "fla", "calif", "mass", "ore", "wash", "ariz",
        "colo", "conn", "del", "ill", "ind", "kan", "ky", "la", "md", "mich", "minn", "miss", "mo",
        "mont", "neb", "nev", "okla", "pa", "penn", "tenn", "tex", "va", "vt", "wis", "wyo"
    ]
);

crate::extract::word_set!(
/// Abbreviations that cannot end a sentence, so a period after them never splits.

    TITLE_ABBREVIATIONS = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
        "sgt", "adm", "rev", "st", "pres", "atty", "supt", "sens", "reps"
    ]
);

fn is_abbreviation(word_lower: &str) -> bool {
    ABBREVIATIONS.contains(&word_lower)
}

pub fn is_title_abbreviation(word_lower: &str) -> bool {
    TITLE_ABBREVIATIONS.contains(&word_lower.trim_end_matches('.'))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining(c)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits the text into tokens. Quote marks are classified here by their shape and their
/// neighbours; pairing them into quotations is [`find_quotes`]'s job.
pub fn tokenize(text: &str) -> Tokens {
    let mut toks = Vec::with_capacity(text.len() / 5);
    let mut lower = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut next_i = 0usize;
    while next_i < bytes.len() {
        let i = next_i;
        // ASCII needs no decoding: most of a news text is ASCII.
        let c = if bytes[i] < 0x80 {
            bytes[i] as char
        } else {
            match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            }
        };
        next_i = i + c.len_utf8();
        // Whitespace, controls, zero-width and direction marks, and the byte-order mark.
        if c.is_whitespace()
            || c.is_control()
            || (0x200B..=0x200F).contains(&(c as u32))
            || c == '\u{feff}'
        {
            continue;
        }
        if is_word_char(c) {
            // A word: letters/digits, inner apostrophes, hyphens, and periods between letters
            // ("U.S.") or after an abbreviation ("Mr.").
            let mut end = i + c.len_utf8();
            loop {
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                let Some(d) = text[end..].chars().next() else {
                    break;
                };
                if is_word_char(d) {
                    end += d.len_utf8();
                    continue;
                }
                if is_apostrophe(d) || d == '-' || d == '.' || d == '‑' {
                    // Joiner only when a word char follows.
                    let after = end + d.len_utf8();
                    let next = text[after..].chars().next();
                    if next.is_some_and(is_word_char)
                        && (d != '.' || single_letter_run(text, i, end))
                    {
                        end = after;
                        continue;
                    }
                }
                break;
            }
            // A trailing period belongs to the word for known abbreviations and initials.
            let word = &text[i..end];
            // The lower-cased form goes straight into the shared buffer: no allocation per word.
            let lstart = lower.len();
            if word.is_ascii() {
                lower.push_str(word);
                lower[lstart..].make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            if bytes.get(end) == Some(&b'.') {
                let wl = &lower[lstart..];
                let initial = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
                if is_abbreviation(wl) || initial || wl.contains('.') {
                    end += 1;
                    lower.push('.');
                }
            }
            let wl = &lower[lstart..];
            // A possessive: "Trump’s", "Trump's", "officials’", "Sanders'". The apostrophe
            // after a final s belongs to the word, not to a quotation.
            let mut possessive = wl.ends_with("’s") || wl.ends_with("'s");
            if !possessive
                && wl.ends_with('s')
                && let Some(next) = text[end..].chars().next().filter(|&c| is_apostrophe(c))
            {
                let after = end + next.len_utf8();
                if !text[after..].chars().next().is_some_and(is_word_char) {
                    possessive = true;
                    lower.push(next);
                    end = after;
                }
            }
            let cap = word.chars().next().is_some_and(char::is_uppercase);
            let shouted = cap
                && word.chars().filter(|c| c.is_alphabetic()).count() > 1
                && word
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
            let lstart = lstart as u32;
            next_i = end;
            toks.push(Token {
                start: i,
                end,
                kind: TokKind::Word,
                lstart,
                lend: lower.len() as u32,
                cap,
                quoted: false,
                possessive,
                shouted,
            });
            continue;
        }
        // Two apostrophes (or backticks) stand for a double quotation mark in some wire
        // and newspaper texts: ''like this''.
        if (c == '\'' || c == '`') && bytes.get(i + 1) == Some(&(c as u8)) {
            next_i = i + 2;
            let kind = if c == '`' {
                TokKind::QuoteOpen
            } else {
                straight_quote_kind(text, i)
            };
            let lstart = lower.len() as u32;
            lower.push('"');
            toks.push(Token {
                start: i,
                end: i + 2,
                kind,
                lstart,
                lend: lower.len() as u32,
                cap: false,
                quoted: false,
                possessive: false,
                shouted: false,
            });
            continue;
        }
        let end = i + c.len_utf8();
        let kind = match c {
            '“' | '«' | '„' => TokKind::QuoteOpen,
            '”' | '»' => TokKind::QuoteClose,
            '"' => straight_quote_kind(text, i),
            '‘' => {
                let prev_ok = text[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|p| !is_word_char(p));
                if prev_ok && text[end..].chars().next().is_some_and(is_word_char) {
                    TokKind::QuoteOpen
                } else {
                    TokKind::Punct
                }
            }
            '’' | '\'' => {
                let next_is_word = text[end..].chars().next().is_some_and(is_word_char);
                let prev_is_word = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| is_word_char(p) || matches!(p, '.' | ',' | '!' | '?'));
                if prev_is_word && !next_is_word {
                    TokKind::QuoteClose
                } else {
                    TokKind::Punct
                }
            }
            _ => TokKind::Punct,
        };
        let lstart = lower.len() as u32;
        lower.push(c);
        toks.push(Token {
            start: i,
            end,
            kind,
            lstart,
            lend: lower.len() as u32,
            cap: false,
            quoted: false,
            possessive: false,
            shouted: false,
        });
    }
    Tokens {
        toks,
        lower,
        bits: Vec::new(),
    }
}

/// Whether the word from `start` up to the period at `dot` looks like a run of initials
/// ("U.S", "D.C"), where inner periods join.
fn single_letter_run(text: &str, start: usize, dot: usize) -> bool {
    let seg = &text[start..dot];
    let last = seg.rsplit('.').next().unwrap_or(seg);
    last.chars().count() <= 2
}

/// A straight `"` opens when it starts a word and closes when it ends one.
fn straight_quote_kind(text: &str, i: usize) -> TokKind {
    let prev = text[..i].chars().next_back();
    let width = if text[i..].starts_with("''") { 2 } else { 1 };
    let next = text[i + width..].chars().next();
    let prev_space =
        prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | ':'));
    let next_space = next
        .is_none_or(|n| n.is_whitespace() || matches!(n, ',' | '.' | ';' | ':' | '?' | '!' | ')'));
    if prev_space && !next_space {
        TokKind::QuoteOpen
    } else if next_space && !prev_space {
        TokKind::QuoteClose
    } else if prev_space {
        TokKind::QuoteOpen
    } else {
        TokKind::QuoteClose
    }
}

/// A paragraph: one line of text (or several joined by single newlines in a text that
/// separates paragraphs with blank lines), as a range of tokens.
#[derive(Debug, Clone, Copy)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    /// Token range.
    pub t0: usize,
    pub t1: usize,
}

/// Splits the text into paragraphs at line breaks. A text whose paragraphs are separated by
/// blank lines, with hard-wrapped lines inside, keeps wrapped lines together.
pub fn paragraphs(text: &str, tokens: &Tokens) -> Vec<Paragraph> {
    let blank_separated = text.contains("\n\n") || text.contains("\r\n\r\n");
    let wrapped = blank_separated && {
        // Hard-wrapped when most single line breaks fall between two words of a sentence.
        let mut single = 0usize;
        let mut total = 0usize;
        for (i, _) in text.match_indices('\n') {
            let prev = text[..i].trim_end_matches('\r').chars().next_back();
            let next = text[i + 1..].chars().next();
            if next == Some('\n') || prev == Some('\n') || prev.is_none() {
                continue;
            }
            total += 1;
            if prev.is_some_and(|p| p.is_alphanumeric() || p == ',')
                && next.is_some_and(|n| n.is_lowercase())
            {
                single += 1;
            }
        }
        total > 3 && single * 2 > total
    };
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut push = |s: usize, e: usize| {
        let seg = &text[s..e];
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if lead + trail < seg.len() {
            out.push(Paragraph {
                start: s + lead,
                end: e - trail,
                t0: 0,
                t1: 0,
            });
        }
    };
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            let is_break = if wrapped {
                // A blank line (only whitespace up to the next newline) ends a paragraph.
                let rest = &text[i + 1..];
                let line_end = rest.find('\n').unwrap_or(rest.len());
                rest[..line_end].trim().is_empty()
            } else {
                true
            };
            if is_break {
                push(start, i);
                start = i + 1;
            }
        }
        i += 1;
    }
    push(start, text.len());
    // Assign token ranges.
    let mut t = 0usize;
    for p in out.iter_mut() {
        while t < tokens.len() && tokens.toks[t].start < p.start {
            t += 1;
        }
        p.t0 = t;
        while t < tokens.len() && tokens.toks[t].start < p.end {
            t += 1;
        }
        p.t1 = t;
    }
    out
}

/// A quotation: the token indices of its marks. `close` is `None` for a quotation that the
/// paragraph leaves open (it runs on into the next paragraph, or is never closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    pub open: usize,
    pub close: Option<usize>,
    pub paragraph: usize,
    /// This paragraph's quotation continues one left open by the previous paragraph.
    pub continues: bool,
}

/// Pairs quote marks into quotations, paragraph by paragraph, and marks quoted tokens.
/// A paragraph that ends inside a quotation, followed by one that opens with a quotation
/// mark, is the news convention for a quotation running on across paragraphs.
pub fn find_quotes(tokens: &mut Tokens, paras: &[Paragraph]) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut carried_open = false;
    for (pi, p) in paras.iter().enumerate() {
        let mut open: Option<usize> = None;
        let mut first_in_para = true;
        for t in p.t0..p.t1 {
            let kind = tokens.toks[t].kind;
            match (kind, open) {
                (TokKind::QuoteOpen, None) => {
                    let continues = first_in_para && carried_open;
                    open = Some(t);
                    quotes.push(Quote {
                        open: t,
                        close: None,
                        paragraph: pi,
                        continues,
                    });
                }
                (TokKind::QuoteOpen, Some(_)) if is_same_mark_straight(tokens, t) => {
                    // A straight quote we guessed as opening, inside an open quote: it closes.
                    tokens.toks[t].kind = TokKind::QuoteClose;
                    open = None;
                    if let Some(q) = quotes.last_mut() {
                        q.close = Some(t);
                    }
                }
                // A single mark (’, ') does not close a double quotation: inside “…” it is
                // an apostrophe or a nested quotation's end.
                (TokKind::QuoteClose, Some(o))
                    if is_single(tokens.lower(t)) && !is_single(tokens.lower(o)) =>
                {
                    tokens.toks[t].kind = TokKind::Punct;
                }
                (TokKind::QuoteClose, Some(_)) => {
                    open = None;
                    if let Some(q) = quotes.last_mut() {
                        q.close = Some(t);
                    }
                }
                (TokKind::QuoteClose, None) if tokens.lower(t) == "’" || tokens.lower(t) == "'" =>
                {
                    // An apostrophe (plural possessive, elision), not a quotation mark.
                    tokens.toks[t].kind = TokKind::Punct;
                }
                _ => {}
            }
            first_in_para = false;
        }
        carried_open = open.is_some();
    }
    // Single quotes (‘ ’) only count when they enclose several words; otherwise they are
    // scare quotes or apostrophes, and their marks go back to plain punctuation.
    quotes.retain(|q| {
        let single = tokens.lower(q.open) == "‘";
        let keep = !single || q.close.is_some_and(|c| c - q.open > 4);
        if !keep {
            tokens.toks[q.open].kind = TokKind::Punct;
            if let Some(c) = q.close {
                tokens.toks[c].kind = TokKind::Punct;
            }
        }
        keep
    });
    for q in &quotes {
        let end = q.close.unwrap_or(paras[q.paragraph].t1);
        for t in q.open + 1..end {
            tokens.toks[t].quoted = true;
        }
    }
    quotes
}

fn is_single(mark: &str) -> bool {
    matches!(mark, "’" | "'" | "‘")
}

fn is_same_mark_straight(tokens: &Tokens, t: usize) -> bool {
    tokens.lower(t) == "\""
}

/// A sentence unit: one sentence, or several when a quotation closed within the paragraph
/// spans them (the cue after the quotation covers all of it).
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    pub t0: usize,
    pub t1: usize,
    pub paragraph: usize,
    /// First token of the paragraph, for content that a cue sentence points back to.
    pub p0: usize,
}

/// The most tokens one sentence unit holds: a longer run (a 64 MiB "sentence" without a
/// period, a quotation that never closes, a chain of a million "citing X") is cut into units
/// of this size. Every claim stores its sentence and the work on a sentence grows faster than
/// its length, so this bound is what keeps extraction time, memory and the store linear in
/// the text. No sentence of the bundled corpus or of PolNeAR comes near it (the longest
/// real news sentences are about 100 words; a quotation unit of several sentences, a few
/// hundred tokens).
pub const MAX_SENTENCE_TOKENS: usize = 400;

/// Splits each paragraph into sentence units. A period, question or exclamation mark
/// (and any closing quotes or brackets after it) ends a sentence when what follows starts
/// like a sentence; never inside a quotation that closes later in the same paragraph.
/// A unit is never longer than [`MAX_SENTENCE_TOKENS`].
pub fn sentences(tokens: &Tokens, paras: &[Paragraph], quotes: &[Quote]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut qi = 0usize;
    for (pi, p) in paras.iter().enumerate() {
        // Token ranges inside this paragraph's quotations that close in the paragraph.
        let mut closed_ranges: Vec<(usize, usize)> = Vec::new();
        while qi < quotes.len() && quotes[qi].paragraph < pi {
            qi += 1;
        }
        let mut k = qi;
        while k < quotes.len() && quotes[k].paragraph == pi {
            if let Some(c) = quotes[k].close {
                closed_ranges.push((quotes[k].open, c));
            }
            k += 1;
        }
        // Inside a quotation that closes later in the paragraph a period does not split,
        // unless it is the quotation's last mark ("… two points.” Reluctantly, he said").
        // Nor inside parentheses that close soon: "(D-S.C.)", "(R-Fla.)".
        let in_parens = |t: usize| {
            let open = (p.t0..t)
                .rev()
                .take(8)
                .find(|&k| matches!(tokens.lower(k), "(" | ")"));
            open.is_some_and(|k| tokens.lower(k) == "(")
                && (t + 1..(t + 6).min(p.t1)).any(|k| tokens.lower(k) == ")")
        };
        let in_closed = |t: usize| {
            closed_ranges.iter().any(|&(o, c)| {
                t > o && t < c && !(t + 1..c).all(|k| tokens.toks[k].kind != TokKind::Word)
            })
        };
        let mut s0 = p.t0;
        let mut t = p.t0;
        while t < p.t1 {
            if t - s0 >= MAX_SENTENCE_TOKENS {
                out.push(Sentence {
                    t0: s0,
                    t1: t,
                    paragraph: pi,
                    p0: p.t0,
                });
                s0 = t;
            }
            let tok = &tokens.toks[t];
            let ender =
                tok.kind == TokKind::Punct && matches!(tokens.lower(t), "." | "!" | "?" | "…");
            let abbrev_end = tok.kind == TokKind::Word
                && tokens.lower(t).ends_with('.')
                && !is_title_abbreviation(tokens.lower(t))
                && tokens.lower(t).len() > 2;
            if (ender || abbrev_end) && !in_closed(t) && !in_parens(t) {
                let mut e = t + 1;
                while e < p.t1
                    && (tokens.toks[e].kind == TokKind::QuoteClose
                        || (tokens.toks[e].kind == TokKind::Punct
                            && matches!(tokens.lower(e), ")" | "]" | "." | "!" | "?")))
                {
                    e += 1;
                }
                let starts_sentence = e >= p.t1 || {
                    let n = &tokens.toks[e];
                    n.cap
                        || n.kind == TokKind::QuoteOpen
                        || tokens.lower(e).starts_with(|c: char| c.is_ascii_digit())
                };
                // After an abbreviation such as "U.S.", only a clearly sentence-initial word splits.
                let split = if abbrev_end && !ender {
                    e < p.t1 && tokens.toks[e].cap && SENTENCE_STARTERS.contains(&tokens.lower(e))
                } else {
                    starts_sentence
                };
                if split {
                    out.push(Sentence {
                        t0: s0,
                        t1: e,
                        paragraph: pi,
                        p0: p.t0,
                    });
                    s0 = e;
                    t = e;
                    continue;
                }
            }
            t += 1;
        }
        if s0 < p.t1 {
            out.push(Sentence {
                t0: s0,
                t1: p.t1,
                paragraph: pi,
                p0: p.t0,
            });
        }
    }
    out
}

crate::extract::word_set!(
/// Words that start sentences and are almost never part of a name, for deciding a split
/// after an abbreviation and for telling names from sentence-initial capitals.
pub SENTENCE_STARTERS = ["the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "or", "so", "yet", "this", "that", "these", "those", "there", "then", "in", "on", "at", "as", "after", "before", "when", "while", "if", "his", "her", "its", "their", "our", "my", "some", "many", "most", "according", "during", "since", "still", "also", "however", "meanwhile", "moreover", "additionally", "specifically", "recently", "yesterday", "today", "later", "earlier", "now", "last", "next", "for", "with", "by", "from", "to", "of", "what", "who", "why", "how", "where", "not", "no", "one", "two", "both", "all", "each", "every", "such", "even", "instead", "indeed", "although", "though", "because", "unlike", "like", "despite", "among", "about", "under", "over", "again", "once", "here", "thus", "therefore", "asked", "is", "was", "are", "were"]);
