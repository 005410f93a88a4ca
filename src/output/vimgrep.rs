//! `--format vimgrep`: `source:line:column:snippet` per hit, the format of `rg --vimgrep`,
//! which Vim's quickfix (`:cexpr`, `-q`), Emacs' grep mode and editors' "go to" read
//! (issue 7).
//!
//! The index knows where a passage starts (its first line), not where the matched word is, and
//! the passage text is normalized (hard-wrapped lines joined), so the place is found in the
//! source file: from the passage's first words, the first matched word after them.

use crate::search::SearchHit;
use std::collections::HashMap;
use std::io::{self, Write};

/// Reads a source file as hits name it; `None` when it cannot be read as UTF-8.
pub type SourceReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Bytes searched past the passage start for its first match: the passage's own length, with
/// room for the line breaks and hyphens normalization removed.
const SLACK_BYTES: usize = 512;

/// Writes one line per hit. Each source is read once.
pub fn write_vimgrep(
    out: &mut dyn Write,
    hits: &[SearchHit],
    read: SourceReader<'_>,
) -> io::Result<()> {
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    for hit in hits {
        let source = hit.passage.source.as_str();
        let text = sources.entry(source).or_insert_with(|| read(source));
        let (line, column) = match text {
            Some(text) => locate(text, hit),
            None => (hit.passage.line, 1),
        };
        writeln!(out, "{}:{line}:{column}:{}", source, one_line(&hit.snippet))?;
    }
    out.flush()
}

/// The snippet on one line: every run of white space (line breaks included) is one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The 1-based line and 1-based byte column (as ripgrep and Vim count) of the hit's first
/// matched word in `source`, else of the passage's start, else of its line.
pub fn locate(source: &str, hit: &SearchHit) -> (u64, u64) {
    // Editors do not count a byte-order mark as a column.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let passage = &hit.passage;
    let Some(line_start) = line_offset(source, passage.line) else {
        return (passage.line, 1);
    };
    let passage_start = line_start + passage_offset_in_line(source, line_start, &passage.text);
    let window_end = floor_char_boundary(source, passage_start + passage.text.len() + SLACK_BYTES);
    let window = &source[passage_start..window_end];
    let first_match = matched_words(hit)
        .filter_map(|word| find_word(window, word))
        .min();
    let place = passage_start + first_match.unwrap_or(0);
    position(source, place)
}

/// The words the highlights mark in the snippet.
fn matched_words(hit: &SearchHit) -> impl Iterator<Item = &str> {
    hit.highlights
        .iter()
        .filter_map(|&[start, end]| hit.snippet.get(start..end))
        .filter(|word| !word.trim().is_empty())
}

/// Byte offset of the start of 1-based `line`.
fn line_offset(source: &str, line: u64) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    let wanted = usize::try_from(line - 1).ok()?;
    source
        .match_indices('\n')
        .nth(wanted - 1)
        .map(|(index, _)| index + 1)
}

/// Where the passage's first words sit in its first line: a passage cut from a long line (a
/// scraped page on one line) starts inside it.
fn passage_offset_in_line(source: &str, line_start: usize, text: &str) -> usize {
    let line_end = source[line_start..]
        .find('\n')
        .map_or(source.len(), |end| line_start + end);
    let line = &source[line_start..line_end];
    let opening: Vec<&str> = text.split_whitespace().take(3).collect();
    (1..=opening.len())
        .rev()
        .find_map(|words| line.find(&opening[..words].join(" ")))
        .unwrap_or(0)
}

/// The first occurrence of `word` in `text` as a whole word (not inside a longer one).
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word)
        .map(|(index, _)| index)
        .find(|&index| {
            let before = text[..index].chars().next_back();
            let after = text[index + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// 1-based line and byte column of byte `offset`.
fn position(source: &str, offset: usize) -> (u64, u64) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line as u64, (offset - line_start + 1) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;

    const SOURCE: &str = "Kommunernes Landsforening\n\
        \n\
        Civilsamfund\n\
        \n\
        Kommunerne vil styrke samarbejdet. Et stærkt civilsamfund og frivillige\n\
        medarbejdere er en forudsætning for velfærden.\n";

    fn hit_at_line_5() -> SearchHit {
        let mut hit = sample_hit();
        hit.passage.line = 5;
        hit.passage.text =
            "Kommunerne vil styrke samarbejdet. Et stærkt civilsamfund og frivillige \
                    medarbejdere er en forudsætning for velfærden."
                .to_string();
        hit
    }

    #[test]
    fn points_at_the_first_matched_word() {
        // `civilsamfund` is highlighted: line 5, after "Kommunerne vil styrke samarbejdet. Et
        // stærkt " (46 bytes: æ is two).
        assert_eq!(locate(SOURCE, &hit_at_line_5()), (5, 47));
    }

    #[test]
    fn a_match_on_a_joined_line_gets_that_line() {
        let mut hit = hit_at_line_5();
        hit.snippet = "frivillige medarbejdere er en forudsætning".to_string();
        hit.highlights = vec![[11, 23]];
        assert_eq!(locate(SOURCE, &hit), (6, 1));
    }

    #[test]
    fn a_passage_inside_a_long_line_starts_at_its_own_words() {
        let source = "Titel\nFørste avsnitt slutter her. Et stærkt civilsamfund nu.\n";
        let mut hit = sample_hit();
        hit.passage.line = 2;
        hit.passage.text = "Et stærkt civilsamfund nu.".to_string();
        hit.snippet = hit.passage.text.clone();
        hit.highlights = vec![[0, 2]];
        assert_eq!(locate(source, &hit), (2, 30));
    }

    #[test]
    fn words_inside_longer_words_and_missing_words_fall_back() {
        let mut hit = hit_at_line_5();
        hit.snippet = "vil".to_string();
        hit.highlights = vec![[0, 3]];
        assert_eq!(locate(SOURCE, &hit), (5, 12));
        hit.snippet = "xylofon".to_string();
        hit.highlights = vec![[0, 7]];
        assert_eq!(locate(SOURCE, &hit), (5, 1));
        hit.passage.line = 99;
        assert_eq!(locate(SOURCE, &hit), (99, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let source = "\u{feff}Et stærkt civilsamfund\n";
        let mut hit = sample_hit();
        hit.passage.line = 1;
        hit.passage.text = "Et stærkt civilsamfund".to_string();
        assert_eq!(locate(source, &hit), (1, 12));
    }

    #[test]
    fn lines_are_source_line_column_snippet() {
        let mut out = Vec::new();
        let read = |_: &str| Some(SOURCE.to_string());
        let mut hit = hit_at_line_5();
        hit.snippet = "Et stærkt\ncivilsamfund  og".to_string();
        hit.highlights = vec![[11, 23]];
        write_vimgrep(&mut out, &[hit], &read).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/002_kl.txt:5:47:Et stærkt civilsamfund og\n"
        );
        let mut out = Vec::new();
        write_vimgrep(&mut out, &[sample_hit()], &|_: &str| None).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .starts_with("corpus/002_kl.txt:6:1:Et"));
    }
}
