//! The split cache: splits by stemmer and word, in shards that Tantivy's writer threads lock
//! apart, each emptied when full so that memory stays bounded.

use super::slot;
use crate::analysis::word_hasher::WordHasher;
use crate::lang::Lang;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

/// Splits a caching [`CompoundSplitter`](super::CompoundSplitter) remembers, per stemmer; a
/// shard of the cache is emptied when it grows past its share of this, so memory stays bounded
/// (about 100 bytes a word) whatever the corpus size. A 100 MB generated corpus has 110 000 distinct
/// words long enough to split, most under one stemmer: they fit; at 1 GB, with three times
/// as many, a larger cache pushed peak RSS past issue 5's 400 MB.
const MAX_CACHED_WORDS: usize = 150_000;
/// Shards of the split cache: Tantivy's writer threads look words up at once.
const CACHE_SHARDS: usize = 16;

/// The shard of a word with hash `hash`. The map inside a shard hashes the word again with
/// the same hasher, taking its low bits for the bucket and its top seven as a tag: a shard
/// chosen by either would leave those bits the same for every word of the shard, and the
/// lookups comparing many more keys (issue 5's profile). A multiply mixes every bit in.
fn shard_of(hash: u64) -> usize {
    ((hash ^ (hash >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// Splits by language slot and word, for a [`CompoundSplitter`](super::CompoundSplitter) that
/// remembers them.
#[derive(Debug, Default)]
pub(super) struct SplitCache {
    shards: [[Mutex<CacheShard>; CACHE_SHARDS]; 2],
}

type CacheShard = std::collections::HashMap<String, Arc<[String]>, BuildHasherDefault<WordHasher>>;

impl SplitCache {
    fn shard(&self, lang: Lang, word: &str) -> &Mutex<CacheShard> {
        let mut hasher = WordHasher::default();
        hasher.write(word.as_bytes());
        &self.shards[slot(lang)][shard_of(hasher.finish()) % CACHE_SHARDS]
    }

    pub(super) fn get(&self, lang: Lang, word: &str) -> Option<Arc<[String]>> {
        let shard = self.shard(lang, word).lock().ok()?;
        shard.get(word).cloned()
    }

    pub(super) fn insert(&self, lang: Lang, word: &str, parts: Arc<[String]>) {
        if let Ok(mut shard) = self.shard(lang, word).lock() {
            if shard.len() >= MAX_CACHED_WORDS / CACHE_SHARDS {
                shard.clear();
            }
            shard.insert(word.to_string(), parts);
        }
    }
}
