//! Word (.docx) and OpenDocument text (.odt): zip files of XML parts, read with the zip
//! crate and quick-xml's pull parser (issue 15). Paragraphs in order, headings from styles
//! and outline levels, list items, table rows; the title from the document's properties.
//!
//! A hostile file cannot take more than the part it names: each part is inflated through a
//! limit (a zip bomb stops there) and parsed as it inflates, and XML with a document type
//! declaration is refused, so no entity is ever expanded.

mod docx;
mod odt;

use super::bold_headings::{self, BoldHeading, Styled};
use super::structure::{Block, BlockKind, Extracted, TextBuffer};
use super::IngestError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::cell::Cell;
use std::io::{BufReader, Cursor, Read};
use std::rc::Rc;
use zip::result::ZipError;
use zip::ZipArchive;

/// Most bytes one XML part may inflate to: far above any real document's text (a 1,000-page
/// report's `document.xml` is some 10 MB), far below what would exhaust memory: the text and
/// passages of a part take some 5 times its size (256 MB of one paragraph, a .docx of 640 KB,
/// took 1.1 GB). The unit tests use 1 MB, so that a bomb of a few MB trips it.
const PART_LIMIT_BYTES: u64 = if cfg!(test) { 1 << 20 } else { 64 << 20 };
/// The OpenDocument types whose body is text (`office:text`), read as .odt: a text document,
/// its template, an HTML page saved by LibreOffice Writer/Web (found in the new-user trial of
/// stop 25: an .odt opened from HTML and saved keeps that type) and a master document (its
/// own text and the text of the sections it includes, as saved).
const ODT_MIMETYPES: [&str; 4] = [
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-web",
    "application/vnd.oasis.opendocument.text-master",
];

/// Reads a .docx or .odt file's bytes: which one is told by the parts inside.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let mut archive = Archive::open(bytes)?;
    if archive.has("word/document.xml") {
        return docx::read(&mut archive);
    }
    if archive.has("content.xml") {
        let mimetype = archive.small_text("mimetype").unwrap_or_default();
        if ODT_MIMETYPES.contains(&mimetype.trim()) || mimetype.is_empty() {
            return odt::read(&mut archive);
        }
        return Err(IngestError::Unreadable(format!(
            "an OpenDocument file that is not a text document ({}); only .odt text is read",
            mimetype.trim()
        )));
    }
    Err(IngestError::Unreadable(
        "a zip file that is neither a Word (.docx) nor an OpenDocument text (.odt) file".into(),
    ))
}

/// A zip archive held in memory.
pub(super) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Archive<'a> {
    fn open(bytes: &'a [u8]) -> Result<Archive<'a>, IngestError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(damaged_zip)?;
        Ok(Archive { zip })
    }

    fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A small part (at most 1 KB) as text, `None` when missing or unreadable.
    fn small_text(&mut self, name: &str) -> Option<String> {
        let mut text = String::new();
        let part = self.zip.by_name(name).ok()?;
        part.take(1024).read_to_string(&mut text).ok()?;
        Some(text)
    }

    /// Parses part `name` as it inflates, handing each event to `each`; `Ok(false)` when the
    /// archive has no such part.
    pub(super) fn parse(
        &mut self,
        name: &str,
        each: &mut dyn FnMut(XmlEvent<'_>) -> Result<(), IngestError>,
    ) -> Result<bool, IngestError> {
        let part = match self.zip.by_name(name) {
            Ok(part) => part,
            Err(ZipError::FileNotFound) => return Ok(false),
            Err(err) => return Err(damaged_zip(err)),
        };
        let over_limit = Rc::new(Cell::new(false));
        let limited = Limited {
            inner: part,
            left: PART_LIMIT_BYTES,
            over_limit: Rc::clone(&over_limit),
        };
        let mut reader = Reader::from_reader(BufReader::new(limited));
        let mut buffer = Vec::new();
        loop {
            let event = match reader.read_event_into(&mut buffer) {
                Ok(event) => event,
                Err(_) if over_limit.get() => {
                    return Err(IngestError::Unreadable(format!(
                        "{name} inflates past {} MB (a zip bomb?)",
                        PART_LIMIT_BYTES >> 20
                    )))
                }
                Err(err) => return Err(IngestError::Unreadable(format!("damaged {name}: {err}"))),
            };
            match event {
                Event::Eof => return Ok(true),
                Event::DocType(_) => {
                    return Err(IngestError::Unreadable(format!(
                        "{name} declares a document type (XML entity expansion is refused)"
                    )))
                }
                Event::Start(start) => each(XmlEvent::Start(&start))?,
                Event::Empty(start) => {
                    each(XmlEvent::Start(&start))?;
                    each(XmlEvent::End(start.local_name().as_ref()))?;
                }
                Event::End(end) => each(XmlEvent::End(end.local_name().as_ref()))?,
                Event::Text(text) => each(XmlEvent::Text(&text.xml10_content()))?,
                Event::CData(text) => each(XmlEvent::Text(&text.xml10_content()))?,
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference, name)?;
                    each(XmlEvent::Text(resolved.encode_utf8(&mut [0; 4])))?;
                }
                _ => {}
            }
            buffer.clear();
        }
    }
}

/// What the parts' readers see of the XML: an element opening (an empty one opens and
/// closes), closing, or text with its references resolved.
pub(super) enum XmlEvent<'e> {
    Start(&'e BytesStart<'e>),
    /// The element's local name (`p` of `w:p`).
    End(&'e str),
    Text(&'e str),
}

/// The local name of an opening element.
pub(super) fn local_name<'e>(start: &'e BytesStart<'e>) -> &'e str {
    let name: &str = start.name().0;
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of the attribute whose local name is `name` (`w:val`, `text:outline-level`).
pub(super) fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start.attributes().flatten().find_map(|attribute| {
        let key = attribute.key.local_name();
        (key.as_ref() == name).then(|| {
            attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_or_else(|_| attribute.value.to_string(), |value| value.into_owned())
        })
    })
}

/// The five entities of XML and character references; any other is refused, as a
/// declaration of it would have been.
fn resolve_reference(reference: &BytesRef<'_>, part: &str) -> Result<char, IngestError> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Ok(c);
    }
    let name: &str = reference;
    match name {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(IngestError::Unreadable(format!(
            "{part} uses the undeclared entity &{name}; (XML entity expansion is refused)"
        ))),
    }
}

/// Open table rows and cells, as both formats nest them: a paragraph in a cell is part of
/// the cell's text, a row becomes one line of its cells joined by ` | `, and a table inside
/// a cell is part of that cell's text.
#[derive(Default)]
pub(super) struct Tables {
    rows: Vec<Vec<String>>,
    cells: Vec<TextBuffer>,
}

impl Tables {
    pub(super) fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    pub(super) fn start_cell(&mut self) {
        self.cells.push(TextBuffer::default());
    }

    pub(super) fn end_cell(&mut self) {
        if let (Some(cell), Some(row)) = (self.cells.pop(), self.rows.last_mut()) {
            row.push(cell.finish());
        }
    }

    pub(super) fn in_cell(&self) -> bool {
        !self.cells.is_empty()
    }

    /// Takes a finished paragraph into the open cell, unless it stands inside another
    /// paragraph (a text box); gives it back when no cell takes it.
    pub(super) fn claim(&mut self, text: String, in_text_box: bool) -> Option<String> {
        if in_text_box {
            return Some(text);
        }
        self.take_paragraph(text)
    }

    /// Takes a finished paragraph into the open cell; gives it back outside any table.
    fn take_paragraph(&mut self, text: String) -> Option<String> {
        match self.cells.last_mut() {
            Some(cell) => {
                cell.push_space();
                cell.push_str(&text);
                None
            }
            None => Some(text),
        }
    }

    /// Ends a row: its line, unless it stands in an outer cell (or holds nothing).
    pub(super) fn end_row(&mut self) -> Option<String> {
        let row = self.rows.pop()?;
        let cells: Vec<String> = row.into_iter().filter(|cell| !cell.is_empty()).collect();
        if cells.is_empty() {
            return None;
        }
        self.take_paragraph(cells.join(" | "))
    }
}

/// How much of a paragraph's text is bold, counted in letters (white space is neither).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct BoldCount {
    bold: usize,
    all: usize,
}

impl BoldCount {
    pub(super) fn add(&mut self, text: &str, bold: bool) {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        self.all += chars;
        if bold {
            self.bold += chars;
        }
    }

    pub(super) fn share(&self) -> f64 {
        if self.all == 0 {
            0.0
        } else {
            self.bold as f64 / self.all as f64
        }
    }
}

/// Marks the paragraphs set bold by direct formatting (minutes without heading styles) as
/// headings by the rule a PDF's bold lines follow, below the heading styles' levels; a bold
/// line atop numbered ones is the title (see `bold_headings::take_title`). `bold` is the share
/// of each block's text set bold.
pub(super) fn mark_bold_headings(blocks: &mut [Block], bold: &[f64]) {
    let styled = |index: usize| {
        let block: &Block = &blocks[index];
        Styled {
            text: &block.text,
            bold: bold.get(index).copied().unwrap_or(0.0),
            list_item: block.kind == BlockKind::ListItem,
            tabular: block.kind == BlockKind::TableRow,
        }
    };
    let is_body = |index: &usize| {
        matches!(
            blocks[*index].kind,
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::TableRow
        )
    };
    if bold_headings::body_is_bold((0..blocks.len()).filter(is_body).map(styled)) {
        return;
    }
    let mut headings: Vec<BoldHeading> = (1..blocks.len())
        .map(|next| next - 1)
        .filter(|&index| {
            blocks[index].kind == BlockKind::Paragraph
                && bold_headings::is_bold_heading(
                    index.checked_sub(1).map(styled),
                    styled(index),
                    styled(index + 1),
                )
        })
        .map(|index| BoldHeading::new(index, 0, &blocks[index].text))
        .collect();
    if !blocks.iter().any(|block| block.kind == BlockKind::Title) {
        if let Some(title) = bold_headings::take_title(&mut headings) {
            blocks[title].kind = BlockKind::Title;
        }
    }
    let styled_levels = blocks
        .iter()
        .filter_map(|block| match block.kind {
            BlockKind::Heading(level) => Some(usize::from(level)),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for (index, level) in bold_headings::levels(&headings, styled_levels) {
        blocks[index].kind = BlockKind::Heading(level);
    }
}

fn damaged_zip(err: ZipError) -> IngestError {
    IngestError::Unreadable(format!("damaged zip file: {err}"))
}

/// A reader that stops with an error once more than `left` bytes were read.
struct Limited<R> {
    inner: R,
    left: u64,
    over_limit: Rc<Cell<bool>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        match self.left.checked_sub(read as u64) {
            Some(left) => {
                self.left = left;
                Ok(read)
            }
            None => {
                self.over_limit.set(true);
                Err(std::io::Error::other("part too large"))
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip file of `parts` (name, content), deflated.
    pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// The title and the (kind, text) of each block a file's reader hands over.
    pub(crate) fn title_and_blocks(
        bytes: &[u8],
    ) -> (
        Option<String>,
        Vec<(crate::ingest::structure::BlockKind, String)>,
    ) {
        let extracted = read(bytes).unwrap();
        let blocks = extracted
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect();
        (extracted.title, blocks)
    }

    #[test]
    fn a_zip_that_is_no_office_document_is_refused() {
        let bytes = zip_of(&[("notes.txt", "Referat fra møtet".as_bytes())]);
        let err = read(&bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a zip file that is neither a Word (.docx) nor an OpenDocument text (.odt) file"
        );
    }

    #[test]
    fn r15_writer_web_and_template_documents_are_text_and_a_spreadsheet_is_not() {
        let content = br#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
            <text:h text:outline-level="1">Beredskapsplan</text:h><text:p>Planen skal sikre at kommunen kan handtere flom.</text:p>
            </office:text></office:body></office:document-content>"#;
        for kind in ["text-web", "text-template", "text-master"] {
            let mimetype = format!("application/vnd.oasis.opendocument.{kind}");
            let bytes = zip_of(&[("mimetype", mimetype.as_bytes()), ("content.xml", content)]);
            let (_, blocks) = title_and_blocks(&bytes);
            assert!(
                blocks
                    .iter()
                    .any(|(_, text)| text.contains("kommunen kan handtere flom")),
                "{kind}: {blocks:?}"
            );
        }
        let sheet = zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", content),
        ]);
        let err = read(&sheet).unwrap_err();
        assert!(
            err.to_string()
                .contains("not a text document (application/vnd.oasis.opendocument.spreadsheet)"),
            "{err}"
        );
    }

    #[test]
    fn a_damaged_zip_is_refused() {
        let bytes = zip_of(&[("word/document.xml", b"<w:document/>")]);
        let err = read(&bytes[..bytes.len() / 2]).unwrap_err();
        assert!(err.to_string().starts_with("damaged zip file: "), "{err}");
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limit() {
        let mut xml = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
        xml.resize(xml.len() + (3 << 20), b'a');
        xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip_of(&[("word/document.xml", &xml)]);
        assert!(bytes.len() < 20_000, "{}", bytes.len());
        let err = read(&bytes).unwrap_err();
        assert_eq!(
            err.to_string(),
            "word/document.xml inflates past 1 MB (a zip bomb?)"
        );
    }

    /// Found by the read_office fuzz target (issue 15): quick-xml's message on a mismatched
    /// end tag quotes the tag it found, line breaks and all, and the warning took two lines.
    #[test]
    fn r15_a_damaged_part_is_a_one_line_reason() {
        let xml = b"<w:document><w:body><w:p></w:p\n\n<w:x></w:body></w:document>";
        let err = read(&zip_of(&[("word/document.xml", xml)])).unwrap_err();
        let reason = err.to_string();
        assert!(
            reason.starts_with("damaged word/document.xml: "),
            "{reason}"
        );
        assert!(!reason.contains(['\n', '\r']), "{reason:?}");
    }

    #[test]
    fn entity_declarations_are_refused_before_anything_expands() {
        let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
            <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\
            <w:document><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>";
        let err = read(&zip_of(&[("word/document.xml", laughs)])).unwrap_err();
        assert!(
            err.to_string().contains("entity expansion is refused"),
            "{err}"
        );
    }
}
