//! `lete bench [--size MB] [--queries FILE] [--json]`: generate (or reuse) a scaled corpus and
//! measure indexing against bare Tantivy, the stages, queries and an incremental update
//! (issue 5). Also the hidden `bench-worker` command the measurement runs in child processes.

use super::stderr::say;
use super::stdout::results_stdout;
use super::Outcome;
use crate::bench::{
    parse_queries, run_bench, slowest_queries, time_queries, worker_baseline, worker_lete,
    BenchOptions,
};
use crate::config::Config;
use crate::ingest::read_text_file;
use crate::output::schema::BenchJson;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Measure lete's speed on a generated corpus: indexing against bare Tantivy (the ratio is
/// the headline), where the time goes, query latency and an incremental update.
#[derive(Debug, Args)]
#[command(after_help = "\
The corpus is generated once per size and seed (deterministic, no download) under --dir and
reused; the bench indexes live next to it. Of the global options, --corpus, --index,
--include and --exclude do not apply here.

Examples:
  lete bench --size 1
  lete bench --size 100 --json | jq .index.ratio
  lete bench --size 10 --queries my-queries.txt")]
pub(crate) struct BenchArgs {
    /// Size of the generated corpus in MB.
    #[arg(long, default_value_t = 100, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub size: u64,
    /// Queries to time: a queries TSV (as `lete eval` reads) or one query per line; the
    /// dev queries by default.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Print every figure as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Seed of the corpus generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the generated corpora and the bench indexes.
    #[arg(long, default_value = "target/lete-bench", value_name = "DIR")]
    pub dir: PathBuf,
}

/// Internal: one measured build in a child process of `lete bench`, figures on stdout.
#[derive(Debug, Args)]
pub(crate) struct BenchWorkerArgs {
    #[command(subcommand)]
    pub what: WorkerKind,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WorkerKind {
    /// A full lete build of CORPUS into INDEX.
    Lete { corpus: PathBuf, index: PathBuf },
    /// A bare-Tantivy build of the passages dump into INDEX.
    Baseline { passages: PathBuf, index: PathBuf },
    /// Each dev query's median warm latency on INDEX, slowest first (for profiling: the
    /// searches run ROUNDS times as long as `lete bench` runs them).
    Queries {
        index: PathBuf,
        #[arg(long, default_value_t = 1)]
        rounds: usize,
        /// The queries to time, as `lete bench --queries` reads them; the dev queries by
        /// default (one query alone, to profile it).
        #[arg(long, value_name = "FILE")]
        queries: Option<PathBuf>,
    },
}

pub(crate) fn run(config: &Config, args: &BenchArgs) -> anyhow::Result<Outcome> {
    let queries = read_queries(args.queries.as_deref())?;
    let options = BenchOptions {
        size_mb: args.size,
        seed: args.seed,
        root: args.dir.clone(),
        queries,
        exe: std::env::current_exe().context("cannot find the lete executable")?,
    };
    let say = |step: &str| {
        if config.prints_notes() {
            say!("bench: {step}");
        }
    };
    let report = run_bench(&options, &say)?;
    let mut out = results_stdout()?;
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_report(&mut out, &report)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

pub(crate) fn run_worker(args: &BenchWorkerArgs) -> anyhow::Result<Outcome> {
    let mut out = results_stdout()?;
    let figures = match &args.what {
        WorkerKind::Lete { corpus, index } => worker_lete(corpus, index)?,
        WorkerKind::Baseline { passages, index } => worker_baseline(passages, index)?,
        WorkerKind::Queries {
            index,
            rounds,
            queries,
        } => {
            let queries = read_queries(queries.as_deref())?;
            let timed = time_queries(&queries, index, *rounds)?;
            let slowest = slowest_queries(&timed, timed.len());
            serde_json::to_writer(&mut out, &slowest)?;
            writeln!(out)?;
            return Ok(Outcome::Success);
        }
    };
    serde_json::to_writer(&mut out, &figures)?;
    writeln!(out)?;
    Ok(Outcome::Success)
}

/// The queries of `path` (a queries TSV or one query per line), or the dev queries.
fn read_queries(path: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let queries = match path {
        Some(path) => {
            let text = read_text_file(path)
                .with_context(|| format!("cannot read the queries file {}", path.display()))?;
            parse_queries(&text)
        }
        None => parse_queries(crate::bench::DEV_QUERIES),
    };
    if queries.is_empty() {
        anyhow::bail!("the queries file holds no queries; give one query per line");
    }
    Ok(queries)
}

fn rss(value: Option<f64>) -> String {
    value.map_or("?".to_string(), |mb| format!("{mb:.0} MB"))
}

/// The report for a reader.
fn write_report(out: &mut impl Write, report: &BenchJson) -> std::io::Result<()> {
    let index = &report.index;
    let (lete, baseline) = (&index.lete, &index.baseline);
    writeln!(
        out,
        "corpus     {} files, {:.1} MB, {} passages ({}{})",
        report.corpus.files,
        report.corpus.bytes as f64 / (1024.0 * 1024.0),
        report.corpus.passages,
        report.corpus.dir,
        if report.corpus.reused { ", reused" } else { "" }
    )?;
    writeln!(
        out,
        "indexing   {:<9} {:>8} {:>10} {:>12} {:>9} {:>9} {:>9}",
        "", "seconds", "MB/s", "passages/s", "peak RSS", "index", "segments"
    )?;
    for (name, run) in [("lete", lete), ("baseline", baseline)] {
        writeln!(
            out,
            "           {:<9} {:>8.2} {:>10.2} {:>12.0} {:>9} {:>6.1} MB {:>9}",
            name,
            run.seconds,
            run.mb_per_s,
            run.passages_per_s,
            rss(run.peak_rss_mb),
            run.index_mb,
            run.segments
        )?;
    }
    writeln!(
        out,
        "ratio      {:.2} (lete MB/s over bare Tantivy's; {} writer threads, {:.0} MB heap)",
        index.ratio, index.writer_threads, index.writer_heap_mb
    )?;
    let phases = &report.phases;
    writeln!(
        out,
        "phases     lexicon {:.2} s, decode+normalize+segment {:.2} s (CPU, loader threads), \
         analysis {:.2} s (one thread; default tokenizer {:.2} s), Tantivy writing {:.2} s, \
         commit+merge {:.2} s",
        phases.lexicon_s,
        phases.decode_normalize_segment_s,
        phases.analysis_s,
        phases.baseline_analysis_s,
        phases.tantivy_writing_s,
        phases.commit_merge_s
    )?;
    let query = &report.query;
    writeln!(
        out,
        "queries    p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} queries, {} warm searches)",
        query.p50_ms, query.p95_ms, query.p99_ms, query.queries, query.samples,
    )?;
    let slowest: Vec<String> = query
        .slowest
        .iter()
        .map(|slow| format!("{:.1} ms '{}'", slow.p50_ms, slow.query))
        .collect();
    writeln!(out, "slowest    {}", slowest.join(", "))?;
    let rg = match (query.rg_ms, query.search_over_rg) {
        (Some(rg), Some(ratio)) => format!("; rg -i -c {rg:.1} ms, lete/rg {ratio:.2}"),
        _ => "; rg not installed".to_string(),
    };
    writeln!(
        out,
        "process    one lete search {:.1} ms, with --refresh never {:.1} ms{rg}; manifest read \
         {:.2} ms",
        query.search_process_ms, query.search_unchecked_ms, query.manifest_ms
    )?;
    writeln!(
        out,
        "incremental {:.2} s after one changed file ({:.1}% of the full build)",
        report.incremental_seconds,
        report.incremental_share * 100.0
    )
}
