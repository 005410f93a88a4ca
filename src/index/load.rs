//! Loading corpus files for the writer: each read, hashed and segmented on loader threads,
//! handed to the writer in order.

use super::changes::Pending;
use super::manifest::{sha256_hex, SourceEntry};
use super::progress::IndexObserver;
use super::report::IndexReport;
use super::schema::{passage_document, Fields, PassagePlace};
use crate::ingest::IngestError;
use crate::segment::Document;
use std::fs;
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
pub type SourceLoader<'a> = &'a (dyn Fn(&[u8], &str) -> Result<LoadedSource, String> + Sync);

/// The pipeline's loader (`crate::pipeline::load_bytes`): what `lete` indexes with.
pub fn pipeline_loader(bytes: &[u8], source: &str) -> Result<LoadedSource, String> {
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
pub(crate) fn add_files_in_parallel(
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
