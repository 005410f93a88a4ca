//! The default terminal view: per hit, its rank and `source:line` (the line of the first
//! matched word, as `--format vimgrep` gives it), `title › heading`, and the snippet, set off
//! by a bar, with the matched words highlighted when colour is on. Both wrap to the width.
//! The score is left to JSON: its number tells a reader nothing (issue 19).

use super::printable;
use crate::search::{Explain, SearchHit};
use std::io::{self, Write};

const RESET: &str = "\x1b[0m";
const DIM: &str = "\x1b[2m";
const PATH: &str = "\x1b[35m";
const LINE: &str = "\x1b[32m";
const MATCH: &str = "\x1b[1;31m";
const HEADING: &str = "\x1b[1m";

/// Indent of the title and snippet lines under a hit's first line.
const INDENT: &str = "    ";
/// What sets each snippet line off from the heading above it (issue 19: a wrapped heading ran
/// into the snippet).
const SNIPPET_BAR: &str = "│ ";
/// Narrower than this, wrapping would leave a word or two per line: the snippet is not
/// wrapped then.
const MIN_WRAP_COLUMNS: usize = 30;

#[cfg(test)]
/// Writes `hits` for a reader; `color` adds ANSI styles (the CLI decides: a terminal, and
/// `NO_COLOR` unset).
pub(crate) fn write_pretty(out: &mut dyn Write, hits: &[SearchHit], color: bool) -> io::Result<()> {
    write_pretty_wrapped(out, hits, color, None)
}

/// As `write_pretty`, wrapping each snippet at white space to fit `width` columns (issue 7:
/// the terminal's width; `None` when piped).
pub(crate) fn write_pretty_wrapped(
    out: &mut dyn Write,
    hits: &[SearchHit],
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    for (index, hit) in hits.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        write_hit(out, hit, color, width)?;
    }
    out.flush()
}

/// Where the first matched word stands: `:line`, or ` p. N` for a paged format (issue 15: a
/// line of the text taken out of a PDF means nothing to a reader holding the PDF).
fn place(hit: &SearchHit, line: u64, line_style: &str) -> String {
    match hit.match_page() {
        Some(page) => format!(" {line_style}p. {page}"),
        None => format!(":{line_style}{line}"),
    }
}

fn write_hit(
    out: &mut dyn Write,
    hit: &SearchHit,
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    let style = |code: &'static str| if color { code } else { "" };
    let reset = style(RESET);
    let (line, _) = hit.match_place();
    writeln!(
        out,
        "{dim}{rank:>2}.{reset} {path}{source}{reset}{place}{reset}",
        dim = style(DIM),
        rank = hit.rank,
        path = style(PATH),
        source = printable(&hit.passage.source),
        place = place(hit, line, style(LINE)),
    )?;
    let columns = |prefix: &str| {
        width
            .map(|width| width.saturating_sub(prefix.chars().count()))
            .filter(|&columns| columns >= MIN_WRAP_COLUMNS)
    };
    let heading = printable(&title_and_heading(hit)).into_owned();
    for range in wrapped(&heading, columns(INDENT)) {
        writeln!(out, "{INDENT}{}{}{reset}", style(HEADING), &heading[range])?;
    }
    let snippet = printable(&heading_set_apart(&hit.snippet, &hit.passage.heading)).into_owned();
    let bar = format!("{INDENT}{}", SNIPPET_BAR);
    for range in wrapped(&snippet, columns(&bar)) {
        let highlights = highlights_within(&hit.highlights, range.clone());
        let text = &snippet[range];
        writeln!(
            out,
            "{dim}{bar}{reset}{}",
            highlighted(text, &highlights, color),
            dim = style(DIM)
        )?;
    }
    write_explain_if_any(out, hit, style(DIM), reset)
}

/// The lines of `text`: wrapped to `columns` when given, else as its line breaks cut it.
fn wrapped(text: &str, columns: Option<usize>) -> Vec<std::ops::Range<usize>> {
    match columns {
        Some(columns) => wrap(text, columns),
        None => {
            let mut start = 0;
            text.split('\n')
                .map(|line| {
                    let range = start..start + line.len();
                    start = range.end + 1;
                    range
                })
                .collect()
        }
    }
}

/// The snippet of a passage that opens with its heading, with a line break after the heading
/// so that the heading and the text do not run together (issue 19). The break takes the
/// place of one space, so the highlights' byte ranges still hold.
fn heading_set_apart(snippet: &str, heading: &str) -> String {
    let mut text = snippet.to_string();
    if heading.is_empty() {
        return text;
    }
    if let Some(rest) = snippet.strip_prefix(heading) {
        if rest.starts_with(' ') && rest.len() > 1 {
            text.replace_range(heading.len()..heading.len() + 1, "\n");
        }
    }
    text
}

fn write_explain_if_any(
    out: &mut dyn Write,
    hit: &SearchHit,
    dim: &str,
    reset: &str,
) -> io::Result<()> {
    match &hit.explain {
        Some(explain) => write_explain(out, explain, dim, reset),
        None => Ok(()),
    }
}

/// `--explain`: one line per query word, then the score's parts.
fn write_explain(out: &mut dyn Write, explain: &Explain, dim: &str, reset: &str) -> io::Result<()> {
    for word in &explain.words {
        let common = match (word.common, word.function_word) {
            (true, _) => " (common)",
            (false, true) => " (function word)",
            (false, false) => "",
        };
        match &word.found {
            Some(found) => writeln!(
                out,
                "    {dim}{:<18} {:<9} in {:<7} as \"{}\"{common}{reset}",
                word.word,
                found.form.name(),
                found.field.name(),
                found.matched
            )?,
            None => writeln!(out, "    {dim}{:<18} not found{common}{reset}", word.word)?,
        }
    }
    writeln!(
        out,
        "    {dim}words {}/{} · {} · forms {}/{} · {} in heading · {} · bm25 {:.2}{reset}",
        explain.covered,
        explain.of_words,
        explain.proximity.name(),
        explain.quality,
        4 * explain.of_words,
        explain.heading_words,
        if explain.boilerplate {
            "boilerplate"
        } else {
            "content"
        },
        explain.bm25,
    )?;
    if let Some(lang) = explain.query_lang {
        let whether = if explain.in_query_lang { "" } else { "not " };
        writeln!(
            out,
            "    {dim}query written in {lang}: the passage is {whether}in it{reset}"
        )?;
    }
    match explain.capped {
        Some(cap) => writeln!(
            out,
            "    {dim}held back: its {} has more hits above{reset}",
            cap.name()
        ),
        None => Ok(()),
    }
}

/// Byte ranges of the lines of `text` wrapped at white space to at most `columns`
/// characters; a word longer than a line gets a line of its own, unbroken. Line breaks in the
/// text are kept.
fn wrap(text: &str, columns: usize) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut paragraph_start = 0;
    for paragraph in text.split('\n') {
        let mut line: Option<std::ops::Range<usize>> = None;
        let mut line_chars = 0;
        for (offset, word) in word_offsets(paragraph) {
            let start = paragraph_start + offset;
            let word_chars = word.chars().count();
            match &mut line {
                Some(current) if line_chars + 1 + word_chars <= columns => {
                    current.end = start + word.len();
                    line_chars += 1 + word_chars;
                }
                _ => {
                    lines.extend(line.take());
                    line = Some(start..start + word.len());
                    line_chars = word_chars;
                }
            }
        }
        lines.push(line.unwrap_or(paragraph_start..paragraph_start));
        paragraph_start += paragraph.len() + 1;
    }
    lines
}

/// The words of `text` (runs of non-white-space) with their byte offsets.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(begin)) => {
                words.push((begin, &text[begin..index]));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(begin) = start {
        words.push((begin, &text[begin..]));
    }
    words
}

/// The highlights inside `line`, relative to its start (a highlight never spans lines: it
/// marks one word).
fn highlights_within(highlights: &[[usize; 2]], line: std::ops::Range<usize>) -> Vec<[usize; 2]> {
    highlights
        .iter()
        .filter(|&&[start, end]| start >= line.start && end <= line.end)
        .map(|&[start, end]| [start - line.start, end - line.start])
        .collect()
}

/// `title › heading`, or the title alone where the heading is the title.
fn title_and_heading(hit: &SearchHit) -> String {
    let passage = &hit.passage;
    if passage.heading.is_empty() || passage.heading == passage.title {
        passage.title.clone()
    } else {
        format!("{} › {}", passage.title, passage.heading)
    }
}

/// The snippet with each highlight wrapped in colour; ranges that overlap, run backwards or
/// fall off char boundaries are ignored rather than trusted.
fn highlighted(snippet: &str, highlights: &[[usize; 2]], color: bool) -> String {
    if !color {
        return snippet.to_string();
    }
    let mut out = String::with_capacity(snippet.len() + highlights.len() * 12);
    let mut cursor = 0;
    for &[start, end] in highlights {
        let valid = cursor <= start
            && start < end
            && end <= snippet.len()
            && snippet.is_char_boundary(start)
            && snippet.is_char_boundary(end);
        if !valid {
            continue;
        }
        out.push_str(&snippet[cursor..start]);
        out.push_str(MATCH);
        out.push_str(&snippet[start..end]);
        out.push_str(RESET);
        cursor = end;
    }
    out.push_str(&snippet[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;

    #[test]
    fn r19_plain_view_has_rank_place_heading_and_the_snippet_set_off_but_no_score() {
        let mut out = Vec::new();
        write_pretty(&mut out, &[sample_hit()], false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            " 1. corpus/002_kl.txt:6\n    Kommunernes Landsforening › Civilsamfund\n    │ \
             Et stærkt civilsamfund og frivillige medarbejdere.\n"
        );
        assert!(!text.contains('\x1b'));
        assert!(!text.contains("12.5"), "no score: {text}");
    }

    #[test]
    fn r19_the_heading_wraps_and_a_snippet_that_opens_with_it_breaks_after_it() {
        let mut hit = sample_hit();
        hit.passage.heading =
            "KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring".to_string();
        hit.snippet = format!("{} Lokalt handlingsrom er avgjørende.", hit.passage.heading);
        let start = hit.snippet.rfind("handlingsrom").unwrap();
        hit.highlights = vec![[start, start + "handlingsrom".len()]];
        let mut out = Vec::new();
        write_pretty_wrapped(&mut out, &[hit.clone()], false, Some(60)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "    Kommunernes Landsforening › KS skal fremme lokalt",
                "    handlingsrom og redusert statlig detaljstyring",
                "    │ KS skal fremme lokalt handlingsrom og redusert statlig",
                "    │ detaljstyring",
                "    │ Lokalt handlingsrom er avgjørende.",
            ]
        );
        assert!(lines.iter().all(|line| line.chars().count() <= 60));
        let mut out = Vec::new();
        write_pretty_wrapped(&mut out, &[hit], true, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(&format!("Lokalt {MATCH}handlingsrom{RESET} er")),
            "{text:?}"
        );
    }

    #[test]
    fn colour_wraps_the_matched_words() {
        let mut out = Vec::new();
        write_pretty(&mut out, &[sample_hit()], true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(&format!("{MATCH}civilsamfund{RESET}")),
            "{text:?}"
        );
    }

    #[test]
    fn snippets_wrap_at_white_space_and_keep_their_highlights() {
        let mut hit = sample_hit();
        hit.snippet = "Kommunerne skal møde civilsamfundet og de frivillige med tillid og \
                       respekt for deres egen organisering."
            .to_string();
        let start = hit.snippet.find("civilsamfundet").unwrap();
        hit.highlights = vec![[start, start + "civilsamfundet".len()]];
        let mut out = Vec::new();
        write_pretty_wrapped(&mut out, &[hit.clone()], false, Some(40)).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The heading wraps to two lines at this width.
        let snippet_lines: Vec<&str> = text.lines().skip(3).collect();
        assert_eq!(
            snippet_lines,
            [
                "    │ Kommunerne skal møde",
                "    │ civilsamfundet og de frivillige",
                "    │ med tillid og respekt for deres",
                "    │ egen organisering.",
            ]
        );
        assert!(snippet_lines.iter().all(|line| line.chars().count() <= 40));
        let mut out = Vec::new();
        write_pretty_wrapped(&mut out, &[hit], true, Some(40)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(&format!("{MATCH}civilsamfundet{RESET} og de")),
            "{text:?}"
        );
    }

    #[test]
    fn a_word_longer_than_the_line_stands_alone_and_narrow_widths_do_not_wrap() {
        let long = "Sammenhengende-tjenesteutviklingsprogrammet";
        let text = format!("Et {long} nu");
        let lines: Vec<&str> = wrap(&text, 30).into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, ["Et", long, "nu"]);
        let mut out = Vec::new();
        write_pretty_wrapped(&mut out, &[sample_hit()], false, Some(20)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
    }

    #[test]
    fn bad_highlights_are_ignored_not_a_panic() {
        let snippet = "Velfærd i kommunerne";
        let shown = highlighted(snippet, &[[4, 5], [0, 99], [12, 10], [0, 8]], true);
        assert_eq!(shown, format!("{MATCH}Velfærd{RESET} i kommunerne"));
    }
}
