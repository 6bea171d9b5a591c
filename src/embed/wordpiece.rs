//! BERT's uncased WordPiece tokenizer, as Hugging Face `tokenizers` runs it for
//! all-MiniLM-L6-v2 (`BertNormalizer` with `clean_text`, `handle_chinese_chars`, accents
//! stripped and lower case; `BertPreTokenizer`; `WordPiece` with `##` continuations, at most
//! 100 characters a word, `[UNK]` otherwise). Checked against `tokenizers` 0.23 on every
//! text of CLEF-2020 Task 2 (10,375 claims and titles, 1,197 tweets): the same ids.

use regex::Regex;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// A word longer than this (in characters) is `[UNK]` whole, as in BERT.
const MAX_WORD_CHARS: usize = 100;

/// What cleaning removes: control and other invisible characters (Unicode `C*`), the
/// replacement character and NUL; tab, newline and carriage return are whitespace.
static INVISIBLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{C}\x{FFFD}--[\t\n\r]]").expect("regex"));
/// A pre-token: one punctuation character (Unicode `P*` or any ASCII punctuation, which
/// includes symbols such as `$`, `+`, `^`), or a run of anything else but whitespace.
static PIECE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{P}!-/:-@\[-`{-~]|[^\s\p{P}!-/:-@\[-`{-~]+").expect("regex"));

/// The vocabulary and the special tokens' ids.
pub struct WordPiece {
    ids: FxHashMap<String, u32>,
    pub cls: u32,
    pub sep: u32,
    unk: u32,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B920..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// The text as BERT's normaliser leaves it: invisible characters out, whitespace one
/// space, each CJK ideograph spaced apart, accents stripped, lower case.
pub fn normalise(text: &str) -> String {
    let cleaned = INVISIBLE.replace_all(text, "");
    let mut spaced = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        if c.is_whitespace() {
            spaced.push(' ');
        } else if is_cjk(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.push(c);
        }
    }
    let stripped: String = spaced
        .nfd()
        .filter(|&c| !(unicode_normalization::char::is_combining_mark(c) && is_nonspacing(c)))
        .collect();
    // Character by character, as BERT does (no final-sigma rule).
    stripped.chars().flat_map(char::to_lowercase).collect()
}

/// Unicode `Mn` (what BERT strips after NFD), told apart from the spacing and enclosing
/// marks `is_combining_mark` also covers.
fn is_nonspacing(c: char) -> bool {
    static MN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Mn}$").expect("regex"));
    let mut buf = [0u8; 4];
    MN.is_match(c.encode_utf8(&mut buf))
}

impl WordPiece {
    /// From a `vocab.txt`: one token a line, its id its line number.
    pub fn from_vocab(text: &str) -> Result<WordPiece, String> {
        let ids: FxHashMap<String, u32> = text
            .lines()
            .enumerate()
            .map(|(i, t)| (t.to_string(), i as u32))
            .collect();
        let get = |t: &str| {
            ids.get(t)
                .copied()
                .ok_or_else(|| format!("the vocabulary has no {t} token"))
        };
        Ok(WordPiece {
            cls: get("[CLS]")?,
            sep: get("[SEP]")?,
            unk: get("[UNK]")?,
            ids,
        })
    }

    /// The ids of `text` between `[CLS]` and `[SEP]`, at most `max` in all (the model's
    /// longest input: the rest of a longer text is cut, as sentence-transformers does).
    pub fn encode(&self, text: &str, max: usize) -> Vec<u32> {
        let mut out = vec![self.cls];
        let normal = normalise(text);
        'words: for word in PIECE.find_iter(&normal).map(|m| m.as_str()) {
            let before = out.len();
            if word.chars().count() > MAX_WORD_CHARS {
                out.push(self.unk);
            } else {
                let mut start = 0;
                let mut piece = String::new();
                while start < word.len() {
                    // Greedy longest match first; char boundaries only.
                    let mut end = word.len();
                    let found = loop {
                        piece.clear();
                        if start > 0 {
                            piece.push_str("##");
                        }
                        piece.push_str(&word[start..end]);
                        if let Some(&id) = self.ids.get(piece.as_str()) {
                            break Some(id);
                        }
                        match word[start..end].char_indices().next_back() {
                            Some((i, _)) if i > 0 => end = start + i,
                            _ => break None,
                        }
                    };
                    match found {
                        Some(id) => {
                            out.push(id);
                            start = end;
                        }
                        None => {
                            // No piece fits: the whole word is unknown.
                            out.truncate(before);
                            out.push(self.unk);
                            break;
                        }
                    }
                }
            }
            if out.len() >= max - 1 {
                out.truncate(max - 1);
                break 'words;
            }
        }
        out.push(self.sep);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> WordPiece {
        let words = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nun\n##aff\n##able\n,\n$\ncafe\n!\n中\n";
        WordPiece::from_vocab(words).unwrap()
    }

    #[test]
    fn words_split_into_the_longest_pieces_and_punctuation_stands_alone() {
        let v = vocab();
        assert_eq!(v.encode("The unaffable, $", 64), [2, 4, 5, 6, 7, 8, 9, 3]);
        // Accents stripped, case folded, a CJK ideograph its own word.
        assert_eq!(v.encode("CAFÉ中!", 64), [2, 10, 12, 11, 3]);
    }

    #[test]
    fn an_unknown_word_is_one_unk_and_long_text_is_cut() {
        let v = vocab();
        assert_eq!(v.encode("the unzzz the", 64), [2, 4, 1, 4, 3]);
        assert_eq!(v.encode("the the the the", 4), [2, 4, 4, 3]);
    }

    #[test]
    fn invisible_characters_go_and_whitespace_is_one_space() {
        assert_eq!(normalise("a\u{200B}b\tc\u{0301}\u{0000}"), "ab c");
    }
}
