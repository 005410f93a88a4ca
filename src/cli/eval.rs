//! `lete eval QUERIES.tsv`: runs each relevance query as `lete search --limit 10` would and
//! prints MRR@10, S@1, S@5 and heading accuracy, the figures of the shared `score.py`.

use super::index::open_fresh_index;
use super::stderr::say;
use super::stdout::results_stdout;
use super::Outcome;
use crate::config::Config;
use crate::eval::{read_queries, score, RankedText, EVAL_DEPTH};
use crate::ingest::read_text_file;
use crate::output::schema::EvalOutput;
use crate::search::{prepare, PreparedSearch, SearchError, SearchRequest};
use anyhow::Context;
use clap::Args;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Score the search against a relevance file (columns id, query, keys, heading; see the
/// README). Exit 0 when it ran, 2 on an error.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  lete eval tests/fixtures/queries-dev.tsv
  lete eval --json tests/fixtures/queries-dev.tsv | jq .mrr10")]
pub(crate) struct EvalArgs {
    /// Tab-separated relevance queries with a header line.
    #[arg(value_name = "QUERIES.tsv")]
    pub queries: PathBuf,
    /// Print one JSON object: {"queries", "mrr10", "s1", "s5", "heading_acc", "per_query"}.
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(config: &Config, args: &EvalArgs) -> anyhow::Result<Outcome> {
    // A regular file only: `lete eval /dev/zero` read until memory ran out (issue 18).
    // The reader's error says "cannot read" itself: `lete: FILE: cannot read: …`, as outline.
    let text = read_text_file(&args.queries).with_context(|| args.queries.display().to_string())?;
    let queries = read_queries(&text).with_context(|| format!("{}", args.queries.display()))?;
    // A query lete refuses (`*vern`) is scored as a miss, as the shared `run_lete.py` scores
    // a search that fails, and said on stderr.
    let prepared: Vec<Option<PreparedSearch>> = queries
        .iter()
        .map(|query| {
            let request = SearchRequest::new(&query.query, EVAL_DEPTH, None);
            prepare(&request)
                .map_err(|err| {
                    say!("warning: query {}: {err}; scored as a miss", query.id);
                })
                .ok()
        })
        .collect();
    let index = open_fresh_index(config)?;
    let mut hits = HashMap::new();
    for (query, search) in queries.iter().zip(&prepared) {
        let Some(search) = search else { continue };
        let results = match index.guard(|| search.run(&index))? {
            Ok(results) => results,
            Err(err) if err.is_query_error() => {
                say!("warning: query {}: {err}; scored as a miss", query.id);
                continue;
            }
            Err(SearchError::Index(error)) => return Err(index.damaged(&error).into()),
            Err(err) => return Err(anyhow::Error::from(err).context(format!("query {}", query.id))),
        };
        let ranked = results
            .hits
            .into_iter()
            .map(|hit| RankedText {
                text: hit.passage.text,
                heading: hit.passage.heading,
            })
            .collect();
        hits.insert(query.id.clone(), ranked);
    }
    let report = score(&queries, &hits);
    let mut out = results_stdout()?;
    if args.json {
        serde_json::to_writer(&mut out, &EvalOutput::from(&report))?;
        writeln!(out)?;
    } else {
        for outcome in &report.outcomes {
            let rank = outcome
                .rank
                .map_or("-".to_string(), |rank| rank.to_string());
            let heading = match outcome.heading_ok {
                Some(true) => "heading ok",
                Some(false) => "heading wrong",
                None => "",
            };
            writeln!(out, "{}\t{rank}\t{}\t{heading}", outcome.id, outcome.query)?;
        }
        let heading = report
            .heading_acc
            .map_or("-".to_string(), |acc| format!("{acc:.3}"));
        writeln!(
            out,
            "queries {}  MRR@10 {:.3}  S@1 {:.3}  S@5 {:.3}  heading {heading}",
            report.queries, report.mrr10, report.s1, report.s5
        )?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
