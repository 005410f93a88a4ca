//! The command line: one file per subcommand, each with its args struct and `run`.

pub(crate) mod bench;
pub(crate) mod completions;
pub(crate) mod eval;
pub(crate) mod export;
pub(crate) mod index;
pub(crate) mod man;
pub(crate) mod outline;
pub(crate) mod progress;
mod query_words;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod stats;
pub(crate) mod stderr;
pub(crate) mod stdout;

use crate::config::{default_index_dir, ColorWhen, Config, RefreshWhen, Verbosity};
use crate::ingest::format::DOCUMENT_GLOBS;
use clap::{CommandFactory, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// The heading the options every command takes stand under in `--help`, apart from the
/// command's own (issue 19).
const GLOBAL_OPTIONS: &str = "Global options (corpus, index, output)";

/// The help of `--include`, with the globs of every format lete reads.
fn include_help() -> String {
    format!(
        "Index only corpus files whose path inside the corpus folder matches GLOB (repeatable; \
         default: the formats lete reads, {}, or what the index was built with; `*` matches \
         across folders, case is ignored)",
        DOCUMENT_GLOBS.join(" ")
    )
}

/// Full-text passage search for Norwegian and Danish documents.
#[derive(Debug, Parser)]
#[command(
    name = "lete",
    version,
    about,
    long_about = None,
    after_help = "\
Examples:
  lete search lokalt handlingsrom
  lete search --corpus ~/dokumenter beredskap
  lete search --files barnevern | xargs wc -l
  lete index -v
  lete stats
  lete serve
  lete eval tests/fixtures/queries-dev.tsv
  lete completions bash > ~/.local/share/bash-completion/completions/lete

Exit codes: 0 hits found (or success), 1 no hits, 2 error."
)]
pub(crate) struct Cli {
    /// Folder of the documents to search, sub-folders included (read only), or one file.
    #[arg(
        long,
        global = true,
        env = "LETE_CORPUS",
        default_value = "corpus",
        value_name = "DIR",
        help_heading = GLOBAL_OPTIONS
    )]
    pub corpus: PathBuf,
    /// Folder of the index, a cache of the corpus rebuilt when needed [default: index for
    /// ./corpus, else a folder per corpus in the user's cache, e.g. ~/.cache/lete/NAME-HASH;
    /// lete stats says which].
    #[arg(
        long,
        global = true,
        env = "LETE_INDEX",
        value_name = "DIR",
        help_heading = GLOBAL_OPTIONS
    )]
    pub index: Option<PathBuf>,
    /// When to colour the output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN",
        help_heading = GLOBAL_OPTIONS
    )]
    pub color: ColorWhen,
    /// Print nothing on stderr but errors: no progress, notes, summary or warnings about
    /// skipped files (lete stats lists those).
    #[arg(
        long,
        short = 'q',
        global = true,
        conflicts_with = "verbose",
        help_heading = GLOBAL_OPTIONS
    )]
    pub quiet: bool,
    /// Explain each step on stderr (files read, what changed, timings), and repeat the
    /// warnings said before.
    #[arg(long, short = 'v', global = true, help_heading = GLOBAL_OPTIONS)]
    pub verbose: bool,
    // Its help lists the globs from the list discovery reads (session 26: it had left out
    // three of them).
    #[arg(
        long,
        global = true,
        value_name = "GLOB",
        help = include_help(),
        help_heading = GLOBAL_OPTIONS
    )]
    pub include: Vec<String>,
    /// Leave out corpus files and folders whose path inside the corpus folder matches GLOB
    /// (repeatable), e.g. --exclude 'drafts/**'.
    #[arg(long, global = true, value_name = "GLOB", help_heading = GLOBAL_OPTIONS)]
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
        value_name = "WHEN",
        help_heading = GLOBAL_OPTIONS
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
    Serve(serve::ServeArgs),
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

/// lete's environment settings, each read by clap as the default of its option.
const SETTINGS: [&str; 3] = ["LETE_CORPUS", "LETE_INDEX", "LETE_REFRESH"];

/// A setting set to nothing (`LETE_REFRESH=`, or `export LETE_INDEX=` to clear it) counts as
/// unset, as the shell's own variables do; clap took it for a missing value and refused every
/// command (found in the break trial of issues 15 to 20). Runs first, while the process has
/// one thread, so changing the environment is sound.
fn forget_empty_settings() {
    for name in SETTINGS {
        if std::env::var_os(name).is_some_and(|value| value.is_empty()) {
            std::env::remove_var(name);
        }
    }
}

/// Parses the process arguments and runs the command. A usage error is one `lete: …` line
/// and exit 2 (issue 19: clap's own `error:` lines are not lete's voice); `--help` and
/// `--version` print and exit 0.
pub fn run() -> anyhow::Result<Outcome> {
    forget_empty_settings();
    let args = query_words::options_before_words(&Cli::command(), std::env::args_os().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(help) if shows_help(&help) => return print_help(&help),
        Err(err) => exit_on_usage_error(err),
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let reads_an_index = matches!(
        cli.command,
        Command::Search(_)
            | Command::Index(_)
            | Command::Eval(_)
            | Command::Stats(_)
            | Command::Export(_)
            | Command::Serve(_)
    );
    let index = match cli.index {
        Some(dir) => dir,
        None if reads_an_index => default_index_dir(&cli.corpus)?,
        None => PathBuf::new(),
    };
    let mut config = Config::with_output(cli.corpus, index, cli.color, verbosity);
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
        Command::Serve(args) => serve::run(&config, &args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Bench(args) => bench::run(&config, &args),
        Command::BenchWorker(args) => bench::run_worker(&args),
    }
}

/// Whether clap's "error" is help or a version to print (`--help`, `--version`, a command
/// given without its arguments).
fn shows_help(err: &clap::Error) -> bool {
    use clap::error::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}

/// Prints clap's usage error as one `lete: …` line and exits with clap's code, 2.
fn exit_on_usage_error(mut err: clap::Error) -> ! {
    best_suggestion_first(&mut err);
    stderr::say!("{}", usage_error_line(&err));
    std::process::exit(err.exit_code())
}

/// clap lists its suggestions from the least to the most similar: `lete serch` suggested
/// 'serve', 'bench', 'search' (new-user trial of session 25). A reader takes the first.
fn best_suggestion_first(err: &mut clap::Error) {
    use clap::error::{ContextKind, ContextValue};
    for kind in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        if let Some(ContextValue::Strings(suggested)) = err.get(kind) {
            let best_first = suggested.iter().rev().cloned().collect();
            err.insert(kind, ContextValue::Strings(best_first));
        }
    }
}

/// clap's message on one line: its first line without `error: `, its tips, and where to
/// read more, e.g. `unexpected argument '--foo' found; see lete search --help`.
fn usage_error_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut lines = rendered
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    let mut tips = Vec::new();
    for line in lines.take_while(|line| !line.starts_with("Usage:")) {
        // clap's closing pointer to `--help` (after an invalid value): said once, below.
        if line.starts_with("For more information") {
            continue;
        }
        match line.strip_prefix("tip: ") {
            Some(tip) => tips.push(tip.to_string()),
            // What a message ending in `:` lists (the missing arguments).
            None => message = format!("{message} {line}"),
        }
    }
    let mut parts = vec![message];
    parts.extend(tips);
    parts.push(format!("see {} --help", command_typed()));
    parts.join("; ")
}

/// `lete` and the command the arguments name, if any: `lete search`.
fn command_typed() -> String {
    let cli = <Cli as clap::CommandFactory>::command();
    let names: Vec<&str> = cli
        .get_subcommands()
        .filter(|command| !command.is_hide_set())
        .map(clap::Command::get_name)
        .collect();
    let typed = std::env::args()
        .skip(1)
        .find(|arg| names.contains(&arg.as_str()));
    match typed {
        Some(command) => format!("lete {command}"),
        None => "lete".to_string(),
    }
}

pub use stdout::note_stdout_closed;

/// `--help` or `--version`, on stdout. clap's own `exit` ignores a failed write, so that
/// `lete --help > /dev/full` said nothing and exited 0 (issue 18): a write that fails is an
/// error here, as for any other output.
fn print_help(help: &clap::Error) -> anyhow::Result<Outcome> {
    // Taken only to learn whether stdout is open; clap writes, colouring for a terminal.
    drop(stdout::results_stdout()?);
    help.print()?;
    std::io::stdout().flush()?;
    if help.exit_code() != 0 {
        // A command given without its arguments: its help, and clap's usage exit code.
        std::process::exit(help.exit_code());
    }
    Ok(Outcome::Success)
}

/// Prints the error that ended the run, `lete: …` on one line of stderr (never panicking
/// when stderr is closed: the exit code still tells).
pub fn report_error(err: &anyhow::Error) {
    stderr::say!("{err:#}");
}

/// Whether an error is a write to a closed pipe (`lete … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
