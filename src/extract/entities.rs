//! Sources inside one article: finding the names, resolving every mention (a surname, a
//! first name, a spelling variant, a title, a pronoun, a description such as "the Trump
//! special envoy") to one entity, and naming each entity canonically.

use super::lexicon::{AnonKind, Lexicon, PronounClass};
use super::text::{SENTENCE_STARTERS, TokKind, Tokens};
use crate::model::SourceKind;

pub type EntityId = usize;

#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    pub kind: SourceKind,
    /// Lower-cased tokens of the canonical name.
    name_tokens: Vec<String>,
    pub aliases: Vec<String>,
    /// Titles and descriptions seen with the entity ("Putin's aide").
    pub roles: Vec<String>,
    /// Lower-cased words of the roles, possessives stripped, for matching descriptions.
    role_words: Vec<String>,
    /// Token index of the latest mention, for recency.
    pub last_mention: usize,
    /// The entity is a plural or collective source ("officials", "Western media").
    pub plural: bool,
}

/// Every entity of one article, in order of first mention.
#[derive(Debug, Default)]
pub struct Entities {
    pub list: Vec<Entity>,
    /// Every resolved mention as (token index, entity), sorted by position.
    mentions: Vec<(usize, EntityId)>,
    /// Each entity's mention positions, sorted: "when was X last mentioned before here"
    /// is a binary search, not a scan of every mention.
    positions: Vec<Vec<usize>>,
    /// Person names as written → the entity they resolved to.
    resolved: rustc_hash::FxHashMap<String, EntityId>,
    /// Look-ups that would otherwise compare a name with every entity, which made an
    /// article naming ever new people quadratic. Each bucket lists ids in ascending order,
    /// the order a scan of `list` meets them in, so that every answer is the scan's.
    index: Index,
}

type Buckets = rustc_hash::FxHashMap<String, Vec<EntityId>>;

#[derive(Debug, Default)]
struct Index {
    /// (kind, ASCII-lower-cased name) → the entities of that name.
    by_name: rustc_hash::FxHashMap<(SourceKind, String), Vec<EntityId>>,
    /// [`variant_key`] of a person's last name token → the people.
    by_last: Buckets,
    /// First name token → the people named with more than one token.
    by_first: Buckets,
    /// A role word → the entities whose roles hold it.
    by_role: Buckets,
}

/// Adds `id` to its bucket, keeping the bucket in ascending order.
fn add_to(bucket: &mut Vec<EntityId>, id: EntityId) {
    if let Err(at) = bucket.binary_search(&id) {
        bucket.insert(at, id);
    }
}

fn remove_from(bucket: Option<&mut Vec<EntityId>>, id: EntityId) {
    if let Some(bucket) = bucket
        && let Ok(at) = bucket.binary_search(&id)
    {
        bucket.remove(at);
    }
}

/// What two words share whenever [`variant`] holds for them: the word itself when it is
/// shorter than 6 chars (only equal words are variants then), else its first 5 chars
/// (variants longer than that share at least 5 leading chars).
fn variant_key(w: &str) -> &str {
    match w.char_indices().nth(5) {
        Some((sixth, _)) => &w[..sixth],
        None => w,
    }
}

/// A noun phrase found as a source or recipient: its token range and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Np {
    pub t0: usize,
    pub t1: usize,
}

crate::extract::word_set!(
    pub(crate) MONTHS_DAYS = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "jan.",
        "feb.",
        "aug.",
        "sept.",
        "oct.",
        "nov.",
        "dec."
    ]
);

crate::extract::word_set!(
    NAME_PARTICLES = [
        "de", "van", "von", "der", "bin", "al", "da", "di", "le", "la", "du", "ibn", "mc"
    ]
);

crate::extract::word_set!(
/// Words that may precede a head noun inside a description ("the former top aide").

    DETERMINERS = [
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our",
        "my", "your", "another", "one", "two", "three", "four", "five", "several", "some", "many",
        "most", "few", "both", "other", "each", "every", "no", "any", "all"
    ]
);

pub fn is_determiner(w: &str) -> bool {
    DETERMINERS.contains(&w)
}

fn strip_possessive(w: &str) -> &str {
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    w.trim_end_matches(['’', '\''])
}

/// Levenshtein distance, for spelling variants of one name (Zelenskiy / Zelenskyy).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
thread_local! {
    /// How many pairs of names [`variant`] compared: the work of resolving names, which
    /// the tests check grows linearly with an article of ever new names.
    pub(super) static VARIANT_CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn variant(a: &str, b: &str) -> bool {
    #[cfg(test)]
    VARIANT_CALLS.with(|n| n.set(n.get() + 1));
    if a == b {
        return true;
    }
    // Quick refusals on bytes first: the common case is two different names. (Five equal
    // leading chars imply four equal leading bytes; one char more or less is at most four
    // bytes, two substitutions at most six.)
    if a.len() < 6
        || b.len() < 6
        || a.len().abs_diff(b.len()) > 10
        || a.as_bytes()[..4] != b.as_bytes()[..4]
    {
        return false;
    }
    let (ca, cb) = (a.chars().count(), b.chars().count());
    if ca < 6 || cb < 6 || ca.abs_diff(cb) > 1 {
        return false;
    }
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    prefix >= 5 && edit_distance(a, b) <= 2
}

impl Entities {
    pub fn get(&self, id: EntityId) -> &Entity {
        &self.list[id]
    }

    fn find_by_name(&self, name: &str, kind: SourceKind) -> Option<EntityId> {
        let bucket = self.index.by_name.get(&(kind, name.to_ascii_lowercase()))?;
        bucket.first().copied()
    }

    /// Enters entity `id`'s name (and, for a person, its name tokens) in the index.
    fn index_name(&mut self, id: EntityId) {
        let e = &self.list[id];
        let key = (e.kind, e.name.to_ascii_lowercase());
        add_to(self.index.by_name.entry(key).or_default(), id);
        if e.kind != SourceKind::Person {
            return;
        }
        if let Some(last) = e.name_tokens.last() {
            let bucket = self.index.by_last.entry(variant_key(last).to_string());
            add_to(bucket.or_default(), id);
        }
        if e.name_tokens.len() > 1 {
            let bucket = self.index.by_first.entry(e.name_tokens[0].clone());
            add_to(bucket.or_default(), id);
        }
    }

    /// Takes entity `id`'s name out of the index, before it is renamed.
    fn unindex_name(&mut self, id: EntityId) {
        let e = &self.list[id];
        let key = (e.kind, e.name.to_ascii_lowercase());
        remove_from(self.index.by_name.get_mut(&key), id);
        if e.kind != SourceKind::Person {
            return;
        }
        if let Some(last) = e.name_tokens.last() {
            remove_from(self.index.by_last.get_mut(variant_key(last)), id);
        }
        if e.name_tokens.len() > 1 {
            remove_from(self.index.by_first.get_mut(&e.name_tokens[0]), id);
        }
    }

    /// The people whose last name token may be a variant of `word`, in ascending order.
    fn by_last(&self, word: &str) -> &[EntityId] {
        self.index
            .by_last
            .get(variant_key(word))
            .map_or(&[], Vec::as_slice)
    }

    /// Adds an entity, or returns the one of that name and kind.
    pub fn intern(&mut self, name: &str, kind: SourceKind, at: usize) -> EntityId {
        if let Some(id) = self.find_by_name(name, kind) {
            self.list[id].last_mention = self.list[id].last_mention.max(at);
            return id;
        }
        let name_tokens = name
            .split_whitespace()
            .map(|w| strip_possessive(&w.to_lowercase()).to_string())
            .collect();
        self.list.push(Entity {
            name: name.to_string(),
            kind,
            name_tokens,
            aliases: Vec::new(),
            roles: Vec::new(),
            role_words: Vec::new(),
            last_mention: at,
            plural: false,
        });
        let id = self.list.len() - 1;
        self.index_name(id);
        id
    }

    pub fn add_alias(&mut self, id: EntityId, alias: &str) {
        let e = &mut self.list[id];
        if !e.name.eq_ignore_ascii_case(alias)
            && !e.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias))
        {
            e.aliases.push(alias.to_string());
        }
    }

    pub fn add_role(&mut self, id: EntityId, role: &str) {
        let role = role.trim().trim_matches(',').trim();
        if role.is_empty() {
            return;
        }
        let e = &mut self.list[id];
        if !e.roles.iter().any(|r| r.eq_ignore_ascii_case(role)) {
            e.roles.push(role.to_string());
            for w in role.split_whitespace() {
                let w = strip_possessive(&w.to_lowercase()).to_string();
                if !is_determiner(&w) && !e.role_words.contains(&w) {
                    add_to(self.index.by_role.entry(w.clone()).or_default(), id);
                    e.role_words.push(w);
                }
            }
        }
    }

    pub fn touch(&mut self, id: EntityId, at: usize) {
        let e = &mut self.list[id];
        e.last_mention = e.last_mention.max(at);
    }

    /// Resolves a person's name as written (full or partial) to an entity: an exact name, a
    /// surname or first name of a known person, or a spelling variant of one.
    pub fn resolve_person_name(&mut self, name: &str, at: usize) -> EntityId {
        // The same spelling resolves the same way all through an article (a fuller name
        // later renames the entity, it does not change which one it is).
        if let Some(&id) = self.resolved.get(name) {
            self.touch(id, at);
            return id;
        }
        let id = self.resolve_person_name_uncached(name, at);
        self.resolved.insert(name.to_string(), id);
        id
    }

    /// Whether a lower-cased word is the surname (or a spelling of it) of a known person.
    pub fn is_surname(&self, word: &str) -> bool {
        self.by_last(word).iter().any(|&id| {
            let e = &self.list[id];
            e.kind == SourceKind::Person && e.name_tokens.last().is_some_and(|l| variant(l, word))
        })
    }

    /// The person a name as written has resolved to already, if it has.
    pub fn resolved_person(&self, name: &str) -> Option<EntityId> {
        self.resolved.get(name).copied()
    }

    fn resolve_person_name_uncached(&mut self, name: &str, at: usize) -> EntityId {
        let toks: Vec<String> = name
            .split_whitespace()
            .map(|w| strip_possessive(&w.to_lowercase()).to_string())
            .collect();
        if let Some(id) = self.find_by_name(name, SourceKind::Person) {
            self.touch(id, at);
            return id;
        }
        // A longer name that contains this one ("Ushakov" in "Yuri Ushakov"), or a variant.
        let matches = |e: &Entity| -> bool {
            if e.kind != SourceKind::Person || e.name_tokens.is_empty() {
                return false;
            }
            if toks.len() == 1 {
                let t = &toks[0];
                let last = e.name_tokens.last().map(String::as_str).unwrap_or("");
                let first = e.name_tokens.first().map(String::as_str).unwrap_or("");
                variant(last, t) || (e.name_tokens.len() > 1 && first == t)
            } else if toks.len() < e.name_tokens.len() {
                e.name_tokens.ends_with(&toks)
                    || variant(e.name_tokens.last().unwrap(), toks.last().unwrap())
                        && e.name_tokens[0] == toks[0]
            } else if toks.len() == e.name_tokens.len() {
                toks.iter().zip(&e.name_tokens).all(|(a, b)| variant(a, b))
            } else {
                false
            }
        };
        // Every entity `matches` can accept shares its last name token's key with this
        // name's last token, or (a one-word name) has it as its first name.
        let cands: Vec<EntityId> = match toks.last() {
            Some(last) => {
                let mut near = self.by_last(last).to_vec();
                if toks.len() == 1
                    && let Some(firsts) = self.index.by_first.get(last)
                {
                    near.extend(firsts);
                    near.sort_unstable();
                    near.dedup();
                }
                near.retain(|&i| matches(&self.list[i]));
                near
            }
            // No words at all: `matches` accepts every person; scan them.
            None => (0..self.list.len())
                .filter(|&i| matches(&self.list[i]))
                .collect(),
        };
        if let Some(&id) = cands
            .iter()
            .max_by_key(|&&i| (self.last_before(i, at), self.list[i].last_mention))
        {
            if !self.list[id].name.eq_ignore_ascii_case(name) {
                self.add_alias(id, name);
            }
            self.touch(id, at);
            return id;
        }
        // A full name that extends a known shorter one ("Donald Trump" after "Trump"):
        // the entity takes the fuller name.
        if toks.len() > 1 {
            let last = toks.last().unwrap();
            if let Some(id) = self.by_last(last).iter().copied().find(|&id| {
                let e = &self.list[id];
                e.kind == SourceKind::Person
                    && e.name_tokens.len() == 1
                    && variant(&e.name_tokens[0], last)
            }) {
                self.unindex_name(id);
                let old = std::mem::replace(&mut self.list[id].name, name.to_string());
                self.list[id].name_tokens = toks;
                self.index_name(id);
                self.add_alias(id, &old);
                self.touch(id, at);
                return id;
            }
        }
        self.intern(name, SourceKind::Person, at)
    }

    /// Records that the entity is mentioned at token `pos`.
    pub fn mention(&mut self, pos: usize, id: EntityId) {
        let at = self.mentions.partition_point(|&(p, _)| p < pos);
        if self.mentions[at..]
            .iter()
            .take_while(|&&(p, _)| p == pos)
            .any(|&(_, e)| e == id)
        {
            return;
        }
        self.mentions.insert(at, (pos, id));
        if self.positions.len() <= id {
            self.positions.resize_with(id + 1, Vec::new);
        }
        let own = &mut self.positions[id];
        let k = own.partition_point(|&p| p < pos);
        own.insert(k, pos);
        self.touch(id, pos);
    }

    /// The mentions inside tokens `a..b`, in order.
    pub fn mentions_in(&self, a: usize, b: usize) -> Vec<(usize, EntityId)> {
        let s = self.mentions.partition_point(|&(p, _)| p < a);
        self.mentions[s..]
            .iter()
            .take_while(|&&(p, _)| p < b)
            .copied()
            .collect()
    }

    /// The entity satisfying `ok` whose latest mention before token `before` is the latest.
    pub fn most_recent(&self, before: usize, ok: impl Fn(&Entity) -> bool) -> Option<EntityId> {
        let end = self.mentions.partition_point(|&(p, _)| p < before);
        self.mentions[..end]
            .iter()
            .rev()
            .map(|&(_, id)| id)
            .find(|&id| ok(&self.list[id]))
    }

    /// Whether the article mentions the entity by name at least once.
    pub fn is_mentioned(&self, id: EntityId) -> bool {
        self.positions.get(id).is_some_and(|p| !p.is_empty())
    }

    /// Token index of the entity's latest mention before `before`, if any.
    fn last_before(&self, id: EntityId, before: usize) -> Option<usize> {
        let own = self.positions.get(id)?;
        let k = own.partition_point(|&p| p < before);
        k.checked_sub(1).map(|k| own[k])
    }

    /// Resolves a description ("the Trump special envoy", "the minister") to a person: the
    /// one whose recorded roles share the most words with it, else the most recent person
    /// not named inside the description itself.
    pub fn resolve_description(&self, words: &[String], before: usize) -> Option<EntityId> {
        let named_inside = |e: &Entity| e.name_tokens.iter().any(|t| words.contains(t));
        let head = words.last()?;
        let mut best: Option<(usize, usize, EntityId)> = None;
        // Only an entity whose role words hold the head can be chosen.
        let with_head = self.index.by_role.get(head).map_or(&[][..], Vec::as_slice);
        for &i in with_head {
            let e = &self.list[i];
            let Some(last) = self.last_before(i, before) else {
                continue;
            };
            if e.kind != SourceKind::Person || named_inside(e) {
                continue;
            }
            let overlap = words.iter().filter(|w| e.role_words.contains(w)).count();
            if overlap == 0 || !e.role_words.contains(head) {
                continue;
            }
            let key = (overlap, last, i);
            if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                best = Some(key);
            }
        }
        if let Some((_, _, id)) = best {
            return Some(id);
        }
        self.most_recent(before, |e| {
            e.kind == SourceKind::Person && !e.plural && !named_inside(e)
        })
    }
}

/// Whether token `i` looks like part of a proper name: capitalised, not a sentence-initial
/// function word, not a month or weekday.
pub fn is_name_token(tokens: &Tokens, i: usize, sentence_start: usize) -> bool {
    let t = &tokens.toks[i];
    if t.kind != TokKind::Word || !t.cap {
        return false;
    }
    let w = tokens.lower(i);
    // A month or weekday is no name, unless it is one ("Yin Myint May"): a month stands
    // after a name word only as a name.
    if MONTHS_DAYS.contains(&w)
        && !(i > 0
            && tokens.toks[i - 1].cap
            && tokens.toks[i - 1].kind == TokKind::Word
            && !matches!(
                tokens.lower(i - 1),
                "in" | "on"
                    | "since"
                    | "until"
                    | "last"
                    | "next"
                    | "early"
                    | "late"
                    | "mid"
                    | "of"
                    | "by"
            ))
    {
        return false;
    }
    if i == sentence_start
        || i > 0 && tokens.toks[i - 1].kind == TokKind::QuoteOpen && i - 1 == sentence_start
    {
        let bare = strip_possessive(w);
        if SENTENCE_STARTERS.contains(&bare) {
            return false;
        }
        // "Speaking on CNN, ...", "Having lost, ...", "Hours after ...": an opening participle
        // or measure of time, not a name.
        let next = tokens.lower(i + 1);
        let next_function = !tokens.toks.get(i + 1).is_some_and(|t| t.cap)
            && (next.len() <= 4 || next.ends_with("ly"));
        if (bare.ends_with("ing") && bare.len() > 5
            || matches!(
                bare,
                "hours" | "days" | "minutes" | "weeks" | "months" | "years" | "moments"
            ))
            && next_function
        {
            return false;
        }
    }
    // A dateline ("WASHINGTON (AP) —") in capitals opens a paragraph; it names no source.
    if w.len() > 3 && t.shouted && matches!(tokens.lower(i + 1), "(" | "—" | "–" | "-" | ",") {
        return false;
    }
    // "I" is a pronoun, not a name, and so are "I’m", "I'll".
    w != "i" && !w.starts_with("i’") && !w.starts_with("i'")
}

/// What a source noun phrase names, before coreference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NpKind {
    Pronoun(PronounClass),
    Outlet {
        name: String,
        collective: bool,
    },
    Organization(String),
    Anonymous {
        name: String,
        kind: AnonKind,
    },
    /// A document; `via` is the token range of "reviewed by X" inside the phrase.
    Document {
        name: String,
        via: Option<Np>,
    },
    /// A person's name as written, with the title words before it.
    Person {
        name: String,
        role: Option<String>,
    },
    /// An organisation named by capitalised words with an organisation word ("the
    /// Ukrainian Presidential Office").
    OrgName(String),
    /// A description with no name: "the Trump special envoy", "the minister".
    Description(Vec<String>),
    /// Plural common nouns as a source ("officials", "many Democrats").
    Group(String),
    /// Names joined by "and": "Kyiv and Washington".
    Conjunction(String),
}

pub fn np_text<'a>(text: &'a str, tokens: &Tokens, np: Np) -> &'a str {
    &text[tokens.toks[np.t0].start..tokens.toks[np.t1 - 1].end]
}

/// The text of tokens `t0..t1`, leading determiners dropped.
fn bare_text(text: &str, tokens: &Tokens, t0: usize, t1: usize) -> String {
    let mut s = t0;
    while s + 1 < t1 && is_determiner(tokens.lower(s)) {
        s += 1;
    }
    text[tokens.toks[s].start..tokens.toks[t1 - 1].end].to_string()
}

/// Classifies a source noun phrase. `sentence_start` tells sentence-initial capitals apart.
pub fn classify(
    text: &str,
    tokens: &Tokens,
    lx: &Lexicon,
    np: Np,
    sentence_start: usize,
) -> NpKind {
    let (t0, t1) = (np.t0, np.t1);
    if t1 - t0 == 1 {
        // "US" is a country, not "us".
        let shouted = tokens.toks[t0].cap
            && text[tokens.toks[t0].start..tokens.toks[t0].end]
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            && tokens.lower(t0).len() > 1;
        if let Some(&p) = lx.pronouns.get(tokens.lower(t0)).filter(|_| !shouted) {
            return NpKind::Pronoun(p);
        }
    }
    // "Kyiv and Washington", "Trump and Putin": a conjunction of names is one group source.
    if let Some(and) = (t0 + 1..t1.saturating_sub(1)).find(|&k| tokens.lower(k) == "and")
        && is_name_token(tokens, and - 1, sentence_start)
        && is_name_token(tokens, and + 1, sentence_start)
    {
        return NpKind::Conjunction(bare_text(text, tokens, t0, t1));
    }
    // Documents first: "a record reviewed by Bloomberg" names Bloomberg inside it.
    for i in t0..t1 {
        if let Some((n, _)) = lx.documents.match_at(tokens, i, t1) {
            let head_end = i + n;
            let via_kw = (head_end..t1).find(|&k| {
                matches!(
                    tokens.lower(k),
                    "reviewed"
                        | "obtained"
                        | "seen"
                        | "published"
                        | "released"
                        | "issued"
                        | "by"
                        | "from"
                        | "cited"
                        | "compiled"
                )
            });
            // The document must end the phrase, or be followed by "of/from/by/reviewed by ...".
            if head_end == t1
                || via_kw == Some(head_end)
                || matches!(tokens.lower(head_end), "of" | "from" | "by" | "on" | "in")
            {
                let via = (head_end..t1)
                    .find(|&k| tokens.lower(k) == "by" || tokens.lower(k) == "from")
                    .map(|k| Np { t0: k + 1, t1 })
                    .filter(|v| v.t0 < v.t1);
                let name_end = via_kw.filter(|_| via.is_some()).unwrap_or(t1);
                let name = bare_text(text, tokens, t0, name_end.max(head_end));
                let name = name.trim_end_matches(',').to_string();
                // Leading names are the document's author, part of its name ("Kyiv's statement").
                return NpKind::Document { name, via };
            }
        }
    }
    for i in t0..t1 {
        if let Some((n, (name, collective))) = lx.outlets.match_at(tokens, i, t1) {
            // The outlet must be the head: nothing but a possessive apostrophe after it.
            if i + n == t1 {
                return NpKind::Outlet {
                    name: name.clone(),
                    collective: *collective,
                };
            }
        }
    }
    for i in t0..t1 {
        if let Some((n, &kind)) = lx.anonymous.match_at(tokens, i, t1)
            && (i + n == t1 || n >= 2)
        {
            return NpKind::Anonymous {
                name: bare_text(text, tokens, t0, t1),
                kind,
            };
        }
    }
    for i in t0..t1 {
        if let Some((n, name)) = lx.organizations.match_at(tokens, i, t1)
            && i + n == t1
        {
            return NpKind::Organization(name.clone());
        }
    }
    // A place as the whole phrase ("Moscow", "the United States") stands for its government.
    let mut p0 = t0;
    while p0 < t1 && is_determiner(tokens.lower(p0)) {
        p0 += 1;
    }
    if let Some((n, name)) = lx.places.match_at(tokens, p0, t1)
        && p0 + n == t1
    {
        return NpKind::Organization(name.clone());
    }
    // A name: the last run of capitalised non-title tokens.
    let mut e = t1;
    let mut s = t1;
    while s > t0 {
        let k = s - 1;
        let w = tokens.lower(k);
        let is_particle = NAME_PARTICLES.contains(&w) && s < e;
        let is_title = lx.title_words.contains(strip_possessive(w))
            || lx.title_words.contains(w.trim_end_matches('.'));
        // "Putin’s aide Yuri Ushakov": a possessive inside the phrase is a possessor.
        let possessor = tokens.toks[k].possessive && k + 1 < t1;
        let is_name = is_name_token(tokens, k, sentence_start) && !is_title && !possessor;
        if is_name || is_particle {
            s = k;
        } else {
            break;
        }
    }
    while s < e && NAME_PARTICLES.contains(&tokens.lower(s)) {
        s += 1;
    }
    if s < e && tokens.toks[e - 1].possessive {
        // "Trump’s" as a whole phrase is the possessor itself.
        e = t1;
    }
    if s < e {
        let name =
            strip_possessive(&text[tokens.toks[s].start..tokens.toks[e - 1].end]).to_string();
        // "the Port Isla Times", "the Harbour Ledger": a masthead word ends an outlet's name.
        let masthead = e - s >= 2
            && lx
                .outlet_words
                .contains(strip_possessive(tokens.lower(e - 1)));
        if masthead {
            return NpKind::Outlet {
                name: bare_text(text, tokens, s, e)
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string(),
                collective: false,
            };
        }
        let org = (s..e).any(|k| lx.org_words.contains(strip_possessive(tokens.lower(k))));
        if org {
            return NpKind::OrgName(bare_text(text, tokens, t0, t1));
        }
        // "A spokesman for Reiss", "an adviser to Trump": the one who speaks is the
        // description, for or to whom it works is not the source.
        let works_for = s > t0 + 1
            && matches!(tokens.lower(s - 1), "for" | "to")
            && (t0..s - 1).any(|k| lx.title_words.contains(strip_possessive(tokens.lower(k))));
        if !works_for {
            let role =
                (s > t0).then(|| text[tokens.toks[t0].start..tokens.toks[s - 1].end].to_string());
            return NpKind::Person { name, role };
        }
    }
    let words: Vec<String> = (t0..t1)
        .map(|k| strip_possessive(tokens.lower(k)).to_string())
        .filter(|w| !is_determiner(w))
        .collect();
    let head = tokens.lower(t1 - 1);
    // "the ministry", "the campaign": an organisation named by its kind.
    if lx.org_words.contains(strip_possessive(head)) {
        return NpKind::OrgName(bare_text(text, tokens, t0, t1));
    }
    let plural = head.ends_with('s') && !head.ends_with("ss") && !lx.title_words.contains(head);
    if plural {
        return NpKind::Group(bare_text(text, tokens, t0, t1));
    }
    NpKind::Description(words)
}
