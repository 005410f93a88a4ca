//! The directory searches read the index through: Tantivy's memory-mapped directory, with the
//! reader's lock skipped where the folder cannot be written.

use std::io;
use std::path::Path;
use std::sync::Arc;
use tantivy::directory::error::LockError;
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
};

/// The directory searches read through. Readers take Tantivy's meta lock while they open
/// segment files, so that a running `lete index` cannot delete them under their feet; in a
/// folder the user cannot write (a read-only index, issue 6) no writer can run either, so
/// the lock is skipped instead of failing the search.
#[derive(Debug, Clone)]
pub(crate) struct SearchDirectory(pub(crate) MmapDirectory);

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
