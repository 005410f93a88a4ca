//! The comparison of the corpus with the manifest: which listed files are new, changed,
//! unchanged or gone since the last update.

use super::manifest::{sha256_hex, SourceEntry};
use crate::ingest::discover::CorpusFile;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A corpus file to (re-)index, with the hash of its bytes where the comparison with the
/// manifest already needed it (otherwise it is hashed when read for indexing, once).
#[derive(Debug, Clone)]
pub struct Pending {
    pub file: CorpusFile,
    pub sha256: Option<String>,
}

/// The difference between the corpus and the manifest.
#[derive(Debug, Default)]
pub struct Changes {
    /// Entries still valid; their mtime is refreshed where only the mtime moved.
    pub unchanged: Vec<SourceEntry>,
    pub added: Vec<Pending>,
    pub changed: Vec<Pending>,
    /// Source paths indexed before and no longer in the corpus.
    pub removed: Vec<String>,
}

impl Changes {
    /// Whether the index content must change.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares the corpus with the manifest: size and mtime first, the content hash only where
/// they differ, so an untouched corpus is not read at all.
pub fn diff(files: Vec<CorpusFile>, previous: &[SourceEntry]) -> Changes {
    let mut known: BTreeMap<&str, &SourceEntry> = previous
        .iter()
        .map(|entry| (entry.path.as_str(), entry))
        .collect();
    let mut changes = Changes::default();
    for file in files {
        match known.remove(file.source.as_str()) {
            None => changes.added.push(Pending { file, sha256: None }),
            Some(entry) if entry.size == file.size && entry.mtime_ns == file.mtime_ns => {
                changes.unchanged.push(entry.clone());
            }
            // Another size is another content: no need to read it here.
            Some(entry) if entry.size != file.size => {
                changes.changed.push(Pending { file, sha256: None });
            }
            Some(entry) => {
                let sha256 = hash_file(&file.path);
                if sha256 == entry.sha256 {
                    let mut entry = entry.clone();
                    entry.mtime_ns = file.mtime_ns;
                    changes.unchanged.push(entry);
                } else {
                    let sha256 = Some(sha256);
                    changes.changed.push(Pending { file, sha256 });
                }
            }
        }
    }
    changes.removed = known.into_keys().map(str::to_string).collect();
    changes
}

/// A file that cannot be read gets an empty hash: indexing reports why it cannot be read.
fn hash_file(path: &Path) -> String {
    fs::read(path)
        .map(|bytes| sha256_hex(&bytes))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::discover::{list_corpus, CorpusListing, FileSelection};
    use crate::lang::Lang;

    fn list(dir: &Path) -> CorpusListing {
        list_corpus(dir, &FileSelection::default()).unwrap()
    }

    fn entry_for(file: &CorpusFile, bytes: &[u8]) -> SourceEntry {
        SourceEntry {
            path: file.source.clone(),
            size: file.size,
            mtime_ns: file.mtime_ns,
            sha256: sha256_hex(bytes),
            lang: Some(Lang::Nb),
            sections: 1,
            passages: 1,
            skipped: None,
        }
    }

    #[test]
    fn a_touched_file_with_the_same_bytes_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        let files = list(dir.path()).files;
        let mut entry = entry_for(&files[0], b"Velferd");
        entry.mtime_ns += 1;
        let changes = diff(files, &[entry]);
        assert!(changes.is_empty());
        assert_eq!(changes.unchanged.len(), 1);
    }

    #[test]
    fn added_changed_and_removed_are_found() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        fs::write(dir.path().join("002_b.txt"), "Velfærd").unwrap();
        let files = list(dir.path()).files;
        let mut changed = entry_for(&files[0], b"Velferd i kommunen");
        changed.size += 1;
        let mut gone = changed.clone();
        gone.path = "corpus/003_c.txt".to_string();
        let changes = diff(files, &[changed, gone]);
        assert_eq!(changes.changed.len(), 1);
        assert_eq!(changes.added.len(), 1);
        assert_eq!(changes.removed, vec!["corpus/003_c.txt".to_string()]);
    }
}
