//! BM25 statistics per language: each language's fields are scored as if its passages were a
//! collection of their own.
//!
//! Tantivy's BM25 divides by the number of documents in the whole index, for the average
//! field length and for IDF alike. A passage fills only the text and heading fields of its
//! own language, so a language with few passages (the one Danish document among Norwegian
//! ones) would look long against a diluted average and its words would look rarer than they
//! are: minority-language passages were ranked down, whatever they held (issue 3's
//! `demografiske utfordringer`). Scaling each language field's token count and document
//! frequencies by `all passages / passages of the language` gives the per-language figures.

use crate::index::Fields;
use crate::lang::Lang;
use std::collections::HashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, Term};
use tantivy::Searcher;

pub(super) struct PerLanguageStatistics<'a> {
    searcher: &'a Searcher,
    total_docs: u64,
    /// For each language field, the number of passages in that language.
    language_docs: HashMap<Field, u64>,
}

impl<'a> PerLanguageStatistics<'a> {
    pub(super) fn new(searcher: &'a Searcher, fields: &Fields) -> tantivy::Result<Self> {
        let total_docs = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let mut language_docs = HashMap::new();
        for lang in Lang::ALL {
            let passages = searcher.doc_freq(&Term::from_field_text(fields.lang, lang.code()))?;
            language_docs.insert(fields.text(lang), passages);
            language_docs.insert(fields.heading(lang), passages);
        }
        Ok(PerLanguageStatistics {
            searcher,
            total_docs,
            language_docs,
        })
    }

    /// `value` as it would be were every passage of the field's language.
    fn scaled(&self, field: Field, value: u64) -> u64 {
        match self.language_docs.get(&field) {
            Some(&passages) if passages > 0 => {
                let scaled =
                    (u128::from(value) * u128::from(self.total_docs)) / u128::from(passages);
                u64::try_from(scaled).unwrap_or(u64::MAX)
            }
            _ => value,
        }
    }
}

impl Bm25StatisticsProvider for PerLanguageStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(self.scaled(field, tokens))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.total_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let doc_freq = self.searcher.doc_freq(term)?;
        Ok(self.scaled(term.field(), doc_freq).min(self.total_docs))
    }
}
