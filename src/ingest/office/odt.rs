//! OpenDocument text (.odt): `content.xml` element by element (`text:h` with its outline
//! level, `text:p`, list items, table rows), with the paragraph styles it and `styles.xml`
//! declare (a `Title` paragraph, or one of a style derived from it, is the title) and
//! `meta.xml` for the title.

use super::docx::read_title;
use super::{attribute, local_name, mark_bold_headings, Archive, BoldCount, Tables, XmlEvent};
use crate::ingest::structure::{Block, BlockKind, Extracted, TextBuffer};
use crate::ingest::IngestError;
use std::collections::HashMap;

const MAX_STYLE_DEPTH: usize = 16;

pub(super) fn read(archive: &mut Archive<'_>) -> Result<Extracted, IngestError> {
    let mut styles = Styles::default();
    archive.parse("styles.xml", &mut |event| {
        styles.collect(&event);
        Ok(())
    })?;
    let mut body = Body::default();
    // A document's own (automatic) styles stand before its body in `content.xml`.
    archive.parse("content.xml", &mut |event| {
        styles.collect(&event);
        body.event(event, &styles);
        Ok(())
    })?;
    let title = read_title(archive, "meta.xml")?;
    let mut bold = Vec::with_capacity(body.blocks.len());
    let mut blocks: Vec<Block> = body
        .blocks
        .into_iter()
        .map(|(mut block, style, bold_share)| {
            if block.kind == BlockKind::Paragraph && styles.is_title(style.as_deref()) {
                block.kind = BlockKind::Title;
            }
            bold.push(bold_share);
            block
        })
        .collect();
    mark_bold_headings(&mut blocks, &bold);
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

/// What the styles say: each style's parent (`style:parent-style-name`) and whether its
/// text is bold (`fo:font-weight`), where it says.
#[derive(Default)]
struct Styles {
    parents: HashMap<String, String>,
    bold: HashMap<String, bool>,
    /// The style whose properties are being read.
    current: Option<String>,
}

impl Styles {
    fn collect(&mut self, event: &XmlEvent<'_>) {
        match event {
            XmlEvent::Start(start) => match local_name(start) {
                "style" => {
                    self.current = attribute(start, "name");
                    if let (Some(name), Some(parent)) =
                        (&self.current, attribute(start, "parent-style-name"))
                    {
                        self.parents.insert(name.clone(), parent);
                    }
                }
                "text-properties" => {
                    if let (Some(name), Some(weight)) =
                        (&self.current, attribute(start, "font-weight"))
                    {
                        self.bold.insert(name.clone(), is_bold_weight(&weight));
                    }
                }
                _ => {}
            },
            XmlEvent::End("style") => self.current = None,
            _ => {}
        }
    }

    fn is_title(&self, style: Option<&str>) -> bool {
        let mut next = style;
        for _ in 0..MAX_STYLE_DEPTH {
            match next {
                Some("Title") => return true,
                Some(name) => next = self.parents.get(name).map(String::as_str),
                None => return false,
            }
        }
        false
    }

    /// Whether text of `style` is bold, as it or a style it derives from says.
    fn is_bold(&self, style: Option<&str>) -> Option<bool> {
        let mut next = style;
        for _ in 0..MAX_STYLE_DEPTH {
            let name = next?;
            if let Some(&bold) = self.bold.get(name) {
                return Some(bold);
            }
            next = self.parents.get(name).map(String::as_str);
        }
        None
    }
}

/// `bold`, or a weight of 600 or more (semibold and up), as a PDF font's weight is read.
fn is_bold_weight(weight: &str) -> bool {
    weight == "bold" || weight.parse::<u32>().is_ok_and(|weight| weight >= 600)
}

/// `content.xml`'s text as blocks, each with its paragraph style and the share of its text
/// set bold.
#[derive(Default)]
struct Body {
    blocks: Vec<(Block, Option<String>, f64)>,
    /// Open paragraphs and headings (a frame's text box stands inside a paragraph).
    paragraphs: Vec<OpenParagraph>,
    /// The styles of the open spans (`text:span`), innermost last.
    spans: Vec<Option<String>>,
    /// Open lists, and whether the current item's first paragraph was read.
    lists: usize,
    item_started: bool,
    tables: Tables,
    /// Depth inside elements whose text is not the document's: notes (their citation
    /// numbers would cut sentences), annotations, tracked deletions.
    skipped: usize,
    in_body: bool,
}

/// A paragraph or heading being read.
struct OpenParagraph {
    kind: BlockKind,
    style: Option<String>,
    text: TextBuffer,
    bold: BoldCount,
}

impl OpenParagraph {
    fn new(kind: BlockKind, style: Option<String>, text: TextBuffer) -> OpenParagraph {
        OpenParagraph {
            kind,
            style,
            text,
            bold: BoldCount::default(),
        }
    }
}

const SKIPPED: [&str; 4] = ["note", "annotation", "tracked-changes", "sequence-decls"];

impl Body {
    fn event(&mut self, event: XmlEvent<'_>, styles: &Styles) {
        match event {
            XmlEvent::Start(start) => self.start(start),
            XmlEvent::End(name) => self.end(name),
            XmlEvent::Text(text) if self.skipped == 0 => {
                // The innermost span that says, else the paragraph's style.
                let span_bold = self
                    .spans
                    .iter()
                    .rev()
                    .find_map(|style| styles.is_bold(style.as_deref()));
                if let Some(paragraph) = self.paragraphs.last_mut() {
                    paragraph.text.push_str(text);
                    let bold = span_bold.or_else(|| styles.is_bold(paragraph.style.as_deref()));
                    paragraph.bold.add(text, bold.unwrap_or(false));
                }
            }
            XmlEvent::Text(_) => {}
        }
    }

    fn start(&mut self, start: &quick_xml::events::BytesStart<'_>) {
        let name = local_name(start);
        if SKIPPED.contains(&name) {
            self.skipped += 1;
            return;
        }
        match name {
            "text" => self.in_body = true,
            "h" => {
                let level = attribute(start, "outline-level")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1);
                self.paragraphs.push(OpenParagraph::new(
                    BlockKind::Heading(level),
                    attribute(start, "style-name"),
                    TextBuffer::default(),
                ));
            }
            "p" => {
                let in_item = self.lists > 0 && !self.item_started;
                self.item_started |= self.lists > 0;
                let kind = BlockKind::body(in_item);
                let mut buffer = TextBuffer::default();
                if in_item && !self.tables.in_cell() {
                    buffer.push_str("- ");
                }
                self.paragraphs.push(OpenParagraph::new(
                    kind,
                    attribute(start, "style-name"),
                    buffer,
                ));
            }
            "list" => self.lists += 1,
            "list-item" => self.item_started = false,
            "list-header" => self.item_started = true,
            "span" => self.spans.push(attribute(start, "style-name")),
            "s" | "tab" | "line-break" => {
                if let Some(paragraph) = self.paragraphs.last_mut() {
                    paragraph.text.push_space();
                }
            }
            "table-row" => self.tables.start_row(),
            "table-cell" => self.tables.start_cell(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if SKIPPED.contains(&name) {
            self.skipped = self.skipped.saturating_sub(1);
            return;
        }
        match name {
            "h" | "p" => self.end_paragraph(),
            "list" => self.lists = self.lists.saturating_sub(1),
            "span" => {
                self.spans.pop();
            }
            "table-cell" => self.tables.end_cell(),
            "table-row" => {
                if let Some(row) = self.tables.end_row() {
                    self.blocks
                        .push((Block::new(row, BlockKind::TableRow), None, 0.0));
                }
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(OpenParagraph {
            kind,
            style,
            text,
            bold,
        }) = self.paragraphs.pop()
        else {
            return;
        };
        let text = text.finish();
        if text.is_empty() || text == "-" || !self.in_body {
            return;
        }
        let Some(text) = self.tables.claim(text, !self.paragraphs.is_empty()) else {
            return;
        };
        self.blocks
            .push((Block::new(text, kind), style, bold.share()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{title_and_blocks, zip_of};
    use super::*;

    #[test]
    fn headings_lists_tables_and_the_title_paragraph() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb" xmlns:style="s">
            <office:automatic-styles><style:style style:name="P1" style:parent-style-name="Title"/></office:automatic-styles>
            <office:body><office:text><text:sequence-decls><text:sequence-decl text:name="Tabell"/></text:sequence-decls>
            <text:p text:style-name="P1">Plan for <text:span>digital</text:span> omstilling</text:p>
            <text:h text:outline-level="2">1.1 Mål<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Fotnote</text:p></text:note-body></text:note></text:h>
            <text:p>Målene er:</text:p>
            <text:list><text:list-item><text:p>Bedre<text:s/>tjenester</text:p></text:list-item>
            <text:list-item><text:p>Kortere ventetid</text:p></text:list-item></text:list>
            <table:table><table:table-row><table:table-cell><text:p>Tiltak</text:p></table:table-cell><table:table-cell><text:p>Frist</text:p></table:table-cell></table:table-row></table:table>
            </office:text></office:body></office:document-content>"#;
        let meta = br#"<office:document-meta xmlns:office="o" xmlns:dc="dc"><office:meta><dc:title>Digital plan</dc:title></office:meta></office:document-meta>"#;
        let bytes = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("meta.xml", meta),
        ]);
        let (title, blocks) = title_and_blocks(&bytes);
        assert_eq!(title.as_deref(), Some("Digital plan"));
        assert_eq!(
            blocks,
            [
                (BlockKind::Title, "Plan for digital omstilling".to_string()),
                (BlockKind::Heading(2), "1.1 Mål".to_string()),
                (BlockKind::Paragraph, "Målene er:".to_string()),
                (BlockKind::ListItem, "- Bedre tjenester".to_string()),
                (BlockKind::ListItem, "- Kortere ventetid".to_string()),
                (BlockKind::TableRow, "Tiltak | Frist".to_string()),
            ]
        );
    }
}
