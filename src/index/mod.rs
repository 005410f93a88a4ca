//! Index: the Tantivy schema (one Tantivy document per passage), the writer, and the manifest
//! of source hashes that makes updates incremental. The index is a cache of the corpus;
//! [`open_fresh`] is how a command gets one to read, up to date.

mod changes;
pub(crate) mod counts;
mod directory;
mod error;
mod folder;
mod fresh;
mod guard;
mod integrity;
pub(crate) mod lexicon;
pub(crate) mod load;
mod lock;
pub(crate) mod manifest;
mod open;
mod passage;
pub(crate) mod progress;
mod remembered;
mod report;
pub(crate) mod schema;
pub(crate) mod settings;
mod writer;

pub(crate) use counts::{index_stats, index_stats_leaving_out, Counts, IndexStats};
pub use error::IndexError;
pub(crate) use fresh::Staleness;
pub use fresh::{open_fresh, FreshIndex, Freshness, OpenOptions, Refresh};
pub(crate) use guard::{carry_guard, is_guarded};
pub(crate) use manifest::{SourceEntry, MANIFEST_FILE};
pub use open::LeteIndex;
pub(crate) use open::{open_as_it_stands, open_index, CommitRead};
pub(crate) use passage::{read_passages, StoredPassage};
pub(crate) use progress::{IndexObserver, IndexPlan};
pub(crate) use report::IndexReport;
pub(crate) use schema::Fields;
pub use schema::SCHEMA_VERSION;
pub(crate) use settings::{
    create_configured_index, open_configured_writer, settle_segments, writer_threads,
    WRITER_HEAP_BYTES,
};
pub(crate) use writer::lies_inside;
pub use writer::IndexOptions;

use directory::is_read_only_error;
use error::tantivy_error;
use folder::clear_index_dir;
use lock::acquire_writer_lock;

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
