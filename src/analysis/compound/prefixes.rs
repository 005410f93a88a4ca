//! What the lexicon holds at a split point: the kinds of entry each prefix of the rest of the
//! word is, and which kinds may begin there at all.

use super::lexicon::{first_chars, Lexicon};
use super::rules::MIN_KNOWN_PART_CHARS;
use super::slot;
use crate::analysis::stemmer::stem_word;
use crate::lang::Lang;

/// What a split point's prefix is, as [`Lexicon::prefix_kinds`] finds it.
pub(super) const KIND_WORD: u8 = 1;
pub(super) const KIND_STEM: u8 = 2;

/// Which kinds of lexicon entry a part starting at some split point may be, judged by its
/// first letters: a lookup that cannot succeed is skipped.
#[derive(Debug, Clone, Copy)]
pub(super) struct PossibleEntries {
    /// Some lexicon word begins as the part does (its first four letters).
    pub(super) word: bool,
    /// Some stem of this stemmer begins as the part does (its first four letters).
    pub(super) stem: bool,
    /// Some stem begins with the part's first three letters, so a final part may be known
    /// through its stem ([`Lexicon::knows_head_stem`]).
    pub(super) head_by_stem: bool,
}

impl Lexicon {
    /// What the lexicon holds of each prefix of `rest` (a word from some char on), into
    /// `kinds` by the prefix's length in chars: [`KIND_WORD`], or [`KIND_STEM`] for a stem of
    /// this stemmer that is no word (never for the whole rest, which is looked up as a head).
    /// `bounds` are the byte offsets of `rest`'s chars in the word, its end last. Only the
    /// kinds `possible` allows are looked up; the FST form, which needs no such hint, narrows
    /// `possible.head_by_stem` to heads that some entry begins like.
    pub(super) fn prefix_kinds(
        &self,
        lang: Lang,
        rest: &str,
        bounds: &[usize],
        possible: &mut PossibleEntries,
        kinds: &mut [u8],
    ) {
        if let Some(fst_form) = &self.fst {
            let walked = fst_form.walk_prefixes(lang, rest, bounds, kinds);
            // A stem has three letters at least, so a head whose first three begin no entry
            // is not known through its stem either (see `knows_head_stem`).
            possible.head_by_stem &= walked >= 3;
            return;
        }
        let chars = bounds.len() - 1;
        let base = bounds[0];
        for length in MIN_KNOWN_PART_CHARS..=chars {
            let prefix = &rest[..bounds[length] - base];
            if possible.word && self.words.contains(prefix) {
                kinds[length] = KIND_WORD;
            } else if length < chars && possible.stem && self.stems[slot(lang)].contains(prefix) {
                kinds[length] = KIND_STEM;
            }
        }
    }

    /// Whether `head` (the final part, which carries the compound's ending) stands alone
    /// through its stem (whether it stands alone as written is [`Lexicon::prefix_kinds`]'s).
    pub(super) fn knows_head_stem(
        &self,
        lang: Lang,
        head: &str,
        possible: PossibleEntries,
    ) -> bool {
        // Known only through its stem, a head must be longer: `roll` (the stem of `rolle`)
        // would make `internkont|roll` of `internkontroll`. A stem is a prefix of its word,
        // three letters at least (Snowball's R1), so a head whose first three letters begin no
        // stem need not be stemmed.
        possible.head_by_stem
            && head.chars().count() > MIN_KNOWN_PART_CHARS
            && self.has_stem(slot(lang), &stem_word(lang, head))
    }

    /// What may start at the start of `rest` (a word from some char on, four chars at least).
    pub(super) fn possible_entries(&self, lang: Lang, rest: &str) -> PossibleEntries {
        if self.fst.is_some() {
            return PossibleEntries {
                word: true,
                stem: true,
                head_by_stem: true,
            };
        }
        let four = first_chars(rest, 4);
        PossibleEntries {
            word: self.word_first_four.contains(four),
            stem: self.stem_first_four[slot(lang)].contains(four),
            head_by_stem: self.stem_first_three[slot(lang)].contains(first_chars(rest, 3)),
        }
    }
}
