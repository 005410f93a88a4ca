//! Answers already given: `/api/search` results kept by the index they came from and the
//! request that asked for them, so that a search typed again (the page searches as you type,
//! a link is shared among colleagues) is answered without searching. Bounded in bytes, oldest
//! out first, emptied whenever the served index is swapped; `--cache-mb 0` turns it off.

use crate::search::{SearchRequest, SearchResults};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

/// What a cached answer is found by: the index's generation and the request, its query with
/// its runs of white space made one space (the parse does not see them) and its ends trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    generation: u64,
    request: String,
}

impl CacheKey {
    pub(crate) fn new(generation: u64, request: &SearchRequest) -> CacheKey {
        let query = request
            .query
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // Every field of the request that changes an answer; Debug is stable within a build,
        // and the cache lives no longer than the process.
        let SearchRequest {
            query: _,
            limit,
            lang,
            per_section,
            per_document,
            explain,
            sources,
        } = request;
        let options = format!("{limit} {lang:?} {per_section} {per_document} {explain} {sources}");
        CacheKey {
            generation,
            request: format!("{options}\n{query}"),
        }
    }
}

/// The cache: at most `budget` bytes of answers (each counted as its JSON's length, which is
/// about what its results hold).
#[derive(Debug)]
pub(crate) struct ResultCache {
    budget: usize,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_key: HashMap<CacheKey, (Arc<SearchResults>, usize)>,
    /// Keys from oldest to newest.
    order: VecDeque<CacheKey>,
    bytes: usize,
    /// The newest generation seen: answers of older ones are not kept.
    generation: u64,
}

impl ResultCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub(crate) fn new(budget: usize) -> ResultCache {
        ResultCache {
            budget,
            inner: Mutex::new(Entries::default()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn get(&self, key: &CacheKey) -> Option<Arc<SearchResults>> {
        if self.budget == 0 {
            return None;
        }
        let entries = self.entries();
        entries
            .by_key
            .get(key)
            .map(|(results, _)| Arc::clone(results))
    }

    /// Keeps `results`, of `bytes` bytes, under `key`, the oldest answers dropped to make
    /// room; an answer larger than a quarter of the budget, or of an index no longer served,
    /// is not kept.
    pub(crate) fn put(&self, key: CacheKey, results: Arc<SearchResults>, bytes: usize) {
        if bytes > self.budget / 4 {
            return;
        }
        let mut entries = self.entries();
        if key.generation < entries.generation || entries.by_key.contains_key(&key) {
            return;
        }
        while entries.bytes + bytes > self.budget {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some((_, freed)) = entries.by_key.remove(&oldest) {
                entries.bytes -= freed;
            }
        }
        entries.bytes += bytes;
        entries.order.push_back(key.clone());
        entries.by_key.insert(key, (results, bytes));
    }

    /// Drops every answer: the index of `generation` is served from now on.
    pub(crate) fn swapped_to(&self, generation: u64) {
        let mut entries = self.entries();
        *entries = Entries {
            generation,
            ..Entries::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, limit: usize) -> SearchRequest {
        SearchRequest::new(query, limit, None)
    }

    fn results(total: usize) -> Arc<SearchResults> {
        Arc::new(SearchResults {
            total,
            ..SearchResults::default()
        })
    }

    #[test]
    fn an_answer_is_found_by_its_generation_and_request() {
        let cache = ResultCache::new(1000);
        let key = CacheKey::new(1, &request("lokalt  handlingsrom ", 10));
        cache.put(key.clone(), results(7), 100);
        let same = CacheKey::new(1, &request(" lokalt handlingsrom", 10));
        assert_eq!(cache.get(&same).map(|found| found.total), Some(7));
        assert!(cache
            .get(&CacheKey::new(1, &request("lokalt", 10)))
            .is_none());
        assert!(cache
            .get(&CacheKey::new(1, &request("lokalt handlingsrom", 11)))
            .is_none());
        assert!(cache
            .get(&CacheKey::new(2, &request("lokalt handlingsrom", 10)))
            .is_none());
        let mut explained = request("lokalt handlingsrom", 10);
        explained.explain = true;
        assert!(cache.get(&CacheKey::new(1, &explained)).is_none());
    }

    #[test]
    fn the_oldest_answers_go_first_and_the_budget_holds() {
        let cache = ResultCache::new(1000);
        for n in 0..10 {
            cache.put(
                CacheKey::new(1, &request(&format!("ord{n}"), 10)),
                results(n),
                200,
            );
        }
        let kept: Vec<usize> = (0..10)
            .filter(|n| {
                cache
                    .get(&CacheKey::new(1, &request(&format!("ord{n}"), 10)))
                    .is_some()
            })
            .collect();
        assert_eq!(kept, [5, 6, 7, 8, 9]);
        assert!(cache.entries().bytes <= 1000);
        // Larger than a quarter of the budget: not kept.
        cache.put(CacheKey::new(1, &request("stor", 10)), results(1), 251);
        assert!(cache.get(&CacheKey::new(1, &request("stor", 10))).is_none());
        let off = ResultCache::new(0);
        off.put(CacheKey::new(1, &request("ord", 10)), results(1), 0);
        assert!(off.get(&CacheKey::new(1, &request("ord", 10))).is_none());
    }

    #[test]
    fn r20_a_swap_empties_it_and_answers_of_the_old_index_are_not_kept() {
        let cache = ResultCache::new(1000);
        let old = CacheKey::new(1, &request("ord", 10));
        cache.put(old.clone(), results(1), 10);
        cache.swapped_to(2);
        assert!(cache.get(&old).is_none());
        assert_eq!(cache.entries().bytes, 0);
        // A search begun on the old index that ends after the swap.
        cache.put(old.clone(), results(1), 10);
        assert!(cache.get(&old).is_none());
        assert!(cache.entries().by_key.is_empty());
    }
}
