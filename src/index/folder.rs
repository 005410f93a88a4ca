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
