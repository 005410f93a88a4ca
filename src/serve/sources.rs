//! Which file a `source` names: only a file the index was given, inside the corpus folder.
//! A path that climbs out (`..`), an absolute path and a symbolic link that leads out of the
//! corpus are refused, so the server reads nothing but the corpus.

use super::error::{echoed, ApiError};
use super::state::{Served, Snapshot, WhereNow};
use crate::ingest::source_path;
use std::path::{Component, Path, PathBuf};

/// The file of `source` (a source as hits give it), canonical, or why it is not served.
///
/// A source is text: a name that is not UTF-8 or holds a control character (a newline) is
/// escaped in it as `lete search --json` gives it (`rapport\xFF.txt`, issue 18), and is read
/// back here from that same text, percent-encoded in `source=` as any other.
pub(crate) fn resolve_source(
    served: &Served,
    snapshot: &Snapshot,
    source: &str,
) -> Result<PathBuf, ApiError> {
    let shown = echoed(source);
    if source.is_empty() {
        return Err(ApiError::bad_request(
            "give the document as source=PATH, a path as search hits give it",
        ));
    }
    let stored = stored_source(served, snapshot, source);
    let inside = source_path(stored)
        .filter(|path| is_plain(path))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "the source '{shown}' is not a path inside the corpus (absolute paths and .. are refused)"
            ))
        })?;
    // The manifest names each source by its text inside the corpus folder.
    let entry = snapshot
        .source_entry(stored)
        .ok_or_else(|| ApiError::not_found(format!("no document '{shown}' in the index")))?;
    if let Some(reason) = &entry.skipped {
        return Err(ApiError::not_found(format!(
            "'{shown}' is not in the index: it was skipped ({reason})"
        )));
    }
    match snapshot.where_now(&inside) {
        WhereNow::Inside(canonical) => Ok(canonical),
        WhereNow::Gone => Err(ApiError::not_found(format!(
            "'{shown}' is no longer in the corpus; the index follows shortly"
        ))),
        WhereNow::Outside => Err(ApiError::forbidden(format!(
            "'{shown}' leads out of the corpus folder (a symbolic link); only files inside it are served"
        ))),
    }
}

/// The text the manifest names `source` by: hits show a source as the corpus as given joined
/// with its path inside it (a one-file corpus: as the corpus was given); a source without
/// that prefix is taken as the path inside it.
fn stored_source<'a>(served: &Served, snapshot: &'a Snapshot, source: &'a str) -> &'a str {
    let shown = &served.shown;
    if let Some(only) = snapshot.single_source() {
        if shown.show(&only.path) == source {
            return &only.path;
        }
    }
    shown.stored(source).unwrap_or(source)
}

/// Whether `path` is a plain relative path: names only, no `..`, not absolute, not empty.
fn is_plain(path: &Path) -> bool {
    let plain = path
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    plain && path.components().next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_inside_the_corpus() {
        let plain = |text: &str| source_path(text).is_some_and(|path| is_plain(&path));
        assert!(plain("001.txt"));
        assert!(plain("dansk/002.txt"));
        assert!(plain("rapport\\xFF.txt"));
        for refused in [
            "../secret.txt",
            "a/../../b",
            "/etc/passwd",
            "",
            "\\x2E\\x2E/b",
        ] {
            assert!(!plain(refused), "{refused}");
        }
    }
}
