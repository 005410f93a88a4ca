//! Corpus discovery: which files of the corpus folder (and its sub-folders) are documents, by
//! the `--include` and `--exclude` globs, found by a walk that follows symbolic links. A
//! corpus may also be a single file, which is then the one document.

use super::shown_path;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Why the corpus folder cannot be listed. Each Display is one line that says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("the corpus folder {path} holds no {wanted}; add documents or pass --corpus DIR")]
    CorpusEmpty { path: String, wanted: String },
    #[error("invalid {flag} glob '{pattern}': {reason}")]
    BadGlob {
        flag: String,
        pattern: String,
        reason: String,
    },
    #[error("cannot read the corpus folder {path}: {error}")]
    CorpusUnreadable { path: String, error: io::Error },
}

/// A source file found in the corpus folder.
#[derive(Debug, Clone)]
pub(crate) struct CorpusFile {
    pub path: PathBuf,
    /// The path inside the corpus folder (`sub/a.txt`, `/`-separated; a single-file corpus's
    /// file name), as stored in the index: every spelling of the corpus folder gives the same
    /// sources (issue 19).
    pub source: String,
    pub size: u64,
    pub mtime_ns: u64,
}

/// The globs a file must match when no `--include` is given: every format lete reads
/// (issue 15).
pub(crate) const DEFAULT_INCLUDE: &[&str] = &super::format::DOCUMENT_GLOBS;
/// The formats of `DEFAULT_INCLUDE`, as messages name them: `.txt, .md, …`, every one.
fn document_formats() -> String {
    let endings: Vec<&str> = DEFAULT_INCLUDE
        .iter()
        .map(|glob| glob.trim_start_matches('*'))
        .collect();
    endings.join(", ")
}
/// At most this many not-included files are named in their one summary warning.
const NAMED_NOT_INCLUDED: usize = 5;

/// Which files of the corpus folder are documents: `--include` and `--exclude` globs matched
/// against the path inside the corpus folder (`sub/a.txt`), case-insensitively, `*` crossing
/// `/` (so `*.txt` finds text files at any depth).
#[derive(Debug, Clone)]
pub struct FileSelection {
    include: GlobSet,
    exclude: GlobSet,
    patterns: SelectionPatterns,
    /// Whether `--include` or `--exclude` chose it; else the index's own selection applies
    /// (issue 19: a search without them keeps the files the index was built with).
    given: bool,
}

/// The globs of a [`FileSelection`], as the index's manifest remembers them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SelectionPatterns {
    /// Never empty: `DEFAULT_INCLUDE` when no `--include` was given.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl std::fmt::Display for SelectionPatterns {
    /// As the options would say it: `--include '*.md' --exclude 'drafts/**'`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let flags = (self.include.iter().map(|glob| ("--include", glob)))
            .chain(self.exclude.iter().map(|glob| ("--exclude", glob)));
        let said: Vec<String> = flags
            .map(|(flag, glob)| format!("{flag} '{glob}'"))
            .collect();
        f.write_str(&said.join(" "))
    }
}

impl Default for FileSelection {
    /// Every document lete reads (`DEFAULT_INCLUDE`), at any depth; not given, so an index's
    /// own selection wins.
    fn default() -> FileSelection {
        FileSelection::new(&[], &[]).expect("the default glob is valid")
    }
}

impl FileSelection {
    /// `include` empty means every format lete reads (`DEFAULT_INCLUDE`). Given (by
    /// `--include`/`--exclude`) when either is not empty.
    pub fn new(include: &[String], exclude: &[String]) -> Result<FileSelection, DiscoverError> {
        let include_patterns = if include.is_empty() {
            DEFAULT_INCLUDE
                .iter()
                .map(|glob| glob.to_string())
                .collect()
        } else {
            include.to_vec()
        };
        Ok(FileSelection {
            include: glob_set("--include", &include_patterns)?,
            exclude: glob_set("--exclude", exclude)?,
            patterns: SelectionPatterns {
                include: include_patterns,
                exclude: exclude.to_vec(),
            },
            given: !include.is_empty() || !exclude.is_empty(),
        })
    }

    /// The selection an index remembers.
    pub(crate) fn from_patterns(
        patterns: &SelectionPatterns,
    ) -> Result<FileSelection, DiscoverError> {
        FileSelection::new(&patterns.include, &patterns.exclude)
    }

    /// Its globs.
    pub fn patterns(&self) -> &SelectionPatterns {
        &self.patterns
    }

    /// Whether `--include` or `--exclude` chose it.
    /// This selection, as if given: it replaces the index's own (`lete index --rebuild`
    /// starts over with the default selection).
    pub(crate) fn chosen(mut self) -> FileSelection {
        self.given = true;
        self
    }

    pub fn is_given(&self) -> bool {
        self.given
    }

    fn includes(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }

    fn excludes(&self, relative: &Path) -> bool {
        self.exclude.is_match(relative)
    }

    /// What the corpus must hold, for messages: `documents (.txt, .md, …)`, `files
    /// matching *.md, *.txt`.
    pub fn describe(&self) -> String {
        if self.patterns.include == DEFAULT_INCLUDE {
            format!("documents ({})", document_formats())
        } else {
            format!("files matching {}", self.patterns.include.join(", "))
        }
    }
}

fn glob_set(flag: &str, patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .map_err(|err| DiscoverError::BadGlob {
                flag: flag.to_string(),
                pattern: pattern.clone(),
                reason: err.kind().to_string(),
            })?;
        builder.add(glob);
    }
    builder.build().map_err(|err| DiscoverError::BadGlob {
        flag: flag.to_string(),
        pattern: patterns.join(" "),
        reason: err.to_string(),
    })
}

/// The documents of the corpus, and one-line reasons (`PATH: REASON; skipped`) for what was
/// found and left out.
#[derive(Debug, Default)]
pub(crate) struct CorpusListing {
    /// Sorted by source path.
    pub files: Vec<CorpusFile>,
    pub warnings: Vec<String>,
}

/// The selected files of `corpus` and its sub-folders, followed through symbolic links,
/// sorted by path. Hidden entries (`.name`) are passed over silently; broken links, link
/// loops, unreadable folders and entries that are not regular files are warnings; files the
/// selection leaves out are named in one summary warning (those `--exclude` names are not).
#[cfg(test)]
pub(crate) fn list_corpus(
    corpus: &Path,
    selection: &FileSelection,
) -> Result<CorpusListing, DiscoverError> {
    walk_corpus(corpus, selection, None)
}

/// As [`list_corpus`], leaving out the index folder wherever a link leads to it (issue 18:
/// a link to the index made lete index its own lexicon, a little more on every run).
pub(crate) fn list_corpus_for_index(
    corpus: &Path,
    selection: &FileSelection,
    index_dir: &Path,
) -> Result<CorpusListing, DiscoverError> {
    walk_corpus(corpus, selection, Some(index_dir))
}

fn walk_corpus(
    corpus: &Path,
    selection: &FileSelection,
    index_dir: Option<&Path>,
) -> Result<CorpusListing, DiscoverError> {
    let unreadable = |error| DiscoverError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error,
    };
    let root = fs::metadata(corpus).map_err(unreadable)?;
    if !root.is_dir() {
        return single_file(corpus);
    }
    let root_id = FolderId::of(corpus, &root).map_err(unreadable)?;
    let mut walk = Walk {
        corpus,
        selection,
        index: index_dir.and_then(IndexFolder::find),
        listing: CorpusListing::default(),
        visited: HashMap::new(),
        not_included: Vec::new(),
        shown: super::ShownSources::new(corpus),
        files: Vec::new(),
    };
    walk.visited.insert(root_id.clone(), PathBuf::new());
    walk.folders(root_id)?;
    let Walk {
        mut listing,
        not_included,
        files,
        ..
    } = walk;
    let (found, warnings) = stat_in_parallel(corpus, files);
    listing.files = found;
    listing.warnings.extend(warnings);
    if listing.files.is_empty() {
        return Err(DiscoverError::CorpusEmpty {
            path: corpus.display().to_string(),
            wanted: selection.describe(),
        });
    }
    // One warning a file, as `lete stats` lists them and as the index remembers them (so a
    // run names only files newly left out); said grouped, by `grouped_warnings`.
    let reason = not_included_reason(selection);
    let not_included = not_included.iter().map(|path| format!("{path}: {reason}"));
    listing.warnings.extend(not_included);
    listing.files.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(listing)
}

/// A corpus that is one file: that file is the document, whatever its name (the user named
/// it: `--include` does not apply), under its file name.
fn single_file(corpus: &Path) -> Result<CorpusListing, DiscoverError> {
    let unreadable = |error| DiscoverError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error,
    };
    let metadata = fs::metadata(corpus).map_err(unreadable)?;
    if !metadata.is_file() {
        let error = io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a folder or a regular file",
        );
        return Err(unreadable(error));
    }
    let name = corpus.file_name().unwrap_or(corpus.as_os_str());
    Ok(CorpusListing {
        files: vec![CorpusFile {
            path: corpus.to_path_buf(),
            // As a folder's files are named (issue 18): a name that is not UTF-8 keeps its
            // own text, not `to_string_lossy`'s (session 26).
            source: super::source_name(Path::new(name)),
            size: metadata.len(),
            mtime_ns: mtime_ns(&metadata),
        }],
        warnings: Vec::new(),
    })
}

/// Why a file the selection leaves out is skipped: `not a document lete reads (.txt, …);
/// skipped`, or `does not match --include '*.pdf'; skipped`.
fn not_included_reason(selection: &FileSelection) -> String {
    if selection.patterns.include == DEFAULT_INCLUDE {
        format!("{NOT_A_DOCUMENT} ({}); skipped", document_formats())
    } else {
        let globs: Vec<String> = selection
            .patterns
            .include
            .iter()
            .map(|glob| format!("'{glob}'"))
            .collect();
        format!("{NOT_MATCHING} {}; skipped", globs.join(" or "))
    }
}

/// How the reason of a file the selection leaves out begins.
const NOT_A_DOCUMENT: &str = "not a document lete reads";
const NOT_MATCHING: &str = "does not match --include";

/// `warnings` as said on stderr: the files the selection leaves out (a warning each) in one
/// line, where the first of them stood, the rest as they are.
pub(crate) fn grouped_warnings(warnings: Vec<String>) -> Vec<String> {
    let mut left_out: Vec<(String, String)> = Vec::new();
    let mut grouped = Vec::with_capacity(warnings.len());
    let mut at = None;
    for warning in warnings {
        match split_not_included(&warning) {
            Some((path, reason)) => {
                at.get_or_insert(grouped.len());
                left_out.push((path.to_string(), reason.to_string()));
            }
            None => grouped.push(warning),
        }
    }
    if let Some(at) = at {
        let reason = left_out[0].1.clone();
        let paths: Vec<String> = left_out.into_iter().map(|(path, _)| path).collect();
        grouped.insert(at, not_included_warning(&paths, &reason));
    }
    grouped
}

/// The path and the reason of a warning about a file the selection leaves out.
fn split_not_included(warning: &str) -> Option<(&str, &str)> {
    [NOT_A_DOCUMENT, NOT_MATCHING].iter().find_map(|start| {
        let at = warning.rfind(&format!(": {start}"))?;
        Some((&warning[..at], &warning[at + 2..]))
    })
}

/// One line for all files left out for not matching `--include`, worded as a user reads it:
/// `1 file is not a document lete reads (.txt, …): …`, `2 files do not match --include
/// '*.pdf': …` (it said `1 file is not documents` and `files are not files matching *.pdf`:
/// found in the trial of issues 15 to 20). `reason` is the files' [`not_included_reason`].
fn not_included_warning(sources: &[String], reason: &str) -> String {
    let mut named: Vec<&str> = sources
        .iter()
        .take(NAMED_NOT_INCLUDED)
        .map(String::as_str)
        .collect();
    let more = sources.len().saturating_sub(NAMED_NOT_INCLUDED);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    named.sort_unstable();
    let one = sources.len() == 1;
    let reason = reason.strip_suffix("; skipped").unwrap_or(reason);
    let left_out = match reason.strip_prefix(NOT_MATCHING) {
        Some(globs) if one => format!("1 file does not match --include{globs}"),
        Some(globs) => format!("{} files do not match --include{globs}", sources.len()),
        None if one => format!("1 file is {reason}"),
        None => {
            let formats = reason.strip_prefix(NOT_A_DOCUMENT).unwrap_or("");
            format!(
                "{} files are not documents lete reads{formats}",
                sources.len()
            )
        }
    };
    format!(
        "{left_out}: {}{more}; skipped (--include GLOB adds {}, --exclude GLOB silences this)",
        named.join(", "),
        if one { "it" } else { "them" },
    )
}

/// A folder by identity (device and inode on Unix): the same folder however a path or a link
/// reaches it. Telling folders apart this way costs nothing beyond the one `stat` a folder
/// gets; resolving each folder's canonical path cost one `readlink` per level of its path, and
/// comparing those paths grew with the depth too (issue 18: 125,757 `readlink` calls at depth
/// 500, no answer at depth 10,000).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FolderId {
    #[cfg(unix)]
    device_inode: (u64, u64),
    #[cfg(not(unix))]
    canonical: PathBuf,
}

impl FolderId {
    #[cfg(unix)]
    fn of(_path: &Path, metadata: &fs::Metadata) -> io::Result<FolderId> {
        use std::os::unix::fs::MetadataExt;
        Ok(FolderId {
            device_inode: (metadata.dev(), metadata.ino()),
        })
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _metadata: &fs::Metadata) -> io::Result<FolderId> {
        Ok(FolderId {
            canonical: fs::canonicalize(path)?,
        })
    }
}

/// The index folder, which the walk never enters, and where it is.
struct IndexFolder {
    id: FolderId,
    dir: PathBuf,
}

impl IndexFolder {
    /// `None` when there is no index folder yet (then nothing can lead into it).
    fn find(index_dir: &Path) -> Option<IndexFolder> {
        let metadata = fs::metadata(index_dir).ok()?;
        Some(IndexFolder {
            id: FolderId::of(index_dir, &metadata).ok()?,
            dir: index_dir.to_path_buf(),
        })
    }

    /// Whether the file a link leads to lies in the index folder.
    fn holds_link_target(&self, link: &Path) -> bool {
        let Some(folder) = fs::canonicalize(link)
            .ok()
            .and_then(|target| target.parent().map(Path::to_path_buf))
        else {
            return false;
        };
        fs::metadata(&folder)
            .ok()
            .and_then(|metadata| FolderId::of(&folder, &metadata).ok())
            .is_some_and(|id| id == self.id)
    }
}

/// A folder being listed: where it is inside the corpus, its identity, and its entries not
/// yet looked at, in name order. Entries are read whole and the folder closed before its
/// sub-folders are entered, so one folder is open at a time however deep the corpus is.
struct OpenFolder {
    relative: PathBuf,
    id: FolderId,
    entries: std::vec::IntoIter<(OsString, Option<fs::FileType>)>,
}

/// A file the walk selected, to `stat` once the walk is done: with the metadata already
/// read where the walk had to (a link, followed).
struct FileToStat {
    relative: PathBuf,
    metadata: Option<fs::Metadata>,
}

/// The state of one corpus walk.
struct Walk<'a> {
    corpus: &'a Path,
    selection: &'a FileSelection,
    index: Option<IndexFolder>,
    listing: CorpusListing,
    /// Folders entered so far, with the path inside the corpus they were entered by.
    visited: HashMap<FolderId, PathBuf>,
    not_included: Vec<String>,
    /// How a path inside the corpus is shown.
    shown: super::ShownSources,
    /// Selected files, in walk order.
    files: Vec<FileToStat>,
}

impl Walk<'_> {
    /// Lists the corpus folder and, depth first, its sub-folders, entries in name order.
    /// Iterative, with the folders from the corpus down to the current one on a stack of
    /// its own, so that the depth costs neither recursion nor a look along the path. Only
    /// the corpus folder itself failing to open is an error.
    fn folders(&mut self, root: FolderId) -> Result<(), DiscoverError> {
        let entries =
            self.entries(Path::new(""))
                .map_err(|error| DiscoverError::CorpusUnreadable {
                    path: self.corpus.display().to_string(),
                    error,
                })?;
        let mut stack = vec![OpenFolder {
            relative: PathBuf::new(),
            id: root,
            entries: entries.into_iter(),
        }];
        while let Some(top) = stack.last_mut() {
            let Some((name, kind)) = top.entries.next() else {
                stack.pop();
                continue;
            };
            let relative = top.relative.join(&name);
            if let Some(folder) = self.entry(relative, kind, &stack) {
                stack.push(folder);
            }
        }
        Ok(())
    }

    /// The entries of the folder at `relative`, hidden ones left out, in name order, with
    /// their types as the folder listing gives them (no `stat`).
    fn entries(&self, relative: &Path) -> io::Result<Vec<(OsString, Option<fs::FileType>)>> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(self.corpus.join(relative))? {
            let entry = entry?;
            let name = entry.file_name();
            if is_hidden(&name) {
                continue;
            }
            entries.push((name, entry.file_type().ok()));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// Looks at one entry: a selected file is kept for its `stat`, a folder to enter is
    /// returned (open, its entries read).
    fn entry(
        &mut self,
        relative: PathBuf,
        kind: Option<fs::FileType>,
        ancestors: &[OpenFolder],
    ) -> Option<OpenFolder> {
        if self.selection.excludes(&relative) {
            return None;
        }
        match kind {
            Some(kind) if kind.is_dir() => self.sub_folder(relative, ancestors),
            Some(kind) if kind.is_file() => {
                self.file(relative, None);
                None
            }
            // A link (followed), or a type the listing did not give.
            _ => {
                let is_link = kind.is_some_and(|kind| kind.is_symlink());
                self.followed(relative, is_link, ancestors)
            }
        }
    }

    /// A link, or an entry of unknown type: what it leads to.
    fn followed(
        &mut self,
        relative: PathBuf,
        is_link: bool,
        ancestors: &[OpenFolder],
    ) -> Option<OpenFolder> {
        let path = self.corpus.join(&relative);
        // Follows symbolic links: a linked file or folder is part of the corpus like any other.
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(_) if fs::read_link(&path).is_ok() && !path.exists() => {
                self.skip_link(&path);
                return None;
            }
            Err(error) => {
                self.cannot_read(&path, &error, "cannot read");
                return None;
            }
        };
        if metadata.is_dir() {
            return self.sub_folder(relative, ancestors);
        }
        let into_index = self
            .index
            .as_ref()
            .filter(|index| is_link && metadata.is_file() && index.holds_link_target(&path));
        if let Some(index) = into_index {
            let reason = format!("a link into the index folder {}", shown_path(&index.dir));
            self.skip(&path, &reason);
            return None;
        }
        self.file(relative, Some(metadata));
        None
    }

    /// A file, selected or named among the files `--include` leaves out.
    fn file(&mut self, relative: PathBuf, metadata: Option<fs::Metadata>) {
        if !self.selection.includes(&relative) {
            // As hits show it: no `./`, a name that is not UTF-8 escaped (session 25's trial:
            // `./notes.csv`).
            let shown = self.shown.show(&super::source_name(&relative));
            self.not_included.push(shown);
            return;
        }
        self.files.push(FileToStat { relative, metadata });
    }

    /// A link whose target is missing or loops.
    fn skip_link(&mut self, path: &Path) {
        let target = fs::read_link(path)
            .map(|target| shown_path(&target))
            .unwrap_or_default();
        let reason = match fs::metadata(path) {
            Err(error) if error.raw_os_error() == Some(ELOOP) => {
                format!("symbolic link loop (-> {target})")
            }
            _ => format!("broken symbolic link (-> {target}, which does not exist)"),
        };
        self.skip(path, &reason);
    }

    /// A folder to enter, unless it is one of the folders it lies in (a link loop), was
    /// entered already by another path, or is the index folder.
    fn sub_folder(&mut self, relative: PathBuf, ancestors: &[OpenFolder]) -> Option<OpenFolder> {
        let path = self.corpus.join(&relative);
        let id = match fs::metadata(&path).and_then(|metadata| FolderId::of(&path, &metadata)) {
            Ok(id) => id,
            Err(error) => {
                self.cannot_read(&path, &error, "cannot read the folder");
                return None;
            }
        };
        if let Some(index) = self.index.as_ref().filter(|index| index.id == id) {
            let reason = format!("the index folder {}", shown_path(&index.dir));
            self.skip(&path, &reason);
            return None;
        }
        if ancestors.iter().any(|folder| folder.id == id) {
            let reason = format!("symbolic link loop (leads back to {})", self.shown(&id));
            self.skip(&path, &reason);
            return None;
        }
        if let Some(first) = self.visited.get(&id) {
            let first = shown_path(&self.corpus.join(first));
            let reason = format!("the same folder as {first}, listed already");
            self.skip(&path, &reason);
            return None;
        }
        let entries = match self.entries(&relative) {
            Ok(entries) => entries,
            Err(error) => {
                self.cannot_read(&path, &error, "cannot read the folder");
                return None;
            }
        };
        self.visited.insert(id.clone(), relative.clone());
        Some(OpenFolder {
            relative,
            id,
            entries: entries.into_iter(),
        })
    }

    /// A folder as the user knows it: its path through the corpus.
    fn shown(&self, id: &FolderId) -> String {
        match self.visited.get(id) {
            Some(relative) if !relative.as_os_str().is_empty() => {
                shown_path(&self.corpus.join(relative))
            }
            _ => shown_path(self.corpus),
        }
    }

    /// An entry the system would not read: why, and for a path too long to open, where.
    fn cannot_read(&mut self, path: &Path, error: &io::Error, what: &str) {
        let warning = read_warning(path, error, what);
        self.listing.warnings.push(warning);
    }

    fn skip(&mut self, path: &Path, reason: &str) {
        self.listing
            .warnings
            .push(format!("{}: {reason}; skipped", shown_path(path)));
    }
}

/// The warning for an entry that cannot be read. A path over the system's length limit (a
/// folder nested thousands deep) is named by its ends, not printed whole.
fn read_warning(path: &Path, error: &io::Error, what: &str) -> String {
    if error.raw_os_error() == Some(ENAMETOOLONG) {
        let depth = path.components().count();
        return format!(
            "{}: nested too deep to open ({depth} levels, a path over the system's limit); \
             skipped",
            shortened(&shown_path(path))
        );
    }
    format!("{}: {what} ({error}); skipped", shown_path(path))
}

/// At most this many characters of each end of a path too long to show whole.
const SHOWN_PATH_END: usize = 60;

/// A long path's beginning and end around an ellipsis.
fn shortened(path: &str) -> String {
    let chars: Vec<char> = path.chars().collect();
    if chars.len() <= 2 * SHOWN_PATH_END {
        return path.to_string();
    }
    let head: String = chars[..SHOWN_PATH_END].iter().collect();
    let tail: String = chars[chars.len() - SHOWN_PATH_END..].iter().collect();
    format!("{head}…{tail}")
}

/// At least this many files before the `stat`s are shared among threads: below it, starting
/// the threads costs more than they save.
const PARALLEL_STAT_FILES: usize = 512;

/// One `stat` per selected file (the walk's only per-file system call besides the folder
/// listing), shared among the cores, in walk order.
fn stat_in_parallel(corpus: &Path, files: Vec<FileToStat>) -> (Vec<CorpusFile>, Vec<String>) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || files.len() < PARALLEL_STAT_FILES {
        return stat_files(corpus, files);
    }
    let chunk = files.len().div_ceil(threads);
    let mut files = files.into_iter();
    let chunks: Vec<Vec<FileToStat>> = (0..threads)
        .map(|_| files.by_ref().take(chunk).collect())
        .collect();
    // A share that panics passes the panic on rather than dropping its files from the
    // listing (they would be taken for removed).
    let parts = crate::threads::each_run_on_its_thread(chunks, |chunk| stat_files(corpus, chunk));
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for (files, part_warnings) in parts {
        found.extend(files);
        warnings.extend(part_warnings);
    }
    (found, warnings)
}

/// The size and modification time of each file, or why it cannot be read.
fn stat_files(corpus: &Path, files: Vec<FileToStat>) -> (Vec<CorpusFile>, Vec<String>) {
    let mut found = Vec::with_capacity(files.len());
    let mut warnings = Vec::new();
    let mut folders = FolderStat::new(corpus);
    for file in files {
        let path = corpus.join(&file.relative);
        let stat = match file.metadata {
            Some(metadata) => Ok(FileStat::of(&metadata)),
            None => folders.stat(&file.relative, &path),
        };
        let stat = match stat {
            Ok(stat) => stat,
            Err(error) => {
                warnings.push(read_warning(&path, &error, "cannot read"));
                continue;
            }
        };
        if !stat.is_file {
            warnings.push(format!(
                "{}: not a regular file; skipped",
                shown_path(&path)
            ));
            continue;
        }
        found.push(CorpusFile {
            // Not `to_string_lossy`: names that are not UTF-8 would collide (issue 18).
            source: super::source_name(&file.relative),
            size: stat.size,
            mtime_ns: stat.mtime_ns,
            path,
        });
    }
    (found, warnings)
}

/// What the listing keeps of a file's `stat`.
struct FileStat {
    is_file: bool,
    size: u64,
    mtime_ns: u64,
}

impl FileStat {
    fn of(metadata: &fs::Metadata) -> FileStat {
        FileStat {
            is_file: metadata.is_file(),
            size: metadata.len(),
            mtime_ns: mtime_ns(metadata),
        }
    }

    /// As `fs::metadata` reads it, by the whole path.
    fn by_path(path: &Path) -> io::Result<FileStat> {
        fs::metadata(path).map(|metadata| FileStat::of(&metadata))
    }
}

/// `stat`s files by their name in their open folder (`fstatat`), as `fs::metadata` does
/// (links followed) but without the kernel walking the whole path again for each file: at
/// 20,000 files (the 1 GB bench corpus) the path walk was a third of the freshness check's
/// system time (issue 16). The walk lists a folder's files together, so one folder is open
/// at a time.
struct FolderStat<'a> {
    corpus: &'a Path,
    #[cfg(unix)]
    open: Option<(PathBuf, fs::File)>,
}

impl<'a> FolderStat<'a> {
    fn new(corpus: &'a Path) -> FolderStat<'a> {
        FolderStat {
            corpus,
            #[cfg(unix)]
            open: None,
        }
    }

    /// The `stat` of the file at `relative` inside the corpus (`path` in full).
    #[cfg(unix)]
    fn stat(&mut self, relative: &Path, path: &Path) -> io::Result<FileStat> {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::io::AsRawFd;
        let (Some(folder), Some(name)) = (relative.parent(), relative.file_name()) else {
            return FileStat::by_path(path);
        };
        let open = match self.open.take() {
            Some((open, handle)) if open == folder => (open, handle),
            // A folder that cannot be opened (a race with its removal) falls back to the path.
            _ => match fs::File::open(self.corpus.join(folder)) {
                Ok(handle) => (folder.to_path_buf(), handle),
                Err(_) => return FileStat::by_path(path),
            },
        };
        let (_, handle) = self.open.insert(open);
        let name = std::ffi::CString::new(name.as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in the file name"))?;
        let mut stat = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: the folder's descriptor is open for the call, `name` is a NUL-terminated
        // string that outlives it, and `stat` is written by the call before it is read.
        let done =
            unsafe { libc::fstatat(handle.as_raw_fd(), name.as_ptr(), stat.as_mut_ptr(), 0) };
        if done != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fstatat returned 0, so it filled `stat`.
        let stat = unsafe { stat.assume_init() };
        Ok(FileStat {
            is_file: stat.st_mode & libc::S_IFMT == libc::S_IFREG,
            size: u64::try_from(stat.st_size).unwrap_or(0),
            mtime_ns: stat_mtime_ns(stat.st_mtime, stat.st_mtime_nsec),
        })
    }

    #[cfg(not(unix))]
    fn stat(&mut self, _relative: &Path, path: &Path) -> io::Result<FileStat> {
        let _ = self.corpus;
        FileStat::by_path(path)
    }
}

/// A `stat`'s modification time as [`mtime_ns`] gives it: nanoseconds since the Unix epoch,
/// 0 before it.
#[cfg(unix)]
fn stat_mtime_ns(seconds: i64, nanoseconds: i64) -> u64 {
    let (Ok(seconds), Ok(nanoseconds)) = (u64::try_from(seconds), u64::try_from(nanoseconds))
    else {
        return 0;
    };
    let total = u128::from(seconds) * 1_000_000_000 + u128::from(nanoseconds);
    u64::try_from(total).unwrap_or(u64::MAX)
}

/// Modification time in nanoseconds since the Unix epoch, 0 where unknown.
pub(crate) fn mtime_ns(metadata: &fs::Metadata) -> u64 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |duration| {
            u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
        })
}

/// `ELOOP` and `ENAMETOOLONG` of Linux and the BSDs are not in std; io::ErrorKind has no
/// stable variant for them.
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;
#[cfg(target_os = "linux")]
const ENAMETOOLONG: i32 = 36;
#[cfg(not(target_os = "linux"))]
const ENAMETOOLONG: i32 = 63;

/// Whether an entry is hidden: a `.name` (Unix), or the owner file Microsoft Office keeps
/// beside a document it has open (`~$rapport.docx`, hidden on Windows, a few bytes of its
/// user's name: found in the new-user trial of stop 25, where each one was warned about as
/// "not a zip file").
fn is_hidden(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.starts_with(b".") || name.starts_with(b"~$")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(dir: &Path) -> CorpusListing {
        list_corpus(dir, &FileSelection::default()).unwrap()
    }

    /// The sources, which are the paths inside the corpus folder; each file's path is the
    /// folder as given joined with its source.
    fn sources(listing: &CorpusListing, dir: &Path) -> Vec<String> {
        for file in &listing.files {
            assert_eq!(file.path, dir.join(&file.source));
        }
        listing.files.iter().map(|f| f.source.clone()).collect()
    }

    #[test]
    fn lists_text_files_at_any_depth_sorted_with_the_corpus_prefix() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("002_b.txt"), "Barnevern").unwrap();
        fs::write(dir.path().join("001_a.TXT"), "Velferd").unwrap();
        fs::write(dir.path().join("notes.rtf"), "ikke med").unwrap();
        fs::create_dir_all(dir.path().join("sub.txt/dypere")).unwrap();
        fs::write(dir.path().join("sub.txt/dypere/003_c.txt"), "Velfærd").unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join(".git/HEAD.txt"), "skjult").unwrap();
        // Word's owner file of an open document is hidden too (r15).
        fs::write(dir.path().join("~$002_b.txt"), "\x0cola").unwrap();
        fs::write(dir.path().join("~$rapport.docx"), "\x0cola").unwrap();
        let listing = list(dir.path());
        assert_eq!(
            sources(&listing, dir.path()),
            ["001_a.TXT", "002_b.txt", "sub.txt/dypere/003_c.txt"]
        );
        assert_eq!(
            grouped_warnings(listing.warnings),
            [format!(
                "1 file is not a document lete reads (.txt, .md, .markdown, .html, .htm, .xhtml, .pdf, .docx, .odt): \
                 {}/notes.rtf; skipped (--include GLOB adds it, --exclude GLOB silences this)",
                dir.path().display()
            )]
        );
    }

    /// `a.txt`, `b.md` and `utkast/c.md`.
    /// A file's size and modification time read by name in its folder are those
    /// `fs::metadata` reads by path: links followed, folders not files, a missing file an
    /// error (issue 16).
    #[test]
    fn stat_by_name_in_the_folder_reads_what_metadata_reads() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("sub/deeper")).unwrap();
        fs::write(dir.path().join("top.txt"), "én").unwrap();
        fs::write(dir.path().join("sub/a.txt"), "a longer text").unwrap();
        fs::write(dir.path().join("sub/deeper/b.txt"), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("../top.txt", dir.path().join("sub/link.txt")).unwrap();
        let mut folders = FolderStat::new(dir.path());
        for relative in [
            "top.txt",
            "sub/a.txt",
            "sub/deeper/b.txt",
            "sub/link.txt",
            "sub/deeper",
            "top.txt",
        ] {
            let path = dir.path().join(relative);
            let Ok(metadata) = fs::metadata(&path) else {
                continue;
            };
            let expected = FileStat::of(&metadata);
            let stat = folders.stat(Path::new(relative), &path).unwrap();
            assert_eq!(
                (stat.is_file, stat.size, stat.mtime_ns),
                (expected.is_file, expected.size, expected.mtime_ns),
                "{relative}"
            );
            assert!(expected.mtime_ns > 0, "{relative}");
        }
        let missing = dir.path().join("sub/missing.txt");
        let error = folders
            .stat(Path::new("sub/missing.txt"), &missing)
            .err()
            .unwrap();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    fn text_and_markdown_folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("utkast")).unwrap();
        fs::write(dir.path().join("a.txt"), "Velferd").unwrap();
        fs::write(dir.path().join("b.md"), "Barnevern").unwrap();
        fs::write(dir.path().join("utkast/c.md"), "Velfærd").unwrap();
        dir
    }

    /// Found in the trial of issues 15 to 20: `1 file is not documents`, `files are not files
    /// matching *.pdf`.
    #[test]
    fn r15_files_left_out_by_include_are_named_as_a_user_reads_it() {
        let dir = text_and_markdown_folder();
        let only_md = FileSelection::new(&["*.md".to_string()], &[]).unwrap();
        let listing = list_corpus(dir.path(), &only_md).unwrap();
        assert_eq!(
            grouped_warnings(listing.warnings),
            [format!(
                "1 file does not match --include '*.md': {}/a.txt; skipped (--include GLOB adds \
                 it, --exclude GLOB silences this)",
                dir.path().display()
            )]
        );
        let txt_or_pdf = ["*.txt".to_string(), "*.pdf".to_string()];
        let txt_or_pdf = FileSelection::new(&txt_or_pdf, &[]).unwrap();
        let listing = list_corpus(dir.path(), &txt_or_pdf).unwrap();
        let grouped = grouped_warnings(listing.warnings);
        assert!(
            grouped[0].starts_with("2 files do not match --include '*.txt' or '*.pdf': "),
            "{grouped:?}"
        );
    }

    /// Session 25's trial: `lete stats --json` listed the files the selection leaves out as
    /// one entry, not `PATH: REASON`; the stderr line named them from `./`, and named them
    /// all again whenever one more was left out.
    #[test]
    fn r16_files_left_out_are_a_warning_each_said_in_one_line() {
        let dir = text_and_markdown_folder();
        fs::write(dir.path().join("tabell.csv"), "a;b").unwrap();
        let listing = list_corpus(dir.path(), &FileSelection::default()).unwrap();
        let reason = "not a document lete reads (.txt, .md, .markdown, .html, .htm, .xhtml, .pdf, .docx, .odt); skipped";
        let shown = |name: &str| format!("{}/{name}", dir.path().display());
        assert_eq!(
            listing.warnings,
            [format!("{}: {reason}", shown("tabell.csv"))]
        );
        let broken = format!("{}: broken symbolic link; skipped", shown("lenke.txt"));
        let warnings = vec![
            broken.clone(),
            format!("{}: {reason}", shown("b.csv")),
            format!("{}: {reason}", shown("a.csv")),
        ];
        assert_eq!(
            grouped_warnings(warnings),
            [
                broken,
                format!(
                    "2 files are not documents lete reads (.txt, .md, .markdown, .html, .htm, .xhtml, .pdf, .docx, .odt): \
                     {}, {}; skipped (--include GLOB adds them, --exclude GLOB silences this)",
                    shown("a.csv"),
                    shown("b.csv")
                )
            ]
        );
        let dotted = list_corpus(&dir.path().join("."), &FileSelection::default()).unwrap();
        assert_eq!(
            dotted.warnings,
            [format!("{}: {reason}", shown("tabell.csv"))]
        );
    }

    #[test]
    fn include_and_exclude_globs_choose_files_and_folders() {
        let dir = text_and_markdown_folder();
        let include = ["*.md".to_string(), "*.txt".to_string()];
        let selection = FileSelection::new(&include, &["utkast/**".to_string()]).unwrap();
        let listing = list_corpus(dir.path(), &selection).unwrap();
        assert_eq!(sources(&listing, dir.path()), ["a.txt", "b.md"]);
        assert!(listing.warnings.is_empty(), "{:?}", listing.warnings);
        let bad = FileSelection::new(&["[".to_string()], &[]).unwrap_err();
        assert!(
            bad.to_string().starts_with("invalid --include glob '[': "),
            "{bad}"
        );
        let none = FileSelection::new(&["*.pdf".to_string()], &[]).unwrap();
        let empty = list_corpus(dir.path(), &none).unwrap_err();
        assert!(
            empty.to_string().contains("holds no files matching *.pdf"),
            "{empty}"
        );
    }

    #[test]
    fn r19_a_single_file_is_a_corpus_of_one_document_whatever_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("referat.md");
        fs::write(&file, "Referat\n\nBeredskap.").unwrap();
        let listing = list(&file);
        assert_eq!(listing.files.len(), 1);
        assert_eq!(listing.files[0].source, "referat.md");
        assert_eq!(listing.files[0].path, file);
    }

    #[test]
    fn r19_a_selection_knows_whether_it_was_given_and_says_its_globs() {
        assert!(!FileSelection::default().is_given());
        let given = FileSelection::new(&[], &["utkast/**".to_string()]).unwrap();
        assert!(given.is_given());
        let said = given.patterns().to_string();
        assert!(
            said.starts_with("--include '*.txt' --include '*.md' "),
            "{said}"
        );
        assert!(
            said.ends_with("--include '*.odt' --exclude 'utkast/**'"),
            "{said}"
        );
        let back = FileSelection::from_patterns(given.patterns()).unwrap();
        assert_eq!(back.patterns(), given.patterns());
    }

    #[cfg(unix)]
    #[test]
    fn broken_links_and_link_loops_are_warnings_and_the_walk_ends() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("del")).unwrap();
        fs::write(dir.path().join("del/a.txt"), "Velferd").unwrap();
        symlink("finnes-ikke.txt", dir.path().join("borte.txt")).unwrap();
        symlink("..", dir.path().join("del/opp")).unwrap();
        symlink("selv.txt", dir.path().join("selv.txt")).unwrap();
        symlink("del", dir.path().join("lenke")).unwrap();
        symlink("del/a.txt", dir.path().join("b.txt")).unwrap();
        let listing = list(dir.path());
        assert_eq!(sources(&listing, dir.path()), ["b.txt", "del/a.txt"]);
        let root = dir.path().display();
        assert_eq!(
            listing.warnings,
            [
                format!(
                    "{root}/borte.txt: broken symbolic link (-> finnes-ikke.txt, which does not \
                     exist); skipped"
                ),
                format!("{root}/del/opp: symbolic link loop (leads back to {root}); skipped"),
                format!("{root}/lenke: the same folder as {root}/del, listed already; skipped"),
                format!("{root}/selv.txt: symbolic link loop (-> selv.txt); skipped"),
            ]
        );
    }

    /// Session 26 (findings of the last trials): walk warnings named a path that is not
    /// UTF-8 with `display()` (`\u{FFFD}` for each byte, two names alike) where hits escape it,
    /// and a one-file corpus's source was `to_string_lossy`'s.
    #[cfg(unix)]
    #[test]
    fn r18_walk_warnings_and_a_one_file_corpus_name_paths_as_hits_do() {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let name = |bytes: &[u8]| dir.path().join(OsStr::from_bytes(bytes));
        symlink(name(b"borte\xff.txt"), name(b"lenke\xfe.txt")).unwrap();
        fs::create_dir(name(b"mappe\x1b")).unwrap();
        symlink("..", name(b"mappe\x1b/opp\xff")).unwrap();
        fs::write(name(b"a.txt"), "Velferd").unwrap();
        let listing = list(dir.path());
        let root = dir.path().display();
        assert_eq!(
            listing.warnings,
            [
                format!(
                    "{root}/lenke\\xFE.txt: broken symbolic link (-> {root}/borte\\xFF.txt, which \
                     does not exist); skipped"
                ),
                format!(
                    "{root}/mappe\\x1B/opp\\xFF: symbolic link loop (leads back to {root}); \
                     skipped"
                ),
            ]
        );
        let file = name(b"rapport\xff.txt");
        fs::write(&file, "Velferd").unwrap();
        let listing = list_corpus(&file, &FileSelection::default()).unwrap();
        assert_eq!(listing.files[0].source, "rapport\\xFF.txt");
    }

    /// Issue 18: a link to the index folder made lete index its own files, more each run.
    #[cfg(unix)]
    #[test]
    fn r18_links_to_the_index_folder_and_into_it_are_not_walked() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let index = dir.path().join("index");
        fs::create_dir_all(&corpus).unwrap();
        fs::create_dir_all(&index).unwrap();
        fs::write(corpus.join("a.txt"), "Velferd").unwrap();
        fs::write(index.join("lete-lexicon.txt"), "velferd").unwrap();
        symlink(&index, corpus.join("indeks")).unwrap();
        symlink(index.join("lete-lexicon.txt"), corpus.join("leksikon.txt")).unwrap();
        symlink(dir.path(), corpus.join("opp")).unwrap();
        let listing = list_corpus_for_index(&corpus, &FileSelection::default(), &index).unwrap();
        assert_eq!(sources(&listing, &corpus), ["a.txt"]);
        let (corpus, index) = (corpus.display(), index.display());
        assert_eq!(
            listing.warnings,
            [
                format!("{corpus}/indeks: the index folder {index}; skipped"),
                format!("{corpus}/leksikon.txt: a link into the index folder {index}; skipped"),
                format!(
                    "{corpus}/opp/corpus: symbolic link loop (leads back to {corpus}); skipped"
                ),
                format!("{corpus}/opp/index: the index folder {index}; skipped"),
            ]
        );
    }

    /// Issue 18: the walk took quadratic time or worse in the depth (a canonical path per
    /// folder, one `readlink` per level, compared along the path): depth 1,000 took 18 s and
    /// 10,000 never ended. Now each folder costs the same at any depth, and a folder whose
    /// path is over the system's limit is one warning, named by its ends.
    #[cfg(unix)]
    #[test]
    fn r18_a_folder_nested_thousands_deep_is_walked_once_down_to_what_can_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        nest_folders(dir.path(), 100, Some("a.txt"));
        nest_folders(&dir.path().join("d/".repeat(100)), 2900, Some("b.txt"));
        let listing = list(dir.path());
        // std's remove_dir_all keeps a folder open per level, more than a process may.
        let removed = std::process::Command::new("rm")
            .args(["-rf", "d"])
            .current_dir(dir.path())
            .status();
        assert!(removed.unwrap().success());
        let deep_a = "d/".repeat(100) + "a.txt";
        assert_eq!(sources(&listing, dir.path()), [deep_a]);
        let [warning] = &listing.warnings[..] else {
            panic!("one warning: {:?}", listing.warnings);
        };
        assert!(
            warning.ends_with("/d/d/d: nested too deep to open (2040 levels, a path over the system's limit); skipped")
                || warning.contains("levels, a path over the system's limit); skipped"),
            "{warning}"
        );
        assert!(warning.contains('…') && warning.len() < 300, "{warning}");
    }

    /// Makes `depth` folders `d`, each in the last, one step at a time from `root` (a path
    /// this long cannot be handed to mkdir whole), with a file `name` in the deepest.
    #[cfg(unix)]
    fn nest_folders(root: &Path, depth: usize, name: Option<&str>) {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let root = CString::new(root.as_os_str().as_bytes()).unwrap();
        let here = CString::new("d").unwrap();
        // SAFETY: plain system calls on descriptors this function opens and closes, with
        // NUL-terminated names that outlive the calls.
        unsafe {
            let mut folder = libc::open(root.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
            assert!(folder >= 0);
            for _ in 0..depth {
                assert_eq!(libc::mkdirat(folder, here.as_ptr(), 0o755), 0);
                let next = libc::openat(folder, here.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
                assert!(next >= 0);
                libc::close(folder);
                folder = next;
            }
            if let Some(name) = name {
                let name = CString::new(name).unwrap();
                let flags = libc::O_CREAT | libc::O_WRONLY;
                let file = libc::openat(folder, name.as_ptr(), flags, 0o644);
                assert!(file >= 0);
                let text = b"Velferd\n";
                assert_eq!(libc::write(file, text.as_ptr().cast(), text.len()), 8);
                libc::close(file);
            }
            libc::close(folder);
        }
    }
}
