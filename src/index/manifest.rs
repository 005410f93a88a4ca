//! The index manifest (`lete-manifest.bin`): schema version and, per source file, what was
//! indexed from it, so that an update re-indexes only what changed.
//!
//! Every command reads it once, so it is compact binary (issue 16: the JSON manifest took 30 ms
//! to parse at 300 MB and 25 MB at 100,000 files, written one token per `write` call). The
//! [`Manifest`] struct is serialized whole through serde with postcard, after a header of a
//! magic, the format version, the schema version and a fingerprint of the struct's shape, so a
//! field added, removed or moved is read as another format (then the index is rebuilt), never
//! misread. postcard writes fields in order without names: a field must never be skipped when
//! serializing (no `skip_serializing_if`).

use super::schema::SCHEMA_VERSION;
use crate::ingest::SelectionPatterns;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// File name of the manifest inside the index folder.
pub(crate) const MANIFEST_FILE: &str = "lete-manifest.bin";
/// The file selection a command last said the index keeps (`--include`, `--exclude` as
/// options say it), so that it is said once, not on every command (session 25).
pub(crate) const SELECTION_SAID_FILE: &str = "lete-selection-said.txt";
const MANIFEST_TEMP_FILE: &str = "lete-manifest.bin.tmp";
/// The JSON manifest of lete before issue 16: still read, so that an index of the same schema
/// is not rebuilt for its manifest's format; replaced by the binary one when next written.
const LEGACY_JSON_FILE: &str = "lete-manifest.json";
/// What a manifest file starts with.
const MAGIC: &[u8; 8] = b"lete-mf\0";
/// The layout of the header and the encoding (postcard) of what follows it.
const FORMAT_VERSION: u32 = 1;
/// Magic, format version, schema version, shape fingerprint.
const HEADER_LEN: usize = 8 + 4 + 4 + 8;

/// What the index holds, written only after a successful Tantivy commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// The lete version that wrote the index.
    pub lete_version: String,
    /// Unix time in seconds of the last commit.
    pub built_at: u64,
    /// Unix time in nanoseconds just before the corpus was listed for what this manifest
    /// records: a file whose mtime is close to it is hashed before it is trusted (issue 16,
    /// `changes.rs`). 0 where unknown (a manifest of an older lete).
    #[serde(default)]
    pub listed_at_ns: u64,
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
    /// What the index held when this manifest was written: its commit and its compound
    /// lexicon, so that a lexicon damaged or put back from an older build, or the segments of
    /// an older commit put back, are found (session 26) and the index rebuilt. `None` where
    /// unknown.
    /// Boxed, so that a manifest held by value (`ManifestState`) stays small.
    #[serde(default)]
    pub written_with: Option<Box<WrittenWith>>,
}

/// The index's parts a manifest was written with ([`Manifest::written_with`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenWith {
    /// The opstamp of Tantivy's last commit (`meta.json`).
    pub opstamp: u64,
    /// A fingerprint of that commit's segments (their ids, unique to each build, and the
    /// opstamps of their deletes): a rebuild's commit can have the opstamp of an older one.
    pub segments: u64,
    /// The lexicon's FST form, which searches read.
    pub lexicon_fst: Option<FileStamp>,
    /// The lexicon's text form, which updates read.
    pub lexicon_text: Option<FileStamp>,
}

/// A file's length and CRC-32: cheap enough to take of the bytes a search reads anyway
/// (crc32fast runs at several GB/s), and it tells a file cut short, garbled or replaced
/// by another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub crc32: u32,
}

impl FileStamp {
    /// The stamp of `bytes`.
    pub(crate) fn of_bytes(bytes: &[u8]) -> FileStamp {
        FileStamp {
            len: bytes.len() as u64,
            crc32: crc32fast::hash(bytes),
        }
    }

    /// The stamp of the file at `path`; `None` when it cannot be read.
    pub(crate) fn of_file(path: &Path) -> Option<FileStamp> {
        fs::read(path).ok().map(|bytes| FileStamp::of_bytes(&bytes))
    }
}

/// One source file as last indexed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
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
            listed_at_ns: 0,
            sources,
            corpus: None,
            selection: None,
            listing_warnings: Vec::new(),
            written_with: None,
        }
    }
}

/// Unix time in nanoseconds now (0 before 1970), for [`Manifest::listed_at_ns`].
pub(crate) fn unix_nanos_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |duration| {
            u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
        })
}

/// Reads the manifest of `index_dir`, checking the versions in its header before the rest so
/// that a manifest of another format or schema reports that instead of a decoding error.
pub(crate) fn read_manifest(index_dir: &Path) -> ManifestState {
    match fs::read(index_dir.join(MANIFEST_FILE)) {
        Ok(bytes) => decode_manifest(&bytes),
        Err(err) if err.kind() == io::ErrorKind::NotFound => read_legacy_json(index_dir),
        Err(err) => ManifestState::Unreadable(err.to_string()),
    }
}

/// The manifest in `bytes`, as [`write_manifest`] wrote them.
fn decode_manifest(bytes: &[u8]) -> ManifestState {
    let Some((header, payload)) = bytes.split_first_chunk::<HEADER_LEN>() else {
        return ManifestState::Unreadable("the file is cut short".to_string());
    };
    let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    if &header[..8] != MAGIC {
        return ManifestState::Unreadable("not a lete manifest".to_string());
    }
    let format = word(8);
    if format != FORMAT_VERSION {
        return ManifestState::Unreadable(format!(
            "manifest format {format}, this lete reads {FORMAT_VERSION}"
        ));
    }
    let schema = word(12);
    if schema != SCHEMA_VERSION {
        return ManifestState::OtherVersion(schema);
    }
    if header[16..] != shape_fingerprint() {
        return ManifestState::Unreadable("written by a lete with other manifest fields".into());
    }
    match postcard::take_from_bytes::<Manifest>(payload) {
        Ok((manifest, [])) if manifest.schema_version == schema => ManifestState::Current(manifest),
        Ok(_) => ManifestState::Unreadable("unexpected bytes after the manifest".to_string()),
        Err(err) => ManifestState::Unreadable(err.to_string()),
    }
}

/// The JSON manifest an older lete wrote, if there is one.
fn read_legacy_json(index_dir: &Path) -> ManifestState {
    let bytes = match fs::read(index_dir.join(LEGACY_JSON_FILE)) {
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

/// A fingerprint of the manifest's fields: their names, order, nesting and kinds, as serde
/// sees them. postcard's bytes hold none of that, so a manifest written with other fields
/// (another lete, another branch) is told apart by this instead of being misread.
fn shape_fingerprint() -> [u8; 8] {
    static FINGERPRINT: OnceLock<[u8; 8]> = OnceLock::new();
    *FINGERPRINT.get_or_init(|| {
        // Every optional and repeated field filled, so that what it holds has a shape too.
        let sample = Manifest {
            sources: vec![SourceEntry {
                lang: Some(Lang::Nb),
                skipped: Some(String::new()),
                ..SourceEntry::default()
            }],
            corpus: Some(String::new()),
            selection: Some(SelectionPatterns {
                include: vec![String::new()],
                exclude: vec![String::new()],
            }),
            listing_warnings: vec![String::new()],
            written_with: Some(Box::new(WrittenWith {
                lexicon_fst: Some(FileStamp::default()),
                lexicon_text: Some(FileStamp::default()),
                ..WrittenWith::default()
            })),
            ..Manifest::default()
        };
        let shape = serde_json::to_string(&sample).expect("a manifest serializes");
        let digest = Sha256::digest(shape.as_bytes());
        digest[..8].try_into().expect("8 bytes")
    })
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

/// Writes the manifest atomically: encoded whole in memory, written to a temporary file in one
/// call, flushed to disk, then renamed over the old one, so a crash leaves either the old
/// manifest or the new one. A JSON manifest of an older lete is removed with it.
pub(crate) fn write_manifest(index_dir: &Path, manifest: &Manifest) -> io::Result<()> {
    let bytes = encode_manifest(manifest)?;
    let temp = index_dir.join(MANIFEST_TEMP_FILE);
    let mut file = fs::File::create(&temp)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, index_dir.join(MANIFEST_FILE))?;
    sync_folder(index_dir);
    match fs::remove_file(index_dir.join(LEGACY_JSON_FILE)) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// The manifest file's bytes: the header, then the manifest in postcard.
fn encode_manifest(manifest: &Manifest) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + 160 * manifest.sources.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&manifest.schema_version.to_le_bytes());
    bytes.extend_from_slice(&shape_fingerprint());
    postcard::to_io(manifest, &mut bytes).map_err(|err| io::Error::other(err.to_string()))?;
    Ok(bytes)
}

/// Makes the rename that replaced the manifest durable (Unix: the folder's entries are flushed
/// when the folder itself is). A failure is not an error: the rename has happened.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
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
    name == MANIFEST_FILE
        || name == MANIFEST_TEMP_FILE
        || name == LEGACY_JSON_FILE
        || name == SELECTION_SAID_FILE
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
        let mut skipped = entry("corpus/002_tom.txt");
        skipped.lang = None;
        skipped.skipped = Some("empty file; skipped".to_string());
        let manifest = Manifest::new(vec![entry("corpus/001_ks.txt"), skipped]);
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
        let mut manifest = Manifest::new(vec![entry("corpus/001_ks.txt")]);
        manifest.schema_version = 0;
        write_manifest(dir.path(), &manifest).unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::OtherVersion(0)
        ));
    }

    #[test]
    fn a_manifest_cut_short_or_of_other_fields_is_unreadable_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        write_manifest(dir.path(), &Manifest::new(vec![entry("corpus/001.txt")])).unwrap();
        let path = dir.path().join(MANIFEST_FILE);
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::Unreadable(_)
        ));
        let mut other_fields = bytes.clone();
        other_fields[16] ^= 1;
        fs::write(&path, &other_fields).unwrap();
        let ManifestState::Unreadable(reason) = read_manifest(dir.path()) else {
            panic!("a manifest of other fields was read");
        };
        assert_eq!(reason, "written by a lete with other manifest fields");
    }

    #[test]
    fn the_json_manifest_of_an_older_lete_is_read_then_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = Manifest::new(vec![entry("corpus/001_ks.txt")]);
        let json = serde_json::to_string(&manifest).unwrap();
        fs::write(dir.path().join(LEGACY_JSON_FILE), json).unwrap();
        match read_manifest(dir.path()) {
            ManifestState::Current(read) => assert_eq!(read, manifest),
            other => panic!("unexpected {other:?}"),
        }
        fs::write(
            dir.path().join(LEGACY_JSON_FILE),
            r#"{"schema_version": 0, "files": {}}"#,
        )
        .unwrap();
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::OtherVersion(0)
        ));
        write_manifest(dir.path(), &manifest).unwrap();
        assert!(!dir.path().join(LEGACY_JSON_FILE).exists());
        assert!(matches!(
            read_manifest(dir.path()),
            ManifestState::Current(_)
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
