//! The compound splitter: one lexicon with what is remembered of its splits (the split
//! cache, the splits learned with its parts), shared by the analyzers and queries that split
//! with it.

use super::cache::SplitCache;
use super::learn::LearnedSplits;
use super::lexicon::Lexicon;
use super::rules::MIN_COMPOUND_CHARS;
use crate::lang::Lang;
use std::sync::Arc;

/// Splits compounds with one lexicon, and remembers the splits: the lexicon itself stays a
/// plain value. The indexer's analyzers share one splitter, and so do the queries of an open
/// index.
#[derive(Debug)]
pub struct CompoundSplitter {
    lexicon: Arc<Lexicon>,
    /// Best splits made while the lexicon learned its parts, looked up before searching.
    learned: LearnedSplits,
    /// Splits already made; `None` when they are worked out each time.
    cache: Option<SplitCache>,
}

impl CompoundSplitter {
    /// A splitter of `lexicon` that remembers its splits, as the same words recur throughout a
    /// corpus (in a cache of bounded size).
    pub fn new(lexicon: Arc<Lexicon>) -> CompoundSplitter {
        CompoundSplitter {
            lexicon,
            learned: LearnedSplits::default(),
            cache: Some(SplitCache::default()),
        }
    }

    /// A splitter of `lexicon` that works each split out afresh: for an analyzer that
    /// remembers each word's terms itself (the indexer's memo), where a split cache would only
    /// hold the same words twice.
    pub fn uncached(lexicon: Arc<Lexicon>) -> CompoundSplitter {
        CompoundSplitter {
            cache: None,
            ..CompoundSplitter::new(lexicon)
        }
    }

    /// The splitter, looking up best splits in `learned` (from [`Lexicon::learn_parts`] of
    /// the same lexicon, in any form) before searching for them.
    pub fn with_learned_splits(self, learned: LearnedSplits) -> CompoundSplitter {
        CompoundSplitter { learned, ..self }
    }

    /// The parts of the compound `word`, as [`Lexicon::split`] makes them.
    pub fn split(&self, lang: Lang, word: &str) -> Vec<String> {
        self.split_shared(lang, word).to_vec()
    }

    /// The parts of a query word that is a compound, as [`Lexicon::query_parts`] makes them.
    pub fn query_parts(&self, lang: Lang, word: &str) -> Vec<String> {
        self.lexicon
            .query_parts_with(lang, word, Some(&self.learned))
    }

    /// Whether the index term `term` begins with the query word `word` as a compound part
    /// ([`Lexicon::begins_compound`]).
    pub fn begins_compound(&self, lang: Lang, term: &str, word: &str) -> bool {
        self.lexicon.begins_compound(lang, term, word)
    }

    /// Whether the index term `term` ends with the query word's stem `stem` as a compound
    /// part ([`Lexicon::ends_compound`]).
    pub fn ends_compound(&self, lang: Lang, term: &str, stem: &str) -> bool {
        self.lexicon.ends_compound(lang, term, stem)
    }

    /// As [`CompoundSplitter::split`], remembered when the splitter has a cache.
    pub fn split_shared(&self, lang: Lang, word: &str) -> Arc<[String]> {
        if word.chars().count() < MIN_COMPOUND_CHARS {
            return no_parts();
        }
        let Some(cache) = &self.cache else {
            return self.split_uncached(lang, word).into();
        };
        if let Some(parts) = cache.get(lang, word) {
            return parts;
        }
        let parts = self.split_uncached(lang, word);
        // Most words are no compound: they share one empty list.
        let parts: Arc<[String]> = if parts.is_empty() {
            no_parts()
        } else {
            parts.into()
        };
        cache.insert(lang, word, Arc::clone(&parts));
        parts
    }

    fn split_uncached(&self, lang: Lang, word: &str) -> Vec<String> {
        self.lexicon.split_with(lang, word, Some(&self.learned))
    }
}

impl From<Lexicon> for CompoundSplitter {
    fn from(lexicon: Lexicon) -> CompoundSplitter {
        CompoundSplitter::new(Arc::new(lexicon))
    }
}

/// The one empty parts list every word that is no compound shares.
fn no_parts() -> Arc<[String]> {
    static EMPTY: std::sync::OnceLock<Arc<[String]>> = std::sync::OnceLock::new();
    Arc::clone(EMPTY.get_or_init(|| Arc::from(Vec::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexer splits with the FST form and the splits learned with the parts: the same
    /// splits as the lexicon itself makes.
    #[test]
    fn learned_splits_passed_to_the_fst_form_give_the_same_splits() {
        let mut lexicon = Lexicon::default();
        lexicon.extend([
            "samfunn",
            "beredskap",
            "samfunnsberedskap",
            "kommuneberedskap",
            "kommune",
            "totalberedskapsarbeidet",
            "arbeidet",
        ]);
        let learned_splits = lexicon.learn_parts();
        assert!(learned_splits.by_slot[0].contains_key("samfunnsberedskap"));
        let words = [
            "samfunnsberedskap",
            "kommuneberedskap",
            "totalberedskapsarbeidet",
        ];
        let expected: Vec<Vec<String>> = words
            .iter()
            .map(|word| lexicon.split(Lang::Nb, word))
            .collect();
        assert!(expected.iter().all(|parts| !parts.is_empty()));
        let plain = CompoundSplitter::from(lexicon.to_fst_form().expect("fst"));
        assert!(plain.learned.by_slot[0].is_empty());
        let without: Vec<Vec<String>> = words
            .iter()
            .map(|word| plain.split(Lang::Nb, word))
            .collect();
        // A fresh splitter: the first one's split cache would answer before the learned splits.
        let with_learned = CompoundSplitter::from(lexicon.to_fst_form().expect("fst"))
            .with_learned_splits(learned_splits);
        assert!(with_learned.learned.by_slot[0].contains_key("samfunnsberedskap"));
        let with: Vec<Vec<String>> = words
            .iter()
            .map(|word| with_learned.split(Lang::Nb, word))
            .collect();
        assert_eq!(without, expected);
        assert_eq!(with, expected);
    }
}
