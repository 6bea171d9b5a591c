//! The closed word classes the frame patterns test: auxiliaries, negations, pronouns,
//! prepositions, quantifiers, numbers, time words, and the modifiers a source phrase may carry.

use crate::extract::entities::is_determiner;
use crate::extract::lexicon::Lexicon;
use crate::extract::text::Tokens;

crate::extract::word_set!(
    pub(super) AUXILIARIES = [
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
    pub(super) NEGATIONS = [
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
    pub(super) SUBJECT_PRONOUNS = [
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
    pub(super) OBJECT_PRONOUNS = ["him", "her", "them", "me", "us", "it", "you", "reporters"]
);

crate::extract::word_set!(
/// Words after which a following clause is the content of a weak cue.

    pub(super) COMPLEMENT_STARTERS = [
        "that", "whether", "if", "how", "what", "why", "when", "where", "who", "which"
    ]
);

crate::extract::word_set!(
/// Words that start a subordinate or coordinate clause; a source phrase never includes them.

    pub(super) CLAUSE_WORDS = [
        "and", "but", "or", "that", "which", "while", "when", "after", "before", "because", "as",
        "if", "though", "although", "since", "so", "where", "whether", "than", "until", "unless",
        "once"
    ]
);

crate::extract::word_set!(
    pub(super) PREPOSITIONS = [
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

    pub(super) QUANTIFIER_HEADS = [
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

pub(super) fn adjective_like(w: &str) -> bool {
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
pub(super) fn plain_modifier(lx: &Lexicon, w: &str) -> bool {
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

pub(super) fn is_number(tokens: &Tokens, i: usize) -> bool {
    let w = tokens.lower(i);
    if w.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    // "six", "twenty-four": the word, or its part before a hyphen.
    let head = w.split_once('-').map_or(w, |(h, _)| h);
    NUMBER_WORDS.contains(&head)
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
