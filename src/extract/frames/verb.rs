//! Frames of a reporting verb: "X said (that) C", "C, X said", "“C,” said X", "X told Y C",
//! the passive "C was reported by X", and the subject a gerund cue (", saying") takes.

use super::np::{
    np_left, np_right, recipient_np, subject_with_apposition, that_after_document_phrase,
};
use super::words::{
    AUXILIARIES, CLAUSE_WORDS, COMPLEMENT_STARTERS, NEGATIONS, PREPOSITIONS, QUANTIFIER_HEADS,
    SUBJECT_PRONOUNS, TIME_WORDS, adjective_like, is_number,
};
use super::{Frame, FrameKind, Range, trim_range};
use crate::extract::entities::{Np, is_determiner, is_name_token};
use crate::extract::lexicon::{Lexicon, VerbFlags};
use crate::extract::text::{Sentence, TokKind, Tokens};

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
pub(super) fn passive_frame(
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

/// A reporting verb (or cue phrase) at `i` with its subject and content.
pub(super) fn verb_frame(
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
