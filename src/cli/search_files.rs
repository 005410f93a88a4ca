//! `lete search --files`: each source with a matching passage, once, best first (issue 7).

use super::Outcome;
use crate::index::LeteIndex;
use crate::search::{prepare, SearchRequest};
use std::io::Write;

/// Passages fetched in the first pass; a query matching more is run again for all of them.
const FIRST_PASS: usize = 1000;

pub fn run(request: &SearchRequest, index: &LeteIndex) -> anyhow::Result<Outcome> {
    let mut request = SearchRequest {
        limit: FIRST_PASS,
        ..request.clone()
    };
    let mut results = prepare(&request)?.run(index)?;
    if results.total > results.hits.len() {
        request.limit = results.total;
        results = prepare(&request)?.run(index)?;
    }
    let sources = distinct_in_order(results.hits.iter().map(|hit| hit.passage.source.as_str()));
    if sources.is_empty() {
        return Ok(Outcome::NoHits);
    }
    let mut out = std::io::stdout().lock();
    for source in sources {
        writeln!(out, "{source}")?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// The items in first-seen order, each once.
fn distinct_in_order<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|item| seen.insert(*item)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_once_in_rank_order() {
        let ranked = [
            "corpus/003.txt",
            "corpus/001.txt",
            "corpus/003.txt",
            "corpus/000.txt",
        ];
        assert_eq!(
            distinct_in_order(ranked.into_iter()),
            ["corpus/003.txt", "corpus/001.txt", "corpus/000.txt"]
        );
    }
}
