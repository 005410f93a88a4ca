//! The one way to get an index to read: [`open_fresh`] opens it, building a missing index and
//! updating a stale one first when asked, so that a command opens the index and reads its
//! manifest once (issue 14), and results are never served from an index that no longer
//! matches the corpus.

use super::changes::{diff, DiffReads, DiffRules};
use super::integrity::{lost_part, LexiconFound};
use super::load::{pipeline_loader, SourceLoader};
use super::manifest::{
    read_manifest, unix_nanos_now, write_manifest, Manifest, ManifestStamp, ManifestState,
    SourceEntry,
};
use super::open::{has_tantivy_index, open_reading, Opening};
use super::progress::{IndexObserver, Unobserved};
use super::remembered::{ensure_same_corpus, selection_for};
use super::report::IndexReport;
use super::schema::build_schema;
use super::writer::{check_folders, manifest_problem, update, Checked, IndexOptions};
use super::{acquire_writer_lock, IndexError, LeteIndex};
use crate::ingest::{list_corpus_for_index, FileSelection, ShownSources};
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// Why an index whose schema differs from this lete's is rebuilt.
pub(crate) const ANOTHER_SCHEMA: &str = "the index has another schema than this lete writes";

/// Whether [`open_fresh`] may write the index before opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Build a missing index and update a stale one; an index that answers for the corpus is
    /// opened as it is, without the writer lock (search, eval, export).
    IfStale,
    /// Update whatever changed, or rebuild when [`IndexOptions::rebuild`] asks (`lete index`,
    /// the bench's builds).
    Always,
    /// Never write: open the index as it is and say whether it answers for the corpus
    /// (`lete stats`).
    Never,
    /// Neither compare nor write: open the index as it is, its freshness
    /// [`Freshness::Unknown`] (`--refresh never`, for scripts that search in a loop; a missing
    /// index is an error).
    Unchecked,
}

/// How [`open_fresh`] opens the index, and how it updates it when it does.
pub struct OpenOptions<'a> {
    /// Whether the index is built or updated before it is opened.
    pub refresh: Refresh,
    /// Which files are documents, and how an update runs.
    pub update: IndexOptions,
    /// Reads each new or changed file into a document (the pipeline's by default).
    pub loader: SourceLoader<'a>,
    /// Told how an update goes (for a progress bar), and when the index is found stale.
    pub observer: &'a dyn IndexObserver,
}

impl Default for OpenOptions<'_> {
    /// Refresh when stale, every document file, the pipeline's loader, nobody told.
    fn default() -> Self {
        OpenOptions {
            refresh: Refresh::IfStale,
            update: IndexOptions::default(),
            loader: &pipeline_loader,
            observer: &Unobserved,
        }
    }
}

impl OpenOptions<'_> {
    /// A full build from scratch, as `lete index --rebuild` and the bench run it.
    pub fn rebuild() -> Self {
        OpenOptions {
            refresh: Refresh::Always,
            update: IndexOptions {
                rebuild: true,
                ..IndexOptions::default()
            },
            ..OpenOptions::default()
        }
    }
}

/// An open index, the manifest that describes it, and what opening it took.
pub struct FreshIndex {
    /// The open index.
    pub index: LeteIndex,
    /// What the index holds, source by source.
    pub manifest: Manifest,
    /// How the index stands to the corpus, and the update that ran if one did.
    pub freshness: Freshness,
}

impl FreshIndex {
    /// The report of the build or update that ran first, if one did.
    pub fn report(&self) -> Option<&IndexReport> {
        match &self.freshness {
            Freshness::Updated(report) => Some(report),
            _ => None,
        }
    }
}

/// How the opened index stands to the corpus.
#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// It answered for the corpus as it is: nothing was written.
    Current,
    /// It was built or updated first; the run's report.
    Updated(IndexReport),
    /// It does not answer for the corpus as it is and was left so: by [`Refresh::Never`], or
    /// because lete cannot write its folder or its disk is full (`read_only`: it answers as
    /// it was last built).
    Stale {
        /// What the corpus has that the index lacks.
        staleness: Staleness,
        /// The index folder cannot be written, so it was not updated.
        read_only: bool,
    },
    /// It was not compared with the corpus: [`Refresh::Unchecked`], or [`Refresh::Never`]
    /// could not (no corpus folder, say).
    Unknown,
}

/// Whether the index answers for the corpus as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    Fresh,
    /// No index yet.
    Missing,
    /// The index must be built from scratch; the reason.
    Rebuild(String),
    /// Corpus files were added, changed or removed since the last update.
    Changed {
        added: usize,
        changed: usize,
        removed: usize,
    },
}

impl fmt::Display for Staleness {
    /// The message `lete search` prints before it refreshes the index.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Staleness::Fresh => write!(f, "the index is up to date"),
            Staleness::Missing => write!(f, "no index yet; building it from the corpus"),
            Staleness::Rebuild(reason) => write!(f, "{reason}; rebuilding the index"),
            Staleness::Changed {
                added,
                changed,
                removed,
            } => write!(
                f,
                "the corpus changed ({added} added, {changed} changed, {removed} removed); \
                 updating the index"
            ),
        }
    }
}

/// Opens the index in `index_dir` for searching the selected files of `corpus`, first
/// bringing it up to date as `options.refresh` allows.
pub fn open_fresh(
    corpus: &Path,
    index_dir: &Path,
    options: &OpenOptions<'_>,
) -> Result<FreshIndex, IndexError> {
    let opened = match options.refresh {
        Refresh::Always => {
            update(corpus, index_dir, options, None).map(|updated| updated.into_fresh())
        }
        Refresh::IfStale => open_refreshed(corpus, index_dir, options),
        Refresh::Never => open_as_it_is(corpus, index_dir, &options.update),
        Refresh::Unchecked => open_unchecked(corpus, index_dir),
    };
    let mut fresh = opened.map_err(|err| match err {
        // No index and no corpus (`lete stats` or `--refresh never` where there is no
        // `corpus/`): "run lete index" would only fail in turn; the corpus is what is missing.
        IndexError::Missing(_) if !corpus.exists() => {
            IndexError::CorpusMissing(corpus.display().to_string())
        }
        other => other,
    })?;
    fresh.index.shown = ShownSources::new(corpus);
    Ok(fresh)
}

/// [`Refresh::IfStale`]: the check, then an update only if it found the index stale.
fn open_refreshed(
    corpus: &Path,
    index_dir: &Path,
    options: &OpenOptions<'_>,
) -> Result<FreshIndex, IndexError> {
    let (staleness, checked) = match check(corpus, index_dir, &options.update)? {
        Check::Fresh(index, manifest) => {
            return Ok(FreshIndex {
                index,
                manifest,
                freshness: Freshness::Current,
            })
        }
        Check::Stale(staleness, checked) => (staleness, checked),
    };
    options.observer.refreshing(&staleness);
    match update(corpus, index_dir, options, checked) {
        Ok(updated) => Ok(updated.into_fresh()),
        // An index the user cannot write, or that a full disk keeps from growing (issue 18),
        // still answers from its last commit, saying it is not current.
        Err(why @ (IndexError::ReadOnly(_) | IndexError::DiskFull(_)))
            if staleness != Staleness::Missing =>
        {
            options.observer.answering_stale(&why);
            let (index, manifest) = open_reading(index_dir)?;
            Ok(FreshIndex {
                index,
                manifest,
                freshness: Freshness::Stale {
                    staleness,
                    read_only: true,
                },
            })
        }
        Err(err) => Err(err),
    }
}

/// What the check before a search found.
enum Check {
    /// The index answers for the corpus: opened for searching, with its manifest.
    Fresh(LeteIndex, Manifest),
    /// It must be built or updated first; for an update, what the check learned.
    Stale(Staleness, Option<Checked>),
}

/// Compares the index with the corpus, reading the manifest and opening the index once:
/// when they match, that open is the one searched. An index of another corpus is an error;
/// the selection is the one given, else the one the index remembers (issue 19).
fn check(corpus: &Path, index_dir: &Path, update: &IndexOptions) -> Result<Check, IndexError> {
    check_folders(corpus, index_dir)?;
    let exists = has_tantivy_index(index_dir);
    // Taken before the read, so that a manifest written in between is seen as another.
    let stamp = ManifestStamp::of(index_dir);
    let state = match exists {
        true => read_manifest(index_dir),
        false => ManifestState::Missing,
    };
    let previous = match &state {
        ManifestState::Current(manifest) => Some(manifest),
        _ => None,
    };
    if let Some(manifest) = previous {
        ensure_same_corpus(manifest, corpus, index_dir)?;
    }
    let selection = selection_for(&update.selection, previous)?;
    let listed_at_ns = unix_nanos_now();
    // An empty corpus is an error before anything is built.
    let listing = list_corpus_for_index(corpus, &selection, index_dir)?;
    if !exists {
        return Ok(Check::Stale(Staleness::Missing, None));
    }
    let rebuild = |reason: String| Ok(Check::Stale(Staleness::Rebuild(reason), None));
    let manifest = match state {
        ManifestState::Current(manifest) => manifest,
        other => return rebuild(manifest_problem(&other)),
    };
    // Before the index is opened: the meta lock is held from the open until the reader is
    // made, and hashing touched files can take a while.
    let rules = DiffRules {
        hash_all: update.verify_content,
        ..DiffRules::keep(manifest.listed_at_ns)
    };
    let changes = diff(listing.files, &manifest.sources, rules);
    let opening = match Opening::start(index_dir) {
        Ok(opening) if opening.has_current_schema() => opening,
        Ok(_) => return rebuild(ANOTHER_SCHEMA.to_string()),
        Err(err) => return rebuild(format!("the index cannot be opened ({err})")),
    };
    let lexicon = LexiconFound::Searched(opening.lexicon_stamp());
    let nothing_changed = changes.is_empty();
    if let Some(reason) = lost_part(
        index_dir,
        opening.index(),
        &manifest,
        lexicon,
        nothing_changed,
    ) {
        return rebuild(reason);
    }
    if changes.is_empty() {
        let index = opening.finish(index_dir)?;
        let manifest = match changes.worth_remembering {
            true => remember(index_dir, manifest, changes.unchanged, stamp, listed_at_ns),
            false => manifest,
        };
        return Ok(Check::Fresh(index, manifest));
    }
    let staleness = Staleness::Changed {
        added: changes.added.len(),
        changed: changes.changed.len(),
        removed: changes.removed.len(),
    };
    let checked = Checked {
        warnings: listing.warnings,
        selection,
        manifest,
        stamp,
        listed_at_ns,
        index: opening.into_index(),
        changes,
    };
    Ok(Check::Stale(staleness, Some(checked)))
}

/// The manifest with what a check that found the index current learned: files whose mtime
/// moved with their bytes unchanged, or whose mtime was too close to their listing to prove
/// anything, hashed now and found unchanged. Written so that the next search need not hash
/// them again (issue 16: a touched file was hashed on every search). Best effort, and
/// silent: not written when another run holds the writer lock or has written the manifest
/// since it was read, or when the index folder is read-only.
fn remember(
    index_dir: &Path,
    manifest: Manifest,
    unchanged: Vec<SourceEntry>,
    stamp: Option<ManifestStamp>,
    listed_at_ns: u64,
) -> Manifest {
    let Ok(_lock) = acquire_writer_lock(index_dir, Duration::ZERO, None) else {
        return manifest;
    };
    if stamp.is_none() || ManifestStamp::of(index_dir) != stamp {
        return manifest;
    }
    let remembered = Manifest {
        sources: unchanged,
        listed_at_ns,
        ..manifest.clone()
    };
    match write_manifest(index_dir, &remembered) {
        Ok(()) => remembered,
        Err(_) => manifest,
    }
}

/// [`Refresh::Unchecked`]: the index as it is, not compared with the corpus (only that it
/// is this corpus's index: one `canonicalize`, not a walk).
fn open_unchecked(corpus: &Path, index_dir: &Path) -> Result<FreshIndex, IndexError> {
    let (index, manifest) = open_reading(index_dir)?;
    ensure_same_corpus(&manifest, corpus, index_dir)?;
    Ok(FreshIndex {
        index,
        manifest,
        freshness: Freshness::Unknown,
    })
}

/// [`Refresh::Never`]: the index as it is (a missing or outdated one is an error), and
/// whether it answers for the corpus.
fn open_as_it_is(
    corpus: &Path,
    index_dir: &Path,
    update: &IndexOptions,
) -> Result<FreshIndex, IndexError> {
    let (index, manifest) = open_reading(index_dir)?;
    ensure_same_corpus(&manifest, corpus, index_dir)?;
    let selection = selection_for(&update.selection, Some(&manifest))?;
    let freshness = match compare(corpus, index_dir, &index, &manifest, &selection, update) {
        Ok(Staleness::Fresh) => Freshness::Current,
        Ok(staleness) => Freshness::Stale {
            staleness,
            read_only: false,
        },
        Err(_) => Freshness::Unknown,
    };
    Ok(FreshIndex {
        index,
        manifest,
        freshness,
    })
}

/// Whether the open `index`, described by `manifest`, answers for `corpus` as it is now.
fn compare(
    corpus: &Path,
    index_dir: &Path,
    index: &LeteIndex,
    manifest: &Manifest,
    selection: &FileSelection,
    update: &IndexOptions,
) -> Result<Staleness, IndexError> {
    check_folders(corpus, index_dir)?;
    let files = list_corpus_for_index(corpus, selection, index_dir)?.files;
    if index.index.schema() != build_schema() {
        return Ok(Staleness::Rebuild(ANOTHER_SCHEMA.to_string()));
    }
    let rules = DiffRules {
        reads: DiffReads::Drop,
        hash_all: update.verify_content,
        listed_at_ns: manifest.listed_at_ns,
    };
    let changes = diff(files, &manifest.sources, rules);
    let lexicon = LexiconFound::Searched(index.lexicon_stamp());
    if let Some(reason) = lost_part(
        index_dir,
        &index.index,
        manifest,
        lexicon,
        changes.is_empty(),
    ) {
        return Ok(Staleness::Rebuild(reason));
    }
    if changes.is_empty() {
        return Ok(Staleness::Fresh);
    }
    Ok(Staleness::Changed {
        added: changes.added.len(),
        changed: changes.changed.len(),
        removed: changes.removed.len(),
    })
}
