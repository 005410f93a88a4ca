//! lete: passage search for Norwegian and Danish documents.
//!
//! The pipeline runs one way: `ingest` (bytes → normalized lines) → `segment` (lines →
//! document, sections, passages) → `analysis` (language, tokens) → `index` (Tantivy) →
//! `search` → `output`. Tests and benches drive it through this library, not the CLI.

pub mod analysis;
pub mod bench;
pub mod cli;
pub mod config;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod output;
pub mod pipeline;
pub mod search;
pub mod segment;
