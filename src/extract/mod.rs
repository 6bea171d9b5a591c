//! Extraction: text in, claims out. Pure: no database, clock, files or globals.
//!
//! The stages, each in its own module:
//! 1. [`text`]: tokens, paragraphs, quotations and sentence units;
//! 2. [`entities`]: the people, outlets, organisations and documents the article names, and
//!    coreference (surnames, variants, pronouns, descriptions) back to them;
//! 3. [`frames`]: attribution frames in each sentence (cue, source, recipient, content);
//! 4. this module: the article walk that turns frames into claims, carrying attribution
//!    over the sentences and paragraphs a source covers ("scope"), building each claim's
//!    chain from the publisher to the original speaker, and reading its certainty.
//!
//! Every span in the output is a char offset (Unicode scalar values, end exclusive) into
//! the text given, as the JSON contract in DESIGN.md requires.

/// Declares a fixed set of words as a unit struct with a `contains` method, so that a
/// look-up is one `match` (compiled to a decision on length and bytes) rather than a scan
/// of string comparisons. Call sites read as with a slice: `PREPOSITIONS.contains(&w)`.
macro_rules! word_set {
    ($(#[$meta:meta])* $vis:vis $name:ident = [$($word:literal),* $(,)?]) => {
        $(#[$meta])*
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        $vis struct $name;
        impl $name {
            #[inline]
            pub fn contains(&self, w: &&str) -> bool {
                matches!(*w, $($word)|*)
            }
        }
    };
}
pub(crate) use word_set;

mod contentless;
mod entities;
mod frames;
mod layer;
mod lexicon;
mod names;
pub mod tagger;
mod text;

use crate::model::{
    ArticleMeta, Certainty, Claim, ClaimKind, ClaimSpans, Extraction, Link, Role, Source,
    SourceKind, Span,
};
use entities::{Entities, EntityId, Np, NpKind, classify, is_name_token, np_text};
use frames::{Frame, FrameKind, Range, clause_subject, find_frames, np_left};
use lexicon::{Lexicon, PronounClass};
use text::{CharMap, Paragraph, Sentence, TokKind, Tokens};

/// Bumped whenever extraction output can change for the same text, so that `ingest`
/// re-extracts stored articles (keeping every verdict).
pub const VERSION: u32 = 4;

/// What the claims of one sentence unit may store, in bytes of claim text and sentence
/// together: this many times the unit's own length, plus [`CLAIM_BYTES_SLACK`]. A sentence
/// with a few claims, each holding the sentence, stays far below it; "A said X, B said Y, C
/// said Z, ..." a thousand times over in one sentence, each claim's content running to its
/// end, would otherwise store the sentence a thousand times. Claims past the budget are
/// left out, in text order (the first ones are kept). Together with
/// [`text::MAX_SENTENCE_TOKENS`] this keeps what an article's claims store linear in its
/// length.
pub const CLAIM_BYTES_PER_SENTENCE_BYTE: usize = 2;
/// See [`CLAIM_BYTES_PER_SENTENCE_BYTE`]: room for several claims of a short sentence.
pub const CLAIM_BYTES_SLACK: usize = 2048;

/// The extractor with its lexicons parsed and its tagger model read. Build it once and
/// reuse it for every article.
#[derive(Debug)]
pub struct Extractor {
    lx: Lexicon,
    tagger: Option<tagger::Compiled>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// The rules with the model that ships with claimtrail (`models/`, see MODEL.md).
    pub fn new() -> Self {
        let tagger = (!tagger::DEFAULT_MODEL.is_empty()).then(|| {
            tagger::Compiled::from_bytes(std::borrow::Cow::Borrowed(tagger::DEFAULT_MODEL))
                .expect("the shipped tagger model is checked by a test")
        });
        Extractor {
            lx: Lexicon::load(),
            tagger,
        }
    }

    /// The rules alone, without the learned layer (what the tagger is trained over).
    pub fn rules_only() -> Self {
        Extractor {
            lx: Lexicon::load(),
            tagger: None,
        }
    }

    /// The rules with another tagger model.
    pub fn with_model(model: tagger::Compiled) -> Self {
        Extractor {
            lx: Lexicon::load(),
            tagger: Some(model),
        }
    }

    /// Every claim of one article, with spans as char offsets into `text`.
    pub fn extract(&self, text: &str, meta: &ArticleMeta) -> Extraction {
        self.extract_in_segments(text, meta, SEGMENT_BYTES)
    }

    /// One walk over `text` (the whole article or one segment of it): the rules' pass,
    /// then the learned layer over it when there is a model.
    fn walk_part(&self, text: &str, meta: &ArticleMeta, part: Part) -> Extraction {
        let mut walk = Walk::new(&self.lx, text, meta, part);
        walk.walk();
        if let Some(m) = &self.tagger {
            walk.apply_tagger(m);
        }
        walk.finish()
    }

    /// The tagger's training sequences for one annotated article: the rules' analysis of
    /// `text` as features, and the gold tags from the annotated spans (char offsets into
    /// `text`, per role: source, cue, content). `bits` is the model's bucket bits.
    pub fn training_sequences(
        &self,
        text: &str,
        meta: &ArticleMeta,
        gold: [&[(usize, usize)]; 3],
        bits: u32,
    ) -> Vec<tagger::Sequence> {
        let mut byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of.push(text.len());
        let to_bytes = |spans: &[(usize, usize)]| -> Vec<(usize, usize)> {
            spans
                .iter()
                .map(|&(a, b)| {
                    let at = |c: usize| byte_of[c.min(byte_of.len() - 1)];
                    (at(a), at(b))
                })
                .collect()
        };
        let (s, c, t) = (to_bytes(gold[0]), to_bytes(gold[1]), to_bytes(gold[2]));
        Walk::new(&self.lx, text, meta, Part::WHOLE).training_sequences([&s, &c, &t], bits)
    }

    /// [`Extractor::extract`] with segments of at most `segment_bytes` (see
    /// [`SEGMENT_BYTES`]).
    fn extract_in_segments(
        &self,
        text: &str,
        meta: &ArticleMeta,
        segment_bytes: usize,
    ) -> Extraction {
        if text.len() <= segment_bytes {
            return self.walk_part(text, meta, Part::WHOLE);
        }
        // A longer article is walked one segment at a time, so that only one segment's
        // tokens, paragraphs and entities are held at once (a token costs several times
        // the bytes of its text).
        let mut out = Extraction::default();
        let mut seen: rustc_hash::FxHashMap<(String, SourceKind), usize> = Default::default();
        let (mut start, mut chars_before) = (0, 0);
        while start < text.len() {
            let end = segment_end(text, start, segment_bytes);
            let segment = &text[start..end];
            let part = Part {
                first: start == 0,
                last: end == text.len(),
            };
            let Extraction { claims, sources } = self.walk_part(segment, meta, part);
            let shift = |s: &mut Span| {
                s.start += chars_before;
                s.end += chars_before;
            };
            for mut c in claims {
                let spans = &mut c.spans;
                let links = c.chain.iter_mut().filter_map(|l| l.span.as_mut());
                spans
                    .source
                    .iter_mut()
                    .chain(spans.cue.iter_mut())
                    .chain(spans.content.iter_mut())
                    .chain(std::iter::once(&mut c.sentence_span))
                    .chain(links)
                    .for_each(shift);
                out.claims.push(c);
            }
            // A source named in several segments is one source, with every name and role
            // any segment saw.
            for s in sources {
                match seen.entry((s.name.clone(), s.kind)) {
                    std::collections::hash_map::Entry::Occupied(at) => {
                        let known = &mut out.sources[*at.get()];
                        for a in s.aliases {
                            if !known.aliases.contains(&a) {
                                known.aliases.push(a);
                            }
                        }
                        for r in s.roles {
                            if !known.roles.contains(&r) {
                                known.roles.push(r);
                            }
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(at) => {
                        at.insert(out.sources.len());
                        out.sources.push(s);
                    }
                }
            }
            chars_before += segment.chars().count();
            start = end;
        }
        out
    }
}

/// The longest text extracted in one walk; a longer article (only a hostile one: the
/// longest news articles are some 100 KB) is cut into segments of at most this size, at a
/// paragraph break where the segment's second half has one, else at a line break, else
/// at a space, each segment extracted on its own and the claims and sources put together.
/// What crosses a cut is lost, as for a sentence cut at [`text::MAX_SENTENCE_TOKENS`]: a
/// quotation or a relay scope running on, a surname resolving to a full name named in an
/// earlier segment (it is a source of its own). It is what keeps extraction's memory
/// bounded by the segment, not the article (README, Limits).
pub const SEGMENT_BYTES: usize = 4 << 20;

/// Where the segment of an article that starts at byte `start` ends.
fn segment_end(text: &str, start: usize, segment_bytes: usize) -> usize {
    if text.len() - start <= segment_bytes {
        return text.len();
    }
    let mut limit = start + segment_bytes;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[start..limit];
    let half = window.len() / 2;
    let after = |found: Option<(usize, usize)>| {
        found
            .filter(|&(at, _)| at >= half)
            .map(|(at, len)| start + at + len)
    };
    after(window.rfind("\n\n").map(|at| (at, 2)))
        .or_else(|| after(window.rfind('\n').map(|at| (at, 1))))
        .or_else(|| {
            after(
                window
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map(|(at, c)| (at, c.len_utf8())),
            )
        })
        .unwrap_or(limit)
}

/// Which part of the article a walk covers: its opening can be a headline, its last
/// paragraph cannot be a subheading, only where the article's own do.
#[derive(Debug, Clone, Copy)]
struct Part {
    first: bool,
    last: bool,
}

impl Part {
    const WHOLE: Part = Part {
        first: true,
        last: true,
    };
}

/// What a paragraph is, for deciding whether its sentences are claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParaKind {
    Headline,
    Subheading,
    /// Photo captions, credits, bylines: never claims.
    Caption,
    Body,
}

/// One link of a chain before names are resolved to strings.
#[derive(Debug, Clone)]
struct Draft {
    entity: EntityId,
    role: Role,
    cue: Option<String>,
    recipient: Option<EntityId>,
    /// Byte span of the mention.
    span: Option<(usize, usize)>,
}

/// The last attributed speaker, for quotations that run on without a cue.
#[derive(Debug, Clone)]
struct LastSpeech {
    drafts: Vec<Draft>,
    source_span: Option<(usize, usize)>,
    cue_span: Option<(usize, usize)>,
    cue: Option<String>,
    paragraph: usize,
    sentence: usize,
    /// After a cue that ends its paragraph with a colon ("X says:"): the paragraph that is
    /// its content.
    pending: Option<usize>,
}

struct Walk<'a> {
    lx: &'a Lexicon,
    text: &'a str,
    meta: &'a ArticleMeta,
    tokens: Tokens,
    paras: Vec<Paragraph>,
    kinds: Vec<ParaKind>,
    quotes: Vec<text::Quote>,
    sents: Vec<Sentence>,
    ents: Entities,
    claims: Vec<Claim>,
    /// The sentence unit the latest claim came from (its first byte), and the bytes its
    /// claims store so far
    /// (see [`CLAIM_BYTES_PER_SENTENCE_BYTE`]).
    claim_bytes: (usize, usize),
    /// The text of the sentence unit the latest claim was read from, by its byte span:
    /// the claims of one unit share it.
    sentence_text: Option<((usize, usize), std::sync::Arc<str>)>,
    /// The relay scope: "according to X" (and its documents) covering what follows.
    relay: Vec<Draft>,
    /// The last paragraph the relay scope covers so far; it carries on into the next one
    /// only through a continuation or a speaker it already covered.
    relay_paragraph: usize,
    /// People the scope's paragraphs mention: the participants of what the source reports
    /// ("Witkoff gave Ushakov advice"), whose later statements stay under it.
    participants: rustc_hash::FxHashSet<EntityId>,
    /// (sentence index, entity) of the latest attributed source and subject, for pronouns.
    last_source: Option<(usize, EntityId)>,
    last_subject: Option<(usize, EntityId)>,
    last_speech: Option<LastSpeech>,
    used: Vec<bool>,
}

/// Marks of photo captions, credits and page furniture (never claims). Datelines such as
/// "WASHINGTON (AP) —" are not among them: they open a story's first paragraph.
pub(crate) const CAPTION_MARKS: &[&str] = &[
    "(photo",
    "photo:",
    "photograph:",
    "photo by",
    "credit:",
    "getty images",
    "ap photo",
    "afp photo",
    "image:",
    "pictured:",
    "caption:",
    "file photo",
    "photo credit",
    "click here",
    "read more",
    "subscribe",
    "sign up for",
    "follow us",
    "©",
    "all rights reserved",
    "related:",
    "reporting by",
    "editing by",
    "writing by",
    "additional reporting",
];

impl<'a> Walk<'a> {
    fn new(lx: &'a Lexicon, text: &'a str, meta: &'a ArticleMeta, part: Part) -> Self {
        let mut tokens = text::tokenize(text);
        lx.mark(&mut tokens);
        let paras = text::paragraphs(text, &tokens);
        let quotes = text::find_quotes(&mut tokens, &paras);
        let sents = text::sentences(&tokens, &paras, &quotes);
        let kinds = classify_paragraphs(lx, text, &tokens, &paras, meta, part);
        Walk {
            lx,
            text,
            meta,
            tokens,
            paras,
            kinds,
            quotes,
            sents,
            ents: Entities::default(),
            claims: Vec::new(),
            claim_bytes: (usize::MAX, 0),
            sentence_text: None,
            relay: Vec::new(),
            relay_paragraph: 0,
            participants: Default::default(),
            last_source: None,
            last_subject: None,
            last_speech: None,
            used: Vec::new(),
        }
    }

    /// The rules' pass over the article: every sentence in order, its claims pushed.
    fn walk(&mut self) {
        self.register_names();
        let mut prev_para = usize::MAX;
        for si in 0..self.sents.len() {
            let s = self.sents[si];
            let kind = self.kinds[s.paragraph];
            if s.paragraph != prev_para {
                prev_para = s.paragraph;
                if kind == ParaKind::Subheading {
                    self.relay.clear();
                    self.last_speech = None;
                }
            }
            match kind {
                ParaKind::Caption | ParaKind::Subheading => continue,
                ParaKind::Headline => self.headline(si, s),
                ParaKind::Body => self.sentence(si, s),
            }
        }
    }

    // ----- names ---------------------------------------------------------------------------

    /// A first pass over the article registering every named person, outlet and organisation
    /// with the titles and appositions that describe them, so that later surnames,
    /// descriptions and pronouns resolve to full names.
    fn register_names(&mut self) {
        for si in 0..self.sents.len() {
            let s = self.sents[si];
            if self.kinds[s.paragraph] == ParaKind::Caption {
                continue;
            }
            let mut i = s.t0;
            while i < s.t1 {
                if !is_name_token(&self.tokens, i, s.t0) {
                    i += 1;
                    continue;
                }
                let mut e = i + 1;
                while e < s.t1
                    && (is_name_token(&self.tokens, e, s.t0)
                        || (matches!(self.tokens.lower(e), "de" | "van" | "von" | "bin" | "al")
                            && is_name_token(&self.tokens, e + 1, s.t0)))
                {
                    if self.tokens.toks[e - 1].possessive {
                        break;
                    }
                    e += 1;
                }
                // A name met before, standing alone (no title, possessor or capital word
                // before it), resolves as it did then: the common case, "Trump" for the
                // twentieth time, skips the phrase analysis.
                let bare = i == s.t0 || {
                    let p = &self.tokens.toks[i - 1];
                    p.kind != TokKind::Word
                        || !p.cap
                            && !p.possessive
                            && !self.lx.title_words.contains(self.tokens.lower(i - 1))
                };
                if bare && !self.tokens.toks[e - 1].possessive {
                    let run = np_text(self.text, &self.tokens, Np { t0: i, t1: e });
                    if let Some(id) = self.ents.resolved_person(run) {
                        self.ents.mention(i, id);
                        i = e;
                        continue;
                    }
                }
                let np =
                    np_left(&self.tokens, self.lx, s.t0, e, s.t0).unwrap_or(Np { t0: i, t1: e });
                // Each name of "Dmitriev and Ushakov" is registered on its own.
                let joined = (np.t0..i).any(|k| self.tokens.lower(k) == "and");
                let np = if np.t0 > i || joined {
                    Np { t0: i, t1: e }
                } else {
                    np
                };
                let run_len = e - i;
                match classify(self.text, &self.tokens, self.lx, np, s.t0) {
                    NpKind::Person { name, role } => {
                        // "Ports Minister Helena Strand" is titled; "The Valdorian health
                        // ministry" only has a determiner before an adjective.
                        let titled = role.is_some()
                            && (np.t0..np.t1)
                                .any(|k| self.lx.title_words.contains(self.tokens.lower(k)));
                        let followed_by_cue = self.lx.verb(&self.tokens, e).is_some();
                        let multi = name.split_whitespace().count() >= 2
                            && !name.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
                        let known_surname =
                            || run_len == 1 && self.ents.is_surname(&name.to_lowercase());
                        if multi || titled || followed_by_cue || known_surname() {
                            let id = self.ents.resolve_person_name(&name, np.t0);
                            if let Some(r) = role {
                                self.ents.add_role(id, &r);
                            }
                            self.ents.mention(np.t0, id);
                            self.appositive_roles(id, np, s);
                        }
                    }
                    NpKind::Outlet { name, collective } => {
                        let id = self.ents.intern(&name, SourceKind::Outlet, np.t0);
                        self.ents.list[id].plural |= collective;
                        self.ents.mention(np.t0, id);
                    }
                    NpKind::Organization(name) | NpKind::OrgName(name) => {
                        let id = self.ents.intern(&name, SourceKind::Organization, np.t0);
                        self.ents.mention(np.t0, id);
                    }
                    _ => {}
                }
                i = e;
            }
        }
    }

    /// "Trump’s special envoy, Steve Witkoff," and "Andriy Yermak, head of the office,": the
    /// phrase beside the name describes the person.
    fn appositive_roles(&mut self, id: EntityId, np: Np, s: Sentence) {
        let t = &self.tokens;
        // After: ", head of the Ukrainian Presidential Office,".
        if np.t1 < s.t1 && t.lower(np.t1) == "," {
            let a0 = np.t1 + 1;
            let mut a = a0;
            while a < s.t1 && !matches!(t.lower(a), "," | "." | ";" | ":") && a - a0 < 12 {
                a += 1;
            }
            if a > a0 && a < s.t1 && t.lower(a) == "," {
                let first = t.lower(a0);
                if entities::is_determiner(first) || self.lx.title_words.contains(first) {
                    let role = &self.text[t.toks[a0].start..t.toks[a - 1].end];
                    self.ents.add_role(id, role);
                }
            }
        }
        // Before: "Trump’s special envoy, Steve Witkoff".
        if np.t0 > s.t0 + 1 && t.lower(np.t0 - 1) == "," {
            let c = np.t0 - 1;
            let mut b = c;
            while b > s.t0 && !matches!(t.lower(b - 1), "," | "." | ";" | ":") && c - b < 8 {
                b -= 1;
            }
            if b < c && (self.lx.title_words.contains(t.lower(c - 1))) {
                let role = &self.text[t.toks[b].start..t.toks[c - 1].end];
                self.ents.add_role(id, role);
            }
        }
    }

    // ----- sentences -----------------------------------------------------------------------

    fn headline(&mut self, si: usize, s: Sentence) {
        // "Russia got tips from Witkoff ... - Bloomberg": a trailing dash and an outlet name
        // attribute the headline to that outlet.
        let t = &self.tokens;
        let mut dash = None;
        for k in (s.t0 + 1..s.t1).rev() {
            if t.toks[k].kind == TokKind::Punct && matches!(t.lower(k), "-" | "—" | "–" | "|") {
                dash = Some(k);
                break;
            }
            if t.toks[k].kind != TokKind::Word || !t.toks[k].cap || s.t1 - k > 5 {
                break;
            }
        }
        if let Some(d) = dash.filter(|&d| d + 1 < s.t1) {
            let name_np = Np {
                t0: d + 1,
                t1: s.t1,
            };
            let name = np_text(self.text, t, name_np).to_string();
            let name = match self.lx.outlets.match_at(t, d + 1, s.t1) {
                Some((n, (canon, _))) if d + 1 + n == s.t1 => canon.clone(),
                _ => name,
            };
            let id = self.ents.intern(&name, SourceKind::Outlet, d + 1);
            let span = Some((t.toks[d + 1].start, t.toks[s.t1 - 1].end));
            let draft = Draft {
                entity: id,
                role: Role::Relay,
                cue: Some("headline".into()),
                recipient: None,
                span,
            };
            let content = frames::content_end(t, s.t0, d);
            if content > s.t0 {
                let ranges = vec![(s.t0, content)];
                self.push_claim(
                    si,
                    s,
                    ClaimKind::AccordingTo,
                    vec![draft],
                    &ranges,
                    span,
                    None,
                    None,
                    None,
                );
                return;
            }
        }
        self.sentence(si, s);
    }

    fn sentence(&mut self, si: usize, s: Sentence) {
        let frames = find_frames(&self.tokens, self.lx, &s);
        let top = self.top_frames(frames);
        if top.is_empty() {
            self.unattributed(si, s);
        } else {
            // The denying or confirming verb of another attribution in a claim's content is
            // that attribution's, not a hedge of this claim: "officials said Halvard denied
            // it" is the officials asserting a denial, not denying. Only those verbs: other
            // cues carry the claim's own modals ("he might have asked").
            let cues: Vec<Range> = top
                .iter()
                .map(|(f, _)| match f.flags.deny || f.flags.confirm {
                    true => f.cue,
                    false => (f.cue.0, f.cue.0),
                })
                .collect();
            for (i, (f, inner)) in top.iter().enumerate() {
                let others: Vec<Range> = cues
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, &c)| c)
                    .collect();
                self.frame_claim(si, s, f, inner.as_ref(), &others);
            }
        }
        self.note_subject(si, s);
        if !self.relay.is_empty() && s.paragraph == self.relay_paragraph {
            for (_, id) in self.ents.mentions_in(s.t0, s.t1) {
                if self.ents.get(id).kind == SourceKind::Person {
                    self.participants.insert(id);
                }
            }
        }
    }

    /// The relay scope a sentence falls under, moving it on or ending it. In the paragraph
    /// that opened it, everything is under it. A later paragraph stays under it when it
    /// goes on with what the source reported: it opens with a continuation ("Specifically,
    /// ..."), or its speaker is someone the source reported on ("Witkoff told Ushakov ...").
    /// Another speaker stands outside it; a sentence of the writer's own that does not go
    /// on with it means the story has moved on, and the scope ends.
    fn scope_for(&mut self, s: Sentence, speaker: Option<EntityId>) -> Vec<Draft> {
        if self.relay.is_empty() || s.paragraph == self.relay_paragraph {
            return self.relay.clone();
        }
        let continues = match speaker {
            Some(id) => {
                self.participants.contains(&id) || self.relay.iter().any(|d| d.entity == id)
            }
            None => s.t0 == s.p0 && self.opens_with_continuation(s),
        };
        if continues {
            self.relay_paragraph = s.paragraph;
            self.relay.clone()
        } else if speaker.is_some() {
            // Someone else speaking is not under the source, but need not end it ("While
            // the two Putin aides considered options, Ushakov insisted ...").
            Vec::new()
        } else {
            self.relay.clear();
            self.participants.clear();
            Vec::new()
        }
    }

    /// "Specifically, ...", "In particular, ...", "The record shows ...": a sentence that
    /// goes on with what the previous paragraph's source reported.
    fn opens_with_continuation(&self, s: Sentence) -> bool {
        let t = &self.tokens;
        let (w0, w1) = (t.lower(s.t0), t.lower(s.t0 + 1));
        matches!(
            w0,
            "specifically"
                | "particularly"
                | "moreover"
                | "additionally"
                | "furthermore"
                | "also"
                | "besides"
                | "likewise"
                | "similarly"
        ) || matches!(
            (w0, w1),
            ("in", "particular") | ("in", "addition") | ("it", "also")
        ) || (w0 == "the" && self.lx.document_heads.contains(w1))
    }

    /// Orders a sentence's frames into top-level ones (each gives a claim) with at most one
    /// nested frame each ("According to him, Putin will say: ..."). A frame inside another's
    /// content that does not start it is part of that content, not an attribution of its own.
    fn top_frames(&self, frames: Vec<Frame>) -> Vec<(Frame, Option<Frame>)> {
        let mut out: Vec<(Frame, Option<Frame>)> = Vec::new();
        for f in frames {
            // Where the frame begins in the text; a borrowed subject ("..., saying") is
            // elsewhere, so such a frame begins at its cue.
            let anchor = if f.needs_subject {
                f.cue.0
            } else {
                f.source.map_or(f.cue.0, |np| np.t0.min(f.cue.0))
            };
            if let Some((outer, inner)) = out.last_mut() {
                let inside = outer
                    .content
                    .iter()
                    .any(|&(a, b)| f.cue.0 >= a && f.cue.0 < b);
                if inside {
                    let piece = outer
                        .content
                        .iter()
                        .copied()
                        .find(|&(a, b)| f.cue.0 >= a && f.cue.0 < b)
                        .unwrap();
                    // Nested only when the frame opens the content (its subject inside it,
                    // at its start): "According to him, Putin will say: ...".
                    let starts_piece = anchor >= piece.0
                        && (anchor <= piece.0 + 1
                            || (piece.0..anchor).all(|k| self.tokens.lower(k) == "that"));
                    // Only a clear speech frame nests ("According to Lind, Jensen told him that
                    // X"); "Ushakov insisted that Russia request ..." is content.
                    let speech = f.flags.speech && !f.flags.weak && !f.flags.ask;
                    if starts_piece && inner.is_none() && f.kind == FrameKind::Verb && speech {
                        *inner = Some(f);
                        continue;
                    }
                    // A coordinated clause with its own source: "X said A, but Y said B", or
                    // the same source going on: "X said A, adding that B", "X praised A and
                    // said B". The outer content stops where the new clause begins.
                    let coordinated = f.needs_subject;
                    // A trailing attribution whose content holds the outer frame's cue: in
                    // "Halvard denied that it will sell, a spokeswoman said" the spokeswoman
                    // reports the denial, so the denied content stops before her.
                    let wraps = anchor > outer.cue.0
                        && f.content
                            .iter()
                            .any(|&(a, b)| a <= outer.cue.0 && outer.cue.1 <= b);
                    let boundary = if wraps {
                        Some(anchor)
                    } else if coordinated {
                        (piece.0..f.cue.0)
                            .rev()
                            .take(2)
                            .find(|&k| matches!(self.tokens.lower(k), "," | "and"))
                    } else {
                        (piece.0..anchor).rev().take(3).find(|&k| {
                            matches!(self.tokens.lower(k), ";" | "but" | "while" | "whereas")
                                || (self.tokens.lower(k) == "and"
                                    && k > 0
                                    && self.tokens.lower(k - 1) == ",")
                        })
                    };
                    let mut f = f;
                    if coordinated && (f.source.is_none() || outer.source.is_some()) {
                        f.source = outer.source;
                        f.source_head = outer.source_head;
                        f.needs_subject = outer.source.is_none();
                    }
                    // "a fair sentence, which I said was not": a relative clause with its own
                    // attribution ends the outer content at its comma.
                    let relative = f.source.is_some_and(|np| {
                        matches!(self.tokens.lower(np.t0), "which" | "who")
                            && np.t0 > piece.0
                            && self.tokens.lower(np.t0 - 1) == ","
                    });
                    let boundary = if relative {
                        f.source.map(|np| np.t0 - 1)
                    } else {
                        boundary
                    };
                    if let (Some(b), true) = (boundary, f.source.is_some() || coordinated) {
                        let mut cut = b;
                        while cut > piece.0
                            && matches!(self.tokens.lower(cut - 1), "," | ";" | "and")
                        {
                            cut -= 1;
                        }
                        for r in outer.content.iter_mut() {
                            if r.0 == piece.0 {
                                r.1 = cut;
                            }
                        }
                        outer.content.retain(|r| r.0 < r.1);
                    }
                    // An attribution embedded in another's content ("in a finish that he said
                    // defied expectations") is a claim of its own too.
                    if f.source.is_some() || f.needs_subject {
                        // The wrapping frame is the sentence's own speaker, not an aside.
                        f.embedded = !coordinated && !wraps;
                        out.push((f, None));
                    }
                    continue;
                }
                // A frame whose source sits inside the previous frame's content on its left
                // ("“…,” X said") is its own claim.
            }
            out.push((f, None));
        }
        out.retain(|(f, _)| !f.content.is_empty() || f.pending);
        out
    }

    /// A sentence without a cue: the publisher's assertion, or under the relay scope, or a
    /// quotation running on from the last speaker.
    fn unattributed(&mut self, si: usize, s: Sentence) {
        let t = &self.tokens;
        let end = frames::content_end(t, s.t0, s.t1);
        if end <= s.t0 {
            return;
        }
        // "X says:" closing the previous paragraph: this paragraph is what X says.
        if let Some(ls) = self
            .last_speech
            .as_ref()
            .filter(|l| l.pending == Some(s.paragraph))
            .cloned()
        {
            let kind = if t.toks[s.t0].kind == TokKind::QuoteOpen {
                ClaimKind::DirectQuote
            } else {
                ClaimKind::Indirect
            };
            let mut drafts = ls.drafts.clone();
            for d in drafts.iter_mut() {
                d.span = None;
            }
            self.push_claim(
                si,
                s,
                kind,
                drafts,
                &[(s.t0, end)],
                ls.source_span,
                ls.cue_span,
                ls.cue.clone(),
                None,
            );
            return;
        }
        let quote_led = t.toks[s.t0].kind == TokKind::QuoteOpen;
        // Quotations are sorted by their opening mark: a binary search, not a scan.
        let continues = self
            .quotes
            .binary_search_by_key(&s.t0, |q| q.open)
            .is_ok_and(|k| self.quotes[k].continues);
        if quote_led && let Some(ls) = self.last_speech.clone() {
            let same_paragraph = ls.paragraph == s.paragraph;
            let near = ls.sentence + 1 == si
                || (continues && ls.paragraph + 1 == s.paragraph)
                || same_paragraph;
            if near {
                // A quotation that goes on after its cue (`“A,” he said. “B.”`) or into the next
                // paragraph is the same attribution: annotators mark one relation.
                let (src, cue) = if continues || same_paragraph {
                    (ls.source_span, ls.cue_span)
                } else {
                    (None, None)
                };
                let mut drafts = ls.drafts.clone();
                for d in drafts.iter_mut() {
                    d.span = None;
                }
                self.push_claim(
                    si,
                    s,
                    ClaimKind::DirectQuote,
                    drafts,
                    &[(s.t0, end)],
                    src,
                    cue,
                    ls.cue.clone(),
                    None,
                );
                if let Some(l) = self.last_speech.as_mut() {
                    l.sentence = si;
                    l.paragraph = s.paragraph;
                }
                return;
            }
        }
        let drafts = self.scope_for(s, None);
        let kind = if drafts.is_empty() {
            ClaimKind::Assertion
        } else {
            ClaimKind::AccordingTo
        };
        self.push_claim(si, s, kind, drafts, &[(s.t0, end)], None, None, None, None);
    }

    fn frame_claim(
        &mut self,
        si: usize,
        s: Sentence,
        f: &Frame,
        inner: Option<&Frame>,
        other_cues: &[Range],
    ) {
        let src_drafts = self.resolve_frame_source(si, s, f);
        if f.pending {
            // The claim comes with the next paragraph; remember who says it.
            let chain = nest(
                &self.scope_for(s, src_drafts.last().map(|d| d.entity)),
                src_drafts,
            );
            let t = &self.tokens;
            let byte = |r: Range| (t.toks[r.0].start, t.toks[r.1 - 1].end);
            let cue_span = byte(f.cue);
            self.last_speech = Some(LastSpeech {
                drafts: chain,
                source_span: f.source.map(|np| byte((np.t0, np.t1))),
                cue_span: Some(cue_span),
                cue: Some(self.text[cue_span.0..cue_span.1].to_string()),
                paragraph: s.paragraph,
                sentence: si,
                pending: Some(s.paragraph + 1),
            });
            return;
        }
        let speaker_entity = src_drafts.last().map(|d| d.entity);
        let mut chain: Vec<Draft> = match f.kind {
            FrameKind::AccordingTo | FrameKind::Unsourced => src_drafts.clone(),
            FrameKind::Verb => {
                let scope = self.scope_for(s, speaker_entity);
                nest(&scope, src_drafts.clone())
            }
        };
        if let Some(inner) = inner {
            let inner_drafts = self.resolve_frame_source(si, s, inner);
            chain = nest(&chain, inner_drafts);
        }
        // Content of the innermost frame is the claim; spans stay the outermost's.
        let content_frame = inner.unwrap_or(f);
        let quoted = content_frame.content.iter().all(|&(a, b)| {
            self.tokens.toks[a].kind == TokKind::QuoteOpen
                && self.tokens.toks[b - 1].kind == TokKind::QuoteClose
                || (a..b).all(|k| {
                    self.tokens.toks[k].quoted || self.tokens.toks[k].kind != TokKind::Word
                })
        });
        let kind = match (f.kind, quoted) {
            (_, true) => ClaimKind::DirectQuote,
            (FrameKind::AccordingTo, false) if inner.is_none() => ClaimKind::AccordingTo,
            _ => ClaimKind::Indirect,
        };
        let t = &self.tokens;
        let byte = |r: Range| (t.toks[r.0].start, t.toks[r.1 - 1].end);
        let src_span = f.source.map(|np| byte((np.t0, np.t1)));
        let cue_span = byte(f.cue);
        let cue_text = self.text[cue_span.0..cue_span.1].to_string();
        // A denial denies its content; a negated confirmation ("could not verify") leaves it
        // unconfirmed. Other negated cues ("did not say whether") set nothing by themselves.
        let forced = match (f.flags.deny, f.flags.confirm, f.negated) {
            (true, _, false) => Some((Certainty::Denied, cue_text.clone())),
            (false, true, true) => Some((Certainty::Unconfirmed, cue_text.clone())),
            _ => None,
        };
        let hedge_scope: Vec<Range> = f
            .content
            .iter()
            .flat_map(|&r| without(r, other_cues))
            .chain(std::iter::once(f.cue))
            .collect();
        let before = self.claims.len();
        self.push_claim_with(
            si,
            s,
            kind,
            chain.clone(),
            &f.content,
            src_span,
            Some(cue_span),
            Some(cue_text.clone()),
            &hedge_scope,
            forced,
        );
        // A nested denial's claim is what was denied: in "Officials said the ministry denied
        // that prices would rise" the chain ends on the ministry, so the text is "that prices
        // would rise" (a statement of "ministry denied the ministry denied ..." otherwise).
        // Other nested frames keep the whole clause ("it could not confirm which ..." says
        // more than "which ..."). The spans stay the outermost relation's.
        let denial = |i: &&Frame| i.flags.deny && !i.negated;
        if let Some(inner) = inner.filter(denial).filter(|_| self.claims.len() > before) {
            let t = &self.tokens;
            let pieces: Vec<&str> = inner
                .content
                .iter()
                .filter(|r| r.0 < r.1)
                .map(|&(a, b)| &self.text[t.toks[a].start..t.toks[b - 1].end])
                .collect();
            let said =
                !pieces.is_empty() && !contentless::is_contentless(t, self.lx, &inner.content);
            if let (true, Some(c)) = (said, self.claims.last_mut()) {
                c.text = pieces.join(" ");
            }
        }
        // Scope updates. An attribution embedded in another's content neither opens a scope
        // nor becomes the antecedent of the next "he".
        if f.embedded {
            return;
        }
        match f.kind {
            FrameKind::AccordingTo => {
                let same = self
                    .relay
                    .iter()
                    .map(|d| d.entity)
                    .eq(src_drafts.iter().map(|d| d.entity));
                if !same {
                    self.participants.clear();
                }
                self.relay = src_drafts.clone();
                self.relay_paragraph = s.paragraph;
            }
            FrameKind::Unsourced => self.relay.clear(),
            FrameKind::Verb => {}
        }
        if let Some(id) = speaker_entity {
            self.last_source = Some((si, id));
        }
        self.last_speech = Some(LastSpeech {
            drafts: chain,
            source_span: src_span,
            cue_span: Some(cue_span),
            cue: Some(cue_text),
            paragraph: s.paragraph,
            sentence: si,
            pending: f.pending.then_some(s.paragraph + 1),
        });
    }

    /// The chain links a frame's source phrase stands for: a document with the outlet that
    /// reviewed it, an outlet, a person (with the recipient), an anonymous source.
    fn resolve_frame_source(&mut self, si: usize, s: Sentence, f: &Frame) -> Vec<Draft> {
        let cue_word = f.cue_word.clone();
        let recipient = f
            .recipient
            .and_then(|r| self.resolve_np(si, s, r, None).map(|(id, _)| id));
        if f.kind == FrameKind::Unsourced {
            let id = self
                .ents
                .intern("unattributed information", SourceKind::Anonymous, f.cue.0);
            return vec![Draft {
                entity: id,
                role: Role::Speaker,
                cue: Some(cue_word),
                recipient: None,
                span: None,
            }];
        }
        let np = match f.source {
            Some(np) => f.source_head.unwrap_or(np),
            None if f.needs_subject => {
                match clause_subject(&self.tokens, self.lx, s.t0, f.cue.0, s.t0) {
                    Some(np) => np,
                    None => return Vec::new(),
                }
            }
            None => return Vec::new(),
        };
        // "The mayor of Northgate, Ruth Adebayo, said": when the apposition is a name, the
        // name is the person and the phrase before it her role.
        let (np, apposition) = match f.apposition {
            Some(a) if self.is_plain_name(a) && !self.is_plain_name(np) => (a, Some(np)),
            other => (np, other),
        };
        // "The Courier could not independently verify": the publisher speaking for itself is
        // no link of its own; the claim is its assertion.
        if self.names_publisher(np) {
            return Vec::new();
        }
        let t = &self.tokens;
        let span = Some((t.toks[np.t0].start, t.toks[np.t1 - 1].end));
        let Some((id, via)) = self.resolve_np(si, s, np, apposition) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Some((via_id, via_span)) = via {
            out.push(Draft {
                entity: via_id,
                role: Role::Relay,
                cue: Some("reviewed by".into()),
                recipient: None,
                span: via_span,
            });
        }
        let kind = self.ents.get(id).kind;
        let role = match (f.kind, kind) {
            (_, SourceKind::Document) => Role::Document,
            (FrameKind::AccordingTo, SourceKind::Outlet) => Role::Relay,
            _ => Role::Speaker,
        };
        // "told Axios in an interview": the outlet relays what the speaker told it.
        if let Some(r) = recipient
            && self.ents.get(r).kind == SourceKind::Outlet
            && role == Role::Speaker
        {
            out.push(Draft {
                entity: r,
                role: Role::Relay,
                cue: Some(cue_word.clone()),
                recipient: None,
                span: None,
            });
        }
        out.push(Draft {
            entity: id,
            role,
            cue: Some(cue_word),
            recipient,
            span,
        });
        out
    }

    /// Whether a name is a place of the places lexicon ("Geneva", "Miami").
    fn is_place(&self, name: &str) -> bool {
        let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        self.lx
            .places
            .match_words(&words)
            .is_some_and(|(n, _)| n == words.len())
    }

    /// A phrase made only of capitalised name words ("Ruth Adebayo").
    fn is_plain_name(&self, np: Np) -> bool {
        let t = &self.tokens;
        np.t1 - np.t0 <= 4
            && (np.t0..np.t1).all(|k| {
                t.toks[k].kind == TokKind::Word
                    && t.toks[k].cap
                    && !self.lx.title_words.contains(t.lower(k))
            })
    }

    /// Whether a phrase names the article's own publisher: its name, or the short form
    /// papers use for themselves ("the Courier" in the Northgate Courier, "the Observer").
    fn names_publisher(&self, np: Np) -> bool {
        let Some(outlet) = &self.meta.outlet else {
            return false;
        };
        let t = &self.tokens;
        let mut a = np.t0;
        while a < np.t1 && entities::is_determiner(t.lower(a)) {
            a += 1;
        }
        if a >= np.t1 || !t.toks[a].cap {
            return false;
        }
        let phrase: Vec<String> = (a..np.t1)
            .map(|k| {
                t.lower(k)
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string()
            })
            .collect();
        let outlet_words: Vec<String> = outlet
            .split_whitespace()
            .map(str::to_lowercase)
            .filter(|w| w != "the")
            .collect();
        outlet_words.ends_with(&phrase)
    }

    /// Resolves a noun phrase to an entity (and, for a document, the outlet it came through).
    #[allow(clippy::type_complexity)]
    fn resolve_np(
        &mut self,
        si: usize,
        s: Sentence,
        np: Np,
        apposition: Option<Np>,
    ) -> Option<(EntityId, Option<(EntityId, Option<(usize, usize)>)>)> {
        let kind = classify(self.text, &self.tokens, self.lx, np, s.t0);
        let at = np.t0;
        let id = match kind {
            NpKind::Pronoun(p) => self.resolve_pronoun(si, s, np, p)?,
            NpKind::Outlet { name, collective } => {
                let id = self.ents.intern(&name, SourceKind::Outlet, at);
                self.ents.list[id].plural |= collective;
                id
            }
            // "the company", "the ministry": the organisation last named, if the article
            // named one; otherwise a source of its own.
            NpKind::OrgName(name)
                if self.tokens.lower(np.t0) == "the" && !self.tokens.toks[np.t1 - 1].cap =>
            {
                let head = self.tokens.lower(np.t1 - 1).to_string();
                let named = |e: &entities::Entity| {
                    e.kind == SourceKind::Organization
                        && e.name.chars().next().is_some_and(char::is_uppercase)
                };
                let same_kind = self
                    .ents
                    .most_recent(at, |e| named(e) && e.name.to_lowercase().contains(&head));
                // Only "the company", "the ministry" as a whole stand for the organisation
                // last named: "the navy" of an article about an insurer is not the insurer,
                // nor is "the navy press office".
                let generic = np.t1 - np.t0 == 2
                    && !matches!(
                        head.as_str(),
                        "government" | "navy" | "army" | "military" | "police" | "court"
                    );
                let fallback = || generic.then(|| self.ents.most_recent(at, named)).flatten();
                match same_kind.or_else(fallback) {
                    Some(id) if head != "government" => id,
                    _ => self.ents.intern(&name, SourceKind::Organization, at),
                }
            }
            NpKind::Organization(name) | NpKind::OrgName(name) | NpKind::Conjunction(name) => {
                self.ents.intern(&name, SourceKind::Organization, at)
            }
            NpKind::Anonymous { name, .. } | NpKind::Group(name) => {
                let id = self.ents.intern(&name, SourceKind::Anonymous, at);
                self.ents.list[id].plural = true;
                id
            }
            NpKind::Document { name, via } => {
                let definite = matches!(self.tokens.lower(np.t0), "the" | "this" | "that");
                let lname = name.to_lowercase();
                let existing = if definite && via.is_none() {
                    self.ents.most_recent(at, |e| {
                        e.kind == SourceKind::Document
                            && e.name
                                .to_lowercase()
                                .contains(lname.trim_start_matches("the "))
                    })
                } else {
                    None
                };
                let id =
                    existing.unwrap_or_else(|| self.ents.intern(&name, SourceKind::Document, at));
                let via = via.and_then(|v| {
                    let t = &self.tokens;
                    let span = Some((t.toks[v.t0].start, t.toks[v.t1 - 1].end));
                    self.resolve_np(si, s, v, None).map(|(vid, _)| (vid, span))
                });
                self.ents.mention(at, id);
                return Some((id, via));
            }
            NpKind::Person { name, role } => {
                // A name in a conjunction ("Kyiv and Washington") stands for both.
                let id = self.ents.resolve_person_name(&name, at);
                if let Some(r) = role {
                    self.ents.add_role(id, &r);
                }
                id
            }
            // "A spokesman for the company", "a passenger": an indefinite description
            // introduces a source of its own.
            NpKind::Description(words)
                if matches!(self.tokens.lower(np.t0), "a" | "an" | "another" | "one") =>
            {
                self.ents.intern(&words.join(" "), SourceKind::Person, at)
            }
            // A description of a person ("the former envoy") is someone named before; any
            // other ("the people", "the agency") is a source of its own.
            NpKind::Description(words)
                if !words
                    .last()
                    .is_some_and(|h| self.lx.title_words.contains(h)) =>
            {
                let id = self
                    .ents
                    .intern(&words.join(" "), SourceKind::Organization, at);
                self.ents.list[id].plural |= words.last().is_some_and(|h| h == "people");
                id
            }
            NpKind::Description(words) => match self.ents.resolve_description(&words, at) {
                Some(id) => id,
                None => {
                    // An unresolved description names a source of its own: "the official".
                    let name = words.join(" ");
                    self.ents.intern(&name, SourceKind::Person, at)
                }
            },
        };
        if let Some(a) = apposition {
            let t = &self.tokens;
            let role = self.text[t.toks[a.t0].start..t.toks[a.t1 - 1].end].to_string();
            if self.ents.get(id).kind == SourceKind::Person {
                self.ents.add_role(id, &role);
            }
        }
        self.ents.mention(at, id);
        Some((id, None))
    }

    fn resolve_pronoun(
        &mut self,
        si: usize,
        s: Sentence,
        np: Np,
        p: PronounClass,
    ) -> Option<EntityId> {
        let recent =
            |x: Option<(usize, EntityId)>| x.filter(|&(k, _)| k + 1 >= si).map(|(_, id)| id);
        let at = np.t0;
        match p {
            PronounClass::He | PronounClass::She => {
                let person = |id: EntityId, ents: &Entities| {
                    ents.get(id).kind == SourceKind::Person && !ents.get(id).plural
                };
                if let Some(id) = recent(self.last_source).filter(|&id| person(id, &self.ents)) {
                    return Some(id);
                }
                if let Some(id) = recent(self.last_subject).filter(|&id| person(id, &self.ents)) {
                    return Some(id);
                }
                self.ents
                    .most_recent(at, |e| e.kind == SourceKind::Person && !e.plural)
            }
            PronounClass::It => {
                let thing = |k: SourceKind| {
                    matches!(
                        k,
                        SourceKind::Outlet | SourceKind::Organization | SourceKind::Document
                    )
                };
                if let Some(id) =
                    recent(self.last_source).filter(|&id| thing(self.ents.get(id).kind))
                {
                    return Some(id);
                }
                self.ents.most_recent(at, |e| thing(e.kind))
            }
            PronounClass::They => {
                if let Some(id) = recent(self.last_source).filter(|&id| {
                    self.ents.get(id).plural || self.ents.get(id).kind == SourceKind::Organization
                }) {
                    return Some(id);
                }
                self.ents
                    .most_recent(at, |e| e.plural || e.kind == SourceKind::Organization)
            }
            PronounClass::Who => {
                // "Smith, who said": the phrase before the comma.
                let t = &self.tokens;
                if np.t0 > s.t0 + 1 && t.lower(np.t0 - 1) == "," {
                    let ante = np_left(t, self.lx, s.t0, np.t0 - 1, s.t0)?;
                    return self.resolve_np(si, s, ante, None).map(|(id, _)| id);
                }
                None
            }
            PronounClass::I | PronounClass::We => {
                let name = self
                    .meta
                    .author
                    .clone()
                    .or_else(|| self.meta.outlet.clone())?;
                let kind = if self.meta.author.is_some() {
                    SourceKind::Person
                } else {
                    SourceKind::Outlet
                };
                Some(self.ents.intern(&name, kind, at))
            }
        }
    }

    /// Records the sentence's grammatical subject (its first person named outside a
    /// prepositional or modifier position), for resolving "he" in the next sentence.
    fn note_subject(&mut self, si: usize, s: Sentence) {
        let t = &self.tokens;
        for (pos, id) in self.ents.mentions_in(s.t0, s.t1) {
            if self.ents.get(id).kind != SourceKind::Person || t.toks[pos].quoted {
                continue;
            }
            let prev = if pos > s.t0 { t.lower(pos - 1) } else { "" };
            let modifier = matches!(
                prev,
                "with"
                    | "to"
                    | "by"
                    | "of"
                    | "for"
                    | "from"
                    | "on"
                    | "about"
                    | "against"
                    | "and"
                    | "between"
                    | "two"
                    | "three"
                    | "the"
            ) || t.toks[pos].possessive;
            if !modifier {
                self.last_subject = Some((si, id));
                return;
            }
        }
    }

    // ----- output --------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn push_claim(
        &mut self,
        si: usize,
        s: Sentence,
        kind: ClaimKind,
        drafts: Vec<Draft>,
        content: &[Range],
        src: Option<(usize, usize)>,
        cue: Option<(usize, usize)>,
        cue_text: Option<String>,
        forced: Option<(Certainty, String)>,
    ) {
        let scope = content.to_vec();
        self.push_claim_with(
            si, s, kind, drafts, content, src, cue, cue_text, &scope, forced,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_claim_with(
        &mut self,
        _si: usize,
        s: Sentence,
        kind: ClaimKind,
        drafts: Vec<Draft>,
        content: &[Range],
        src: Option<(usize, usize)>,
        cue: Option<(usize, usize)>,
        cue_text: Option<String>,
        hedge_scope: &[Range],
        forced: Option<(Certainty, String)>,
    ) {
        let t = &self.tokens;
        let text = self.text;
        let pieces: Vec<(usize, usize)> = content
            .iter()
            .filter(|r| r.0 < r.1)
            .map(|&(a, b)| (t.toks[a].start, t.toks[b - 1].end))
            .collect();
        // "Sunday", "it", "the charge": nothing a fact-checker could check.
        if pieces.is_empty() || contentless::is_contentless(t, self.lx, content) {
            return;
        }
        let claim_text = pieces
            .iter()
            .map(|&(a, b)| &text[a..b])
            .collect::<Vec<_>>()
            .join(" ");
        let (sa, sb) = (t.toks[s.t0].start, t.toks[s.t1 - 1].end);
        // The storage budget of this sentence's claims.
        if self.claim_bytes.0 != sa {
            self.claim_bytes = (sa, 0);
        }
        let cost = claim_text.len() + (sb - sa);
        let budget = (sb - sa) * CLAIM_BYTES_PER_SENTENCE_BYTE + CLAIM_BYTES_SLACK;
        if self.claim_bytes.1 + cost > budget {
            return;
        }
        self.claim_bytes.1 += cost;
        let (mut certainty, mut hedges) = self.certainty(hedge_scope);
        // The cue itself can set the certainty: "denied", "could not verify".
        if let Some((c, word)) = forced {
            if severity(c) > severity(certainty) {
                certainty = c;
            }
            if !hedges.iter().any(|h| word.contains(h.as_str())) {
                hedges.push(word);
            }
        }
        let chain = self.links(&drafts);
        let sentence = match &self.sentence_text {
            Some((at, shared)) if *at == (sa, sb) => shared.clone(),
            _ => {
                let shared: std::sync::Arc<str> = text[sa..sb].into();
                self.sentence_text = Some(((sa, sb), shared.clone()));
                shared
            }
        };
        self.claims.push(Claim {
            text: claim_text,
            sentence,
            kind,
            certainty,
            hedges,
            cue: cue_text,
            spans: ClaimSpans {
                source: src.map(|(a, b)| Span::new(a, b)),
                cue: cue.map(|(a, b)| Span::new(a, b)),
                content: pieces.iter().map(|&(a, b)| Span::new(a, b)).collect(),
            },
            sentence_span: Span::new(sa, sb),
            chain,
        });
        for d in &drafts {
            self.mark_used(d.entity);
            if let Some(r) = d.recipient {
                self.mark_used(r);
            }
        }
    }

    fn mark_used(&mut self, id: EntityId) {
        if self.used.len() <= id {
            self.used.resize(id + 1, false);
        }
        self.used[id] = true;
    }

    fn links(&self, drafts: &[Draft]) -> Vec<Link> {
        let mut chain = Vec::with_capacity(drafts.len() + 1);
        if let Some(p) = &self.meta.outlet {
            chain.push(Link {
                name: p.clone(),
                kind: SourceKind::Outlet,
                role: Role::Publisher,
                cue: None,
                recipient: None,
                span: None,
            });
        }
        for d in drafts {
            let e = self.ents.get(d.entity);
            let (name, kind) = names::canonical(self.lx, &e.name, e.kind);
            chain.push(Link {
                name,
                kind,
                role: d.role,
                cue: d.cue.clone(),
                recipient: d.recipient.map(|r| {
                    let r = self.ents.get(r);
                    names::canonical(self.lx, &r.name, r.kind).0
                }),
                span: d.span.map(|(a, b)| Span::new(a, b)),
            });
        }
        chain
    }

    /// The certainty the text gives a claim: the strongest hedge or disclaimer found in its
    /// cue and content outside quotation marks (a speaker's own "maybe" inside a quote is
    /// part of what they said, not the article's hedging).
    fn certainty(&self, scope: &[Range]) -> (Certainty, Vec<String>) {
        let t = &self.tokens;
        let mut level = Certainty::Certain;
        let mut found = Vec::new();
        for &(a, b) in scope {
            let mut k = a;
            while k < b {
                if t.toks[k].quoted || t.toks[k].kind != TokKind::Word {
                    k += 1;
                    continue;
                }
                if let Some((n, &c)) = self.lx.hedges.match_at(t, k, b) {
                    // "May" the month, "Will" the name: capitalised mid-sentence words are not hedges.
                    let capitalised_single = n == 1 && t.toks[k].cap && k != a;
                    if !capitalised_single {
                        found.push(self.text[t.toks[k].start..t.toks[k + n - 1].end].to_string());
                        if severity(c) > severity(level) {
                            level = c;
                        }
                        k += n;
                        continue;
                    }
                }
                k += 1;
            }
        }
        (level, found)
    }

    fn finish(mut self) -> Extraction {
        let cmap = CharMap::new(self.text);
        let to_chars = |s: Span| Span::new(cmap.char_at(s.start), cmap.char_at(s.end));
        let mut claims = std::mem::take(&mut self.claims);
        for c in claims.iter_mut() {
            c.spans.source = c.spans.source.map(to_chars);
            c.spans.cue = c.spans.cue.map(to_chars);
            for p in c.spans.content.iter_mut() {
                *p = to_chars(*p);
            }
            c.sentence_span = to_chars(c.sentence_span);
            for l in c.chain.iter_mut() {
                l.span = l.span.map(to_chars);
            }
        }
        let sources = self
            .ents
            .list
            .iter()
            .enumerate()
            // The sources of the claims, and every person, organisation and outlet the
            // article names (a fact-checker looks them up too: "Zelenskyy", spelled two
            // ways, is one source). Descriptions and documents count only when they speak.
            .filter(|(i, e)| {
                self.used.get(*i).copied().unwrap_or(false)
                    || self.ents.is_mentioned(*i)
                        && matches!(
                            e.kind,
                            SourceKind::Person | SourceKind::Organization | SourceKind::Outlet
                        )
                        && e.name.chars().next().is_some_and(char::is_uppercase)
                        && !self.is_place(&e.name)
                        && !never_a_source(&e.name)
            })
            .map(|(_, e)| {
                let (name, kind) = names::canonical(self.lx, &e.name, e.kind);
                let mut aliases = e.aliases.clone();
                if name != e.name && !aliases.contains(&e.name) {
                    aliases.push(e.name.clone());
                }
                Source {
                    name,
                    kind,
                    aliases,
                    roles: e.roles.clone(),
                }
            })
            .collect();
        Extraction { claims, sources }
    }
}

/// Names that the capitalisation of a mention makes look like a source but never are one:
/// days, months and holidays ("Friday", "Election Day"), a byline's "Follow X", a
/// determiner or numeral opening a sentence ("Another", "Three"), a single initial ("P.").
fn never_a_source(name: &str) -> bool {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let Some(&first) = words.first() else {
        return true;
    };
    let calendar = |w: &str| {
        entities::MONTHS_DAYS.contains(&w)
            || matches!(
                w,
                "day"
                    | "eve"
                    | "christmas"
                    | "thanksgiving"
                    | "easter"
                    | "halloween"
                    | "new"
                    | "year"
                    | "year's"
                    | "election"
                    | "labor"
                    | "memorial"
                    | "independence"
                    | "veterans"
                    | "weekend"
                    | "week"
                    | "today"
                    | "tonight"
            )
    };
    let initial = name.trim_end_matches('.').chars().count() == 1;
    words.iter().all(|w| calendar(w))
        || first == "follow"
        || first == "to"
        || (words.len() == 1 && entities::is_determiner(first))
        || (words.len() == 1 && first.chars().all(|c| c.is_ascii_digit()))
        || initial
}

/// `r` with the token ranges of `holes` taken out of it, in order.
fn without(r: Range, holes: &[Range]) -> Vec<Range> {
    let mut out = vec![r];
    for &(h0, h1) in holes {
        out = out
            .into_iter()
            .flat_map(|(a, b)| {
                if h1 <= a || b <= h0 {
                    vec![(a, b)]
                } else {
                    [(a, h0.max(a)), (h1.min(b), b)]
                        .into_iter()
                        .filter(|&(x, y)| x < y)
                        .collect()
                }
            })
            .collect();
    }
    out
}

fn severity(c: Certainty) -> u8 {
    match c {
        Certainty::Certain => 0,
        Certainty::Probable => 1,
        Certainty::Possible => 2,
        Certainty::Unconfirmed => 3,
        Certainty::Denied => 4,
    }
}

/// Puts a speaker's links under a scope. A speaker already in the scope ("Bloomberg notes
/// that ..." under "according to Bloomberg") cuts the scope back to that point, since a
/// source does not relay itself.
fn nest(scope: &[Draft], inner: Vec<Draft>) -> Vec<Draft> {
    if inner.is_empty() {
        return scope.to_vec();
    }
    // "Bloomberg notes that it could not confirm": the same source twice is one link, the
    // outer one, which carries the cue as written.
    if inner.len() == 1 && scope.last().is_some_and(|d| d.entity == inner[0].entity) {
        return scope.to_vec();
    }
    let cut = scope
        .iter()
        .position(|d| inner.iter().any(|i| i.entity == d.entity))
        .unwrap_or(scope.len());
    let mut out: Vec<Draft> = scope[..cut].to_vec();
    out.extend(inner);
    out
}

/// Decides which paragraphs are the headline, subheadings and captions.
fn classify_paragraphs(
    lx: &Lexicon,
    text: &str,
    tokens: &Tokens,
    paras: &[Paragraph],
    meta: &ArticleMeta,
    part: Part,
) -> Vec<ParaKind> {
    let mut kinds = Vec::with_capacity(paras.len());
    for (i, p) in paras.iter().enumerate() {
        let body = &text[p.start..p.end];
        let words = (p.t0..p.t1)
            .filter(|&k| tokens.toks[k].kind == TokKind::Word)
            .count();
        // Only the opening of a paragraph can mark it as a note; a caption is short.
        let head_len = body.char_indices().nth(24).map_or(body.len(), |(i, _)| i);
        let lower = body[..head_len].to_lowercase();
        let last = body.trim_end().chars().last().unwrap_or('.');
        let terminal = matches!(
            last,
            '.' | '!' | '?' | '”' | '"' | ':' | '’' | '»' | ')' | ';' | ','
        );
        // Editors' notes and disclosures are the page speaking, not the story.
        let note = [
            "editor’s note",
            "editor's note",
            "editors’ note",
            "editors' note",
            "disclosure:",
            "correction:",
        ]
        .iter()
        .any(|m| lower.starts_with(m));
        let kind = if note || words < 30 && lx.caption_marks.is_match(body) {
            ParaKind::Caption
        } else if i == 0
            && part.first
            && (paras.len() > 1 || !part.last)
            && (!terminal
                || meta
                    .title
                    .as_deref()
                    .is_some_and(|t| t.trim() == body.trim()))
        {
            ParaKind::Headline
        } else if i > 0
            && (i + 1 < paras.len() || !part.last)
            && !terminal
            && words <= 16
            && tokens.toks[p.t0].kind != TokKind::QuoteOpen
        {
            ParaKind::Subheading
        } else {
            ParaKind::Body
        };
        kinds.push(kind);
    }
    kinds
}

#[cfg(test)]
mod tests;
