//! Passage windows: a paragraph or a list is one passage; a long one is cut at sentence
//! (or list item) boundaries into windows of about 40–150 words, never over 200.

use crate::ingest::words::{count_words, count_words_up_to};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

pub const MIN_WORDS: usize = 40;
pub const TARGET_WORDS: usize = 150;
pub const MAX_WORDS: usize = 200;

/// A run of text inside logical line `line`, the smallest unit a window is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub line: usize,
    pub range: Range<usize>,
    pub words: usize,
}

pub fn word_count(text: &str) -> usize {
    count_words(text)
}

/// The pieces of a logical line: the line whole, or its sentences when it is long (and a
/// sentence longer than the target is cut between words).
pub fn pieces_of_line(line: usize, text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    push_pieces_of_line(line, text, &mut pieces);
    pieces
}

/// As `pieces_of_line`, appended to `pieces` (one list for a whole unit, not one per line).
pub fn push_pieces_of_line(line: usize, text: &str, pieces: &mut Vec<Piece>) {
    // A long line is counted only as far as it takes to know it is long: its sentences are
    // counted next.
    let words = count_words_up_to(text, TARGET_WORDS + 1);
    if words <= TARGET_WORDS {
        pieces.push(Piece {
            line,
            range: 0..text.len(),
            words,
        });
        return;
    }
    for (start, sentence) in text.split_sentence_bound_indices() {
        let trimmed = sentence.trim_end();
        let lead = trimmed.len() - trimmed.trim_start().len();
        let range = start + lead..start + trimmed.len();
        if range.is_empty() {
            continue;
        }
        split_long_sentence(line, text, range, pieces);
    }
}

fn split_long_sentence(line: usize, text: &str, range: Range<usize>, out: &mut Vec<Piece>) {
    let sentence = &text[range.clone()];
    let words = word_count(sentence);
    if words <= TARGET_WORDS {
        out.push(Piece { line, range, words });
        return;
    }
    let chunks = words.div_ceil(TARGET_WORDS);
    let per_chunk = words.div_ceil(chunks);
    let spans = word_spans(sentence);
    for chunk in spans.chunks(per_chunk) {
        let start = range.start + chunk[0].start;
        let end = range.start + chunk[chunk.len() - 1].end;
        out.push(Piece {
            line,
            range: start..end,
            words: chunk.len(),
        });
    }
}

/// Byte ranges of the white-space separated words of `text`.
fn word_spans(text: &str) -> Vec<Range<usize>> {
    text.split_whitespace()
        .map(|word| {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            start..start + word.len()
        })
        .collect()
}

/// Groups pieces into windows: greedy up to the target, never over the maximum, and a
/// short last window joins the one before when it fits. Each window is a range of `pieces`
/// (issue 6: the pieces are not copied into windows).
pub fn windows(pieces: &[Piece]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut current_words = 0;
    for (i, piece) in pieces.iter().enumerate() {
        let over_target = current_words + piece.words > TARGET_WORDS && current_words >= MIN_WORDS;
        let over_max = current_words + piece.words > MAX_WORDS;
        if i > start && (over_target || over_max) {
            out.push(start..i);
            start = i;
            current_words = 0;
        }
        current_words += piece.words;
    }
    if start < pieces.len() {
        let fits_before = out
            .last()
            .is_some_and(|last| total_words(&pieces[last.clone()]) + current_words <= MAX_WORDS);
        match out.last_mut() {
            Some(last) if current_words < MIN_WORDS && fits_before => last.end = pieces.len(),
            _ => out.push(start..pieces.len()),
        }
    }
    out
}

pub fn total_words(pieces: &[Piece]) -> usize {
    pieces.iter().map(|p| p.words).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(n: usize) -> String {
        let mut words: Vec<String> = (0..n).map(|i| format!("ord{i}")).collect();
        words[0] = "Kommunene".into();
        format!("{}.", words.join(" "))
    }

    #[test]
    fn short_paragraph_is_one_piece() {
        let text = "KS skal styrke kommunesektorens politiske innflytelse og omdømme.";
        assert_eq!(pieces_of_line(3, text).len(), 1);
    }

    #[test]
    fn long_paragraph_windows_stay_within_bounds() {
        let text: Vec<String> = (0..40).map(|i| sentence(10 + i % 17)).collect();
        let text = text.join(" ");
        let pieces = pieces_of_line(0, &text);
        let windows = windows(&pieces);
        assert!(windows.len() > 3);
        for window in windows {
            let words = total_words(&pieces[window]);
            assert!((MIN_WORDS..=MAX_WORDS).contains(&words), "{words}");
        }
    }

    #[test]
    fn one_huge_sentence_is_cut_between_words() {
        let text = sentence(700);
        let pieces = pieces_of_line(0, &text);
        assert!(pieces.iter().all(|p| p.words <= TARGET_WORDS));
        assert_eq!(total_words(&pieces), 700);
        let rebuilt: Vec<&str> = pieces.iter().map(|p| &text[p.range.clone()]).collect();
        assert_eq!(rebuilt.join(" "), text);
    }
}
