//! Loading corpus files for the writer: each read, hashed and segmented on loader threads,
//! its passages handed to the writer in order, in batches as they are made.

use super::changes::{recorded_mtime, Pending, ReadFile};
use super::manifest::SourceEntry;
use super::progress::IndexObserver;
use super::report::IndexReport;
use super::schema::{passage_document, Fields, PassagePlace};
use crate::ingest::IngestError;
use crate::lang::Lang;
use crate::segment::{DocumentSink, Passage, Section};
use std::borrow::Cow;
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};
use tantivy::schema::Term;
use tantivy::{IndexWriter, TantivyDocument, TantivyError};

/// Loading is lighter than analysis: past this, more loader threads only hold more files.
const MAX_LOADER_THREADS: usize = 4;

/// Segments one corpus file: `(bytes, source)` to its title, sections and passages, handed
/// to the sink as they are made, and its warnings; or the one-line reason the file is
/// skipped. The indexer reads the bytes once, for hashing and loading alike, and gives them
/// owned where nothing needs them after the loader, which may drop them early. Loaders run on
/// several threads at once (issue 5), so a loader must be `Sync`. A loader that fails after
/// handing on part of a file leaves none of it in the index (see [`FileWriting::finish`]).
pub(crate) type SourceLoader<'a> =
    &'a (dyn Fn(Cow<'_, [u8]>, &str, &mut dyn DocumentSink) -> Result<Vec<String>, String> + Sync);

/// The pipeline's loader (`crate::pipeline::load_bytes_into`): what `lete` indexes with.
pub(crate) fn pipeline_loader(
    bytes: Cow<'_, [u8]>,
    source: &str,
    sink: &mut dyn DocumentSink,
) -> Result<Vec<String>, String> {
    crate::pipeline::load_bytes_into(bytes, source, sink)
        .map(|notes| notes.warnings)
        .map_err(|err| format!("{err}; skipped"))
}

/// Files loaded ahead of the writer, per loader thread: enough to keep the writer busy,
/// few enough that memory stays bounded whatever the corpus size (issue 5).
const LOAD_AHEAD_PER_THREAD: usize = 2;

/// Parts of a file a loader hands the writer at once (issue 15: a 100 MB file's 660,000
/// passages, held until the file was indexed, cost two and a half times the file).
const PARTS_PER_BATCH: usize = 256;

/// Batches of one file that wait for the writer before its loader waits too.
const BATCHES_AHEAD: usize = 2;

/// One part of a document on its way to the writer, in document order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// The title and language, first.
    Start {
        title: String,
        lang: Lang,
    },
    /// A section opens, its `passages` empty; the passages after it are its own.
    Section(Section),
    Passage(Passage),
}

/// What a loader thread sends the writer about one file: batches of its parts, then the end.
enum FileMessage {
    Parts(Vec<Part>),
    Done(LoadedFile),
}

/// One corpus file read, hashed and segmented: the end of its parts.
pub(crate) struct LoadedFile {
    /// Its manifest entry, but for what its parts tell (language, sections, passages).
    pub(crate) entry: SourceEntry,
    /// Warnings and the skip reason, each `PATH: REASON`.
    warnings: Vec<String>,
    /// The parts not yet sent in a batch.
    parts: Vec<Part>,
    /// Seconds spent loading it, without the time its loader waited for the writer.
    seconds: f64,
    /// It was gone when it was to be read: removed while the index was updated.
    vanished: bool,
}

/// A loader's sink: parts go to the writer in batches of [`PARTS_PER_BATCH`].
struct PartSender<'a> {
    batch: Vec<Part>,
    sender: &'a mpsc::SyncSender<FileMessage>,
    /// Time spent waiting for the writer to take a batch: not loading time.
    waited: Duration,
    /// The writer stopped (on an error): the parts left are dropped.
    writer_gone: bool,
}

impl<'a> PartSender<'a> {
    fn new(sender: &'a mpsc::SyncSender<FileMessage>) -> PartSender<'a> {
        PartSender {
            batch: Vec::new(),
            sender,
            waited: Duration::ZERO,
            writer_gone: false,
        }
    }

    fn push(&mut self, part: Part) {
        if self.writer_gone {
            return;
        }
        self.batch.push(part);
        if self.batch.len() >= PARTS_PER_BATCH {
            let batch = std::mem::take(&mut self.batch);
            let started = Instant::now();
            self.writer_gone = self.sender.send(FileMessage::Parts(batch)).is_err();
            self.waited += started.elapsed();
        }
    }
}

impl DocumentSink for PartSender<'_> {
    fn start(&mut self, title: &str, lang: Lang) {
        self.push(Part::Start {
            title: title.to_string(),
            lang,
        });
    }

    fn section(&mut self, section: Section) {
        self.push(Part::Section(section));
    }

    fn passage(&mut self, passage: Passage) {
        self.push(Part::Passage(passage));
    }
}

/// Hands the passages of `pending` to Tantivy's writer threads, which analyze them, while
/// loader threads read and segment `pending` (issue 5: indexing uses every core). Files are
/// added in order, passages in document order, so the index is the same as with one thread.
/// At most `LOAD_AHEAD_PER_THREAD` files per loader are under way, each holding at most
/// `BATCHES_AHEAD` batches of its parts besides the one its loader fills (issue 15).
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
    type Job = (Pending, mpsc::SyncSender<FileMessage>);
    let (job_sender, job_receiver) = mpsc::sync_channel::<Job>(ahead);
    let job_receiver = Mutex::new(job_receiver);
    std::thread::scope(|scope| {
        // Jobs in order, each with the channel its parts come back on; the parts' receivers
        // go to this thread in the same order, so it takes file i's parts before i+1's.
        let (order_sender, order_receiver) =
            mpsc::sync_channel::<(String, mpsc::Receiver<FileMessage>)>(ahead);
        scope.spawn(move || {
            for item in pending {
                let source = item.file.source.clone();
                let (part_sender, part_receiver) = mpsc::sync_channel(BATCHES_AHEAD);
                if job_sender.send((item, part_sender)).is_err()
                    || order_sender.send((source, part_receiver)).is_err()
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
                let Ok(Ok((item, part_sender))) = next else {
                    return;
                };
                let loaded = load_file(item, load, &part_sender);
                // The receiver is gone only when the writer stopped on an error.
                let _ = part_sender.send(FileMessage::Done(loaded));
            });
        }
        for (source, part_receiver) in order_receiver {
            let mut file = FileWriting::new(&source);
            let loaded = loop {
                match part_receiver.recv() {
                    Ok(FileMessage::Parts(parts)) => file.add(writer, fields, parts)?,
                    Ok(FileMessage::Done(loaded)) => break Some(loaded),
                    // A loader that panicked: the scope panics when it joins it.
                    Err(_) => break None,
                }
            };
            let Some(mut loaded) = loaded else {
                break;
            };
            file.add(writer, fields, std::mem::take(&mut loaded.parts))?;
            let vanished = loaded.vanished;
            // On an error the channels drop and the threads above stop.
            let entry = file.finish(writer, fields, loaded, report, observer);
            // A file gone when it was to be read has no entry: the caller counts it removed.
            if !vanished {
                entries.push(entry);
            }
        }
        Ok(entries)
    })
}

/// One file's parts as the writer adds them: the document and section the next passage
/// belongs to, and what was added.
struct FileWriting<'a> {
    source: &'a str,
    title: String,
    lang: Option<Lang>,
    section: Option<Section>,
    /// Sections opened so far: the next passage's section ordinal is one less.
    sections: usize,
    /// Sections that hold a passage, as `lete stats` counts them from the index (an empty
    /// title section, before a Markdown file's first heading, was counted by the index run
    /// and not by stats: break trial of issue 15).
    sections_with_passages: usize,
    /// The current section has a passage.
    section_has_passage: bool,
    passages: usize,
}

impl<'a> FileWriting<'a> {
    fn new(source: &'a str) -> FileWriting<'a> {
        FileWriting {
            source,
            title: String::new(),
            lang: None,
            section: None,
            sections: 0,
            sections_with_passages: 0,
            section_has_passage: false,
            passages: 0,
        }
    }

    /// Adds `parts`: each passage becomes a Tantivy document only as it is added (issue 6:
    /// the documents of a whole 100 MB file held at once were 440 MB).
    fn add(
        &mut self,
        writer: &IndexWriter<TantivyDocument>,
        fields: &Fields,
        parts: Vec<Part>,
    ) -> Result<(), TantivyError> {
        for part in parts {
            match part {
                Part::Start { title, lang } => {
                    self.title = title;
                    self.lang = Some(lang);
                }
                Part::Section(section) => {
                    self.section = Some(section);
                    self.sections += 1;
                    self.section_has_passage = false;
                }
                Part::Passage(passage) => self.add_passage(writer, fields, &passage)?,
            }
        }
        Ok(())
    }

    fn add_passage(
        &mut self,
        writer: &IndexWriter<TantivyDocument>,
        fields: &Fields,
        passage: &Passage,
    ) -> Result<(), TantivyError> {
        // Segmentation opens a section and starts a document before any passage.
        let (Some(section), Some(lang)) = (&self.section, self.lang) else {
            return Ok(());
        };
        let place = PassagePlace {
            title: &self.title,
            lang,
            source: self.source,
            section,
            section_ordinal: self.sections - 1,
            passage_ordinal: self.passages,
        };
        writer.add_document(passage_document(fields, &place, passage))?;
        self.passages += 1;
        if !self.section_has_passage {
            self.section_has_passage = true;
            self.sections_with_passages += 1;
        }
        Ok(())
    }

    /// The file's manifest entry, its warnings reported. A file its loader refused after
    /// handing on part of it leaves none of its passages: they are deleted in the same
    /// commit that added them, so the index never holds half a file.
    fn finish(
        self,
        writer: &IndexWriter<TantivyDocument>,
        fields: &Fields,
        loaded: LoadedFile,
        report: &mut IndexReport,
        observer: &dyn IndexObserver,
    ) -> SourceEntry {
        let mut entry = loaded.entry;
        report.warnings.extend(loaded.warnings);
        report.timings.load += loaded.seconds;
        if entry.skipped.is_some() {
            if self.passages > 0 {
                writer.delete_term(Term::from_field_text(fields.source, self.source));
            }
        } else {
            entry.lang = self.lang;
            entry.sections = self.sections_with_passages;
            entry.passages = self.passages;
        }
        observer.file_done(&entry);
        entry
    }
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

/// Reads (unless the comparison did), hashes and segments one file, handing its parts to
/// `sender`; a file the loader refuses becomes a warning and a manifest entry without
/// passages, so it is not re-read until it changes. The hash is that of the bytes loaded, so
/// the manifest describes what was indexed even when the file was rewritten meanwhile (issue
/// 14); its mtime is kept only when it is clearly older than the read (issue 18,
/// [`trusted_mtime`]).
fn load_file(
    item: Pending,
    load: SourceLoader<'_>,
    sender: &mpsc::SyncSender<FileMessage>,
) -> LoadedFile {
    let started = Instant::now();
    let Pending { file, read } = item;
    // Warnings name the file as the user can open it; the index stores its path inside the
    // corpus (issue 19).
    let shown = file.path.strip_prefix(".").unwrap_or(&file.path);
    let shown = shown.display().to_string();
    let read = match read {
        Some(read) => Ok(read),
        None => ReadFile::read(&file.path),
    };
    // A file removed after the corpus was listed is removed, not skipped: no warning, no
    // manifest entry, not counted as added (it was warned about and counted: break trial of
    // issue 15).
    let vanished =
        matches!(&read, Err(IngestError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound);
    let mtime_ns = read.as_ref().map_or(0, |read| recorded_mtime(&file, read));
    let mut entry = SourceEntry {
        path: file.source,
        size: file.size,
        // A file changed in the same timestamp tick as it was read, or not the file listed,
        // keeps no mtime; nor does one that could not be read, so that the next run tries it
        // again (it had stayed skipped for good, even once readable again: break trial of
        // issue 16).
        mtime_ns,
        sha256: read
            .as_ref()
            .map_or(String::new(), |read| read.sha256.clone()),
        lang: None,
        sections: 0,
        passages: 0,
        skipped: None,
    };
    let mut parts = PartSender::new(sender);
    let source = &entry.path;
    let remarks = read
        .map_err(|err| format!("{err}; skipped"))
        .and_then(|read| load(Cow::Owned(read.bytes), source, &mut parts));
    let warnings = match remarks {
        Ok(remarks) => remarks
            .iter()
            .map(|remark| format!("{shown}: {remark}"))
            .collect(),
        Err(reason) => {
            let warnings = if vanished {
                Vec::new()
            } else {
                vec![format!("{shown}: {reason}")]
            };
            entry.skipped = Some(reason);
            parts.batch.clear();
            warnings
        }
    };
    LoadedFile {
        entry,
        warnings,
        parts: parts.batch,
        seconds: started.elapsed().saturating_sub(parts.waited).as_secs_f64(),
        vanished,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::manifest::{read_manifest, ManifestState};
    use crate::index::passage::StoredPassage;
    use crate::index::schema::build_schema;
    use crate::index::testing::{segment_for_tests, test_loader, TestCorpus};
    use crate::index::{open_fresh, read_passages, OpenOptions, Refresh};
    use crate::pipeline::{load_bytes, load_bytes_into};

    /// A plain text of `paragraphs` paragraphs under a few headings, some long enough to be
    /// cut into windows: several batches of passages.
    fn long_text(paragraphs: usize) -> String {
        let mut text = String::from("Plan for samarbeid\n\n");
        for ordinal in 0..paragraphs {
            if ordinal % 300 == 0 {
                text.push_str(&format!("Del {}\n\n", ordinal / 300 + 1));
            }
            let words = if ordinal % 50 == 0 { 120 } else { 12 };
            let sentence = "Kommunene samarbeider om velferd og beredskap. ";
            text.push_str(&format!("Avsnitt {ordinal}. "));
            text.push_str(&sentence.repeat(words / 6));
            text.push_str("\n\n");
        }
        text
    }

    /// A document's parts, in the order segmentation hands them on.
    #[derive(Default)]
    struct Parts(Vec<Part>);

    impl DocumentSink for Parts {
        fn start(&mut self, title: &str, lang: Lang) {
            self.0.push(Part::Start {
                title: title.to_string(),
                lang,
            });
        }

        fn section(&mut self, section: Section) {
            self.0.push(Part::Section(section));
        }

        fn passage(&mut self, passage: Passage) {
            self.0.push(Part::Passage(passage));
        }
    }

    #[test]
    fn r15_a_files_parts_go_to_the_writer_in_batches_as_they_are_made() {
        let text = long_text(2000);
        let (sender, receiver) = mpsc::sync_channel(1000);
        let mut batches = PartSender::new(&sender);
        load_bytes_into(Cow::Borrowed(text.as_bytes()), "plan.txt", &mut batches).unwrap();
        let last = std::mem::take(&mut batches.batch);
        drop(sender);
        let mut sent = Vec::new();
        for message in receiver {
            let FileMessage::Parts(batch) = message else {
                panic!("only batches before the end");
            };
            assert_eq!(batch.len(), PARTS_PER_BATCH);
            sent.extend(batch);
        }
        assert!(
            sent.len() >= 6 * PARTS_PER_BATCH,
            "{} parts sent",
            sent.len()
        );
        assert!(last.len() < PARTS_PER_BATCH);
        sent.extend(last);
        // The same parts, in the same order, as the whole document collected.
        let mut whole = Parts::default();
        let document = load_bytes(text.as_bytes(), "plan.txt").unwrap().document;
        assert!(document.sections.len() > 5);
        document.hand_to(&mut whole);
        assert_eq!(sent, whole.0);
    }

    /// The passages a document's Tantivy documents store, as the writer made them from the
    /// whole document before issue 15.
    fn stored_from_whole(source: &str, text: &str) -> Vec<StoredPassage> {
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let document = load_bytes(text.as_bytes(), source).unwrap().document;
        let mut passage_ordinal = 0;
        let mut stored = Vec::new();
        for (section_ordinal, section) in document.sections.iter().enumerate() {
            for passage in &section.passages {
                let place = PassagePlace {
                    title: &document.title,
                    lang: document.lang,
                    source,
                    section,
                    section_ordinal,
                    passage_ordinal,
                };
                let doc = passage_document(&fields, &place, passage);
                stored.push(StoredPassage::from_doc(&fields, &doc));
                passage_ordinal += 1;
            }
        }
        stored
    }

    #[test]
    fn r15_a_file_of_many_batches_stores_the_passages_of_the_whole_document() {
        let text = long_text(2000);
        let corpus =
            TestCorpus::new(&[("plan.txt", &text), ("kort.txt", "Kort\n\nEtt avsnitt.\n")]);
        let options = OpenOptions {
            refresh: Refresh::Always,
            ..OpenOptions::default()
        };
        let fresh = open_fresh(&corpus.corpus, &corpus.index, &options).unwrap();
        let stored = read_passages(&fresh.index).unwrap();
        let plan: Vec<StoredPassage> = stored
            .into_iter()
            .filter(|passage| passage.source == "plan.txt")
            .collect();
        let whole = stored_from_whole("plan.txt", &text);
        assert!(
            whole.len() > 4 * PARTS_PER_BATCH,
            "{} passages",
            whole.len()
        );
        assert_eq!(plan, whole);
        let entry = (fresh.manifest.sources.iter())
            .find(|entry| entry.path == "plan.txt")
            .unwrap();
        let sections = 1 + whole.iter().map(|p| p.section).max().unwrap() as usize;
        assert_eq!((entry.passages, entry.sections), (whole.len(), sections));
        assert_eq!(entry.lang, Some(Lang::Nb));
    }

    /// As the test loader, but a file whose name holds `broken` is refused after three batches
    /// of its passages have gone to the writer.
    fn loader_failing_half_way(
        bytes: Cow<'_, [u8]>,
        source: &str,
        sink: &mut dyn DocumentSink,
    ) -> Result<Vec<String>, String> {
        if !source.contains("broken") {
            return test_loader(bytes, source, sink);
        }
        let text = std::str::from_utf8(&bytes).unwrap();
        let document = segment_for_tests(source, text);
        let mut parts = Parts::default();
        document.hand_to(&mut parts);
        assert!(parts.0.len() > 3 * PARTS_PER_BATCH);
        for part in parts.0.into_iter().take(3 * PARTS_PER_BATCH + 10) {
            match part {
                Part::Start { title, lang } => sink.start(&title, lang),
                Part::Section(section) => sink.section(section),
                Part::Passage(passage) => sink.passage(passage),
            }
        }
        Err("damaged half way; skipped".to_string())
    }

    #[test]
    fn r15_a_file_refused_half_way_leaves_none_of_its_passages() {
        let mut text = String::from("Plan\n\n");
        for ordinal in 0..1000 {
            text.push_str(&format!("Avsnitt {ordinal} om velferd.\n\n"));
        }
        let corpus = TestCorpus::new(&[("broken.txt", &text), ("b.txt", "Kort\n\nEtt avsnitt.\n")]);
        let build = |loader: SourceLoader<'_>| {
            let options = OpenOptions {
                refresh: Refresh::Always,
                loader,
                ..OpenOptions::default()
            };
            open_fresh(&corpus.corpus, &corpus.index, &options).unwrap()
        };
        let before = read_passages(&build(&test_loader).index).unwrap();
        assert_eq!(
            before.iter().filter(|p| p.source == "broken.txt").count(),
            1000
        );
        // Changed, and refused half way: neither its old nor its new passages stay.
        corpus.write("broken.txt", &format!("{text}Et nytt avsnitt.\n"));
        let fresh = build(&loader_failing_half_way);
        let stored = read_passages(&fresh.index).unwrap();
        let of = |source: &str| stored.iter().filter(|p| p.source == source).count();
        assert_eq!((of("broken.txt"), of("b.txt")), (0, 1));
        let report = fresh.report().unwrap();
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(report.warnings[0].ends_with("broken.txt: damaged half way; skipped"));
        let ManifestState::Current(manifest) = read_manifest(&corpus.index) else {
            panic!("manifest");
        };
        let broken = (manifest.sources.iter())
            .find(|entry| entry.path == "broken.txt")
            .unwrap();
        assert_eq!(broken.skipped.as_deref(), Some("damaged half way; skipped"));
        assert_eq!(
            (broken.lang, broken.sections, broken.passages),
            (None, 0, 0)
        );
    }
}
