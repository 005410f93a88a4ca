//! The front of the pipeline in one call: a source file → a segmented `Document`, whatever
//! its format (issue 15: each format's reader feeds the same segment → passage path).

use crate::analysis::detect_language;
use crate::ingest::format::{self, Format};
use crate::ingest::structure::{into_ingested, Extracted};
use crate::ingest::{html, ingest, markdown, office, pdf, read_source, IngestError, Ingested};
use crate::segment::{segment, Document};
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
    /// Page numbers the normalizer dropped, with running headers and footers of a PDF.
    pub page_numbers_dropped: usize,
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
    let extracted = match format::detect(source, bytes)? {
        Format::Text => return load_text(bytes, source),
        Format::Markdown => markdown::read(bytes)?,
        Format::Html => html::read(bytes)?,
        Format::OfficeZip => office::read(bytes)?,
        Format::Pdf => pdf::read(bytes)?,
    };
    load_extracted(extracted, source)
}

fn load_text(bytes: &[u8], source: &str) -> Result<LoadedDocument, IngestError> {
    let ingested = ingest(bytes)?;
    let lang = detect_language(&ingested.decoded.text);
    let document = segment(&ingested, source, lang);
    Ok(LoadedDocument {
        document,
        warnings: ingested.decoded.warning.iter().cloned().collect(),
        page_numbers_dropped: ingested.page_numbers.len(),
    })
}

fn load_extracted(mut extracted: Extracted, source: &str) -> Result<LoadedDocument, IngestError> {
    if extracted.blocks.iter().all(|block| block.text.is_empty()) {
        return Err(IngestError::Empty);
    }
    let warnings = std::mem::take(&mut extracted.warnings);
    let page_numbers_dropped = extracted.dropped_lines;
    let ingested = into_ingested(extracted);
    let lang = detect_language(&language_sample(&ingested));
    let document = segment(&ingested, source, lang);
    Ok(LoadedDocument {
        document,
        warnings,
        page_numbers_dropped,
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
