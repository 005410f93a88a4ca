//! What an index run reports: the counts, the files added, changed and removed, warnings, and
//! where the time went.

use crate::lang::Lang;
use std::collections::BTreeMap;
use std::fmt;

/// What an index run did and what the index now holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexReport {
    /// Documents in the index (skipped files not counted).
    pub documents: usize,
    pub sections: usize,
    pub passages: usize,
    /// Documents per language.
    pub languages: BTreeMap<Lang, usize>,
    pub seconds: f64,
    pub files_added: usize,
    pub files_changed: usize,
    pub files_removed: usize,
    pub files_unchanged: usize,
    /// Skipped files and remarks not said before, each `PATH: REASON`.
    pub warnings: Vec<String>,
    /// Warnings a run before said already, about files unchanged since (issue 19: said again
    /// only under `-v`; `lete stats` lists the skipped files).
    pub repeated_warnings: Vec<String>,
    /// What the run did that the user did not ask for in so many words (another file
    /// selection than the index was built with).
    pub notes: Vec<String>,
    /// Why the index was built from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Where the run's time went (for `lete bench`).
    pub timings: IndexTimings,
}

/// Where an index run's time went, in seconds (issue 5: `lete bench` reports the phases).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IndexTimings {
    /// Learning the compound lexicon before indexing (wall), loading the files of its sample
    /// included: they are loaded once, for the lexicon and the writer alike (issue 14).
    pub lexicon: f64,
    /// Reading, hashing, decoding, normalizing and segmenting files, summed over the loader
    /// threads (CPU time of that stage; it runs alongside the writer, save for the lexicon's
    /// sample, loaded before).
    pub load: f64,
    /// From the first file handed to the writer to the last (wall; analysis happens here, in
    /// Tantivy's writer threads).
    pub writing: f64,
    /// The commit and the merges it waits for (wall).
    pub commit: f64,
}

impl fmt::Display for IndexReport {
    /// The one-line summary `lete index` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let languages: Vec<String> = self
            .languages
            .iter()
            .map(|(lang, count)| format!("{lang} {count}"))
            .collect();
        write!(
            f,
            "{} documents ({}), {} sections, {} passages in {:.2} s \
             ({} added, {} changed, {} removed, {} unchanged)",
            self.documents,
            languages.join(", "),
            self.sections,
            self.passages,
            self.seconds,
            self.files_added,
            self.files_changed,
            self.files_removed,
            self.files_unchanged,
        )
    }
}
