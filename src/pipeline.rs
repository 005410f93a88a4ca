//! The front of the pipeline in one call: a source file → a segmented `Document`, whatever
//! its format (issue 15: each format's reader feeds the same segment → passage path).

use crate::analysis::detect_language;
use crate::ingest::format::{self, Format};
use crate::ingest::structure::{into_ingested, Extracted};
use crate::ingest::{html, ingest, markdown, office, pdf, read_source, IngestError, Ingested};
use crate::lang::Lang;
use crate::segment::{segment_into, Document, DocumentSink};
use std::borrow::Cow;
use std::path::Path;

/// Language detection reads at most this much of an extracted document's text: enough to
/// decide, and no copy of a whole large file.
const LANGUAGE_SAMPLE_BYTES: usize = 1 << 20;

/// A document read from disk, with what the reader should be told about it.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    /// The document: title, language, sections and passages.
    pub document: Document,
    /// One-line reasons the source was not clean (the caller prefixes the path).
    pub warnings: Vec<String>,
    /// Page numbers the normalizer or a reader dropped.
    pub page_numbers_dropped: usize,
    /// A PDF's running headers and footers, dropped (each line counted once per page).
    pub running_lines_dropped: usize,
}

/// Reads, decodes, normalizes, detects the language of and segments one source file.
/// `source` is the path as it should appear in results. As the indexer reads it: a regular
/// file only, and a binary file is refused without being read whole (issue 18).
pub(crate) fn load_document(path: &Path, source: &str) -> Result<LoadedDocument, IngestError> {
    let read = read_source(path)?;
    load_bytes(&read.bytes, source)
}

/// As `load_document`, from bytes already read; the format comes from `source`'s extension,
/// checked by the bytes.
pub fn load_bytes(bytes: &[u8], source: &str) -> Result<LoadedDocument, IngestError> {
    let mut document = Document {
        source: source.to_string(),
        title: String::new(),
        lang: Lang::Nb,
        sections: Vec::new(),
    };
    let notes = load_bytes_into(Cow::Borrowed(bytes), source, &mut document)?;
    Ok(LoadedDocument {
        document,
        warnings: notes.warnings,
        page_numbers_dropped: notes.page_numbers_dropped,
        running_lines_dropped: notes.running_lines_dropped,
    })
}

/// What loading a document found besides its parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoadNotes {
    /// One-line reasons the source was not clean (the caller prefixes the path).
    pub(crate) warnings: Vec<String>,
    /// Page numbers the normalizer or a reader dropped.
    pub(crate) page_numbers_dropped: usize,
    /// A PDF's running headers and footers, dropped.
    pub(crate) running_lines_dropped: usize,
}

/// As `load_bytes`, handing the document's title, sections and passages to `sink` as they
/// are made (issue 15: the indexer adds a huge file's passages without holding them all).
/// Every check that can refuse the file comes before the first part is handed on. Bytes
/// given owned are dropped once a format's reader has extracted the text (100 MB less held
/// while a 100 MB HTML page is indexed); plain text borrows them to the end.
pub(crate) fn load_bytes_into(
    bytes: Cow<'_, [u8]>,
    source: &str,
    sink: &mut dyn DocumentSink,
) -> Result<LoadNotes, IngestError> {
    let extracted = match format::detect(source, &bytes)? {
        Format::Text => return load_text(&bytes, sink),
        Format::Markdown => markdown::read(&bytes)?,
        Format::Html => html::read(&bytes)?,
        Format::OfficeZip => office::read(&bytes)?,
        Format::Pdf => pdf::read(&bytes)?,
    };
    drop(bytes);
    load_extracted(extracted, sink)
}

fn load_text(bytes: &[u8], sink: &mut dyn DocumentSink) -> Result<LoadNotes, IngestError> {
    let ingested = ingest(bytes)?;
    let lang = detect_language(&ingested.decoded.text);
    segment_into(&ingested, lang, sink);
    Ok(LoadNotes {
        warnings: ingested.decoded.warning.iter().cloned().collect(),
        page_numbers_dropped: ingested.page_numbers.len(),
        running_lines_dropped: 0,
    })
}

fn load_extracted(
    mut extracted: Extracted,
    sink: &mut dyn DocumentSink,
) -> Result<LoadNotes, IngestError> {
    if extracted.blocks.iter().all(|block| block.text.is_empty()) {
        return Err(IngestError::Empty);
    }
    let warnings = std::mem::take(&mut extracted.warnings);
    let page_numbers_dropped = extracted.dropped_page_numbers;
    let running_lines_dropped = extracted.dropped_running_lines;
    // The blocks' text, which the lines borrow.
    let mut text = String::new();
    let ingested = into_ingested(extracted, &mut text);
    let lang = detect_language(&language_sample(&ingested));
    segment_into(&ingested, lang, sink);
    Ok(LoadNotes {
        warnings,
        page_numbers_dropped,
        running_lines_dropped,
    })
}

/// The first lines of an extracted document, up to `LANGUAGE_SAMPLE_BYTES`.
fn language_sample(ingested: &Ingested<'_>) -> String {
    let mut sample = String::new();
    for line in &ingested.lines {
        if sample.len() >= LANGUAGE_SAMPLE_BYTES {
            break;
        }
        sample.push_str(&line.text);
        sample.push('\n');
    }
    sample
}
