//! `lete export --format opensearch`: an index definition that uses OpenSearch's (and
//! Elasticsearch's) built-in `norwegian` and `danish` analyzers, and the passages as bulk
//! NDJSON, so that a cluster can serve the same documents when one machine is not enough
//! (issue 7).

use super::schema::{BulkAction, BulkTarget, ExportedPassage};
use crate::lang::Lang;
use serde_json::{json, Value};
use std::io::{self, Write};

/// File names inside the export folder.
pub(crate) const MAPPING_FILE: &str = "mapping.json";
pub(crate) const BULK_FILE: &str = "passages.ndjson";

/// The built-in analyzer OpenSearch and Elasticsearch name for `lang`. Nynorsk has no analyzer
/// of its own there; the Norwegian (bokmål) Snowball stemmer is what lete uses for it too.
pub(crate) fn cluster_analyzer(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb | Lang::Nn => "norwegian",
        Lang::Da => "danish",
    }
}

/// A passage's document id: its source and its ordinal in it, stable across exports of the
/// same corpus, so a second load replaces documents instead of adding copies.
pub(crate) fn passage_id(passage: &ExportedPassage) -> String {
    format!("{}#{}", passage.source, passage.passage)
}

/// A text field searchable as a whole (`standard` analyzer) and per language through the
/// sub-fields `FIELD.nb`, `FIELD.nn` and `FIELD.da`.
fn multilingual_text() -> Value {
    let sub_fields: serde_json::Map<String, Value> = Lang::ALL
        .iter()
        .map(|&lang| {
            let definition = json!({"type": "text", "analyzer": cluster_analyzer(lang)});
            (lang.code().to_string(), definition)
        })
        .collect();
    json!({"type": "text", "fields": sub_fields})
}

/// The index definition: settings and a strict mapping of every `ExportedPassage` field.
pub(crate) fn mapping(passages: usize) -> Value {
    json!({
        "settings": {
            "index": {"number_of_shards": 1}
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {
                "created_by": format!("lete {}", env!("CARGO_PKG_VERSION")),
                "passages": passages,
                "languages": "search text.nb and text.nn for Norwegian, text.da for Danish"
            },
            "properties": {
                "source": {"type": "keyword"},
                "title": multilingual_text(),
                "heading": multilingual_text(),
                "heading_path": {"type": "keyword"},
                "lang": {"type": "keyword"},
                "line": {"type": "integer"},
                "page": {"type": "integer"},
                "section": {"type": "integer"},
                "passage": {"type": "integer"},
                "boilerplate": {"type": "boolean"},
                "text": multilingual_text()
            }
        }
    })
}

/// The mapping, pretty-printed, and a newline.
pub(crate) fn write_mapping(out: &mut dyn Write, passages: usize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &mapping(passages))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The bulk body: per passage an action line naming `index_name` and the id, then the
/// document line. Ends with a newline, as the bulk API requires.
pub(crate) fn write_bulk(
    out: &mut dyn Write,
    index_name: &str,
    passages: &[ExportedPassage<'_>],
) -> io::Result<()> {
    for passage in passages {
        let action = BulkAction {
            index: BulkTarget {
                index: index_name,
                id: passage_id(passage),
            },
        };
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut *out, passage)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::StoredPassage;

    fn sample() -> StoredPassage {
        StoredPassage {
            source: "corpus/004_kl.txt".to_string(),
            title: "Kommunernes Landsforening".to_string(),
            heading: "Civilsamfund".to_string(),
            heading_path: vec!["Kommunernes Landsforening".into(), "Civilsamfund".into()],
            lang: Lang::Da,
            line: 12,
            page: Some(3),
            page_starts: Vec::new(),
            section: 3,
            passage: 17,
            boilerplate: false,
            text: "Et stærkt civilsamfund og frivillige medarbejdere.".to_string(),
            byte_range: [300, 350],
            source_map: Default::default(),
        }
    }

    #[test]
    fn the_mapping_declares_exactly_the_exported_fields() {
        let mapping = mapping(1);
        let properties = mapping["mappings"]["properties"].as_object().unwrap();
        let document = serde_json::to_value(ExportedPassage::from(&sample())).unwrap();
        let mut declared: Vec<&String> = properties.keys().collect();
        let mut exported: Vec<&String> = document.as_object().unwrap().keys().collect();
        declared.sort();
        exported.sort();
        assert_eq!(declared, exported);
        assert_eq!(mapping["mappings"]["dynamic"], "strict");
    }

    #[test]
    fn text_has_a_sub_field_per_language_with_the_built_in_analyzers() {
        let mapping = mapping(1);
        for field in ["text", "heading", "title"] {
            let sub = &mapping["mappings"]["properties"][field]["fields"];
            assert_eq!(sub["nb"]["analyzer"], "norwegian", "{field}");
            assert_eq!(sub["nn"]["analyzer"], "norwegian", "{field}");
            assert_eq!(sub["da"]["analyzer"], "danish", "{field}");
        }
    }

    #[test]
    fn bulk_pairs_an_action_with_each_document() {
        let mut out = Vec::new();
        let passage = sample();
        write_bulk(&mut out, "lete", &[ExportedPassage::from(&passage)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            r#"{"index":{"_index":"lete","_id":"corpus/004_kl.txt#17"}}"#
        );
        assert_eq!(
            lines[1],
            r#"{"source":"corpus/004_kl.txt","title":"Kommunernes Landsforening","heading":"Civilsamfund","heading_path":["Kommunernes Landsforening","Civilsamfund"],"lang":"da","line":12,"page":3,"section":3,"passage":17,"boilerplate":false,"text":"Et stærkt civilsamfund og frivillige medarbejdere."}"#
        );
        assert!(text.ends_with('\n'));
    }
}
