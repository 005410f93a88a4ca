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
    /// The corpus folder does not exist.
    #[error("corpus folder {0} not found; {hint}", hint = corpus_hint(.0))]
    CorpusMissing(String),
    /// The corpus folder cannot be listed (its messages are discovery's own).
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// The index folder lies inside the corpus folder, which lete never writes into.
    #[error(
        "the index folder {index} lies inside the corpus folder {corpus} and lete never writes \
         into the corpus; choose another --index"
    )]
    IndexInsideCorpus {
        /// The index folder, as given.
        index: String,
        /// The corpus folder, as given.
        corpus: String,
    },
    /// The index folder holds the index of another corpus (issue 19): a command that reads
    /// it never answers for one corpus from another's index.
    #[error(
        "the index at {index} holds the corpus {held}, not {asked}; run `lete index` to build \
         it for {asked} instead, or leave out --index and LETE_INDEX: each corpus then gets an \
         index of its own"
    )]
    OtherCorpus {
        /// The index folder, as given.
        index: String,
        /// The canonical path of the corpus it holds.
        held: String,
        /// The corpus folder asked for, as given.
        asked: String,
    },
    /// The index folder holds files that are not lete's: it is never wiped.
    #[error("{dir} is not a lete index (it holds {entry}); choose another --index")]
    NotAnIndex {
        /// The index folder, as given.
        dir: String,
        /// One of the files that are not lete's.
        entry: String,
    },
    /// Another `lete index` holds the writer lock.
    #[error("another lete index is running on {0}; wait for it and retry")]
    Locked(String),
    /// Another `lete index` held the writer lock for longer than this run waits.
    #[error(
        "another lete index has been updating {path} for {seconds} s; wait for it to finish \
         and retry"
    )]
    LockTimeout {
        /// The index folder.
        path: String,
        /// How long this run waited.
        seconds: u64,
    },
    /// The index folder cannot be written.
    #[error("the index folder {0} is read-only; it cannot be built or updated here")]
    ReadOnly(String),
    /// No space is left where the index is written. Issue 18: Tantivy's own message ("An index writer was killed … (io::Error most
    /// likely)") named neither the disk nor a way out, and advised a rebuild, which failed
    /// the same way.
    #[error(
        "no space is left on the device of the index folder {0}; free some space or choose \
         another --index, then run lete index"
    )]
    DiskFull(String),
    /// Reading the index failed or panicked: its files are damaged.
    #[error("the index at {path} is damaged ({detail}); run `lete index --rebuild`")]
    Damaged {
        /// The index folder.
        path: String,
        /// What Tantivy said, on one short line.
        detail: String,
    },
    /// There is no index in the folder.
    #[error("no index at {0}; run lete index")]
    Missing(String),
    /// The index was written by another schema version, or has no usable manifest.
    #[error("the index at {path} is out of date ({reason}); run lete index --rebuild")]
    Outdated {
        /// The index folder.
        path: String,
        /// What is out of date (the schema version, the manifest).
        reason: String,
    },
    /// Tantivy failed otherwise.
    #[error("index error in {path}: {error}; if it persists, run `lete index --rebuild`")]
    Tantivy {
        /// The index folder.
        path: String,
        /// Tantivy's error.
        error: TantivyError,
    },
    /// Writing a file of the index failed.
    #[error("cannot write {path}: {error}")]
    Io {
        /// The file or folder.
        path: String,
        /// The system's error.
        error: io::Error,
    },
}

impl IndexError {
    pub(crate) fn io(path: &Path, error: io::Error) -> IndexError {
        IndexError::Io {
            path: path.display().to_string(),
            error,
        }
    }
}

/// Whether `err`, met while writing the index, says the disk is full: an io error of no
/// space or quota, or, for a Tantivy error that does not carry its cause (a writer thread's
/// failure), the file system of `index_dir` with almost nothing left.
pub(crate) fn is_disk_full(index_dir: &Path, err: &IndexError) -> bool {
    let io_full = |io: &io::Error| {
        matches!(
            io.kind(),
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
        )
    };
    // Tantivy does not always keep the io error's kind (some are rewrapped as text): the
    // free space decides then.
    match err {
        IndexError::DiskFull(_) => true,
        IndexError::Io { error, .. } => io_full(error) || nearly_full(index_dir),
        IndexError::Tantivy { error, .. } => {
            matches!(error, TantivyError::IoError(io) if io_full(io)) || nearly_full(index_dir)
        }
        _ => false,
    }
}

/// Less than this free for the user on the index's file system, after a failed write, is a
/// full disk (the write that failed needed more).
const NEARLY_FULL_BYTES: u64 = 1024 * 1024;

#[cfg(unix)]
fn nearly_full(index_dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(index_dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `statvfs` only writes the struct it is given; `path` is a valid C string.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return false;
    }
    // The fields' widths differ between platforms (u32 on some 32-bit ones).
    #[allow(clippy::useless_conversion)]
    let free = u64::from(stats.f_bavail).saturating_mul(u64::from(stats.f_frsize));
    free < NEARLY_FULL_BYTES
}

#[cfg(not(unix))]
fn nearly_full(_index_dir: &Path) -> bool {
    false
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

/// What to do about a corpus folder that is not there: a `~` the shell left as it is (after
/// `--corpus=` or in quotes) is named, and the current folder is offered by its name `.`
/// (both found in the new-user trial of stop 25: a user in their own folder of documents was
/// told only that `corpus` was missing).
fn corpus_hint(corpus: &str) -> String {
    if corpus == "~" || corpus.starts_with("~/") {
        return "the shell expands ~ only at the start of a word, not after --corpus= or in \
                quotes: write --corpus ~/… or $HOME/…"
            .to_string();
    }
    "pass --corpus DIR (--corpus . for the current folder) or set LETE_CORPUS".to_string()
}
