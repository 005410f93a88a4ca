//! The bare-Tantivy baseline `lete bench` compares lete with: the same passages, fields and
//! stored values, Tantivy's default tokenizer (no folding, stemming or compound parts), the
//! same writer heap and threads. The passages come from a dump the bench writes while it
//! segments the corpus, so the baseline measures Tantivy's indexing alone.

use crate::index::schema::stored_and_fast;
use crate::index::{create_configured_index, open_configured_writer, settle_segments};
use crate::segment::Document;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;
use tantivy::schema::{Schema, FAST, INDEXED, STORED, STRING, TEXT};
use tantivy::TantivyDocument;

/// Passages read ahead of the writer: bounds the memory whatever the dump's size.
const READ_AHEAD: usize = 4096;

/// One passage of the dump, one JSON object per line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DumpPassage {
    pub source: String,
    pub title: String,
    pub lang: String,
    pub heading: String,
    pub heading_path: String,
    pub text: String,
    pub line: u64,
    pub section: u64,
    pub passage: u64,
    pub boilerplate: bool,
    pub byte_start: u64,
    pub byte_end: u64,
}

/// Appends every passage of `document` to the dump.
pub fn dump_document(out: &mut impl Write, document: &Document, source: &str) -> io::Result<()> {
    let mut ordinal = 0;
    for (section_ordinal, section) in document.sections.iter().enumerate() {
        for passage in &section.passages {
            let dumped = DumpPassage {
                source: source.to_string(),
                title: document.title.clone(),
                lang: document.lang.code().to_string(),
                heading: section.heading.clone(),
                heading_path: crate::index::schema::heading_path_json(&section.heading_path),
                text: passage.text.clone(),
                line: passage.line as u64,
                section: section_ordinal as u64,
                passage: ordinal,
                boilerplate: section.boilerplate,
                byte_start: passage.byte_range.start as u64,
                byte_end: passage.byte_range.end as u64,
            };
            serde_json::to_writer(&mut *out, &dumped)?;
            out.write_all(b"\n")?;
            ordinal += 1;
        }
    }
    Ok(())
}

/// lete's fields, each analyzed field on Tantivy's default tokenizer (with positions, as
/// lete's), one text and one heading field instead of one per language.
fn baseline_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field("source", STRING | STORED);
    builder.add_text_field("title", TEXT | STORED);
    builder.add_text_field("lang", STRING | STORED | FAST);
    builder.add_text_field("text", TEXT);
    builder.add_text_field("heading", TEXT);
    builder.add_text_field("stored_text", STORED);
    builder.add_text_field("stored_heading", STORED);
    builder.add_text_field("heading_path", stored_and_fast());
    builder.add_u64_field("line", STORED);
    builder.add_u64_field("section", STORED | FAST);
    builder.add_u64_field("passage", STORED);
    builder.add_u64_field("boilerplate", INDEXED | STORED | FAST);
    builder.add_u64_field("byte_start", STORED);
    builder.add_u64_field("byte_end", STORED);
    builder.build()
}

/// What the baseline run did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BaselineReport {
    /// Passages indexed.
    pub passages: usize,
    /// Wall time of the build, commit included.
    pub seconds: f64,
}

/// Indexes the dumped passages into a new index in `index_dir` (emptied first).
pub fn index_baseline(dump: &Path, index_dir: &Path) -> anyhow::Result<BaselineReport> {
    if index_dir.exists() {
        fs::remove_dir_all(index_dir)?;
    }
    fs::create_dir_all(index_dir)?;
    let started = Instant::now();
    let schema = baseline_schema();
    let index = create_configured_index(index_dir, schema.clone())?;
    let mut writer = open_configured_writer::<TantivyDocument>(&index)?;
    let field = |name: &str| schema.get_field(name);
    let fields = [
        field("source")?,
        field("title")?,
        field("lang")?,
        field("text")?,
        field("heading")?,
        field("stored_text")?,
        field("stored_heading")?,
        field("heading_path")?,
        field("line")?,
        field("section")?,
        field("passage")?,
        field("boilerplate")?,
        field("byte_start")?,
        field("byte_end")?,
    ];
    let reader = BufReader::new(fs::File::open(dump)?);
    // Parsing runs on its own thread, as lete's loaders do, so only indexing is compared.
    let passages = std::thread::scope(|scope| -> anyhow::Result<usize> {
        let (sender, receiver) = mpsc::sync_channel::<DumpPassage>(READ_AHEAD);
        let parser = scope.spawn(move || -> anyhow::Result<()> {
            for line in reader.lines() {
                let passage: DumpPassage = serde_json::from_str(&line?)?;
                if sender.send(passage).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let mut count = 0;
        for passage in receiver {
            let [source, title, lang, text, heading, stored_text, stored_heading, heading_path, line, section, ordinal, boilerplate, byte_start, byte_end] =
                fields;
            let mut doc = TantivyDocument::default();
            doc.add_text(source, &passage.source);
            doc.add_text(title, &passage.title);
            doc.add_text(lang, &passage.lang);
            doc.add_text(text, &passage.text);
            doc.add_text(heading, &passage.heading);
            doc.add_text(stored_text, &passage.text);
            doc.add_text(stored_heading, &passage.heading);
            doc.add_text(heading_path, &passage.heading_path);
            doc.add_u64(line, passage.line);
            doc.add_u64(section, passage.section);
            doc.add_u64(ordinal, passage.passage);
            doc.add_u64(boilerplate, u64::from(passage.boilerplate));
            doc.add_u64(byte_start, passage.byte_start);
            doc.add_u64(byte_end, passage.byte_end);
            writer.add_document(doc)?;
            count += 1;
        }
        parser
            .join()
            .map_err(|_| anyhow::anyhow!("the passage reader stopped"))??;
        Ok(count)
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    // The same end state as lete's full build: at most two segments.
    settle_segments(&index)?;
    Ok(BaselineReport {
        passages,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Writes a dump of the passages of the documents into `path`.
pub fn dump_writer(path: &Path) -> io::Result<BufWriter<fs::File>> {
    Ok(BufWriter::new(fs::File::create(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::settings::index_settings;
    use crate::pipeline::load_bytes;
    use tantivy::Index;

    #[test]
    fn the_baseline_indexes_every_dumped_passage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "Samfunnsberedskap\n\nKommunene har ansvar for beredskapen. Det gjelder \
                    også barnehagene.\n\nTiltak\n\nVi styrker samarbeidet med fylkene.\n";
        let loaded = load_bytes(text.as_bytes(), "a.txt").expect("load");
        let dump = dir.path().join("passages.jsonl");
        let mut out = dump_writer(&dump).expect("dump");
        dump_document(&mut out, &loaded.document, "a.txt").expect("write");
        out.flush().expect("flush");
        let passages: usize = loaded
            .document
            .sections
            .iter()
            .map(|s| s.passages.len())
            .sum();
        let report = index_baseline(&dump, &dir.path().join("index")).expect("baseline");
        assert_eq!(report.passages, passages);
        let index = Index::open_in_dir(dir.path().join("index")).expect("open");
        assert_eq!(index.settings(), &index_settings(), "lete's index settings");
        let searcher = index.reader().expect("reader").searcher();
        assert_eq!(searcher.num_docs() as usize, passages);
    }
}
