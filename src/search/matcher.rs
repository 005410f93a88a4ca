//! Finding the query words in a passage's text, in every form the query looked for, for
//! ranking (coverage, proximity, heading), highlights and `--explain`.

use super::expand::{Form, WordForms};
use super::parse::plain_analyzer;
#[cfg(test)]
use super::parse::QueryWord;
use crate::analysis::{stem_word, CompoundSplitter};
use crate::lang::Lang;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// The best a query word's form can score in [`WordMatcher::quality`].
/// [`WordMatcher::quality`] of a word found as another spelling.
const FOLDED_QUALITY: usize = 3;
/// [`WordMatcher::quality`] of a word found as a compound part or one edit away.
const PART_QUALITY: usize = 2;
pub(crate) const MAX_FORM_QUALITY: usize = 4;

/// Compound parts are only looked for in words this long (the splitter's own minimum).
const MIN_COMPOUND_CHARS: usize = 8;

/// A matched word in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WordMatch {
    /// Byte range of the passage word.
    pub range: Range<usize>,
    /// Which query word it matched.
    pub word: usize,
    pub form: Form,
    /// For a compound query word found as its parts: which part this is.
    pub part: Option<usize>,
    /// Word position in the text (0-based), for proximity.
    pub position: usize,
    /// Sentence of the text (0-based) the word stands in: a compound query word's parts
    /// name it only within one sentence (issue 17).
    pub sentence: usize,
    /// Edits from the query word, for a fuzzy match (else 0).
    pub edits: u8,
}

/// The query words as a passage of one language sees them.
pub(crate) struct WordMatcher {
    lang: Lang,
    words: Vec<WordForms>,
    lexicon: Option<Arc<CompoundSplitter>>,
    /// Stemmed compound parts of passage words, by word: the same words recur across
    /// candidates.
    parts: RefCell<HashMap<String, Vec<String>>>,
    /// Stems of passage words, by word, for the same reason.
    stems: RefCell<HashMap<String, String>>,
    /// What a passage word must begin with, or hold inside, to match some query word in some
    /// form ([`WordMatcher::may_match`]).
    starts: Vec<String>,
    inner_parts: Vec<String>,
    /// `lete_plain`, the process's one copy cloned: `analyze_with_offsets` builds the chain
    /// and a `String` per word on every call.
    plain: RefCell<TextAnalyzer>,
    /// Whether passages of this language are in the language the query is written in, as
    /// far as its words tell (issue 17).
    in_query_lang: bool,
}

impl WordMatcher {
    #[cfg(test)]
    /// A matcher of stems and exact words only (no index at hand).
    pub(crate) fn new(lang: Lang, words: &[QueryWord]) -> WordMatcher {
        let forms = words
            .iter()
            .map(|word| WordForms::bare(lang, word))
            .collect();
        WordMatcher::with_forms(lang, forms, None)
    }

    /// A matcher of every form the query expanded to.
    pub(crate) fn with_forms(
        lang: Lang,
        words: Vec<WordForms>,
        lexicon: Option<Arc<CompoundSplitter>>,
    ) -> WordMatcher {
        let (starts, inner_parts) = word_screens(&words);
        WordMatcher {
            lang,
            words,
            lexicon,
            parts: RefCell::new(HashMap::new()),
            stems: RefCell::new(HashMap::new()),
            starts,
            inner_parts,
            plain: RefCell::new(plain_analyzer()),
            in_query_lang: false,
        }
    }

    /// The same matcher, its passages said to be in the query's language or not.
    pub(crate) fn in_query_lang(mut self, in_query_lang: bool) -> WordMatcher {
        self.in_query_lang = in_query_lang;
        self
    }

    /// Whether its passages are in the query's language ([`WordMatcher::in_query_lang`]).
    pub(crate) fn is_in_query_lang(&self) -> bool {
        self.in_query_lang
    }

    pub(crate) fn words(&self) -> &[WordForms] {
        &self.words
    }

    /// Every word of `text` that matches a query word, in text order, one entry per word
    /// (the first query word it matches, in its best form).
    pub(crate) fn matches(&self, text: &str) -> Vec<WordMatch> {
        // The stemmed chain is the plain one with each word stemmed, so the text is tokenized
        // once, and only a word that may match is stemmed (issue 5: stemming and a `String`
        // per word were a third of a warm query's time on the 100 MB bench index).
        let mut plain = self.plain.borrow_mut();
        let mut stream = plain.token_stream(text);
        let mut found = Vec::new();
        let mut position = 0;
        // Sentences are counted in the text up to each match only, so a text is read once.
        let (mut sentence, mut counted_to) = (0, 0);
        while stream.advance() {
            let token = stream.token();
            let word = token.text.as_str();
            if self.may_match(word) {
                let stem = self.stem_of(word);
                if let Some((index, form, part, edits)) = self.match_word(word, &stem) {
                    sentence += sentence_ends(&text[counted_to..token.offset_from]);
                    counted_to = token.offset_from;
                    found.push(WordMatch {
                        range: token.offset_from..token.offset_to,
                        word: index,
                        form,
                        part,
                        position,
                        sentence,
                        edits,
                    });
                }
            }
            position += 1;
        }
        found
    }

    /// Whether passage word `plain` can match any query word in any form: every form
    /// [`WordMatcher::form_of`] accepts is the word as typed, a term its stem equals, or a
    /// part it holds, and a stem is a prefix of its word (Snowball Norwegian and Danish only
    /// take endings off; a test checks it on the corpus). Words that fail are not stemmed.
    fn may_match(&self, plain: &str) -> bool {
        self.starts
            .iter()
            .any(|begin| plain.starts_with(begin.as_str()))
            || self
                .inner_parts
                .iter()
                .any(|held| plain.contains(held.as_str()))
    }

    /// The best match of one passage word (`plain` lowercased, `stem` stemmed) against the
    /// query words.
    fn match_word(&self, plain: &str, stem: &str) -> Option<(usize, Form, Option<usize>, u8)> {
        let mut best: Option<(usize, Form, Option<usize>, u8)> = None;
        for (index, forms) in self.words.iter().enumerate() {
            let Some((form, part)) = self.form_of(forms, plain, stem) else {
                continue;
            };
            let edits = match form {
                Form::Fuzzy => forms
                    .fuzzy
                    .iter()
                    .find(|(term, _)| term == stem)
                    .map_or(0, |(_, edits)| *edits),
                _ => 0,
            };
            // A whole word beats a part of a compound query word, then the better form.
            let better =
                |(_, known, known_part, known_edits): &(usize, Form, Option<usize>, u8)| {
                    (part.is_some(), form, edits) < (known_part.is_some(), *known, *known_edits)
                };
            if best.as_ref().is_none_or(better) {
                best = Some((index, form, part, edits));
            }
        }
        best
    }

    fn form_of(&self, forms: &WordForms, plain: &str, stem: &str) -> Option<(Form, Option<usize>)> {
        if forms.prefix {
            let begins =
                plain.starts_with(&forms.word) || forms.prefixed.iter().any(|term| term == stem);
            return begins.then_some((Form::Prefix, None));
        }
        if plain == forms.word {
            return Some((Form::Exact, None));
        }
        if stem == forms.stem {
            if derived_by_the_stemmer(plain, &forms.word, stem) {
                return Some((Form::Derived, None));
            }
            return Some((Form::Stem, None));
        }
        if forms.folded.iter().any(|folded| folded == stem) {
            return Some((Form::Folded, None));
        }
        if forms.nynorsk.iter().any(|counterpart| counterpart == stem) {
            return Some((Form::Nynorsk, None));
        }
        // A part's stem is a prefix of the part, so a compound holding it holds the stem as
        // written: the cheap test first, the lexicon split only then.
        if forms.parts.iter().any(|part| plain.contains(part.as_str())) {
            let parts = self.parts_of(plain);
            if forms.parts.iter().any(|part| parts.contains(part)) {
                return Some((Form::Compound, None));
            }
        }
        if forms.holders.iter().any(|holder| holder == stem) {
            return Some((Form::Compound, None));
        }
        if forms.derived.iter().any(|derived| derived == stem) {
            return Some((Form::Derived, None));
        }
        if forms.fuzzy.iter().any(|(term, _)| term == stem) {
            return Some((Form::Fuzzy, None));
        }
        // Last, a part of a compound query word (`klima` of `klimaendringer`).
        if let Some(part) = forms.split.iter().position(|part| part == stem) {
            return Some((Form::Compound, Some(part)));
        }
        if let Some(part) = forms
            .split_derived
            .iter()
            .position(|derived| derived.iter().any(|d| d == stem))
        {
            return Some((Form::Derived, Some(part)));
        }
        if forms.split.iter().any(|part| plain.contains(part.as_str())) {
            let parts = self.parts_of(plain);
            if let Some(part) = forms.split.iter().position(|p| parts.contains(p)) {
                return Some((Form::Compound, Some(part)));
            }
        }
        None
    }

    fn stem_of(&self, plain: &str) -> String {
        if let Some(stem) = self.stems.borrow().get(plain) {
            return stem.clone();
        }
        let stem = stem_word(self.lang, plain);
        self.stems
            .borrow_mut()
            .insert(plain.to_string(), stem.clone());
        stem
    }

    /// The stemmed compound parts of a passage word, empty when it is no compound.
    fn parts_of(&self, plain: &str) -> Vec<String> {
        let Some(lexicon) = &self.lexicon else {
            return Vec::new();
        };
        if plain.chars().count() < MIN_COMPOUND_CHARS {
            return Vec::new();
        }
        if let Some(parts) = self.parts.borrow().get(plain) {
            return parts.clone();
        }
        let parts: Vec<String> = lexicon
            .split(self.lang, plain)
            .iter()
            .map(|part| stem_word(self.lang, part))
            .collect();
        self.parts
            .borrow_mut()
            .insert(plain.to_string(), parts.clone());
        parts
    }

    /// The query words that `matches` hold: a word counts when matched whole, or when a
    /// compound query word's parts are all there.
    pub(crate) fn covered(&self, matches: &[WordMatch]) -> BTreeSet<usize> {
        (0..self.words.len())
            .filter(|&index| {
                matches.iter().any(|m| m.word == index && m.part.is_none())
                    || self.has_all_parts(matches, index)
            })
            .collect()
    }

    /// Whether query word `index` is a compound whose parts `matches` all hold, near each
    /// other (within the near phrase's window, in one sentence): a compound names one thing,
    /// and its parts stand together where a text names it in words (`klima i endring`,
    /// `kompetanse på personvern`), not at the two ends of a long passage, nor on either side
    /// of a full stop (`kompetanse. Samfunnsutvikling`: issue 17).
    fn has_all_parts(&self, matches: &[WordMatch], index: usize) -> bool {
        let parts = self.words[index].split.len();
        if parts == 0 {
            return false;
        }
        let found: Vec<&WordMatch> = matches
            .iter()
            .filter(|m| m.word == index && m.part.is_some())
            .collect();
        let window = parts + NEAR_SLOP;
        found.iter().any(|start| {
            (0..parts).all(|part| {
                found.iter().any(|m| {
                    m.part == Some(part)
                        && m.sentence == start.sentence
                        && m.position >= start.position
                        && m.position < start.position + window
                })
            })
        })
    }

    /// How well `matches` hold the query words: per word, 4 for the word itself or its
    /// stem (or a prefix match), 3 for a folded spelling, 2 for a compound part or a spelling
    /// one edit away (the two never compete for one word: a word is only matched fuzzily when
    /// the corpus lacks it in every other form), 1 for a spelling two edits away or a
    /// compound query word found as its parts, 0 when missing. Ranks an exact match above
    /// the other forms.
    pub(crate) fn quality(&self, matches: &[WordMatch]) -> usize {
        (0..self.words.len())
            .filter(|&index| self.counts(index))
            .map(|index| self.word_quality(matches, index))
            .sum()
    }

    /// How well `matches` hold query word `index`, as [`WordMatcher::quality`] counts it.
    fn word_quality(&self, matches: &[WordMatch], index: usize) -> usize {
        let best = matches
            .iter()
            .filter(|m| m.word == index && m.part.is_none())
            .map(|m| (m.form, m.edits))
            .min();
        match best {
            // A word in the other written Norwegian is the word itself (issue 17), unless the
            // passages of the word's own standard have it as written (issue 15).
            Some((Form::Nynorsk, _)) if self.words[index].counterpart_only => FOLDED_QUALITY,
            Some((Form::Stem, _)) if self.words[index].stem_of_function_word => PART_QUALITY,
            Some((Form::Exact | Form::Stem | Form::Nynorsk | Form::Prefix, _)) => MAX_FORM_QUALITY,
            Some((Form::Folded, _)) => FOLDED_QUALITY,
            Some((Form::Compound, _)) | Some((Form::Fuzzy, 0 | 1)) => PART_QUALITY,
            // A derivation is a lower form than a compound part (issue 17).
            Some((Form::Derived | Form::Fuzzy, _)) => 1,
            None => usize::from(self.has_all_parts(matches, index)),
        }
    }

    /// The highest [`WordMatcher::quality`] a passage of this matcher's language can reach,
    /// given the matches of its heading path when known. Its text can hold a word whose stem
    /// the language's passages lack ([`WordForms::stem_absent`]) at best as another spelling
    /// or a compound part; its heading path can hold it better, though (the document's title,
    /// or a heading above its own, is in no passage's text or heading field), so unknown
    /// heading matches count as the best.
    pub(crate) fn best_quality(&self, heading: Option<&[WordMatch]>) -> usize {
        (0..self.words.len())
            .filter(|&index| self.counts(index))
            .map(|index| {
                let Some(heading) = heading else {
                    return MAX_FORM_QUALITY;
                };
                let forms = &self.words[index];
                let in_text = if forms.prefix || !forms.stem_absent || !forms.nynorsk.is_empty() {
                    MAX_FORM_QUALITY
                } else if !forms.folded.is_empty() {
                    FOLDED_QUALITY
                } else {
                    PART_QUALITY
                };
                in_text.max(self.word_quality(heading, index))
            })
            .sum()
    }

    /// Whether query word `index` counts in the ranking's word counts: a common word (in a
    /// large share of the passages: `og`, `for`) or a function word (`hvordan`, `kva`) counts
    /// only when the query is all such words, so `mentorordning for ledere` is about
    /// mentoring, not about `for`, and `hvordan kan kommunene rekruttere` about recruiting.
    pub(crate) fn counts(&self, index: usize) -> bool {
        !self.words[index].is_filler() || self.words.iter().all(WordForms::is_filler)
    }

    /// Whether query word `index` is left out of the word counts as a function word (and not
    /// already as a common word).
    pub(crate) fn left_out_as_function_word(&self, index: usize) -> bool {
        let forms = &self.words[index];
        !self.counts(index) && forms.function_word && !forms.common
    }

    /// How many of `words` count ([`WordMatcher::counts`]).
    pub(crate) fn counted(&self, words: &BTreeSet<usize>) -> usize {
        words.iter().filter(|&&index| self.counts(index)).count()
    }

    #[cfg(test)]
    /// How many distinct query words `texts` hold between them.
    pub(crate) fn coverage(&self, texts: &[&str]) -> usize {
        let matches: Vec<WordMatch> = texts.iter().flat_map(|text| self.matches(text)).collect();
        self.covered(&matches).len()
    }
}

/// Whether two words of one stem are a word and its derivation rather than two inflections:
/// Snowball takes the noun suffix `-het` (Danish `-hed`) off with the endings, so
/// `sikkerhet` and `sikkert` share the stem `sikker` (issue 17).
fn derived_by_the_stemmer(plain: &str, query_word: &str, stem: &str) -> bool {
    let has_noun_suffix = |word: &str| {
        word.get(stem.len()..)
            .is_some_and(|ending| ending.starts_with("het") || ending.starts_with("hed"))
    };
    has_noun_suffix(plain) != has_noun_suffix(query_word)
}

/// How many sentences end in `gap` (text between words).
fn sentence_ends(gap: &str) -> usize {
    gap.bytes()
        .filter(|byte| matches!(byte, b'.' | b'!' | b'?'))
        .count()
}

/// What screens passage words before they are stemmed: the strings a matching passage word
/// begins with (the word as typed, and every term its stem may equal) and the parts it may
/// hold inside, over all query words.
fn word_screens(words: &[WordForms]) -> (Vec<String>, Vec<String>) {
    let mut begins = BTreeSet::new();
    let mut holds = BTreeSet::new();
    for forms in words {
        begins.insert(forms.word.clone());
        begins.insert(forms.stem.clone());
        begins.extend(forms.folded.iter().cloned());
        begins.extend(forms.nynorsk.iter().cloned());
        begins.extend(forms.fuzzy.iter().map(|(term, _)| term.clone()));
        begins.extend(forms.prefixed.iter().cloned());
        begins.extend(forms.derived.iter().cloned());
        begins.extend(forms.holders.iter().cloned());
        begins.extend(forms.split_derived.iter().flatten().cloned());
        holds.extend(forms.parts.iter().cloned());
        holds.extend(forms.split.iter().cloned());
    }
    (without_extensions(begins), holds.into_iter().collect())
}

/// `sorted` without the strings another of them begins (`strategisk` when `strategi` is
/// there): a word beginning with one begins with the other, and each passage word is tested
/// against every string left. In sorted order a string's extensions follow it directly.
fn without_extensions(sorted: BTreeSet<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(sorted.len());
    for string in sorted {
        if kept
            .last()
            .is_none_or(|last| !string.starts_with(last.as_str()))
        {
            kept.push(string);
        }
    }
    kept
}

/// How close together the words `phrase` (query word indexes, in order) stand in `matches`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Proximity {
    /// Not all together.
    Apart,
    /// All within a few words of each other.
    Near,
    /// Adjacent, in query order.
    Phrase,
}

impl Proximity {
    pub fn name(self) -> &'static str {
        match self {
            Proximity::Apart => "apart",
            Proximity::Near => "near",
            Proximity::Phrase => "phrase",
        }
    }
}

/// Words that may stand between the phrase's words and still be near.
pub(crate) const NEAR_SLOP: usize = 4;

/// The proximity of `phrase` in one text's `matches` (of whole words).
pub(crate) fn proximity(phrase: &[usize], matches: &[WordMatch]) -> Proximity {
    if phrase.len() < 2 {
        return Proximity::Apart;
    }
    let whole: Vec<&WordMatch> = matches.iter().filter(|m| m.part.is_none()).collect();
    let at = |position: usize, word: usize| {
        whole
            .iter()
            .any(|m| m.position == position && m.word == word)
    };
    let is_phrase = whole.iter().filter(|m| m.word == phrase[0]).any(|first| {
        phrase
            .iter()
            .enumerate()
            .all(|(offset, &word)| at(first.position + offset, word))
    });
    if is_phrase {
        return Proximity::Phrase;
    }
    // The shortest window holding every phrase word.
    let limit = phrase.len() + NEAR_SLOP;
    for (i, start) in whole.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for next in &whole[i..] {
            if next.position >= start.position + limit {
                break;
            }
            if phrase.contains(&next.word) {
                seen.insert(next.word);
            }
        }
        if seen.len() == phrase.iter().collect::<BTreeSet<_>>().len() {
            return Proximity::Near;
        }
    }
    Proximity::Apart
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze_with_offsets, Lexicon};
    use std::path::Path;

    /// `matches` as it was before words were screened by `may_match`: every word stemmed.
    fn matches_of_every_word(matcher: &WordMatcher, text: &str) -> Vec<WordMatch> {
        analyze_with_offsets(None, text)
            .iter()
            .enumerate()
            .filter_map(|(position, (word, range))| {
                let stem = stem_word(matcher.lang, word);
                let (word, form, part, edits) = matcher.match_word(word, &stem)?;
                Some(WordMatch {
                    range: range.clone(),
                    word,
                    form,
                    part,
                    position,
                    sentence: sentence_ends(&text[..range.start]),
                    edits,
                })
            })
            .collect()
    }

    /// Screening words before stemming them finds what stemming every word finds, in every
    /// form, over the whole bundled corpus.
    #[test]
    fn screened_words_match_as_every_word_stemmed() {
        let lexicon = Arc::new(CompoundSplitter::from(Lexicon::from_words([
            "samfunn",
            "beredskap",
            "klima",
            "endringer",
            "velferd",
            "handlings",
            "rom",
        ])));
        let mut checked = 0;
        for lang in Lang::ALL {
            let mut words: Vec<WordForms> = query(&[
                "handlingsrom",
                "beredskap",
                "velfærd",
                "klimaendringer",
                "økonomiaftalen",
                "kommune",
            ])
            .iter()
            .map(|word| WordForms::bare(lang, word))
            .collect();
            words[1].parts = vec![stem_word(lang, "beredskap")];
            words[2].folded = vec![stem_word(lang, "velfaerd")];
            words[3].split = vec![stem_word(lang, "klima"), stem_word(lang, "endringer")];
            words[4].fuzzy = vec![(stem_word(lang, "økonomiaftal"), 1)];
            words[5].prefix = true;
            words[5].prefixed = vec!["kommun".to_string(), "+kommun".to_string()];
            let matcher = WordMatcher::with_forms(lang, words, Some(Arc::clone(&lexicon)));
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
            for entry in std::fs::read_dir(corpus).expect("corpus") {
                let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
                let found = matcher.matches(&text);
                assert_eq!(found, matches_of_every_word(&matcher, &text));
                checked += found.len();
            }
        }
        assert!(checked > 500, "{checked}");
    }

    /// `form_of` skips the split of a word that does not hold a part's stem: sound only while
    /// every stem is a prefix of its word, as here for every word of the bundled corpus (and
    /// three letters at least, as Snowball's R1 keeps them).
    #[test]
    fn every_stem_is_a_prefix_of_its_word() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(corpus).expect("corpus") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            for (word, _) in analyze_with_offsets(None, &text) {
                for lang in Lang::ALL {
                    let stem = stem_word(lang, &word);
                    assert!(word.starts_with(&stem), "{lang}: {word} → {stem}");
                    // The lexicon's split relies on this too (`Lexicon::knows_head`).
                    let long = word.chars().count() >= 4 && word.chars().all(char::is_alphabetic);
                    assert!(
                        !long || stem.chars().count() >= 3,
                        "{lang}: {word} → {stem}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    fn query(words: &[&str]) -> Vec<QueryWord> {
        words
            .iter()
            .map(|text| QueryWord::new(text, false))
            .collect()
    }

    #[test]
    fn forms_are_told_apart() {
        let lexicon = Arc::new(CompoundSplitter::from(Lexicon::from_words([
            "samfunn", "nivået",
        ])));
        let mut words: Vec<WordForms> = query(&["beredskap", "frisættelse", "økonomiaftalen"])
            .iter()
            .map(|word| WordForms::bare(Lang::Da, word))
            .collect();
        words[0].parts = vec![stem_word(Lang::Da, "beredskap")];
        words[1].folded = vec![stem_word(Lang::Da, "frisaettelse")];
        words[2].fuzzy = vec![(stem_word(Lang::Da, "konomiaftalen"), 1)];
        let matcher = WordMatcher::with_forms(Lang::Da, words, Some(lexicon));
        let text = "Beredskap, samfunnsberedskap, frisaettelse og konomiaftalen";
        let forms: Vec<(usize, Form)> = matcher
            .matches(text)
            .iter()
            .map(|m| (m.word, m.form))
            .collect();
        assert_eq!(
            forms,
            [
                (0, Form::Exact),
                (0, Form::Compound),
                (1, Form::Folded),
                (2, Form::Fuzzy)
            ]
        );
    }

    #[test]
    fn a_compound_query_word_is_covered_by_all_its_parts() {
        let lexicon = Arc::new(CompoundSplitter::from(Lexicon::from_words([
            "klima",
            "endringer",
        ])));
        let word = QueryWord::new("klimaendringer", false);
        let mut forms = WordForms::bare(Lang::Nb, &word);
        forms.split = lexicon
            .split(Lang::Nb, "klimaendringer")
            .iter()
            .map(|part| stem_word(Lang::Nb, part))
            .collect();
        let matcher = WordMatcher::with_forms(Lang::Nb, vec![forms], Some(lexicon));
        assert_eq!(matcher.coverage(&["konsekvensen av et klima i endring"]), 1);
        assert_eq!(matcher.coverage(&["et endret klima"]), 0);
        // Issue 17: parts at the two ends of a passage do not name the compound.
        let far = "Klima er ett tema blant mange i planen som kommunestyret vedtok i fjor, og \
                   mye annet er sagt om saken før vi kom til endringer";
        assert_eq!(matcher.coverage(&[far]), 0);
        // Nor do parts on either side of a full stop.
        assert_eq!(matcher.coverage(&["et godt klima. Endringer kommer"]), 0);
    }

    #[test]
    fn prefix_words_match_every_word_they_begin() {
        let words = vec![QueryWord::new("barnev", true)];
        let matcher = WordMatcher::new(Lang::Nb, &words);
        let matched: Vec<Form> = matcher
            .matches("Barnevernet og barnevern, ikke barn")
            .iter()
            .map(|m| m.form)
            .collect();
        assert_eq!(matched, [Form::Prefix, Form::Prefix]);
    }

    #[test]
    fn proximity_tells_phrase_near_and_apart() {
        let matcher = WordMatcher::new(Lang::Nb, &query(&["lokalt", "handlingsrom"]));
        let phrase = [0, 1];
        let exact = matcher.matches("å fremme lokalt handlingsrom og");
        assert_eq!(proximity(&phrase, &exact), Proximity::Phrase);
        let near = matcher.matches("handlingsrom er viktig lokalt");
        assert_eq!(proximity(&phrase, &near), Proximity::Near);
        let apart = matcher.matches("lokalt er det mye som skjer, men ikke alltid handlingsrom");
        assert_eq!(proximity(&phrase, &apart), Proximity::Apart);
    }
}
