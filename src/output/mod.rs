//! Output: the JSON schemas (`schema.rs`, the only place their names live) and the renderings
//! of hits: the pretty terminal view, `--json`, `--jsonl` and `--format vimgrep`. Writers take any
//! `io::Write` and return its errors, so the CLI can treat a broken pipe as success.

mod files;
mod json;
mod jsonl;
pub(crate) mod opensearch;
mod pretty;
pub(crate) mod schema;
mod stats_view;
mod vimgrep;

pub(crate) use files::write_files;
pub(crate) use json::write_json;
pub(crate) use jsonl::write_jsonl;
pub(crate) use pretty::write_pretty_wrapped;
pub(crate) use schema::{SearchOutput, StatsOutput};
pub(crate) use stats_view::{write_stats_json, write_stats_pretty};
pub(crate) use vimgrep::write_vimgrep;

use crate::search::SearchResults;
use std::io::{self, Write};
use std::time::Duration;

/// How hits are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// For a reader; `width` wraps snippets (the terminal's columns, `None` when piped).
    Pretty {
        color: bool,
        width: Option<usize>,
    },
    Json,
    Jsonl,
    /// `source:line:column:snippet`, the first matched word's place in the source file.
    Vimgrep,
    /// Each matching source once, best first (`--files`); `null`: each ended by a NUL byte
    /// (`-0`), not a line break.
    Files {
        null: bool,
    },
}

/// Writes `results` of `query`, which took `took`, in `format`.
pub(crate) fn write_output(
    out: &mut dyn Write,
    format: Format,
    query: &str,
    results: &SearchResults,
    took: Duration,
) -> io::Result<()> {
    match format {
        Format::Pretty { color, width } => write_pretty_wrapped(out, &results.hits, color, width),
        Format::Json => write_json(out, &SearchOutput::new(query, results, took)),
        Format::Jsonl => write_jsonl(out, &results.hits),
        Format::Vimgrep => write_vimgrep(out, &mut io::stderr().lock(), &results.hits),
        Format::Files { null } => write_files(out, &results.sources, null),
    }
}

/// `text` as it may be printed on a terminal: each control character (but line breaks and
/// tabs) as spaces, as many as its bytes, so byte ranges into the text (highlights) still
/// hold. A document's text is the author's, not the user's: an escape sequence in it (an
/// HTML `&#x1b;`, a TOML `\u001b`) printed raw could clear the screen or retitle the window
/// (found in this session's break trial). JSON escapes them itself.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_char(c) {
            shown.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn escape_sequences_are_spaces_of_the_same_bytes() {
        let text = "Rød\u{1b}]0;PWNED\u{7} tekst\u{1b}[2J\u{85}slutt\nny\tlinje";
        let shown = printable(text);
        assert_eq!(shown.len(), text.len());
        assert!(!shown
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'));
        assert_eq!(shown, "Rød ]0;PWNED  tekst [2J  slutt\nny\tlinje");
        assert!(matches!(
            printable("vanlig tekst"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
