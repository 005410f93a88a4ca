//! A query word as the first or last part of a longer corpus word. In a small folder the
//! lexicon may know neither part of `budsjettjustering` (issue 26: `budsjett` never stands
//! alone there, `budsjettet` stems to `budsjet`), so the index holds no part of it; but a
//! query names a word, and that word is evidence enough for one part. The other part is
//! judged as the splitter judges parts ([`super::rules`]), so `and` never begins `andre`.

use super::lexicon::Lexicon;
use super::rules::{
    cuts_a_suffix, is_lexicon_word, plausible_unknown, starts_with_consonant, ENDINGS, LINKS,
    MIN_COMPOUND_CHARS, MIN_KNOWN_PART_CHARS, UNCUT_SUFFIXES,
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
                !cuts_a_suffix(term, at)
                    && begins_like_a_word(second)
                    && (self.may_be_other_part(lang, second) || may_be_particle_word(second))
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

/// Whether `part`, which begins with a vowel, is a verb particle and a word: `ut|bygging`,
/// `an|legg`, `ut|sleppa` (issue 15: `fiber` missed `Fiberutbygging`, `sprinkler`
/// `sprinkleranlegg`); a vowel start is otherwise mostly a suffix (`digital|isering`).
fn may_be_particle_word(part: &str) -> bool {
    PARTICLES.iter().any(|particle| {
        part.strip_prefix(particle).is_some_and(|word| {
            word.chars().count() >= MIN_PARTICLE_WORD_CHARS
                && starts_with_consonant(word)
                && begins_like_a_word(word)
                && !ENDINGS.contains(&word)
        })
    })
}

/// Verb particles that begin words (`utbygging`, `anlegg`, `innkjøp`, `oppfølging`,
/// `avfall`, `omsorg`): a part beginning so begins with a vowel and is still a word.
const PARTICLES: &[&str] = &["ut", "inn", "opp", "op", "av", "af", "an", "om", "in"];

/// The rest of a part after its particle has at least this many letters (`an|leg`, the stem
/// of `anlegg`).
const MIN_PARTICLE_WORD_CHARS: usize = 3;

/// Whether a query word (or its stem) may be a part: a word the lexicon could hold that begins
/// as words do, and no ending or suffix, nor a suffix with a letter or two before it
/// (`tering`, the end of `justering`: issue 15).
fn may_be_query_part(word: &str) -> bool {
    is_lexicon_word(word)
        && word.chars().count() >= MIN_KNOWN_PART_CHARS
        && !ENDINGS.contains(&word)
        && !DERIVING_SUFFIXES.contains(&word)
        && begins_like_a_word(word)
        && !UNCUT_SUFFIXES.iter().any(|suffix| {
            word.strip_suffix(suffix)
                .is_some_and(|root| root.chars().count() < MIN_ROOT_CHARS)
        })
}

/// A word ending in a suffix has at least this many letters before it (`just|ering`).
const MIN_ROOT_CHARS: usize = 3;

/// Whether `part` begins as a Norwegian or Danish word may: a vowel, or consonants a word
/// may begin with (`str`, `skj`, `kn`), not `nd` or `rt` (issue 15: `stra` began
/// `Strandsonen` as `stra|ndsonen`).
fn begins_like_a_word(part: &str) -> bool {
    let onset: String = part.chars().take_while(|&c| !is_vowel(c)).collect();
    onset.chars().count() <= 1 || ONSETS.contains(&onset.as_str())
}

fn is_vowel(c: char) -> bool {
    "aeiouyæøåäöé".contains(c)
}

/// The consonant clusters that begin Norwegian and Danish words.
const ONSETS: &[&str] = &[
    "bl", "br", "dr", "dj", "dv", "fl", "fr", "fj", "gl", "gr", "gn", "gj", "hj", "hv", "kl", "kr",
    "kn", "kv", "kj", "pl", "pr", "pj", "sk", "skj", "skr", "skl", "sl", "sm", "sn", "sp", "spr",
    "spl", "st", "str", "sv", "sj", "tr", "tv", "tj", "vr", "bj", "mj", "nj", "sh", "ch", "th",
    "ph", "sch", "sc", "scr", "wh", "kh", "ps", "ts",
];

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
    fn a_part_may_begin_with_a_particle_and_must_begin_as_a_word() {
        let lexicon = Lexicon::default();
        // Issue 15: a rest beginning with a verb particle is a word.
        assert!(lexicon.begins_compound(Lang::Nb, "fiberutbygging", "fiber"));
        assert!(lexicon.begins_compound(Lang::Nb, "sprinkleranleg", "sprinkler"));
        assert!(lexicon.begins_compound(Lang::Nn, "klimagassutslepp", "klimagass"));
        // A query word that is no word is no part: it begins badly or is a suffix's end.
        assert!(!lexicon.begins_compound(Lang::Nb, "strandson", "stra"));
        assert!(!lexicon.ends_compound(Lang::Nb, "budsjettjustering", "tering"));
        assert!(lexicon.ends_compound(Lang::Nb, "budsjettjustering", "justering"));
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
