//! Derived words (issue 17): a word and the words derived from it with a productive suffix,
//! which Snowball's stemmers leave apart: `strategi`/`strategisk`, `teknologi`/`teknologiske`,
//! `digital`/`digitalisering`, `rekruttere`/`rekruttering`. A query word, or a part of a
//! compound query word (`innkjøpsstrategi`: `innkjøp som strategisk verktøy`), meets them at a
//! lower form than the word itself.
//!
//! The suffixes are the productive derivational suffixes of Norwegian and Danish adjectives
//! (`-isk`, `-sk`, `-ig`, `-lig`, `-ell`) and nouns (`-ering`, `-isering`, `-ing`, `-ning`,
//! `-else`, `-het`/`-hed`, `-skap`/`-skab`). The search keeps only the derived words the index
//! holds.

/// Derivational suffixes, each added to a stem or taken off one.
const SUFFIXES: &[&str] = &[
    "isk", "sk", "ig", "lig", "ell", "isering", "ering", "ing", "ning", "else", "het", "hed",
    "skap", "skab",
];

/// A stem must keep this many letters for a suffix to be added to it: shorter stems (`plan`,
/// `land`) make ordinary words (`planing`, `landing`), not derivations.
const MIN_BASE_CHARS: usize = 5;
/// A stem must keep this many letters once a suffix is taken off (`mobilisering` is not
/// `mobil`, `organisering` not `organ`).
const MIN_STRIPPED_CHARS: usize = 6;

/// Words derived from `stem` (a stem of a query word), and the words `stem` is derived from,
/// as candidates for the caller to stem and look up. Empty for a short stem.
pub(crate) fn derivation_candidates(stem: &str) -> Vec<String> {
    let chars = stem.chars().count();
    if chars < MIN_BASE_CHARS || !stem.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let mut candidates: Vec<String> = Vec::new();
    let mut note = |candidate: String| {
        if candidate != stem && !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    };
    for suffix in SUFFIXES {
        note(format!("{stem}{suffix}"));
        if let Some(base) = stem.strip_suffix(suffix) {
            if base.chars().count() >= MIN_STRIPPED_CHARS {
                note(base.to_string());
            }
        }
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivations_go_both_ways() {
        assert!(derivation_candidates("strategi").contains(&"strategisk".to_string()));
        assert!(derivation_candidates("teknologi").contains(&"teknologisk".to_string()));
        assert!(derivation_candidates("digital").contains(&"digitalisering".to_string()));
        assert!(derivation_candidates("digitalisering").contains(&"digital".to_string()));
        assert!(derivation_candidates("strategisk").contains(&"strategi".to_string()));
        assert!(derivation_candidates("rekrutter").contains(&"rekruttering".to_string()));
    }

    #[test]
    fn short_stems_and_short_bases_are_left_alone() {
        assert!(derivation_candidates("plan").is_empty());
        assert!(!derivation_candidates("mobilisering").contains(&"mobil".to_string()));
        assert!(!derivation_candidates("organisering").contains(&"organ".to_string()));
        assert!(derivation_candidates("2024").is_empty());
    }
}
