//! Whether an index still holds what its manifest says it holds. A part lost or damaged
//! since the index was written made it answer wrongly while it looked current, and `lete
//! index` called it "unchanged" (issue 18): such an index is rebuilt, saying why.

use super::lexicon::{LEXICON_FILE, LEXICON_FST_FILE};
use super::manifest::Manifest;
use std::path::Path;
use tantivy::Index;

/// Why an index whose manifest is current cannot answer as it is, if it cannot: its
/// compound lexicon is gone (queries then no longer split compounds as the documents were
/// split: `klimaendringer` found 1 passage of 6), or its segments hold fewer passages than the
/// manifest lists (a `meta.json` whose segment list was emptied: an empty index believed
/// current). More passages than listed are those of a run that stopped between its commit
/// and its manifest: the update that follows replaces them, as long as the corpus still has
/// their files; when `nothing_changed`, nothing would, and that too is a reason. Cheap to
/// tell: two file lookups and `meta.json`, read already.
pub(crate) fn lost_part(
    index_dir: &Path,
    index: &Index,
    manifest: &Manifest,
    nothing_changed: bool,
) -> Option<String> {
    let listed: u64 = manifest
        .sources
        .iter()
        .map(|entry| entry.passages as u64)
        .sum();
    let lexicon_present =
        index_dir.join(LEXICON_FST_FILE).is_file() || index_dir.join(LEXICON_FILE).is_file();
    if listed > 0 && !lexicon_present {
        return Some(format!(
            "the index's compound lexicon ({LEXICON_FILE}) is missing"
        ));
    }
    let held: u64 = match index.searchable_segment_metas() {
        Ok(segments) => segments
            .iter()
            .map(|segment| u64::from(segment.num_docs()))
            .sum(),
        Err(err) => return Some(format!("the index cannot be read ({err})")),
    };
    let mismatch = held < listed || (held > listed && nothing_changed);
    mismatch.then(|| format!("the index holds {held} passages and its manifest lists {listed}"))
}

/// Which of the index's files fail their checksum, if any, or why they cannot be checked:
/// `lete index` checks them when nothing else is to be done, so that it never calls a damaged
/// index unchanged. It reads the whole index once.
pub(crate) fn damage(index: &Index) -> Option<String> {
    match index.validate_checksum() {
        Ok(damaged) if damaged.is_empty() => None,
        Ok(damaged) => {
            let mut names: Vec<String> = damaged
                .iter()
                .map(|path| path.display().to_string())
                .collect();
            names.sort();
            Some(format!(
                "the index is damaged ({} fails its checksum)",
                names.join(", ")
            ))
        }
        Err(err) => Some(format!(
            "the index is damaged ({})",
            super::guard::damage_detail(&err.to_string())
        )),
    }
}
