//! Building and updating the index: decide between a rebuild and an incremental update,
//! write the changed passages in one commit, then the manifest.

use super::changes::{diff, Changes, DiffRules, Pending};
use super::error::is_disk_full;
use super::folder::remove_uncommitted_segments;
use super::fresh::{FreshIndex, Freshness, OpenOptions, ANOTHER_SCHEMA};
use super::integrity::{damage, lost_part, written_with, LexiconFound};
use super::lexicon::{
    learn_sample, read_lexicon, read_search_lexicon, write_lexicon_with_fst, LEXICON_FST_FILE,
};
use super::load::{add_files_in_parallel, SourceLoader};
use super::manifest::{
    read_manifest, unix_nanos_now, write_manifest, Manifest, ManifestStamp, ManifestState,
    SourceEntry,
};
use super::open::has_tantivy_index;
use super::progress::{IndexObserver, IndexPlan};
use super::remembered::{
    other_corpus, remember, remembers, selection_change, selection_for, split_listing_warnings,
    still_skipped,
};
use super::report::IndexReport;
use super::schema::{build_schema, Fields, SCHEMA_VERSION};
use super::settings::{create_configured_index, open_configured_writer, settle_segments};
use super::{
    acquire_writer_lock, clear_index_dir, is_read_only_error, tantivy_error, IndexError, LeteIndex,
};
use crate::analysis::{
    register_analyzers, register_index_analyzers, CompoundSplitter, LearnedSplits, Lexicon,
};
use crate::ingest::{
    grouped_warnings, list_corpus_for_index, DiscoverError, FileSelection, ShownSources,
};
use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tantivy::query::TermSetQuery;
use tantivy::schema::Term;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

/// How long a run waits for another run's writer lock before giving up.
pub(crate) const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(600);

/// How to update the index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Start over even when the index is current (`lete index --rebuild`; with
    /// [`Refresh::Always`](super::Refresh::Always)).
    pub rebuild: bool,
    /// Which files of the corpus folder are documents (`--include`, `--exclude`).
    pub selection: FileSelection,
    /// How long to wait for another run updating the same index.
    pub lock_wait: Duration,
    /// Called once when the run has to wait for another (the CLI says so on stderr).
    pub on_wait: Option<fn(&Path)>,
    /// Hash every file to compare it with the index, also those whose size and mtime match
    /// (`--refresh always`): for copies that keep mtimes, or clocks that cannot be trusted.
    pub verify_content: bool,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            rebuild: false,
            selection: FileSelection::default(),
            lock_wait: DEFAULT_LOCK_WAIT,
            on_wait: None,
            verify_content: false,
        }
    }
}

/// What the check before a search found, handed to the update it asks for, so that the update
/// need not list the corpus, read the manifest, compare and open the index again (issue 14).
/// It holds while no other run has written the manifest since.
pub(crate) struct Checked {
    /// The listing's warnings.
    pub(crate) warnings: Vec<String>,
    /// The selection the listing used: given, or the one the index remembers.
    pub(crate) selection: FileSelection,
    pub(crate) manifest: Manifest,
    /// The manifest file's stamp before it was read.
    pub(crate) stamp: Option<ManifestStamp>,
    /// When the corpus was listed, for the manifest written next.
    pub(crate) listed_at_ns: u64,
    /// The index, opened; its schema is this lete's.
    pub(crate) index: Index,
    pub(crate) changes: Changes,
}

/// What an update left: its report, the index ready to search, and the manifest written.
pub(crate) struct Updated {
    report: IndexReport,
    index: LeteIndex,
    manifest: Manifest,
}

impl Updated {
    pub(crate) fn into_fresh(self) -> FreshIndex {
        FreshIndex {
            index: self.index,
            manifest: self.manifest,
            freshness: Freshness::Updated(self.report),
        }
    }
}

/// Brings the index in `index_dir` up to date with the selected files of `corpus`, reading
/// each new or changed file with the options' loader and telling its observer the plan, each
/// file read and the commit. `checked` is what a check found before the writer lock.
pub(crate) fn update(
    corpus: &Path,
    index_dir: &Path,
    options: &OpenOptions<'_>,
    checked: Option<Checked>,
) -> Result<Updated, IndexError> {
    let update = &options.update;
    check_folders(corpus, index_dir)?;
    fs::create_dir_all(index_dir).map_err(|err| match err {
        err if is_read_only_error(&err) => IndexError::ReadOnly(index_dir.display().to_string()),
        err => IndexError::io(index_dir, err),
    })?;
    // Held to the end: everything below reads the index as the previous run left it.
    let waiting = Instant::now();
    let _lock = acquire_writer_lock(index_dir, update.lock_wait, update.on_wait)?;
    // The run's time is its work, not the wait for another run (session 26: a summary's
    // "in N s" counted the wait); the wait is said apart.
    let started = Instant::now();
    let lock_wait = started - waiting;
    // What a run that failed or was killed wrote and never committed only takes space.
    remove_uncommitted_segments(index_dir);
    let mut updated = update_locked(corpus, index_dir, options, checked, started)
        .map_err(|err| after_failed_update(index_dir, err))?;
    updated.report.lock_wait = lock_wait.as_secs_f64();
    Ok(updated)
}

/// A failed update leaves the last commit as it was, and no segment of its own to fill the
/// disk; a full disk is named as such (issue 18).
fn after_failed_update(index_dir: &Path, err: IndexError) -> IndexError {
    // Asked before the clean-up, which frees space.
    let disk_full = is_disk_full(index_dir, &err);
    remove_uncommitted_segments(index_dir);
    if disk_full {
        return IndexError::DiskFull(index_dir.display().to_string());
    }
    err
}

/// [`update`] under the writer lock.
fn update_locked(
    corpus: &Path,
    index_dir: &Path,
    options: &OpenOptions<'_>,
    checked: Option<Checked>,
    started: Instant,
) -> Result<Updated, IndexError> {
    let (update, observer) = (&options.update, options.observer);
    let Compared {
        listing_warnings,
        listed_at_ns,
        selection,
        mut prepared,
        changes,
    } = compare_locked(corpus, index_dir, update, checked)?;
    let warnings = split_listing_warnings(&listing_warnings, prepared.previous.as_ref());
    // Each file left out by the selection is a warning of its own, remembered so (a run names
    // only the files newly left out), and said in one line.
    let mut report = IndexReport {
        warnings: grouped_warnings(warnings.new),
        repeated_warnings: grouped_warnings(warnings.repeated),
        notes: selection_change(&selection, prepared.previous.as_ref())
            .into_iter()
            .collect(),
        files_added: changes.added.len(),
        files_changed: changes.changed.len(),
        files_removed: changes.removed.len(),
        files_unchanged: changes.unchanged.len(),
        rebuilt: prepared.rebuild_reason.clone(),
        ..IndexReport::default()
    };
    observer.start(&plan(&prepared, &changes));
    // A file skipped before and unchanged since is still not searchable: said again under
    // -v only, as `lete stats` lists it (issue 19).
    let shown = ShownSources::new(corpus);
    for entry in &changes.unchanged {
        if let Some(reason) = &entry.skipped {
            let warning = still_skipped(&shown, &entry.path, reason);
            report.repeated_warnings.push(warning);
            report.files_unchanged -= 1;
            report.files_skipped += 1;
        }
    }
    let rebuild = prepared.rebuild_reason.is_some();
    let content_changes = !changes.is_empty();
    let worth_remembering = changes.worth_remembering;
    let mut entries = changes.unchanged.clone();
    let sources = |pending: &[Pending]| -> HashSet<String> {
        pending
            .iter()
            .map(|item| item.file.source.clone())
            .collect()
    };
    let (added, changed) = (sources(&changes.added), sources(&changes.changed));
    if rebuild || content_changes {
        let written = write_changes(
            &prepared,
            index_dir,
            changes,
            options.loader,
            &mut report,
            observer,
        )?;
        let written_paths: HashSet<&str> = written.iter().map(|e| e.path.as_str()).collect();
        let vanished = added.iter().chain(&changed);
        let vanished = vanished.filter(|source| !written_paths.contains(source.as_str()));
        report.count_vanished(vanished, &added);
        report.count_skipped(&written, &added);
        entries.extend(written);
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    // Also rewritten when only mtimes moved, or files were hashed because their mtime proved
    // nothing, so that the next run need not hash those files, and when what it remembers of
    // the corpus changed.
    let remembered = prepared
        .previous
        .as_ref()
        .is_some_and(|previous| remembers(previous, corpus, &selection, &listing_warnings));
    let rewrite = rebuild
        || content_changes
        || worth_remembering
        || entries != prepared.previous_sources()
        || !remembered;
    let manifest = match prepared.previous.take() {
        Some(previous) if !rewrite => previous,
        _ => {
            let written_with = written_with(index_dir, &prepared.index)
                .map_err(|err| tantivy_error(index_dir, err))?;
            let mut manifest = Manifest {
                listed_at_ns,
                written_with: Some(Box::new(written_with)),
                ..Manifest::new(entries)
            };
            remember(&mut manifest, corpus, &selection, listing_warnings);
            write_new_manifest(index_dir, manifest)?
        }
    };
    add_totals(&mut report, &manifest.sources);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(Updated {
        report,
        index: prepared.into_search_index(index_dir),
        manifest,
    })
}

/// What an update compares under the writer lock.
struct Compared {
    listing_warnings: Vec<String>,
    /// When the listing started.
    listed_at_ns: u64,
    /// The selection listed: given, or the one the index remembers.
    selection: FileSelection,
    prepared: PreparedIndex,
    changes: Changes,
}

/// Under the writer lock: the listing's warnings and time, the index ready for writing and
/// how the corpus differs from it, from what the check before the lock found while no other
/// run has written the manifest since, else found again. The listing comes before the index
/// is touched, so that an empty corpus leaves it as it was.
fn compare_locked(
    corpus: &Path,
    index_dir: &Path,
    update: &IndexOptions,
    checked: Option<Checked>,
) -> Result<Compared, IndexError> {
    let still_holds = |checked: &Checked| {
        !update.rebuild && checked.stamp.is_some() && ManifestStamp::of(index_dir) == checked.stamp
    };
    if let Some(checked) = checked.filter(still_holds) {
        return prepare_checked(index_dir, checked);
    }
    let state = read_manifest(index_dir);
    // The selection of another corpus's index is not this corpus's.
    let previous = match &state {
        ManifestState::Current(manifest) if other_corpus(manifest, corpus).is_none() => {
            Some(manifest)
        }
        _ => None,
    };
    let selection = selection_for(&update.selection, previous)?;
    let listed_at_ns = unix_nanos_now();
    let listing = list_corpus_for_index(corpus, &selection, index_dir)?;
    let prepared = prepare_index(index_dir, corpus, update, state)?;
    let previous_listed_at = prepared.previous.as_ref().map_or(0, |m| m.listed_at_ns);
    let rules = DiffRules {
        hash_all: update.verify_content,
        ..DiffRules::keep(previous_listed_at)
    };
    let changes = diff(listing.files, prepared.previous_sources(), rules);
    // With nothing to write, the run checks what it would otherwise call unchanged.
    if prepared.rebuild_reason.is_none() && changes.is_empty() {
        let surplus = prepared.previous.as_ref().and_then(|manifest| {
            lost_part(
                index_dir,
                &prepared.index,
                manifest,
                LexiconFound::OnDisk,
                true,
            )
        });
        if let Some(reason) = surplus.or_else(|| damage(&prepared.index)) {
            let listed_at_ns = unix_nanos_now();
            let listing = list_corpus_for_index(corpus, &selection, index_dir)?;
            return Ok(Compared {
                listing_warnings: listing.warnings,
                listed_at_ns,
                selection,
                prepared: rebuild_from_scratch(index_dir, reason)?,
                changes: diff(listing.files, &[], DiffRules::keep(0)),
            });
        }
    }
    Ok(Compared {
        listing_warnings: listing.warnings,
        listed_at_ns,
        selection,
        prepared,
        changes,
    })
}

/// A new, empty index for a rebuild, in place of one too damaged to reuse.
fn rebuild_from_scratch(index_dir: &Path, reason: String) -> Result<PreparedIndex, IndexError> {
    let fresh = create_fresh(index_dir)?;
    Ok(PreparedIndex {
        index: fresh.index,
        fields: fresh.fields,
        previous: None,
        rebuild_reason: Some(reason),
        delete_all: false,
    })
}

/// Writes `manifest`, after the commit, so that it never names passages the index lacks.
fn write_new_manifest(index_dir: &Path, manifest: Manifest) -> Result<Manifest, IndexError> {
    write_manifest(index_dir, &manifest)
        .map_err(|err| IndexError::io(&index_dir.join(super::MANIFEST_FILE), err))?;
    Ok(manifest)
}

/// The update a check asked for, from what the check found.
fn prepare_checked(index_dir: &Path, checked: Checked) -> Result<Compared, IndexError> {
    let fields =
        Fields::from_schema(&checked.index.schema()).ok_or_else(|| IndexError::Tantivy {
            path: index_dir.display().to_string(),
            error: TantivyError::SchemaError(ANOTHER_SCHEMA.to_string()),
        })?;
    let prepared = PreparedIndex {
        index: checked.index,
        fields,
        previous: Some(checked.manifest),
        rebuild_reason: None,
        delete_all: false,
    };
    Ok(Compared {
        listing_warnings: checked.warnings,
        listed_at_ns: checked.listed_at_ns,
        selection: checked.selection,
        prepared,
        changes: checked.changes,
    })
}

/// What a run will read, for the observer.
fn plan(prepared: &PreparedIndex, changes: &Changes) -> IndexPlan {
    let pending = changes.added.iter().chain(&changes.changed);
    IndexPlan {
        rebuild: prepared.rebuild_reason.clone(),
        files: changes.added.len() + changes.changed.len(),
        bytes: pending.map(|p| p.file.size).sum(),
        removed: changes.removed.clone(),
        unchanged: changes.unchanged.len(),
    }
}

/// The corpus (a folder, or one file) must exist, and the index must not lie inside it: lete
/// never writes there. A hidden folder of the corpus is no part of it (the walk never enters
/// `.name` entries), so an index there is allowed: the user's cache folder lies in a hidden
/// folder of the home folder, which may be the corpus (issue 19).
pub(crate) fn check_folders(corpus: &Path, index_dir: &Path) -> Result<(), IndexError> {
    if !corpus.exists() {
        return Err(IndexError::CorpusMissing(corpus.display().to_string()));
    }
    let corpus_abs = fs::canonicalize(corpus).map_err(|err| DiscoverError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error: err,
    })?;
    if is_read_part_of(index_dir, &corpus_abs) {
        return Err(IndexError::IndexInsideCorpus {
            index: index_dir.display().to_string(),
            corpus: corpus.display().to_string(),
        });
    }
    Ok(())
}

/// Whether `path` (existing or not) is `folder` or lies inside it, but for a hidden folder of
/// it, which lete never reads: where lete must not write when `folder` is a corpus or an
/// index. False when `folder` cannot be found.
pub(crate) fn lies_inside(path: &Path, folder: &Path) -> bool {
    fs::canonicalize(folder).is_ok_and(|folder| is_read_part_of(path, &folder))
}

/// As [`lies_inside`], with `folder` canonical.
fn is_read_part_of(path: &Path, folder: &Path) -> bool {
    let path = absolute_path(path);
    let Ok(inside) = path.strip_prefix(folder) else {
        return false;
    };
    !(inside.components()).any(|part| part.as_os_str().to_string_lossy().starts_with('.'))
}

/// The canonical path of the nearest existing ancestor, with the missing rest appended.
fn absolute_path(path: &Path) -> std::path::PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
    let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// An index ready for writing, and what it held before.
struct PreparedIndex {
    index: Index,
    fields: Fields,
    /// The manifest to compare the corpus with; none when rebuilding.
    previous: Option<Manifest>,
    rebuild_reason: Option<String>,
    /// The index was reused for a rebuild: its documents must go in the same commit.
    delete_all: bool,
}

impl PreparedIndex {
    /// What the index held before, by source; nothing when rebuilding.
    fn previous_sources(&self) -> &[SourceEntry] {
        self.previous
            .as_ref()
            .map_or(&[], |manifest| manifest.sources.as_slice())
    }

    /// The index, written, ready to search: the query analyzers in place of the indexer's,
    /// and the lexicon as written.
    fn into_search_index(self, index_dir: &Path) -> LeteIndex {
        register_analyzers(self.index.tokenizers());
        let lexicon = Arc::new(CompoundSplitter::from(read_search_lexicon(index_dir)));
        LeteIndex::new(index_dir, self.index, self.fields, lexicon)
    }
}

/// Opens the index for an update, or decides on a rebuild and says why; `manifest` is the
/// one found in `index_dir`.
fn prepare_index(
    index_dir: &Path,
    corpus: &Path,
    options: &IndexOptions,
    manifest: ManifestState,
) -> Result<PreparedIndex, IndexError> {
    let held = match &manifest {
        ManifestState::Current(manifest) => other_corpus(manifest, corpus),
        _ => None,
    };
    let opened = if has_tantivy_index(index_dir) {
        Some(open_current(index_dir))
    } else {
        None
    };
    let reason = match (&manifest, &opened) {
        (ManifestState::Missing, None) => Some("no index yet".to_string()),
        (_, None) => Some("the index files are missing".to_string()),
        _ if options.rebuild => Some("rebuild asked for".to_string()),
        // `lete index` was pointed at the index of another corpus: it is built for this one,
        // saying so (a search refuses it instead).
        _ if held.is_some() => Some(format!(
            "the index held the corpus {}",
            held.as_deref().unwrap_or_default()
        )),
        (ManifestState::Current(_), Some(Err(problem))) => Some(problem.clone()),
        (ManifestState::Current(manifest), Some(Ok(current))) => lost_part(
            index_dir,
            &current.index,
            manifest,
            LexiconFound::OnDisk,
            false,
        ),
        (other, _) => Some(manifest_problem(other)),
    };
    match (reason, opened) {
        (None, Some(Ok(current))) => Ok(PreparedIndex {
            previous: match manifest {
                ManifestState::Current(manifest) => Some(manifest),
                _ => None,
            },
            index: current.index,
            fields: current.fields,
            rebuild_reason: None,
            delete_all: false,
        }),
        // The current schema opens fine: reuse it so that the old documents stay searchable
        // until the rebuild commits.
        (Some(reason), Some(Ok(current))) => Ok(PreparedIndex {
            index: current.index,
            fields: current.fields,
            previous: None,
            rebuild_reason: Some(reason),
            delete_all: true,
        }),
        (reason, _) => {
            let fresh = create_fresh(index_dir)?;
            Ok(PreparedIndex {
                index: fresh.index,
                fields: fresh.fields,
                previous: None,
                rebuild_reason: reason,
                delete_all: false,
            })
        }
    }
}

/// Why a manifest that is not current forces a rebuild.
pub(crate) fn manifest_problem(state: &ManifestState) -> String {
    match state {
        ManifestState::Missing => "the index has no manifest".to_string(),
        ManifestState::Unreadable(err) => format!("the index manifest is unreadable ({err})"),
        ManifestState::OtherVersion(found) => format!(
            "the index was written by schema version {found} and this lete uses version \
             {SCHEMA_VERSION}"
        ),
        ManifestState::Current(_) => "the index is current".to_string(),
    }
}

/// Opens an existing index whose schema is exactly this version's, or says why not.
fn open_current(index_dir: &Path) -> Result<LeteIndex, String> {
    let index = Index::open_in_dir(index_dir)
        .map_err(|err| format!("the index cannot be opened ({err})"))?;
    if index.schema() != build_schema() {
        return Err(ANOTHER_SCHEMA.to_string());
    }
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| ANOTHER_SCHEMA.to_string())?;
    register_analyzers(index.tokenizers());
    // Only checked and written through here: the writer reads the lexicon itself.
    Ok(LeteIndex::new(
        index_dir,
        index,
        fields,
        Arc::new(CompoundSplitter::from(Lexicon::default())),
    ))
}

/// Empties the index folder of lete's files and creates an empty index of this schema.
fn create_fresh(index_dir: &Path) -> Result<LeteIndex, IndexError> {
    clear_index_dir(index_dir)?;
    let index = create_configured_index(index_dir, build_schema())
        .map_err(|err| tantivy_error(index_dir, err))?;
    register_analyzers(index.tokenizers());
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| IndexError::Tantivy {
        path: index_dir.display().to_string(),
        error: TantivyError::SchemaError("built schema lacks a field".to_string()),
    })?;
    Ok(LeteIndex::new(
        index_dir,
        index,
        fields,
        Arc::new(CompoundSplitter::from(Lexicon::default())),
    ))
}

/// Deletes what changed, adds what is new, commits once; returns the new manifest entries.
fn write_changes(
    prepared: &PreparedIndex,
    index_dir: &Path,
    changes: Changes,
    load: SourceLoader<'_>,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<Vec<SourceEntry>, IndexError> {
    let stale = stale_sources(prepared, &changes);
    let mut pending: Vec<Pending> = changes.added.into_iter().chain(changes.changed).collect();
    pending.sort_by(|a, b| a.file.source.cmp(&b.file.source));
    let lexicon_started = Instant::now();
    let lexicon = learn_lexicon(prepared, index_dir, &mut pending, load)?;
    report.timings.lexicon = lexicon_started.elapsed().as_secs_f64();
    crate::threads::release_freed_memory();
    register_index_analyzers(prepared.index.tokenizers(), &lexicon.analysis);
    let mut writer = open_writer(&prepared.index, index_dir)?;
    delete_stale(&mut writer, prepared, stale, index_dir)?;
    let writing_started = Instant::now();
    let fields = &prepared.fields;
    let entries = add_files_in_parallel(&writer, fields, pending, load, report, observer)
        .map_err(|err| tantivy_error(index_dir, err))?;
    report.timings.writing = writing_started.elapsed().as_secs_f64();
    let settle = prepared.rebuild_reason.is_some();
    commit(writer, index_dir, settle, report, observer)?;
    if lexicon.changed {
        write_lexicon_with_fst(index_dir, &lexicon.learned, &lexicon.fst)
            .map_err(|err| IndexError::io(index_dir, err))?;
    }
    Ok(entries)
}

/// The compound lexicon an update writes with.
struct UpdateLexicon {
    /// As learned: its text form is written with the index.
    learned: Lexicon,
    /// Its FST form, which the analyzers split with and searches load.
    fst: Vec<u8>,
    /// What the analyzers split with.
    analysis: Arc<CompoundSplitter>,
    /// It differs from the stored one, and is written after the commit.
    changed: bool,
}

/// The lexicon for an update, learned from the sample at the head of `pending`; the sample's
/// files stay there with their bytes, for the writer. The lexicon grows with new files (it is never
/// relearned without `--rebuild`: documents already indexed keep the parts they were written
/// with).
fn learn_lexicon(
    prepared: &PreparedIndex,
    index_dir: &Path,
    pending: &mut Vec<Pending>,
    load: SourceLoader<'_>,
) -> Result<UpdateLexicon, IndexError> {
    let rebuild = prepared.rebuild_reason.is_some();
    let mut learned = if rebuild {
        Lexicon::default()
    } else {
        read_lexicon(index_dir)
    };
    let (words_before, sample_before) = (learned.len(), learned.sample_bytes());
    learn_sample(&mut learned, pending, load);
    // Parts change only with new words; once the sample is full (a large corpus), an update
    // learns nothing and neither relearns nor rewrites the lexicon (issue 5: incremental
    // updates spent most of their time here).
    let new_words = learned.len() != words_before;
    let changed = rebuild || new_words || learned.sample_bytes() != sample_before;
    let mut learned_splits = LearnedSplits::default();
    if rebuild || new_words {
        learned_splits = learned.learn_parts();
    }
    // The analyzers split on the lexicon's FST form, which splits faster (issue 5): the one
    // stored when the lexicon is unchanged, else made now and written with the index.
    let stored_fst = (!changed)
        .then(|| fs::read(index_dir.join(LEXICON_FST_FILE)).ok())
        .flatten();
    let fst = match stored_fst {
        Some(bytes) => bytes,
        None => learned
            .to_fst_bytes()
            .map_err(|err| IndexError::io(index_dir, err))?,
    };
    let analysis = match Lexicon::from_fst_bytes(fst.clone()) {
        Ok(fst_form) => {
            CompoundSplitter::uncached(Arc::new(fst_form)).with_learned_splits(learned_splits)
        }
        // A damaged stored FST: the lexicon's own lookups give the same splits.
        Err(_) => CompoundSplitter::new(Arc::new(learned.clone())),
    };
    let analysis = Arc::new(analysis);
    let lexicon = UpdateLexicon {
        learned,
        fst,
        analysis,
        changed,
    };
    Ok(lexicon)
}

/// The sources whose passages the commit replaces or removes. Added sources are among them:
/// after a run that failed between the Tantivy commit and the manifest, an "added" file may
/// be in the index already, and must not be twice. A rebuild starts empty (a new index, or
/// every document deleted): nothing to name.
fn stale_sources(prepared: &PreparedIndex, changes: &Changes) -> Vec<Term> {
    if prepared.rebuild_reason.is_some() {
        return Vec::new();
    }
    let pending = changes.added.iter().chain(&changes.changed);
    changes
        .removed
        .iter()
        .chain(pending.map(|item| &item.file.source))
        .map(|source| Term::from_field_text(prepared.fields.source, source))
        .collect()
}

/// Deletes what the commit replaces: every document of an index reused for a rebuild, else
/// the passages of `stale` sources.
fn delete_stale(
    writer: &mut IndexWriter<TantivyDocument>,
    prepared: &PreparedIndex,
    stale: Vec<Term>,
    index_dir: &Path,
) -> Result<(), IndexError> {
    if prepared.delete_all {
        writer
            .delete_all_documents()
            .map_err(|err| tantivy_error(index_dir, err))?;
    }
    // One delete for them all: Tantivy holds every delete until the commit, and a delete per
    // source held a 1 KB scoring table each (issue 5: 21 MB of a 1 GB build's peak memory,
    // growing with the corpus).
    if !stale.is_empty() {
        writer
            .delete_query(Box::new(TermSetQuery::new(stale)))
            .map_err(|err| tantivy_error(index_dir, err))?;
    }
    Ok(())
}

/// Commits what the writer holds and waits for the merges the commit starts; after a full
/// build (`settle`), merges the segments left down to two.
fn commit(
    mut writer: IndexWriter<TantivyDocument>,
    index_dir: &Path,
    settle: bool,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<(), IndexError> {
    observer.committing();
    let started = Instant::now();
    writer
        .commit()
        .map_err(|err| tantivy_error(index_dir, err))?;
    let index = writer.index().clone();
    writer
        .wait_merging_threads()
        .map_err(|err| tantivy_error(index_dir, err))?;
    if settle {
        settle_segments(&index).map_err(|err| tantivy_error(index_dir, err))?;
    }
    report.timings.commit = started.elapsed().as_secs_f64();
    Ok(())
}

fn open_writer(
    index: &Index,
    index_dir: &Path,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    open_configured_writer(index).map_err(|err| tantivy_error(index_dir, err))
}

fn add_totals(report: &mut IndexReport, entries: &[SourceEntry]) {
    for entry in entries {
        let Some(lang) = entry.lang else { continue };
        report.documents += 1;
        report.sections += entry.sections;
        report.passages += entry.passages;
        *report.languages.entry(lang).or_default() += 1;
    }
}
