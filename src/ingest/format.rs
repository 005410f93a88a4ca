//! Which format a source file is: recognised by its extension, checked by its content
//! (issue 15). The content wins where the two disagree in a way a reader can act on (a PDF
//! or an HTML page named `.txt` is read as such); a zip is read only under a Word or
//! OpenDocument name (any other is binary, as before); a file whose extension promises a
//! format its content does not hold is refused with the reason.

use super::IngestError;
use std::path::Path;

/// A source format lete reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    /// A zip file: Word (.docx) or OpenDocument text (.odt), told apart by the parts inside.
    OfficeZip,
}

/// The file-name endings lete reads by default, as `--include` globs (DESIGN.md's formats).
pub(crate) const DOCUMENT_GLOBS: [&str; 9] = [
    "*.txt",
    "*.md",
    "*.markdown",
    "*.html",
    "*.htm",
    "*.xhtml",
    "*.pdf",
    "*.docx",
    "*.odt",
];

const PDF_MAGIC: &[u8] = b"%PDF-";
/// A PDF's header may stand after some junk, within the first KB (PDF 32000-1, annex H).
const PDF_HEADER_WITHIN: usize = 1024;
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The format of the file `source` (its path, for the extension) holding `bytes`.
pub(crate) fn detect(source: &str, bytes: &[u8]) -> Result<Format, IngestError> {
    let extension = Path::new(source)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(PDF_HEADER_WITHIN)];
    let is_pdf = head.windows(PDF_MAGIC.len()).any(|w| w == PDF_MAGIC);
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    match extension.as_str() {
        "pdf" if !is_pdf => Err(IngestError::Unreadable(
            "not a PDF file (no %PDF- header)".into(),
        )),
        "docx" | "odt" if !is_zip => Err(IngestError::Unreadable(format!(
            "not a .{extension} file (not a zip file)"
        ))),
        _ if is_pdf => Ok(Format::Pdf),
        "docx" | "odt" => Ok(Format::OfficeZip),
        "md" | "markdown" => Ok(Format::Markdown),
        "html" | "htm" | "xhtml" => Ok(Format::Html),
        _ if looks_like_html(bytes) => Ok(Format::Html),
        _ => Ok(Format::Text),
    }
}

/// Whether a file that does not say it is HTML starts as an HTML page does: `<!doctype html`
/// or `<html` first, after white space, a BOM and comments.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lower: Vec<u8> = head[start..].iter().map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README lists the formats read by default as this list is (session 26: `--help`
    /// had its own list, three short).
    #[test]
    fn r15_the_readme_lists_every_glob_read_by_default() {
        let listed = format!("`{}`", DOCUMENT_GLOBS.join(" "));
        assert!(
            include_str!("../../README.md").contains(&listed),
            "{listed}"
        );
    }

    #[test]
    fn extension_and_content_agree() {
        assert_eq!(detect("a/rapport.pdf", b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert_eq!(detect("notat.md", b"# Notat").unwrap(), Format::Markdown);
        assert_eq!(detect("side.HTML", b"<p>Hei</p>").unwrap(), Format::Html);
        assert_eq!(
            detect("plan.docx", b"PK\x03\x04rest").unwrap(),
            Format::OfficeZip
        );
        assert_eq!(detect("plan.txt", b"Plan for 2025").unwrap(), Format::Text);
    }

    #[test]
    fn content_wins_over_a_plain_extension() {
        assert_eq!(detect("lagret.txt", b"%PDF-1.4 ...").unwrap(), Format::Pdf);
        // A zip under another name is not read as a document: the text rules call it binary.
        assert_eq!(
            detect("arkiv.txt", b"PK\x03\x04\x00\x00").unwrap(),
            Format::Text
        );
        assert_eq!(
            detect("side.txt", b"\n  <!DOCTYPE html><html>").unwrap(),
            Format::Html
        );
    }

    #[test]
    fn a_promise_the_content_breaks_is_refused() {
        let err = detect("rapport.pdf", b"<html>").unwrap_err();
        assert_eq!(err.to_string(), "not a PDF file (no %PDF- header)");
        let err = detect("plan.docx", b"just text").unwrap_err();
        assert_eq!(err.to_string(), "not a .docx file (not a zip file)");
    }
}
