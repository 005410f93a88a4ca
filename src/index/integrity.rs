//! Whether an index still holds what its manifest says it holds. A part lost or damaged
//! since the index was written made it answer wrongly while it looked current, and `lete
//! index` called it "unchanged" (issue 18): such an index is rebuilt, saying why.

use super::lexicon::{LEXICON_FILE, LEXICON_FST_FILE};
use super::manifest::{FileStamp, Manifest, WrittenWith};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::path::Path;
use tantivy::{Index, IndexMeta};

/// The compound lexicon as the one who checks reads it.
pub(crate) enum LexiconFound {
    /// As a search read it: the stamp of its FST form (None where missing or damaged).
    Searched(Option<FileStamp>),
    /// Both forms, read from the folder now, as an update reads them.
    OnDisk,
}

/// Why an index whose manifest is current cannot answer as it is, if it cannot:
/// - its compound lexicon is gone (queries then no longer split compounds as the documents
///   were split: `klimaendringer` found 1 passage of 6);
/// - its segments hold fewer passages than the manifest lists (a `meta.json` whose segment
///   list was emptied: an empty index believed current);
/// - its segments are not those of the commit its manifest describes: an older copy put
///   back (with as many passages, nothing else tells);
/// - its compound lexicon is damaged, or another than the one the index was written with
///   (one of an older build put back).
///
/// A newer commit, or more passages than listed, are those of a run under way or one that
/// stopped between its commit and its manifest: the lexicon may be that run's, and the
/// update that follows replaces them, as long as the corpus still has their files; when
/// `nothing_changed`, nothing would, and more passages than listed are a reason. Cheap to
/// tell: two file lookups, `meta.json` (read already) and, for a search, the stamp of the
/// lexicon it reads anyway.
pub(crate) fn lost_part(
    index_dir: &Path,
    index: &Index,
    manifest: &Manifest,
    lexicon: LexiconFound,
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
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(err) => return Some(format!("the index cannot be read ({err})")),
    };
    let held: u64 = metas
        .segments
        .iter()
        .map(|segment| u64::from(segment.num_docs()))
        .sum();
    if held < listed {
        return Some(passage_counts(held, listed));
    }
    let written = manifest.written_with.as_deref();
    if let Some(reason) =
        written.and_then(|written| other_commit(index_dir, &metas, written, lexicon))
    {
        return Some(reason);
    }
    (held > listed && nothing_changed).then(|| passage_counts(held, listed))
}

fn passage_counts(held: u64, listed: u64) -> String {
    format!("the index holds {held} passages and its manifest lists {listed}")
}

/// Why the commit in `metas`, or the lexicon found, is not the one the manifest was written
/// `with`, if it is not. Only the commit of the same opstamp is compared: a newer one is a
/// run's under way (its lexicon follows its commit) or stopped.
fn other_commit(
    index_dir: &Path,
    metas: &IndexMeta,
    with: &WrittenWith,
    lexicon: LexiconFound,
) -> Option<String> {
    match metas.opstamp.cmp(&with.opstamp) {
        Ordering::Less => Some(format!(
            "the index's segments are of an older commit ({}) than its manifest describes ({})",
            metas.opstamp, with.opstamp
        )),
        Ordering::Greater => None,
        Ordering::Equal if segments_fingerprint(metas) != with.segments => Some(
            "the index's segments are not those of the commit its manifest describes".to_string(),
        ),
        Ordering::Equal => other_lexicon(index_dir, with, lexicon),
    }
}

/// Why the lexicon found is not the one the index was written with, if it is not.
fn other_lexicon(index_dir: &Path, written: &WrittenWith, found: LexiconFound) -> Option<String> {
    let (fst, text) = match found {
        LexiconFound::Searched(fst) => (fst, None),
        LexiconFound::OnDisk => (
            FileStamp::of_file(&index_dir.join(LEXICON_FST_FILE)),
            Some(FileStamp::of_file(&index_dir.join(LEXICON_FILE))),
        ),
    };
    let differs = |expected: Option<FileStamp>, found: Option<FileStamp>| {
        expected.is_some() && found != expected
    };
    let name = if differs(written.lexicon_fst, fst) {
        LEXICON_FST_FILE
    } else if text.is_some_and(|text| differs(written.lexicon_text, text)) {
        LEXICON_FILE
    } else {
        return None;
    };
    Some(format!(
        "the index's compound lexicon ({name}) is damaged or not the one the index was \
         written with"
    ))
}

/// What the index in `index_dir` holds now, for the manifest written after its commit.
pub(crate) fn written_with(index_dir: &Path, index: &Index) -> tantivy::Result<WrittenWith> {
    let metas = index.load_metas()?;
    Ok(WrittenWith {
        opstamp: metas.opstamp,
        segments: segments_fingerprint(&metas),
        lexicon_fst: FileStamp::of_file(&index_dir.join(LEXICON_FST_FILE)),
        lexicon_text: FileStamp::of_file(&index_dir.join(LEXICON_FILE)),
    })
}

/// A fingerprint of the segments of the commit in `metas`: their ids and the opstamps of
/// their deletes, in order.
fn segments_fingerprint(metas: &IndexMeta) -> u64 {
    let mut segments: Vec<String> = metas
        .segments
        .iter()
        .map(|segment| {
            format!(
                "{}:{:?}",
                segment.id().uuid_string(),
                segment.delete_opstamp()
            )
        })
        .collect();
    segments.sort();
    let digest = Sha256::digest(segments.join(",").as_bytes());
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
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
