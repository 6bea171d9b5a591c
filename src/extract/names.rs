//! One name per real-world source: the form a source's name takes in chains and source
//! lists, so that the store, which matches sources by name and kind, sees "The F.B.I." and
//! "FBI", "James B. Comey" and "James Comey", "Republican Donald Trump" and "Donald Trump"
//! as one source each. The kind follows the gazetteers where they know the name (an
//! acronym the rules took for a person is an organisation).

use super::lexicon::Lexicon;
use crate::model::SourceKind;

/// Honorifics and party labels that a person's name is written with but is not part of.
fn is_label(w: &str) -> bool {
    matches!(
        w.to_lowercase().trim_end_matches('.'),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "sen"
            | "rep"
            | "gov"
            | "gen"
            | "republican"
            | "democrat"
            | "democratic"
            | "gop"
            | "independent"
            | "libertarian"
    )
}

/// "F.B.I." → "FBI": a word made of single letters each followed by a period.
fn undot(w: &str) -> Option<String> {
    let letters: Vec<char> = w.chars().filter(|&c| c != '.').collect();
    let dotted = w.len() >= 4
        && w.chars().filter(|&c| c == '.').count() == letters.len()
        && letters.iter().all(|c| c.is_alphabetic())
        && w.chars()
            .enumerate()
            .all(|(i, c)| (i % 2 == 1) == (c == '.'));
    dotted.then(|| letters.into_iter().flat_map(char::to_uppercase).collect())
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// The canonical form and kind of a source's name.
pub(super) fn canonical(lx: &Lexicon, name: &str, kind: SourceKind) -> (String, SourceKind) {
    let trimmed = name
        .trim()
        .trim_end_matches("’s")
        .trim_end_matches("'s")
        .trim_end_matches(['’', '\'']);
    let mut words: Vec<String> = trimmed.split_whitespace().map(str::to_string).collect();
    // "The F.B.I.", "the Kremlin": a leading article is not part of a proper name.
    if words.len() > 1
        && words[0].eq_ignore_ascii_case("the")
        && words[1].chars().next().is_some_and(char::is_uppercase)
    {
        words.remove(0);
    }
    for w in words.iter_mut() {
        if let Some(u) = undot(w) {
            *w = u;
        }
    }
    let mut kind = kind;
    if kind == SourceKind::Person {
        while words.len() > 1
            && is_label(&words[0])
            && words[1].chars().next().is_some_and(char::is_uppercase)
        {
            words.remove(0);
        }
        // "James B. Comey": a middle initial between two names.
        if words.len() >= 3 && !is_initial(&words[0]) {
            let last = words.len() - 1;
            let mut k = 1;
            while k < last {
                if is_initial(&words[k]) {
                    words.remove(k);
                    break;
                }
                k += 1;
            }
        }
    }
    if words.is_empty() {
        return (name.to_string(), kind);
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    let whole = |m: Option<(usize, usize)>| m.is_some_and(|(n, _)| n == refs.len());
    if matches!(kind, SourceKind::Person | SourceKind::Organization)
        && whole(lx.outlets.match_words(&refs).map(|(n, _)| (n, 0)))
    {
        kind = SourceKind::Outlet;
    } else if kind == SourceKind::Person
        && (whole(lx.organizations.match_words(&refs).map(|(n, _)| (n, 0)))
            || (words.len() == 1
                && words[0].chars().count() >= 2
                && words[0].chars().all(|c| c.is_ascii_uppercase())))
    {
        kind = SourceKind::Organization;
    }
    (words.join(" "), kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_for_the_forms_of_one_source() {
        let lx = Lexicon::load();
        let c = |n: &str, k| canonical(&lx, n, k);
        assert_eq!(
            c("The F.B.I.", SourceKind::Person),
            ("FBI".into(), SourceKind::Organization)
        );
        assert_eq!(c("FBI", SourceKind::Organization).0, "FBI");
        assert_eq!(c("James B. Comey", SourceKind::Person).0, "James Comey");
        assert_eq!(c("Donald J. Trump", SourceKind::Person).0, "Donald Trump");
        assert_eq!(
            c("Republican Donald Trump", SourceKind::Person).0,
            "Donald Trump"
        );
        assert_eq!(c("Mr. Trump’s", SourceKind::Person).0, "Trump");
        assert_eq!(c("J. K. Rowling", SourceKind::Person).0, "J. K. Rowling");
        assert_eq!(
            c("people familiar with the matter", SourceKind::Anonymous).0,
            "people familiar with the matter"
        );
    }
}
