//! Analysis: language detection and the per-language Tantivy analyzers, assembled in one place
//! under stable names.

pub mod compound;
mod detect;
pub mod fold;
mod memo;
mod part_marker;
mod stemmer;
mod tokenizer;
mod word_hasher;

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{LowerCaser, TextAnalyzer, TokenStream, TokenizerManager};

use crate::lang::Lang;

pub use compound::{CompoundFilter, CompoundSplitter, LearnedSplits, Lexicon};
pub use detect::detect_language;
pub use memo::{MemoFilter, WholeWord};
pub use part_marker::PART_MARKER;
pub use stemmer::{stem_word, StemFilter, StemTokenStream, StemTokenizer};
pub use tokenizer::{WordTokenStream, WordTokenizer, MAX_TOKEN_BYTES};

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
    assemble(Some(lang))
}

/// Registers the three language analyzers and `lete_plain` with an index's manager, as
/// queries see them: without compound parts (a query word is looked up whole, and as a
/// part with the `+` marker, by the query plan).
pub fn register_analyzers(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(analyzer_name(lang), build_analyzer(lang));
    }
    manager.register(PLAIN_ANALYZER_NAME, assemble(None));
}

/// Registers the analyzers as the indexer uses them: the language analyzers also emit the
/// `+part` tokens of compounds that `splitter` can split.
pub fn register_index_analyzers(manager: &TokenizerManager, splitter: &Arc<CompoundSplitter>) {
    for lang in Lang::ALL {
        // Each word's terms depend on the word alone, so the chain runs once per distinct
        // word, through a memo (issue 5).
        let word_chain = TextAnalyzer::builder(WholeWord)
            .filter(LowerCaser)
            .filter(CompoundFilter::new(Arc::clone(splitter), lang))
            .filter(StemFilter::new(lang))
            .build();
        let analyzer = TextAnalyzer::builder(WordTokenizer)
            .filter(MemoFilter::new(word_chain))
            .build();
        manager.register(analyzer_name(lang), analyzer);
    }
    manager.register(PLAIN_ANALYZER_NAME, assemble(None));
}

/// The one place the chain is written: words → lowercase → stem (when `stemming` names a
/// language). Indexing and querying both come through here, so they cannot drift apart;
/// the indexer only adds compound parts in between (`register_index_analyzers`).
fn assemble(stemming: Option<Lang>) -> TextAnalyzer {
    let lowercased = TextAnalyzer::builder(WordTokenizer).filter(LowerCaser);
    match stemming {
        Some(lang) => lowercased.filter(StemFilter::new(lang)).build(),
        None => lowercased.build(),
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
    let mut analyzer = assemble(lang);
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
