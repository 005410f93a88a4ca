//! The rules of what may be a compound part: lengths, linking letters, endings and suffixes a
//! split may not make, function words that are never parts.

use crate::analysis::tokenizer::MAX_TOKEN_BYTES;
use crate::analysis::word_hasher::WordHasher;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;

/// Shortest lexicon word used as a part (shorter ones split too much: `rom`, `del`).
pub(super) const MIN_KNOWN_PART_CHARS: usize = 4;
/// Shortest part that need not stand alone in the corpus.
pub(super) const MIN_UNKNOWN_PART_CHARS: usize = 5;
/// Shortest word worth splitting.
pub(super) const MIN_COMPOUND_CHARS: usize = 8;
/// Letters that may join two parts: `samfunn-s-beredskap`, `barn-e-hage`.
pub(super) const LINKS: [char; 2] = ['s', 'e'];
/// Parts of parts are split too, this deep (`totalberedskap|s|arbeidet` → `total|beredskap`).
pub(super) const MAX_DEPTH: usize = 3;

/// Endings that look like a word after a known stem (`mulig|heten`): never an unknown part.
pub(super) const ENDINGS: &[&str] = &[
    "heten", "heter", "hetene", "heden", "heder", "hederne", "skapet", "skaper", "skapen",
    "sjonen", "sjoner", "ningen", "ninger", "ningene", "lighet", "lighed", "dommen", "tionen",
    "tioner", "messig", "mæssig",
];

/// Suffixes a split may not cut into: `priorit|eringer` is no `prioritet|ringer`, nor
/// `vurd|eringer` a `vurde|ringer`, though `ringer` stands alone.
pub(super) const UNCUT_SUFFIXES: &[&str] = &[
    "ering", "eringer", "eringen", "eringene", "erne", "ninger", "ningen", "ningene", "elser",
    "elsen", "elsene", "heten", "hetene", "heder", "hederne",
];

/// Whether a part boundary at byte `at` of `word` falls inside one of its suffixes.
pub(super) fn cuts_a_suffix(word: &str, at: usize) -> bool {
    UNCUT_SUFFIXES
        .iter()
        .any(|suffix| word.ends_with(suffix) && at > word.len() - suffix.len() && at < word.len())
}

/// A part that does not stand alone is believed only when it starts like a word: with a
/// consonant (a vowel start is mostly a suffix: `digital|isering`, `internkont|roll`) and
/// is not a known ending.
pub(super) fn plausible_unknown(part: &str) -> bool {
    starts_with_consonant(part) && plausible_unknown_rest(part, part.chars().count())
}

pub(super) fn starts_with_consonant(part: &str) -> bool {
    part.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && !"aeiouyæøåäöé".contains(c))
}

/// The rest of [`plausible_unknown`], for a part `chars` chars long that starts with a
/// consonant (the split search knows both).
pub(super) fn plausible_unknown_rest(part: &str, chars: usize) -> bool {
    chars >= MIN_UNKNOWN_PART_CHARS && !ENDINGS.contains(&part)
}

/// Function words that stand alone everywhere and are never compound parts.
pub(super) const NOT_PARTS: &[&str] = &[
    "også", "eller", "etter", "efter", "under", "over", "mellom", "mellem", "gjennom", "gennem",
    "blant", "andre", "anden", "andet", "denne", "dette", "disse", "deres", "hvordan", "hvilke",
    "både", "skal", "skulle", "kunne", "blir", "bliver", "vært", "være", "vere", "ville", "have",
    "havde", "ikke", "ikkje", "uden", "utan", "uten", "mange", "mykje", "mye", "flere", "fleire",
    "mest", "fordi", "slik", "sådan", "samt", "selv", "sjølv", "sine", "sitt", "vårt", "våre",
    "vores", "hans", "hennes", "hende", "dens", "dets", "inne", "inde", "frem", "fram", "ende",
    "enda", "endnu", "noen", "nogen", "nokre", "noko", "noget", "alle", "hele", "heile", "mere",
    "mer", "meir", "fått", "faar", "får", "gjør", "gør", "gjer", "sier", "siger", "seg", "sig",
];

/// [`NOT_PARTS`] as a set: function words are the most common words of a text, and learning
/// checks every word against them.
static NOT_PART_SET: std::sync::LazyLock<HashSet<&'static str, BuildHasherDefault<WordHasher>>> =
    std::sync::LazyLock::new(|| NOT_PARTS.iter().copied().collect());

pub(super) fn is_lexicon_word(word: &str) -> bool {
    word.chars().count() >= MIN_KNOWN_PART_CHARS
        && word.len() <= MAX_TOKEN_BYTES
        && word.chars().all(char::is_alphabetic)
        && !NOT_PART_SET.contains(word)
}
