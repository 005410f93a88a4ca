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
    /// The run's own time, from when it held the writer lock.
    pub seconds: f64,
    /// How long it waited for another run's writer lock first.
    pub lock_wait: f64,
    pub files_added: usize,
    pub files_changed: usize,
    pub files_removed: usize,
    pub files_unchanged: usize,
    /// Files not indexed (binary, empty, unreadable): not counted as added, changed or
    /// unchanged, which count documents (session 25's trial: a skipped file was "added", an
    /// unreadable one "changed").
    pub files_skipped: usize,
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

impl IndexReport {
    /// Counts the files listed as added or changed that were gone when they were to be read
    /// (`vanished`) as what they are now: one `added` by the run was never there, a changed
    /// one was removed (its passages went with the change).
    pub(crate) fn count_vanished<'a>(
        &mut self,
        vanished: impl Iterator<Item = &'a String>,
        added: &std::collections::HashSet<String>,
    ) {
        for source in vanished {
            self.uncount(source, added);
            if !added.contains(source) {
                self.files_removed += 1;
            }
        }
    }

    /// Counts the files of `written` that were skipped (binary, empty, unreadable) as skipped,
    /// not as the added or changed document they were listed as.
    pub(crate) fn count_skipped(
        &mut self,
        written: &[crate::index::SourceEntry],
        added: &std::collections::HashSet<String>,
    ) {
        for entry in written.iter().filter(|entry| entry.skipped.is_some()) {
            self.uncount(&entry.path, added);
            self.files_skipped += 1;
        }
    }

    /// Takes `source` out of the added or the changed count.
    fn uncount(&mut self, source: &str, added: &std::collections::HashSet<String>) {
        if added.contains(source) {
            self.files_added = self.files_added.saturating_sub(1);
        } else {
            self.files_changed = self.files_changed.saturating_sub(1);
        }
    }
}

/// `1 document`, `5 documents`: a one-file corpus is common (`--corpus rapport.pdf`).
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
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

/// A wait for the writer lock shorter than this is not said.
const SAID_LOCK_WAIT: f64 = 0.05;

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
            "{} ({}), {}, {} in {:.2} s ({} added, {} changed, {} removed, {} unchanged",
            counted(self.documents, "document"),
            languages.join(", "),
            counted(self.sections, "section"),
            counted(self.passages, "passage"),
            self.seconds,
            self.files_added,
            self.files_changed,
            self.files_removed,
            self.files_unchanged,
        )?;
        // Said only when there are any: most corpora have none, and the line stays as it was.
        if self.files_skipped > 0 {
            write!(f, "; {} skipped", self.files_skipped)?;
        }
        // A wait is at least one poll of the lock (200 ms); taking a free lock takes µs.
        if self.lock_wait >= SAID_LOCK_WAIT {
            write!(
                f,
                "; {:.2} s waiting for another lete index first",
                self.lock_wait
            )?;
        }
        write!(f, ")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_of_one_document_says_document_not_documents() {
        let report = IndexReport {
            documents: 1,
            sections: 1,
            passages: 1,
            languages: BTreeMap::from([(Lang::Da, 1)]),
            files_added: 1,
            ..IndexReport::default()
        };
        assert_eq!(
            report.to_string(),
            "1 document (da 1), 1 section, 1 passage in 0.00 s \
             (1 added, 0 changed, 0 removed, 0 unchanged)"
        );
        let two = IndexReport {
            documents: 2,
            sections: 4,
            passages: 9,
            ..report
        };
        assert!(two
            .to_string()
            .starts_with("2 documents (da 1), 4 sections, 9 passages in "));
        let waited = IndexReport {
            seconds: 0.5,
            lock_wait: 3.25,
            ..two
        };
        assert_eq!(
            waited.to_string(),
            "2 documents (da 1), 4 sections, 9 passages in 0.50 s (1 added, 0 changed, \
             0 removed, 0 unchanged; 3.25 s waiting for another lete index first)"
        );
    }
}
