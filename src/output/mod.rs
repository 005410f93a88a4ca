//! Output: the hit schema (`schema.rs`, the only place its JSON names live) and its three
//! renderings: the pretty terminal view, `--json` and `--jsonl`. Writers take any
//! `io::Write` and return its errors, so the CLI can treat a broken pipe as success.

mod json;
mod jsonl;
pub mod opensearch;
mod pretty;
pub mod schema;
mod stats;

pub use json::write_json;
pub use jsonl::write_jsonl;
pub use pretty::write_pretty;
pub use schema::{Hit, SearchOutput, StatsOutput};
pub use stats::{rfc3339_utc, write_stats_json, write_stats_pretty};

use crate::search::SearchResults;
use std::io::{self, Write};
use std::time::Duration;

/// How hits are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pretty { color: bool },
    Json,
    Jsonl,
}

impl SearchOutput {
    /// The output object for `results` of `query`, which took `took`.
    pub fn new(query: &str, results: &SearchResults, took: Duration) -> SearchOutput {
        SearchOutput {
            query: query.to_string(),
            total: results.total,
            took_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            hits: results.hits.iter().map(Hit::from).collect(),
        }
    }
}

/// Writes `output` in `format`.
pub fn write_output(out: &mut dyn Write, format: Format, output: &SearchOutput) -> io::Result<()> {
    match format {
        Format::Pretty { color } => write_pretty(out, &output.hits, color),
        Format::Json => write_json(out, output),
        Format::Jsonl => write_jsonl(out, &output.hits),
    }
}
