//! Configuration: flags, then `LETE_*` environment variables, then defaults, resolved once.

use crate::index::manifest::sha256_hex;
use crate::ingest::{DiscoverError, FileSelection};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Where lete reads and writes, and how it prints. Resolved once from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// The folder of the sources (`--corpus`, `LETE_CORPUS`, default `corpus`), read with its
    /// sub-folders. Never written to.
    pub corpus: PathBuf,
    /// The index folder (`--index`, `LETE_INDEX`, else [`default_index_dir`]): a cache of the
    /// corpus.
    pub index: PathBuf,
    /// Whether the pretty view may use colour (`--color`; `auto`: stdout is a terminal and
    /// `NO_COLOR` is unset).
    pub color: bool,
    /// How much lete says on stderr besides errors and warnings (`-q`, `-v`).
    pub verbosity: Verbosity,
    /// Columns the pretty view wraps snippets to: `COLUMNS` when set, else the terminal's
    /// width when stdout is one; `None` (no wrapping) when piped.
    pub width: Option<usize>,
    /// Whether progress bars may be drawn: stderr is a terminal and `-q` is not given.
    pub progress: bool,
    /// Globs a corpus file's path inside the corpus folder must match (`--include`); empty
    /// means every format lete reads (issue 15).
    pub include: Vec<String>,
    /// Globs of corpus paths to leave out, files or folders (`--exclude`).
    pub exclude: Vec<String>,
    /// Whether a command that reads the index compares it with the corpus first
    /// (`--refresh`, `LETE_REFRESH`, default `auto`).
    pub refresh: RefreshWhen,
}

/// `--refresh`: whether a command that reads the index (search, eval, export) first compares
/// it with the corpus, and how closely (issue 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum RefreshWhen {
    /// Compare each file's size and modification time (hashing only files whose time moved
    /// or is too recent to prove anything), and update the index when the corpus changed.
    #[default]
    Auto,
    /// Compare every file's content too: for copies that keep modification times.
    Always,
    /// Do not compare: answer from the index as it is, saying nothing (for scripts that
    /// search in a loop; `lete stats` tells whether the index is behind).
    Never,
}

/// `--color`: when the pretty view uses ANSI colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even when piped (for `less -R`).
    Always,
    /// Never.
    Never,
}

/// How much lete reports on stderr. Errors and warnings are always printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Verbosity {
    /// `-q`: no progress, notes or summaries.
    Quiet,
    #[default]
    Normal,
    /// `-v`: also each step and each file.
    Verbose,
}

impl Config {
    /// A configuration with explicit `--color` and `-q`/`-v` choices.
    pub(crate) fn with_output(
        corpus: PathBuf,
        index: PathBuf,
        color: ColorWhen,
        verbosity: Verbosity,
    ) -> Config {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Config {
            corpus,
            index,
            color: color_allowed(color, stdout_is_terminal, no_color),
            verbosity,
            width: output_width(
                std::env::var("COLUMNS").ok().as_deref(),
                stdout_is_terminal.then(terminal_columns).flatten(),
            ),
            progress: verbosity != Verbosity::Quiet && std::io::stderr().is_terminal(),
            include: Vec::new(),
            exclude: Vec::new(),
            refresh: RefreshWhen::Auto,
        }
    }

    /// The compiled `--include` and `--exclude` globs; a malformed glob is an error.
    pub(crate) fn selection(&self) -> Result<FileSelection, DiscoverError> {
        FileSelection::new(&self.include, &self.exclude)
    }

    /// Whether notes and summaries go to stderr (not under `-q`).
    pub(crate) fn prints_notes(&self) -> bool {
        self.verbosity >= Verbosity::Normal
    }

    /// Whether step-by-step explanations go to stderr (`-v`).
    pub(crate) fn is_verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }
}

/// The bundled corpus's folder name: `corpus/` in the current folder (the repository's)
/// keeps its index in `index/` beside it.
const BUNDLED_CORPUS: &str = "corpus";
const BUNDLED_INDEX: &str = "index";

/// Where the index of `corpus` lives when neither `--index` nor `LETE_INDEX` says (issue 19):
/// `index/` for the bundled `corpus/` of the current folder, as the repository's tour has it;
/// for any other corpus, a folder of the user's cache (`$XDG_CACHE_HOME/lete/NAME-HASH` on
/// Linux) named by the corpus's canonical path, so that every spelling of the folder and
/// every working folder meet the same index, and none is made in the folder searched from.
pub(crate) fn default_index_dir(corpus: &Path) -> anyhow::Result<PathBuf> {
    let canonical = std::fs::canonicalize(corpus)
        .or_else(|_| std::path::absolute(corpus))
        .unwrap_or_else(|_| corpus.to_path_buf());
    let bundled = std::fs::canonicalize(BUNDLED_CORPUS).ok();
    if bundled.as_deref() == Some(canonical.as_path()) {
        return Ok(PathBuf::from(BUNDLED_INDEX));
    }
    let cache = dirs::cache_dir().ok_or_else(|| {
        anyhow::anyhow!(
            "cannot find the user's cache folder for the index (HOME is not set); pass \
             --index DIR or set LETE_INDEX"
        )
    })?;
    Ok(cache.join("lete").join(cache_folder_name(&canonical)))
}

/// `NAME-HASH`: the corpus folder's name for a reader (letters, digits, `-`, `_` and `.`,
/// at most 40) and 16 hex digits of the SHA-256 of its canonical path, which tell apart
/// folders of one name.
fn cache_folder_name(canonical: &Path) -> String {
    let name: String = canonical
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| match c {
            c if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .take(40)
        .collect();
    let name = name.trim_start_matches('.');
    let hash = sha256_hex(canonical.as_os_str().as_encoded_bytes());
    if name.is_empty() {
        format!("corpus-{}", &hash[..16])
    } else {
        format!("{name}-{}", &hash[..16])
    }
}

/// `auto`: colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty
/// (no-color.org). An explicit `--color always` wins over `NO_COLOR`, as in ripgrep.
fn color_allowed(when: ColorWhen, stdout_is_terminal: bool, no_color: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => stdout_is_terminal && !no_color,
    }
}

/// `COLUMNS` (a user's explicit choice) before the terminal's own width; nonsense values are
/// ignored rather than trusted.
fn output_width(columns: Option<&str>, terminal: Option<usize>) -> Option<usize> {
    columns
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|&width| width > 0)
        .or(terminal)
}

fn terminal_columns() -> Option<usize> {
    terminal_size::terminal_size().map(|(width, _)| usize::from(width.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colour_needs_a_terminal_and_no_no_color() {
        assert!(color_allowed(ColorWhen::Auto, true, false));
        assert!(!color_allowed(ColorWhen::Auto, false, false));
        assert!(!color_allowed(ColorWhen::Auto, true, true));
        assert!(color_allowed(ColorWhen::Always, false, true));
        assert!(!color_allowed(ColorWhen::Never, true, false));
    }

    #[test]
    fn r19_the_cache_folder_is_named_by_the_canonical_corpus_path() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("Mine dokumenter");
        std::fs::create_dir(&corpus).unwrap();
        let name = cache_folder_name(&std::fs::canonicalize(&corpus).unwrap());
        assert!(name.starts_with("Mine_dokumenter-"), "{name}");
        assert_eq!(name.len(), "Mine_dokumenter-".len() + 16);
        let other = cache_folder_name(&dir.path().join("x/Mine dokumenter"));
        assert_ne!(name, other);
        assert!(cache_folder_name(Path::new("/")).starts_with("corpus-"));
        // Every spelling of the folder is one index.
        let spelled = default_index_dir(&corpus.join("../Mine dokumenter/.")).unwrap();
        assert_eq!(default_index_dir(&corpus).unwrap(), spelled);
        assert!(
            spelled.ends_with(format!("lete/{name}")),
            "{}",
            spelled.display()
        );
    }

    #[test]
    fn columns_wins_over_the_terminal_and_nonsense_is_ignored() {
        assert_eq!(output_width(Some("72"), Some(120)), Some(72));
        assert_eq!(output_width(None, Some(120)), Some(120));
        assert_eq!(output_width(Some("bred"), None), None);
        assert_eq!(output_width(Some("0"), Some(80)), Some(80));
    }
}
