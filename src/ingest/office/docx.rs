//! Word (.docx): `word/document.xml` paragraph by paragraph, with `word/styles.xml` for what
//! each paragraph style is (a heading of which level, the title, a list) and
//! `docProps/core.xml` for the title.

use super::{attribute, local_name, Archive, Tables, XmlEvent};
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
    Ok(Extracted {
        title,
        blocks: body.blocks,
        headings_known: true,
        warnings: Vec::new(),
        dropped_page_numbers: 0,
        dropped_running_lines: 0,
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

/// What a paragraph style says, as `styles.xml` declares it.
#[derive(Debug, Default, Clone)]
struct Style {
    /// The style's name, lowercased (`heading 1`, `title`): Word writes the English names of
    /// its built-in styles whatever the user's language.
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    numbered: bool,
}

fn read_styles(archive: &mut Archive<'_>) -> Result<HashMap<String, Style>, IngestError> {
    let mut styles = HashMap::new();
    let mut current: Option<(String, Style)> = None;
    archive.parse("word/styles.xml", &mut |event| {
        match event {
            XmlEvent::Start(start) => match local_name(start) {
                "style" => {
                    let paragraph = attribute(start, "type").is_none_or(|t| t == "paragraph");
                    current = attribute(start, "styleId")
                        .filter(|_| paragraph)
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
}

/// `document.xml`'s body as blocks.
struct Body<'s> {
    styles: &'s HashMap<String, Style>,
    blocks: Vec<Block>,
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
            "p" => self.end_paragraph(),
            "tc" => self.tables.end_cell(),
            "tr" => {
                if let Some(row) = self.tables.end_row() {
                    self.blocks.push(Block::new(row, BlockKind::TableRow));
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
}
