//! PDF with a text layer (issue 15): pdf-extract reports each character with its place and
//! size (`layout` makes lines and paragraphs of them, drops running headers and footers, and
//! rejoins hyphenated words); headings come from the outline (bookmarks) where the document
//! has one, else from the lines set larger or bolder than the body text (`headings`; `fonts`
//! says which fonts are bold), else the text rules find them. Every paragraph knows its page.
//!
//! pdf-extract panics on some malformed files: a panic inside it is caught and the file is
//! skipped as damaged, without a message on stderr.

mod fonts;
mod headings;
mod hostile;
mod layout;

use super::structure::{Block, Extracted};
use super::IngestError;
use layout::{drop_running_lines, join_page_breaks, paragraphs, LineCollector};
use pdf_extract::{Document, LoadOptions, Object};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

const NO_TEXT_LAYER: &str =
    "PDF without a text layer (a scan?); run OCR first, for example with ocrmypdf";
/// Fewer letters than this on a page, and the page holds no text worth indexing; a PDF with
/// no such page has no text layer. Only a file with (nearly) no text at all is refused: a page
/// of text among blank pages was refused as a scan when the rule counted letters per page of
/// the whole file (break trial of issue 15).
const MIN_LETTERS_PER_PAGE: usize = 5;
/// A page of figures holds text too (a table of numbers was refused as having no text layer:
/// session 25): this many numbers, runs of digits, make it text, more than a stamped date and
/// page number (`12.03.2024 s. 3` has four) that a scanner may set on a page with no text.
const MIN_NUMBERS_PER_PAGE: usize = 5;

/// Reads a PDF file's bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let result = catch_quietly(|| read_unguarded(bytes));
    match result {
        Ok(result) => result,
        Err(panic) => Err(IngestError::Unreadable(format!(
            "damaged PDF (the PDF reader failed: {panic})"
        ))),
    }
}

fn read_unguarded(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let document = load(bytes)?;
    let mut collector = LineCollector::default();
    pdf_extract::output_doc(&document, &mut collector)
        .map_err(|err| IngestError::Unreadable(format!("damaged PDF: {err}")))?;
    let mut pages = collector.pages;
    let has_text = |page: &layout::PdfPage| {
        page_has_text(page.lines.iter().flat_map(|line| line.text.chars()))
    };
    if !pages.iter().any(has_text) {
        let damage = hostile::damage_hiding_text(&document);
        return Err(damage.unwrap_or_else(|| IngestError::Unreadable(NO_TEXT_LAYER.into())));
    }
    let dropped = drop_running_lines(&mut pages);
    let paragraphs = join_page_breaks(pages.iter().flat_map(paragraphs).collect());
    let outline = outline(&document);
    let title = info_title(&document);
    let (kinds, headings_known) = headings::kinds(&paragraphs, &outline, title.as_deref());
    let mut page_starts = Vec::new();
    let blocks = paragraphs
        .into_iter()
        .zip(kinds)
        .enumerate()
        .map(|(index, (paragraph, kind))| {
            let later = paragraph.page_starts.iter();
            page_starts.extend(later.map(|&(offset, page)| (index, offset, page)));
            let mut block = Block::new(paragraph.text, kind);
            block.page = Some(paragraph.page);
            block
        })
        .collect();
    Ok(Extracted {
        title,
        blocks,
        headings_known,
        warnings: Vec::new(),
        dropped_page_numbers: dropped.page_numbers,
        dropped_running_lines: dropped.running,
        page_starts,
    })
}

/// The parsed document, decrypted when it is encrypted with an empty password (only its
/// permissions are protected, as many published PDFs are).
/// Whether a page's characters are text worth indexing: some letters, or some numbers.
fn page_has_text(chars: impl Iterator<Item = char>) -> bool {
    let (mut letters, mut numbers, mut in_number) = (0, 0, false);
    for c in chars {
        letters += usize::from(c.is_alphabetic());
        let digit = c.is_numeric();
        numbers += usize::from(digit && !in_number);
        in_number = digit;
    }
    letters >= MIN_LETTERS_PER_PAGE || numbers >= MIN_NUMBERS_PER_PAGE
}

fn load(bytes: &[u8]) -> Result<Document, IngestError> {
    hostile::check_xref_streams(bytes)?;
    let held = hostile::hold_encrypted_object_streams(bytes);
    let mut document = load_bounded(held.as_deref().unwrap_or(bytes))?;
    if held.is_some() {
        if document.encryption_state.is_none() && !document.is_encrypted() {
            // `/Encrypt` stood in a file that is not encrypted: lopdf bounds its object
            // streams through the filter.
            document = load_bounded(bytes)?;
        } else {
            hostile::expand_held_object_streams(&mut document);
        }
    }
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(IngestError::Unreadable(
            "encrypted PDF (it needs a password to open)".into(),
        ));
    }
    hostile::check(&document)?;
    Ok(document)
}

/// The parsed document, its object streams bounded as lopdf loads them (an encrypted file's
/// are not: see `hostile::hold_encrypted_object_streams`).
fn load_bounded(bytes: &[u8]) -> Result<Document, IngestError> {
    let options = LoadOptions {
        filter: Some(hostile::bound_object_streams),
        ..LoadOptions::default()
    };
    Document::load_mem_with_options(bytes, options)
        .map_err(|err| IngestError::Unreadable(format!("damaged PDF: {err}")))
}

/// An entry of the document's outline (bookmarks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OutlineEntry {
    /// 1 for a top-level bookmark.
    pub level: u8,
    pub title: String,
    pub page: u32,
}

fn outline(document: &Document) -> Vec<OutlineEntry> {
    let Ok(toc) = document.get_toc() else {
        return Vec::new();
    };
    toc.toc
        .into_iter()
        .map(|entry| OutlineEntry {
            level: u8::try_from(entry.level).unwrap_or(u8::MAX).clamp(1, 6),
            title: entry.title.trim().to_string(),
            page: u32::try_from(entry.page).unwrap_or(u32::MAX),
        })
        .filter(|entry| !entry.title.is_empty())
        .collect()
}

/// The `/Title` of the document information, unless it is a file name a converter put there
/// (`Microsoft Word - rapport.docx`).
fn info_title(document: &Document) -> Option<String> {
    let info = match document.trailer.get(b"Info").ok()? {
        Object::Reference(id) => document.get_dictionary(*id).ok()?,
        Object::Dictionary(info) => info,
        _ => return None,
    };
    let bytes = info.get(b"Title").ok()?.as_str().ok()?;
    let title = super::structure::clean_text(&text_string(bytes));
    let file_name = [".doc", ".docx", ".odt", ".pdf", ".rtf"]
        .iter()
        .any(|end| title.to_lowercase().ends_with(end));
    (!title.is_empty() && !file_name).then_some(title)
}

/// A PDF text string: UTF-16BE after its byte-order mark, else PDFDocEncoding (Latin-1 for
/// the letters, æøå among them).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

thread_local! {
    /// Set while this thread runs code whose panics are caught and reported as one line.
    static PANICS_ARE_CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into its message, and keeps the panic off stderr (the skipped
/// file's warning says it): the process's panic hook stays as it was for every other panic.
fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PANICS_ARE_CAUGHT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    PANICS_ARE_CAUGHT.with(|caught| caught.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    PANICS_ARE_CAUGHT.with(|caught| caught.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_and_fake_pdfs_are_one_line_reasons() {
        let err = read(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n").unwrap_err();
        assert!(err.to_string().starts_with("damaged PDF"), "{err}");
        assert!(!err.to_string().contains('\n'));
    }

    /// A PDF whose pages draw `contents`, one page each, in Helvetica.
    fn pages(contents: &[&[u8]]) -> Vec<u8> {
        use hostile::tests::{pdf, stream};
        let count = contents.len();
        let kids: Vec<String> = (0..count).map(|n| format!("{} 0 R", 4 + 2 * n)).collect();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {count} >>",
                kids.join(" ")
            )
            .into_bytes(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        for (n, content) in contents.iter().enumerate() {
            objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * n).into_bytes());
            objects.push(stream("", content));
        }
        pdf(&objects)
    }

    #[test]
    fn r15_one_page_of_text_among_blank_pages_is_indexed() {
        let text = b"BT /F1 12 Tf 72 700 Td (Kort notat om brannvern.) Tj ET".as_slice();
        let mut contents = vec![text];
        contents.extend([b"".as_slice(); 7]);
        let extracted = read(&pages(&contents)).unwrap();
        let texts: Vec<&str> = extracted.blocks.iter().map(|b| b.text).collect();
        assert_eq!(texts, ["Kort notat om brannvern."]);
        assert_eq!(extracted.blocks.to_vec()[0].page, Some(1));
        // Text on a later page only.
        contents.reverse();
        let extracted = read(&pages(&contents)).unwrap();
        assert_eq!(extracted.blocks.to_vec()[0].page, Some(8));
        // No page with text at all: a scan.
        let blank = read(&pages(&[b"".as_slice(); 8])).unwrap_err();
        assert_eq!(blank.to_string(), NO_TEXT_LAYER);
        let stamp = b"BT /F1 12 Tf 72 700 Td (s 1) Tj ET".as_slice();
        let stamped = read(&pages(&[stamp; 3])).unwrap_err();
        assert_eq!(stamped.to_string(), NO_TEXT_LAYER);
    }

    /// Session 25: a PDF whose text layer is only a table of figures was refused as having
    /// no text layer (the rule asked for 5 letters on a page); a stamped date and page number
    /// on a scan still are no text.
    #[test]
    fn r15_a_page_of_figures_is_text_and_a_stamped_date_is_not() {
        let figures = b"BT /F1 12 Tf 72 700 Td (2023 2024) Tj 0 -14 Td (412 389) Tj \
            0 -14 Td (17,5 16,2) Tj ET"
            .as_slice();
        let extracted = read(&pages(&[figures])).unwrap();
        let texts: Vec<&str> = extracted.blocks.iter().map(|b| b.text).collect();
        assert!(texts.concat().contains("412"), "{texts:?}");
        let stamp = b"BT /F1 12 Tf 72 700 Td (12.03.2024 s. 3) Tj ET".as_slice();
        let stamped = read(&pages(&[stamp; 2])).unwrap_err();
        assert_eq!(stamped.to_string(), NO_TEXT_LAYER);
    }

    /// Session 26: a PDF whose page tree refers back to itself, or whose only content stream
    /// has a wrong `/Length`, was skipped as having no text layer, with advice to run OCR.
    #[test]
    fn r15_a_page_tree_cycle_or_a_wrong_length_is_a_damaged_pdf() {
        use hostile::tests::{pdf, stream};
        let text = b"BT /F1 12 Tf 72 700 Td (Kort notat om brannvern.) Tj ET".as_slice();
        let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec();
        let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font \
            << /F1 3 0 R >> >> /Contents 5 0 R >>"
            .to_vec();
        let catalog = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
        // The root lists itself after its page.
        let cycle = pdf(&[
            catalog.clone(),
            b"<< /Type /Pages /Kids [4 0 R 2 0 R] /Count 1 >>".to_vec(),
            font.clone(),
            page.clone(),
            stream("", text),
        ]);
        let err = read(&cycle).unwrap_err().to_string();
        assert_eq!(err, "damaged PDF: its page tree refers back to itself");
        let only_itself = pdf(&[
            catalog.clone(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
            font.clone(),
            page.clone(),
            stream("", text),
        ]);
        let err = read(&only_itself).unwrap_err().to_string();
        assert_eq!(err, "damaged PDF: its page tree refers back to itself");
        // The content stream's /Length says 20 bytes more than it holds.
        let mut wrong_length = stream("", text);
        let length = format!("/Length {}", text.len());
        let said = format!("/Length {}", text.len() + 20);
        let at = wrong_length
            .windows(length.len())
            .position(|w| w == length.as_bytes())
            .unwrap();
        wrong_length.splice(at..at + length.len(), said.bytes());
        let pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec();
        let damaged = pdf(&[catalog, pages, font, page, wrong_length]);
        let err = read(&damaged).unwrap_err().to_string();
        assert!(
            err.starts_with("damaged PDF: the content of page 1 (5 0 R) cannot be read"),
            "{err}"
        );
    }

    #[test]
    fn text_strings_in_utf16_and_pdfdocencoding() {
        assert_eq!(text_string(b"Bl\xe5b\xe6r"), "Blåbær");
        assert_eq!(text_string(b"\xfe\xff\x00\xc5\x00r"), "År");
    }

    #[test]
    fn a_caught_panic_is_its_first_line() {
        let caught = catch_quietly(|| -> u8 { panic!("bad xref\nmore") });
        assert_eq!(caught, Err("bad xref".to_string()));
    }
}
