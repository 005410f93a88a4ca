//! The errors of building, updating and opening the index, each one line that says what to
//! do next.

use crate::ingest::DiscoverError;
use std::io;
use std::path::Path;
use tantivy::TantivyError;

/// Errors of building, updating or opening the index. Each Display is one line that says
/// what to do next.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("corpus folder {0} not found; pass --corpus DIR or set LETE_CORPUS")]
    CorpusMissing(String),
    /// The corpus folder cannot be listed (its messages are discovery's own).
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(
        "the index folder {index} lies inside the corpus folder {corpus} and lete never writes \
         into the corpus; choose another --index"
    )]
    IndexInsideCorpus { index: String, corpus: String },
    #[error(
        "the index at {index} holds the corpus {held}, not {asked}; run `lete index` to build \
         it for {asked} instead, or leave out --index and LETE_INDEX: each corpus then gets an \
         index of its own"
    )]
    OtherCorpus {
        index: String,
        held: String,
        asked: String,
    },
    #[error("{dir} is not a lete index (it holds {entry}); choose another --index")]
    NotAnIndex { dir: String, entry: String },
    #[error("another lete index is running on {0}; wait for it and retry")]
    Locked(String),
    #[error(
        "another lete index has been updating {path} for {seconds} s; wait for it to finish \
         and retry"
    )]
    LockTimeout { path: String, seconds: u64 },
    #[error("the index folder {0} is read-only; it cannot be built or updated here")]
    ReadOnly(String),
    #[error("the index at {path} is damaged ({detail}); run `lete index --rebuild`")]
    Damaged { path: String, detail: String },
    #[error("no index at {0}; run lete index")]
    Missing(String),
    #[error("the index at {path} is out of date ({reason}); run lete index --rebuild")]
    Outdated { path: String, reason: String },
    #[error("index error in {path}: {error}; if it persists, run `lete index --rebuild`")]
    Tantivy { path: String, error: TantivyError },
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: io::Error },
}

impl IndexError {
    pub(crate) fn io(path: &Path, error: io::Error) -> IndexError {
        IndexError::Io {
            path: path.display().to_string(),
            error,
        }
    }
}

/// Maps Tantivy's writer lock failure onto the message a user can act on.
pub(crate) fn tantivy_error(index_dir: &Path, err: TantivyError) -> IndexError {
    match err {
        TantivyError::LockFailure(..) => IndexError::Locked(index_dir.display().to_string()),
        error => IndexError::Tantivy {
            path: index_dir.display().to_string(),
            error,
        },
    }
}
