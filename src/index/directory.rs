//! The directory searches read the index through: Tantivy's memory-mapped directory, with the
//! reader's lock skipped where the folder cannot be written, and `meta.json` read once while
//! the index is opened.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tantivy::directory::error::{LockError, OpenDirectoryError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    META_LOCK,
};

/// Tantivy's list of the committed segments.
const META_FILE: &str = "meta.json";

/// The directory searches read through. Readers take Tantivy's meta lock while they open
/// segment files, so that a running `lete index` cannot delete them under their feet; in a
/// folder the user cannot write (a read-only index, issue 6) no writer can run either, so
/// the lock is skipped instead of failing the search.
///
/// Opening an index reads `meta.json`, and making its reader reads it again. Under a
/// [`MetaHold`] both are served by one read (issue 14: one open per command): the hold takes
/// the meta lock the reader would take, so no writer deletes the segments that copy names
/// before the reader has opened them.
#[derive(Debug, Clone)]
pub(crate) struct SearchDirectory {
    inner: MmapDirectory,
    pin: Arc<Mutex<MetaPin>>,
}

/// `meta.json` as first read under a [`MetaHold`], and whether one is held.
#[derive(Debug, Default)]
struct MetaPin {
    held: bool,
    meta: Option<Vec<u8>>,
}

/// Tantivy's meta lock, held by the one opening the index, with the `meta.json` it read.
/// Dropping it releases both.
pub(crate) struct MetaHold {
    _lock: DirectoryLock,
    pin: Arc<Mutex<MetaPin>>,
}

impl Drop for MetaHold {
    fn drop(&mut self) {
        *lock_pin(&self.pin) = MetaPin::default();
    }
}

/// The pin, also after a panic elsewhere held it (it holds no invariant a panic can break).
fn lock_pin(pin: &Mutex<MetaPin>) -> MutexGuard<'_, MetaPin> {
    pin.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SearchDirectory {
    pub(crate) fn open(index_dir: &Path) -> Result<SearchDirectory, OpenDirectoryError> {
        Ok(SearchDirectory {
            inner: MmapDirectory::open(index_dir)?,
            pin: Arc::default(),
        })
    }

    /// Takes Tantivy's meta lock until the hold is dropped; meanwhile `meta.json` is read
    /// from disk once, and the meta lock a reader takes is this one.
    pub(crate) fn hold_meta(&self) -> Result<MetaHold, LockError> {
        let lock = self.acquire_lock(&META_LOCK)?;
        lock_pin(&self.pin).held = true;
        Ok(MetaHold {
            _lock: lock,
            pin: Arc::clone(&self.pin),
        })
    }
}

impl Directory for SearchDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> Result<Arc<dyn FileHandle>, tantivy::directory::error::OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), tantivy::directory::error::DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        if path != Path::new(META_FILE) {
            return self.inner.atomic_read(path);
        }
        let mut pin = lock_pin(&self.pin);
        if !pin.held {
            return self.inner.atomic_read(path);
        }
        if let Some(meta) = &pin.meta {
            return Ok(meta.clone());
        }
        let meta = self.inner.atomic_read(path)?;
        pin.meta = Some(meta.clone());
        Ok(meta)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath == META_LOCK.filepath && lock_pin(&self.pin).held {
            // The hold has it: taking the same file lock again would wait for ourselves.
            return Ok(DirectoryLock::from(Box::new(())));
        }
        match self.inner.acquire_lock(lock) {
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
