//! Corpus discovery: which files of the corpus folder (and its sub-folders) are documents, by
//! the `--include` and `--exclude` globs, found by a walk that follows symbolic links. A
//! corpus may also be a single file, which is then the one document.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
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
            "documents (.txt, .md, .html, .pdf, .docx, .odt)".to_string()
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
pub(crate) fn list_corpus(
    corpus: &Path,
    selection: &FileSelection,
) -> Result<CorpusListing, DiscoverError> {
    let root = fs::canonicalize(corpus).map_err(|error| DiscoverError::CorpusUnreadable {
        path: corpus.display().to_string(),
        error,
    })?;
    if !root.is_dir() {
        return single_file(corpus);
    }
    let mut walk = Walk {
        corpus,
        selection,
        listing: CorpusListing::default(),
        visited: BTreeMap::new(),
        not_included: Vec::new(),
    };
    walk.visited.insert(root.clone(), PathBuf::new());
    walk.folder(Path::new(""), &root, true)?;
    let Walk {
        mut listing,
        not_included,
        ..
    } = walk;
    if listing.files.is_empty() {
        return Err(DiscoverError::CorpusEmpty {
            path: corpus.display().to_string(),
            wanted: selection.describe(),
        });
    }
    if !not_included.is_empty() {
        listing
            .warnings
            .push(not_included_warning(&not_included, selection));
    }
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
            source: name.to_string_lossy().into_owned(),
            size: metadata.len(),
            mtime_ns: mtime_ns(&metadata),
        }],
        warnings: Vec::new(),
    })
}

/// One line for all files left out for not matching `--include`.
fn not_included_warning(sources: &[String], selection: &FileSelection) -> String {
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
    format!(
        "{} {} not {}: {}{more}; skipped (--include GLOB adds them, --exclude GLOB silences this)",
        sources.len(),
        if sources.len() == 1 {
            "file is"
        } else {
            "files are"
        },
        selection.describe(),
        named.join(", "),
    )
}

/// The state of one corpus walk.
struct Walk<'a> {
    corpus: &'a Path,
    selection: &'a FileSelection,
    listing: CorpusListing,
    /// Canonical folders entered so far, with the path they were entered by.
    visited: BTreeMap<PathBuf, PathBuf>,
    not_included: Vec<String>,
}

impl Walk<'_> {
    /// Lists `relative` (canonically `canonical`), entries in name order, recursing into
    /// sub-folders. Only the corpus folder itself failing to open is an error.
    fn folder(
        &mut self,
        relative: &Path,
        canonical: &Path,
        is_root: bool,
    ) -> Result<(), DiscoverError> {
        let path = self.corpus.join(relative);
        let entries =
            fs::read_dir(&path).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
        let mut entries = match entries {
            Ok(entries) => entries,
            Err(error) if is_root => {
                return Err(DiscoverError::CorpusUnreadable {
                    path: self.corpus.display().to_string(),
                    error,
                })
            }
            Err(error) => {
                self.skip(&path, &format!("cannot read the folder ({error})"));
                return Ok(());
            }
        };
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            self.entry(&relative.join(&name), canonical)?;
        }
        Ok(())
    }

    fn entry(&mut self, relative: &Path, parent: &Path) -> Result<(), DiscoverError> {
        if self.selection.excludes(relative) {
            return Ok(());
        }
        let path = self.corpus.join(relative);
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        // Follows symbolic links: a linked file or folder is part of the corpus like any other.
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(_) if is_link && fs::read_link(&path).is_ok() && !path.exists() => {
                return self.skip_link(&path);
            }
            Err(error) => {
                self.skip(&path, &format!("cannot read ({error})"));
                return Ok(());
            }
        };
        if metadata.is_dir() {
            return self.sub_folder(relative, parent);
        }
        if !self.selection.includes(relative) {
            self.not_included.push(path.to_string_lossy().into_owned());
            return Ok(());
        }
        if !metadata.is_file() {
            self.skip(&path, "not a regular file");
            return Ok(());
        }
        self.listing.files.push(CorpusFile {
            // Not `to_string_lossy`: names that are not UTF-8 would collide (issue 18).
            source: super::source_name(relative),
            size: metadata.len(),
            mtime_ns: mtime_ns(&metadata),
            path,
        });
        Ok(())
    }

    /// A link whose target is missing or loops.
    fn skip_link(&mut self, path: &Path) -> Result<(), DiscoverError> {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let reason = match fs::metadata(path) {
            Err(error) if error.raw_os_error() == Some(ELOOP) => {
                format!("symbolic link loop (-> {target})")
            }
            _ => format!("broken symbolic link (-> {target}, which does not exist)"),
        };
        self.skip(path, &reason);
        Ok(())
    }

    fn sub_folder(&mut self, relative: &Path, parent: &Path) -> Result<(), DiscoverError> {
        let path = self.corpus.join(relative);
        let canonical = match fs::canonicalize(&path) {
            Ok(canonical) => canonical,
            Err(error) => {
                self.skip(&path, &format!("cannot read the folder ({error})"));
                return Ok(());
            }
        };
        if parent.starts_with(&canonical) {
            let reason = format!(
                "symbolic link loop (leads back to {})",
                self.shown(&canonical)
            );
            self.skip(&path, &reason);
            return Ok(());
        }
        if let Some(first) = self.visited.get(&canonical) {
            let first = self.corpus.join(first).display().to_string();
            self.skip(
                &path,
                &format!("the same folder as {first}, listed already"),
            );
            return Ok(());
        }
        self.visited
            .insert(canonical.clone(), relative.to_path_buf());
        self.folder(relative, &canonical, false)
    }

    /// A canonical folder as the user knows it: its path through the corpus if visited.
    fn shown(&self, canonical: &Path) -> String {
        match self.visited.get(canonical) {
            Some(relative) if relative.as_os_str().is_empty() => self.corpus.display().to_string(),
            Some(relative) => self.corpus.join(relative).display().to_string(),
            None => canonical.display().to_string(),
        }
    }

    fn skip(&mut self, path: &Path, reason: &str) {
        self.listing
            .warnings
            .push(format!("{}: {reason}; skipped", path.display()));
    }
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

/// `ELOOP` on Linux and the BSDs alike is not in std; io::ErrorKind has no stable variant.
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

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
        let listing = list(dir.path());
        assert_eq!(
            sources(&listing, dir.path()),
            ["001_a.TXT", "002_b.txt", "sub.txt/dypere/003_c.txt"]
        );
        assert_eq!(
            listing.warnings,
            [format!(
                "1 file is not documents (.txt, .md, .html, .pdf, .docx, .odt): {}/notes.rtf; \
                 skipped (--include GLOB adds them, \
                 --exclude GLOB silences this)",
                dir.path().display()
            )]
        );
    }

    #[test]
    fn include_and_exclude_globs_choose_files_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("utkast")).unwrap();
        fs::write(dir.path().join("a.txt"), "Velferd").unwrap();
        fs::write(dir.path().join("b.md"), "Barnevern").unwrap();
        fs::write(dir.path().join("utkast/c.md"), "Velfærd").unwrap();
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
}
