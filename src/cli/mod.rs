//! The command line: one file per subcommand, each with its args struct and `run`.

pub(crate) mod bench;
pub(crate) mod completions;
pub(crate) mod eval;
pub(crate) mod export;
pub(crate) mod index;
pub(crate) mod man;
pub(crate) mod outline;
pub(crate) mod progress;
pub(crate) mod search;
pub(crate) mod stats;

use crate::config::{ColorWhen, Config, RefreshWhen, Verbosity};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Full-text passage search for Norwegian and Danish documents.
#[derive(Debug, Parser)]
#[command(
    name = "lete",
    version,
    about,
    long_about = None,
    after_help = "\
Examples:
  lete search \"lokalt handlingsrom\"
  lete search --files barnevern | xargs wc -l
  lete index -v
  lete stats
  lete eval tests/fixtures/queries-dev.tsv
  lete completions bash > ~/.local/share/bash-completion/completions/lete

Exit codes: 0 hits found (or success), 1 no hits, 2 error."
)]
pub(crate) struct Cli {
    /// Folder of the documents to search, sub-folders included (read only).
    #[arg(
        long,
        global = true,
        env = "LETE_CORPUS",
        default_value = "corpus",
        value_name = "DIR"
    )]
    pub corpus: PathBuf,
    /// Folder of the index (a cache of the corpus, rebuilt when needed).
    #[arg(
        long,
        global = true,
        env = "LETE_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
    /// When to colour the output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN"
    )]
    pub color: ColorWhen,
    /// Print nothing on stderr but errors and warnings: no progress, notes or summary.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Explain each step on stderr (files read, what changed, timings).
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Index only corpus files whose path inside the corpus folder matches GLOB (repeatable;
    /// default *.txt; `*` matches across folders, case is ignored).
    #[arg(long, global = true, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out corpus files and folders whose path inside the corpus folder matches GLOB
    /// (repeatable), e.g. --exclude 'drafts/**'.
    #[arg(long, global = true, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Whether search, eval and export first check the index against the corpus: auto (each
    /// file's size and time), always (each file's content too), never (answer from the index
    /// as it is; lete stats tells whether it is behind).
    #[arg(
        long,
        global = true,
        env = "LETE_REFRESH",
        value_enum,
        default_value_t = RefreshWhen::Auto,
        value_name = "WHEN"
    )]
    pub refresh: RefreshWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Search(search::SearchArgs),
    Index(index::IndexArgs),
    Outline(outline::OutlineArgs),
    Eval(eval::EvalArgs),
    Stats(stats::StatsArgs),
    Export(export::ExportArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Bench(bench::BenchArgs),
    #[command(hide = true)]
    BenchWorker(bench::BenchWorkerArgs),
}

/// How a successful run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command did its work; a search found hits.
    Success,
    /// A search found no passage.
    NoHits,
}

impl Outcome {
    /// The process exit code: 0 success, 1 no hits (2, an error, is `main`'s).
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::NoHits => 1,
        }
    }
}

/// Parses the process arguments and runs the command. Usage errors exit here (code 2, as
/// clap does); `--help` and `--version` exit 0.
pub fn run() -> anyhow::Result<Outcome> {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let mut config = Config::with_output(cli.corpus, cli.index, cli.color, verbosity);
    config.include = cli.include;
    config.exclude = cli.exclude;
    config.refresh = cli.refresh;
    match cli.command {
        Command::Search(args) => search::run(&config, &args),
        Command::Index(args) => index::run(&config, &args),
        Command::Outline(args) => outline::run(&args),
        Command::Eval(args) => eval::run(&config, &args),
        Command::Stats(args) => stats::run(&config, &args),
        Command::Export(args) => export::run(&config, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Bench(args) => bench::run(&config, &args),
        Command::BenchWorker(args) => bench::run_worker(&args),
    }
}

/// Whether an error is a write to a closed pipe (`lete … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
