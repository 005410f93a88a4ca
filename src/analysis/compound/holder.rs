//! A query word as the first or last part of a longer corpus word. In a small folder the
//! lexicon may know neither part of `budsjettjustering` (issue 26: `budsjett` never stands
//! alone there, `budsjettet` stems to `budsjet`), so the index holds no part of it; but a
//! query names a word, and that word is evidence enough for one part. The other part is
//! judged as the splitter judges parts ([`super::rules`]), so `and` never begins `andre`.

use super::lexicon::Lexicon;
use super::rules::{
    cuts_a_suffix, is_lexicon_word, plausible_unknown, ENDINGS, LINKS, MIN_COMPOUND_CHARS,
    MIN_KNOWN_PART_CHARS,
};
use super::slot;
use crate::lang::Lang;

/// Suffixes that make a word of another (`mulig|het`, `venn|skap`, `lang|somhet`): a rest
/// beginning so is a derivation of the query word, not a second part, and a query word that
/// is one (`skap` ending `beredskap`) is no part either.
const DERIVING_SUFFIXES: &[&str] = &[
    "het", "hed", "lighet", "lighed", "somhet", "somhed", "skap", "skab", "else", "sjon", "ning",
    "ighet", "ighed",
];

impl Lexicon {
    /// Whether the index term `term` (a corpus word's stem) is a compound that begins with
    /// `word` (a query word as typed, lowercase): the rest, after a linking letter or right
    /// after it, is a part the lexicon knows or a plausible unknown one, and no suffix is cut.
    pub fn begins_compound(&self, lang: Lang, term: &str, word: &str) -> bool {
        let Some(rest) = term.strip_prefix(word) else {
            return false;
        };
        // A derivation, its suffix read as a linking letter or not (`venn|skap|sbånd`).
        let derived = DERIVING_SUFFIXES
            .iter()
            .any(|suffix| rest.starts_with(suffix));
        if derived || !may_be_query_part(word) || !may_hold_parts(term) {
            return false;
        }
        [rest.strip_prefix(LINKS), Some(rest)]
            .into_iter()
            .flatten()
            .any(|second| {
                let at = term.len() - second.len();
                !cuts_a_suffix(term, at) && self.may_be_other_part(lang, second)
            })
    }

    /// Whether the index term `term` is a compound that ends with `stem` (a query word's
    /// stem: the term is stemmed, so its last part is too): the head before it, with or
    /// without a linking letter, is a part the lexicon knows or a plausible unknown one.
    pub fn ends_compound(&self, lang: Lang, term: &str, stem: &str) -> bool {
        let Some(head) = term.strip_suffix(stem) else {
            return false;
        };
        if !may_be_query_part(stem) || !may_hold_parts(term) || cuts_a_suffix(term, head.len()) {
            return false;
        }
        [head.strip_suffix(LINKS), Some(head)]
            .into_iter()
            .flatten()
            .any(|first| self.may_be_other_part(lang, first))
    }

    /// Whether `part` may be the other part beside a query word: one the lexicon knows (as a
    /// word, a stem or a learned part), or one that may stand unknown.
    fn may_be_other_part(&self, lang: Lang, part: &str) -> bool {
        let known = is_lexicon_word(part)
            && (self.contains(part) || self.has_stem(slot(lang), part) || self.has_part(part));
        known || plausible_unknown(part)
    }
}

/// Whether a query word (or its stem) may be a part: a word the lexicon could hold, and no
/// ending or suffix.
fn may_be_query_part(word: &str) -> bool {
    is_lexicon_word(word)
        && word.chars().count() >= MIN_KNOWN_PART_CHARS
        && !ENDINGS.contains(&word)
        && !DERIVING_SUFFIXES.contains(&word)
}

/// Whether `term` is long enough, and all letters, to be split.
fn may_hold_parts(term: &str) -> bool {
    term.chars().count() >= MIN_COMPOUND_CHARS && term.chars().all(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_word_begins_a_compound_the_lexicon_cannot_split() {
        let lexicon = Lexicon::from_words(["budsjettet", "styret"]);
        // Its best split is `budsjet|tjustering`: `budsjet` is the stem of `budsjettet`.
        let parts = lexicon.split(Lang::Nb, "budsjettjustering");
        assert!(!parts.contains(&"budsjett".to_string()), "{parts:?}");
        assert!(lexicon.begins_compound(Lang::Nb, "budsjettjustering", "budsjett"));
        assert!(lexicon.begins_compound(Lang::Nb, "ventilasjonsanleg", "ventilasjon"));
        // A last part the lexicon knows may be short: `styr`, the stem of `styret`.
        assert!(lexicon.begins_compound(Lang::Nb, "kommunestyr", "kommune"));
        assert!(!Lexicon::default().begins_compound(Lang::Nb, "kommunestyr", "kommune"));
        assert!(lexicon.ends_compound(Lang::Nb, "ventilasjonsanleg", "anleg"));
        assert!(lexicon.ends_compound(Lang::Nb, "samfunnsberedskap", "beredskap"));
    }

    #[test]
    fn derivations_and_short_words_are_no_parts() {
        let lexicon = Lexicon::from_words(["regn", "mulig", "venn"]);
        // Too short, a function word, a rest too short or a vowel-initial suffix.
        assert!(!lexicon.begins_compound(Lang::Nb, "andreas", "and"));
        assert!(!lexicon.begins_compound(Lang::Nb, "underveis", "under"));
        assert!(!lexicon.begins_compound(Lang::Nb, "skolering", "skole"));
        assert!(!lexicon.begins_compound(Lang::Nb, "organisasjon", "organ"));
        assert!(!lexicon.begins_compound(Lang::Nb, "digitalisering", "digital"));
        // A derivation: `mulig|hetsstudie` is `mulighet|s|studie`.
        assert!(!lexicon.begins_compound(Lang::Nb, "mulighetsstudi", "mulig"));
        assert!(!lexicon.begins_compound(Lang::Nb, "vennskapsbånd", "venn"));
        // A suffix is no last part, nor is a word cut out of one.
        assert!(!lexicon.ends_compound(Lang::Nb, "beredskap", "skap"));
        assert!(!lexicon.ends_compound(Lang::Nb, "vurdering", "ring"));
        assert!(!lexicon.ends_compound(Lang::Nb, "foreldr", "eldr"));
        assert!(!lexicon.ends_compound(Lang::Nb, "informasjon", "masjon"));
    }
}
