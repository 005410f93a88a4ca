//! `lete index [--rebuild]`: build or update the index from the corpus.

use super::Outcome;
use crate::config::Config;
use crate::index::{open_or_build, IndexOptions, IndexReport};
use clap::Args;
use std::path::Path;

/// Build the index from the corpus, or bring it up to date: only new and changed files are
/// read again, removed files are deleted from it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  lete index\n  lete index --rebuild\n  LETE_CORPUS=~/docs LETE_INDEX=~/.cache/lete lete index"
)]
pub struct IndexArgs {
    /// Start over: read every file again.
    #[arg(long)]
    pub rebuild: bool,
}

pub fn run(config: &Config, args: &IndexArgs) -> anyhow::Result<Outcome> {
    let options = IndexOptions {
        rebuild: args.rebuild,
        selection: config.selection()?,
        on_wait: Some(say_waiting),
        ..IndexOptions::default()
    };
    let report = open_or_build(&config.corpus, &config.index, &options)?;
    if let Some(reason) = &report.rebuilt {
        eprintln!("lete: {reason}; building the index from scratch");
    }
    print_report(&report);
    Ok(Outcome::Success)
}

/// Told once when another `lete index` holds the index.
pub fn say_waiting(index_dir: &Path) {
    eprintln!(
        "lete: waiting for another lete index to finish (updating {})",
        index_dir.display()
    );
}

/// Warnings (one per skipped or repaired file) and the one-line summary, on stderr.
pub fn print_report(report: &IndexReport) {
    for warning in &report.warnings {
        eprintln!("lete: warning: {warning}");
    }
    eprintln!("lete: indexed {report}");
}
