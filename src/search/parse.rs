//! The user's query: Tantivy query syntax, parsed strictly, with the user-facing field names
//! (`title`, `heading`, `text`, `lang`, `source`) mapped onto the index's real fields, and
//! analysed once: the words of each literal as the index's terms are made and stemmed per
//! language, the plain words that ranking and highlighting look for, and the implicit phrase.
//! Every later step (plan, expansion, ranking) reads the words from here (issue 14).

use super::{SearchError, MAX_BOOST, MAX_NESTING, MAX_QUERY_WORDS};
use crate::analysis::{stem_word, without_invisible};
use crate::index::schema::names;
use crate::lang::{Lang, LangFilter};
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::query_grammar::{
    parse_query, parse_query_lenient, Delimiter, Occur, UserInputAst, UserInputBound,
    UserInputLeaf, UserInputLiteral,
};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// A parsed and analysed query.
#[derive(Debug, Clone)]
pub(crate) struct ParsedQuery {
    /// Ready for `QueryParser::build_query_from_user_input_ast`: every field is a real one.
    pub ast: UserInputAst,
    /// Distinct words the passage text or heading should hold (not excluded, not in
    /// `title:`, `lang:` or `source:`), in query order. Coverage and highlights use them.
    pub words: Vec<QueryWord>,
    /// The unquoted, unfielded words of the top level, in order, each once: the implicit
    /// phrase that an exact or near occurrence is rewarded for.
    pub phrase: Vec<LiteralWord>,
    /// The words of every literal of the query (a word, a `"phrase"`, a `title:` value), by
    /// its text.
    literals: HashMap<String, Vec<LiteralWord>>,
}

/// A word the passages should hold, as typed, with what it is in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    pub text: String,
    /// `word*`: any word starting with `text`.
    pub prefix: bool,
    /// `text` lowercased: a passage word equal to it holds the word as written.
    pub lowercase: String,
    /// `lowercase` under each language's stemmer, in `Lang::ALL` order.
    stems: [String; 3],
}

impl QueryWord {
    /// `text` analysed: lowercased, and stemmed for each language.
    pub(crate) fn new(text: &str, prefix: bool) -> QueryWord {
        let lowercase = text.to_lowercase();
        QueryWord {
            stems: Lang::ALL.map(|lang| stem_word(lang, &lowercase)),
            text: text.to_string(),
            prefix,
            lowercase,
        }
    }

    /// The word's stem under `lang`'s stemmer.
    pub(crate) fn stem(&self, lang: Lang) -> &str {
        &self.stems[lang_slot(lang)]
    }

    /// The same word, as a prefix (`word*`) or not.
    pub(crate) fn with_prefix(&self, prefix: bool) -> QueryWord {
        QueryWord {
            prefix,
            ..self.clone()
        }
    }
}

/// One word of a literal, as the plain analyzer splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiteralWord {
    /// The word as typed (never a prefix: the literal says whether its last word is one).
    pub word: QueryWord,
    /// As the index's terms are made: lowercased by the plain analyzer, invisible characters
    /// left out. Titles are indexed so.
    pub term: String,
    /// `term` under each language's stemmer, in `Lang::ALL` order: the word's term in that
    /// language's text and heading fields.
    term_stems: [String; 3],
}

impl LiteralWord {
    /// The word's term in `lang`'s text and heading fields.
    pub(crate) fn term_stem(&self, lang: Lang) -> &str {
        &self.term_stems[lang_slot(lang)]
    }
}

/// Where a language's analysis sits in the per-language arrays above.
fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Nb => 0,
        Lang::Nn => 1,
        Lang::Da => 2,
    }
}

impl ParsedQuery {
    /// The words of the literal whose text is `phrase`; none for a text the query does not
    /// hold.
    pub(crate) fn literal_words(&self, phrase: &str) -> &[LiteralWord] {
        self.literals.get(phrase).map_or(&[], Vec::as_slice)
    }

    /// The position in `words` of the word typed as `text`, as a prefix or not.
    pub(crate) fn word_index(&self, text: &str, prefix: bool) -> Option<usize> {
        self.words
            .iter()
            .position(|word| word.prefix == prefix && word.text == text)
    }

    /// The query-word indexes of the implicit phrase, in order.
    pub(crate) fn phrase_indexes(&self) -> Vec<usize> {
        self.phrase
            .iter()
            .filter_map(|free| self.word_index(&free.word.text, false))
            .collect()
    }
}

/// `lete_plain` (words, lowercased), made once a process: the query's words and the passages
/// the matcher reads are split by the same chain.
pub(crate) fn plain_analyzer() -> TextAnalyzer {
    static PLAIN: OnceLock<TextAnalyzer> = OnceLock::new();
    PLAIN.get_or_init(crate::analysis::plain_analyzer).clone()
}

/// Parses `query` for searching the languages `langs`.
pub(crate) fn parse_user_query(query: &str, langs: &[Lang]) -> Result<ParsedQuery, SearchError> {
    // Control characters (a pasted escape sequence, a bell) are noise, not syntax (issue 6).
    let cleaned: String = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let query = cleaned.as_str();
    if query.trim().is_empty() {
        return Err(SearchError::Empty);
    }
    if !query.chars().any(char::is_alphanumeric) {
        return Err(SearchError::NoWords(excerpt(query.trim())));
    }
    if nesting_depth(query) > MAX_NESTING {
        return Err(SearchError::TooDeep);
    }
    let escaped = escape_trailing_apostrophes(query);
    let ast = parse_query(&escaped).map_err(|_| syntax_error(query, &escaped))?;
    let ast = prefix_literals(ast)?;
    let mut literals = HashMap::new();
    analyse_literals(&ast, &mut plain_analyzer(), &mut literals);
    let distinct_words = distinct_words(&literals);
    if distinct_words > MAX_QUERY_WORDS {
        return Err(SearchError::TooManyWords(distinct_words));
    }
    let mut words = Vec::new();
    collect_words(&ast, true, &literals, &mut words);
    let phrase = top_level_free_words(&ast, &literals);
    let ast = map_fields(filters_required(ast), langs)?;
    Ok(ParsedQuery {
        ast,
        words,
        phrase,
        literals,
    })
}

/// Splits the text of every literal of `ast` into its words, once each.
fn analyse_literals(
    ast: &UserInputAst,
    analyzer: &mut TextAnalyzer,
    literals: &mut HashMap<String, Vec<LiteralWord>>,
) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, child) in clauses {
                analyse_literals(child, analyzer, literals);
            }
        }
        UserInputAst::Boost(child, _) => analyse_literals(child, analyzer, literals),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                if !literals.contains_key(&literal.phrase) {
                    let words = split_words(analyzer, &literal.phrase);
                    literals.insert(literal.phrase.clone(), words);
                }
            }
        }
    }
}

/// How many different words (case aside) the literals of the query hold: what a search's
/// cost grows with, as each is expanded and matched on its own (a word repeated is one).
fn distinct_words(literals: &HashMap<String, Vec<LiteralWord>>) -> usize {
    let words: std::collections::HashSet<&str> = literals
        .values()
        .flatten()
        .map(|word| word.term.as_str())
        .collect();
    words.len()
}

/// The words of `phrase` as `analyzer` (the plain chain) finds them.
fn split_words(analyzer: &mut TextAnalyzer, phrase: &str) -> Vec<LiteralWord> {
    let mut stream = analyzer.token_stream(phrase);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        let term = token.text.clone();
        words.push(LiteralWord {
            // As typed, but without the invisible characters the index's terms lack.
            word: QueryWord::new(
                &without_invisible(&phrase[token.offset_from..token.offset_to]),
                false,
            ),
            term_stems: Lang::ALL.map(|lang| stem_word(lang, &term)),
            term,
        });
    }
    words
}

/// `barnev*` reaches us as the word `barnev*`: it becomes the prefix `barnev`. A `*` elsewhere
/// in a word (`*vern`, `bar*vern`) is refused: a leading wildcard would scan every term. So
/// is a word's `~N` (`kommune~1`).
fn prefix_literals(ast: UserInputAst) -> Result<UserInputAst, SearchError> {
    match ast {
        UserInputAst::Clause(clauses) => Ok(UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, child)| Ok((occur, prefix_literals(child)?)))
                .collect::<Result<_, SearchError>>()?,
        )),
        UserInputAst::Boost(child, boost) => Ok(UserInputAst::Boost(
            Box::new(prefix_literals(*child)?),
            boost,
        )),
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) if literal.delimiter == Delimiter::None => {
                prefix_literal(literal)
            }
            other => Ok(UserInputAst::Leaf(Box::new(other))),
        },
    }
}

/// `barnev*` as the prefix `barnev`; any other literal as it is. `source:` takes globs and
/// file names, neither prefixes nor `~N`.
fn prefix_literal(mut literal: UserInputLiteral) -> Result<UserInputAst, SearchError> {
    if literal.field_name.as_deref() != Some("source") {
        if let Some((word, distance)) = fuzzy_suffix(&literal.phrase) {
            return Err(word_slop_error(word, distance));
        }
        if literal.phrase.contains('*') {
            let stem = literal.phrase.strip_suffix('*').unwrap_or(&literal.phrase);
            if stem.is_empty() || stem.contains('*') || literal.phrase.starts_with('*') {
                return Err(SearchError::InvalidQuery(format!(
                    "'{}': only a trailing * (a prefix, as in barnev*) is supported",
                    excerpt(&literal.phrase)
                )));
            }
            literal.phrase = stem.to_string();
            literal.prefix = true;
        }
    }
    Ok(UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(
        literal,
    ))))
}

/// `kommune~1`: the word and the number after its `~`, as Lucene writes a fuzzy word.
fn fuzzy_suffix(phrase: &str) -> Option<(&str, &str)> {
    let (word, distance) = phrase.rsplit_once('~')?;
    let is_number = !distance.is_empty() && distance.bytes().all(|b| b.is_ascii_digit());
    (is_number && !word.is_empty() && !word.ends_with('\\')).then_some((word, distance))
}

/// `kommune~1` is Lucene's fuzzy word; Tantivy's grammar keeps `~1` in the word, which then
/// became the two words `kommune 1` and silently found nothing (issue 18). lete finds near
/// spellings of a word by itself, so the suffix is refused with what to write instead.
fn word_slop_error(word: &str, distance: &str) -> SearchError {
    let word = excerpt(word);
    SearchError::InvalidQuery(format!(
        "'{word}~{distance}': ~N is how far apart the words of a quoted phrase may stand \
         (\"lokalt handlingsrom\"~2); near spellings of one word are found without it, so \
         search for {word}"
    ))
}

/// How deep Tantivy's query grammar recurses to parse `query`: a level for each parenthesis
/// open outside quotes, and one for each `NOT` before an operand, since the grammar parses
/// `NOT x` by calling itself on `x` (issue 18: `a NOT NOT … NOT b` with a thousand `NOT`s
/// overflowed the stack and aborted). A `NOT` before a group counts until the group closes.
/// A bound, never below the grammar's real depth.
fn nesting_depth(query: &str) -> usize {
    // The levels each open group holds: its parenthesis and the `NOT`s before it.
    let mut groups: Vec<usize> = Vec::new();
    let (mut depth, mut deepest, mut nots) = (0usize, 0usize, 0usize);
    let mut in_phrase = false;
    let mut word = String::new();
    let end_word = |word: &mut String, nots: &mut usize, depth: usize, deepest: &mut usize| {
        if word.is_empty() {
            return;
        }
        if word.trim_start_matches(['+', '-']) == "NOT" {
            *nots += 1;
            *deepest = (*deepest).max(depth + *nots);
        } else {
            *nots = 0;
        }
        word.clear();
    };
    for c in query.chars() {
        if in_phrase {
            in_phrase = c != '"';
            continue;
        }
        match c {
            '"' => {
                end_word(&mut word, &mut nots, depth, &mut deepest);
                in_phrase = true;
                nots = 0;
            }
            '(' => {
                end_word(&mut word, &mut nots, depth, &mut deepest);
                groups.push(nots + 1);
                depth += nots + 1;
                deepest = deepest.max(depth);
                nots = 0;
            }
            ')' => {
                end_word(&mut word, &mut nots, depth, &mut deepest);
                depth -= groups.pop().unwrap_or(0);
                nots = 0;
            }
            c if c.is_whitespace() => end_word(&mut word, &mut nots, depth, &mut deepest),
            c => word.push(c),
        }
    }
    end_word(&mut word, &mut nots, depth, &mut deepest);
    deepest
}

/// `KS' medlemmer`: an apostrophe ending a word is a possessive, not the start of a quoted
/// phrase, so it is escaped before parsing (issue 3 asks that `KS'`-style words work). An
/// apostrophe that opens a single-quoted value (`source:'*.txt'`, `'alle bekker små'`) is
/// left alone, and so is the one that closes it.
fn escape_trailing_apostrophes(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len() + 2);
    let (mut in_phrase, mut in_single) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        let escaped = i > 0 && chars[i - 1] == '\\';
        if c == '"' && !escaped && !in_single {
            in_phrase = !in_phrase;
        }
        if c == '\'' && !in_phrase && !escaped {
            let after_word = i > 0 && chars[i - 1].is_alphanumeric();
            let ends_word = chars.get(i + 1).is_none_or(|next| !next.is_alphanumeric());
            if in_single {
                in_single = false;
            } else if after_word && ends_word {
                out.push('\\');
            } else if !after_word && chars[i + 1..].contains(&'\'') {
                in_single = true;
            }
        }
        out.push(c);
    }
    out
}

/// Most characters of the query (or a word of it) an error message repeats.
const EXCERPT_CHARS: usize = 80;

/// `text` as an error message repeats it: whole when short, else its start and `…` (issue
/// 18: a 10 KB query made a 10 KB error line).
fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let start: String = text.chars().take(EXCERPT_CHARS - 1).collect();
    format!("{start}…")
}

/// Tantivy's strict parser gives no reason; its lenient one often does.
fn syntax_error(query: &str, escaped: &str) -> SearchError {
    let (_, errors) = parse_query_lenient(escaped);
    let detail = errors
        .first()
        .map(|error| {
            let message = error.message.replace("\\\"", "\"");
            format!("{message} at position {}", error.pos)
        })
        .unwrap_or_else(|| {
            "an AND, OR, NOT or - lacks a word beside it, or a quote or parenthesis is \
             unbalanced"
                .to_string()
        });
    SearchError::Syntax {
        query: excerpt(query),
        detail,
    }
}

/// Walks the query, collecting the words of literals that are searched in text or heading.
fn collect_words(
    ast: &UserInputAst,
    positive: bool,
    literals: &HashMap<String, Vec<LiteralWord>>,
    words: &mut Vec<QueryWord>,
) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, child) in clauses {
                let child_positive = positive && *occur != Some(Occur::MustNot);
                collect_words(child, child_positive, literals, words);
            }
        }
        UserInputAst::Boost(child, _) => collect_words(child, positive, literals, words),
        UserInputAst::Leaf(leaf) => {
            if let (true, UserInputLeaf::Literal(literal)) = (positive, leaf.as_ref()) {
                if matches!(
                    literal.field_name.as_deref(),
                    None | Some("text" | "heading")
                ) {
                    let found = literals.get(&literal.phrase).map_or(&[][..], Vec::as_slice);
                    push_query_words(found, literal.prefix, words);
                }
            }
        }
    }
}

fn push_query_words(found: &[LiteralWord], prefix: bool, words: &mut Vec<QueryWord>) {
    let last = found.len().saturating_sub(1);
    for (i, literal_word) in found.iter().enumerate() {
        // Only the last word of `barne*` or `"lokalt handlings"*` is a prefix.
        let word = literal_word.word.with_prefix(prefix && i == last);
        if !words.contains(&word) {
            words.push(word);
        }
    }
}

/// `rekruttere lang:nb` means Norwegian passages about recruiting, not either of the two:
/// top-level `lang:` and `source:` terms without an operator are made required.
fn filters_required(ast: UserInputAst) -> UserInputAst {
    let is_filter = |child: &UserInputAst| match child {
        UserInputAst::Leaf(leaf) => {
            matches!(leaf_field(leaf).as_deref(), Some("lang" | "source"))
        }
        _ => false,
    };
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, child)| match occur {
                    None if is_filter(&child) => (Some(Occur::Must), child),
                    _ => (occur, child),
                })
                .collect(),
        ),
        other => other,
    }
}

/// The implicit phrase: top-level unquoted, unfielded words that are not excluded, each once.
fn top_level_free_words(
    ast: &UserInputAst,
    literals: &HashMap<String, Vec<LiteralWord>>,
) -> Vec<LiteralWord> {
    let mut words: Vec<LiteralWord> = Vec::new();
    let mut take = |leaf: &UserInputLeaf| {
        if let UserInputLeaf::Literal(literal) = leaf {
            if is_free_word(literal) {
                for word in literals.get(&literal.phrase).into_iter().flatten() {
                    if !words.iter().any(|known| known.word.text == word.word.text) {
                        words.push(word.clone());
                    }
                }
            }
        }
    };
    match ast {
        UserInputAst::Leaf(leaf) => take(leaf),
        UserInputAst::Clause(clauses) => {
            for (occur, child) in clauses {
                if let (false, UserInputAst::Leaf(leaf)) = (*occur == Some(Occur::MustNot), child) {
                    take(leaf);
                }
            }
        }
        UserInputAst::Boost(..) => {}
    }
    words
}

fn is_free_word(literal: &UserInputLiteral) -> bool {
    literal.field_name.is_none()
        && literal.delimiter == Delimiter::None
        && literal.slop == 0
        && !literal.prefix
}

/// Replaces user-facing field names with the index's fields; `text:` and `heading:` become a
/// disjunction over the language fields of `langs`.
fn map_fields(ast: UserInputAst, langs: &[Lang]) -> Result<UserInputAst, SearchError> {
    match ast {
        UserInputAst::Clause(clauses) => {
            let mapped = clauses
                .into_iter()
                .map(|(occur, child)| Ok((occur, map_fields(child, langs)?)))
                .collect::<Result<Vec<_>, SearchError>>()?;
            Ok(UserInputAst::Clause(mapped))
        }
        UserInputAst::Boost(child, boost) => {
            if !(0.0..=MAX_BOOST).contains(&boost.into_inner()) {
                return Err(SearchError::BadBoost);
            }
            Ok(UserInputAst::Boost(
                Box::new(map_fields(*child, langs)?),
                boost,
            ))
        }
        UserInputAst::Leaf(leaf) => map_leaf(*leaf, langs),
    }
}

fn map_leaf(leaf: UserInputLeaf, langs: &[Lang]) -> Result<UserInputAst, SearchError> {
    let Some(field) = leaf_field(&leaf) else {
        return Ok(UserInputAst::Leaf(Box::new(leaf)));
    };
    // `text:*`, and `text:[* TO *]` (issue 18: it silently found nothing).
    let any_value = match &leaf {
        UserInputLeaf::Exists { .. } => true,
        UserInputLeaf::Range { lower, upper, .. } => {
            matches!(
                (lower, upper),
                (UserInputBound::Unbounded, UserInputBound::Unbounded)
            )
        }
        _ => false,
    };
    if any_value {
        return Err(SearchError::AnyValue(field));
    }
    let targets: Vec<&str> = match field.as_str() {
        "text" => langs.iter().map(|&lang| text_field_name(lang)).collect(),
        "heading" => langs.iter().map(|&lang| heading_field_name(lang)).collect(),
        "title" => vec![names::TITLE],
        "source" => vec![names::SOURCE],
        "lang" => vec![names::LANG],
        _ => return Err(SearchError::UnknownField(excerpt(&field))),
    };
    let leaf = if field == "lang" {
        normalize_lang_value(leaf)?
    } else {
        leaf
    };
    let mut copies: Vec<(Option<Occur>, UserInputAst)> = targets
        .into_iter()
        .map(|target| {
            let copy = with_field(leaf.clone(), target);
            (Some(Occur::Should), UserInputAst::Leaf(Box::new(copy)))
        })
        .collect();
    if copies.len() == 1 {
        return Ok(copies.remove(0).1);
    }
    Ok(UserInputAst::Clause(copies))
}

fn leaf_field(leaf: &UserInputLeaf) -> Option<String> {
    match leaf {
        UserInputLeaf::Literal(literal) => literal.field_name.clone(),
        UserInputLeaf::Range { field, .. }
        | UserInputLeaf::Set { field, .. }
        | UserInputLeaf::Regex { field, .. } => field.clone(),
        UserInputLeaf::Exists { field } => Some(field.clone()),
        UserInputLeaf::All => None,
    }
}

fn with_field(leaf: UserInputLeaf, name: &str) -> UserInputLeaf {
    let target = Some(name.to_string());
    match leaf {
        UserInputLeaf::Literal(mut literal) => {
            literal.field_name = target;
            UserInputLeaf::Literal(literal)
        }
        UserInputLeaf::Range { lower, upper, .. } => UserInputLeaf::Range {
            field: target,
            lower,
            upper,
        },
        UserInputLeaf::Set { elements, .. } => UserInputLeaf::Set {
            field: target,
            elements,
        },
        UserInputLeaf::Regex { pattern, .. } => UserInputLeaf::Regex {
            field: target,
            pattern,
        },
        UserInputLeaf::Exists { .. } => UserInputLeaf::Exists {
            field: name.to_string(),
        },
        UserInputLeaf::All => UserInputLeaf::All,
    }
}

/// `lang:DA` matches the stored code `da`, `lang:no` bokmål and nynorsk (issue 19); `lang:sv`
/// is an error, not a silent miss.
fn normalize_lang_value(leaf: UserInputLeaf) -> Result<UserInputLeaf, SearchError> {
    match leaf {
        UserInputLeaf::Literal(mut literal) => {
            let lang: LangFilter = literal
                .phrase
                .trim()
                .parse()
                .map_err(SearchError::InvalidQuery)?;
            literal.phrase = lang.to_string();
            Ok(UserInputLeaf::Literal(literal))
        }
        other => Ok(other),
    }
}

pub(crate) fn text_field_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => names::TEXT_NB,
        Lang::Nn => names::TEXT_NN,
        Lang::Da => names::TEXT_DA,
    }
}

pub(crate) fn heading_field_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nb => names::HEADING_NB,
        Lang::Nn => names::HEADING_NN,
        Lang::Da => names::HEADING_DA,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ParsedQuery, SearchError> {
        parse_user_query(query, &Lang::ALL)
    }

    fn free_words(parsed: &ParsedQuery) -> Vec<&str> {
        parsed
            .phrase
            .iter()
            .map(|free| free.word.text.as_str())
            .collect()
    }

    #[test]
    fn plain_words_are_free_words_and_words() {
        let parsed = parse("demografiske utfordringer").unwrap();
        assert_eq!(free_words(&parsed), vec!["demografiske", "utfordringer"]);
        assert_eq!(texts(&parsed), free_words(&parsed));
        assert_eq!(parsed.phrase_indexes(), [0, 1]);
    }

    #[test]
    fn words_are_analysed_once_as_typed_as_terms_and_as_stems() {
        let parsed = parse("\"KS' Handlingsrommet\" barnev*").unwrap();
        let phrase = parsed.literal_words("KS' Handlingsrommet");
        let typed: Vec<&str> = phrase.iter().map(|w| w.word.text.as_str()).collect();
        assert_eq!(typed, ["KS", "Handlingsrommet"]);
        let terms: Vec<&str> = phrase.iter().map(|w| w.term.as_str()).collect();
        assert_eq!(terms, ["ks", "handlingsrommet"]);
        assert_eq!(phrase[1].term_stem(Lang::Nb), "handlingsrom");
        assert_eq!(phrase[1].word.stem(Lang::Nb), "handlingsrom");
        assert_eq!(phrase[1].word.lowercase, "handlingsrommet");
        let prefix = &parsed.words[2];
        assert_eq!((prefix.text.as_str(), prefix.prefix), ("barnev", true));
        assert_eq!(parsed.word_index("barnev", true), Some(2));
        assert_eq!(parsed.word_index("barnev", false), None);
        assert!(parsed.literal_words("anything else").is_empty());
    }

    fn texts(parsed: &ParsedQuery) -> Vec<String> {
        parsed.words.iter().map(|word| word.text.clone()).collect()
    }

    #[test]
    fn a_trailing_star_makes_a_prefix_word() {
        let parsed = parse("barnev* velferd").unwrap();
        assert_eq!(
            parsed.words,
            [
                QueryWord::new("barnev", true),
                QueryWord::new("velferd", false)
            ]
        );
    }

    #[test]
    fn excluded_and_fielded_words_are_not_looked_for() {
        let parsed = parse("velferd -barnevern title:KS lang:nb").unwrap();
        assert_eq!(texts(&parsed), vec!["velferd"]);
        assert_eq!(free_words(&parsed), vec!["velferd"]);
    }

    #[test]
    fn quoted_words_count_for_coverage_but_not_the_implicit_phrase() {
        let parsed = parse("\"alle bekker små\" velferd").unwrap();
        assert_eq!(texts(&parsed), vec!["alle", "bekker", "små", "velferd"]);
        assert_eq!(free_words(&parsed), vec!["velferd"]);
    }

    #[test]
    fn a_possessive_apostrophe_is_not_a_quote() {
        let parsed = parse("KS' medlemmer").unwrap();
        assert_eq!(texts(&parsed), vec!["KS", "medlemmer"]);
    }

    #[test]
    fn user_fields_map_onto_language_fields() {
        let parsed = parse_user_query("text:velfærd", &[Lang::Da]).unwrap();
        let debug = format!("{:?}", parsed.ast);
        assert!(debug.contains("\"text_da\":velfærd"), "{debug}");
        let parsed = parse("heading:civilsamfund").unwrap();
        let debug = format!("{:?}", parsed.ast);
        for field in ["heading_nb", "heading_nn", "heading_da"] {
            assert!(debug.contains(field), "{debug}");
        }
    }

    #[test]
    fn top_level_filters_are_required() {
        let parsed = parse("rekruttere lang:nb").unwrap();
        assert!(format!("{:?}", parsed.ast).contains("+\"lang\":nb"));
        let parsed = parse("rekruttere OR lang:nb").unwrap();
        assert!(!format!("{:?}", parsed.ast).contains("+\"lang\""));
    }

    #[test]
    fn lang_values_are_checked_and_lowercased() {
        let parsed = parse("lang:DA velfærd").unwrap();
        assert!(format!("{:?}", parsed.ast).contains("\"lang\":da"));
        let parsed = parse("lang:NO velferd").unwrap();
        assert!(format!("{:?}", parsed.ast).contains("\"lang\":no"));
        let err = parse("lang:sv velfærd").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid query: unknown language 'sv': use nb, nn, da, or no for bokmål and nynorsk"
        );
    }

    #[test]
    fn malformed_queries_are_one_line_errors() {
        for query in ["\"ubalansert", "AND", "velferd AND", "(barnevern", "title:"] {
            let err = parse(query).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, SearchError::Syntax { .. }),
                "{query}: {message}"
            );
            assert!(!message.contains('\n'), "{message}");
            assert!(message.starts_with("cannot parse the query"), "{message}");
        }
    }

    #[test]
    fn an_unbalanced_quote_says_where() {
        assert_eq!(
            parse("\"ubalansert").unwrap_err().to_string(),
            "cannot parse the query '\"ubalansert': missing delimiter \" at position 11"
        );
    }

    #[test]
    fn control_characters_are_blanks_and_punctuation_alone_is_no_query() {
        let parsed = parse("\u{7}velferd\u{1b}\u{0}barnevern\r\n").unwrap();
        assert_eq!(texts(&parsed), vec!["velferd", "barnevern"]);
        assert!(matches!(parse("\u{1}\u{2}\t"), Err(SearchError::Empty)));
        for query in ["!!! ... ,,,", "?", "\"\"", "*", "«»"] {
            let err = parse(query).unwrap_err();
            assert!(matches!(err, SearchError::NoWords(_)), "{query}: {err}");
        }
        assert_eq!(
            parse("!!! …").unwrap_err().to_string(),
            "the query '!!! …' holds no word to search for, only punctuation or symbols"
        );
    }

    #[test]
    fn r18_nesting_counts_parentheses_and_chained_nots() {
        assert_eq!(nesting_depth("velferd"), 0);
        assert_eq!(nesting_depth("((velferd))"), 2);
        assert_eq!(nesting_depth("a NOT NOT NOT b"), 3);
        // `NOT`s that each take a word do not nest.
        assert_eq!(nesting_depth("a NOT b NOT c NOT d"), 1);
        assert_eq!(nesting_depth("NOT (NOT (a))"), 4);
        assert_eq!(nesting_depth("\"NOT NOT ((\" -NOT a"), 1);
    }

    #[test]
    fn r18_a_thousand_nots_are_refused_not_a_stack_overflow() {
        let query = format!("beredskap {}kommune", "NOT ".repeat(1000));
        assert!(matches!(parse(&query), Err(SearchError::TooDeep)));
        let query = format!("beredskap {}kommune", "NOT ".repeat(MAX_NESTING));
        assert!(parse(&query).is_ok());
        let query = format!("{}beredskap{}", "NOT (".repeat(40), ")".repeat(40));
        assert!(matches!(parse(&query), Err(SearchError::TooDeep)));
    }

    #[test]
    fn r18_more_than_the_most_words_is_an_error_and_repeats_count_once() {
        let many: Vec<String> = (0..=MAX_QUERY_WORDS).map(|n| format!("ord{n}")).collect();
        let err = parse(&many.join(" ")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "the query holds {} different words; lete searches at most {MAX_QUERY_WORDS}, \
                 so shorten it",
                MAX_QUERY_WORDS + 1
            )
        );
        assert!(parse(&many[1..].join(" ")).is_ok());
        assert!(parse(&"velferd Velferd ".repeat(1000)).is_ok());
    }

    #[test]
    fn r18_a_word_slop_and_an_open_range_are_errors_not_silent_misses() {
        assert_eq!(
            parse("kommune~1").unwrap_err().to_string(),
            "invalid query: 'kommune~1': ~N is how far apart the words of a quoted phrase may \
             stand (\"lokalt handlingsrom\"~2); near spellings of one word are found without \
             it, so search for kommune"
        );
        assert!(parse("velferd beredskap~2").is_err());
        assert!(parse("\"lokalt handlingsrom\"~2").is_ok());
        assert_eq!(
            parse("text:[* TO *]").unwrap_err().to_string(),
            "'text:*' (any value) is not supported; give a word to search for"
        );
        assert!(parse("text:[* TO kommune]").is_ok());
    }

    #[test]
    fn r18_invisible_characters_inside_a_query_word_are_left_out() {
        for query in [
            "bered\u{AD}skap",
            "bered\u{200D}skap",
            "Bered\u{2060}\u{AD}skap",
        ] {
            let parsed = parse(query).unwrap();
            assert_eq!(texts(&parsed).len(), 1, "{query:?}");
            let word = &parsed.words[0];
            assert_eq!(word.lowercase, "beredskap", "{query:?}");
            assert_eq!(word.stem(Lang::Nb), "beredskap", "{query:?}");
        }
    }

    #[test]
    fn r18_an_error_repeats_at_most_the_start_of_a_long_query() {
        let long = format!("\"{}", "velferd ".repeat(1_250));
        let message = parse(&long).unwrap_err().to_string();
        assert!(message.len() < 200, "{message}");
        assert!(
            message.starts_with("cannot parse the query '\"velferd velferd"),
            "{message}"
        );
        assert!(message.contains("…'"), "{message}");
        let punctuation = "!".repeat(10_000);
        assert!(parse(&punctuation).unwrap_err().to_string().len() < 200);
    }

    #[test]
    fn unknown_fields_and_empty_queries_are_errors() {
        assert_eq!(
            parse("forfatter:ibsen").unwrap_err().to_string(),
            "unknown field 'forfatter' in the query; use title:, heading:, text:, lang: or \
             source:"
        );
        assert!(matches!(parse("   "), Err(SearchError::Empty)));
    }
}
