//! Source lines: split on LF, CRLF or CR, trimmed, NFC-normalized, each remembering where it
//! came from.

use std::borrow::Cow;
use std::ops::Deref;
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// Where a piece of a logical line's text comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Anchor {
    /// Byte offset in the logical line's text where the piece starts.
    pub offset: usize,
    /// 1-based source line.
    pub line: usize,
    /// Byte offset of the piece's first character in the decoded source text.
    pub source_offset: usize,
    /// Whether the piece's text is a byte-exact copy of the source from `source_offset`
    /// (false when NFC changed it: offsets inside it then snap to its start).
    pub exact: bool,
}

/// A logical line's anchors: one for a source line as it stands, a list once lines are
/// joined. Most lines are never joined, so the single anchor is kept inline, not in a heap
/// allocation of its own (issue 6: a million short lines cost a million allocations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchors {
    One(Anchor),
    Many(Vec<Anchor>),
}

impl Anchors {
    /// Appends `more`, each moved `shift` bytes further into the line.
    fn extend_shifted(&mut self, more: &[Anchor], shift: usize) {
        if let Anchors::One(first) = *self {
            let mut all = Vec::with_capacity(1 + more.len());
            all.push(first);
            *self = Anchors::Many(all);
        }
        if let Anchors::Many(all) = self {
            all.extend(more.iter().map(|&anchor| Anchor {
                offset: anchor.offset + shift,
                ..anchor
            }));
        }
    }
}

impl Default for Anchors {
    fn default() -> Self {
        Anchors::One(Anchor::default())
    }
}

impl Deref for Anchors {
    type Target = [Anchor];

    fn deref(&self) -> &[Anchor] {
        match self {
            Anchors::One(anchor) => std::slice::from_ref(anchor),
            Anchors::Many(anchors) => anchors,
        }
    }
}

/// A logical line: one trimmed source line, or several joined by the unwrapping rules.
///
/// The text borrows the decoded source where it is a byte-exact copy of it (issue 6: a
/// 100 MB line is not copied again); joining or NFC makes it owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line<'a> {
    pub text: Cow<'a, str>,
    /// Pieces in order; the first starts at offset 0.
    pub anchors: Anchors,
    /// Number of blank source lines between this line and the previous non-blank one.
    pub blanks_before: usize,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// Source line and decoded-source offset of byte `offset` of this line's text.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let index = self
            .anchors
            .partition_point(|anchor| anchor.offset <= offset)
            .saturating_sub(1);
        let anchor = self.anchors[index];
        let within = if anchor.exact {
            offset - anchor.offset
        } else {
            0
        };
        (anchor.line, anchor.source_offset + within)
    }

    /// First source line of this logical line.
    pub fn first_line(&self) -> usize {
        self.anchors[0].line
    }

    /// Appends `next`'s text and anchors after `separator`, once `drop` bytes are cut from
    /// this line's end.
    pub fn append(&mut self, next: &Line<'_>, separator: &str, drop: usize) {
        let text = self.text.to_mut();
        text.truncate(text.len() - drop);
        text.push_str(separator);
        let shift = text.len();
        text.push_str(&next.text);
        self.anchors.extend_shifted(&next.anchors, shift);
    }

    /// The same line, owning its text.
    pub fn into_owned(self) -> Line<'static> {
        Line {
            text: Cow::Owned(self.text.into_owned()),
            anchors: self.anchors,
            blanks_before: self.blanks_before,
        }
    }
}

/// Splits decoded text into trimmed, NFC-normalized lines (blank lines kept as empty text).
/// A line already in NFC borrows its text from `text`.
pub fn split_lines(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    // At most one line per line-end byte (and one after the last): one allocation.
    let line_ends = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
    let mut lines = Vec::with_capacity(line_ends + 1);
    let mut start = 0;
    let mut number = 1;
    while start <= text.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(text.len(), |i| start + i);
        lines.push(make_line(&text[start..end], start, number));
        if end == text.len() {
            break;
        }
        let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
        start = end + if crlf { 2 } else { 1 };
        number += 1;
    }
    if text.ends_with(['\n', '\r']) {
        lines.pop();
    }
    lines
}

fn make_line(raw: &str, raw_start: usize, number: usize) -> Line<'_> {
    let trimmed = raw.trim_start_matches(is_trimmed);
    let lead = raw.len() - trimmed.len();
    let trimmed = trimmed.trim_end_matches(is_trimmed);
    let exact = is_already_nfc(trimmed);
    let text = if exact {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.nfc().collect())
    };
    Line {
        text,
        anchors: Anchors::One(Anchor {
            offset: 0,
            line: number,
            source_offset: raw_start + lead,
            exact,
        }),
        blanks_before: 0,
    }
}

/// `is_nfc`, answered at once for ASCII (issue 5: most lines are, and the NFC check
/// looks every character up in a table).
fn is_already_nfc(text: &str) -> bool {
    text.is_ascii() || is_nfc(text)
}

/// White space and invisible format characters that never start or end a line's text. A
/// soft hyphen is kept: at a line end it says a word goes on on the next line.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_crlf_and_cr() {
        let lines = split_lines("Mål\r\nog\rrammer\nslutt\n");
        let texts: Vec<&str> = lines.iter().map(|l| &*l.text).collect();
        assert_eq!(texts, ["Mål", "og", "rammer", "slutt"]);
        assert_eq!(lines[2].anchors[0].line, 3);
        assert_eq!(lines[2].anchors[0].source_offset, 9);
    }

    #[test]
    fn trims_and_keeps_offsets() {
        let lines = split_lines("  Innledning og sammendrag  \n");
        assert_eq!(lines[0].text, "Innledning og sammendrag");
        assert_eq!(lines[0].locate(11), (1, 13));
    }

    #[test]
    fn decomposed_letters_are_composed() {
        // "a" + COMBINING RING ABOVE is "å" after NFC.
        let lines = split_lines("pa\u{30A} dagsorden");
        assert_eq!(lines[0].text, "på dagsorden");
        assert!(!lines[0].anchors[0].exact);
        assert_eq!(lines[0].locate(5), (1, 0));
    }

    #[test]
    fn lines_in_nfc_borrow_the_source_and_joined_lines_keep_both_anchors() {
        let text = "Kommunene møter økte\n  forventninger\n";
        let mut lines = split_lines(text);
        assert!(lines.iter().all(|l| matches!(l.text, Cow::Borrowed(_))));
        let next = lines.pop().unwrap();
        lines[0].append(&next, " ", 0);
        assert_eq!(lines[0].text, "Kommunene møter økte forventninger");
        assert_eq!(lines[0].anchors.len(), 2);
        assert_eq!(lines[0].locate(24), (2, 26));
    }
}
