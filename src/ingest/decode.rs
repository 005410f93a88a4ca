//! Decoding: raw bytes → a Rust string, and a way back to source byte offsets.

use super::IngestError;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// How the source bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    /// UTF-8 with a byte-order mark (3 bytes before the text).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
    /// Windows-1252 after a UTF-8 byte-order mark (3 bytes before the text): a file saved by
    /// an old Windows tool that marks every file as UTF-8.
    Windows1252Bom,
    /// Mostly UTF-8 with a few invalid bytes, replaced by U+FFFD.
    Utf8Lossy,
}

/// Decoded bytes between two checkpoints of the offset map: a lookup counts at most this
/// many bytes of text, so mapping every passage of a 100 MB one-line file stays linear
/// (issue 6).
const CHECKPOINT_EVERY: usize = 4096;

/// A decoded source: its text and what is needed to map offsets back to the file.
#[derive(Debug, Clone)]
pub(crate) struct Decoded<'a> {
    /// Borrowed from the source bytes when they are valid UTF-8 (issue 6: a 100 MB file is
    /// not copied to be read), owned when decoding changed them.
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    /// A one-line reason when the bytes were not clean UTF-8 (the caller names the file).
    pub warning: Option<String>,
    /// For encodings whose byte widths differ from UTF-8's: `(text offset, source offset)` at
    /// character boundaries about every `CHECKPOINT_EVERY` bytes, starting with `(0, start)`.
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> Decoded<'a> {
    /// The byte offset in the source file of `offset` in the decoded text.
    ///
    /// Exact for UTF-8, Windows-1252 (one byte a character) and UTF-16 (two bytes a code unit);
    /// for lossily decoded UTF-8 it is the decoded offset (replacement characters shift it).
    /// Counts from the nearest checkpoint before `offset`, so each call costs at most
    /// `CHECKPOINT_EVERY` bytes whatever the file's size.
    pub(crate) fn source_byte(&self, offset: usize) -> usize {
        match self.encoding {
            Encoding::Utf8 | Encoding::Utf8Lossy => offset,
            Encoding::Utf8Bom => offset + 3,
            Encoding::Windows1252
            | Encoding::Windows1252Bom
            | Encoding::Utf16Le
            | Encoding::Utf16Be => {
                let at = self
                    .checkpoints
                    .partition_point(|&(text_offset, _)| text_offset <= offset)
                    .saturating_sub(1);
                let (text_offset, source_offset) =
                    self.checkpoints.get(at).copied().unwrap_or((0, 0));
                source_offset + source_width(self.encoding, &self.text[text_offset..offset])
            }
        }
    }

    /// The stand-in of a document whose text a format reader extracted (issue 15): there is
    /// no decoded source text to point into, so offsets count within each block.
    pub(crate) fn extracted() -> Decoded<'static> {
        Decoded::new(Cow::Borrowed(""), Encoding::Utf8, None)
    }

    pub(crate) fn new(
        text: Cow<'a, str>,
        encoding: Encoding,
        warning: Option<String>,
    ) -> Decoded<'a> {
        let checkpoints = match encoding {
            Encoding::Windows1252
            | Encoding::Windows1252Bom
            | Encoding::Utf16Le
            | Encoding::Utf16Be => offset_checkpoints(&text, encoding),
            Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf8Lossy => Vec::new(),
        };
        Decoded {
            text,
            encoding,
            warning,
            checkpoints,
        }
    }
}

/// Bytes `text` took in the source file of `encoding` (one a character in Windows-1252, two a
/// code unit in UTF-16).
fn source_width(encoding: Encoding, text: &str) -> usize {
    match encoding {
        Encoding::Windows1252 | Encoding::Windows1252Bom => text.chars().count(),
        Encoding::Utf16Le | Encoding::Utf16Be => 2 * text.encode_utf16().count(),
        Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf8Lossy => text.len(),
    }
}

/// The offset map of a text decoded from `encoding`, built in one pass.
fn offset_checkpoints(text: &str, encoding: Encoding) -> Vec<(usize, usize)> {
    let start = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => 2,
        Encoding::Windows1252Bom => 3,
        _ => 0,
    };
    let mut checkpoints = vec![(0, start)];
    let (mut text_offset, mut source_offset) = (0, start);
    while text.len() - text_offset > CHECKPOINT_EVERY {
        let mut next = text_offset + CHECKPOINT_EVERY;
        while !text.is_char_boundary(next) {
            next += 1;
        }
        source_offset += source_width(encoding, &text[text_offset..next]);
        text_offset = next;
        checkpoints.push((text_offset, source_offset));
    }
    checkpoints
}

/// Decodes a source file's bytes.
///
/// UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such. Bytes that are not
/// valid UTF-8 are read as Windows-1252, the usual encoding of older Nordic text, unless the
/// file is clearly UTF-8 with a few damaged bytes, in which case only those are replaced. A
/// UTF-8 BOM does not change that rule for the bytes after it: old Windows tools put one
/// before a Windows-1252 text, whose æ, ø and å were lost as U+FFFD.
/// A file with NUL bytes (and no UTF-16 BOM) is binary and refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, IngestError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(decode_utf16(rest, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(decode_utf16(rest, Encoding::Utf16Be));
    }
    if bytes.contains(&0) {
        return Err(IngestError::Binary);
    }
    let (body, encoding) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, Encoding::Utf8Bom),
        None => (bytes, Encoding::Utf8),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded::new(Cow::Borrowed(text), encoding, None)),
        // The whole file, BOM included (lines drop it), so offsets stay source offsets.
        Err(_) if mostly_utf8(body) => Ok(Decoded::new(
            String::from_utf8_lossy(bytes),
            Encoding::Utf8Lossy,
            Some("invalid UTF-8 bytes replaced; the rest of the file is kept".into()),
        )),
        Err(_) if encoding == Encoding::Utf8Bom => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
            Ok(Decoded::new(
                text,
                Encoding::Windows1252Bom,
                Some(
                    "not valid UTF-8 after its UTF-8 byte-order mark; decoded as Windows-1252"
                        .into(),
                ),
            ))
        }
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Decoded::new(
                text,
                Encoding::Windows1252,
                Some("not valid UTF-8; decoded as Windows-1252".into()),
            ))
        }
    }
}

fn decode_utf16(body: &[u8], encoding: Encoding) -> Decoded<'_> {
    let codec = if encoding == Encoding::Utf16Le {
        UTF_16LE
    } else {
        UTF_16BE
    };
    let (text, had_errors) = codec.decode_without_bom_handling(body);
    let warning = had_errors.then(|| "invalid UTF-16 sequences replaced".to_string());
    Decoded::new(text, encoding, warning)
}

/// True when valid multi-byte UTF-8 sequences outnumber the invalid bytes: such a file is
/// UTF-8 with damage, not Windows-1252 (where æøå are single invalid bytes).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid_multibyte > invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Mål og rammer".as_bytes()).unwrap();
        assert_eq!(plain.text, "Mål og rammer");
        assert_eq!(plain.encoding, Encoding::Utf8);
        let bom = decode(b"\xEF\xBB\xBFM\xC3\xA5l").unwrap();
        assert_eq!(bom.text, "Mål");
        assert_eq!(bom.source_byte(1), 4);
    }

    #[test]
    fn windows_1252_danish_is_decoded_with_warning() {
        // "velfærd og frisættelse" in Windows-1252: æ is the single byte 0xE6.
        let decoded = decode(b"velf\xE6rd og fris\xE6ttelse").unwrap();
        assert_eq!(decoded.text, "velfærd og frisættelse");
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert!(decoded.warning.as_deref().unwrap().contains("Windows-1252"));
        // One byte a character: 'o' of "og" is byte 9 in the file, 10 in the UTF-8 text.
        assert_eq!(decoded.source_byte(10), 9);
    }

    #[test]
    fn damaged_utf8_keeps_the_rest() {
        let mut bytes = "Kommunedirektørutvalget skal løfte fram "
            .as_bytes()
            .to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("en diskusjon om å styrke".as_bytes());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8Lossy);
        assert!(decoded
            .text
            .contains("løfte fram \u{FFFD}en diskusjon om å styrke"));
    }

    #[test]
    fn r15_a_bom_before_a_windows_1252_body_keeps_its_letters() {
        // "Velfærd og økonomi på tvers" in Windows-1252 after a UTF-8 BOM (an old Windows
        // tool's file): the letters were U+FFFD.
        let decoded = decode(b"\xEF\xBB\xBFVelf\xE6rd og \xF8konomi p\xE5 tvers").unwrap();
        assert_eq!(decoded.text, "Velfærd og økonomi på tvers");
        assert_eq!(decoded.encoding, Encoding::Windows1252Bom);
        assert!(decoded.warning.as_deref().unwrap().contains("Windows-1252"));
        // One byte a character after the 3 bytes of the BOM: 'o' of "og" is byte 11.
        assert_eq!(decoded.source_byte("Velfærd ".len()), 11);
        // Damaged UTF-8 after a BOM stays UTF-8, its bad byte replaced.
        let mut damaged = b"\xEF\xBB\xBF".to_vec();
        damaged.extend_from_slice("Kommunedirektørutvalget skal løfte fram ".as_bytes());
        damaged.push(0xFF);
        damaged.extend_from_slice("å styrke".as_bytes());
        let decoded = decode(&damaged).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8Lossy);
        assert!(decoded.text.starts_with("\u{FEFF}Kommunedirektørutvalget"));
        assert!(decoded.text.contains("fram \u{FFFD}å styrke"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Sterkere stemme".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, "Sterkere stemme");
        assert_eq!(decoded.source_byte(9), 20);
    }

    /// The checkpointed lookup gives what counting from the start of the file gives, across
    /// several checkpoints and multi-byte characters straddling them.
    #[test]
    fn long_texts_map_offsets_exactly_past_many_checkpoints() {
        let line = "Kommunene møter økte forventninger – også på velferdsområdet. ";
        let text = line.repeat(CHECKPOINT_EVERY / line.len() * 5);
        let mut utf16 = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_be_bytes());
        }
        let (cp1252, _, _) = WINDOWS_1252.encode(&text);
        let mut cp1252 = cp1252.into_owned();
        cp1252.push(0x81); // undefined in Windows-1252: forces the fallback decoder
        let decoded = [decode(&utf16).unwrap(), decode(&cp1252).unwrap()];
        assert_eq!(decoded[0].encoding, Encoding::Utf16Be);
        assert_eq!(decoded[1].encoding, Encoding::Windows1252);
        for decoded in decoded {
            assert!(decoded.checkpoints.len() >= 5);
            for (offset, _) in decoded.text.char_indices().step_by(97) {
                let prefix = &decoded.text[..offset];
                let expected = match decoded.encoding {
                    Encoding::Windows1252 => prefix.chars().count(),
                    _ => 2 + 2 * prefix.encode_utf16().count(),
                };
                assert_eq!(decoded.source_byte(offset), expected, "{offset}");
            }
        }
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00"),
            Err(IngestError::Binary)
        ));
    }
}
