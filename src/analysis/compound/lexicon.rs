//! The lexicon: the words that stand alone in a corpus, their stems, and the parts learned
//! from them; learning words from text and merging what several threads learned.

use super::fst::{LexiconFst, FST_PART, FST_STEM, FST_WORD};
use super::rules::is_lexicon_word;
use super::slot;
use crate::analysis::stemmer::stem_word;
use crate::analysis::word_hasher::WordHasher;
use crate::lang::Lang;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

/// The words that stand alone in a corpus: lowercase forms, their stems per stemmer, and
/// the parts learned from splitting them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    pub(super) words: WordSet,
    /// By stemmer: Norwegian (bokmål and nynorsk), Danish.
    pub(super) stems: [WordSet; 2],
    /// Parts that do not stand alone but were split off a compound of the lexicon
    /// (`beredskap` of `samfunnsberedskap`): looked for inside other compounds too, so that
    /// `totalberedskapsarbeidet` holds `beredskap` though its best split cannot tell.
    pub(super) parts: WordSet,
    /// Bytes of corpus text the lexicon was learned from.
    pub(super) sample_bytes: u64,
    /// The first four letters of every word, and of every stem per stemmer; the first three
    /// of every stem. A split tries every substring of a word, and most start where no
    /// lexicon entry does: one lookup per start rules them all out (issue 5's profile).
    pub(super) word_first_four: WordSet,
    pub(super) stem_first_four: [WordSet; 2],
    pub(super) stem_first_three: [WordSet; 2],
    /// A lexicon loaded for searching: every entry in one FST, the sets above empty.
    pub(super) fst: Option<LexiconFst>,
}

/// A set of words hashed with [`WordHasher`]: splitting looks up every substring of a word,
/// and SipHash made those lookups the indexer's hottest spot (issue 5's profile).
pub(super) type WordSet = HashSet<String, BuildHasherDefault<WordHasher>>;

impl Lexicon {
    /// A lexicon of `words` (any case; function words and short words are left out), with
    /// its parts learned.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon.extend(words);
        lexicon.learn_parts();
        lexicon
    }

    /// Adds `words`; returns how many were new. Call [`Lexicon::learn_parts`] after.
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) -> usize {
        let mut added = 0;
        // Most words are seen before: lowercased into one buffer, and looked up first, they
        // cost no allocation (issue 5: learning read the sample at a sixth of its speed).
        let mut lowercase = String::new();
        for word in words {
            lowercase_into(word, &mut lowercase);
            if self.has_word(&lowercase) || !is_lexicon_word(&lowercase) {
                continue;
            }
            for lang in [Lang::Nb, Lang::Da] {
                self.add_stem(slot(lang), stem_word(lang, &lowercase));
            }
            self.add_word(lowercase.clone());
            added += 1;
        }
        added
    }

    fn has_word(&self, word: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(word) & FST_WORD != 0,
            None => self.words.contains(word),
        }
    }

    pub(super) fn has_stem(&self, slot: usize, stem: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(stem) & FST_STEM[slot] != 0,
            None => self.stems[slot].contains(stem),
        }
    }

    pub(super) fn has_parts(&self) -> bool {
        match &self.fst {
            Some(fst) => fst.has_parts,
            None => !self.parts.is_empty(),
        }
    }

    pub(super) fn add_word(&mut self, word: String) {
        self.word_first_four
            .insert(first_chars(&word, 4).to_string());
        self.words.insert(word);
    }

    pub(super) fn add_stem(&mut self, slot: usize, stem: String) {
        self.stem_first_four[slot].insert(first_chars(&stem, 4).to_string());
        self.stem_first_three[slot].insert(first_chars(&stem, 3).to_string());
        self.stems[slot].insert(stem);
    }

    /// Adds what `other` learned from its own texts (its words, their stems, its sample), as
    /// if this lexicon had learned those texts too: lexicons learned on several threads are
    /// merged so. Parts are not merged; call [`Lexicon::learn_parts`] after.
    pub fn absorb(&mut self, other: Lexicon) {
        self.sample_bytes += other.sample_bytes;
        let union = |into: &mut WordSet, from: WordSet| {
            if into.len() < from.len() {
                let smaller = std::mem::replace(into, from);
                into.extend(smaller);
            } else {
                into.extend(from);
            }
        };
        union(&mut self.words, other.words);
        union(&mut self.word_first_four, other.word_first_four);
        for (slot, (stems, (first_four, first_three))) in other
            .stems
            .into_iter()
            .zip(
                other
                    .stem_first_four
                    .into_iter()
                    .zip(other.stem_first_three),
            )
            .enumerate()
        {
            union(&mut self.stems[slot], stems);
            union(&mut self.stem_first_four[slot], first_four);
            union(&mut self.stem_first_three[slot], first_three);
        }
    }

    /// Learns the words of `text` (raw corpus text). Call [`Lexicon::learn_parts`] after.
    pub fn learn_text(&mut self, text: &str) {
        self.sample_bytes += text.len() as u64;
        self.extend(text.split(|c: char| !c.is_alphabetic()));
    }

    /// How many words the lexicon knows.
    pub fn len(&self) -> usize {
        match &self.fst {
            Some(fst) => fst.words,
            None => self.words.len(),
        }
    }

    /// Whether the lexicon knows no word (nothing splits).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of corpus text learned from so far.
    pub fn sample_bytes(&self) -> u64 {
        self.sample_bytes
    }

    /// Counts `bytes` more of corpus text as learned from, for words added with
    /// [`Lexicon::extend`] (the indexer learns a document's words as its tokenizer cuts them).
    pub fn add_sample_bytes(&mut self, bytes: u64) {
        self.sample_bytes += bytes;
    }

    /// Whether `word` (lowercase) stands alone in the corpus learned from.
    pub fn contains(&self, word: &str) -> bool {
        self.has_word(word)
    }

    /// Whether `part` was learned as a compound part.
    pub fn has_part(&self, part: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(part) & FST_PART != 0,
            None => self.parts.contains(part),
        }
    }
}

/// The first `chars` chars of `text` (all of it when shorter).
pub(super) fn first_chars(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// `word.to_lowercase()`, written into `out`.
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else if word.contains('Σ') {
        // The one letter whose lowercase depends on its place in the word.
        out.push_str(&word.to_lowercase());
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_and_short_words_are_not_learned() {
        let mut lexicon = Lexicon::default();
        lexicon.learn_text("Også rom og del, men samfunnet 2024!");
        assert!(!lexicon.contains("også"));
        assert!(!lexicon.contains("rom"));
        assert!(lexicon.contains("samfunnet"));
        assert_eq!(lexicon.len(), 1);
    }

    #[test]
    fn lowercase_into_is_to_lowercase() {
        let mut out = String::new();
        for word in ["KOMMUNE", "Ærlig", "ØKONOMI", "ΟΔΟΣ", "straße", "İstanbul"] {
            lowercase_into(word, &mut out);
            assert_eq!(out, word.to_lowercase());
        }
    }
}
