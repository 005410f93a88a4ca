//! Index: the Tantivy schema (one Tantivy document per passage), the writer, and the manifest
//! of source hashes that makes updates incremental. The index is a cache of the corpus.

mod corpus;
pub mod lexicon;
pub mod manifest;
pub mod progress;
pub mod schema;
pub mod stats;
mod writer;

pub use manifest::{Manifest, SourceEntry, MANIFEST_FILE};
pub use progress::{IndexObserver, IndexPlan, Unobserved};
pub use schema::{Fields, SCHEMA_VERSION};
pub use stats::{index_stats, read_passages, Counts, IndexStats, StoredPassage};
pub use writer::{
    is_stale, open_configured_writer, open_or_build_observed, open_or_build_with, writer_threads,
    IndexOptions, IndexReport, IndexTimings, LoadedSource, SourceLoader, Staleness,
    MAX_DOCS_BEFORE_MERGE, WRITER_HEAP_BYTES,
};

use crate::analysis::{register_analyzers, Lexicon};
use manifest::{is_manifest_file, read_manifest, ManifestState};
use std::fs;
use std::io;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

/// Errors of building, updating or opening the index. Each Display is one line that says
/// what to do next.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("corpus folder {0} not found; pass --corpus DIR or set LETE_CORPUS")]
    CorpusMissing(String),
    #[error("the corpus folder {0} holds no .txt files; add documents or pass --corpus DIR")]
    CorpusEmpty(String),
    #[error("cannot read the corpus folder {path}: {error}")]
    CorpusUnreadable { path: String, error: io::Error },
    #[error(
        "the index folder {index} lies inside the corpus folder {corpus} and lete never writes \
         into the corpus; choose another --index"
    )]
    IndexInsideCorpus { index: String, corpus: String },
    #[error("{dir} is not a lete index (it holds {entry}); choose another --index")]
    NotAnIndex { dir: String, entry: String },
    #[error("another lete index is running on {0}; wait for it and retry")]
    Locked(String),
    #[error("no index at {0}; run lete index")]
    Missing(String),
    #[error("the index at {path} is out of date ({reason}); run lete index --rebuild")]
    Outdated { path: String, reason: String },
    #[error("index error in {path}: {error}")]
    Tantivy { path: String, error: TantivyError },
    #[error("cannot write {path}: {error}")]
    Io { path: String, error: io::Error },
}

impl IndexError {
    fn io(path: &Path, error: io::Error) -> IndexError {
        IndexError::Io {
            path: path.display().to_string(),
            error,
        }
    }
}

/// Maps Tantivy's writer lock failure onto the message a user can act on.
fn tantivy_error(index_dir: &Path, err: TantivyError) -> IndexError {
    match err {
        TantivyError::LockFailure(..) => IndexError::Locked(index_dir.display().to_string()),
        error => IndexError::Tantivy {
            path: index_dir.display().to_string(),
            error,
        },
    }
}

/// Brings the index in `index_dir` up to date with the `*.txt` files of `corpus`, reading
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

/// An open index with its analyzers registered and its fields resolved.
pub struct LeteIndex {
    pub index: Index,
    pub fields: Fields,
    /// The compound lexicon the index was written with, for splitting query words alike.
    pub lexicon: Arc<Lexicon>,
    /// The reader searches share, made on first use: a process that searches many times
    /// (`lete bench`, `lete eval`) keeps Tantivy's caches of decompressed passages warm.
    pub reader: OnceLock<IndexReader>,
}

impl LeteIndex {
    fn new(index: Index, fields: Fields, lexicon: Arc<Lexicon>) -> LeteIndex {
        LeteIndex {
            index,
            fields,
            lexicon,
            reader: OnceLock::new(),
        }
    }

    /// The index as it was when first searched (the index is not reloaded while open).
    pub fn reader(&self) -> tantivy::Result<&IndexReader> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader);
        }
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(self.reader.get_or_init(|| reader))
    }
}

/// Opens the index in `index_dir` for searching. An index of another schema version is an
/// error, never misread.
pub fn open_index(index_dir: &Path) -> Result<LeteIndex, IndexError> {
    if !index_dir.join("meta.json").is_file() {
        return Err(IndexError::Missing(index_dir.display().to_string()));
    }
    let outdated = |reason: String| IndexError::Outdated {
        path: index_dir.display().to_string(),
        reason,
    };
    match read_manifest(index_dir) {
        ManifestState::Current(_) => {}
        ManifestState::OtherVersion(found) => {
            return Err(outdated(format!("schema version {found}")))
        }
        ManifestState::Missing => return Err(outdated("no manifest".to_string())),
        ManifestState::Unreadable(err) => return Err(outdated(err)),
    }
    let index = Index::open_in_dir(index_dir).map_err(|err| tantivy_error(index_dir, err))?;
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| outdated("another schema".to_string()))?;
    register_analyzers(index.tokenizers());
    let lexicon = Arc::new(lexicon::read_search_lexicon(index_dir));
    Ok(LeteIndex::new(index, fields, lexicon))
}

/// Removes lete's and Tantivy's files from `index_dir` before a fresh build, holding the
/// writer lock so that a running `lete index` is not pulled from under it. Anything else in
/// the folder means it is not an index: nothing is deleted then.
fn clear_index_dir(index_dir: &Path) -> Result<(), IndexError> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(index_dir)
        .and_then(|entries| entries.collect())
        .map_err(|err| IndexError::io(index_dir, err))?;
    if let Some(foreign) = entries.iter().find(|entry| !is_index_file(entry)) {
        return Err(IndexError::NotAnIndex {
            dir: index_dir.display().to_string(),
            entry: foreign.file_name().to_string_lossy().into_owned(),
        });
    }
    let directory = MmapDirectory::open(index_dir).map_err(|err| IndexError::Tantivy {
        path: index_dir.display().to_string(),
        error: err.into(),
    })?;
    let _lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|_| IndexError::Locked(index_dir.display().to_string()))?;
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_lock_file(&name) {
            continue;
        }
        fs::remove_file(entry.path()).map_err(|err| IndexError::io(&entry.path(), err))?;
    }
    Ok(())
}

fn is_lock_file(name: &str) -> bool {
    name.starts_with(".tantivy-")
}

/// Tantivy's files (`meta.json`, `.managed.json`, `<segment uuid>.<ext>`, locks) and the
/// manifest.
fn is_index_file(entry: &fs::DirEntry) -> bool {
    let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
    let name = entry.file_name().to_string_lossy().into_owned();
    let segment_file = name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit);
    is_file
        && (name == "meta.json"
            || name == ".managed.json"
            || is_lock_file(&name)
            || is_manifest_file(&name)
            || lexicon::is_lexicon_file(&name)
            || segment_file)
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
