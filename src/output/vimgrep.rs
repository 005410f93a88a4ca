//! `--format vimgrep`: `source:line:column:snippet` per hit, the format of `rg --vimgrep`,
//! which Vim's quickfix (`:cexpr`, `-q`), Emacs' grep mode and editors' "go to" read
//! (issue 7).
//!
//! The place is the first place in the passage of a word the snippet highlights (as the old
//! search of the file found it), told by what the index holds: the passage's source map gives
//! the line and column of each place in its text (issue 14: the source file was read again
//! and the passage looked for by its first words, which failed with CR line ends and with
//! Windows-1252 text). No corpus file is opened while printing.

use crate::search::SearchHit;
use std::io::{self, Write};

/// Writes one line per hit.
pub(crate) fn write_vimgrep(out: &mut dyn Write, hits: &[SearchHit]) -> io::Result<()> {
    for hit in hits {
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
        write_vimgrep(&mut out, &[hit]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/002_kl.txt:6:1:Et stærkt civilsamfund og\n"
        );
    }
}
