//! What an index remembers of the corpus it holds (issue 19): the corpus's canonical path, so
//! that another corpus is never swapped in silently, the file selection, which a command given
//! no `--include` or `--exclude` keeps, and the warnings about the corpus folder last said, so
//! that they are said again only when they change.

use super::manifest::Manifest;
use super::IndexError;
use crate::ingest::{FileSelection, ShownSources};
use std::fs;
use std::path::Path;

/// The corpus's identity as the index remembers it: its canonical path, so that `big`,
/// `./big` and `/home/me/big` are one corpus. `None` when it cannot be resolved (a missing
/// corpus, which is reported on its own).
pub(crate) fn corpus_key(corpus: &Path) -> Option<String> {
    fs::canonicalize(corpus)
        .ok()
        .map(|path| path.to_string_lossy().into_owned())
}

/// The corpus `manifest` holds when it is not `corpus`; `None` when it is, or is unknown.
pub(crate) fn other_corpus(manifest: &Manifest, corpus: &Path) -> Option<String> {
    let held = manifest.corpus.as_ref()?;
    let asked = corpus_key(corpus)?;
    (*held != asked).then(|| held.clone())
}

/// An error when the index in `index_dir` holds another corpus than `corpus`: a command that
/// only reads it never answers for one corpus from another's index.
pub(crate) fn ensure_same_corpus(
    manifest: &Manifest,
    corpus: &Path,
    index_dir: &Path,
) -> Result<(), IndexError> {
    match other_corpus(manifest, corpus) {
        None => Ok(()),
        Some(held) => Err(IndexError::OtherCorpus {
            index: index_dir.display().to_string(),
            held,
            asked: corpus.display().to_string(),
        }),
    }
}

/// The selection a run uses: the one given (`--include`, `--exclude`), else the one the index
/// of this corpus was built with, else every `*.txt` file.
pub(crate) fn selection_for(
    given: &FileSelection,
    previous: Option<&Manifest>,
) -> Result<FileSelection, IndexError> {
    let remembered = previous.and_then(|manifest| manifest.selection.as_ref());
    match remembered {
        Some(patterns) if !given.is_given() => Ok(FileSelection::from_patterns(patterns)?),
        _ => Ok(given.clone()),
    }
}

/// The note a run prints when it was given another selection than the index was built with.
pub(crate) fn selection_change(
    selection: &FileSelection,
    previous: Option<&Manifest>,
) -> Option<String> {
    let before = previous?.selection.as_ref()?;
    (before != selection.patterns()).then(|| {
        format!(
            "the file selection changed: the index was built with {before}, and now keeps {}",
            selection.patterns()
        )
    })
}

/// Records in `manifest` the corpus, the selection and the listing's warnings of this run.
pub(crate) fn remember(
    manifest: &mut Manifest,
    corpus: &Path,
    selection: &FileSelection,
    listing_warnings: Vec<String>,
) {
    manifest.corpus = corpus_key(corpus);
    manifest.selection = Some(selection.patterns().clone());
    manifest.listing_warnings = listing_warnings;
}

/// Whether `manifest` already remembers what [`remember`] would write.
pub(crate) fn remembers(
    manifest: &Manifest,
    corpus: &Path,
    selection: &FileSelection,
    listing_warnings: &[String],
) -> bool {
    manifest.corpus == corpus_key(corpus)
        && manifest.selection.as_ref() == Some(selection.patterns())
        && manifest.listing_warnings == listing_warnings
}

/// The warnings of a run, split into those not said before (printed) and those the previous
/// run said already (printed again only under `-v`): the listing's warnings against the ones
/// the manifest remembers, and a skipped file that has not changed since.
pub(crate) struct SplitWarnings {
    pub(crate) new: Vec<String>,
    pub(crate) repeated: Vec<String>,
}

pub(crate) fn split_listing_warnings(
    listing_warnings: &[String],
    previous: Option<&Manifest>,
) -> SplitWarnings {
    let said = previous.map_or(&[][..], |manifest| manifest.listing_warnings.as_slice());
    let (repeated, new) = listing_warnings
        .iter()
        .cloned()
        .partition(|warning| said.contains(warning));
    SplitWarnings { new, repeated }
}

/// The warning for a file skipped before and unchanged since.
pub(crate) fn still_skipped(shown: &ShownSources, source: &str, reason: &str) -> String {
    format!("{}: {reason}", shown.show(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r19_the_given_selection_wins_else_the_remembered_one() {
        let mut manifest = Manifest::new(Vec::new());
        let md = FileSelection::new(&["*.md".to_string()], &[]).unwrap();
        manifest.selection = Some(md.patterns().clone());
        let kept = selection_for(&FileSelection::default(), Some(&manifest)).unwrap();
        assert_eq!(kept.patterns(), md.patterns());
        assert_eq!(selection_change(&kept, Some(&manifest)), None);
        let txt = FileSelection::new(&["*.txt".to_string()], &[]).unwrap();
        let chosen = selection_for(&txt, Some(&manifest)).unwrap();
        assert_eq!(chosen.patterns(), txt.patterns());
        assert_eq!(
            selection_change(&chosen, Some(&manifest)).unwrap(),
            "the file selection changed: the index was built with --include '*.md', and now \
             keeps --include '*.txt'"
        );
        let fresh = selection_for(&FileSelection::default(), None).unwrap();
        assert_eq!(
            fresh.patterns().include,
            crate::ingest::discover::DEFAULT_INCLUDE
        );
    }

    #[test]
    fn r19_another_corpus_is_told_apart_by_its_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        let mut manifest = Manifest::new(Vec::new());
        remember(&mut manifest, &a, &FileSelection::default(), Vec::new());
        assert_eq!(other_corpus(&manifest, &a.join("../a/.")), None);
        assert_eq!(other_corpus(&manifest, &b), corpus_key(&a));
        let err = ensure_same_corpus(&manifest, &b, Path::new("idx")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("the index at idx holds the corpus "));
        manifest.corpus = None;
        assert_eq!(
            other_corpus(&manifest, &b),
            None,
            "an older index adopts it"
        );
    }

    #[test]
    fn r19_only_new_listing_warnings_are_said() {
        let mut manifest = Manifest::new(Vec::new());
        manifest.listing_warnings = vec!["a: broken".to_string()];
        let now = ["a: broken".to_string(), "b: loop".to_string()];
        let split = split_listing_warnings(&now, Some(&manifest));
        assert_eq!(split.new, ["b: loop"]);
        assert_eq!(split.repeated, ["a: broken"]);
        assert_eq!(split_listing_warnings(&now, None).new.len(), 2);
    }
}
