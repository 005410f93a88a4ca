//! The compound lexicon stored with the index (`lete-lexicon.txt`): the words that stand
//! alone in the corpus, learned while indexing and read again by every search, so that
//! documents and queries split compounds alike.

use crate::analysis::Lexicon;
use crate::ingest::decode::decode;
use std::fs;
use std::io::{self, BufReader, Write};
use std::path::Path;

pub const LEXICON_FILE: &str = "lete-lexicon.txt";
const LEXICON_TEMP_FILE: &str = "lete-lexicon.txt.tmp";
/// The same lexicon as one FST, what searches load (issue 5: parsing the text form took most
/// of a whole `lete search` on a 100 MB index).
pub const LEXICON_FST_FILE: &str = "lete-lexicon.fst";
const LEXICON_FST_TEMP_FILE: &str = "lete-lexicon.fst.tmp";

/// The lexicon is learned from the first this many bytes of corpus text: enough for the
/// words that recur, and it bounds the extra read and the lexicon's memory on a huge corpus.
pub const LEXICON_SAMPLE_BYTES: u64 = 32 * 1024 * 1024;

/// The lexicon stored in `index_dir`; empty when there is none or it cannot be read (the
/// index then simply has fewer compound parts until `lete index --rebuild`).
pub fn read_lexicon(index_dir: &Path) -> Lexicon {
    fs::File::open(index_dir.join(LEXICON_FILE))
        .and_then(|file| Lexicon::read_from(BufReader::new(file)))
        .unwrap_or_default()
}

/// The lexicon for searching: the FST form when it is there, else the text form.
pub fn read_search_lexicon(index_dir: &Path) -> Lexicon {
    fs::read(index_dir.join(LEXICON_FST_FILE))
        .and_then(Lexicon::from_fst_bytes)
        .unwrap_or_else(|_| read_lexicon(index_dir))
}

/// Writes `lexicon` to `index_dir` atomically (temporary files renamed over the old ones),
/// the FST form first, so a text form is never older than its FST.
pub fn write_lexicon(index_dir: &Path, lexicon: &Lexicon) -> io::Result<()> {
    write_lexicon_with_fst(index_dir, lexicon, &lexicon.to_fst_bytes()?)
}

/// As [`write_lexicon`], with the FST form already made (`Lexicon::to_fst_bytes`).
pub fn write_lexicon_with_fst(index_dir: &Path, lexicon: &Lexicon, fst: &[u8]) -> io::Result<()> {
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

/// Most threads learning the lexicon at once.
const MAX_LEARN_THREADS: usize = 8;

/// Learns the words of `files` (each a path and its size on disk) into `lexicon` until its
/// sample is full: the files in order, until their sizes make up what the sample lacks (the
/// last one whole). The sample is shared between threads that each learn a run of files into
/// a lexicon of their own, then merged (issue 5: on one thread this read 32 MB at a time when
/// every other core waited). Files that cannot be read or decoded are left to the indexer,
/// which reports them.
pub fn learn_files(lexicon: &mut Lexicon, files: &[(&Path, u64)]) {
    let mut lacking = LEXICON_SAMPLE_BYTES.saturating_sub(lexicon.sample_bytes());
    let mut sample = Vec::new();
    for &(path, size) in files {
        if lacking == 0 {
            break;
        }
        sample.push((path, size));
        lacking = lacking.saturating_sub(size.max(1));
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_LEARN_THREADS)
        .min(sample.len());
    if threads <= 1 {
        for (path, _) in sample {
            learn_file(lexicon, path);
        }
        return;
    }
    // Runs of about equal bytes; the merged lexicon is the same however they are cut.
    let total: u64 = sample.iter().map(|(_, size)| size).sum();
    let per_thread = total.div_ceil(threads as u64).max(1);
    let mut runs: Vec<Vec<&Path>> = vec![Vec::new()];
    let mut in_run = 0;
    for (path, size) in sample {
        if in_run >= per_thread && runs.len() < threads {
            runs.push(Vec::new());
            in_run = 0;
        }
        runs.last_mut().expect("a run").push(path);
        in_run += size;
    }
    let learned: Vec<Lexicon> = std::thread::scope(|scope| {
        let workers: Vec<_> = runs
            .iter()
            .map(|run| {
                scope.spawn(move || {
                    let mut share = Lexicon::default();
                    for path in run {
                        learn_file(&mut share, path);
                    }
                    share
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|worker| worker.join().ok())
            .collect()
    });
    for share in learned {
        lexicon.absorb(share);
    }
}

fn learn_file(lexicon: &mut Lexicon, path: &Path) {
    let Ok(bytes) = fs::read(path) else { return };
    if let Ok(decoded) = decode(&bytes) {
        lexicon.learn_text(&decoded.text);
    }
}

pub fn is_lexicon_file(name: &str) -> bool {
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

    #[test]
    fn learning_stops_when_the_sample_is_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = dir.path().join("a.txt");
        let second = dir.path().join("b.txt");
        fs::write(&first, "samfunnet").expect("write");
        fs::write(&second, "beredskapen").expect("write");
        let mut lexicon = Lexicon::default();
        learn_files(&mut lexicon, &[(&first, 9), (&second, 11)]);
        assert!(lexicon.contains("samfunnet") && lexicon.contains("beredskapen"));
        let mut full = Lexicon::default();
        full.learn_text(&"a".repeat(LEXICON_SAMPLE_BYTES as usize));
        learn_files(&mut full, &[(&first, 9)]);
        assert!(!full.contains("samfunnet"), "the sample was full");
    }

    #[test]
    fn files_learned_on_several_threads_make_the_lexicon_one_thread_makes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let texts = [
            "Samfunnet styrker beredskapen",
            "kommunene og samfunnsberedskapen",
            "Økonomiaftalen for kommunerne",
            "beredskap, styrking og kommuneøkonomi",
            "",
        ];
        let mut files = Vec::new();
        let mut serial = Lexicon::default();
        for (at, text) in texts.iter().enumerate() {
            let path = dir.path().join(format!("{at}.txt"));
            fs::write(&path, text).expect("write");
            files.push((path, text.len() as u64));
            serial.learn_text(text);
        }
        // A file the indexer will report: learned from by no one.
        files.push((dir.path().join("missing.txt"), 100));
        let files: Vec<(&Path, u64)> = files.iter().map(|(p, size)| (p.as_path(), *size)).collect();
        let mut parallel = Lexicon::default();
        learn_files(&mut parallel, &files);
        serial.learn_parts();
        parallel.learn_parts();
        assert_eq!(parallel, serial);
        assert_eq!(parallel.sample_bytes(), serial.sample_bytes());
        assert!(parallel.contains("økonomiaftalen"));
    }
}
