//! Opening the index for searching: the Tantivy index with lete's analyzers, its fields and
//! the compound lexicon it was written with.

use super::directory::SearchDirectory;
use super::guard::damaged;
use super::lexicon;
use super::manifest::{read_manifest, ManifestState};
use super::schema::Fields;
use super::IndexError;
use crate::analysis::{register_analyzers, Lexicon};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};

/// An open index with its analyzers registered and its fields resolved.
pub struct LeteIndex {
    pub index: Index,
    pub fields: Fields,
    /// The compound lexicon the index was written with, for splitting query words alike.
    pub lexicon: Arc<Lexicon>,
    /// The reader searches share, made on first use: a process that searches many times
    /// (`lete bench`, `lete eval`) keeps Tantivy's caches of decompressed passages warm.
    pub reader: OnceLock<IndexReader>,
    /// The index folder, for the messages of reads that fail.
    dir: PathBuf,
}

impl LeteIndex {
    pub(crate) fn new(
        index_dir: &Path,
        index: Index,
        fields: Fields,
        lexicon: Arc<Lexicon>,
    ) -> LeteIndex {
        LeteIndex {
            index,
            fields,
            lexicon,
            reader: OnceLock::new(),
            dir: index_dir.to_path_buf(),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The index as it was when first searched (the index is not reloaded while open).
    pub fn reader(&self) -> tantivy::Result<&IndexReader> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader);
        }
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(self.reader.get_or_init(|| reader))
    }
}

/// Opens the index in `index_dir` for searching. An index of another schema version is an
/// error, never misread.
pub fn open_index(index_dir: &Path) -> Result<LeteIndex, IndexError> {
    if !index_dir.join("meta.json").is_file() {
        return Err(IndexError::Missing(index_dir.display().to_string()));
    }
    let outdated = |reason: String| IndexError::Outdated {
        path: index_dir.display().to_string(),
        reason,
    };
    match read_manifest(index_dir) {
        ManifestState::Current(_) => {}
        ManifestState::OtherVersion(found) => {
            return Err(outdated(format!("schema version {found}")))
        }
        ManifestState::Missing => return Err(outdated("no manifest".to_string())),
        ManifestState::Unreadable(err) => return Err(outdated(err)),
    }
    let damaged = |err: TantivyError| damaged(index_dir, &err);
    let directory = MmapDirectory::open(index_dir).map_err(|err| damaged(err.into()))?;
    let index = Index::open(SearchDirectory(directory)).map_err(damaged)?;
    let fields = Fields::from_schema(&index.schema())
        .ok_or_else(|| outdated("another schema".to_string()))?;
    register_analyzers(index.tokenizers());
    let lexicon = Arc::new(lexicon::read_search_lexicon(index_dir));
    Ok(LeteIndex::new(index_dir, index, fields, lexicon))
}
