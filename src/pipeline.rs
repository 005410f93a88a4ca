//! The front of the pipeline in one call: a source file → a segmented `Document`.

use crate::analysis::detect_language;
use crate::ingest::{ingest, IngestError};
use crate::segment::{segment, Document};
use std::path::Path;

/// A document read from disk, with what the reader should be told about it.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    /// The document: title, language, sections and passages.
    pub document: Document,
    /// One-line reasons the source was not clean (the caller prefixes the path).
    pub warnings: Vec<String>,
    /// Page numbers the normalizer removed from the text.
    pub page_numbers_dropped: usize,
}

/// Reads, decodes, normalizes, detects the language of and segments one source file.
/// `source` is the path as it should appear in results.
pub(crate) fn load_document(path: &Path, source: &str) -> Result<LoadedDocument, IngestError> {
    let bytes = std::fs::read(path)?;
    load_bytes(&bytes, source)
}

/// As `load_document`, from bytes already read.
pub fn load_bytes(bytes: &[u8], source: &str) -> Result<LoadedDocument, IngestError> {
    let ingested = ingest(bytes)?;
    let lang = detect_language(&ingested.decoded.text);
    let document = segment(&ingested, source, lang);
    Ok(LoadedDocument {
        document,
        warnings: ingested.decoded.warning.iter().cloned().collect(),
        page_numbers_dropped: ingested.page_numbers.len(),
    })
}
