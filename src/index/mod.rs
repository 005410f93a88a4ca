//! Index: the Tantivy schema (one Tantivy document per passage), the writer, and the manifest
//! of source hashes that makes updates incremental. The index is a cache of the corpus.

mod changes;
mod directory;
mod error;
mod folder;
mod guard;
pub mod lexicon;
mod load;
mod lock;
pub mod manifest;
mod open;
pub mod progress;
mod report;
pub mod schema;
mod settings;
pub mod stats;
mod writer;

pub use crate::ingest::discover::{FileSelection, DEFAULT_INCLUDE};
pub use error::IndexError;
pub use guard::damage_detail;
pub use load::{LoadedSource, SourceLoader};
pub use manifest::{Manifest, SourceEntry, MANIFEST_FILE};
pub use open::{open_index, LeteIndex};
pub use progress::{IndexObserver, IndexPlan, Unobserved};
pub use report::{IndexReport, IndexTimings};
pub use schema::{Fields, SCHEMA_VERSION};
pub use settings::{
    create_configured_index, index_settings, open_configured_writer, writer_threads,
    DOCSTORE_BLOCK_BYTES, MAX_DOCS_BEFORE_MERGE, WRITER_HEAP_BYTES,
};
pub use stats::{index_stats, read_passages, Counts, IndexStats, StoredPassage};
pub use writer::{
    is_stale, open_or_build_observed, open_or_build_with, IndexOptions, Staleness,
    DEFAULT_LOCK_WAIT,
};

use directory::is_read_only_error;
use error::tantivy_error;
use folder::clear_index_dir;
use lock::acquire_writer_lock;
use std::path::Path;

/// Brings the index in `index_dir` up to date with the selected files of `corpus`, reading
/// them through the pipeline (`crate::pipeline::load_bytes`).
pub fn open_or_build(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
) -> Result<IndexReport, IndexError> {
    open_or_build_with(corpus, index_dir, options, &load_with_pipeline)
}

/// As `open_or_build`, telling `observer` how the run goes (for a progress bar).
pub fn open_or_build_with_progress(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    observer: &dyn IndexObserver,
) -> Result<IndexReport, IndexError> {
    open_or_build_observed(corpus, index_dir, options, &load_with_pipeline, observer)
}

fn load_with_pipeline(bytes: &[u8], source: &str) -> Result<LoadedSource, String> {
    crate::pipeline::load_bytes(bytes, source)
        .map(|loaded| LoadedSource {
            document: loaded.document,
            warnings: loaded.warnings,
        })
        .map_err(|err| format!("{err}; skipped"))
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
