//! How a source is shown to the user: stored as its path inside the corpus folder (so every
//! spelling of the folder meets the same index, issue 19), it is shown joined with the corpus
//! as the user typed it, a path a shell can open from where the user stands.

use super::shown_path;
use std::path::{Component, Path, PathBuf};

/// Shows sources of one corpus as paths from the current folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShownSources {
    /// The corpus as typed, without `./` parts; empty for the current folder (or when unknown:
    /// sources are then shown as stored).
    corpus: PathBuf,
    /// The corpus is one file: its one source is shown as the corpus was typed.
    single_file: bool,
}

impl ShownSources {
    /// For the corpus `corpus`, as typed.
    pub(crate) fn new(corpus: &Path) -> ShownSources {
        let cleaned: PathBuf = corpus
            .components()
            .filter(|part| *part != Component::CurDir)
            .collect();
        ShownSources {
            single_file: corpus.is_file(),
            corpus: cleaned,
        }
    }

    /// `source` (a path inside the corpus) as a path from the current folder; the corpus
    /// part escaped as sources are (issue 18: never raw control bytes, never two names
    /// alike).
    pub(crate) fn show(&self, source: &str) -> String {
        if self.single_file {
            return shown_path(&self.corpus);
        }
        if self.corpus.as_os_str().is_empty() {
            return source.to_string();
        }
        format!(
            "{}/{source}",
            shown_path(&self.corpus).trim_end_matches('/')
        )
    }

    /// A path or glob as hits show it, back to the path inside the corpus: `source:` filters
    /// may be typed either way. `None` when it does not start with the corpus as shown.
    pub(crate) fn stored<'a>(&self, shown: &'a str) -> Option<&'a str> {
        if self.single_file || self.corpus.as_os_str().is_empty() {
            return None;
        }
        let prefix = shown_path(&self.corpus);
        shown
            .strip_prefix(prefix.trim_end_matches('/'))?
            .strip_prefix('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r19_sources_are_shown_from_the_corpus_as_typed() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("dokumenter");
        std::fs::create_dir(&corpus).unwrap();
        let absolute = ShownSources::new(&corpus);
        assert_eq!(
            absolute.show("sub/a.txt"),
            format!("{}/sub/a.txt", corpus.display())
        );
        for typed in ["big", "./big", "big/", "./big/./"] {
            let shown = ShownSources::new(Path::new(typed));
            assert_eq!(shown.show("a.txt"), "big/a.txt", "{typed}");
            assert_eq!(shown.stored("big/dansk/*"), Some("dansk/*"));
            assert_eq!(shown.stored("dansk/*"), None);
        }
        assert_eq!(ShownSources::new(Path::new(".")).show("a.txt"), "a.txt");
        assert_eq!(ShownSources::default().show("a.txt"), "a.txt");
    }

    #[test]
    fn r19_a_single_file_corpus_shows_the_file_as_typed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notat.txt");
        std::fs::write(&file, "Notat").unwrap();
        let shown = ShownSources::new(&file);
        assert_eq!(shown.show("notat.txt"), file.display().to_string());
        assert_eq!(shown.stored("notat.txt"), None);
    }
}
