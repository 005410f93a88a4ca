//! A word's parts: its best split, the parts of its parts, and learned parts found inside
//! it; the parts of a query word.

use super::char_bounds;
use super::learn::LearnedSplits;
use super::lexicon::Lexicon;
use super::rules::{LINKS, MAX_DEPTH, MIN_COMPOUND_CHARS, MIN_UNKNOWN_PART_CHARS};
use super::search::PartSpan;
use crate::analysis::tokenizer::MAX_TOKEN_BYTES;
use crate::lang::Lang;
use std::ops::Range;

impl Lexicon {
    /// The parts of the compound `word` (lowercase), outermost split first, then the parts of
    /// its parts; empty when `word` is not a compound of lexicon words. Parts are as written
    /// (not stemmed), linking letters dropped. Worked out afresh: a
    /// [`CompoundSplitter`](super::CompoundSplitter) remembers them.
    pub fn split(&self, lang: Lang, word: &str) -> Vec<String> {
        self.split_with(lang, word, None)
    }

    /// [`Lexicon::split`], looking up best splits in `learned` before searching for them.
    pub(super) fn split_with(
        &self,
        lang: Lang,
        word: &str,
        learned: Option<&LearnedSplits>,
    ) -> Vec<String> {
        if word.chars().count() < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        // The word's own split is made once: its parts, and where it had to guess.
        let Some(top) = self.best_split(lang, word, learned) else {
            return Vec::new();
        };
        // Learned parts are looked for where the split had to guess: in its unknown part.
        let guessed: Vec<Range<usize>> = top
            .iter()
            .filter(|part| !part.known)
            .map(|part| part.range.clone())
            .collect();
        let mut parts = Vec::new();
        self.add_parts(lang, top, MAX_DEPTH, learned, &mut parts);
        self.embedded_parts(word, &guessed, &mut parts);
        parts
    }

    /// The parts of a query word that is a compound (`klima`, `endringer` of
    /// `klimaendringer`): its best split only, two parts at least; empty otherwise.
    pub fn query_parts(&self, lang: Lang, word: &str) -> Vec<String> {
        self.query_parts_with(lang, word, None)
    }

    /// [`Lexicon::query_parts`], looking up the best split in `learned` first.
    pub(super) fn query_parts_with(
        &self,
        lang: Lang,
        word: &str,
        learned: Option<&LearnedSplits>,
    ) -> Vec<String> {
        self.best_split(lang, word, learned)
            .map(|parts| parts.into_iter().map(|part| part.text).collect())
            .unwrap_or_default()
    }

    /// Learned parts inside `word` that end where a part may end: at the word's end or
    /// before a linking letter (`beredskap` in `totalberedskapsarbeidet`).
    fn embedded_parts(&self, word: &str, guessed: &[Range<usize>], out: &mut Vec<String>) {
        if !self.has_parts() || guessed.is_empty() || word.len() > MAX_TOKEN_BYTES {
            return;
        }
        let bounds = char_bounds(word);
        let chars = bounds.len() - 1;
        if chars < MIN_COMPOUND_CHARS {
            return;
        }
        for end in MIN_UNKNOWN_PART_CHARS..=chars {
            let at_end = end == chars;
            let before_link = !at_end
                && end + 1 < chars
                && word[bounds[end]..]
                    .chars()
                    .next()
                    .is_some_and(|c| LINKS.contains(&c));
            if !at_end && !before_link {
                continue;
            }
            for start in 0..=end - MIN_UNKNOWN_PART_CHARS {
                if start == 0 && at_end {
                    continue;
                }
                let range = bounds[start]..bounds[end];
                let overlaps = guessed
                    .iter()
                    .any(|span| span.start < range.end && range.start < span.end);
                let part = &word[range];
                if overlaps && self.has_part(part) && !out.iter().any(|known| known == part) {
                    out.push(part.to_string());
                }
            }
        }
    }

    /// Adds `split`'s parts to `out`, then the parts of its parts, `depth` levels in all.
    fn add_parts(
        &self,
        lang: Lang,
        split: Vec<SplitPart>,
        depth: usize,
        learned: Option<&LearnedSplits>,
        out: &mut Vec<String>,
    ) {
        let parts: Vec<String> = split.into_iter().map(|part| part.text).collect();
        for part in &parts {
            if !out.contains(part) {
                out.push(part.clone());
            }
        }
        if depth <= 1 {
            return;
        }
        for part in &parts {
            if let Some(inner) = self.best_split(lang, part, learned) {
                self.add_parts(lang, inner, depth - 1, learned, out);
            }
        }
    }

    /// The split of `word` into the fewest parts, at most one of them unknown: each part as
    /// written, whether the lexicon knows it, and its byte range in `word`. Looked up in
    /// `learned` when it is there, else searched for.
    fn best_split(
        &self,
        lang: Lang,
        word: &str,
        learned: Option<&LearnedSplits>,
    ) -> Option<Vec<SplitPart>> {
        if let Some(compact) = learned.and_then(|learned| learned.get(lang, word)) {
            let spans: Vec<PartSpan> = compact.iter().copied().map(PartSpan::from).collect();
            return split_parts(word, &spans);
        }
        split_parts(word, &self.best_spans(lang, word))
    }
}

/// A part of a found split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SplitPart {
    pub(super) text: String,
    pub(super) known: bool,
    /// Known only through a stem, not as written.
    pub(super) weak: bool,
    pub(super) range: Range<usize>,
}

/// The parts of `word` that `spans` (chars `start..end`) cut it into; `None` unless two or
/// more.
pub(super) fn split_parts(word: &str, spans: &[PartSpan]) -> Option<Vec<SplitPart>> {
    if spans.len() < 2 {
        return None;
    }
    let bounds = char_bounds(word);
    let parts = spans
        .iter()
        .map(|span| {
            let range = bounds[span.start]..bounds[span.end];
            SplitPart {
                text: word[range.clone()].to_string(),
                known: span.known,
                weak: span.weak,
                range,
            }
        })
        .collect();
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compound::corpus_lexicon;

    #[test]
    fn splits_the_corpus_compounds_of_the_issue() {
        let lexicon = corpus_lexicon();
        assert_eq!(
            lexicon.split(Lang::Nb, "samfunnsberedskap"),
            ["samfunn", "beredskap"]
        );
        let parts = lexicon.split(Lang::Nb, "totalberedskapsarbeidet");
        assert!(parts.contains(&"beredskap".to_string()), "{parts:?}");
        assert!(parts.contains(&"total".to_string()), "{parts:?}");
        assert!(parts.contains(&"arbeidet".to_string()), "{parts:?}");
        assert_eq!(lexicon.split(Lang::Nb, "gjeldsnivået"), ["gjeld", "nivået"]);
        assert_eq!(
            lexicon.split(Lang::Nb, "klimaendringer"),
            ["klima", "endringer"]
        );
        assert_eq!(
            lexicon.split(Lang::Nb, "heltidskultur"),
            ["heltid", "kultur"]
        );
    }

    #[test]
    fn a_part_learned_from_one_compound_is_found_in_another() {
        // As in the bundled corpus: `beredskap` and `total` never stand alone, `redskap`
        // does, so the best split of `totalberedskap` is `totalb|redskap`; `beredskap`,
        // learned from `samfunns|beredskap`, is still found inside it.
        let lexicon = Lexicon::from_words([
            "samfunnet",
            "samfunn",
            "samfunnsberedskap",
            "redskap",
            "arbeidet",
            "totalberedskapsarbeidet",
        ]);
        assert!(lexicon.has_part("beredskap"));
        let parts = lexicon.split(Lang::Nb, "totalberedskapsarbeidet");
        assert!(parts.contains(&"beredskap".to_string()), "{parts:?}");
        // Not inside parts the split knows: `endringer` stands alone, so `ringer` is not
        // looked for in it.
        let lexicon =
            Lexicon::from_words(["klima", "endringer", "omstillingsringer", "omstilling"]);
        assert!(lexicon.has_part("ringer"));
        assert_eq!(
            lexicon.split(Lang::Nb, "klimaendringer"),
            ["klima", "endringer"]
        );
    }

    #[test]
    fn words_without_known_parts_stay_whole() {
        let mut lexicon = corpus_lexicon();
        lexicon.extend(["digital", "mulig", "rolle", "organ", "helt"]);
        for word in [
            "digitalisering",
            "muligheten",
            "internkontroll",
            "organisering",
            "beredskap",
            "forvaltningen",
            "utfordringer",
            "kommunene",
            "samfunn",
            "2024-2027",
        ] {
            assert!(lexicon.split(Lang::Nb, word).is_empty(), "{word}");
        }
    }
}
