//! The language a query is written in, guessed from its words (issue 17), so that of passages
//! equal on the words they hold, those in the query's language come first: `hvad er formålet`
//! is asked by a Dane, `kva er føremålet` in nynorsk.
//!
//! Each query word gives at most one vote, the first of:
//! 1. a word only one language uses (the language detector's lists: `hvad`, `noen`, `kva`),
//!    or a compound beginning with one (`opgaveløsning`: `opgave`, Danish);
//! 2. a function word of one language's stop list only (`af`, `mig`; `av`, `ikkje`).
//!
//! What the index holds is no evidence: the Danish OCR text lacks most words with æ, ø or å
//! as written (`gkonomiske`), so every such word would vote bokmål.
//!
//! Norwegian (bokmål and nynorsk together) and Danish are weighed against each other; the
//! guess is the one with more votes, and no guess at all (a tie) when they are even, as for
//! `økonomiske rammer`, written alike in both.

use super::expand::WordForms;
use super::parse::QueryWord;
use crate::analysis::{distinctive_language, is_function_word};
use crate::lang::Lang;
use std::collections::HashMap;

/// The language `words` are written in, or `None` when they do not tell (or only one
/// language is searched).
pub(super) fn guess_query_lang(
    words: &[QueryWord],
    forms: &HashMap<Lang, Vec<WordForms>>,
) -> Option<Lang> {
    if forms.len() < 2 {
        return None;
    }
    let mut votes = [0usize; 3];
    for word in words {
        if let Some(lang) = vote(&word.lowercase) {
            votes[slot(lang)] += 1;
        }
    }
    let norwegian = votes[slot(Lang::Nb)] + votes[slot(Lang::Nn)];
    let danish = votes[slot(Lang::Da)];
    if norwegian > danish {
        Some(if votes[slot(Lang::Nn)] > votes[slot(Lang::Nb)] {
            Lang::Nn
        } else {
            Lang::Nb
        })
    } else if danish > norwegian {
        Some(Lang::Da)
    } else {
        None
    }
}

/// The language query word `index` (`word` lowercased) points to, if any.
fn vote(word: &str) -> Option<Lang> {
    if let Some(lang) = distinctive_language(word) {
        return Some(lang);
    }
    match (
        is_function_word(Lang::Nb, word),
        is_function_word(Lang::Da, word),
    ) {
        (true, false) => Some(Lang::Nb),
        (false, true) => Some(Lang::Da),
        _ => None,
    }
}

fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Nb => 0,
        Lang::Nn => 1,
        Lang::Da => 2,
    }
}
