//! Source lines: split on LF, CRLF or CR, trimmed, NFC-normalized, each remembering where it
//! came from.

use std::ops::Deref;
use unicode_normalization::{is_nfc, is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Where a piece of a logical line's text comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Anchor {
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

/// Where a logical line's text comes from, in 16 bytes for the common case (issue 15: a file
/// of millions of one-line blocks held some 72 bytes a line; a line is now 40): a source line
/// as it stands is its first character's place, its line number and whether it is an exact
/// copy, with the blank lines before it; a joined line, or one whose numbers do not fit, keeps
/// every anchor in a box of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    One {
        source_offset: usize,
        line: u32,
        blanks_before: u16,
        exact: bool,
    },
    Full(Box<FullOrigin>),
}

/// The anchors of a joined logical line (the first at offset 0), and the blank lines before it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FullOrigin {
    anchors: Vec<Anchor>,
    blanks_before: usize,
}

impl Origin {
    /// The compact form where the numbers fit, else the full one.
    fn new(anchor: Anchor, blanks_before: usize) -> Origin {
        match (u32::try_from(anchor.line), u16::try_from(blanks_before)) {
            (Ok(line), Ok(blanks)) if anchor.offset == 0 => Origin::One {
                source_offset: anchor.source_offset,
                line,
                blanks_before: blanks,
                exact: anchor.exact,
            },
            _ => Origin::Full(Box::new(FullOrigin {
                anchors: vec![anchor],
                blanks_before,
            })),
        }
    }

    fn full(&mut self) -> &mut FullOrigin {
        if let Origin::One { .. } = self {
            let anchors = vec![self.anchors()[0]];
            let blanks_before = self.blanks_before();
            *self = Origin::Full(Box::new(FullOrigin {
                anchors,
                blanks_before,
            }));
        }
        match self {
            Origin::Full(full) => full,
            Origin::One { .. } => unreachable!("made full above"),
        }
    }

    fn anchors(&self) -> Anchors<'_> {
        match *self {
            Origin::One {
                source_offset,
                line,
                exact,
                ..
            } => Anchors::One([Anchor {
                offset: 0,
                line: line as usize,
                source_offset,
                exact,
            }]),
            Origin::Full(ref full) => Anchors::Many(&full.anchors),
        }
    }

    fn blanks_before(&self) -> usize {
        match self {
            Origin::One { blanks_before, .. } => usize::from(*blanks_before),
            Origin::Full(full) => full.blanks_before,
        }
    }
}

impl Default for Origin {
    fn default() -> Self {
        Origin::new(Anchor::default(), 0)
    }
}

/// A logical line's anchors, in order, the first at offset 0.
pub(crate) enum Anchors<'l> {
    One([Anchor; 1]),
    Many(&'l [Anchor]),
}

impl Deref for Anchors<'_> {
    type Target = [Anchor];

    fn deref(&self) -> &[Anchor] {
        match self {
            Anchors::One(anchor) => anchor,
            Anchors::Many(anchors) => anchors,
        }
    }
}

/// A logical line: one trimmed source line, or several joined by the unwrapping rules.
///
/// The text borrows the decoded source where it is a byte-exact copy of it (issue 6: a
/// 100 MB line is not copied again); joining or NFC makes it owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub text: LineText<'a>,
    origin: Origin,
}

impl<'a> Line<'a> {
    /// A line of one piece, which `anchor` (at offset 0) places in the source, after
    /// `blanks_before` blank source lines.
    pub(crate) fn new(text: LineText<'a>, anchor: Anchor, blanks_before: usize) -> Line<'a> {
        Line {
            text,
            origin: Origin::new(anchor, blanks_before),
        }
    }
}

/// A line's text, borrowed or owned, in 16 bytes where a `Cow<str>` takes 24 (issue 15: a
/// file of millions of one-line blocks holds a line for each; most borrow their text, and
/// an owned one, NFC-normalized or joined, pays one more allocation for the room saved).
#[derive(Clone)]
pub(crate) enum LineText<'a> {
    Borrowed(&'a str),
    // Boxed on purpose: a `String` of its own would make every line 8 bytes larger.
    #[allow(clippy::box_collection)]
    Owned(Box<String>),
}

impl LineText<'_> {
    /// The text, made owned if it was borrowed, to be changed.
    pub(crate) fn to_mut(&mut self) -> &mut String {
        if let LineText::Borrowed(text) = *self {
            *self = LineText::Owned(Box::new(text.to_string()));
        }
        match self {
            LineText::Owned(text) => text,
            LineText::Borrowed(_) => unreachable!("made owned above"),
        }
    }

    /// The text as a string of its own.
    pub(crate) fn into_owned(self) -> String {
        match self {
            LineText::Borrowed(text) => text.to_string(),
            LineText::Owned(text) => *text,
        }
    }
}

impl Default for LineText<'_> {
    fn default() -> Self {
        LineText::Borrowed("")
    }
}

impl Deref for LineText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            LineText::Borrowed(text) => text,
            LineText::Owned(text) => text,
        }
    }
}

impl std::fmt::Debug for LineText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// Texts are equal by their letters, borrowed or owned, as two `Cow`s are.
impl PartialEq for LineText<'_> {
    fn eq(&self, other: &LineText<'_>) -> bool {
        **self == **other
    }
}

impl Eq for LineText<'_> {}

impl PartialEq<str> for LineText<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for LineText<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl PartialEq<String> for LineText<'_> {
    fn eq(&self, other: &String) -> bool {
        **self == **other
    }
}

impl From<String> for LineText<'_> {
    fn from(text: String) -> Self {
        LineText::Owned(Box::new(text))
    }
}

impl Line<'_> {
    pub(crate) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// Number of blank source lines between this line and the previous non-blank one.
    pub(crate) fn blanks_before(&self) -> usize {
        self.origin.blanks_before()
    }

    /// The pieces' anchors in order; the first starts at offset 0.
    pub(crate) fn anchors(&self) -> Anchors<'_> {
        self.origin.anchors()
    }

    /// Source line and decoded-source offset of byte `offset` of this line's text.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let anchors = self.anchors();
        let index = anchors
            .partition_point(|anchor| anchor.offset <= offset)
            .saturating_sub(1);
        let anchor = anchors[index];
        let within = if anchor.exact {
            offset - anchor.offset
        } else {
            0
        };
        (anchor.line, anchor.source_offset + within)
    }

    /// First source line of this logical line.
    pub(crate) fn first_line(&self) -> usize {
        self.anchors()[0].line
    }

    /// Appends `next`'s text and anchors after `separator`, once `drop` bytes are cut from
    /// this line's end.
    pub(crate) fn append(&mut self, next: &Line<'_>, separator: &str, drop: usize) {
        let text = self.text.to_mut();
        text.truncate(text.len() - drop);
        text.push_str(separator);
        let shift = text.len();
        text.push_str(&next.text);
        let more = next.anchors();
        self.origin
            .full()
            .anchors
            .extend(more.iter().map(|&anchor| Anchor {
                offset: anchor.offset + shift,
                ..anchor
            }));
    }

    /// The same line, owning its text.
    pub(crate) fn into_owned(self) -> Line<'static> {
        Line {
            text: LineText::from(self.text.into_owned()),
            origin: self.origin,
        }
    }
}

/// Splits decoded text into trimmed, NFC-normalized lines. A blank line is not kept: the
/// next line counts it (issue 15: a file of one-line paragraphs held a record for each blank
/// line between them until they were dropped). A line already in NFC borrows its text from
/// `text`.
pub(crate) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    // Sized by the line feeds first, an upper bound: a list grown by doubling held up to
    // twice the lines of a huge file (issue 15: 134 MB for a 90 MB file of 1.3 million
    // lines); the room of blank lines is never written, so never resident, and unwrapping
    // gives it back.
    let line_feeds = bytes.iter().filter(|&&byte| byte == b'\n').count();
    let mut lines = Vec::with_capacity(line_feeds + 1);
    let mut start = 0;
    let mut number = 1;
    let mut blanks = 0;
    while start <= text.len() {
        let end = next_line_end(bytes, start).unwrap_or(text.len());
        match make_line(&text[start..end], start, number, blanks) {
            Some(line) => {
                lines.push(line);
                blanks = 0;
            }
            None => blanks += 1,
        }
        if end == text.len() {
            break;
        }
        let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
        start = end + if crlf { 2 } else { 1 };
        number += 1;
    }
    lines
}

/// The line `raw` trimmed, or `None` when nothing is left of it.
fn make_line(raw: &str, raw_start: usize, number: usize, blanks_before: usize) -> Option<Line<'_>> {
    let trimmed = raw.trim_start_matches(is_trimmed);
    let lead = raw.len() - trimmed.len();
    let trimmed = trimmed.trim_end_matches(is_trimmed);
    if trimmed.is_empty() {
        return None;
    }
    let exact = is_already_nfc(trimmed);
    let text = if exact {
        LineText::Borrowed(trimmed)
    } else {
        LineText::from(trimmed.nfc().collect::<String>())
    };
    let anchor = Anchor {
        offset: 0,
        line: number,
        source_offset: raw_start + lead,
        exact,
    };
    Some(Line::new(text, anchor, blanks_before))
}

fn is_line_end(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// Offset of the first LF or CR at or after `from`, looked for eight bytes at a time (issue 5:
/// the search byte by byte was a tenth of the time spent loading a file).
fn next_line_end(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `word` equal to `byte`; a byte above a match may be marked
    // too, never one below it, so the lowest mark is the first match.
    let matches = |word: u64, byte: u8| {
        let zero_where_equal = word ^ (ONES * u64::from(byte));
        zero_where_equal.wrapping_sub(ONES) & !zero_where_equal & HIGH_BITS
    };
    let mut at = from;
    for chunk in bytes[from..].chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let found = matches(word, b'\n') | matches(word, b'\r');
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| is_line_end(b))
        .map(|i| at + i)
}

/// The number of ASCII bytes `bytes` starts with, looked for eight bytes at a time.
fn ascii_run_len(bytes: &[u8]) -> usize {
    let mut run = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let high_bits = u64::from_le_bytes(word) & 0x8080_8080_8080_8080;
        if high_bits != 0 {
            return run + high_bits.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + bytes[run..]
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len() - run)
}

/// The number of bytes `bytes` starts with that the NFC quick check passes over as it passes
/// over ASCII: ASCII, and U+0080–U+02FF (two bytes, lead byte C2–CB: the Latin letters with
/// æ, ø, å, é, ü), all starters allowed in NFC (a test checks each).
fn plain_run_len(bytes: &[u8]) -> usize {
    let mut run = 0;
    loop {
        run += ascii_run_len(&bytes[run..]);
        match bytes.get(run) {
            // Valid UTF-8: the continuation byte follows.
            Some(0xC2..=0xCB) => run += 2,
            _ => return run,
        }
    }
}

/// `is_nfc`, without decoding the ASCII and Latin letters in the text (issue 5: it was a
/// tenth of the time spent loading a file). `is_nfc` is its quick check, then a full
/// comparison where the check says maybe; the quick check only resets its state on an ASCII
/// character or another starter allowed in NFC, so a run of them reads as one.
fn is_already_nfc(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    match is_nfc_quick(AsciiRunsAsOne { rest: text }) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => is_nfc(text),
    }
}

/// The characters of a text, each run of plain characters (see `plain_run_len`) read as a
/// single `a`.
struct AsciiRunsAsOne<'a> {
    rest: &'a str,
}

impl Iterator for AsciiRunsAsOne<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let bytes = self.rest.as_bytes();
        let run = plain_run_len(bytes);
        if run > 0 {
            self.rest = &self.rest[run..];
            return Some('a');
        }
        let c = self.rest.chars().next()?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
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
    fn r15_a_line_is_compact_and_keeps_what_it_was_made_of() {
        // 32 bytes a line, where it was 72 (a file of millions of one-line blocks).
        #[cfg(target_pointer_width = "64")]
        assert_eq!(std::mem::size_of::<Line<'_>>(), 32);
        let long = "Blåbær og rømme i kommunene. ".repeat(40_000);
        assert!(long.len() > 1 << 20);
        let huge = usize::MAX / 2;
        for (text, line, source_offset, blanks, exact) in [
            ("", 1, 0, 0, true),
            ("Mål og rammer", 7, 120, 2, true),
            ("på dagsorden", 3, 9, 1, false),
            (long.as_str(), 1 << 20, huge, 0, true),
            // Numbers past the compact form's are kept whole.
            ("ø", u32::MAX as usize + 1, 5, 70_000, true),
        ] {
            let anchor = Anchor {
                offset: 0,
                line,
                source_offset,
                exact,
            };
            let mut made = Line::new(LineText::Borrowed(text), anchor, blanks);
            assert_eq!(made.text, text);
            assert_eq!(&*made.anchors(), &[anchor]);
            assert_eq!((made.blanks_before(), made.first_line()), (blanks, line));
            assert_eq!(made.locate(0), (line, source_offset));
            // Joined, it keeps both pieces' anchors and its blank lines.
            made.append(&Line::new(LineText::Borrowed("og"), anchor, 0), " ", 0);
            let second = Anchor {
                offset: text.len() + 1,
                ..anchor
            };
            assert_eq!(&*made.anchors(), &[anchor, second]);
            assert_eq!(made.blanks_before(), blanks);
            assert_eq!(made.text, format!("{text} og"));
        }
    }

    #[test]
    fn r15_a_line_text_borrowed_or_owned_reads_as_its_text() {
        #[cfg(target_pointer_width = "64")]
        assert_eq!(std::mem::size_of::<LineText<'_>>(), 16);
        let long = "Blåbær og rømme i kommunene. ".repeat(40_000);
        assert!(long.len() > 1 << 20);
        for text in ["", "Mål og rammer", "Å\u{30A} ﬁ", long.as_str()] {
            let borrowed = LineText::Borrowed(text);
            let owned = LineText::from(text.to_string());
            assert_eq!(&*borrowed, text);
            assert_eq!(borrowed, owned, "the same text, borrowed or owned");
            assert_eq!(format!("{owned:?}"), format!("{text:?}"));
            assert_eq!(owned.clone().into_owned(), text);
            assert_eq!(borrowed.clone().into_owned(), text);
            // Changed, a borrowed text becomes owned and the source stays as it was.
            let mut changed = borrowed.clone();
            changed.to_mut().push_str(" på ø");
            assert!(matches!(changed, LineText::Owned(_)));
            assert_eq!(changed, format!("{text} på ø"));
            let first = text.chars().next().map_or(0, char::len_utf8);
            let mut truncated = owned;
            truncated.to_mut().truncate(first);
            assert_eq!(truncated, text[..first]);
        }
        assert_eq!(LineText::default(), "");
    }

    #[test]
    fn r15_blank_lines_are_counted_not_kept() {
        let lines = split_lines("Tittel\n\n \t\r\n\u{200B}\nførste\nandre\n\n\n");
        let kept: Vec<(&str, usize, usize)> = lines
            .iter()
            .map(|l| (&*l.text, l.first_line(), l.blanks_before()))
            .collect();
        assert_eq!(kept, [("Tittel", 1, 0), ("første", 5, 3), ("andre", 6, 0)]);
        assert!(split_lines("\n \n\r\n").is_empty());
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn splits_lf_crlf_and_cr() {
        let lines = split_lines("Mål\r\nog\rrammer\nslutt\n");
        let texts: Vec<&str> = lines.iter().map(|l| &*l.text).collect();
        assert_eq!(texts, ["Mål", "og", "rammer", "slutt"]);
        assert_eq!(lines[2].anchors()[0].line, 3);
        assert_eq!(lines[2].anchors()[0].source_offset, 9);
    }

    #[test]
    fn line_ends_are_found_in_every_position_of_an_eight_byte_word() {
        let text = "Mål og rammer for kommunene\r\n\n\rslutt på\u{2028}teksten\n".repeat(3);
        let bytes = text.as_bytes();
        for from in 0..bytes.len() {
            let expected = bytes[from..]
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .map(|i| from + i);
            assert_eq!(next_line_end(bytes, from), expected, "{from}");
        }
    }

    #[test]
    fn ascii_runs_are_measured_across_eight_byte_words() {
        let text = "Kommunene samarbeider om velferd og økonomi i regionen";
        for start in 0..text.len() {
            let bytes = &text.as_bytes()[start..];
            let expected = bytes.iter().take_while(|b| b.is_ascii()).count();
            assert_eq!(ascii_run_len(bytes), expected, "{start}");
        }
    }

    #[test]
    fn latin_letters_pass_the_nfc_quick_check_as_ascii_does() {
        use unicode_normalization::char::canonical_combining_class;
        for c in ('\u{80}'..='\u{2FF}').chain('a'..='z') {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            let mut buffer = [0; 4];
            let encoded = c.encode_utf8(&mut buffer).as_bytes();
            assert_eq!(plain_run_len(encoded), encoded.len(), "{c:?}");
        }
        assert_eq!(plain_run_len("på\u{300}".as_bytes()), 3);
        assert_eq!(plain_run_len("\u{300}".as_bytes()), 0);
    }

    #[test]
    fn the_nfc_check_agrees_with_is_nfc() {
        for text in [
            "Mål og rammer",
            "pa\u{30A} dagsorden",
            "a\u{301}\u{300}b",
            "å\u{301}",
            "e\u{0327}\u{0301} og \u{1100}\u{1161}",
            "\u{0F73} tibetansk",
            "ﬁ ligatur og \u{212B} (angstrom)",
            "Kommunene i Nord-Norge ønsker sterkere samarbeid om velferd og økonomi.",
            "ø\u{338} og o\u{308}\u{304} og \u{2FF}\u{300}\u{316}",
        ] {
            assert_eq!(is_already_nfc(text), is_nfc(text), "{text:?}");
        }
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
        assert!(!lines[0].anchors()[0].exact);
        assert_eq!(lines[0].locate(5), (1, 0));
    }

    #[test]
    fn lines_in_nfc_borrow_the_source_and_joined_lines_keep_both_anchors() {
        let text = "Kommunene møter økte\n  forventninger\n";
        let mut lines = split_lines(text);
        assert!(lines
            .iter()
            .all(|l| matches!(l.text, LineText::Borrowed(_))));
        let next = lines.pop().unwrap();
        lines[0].append(&next, " ", 0);
        assert_eq!(lines[0].text, "Kommunene møter økte forventninger");
        assert_eq!(lines[0].anchors().len(), 2);
        assert_eq!(lines[0].locate(24), (2, 26));
    }
}
