//! lete's writer lock: one `lete index` (or refreshing search) writes an index at a time; the
//! next waits for it.

use super::directory::is_read_only_error;
use super::IndexError;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, DirectoryLock, Lock, MmapDirectory};

/// The lock that lets one `lete index` (or refreshing `lete search`) write at a time.
pub(crate) const LETE_WRITER_LOCK: &str = ".lete-writer.lock";
/// Pause between two attempts to take the writer lock.
const LOCK_POLL: Duration = Duration::from_millis(200);

/// Takes lete's writer lock on `index_dir`, waiting up to `wait` for another run to release
/// it (issue 6: the second of two runs waits instead of failing on Tantivy's lock), and
/// calling `on_wait` once if it has to wait.
pub(crate) fn acquire_writer_lock(
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
