//! Opening the index for searching: the Tantivy index with lete's analyzers, its fields and
//! the compound lexicon it was written with.

use super::directory::{MetaHold, SearchDirectory};
use super::guard::damaged;
use super::lexicon;
use super::manifest::{read_manifest, FileStamp, Manifest, ManifestState};
use super::schema::{build_schema, Fields};
use super::IndexError;
use crate::analysis::Lexicon;
use crate::analysis::{register_analyzers, CompoundSplitter};
use crate::ingest::ShownSources;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tantivy::index::SegmentId;
use tantivy::{Index, IndexReader, Opstamp, ReloadPolicy, TantivyError};

/// An open index with its analyzers registered and its fields resolved.
pub struct LeteIndex {
    /// The Tantivy index.
    pub index: Index,
    /// lete's fields in its schema.
    pub fields: Fields,
    /// Splits query words on the compound lexicon the index was written with, as the indexer
    /// split its words, with the splits its searches share.
    pub splitter: Arc<CompoundSplitter>,
    /// The reader searches share, made on first use: a process that searches many times
    /// (`lete bench`, `lete eval`) keeps Tantivy's caches of decompressed passages warm.
    pub reader: OnceLock<IndexReader>,
    /// The index folder, for the messages of reads that fail.
    dir: PathBuf,
    /// How its sources (paths inside the corpus folder) are shown to the user.
    pub(crate) shown: ShownSources,
    /// The stamp of the lexicon file `splitter` was read from, where it was read from one.
    lexicon_stamp: Option<FileStamp>,
}

impl LeteIndex {
    pub(crate) fn new(
        index_dir: &Path,
        index: Index,
        fields: Fields,
        splitter: Arc<CompoundSplitter>,
    ) -> LeteIndex {
        LeteIndex {
            index,
            fields,
            splitter,
            reader: OnceLock::new(),
            dir: index_dir.to_path_buf(),
            shown: ShownSources::default(),
            lexicon_stamp: None,
        }
    }

    /// A source of this index (a path inside the corpus folder) as a path a shell can open
    /// from the current folder: joined with the corpus as the user typed it.
    pub fn shown_source(&self, source: &str) -> String {
        self.shown.show(source)
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

    /// The stamp of the lexicon's FST form it was opened with; None where the lexicon was not
    /// read from that form (missing or damaged).
    pub(crate) fn lexicon_stamp(&self) -> Option<FileStamp> {
        self.lexicon_stamp
    }

    /// What its searches read: the commit (each segment, with the opstamp of its deletes) and
    /// the compound lexicon. Two opens that read the same hold the same passages and split
    /// query words alike, so a search of one answers as a search of the other would (issue
    /// 16). The lexicon is written after the commit, so the commit alone does not tell (found
    /// in the break trial of stop 25: a search kept the new commit with the old lexicon).
    /// None when the reader cannot be made or the lexicon was not read from its file.
    pub(crate) fn commit_read(&self) -> Option<CommitRead> {
        let lexicon = self.lexicon_stamp?;
        let reader = self.reader().ok()?;
        Some(CommitRead {
            segments: reader.searcher().generation().segments().clone(),
            lexicon,
        })
    }
}

/// What a search reads ([`LeteIndex::commit_read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommitRead {
    /// Each segment, with the opstamp of its deletes.
    segments: BTreeMap<SegmentId, Option<Opstamp>>,
    /// The stamp of the lexicon's file.
    lexicon: FileStamp,
}

/// Opens the index in `index_dir` for searching. An index of another schema version is an
/// error, never misread.
pub(crate) fn open_index(index_dir: &Path) -> Result<LeteIndex, IndexError> {
    open_reading(index_dir).map(|(index, _)| index)
}

/// As [`open_index`], with the manifest read on the way.
pub(crate) fn open_reading(index_dir: &Path) -> Result<(LeteIndex, Manifest), IndexError> {
    if !has_tantivy_index(index_dir) {
        return Err(IndexError::Missing(index_dir.display().to_string()));
    }
    let manifest = match read_manifest(index_dir) {
        ManifestState::Current(manifest) => manifest,
        ManifestState::OtherVersion(found) => {
            return Err(outdated(index_dir, format!("schema version {found}")))
        }
        ManifestState::Missing => return Err(outdated(index_dir, "no manifest".to_string())),
        ManifestState::Unreadable(err) => return Err(outdated(index_dir, err)),
    };
    let opening = Opening::start(index_dir).map_err(|err| damaged(index_dir, &err))?;
    Ok((opening.finish(index_dir)?, manifest))
}

/// The index in `index_dir` as it stands, for a search run while the corpus is compared with
/// it (issue 16): neither its manifest nor the corpus is read, so nothing says it is this
/// corpus's index or a current one until [`LeteIndex::commit_read`] is compared with that of
/// the index the comparison gives. None where it is not an index of this schema that opens.
pub(crate) fn open_as_it_stands(corpus: &Path, index_dir: &Path) -> Option<LeteIndex> {
    if !has_tantivy_index(index_dir) {
        return None;
    }
    let opening = Opening::start(index_dir).ok()?;
    if !opening.has_current_schema() {
        return None;
    }
    let mut index = opening.finish(index_dir).ok()?;
    index.shown = ShownSources::new(corpus);
    Some(index)
}

/// Whether `index_dir` holds a Tantivy index at all.
pub(crate) fn has_tantivy_index(index_dir: &Path) -> bool {
    index_dir.join("meta.json").is_file()
}

fn outdated(index_dir: &Path, reason: String) -> IndexError {
    IndexError::Outdated {
        path: index_dir.display().to_string(),
        reason,
    }
}

/// An index being opened for reading: open in Tantivy, with the meta lock held until its
/// reader is made, so that `meta.json` is read once.
pub(crate) struct Opening {
    index: Index,
    hold: MetaHold,
    /// The compound lexicon, with the stamp of its FST form.
    lexicon: (Lexicon, Option<FileStamp>),
}

impl Opening {
    /// Opens the Tantivy index in `index_dir`, reading the compound lexicon, then
    /// `meta.json`. In that order: a run writes its lexicon after its commit, so a lexicon
    /// newer than the manifest is always seen with a commit newer than it too, never taken
    /// for a damaged one ([`super::integrity::lost_part`]).
    pub(crate) fn start(index_dir: &Path) -> tantivy::Result<Opening> {
        let lexicon = lexicon::read_search_lexicon_marked(index_dir);
        let directory = SearchDirectory::open(index_dir)?;
        let hold = directory
            .hold_meta()
            .map_err(|err| TantivyError::LockFailure(err, None))?;
        let index = Index::open(directory)?;
        Ok(Opening {
            index,
            hold,
            lexicon,
        })
    }

    /// The stamp of the lexicon's FST form as read (None where it is missing or damaged),
    /// for the check against the manifest.
    pub(crate) fn lexicon_stamp(&self) -> Option<FileStamp> {
        self.lexicon.1
    }

    /// The index as opened.
    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// Whether the index has exactly the schema this lete writes.
    pub(crate) fn has_current_schema(&self) -> bool {
        self.index.schema() == build_schema()
    }

    /// The index without its reader, for an update: the meta lock is released.
    pub(crate) fn into_index(self) -> Index {
        self.index
    }

    /// The index ready to search: its fields, the query analyzers, the lexicon it was written
    /// with, and its reader (reading the `meta.json` read when it was opened).
    pub(crate) fn finish(self, index_dir: &Path) -> Result<LeteIndex, IndexError> {
        let Opening {
            index,
            hold,
            lexicon,
        } = self;
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| outdated(index_dir, "another schema".to_string()))?;
        register_analyzers(index.tokenizers());
        let (lexicon, lexicon_stamp) = lexicon;
        let lexicon = Arc::new(CompoundSplitter::from(lexicon));
        let mut index = LeteIndex::new(index_dir, index, fields, lexicon);
        index.lexicon_stamp = lexicon_stamp;
        index
            .guard(|| index.reader().map(|_| ()))?
            .map_err(|err| index.damaged(&err))?;
        drop(hold);
        Ok(index)
    }
}
