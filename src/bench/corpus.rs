//! A seeded synthetic news corpus for benchmarks and load tests: `claimtrail gen-corpus`.
//!
//! Modelled on atuin's search-bench corpus: a size knob and a seed, and the same seed gives
//! the same bytes on every machine. The generator owns its PRNG (splitmix64, a dozen lines)
//! rather than borrowing `rand`'s `StdRng`, whose algorithm may change between versions and
//! would silently change the corpus a recorded benchmark was run on. No clock, no entropy.
//!
//! What an article looks like: 2–8 KB of paragraphs, a headline, one of [`OUTLETS`] as its
//! publisher, a date in 2024–2025, filler prose drawn from a Zipf-ranked vocabulary (common
//! news words first, then a long tail of invented words, so some query words are frequent
//! and most are rare), and the attribution patterns the extractor handles: quotes with
//! "told", "X said", "according to X", records reviewed by an outlet, people familiar with
//! the matter, "citing", "in a statement", hedges ("reportedly", "allegedly") and
//! disclaimers ("could not independently verify"). Every person is fictional: a first name
//! and a surname from invented lists, a few hundred of them.
//!
//! Articles are written as JSON Lines shards of [`SHARD_ARTICLES`] articles
//! (`shard-00000.jsonl`, ...), which `claimtrail ingest DIR` reads as it is, so 100k
//! articles are a few hundred files rather than 100k.

use crate::model::ArticleMeta;
use crate::read::{Document, Origin};
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Articles per JSONL shard.
pub const SHARD_ARTICLES: usize = 1000;

/// The fictional outlets articles are published by and cite (30 of them). Every name ends
/// in a masthead word, as real outlet names do.
pub const OUTLETS: &[&str] = &[
    "Harbour Ledger",
    "Northgate Herald",
    "Valdoria Times",
    "Coastline Wire",
    "Danube Morning Post",
    "Selvik Gazette",
    "Ostrenia Daily",
    "Meridian Post",
    "Redstone Courier",
    "Midland Chronicle",
    "Baltane Observer",
    "Port Isla Times",
    "Kestrel Tribune",
    "Eastfold Journal",
    "Carrow Standard",
    "Lindmark Express",
    "Harwick Review",
    "Westmere Dispatch",
    "Varnholm Examiner",
    "Aldercross Globe",
    "Sundby Mail",
    "Ravensmoor Inquirer",
    "Tarrin Independent",
    "Brightwater News",
    "Elsmere Telegraph",
    "Greyhaven Mirror",
    "Quillon Wire",
    "Fenmarch Herald",
    "Orlov Daily",
    "Stellan Post",
];

const FIRST_NAMES: &[&str] = &[
    "Anton", "Lena", "Marek", "Irena", "Dominik", "Sofia", "Lukas", "Mira", "Teodor", "Katya",
    "Jonas", "Elin", "Pavel", "Nadia", "Viktor", "Hanna", "Oskar", "Vera", "Emil", "Ilona",
    "Tomas", "Greta", "Stefan", "Dana", "Milan",
];

const SURNAMES: &[&str] = &[
    "Reiss",
    "Voss",
    "Havel",
    "Kostova",
    "Brenner",
    "Malik",
    "Rondel",
    "Hollis",
    "Pike",
    "Varga",
    "Lindqvist",
    "Novak",
    "Sorensen",
    "Petrov",
    "Andersen",
    "Kowal",
    "Mertens",
    "Halloran",
    "Dragan",
    "Ekholm",
    "Falk",
    "Grunwald",
    "Ibsen",
    "Jaric",
    "Kessler",
];

const TITLES: &[&str] = &[
    "Finance Minister",
    "Interior Minister",
    "Deputy Foreign Minister",
    "spokesman",
    "chief executive",
    "Mayor",
    "Governor",
    "Senator",
    "prosecutor",
    "union leader",
];

const ORGANIZATIONS: &[&str] = &[
    "the Finance Ministry",
    "the Interior Ministry",
    "the State Department",
    "the central bank",
    "the port authority",
    "the Health Ministry",
    "the navy",
    "the city council",
];

const DOCUMENTS: &[&str] = &[
    "a record",
    "minutes of the meeting",
    "an internal memo",
    "a letter",
    "a draft report",
    "a recording of the call",
];

const ANONYMOUS: &[&str] = &[
    "people familiar with the matter",
    "two people familiar with the talks",
    "a senior official",
    "sources close to the negotiations",
];

const HEDGES: &[&str] = &["reportedly", "allegedly", "apparently"];

/// The most frequent words of news prose, most frequent first: the head of the Zipf ranking.
/// The tail is invented words (see [`Vocabulary`]).
const COMMON: &[&str] = &[
    "government",
    "year",
    "plan",
    "officials",
    "minister",
    "company",
    "million",
    "week",
    "report",
    "talks",
    "deal",
    "country",
    "people",
    "city",
    "state",
    "police",
    "court",
    "contract",
    "budget",
    "election",
    "ministry",
    "port",
    "workers",
    "union",
    "bank",
    "market",
    "prices",
    "energy",
    "grain",
    "ships",
    "border",
    "security",
    "agreement",
    "payment",
    "investigation",
    "sanctions",
    "oil",
    "gas",
    "strike",
    "rail",
    "flood",
    "barrier",
    "drone",
    "video",
    "insurer",
    "lease",
    "terminal",
    "hospital",
    "school",
    "tax",
    "loan",
    "fund",
    "project",
    "council",
    "board",
    "meeting",
    "proposal",
    "vote",
    "parliament",
    "party",
    "leader",
    "envoy",
    "peace",
    "army",
    "navy",
    "coast",
    "river",
    "bridge",
    "road",
    "airport",
    "factory",
    "mine",
    "farmers",
    "exports",
    "imports",
    "tariffs",
    "inflation",
    "rates",
    "debt",
    "audit",
    "records",
    "documents",
    "emails",
    "witnesses",
    "lawyers",
    "judge",
    "ruling",
    "appeal",
    "protest",
    "crowd",
    "storm",
    "water",
    "power",
    "network",
    "data",
    "software",
    "license",
    "permit",
    "inspection",
    "safety",
    "risk",
    "warning",
    "notice",
    "schedule",
    "delay",
    "cost",
    "spending",
    "revenue",
    "profit",
    "losses",
    "shares",
    "investors",
    "shipping",
    "cargo",
    "tankers",
    "fleet",
    "crew",
    "harbour",
    "customs",
    "quarter",
    "region",
    "province",
    "capital",
    "district",
    "village",
    "residents",
    "families",
    "children",
    "teachers",
    "doctors",
    "patients",
    "nurses",
    "pension",
    "housing",
    "rent",
    "wages",
    "jobs",
    "unemployment",
    "growth",
    "recession",
    "reform",
    "policy",
    "law",
    "regulator",
    "commission",
    "committee",
    "hearing",
    "testimony",
    "evidence",
    "allegations",
    "fraud",
    "bribes",
    "corruption",
    "scandal",
    "resignation",
    "successor",
    "campaign",
    "polls",
    "voters",
    "coalition",
    "opposition",
    "cabinet",
    "decree",
    "veto",
    "treaty",
    "summit",
    "delegation",
    "ceasefire",
    "negotiations",
    "framework",
    "timeline",
    "deadline",
];

/// Content clauses: what claims say. `{w}` is a vocabulary word, `{n}` a number, `{p}` a
/// person, `{o}` an organisation.
const CLAUSES: &[&str] = &[
    "the {w} would be delayed until the {w} was approved",
    "{o} had known about the {w} for at least {n} weeks",
    "the {w} cost {n} million more than the {w} allowed",
    "{p} had met the {w} lawyers three times this year",
    "the {w} and the {w} were never discussed at the {w}",
    "nobody at {o} had been told about the {w}",
    "the {w} was signed before the {w} had been checked",
    "{n} {w} had been moved out of the {w} without a {w}",
    "{o} planned to cut the {w} by {n} percent",
    "the {w} of the {w} was not safe for the {w}",
];

/// A seeded PRNG: splitmix64 (Steele, Lea and Flood, 2014). Small, fast, and fixed forever.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The vocabulary, ranked: [`COMMON`] then invented words, drawn with probability
/// proportional to 1/rank (Zipf, s = 1).
pub struct Vocabulary {
    words: Vec<String>,
    /// Cumulative weights, for drawing by binary search.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// `COMMON` and 6,000 invented words from syllables (fixed: the same for every seed).
    pub fn new() -> Vocabulary {
        const SYLLABLES: &[&str] = &[
            "bar", "vel", "ton", "mar", "is", "ka", "lo", "dren", "sul", "fi", "gor", "an", "tre",
            "mo", "vik", "ul", "sa", "nor", "pel", "ri",
        ];
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut rng = Rng::new(0x005E_ED0F_C1A1_u64);
        while words.len() < COMMON.len() + 6000 {
            let n = 2 + rng.below(3);
            let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            if !words.contains(&w) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 1.0);
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    pub fn draw(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }

    /// Every word, most frequent first.
    pub fn words(&self) -> &[String] {
        &self.words
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

/// The article `i` of the corpus of `seed`: depends on nothing else, so a corpus can be
/// generated in any order, or in part.
pub fn article(vocab: &Vocabulary, seed: u64, i: u64) -> Document {
    let mut rng = Rng::new(seed ^ i.wrapping_mul(0xA24B_AED4_963E_E407));
    let outlet = *rng.pick(OUTLETS);
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date");
    let published = start + chrono::Days::new(rng.below(731) as u64);
    // Each article has its own small cast, so names recur within it as in real coverage.
    let cast: Vec<String> = (0..4).map(|_| person(&mut rng)).collect();
    let mut w = Writer {
        rng,
        vocab,
        cast,
        outlet,
    };
    let title = format!(
        "{} {} {} over {}",
        capitalise(w.word()),
        w.word(),
        w.word(),
        w.word()
    );
    let target = 2048 + w.rng.below(8192 - 2048 - 700);
    let mut text = String::new();
    while text.len() < target {
        let p = w.paragraph();
        if text.len() + p.len() + 1 > 8192 {
            break;
        }
        text.push_str(&p);
        text.push('\n');
    }
    let slug = title.to_lowercase().replace(' ', "-");
    Document {
        meta: ArticleMeta {
            title: Some(title),
            outlet: Some(outlet.to_string()),
            published: Some(published),
            url: Some(format!(
                "https://example.org/{}/{}/{slug}-{i}",
                outlet.to_lowercase().replace(' ', "-"),
                published.format("%Y/%m/%d")
            )),
            author: None,
            language: Some("en".into()),
        },
        text,
        origin: Origin {
            path: PathBuf::from(format!("gen:{seed}"))
                .join(format!("{}", i / SHARD_ARTICLES as u64)),
            line: Some((i % SHARD_ARTICLES as u64) as usize + 1),
            feed_entry: None,
        },
    }
}

/// One of the 625 fictional people.
fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

struct Writer<'a> {
    rng: Rng,
    vocab: &'a Vocabulary,
    cast: Vec<String>,
    outlet: &'static str,
}

impl<'a> Writer<'a> {
    fn word(&mut self) -> &'a str {
        let vocab = self.vocab;
        vocab.draw(&mut self.rng)
    }

    fn who(&mut self) -> String {
        self.rng.pick(&self.cast).clone()
    }

    /// A content clause, its slots filled.
    fn clause(&mut self) -> String {
        let template = *self.rng.pick(CLAUSES);
        let mut out = String::with_capacity(template.len() + 40);
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let slot = &rest[at + 1..at + 2];
            match slot {
                "w" => {
                    let w = self.vocab.draw(&mut self.rng).to_string();
                    out.push_str(&w);
                }
                "n" => out.push_str(&(2 + self.rng.below(98)).to_string()),
                "p" => {
                    let p = self.who();
                    out.push_str(&p);
                }
                _ => out.push_str(self.rng.pick::<&str>(ORGANIZATIONS)),
            }
            rest = &rest[at + 3..];
        }
        out.push_str(rest);
        out
    }

    /// A sentence of plain reporting with no attribution: Zipf words.
    fn filler(&mut self) -> String {
        let n = 10 + self.rng.below(14);
        let mut words: Vec<String> = (0..n).map(|_| self.word().to_string()).collect();
        words[0] = format!("The {}", words[0]);
        format!("{}.", words.join(" "))
    }

    /// One attributed sentence, in one of the patterns the extractor handles.
    fn attributed(&mut self) -> String {
        let p = self.who();
        let c = self.clause();
        let other = *self.rng.pick(OUTLETS);
        let hedge = *self.rng.pick(HEDGES);
        match self.rng.below(12) {
            0 => format!("“{},” {p} told the {}.", capitalise(&c), self.outlet),
            1 => format!("“{},” {p} said.", capitalise(&c)),
            2 => format!("{p} said {c}."),
            3 => format!("According to the {other}, {c}."),
            4 => format!(
                "According to {} reviewed by the {other}, {c}.",
                self.rng.pick(DOCUMENTS)
            ),
            5 => format!(
                "{}, according to {}.",
                capitalise(&c),
                self.rng.pick(ANONYMOUS)
            ),
            6 => format!(
                "{} told the {} that {c}.",
                capitalise(self.rng.pick::<&str>(ANONYMOUS)),
                self.outlet
            ),
            7 => format!(
                "The {other} reported, citing {}, that {c}.",
                self.rng.pick(ANONYMOUS)
            ),
            8 => {
                let title = *self.rng.pick(TITLES);
                format!("{} {p} said in a statement that {c}.", capitalise(title))
            }
            9 => format!("{p} {hedge} told colleagues that {c}, the {other} reported."),
            10 => format!(
                "{p} denied that {c}, and the {} could not independently verify the account.",
                self.outlet
            ),
            _ => format!(
                "“{},” {p} told {} in an interview, adding that the {} was {hedge} under review.",
                capitalise(&c),
                self.who(),
                self.vocab.draw(&mut self.rng)
            ),
        }
    }

    fn paragraph(&mut self) -> String {
        let n = 2 + self.rng.below(3);
        let mut sentences = Vec::with_capacity(n);
        for _ in 0..n {
            // One sentence in six attributed: about as dense as wire copy, and a claim count
            // per article near the (~3 per article at 100k articles).
            let s = if self.rng.chance(0.16) {
                self.attributed()
            } else {
                self.filler()
            };
            sentences.push(s);
        }
        sentences.join(" ")
    }
}

/// Writes the corpus of `articles` articles and `seed` into `dir` as JSONL shards and
/// returns the files written and the bytes of article text.
pub fn write_corpus(dir: &Path, articles: u64, seed: u64) -> std::io::Result<(Vec<PathBuf>, u64)> {
    std::fs::create_dir_all(dir)?;
    let vocab = Vocabulary::new();
    let mut files = Vec::new();
    let mut text_bytes = 0u64;
    let mut i = 0u64;
    while i < articles {
        let path = dir.join(format!("shard-{:05}.jsonl", i / SHARD_ARTICLES as u64));
        let end = (i + SHARD_ARTICLES as u64).min(articles);
        // Whole shards only: a killed run leaves no shard cut short for ingest to read.
        crate::atomic::write_file(&path, true, |out| {
            while i < end {
                let doc = article(&vocab, seed, i);
                text_bytes += doc.text.len() as u64;
                serde_json::to_writer(&mut *out, &json_line(&doc))?;
                out.write_all(b"\n")?;
                i += 1;
            }
            Ok(())
        })?;
        files.push(path);
    }
    Ok((files, text_bytes))
}

/// The JSON object of one article, fields in a fixed order (same seed, same bytes).
fn json_line(doc: &Document) -> serde_json::Value {
    let m = &doc.meta;
    serde_json::json!({
        "title": m.title,
        "outlet": m.outlet,
        "published": m.published.map(|d| d.format("%Y-%m-%d").to_string()),
        "url": m.url,
        "language": m.language,
        "text": doc.text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_article_and_another_seed_another() {
        let v = Vocabulary::new();
        assert_eq!(article(&v, 7, 3), article(&v, 7, 3));
        assert_ne!(article(&v, 7, 3).text, article(&v, 8, 3).text);
    }

    #[test]
    fn articles_are_2_to_8_kb() {
        let v = Vocabulary::new();
        for i in 0..200 {
            let n = article(&v, 1, i).text.len();
            assert!((1500..=8192).contains(&n), "article {i}: {n} bytes");
        }
    }

    #[test]
    fn the_vocabulary_is_zipf_like() {
        let v = Vocabulary::new();
        let mut rng = Rng::new(1);
        let first = &v.words()[0];
        let hits = (0..10_000).filter(|_| v.draw(&mut rng) == first).count();
        // 1/H(6,190) ≈ 11% for rank 1.
        assert!((800..1500).contains(&hits), "{hits}");
    }
}
