//! Whether two claims say the same thing: the decision that groups claims into a story.
//!
//! - **Words**: the matcher's words ([`crate::factcheck::matcher::Terms`]: letters and
//!   digits, lower-cased, stop words out, Snowball-stemmed), then a short list of
//!   near-synonyms made one word ([`SYNONYMS`]: a relay rewords "plans to sell its 49%
//!   stake" as "intends to sell its 49 percent holding"), and "percent", "per cent" and
//!   "pct" dropped: the figure carries them, and "49%" has no word for the sign.
//! - **Similarity**: the idf-weighted Dice overlap of the two word sets, 2·w(A∩B) / (w(A) +
//!   w(B)), each word weighted by ln(1 + N/df) over the claims grouped so far. A shared rare
//!   word (a name, "tailings") counts much more than a shared common one ("said", "will").
//! - **Same story** ([`same_story`]): similarity at least [`SAME_STORY`], and the claims
//!   agree on what a reworded relay keeps but another claim about the same subject changes:
//!   the figures (when both have figures, one's are all in the other's: "49%" vs "51%" is
//!   another claim, a relay dropping the year is not), the polarity (a denial, by its words
//!   or its certainty, is never the claim it denies), and the names (when both name people
//!   or bodies by capitalised words, they share at least one).
//!
//! The threshold is 0.6, above the fact-check matcher's 0.5: a story groups claims without
//! a person looking, and a wrong merge hides an independent origin, which is worse than a
//! missed one (the user can `--join`). Not tuned on labelled pairs: the story tests (relays
//! reworded, wire copies, a denial on another subject by the same ministry) hold it.

use crate::factcheck::matcher::{negated, numbers};

/// The idf-weighted Dice overlap from which two claims are one story.
pub const SAME_STORY: f64 = 0.6;

/// Stems made one (the first of each pair is kept): rewordings relays use for the same
/// thing. Deliberately short: a wrong pair merges claims that differ.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("plan", "intend"),
    ("plan", "aim"),
    ("stake", "hold"),
    ("sell", "divest"),
    ("said", "say"),
    ("rise", "increas"),
    ("cut", "reduc"),
    ("compani", "firm"),
];

/// Words the figures carry ("49 percent" is "49%").
const DROPPED: &[&str] = &["percent", "per", "cent", "pct"];

/// A stem as stories compare it: synonyms made one, `None` for a dropped word.
pub fn normalise(stem: &str) -> Option<&str> {
    if DROPPED.contains(&stem) {
        return None;
    }
    Some(
        SYNONYMS
            .iter()
            .find(|(_, other)| *other == stem)
            .map_or(stem, |(kept, _)| kept),
    )
}

/// Words a sentence opens with in capitals that name nobody.
const OPENING: &[&str] = &[
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "this", "that", "these", "those",
    "there", "its", "his", "her", "their", "our", "in", "on", "at", "by", "for", "after", "before",
    "no", "all", "some", "one", "two", "three",
];

/// What [`same_story`] compares of a claim besides its words: as words, or as the numbers
/// a grouper gives them (`Marks<u32>`: the grouper keeps the marks of every claim it knows,
/// and a word as a `String` costs ten times its number).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marks<T = String> {
    /// The figures, sorted and distinct.
    pub numbers: Vec<T>,
    /// Denied by its words or by its certainty.
    pub negated: bool,
    /// Capitalised words (lower-cased, sorted, distinct; not an opening "The"): the names.
    pub names: Vec<T>,
}

impl Marks {
    pub fn of(text: &str, denied: bool) -> Marks {
        let mut names: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .enumerate()
            .filter(|(i, w)| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.len() > 1
                    && !(*i == 0 && OPENING.contains(&w.to_lowercase().as_str()))
            })
            .map(|(_, w)| w.to_lowercase())
            .collect();
        names.sort();
        names.dedup();
        Marks {
            numbers: numbers(text),
            negated: denied || negated(text),
            names,
        }
    }

    /// The same marks with each word replaced by its number (`number` must give distinct
    /// words distinct numbers), sorted again: [`Marks::agree`] says the same of them.
    pub fn numbered(self, mut number: impl FnMut(String) -> u32) -> Marks<u32> {
        let mut list = |words: Vec<String>| {
            let mut ids: Vec<u32> = words.into_iter().map(&mut number).collect();
            ids.sort_unstable();
            ids
        };
        Marks {
            numbers: list(self.numbers),
            negated: self.negated,
            names: list(self.names),
        }
    }
}

impl<T: Ord> Marks<T> {
    /// The claims may be one story: the figures, the polarity and the names agree.
    pub fn agree(&self, other: &Marks<T>) -> bool {
        if self.negated != other.negated {
            return false;
        }
        let subset = |a: &[T], b: &[T]| a.iter().all(|n| b.binary_search(n).is_ok());
        if !self.numbers.is_empty()
            && !other.numbers.is_empty()
            && !subset(&self.numbers, &other.numbers)
            && !subset(&other.numbers, &self.numbers)
        {
            return false;
        }
        if !self.names.is_empty()
            && !other.names.is_empty()
            && !self
                .names
                .iter()
                .any(|n| other.names.binary_search(n).is_ok())
        {
            return false;
        }
        true
    }
}

/// The idf-weighted Dice overlap of two sorted, distinct word lists.
pub fn dice(a: &[u32], b: &[u32], mut idf: impl FnMut(u32) -> f64) -> f64 {
    let weight_a = a.iter().map(|&t| idf(t)).sum();
    dice_with(a, weight_a, b, idf)
}

/// [`dice`] given the weight of `a` (the sum of its idf, in its order): a claim compared with
/// several candidates sums its own words once.
pub fn dice_with(a: &[u32], weight_a: f64, b: &[u32], mut idf: impl FnMut(u32) -> f64) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += idf(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    let total = b.iter().fold(weight_a, |sum, &t| sum + idf(t));
    if total > 0.0 {
        2.0 * common / total
    } else {
        0.0
    }
}

/// Whether two claims with this similarity and these marks are one story.
pub fn same_story<T: Ord>(similarity: f64, a: &Marks<T>, b: &Marks<T>) -> bool {
    similarity >= SAME_STORY && a.agree(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_percent_are_made_one() {
        assert_eq!(normalise("intend"), Some("plan"));
        assert_eq!(normalise("hold"), Some("stake"));
        assert_eq!(normalise("percent"), None);
        assert_eq!(normalise("port"), Some("port"));
    }

    #[test]
    fn another_figure_a_denial_or_other_names_disagree() {
        let a = Marks::of("Halvard will sell its 49% stake", false);
        assert!(a.agree(&Marks::of(
            "Halvard will sell its 49 percent holding",
            false
        )));
        assert!(a.agree(&Marks::of("the company will sell its stake", false)));
        assert!(!a.agree(&Marks::of("Halvard will sell its 51% stake", false)));
        assert!(!a.agree(&Marks::of("Halvard will sell its 49% stake", true)));
        assert!(!a.agree(&Marks::of("Halvard will not sell its 49% stake", false)));
        assert!(!a.agree(&Marks::of(
            "the company Brenmoor will sell its 49% stake",
            false
        )));
    }

    #[test]
    fn dice_weighs_shared_words_by_idf() {
        let idf = |t: u32| if t == 1 { 5.0 } else { 1.0 };
        assert_eq!(dice(&[1, 2], &[1, 2], idf), 1.0);
        assert!((dice(&[1, 2], &[1, 3], idf) - 10.0 / 12.0).abs() < 1e-9);
        assert!((dice(&[1, 2], &[2, 3], idf) - 2.0 / 8.0).abs() < 1e-9);
        assert_eq!(dice(&[], &[], idf), 0.0);
    }

    #[test]
    fn numbered_marks_agree_as_their_words_do() {
        // Numbers in order of first use, not of the words: the lists are sorted again.
        let texts = [
            "Zorn and Halvard will sell 49% and 12 ships",
            "Halvard will sell 12 ships",
            "Zorn will sell 49% of Alder",
            "Alder will not sell 7 ships",
            "the company will sell its stake",
            "Halvard and Zorn will sell 49% and 12 ships, Alder said",
        ];
        let mut ids: std::collections::HashMap<String, u32> = Default::default();
        let mut number = |w: String| {
            let next = ids.len() as u32;
            *ids.entry(w).or_insert(next)
        };
        let words: Vec<Marks> = texts.iter().map(|t| Marks::of(t, false)).collect();
        let numbered: Vec<Marks<u32>> = words
            .iter()
            .map(|m| m.clone().numbered(&mut number))
            .collect();
        let mut agreeing = 0;
        for (a, na) in words.iter().zip(&numbered) {
            for (b, nb) in words.iter().zip(&numbered) {
                assert_eq!(a.agree(b), na.agree(nb), "{a:?} / {b:?}");
                agreeing += usize::from(a.agree(b));
            }
        }
        assert!(agreeing > texts.len() && agreeing < texts.len() * texts.len());
    }
}
