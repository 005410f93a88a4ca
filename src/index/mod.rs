//! Index: the Tantivy schema (one Tantivy document per passage), the writer, and the manifest
//! of source hashes that makes updates incremental. The index is a cache of the corpus.

mod corpus;
pub mod lexicon;
pub mod manifest;
pub mod progress;
pub mod schema;
pub mod stats;
mod writer;

pub use corpus::{FileSelection, DEFAULT_INCLUDE};
pub use manifest::{Manifest, SourceEntry, MANIFEST_FILE};
pub use progress::{IndexObserver, IndexPlan, Unobserved};
pub use schema::{Fields, SCHEMA_VERSION};
pub use stats::{index_stats, read_passages, Counts, IndexStats, StoredPassage};
pub use writer::{
    create_configured_index, index_settings, is_stale, open_configured_writer,
    open_or_build_observed, open_or_build_with, writer_threads, IndexOptions, IndexReport,
    IndexTimings, LoadedSource, SourceLoader, Staleness, DEFAULT_LOCK_WAIT, MAX_DOCS_BEFORE_MERGE,
    WRITER_HEAP_BYTES,
};

use crate::analysis::{register_analyzers, CompoundSplitter};
use manifest::{is_manifest_file, read_manifest, ManifestState};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tantivy::directory::error::LockError;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    INDEX_WRITER_LOCK,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

/// Errors of building, updating or opening the index. Each Display is one line that says
/// what to do next.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("corpus folder {0} not found; pass --corpus DIR or set LETE_CORPUS")]
    CorpusMissing(String),
    #[error("the corpus folder {path} holds no {wanted}; add documents or pass --corpus DIR")]
    CorpusEmpty { path: String, wanted: String },
    #[error("invalid {flag} glob '{pattern}': {reason}")]
    BadGlob {
        flag: String,
        pattern: String,
        reason: String,
    },
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

/// An open index with its analyzers registered and its fields resolved.
pub struct LeteIndex {
    pub index: Index,
    pub fields: Fields,
    /// The compound lexicon the index was written with, for splitting query words alike, with
    /// the splits its searches share.
    pub lexicon: Arc<CompoundSplitter>,
    /// The reader searches share, made on first use: a process that searches many times
    /// (`lete bench`, `lete eval`) keeps Tantivy's caches of decompressed passages warm.
    pub reader: OnceLock<IndexReader>,
}

impl LeteIndex {
    fn new(index: Index, fields: Fields, lexicon: Arc<CompoundSplitter>) -> LeteIndex {
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
    let damaged = |err: TantivyError| IndexError::Damaged {
        path: index_dir.display().to_string(),
        detail: damage_detail(&err.to_string()),
    };
    let directory = MmapDirectory::open(index_dir).map_err(|err| damaged(err.into()))?;
    let index = Index::open(SearchDirectory(directory)).map_err(damaged)?;
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| outdated("another schema".to_string()))?;
    register_analyzers(index.tokenizers());
    let lexicon = Arc::new(CompoundSplitter::from(lexicon::read_search_lexicon(
        index_dir,
    )));
    Ok(LeteIndex::new(index, fields, lexicon))
}

/// Longest Tantivy detail shown in a damaged-index message.
const DETAIL_MAX_CHARS: usize = 160;

/// What a Tantivy read error says about the index, on one short line. Tantivy's own message
/// for a cut-off file blames an old Tantivy version, which would mislead here.
pub fn damage_detail(message: &str) -> String {
    if message.contains("Footer magic byte mismatch") {
        return "an index file is truncated or overwritten".to_string();
    }
    let flat = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= DETAIL_MAX_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(DETAIL_MAX_CHARS - 1).collect();
    format!("{cut}…")
}

/// The directory searches read through. Readers take Tantivy's meta lock while they open
/// segment files, so that a running `lete index` cannot delete them under their feet; in a
/// folder the user cannot write (a read-only index, issue 6) no writer can run either, so
/// the lock is skipped instead of failing the search.
#[derive(Debug, Clone)]
struct SearchDirectory(MmapDirectory);

impl Directory for SearchDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<Arc<dyn FileHandle>, tantivy::directory::error::OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(err)) if is_read_only_error(&err) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
}

/// Whether an io error says the folder or file cannot be written (permissions, a read-only
/// mount).
pub(crate) fn is_read_only_error(err: &io::Error) -> bool {
    const READ_ONLY_FILE_SYSTEM: i32 = 30; // EROFS on Linux and the BSDs
    err.kind() == io::ErrorKind::PermissionDenied
        || err.raw_os_error() == Some(READ_ONLY_FILE_SYSTEM)
}

/// The lock that lets one `lete index` (or refreshing `lete search`) write at a time.
const LETE_WRITER_LOCK: &str = ".lete-writer.lock";
/// Pause between two attempts to take the writer lock.
const LOCK_POLL: Duration = Duration::from_millis(200);

/// Takes lete's writer lock on `index_dir`, waiting up to `wait` for another run to release
/// it (issue 6: the second of two runs waits instead of failing on Tantivy's lock), and
/// calling `on_wait` once if it has to wait.
fn acquire_writer_lock(
    index_dir: &Path,
    wait: Duration,
    on_wait: Option<fn(&Path)>,
) -> Result<DirectoryLock, IndexError> {
    let directory = MmapDirectory::open(index_dir).map_err(|err| IndexError::Tantivy {
        path: index_dir.display().to_string(),
        error: err.into(),
    })?;
    let lock = Lock {
        filepath: PathBuf::from(LETE_WRITER_LOCK),
        is_blocking: false,
    };
    let started = Instant::now();
    let mut told = false;
    loop {
        match directory.acquire_lock(&lock) {
            Ok(lock) => return Ok(lock),
            Err(LockError::IoError(err)) if is_read_only_error(&err) => {
                return Err(IndexError::ReadOnly(index_dir.display().to_string()))
            }
            Err(LockError::IoError(err)) => {
                let path = index_dir.join(LETE_WRITER_LOCK);
                return Err(IndexError::io(
                    &path,
                    io::Error::new(err.kind(), err.to_string()),
                ));
            }
            Err(LockError::LockBusy) if started.elapsed() >= wait => {
                return Err(IndexError::LockTimeout {
                    path: index_dir.display().to_string(),
                    seconds: started.elapsed().as_secs(),
                })
            }
            Err(LockError::LockBusy) => {
                if !told {
                    if let Some(on_wait) = on_wait {
                        on_wait(index_dir);
                    }
                    told = true;
                }
                std::thread::sleep(LOCK_POLL);
            }
        }
    }
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
    name.starts_with(".tantivy-") || name == LETE_WRITER_LOCK
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
