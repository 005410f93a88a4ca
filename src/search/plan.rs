//! The query plan: the parsed query compiled to Tantivy queries over the language and heading
//! fields, each word expanded into its forms (stem, folded spellings, compound parts, near
//! spellings, prefixes), plus the clauses that reward all words and the exact or near phrase.

use super::expand::{
    add_fuzzy, expand, FuzzyAutomata, WordForms, DERIVED_BOOST, FOLDED_BOOST, FUZZY_BOOST,
    NYNORSK_BOOST, PART_BOOST, PREFIX_BOOST, SPLIT_BOOST,
};
use super::matcher::NEAR_SLOP;
use super::parse::{LiteralWord, ParsedQuery, QueryWord};
use super::query_lang::guess_query_lang;
use super::seekable_union::{Combine, SeekableUnion};
use super::SearchError;
use crate::analysis::{is_function_word, PART_MARKER};
use crate::index::schema::names;
use crate::index::LeteIndex;
use crate::lang::{Lang, LangFilter};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::{BTreeSet, HashMap};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    QueryParser, QueryParserError, TermQuery, TermSetQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::Searcher;

/// Most words of one query matched by near spelling, per language: the first ones missing.
pub(crate) const MAX_FUZZY_WORDS: usize = 8;

/// A heading match is a strong signal: the heading names what the passage is about.
const HEADING_BOOST: f32 = 1.5;
/// The query's words in this order, adjacent.
const EXACT_PHRASE_BOOST: f32 = 2.0;
/// The query's words close together, in order.
const NEAR_PHRASE_BOOST: f32 = 0.5;
/// Every word somewhere in the passage or its heading.
const ALL_WORDS_BOOST: f32 = 1.0;

/// A compiled query and the word forms it looks for, per language (for ranking, highlights
/// and `--explain`).
pub(super) struct Plan {
    pub query: Box<dyn Query>,
    pub forms: HashMap<Lang, Vec<WordForms>>,
    /// The language the query's words are in, when they tell (issue 17).
    pub query_lang: Option<Lang>,
}

/// Compiles `parsed` for the languages `langs`.
pub(super) fn build_plan(
    index: &LeteIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
    langs: &[Lang],
) -> Result<Plan, SearchError> {
    let fields_of = |lang: Lang| [index.fields.text(lang), index.fields.heading(lang)];
    let mut forms: HashMap<Lang, Vec<WordForms>> = HashMap::new();
    for &lang in langs {
        let mut expanded = parsed
            .words
            .iter()
            .map(|word| expand(searcher, &fields_of(lang), lang, word, &index.splitter))
            .collect::<Result<Vec<_>, _>>()?;
        // The query's language is not known (issue 17): a word that is a function word of
        // any language searched is one in every language's passages.
        for forms in &mut expanded {
            forms.function_word = !forms.prefix
                && langs
                    .iter()
                    .any(|&searched| is_function_word(searched, &forms.word));
        }
        forms.insert(lang, expanded);
    }
    same_fillers_in_every_language(&mut forms);
    mark_counterparts_only(&mut forms);
    // Fuzzy per language: the Danish OCR file's `gkonomiske` is found for `økonomiske` although
    // bokmål passages have the word as typed.
    // Only the first few missing words are looked up fuzzily: each lookup walks the term
    // dictionary, and a query of many words absent from the corpus (random letters, a pasted
    // text in another language) cost seconds (issue 18).
    // A word some language's passages have is near other words only as a damaged spelling in
    // the others (issue 15: `utfordringer`, found in bokmål, reached the nynorsk `utforming`).
    let found_somewhere: Vec<bool> = (0..parsed.words.len())
        .map(|at| forms.values().any(|expanded| expanded[at].found))
        .collect();
    let mut automata = FuzzyAutomata::default();
    for (&lang, expanded) in forms.iter_mut() {
        let missing = expanded
            .iter_mut()
            .zip(&found_somewhere)
            .filter(|(word, _)| !word.found);
        for (word, &found_elsewhere) in missing.take(MAX_FUZZY_WORDS) {
            add_fuzzy(
                searcher,
                &fields_of(lang),
                lang,
                word,
                &mut automata,
                &index.splitter,
                found_elsewhere,
            )?;
        }
    }
    let compiler = Compiler {
        index,
        searcher,
        langs,
        parsed,
        forms: &forms,
        seekable: false,
    };
    let base = compiler.compile(&parsed.ast, false, true)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
    if parsed.phrase.len() >= 2 {
        clauses.extend(compiler.phrase_clauses());
        if let Some(all) = compiler.all_words_clause() {
            clauses.push((Occur::Should, all));
        }
    }
    if langs.len() < Lang::ALL.len() {
        clauses.push((Occur::Must, lang_filter(index, langs)));
    }
    let query_lang = guess_query_lang(&parsed.words, &forms);
    Ok(Plan {
        query: Box::new(BooleanQuery::new(clauses)),
        forms,
        query_lang,
    })
}

/// `query` with the passages of `sources` (paths inside the corpus folder) left out; a
/// must-not clause adds nothing to a score, so the rest rank as before.
pub(super) fn without_sources(
    index: &LeteIndex,
    query: Box<dyn Query>,
    sources: &[String],
) -> Box<dyn Query> {
    let field = index.fields.source;
    let terms = sources
        .iter()
        .map(|source| Term::from_field_text(field, source));
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::MustNot, Box::new(TermSetQuery::new(terms))),
    ]))
}

/// A word common in one language's passages is common in all (issue 17): `kommunane` is
/// common among bokmål passages, as `kommunene`, and must not count in Danish passages alone,
/// where it is only near `kommunale`; else passages of two languages are not weighed on the
/// same words.
fn same_fillers_in_every_language(forms: &mut HashMap<Lang, Vec<WordForms>>) {
    let words = forms.values().map(Vec::len).max().unwrap_or(0);
    for index in 0..words {
        let common = forms
            .values()
            .any(|expanded| expanded.get(index).is_some_and(|word| word.common));
        for expanded in forms.values_mut() {
            if let Some(word) = expanded.get_mut(index) {
                word.common = common;
            }
        }
    }
}

/// Sets [`WordForms::counterpart_only`] in the bokmål passages for a query word the nynorsk
/// passages hold as written and the bokmål ones only as its counterpart (both standards share
/// a stemmer, so their stems are alike but for such words). One way only: a word written in
/// nynorsk is chosen so, while bokmål is the form most people type, nynorsk readers too, and
/// a bokmål query still finds the nynorsk text as well as the bokmål one
/// (`queries-nynorsk.tsv`: `samspill med skolen` fell from rank 1 to 2 both ways).
fn mark_counterparts_only(forms: &mut HashMap<Lang, Vec<WordForms>>) {
    let Some(nynorsk) = forms.get(&Lang::Nn) else {
        return;
    };
    let held: Vec<bool> = nynorsk
        .iter()
        .map(|word| !word.prefix && !word.stem_absent)
        .collect();
    let Some(bokmaal) = forms.get_mut(&Lang::Nb) else {
        return;
    };
    for (word, held_in_nynorsk) in bokmaal.iter_mut().zip(held) {
        word.counterpart_only = held_in_nynorsk && word.stem_absent && !word.nynorsk.is_empty();
    }
}

#[derive(Clone, Copy)]
struct Compiler<'a> {
    index: &'a LeteIndex,
    searcher: &'a Searcher,
    langs: &'a [Lang],
    parsed: &'a ParsedQuery,
    forms: &'a HashMap<Lang, Vec<WordForms>>,
    /// Whether a word's forms are a [`SeekableUnion`] (in the all-words clause) rather than
    /// Tantivy's `DisjunctionMaxQuery`; both score alike.
    seekable: bool,
}

/// Where a word is looked for: one language's field.
#[derive(Clone, Copy)]
struct Target {
    lang: Lang,
    field: Field,
    heading: bool,
}

impl Compiler<'_> {
    /// Compiles a (sub-)query. `negated`: inside an exclusion, where a word means only
    /// itself (its stem and spellings), not the compounds it is part of. `top`: the whole
    /// query, which must search for something.
    fn compile(
        &self,
        ast: &UserInputAst,
        negated: bool,
        top: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        match ast {
            UserInputAst::Clause(children) => self.compile_clause(children, negated, top),
            UserInputAst::Boost(child, boost) => Ok(Box::new(BoostQuery::new(
                self.compile(child, negated, top)?,
                boost.into_inner() as f32,
            ))),
            UserInputAst::Leaf(leaf) => self.compile_leaf(leaf, negated),
        }
    }

    /// A clause: `+` required, `-` excluded, the rest optional. Next to a required filter
    /// (`lang:nb`, `source:…`) the optional words are required as a group: `rekruttere
    /// lang:nb` is Norwegian passages about recruiting, not every Norwegian passage. A nested
    /// clause of exclusions only (`a AND NOT b`, `a (-b -c)`) excludes from everything.
    fn compile_clause(
        &self,
        children: &[(Option<Occur>, UserInputAst)],
        negated: bool,
        top: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        let only_exclusions = !children.is_empty()
            && children
                .iter()
                .all(|(occur, _)| *occur == Some(Occur::MustNot));
        if only_exclusions && top {
            return Err(SearchError::OnlyExclusions);
        }
        let has_filter = children
            .iter()
            .any(|(occur, child)| *occur == Some(Occur::Must) && is_filter(child));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut optional: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (occur, child) in children {
            // `a (-b -c)`: a group of exclusions only excludes from its parent.
            if let (None | Some(Occur::Should), Some(exclusions)) = (occur, only_negative(child)) {
                for excluded in exclusions {
                    clauses.push((Occur::MustNot, self.compile(excluded, true, false)?));
                }
                continue;
            }
            let excluded = *occur == Some(Occur::MustNot);
            let query = self.compile(child, negated || excluded, false)?;
            match occur.unwrap_or(Occur::Should) {
                Occur::Should if has_filter => optional.push((Occur::Should, query)),
                occur => clauses.push((occur, query)),
            }
        }
        if !optional.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(optional))));
        }
        if only_exclusions {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn compile_leaf(
        &self,
        leaf: &UserInputLeaf,
        negated: bool,
    ) -> Result<Box<dyn Query>, SearchError> {
        let UserInputLeaf::Literal(literal) = leaf else {
            return self.with_tantivy_parser(leaf);
        };
        match literal.field_name.as_deref() {
            Some(names::LANG) => match literal.phrase.parse::<LangFilter>() {
                // `lang:no`: bokmål and nynorsk, as `--lang no` (issue 19).
                Ok(filter) => Ok(lang_filter(self.index, &filter.langs())),
                Err(_) => {
                    let term = Term::from_field_text(self.index.fields.lang, &literal.phrase);
                    Ok(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
                }
            },
            Some(names::SOURCE) => self.source_filter(&literal.phrase),
            Some(names::TITLE) => Ok(self.title_query(literal)),
            None => {
                let targets: Vec<Target> = self
                    .langs
                    .iter()
                    .flat_map(|&lang| [self.target(lang, false), self.target(lang, true)])
                    .collect();
                Ok(self.literal_query(literal, &targets, negated))
            }
            Some(name) => {
                let target = self
                    .langs
                    .iter()
                    .flat_map(|&lang| [self.target(lang, false), self.target(lang, true)])
                    .find(|target| self.field_name(target.field) == name);
                match target {
                    Some(target) => Ok(self.literal_query(literal, &[target], negated)),
                    None => self.with_tantivy_parser(leaf),
                }
            }
        }
    }

    fn target(&self, lang: Lang, heading: bool) -> Target {
        let fields = &self.index.fields;
        Target {
            lang,
            field: if heading {
                fields.heading(lang)
            } else {
                fields.text(lang)
            },
            heading,
        }
    }

    fn field_name(&self, field: Field) -> String {
        self.index.index.schema().get_field_name(field).to_string()
    }

    /// A word, a `word*` or a phrase, in each of `targets`.
    fn literal_query(
        &self,
        literal: &UserInputLiteral,
        targets: &[Target],
        negated: bool,
    ) -> Box<dyn Query> {
        let words = self.parsed.literal_words(&literal.phrase);
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for target in targets {
            // A quoted word means itself: its inflections and spellings, no compounds or
            // near spellings; so does an excluded word.
            let quoted = literal.delimiter != Delimiter::None;
            let strict = negated || quoted;
            let query = match words {
                [] => continue,
                [word] => self.word_query(&word.word, literal.prefix, *target, strict),
                _ => phrase_query(target, words, literal.slop, literal.prefix),
            };
            let query = if target.heading {
                boosted(query, HEADING_BOOST)
            } else {
                query
            };
            per_field.push((Occur::Should, query));
        }
        if per_field.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(per_field))
    }

    /// One word in all its forms in one field; the best form counts (a passage word
    /// matching both as itself and as a compound part is not counted twice).
    fn word_query(
        &self,
        word: &QueryWord,
        prefix: bool,
        target: Target,
        strict: bool,
    ) -> Box<dyn Query> {
        let forms = self.forms_of(word, prefix, target.lang);
        let field = target.field;
        let term = |text: &str| Term::from_field_text(field, text);
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        if forms.prefix {
            for text in &forms.prefixed {
                disjuncts.push(boosted(term_query(term(text)), PREFIX_BOOST));
            }
            if disjuncts.is_empty() {
                return Box::new(EmptyQuery);
            }
            return self.best_of(disjuncts);
        }
        disjuncts.push(term_query(term(&forms.stem)));
        for folded in &forms.folded {
            disjuncts.push(boosted(term_query(term(folded)), FOLDED_BOOST));
        }
        for counterpart in &forms.nynorsk {
            disjuncts.push(boosted(term_query(term(counterpart)), NYNORSK_BOOST));
        }
        if strict {
            return match disjuncts.len() {
                1 => disjuncts.remove(0),
                _ => self.best_of(disjuncts),
            };
        }
        for part in &forms.parts {
            let part = format!("{PART_MARKER}{part}");
            disjuncts.push(boosted(term_query(term(&part)), PART_BOOST));
        }
        for holder in &forms.holders {
            disjuncts.push(boosted(term_query(term(holder)), PART_BOOST));
        }
        for derived in &forms.derived {
            disjuncts.push(boosted(term_query(term(derived)), DERIVED_BOOST));
        }
        if !forms.split.is_empty() {
            let no_derivations = Vec::new();
            let parts: Vec<(Occur, Box<dyn Query>)> = forms
                .split
                .iter()
                .enumerate()
                .map(|(index, part)| {
                    let derived = forms.split_derived.get(index).unwrap_or(&no_derivations);
                    let mut either: Vec<Box<dyn Query>> = Vec::new();
                    for (spelling, boost) in std::iter::once((part, 1.0))
                        .chain(derived.iter().map(|derived| (derived, DERIVED_BOOST)))
                    {
                        either.push(boosted(term_query(term(spelling)), boost));
                        let as_part = term_query(term(&format!("{PART_MARKER}{spelling}")));
                        either.push(boosted(as_part, boost));
                    }
                    let either: Box<dyn Query> = self.best_of(either);
                    (Occur::Must, either)
                })
                .collect();
            disjuncts.push(boosted(Box::new(BooleanQuery::new(parts)), SPLIT_BOOST));
        }
        for (text, edits) in &forms.fuzzy {
            let boost = FUZZY_BOOST[usize::from(*edits).clamp(1, 2) - 1];
            disjuncts.push(boosted(term_query(term(text)), boost));
        }
        if disjuncts.len() == 1 {
            return disjuncts.remove(0);
        }
        self.best_of(disjuncts)
    }

    /// The best-scoring of `disjuncts` (a word's forms): seekable inside the all-words
    /// clause.
    fn best_of(&self, disjuncts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        if self.seekable {
            Box::new(SeekableUnion::new(disjuncts, Combine::Max))
        } else {
            Box::new(DisjunctionMaxQuery::new(disjuncts))
        }
    }

    /// The expansion made for this word, or a bare one (a word inside `title:` or a
    /// negated word, not expanded up front).
    fn forms_of(&self, word: &QueryWord, prefix: bool, lang: Lang) -> WordForms {
        let known = self.parsed.word_index(&word.text, prefix);
        match (known, self.forms.get(&lang)) {
            (Some(index), Some(forms)) => forms[index].clone(),
            _ => {
                let wanted = word.with_prefix(prefix);
                let fields = [
                    self.index.fields.text(lang),
                    self.index.fields.heading(lang),
                ];
                super::expand::expand(self.searcher, &fields, lang, &wanted, &self.index.splitter)
                    .unwrap_or_else(|_| WordForms::bare(lang, &wanted))
            }
        }
    }

    fn title_query(&self, literal: &UserInputLiteral) -> Box<dyn Query> {
        let field = self.index.fields.title;
        let terms: Vec<Term> = self
            .parsed
            .literal_words(&literal.phrase)
            .iter()
            .map(|word| Term::from_field_text(field, &word.term))
            .collect();
        match terms.len() {
            0 => Box::new(EmptyQuery),
            // `title:strat*`: the title words the prefix begins.
            1 if literal.prefix => {
                let prefix = terms[0].value().as_str().unwrap_or_default().to_string();
                let mut words = BTreeSet::new();
                if crate::search::expand::prefixed_terms(
                    self.searcher,
                    &[field],
                    &prefix,
                    &mut words,
                )
                .is_err()
                {
                    return Box::new(EmptyQuery);
                }
                Box::new(TermSetQuery::new(
                    words.iter().map(|word| Term::from_field_text(field, word)),
                ))
            }
            1 => term_query(terms[0].clone()),
            _ if literal.prefix => Box::new(tantivy::query::PhrasePrefixQuery::new(terms)),
            _ => {
                let mut phrase = PhraseQuery::new(terms);
                phrase.set_slop(literal.slop);
                Box::new(phrase)
            }
        }
    }

    /// `source:GLOB`: the sources whose path inside the corpus folder, or file name, the glob
    /// matches, as `--include` does (issue 19); a path as hits show it (`corpus/sub/*`) is
    /// taken back to the path inside the corpus.
    fn source_filter(&self, pattern: &str) -> Result<Box<dyn Query>, SearchError> {
        let pattern = self.index.shown.stored(pattern).unwrap_or(pattern);
        let matcher = source_glob(pattern)?;
        let by_name = !pattern.contains('/');
        let field = self.index.fields.source;
        let mut terms = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(source) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let name = source.rsplit('/').next().unwrap_or(source);
                if matcher.is_match(source) || (by_name && matcher.is_match(name)) {
                    terms.insert(source.to_string());
                }
            }
        }
        if terms.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(TermSetQuery::new(
            terms
                .into_iter()
                .map(|source| Term::from_field_text(field, &source)),
        )))
    }

    /// Ranges, sets and regexes as Tantivy's own parser builds them.
    fn with_tantivy_parser(&self, leaf: &UserInputLeaf) -> Result<Box<dyn Query>, SearchError> {
        if let UserInputLeaf::All = leaf {
            return Ok(Box::new(AllQuery));
        }
        let parser = QueryParser::for_index(&self.index.index, Vec::new());
        parser
            .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf.clone())))
            .map_err(invalid_query)
    }

    /// An exact and a near phrase of the top-level words, per language text field.
    fn phrase_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &lang in self.langs {
            let field = self.index.fields.text(lang);
            let terms: Vec<Term> = self
                .parsed
                .phrase
                .iter()
                .map(|word| Term::from_field_text(field, word.term_stem(lang)))
                .collect();
            if terms.len() < 2 {
                continue;
            }
            let exact = PhraseQuery::new(terms.clone());
            let mut near = PhraseQuery::new(terms);
            near.set_slop(NEAR_SLOP as u32);
            clauses.push((Occur::Should, boosted(Box::new(exact), EXACT_PHRASE_BOOST)));
            clauses.push((Occur::Should, boosted(Box::new(near), NEAR_PHRASE_BOOST)));
        }
        clauses
    }

    /// Every top-level word required, each in any of its forms and fields.
    fn all_words_clause(&self) -> Option<Box<dyn Query>> {
        let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Each word is seeked to the passages of the rarest (see `seekable_union`).
        let seekable = Compiler {
            seekable: true,
            ..*self
        };
        for free in &self.parsed.phrase {
            let mut fields: Vec<Box<dyn Query>> = Vec::new();
            for &lang in self.langs {
                for heading in [false, true] {
                    let target = self.target(lang, heading);
                    fields.push(seekable.word_query(&free.word, false, target, false));
                }
            }
            let word = SeekableUnion::new(fields, Combine::Sum);
            required.push((Occur::Must, Box::new(word)));
        }
        if required.is_empty() {
            return None;
        }
        Some(boosted(
            Box::new(BooleanQuery::new(required)),
            ALL_WORDS_BOOST,
        ))
    }
}

/// The children of a clause made of exclusions only, or `None`.
fn only_negative(ast: &UserInputAst) -> Option<Vec<&UserInputAst>> {
    match ast {
        UserInputAst::Clause(children)
            if !children.is_empty()
                && children
                    .iter()
                    .all(|(occur, _)| *occur == Some(Occur::MustNot)) =>
        {
            Some(children.iter().map(|(_, child)| child).collect())
        }
        _ => None,
    }
}

/// Whether `child` is a required filter of the kind `filters_required` makes: `lang:` or
/// `source:` (field names as mapped onto the index).
fn is_filter(child: &UserInputAst) -> bool {
    match child {
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => matches!(
                literal.field_name.as_deref(),
                Some(names::LANG | names::SOURCE)
            ),
            _ => false,
        },
        _ => false,
    }
}

/// A quoted phrase (`"lokalt handlingsrom"`, `"lokalt handlings"*`) in one field, by stem.
fn phrase_query(target: &Target, words: &[LiteralWord], slop: u32, prefix: bool) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = words
        .iter()
        .enumerate()
        .map(|(offset, word)| {
            let term = Term::from_field_text(target.field, word.term_stem(target.lang));
            (offset, term)
        })
        .collect();
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => term_query(terms[0].1.clone()),
        _ if prefix => Box::new(tantivy::query::PhrasePrefixQuery::new_with_offset(terms)),
        _ => {
            let mut query = PhraseQuery::new_with_offset_and_slop(terms, slop);
            query.set_slop(slop);
            Box::new(query)
        }
    }
}

/// `source:` takes a path as hits show it, or a glob of one (`*`, `?`, `[abc]`, `{a,b}`); case
/// is ignored, as by `--include`.
fn source_glob(pattern: &str) -> Result<GlobMatcher, SearchError> {
    GlobBuilder::new(pattern)
        .literal_separator(false)
        .case_insensitive(true)
        .build()
        .map(|glob| glob.compile_matcher())
        .map_err(|err| SearchError::InvalidQuery(format!("bad source glob '{pattern}': {err}")))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn invalid_query(err: QueryParserError) -> SearchError {
    match err {
        QueryParserError::AllButQueryForbidden => SearchError::OnlyExclusions,
        other => SearchError::InvalidQuery(other.to_string()),
    }
}

/// Passages of `langs` only.
fn lang_filter(index: &LeteIndex, langs: &[Lang]) -> Box<dyn Query> {
    let term = |lang: &Lang| Term::from_field_text(index.fields.lang, lang.code());
    match langs {
        [lang] => Box::new(TermQuery::new(term(lang), IndexRecordOption::Basic)),
        _ => Box::new(TermSetQuery::new(langs.iter().map(term))),
    }
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
