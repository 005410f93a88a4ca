//! What `lete index` (and a search that refreshes the index) shows while it works: a progress
//! bar on stderr when it is a terminal and the run lasts over a second, the steps under `-v`,
//! nothing under `-q` or when stderr is piped (issue 7).
//!
//! indicatif draws the bar: it redraws at a bounded rate, clears itself, and lets other lines
//! print above it (`suspend`), which a hand-written `\r` bar gets wrong.

use super::index::shown_folder;
use super::stderr::say;
use crate::config::Config;
use crate::index::{IndexObserver, IndexPlan, SourceEntry};
use crate::ingest::ShownSources;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs shorter than this show no bar: it would only flicker.
const SHOW_AFTER: Duration = Duration::from_secs(1);
const TICK: Duration = Duration::from_millis(120);
const MEGABYTE: f64 = 1_000_000.0;

/// The observer the CLI hands to the indexer.
pub(crate) struct IndexProgress {
    bar: ProgressBar,
    /// Set once the run is over, so a late timer never draws a finished bar. An atomic, not a
    /// lock: nothing a panic elsewhere does can poison it (issue 18).
    finished: Arc<AtomicBool>,
    may_draw: bool,
    verbose: bool,
    /// Names files as a shell opens them from here (the index stores paths inside the corpus).
    shown: ShownSources,
    /// The index folder, as [`shown_folder`] shows it.
    index_dir: String,
    started: Instant,
    total_bytes: Cell<u64>,
    bytes_done: Cell<u64>,
    passages: Cell<usize>,
}

impl IndexProgress {
    pub(crate) fn new(config: &Config) -> IndexProgress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos}/{len} files, {msg}, {elapsed} [{wide_bar}]",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        IndexProgress {
            bar,
            finished: Arc::new(AtomicBool::new(false)),
            may_draw: config.progress,
            verbose: config.is_verbose(),
            shown: ShownSources::new(&config.corpus),
            index_dir: shown_folder(&config.index),
            started: Instant::now(),
            total_bytes: Cell::new(0),
            bytes_done: Cell::new(0),
            passages: Cell::new(0),
        }
    }

    /// Removes the bar (if it was drawn) before the summary line is printed.
    pub(crate) fn finish(&self) {
        self.finished.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }

    /// A line on stderr that does not tear the bar.
    fn say(&self, line: &str) {
        self.bar.suspend(|| say!("{line}"));
    }

    /// Shows the bar after `SHOW_AFTER`, unless the run is over by then.
    fn show_later(&self) {
        let bar = self.bar.clone();
        let finished = Arc::clone(&self.finished);
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !finished.load(Ordering::SeqCst) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(TICK);
            }
        });
    }

    fn update_message(&self) {
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let done = self.bytes_done.get() as f64 / MEGABYTE;
        self.bar.set_message(format!(
            "{done:.1}/{total:.1} MB, {passages} passages, {rate:.1} MB/s",
            total = self.total_bytes.get() as f64 / MEGABYTE,
            passages = self.passages.get(),
            rate = done / seconds,
        ));
    }
}

impl Drop for IndexProgress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl IndexObserver for IndexProgress {
    fn start(&self, plan: &IndexPlan) {
        self.total_bytes.set(plan.bytes);
        self.bar.set_length(plan.files as u64);
        self.update_message();
        if self.verbose {
            for line in plan_lines(plan, &self.shown, &self.index_dir) {
                self.say(&line);
            }
        }
        if self.may_draw && plan.files > 0 {
            self.show_later();
        }
    }

    fn file_done(&self, entry: &SourceEntry) {
        self.bytes_done.set(self.bytes_done.get() + entry.size);
        self.passages.set(self.passages.get() + entry.passages);
        self.bar.inc(1);
        self.update_message();
        if self.verbose {
            self.say(&file_line(entry, &self.shown));
        }
    }

    fn committing(&self) {
        self.bar.set_message("committing the index".to_string());
        if self.verbose {
            self.say("committing the index");
        }
    }
}

/// What `-v` says before the files are read.
fn plan_lines(plan: &IndexPlan, shown: &ShownSources, index_dir: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(reason) = &plan.rebuild {
        lines.push(format!(
            "{reason}: building the index from scratch in {index_dir}"
        ));
    }
    lines.push(format!(
        "{} files to read ({:.1} MB), {} unchanged, {} removed",
        plan.files,
        plan.bytes as f64 / MEGABYTE,
        plan.unchanged,
        plan.removed.len()
    ));
    for source in &plan.removed {
        let source = shown.show(source);
        lines.push(format!("removed {source}: its passages leave the index"));
    }
    lines
}

/// What `-v` says about one file.
fn file_line(entry: &SourceEntry, shown: &ShownSources) -> String {
    let path = shown.show(&entry.path);
    match (&entry.skipped, entry.lang) {
        (Some(reason), _) => format!("skipped {path}: {reason}"),
        (None, Some(lang)) => format!(
            "read {path} ({:.1} kB): {lang}, {} sections, {} passages",
            entry.size as f64 / 1000.0,
            entry.sections,
            entry.passages
        ),
        (None, None) => format!("read {path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use std::path::Path;

    #[test]
    fn verbose_lines_name_the_plan_and_each_file() {
        let plan = IndexPlan {
            rebuild: Some("rebuild asked for".to_string()),
            files: 2,
            bytes: 2_500_000,
            removed: vec!["009_gammel.txt".to_string()],
            unchanged: 3,
        };
        assert_eq!(
            plan_lines(&plan, &ShownSources::new(Path::new("corpus")), "index/"),
            [
                "rebuild asked for: building the index from scratch in index/",
                "2 files to read (2.5 MB), 3 unchanged, 1 removed",
                "removed corpus/009_gammel.txt: its passages leave the index",
            ]
        );
        let entry = SourceEntry {
            path: "004_kl.txt".to_string(),
            size: 12_300,
            mtime_ns: 0,
            sha256: String::new(),
            lang: Some(Lang::Da),
            sections: 9,
            passages: 41,
            skipped: None,
        };
        assert_eq!(
            file_line(&entry, &ShownSources::new(Path::new("corpus"))),
            "read corpus/004_kl.txt (12.3 kB): da, 9 sections, 41 passages"
        );
    }
}
