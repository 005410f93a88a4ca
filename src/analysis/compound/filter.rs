//! The compound filter: each compound token is followed by `+part` tokens at its position.

use super::rules::MIN_COMPOUND_CHARS;
use super::splitter::CompoundSplitter;
use crate::analysis::part_marker::PART_MARKER;
use crate::lang::Lang;
use std::collections::VecDeque;
use std::sync::Arc;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Adds `+part` tokens after each compound token, at its position and offsets. Expects
/// lowercased tokens; a stemmer after it stems the parts.
#[derive(Clone, Debug)]
pub(crate) struct CompoundFilter {
    splitter: Arc<CompoundSplitter>,
    lang: Lang,
}

impl CompoundFilter {
    pub(crate) fn new(splitter: Arc<CompoundSplitter>, lang: Lang) -> CompoundFilter {
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
pub(crate) struct CompoundTokenizer<T> {
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
pub(crate) struct CompoundTokenStream<'a, S> {
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
    use crate::analysis::compound::corpus_lexicon;

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
