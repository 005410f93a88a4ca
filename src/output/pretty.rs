//! The default terminal view: per hit, rank and score, `source:line`, `title › heading`, and
//! the snippet with the matched words highlighted when colour is on.

use super::schema::{Hit, HitExplain};
use std::io::{self, Write};

const RESET: &str = "\x1b[0m";
const DIM: &str = "\x1b[2m";
const PATH: &str = "\x1b[35m";
const LINE: &str = "\x1b[32m";
const MATCH: &str = "\x1b[1;31m";

/// Writes `hits` for a reader; `color` adds ANSI styles (the CLI decides: a terminal, and
/// `NO_COLOR` unset).
pub fn write_pretty(out: &mut dyn Write, hits: &[Hit], color: bool) -> io::Result<()> {
    for (index, hit) in hits.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        write_hit(out, hit, color)?;
    }
    out.flush()
}

fn write_hit(out: &mut dyn Write, hit: &Hit, color: bool) -> io::Result<()> {
    let style = |code: &'static str| if color { code } else { "" };
    let reset = style(RESET);
    writeln!(
        out,
        "{dim}{rank:>2}. [{score:.2}]{reset} {path}{source}{reset}:{line}{number}{reset}",
        dim = style(DIM),
        rank = hit.rank,
        score = hit.score,
        path = style(PATH),
        source = hit.source,
        line = style(LINE),
        number = hit.line,
    )?;
    writeln!(out, "    {}", title_and_heading(hit))?;
    writeln!(
        out,
        "    {}",
        highlighted(&hit.snippet, &hit.highlights, color)
    )?;
    if let Some(explain) = &hit.explain {
        write_explain(out, explain, style(DIM), reset)?;
    }
    Ok(())
}

/// `--explain`: one line per query word, then the score's parts.
fn write_explain(
    out: &mut dyn Write,
    explain: &HitExplain,
    dim: &str,
    reset: &str,
) -> io::Result<()> {
    for word in &explain.words {
        match (&word.form, &word.field, &word.matched) {
            (Some(form), Some(field), Some(matched)) => writeln!(
                out,
                "    {dim}{:<18} {form:<9} in {field:<7} as \"{matched}\"{reset}",
                word.word
            )?,
            _ => writeln!(out, "    {dim}{:<18} not found{reset}", word.word)?,
        }
    }
    writeln!(
        out,
        "    {dim}words {}/{} · {} · forms {}/{} · {} in heading · {} · bm25 {:.2}{reset}",
        explain.covered,
        explain.of_words,
        explain.proximity,
        explain.quality,
        3 * explain.of_words,
        explain.heading_words,
        if explain.boilerplate {
            "boilerplate"
        } else {
            "content"
        },
        explain.bm25,
    )
}

/// `title › heading`, or the title alone where the heading is the title.
fn title_and_heading(hit: &Hit) -> String {
    if hit.heading.is_empty() || hit.heading == hit.title {
        hit.title.clone()
    } else {
        format!("{} › {}", hit.title, hit.heading)
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
    fn plain_view_has_rank_score_place_heading_and_snippet() {
        let mut out = Vec::new();
        write_pretty(&mut out, &[sample_hit()], false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            " 1. [12.50] corpus/002_kl.txt:6\n    Kommunernes Landsforening › Civilsamfund\n    \
             Et stærkt civilsamfund og frivillige medarbejdere.\n"
        );
        assert!(!text.contains('\x1b'));
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
    fn bad_highlights_are_ignored_not_a_panic() {
        let snippet = "Velfærd i kommunerne";
        let shown = highlighted(snippet, &[[4, 5], [0, 99], [12, 10], [0, 8]], true);
        assert_eq!(shown, format!("{MATCH}Velfærd{RESET} i kommunerne"));
    }
}
