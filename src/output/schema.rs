//! The JSON schemas: the hit of `--json` and `--jsonl`, `lete stats --json`, `lete eval
//! --json`, `lete outline --json`, the passage documents of `lete export` and the answers of
//! `lete serve`'s API (which are the same objects, plus its errors and health). The only place
//! their field names live. The names are a contract (DESIGN.md, the README); scripts and the
//! evaluation depend on them.
//!
//! Each type is a view of what the library holds, borrowed and only serialized (as ripgrep's
//! JSON printer): nothing is copied to be printed, and nothing here is read back.

use crate::eval::EvalReport;
use crate::index::StoredPassage;
use crate::lang::Lang;
use crate::search::{Cap, Explain, ExplainWord, SearchHit, SearchResults};
use crate::segment::{Document, Passage, Section};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// One ranked passage, exactly the fields of DESIGN.md's hit schema.
#[derive(Debug, Serialize)]
pub(crate) struct Hit<'a> {
    /// 1-based position.
    pub rank: usize,
    /// Ranking score, higher is better.
    pub score: f32,
    /// Path of the source file as given to the indexer.
    pub source: &'a str,
    pub title: &'a str,
    /// The nearest heading above the passage, the title where there is none.
    pub heading: &'a str,
    /// Headings from the title down to `heading`.
    pub heading_path: &'a [String],
    pub lang: Lang,
    /// 1-based source line where the passage starts.
    pub line: u64,
    /// 1-based page where the passage starts, for paged formats (PDF); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The whole passage, as normalized text.
    pub text: &'a str,
    /// A short extract around the best match.
    pub snippet: &'a str,
    /// Byte ranges `[start, end]` of matched words inside `snippet`.
    pub highlights: &'a [[usize; 2]],
    /// Only with `--explain`: why the hit ranks where it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<HitExplain<'a>>,
}

/// `--explain`: each query word's match, and the parts of the ranking.
#[derive(Debug, Serialize)]
pub(crate) struct HitExplain<'a> {
    pub words: Vec<WordExplain<'a>>,
    /// Query words found, in any form.
    pub covered: usize,
    /// Query words in all.
    pub of_words: usize,
    /// The words' forms: per word 4 as written or inflected (or a prefix match), 3 another
    /// spelling of æ/ø/å, 2 a compound part or a near spelling, 1 a compound query word found
    /// as its parts, 0 missing.
    pub quality: usize,
    /// A boilerplate passage (a list of unrelated titles) ranks after real content.
    pub boilerplate: bool,
    /// `phrase`, `near` or `apart`.
    pub proximity: &'static str,
    /// Query words found in the heading path.
    pub heading_words: usize,
    /// Tantivy's BM25 over the words' forms, each form weighted.
    pub bm25: f32,
    /// `section` or `document` when that cap (`--per-section`, `--per-document`) put the hit
    /// after other sections' or documents' hits, else null (issue 17).
    pub capped: Option<&'static str>,
    /// `nb`, `nn` or `da`: the language the query's words are in, or null when they do not
    /// tell (issue 17).
    pub query_lang: Option<Lang>,
    /// Whether the passage is in that language (bokmål and nynorsk count as one): ranked
    /// before passages that hold as many of the words in another.
    pub in_query_lang: bool,
}

/// One query word in one hit.
#[derive(Debug, Serialize)]
pub(crate) struct WordExplain<'a> {
    pub word: &'a str,
    /// A common word (in more than 30% of its language's passages): left out of `covered`,
    /// `of_words`, `quality` and `heading_words` unless the query has no other word.
    pub common: bool,
    /// A function word (a question word, pronoun or auxiliary on Snowball's stop list of a
    /// language searched: `hvordan`, `kva`, `hvad`), left out as a common word is (issue 17).
    pub function_word: bool,
    /// `exact`, `stem`, `folded`, `nynorsk`, `compound`, `derived`, `fuzzy`, `prefix`, or null
    /// when not found.
    pub form: Option<&'static str>,
    /// `text` or `heading`, or null.
    pub field: Option<&'static str>,
    /// The passage's word it matched, as written, or null.
    pub matched: Option<&'a str>,
}

/// The single object `--json` prints.
#[derive(Debug, Serialize)]
pub(crate) struct SearchOutput<'a> {
    pub query: &'a str,
    /// Passages matching the query, before the limit.
    pub total: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit<'a>>,
}

impl<'a> From<&'a SearchHit> for Hit<'a> {
    fn from(hit: &'a SearchHit) -> Hit<'a> {
        let passage = &hit.passage;
        Hit {
            rank: hit.rank,
            score: hit.score,
            source: &passage.source,
            title: &passage.title,
            heading: &passage.heading,
            heading_path: &passage.heading_path,
            lang: passage.lang,
            line: passage.line,
            page: passage.page,
            text: &passage.text,
            snippet: &hit.snippet,
            highlights: &hit.highlights,
            explain: hit.explain.as_ref().map(HitExplain::from),
        }
    }
}

impl<'a> From<&'a Explain> for HitExplain<'a> {
    fn from(explain: &'a Explain) -> HitExplain<'a> {
        HitExplain {
            words: explain.words.iter().map(WordExplain::from).collect(),
            covered: explain.covered,
            of_words: explain.of_words,
            quality: explain.quality,
            boilerplate: explain.boilerplate,
            proximity: explain.proximity.name(),
            heading_words: explain.heading_words,
            bm25: explain.bm25,
            capped: explain.capped.map(Cap::name),
            query_lang: explain.query_lang,
            in_query_lang: explain.in_query_lang,
        }
    }
}

impl<'a> From<&'a ExplainWord> for WordExplain<'a> {
    fn from(word: &'a ExplainWord) -> WordExplain<'a> {
        WordExplain {
            word: &word.word,
            common: word.common,
            function_word: word.function_word,
            form: word.found.as_ref().map(|found| found.form.name()),
            field: word.found.as_ref().map(|found| found.field.name()),
            matched: word.found.as_ref().map(|found| found.matched.as_str()),
        }
    }
}

impl<'a> SearchOutput<'a> {
    /// The output object for `results` of `query`, which took `took`.
    pub(crate) fn new(
        query: &'a str,
        results: &'a SearchResults,
        took: Duration,
    ) -> SearchOutput<'a> {
        SearchOutput {
            query,
            total: results.total,
            took_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            hits: results.hits.iter().map(Hit::from).collect(),
        }
    }
}

/// `lete eval --json`: the figures of the shared `score.py`, and each query's outcome.
#[derive(Debug, Serialize)]
pub(crate) struct EvalOutput<'a> {
    pub queries: usize,
    pub mrr10: f64,
    pub s1: f64,
    pub s5: f64,
    /// Null when no query names a heading.
    pub heading_acc: Option<f64>,
    pub per_query: Vec<EvalQueryOutput<'a>>,
}

/// One query of `lete eval --json`.
#[derive(Debug, Serialize)]
pub(crate) struct EvalQueryOutput<'a> {
    pub id: &'a str,
    pub query: &'a str,
    /// 1-based rank of the first relevant hit in the top 10, or null.
    pub rank: Option<usize>,
    /// Whether that hit has the expected heading; null when none is expected.
    pub heading_ok: Option<bool>,
    pub phenomenon: &'a str,
}

impl<'a> From<&'a EvalReport> for EvalOutput<'a> {
    fn from(report: &'a EvalReport) -> EvalOutput<'a> {
        EvalOutput {
            queries: report.queries,
            mrr10: report.mrr10,
            s1: report.s1,
            s5: report.s5,
            heading_acc: report.heading_acc,
            per_query: report
                .outcomes
                .iter()
                .map(|outcome| EvalQueryOutput {
                    id: &outcome.id,
                    query: &outcome.query,
                    rank: outcome.rank,
                    heading_ok: outcome.heading_ok,
                    phenomenon: &outcome.phenomenon,
                })
                .collect(),
        }
    }
}

/// `lete outline --json`: a document's structure as lete sees it.
#[derive(Debug, Serialize)]
pub(crate) struct OutlineOutput<'a> {
    pub source: &'a str,
    pub title: &'a str,
    pub lang: Lang,
    pub sections: Vec<OutlineSection<'a>>,
}

/// One section of an outline.
#[derive(Debug, Serialize)]
pub(crate) struct OutlineSection<'a> {
    pub heading: &'a str,
    /// 0 for the title section, then 1 and deeper.
    pub level: u8,
    /// 1-based source line of the heading.
    pub line: usize,
    pub heading_path: &'a [String],
    pub boilerplate: bool,
    pub passages: Vec<OutlinePassage<'a>>,
}

/// One passage of an outline section.
#[derive(Debug, Serialize)]
pub(crate) struct OutlinePassage<'a> {
    /// 1-based source line of its first word.
    pub line: usize,
    /// 1-based page of its first word, for paged formats (PDF); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub text: &'a str,
}

impl<'a> From<&'a Document> for OutlineOutput<'a> {
    fn from(document: &'a Document) -> OutlineOutput<'a> {
        OutlineOutput {
            source: &document.source,
            title: &document.title,
            lang: document.lang,
            sections: document.sections.iter().map(OutlineSection::from).collect(),
        }
    }
}

impl<'a> From<&'a Section> for OutlineSection<'a> {
    fn from(section: &'a Section) -> OutlineSection<'a> {
        OutlineSection {
            heading: &section.heading,
            level: section.level,
            line: section.line,
            heading_path: &section.heading_path,
            boilerplate: section.boilerplate,
            passages: section.passages.iter().map(OutlinePassage::from).collect(),
        }
    }
}

impl<'a> From<&'a Passage> for OutlinePassage<'a> {
    fn from(passage: &'a Passage) -> OutlinePassage<'a> {
        OutlinePassage {
            line: passage.line,
            page: passage.page,
            text: &passage.text,
        }
    }
}

/// `lete stats --json` (issue 7).
#[derive(Debug, Serialize)]
pub(crate) struct StatsOutput<'a> {
    /// The corpus folder as given (`--corpus`), and the index folder: as given (`--index`),
    /// or where lete keeps this corpus's index (issue 19).
    pub corpus: String,
    pub index: String,
    /// When the index was last written, RFC 3339 in UTC (`2025-03-01T12:00:00Z`).
    pub built_at: String,
    /// The same instant in Unix seconds.
    pub built_at_unix: u64,
    /// Whether the index matches the corpus as it is now; `null` when the corpus is gone.
    pub up_to_date: Option<bool>,
    pub lete_version: &'a str,
    pub schema_version: u32,
    /// Bytes of the index folder on disk.
    pub index_bytes: u64,
    /// Corpus files the indexer skipped (binary, empty, unreadable).
    pub skipped_files: usize,
    /// Each warning about a file left out, `PATH: REASON`, as the last update found them:
    /// the skipped files, then what the walk passed over (broken links, files not selected).
    pub skipped: &'a [String],
    /// The `--include` and `--exclude` globs the index was built with.
    pub include: &'a [String],
    pub exclude: &'a [String],
    /// The whole index; `distinct_terms` counts a term found in several languages once.
    pub totals: StatsCounts,
    /// `nb`, `nn` and `da`, always all three (zeros where the index has none).
    pub languages: BTreeMap<Lang, StatsCounts>,
}

/// Counts of `lete stats --json`, for one language or the whole index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct StatsCounts {
    pub documents: usize,
    pub sections: usize,
    pub passages: usize,
    /// Words of the passage text.
    pub words: usize,
    /// Distinct stemmed terms of the passage text.
    pub distinct_terms: usize,
}

/// The body of every error answer of `lete serve`'s API (issue 20): the one-line message the
/// CLI gives for the same mistake, without the `lete: ` prefix.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorOutput<'a> {
    pub error: &'a str,
}

/// `GET /api/health` of `lete serve` (issue 20): whether it answers, and how its index stands.
#[derive(Debug, Serialize)]
pub(crate) struct HealthOutput<'a> {
    /// Always `ok`: the server answers.
    pub status: &'static str,
    pub lete_version: &'static str,
    /// Documents of the index searches answer from now.
    pub documents: usize,
    /// When that index was last committed, in Unix seconds.
    pub built_at_unix: u64,
    /// Whether a background update of the index is running.
    pub updating: bool,
    /// Whether the index answers for the corpus as the server last saw it: false while a
    /// change waits for its update, and after an update failed.
    pub up_to_date: bool,
    /// Why the last background update failed; null when it did not.
    pub last_error: Option<&'a str>,
}

/// One passage document of `lete export --format opensearch` (issue 7): what the bulk file
/// holds and what the mapping declares, field for field.
#[derive(Debug, Serialize)]
pub(crate) struct ExportedPassage<'a> {
    /// Source path as given to the indexer.
    pub source: &'a str,
    pub title: &'a str,
    /// The nearest heading (the title where there is none).
    pub heading: &'a str,
    pub heading_path: &'a [String],
    pub lang: Lang,
    /// 1-based source line where the passage starts.
    pub line: u64,
    /// 1-based page where the passage starts, for paged formats (PDF); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Section and passage ordinals within the document (0-based).
    pub section: u64,
    pub passage: u64,
    /// Whether the passage belongs to a boilerplate section (ranked down by lete).
    pub boilerplate: bool,
    pub text: &'a str,
}

impl<'a> From<&'a StoredPassage> for ExportedPassage<'a> {
    fn from(passage: &'a StoredPassage) -> ExportedPassage<'a> {
        ExportedPassage {
            source: &passage.source,
            title: &passage.title,
            heading: &passage.heading,
            heading_path: &passage.heading_path,
            lang: passage.lang,
            line: passage.line,
            page: passage.page,
            section: passage.section,
            passage: passage.passage,
            boilerplate: passage.boilerplate,
            text: &passage.text,
        }
    }
}

/// The action line before each document of a bulk NDJSON file.
#[derive(Debug, Serialize)]
pub(crate) struct BulkAction<'a> {
    pub index: BulkTarget<'a>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BulkTarget<'a> {
    #[serde(rename = "_index")]
    pub index: &'a str,
    #[serde(rename = "_id")]
    pub id: String,
}

/// `lete bench --json` (issue 5): one object with every figure of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchJson {
    /// Size of the generated corpus asked for, in MB (MiB).
    pub size_mb: u64,
    pub seed: u64,
    pub corpus: BenchCorpusJson,
    pub index: BenchIndexJson,
    pub phases: BenchPhasesJson,
    pub query: BenchQueryJson,
    /// Seconds to bring the index up to date after one corpus file changed.
    pub incremental_seconds: f64,
    /// `incremental_seconds` over lete's full build seconds.
    pub incremental_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchCorpusJson {
    pub dir: String,
    pub files: usize,
    pub bytes: u64,
    pub passages: usize,
    /// Whether a complete corpus of the same size and seed was reused.
    pub reused: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchIndexJson {
    pub lete: BenchRunJson,
    pub baseline: BenchRunJson,
    /// lete's MB/s over the baseline's: the headline (1.0 is as fast as bare Tantivy).
    pub ratio: f64,
    /// Tantivy writer threads and heap, the same for both runs.
    pub writer_threads: usize,
    pub writer_heap_mb: f64,
}

/// One full index build, run in a child process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchRunJson {
    /// Wall seconds of the build inside the process (process start not counted).
    pub seconds: f64,
    /// Corpus MB indexed per second.
    pub mb_per_s: f64,
    pub passages_per_s: f64,
    /// The child process's peak resident memory (`ru_maxrss`); null where unknown.
    pub peak_rss_mb: Option<f64>,
    /// Its largest anonymous resident memory (`RssAnon`, sampled every 20 ms): the peak
    /// without mapped index files; null where unknown.
    pub peak_anon_mb: Option<f64>,
    /// The index folder's size on disk after the build.
    pub index_mb: f64,
    /// Tantivy segments the build left. A build that ends on few segments has merged (its
    /// time counts the merge) and answers queries faster; the two builds may differ here.
    pub segments: usize,
}

/// Where lete's indexing time goes, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchPhasesJson {
    /// Learning the compound lexicon (wall, before indexing starts).
    pub lexicon_s: f64,
    /// Read, decode, normalize and segment: CPU seconds summed over the loader threads.
    pub decode_normalize_segment_s: f64,
    /// lete's analyzers (tokenize, lowercase, compound parts, fold, stem) run alone over
    /// every passage's text and heading, one thread.
    pub analysis_s: f64,
    /// Tantivy's default tokenizer over the same text, one thread: what the baseline spends.
    pub baseline_analysis_s: f64,
    /// From the first passage handed to Tantivy to the last (wall; analysis and Tantivy's
    /// in-memory indexing run here, in parallel with loading).
    pub tantivy_writing_s: f64,
    /// The commit and the merges it waits for (wall).
    pub commit_merge_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchQueryJson {
    /// Queries in the set, and timed searches in all (the set run several times, warm).
    pub queries: usize,
    pub samples: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// The slowest queries of the set by their median, slowest first.
    pub slowest: Vec<BenchSlowQueryJson>,
    /// Median wall time of one whole `lete search` process on the bench index (open the
    /// index, check it against the corpus, search, print).
    pub search_process_ms: f64,
    /// The same with `--refresh never`: no check against the corpus.
    pub search_unchecked_ms: f64,
    /// Median wall time of `rg -i -c QUERY` over the corpus folder, the same query, runs
    /// interleaved with lete's; `null` when ripgrep is not installed.
    pub rg_ms: Option<f64>,
    /// `search_process_ms` over `rg_ms`: below 1, lete answers faster than grep scans.
    pub search_over_rg: Option<f64>,
    /// Median time to read and decode the index manifest, in the bench process.
    pub manifest_ms: f64,
}

/// One query of the set and its median warm latency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BenchSlowQueryJson {
    pub query: String,
    pub p50_ms: f64,
}

/// What a bench child process reports on stdout (`lete bench-worker`); internal between
/// `lete bench` and its children.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct BenchWorkerJson {
    pub seconds: f64,
    pub passages: usize,
    pub lexicon_s: f64,
    pub load_s: f64,
    pub writing_s: f64,
    pub commit_s: f64,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_hit() -> SearchHit {
        SearchHit {
            rank: 1,
            score: 12.5,
            passage: StoredPassage {
                source: "corpus/002_kl.txt".to_string(),
                title: "Kommunernes Landsforening".to_string(),
                heading: "Civilsamfund".to_string(),
                heading_path: vec![
                    "Kommunernes Landsforening".to_string(),
                    "Civilsamfund".to_string(),
                ],
                lang: Lang::Da,
                line: 6,
                page: None,
                page_starts: Vec::new(),
                section: 1,
                passage: 2,
                boilerplate: false,
                text: "Et stærkt civilsamfund og frivillige medarbejdere.".to_string(),
                byte_range: [120, 170],
                source_map: Default::default(),
            },
            snippet: "Et stærkt civilsamfund og frivillige medarbejdere.".to_string(),
            highlights: vec![[11, 23]],
            highlight_start: Some(11),
            explain: None,
        }
    }

    #[test]
    fn a_hit_has_exactly_the_schema_fields() {
        let hit = sample_hit();
        let value = serde_json::to_value(Hit::from(&hit)).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            vec![
                "heading",
                "heading_path",
                "highlights",
                "lang",
                "line",
                "rank",
                "score",
                "snippet",
                "source",
                "text",
                "title"
            ]
        );
        assert_eq!(value["lang"], "da");
        assert_eq!(value["highlights"], serde_json::json!([[11, 23]]));
        assert_eq!(&hit.snippet[11..23], "civilsamfund");
    }
}
