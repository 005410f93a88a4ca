//! Building and updating the index: decide between a rebuild and an incremental update,
//! write the changed passages in one commit, then the manifest.

use super::corpus::{diff, list_corpus, Changes, FileSelection, Pending};
use super::lexicon::{learn_files, read_lexicon, write_lexicon_with_fst, LEXICON_FST_FILE};
use super::manifest::{
    read_manifest, sha256_hex, write_manifest, Manifest, ManifestState, SourceEntry,
};
use super::progress::{IndexObserver, IndexPlan, Unobserved};
use super::schema::{build_schema, passage_document, Fields, PassagePlace, SCHEMA_VERSION};
use super::{
    acquire_writer_lock, clear_index_dir, is_read_only_error, tantivy_error, IndexError, LeteIndex,
};
use crate::analysis::{
    register_analyzers, register_index_analyzers, CompoundSplitter, LearnedSplits, Lexicon,
};
use crate::ingest::IngestError;
use crate::lang::Lang;
use crate::segment::Document;
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermSetQuery;
use tantivy::schema::Term;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

/// Tantivy's writer heap, shared by its threads (issue 3: 50 MB).
pub const WRITER_HEAP_BYTES: usize = 50_000_000;
/// More threads than this gain little on a corpus of this size and cost memory.
const MAX_WRITER_THREADS: usize = 2;
/// Loading is lighter than analysis: past this, more loader threads only hold more files.
const MAX_LOADER_THREADS: usize = 4;

/// How long a run waits for another run's writer lock before giving up.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(600);

/// How to update the index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Start over even when the index is current (`lete index --rebuild`).
    pub rebuild: bool,
    /// Which files of the corpus folder are documents (`--include`, `--exclude`).
    pub selection: FileSelection,
    /// How long to wait for another run updating the same index.
    pub lock_wait: Duration,
    /// Called once when the run has to wait for another (the CLI says so on stderr).
    pub on_wait: Option<fn(&Path)>,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            rebuild: false,
            selection: FileSelection::default(),
            lock_wait: DEFAULT_LOCK_WAIT,
            on_wait: None,
        }
    }
}

/// A source file read and segmented by the pipeline.
#[derive(Debug, Clone)]
pub struct LoadedSource {
    pub document: Document,
    /// Non-fatal remarks on the file (encoding fallback, …), reported as `PATH: REMARK`.
    pub warnings: Vec<String>,
}

/// Segments one corpus file: `(bytes, source)` to a document, or the one-line reason the
/// file is skipped. The indexer reads the bytes once, for hashing and loading alike.
/// Loaders run on several threads at once (issue 5), so a loader must be `Sync`.
pub type SourceLoader<'a> = &'a (dyn Fn(&[u8], &str) -> Result<LoadedSource, String> + Sync);

/// What an index run did and what the index now holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexReport {
    /// Documents in the index (skipped files not counted).
    pub documents: usize,
    pub sections: usize,
    pub passages: usize,
    /// Documents per language.
    pub languages: BTreeMap<Lang, usize>,
    pub seconds: f64,
    pub files_added: usize,
    pub files_changed: usize,
    pub files_removed: usize,
    pub files_unchanged: usize,
    /// Skipped files and remarks, each `PATH: REASON`.
    pub warnings: Vec<String>,
    /// Why the index was built from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Where the run's time went (for `lete bench`).
    pub timings: IndexTimings,
}

/// Where an index run's time went, in seconds (issue 5: `lete bench` reports the phases).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IndexTimings {
    /// Learning the compound lexicon before indexing (wall).
    pub lexicon: f64,
    /// Reading, hashing, decoding, normalizing and segmenting files, summed over the loader
    /// threads (CPU time of that stage; it runs alongside the writer).
    pub load: f64,
    /// From the first file handed to the writer to the last (wall; analysis happens here, in
    /// Tantivy's writer threads).
    pub writing: f64,
    /// The commit and the merges it waits for (wall).
    pub commit: f64,
}

impl fmt::Display for IndexReport {
    /// The one-line summary `lete index` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let languages: Vec<String> = self
            .languages
            .iter()
            .map(|(lang, count)| format!("{lang} {count}"))
            .collect();
        write!(
            f,
            "{} documents ({}), {} sections, {} passages in {:.2} s \
             ({} added, {} changed, {} removed, {} unchanged)",
            self.documents,
            languages.join(", "),
            self.sections,
            self.passages,
            self.seconds,
            self.files_added,
            self.files_changed,
            self.files_removed,
            self.files_unchanged,
        )
    }
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

/// Brings the index in `index_dir` up to date with the selected files of `corpus`, reading
/// each new or changed file with `load`.
pub fn open_or_build_with(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    load: SourceLoader<'_>,
) -> Result<IndexReport, IndexError> {
    open_or_build_observed(corpus, index_dir, options, load, &Unobserved)
}

/// As `open_or_build_with`, telling `observer` the plan, each file read and the commit.
pub fn open_or_build_observed(
    corpus: &Path,
    index_dir: &Path,
    options: &IndexOptions,
    load: SourceLoader<'_>,
    observer: &dyn IndexObserver,
) -> Result<IndexReport, IndexError> {
    let started = Instant::now();
    check_folders(corpus, index_dir)?;
    fs::create_dir_all(index_dir).map_err(|err| match err {
        err if is_read_only_error(&err) => IndexError::ReadOnly(index_dir.display().to_string()),
        err => IndexError::io(index_dir, err),
    })?;
    // Held to the end: everything below reads the index as the previous run left it.
    let _lock = acquire_writer_lock(index_dir, options.lock_wait, options.on_wait)?;
    let listing = list_corpus(corpus, &options.selection)?;
    let prepared = prepare_index(index_dir, options)?;
    let changes = diff(listing.files, &prepared.previous);
    let mut report = IndexReport {
        warnings: listing.warnings,
        files_added: changes.added.len(),
        files_changed: changes.changed.len(),
        files_removed: changes.removed.len(),
        files_unchanged: changes.unchanged.len(),
        rebuilt: prepared.rebuild_reason.clone(),
        ..IndexReport::default()
    };
    observer.start(&plan(&prepared, &changes));
    // A file skipped before and unchanged since is still not searchable: say so again.
    for entry in &changes.unchanged {
        if let Some(reason) = &entry.skipped {
            report.warnings.push(format!("{}: {reason}", entry.path));
        }
    }
    let mut entries = changes.unchanged.clone();
    if prepared.rebuild_reason.is_some() || !changes.is_empty() {
        let written = write_changes(&prepared, index_dir, &changes, load, &mut report, observer)?;
        entries.extend(written);
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    // Also rewritten when only mtimes moved, so the next run need not hash those files.
    if prepared.rebuild_reason.is_some() || !changes.is_empty() || entries != prepared.previous {
        let manifest_path = index_dir.join(super::MANIFEST_FILE);
        write_manifest(index_dir, &Manifest::new(entries.clone()))
            .map_err(|err| IndexError::io(&manifest_path, err))?;
    }
    add_totals(&mut report, &entries);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
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

/// Whether `index_dir` needs a build or an update before it can answer for `corpus`.
pub fn is_stale(
    corpus: &Path,
    index_dir: &Path,
    selection: &FileSelection,
) -> Result<Staleness, IndexError> {
    check_folders(corpus, index_dir)?;
    // An empty corpus is an error before anything is built.
    let files = list_corpus(corpus, selection)?.files;
    if !has_tantivy_index(index_dir) {
        return Ok(Staleness::Missing);
    }
    let manifest = match read_manifest(index_dir) {
        ManifestState::Current(manifest) => manifest,
        other => return Ok(Staleness::Rebuild(manifest_problem(&other))),
    };
    if let Err(reason) = open_current(index_dir) {
        return Ok(Staleness::Rebuild(reason));
    }
    let changes = diff(files, &manifest.sources);
    if changes.is_empty() {
        return Ok(Staleness::Fresh);
    }
    Ok(Staleness::Changed {
        added: changes.added.len(),
        changed: changes.changed.len(),
        removed: changes.removed.len(),
    })
}

/// The corpus must exist, and the index must not lie inside it: lete never writes there.
fn check_folders(corpus: &Path, index_dir: &Path) -> Result<(), IndexError> {
    if !corpus.is_dir() {
        return Err(IndexError::CorpusMissing(corpus.display().to_string()));
    }
    let corpus_abs = fs::canonicalize(corpus).map_err(|err| IndexError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error: err,
    })?;
    let index_abs = absolute_path(index_dir);
    if index_abs.starts_with(&corpus_abs) {
        return Err(IndexError::IndexInsideCorpus {
            index: index_dir.display().to_string(),
            corpus: corpus.display().to_string(),
        });
    }
    Ok(())
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

fn has_tantivy_index(index_dir: &Path) -> bool {
    index_dir.join("meta.json").is_file()
}

/// An index ready for writing, and what it held before.
struct PreparedIndex {
    index: Index,
    fields: Fields,
    /// Manifest entries to compare the corpus with; empty when rebuilding.
    previous: Vec<SourceEntry>,
    rebuild_reason: Option<String>,
    /// The index was reused for a rebuild: its documents must go in the same commit.
    delete_all: bool,
}

/// Opens the index for an update, or decides on a rebuild and says why.
fn prepare_index(index_dir: &Path, options: &IndexOptions) -> Result<PreparedIndex, IndexError> {
    let manifest = read_manifest(index_dir);
    let opened = if has_tantivy_index(index_dir) {
        Some(open_current(index_dir))
    } else {
        None
    };
    let reason = match (&manifest, &opened) {
        (ManifestState::Missing, None) => Some("no index yet".to_string()),
        (_, None) => Some("the index files are missing".to_string()),
        _ if options.rebuild => Some("rebuild asked for".to_string()),
        (ManifestState::Current(_), Some(Err(problem))) => Some(problem.clone()),
        (ManifestState::Current(_), Some(Ok(_))) => None,
        (other, _) => Some(manifest_problem(other)),
    };
    match (reason, opened) {
        (None, Some(Ok(current))) => Ok(PreparedIndex {
            previous: match manifest {
                ManifestState::Current(manifest) => manifest.sources,
                _ => Vec::new(),
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
            previous: Vec::new(),
            rebuild_reason: Some(reason),
            delete_all: true,
        }),
        (reason, _) => {
            let fresh = create_fresh(index_dir)?;
            Ok(PreparedIndex {
                index: fresh.index,
                fields: fresh.fields,
                previous: Vec::new(),
                rebuild_reason: reason,
                delete_all: false,
            })
        }
    }
}

/// Why a manifest that is not current forces a rebuild.
fn manifest_problem(state: &ManifestState) -> String {
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
        return Err("the index has another schema than this lete writes".to_string());
    }
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| "the index has another schema than this lete writes".to_string())?;
    register_analyzers(index.tokenizers());
    // Only checked and written through here: the writer reads the lexicon itself, and
    // `is_stale` (before every search) need not parse it.
    Ok(LeteIndex::new(
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
        index,
        fields,
        Arc::new(CompoundSplitter::from(Lexicon::default())),
    ))
}

/// Deletes what changed, adds what is new, commits once; returns the new manifest entries.
fn write_changes(
    prepared: &PreparedIndex,
    index_dir: &Path,
    changes: &Changes,
    load: SourceLoader<'_>,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<Vec<SourceEntry>, IndexError> {
    let mut pending: Vec<&Pending> = changes.added.iter().chain(&changes.changed).collect();
    pending.sort_by(|a, b| a.file.source.cmp(&b.file.source));
    // The lexicon grows with new files (it is never relearned without `--rebuild`: documents
    // already indexed keep the parts they were written with).
    let mut lexicon = if prepared.rebuild_reason.is_some() {
        Lexicon::default()
    } else {
        read_lexicon(index_dir)
    };
    let lexicon_started = Instant::now();
    let (words_before, sample_before) = (lexicon.len(), lexicon.sample_bytes());
    let sizes: Vec<(&Path, u64)> = pending
        .iter()
        .map(|item| (item.file.path.as_path(), item.file.size))
        .collect();
    learn_files(&mut lexicon, &sizes);
    let rebuild = prepared.rebuild_reason.is_some();
    // Parts change only with new words; once the sample is full (a large corpus), an update
    // learns nothing and neither relearns nor rewrites the lexicon (issue 5: incremental
    // updates spent most of their time here).
    let new_words = lexicon.len() != words_before;
    let lexicon_changed = rebuild || new_words || lexicon.sample_bytes() != sample_before;
    let mut learned_splits = LearnedSplits::default();
    if rebuild || new_words {
        learned_splits = lexicon.learn_parts();
    }
    report.timings.lexicon = lexicon_started.elapsed().as_secs_f64();
    // The analyzers split on the lexicon's FST form, which splits faster (issue 5): the one
    // stored when the lexicon is unchanged, else made now and written with the index.
    let stored_fst = (!lexicon_changed)
        .then(|| fs::read(index_dir.join(LEXICON_FST_FILE)).ok())
        .flatten();
    let lexicon_fst = match stored_fst {
        Some(bytes) => bytes,
        None => lexicon
            .to_fst_bytes()
            .map_err(|err| IndexError::io(index_dir, err))?,
    };
    let splitter = match Lexicon::from_fst_bytes(lexicon_fst.clone()) {
        Ok(fst_form) => {
            CompoundSplitter::uncached(Arc::new(fst_form)).with_learned_splits(learned_splits)
        }
        // A damaged stored FST: the lexicon's own lookups give the same splits.
        Err(_) => CompoundSplitter::new(Arc::new(lexicon.clone())),
    };
    register_index_analyzers(prepared.index.tokenizers(), &Arc::new(splitter));
    let mut writer = open_writer(&prepared.index, index_dir)?;
    if prepared.delete_all {
        writer
            .delete_all_documents()
            .map_err(|err| tantivy_error(index_dir, err))?;
    }
    let fields = &prepared.fields;
    // Added sources are deleted too: after a run that failed between the Tantivy commit and
    // the manifest, an "added" file may be in the index already, and must not be twice. A
    // rebuild starts empty (a new index, or every document deleted above): nothing to delete.
    if !rebuild {
        let stale_sources: Vec<Term> = changes
            .removed
            .iter()
            .chain(
                changes
                    .added
                    .iter()
                    .chain(&changes.changed)
                    .map(|p| &p.file.source),
            )
            .map(|source| Term::from_field_text(fields.source, source))
            .collect();
        // One delete for them all: Tantivy holds every delete until the commit, and a
        // delete per source held a 1 KB scoring table each (issue 5: 21 MB of a 1 GB
        // build's peak memory, growing with the corpus).
        if !stale_sources.is_empty() {
            writer
                .delete_query(Box::new(TermSetQuery::new(stale_sources)))
                .map_err(|err| tantivy_error(index_dir, err))?;
        }
    }
    let writing_started = Instant::now();
    let entries = add_files_in_parallel(&writer, fields, &pending, load, report, observer)
        .map_err(|err| tantivy_error(index_dir, err))?;
    report.timings.writing = writing_started.elapsed().as_secs_f64();
    observer.committing();
    let commit_started = Instant::now();
    writer
        .commit()
        .map_err(|err| tantivy_error(index_dir, err))?;
    writer
        .wait_merging_threads()
        .map_err(|err| tantivy_error(index_dir, err))?;
    report.timings.commit = commit_started.elapsed().as_secs_f64();
    if lexicon_changed {
        write_lexicon_with_fst(index_dir, &lexicon, &lexicon_fst)
            .map_err(|err| IndexError::io(index_dir, err))?;
    }
    Ok(entries)
}

/// Bytes of stored passages compressed together in the doc store. A search reads each
/// candidate from the store, decompressing its whole block: Tantivy's 16 KB blocks hold about
/// 16 passages, of which a search wants one (issue 5's query profile: a fifth of a warm query
/// went to decompressing).
pub const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// The index settings lete's writer and the bench's bare-Tantivy baseline share.
pub fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..tantivy::IndexSettings::default()
    }
}

/// Creates an index of `schema` in `dir` with [`index_settings`]: how lete's writer and the
/// bench's bare-Tantivy baseline both create theirs.
pub fn create_configured_index(
    dir: &Path,
    schema: tantivy::schema::Schema,
) -> tantivy::Result<Index> {
    Index::builder()
        .schema(schema)
        .settings(index_settings())
        .create_in_dir(dir)
}

/// Segments this large are merged no further (Tantivy's default is 10 million). A merge
/// maps its input segments into memory, and on a 1 GB corpus the default let the last
/// merges map a gigabyte: peak RSS grew with the corpus (issue 5 asks for a bound). With
/// Tantivy's 8 segments a merge, segments stop at a few hundred thousand passages.
pub const MAX_DOCS_BEFORE_MERGE: usize = 100_000;

/// The settings lete's writer and the bench's bare-Tantivy baseline share: threads, heap
/// and merge policy.
pub fn open_configured_writer<D: tantivy::Document>(
    index: &Index,
) -> tantivy::Result<IndexWriter<D>> {
    let writer = index.writer_with_num_threads(writer_threads(), WRITER_HEAP_BYTES)?;
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// Tantivy writer threads: one per core, at most `MAX_WRITER_THREADS`.
pub fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WRITER_THREADS)
}

fn open_writer(
    index: &Index,
    index_dir: &Path,
) -> Result<IndexWriter<TantivyDocument>, IndexError> {
    open_configured_writer(index).map_err(|err| tantivy_error(index_dir, err))
}

/// Files loaded ahead of the writer, per loader thread: enough to keep the writer busy,
/// few enough that memory stays bounded whatever the corpus size (issue 5).
const LOAD_AHEAD_PER_THREAD: usize = 2;

/// One corpus file read, hashed and segmented, its passages ready for the writer.
struct LoadedFile {
    entry: SourceEntry,
    /// Warnings and the skip reason, each `PATH: REASON`.
    warnings: Vec<String>,
    document: Option<Document>,
    /// Seconds spent loading it.
    seconds: f64,
}

/// Reads and segments `pending` on loader threads while this thread hands their passages
/// to Tantivy's writer threads, which analyze them (issue 5: indexing uses every core). Files
/// are added in `pending` order, passages in document order, so the index is the same as
/// with one thread. At most `LOAD_AHEAD_PER_THREAD` files per loader wait in memory.
fn add_files_in_parallel(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    pending: &[&Pending],
    load: SourceLoader<'_>,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<Vec<SourceEntry>, TantivyError> {
    let loaders = loader_threads().min(pending.len()).max(1);
    let ahead = loaders * LOAD_AHEAD_PER_THREAD;
    type Job<'p> = (&'p Pending, mpsc::SyncSender<LoadedFile>);
    let (job_sender, job_receiver) = mpsc::sync_channel::<Job<'_>>(ahead);
    let job_receiver = Mutex::new(job_receiver);
    std::thread::scope(|scope| {
        // Jobs in order, each with the channel its result comes back on; the results'
        // receivers go to this thread in the same order, so it waits for file i before i+1.
        let (order_sender, order_receiver) =
            mpsc::sync_channel::<mpsc::Receiver<LoadedFile>>(ahead);
        scope.spawn(move || {
            for item in pending {
                let (result_sender, result_receiver) = mpsc::sync_channel(1);
                if job_sender.send((*item, result_sender)).is_err()
                    || order_sender.send(result_receiver).is_err()
                {
                    return;
                }
            }
        });
        for _ in 0..loaders {
            let jobs = &job_receiver;
            scope.spawn(move || loop {
                // The lock is held only to take the next job, not while loading it.
                let next = jobs.lock().map(|receiver| receiver.recv());
                let Ok(Ok((item, result_sender))) = next else {
                    return;
                };
                // The receiver is gone only when the writer stopped on an error.
                let _ = result_sender.send(load_file(item, load));
            });
        }
        let mut entries = Vec::with_capacity(pending.len());
        for result_receiver in order_receiver {
            let Ok(loaded) = result_receiver.recv() else {
                break;
            };
            report.warnings.extend(loaded.warnings);
            report.timings.load += loaded.seconds;
            // Each passage becomes a Tantivy document only as it is added (issue 6): the
            // documents of a whole 100 MB file held at once were 440 MB.
            if let Some(document) = &loaded.document {
                let mut passage_ordinal = 0;
                for (section_ordinal, section) in document.sections.iter().enumerate() {
                    for passage in &section.passages {
                        let place = PassagePlace {
                            document,
                            source: &loaded.entry.path,
                            section,
                            section_ordinal,
                            passage_ordinal,
                        };
                        // On an error the channels drop and the threads above stop.
                        writer.add_document(passage_document(fields, &place, passage))?;
                        passage_ordinal += 1;
                    }
                }
            }
            observer.file_done(&loaded.entry);
            entries.push(loaded.entry);
        }
        Ok(entries)
    })
}

/// Loader threads: the cores Tantivy's writer threads leave, at least one.
fn loader_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .clamp(1, MAX_LOADER_THREADS)
}

/// Reads, hashes and segments one file into its passages; a file the loader refuses becomes
/// a warning and a manifest entry without passages, so it is not re-read until it changes.
fn load_file(item: &Pending, load: SourceLoader<'_>) -> LoadedFile {
    let started = Instant::now();
    let mut loaded = load_file_untimed(item, load);
    loaded.seconds = started.elapsed().as_secs_f64();
    loaded
}

fn load_file_untimed(item: &Pending, load: SourceLoader<'_>) -> LoadedFile {
    let source = &item.file.source;
    let bytes = fs::read(&item.file.path);
    let sha256 = match (&item.sha256, &bytes) {
        (Some(known), _) => known.clone(),
        (None, Ok(bytes)) => sha256_hex(bytes),
        (None, Err(_)) => String::new(),
    };
    let mut entry = SourceEntry {
        path: source.clone(),
        size: item.file.size,
        mtime_ns: item.file.mtime_ns,
        sha256,
        lang: None,
        sections: 0,
        passages: 0,
        skipped: None,
    };
    let loaded = bytes
        .map_err(|err| format!("{}; skipped", IngestError::Io(err)))
        .and_then(|bytes| load(&bytes, source));
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(reason) => {
            let warnings = vec![format!("{source}: {reason}")];
            entry.skipped = Some(reason);
            return LoadedFile {
                entry,
                warnings,
                document: None,
                seconds: 0.0,
            };
        }
    };
    let warnings = loaded
        .warnings
        .iter()
        .map(|remark| format!("{source}: {remark}"))
        .collect();
    entry.lang = Some(loaded.document.lang);
    entry.sections = loaded.document.sections.len();
    entry.passages = loaded.document.passages().count();
    LoadedFile {
        entry,
        warnings,
        document: Some(loaded.document),
        seconds: 0.0,
    }
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
