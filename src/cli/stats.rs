//! `lete stats [--json]`: what the index holds, where it is, and when it was built.

use super::stdout::results_stdout;
use super::Outcome;
use crate::config::{Config, RefreshWhen};
use crate::index::{index_stats, open_fresh, Freshness, IndexOptions, OpenOptions, Refresh};
use crate::output::{write_stats_json, write_stats_pretty, StatsOutput};
use clap::Args;

/// Show the index's documents, sections, passages and words per language, its distinct terms,
/// size on disk, corpus and index folders, and when it was built. Reads the index as it is
/// (it is not updated first; the output says whether the corpus has changed since).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  lete stats
  lete stats --json | jq '.languages.da.passages'
  lete stats --json | jq -r '\"\\(.totals.words) words, built \\(.built_at)\"'")]
pub(crate) struct StatsArgs {
    /// Print one JSON object (the fields are documented in the README).
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(config: &Config, args: &StatsArgs) -> anyhow::Result<Outcome> {
    // A malformed glob is reported after what the index itself says, as before.
    let selection = config.selection();
    let update = IndexOptions {
        selection: selection.as_ref().cloned().unwrap_or_default(),
        verify_content: config.refresh == RefreshWhen::Always,
        ..IndexOptions::default()
    };
    let options = OpenOptions {
        refresh: Refresh::Never,
        update,
        ..OpenOptions::default()
    };
    let opened = open_fresh(&config.corpus, &config.index, &options)?;
    let index = &opened.index;
    let stats = index.guard(|| index_stats(index, &opened.manifest))??;
    selection?;
    // A missing corpus is not an error here: the index can be described without it.
    let up_to_date = match opened.freshness {
        Freshness::Current | Freshness::Updated(_) => Some(true),
        Freshness::Stale { .. } => Some(false),
        Freshness::Unknown => None,
    };
    let output = StatsOutput::new(
        &stats,
        &config.corpus.display().to_string(),
        &config.index.display().to_string(),
        up_to_date,
    );
    let mut out = results_stdout()?;
    if args.json {
        write_stats_json(&mut out, &output)?;
    } else {
        write_stats_pretty(&mut out, &output)?;
    }
    Ok(Outcome::Success)
}
