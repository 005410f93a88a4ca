//! Compound parts. Norwegian and Danish write compounds as one word (`samfunnsberedskap`,
//! `gjeldsnivået`), so a search for `beredskap` or `gjeld` finds nothing by stem alone. The
//! index therefore holds each compound's parts as extra tokens at the compound's position,
//! marked `+` (`+beredskap`) so that a whole-word match still ranks first.
//!
//! Which splits are real is learned from the corpus itself, no dictionary download: a
//! [`Lexicon`] of the words that stand alone in it. A compound splits into parts, each
//! optionally followed by a linking `s` or `e`, where every part is a lexicon word except at
//! most one longer part (`beredskap` need not stand alone in `samfunns|beredskap` when
//! `samfunn` does). The lexicon is stored with the index and used for queries too.

use super::part_marker::PART_MARKER;
use super::stemmer::stem_word;
use super::tokenizer::MAX_TOKEN_BYTES;
use super::word_hasher::WordHasher;
use crate::lang::Lang;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::sync::{Arc, Mutex};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Shortest lexicon word used as a part (shorter ones split too much: `rom`, `del`).
const MIN_KNOWN_PART_CHARS: usize = 4;
/// Shortest part that need not stand alone in the corpus.
const MIN_UNKNOWN_PART_CHARS: usize = 5;
/// Shortest word worth splitting.
const MIN_COMPOUND_CHARS: usize = 8;
/// Letters that may join two parts: `samfunn-s-beredskap`, `barn-e-hage`.
const LINKS: [char; 2] = ['s', 'e'];
/// Parts of parts are split too, this deep (`totalberedskap|s|arbeidet` → `total|beredskap`).
const MAX_DEPTH: usize = 3;
/// Splits a caching [`CompoundSplitter`] remembers, per stemmer; a shard of the
/// cache is emptied when it grows past its share of this, so memory stays bounded (about
/// 100 bytes a word) whatever the corpus size. A 100 MB generated corpus has 110 000 distinct
/// words long enough to split, most under one stemmer: they fit; at 1 GB, with three times
/// as many, a larger cache pushed peak RSS past issue 5's 400 MB.
const MAX_CACHED_WORDS: usize = 150_000;
/// Shards of the split cache: Tantivy's writer threads look words up at once.
const CACHE_SHARDS: usize = 16;
/// The first line of a stored lexicon.
const HEADER: &str = "# lete lexicon v2";

/// Endings that look like a word after a known stem (`mulig|heten`): never an unknown part.
const ENDINGS: &[&str] = &[
    "heten", "heter", "hetene", "heden", "heder", "hederne", "skapet", "skaper", "skapen",
    "sjonen", "sjoner", "ningen", "ninger", "ningene", "lighet", "lighed", "dommen", "tionen",
    "tioner", "messig", "mæssig",
];

/// Suffixes a split may not cut into: `priorit|eringer` is no `prioritet|ringer`, nor
/// `vurd|eringer` a `vurde|ringer`, though `ringer` stands alone.
const UNCUT_SUFFIXES: &[&str] = &[
    "ering", "eringer", "eringen", "eringene", "erne", "ninger", "ningen", "ningene", "elser",
    "elsen", "elsene", "heten", "hetene", "heder", "hederne",
];

/// Whether a part boundary at byte `at` of `word` falls inside one of its suffixes.
fn cuts_a_suffix(word: &str, at: usize) -> bool {
    UNCUT_SUFFIXES
        .iter()
        .any(|suffix| word.ends_with(suffix) && at > word.len() - suffix.len() && at < word.len())
}

/// A part that does not stand alone is believed only when it starts like a word: with a
/// consonant (a vowel start is mostly a suffix: `digital|isering`, `internkont|roll`) and
/// is not a known ending.
fn plausible_unknown(part: &str) -> bool {
    starts_with_consonant(part) && plausible_unknown_rest(part, part.chars().count())
}

fn starts_with_consonant(part: &str) -> bool {
    part.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && !"aeiouyæøåäöé".contains(c))
}

/// The rest of [`plausible_unknown`], for a part `chars` chars long that starts with a
/// consonant (the split search knows both).
fn plausible_unknown_rest(part: &str, chars: usize) -> bool {
    chars >= MIN_UNKNOWN_PART_CHARS && !ENDINGS.contains(&part)
}

/// Function words that stand alone everywhere and are never compound parts.
const NOT_PARTS: &[&str] = &[
    "også", "eller", "etter", "efter", "under", "over", "mellom", "mellem", "gjennom", "gennem",
    "blant", "andre", "anden", "andet", "denne", "dette", "disse", "deres", "hvordan", "hvilke",
    "både", "skal", "skulle", "kunne", "blir", "bliver", "vært", "være", "vere", "ville", "have",
    "havde", "ikke", "ikkje", "uden", "utan", "uten", "mange", "mykje", "mye", "flere", "fleire",
    "mest", "fordi", "slik", "sådan", "samt", "selv", "sjølv", "sine", "sitt", "vårt", "våre",
    "vores", "hans", "hennes", "hende", "dens", "dets", "inne", "inde", "frem", "fram", "ende",
    "enda", "endnu", "noen", "nogen", "nokre", "noko", "noget", "alle", "hele", "heile", "mere",
    "mer", "meir", "fått", "faar", "får", "gjør", "gør", "gjer", "sier", "siger", "seg", "sig",
];

/// [`NOT_PARTS`] as a set: function words are the most common words of a text, and learning
/// checks every word against them.
static NOT_PART_SET: std::sync::LazyLock<HashSet<&'static str, BuildHasherDefault<WordHasher>>> =
    std::sync::LazyLock::new(|| NOT_PARTS.iter().copied().collect());

/// The words that stand alone in a corpus: lowercase forms, their stems per stemmer, and
/// the parts learned from splitting them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    words: WordSet,
    /// By stemmer: Norwegian (bokmål and nynorsk), Danish.
    stems: [WordSet; 2],
    /// Parts that do not stand alone but were split off a compound of the lexicon
    /// (`beredskap` of `samfunnsberedskap`): looked for inside other compounds too, so that
    /// `totalberedskapsarbeidet` holds `beredskap` though its best split cannot tell.
    parts: WordSet,
    /// Bytes of corpus text the lexicon was learned from.
    sample_bytes: u64,
    /// The first four letters of every word, and of every stem per stemmer; the first three
    /// of every stem. A split tries every substring of a word, and most start where no
    /// lexicon entry does: one lookup per start rules them all out (issue 5's profile).
    word_first_four: WordSet,
    stem_first_four: [WordSet; 2],
    stem_first_three: [WordSet; 2],
    /// A lexicon loaded for searching: every entry in one FST, the sets above empty.
    fst: Option<LexiconFst>,
}

/// The best split of each lexicon word long enough to split, by stemmer, as
/// [`Lexicon::learn_parts`] made it: the indexer splits the same words again, and a best split
/// does not depend on the parts learned (issue 5: splitting was most of the indexer's time).
/// Handed to the [`CompoundSplitter`] the indexer splits with.
#[derive(Debug, Default)]
pub struct LearnedSplits {
    by_slot: [SplitMap; 2],
}

type SplitMap = HashMap<Box<str>, Box<[CompactPartSpan]>, BuildHasherDefault<WordHasher>>;

impl LearnedSplits {
    /// The learned best split of `word` under `lang`'s stemmer, if it was learned.
    fn get(&self, lang: Lang, word: &str) -> Option<&[CompactPartSpan]> {
        self.by_slot[slot(lang)].get(word).map(|spans| &**spans)
    }
}

/// A [`PartSpan`] in four bytes (a word has at most [`MAX_TOKEN_BYTES`] chars). An empty list
/// stands for no split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CompactPartSpan {
    start: u8,
    end: u8,
    known: bool,
    weak: bool,
}

impl From<PartSpan> for CompactPartSpan {
    fn from(span: PartSpan) -> CompactPartSpan {
        CompactPartSpan {
            start: span.start as u8,
            end: span.end as u8,
            known: span.known,
            weak: span.weak,
        }
    }
}

impl From<CompactPartSpan> for PartSpan {
    fn from(span: CompactPartSpan) -> PartSpan {
        PartSpan {
            start: usize::from(span.start),
            end: usize::from(span.end),
            known: span.known,
            weak: span.weak,
        }
    }
}

/// What a split point's prefix is, as [`Lexicon::prefix_kinds`] finds it.
const KIND_WORD: u8 = 1;
const KIND_STEM: u8 = 2;

/// Kinds of entry in a lexicon's FST form, as bits of the FST's value.
const FST_WORD: u64 = 1;
const FST_STEM: [u64; 2] = [2, 4];
const FST_PART: u64 = 8;

/// The lexicon as a search reads it (issue 5): one FST of every word, stem and part with
/// their kinds as bits, loaded without parsing, where the text form took most of a whole
/// `lete search` on a large index. An FST lookup fails within the first letters that begin
/// no entry, so it needs no table of first letters.
#[derive(Clone)]
struct LexiconFst {
    map: Arc<tantivy_fst::Map<Vec<u8>>>,
    words: usize,
    has_parts: bool,
}

impl LexiconFst {
    fn kinds(&self, entry: &str) -> u64 {
        self.map.get(entry).unwrap_or(0)
    }
}

impl fmt::Debug for LexiconFst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LexiconFst({} entries)", self.map.len())
    }
}

/// Written out because Tantivy's FST map has no equality of its own: two FST forms are equal
/// when their counts and FST bytes are.
impl PartialEq for LexiconFst {
    fn eq(&self, other: &LexiconFst) -> bool {
        self.words == other.words
            && self.has_parts == other.has_parts
            && self.map.as_fst().to_vec() == other.map.as_fst().to_vec()
    }
}

impl Eq for LexiconFst {}

/// The one empty parts list every word that is no compound shares.
fn no_parts() -> Arc<[String]> {
    static EMPTY: std::sync::OnceLock<Arc<[String]>> = std::sync::OnceLock::new();
    Arc::clone(EMPTY.get_or_init(|| Arc::from(Vec::new())))
}

/// The first `chars` chars of `text` (all of it when shorter).
fn first_chars(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// A set of words hashed with [`WordHasher`]: splitting looks up every substring of a word,
/// and SipHash made those lookups the indexer's hottest spot (issue 5's profile).
type WordSet = HashSet<String, BuildHasherDefault<WordHasher>>;

/// The shard of a word with hash `hash`. The map inside a shard hashes the word again with
/// the same hasher, taking its low bits for the bucket and its top seven as a tag: a shard
/// chosen by either would leave those bits the same for every word of the shard, and the
/// lookups comparing many more keys (issue 5's profile). A multiply mixes every bit in.
fn shard_of(hash: u64) -> usize {
    ((hash ^ (hash >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// Splits by language slot and word, for a [`CompoundSplitter`] that remembers them.
#[derive(Debug, Default)]
struct SplitCache {
    shards: [[Mutex<CacheShard>; CACHE_SHARDS]; 2],
}

type CacheShard = std::collections::HashMap<String, Arc<[String]>, BuildHasherDefault<WordHasher>>;

impl SplitCache {
    fn shard(&self, lang: Lang, word: &str) -> &Mutex<CacheShard> {
        let mut hasher = WordHasher::default();
        hasher.write(word.as_bytes());
        &self.shards[slot(lang)][shard_of(hasher.finish()) % CACHE_SHARDS]
    }

    fn get(&self, lang: Lang, word: &str) -> Option<Arc<[String]>> {
        let shard = self.shard(lang, word).lock().ok()?;
        shard.get(word).cloned()
    }

    fn insert(&self, lang: Lang, word: &str, parts: Arc<[String]>) {
        if let Ok(mut shard) = self.shard(lang, word).lock() {
            if shard.len() >= MAX_CACHED_WORDS / CACHE_SHARDS {
                shard.clear();
            }
            shard.insert(word.to_string(), parts);
        }
    }
}

impl Lexicon {
    /// A lexicon of `words` (any case; function words and short words are left out), with
    /// its parts learned.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        lexicon.extend(words);
        lexicon.learn_parts();
        lexicon
    }

    /// Adds `words`; returns how many were new. Call [`Lexicon::learn_parts`] after.
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) -> usize {
        let mut added = 0;
        // Most words are seen before: lowercased into one buffer, and looked up first, they
        // cost no allocation (issue 5: learning read the sample at a sixth of its speed).
        let mut lowercase = String::new();
        for word in words {
            lowercase_into(word, &mut lowercase);
            if self.has_word(&lowercase) || !is_lexicon_word(&lowercase) {
                continue;
            }
            for lang in [Lang::Nb, Lang::Da] {
                self.add_stem(slot(lang), stem_word(lang, &lowercase));
            }
            self.add_word(lowercase.clone());
            added += 1;
        }
        added
    }

    fn has_word(&self, word: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(word) & FST_WORD != 0,
            None => self.words.contains(word),
        }
    }

    fn has_stem(&self, slot: usize, stem: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(stem) & FST_STEM[slot] != 0,
            None => self.stems[slot].contains(stem),
        }
    }

    fn has_parts(&self) -> bool {
        match &self.fst {
            Some(fst) => fst.has_parts,
            None => !self.parts.is_empty(),
        }
    }

    /// The lexicon as one FST, for [`Lexicon::from_fst_bytes`]: what searches load.
    pub fn to_fst_bytes(&self) -> io::Result<Vec<u8>> {
        let sets = [
            (FST_WORD, &self.words),
            (FST_STEM[0], &self.stems[0]),
            (FST_STEM[1], &self.stems[1]),
            (FST_PART, &self.parts),
        ];
        // One sorted list (faster than a tree map of every entry: the indexer builds this
        // twice per run), an entry of several kinds merged into one.
        let mut entries: Vec<(&str, u64)> = sets
            .iter()
            .flat_map(|(kind, set)| set.iter().map(move |entry| (entry.as_str(), *kind)))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut builder = tantivy_fst::MapBuilder::memory();
        let mut entries = entries.into_iter().peekable();
        while let Some((entry, mut kind)) = entries.next() {
            while let Some((_, more)) = entries.next_if(|(next, _)| *next == entry) {
                kind |= more;
            }
            builder.insert(entry, kind).map_err(io::Error::other)?;
        }
        // A header of two counts, words and parts, then the FST.
        let bytes = builder.into_inner().map_err(io::Error::other)?;
        let mut out = (self.words.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(&(self.parts.len() as u64).to_le_bytes());
        out.extend_from_slice(&bytes);
        Ok(out)
    }

    /// The same lexicon in its FST form, which splits faster ([`Lexicon::prefix_kinds`]) but
    /// cannot learn: what the indexer's analyzers use (issue 5).
    pub fn to_fst_form(&self) -> io::Result<Lexicon> {
        Lexicon::from_fst_bytes(self.to_fst_bytes()?)
    }

    /// A lexicon for searching from [`Lexicon::to_fst_bytes`]'s output. It answers every
    /// lookup as the lexicon it was made of; it cannot learn (the indexer reads the text form).
    pub fn from_fst_bytes(bytes: Vec<u8>) -> io::Result<Lexicon> {
        let invalid = || io::Error::new(io::ErrorKind::InvalidData, "not a lete lexicon FST");
        let count = |at: usize| -> io::Result<u64> {
            let field: [u8; 8] = bytes
                .get(at..at + 8)
                .and_then(|field| field.try_into().ok())
                .ok_or_else(invalid)?;
            Ok(u64::from_le_bytes(field))
        };
        let (words, parts) = (count(0)?, count(8)?);
        let mut bytes = bytes;
        bytes.drain(..16);
        let map = tantivy_fst::Map::from_bytes(bytes).map_err(|_| invalid())?;
        Ok(Lexicon {
            fst: Some(LexiconFst {
                map: Arc::new(map),
                words: words as usize,
                has_parts: parts > 0,
            }),
            ..Lexicon::default()
        })
    }

    fn add_word(&mut self, word: String) {
        self.word_first_four
            .insert(first_chars(&word, 4).to_string());
        self.words.insert(word);
    }

    fn add_stem(&mut self, slot: usize, stem: String) {
        self.stem_first_four[slot].insert(first_chars(&stem, 4).to_string());
        self.stem_first_three[slot].insert(first_chars(&stem, 3).to_string());
        self.stems[slot].insert(stem);
    }

    /// Adds what `other` learned from its own texts (its words, their stems, its sample), as
    /// if this lexicon had learned those texts too: lexicons learned on several threads are
    /// merged so. Parts are not merged; call [`Lexicon::learn_parts`] after.
    pub fn absorb(&mut self, other: Lexicon) {
        self.sample_bytes += other.sample_bytes;
        let union = |into: &mut WordSet, from: WordSet| {
            if into.len() < from.len() {
                let smaller = std::mem::replace(into, from);
                into.extend(smaller);
            } else {
                into.extend(from);
            }
        };
        union(&mut self.words, other.words);
        union(&mut self.word_first_four, other.word_first_four);
        for (slot, (stems, (first_four, first_three))) in other
            .stems
            .into_iter()
            .zip(
                other
                    .stem_first_four
                    .into_iter()
                    .zip(other.stem_first_three),
            )
            .enumerate()
        {
            union(&mut self.stems[slot], stems);
            union(&mut self.stem_first_four[slot], first_four);
            union(&mut self.stem_first_three[slot], first_three);
        }
    }

    /// Learns the words of `text` (raw corpus text). Call [`Lexicon::learn_parts`] after.
    pub fn learn_text(&mut self, text: &str) {
        self.sample_bytes += text.len() as u64;
        self.extend(text.split(|c: char| !c.is_alphabetic()));
    }

    /// Splits every lexicon word and keeps the parts that do not stand alone. The words are
    /// split on every core (issue 5: this ran alone before indexing could start). Returns the
    /// best splits made on the way, for a [`CompoundSplitter`] of this lexicon to reuse.
    pub fn learn_parts(&mut self) -> LearnedSplits {
        let mut words: Vec<&String> = self
            .words
            .iter()
            .filter(|word| word.chars().count() >= MIN_COMPOUND_CHARS)
            .collect();
        // Sorted, so each thread's share (and the work) is the same on every run.
        words.sort();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = words.len().div_ceil(threads).max(1);
        // The search runs on the FST form, built once: its one pass per split point beats a
        // lookup per substring.
        let fst_form = self.to_fst_form().ok();
        let this = fst_form.as_ref().unwrap_or(self);
        let shares: Vec<(Vec<String>, LearnedSplits)> = std::thread::scope(|scope| {
            let workers: Vec<_> = words
                .chunks(chunk)
                .map(|share| scope.spawn(move || this.unknown_parts(share)))
                .collect();
            workers
                .into_iter()
                .filter_map(|worker| worker.join().ok())
                .collect()
        });
        let mut learned = WordSet::default();
        let mut splits = LearnedSplits::default();
        for (parts, share_splits) in shares {
            learned.extend(parts);
            for (all, share) in splits.by_slot.iter_mut().zip(share_splits.by_slot) {
                all.extend(share);
            }
        }
        self.parts = learned;
        splits
    }

    /// The plausible parts of `words`' best splits that the lexicon does not know, and the
    /// splits.
    fn unknown_parts(&self, words: &[&String]) -> (Vec<String>, LearnedSplits) {
        let mut learned = Vec::new();
        let mut splits = LearnedSplits::default();
        for word in words {
            for lang in [Lang::Nb, Lang::Da] {
                let spans = self.best_spans(lang, word);
                let compact: Box<[CompactPartSpan]> =
                    spans.iter().copied().map(CompactPartSpan::from).collect();
                splits.by_slot[slot(lang)].insert(word.as_str().into(), compact);
                let split = split_parts(word, &spans).unwrap_or_default();
                // Evidence only from splits whose known parts stand alone as written:
                // `rekrut` (a Danish stem) must not teach `tering`.
                if split.iter().any(|part| part.weak) {
                    continue;
                }
                for part in split {
                    if !part.known && plausible_unknown(&part.text) {
                        learned.push(part.text);
                    }
                }
            }
        }
        (learned, splits)
    }

    pub fn len(&self) -> usize {
        match &self.fst {
            Some(fst) => fst.words,
            None => self.words.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of corpus text learned from so far.
    pub fn sample_bytes(&self) -> u64 {
        self.sample_bytes
    }

    pub fn contains(&self, word: &str) -> bool {
        self.has_word(word)
    }

    /// Whether `part` was learned as a compound part.
    pub fn has_part(&self, part: &str) -> bool {
        match &self.fst {
            Some(fst) => fst.kinds(part) & FST_PART != 0,
            None => self.parts.contains(part),
        }
    }

    /// The parts of the compound `word` (lowercase), outermost split first, then the parts of
    /// its parts; empty when `word` is not a compound of lexicon words. Parts are as written
    /// (not stemmed), linking letters dropped. Worked out afresh: a [`CompoundSplitter`]
    /// remembers them.
    pub fn split(&self, lang: Lang, word: &str) -> Vec<String> {
        self.split_with(lang, word, None)
    }

    /// [`Lexicon::split`], looking up best splits in `learned` before searching for them.
    fn split_with(&self, lang: Lang, word: &str, learned: Option<&LearnedSplits>) -> Vec<String> {
        if word.chars().count() < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        // The word's own split is made once: its parts, and where it had to guess.
        let Some(top) = self.best_split(lang, word, learned) else {
            return Vec::new();
        };
        // Learned parts are looked for where the split had to guess: in its unknown part.
        let guessed: Vec<Range<usize>> = top
            .iter()
            .filter(|part| !part.known)
            .map(|part| part.range.clone())
            .collect();
        let mut parts = Vec::new();
        self.add_parts(lang, top, MAX_DEPTH, learned, &mut parts);
        self.embedded_parts(word, &guessed, &mut parts);
        parts
    }

    /// The parts of a query word that is a compound (`klima`, `endringer` of
    /// `klimaendringer`): its best split only, two parts at least; empty otherwise.
    pub fn query_parts(&self, lang: Lang, word: &str) -> Vec<String> {
        self.query_parts_with(lang, word, None)
    }

    /// [`Lexicon::query_parts`], looking up the best split in `learned` first.
    fn query_parts_with(
        &self,
        lang: Lang,
        word: &str,
        learned: Option<&LearnedSplits>,
    ) -> Vec<String> {
        self.best_split(lang, word, learned)
            .map(|parts| parts.into_iter().map(|part| part.text).collect())
            .unwrap_or_default()
    }

    /// Learned parts inside `word` that end where a part may end: at the word's end or
    /// before a linking letter (`beredskap` in `totalberedskapsarbeidet`).
    fn embedded_parts(&self, word: &str, guessed: &[Range<usize>], out: &mut Vec<String>) {
        if !self.has_parts() || guessed.is_empty() || word.len() > MAX_TOKEN_BYTES {
            return;
        }
        let bounds = char_bounds(word);
        let chars = bounds.len() - 1;
        if chars < MIN_COMPOUND_CHARS {
            return;
        }
        for end in MIN_UNKNOWN_PART_CHARS..=chars {
            let at_end = end == chars;
            let before_link = !at_end
                && end + 1 < chars
                && word[bounds[end]..]
                    .chars()
                    .next()
                    .is_some_and(|c| LINKS.contains(&c));
            if !at_end && !before_link {
                continue;
            }
            for start in 0..=end - MIN_UNKNOWN_PART_CHARS {
                if start == 0 && at_end {
                    continue;
                }
                let range = bounds[start]..bounds[end];
                let overlaps = guessed
                    .iter()
                    .any(|span| span.start < range.end && range.start < span.end);
                let part = &word[range];
                if overlaps && self.has_part(part) && !out.iter().any(|known| known == part) {
                    out.push(part.to_string());
                }
            }
        }
    }

    /// Adds `split`'s parts to `out`, then the parts of its parts, `depth` levels in all.
    fn add_parts(
        &self,
        lang: Lang,
        split: Vec<SplitPart>,
        depth: usize,
        learned: Option<&LearnedSplits>,
        out: &mut Vec<String>,
    ) {
        let parts: Vec<String> = split.into_iter().map(|part| part.text).collect();
        for part in &parts {
            if !out.contains(part) {
                out.push(part.clone());
            }
        }
        if depth <= 1 {
            return;
        }
        for part in &parts {
            if let Some(inner) = self.best_split(lang, part, learned) {
                self.add_parts(lang, inner, depth - 1, learned, out);
            }
        }
    }

    /// The split of `word` into the fewest parts, at most one of them unknown: each part as
    /// written, whether the lexicon knows it, and its byte range in `word`. Looked up in
    /// `learned` when it is there, else searched for.
    fn best_split(
        &self,
        lang: Lang,
        word: &str,
        learned: Option<&LearnedSplits>,
    ) -> Option<Vec<SplitPart>> {
        if let Some(compact) = learned.and_then(|learned| learned.get(lang, word)) {
            let spans: Vec<PartSpan> = compact.iter().copied().map(PartSpan::from).collect();
            return split_parts(word, &spans);
        }
        split_parts(word, &self.best_spans(lang, word))
    }

    /// The part spans of [`Lexicon::best_split`], found by the search; empty when there is none.
    fn best_spans(&self, lang: Lang, word: &str) -> Vec<PartSpan> {
        if word.len() > MAX_TOKEN_BYTES || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let bounds = char_bounds(word);
        let chars = bounds.len() - 1;
        if chars < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        let mut search = SplitSearch {
            lexicon: self,
            lang,
            word,
            bounds: &bounds,
            memo: vec![None; 2 * (chars + 1)],
            start_infos: vec![None; chars + 1],
            kinds: vec![0; (chars + 1) * (chars + 1)],
        };
        if search.best(0, true).is_none() {
            return Vec::new();
        }
        search.spans()
    }

    /// What the lexicon holds of each prefix of `rest` (a word from some char on), into
    /// `kinds` by the prefix's length in chars: [`KIND_WORD`], or [`KIND_STEM`] for a stem of
    /// this stemmer that is no word (never for the whole rest, which is looked up as a head). `bounds` are the byte offsets of `rest`'s chars in the word,
    /// its end last. The FST form walks its FST once along `rest` and stops where no entry
    /// begins (issue 5: a lookup per prefix was the indexer's hottest spot); it also narrows
    /// `possible.head_by_stem` to heads that some entry begins like.
    fn prefix_kinds(
        &self,
        lang: Lang,
        rest: &str,
        bounds: &[usize],
        possible: &mut PossibleEntries,
        kinds: &mut [u8],
    ) {
        let chars = bounds.len() - 1;
        let base = bounds[0];
        if let Some(fst_form) = &self.fst {
            let fst = fst_form.map.as_fst();
            let mut node = fst.root();
            let mut output = tantivy_fst::raw::Output::zero();
            let mut length = 0;
            for (at, byte) in rest.bytes().enumerate() {
                let Some(index) = node.find_input(byte) else {
                    break;
                };
                let transition = node.transition(index);
                output = output.cat(transition.out);
                node = fst.node(transition.addr);
                if at + 1 == bounds[length + 1] - base {
                    length += 1;
                    if node.is_final() && length >= MIN_KNOWN_PART_CHARS {
                        let entry = output.cat(node.final_output()).value();
                        kinds[length] = if entry & FST_WORD != 0 {
                            KIND_WORD
                        } else if length < chars && entry & FST_STEM[slot(lang)] != 0 {
                            KIND_STEM
                        } else {
                            0
                        };
                    }
                }
            }
            possible.head_by_stem &= length >= 3;
            return;
        }
        for length in MIN_KNOWN_PART_CHARS..=chars {
            let prefix = &rest[..bounds[length] - base];
            if possible.word && self.words.contains(prefix) {
                kinds[length] = KIND_WORD;
            } else if length < chars && possible.stem && self.stems[slot(lang)].contains(prefix) {
                kinds[length] = KIND_STEM;
            }
        }
    }

    /// Whether `head` (the final part, which carries the compound's ending) stands alone
    /// through its stem (whether it stands alone as written is [`Lexicon::prefix_kinds`]'s).
    fn knows_head_stem(&self, lang: Lang, head: &str, possible: PossibleEntries) -> bool {
        // Known only through its stem, a head must be longer: `roll` (the stem of `rolle`)
        // would make `internkont|roll` of `internkontroll`. A stem is a prefix of its word,
        // three letters at least (Snowball's R1), so a head whose first three letters begin no
        // stem need not be stemmed.
        possible.head_by_stem
            && head.chars().count() > MIN_KNOWN_PART_CHARS
            && self.has_stem(slot(lang), &stem_word(lang, head))
    }

    /// What may start at the start of `rest` (a word from some char on, four chars at least).
    fn possible_entries(&self, lang: Lang, rest: &str) -> PossibleEntries {
        if self.fst.is_some() {
            return PossibleEntries {
                word: true,
                stem: true,
                head_by_stem: true,
            };
        }
        let four = first_chars(rest, 4);
        PossibleEntries {
            word: self.word_first_four.contains(four),
            stem: self.stem_first_four[slot(lang)].contains(four),
            head_by_stem: self.stem_first_three[slot(lang)].contains(first_chars(rest, 3)),
        }
    }

    /// Writes the lexicon: a header with the sample size, then one entry per line, sorted:
    /// `w\tword`, `n\tstem` (Norwegian), `d\tstem` (Danish), `p\tpart` (learned). Stems are
    /// stored so that a search need not stem the lexicon to load it.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{HEADER} sample_bytes={}", self.sample_bytes)?;
        let sets = [
            ('w', &self.words),
            ('n', &self.stems[0]),
            ('d', &self.stems[1]),
            ('p', &self.parts),
        ];
        for (kind, set) in sets {
            let mut entries: Vec<&String> = set.iter().collect();
            entries.sort();
            for entry in entries {
                writeln!(out, "{kind}\t{entry}")?;
            }
        }
        Ok(())
    }

    /// Reads a lexicon written by [`Lexicon::write_to`].
    pub fn read_from(input: impl BufRead) -> io::Result<Lexicon> {
        let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let mut lines = input.lines();
        let header = lines.next().transpose()?.unwrap_or_default();
        let sample_bytes = header
            .strip_prefix(HEADER)
            .and_then(|rest| rest.trim().strip_prefix("sample_bytes="))
            .and_then(|number| number.parse().ok())
            .ok_or_else(|| invalid("not a lete lexicon (bad header)"))?;
        let mut lexicon = Lexicon {
            sample_bytes,
            ..Lexicon::default()
        };
        for line in lines {
            let line = line?;
            let (kind, entry) = line
                .split_once('\t')
                .ok_or_else(|| invalid("not a lete lexicon (bad line)"))?;
            match kind {
                "w" => lexicon.add_word(entry.to_string()),
                "n" => lexicon.add_stem(0, entry.to_string()),
                "d" => lexicon.add_stem(1, entry.to_string()),
                "p" => {
                    lexicon.parts.insert(entry.to_string());
                }
                _ => return Err(invalid("not a lete lexicon (bad entry kind)")),
            }
        }
        Ok(lexicon)
    }
}

/// The parts of `word` that `spans` (chars `start..end`) cut it into; `None` unless two or
/// more.
fn split_parts(word: &str, spans: &[PartSpan]) -> Option<Vec<SplitPart>> {
    if spans.len() < 2 {
        return None;
    }
    let bounds = char_bounds(word);
    let parts = spans
        .iter()
        .map(|span| {
            let range = bounds[span.start]..bounds[span.end];
            SplitPart {
                text: word[range.clone()].to_string(),
                known: span.known,
                weak: span.weak,
                range,
            }
        })
        .collect();
    Some(parts)
}

/// `word.to_lowercase()`, written into `out`.
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else if word.contains('Σ') {
        // The one letter whose lowercase depends on its place in the word.
        out.push_str(&word.to_lowercase());
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

fn is_lexicon_word(word: &str) -> bool {
    word.chars().count() >= MIN_KNOWN_PART_CHARS
        && word.len() <= MAX_TOKEN_BYTES
        && word.chars().all(char::is_alphabetic)
        && !NOT_PART_SET.contains(word)
}

/// The byte offset of each char of `word`, and its length last.
fn char_bounds(word: &str) -> Vec<usize> {
    word.char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect()
}

/// The stem set of `lang`'s stemmer: bokmål and nynorsk share the Norwegian one.
fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Nb | Lang::Nn => 0,
        Lang::Da => 1,
    }
}

/// Which kinds of lexicon entry a part starting at some split point may be, judged by its
/// first letters: a lookup that cannot succeed is skipped.
#[derive(Debug, Clone, Copy)]
struct PossibleEntries {
    /// Some lexicon word begins as the part does (its first four letters).
    word: bool,
    /// Some stem of this stemmer begins as the part does (its first four letters).
    stem: bool,
    /// Some stem begins with the part's first three letters, so a final part may be known
    /// through its stem ([`Lexicon::knows_head_stem`]).
    head_by_stem: bool,
}

/// What the lexicon holds of a part: the evidence that it is a real part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartEvidence {
    /// It stands alone as written.
    Word,
    /// Only as a stem: weaker evidence (`samfun`, the stem of `samfunn`, is no word).
    StemOnly,
    /// Nothing: at most one such part, and only a plausible one ([`plausible_unknown`]).
    Unknown,
}

/// A split's cost, lower is better. Compared field by field in the order written (the
/// derived `Ord`): fewest unknown parts first, then fewest parts, then fewest parts known
/// only as stems, then fewest letters in unknown parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SplitCost {
    unknown_parts: usize,
    parts: usize,
    stem_only_parts: usize,
    unknown_chars: usize,
}

/// A memoised search over split points, for the split of least [`SplitCost`].
struct SplitSearch<'a> {
    lexicon: &'a Lexicon,
    lang: Lang,
    word: &'a str,
    /// Byte offset of each char, and the word's length last.
    bounds: &'a [usize],
    /// By `2 * start + unknown_allowed`: `Some(best)` once searched.
    memo: Vec<Option<Option<Step>>>,
    /// By start: [`SplitSearch::start_info`] once worked out.
    start_infos: Vec<Option<StartInfo>>,
    /// By `start * (chars + 1) + length`: what the lexicon holds of the part (`KIND_*`),
    /// filled for a start with its info.
    kinds: Vec<u8>,
}

/// What a split search knows of one split point.
#[derive(Debug, Clone, Copy)]
struct StartInfo {
    /// The whole rest is known as a final part.
    head_known: bool,
    /// A part starting here begins with a consonant (see [`plausible_unknown`]).
    consonant: bool,
}

/// The best split of a word from some char on, as its first part and where the rest's best
/// split is memoised: the search allocates nothing per candidate (issue 5's profile).
#[derive(Debug, Clone, Copy)]
struct Step {
    cost: SplitCost,
    span: PartSpan,
    /// The memo slot of the rest's split; `None` when `span` is the last part.
    rest: Option<usize>,
}

/// A part of a found split.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SplitPart {
    text: String,
    known: bool,
    /// Known only through a stem, not as written.
    weak: bool,
    range: Range<usize>,
}

/// Where a part of a split lies, its chars `start..end` in the word, and whether the lexicon
/// knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PartSpan {
    start: usize,
    end: usize,
    known: bool,
    /// Known only through a stem, not as written.
    weak: bool,
}

impl SplitSearch<'_> {
    /// The cost of the best split of the word from char `start` on, with one unknown part
    /// still allowed when `unknown_allowed`; the split itself is left in the memo.
    fn best(&mut self, start: usize, unknown_allowed: bool) -> Option<SplitCost> {
        let memo_slot = 2 * start + usize::from(unknown_allowed);
        if let Some(known) = &self.memo[memo_slot] {
            return known.map(|step| step.cost);
        }
        let chars = self.bounds.len() - 1;
        let mut best: Option<Step> = None;
        if start > 0 && cuts_a_suffix(self.word, self.bounds[start]) {
            self.memo[memo_slot] = Some(None);
            return None;
        }
        let info = self.start_info(start);
        let row = start * (chars + 1);
        for end in start + MIN_KNOWN_PART_CHARS..=chars {
            let part = &self.word[self.bounds[start]..self.bounds[end]];
            let length = end - start;
            let kind = self.kinds[row + length];
            let is_word = kind == KIND_WORD;
            let plausible_unknown = || info.consonant && plausible_unknown_rest(part, length);
            if end == chars {
                // The whole rest as the final part; a split needs two parts at least, so a
                // final part from char 0 is the word itself and not a split.
                if start == 0 {
                    continue;
                }
                let known = info.head_known;
                if known || (unknown_allowed && plausible_unknown()) {
                    let cost = SplitCost {
                        unknown_parts: usize::from(!known),
                        parts: 1,
                        stem_only_parts: 0,
                        unknown_chars: if known { 0 } else { length },
                    };
                    let span = PartSpan {
                        start,
                        end,
                        known,
                        weak: known && !is_word,
                    };
                    consider(
                        &mut best,
                        Step {
                            cost,
                            span,
                            rest: None,
                        },
                    );
                }
                continue;
            }
            let known = if is_word {
                PartEvidence::Word
            } else if kind == KIND_STEM {
                PartEvidence::StemOnly
            } else {
                PartEvidence::Unknown
            };
            if known == PartEvidence::Unknown && !(unknown_allowed && plausible_unknown()) {
                continue;
            }
            let rest_unknown_allowed = unknown_allowed && known != PartEvidence::Unknown;
            // The next part starts after a linking letter, or right after this one; on a
            // tie the linking letter is taken (`samfunn|s|beredskap`, not `|sberedskap`).
            let next_char = self.word[self.bounds[end]..].chars().next();
            let after_link = (next_char.is_some_and(|c| LINKS.contains(&c)) && end + 1 < chars)
                .then_some(end + 1);
            for next in after_link.into_iter().chain([end]) {
                if let Some(rest_cost) = self.best(next, rest_unknown_allowed) {
                    let unknown_here = known == PartEvidence::Unknown;
                    let cost = SplitCost {
                        unknown_parts: rest_cost.unknown_parts + usize::from(unknown_here),
                        parts: rest_cost.parts + 1,
                        stem_only_parts: rest_cost.stem_only_parts
                            + usize::from(known == PartEvidence::StemOnly),
                        unknown_chars: rest_cost.unknown_chars
                            + if unknown_here { length } else { 0 },
                    };
                    let span = PartSpan {
                        start,
                        end,
                        known: !unknown_here,
                        weak: known == PartEvidence::StemOnly,
                    };
                    let rest = Some(2 * next + usize::from(rest_unknown_allowed));
                    consider(&mut best, Step { cost, span, rest });
                }
            }
        }
        self.memo[memo_slot] = Some(best);
        best.map(|step| step.cost)
    }

    /// What the lexicon holds of every prefix of the word from char `start` on (see
    /// [`Lexicon::prefix_kinds`]), and whether the whole rest is known as a head: worked out
    /// once per start, for both of its searches.
    fn start_info(&mut self, start: usize) -> StartInfo {
        if let Some(info) = self.start_infos[start] {
            return info;
        }
        let chars = self.bounds.len() - 1;
        let rest = &self.word[self.bounds[start]..];
        let mut possible = self.lexicon.possible_entries(self.lang, rest);
        let row = start * (chars + 1);
        self.lexicon.prefix_kinds(
            self.lang,
            rest,
            &self.bounds[start..],
            &mut possible,
            &mut self.kinds[row..row + chars + 1 - start],
        );
        let head_known = start > 0
            && chars - start >= MIN_KNOWN_PART_CHARS
            && (self.kinds[row + chars - start] == KIND_WORD
                || self.lexicon.knows_head_stem(self.lang, rest, possible));
        let info = StartInfo {
            head_known,
            consonant: starts_with_consonant(rest),
        };
        self.start_infos[start] = Some(info);
        info
    }

    /// The parts of the best split found by `best(0, true)`, in order.
    fn spans(&self) -> Vec<PartSpan> {
        let mut spans = Vec::new();
        let mut slot = Some(1);
        while let Some(Some(Some(step))) = slot.map(|slot| self.memo[slot]) {
            spans.push(step.span);
            slot = step.rest;
        }
        spans
    }
}

fn consider(best: &mut Option<Step>, step: Step) {
    // Ties keep the first found: the earliest, shortest first part, so a longer head wins.
    if best.as_ref().is_none_or(|known| step.cost < known.cost) {
        *best = Some(step);
    }
}

/// Splits compounds with one lexicon, and remembers the splits: the lexicon itself stays a
/// plain value. The indexer's analyzers share one splitter, and so do the queries of an open
/// index.
#[derive(Debug)]
pub struct CompoundSplitter {
    lexicon: Arc<Lexicon>,
    /// Best splits made while the lexicon learned its parts, looked up before searching.
    learned: LearnedSplits,
    /// Splits already made; `None` when they are worked out each time.
    cache: Option<SplitCache>,
}

impl CompoundSplitter {
    /// A splitter of `lexicon` that remembers its splits, as the same words recur throughout a
    /// corpus (the cache is bounded: [`MAX_CACHED_WORDS`]).
    pub fn new(lexicon: Arc<Lexicon>) -> CompoundSplitter {
        CompoundSplitter {
            lexicon,
            learned: LearnedSplits::default(),
            cache: Some(SplitCache::default()),
        }
    }

    /// A splitter of `lexicon` that works each split out afresh: for an analyzer that
    /// remembers each word's terms itself (the indexer's memo), where a split cache would only
    /// hold the same words twice.
    pub fn uncached(lexicon: Arc<Lexicon>) -> CompoundSplitter {
        CompoundSplitter {
            cache: None,
            ..CompoundSplitter::new(lexicon)
        }
    }

    /// The splitter, looking up best splits in `learned` (from [`Lexicon::learn_parts`] of
    /// the same lexicon, in any form) before searching for them.
    pub fn with_learned_splits(self, learned: LearnedSplits) -> CompoundSplitter {
        CompoundSplitter { learned, ..self }
    }

    /// [`Lexicon::split`].
    pub fn split(&self, lang: Lang, word: &str) -> Vec<String> {
        self.split_shared(lang, word).to_vec()
    }

    /// [`Lexicon::query_parts`].
    pub fn query_parts(&self, lang: Lang, word: &str) -> Vec<String> {
        self.lexicon
            .query_parts_with(lang, word, Some(&self.learned))
    }

    /// As [`CompoundSplitter::split`], remembered when the splitter has a cache.
    pub fn split_shared(&self, lang: Lang, word: &str) -> Arc<[String]> {
        if word.chars().count() < MIN_COMPOUND_CHARS {
            return no_parts();
        }
        let Some(cache) = &self.cache else {
            return self.split_uncached(lang, word).into();
        };
        if let Some(parts) = cache.get(lang, word) {
            return parts;
        }
        let parts = self.split_uncached(lang, word);
        // Most words are no compound: they share one empty list.
        let parts: Arc<[String]> = if parts.is_empty() {
            no_parts()
        } else {
            parts.into()
        };
        cache.insert(lang, word, Arc::clone(&parts));
        parts
    }

    fn split_uncached(&self, lang: Lang, word: &str) -> Vec<String> {
        self.lexicon.split_with(lang, word, Some(&self.learned))
    }
}

impl From<Lexicon> for CompoundSplitter {
    fn from(lexicon: Lexicon) -> CompoundSplitter {
        CompoundSplitter::new(Arc::new(lexicon))
    }
}

/// Adds `+part` tokens after each compound token, at its position and offsets. Expects
/// lowercased tokens; a stemmer after it stems the parts.
#[derive(Clone, Debug)]
pub struct CompoundFilter {
    splitter: Arc<CompoundSplitter>,
    lang: Lang,
}

impl CompoundFilter {
    pub fn new(splitter: Arc<CompoundSplitter>, lang: Lang) -> CompoundFilter {
        CompoundFilter { splitter, lang }
    }
}

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            splitter: self.splitter,
            lang: self.lang,
            inner,
        }
    }
}

/// A tokenizer whose compound tokens are followed by their parts. Every clone of the analyzer
/// (Tantivy takes a fresh clone per segment) shares one splitter, and so its cache.
#[derive(Clone, Debug)]
pub struct CompoundTokenizer<T> {
    splitter: Arc<CompoundSplitter>,
    lang: Lang,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundTokenStream {
            tail: self.inner.token_stream(text),
            splitter: &self.splitter,
            lang: self.lang,
            pending: VecDeque::new(),
            current: None,
        }
    }
}

/// The tokens of one text with compound parts added.
pub struct CompoundTokenStream<'a, S> {
    tail: S,
    splitter: &'a CompoundSplitter,
    lang: Lang,
    pending: VecDeque<Token>,
    /// A part token being handed out; `None` while the tail's own token is current.
    current: Option<Token>,
}

impl<S: TokenStream> CompoundTokenStream<'_, S> {
    fn parts_of(&mut self, word: &str) -> Arc<[String]> {
        self.splitter.split_shared(self.lang, word)
    }
}

impl<S: TokenStream> TokenStream for CompoundTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.pending.pop_front() {
            self.current = Some(part);
            return true;
        }
        self.current = None;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        if token.text.chars().count() >= MIN_COMPOUND_CHARS {
            let template = token.clone();
            let parts = self.parts_of(&template.text);
            for part in parts.iter() {
                let mut part_token = template.clone();
                part_token.text = format!("{PART_MARKER}{part}");
                self.pending.push_back(part_token);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        match &self.current {
            Some(part) => part,
            None => self.tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.current {
            Some(part) => part,
            None => self.tail.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that stand alone in the bundled corpus (`samfunn`, `total`, `arbeidet`, `nivået`
    /// all do), and a few that do not.
    fn corpus_lexicon() -> Lexicon {
        Lexicon::from_words([
            "samfunn",
            "samfunnet",
            "total",
            "arbeidet",
            "nivået",
            "klima",
            "endringer",
            "heltid",
            "kultur",
            "økonomi",
            "aftalen",
            "også",
        ])
    }

    #[test]
    fn splits_the_corpus_compounds_of_the_issue() {
        let lexicon = corpus_lexicon();
        assert_eq!(
            lexicon.split(Lang::Nb, "samfunnsberedskap"),
            ["samfunn", "beredskap"]
        );
        let parts = lexicon.split(Lang::Nb, "totalberedskapsarbeidet");
        assert!(parts.contains(&"beredskap".to_string()), "{parts:?}");
        assert!(parts.contains(&"total".to_string()), "{parts:?}");
        assert!(parts.contains(&"arbeidet".to_string()), "{parts:?}");
        assert_eq!(lexicon.split(Lang::Nb, "gjeldsnivået"), ["gjeld", "nivået"]);
        assert_eq!(
            lexicon.split(Lang::Nb, "klimaendringer"),
            ["klima", "endringer"]
        );
        assert_eq!(
            lexicon.split(Lang::Nb, "heltidskultur"),
            ["heltid", "kultur"]
        );
    }

    #[test]
    fn a_part_learned_from_one_compound_is_found_in_another() {
        // As in the bundled corpus: `beredskap` and `total` never stand alone, `redskap`
        // does, so the best split of `totalberedskap` is `totalb|redskap`; `beredskap`,
        // learned from `samfunns|beredskap`, is still found inside it.
        let lexicon = Lexicon::from_words([
            "samfunnet",
            "samfunn",
            "samfunnsberedskap",
            "redskap",
            "arbeidet",
            "totalberedskapsarbeidet",
        ]);
        assert!(lexicon.has_part("beredskap"));
        let parts = lexicon.split(Lang::Nb, "totalberedskapsarbeidet");
        assert!(parts.contains(&"beredskap".to_string()), "{parts:?}");
        // Not inside parts the split knows: `endringer` stands alone, so `ringer` is not
        // looked for in it.
        let lexicon =
            Lexicon::from_words(["klima", "endringer", "omstillingsringer", "omstilling"]);
        assert!(lexicon.has_part("ringer"));
        assert_eq!(
            lexicon.split(Lang::Nb, "klimaendringer"),
            ["klima", "endringer"]
        );
    }

    #[test]
    fn words_without_known_parts_stay_whole() {
        let mut lexicon = corpus_lexicon();
        lexicon.extend(["digital", "mulig", "rolle", "organ", "helt"]);
        for word in [
            "digitalisering",
            "muligheten",
            "internkontroll",
            "organisering",
            "beredskap",
            "forvaltningen",
            "utfordringer",
            "kommunene",
            "samfunn",
            "2024-2027",
        ] {
            assert!(lexicon.split(Lang::Nb, word).is_empty(), "{word}");
        }
    }

    #[test]
    fn no_part_is_made_of_an_unsplittable_word() {
        // `rekrut` is only a Danish stem: `rekrut|tering` teaches nothing, and a word with no
        // split is not searched for learned parts.
        let lexicon = Lexicon::from_words([
            "rekruttering",
            "prioriteringer",
            "oppdateringer",
            "implementeringen",
            "ringer",
        ]);
        assert!(!lexicon.has_part("tering"));
        for word in ["rekruttering", "prioriteringer", "vurderinger"] {
            assert!(lexicon.split(Lang::Nb, word).is_empty(), "{word}");
            assert!(lexicon.query_parts(Lang::Nb, word).is_empty(), "{word}");
        }
    }

    /// `SplitCost` replaced a tuple `(unknown parts, parts, stem-only parts, unknown chars)`
    /// compared in order: its derived order must be exactly the tuple's.
    #[test]
    fn split_cost_orders_as_its_fields_in_turn() {
        let costs: Vec<(usize, usize, usize, usize)> = (0..3)
            .flat_map(|a| (0..3).map(move |b| (a, b)))
            .flat_map(|(a, b)| (0..3).map(move |c| (a, b, c)))
            .flat_map(|(a, b, c)| (0..3).map(move |d| (a, b, c, d)))
            .collect();
        let cost = |(unknown_parts, parts, stem_only_parts, unknown_chars)| SplitCost {
            unknown_parts,
            parts,
            stem_only_parts,
            unknown_chars,
        };
        for &first in &costs {
            for &second in &costs {
                assert_eq!(
                    cost(first).cmp(&cost(second)),
                    first.cmp(&second),
                    "{first:?} {second:?}"
                );
            }
        }
        // Fewer unknown parts beat fewer parts; fewer parts beat fewer stem-only parts.
        assert!(cost((0, 3, 2, 0)) < cost((1, 2, 0, 5)));
        assert!(cost((0, 2, 2, 0)) < cost((0, 3, 0, 0)));
    }

    #[test]
    fn two_unknown_parts_are_not_a_split() {
        let lexicon = Lexicon::from_words(["kultur"]);
        assert!(lexicon.split(Lang::Nb, "heltidsarbeid").is_empty());
    }

    #[test]
    fn function_words_and_short_words_are_not_learned() {
        let mut lexicon = Lexicon::default();
        lexicon.learn_text("Også rom og del, men samfunnet 2024!");
        assert!(!lexicon.contains("også"));
        assert!(!lexicon.contains("rom"));
        assert!(lexicon.contains("samfunnet"));
        assert_eq!(lexicon.len(), 1);
    }

    #[test]
    fn the_fst_form_splits_as_the_lexicon_it_was_made_of() {
        let mut lexicon = Lexicon::from_words([
            "samfunnet",
            "samfunn",
            "samfunnsberedskap",
            "redskap",
            "arbeidet",
            "totalberedskapsarbeidet",
            "klima",
            "endringer",
            "nivået",
        ]);
        lexicon.learn_text("velfærd og kommunerne");
        lexicon.learn_parts();
        let fst_form =
            Lexicon::from_fst_bytes(lexicon.to_fst_bytes().expect("fst")).expect("read fst");
        assert_eq!(fst_form.len(), lexicon.len());
        assert!(fst_form.has_part("beredskap") && fst_form.contains("samfunnet"));
        assert!(!fst_form.contains("beredskap"));
        for word in [
            "totalberedskapsarbeidet",
            "samfunnsberedskap",
            "gjeldsnivået",
            "klimaendringer",
            "velfærdskommunerne",
            "digitalisering",
        ] {
            for lang in Lang::ALL {
                assert_eq!(
                    fst_form.split(lang, word),
                    lexicon.split(lang, word),
                    "{word}"
                );
            }
        }
        assert!(Lexicon::from_fst_bytes(b"short".to_vec()).is_err());
    }

    #[test]
    fn round_trips_through_its_file_form() {
        let mut lexicon = corpus_lexicon();
        lexicon.learn_text("velfærd og kommunerne");
        let mut bytes = Vec::new();
        lexicon.write_to(&mut bytes).expect("write");
        let read = Lexicon::read_from(bytes.as_slice()).expect("read");
        assert_eq!(read, lexicon);
        assert!(Lexicon::read_from("garbage\nword\n".as_bytes()).is_err());
    }

    #[test]
    fn the_filter_adds_parts_at_the_compound_position() {
        use crate::analysis::tokenizer::WordTokenizer;
        use tantivy::tokenizer::{LowerCaser, TextAnalyzer};

        let splitter = Arc::new(CompoundSplitter::from(corpus_lexicon()));
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(LowerCaser)
            .filter(CompoundFilter::new(splitter, Lang::Nb))
            .build();
        let mut stream = analyzer.token_stream("God Samfunnsberedskap nå");
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((token.text.clone(), token.position, token.offset_from));
        }
        assert_eq!(
            tokens,
            [
                ("god".to_string(), 0, 0),
                ("samfunnsberedskap".to_string(), 1, 4),
                ("+samfunn".to_string(), 1, 4),
                ("+beredskap".to_string(), 1, 4),
                ("nå".to_string(), 2, 22),
            ]
        );
    }
}
#[cfg(test)]
mod learned_split_tests {
    use super::*;

    /// The indexer splits with the FST form and the splits learned with the parts: the same
    /// splits as the lexicon itself makes.
    #[test]
    fn learned_splits_passed_to_the_fst_form_give_the_same_splits() {
        let mut lexicon = Lexicon::default();
        lexicon.extend([
            "samfunn",
            "beredskap",
            "samfunnsberedskap",
            "kommuneberedskap",
            "kommune",
            "totalberedskapsarbeidet",
            "arbeidet",
        ]);
        let learned_splits = lexicon.learn_parts();
        assert!(learned_splits.by_slot[0].contains_key("samfunnsberedskap"));
        let words = [
            "samfunnsberedskap",
            "kommuneberedskap",
            "totalberedskapsarbeidet",
        ];
        let expected: Vec<Vec<String>> = words
            .iter()
            .map(|word| lexicon.split(Lang::Nb, word))
            .collect();
        assert!(expected.iter().all(|parts| !parts.is_empty()));
        let plain = CompoundSplitter::from(lexicon.to_fst_form().expect("fst"));
        assert!(plain.learned.by_slot[0].is_empty());
        let without: Vec<Vec<String>> = words
            .iter()
            .map(|word| plain.split(Lang::Nb, word))
            .collect();
        // A fresh splitter: the first one's split cache would answer before the learned splits.
        let with_learned = CompoundSplitter::from(lexicon.to_fst_form().expect("fst"))
            .with_learned_splits(learned_splits);
        assert!(with_learned.learned.by_slot[0].contains_key("samfunnsberedskap"));
        let with: Vec<Vec<String>> = words
            .iter()
            .map(|word| with_learned.split(Lang::Nb, word))
            .collect();
        assert_eq!(without, expected);
        assert_eq!(with, expected);
    }

    #[test]
    fn lowercase_into_is_to_lowercase() {
        let mut out = String::new();
        for word in ["KOMMUNE", "Ærlig", "ØKONOMI", "ΟΔΟΣ", "straße", "İstanbul"] {
            lowercase_into(word, &mut out);
            assert_eq!(out, word.to_lowercase());
        }
    }
}
