//! Ranking: the top BM25 candidates re-ordered so that passages holding all the query's words
//! come before those holding some, boilerplate comes last among equals, and ties break by
//! source and line (deterministic output).

use super::snippet::{make_snippet, WordMatcher};
use super::statistics::PerLanguageStatistics;
use super::{ParsedQuery, SearchError, SearchHit, SearchResults};
use crate::index::schema::heading_path_from_json;
use crate::index::{Fields, LeteIndex};
use crate::lang::Lang;
use std::cmp::Ordering;
use std::collections::HashMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DocAddress, ReloadPolicy, Searcher, TantivyDocument};

/// BM25 candidates re-ranked per hit asked for, and at least this many: enough that a passage
/// with all the words is in the pool even when BM25 ranks it below partial matches.
const CANDIDATES_PER_HIT: usize = 10;
const MIN_CANDIDATES: usize = 200;
/// A scraped list of unrelated titles matches many words and answers little.
const BOILERPLATE_FACTOR: f32 = 0.3;

/// A candidate passage with its stored fields.
struct Candidate {
    bm25: f32,
    score: f32,
    covered: usize,
    source: String,
    title: String,
    heading: String,
    heading_path: Vec<String>,
    lang: Lang,
    line: u64,
    text: String,
    section: u64,
    passage: u64,
    boilerplate: bool,
    byte_range: [u64; 2],
}

/// Collects, re-ranks and renders the best `limit` passages for `query`.
pub fn ranked_hits(
    index: &LeteIndex,
    query: &dyn Query,
    parsed: &ParsedQuery,
    limit: usize,
) -> Result<SearchResults, SearchError> {
    let reader = index
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let pool = limit.saturating_mul(CANDIDATES_PER_HIT).max(MIN_CANDIDATES);
    let collector = (TopDocs::with_limit(pool).order_by_score(), Count);
    let statistics = PerLanguageStatistics::new(&searcher, &index.fields)?;
    let (top, total) = searcher.search_with_statistics_provider(query, &collector, &statistics)?;
    let mut candidates = top
        .into_iter()
        .map(|(bm25, address)| load_candidate(&searcher, &index.fields, bm25, address))
        .collect::<Result<Vec<_>, SearchError>>()?;
    let mut matchers = Matchers::new(&parsed.words);
    score_candidates(&mut candidates, &mut matchers);
    candidates.sort_by(compare_candidates);
    candidates.truncate(limit);
    let hits = candidates
        .into_iter()
        .enumerate()
        .map(|(position, candidate)| into_hit(position + 1, candidate, &mut matchers))
        .collect();
    Ok(SearchResults { total, hits })
}

/// One `WordMatcher` per language met, built on first use.
struct Matchers<'a> {
    words: &'a [String],
    by_lang: HashMap<Lang, WordMatcher>,
}

impl<'a> Matchers<'a> {
    fn new(words: &'a [String]) -> Matchers<'a> {
        Matchers {
            words,
            by_lang: HashMap::new(),
        }
    }

    fn get(&mut self, lang: Lang) -> &WordMatcher {
        self.by_lang
            .entry(lang)
            .or_insert_with(|| WordMatcher::new(lang, self.words))
    }
}

/// Final score = covered words × step + BM25 (boilerplate damped), where step exceeds any
/// candidate's BM25: more words covered always ranks higher, and the score stays monotone
/// with the rank.
fn score_candidates(candidates: &mut [Candidate], matchers: &mut Matchers<'_>) {
    for candidate in candidates.iter_mut() {
        let matcher = matchers.get(candidate.lang);
        candidate.covered = matcher.coverage(&[&candidate.text, &candidate.heading]);
        let damping = if candidate.boilerplate {
            BOILERPLATE_FACTOR
        } else {
            1.0
        };
        candidate.bm25 *= damping;
    }
    let step = candidates
        .iter()
        .map(|candidate| candidate.bm25)
        .fold(0.0_f32, f32::max)
        .ceil()
        + 1.0;
    for candidate in candidates.iter_mut() {
        candidate.score = candidate.covered as f32 * step + candidate.bm25;
    }
}

fn compare_candidates(a: &Candidate, b: &Candidate) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.source.cmp(&b.source))
        .then_with(|| a.line.cmp(&b.line))
        .then_with(|| a.passage.cmp(&b.passage))
}

fn load_candidate(
    searcher: &Searcher,
    fields: &Fields,
    bm25: f32,
    address: DocAddress,
) -> Result<Candidate, SearchError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number = |field| {
        doc.get_first(field)
            .and_then(|value| value.as_u64())
            .unwrap_or_default()
    };
    let title = text(fields.title);
    let mut heading = text(fields.stored_heading);
    if heading.is_empty() {
        heading = title.clone();
    }
    Ok(Candidate {
        bm25,
        score: bm25,
        covered: 0,
        source: text(fields.source),
        heading_path: heading_path_from_json(&text(fields.heading_path)),
        lang: text(fields.lang).parse().unwrap_or(Lang::Nb),
        line: number(fields.line),
        text: text(fields.stored_text),
        section: number(fields.section),
        passage: number(fields.passage),
        boilerplate: number(fields.boilerplate) != 0,
        byte_range: [number(fields.byte_start), number(fields.byte_end)],
        title,
        heading,
    })
}

fn into_hit(rank: usize, candidate: Candidate, matchers: &mut Matchers<'_>) -> SearchHit {
    let matches = matchers.get(candidate.lang).matches(&candidate.text);
    let snippet = make_snippet(&candidate.text, &matches);
    SearchHit {
        rank,
        score: candidate.score,
        source: candidate.source,
        title: candidate.title,
        heading: candidate.heading,
        heading_path: candidate.heading_path,
        lang: candidate.lang,
        line: candidate.line,
        text: candidate.text,
        snippet: snippet.text,
        highlights: snippet.highlights,
        section: candidate.section,
        byte_range: candidate.byte_range,
    }
}
