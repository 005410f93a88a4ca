//! Where a passage's words stand in its source file: places in the passage text mapped to
//! source lines and columns, so that a hit can point an editor at its matched word from what
//! the index holds, without reading the file again (issue 14). The passage text is normalized
//! (hard-wrapped lines joined, hyphens rejoined, NFC, any encoding decoded), so a place cannot
//! be found by searching the file for the passage's words.

use super::passage::Piece;
use crate::ingest::Ingested;

/// Where the passage text starts following a source line, or a part of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourcePoint {
    /// Byte offset in the passage text.
    pub offset: usize,
    /// 1-based source line.
    pub line: usize,
    /// 1-based byte column in that line as decoded to UTF-8 (the column Vim's quickfix and
    /// ripgrep's `--vimgrep` count in a UTF-8 file; a byte-order mark is not counted).
    pub column: usize,
    /// Whether the text from here is a byte-for-byte copy of the decoded line. Where NFC
    /// changed it, a place further on points at this point's column.
    pub exact: bool,
}

/// A passage's source points, in text order; the first is at offset 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    points: Vec<SourcePoint>,
}

impl SourceMap {
    /// A map of `points`, which must be in text order.
    pub fn new(points: Vec<SourcePoint>) -> SourceMap {
        SourceMap { points }
    }

    pub fn points(&self) -> &[SourcePoint] {
        &self.points
    }

    /// The 1-based source line and column of byte `offset` of the passage text; `None` for
    /// an empty map.
    pub fn locate(&self, offset: usize) -> Option<(usize, usize)> {
        let at = self
            .points
            .partition_point(|point| point.offset <= offset)
            .checked_sub(1)?;
        let point = self.points[at];
        let within = if point.exact {
            offset - point.offset
        } else {
            0
        };
        Some((point.line, point.column + within))
    }
}

/// The map of the passage made of `pieces`: one point where each run of pieces of one
/// logical line starts, and one at each source line joined into it. The runs are laid out as
/// the passage text is, one line break between two.
pub(super) fn passage_map(ingested: &Ingested<'_>, pieces: &[Piece]) -> SourceMap {
    let decoded = ingested.decoded.text.as_ref();
    let mut points = Vec::new();
    let mut at = 0;
    for run in pieces.chunk_by(|a, b| a.line == b.line) {
        let (start, end) = (run[0].range.start, run[run.len() - 1].range.end);
        let anchors = ingested.lines[run[0].line].anchors();
        let first = anchors
            .partition_point(|anchor| anchor.offset <= start)
            .saturating_sub(1);
        for (index, anchor) in anchors.iter().enumerate().skip(first) {
            if index > first && anchor.offset >= end {
                break;
            }
            // The run may start inside its first anchor's piece (a sentence of a long line).
            let inside = start.saturating_sub(anchor.offset);
            let shift = if anchor.exact { inside } else { 0 };
            points.push(SourcePoint {
                offset: at + anchor.offset.max(start) - start,
                line: anchor.line,
                column: column_of(decoded, anchor.source_offset) + shift,
                exact: anchor.exact,
            });
        }
        at += end - start + 1;
    }
    SourceMap::new(points)
}

/// The 1-based byte column of decoded offset `offset`. An anchor starts a line's text after
/// its leading white space, so the line break before it is a few bytes back at most.
fn column_of(decoded: &str, offset: usize) -> usize {
    let before = &decoded[..offset];
    let line_start = match before.rfind(['\n', '\r']) {
        Some(at) => at + 1,
        // Editors do not count a byte-order mark as a column.
        None if before.starts_with('\u{feff}') => '\u{feff}'.len_utf8(),
        None => 0,
    };
    offset.saturating_sub(line_start) + 1
}

#[cfg(test)]
mod tests {
    use crate::ingest::ingest;
    use crate::lang::Lang;
    use crate::segment::segment;

    /// The line and column of the first occurrence of `word` in the passage that holds it,
    /// as the map tells them.
    fn place_of(bytes: &[u8], word: &str) -> (usize, usize) {
        let ingested = ingest(bytes).expect("ingest");
        let document = segment(&ingested, "test.txt", Lang::Nb);
        let (_, passage) = document
            .passages()
            .find(|(_, passage)| passage.text.contains(word))
            .expect("a passage holds the word");
        let offset = passage.text.find(word).expect("word");
        passage.source_map.locate(offset).expect("a map")
    }

    #[test]
    fn a_word_s_line_and_column_in_lf_crlf_and_cr_files() {
        for end in ["\n", "\r\n", "\r"] {
            let text = [
                "Tittel her",
                "",
                "Dette er en tekst om barnevern i kommunen.",
                "",
            ]
            .join(end);
            assert_eq!(place_of(text.as_bytes(), "barnevern"), (3, 22), "{end:?}");
            assert_eq!(place_of(text.as_bytes(), "Dette"), (3, 1), "{end:?}");
        }
    }

    #[test]
    fn columns_count_utf8_bytes_of_the_decoded_line_not_a_bom() {
        // Windows-1252: `æ` is one byte in the file, two in the decoded line.
        let latin = b"Tittel\n\n  Velf\xe6rd og barnevern i kommunene.\n";
        assert_eq!(place_of(latin, "barnevern"), (3, 15));
        let bom = "\u{feff}Velfærd og barnevern i kommunene.\n";
        assert_eq!(place_of(bom.as_bytes(), "barnevern"), (1, 13));
    }

    #[test]
    fn joined_lines_keep_their_own_lines_and_columns() {
        // Hard-wrapped lines are joined into one paragraph; the hyphenated `sam-funnet` is
        // one word again, placed where it starts.
        let wrapped = "Tittel\n\n\
            Kommunene arbeider med beredskap og planlegging i hele landet, og det er viktig at\n\
            alle har en plan for krisene som kan komme, slik at sam-\n\
            funnet er forberedt og barnevern fortsatt fungerer godt for alle barn i kommunen.\n\
            Det gjelder store og sm\u{e5} kommuner i alle deler av landet, ogs\u{e5} de minste.\n";
        assert_eq!(place_of(wrapped.as_bytes(), "barnevern"), (5, 24));
        assert_eq!(place_of(wrapped.as_bytes(), "samfunnet"), (4, 53));
        assert_eq!(place_of(wrapped.as_bytes(), "Det gjelder"), (6, 1));
    }

    #[test]
    fn every_passage_of_the_corpus_maps_its_first_word_to_its_line() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(corpus).expect("corpus") {
            let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
            let ingested = ingest(&bytes).expect("ingest");
            let source = std::str::from_utf8(&bytes).expect("UTF-8 corpus");
            let document = segment(&ingested, "test.txt", Lang::Nb);
            for (_, passage) in document.passages() {
                let (line, column) = passage.source_map.locate(0).expect("a map");
                assert_eq!(line, passage.line, "{passage:?}");
                let line_start = source[..passage.byte_range.start]
                    .rfind('\n')
                    .map_or(0, |at| at + 1);
                assert_eq!(column, passage.byte_range.start - line_start + 1);
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
