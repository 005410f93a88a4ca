//! The passage record: one passage as the index stores it, read back from its Tantivy
//! document. Search ranks it, output shows it and export writes it, all from this one value.

use super::schema::{heading_path_from_json, Fields};
use super::LeteIndex;
use crate::lang::Lang;
use crate::segment::source_map::{SourceMap, SourcePoint};
use tantivy::schema::document::Value;
use tantivy::{Searcher, TantivyDocument};

/// One passage as stored in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    /// Path of the source file as given to the indexer.
    pub source: String,
    pub title: String,
    /// The nearest heading above the passage, the title where there is none.
    pub heading: String,
    /// Headings from the title down to `heading`.
    pub heading_path: Vec<String>,
    pub lang: Lang,
    /// 1-based source line of the passage's first word.
    pub line: u64,
    /// 1-based page of the passage's first word, for paged formats (PDF).
    pub page: Option<u32>,
    /// Where a later page starts in `text` (byte offset, page), for a passage that goes on
    /// past a page break.
    pub page_starts: Vec<(usize, u32)>,
    /// Section ordinal within the document, for diversity across sections.
    pub section: u64,
    /// Passage ordinal within the document.
    pub passage: u64,
    /// Whether the passage belongs to a boilerplate section (ranked after real content).
    pub boilerplate: bool,
    /// The whole passage, as normalized text.
    pub text: String,
    /// The passage's byte range in the source file.
    pub byte_range: [u64; 2],
    /// The source line and column of each place in `text`.
    pub source_map: SourceMap,
}

impl StoredPassage {
    /// The stored fields of one passage's Tantivy document.
    pub fn from_doc(fields: &Fields, doc: &TantivyDocument) -> StoredPassage {
        let text = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let number = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_u64())
                .unwrap_or_default()
        };
        let title = text(fields.title);
        let line = number(fields.line);
        let source_map = doc
            .get_first(fields.source_map)
            .and_then(|value| value.as_bytes())
            .map(|bytes| decode_source_map(bytes, line))
            .unwrap_or_default();
        let page_starts = doc
            .get_first(fields.page_starts)
            .and_then(|value| value.as_bytes())
            .map(decode_page_starts)
            .unwrap_or_default();
        let mut heading = text(fields.stored_heading);
        if heading.is_empty() {
            heading = title.clone();
        }
        StoredPassage {
            source: text(fields.source),
            heading_path: heading_path_from_json(&text(fields.heading_path)),
            lang: text(fields.lang).parse().unwrap_or(Lang::Nb),
            line,
            page: u32::try_from(number(fields.page))
                .ok()
                .filter(|&page| page > 0),
            page_starts,
            section: number(fields.section),
            passage: number(fields.passage),
            boilerplate: number(fields.boilerplate) == 1,
            text: text(fields.stored_text),
            byte_range: [number(fields.byte_start), number(fields.byte_end)],
            source_map,
            title,
            heading,
        }
    }

    /// The 1-based source line and byte column of byte `offset` of the passage text (the
    /// passage's line and column 1 where the index holds no map).
    pub fn source_place(&self, offset: usize) -> (u64, u64) {
        match self.source_map.locate(offset) {
            Some((line, column)) => (line as u64, column as u64),
            None => (self.line, 1),
        }
    }

    /// The page byte `offset` of the passage text stands on, for paged formats (PDF).
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        let later = self
            .page_starts
            .iter()
            .take_while(|&&(start, _)| start <= offset)
            .map(|&(_, page)| page)
            .last();
        later.or(self.page)
    }

    /// Whether the passage's `line` is a line of its source file, as in a text, Markdown or
    /// HTML file; in a PDF (it has pages), a Word or an OpenDocument file (known by its name:
    /// a zip file under another name is not read) it is a paragraph's number.
    pub fn has_source_lines(&self) -> bool {
        let extension = std::path::Path::new(&self.source)
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        self.page.is_none() && !matches!(extension.as_deref(), Some("docx" | "odt"))
    }

    /// The heading path as the search matches it: one heading a line.
    pub fn heading_text(&self) -> String {
        self.heading_path.join("\n")
    }
}

/// A passage's later pages as stored: per page, the growth of its text offset and its page
/// number, each an unsigned LEB128 number.
pub(super) fn encode_page_starts(starts: &[(usize, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * starts.len());
    let mut offset = 0;
    for &(start, page) in starts {
        write_number(&mut out, start.saturating_sub(offset));
        write_number(&mut out, page as usize);
        offset = start;
    }
    out
}

fn decode_page_starts(mut bytes: &[u8]) -> Vec<(usize, u32)> {
    let mut starts = Vec::new();
    let mut offset: usize = 0;
    while let (Some(step), Some(page)) = (read_number(&mut bytes), read_number(&mut bytes)) {
        offset = offset.saturating_add(step);
        starts.push((offset, u32::try_from(page).unwrap_or(u32::MAX)));
    }
    starts
}

/// A source map as stored: per point, the growth of its text offset and of its line (from the
/// passage's line for the first), then its column doubled plus 1 where it is exact, each as an
/// unsigned LEB128 number. A passage of one source line takes three bytes or so.
pub(super) fn encode_source_map(map: &SourceMap, line: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * map.points().len());
    let (mut offset, mut line) = (0, line);
    for point in map.points() {
        write_number(&mut out, point.offset.saturating_sub(offset));
        write_number(&mut out, point.line.saturating_sub(line));
        write_number(&mut out, point.column * 2 + usize::from(point.exact));
        (offset, line) = (point.offset, point.line);
    }
    out
}

/// The map `encode_source_map` wrote for a passage starting on `line`; what a damaged value
/// holds up to the damage.
pub(super) fn decode_source_map(mut bytes: &[u8], line: u64) -> SourceMap {
    let mut points = Vec::new();
    let mut offset: usize = 0;
    let mut line = usize::try_from(line).unwrap_or(usize::MAX);
    while !bytes.is_empty() {
        let (Some(offset_step), Some(line_step), Some(column)) = (
            read_number(&mut bytes),
            read_number(&mut bytes),
            read_number(&mut bytes),
        ) else {
            break;
        };
        offset = offset.saturating_add(offset_step);
        line = line.saturating_add(line_step);
        points.push(SourcePoint {
            offset,
            line,
            column: column / 2,
            exact: column % 2 == 1,
        });
    }
    SourceMap::new(points)
}

/// Appends `value` as unsigned LEB128: seven bits a byte, the high bit set on all but the last.
fn write_number(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads one unsigned LEB128 number off the front of `bytes`.
fn read_number(bytes: &mut &[u8]) -> Option<usize> {
    let mut value: usize = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let shift = 7 * index as u32;
        value |= usize::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            *bytes = &bytes[index + 1..];
            return Some(value);
        }
    }
    None
}

/// Every live passage of the index, sorted by source and passage ordinal.
pub(crate) fn read_passages(
    index: &LeteIndex,
) -> Result<Vec<StoredPassage>, tantivy::TantivyError> {
    let searcher = index.index.reader()?.searcher();
    stored_passages(index, &searcher)
}

/// Every live passage `searcher` sees, sorted by source and passage ordinal.
pub(super) fn stored_passages(
    index: &LeteIndex,
    searcher: &Searcher,
) -> Result<Vec<StoredPassage>, tantivy::TantivyError> {
    let fields = &index.fields;
    let mut passages = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id)?;
            passages.push(StoredPassage::from_doc(fields, &doc));
        }
    }
    passages.sort_by(|a, b| (&a.source, a.passage).cmp(&(&b.source, b.passage)));
    Ok(passages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::{TestCorpus, KL, KS};
    use crate::index::IndexOptions;

    /// Session 25: a passage that goes on to later pages tells the page of each place.
    #[test]
    fn a_passage_knows_the_page_of_each_place() {
        let starts = vec![(120, 2), (4_000, 3)];
        assert_eq!(decode_page_starts(&encode_page_starts(&starts)), starts);
        let mut passage = crate::output::schema::tests::sample_hit().passage;
        passage.page = None;
        assert_eq!(passage.page_at(5), None);
        passage.page = Some(1);
        passage.page_starts = starts;
        let pages: Vec<Option<u32>> = [0, 119, 120, 3_999, 4_000, 9_000]
            .into_iter()
            .map(|offset| passage.page_at(offset))
            .collect();
        assert_eq!(pages, [1, 1, 2, 2, 3, 3].map(Some));
    }

    #[test]
    fn source_maps_round_trip_in_a_few_bytes() {
        let point = |offset, line, column, exact| SourcePoint {
            offset,
            line,
            column,
            exact,
        };
        let map = SourceMap::new(vec![
            point(0, 12, 1, true),
            point(81, 13, 1, true),
            point(160, 13, 200, false),
            point(40_000, 900, 3, true),
        ]);
        let bytes = encode_source_map(&map, 12);
        assert_eq!(decode_source_map(&bytes, 12), map);
        let one_line = SourceMap::new(vec![point(0, 7, 5, true)]);
        assert_eq!(encode_source_map(&one_line, 7), [0, 0, 11]);
        // A cut value gives the points before the cut, and no panic.
        assert_eq!(
            decode_source_map(&bytes[..4], 12).points(),
            &map.points()[..1]
        );
        assert_eq!(decode_source_map(&[0xff; 20], 1), SourceMap::default());
    }

    #[test]
    fn passages_come_back_in_document_order() {
        let corpus = TestCorpus::new(&[("002_kl_da.txt", KL), ("001_ks.txt", KS)]);
        corpus.update(&IndexOptions::default());
        let passages = read_passages(&corpus.open()).unwrap();
        assert_eq!(passages.len(), 3);
        assert!(passages[0].source.ends_with("001_ks.txt"));
        assert_eq!((passages[0].passage, passages[1].passage), (0, 1));
        assert_eq!(passages[1].heading, "Arbeidsgiverpolitikk");
        assert_eq!(passages[2].lang, Lang::Da);
    }
}
