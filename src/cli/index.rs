//! `lete index [--rebuild]`: build or update the index from the corpus.

use super::progress::IndexProgress;
use super::stderr::say;
use super::Outcome;
use crate::config::{Config, RefreshWhen};
use crate::index::manifest::{Manifest, SELECTION_SAID_FILE};
use crate::index::{
    open_fresh, FreshIndex, IndexError, IndexObserver, IndexOptions, IndexPlan, IndexReport,
    LeteIndex, OpenOptions, Refresh, SourceEntry, Staleness,
};
use crate::ingest::{shown_path, FileSelection};
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
pub(crate) struct IndexArgs {
    /// Start over: read every file again, with every document lete reads unless --include
    /// or --exclude is given (without it, a command keeps the selection last given).
    #[arg(long)]
    pub rebuild: bool,
}

pub(crate) fn run(config: &Config, args: &IndexArgs) -> anyhow::Result<Outcome> {
    // Starting over starts from the default selection too: a selection given once (a one-off
    // `--include`) was kept even by a rebuild, and nothing led back to every document
    // (session 25's trial).
    let selection = match args.rebuild {
        true => config.selection()?.chosen(),
        false => config.selection()?,
    };
    let update = IndexOptions {
        rebuild: args.rebuild,
        selection,
        on_wait: waiting_note(config),
        verify_content: config.refresh == RefreshWhen::Always,
        ..IndexOptions::default()
    };
    let progress = IndexProgress::new(config);
    let options = OpenOptions {
        refresh: Refresh::Always,
        update,
        observer: &progress,
        ..OpenOptions::default()
    };
    let opened = open_fresh(&config.corpus, &config.index, &options);
    progress.finish();
    if let Some(report) = opened?.report() {
        // `-v` has said so before the run.
        if let Some(reason) = &report.rebuilt {
            if config.prints_notes() && !config.is_verbose() {
                say!(
                    "{reason}; building the index from scratch in {}",
                    shown_folder(&config.index)
                );
            }
        }
        print_report(config, report);
    }
    Ok(Outcome::Success)
}

/// Opens the index for a command that reads it, building a missing index and updating a
/// stale one first, saying so on stderr: results are never served from an index that no
/// longer matches the corpus, unless `--refresh never` asks to skip the comparison. An index
/// lete cannot write answers as it was last built, with a warning.
pub(crate) fn open_fresh_index(config: &Config) -> anyhow::Result<LeteIndex> {
    Ok(open_fresh_reporting(config)?.index)
}

/// As [`open_fresh_index`], with the manifest that describes the index (`lete serve`).
pub(crate) fn open_fresh_reporting(config: &Config) -> anyhow::Result<FreshIndex> {
    let update = IndexOptions {
        selection: config.selection()?,
        on_wait: waiting_note(config),
        verify_content: config.refresh == RefreshWhen::Always,
        ..IndexOptions::default()
    };
    let refresh = match config.refresh {
        RefreshWhen::Auto | RefreshWhen::Always => Refresh::IfStale,
        RefreshWhen::Never => Refresh::Unchecked,
    };
    let progress = IndexProgress::new(config);
    let notes = RefreshNotes {
        config,
        progress: &progress,
    };
    let options = OpenOptions {
        refresh,
        update,
        observer: &notes,
        ..OpenOptions::default()
    };
    let opened = open_fresh(&config.corpus, &config.index, &options);
    progress.finish();
    let opened = opened?;
    if let Some(report) = opened.report() {
        print_report(config, report);
    }
    if config.prints_notes() && !config.selection()?.is_given() {
        say_kept_selection(&opened.manifest, &config.index);
    }
    Ok(opened)
}

/// Says once, on a command given no `--include` or `--exclude`, that the index keeps another
/// selection than every document, given by an earlier command: a one-off `--include` narrowed
/// every later search without a word (session 25's trial). Said again when the selection
/// changes; an index folder lete cannot write says it each time.
fn say_kept_selection(manifest: &Manifest, index_dir: &Path) {
    let Some(kept) = manifest.selection.as_ref() else {
        return;
    };
    if kept == FileSelection::default().patterns() {
        return;
    }
    let kept = kept.to_string();
    let said_file = index_dir.join(SELECTION_SAID_FILE);
    if std::fs::read_to_string(&said_file).is_ok_and(|said| said == kept) {
        return;
    }
    say!(
        "the index keeps the file selection given earlier ({kept}): other files are not \
         searched; lete index --rebuild returns to every document lete reads"
    );
    let _ = std::fs::write(said_file, kept);
}

/// What a command that refreshes the index says: why it refreshes it, then the progress of
/// the update as `lete index` shows it.
struct RefreshNotes<'a> {
    config: &'a Config,
    progress: &'a IndexProgress,
}

impl IndexObserver for RefreshNotes<'_> {
    fn refreshing(&self, staleness: &Staleness) {
        if !self.config.prints_notes() {
            return;
        }
        match staleness {
            // Where the first build goes: a folder of the user's cache, for most corpora.
            Staleness::Missing => {
                say!("{staleness} into {}", shown_folder(&self.config.index))
            }
            _ => say!("{staleness}"),
        }
    }

    fn answering_stale(&self, why: &IndexError) {
        let reason = match why {
            IndexError::ReadOnly(dir) => {
                format!("the index folder {dir} is read-only and cannot be updated")
            }
            IndexError::DiskFull(dir) => format!(
                "no space is left on the device of the index folder {dir}, so it cannot be \
                 updated"
            ),
            other => other.to_string(),
        };
        say!("warning: {reason}; answering from the index as it was last built");
    }

    fn start(&self, plan: &IndexPlan) {
        self.progress.start(plan);
    }

    fn file_done(&self, entry: &SourceEntry) {
        self.progress.file_done(entry);
    }

    fn committing(&self) {
        self.progress.committing();
    }
}

/// What a command says when another `lete index` holds the index: nothing under `-q`, which
/// prints errors and warnings only (break trial of stop 25: the wait was said under `-q`).
fn waiting_note(config: &Config) -> Option<fn(&Path)> {
    config.prints_notes().then_some(say_waiting as fn(&Path))
}

/// Told once when another `lete index` holds the index.
pub(crate) fn say_waiting(index_dir: &Path) {
    say!(
        "waiting for another lete index to finish (updating {})",
        shown_path(index_dir)
    );
}

/// The index folder as a path a shell uses from the current folder (escaped as hits are),
/// with a `/` that says it is a folder (session 26: "building the index from scratch" did
/// not say where).
pub(crate) fn shown_folder(dir: &Path) -> String {
    let shown = shown_path(dir);
    match shown.ends_with('/') {
        true => shown,
        false => shown + "/",
    }
}

/// Notes, the warnings not said before (one per skipped or repaired file) and the one-line
/// summary, on stderr, none of them under `-q`; `-v` also repeats the warnings said before
/// (issue 19: they were said on every update, and `-q` did not silence them).
pub(crate) fn print_report(config: &Config, report: &IndexReport) {
    if !config.prints_notes() {
        return;
    }
    for note in &report.notes {
        say!("{note}");
    }
    for warning in &report.warnings {
        say!("warning: {warning}");
    }
    if config.is_verbose() {
        for warning in &report.repeated_warnings {
            say!("warning: {warning}");
        }
    }
    say!("indexed {report}");
    if config.is_verbose() {
        say!(
            "the index is in {} (from {})",
            shown_folder(&config.index),
            shown_path(&config.corpus)
        );
    }
}
