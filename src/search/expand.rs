//! Query words and the index terms they match, by form: the word's stem, its Scandinavian
//! spellings, the word as a compound part, the word's own parts, near spellings (typos and
//! OCR damage) and, for `word*`, every term it begins.
//!
//! Expansion looks at the index, so a variant only enters the query where some passage has
//! it, and a fuzzy expansion is only made for a word with no exact, folded or compound-part
//! match in that language's passages ([`add_fuzzy`]).

use super::parse::QueryWord;
use super::SearchError;
use crate::analysis::fold::{
    cross_language_variants, differs_only_in_scandinavian_letters, fold_variants,
    typed_without_scandinavian_letters,
};
use crate::analysis::nynorsk;
use crate::analysis::{
    derivation_candidates, is_function_word, is_function_word_term, stem_word, CompoundSplitter,
    PART_MARKER,
};
use crate::lang::Lang;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};
use tantivy::schema::{Field, Term};
use tantivy::Searcher;
use tantivy_fst::Automaton;

/// How a passage word matched a query word, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// The word as typed (case aside).
    Exact,
    /// Another inflection: the same stem.
    Stem,
    /// Another spelling of æ, ø, å (`velfaerd` for `velfærd`), or the Danish `æ` for a
    /// Norwegian `e` (`ældre` for `eldre`: issue 15).
    Folded,
    /// The word in the other written Norwegian: nynorsk for bokmål or bokmål for nynorsk
    /// (`samspill` for `samspel`, `skule` for `skole`: issue 17).
    Nynorsk,
    /// A part of a compound (`beredskap` in `samfunnsberedskap`), or a compound query word
    /// found as its parts.
    Compound,
    /// A word derived from it, or that it is derived from (`strategisk` for `strategi`,
    /// `digital` for `digitalisering`: issue 17), also for a part of a compound query word.
    Derived,
    /// Within a small edit distance: a typo or a damaged letter (`konomiaftalen`).
    Fuzzy,
    /// A word the query's `word*` begins.
    Prefix,
}

impl Form {
    /// The name `--explain` shows.
    pub fn name(self) -> &'static str {
        match self {
            Form::Exact => "exact",
            Form::Stem => "stem",
            Form::Folded => "folded",
            Form::Nynorsk => "nynorsk",
            Form::Compound => "compound",
            Form::Derived => "derived",
            Form::Fuzzy => "fuzzy",
            Form::Prefix => "prefix",
        }
    }
}

/// Weights of the forms in the query, relative to the stem (1.0): every other form ranks
/// just below a real match of the word.
pub(crate) const FOLDED_BOOST: f32 = 0.8;
pub(crate) const NYNORSK_BOOST: f32 = 0.9;
pub(crate) const PART_BOOST: f32 = 0.6;
pub(crate) const SPLIT_BOOST: f32 = 0.5;
pub(crate) const DERIVED_BOOST: f32 = 0.5;
pub(crate) const FUZZY_BOOST: [f32; 2] = [0.5, 0.35];
pub(crate) const PREFIX_BOOST: f32 = 0.8;

/// Words shorter than this are never matched fuzzily (too many near neighbours).
const MIN_FUZZY_CHARS: usize = 5;
/// Stems shorter than this are never matched fuzzily (`bør`, `fæl`: everything is near).
const MIN_FUZZY_STEM_CHARS: usize = 3;
/// Stems shorter than this are matched fuzzily only in their folded spelling, for a damaged
/// æ, ø or å (`sær` as `seer` in the Danish OCR file): `fib`, the stem of `fiber`, was one
/// edit from `fil` and `fir` (of `fire`: issue 15).
const MIN_PLAIN_FUZZY_STEM_CHARS: usize = 4;
/// Words this long may be two edits away.
const TWO_EDITS_CHARS: usize = 9;
/// Most terms one fuzzy or prefix word expands to.
pub(super) const MAX_EXPANSIONS: usize = 50;

/// One query word's terms under one language's analyzer (field-less; the plan puts them in
/// each field searched).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct WordForms {
    /// The word lowercased, as typed.
    pub word: String,
    pub prefix: bool,
    pub stem: String,
    /// Stems of other spellings (`frisaet` for `frisættelse`, in Danish passages `ældr` for
    /// `eldre`), found in the index.
    pub folded: Vec<String>,
    /// Stems of the word's spellings in the other written Norwegian, found in the index
    /// (`samspill` for `samspel`; only for bokmål and nynorsk).
    pub nynorsk: Vec<String>,
    /// Whether these are bokmål passages, which hold only the word's counterpart, while the
    /// nynorsk ones hold it as written or inflected: the word is then nynorsk, and its
    /// counterpart here ranks as another spelling, below it (issue 15: `handtere` ranked the
    /// bokmål `håndtere` above the nynorsk document that has the word).
    pub counterpart_only: bool,
    /// Whether the word's stem is a function word's (`mot` of `mote`) and the word was found
    /// with `ø` or `å` for its plain letters (`møte`): a passage word that only shares the stem
    /// then ranks below that spelling; the word as written still ranks first (issue 15).
    pub stem_of_function_word: bool,
    /// Stems (of the word, and of its other spellings) that some compound in the index has
    /// as a part (indexed as `+stem`).
    pub parts: Vec<String>,
    /// Terms of longer words that begin with the word as typed, or end with its stem, as a
    /// compound part the lexicon could not split off (`budsjettjustering` for `budsjett` in a
    /// small folder: issue 15).
    pub holders: Vec<String>,
    /// Stems of the word's own compound parts (`klima`, `endring` for `klimaendringer`).
    pub split: Vec<String>,
    /// Stems derived from the word, or that it derives from, found in the index (issue 17).
    pub derived: Vec<String>,
    /// Per part of `split`, the stems derived from it found in the index, as words or parts.
    pub split_derived: Vec<Vec<String>>,
    /// Terms within the edit distance, with the distance, when nothing closer matched.
    pub fuzzy: Vec<(String, u8)>,
    /// Terms the prefix begins (for `word*`), compound parts included.
    pub prefixed: Vec<String>,
    /// Whether the index has the word as itself, folded or as a compound part.
    pub found: bool,
    /// Whether this language's passages are known to lack the word's stem: then none holds
    /// the word as written or inflected, and its best form in them is another spelling or a
    /// compound part (issue 5: this bounds a candidate's rank before it is read). False when
    /// not looked up.
    pub stem_absent: bool,
    /// Whether the word is in a large share of this language's passages (a function word):
    /// it then does not count in the ranking's word counts.
    pub common: bool,
    /// Whether the word is a function word (`hvordan`, `kva`, `hvad`: issue 17) of a language
    /// searched: it then does not count in the ranking's word counts either.
    pub function_word: bool,
}

impl WordForms {
    /// Whether the word says how the query is asked rather than what it is about: a common
    /// word or a function word, left out of the word counts unless the query has nothing else.
    pub(crate) fn is_filler(&self) -> bool {
        self.common || self.function_word
    }

    /// The word without looking at an index: its stem only (tests, and words of languages
    /// not searched).
    pub(crate) fn bare(lang: Lang, word: &QueryWord) -> WordForms {
        WordForms {
            stem: if word.prefix {
                word.lowercase.clone()
            } else {
                word.stem(lang).to_string()
            },
            word: word.lowercase.clone(),
            prefix: word.prefix,
            ..WordForms::default()
        }
    }
}

/// Expands `word` for `lang`, looking up terms in `fields` (that language's text and
/// heading fields).
pub(crate) fn expand(
    searcher: &Searcher,
    fields: &[Field],
    lang: Lang,
    word: &QueryWord,
    lexicon: &CompoundSplitter,
) -> Result<WordForms, SearchError> {
    let mut forms = WordForms::bare(lang, word);
    let present = |term: &str| -> Result<bool, SearchError> {
        for &field in fields {
            if searcher.doc_freq(&Term::from_field_text(field, term))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    };
    // The many candidate spellings of issue 17 (nynorsk forms, derivations) are looked up in
    // the text field alone: a word only a heading holds is rare, and each lookup is one per
    // segment.
    let in_text = |term: &str| -> Result<bool, SearchError> {
        match fields.first() {
            Some(&text) => Ok(searcher.doc_freq(&Term::from_field_text(text, term))? > 0),
            None => Ok(false),
        }
    };
    if word.prefix {
        // Terms are stems: besides the terms the typed prefix begins, its own shorter forms
        // down to its stem are looked up, so that `kommune*` reaches `kommun` (of kommuner,
        // kommunen) and `barnevernet*` the stem `barnevern`; `kommunal` is not among them.
        let typed = forms.word.clone();
        let stem_chars = word.stem(lang).chars().count();
        let shorter: Vec<String> = typed
            .char_indices()
            .map(|(at, _)| typed[..at].to_string())
            .filter(|head| head.chars().count() >= stem_chars.max(1))
            .collect();
        let mut prefixed = Vec::new();
        for marker in ["", "+"] {
            let mut terms = BTreeSet::new();
            prefixed_terms(searcher, fields, &format!("{marker}{typed}"), &mut terms)?;
            for head in &shorter {
                let term = format!("{marker}{head}");
                if present(&term)? {
                    terms.insert(term);
                }
            }
            prefixed.extend(terms);
        }
        forms.prefixed = prefixed;
        forms.found = !forms.prefixed.is_empty();
        return Ok(forms);
    }
    let mut spellings = vec![forms.stem.clone()];
    let mut variants = fold_variants(&forms.word);
    variants.extend(cross_language_variants(&forms.word, lang));
    forms.folded = new_spellings(variants, lang, &mut spellings, present)?;
    forms.stem_absent = !present(&forms.stem)?;
    if matches!(lang, Lang::Nb | Lang::Nn) {
        let counterparts = nynorsk::counterparts(&forms.word);
        forms.nynorsk = new_spellings(counterparts, lang, &mut spellings, in_text)?;
    }
    // After the other standard's spellings: `handtere` is the nynorsk word, not `håndtere`
    // typed without `å`.
    if may_be_typed_without_scandinavian_letters(lang, &forms) {
        let typed = typed_without_scandinavian_letters(&forms.word);
        let found = new_spellings(typed, lang, &mut spellings, present)?;
        forms.stem_of_function_word = !found.is_empty() && is_function_word_term(lang, &forms.stem);
        forms.folded.extend(found);
    }
    for spelling in &spellings {
        if present(&format!("{PART_MARKER}{spelling}"))? {
            forms.parts.push(spelling.clone());
        }
    }
    // Only for a word the index holds as no compound's part: where it holds `+word`, the
    // lexicon splits the word off, and a look through every term the word begins (and a split
    // of each) cost 0.15 to 1 ms a word on the 100 MB bench index (session 26).
    if forms.parts.is_empty() {
        forms.holders = begun_compounds(searcher, fields, lang, &forms, lexicon)?;
    }
    forms.split = lexicon
        .query_parts(lang, &forms.word)
        .iter()
        .map(|part| stem_word(lang, part))
        .collect();
    forms.derived = derivations(&forms.stem, lang, &spellings, in_text)?;
    forms.split_derived = forms
        .split
        .iter()
        .map(|part| {
            derivations(part, lang, std::slice::from_ref(part), |term| {
                Ok(in_text(term)? || in_text(&format!("{PART_MARKER}{term}"))?)
            })
        })
        .collect::<Result<_, _>>()?;
    forms.found = !forms.stem_absent
        || !forms.folded.is_empty()
        || !forms.nynorsk.is_empty()
        || !forms.parts.is_empty()
        || !forms.holders.is_empty();
    forms.common = is_common(searcher, fields, lang, &forms.stem)?;
    Ok(forms)
}

/// Whether the word may be typed without æ, ø, å (`okonomi`, `mote`), its spellings with them
/// to be looked up: a content word the index lacks, or whose stem is only a function word's
/// (`mot`, the stem of `mote`, is the preposition's: the folder's `mot` says nothing of
/// `mote`). A word the folder has (`maling` beside `måling`) is taken as typed.
fn may_be_typed_without_scandinavian_letters(lang: Lang, forms: &WordForms) -> bool {
    forms.word.chars().count() >= MIN_PLAIN_TYPED_CHARS
        && !is_function_word(lang, &forms.word)
        && (forms.stem_absent || is_function_word_term(lang, &forms.stem))
}

/// Words shorter than this are not tried with æ, ø, å (`for` is not `før`, `na` not `nå`).
const MIN_PLAIN_TYPED_CHARS: usize = 4;

/// The terms of `fields` that begin with the word as typed, as the first part of a compound
/// the lexicon could not split ([`WordForms::holders`]): the dictionary's range of the word.
/// Those that end with its stem need a walk of the whole dictionary, made with the walk for
/// near spellings ([`add_fuzzy`]).
fn begun_compounds(
    searcher: &Searcher,
    fields: &[Field],
    lang: Lang,
    forms: &WordForms,
    lexicon: &CompoundSplitter,
) -> Result<Vec<String>, SearchError> {
    let mut begun = BTreeSet::new();
    prefixed_terms(searcher, fields, &forms.word, &mut begun)?;
    Ok(begun
        .into_iter()
        .filter(|term| {
            lexicon.begins_compound(lang, term, &forms.word)
                && !split_holds(lexicon, lang, term, forms)
        })
        .collect())
}

/// Whether the lexicon's own split of `term` has the word as a part: the index then holds it
/// as one (`+stem`), found in [`WordForms::parts`], and the whole term would only count the
/// same word again, as a rarer term.
fn split_holds(lexicon: &CompoundSplitter, lang: Lang, term: &str, forms: &WordForms) -> bool {
    lexicon
        .split_shared(lang, term)
        .iter()
        .any(|part| part == &forms.word || stem_word(lang, part) == forms.stem)
}

/// How many terms the dictionaries of `fields` hold, over all segments.
fn dictionary_terms(searcher: &Searcher, fields: &[Field]) -> Result<usize, SearchError> {
    let mut terms = 0;
    for segment in searcher.segment_readers() {
        for &field in fields {
            terms += segment.inverted_index(field)?.terms().num_terms();
        }
    }
    Ok(terms)
}

/// The stems of `variants` (other spellings of a word) not among `spellings` yet, each added
/// to them; those `present` holds are returned.
fn new_spellings(
    variants: impl IntoIterator<Item = String>,
    lang: Lang,
    spellings: &mut Vec<String>,
    present: impl Fn(&str) -> Result<bool, SearchError>,
) -> Result<Vec<String>, SearchError> {
    let mut found = Vec::new();
    for variant in variants {
        let stem = stem_word(lang, &variant);
        if spellings.contains(&stem) {
            continue;
        }
        spellings.push(stem.clone());
        if present(&stem)? {
            found.push(stem);
        }
    }
    Ok(found)
}

/// The stems derived from `stem`, or that it is derived from, for which `present` holds,
/// leaving out `known` spellings.
fn derivations(
    stem: &str,
    lang: Lang,
    known: &[String],
    mut present: impl FnMut(&str) -> Result<bool, SearchError>,
) -> Result<Vec<String>, SearchError> {
    let mut found: Vec<String> = Vec::new();
    let mut tried: Vec<String> = known.to_vec();
    for candidate in derivation_candidates(stem) {
        let derived = stem_word(lang, &candidate);
        if tried.contains(&derived) {
            continue;
        }
        tried.push(derived.clone());
        if present(&derived)? {
            found.push(derived);
        }
    }
    Ok(found)
}

/// Adds the near spellings of a word that one language's passages lack in every other form
/// (a word they have, as itself, another spelling or a compound part, is not also matched
/// fuzzily: `beredskap` must not bring in `redskap`). A small dictionary is walked for them,
/// and the same walk finds the compounds that end with the word (`ventilasjonsanlegg` for
/// `anlegg` in a small folder: issue 15): a word found so is a compound part, not a near
/// spelling. A word `found_elsewhere` (in another language's passages) keeps only the near
/// spellings that differ from it in a damaged æ, ø or å (`gkonomiske` in the Danish OCR file).
pub(crate) fn add_fuzzy(
    searcher: &Searcher,
    fields: &[Field],
    lang: Lang,
    forms: &mut WordForms,
    automata: &mut FuzzyAutomata,
    lexicon: &CompoundSplitter,
    found_elsewhere: bool,
) -> Result<(), SearchError> {
    // Words of 5–8 letters may be one edit away, longer words two; but the stem is what is
    // compared, and a short stem allows one edit per three letters: `spørrende` (9 letters)
    // is the stem `spørr`, which two edits would take to `gjør` and `bør`.
    let word_chars = forms.word.chars().count();
    let stem_chars = forms.stem.chars().count();
    if forms.prefix || word_chars < MIN_FUZZY_CHARS || stem_chars < MIN_FUZZY_STEM_CHARS {
        return Ok(());
    }
    let by_word = if word_chars >= TWO_EDITS_CHARS { 2 } else { 1 };
    let distance = by_word.min((stem_chars / 3).max(1) as u8);
    let mut ended = Vec::new();
    let mut near = fuzzy_terms(searcher, fields, forms, distance, automata, &mut ended)?;
    ended.retain(|term| {
        lexicon.ends_compound(lang, term, &forms.stem) && !split_holds(lexicon, lang, term, forms)
    });
    if !ended.is_empty() {
        ended.truncate(MAX_EXPANSIONS);
        forms.holders.extend(ended);
        forms.found = true;
        return Ok(());
    }
    // A function word is near many short words (`skole`, `skal`): never a fuzzy match, whether
    // it is on the language's list or common in its passages (a small corpus has few).
    let mut kept = Vec::with_capacity(near.len());
    for (term, edits) in near.drain(..) {
        if found_elsewhere && !differs_only_in_scandinavian_letters(&forms.stem, &term) {
            continue;
        }
        if !is_function_word_term(lang, &term) && !is_common(searcher, fields, lang, &term)? {
            kept.push((term, edits));
        }
    }
    forms.fuzzy = kept;
    Ok(())
}

/// A word in more than this share of a language's passages is common.
const COMMON_SHARE: f64 = 0.3;
/// Below this many passages of a language, shares say little: no word is common.
const MIN_PASSAGES_FOR_COMMON: u64 = 10;

/// Whether `stem` is in more than [`COMMON_SHARE`] of the passages of `lang` (the text field
/// is `fields[0]`).
fn is_common(
    searcher: &Searcher,
    fields: &[Field],
    lang: Lang,
    stem: &str,
) -> Result<bool, SearchError> {
    let Some(&text) = fields.first() else {
        return Ok(false);
    };
    let schema = searcher.schema();
    let Ok(lang_field) = schema.get_field(crate::index::schema::names::LANG) else {
        return Ok(false);
    };
    let passages = searcher.doc_freq(&Term::from_field_text(lang_field, lang.code()))?;
    if passages < MIN_PASSAGES_FOR_COMMON {
        return Ok(false);
    }
    let holding = searcher.doc_freq(&Term::from_field_text(text, stem))?;
    Ok(holding as f64 > COMMON_SHARE * passages as f64)
}

/// Terms of `fields` starting with `prefix`: all of them, or the [`MAX_EXPANSIONS`] that
/// most passages hold (ties alphabetical). Every segment's dictionary is read whole before
/// choosing: the first 50 in one segment's alphabet made a prefix's words, and its hits,
/// depend on how the index was cut into segments (`sk*` matched 31,840 passages in two
/// segments and 9,952 in one, break trial of session 26), and `a*` left out `at` and `av`.
pub(crate) fn prefixed_terms(
    searcher: &Searcher,
    fields: &[Field],
    prefix: &str,
    out: &mut BTreeSet<String>,
) -> Result<(), SearchError> {
    let mut passages: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                if let Ok(term) = std::str::from_utf8(key) {
                    let holding = u64::from(stream.value().doc_freq);
                    *passages.entry(term.to_string()).or_default() += holding;
                }
            }
        }
    }
    let mut terms: Vec<(String, u64)> = passages.into_iter().collect();
    terms.sort_by(|(a, a_passages), (b, b_passages)| b_passages.cmp(a_passages).then(a.cmp(b)));
    out.extend(terms.into_iter().take(MAX_EXPANSIONS).map(|(term, _)| term));
    Ok(())
}

/// Whole-word terms of `fields` within `distance` edits of the stem or of its folded
/// spelling, nearest first. A dictionary small enough to walk is walked, and the longer
/// whole-word terms that end with the stem are put in `ended` on the way.
fn fuzzy_terms(
    searcher: &Searcher,
    fields: &[Field],
    forms: &WordForms,
    distance: u8,
    automata: &mut FuzzyAutomata,
    ended: &mut Vec<String>,
) -> Result<Vec<(String, u8)>, SearchError> {
    let mut targets = Vec::new();
    if forms.stem.chars().count() >= MIN_PLAIN_FUZZY_STEM_CHARS {
        targets.push(forms.stem.clone());
    }
    let folded = crate::analysis::fold::fold(&forms.stem);
    if folded != forms.stem {
        targets.push(folded);
    }
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: Vec<(String, u8)> = Vec::new();
    let mut note = |term: &str, edits: u8| {
        if term.starts_with(PART_MARKER) || term == forms.stem {
            return;
        }
        match found.iter_mut().find(|(known, _)| known == term) {
            Some(entry) => entry.1 = entry.1.min(edits),
            None => found.push((term.to_string(), edits)),
        }
    };
    // A small dictionary is cheaper to walk than an automaton is to build (about a
    // millisecond for two edits, paid by every `lete search` process).
    if dictionary_terms(searcher, fields)? <= SCAN_TERMS {
        let targets: Vec<Vec<char>> = targets.iter().map(|t| t.chars().collect()).collect();
        for segment in searcher.segment_readers() {
            for &field in fields {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if term.len() > forms.stem.len()
                        && term.ends_with(forms.stem.as_str())
                        && !term.starts_with(PART_MARKER)
                        && !ended.iter().any(|known| known == term)
                    {
                        ended.push(term.to_string());
                    }
                    let best = targets
                        .iter()
                        .filter_map(|target| bounded_edits(target, term, distance))
                        .min();
                    if let Some(edits) = best {
                        note(term, edits);
                    }
                }
            }
        }
    } else {
        for group in targets.chunks(MAX_JOINED_AUTOMATA) {
            let automaton = JoinedAutomata(
                group
                    .iter()
                    .map(|target| automata.get(target, distance))
                    .collect(),
            );
            fuzzy_by_automaton(searcher, fields, &automaton, &mut note)?;
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(MAX_EXPANSIONS);
    Ok(found)
}

/// Term dictionaries up to this many terms (over the fields searched) are scanned for near
/// spellings rather than searched with a Levenshtein automaton.
const SCAN_TERMS: usize = 20_000;

/// The fuzzy matches of `automaton`'s targets among the terms of `fields`: one walk of each
/// term dictionary for all the targets together (issue 5: a word with æ, ø or å has two, its
/// stem and its folded stem, and the walks were most of such a query's time).
fn fuzzy_by_automaton(
    searcher: &Searcher,
    fields: &[Field],
    automaton: &JoinedAutomata,
    note: &mut dyn FnMut(&str, u8),
) -> Result<(), SearchError> {
    for segment in searcher.segment_readers() {
        for &field in fields {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(automaton).into_stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let edits = automaton
                    .0
                    .iter()
                    .filter_map(|dfa| match dfa.eval(term) {
                        Distance::Exact(edits) => Some(edits),
                        Distance::AtLeast(_) => None,
                    })
                    .min();
                if let Some(edits) = edits {
                    note(term, edits);
                }
            }
        }
    }
    Ok(())
}

/// The optimal-string-alignment distance (Levenshtein with adjacent transpositions, as the
/// automaton counts) between `target` and `term`, if at most `limit`.
fn bounded_edits(target: &[char], term: &str, limit: u8) -> Option<u8> {
    let limit = usize::from(limit);
    let term: Vec<char> = term.chars().collect();
    if target.len().abs_diff(term.len()) > limit {
        return None;
    }
    let width = term.len() + 1;
    // Row `i` of the table is `rows[i % 3]`: the first row (no letter of the target yet) is
    // `rows[0]`. It was once filled in `rows[1]`, which left a row of zeros above the first
    // letter: a term's leading letters cost nothing, and `led` (the stem of `ledelse`) was one
    // edit from `sted` and `hold` in a small folder (issue 15).
    let mut rows = vec![vec![0usize; width]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=target.len() {
        let (current, previous, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[current][0] = i;
        let mut row_min = i;
        for j in 1..width {
            let substitution = usize::from(target[i - 1] != term[j - 1]);
            let mut best = (rows[previous][j] + 1)
                .min(rows[current][j - 1] + 1)
                .min(rows[previous][j - 1] + substitution);
            if i > 1 && j > 1 && target[i - 1] == term[j - 2] && target[i - 2] == term[j - 1] {
                best = best.min(rows[before][j - 2] + 1);
            }
            rows[current][j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return None;
        }
    }
    let edits = rows[target.len() % 3][term.len()];
    (edits <= limit).then_some(edits as u8)
}

/// Levenshtein automaton builders are costly to make and reusable: one per distance
/// (transpositions count as one edit).
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let cell = if distance <= 1 { &ONE } else { &TWO };
    cell.get_or_init(|| LevenshteinAutomatonBuilder::new(distance.clamp(1, 2), true))
}

/// The Levenshtein DFAs of one search, by target and distance: the languages that share a
/// stemmer (bokmål and nynorsk) look up the same targets, and building a DFA for two edits
/// costs about as much as walking a dictionary with it.
#[derive(Default)]
pub(crate) struct FuzzyAutomata {
    built: HashMap<(String, u8), Arc<DFA>>,
}

impl FuzzyAutomata {
    fn get(&mut self, target: &str, distance: u8) -> Arc<DFA> {
        Arc::clone(
            self.built
                .entry((target.to_string(), distance))
                .or_insert_with(|| Arc::new(builder(distance).build_dfa(target))),
        )
    }
}

/// Levenshtein DFAs joined into one automaton over the term dictionary: a term matches when
/// any accepts it. At most [`MAX_JOINED_AUTOMATA`] (a word's stem and its folded stem).
struct JoinedAutomata(Vec<Arc<DFA>>);

const MAX_JOINED_AUTOMATA: usize = 2;

impl Automaton for &JoinedAutomata {
    /// Each DFA's state; a slot without a DFA stays in the sink.
    type State = [u32; MAX_JOINED_AUTOMATA];

    fn start(&self) -> [u32; MAX_JOINED_AUTOMATA] {
        let mut state = [levenshtein_automata::SINK_STATE; MAX_JOINED_AUTOMATA];
        for (slot, dfa) in state.iter_mut().zip(&self.0) {
            *slot = dfa.initial_state();
        }
        state
    }

    fn is_match(&self, state: &[u32; MAX_JOINED_AUTOMATA]) -> bool {
        state
            .iter()
            .zip(&self.0)
            .any(|(&at, dfa)| matches!(dfa.distance(at), Distance::Exact(_)))
    }

    fn can_match(&self, state: &[u32; MAX_JOINED_AUTOMATA]) -> bool {
        state
            .iter()
            .any(|&at| at != levenshtein_automata::SINK_STATE)
    }

    fn accept(&self, state: &[u32; MAX_JOINED_AUTOMATA], byte: u8) -> [u32; MAX_JOINED_AUTOMATA] {
        let mut next = *state;
        for (slot, dfa) in next.iter_mut().zip(&self.0) {
            if *slot != levenshtein_automata::SINK_STATE {
                *slot = dfa.transition(*slot, byte);
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(word: &str) -> Vec<char> {
        word.chars().collect()
    }

    #[test]
    fn the_scan_counts_edits_as_the_automaton_does() {
        let pairs = [
            ("økonomiaftal", "konomiaftal", 2),
            ("velfaerd", "velfzerd", 1),
            ("løsning", "lgsning", 1),
            ("kommunaldirektør", "kommunedirektør", 2),
            ("barnevern", "barnevren", 2),
            ("beredskap", "redskap", 2),
            ("heltid", "deltid", 1),
            ("abc", "abc", 1),
            ("samfunn", "kultur", 2),
        ];
        for (target, term, limit) in pairs {
            let dfa = builder(limit).build_dfa(target);
            let expected = match dfa.eval(term) {
                Distance::Exact(edits) => Some(edits),
                Distance::AtLeast(_) => None,
            };
            assert_eq!(
                bounded_edits(&chars(target), term, limit),
                expected,
                "{target} {term}"
            );
        }
        // A transposition is one edit.
        assert_eq!(bounded_edits(&chars("barnevern"), "barnevren", 1), Some(1));
        // A term's leading letters count (issue 15: `led` was one edit from `sted`).
        assert_eq!(bounded_edits(&chars("led"), "sted", 1), None);
        assert_eq!(bounded_edits(&chars("led"), "hold", 1), None);
        assert_eq!(bounded_edits(&chars("skjenking"), "godkjenning", 2), None);
    }
}
