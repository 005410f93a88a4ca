//! The command line: one file per subcommand, each with its args struct and `run`.

pub mod index;
pub mod outline;
pub mod search;

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Full-text passage search for Norwegian and Danish documents.
#[derive(Debug, Parser)]
#[command(name = "lete", version, about, long_about = None)]
pub struct Cli {
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
    /// Index only corpus files whose path inside the corpus folder matches GLOB (repeatable;
    /// default *.txt; `*` matches across folders, case is ignored).
    #[arg(long, global = true, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Leave out corpus files and folders whose path inside the corpus folder matches GLOB
    /// (repeatable), e.g. --exclude 'drafts/**'.
    #[arg(long, global = true, value_name = "GLOB")]
    pub exclude: Vec<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Search(search::SearchArgs),
    Index(index::IndexArgs),
    Outline(outline::OutlineArgs),
}

/// How a successful run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    NoHits,
}

impl Outcome {
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
    let mut config = Config::new(cli.corpus, cli.index);
    config.include = cli.include;
    config.exclude = cli.exclude;
    match cli.command {
        Command::Search(args) => search::run(&config, &args),
        Command::Index(args) => index::run(&config, &args),
        Command::Outline(args) => outline::run(&args),
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
