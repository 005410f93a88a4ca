//! The compound lexicon stored with the index (`lete-lexicon.txt`): the words that stand
//! alone in the corpus, learned while indexing and read again by every search, so that
//! documents and queries split compounds alike.

use crate::analysis::Lexicon;
use crate::ingest::decode::decode;
use std::fs;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

pub const LEXICON_FILE: &str = "lete-lexicon.txt";
const LEXICON_TEMP_FILE: &str = "lete-lexicon.txt.tmp";

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

/// Writes `lexicon` to `index_dir` atomically (a temporary file renamed over the old one).
pub fn write_lexicon(index_dir: &Path, lexicon: &Lexicon) -> io::Result<()> {
    let temp = index_dir.join(LEXICON_TEMP_FILE);
    let mut file = io::BufWriter::new(fs::File::create(&temp)?);
    lexicon.write_to(&mut file)?;
    let file = file.into_inner().map_err(|err| err.into_error())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, index_dir.join(LEXICON_FILE))
}

/// Learns the words of `paths` into `lexicon` until its sample is full. Files that cannot be
/// read or decoded are left to the indexer, which reports them.
pub fn learn_files<'a>(lexicon: &mut Lexicon, paths: impl IntoIterator<Item = &'a PathBuf>) {
    for path in paths {
        if lexicon.sample_bytes() >= LEXICON_SAMPLE_BYTES {
            break;
        }
        let Ok(bytes) = fs::read(path) else { continue };
        if let Ok(decoded) = decode(&bytes) {
            lexicon.learn_text(&decoded.text);
        }
    }
}

pub fn is_lexicon_file(name: &str) -> bool {
    name == LEXICON_FILE || name == LEXICON_TEMP_FILE
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
    }

    #[test]
    fn learning_stops_when_the_sample_is_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = dir.path().join("a.txt");
        let second = dir.path().join("b.txt");
        fs::write(&first, "samfunnet").expect("write");
        fs::write(&second, "beredskapen").expect("write");
        let mut lexicon = Lexicon::default();
        learn_files(&mut lexicon, [&first, &second]);
        assert!(lexicon.contains("samfunnet") && lexicon.contains("beredskapen"));
    }
}
