//! The word hasher: the hash every word-keyed set and map of the analysis step uses (the
//! lexicon, the split cache, the word memo, the language word lists).

use std::hash::Hasher;

/// The Fx hash (rustc's, Firefox's): fast on short keys. Not DoS-resistant, which a lexicon
/// learned from the user's own corpus does not need. SipHash made the lexicon's lookups of
/// every substring of a word the indexer's hottest spot (issue 5's profile).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*byte)).wrapping_mul(SEED);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.write(&[byte]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
