//! The compound lexicon stored with the index (`lete-lexicon.txt`): the words that stand
//! alone in the corpus, learned while indexing and read again by every search, so that
//! documents and queries split compounds alike.

use super::changes::Pending;
use super::load::{read_in_runs, SourceLoader};
use super::manifest::FileStamp;
use crate::analysis::{Lexicon, WordTokenizer};
use crate::lang::Lang;
#[cfg(test)]
use crate::segment::Document;
use crate::segment::{DocumentSink, Passage, Section};
use std::borrow::Cow;
use std::fs;
use std::io::{self, BufReader, Write};
use std::ops::Range;
use std::path::Path;
use tantivy::tokenizer::{TokenStream, Tokenizer};

pub(crate) const LEXICON_FILE: &str = "lete-lexicon.txt";
const LEXICON_TEMP_FILE: &str = "lete-lexicon.txt.tmp";
/// The same lexicon as one FST, what searches load (issue 5: parsing the text form took most
/// of a whole `lete search` on a 100 MB index).
pub(crate) const LEXICON_FST_FILE: &str = "lete-lexicon.fst";
const LEXICON_FST_TEMP_FILE: &str = "lete-lexicon.fst.tmp";

/// The lexicon is learned from the first this many bytes of corpus text: enough for the
/// words that recur, and it bounds the extra read and the lexicon's memory on a huge corpus.
pub(crate) const LEXICON_SAMPLE_BYTES: u64 = 32 * 1024 * 1024;

/// The lexicon stored in `index_dir`; empty when there is none or it cannot be read (the
/// index then simply has fewer compound parts until `lete index --rebuild`).
pub(crate) fn read_lexicon(index_dir: &Path) -> Lexicon {
    fs::File::open(index_dir.join(LEXICON_FILE))
        .and_then(|file| Lexicon::read_from(BufReader::new(file)))
        .unwrap_or_default()
}

/// The lexicon for searching: the FST form when it is there, else the text form.
pub(crate) fn read_search_lexicon(index_dir: &Path) -> Lexicon {
    read_search_lexicon_marked(index_dir).0
}

/// As [`read_search_lexicon`], with the stamp of the FST bytes it was read from: two reads
/// with the same stamp read the same lexicon, and the manifest records the stamp the index
/// was written with. None when it was not read from its FST form (missing or damaged).
pub(crate) fn read_search_lexicon_marked(index_dir: &Path) -> (Lexicon, Option<FileStamp>) {
    let read = fs::read(index_dir.join(LEXICON_FST_FILE)).and_then(|bytes| {
        let stamp = FileStamp::of_bytes(&bytes);
        Ok((Lexicon::from_fst_bytes(bytes)?, stamp))
    });
    match read {
        Ok((lexicon, stamp)) => (lexicon, Some(stamp)),
        Err(_) => (read_lexicon(index_dir), None),
    }
}

#[cfg(test)]
/// Writes `lexicon` to `index_dir` atomically (temporary files renamed over the old ones),
/// the FST form first, so a text form is never older than its FST.
pub(crate) fn write_lexicon(index_dir: &Path, lexicon: &Lexicon) -> io::Result<()> {
    write_lexicon_with_fst(index_dir, lexicon, &lexicon.to_fst_bytes()?)
}

/// As [`write_lexicon`], with the FST form already made (`Lexicon::to_fst_bytes`).
pub(crate) fn write_lexicon_with_fst(
    index_dir: &Path,
    lexicon: &Lexicon,
    fst: &[u8],
) -> io::Result<()> {
    let fst_temp = index_dir.join(LEXICON_FST_TEMP_FILE);
    let mut file = fs::File::create(&fst_temp)?;
    file.write_all(fst)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&fst_temp, index_dir.join(LEXICON_FST_FILE))?;
    let temp = index_dir.join(LEXICON_TEMP_FILE);
    let mut file = io::BufWriter::new(fs::File::create(&temp)?);
    lexicon.write_to(&mut file)?;
    let file = file.into_inner().map_err(|err| err.into_error())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, index_dir.join(LEXICON_FILE))
}

/// Most threads loading the sample at once.
const MAX_LEARN_THREADS: usize = 8;

/// Reads and loads the files at the head of `pending` that make up what the lexicon's sample
/// lacks (the files in order, until their sizes fill it, the last one whole) and learns their
/// words into `lexicon`. Each file is read once (issue 14): its bytes stay in `pending`, for
/// the writer to load again, as its documents would take three times the memory (a 1 GB
/// build peaked 56 MiB higher holding them) and segmenting 32 MB again costs a fraction of a
/// second. The sample is read on several threads, each learning into a lexicon of its own,
/// merged after; the merged lexicon is the same however the files are shared out. A file
/// that cannot be read or loaded teaches nothing (the indexer reports it).
pub(crate) fn learn_sample(
    lexicon: &mut Lexicon,
    pending: &mut Vec<Pending>,
    load: SourceLoader<'_>,
) {
    let mut lacking = LEXICON_SAMPLE_BYTES.saturating_sub(lexicon.sample_bytes());
    let mut in_sample = 0;
    for item in pending.iter() {
        if lacking == 0 {
            break;
        }
        in_sample += 1;
        lacking = lacking.saturating_sub(item.file.size.max(1));
    }
    if in_sample == 0 {
        return;
    }
    let rest = pending.split_off(in_sample);
    let sample = std::mem::replace(pending, rest);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_LEARN_THREADS);
    let learn = |lexicon: &mut Lexicon, item: &Pending| learn_file(lexicon, item, load);
    let (read, shares) = read_in_runs(sample, threads, learn);
    for share in shares {
        lexicon.absorb(share);
    }
    pending.splice(0..0, read);
}

/// Learns the words of one read file of the sample, as the loader hands them on. A loader
/// refuses a file before it hands on any part of it (the pipeline's checks every file whole
/// before segmenting it), so a refused file teaches nothing.
fn learn_file(lexicon: &mut Lexicon, item: &Pending, load: SourceLoader<'_>) {
    let Some(read) = &item.read else {
        return;
    };
    let mut learning = Learning::new(lexicon);
    if load(Cow::Borrowed(&read.bytes), &item.file.source, &mut learning).is_ok() {
        lexicon.add_sample_bytes(read.bytes.len() as u64);
    }
}

/// Learns the words of `document` as the indexer's word tokenizer cuts them (issue 14: the
/// lexicon has no word rule of its own), counting `source_bytes` of corpus text learned from.
/// The title and headings are learned with the passages, whether or not a passage repeats
/// them.
#[cfg(test)]
pub(crate) fn learn_document(lexicon: &mut Lexicon, document: &Document, source_bytes: u64) {
    document.clone().hand_to(&mut Learning::new(lexicon));
    lexicon.add_sample_bytes(source_bytes);
}

/// A document's words learned as segmentation hands it on: its title, each heading, each
/// passage.
struct Learning<'a> {
    lexicon: &'a mut Lexicon,
    words: Words,
}

impl<'a> Learning<'a> {
    fn new(lexicon: &'a mut Lexicon) -> Learning<'a> {
        Learning {
            lexicon,
            words: Words::default(),
        }
    }
}

impl DocumentSink for Learning<'_> {
    fn start(&mut self, title: &str, _lang: Lang) {
        self.words.learn(self.lexicon, title);
    }

    fn section(&mut self, section: Section) {
        self.words.learn(self.lexicon, &section.heading);
    }

    fn passage(&mut self, passage: Passage) {
        self.words.learn(self.lexicon, &passage.text);
    }
}

/// The words of one text, kept in one buffer: a text's words go to the lexicon together,
/// and most are seen before, so they cost no allocation of their own.
#[derive(Default)]
struct Words {
    text: String,
    ranges: Vec<Range<usize>>,
}

impl Words {
    fn learn(&mut self, lexicon: &mut Lexicon, text: &str) {
        self.text.clear();
        self.ranges.clear();
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {
            let start = self.text.len();
            self.text.push_str(&stream.token().text);
            self.ranges.push(start..self.text.len());
        }
        let words = &self.text;
        lexicon.extend(self.ranges.iter().map(|range| &words[range.clone()]));
    }
}

pub(crate) fn is_lexicon_file(name: &str) -> bool {
    [
        LEXICON_FILE,
        LEXICON_TEMP_FILE,
        LEXICON_FST_FILE,
        LEXICON_FST_TEMP_FILE,
    ]
    .contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::{segment_for_tests, test_loader};
    use crate::ingest::{list_corpus, FileSelection};

    #[test]
    fn a_written_lexicon_reads_back_and_a_missing_one_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(read_lexicon(dir.path()).is_empty());
        let mut lexicon = Lexicon::default();
        lexicon.learn_text("samfunnet og beredskapen");
        write_lexicon(dir.path(), &lexicon).expect("write");
        assert_eq!(read_lexicon(dir.path()), lexicon);
        assert!(!dir.path().join(LEXICON_TEMP_FILE).exists());
        let searched = read_search_lexicon(dir.path());
        assert!(searched.contains("samfunnet") && searched.len() == lexicon.len());
        fs::remove_file(dir.path().join(LEXICON_FST_FILE)).expect("remove fst");
        assert_eq!(
            read_search_lexicon(dir.path()),
            lexicon,
            "falls back to the text"
        );
    }

    /// The test corpus's files, in order, to be indexed.
    fn pending(dir: &Path, texts: &[&str]) -> Vec<Pending> {
        for (at, text) in texts.iter().enumerate() {
            fs::write(dir.join(format!("{at}.txt")), text).expect("write");
        }
        let listing = list_corpus(dir, &FileSelection::default()).expect("list");
        let pending = listing.files.into_iter();
        pending.map(|file| Pending { file, read: None }).collect()
    }

    #[test]
    fn learning_stops_when_the_sample_is_full_and_the_sample_is_loaded_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut files = pending(dir.path(), &["Samfunnet\n", "Beredskapen\n"]);
        let mut lexicon = Lexicon::default();
        learn_sample(&mut lexicon, &mut files, &test_loader);
        assert!(lexicon.contains("samfunnet") && lexicon.contains("beredskapen"));
        assert_eq!(lexicon.sample_bytes(), 10 + 12);
        assert_eq!(files.len(), 2, "handed on for indexing");
        assert!(
            files.iter().all(|item| item.read.is_some()),
            "with the bytes read, so the writer does not read them again"
        );
        let other = tempfile::tempdir().expect("tempdir");
        let mut files = pending(other.path(), &["Samfunnet\n"]);
        let mut full = Lexicon::default();
        full.learn_text(&"a".repeat(LEXICON_SAMPLE_BYTES as usize));
        learn_sample(&mut full, &mut files, &test_loader);
        assert!(!full.contains("samfunnet"), "the sample was full");
        assert_eq!(files.len(), 1, "left to load while writing");
        assert!(files[0].read.is_none(), "not read yet");
    }

    #[test]
    fn words_are_the_indexing_tokenizer_s() {
        let document = segment_for_tests(
            "a.txt",
            "Kommunens beredskap\n\nKS's samfunns\u{AD}beredskap, 2024-budsjettet og covid19.\n",
        );
        let mut lexicon = Lexicon::default();
        learn_document(&mut lexicon, &document, 77);
        for word in ["kommunens", "beredskap", "samfunnsberedskap", "budsjettet"] {
            assert!(lexicon.contains(word), "{word}");
        }
        // Tokens with a digit or an apostrophe are no words of the lexicon.
        for word in ["covid", "samfunns", "ks's"] {
            assert!(!lexicon.contains(word), "{word}");
        }
        assert_eq!(lexicon.sample_bytes(), 77);
    }

    #[test]
    fn files_learned_on_several_threads_make_the_lexicon_one_thread_makes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let texts = [
            "Samfunnet\n\nSamfunnet styrker beredskapen",
            "Kommunene\n\nkommunene og samfunnsberedskapen",
            "Økonomiaftalen\n\nØkonomiaftalen for kommunerne",
            "Beredskap\n\nberedskap, styrking og kommuneøkonomi",
            "\0binary",
        ];
        let mut files = pending(dir.path(), &texts);
        let mut serial = Lexicon::default();
        for text in &texts[..4] {
            let document = segment_for_tests("a.txt", text);
            learn_document(&mut serial, &document, text.len() as u64);
        }
        let mut parallel = Lexicon::default();
        learn_sample(&mut parallel, &mut files, &test_loader);
        assert_eq!(files.len(), 5);
        serial.learn_parts();
        parallel.learn_parts();
        assert_eq!(parallel, serial);
        assert_eq!(parallel.sample_bytes(), serial.sample_bytes());
        assert!(parallel.contains("økonomiaftalen"));
    }
}
