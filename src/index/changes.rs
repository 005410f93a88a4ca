//! The comparison of the corpus with the manifest: which listed files are new, changed,
//! unchanged or gone since the last update.

use super::manifest::{sha256_hex, SourceEntry};
use crate::ingest::discover::CorpusFile;
use crate::ingest::{read_source, IngestError};
use std::cmp::Ordering;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// A corpus file to (re-)index, with its bytes where the comparison with the manifest read
/// them to hash them and kept them.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub file: CorpusFile,
    pub read: Option<ReadFile>,
}

/// A file's bytes as read once, and their hash: what is indexed is what the manifest
/// describes (issue 14).
#[derive(Debug, Clone)]
pub(crate) struct ReadFile {
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// When reading began: a modification time close to it is not trusted ([`trusted_mtime`]).
    pub read_at: SystemTime,
    /// The file's size and mtime as its open handle gave them after the read, when known.
    pub stat: Option<(u64, u64)>,
}

impl ReadFile {
    pub(crate) fn new(bytes: Vec<u8>) -> ReadFile {
        let sha256 = sha256_hex(&bytes);
        ReadFile {
            bytes,
            sha256,
            read_at: SystemTime::now(),
            stat: None,
        }
    }

    /// Reads and hashes the file at `path` as every command reads a source: a regular file
    /// only, and a binary one only up to the block that shows it (issue 18). The hash is of
    /// the bytes read, which decide what the file gives (a binary file is skipped whatever
    /// follows its first NUL byte).
    pub(crate) fn read(path: &Path) -> Result<ReadFile, IngestError> {
        let read_at = SystemTime::now();
        read_source(path).map(|read| ReadFile {
            read_at,
            stat: read.stat,
            ..ReadFile::new(read.bytes)
        })
    }
}

/// How close to the moment a file was read its modification time may be and still tell a
/// later write apart. Timestamps move in ticks: a file written again within the tick of its
/// last change, at the same size, keeps its mtime, and an index that trusted it would keep
/// the old bytes for good. Such an entry records no mtime (0), so the next run compares
/// content, as git treats "racily clean" entries (issue 18: the manifest describes the bytes
/// indexed, never a guess). A file system that keeps nanoseconds moves its clock in kernel
/// ticks (1 to 10 ms); one that keeps whole seconds (FAT: 2 s) in seconds.
const FINE_TICK_WINDOW_NS: u64 = 50_000_000;
const COARSE_TICK_WINDOW_NS: u64 = 2_000_000_000;

/// The mtime the manifest records for `file` after `read`: the listing's, where it is
/// trusted ([`trusted_mtime`]) and the file read is the one listed (the same size and mtime
/// on its open handle after the read), else 0, so the next run compares content. A file
/// renamed over, rewritten or replaced between the listing and the read had been recorded
/// with the listing's stat and another file's bytes, and stayed so for good (break trial of
/// issue 16: folders swapped by `rename` during `lete index`).
pub(crate) fn recorded_mtime(file: &CorpusFile, read: &ReadFile) -> u64 {
    match read.stat {
        Some(stat) if stat != (file.size, file.mtime_ns) => 0,
        _ => trusted_mtime(file.mtime_ns, read.read_at),
    }
}

/// `mtime_ns` if it is older than `read_at` by more than a timestamp tick, else 0.
pub(crate) fn trusted_mtime(mtime_ns: u64, read_at: SystemTime) -> u64 {
    let read_ns = read_at.duration_since(UNIX_EPOCH).map_or(0, |since| {
        u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
    });
    let window = if mtime_ns.is_multiple_of(1_000_000_000) {
        COARSE_TICK_WINDOW_NS
    } else {
        FINE_TICK_WINDOW_NS
    };
    if read_ns.saturating_sub(window) > mtime_ns {
        mtime_ns
    } else {
        0
    }
}

/// Whether [`diff`] keeps the bytes it read to hash a changed file, for the update that
/// indexes it next: then the file is read once (issue 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DiffReads {
    Keep,
    /// Nothing is indexed after the comparison (`lete stats`).
    Drop,
}

/// At most this many bytes read by [`diff`] are kept: a corpus whose files were all touched
/// and edited in place is read twice rather than held in memory.
pub(super) const KEPT_READ_BYTES: u64 = 32 * 1024 * 1024;

/// How [`diff`] decides that a file is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DiffRules {
    pub reads: DiffReads,
    /// Hash every file, also those whose size and mtime match the manifest (`--refresh
    /// always`: for copies that keep mtimes, or a clock that cannot be trusted).
    pub hash_all: bool,
    /// When the manifest's files were listed ([`Manifest::listed_at_ns`]): a file whose mtime
    /// is this close to it may have been written again within the same clock tick, after it
    /// was read, so its mtime proves nothing and its bytes are hashed. 0: unknown.
    ///
    /// [`Manifest::listed_at_ns`]: super::manifest::Manifest::listed_at_ns
    pub listed_at_ns: u64,
}

impl DiffRules {
    /// Trust size and mtime, keep what was read for the update.
    pub(super) fn keep(listed_at_ns: u64) -> DiffRules {
        DiffRules {
            reads: DiffReads::Keep,
            hash_all: false,
            listed_at_ns,
        }
    }
}

/// A file whose recorded mtime is less than this before the listing that recorded it is
/// hashed to be sure it is unchanged (git's "racily clean" entries): file systems stamp
/// mtimes with a clock that ticks every few milliseconds (two seconds on FAT), so a file
/// written twice within one tick, around the time it was indexed, keeps its mtime. Once
/// hashed and found unchanged, the manifest remembers a later listing time and the file is
/// trusted from then on.
const RACY_WINDOW_NS: u64 = 2_000_000_000;

/// The difference between the corpus and the manifest.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// Entries still valid; their mtime is refreshed where only the mtime moved.
    pub unchanged: Vec<SourceEntry>,
    pub added: Vec<Pending>,
    pub changed: Vec<Pending>,
    /// Source paths indexed before and no longer in the corpus.
    pub removed: Vec<String>,
    /// Unchanged files were hashed because their mtime moved or proved nothing: a manifest
    /// written now would spare the next run hashing them again.
    pub worth_remembering: bool,
}

impl Changes {
    /// Whether the index content must change.
    pub(super) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares the corpus with the manifest: size and mtime first, the content hash only where
/// they differ or prove nothing (see [`DiffRules`]), so an untouched corpus is not read.
pub(super) fn diff(files: Vec<CorpusFile>, previous: &[SourceEntry], rules: DiffRules) -> Changes {
    let mut keep_bytes = match rules.reads {
        DiffReads::Keep => KEPT_READ_BYTES,
        DiffReads::Drop => 0,
    };
    let mut changes = Changes::default();
    let mut known = KnownSources::new(previous);
    for file in files {
        let Some(entry) = known.take(&file.source) else {
            changes.added.push(Pending { file, read: None });
            continue;
        };
        // Another size is another content: no need to read it here.
        if entry.size != file.size {
            changes.changed.push(Pending { file, read: None });
            continue;
        }
        let same_mtime = entry.mtime_ns == file.mtime_ns;
        // An entry of no mtime (0: too close to its read to be trusted, issue 18) proves
        // nothing either.
        let racy = entry.mtime_ns == 0
            || (rules.listed_at_ns > 0
                && entry.mtime_ns.saturating_add(RACY_WINDOW_NS) >= rules.listed_at_ns);
        if same_mtime && !racy && !rules.hash_all {
            changes.unchanged.push(entry.clone());
            continue;
        }
        // A file that cannot be read gets an empty hash: indexing reports why.
        let read = ReadFile::read(&file.path).ok();
        let sha256 = read.as_ref().map_or("", |read| read.sha256.as_str());
        if sha256 == entry.sha256 {
            // Its mtime, where it is old enough to be trusted (issue 18), is remembered so
            // that the next run need not hash the file again (issue 16); an mtime still within
            // the tick of the read is not, and the file is hashed again next time.
            let mtime_ns = read.as_ref().map_or(0, |read| recorded_mtime(&file, read));
            changes.worth_remembering |= mtime_ns != 0 && (mtime_ns != entry.mtime_ns || racy);
            let mut entry = entry.clone();
            entry.mtime_ns = mtime_ns;
            changes.unchanged.push(entry);
            continue;
        }
        let size = read.as_ref().map_or(0, |read| read.bytes.len() as u64);
        let read = read.filter(|_| size <= keep_bytes);
        if read.is_some() {
            keep_bytes -= size;
        }
        changes.changed.push(Pending { file, read });
    }
    changes.removed = known.rest();
    changes
}

/// The manifest's entries, met in path order by a listing in path order: a merge of the two
/// sorted lists, with no table to build (the manifest is sorted when written; one that is not
/// is sorted here).
struct KnownSources<'a> {
    sorted: Vec<&'a SourceEntry>,
    next: usize,
    /// Entries passed over: in the manifest, not in the listing.
    gone: Vec<&'a SourceEntry>,
}

impl<'a> KnownSources<'a> {
    fn new(previous: &'a [SourceEntry]) -> KnownSources<'a> {
        let mut sorted: Vec<&SourceEntry> = previous.iter().collect();
        if !sorted.is_sorted_by(|a, b| a.path < b.path) {
            sorted.sort_by(|a, b| a.path.cmp(&b.path));
        }
        KnownSources {
            sorted,
            next: 0,
            gone: Vec::new(),
        }
    }

    /// The entry of `source`, which comes after every source asked for before.
    fn take(&mut self, source: &str) -> Option<&'a SourceEntry> {
        while let Some(&entry) = self.sorted.get(self.next) {
            match entry.path.as_str().cmp(source) {
                Ordering::Less => self.gone.push(entry),
                Ordering::Equal => {
                    self.next += 1;
                    return Some(entry);
                }
                Ordering::Greater => return None,
            }
            self.next += 1;
        }
        None
    }

    /// The paths of the entries no listed file matched.
    fn rest(mut self) -> Vec<String> {
        self.gone.extend(&self.sorted[self.next..]);
        self.gone.iter().map(|entry| entry.path.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::discover::{list_corpus, CorpusListing, FileSelection};
    use crate::lang::Lang;
    use std::fs;

    fn list(dir: &Path) -> CorpusListing {
        list_corpus(dir, &FileSelection::default()).unwrap()
    }

    fn entry_for(file: &CorpusFile, bytes: &[u8]) -> SourceEntry {
        SourceEntry {
            path: file.source.clone(),
            size: file.size,
            mtime_ns: file.mtime_ns,
            sha256: sha256_hex(bytes),
            lang: Some(Lang::Nb),
            sections: 1,
            passages: 1,
            skipped: None,
        }
    }

    #[test]
    fn r18_an_mtime_within_the_tick_of_the_read_is_not_trusted() {
        let read_at = SystemTime::now();
        let now_ns = read_at.duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64;
        let fine = now_ns / 1_000 * 1_000 + 7;
        assert_eq!(trusted_mtime(fine - 1_000_000, read_at), 0);
        assert_eq!(
            trusted_mtime(fine - 500_000_000, read_at),
            fine - 500_000_000
        );
        assert_eq!(trusted_mtime(fine + 5_000_000_000, read_at), 0);
        // Whole seconds: a file system of coarse timestamps.
        let second = now_ns / 1_000_000_000 * 1_000_000_000 - 1_000_000_000;
        assert_eq!(trusted_mtime(second, read_at), 0);
        let an_hour_ago = second - 3_600_000_000_000;
        assert_eq!(trusted_mtime(an_hour_ago, read_at), an_hour_ago);
    }

    /// Break trial of issue 16: a file replaced by another (a `rename` over it) between the
    /// listing and the read was recorded with the listing's stat and the other file's bytes;
    /// once the first was back, its stat matched the record and its old bytes stayed indexed
    /// for good. The read's own stat tells the files apart: no mtime is recorded.
    #[test]
    fn r16_a_file_replaced_between_listing_and_read_records_no_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let listed = dir.path().join("a.txt");
        let other = dir.path().join("b.txt");
        let an_hour_ago = SystemTime::now() - std::time::Duration::from_secs(3_600);
        for (path, text, age) in [(&listed, "Alfa tekst", 0), (&other, "Beta tekst", 60)] {
            fs::write(path, text).unwrap();
            let file = fs::File::options().write(true).open(path).unwrap();
            file.set_modified(an_hour_ago - std::time::Duration::from_secs(age))
                .unwrap();
        }
        let files = list(dir.path()).files;
        let kept = ReadFile::read(&other).unwrap();
        assert_eq!(recorded_mtime(&files[1], &kept), files[1].mtime_ns);
        assert_ne!(files[1].mtime_ns, 0);
        fs::rename(&other, &listed).unwrap();
        let read = ReadFile::read(&listed).unwrap();
        assert_eq!(read.bytes, b"Beta tekst");
        assert_eq!(recorded_mtime(&files[0], &read), 0);
    }

    /// Issue 18: a file written, indexed and written again at the same size within one tick
    /// of its timestamp looks untouched by size and mtime; its entry kept no mtime, so the
    /// next run compares its content and finds the change.
    #[test]
    fn r18_a_rewrite_in_the_same_tick_as_the_read_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("001_a.txt");
        fs::write(&path, "Velferd").unwrap();
        let files = list(dir.path()).files;
        let read = ReadFile::read(&path).unwrap();
        let mut entry = entry_for(&files[0], &read.bytes);
        // Read a millisecond after it was written.
        let read_at = UNIX_EPOCH + std::time::Duration::from_nanos(files[0].mtime_ns + 1_000_000);
        entry.mtime_ns = trusted_mtime(files[0].mtime_ns, read_at);
        // The same size, and (as a coarse clock gives) the same mtime as listed.
        fs::write(&path, "Velfard").unwrap();
        let mut again = list(dir.path()).files;
        again[0].mtime_ns = files[0].mtime_ns;
        let changes = diff(again, &[entry], DiffRules::keep(0));
        assert_eq!(changes.changed.len(), 1);
    }

    #[test]
    fn a_touched_file_with_the_same_bytes_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        let files = list(dir.path()).files;
        let mut entry = entry_for(&files[0], b"Velferd");
        entry.mtime_ns += 1;
        let changes = diff(files, &[entry], DiffRules::keep(0));
        assert!(changes.is_empty());
        assert_eq!(changes.unchanged.len(), 1);
    }

    #[test]
    fn added_changed_and_removed_are_found() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        fs::write(dir.path().join("002_b.txt"), "Velfærd").unwrap();
        let files = list(dir.path()).files;
        let mut changed = entry_for(&files[0], b"Velferd i kommunen");
        changed.size += 1;
        let mut gone = changed.clone();
        gone.path = "corpus/003_c.txt".to_string();
        let changes = diff(files, &[changed, gone], DiffRules::keep(0));
        assert_eq!(changes.changed.len(), 1);
        assert_eq!(changes.added.len(), 1);
        assert_eq!(changes.removed, vec!["corpus/003_c.txt".to_string()]);
    }

    #[test]
    fn a_touched_file_with_other_bytes_of_the_same_size_is_read_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("001_a.txt"), "Velferd").unwrap();
        let files = list(dir.path()).files;
        let mut entry = entry_for(&files[0], b"Velfard");
        entry.mtime_ns += 1;
        let changes = diff(files.clone(), &[entry.clone()], DiffRules::keep(0));
        let read = changes.changed[0].read.as_ref().expect("kept");
        assert_eq!(read.bytes, b"Velferd");
        assert_eq!(read.sha256, sha256_hex(b"Velferd"));
        let changes = diff(
            files,
            &[entry],
            DiffRules {
                reads: DiffReads::Drop,
                ..DiffRules::keep(0)
            },
        );
        assert!(changes.changed[0].read.is_none());
    }
}
