//! A PDF page's text as lines and paragraphs: the characters pdf-extract reports, with their
//! positions and sizes, grouped into lines in the order the page draws them (office software
//! draws a column to its end before the next), running headers and footers dropped, and
//! lines joined into paragraphs by their spacing. Each line knows how much of it is bold.

use super::fonts::is_bold;
use crate::ingest::bold_headings::{is_section_number, MOSTLY_BOLD};
use crate::ingest::structure::push_expanding_ligature;
use crate::ingest::unwrap::{is_list_item, join_at_wrap};
use pdf_extract::{Dictionary, Document, MediaBox, OutputDev, OutputError, Transform};
use std::collections::{HashMap, HashSet};

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PdfLine {
    pub text: String,
    /// Left and right ends, and the baseline measured from the page's top, in points.
    pub left: f64,
    pub right: f64,
    pub baseline: f64,
    /// Font size in points (the average over the line's characters).
    pub size: f64,
    /// The share of the line's characters drawn in a bold font.
    pub bold: f64,
    /// Words stand apart by a wide gap (not only after a leading section number): table cells
    /// or tab stops, not a heading.
    pub wide_gap: bool,
}

/// One page's lines, in drawing order.
#[derive(Debug, Clone, Default)]
pub(super) struct PdfPage {
    pub number: u32,
    pub height: f64,
    pub lines: Vec<PdfLine>,
}

/// The line being built, with what it needs to place the next character.
#[derive(Debug, Default)]
struct OpenLine {
    text: String,
    left: f64,
    right: f64,
    baseline: f64,
    size_sum: f64,
    sized_chars: usize,
    bold_chars: usize,
    wide_gap: bool,
    /// The right end of the last character drawn that is not a space: a gap drawn as a run
    /// of spaces (a contents entry's page number set off by spaces) is as wide as one left
    /// open.
    ink_right: f64,
    /// The last space was put in for a gap, not drawn: a hyphen right after it at the line's
    /// end closes the word before it (`status` + `-`).
    inferred_space_at: Option<usize>,
}

/// Collects every page's lines as pdf-extract reports characters.
#[derive(Debug, Default)]
pub(super) struct LineCollector {
    pub pages: Vec<PdfPage>,
    current: Option<OpenLine>,
    page_height: f64,
    /// The font characters are drawn in (its dictionary's address, to see a change cheaply)
    /// and whether it is bold.
    font: Option<usize>,
    bold: bool,
}

/// A new line starts where the baseline moves more than this share of the font size.
const NEW_LINE_SHIFT: f64 = 0.5;
/// A gap wider than this share of the font size between two characters is a space.
const SPACE_GAP: f64 = 0.1;
/// A gap wider than this many font sizes between two words is a table's or a tab stop's.
const WIDE_GAP: f64 = 2.0;

impl LineCollector {
    fn finish_line(&mut self) {
        let Some(open) = self.current.take() else {
            return;
        };
        let mut text = open.text;
        if let Some(at) = open.inferred_space_at {
            if text.len() == at + 2 && text.ends_with('-') {
                text.remove(at);
            }
        }
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let (size, bold) = if open.sized_chars > 0 {
            let chars = open.sized_chars as f64;
            (open.size_sum / chars, open.bold_chars as f64 / chars)
        } else {
            (0.0, 0.0)
        };
        if let Some(page) = self.pages.last_mut() {
            page.lines.push(PdfLine {
                text,
                left: open.left,
                right: open.right,
                baseline: open.baseline,
                size,
                bold,
                wide_gap: open.wide_gap,
            });
        }
    }
}

impl OutputDev for LineCollector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.pages.push(PdfPage {
            number: page_num,
            height: self.page_height,
            lines: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_line();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // The text rendering matrix places the glyph: its origin, and its scale (the size as
        // drawn, after every transformation), as pdf-extract's own text output reads it.
        let size = font_size * ((trm.m11 + trm.m21) * (trm.m12 + trm.m22)).abs().sqrt();
        let (x, baseline) = (trm.m31, self.page_height - trm.m32);
        let advance = width * size;
        let moved = self.current.as_ref().is_some_and(|open| {
            let shift = (baseline - open.baseline).abs();
            let tolerance = NEW_LINE_SHIFT * size.max(1.0);
            shift > tolerance || x + tolerance < open.left
        });
        if moved {
            self.finish_line();
        }
        let open = self.current.get_or_insert_with(|| OpenLine {
            left: x,
            right: x,
            baseline,
            ..OpenLine::default()
        });
        let blank = char.trim().is_empty();
        if !open.text.is_empty()
            && !blank
            && x > open.ink_right + WIDE_GAP * size
            && !is_section_number(open.text.trim())
        {
            open.wide_gap = true;
        }
        if !open.text.is_empty() && x > open.right + SPACE_GAP * size && !open.text.ends_with(' ') {
            open.inferred_space_at = Some(open.text.len());
            open.text.push(' ');
        }
        if blank {
            if !open.text.is_empty() && !open.text.ends_with(' ') {
                open.text.push(' ');
                open.inferred_space_at = None;
            }
        } else {
            for c in char.chars() {
                push_expanding_ligature(&mut open.text, c);
            }
            open.size_sum += size;
            open.sized_chars += 1;
            open.bold_chars += usize::from(self.bold);
            open.ink_right = x + advance;
        }
        open.left = open.left.min(x);
        open.right = open.right.max(x + advance);
        Ok(())
    }

    fn set_font(&mut self, document: &Document, font: &Dictionary) -> Result<(), OutputError> {
        // The document is not changed while its text is extracted: a font's dictionary stays
        // at one address.
        let address = std::ptr::from_ref(font) as usize;
        if self.font != Some(address) {
            self.font = Some(address);
            self.bold = is_bold(document, font);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Share of the page's height at its top and bottom where running headers, footers and page
/// numbers stand.
const MARGIN_SHARE: f64 = 0.12;

/// Different pages a line must stand on, in a page's margin, to be a running header or footer.
/// Two pages that differ elsewhere are the least evidence there is (a two-page letter's
/// letterhead); pages that are the same, digits aside, count as one, since on them every line
/// repeats, the body text too (two pages of the same notice lost their first lines as headers:
/// found in the break trial of issue 15).
const RUNNING_PAGES: usize = 2;

/// A running header or footer stands this close (points) to the same place on each page it
/// runs on, measured from the page's nearer edge.
const SAME_PLACE: f64 = 2.0;

/// Lines dropped from a PDF's pages, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct DroppedLines {
    /// Bare page numbers (`12`, `Side 3`).
    pub page_numbers: usize,
    /// Running headers and footers.
    pub running: usize,
}

/// Drops running headers and footers: a line near the top or bottom of a page that repeats
/// (digits aside) at the same place on [`RUNNING_PAGES`] pages that differ, or that is a bare
/// page number (`12`,
/// `Side 3`, `- 4 -`, `3 av 10`). A page is never emptied of its text by repetition alone:
/// when every line of a page would go, its lines stay unless they also run beside other
/// pages' body text (pages that all hold the same short text were dropped whole: found in the
/// trial of issues 15 to 20).
pub(super) fn drop_running_lines(pages: &mut [PdfPage]) -> DroppedLines {
    let in_margin = |page: &PdfPage, line: &PdfLine| {
        line.baseline < page.height * MARGIN_SHARE
            || line.baseline > page.height * (1.0 - MARGIN_SHARE)
    };
    // Each margin line's shape, with where it stands on which of the different pages (by
    // their whole text's shape). Where counts: a body line that repeats with another number
    // (`Kapittel funn, avsnitt 1.` and `… avsnitt 2.`, ending paragraphs that wrap into the
    // margin band) stands where its paragraph ends, a header where the page sets it (found in
    // session 25's trial: a report lost 18 lines of body text as running headers).
    let mut page_kinds: HashMap<String, usize> = HashMap::new();
    let mut shapes: HashMap<String, Vec<(f64, usize)>> = HashMap::new();
    for page in pages.iter() {
        let whole: Vec<String> = page
            .lines
            .iter()
            .map(|line| line_shape(&line.text))
            .collect();
        let kinds = page_kinds.len();
        let kind = *page_kinds.entry(whole.join("\n")).or_insert(kinds);
        for line in page.lines.iter().filter(|line| in_margin(page, line)) {
            shapes
                .entry(line_shape(&line.text))
                .or_default()
                .push((from_edge(page, line), kind));
        }
    }
    let furniture: Vec<Vec<bool>> = pages
        .iter()
        .map(|page| {
            page.lines
                .iter()
                .map(|line| {
                    let shape = line_shape(&line.text);
                    let place = from_edge(page, line);
                    let pages_here: HashSet<usize> = shapes
                        .get(&shape)
                        .into_iter()
                        .flatten()
                        .filter(|(other, _)| (other - place).abs() <= SAME_PLACE)
                        .map(|&(_, kind)| kind)
                        .collect();
                    let running = pages_here.len() >= RUNNING_PAGES;
                    in_margin(page, line) && (running || is_page_number(&line.text))
                })
                .collect::<Vec<bool>>()
        })
        .zip(pages.iter())
        .map(|(candidates, page)| set_apart(page, &candidates))
        .collect();
    // The shapes that stand as furniture on a page that has body text too: those are a
    // header or footer wherever they stand.
    let mut beside_body = HashSet::new();
    for (page, is_furniture) in pages.iter().zip(&furniture) {
        if is_furniture.iter().any(|&furniture| !furniture) {
            for (line, _) in page.lines.iter().zip(is_furniture).filter(|(_, &f)| f) {
                beside_body.insert(line_shape(&line.text));
            }
        }
    }
    let mut dropped = DroppedLines::default();
    for (page, is_furniture) in pages.iter_mut().zip(&furniture) {
        let emptied = is_furniture.iter().all(|&furniture| furniture);
        let mut furniture = is_furniture.iter();
        page.lines.retain(|line| {
            let is_furniture = furniture.next().copied().unwrap_or(false);
            let page_number = is_page_number(&line.text);
            let kept_as_body =
                emptied && !page_number && !beside_body.contains(&line_shape(&line.text));
            let drop = is_furniture && !kept_as_body;
            if drop && page_number {
                dropped.page_numbers += 1;
            } else if drop {
                dropped.running += 1;
            }
            !drop
        });
    }
    dropped
}

/// A header or footer stands further than this many of its font sizes from body text of its
/// size: more than a paragraph's spacing (some 1.7 to 2 sizes in office software's body
/// styles), less than the 3 or more its header and footer stand apart.
const APART: f64 = 2.5;

/// Of a page's header and footer `candidates`, those that stand apart from its body text:
/// with nothing but candidates between them and the page's edge, and not in the flow of the
/// nearest body line (see `in_flow`). The lines of a text whose paragraphs repeat, set in the
/// same places on several pages, are candidates, but they stand in the text's flow (session
/// 25: a report of repeated paragraphs lost 19 such lines). A page number goes wherever it
/// stands in the margin.
fn set_apart(page: &PdfPage, candidates: &[bool]) -> Vec<bool> {
    let mut furniture = candidates.to_vec();
    let middle = page.height / 2.0;
    for top in [true, false] {
        let in_half = |line: &PdfLine| (line.baseline < middle) == top;
        // This half's lines from the page's middle out to its edge.
        let mut outward: Vec<usize> = (0..page.lines.len())
            .filter(|&i| in_half(&page.lines[i]))
            .collect();
        outward.sort_by(|&a, &b| {
            let (a, b) = (page.lines[a].baseline, page.lines[b].baseline);
            if top {
                b.total_cmp(&a)
            } else {
                a.total_cmp(&b)
            }
        });
        let outermost_body = outward.iter().rposition(|&i| !candidates[i]);
        let mut nearest_body = page
            .lines
            .iter()
            .zip(candidates)
            .filter(|&(line, &candidate)| !candidate && !in_half(line))
            .map(|(line, _)| line)
            .min_by(|a, b| {
                (a.baseline - middle)
                    .abs()
                    .total_cmp(&(b.baseline - middle).abs())
            });
        for (position, &i) in outward.iter().enumerate() {
            let line = &page.lines[i];
            let is_body = !candidates[i]
                || (!is_page_number(&line.text)
                    && (outermost_body.is_some_and(|outermost| position < outermost)
                        || nearest_body.is_some_and(|body| in_flow(line, body))));
            if is_body {
                furniture[i] = false;
                nearest_body = Some(line);
            }
        }
    }
    furniture
}

/// Whether `line` goes on from the `body` line beside it, as a paragraph's lines do: in the
/// same size, within [`APART`] sizes. A header set right above a heading of its page (a
/// trial's annual report set its header 25 points above 18-point headings) is not.
fn in_flow(line: &PdfLine, body: &PdfLine) -> bool {
    (line.size - body.size).abs() < SAME_SIZE
        && (line.baseline - body.baseline).abs() <= APART * line.size
}

/// How far a line's baseline stands from its page's nearer edge, top or bottom (pages of
/// another height set their footers as far from the bottom).
fn from_edge(page: &PdfPage, line: &PdfLine) -> f64 {
    line.baseline.min(page.height - line.baseline)
}

/// A line with its digits as `#` and case folded: `Side 3` and `Side 4` are one shape.
fn line_shape(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// `12`, `- 12 -`, `Side 12`, `side 12 av 30`, `Page 3 of 9`, `12/30`.
fn is_page_number(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "-–—/|".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let is_number = |w: &str| w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit());
    let is_page_word = |w: &str| ["side", "s.", "page", "p."].contains(&w.to_lowercase().as_str());
    let is_of = |w: &str| ["av", "of", "af", "ud"].contains(&w.to_lowercase().as_str());
    match words.as_slice() {
        [n] => is_number(n),
        [n, m] if is_number(n) && is_number(m) => true,
        [word, n] => is_page_word(word) && is_number(n),
        [n, of, m] => is_number(n) && is_of(of) && is_number(m),
        [word, n, of, m] => is_page_word(word) && is_number(n) && is_of(of) && is_number(m),
        _ => false,
    }
}

/// A paragraph made of a page's lines: its text, where it starts, and its font size.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Paragraph {
    pub text: String,
    pub page: u32,
    pub size: f64,
    /// Whether the paragraph is a list item (its first line starts with a bullet or number).
    pub list_item: bool,
    /// The share of its characters drawn in a bold font.
    pub bold: f64,
    /// A table's row or cells: a line with a wide gap between words, or a cell drawn back up
    /// beside the one before.
    pub tabular: bool,
    /// Where a later page's text starts in `text` (byte offset, page): a paragraph that goes
    /// on past a page break.
    pub page_starts: Vec<(usize, u32)>,
}

/// Font sizes closer than this (in points) are one size.
const SAME_SIZE: f64 = 0.6;
/// Baselines further apart than this many font sizes have a paragraph's spacing between them.
const PARAGRAPH_GAP: f64 = 1.45;

/// The page's lines as paragraphs: a line goes on the paragraph before it when it stands at
/// the usual line spacing below it, in the same size, and neither starts a list item nor
/// follows a line that ended a sentence well short of the column's edge.
pub(super) fn paragraphs(page: &PdfPage) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut previous: Option<&PdfLine> = None;
    for line in &page.lines {
        let text = bullet_as_dash(&line.text);
        let list_item = is_list_item(&text);
        let continues =
            previous.is_some_and(|before| !list_item && continues_paragraph(page, before, line));
        match out.last_mut() {
            Some(paragraph) if continues => {
                // A line drawn back up beside the one before is a table's next cell.
                let next_cell = previous.is_some_and(|before| line.baseline <= before.baseline);
                paragraph.tabular |= line.wide_gap || next_cell;
                paragraph.append(&text, line.bold);
            }
            _ => out.push(Paragraph {
                text,
                page: page.number,
                size: line.size,
                list_item,
                bold: line.bold,
                tabular: line.wide_gap,
                page_starts: Vec::new(),
            }),
        }
        previous = Some(line);
    }
    out
}

impl Paragraph {
    /// Appends a line (or a paragraph's text) that goes on from this paragraph's end; returns
    /// the byte offset where `text` starts in the paragraph's.
    fn append(&mut self, text: &str, bold: f64) -> usize {
        let before = self.text.len() as f64;
        let (drop, separator) = join_at_wrap(&self.text, text);
        self.text.truncate(self.text.len() - drop);
        self.text.push_str(separator);
        let start = self.text.len();
        self.text.push_str(text);
        let added = text.len() as f64;
        self.bold = (self.bold * before + bold * added) / (before + added).max(1.0);
        start
    }
}

fn continues_paragraph(page: &PdfPage, before: &PdfLine, line: &PdfLine) -> bool {
    let size = before.size.max(1.0);
    let gap = line.baseline - before.baseline;
    let same_size = (before.size - line.size).abs() < SAME_SIZE;
    let close_below = gap > 0.0 && gap < PARAGRAPH_GAP * size;
    // A table cell's text wrapped onto a second line, and the row's next cell drawn back up
    // beside it: the row goes on.
    let next_cell = gap <= 0.0 && -gap < 3.0 * size && line.left > before.right;
    let ended_short = before.text.ends_with(['.', '!', '?', ':'])
        && before.right < column_right(page, before) - 3.0 * size
        && line
            .text
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
    // A bold line that stops well short of the column (not a table's row), above regular
    // text or a full line: a heading set in the body's size, above its text at the usual line
    // spacing. Short bold lines one above the other (an address) stay together.
    let ends_short = |line: &PdfLine| line.right < column_right(page, line) - 3.0 * size;
    let bold_line_ended = before.bold >= MOSTLY_BOLD
        && !before.wide_gap
        && ends_short(before)
        && (line.bold < MOSTLY_BOLD || !ends_short(line));
    same_size && (close_below || next_cell) && !ended_short && !bold_line_ended
}

/// The right edge of the column a line stands in: the furthest right any line starting at
/// about the same place reaches.
fn column_right(page: &PdfPage, line: &PdfLine) -> f64 {
    let reach = 3.0 * line.size.max(1.0);
    page.lines
        .iter()
        .filter(|other| (other.left - line.left).abs() < reach)
        .map(|other| other.right)
        .fold(line.right, f64::max)
}

/// A bullet glyph (`•`, `◦`, `▪`, ``) at a line's start as the `-` every other format's
/// list items get, so that the same list reads the same from every format. A symbol font's
/// glyph is a character of the Private Use Area (Word's Symbol bullet U+F0B7, LibreOffice's
/// OpenSymbol U+F095 and its kin: session 26's trial saw them in every snippet of a PDF
/// list), which no text means; one opening a line is taken for a bullet too.
fn bullet_as_dash(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some('•' | '◦' | '▪' | '●' | '■' | '►' | '–' | '\u{2043}' | '\u{E000}'..='\u{F8FF}') =>
        {
            let rest = chars.as_str().trim_start();
            format!("- {rest}")
        }
        _ => text.to_string(),
    }
}

/// Joins a paragraph cut by a page break to the one before it: the first stops mid-sentence
/// and the second goes on in lower case, in the same size.
pub(super) fn join_page_breaks(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::with_capacity(paragraphs.len());
    for paragraph in paragraphs {
        if let Some(before) = out.last_mut() {
            let new_page = paragraph.page != before.page;
            let mid_sentence = !before.text.ends_with(['.', '!', '?', ':', ';']);
            let goes_on = paragraph.text.starts_with(char::is_lowercase)
                && !paragraph.list_item
                && (before.size - paragraph.size).abs() < SAME_SIZE;
            if new_page && mid_sentence && goes_on {
                let start = before.append(&paragraph.text, paragraph.bold);
                // The page the words after the break stand on (session 25: a hit on them
                // showed the page the paragraph starts on).
                before.page_starts.push((start, paragraph.page));
                let later = paragraph.page_starts.iter();
                before
                    .page_starts
                    .extend(later.map(|&(offset, page)| (start + offset, page)));
                before.tabular |= paragraph.tabular;
                continue;
            }
        }
        out.push(paragraph);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_font_bullets_are_dashes() {
        for (line, dash) in [
            ("\u{F0B7} Symbol", "- Symbol"),
            (
                "\u{F095} varmepumpe i kjelleren",
                "- varmepumpe i kjelleren",
            ),
            ("\u{E00A}\tOpenSymbol", "- OpenSymbol"),
            ("• punkt", "- punkt"),
            ("Tekst \u{F095} midt i", "Tekst \u{F095} midt i"),
            ("vanlig linje", "vanlig linje"),
        ] {
            assert_eq!(bullet_as_dash(line), dash, "{line:?}");
        }
    }

    fn line(text: &str, left: f64, right: f64, baseline: f64, size: f64) -> PdfLine {
        PdfLine {
            text: text.into(),
            left,
            right,
            baseline,
            size,
            bold: 0.0,
            wide_gap: false,
        }
    }

    #[test]
    fn lines_become_paragraphs_by_their_spacing_and_hyphens_are_rejoined() {
        let page = PdfPage {
            number: 2,
            height: 842.0,
            lines: vec![
                line("2.1 Fiberutbygging", 70.0, 250.0, 100.0, 14.0),
                line(
                    "Kommunen søker statlige midler og sam-",
                    70.0,
                    520.0,
                    120.0,
                    12.0,
                ),
                line("arbeider med fylket om lov- og", 70.0, 521.0, 134.0, 12.0),
                line("avtaleverk.", 70.0, 150.0, 148.0, 12.0),
                line("• Første tiltak", 70.0, 200.0, 170.0, 12.0),
            ],
        };
        let paragraphs = paragraphs(&page);
        let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "2.1 Fiberutbygging",
                "Kommunen søker statlige midler og samarbeider med fylket om lov- og avtaleverk.",
                "- Første tiltak",
            ]
        );
        assert!(paragraphs[2].list_item);
        assert_eq!(paragraphs[1].page, 2);
    }

    #[test]
    fn r15_a_short_bold_line_ends_its_paragraph_and_a_table_row_is_tabular() {
        let bold = |mut line: PdfLine| {
            line.bold = 1.0;
            line
        };
        let mut header_row = bold(line("Tiltak Ansvar Frist", 70.0, 400.0, 230.0, 12.0));
        header_row.wide_gap = true;
        let page = PdfPage {
            number: 1,
            height: 842.0,
            lines: vec![
                bold(line("Nasjonale føringer", 70.0, 180.0, 100.0, 12.0)),
                line(
                    "Regjeringen har vedtatt at Norge skal bli",
                    70.0,
                    520.0,
                    114.0,
                    12.0,
                ),
                line("et lavutslippssamfunn.", 70.0, 200.0, 128.0, 12.0),
                // An address: short bold lines one above the other.
                bold(line("Eksempel kommune", 70.0, 170.0, 160.0, 12.0)),
                bold(line("Postboks 1", 70.0, 130.0, 174.0, 12.0)),
                line("Rådhusgata 1, 1234 Eksempel", 70.0, 250.0, 188.0, 12.0),
                header_row,
                line(
                    "Utslippsfri bilpark Eiendomsavdelingen 2027",
                    70.0,
                    400.0,
                    244.0,
                    12.0,
                ),
            ],
        };
        let paragraphs = paragraphs(&page);
        let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Nasjonale føringer",
                "Regjeringen har vedtatt at Norge skal bli et lavutslippssamfunn.",
                "Eksempel kommune Postboks 1",
                "Rådhusgata 1, 1234 Eksempel",
                "Tiltak Ansvar Frist Utslippsfri bilpark Eiendomsavdelingen 2027",
            ]
        );
        assert_eq!(paragraphs[0].bold, 1.0);
        assert_eq!(paragraphs[1].bold, 0.0);
        assert!(paragraphs[4].tabular && !paragraphs[0].tabular);
        assert!(paragraphs[4].bold > 0.2 && paragraphs[4].bold < 0.5);
        for number in ["1", "2.3", "4.1.2)"] {
            assert!(is_section_number(number), "{number}");
        }
        assert!(!is_section_number("Tiltak"));
    }

    #[test]
    fn running_headers_footers_and_page_numbers_are_dropped() {
        let page = |number: u32, body: &str| PdfPage {
            number,
            height: 842.0,
            lines: vec![
                line("Eksempel kommune · Plan", 70.0, 300.0, 40.0, 9.0),
                line(body, 70.0, 500.0, 300.0, 12.0),
                line(&format!("Side {number}"), 280.0, 320.0, 810.0, 9.0),
            ],
        };
        let mut pages = vec![page(1, "Første side."), page(2, "Andre side.")];
        assert_eq!(
            drop_running_lines(&mut pages),
            DroppedLines {
                page_numbers: 2,
                running: 2
            }
        );
        assert_eq!(pages[1].lines[0].text, "Andre side.");
        for number in [
            "12",
            "- 4 -",
            "Side 3",
            "side 3 av 10",
            "Page 2 of 9",
            "3/12",
        ] {
            assert!(is_page_number(number), "{number}");
        }
        assert!(!is_page_number("Plan 2025–2028 for kommunen"));
    }

    /// Session 25: body lines that repeat with another number (`Kapittel funn, avsnitt 1.`,
    /// `… avsnitt 2.`) where paragraphs end in the margin band were dropped as running
    /// headers. A running line stands at the same place on the pages it runs on (measured from
    /// the nearer edge, so a footer on a page of another height runs too).
    #[test]
    fn r15_a_line_repeated_elsewhere_in_the_margin_band_is_body_text() {
        let body = |n: u32| format!("arbeidshverdagen i kommunen. Kapittel funn, avsnitt {n}.");
        let middle = ["Første side.", "Andre side.", "Tredje side."];
        let page = |number: u32, height: f64, body_at: f64| PdfPage {
            number,
            height,
            lines: vec![
                line("Eksempel kommune · Evaluering", 70.0, 300.0, 40.0, 9.0),
                line(&format!("Side {number}"), 70.0, 300.0, 60.0, 12.0),
                line(middle[number as usize - 1], 70.0, 500.0, 300.0, 12.0),
                line(&body(number), 70.0, 500.0, body_at, 12.0),
                line("Rapport 2025", 70.0, 300.0, height - 30.0, 9.0),
            ],
        };
        let mut pages = vec![
            page(1, 842.0, 748.0),
            page(2, 842.0, 76.0),
            page(3, 595.0, 80.0),
        ];
        assert_eq!(
            drop_running_lines(&mut pages),
            DroppedLines {
                page_numbers: 3,
                running: 6
            }
        );
        for (page, number) in pages.iter().zip(1..) {
            let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(texts, [middle[number as usize - 1], body(number).as_str()]);
        }
        // A text of repeated paragraphs: the same lines at the same places on two pages, but
        // in the text's flow (at a line's spacing from the next), are body text.
        let flow = [
            "Dette avsnittet gir utfyllende informasjon om",
            "arbeidet i tjenesten.",
        ];
        let page = |number: u32| PdfPage {
            number,
            height: 842.0,
            lines: vec![
                line(flow[0], 70.0, 500.0, 44.0, 12.0),
                line(flow[1], 70.0, 500.0, 60.0, 12.0),
                line(middle[number as usize - 1], 70.0, 500.0, 76.0, 12.0),
            ],
        };
        let mut pages = vec![page(1), page(2)];
        assert_eq!(drop_running_lines(&mut pages), DroppedLines::default());
        // A header in the body's size set close above each page's larger heading is a header.
        let page = |number: u32, heading: &str| PdfPage {
            number,
            height: 842.0,
            lines: vec![
                line("Eikvik kommune – Årsrapport 2024", 70.0, 300.0, 72.0, 12.0),
                line(heading, 70.0, 300.0, 97.0, 18.0),
                line(middle[number as usize - 1], 70.0, 500.0, 110.0, 12.0),
            ],
        };
        let mut pages = vec![page(1, "Innledning"), page(2, "Økonomi")];
        assert_eq!(drop_running_lines(&mut pages).running, 2);
    }

    #[test]
    fn r15_pages_that_hold_only_the_same_text_keep_it() {
        let page = |number: u32, lines: &[(&str, f64)]| PdfPage {
            number,
            height: 842.0,
            lines: lines
                .iter()
                .map(|&(text, baseline)| line(text, 70.0, 500.0, baseline, 12.0))
                .collect(),
        };
        let notice = [
            ("Biblioteket holder stengt mandag.", 55.0),
            ("Velkommen tilbake tirsdag.", 69.0),
            ("2", 810.0),
        ];
        let mut pages = vec![page(1, &notice), page(2, &notice)];
        assert_eq!(
            drop_running_lines(&mut pages),
            DroppedLines {
                page_numbers: 2,
                running: 0
            },
            "only the page numbers"
        );
        for page in &pages {
            let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(
                texts,
                [
                    "Biblioteket holder stengt mandag.",
                    "Velkommen tilbake tirsdag."
                ]
            );
        }
        // A page left with only the header of pages that have body text loses it.
        let header = ("Eksempel kommune · Plan", 40.0);
        let mut pages = vec![
            page(1, &[header, ("Første side.", 300.0)]),
            page(2, &[header]),
        ];
        assert_eq!(
            drop_running_lines(&mut pages),
            DroppedLines {
                page_numbers: 0,
                running: 2
            }
        );
        assert!(pages[1].lines.is_empty());
    }

    #[test]
    fn r15_pages_that_are_the_same_are_no_evidence_of_a_running_header() {
        // Two pages of the same notice, longer than the margin: its first lines stand in
        // the top margin of both, and repeat, as a header would (the first set apart from
        // the rest, as a letterhead is).
        let notice = [
            "Biblioteket holder stengt mandag.",
            "Vi skifter ventilasjonen i lesesalen.",
            "Bøker kan leveres i luka ved inngangen.",
            "Velkommen tilbake tirsdag.",
        ];
        let page = |number: u32| PdfPage {
            number,
            height: 842.0,
            lines: notice
                .iter()
                .zip([30.0, 70.0, 110.0, 125.0])
                .map(|(text, baseline)| line(text, 70.0, 500.0, baseline, 12.0))
                .chain([line(&number.to_string(), 290.0, 300.0, 810.0, 9.0)])
                .collect(),
        };
        let mut pages = vec![page(1), page(2)];
        assert_eq!(
            drop_running_lines(&mut pages),
            DroppedLines {
                page_numbers: 2,
                running: 0
            }
        );
        for page in &pages {
            let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(texts, notice);
        }
        // The same notice with a letterhead on a third, different page: the lines on all
        // three pages are the header, the notice's lines on two the same pages are not.
        let mut letter = page(3);
        letter.lines[1].text = "Svar på søknad om lån av lokale.".into();
        letter.lines[2].text = "Søknaden er innvilget.".into();
        let mut pages = vec![page(1), page(2), letter];
        let dropped = drop_running_lines(&mut pages);
        assert_eq!(dropped.running, 3, "{pages:?}");
        assert_eq!(pages[0].lines[0].text, notice[1]);
    }

    #[test]
    fn a_paragraph_cut_by_a_page_break_is_joined() {
        let paragraph = |text: &str, page| Paragraph {
            text: text.into(),
            page,
            size: 12.0,
            list_item: false,
            bold: 0.0,
            tabular: false,
            page_starts: Vec::new(),
        };
        let joined = join_page_breaks(vec![
            paragraph("Kommunen vil bruke tjeneste-", 1),
            paragraph("design som metode.", 2),
            paragraph("Neste avsnitt.", 2),
        ]);
        assert_eq!(joined.len(), 2);
        assert_eq!(
            joined[0].text,
            "Kommunen vil bruke tjenestedesign som metode."
        );
        assert_eq!(joined[0].page, 1);
    }
}
