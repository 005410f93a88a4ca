//! HTML: the text of a page as blocks, read with html5ever's tokenizer (issue 15). Headings
//! from `h1`–`h6`, list items, table rows; the title from `<title>`; `script`, `style`,
//! `template`, `noscript`, `nav`, `header`, `footer` (and other parts that are no body text)
//! dropped; entities decoded by the tokenizer; the charset from the BOM, `<meta charset>`, or
//! else the UTF-8/Windows-1252 rule of plain text. The page is fed in slices, so a 100 MB
//! page on one line is not copied whole.

use super::decode::{decode, Decoded, Encoding};
use super::structure::{Block, BlockKind, Extracted, TextBuffer};
use super::IngestError;
use encoding_rs::Encoding as Charset;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// Elements whose content is not the page's text.
const DROPPED: [&str; 12] = [
    "script", "style", "template", "noscript", "nav", "header", "footer", "head", "svg", "iframe",
    "object", "select",
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
    let sink = PageSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    for slice in slices(&decoded.text, FEED_BYTES) {
        queue.push_back(StrTendril::from_slice(slice));
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    let mut page = tokenizer.sink.page.into_inner();
    page.finish_block();
    let title = page.title.finish();
    Ok(Extracted {
        title: (!title.is_empty()).then_some(title),
        blocks: page.blocks,
        headings_known: true,
        warnings: decoded.warning.into_iter().collect(),
        dropped_lines: 0,
    })
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
    blocks: Vec<Block>,
    title: TextBuffer,
    in_title: bool,
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
        if name == "title" && (self.in_title || self.is_page_title_place()) {
            self.in_title = start;
            self.title_read |= !start;
            return if start {
                TokenSinkResult::RawData(RawKind::Rcdata)
            } else {
                TokenSinkResult::Continue
            };
        }
        if name == "body" && start {
            self.in_body = true;
        }
        // A title that is not the page's is no body text either (a browser does not show it).
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
        if self.in_title {
            self.title.push_str(text);
            return;
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
    fn the_charset_comes_from_the_meta_tag_or_the_plain_text_rule() {
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Bl\xe5b\xe6r</p>";
        assert_eq!(read(latin).unwrap().blocks[0].text, "Blåbær");
        let undeclared = read(b"<p>Bl\xe5b\xe6r og r\xf8mme</p>").unwrap();
        assert_eq!(undeclared.blocks[0].text, "Blåbær og rømme");
        assert!(undeclared.warnings[0].contains("Windows-1252"));
        let declared = read(b"<meta http-equiv=Content-Type content='text/html; charset=windows-1252'><p>Bl\xe5b\xe6r</p>").unwrap();
        assert!(declared.warnings.is_empty());
        assert_eq!(declared.blocks[0].text, "Blåbær");
    }

    #[test]
    fn r21_a_page_that_says_utf16_in_its_meta_is_read_as_utf8() {
        let page = read("<html><head><meta charset=\"utf-16\"><title>Blåbær</title></head><p>Rødgrød med fløte.</p>".as_bytes()).unwrap();
        assert_eq!(page.title.as_deref(), Some("Blåbær"));
        assert_eq!(page.blocks[0].text, "Rødgrød med fløte.");
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        let user_defined = read(b"<meta charset=x-user-defined><p>Bl\xe5b\xe6r</p>").unwrap();
        assert_eq!(user_defined.blocks[0].text, "Blåbær");
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
            read(html.as_bytes()).unwrap().blocks[1].source_line,
            Some(2)
        );
    }
}
