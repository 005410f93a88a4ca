//! The word memo: the indexer's chain after the tokenizer (lowercase → compound parts → stem)
//! looks at each word alone, so the terms of a word are worked out once and then looked up.
//! Words recur (Zipf), and issue 5's profile put stemming and compound splitting at a third of
//! the indexer's time: with the memo they run once per distinct word instead of once per word.

use super::compound::{shard_of, WordHasher};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer; a shard is emptied when it grows past its share, so memory
/// stays bounded (about 120 bytes a word) whatever the corpus size.
const MAX_MEMO_WORDS: usize = 200_000;
/// Shards of the memo: Tantivy's writer threads look words up at once.
const MEMO_SHARDS: usize = 16;
/// Words each analyzer clone keeps to itself, in front of the shared memo: the most common
/// words would otherwise have both writer threads wait on one shard's lock (issue 5's
/// profile showed the lock handoffs).
const MAX_LOCAL_WORDS: usize = 50_000;

/// The terms of each word seen, shared by every clone of one analyzer (Tantivy clones the
/// analyzer for each segment it writes).
#[derive(Debug, Default)]
struct WordMemo {
    shards: [Mutex<MemoShard>; MEMO_SHARDS],
}

type MemoShard = HashMap<Box<str>, Arc<[Box<str>]>, BuildHasherDefault<WordHasher>>;

impl WordMemo {
    fn shard(&self, word: &str) -> &Mutex<MemoShard> {
        let mut hasher = WordHasher::default();
        hasher.write(word.as_bytes());
        &self.shards[shard_of(hasher.finish()) % MEMO_SHARDS]
    }

    /// The terms of `word`, from the memo or made by `chain` (and then remembered).
    fn terms(&self, word: &str, chain: &mut TextAnalyzer) -> Arc<[Box<str>]> {
        let shard = self.shard(word);
        if let Some(terms) = shard.lock().ok().and_then(|map| map.get(word).cloned()) {
            return terms;
        }
        let terms = chain_terms(chain, word);
        if let Ok(mut map) = shard.lock() {
            if map.len() >= MAX_MEMO_WORDS / MEMO_SHARDS {
                map.clear();
            }
            map.insert(word.into(), Arc::clone(&terms));
        }
        terms
    }
}

/// Every term `chain` makes of the one word `word`, in order.
fn chain_terms(chain: &mut TextAnalyzer, word: &str) -> Arc<[Box<str>]> {
    let mut stream = chain.token_stream(word);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(Box::from(stream.token().text.as_str()));
    }
    terms.into()
}

/// Runs `chain` (an analyzer over [`WholeWord`]) on each token of the tokenizer before it,
/// through a memo: each output term keeps the word's position and offsets, as the filters of
/// the chain do.
#[derive(Clone)]
pub struct MemoFilter {
    chain: TextAnalyzer,
    memo: Arc<WordMemo>,
}

impl MemoFilter {
    /// `chain` must treat its input as one word ([`WholeWord`]) and only filter it.
    pub fn new(chain: TextAnalyzer) -> MemoFilter {
        MemoFilter {
            chain,
            memo: Arc::new(WordMemo::default()),
        }
    }
}

impl TokenFilter for MemoFilter {
    type Tokenizer<T: Tokenizer> = MemoTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoTokenizer<T> {
        MemoTokenizer {
            inner,
            chain: self.chain,
            memo: self.memo,
            local: LocalMemo::default(),
        }
    }
}

#[derive(Clone)]
pub struct MemoTokenizer<T> {
    inner: T,
    chain: TextAnalyzer,
    memo: Arc<WordMemo>,
    local: LocalMemo,
}

/// One analyzer clone's own words: no lock, and term lists no other thread touches. A clone
/// starts empty.
#[derive(Default)]
struct LocalMemo {
    words: HashMap<Box<str>, Arc<[Box<str>]>, BuildHasherDefault<WordHasher>>,
}

impl Clone for LocalMemo {
    fn clone(&self) -> LocalMemo {
        LocalMemo::default()
    }
}

impl LocalMemo {
    fn terms(&mut self, word: &str, memo: &WordMemo, chain: &mut TextAnalyzer) -> Arc<[Box<str>]> {
        if let Some(terms) = self.words.get(word) {
            return Arc::clone(terms);
        }
        // A copy of its own, so that the reference counts of common words are not shared
        // between threads either.
        let terms: Arc<[Box<str>]> = memo.terms(word, chain).iter().cloned().collect();
        if self.words.len() >= MAX_LOCAL_WORDS {
            self.words.clear();
        }
        self.words.insert(word.into(), Arc::clone(&terms));
        terms
    }
}

impl<T: Tokenizer> Tokenizer for MemoTokenizer<T> {
    type TokenStream<'a> = MemoTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoTokenStream {
            tail: self.inner.token_stream(text),
            chain: &mut self.chain,
            memo: &self.memo,
            local: &mut self.local,
            terms: Arc::from(Vec::new()),
            next_term: 0,
            token: Token::default(),
        }
    }
}

/// The terms of one text: each word's terms in turn.
pub struct MemoTokenStream<'a, S> {
    tail: S,
    chain: &'a mut TextAnalyzer,
    memo: &'a WordMemo,
    local: &'a mut LocalMemo,
    /// The current word's terms, and which of them comes next.
    terms: Arc<[Box<str>]>,
    next_term: usize,
    token: Token,
}

impl<S: TokenStream> TokenStream for MemoTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(term) = self.terms.get(self.next_term) {
                self.next_term += 1;
                self.token.text.clear();
                self.token.text.push_str(term);
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let word = self.tail.token();
            self.terms = self.local.terms(&word.text, self.memo, self.chain);
            self.next_term = 0;
            self.token.offset_from = word.offset_from;
            self.token.offset_to = word.offset_to;
            self.token.position = word.position;
            self.token.position_length = word.position_length;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The tokenizer of a memo's chain: its whole input is one token.
#[derive(Clone, Copy, Debug, Default)]
pub struct WholeWord;

impl Tokenizer for WholeWord {
    type TokenStream<'a> = WholeWordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WholeWordStream {
        WholeWordStream {
            token: Token {
                offset_from: 0,
                offset_to: text.len(),
                position: 0,
                text: text.to_string(),
                position_length: 1,
            },
            done: false,
        }
    }
}

pub struct WholeWordStream {
    token: Token,
    done: bool,
}

impl TokenStream for WholeWordStream {
    fn advance(&mut self) -> bool {
        let first = !self.done;
        self.done = true;
        first
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{CompoundFilter, Lexicon, StemFilter, WordTokenizer};
    use crate::lang::Lang;
    use tantivy::tokenizer::LowerCaser;

    fn lexicon() -> Arc<Lexicon> {
        Arc::new(Lexicon::from_words([
            "samfunn",
            "beredskap",
            "kommune",
            "arbeidet",
            "handling",
            "rom",
        ]))
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    #[test]
    fn the_memo_gives_the_chain_s_own_tokens_the_first_time_and_after() {
        let text = "Samfunnsberedskap er kommunenes ansvar. Samfunnsberedskapen i \
                    kommunene, og sam\u{AD}funnsberedskap igjen: kommuneberedskap!";
        for lang in Lang::ALL {
            let mut direct = TextAnalyzer::builder(WordTokenizer)
                .filter(LowerCaser)
                .filter(CompoundFilter::new(lexicon(), lang))
                .filter(StemFilter::new(lang))
                .build();
            let chain = TextAnalyzer::builder(WholeWord)
                .filter(LowerCaser)
                .filter(CompoundFilter::new(lexicon(), lang))
                .filter(StemFilter::new(lang))
                .build();
            let mut memoized = TextAnalyzer::builder(WordTokenizer)
                .filter(MemoFilter::new(chain))
                .build();
            let expected = tokens(&mut direct, text);
            assert!(expected.iter().any(|(term, ..)| term.starts_with('+')));
            assert_eq!(tokens(&mut memoized, text), expected, "{lang}");
            // A clone shares the memo: every word now comes from it.
            let mut clone = memoized.clone();
            assert_eq!(tokens(&mut clone, text), expected, "{lang}");
        }
    }

    #[test]
    fn a_full_memo_shard_is_emptied_and_still_answers() {
        let chain = TextAnalyzer::builder(WholeWord).filter(LowerCaser).build();
        let memo = WordMemo::default();
        let mut chain = chain;
        for n in 0..(MAX_MEMO_WORDS + 100) {
            let word = format!("Ord{n}");
            let terms = memo.terms(&word, &mut chain);
            assert_eq!(&*terms[0], word.to_lowercase());
        }
        let held: usize = memo
            .shards
            .iter()
            .map(|shard| shard.lock().expect("lock").len())
            .sum();
        assert!(held <= MAX_MEMO_WORDS, "{held}");
    }
}
