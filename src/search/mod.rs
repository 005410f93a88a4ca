//! Search: the user's query → a Tantivy query over the language fields → candidates ranked
//! by BM25, word coverage and phrase → hits with snippets and highlight ranges.

mod bm25_per_language;
mod collect;
mod columns;
mod deadline;
pub(crate) mod expand;
pub(crate) mod matcher;
pub(crate) mod parse;
mod plan;
mod query_lang;
mod rank;
mod seekable_union;
mod settle;
pub(crate) mod snippet;
mod spread;

pub(crate) use deadline::Deadline;
pub(crate) use expand::Form;
pub(crate) use matcher::Proximity;
pub(crate) use parse::{parse_user_query, ParsedQuery, QueryWord};

use crate::index::{LeteIndex, StoredPassage};
use crate::lang::{Lang, LangFilter};
use tantivy::TantivyError;

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Tantivy query syntax: words, `"phrases"`, `-word`, `AND`, `OR`, `field:value`.
    pub query: String,
    /// Most hits to return.
    pub limit: usize,
    /// Only passages of this language (or of bokmål and nynorsk), and the query analyzed by
    /// their stemmers alone.
    pub lang: Option<LangFilter>,
    /// Most hits of one section ahead of other sections' hits.
    pub per_section: usize,
    /// Most hits of one document ahead of other documents' hits: one long file does not fill
    /// the page (issue 17).
    pub per_document: usize,
    /// Record for each hit which words matched, how, and the score's parts.
    pub explain: bool,
    /// List the sources of every matching passage, best first, instead of hits (`lete search
    /// --files`): the limit does not apply, and no snippet is made.
    pub sources: bool,
}

/// By default no more than this many hits of the top come from one section.
pub(crate) const DEFAULT_PER_SECTION: usize = 2;
/// By default no more than this many hits of the top come from one document: with the
/// default 10 hits, at least four documents are shown when four match (issue 17).
pub(crate) const DEFAULT_PER_DOCUMENT: usize = 3;

impl SearchRequest {
    /// A request with the default limit per section and no explanation.
    pub fn new(query: &str, limit: usize, lang: Option<Lang>) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            limit,
            lang: lang.map(LangFilter::from),
            per_section: DEFAULT_PER_SECTION,
            per_document: DEFAULT_PER_DOCUMENT,
            explain: false,
            sources: false,
        }
    }
}

/// One ranked passage: the passage as stored, and what the search made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// 1-based.
    pub rank: usize,
    /// The ranking score (higher is better).
    pub score: f32,
    /// The passage as the index stores it.
    pub passage: StoredPassage,
    /// A short extract of the passage around the best match.
    pub snippet: String,
    /// Byte ranges `[start, end]` of matched words in `snippet`.
    pub highlights: Vec<[usize; 2]>,
    /// Byte offset in `passage.text` of the first place a highlighted word stands (it may come
    /// before the snippet): where `--format vimgrep` points.
    pub highlight_start: Option<usize>,
    /// Why the hit ranks where it does, when asked for.
    pub explain: Option<Explain>,
}

impl SearchHit {
    /// The 1-based line and byte column in the source file of the first place a word the hit
    /// highlights stands in its passage, or of the passage's start when nothing is
    /// highlighted: where the pretty view and `--format vimgrep` point (issue 19: the pretty
    /// view gave the passage's first line).
    pub fn match_place(&self) -> (u64, u64) {
        self.passage
            .source_place(self.highlight_start.unwrap_or_default())
    }

    /// The page the first place a highlighted word stands in its passage is on, or the
    /// passage's first page when nothing is highlighted: the page the pretty view shows, as
    /// it shows that word's line (issue 15, session 25: it showed the passage's first page).
    pub fn match_page(&self) -> Option<u32> {
        self.passage
            .page_at(self.highlight_start.unwrap_or_default())
    }
}

/// Why a hit ranks where it does (`lete search --explain`).
#[derive(Debug, Clone, PartialEq)]
pub struct Explain {
    /// Each query word: where and in which form it matched, if at all.
    pub words: Vec<ExplainWord>,
    /// Query words found (in any form), of `of_words`; common words count only in a query
    /// of nothing else.
    pub covered: usize,
    /// Query words that count (see `covered`).
    pub of_words: usize,
    /// Per word 4 as written or inflected (or in the other written Norwegian), 3 folded, 2
    /// compound part or one edit away, 1 derived, two edits away or a compound query word
    /// found as its parts, 0 missing.
    pub quality: usize,
    /// Whether the passage is boilerplate (ranked after real content).
    pub boilerplate: bool,
    /// How close the query's words stand.
    pub proximity: Proximity,
    /// Query words in the heading path.
    pub heading_words: usize,
    /// Tantivy's BM25 over every form of the words (forms weighted).
    pub bm25: f32,
    /// The cap that put the hit after other sections' or documents' hits, if one did.
    pub capped: Option<Cap>,
    /// The language the query's words are in, when they tell (issue 17).
    pub query_lang: Option<Lang>,
    /// Whether the passage is in that language (bokmål and nynorsk are one here), ranked
    /// before passages that hold as many of the words in another.
    pub in_query_lang: bool,
}

/// What holds a hit back behind hits of other sections or documents (`--per-section`,
/// `--per-document`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Its section had `per_section` hits above it.
    Section,
    /// Its document had `per_document` hits above it (issue 17).
    Document,
}

impl Cap {
    /// The name `--explain` shows.
    pub fn name(self) -> &'static str {
        match self {
            Cap::Section => "section",
            Cap::Document => "document",
        }
    }
}

/// One query word in one hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainWord {
    /// The query word, as typed.
    pub word: String,
    /// A common word (in a large share of the passages), left out of the word counts.
    pub common: bool,
    /// A function word (`hvordan`, `kva`, `hvad`), left out of the word counts (issue 17).
    pub function_word: bool,
    /// Where and how it matched; `None` when missing.
    pub found: Option<WordFound>,
}

/// Where and how a query word matched in a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordFound {
    /// The form it matched in: exact, stem, folded, compound part, fuzzy or prefix.
    pub form: Form,
    /// The part of the passage it matched in.
    pub field: MatchField,
    /// The passage word it matched, as written.
    pub matched: String,
}

/// The part of a passage a query word matched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchField {
    /// The passage text.
    Text,
    /// The heading path.
    Heading,
}

impl MatchField {
    /// The name `--explain` shows.
    pub fn name(self) -> &'static str {
        match self {
            MatchField::Text => "text",
            MatchField::Heading => "heading",
        }
    }
}

/// The hits of one search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Passages matching the query, before the limit.
    pub total: usize,
    /// The hits, best first, at most the request's limit.
    pub hits: Vec<SearchHit>,
    /// Asked for with [`SearchRequest::sources`] instead of hits: the source of every
    /// matching passage, once, in the order of its best passage.
    pub sources: Vec<String>,
}

impl SearchResults {
    /// Whether nothing matched.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty() && self.sources.is_empty()
    }
}

/// Why a search failed. A query error is the user's to fix (the CLI exits 2).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Nothing to search for.
    #[error("the query is empty; give a word to search for")]
    Empty,
    /// Only punctuation or symbols.
    #[error("the query '{0}' holds no word to search for, only punctuation or symbols")]
    NoWords(String),
    /// The query does not parse.
    #[error("cannot parse the query '{query}': {detail}")]
    Syntax {
        /// The query as typed.
        query: String,
        /// What the parser found wrong.
        detail: String,
    },
    /// A `field:` prefix lete does not know.
    #[error("unknown field '{0}' in the query; use title:, heading:, text:, lang: or source:")]
    UnknownField(String),
    /// Every word is excluded: nothing to find.
    #[error("the query only excludes words; give a word to search for as well")]
    OnlyExclusions,
    /// Tantivy refused the query built from it.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// Parentheses or chained `NOT`s nested deeper than [`MAX_NESTING`].
    #[error("the query nests parentheses or NOTs more than {MAX_NESTING} deep")]
    TooDeep,
    /// More different words than [`MAX_QUERY_WORDS`].
    #[error(
        "the query holds {0} different words; lete searches at most {MAX_QUERY_WORDS}, so \
         shorten it"
    )]
    TooManyWords(usize),
    /// A `^boost` out of range.
    #[error("a boost must be a number from 0 to {MAX_BOOST}")]
    BadBoost,
    /// `field:*`, which would match everything.
    #[error("'{0}:*' (any value) is not supported; give a word to search for")]
    AnyValue(String),
    /// The search ran past its deadline ([`PreparedSearch::with_deadline`]) and stopped.
    #[error("the search took longer than it may and was stopped")]
    TimedOut,
    /// Reading the index failed. The message is shown, not chained as a source, so it
    /// prints once.
    #[error("search failed: {0}; run lete index --rebuild")]
    Index(TantivyError),
}

impl From<TantivyError> for SearchError {
    fn from(err: TantivyError) -> Self {
        SearchError::Index(err)
    }
}

/// Reading the term dictionary failed: the index is damaged.
impl From<std::io::Error> for SearchError {
    fn from(err: std::io::Error) -> Self {
        SearchError::Index(err.into())
    }
}

/// Deeper nesting (parentheses, chained `NOT`s) is refused: the query grammar recurses once
/// per level, and so do the walks of the parsed query.
pub(crate) const MAX_NESTING: usize = 64;
/// More different words than this in one query are refused (issue 18): a search's cost
/// grows with them (each is expanded into its forms and matched in every candidate), and
/// 10,000 characters of words absent from the corpus took seconds. A pasted paragraph fits.
pub(crate) const MAX_QUERY_WORDS: usize = 100;
/// Larger boosts overflow scores.
pub(crate) const MAX_BOOST: f64 = 1000.0;

impl SearchError {
    /// Whether the query itself is at fault (as opposed to the index).
    pub fn is_query_error(&self) -> bool {
        !matches!(self, SearchError::Index(_) | SearchError::TimedOut)
    }
}

#[cfg(test)]
/// Runs `request` against `index`.
pub(crate) fn search(
    index: &LeteIndex,
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    prepare(request)?.run(index)
}

/// A request whose query parsed: it can be checked before the index is opened or built.
#[derive(Debug, Clone)]
pub struct PreparedSearch {
    parsed: ParsedQuery,
    langs: Vec<Lang>,
    limit: usize,
    per_section: usize,
    per_document: usize,
    explain: bool,
    sources: bool,
    /// Sources (paths inside the corpus folder) whose passages never match.
    excluded_sources: Vec<String>,
    /// Threads one search may collect on (issue 16): every core for a person waiting on one
    /// search; one where searches run side by side (`lete serve`).
    threads: usize,
    /// When the search must stop (`lete serve`'s time per request); none for the CLI.
    deadline: Deadline,
}

/// Parses the request's query; a malformed query fails here, before any index work.
pub fn prepare(request: &SearchRequest) -> Result<PreparedSearch, SearchError> {
    let langs: Vec<Lang> = match request.lang {
        Some(filter) => filter.langs(),
        None => Lang::ALL.to_vec(),
    };
    let parsed = parse_user_query(&request.query, &langs)?;
    Ok(PreparedSearch {
        parsed,
        langs,
        limit: request.limit,
        per_section: request.per_section.max(1),
        per_document: request.per_document.max(1),
        explain: request.explain,
        sources: request.sources,
        excluded_sources: Vec::new(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        deadline: Deadline::NONE,
    })
}

impl PreparedSearch {
    /// The same search, with the passages of `sources` (paths inside the corpus folder, as
    /// stored) left out of the hits and of the total, as if the index lacked them: `lete
    /// serve` never shows a file whose real path lies outside the corpus folder (issue 20).
    pub fn excluding_sources(mut self, sources: Vec<String>) -> PreparedSearch {
        self.excluded_sources = sources;
        self
    }

    /// The same search on one thread: where searches already run side by side (`lete
    /// serve`'s requests), a search on every core only adds the threads' cost.
    pub fn on_one_thread(mut self) -> PreparedSearch {
        self.threads = 1;
        self
    }

    /// The same search, stopped with [`SearchError::TimedOut`] once `deadline` has passed:
    /// the collection checks it between parts and every few thousand passages, the ranking
    /// between candidates, so a search answered as too slow frees its thread soon after.
    pub fn with_deadline(mut self, deadline: std::time::Instant) -> PreparedSearch {
        self.deadline = Deadline::at(deadline);
        self
    }

    /// Runs the search; the hits' sources are shown as paths from the current folder
    /// ([`LeteIndex::shown_source`]).
    pub fn run(&self, index: &LeteIndex) -> Result<SearchResults, SearchError> {
        let mut results = self.run_stored(index)?;
        for hit in &mut results.hits {
            hit.passage.source = index.shown_source(&hit.passage.source);
        }
        for source in &mut results.sources {
            *source = index.shown_source(source);
        }
        Ok(results)
    }

    /// The results with their sources as stored: paths inside the corpus folder.
    fn run_stored(&self, index: &LeteIndex) -> Result<SearchResults, SearchError> {
        let searcher = index.reader()?.searcher();
        let mut plan = plan::build_plan(index, &searcher, &self.parsed, &self.langs)?;
        if !self.excluded_sources.is_empty() {
            plan.query = plan::without_sources(index, plan.query, &self.excluded_sources);
        }
        if self.sources {
            return rank::ranked_sources(
                index,
                &searcher,
                &plan,
                &self.parsed,
                self.threads,
                self.deadline,
            );
        }
        let options = rank::RankOptions {
            limit: self.limit,
            per_section: self.per_section,
            per_document: self.per_document,
            explain: self.explain,
            forms: &plan.forms,
            query_lang: plan.query_lang,
            threads: self.threads,
            deadline: self.deadline,
        };
        rank::ranked_hits(
            index,
            &searcher,
            plan.query.as_ref(),
            &self.parsed,
            &options,
        )
    }
}

#[cfg(test)]
mod tests;
