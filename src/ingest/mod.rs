//! Ingest: the corpus files to read (`discover`), and bytes → normalized logical lines, each
//! with a map back to the source. Plain text is decoded and normalized here; the other
//! formats (`format` tells which) have a reader each that hands over the structure it knows
//! (`structure`, issue 15): `markdown`, `html`, `office` (.docx, .odt) and `pdf`.
//!
//! Decoding (UTF-8, BOM, UTF-16, Windows-1252 fallback, binary refused), NFC, and the
//! repairs a raw document needs before it can be segmented: hard-wrapped lines joined,
//! words hyphenated at a line end rejoined, page numbers inside paragraphs dropped.

pub(crate) mod bold_headings;
pub(crate) mod decode;
pub(crate) mod discover;
pub(crate) mod format;
pub(crate) mod html;
pub(crate) mod lines;
pub(crate) mod markdown;
pub(crate) mod office;
pub(crate) mod pdf;
pub(crate) mod read;
pub(crate) mod shown;
pub(crate) mod source_name;
pub(crate) mod structure;
pub(crate) mod unwrap;
pub(crate) mod words;

pub(crate) use decode::Decoded;
#[cfg(test)]
pub(crate) use discover::list_corpus;
pub(crate) use discover::{
    grouped_warnings, list_corpus_for_index, DiscoverError, FileSelection, SelectionPatterns,
};
pub(crate) use lines::Line;
pub(crate) use read::{read_source, read_text_file};
pub(crate) use shown::ShownSources;
pub(crate) use source_name::{shown_path, source_name, source_path};

use std::borrow::Cow;
use std::ops::Range;
use thiserror::Error;

/// Why a source could not be ingested. Display is the one-line reason shown after the path.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("binary file (NUL bytes)")]
    Binary,
    #[error("empty file (no text)")]
    Empty,
    /// A document format's reader refused the file: the reason (`encrypted PDF (…)`,
    /// `damaged zip file: …`), shown on one line.
    #[error("{}", one_line_reason(.0))]
    Unreadable(String),
    /// A device, FIFO, socket or folder: lete reads regular files only (issue 18: reading
    /// `/dev/zero` never ended, opening a FIFO waited for a writer forever).
    #[error("not a regular file ({0})")]
    NotAFile(&'static str),
    /// The io error is shown in the message, not chained as a source, so it prints once.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
}

/// The most of a reason a warning shows: a parser's message may quote the damaged input.
const REASON_CHARS: usize = 200;

/// A reader's reason as one warning line: a parser's message quotes what it found, line
/// breaks and control characters included (quick-xml on a mismatched end tag, found by the
/// read_office fuzz target), so white space runs become one space, other control characters
/// `?`, and a long reason is cut.
fn one_line_reason(reason: &str) -> String {
    let mut line = String::with_capacity(reason.len().min(REASON_CHARS + 3));
    for (count, word) in reason.split_whitespace().enumerate() {
        if count > 0 {
            line.push(' ');
        }
        line.extend(word.chars().map(|c| if c.is_control() { '?' } else { c }));
    }
    match line.char_indices().nth(REASON_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

impl From<std::io::Error> for IngestError {
    fn from(err: std::io::Error) -> Self {
        IngestError::Io(err)
    }
}

/// A page number the normalizer removed from inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DroppedPageNumber {
    pub line: usize,
    /// Byte range of the number in the decoded text.
    pub range: Range<usize>,
    pub number: String,
}

/// A normalized source, ready for segmentation. It borrows the source bytes where they are
/// UTF-8: neither the decoded text nor a line already in NFC is a copy (issue 6).
#[derive(Debug, Clone)]
pub(crate) struct Ingested<'a> {
    pub decoded: Decoded<'a>,
    /// Logical lines in source order: one source line, or several joined.
    pub lines: Vec<Line<'a>>,
    pub page_numbers: Vec<DroppedPageNumber>,
    /// What a format reader knew about each line (headings, lists, pages); `None` for plain
    /// text, whose structure the text rules find.
    pub structure: Option<structure::Structure>,
}

impl Ingested<'_> {
    /// The page logical line `index` starts on, for paged formats.
    pub(crate) fn page_of(&self, index: usize) -> Option<u32> {
        self.structure
            .as_ref()
            .and_then(|structure| structure.pages.get(index))
    }

    /// The page of byte `offset` of logical line `index`: the line's, or that of a later page
    /// the line goes on to before it.
    pub(crate) fn page_at(&self, index: usize, offset: usize) -> Option<u32> {
        let later = self
            .page_starts_of(index)
            .iter()
            .take_while(|&&(_, start, _)| start <= offset)
            .map(|&(_, _, page)| page)
            .last();
        later.or_else(|| self.page_of(index))
    }

    /// The later pages' starts inside logical line `index` (they are in order).
    fn page_starts_of(&self, index: usize) -> &[(usize, usize, u32)] {
        let starts = self
            .structure
            .as_ref()
            .map_or(&[][..], |s| &s.page_starts[..]);
        let from = starts.partition_point(|&(line, _, _)| line < index);
        let to = starts.partition_point(|&(line, _, _)| line <= index);
        &starts[from..to]
    }

    /// Where a later page starts inside byte range `range` of logical line `index` (offsets
    /// from the range's start).
    pub(crate) fn page_starts_in(
        &self,
        index: usize,
        range: Range<usize>,
    ) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.page_starts_of(index)
            .iter()
            .filter(move |&&(_, start, _)| start > range.start && start < range.end)
            .map(move |&(_, start, page)| (start - range.start, page))
    }

    /// Source line and source byte of a byte offset in logical line `index`.
    pub(crate) fn locate(&self, index: usize, offset: usize) -> (usize, usize) {
        let (line, decoded_offset) = self.lines[index].locate(offset);
        (line, self.decoded.source_byte(decoded_offset))
    }
}

/// Decodes and normalizes a source file's bytes.
pub(crate) fn ingest(bytes: &[u8]) -> Result<Ingested<'_>, IngestError> {
    let decoded = decode::decode(bytes)?;
    let raw = match decoded.text {
        Cow::Borrowed(text) => lines::split_lines(text),
        // A text decoded into a string of its own cannot lend its lines to a value that also
        // holds it: those lines own their text, as they did before (collected in place).
        Cow::Owned(ref text) => lines::split_lines(text)
            .into_iter()
            .map(Line::into_owned)
            .collect(),
    };
    if raw.iter().all(|line| line.is_blank()) {
        return Err(IngestError::Empty);
    }
    let (lines, page_numbers) = unwrap::unwrap(raw);
    Ok(Ingested {
        decoded,
        lines,
        page_numbers,
        structure: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r15_a_readers_reason_is_one_line_and_bounded() {
        let err = IngestError::Unreadable("damaged PDF: found `a\r\n\tb\u{1b}[31m`".into());
        assert_eq!(err.to_string(), "damaged PDF: found `a b?[31m`");
        let long = IngestError::Unreadable("x".repeat(1000)).to_string();
        assert_eq!(long.chars().count(), REASON_CHARS + 1, "{long}");
        assert!(long.ends_with('…'));
    }
}
