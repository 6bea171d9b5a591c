//! Ranking fact-checked claims for a text: BM25 over the words of every fact-check, then a
//! decision, for the claims claimtrail stores, whether a candidate says the same thing.
//!
//! - **Words** (`terms`): the text's letters and digits, lower-cased, a possessive `'s`
//!   dropped, stop words left out, stemmed with the Snowball English stemmer the search
//!   index uses. Social-media text is cleaned first (`clean`): links dropped, `#CamelCase`
//!   and `@CamelCase` split into words, and the trailing credit of an embedded tweet
//!   ("— Name (@handle) Month D, YYYY") cut off, its name kept as words: a claim is often
//!   checked under the name of who made it. Measured on CLEF-2020 Task 2 train (800 tweets
//!   against 10,375 Snopes claims): plain BM25 on the raw words MAP@5 0.835; splitting tags
//!   and keeping the credited name 0.857 (dev: 0.779 → 0.805).
//! - **Ranking** (`Matcher::rank`): BM25 (k1 1.2, b 0.75, Lucene's idf) of the query's
//!   distinct words over each fact-check's words. Tuning k1 and b on train moved MAP@5 by
//!   under 0.003; a field for the review's title, word pairs and a re-ranking on
//!   idf-weighted coverage, numbers and capitalised names (a pairwise logistic model on
//!   train over BM25's top 50) gained nothing on dev, so none is kept.
//! - **Same claim** (`Matcher::same_claim`): BM25 scores do not compare across queries,
//!   so storing "already checked" needs a measure that does: the idf-weighted Dice overlap
//!   of the two word sets, at least [`SAME_CLAIM`], with the same numbers (a number one
//!   side has and the other lacks is another claim) and the same polarity (a denial of a
//!   checked claim is not the checked claim). On CLEF train's top-5 candidates, Dice ≥ 0.5
//!   keeps 131 of the 731 true pairs and 37 of 3,269 false ones (78% precision) before the
//!   number and polarity checks: it is meant to be sure, not complete; `claimtrail match`
//!   shows the ranked candidates for a person to judge.
//! - **Meaning** (`Matcher::with_vectors`, `Matcher::rank_many`; on with `--embeddings`):
//!   each fact-check's sentence vectors (its claim's and, when it differs, its title's; see
//!   [`crate::embed`]) against the text's. Every fact-check is then a candidate, scored
//!   `SEMANTIC_WEIGHT · cosine + (1 − SEMANTIC_WEIGHT) · BM25 / the query's best BM25`, its
//!   cosine the best of its vectors'. The weight was chosen on CLEF train (0.6 to 0.85
//!   tried; MAP@5 0.898 at 0.75, recall@5 0.956); dev, scored with it, gives MAP@5 0.869 and
//!   recall@5 0.939 (BM25 alone: 0.815 / 0.868). Meaning never makes a candidate the
//!   `same` claim: that stays the overlap's decision, so what is stored as "already
//!   checked" does not depend on whether a model was given.

use regex::Regex;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The idf-weighted Dice overlap from which two texts say the same claim.
pub const SAME_CLAIM: f64 = 0.5;

/// The weight of the embedding cosine in the fused score; the rest is BM25 divided by the
/// query's best BM25 score. Chosen on CLEF-2020 Task 2 train (0.6 to 0.85 tried).
pub const SEMANTIC_WEIGHT: f64 = 0.75;

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Words too common to count (a `match`, not a list searched per word: this runs on every
/// word of every claim grouped into stories).
#[rustfmt::skip]
fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "a" | "an" | "the" | "of" | "to" | "in" | "on" | "for" | "and" | "or" | "is" | "are" |
            "was" | "were" | "be" | "been" | "being" | "by" | "with" | "at" | "from" | "as" |
            "that" | "this" | "it" | "its" | "into" | "than" | "then" | "there" | "their" |
            "they" | "he" | "she" | "his" | "her" | "we" | "our" | "you" | "your" | "i" | "me" |
            "my" | "not" | "no" | "do" | "does" | "did" | "has" | "have" | "had" | "will" |
            "would" | "can" | "could" | "should" | "may" | "might" | "must" | "so" | "if" |
            "but" | "about" | "over" | "after" | "before" | "also" | "just"
    )
}

/// Words that turn a claim into its denial; compared, not matched on (they are stop words
/// or too common to count).
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "denied", "denies", "deny", "false", "n't",
];

static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*[—–-]+\s*([^—–(]*?)\s*\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$").expect("regex")
});
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://\S+|pic\.twitter\.com/\S+").expect("regex"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[#@](\w+)").expect("regex"));
static CAMEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Z]+[a-z0-9]*|[a-z0-9]+").expect("regex"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[\d,.]*").expect("regex"));

/// Social-media text made into words: see the module's documentation.
pub fn clean(text: &str) -> String {
    let (body, credit) = match CREDIT.captures(text) {
        Some(c) => (
            &text[..c.get(0).map_or(text.len(), |m| m.start())],
            c.get(1).map(|m| m.as_str()),
        ),
        None => (text, None),
    };
    let body = LINK.replace_all(body, " ");
    let body = TAG.replace_all(&body, |c: &regex::Captures| {
        let w = &c[1];
        let parts: Vec<&str> = CAMEL.find_iter(w).map(|m| m.as_str()).collect();
        format!(" {} ", parts.join(" "))
    });
    match credit {
        Some(name) => format!("{body} {name}"),
        None => body.into_owned(),
    }
}

/// The words of a text as `[A-Za-z0-9]+(?:['’][a-z]+)?` finds them, leftmost first: a
/// run of ASCII letters and digits, with an apostrophe and the lower-case letters after it
/// ("don't", "Trump's"). Scanned by hand: the regular expression was a tenth of grouping
/// claims into stories (a test holds the two to the same words).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let apostrophe = if b.get(i) == Some(&b'\'') {
            1
        } else if b[i..].starts_with("’".as_bytes()) {
            3
        } else {
            0
        };
        if apostrophe > 0 {
            let mut j = i + apostrophe;
            while j < b.len() && b[j].is_ascii_lowercase() {
                j += 1;
            }
            if j > i + apostrophe {
                i = j;
            }
        }
        Some(&text[start..i])
    })
}

/// The words of `text` as BM25 counts them, with a stem memo.
#[derive(Default)]
pub struct Terms {
    stemmer: Option<frostem::Stemmer>,
    memo: FxHashMap<String, String>,
    /// The word being stemmed, lower-cased (reused: most words are in the memo).
    word: String,
}

impl Terms {
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each(text, |stem| out.push(stem.to_string()));
        out
    }

    /// Calls `f` with the stem of every word of `text` that counts, in order.
    pub fn each(&mut self, text: &str, mut f: impl FnMut(&str)) {
        let stemmer = self
            .stemmer
            .get_or_insert_with(|| frostem::Stemmer::new(frostem::Algorithm::English));
        for m in words(text) {
            // ASCII but for the curly apostrophe: lower-cased byte by byte.
            let w = &mut self.word;
            w.clear();
            for c in m.chars() {
                w.push(if c == '’' {
                    '\''
                } else {
                    c.to_ascii_lowercase()
                });
            }
            if w.ends_with("'s") {
                w.truncate(w.len() - 2);
            }
            if is_stop(w) {
                continue;
            }
            match self.memo.get(w.as_str()) {
                Some(stem) => f(stem),
                None => {
                    let stem = stemmer.stem(w).into_owned();
                    f(&stem);
                    self.memo.insert(w.clone(), stem);
                }
            }
        }
    }
}

/// The figures of a text, sorted and distinct, without thousands separators ("49%" and
/// "49 percent" both give "49").
pub fn numbers(text: &str) -> Vec<String> {
    let mut n: Vec<String> = NUMBER
        .find_iter(text)
        .map(|m| m.as_str().trim_end_matches(['.', ',']).replace(',', ""))
        .collect();
    n.sort();
    n.dedup();
    n
}

/// Whether the words of a text deny what it says.
pub fn negated(text: &str) -> bool {
    let lower = text.to_lowercase();
    words(&lower).any(|w| NEGATIONS.contains(&w) || w.ends_with("n't"))
}

struct Doc {
    len: u32,
    terms: Vec<u32>,
    numbers: Vec<String>,
    negated: bool,
}

/// BM25 over a fixed set of fact-checked texts, each known by the caller's id.
pub struct Matcher<Id> {
    ids: Vec<Id>,
    docs: Vec<Doc>,
    vocab: FxHashMap<String, u32>,
    /// Term → (document, frequency).
    postings: Vec<Vec<(u32, u32)>>,
    idf: Vec<f64>,
    avg_len: f64,
    terms: Terms,
    /// Each document's sentence vectors ([`Matcher::with_vectors`]), flat, with the rows
    /// (vectors) of each document's; empty when matching is by words alone.
    vectors: Vec<f32>,
    vector_ranges: Vec<(u32, u32)>,
    dims: usize,
}

/// A text to rank fact-checks for ([`Matcher::rank_many`]).
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    /// Denied whatever its words say (see [`Matcher::with_polarity`]).
    pub denied: bool,
    /// Its sentence vector, if ranking by meaning too.
    pub vector: Option<&'a [f32]>,
}

/// One ranked fact-check.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<Id> {
    pub id: Id,
    /// BM25, or with vectors the fused score (see the module's documentation).
    pub score: f64,
    /// The best cosine of the text's vector with the fact-check's, when ranked with vectors.
    pub cosine: Option<f64>,
    /// Whether it says the same claim as the text ([`SAME_CLAIM`], numbers, polarity).
    pub same: bool,
    pub overlap: f64,
}

impl<Id: Clone + Send + Sync> Matcher<Id> {
    pub fn new<'a>(docs: impl IntoIterator<Item = (Id, &'a str)>) -> Matcher<Id> {
        Matcher::with_polarity(docs.into_iter().map(|(id, text)| (id, text, false)))
    }

    /// Like [`Matcher::new`], each text with whether it is denied though its words do
    /// not say so: a stored claim keeps the content of a denial ("X denied that …") as
    /// its text and the denial as its certainty.
    pub fn with_polarity<'a>(docs: impl IntoIterator<Item = (Id, &'a str, bool)>) -> Matcher<Id> {
        let mut m = Matcher {
            ids: Vec::new(),
            docs: Vec::new(),
            vocab: FxHashMap::default(),
            postings: Vec::new(),
            idf: Vec::new(),
            avg_len: 0.0,
            terms: Terms::default(),
            vectors: Vec::new(),
            vector_ranges: Vec::new(),
            dims: 0,
        };
        let mut total = 0u64;
        for (id, text, denied) in docs {
            let d = m.docs.len() as u32;
            let words = m.terms.terms(text);
            let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
            for w in &words {
                let next = m.vocab.len() as u32;
                let t = *m.vocab.entry(w.clone()).or_insert(next);
                if t as usize == m.postings.len() {
                    m.postings.push(Vec::new());
                }
                *tf.entry(t).or_default() += 1;
            }
            let mut terms: Vec<u32> = tf.keys().copied().collect();
            terms.sort_unstable();
            for (&t, &f) in &tf {
                m.postings[t as usize].push((d, f));
            }
            total += words.len() as u64;
            m.docs.push(Doc {
                len: words.len() as u32,
                terms,
                numbers: numbers(text),
                negated: denied || negated(text),
            });
            m.ids.push(id);
        }
        let n = m.docs.len() as f64;
        m.idf = m
            .postings
            .iter()
            .map(|p| (1.0 + (n - p.len() as f64 + 0.5) / (p.len() as f64 + 0.5)).ln())
            .collect();
        m.avg_len = if m.docs.is_empty() {
            1.0
        } else {
            total as f64 / n
        };
        m
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Gives every document its sentence vectors (`vectors[d]`: one or more unit vectors of
    /// `dims` values, one after the other: a fact-check's claim and its title), so that
    /// [`Matcher::rank_with_vector`] can rank by meaning as well as words.
    pub fn with_vectors(mut self, dims: usize, vectors: Vec<Vec<f32>>) -> Result<Self, String> {
        if vectors.len() != self.docs.len() {
            return Err(format!(
                "{} vectors for {} documents",
                vectors.len(),
                self.docs.len()
            ));
        }
        if let Some(bad) = vectors
            .iter()
            .position(|v| dims == 0 || v.is_empty() || v.len() % dims != 0)
        {
            return Err(format!(
                "document {bad}: {} values is no whole number of {dims}-dimensional vectors",
                vectors[bad].len()
            ));
        }
        self.dims = dims;
        self.vector_ranges = Vec::with_capacity(vectors.len());
        self.vectors = Vec::with_capacity(vectors.iter().map(Vec::len).sum());
        for v in vectors {
            let start = (self.vectors.len() / dims) as u32;
            self.vectors.extend_from_slice(&v);
            self.vector_ranges
                .push((start, (self.vectors.len() / dims) as u32));
        }
        Ok(self)
    }

    /// The `limit` best fact-checks for `text`, best first (ties by insertion order).
    pub fn rank(&mut self, text: &str, limit: usize) -> Vec<Ranked<Id>> {
        self.rank_claim(text, false, limit)
    }

    /// [`Matcher::rank`] for a text that is `denied` whatever its words say (see
    /// [`Matcher::with_polarity`]).
    pub fn rank_claim(&mut self, text: &str, denied: bool, limit: usize) -> Vec<Ranked<Id>> {
        self.rank_with_vector(text, denied, None, limit)
    }

    /// [`Matcher::rank_claim`] with the text's sentence vector (of the model that made the
    /// documents' vectors): see [`Matcher::rank_many`].
    pub fn rank_with_vector(
        &mut self,
        text: &str,
        denied: bool,
        vector: Option<&[f32]>,
        limit: usize,
    ) -> Vec<Ranked<Id>> {
        self.rank_many(
            &[Query {
                text,
                denied,
                vector,
            }],
            limit,
        )
        .pop()
        .unwrap_or_default()
    }

    /// The `limit` best fact-checks for each query. A query with a sentence vector (of the
    /// model that made the documents' vectors) scores every document by
    /// `SEMANTIC_WEIGHT · cosine + (1 − SEMANTIC_WEIGHT) · BM25 / best BM25`, its cosine the
    /// best of its vectors', so a paraphrase sharing no word can still rank; without one, or
    /// when the documents have none, the ranking is BM25's. Queries are taken in blocks so
    /// that one matrix product gives a block's cosines ([`crate::embed::similarities`]).
    pub fn rank_many<'a>(&mut self, queries: &[Query<'a>], limit: usize) -> Vec<Vec<Ranked<Id>>> {
        const BLOCK: usize = 64;
        // Stemming goes through the shared memo, so it is done here, one query after the
        // other; the ranking itself only reads the index and runs on every core.
        let prepared: Vec<(String, Vec<String>)> = queries
            .iter()
            .map(|q| {
                let cleaned = clean(q.text);
                let words = self.terms.terms(&cleaned);
                (cleaned, words)
            })
            .collect();
        let this = &*self;
        let dims = this.dims;
        let usable = move |q: &Query<'a>| q.vector.filter(|v| dims > 0 && v.len() == dims);
        let rows = this.vectors.len().checked_div(dims).unwrap_or(0);
        // Asked only for many queries: on Linux it reads the cgroup's CPU quota from files,
        // too dear for the one query a claim at ingest is.
        let threads = if queries.len() > 1 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let mut out = Vec::with_capacity(queries.len());
        for (block, prepared) in queries.chunks(BLOCK).zip(prepared.chunks(BLOCK)) {
            let flat: Vec<f32> = block.iter().filter_map(usable).flatten().copied().collect();
            let sims = crate::embed::similarities(&flat, &this.vectors, dims);
            let mut next = 0;
            let jobs: Vec<_> = block
                .iter()
                .zip(prepared)
                .map(|(q, (cleaned, words))| {
                    let row = usable(q).map(|_| {
                        next += 1;
                        &sims[(next - 1) * rows..next * rows]
                    });
                    (cleaned.as_str(), words.as_slice(), q.denied, row)
                })
                .collect();
            let run = |(cleaned, words, denied, row): &(&str, &[String], bool, Option<&[f32]>)| {
                this.rank_one(cleaned, words, *denied, *row, limit)
            };
            if threads <= 1 || jobs.len() <= 1 {
                out.extend(jobs.iter().map(run));
                continue;
            }
            let per = jobs.len().div_ceil(threads);
            std::thread::scope(|s| {
                let handles: Vec<_> = jobs
                    .chunks(per)
                    .map(|chunk| s.spawn(move || chunk.iter().map(run).collect::<Vec<_>>()))
                    .collect();
                for h in handles {
                    out.extend(h.join().expect("a ranking thread panicked"));
                }
            });
        }
        out
    }

    /// One query (cleaned, and its stemmed words), with the cosine of its vector with every
    /// document vector when it has one.
    fn rank_one(
        &self,
        cleaned: &str,
        words: &[String],
        denied: bool,
        cosines: Option<&[f32]>,
        limit: usize,
    ) -> Vec<Ranked<Id>> {
        let mut query: Vec<u32> = words
            .iter()
            .filter_map(|w| self.vocab.get(w).copied())
            .collect();
        query.sort_unstable();
        query.dedup();
        let mut scores: FxHashMap<u32, f64> = FxHashMap::default();
        for &t in &query {
            let idf = self.idf[t as usize];
            for &(d, f) in &self.postings[t as usize] {
                let f = f64::from(f);
                let norm = K1 * (1.0 - B + B * f64::from(self.docs[d as usize].len) / self.avg_len);
                *scores.entry(d).or_default() += idf * f * (K1 + 1.0) / (f + norm);
            }
        }
        let mut ranked: Vec<(u32, f64, Option<f64>)> = match cosines {
            None => scores.into_iter().map(|(d, s)| (d, s, None)).collect(),
            Some(cosines) => {
                let best = scores.values().copied().fold(0.0, f64::max);
                self.vector_ranges
                    .iter()
                    .enumerate()
                    .map(|(d, &(start, end))| {
                        let d = d as u32;
                        let cosine = cosines[start as usize..end as usize]
                            .iter()
                            .copied()
                            .fold(f32::NEG_INFINITY, f32::max);
                        let cosine = f64::from(cosine);
                        let words = match scores.get(&d) {
                            Some(s) if best > 0.0 => s / best,
                            _ => 0.0,
                        };
                        let fused = SEMANTIC_WEIGHT * cosine + (1.0 - SEMANTIC_WEIGHT) * words;
                        (d, fused, Some(cosine))
                    })
                    .collect()
            }
        };
        let order = |a: &(u32, f64, Option<f64>), b: &(u32, f64, Option<f64>)| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
        };
        // With vectors every document is a candidate: only the best `limit` are sorted.
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        // The query's weight counts its words the index does not know too, at the highest
        // idf: an unknown word is as telling as the rarest known one.
        let unknown = words
            .iter()
            .filter(|w| !self.vocab.contains_key(*w))
            .collect::<rustc_hash::FxHashSet<_>>()
            .len();
        let max_idf = self.idf.iter().copied().fold(0.0, f64::max);
        let q_weight: f64 =
            query.iter().map(|&t| self.idf[t as usize]).sum::<f64>() + unknown as f64 * max_idf;
        let (q_numbers, q_negated) = (numbers(cleaned), denied || negated(cleaned));
        ranked
            .into_iter()
            .map(|(d, score, cosine)| {
                let doc = &self.docs[d as usize];
                let d_weight: f64 = doc.terms.iter().map(|&t| self.idf[t as usize]).sum();
                let common: f64 = doc
                    .terms
                    .iter()
                    .filter(|t| query.binary_search(t).is_ok())
                    .map(|&t| self.idf[t as usize])
                    .sum();
                let overlap = if q_weight + d_weight > 0.0 {
                    2.0 * common / (q_weight + d_weight)
                } else {
                    0.0
                };
                let same =
                    overlap >= SAME_CLAIM && doc.numbers == q_numbers && doc.negated == q_negated;
                Ranked {
                    id: self.ids[d as usize].clone(),
                    score,
                    cosine,
                    same,
                    overlap,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tweet_is_cleaned_to_its_words_and_its_author() {
        assert_eq!(
            clean("DEFUND. #DefundTheCBC now https://t.co/x — Brad Trost (@BradTrostCPC) December 26, 2019")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["DEFUND.", "Defund", "The", "CBC", "now", "Brad", "Trost"]
        );
    }

    #[test]
    fn the_word_scanner_finds_what_the_regular_expression_found() {
        let re = Regex::new(r"[A-Za-z0-9]+(?:['’][a-z]+)?").expect("regex");
        for text in [
            "Trump's aides don't say it; the F.B.I.'s 49% stake, 1,200 jobs",
            "O’Neill’s O'NEILL'S rock'n'roll ’’ '' x' 'y d’ ’a",
            "café naïve 東京 2016年 Zürich—Bern…ok",
            "it'S can’T end'",
            "",
            "’",
            "a’",
        ] {
            let expected: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn terms_are_stemmed_without_stop_words_or_possessives() {
        let mut t = Terms::default();
        assert_eq!(
            t.terms("The company's plans were selling"),
            ["compani", "plan", "sell"]
        );
    }

    fn matcher() -> Matcher<u32> {
        Matcher::new([
            (1, "The company plans to sell its 49% stake in the port."),
            (2, "The ministry denied that fuel prices will rise."),
            (3, "The ministry said fuel prices will rise in March."),
            (
                4,
                "A photograph shows a shark swimming on a flooded highway.",
            ),
        ])
    }

    #[test]
    fn the_reworded_claim_ranks_first_and_is_the_same_claim() {
        let mut m = matcher();
        let r = m.rank("The company intends to sell its 49% holding in the port", 3);
        assert_eq!(r[0].id, 1);
        assert!(r[0].same, "{r:?}");
    }

    #[test]
    fn another_number_or_a_denial_is_not_the_same_claim() {
        let mut m = matcher();
        let r = m.rank("The company plans to sell its 51% stake in the port", 1);
        assert_eq!(r[0].id, 1);
        assert!(!r[0].same, "another number: {r:?}");
        let r = m.rank("The ministry said fuel prices will rise", 2);
        let denial = r.iter().find(|c| c.id == 2).unwrap();
        assert!(!denial.same, "a denial: {r:?}");
    }

    #[test]
    fn a_claim_stored_as_the_content_of_a_denial_is_not_the_claim_it_denies() {
        let mut m =
            Matcher::with_polarity([(1, "The company will sell its stake in the port.", false)]);
        let r = m.rank_claim("the company will sell its stake in the port", true, 1);
        assert_eq!(r[0].id, 1);
        assert!(!r[0].same, "{r:?}");
        let mut m =
            Matcher::with_polarity([(1, "The company will sell its stake in the port.", true)]);
        assert!(!m.rank("The company will sell its stake in the port", 1)[0].same);
        assert!(m.rank_claim("The company will sell its stake in the port", true, 1)[0].same);
    }

    #[test]
    fn a_text_sharing_only_a_subject_is_not_the_same_claim() {
        let mut m = matcher();
        let r = m.rank("The company opened a new office in the port", 1);
        assert_eq!(r[0].id, 1);
        assert!(!r[0].same, "{r:?}");
    }

    #[test]
    fn nothing_in_common_ranks_nothing() {
        let mut m = matcher();
        assert!(m.rank("zebras", 5).is_empty());
        assert!(Matcher::<u32>::new([]).rank("anything", 5).is_empty());
    }

    /// Unit vectors in the plane at `degrees`, for fact-checks whose meaning the test sets.
    fn at(degrees: f32) -> Vec<f32> {
        let r = degrees.to_radians();
        vec![r.cos(), r.sin()]
    }

    #[test]
    fn with_vectors_a_paraphrase_sharing_no_word_ranks_by_its_meaning() {
        let mut m = matcher()
            .with_vectors(
                2,
                vec![at(90.0), at(60.0), at(80.0), [at(170.0), at(5.0)].concat()],
            )
            .unwrap();
        // Without the text's vector, the words alone.
        assert!(m.rank_with_vector("zebras", false, None, 5).is_empty());
        // No word in common: BM25 alone finds nothing.
        assert!(m.rank("zebras", 5).is_empty());
        let query = at(0.0);
        let r = m.rank_with_vector("zebras", false, Some(&query), 2);
        // Fact-check 4's second vector (its title, say) is 5° away: its cosine is that one's.
        assert_eq!(r.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 2]);
        let c = r[0].cosine.unwrap();
        assert!((c - 5f64.to_radians().cos()).abs() < 1e-6, "{r:?}");
        assert!((r[0].score - SEMANTIC_WEIGHT * c).abs() < 1e-6, "{r:?}");
        assert!(!r[0].same, "meaning alone never makes the same claim");
    }

    #[test]
    fn with_vectors_the_words_still_count_and_many_queries_rank_as_one() {
        // Every fact-check equally close in meaning: the words decide.
        let mut m = matcher().with_vectors(2, vec![at(10.0); 4]).unwrap();
        let (a, b) = (at(0.0), at(100.0));
        let text = "The company intends to sell its 49% holding in the port";
        let one = m.rank_with_vector(text, false, Some(&a), 4);
        assert_eq!(one[0].id, 1);
        assert!(one[0].same);
        let queries = [
            Query {
                text,
                denied: false,
                vector: Some(&a),
            },
            Query {
                text: "fuel prices",
                denied: false,
                vector: None,
            },
            Query {
                text: "zebras",
                denied: false,
                vector: Some(&b),
            },
            // A vector of another model's size is ignored, not misread.
            Query {
                text,
                denied: false,
                vector: Some(&[1.0, 0.0, 0.0]),
            },
        ];
        let many = m.rank_many(&queries, 4);
        assert_eq!(many[0], one);
        assert_eq!(many[1], m.rank("fuel prices", 4));
        assert_eq!(many[2].len(), 4);
        assert_eq!(many[3], m.rank(text, 4));
    }

    #[test]
    fn vectors_of_the_wrong_shape_are_refused() {
        assert!(matcher().with_vectors(2, vec![at(0.0); 3]).is_err());
        let mut bad = vec![at(0.0); 4];
        bad[2] = vec![1.0, 0.0, 0.0];
        let e = matcher().with_vectors(2, bad).err().unwrap();
        assert!(e.starts_with("document 2:"), "{e}");
        assert!(matcher().with_vectors(0, vec![Vec::new(); 4]).is_err());
    }
}
