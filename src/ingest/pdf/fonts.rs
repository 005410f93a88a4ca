//! Whether a PDF font is bold, from its dictionary (issue 15): its name says so after the
//! subset prefix (`BAAAAA+LiberationSerif-Bold`, `Calibri,Bold`, `Arial-BoldMT`,
//! `Roboto-Black`), or its font descriptor does (the ForceBold flag, or a weight of 600 or
//! more). A font program's glyphs are not looked at: office software names its bold faces.

use pdf_extract::{Dictionary, Document, Object};

/// The ForceBold flag of a font descriptor's /Flags (bit 19).
const FORCE_BOLD: i64 = 1 << 18;
/// /FontWeight from this up is bold (600 is semibold).
const BOLD_WEIGHT: f64 = 600.0;
/// Words in a font's style name that mean bold or heavier.
const BOLD_STYLES: [&str; 5] = ["bold", "black", "heavy", "semibd", "demi"];

pub(super) fn is_bold(document: &Document, font: &Dictionary) -> bool {
    let named_bold = entry(document, font, b"BaseFont")
        .and_then(|name| name.as_name().ok())
        .is_some_and(name_is_bold);
    named_bold || descriptor(document, font).is_some_and(|d| descriptor_is_bold(document, d))
}

/// The entry `key` of `dictionary`, a reference followed.
fn entry<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let object = dictionary.get(key).ok()?;
    document.dereference(object).ok().map(|(_, object)| object)
}

/// The font's descriptor; a composite (Type0) font has it in its descendant font.
fn descriptor<'a>(document: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    if let Some(descriptor) = entry(document, font, b"FontDescriptor") {
        return descriptor.as_dict().ok();
    }
    let descendants = entry(document, font, b"DescendantFonts")?.as_array().ok()?;
    let descendant = document
        .dereference(descendants.first()?)
        .ok()?
        .1
        .as_dict()
        .ok()?;
    entry(document, descendant, b"FontDescriptor")?
        .as_dict()
        .ok()
}

fn descriptor_is_bold(document: &Document, descriptor: &Dictionary) -> bool {
    let number = |key: &[u8]| match entry(document, descriptor, key)? {
        Object::Integer(n) => Some(*n as f64),
        Object::Real(n) => Some(f64::from(*n)),
        _ => None,
    };
    let force_bold = number(b"Flags").is_some_and(|flags| (flags as i64) & FORCE_BOLD != 0);
    force_bold || number(b"FontWeight").is_some_and(|weight| weight >= BOLD_WEIGHT)
}

/// Whether a /BaseFont name names a bold face: its style part (after the family's last `-` or
/// `,`) holds a bold word and no light one (`DemiLight` is a light face). Without a style
/// part, only a bold word the name ends in counts (`ArialBold`, `ArialBoldMT`): the family is
/// not looked in, so `BlackOpsOne-Regular` and `BlackadderITC` are not bold.
fn name_is_bold(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(without_subset_prefix(name)).to_lowercase();
    match name.rsplit_once(['-', ',']) {
        Some((_, style)) => {
            BOLD_STYLES.iter().any(|bold| style.contains(bold))
                && !LIGHT_STYLES.iter().any(|light| style.contains(light))
        }
        None => {
            let mut rest = name.as_str();
            while let Some(shorter) = STYLE_SUFFIXES.iter().find_map(|s| rest.strip_suffix(s)) {
                rest = shorter;
            }
            BOLD_STYLES.iter().any(|bold| rest.ends_with(bold))
        }
    }
}

/// Words in a style name that make it lighter than regular, whatever else it says.
const LIGHT_STYLES: [&str; 2] = ["light", "thin"];
/// What may follow the style word in a name without a `-` (`ArialBoldItalicMT`).
const STYLE_SUFFIXES: [&str; 5] = ["mt", "ps", "italic", "oblique", "it"];

/// A subset font's name without its tag: six capital letters and `+`.
fn without_subset_prefix(name: &[u8]) -> &[u8] {
    match name.get(..7) {
        Some([tag @ .., b'+']) if tag.iter().all(u8::is_ascii_uppercase) => &name[7..],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::dictionary;

    #[test]
    fn bold_faces_are_known_by_their_style_name() {
        for bold in [
            "BAAAAA+LiberationSerif-Bold",
            "Calibri,Bold",
            "Arial-BoldMT",
            "TimesNewRomanPS-BoldItalicMT",
            "ABCDEF+Roboto-Black",
            "SourceSansPro-Semibold",
            "Lato-Heavy",
            "ArialBold",
            "ArialBoldItalicMT",
            "FranklinGothic-Demi",
        ] {
            assert!(name_is_bold(bold.as_bytes()), "{bold}");
        }
        for regular in [
            "BAAAAA+LiberationSerif",
            "Calibri",
            "ArialMT",
            "TimesNewRomanPS-ItalicMT",
            "BlackOpsOne-Regular",
            "BOLDAB+Calibri",
            "Roboto-Medium",
            "NotoSansCJKjp-DemiLight",
            "SourceHanSans-Demi-Light",
            "Segoe-SemiLight",
            "Raleway-ExtraLight",
            "Roboto-Thin",
            "BlackadderITC",
            "BlackadderITC-Regular",
        ] {
            assert!(!name_is_bold(regular.as_bytes()), "{regular}");
        }
    }

    #[test]
    fn the_descriptor_makes_a_font_bold_by_its_flag_or_weight() {
        let mut document = Document::new();
        let font = |descriptor: Dictionary, document: &mut Document| {
            let id = document.add_object(descriptor);
            dictionary! { "BaseFont" => "ABCDEF+Corbel", "FontDescriptor" => id }
        };
        let force_bold = font(dictionary! { "Flags" => 32 | FORCE_BOLD }, &mut document);
        let heavy = font(dictionary! { "FontWeight" => 700 }, &mut document);
        let plain = font(
            dictionary! { "Flags" => 32, "FontWeight" => 400 },
            &mut document,
        );
        assert!(is_bold(&document, &force_bold));
        assert!(is_bold(&document, &heavy));
        assert!(!is_bold(&document, &plain));
        // A composite font: the descriptor is in its descendant font.
        let descriptor = document.add_object(dictionary! { "FontWeight" => 600.0 });
        let descendant = document.add_object(dictionary! { "FontDescriptor" => descriptor });
        let composite = dictionary! {
            "BaseFont" => "ABCDEF+Corbel",
            "DescendantFonts" => vec![Object::Reference(descendant)],
        };
        assert!(is_bold(&document, &composite));
        assert!(!is_bold(&document, &Dictionary::new()));
    }

    /// A light face whose style says `Demi`, and a family named `Black…`, set no heading.
    #[test]
    fn r15_light_faces_and_families_named_black_are_not_bold() {
        use crate::ingest::pdf::headings::tests::{pdf_headings_in, BODY};
        let fonts = [
            "Helvetica",
            "Helvetica-Bold",
            "NotoSansCJKjp-DemiLight",
            "BlackadderITC",
        ];
        let headings = pdf_headings_in(
            &fonts,
            &[
                (2, 11.0, "Fordeling av midler"),
                (0, 11.0, BODY),
                (3, 11.0, "Ny retning for arbeidet"),
                (0, 11.0, BODY),
                (1, 11.0, "Innledning"),
                (0, 11.0, BODY),
                (0, 11.0, BODY),
            ],
        );
        assert_eq!(headings, [(1, "Innledning".to_string())]);
    }

    /// Through the whole reader, in the standard fonts (no font descriptor, no embedded font):
    /// the reader tells each string's font, also when it changes inside a line.
    #[test]
    fn r15_a_bold_line_in_a_standard_font_is_a_heading_and_a_bold_word_is_not() {
        use crate::ingest::pdf::hostile::tests::{pdf, stream};
        use crate::ingest::structure::BlockKind;
        let content = b"BT /F2 12 Tf 72 600 Td (Ansvar og roller) Tj ET \
            BT /F1 12 Tf 72 586 Td (Brannvernlederen har ansvaret for at rutinene blir fulgt, og) Tj ET \
            BT /F1 12 Tf 72 572 Td (for at alle kjenner dem. Det holdes en ) Tj \
            /F2 12 Tf (brannovelse) Tj /F1 12 Tf ( hvert halvar.) Tj ET \
            BT /F1 12 Tf 72 540 Td (Kommunen skal ha en oppdatert plan for brannvern i alle bygg.) Tj ET";
        let objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font \
              << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>"
                .to_vec(),
            stream("", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>".to_vec(),
        ];
        let extracted = crate::ingest::pdf::read(&pdf(&objects)).unwrap();
        let all = extracted.blocks.to_vec();
        let blocks: Vec<(&BlockKind, &str)> = all
            .iter()
            .map(|block| (&block.kind, block.text.as_str()))
            .collect();
        assert_eq!(
            blocks,
            [
                (&BlockKind::Heading(1), "Ansvar og roller"),
                (
                    &BlockKind::Paragraph,
                    "Brannvernlederen har ansvaret for at rutinene blir fulgt, og for at alle \
                     kjenner dem. Det holdes en brannovelse hvert halvar."
                ),
                (
                    &BlockKind::Paragraph,
                    "Kommunen skal ha en oppdatert plan for brannvern i alle bygg."
                ),
            ]
        );
        assert!(extracted.headings_known);
    }
}
