//! `lete index [--rebuild]`: build or update the index from the corpus.

use super::progress::IndexProgress;
use super::Outcome;
use crate::config::Config;
use crate::index::{
    is_stale, open_or_build_with_progress, IndexError, IndexOptions, IndexReport, Staleness,
};
use clap::Args;
use std::path::Path;

/// Build the index from the corpus, or bring it up to date: only new and changed files are
/// read again, removed files are deleted from it.
#[derive(Debug, Args)]
#[command(after_help = "\
A progress bar shows on a terminal when the run takes over a second; -q silences it and the
summary, -v names each file read.

Examples:
  lete index
  lete index --rebuild
  lete index -v 2>&1 | grep skipped
  LETE_CORPUS=~/docs LETE_INDEX=~/.cache/lete lete index")]
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
    build(config, &options, true)?;
    Ok(Outcome::Success)
}

/// Builds a missing index and updates a stale one before it is read, saying so on stderr:
/// results are never served from an index that no longer matches the corpus.
pub fn refresh(config: &Config) -> anyhow::Result<()> {
    let selection = config.selection()?;
    let staleness = is_stale(&config.corpus, &config.index, &selection)?;
    if staleness == Staleness::Fresh {
        return Ok(());
    }
    if config.says_notes() {
        eprintln!("lete: {staleness}");
    }
    let options = IndexOptions {
        selection,
        on_wait: Some(say_waiting),
        ..IndexOptions::default()
    };
    // The staleness line has said why already.
    match build(config, &options, false) {
        // An index the user cannot write still answers, saying it is not current.
        Err(err)
            if staleness != Staleness::Missing
                && matches!(err.downcast_ref(), Some(IndexError::ReadOnly(_))) =>
        {
            eprintln!(
                "lete: warning: the index folder {} is read-only and cannot be updated; \
                 answering from the index as it was last built",
                config.index.display()
            );
            Ok(())
        }
        other => other,
    }
}

/// One index run with its progress bar, then the warnings and the summary; `say_rebuild`
/// tells why the index was built from scratch (`-v` has said so before the run).
fn build(config: &Config, options: &IndexOptions, say_rebuild: bool) -> anyhow::Result<()> {
    let progress = IndexProgress::new(config);
    let report = open_or_build_with_progress(&config.corpus, &config.index, options, &progress);
    progress.finish();
    let report = report?;
    if let Some(reason) = &report.rebuilt {
        if say_rebuild && config.says_notes() && !config.is_verbose() {
            eprintln!("lete: {reason}; building the index from scratch");
        }
    }
    print_report(config, &report);
    Ok(())
}

/// Told once when another `lete index` holds the index.
pub fn say_waiting(index_dir: &Path) {
    eprintln!(
        "lete: waiting for another lete index to finish (updating {})",
        index_dir.display()
    );
}

/// Warnings (one per skipped or repaired file, always) and the one-line summary (not under
/// `-q`), on stderr.
pub fn print_report(config: &Config, report: &IndexReport) {
    for warning in &report.warnings {
        eprintln!("lete: warning: {warning}");
    }
    if config.says_notes() {
        eprintln!("lete: indexed {report}");
    }
    if config.is_verbose() {
        eprintln!(
            "lete: the index is in {} (from {})",
            config.index.display(),
            config.corpus.display()
        );
    }
}
