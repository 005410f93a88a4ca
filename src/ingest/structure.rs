//! What a document format knows about its text, handed to segmentation instead of letting
//! the plain-text rules guess it (issue 15): each reader gives blocks (a heading and its
//! level, a paragraph, a list item, a table row) with the page they start on.

use super::lines::{Anchor, Anchors, Line};
use super::{Decoded, Ingested};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// What a block of a structured document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// The document's title as it stands in the text (a Title style, `# …` of Markdown).
    Title,
    /// A heading of level 1–6.
    Heading(u8),
    Paragraph,
    /// One item of a list; a paragraph ending in `:` right before the list introduces it.
    ListItem,
    /// One row of a table, its cells joined with ` | `.
    TableRow,
}

impl BlockKind {
    /// What a paragraph is when no heading style or size marks it: a list item when the
    /// format says it belongs to a list, else body text.
    pub(crate) fn body(list_item: bool) -> BlockKind {
        if list_item {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        }
    }
}

/// One logical line of a structured document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// The text on one line, white space collapsed.
    pub text: String,
    pub kind: BlockKind,
    /// 1-based page the block starts on, for paged formats (PDF).
    pub page: Option<u32>,
    /// 1-based line of the source file where the block starts, where the format has lines
    /// (Markdown, HTML); `None` counts blocks instead (PDF, Word, OpenDocument).
    pub source_line: Option<usize>,
}

impl Block {
    pub(crate) fn new(text: String, kind: BlockKind) -> Block {
        Block {
            text,
            kind,
            page: None,
            source_line: None,
        }
    }
}

/// A document as a format reader hands it over.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extracted {
    /// The title from the document's properties (Word, OpenDocument, PDF info, HTML
    /// `<title>`, Markdown front matter), when it has one.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// Whether the reader knows the headings (styles, outline, tags, font sizes); when not,
    /// segmentation finds them with the text rules (a PDF with neither outline nor larger
    /// lines).
    pub headings_known: bool,
    /// One-line remarks on the file (the caller names it).
    pub warnings: Vec<String>,
    /// Page numbers the reader dropped.
    pub dropped_page_numbers: usize,
    /// Running headers and footers the reader dropped (a PDF's).
    pub dropped_running_lines: usize,
    /// Where a later page starts inside a block: (block index, byte offset in its text,
    /// page), in order; a PDF's paragraph that goes on past a page break. Kept beside the
    /// blocks, not in each, so that a block costs no more (a Markdown list has millions).
    pub page_starts: Vec<(usize, usize, u32)>,
}

/// The reader's knowledge about one logical line of an `Ingested` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineHint {
    pub kind: BlockKind,
    pub page: Option<u32>,
}

/// What the reader knew, one hint per logical line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Structure {
    pub title: Option<String>,
    pub hints: Vec<LineHint>,
    /// Where a later page starts inside a logical line: (line index, byte offset, page), in
    /// order.
    pub page_starts: Vec<(usize, usize, u32)>,
    pub headings_known: bool,
}

/// Whether a block stands right under the one before it, without a blank line: a list's
/// items and the line introducing it, a table's rows.
fn is_tight_after(previous: BlockKind, previous_introduces: bool, kind: BlockKind) -> bool {
    match kind {
        BlockKind::ListItem => previous == BlockKind::ListItem || previous_introduces,
        BlockKind::TableRow => previous == BlockKind::TableRow,
        _ => false,
    }
}

/// Blocks made into lines before their list is shrunk: a shrink of a large list returns its
/// pages without copying it.
const BLOCKS_GIVEN_BACK: usize = 1 << 16;

/// The extracted document as the logical lines segmentation reads, one a block. Its line
/// numbers are the blocks' source lines, or the blocks' ordinals where the format has no
/// lines; a column counts bytes within the block.
pub(crate) fn into_ingested(mut extracted: Extracted) -> Ingested<'static> {
    mark_title(&mut extracted);
    let count = extracted.blocks.len();
    let mut lines = Vec::with_capacity(count);
    let mut hints = Vec::with_capacity(count);
    let mut previous: Option<(BlockKind, bool)> = None;
    // The blocks are taken from the end of the reversed list, which gives back its room as
    // it empties, so that the blocks and the lines made of them are not both held whole
    // (issue 15: 180 MB of blocks beside 270 MB of lines and hints for a Markdown list of
    // 3.2 million items).
    let mut blocks = extracted.blocks;
    blocks.reverse();
    let mut ordinal = 0;
    while let Some(block) = blocks.pop() {
        if blocks.capacity() - blocks.len() >= BLOCKS_GIVEN_BACK {
            blocks.shrink_to_fit();
        }
        let blanks_before = match previous {
            Some((kind, introduces)) if is_tight_after(kind, introduces, block.kind) => 0,
            Some(_) => 1,
            None => 0,
        };
        previous = Some((block.kind, block.text.ends_with(':')));
        hints.push(LineHint {
            kind: block.kind,
            page: block.page,
        });
        lines.push(Line {
            text: Cow::Owned(block.text),
            anchors: Anchors::One(Anchor {
                offset: 0,
                line: block.source_line.unwrap_or(ordinal + 1),
                // There is no decoded source to point into: a column is counted from the
                // start of the block (see `segment::source_map::column_of`).
                source_offset: 0,
                exact: true,
            }),
            blanks_before,
        });
        ordinal += 1;
    }
    Ingested {
        decoded: Decoded::extracted(),
        lines,
        page_numbers: Vec::new(),
        structure: Some(Structure {
            title: extracted.title,
            hints,
            // One logical line a block: a block's index is its line's.
            page_starts: extracted.page_starts,
            headings_known: extracted.headings_known,
        }),
    }
}

/// A heading that opens the document is its title, as the first line of a plain text is
/// (unless the document's properties name another title): `# Plan` atop a Markdown file,
/// `<h1>` first on a page, Heading 1 first in a Word file without a Title paragraph.
fn mark_title(extracted: &mut Extracted) {
    if extracted.blocks.iter().any(|b| b.kind == BlockKind::Title) {
        return;
    }
    let title = extracted.title.as_deref();
    if let Some(first) = extracted.blocks.first_mut() {
        let is_heading = matches!(first.kind, BlockKind::Heading(_));
        if is_heading && title.is_none_or(|title| title == first.text) {
            first.kind = BlockKind::Title;
        }
    }
}

/// Text as readers hand it over: white space runs (line breaks, tabs, no-break spaces) are
/// one space, soft hyphens (invisible unless a line breaks there) are gone, ligatures
/// (`ﬁ`, `ﬂ`) are letters, and the result is trimmed.
pub(crate) fn clean_text(text: &str) -> String {
    let mut buffer = TextBuffer::default();
    buffer.push_str(text);
    buffer.finish()
}

/// A block's text built piece by piece as `clean_text` would make it of the pieces joined,
/// without a second copy (a 100 MB paragraph of a one-line HTML file is held once).
#[derive(Debug, Default)]
pub(crate) struct TextBuffer {
    text: String,
    space_pending: bool,
}

impl TextBuffer {
    pub(crate) fn push_str(&mut self, piece: &str) {
        for c in piece.chars() {
            if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}') {
                self.space_pending = !self.text.is_empty();
                continue;
            }
            if c == '\u{00AD}' {
                continue;
            }
            if self.space_pending {
                self.text.push(' ');
                self.space_pending = false;
            }
            push_expanding_ligature(&mut self.text, c);
        }
    }

    /// A break between words (a line break, a table cell's end).
    pub(crate) fn push_space(&mut self) {
        self.space_pending = !self.text.is_empty();
    }

    /// The text, trimmed, in NFC (a decomposed `å` of a PDF is one letter).
    /// Without spare room: a text grown piece by piece holds up to twice its length, and a
    /// document's blocks are held while it is indexed (issue 15: 169 MB of blocks for the
    /// 90 MB of text of a 100 MB HTML page).
    pub(crate) fn finish(self) -> String {
        let mut text = if unicode_normalization::is_nfc(&self.text) {
            self.text
        } else {
            self.text.nfc().collect()
        };
        text.shrink_to_fit();
        text
    }
}

/// Pushes `c`, a typographic ligature (U+FB00–U+FB06) as its letters.
pub(crate) fn push_expanding_ligature(out: &mut String, c: char) {
    let letters = match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(letters);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_collapses_space_drops_soft_hyphens_and_expands_ligatures() {
        assert_eq!(
            clean_text("  Den kommunale\u{a0}\u{FB01}nan\u{ad}sieringen\n\tog  \u{FB02}yt "),
            "Den kommunale finansieringen og flyt"
        );
    }

    #[test]
    fn a_list_stays_tight_with_its_introduction() {
        let mut intro = Block::new("Målene er:".into(), BlockKind::Paragraph);
        intro.page = Some(2);
        let extracted = Extracted {
            blocks: vec![
                Block::new("Mål".into(), BlockKind::Heading(1)),
                intro,
                Block::new("- Bedre tjenester".into(), BlockKind::ListItem),
                Block::new("- Kortere ventetid".into(), BlockKind::ListItem),
                Block::new("Slutt.".into(), BlockKind::Paragraph),
            ],
            headings_known: true,
            ..Extracted::default()
        };
        let ingested = into_ingested(extracted);
        let blanks: Vec<usize> = ingested.lines.iter().map(|l| l.blanks_before).collect();
        assert_eq!(blanks, [0, 1, 0, 0, 1]);
        let structure = ingested.structure.unwrap();
        assert_eq!(structure.hints[1].page, Some(2));
        assert_eq!(ingested.lines[3].first_line(), 4);
    }
}
