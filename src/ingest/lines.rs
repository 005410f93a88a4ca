//! Source lines: split on LF, CRLF or CR, trimmed, NFC-normalized, each remembering where it
//! came from.

use unicode_normalization::{is_nfc, UnicodeNormalization};

/// Where a piece of a logical line's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A logical line: one trimmed source line, or several joined by the unwrapping rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Pieces in order; the first starts at offset 0.
    pub anchors: Vec<Anchor>,
    /// Number of blank source lines between this line and the previous non-blank one.
    pub blanks_before: usize,
}

impl Line {
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
}

/// Splits decoded text into trimmed, NFC-normalized lines (blank lines kept as empty text).
pub fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
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

fn make_line(raw: &str, raw_start: usize, number: usize) -> Line {
    let trimmed = raw.trim_start_matches(is_trimmed);
    let lead = raw.len() - trimmed.len();
    let trimmed = trimmed.trim_end_matches(is_trimmed);
    let exact = is_nfc(trimmed);
    let text = if exact {
        trimmed.to_string()
    } else {
        trimmed.nfc().collect()
    };
    Line {
        text,
        anchors: vec![Anchor {
            offset: 0,
            line: number,
            source_offset: raw_start + lead,
            exact,
        }],
        blanks_before: 0,
    }
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
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
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
}
