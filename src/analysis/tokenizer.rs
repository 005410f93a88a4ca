//! The word tokenizer: Unicode word boundaries (UAX #29) in, words with byte offsets out.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// Words longer than this (in bytes) are dropped: they are URLs, base64 or OCR garbage, never
/// something a user types, and they bloat the term dictionary. They still take a position so
/// that phrase distances around them stay true.
pub(crate) const MAX_TOKEN_BYTES: usize = 100;

/// Splits text into words at Unicode word boundaries.
///
/// A word is a boundary segment holding at least one letter or digit, so `2023-2025` gives
/// `2023` and `2025`, and punctuation, spaces and emoji give nothing. Apostrophes at the edges
/// are trimmed (`KS'` gives `KS`) while inner ones stay (`KS's`). Invisible characters inside a
/// word (soft hyphens, zero-width joiners: `INVISIBLE`) are left out of its text, so that
/// `sam\u{AD}funn` is `samfunn` (issue 6); otherwise a token's text is exactly
/// `text[offset_from..offset_to]`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            cursor: 0,
            fallback: None,
            next_position: 0,
            token: Token::default(),
        }
    }
}

/// The words of one text, produced lazily.
///
/// Most of a Nordic text is plain words between spaces, for which UAX #29 needs no tables:
/// a run of ASCII letters and digits and Latin-1 letters is one word, and a quote, bracket
/// or stop before or after it stands alone. Such chunks are cut here directly; any other
/// chunk goes through `unicode-segmentation` (issue 5: its table lookups were a sixth of the
/// indexer's time). A property test holds the two ways to the same tokens.
pub(crate) struct WordTokenStream<'a> {
    text: &'a str,
    /// Where the text not yet cut into chunks begins.
    cursor: usize,
    /// The boundary segments of a chunk the fast way cannot cut, and the chunk's offset.
    fallback: Option<(usize, UWordBoundIndices<'a>)>,
    next_position: usize,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((base, segments)) = &mut self.fallback {
                let base = *base;
                match segments.next() {
                    Some((segment_start, segment)) => {
                        if let Some((word_start, word)) =
                            word_in_segment(base + segment_start, segment)
                        {
                            if self.emit(word_start, word) {
                                return true;
                            }
                        }
                        continue;
                    }
                    None => self.fallback = None,
                }
            }
            let rest = &self.text.as_bytes()[self.cursor..];
            let Some(chunk_from) = rest.iter().position(|byte| !is_chunk_space(*byte)) else {
                self.cursor = self.text.len();
                return false;
            };
            let spaces_start = self.cursor;
            let chunk_start = self.cursor + chunk_from;
            let chunk_end = self.text.as_bytes()[chunk_start..]
                .iter()
                .position(|byte| is_chunk_space(*byte))
                .map_or(self.text.len(), |length| chunk_start + length);
            self.cursor = chunk_end;
            match plain_word(&self.text[chunk_start..chunk_end]) {
                Some(Some(word)) => {
                    let word_start = chunk_start + word.start;
                    let word = &self.text[word_start..chunk_start + word.end];
                    let position = self.next_position;
                    self.next_position += 1;
                    if word.len() <= MAX_TOKEN_BYTES {
                        // A plain word holds no invisible character: its text is itself.
                        self.token.text.clear();
                        self.token.text.push_str(word);
                        set_place(&mut self.token, position, word_start, word);
                        return true;
                    }
                }
                Some(None) => {}
                // The spaces before the chunk go with it: a combining mark at its start
                // belongs to the space before (rule WB4), as it does in the whole text.
                None => {
                    let region = &self.text[spaces_start..chunk_end];
                    self.fallback = Some((spaces_start, region.split_word_bound_indices()));
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl WordTokenStream<'_> {
    /// Takes the next position for `word`; false when the word is too long to be a token.
    fn emit(&mut self, word_start: usize, word: &str) -> bool {
        let position = self.next_position;
        self.next_position += 1;
        if word.len() > MAX_TOKEN_BYTES {
            return false;
        }
        fill_token(&mut self.token, position, word_start, word);
        true
    }
}

/// The spaces chunks are cut at. UAX #29 always breaks before them, and after them unless a
/// combining mark or joiner follows (which a plain chunk never starts with).
fn is_chunk_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// For a chunk of openings, then at most one run of plain word chars, then closings: the
/// byte range of the word in it (`Some(None)` when there is none). `None` for any other
/// chunk, which needs the full rules.
fn plain_word(chunk: &str) -> Option<Option<std::ops::Range<usize>>> {
    // Byte by byte: every plain char is ASCII or one of a few two- and three-byte sequences.
    let bytes = chunk.as_bytes();
    let mut at = 0;
    while let Some(length) = plain_opening_len(&bytes[at..]) {
        at += length;
    }
    let word_start = at;
    while let Some(length) = plain_word_char_len(&bytes[at..]) {
        at += length;
    }
    let word_end = at;
    while let Some(length) = plain_closing_len(&bytes[at..]) {
        at += length;
    }
    if at < bytes.len() {
        return None;
    }
    Some((word_start < word_end).then_some(word_start..word_end))
}

/// The UTF-8 length of the plain word char that `bytes` starts with: an ASCII letter or digit,
/// or a Latin-1 letter (all `ALetter` or `Numeric` in UAX #29, so any run of them is one word).
/// A test holds the byte classes to their definitions as chars.
fn plain_word_char_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [byte, ..] if byte.is_ascii_alphanumeric() => Some(1),
        // U+00C0..=U+00FF are 0xC3 0x80..=0xBF; × is 0xC3 0x97, ÷ is 0xC3 0xB7.
        [0xC3, next, ..] if (0x80..=0xBF).contains(next) && *next != 0x97 && *next != 0xB7 => {
            Some(2)
        }
        _ => None,
    }
}

/// The UTF-8 length of the plain opening (punctuation that stands alone before a plain word,
/// class Other in UAX #29) that `bytes` starts with.
fn plain_opening_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'(' | b'[', ..] => Some(1),
        [0xC2, 0xAB, ..] => Some(2),       // «
        [0xE2, 0x80, 0x9C, ..] => Some(3), // “
        _ => None,
    }
}

/// The UTF-8 length of the plain closing that `bytes` starts with: punctuation that stands
/// alone after a plain word (stops join two letters or digits, rules WB6, WB7, WB11, WB12, but
/// here no letter or digit follows).
fn plain_closing_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b')' | b']' | b'"' | b',' | b'.' | b';' | b':' | b'!' | b'?', ..] => Some(1),
        [0xC2, 0xBB, ..] => Some(2),       // »
        [0xE2, 0x80, 0x9D, ..] => Some(3), // ”
        _ => None,
    }
}

/// Characters that do not show and never change a word: soft hyphen, zero-width space,
/// non-joiner and joiner, word joiner, BOM.
pub(super) const INVISIBLE: [char; 6] = [
    '\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
];

/// `word` without its invisible characters, as the tokenizer makes a term of it: how a query
/// word typed with a soft hyphen (`bered\u{AD}skap`) meets the indexed word (issue 18).
pub(crate) fn without_invisible(word: &str) -> String {
    word.chars().filter(|c| !INVISIBLE.contains(c)).collect()
}

/// Reuses the token's buffer rather than allocating a new string per word.
fn fill_token(token: &mut Token, position: usize, offset_from: usize, word: &str) {
    token.text.clear();
    if word.contains(INVISIBLE) {
        token
            .text
            .extend(word.chars().filter(|c| !INVISIBLE.contains(c)));
    } else {
        token.text.push_str(word);
    }
    set_place(token, position, offset_from, word);
}

/// The token's offsets (those of `word`, starting at `offset_from`) and position.
fn set_place(token: &mut Token, position: usize, offset_from: usize, word: &str) {
    token.offset_from = offset_from;
    token.offset_to = offset_from + word.len();
    token.position = position;
    token.position_length = 1;
}

/// The word inside one boundary segment, with its byte offset in the whole text, or `None` when
/// the segment is space, punctuation or symbols.
fn word_in_segment(segment_start: usize, segment: &str) -> Option<(usize, &str)> {
    // UAX #29 never ends a Latin word on an apostrophe, but Hebrew letters keep a following
    // one (rule WB7a), and `KS'` must match `KS` either way.
    let without_leading = segment.trim_start_matches(is_apostrophe);
    let word = without_leading.trim_end_matches(is_apostrophe);
    if !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some((segment_start + segment.len() - without_leading.len(), word))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (text, position, byte range) of every token.
    fn tokens(text: &str) -> Vec<(String, usize, std::ops::Range<usize>)> {
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from..token.offset_to,
            ));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(text, _, _)| text).collect()
    }

    #[test]
    fn soft_hyphens_and_zero_width_joiners_inside_a_word_are_left_out() {
        let text = "Sam\u{AD}funns\u{AD}ansvaret og null\u{200D}bredde";
        assert_eq!(texts(text), ["Samfunnsansvaret", "og", "nullbredde"]);
        assert_eq!(tokens(text)[0].2, 0..20);
    }

    #[test]
    fn trailing_apostrophe_and_year_range_from_corpus_title() {
        assert_eq!(
            tokens("KS' strategi 2024-2027"),
            vec![
                ("KS".to_string(), 0, 0..2),
                ("strategi".to_string(), 1, 4..12),
                ("2024".to_string(), 2, 13..17),
                ("2027".to_string(), 3, 18..22),
            ]
        );
    }

    #[test]
    fn curly_apostrophe_is_trimmed_too() {
        // U+2019 is three bytes, so `mål` starts at byte 6.
        assert_eq!(
            tokens("KS’ mål"),
            vec![("KS".to_string(), 0, 0..2), ("mål".to_string(), 1, 6..10)]
        );
    }

    #[test]
    fn possessive_apostrophe_stays_inside_the_word() {
        assert_eq!(texts("KS's arbeid"), ["KS's", "arbeid"]);
    }

    #[test]
    fn en_dash_period_from_corpus_gives_two_years() {
        assert_eq!(
            texts("Plan for arbeidet 2023 – 2025"),
            ["Plan", "for", "arbeidet", "2023", "2025"]
        );
    }

    #[test]
    fn nordic_letters_keep_byte_offsets() {
        let text = "Bærekraftige kommuner, økt forståelse";
        for (word, _, range) in tokens(text) {
            assert_eq!(&text[range], word);
        }
        assert_eq!(
            texts(text),
            ["Bærekraftige", "kommuner", "økt", "forståelse"]
        );
    }

    #[test]
    fn quotes_and_section_signs_are_not_words() {
        assert_eq!(
            texts("«Alle bekker små» jfr vedtektenes §9."),
            ["Alle", "bekker", "små", "jfr", "vedtektenes", "9"]
        );
    }

    #[test]
    fn decomposed_aring_stays_one_word() {
        // `pa` + combining ring above: the mark belongs to the word (UAX #29 rule WB4).
        let text = "pa\u{30A} sikt";
        assert_eq!(
            tokens(text),
            vec![
                ("pa\u{30A}".to_string(), 0, 0..4),
                ("sikt".to_string(), 1, 5..9),
            ]
        );
    }

    #[test]
    fn zero_width_space_emoji_control_and_rtl_text() {
        assert_eq!(
            texts("kommune\u{200B}direktør 👍 a\u{0}b\u{7}c שלום עולם"),
            ["kommune", "direktør", "a", "b", "c", "שלום", "עולם"]
        );
    }

    #[test]
    fn overlong_word_is_dropped_but_keeps_its_position() {
        let long_word = "x".repeat(MAX_TOKEN_BYTES + 1);
        let longest_kept = "y".repeat(MAX_TOKEN_BYTES);
        let text = format!("kort {long_word} ord {longest_kept}");
        let positions: Vec<(String, usize)> = tokens(&text)
            .into_iter()
            .map(|(text, position, _)| (text, position))
            .collect();
        assert_eq!(
            positions,
            vec![
                ("kort".to_string(), 0),
                ("ord".to_string(), 2),
                (longest_kept, 3)
            ]
        );
    }

    #[test]
    fn empty_and_blank_text_give_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens(" \n\t – « » ... ").is_empty());
    }

    /// Letters and digits a plain word is made of: ASCII ones and the Latin-1 letters (all
    /// `ALetter` or `Numeric` in UAX #29, so any run of them is one word).
    fn is_plain_word_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || (matches!(c, '\u{C0}'..='\u{FF}') && c != '×' && c != '÷')
    }

    /// Punctuation that stands alone before a plain word (UAX #29 class Other).
    fn is_plain_opening(c: char) -> bool {
        matches!(c, '(' | '[' | '«' | '“')
    }

    /// Punctuation that stands alone after a plain word: stops join two letters or digits
    /// (rules WB6, WB7, WB11, WB12), but here no letter or digit follows.
    fn is_plain_closing(c: char) -> bool {
        matches!(
            c,
            ')' | ']' | '»' | '”' | '"' | ',' | '.' | ';' | ':' | '!' | '?'
        )
    }

    #[test]
    fn byte_classes_are_the_char_classes() {
        let mut buffer = [0u8; 4];
        for c in (0..=0x3000).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buffer).as_bytes();
            let whole = Some(bytes.len());
            assert_eq!(
                plain_word_char_len(bytes) == whole,
                is_plain_word_char(c),
                "{c:?}"
            );
            assert_eq!(
                plain_opening_len(bytes) == whole,
                is_plain_opening(c),
                "{c:?}"
            );
            assert_eq!(
                plain_closing_len(bytes) == whole,
                is_plain_closing(c),
                "{c:?}"
            );
        }
    }

    /// The tokens of `text` by the full UAX #29 rules alone, as the tokenizer made them before
    /// its fast path for plain chunks.
    fn full_rule_tokens(text: &str) -> Vec<(String, usize, std::ops::Range<usize>)> {
        let mut out = Vec::new();
        let mut position = 0;
        let mut token = Token::default();
        for (segment_start, segment) in text.split_word_bound_indices() {
            let Some((word_start, word)) = word_in_segment(segment_start, segment) else {
                continue;
            };
            if word.len() <= MAX_TOKEN_BYTES {
                fill_token(&mut token, position, word_start, word);
                out.push((
                    token.text.clone(),
                    position,
                    token.offset_from..token.offset_to,
                ));
            }
            position += 1;
        }
        out
    }

    #[test]
    fn plain_chunks_are_cut_as_the_full_rules_cut_them() {
        let texts = [
            "KS skal fremme lokalt handlingsrom (se kapittel 4.1), «Alle bekker små».",
            "Velfærd, økonomi og  trivsel!\r\n\tÅrsak: 2024-2027; 1,5 mill. kr.",
            "pa\u{30A} sikt \u{301}og a \u{93E}b e.g. KS's \"sitat\" x×y ÷ 3½",
            "(((ord))) [«»] “Sitat” ...",
        ];
        for text in texts {
            assert_eq!(tokens(text), full_rule_tokens(text), "{text}");
        }
    }

    fn nordic_chunks() -> impl Strategy<Value = String> {
        proptest::string::string_regex(
            "[a-zA-Z0-9æøåÆØÅéüßÿ×÷ ,.;:!?()\\[\\]«»“”\"'’\\-\n\r\t\u{0B}\u{85}\u{A0}\u{301}\u{30A}\u{345}\u{93E}\u{200B}\u{200D}\u{AD}_%$\u{1F1F3}\u{1F1F4}\u{5D0}\u{1F600}]{0,60}",
        )
        .expect("valid regex")
    }

    proptest! {
        #[test]
        fn fast_path_equals_the_full_rules(text in nordic_chunks()) {
            prop_assert_eq!(tokens(&text), full_rule_tokens(&text));
        }

        #[test]
        fn fast_path_equals_the_full_rules_on_any_string(text in any::<String>()) {
            prop_assert_eq!(tokens(&text), full_rule_tokens(&text));
        }

        #[test]
        fn tokens_slice_the_input_and_positions_increase(text in any::<String>()) {
            let mut previous_position = None;
            for (word, position, range) in tokens(&text) {
                prop_assert!(text.is_char_boundary(range.start));
                prop_assert!(text.is_char_boundary(range.end));
                prop_assert!(range.start < range.end && range.end <= text.len());
                prop_assert_eq!(&text[range], word.as_str());
                prop_assert!(previous_position.is_none_or(|previous| position > previous));
                previous_position = Some(position);
            }
        }
    }
}
