//! Learning compound parts: every lexicon word is split, and the plausible parts that do not
//! stand alone are kept; the best splits made on the way are kept for the indexer.

use super::lexicon::{Lexicon, WordSet};
use super::rules::{plausible_unknown, MIN_COMPOUND_CHARS};
use super::search::PartSpan;
use super::slot;
use super::split::split_parts;
use crate::analysis::word_hasher::WordHasher;
use crate::lang::Lang;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The best split of each lexicon word long enough to split, by stemmer, as
/// [`Lexicon::learn_parts`] made it: the indexer splits the same words again, and a best split
/// does not depend on the parts learned (issue 5: splitting was most of the indexer's time).
/// Handed to the [`CompoundSplitter`](super::CompoundSplitter) the indexer splits with.
#[derive(Debug, Default)]
pub struct LearnedSplits {
    pub(super) by_slot: [SplitMap; 2],
}

type SplitMap = HashMap<Box<str>, Box<[CompactPartSpan]>, BuildHasherDefault<WordHasher>>;

impl LearnedSplits {
    /// The learned best split of `word` under `lang`'s stemmer, if it was learned.
    pub(super) fn get(&self, lang: Lang, word: &str) -> Option<&[CompactPartSpan]> {
        self.by_slot[slot(lang)].get(word).map(|spans| &**spans)
    }
}

/// A [`PartSpan`] in four bytes (a word has at most
/// [`MAX_TOKEN_BYTES`](crate::analysis::MAX_TOKEN_BYTES) chars). An empty list
/// stands for no split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CompactPartSpan {
    start: u8,
    end: u8,
    known: bool,
    weak: bool,
}

impl From<PartSpan> for CompactPartSpan {
    fn from(span: PartSpan) -> CompactPartSpan {
        CompactPartSpan {
            start: span.start as u8,
            end: span.end as u8,
            known: span.known,
            weak: span.weak,
        }
    }
}

impl From<CompactPartSpan> for PartSpan {
    fn from(span: CompactPartSpan) -> PartSpan {
        PartSpan {
            start: usize::from(span.start),
            end: usize::from(span.end),
            known: span.known,
            weak: span.weak,
        }
    }
}

impl Lexicon {
    /// Splits every lexicon word and keeps the parts that do not stand alone. The words are
    /// split on every core (issue 5: this ran alone before indexing could start). Returns the
    /// best splits made on the way, for a [`CompoundSplitter`](super::CompoundSplitter) of this
    /// lexicon to reuse.
    pub fn learn_parts(&mut self) -> LearnedSplits {
        let mut words: Vec<&String> = self
            .words
            .iter()
            .filter(|word| word.chars().count() >= MIN_COMPOUND_CHARS)
            .collect();
        // Sorted, so each thread's share (and the work) is the same on every run.
        words.sort();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = words.len().div_ceil(threads).max(1);
        // The search runs on the FST form, built once: its one pass per split point beats a
        // lookup per substring.
        let fst_form = self.to_fst_form().ok();
        let this = fst_form.as_ref().unwrap_or(self);
        let shares: Vec<(Vec<String>, LearnedSplits)> = std::thread::scope(|scope| {
            let workers: Vec<_> = words
                .chunks(chunk)
                .map(|share| scope.spawn(move || this.unknown_parts(share)))
                .collect();
            workers
                .into_iter()
                .filter_map(|worker| worker.join().ok())
                .collect()
        });
        let mut learned = WordSet::default();
        let mut splits = LearnedSplits::default();
        for (parts, share_splits) in shares {
            learned.extend(parts);
            for (all, share) in splits.by_slot.iter_mut().zip(share_splits.by_slot) {
                all.extend(share);
            }
        }
        self.parts = learned;
        splits
    }

    /// The plausible parts of `words`' best splits that the lexicon does not know, and the
    /// splits.
    fn unknown_parts(&self, words: &[&String]) -> (Vec<String>, LearnedSplits) {
        let mut learned = Vec::new();
        let mut splits = LearnedSplits::default();
        for word in words {
            for lang in [Lang::Nb, Lang::Da] {
                let spans = self.best_spans(lang, word);
                let compact: Box<[CompactPartSpan]> =
                    spans.iter().copied().map(CompactPartSpan::from).collect();
                splits.by_slot[slot(lang)].insert(word.as_str().into(), compact);
                let split = split_parts(word, &spans).unwrap_or_default();
                // Evidence only from splits whose known parts stand alone as written:
                // `rekrut` (a Danish stem) must not teach `tering`.
                if split.iter().any(|part| part.weak) {
                    continue;
                }
                for part in split {
                    if !part.known && plausible_unknown(&part.text) {
                        learned.push(part.text);
                    }
                }
            }
        }
        (learned, splits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_part_is_made_of_an_unsplittable_word() {
        // `rekrut` is only a Danish stem: `rekrut|tering` teaches nothing, and a word with no
        // split is not searched for learned parts.
        let lexicon = Lexicon::from_words([
            "rekruttering",
            "prioriteringer",
            "oppdateringer",
            "implementeringen",
            "ringer",
        ]);
        assert!(!lexicon.has_part("tering"));
        for word in ["rekruttering", "prioriteringer", "vurderinger"] {
            assert!(lexicon.split(Lang::Nb, word).is_empty(), "{word}");
            assert!(lexicon.query_parts(Lang::Nb, word).is_empty(), "{word}");
        }
    }
}
