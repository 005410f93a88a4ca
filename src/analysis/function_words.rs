//! Function words: question words, pronouns, auxiliaries and other words that say how a
//! query is asked rather than what it is about (issue 17). A query word on these lists does not
//! decide how many of the query's words a passage covers, unless the query has nothing else;
//! it still counts for BM25 and the phrase.
//!
//! The lists are Snowball's stop lists (the ones NLTK ships; the `stop-words` crate bundles
//! them): Norwegian, which holds bokmål and nynorsk forms together (`hva`, `kva`, `hvordan`,
//! `korleis`), for both Norwegian languages, and Danish. Snowball's lists were chosen over the
//! larger ISO lists the same crate offers because those count content words as stop words
//! (`arbeid`, `tid`, `verdi`, `makt`, `riktig` in Norwegian; `god`, `stor`, `ny` in Danish),
//! which would stop a query about `arbeid` from being about work.
//!
//! Snowball's Danish list lacks some question words and modal verbs that its Norwegian list
//! has the counterparts of (`hvordan`, `hvorfor`, `hvem`, `hvilke`, `kan`), and both lack the
//! modals `må`, `bør` and their past forms next to `kan`, `skal`, `vil`: [`SUPPLEMENT`] adds
//! exactly those, and nothing else.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::stem_word;
use crate::lang::Lang;

/// What Snowball's lists lack of the same classes they hold (see the module's note).
const SUPPLEMENT: [(Lang, &[&str]); 2] = [
    (
        Lang::Da,
        &[
            "hvordan", "hvorfor", "hvem", "hvornår", "hvilken", "hvilke", "hvilket", "kan", "må",
            "måtte", "bør", "burde",
        ],
    ),
    (Lang::Nb, &["hvilket", "må", "måtte", "bør", "burde"]),
];

/// The stop-words crate's code of a language's Snowball list.
fn list_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb | Lang::Nn => "no",
        Lang::Da => "da",
    }
}

/// Function words of Norwegian (bokmål and nynorsk share one list) and of Danish.
static NORWEGIAN: LazyLock<HashSet<&'static str>> = LazyLock::new(|| build(Lang::Nb));
static DANISH: LazyLock<HashSet<&'static str>> = LazyLock::new(|| build(Lang::Da));

fn build(lang: Lang) -> HashSet<&'static str> {
    let mut words: HashSet<&'static str> = stop_words::lookup(list_code(lang))
        .unwrap_or_default()
        .iter()
        .copied()
        .collect();
    for (supplemented, extra) in SUPPLEMENT {
        if list_code(supplemented) == list_code(lang) {
            words.extend(extra.iter().copied());
        }
    }
    words
}

/// Whether `word` (lowercase) is a function word of `lang`.
pub(crate) fn is_function_word(lang: Lang, word: &str) -> bool {
    match lang {
        Lang::Nb | Lang::Nn => NORWEGIAN.contains(word),
        Lang::Da => DANISH.contains(word),
    }
}

/// The index terms a function word of Norwegian or Danish becomes: each word as itself (the
/// heading field's unstemmed form) and as its stem (the text field's).
static NORWEGIAN_TERMS: LazyLock<HashSet<String>> =
    LazyLock::new(|| terms_of(Lang::Nb, &NORWEGIAN));
static DANISH_TERMS: LazyLock<HashSet<String>> = LazyLock::new(|| terms_of(Lang::Da, &DANISH));

fn terms_of(lang: Lang, words: &HashSet<&'static str>) -> HashSet<String> {
    words
        .iter()
        .flat_map(|&word| [word.to_string(), stem_word(lang, word)])
        .collect()
}

/// Whether the index term `term` of `lang`'s passages is a function word or a function word's
/// stem: `skal` in Danish passages. A near spelling of a content word that is one (`skal` for
/// `skole`) is not a match of it (found in the trial of issue 15).
pub(crate) fn is_function_word_term(lang: Lang, term: &str) -> bool {
    match lang {
        Lang::Nb | Lang::Nn => NORWEGIAN_TERMS.contains(term),
        Lang::Da => DANISH_TERMS.contains(term),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_of_each_language_are_function_words() {
        for word in ["hva", "hvordan", "hvorfor", "hvem", "kan", "skal", "må"] {
            assert!(is_function_word(Lang::Nb, word), "{word}");
        }
        for word in ["kva", "korleis", "kvifor", "kven", "ikkje"] {
            assert!(is_function_word(Lang::Nn, word), "{word}");
        }
        for word in ["hvad", "hvordan", "hvorfor", "hvem", "kan", "af", "skal"] {
            assert!(is_function_word(Lang::Da, word), "{word}");
        }
    }

    #[test]
    fn content_words_are_not() {
        for lang in Lang::ALL {
            for word in ["arbeid", "kommunene", "kompetanse", "ansvar", "god", "tid"] {
                assert!(!is_function_word(lang, word), "{lang} {word}");
            }
        }
        // Danish has its own list: `hva` and `kva` are not Danish.
        assert!(!is_function_word(Lang::Da, "hva"));
        assert!(!is_function_word(Lang::Da, "kva"));
    }

    #[test]
    fn r15_function_words_are_known_as_index_terms_stemmed_or_not() {
        assert!(is_function_word_term(Lang::Da, "skal"));
        assert!(is_function_word_term(Lang::Nb, "skal"));
        // `hvilken` and `hvilke` are indexed as their stem.
        let stem = stem_word(Lang::Da, "hvilke");
        assert!(is_function_word_term(Lang::Da, &stem), "{stem}");
        for word in ["skol", "skole", "arbeid", "kommun"] {
            assert!(!is_function_word_term(Lang::Da, word), "{word}");
            assert!(!is_function_word_term(Lang::Nb, word), "{word}");
        }
    }
}
