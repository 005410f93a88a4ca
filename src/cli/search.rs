//! `lete search QUERY`: ranked passages, refreshing the index first when the corpus changed.

use super::index::{print_report, say_waiting};
use super::Outcome;
use crate::config::Config;
use crate::index::{
    damage_detail, is_stale, open_index, open_or_build, IndexError, IndexOptions, Staleness,
};
use crate::lang::Lang;
use crate::output::{write_output, Format, SearchOutput};
use crate::search::{prepare, SearchError, SearchRequest};
use clap::Args;
use std::io::Write;
use std::time::Instant;

/// Search the passages of the corpus. Exit 0 with hits, 1 with none, 2 on an error.
#[derive(Debug, Args)]
#[command(after_help = "\
Query syntax (Tantivy's): words, \"exact phrase\", -excluded, a OR b, a AND b,
title:word, heading:word, text:word, lang:da, source:PATH (as hits show it)

Examples:
  lete search \"lokalt handlingsrom\"
  lete search --lang da velfærd
  lete search '\"statlig detaljstyring\" -kommunelov'
  lete search --jsonl --limit 5 barnevern | jq -r '\"\\(.source):\\(.line) \\(.heading)\"'")]
pub struct SearchArgs {
    /// What to search for (a leading `-word` excludes a word).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Most hits to print.
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
    /// Only passages in this language (nb, nn or da); the query is then stemmed for it alone.
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Print one JSON object: {"query", "total", "took_ms", "hits": [...]}.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Print one JSON hit per line.
    #[arg(long)]
    pub jsonl: bool,
}

pub fn run(config: &Config, args: &SearchArgs) -> anyhow::Result<Outcome> {
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit as usize,
        lang: args.lang,
    };
    // A malformed query is reported before any index is built.
    let prepared = prepare(&request)?;
    refresh_index(config)?;
    let started = Instant::now();
    let index = open_index(&config.index)?;
    let damaged = |detail: String| IndexError::Damaged {
        path: config.index.display().to_string(),
        detail,
    };
    let results = match run_guarded(|| prepared.run(&index)) {
        Ok(Ok(results)) => results,
        Ok(Err(SearchError::Index(err))) => {
            return Err(damaged(damage_detail(&err.to_string())).into())
        }
        Ok(Err(other)) => return Err(other.into()),
        Err(()) => return Err(damaged("reading it failed".to_string()).into()),
    };
    if results.hits.is_empty() {
        return Ok(Outcome::NoHits);
    }
    let output = SearchOutput::new(&args.query, &results, started.elapsed());
    let mut out = std::io::stdout().lock();
    write_output(&mut out, format(config, args), &output)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// Runs `search`, turning a panic inside Tantivy (which trusts its files; a corrupted index
/// can make it panic) into an error instead of a stack trace (issue 6).
fn run_guarded<T>(search: impl FnOnce() -> T) -> Result<T, ()> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(search));
    std::panic::set_hook(previous);
    result.map_err(|_| ())
}

fn format(config: &Config, args: &SearchArgs) -> Format {
    if args.json {
        Format::Json
    } else if args.jsonl {
        Format::Jsonl
    } else {
        Format::Pretty {
            color: config.color,
        }
    }
}

/// Builds a missing index and updates a stale one before searching, saying so on stderr:
/// results are never served from an index that no longer matches the corpus.
fn refresh_index(config: &Config) -> anyhow::Result<()> {
    let selection = config.selection()?;
    let staleness = is_stale(&config.corpus, &config.index, &selection)?;
    if staleness == Staleness::Fresh {
        return Ok(());
    }
    let options = IndexOptions {
        selection,
        on_wait: Some(say_waiting),
        ..IndexOptions::default()
    };
    eprintln!("lete: {staleness}");
    match open_or_build(&config.corpus, &config.index, &options) {
        Ok(report) => {
            print_report(&report);
            Ok(())
        }
        // An index the user cannot write still answers, saying it is not current.
        Err(IndexError::ReadOnly(path)) if staleness != Staleness::Missing => {
            eprintln!(
                "lete: warning: the index folder {path} is read-only and cannot be updated; \
                 answering from the index as it was last built"
            );
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}
