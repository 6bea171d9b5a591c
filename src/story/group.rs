//! Grouping claims into stories incrementally: the claims already in stories are known, and
//! each new claim joins the story of the most similar known claim ([`super::similar`]) or
//! founds a new one. A story appears once per article: a claim does not join a story that
//! already holds a claim of its article (extraction finds both "Halvard plans to sell its
//! stake, according to a memo" and its nested "to sell its stake, according to a memo";
//! the first, in article order, is the appearance). Nothing already grouped moves: a story's id is the id of the claim
//! that founded it, so a later article joining it changes no other claim's story.
//!
//! Candidates come from an in-memory inverted index built once per run (the claims' words
//! to the claims having them): a new claim is compared only with the latest [`COMMON`]
//! claims having one of its [`RARE`] rarest words (every word still counts in the
//! similarity), so a claim costs a bounded amount of work however large the store. No query to the store per claim: the
//! earlier design's BM25 query and reads per claim made ingest several times slower.

use super::similar::{Marks, dice, normalise, same_story};
use crate::factcheck::matcher::Terms;
use rustc_hash::{FxHashMap, FxHashSet};

/// How many of a new claim's rarest words find its candidates.
pub const RARE: usize = 3;

/// How many of the latest claims having a word it finds as candidates.
pub const COMMON: usize = 128;

/// How many of the best candidates (by shared weight) the similarity is computed for.
const CANDIDATES: usize = 8;

struct Member {
    story: i64,
    terms: Vec<u32>,
    marks: Marks,
}

/// What grouping needs of a claim's text, worked out apart from the grouper: its words
/// (stemmed, stop words out, rewordings made one) and its marks (figures, polarity, names).
/// Pure and per text, so a run prepares the next claims on another core while the grouper,
/// which must take them in order, assigns these: regular expressions and stemming were a
/// third of the grouping pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    stems: Vec<String>,
    marks: Marks,
}

/// Prepares one claim's text (`terms` is only a cache of stems: any instance gives the same).
pub fn prepare(terms: &mut Terms, text: &str, denied: bool) -> Prepared {
    let mut stems = terms.terms(text);
    stems.retain_mut(|stem| match normalise(stem) {
        None => false,
        Some(w) if w == stem.as_str() => true,
        Some(w) => {
            *stem = w.to_string();
            true
        }
    });
    Prepared {
        stems,
        marks: Marks::of(text, denied),
    }
}

/// Where a new claim went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Joined {
    pub story: i64,
    /// The claim it joined through and their similarity; `None` for a new story.
    pub through: Option<(i64, f64)>,
}

#[derive(Default)]
pub struct Grouper {
    terms: Terms,
    vocab: FxHashMap<String, u32>,
    /// Term → the members having it.
    postings: Vec<Vec<u32>>,
    members: Vec<Member>,
    claim_ids: Vec<i64>,
    /// (story, article) for every member: the stories each article already appears in.
    appears: FxHashSet<(i64, i64)>,
    /// Per member, the weight it shares with the claim being assigned (zero between).
    scratch: Vec<f64>,
}

impl Grouper {
    pub fn new() -> Grouper {
        Grouper::default()
    }

    /// The ids of a prepared claim's words, new words given the next id.
    fn intern(&mut self, stems: &[String]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::with_capacity(stems.len());
        for w in stems {
            // Looked up before inserting: most words are known, and a key is a copy.
            let t = match self.vocab.get(w.as_str()) {
                Some(&t) => t,
                None => {
                    let t = self.vocab.len() as u32;
                    self.vocab.insert(w.clone(), t);
                    t
                }
            };
            if t as usize == self.postings.len() {
                self.postings.push(Vec::new());
            }
            out.push(t);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn add(&mut self, claim: i64, article: i64, story: i64, terms: Vec<u32>, marks: Marks) {
        self.appears.insert((story, article));
        let m = self.members.len() as u32;
        for &t in &terms {
            self.postings[t as usize].push(m);
        }
        self.members.push(Member {
            story,
            terms,
            marks,
        });
        self.claim_ids.push(claim);
    }

    /// A claim already in `story`: new claims may join it.
    pub fn known(&mut self, claim: i64, article: i64, story: i64, text: &str, denied: bool) {
        let p = prepare(&mut self.terms, text, denied);
        let terms = self.intern(&p.stems);
        self.add(claim, article, story, terms, p.marks);
    }

    fn idf(&self, t: u32) -> f64 {
        let n = self.members.len().max(1) as f64;
        let df = self.postings[t as usize].len().max(1) as f64;
        (1.0 + n / df).ln()
    }

    /// The story of a new claim: the story of the most similar known claim that is the
    /// same story, else a new one founded by it (its id). Either way it is known after.
    pub fn assign(&mut self, claim: i64, article: i64, text: &str, denied: bool) -> Joined {
        let p = prepare(&mut self.terms, text, denied);
        self.assign_prepared(claim, article, p)
    }

    /// [`Grouper::assign`] for a claim [`prepare`]d beforehand (on another thread: see
    /// [`prepare`]).
    pub fn assign_prepared(&mut self, claim: i64, article: i64, prepared: Prepared) -> Joined {
        let terms = self.intern(&prepared.stems);
        let marks = prepared.marks;
        // Candidates through the claim's rarest words only, each word's latest members
        // only: a claim saying the same thing shares the rare words (names, figures,
        // "tailings"), and the cost per claim stays bounded however large the store.
        let mut rare: Vec<u32> = terms
            .iter()
            .copied()
            .filter(|&t| !self.postings[t as usize].is_empty())
            .collect();
        rare.sort_by_key(|&t| (self.postings[t as usize].len(), t));
        rare.truncate(RARE);
        // Shared weight per member in a dense scratch array (no hashing per posting).
        self.scratch.resize(self.members.len(), 0.0);
        let mut touched: Vec<u32> = Vec::new();
        for &t in &rare {
            let postings = &self.postings[t as usize];
            let w = self.idf(t);
            for &m in &postings[postings.len().saturating_sub(COMMON)..] {
                let slot = &mut self.scratch[m as usize];
                if *slot == 0.0 {
                    touched.push(m);
                }
                *slot += w;
            }
        }
        let mut ranked: Vec<(u32, f64)> = touched
            .iter()
            .map(|&m| (m, std::mem::take(&mut self.scratch[m as usize])))
            .collect();
        // Ties by member order, so the result does not depend on the hash.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(CANDIDATES);
        let mut best: Option<(u32, f64)> = None;
        for (m, _) in ranked {
            let member = &self.members[m as usize];
            let similarity = dice(&terms, &member.terms, |t| self.idf(t));
            if same_story(similarity, &marks, &member.marks)
                && !self.appears.contains(&(member.story, article))
                && best.is_none_or(|(b, s)| similarity > s || (similarity == s && m < b))
            {
                best = Some((m, similarity));
            }
        }
        let joined = match best {
            Some((m, similarity)) => Joined {
                story: self.members[m as usize].story,
                through: Some((self.claim_ids[m as usize], similarity.min(1.0))),
            },
            None => Joined {
                story: claim,
                through: None,
            },
        };
        self.add(claim, article, joined.story, terms, marks);
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reworded_relay_joins_and_another_subject_founds_a_story() {
        let mut g = Grouper::new();
        g.known(
            1,
            1,
            1,
            "Halvard Shipping plans to sell its 49% stake in the Varn port terminal",
            false,
        );
        g.known(2, 2, 2, "fuel prices will rise in March", false);
        g.known(3, 3, 3, "the new ferry will enter service in May", false);
        let j = g.assign(
            10,
            10,
            "Halvard Shipping intends to sell its 49 percent holding in the Varn port terminal",
            false,
        );
        assert_eq!(j.story, 1, "{j:?}");
        assert_eq!(j.through.map(|t| t.0), Some(1));
        let j = g.assign(
            11,
            11,
            "Halvard Shipping will open a new office at the Varn port",
            false,
        );
        assert_eq!(
            j,
            Joined {
                story: 11,
                through: None
            }
        );
        let j = g.assign(
            12,
            12,
            "Halvard Shipping plans to sell its 49% stake in the Varn port terminal",
            true,
        );
        assert_eq!(j.story, 12, "a denial is its own story");
    }

    #[test]
    fn a_new_claim_can_join_a_story_founded_in_the_same_run() {
        let mut g = Grouper::new();
        assert_eq!(
            g.assign(5, 1, "the Kestrel Bay ferry contract was cancelled", false)
                .story,
            5
        );
        assert_eq!(
            g.assign(6, 2, "the Kestrel Bay ferry contract was cancelled", false)
                .story,
            5
        );
        // Not twice in one article.
        assert_eq!(
            g.assign(7, 2, "the Kestrel Bay ferry contract was cancelled", false)
                .story,
            7
        );
    }
}
