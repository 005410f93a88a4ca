//! Ingest: bytes → normalized logical lines, each with a map back to the source.
//!
//! Decoding (UTF-8, BOM, UTF-16, Windows-1252 fallback, binary refused), NFC, and the
//! repairs a raw document needs before it can be segmented: hard-wrapped lines joined,
//! words hyphenated at a line end rejoined, page numbers inside paragraphs dropped.

pub mod decode;
pub mod lines;
pub mod unwrap;

pub use decode::{Decoded, Encoding};
pub use lines::{Anchor, Line};

use std::ops::Range;
use thiserror::Error;

/// Why a source could not be ingested. Display is the one-line reason shown after the path.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("binary file (NUL bytes)")]
    Binary,
    #[error("empty file (no text)")]
    Empty,
    /// The io error is shown in the message, not chained as a source, so it prints once.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for IngestError {
    fn from(err: std::io::Error) -> Self {
        IngestError::Io(err)
    }
}

/// A page number the normalizer removed from inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedPageNumber {
    pub line: usize,
    /// Byte range of the number in the decoded text.
    pub range: Range<usize>,
    pub number: String,
}

/// A normalized source, ready for segmentation.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub decoded: Decoded,
    /// Logical lines in source order: one source line, or several joined.
    pub lines: Vec<Line>,
    pub page_numbers: Vec<DroppedPageNumber>,
}

impl Ingested {
    /// Source line and source byte of a byte offset in logical line `index`.
    pub fn locate(&self, index: usize, offset: usize) -> (usize, usize) {
        let (line, decoded_offset) = self.lines[index].locate(offset);
        (line, self.decoded.source_byte(decoded_offset))
    }
}

/// Decodes and normalizes a source file's bytes.
pub fn ingest(bytes: &[u8]) -> Result<Ingested, IngestError> {
    let decoded = decode::decode(bytes)?;
    let raw = lines::split_lines(&decoded.text);
    if raw.iter().all(|line| line.is_blank()) {
        return Err(IngestError::Empty);
    }
    let (lines, page_numbers) = unwrap::unwrap(raw);
    Ok(Ingested {
        decoded,
        lines,
        page_numbers,
    })
}
