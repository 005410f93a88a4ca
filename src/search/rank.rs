//! Ranking: the top BM25 candidates re-ordered by what a reader weighs first.
//!
//! 1. how many of the query's words the passage holds (in any form), then
//! 2. real content before boilerplate (a scraped list of unrelated titles), then
//! 3. the form they are in: as written or inflected, then another spelling of æ/ø/å, then
//!    as a compound part, then a near spelling (typo, damaged letter), then
//! 4. the words as the exact phrase, then near each other, then apart, then
//! 5. how many words its heading path holds, then
//! 6. BM25 over every form.
//!
//! Then at most `per_section` hits of one section are kept ahead of the others (diversity),
//! and ties break by source and line, so output is deterministic.
//!
//! `lete search --files` ranks every matching passage the same way and lists each source
//! once, in the order of its best passage ([`ranked_sources`]).
//!
//! A candidate is only read from the store, and its text only analysed, while it can still
//! reach the hits shown (issue 5): its BM25, and its heading path and boilerplate flag (fast
//! fields), bound its rank (every word found, in its best form and as the phrase); the
//! candidate of the highest bound is read next, and once the hits shown all rank above every
//! bound left, the rest are left unread.

use super::collect::{all_matches, top_candidates};
use super::columns::{PassageColumns, PassageOrdinals};
use super::expand::WordForms;
use super::matcher::{proximity, Proximity, WordMatch, WordMatcher, MAX_FORM_QUALITY};
use super::plan::Plan;
use super::settle::{Caps, CeilingQueue, HitPlace, ShownHits};
use super::snippet::make_snippet;
use super::spread::{spread_over_documents, Spread};
use super::{
    Cap, Deadline, Explain, ExplainWord, MatchField, ParsedQuery, QueryWord, SearchError,
    SearchHit, SearchResults, WordFound,
};
use crate::index::{LeteIndex, StoredPassage};
use crate::lang::Lang;
use std::cmp::Ordering;
use std::collections::HashMap;
use tantivy::query::Query;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument};

/// BM25 candidates re-ranked per hit asked for, and at least this many: enough that a passage
/// with all the words is in the pool even when BM25 ranks it below partial matches (BM25
/// already rewards all words and the phrase). Each candidate is loaded and re-analysed, the
/// bulk of a query's time: 100 rather than 200 halved the warm p50 on the 100 MB bench index
/// (6.5 to 3.2 ms) with the dev and extra queries' ranks unchanged.
const CANDIDATES_PER_HIT: usize = 5;
/// `--files` shares its matches out over threads in runs of at least this many: fewer are
/// read faster than a thread starts. The unit tests share out the bundled corpus's few.
const MIN_PASSAGES_PER_RUN: usize = if cfg!(test) { 4 } else { 2048 };
const MIN_CANDIDATES: usize = 100;

/// Where the heading path's words are placed after the text's when both are weighed together
/// (far beyond any passage's length).
const HEADING_POSITIONS: usize = 1 << 30;

/// What a ranking needs besides the query.
pub(super) struct RankOptions<'a> {
    pub limit: usize,
    /// Most hits of one section before hits of other sections.
    pub per_section: usize,
    /// Most hits of one document before hits of other documents (issue 17).
    pub per_document: usize,
    pub explain: bool,
    pub forms: &'a HashMap<Lang, Vec<WordForms>>,
    /// The language the query's words are in, when they tell (issue 17).
    pub query_lang: Option<Lang>,
    /// Threads the candidates may be collected on.
    pub threads: usize,
    /// When the search must stop.
    pub deadline: Deadline,
}

/// Collects, re-ranks and renders the best `limit` passages for `query`.
pub(super) fn ranked_hits(
    index: &LeteIndex,
    searcher: &Searcher,
    query: &dyn Query,
    parsed: &ParsedQuery,
    options: &RankOptions<'_>,
) -> Result<SearchResults, SearchError> {
    let pool = options
        .limit
        .saturating_mul(CANDIDATES_PER_HIT)
        .max(MIN_CANDIDATES);
    let (top, total) = top_candidates(
        index,
        searcher,
        query,
        pool,
        options.threads,
        options.deadline,
    )?;
    let spread = Spread {
        threads: options.threads,
        pool,
        limit: options.limit,
        per_document: options.per_document,
        deadline: options.deadline,
    };
    let top = spread_over_documents(index, searcher, query, top, total, &spread)?;
    let step = score_step(top.iter().map(|(bm25, _)| *bm25));
    let mut ranking = Ranking::new(index, searcher, parsed, options.forms, options.query_lang);
    let mut candidates = ranking.read_while_unsettled(top, options)?;
    candidates.sort_by(compare_candidates);
    let hits = diversify(candidates, options.per_section, options.per_document)
        .into_iter()
        .take(options.limit)
        .enumerate()
        .map(|(position, candidate)| {
            let explain = options.explain.then(|| {
                explain(
                    &candidate,
                    &parsed.words,
                    ranking.matchers.get(candidate.passage.lang),
                    options.query_lang,
                )
            });
            into_hit(position + 1, candidate, step, explain)
        })
        .collect();
    Ok(SearchResults {
        total,
        hits,
        sources: Vec::new(),
    })
}

/// Every source with a passage matching `query`, once, in the order of its best passage
/// (issue 7's `--files`). Every matching passage is read and ranked, as the hits would be, but
/// none gets a snippet or an explanation: what is kept of each is only where it ranks.
pub(super) fn ranked_sources(
    index: &LeteIndex,
    searcher: &Searcher,
    plan: &Plan,
    parsed: &ParsedQuery,
    threads: usize,
    deadline: Deadline,
) -> Result<SearchResults, SearchError> {
    let (forms, query_lang) = (&plan.forms, plan.query_lang);
    let matching = all_matches(index, searcher, plan.query.as_ref(), threads, deadline)?;
    // Reading and ranking every match is the whole cost (issue 16: `--files kommunene` on the
    // 100 MB bench corpus read 100,000 passages, 10 to 40 times ripgrep's `rg -l`), so the
    // matches are shared out over the cores, in runs of neighbouring passages (which share
    // store blocks and heading paths). The order of the sources does not depend on how they
    // are shared: places are sorted on a total order below.
    let per_run = matching
        .len()
        .div_ceil(threads.max(1))
        .max(MIN_PASSAGES_PER_RUN);
    let runs: Vec<&[(Score, DocAddress)]> = matching.chunks(per_run).collect();
    // Each run is part of this thread's read: as guarded against a damaged index.
    let guarded = crate::index::is_guarded();
    let examined = crate::threads::each_run_on_its_thread(runs, |run| {
        crate::index::carry_guard(guarded, || {
            examine_run(index, searcher, parsed, forms, query_lang, run, deadline)
        })
    });
    let mut places = Vec::with_capacity(matching.len());
    let mut heading_only = Vec::new();
    for run in examined {
        let (run_places, run_heading_only) = run?;
        places.extend(run_places);
        heading_only.extend(run_heading_only);
    }
    keep_lone_headings(&mut places, heading_only, |(_, (source, _, _))| source);
    places.sort_by(|a, b| best_first(a.0, b.0).then_with(|| a.1.cmp(&b.1)));
    let mut seen = std::collections::HashSet::new();
    let sources = places
        .into_iter()
        .map(|(_, (source, _, _))| source)
        .filter(|source| seen.insert(source.clone()))
        .collect();
    Ok(SearchResults {
        total: matching.len(),
        hits: Vec::new(),
        sources,
    })
}

/// A candidate passage as read from the store, with what the ranking found in it.
struct Candidate {
    passage: StoredPassage,
    bm25: f32,
    rank: RankScore,
    criteria: RankCriteria,
    text_matches: Vec<WordMatch>,
    heading_matches: Vec<WordMatch>,
    /// Which cap, if any, put it after other sections' or documents' hits.
    capped: Option<Cap>,
}

/// A candidate not yet read from the store: its BM25, where it is, and the most its rank can
/// be.
struct PendingCandidate {
    bm25: f32,
    address: DocAddress,
    ceiling: RankScore,
    /// Its language and fast-field ordinals, when its segment has the columns.
    fast_fields: Option<(Lang, PassageOrdinals)>,
    /// Whether `ceiling` counts its actual heading words (or can be no closer).
    refined: bool,
}

/// Where each passage of `run` ranks, for `--files`: the ranked places of the passages that
/// are more than a heading, and those of the heading-only ones.
fn examine_run(
    index: &LeteIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
    forms: &HashMap<Lang, Vec<WordForms>>,
    query_lang: Option<Lang>,
    run: &[(Score, DocAddress)],
    deadline: Deadline,
) -> Result<(Vec<SourcePlace>, Vec<SourcePlace>), SearchError> {
    let mut ranking = Ranking::new(index, searcher, parsed, forms, query_lang);
    let mut places = Vec::with_capacity(run.len());
    let mut heading_only = Vec::new();
    for &(bm25, address) in run {
        deadline.check()?;
        let candidate = ranking.examine(address, bm25)?;
        let passage = candidate.passage;
        let place = (
            candidate.rank,
            (passage.source.clone(), passage.line, passage.passage),
        );
        if is_heading_only(&passage) {
            heading_only.push(place);
        } else {
            places.push(place);
        }
    }
    Ok((places, heading_only))
}

/// A passage's rank and where it is: its source, line and ordinal.
type SourcePlace = (RankScore, (String, u64, u64));

/// One ranking's state: the query's matchers per language, and what candidates share.
struct Ranking<'a> {
    index: &'a LeteIndex,
    searcher: &'a Searcher,
    matchers: Matchers<'a>,
    /// The query-word indexes of the implicit phrase.
    phrase: Vec<usize>,
    /// Query words in all.
    words: usize,
    /// The query words in each heading path met, by language: passages of one section share
    /// their heading path, so each is analysed once.
    headings: HashMap<(Lang, String), Vec<WordMatch>>,
}

impl<'a> Ranking<'a> {
    fn new(
        index: &'a LeteIndex,
        searcher: &'a Searcher,
        parsed: &'a ParsedQuery,
        forms: &'a HashMap<Lang, Vec<WordForms>>,
        query_lang: Option<Lang>,
    ) -> Ranking<'a> {
        Ranking {
            index,
            searcher,
            matchers: Matchers::new(&parsed.words, forms, index, query_lang),
            phrase: parsed.phrase_indexes(),
            words: parsed.words.len(),
            headings: HashMap::new(),
        }
    }

    /// Reads the candidates of `top` in order of their ceilings, until the hits shown are
    /// known ([`ShownHits::settled`]); the candidates read.
    fn read_while_unsettled(
        &mut self,
        top: Vec<(f32, DocAddress)>,
        options: &RankOptions<'_>,
    ) -> Result<Vec<Candidate>, SearchError> {
        let mut columns = PassageColumns::new(self.searcher);
        let mut pending = self.pending_candidates(top, &mut columns);
        // Refined keys by segment, heading path ordinal, language and boilerplate flag: most
        // candidates share their heading path with another, and an ordinal costs no
        // dictionary lookup.
        let mut heading_keys: HashMap<(u32, u64, Lang, bool), Option<u64>> = HashMap::new();
        let mut candidates: Vec<Candidate> = Vec::with_capacity(pending.len());
        // Passages that are only a heading or the title: hits only when nothing else is.
        let mut heading_only: Vec<Candidate> = Vec::new();
        // Pending candidates by ceiling, and how many hits the candidates read settle: a
        // scan of every candidate per step made `--limit 10000` quadratic (issue 18).
        let mut queue = CeilingQueue::new();
        for (order, candidate) in pending.iter().enumerate() {
            queue.push(candidate.ceiling, order);
        }
        let mut shown = ShownHits::new(options.limit, options.per_section, options.per_document);
        while let Some((&ceiling, at)) = queue.peek() {
            if shown.settled(&ceiling) {
                break;
            }
            queue.pop();
            if !pending[at].refined {
                self.refine_ceiling(&mut pending[at], &columns, &mut heading_keys);
                queue.push(pending[at].ceiling, at);
                continue;
            }
            options.deadline.check()?;
            let next = &pending[at];
            let candidate = self.examine(next.address, next.bm25)?;
            // The bounds are what lets the rest go unread: every search in the tests checks
            // them.
            debug_assert!(
                candidate.rank <= next.ceiling,
                "a candidate ranked above its ceiling ({:?} > {:?})",
                candidate.rank,
                next.ceiling
            );
            if is_heading_only(&candidate.passage) {
                heading_only.push(candidate);
            } else {
                shown.add(candidate.rank, hit_place(&candidate.passage));
                candidates.push(candidate);
            }
        }
        keep_lone_headings(&mut candidates, heading_only, |candidate| {
            &candidate.passage.source
        });
        Ok(candidates)
    }

    /// Each candidate's ceiling before it is read: every word that counts found as written,
    /// as the phrase and in its heading path, with its BM25; its language and whether it is
    /// boilerplate come from fast fields. Its heading path is looked at only when it comes up
    /// (most candidates never do, [`Ranking::refine_ceiling`]). Highest BM25 first (as
    /// Tantivy gives them), so that of equal ceilings the first wins.
    fn pending_candidates(
        &mut self,
        top: Vec<(f32, DocAddress)>,
        columns: &mut PassageColumns<'_>,
    ) -> Vec<PendingCandidate> {
        let unknown_key = self.unknown_passage_key();
        let mut pending: Vec<PendingCandidate> = top
            .into_iter()
            .map(|(bm25, address)| {
                let fast_fields = columns.ordinals(address).and_then(|ordinals| {
                    Some((columns.lang(address.segment_ord, ordinals.lang)?, ordinals))
                });
                let key = match &fast_fields {
                    Some((lang, ordinals)) => ceiling_key(
                        self.matchers.get(*lang),
                        self.words,
                        &self.phrase,
                        ordinals.boilerplate,
                        None,
                    ),
                    None => unknown_key,
                };
                PendingCandidate {
                    bm25,
                    address,
                    ceiling: RankScore { key, bm25 },
                    refined: fast_fields.is_none(),
                    fast_fields,
                }
            })
            .collect();
        pending.sort_by(|a, b| b.bm25.total_cmp(&a.bm25));
        pending
    }

    /// Lowers a candidate's ceiling by its heading path's words (a compound query word's
    /// parts only drop out of the heading when not all there, and then they cover nothing)
    /// and the forms its language's passages can hold.
    fn refine_ceiling(
        &mut self,
        next: &mut PendingCandidate,
        columns: &PassageColumns<'_>,
        heading_keys: &mut HashMap<(u32, u64, Lang, bool), Option<u64>>,
    ) {
        next.refined = true;
        let Some((lang, ordinals)) = next.fast_fields else {
            return;
        };
        let segment = next.address.segment_ord;
        let matcher = self.matchers.get(lang);
        let headings = &mut self.headings;
        let key = *heading_keys
            .entry((segment, ordinals.heading, lang, ordinals.boilerplate))
            .or_insert_with(|| {
                let text = columns.heading_text(segment, ordinals.heading)?;
                let heading = headings
                    .entry((lang, text))
                    .or_insert_with_key(|(_, text)| matcher.matches(text));
                Some(ceiling_key(
                    matcher,
                    self.words,
                    &self.phrase,
                    ordinals.boilerplate,
                    Some(heading),
                ))
            });
        if let Some(key) = key {
            next.ceiling = RankScore {
                key,
                bm25: next.bm25,
            };
        }
    }

    /// Reads the passage at `address` and finds the query words in its text and heading path.
    fn examine(&mut self, address: DocAddress, bm25: f32) -> Result<Candidate, SearchError> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let passage = StoredPassage::from_doc(&self.index.fields, &doc);
        let matcher = self.matchers.get(passage.lang);
        let heading_matches = self
            .headings
            .entry((passage.lang, passage.heading_text()))
            .or_insert_with_key(|(_, text)| matcher.matches(text))
            .clone();
        let text_matches = matcher.matches(&passage.text);
        Ok(Candidate::new(
            passage,
            bm25,
            text_matches,
            heading_matches,
            matcher,
            &self.phrase,
        ))
    }

    /// The highest key a passage not yet read, whose fast fields are unknown, can have: every
    /// word found, in its best form, as the phrase and in its heading, in the language that
    /// counts the most words.
    fn unknown_passage_key(&mut self) -> u64 {
        let words = self.words;
        let counted = Lang::ALL
            .iter()
            .map(|&lang| counted_words(self.matchers.get(lang), words))
            .max()
            .unwrap_or(words);
        best_criteria(counted, false, &self.phrase, counted).key(words)
    }
}

impl Candidate {
    /// With the query words found in its text and heading path, what the ranking weighs.
    fn new(
        passage: StoredPassage,
        bm25: f32,
        mut text_matches: Vec<WordMatch>,
        mut heading_matches: Vec<WordMatch>,
        matcher: &WordMatcher,
        phrase: &[usize],
    ) -> Candidate {
        // The heading path's words are placed far after the text's, so that no compound query
        // word counts as found from a part in each.
        let mut all = text_matches.clone();
        all.extend(heading_matches.iter().map(|m| WordMatch {
            position: m.position + HEADING_POSITIONS,
            ..m.clone()
        }));
        let covered_words = matcher.covered(&all);
        // A lone part of a compound query word found without its other parts is no match:
        // not highlighted, not explained.
        let counted = |m: &WordMatch| m.part.is_none() || covered_words.contains(&m.word);
        text_matches.retain(counted);
        heading_matches.retain(counted);
        let criteria = RankCriteria {
            covered: matcher.counted(&covered_words),
            boilerplate: passage.boilerplate,
            in_query_lang: matcher.is_in_query_lang(),
            quality: matcher.quality(&all),
            proximity: proximity(phrase, &text_matches).max(proximity(phrase, &heading_matches)),
            heading_words: matcher.counted(&matcher.covered(&heading_matches)),
        };
        let words = matcher.words().len();
        Candidate {
            passage,
            bm25,
            rank: RankScore {
                key: criteria.key(words),
                bm25,
            },
            criteria,
            text_matches,
            heading_matches,
            capped: None,
        }
    }
}

/// One matcher per language met, built on first use from that language's expansions.
struct Matchers<'a> {
    words: &'a [QueryWord],
    forms: &'a HashMap<Lang, Vec<WordForms>>,
    index: &'a LeteIndex,
    by_lang: HashMap<Lang, WordMatcher>,
    /// The language the query's words are in, when they tell.
    query_lang: Option<Lang>,
}

impl<'a> Matchers<'a> {
    fn new(
        words: &'a [QueryWord],
        forms: &'a HashMap<Lang, Vec<WordForms>>,
        index: &'a LeteIndex,
        query_lang: Option<Lang>,
    ) -> Matchers<'a> {
        Matchers {
            words,
            forms,
            index,
            by_lang: HashMap::new(),
            query_lang,
        }
    }

    fn get(&mut self, lang: Lang) -> &WordMatcher {
        self.by_lang.entry(lang).or_insert_with(|| {
            let forms = self.forms.get(&lang).cloned().unwrap_or_else(|| {
                self.words
                    .iter()
                    .map(|word| WordForms::bare(lang, word))
                    .collect()
            });
            let in_query_lang = self
                .query_lang
                .is_some_and(|query_lang| same_language(query_lang, lang));
            WordMatcher::with_forms(lang, forms, Some(self.index.splitter.clone()))
                .in_query_lang(in_query_lang)
        })
    }
}

/// Whether `a` and `b` are one language for the query's preference: bokmål and nynorsk are
/// both Norwegian.
fn same_language(a: Lang, b: Lang) -> bool {
    let norwegian = |lang: Lang| matches!(lang, Lang::Nb | Lang::Nn);
    a == b || (norwegian(a) && norwegian(b))
}

/// Adds to `kept` the heading-only passages of documents that have no passage in it: a
/// document whose only match is its title (a one-line note, a title that says what its text
/// does not) is still found. A heading-only passage of a document with other matching
/// passages stays out: its words reach them through their heading path (issue 17). Before,
/// every heading-only passage stayed out while any other passage matched, and such a
/// document was lost from the hits, though counted in `total` (break trial of this session).
fn keep_lone_headings<T>(kept: &mut Vec<T>, heading_only: Vec<T>, source: impl Fn(&T) -> &String) {
    let sources: std::collections::HashSet<String> =
        kept.iter().map(|item| source(item).clone()).collect();
    kept.extend(
        heading_only
            .into_iter()
            .filter(|item| !sources.contains(source(item))),
    );
}

/// Whether a passage is only its heading or a heading above it (a title line, a heading with
/// no text of its own): not a hit of its own while another passage matches (issue 17), as
/// its words reach the passages under it through their heading path.
fn is_heading_only(passage: &StoredPassage) -> bool {
    // Compared word by word as the words come, so that a passage of text stops at its first
    // word unlike the heading's: collecting every passage's words took a tenth of `--files`.
    let same = |heading: &str| (passage.text.split_whitespace()).eq(heading.split_whitespace());
    passage.text.split_whitespace().next().is_some()
        && (same(&passage.heading) || passage.heading_path.iter().any(|heading| same(heading)))
}

/// The highest key a candidate of `matcher`'s language can have: every word that counts
/// found, in its best form there, as the phrase; with the words and forms its heading path
/// holds (`heading`), or with every word there in its best form when not looked at yet.
fn ceiling_key(
    matcher: &WordMatcher,
    words: usize,
    phrase: &[usize],
    boilerplate: bool,
    heading: Option<&[WordMatch]>,
) -> u64 {
    let counted = counted_words(matcher, words);
    let heading_words = heading.map_or(counted, |heading| {
        matcher.counted(&matcher.covered(heading))
    });
    RankCriteria {
        quality: matcher.best_quality(heading),
        in_query_lang: matcher.is_in_query_lang(),
        ..best_criteria(counted, boilerplate, phrase, heading_words)
    }
    .key(words)
}

/// How many of the query's words count in a passage the matcher reads.
fn counted_words(matcher: &WordMatcher, words: usize) -> usize {
    (0..words).filter(|&index| matcher.counts(index)).count()
}

/// The best criteria a passage can meet with `counted` words that count.
fn best_criteria(
    counted: usize,
    boilerplate: bool,
    phrase: &[usize],
    heading_words: usize,
) -> RankCriteria {
    RankCriteria {
        covered: counted,
        boilerplate,
        in_query_lang: true,
        quality: MAX_FORM_QUALITY * counted,
        proximity: if phrase.len() >= 2 {
            Proximity::Phrase
        } else {
            Proximity::Apart
        },
        heading_words,
    }
}

/// Where a passage sits, for [`ShownHits`]: the tie-break of [`compare_candidates`] and the
/// section and document the caps count by.
fn hit_place(passage: &StoredPassage) -> HitPlace {
    HitPlace {
        source: passage.source.clone(),
        line: passage.line,
        passage: passage.passage,
        section: passage.section,
    }
}

/// Where a passage ranks: criteria 1–5 as one key, then BM25. Compared as a pair (issue 14):
/// folded into one `f32`, a key of many query words left no bits for BM25.
#[derive(Debug, Clone, Copy)]
struct RankScore {
    key: u64,
    bm25: f32,
}

/// A total order (BM25 by `total_cmp`), so that ranks can be queued ([`CeilingQueue`]).
impl Ord for RankScore {
    fn cmp(&self, other: &RankScore) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| self.bm25.total_cmp(&other.bm25))
    }
}

impl PartialOrd for RankScore {
    fn partial_cmp(&self, other: &RankScore) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RankScore {
    fn eq(&self, other: &RankScore) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RankScore {}

/// The score shown with a hit: the ranking key folded into one number that follows the rank
/// as far as an `f32` can tell (each criterion is weighted above every criterion after it can
/// add; `step` is above every candidate's BM25). Only shown, never compared.
fn score_of(rank: RankScore, step: f32) -> f32 {
    rank.key as f32 * step + rank.bm25
}

/// A whole number above every BM25 of `bm25`.
fn score_step(bm25: impl Iterator<Item = f32>) -> f32 {
    bm25.fold(0.0_f32, f32::max).ceil() + 1.0
}

/// What criteria 1–5 weigh.
#[derive(Debug, Clone, Copy)]
struct RankCriteria {
    covered: usize,
    boilerplate: bool,
    /// In the language the query is written in (issue 17).
    in_query_lang: bool,
    quality: usize,
    proximity: Proximity,
    heading_words: usize,
}

impl RankCriteria {
    /// Criteria 1–5 as one integer, most significant first; each criterion's slot is wider
    /// than its largest value, so no criterion can make up for the one before it. Monotone
    /// in each criterion, so a bound on each bounds the key.
    fn key(&self, words: usize) -> u64 {
        let words = words as u64;
        let max_quality = MAX_FORM_QUALITY as u64 * words;
        let covered = self.covered as u64;
        let content = u64::from(!self.boilerplate);
        let in_query_lang = u64::from(self.in_query_lang);
        let proximity = self.proximity as u64;
        let quality = self.quality as u64;
        let heading = self.heading_words as u64;
        ((((covered * 2 + content) * 2 + in_query_lang) * (max_quality + 1) + quality) * 3
            + proximity)
            * (words + 1)
            + heading
    }
}

/// Best first: by rank, then by source, line and passage ordinal, so that output is
/// deterministic.
fn compare_candidates(a: &Candidate, b: &Candidate) -> Ordering {
    best_first(a.rank, b.rank).then_with(|| place(&a.passage).cmp(&place(&b.passage)))
}

/// Where a passage is: its source, line and ordinal.
fn place(passage: &StoredPassage) -> (&str, u64, u64) {
    (&passage.source, passage.line, passage.passage)
}

/// The higher rank first.
fn best_first(a: RankScore, b: RankScore) -> Ordering {
    b.partial_cmp(&a).unwrap_or(Ordering::Equal)
}

/// Keeps at most `per_section` hits of one section, and `per_document` of one document, ahead
/// of hits from other sections and documents; the rest follow, in rank order. A document's
/// and a section's best passage always comes before the capped ones.
fn diversify(
    candidates: Vec<Candidate>,
    per_section: usize,
    per_document: usize,
) -> Vec<Candidate> {
    let capped: Vec<Option<Cap>> = {
        let mut caps = Caps::new(per_section, per_document);
        candidates
            .iter()
            .map(|candidate| {
                let passage = &candidate.passage;
                caps.take(passage.source.as_str(), passage.section)
            })
            .collect()
    };
    let (mut first, mut later) = (Vec::with_capacity(candidates.len()), Vec::new());
    for (mut candidate, cap) in candidates.into_iter().zip(capped) {
        candidate.capped = cap;
        match cap {
            None => first.push(candidate),
            Some(_) => later.push(candidate),
        }
    }
    first.extend(later);
    first
}

/// Which query word matched where and how, and the parts of the score.
fn explain(
    candidate: &Candidate,
    words: &[QueryWord],
    matcher: &WordMatcher,
    query_lang: Option<Lang>,
) -> Explain {
    let best = |index: usize, matches: &[WordMatch], text: &str, field: MatchField| {
        // As the ranking weighs them: whole words before a compound query word's parts.
        matches
            .iter()
            .filter(|m| m.word == index)
            .min_by_key(|m| (m.part.is_some(), m.form, m.edits))
            .map(|m| WordFound {
                form: m.form,
                field,
                matched: text[m.range.clone()].to_string(),
            })
    };
    let passage = &candidate.passage;
    let heading_text = passage.heading_text();
    let explained = words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let in_text = best(
                index,
                &candidate.text_matches,
                &passage.text,
                MatchField::Text,
            );
            let in_heading = best(
                index,
                &candidate.heading_matches,
                &heading_text,
                MatchField::Heading,
            );
            let found = match (in_text, in_heading) {
                (Some(text), Some(heading)) if heading.form < text.form => Some(heading),
                (Some(text), _) => Some(text),
                (None, heading) => heading,
            };
            ExplainWord {
                word: word.text.clone(),
                common: !matcher.counts(index) && !matcher.left_out_as_function_word(index),
                function_word: matcher.left_out_as_function_word(index),
                found,
            }
        })
        .collect();
    let criteria = &candidate.criteria;
    Explain {
        words: explained,
        covered: criteria.covered,
        of_words: counted_words(matcher, words.len()),
        quality: criteria.quality,
        boilerplate: criteria.boilerplate,
        proximity: criteria.proximity,
        heading_words: criteria.heading_words,
        bm25: candidate.bm25,
        capped: candidate.capped,
        query_lang,
        in_query_lang: criteria.in_query_lang,
    }
}

fn into_hit(rank: usize, candidate: Candidate, step: f32, explain: Option<Explain>) -> SearchHit {
    // The matches found for ranking, in text order, are the highlights.
    let snippet = make_snippet(&candidate.passage.text, &candidate.text_matches);
    SearchHit {
        rank,
        score: score_of(candidate.rank, step),
        passage: candidate.passage,
        snippet: snippet.text,
        highlights: snippet.highlights,
        highlight_start: snippet.first_highlight,
        explain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testing::build_index;
    use crate::search::{parse_user_query, plan};

    /// Issue 20: the ranking checks the deadline between candidates, so a search whose
    /// collection ended in time still stops once its time is up.
    #[test]
    fn r20_the_ranking_stops_between_candidates_once_the_deadline_passed() {
        let files: Vec<(String, String)> = (0..30)
            .map(|n| (format!("{n:03}.txt"), format!("Kommunen har en plan for beredskap, nummer {n}.\n\nVeien til skolen er lang og bratt, sier de.\n")))
            .collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (&a[..], &b[..])).collect();
        let (_corpus, index) = build_index(&files);
        let searcher = index.reader().unwrap().searcher();
        let parsed = parse_user_query("beredskap", &Lang::ALL).unwrap();
        let plan = plan::build_plan(&index, &searcher, &parsed, &Lang::ALL).unwrap();
        let (top, total) = top_candidates(
            &index,
            &searcher,
            plan.query.as_ref(),
            100,
            1,
            Deadline::NONE,
        )
        .unwrap();
        assert_eq!(total, 30);
        let mut options = RankOptions {
            limit: 10,
            per_section: 2,
            per_document: 3,
            explain: false,
            forms: &plan.forms,
            query_lang: plan.query_lang,
            threads: 1,
            deadline: Deadline::NONE,
        };
        let rank = |options: &RankOptions<'_>| {
            let mut ranking = Ranking::new(&index, &searcher, &parsed, &plan.forms, None);
            ranking
                .read_while_unsettled(top.clone(), options)
                .map(|read| read.len())
        };
        assert!(rank(&options).unwrap() >= 10);
        options.deadline = Deadline::at(std::time::Instant::now());
        assert!(matches!(rank(&options), Err(SearchError::TimedOut)));
    }
}
