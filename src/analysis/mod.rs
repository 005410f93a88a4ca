//! Analysis: language detection and the per-language Tantivy analyzers, assembled in one place
//! (`assemble`) under stable names.

pub(crate) mod compound;
mod derivation;
mod detect;
pub(crate) mod fold;
mod function_words;
mod memo;
pub(crate) mod nynorsk;
mod part_marker;
mod stemmer;
mod tokenizer;
mod word_hasher;

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{
    LowerCaser, TextAnalyzer, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

use crate::lang::Lang;

pub(crate) use compound::{CompoundFilter, LearnedSplits};
pub use compound::{CompoundSplitter, Lexicon};
pub(crate) use derivation::derivation_candidates;
pub(crate) use detect::{detect_language, distinctive_language};
pub(crate) use function_words::{is_function_word, is_function_word_term};
pub(crate) use memo::{MemoFilter, WholeWord};
pub(crate) use part_marker::PART_MARKER;
pub(crate) use stemmer::{stem_word, StemFilter};
pub(crate) use tokenizer::{without_invisible, WordTokenizer};

/// The analyzer without stemming, for titles, headings and exact matches.
pub const PLAIN_ANALYZER_NAME: &str = "lete_plain";

/// The name `lang`'s analyzer is registered under. Stored in the index schema, so it must never
/// change.
pub fn analyzer_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => "lete_nb",
        Lang::Nn => "lete_nn",
        Lang::Da => "lete_da",
    }
}

/// Words of `lang`, lowercased and stemmed.
pub fn build_analyzer(lang: Lang) -> TextAnalyzer {
    assemble(Chain::Query(lang))
}

/// `lete_plain`: words, lowercased, not stemmed.
pub fn plain_analyzer() -> TextAnalyzer {
    assemble(Chain::Plain)
}

/// Registers the three language analyzers and `lete_plain` with an index's manager, as
/// queries see them: without compound parts (a query word is looked up whole, and as a
/// part with the `+` marker, by the query plan).
pub fn register_analyzers(manager: &TokenizerManager) {
    register_chains(manager, Chain::Query);
}

/// Registers the analyzers as the indexer uses them: the language analyzers also emit the
/// `+part` tokens of compounds that `splitter` can split.
pub fn register_index_analyzers(manager: &TokenizerManager, splitter: &Arc<CompoundSplitter>) {
    register_chains(manager, |lang| Chain::Index(lang, splitter));
}

/// Registers `language_chain` of each language under its stable name, and `lete_plain`.
fn register_chains<'a>(manager: &TokenizerManager, language_chain: impl Fn(Lang) -> Chain<'a>) {
    for lang in Lang::ALL {
        manager.register(analyzer_name(lang), assemble(language_chain(lang)));
    }
    manager.register(PLAIN_ANALYZER_NAME, assemble(Chain::Plain));
}

/// Each analyzer lete builds: every chain is one of these, made by [`assemble`].
#[derive(Clone, Copy)]
enum Chain<'a> {
    /// `lete_plain`: words, lowercased.
    Plain,
    /// A language's analyzer as queries see it: words, lowercased, stemmed.
    Query(Lang),
    /// A language's analyzer as the indexer runs it: the query chain with the compound parts
    /// `splitter` finds added before stemming.
    Index(Lang, &'a Arc<CompoundSplitter>),
}

/// The one place analyzers are assembled. Every chain runs the same steps in the same order
/// ([`steps`]), leaving out the ones it does not use, so indexing and querying cannot drift
/// apart.
fn assemble(chain: Chain<'_>) -> TextAnalyzer {
    match chain {
        Chain::Plain => steps(WordTokenizer, Skip, Skip),
        Chain::Query(lang) => steps(WordTokenizer, Skip, StemFilter::new(lang)),
        Chain::Index(lang, splitter) => {
            let compound_parts = CompoundFilter::new(Arc::clone(splitter), lang);
            // Each word's terms depend on the word alone, so the steps run once per distinct
            // word, through a memo (issue 5).
            let word_steps = steps(WholeWord, compound_parts, StemFilter::new(lang));
            TextAnalyzer::builder(WordTokenizer)
                .filter(MemoFilter::new(word_steps))
                .build()
        }
    }
}

/// The steps after the tokenizer `words`, in the order every chain runs them (as charabia's
/// normalizer list): lowercase, then compound parts (which expect lowercase words), then
/// stemming (which stems the parts too). A chain passes [`Skip`] for a step it leaves out.
fn steps<W: Tokenizer, P: TokenFilter, S: TokenFilter>(
    words: W,
    compound_parts: P,
    stemming: S,
) -> TextAnalyzer {
    TextAnalyzer::builder(words)
        .filter(LowerCaser)
        .filter(compound_parts)
        .filter(stemming)
        .build()
}

/// A step a chain leaves out: the tokenizer before it is handed on as it is, so the step
/// costs nothing.
#[derive(Clone, Copy, Debug)]
struct Skip;

impl TokenFilter for Skip {
    type Tokenizer<T: Tokenizer> = T;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> T {
        tokenizer
    }
}

/// The terms `lang`'s analyzer makes of `text`.
pub fn analyze(lang: Lang, text: &str) -> Vec<String> {
    analyze_with_offsets(Some(lang), text)
        .into_iter()
        .map(|(term, _)| term)
        .collect()
}

/// Each term of `text` with the byte range of the word it came from, for highlighting. `None`
/// uses `lete_plain`.
pub fn analyze_with_offsets(lang: Option<Lang>, text: &str) -> Vec<(String, Range<usize>)> {
    let mut analyzer = assemble(lang.map_or(Chain::Plain, Chain::Query));
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// One charabia-style fixture: the input, what the tokenizer alone gives, what `lete_plain`
    /// gives, and what the whole chain of one language gives.
    struct Fixture {
        text: &'static str,
        lang: Lang,
        words: &'static [&'static str],
        plain: &'static [&'static str],
        stemmed: &'static [&'static str],
    }

    const FIXTURES: &[Fixture] = &[
        Fixture {
            text: "KS' strategi 2024-2027",
            lang: Lang::Nb,
            words: &["KS", "strategi", "2024", "2027"],
            plain: &["ks", "strategi", "2024", "2027"],
            stemmed: &["ks", "strategi", "2024", "2027"],
        },
        Fixture {
            text: "KS skal fremme lokalt handlingsrom",
            lang: Lang::Nb,
            words: &["KS", "skal", "fremme", "lokalt", "handlingsrom"],
            plain: &["ks", "skal", "fremme", "lokalt", "handlingsrom"],
            stemmed: &["ks", "skal", "frem", "lokalt", "handlingsrom"],
        },
        Fixture {
            text: "Kommunerne skal mgde civilsamfundsaktgrer",
            lang: Lang::Da,
            words: &["Kommunerne", "skal", "mgde", "civilsamfundsaktgrer"],
            plain: &["kommunerne", "skal", "mgde", "civilsamfundsaktgrer"],
            stemmed: &["kommun", "skal", "mgde", "civilsamfundsaktgr"],
        },
    ];

    fn word_texts(text: &str) -> Vec<String> {
        use tantivy::tokenizer::Tokenizer;
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut words = Vec::new();
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        words
    }

    fn terms(lang: Option<Lang>, text: &str) -> Vec<String> {
        analyze_with_offsets(lang, text)
            .into_iter()
            .map(|(term, _)| term)
            .collect()
    }

    #[test]
    fn fixtures_step_by_step() {
        for fixture in FIXTURES {
            assert_eq!(word_texts(fixture.text), fixture.words, "{}", fixture.text);
            assert_eq!(terms(None, fixture.text), fixture.plain, "{}", fixture.text);
            assert_eq!(
                analyze(fixture.lang, fixture.text),
                fixture.stemmed,
                "{}",
                fixture.text
            );
        }
    }

    #[test]
    fn corpus_title_has_exact_offsets() {
        let text = "KS' strategi 2024-2027";
        let expected = vec![
            ("ks".to_string(), 0..2),
            ("strategi".to_string(), 4..12),
            ("2024".to_string(), 13..17),
            ("2027".to_string(), 18..22),
        ];
        assert_eq!(analyze_with_offsets(None, text), expected);
        assert_eq!(analyze_with_offsets(Some(Lang::Nb), text), expected);
    }

    #[test]
    fn bokmaal_handlingsrommet_meets_handlingsrom() {
        assert_eq!(
            analyze(Lang::Nb, "Handlingsrommet"),
            analyze(Lang::Nb, "handlingsrom")
        );
    }

    #[test]
    fn danish_medarbejdere_meets_medarbejderne() {
        assert_eq!(
            analyze(Lang::Da, "medarbejdere"),
            analyze(Lang::Da, "Medarbejderne")
        );
    }

    #[test]
    fn analyzer_names_are_stable_and_distinct() {
        let names: Vec<&str> = Lang::ALL.into_iter().map(analyzer_name).collect();
        assert_eq!(names, ["lete_nb", "lete_nn", "lete_da"]);
        assert_eq!(PLAIN_ANALYZER_NAME, "lete_plain");
    }

    /// The index chain is the query chain with `+part` tokens added: take them away and the
    /// terms and offsets are the query's.
    #[test]
    fn the_index_chain_is_the_query_chain_with_compound_parts() {
        let splitter = Arc::new(CompoundSplitter::from(Lexicon::from_words([
            "samfunn",
            "beredskap",
            "kommune",
            "strategi",
        ])));
        let text = "Samfunnsberedskapen i kommunene: KS' kommunestrategi 2024-2027";
        for lang in Lang::ALL {
            let mut index = assemble(Chain::Index(lang, &splitter));
            let mut stream = index.token_stream(text);
            let mut index_terms = Vec::new();
            while let Some(token) = stream.next() {
                index_terms.push((token.text.clone(), token.offset_from..token.offset_to));
            }
            let (parts, words): (Vec<_>, Vec<_>) = index_terms
                .into_iter()
                .partition(|(term, _)| term.starts_with(PART_MARKER));
            assert!(!parts.is_empty(), "{lang}");
            assert_eq!(words, analyze_with_offsets(Some(lang), text), "{lang}");
        }
    }

    #[test]
    fn registered_analyzers_match_the_built_ones() {
        let manager = TokenizerManager::new();
        register_analyzers(&manager);
        let text = "Barnevernet og sykefraværet";
        for lang in Lang::ALL {
            let mut registered = manager
                .get(analyzer_name(lang))
                .expect("analyzer is registered");
            let mut stream = registered.token_stream(text);
            let mut registered_terms = Vec::new();
            while let Some(token) = stream.next() {
                registered_terms.push(token.text.clone());
            }
            assert_eq!(registered_terms, analyze(lang, text), "{lang}");
        }
        let mut plain = manager
            .get(PLAIN_ANALYZER_NAME)
            .expect("plain analyzer is registered");
        let mut stream = plain.token_stream(text);
        assert_eq!(
            stream.next().map(|token| token.text.clone()).as_deref(),
            Some("barnevernet")
        );
    }

    /// Tantivy's LowerCaser maps each char on its own (no final-sigma rule), so the test does too;
    /// invisible characters are left out, as the tokenizer does.
    fn lowercase_like_tantivy(text: &str) -> String {
        text.chars()
            .filter(|c| !tokenizer::INVISIBLE.contains(c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    fn awkward_text() -> impl Strategy<Value = String> {
        // Nordic letters, apostrophes, dashes, combining marks, zero-width and control chars,
        // Hebrew and Arabic, emoji: where boundary and offset bugs live.
        proptest::string::string_regex(
            "[a-zA-ZæøåÆØÅéòİΣς0-9 '’‐–\\-.,«»\u{301}\u{30A}\u{200B}\u{200D}\u{AD}\u{0}\u{7}\
             \u{5D0}-\u{5EA}\u{627}-\u{64A}\u{1F600}\u{1F44D}\u{FE0F}\n\t]{0,80}",
        )
        .expect("valid regex")
    }

    fn check_chain(text: &str) -> Result<(), TestCaseError> {
        let plain = analyze_with_offsets(None, text);
        for (term, range) in &plain {
            prop_assert!(text.is_char_boundary(range.start));
            prop_assert!(text.is_char_boundary(range.end));
            prop_assert!(range.start < range.end && range.end <= text.len());
            prop_assert_eq!(&lowercase_like_tantivy(&text[range.clone()]), term);
        }
        for lang in Lang::ALL {
            let stemmed_ranges: Vec<Range<usize>> = analyze_with_offsets(Some(lang), text)
                .into_iter()
                .map(|(_, range)| range)
                .collect();
            let plain_ranges: Vec<Range<usize>> =
                plain.iter().map(|(_, range)| range.clone()).collect();
            prop_assert_eq!(stemmed_ranges, plain_ranges);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_string_gives_tokens_on_char_boundaries(text in any::<String>()) {
            check_chain(&text)?;
        }

        #[test]
        fn awkward_string_gives_tokens_on_char_boundaries(text in awkward_text()) {
            check_chain(&text)?;
        }
    }
}
