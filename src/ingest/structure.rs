//! What a document format knows about its text, handed to segmentation instead of letting
//! the plain-text rules guess it (issue 15): each reader gives blocks (a heading and its
//! level, a paragraph, a list item, a table row) with the page they start on.

use super::lines::{Anchor, Line, LineText};
use super::{Decoded, Ingested};
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

/// The blocks of a document, as compact as a reader can hold them: their texts one after
/// another in one string, and beside it each block's end, kind, page and line (issue 15: a
/// `Block` of its own cost 56 bytes and an allocation besides its text, and a 100 MB Markdown
/// list has three million items).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Blocks {
    text: String,
    entries: Vec<BlockEntry>,
}

/// One block of `Blocks`: its text ends at `end` in the blocks' text, where the next one's
/// starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BlockEntry {
    end: usize,
    /// The block's source line, 0 where it has none (source lines count from 1).
    source_line: usize,
    page: Option<u32>,
    kind: BlockKind,
}

/// A block of `Blocks`, its text borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockRef<'b> {
    pub text: &'b str,
    pub kind: BlockKind,
    pub page: Option<u32>,
    pub source_line: Option<usize>,
}

impl BlockRef<'_> {
    /// The block, its text copied.
    pub(crate) fn to_block(self) -> Block {
        Block {
            text: self.text.to_string(),
            kind: self.kind,
            page: self.page,
            source_line: self.source_line,
        }
    }
}

impl Blocks {
    /// Adds `block` after the others; its text is copied, and its own room given back.
    pub(crate) fn push(&mut self, block: Block) {
        self.text.push_str(&block.text);
        self.entries.push(BlockEntry {
            end: self.text.len(),
            source_line: block.source_line.unwrap_or(0),
            page: block.page,
            kind: block.kind,
        });
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Block `index`, if there is one.
    pub(crate) fn get(&self, index: usize) -> Option<BlockRef<'_>> {
        let entry = self.entries.get(index)?;
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.entries[before].end);
        Some(BlockRef {
            text: &self.text[start..entry.end],
            kind: entry.kind,
            page: entry.page,
            source_line: (entry.source_line > 0).then_some(entry.source_line),
        })
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = BlockRef<'_>> {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// Makes block `index` (which must exist) one of `kind`.
    pub(crate) fn set_kind(&mut self, index: usize, kind: BlockKind) {
        self.entries[index].kind = kind;
    }

    /// The blocks, each with a text of its own.
    #[cfg(test)]
    pub(crate) fn to_vec(&self) -> Vec<Block> {
        self.iter().map(BlockRef::to_block).collect()
    }
}

impl FromIterator<Block> for Blocks {
    fn from_iter<I: IntoIterator<Item = Block>>(blocks: I) -> Blocks {
        let mut all = Blocks::default();
        for block in blocks {
            all.push(block);
        }
        all
    }
}

impl From<Vec<Block>> for Blocks {
    fn from(blocks: Vec<Block>) -> Blocks {
        blocks.into_iter().collect()
    }
}

impl IntoIterator for Blocks {
    type Item = Block;
    type IntoIter = std::vec::IntoIter<Block>;

    /// The blocks, each with a text of its own (tests compare them so).
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
            .map(BlockRef::to_block)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// A document as a format reader hands it over.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extracted {
    /// The title from the document's properties (Word, OpenDocument, PDF info, HTML
    /// `<title>`, Markdown front matter), when it has one.
    pub title: Option<String>,
    pub blocks: Blocks,
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

/// What the reader knew, line by line: each logical line's kind, and its page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Structure {
    pub title: Option<String>,
    /// Each logical line's kind, one a line.
    pub kinds: Vec<BlockKind>,
    /// The lines' pages.
    pub pages: LinePages,
    /// Where a later page starts inside a logical line: (line index, byte offset, page), in
    /// order.
    pub page_starts: Vec<(usize, usize, u32)>,
    pub headings_known: bool,
}

/// The page of each logical line, kept as the lines where it changes (issue 15: a kind and a
/// page of its own cost each line 12 bytes, 39 MB for a Markdown list of 3.2 million items,
/// whose lines have no page at all; a PDF's lines change page a few dozen times a page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LinePages {
    /// (first line, page), in line order, each page unlike the one before; lines before the
    /// first have none.
    changes: Vec<(usize, Option<u32>)>,
    /// Lines in all.
    lines: usize,
}

impl LinePages {
    /// Adds the next line, on `page`.
    pub(crate) fn push(&mut self, page: Option<u32>) {
        let current = self.changes.last().and_then(|&(_, page)| page);
        if page != current {
            self.changes.push((self.lines, page));
        }
        self.lines += 1;
    }

    /// The page of line `index`; `None` past the last line.
    pub(crate) fn get(&self, index: usize) -> Option<u32> {
        if index >= self.lines {
            return None;
        }
        let after = self.changes.partition_point(|&(first, _)| first <= index);
        after.checked_sub(1).and_then(|at| self.changes[at].1)
    }
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

/// Entries made into lines before their list is shrunk: a shrink of a large list returns
/// its pages without copying it.
const BLOCKS_GIVEN_BACK: usize = 1 << 16;

/// The extracted document as the logical lines segmentation reads, one a block, their texts
/// borrowed from `text`, where the blocks' text is moved (issue 15: a text of its own for each
/// line of a 3.2 million item list was an allocation of 48 bytes for some 30 letters). Its line
/// numbers are the blocks' source lines, or the blocks' ordinals where the format has no
/// lines; a column counts bytes within the block.
pub(crate) fn into_ingested(mut extracted: Extracted, text: &mut String) -> Ingested<'_> {
    mark_title(&mut extracted);
    let Blocks {
        text: blocks_text,
        mut entries,
    } = extracted.blocks;
    *text = blocks_text;
    text.shrink_to_fit();
    let text: &str = text;
    let count = entries.len();
    let mut lines = Vec::with_capacity(count);
    let mut kinds = Vec::with_capacity(count);
    let mut pages = LinePages::default();
    let mut previous: Option<(BlockKind, bool)> = None;
    // The entries are taken from the end of the reversed list, which gives back its room as
    // it empties, so that the entries and the lines made of them are not both held whole
    // (issue 15: 180 MB of blocks beside 270 MB of lines and hints for a Markdown list of
    // 3.2 million items).
    entries.reverse();
    let mut start = 0;
    let mut ordinal = 0;
    while let Some(entry) = entries.pop() {
        if entries.capacity() - entries.len() >= BLOCKS_GIVEN_BACK {
            entries.shrink_to_fit();
        }
        let block_text = &text[start..entry.end];
        start = entry.end;
        let blanks_before = match previous {
            Some((kind, introduces)) if is_tight_after(kind, introduces, entry.kind) => 0,
            Some(_) => 1,
            None => 0,
        };
        previous = Some((entry.kind, block_text.ends_with(':')));
        kinds.push(entry.kind);
        pages.push(entry.page);
        let anchor = Anchor {
            offset: 0,
            line: if entry.source_line > 0 {
                entry.source_line
            } else {
                ordinal + 1
            },
            // There is no decoded source to point into: a column is counted from the start
            // of the block (see `segment::source_map::column_of`).
            source_offset: 0,
            exact: true,
        };
        lines.push(Line::new(
            LineText::Borrowed(block_text),
            anchor,
            blanks_before,
        ));
        ordinal += 1;
    }
    Ingested {
        decoded: Decoded::extracted(),
        lines,
        page_numbers: Vec::new(),
        structure: Some(Structure {
            title: extracted.title,
            kinds,
            pages,
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
    let blocks = &mut extracted.blocks;
    if blocks.iter().any(|b| b.kind == BlockKind::Title) {
        return;
    }
    let title = extracted.title.as_deref();
    if let Some(first) = blocks.get(0) {
        let is_heading = matches!(first.kind, BlockKind::Heading(_));
        if is_heading && title.is_none_or(|title| title == first.text) {
            blocks.set_kind(0, BlockKind::Title);
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
    fn r15_blocks_give_back_what_was_pushed_and_lend_it_to_the_lines() {
        let long = "Blåbærsyltetøy og rømmegrøt ".repeat(40_000);
        assert!(long.len() > 1 << 20);
        let mut heading = Block::new("Mål".into(), BlockKind::Heading(2));
        (heading.page, heading.source_line) = (Some(3), Some(12));
        let mut item = Block::new(long.clone(), BlockKind::ListItem);
        item.source_line = Some(usize::MAX);
        let made = vec![
            Block::new(String::new(), BlockKind::Paragraph),
            heading,
            Block::new(String::new(), BlockKind::Paragraph),
            item,
            Block::new("ﬁ ø Å".into(), BlockKind::TableRow),
        ];
        let blocks = Blocks::from(made.clone());
        assert_eq!((blocks.len(), blocks.is_empty()), (5, false));
        assert_eq!(blocks.to_vec(), made);
        assert_eq!(blocks.clone().into_iter().collect::<Vec<_>>(), made);
        assert_eq!(blocks.get(3).map(|b| b.text.len()), Some(long.len()));
        assert_eq!(blocks.get(5), None);
        assert!(Blocks::default().is_empty());
        let extracted = Extracted {
            blocks,
            headings_known: true,
            ..Extracted::default()
        };
        let mut text = String::new();
        let ingested = into_ingested(extracted, &mut text);
        let lines: Vec<(&str, usize)> = ingested
            .lines
            .iter()
            .map(|l| (&*l.text, l.first_line()))
            .collect();
        assert_eq!(
            lines,
            [
                ("", 1),
                ("Mål", 12),
                ("", 3),
                (long.as_str(), usize::MAX),
                ("ﬁ ø Å", 5)
            ]
        );
        assert_eq!(ingested.page_of(1), Some(3));
    }

    #[test]
    fn r15_line_pages_keep_each_line_s_page_as_runs() {
        let pages = [
            None,
            None,
            Some(1),
            Some(1),
            Some(2),
            None,
            Some(2),
            Some(2),
        ];
        let mut kept = LinePages::default();
        for page in pages {
            kept.push(page);
        }
        let read: Vec<Option<u32>> = (0..pages.len()).map(|line| kept.get(line)).collect();
        assert_eq!(read, pages);
        assert_eq!(kept.get(pages.len()), None, "past the last line");
        assert_eq!(
            kept.changes.len(),
            4,
            "one entry a change of page, not a line"
        );
        let mut none = LinePages::default();
        for _ in 0..1000 {
            none.push(None);
        }
        assert!(none.changes.is_empty() && none.get(999).is_none());
        assert_eq!(LinePages::default().get(0), None);
    }

    #[test]
    fn a_list_stays_tight_with_its_introduction() {
        let mut intro = Block::new("Målene er:".into(), BlockKind::Paragraph);
        intro.page = Some(2);
        let extracted = Extracted {
            blocks: Blocks::from(vec![
                Block::new("Mål".into(), BlockKind::Heading(1)),
                intro,
                Block::new("- Bedre tjenester".into(), BlockKind::ListItem),
                Block::new("- Kortere ventetid".into(), BlockKind::ListItem),
                Block::new("Slutt.".into(), BlockKind::Paragraph),
            ]),
            headings_known: true,
            ..Extracted::default()
        };
        let mut text = String::new();
        let ingested = into_ingested(extracted, &mut text);
        let blanks: Vec<usize> = ingested.lines.iter().map(|l| l.blanks_before()).collect();
        assert_eq!(blanks, [0, 1, 0, 0, 1]);
        let structure = ingested.structure.unwrap();
        assert_eq!(structure.pages.get(1), Some(2));
        assert_eq!(ingested.lines[3].first_line(), 4);
    }
}
