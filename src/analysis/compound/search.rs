//! The split search: the best split of one word into parts, by a memoised search over its
//! split points for the split of least cost.

use super::char_bounds;
use super::lexicon::Lexicon;
use super::prefixes::{KIND_STEM, KIND_WORD};
use super::rules::{
    cuts_a_suffix, plausible_unknown_rest, starts_with_consonant, LINKS, MIN_COMPOUND_CHARS,
    MIN_KNOWN_PART_CHARS,
};
use crate::analysis::tokenizer::MAX_TOKEN_BYTES;
use crate::lang::Lang;

impl Lexicon {
    /// The part spans of [`Lexicon::best_split`], found by the search; empty when there is none.
    pub(super) fn best_spans(&self, lang: Lang, word: &str) -> Vec<PartSpan> {
        if word.len() > MAX_TOKEN_BYTES || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let bounds = char_bounds(word);
        let chars = bounds.len() - 1;
        if chars < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        let mut search = SplitSearch {
            lexicon: self,
            lang,
            word,
            bounds: &bounds,
            memo: vec![None; 2 * (chars + 1)],
            start_infos: vec![None; chars + 1],
            kinds: vec![0; (chars + 1) * (chars + 1)],
        };
        if search.best(0, true).is_none() {
            return Vec::new();
        }
        search.spans()
    }
}

/// What the lexicon holds of a part: the evidence that it is a real part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartEvidence {
    /// It stands alone as written.
    Word,
    /// Only as a stem: weaker evidence (`samfun`, the stem of `samfunn`, is no word).
    StemOnly,
    /// Nothing: at most one such part, and only a plausible one
    /// ([`plausible_unknown`](super::rules::plausible_unknown)).
    Unknown,
}

/// A split's cost, lower is better. Compared field by field in the order written (the
/// derived `Ord`): fewest unknown parts first, then fewest parts, then fewest parts known
/// only as stems, then fewest letters in unknown parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SplitCost {
    unknown_parts: usize,
    parts: usize,
    stem_only_parts: usize,
    unknown_chars: usize,
}

/// A memoised search over split points, for the split of least [`SplitCost`].
struct SplitSearch<'a> {
    lexicon: &'a Lexicon,
    lang: Lang,
    word: &'a str,
    /// Byte offset of each char, and the word's length last.
    bounds: &'a [usize],
    /// By `2 * start + unknown_allowed`: `Some(best)` once searched.
    memo: Vec<Option<Option<Step>>>,
    /// By start: [`SplitSearch::start_info`] once worked out.
    start_infos: Vec<Option<StartInfo>>,
    /// By `start * (chars + 1) + length`: what the lexicon holds of the part (`KIND_*`),
    /// filled for a start with its info.
    kinds: Vec<u8>,
}

/// What a split search knows of one split point.
#[derive(Debug, Clone, Copy)]
struct StartInfo {
    /// The whole rest is known as a final part.
    head_known: bool,
    /// A part starting here begins with a consonant (see
    /// [`plausible_unknown`](super::rules::plausible_unknown)).
    consonant: bool,
}

/// The best split of a word from some char on, as its first part and where the rest's best
/// split is memoised: the search allocates nothing per candidate (issue 5's profile).
#[derive(Debug, Clone, Copy)]
struct Step {
    cost: SplitCost,
    span: PartSpan,
    /// The memo slot of the rest's split; `None` when `span` is the last part.
    rest: Option<usize>,
}

/// Where a part of a split lies, its chars `start..end` in the word, and whether the lexicon
/// knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PartSpan {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) known: bool,
    /// Known only through a stem, not as written.
    pub(super) weak: bool,
}

impl SplitSearch<'_> {
    /// The cost of the best split of the word from char `start` on, with one unknown part
    /// still allowed when `unknown_allowed`; the split itself is left in the memo.
    fn best(&mut self, start: usize, unknown_allowed: bool) -> Option<SplitCost> {
        let memo_slot = 2 * start + usize::from(unknown_allowed);
        if let Some(known) = &self.memo[memo_slot] {
            return known.map(|step| step.cost);
        }
        let chars = self.bounds.len() - 1;
        let mut best: Option<Step> = None;
        if start > 0 && cuts_a_suffix(self.word, self.bounds[start]) {
            self.memo[memo_slot] = Some(None);
            return None;
        }
        let info = self.start_info(start);
        let row = start * (chars + 1);
        for end in start + MIN_KNOWN_PART_CHARS..=chars {
            let part = &self.word[self.bounds[start]..self.bounds[end]];
            let length = end - start;
            let kind = self.kinds[row + length];
            let is_word = kind == KIND_WORD;
            let plausible_unknown = || info.consonant && plausible_unknown_rest(part, length);
            if end == chars {
                // The whole rest as the final part; a split needs two parts at least, so a
                // final part from char 0 is the word itself and not a split.
                if start == 0 {
                    continue;
                }
                let known = info.head_known;
                if known || (unknown_allowed && plausible_unknown()) {
                    let cost = SplitCost {
                        unknown_parts: usize::from(!known),
                        parts: 1,
                        stem_only_parts: 0,
                        unknown_chars: if known { 0 } else { length },
                    };
                    let span = PartSpan {
                        start,
                        end,
                        known,
                        weak: known && !is_word,
                    };
                    consider(
                        &mut best,
                        Step {
                            cost,
                            span,
                            rest: None,
                        },
                    );
                }
                continue;
            }
            let known = if is_word {
                PartEvidence::Word
            } else if kind == KIND_STEM {
                PartEvidence::StemOnly
            } else {
                PartEvidence::Unknown
            };
            if known == PartEvidence::Unknown && !(unknown_allowed && plausible_unknown()) {
                continue;
            }
            let rest_unknown_allowed = unknown_allowed && known != PartEvidence::Unknown;
            // The next part starts after a linking letter, or right after this one; on a
            // tie the linking letter is taken (`samfunn|s|beredskap`, not `|sberedskap`).
            let next_char = self.word[self.bounds[end]..].chars().next();
            let after_link = (next_char.is_some_and(|c| LINKS.contains(&c)) && end + 1 < chars)
                .then_some(end + 1);
            for next in after_link.into_iter().chain([end]) {
                if let Some(rest_cost) = self.best(next, rest_unknown_allowed) {
                    let unknown_here = known == PartEvidence::Unknown;
                    let cost = SplitCost {
                        unknown_parts: rest_cost.unknown_parts + usize::from(unknown_here),
                        parts: rest_cost.parts + 1,
                        stem_only_parts: rest_cost.stem_only_parts
                            + usize::from(known == PartEvidence::StemOnly),
                        unknown_chars: rest_cost.unknown_chars
                            + if unknown_here { length } else { 0 },
                    };
                    let span = PartSpan {
                        start,
                        end,
                        known: !unknown_here,
                        weak: known == PartEvidence::StemOnly,
                    };
                    let rest = Some(2 * next + usize::from(rest_unknown_allowed));
                    consider(&mut best, Step { cost, span, rest });
                }
            }
        }
        self.memo[memo_slot] = Some(best);
        best.map(|step| step.cost)
    }

    /// What the lexicon holds of every prefix of the word from char `start` on (see
    /// [`Lexicon::prefix_kinds`]), and whether the whole rest is known as a head: worked out
    /// once per start, for both of its searches.
    fn start_info(&mut self, start: usize) -> StartInfo {
        if let Some(info) = self.start_infos[start] {
            return info;
        }
        let chars = self.bounds.len() - 1;
        let rest = &self.word[self.bounds[start]..];
        let mut possible = self.lexicon.possible_entries(self.lang, rest);
        let row = start * (chars + 1);
        self.lexicon.prefix_kinds(
            self.lang,
            rest,
            &self.bounds[start..],
            &mut possible,
            &mut self.kinds[row..row + chars + 1 - start],
        );
        let head_known = start > 0
            && chars - start >= MIN_KNOWN_PART_CHARS
            && (self.kinds[row + chars - start] == KIND_WORD
                || self.lexicon.knows_head_stem(self.lang, rest, possible));
        let info = StartInfo {
            head_known,
            consonant: starts_with_consonant(rest),
        };
        self.start_infos[start] = Some(info);
        info
    }

    /// The parts of the best split found by `best(0, true)`, in order.
    fn spans(&self) -> Vec<PartSpan> {
        let mut spans = Vec::new();
        let mut slot = Some(1);
        while let Some(Some(Some(step))) = slot.map(|slot| self.memo[slot]) {
            spans.push(step.span);
            slot = step.rest;
        }
        spans
    }
}

fn consider(best: &mut Option<Step>, step: Step) {
    // Ties keep the first found: the earliest, shortest first part, so a longer head wins.
    if best.as_ref().is_none_or(|known| step.cost < known.cost) {
        *best = Some(step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SplitCost` replaced a tuple `(unknown parts, parts, stem-only parts, unknown chars)`
    /// compared in order: its derived order must be exactly the tuple's.
    #[test]
    fn split_cost_orders_as_its_fields_in_turn() {
        let costs: Vec<(usize, usize, usize, usize)> = (0..3)
            .flat_map(|a| (0..3).map(move |b| (a, b)))
            .flat_map(|(a, b)| (0..3).map(move |c| (a, b, c)))
            .flat_map(|(a, b, c)| (0..3).map(move |d| (a, b, c, d)))
            .collect();
        let cost = |(unknown_parts, parts, stem_only_parts, unknown_chars)| SplitCost {
            unknown_parts,
            parts,
            stem_only_parts,
            unknown_chars,
        };
        for &first in &costs {
            for &second in &costs {
                assert_eq!(
                    cost(first).cmp(&cost(second)),
                    first.cmp(&second),
                    "{first:?} {second:?}"
                );
            }
        }
        // Fewer unknown parts beat fewer parts; fewer parts beat fewer stem-only parts.
        assert!(cost((0, 3, 2, 0)) < cost((1, 2, 0, 5)));
        assert!(cost((0, 2, 2, 0)) < cost((0, 3, 0, 0)));
    }

    #[test]
    fn two_unknown_parts_are_not_a_split() {
        let lexicon = Lexicon::from_words(["kultur"]);
        assert!(lexicon.split(Lang::Nb, "heltidsarbeid").is_empty());
    }
}
