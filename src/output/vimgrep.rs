//! `--format vimgrep`: `source:line:column:snippet` per hit, the format of `rg --vimgrep`,
//! which Vim's quickfix (`:cexpr`, `-q`), Emacs' grep mode and editors' "go to" read
//! (issue 7).
//!
//! The place is the first place in the passage of a word the snippet highlights (as the old
//! search of the file found it), told by what the index holds: the passage's source map gives
//! the line and column of each place in its text (issue 14: the source file was read again
//! and the passage looked for by its first words, which failed with CR line ends and with
//! Windows-1252 text). No corpus file is opened while printing.
//!
//! Only a file of lines has a place an editor can go to: a hit in a PDF, Word or OpenDocument
//! file is left out, with a note on stderr naming it (and its page), since its `line` counts
//! the paragraphs lete took out and `vim -q` would open the binary file at a line that means
//! nothing there (session 25).

use crate::search::SearchHit;
use std::io::{self, Write};

/// Writes one line per hit in a file of lines, and a note to `notes` for each other hit.
pub(crate) fn write_vimgrep(
    out: &mut dyn Write,
    notes: &mut dyn Write,
    hits: &[SearchHit],
) -> io::Result<()> {
    for hit in hits {
        if !hit.passage.has_source_lines() {
            writeln!(notes, "{}", left_out(hit))?;
            continue;
        }
        let (line, column) = place(hit);
        writeln!(
            out,
            "{}:{line}:{column}:{}",
            hit.passage.source,
            one_line(&hit.snippet)
        )?;
    }
    out.flush()
}

/// The note on a hit left out: where it is, as the pretty view gives it.
fn left_out(hit: &SearchHit) -> String {
    let page = hit
        .match_page()
        .map(|page| format!(" p. {page}"))
        .unwrap_or_default();
    format!(
        "lete: {}{page}: not a file of lines (PDF, Word, OpenDocument); left out of \
         --format vimgrep (--format jsonl gives the hit)",
        one_line(&crate::output::printable(&hit.passage.source))
    )
}

/// The 1-based line and byte column in the source file of the first place a word the hit
/// highlights stands in its passage, or of the passage's start when nothing is highlighted.
fn place(hit: &SearchHit) -> (u64, u64) {
    hit.match_place()
}

/// The snippet on one line: every run of white space (line breaks included) is one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;
    use crate::segment::source_map::{SourceMap, SourcePoint};

    /// The sample passage as the second of two joined source lines would give it: `Et stærkt`
    /// at line 5, column 37, and `civilsamfund og frivillige medarbejdere.` from line 6.
    fn joined_hit() -> SearchHit {
        let mut hit = sample_hit();
        hit.passage.line = 5;
        hit.passage.source_map = SourceMap::new(vec![
            SourcePoint {
                offset: 0,
                line: 5,
                column: 37,
                exact: true,
            },
            SourcePoint {
                offset: 11,
                line: 6,
                column: 1,
                exact: true,
            },
        ]);
        hit
    }

    #[test]
    fn points_at_the_first_highlighted_word() {
        let mut hit = joined_hit();
        hit.highlight_start = Some(3);
        assert_eq!(place(&hit), (5, 40));
        hit.highlight_start = Some(11);
        assert_eq!(place(&hit), (6, 1));
        hit.highlight_start = Some(26);
        assert_eq!(place(&hit), (6, 16));
    }

    #[test]
    fn without_a_highlight_or_a_map_the_passage_start() {
        let mut hit = joined_hit();
        hit.highlight_start = None;
        assert_eq!(place(&hit), (5, 37));
        hit.passage.source_map = SourceMap::default();
        hit.highlight_start = Some(11);
        assert_eq!(place(&hit), (5, 1));
    }

    #[test]
    fn lines_are_source_line_column_snippet() {
        let mut hit = joined_hit();
        hit.snippet = "Et stærkt\ncivilsamfund  og".to_string();
        hit.highlight_start = Some(11);
        let mut out = Vec::new();
        let mut notes = Vec::new();
        write_vimgrep(&mut out, &mut notes, &[hit]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/002_kl.txt:6:1:Et stærkt civilsamfund og\n"
        );
        assert!(notes.is_empty());
    }

    /// Session 25: a PDF's or a Word file's `line` is a paragraph's number, no line of the
    /// file: such a hit is left out, with a note naming it, and the other hits stay.
    #[test]
    fn r15_hits_in_files_without_lines_are_left_out_with_a_note() {
        let text = joined_hit();
        let mut pdf = joined_hit();
        pdf.passage.source = "corpus/rapport.pdf".to_string();
        pdf.passage.page = Some(3);
        let mut docx = joined_hit();
        docx.passage.source = "corpus/referat.DOCX".to_string();
        let mut out = Vec::new();
        let mut notes = Vec::new();
        write_vimgrep(&mut out, &mut notes, &[pdf, text, docx]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/002_kl.txt:6:1:Et stærkt civilsamfund og frivillige medarbejdere.\n"
        );
        let notes = String::from_utf8(notes).unwrap();
        let notes: Vec<&str> = notes.lines().collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].starts_with("lete: corpus/rapport.pdf p. 3: not a file of lines"),
            "{notes:?}"
        );
        assert!(
            notes[1].starts_with("lete: corpus/referat.DOCX: not a file of lines"),
            "{notes:?}"
        );
    }
}
