//! The stemming filter: each token's text becomes its rust-stemmers stem; offsets and positions
//! are left as they are.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::part_marker::PART_MARKER;
use crate::lang::Lang;

/// Norwegian stems shorter than this keep a doubled final consonant: undoubling short words
/// merges unrelated ones (`mann`/`man`, `takk`/`tak`, `gull`/`gul`), while long compounds are
/// where `-rommet`/`-rom` must meet.
const MIN_CHARS_TO_UNDOUBLE: usize = 5;

/// Replaces token text with its stem: the Snowball Norwegian algorithm for bokmål and nynorsk,
/// Danish for Danish. Expects lowercased tokens.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StemFilter {
    lang: Lang,
}

impl StemFilter {
    pub(crate) fn new(lang: Lang) -> StemFilter {
        StemFilter { lang }
    }
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemTokenizer<T> {
        StemTokenizer {
            lang: self.lang,
            inner,
        }
    }
}

/// A tokenizer whose tokens are stemmed.
#[derive(Clone, Debug)]
pub(crate) struct StemTokenizer<T> {
    lang: Lang,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        // rust-stemmers' Stemmer is not Clone, so it is made per stream; it is only a function
        // pointer, so this costs nothing.
        StemTokenStream {
            tail: self.inner.token_stream(text),
            stemmer: Stemmer::create(algorithm(self.lang)),
            lang: self.lang,
        }
    }
}

/// The stemmed tokens of one text.
pub(crate) struct StemTokenStream<S> {
    tail: S,
    stemmer: Stemmer,
    lang: Lang,
}

impl<S: TokenStream> TokenStream for StemTokenStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // A compound part (`+beredskap`) is stemmed as the word it is, marker kept.
        match token.text.strip_prefix(PART_MARKER) {
            Some(part) => {
                if let Some(stem) = changed_stem(&self.stemmer, self.lang, part) {
                    token.text = format!("{PART_MARKER}{stem}");
                }
            }
            None => {
                if let Some(stem) = changed_stem(&self.stemmer, self.lang, &token.text) {
                    token.text = stem;
                }
            }
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

/// The stem of one lowercase `word` under `lang`'s stemmer, as the analyzers make it.
pub(crate) fn stem_word(lang: Lang, word: &str) -> String {
    let stemmer = Stemmer::create(algorithm(lang));
    changed_stem(&stemmer, lang, word).unwrap_or_else(|| word.to_string())
}

fn algorithm(lang: Lang) -> Algorithm {
    match lang {
        Lang::Nb | Lang::Nn => Algorithm::Norwegian,
        Lang::Da => Algorithm::Danish,
    }
}

/// The stem of `word`, or `None` when it is the word itself (saves an allocation). A word
/// with a digit in it is a code, a year, an ID or a case number, kept whole: Snowball
/// Danish takes a digit for a consonant and undoubled `merkeord123455` into `merkeord12345`,
/// another code (found in the break trial of issue 15); both stemmers take endings off such
/// words too (`sak2024ene` became `sak2024`, `1990erne` `1990ern`).
fn changed_stem(stemmer: &Stemmer, lang: Lang, word: &str) -> Option<String> {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let stem = stemmer.stem(word);
    let stem = match lang {
        Lang::Nb | Lang::Nn => undouble_final_consonant(stem),
        // Snowball Danish undoubles on its own.
        Lang::Da => stem,
    };
    (stem != word).then(|| stem.into_owned())
}

/// `handlingsromm` → `handlingsrom`. Norwegian doubles a final consonant before an ending
/// (`rom`, `rommet`), and Snowball Norwegian, unlike Snowball Danish, has no undoubling step,
/// so without this `handlingsrommet` and `handlingsrom` never meet.
fn undouble_final_consonant(stem: Cow<'_, str>) -> Cow<'_, str> {
    let mut from_end = stem.chars().rev();
    let (Some(last), Some(before_last)) = (from_end.next(), from_end.next()) else {
        return stem;
    };
    let doubled_consonant = last == before_last && is_consonant(last);
    if !doubled_consonant || stem.chars().count() < MIN_CHARS_TO_UNDOUBLE {
        return stem;
    }
    let without_last = stem.len() - last.len_utf8();
    Cow::Owned(stem[..without_last].to_owned())
}

/// Norwegian consonants are all ASCII; digits (`2000`) are not consonants.
fn is_consonant(c: char) -> bool {
    c.is_ascii_alphabetic() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(lang: Lang, word: &str) -> String {
        let stemmer = Stemmer::create(algorithm(lang));
        changed_stem(&stemmer, lang, word).unwrap_or_else(|| word.to_string())
    }

    #[test]
    fn bokmaal_definite_form_meets_bare_compound() {
        assert_eq!(stem(Lang::Nb, "handlingsrommet"), "handlingsrom");
        assert_eq!(stem(Lang::Nb, "handlingsrom"), "handlingsrom");
    }

    #[test]
    fn nynorsk_uses_the_norwegian_stemmer() {
        assert_eq!(stem(Lang::Nn, "handlingsrommet"), "handlingsrom");
        assert_eq!(stem(Lang::Nn, "kommunane"), stem(Lang::Nb, "kommunene"));
    }

    #[test]
    fn danish_plural_and_definite_plural_meet() {
        assert_eq!(stem(Lang::Da, "medarbejdere"), "medarbejd");
        assert_eq!(stem(Lang::Da, "medarbejderne"), "medarbejd");
        assert_eq!(stem(Lang::Da, "medarbejder"), "medarbejd");
    }

    #[test]
    fn corpus_words_in_bokmaal() {
        let cases = [
            ("barnevernet", "barnevern"),
            ("sykefraværet", "sykefravær"),
            ("lærlinger", "lærling"),
            ("lærlingene", "lærling"),
            ("klimaendringer", "klimaendring"),
            ("utfordringer", "utfordring"),
            ("utfordringene", "utfordring"),
            ("demografiske", "demografisk"),
            ("samfunnsberedskap", "samfunnsberedskap"),
            ("kommunedirektørutvalget", "kommunedirektørutvalg"),
        ];
        for (word, expected) in cases {
            assert_eq!(stem(Lang::Nb, word), expected, "{word}");
        }
    }

    #[test]
    fn corpus_words_in_danish() {
        assert_eq!(stem(Lang::Da, "udfordringer"), "udfordring");
        assert_eq!(stem(Lang::Da, "kommunerne"), "kommun");
        assert_eq!(stem(Lang::Da, "demografiske"), "demografisk");
    }

    #[test]
    fn short_words_and_numbers_keep_doubled_letters() {
        assert_eq!(stem(Lang::Nb, "mann"), "mann");
        assert_eq!(stem(Lang::Nb, "takk"), "takk");
        assert_eq!(stem(Lang::Nb, "2000"), "2000");
        assert_eq!(stem(Lang::Nb, "ks"), "ks");
    }

    #[test]
    fn r15_words_with_digits_are_not_stemmed() {
        for lang in [Lang::Da, Lang::Nb, Lang::Nn] {
            for word in [
                "merkeord123455",
                "merkeord12345",
                "2000ene",
                "1990erne",
                "100ere",
            ] {
                assert_eq!(stem(lang, word), word, "{lang:?} {word}");
            }
            assert_eq!(stem_word(lang, "sak2024ene"), "sak2024ene");
        }
        assert_ne!(
            stem(Lang::Da, "merkeord123455"),
            stem(Lang::Da, "merkeord12345")
        );
    }

    #[test]
    fn stemming_keeps_offsets_and_positions() {
        use crate::analysis::tokenizer::WordTokenizer;
        use tantivy::tokenizer::{LowerCaser, TextAnalyzer};

        let text = "Barnevernet og sykefraværet";
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(LowerCaser)
            .filter(StemFilter::new(Lang::Nb))
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((
                token.text.clone(),
                token.position,
                token.offset_from..token.offset_to,
            ));
        }
        assert_eq!(
            tokens,
            vec![
                ("barnevern".to_string(), 0, 0..11),
                ("og".to_string(), 1, 12..14),
                ("sykefravær".to_string(), 2, 15..28),
            ]
        );
    }
}
