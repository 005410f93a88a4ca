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

impl SplitCost {
    /// The cost of a last part `chars` long, alone (the rest of a split), known or not. It
    /// counts no stem-only part: the last part carries the compound's ending, so it is looked
    /// up through its stem as a matter of course ([`Lexicon::knows_head_stem`]).
    fn of_last_part(known: bool, chars: usize) -> SplitCost {
        SplitCost {
            unknown_parts: usize::from(!known),
            parts: 1,
            stem_only_parts: 0,
            unknown_chars: if known { 0 } else { chars },
        }
    }

    /// The cost of a split of this cost with a part of `evidence`, `chars` long, before it.
    fn after_part(self, evidence: PartEvidence, chars: usize) -> SplitCost {
        let unknown = evidence == PartEvidence::Unknown;
        SplitCost {
            unknown_parts: self.unknown_parts + usize::from(unknown),
            parts: self.parts + 1,
            stem_only_parts: self.stem_only_parts + usize::from(evidence == PartEvidence::StemOnly),
            unknown_chars: self.unknown_chars + if unknown { chars } else { 0 },
        }
    }
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
        let slot = memo_slot(start, unknown_allowed);
        if let Some(searched) = &self.memo[slot] {
            return searched.map(|step| step.cost);
        }
        let best = self.best_step(start, unknown_allowed);
        self.memo[slot] = Some(best);
        best.map(|step| step.cost)
    }

    /// The best first part from char `start` on, with where the best split of the rest after
    /// it is memoised: every part from `start` to a later split point is tried, then the whole
    /// rest as the last part.
    fn best_step(&mut self, start: usize, unknown_allowed: bool) -> Option<Step> {
        // No part begins inside a suffix: `priorit|eringer` is no `prioritet|ringer`.
        if start > 0 && cuts_a_suffix(self.word, self.bounds[start]) {
            return None;
        }
        let info = self.start_info(start);
        let chars = self.chars();
        let first_end = start + MIN_KNOWN_PART_CHARS;
        let mut best = None;
        for end in first_end..chars {
            self.consider_part_before_rest(start, end, unknown_allowed, info, &mut best);
        }
        if first_end <= chars {
            if let Some(step) = self.last_part(start, unknown_allowed, info) {
                consider(&mut best, step);
            }
        }
        best
    }

    /// The whole rest from char `start` as the last part, when it is known as a head or may
    /// be the one unknown part. A split needs two parts at least, so a last part from char 0
    /// is the word itself and not a split.
    fn last_part(&self, start: usize, unknown_allowed: bool, info: StartInfo) -> Option<Step> {
        let end = self.chars();
        if start == 0 {
            return None;
        }
        let known = info.head_known;
        let acceptable = known || (unknown_allowed && self.may_be_unknown_part(start, end, info));
        if !acceptable {
            return None;
        }
        Some(Step {
            cost: SplitCost::of_last_part(known, end - start),
            span: PartSpan {
                start,
                end,
                known,
                weak: known && self.kind(start, end) != KIND_WORD,
            },
            rest: None,
        })
    }

    /// Considers the part `start..end` followed by the best split of the rest, which starts
    /// after a linking letter or right after the part.
    fn consider_part_before_rest(
        &mut self,
        start: usize,
        end: usize,
        unknown_allowed: bool,
        info: StartInfo,
        best: &mut Option<Step>,
    ) {
        let evidence = self.evidence(start, end);
        let unknown = evidence == PartEvidence::Unknown;
        if unknown && !(unknown_allowed && self.may_be_unknown_part(start, end, info)) {
            return;
        }
        // A split has one unknown part at most.
        let rest_unknown_allowed = unknown_allowed && !unknown;
        for next in self.rest_starts(end).into_iter().flatten() {
            let Some(rest_cost) = self.best(next, rest_unknown_allowed) else {
                continue;
            };
            let step = Step {
                cost: rest_cost.after_part(evidence, end - start),
                span: PartSpan {
                    start,
                    end,
                    known: !unknown,
                    weak: evidence == PartEvidence::StemOnly,
                },
                rest: Some(memo_slot(next, rest_unknown_allowed)),
            };
            consider(best, step);
        }
    }

    /// Where the part after one ending at char `end` may start: after a linking letter, then
    /// right after it. On a tie the linking letter is taken (`samfunn|s|beredskap`, not
    /// `samfunn|sberedskap`), as the first found is kept.
    fn rest_starts(&self, end: usize) -> [Option<usize>; 2] {
        let next_char = self.word[self.bounds[end]..].chars().next();
        let after_link = (next_char.is_some_and(|c| LINKS.contains(&c)) && end + 1 < self.chars())
            .then_some(end + 1);
        [after_link, Some(end)]
    }

    /// What the lexicon holds of the part `start..end`, as [`SplitSearch::start_info`] looked
    /// it up.
    fn evidence(&self, start: usize, end: usize) -> PartEvidence {
        match self.kind(start, end) {
            KIND_WORD => PartEvidence::Word,
            KIND_STEM => PartEvidence::StemOnly,
            _ => PartEvidence::Unknown,
        }
    }

    /// The `KIND_*` of the part `start..end`.
    fn kind(&self, start: usize, end: usize) -> u8 {
        self.kinds[start * (self.chars() + 1) + (end - start)]
    }

    /// Whether the part `start..end` may be the split's one unknown part (see
    /// [`plausible_unknown`](super::rules::plausible_unknown)).
    fn may_be_unknown_part(&self, start: usize, end: usize, info: StartInfo) -> bool {
        let part = &self.word[self.bounds[start]..self.bounds[end]];
        info.consonant && plausible_unknown_rest(part, end - start)
    }

    /// Chars in the word.
    fn chars(&self) -> usize {
        self.bounds.len() - 1
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
        let mut slot = Some(memo_slot(0, true));
        while let Some(Some(Some(step))) = slot.map(|slot| self.memo[slot]) {
            spans.push(step.span);
            slot = step.rest;
        }
        spans
    }
}

/// The memo slot of the search from char `start`, with or without an unknown part allowed.
fn memo_slot(start: usize, unknown_allowed: bool) -> usize {
    2 * start + usize::from(unknown_allowed)
}

/// Keeps `step` when it is cheaper than the best so far.
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
