//! The Tantivy settings lete's writer and the bench's bare-Tantivy baseline share: doc-store
//! blocks, writer threads and heap, merge policy.

use std::path::Path;
use tantivy::indexer::LogMergePolicy;
use tantivy::{Index, IndexWriter};

/// Tantivy's writer heap, shared by its threads (issue 3: 50 MB).
pub(crate) const WRITER_HEAP_BYTES: usize = 50_000_000;
/// More threads than this gain little on a corpus of this size and cost memory.
const MAX_WRITER_THREADS: usize = 2;

/// Bytes of stored passages compressed together in the doc store. A search reads each
/// candidate from the store, decompressing its whole block: Tantivy's 16 KB blocks hold about
/// 16 passages, of which a search wants one (issue 5's query profile: a fifth of a warm query
/// went to decompressing).
pub(crate) const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// The index settings lete's writer and the bench's bare-Tantivy baseline share.
pub(crate) fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..tantivy::IndexSettings::default()
    }
}

/// Creates an index of `schema` in `dir` with [`index_settings`]: how lete's writer and the
/// bench's bare-Tantivy baseline both create theirs.
pub(crate) fn create_configured_index(
    dir: &Path,
    schema: tantivy::schema::Schema,
) -> tantivy::Result<Index> {
    Index::builder()
        .schema(schema)
        .settings(index_settings())
        .create_in_dir(dir)
}

/// Segments this large are merged no further (Tantivy's default is 10 million). A merge
/// maps its input segments into memory, and on a 1 GB corpus the default let the last
/// merges map a gigabyte: peak RSS grew with the corpus (issue 5 asks for a bound). With
/// Tantivy's 8 segments a merge, segments stop at a few hundred thousand passages.
pub(crate) const MAX_DOCS_BEFORE_MERGE: usize = 100_000;

/// The settings lete's writer and the bench's bare-Tantivy baseline share: threads, heap
/// and merge policy.
pub(crate) fn open_configured_writer<D: tantivy::Document>(
    index: &Index,
) -> tantivy::Result<IndexWriter<D>> {
    let writer = index.writer_with_num_threads(writer_threads(), WRITER_HEAP_BYTES)?;
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// Tantivy writer threads: one per core, at most `MAX_WRITER_THREADS`.
pub(crate) fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WRITER_THREADS)
}

/// Most segments a finished full build leaves.
pub(crate) const SEGMENTS_AFTER_BUILD: usize = 2;

/// Ends a full build with at most [`SEGMENTS_AFTER_BUILD`] segments: when there are more, all
/// but the largest are merged into one, and waited for. How lete's rebuild and the bench's
/// bare-Tantivy baseline both end (issue 16: the two used to end differently, lete's merged by
/// the merge policy to a large segment and a few small ones, the baseline's left as eight of
/// one size, so their speeds were not compared at the same work). Queries look each term up,
/// and walk each posting list, once per segment: on the 100 MB bench index, the 30 dev
/// queries took 4% longer on three segments (one large) than on one; merging the large one
/// as well rewrote the whole index for that (a fifth of lete's build).
pub(crate) fn settle_segments(index: &Index) -> tantivy::Result<()> {
    let Some(smaller) = all_but_the_largest(index)? else {
        return Ok(());
    };
    let mut writer: IndexWriter = open_configured_writer(index)?;
    writer.merge(&smaller).wait()?;
    // The merged segments' files go now, not at the next writer's commit, so the folder
    // holds what the index is.
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()
}

/// The segments to merge when there are more than [`SEGMENTS_AFTER_BUILD`]. Only their ids
/// are kept: a segment's metadata held in memory keeps its files from Tantivy's garbage
/// collection.
fn all_but_the_largest(index: &Index) -> tantivy::Result<Option<Vec<tantivy::index::SegmentId>>> {
    let mut segments = index.searchable_segment_metas()?;
    if segments.len() <= SEGMENTS_AFTER_BUILD {
        return Ok(None);
    }
    segments.sort_by_key(|segment| std::cmp::Reverse(segment.max_doc()));
    Ok(Some(
        segments[1..].iter().map(|segment| segment.id()).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::TantivyDocument;

    /// Issue 16: a build left with more than two segments ends with two, the largest kept as
    /// it is and no file of a merged segment left on disk.
    #[test]
    fn settling_merges_all_but_the_largest_segment_and_leaves_no_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = create_configured_index(dir.path(), builder.build()).unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for (commit, docs) in [40, 3, 2, 1].into_iter().enumerate() {
            for n in 0..docs {
                let mut doc = TantivyDocument::default();
                doc.add_text(text, format!("kommune {commit} {n}"));
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        let largest = {
            let metas = index.searchable_segment_metas().unwrap();
            assert_eq!(metas.len(), 4);
            metas.iter().max_by_key(|meta| meta.max_doc()).unwrap().id()
        };
        settle_segments(&index).unwrap();
        let segments = index.searchable_segment_metas().unwrap();
        let mut docs: Vec<u32> = segments.iter().map(|meta| meta.max_doc()).collect();
        docs.sort_unstable();
        assert_eq!(docs, [6, 40]);
        assert!(segments.iter().any(|meta| meta.id() == largest));
        let live: std::collections::BTreeSet<String> = segments
            .iter()
            .map(|meta| meta.id().uuid_string())
            .collect();
        drop(segments);
        let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.len() > 33 && name.as_bytes()[32] == b'.')
            .map(|name| name[..32].to_string())
            .collect();
        assert_eq!(on_disk, live);
    }
}
