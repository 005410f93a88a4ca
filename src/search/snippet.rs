//! Matching query words in a passage, and the snippet: a short window around the densest
//! cluster of matches, with highlight byte ranges into the snippet.

pub(crate) use super::matcher::WordMatch;
use std::collections::BTreeSet;
use std::ops::Range;

/// Longest snippet in bytes, ellipses included.
pub(crate) const SNIPPET_MAX_BYTES: usize = 240;
const ELLIPSIS: &str = "…";

/// A snippet and its highlights, byte ranges `[start, end]` into `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
    /// Byte offset in the passage text of the first place a highlighted word stands (it may
    /// come before the snippet, which is cut around the densest cluster of matches).
    pub first_highlight: Option<usize>,
}

/// The snippet of `text` around the densest cluster of `matches` (sorted by start).
pub(crate) fn make_snippet(text: &str, matches: &[WordMatch]) -> Snippet {
    let window = if text.len() <= SNIPPET_MAX_BYTES {
        0..text.len()
    } else {
        let budget = SNIPPET_MAX_BYTES - 2 * ELLIPSIS.len();
        let cluster = densest_cluster(matches, budget);
        widen_to_words(text, cluster, budget)
    };
    let prefix = if window.start > 0 { ELLIPSIS } else { "" };
    let suffix = if window.end < text.len() {
        ELLIPSIS
    } else {
        ""
    };
    let body = flatten_whitespace(&text[window.clone()]);
    let shift = prefix.len();
    let shown: Vec<&WordMatch> = matches
        .iter()
        .filter(|m| m.range.start >= window.start && m.range.end <= window.end)
        .collect();
    let highlights = shown
        .iter()
        .map(|m| {
            [
                m.range.start - window.start + shift,
                m.range.end - window.start + shift,
            ]
        })
        .collect();
    Snippet {
        text: format!("{prefix}{body}{suffix}"),
        highlights,
        first_highlight: first_place_of(text, matches, &shown),
    }
}

/// The start of the first of `matches` that reads as one of the `shown` matches.
fn first_place_of(text: &str, matches: &[WordMatch], shown: &[&WordMatch]) -> Option<usize> {
    let words: Vec<&str> = shown.iter().map(|m| &text[m.range.clone()]).collect();
    matches
        .iter()
        .find(|m| words.contains(&&text[m.range.clone()]))
        .map(|m| m.range.start)
}

/// The span holding the most distinct query words (then the most matches, then the
/// earliest) that fits in `budget` bytes; an empty span at 0 when nothing matched.
fn densest_cluster(matches: &[WordMatch], budget: usize) -> Range<usize> {
    let mut best: Option<((usize, usize), Range<usize>)> = None;
    for (first, start) in matches.iter().enumerate() {
        let mut words = BTreeSet::new();
        let mut end = start.range.end.min(start.range.start + budget);
        let mut count = 0;
        for next in &matches[first..] {
            if next.range.end > start.range.start + budget {
                break;
            }
            words.insert(next.word);
            count += 1;
            end = end.max(next.range.end);
        }
        let score = (words.len(), count);
        if best
            .as_ref()
            .is_none_or(|(best_score, _)| score > *best_score)
        {
            best = Some((score, start.range.start..end));
        }
    }
    best.map_or(0..0, |(_, span)| span)
}

/// Grows `cluster` to about `budget` bytes, centred, then trims both ends back to char and
/// word boundaries so that no word is cut.
fn widen_to_words(text: &str, cluster: Range<usize>, budget: usize) -> Range<usize> {
    let slack = budget.saturating_sub(cluster.len());
    let mut start = cluster.start.saturating_sub(slack / 2);
    let mut end = (start + budget).min(text.len());
    start = end.saturating_sub(budget).min(start);
    // Rounding inwards keeps the window within the budget.
    start = ceil_char_boundary(text, start);
    end = floor_char_boundary(text, end);
    if start > 0 && !preceded_by_space(text, start) {
        start = next_word_start(text, start).min(cluster.start);
    }
    if end < text.len() && !text[end..].starts_with(char::is_whitespace) {
        end = previous_word_end(text, end).max(cluster.end.min(end));
    }
    start..end.max(start)
}

fn preceded_by_space(text: &str, at: usize) -> bool {
    text[..at].ends_with(char::is_whitespace)
}

/// The start of the first word after the whitespace following `at`, or `at` if none.
fn next_word_start(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    match rest.find(char::is_whitespace) {
        Some(space) => {
            let after = &rest[space..];
            let skipped = after.len() - after.trim_start().len();
            at + space + skipped
        }
        None => at,
    }
}

/// The end of the last word before the whitespace preceding `at`, or `at` if none.
fn previous_word_end(text: &str, at: usize) -> usize {
    match text[..at].rfind(char::is_whitespace) {
        Some(space) => text[..space].trim_end().len(),
        None => at,
    }
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Line breaks (lists) become spaces: same byte length, so ranges still hold.
fn flatten_whitespace(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::search::matcher::WordMatcher;
    use crate::search::parse::QueryWord;

    fn words(list: &[&str]) -> Vec<QueryWord> {
        list.iter().map(|w| QueryWord::new(w, false)).collect()
    }

    fn highlighted(snippet: &Snippet) -> Vec<&str> {
        snippet
            .highlights
            .iter()
            .map(|[start, end]| &snippet.text[*start..*end])
            .collect()
    }

    #[test]
    fn stems_meet_in_the_passage_language() {
        let matcher = WordMatcher::new(Lang::Da, &words(&["medarbejdere"]));
        let text = "Vi fastholder medarbejderne i kommunen.";
        let found: Vec<&str> = matcher
            .matches(text)
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect();
        assert_eq!(found, vec!["medarbejderne"]);
    }

    #[test]
    fn a_short_passage_is_its_own_snippet() {
        let matcher = WordMatcher::new(Lang::Nb, &words(&["handlingsrom"]));
        let text = "KS skal fremme lokalt handlingsrom.\nOg mer.";
        let snippet = make_snippet(text, &matcher.matches(text));
        assert_eq!(snippet.text, "KS skal fremme lokalt handlingsrom. Og mer.");
        assert_eq!(highlighted(&snippet), vec!["handlingsrom"]);
    }

    #[test]
    fn a_long_passage_is_cut_around_the_matches_on_word_boundaries() {
        let filler =
            "Kommunene i Norge og Danmark står overfor store endringer i årene som kommer. ";
        let text = format!(
            "{}De demografiske udfordringer kræver nye løsninger på tværs af sektorer. {}",
            filler.repeat(4),
            filler.repeat(4)
        );
        let matcher = WordMatcher::new(Lang::Da, &words(&["demografiske", "udfordringer"]));
        let snippet = make_snippet(&text, &matcher.matches(&text));
        assert!(
            snippet.text.len() <= SNIPPET_MAX_BYTES,
            "{}",
            snippet.text.len()
        );
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert_eq!(highlighted(&snippet), vec!["demografiske", "udfordringer"]);
        let body = snippet.text.trim_matches('…');
        assert!(text.contains(body));
        assert!(!body.starts_with(' ') && !body.ends_with(' '));
        let first_word = body.split(' ').next().unwrap();
        assert!(filler.split(' ').any(|w| w == first_word), "{first_word}");
    }

    #[test]
    fn no_match_gives_the_start_of_the_passage() {
        let text = "æøå ".repeat(100);
        let snippet = make_snippet(&text, &[]);
        assert!(snippet.text.starts_with("æøå"));
        assert!(snippet.text.len() <= SNIPPET_MAX_BYTES);
        assert!(snippet.highlights.is_empty());
    }
}
