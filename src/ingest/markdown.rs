//! Markdown: CommonMark (with tables, and YAML or TOML front matter) read by pulldown-cmark into
//! blocks (issue 15). ATX (`#`) and setext (underlined) headings are headings, list items
//! stay with the line introducing them, a table row is a line; link text is kept and URLs,
//! code fences' markup and inline HTML tags are dropped; the front matter's `title` is the
//! document's title.

use super::decode::decode;
use super::structure::{clean_text, Block, BlockKind, Blocks, Extracted};
use super::IngestError;
use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// Reads a Markdown file's bytes (decoded as plain text is: UTF-8, BOM, Windows-1252).
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, IngestError> {
    read_in_chunks(bytes, CHUNK_BYTES)
}

/// Markdown parsed at a time, at least (a chunk ends where a block surely ends, see
/// [`chunk_ends`]). pulldown-cmark builds the tree of all the blocks of what it parses before
/// it hands on the first: some 190 bytes for each item of a list, 600 MB of the 960 MB a
/// 100 MB file of one-line items peaked at (issue 15).
const CHUNK_BYTES: usize = 1 << 20;

fn read_in_chunks(bytes: &[u8], chunk_bytes: usize) -> Result<Extracted, IngestError> {
    let decoded = decode(bytes)?;
    let text = without_empty_toml_block(&decoded.text);
    let text: &str = &text;
    let mut reader = MarkdownReader::new(text);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_STRIKETHROUGH;
    let mut start = 0;
    for end in chunk_ends(text, chunk_bytes) {
        reader.start_chunk(text, start..end);
        for (event, range) in Parser::new_ext(&text[start..end], options).into_offset_iter() {
            reader.event(event, start + range.start);
        }
        reader.finish_block();
        start = end;
    }
    Ok(Extracted {
        title: reader.title,
        blocks: reader.blocks,
        headings_known: true,
        warnings: decoded.warning.into_iter().collect(),
        dropped_page_numbers: 0,
        dropped_running_lines: 0,
        page_starts: Vec::new(),
    })
}

/// Where the chunks of `text` end, each at least `chunk_bytes` long but the last: before a
/// line that starts a block whatever stands above it, so that each chunk parses as it would
/// in the whole text. That is a line at the left margin after a blank line, or a list item
/// at the left margin under another of the same kind (a top-level item closes whatever the
/// one above held), outside front matter, a code fence and an HTML block. A link's
/// reference definition in another chunk is not seen: the link keeps its text either way.
fn chunk_ends(text: &str, chunk_bytes: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut state = BlockState::default();
    let mut chunk_start = 0;
    let mut offset = front_matter_end(text);
    for line in text[offset..].split_inclusive('\n') {
        if offset - chunk_start >= chunk_bytes && state.may_split_before(line) {
            ends.push(offset);
            chunk_start = offset;
        }
        state.read(line);
        offset += line.len();
    }
    ends.push(text.len());
    ends
}

/// The end of the front matter fences opening `text` (0 without one); the whole text while
/// the front matter is not closed.
fn front_matter_end(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    let mut lines = text[start..].split_inclusive('\n');
    let Some(fence) = lines
        .next()
        .map(str::trim_end)
        .filter(|l| *l == "---" || *l == "+++")
    else {
        return 0;
    };
    let mut end = start + fence.len();
    for line in text[end..].split_inclusive('\n') {
        end += line.len();
        let closing = line.trim_end();
        if closing == fence || (fence == "---" && closing == "...") {
            return end;
        }
    }
    text.len()
}

/// What the lines read so far leave open, as far as a chunk's end cares.
#[derive(Debug, Default)]
struct BlockState {
    /// An open code fence: its character and length.
    fence: Option<(char, usize)>,
    /// An open HTML block that ends at a line holding this (`-->`, `</script>`, …), or at a
    /// blank line (`""`).
    html_end: Option<&'static str>,
    previous_blank: bool,
    /// The line before is a list item at the left margin: `Some(true)` ordered.
    previous_item: Option<bool>,
}

impl BlockState {
    fn may_split_before(&self, line: &str) -> bool {
        if self.fence.is_some() || self.html_end.is_some() {
            return false;
        }
        let at_margin = line.starts_with(|c: char| !c.is_whitespace());
        let item = list_item_kind(line);
        at_margin && (self.previous_blank || (item.is_some() && item == self.previous_item))
    }

    fn read(&mut self, line: &str) {
        let blank = line.trim().is_empty();
        let content = line.trim_start_matches([' ', '\t']);
        if let Some((mark, length)) = self.fence {
            let run = content.chars().take_while(|&c| c == mark).count();
            if run >= length && content[run * mark.len_utf8()..].trim().is_empty() {
                self.fence = None;
            }
        } else if let Some(end) = self.html_end {
            let ends = if end.is_empty() {
                blank
            } else {
                line.to_ascii_lowercase().contains(end)
            };
            if ends {
                self.html_end = None;
            }
        } else if let Some(fence) = fence_opening(content) {
            self.fence = Some(fence);
        } else if content.starts_with('<') {
            self.html_end = html_block_end(content);
        }
        self.previous_blank = blank;
        self.previous_item = list_item_kind(line);
    }
}

/// A code fence's character and length, when `content` opens one.
fn fence_opening(content: &str) -> Option<(char, usize)> {
    let mark = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = content.chars().take_while(|&c| c == mark).count();
    let info = &content[run..];
    (run >= 3 && !(mark == '`' && info.contains('`'))).then_some((mark, run))
}

/// How an HTML block opened by `content` ends (CommonMark's kinds 1 to 7), `None` when it
/// ends on its own line.
fn html_block_end(content: &str) -> Option<&'static str> {
    let lower = content.to_ascii_lowercase();
    let ends_at = |end: &'static str| (!lower.contains(end)).then_some(end);
    for (start, end) in [
        ("<script", "</script>"),
        ("<pre", "</pre>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
        ("<!--", "-->"),
        ("<?", "?>"),
        ("<![cdata[", "]]>"),
    ] {
        if lower.starts_with(start) {
            return ends_at(end);
        }
    }
    if lower.starts_with("<!") {
        return ends_at(">");
    }
    Some("")
}

/// Whether `line` is a list item at the left margin: `Some(false)` for `-`, `*` or `+`,
/// `Some(true)` for `1.` or `1)`.
fn list_item_kind(line: &str) -> Option<bool> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let (ordered, rest) = if digits > 0 {
        let rest = line[digits..].strip_prefix(['.', ')'])?;
        (true, rest)
    } else {
        (false, line.strip_prefix(['-', '*', '+'])?)
    };
    let marked = rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']);
    (marked && digits <= 9).then_some(ordered)
}

/// The text with an empty `+++` block opening it blanked out (its offsets kept, so that line
/// numbers stay right): pulldown-cmark takes no metadata block without content, and the
/// empty block was read as a paragraph `+++ +++` (found in the break trial of issue 15).
fn without_empty_toml_block(text: &str) -> Cow<'_, str> {
    let start = text.len() - text.trim_start().len();
    let mut lines = text[start..].split_inclusive('\n');
    let is_fence = |line: &str| line.trim_end() == "+++";
    let Some(opening) = lines.next().filter(|line| is_fence(line)) else {
        return Cow::Borrowed(text);
    };
    let mut end = start + opening.len();
    for line in lines {
        end += line.len();
        if is_fence(line) {
            let mut blanked = text.to_string();
            let spaces: String = text[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            blanked.replace_range(start..end, &spaces);
            return Cow::Owned(blanked);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    Cow::Borrowed(text)
}

/// Blocks as the events come.
struct MarkdownReader {
    /// Byte offsets where each source line of the chunk being read starts, to give a block
    /// its line (a chunk's only: 8 bytes a line of the whole file was 26 MB for a file of
    /// 3 million lines).
    line_starts: Vec<usize>,
    /// Source lines before the chunk being read.
    lines_before: usize,
    blocks: Blocks,
    title: Option<String>,
    /// The block being filled: its kind, raw text and source line.
    current: Option<(BlockKind, String, usize)>,
    /// Open list items (nested lists): a paragraph inside one continues its item.
    items_open: usize,
    /// Inside front matter: which kind, YAML (`---`) or TOML (`+++`).
    in_metadata: Option<MetadataBlockKind>,
    /// Cells of the table row being filled so far.
    cells: usize,
    /// Byte offset of the text's first character that is not blank space.
    first_content: usize,
}

impl MarkdownReader {
    fn new(text: &str) -> MarkdownReader {
        MarkdownReader {
            line_starts: Vec::new(),
            lines_before: 0,
            blocks: Blocks::default(),
            title: None,
            current: None,
            items_open: 0,
            in_metadata: None,
            cells: 0,
            first_content: text
                .find(|c: char| !c.is_whitespace() && c != '\u{feff}')
                .unwrap_or(text.len()),
        }
    }

    /// Reads the chunk `range` of `text` next.
    fn start_chunk(&mut self, text: &str, range: std::ops::Range<usize>) {
        if let Some(&last) = self.line_starts.last() {
            self.lines_before += self.line_starts.len() - 1;
            self.lines_before += text[last..range.start].matches('\n').count();
        }
        self.line_starts.clear();
        self.line_starts.push(range.start);
        let starts = text[range.clone()].match_indices('\n');
        self.line_starts
            .extend(starts.map(|(at, _)| range.start + at + 1));
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines_before + self.line_starts.partition_point(|&start| start <= offset)
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_metadata.is_some() => self.front_matter(&text),
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) => {
                self.push_text(&text, offset)
            }
            Event::DisplayMath(text) => self.push_text(&text, offset),
            Event::SoftBreak | Event::HardBreak => self.push_text(" ", offset),
            Event::Rule => self.finish_block(),
            // Raw HTML is markup: dropped, as a page's tags are.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Heading { level, .. } => {
                self.begin(BlockKind::Heading(level_number(level)), offset)
            }
            Tag::Paragraph if self.items_open > 0 => self.paragraph_in_item(offset),
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_) => {
                self.begin(BlockKind::Paragraph, offset)
            }
            Tag::Item => {
                self.finish_block();
                self.items_open += 1;
                self.begin(BlockKind::ListItem, offset);
                self.push_text("- ", offset);
            }
            Tag::List(_) => self.finish_block(),
            Tag::TableHead | Tag::TableRow => {
                self.begin(BlockKind::TableRow, offset);
                self.cells = 0;
            }
            Tag::TableCell => {
                if self.cells > 0 {
                    self.push_text(" | ", offset);
                }
                self.cells += 1;
            }
            // Front matter only opens the file: a `+++` or `---` block further down is text
            // (pulldown-cmark takes one anywhere, and its text was lost: break trial of
            // issues 14 to 20).
            Tag::MetadataBlock(kind) if self.opens_the_file(offset) => {
                self.in_metadata = Some(kind)
            }
            Tag::MetadataBlock(_) => self.begin(BlockKind::Paragraph, offset),
            _ => {}
        }
    }

    /// The end of front matter, or of a block further down read as text, which ends as a
    /// paragraph does.
    fn end_metadata(&mut self) {
        if self.in_metadata.take().is_none() {
            self.finish_block();
        }
    }

    /// Whether nothing but blank space stands before `offset`, and no block was made.
    fn opens_the_file(&self, offset: usize) -> bool {
        self.blocks.is_empty() && self.current.is_none() && offset <= self.first_content
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_)
            | TagEnd::Paragraph
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::TableHead
            | TagEnd::TableRow => self.finish_block(),
            TagEnd::Item => {
                self.finish_block();
                self.items_open = self.items_open.saturating_sub(1);
            }
            TagEnd::MetadataBlock(_) => self.end_metadata(),
            _ => {}
        }
    }

    /// The first paragraph of a (loose) list item is the item's text, which is open; a later
    /// one goes on as a block of its own.
    fn paragraph_in_item(&mut self, offset: usize) {
        if self.current.is_none() {
            self.begin(BlockKind::ListItem, offset);
        }
    }

    fn begin(&mut self, kind: BlockKind, offset: usize) {
        self.finish_block();
        self.current = Some((kind, String::new(), self.line_of(offset)));
    }

    fn push_text(&mut self, text: &str, offset: usize) {
        if self.current.is_none() {
            self.begin(BlockKind::Paragraph, offset);
        }
        if let Some((_, buffer, _)) = &mut self.current {
            buffer.push_str(text);
        }
    }

    fn finish_block(&mut self) {
        let Some((kind, raw, line)) = self.current.take() else {
            return;
        };
        let text = clean_text(&raw);
        if text.is_empty() || text == "-" {
            return;
        }
        let mut block = Block::new(text, kind);
        block.source_line = Some(line);
        self.blocks.push(block);
    }

    /// The title of the front matter: YAML's `title:` (quotes taken off), or TOML's top-level
    /// `title = "…"` (`+++` front matter was read as text: found in the trial of issues 15
    /// to 20).
    fn front_matter(&mut self, text: &str) {
        let title = match self.in_metadata {
            Some(MetadataBlockKind::PlusesStyle) => toml_title(text),
            _ => yaml_title(text),
        };
        let title = title.map(|title| clean_text(&without_control_characters(&title)));
        if let Some(title) = title {
            if !title.is_empty() {
                self.title = Some(title);
            }
        }
    }
}

/// The last `title:` of YAML front matter: a double-quoted string with its escapes decoded,
/// a single-quoted one (`''` is a quote), or a plain value up to a ` #` comment (a title's
/// escapes were kept as they stood, `\u00e5` for `å`, while TOML's were decoded: session 25).
fn yaml_title(yaml: &str) -> Option<String> {
    yaml.lines()
        .filter_map(|line| line.strip_prefix("title:"))
        .filter_map(|value| yaml_scalar(value.trim()))
        .rfind(|value| !value.is_empty())
}

/// One line's YAML scalar; `None` for a double-quoted string with an escape YAML does not
/// know. A string not closed on its line is taken to the line's end.
fn yaml_scalar(value: &str) -> Option<String> {
    if let Some(quoted) = value.strip_prefix('"') {
        return double_quoted(quoted, Quoting::Yaml);
    }
    if let Some(quoted) = value.strip_prefix('\'') {
        let mut title = String::new();
        let mut chars = quoted.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    title.push('\'');
                }
                '\'' => break,
                c => title.push(c),
            }
        }
        return Some(title);
    }
    let plain = value.find(" #").map_or(value, |comment| &value[..comment]);
    Some(plain.trim_end().to_string())
}

/// A front matter title without control characters: an escape sequence (`\u001b[2J`) in a
/// title must not reach a terminal, nor stand in the index as a letter of a word.
fn without_control_characters(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The `title` key of TOML front matter's top level (before any `[table]`): a basic string
/// (`"…"`, its escapes decoded) or a literal one (`'…'`); what follows the string (a
/// `# comment`) is not the title.
fn toml_title(toml: &str) -> Option<String> {
    let top_level = toml
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with('['));
    let value = top_level
        .filter_map(|line| line.strip_prefix("title"))
        .find_map(|rest| rest.trim_start().strip_prefix('='))?
        .trim_start();
    if let Some(literal) = value.strip_prefix('\'') {
        return literal.split('\'').next().map(str::to_string);
    }
    double_quoted(value.strip_prefix('"')?, Quoting::Toml)
}

/// The syntax of a double-quoted string: TOML's basic string or YAML's double-quoted scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Toml,
    Yaml,
}

/// A double-quoted string up to its closing quote, its escapes decoded (TOML 1.0 and 1.1's
/// `\e` and `\xHH`; YAML 1.2); `None` if it has an escape its syntax does not allow
/// (`\u00e6` was kept as it stood: found in the break trial of issue 15), or is a TOML string
/// not closed (a YAML one not closed on its line goes on below it: the title is the line's
/// part). A tab or line break in the title is a space.
fn double_quoted(after_quote: &str, quoting: Quoting) -> Option<String> {
    let yaml = quoting == Quoting::Yaml;
    let mut title = String::new();
    let mut chars = after_quote.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(title),
            '\\' => match chars.next()? {
                'n' | 't' | 'r' => title.push(' '),
                '\t' | ' ' | 'N' | 'L' | 'P' | '_' if yaml => title.push(' '),
                'b' | 'f' | 'e' => {}
                '0' | 'a' | 'v' if yaml => {}
                '/' if yaml => title.push('/'),
                '"' => title.push('"'),
                '\\' => title.push('\\'),
                'x' => title.push(hex_char(&mut chars, 2)?),
                'u' => title.push(hex_char(&mut chars, 4)?),
                'U' => title.push(hex_char(&mut chars, 8)?),
                _ => return None,
            },
            c => title.push(c),
        }
    }
    yaml.then_some(title)
}

/// The Unicode scalar value written as the next `digits` hex digits of `chars`.
fn hex_char(chars: &mut std::str::Chars<'_>, digits: usize) -> Option<char> {
    let hex: String = chars.by_ref().take(digits).collect();
    if hex.len() != digits || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(BlockKind, String, usize)> {
        read(text.as_bytes())
            .unwrap()
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text, b.source_line.unwrap()))
            .collect()
    }

    #[test]
    fn headings_lists_and_links_as_blocks_with_their_lines() {
        let text = "# Møtereferat\n\nSak 1: Budsjett\n===============\n\n\
            Vi ble enige om [budsjettet](https://example.no/budsjett).\n\n\
            ## Sak 2: Loppemarked\n\nOppgaver:\n\n- Rigge *bordene*\n- Lage `plakat`\n";
        assert_eq!(
            blocks(text),
            [
                (BlockKind::Heading(1), "Møtereferat".into(), 1),
                (BlockKind::Heading(1), "Sak 1: Budsjett".into(), 3),
                (
                    BlockKind::Paragraph,
                    "Vi ble enige om budsjettet.".into(),
                    6
                ),
                (BlockKind::Heading(2), "Sak 2: Loppemarked".into(), 8),
                (BlockKind::Paragraph, "Oppgaver:".into(), 10),
                (BlockKind::ListItem, "- Rigge bordene".into(), 12),
                (BlockKind::ListItem, "- Lage plakat".into(), 13),
            ]
        );
    }

    #[test]
    fn front_matter_gives_the_title_and_fences_lose_their_markup() {
        let text = "---\ntitle: \"Årsmelding 2024\"\nlang: nb\n---\n\nTekst.\n\n```rust\nlet x = 1;\n```\n";
        let extracted = read(text.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Årsmelding 2024"));
        let texts: Vec<&str> = extracted.blocks.iter().map(|b| b.text).collect();
        assert_eq!(texts, ["Tekst.", "let x = 1;"]);
    }

    #[test]
    fn r15_a_metadata_block_below_the_start_is_text_not_front_matter() {
        for fence in ["+++", "---"] {
            let text = format!(
                "# Hovedtittel\n\nFørste avsnitt om kommunene.\n\n{fence}\ntitle = \"Skjult\"\n\
                 Viktig melding om barnevern står her.\n{fence}\n\nSiste avsnitt.\n"
            );
            let extracted = read(text.as_bytes()).unwrap();
            assert_eq!(extracted.title, None, "{fence}");
            let all: Vec<&str> = extracted.blocks.iter().map(|b| b.text).collect();
            assert!(
                all.iter()
                    .any(|text| text.contains("Viktig melding om barnevern")),
                "{fence}: {all:?}"
            );
        }
        // At the start, after blank lines, it is still front matter.
        let extracted = read(b"\n+++\ntitle = \"Plan\"\n+++\nTekst.\n").unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Plan"));
    }

    #[test]
    fn r15_toml_front_matter_gives_the_title_and_stays_out_of_the_text() {
        let text = "+++\ndate = 2024-03-01\ntitle = \"Årsmelding \\\"2024\\\"\" # kommentar\n\
                    [params]\ntitle = \"ikke denne\"\n+++\n\nTekst om året.\n";
        let extracted = read(text.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Årsmelding \"2024\""));
        let texts: Vec<&str> = extracted.blocks.iter().map(|b| b.text).collect();
        assert_eq!(texts, ["Tekst om året."]);
        let literal = read(b"+++\ntitle='Plan for skolen'\n+++\nTekst.\n").unwrap();
        assert_eq!(literal.title.as_deref(), Some("Plan for skolen"));
    }

    #[test]
    fn r15_toml_escapes_in_the_title_are_decoded() {
        let text = "+++\ntitle = \"Bl\\u00e5b\\u00e6r og \\U0001F600 i\\tskogen\"\n+++\nTekst.\n";
        let extracted = read(text.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Blåbær og 😀 i skogen"));
        // An escape TOML does not know makes the string invalid: no title from it.
        let invalid = read(b"+++\ntitle = \"Plan \\q\"\n+++\nTekst.\n").unwrap();
        assert_eq!(invalid.title, None);
        let surrogate = read(b"+++\ntitle = \"\\ud800\"\n+++\nTekst.\n").unwrap();
        assert_eq!(surrogate.title, None);
    }

    /// Session 25: YAML's double-quoted escapes were kept as they stood, and a control
    /// character escaped in TOML or YAML stood in the title.
    #[test]
    fn r15_yaml_escapes_in_the_title_are_decoded_and_control_characters_dropped() {
        let title = |front_matter: &str| {
            read(format!("{front_matter}\nTekst.\n").as_bytes())
                .unwrap()
                .title
        };
        let yaml = "---\ntitle: \"Bl\\u00e5b\\u00e6r \\\"2024\\\"\\nog \\U0001F600 \\x41\"\n---";
        assert_eq!(title(yaml).as_deref(), Some("Blåbær \"2024\" og 😀 A"));
        assert_eq!(
            title("---\ntitle: 'Kari''s plan' \n---").as_deref(),
            Some("Kari's plan")
        );
        assert_eq!(
            title("---\ntitle: Plan for skolen # utkast\n---").as_deref(),
            Some("Plan for skolen")
        );
        // An escape YAML does not know: no title from it.
        assert_eq!(title("---\ntitle: \"Plan \\q\"\n---"), None);
        for front_matter in [
            "---\ntitle: \"Rød\\u001b[2Jplan\\u0007\"\n---",
            "+++\ntitle = \"Rød\\u001b[2Jplan\\u0007\"\n+++",
            "---\ntitle: Rød\u{1b}[2Jplan\u{7}\n---",
        ] {
            assert_eq!(
                title(front_matter).as_deref(),
                Some("Rød [2Jplan"),
                "{front_matter}"
            );
        }
    }

    #[test]
    fn r15_an_empty_toml_block_is_front_matter_and_only_the_first_block_counts() {
        let spaced = read(b"\n+++  \r\n\n+++\r\nTekst.\n").unwrap();
        assert_eq!(spaced.blocks.to_vec()[0].text, "Tekst.");
        let empty = read(b"+++\n+++\n\nTekst om skolen.\n").unwrap();
        let texts: Vec<&str> = empty.blocks.iter().map(|b| b.text).collect();
        assert_eq!(texts, ["Tekst om skolen."]);
        assert_eq!(empty.blocks.to_vec()[0].source_line, Some(4));
        assert_eq!(empty.title, None);
        for (first, second) in [
            (
                "+++\ntitle = \"Første\"\n+++\n",
                "+++\ntitle = \"Andre\"\n+++\n",
            ),
            ("---\ntitle: Første\n---\n", "---\ntitle: Andre\n---\n"),
            ("+++\ntitle = \"Første\"\n+++\n", "---\ntitle: Andre\n---\n"),
        ] {
            let text = format!("{first}{second}\nTekst.\n");
            let extracted = read(text.as_bytes()).unwrap();
            assert_eq!(extracted.title.as_deref(), Some("Første"), "{text}");
        }
    }

    /// Issue 15: a huge file is parsed in chunks, and each chunk ends where a block surely
    /// ends, so the blocks are those of the whole text parsed at once, at any chunk size.
    #[test]
    fn r15_markdown_read_in_chunks_gives_the_blocks_of_the_whole() {
        let text = "---\ntitle: Plan\ntags:\n- a\n- b\n---\n\n# Plan\n\nInnledning:\n\n\
            - Første punkt\n- Andre punkt\n  fortsatt\nlat linje\n- Tredje\n\n  med avsnitt\n\n\
            * Stjerne\n+ Pluss\n1. En\n2) To\n10. Ti\n\n```\n- ikke liste\n\ntekst i kode\n```\n\n\
            <!-- kommentar\n\n- skjult\n-->\n\n<div>\n- html\n</div>\n\nSak 2\n---\n\n\
            | A | B |\n|---|---|\n| 1 | 2 |\n\n> sitat\n- etter sitat\n\n~~~~\n~~~\n- kode\n~~~~\nSlutt.\n";
        let whole = read_in_chunks(text.as_bytes(), usize::MAX).unwrap();
        assert!(whole.blocks.len() > 15, "{:?}", whole.blocks);
        for chunk_bytes in [1, 2, 7, 16, 40, 100] {
            let chunked = read_in_chunks(text.as_bytes(), chunk_bytes).unwrap();
            assert_eq!(chunked.title, whole.title, "{chunk_bytes}");
            assert_eq!(chunked.blocks, whole.blocks, "{chunk_bytes}");
        }
        assert!(chunk_ends(text, 1).len() > 10, "{:?}", chunk_ends(text, 1));
    }

    #[test]
    fn r15_a_long_list_is_read_in_chunks_of_whole_items() {
        let text: String = (0..5000).map(|i| format!("- punkt {i}\n")).collect();
        let ends = chunk_ends(&text, 4096);
        assert!(ends.len() > 10, "{ends:?}");
        assert!(ends.iter().all(|&end| text[..end].ends_with('\n')));
        let blocks = read_in_chunks(text.as_bytes(), 4096)
            .unwrap()
            .blocks
            .to_vec();
        assert_eq!(blocks.len(), 5000);
        assert_eq!(blocks[4999].text, "- punkt 4999");
        assert_eq!(blocks[4999].source_line, Some(5000));
    }

    #[test]
    fn table_rows_are_lines_of_cells() {
        let text = "| Tiltak | Frist |\n|---|---|\n| Digital byggesøknad | 2026 |\n";
        let rows: Vec<String> = blocks(text).into_iter().map(|b| b.1).collect();
        assert_eq!(rows, ["Tiltak | Frist", "Digital byggesøknad | 2026"]);
    }
}
