//! Search tests over small Norwegian and Danish indexes built from hand-made documents.

use super::*;
use crate::index::testing::{build_index, TestCorpus};
use crate::index::LeteIndex;

const KS_NB: &str = "Kommunesektorens organisasjon\n\
\n\
KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring.\n\
\n\
Det lokale næringslivet ønsker mer handlingsrom, og dette er lokalt forankret i kommunen.\n\
\n\
Handlingsrom handlingsrom handlingsrom er et ord som går igjen i mange dokumenter.\n\
\n\
Staten og kommunene må samarbeide om den demografiske utviklingen i distriktene.\n\
\n\
## Arbeidsgiverpolitikk\n\
Kommunene må rekruttere og beholde medarbeidere i helse og omsorg.\n\
\n\
## !Lignende dokumenter\n\
Lokalt handlingsrom i kommunene. Statlig styring. Lokalt handlingsrom og økonomi.\n";

const KL_DA: &str = "Kommunernes Landsforening\n\
\n\
De demografiske udfordringer kræver nye løsninger i kommunerne.\n\
\n\
## Civilsamfund\n\
Et stærkt civilsamfund og frivillige medarbejdere gør en forskel.\n\
\n\
Kommunerne skal rekruttere og fastholde medarbejdere i ældreplejen.\n";

fn corpus() -> (TestCorpus, LeteIndex) {
    build_index(&[("001_ks.txt", KS_NB), ("002_kl_da.txt", KL_DA)])
}

fn run(index: &LeteIndex, query: &str, lang: Option<Lang>) -> SearchResults {
    let request = SearchRequest {
        query: query.to_string(),
        limit: 10,
        lang,
    };
    search(index, &request).unwrap_or_else(|err| panic!("{query}: {err}"))
}

fn texts(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.text.as_str()).collect()
}

#[test]
fn an_exact_phrase_ranks_above_scattered_words() {
    let (_corpus, index) = corpus();
    let results = run(&index, "lokalt handlingsrom", None);
    assert!(
        results.hits[0]
            .text
            .starts_with("KS skal fremme lokalt handlingsrom"),
        "{:?}",
        texts(&results)
    );
    let scattered = texts(&results)
        .iter()
        .position(|text| text.starts_with("Det lokale næringslivet"))
        .expect("scattered passage found");
    assert!(scattered > 0);
}

#[test]
fn all_words_rank_above_some_words() {
    let (_corpus, index) = corpus();
    let results = run(&index, "statlig handlingsrom", None);
    let all_words = texts(&results)
        .iter()
        .position(|text| text.starts_with("KS skal fremme"))
        .expect("all-words passage");
    let some_words = texts(&results)
        .iter()
        .position(|text| text.starts_with("Handlingsrom handlingsrom"))
        .expect("some-words passage");
    assert!(all_words < some_words, "{:?}", texts(&results));
    let scores: Vec<f32> = results.hits.iter().map(|hit| hit.score).collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
}

#[test]
fn a_norwegian_query_finds_danish_and_norwegian_passages() {
    let (_corpus, index) = corpus();
    let results = run(&index, "demografiske utfordringer", None);
    let langs: Vec<Lang> = results.hits.iter().map(|hit| hit.lang).collect();
    assert!(langs.contains(&Lang::Da), "{:?}", texts(&results));
    assert!(langs.contains(&Lang::Nb), "{:?}", texts(&results));
    assert!(texts(&results)
        .iter()
        .any(|text| text.contains("demografiske udfordringer")));
}

#[test]
fn danish_inflections_meet() {
    let (_corpus, index) = corpus();
    let results = run(&index, "medarbejderne", Some(Lang::Da));
    assert_eq!(results.hits.len(), 2, "{:?}", texts(&results));
}

#[test]
fn the_lang_filter_keeps_only_that_language() {
    let (_corpus, index) = corpus();
    let results = run(
        &index,
        "medarbeidere medarbejdere rekruttere",
        Some(Lang::Da),
    );
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|hit| hit.lang == Lang::Da));
    let results = run(&index, "rekruttere lang:nb", None);
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|hit| hit.lang == Lang::Nb));
}

#[test]
fn query_syntax_keeps_working() {
    let (_corpus, index) = corpus();
    let excluded = run(&index, "rekruttere -fastholde", None);
    assert!(texts(&excluded)
        .iter()
        .all(|text| !text.contains("fastholde")));
    assert!(!excluded.hits.is_empty());
    let quoted = run(&index, "\"lokalt handlingsrom\"", None);
    assert!(texts(&quoted)
        .iter()
        .all(|text| text.to_lowercase().contains("lokalt handlingsrom")));
    // Two passages under the heading Civilsamfund, one with detaljstyring.
    let either = run(&index, "civilsamfund OR detaljstyring", None);
    assert_eq!(either.hits.len(), 3);
    let both = run(&index, "samarbeide AND kommunene", None);
    assert_eq!(both.hits.len(), 1, "{:?}", texts(&both));
    let heading = run(&index, "heading:civilsamfund", None);
    assert!(heading.hits.iter().all(|hit| hit.heading == "Civilsamfund"));
    assert_eq!(heading.hits.len(), 2);
    let title = run(&index, "title:landsforening", None);
    assert_eq!(title.hits.len(), 3);
    let text = run(&index, "text:civilsamfund", None);
    assert_eq!(text.hits.len(), 1);
}

#[test]
fn malformed_queries_are_errors_not_panics() {
    let (_corpus, index) = corpus();
    for query in [
        "\"ubalansert",
        "AND",
        "OR",
        "(kommune",
        "forfatter:ibsen",
        "",
        "a -",
    ] {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 10,
            lang: None,
        };
        let err = search(&index, &request).expect_err(query);
        assert!(err.is_query_error(), "{query}: {err}");
        assert!(!err.to_string().contains('\n'));
    }
}

#[test]
fn hits_carry_the_schema_fields() {
    let (corpus, index) = corpus();
    let results = run(&index, "civilsamfund", None);
    let hit = &results.hits[0];
    assert_eq!(hit.rank, 1);
    assert_eq!(
        hit.source,
        corpus.corpus.join("002_kl_da.txt").display().to_string()
    );
    assert_eq!(hit.title, "Kommunernes Landsforening");
    assert_eq!(hit.heading, "Civilsamfund");
    assert_eq!(
        hit.heading_path,
        vec!["Kommunernes Landsforening", "Civilsamfund"]
    );
    assert_eq!(hit.lang, Lang::Da);
    assert_eq!(hit.line, 6);
    assert_eq!(results.total, 2);
}

#[test]
fn highlights_lie_inside_the_snippet_on_char_boundaries() {
    let (_corpus, index) = corpus();
    for query in [
        "lokalt handlingsrom",
        "medarbejdere",
        "demografiske utfordringer",
    ] {
        for hit in run(&index, query, None).hits {
            for [start, end] in &hit.highlights {
                assert!(start < end && *end <= hit.snippet.len());
                assert!(hit.snippet.is_char_boundary(*start));
                assert!(hit.snippet.is_char_boundary(*end));
                let word = &hit.snippet[*start..*end];
                assert!(word.chars().all(char::is_alphanumeric), "{word:?}");
            }
        }
    }
    let results = run(&index, "lokalt handlingsrom", None);
    let hit = &results.hits[0];
    let words: Vec<&str> = hit
        .highlights
        .iter()
        .map(|[start, end]| &hit.snippet[*start..*end])
        .collect();
    assert_eq!(words, vec!["lokalt", "handlingsrom"]);
}

#[test]
fn boilerplate_ranks_below_real_text() {
    let (_corpus, index) = corpus();
    let results = run(&index, "lokalt handlingsrom", None);
    let last = results.hits.last().expect("hits");
    let boilerplate = texts(&results)
        .iter()
        .position(|text| text.starts_with("Lokalt handlingsrom i kommunene"))
        .expect("boilerplate found");
    assert!(boilerplate > 0, "{:?}", texts(&results));
    assert!(last.score > 0.0);
}

#[test]
fn equal_scores_break_ties_by_source_then_line() {
    let passage = "Tittel\n\nBarnevernet i kommunen.\n";
    let (_corpus, index) = build_index(&[("002_b.txt", passage), ("001_a.txt", passage)]);
    let results = run(&index, "barnevern", None);
    let sources: Vec<&str> = results.hits.iter().map(|hit| hit.source.as_str()).collect();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].ends_with("001_a.txt") && sources[1].ends_with("002_b.txt"));
    assert_eq!(results.hits[0].score, results.hits[1].score);
}

#[test]
fn the_limit_caps_hits_but_not_the_total() {
    let (_corpus, index) = corpus();
    let request = SearchRequest {
        query: "kommunene".to_string(),
        limit: 1,
        lang: None,
    };
    let results = search(&index, &request).unwrap();
    assert_eq!(results.hits.len(), 1);
    assert!(results.total > 1);
    let none = search(
        &index,
        &SearchRequest {
            limit: 0,
            ..request
        },
    )
    .unwrap();
    assert!(none.hits.is_empty());
}

#[test]
fn no_match_is_an_empty_result() {
    let (_corpus, index) = corpus();
    let results = run(&index, "kvantedatamaskin", None);
    assert!(results.hits.is_empty());
    assert_eq!(results.total, 0);
}

/// The whole chain on the real corpus: pipeline → index → search (the README's command).
#[test]
fn the_real_corpus_answers_the_readme_query() {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let index_dir = root.path().join("index");
    let options = crate::index::IndexOptions::default();
    let report = crate::index::open_or_build(&corpus, &index_dir, &options).unwrap();
    assert_eq!(report.documents, 5);
    let index = crate::index::open_index(&index_dir).unwrap();
    let results = run(&index, "lokalt handlingsrom", None);
    assert_eq!(results.hits.len(), 10);
    for hit in &results.hits {
        let source = std::fs::read_to_string(&hit.source).unwrap();
        let line = source.lines().nth(hit.line as usize - 1).unwrap();
        let first_word = hit.text.split_whitespace().next().unwrap();
        assert!(
            line.contains(first_word),
            "{}:{} {line:?}",
            hit.source,
            hit.line
        );
    }
    assert!(results.hits[0]
        .text
        .to_lowercase()
        .contains("lokalt handlingsrom"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn shared_index() -> &'static LeteIndex {
        static INDEX: OnceLock<(TestCorpus, LeteIndex)> = OnceLock::new();
        &INDEX.get_or_init(corpus).1
    }

    proptest! {
        /// Any query string gives hits or a one-line error, never a panic.
        #[test]
        fn any_query_is_answered_or_refused(query in "[a-zæøå \"'():*~^+\\-\\\\\\[\\]{}]{0,24}( AND| OR| NOT|lang:|text:|title:)?[a-zæøå \"]{0,8}") {
            let request = SearchRequest { query: query.clone(), limit: 5, lang: None };
            match search(shared_index(), &request) {
                Ok(results) => {
                    for hit in results.hits {
                        for [start, end] in hit.highlights {
                            prop_assert!(hit.snippet.is_char_boundary(start));
                            prop_assert!(hit.snippet.is_char_boundary(end));
                        }
                    }
                }
                Err(err) => prop_assert!(!err.to_string().contains('\n')),
            }
        }

        /// Any text and any word (marks, emoji, RTL, invisible characters): every highlight
        /// range lies on character boundaries inside the snippet (issue 6).
        #[test]
        fn highlights_lie_on_char_boundaries_for_any_text(words in proptest::collection::vec("\\PC{1,12}", 1..60), pick in 0usize..60) {
            let text = words.join(" ");
            let query = vec![words[pick % words.len()].clone()];
            for lang in Lang::ALL {
                let matcher = snippet::WordMatcher::new(lang, &query);
                let made = snippet::make_snippet(&text, &matcher.matches(&text));
                for [start, end] in made.highlights {
                    prop_assert!(start < end && end <= made.text.len());
                    prop_assert!(made.text.is_char_boundary(start) && made.text.is_char_boundary(end));
                }
            }
        }

        /// Snippets stay within bounds and their highlights on char boundaries.
        #[test]
        fn snippets_are_bounded(words in proptest::collection::vec("[a-zæøåé]{1,12}", 1..120), pick in 0usize..120) {
            let text = words.join(" ");
            let query = vec![words[pick % words.len()].clone()];
            let matcher = snippet::WordMatcher::new(Lang::Nb, &query);
            let made = snippet::make_snippet(&text, &matcher.matches(&text));
            prop_assert!(made.text.len() <= SNIPPET_MAX_BYTES);
            prop_assert!(!made.highlights.is_empty());
            for [start, end] in made.highlights {
                prop_assert!(start < end && end <= made.text.len());
                prop_assert!(made.text.is_char_boundary(start) && made.text.is_char_boundary(end));
            }
        }
    }
}
