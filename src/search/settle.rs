//! The bookkeeping that lets a ranking stop reading candidates early, in time that grows as
//! n log n with the candidates (issue 18: `--limit 10000` over 100,000 matching passages
//! took 36 s, as each step scanned every pending candidate for the highest bound and
//! re-sorted every candidate read to see whether the hits shown were known).
//!
//! [`CeilingQueue`] hands out pending candidates highest bound first; [`ShownHits`] counts,
//! as the bound falls, the candidates read that rank above it, as the hits would show them
//! (within the [`Caps`] per section and per document), until `limit` are known.

use super::Cap;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;

/// Pending items by a bound, the highest first, and of equal bounds the one queued first
/// (by its `order`).
pub(super) struct CeilingQueue<B: Ord> {
    heap: BinaryHeap<(B, Reverse<usize>)>,
}

impl<B: Ord> CeilingQueue<B> {
    pub(super) fn new() -> CeilingQueue<B> {
        CeilingQueue {
            heap: BinaryHeap::new(),
        }
    }

    /// Queues item `order` under `bound`. An item's bound may only fall: it is queued again
    /// under the lower one after it is popped.
    pub(super) fn push(&mut self, bound: B, order: usize) {
        self.heap.push((bound, Reverse(order)));
    }

    /// The highest bound queued and its item, without taking it.
    pub(super) fn peek(&self) -> Option<(&B, usize)> {
        self.heap
            .peek()
            .map(|(bound, Reverse(order))| (bound, *order))
    }

    pub(super) fn pop(&mut self) -> Option<(B, usize)> {
        self.heap
            .pop()
            .map(|(bound, Reverse(order))| (bound, order))
    }
}

/// The hits of each section and each document taken so far, against their caps
/// (`--per-section`, `--per-document`): by a document's source, borrowed or owned (`K`).
pub(super) struct Caps<K> {
    per_section: usize,
    per_document: usize,
    sections: HashMap<(K, u64), usize>,
    documents: HashMap<K, usize>,
}

impl<K: Hash + Eq + Clone> Caps<K> {
    pub(super) fn new(per_section: usize, per_document: usize) -> Caps<K> {
        Caps {
            per_section,
            per_document,
            sections: HashMap::new(),
            documents: HashMap::new(),
        }
    }

    /// `None` when a passage of `source`'s `section` may come before the capped hits (its
    /// section and its document have room), counting it then; else the cap it meets.
    pub(super) fn take(&mut self, source: K, section: u64) -> Option<Cap> {
        let in_section = self.sections.entry((source.clone(), section)).or_default();
        if *in_section >= self.per_section {
            return Some(Cap::Section);
        }
        let in_document = self.documents.entry(source).or_default();
        if *in_document >= self.per_document {
            return Some(Cap::Document);
        }
        *in_section += 1;
        *in_document += 1;
        None
    }
}

/// Where a hit sits for the ranking's tie-break and its diversity: its source, line and
/// passage ordinal, and its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HitPlace {
    pub source: String,
    pub line: u64,
    pub passage: u64,
    pub section: u64,
}

impl HitPlace {
    fn order_key(&self) -> (&str, u64, u64) {
        (&self.source, self.line, self.passage)
    }
}

/// A candidate read, waiting for the bound to fall below its rank: best rank first, then the
/// first place (as the hits are sorted).
struct Read<R> {
    rank: R,
    place: HitPlace,
}

impl<R: Ord> Ord for Read<R> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .cmp(&other.rank)
            .then_with(|| other.place.order_key().cmp(&self.place.order_key()))
    }
}

impl<R: Ord> PartialOrd for Read<R> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<R: Ord> PartialEq for Read<R> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<R: Ord> Eq for Read<R> {}

/// Whether the first `limit` hits are known: candidates read are counted once the bound of
/// every candidate not read falls below their rank. Since the bound only falls, and a
/// candidate read later ranks at most at the bound it was read at, they are counted in the
/// hits' own order, and each is counted once.
pub(super) struct ShownHits<R: Ord> {
    limit: usize,
    waiting: BinaryHeap<Read<R>>,
    caps: Caps<String>,
    shown: usize,
}

impl<R: Ord> ShownHits<R> {
    pub(super) fn new(limit: usize, per_section: usize, per_document: usize) -> ShownHits<R> {
        ShownHits {
            limit,
            waiting: BinaryHeap::new(),
            caps: Caps::new(per_section, per_document),
            shown: 0,
        }
    }

    /// A candidate read, with its rank.
    pub(super) fn add(&mut self, rank: R, place: HitPlace) {
        self.waiting.push(Read { rank, place });
    }

    /// Whether the hits shown are known now that no candidate left to read ranks above
    /// `bound`: `limit` of the candidates read rank above it, within the caps.
    pub(super) fn settled(&mut self, bound: &R) -> bool {
        if self.limit == 0 {
            return true;
        }
        while self.shown < self.limit {
            match self.waiting.peek() {
                Some(read) if read.rank > *bound => {}
                _ => break,
            }
            let Some(Read { place, .. }) = self.waiting.pop() else {
                break;
            };
            if self.caps.take(place.source, place.section).is_none() {
                self.shown += 1;
            }
        }
        self.shown >= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(source: &str, line: u64, section: u64) -> HitPlace {
        HitPlace {
            source: source.to_string(),
            line,
            passage: line,
            section,
        }
    }

    #[test]
    fn the_queue_gives_the_highest_bound_and_the_first_of_equals() {
        let mut queue = CeilingQueue::new();
        for (order, bound) in [5, 9, 9, 1].into_iter().enumerate() {
            queue.push(bound, order);
        }
        assert_eq!(queue.peek(), Some((&9, 1)));
        assert_eq!(queue.pop(), Some((9, 1)));
        queue.push(3, 1);
        let rest: Vec<(i32, usize)> = std::iter::from_fn(|| queue.pop()).collect();
        assert_eq!(rest, [(9, 2), (5, 0), (3, 1), (1, 3)]);
    }

    #[test]
    fn hits_are_known_once_enough_rank_above_the_bound_one_section_capped() {
        let mut shown = ShownHits::new(2, 1, 10);
        shown.add(10, place("a.txt", 1, 0));
        shown.add(9, place("a.txt", 5, 0));
        assert!(!shown.settled(&9));
        // The second of section 0 does not count with per_section 1.
        assert!(!shown.settled(&5));
        shown.add(4, place("b.txt", 1, 0));
        assert!(!shown.settled(&4));
        assert!(shown.settled(&3));
        assert!(ShownHits::<i32>::new(0, 1, 1).settled(&100));
    }

    #[test]
    fn a_document_past_its_cap_does_not_count() {
        let mut shown = ShownHits::new(2, 5, 1);
        shown.add(10, place("a.txt", 1, 0));
        shown.add(9, place("a.txt", 5, 1));
        assert!(!shown.settled(&0));
        shown.add(-1, place("b.txt", 1, 0));
        assert!(shown.settled(&-2));
        let mut caps = Caps::new(1, 2);
        assert_eq!(caps.take("a.txt", 0), None);
        assert_eq!(caps.take("a.txt", 0), Some(Cap::Section));
        assert_eq!(caps.take("a.txt", 1), None);
        assert_eq!(caps.take("a.txt", 2), Some(Cap::Document));
    }
}
