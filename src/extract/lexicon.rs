//! The lexicons extraction reads: reporting verbs, cue phrases and nouns, hedges, outlets,
//! organisations, titles, anonymous sources, documents and pronouns.
//!
//! They are data files in `src/extract/lexicon/`, each with a header saying where its
//! entries come from, compiled into the binary with `include_str!` and parsed once into
//! lookup tables keyed by lower-cased tokens, so matching never allocates.

use super::text::{TokKind, Tokens, tokenize};
use crate::model::Certainty;
// Lexicon look-ups run for every token: FxHash, not SipHash (no untrusted keys here that
// could be chosen to collide: the keys are the lexicons' own words).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

const REPORTING_VERBS: &str = include_str!("lexicon/reporting_verbs.tsv");
const CUE_PHRASES: &str = include_str!("lexicon/cue_phrases.txt");
const CUE_NOUNS: &str = include_str!("lexicon/cue_nouns.txt");
const HEDGES: &str = include_str!("lexicon/hedges.tsv");
const OUTLETS: &str = include_str!("lexicon/outlets.tsv");
const ORGANIZATIONS: &str = include_str!("lexicon/organizations.tsv");
const ORG_WORDS: &str = include_str!("lexicon/org_words.txt");
const TITLES: &str = include_str!("lexicon/titles.txt");
const ANONYMOUS: &str = include_str!("lexicon/anonymous.tsv");
const DOCUMENTS: &str = include_str!("lexicon/documents.txt");
const PRONOUNS: &str = include_str!("lexicon/pronouns.tsv");
const NOUN_HOMOGRAPHS: &str = include_str!("lexicon/noun_homographs.txt");
const PLACES: &str = include_str!("lexicon/places.txt");
const NO_COMMENT: &str = include_str!("lexicon/no_comment.txt");
const OUTLET_WORDS: &str = include_str!("lexicon/outlet_words.txt");

/// Properties of a reporting verb (see the header of `reporting_verbs.tsv`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerbFlags {
    pub speech: bool,
    pub recipient: bool,
    pub belief: bool,
    pub perception: bool,
    pub deny: bool,
    pub confirm: bool,
    pub ask: bool,
    pub weak: bool,
}

#[derive(Debug, Clone)]
pub struct Verb {
    pub lemma: String,
    pub flags: VerbFlags,
    /// The form is a present participle ("saying"), which behaves differently after a
    /// comma ("..., saying that").
    pub gerund: bool,
    pub participle: bool,
}

/// Whether an anonymous-source phrase names an anonymous or a collective source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnonKind {
    Anonymous,
    Collective,
}

/// Multi-token phrases keyed by their first token; the longest match wins.
#[derive(Debug)]
pub struct PhraseMap<V> {
    by_first: HashMap<String, Vec<(Vec<String>, V)>>,
    /// The last word of every phrase, to rule out a search ending at a word quickly.
    last_words: HashSet<String>,
    /// This map's bit in a marked token's `bits` (0: none; every look-up goes to the table).
    bit: u32,
}

impl<V> Default for PhraseMap<V> {
    fn default() -> Self {
        PhraseMap {
            by_first: HashMap::default(),
            last_words: HashSet::default(),
            bit: 0,
        }
    }
}

/// The bits of `Tokens::bits` that mark a word a cue can start with (a reporting verb or a
/// cue phrase), for the learned layer's distance-to-a-cue features.
pub(crate) const CUE_BITS: u32 = bits::VERB | bits::CUE_PHRASES;

/// Bits of `Tokens::bits`: which lexicon has an entry starting with the token's word.
mod bits {
    pub const DOCUMENTS: u32 = 1;
    pub const OUTLETS: u32 = 1 << 1;
    pub const ANONYMOUS: u32 = 1 << 2;
    pub const ORGANIZATIONS: u32 = 1 << 3;
    pub const PLACES: u32 = 1 << 4;
    pub const CUE_PHRASES: u32 = 1 << 5;
    pub const NO_COMMENT: u32 = 1 << 6;
    pub const HEDGES: u32 = 1 << 7;
    pub const TITLES: u32 = 1 << 8;
    pub const VERB: u32 = 1 << 9;
    /// The word ends an anonymous-source, outlet or organisation phrase.
    pub const ENDS_SOURCE: u32 = 1 << 10;
}

impl<V: Clone> PhraseMap<V> {
    fn insert(&mut self, phrase: &str, value: V) {
        let toks = tokenize(phrase);
        let words: Vec<String> = (0..toks.len()).map(|i| toks.lower(i).to_string()).collect();
        if words.is_empty() {
            return;
        }
        let entry = self.by_first.entry(words[0].clone()).or_default();
        if entry.iter().any(|(w, _)| *w == words[1..]) {
            return;
        }
        entry.push((words[1..].to_vec(), value));
        if let Some(last) = words.last() {
            self.last_words.insert(last.clone());
        }
        entry.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }

    /// The longest phrase starting at token `i` (ending before `limit`): its token count and value.
    pub fn match_at(&self, tokens: &Tokens, i: usize, limit: usize) -> Option<(usize, &V)> {
        if self.bit != 0
            && !tokens.bits.is_empty()
            && tokens.bits.get(i).is_none_or(|b| b & self.bit == 0)
        {
            return None;
        }
        let cands = self.by_first.get(tokens.lower(i))?;
        'cand: for (rest, v) in cands {
            if i + 1 + rest.len() > limit {
                continue;
            }
            for (k, w) in rest.iter().enumerate() {
                if tokens.lower(i + 1 + k) != w {
                    continue 'cand;
                }
            }
            return Some((1 + rest.len(), v));
        }
        None
    }

    /// Whether some phrase ends with this lower-cased word.
    pub fn could_end_with(&self, word: &str) -> bool {
        self.last_words.contains(word)
    }

    /// The longest phrase that is a prefix of `words` (lower-cased): its length and value.
    pub fn match_words(&self, words: &[&str]) -> Option<(usize, &V)> {
        let cands = self.by_first.get(*words.first()?)?;
        cands
            .iter()
            .find(|(rest, _)| {
                words.len() > rest.len() && rest.iter().zip(&words[1..]).all(|(a, b)| a == b)
            })
            .map(|(rest, v)| (rest.len() + 1, v))
    }
}

/// The caption and credit marks of `CAPTION_MARKS`, as one automaton: a paragraph is
/// searched once, in any case, for all of them.
#[derive(Debug)]
pub struct CaptionMarks(aho_corasick::AhoCorasick);

impl Default for CaptionMarks {
    fn default() -> Self {
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(super::CAPTION_MARKS)
            .expect("the caption marks are plain strings");
        CaptionMarks(ac)
    }
}

impl CaptionMarks {
    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// Pronoun classes (see `pronouns.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PronounClass {
    He,
    She,
    It,
    They,
    I,
    We,
    Who,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    pub verbs: HashMap<String, Verb>,
    pub cue_phrases: PhraseMap<()>,
    pub cue_nouns: HashSet<String>,
    pub hedges: PhraseMap<Certainty>,
    /// Outlet names and aliases → canonical name; collective media ("Western media") too.
    pub outlets: PhraseMap<(String, bool)>,
    pub organizations: PhraseMap<String>,
    pub org_words: HashSet<String>,
    /// Titles, lower-cased, single and multi-word.
    pub titles: PhraseMap<()>,
    pub title_words: HashSet<String>,
    pub anonymous: PhraseMap<AnonKind>,
    pub documents: PhraseMap<()>,
    pub document_heads: HashSet<String>,
    pub pronouns: HashMap<String, PronounClass>,
    /// Verb forms that are as often nouns ("plan", "states").
    pub noun_homographs: HashSet<String>,
    /// Countries, cities, regions: as sources they stand for their governments.
    pub places: PhraseMap<String>,
    /// Refusals to comment: no attribution inside them.
    pub no_comment: PhraseMap<()>,
    /// Every word a cue can start with (verb forms, first words of cue phrases and
    /// refusals): one look-up tells the frame finder a token starts nothing.
    cue_starts: HashSet<String>,
    /// Masthead words ("Times", "Gazette"): a name ending in one is an outlet.
    pub outlet_words: HashSet<String>,
    /// Marks of captions, credits and page furniture, matched in one pass, any case.
    pub caption_marks: CaptionMarks,
    /// Word → the `bits` of the lexicons with an entry starting with it.
    word_bits: HashMap<String, u32>,
}

/// The data lines of a lexicon file: trimmed, comments and blank lines dropped.
fn lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

impl Lexicon {
    pub fn load() -> Self {
        let mut lx = Lexicon::default();
        for line in lines(REPORTING_VERBS) {
            let mut cols = line.split('\t');
            let (Some(lemma), Some(forms)) = (cols.next(), cols.next()) else {
                continue;
            };
            let mut flags = VerbFlags::default();
            for f in cols.next().unwrap_or("-").split(',') {
                match f.trim() {
                    "speech" => flags.speech = true,
                    "recipient" => flags.recipient = true,
                    "belief" => flags.belief = true,
                    "perception" => flags.perception = true,
                    "deny" => flags.deny = true,
                    "confirm" => flags.confirm = true,
                    "ask" => flags.ask = true,
                    "weak" => flags.weak = true,
                    _ => {}
                }
            }
            let lemma = lemma.trim().to_string();
            for form in forms.split_whitespace() {
                let form = form.to_lowercase();
                let gerund = form.ends_with("ing") && form != lemma;
                // Past forms and participles: everything but the base, the -s and the -ing form
                // (so irregular ones such as "told" and "found" count too).
                let third = form
                    .strip_suffix("es")
                    .is_some_and(|b| b == lemma || lemma.starts_with(b))
                    || form.strip_suffix('s').is_some_and(|b| b == lemma);
                let participle = form != lemma && !gerund && !third;
                lx.verbs.entry(form).or_insert(Verb {
                    lemma: lemma.clone(),
                    flags,
                    gerund,
                    participle,
                });
            }
        }
        for line in lines(CUE_PHRASES) {
            lx.cue_phrases.insert(line.trim(), ());
        }
        for line in lines(CUE_NOUNS) {
            lx.cue_nouns.insert(line.trim().to_lowercase());
        }
        for line in lines(HEDGES) {
            let mut cols = line.split('\t');
            let (Some(p), Some(c)) = (cols.next(), cols.next()) else {
                continue;
            };
            if let Ok(c) = c.trim().parse::<Certainty>() {
                lx.hedges.insert(p.trim(), c);
            }
        }
        let mut collective = false;
        for line in OUTLETS.lines() {
            if line.trim_start().starts_with('#') {
                if line.to_lowercase().contains("# collective") {
                    collective = true;
                }
                continue;
            }
            let mut cols = line.split('\t');
            let Some(name) = cols.next().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            lx.outlets.insert(name, (name.to_string(), collective));
            for alias in cols
                .next()
                .unwrap_or("")
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                lx.outlets.insert(alias, (name.to_string(), collective));
            }
        }
        for line in lines(ORGANIZATIONS) {
            let mut cols = line.split('\t');
            let Some(name) = cols.next().map(str::trim).filter(|n| !n.is_empty()) else {
                continue;
            };
            lx.organizations.insert(name, name.to_string());
            for alias in cols
                .next()
                .unwrap_or("")
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                lx.organizations.insert(alias, name.to_string());
            }
        }
        for line in lines(ORG_WORDS) {
            lx.org_words.insert(line.trim().to_lowercase());
        }
        for line in lines(TITLES) {
            let t = line.trim();
            lx.titles.insert(t, ());
            // Function words inside multi-word titles ("Secretary of State", "White House
            // Chief of Staff") would make every "of" a title word.
            for w in t.split_whitespace().map(str::to_lowercase) {
                if !matches!(
                    w.as_str(),
                    "of" | "the"
                        | "and"
                        | "for"
                        | "to"
                        | "on"
                        | "in"
                        | "white"
                        | "house"
                        | "a"
                        | "an"
                ) {
                    lx.title_words.insert(w);
                }
            }
        }
        for line in lines(ANONYMOUS) {
            let mut cols = line.split('\t');
            let (Some(p), k) = (cols.next(), cols.next()) else {
                continue;
            };
            let kind = if k.is_some_and(|k| k.trim() == "collective") {
                AnonKind::Collective
            } else {
                AnonKind::Anonymous
            };
            lx.anonymous.insert(p.trim(), kind);
        }
        for line in lines(DOCUMENTS) {
            let d = line.trim();
            lx.documents.insert(d, ());
            if let Some(last) = d.split_whitespace().last() {
                lx.document_heads.insert(last.to_lowercase());
            }
        }
        for line in lines(PRONOUNS) {
            let mut cols = line.split('\t');
            let (Some(w), Some(c)) = (cols.next(), cols.next()) else {
                continue;
            };
            let class = match c.trim() {
                "he" => PronounClass::He,
                "she" => PronounClass::She,
                "it" => PronounClass::It,
                "they" => PronounClass::They,
                "i" => PronounClass::I,
                "we" => PronounClass::We,
                "who" => PronounClass::Who,
                _ => continue,
            };
            lx.pronouns.insert(w.trim().to_lowercase(), class);
        }
        for line in lines(NO_COMMENT) {
            lx.no_comment.insert(line.trim(), ());
        }
        lx.cue_starts = lx.verbs.keys().cloned().collect();
        lx.cue_starts
            .extend(lx.cue_phrases.by_first.keys().cloned());
        lx.cue_starts.extend(lx.no_comment.by_first.keys().cloned());
        for line in lines(PLACES) {
            lx.places.insert(line.trim(), line.trim().to_string());
        }
        for line in lines(OUTLET_WORDS) {
            lx.outlet_words.insert(line.trim().to_lowercase());
        }
        for line in lines(NOUN_HOMOGRAPHS) {
            lx.noun_homographs.insert(line.trim().to_lowercase());
        }
        lx.index_first_words();
        lx
    }

    /// Gives each phrase map its bit and records, per first word, which maps it starts.
    fn index_first_words(&mut self) {
        let mut word_bits: HashMap<String, u32> = HashMap::default();
        let mut add = |words: Vec<&String>, bit: u32| {
            for w in words {
                *word_bits.entry(w.clone()).or_default() |= bit;
            }
        };
        add(self.documents.by_first.keys().collect(), bits::DOCUMENTS);
        add(self.outlets.by_first.keys().collect(), bits::OUTLETS);
        add(self.anonymous.by_first.keys().collect(), bits::ANONYMOUS);
        add(
            self.organizations.by_first.keys().collect(),
            bits::ORGANIZATIONS,
        );
        add(self.places.by_first.keys().collect(), bits::PLACES);
        add(
            self.cue_phrases.by_first.keys().collect(),
            bits::CUE_PHRASES,
        );
        add(self.no_comment.by_first.keys().collect(), bits::NO_COMMENT);
        add(self.hedges.by_first.keys().collect(), bits::HEDGES);
        add(self.titles.by_first.keys().collect(), bits::TITLES);
        add(self.verbs.keys().collect(), bits::VERB);
        add(
            self.anonymous.last_words.iter().collect(),
            bits::ENDS_SOURCE,
        );
        add(self.outlets.last_words.iter().collect(), bits::ENDS_SOURCE);
        add(
            self.organizations.last_words.iter().collect(),
            bits::ENDS_SOURCE,
        );
        self.word_bits = word_bits;
        self.documents.bit = bits::DOCUMENTS;
        self.outlets.bit = bits::OUTLETS;
        self.anonymous.bit = bits::ANONYMOUS;
        self.organizations.bit = bits::ORGANIZATIONS;
        self.places.bit = bits::PLACES;
        self.cue_phrases.bit = bits::CUE_PHRASES;
        self.no_comment.bit = bits::NO_COMMENT;
        self.hedges.bit = bits::HEDGES;
        self.titles.bit = bits::TITLES;
    }

    /// Whether a cue (a verb, a cue phrase, a refusal) can start with this word.
    pub fn starts_cue(&self, word: &str) -> bool {
        self.cue_starts.contains(word)
    }

    /// Whether an anonymous-source, outlet or organisation phrase can end at token `i`.
    pub fn ends_source_at(&self, tokens: &Tokens, i: usize) -> bool {
        match tokens.bits.get(i) {
            Some(b) => b & bits::ENDS_SOURCE != 0,
            None => {
                let w = tokens.lower(i);
                self.anonymous.could_end_with(w)
                    || self.outlets.could_end_with(w)
                    || self.organizations.could_end_with(w)
            }
        }
    }

    /// Whether a cue can start at token `i` (of marked tokens).
    pub fn starts_cue_at(&self, tokens: &Tokens, i: usize) -> bool {
        match tokens.bits.get(i) {
            Some(b) => b & (bits::VERB | bits::CUE_PHRASES | bits::NO_COMMENT) != 0,
            None => self.starts_cue(tokens.lower(i)),
        }
    }

    /// Marks every token with the lexicons that have an entry starting with its word: one
    /// hash look-up per token, after which most look-ups are a bit test.
    pub fn mark(&self, tokens: &mut Tokens) {
        let marks: Vec<u32> = (0..tokens.len())
            .map(|i| {
                // Punctuation starts no lexicon entry; skip the look-up.
                if tokens.toks[i].kind == TokKind::Word {
                    self.word_bits.get(tokens.lower(i)).copied().unwrap_or(0)
                } else {
                    0
                }
            })
            .collect();
        tokens.bits = marks;
    }

    pub fn verb(&self, tokens: &Tokens, i: usize) -> Option<&Verb> {
        if tokens.bits.get(i).is_some_and(|b| b & bits::VERB == 0) {
            return None;
        }
        if tokens.toks.get(i)?.kind != TokKind::Word {
            return None;
        }
        self.verbs.get(tokens.lower(i))
    }
}
