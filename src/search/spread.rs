//! One document must not fill the page (issue 17): when the passages of highest BM25 come from
//! so few documents that the hits shown (at most `per_document` of one document ahead of the
//! rest) cannot be filled from them, the best passages of the other documents are collected
//! too. A long file whose every section says `beredskap` otherwise takes the whole pool, and a
//! short note that says it once never reaches the ranking.

use super::collect::top_candidates;
use super::{Deadline, SearchError};
use crate::index::schema::names;
use crate::index::LeteIndex;
use std::collections::{BTreeSet, HashMap, HashSet};
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::schema::Term;
use tantivy::{DocAddress, Searcher};

/// Most collections after the first: each leaves out every document already in the pool
/// with `per_document` passages or more.
const MAX_ROUNDS: usize = 4;

/// What the pool must be able to fill.
pub(super) struct Spread {
    /// Threads a collection may run on.
    pub threads: usize,
    pub pool: usize,
    pub limit: usize,
    pub per_document: usize,
    pub deadline: Deadline,
}

/// `top` (the BM25 pool of `query`, of `total` matches), with the best passages of other
/// documents added while the pool's documents cannot fill `limit` hits at `per_document`
/// each.
pub(super) fn spread_over_documents(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    mut top: Vec<(f32, DocAddress)>,
    total: usize,
    spread: &Spread,
) -> Result<Vec<(f32, DocAddress)>, SearchError> {
    if top.len() >= total {
        // Every match is in the pool already.
        return Ok(top);
    }
    let mut sources = SourceColumns::new(searcher);
    let mut left_out: BTreeSet<String> = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        let Some(counts) = sources.counts(&top) else {
            return Ok(top);
        };
        let room: usize = counts
            .values()
            .map(|&count| count.min(spread.per_document))
            .sum();
        if room >= spread.limit {
            break;
        }
        let full: Vec<String> = counts
            .into_iter()
            .filter(|(source, count)| *count >= spread.per_document && !left_out.contains(source))
            .map(|(source, _)| source)
            .collect();
        if full.is_empty() {
            break;
        }
        left_out.extend(full);
        let others = without_sources(index, query, &left_out);
        let (more, _) = top_candidates(
            index,
            searcher,
            &others,
            spread.pool,
            spread.threads,
            spread.deadline,
        )?;
        let known: HashSet<DocAddress> = top.iter().map(|(_, address)| *address).collect();
        let before = top.len();
        top.extend(
            more.into_iter()
                .filter(|(_, address)| !known.contains(address)),
        );
        if top.len() == before {
            break;
        }
    }
    Ok(top)
}

/// `query` without the passages of `sources` (their BM25 unchanged).
fn without_sources(
    index: &LeteIndex,
    query: &dyn Query,
    sources: &BTreeSet<String>,
) -> BooleanQuery {
    let field = index.fields.source;
    let excluded = TermSetQuery::new(
        sources
            .iter()
            .map(|source| Term::from_field_text(field, source)),
    );
    BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::MustNot, Box::new(excluded)),
    ])
}

/// The source column of each segment, opened on first use.
struct SourceColumns<'a> {
    searcher: &'a Searcher,
    segments: HashMap<u32, Option<tantivy::columnar::StrColumn>>,
}

impl<'a> SourceColumns<'a> {
    fn new(searcher: &'a Searcher) -> SourceColumns<'a> {
        SourceColumns {
            searcher,
            segments: HashMap::new(),
        }
    }

    /// How many of `top` each source holds; `None` when a segment has no source column (an
    /// index of an older lete, rebuilt on its next update).
    fn counts(&mut self, top: &[(f32, DocAddress)]) -> Option<HashMap<String, usize>> {
        let mut by_ordinal: HashMap<(u32, u64), usize> = HashMap::new();
        for (_, address) in top {
            let column = self.column(address.segment_ord)?;
            let ordinal = column.term_ords(address.doc_id).next()?;
            *by_ordinal
                .entry((address.segment_ord, ordinal))
                .or_default() += 1;
        }
        let mut counts: HashMap<String, usize> = HashMap::new();
        for ((segment, ordinal), count) in by_ordinal {
            let mut source = String::new();
            let column = self.column(segment)?;
            column
                .ord_to_str(ordinal, &mut source)
                .ok()?
                .then_some(())?;
            *counts.entry(source).or_default() += count;
        }
        Some(counts)
    }

    fn column(&mut self, segment: u32) -> Option<&tantivy::columnar::StrColumn> {
        let searcher = self.searcher;
        self.segments
            .entry(segment)
            .or_insert_with(|| {
                searcher
                    .segment_reader(segment)
                    .fast_fields()
                    .str(names::SOURCE)
                    .ok()?
            })
            .as_ref()
    }
}
