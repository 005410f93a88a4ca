//! Loading corpus files for the writer: each read, hashed and segmented on loader threads,
//! handed to the writer in order.

use super::changes::{trusted_mtime, Pending, ReadFile};
use super::manifest::SourceEntry;
use super::progress::IndexObserver;
use super::report::IndexReport;
use super::schema::{passage_document, Fields, PassagePlace};
use crate::segment::Document;
use std::sync::{mpsc, Mutex};
use std::time::Instant;
use tantivy::{IndexWriter, TantivyDocument, TantivyError};

/// Loading is lighter than analysis: past this, more loader threads only hold more files.
const MAX_LOADER_THREADS: usize = 4;

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
pub(crate) type SourceLoader<'a> = &'a (dyn Fn(&[u8], &str) -> Result<LoadedSource, String> + Sync);

/// The pipeline's loader (`crate::pipeline::load_bytes`): what `lete` indexes with.
pub(crate) fn pipeline_loader(bytes: &[u8], source: &str) -> Result<LoadedSource, String> {
    crate::pipeline::load_bytes(bytes, source)
        .map(|loaded| LoadedSource {
            document: loaded.document,
            warnings: loaded.warnings,
        })
        .map_err(|err| format!("{err}; skipped"))
}

/// Files loaded ahead of the writer, per loader thread: enough to keep the writer busy,
/// few enough that memory stays bounded whatever the corpus size (issue 5).
const LOAD_AHEAD_PER_THREAD: usize = 2;

/// One corpus file read, hashed and segmented, its passages ready for the writer.
pub(crate) struct LoadedFile {
    pub(crate) entry: SourceEntry,
    /// Warnings and the skip reason, each `PATH: REASON`.
    warnings: Vec<String>,
    pub(crate) document: Option<Document>,
    /// Seconds spent loading it.
    seconds: f64,
}

/// Hands the passages of `pending` to Tantivy's writer threads, which analyze them, while
/// loader threads read and segment `pending` (issue 5: indexing uses every core). Files are added in order, passages in
/// document order, so the index is the same as with one thread. At most
/// `LOAD_AHEAD_PER_THREAD` files per loader wait in memory.
pub(crate) fn add_files_in_parallel(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    pending: Vec<Pending>,
    load: SourceLoader<'_>,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<Vec<SourceEntry>, TantivyError> {
    let mut entries = Vec::with_capacity(pending.len());
    let loaders = loader_threads().min(pending.len()).max(1);
    let ahead = loaders * LOAD_AHEAD_PER_THREAD;
    type Job = (Pending, mpsc::SyncSender<LoadedFile>);
    let (job_sender, job_receiver) = mpsc::sync_channel::<Job>(ahead);
    let job_receiver = Mutex::new(job_receiver);
    std::thread::scope(|scope| {
        // Jobs in order, each with the channel its result comes back on; the results'
        // receivers go to this thread in the same order, so it waits for file i before i+1.
        let (order_sender, order_receiver) =
            mpsc::sync_channel::<mpsc::Receiver<LoadedFile>>(ahead);
        scope.spawn(move || {
            for item in pending {
                let (result_sender, result_receiver) = mpsc::sync_channel(1);
                if job_sender.send((item, result_sender)).is_err()
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
        for result_receiver in order_receiver {
            let Ok(loaded) = result_receiver.recv() else {
                break;
            };
            // On an error the channels drop and the threads above stop.
            entries.push(add_file(writer, fields, loaded, report, observer)?);
        }
        Ok(entries)
    })
}

/// Hands one loaded file's passages to the writer; returns its manifest entry.
fn add_file(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    loaded: LoadedFile,
    report: &mut IndexReport,
    observer: &dyn IndexObserver,
) -> Result<SourceEntry, TantivyError> {
    report.warnings.extend(loaded.warnings);
    report.timings.load += loaded.seconds;
    // Each passage becomes a Tantivy document only as it is added (issue 6): the documents
    // of a whole 100 MB file held at once were 440 MB.
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
                writer.add_document(passage_document(fields, &place, passage))?;
                passage_ordinal += 1;
            }
        }
    }
    observer.file_done(&loaded.entry);
    Ok(loaded.entry)
}

/// Reads `files` on up to `threads` threads at once, each given a run of consecutive files
/// of about equal bytes, and calls `each` with every file a thread has read (its bytes kept in
/// `read`, unless reading failed) and that thread's own state (issue 5: one thread at a time
/// kept every other core waiting). Returns the files in order, with their bytes, and the
/// states in run order.
pub(crate) fn read_in_runs<S: Default + Send>(
    files: Vec<Pending>,
    threads: usize,
    each: impl Fn(&mut S, &Pending) + Sync,
) -> (Vec<Pending>, Vec<S>) {
    let total: u64 = files.iter().map(|item| item.file.size).sum();
    let threads = threads.clamp(1, files.len().max(1));
    let per_run = total.div_ceil(threads as u64).max(1);
    let mut runs: Vec<Vec<Pending>> = vec![Vec::new()];
    let mut in_run = 0;
    for item in files {
        if in_run >= per_run && runs.len() < threads {
            runs.push(Vec::new());
            in_run = 0;
        }
        in_run += item.file.size;
        runs.last_mut().expect("a run").push(item);
    }
    let done = crate::threads::each_run_on_its_thread(runs, |run: Vec<Pending>| {
        let mut state = S::default();
        let read: Vec<Pending> = run
            .into_iter()
            .map(|mut item| {
                if item.read.is_none() {
                    // A file that cannot be read is read again, and reported, by the loader.
                    item.read = ReadFile::read(&item.file.path).ok();
                }
                each(&mut state, &item);
                item
            })
            .collect();
        (read, state)
    });
    let mut read = Vec::new();
    let mut states = Vec::with_capacity(done.len());
    for (files, state) in done {
        read.extend(files);
        states.push(state);
    }
    (read, states)
}

/// Loader threads: the cores Tantivy's writer threads leave, at least one.
fn loader_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .clamp(1, MAX_LOADER_THREADS)
}

/// Reads (unless the comparison did), hashes and segments one file into its passages; a file
/// the loader refuses becomes a warning and a manifest entry without passages, so it is not
/// re-read until it changes. The hash is that of the bytes loaded, so the manifest describes
/// what was indexed even when the file was rewritten meanwhile (issue 14); its mtime is kept
/// only when it is clearly older than the read (issue 18, [`trusted_mtime`]).
fn load_file(item: Pending, load: SourceLoader<'_>) -> LoadedFile {
    let started = Instant::now();
    let mut loaded = load_file_untimed(item, load);
    loaded.seconds = started.elapsed().as_secs_f64();
    loaded
}

fn load_file_untimed(item: Pending, load: SourceLoader<'_>) -> LoadedFile {
    let Pending { file, read } = item;
    // Warnings name the file as the user can open it; the index stores its path inside the
    // corpus (issue 19).
    let shown = file.path.strip_prefix(".").unwrap_or(&file.path);
    let shown = shown.display().to_string();
    let read = match read {
        Some(read) => Ok(read),
        None => ReadFile::read(&file.path),
    };
    let mut entry = SourceEntry {
        path: file.source,
        size: file.size,
        // A file changed in the same timestamp tick as it was read keeps no mtime.
        mtime_ns: read.as_ref().map_or(file.mtime_ns, |read| {
            trusted_mtime(file.mtime_ns, read.read_at)
        }),
        sha256: read
            .as_ref()
            .map_or(String::new(), |read| read.sha256.clone()),
        lang: None,
        sections: 0,
        passages: 0,
        skipped: None,
    };
    let source = &entry.path;
    let loaded = read
        .map_err(|err| format!("{err}; skipped"))
        .and_then(|read| load(&read.bytes, source));
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(reason) => {
            let warnings = vec![format!("{shown}: {reason}")];
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
        .map(|remark| format!("{shown}: {remark}"))
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
