//! What a passage's fast fields tell before it is read from the store: its language, its
//! heading path (as the matcher reads it) and whether it is boilerplate. With them a
//! candidate's ceiling is as tight as reading it would make it, so only the candidates that
//! can still reach the hits shown are read (issue 5: with one ceiling for every unread
//! candidate, a search read all 100 nearly every time).

use crate::index::schema::{heading_path_from_json, names};
use crate::lang::Lang;
use std::collections::HashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, Searcher};

/// The fast-field columns of each segment a search meets, opened on first use.
pub(super) struct PassageColumns<'a> {
    searcher: &'a Searcher,
    /// By segment ordinal; `None` where a column is missing (then the loose bound applies).
    segments: HashMap<u32, Option<SegmentColumns>>,
}

/// One segment's columns.
struct SegmentColumns {
    lang: StrColumn,
    heading_path: StrColumn,
    boilerplate: Column<u64>,
    /// Languages by ordinal, as read.
    langs: HashMap<u64, Option<Lang>>,
}

/// A passage's language and heading path as ordinals in its segment's columns, and whether it
/// is boilerplate.
#[derive(Debug, Clone, Copy)]
pub(super) struct PassageOrdinals {
    pub lang: u64,
    pub heading: u64,
    pub boilerplate: bool,
}

impl<'a> PassageColumns<'a> {
    pub(super) fn new(searcher: &'a Searcher) -> PassageColumns<'a> {
        PassageColumns {
            searcher,
            segments: HashMap::new(),
        }
    }

    /// The ordinals of the passage at `address`; `None` when its segment lacks a column.
    pub(super) fn ordinals(&mut self, address: DocAddress) -> Option<PassageOrdinals> {
        let searcher = self.searcher;
        let columns = self
            .segments
            .entry(address.segment_ord)
            .or_insert_with(|| {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                Some(SegmentColumns {
                    lang: fast.str(names::LANG).ok()??,
                    heading_path: fast.str(names::HEADING_PATH).ok()??,
                    boilerplate: fast.u64(names::BOILERPLATE).ok()?,
                    langs: HashMap::new(),
                })
            })
            .as_ref()?;
        let doc = address.doc_id;
        Some(PassageOrdinals {
            lang: columns.lang.term_ords(doc).next()?,
            heading: columns.heading_path.term_ords(doc).next()?,
            boilerplate: columns.boilerplate.first(doc)? != 0,
        })
    }

    /// The language of ordinal `ord` in segment `segment`.
    pub(super) fn lang(&mut self, segment: u32, ord: u64) -> Option<Lang> {
        let columns = self.segments.get_mut(&segment)?.as_mut()?;
        let column = &columns.lang;
        *columns.langs.entry(ord).or_insert_with(|| {
            let mut text = String::new();
            column.ord_to_str(ord, &mut text).ok()?.then_some(())?;
            text.parse().ok()
        })
    }

    /// The heading path of ordinal `ord` in segment `segment`, as the matcher reads it (one
    /// heading a line).
    pub(super) fn heading_text(&self, segment: u32, ord: u64) -> Option<String> {
        let columns = self.segments.get(&segment)?.as_ref()?;
        let mut text = String::new();
        columns
            .heading_path
            .ord_to_str(ord, &mut text)
            .ok()?
            .then_some(())?;
        Some(heading_path_from_json(&text).join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{open_fresh, OpenOptions, StoredPassage};
    use tantivy::TantivyDocument;

    /// The ceilings are sound only if the fast fields tell what the stored passage says.
    #[test]
    fn fast_fields_give_each_passage_s_stored_language_heading_and_boilerplate() {
        // The bundled corpus through the real pipeline: nested headings, and a scraped list
        // of titles that is boilerplate.
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let index_dir = dir.path().join("index");
        let index = open_fresh(&corpus, &index_dir, &OpenOptions::default())
            .expect("build")
            .index;
        let searcher = index.reader().expect("reader").searcher();
        let mut columns = PassageColumns::new(&searcher);
        let mut headings = Vec::new();
        let mut boilerplate = false;
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in 0..segment.max_doc() {
                let address = DocAddress::new(segment_ord as u32, doc_id);
                let doc: TantivyDocument = searcher.doc(address).expect("doc");
                let stored = StoredPassage::from_doc(&index.fields, &doc);
                let ordinals = columns.ordinals(address).expect("fast ordinals");
                assert_eq!(
                    columns.lang(address.segment_ord, ordinals.lang),
                    Some(stored.lang)
                );
                assert_eq!(
                    columns.heading_text(address.segment_ord, ordinals.heading),
                    Some(stored.heading_text())
                );
                assert_eq!(ordinals.boilerplate, stored.boilerplate);
                boilerplate |= stored.boilerplate;
                headings.push(stored.heading_text());
            }
        }
        assert!(headings.len() >= 100, "{}", headings.len());
        assert!(headings.iter().any(|path| path.lines().count() >= 2));
        assert!(boilerplate, "the scraped list of titles is boilerplate");
    }
}
