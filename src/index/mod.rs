//! Index: the Tantivy schema (one Tantivy document per passage), the writer, and the manifest
//! of source hashes that makes updates incremental. The index is a cache of the corpus;
//! [`open_fresh`] is how a command gets one to read, up to date.

mod changes;
pub mod counts;
mod directory;
mod error;
mod folder;
mod fresh;
mod guard;
pub mod lexicon;
mod load;
mod lock;
pub mod manifest;
mod open;
mod passage;
pub mod progress;
mod report;
pub mod schema;
mod settings;
mod writer;

pub use crate::ingest::discover::{FileSelection, DEFAULT_INCLUDE};
pub use counts::{index_stats, Counts, IndexStats};
pub use error::IndexError;
pub use fresh::{open_fresh, FreshIndex, Freshness, OpenOptions, Refresh, Staleness};
pub use guard::damage_detail;
pub use load::{pipeline_loader, LoadedSource, SourceLoader};
pub use manifest::{Manifest, SourceEntry, MANIFEST_FILE};
pub use open::{open_index, LeteIndex};
pub use passage::{read_passages, StoredPassage};
pub use progress::{IndexObserver, IndexPlan, Unobserved};
pub use report::{IndexReport, IndexTimings};
pub use schema::{Fields, SCHEMA_VERSION};
pub use settings::{
    create_configured_index, index_settings, open_configured_writer, writer_threads,
    DOCSTORE_BLOCK_BYTES, MAX_DOCS_BEFORE_MERGE, WRITER_HEAP_BYTES,
};
pub use writer::{IndexOptions, DEFAULT_LOCK_WAIT};

use directory::is_read_only_error;
use error::tantivy_error;
use folder::clear_index_dir;
use lock::acquire_writer_lock;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
