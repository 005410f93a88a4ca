//! Candidates as Tantivy finds them: the passages matching the compiled query, scored by BM25
//! with each language's fields weighed as a collection of their own.
//!
//! A search's collection is most of its time (issue 16: two thirds of a warm query at 100 MB),
//! and Tantivy runs it on one thread per segment: an index of one large segment used one core.
//! Here each segment is cut into parts of neighbouring passages, and the parts are collected on
//! every core at once, each with a scorer of its own seeked to the part's first passage. The
//! answer is the same as one pass gives, bit for bit:
//! - a passage's score does not depend on where its scorer started (Tantivy's unions drop
//!   exhausted children keeping the others' order, and every combiner sums in that order);
//! - Tantivy's top documents are a total order (score, then the lower address first), so the
//!   best of the parts' best is the best of all; counts add up.

use super::bm25_per_language::PerLanguageStatistics;
use super::{Deadline, SearchError};
use crate::index::{carry_guard, is_guarded, LeteIndex};
use std::sync::atomic::{AtomicUsize, Ordering};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader};

/// A part of a segment is at least this many passages: a part's scorer opens every term's
/// postings again, and a thread costs more than collecting a few thousand passages. The unit
/// tests cut the bundled corpus's few hundred.
const MIN_PART_PASSAGES: u32 = if cfg!(test) { 16 } else { 16_384 };
/// Parts per thread. Each part's scorer is built and seeked anew (every term's postings
/// opened, each union's first window filled), which costs more than uneven parts leave idle:
/// on the 100 MB bench index (2 cores, load 11) the 30 dev queries took 131 ms in all with
/// one part per thread, 141 ms with two, about 150 ms with four, 174 ms on one thread.
/// Threads that finish early take the next part (an index of several segments).
const PARTS_PER_THREAD: usize = 1;
/// A part being collected checks its search's deadline every this many passages: a clock
/// read is some 20 ns, a passage collected some 50 to 100.
const PASSAGES_PER_DEADLINE_CHECK: u32 = 4096;

/// The `pool` passages of highest BM25 (scored per language), and how many match in all.
pub(super) fn top_candidates(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    pool: usize,
    threads: usize,
    deadline: Deadline,
) -> Result<(Vec<(f32, DocAddress)>, usize), SearchError> {
    let collector = (TopDocs::with_limit(pool).order_by_score(), Count);
    search_in_parts(index, searcher, query, &collector, threads, deadline)
}

/// Every passage matching `query`, with its BM25, in no particular order (`--files` ranks
/// them all).
pub(super) fn all_matches(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    threads: usize,
    deadline: Deadline,
) -> Result<Vec<(Score, DocAddress)>, SearchError> {
    search_in_parts(index, searcher, query, &AllMatches, threads, deadline)
}

/// `collector`'s answer for `query`, the segments collected in parts on up to `threads`
/// threads. A search with a deadline is collected in parts even on one thread: Tantivy's own
/// pass over a segment cannot be stopped halfway, and parts check the deadline.
fn search_in_parts<C: Collector>(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
    threads: usize,
    deadline: Deadline,
) -> Result<C::Fruit, SearchError> {
    let statistics = PerLanguageStatistics::new(searcher, &index.fields)?;
    let parts = parts_of(searcher, threads);
    if !deadline.is_set() && (threads <= 1 || parts.len() <= 1) {
        return Ok(searcher.search_with_statistics_provider(query, collector, &statistics)?);
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(&statistics, searcher);
    let weight = query.weight(scoring)?;
    let next = AtomicUsize::new(0);
    type PartFruit<C> = <<C as Collector>::Child as SegmentCollector>::Fruit;
    let collect_parts = || -> Result<Vec<(usize, PartFruit<C>)>, SearchError> {
        let mut fruits = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(at) else {
                return Ok(fruits);
            };
            let reader = searcher.segment_reader(part.segment);
            let fruit = collect_part(collector, weight.as_ref(), reader, part, deadline)?;
            fruits.push((at, fruit));
        }
    };
    let workers = threads.min(parts.len());
    let mut fruits: Vec<(usize, PartFruit<C>)> = Vec::with_capacity(parts.len());
    // A worker's part is part of this thread's read: as guarded against a damaged index.
    let guarded = is_guarded();
    std::thread::scope(|scope| -> Result<(), SearchError> {
        let others: Vec<_> = (1..workers)
            .map(|_| scope.spawn(|| carry_guard(guarded, collect_parts)))
            .collect();
        fruits.extend(collect_parts()?);
        for other in others {
            let collected = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            fruits.extend(collected?);
        }
        Ok(())
    })?;
    fruits.sort_by_key(|(at, _)| *at);
    let fruits = fruits.into_iter().map(|(_, fruit)| fruit).collect();
    Ok(collector.merge_fruits(fruits)?)
}

/// Passages `start..end` of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    segment: SegmentOrdinal,
    start: DocId,
    end: DocId,
}

/// The searcher's segments cut into parts of about equal size, [`PARTS_PER_THREAD`] for each
/// of `threads`; a part is a whole segment or [`MIN_PART_PASSAGES`] at least.
fn parts_of(searcher: &Searcher, threads: usize) -> Vec<Part> {
    let sizes: Vec<DocId> = searcher
        .segment_readers()
        .iter()
        .map(SegmentReader::max_doc)
        .collect();
    cut_into_parts(&sizes, threads * PARTS_PER_THREAD)
}

/// Segments of `sizes` passages cut into about `wanted` parts in all.
fn cut_into_parts(sizes: &[DocId], wanted: usize) -> Vec<Part> {
    let total: u64 = sizes.iter().map(|&size| u64::from(size)).sum();
    let wanted = wanted.max(1) as u64;
    let part_size = total.div_ceil(wanted).max(u64::from(MIN_PART_PASSAGES));
    let mut parts = Vec::new();
    for (segment, &size) in sizes.iter().enumerate() {
        // Whole parts of `part_size` at least: a segment smaller than that is one part.
        let count = (u64::from(size) / part_size).max(1);
        for index in 0..count {
            // Within a segment of at most u32::MAX passages: the quotient fits.
            let cut = |at: u64| (u64::from(size) * at / count) as DocId;
            let part = Part {
                segment: segment as SegmentOrdinal,
                start: cut(index),
                end: cut(index + 1),
            };
            if part.start < part.end {
                parts.push(part);
            }
        }
    }
    parts
}

/// `collector`'s fruit for the passages of `part`, as Tantivy's own pass over the segment
/// collects them: live passages only, in order, each with its score. Stops with
/// [`SearchError::TimedOut`] once `deadline` has passed.
fn collect_part<C: Collector>(
    collector: &C,
    weight: &dyn Weight,
    reader: &SegmentReader,
    part: &Part,
    deadline: Deadline,
) -> Result<<C::Child as SegmentCollector>::Fruit, SearchError> {
    deadline.check()?;
    let mut segment = collector.for_segment(part.segment, reader)?;
    let mut scorer = weight.scorer(reader, 1.0)?;
    let alive = reader.alive_bitset();
    let mut doc = scorer.doc();
    if doc < part.start {
        doc = scorer.seek(part.start);
    }
    let mut until_check = PASSAGES_PER_DEADLINE_CHECK;
    while doc < part.end {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            segment.collect(doc, scorer.score());
        }
        until_check -= 1;
        if until_check == 0 {
            deadline.check()?;
            until_check = PASSAGES_PER_DEADLINE_CHECK;
        }
        doc = scorer.advance();
    }
    Ok(segment.harvest())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::build_index;
    use std::sync::{Arc, Mutex};
    use tantivy::query::{AllQuery, Explanation, Scorer};

    /// A query over every passage that notes, for each scorer built, whether its thread was
    /// inside a guarded read.
    #[derive(Debug, Clone)]
    struct NotingGuard(Arc<Mutex<Vec<bool>>>);

    struct NotingWeight(Box<dyn Weight>, Arc<Mutex<Vec<bool>>>);

    impl Query for NotingGuard {
        fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
            Ok(Box::new(NotingWeight(
                AllQuery.weight(scoring)?,
                self.0.clone(),
            )))
        }
    }

    impl Weight for NotingWeight {
        fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
            self.1.lock().unwrap().push(crate::index::is_guarded());
            self.0.scorer(reader, boost)
        }

        fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
            self.0.explain(reader, doc)
        }
    }

    /// A part collected on another thread is as guarded as the search that cut it (break
    /// trial of session 26: a damaged index's panic in a worker was printed).
    #[test]
    fn parts_on_other_threads_are_guarded_as_the_search_is() {
        let text: String = (0..200).map(|n| format!("Avsnitt {n}.\n\n")).collect();
        let (_corpus, index) = build_index(&[("001.txt", &text)]);
        let searcher = index.reader().unwrap().searcher();
        let noted = Arc::new(Mutex::new(Vec::new()));
        let query = NotingGuard(noted.clone());
        let found =
            index.guard(|| top_candidates(&index, &searcher, &query, 10, 4, Deadline::NONE));
        assert!(found.unwrap().unwrap().1 > 100);
        let noted = noted.lock().unwrap();
        assert!(noted.len() > 1, "{noted:?}");
        assert!(noted.iter().all(|&guarded| guarded), "{noted:?}");
    }

    #[test]
    fn parts_cover_every_segment_once_in_order() {
        for (sizes, wanted) in [
            (vec![1_000u32], 4),
            (vec![1_000, 10, 0, 333], 3),
            (vec![63], 8),
            (vec![MIN_PART_PASSAGES * 5 + 1, MIN_PART_PASSAGES * 2], 100),
            (vec![], 2),
        ] {
            let parts = cut_into_parts(&sizes, wanted);
            for (segment, &size) in sizes.iter().enumerate() {
                let mine: Vec<&Part> = parts
                    .iter()
                    .filter(|part| part.segment as usize == segment)
                    .collect();
                let mut next = 0;
                for part in &mine {
                    assert_eq!(part.start, next, "{sizes:?} {wanted}: {parts:?}");
                    assert!(part.start < part.end);
                    next = part.end;
                }
                assert_eq!(next, size, "{sizes:?} {wanted}: {parts:?}");
            }
            for part in &parts {
                let whole = part.end == sizes[part.segment as usize] && part.start == 0;
                assert!(
                    whole || part.end - part.start >= MIN_PART_PASSAGES,
                    "{sizes:?} {wanted}: {parts:?}"
                );
            }
        }
        assert_eq!(cut_into_parts(&[1_000], 4).len(), 4);
        assert_eq!(cut_into_parts(&[MIN_PART_PASSAGES * 2 - 1], 4).len(), 1);
        assert_eq!(cut_into_parts(&[MIN_PART_PASSAGES * 2], 4).len(), 2);
    }
}
