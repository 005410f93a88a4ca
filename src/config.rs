//! Configuration: flags, then `LETE_*` environment variables, then defaults, resolved once.

use crate::index::{FileSelection, IndexError};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Where lete reads and writes, and how it prints. Resolved once from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The folder of the sources (`--corpus`, `LETE_CORPUS`, default `corpus`), read with its
    /// sub-folders. Never written to.
    pub corpus: PathBuf,
    /// The index folder (`--index`, `LETE_INDEX`, default `index`): a cache of the corpus.
    pub index: PathBuf,
    /// Whether the pretty view may use colour: stdout is a terminal and `NO_COLOR` is unset.
    pub color: bool,
    /// Globs a corpus file's path inside the corpus folder must match (`--include`); empty
    /// means `*.txt`.
    pub include: Vec<String>,
    /// Globs of corpus paths to leave out, files or folders (`--exclude`).
    pub exclude: Vec<String>,
}

impl Config {
    pub fn new(corpus: PathBuf, index: PathBuf) -> Config {
        Config {
            corpus,
            index,
            color: color_allowed(),
            include: Vec::new(),
            exclude: Vec::new(),
        }
    }

    /// The compiled `--include` and `--exclude` globs; a malformed glob is an error.
    pub fn selection(&self) -> Result<FileSelection, IndexError> {
        FileSelection::new(&self.include, &self.exclude)
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty
/// (no-color.org).
fn color_allowed() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}
