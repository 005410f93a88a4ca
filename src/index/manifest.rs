//! The index manifest (`lete-manifest.json`): schema version and, per source file, what was
//! indexed from it, so that an update re-indexes only what changed.

use super::schema::SCHEMA_VERSION;
use crate::ingest::SelectionPatterns;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// File name of the manifest inside the index folder.
pub(crate) const MANIFEST_FILE: &str = "lete-manifest.json";
const MANIFEST_TEMP_FILE: &str = "lete-manifest.json.tmp";

/// What the index holds, written only after a successful Tantivy commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// The lete version that wrote the index.
    pub lete_version: String,
    /// Unix time in seconds of the last commit.
    pub built_at: u64,
    /// Sorted by path.
    pub sources: Vec<SourceEntry>,
    /// The canonical path of the corpus the index holds (issue 19): another corpus is never
    /// swapped in silently. `None` where unknown.
    #[serde(default)]
    pub corpus: Option<String>,
    /// The file selection it was built with (issue 19): a command given no `--include` or
    /// `--exclude` keeps it.
    #[serde(default)]
    pub selection: Option<SelectionPatterns>,
    /// The warnings about the corpus folder said at the last update (broken links, files not
    /// selected, …): they are said again only when they change (issue 19).
    #[serde(default)]
    pub listing_warnings: Vec<String>,
}

/// One source file as last indexed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// The path inside the corpus folder (`001_….txt`, `sub/a.txt`), also the `source` field.
    pub path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch, as listed before the file was
    /// read; 0 where the platform has none, or where it was too close to the read to tell a
    /// later write apart (the content is compared next time instead).
    pub mtime_ns: u64,
    /// SHA-256 of the bytes read and indexed, hex: the whole file, or for a binary file the
    /// bytes up to the end of the block holding its first NUL byte (issue 18: the rest is
    /// never read; it cannot change what the file gives).
    pub sha256: String,
    /// `None` for a skipped file.
    pub lang: Option<Lang>,
    pub sections: usize,
    pub passages: usize,
    /// Why the file was skipped (binary, empty, …); it is re-read only when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// The manifest as found in an index folder.
#[derive(Debug)]
pub(crate) enum ManifestState {
    Missing,
    /// Present but not JSON of any manifest shape.
    Unreadable(String),
    /// A manifest of another schema version: its sources are not trusted.
    OtherVersion(u32),
    Current(Manifest),
}

impl Manifest {
    /// An empty manifest of this schema and lete version.
    pub fn new(sources: Vec<SourceEntry>) -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            lete_version: env!("CARGO_PKG_VERSION").to_string(),
            built_at: unix_seconds_now(),
            sources,
            corpus: None,
            selection: None,
            listing_warnings: Vec::new(),
        }
    }
}

/// Reads the manifest of `index_dir`, checking the version before the shape so that a
/// manifest of an older format reports its version instead of a parse error.
pub(crate) fn read_manifest(index_dir: &Path) -> ManifestState {
    let bytes = match fs::read(index_dir.join(MANIFEST_FILE)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return ManifestState::Missing,
        Err(err) => return ManifestState::Unreadable(err.to_string()),
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(err) => return ManifestState::Unreadable(err.to_string()),
    };
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    match version {
        None => ManifestState::Unreadable("no schema_version".to_string()),
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            ManifestState::OtherVersion(u32::try_from(v).unwrap_or(u32::MAX))
        }
        Some(_) => match serde_json::from_value(value) {
            Ok(manifest) => ManifestState::Current(manifest),
            Err(err) => ManifestState::Unreadable(err.to_string()),
        },
    }
}

/// Which version of the manifest file is on disk. The manifest is replaced whole (written
/// aside, then renamed over the old one), so another version has another inode or mtime: a
/// run that read the manifest can tell later, without reading it again, whether another run
/// has written it since (issue 14: one manifest read per command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ManifestStamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl ManifestStamp {
    /// The stamp of the manifest in `index_dir` now; `None` when there is none.
    pub(crate) fn of(index_dir: &Path) -> Option<ManifestStamp> {
        let metadata = fs::metadata(index_dir.join(MANIFEST_FILE)).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Some(ManifestStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode,
        })
    }
}

/// Writes the manifest atomically: a temporary file, flushed, then renamed over the old one,
/// so a crash leaves either the old manifest or the new one.
pub(crate) fn write_manifest(index_dir: &Path, manifest: &Manifest) -> io::Result<()> {
    let temp = index_dir.join(MANIFEST_TEMP_FILE);
    let mut file = fs::File::create(&temp)?;
    serde_json::to_writer_pretty(&mut file, manifest)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, index_dir.join(MANIFEST_FILE))
}

/// Hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unix_seconds_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |duration| duration.as_secs())
}

/// Whether `name` is a file the manifest code writes.
pub(crate) fn is_manifest_file(name: &str) -> bool {
    name == MANIFEST_FILE || name == MANIFEST_TEMP_FILE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> SourceEntry {
        SourceEntry {
            path: path.to_string(),
            size: 12,
            mtime_ns: 34,
            sha256: sha256_hex(b"Kommunesektorens organisasjon"),
            lang: Some(Lang::Nb),
            sections: 2,
            passages: 5,
            skipped: None,
        }
    }

    #[test]
    fn manifest_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = Manifest::new(vec![entry("corpus/001_ks.txt")]);
        write_manifest(dir.path(), &manifest).unwrap();
        match read_manifest(dir.path()) {
            ManifestState::Current(read) => assert_eq!(read, manifest),
            other => panic!("unexpected {other:?}"),
        }
        assert!(!dir.path().join(MANIFEST_TEMP_FILE).exists());
    }

    #[test]
    fn missing_unreadable_and_other_versions_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_manifest(dir.path()), ManifestState::Missing));
        fs::write(dir.path().join(MANIFEST_FILE), "{not json").unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::Unreadable(_)
        ));
        fs::write(
            dir.path().join(MANIFEST_FILE),
            r#"{"schema_version": 0, "files": {}}"#,
        )
        .unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::OtherVersion(0)
        ));
    }

    #[test]
    fn sha256_is_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
