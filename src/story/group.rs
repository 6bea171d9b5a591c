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

use super::similar::{Marks, dice_with, normalise, same_story};
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
    terms: Box<[u32]>,
    marks: Marks<u32>,
}

/// What grouping needs of a claim's text, worked out apart from the grouper: its words as
/// numbers (stemmed, stop words out, rewordings made one; sorted, distinct) and its marks
/// (figures, polarity, names). Made by a [`Vocabulary`] in claim order, so a run prepares
/// the next claims on another core while the grouper, which must take them in order,
/// assigns these: stemming, the regular expressions and interning the words were half of
/// the grouping pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    terms: Vec<u32>,
    marks: Marks<u32>,
}

/// The words of the claims a grouper knows, one number each (in order of first use, so the
/// same claims in the same order get the same numbers, whichever thread prepared them).
#[derive(Default)]
pub struct Vocabulary {
    terms: Terms,
    ids: FxHashMap<String, u32>,
    /// The figures and names of the marks, numbered apart from the words.
    marks: FxHashMap<String, u32>,
}

impl Vocabulary {
    /// Prepares one claim's text; its new words get the next numbers.
    pub fn prepare(&mut self, text: &str, denied: bool) -> Prepared {
        let mut terms: Vec<u32> = Vec::new();
        let ids = &mut self.ids;
        self.terms.each(text, |stem| {
            let Some(w) = normalise(stem) else {
                return;
            };
            // Looked up before inserting: most words are known, and a key is a copy.
            let t = match ids.get(w) {
                Some(&t) => t,
                None => {
                    let t = ids.len() as u32;
                    ids.insert(w.to_string(), t);
                    t
                }
            };
            terms.push(t);
        });
        terms.sort_unstable();
        terms.dedup();
        let known = &mut self.marks;
        let marks = Marks::of(text, denied).numbered(|w| {
            let next = known.len() as u32;
            *known.entry(w).or_insert(next)
        });
        Prepared { terms, marks }
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
    /// The words of [`Grouper::known`] and [`Grouper::assign`]; a run that prepares
    /// claims elsewhere takes it ([`Grouper::take_vocabulary`]).
    vocabulary: Vocabulary,
    /// Term → the members having it, in member order.
    postings: Vec<Vec<u32>>,
    members: Vec<Member>,
    claim_ids: Vec<i64>,
    /// (story, article) for every member: the stories each article already appears in.
    appears: FxHashSet<(i64, i64)>,
    /// Per term, its idf while one claim is assigned (`idf_at` says for which: the number
    /// of members then, plus one): a candidate's Dice reads the idf of each of its words,
    /// and an `ln` per word per candidate was a tenth of the assignment.
    idf_memo: Vec<f64>,
    idf_at: Vec<u32>,
}

impl Grouper {
    pub fn new() -> Grouper {
        Grouper::default()
    }

    /// The vocabulary, for preparing the next claims elsewhere (in claim order); this
    /// grouper's own [`Grouper::known`] and [`Grouper::assign`] start a new one after.
    pub fn take_vocabulary(&mut self) -> Vocabulary {
        std::mem::take(&mut self.vocabulary)
    }

    fn add(
        &mut self,
        claim: i64,
        article: i64,
        story: i64,
        terms: Vec<u32>,
        mut marks: Marks<u32>,
    ) {
        self.appears.insert((story, article));
        let m = self.members.len() as u32;
        for &t in &terms {
            self.postings[t as usize].push(m);
        }
        // Held for the whole run, one per claim: no spare capacity.
        marks.numbers.shrink_to_fit();
        marks.names.shrink_to_fit();
        self.members.push(Member {
            story,
            terms: terms.into_boxed_slice(),
            marks,
        });
        self.claim_ids.push(claim);
    }

    /// A claim already in `story`: new claims may join it.
    pub fn known(&mut self, claim: i64, article: i64, story: i64, text: &str, denied: bool) {
        let p = self.vocabulary.prepare(text, denied);
        self.make_room(&p.terms);
        self.add(claim, article, story, p.terms, p.marks);
    }

    /// Postings and idf slots for every word of `terms` (they may be new).
    fn make_room(&mut self, terms: &[u32]) {
        if let Some(&last) = terms.last()
            && last as usize >= self.postings.len()
        {
            let n = last as usize + 1;
            self.postings.resize_with(n, Vec::new);
            self.idf_memo.resize(n, 0.0);
            self.idf_at.resize(n, 0);
        }
    }

    /// ln(1 + N/df) over the members so far, computed once per word per assignment.
    fn idf(&mut self, t: u32) -> f64 {
        let at = self.members.len() as u32 + 1;
        let t = t as usize;
        if self.idf_at[t] != at {
            let n = self.members.len().max(1) as f64;
            let df = self.postings[t].len().max(1) as f64;
            self.idf_memo[t] = (1.0 + n / df).ln();
            self.idf_at[t] = at;
        }
        self.idf_memo[t]
    }

    /// The story of a new claim: the story of the most similar known claim that is the
    /// same story, else a new one founded by it (its id). Either way it is known after.
    pub fn assign(&mut self, claim: i64, article: i64, text: &str, denied: bool) -> Joined {
        let p = self.vocabulary.prepare(text, denied);
        self.assign_prepared(claim, article, p)
    }

    /// [`Grouper::assign`] for a claim prepared beforehand by the vocabulary this grouper
    /// gave ([`Grouper::take_vocabulary`]), in claim order.
    pub fn assign_prepared(&mut self, claim: i64, article: i64, prepared: Prepared) -> Joined {
        let Prepared { terms, marks } = prepared;
        self.make_room(&terms);
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
        // The shared weight of every member on these postings, by merging them: each is in
        // member order, so one pass in member order sums a member's weights (in the rare
        // words' order) with no random access into a table of every member, and keeps the
        // best [`CANDIDATES`] by shared weight, ties by member order. A strict order: the same
        // candidates however they are picked. `u32::MAX` is no member: a list's end.
        let mut weights = [0.0; RARE];
        for (w, &t) in weights.iter_mut().zip(&rare) {
            *w = self.idf(t);
        }
        let mut tails: [&[u32]; RARE] = [&[]; RARE];
        for (tail, &t) in tails.iter_mut().zip(&rare) {
            let p = &self.postings[t as usize];
            *tail = &p[p.len().saturating_sub(COMMON)..];
        }
        let mut pos = [0usize; RARE];
        let head = |tail: &[u32], i: usize| tail.get(i).copied().unwrap_or(u32::MAX);
        let mut heads = [u32::MAX; RARE];
        for (h, tail) in heads.iter_mut().zip(&tails) {
            *h = head(tail, 0);
        }
        let mut ranked: Vec<(u32, f64)> = Vec::with_capacity(CANDIDATES + 1);
        loop {
            let m = heads.iter().copied().min().unwrap_or(u32::MAX);
            if m == u32::MAX {
                break;
            }
            let mut shared = 0.0;
            for x in 0..RARE {
                if heads[x] == m {
                    shared += weights[x];
                    pos[x] += 1;
                    heads[x] = head(tails[x], pos[x]);
                }
            }
            // Members come in order, so one that only ties the worst kept is worse.
            if ranked.len() == CANDIDATES && ranked[CANDIDATES - 1].1 >= shared {
                continue;
            }
            let at = ranked.partition_point(|&(_, w)| w >= shared);
            ranked.insert(at, (m, shared));
            ranked.truncate(CANDIDATES);
        }
        let own: f64 = terms.iter().map(|&t| self.idf(t)).sum();
        let mut best: Option<(u32, f64)> = None;
        for (m, _) in ranked {
            let member_terms = std::mem::take(&mut self.members[m as usize].terms);
            let similarity = dice_with(&terms, own, &member_terms, |t| self.idf(t));
            let member = &mut self.members[m as usize];
            member.terms = member_terms;
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
    fn claims_prepared_elsewhere_join_the_stories_they_join_here() {
        // The store prepares claims on one thread and assigns them on another, with the
        // vocabulary taken from the grouper after the known claims: the same stories as
        // assigning them one by one.
        let known = [
            (
                1,
                "Halvard Shipping plans to sell its 49% stake in the Varn port terminal",
            ),
            (2, "fuel prices will rise in March, the ministry said"),
        ];
        let new = [
            "Halvard Shipping intends to sell its 49 percent holding in the Varn port terminal",
            "the ministry denied that fuel prices will rise in March",
            "fuel prices will rise in March",
            "Halvard Shipping plans to sell its 51% stake in the Varn port terminal",
            "Halvard Shipping intends to sell its 49 percent holding in the Varn terminal",
        ];
        let run = |threaded: bool| {
            let mut g = Grouper::new();
            for (id, text) in known {
                g.known(id, id, id, text, false);
            }
            let mut vocabulary = threaded.then(|| g.take_vocabulary());
            new.iter()
                .enumerate()
                .map(|(i, text)| {
                    let (claim, article) = (10 + i as i64, 10 + i as i64 / 2);
                    match &mut vocabulary {
                        Some(v) => g.assign_prepared(claim, article, v.prepare(text, false)),
                        None => g.assign(claim, article, text, false),
                    }
                })
                .collect::<Vec<Joined>>()
        };
        let one_by_one = run(false);
        assert_eq!(run(true), one_by_one);
        assert_eq!(
            one_by_one.iter().map(|j| j.story).collect::<Vec<_>>(),
            [1, 11, 2, 13, 1],
            "{one_by_one:?}"
        );
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
