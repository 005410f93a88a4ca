//! `lete search QUERY`: ranked passages, refreshing the index first when the corpus changed.

use super::index::open_fresh_index;
use super::stderr::say;
use super::stdout::results_stdout;
use super::Outcome;
use crate::config::{Config, RefreshWhen};
use crate::index::{open_as_it_stands, CommitRead, LeteIndex};
use crate::lang::{Lang, LangFilter};
use crate::output::{write_output, Format};
use crate::search::{
    prepare, PreparedSearch, SearchError, SearchRequest, SearchResults, DEFAULT_PER_DOCUMENT,
    DEFAULT_PER_SECTION,
};
use clap::Args;
use std::io::Write;
use std::time::{Duration, Instant};

/// Search the passages of the corpus. Exit 0 with hits, 1 with none, 2 on an error.
#[derive(Debug, Args)]
#[command(after_help = "\
Query syntax (Tantivy's): words, \"exact phrase\", -excluded, a OR b, a AND b, word*,
title:word, heading:word, text:word, lang:da (or lang:no), source:GLOB (the path inside the
corpus folder, or as hits show it, or a glob of it or the file name, case ignored:
source:'*004*')

Each word also matches its inflections, other spellings of æ/ø/å (velfaerd), its nynorsk or
bokmål form (samspel: samspill), compounds it is a part of (beredskap: samfunnsberedskap),
derived words (strategi: strategisk) and, when the corpus lacks it, near spellings
(økonomiaftalen: konomiaftalen). Question and function words (hvordan, kva, hvad) count only
in a query of nothing else. --explain shows which.

Words need no quotes, and options may follow them. Paths are shown from where you stand; the
line is that of the first matched word (JSON's \"line\" is where the passage starts).

Examples:
  lete search lokalt handlingsrom
  lete search --lang da velfærd
  lete search --lang no kommunane
  lete search '\"statlig detaljstyring\" -kommunelov'
  lete search --jsonl --limit 5 barnevern | jq -r '\"\\(.source):\\(.line) \\(.heading)\"'
  lete search --files barnevern | xargs wc -w
  lete search -l0 kontingent | xargs -0 wc -w
  lete search --format vimgrep barnevern > hits.txt && vim -q hits.txt
  lete search --color always samfunnsberedskap | less -R
  lete search --explain --limit 3 beredskap
  lete search \"source:'*004*' velfærd\"")]
pub(crate) struct SearchArgs {
    /// What to search for: words, no quotes needed (`lete search lokalt handlingsrom`); a
    /// leading `-word` excludes a word.
    // No hyphen values needed: lete puts a `--` before the words (cli/query_words.rs).
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
    /// Most hits to print.
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
    /// Only passages in this language: nb, nn, da, or no for bokmål and nynorsk together;
    /// the query is then stemmed for it alone.
    #[arg(long)]
    pub lang: Option<LangFilter>,
    /// Print one JSON object: {"query", "total", "took_ms", "hits": [...]} (as --format json).
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Print one JSON hit per line (as --format jsonl).
    #[arg(long)]
    pub jsonl: bool,
    /// How to print hits: pretty (for a reader), json, jsonl, or vimgrep
    /// (source:line:column:snippet, the first matched word's place, for editors; files of
    /// lines only: a hit in a PDF, Word or OpenDocument file is left out, with a note on
    /// stderr).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with_all = ["json", "jsonl"])]
    pub format: Option<SearchFormat>,
    /// Print only the path of each source with a match, once, best first (for xargs);
    /// every matching source, --limit does not apply.
    #[arg(long, short = 'l', conflicts_with_all = ["json", "jsonl", "format"])]
    pub files: bool,
    /// With --files: end each path with a NUL byte instead of a line break, for xargs -0 and
    /// names with spaces or line breaks (each path as the name's own bytes, not escaped).
    #[arg(long, short = '0', requires = "files")]
    pub null: bool,
    /// Most hits from one section before other sections' hits are shown.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PER_SECTION as u64,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub per_section: u64,
    /// Most hits from one document before other documents' hits are shown (a document's
    /// best passage is never held back).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PER_DOCUMENT as u64,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub per_document: u64,
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
    // The words typed apart are one query, as a person means them (issue 19).
    let query = args.query.join(" ");
    let request = SearchRequest {
        query: query.clone(),
        limit: args.limit as usize,
        lang: args.lang,
        per_section: args.per_section as usize,
        per_document: args.per_document as usize,
        explain: args.explain,
        sources: args.files,
    };
    // A malformed query is reported before any index is built.
    let prepared = prepare(&request)?;
    let (index, searched) = open_while_searching(config, &prepared)?;
    let (results, took) = match searched {
        Some(searched) => searched,
        None => {
            let started = Instant::now();
            let results = match index.guard(|| prepared.run(&index))? {
                Ok(results) => results,
                Err(SearchError::Index(error)) => return Err(index.damaged(&error).into()),
                Err(other) => return Err(other.into()),
            };
            (results, started.elapsed())
        }
    };
    let format = format(config, args);
    let found = !results.is_empty();
    if !found && config.prints_notes() {
        say!("{}", no_match_note(&query, args));
    }
    // `--json` prints its one object even when nothing matches, `total` 0 and no hits, as
    // `lete serve` answers: a script reading it (`| jq .total`) got nothing at all (found in
    // the new-user trial of stop 24). The other formats print a line per hit, so none.
    if found || format == Format::Json {
        let mut out = results_stdout()?;
        write_output(&mut out, format, &query, &results, took)?;
        out.flush()?;
    }
    Ok(if found {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
}

/// The index brought up to date (as [`open_fresh_index`]) and, where that meant comparing it
/// with the corpus, the search's results already: the search runs on a second thread on the
/// index as it stood, while the first compares each file with the manifest (issue 16: at
/// 1 GB the comparison took about as long as the search). The results are kept only when the
/// index the comparison gives reads the same commit as the one searched, which is so when the
/// index was current; else (it was updated, or another run committed meanwhile) they are
/// dropped and the search runs on the index given.
fn open_while_searching(
    config: &Config,
    prepared: &PreparedSearch,
) -> anyhow::Result<(LeteIndex, Option<(SearchResults, Duration)>)> {
    if config.refresh == RefreshWhen::Never {
        return Ok((open_fresh_index(config)?, None));
    }
    let (index, early) = std::thread::scope(|scope| {
        let early = scope.spawn(|| search_as_it_stands(config, prepared));
        let index = open_fresh_index(config);
        (index, early.join().ok().flatten())
    });
    let index = index?;
    let searched = early
        .filter(|early| index.commit_read().as_ref() == Some(&early.commit))
        .map(|early| (early.results, early.took));
    Ok((index, searched))
}

/// A search run on the index as it stood, before anything said it answers for the corpus.
struct EarlySearch {
    /// The commit and the lexicon it read.
    commit: CommitRead,
    results: SearchResults,
    took: Duration,
}

/// `prepared` run on the index in the configured folder as it stands; None where that index
/// does not open or the search fails (the search after the comparison then says why).
fn search_as_it_stands(config: &Config, prepared: &PreparedSearch) -> Option<EarlySearch> {
    let index = open_as_it_stands(&config.corpus, &config.index)?;
    let commit = index.commit_read()?;
    let started = Instant::now();
    let results = index.guard(|| prepared.run(&index)).ok()?.ok()?;
    Some(EarlySearch {
        commit,
        results,
        took: started.elapsed(),
    })
}

/// What a search that found nothing says on stderr (issue 19: it printed nothing at all), with
/// a hint when `--lang` or a filter in the query narrowed it.
fn no_match_note(query: &str, args: &SearchArgs) -> String {
    let mut note = format!("no passage matches '{}'", shown_query(query));
    if let Some(lang) = args.lang {
        note.push_str(&format!(
            "; --lang {lang} kept only passages in {}: try without it",
            lang_names(lang)
        ));
    }
    let filters: Vec<&str> = ["source:", "lang:", "title:", "heading:", "text:"]
        .into_iter()
        .filter(|filter| query.contains(filter))
        .collect();
    if !filters.is_empty() {
        let (filter, it) = if filters.len() == 1 {
            ("filter", "it")
        } else {
            ("filters", "them")
        };
        note.push_str(&format!(
            "; the query's {} {filter} narrowed it: try without {it}",
            filters.join(" and ")
        ));
    }
    note
}

/// At most this many characters of a query are echoed in a message.
const SHOWN_QUERY_CHARS: usize = 80;

/// The query as a message may echo it: control characters as spaces (never raw escape codes
/// on a terminal), a long one cut.
fn shown_query(query: &str) -> String {
    let mut shown: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(SHOWN_QUERY_CHARS)
        .collect();
    if query.chars().count() > SHOWN_QUERY_CHARS {
        shown.push('…');
    }
    shown
}

fn lang_names(lang: LangFilter) -> &'static str {
    match lang {
        LangFilter::Only(Lang::Nb) => "bokmål",
        LangFilter::Only(Lang::Nn) => "nynorsk",
        LangFilter::Only(Lang::Da) => "Danish",
        LangFilter::Norwegian => "bokmål and nynorsk",
    }
}

fn format(config: &Config, args: &SearchArgs) -> Format {
    let pretty = Format::Pretty {
        color: config.color,
        width: config.width,
    };
    if args.files {
        return Format::Files { null: args.null };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ColorWhen, Verbosity};
    use std::fs;

    fn config(root: &std::path::Path) -> Config {
        Config::with_output(
            root.join("corpus"),
            root.join("index"),
            ColorWhen::Never,
            Verbosity::Quiet,
        )
    }

    fn prepared(query: &str) -> PreparedSearch {
        prepare(&SearchRequest {
            query: query.to_string(),
            limit: 10,
            lang: None,
            per_section: DEFAULT_PER_SECTION,
            per_document: DEFAULT_PER_DOCUMENT,
            explain: false,
            sources: false,
        })
        .expect("query")
    }

    fn texts(results: &SearchResults) -> Vec<String> {
        results
            .hits
            .iter()
            .map(|hit| hit.passage.text.clone())
            .collect()
    }

    #[test]
    fn the_early_search_is_kept_only_when_the_index_was_current() {
        let root = tempfile::tempdir().expect("tempdir");
        let corpus = root.path().join("corpus");
        fs::create_dir(&corpus).expect("corpus");
        let plan = corpus.join("plan.txt");
        fs::write(
            &plan,
            "Plan\n\nVannforsyning i fjellbygdene skal styrkes.\n",
        )
        .expect("write");
        let config = config(root.path());
        let query = prepared("vannforsyning");
        // No index yet: nothing to search early; the search runs on the index built.
        let (_, early) = open_while_searching(&config, &query).expect("first");
        assert!(early.is_none());
        // The index is current: the early search is the answer, as a search after the check
        // would give it.
        let (index, early) = open_while_searching(&config, &query).expect("current");
        let (early, _) = early.expect("the early search is kept");
        let after = query.run(&index).expect("search");
        assert_eq!(texts(&early), texts(&after));
        assert_eq!(early.total, after.total);
        assert!(texts(&early)[0].contains("fjellbygdene"));
        // The file changed: the early search read the old text and is dropped.
        fs::write(&plan, "Plan\n\nVannforsyning i kystbyene skal styrkes.\n").expect("write");
        let (index, early) = open_while_searching(&config, &query).expect("changed");
        assert!(early.is_none());
        let after = query.run(&index).expect("search");
        assert!(
            texts(&after)[0].contains("kystbyene"),
            "{:?}",
            texts(&after)
        );
        // Without the check there is no early search.
        let unchecked = Config {
            refresh: RefreshWhen::Never,
            ..config
        };
        let (_, early) = open_while_searching(&unchecked, &query).expect("never");
        assert!(early.is_none());
    }
}
