//! One document must not fill the page (issue 17): when the passages of highest BM25 come from
//! so few documents that the hits shown (at most `per_document` of one document ahead of the
//! rest) cannot be filled from them, the best passages of the other documents are collected
//! too. A long file whose every section says `beredskap` otherwise takes the whole pool, and a
//! short note that says it once never reaches the ranking.

use super::collect::top_candidates;
use super::{Deadline, SearchError};
use crate::index::schema::names;
use crate::index::LeteIndex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
            .iter()
            .map(|source| source.count.min(spread.per_document))
            .sum();
        if room >= spread.limit {
            break;
        }
        let mut full: Vec<String> = Vec::new();
        for source in counts
            .iter()
            .filter(|source| source.count >= spread.per_document)
        {
            let Some(name) = sources.name(source) else {
                return Ok(top);
            };
            if !left_out.contains(&name) {
                full.push(name);
            }
        }
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

/// A source of the pool, and how many of its passages the pool holds.
struct PoolSource {
    /// Where its name is: a segment, and the ordinal there in the source column.
    segment: u32,
    ordinal: u64,
    /// Its name, when counting had to read it.
    name: Option<String>,
    count: usize,
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
    ///
    /// A name is read only where it must be (issue 16: reading each source's name from the
    /// column's dictionary was a sixth of a one-word query's time): in one segment a source's
    /// ordinal stands for its name; across segments one source may have passages in several
    /// (Tantivy's indexing threads share a file's passages out), so they are counted by name,
    /// each segment's names read in one pass over its dictionary.
    fn counts(&mut self, top: &[(f32, DocAddress)]) -> Option<Vec<PoolSource>> {
        // Sorted by segment, then ordinal: as a dictionary pass reads them.
        let mut by_ordinal: BTreeMap<(u32, u64), usize> = BTreeMap::new();
        for (_, address) in top {
            let column = self.column(address.segment_ord)?;
            let ordinal = column.term_ords(address.doc_id).next()?;
            *by_ordinal
                .entry((address.segment_ord, ordinal))
                .or_default() += 1;
        }
        let first = by_ordinal.keys().next().map(|&(segment, _)| segment);
        let last = by_ordinal.keys().next_back().map(|&(segment, _)| segment);
        if first == last {
            let sources = by_ordinal
                .into_iter()
                .map(|((segment, ordinal), count)| PoolSource {
                    segment,
                    ordinal,
                    name: None,
                    count,
                });
            return Some(sources.collect());
        }
        let mut by_name: HashMap<String, PoolSource> = HashMap::new();
        let mut keys = by_ordinal.into_iter().peekable();
        while let Some(&((segment, _), _)) = keys.peek() {
            let mut ordinals = Vec::new();
            let mut counts = Vec::new();
            while let Some(((_, ordinal), count)) =
                keys.next_if(|&((other, _), _)| other == segment)
            {
                ordinals.push(ordinal);
                counts.push(count);
            }
            let names = self.names(segment, &ordinals)?;
            for ((ordinal, count), name) in ordinals.into_iter().zip(counts).zip(names) {
                by_name
                    .entry(name.clone())
                    .and_modify(|source| source.count += count)
                    .or_insert(PoolSource {
                        segment,
                        ordinal,
                        name: Some(name),
                        count,
                    });
            }
        }
        Some(by_name.into_values().collect())
    }

    /// The names of `ordinals` (sorted) in `segment`'s source column, in their order.
    fn names(&mut self, segment: u32, ordinals: &[u64]) -> Option<Vec<String>> {
        let column = self.column(segment)?;
        let mut names = Vec::with_capacity(ordinals.len());
        let mut all_text = true;
        let found = column
            .dictionary()
            .sorted_ords_to_term_cb(ordinals, |bytes| match std::str::from_utf8(bytes) {
                Ok(name) => names.push(name.to_string()),
                Err(_) => all_text = false,
            })
            .ok()?;
        (found && all_text && names.len() == ordinals.len()).then_some(names)
    }

    /// The name of a source of the pool.
    fn name(&mut self, source: &PoolSource) -> Option<String> {
        if let Some(name) = &source.name {
            return Some(name.clone());
        }
        let mut name = String::new();
        let column = self.column(source.segment)?;
        column
            .ord_to_str(source.ordinal, &mut name)
            .ok()?
            .then_some(name)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::build_index;

    /// How the pool's sources were counted before: each passage's source name read.
    fn counted_by_name(searcher: &Searcher, top: &[(f32, DocAddress)]) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for (_, address) in top {
            let segment = searcher.segment_reader(address.segment_ord);
            let column = segment.fast_fields().str(names::SOURCE).unwrap().unwrap();
            let ordinal = column.term_ords(address.doc_id).next().unwrap();
            let mut name = String::new();
            assert!(column.ord_to_str(ordinal, &mut name).unwrap());
            *counts.entry(name).or_default() += 1;
        }
        counts
    }

    /// Issue 16: the pool's sources are counted by ordinal and named only where needed, with
    /// the counts by name of before: in one segment, and across two where one source (a file
    /// changed, its old passages still in the first segment) has passages in both.
    #[test]
    fn r16_pool_sources_are_counted_as_by_name_in_one_segment_or_several() {
        let passages = |name: &str, count: usize| -> String {
            (0..count)
                .map(|n| format!("{name} avsnitt {n} om kommunen.\n\n"))
                .collect()
        };
        let (a, b, c) = (passages("a", 30), passages("b", 7), passages("c", 1));
        let (corpus, _) = build_index(&[("a.txt", &a), ("b.txt", &b), ("c.txt", &c)]);
        corpus.write("b.txt", &passages("b ny", 9));
        corpus.update(&crate::index::IndexOptions::default());
        let index = corpus.open();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2, "two segments");
        let every: Vec<(f32, DocAddress)> = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(segment, reader)| {
                (0..reader.max_doc()).map(move |doc| (0.0, DocAddress::new(segment as u32, doc)))
            })
            .collect();
        let first_segment: Vec<_> = every
            .iter()
            .filter(|(_, a)| a.segment_ord == 0)
            .copied()
            .collect();
        let every_third: Vec<_> = every.iter().step_by(3).copied().collect();
        for pool in [&every, &first_segment, &every_third, &Vec::new()] {
            let mut columns = SourceColumns::new(&searcher);
            let counts = columns.counts(pool).unwrap();
            let named: BTreeMap<String, usize> = counts
                .iter()
                .map(|source| (columns.name(source).unwrap(), source.count))
                .collect();
            assert_eq!(named.len(), counts.len(), "one entry per source");
            assert_eq!(named, counted_by_name(&searcher, pool));
        }
        // The pools above counted a source of two segments: b's old passages (deleted, still
        // in their segment) and its new ones (in the update's segment).
        let segments_of_b = (0..searcher.segment_readers().len() as u32)
            .filter(|&segment| {
                let pool: Vec<_> = every
                    .iter()
                    .filter(|(_, address)| address.segment_ord == segment)
                    .copied()
                    .collect();
                counted_by_name(&searcher, &pool).contains_key("b.txt")
            })
            .count();
        assert!(segments_of_b >= 2, "b.txt in {segments_of_b} segment(s)");
    }
}
