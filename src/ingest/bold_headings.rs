//! Which bold paragraphs are headings (issue 15): one rule for every reader that knows which
//! text is bold, a PDF's fonts and Word's and OpenDocument's direct formatting, so that the
//! same minutes saved as .docx and as .pdf get the same headings. A paragraph that is all bold,
//! short, and stands on its own (not a sentence, a label, a list item, a table's row, a
//! caption or a table of contents' entry) is a heading, unless the body text is itself mostly
//! bold; numbered ones nest by their numbers, and an unnumbered one atop the first numbered
//! one is the document's title.

use crate::ingest::words::count_words;

/// A paragraph this share of whose characters is bold is a bold paragraph.
pub(crate) const MOSTLY_BOLD: f64 = 0.9;
/// Bold paragraphs are not headings in a document whose body text is more bold than this.
const MAX_BODY_BOLD: f64 = 0.4;
/// A heading has at most this many words.
pub(crate) const MAX_HEADING_WORDS: usize = 25;

/// A paragraph as the rule sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Styled<'a> {
    pub text: &'a str,
    /// The share of its characters set bold.
    pub bold: f64,
    /// Whether it is a list item.
    pub list_item: bool,
    /// Whether it is a table's row or cells.
    pub tabular: bool,
}

/// Whether bold sets nothing apart in a document whose body paragraphs are `body`: more than
/// `MAX_BODY_BOLD` of their text is bold.
pub(crate) fn body_is_bold<'a>(body: impl Iterator<Item = Styled<'a>>) -> bool {
    let (bold, all) = body.fold((0.0, 0.0), |(bold, all), paragraph| {
        let chars = paragraph.text.len() as f64;
        (bold + paragraph.bold * chars, all + chars)
    });
    all > 0.0 && bold / all > MAX_BODY_BOLD
}

/// A bold paragraph is a heading when it is short and stands on its own: not a label or a
/// sentence (it ends in `.`, `!`, `:`, `;` or `,`), not the first part of a text that runs on
/// in lower case, not a table's row or a table of contents' entry or a caption, and with
/// `next` after it. A list item is not one, but for one numbered as a section
/// (`1. Sammendrag`) with no list item `before` or after it: a list of one item is a numbered
/// heading.
pub(crate) fn is_bold_heading(before: Option<Styled>, paragraph: Styled, next: Styled) -> bool {
    let text = paragraph.text;
    let lone_numbered = numbering_depth(text).is_some()
        && !before.is_some_and(|before| before.list_item)
        && !next.list_item;
    paragraph.bold >= MOSTLY_BOLD
        && (!paragraph.list_item || lone_numbered)
        && !paragraph.tabular
        && count_words(text) <= MAX_HEADING_WORDS
        && text.contains(char::is_alphabetic)
        && !text.ends_with(['.', '!', ':', ';', ','])
        && !is_contents_entry(text)
        && !is_caption(text)
        && !next.text.starts_with(char::is_lowercase)
}

/// `1`, `2.3`, `4.1.2)`: a section's number, as a heading's text may start with it.
pub(crate) fn is_section_number(text: &str) -> bool {
    text.len() <= 8
        && text.contains(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
}

/// How many parts a heading's leading section number has: `3` 1, `3.1` 2, `3.1.2.` 3.
fn numbering_depth(text: &str) -> Option<usize> {
    let number = text.split_whitespace().next()?;
    is_section_number(number).then(|| {
        number
            .split(['.', ')'])
            .filter(|part| !part.is_empty())
            .count()
    })
}

/// A paragraph found to be a bold heading: where it stands, the size it is set in (any key
/// that orders sizes; one key where the format has no sizes) and its numbering depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoldHeading {
    pub index: usize,
    pub size: i64,
    depth: Option<usize>,
}

impl BoldHeading {
    pub(crate) fn new(index: usize, size: i64, text: &str) -> BoldHeading {
        BoldHeading {
            index,
            size,
            depth: numbering_depth(text),
        }
    }
}

/// The bold heading that is the document's title, taken out of `headings`: the first, when it
/// is the document's first paragraph, has no number, and a numbered heading follows it right
/// away (`Evaluering av hjemmetjenesten` atop `1. Sammendrag`). A first heading with text
/// under it (`Sammendrag`, then the summary) is the first section's; one that the document's
/// properties name is its title anyway.
pub(crate) fn take_title(headings: &mut Vec<BoldHeading>) -> Option<usize> {
    let [first, second, ..] = headings.as_slice() else {
        return None;
    };
    let titles_numbered =
        first.index == 0 && first.depth.is_none() && second.index == 1 && second.depth.is_some();
    titles_numbered.then(|| headings.remove(0).index)
}

/// Each bold heading's level, below the `levels_above` the format knows otherwise (larger
/// sizes, heading styles): a larger bold size ranks above a smaller, and within a size a
/// numbered heading nests by its number (`3.1` below `3`).
pub(crate) fn levels(headings: &[BoldHeading], levels_above: usize) -> Vec<(usize, u8)> {
    let mut sizes: Vec<i64> = headings.iter().map(|heading| heading.size).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    // Per size, from the largest: its first level and its shallowest numbering.
    let mut first_level = levels_above + 1;
    let mut size_levels = Vec::new();
    for &size in &sizes {
        let depths = headings
            .iter()
            .filter(|heading| heading.size == size)
            .filter_map(|heading| heading.depth);
        let shallowest = depths.clone().min().unwrap_or(1);
        let deepest = depths.max().unwrap_or(1);
        size_levels.push((size, first_level, shallowest));
        first_level += deepest - shallowest + 1;
    }
    headings
        .iter()
        .filter_map(|heading| {
            let &(_, level, shallowest) =
                size_levels.iter().find(|(s, _, _)| *s == heading.size)?;
            let level = level + heading.depth.map_or(0, |depth| depth - shallowest);
            Some((heading.index, u8::try_from(level).unwrap_or(6).min(6)))
        })
        .collect()
}

/// `Figur 3 Utslipp per sektor`, `Tabell 2.1 Kostnader`, `Kilde: SSB`: a figure's or a
/// table's caption or source line, set bold as often as a heading. (`Vedlegg 1 …` is left a
/// heading: it is as often an appendix's heading as a caption.)
fn is_caption(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or("").to_lowercase();
    let numbered = words
        .next()
        .is_some_and(|word| word.starts_with(|c: char| c.is_ascii_digit()));
    (CAPTION_WORDS.contains(&first.trim_end_matches('.')) && numbered) || first == "kilde:"
}

/// The words a caption starts with, before its number (Norwegian, Danish, English).
const CAPTION_WORDS: [&str; 11] = [
    "figur",
    "figure",
    "fig",
    "tabell",
    "tabel",
    "table",
    "graf",
    "diagram",
    "bilde",
    "billede",
    "illustrasjon",
];

/// `1 Innledning .......... 3`: a table of contents' entry, its leader drawn as text (Word
/// sets the first level of its contents in bold). The leader is any run of dots (spaced or
/// not), `_`, `·` or `…` before an arabic or roman page number; an entry whose leader is a
/// wide gap or a tab stop is a tabular line.
fn is_contents_entry(text: &str) -> bool {
    let text = text.trim_end();
    let before = text.trim_end_matches(|c: char| c.is_alphanumeric());
    let page = &text[before.len()..];
    let leader_weight: usize = before
        .chars()
        .rev()
        .take_while(|&c| c == ' ' || LEADER_CHARS.contains(&c))
        .map(|c| match c {
            ' ' => 0,
            '…' => 3,
            _ => 1,
        })
        .sum();
    leader_weight >= MIN_LEADER && is_contents_page_number(page)
}

/// What a table of contents' leader is drawn with, and how many dots it has at least (`…`
/// is three).
const LEADER_CHARS: [char; 5] = ['.', '_', '·', '…', '⋅'];
const MIN_LEADER: usize = 3;

/// `12`, `iv`, `XII`: a page number in a table of contents.
fn is_contents_page_number(word: &str) -> bool {
    let arabic = word.len() <= 4 && word.chars().all(|c| c.is_ascii_digit());
    let roman = word.len() <= 7
        && (word.chars().all(|c| "ivxlc".contains(c)) || word.chars().all(|c| "IVXLC".contains(c)));
    !word.is_empty() && (arabic || roman)
}
