//! The word memo: the indexer's chain after the tokenizer (lowercase → compound parts → stem)
//! looks at each word alone, so the terms of a word are worked out once and then looked up.
//! Words recur (Zipf), and issue 5's profile put stemming and compound splitting at a third of
//! the indexer's time: with the memo they run once per distinct word instead of once per word.

use super::word_hasher::WordHasher;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicU64, Ordering};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Words one thread remembers per analyzer; the memo is emptied when it grows past this, so
/// memory stays bounded (about 100 bytes a word) whatever the corpus size.
const MAX_MEMO_WORDS: usize = 100_000;
/// Analyzers whose memos one thread keeps (an indexer has one per language); past this the
/// oldest is dropped.
const MAX_MEMOS_PER_THREAD: usize = 6;
/// Separates a word's terms in a memo entry. No term holds it: a word is a run of letters
/// and digits with what UAX #29 lets join them, and NUL never does (a term that held one
/// would simply not be remembered).
const TERM_SEPARATOR: char = '\0';

/// One analyzer's memo: each word's terms, separated by [`TERM_SEPARATOR`].
type Memo = HashMap<Box<str>, Box<str>, BuildHasherDefault<WordHasher>>;

/// Each analyzer's memo, by the analyzer's memo id, per thread. Per thread, not shared: the
/// most common words would otherwise have Tantivy's writer threads take turns on one lock
/// (issue 5's profile showed the handoffs), and a thread outlives the analyzer clones Tantivy
/// makes for each segment, so its memo stays warm across them.
type ThreadMemos = Vec<(u64, Memo)>;

thread_local! {
    static MEMOS: RefCell<ThreadMemos> = const { RefCell::new(Vec::new()) };
}

/// Memo ids: each [`MemoFilter`] gets its own, so analyzers of other lexicons or languages
/// never share entries.
static NEXT_MEMO_ID: AtomicU64 = AtomicU64::new(0);

/// Takes this thread's memo of analyzer `memo_id` for one token stream to use alone (a word
/// then costs one map lookup, not a thread-local one as well); [`put_back`] returns it.
fn take_memo(memo_id: u64) -> Memo {
    MEMOS
        .try_with(|memos| {
            let mut memos = memos.borrow_mut();
            memos
                .iter_mut()
                .find(|(id, _)| *id == memo_id)
                .map(|(_, memo)| std::mem::take(memo))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Returns a memo taken by [`take_memo`] to this thread's keeping.
fn put_back(memo_id: u64, memo: Memo) {
    // Fails only while the thread is ending, and then the memo goes with it.
    let _ = MEMOS.try_with(|memos| {
        let mut memos = memos.borrow_mut();
        match memos.iter_mut().find(|(id, _)| *id == memo_id) {
            // Another stream of this analyzer ran meanwhile: the larger memo is kept.
            Some((_, kept)) => {
                if memo.len() > kept.len() {
                    *kept = memo;
                }
            }
            None => {
                if memos.len() >= MAX_MEMOS_PER_THREAD {
                    memos.remove(0);
                }
                memos.push((memo_id, memo));
            }
        }
    });
}

/// Writes the terms of `word` into `terms`, separated by [`TERM_SEPARATOR`]: from `memo`, or
/// made by `chain` and then remembered. False when the word has no term.
fn memo_terms(memo: &mut Memo, word: &str, chain: &mut TextAnalyzer, terms: &mut String) -> bool {
    terms.clear();
    if let Some(known) = memo.get(word) {
        terms.push_str(known);
        return true;
    }
    let count = chain_terms(chain, word, terms);
    // Only entries that read back as they were written: one term or more, none empty or
    // holding the separator. Any other word is worked out each time.
    let mut read_back = terms.split(TERM_SEPARATOR);
    let remembered = count > 0
        && read_back.by_ref().take(count).all(|term| !term.is_empty())
        && read_back.next().is_none();
    if remembered {
        if memo.len() >= MAX_MEMO_WORDS {
            *memo = Memo::default();
        }
        memo.insert(word.into(), terms.as_str().into());
    }
    count > 0
}

/// Every term `chain` makes of the one word `word`, in order, into `terms`, separated by
/// [`TERM_SEPARATOR`]; returns how many.
fn chain_terms(chain: &mut TextAnalyzer, word: &str, terms: &mut String) -> usize {
    let mut stream = chain.token_stream(word);
    let mut count = 0;
    while stream.advance() {
        if count > 0 {
            terms.push(TERM_SEPARATOR);
        }
        terms.push_str(&stream.token().text);
        count += 1;
    }
    count
}

/// Runs `chain` (an analyzer over [`WholeWord`]) on each token of the tokenizer before it,
/// through a memo: each output term keeps the word's position and offsets, as the filters of
/// the chain do.
#[derive(Clone)]
pub(crate) struct MemoFilter {
    chain: TextAnalyzer,
    memo_id: u64,
}

impl MemoFilter {
    /// `chain` must treat its input as one word ([`WholeWord`]) and only filter it.
    pub(crate) fn new(chain: TextAnalyzer) -> MemoFilter {
        MemoFilter {
            chain,
            memo_id: NEXT_MEMO_ID.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl TokenFilter for MemoFilter {
    type Tokenizer<T: Tokenizer> = MemoTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoTokenizer<T> {
        MemoTokenizer {
            inner,
            chain: self.chain,
            memo_id: self.memo_id,
        }
    }
}

#[derive(Clone)]
pub(crate) struct MemoTokenizer<T> {
    inner: T,
    chain: TextAnalyzer,
    memo_id: u64,
}

impl<T: Tokenizer> Tokenizer for MemoTokenizer<T> {
    type TokenStream<'a> = MemoTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoTokenStream {
            tail: self.inner.token_stream(text),
            chain: &mut self.chain,
            memo_id: self.memo_id,
            memo: take_memo(self.memo_id),
            terms: String::new(),
            next_term: None,
            token: Token::default(),
        }
    }
}

/// The terms of one text: each word's terms in turn.
pub(crate) struct MemoTokenStream<'a, S> {
    tail: S,
    chain: &'a mut TextAnalyzer,
    memo_id: u64,
    /// This thread's memo of the analyzer, while the stream runs.
    memo: Memo,
    /// The current word's terms, separated by [`TERM_SEPARATOR`], and where the next begins.
    terms: String,
    next_term: Option<usize>,
    token: Token,
}

impl<S: TokenStream> TokenStream for MemoTokenStream<'_, S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(from) = self.next_term {
                let rest = &self.terms[from..];
                let (term, next) = match rest.find(TERM_SEPARATOR) {
                    Some(at) => (&rest[..at], Some(from + at + TERM_SEPARATOR.len_utf8())),
                    None => (rest, None),
                };
                self.token.text.clear();
                self.token.text.push_str(term);
                self.next_term = next;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let word = self.tail.token();
            // Most words have one term: copied straight into the token.
            if let Some(known) = self.memo.get(word.text.as_str()) {
                if !known.contains(TERM_SEPARATOR) {
                    self.token.text.clear();
                    self.token.text.push_str(known);
                    self.token.offset_from = word.offset_from;
                    self.token.offset_to = word.offset_to;
                    self.token.position = word.position;
                    self.token.position_length = word.position_length;
                    return true;
                }
            }
            if !memo_terms(&mut self.memo, &word.text, self.chain, &mut self.terms) {
                continue;
            }
            self.next_term = Some(0);
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

impl<S> Drop for MemoTokenStream<'_, S> {
    fn drop(&mut self) {
        put_back(self.memo_id, std::mem::take(&mut self.memo));
    }
}

/// The tokenizer of a memo's chain: its whole input is one token.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WholeWord;

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

pub(crate) struct WholeWordStream {
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
    use crate::analysis::{CompoundFilter, CompoundSplitter, Lexicon, StemFilter, WordTokenizer};
    use crate::lang::Lang;
    use std::sync::Arc;
    use tantivy::tokenizer::LowerCaser;

    fn lexicon() -> Arc<CompoundSplitter> {
        Arc::new(CompoundSplitter::from(Lexicon::from_words([
            "samfunn",
            "beredskap",
            "kommune",
            "arbeidet",
            "handling",
            "rom",
        ])))
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
            // A clone keeps the memo id: every word now comes from this thread's memo.
            let mut clone = memoized.clone();
            assert_eq!(tokens(&mut clone, text), expected, "{lang}");
        }
    }

    #[test]
    fn a_full_memo_is_emptied_and_still_answers() {
        let mut chain = TextAnalyzer::builder(WholeWord).filter(LowerCaser).build();
        let mut memo = Memo::default();
        let mut terms = String::new();
        for n in 0..(MAX_MEMO_WORDS + 100) {
            let word = format!("Ord{n}");
            assert!(memo_terms(&mut memo, &word, &mut chain, &mut terms));
            assert_eq!(terms, word.to_lowercase());
        }
        assert!(
            !memo.is_empty() && memo.len() <= MAX_MEMO_WORDS,
            "{}",
            memo.len()
        );
        // Read back from the memo.
        assert!(memo.contains_key("Ord100099"));
        assert!(memo_terms(&mut memo, "Ord100099", &mut chain, &mut terms));
        assert_eq!(terms, "ord100099");
    }

    #[test]
    fn a_stream_s_memo_returns_to_the_thread_and_serves_the_next_stream() {
        let chain = TextAnalyzer::builder(WholeWord).filter(LowerCaser).build();
        let mut analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(MemoFilter::new(chain))
            .build();
        assert_eq!(tokens(&mut analyzer, "Samfunn og Beredskap").len(), 3);
        let mut clone = analyzer.clone();
        let mut first = clone.token_stream("kommune");
        // A second stream while the first runs starts empty, and both still answer.
        let mut second = analyzer.token_stream("Samfunn");
        assert!(second.advance() && second.token().text == "samfunn");
        assert!(first.advance() && first.token().text == "kommune");
        drop(second);
        drop(first);
        let memo_id = MEMOS.with(|memos| memos.borrow().last().map(|(id, _)| *id));
        let memo = take_memo(memo_id.expect("a memo"));
        // The larger of the two memos was kept: the first stream's three words.
        assert!(memo.contains_key("Beredskap"), "{memo:?}");
        assert_eq!(memo.get("Samfunn").map(|terms| &**terms), Some("samfunn"));
    }
}
