//! lete: passage search for Norwegian and Danish documents.
//!
//! The pipeline runs one way: `ingest` (bytes → normalized lines) → `segment` (lines →
//! document, sections, passages) → `analysis` (language, tokens) → `index` (Tantivy) →
//! `search` → `output`; `cli` and `serve` (HTTP) sit side by side on top. Tests and benches
//! drive it through this library, not the CLI.

#![warn(missing_docs, unreachable_pub)]

// The library's API is what the binary, the tests, the benches and the fuzz targets use; the
// rest is the crate's own (issue 14).
pub mod analysis;
pub mod bench;
pub mod cli;
pub(crate) mod config;
pub(crate) mod eval;
pub mod index;
pub(crate) mod ingest;
pub mod lang;
pub(crate) mod output;
pub mod pipeline;
pub mod search;
pub(crate) mod segment;
pub(crate) mod serve;
pub mod threads;
