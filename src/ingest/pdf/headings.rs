//! Which paragraphs of a PDF are headings: the outline's entries found in the text, else the
//! paragraphs set larger than the body text, level by size, and the short ones set bold in
//! the body's size, a level below those; the title is the first paragraph when it is set
//! larger than anything else on the first page.

use super::layout::Paragraph;
use super::OutlineEntry;
use crate::ingest::bold_headings::{self, BoldHeading, Styled, MAX_HEADING_WORDS};
use crate::ingest::structure::BlockKind;
use crate::ingest::words::count_words;

/// A heading is set at least this much larger than the body text (points, or share).
const MIN_HEADING_STEP_POINTS: f64 = 1.0;
const MIN_HEADING_STEP_SHARE: f64 = 0.1;
/// The outline's entries are its headings when at least this share is found in the text.
const MIN_OUTLINE_FOUND: f64 = 0.5;
/// A bold heading's size may be this much below the body's (points).
const BOLD_HEADING_SIZE_SLACK: f64 = 0.5;

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
    let mut outlined = mark_outline(paragraphs, outline, &mut kinds);
    if outlined && is_partial_outline(paragraphs, body, &kinds) {
        kinds = paragraphs
            .iter()
            .map(|p| BlockKind::body(p.list_item))
            .collect();
        outlined = false;
    }
    let known = outlined || {
        let larger_levels = mark_larger_lines(paragraphs, body, &mut kinds);
        let bold = mark_bold_lines(paragraphs, body, larger_levels, &mut kinds);
        larger_levels > 0 || bold
    };
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

/// Fewest lines an outline leaves out, set as large as the headings it names, for it to be
/// taken as partial.
const MIN_LEFT_OUT_OF_OUTLINE: usize = 2;

/// Whether the outline, whose headings are marked in `kinds`, leaves out lines set as large
/// as its own headings: then the type sizes name the headings, as without an outline (the
/// new-user trial of stop 25: LibreOffice Writer/Web exported a PDF whose outline held only
/// `2.1 Varsling`, and its first-level headings, set at twice the body's size, were text). Only
/// an outline whose headings are all set larger than the body is judged so: one that names
/// headings in the body's size says nothing about larger lines.
fn is_partial_outline(paragraphs: &[Paragraph], body: f64, kinds: &[BlockKind]) -> bool {
    let is_outlined = |index: usize| matches!(kinds[index], BlockKind::Heading(_));
    let outlined: Vec<f64> = (0..paragraphs.len())
        .filter(|&index| is_outlined(index))
        .map(|index| paragraphs[index].size)
        .collect();
    if outlined.is_empty() || outlined.iter().any(|&size| !is_larger(size, body)) {
        return false;
    }
    let smallest = half_points(outlined.iter().copied().fold(f64::INFINITY, f64::min));
    let skip_title = title_lines(paragraphs, body);
    let left_out = paragraphs
        .iter()
        .enumerate()
        .skip(skip_title)
        .filter(|&(index, paragraph)| {
            !is_outlined(index)
                && half_points(paragraph.size) >= smallest
                && !paragraph.list_item
                && count_words(&paragraph.text) <= MAX_HEADING_WORDS
        })
        .count();
    left_out >= MIN_LEFT_OUT_OF_OUTLINE
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
/// level 1; returns how many levels (sizes) there are.
fn mark_larger_lines(paragraphs: &[Paragraph], body: f64, kinds: &mut [BlockKind]) -> usize {
    let is_heading = |paragraph: &Paragraph| {
        is_larger(paragraph.size, body)
            && !paragraph.list_item
            && count_words(&paragraph.text) <= MAX_HEADING_WORDS
    };
    let skip_title = title_lines(paragraphs, body);
    let mut sizes: Vec<i64> = paragraphs
        .iter()
        .skip(skip_title)
        .filter(|p| is_heading(p))
        .map(|p| half_points(p.size))
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    if sizes.is_empty() {
        return 0;
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
    sizes.len()
}

/// Marks the short paragraphs set bold in about the body's size as headings (the rule
/// `bold_headings` shares with Word and OpenDocument), below the `levels_above` larger sizes;
/// true when there is any. A bold size between the body's and the larger ones ranks above the
/// body's.
fn mark_bold_lines(
    paragraphs: &[Paragraph],
    body: f64,
    levels_above: usize,
    kinds: &mut [BlockKind],
) -> bool {
    let body_text = paragraphs
        .iter()
        .filter(|p| half_points(p.size) == half_points(body))
        .map(styled);
    if bold_headings::body_is_bold(body_text) {
        return false;
    }
    let mut headings: Vec<BoldHeading> = paragraphs
        .windows(2)
        .enumerate()
        // A larger paragraph left a paragraph (the title, a long one) is not one of them; a
        // list item may be (a numbered heading is one by its text).
        .filter(|&(index, pair)| {
            matches!(kinds[index], BlockKind::Paragraph | BlockKind::ListItem)
                && !is_larger(pair[0].size, body)
                && pair[0].size >= body - BOLD_HEADING_SIZE_SLACK
                && bold_headings::is_bold_heading(
                    index
                        .checked_sub(1)
                        .map(|before| styled(&paragraphs[before])),
                    styled(&pair[0]),
                    styled(&pair[1]),
                )
        })
        .map(|(index, pair)| {
            // Sizes about the body's count as the body's.
            let size = if pair[0].size > body + BOLD_HEADING_SIZE_SLACK {
                half_points(pair[0].size)
            } else {
                half_points(body)
            };
            BoldHeading::new(index, size, &pair[0].text)
        })
        .collect();
    // A bold title line is the title, not a heading taking a level from the numbered ones;
    // a title the outline or size found stands already.
    let titled = levels_above == 0 && !kinds.contains(&BlockKind::Title);
    let title = if titled {
        bold_headings::take_title(&mut headings)
    } else {
        None
    };
    if let Some(title) = title {
        kinds[title] = BlockKind::Title;
    }
    for (index, level) in bold_headings::levels(&headings, levels_above) {
        kinds[index] = BlockKind::Heading(level);
    }
    title.is_some() || !headings.is_empty()
}

/// A paragraph as the bold-heading rule sees it.
fn styled(paragraph: &Paragraph) -> Styled<'_> {
    Styled {
        text: &paragraph.text,
        bold: paragraph.bold,
        list_item: paragraph.list_item,
        tabular: paragraph.tabular,
    }
}

/// How many paragraphs at the start are the title by their size (0 or 1): the title sets no
/// heading level.
fn title_lines(paragraphs: &[Paragraph], body: f64) -> usize {
    usize::from(
        paragraphs
            .first()
            .is_some_and(|first| is_title_size(paragraphs, first, body)),
    )
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
pub(super) mod tests {
    use super::*;

    fn paragraph(text: &str, page: u32, size: f64) -> Paragraph {
        Paragraph {
            text: text.into(),
            page,
            size,
            list_item: false,
            bold: 0.0,
            tabular: false,
            page_starts: Vec::new(),
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

    /// An outline that names only second-level headings, while the first-level ones are set
    /// larger still, is partial: the type sizes name the headings (new-user trial of stop 25,
    /// a PDF exported by LibreOffice Writer/Web). One that names every large line is kept, and
    /// so is its levels' order.
    #[test]
    fn r15_an_outline_that_leaves_out_larger_lines_gives_way_to_the_type_sizes() {
        let body = |text: &str, page| paragraph(text, page, 15.6);
        let document = vec![
            body(
                "Planen skal sikre at kommunen kan håndtere uønskede hendelser.",
                1,
            ),
            paragraph("2 Kriseledelse", 1, 31.2),
            body("Kriseledelsen består av ordfører og kommunedirektør.", 1),
            paragraph("2.1 Varsling", 1, 23.4),
            body(
                "Innbyggerne varsles med SMS-varsling til alle mobiltelefoner.",
                1,
            ),
            paragraph("3 Evakuering", 2, 31.2),
            body(
                "Evakuerte samles på skolen, som har nødstrøm for tre døgn.",
                2,
            ),
        ];
        let entry = |level, title: &str, page| OutlineEntry {
            level,
            title: title.into(),
            page,
        };
        let partial = [entry(1, "2.1 Varsling", 1)];
        let (found, known) = kinds(&document, &partial, Some("Beredskapsplan"));
        assert!(known);
        assert_eq!(found[1], BlockKind::Heading(1));
        assert_eq!(found[3], BlockKind::Heading(2));
        assert_eq!(found[5], BlockKind::Heading(1));
        let whole = [
            entry(1, "2 Kriseledelse", 1),
            entry(3, "2.1 Varsling", 1),
            entry(1, "3 Evakuering", 2),
        ];
        let (found, _) = kinds(&document, &whole, Some("Beredskapsplan"));
        assert_eq!(found[3], BlockKind::Heading(3), "the outline's own level");
        // An outline of headings in the body's size says nothing about larger lines.
        let mut flat = document.clone();
        flat[3].size = 15.6;
        let (found, _) = kinds(&flat, &partial, Some("Beredskapsplan"));
        assert_eq!(found[3], BlockKind::Heading(1));
        assert_eq!(found[1], BlockKind::Paragraph);
    }

    fn bold(mut paragraph: Paragraph) -> Paragraph {
        paragraph.bold = 1.0;
        paragraph
    }

    /// Body text in 12 pt around `middle`.
    fn around(middle: Vec<Paragraph>) -> Vec<Paragraph> {
        let body = "Kommunen skal bruke digitale løsninger for å gi innbyggerne bedre tjenester.";
        let mut paragraphs = vec![paragraph(body, 1, 12.0)];
        paragraphs.extend(middle);
        paragraphs.push(paragraph(body, 1, 12.0));
        paragraphs
    }

    #[test]
    fn r15_bold_lines_in_body_size_are_headings_a_level_below_larger_ones() {
        let mut paragraphs = document();
        paragraphs.insert(3, bold(paragraph("Digitale tjenester", 1, 12.0)));
        let (kinds, known) = kinds(&paragraphs, &[], None);
        assert!(known);
        assert_eq!(kinds[3], BlockKind::Heading(3), "{kinds:?}");
        // Without larger headings they are the top level, and they make the headings known.
        let paragraphs = around(vec![bold(paragraph("Digitale tjenester", 1, 12.0))]);
        let (alone, known) = super::kinds(&paragraphs, &[], None);
        assert!(known);
        assert_eq!(alone[1], BlockKind::Heading(1));
    }

    #[test]
    fn r15_bold_text_that_is_not_a_heading_stays_text() {
        let mut in_paragraph = paragraph("Kommunen skal kutte utslippene innen 2030", 1, 12.0);
        in_paragraph.bold = 0.4;
        let mut table_header = bold(paragraph("Tiltak Ansvar Frist", 1, 12.0));
        table_header.tabular = true;
        let mut list_item = bold(paragraph("- Utslippsfri bilpark", 1, 12.0));
        list_item.list_item = true;
        for not_heading in [
            in_paragraph,
            bold(paragraph("Merk:", 1, 12.0)),
            bold(paragraph("Fristen for innspill er 1. mai.", 1, 12.0)),
            table_header,
            list_item,
            bold(paragraph("Fotnote i liten skrift", 1, 9.0)),
            bold(paragraph("2026", 1, 12.0)),
            bold(paragraph("1 Innledning ........ 3", 1, 12.0)),
            bold(paragraph("3 Tiltak . . . . . . . . . 7", 1, 12.0)),
            bold(paragraph("6 Evaluering ____ 12", 1, 12.0)),
            bold(paragraph("5 Oppfølging ··· 11", 1, 12.0)),
            bold(paragraph("5 Oppfølging ………………11", 1, 12.0)),
            bold(paragraph("Vedlegg 1 Uttalelser ....... iv", 1, 12.0)),
        ] {
            let text = not_heading.text.clone();
            let (kinds, _) = kinds(&around(vec![not_heading]), &[], None);
            assert!(!matches!(kinds[1], BlockKind::Heading(_)), "{text}");
        }
        // A bold line that runs on in lower case is the start of its text.
        let runs_on = around(vec![
            bold(paragraph("Kommunen har som mål", 1, 12.0)),
            paragraph("å kutte utslippene innen 2030.", 1, 12.0),
        ]);
        assert!(!kinds(&runs_on, &[], None).1);
        // Nothing after it: not a heading.
        let last = vec![
            paragraph("Kommunen skal kutte utslippene innen 2030.", 1, 12.0),
            bold(paragraph("Digitale tjenester", 1, 12.0)),
        ];
        assert!(!kinds(&last, &[], None).1);
    }

    pub(in crate::ingest::pdf) const BODY: &str =
        "Kommunen skal bruke digitale tjenester for innbyggerne i hele fylket.";

    /// The headings the whole reader finds in a page of `lines` (font 0 Helvetica, 1
    /// Helvetica-Bold; size; text), set one below the other a paragraph's spacing apart.
    pub(in crate::ingest::pdf) fn pdf_headings(lines: &[(usize, f64, &str)]) -> Vec<(u8, String)> {
        pdf_headings_in(&["Helvetica", "Helvetica-Bold"], lines)
    }

    /// The headings the whole reader finds in lines set in `fonts`, as `pdf_headings`.
    pub(in crate::ingest::pdf) fn pdf_headings_in(
        fonts: &[&str],
        lines: &[(usize, f64, &str)],
    ) -> Vec<(u8, String)> {
        use crate::ingest::pdf::hostile::tests::lines_pdf;
        let mut y = 740.0;
        let placed: Vec<(usize, f64, f64, &str)> = lines
            .iter()
            .map(|&(font, size, text)| {
                y -= 2.0 * size;
                (font, size, y, text)
            })
            .collect();
        let pdf = lines_pdf(fonts, &placed);
        let extracted = crate::ingest::pdf::read(&pdf).unwrap();
        extracted
            .blocks
            .iter()
            .filter_map(|block| match block.kind {
                BlockKind::Heading(level) => Some((level, block.text.to_string())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn r15_contents_entries_with_any_leader_or_a_wide_gap_are_not_headings() {
        let wide_gap = format!("4 Okonomi{}9", " ".repeat(40));
        let headings = pdf_headings(&[
            (1, 11.0, "3 Tiltak . . . . . . . . . . . . . . . . 7"),
            (1, 11.0, "6 Evaluering ____________ 12"),
            (1, 11.0, "5 Oppfølging ··················· 11"),
            (1, 11.0, "5 Oppfølging ………………………… 11"),
            (1, 11.0, "Vedlegg 1 Uttalelser ......................... iv"),
            (1, 11.0, &wide_gap),
            (1, 11.0, "Innledning"),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
        ]);
        assert_eq!(headings, [(1, "Innledning".to_string())]);
    }

    #[test]
    fn r15_captions_are_not_headings_and_an_appendix_is() {
        let headings = pdf_headings(&[
            (1, 11.0, "Figur 3 Utslipp per sektor i tonn CO2"),
            (0, 11.0, BODY),
            (1, 11.0, "Tabell 2 Kostnader"),
            (0, 11.0, BODY),
            (1, 11.0, "Table 4.1 Costs per year"),
            (0, 11.0, BODY),
            (1, 11.0, "Kilde: SSB"),
            (0, 11.0, BODY),
            (1, 11.0, "Vedlegg 1 Uttalelser"),
            (0, 11.0, BODY),
            (1, 11.0, "Figurer og tabeller"),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
        ]);
        let texts: Vec<&str> = headings.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(texts, ["Vedlegg 1 Uttalelser", "Figurer og tabeller"]);
    }

    #[test]
    fn r15_bold_headings_rank_by_size_above_the_body_and_nest_by_their_numbers() {
        let headings = pdf_headings(&[
            (1, 12.0, "Avsnitt en"),
            (0, 11.0, BODY),
            (1, 11.0, "Underavsnitt A"),
            (0, 11.0, BODY),
            (1, 11.0, "3 Tiltak"),
            (0, 11.0, BODY),
            (1, 11.0, "3.1 Skole"),
            (0, 11.0, BODY),
            (1, 10.6, "Litt mindre fet"),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
            (0, 11.0, BODY),
        ]);
        let levels: Vec<(u8, &str)> = headings
            .iter()
            .map(|(level, text)| (*level, text.as_str()))
            .collect();
        assert_eq!(
            levels,
            [
                (1, "Avsnitt en"),
                (2, "Underavsnitt A"),
                (2, "3 Tiltak"),
                (3, "3.1 Skole"),
                (2, "Litt mindre fet")
            ]
        );
    }

    /// Session 25: a bold title line atop bold numbered headings (`1. Sammendrag`, a list
    /// item by its text) took level 1 and the numbered headings were lost. A list of bold
    /// numbered lines is still a list; a first bold heading with text under it stays a
    /// heading.
    #[test]
    fn r15_a_bold_title_line_is_the_title_and_bold_numbered_lines_are_headings() {
        let kinds_of = |paragraphs: &[Paragraph]| kinds(paragraphs, &[], None).0;
        let report = around(vec![
            bold(paragraph("Evaluering av hjemmetjenesten i Eikvik", 1, 12.0)),
            bold(paragraph("1. Sammendrag", 1, 12.0)),
            paragraph(
                "Rapporten evaluerer ordningen med hjemmetjenester.",
                1,
                12.0,
            ),
            bold(paragraph("2. Metode", 1, 12.0)),
        ]);
        let mut report = report[1..].to_vec();
        for numbered in [1, 3] {
            report[numbered].list_item = true;
        }
        assert_eq!(
            kinds_of(&report),
            [
                BlockKind::Title,
                BlockKind::Heading(1),
                BlockKind::Paragraph,
                BlockKind::Heading(1),
                BlockKind::Paragraph
            ]
        );
        let mut list = around(vec![
            bold(paragraph("1. Budsjett", 1, 12.0)),
            bold(paragraph("2. Regnskap", 1, 12.0)),
        ]);
        for item in &mut list[1..3] {
            item.list_item = true;
        }
        assert!(!kinds(&list, &[], None).1);
        let first_section = around(vec![bold(paragraph("Sammendrag", 1, 12.0))]);
        assert_eq!(kinds_of(&first_section[1..])[0], BlockKind::Heading(1));
    }

    #[test]
    fn r15_in_a_document_set_in_bold_bold_lines_are_not_headings() {
        let paragraphs: Vec<Paragraph> = around(vec![paragraph("Digitale tjenester", 1, 12.0)])
            .into_iter()
            .map(bold)
            .collect();
        assert!(!kinds(&paragraphs, &[], None).1);
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
