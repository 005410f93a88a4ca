//! Which file a `source` names: only a file the index was given, inside the corpus folder.
//! A path that climbs out (`..`), an absolute path and a symbolic link that leads out of the
//! corpus are refused, so the server reads nothing but the corpus.

use super::error::ApiError;
use super::state::{Served, Snapshot};
use std::path::{Component, Path, PathBuf};

/// The file of `source` (a path as hits give it), canonical, or why it is not served.
pub(crate) fn resolve_source(
    served: &Served,
    snapshot: &Snapshot,
    source: &str,
) -> Result<PathBuf, ApiError> {
    if source.is_empty() {
        return Err(ApiError::bad_request(
            "give the document as source=PATH, a path as search hits give it",
        ));
    }
    let inside = path_inside_corpus(&served.corpus, source).ok_or_else(|| {
        ApiError::bad_request(format!(
            "the source '{source}' is not a path inside the corpus (absolute paths and .. are refused)"
        ))
    })?;
    // The manifest names each source by its path inside the corpus folder.
    let entry = snapshot
        .source_entry(&inside.to_string_lossy())
        .ok_or_else(|| ApiError::not_found(format!("no document '{source}' in the index")))?;
    if let Some(reason) = &entry.skipped {
        return Err(ApiError::not_found(format!(
            "'{source}' is not in the index: it was skipped ({reason})"
        )));
    }
    // Below the folder the snapshot was made from, not through the corpus path: a corpus
    // link retargeted meanwhile does not show another folder's file for this index's passage.
    let file = snapshot.corpus_root.join(inside);
    let canonical = std::fs::canonicalize(&file).map_err(|_| {
        ApiError::not_found(format!(
            "'{source}' is no longer in the corpus; the index follows shortly"
        ))
    })?;
    if !canonical.starts_with(&snapshot.corpus_root) {
        return Err(ApiError::forbidden(format!(
            "'{source}' leads out of the corpus folder (a symbolic link); only files inside it are served"
        )));
    }
    Ok(canonical)
}

/// The part of `source` below the corpus folder, if it is a plain relative path. Hits show a
/// source as the corpus folder joined with the path inside it; a source without that prefix
/// is taken as the path inside it.
fn path_inside_corpus<'a>(corpus: &Path, source: &'a str) -> Option<&'a Path> {
    let source = Path::new(source);
    let inside = source.strip_prefix(corpus).unwrap_or(source);
    let plain = inside
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    (plain && inside.components().next().is_some()).then_some(inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_below_the_corpus_are_inside_it() {
        let corpus = Path::new("corpus");
        let inside = |source| path_inside_corpus(corpus, source).map(Path::to_path_buf);
        assert_eq!(inside("corpus/001.txt"), Some(PathBuf::from("001.txt")));
        assert_eq!(
            inside("dansk/002.txt"),
            Some(PathBuf::from("dansk/002.txt"))
        );
        assert_eq!(inside("corpus/../secret.txt"), None);
        assert_eq!(inside("../secret.txt"), None);
        assert_eq!(inside("/etc/passwd"), None);
        assert_eq!(inside("corpus"), None);
        let absolute = Path::new("/data/docs");
        assert_eq!(
            path_inside_corpus(absolute, "/data/docs/a/b.txt"),
            Some(Path::new("a/b.txt"))
        );
        assert_eq!(path_inside_corpus(absolute, "/data/other.txt"), None);
    }
}
