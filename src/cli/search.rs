//! `lete search QUERY`: ranked passages, refreshing the index first when the corpus changed.

use super::index::open_fresh_index;
use super::Outcome;
use crate::config::Config;
use crate::lang::Lang;
use crate::output::{write_output, Format};
use crate::search::{prepare, SearchError, SearchRequest, DEFAULT_PER_SECTION};
use clap::Args;
use std::io::Write;
use std::time::Instant;

/// Search the passages of the corpus. Exit 0 with hits, 1 with none, 2 on an error.
#[derive(Debug, Args)]
#[command(after_help = "\
Query syntax (Tantivy's): words, \"exact phrase\", -excluded, a OR b, a AND b, word*,
title:word, heading:word, text:word, lang:da, source:GLOB (a path as hits show it, or a glob
of the path or file name: source:'*004*')

Each word also matches its inflections, other spellings of æ/ø/å (velfaerd), compounds it is
a part of (beredskap: samfunnsberedskap) and, when the corpus lacks it, near spellings
(økonomiaftalen: konomiaftalen). --explain shows which.

Examples:
  lete search \"lokalt handlingsrom\"
  lete search --lang da velfærd
  lete search '\"statlig detaljstyring\" -kommunelov'
  lete search --jsonl --limit 5 barnevern | jq -r '\"\\(.source):\\(.line) \\(.heading)\"'
  lete search --files barnevern | xargs wc -w
  lete search --format vimgrep barnevern > hits.txt && vim -q hits.txt
  lete search --color always samfunnsberedskap | less -R
  lete search --explain --limit 3 beredskap
  lete search \"source:'*004*' velfærd\"")]
pub(crate) struct SearchArgs {
    /// What to search for (a leading `-word` excludes a word).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Most hits to print.
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
    /// Only passages in this language (nb, nn or da); the query is then stemmed for it alone.
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Print one JSON object: {"query", "total", "took_ms", "hits": [...]} (as --format json).
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Print one JSON hit per line (as --format jsonl).
    #[arg(long)]
    pub jsonl: bool,
    /// How to print hits: pretty (for a reader), json, jsonl, or vimgrep
    /// (source:line:column:snippet, the first matched word's place, for editors).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with_all = ["json", "jsonl"])]
    pub format: Option<SearchFormat>,
    /// Print only the path of each source with a match, once, best first (for xargs);
    /// every matching source, --limit does not apply.
    #[arg(long, short = 'l', conflicts_with_all = ["json", "jsonl", "format"])]
    pub files: bool,
    /// Most hits from one section before other sections' hits are shown.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PER_SECTION as u64,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub per_section: u64,
    /// Show for each hit which query words matched, in which form and field, and the
    /// parts of its score (in JSON: an "explain" object per hit).
    #[arg(long)]
    pub explain: bool,
}

/// `--format` of `lete search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SearchFormat {
    Pretty,
    Json,
    Jsonl,
    Vimgrep,
}

pub(crate) fn run(config: &Config, args: &SearchArgs) -> anyhow::Result<Outcome> {
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit as usize,
        lang: args.lang,
        per_section: args.per_section as usize,
        explain: args.explain,
        sources: args.files,
    };
    // A malformed query is reported before any index is built.
    let prepared = prepare(&request)?;
    let index = open_fresh_index(config)?;
    let started = Instant::now();
    let results = match index.guard(|| prepared.run(&index))? {
        Ok(results) => results,
        Err(SearchError::Index(error)) => return Err(index.damaged(&error).into()),
        Err(other) => return Err(other.into()),
    };
    if results.is_empty() {
        return Ok(Outcome::NoHits);
    }
    let took = started.elapsed();
    let mut out = std::io::stdout().lock();
    write_output(&mut out, format(config, args), &args.query, &results, took)?;
    out.flush()?;
    Ok(Outcome::Success)
}

fn format(config: &Config, args: &SearchArgs) -> Format {
    let pretty = Format::Pretty {
        color: config.color,
        width: config.width,
    };
    if args.files {
        return Format::Files;
    }
    match args.format {
        Some(SearchFormat::Pretty) => pretty,
        Some(SearchFormat::Json) => Format::Json,
        Some(SearchFormat::Jsonl) => Format::Jsonl,
        Some(SearchFormat::Vimgrep) => Format::Vimgrep,
        None if args.json => Format::Json,
        None if args.jsonl => Format::Jsonl,
        None => pretty,
    }
}
