//! The corpus side of an update: which `*.txt` files exist, and how they differ from what the
//! manifest says was indexed.

use super::manifest::{mtime_ns, sha256_hex, SourceEntry};
use super::IndexError;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A source file found in the corpus folder.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub path: PathBuf,
    /// The corpus folder argument joined with the file name, as stored in the index.
    pub source: String,
    pub size: u64,
    pub mtime_ns: u64,
}

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

/// The `*.txt` files directly in `corpus`, sorted by name (not recursive).
pub fn list_corpus(corpus: &Path) -> Result<Vec<CorpusFile>, IndexError> {
    let unreadable = |err| IndexError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error: err,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(corpus).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        if !is_text_file_name(&path) {
            continue;
        }
        // Follows symlinks: a linked text file is part of the corpus like any other.
        let Ok(metadata) = fs::metadata(&path) else {
            continue;
        };
        if !metadata.is_file() {
            continue;
        }
        files.push(CorpusFile {
            source: path.to_string_lossy().into_owned(),
            size: metadata.len(),
            mtime_ns: mtime_ns(&metadata),
            path,
        });
    }
    if files.is_empty() {
        return Err(IndexError::CorpusEmpty(corpus.display().to_string()));
    }
    files.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(files)
}

fn is_text_file_name(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("txt"))
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
    use crate::lang::Lang;

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
    fn lists_only_text_files_sorted_with_the_corpus_prefix() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("002_b.txt"), "Barnevern").unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        fs::write(dir.path().join("notes.md"), "ikke med").unwrap();
        fs::create_dir(dir.path().join("sub.txt")).unwrap();
        let files = list_corpus(dir.path()).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.source.clone()).collect();
        let prefix = dir.path().display().to_string();
        assert_eq!(
            names,
            vec![format!("{prefix}/001_a.txt"), format!("{prefix}/002_b.txt")]
        );
    }

    #[test]
    fn a_touched_file_with_the_same_bytes_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        let files = list_corpus(dir.path()).unwrap();
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
        let files = list_corpus(dir.path()).unwrap();
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
