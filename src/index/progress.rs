//! The progress hook of an index run: the library tells an observer what it does and prints
//! nothing itself; the CLI draws a progress bar or explains with `-v` (issue 7).

use super::fresh::Staleness;
use super::manifest::SourceEntry;
use super::IndexError;

/// What an index run is about to do, told once before the first file is read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexPlan {
    /// Why the index is built from scratch, if it is.
    pub rebuild: Option<String>,
    /// New and changed files to read, and their total size in bytes.
    pub files: usize,
    pub bytes: u64,
    /// Sources indexed before and gone from the corpus now.
    pub removed: Vec<String>,
    /// Files whose index entries stay as they are.
    pub unchanged: usize,
}

/// Told about an index run as it goes. Every method has an empty default, so an observer
/// implements only what it shows. Calls come from the indexing thread, in order.
pub trait IndexObserver {
    /// The index does not answer for the corpus as it is; it is built or updated next (a
    /// search refreshing it). Told before the writer lock is taken.
    fn refreshing(&self, _staleness: &Staleness) {}
    /// The stale index cannot be updated (lete cannot write its folder, or its disk is full,
    /// as `why` says): it is opened as it was last built.
    fn answering_stale(&self, _why: &IndexError) {}
    /// The plan, before any file is read (also when there is nothing to do).
    fn start(&self, _plan: &IndexPlan) {}
    /// One file read and its passages handed to the writer; `entry.skipped` says why a file
    /// gave none.
    fn file_done(&self, _entry: &SourceEntry) {}
    /// Every file is read; the index is being committed (merging can take a while).
    fn committing(&self) {}
}

/// An observer that ignores everything: the library's default.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Unobserved;

impl IndexObserver for Unobserved {}
