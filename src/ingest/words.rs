//! Word counts as `split_whitespace` gives them, read a byte at a time without decoding what
//! cannot be white space (issue 5: counting words was a third of the time ingest and segment
//! took, as much as everything else they do).

/// How a byte bears on where words start.
const IN_WORD: u8 = 0;
const SPACE: u8 = 1;
/// The lead byte of a character that may be white space (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000): the character is decoded.
const DECODE: u8 = 2;

/// The class of each byte value. Every other byte is, or belongs to, a character that is not
/// white space (`char::is_whitespace`).
const CLASSES: [u8; 256] = {
    let mut classes = [IN_WORD; 256];
    let mut byte = b'\t';
    while byte <= b'\r' {
        classes[byte as usize] = SPACE;
        byte += 1;
    }
    classes[b' ' as usize] = SPACE;
    classes[0xC2] = DECODE;
    classes[0xE1] = DECODE;
    classes[0xE2] = DECODE;
    classes[0xE3] = DECODE;
    classes
};

/// The number of white-space separated words of `text`, as `split_whitespace().count()`.
pub(crate) fn count_words(text: &str) -> usize {
    count_words_up_to(text, usize::MAX)
}

/// Whether `text` holds at least `count` words; stops reading there.
pub(crate) fn has_words(text: &str, count: usize) -> bool {
    count_words_up_to(text, count) >= count
}

/// The number of words of `text`, or `limit` when it holds more: reading stops there.
///
/// Eight bytes are read at once where none of them may start white space beyond ASCII; a word
/// starts at each byte that is not white space after one that is.
pub(crate) fn count_words_up_to(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut after_space = true;
    let mut at = 0;
    while words < limit {
        let word = bytes
            .get(at..at + 8)
            .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
            .map(u64::from_le_bytes)
            .filter(|&word| !may_start_wide_space(word));
        if let Some(word) = word {
            let spaces = ascii_spaces(word);
            let space_before = (spaces << 8) | if after_space { 0x80 } else { 0 };
            words += (space_before & !spaces & HIGH_BITS).count_ones() as usize;
            after_space = spaces >> 63 == 1;
            at += 8;
            continue;
        }
        // One byte or character at a time: the last few bytes, or near a wide space.
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let mut class = CLASSES[usize::from(byte)];
        let mut width = 1;
        if class == DECODE {
            // A lead byte is never inside a character, so `at` is on a boundary here.
            if let Some(c) = text[at..].chars().next() {
                class = if c.is_whitespace() { SPACE } else { IN_WORD };
                width = c.len_utf8();
            }
        }
        let space = class == SPACE;
        words += usize::from(after_space & !space);
        after_space = space;
        at += width;
    }
    words.min(limit)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW_BITS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is zero, and of no other (no borrow between bytes).
fn zero_bytes(word: u64) -> u64 {
    !(((word & LOW_BITS) + LOW_BITS) | word | LOW_BITS)
}

/// The high bit of each byte of `word` equal to `byte`.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(byte)))
}

/// The high bit of each byte of `word` that is ASCII white space: tab to carriage return, or
/// space.
fn ascii_spaces(word: u64) -> u64 {
    let low = word & LOW_BITS;
    // Below 0x80 a byte plus 0x80 - n has its high bit set exactly when it is n or more.
    let tab_or_more = low + ONES * (0x80 - u64::from(b'\t'));
    let past_return = low + ONES * (0x80 - u64::from(b'\r') - 1);
    let ascii = !word & HIGH_BITS;
    (tab_or_more & !past_return & ascii) | bytes_equal(word, b' ')
}

/// Whether a byte of `word` is the lead byte of a character that may be white space.
fn may_start_wide_space(word: u64) -> bool {
    word & HIGH_BITS != 0
        && (bytes_equal(word, 0xC2)
            | bytes_equal(word, 0xE1)
            | bytes_equal(word, 0xE2)
            | bytes_equal(word, 0xE3))
            != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_classed_as_char_is_whitespace_has_it() {
        for byte in 0..=255u8 {
            let word = u64::from_le_bytes([b'x', byte, b'x', b'x', b'x', b'x', b'x', b'x']);
            let space = ascii_spaces(word) != 0;
            let decode = may_start_wide_space(word);
            if byte.is_ascii() {
                assert_eq!(space, char::from(byte).is_whitespace(), "{byte:#x}");
                assert_eq!(CLASSES[usize::from(byte)] == SPACE, space, "{byte:#x}");
            } else {
                assert!(!space, "{byte:#x}");
            }
            assert_eq!(decode, CLASSES[usize::from(byte)] == DECODE, "{byte:#x}");
        }
        // Every white space character beyond ASCII starts with a byte that is decoded.
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() {
                let mut buffer = [0; 4];
                let lead = c.encode_utf8(&mut buffer).as_bytes()[0];
                assert_eq!(CLASSES[usize::from(lead)], DECODE, "{c:?}");
            }
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "Kommunene møter økte forventninger",
            "  sam\u{AD}funn\t\tog\u{A0}velferd\u{2003}i  nord\u{3000}",
            "ord\u{85}ord\u{1680}ord\u{2028}ord\u{205F}\u{1F}ord\r\nslutt\u{0B}",
            "ærlig økonomi å «sitat» – tankestrek … \u{200B}null\u{2060}bredde",
            "Kommunene\u{A0}har  ansvar\tfor\x0Btjenester\x0Ctil\u{85}innbyggerne,\x1C og \x08sak",
            "        ordene står langt fra hverandre        i denne     linjen          ",
        ] {
            let expected = text.split_whitespace().count();
            assert_eq!(count_words(text), expected, "{text:?}");
            for limit in 0..expected + 2 {
                assert_eq!(count_words_up_to(text, limit), expected.min(limit));
                assert_eq!(has_words(text, limit), expected >= limit);
            }
        }
    }
}
