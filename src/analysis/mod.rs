//! Analysis: language detection and the per-language Tantivy analyzers.
