//! The Tantivy schema: one Tantivy document per passage, its field names, and how a passage
//! becomes a Tantivy document.

use super::passage::{encode_page_starts, encode_source_map};
use crate::analysis::{analyzer_name, PLAIN_ANALYZER_NAME};
use crate::lang::Lang;
use crate::segment::{Passage, Section};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

/// Bump whenever the fields, their options or the analyzers change: an index written with
/// another version is rebuilt, never misread (issue 3). 4: each passage's source map
/// (issue 14). 5: sources are paths inside the corpus folder (issue 19). 6: the source is a
/// fast field, so a search sees which documents its candidates come from before reading them
/// (issue 17). 7: each passage's page, for PDF (issue 15). 8: words with digits are not
/// stemmed (issue 15). 9: the heading fields hold the whole heading path, title included
/// (issue 15). 10: where a passage goes on to a later page (issue 15).
pub const SCHEMA_VERSION: u32 = 10;

/// Field names, in one place so that the writer, the search and the tests agree.
pub(crate) mod names {
    pub(crate) const SOURCE: &str = "source";
    pub(crate) const TITLE: &str = "title";
    pub(crate) const LANG: &str = "lang";
    pub(crate) const TEXT_NB: &str = "text_nb";
    pub(crate) const TEXT_NN: &str = "text_nn";
    pub(crate) const TEXT_DA: &str = "text_da";
    pub(crate) const HEADING_NB: &str = "heading_nb";
    pub(crate) const HEADING_NN: &str = "heading_nn";
    pub(crate) const HEADING_DA: &str = "heading_da";
    pub(crate) const STORED_TEXT: &str = "stored_text";
    pub(crate) const STORED_HEADING: &str = "stored_heading";
    pub(crate) const HEADING_PATH: &str = "heading_path";
    pub(crate) const LINE: &str = "line";
    pub(crate) const PAGE: &str = "page";
    pub(crate) const SECTION: &str = "section";
    pub(crate) const PASSAGE: &str = "passage";
    pub(crate) const BOILERPLATE: &str = "boilerplate";
    pub(crate) const BYTE_START: &str = "byte_start";
    pub(crate) const BYTE_END: &str = "byte_end";
    pub(crate) const SOURCE_MAP: &str = "source_map";
    pub(crate) const PAGE_STARTS: &str = "page_starts";
}

/// Handles of every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The path inside the corpus folder: raw, so `delete_term` and `source:` match it whole.
    pub source: Field,
    /// Document title: plain analyzer (no stemming), stored.
    pub title: Field,
    /// `nb`, `nn` or `da`: raw, for `--lang` and `lang:`.
    pub lang: Field,
    text: [Field; 3],
    heading: [Field; 3],
    /// The passage text as shown in hits; the language fields above are not stored.
    pub stored_text: Field,
    pub stored_heading: Field,
    /// The heading path as a JSON array: a heading may hold any separator.
    pub heading_path: Field,
    pub line: Field,
    /// 1-based page of a paged format's passage (PDF), 0 for formats without pages.
    pub page: Field,
    /// Section ordinal within the document, for diversity across sections.
    pub section: Field,
    /// Passage ordinal within the document.
    pub passage: Field,
    /// 1 for passages of a boilerplate section, ranked down by search.
    pub boilerplate: Field,
    pub byte_start: Field,
    pub byte_end: Field,
    /// Where the passage's words stand in the source file (`index::passage::encode_source_map`).
    pub source_map: Field,
    /// Where a later page starts in a passage's text (`index::passage::encode_page_starts`).
    pub page_starts: Field,
}

impl Fields {
    /// Resolves every field by name; `None` when the schema is not this version's.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let field = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            source: field(names::SOURCE)?,
            title: field(names::TITLE)?,
            lang: field(names::LANG)?,
            text: [
                field(names::TEXT_NB)?,
                field(names::TEXT_NN)?,
                field(names::TEXT_DA)?,
            ],
            heading: [
                field(names::HEADING_NB)?,
                field(names::HEADING_NN)?,
                field(names::HEADING_DA)?,
            ],
            stored_text: field(names::STORED_TEXT)?,
            stored_heading: field(names::STORED_HEADING)?,
            heading_path: field(names::HEADING_PATH)?,
            line: field(names::LINE)?,
            page: field(names::PAGE)?,
            section: field(names::SECTION)?,
            passage: field(names::PASSAGE)?,
            boilerplate: field(names::BOILERPLATE)?,
            byte_start: field(names::BYTE_START)?,
            byte_end: field(names::BYTE_END)?,
            source_map: field(names::SOURCE_MAP)?,
            page_starts: field(names::PAGE_STARTS)?,
        })
    }

    /// The field holding passage text in `lang`, analyzed with that language's stemmer.
    pub fn text(&self, lang: Lang) -> Field {
        self.text[lang_slot(lang)]
    }

    /// The field holding the heading path (title and headings above the passage) in `lang`,
    /// analyzed with that language's stemmer.
    pub fn heading(&self, lang: Lang) -> Field {
        self.heading[lang_slot(lang)]
    }
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Nb => 0,
        Lang::Nn => 1,
        Lang::Da => 2,
    }
}

fn text_field_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => names::TEXT_NB,
        Lang::Nn => names::TEXT_NN,
        Lang::Da => names::TEXT_DA,
    }
}

fn heading_field_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => names::HEADING_NB,
        Lang::Nn => names::HEADING_NN,
        Lang::Da => names::HEADING_DA,
    }
}

/// Indexed with positions (phrase queries need them), not stored.
fn analyzed(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// The schema of this `SCHEMA_VERSION`.
pub(crate) fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    // The source is a fast field too: one document must not fill a search's page (issue 17).
    builder.add_text_field(names::SOURCE, STRING | STORED | FAST);
    builder.add_text_field(names::TITLE, analyzed(PLAIN_ANALYZER_NAME) | STORED);
    // Language and heading path are also fast fields: a search bounds a candidate's rank by
    // them before it reads the passage from the store (issue 5).
    builder.add_text_field(names::LANG, STRING | STORED | FAST);
    for lang in Lang::ALL {
        builder.add_text_field(text_field_name(lang), analyzed(analyzer_name(lang)));
    }
    for lang in Lang::ALL {
        builder.add_text_field(heading_field_name(lang), analyzed(analyzer_name(lang)));
    }
    builder.add_text_field(names::STORED_TEXT, STORED);
    builder.add_text_field(names::STORED_HEADING, STORED);
    builder.add_text_field(names::HEADING_PATH, stored_and_fast());
    builder.add_u64_field(names::LINE, STORED);
    builder.add_u64_field(names::PAGE, STORED);
    builder.add_u64_field(names::SECTION, STORED | FAST);
    builder.add_u64_field(names::PASSAGE, STORED);
    builder.add_u64_field(names::BOILERPLATE, INDEXED | STORED | FAST);
    builder.add_u64_field(names::BYTE_START, STORED);
    builder.add_u64_field(names::BYTE_END, STORED);
    builder.add_bytes_field(names::SOURCE_MAP, STORED);
    builder.add_bytes_field(names::PAGE_STARTS, STORED);
    builder.build()
}

/// A stored text field whose whole value is also a fast field.
pub(crate) fn stored_and_fast() -> TextOptions {
    TextOptions::default().set_stored().set_fast("raw")
}

/// Where a passage sits in its document.
pub(crate) struct PassagePlace<'a> {
    /// The document's title.
    pub title: &'a str,
    pub lang: Lang,
    /// The source path as given to the indexer, so that deletes by source always match what
    /// was added.
    pub source: &'a str,
    pub section: &'a Section,
    pub section_ordinal: usize,
    pub passage_ordinal: usize,
}

/// The Tantivy document for one passage.
pub(crate) fn passage_document(
    fields: &Fields,
    place: &PassagePlace<'_>,
    passage: &Passage,
) -> TantivyDocument {
    let lang = place.lang;
    let section = place.section;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.source, place.source);
    doc.add_text(fields.title, place.title);
    doc.add_text(fields.lang, lang.code());
    doc.add_text(fields.text(lang), &passage.text);
    doc.add_text(
        fields.heading(lang),
        heading_path_words(&section.heading_path),
    );
    doc.add_text(fields.stored_text, &passage.text);
    doc.add_text(fields.stored_heading, &section.heading);
    doc.add_text(
        fields.heading_path,
        heading_path_json(&section.heading_path),
    );
    doc.add_u64(fields.line, passage.line as u64);
    doc.add_u64(fields.page, passage.page.map_or(0, u64::from));
    doc.add_u64(fields.section, place.section_ordinal as u64);
    doc.add_u64(fields.passage, place.passage_ordinal as u64);
    doc.add_u64(fields.boilerplate, u64::from(section.boilerplate));
    doc.add_u64(fields.byte_start, passage.byte_range.start as u64);
    doc.add_u64(fields.byte_end, passage.byte_range.end as u64);
    doc.add_bytes(
        fields.source_map,
        &encode_source_map(&passage.source_map, passage.line),
    );
    if !passage.page_starts.is_empty() {
        doc.add_bytes(
            fields.page_starts,
            &encode_page_starts(&passage.page_starts),
        );
    }
    doc
}

/// What a passage's heading fields hold: its whole heading path, from the title down, which is
/// what ranking counts a passage's heading words in. A title from a document's properties (a
/// PDF's, a Word file's, an HTML `<title>`, Markdown front matter) is often in no line of its
/// text, and with only the nearest heading indexed its words found nothing without `title:`
/// (issue 15). With the heading path rather than the title alone, the parent headings'
/// words find a passage too, as they already count once it is found; the relevance figures
/// of every query set were the same for both.
fn heading_path_words(path: &[String]) -> String {
    path.join("\n")
}

/// A heading path as stored: a JSON array of strings.
pub(crate) fn heading_path_json(path: &[String]) -> String {
    // Serializing a slice of strings cannot fail.
    serde_json::to_string(path).unwrap_or_else(|_| "[]".to_string())
}

/// The stored heading path back as a list; an unreadable value yields an empty path.
pub(crate) fn heading_path_from_json(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_resolves_in_the_built_schema() {
        let schema = build_schema();
        let fields = Fields::from_schema(&schema).expect("fields");
        assert_eq!(schema.get_field_name(fields.text(Lang::Da)), "text_da");
        assert_eq!(
            schema.get_field_name(fields.heading(Lang::Nn)),
            "heading_nn"
        );
    }

    #[test]
    fn an_older_schema_does_not_resolve() {
        let mut builder = Schema::builder();
        builder.add_text_field("source", STRING | STORED);
        assert!(Fields::from_schema(&builder.build()).is_none());
    }

    #[test]
    fn heading_path_round_trips_with_any_separator() {
        let path = vec![
            "Kommune › plan".to_string(),
            "Mål / tiltak; \"2024\"".to_string(),
        ];
        assert_eq!(heading_path_from_json(&heading_path_json(&path)), path);
    }
}
