//! What the server answers from: the index as last committed with the manifest that describes
//! it (a snapshot, swapped whole when a background update commits), and how following the
//! corpus stands.

use super::cache::ResultCache;
use crate::index::manifest::{Manifest, SourceEntry};
use crate::index::{index_stats_leaving_out, IndexStats, LeteIndex};
use crate::ingest::{source_path, ShownSources};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

/// One committed index and its manifest. A request holds the snapshot it started with to its
/// end, so an update that commits meanwhile never changes an answer halfway.
pub(crate) struct Snapshot {
    pub(crate) index: LeteIndex,
    pub(crate) manifest: Manifest,
    /// The canonical path of the corpus folder the index was updated from: a document served
    /// must lie inside it. It moves when the corpus path is a symbolic link that is retargeted.
    pub(crate) corpus_root: PathBuf,
    /// The indexed sources whose real path lies outside the corpus folder (a symbolic link
    /// out, which `lete index` follows), or that cannot be resolved: never shown, not even as
    /// a search hit (issue 20). Sorted; empty in a corpus without links out.
    pub(crate) outside: Vec<String>,
    /// The corpus is one file (`corpus_root` is that file): its one source is that file,
    /// whatever the source's name.
    single_file: bool,
    /// `lete stats`' figures, read once per snapshot: they walk every stored passage.
    stats: OnceLock<Result<IndexStats, String>>,
    /// Which index this is of those served since the server started, counted from 0: what
    /// the answers cached from it are kept by.
    pub(crate) generation: u64,
}

impl Snapshot {
    /// The snapshot of `index` and `manifest`, for the corpus whose canonical path is
    /// `corpus_root`.
    pub(crate) fn new(index: LeteIndex, manifest: Manifest, corpus_root: &Path) -> Snapshot {
        let mut snapshot = Snapshot {
            index,
            manifest,
            corpus_root: corpus_root.to_path_buf(),
            outside: Vec::new(),
            single_file: corpus_root.is_file(),
            stats: OnceLock::new(),
            generation: 0,
        };
        snapshot.outside = snapshot.sources_outside();
        snapshot
    }

    /// Where the file at `inside` (a path inside the corpus, from
    /// [`crate::ingest::source_path`]) is now: below the folder the snapshot was made from,
    /// not through the corpus path, so that a corpus link retargeted meanwhile does not show
    /// another folder's file for this index's passage.
    pub(crate) fn where_now(&self, inside: &Path) -> WhereNow {
        // A one-file corpus is its file (it was served as 0 documents: the file's name was
        // looked for below the file, session 25).
        let file = if self.single_file {
            self.corpus_root.clone()
        } else {
            self.corpus_root.join(inside)
        };
        match std::fs::canonicalize(file) {
            Ok(real) if real.starts_with(&self.corpus_root) => WhereNow::Inside(real),
            Ok(_) => WhereNow::Outside,
            Err(_) => WhereNow::Gone,
        }
    }

    /// The one source of a one-file corpus.
    pub(crate) fn single_source(&self) -> Option<&SourceEntry> {
        match self.manifest.sources.as_slice() {
            [only] if self.single_file => Some(only),
            _ => None,
        }
    }

    /// The indexed sources whose real path is not inside the corpus: a link out of the
    /// corpus, or a file that is gone (its passages are left out until the update that
    /// follows removes them, rather than shown unchecked). A source's text is read back to
    /// its path (issue 20: a name that is not UTF-8 or holds a newline, escaped in its text,
    /// was looked for as that text, not found, and left out of every answer).
    fn sources_outside(&self) -> Vec<String> {
        let indexed = self
            .manifest
            .sources
            .iter()
            .filter(|entry| entry.lang.is_some());
        let outside = |entry: &&SourceEntry| {
            source_path(&entry.path)
                .is_none_or(|inside| !matches!(self.where_now(&inside), WhereNow::Inside(_)))
        };
        indexed
            .filter(outside)
            .map(|entry| entry.path.clone())
            .collect()
    }

    /// The manifest's entry of `source`, if the index was given that file.
    pub(crate) fn source_entry(&self, source: &str) -> Option<&SourceEntry> {
        let sources = &self.manifest.sources;
        sources
            .binary_search_by(|entry| entry.path.as_str().cmp(source))
            .ok()
            .map(|found| &sources[found])
    }

    /// Documents in the index that may be shown (skipped files and files outside the corpus
    /// not counted).
    pub(crate) fn documents(&self) -> usize {
        let indexed = |entry: &&SourceEntry| entry.lang.is_some();
        let documents = self.manifest.sources.iter().filter(indexed).count();
        // `outside` holds indexed sources only.
        documents.saturating_sub(self.outside.len())
    }

    /// What `lete stats` reports of this index, counting only what may be shown (as search's
    /// `total` does); the message of the damaged-index error when it cannot be read.
    pub(crate) fn stats(&self) -> Result<&IndexStats, String> {
        let read = || {
            let index = &self.index;
            let outside = &self.outside;
            match index.guard(|| index_stats_leaving_out(index, &self.manifest, outside)) {
                Ok(Ok(stats)) => Ok(stats),
                Ok(Err(err)) | Err(err) => Err(err.to_string()),
            }
        };
        self.stats.get_or_init(read).as_ref().map_err(Clone::clone)
    }
}

/// Where a source's file is now.
pub(crate) enum WhereNow {
    /// Inside the corpus, at this canonical path.
    Inside(PathBuf),
    /// Gone, or cannot be resolved.
    Gone,
    /// A symbolic link out of the corpus.
    Outside,
}

/// The served index and the folders it stands for, shared by the request handlers and the
/// thread that follows the corpus.
pub(crate) struct Served {
    current: RwLock<Arc<Snapshot>>,
    /// The corpus folder as given (`--corpus`): sources are paths under it. Its canonical
    /// path is the snapshot's.
    pub(crate) corpus: PathBuf,
    /// How hits show sources of `corpus`.
    pub(crate) shown: ShownSources,
    pub(crate) index_dir: PathBuf,
    pub(crate) following: Following,
    /// Search answers of the served index.
    pub(crate) cache: ResultCache,
}

impl Served {
    /// Serves `index` with its `manifest`; `corpus` must exist (the index was opened for it).
    pub(crate) fn new(
        index: LeteIndex,
        manifest: Manifest,
        corpus: &Path,
        index_dir: &Path,
    ) -> std::io::Result<Served> {
        let corpus_root = std::fs::canonicalize(corpus)?;
        let snapshot = Snapshot::new(index, manifest, &corpus_root);
        Ok(Served {
            current: RwLock::new(Arc::new(snapshot)),
            corpus: corpus.to_path_buf(),
            shown: ShownSources::new(corpus),
            index_dir: index_dir.to_path_buf(),
            following: Following::default(),
            cache: ResultCache::new(0),
        })
    }

    /// The same, keeping search answers of up to `bytes` bytes in all (0: none).
    pub(crate) fn with_cache(mut self, bytes: usize) -> Served {
        self.cache = ResultCache::new(bytes);
        self
    }

    /// The snapshot searches answer from now.
    pub(crate) fn current(&self) -> Arc<Snapshot> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&current)
    }

    /// Answers from `snapshot` from now on; requests under way finish on the one they hold.
    /// The cached answers are dropped: none of them is ever given for the new index.
    pub(crate) fn replace(&self, mut snapshot: Snapshot) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        snapshot.generation = current.generation + 1;
        self.cache.swapped_to(snapshot.generation);
        *current = Arc::new(snapshot);
    }
}

/// How following the corpus stands: changes seen, changes applied, the update running and
/// the last failure.
#[derive(Debug, Default)]
pub(crate) struct Following {
    /// Changes seen in the corpus (or the index folder), counted as they arrive.
    seen: AtomicU64,
    /// The count of `seen` when the last successful update started: every change up to it is
    /// in the index.
    applied: AtomicU64,
    updating: AtomicBool,
    last_error: Mutex<Option<String>>,
}

impl Following {
    /// A change was seen; an update is due.
    pub(crate) fn saw_change(&self) {
        self.seen.fetch_add(1, Ordering::SeqCst);
    }

    /// An update starts; returns the changes it covers, for [`Following::finished`].
    pub(crate) fn starting(&self) -> u64 {
        self.updating.store(true, Ordering::SeqCst);
        self.seen.load(Ordering::SeqCst)
    }

    /// The update that started at `covers` ended, with the error's message if it failed.
    pub(crate) fn finished(&self, covers: u64, error: Option<String>) {
        if error.is_none() {
            self.applied.fetch_max(covers, Ordering::SeqCst);
        }
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = error;
        self.updating.store(false, Ordering::SeqCst);
    }

    pub(crate) fn is_updating(&self) -> bool {
        self.updating.load(Ordering::SeqCst)
    }

    /// Whether every change seen is in the index, and the last update did not fail.
    pub(crate) fn is_up_to_date(&self) -> bool {
        let caught_up = self.applied.load(Ordering::SeqCst) >= self.seen.load(Ordering::SeqCst);
        caught_up && self.last_error().is_none()
    }

    pub(crate) fn last_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_is_behind_from_a_change_until_an_update_that_covers_it() {
        let following = Following::default();
        assert!(following.is_up_to_date());
        following.saw_change();
        assert!(!following.is_up_to_date());
        let covers = following.starting();
        assert!(following.is_updating());
        // A change seen while the update runs is not covered by it.
        following.saw_change();
        following.finished(covers, None);
        assert!(!following.is_updating());
        assert!(!following.is_up_to_date());
        let covers = following.starting();
        following.finished(covers, Some("disk full".to_string()));
        assert!(
            !following.is_up_to_date(),
            "a failed update leaves it behind"
        );
        assert_eq!(following.last_error().as_deref(), Some("disk full"));
        let covers = following.starting();
        following.finished(covers, None);
        assert!(following.is_up_to_date());
    }
}
