//! Unwrapping: hard-wrapped lines joined into paragraphs, words hyphenated at a line end
//! rejoined, and paragraphs cut by a page break (often with a page number) made whole again.

use super::lines::{Line, LineText};
use super::words::has_words;
use super::DroppedPageNumber;

/// Words that follow a suspended compound (`lov- og avtaleverk`): the hyphen stays.
const AFTER_SUSPENDED_HYPHEN: [&str; 8] =
    ["og", "eller", "samt", "til", "som", "men", "enn", "and"];

const SOFT_HYPHEN: char = '\u{00AD}';

/// Share of the wrap width a line plus the next line's first word must exceed to count as
/// wrapped: OCR of proportional type gives lines of uneven character counts.
const WRAPPED_SHARE: f64 = 0.85;

/// Joins the raw lines (blank lines counted, not kept: `split_lines`) into logical lines;
/// returns them and the dropped page numbers.
///
/// Each step works in place, in the one list of lines (issue 6: a copy of the list per step
/// cost a million-line file several times its size).
pub(crate) fn unwrap(mut lines: Vec<Line<'_>>) -> (Vec<Line<'_>>, Vec<DroppedPageNumber>) {
    // The room reserved for blank lines is given back: it would be held while the document
    // is indexed.
    lines.shrink_to_fit();
    let width = wrap_width(&lines);
    join_wrapped(&mut lines, width);
    let dropped = join_page_breaks(&mut lines);
    (lines, dropped)
}

/// Whether a line opens a list item: dashes and bullets (with the OCR bullets `e ` and `¢ `
/// of scanned text), `1)`, `1.`, `a)`.
pub(crate) fn is_list_item(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    if matches!(
        first,
        '-' | '–' | '—' | '*' | '•' | '·' | '▪' | '◦' | '●' | '¢' | '■' | '►'
    ) {
        return rest.is_empty() || rest.starts_with(char::is_whitespace);
    }
    if first == 'e' {
        // OCR reads a round bullet as `e`; no Nordic sentence starts with a lone `e` followed
        // by a capital.
        let mut after = rest.chars();
        return after.next() == Some(' ') && after.next().is_some_and(char::is_uppercase);
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let marker_at = if (1..=2).contains(&digits) {
        digits
    } else if first.is_ascii_lowercase() {
        1
    } else {
        return false;
    };
    let after_marker = &text[marker_at..];
    let is_paren = after_marker.starts_with(')');
    let is_dot = after_marker.starts_with('.') && digits > 0;
    (is_paren || is_dot) && after_marker[1..].starts_with(' ')
}

/// The width a hard-wrapped text was wrapped at, in characters, or `None` when the text is
/// not hard-wrapped: wrapping shows as several lines that end mid-sentence and continue on
/// the next line in lower case.
fn wrap_width(lines: &[Line<'_>]) -> Option<usize> {
    let mut continued_lengths = Vec::new();
    let mut evidence = 0;
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.blanks_before() > 0 || is_list_item(&b.text) {
            continue;
        }
        continued_lengths.push(a.text.chars().count());
        let mid_sentence = !a.text.ends_with(['.', '!', '?', ':', ';']);
        if mid_sentence && b.text.starts_with(char::is_lowercase) {
            evidence += 1;
        }
    }
    if evidence < 3 {
        return None;
    }
    continued_lengths.sort_unstable();
    let width = continued_lengths[(continued_lengths.len() - 1) * 9 / 10];
    (40..=200).contains(&width).then_some(width)
}

/// Joins each line that was wrapped (the next line's first word would have fitted on it had
/// the break been deliberate) with the line after it.
fn join_wrapped(lines: &mut Vec<Line<'_>>, width: Option<usize>) {
    let Some(width) = width else {
        return;
    };
    let threshold = (width as f64 * WRAPPED_SHARE) as usize;
    // `lines[..kept]` are the joined lines so far; each line read is taken from a later slot.
    let mut kept = 0;
    for read in 0..lines.len() {
        let line = std::mem::take(&mut lines[read]);
        let wrapped = kept > 0 && line.blanks_before() == 0 && !is_list_item(&line.text) && {
            let last_row = last_row_chars(&lines[kept - 1]);
            let first_word = line.text.split_whitespace().next().unwrap_or("");
            last_row + 1 + first_word.chars().count() > threshold
        };
        if wrapped {
            join_across_wrap(&mut lines[kept - 1], &line);
        } else {
            lines[kept] = line;
            kept += 1;
        }
    }
    lines.truncate(kept);
}

/// Length in characters of the last source row of a logical line.
fn last_row_chars(line: &Line<'_>) -> usize {
    let start = line.anchors().last().map_or(0, |a| a.offset);
    line.text[start..].chars().count()
}

/// Appends a continuation (after a wrap or a page break), rejoining a word hyphenated
/// across the break.
fn join_across_wrap(previous: &mut Line<'_>, next: &Line<'_>) {
    let (drop, separator) = join_at_wrap(&previous.text, &next.text);
    previous.append(next, separator, drop);
}

/// How a line wrapped (or broken by a page) before `next` joins it: the bytes to cut off
/// its end and the separator. A word hyphenated across the break is one word again (`sam-` +
/// `funn` = `samfunn`), a suspended compound keeps its hyphen (`lov- og avtaleverk`). The
/// PDF reader joins a page's lines by the same rule (issue 15).
pub(crate) fn join_at_wrap(previous: &str, next: &str) -> (usize, &'static str) {
    if previous.ends_with(SOFT_HYPHEN) {
        // A soft hyphen marks where a word was broken: always one word.
        return (SOFT_HYPHEN.len_utf8(), "");
    }
    let before_hyphen = previous
        .strip_suffix(['-', '\u{2010}'])
        .and_then(|head| head.chars().last());
    let next_starts_lower = next.starts_with(char::is_lowercase);
    match before_hyphen {
        Some(c) if c.is_lowercase() && next_starts_lower => {
            let hyphen = previous.chars().last().map_or(1, char::len_utf8);
            let next_first_word = next
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            if AFTER_SUSPENDED_HYPHEN.contains(&next_first_word.as_str()) {
                (0, " ") // `lov- og avtaleverk`
            } else {
                (hyphen, "") // `sam-` + `funn` = `samfunn`
            }
        }
        Some(c) if c.is_alphanumeric() => (0, ""), // `OU-` + `godkjenning`
        _ => (0, " "),
    }
}

/// A bare page number at the end of a line: its byte offset in the line's text.
fn trailing_page_number(text: &str) -> Option<usize> {
    let head = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = text.len() - head.len();
    let head = head.strip_suffix(' ')?;
    let number = &text[head.len() + 1..];
    let plausible = (1..=3).contains(&digits) && !number.starts_with('0');
    let after_word = head.ends_with(|c: char| c.is_alphabetic() || ",.;!?»)\"".contains(c));
    (plausible && after_word && has_words(head, 8)).then_some(head.len() + 1)
}

/// Most words of a first line taken for the title (the bundled corpus's longest title has 9).
const MAX_TITLE_WORDS: usize = 12;

/// Whether a first line may be a title: a few words, the last not a short lowercase word
/// (`… i viktige målgrupper om` is a sentence a page break cut, not a title).
fn is_title_shaped(text: &str) -> bool {
    let last = text.split_whitespace().next_back().unwrap_or("");
    let dangling = last.chars().count() <= 3 && last.chars().all(char::is_lowercase);
    !dangling && !has_words(text, MAX_TITLE_WORDS + 1)
}

/// Rejoins paragraphs split by a page break, and drops the page numbers left at a page's end.
fn join_page_breaks(lines: &mut Vec<Line<'_>>) -> Vec<DroppedPageNumber> {
    let mut dropped = Vec::new();
    // `lines[..kept]` are done; `lines[read..]` are still to be read.
    let mut kept = 0;
    let mut read = 0;
    while read < lines.len() {
        let mut line = std::mem::take(&mut lines[read]);
        read += 1;
        // The file's first line, short and a blank line under it, is its title: no page ends
        // there (the break trial of session 27: `Rapport om skolen` took in the lowercase
        // paragraph after it, and that paragraph's passage was hidden as the title's). A long
        // first line is a paragraph, which a page break may cut.
        let mut title = kept == 0 && is_title_shaped(&line.text);
        loop {
            let next = lines.get(read);
            if title && next.is_some_and(|next| next.blanks_before() > 0) {
                break;
            }
            title = false;
            let number_at = trailing_page_number(&line.text);
            let head = &line.text[..number_at.map_or(line.text.len(), |at| at - 1)];
            let continues = next.is_some_and(|next| {
                next.text.starts_with(char::is_lowercase) && !is_list_item(&next.text)
            });
            let mid_sentence = !head.ends_with(['.', '!', '?', ':', ';']);
            let sentence_done = head.ends_with(['.', '!', '?']) && has_words(head, 20);
            // A page ends where a blank line (or the file) follows; a number before a plain
            // line break belongs to the text.
            let page_ends = next.is_none_or(|next| next.blanks_before() > 0);
            let is_page_number = page_ends && ((continues && mid_sentence) || sentence_done);
            if let Some(at) = number_at.filter(|_| is_page_number) {
                dropped.push(drop_number(&mut line, at));
            }
            if continues && mid_sentence {
                let next = std::mem::take(&mut lines[read]);
                read += 1;
                join_across_wrap(&mut line, &next);
            } else {
                break;
            }
        }
        lines[kept] = line;
        kept += 1;
    }
    lines.truncate(kept);
    dropped
}

/// Removes the page number starting at byte `at` (and the space before it) from a line.
fn drop_number(line: &mut Line<'_>, at: usize) -> DroppedPageNumber {
    let (source_line, source_offset) = line.locate(at);
    let number = line.text[at..].to_string();
    let range = source_offset..source_offset + number.len();
    truncate_text(line, at - 1);
    DroppedPageNumber {
        line: source_line,
        range,
        number,
    }
}

/// Cuts a line's text at byte `len`; a borrowed text is cut without a copy.
fn truncate_text(line: &mut Line<'_>, len: usize) {
    match &mut line.text {
        LineText::Borrowed(text) => *text = &text[..len],
        LineText::Owned(text) => text.truncate(len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::lines::split_lines;

    fn unwrapped(text: &str) -> (Vec<String>, Vec<DroppedPageNumber>) {
        let (lines, dropped) = unwrap(split_lines(text));
        (
            lines.into_iter().map(|l| l.text.into_owned()).collect(),
            dropped,
        )
    }

    const WRAPPED: &str = "\
KOMDIR er et forum for kommunale topchefer, som gnsker en kvalificeret platform for dialog
og videndeling om det overordnede og tvaergaende strategiske lederskab samt om den
kommunale topleders udvikling, udfordringer og faglighed.

KOMDIR gnsker at optraede som en konstruktiv meningsdanner, der deltager i den offentlige
debat om kommunernes rolle og udviklingen af den danske velfaerdsmodel med udgangspunkt
i topchefens position.
";

    #[test]
    fn r15_a_lowercase_paragraph_under_the_title_is_its_own() {
        let (lines, _) =
            unwrapped("Rapport om skolen\n\nelevene trives godt i år.\n\nLærerne er fornøyde.\n");
        assert_eq!(
            lines,
            [
                "Rapport om skolen",
                "elevene trives godt i år.",
                "Lærerne er fornøyde."
            ]
        );
        // A page break further on still joins its sentence.
        let (lines, _) =
            unwrapped("Rapport\n\nKommunen skal sikre at\n\nelevene trives godt i år.\n");
        assert_eq!(
            lines,
            [
                "Rapport",
                "Kommunen skal sikre at elevene trives godt i år."
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let (lines, _) = unwrapped(WRAPPED);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("KOMDIR er et forum"));
        assert!(lines[0].contains("for dialog og videndeling"));
        assert!(lines[0].ends_with("faglighed."));
    }

    #[test]
    fn short_line_before_body_is_a_deliberate_break() {
        let text = format!(
            "{WRAPPED}\nFokusomrade 1: Udvikling af den borgernzere velfaerd og frisaettelse\n\
             KOMDIR arbejder for at udvikle den borgernaere velfzerd, sa den giver mest mulig vaerdi for\n\
             borgerne, politikere og medarbejdere.\n"
        );
        let (lines, _) = unwrapped(&text);
        assert_eq!(
            lines[2],
            "Fokusomrade 1: Udvikling af den borgernzere velfaerd og frisaettelse"
        );
        assert!(lines[3].ends_with("vaerdi for borgerne, politikere og medarbejdere."));
    }

    #[test]
    fn hyphenated_word_is_rejoined_but_suspended_hyphen_stays() {
        let text = format!(
            "{WRAPPED}\nDet er et vigtigt arbejde som styrker den lokale og den regionale sam-\n\
             funnsudvikling, og som sikrer at hindringer i det nationale lov-\n\
             og avtaleverk reduseres over tid for alle kommuner og regioner.\n"
        );
        let (lines, _) = unwrapped(&text);
        assert!(
            lines[2].contains("regionale samfunnsudvikling"),
            "{}",
            lines[2]
        );
        assert!(lines[2].contains("lov- og avtaleverk"), "{}", lines[2]);
    }

    #[test]
    fn list_items_are_not_joined() {
        let text = format!("{WRAPPED}\n1) Udvikling af den borgernaere velfaerd og friseettelse\n2) Faerre ressourcer til flere og mere komplekse opgaver\n");
        let (lines, _) = unwrapped(&text);
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn unwrapped_text_is_left_alone() {
        let (lines, _) =
            unwrapped("Like dokumenter\nSak nr. Behandles av: Møtedato Landsstyret\n\nMål\n");
        assert_eq!(
            lines,
            [
                "Like dokumenter",
                "Sak nr. Behandles av: Møtedato Landsstyret",
                "Mål"
            ]
        );
    }

    #[test]
    fn page_break_with_number_is_rejoined() {
        let text = "Et forsterket regionalt folkestyre med nødvendige virkemidler til å ta et regionalt lederskap 2\n\n\
                    og utvikle regionen med utgangspunkt i regionale fortrinn.\n";
        let (lines, dropped) = unwrapped(text);
        assert_eq!(
            lines,
            ["Et forsterket regionalt folkestyre med nødvendige virkemidler til å ta et regionalt lederskap og utvikle regionen med utgangspunkt i regionale fortrinn."]
        );
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].number, "2");
        assert_eq!(dropped[0].line, 1);
        assert_eq!(&text[dropped[0].range.clone()], "2");
    }

    #[test]
    fn a_number_before_a_plain_line_break_is_text() {
        let text = "Kommunestyret vedtok budsjettet for neste år med stemmer fra alle partier unntatt 3\nrepresentanter fra opposisjonen.";
        let (lines, dropped) = unwrapped(text);
        assert!(lines[0].contains("unntatt 3 representanter"), "{lines:?}");
        assert!(dropped.is_empty());
    }

    #[test]
    fn soft_hyphen_at_a_line_end_joins_the_word() {
        let text = format!("{WRAPPED}\nDet er et vigtigt arbejde som styrker den lokale og den regionale sam\u{AD}\nfunnsudvikling i hele landet, og som sikrer at hindringer i det nationale lov-\nog avtaleverk reduseres over tid for alle kommuner og regioner.\n");
        let (lines, _) = unwrapped(&text);
        assert!(
            lines[2].contains("regionale samfunnsudvikling"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn page_break_without_number_is_rejoined() {
        let text = "KS skal styrke kunnskapen i viktige målgrupper om\n\ndenne sammenhengen, og om kommunenes betydning.\n\nNeste avsnitt.";
        let (lines, dropped) = unwrapped(text);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("målgrupper om denne sammenhengen"));
        assert!(dropped.is_empty());
    }

    #[test]
    fn page_number_after_a_finished_sentence_is_dropped() {
        let text = "Ha god medlemsforankring og godt samarbeid med arbeidstakerorganisasjonene for å utvikle og fremforhandle tariffavtalene i hele perioden som kommer nå. 4\n\nDokumentere kommunesektorens utfordringer.";
        let (lines, dropped) = unwrapped(text);
        assert!(lines[0].ends_with("kommer nå."));
        assert_eq!(lines[1], "Dokumentere kommunesektorens utfordringer.");
        assert_eq!(dropped[0].number, "4");
    }

    #[test]
    fn numbers_that_belong_to_the_text_stay() {
        let (lines, dropped) = unwrapped("Strategiprogram 2025 – 2026\n\nVedtatt på Landsmøte 5. september 2024\n\nFase 2\n\nog mer.");
        assert_eq!(lines[0], "Strategiprogram 2025 – 2026");
        assert!(lines[1].ends_with("2024"));
        assert!(dropped.is_empty());
    }

    #[test]
    fn list_markers() {
        for item in [
            "- Sterkt lokaldemokrati",
            "• Mål",
            "1) Udvikling",
            "2. Feerre ressourcer",
            "e Hvordan lykkedes vi",
            "¢ Hvordan",
            "-",
            "a) første",
        ] {
            assert!(is_list_item(item), "{item}");
        }
        for text in [
            "e-post er nyttig",
            "Egen tekst",
            "2024 var et år",
            "-nei",
            "4.1 Tverrgående satsinger",
        ] {
            assert!(!is_list_item(text), "{text}");
        }
    }
}
