//! Claims with nothing to check: a text that is only a time expression ("Sunday",
//! "12:50 p.m."), a pronoun ("it"), punctuation ("___"), or a lone noun phrase of one to
//! three words without a verb ("the charge", "those claims"). The walk stores none of them.

use super::entities::{MONTHS_DAYS, is_determiner};
use super::frames::{Range, TIME_WORDS};
use super::lexicon::Lexicon;
use super::text::{TokKind, Tokens};

crate::extract::word_set!(
    /// Clock and calendar words beside the weekdays and months ("a.m.", "noon", "last").
    CLOCK = [
        "a.m.", "p.m.", "a.m", "p.m", "am", "pm", "noon", "midnight", "last", "next", "this",
        "on", "at", "in", "of", "early", "late", "day", "days", "hours", "minutes", "ago",
        "et", "edt", "est", "gmt", "utc", "tomorrow"
    ]
);

crate::extract::word_set!(
    /// Pronouns that stand for a whole claim elsewhere.
    PRONOUNS = [
        "it", "this", "that", "these", "those", "they", "them", "he", "she", "him", "her",
        "so", "not", "yes", "no", "one", "something", "nothing", "everything", "anything"
    ]
);

crate::extract::word_set!(
    /// Auxiliaries, copulas and modals: any of them makes a short text a clause.
    VERBISH = [
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do",
        "does", "did", "will", "would", "can", "could", "may", "might", "must", "shall",
        "should", "won't", "can't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
        "weren't", "i'm", "it's", "that's", "he's", "she's", "we're", "they're", "go", "get",
        "got", "know", "think", "want", "need", "make", "take", "see", "come", "win", "won",
        "lose", "lost", "run", "ran", "stop", "let", "thank", "love", "hate", "like", "agree"
    ]
);

/// Whether the content made of these token ranges is a claim of nothing.
pub(super) fn is_contentless(t: &Tokens, lx: &Lexicon, content: &[Range]) -> bool {
    let words: Vec<usize> = content
        .iter()
        .flat_map(|&(a, b)| a..b)
        .filter(|&k| t.toks[k].kind == TokKind::Word)
        .collect();
    if words.is_empty() {
        return true;
    }
    let is_number = |k: usize| t.lower(k).chars().all(|c| c.is_ascii_digit() || c == ':');
    let timeish = |k: usize| {
        let w = t.lower(k);
        MONTHS_DAYS.contains(&w) || TIME_WORDS.contains(&w) || CLOCK.contains(&w) || is_number(k)
    };
    if words
        .iter()
        .all(|&k| timeish(k) || is_determiner(t.lower(k)))
    {
        return true;
    }
    if words.len() == 1 && PRONOUNS.contains(&t.lower(words[0])) {
        return true;
    }
    if words.len() <= 3 {
        let verb = words.iter().any(|&k| {
            let w = t.lower(k);
            VERBISH.contains(&w)
                || lx.verb(t, k).is_some()
                || (w.len() > 4 && w.ends_with("ed"))
                || w.ends_with("n't")
                || w.ends_with("’t")
        });
        return !verb;
    }
    false
}
