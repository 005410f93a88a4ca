//! Passage windows: a paragraph or a list is one passage; a long one is cut at sentence
//! (or list item) boundaries into windows of about 40–150 words, never over 200.

use crate::ingest::words::{count_words, count_words_up_to};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

pub(crate) const MIN_WORDS: usize = 40;
pub(crate) const TARGET_WORDS: usize = 150;
pub(crate) const MAX_WORDS: usize = 200;

/// A run of text inside logical line `line`, the smallest unit a window is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub line: usize,
    pub range: Range<usize>,
    pub words: usize,
}

pub(crate) fn word_count(text: &str) -> usize {
    count_words(text)
}

#[cfg(test)]
/// The pieces of a logical line: the line whole, or its sentences when it is long (and a
/// sentence longer than the target is cut between words).
pub(crate) fn pieces_of_line(line: usize, text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for_each_piece_of_line(line, text, &mut |piece| pieces.push(piece));
    pieces
}

/// As `pieces_of_line`, each piece handed to `emit` as it is found (issue 6: the pieces of a
/// 100 MB line are not listed).
pub(crate) fn for_each_piece_of_line(line: usize, text: &str, emit: &mut impl FnMut(Piece)) {
    // A long line is counted only as far as it takes to know it is long: its sentences are
    // counted next.
    let words = count_words_up_to(text, TARGET_WORDS + 1);
    if words <= TARGET_WORDS {
        emit(Piece {
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
        split_long_sentence(line, text, range, emit);
    }
}

fn split_long_sentence(line: usize, text: &str, range: Range<usize>, emit: &mut impl FnMut(Piece)) {
    let sentence = &text[range.clone()];
    let words = word_count(sentence);
    if words <= TARGET_WORDS {
        emit(Piece { line, range, words });
        return;
    }
    let chunks = words.div_ceil(TARGET_WORDS);
    let per_chunk = words.div_ceil(chunks);
    let spans = word_spans(sentence);
    for chunk in spans.chunks(per_chunk) {
        let start = range.start + chunk[0].start;
        let end = range.start + chunk[chunk.len() - 1].end;
        emit(Piece {
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

#[cfg(test)]
/// Groups pieces into windows: greedy up to the target, never over the maximum, and a
/// short last window joins the one before when it fits.
pub(crate) fn windows(pieces: Vec<Piece>) -> Vec<Vec<Piece>> {
    let mut windows = Windows::default();
    let mut out: Vec<Vec<Piece>> = pieces
        .into_iter()
        .filter_map(|piece| windows.push(piece))
        .collect();
    out.extend(windows.finish());
    out
}

/// `windows` as the pieces come: only the window being filled and the one closed before it
/// are held (issue 6: not every piece of a unit as long as the file).
#[derive(Debug, Default)]
pub(crate) struct Windows {
    /// The last closed window, held back because the final window may still join it.
    closed: Vec<Piece>,
    current: Vec<Piece>,
    current_words: usize,
}

impl Windows {
    /// Adds the next piece; when it closes a window, returns the window closed before that
    /// one, which nothing can join any more.
    pub(crate) fn push(&mut self, piece: Piece) -> Option<Vec<Piece>> {
        let words = self.current_words + piece.words;
        let over_target = words > TARGET_WORDS && self.current_words >= MIN_WORDS;
        let over_max = words > MAX_WORDS;
        let mut done = None;
        if !self.current.is_empty() && (over_target || over_max) {
            let closed = std::mem::replace(&mut self.closed, std::mem::take(&mut self.current));
            done = Some(closed).filter(|window| !window.is_empty());
            self.current_words = 0;
        }
        self.current_words += piece.words;
        self.current.push(piece);
        done
    }

    /// The windows still held, in order, the last one joined to the one before it when it is
    /// short and fits.
    pub(crate) fn finish(mut self) -> impl Iterator<Item = Vec<Piece>> {
        let fits_before =
            !self.closed.is_empty() && total_words(&self.closed) + self.current_words <= MAX_WORDS;
        if !self.current.is_empty() && self.current_words < MIN_WORDS && fits_before {
            self.closed.append(&mut self.current);
        }
        [self.closed, self.current]
            .into_iter()
            .filter(|window| !window.is_empty())
    }
}

pub(crate) fn total_words(pieces: &[Piece]) -> usize {
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
        let windows = windows(pieces_of_line(0, &text));
        assert!(windows.len() > 3);
        for window in &windows {
            let words = total_words(window);
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
