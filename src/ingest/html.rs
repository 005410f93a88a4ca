//! HTML: the text of a page as blocks, read with html5ever's tokenizer (issue 15). Headings
//! from `h1`–`h6`, list items, table rows; the title from `<title>`; `script`, `style`,
//! `template`, `noscript`, `nav`, `header`, `footer` (and other parts that are no body text)
//! dropped; entities decoded by the tokenizer; the charset from the BOM, `<meta charset>`, or
//! else the UTF-8/Windows-1252 rule of plain text. The page is fed in slices, so a 100 MB
//! page on one line is not copied whole. There is no tree builder: an element left open is
//! ended as a browser's tree builder would end it, where that decides whether text is shown
//! (a head, an `<svg>` or `<math>`, a title).

use super::decode::{decode, Decoded, Encoding};
use super::structure::{Block, BlockKind, Blocks, Extracted, TextBuffer};
use super::IngestError;
use encoding_rs::Encoding as Charset;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// Elements whose content is not the page's text.
const DROPPED: [&str; 13] = [
    "script", "style", "template", "noscript", "nav", "header", "footer", "head", "svg", "math",
    "iframe", "object", "select",
];
/// Foreign content (a drawing, a formula): dropped, and ended as a browser ends it.
const FOREIGN: [&str; 2] = ["svg", "math"];
/// Start tags that end foreign content left open, as in a browser (the WHATWG rules for
/// foreign content): an unclosed `<svg>` before the page's text no longer hides it.
const FOREIGN_BREAKOUT: [&str; 44] = [
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];
/// Elements that belong in the head: any other start tag (or text) ends a head whose end
/// tag is missing, as in a browser (`</head>` is optional).
const HEAD_CONTENT: [&str; 12] = [
    "base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style",
    "script", "template", "head",
];
/// Elements that start and end a block of text.
const BLOCK_ELEMENTS: [&str; 28] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "figure",
    "figcaption",
    "address",
    "form",
    "fieldset",
    "details",
    "summary",
    "hr",
    "body",
    "html",
];
/// Elements with no end tag: they never open a dropped part.
const VOID_ELEMENTS: [&str; 6] = ["br", "img", "meta", "link", "input", "hr"];
/// The tokenizer is fed this many bytes at a time.
const FEED_BYTES: usize = 64 * 1024;
/// The prescan for a `<meta charset>` reads this far, as browsers do.
const CHARSET_PRESCAN_BYTES: usize = 1024;

/// Reads an HTML file's bytes.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let decoded = decode_html(bytes)?;
    let mut page = parse(&decoded.text, true);
    if page.in_title != InTitle::No {
        // A title never closed took the rest of the page as its text (as in a browser, which
        // shows a blank page): read it again with titles ending at the next tag.
        page = parse(&decoded.text, false);
    }
    page.finish_block();
    let title = page.title.finish();
    Ok(Extracted {
        title: (!title.is_empty()).then_some(title),
        blocks: page.blocks,
        headings_known: true,
        warnings: decoded.warning.into_iter().collect(),
        dropped_page_numbers: 0,
        dropped_running_lines: 0,
        page_starts: Vec::new(),
    })
}

/// The page's blocks and title, with titles read as text up to their end tag or not.
fn parse(text: &str, titles_close: bool) -> Page {
    let sink = PageSink::default();
    sink.page.borrow_mut().titles_close = titles_close;
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    for slice in slices(text, FEED_BYTES) {
        queue.push_back(StrTendril::from_slice(slice));
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    tokenizer.sink.page.into_inner()
}

/// The page's text in the charset its BOM or `<meta>` declares, else as plain text is read.
fn decode_html(bytes: &[u8]) -> Result<Decoded<'_>, IngestError> {
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    let declared = if has_bom {
        None
    } else {
        declared_charset(&bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)])
    };
    match declared {
        Some(charset) if charset != encoding_rs::UTF_8 => {
            if bytes.contains(&0) {
                return Err(IngestError::Binary);
            }
            let (text, _, had_errors) = charset.decode(bytes);
            let warning =
                had_errors.then(|| format!("bytes not valid in the declared {}", charset.name()));
            let encoding = if charset == encoding_rs::WINDOWS_1252 {
                Encoding::Windows1252
            } else {
                Encoding::Utf8Lossy
            };
            Ok(Decoded::new(text, encoding, warning))
        }
        // UTF-8 declared or nothing declared: the rule of plain text (UTF-8, else
        // Windows-1252 with a warning).
        _ => decode(bytes),
    }
}

/// The charset a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` names.
fn declared_charset(head: &[u8]) -> Option<&'static Charset> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |end| tag_start + end);
        let tag = &lower[tag_start..tag_end];
        if let Some(at) = find(tag, b"charset=") {
            let value = &tag[at + b"charset=".len()..];
            let value = value
                .strip_prefix(b"\"")
                .or(value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(value.len());
            if let Some(charset) = Charset::for_label(&value[..end]) {
                return Some(as_browsers_take(charset));
            }
        }
        from = tag_end;
    }
    None
}

/// A `<meta>` that could be read byte by byte is not in UTF-16, whatever it says: browsers
/// take UTF-8 then, and Windows-1252 for `x-user-defined` (the WHATWG prescan). Decoding a
/// UTF-8 page that says `charset=utf-16` as UTF-16 made its text CJK noise (found in the
/// break trial of issues 15 to 20).
fn as_browsers_take(charset: &'static Charset) -> &'static Charset {
    if charset == encoding_rs::UTF_16LE || charset == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else if charset == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        charset
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `text` in slices of about `size` bytes, cut on character boundaries.
fn slices(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (slice, after) = rest.split_at(end);
        rest = after;
        Some(slice)
    })
}

/// The tokenizer's sink: the page's blocks, built as the tokens come.
#[derive(Default)]
struct PageSink {
    page: RefCell<Page>,
}

#[derive(Default)]
struct Page {
    blocks: Blocks,
    title: TextBuffer,
    /// The title element being read, if any.
    in_title: InTitle,
    /// A title's content is read as text up to its `</title>`, as a browser reads it; else
    /// (on a second reading, when a title was never closed) a title ends at the next tag.
    titles_close: bool,
    /// The page's title element has been read: a later one is not the page's.
    title_read: bool,
    /// The body has begun (its tag or its first text): a title there is not the page's.
    in_body: bool,
    /// Names of the dropped elements open around the current token.
    dropped: Vec<String>,
    current: Option<(BlockKind, TextBuffer, usize)>,
    /// Cells of the current table row so far.
    cells: usize,
    /// A `<br>` came last: a second one ends the paragraph.
    after_break: bool,
}

/// Which title element is open: the page's, or one elsewhere (in the body: not shown).
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum InTitle {
    #[default]
    No,
    Page,
    Stray,
}

impl TokenSink for PageSink {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let mut page = self.page.borrow_mut();
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
        match token {
            Token::TagToken(tag) => return page.tag(&tag, line),
            Token::CharacterTokens(text) => page.text(&text, line),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Page {
    fn tag(&mut self, tag: &Tag, line: usize) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if self.in_title != InTitle::No {
            // A tag inside a title comes only on the second reading: it ends the title.
            self.end_title();
            if name == "title" && !start {
                return TokenSinkResult::Continue;
            }
        }
        if self.in_foreign() && ends_foreign_content(tag) {
            self.leave_foreign();
        }
        if start && self.head_is_open() && !HEAD_CONTENT.contains(&name) {
            self.leave_head();
        }
        if name == "title" && !self.in_foreign() {
            return self.open_title(start);
        }
        if name == "body" && start {
            self.in_body = true;
        }
        // A title inside a drawing or formula is no body text either.
        if DROPPED.contains(&name) || name == "title" {
            self.drop_element(
                name,
                start && !tag.self_closing && !VOID_ELEMENTS.contains(&name),
            );
            return raw_state(name, start);
        }
        if !self.dropped.is_empty() {
            return raw_state(name, start);
        }
        if name == "br" {
            if self.after_break {
                self.finish_block();
            } else if let Some((_, buffer, _)) = &mut self.current {
                buffer.push_space();
            }
            self.after_break = true;
            return TokenSinkResult::Continue;
        }
        self.after_break = false;
        match (name, start) {
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                let level = name.as_bytes()[1] - b'0';
                self.begin(BlockKind::Heading(level), line);
            }
            ("li", true) => {
                self.begin(BlockKind::ListItem, line);
                self.push("- ", line);
            }
            ("tr", true) => {
                self.begin(BlockKind::TableRow, line);
                self.cells = 0;
            }
            ("td" | "th", true) => {
                if self.cells > 0 {
                    self.push(" | ", line);
                }
                self.cells += 1;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr", false) => self.finish_block(),
            // A paragraph (or any block) inside a list item or a table cell is part of it.
            (_, _) if BLOCK_ELEMENTS.contains(&name) && self.inside_item_or_row(name) => {
                if let Some((_, buffer, _)) = &mut self.current {
                    buffer.push_space();
                }
            }
            _ if BLOCK_ELEMENTS.contains(&name) => self.finish_block(),
            _ => {}
        }
        raw_state(name, start)
    }

    /// Whether a `<title>` opening here is the page's: the first one, in the head (or before
    /// the body, the head's tags being optional), not one inside an inline `<svg>` or
    /// anywhere else in the body (an icon's title was the page's: found in the trial of issues
    /// 15 to 20).
    fn is_page_title_place(&self) -> bool {
        !self.title_read && !self.in_body && self.dropped.iter().all(|open| open == "head")
    }

    /// A `<title>` in HTML content: the page's, or one a browser does not show. Its content
    /// is text up to `</title>` where the page has one.
    fn open_title(&mut self, start: bool) -> TokenSinkResult<()> {
        if !start {
            // A `</title>` with no title open.
            return TokenSinkResult::Continue;
        }
        self.in_title = if self.is_page_title_place() {
            InTitle::Page
        } else {
            InTitle::Stray
        };
        if self.titles_close {
            TokenSinkResult::RawData(RawKind::Rcdata)
        } else {
            TokenSinkResult::Continue
        }
    }

    fn end_title(&mut self) {
        if self.in_title == InTitle::Page {
            self.title_read = true;
        }
        self.in_title = InTitle::No;
    }

    /// Whether an `<svg>` or `<math>` is open around the current token.
    fn in_foreign(&self) -> bool {
        self.dropped
            .iter()
            .any(|open| FOREIGN.contains(&open.as_str()))
    }

    /// Closes the outermost open `<svg>` or `<math>` and all opened inside it.
    fn leave_foreign(&mut self) {
        if let Some(at) = self
            .dropped
            .iter()
            .position(|open| FOREIGN.contains(&open.as_str()))
        {
            self.dropped.truncate(at);
        }
    }

    /// Whether the head is the innermost element open (its end tag not yet come).
    fn head_is_open(&self) -> bool {
        self.dropped.last().is_some_and(|open| open == "head")
    }

    fn leave_head(&mut self) {
        self.dropped.pop();
    }

    /// Whether block element `name` stands inside the list item or table row being read
    /// (a list or table opening inside starts blocks of its own).
    fn inside_item_or_row(&self, name: &str) -> bool {
        let nests = matches!(name, "ul" | "ol" | "dl" | "table");
        let in_item_or_row = self
            .current
            .as_ref()
            .is_some_and(|(kind, _, _)| matches!(kind, BlockKind::ListItem | BlockKind::TableRow));
        in_item_or_row && !nests
    }

    /// Opens or closes a dropped element; a close pops back to the matching open one.
    fn drop_element(&mut self, name: &str, opens: bool) {
        if opens {
            self.finish_block();
            self.dropped.push(name.to_string());
        } else if let Some(at) = self.dropped.iter().rposition(|open| open == name) {
            self.dropped.truncate(at);
        }
    }

    fn text(&mut self, text: &str, line: usize) {
        match self.in_title {
            InTitle::Page => return self.title.push_str(text),
            InTitle::Stray => return,
            InTitle::No => {}
        }
        if self.head_is_open() && !text.trim().is_empty() {
            self.leave_head();
        }
        if !self.dropped.is_empty() {
            return;
        }
        if self.after_break && !text.trim().is_empty() {
            self.after_break = false;
        }
        self.push(text, line);
    }

    fn push(&mut self, text: &str, line: usize) {
        if self.current.is_none() {
            if text.trim().is_empty() {
                return;
            }
            self.begin(BlockKind::Paragraph, line);
        }
        if let Some((_, buffer, _)) = &mut self.current {
            buffer.push_str(text);
        }
    }

    fn begin(&mut self, kind: BlockKind, line: usize) {
        self.in_body = true;
        self.finish_block();
        self.current = Some((kind, TextBuffer::default(), line));
    }

    fn finish_block(&mut self) {
        let Some((kind, buffer, line)) = self.current.take() else {
            return;
        };
        let mut text = buffer.finish();
        if kind == BlockKind::ListItem {
            // An exported page may draw its own bullet inside the item (LibreOffice's
            // `<span>•</span>`): one dash is what every format's list items get.
            let item = text.trim_start_matches(['-', '•', '◦', '▪', '●', '■', '–', ' ']);
            text = format!("- {item}");
        }
        if text.is_empty() || text == "- " {
            return;
        }
        let mut block = Block::new(text, kind);
        block.source_line = Some(line);
        self.blocks.push(block);
    }
}

/// Whether `tag` ends an `<svg>` or `<math>` left open, as in a browser: a breakout start tag
/// (a `<font>` only with its presentation attributes), a `</p>` or `</br>`, or the end tag of
/// an HTML element that would be open around the drawing (no SVG or MathML element has its
/// name).
fn ends_foreign_content(tag: &Tag) -> bool {
    let name: &str = &tag.name;
    if tag.kind == TagKind::StartTag {
        return FOREIGN_BREAKOUT.contains(&name)
            || (name == "font"
                && tag
                    .attrs
                    .iter()
                    .any(|a| matches!(&*a.name.local, "color" | "face" | "size")));
    }
    matches!(
        name,
        "br" | "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr" | "td" | "th"
    ) || BLOCK_ELEMENTS.contains(&name)
}

/// The tokenizer state an element's content is read in: a script's or a style's text is not
/// markup (a `<` in it opens no tag), and neither is a title's.
fn raw_state(name: &str, start: bool) -> TokenSinkResult<()> {
    if !start {
        return TokenSinkResult::Continue;
    }
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(BlockKind, String)> {
        read(html.as_bytes())
            .unwrap()
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn text_headings_and_title_without_markup_or_boilerplate() {
        let html = "<!DOCTYPE html><html><head><title>Nyhetsbrev &ndash; Eksempel</title>\
            <style>p { color: red }</style><script>var sok = '<p>skjult</p>';</script></head>\
            <body><header>Logo og meny</header><nav><a href=/>Forsiden</a></nav>\
            <h2>Loppemarked</h2><p>Salget gir st&oslash;tte til <b>skolekorpset</b>.</p>\
            <ul><li>Kaffe</li><li>Vafler &amp; saft</li></ul>\
            <noscript>Skru på JavaScript</noscript><footer>Kontakt oss</footer></body></html>";
        let extracted = read(html.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Nyhetsbrev – Eksempel"));
        assert_eq!(
            texts(html),
            [
                (BlockKind::Heading(2), "Loppemarked".into()),
                (
                    BlockKind::Paragraph,
                    "Salget gir støtte til skolekorpset.".into()
                ),
                (BlockKind::ListItem, "- Kaffe".into()),
                (BlockKind::ListItem, "- Vafler & saft".into()),
            ]
        );
    }

    #[test]
    fn r15_a_title_inside_an_inline_svg_is_not_the_page_title() {
        let svg = "<svg viewBox='0 0 10 10'><title>Ikon: forstørrelsesglass</title>\
            <circle r='4'/></svg>";
        let without_head_title = format!(
            "<html><head><meta charset=utf-8></head><body>{svg}<h1>Loppemarked i skolegården</h1>\
             <p>Salget gir støtte til korpset.</p></body></html>"
        );
        let extracted = read(without_head_title.as_bytes()).unwrap();
        assert_eq!(extracted.title, None);
        assert_eq!(
            texts(&without_head_title),
            [
                (BlockKind::Heading(1), "Loppemarked i skolegården".into()),
                (
                    BlockKind::Paragraph,
                    "Salget gir støtte til korpset.".into()
                ),
            ]
        );
        let with_head_title =
            format!("<html><head><title>Nyhetsbrev</title></head><body>{svg}<p>Tekst.</p>");
        let extracted = read(with_head_title.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Nyhetsbrev"));
        // Without a head element, the first title before the body is still the page's.
        let bare = format!("<title>Nyhetsbrev</title><p>Tekst.</p>{svg}");
        assert_eq!(
            read(bare.as_bytes()).unwrap().title.as_deref(),
            Some("Nyhetsbrev")
        );
        let in_body = format!("<p>Tekst.</p><title>Ikke tittel</title>{svg}");
        let extracted = read(in_body.as_bytes()).unwrap();
        assert_eq!(extracted.title, None);
        assert_eq!(extracted.blocks.len(), 1, "{:?}", extracted.blocks);
    }

    #[test]
    fn r15_an_unclosed_svg_ends_where_a_browser_ends_it() {
        // A browser leaves foreign content at an HTML paragraph, heading, list, div, table
        // (the breakout start tags) and at the end tag of an HTML element around it.
        let html = "<html><head><title>Side</title></head><body><svg viewBox='0 0 1 1'>\
            <path d='M0'/><title>Ikon</title>\n<p>Teksten etter ikonet.</p><h2>Neste</h2>\
            <p>Mer tekst.</p></body></html>";
        assert_eq!(
            texts(html),
            [
                (BlockKind::Paragraph, "Teksten etter ikonet.".into()),
                (BlockKind::Heading(2), "Neste".into()),
                (BlockKind::Paragraph, "Mer tekst.".into()),
            ]
        );
        let closed_by_end_tag = "<div><svg><g><text>Tegnet tekst</text></g></div>\
            Brødtekst etter figuren.<section>Seksjon.</section>";
        assert_eq!(
            texts(closed_by_end_tag),
            [
                (BlockKind::Paragraph, "Brødtekst etter figuren.".into()),
                (BlockKind::Paragraph, "Seksjon.".into()),
            ]
        );
        // An unclosed title inside the svg goes with it.
        let svg_title = "<svg><title>Ikon<p>Avsnittet.</p>";
        assert_eq!(
            texts(svg_title),
            [(BlockKind::Paragraph, "Avsnittet.".into())]
        );
        // Elements that are no breakout (svg's own text) stay inside the drawing.
        let drawing = "<p>Før.</p><svg><text>Akse</text><tspan>x</tspan></svg><p>Etter.</p>";
        assert_eq!(
            texts(drawing),
            [
                (BlockKind::Paragraph, "Før.".into()),
                (BlockKind::Paragraph, "Etter.".into()),
            ]
        );
    }

    #[test]
    fn r15_an_unclosed_title_does_not_eat_the_page() {
        let in_head = "<html><head><title>Uavsluttet tittel\n</head><body><h1>Overskrift</h1>\
            <p>Brødteksten.</p></body></html>";
        let extracted = read(in_head.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Uavsluttet tittel"));
        assert_eq!(
            texts(in_head),
            [
                (BlockKind::Heading(1), "Overskrift".into()),
                (BlockKind::Paragraph, "Brødteksten.".into()),
            ]
        );
        let in_body = "<html><head><title>Side</title></head><body><p>Før.</p><title>løs\n\
            <p>Etter tittelen.</p></body></html>";
        let extracted = read(in_body.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Side"));
        assert_eq!(
            texts(in_body),
            [
                (BlockKind::Paragraph, "Før.".into()),
                (BlockKind::Paragraph, "Etter tittelen.".into()),
            ]
        );
        // A closed title is read as a browser reads it: its content is text, not markup.
        let closed = read(b"<title>A <b>og</b> B</title><p>Tekst.</p>").unwrap();
        assert_eq!(closed.title.as_deref(), Some("A <b>og</b> B"));
    }

    #[test]
    fn r15_a_head_without_its_end_tag_ends_at_the_body() {
        let html = "<html><head><meta charset=utf-8><title>T</title><body><p>Synlig tekst.</p>";
        let extracted = read(html.as_bytes()).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("T"));
        assert_eq!(
            texts(html),
            [(BlockKind::Paragraph, "Synlig tekst.".into())]
        );
        let no_body_tag = "<head><title>T</title><link rel=x><p>Avsnitt.</p>";
        assert_eq!(
            texts(no_body_tag),
            [(BlockKind::Paragraph, "Avsnitt.".into())]
        );
        let bare_text = "<head><title>T</title>Løs tekst.";
        assert_eq!(
            texts(bare_text),
            [(BlockKind::Paragraph, "Løs tekst.".into())]
        );
    }

    #[test]
    fn r15_a_foreign_title_in_the_head_does_not_win_over_the_real_one() {
        for foreign in [
            "<math><title>Formel</title></math>",
            "<svg><title>Ikon</title></svg>",
            "<svg><title>Ikon</svg>",
        ] {
            let html = format!(
                "<html><head>{foreign}<title>Ekte tittel</title></head><body><p>Brødtekst.</p>"
            );
            let extracted = read(html.as_bytes()).unwrap();
            assert_eq!(extracted.title.as_deref(), Some("Ekte tittel"), "{foreign}");
            assert_eq!(
                texts(&html),
                [(BlockKind::Paragraph, "Brødtekst.".into())],
                "{foreign}"
            );
        }
    }

    #[test]
    fn the_charset_comes_from_the_meta_tag_or_the_plain_text_rule() {
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Bl\xe5b\xe6r</p>";
        assert_eq!(read(latin).unwrap().blocks.to_vec()[0].text, "Blåbær");
        let undeclared = read(b"<p>Bl\xe5b\xe6r og r\xf8mme</p>").unwrap();
        assert_eq!(undeclared.blocks.to_vec()[0].text, "Blåbær og rømme");
        assert!(undeclared.warnings[0].contains("Windows-1252"));
        let declared = read(b"<meta http-equiv=Content-Type content='text/html; charset=windows-1252'><p>Bl\xe5b\xe6r</p>").unwrap();
        assert!(declared.warnings.is_empty());
        assert_eq!(declared.blocks.to_vec()[0].text, "Blåbær");
    }

    #[test]
    fn r21_a_page_that_says_utf16_in_its_meta_is_read_as_utf8() {
        let page = read("<html><head><meta charset=\"utf-16\"><title>Blåbær</title></head><p>Rødgrød med fløte.</p>".as_bytes()).unwrap();
        assert_eq!(page.title.as_deref(), Some("Blåbær"));
        assert_eq!(page.blocks.to_vec()[0].text, "Rødgrød med fløte.");
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        let user_defined = read(b"<meta charset=x-user-defined><p>Bl\xe5b\xe6r</p>").unwrap();
        assert_eq!(user_defined.blocks.to_vec()[0].text, "Blåbær");
    }

    #[test]
    fn rows_are_lines_and_two_breaks_end_a_paragraph() {
        let html = "<table><tr><th>Tiltak</th><th>Frist</th></tr>\n<tr><td>Byggesøknad</td><td>2026</td></tr></table>\
            <p>Rådhuset<br>Storgata 1<br><br>Åpent hverdager.</p>";
        assert_eq!(
            texts(html),
            [
                (BlockKind::TableRow, "Tiltak | Frist".into()),
                (BlockKind::TableRow, "Byggesøknad | 2026".into()),
                (BlockKind::Paragraph, "Rådhuset Storgata 1".into()),
                (BlockKind::Paragraph, "Åpent hverdager.".into()),
            ]
        );
        assert_eq!(
            read(html.as_bytes()).unwrap().blocks.to_vec()[1].source_line,
            Some(2)
        );
    }
}
