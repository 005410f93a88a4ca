//! Clearing the index folder before a fresh build: only lete's and Tantivy's own files are
//! removed, and a folder holding anything else is refused.

use super::lexicon;
use super::lock::LETE_WRITER_LOCK;
use super::manifest::is_manifest_file;
use super::IndexError;
use std::fs;
use std::path::Path;
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};

/// Removes lete's and Tantivy's files from `index_dir` before a fresh build, holding the
/// writer lock so that a running `lete index` is not pulled from under it. Anything else in
/// the folder means it is not an index: nothing is deleted then.
pub(crate) fn clear_index_dir(index_dir: &Path) -> Result<(), IndexError> {
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

/// Deletes the segment files of `index_dir` that its last commit does not name: what a run
/// that failed (a full disk) or was killed wrote and never committed. Searches read committed
/// segments only, and the caller holds the writer lock, so nothing in use goes. Best effort:
/// a file that cannot be deleted stays.
pub(crate) fn remove_uncommitted_segments(index_dir: &Path) {
    let Ok(index) = tantivy::Index::open_in_dir(index_dir) else {
        return;
    };
    let Ok(committed) = index.searchable_segment_ids() else {
        return;
    };
    let committed: Vec<String> = committed.iter().map(|id| id.uuid_string()).collect();
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let uncommitted = segment_id(&name).is_some_and(|id| !committed.iter().any(|c| c == id));
        if uncommitted && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The segment id a Tantivy segment file (`<32 hex digits>.<ext>`) belongs to.
fn segment_id(name: &str) -> Option<&str> {
    let bytes = name.as_bytes();
    let is_segment_file =
        bytes.len() > 33 && bytes[32] == b'.' && bytes[..32].iter().all(u8::is_ascii_hexdigit);
    is_segment_file.then(|| &name[..32])
}

fn is_lock_file(name: &str) -> bool {
    name.starts_with(".tantivy-") || name == LETE_WRITER_LOCK
}

/// Tantivy's files (`meta.json`, `.managed.json`, `<segment uuid>.<ext>`, locks) and the
/// manifest.
fn is_index_file(entry: &fs::DirEntry) -> bool {
    let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
    let name = entry.file_name().to_string_lossy().into_owned();
    let segment_file = segment_id(&name).is_some();
    is_file
        && (name == "meta.json"
            || name == ".managed.json"
            || is_lock_file(&name)
            || is_manifest_file(&name)
            || lexicon::is_lexicon_file(&name)
            || segment_file)
}
