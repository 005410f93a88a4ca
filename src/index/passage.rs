//! The passage record: one passage as the index stores it, read back from its Tantivy
//! document. Search ranks it, output shows it and export writes it, all from this one value.

use super::schema::{heading_path_from_json, Fields};
use super::LeteIndex;
use crate::lang::Lang;
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
        let mut heading = text(fields.stored_heading);
        if heading.is_empty() {
            heading = title.clone();
        }
        StoredPassage {
            source: text(fields.source),
            heading_path: heading_path_from_json(&text(fields.heading_path)),
            lang: text(fields.lang).parse().unwrap_or(Lang::Nb),
            line: number(fields.line),
            section: number(fields.section),
            passage: number(fields.passage),
            boilerplate: number(fields.boilerplate) == 1,
            text: text(fields.stored_text),
            byte_range: [number(fields.byte_start), number(fields.byte_end)],
            title,
            heading,
        }
    }

    /// The heading path as the search matches it: one heading a line.
    pub fn heading_text(&self) -> String {
        self.heading_path.join("\n")
    }
}

/// Every live passage of the index, sorted by source and passage ordinal.
pub fn read_passages(index: &LeteIndex) -> Result<Vec<StoredPassage>, tantivy::TantivyError> {
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
    use crate::index::testing::TestCorpus;
    use crate::index::IndexOptions;

    const KS: &str = "Kommunesektorens organisasjon\n\n\
        KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring.\n\n\
        ## Arbeidsgiverpolitikk\n\
        Kommunene må rekruttere og beholde medarbeidere.\n";
    const KL: &str = "Kommunernes Landsforening\n\n\
        De demografiske udfordringer kræver nye løsninger i kommunerne.\n";

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
