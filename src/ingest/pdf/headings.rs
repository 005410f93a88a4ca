//! Which paragraphs of a PDF are headings: the outline's entries found in the text, else the
//! paragraphs set larger than the body text, level by size; the title is the first
//! paragraph when it is set larger than anything else on the first page.
//!
//! Bold is not seen: pdf-extract reports characters without their font, so a heading in body
//! size and bold is found only by the outline or the text rules.

use super::layout::Paragraph;
use super::OutlineEntry;
use crate::ingest::structure::BlockKind;
use crate::ingest::words::count_words;

/// A heading is set at least this much larger than the body text (points, or share).
const MIN_HEADING_STEP_POINTS: f64 = 1.0;
const MIN_HEADING_STEP_SHARE: f64 = 0.1;
const MAX_HEADING_WORDS: usize = 25;
/// The outline's entries are its headings when at least this share is found in the text.
const MIN_OUTLINE_FOUND: f64 = 0.5;

/// The kind of each paragraph, and whether the headings are known (else the text rules
/// find them).
pub(super) fn kinds(
    paragraphs: &[Paragraph],
    outline: &[OutlineEntry],
    info_title: Option<&str>,
) -> (Vec<BlockKind>, bool) {
    let mut kinds: Vec<BlockKind> = paragraphs
        .iter()
        .map(|p| BlockKind::body(p.list_item))
        .collect();
    let body = body_size(paragraphs);
    let known = mark_outline(paragraphs, outline, &mut kinds)
        || mark_larger_lines(paragraphs, body, &mut kinds);
    if known {
        mark_title(paragraphs, body, info_title, &mut kinds);
    }
    (kinds, known)
}

/// A heading or title as compared with an outline entry: letters and digits, lower case.
fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Marks the outline's entries, looked for in order from the page each names; true when
/// enough are found to trust the outline.
fn mark_outline(
    paragraphs: &[Paragraph],
    outline: &[OutlineEntry],
    kinds: &mut [BlockKind],
) -> bool {
    if outline.is_empty() {
        return false;
    }
    let mut from = 0;
    let mut found = 0;
    for entry in outline {
        let wanted = comparable(&entry.title);
        let at = paragraphs[from..].iter().position(|paragraph| {
            paragraph.page >= entry.page && comparable(&paragraph.text) == wanted
        });
        if let Some(at) = at {
            kinds[from + at] = BlockKind::Heading(entry.level);
            from += at + 1;
            found += 1;
        }
    }
    found as f64 >= MIN_OUTLINE_FOUND * outline.len() as f64
}

/// The body text's font size: the size most of the text is set in.
fn body_size(paragraphs: &[Paragraph]) -> f64 {
    let mut by_size: Vec<(i64, usize)> = Vec::new();
    for paragraph in paragraphs {
        let key = half_points(paragraph.size);
        match by_size.iter_mut().find(|(size, _)| *size == key) {
            Some((_, chars)) => *chars += paragraph.text.len(),
            None => by_size.push((key, paragraph.text.len())),
        }
    }
    by_size
        .into_iter()
        .max_by_key(|&(size, chars)| (chars, -size))
        .map_or(0.0, |(size, _)| size as f64 / 2.0)
}

fn half_points(size: f64) -> i64 {
    (size * 2.0).round() as i64
}

fn is_larger(size: f64, body: f64) -> bool {
    size >= body + MIN_HEADING_STEP_POINTS.max(MIN_HEADING_STEP_SHARE * body)
}

/// Marks the short paragraphs set larger than the body text as headings, the largest size
/// level 1; true when there is any.
fn mark_larger_lines(paragraphs: &[Paragraph], body: f64, kinds: &mut [BlockKind]) -> bool {
    let is_heading = |paragraph: &Paragraph| {
        is_larger(paragraph.size, body)
            && !paragraph.list_item
            && count_words(&paragraph.text) <= MAX_HEADING_WORDS
    };
    // The first paragraph, when it is the title, does not set a level.
    let skip_title = usize::from(
        paragraphs
            .first()
            .is_some_and(|first| is_title_size(paragraphs, first, body)),
    );
    let mut sizes: Vec<i64> = paragraphs
        .iter()
        .skip(skip_title)
        .filter(|p| is_heading(p))
        .map(|p| half_points(p.size))
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    if sizes.is_empty() {
        return false;
    }
    for (index, paragraph) in paragraphs.iter().enumerate().skip(skip_title) {
        if is_heading(paragraph) {
            let rank = sizes
                .iter()
                .position(|&s| s == half_points(paragraph.size))
                .unwrap_or(0);
            kinds[index] = BlockKind::Heading(u8::try_from(rank + 1).unwrap_or(6).min(6));
        }
    }
    true
}

/// Whether `paragraph` (the document's first) is set larger than the body and than every
/// other paragraph of the first page.
fn is_title_size(paragraphs: &[Paragraph], paragraph: &Paragraph, body: f64) -> bool {
    let largest_elsewhere = paragraphs
        .iter()
        .skip(1)
        .filter(|other| other.page == paragraph.page)
        .map(|other| other.size)
        .fold(0.0, f64::max);
    is_larger(paragraph.size, body) && paragraph.size > largest_elsewhere + 0.5
}

/// The first paragraph is the title when it is set larger than the rest of its page, or when
/// it is the title the document information names.
fn mark_title(
    paragraphs: &[Paragraph],
    body: f64,
    info_title: Option<&str>,
    kinds: &mut [BlockKind],
) {
    let Some(first) = paragraphs.first() else {
        return;
    };
    let named = info_title.is_some_and(|title| comparable(title) == comparable(&first.text));
    if named || is_title_size(paragraphs, first, body) {
        kinds[0] = BlockKind::Title;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str, page: u32, size: f64) -> Paragraph {
        Paragraph {
            text: text.into(),
            page,
            size,
            list_item: false,
        }
    }

    fn document() -> Vec<Paragraph> {
        vec![
            paragraph("Plan for digital omstilling", 1, 24.0),
            paragraph("1 Innledning", 1, 18.0),
            paragraph(
                "Kommunen skal bruke digitale løsninger for å gi bedre tjenester.",
                1,
                12.0,
            ),
            paragraph("1.1 Mål for perioden", 1, 14.0),
            paragraph(
                "Kommunestyret har vedtatt mål for perioden, og de følges opp.",
                2,
                12.0,
            ),
        ]
    }

    #[test]
    fn larger_lines_are_headings_level_by_size() {
        let (kinds, known) = kinds(&document(), &[], None);
        assert!(known);
        assert_eq!(
            kinds,
            [
                BlockKind::Title,
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::Heading(2),
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn the_outline_names_the_headings_and_their_levels() {
        let mut flat = document();
        for p in &mut flat {
            p.size = 12.0;
        }
        let outline = [
            OutlineEntry {
                level: 1,
                title: "1 Innledning".into(),
                page: 1,
            },
            OutlineEntry {
                level: 2,
                title: "1.1  Mål for perioden".into(),
                page: 1,
            },
        ];
        let (kinds, known) = kinds(&flat, &outline, Some("Plan for digital omstilling"));
        assert!(known);
        assert_eq!(kinds[0], BlockKind::Title);
        assert_eq!(kinds[1], BlockKind::Heading(1));
        assert_eq!(kinds[3], BlockKind::Heading(2));
    }

    #[test]
    fn without_outline_or_larger_lines_the_text_rules_decide() {
        let mut flat = document();
        for p in &mut flat {
            p.size = 12.0;
        }
        assert!(!kinds(&flat, &[], None).1);
    }
}
