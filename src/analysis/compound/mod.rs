//! Compound parts. Norwegian and Danish write compounds as one word (`samfunnsberedskap`,
//! `gjeldsnivået`), so a search for `beredskap` or `gjeld` finds nothing by stem alone. The
//! index therefore holds each compound's parts as extra tokens at the compound's position,
//! marked `+` (`+beredskap`) so that a whole-word match still ranks first.
//!
//! Which splits are real is learned from the corpus itself, no dictionary download: a
//! [`Lexicon`] of the words that stand alone in it. A compound splits into parts, each
//! optionally followed by a linking `s` or `e`, where every part is a lexicon word except at
//! most one longer part (`beredskap` need not stand alone in `samfunns|beredskap` when
//! `samfunn` does). The lexicon is stored with the index and used for queries too.
//!
//! One job a file: `rules` (what may be a part), `lexicon` (the word sets and learning them),
//! `learn` (learning parts), `prefixes` (what the lexicon holds at a split point), `search`
//! (the best split of a word), `split` (a word's parts), `fst` and `text_form` (the two stored
//! forms), `cache` and `splitter` (remembered splits), `filter` (the token filter), `holder`
//! (a query word as a part of a longer corpus word).

mod cache;
mod filter;
mod fst;
mod holder;
mod learn;
mod lexicon;
mod prefixes;
mod rules;
mod search;
mod split;
mod splitter;
mod text_form;

use crate::lang::Lang;

pub(crate) use filter::CompoundFilter;
pub(crate) use learn::LearnedSplits;
pub use lexicon::Lexicon;
pub use splitter::CompoundSplitter;

/// The byte offset of each char of `word`, and its length last.
fn char_bounds(word: &str) -> Vec<usize> {
    word.char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect()
}

/// The stem set of `lang`'s stemmer: bokmål and nynorsk share the Norwegian one.
fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Nb | Lang::Nn => 0,
        Lang::Da => 1,
    }
}

/// Words that stand alone in the bundled corpus (`samfunn`, `total`, `arbeidet`, `nivået`
/// all do), and a few that do not: the lexicon of several files' tests.
#[cfg(test)]
fn corpus_lexicon() -> Lexicon {
    Lexicon::from_words([
        "samfunn",
        "samfunnet",
        "total",
        "arbeidet",
        "nivået",
        "klima",
        "endringer",
        "heltid",
        "kultur",
        "økonomi",
        "aftalen",
        "også",
    ])
}
