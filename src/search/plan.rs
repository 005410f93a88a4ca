//! The query plan: the user's query as BM25 over the language and heading fields, plus the
//! clauses that reward all words and exact or near phrases (issue 3's ranking).

use super::parse::ParsedQuery;
use super::SearchError;
use crate::analysis::analyze;
use crate::index::LeteIndex;
use crate::lang::Lang;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryParser, QueryParserError, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};

/// A heading match is a strong signal: the heading names what the passage is about.
const HEADING_BOOST: f32 = 1.5;
/// The query's words in this order, adjacent.
const EXACT_PHRASE_BOOST: f32 = 2.0;
/// The query's words close together, in order.
const NEAR_PHRASE_BOOST: f32 = 0.5;
const NEAR_PHRASE_SLOP: u32 = 4;
/// Every word somewhere in the passage or its heading.
const ALL_WORDS_BOOST: f32 = 1.0;

/// The Tantivy query for `parsed`, over the languages `langs`.
pub fn build_query(
    index: &LeteIndex,
    parsed: &ParsedQuery,
    langs: &[Lang],
) -> Result<Box<dyn Query>, SearchError> {
    let parser = query_parser(index, langs);
    let base = parser
        .build_query_from_user_input_ast(parsed.ast.clone())
        .map_err(invalid_query)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
    if parsed.free_words.len() >= 2 {
        clauses.extend(phrase_clauses(index, &parsed.free_words, langs));
        clauses.push((
            Occur::Should,
            all_words_clause(index, &parsed.free_words, langs)?,
        ));
    }
    if let [lang] = langs {
        clauses.push((Occur::Must, lang_filter(index, *lang)));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Default fields: the text and heading fields of each language searched, so that a query
/// word is analyzed by each language's stemmer (issue 3: the query's language is unknown).
fn query_parser(index: &LeteIndex, langs: &[Lang]) -> QueryParser {
    let fields = &index.fields;
    let mut default_fields: Vec<Field> = langs.iter().map(|&lang| fields.text(lang)).collect();
    default_fields.extend(langs.iter().map(|&lang| fields.heading(lang)));
    let mut parser = QueryParser::for_index(&index.index, default_fields);
    for lang in Lang::ALL {
        parser.set_field_boost(fields.heading(lang), HEADING_BOOST);
    }
    parser
}

/// An exact and a near phrase of the free words, per language text field.
fn phrase_clauses(
    index: &LeteIndex,
    words: &[String],
    langs: &[Lang],
) -> Vec<(Occur, Box<dyn Query>)> {
    let joined = words.join(" ");
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for &lang in langs {
        let field = index.fields.text(lang);
        let terms: Vec<Term> = analyze(lang, &joined)
            .iter()
            .map(|term| Term::from_field_text(field, term))
            .collect();
        // PhraseQuery needs two terms at least.
        if terms.len() < 2 {
            continue;
        }
        let exact = PhraseQuery::new(terms.clone());
        let mut near = PhraseQuery::new(terms);
        near.set_slop(NEAR_PHRASE_SLOP);
        clauses.push((Occur::Should, boosted(Box::new(exact), EXACT_PHRASE_BOOST)));
        clauses.push((Occur::Should, boosted(Box::new(near), NEAR_PHRASE_BOOST)));
    }
    clauses
}

/// Each free word required, in any of the searched fields.
fn all_words_clause(
    index: &LeteIndex,
    words: &[String],
    langs: &[Lang],
) -> Result<Box<dyn Query>, SearchError> {
    let mut parser = query_parser(index, langs);
    parser.set_conjunction_by_default();
    let quoted: Vec<String> = words.iter().map(|word| format!("\"{word}\"")).collect();
    let query = parser
        .parse_query(&quoted.join(" "))
        .map_err(invalid_query)?;
    Ok(boosted(query, ALL_WORDS_BOOST))
}

fn invalid_query(err: QueryParserError) -> SearchError {
    match err {
        QueryParserError::AllButQueryForbidden => SearchError::OnlyExclusions,
        other => SearchError::InvalidQuery(other.to_string()),
    }
}

fn lang_filter(index: &LeteIndex, lang: Lang) -> Box<dyn Query> {
    let term = Term::from_field_text(index.fields.lang, lang.code());
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
