//! `lete bench` end to end (issue 5): the real binary on a 1 MB generated corpus in a
//! temporary folder. The JSON report is decoded into test-side types, so its schema is checked
//! as a contract; no figure is asserted against wall time (speed is measured by benchmarks).

use serde::Deserialize;
use std::path::Path;
use std::process::{Command, Output};

#[derive(Debug, Deserialize)]
struct Report {
    size_mb: u64,
    corpus: Corpus,
    index: IndexFigures,
    phases: Phases,
    query: Query,
    incremental_seconds: f64,
    incremental_share: f64,
}

#[derive(Debug, Deserialize)]
struct Corpus {
    files: usize,
    bytes: u64,
    passages: usize,
    reused: bool,
}

#[derive(Debug, Deserialize)]
struct IndexFigures {
    lete: Run,
    baseline: Run,
    ratio: f64,
    writer_threads: usize,
}

#[derive(Debug, Deserialize)]
struct Run {
    seconds: f64,
    mb_per_s: f64,
    passages_per_s: f64,
    peak_rss_mb: Option<f64>,
    peak_anon_mb: Option<f64>,
    index_mb: f64,
    segments: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phases {
    lexicon_s: f64,
    decode_normalize_segment_s: f64,
    analysis_s: f64,
    baseline_analysis_s: f64,
    tantivy_writing_s: f64,
    commit_merge_s: f64,
}

#[derive(Debug, Deserialize)]
struct Query {
    queries: usize,
    samples: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    slowest: Vec<SlowQuery>,
    search_process_ms: f64,
    search_unchecked_ms: f64,
    rg_ms: Option<f64>,
    search_over_rg: Option<f64>,
    manifest_ms: f64,
}

#[derive(Debug, Deserialize)]
struct SlowQuery {
    query: String,
    p50_ms: f64,
}

fn lete(dir: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lete"));
    command.current_dir(dir).env_remove("NO_COLOR");
    for (key, _) in std::env::vars() {
        if key.starts_with("LETE_") {
            command.env_remove(key);
        }
    }
    command.args(args).output().expect("run lete")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn r5_bench_json_reports_every_figure_and_reuses_the_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = lete(dir.path(), &["-q", "bench", "--size", "1", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Report = serde_json::from_slice(&output.stdout).expect("bench JSON");
    assert_eq!(report.size_mb, 1);
    assert!(report.corpus.bytes >= 1024 * 1024 && report.corpus.files >= 17);
    assert!(report.corpus.passages > 100 && !report.corpus.reused);
    let index = &report.index;
    for run in [&index.lete, &index.baseline] {
        assert!(run.seconds > 0.0 && run.mb_per_s > 0.0 && run.passages_per_s > 0.0);
        assert!(run.index_mb > 0.0);
        assert!(run.segments >= 1, "{run:?}");
        if cfg!(target_os = "linux") {
            assert!(run.peak_rss_mb.is_some_and(|mb| mb > 1.0), "{run:?}");
            // Sampled: a run shorter than one sample may show none.
            assert!(run.peak_anon_mb.is_none_or(|mb| mb > 0.0), "{run:?}");
        }
    }
    // The baseline's index is left as its build wrote it: its segments are those reported.
    let meta = std::fs::read(
        dir.path()
            .join("target/lete-bench/baseline-1mb-seed1/meta.json"),
    )
    .expect("baseline meta.json");
    let meta: serde_json::Value = serde_json::from_slice(&meta).expect("meta JSON");
    assert_eq!(
        meta["segments"].as_array().map(Vec::len),
        Some(index.baseline.segments)
    );
    let ratio = index.lete.mb_per_s / index.baseline.mb_per_s;
    assert!((index.ratio - ratio).abs() < 1e-9, "{index:?}");
    assert!(index.writer_threads >= 1);
    let phases = &report.phases;
    assert!(phases.decode_normalize_segment_s > 0.0 && phases.analysis_s > 0.0);
    assert!(phases.baseline_analysis_s > 0.0 && phases.tantivy_writing_s > 0.0);
    assert!(phases.lexicon_s > 0.0 && phases.commit_merge_s > 0.0);
    let query = &report.query;
    assert_eq!(query.queries, 30, "the dev queries");
    assert!(query.samples >= 200);
    assert!(0.0 < query.p50_ms && query.p50_ms <= query.p95_ms && query.p95_ms <= query.p99_ms);
    assert!(query.search_process_ms > 0.0 && query.search_unchecked_ms > 0.0);
    assert!(query.manifest_ms > 0.0);
    // The five slowest dev queries by median, slowest first.
    assert_eq!(query.slowest.len(), 5, "{query:?}");
    assert!(query
        .slowest
        .windows(2)
        .all(|pair| pair[0].p50_ms >= pair[1].p50_ms));
    let dev = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/queries-dev.tsv"
    ))
    .expect("dev queries");
    for slow in &query.slowest {
        assert!(slow.p50_ms > 0.0 && dev.contains(&slow.query), "{slow:?}");
    }
    // ripgrep is optional: both or neither.
    assert_eq!(query.rg_ms.is_some(), query.search_over_rg.is_some());
    if let (Some(rg), Some(ratio)) = (query.rg_ms, query.search_over_rg) {
        assert!(
            (ratio - query.search_process_ms / rg).abs() < 1e-9,
            "{query:?}"
        );
    }
    // Both builds end with at most two segments (issue 16: the same end state).
    assert!(
        index.lete.segments <= 2 && index.baseline.segments <= 2,
        "{index:?}"
    );
    assert!(report.incremental_seconds > 0.0 && report.incremental_share > 0.0);
    // The corpus is deterministic and cached: a second run reuses it, never under corpus/.
    assert!(dir
        .path()
        .join("target/lete-bench/corpus-1mb-seed1")
        .is_dir());
    let queries = dir.path().join("queries.txt");
    std::fs::write(&queries, "barnevern\nkommunerne\n").expect("write");
    let output = lete(
        dir.path(),
        &["bench", "--size", "1", "--json", "--queries", "queries.txt"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let again: Report = serde_json::from_slice(&output.stdout).expect("bench JSON");
    assert!(again.corpus.reused);
    assert_eq!(again.corpus.bytes, report.corpus.bytes);
    assert_eq!(again.corpus.passages, report.corpus.passages);
    assert_eq!(again.query.queries, 2);
    assert!(stderr(&output).contains("lete: bench: "), "steps on stderr");
}

#[test]
fn r5_bench_prints_a_readable_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = lete(dir.path(), &["-q", "bench", "--size", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    for label in [
        "lete",
        "baseline",
        "segments",
        "ratio",
        "phases",
        "p50",
        "incremental",
    ] {
        assert!(text.contains(label), "{label} missing in\n{text}");
    }
    assert!(stderr(&output).is_empty(), "-q: {}", stderr(&output));
}

#[test]
fn r5_bench_errors_are_one_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = lete(
        dir.path(),
        &["bench", "--size", "1", "--queries", "nope.tsv"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing).lines().count(), 1, "{}", stderr(&missing));
    assert!(stderr(&missing).starts_with("lete: cannot read the queries file nope.tsv"));
    std::fs::write(dir.path().join("empty.txt"), "\n# nothing\n").expect("write");
    let empty = lete(
        dir.path(),
        &["bench", "--size", "1", "--queries", "empty.txt"],
    );
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        stderr(&empty).contains("holds no queries"),
        "{}",
        stderr(&empty)
    );
    let zero = lete(dir.path(), &["bench", "--size", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(!stderr(&zero).contains("panicked"));
    // A bench root that cannot be a folder is an error, not a panic.
    std::fs::write(dir.path().join("file"), "").expect("write");
    let blocked = lete(dir.path(), &["-q", "bench", "--size", "1", "--dir", "file"]);
    assert_eq!(blocked.status.code(), Some(2), "{}", stderr(&blocked));
    assert_eq!(stderr(&blocked).lines().count(), 1, "{}", stderr(&blocked));
}

#[test]
fn the_query_worker_times_the_queries_it_is_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index = dir.path().join("index");
    let (corpus, index) = (
        corpus.to_str().expect("path"),
        index.to_str().expect("path"),
    );
    let built = lete(
        dir.path(),
        &["-q", "index", "--corpus", corpus, "--index", index],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    std::fs::write(dir.path().join("one.txt"), "lokalt handlingsrom\n").expect("write");
    let args = ["bench-worker", "queries", index, "--queries", "one.txt"];
    let timed = lete(dir.path(), &args);
    assert!(timed.status.success(), "{}", stderr(&timed));
    let slowest: Vec<SlowQuery> = serde_json::from_slice(&timed.stdout).expect("JSON list");
    let queries: Vec<&str> = slowest.iter().map(|q| q.query.as_str()).collect();
    assert_eq!(queries, ["lokalt handlingsrom"]);
    assert!(slowest[0].p50_ms > 0.0);
    let missing = lete(
        dir.path(),
        &["bench-worker", "queries", index, "--queries", "nope"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).starts_with("lete: cannot read the queries file nope"));
}
