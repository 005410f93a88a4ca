//! Word (.docx): `word/document.xml` paragraph by paragraph, with `word/styles.xml` for what
//! each paragraph style is (a heading of which level, the title, a list) and
//! `docProps/core.xml` for the title.

use super::{attribute, local_name, mark_bold_headings, Archive, BoldCount, Tables, XmlEvent};
use crate::ingest::structure::{Block, BlockKind, Extracted, TextBuffer};
use crate::ingest::IngestError;
use std::collections::HashMap;

/// Styles are followed this far up their `basedOn` chain (a loop stops here too).
const MAX_STYLE_DEPTH: usize = 16;
/// Word's outline level 9 is body text; 0–8 are heading levels 1–9.
const BODY_OUTLINE_LEVEL: u8 = 9;

pub(super) fn read(archive: &mut Archive<'_>) -> Result<Extracted, IngestError> {
    let styles = read_styles(archive)?;
    let mut body = Body::new(&styles);
    archive.parse("word/document.xml", &mut |event| {
        body.event(event);
        Ok(())
    })?;
    let title = read_title(archive, "docProps/core.xml")?;
    let mut blocks = body.blocks;
    mark_bold_headings(&mut blocks, &body.bold);
    Ok(Extracted {
        title,
        blocks: blocks.into(),
        headings_known: true,
        warnings: Vec::new(),
        dropped_page_numbers: 0,
        dropped_running_lines: 0,
        page_starts: Vec::new(),
    })
}

/// `dc:title` of a core-properties part (Word's `docProps/core.xml`, OpenDocument's
/// `meta.xml`).
pub(super) fn read_title(
    archive: &mut Archive<'_>,
    part: &str,
) -> Result<Option<String>, IngestError> {
    let mut title = TextBuffer::default();
    let mut in_title = false;
    archive.parse(part, &mut |event| {
        match event {
            XmlEvent::Start(start) => in_title = local_name(start) == "title",
            XmlEvent::End(_) => in_title = false,
            XmlEvent::Text(text) if in_title => title.push_str(text),
            XmlEvent::Text(_) => {}
        }
        Ok(())
    })?;
    let title = title.finish();
    Ok((!title.is_empty()).then_some(title))
}

/// What a paragraph or character style says, as `styles.xml` declares it.
#[derive(Debug, Default, Clone)]
struct Style {
    /// The style's name, lowercased (`heading 1`, `title`): Word writes the English names of
    /// its built-in styles whatever the user's language.
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    numbered: bool,
    /// Whether its text is bold (`w:b`), when it says.
    bold: Option<bool>,
}

fn read_styles(archive: &mut Archive<'_>) -> Result<HashMap<String, Style>, IngestError> {
    let mut styles = HashMap::new();
    let mut current: Option<(String, Style)> = None;
    archive.parse("word/styles.xml", &mut |event| {
        match event {
            XmlEvent::Start(start) => match local_name(start) {
                "style" => {
                    let text_style = attribute(start, "type")
                        .is_none_or(|t| t == "paragraph" || t == "character");
                    current = attribute(start, "styleId")
                        .filter(|_| text_style)
                        .map(|id| (id, Style::default()));
                }
                element => {
                    if let Some((_, style)) = &mut current {
                        let value = attribute(start, "val");
                        match element {
                            "name" => style.name = value.unwrap_or_default().to_lowercase(),
                            "basedOn" => style.based_on = value,
                            "outlineLvl" => {
                                style.outline_level = value.and_then(|v| v.parse().ok())
                            }
                            "numPr" => style.numbered = true,
                            "b" => style.bold = Some(is_on(value.as_deref())),
                            _ => {}
                        }
                    }
                }
            },
            XmlEvent::End("style") => {
                if let Some((id, style)) = current.take() {
                    styles.insert(id, style);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(styles)
}

/// A toggle property's value (`<w:b/>`, `<w:b w:val="0"/>`): on unless it says off.
fn is_on(value: Option<&str>) -> bool {
    !matches!(value, Some("0" | "false" | "off"))
}

/// Whether text of style `id` is bold, as the style or the one it is based on says.
fn style_is_bold(styles: &HashMap<String, Style>, id: Option<&str>) -> Option<bool> {
    let mut next = id;
    for _ in 0..MAX_STYLE_DEPTH {
        let style = styles.get(next?)?;
        if style.bold.is_some() {
            return style.bold;
        }
        next = style.based_on.as_deref();
    }
    None
}

/// The kind a paragraph of style `id` (and its own outline level and numbering) is.
fn paragraph_kind(
    styles: &HashMap<String, Style>,
    id: Option<&str>,
    outline_level: Option<u8>,
    numbered: bool,
) -> BlockKind {
    if let Some(level) = outline_level.filter(|&l| l < BODY_OUTLINE_LEVEL) {
        return BlockKind::Heading(level + 1);
    }
    let mut numbered = numbered;
    let mut next = id;
    for _ in 0..MAX_STYLE_DEPTH {
        let Some(style) = next.and_then(|id| styles.get(id)) else {
            break;
        };
        if style.name == "title" {
            return BlockKind::Title;
        }
        if let Some(level) = style
            .name
            .strip_prefix("heading ")
            .and_then(|n| n.parse().ok())
        {
            return BlockKind::Heading(level);
        }
        if let Some(level) = style.outline_level.filter(|&l| l < BODY_OUTLINE_LEVEL) {
            return BlockKind::Heading(level + 1);
        }
        numbered |= style.numbered;
        next = style.based_on.as_deref();
    }
    BlockKind::body(numbered)
}

/// One paragraph being read.
#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    outline_level: Option<u8>,
    numbered: bool,
    text: TextBuffer,
    /// Inside a run (`w:r`): its own bold (`w:b`) and character style, when it names them.
    in_run: bool,
    run_bold: Option<bool>,
    run_style: Option<String>,
    bold: BoldCount,
}

impl Paragraph {
    /// Whether the current run's text is bold: as the run says, else its character style,
    /// else the paragraph's style.
    fn run_is_bold(&self, styles: &HashMap<String, Style>) -> bool {
        self.run_bold
            .or_else(|| style_is_bold(styles, self.run_style.as_deref()))
            .or_else(|| style_is_bold(styles, self.style.as_deref()))
            .unwrap_or(false)
    }
}

/// `document.xml`'s body as blocks.
struct Body<'s> {
    styles: &'s HashMap<String, Style>,
    blocks: Vec<Block>,
    /// The share of each block's text set bold.
    bold: Vec<f64>,
    /// Open paragraphs: a text box's paragraphs stand inside another.
    paragraphs: Vec<Paragraph>,
    tables: Tables,
    /// Inside `w:t`: its text is the paragraph's.
    in_text: bool,
    /// Inside a part whose text is not the document's (`mc:Fallback` repeats a text box,
    /// `w:delText` is deleted text, `w:instrText` a field's code): depth of such elements.
    skipped: usize,
}

impl<'s> Body<'s> {
    fn new(styles: &'s HashMap<String, Style>) -> Body<'s> {
        Body {
            styles,
            blocks: Vec::new(),
            bold: Vec::new(),
            paragraphs: Vec::new(),
            tables: Tables::default(),
            in_text: false,
            skipped: 0,
        }
    }

    fn event(&mut self, event: XmlEvent<'_>) {
        match event {
            XmlEvent::Start(start) => self.start(start),
            XmlEvent::End(name) => self.end(name),
            XmlEvent::Text(text) if self.in_text && self.skipped == 0 => {
                if let Some(paragraph) = self.paragraphs.last_mut() {
                    paragraph.text.push_str(text);
                    let bold = paragraph.run_is_bold(self.styles);
                    paragraph.bold.add(text, bold);
                }
            }
            XmlEvent::Text(_) => {}
        }
    }

    fn start(&mut self, start: &quick_xml::events::BytesStart<'_>) {
        let name = local_name(start);
        if matches!(name, "Fallback" | "delText" | "instrText" | "del") {
            self.skipped += 1;
            return;
        }
        let paragraph = self.paragraphs.last_mut();
        match (name, paragraph) {
            ("p", _) => self.paragraphs.push(Paragraph::default()),
            ("t", _) => self.in_text = true,
            ("pStyle", Some(paragraph)) => paragraph.style = attribute(start, "val"),
            ("outlineLvl", Some(paragraph)) => {
                paragraph.outline_level = attribute(start, "val").and_then(|v| v.parse().ok())
            }
            ("numPr", Some(paragraph)) => paragraph.numbered = true,
            ("r", Some(paragraph)) => {
                paragraph.in_run = true;
                paragraph.run_bold = None;
                paragraph.run_style = None;
            }
            // A `w:b` outside a run is the paragraph mark's, not its text's.
            ("b", Some(paragraph)) if paragraph.in_run => {
                paragraph.run_bold = Some(is_on(attribute(start, "val").as_deref()))
            }
            ("rStyle", Some(paragraph)) if paragraph.in_run => {
                paragraph.run_style = attribute(start, "val")
            }
            ("tab" | "br" | "cr", Some(paragraph)) => paragraph.text.push_space(),
            ("noBreakHyphen", Some(paragraph)) => paragraph.text.push_str("-"),
            ("tr", _) => self.tables.start_row(),
            ("tc", _) => self.tables.start_cell(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if matches!(name, "Fallback" | "delText" | "instrText" | "del") {
            self.skipped = self.skipped.saturating_sub(1);
            return;
        }
        match name {
            "t" => self.in_text = false,
            "r" => {
                if let Some(paragraph) = self.paragraphs.last_mut() {
                    paragraph.in_run = false;
                }
            }
            "p" => self.end_paragraph(),
            "tc" => self.tables.end_cell(),
            "tr" => {
                if let Some(row) = self.tables.end_row() {
                    self.blocks.push(Block::new(row, BlockKind::TableRow));
                    self.bold.push(0.0);
                }
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        let text = paragraph.text.finish();
        if text.is_empty() {
            return;
        }
        let Some(text) = self.tables.claim(text, !self.paragraphs.is_empty()) else {
            return;
        };
        let kind = paragraph_kind(
            self.styles,
            paragraph.style.as_deref(),
            paragraph.outline_level,
            paragraph.numbered,
        );
        let text = if kind == BlockKind::ListItem {
            format!("- {text}")
        } else {
            text
        };
        self.blocks.push(Block::new(text, kind));
        self.bold.push(paragraph.bold.share());
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{title_and_blocks, zip_of};
    use super::*;

    const STYLES: &[u8] = br#"<w:styles xmlns:w="w">
        <w:style w:type="paragraph" w:styleId="Tittel"><w:name w:val="Title"/></w:style>
        <w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="heading 1"/></w:style>
        <w:style w:type="paragraph" w:styleId="Min"><w:name w:val="Min overskrift"/><w:basedOn w:val="Overskrift2"/></w:style>
        <w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="Egen"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Liste"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
    </w:styles>"#;

    fn paragraph(style: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    }

    #[test]
    fn styles_give_headings_title_and_lists_and_tables_give_rows() {
        let body = [
            paragraph("Tittel", "Årsrapport 2024"),
            paragraph("Overskrift1", "Økonomi"),
            paragraph("Min", "Driftsresultat"),
            paragraph("Normal", "Resultatet ble bedre enn ventet:"),
            paragraph("Liste", "lavere &amp; jevnere sykefravær"),
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Post</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Beløp</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
            r#"<w:p><w:r><w:t>Slett</w:t></w:r><w:del><w:r><w:delText>ikke dette</w:delText></w:r></w:del><w:r><w:tab/><w:t>ord</w:t></w:r></w:p>"#.to_string(),
        ]
        .concat();
        let document = format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#);
        let core = r#"<cp:coreProperties xmlns:dc="dc" xmlns:cp="cp"><dc:title>Årsrapport</dc:title></cp:coreProperties>"#;
        let bytes = zip_of(&[
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", STYLES),
            ("docProps/core.xml", core.as_bytes()),
        ]);
        let (title, blocks) = title_and_blocks(&bytes);
        assert_eq!(title.as_deref(), Some("Årsrapport"));
        assert_eq!(
            blocks,
            [
                (BlockKind::Title, "Årsrapport 2024".to_string()),
                (BlockKind::Heading(1), "Økonomi".to_string()),
                (BlockKind::Heading(2), "Driftsresultat".to_string()),
                (
                    BlockKind::Paragraph,
                    "Resultatet ble bedre enn ventet:".to_string()
                ),
                (
                    BlockKind::ListItem,
                    "- lavere & jevnere sykefravær".to_string()
                ),
                (BlockKind::TableRow, "Post | Beløp".to_string()),
                (BlockKind::Paragraph, "Slett ord".to_string()),
            ]
        );
    }

    /// Issue 15 (session 25): minutes written with direct formatting. A paragraph all in
    /// bold runs (or of a style that is bold) is a heading, by the rule a PDF's bold lines
    /// follow. A bold paragraph mark (`w:b` of
    /// `w:pPr`), a run's `w:b w:val="0"`, a bold word and a bold label are not headings.
    #[test]
    fn r15_bold_paragraphs_are_headings_and_the_first_is_the_title() {
        let run = |bold: &str, text: &str| {
            format!(r#"<w:r><w:rPr>{bold}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
        };
        let bold_paragraph = |text: &str| format!("<w:p>{}</w:p>", run("<w:b/>", text));
        let body_text = "Innkalling og saksliste ble godkjent uten merknader.";
        let body = [
            bold_paragraph("Referat fra formannskapet"),
            format!("<w:p>{}</w:p>", run("", body_text)),
            bold_paragraph("Sak 12/24: Budsjett 2025"),
            format!(
                "<w:p>{}{}</w:p>",
                run("<w:b/>", "Vedtak:"),
                run("", " Rammen økes med 2,3 millioner kroner.")
            ),
            format!(
                r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr>{}</w:p>"#,
                run("", "Bare avsnittsmerket er fett")
            ),
            format!("<w:p>{}</w:p>", run("", body_text)),
            format!(
                "<w:p>{}</w:p>",
                run(r#"<w:b w:val="0"/>"#, "Ikke fet likevel")
            ),
            format!("<w:p>{}</w:p>", run("", body_text)),
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Fet"/></w:pPr>{}</w:p>"#,
                run("", "Sak 13/24: Eventuelt")
            ),
            format!("<w:p>{}</w:p>", run("", body_text)),
        ]
        .concat();
        let styles = br#"<w:styles xmlns:w="w">
            <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="Fet"><w:name w:val="Fet"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
        </w:styles>"#;
        let document = format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#);
        let bytes = zip_of(&[
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", styles),
        ]);
        let (_, blocks) = title_and_blocks(&bytes);
        let kinds: Vec<(BlockKind, &str)> = blocks
            .iter()
            .map(|(kind, text)| (*kind, text.as_str()))
            .filter(|(kind, _)| *kind != BlockKind::Paragraph)
            .collect();
        assert_eq!(
            kinds,
            [
                // The title, once segmentation sees that it opens the document.
                (BlockKind::Heading(1), "Referat fra formannskapet"),
                (BlockKind::Heading(1), "Sak 12/24: Budsjett 2025"),
                (BlockKind::Heading(1), "Sak 13/24: Eventuelt"),
            ]
        );
    }

    /// In a document set in bold, bold sets nothing apart: no paragraph is a heading by it.
    #[test]
    fn r15_in_a_document_set_in_bold_bold_paragraphs_are_not_headings() {
        let paragraph =
            |text: &str| format!(r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r></w:p>"#);
        let body = [
            paragraph("Sak 12/24: Budsjett 2025"),
            paragraph("Rådmannen orienterte om merforbruk i skolesektoren."),
            paragraph("Sak 13/24: Eventuelt"),
            paragraph("Ingen saker ble meldt."),
        ]
        .concat();
        let document = format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#);
        let (_, blocks) = title_and_blocks(&zip_of(&[("word/document.xml", document.as_bytes())]));
        assert!(
            blocks.iter().all(|(kind, _)| *kind == BlockKind::Paragraph),
            "{blocks:?}"
        );
    }
}
