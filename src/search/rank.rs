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
//! A candidate is only read from the store, and its text only analysed, while it can still
//! reach the hits shown (issue 5): its BM25, and its heading path and boilerplate flag (fast
//! fields), bound its score (every word found, in its best form and as the phrase); the
//! candidate of the highest bound is read next, and once the hits shown all score above every
//! bound left, the rest are left unread.

use super::expand::WordForms;
use super::matcher::{proximity, Proximity, WordMatch, WordMatcher, MAX_FORM_QUALITY};
use super::snippet::make_snippet;
use super::statistics::PerLanguageStatistics;
use super::{Explain, ExplainWord, ParsedQuery, QueryWord, SearchError, SearchHit, SearchResults};
use crate::index::schema::{heading_path_from_json, names};
use crate::index::{Fields, LeteIndex, StoredPassage};
use crate::lang::Lang;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DocAddress, Searcher, TantivyDocument};

/// BM25 candidates re-ranked per hit asked for, and at least this many: enough that a passage
/// with all the words is in the pool even when BM25 ranks it below partial matches (BM25
/// already rewards all words and the phrase). Each candidate is loaded and re-analysed, the
/// bulk of a query's time: 100 rather than 200 halved the warm p50 on the 100 MB bench index
/// (6.5 to 3.2 ms) with the dev and extra queries' ranks unchanged.
const CANDIDATES_PER_HIT: usize = 5;
const MIN_CANDIDATES: usize = 100;

/// What a ranking needs besides the query.
pub struct RankOptions<'a> {
    pub limit: usize,
    /// Most hits of one section before hits of other sections.
    pub per_section: usize,
    pub explain: bool,
    pub forms: &'a HashMap<Lang, Vec<WordForms>>,
}

/// A candidate passage with its stored fields and what the ranking found in it.
struct Candidate {
    bm25: f32,
    score: f32,
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
    text_matches: Vec<WordMatch>,
    heading_matches: Vec<WordMatch>,
    covered: usize,
    /// The query words found (whole, or a compound query word as all its parts).
    covered_words: BTreeSet<usize>,
    quality: usize,
    heading_words: usize,
    proximity: Proximity,
}

/// Collects, re-ranks and renders the best `limit` passages for `query`.
pub fn ranked_hits(
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
    let collector = (TopDocs::with_limit(pool).order_by_score(), Count);
    let statistics = PerLanguageStatistics::new(searcher, &index.fields)?;
    let (top, total) = searcher.search_with_statistics_provider(query, &collector, &statistics)?;
    let step = score_step(top.iter().map(|(bm25, _)| *bm25));
    let mut matchers = Matchers::new(&parsed.words, options.forms, index);
    let phrase = phrase_words(parsed);
    let words = parsed.words.len();
    let unread_key = unread_key(&mut matchers, &phrase, words);
    // Passages of one section share their heading path: each is analysed once.
    let mut headings: HashMap<(Lang, String), Vec<WordMatch>> = HashMap::new();
    let mut fast = FastFacts::new(searcher);
    // Refined keys by segment, heading path ordinal, language and boilerplate flag: most
    // candidates share their heading path with another, and an ordinal costs no dictionary
    // lookup.
    let mut heading_keys: HashMap<(u32, u64, Lang, bool), Option<u64>> = HashMap::new();
    // Each candidate's ceiling before it is read: every word that counts found as written, as
    // the phrase and in its heading path, with its BM25; its language and whether it is
    // boilerplate come from fast fields. Its heading path is looked at only when it comes up
    // (most candidates never do): then the words it holds, and the forms its language's
    // passages can hold, lower the ceiling.
    let mut unread: Vec<Unread> = top
        .into_iter()
        .map(|(bm25, address)| {
            let known = fast
                .ords(address)
                .and_then(|ords| Some((fast.lang(address.segment_ord, ords.lang)?, ords)));
            let key = match &known {
                Some((lang, ords)) => {
                    ceiling_key(matchers.get(*lang), words, &phrase, ords.boilerplate, None)
                }
                None => unread_key,
            };
            Unread {
                bm25,
                address,
                ceiling: score_of(key, step, bm25),
                refined: known.is_none(),
                known,
            }
        })
        .collect();
    // Highest BM25 first (as Tantivy gives them), so that of equal ceilings the first wins.
    unread.sort_by(|a, b| b.bm25.total_cmp(&a.bm25));
    let mut candidates: Vec<Candidate> = Vec::with_capacity(unread.len());
    while let Some(at) = highest_ceiling(&unread) {
        if settled(&candidates, options, unread[at].ceiling) {
            break;
        }
        let next = &mut unread[at];
        if !next.refined {
            // Its heading path's words (a compound query word's parts only drop out of the
            // heading when not all there, and then they cover nothing) and forms.
            next.refined = true;
            if let Some((lang, ords)) = next.known {
                let segment = next.address.segment_ord;
                let matcher = matchers.get(lang);
                let key = *heading_keys
                    .entry((segment, ords.heading, lang, ords.boilerplate))
                    .or_insert_with(|| {
                        let text = fast.heading_text(segment, ords.heading)?;
                        let heading = headings
                            .entry((lang, text))
                            .or_insert_with_key(|(_, text)| matcher.matches(text));
                        Some(ceiling_key(
                            matcher,
                            words,
                            &phrase,
                            ords.boilerplate,
                            Some(heading),
                        ))
                    });
                if let Some(key) = key {
                    next.ceiling = score_of(key, step, next.bm25);
                }
            }
            continue;
        }
        let next = unread.remove(at);
        let mut candidate = load_candidate(searcher, &index.fields, next.bm25, next.address)?;
        let matcher = matchers.get(candidate.lang);
        let heading_text = candidate.heading_path.join("\n");
        candidate.heading_matches = headings
            .entry((candidate.lang, heading_text))
            .or_insert_with_key(|(_, text)| matcher.matches(text))
            .clone();
        examine_text(&mut candidate, matcher, &phrase);
        candidate.score = score_of(rank_key(&candidate, words), step, candidate.bm25);
        // The bounds are what lets the rest go unread: every search in the tests checks them.
        debug_assert!(
            candidate.score <= next.ceiling,
            "a candidate scored above its ceiling ({} > {})",
            candidate.score,
            next.ceiling
        );
        candidates.push(candidate);
    }
    candidates.sort_by(compare_candidates);
    let candidates = diversify(candidates, options.per_section);
    let hits = candidates
        .into_iter()
        .take(options.limit)
        .enumerate()
        .map(|(position, candidate)| {
            let explain = options
                .explain
                .then(|| explain(&candidate, &parsed.words, matchers.get(candidate.lang)));
            into_hit(position + 1, candidate, explain)
        })
        .collect();
    Ok(SearchResults { total, hits })
}

/// One matcher per language met, built on first use from that language's expansions.
struct Matchers<'a> {
    words: &'a [QueryWord],
    forms: &'a HashMap<Lang, Vec<WordForms>>,
    index: &'a LeteIndex,
    by_lang: HashMap<Lang, WordMatcher>,
}

impl<'a> Matchers<'a> {
    fn new(
        words: &'a [QueryWord],
        forms: &'a HashMap<Lang, Vec<WordForms>>,
        index: &'a LeteIndex,
    ) -> Matchers<'a> {
        Matchers {
            words,
            forms,
            index,
            by_lang: HashMap::new(),
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
            WordMatcher::with_forms(lang, forms, Some(self.index.lexicon.clone()))
        })
    }
}

/// The query-word indexes of the implicit phrase (the top-level words, in order).
fn phrase_words(parsed: &ParsedQuery) -> Vec<usize> {
    parsed
        .free_words
        .iter()
        .filter_map(|free| {
            parsed
                .words
                .iter()
                .position(|word| !word.prefix && word.text == *free)
        })
        .collect()
}

/// A candidate not yet read: its BM25, where it is, and the most its score can be.
struct Unread {
    bm25: f32,
    address: DocAddress,
    ceiling: f32,
    /// Its language and fast-field ordinals, when its segment has the columns.
    known: Option<(Lang, FastOrds)>,
    /// Whether `ceiling` counts its actual heading words (or can be no closer).
    refined: bool,
}

/// The position in `unread` of the candidate with the highest ceiling (the first of equals).
fn highest_ceiling(unread: &[Unread]) -> Option<usize> {
    let mut highest: Option<usize> = None;
    for (position, candidate) in unread.iter().enumerate() {
        if highest.is_none_or(|best| candidate.ceiling > unread[best].ceiling) {
            highest = Some(position);
        }
    }
    highest
}

/// What a passage's fast fields tell before it is read from the store: its language, its
/// heading path (as the matcher reads it) and whether it is boilerplate. With them a
/// candidate's ceiling is as tight as reading it would make it, so only the candidates that
/// can still reach the hits shown are read (issue 5: with one ceiling for every unread
/// candidate, a search read all 100 nearly every time).
struct FastFacts<'a> {
    searcher: &'a Searcher,
    /// By segment ordinal; `None` where a column is missing (then the loose bound applies).
    columns: HashMap<u32, Option<FastColumns>>,
}

struct FastColumns {
    lang: StrColumn,
    heading_path: StrColumn,
    boilerplate: Column<u64>,
    /// Languages by ordinal, as read.
    langs: HashMap<u64, Option<Lang>>,
}

/// A passage's language and heading path as ordinals in its segment's columns, and whether it
/// is boilerplate.
#[derive(Clone, Copy)]
struct FastOrds {
    lang: u64,
    heading: u64,
    boilerplate: bool,
}

impl<'a> FastFacts<'a> {
    fn new(searcher: &'a Searcher) -> FastFacts<'a> {
        FastFacts {
            searcher,
            columns: HashMap::new(),
        }
    }

    fn ords(&mut self, address: DocAddress) -> Option<FastOrds> {
        let searcher = self.searcher;
        let columns = self
            .columns
            .entry(address.segment_ord)
            .or_insert_with(|| {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                Some(FastColumns {
                    lang: fast.str(names::LANG).ok()??,
                    heading_path: fast.str(names::HEADING_PATH).ok()??,
                    boilerplate: fast.u64(names::BOILERPLATE).ok()?,
                    langs: HashMap::new(),
                })
            })
            .as_ref()?;
        let doc = address.doc_id;
        Some(FastOrds {
            lang: columns.lang.term_ords(doc).next()?,
            heading: columns.heading_path.term_ords(doc).next()?,
            boilerplate: columns.boilerplate.first(doc)? != 0,
        })
    }

    /// The language of ordinal `ord` in segment `segment`.
    fn lang(&mut self, segment: u32, ord: u64) -> Option<Lang> {
        let columns = self.columns.get_mut(&segment)?.as_mut()?;
        let column = &columns.lang;
        *columns.langs.entry(ord).or_insert_with(|| {
            let mut text = String::new();
            column.ord_to_str(ord, &mut text).ok()?.then_some(())?;
            text.parse().ok()
        })
    }

    /// The heading path of ordinal `ord` in segment `segment`, as the matcher reads it (one
    /// heading a line).
    fn heading_text(&self, segment: u32, ord: u64) -> Option<String> {
        let columns = self.columns.get(&segment)?.as_ref()?;
        let mut text = String::new();
        columns
            .heading_path
            .ord_to_str(ord, &mut text)
            .ok()?
            .then_some(())?;
        Some(heading_path_from_json(&text).join("\n"))
    }
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
    RankFacts {
        quality: matcher.best_quality(heading),
        ..best_facts(counted, boilerplate, phrase, heading_words)
    }
    .key(words)
}

/// The highest key a passage not yet read can have: every word found, in its best form, as
/// the phrase and in its heading, in the language that counts the most words.
fn unread_key(matchers: &mut Matchers<'_>, phrase: &[usize], words: usize) -> u64 {
    let counted = Lang::ALL
        .iter()
        .map(|&lang| counted_words(matchers.get(lang), words))
        .max()
        .unwrap_or(words);
    best_facts(counted, false, phrase, counted).key(words)
}

/// How many of the query's words count in a passage the matcher reads.
fn counted_words(matcher: &WordMatcher, words: usize) -> usize {
    (0..words).filter(|&index| matcher.counts(index)).count()
}

/// The best criteria a passage can meet with `counted` words that count.
fn best_facts(
    counted: usize,
    boilerplate: bool,
    phrase: &[usize],
    heading_words: usize,
) -> RankFacts {
    RankFacts {
        covered: counted,
        boilerplate,
        quality: MAX_FORM_QUALITY * counted,
        proximity: if phrase.len() >= 2 {
            Proximity::Phrase
        } else {
            Proximity::Apart
        },
        heading_words,
    }
}

/// Finds the query words in the candidate's text, and with those of its heading path
/// (found first, for its ceiling) what the ranking weighs.
fn examine_text(candidate: &mut Candidate, matcher: &WordMatcher, phrase: &[usize]) {
    candidate.text_matches = matcher.matches(&candidate.text);
    let mut all = candidate.text_matches.clone();
    all.extend(candidate.heading_matches.iter().cloned());
    candidate.covered_words = matcher.covered(&all);
    candidate.covered = matcher.counted(&candidate.covered_words);
    // A lone part of a compound query word found without its other parts is no match: not
    // highlighted, not explained.
    let counted = |m: &WordMatch| m.part.is_none() || candidate.covered_words.contains(&m.word);
    candidate.text_matches.retain(counted);
    candidate.heading_matches.retain(counted);
    candidate.quality = matcher.quality(&all);
    candidate.heading_words = matcher.counted(&matcher.covered(&candidate.heading_matches));
    candidate.proximity = proximity(phrase, &candidate.text_matches)
        .max(proximity(phrase, &candidate.heading_matches));
}

/// Whether the hits shown are known: the first `limit` of the examined candidates, after
/// diversity, all score above `next_ceiling`, the bound of every candidate not examined. A
/// candidate not examined then sorts after them whatever its score, so it neither shows nor
/// takes a section's place from one that does.
fn settled(examined: &[Candidate], options: &RankOptions<'_>, next_ceiling: f32) -> bool {
    if options.limit == 0 {
        return true;
    }
    // Only candidates above the bound can settle the hits, and they sort first.
    let mut above: Vec<&Candidate> = examined
        .iter()
        .filter(|candidate| candidate.score > next_ceiling)
        .collect();
    if above.len() < options.limit {
        return false;
    }
    above.sort_by(|a, b| compare_candidates(a, b));
    let mut taken: HashMap<(&str, u64), usize> = HashMap::new();
    let mut shown = 0;
    for candidate in above {
        let count = taken
            .entry((candidate.source.as_str(), candidate.section))
            .or_default();
        if *count < options.per_section {
            *count += 1;
            shown += 1;
            if shown == options.limit {
                return true;
            }
        }
    }
    false
}

/// The score is the ranking key folded into one number that stays monotone with the rank:
/// each criterion is weighted above every criterion after it can add. `step` is above every
/// candidate's BM25.
fn score_of(key: u64, step: f32, bm25: f32) -> f32 {
    key as f32 * step + bm25
}

fn score_step(bm25: impl Iterator<Item = f32>) -> f32 {
    bm25.fold(0.0_f32, f32::max).ceil() + 1.0
}

/// What criteria 1–5 weigh.
struct RankFacts {
    covered: usize,
    boilerplate: bool,
    quality: usize,
    proximity: Proximity,
    heading_words: usize,
}

impl RankFacts {
    /// Criteria 1–5 as one integer, most significant first; each criterion's slot is wider
    /// than its largest value, so no criterion can make up for the one before it. Monotone
    /// in each criterion, so a bound on each bounds the key.
    fn key(&self, words: usize) -> u64 {
        let words = words as u64;
        let max_quality = MAX_FORM_QUALITY as u64 * words;
        let covered = self.covered as u64;
        let content = u64::from(!self.boilerplate);
        let proximity = self.proximity as u64;
        let quality = self.quality as u64;
        let heading = self.heading_words as u64;
        (((covered * 2 + content) * (max_quality + 1) + quality) * 3 + proximity) * (words + 1)
            + heading
    }
}

fn rank_key(candidate: &Candidate, words: usize) -> u64 {
    RankFacts {
        covered: candidate.covered,
        boilerplate: candidate.boilerplate,
        quality: candidate.quality,
        proximity: candidate.proximity,
        heading_words: candidate.heading_words,
    }
    .key(words)
}

fn compare_candidates(a: &Candidate, b: &Candidate) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.source.cmp(&b.source))
        .then_with(|| a.line.cmp(&b.line))
        .then_with(|| a.passage.cmp(&b.passage))
}

/// Keeps at most `per_section` hits of one section ahead of hits from other sections; the
/// rest follow, in rank order.
fn diversify(candidates: Vec<Candidate>, per_section: usize) -> Vec<Candidate> {
    let mut taken: HashMap<(String, u64), usize> = HashMap::new();
    let mut first = Vec::with_capacity(candidates.len());
    let mut later = Vec::new();
    for candidate in candidates {
        let count = taken
            .entry((candidate.source.clone(), candidate.section))
            .or_default();
        if *count < per_section {
            *count += 1;
            first.push(candidate);
        } else {
            later.push(candidate);
        }
    }
    first.extend(later);
    first
}

fn load_candidate(
    searcher: &Searcher,
    fields: &Fields,
    bm25: f32,
    address: DocAddress,
) -> Result<Candidate, SearchError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let stored = StoredPassage::from_doc(fields, &doc);
    Ok(Candidate {
        bm25,
        score: bm25,
        source: stored.source,
        heading_path: stored.heading_path,
        lang: stored.lang,
        line: stored.line,
        text: stored.text,
        section: stored.section,
        passage: stored.passage,
        boilerplate: stored.boilerplate,
        byte_range: stored.byte_range,
        title: stored.title,
        heading: stored.heading,
        text_matches: Vec::new(),
        heading_matches: Vec::new(),
        covered: 0,
        covered_words: BTreeSet::new(),
        quality: 0,
        heading_words: 0,
        proximity: Proximity::Apart,
    })
}

/// Which query word matched where and how, and the parts of the score.
fn explain(candidate: &Candidate, words: &[QueryWord], matcher: &WordMatcher) -> Explain {
    let best = |index: usize, matches: &[WordMatch], text: &str| {
        // As the ranking weighs them: whole words before a compound query word's parts.
        matches
            .iter()
            .filter(|m| m.word == index)
            .min_by_key(|m| (m.part.is_some(), m.form, m.edits))
            .map(|m| (m.form, text[m.range.clone()].to_string()))
    };
    let heading_text = candidate.heading_path.join("\n");
    let explained = words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            let in_text = best(index, &candidate.text_matches, &candidate.text);
            let in_heading = best(index, &candidate.heading_matches, &heading_text);
            let (field, found) = match (in_text, in_heading) {
                (Some(text), Some(heading)) if heading.0 < text.0 => ("heading", Some(heading)),
                (Some(text), _) => ("text", Some(text)),
                (None, Some(heading)) => ("heading", Some(heading)),
                (None, None) => ("", None),
            };
            ExplainWord {
                common: !matcher.counts(index),
                word: word.text.clone(),
                form: found.as_ref().map(|(form, _)| form.name().to_string()),
                field: found.as_ref().map(|_| field.to_string()),
                matched: found.map(|(_, matched)| matched),
            }
        })
        .collect();
    Explain {
        words: explained,
        covered: candidate.covered,
        of_words: (0..words.len())
            .filter(|&index| matcher.counts(index))
            .count(),
        quality: candidate.quality,
        boilerplate: candidate.boilerplate,
        proximity: candidate.proximity.name().to_string(),
        heading_words: candidate.heading_words,
        bm25: candidate.bm25,
    }
}

fn into_hit(rank: usize, candidate: Candidate, explain: Option<Explain>) -> SearchHit {
    // The matches found for ranking, in text order, are the highlights.
    let snippet = make_snippet(&candidate.text, &candidate.text_matches);
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
        explain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{open_fresh, OpenOptions};

    /// The ceilings are sound only if the fast fields tell what the stored passage says.
    #[test]
    fn fast_fields_give_each_passage_s_stored_language_heading_and_boilerplate() {
        // The bundled corpus through the real pipeline: nested headings, and a scraped list
        // of titles that is boilerplate.
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let index_dir = dir.path().join("index");
        let index = open_fresh(&corpus, &index_dir, &OpenOptions::default())
            .expect("build")
            .index;
        let searcher = index.reader().expect("reader").searcher();
        let mut fast = FastFacts::new(&searcher);
        let mut headings = Vec::new();
        let mut boilerplate = false;
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in 0..segment.max_doc() {
                let address = DocAddress::new(segment_ord as u32, doc_id);
                let stored = load_candidate(&searcher, &index.fields, 1.0, address).expect("doc");
                let ords = fast.ords(address).expect("fast ordinals");
                assert_eq!(fast.lang(address.segment_ord, ords.lang), Some(stored.lang));
                assert_eq!(
                    fast.heading_text(address.segment_ord, ords.heading),
                    Some(stored.heading_path.join("\n"))
                );
                assert_eq!(ords.boilerplate, stored.boilerplate);
                boilerplate |= stored.boilerplate;
                headings.push(stored.heading_path.join("\n"));
            }
        }
        assert!(headings.len() >= 100, "{}", headings.len());
        assert!(headings.iter().any(|path| path.lines().count() >= 2));
        assert!(boilerplate, "the scraped list of titles is boilerplate");
    }
}
