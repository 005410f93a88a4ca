//! What an index holds, read back from it (issue 7): documents, sections, passages and words
//! per language, distinct terms, size on disk, and when it was built.

use super::manifest::Manifest;
use super::passage::{stored_passages, StoredPassage};
use super::{IndexError, LeteIndex};
use crate::analysis::WordTokenizer;
use crate::analysis::PART_MARKER;
use crate::ingest::{FileSelection, SelectionPatterns};
use crate::lang::Lang;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

/// Counts for one language, or for the whole index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub documents: usize,
    pub sections: usize,
    pub passages: usize,
    /// Words of the passage text, as the tokenizer splits them.
    pub words: usize,
    /// Distinct stemmed terms in the passage text.
    pub distinct_terms: usize,
}

/// The statistics of one index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexStats {
    pub total: Counts,
    /// Every language lete knows, with zeros where the index has none.
    pub languages: BTreeMap<Lang, Counts>,
    /// Bytes of the files in the index folder.
    pub size_bytes: u64,
    /// Unix seconds of the last commit (from the manifest).
    pub built_at: u64,
    pub lete_version: String,
    pub schema_version: u32,
    /// Corpus files the manifest records as skipped (binary, empty, …).
    pub skipped_files: usize,
    /// Each warning about a file left out, as the last update found them (`PATH: REASON`):
    /// files skipped, then what the walk of the corpus passed over (issue 19).
    pub skipped: Vec<String>,
    /// The file selection the index was built with.
    pub selection: SelectionPatterns,
}

/// Reads the statistics of the open index, which `manifest` describes.
pub(crate) fn index_stats(
    index: &LeteIndex,
    manifest: &Manifest,
) -> Result<IndexStats, IndexError> {
    index_stats_leaving_out(index, manifest, &[])
}

/// The statistics of the open index as if it lacked the passages of `left_out` (sources as
/// stored: paths inside the corpus folder): `lete serve` counts only what it may show, as
/// its search's `total` does (issue 20).
pub(crate) fn index_stats_leaving_out(
    index: &LeteIndex,
    manifest: &Manifest,
    left_out: &[String],
) -> Result<IndexStats, IndexError> {
    let index_dir = index.dir();
    let tantivy = |error| index.damaged(&error);
    let searcher = index.reader().map_err(tantivy)?.searcher();
    let mut languages: BTreeMap<Lang, Counts> =
        Lang::ALL.iter().map(|&l| (l, Counts::default())).collect();
    let mut documents: BTreeSet<(Lang, String)> = BTreeSet::new();
    let mut sections: BTreeSet<(Lang, String, u64)> = BTreeSet::new();
    let left_out_sources: HashSet<&str> = left_out.iter().map(String::as_str).collect();
    let counted = |passage: &StoredPassage| !left_out_sources.contains(passage.source.as_str());
    for passage in stored_passages(index, &searcher)
        .map_err(tantivy)?
        .into_iter()
        .filter(counted)
    {
        let counts = languages.entry(passage.lang).or_default();
        counts.passages += 1;
        counts.words += count_words(&passage.text);
        documents.insert((passage.lang, passage.source.clone()));
        sections.insert((passage.lang, passage.source, passage.section));
    }
    for (lang, _) in &documents {
        languages.entry(*lang).or_default().documents += 1;
    }
    for (lang, _, _) in &sections {
        languages.entry(*lang).or_default().sections += 1;
    }
    let mut all_terms: HashSet<Vec<u8>> = HashSet::new();
    let hidden = left_out_docs(&searcher, index.fields.source, left_out).map_err(tantivy)?;
    for lang in Lang::ALL {
        let terms = live_terms(&searcher, index.fields.text(lang), &hidden).map_err(tantivy)?;
        languages.entry(lang).or_default().distinct_terms = terms.len();
        all_terms.extend(terms);
    }
    let mut total = languages.values().fold(Counts::default(), |sum, c| Counts {
        documents: sum.documents + c.documents,
        sections: sum.sections + c.sections,
        passages: sum.passages + c.passages,
        words: sum.words + c.words,
        distinct_terms: 0,
    });
    total.distinct_terms = all_terms.len();
    Ok(IndexStats {
        total,
        languages,
        size_bytes: folder_size(index_dir).map_err(|err| IndexError::io(index_dir, err))?,
        built_at: manifest.built_at,
        lete_version: manifest.lete_version.clone(),
        schema_version: manifest.schema_version,
        skipped_files: manifest
            .sources
            .iter()
            .filter(|s| s.skipped.is_some())
            .count(),
        skipped: skipped_warnings(index, manifest),
        selection: manifest
            .selection
            .clone()
            .unwrap_or_else(|| FileSelection::default().patterns().clone()),
    })
}

/// The files the manifest records as skipped, with their reasons, then the warnings of the
/// corpus walk it remembers.
fn skipped_warnings(index: &LeteIndex, manifest: &Manifest) -> Vec<String> {
    let skipped = manifest.sources.iter().filter_map(|source| {
        let reason = source.skipped.as_ref()?;
        Some(format!("{}: {reason}", index.shown_source(&source.path)))
    });
    skipped
        .chain(manifest.listing_warnings.iter().cloned())
        .collect()
}

fn count_words(text: &str) -> usize {
    let mut tokenizer = WordTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut words = 0;
    while stream.advance() {
        words += 1;
    }
    words
}

/// Per segment (in the searcher's order), the passages of the `left_out` sources.
fn left_out_docs(
    searcher: &Searcher,
    source_field: Field,
    left_out: &[String],
) -> Result<Vec<HashSet<DocId>>, tantivy::TantivyError> {
    let mut hidden = Vec::new();
    for segment in searcher.segment_readers() {
        let mut docs = HashSet::new();
        let inverted = segment.inverted_index(source_field)?;
        for source in left_out {
            let term = Term::from_field_text(source_field, source);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                while postings.doc() != TERMINATED {
                    docs.insert(postings.doc());
                    postings.advance();
                }
            }
        }
        hidden.push(docs);
    }
    Ok(hidden)
}

/// The terms of `field` that some live passage holds, not counting the passages `hidden`
/// (per segment): a term dictionary keeps the terms of deleted passages until segments merge,
/// and those must not be counted. Compound-part tokens (`+beredskap`) are not terms of the
/// text and are left out.
fn live_terms(
    searcher: &Searcher,
    field: Field,
    hidden: &[HashSet<DocId>],
) -> Result<HashSet<Vec<u8>>, tantivy::TantivyError> {
    let mut terms = HashSet::new();
    for (segment, hidden) in searcher.segment_readers().iter().zip(hidden) {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        let every_doc_counts = segment.num_deleted_docs() == 0 && hidden.is_empty();
        while stream.advance() {
            if stream.key().starts_with(PART_MARKER.to_string().as_bytes()) {
                continue;
            }
            if every_doc_counts || has_counted_doc(segment, &inverted, stream.value(), hidden)? {
                terms.insert(stream.key().to_vec());
            }
        }
    }
    Ok(terms)
}

/// Whether a passage of the term `info` is alive and not `hidden`.
fn has_counted_doc(
    segment: &SegmentReader,
    inverted: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
    hidden: &HashSet<DocId>,
) -> Result<bool, tantivy::TantivyError> {
    let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let mut doc = postings.doc();
    while doc != TERMINATED {
        let alive = segment
            .alive_bitset()
            .is_none_or(|alive| alive.is_alive(doc));
        if alive && !hidden.contains(&doc) {
            return Ok(true);
        }
        doc = postings.advance();
    }
    Ok(false)
}

/// Bytes of the regular files in `dir` and its subfolders.
fn folder_size(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total += folder_size(&entry.path())?;
        } else if kind.is_file() {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::{TestCorpus, KL, KS};
    use crate::index::IndexOptions;

    #[test]
    fn counts_per_language_words_and_terms() {
        let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
        corpus.update(&IndexOptions::default());
        let (opened, _) = corpus.refresh();
        let stats = index_stats(&opened.index, &opened.manifest).unwrap();
        let nb = &stats.languages[&Lang::Nb];
        assert_eq!((nb.documents, nb.sections, nb.passages), (1, 2, 2));
        // "KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring." and
        // "Kommunene må rekruttere og beholde medarbeidere." (the test format has no heading
        // in the passage).
        assert_eq!(nb.words, 9 + 6);
        let da = &stats.languages[&Lang::Da];
        assert_eq!(
            (da.documents, da.sections, da.passages, da.words),
            (1, 1, 1, 8)
        );
        assert_eq!(stats.languages[&Lang::Nn], Counts::default());
        assert_eq!(stats.total.documents, 2);
        assert_eq!(stats.total.words, 23);
        // `og` is in both Norwegian passages: one term.
        assert_eq!(nb.distinct_terms, 14);
        assert!(stats.total.distinct_terms <= nb.distinct_terms + da.distinct_terms);
        assert!(stats.size_bytes > 1000);
        assert_eq!(stats.skipped_files, 0);
    }

    #[test]
    fn terms_of_a_removed_document_are_not_counted() {
        let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
        corpus.update(&IndexOptions::default());
        std::fs::remove_file(corpus.corpus.join("002_kl_da.txt")).unwrap();
        corpus.update(&IndexOptions::default());
        let (opened, _) = corpus.refresh();
        let stats = index_stats(&opened.index, &opened.manifest).unwrap();
        assert_eq!(stats.languages[&Lang::Da], Counts::default());
        assert_eq!(
            stats.total.distinct_terms,
            stats.languages[&Lang::Nb].distinct_terms
        );
    }

    #[test]
    fn r20_a_left_out_source_counts_as_if_the_index_lacked_it() {
        let both = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
        both.update(&IndexOptions::default());
        let (opened, _) = both.refresh();
        let left_out = vec!["002_kl_da.txt".to_string()];
        let leaving_out = index_stats_leaving_out(&opened.index, &opened.manifest, &left_out);
        let leaving_out = leaving_out.unwrap();
        let alone = TestCorpus::new(&[("001_ks.txt", KS)]);
        alone.update(&IndexOptions::default());
        let (opened, _) = alone.refresh();
        let expected = index_stats(&opened.index, &opened.manifest).unwrap();
        assert_eq!(leaving_out.languages, expected.languages);
        assert_eq!(leaving_out.total, expected.total);
        assert_eq!(leaving_out.languages[&Lang::Da], Counts::default());
        assert_eq!(leaving_out.total.documents, 1);
    }
}
