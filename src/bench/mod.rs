//! Benchmarking (issue 5): the scaled corpus, the measurement `lete bench` runs, and the
//! bare-Tantivy baseline it is compared with. Index builds run in child processes (the
//! current executable's hidden `bench-worker` command) so that each has its own peak RSS,
//! read with `wait4`.

pub mod baseline;
pub mod generate;

use crate::analysis::{register_index_analyzers, CompoundSplitter};
use crate::eval::read_queries;
use crate::index::lexicon::read_search_lexicon;
use crate::index::manifest::read_manifest;
use crate::index::{open_fresh, open_index, writer_threads, OpenOptions, WRITER_HEAP_BYTES};
use crate::output::schema::{
    BenchCorpusJson, BenchIndexJson, BenchJson, BenchPhasesJson, BenchQueryJson, BenchRunJson,
    BenchSlowQueryJson, BenchWorkerJson,
};
use crate::pipeline::load_bytes;
use crate::search::{prepare, SearchRequest};
use anyhow::{bail, Context};
use generate::{corpus_dir, generate_corpus, GeneratedCorpus};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, TokenizerManager};

/// The dev queries, the default query set.
pub const DEV_QUERIES: &str = include_str!("../../tests/fixtures/queries-dev.tsv");
/// Timed searches at least, over the query set run again and again.
const MIN_QUERY_SAMPLES: usize = 200;
/// Whole `lete search` processes timed; the median is reported.
const SEARCH_PROCESS_RUNS: usize = 7;
const MIB: f64 = 1024.0 * 1024.0;

/// What `lete bench` measures.
#[derive(Debug, Clone)]
pub(crate) struct BenchOptions {
    pub size_mb: u64,
    pub seed: u64,
    /// Folder of the generated corpora and the bench indexes.
    pub root: PathBuf,
    pub queries: Vec<String>,
    /// The executable whose `bench-worker`, `index` and `search` commands are timed.
    pub exe: PathBuf,
}

/// The queries of a queries file: the eval's TSV (a header with `query`), or one per line.
pub fn parse_queries(text: &str) -> Vec<String> {
    if let Ok(queries) = read_queries(text) {
        return queries.into_iter().map(|query| query.query).collect();
    }
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Runs every measurement; `say` is told each step (for stderr).
pub(crate) fn run_bench(options: &BenchOptions, say: &dyn Fn(&str)) -> anyhow::Result<BenchJson> {
    if options.queries.is_empty() {
        bail!("the query set is empty; give --queries a file with queries");
    }
    let corpus = corpus_dir(&options.root, options.size_mb, options.seed);
    say(&format!(
        "generating {} MB into {}",
        options.size_mb,
        corpus.display()
    ));
    let generated = generate_corpus(&corpus, options.size_mb, options.seed)
        .with_context(|| format!("cannot write the bench corpus {}", corpus.display()))?;
    let name = format!("{}mb-seed{}", options.size_mb, options.seed);
    let lete_index = options.root.join(format!("index-{name}"));
    let baseline_index = options.root.join(format!("baseline-{name}"));
    let dump = options.root.join(format!("passages-{name}.jsonl"));

    say("indexing with lete (full build)");
    remove_bench_dir(&lete_index)?;
    let lete = Build::in_child(options, "lete", &generated.dir, &lete_index)?;

    say("timing the stages alone and writing the baseline's passages");
    let stages = measure_stages(&generated.dir, &lete_index, &dump)?;

    say("indexing with bare Tantivy (baseline)");
    let baseline = Build::in_child(options, "baseline", &dump, &baseline_index)?;
    let _ = fs::remove_file(&dump);

    say("timing queries");
    let query = measure_queries(options, &generated.dir, &lete_index)?;

    say("re-indexing after one file changed");
    let incremental_seconds = measure_incremental(options, &generated.dir, &lete_index)?;

    let measured = Measured {
        lete,
        baseline,
        stages,
        query,
        incremental_seconds,
    };
    Ok(measured.into_json(options, &generated))
}

/// A build run in a child process (`lete bench-worker`), and the index it left.
struct Build {
    run: ChildRun,
    worker: BenchWorkerJson,
    built: BuiltIndex,
}

impl Build {
    /// Runs `bench-worker WHAT INPUT INDEX`, and measures the index before anything else
    /// changes it (the incremental step does).
    fn in_child(
        options: &BenchOptions,
        what: &str,
        input: &Path,
        index_dir: &Path,
    ) -> anyhow::Result<Build> {
        let run = run_child(
            Command::new(&options.exe)
                .args(["bench-worker", what])
                .arg(input)
                .arg(index_dir),
        )?;
        let worker = run.worker()?;
        let built = BuiltIndex::measure(index_dir)?;
        Ok(Build { run, worker, built })
    }

    fn run_json(&self, mb: f64) -> BenchRunJson {
        run_json(&self.worker, &self.run, mb, &self.built)
    }
}

/// Everything `lete bench` measured.
struct Measured {
    lete: Build,
    baseline: Build,
    stages: Stages,
    query: BenchQueryJson,
    incremental_seconds: f64,
}

impl Measured {
    /// The figures as `lete bench --json` prints them.
    fn into_json(self, options: &BenchOptions, generated: &GeneratedCorpus) -> BenchJson {
        let mb = generated.bytes as f64 / MIB;
        let lete = self.lete.run_json(mb);
        let baseline = self.baseline.run_json(mb);
        let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
        let worker = &self.lete.worker;
        BenchJson {
            size_mb: options.size_mb,
            seed: options.seed,
            corpus: BenchCorpusJson {
                dir: generated.dir.display().to_string(),
                files: generated.files,
                bytes: generated.bytes,
                passages: worker.passages,
                reused: generated.reused,
            },
            index: BenchIndexJson {
                ratio: share(lete.mb_per_s, baseline.mb_per_s),
                lete,
                baseline,
                writer_threads: writer_threads(),
                writer_heap_mb: WRITER_HEAP_BYTES as f64 / MIB,
            },
            phases: BenchPhasesJson {
                lexicon_s: worker.lexicon_s,
                decode_normalize_segment_s: worker.load_s,
                analysis_s: self.stages.analysis,
                baseline_analysis_s: self.stages.baseline_analysis,
                tantivy_writing_s: worker.writing_s,
                commit_merge_s: worker.commit_s,
            },
            query: self.query,
            incremental_seconds: self.incremental_seconds,
            incremental_share: share(self.incremental_seconds, worker.seconds),
        }
    }
}

/// An index as its build left it.
struct BuiltIndex {
    bytes: u64,
    segments: usize,
}

impl BuiltIndex {
    fn measure(dir: &Path) -> anyhow::Result<BuiltIndex> {
        let segments = tantivy::Index::open_in_dir(dir)
            .and_then(|index| index.searchable_segment_metas())
            .with_context(|| format!("cannot read the bench index {}", dir.display()))?
            .len();
        Ok(BuiltIndex {
            bytes: dir_bytes(dir),
            segments,
        })
    }
}

fn run_json(
    worker: &BenchWorkerJson,
    child: &ChildRun,
    mb: f64,
    built: &BuiltIndex,
) -> BenchRunJson {
    let per_second = |amount: f64| {
        if worker.seconds > 0.0 {
            amount / worker.seconds
        } else {
            0.0
        }
    };
    BenchRunJson {
        seconds: worker.seconds,
        mb_per_s: per_second(mb),
        passages_per_s: per_second(worker.passages as f64),
        peak_rss_mb: child.peak_rss_mb,
        peak_anon_mb: child.peak_anon_mb,
        index_mb: built.bytes as f64 / MIB,
        segments: built.segments,
    }
}

/// Deletes a bench index folder of an earlier run (only ever one under the bench root).
fn remove_bench_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    Ok(())
}

fn dir_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(|meta| meta.is_file())
                .map(|meta| meta.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The `bench-worker lete` command: a full lete build, its figures as JSON on stdout.
pub(crate) fn worker_lete(corpus: &Path, index_dir: &Path) -> anyhow::Result<BenchWorkerJson> {
    let started = Instant::now();
    let built = open_fresh(corpus, index_dir, &OpenOptions::rebuild())?;
    let report = built.report().context("the build made no report")?;
    Ok(BenchWorkerJson {
        seconds: started.elapsed().as_secs_f64(),
        passages: report.passages,
        lexicon_s: report.timings.lexicon,
        load_s: report.timings.load,
        writing_s: report.timings.writing,
        commit_s: report.timings.commit,
    })
}

/// The `bench-worker baseline` command: the bare-Tantivy build of the dumped passages.
pub(crate) fn worker_baseline(dump: &Path, index_dir: &Path) -> anyhow::Result<BenchWorkerJson> {
    let report = baseline::index_baseline(dump, index_dir)?;
    Ok(BenchWorkerJson {
        seconds: report.seconds,
        passages: report.passages,
        ..BenchWorkerJson::default()
    })
}

/// Seconds of the analysis stage run alone, lete's and the default tokenizer's.
struct Stages {
    analysis: f64,
    baseline_analysis: f64,
}

/// Loads every file once more (untimed: the build timed it), runs lete's index analyzers
/// (with the lexicon the build learned) and Tantivy's default tokenizer over each passage,
/// and dumps the passages for the baseline.
fn measure_stages(corpus: &Path, lete_index: &Path, dump: &Path) -> anyhow::Result<Stages> {
    // The lexicon in the form the indexer splits with (its FST, no split cache: the
    // analyzers' memo remembers each word's terms).
    let lexicon = Arc::new(read_search_lexicon(lete_index));
    let splitter = Arc::new(CompoundSplitter::uncached(lexicon));
    let manager = TokenizerManager::default();
    register_index_analyzers(&manager, &splitter);
    let mut default = TokenizerManager::default()
        .get("default")
        .context("Tantivy has no default tokenizer")?;
    let mut analyzers: Vec<(crate::lang::Lang, TextAnalyzer)> = Vec::new();
    for lang in crate::lang::Lang::ALL {
        let analyzer = manager
            .get(crate::analysis::analyzer_name(lang))
            .context("lete's analyzer is not registered")?;
        analyzers.push((lang, analyzer));
    }
    let mut out = baseline::dump_writer(dump)?;
    let mut stages = Stages {
        analysis: 0.0,
        baseline_analysis: 0.0,
    };
    let files = txt_files(corpus)?;
    for path in files {
        let source = path.display().to_string();
        let bytes = fs::read(&path)?;
        let Ok(loaded) = load_bytes(&bytes, &source) else {
            continue;
        };
        let document = loaded.document;
        let analyzer = analyzers
            .iter_mut()
            .find(|(lang, _)| *lang == document.lang)
            .map(|(_, analyzer)| analyzer)
            .context("no analyzer for the document's language")?;
        for section in &document.sections {
            for passage in &section.passages {
                let started = Instant::now();
                count_tokens(analyzer, &passage.text);
                count_tokens(analyzer, &section.heading);
                stages.analysis += started.elapsed().as_secs_f64();
                let started = Instant::now();
                count_tokens(&mut default, &passage.text);
                count_tokens(&mut default, &section.heading);
                stages.baseline_analysis += started.elapsed().as_secs_f64();
            }
        }
        baseline::dump_document(&mut out, &document, &source)?;
    }
    out.flush()?;
    Ok(stages)
}

/// The `.txt` files of a generated corpus folder, sorted.
fn txt_files(corpus: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    Ok(files)
}

/// How many tokens `analyzer` makes of `text` (the analysis stage's unit of work, also
/// measured by `benches/analysis.rs`).
pub fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        count += 1;
    }
    count
}

/// Warm latencies over the query set, and the median whole-process `lete search`.
fn measure_queries(
    options: &BenchOptions,
    corpus: &Path,
    index_dir: &Path,
) -> anyhow::Result<BenchQueryJson> {
    let timed = time_queries(&options.queries, index_dir, 1)?;
    let mut samples: Vec<f64> = timed
        .iter()
        .flat_map(|query| query.samples.clone())
        .collect();
    samples.sort_by(f64::total_cmp);
    let processes = measure_processes(options, corpus, index_dir)?;
    Ok(BenchQueryJson {
        queries: timed.len(),
        samples: samples.len(),
        p50_ms: percentile(&samples, 0.50),
        p95_ms: percentile(&samples, 0.95),
        p99_ms: percentile(&samples, 0.99),
        slowest: slowest_queries(&timed, SLOWEST_SHOWN),
        search_process_ms: processes.checked,
        search_unchecked_ms: processes.unchecked,
        rg_ms: processes.rg,
        search_over_rg: processes.rg.map(|rg| processes.checked / rg),
        manifest_ms: manifest_ms(index_dir),
    })
}

/// Queries shown in `slowest`.
const SLOWEST_SHOWN: usize = 5;

/// One query's warm timings, in ms.
pub(crate) struct TimedQuery {
    pub query: String,
    pub samples: Vec<f64>,
}

/// Runs every query once untimed (to warm the page cache and Tantivy's caches), then the
/// whole set in turn until [`MIN_QUERY_SAMPLES`] searches (times `scale`) are timed.
pub(crate) fn time_queries(
    queries: &[String],
    index_dir: &Path,
    scale: usize,
) -> anyhow::Result<Vec<TimedQuery>> {
    let index = open_index(index_dir)?;
    let mut prepared = Vec::new();
    for query in queries {
        let request = SearchRequest::new(query, 10, None);
        prepared.push(prepare(&request).with_context(|| format!("query '{query}'"))?);
    }
    for search in &prepared {
        search.run(&index)?;
    }
    let rounds = (MIN_QUERY_SAMPLES * scale.max(1))
        .div_ceil(prepared.len())
        .max(1);
    let mut timed: Vec<TimedQuery> = queries
        .iter()
        .map(|query| TimedQuery {
            query: query.clone(),
            samples: Vec::with_capacity(rounds),
        })
        .collect();
    for _ in 0..rounds {
        for (search, query) in prepared.iter().zip(&mut timed) {
            let started = Instant::now();
            search.run(&index)?;
            query.samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(timed)
}

/// The `count` queries of highest median, slowest first.
pub(crate) fn slowest_queries(timed: &[TimedQuery], count: usize) -> Vec<BenchSlowQueryJson> {
    let mut medians: Vec<BenchSlowQueryJson> = timed
        .iter()
        .map(|query| {
            let mut samples = query.samples.clone();
            samples.sort_by(f64::total_cmp);
            BenchSlowQueryJson {
                query: query.query.clone(),
                p50_ms: percentile(&samples, 0.5),
            }
        })
        .collect();
    medians.sort_by(|a, b| b.p50_ms.total_cmp(&a.p50_ms));
    medians.truncate(count);
    medians
}

/// Median wall times of whole processes answering the first query, in ms.
struct ProcessTimes {
    /// `lete search`, checking the index against the corpus first.
    checked: f64,
    /// `lete search --refresh never`.
    unchecked: f64,
    /// `rg -i -c`, when ripgrep is installed.
    rg: Option<f64>,
}

/// Times `lete search` (with and without the check) and `rg -i -c` on the first query,
/// interleaved (one of each per round), so that the machine's load falls on all alike.
fn measure_processes(
    options: &BenchOptions,
    corpus: &Path,
    index_dir: &Path,
) -> anyhow::Result<ProcessTimes> {
    let query = &options.queries[0];
    let search = |refresh: &str| {
        let mut command = Command::new(&options.exe);
        command
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(index_dir)
            .args(["--refresh", refresh, "-q", "search", "--format", "jsonl"])
            .arg(query);
        command
    };
    let mut rg = Command::new("rg");
    rg.args(["-i", "-c"]).arg(query).arg(corpus);
    let has_rg = rg.output().is_ok();
    let mut checked = Vec::new();
    let mut unchecked = Vec::new();
    let mut rg_times = Vec::new();
    for _ in 0..SEARCH_PROCESS_RUNS {
        checked.push(time_search(&mut search("auto"))?);
        unchecked.push(time_search(&mut search("never"))?);
        if has_rg {
            rg_times.push(time_process(&mut rg)?);
        }
    }
    let median = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        percentile(&times, 0.5)
    };
    Ok(ProcessTimes {
        checked: median(checked),
        unchecked: median(unchecked),
        rg: has_rg.then(|| median(rg_times)),
    })
}

/// The wall time of one `lete search` process, which must find hits or none (exit 0 or 1).
fn time_search(command: &mut Command) -> anyhow::Result<f64> {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .status()
        .context("cannot run lete search")?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !matches!(status.code(), Some(0 | 1)) {
        bail!("lete search on the bench index failed ({status})");
    }
    Ok(ms)
}

/// The wall time of one process, in ms, its output dropped.
fn time_process(command: &mut Command) -> anyhow::Result<f64> {
    let started = Instant::now();
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run the process")?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// The median time of reading the index manifest, in ms (it is read once per command).
fn manifest_ms(index_dir: &Path) -> f64 {
    let mut times: Vec<f64> = (0..SEARCH_PROCESS_RUNS)
        .map(|_| {
            let started = Instant::now();
            let _ = read_manifest(index_dir);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    percentile(&times, 0.5)
}

/// The value at `share` of sorted `samples` (nearest rank).
pub(crate) fn percentile(samples: &[f64], share: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let rank = (share * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// Appends a paragraph to the middle file of the corpus, times `lete index` (a child, as the
/// full build), then puts the file back and updates the index again.
fn measure_incremental(
    options: &BenchOptions,
    corpus: &Path,
    index_dir: &Path,
) -> anyhow::Result<f64> {
    let files = txt_files(corpus)?;
    let Some(changed) = files.get(files.len() / 2) else {
        bail!("the bench corpus {} is empty", corpus.display());
    };
    let original = fs::read(changed)?;
    let mut edited = original.clone();
    edited.extend_from_slice(
        "\nEndringer\n\nKommunene har fått nye oppgaver innen samfunnsberedskap i år.\n".as_bytes(),
    );
    fs::write(changed, &edited)?;
    let update = |what: &str| -> anyhow::Result<f64> {
        let started = Instant::now();
        let status = Command::new(&options.exe)
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(index_dir)
            .args(["-q", "index"])
            .status()
            .with_context(|| format!("cannot run lete index ({what})"))?;
        if !status.success() {
            bail!("lete index on the bench index failed ({status})");
        }
        Ok(started.elapsed().as_secs_f64())
    };
    let timed = update("after a change");
    fs::write(changed, &original)?;
    let seconds = timed?;
    update("after putting the file back")?;
    Ok(seconds)
}

/// A child process's figures: its JSON stdout and its peak resident memory.
struct ChildRun {
    stdout: String,
    peak_rss_mb: Option<f64>,
    peak_anon_mb: Option<f64>,
}

impl ChildRun {
    fn worker(&self) -> anyhow::Result<BenchWorkerJson> {
        serde_json::from_str(self.stdout.trim())
            .context("the bench worker printed no figures (see its error above)")
    }
}

/// Runs `command` to its end, with stderr passed through; fails when it fails.
fn run_child(command: &mut Command) -> anyhow::Result<ChildRun> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start the bench worker")?;
    let mut stdout = String::new();
    let pid = child.id();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (read, peak_anon_mb) = std::thread::scope(|scope| {
        let poller = scope.spawn(|| poll_peak_anon(pid, &done));
        let read = match child.stdout.take() {
            Some(mut pipe) => std::io::Read::read_to_string(&mut pipe, &mut stdout).map(drop),
            None => Ok(()),
        };
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (read, poller.join().ok().flatten())
    });
    read?;
    let (success, peak_rss_mb) = wait_with_peak_rss(child)?;
    if !success {
        bail!("the bench worker failed");
    }
    Ok(ChildRun {
        stdout,
        peak_rss_mb,
        peak_anon_mb,
    })
}

/// Every 20 ms until `done`: the child's anonymous resident memory (`RssAnon` in
/// `/proc/PID/status`), the largest seen. Unlike the peak RSS it leaves out the index files
/// Tantivy maps to merge them, which the kernel can drop at will. `None` off Linux.
fn poll_peak_anon(pid: u32, done: &std::sync::atomic::AtomicBool) -> Option<f64> {
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    let mut peak: Option<f64> = None;
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        let Ok(text) = fs::read_to_string(&status) else {
            break;
        };
        let anon = text
            .lines()
            .find_map(|line| line.strip_prefix("RssAnon:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            });
        if let Some(kib) = anon {
            peak = Some(peak.map_or(kib / 1024.0, |seen: f64| seen.max(kib / 1024.0)));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    peak
}

/// Waits for `child` with `wait4`, which also returns its peak RSS (`ru_maxrss`, KiB on
/// Linux): exact, where polling `/proc/PID/status` could miss a short peak.
#[cfg(target_os = "linux")]
fn wait_with_peak_rss(child: std::process::Child) -> anyhow::Result<(bool, Option<f64>)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for (std's `Child` only waits when
    // asked); the pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        bail!(
            "cannot wait for the bench worker: {}",
            std::io::Error::last_os_error()
        );
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((success, Some(usage.ru_maxrss as f64 / 1024.0)))
}

#[cfg(not(target_os = "linux"))]
fn wait_with_peak_rss(mut child: std::process::Child) -> anyhow::Result<(bool, Option<f64>)> {
    Ok((child.wait()?.success(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&samples, 0.5), 50.0);
        assert_eq!(percentile(&samples, 0.99), 99.0);
        assert_eq!(percentile(&[3.0], 0.95), 3.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn the_dev_queries_are_the_default_set_and_plain_lines_work_too() {
        let dev = parse_queries(DEV_QUERIES);
        assert!(dev.len() >= 20, "{dev:?}");
        assert_eq!(dev[0], "lokalt handlingsrom");
        assert_eq!(
            parse_queries("barnevern\n\n# a comment\nkommunerne\n"),
            ["barnevern", "kommunerne"]
        );
    }
}
