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
    let request = SearchRequest::new(query, 10, lang);
    search(index, &request).unwrap_or_else(|err| panic!("{query}: {err}"))
}

fn texts(results: &SearchResults) -> Vec<&str> {
    results
        .hits
        .iter()
        .map(|hit| hit.passage.text.as_str())
        .collect()
}

#[test]
fn an_exact_phrase_ranks_above_scattered_words() {
    let (_corpus, index) = corpus();
    let results = run(&index, "lokalt handlingsrom", None);
    assert!(
        results.hits[0]
            .passage
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
    let langs: Vec<Lang> = results.hits.iter().map(|hit| hit.passage.lang).collect();
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
    assert!(results.hits.iter().all(|hit| hit.passage.lang == Lang::Da));
    let results = run(&index, "rekruttere lang:nb", None);
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|hit| hit.passage.lang == Lang::Nb));
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
    assert!(heading
        .hits
        .iter()
        .all(|hit| hit.passage.heading == "Civilsamfund"));
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
        let request = SearchRequest::new(query, 10, None);
        let err = search(&index, &request).expect_err(query);
        assert!(err.is_query_error(), "{query}: {err}");
        assert!(!err.to_string().contains('\n'));
    }
}

#[test]
fn hits_carry_the_schema_fields() {
    let (_corpus, index) = corpus();
    let results = run(&index, "civilsamfund", None);
    let hit = &results.hits[0];
    assert_eq!(hit.rank, 1);
    // An index opened without its corpus shows sources as stored: paths inside the corpus.
    assert_eq!(hit.passage.source, "002_kl_da.txt");
    assert_eq!(hit.passage.title, "Kommunernes Landsforening");
    assert_eq!(hit.passage.heading, "Civilsamfund");
    assert_eq!(
        hit.passage.heading_path,
        vec!["Kommunernes Landsforening", "Civilsamfund"]
    );
    assert_eq!(hit.passage.lang, Lang::Da);
    assert_eq!(hit.passage.line, 6);
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
        let hits = run(&index, query, None).hits;
        assert!(!hits.is_empty(), "{query}");
        for hit in hits {
            assert!(!hit.highlights.is_empty(), "{query}");
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
    let sources: Vec<&str> = results
        .hits
        .iter()
        .map(|hit| hit.passage.source.as_str())
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].ends_with("001_a.txt") && sources[1].ends_with("002_b.txt"));
    assert_eq!(results.hits[0].score, results.hits[1].score);
}

#[test]
fn the_limit_caps_hits_but_not_the_total() {
    let (_corpus, index) = corpus();
    let request = SearchRequest::new("kommunene", 1, None);
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

/// `--files`: every matching source once, in the order of its best passage, whatever the
/// limit, and no hits.
#[test]
fn sources_are_listed_once_each_in_the_order_of_their_best_passage() {
    let (_corpus, index) = build_index(&[
        (
            "001_a.txt",
            "Tittel\n\nKommunene.\n\nKommunene og kommunene i kommunene.\n",
        ),
        ("002_b.txt", "Tittel\n\nKommunene og kommunene.\n"),
        ("003_c.txt", "Tittel\n\nIngen treff her.\n"),
    ]);
    let all = run(&index, "kommunene", None);
    let mut expected: Vec<&str> = Vec::new();
    for hit in &all.hits {
        if !expected.contains(&hit.passage.source.as_str()) {
            expected.push(&hit.passage.source);
        }
    }
    assert_eq!(expected.len(), 2);
    let request = SearchRequest {
        sources: true,
        ..SearchRequest::new("kommunene", 1, None)
    };
    let listed = search(&index, &request).expect("search");
    assert_eq!(listed.sources, expected);
    assert!(listed.hits.is_empty());
    assert_eq!(listed.total, all.total);
    assert!(!listed.is_empty());
    let request = SearchRequest {
        sources: true,
        ..SearchRequest::new("xylofon", 1, None)
    };
    assert!(search(&index, &request).expect("search").is_empty());
}

/// `--files` reads its matches on several threads (runs of 4 passages in unit tests): the
/// sources still come in the order of their best passage, as the hits rank them.
#[test]
fn sources_read_in_runs_keep_the_order_of_their_best_passage() {
    let texts: Vec<(String, String)> = (0..12)
        .map(|n| {
            let name = format!("{n:03}_plan.txt");
            let mut text = format!("Plan {n}\n\nOm skolen.\n\n");
            for k in 0..=(n * 7 % 5) {
                text.push_str(&format!("Kommunene har ansvar for beredskap {k}.\n\n"));
            }
            if n % 3 == 0 {
                text.push_str("Lokalt handlingsrom for kommunene.\n");
            }
            (name, text)
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (_corpus, index) = build_index(&files);
    for query in ["kommunene", "lokalt handlingsrom", "beredskap kommunene"] {
        let all = search(
            &index,
            &SearchRequest {
                per_section: 10_000,
                per_document: 10_000,
                ..SearchRequest::new(query, 10_000, None)
            },
        )
        .expect("search");
        let mut expected: Vec<&str> = Vec::new();
        for hit in &all.hits {
            if !expected.contains(&hit.passage.source.as_str()) {
                expected.push(&hit.passage.source);
            }
        }
        assert!(expected.len() >= 4, "{query}: {expected:?}");
        let request = SearchRequest {
            sources: true,
            ..SearchRequest::new(query, 1, None)
        };
        let listed = search(&index, &request).expect("search");
        assert_eq!(listed.sources, expected, "{query}");
        assert_eq!(listed.total, all.total, "{query}");
    }
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
    let options = crate::index::OpenOptions::default();
    let opened = crate::index::open_fresh(&corpus, &index_dir, &options).unwrap();
    assert_eq!(opened.report().map(|report| report.documents), Some(5));
    let index = opened.index;
    let results = run(&index, "lokalt handlingsrom", None);
    assert_eq!(results.hits.len(), 10);
    for hit in &results.hits {
        let source = std::fs::read_to_string(&hit.passage.source).unwrap();
        let line = source.lines().nth(hit.passage.line as usize - 1).unwrap();
        let first_word = hit.passage.text.split_whitespace().next().unwrap();
        assert!(
            line.contains(first_word),
            "{}:{} {line:?}",
            hit.passage.source,
            hit.passage.line
        );
    }
    assert!(results.hits[0]
        .passage
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
            let request = SearchRequest::new(&query, 5, None);
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
            let query = vec![crate::search::parse::QueryWord::new(&words[pick % words.len()], false)];
            for lang in Lang::ALL {
                let matcher = matcher::WordMatcher::new(lang, &query);
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
            let query = vec![crate::search::parse::QueryWord::new(&words[pick % words.len()], false)];
            let matcher = matcher::WordMatcher::new(Lang::Nb, &query);
            let made = snippet::make_snippet(&text, &matcher.matches(&text));
            prop_assert!(made.text.len() <= snippet::SNIPPET_MAX_BYTES);
            prop_assert!(!made.highlights.is_empty());
            for [start, end] in made.highlights {
                prop_assert!(start < end && end <= made.text.len());
                prop_assert!(made.text.is_char_boundary(start) && made.text.is_char_boundary(end));
            }
        }
    }
}

/// Issue 4's mechanisms, each on the corpus's own words: the bokmål strategy papers'
/// compounds and the Danish OCR file's damaged letters.
mod ranking {
    use super::*;

    const PLAN_NB: &str = "Plan for arbeidet\n\
\n\
Samfunnet endrer seg, og nivået på tjenestene skal holdes.\n\
\n\
## Øvrige rammer og prioriteringer\n\
Samfunnsberedskap har blitt aktualisert ytterligere de siste årene.\n\
\n\
Gjeldsnivået er historisk høyt, og økonomien er stram.\n\
\n\
## Beredskap og sikkerhet\n\
Kommunene øver jevnlig sammen med staten.\n\
\n\
## Omstilling\n\
Beredskap nevnes her bare i forbifarten, sammen med sikkerhet.\n\
\n\
Digital omstilling i kommunene krever kompetanse.\n\
\n\
Omstilling i kommunene krever digital kompetanse og tid.\n\
\n\
Kommunene må omstille seg, og det digitale er bare en del av det.\n\
\n\
Kompetanse for omstilling er viktig for kommunene.\n\
\n\
## Arbeidsgiverpolitikk\n\
Kommunene trenger kompetanse og omstilling for å rekruttere.\n\
\n\
## !Lignende dokumenter\n\
Digital omstilling i kommunene. Kompetanse og omstilling. Beredskap.\n";

    const OCR_DA: &str = "Fokusomrader 2023-2025\n\
\n\
## Fokusomrade 1: Udvikling af den borgernaere velfaerd og frisaettelse\n\
KOMDIR arbejder for at udvikle den borgernaere velfzerd og frisaettelse af kommunerne.\n\
\n\
Forhandlingerne om konomiaftalen 2024 er afsluttet.\n\
\n\
Kommunerne skal finde nye lgsninger sammen med borgerne.\n\
\n\
## Fokusomrade 2: Pres\n\
Den danske velfaerdsmodel er under pres, og modellen skal fornyes.\n";

    fn corpus() -> (TestCorpus, LeteIndex) {
        build_index(&[("001_plan.txt", PLAN_NB), ("004_ocr_da.txt", OCR_DA)])
    }

    fn explained(index: &LeteIndex, query: &str, per_section: usize) -> SearchResults {
        let mut request = SearchRequest::new(query, 10, None);
        request.explain = true;
        request.per_section = per_section;
        search(index, &request).unwrap_or_else(|err| panic!("{query}: {err}"))
    }

    /// The form and the matched word of query word `word` in hit `rank` (0-based).
    fn form_of(results: &SearchResults, rank: usize, word: usize) -> (String, String) {
        let explain = results.hits[rank].explain.as_ref().expect("explained");
        match &explain.words[word].found {
            Some(found) => (found.form.name().to_string(), found.matched.clone()),
            None => (String::new(), String::new()),
        }
    }

    #[test]
    fn a_word_finds_the_compounds_it_is_a_part_of() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "gjeld", 2);
        assert!(results.hits[0].passage.text.starts_with("Gjeldsnivået"));
        assert_eq!(
            form_of(&results, 0, 0),
            ("compound".to_string(), "Gjeldsnivået".to_string())
        );
    }

    #[test]
    fn the_word_itself_ranks_above_it_as_a_compound_part() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "beredskap", 10);
        // Real content only: boilerplate ranks after it whatever the form.
        let forms: Vec<String> = (0..results.hits.len())
            .filter(|&rank| !results.hits[rank].explain.as_ref().unwrap().boilerplate)
            .map(|rank| form_of(&results, rank, 0).0)
            .collect();
        let first_compound = forms.iter().position(|form| form == "compound");
        let last_exact = forms.iter().rposition(|form| form == "exact");
        assert!(
            first_compound.is_some() && last_exact < first_compound,
            "{forms:?}"
        );
        // The compound is found, and `redskap` (two edits away) is not brought in.
        assert!(texts(&results)
            .iter()
            .any(|text| text.starts_with("Samfunnsberedskap")));
    }

    #[test]
    fn a_compound_query_finds_its_parts_apart() {
        let (_corpus, index) = corpus();
        // `samfunnsberedskap` is in one passage; `samfunn` and `beredskap` apart in none,
        // but the query's own parts are looked for too.
        let results = explained(&index, "samfunnsberedskap", 2);
        assert!(results.hits[0]
            .passage
            .text
            .starts_with("Samfunnsberedskap"));
        assert_eq!(form_of(&results, 0, 0).0, "exact");
    }

    #[test]
    fn scandinavian_letters_meet_their_two_letter_spellings() {
        let (_corpus, index) = corpus();
        for (query, written) in [("frisættelse", "frisaettelse"), ("velfærd", "velfaerd")] {
            let results = explained(&index, query, 2);
            assert!(!results.hits.is_empty(), "{query}");
            assert_eq!(
                form_of(&results, 0, 0),
                ("folded".to_string(), written.to_string()),
                "{query}"
            );
        }
    }

    #[test]
    fn damaged_letters_are_matched_within_a_small_edit_distance() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "økonomiaftalen", 2);
        assert!(results.hits[0].passage.text.contains("konomiaftalen 2024"));
        assert_eq!(
            form_of(&results, 0, 0),
            ("fuzzy".to_string(), "konomiaftalen".to_string())
        );
        // ø read as g: one edit in a word of 9 letters.
        let results = explained(&index, "løsninger", 2);
        assert!(results.hits[0].passage.text.contains("lgsninger"));
        // Words of fewer than 5 letters are never matched fuzzily.
        assert!(explained(&index, "tud", 2).hits.is_empty());
    }

    #[test]
    fn a_heading_match_ranks_above_a_mention() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "sikkerhet", 2);
        assert_eq!(results.hits[0].passage.heading, "Beredskap og sikkerhet");
        assert!(results.hits[1]
            .passage
            .text
            .contains("sammen med sikkerhet"));
    }

    #[test]
    fn boilerplate_ranks_below_real_content() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "digital omstilling kompetanse", 10);
        let boilerplate = results
            .hits
            .iter()
            .position(|hit| hit.passage.heading == "Lignende dokumenter")
            .expect("boilerplate hit");
        let content_with_all = results
            .hits
            .iter()
            .filter(|hit| hit.explain.as_ref().unwrap().covered == 3)
            .filter(|hit| hit.passage.heading != "Lignende dokumenter")
            .count();
        assert!(boilerplate >= content_with_all, "{:?}", texts(&results));
    }

    #[test]
    fn phrase_then_near_then_apart() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "digital omstilling", 10);
        let proximity: Vec<&str> = results
            .hits
            .iter()
            .map(|hit| hit.explain.as_ref().unwrap().proximity.name())
            .collect();
        assert_eq!(
            proximity[0],
            "phrase",
            "{:?} {proximity:?}",
            texts(&results)
        );
        assert!(results.hits[0]
            .passage
            .text
            .starts_with("Digital omstilling"));
        let near = proximity
            .iter()
            .position(|p| *p == "near")
            .unwrap_or_else(|| panic!("{:?} {proximity:?}", texts(&results)));
        let apart = proximity.iter().position(|p| *p == "apart").expect("apart");
        assert!(near < apart, "{proximity:?}");
    }

    #[test]
    fn at_most_two_hits_of_a_section_lead_unless_asked() {
        let (_corpus, index) = corpus();
        let sections = |results: &SearchResults| -> Vec<String> {
            results
                .hits
                .iter()
                .take(3)
                .map(|hit| hit.passage.heading.clone())
                .collect()
        };
        let diverse = explained(&index, "omstilling kommunene", 2);
        let top = sections(&diverse);
        assert_eq!(
            top.iter().filter(|h| *h == "Omstilling").count(),
            2,
            "{top:?}"
        );
        let one = explained(&index, "omstilling kommunene", 1);
        let top = sections(&one);
        assert_eq!(
            top.iter().filter(|h| *h == "Omstilling").count(),
            1,
            "{top:?}"
        );
        let many = explained(&index, "omstilling kommunene", 10);
        assert_eq!(
            sections(&many),
            ["Omstilling", "Omstilling", "Omstilling"],
            "{:?}",
            texts(&many)
        );
    }

    #[test]
    fn prefixes_match_and_are_highlighted() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "omstil*", 10);
        assert!(results.hits.len() >= 5);
        let hit = results
            .hits
            .iter()
            .find(|hit| hit.passage.text.starts_with("Kommunene må omstille"))
            .expect("omstille found");
        let [start, end] = hit.highlights[0];
        assert_eq!(&hit.snippet[start..end], "omstille");
        assert_eq!(form_of(&results, 0, 0).0, "prefix");
    }

    #[test]
    fn source_globs_filter_by_path_or_file_name() {
        let (_corpus, index) = corpus();
        let danish = explained(&index, "source:*_da.txt kommunerne", 10);
        assert!(!danish.hits.is_empty());
        assert!(danish.hits.iter().all(|hit| hit.passage.lang == Lang::Da));
        let none = explained(&index, "source:999_*.txt kommunene", 10);
        assert!(none.hits.is_empty());
        // Case is ignored, as by --include (found in the new-user trial of stop 25:
        // `source:*.pdf` missed `OPPVEKST-SKANNET.PDF`).
        let upper = explained(&index, "source:*_DA.TXT kommunerne", 10);
        assert_eq!(texts(&upper), texts(&danish));
        let bad = search(
            &index,
            &SearchRequest::new("source:\"[\" kommunene", 10, None),
        );
        assert!(matches!(bad, Err(SearchError::InvalidQuery(_))), "{bad:?}");
    }

    #[test]
    fn filters_keep_the_words_required() {
        let (_corpus, index) = corpus();
        assert!(explained(&index, "lang:nb xylofonkvartett", 10)
            .hits
            .is_empty());
        let danish = explained(&index, "lang:da velfærd", 10);
        assert!(!danish.hits.is_empty());
        assert!(danish
            .hits
            .iter()
            .all(|hit| hit.explain.as_ref().unwrap().covered == 1));
        let source = explained(&index, "source:'*_da.txt' frisættelse", 10);
        assert!(!source.hits.is_empty());
        assert!(source
            .hits
            .iter()
            .all(|hit| hit.passage.lang == Lang::Da && hit.explain.as_ref().unwrap().covered == 1));
    }

    #[test]
    fn exclusions_nest_and_mean_the_word_itself() {
        let (_corpus, index) = corpus();
        for query in [
            "kommunene AND NOT omstilling",
            "kommunene (-omstilling -digital)",
        ] {
            let results = explained(&index, query, 10);
            assert!(!results.hits.is_empty(), "{query}");
            assert!(
                texts(&results)
                    .iter()
                    .all(|text| !text.to_lowercase().contains("omstilling")),
                "{query}: {:?}",
                texts(&results)
            );
        }
        // Excluding `beredskap` excludes the word, not the compounds it is part of.
        let results = explained(&index, "aktualisert -beredskap", 10);
        assert!(results.hits[0]
            .passage
            .text
            .starts_with("Samfunnsberedskap"));
    }

    #[test]
    fn quoted_words_and_compounds_keep_their_spellings() {
        let (_corpus, index) = corpus();
        let quoted = explained(&index, "\"velfærd\"", 10);
        assert!(!quoted.hits.is_empty());
        assert_eq!(form_of(&quoted, 0, 0).0, "folded");
        let compound = explained(&index, "velfærd", 10);
        assert!(
            (0..compound.hits.len()).any(|rank| form_of(&compound, rank, 0)
                == ("compound".to_string(), "velfaerdsmodel".to_string())),
            "{:?}",
            texts(&compound)
        );
    }

    #[test]
    fn a_prefix_reaches_the_words_whose_stem_it_passes() {
        let (_corpus, index) = corpus();
        // `kommune*`: the stem of `kommunene` and `kommuner` is `kommun`.
        let results = explained(&index, "kommune*", 50);
        assert!(texts(&results)
            .iter()
            .any(|text| text.contains("Kommunene øver")));
        let definite = explained(&index, "samfunnet*", 10);
        assert!(!definite.hits.is_empty());
    }

    #[test]
    fn a_common_word_does_not_count_in_the_word_counts() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "sikkerhet og staten", 10);
        let explain = results.hits[0].explain.as_ref().unwrap();
        let common: Vec<&str> = explain
            .words
            .iter()
            .filter(|word| word.common)
            .map(|word| word.word.as_str())
            .collect();
        assert_eq!(common, ["og"]);
        assert_eq!(explain.of_words, 3 - common.len());
    }

    #[test]
    fn a_title_prefix_matches_title_words() {
        let (_corpus, index) = corpus();
        let results = explained(&index, "+title:fokus* velfærd", 10);
        assert!(!results.hits.is_empty());
        assert!(results.hits.iter().all(|hit| hit.passage.lang == Lang::Da));
    }
}

/// Texts are only analysed while a candidate can still reach the hits shown, and fewer hits
/// asked stop sooner: the first hits must not change (issue 5). Each query's pool is the
/// same 100 candidates for every limit here.
#[test]
fn r5_fewer_hits_asked_are_the_first_of_more() {
    let (_corpus, index) = corpus();
    for query in [
        "lokalt handlingsrom",
        "handlingsrom",
        "kommunene",
        "rekruttere og fastholde medarbejdere",
        "demografiske udfordringer",
    ] {
        let mut request = SearchRequest::new(query, 10, None);
        request.explain = true;
        let all = search(&index, &request).expect("search");
        assert!(!all.hits.is_empty(), "{query}");
        for limit in 1..all.hits.len() {
            request.limit = limit;
            let fewer = search(&index, &request).expect("search");
            assert_eq!(fewer.total, all.total, "{query}");
            assert_eq!(fewer.hits[..], all.hits[..limit], "{query} {limit}");
        }
    }
}

/// A word may be in a passage's heading path (its document's title, a heading above its own)
/// though no passage of its language has it in its text or heading field: the bound on such a
/// candidate must count it as found as written (issue 5). Debug builds check every bound.
#[test]
fn a_word_only_in_the_title_still_ranks_its_passages_first() {
    let (_corpus, index) = build_index(&[
        (
            "001_plan.txt",
            "Velferdsteknologi i omsorgen\n\
             ## Innledning\n\
             Kommunene tar i bruk ny teknologi i omsorgen.\n\
             \n\
             ## Rekruttering\n\
             Kommunene må rekruttere flere sykepleiere.\n",
        ),
        (
            "002_andre.txt",
            "Kommunal planlegging\n\
             \n\
             Kommunene planlegger, og kommunene samarbeider med kommunene rundt.\n\
             \n\
             Kommunene og staten.\n",
        ),
    ]);
    let mut request = SearchRequest::new("velferdsteknologi kommunene", 10, None);
    request.explain = true;
    let results = search(&index, &request).expect("search");
    let first = &results.hits[0];
    assert_eq!(
        first.passage.title, "Velferdsteknologi i omsorgen",
        "{results:#?}"
    );
    let explain = first.explain.as_ref().expect("explained");
    assert_eq!(explain.covered, 2, "{explain:#?}");
}

/// Issue 14: with 25 query words the ranking key is about 400,000, and folded into one `f32`
/// with BM25 (key × step + BM25, about 19 million here) it left BM25 no bits below 2: two
/// passages equal on the key tied however their BM25 differed, and the tie went by source. The
/// key and BM25 are compared as a pair, so the passage with the higher BM25 ranks first.
#[test]
fn r14_bm25_still_breaks_ties_of_a_many_word_query() {
    let words = "arbeidsgiver barnevern digitalisering beredskap kompetanse innovasjon samarbeid \
                 økonomi velferd klima helse skole omsorg planlegging rekruttering tillit \
                 bosetting sykehjem fylke kultur idrett havbruk landbruk vannforsyning sentrum";
    assert_eq!(words.split_whitespace().count(), 25);
    // The same words, once with one word more: a longer passage, so a lower BM25. It comes
    // first by source, the only thing that broke the tie before.
    let longer = format!("Tittel\n\n{words} og mer.\n");
    let shorter = format!("Tittel\n\n{words} mer.\n");
    let (_corpus, index) = build_index(&[
        ("001_lengre.txt", &longer),
        ("002_kortere.txt", &shorter),
        ("003_annet.txt", "Annet\n\nnoe\n"),
    ]);
    let mut request = SearchRequest::new(words, 10, None);
    request.explain = true;
    let results = search(&index, &request).expect("search");
    assert_eq!(results.hits.len(), 2, "{:?}", texts(&results));
    let bm25: Vec<f32> = results
        .hits
        .iter()
        .map(|hit| hit.explain.as_ref().expect("explained").bm25)
        .collect();
    assert!(bm25[0] > bm25[1], "{bm25:?}");
    assert!(results.hits[0].passage.source.ends_with("002_kortere.txt"));
}

/// `query` searched with `--explain`.
fn run_explained(index: &LeteIndex, query: &str) -> SearchResults {
    let mut request = SearchRequest::new(query, 10, None);
    request.explain = true;
    search(index, &request).unwrap_or_else(|err| panic!("{query}: {err}"))
}

/// Issue 17: a passage that is only a heading or the title is no hit of its own while another
/// passage matches, and still a hit when nothing else does.
#[test]
fn r17_a_heading_only_passage_is_no_hit_of_its_own() {
    let (_corpus, index) = build_index(&[
        (
            "001_plan.txt",
            "Plan for barnevernet\n\nPlan for barnevernet\n\n## Barnevern\n\
             Barnevern\n\nKommunen skal styrke barnevernet og samarbeidet med skolen.\n",
        ),
        (
            "002_tittel.txt",
            "Strategisk tittel alene\n\nStrategisk tittel alene\n",
        ),
    ]);
    let results = run(&index, "barnevern", None);
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        assert!(hit.passage.text.contains("styrke"), "{:?}", texts(&results));
    }
    // A title word finds the passages under the title through their heading path (session
    // 25), and the title's own passage is then no hit: before, only the title line was found.
    assert_eq!(
        texts(&run(&index, "plan", None)),
        ["Kommunen skal styrke barnevernet og samarbeidet med skolen."]
    );
    let alone = run(&index, "tittel", None);
    assert_eq!(texts(&alone), ["Strategisk tittel alene"], "{alone:#?}");
}

/// Issue 17: a question's function words do not decide coverage: the passage with the
/// content words ranks above one with the question words, and `--explain` says why.
#[test]
fn r17_function_words_do_not_decide_coverage() {
    let (_corpus, index) = build_index(&[
        (
            "001_svar.txt",
            "Svar\n\nKommunene kan rekruttere flere ansatte med heltidsstillinger.\n",
        ),
        (
            "002_spoersmaal.txt",
            "Spørsmål\n\nHvordan skal vi gjøre det, og hvordan kan vi vite det?\n",
        ),
        (
            "003_annet.txt",
            "Annet\n\nEt dokument om noe helt annet, om veier og broer.\n",
        ),
    ]);
    let mut request =
        SearchRequest::new("hvordan kan kommunene rekruttere flere ansatte?", 10, None);
    request.explain = true;
    let results = search(&index, &request).expect("search");
    assert!(results.hits[0]
        .passage
        .text
        .starts_with("Kommunene kan rekruttere"));
    let explain = results.hits[0].explain.as_ref().expect("explained");
    let function_words: Vec<&str> = explain
        .words
        .iter()
        .filter(|word| word.function_word)
        .map(|word| word.word.as_str())
        .collect();
    assert_eq!(function_words, ["hvordan", "kan"]);
    assert_eq!(explain.of_words, 4);
    // A query of function words only still counts them.
    let only = run(&index, "hvordan kan", None);
    assert!(only.hits[0].passage.text.starts_with("Hvordan"));
}

/// Issue 17: a word meets the words derived from it, and a part of a compound query word
/// meets its derivations, at a lower form than the word itself.
#[test]
fn r17_derived_words_meet_at_a_lower_form() {
    let (_corpus, index) = build_index(&[
        (
            "001_innkjop.txt",
            "Innkjøp\n\nKommunene bruker innkjøp som strategisk verktøy.\n\n\
             Teknologiske løsninger og digitalisering i sektoren.\n\n\
             En strategi for digital omstilling.\n",
        ),
        (
            "002_annet.txt",
            "Annet\n\nInnkjøp av varer skjer hver uke, og strategien ligger fast.\n",
        ),
    ]);
    let explained = |query: &str| run_explained(&index, query);
    let found = explained("innkjøpsstrategi");
    assert!(
        texts(&found)[0].contains("innkjøp som strategisk verktøy"),
        "{:?}",
        texts(&found)
    );
    let found = explained("teknologi");
    let word = &found.hits[0].explain.as_ref().unwrap().words[0];
    let how = word.found.as_ref().expect("found");
    assert_eq!(
        (how.form, how.matched.as_str()),
        (Form::Derived, "Teknologiske")
    );
    // The word itself ranks above its derivation.
    let found = explained("strategi");
    assert!(
        texts(&found)[0].starts_with("En strategi"),
        "{:?}",
        texts(&found)
    );
    let found = explained("digitalisering");
    assert!(
        texts(&found)[0].starts_with("Teknologiske"),
        "{:?}",
        texts(&found)
    );
    assert!(texts(&found)
        .iter()
        .any(|text| text.contains("digital omstilling")));
}

/// Issue 17: the query's language is guessed from its words, with no guess when they do not
/// tell, and of passages holding as many of the words, those in it come first.
#[test]
fn r17_passages_in_the_query_s_language_come_first() {
    let (_corpus, index) = build_index(&[
        (
            "001_plan.txt",
            "Plan\n\nRekruttering av medarbeidere i kommunene er en stor oppgave.\n",
        ),
        (
            "002_plan_da.txt",
            "Plan\n\nRekruttering af medarbejdere i kommunerne er en stor opgave.\n",
        ),
    ]);
    let explained = |query: &str| run_explained(&index, query);
    let danish = explained("hvad med rekruttering");
    let explain = danish.hits[0].explain.as_ref().unwrap();
    assert_eq!(explain.query_lang, Some(Lang::Da));
    assert!(explain.in_query_lang);
    assert_eq!(danish.hits[0].passage.lang, Lang::Da);
    let norwegian = explained("hva med rekruttering");
    assert_eq!(norwegian.hits[0].passage.lang, Lang::Nb);
    let nynorsk = explained("kva med rekruttering");
    let explain = nynorsk.hits[0].explain.as_ref().unwrap();
    assert_eq!(explain.query_lang, Some(Lang::Nn));
    assert_eq!(nynorsk.hits[0].passage.lang, Lang::Nb);
    // Written alike in both: no guess.
    let either = explained("rekruttering");
    assert_eq!(either.hits[0].explain.as_ref().unwrap().query_lang, None);
}

/// Issue 17: a compound that begins with a word only one language uses tells the query's
/// language (`opgaveløsning`: the Danish `opgave`).
#[test]
fn r17_a_compound_s_head_tells_the_query_s_language() {
    let (_corpus, index) =
        build_index(&[("001_plan.txt", "Plan\n\nOppgaveløsning i kommunene.\n")]);
    let mut request = SearchRequest::new("opgaveløsning", 10, None);
    request.explain = true;
    let results = search(&index, &request).expect("search");
    let explain = results.hits[0].explain.as_ref().expect("explained");
    assert_eq!(explain.query_lang, Some(Lang::Da));
    assert!(!explain.in_query_lang);
}

/// Issue 18: each word missing from the corpus is looked up fuzzily by walking the term
/// dictionary; past the first few, missing words get no fuzzy forms, so a query of many
/// absent words costs little more than one of a few.
#[test]
fn r18_only_the_first_missing_words_are_matched_fuzzily() {
    let (_corpus, index) = corpus();
    let typos: Vec<String> = "abcdefghijklmnop"
        .chars()
        .take(plan::MAX_FUZZY_WORDS + 2)
        .map(|letter| format!("handlingsr{letter}m"))
        .collect();
    let parsed = parse_user_query(&typos.join(" "), &[Lang::Nb]).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let plan = plan::build_plan(&index, &searcher, &parsed, &[Lang::Nb]).unwrap();
    let with_fuzzy: Vec<bool> = plan.forms[&Lang::Nb]
        .iter()
        .map(|forms| !forms.fuzzy.is_empty())
        .collect();
    let mut expected = vec![true; plan::MAX_FUZZY_WORDS];
    expected.extend([false, false]);
    assert_eq!(with_fuzzy, expected);
}

/// Issue 16: a search collected in parts on several threads finds what one pass finds, bit
/// for bit: the same pool (scores and addresses), the same total, the same matches for
/// `--files`; over an index of two segments, one with deleted passages (a file changed).
#[test]
fn r16_a_search_collected_in_parts_equals_one_pass() {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(String, String)> = std::fs::read_dir(shipped)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (corpus, _) = build_index(&borrowed);
    let (name, text) = &files[0];
    corpus.write(
        name,
        &format!("{text}\n\nLokalt handlingsrom i kommunane, på ny.\n"),
    );
    corpus.update(&crate::index::IndexOptions::default());
    let index = corpus.open();
    let searcher = index.reader().unwrap().searcher();
    assert!(searcher.segment_readers().len() >= 2, "two segments");
    assert!(searcher
        .segment_readers()
        .iter()
        .any(|s| s.num_deleted_docs() > 0));
    let mut queries = crate::bench::parse_queries(crate::bench::DEV_QUERIES);
    for more in [
        "kommune*",
        "\"lokalt handlingsrom\" -staten",
        "lang:da kommunerne",
    ] {
        queries.push(more.to_string());
    }
    let mut compared = 0;
    for query in &queries {
        let parsed = parse_user_query(query, &Lang::ALL).unwrap();
        let plan = plan::build_plan(&index, &searcher, &parsed, &Lang::ALL).unwrap();
        // As the CLI collects (no deadline: one pass, or parts on every core) and as `lete
        // serve` does (one thread, in parts that check a deadline, issue 20).
        let far = Deadline::at(std::time::Instant::now() + std::time::Duration::from_secs(3600));
        let top = |threads, deadline| {
            collect::top_candidates(
                &index,
                &searcher,
                plan.query.as_ref(),
                1000,
                threads,
                deadline,
            )
            .unwrap()
        };
        let one = top(1, Deadline::NONE);
        let bits = |(top, total): &(Vec<(f32, tantivy::DocAddress)>, usize)| {
            let top: Vec<_> = top.iter().map(|(s, a)| (s.to_bits(), *a)).collect();
            (top, *total)
        };
        assert_eq!(bits(&one), bits(&top(8, Deadline::NONE)), "{query}");
        assert_eq!(bits(&one), bits(&top(1, far)), "{query}");
        let all = |threads, deadline| {
            let mut all =
                collect::all_matches(&index, &searcher, plan.query.as_ref(), threads, deadline)
                    .unwrap();
            all.sort_by_key(|a| a.1);
            all.iter()
                .map(|(s, a)| (s.to_bits(), *a))
                .collect::<Vec<(u32, tantivy::DocAddress)>>()
        };
        let all_one = all(1, Deadline::NONE);
        assert_eq!(all_one, all(8, Deadline::NONE), "{query}");
        assert_eq!(all_one, all(1, far), "{query}");
        compared += usize::from(one.1 > 0);
    }
    assert!(compared >= 30, "{compared} queries matched");
}

/// A prefix of more words than are looked for keeps the ones most passages hold, not the
/// first of one segment's alphabet (break trial of session 26: `a*` left out `at` and `av`,
/// and `sk*` matched 31,840 passages in an index of two segments and 9,952 in one).
#[test]
fn r16_a_prefix_of_many_words_keeps_the_most_common() {
    let letters: Vec<char> = ('b'..='y').collect();
    let rare: Vec<String> = letters
        .iter()
        .flat_map(|a| letters.iter().take(3).map(move |b| format!("sakq{a}{b}x")))
        .collect();
    assert!(rare.len() > super::expand::MAX_EXPANSIONS);
    let mut text = format!("Liste\n\n{}\n", rare.join(" "));
    for n in 0..5 {
        text.push_str(&format!("\nAvsnitt {n} om sakqzzx og annet.\n"));
    }
    let (_corpus, index) = build_index(&[("001_liste.txt", &text)]);
    let results = run(&index, "sakq*", None);
    assert!(
        results
            .hits
            .iter()
            .any(|hit| hit.passage.text.contains("sakqzzx")),
        "{:?}",
        texts(&results)
    );
    assert_eq!(results.total, 6, "{:?}", texts(&results));
}

/// Issue 20 (break trial of session 26): a search `lete serve` answered as too slow ran on
/// for 20 s, holding its thread. A search past its deadline stops, in the collection and
/// (rank.rs) in the ranking, with an error of its own; before it, it answers as without one.
#[test]
fn r20_a_search_past_its_deadline_stops_with_an_error() {
    let (_corpus, index) = corpus();
    let request = SearchRequest::new("kommune", 10, None);
    let now = std::time::Instant::now();
    let later = now + std::time::Duration::from_secs(3600);
    let within = prepare(&request).unwrap().with_deadline(later);
    assert_eq!(
        within.run(&index).unwrap(),
        search(&index, &request).unwrap()
    );
    let passed = prepare(&request)
        .unwrap()
        .on_one_thread()
        .with_deadline(now);
    let err = passed.run(&index).unwrap_err();
    assert!(matches!(err, SearchError::TimedOut), "{err}");
    assert!(!err.is_query_error());
    let searcher = index.reader().unwrap().searcher();
    let parsed = parse_user_query("kommune", &Lang::ALL).unwrap();
    let plan = plan::build_plan(&index, &searcher, &parsed, &Lang::ALL).unwrap();
    let query = plan.query.as_ref();
    for threads in [1, 8] {
        let collected =
            collect::top_candidates(&index, &searcher, query, 10, threads, Deadline::at(now));
        assert!(matches!(collected, Err(SearchError::TimedOut)));
        let all = collect::all_matches(&index, &searcher, query, threads, Deadline::at(now));
        assert!(matches!(all, Err(SearchError::TimedOut)));
    }
}
