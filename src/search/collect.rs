//! Candidates as Tantivy finds them: the passages matching the compiled query, scored by BM25
//! with each language's fields weighed as a collection of their own.

use super::bm25_per_language::PerLanguageStatistics;
use super::SearchError;
use crate::index::LeteIndex;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The `pool` passages of highest BM25 (scored per language), and how many match in all.
pub(super) fn top_candidates(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    pool: usize,
) -> Result<(Vec<(f32, DocAddress)>, usize), SearchError> {
    let collector = (TopDocs::with_limit(pool).order_by_score(), Count);
    let statistics = PerLanguageStatistics::new(searcher, &index.fields)?;
    Ok(searcher.search_with_statistics_provider(query, &collector, &statistics)?)
}

/// Every passage matching `query`, with its BM25, in no particular order (`--files` ranks
/// them all).
pub(super) fn all_matches(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
) -> Result<Vec<(Score, DocAddress)>, SearchError> {
    let statistics = PerLanguageStatistics::new(searcher, &index.fields)?;
    Ok(searcher.search_with_statistics_provider(query, &AllMatches, &statistics)?)
}

/// Collects every matching passage with its BM25, in no particular order.
struct AllMatches;

/// The matching passages of one segment.
struct SegmentMatches {
    segment: SegmentOrdinal,
    found: Vec<(Score, DocAddress)>,
}

impl Collector for AllMatches {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.found.push((score, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Vec<(Score, DocAddress)> {
        self.found
    }
}
