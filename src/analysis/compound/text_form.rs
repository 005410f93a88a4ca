//! The lexicon's text form (`lete-lexicon.txt`): what the indexer reads back to grow the
//! lexicon with new files.

use super::lexicon::Lexicon;
use std::io::{self, BufRead, Write};

/// The first line of a stored lexicon.
const HEADER: &str = "# lete lexicon v2";

impl Lexicon {
    /// Writes the lexicon: a header with the sample size, then one entry per line, sorted:
    /// `w\tword`, `n\tstem` (Norwegian), `d\tstem` (Danish), `p\tpart` (learned). Stems are
    /// stored so that a search need not stem the lexicon to load it.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{HEADER} sample_bytes={}", self.sample_bytes)?;
        let sets = [
            ('w', &self.words),
            ('n', &self.stems[0]),
            ('d', &self.stems[1]),
            ('p', &self.parts),
        ];
        for (kind, set) in sets {
            let mut entries: Vec<&String> = set.iter().collect();
            entries.sort();
            for entry in entries {
                writeln!(out, "{kind}\t{entry}")?;
            }
        }
        Ok(())
    }

    /// Reads a lexicon written by [`Lexicon::write_to`].
    pub fn read_from(input: impl BufRead) -> io::Result<Lexicon> {
        let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let mut lines = input.lines();
        let header = lines.next().transpose()?.unwrap_or_default();
        let sample_bytes = header
            .strip_prefix(HEADER)
            .and_then(|rest| rest.trim().strip_prefix("sample_bytes="))
            .and_then(|number| number.parse().ok())
            .ok_or_else(|| invalid("not a lete lexicon (bad header)"))?;
        let mut lexicon = Lexicon {
            sample_bytes,
            ..Lexicon::default()
        };
        for line in lines {
            let line = line?;
            let (kind, entry) = line
                .split_once('\t')
                .ok_or_else(|| invalid("not a lete lexicon (bad line)"))?;
            match kind {
                "w" => lexicon.add_word(entry.to_string()),
                "n" => lexicon.add_stem(0, entry.to_string()),
                "d" => lexicon.add_stem(1, entry.to_string()),
                "p" => {
                    lexicon.parts.insert(entry.to_string());
                }
                _ => return Err(invalid("not a lete lexicon (bad entry kind)")),
            }
        }
        Ok(lexicon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compound::corpus_lexicon;

    #[test]
    fn round_trips_through_its_file_form() {
        let mut lexicon = corpus_lexicon();
        lexicon.learn_text("velfærd og kommunerne");
        let mut bytes = Vec::new();
        lexicon.write_to(&mut bytes).expect("write");
        let read = Lexicon::read_from(bytes.as_slice()).expect("read");
        assert_eq!(read, lexicon);
        assert!(Lexicon::read_from("garbage\nword\n".as_bytes()).is_err());
    }
}
