//! Noun phrases of sources and recipients: the phrase left or right of a cue, its head, an
//! apposition after it, and the recipient of "told".

use super::words::{
    AUXILIARIES, CLAUSE_WORDS, COMPLEMENT_STARTERS, OBJECT_PRONOUNS, PREPOSITIONS,
    QUANTIFIER_HEADS, SUBJECT_PRONOUNS, TIME_WORDS, adjective_like, is_number, plain_modifier,
};
use crate::extract::entities::{Np, is_determiner, is_name_token};
use crate::extract::lexicon::Lexicon;
use crate::extract::text::{TokKind, Tokens};

/// A noun phrase to the right of `i`, ending at a comma or the end (an according-to source,
/// an inverted subject): `(whole, head, apposition)`.
pub(super) fn np_right(
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
pub(super) fn that_after_document_phrase(
    tokens: &Tokens,
    lx: &Lexicon,
    p: usize,
    hi: usize,
) -> Option<usize> {
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
pub(super) fn subject_with_apposition(
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
pub(super) fn recipient_np(
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
