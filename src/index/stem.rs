//! English stemming with a memo. Stemming was a tenth of an ingest's time (perf, 10k
//! generated articles): the Snowball algorithm runs for every word of every claim and
//! sentence, while news vocabulary is small and repeats. This filter gives exactly what
//! tantivy's own `Stemmer` filter gives (the same `frostem` algorithm), remembering the
//! stem of each word it has seen in the analyser that indexes one field of one segment.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyser before the memo starts again: bounds its memory (a few
/// MB) on text with an endless vocabulary.
const MEMO_MAX: usize = 100_000;

/// The filter to put in a `TextAnalyzer` where `Stemmer::new(Language::English)` would go.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnglishStemmer;

impl TokenFilter for EnglishStemmer {
    type Tokenizer<T: Tokenizer> = EnglishStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> EnglishStemmerFilter<T> {
        EnglishStemmerFilter {
            inner: tokenizer,
            memo: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct EnglishStemmerFilter<T> {
    inner: T,
    /// Word (lower-case, as the filters before give it) to stem.
    memo: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for EnglishStemmerFilter<T> {
    type TokenStream<'a> = EnglishStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() > MEMO_MAX {
            self.memo.clear();
        }
        EnglishStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct EnglishStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for EnglishStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let word = std::mem::take(&mut token.text);
            let stem = self.stemmer.stem(&word).into_owned();
            token.text.push_str(&stem);
            self.memo.insert(word, stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::EnglishStemmer;
    use tantivy::tokenizer::{
        Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream,
    };

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// The memo changes nothing: the same stems as tantivy's filter, also for words seen
    /// before (in this text and in an earlier one).
    #[test]
    fn stems_as_tantivy_does() {
        let text = "Officials said the ministers were meeting; the minister's meetings \
                    continued, officials reported, reporting quietly. Running runs ran.";
        let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(EnglishStemmer)
            .build();
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let expected = tokens(&mut theirs, text);
        assert!(expected.contains(&"offici".to_string()), "{expected:?}");
        assert_eq!(tokens(&mut ours, text), expected);
        assert_eq!(tokens(&mut ours, text), expected);
    }
}
