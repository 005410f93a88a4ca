//! Reading a source file's bytes, as every command does it: regular files only (a device
//! such as `/dev/zero` never ends, a FIFO blocks until someone writes to it), and a binary
//! file is read only up to the block that shows it is one.

use super::IngestError;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// A source file's bytes as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceBytes {
    pub bytes: Vec<u8>,
    /// False when reading stopped at a block holding a NUL byte: the file is binary (the text
    /// decoder refuses it for that byte), and the rest was not read.
    pub complete: bool,
    /// The size and modification time (ns since the epoch) of the file read, as its open
    /// handle tells them once the bytes are read: the file a path named when it was listed
    /// may have been replaced or rewritten since (break trial of issue 16).
    pub stat: Option<(u64, u64)>,
}

/// Bytes read at a time, and the most of a binary file read before it is skipped (issue 18:
/// a 2 GB sparse file starting with NUL took 14 s and 2.1 GB of memory to be skipped).
pub(crate) const READ_BLOCK_BYTES: usize = 64 * 1024;

/// Formats whose files hold NUL bytes by nature, read whole for the readers that know them:
/// PDF, and the zip containers of Word and OpenDocument files.
const DOCUMENT_SIGNATURES: [&[u8]; 2] = [b"%PDF-", b"PK\x03\x04"];

/// Reads the file at `path`: all of it, unless a block holds a NUL byte in a file that is
/// neither UTF-16 (its BOM says so) nor of a format with NUL bytes by nature: then reading
/// stops after that block. Anything but a regular file is refused before it is read.
pub(crate) fn read_source(path: &Path) -> Result<SourceBytes, IngestError> {
    let (mut file, size) = open_regular(path)?;
    // The size is a hint (the file may change while read): no more than a block at first
    // for a huge file that may turn out binary.
    let hint = usize::try_from(size).unwrap_or(usize::MAX);
    let mut bytes = Vec::with_capacity(hint.min(READ_BLOCK_BYTES).saturating_add(1));
    let complete = loop {
        let start = bytes.len();
        let read = (&mut file)
            .take(READ_BLOCK_BYTES as u64)
            .read_to_end(&mut bytes)?;
        if read == 0 {
            break true;
        }
        if bytes[start..].contains(&0) && may_stop_at_nul(&bytes) {
            break false;
        }
        if start == 0 {
            bytes.reserve(hint.saturating_sub(bytes.len()));
        }
    };
    Ok(SourceBytes {
        bytes,
        complete,
        stat: handle_stat(&file),
    })
}

/// The size and modification time of an open file.
fn handle_stat(file: &fs::File) -> Option<(u64, u64)> {
    let metadata = file.metadata().ok()?;
    Some((metadata.len(), super::discover::mtime_ns(&metadata)))
}

/// Whether a NUL byte makes the file binary for the text decoder: not UTF-16 with a BOM, and
/// not a format whose reader expects NUL bytes.
fn may_stop_at_nul(head: &[u8]) -> bool {
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    !utf16
        && !DOCUMENT_SIGNATURES
            .iter()
            .any(|signature| head.starts_with(signature))
}

/// Opens `path` for reading if it is a regular file, with its size. A FIFO is opened without
/// waiting for a writer (on Unix), so that it can be refused rather than block forever.
fn open_regular(path: &Path) -> Result<(fs::File, u64), IngestError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(IngestError::NotAFile(kind_of(&metadata)));
    }
    Ok((file, metadata.len()))
}

/// What a file that is not a regular one is, for the message.
fn kind_of(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        return "a folder";
    }
    "another kind of file"
}

/// A text file (a queries file) read whole as UTF-8: regular files only, binary refused.
pub(crate) fn read_text_file(path: &Path) -> Result<String, IngestError> {
    let read = read_source(path)?;
    if !read.complete {
        return Err(IngestError::Binary);
    }
    String::from_utf8(read.bytes)
        .map_err(|_| IngestError::Io(io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text = "Velferd og beredskap i kommunene.\n".repeat(5000);
        fs::write(&path, &text).unwrap();
        let read = read_source(&path).unwrap();
        assert!(read.complete);
        assert_eq!(read.bytes, text.as_bytes());
    }

    #[test]
    fn r18_a_binary_file_is_read_only_to_the_block_showing_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stor.txt");
        let file = fs::File::create(&path).unwrap();
        // A sparse gigabyte of NUL bytes: reading it whole took seconds and as much memory.
        file.set_len(1 << 30).unwrap();
        let read = read_source(&path).unwrap();
        assert!(!read.complete);
        assert_eq!(read.bytes.len(), READ_BLOCK_BYTES);
        // UTF-16 and the document formats are read whole.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Velferd".encode_utf16().flat_map(u16::to_le_bytes));
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend([0u8; 100_000]);
        for bytes in [utf16, zip] {
            fs::write(&path, &bytes).unwrap();
            let read = read_source(&path).unwrap();
            assert_eq!((read.bytes, read.complete), (bytes, true));
        }
    }

    #[cfg(unix)]
    #[test]
    fn r18_devices_and_fifos_are_refused_without_reading_or_waiting() {
        for (path, kind) in [("/dev/zero", "a device"), ("/dev/urandom", "a device")] {
            let err = read_source(Path::new(path)).unwrap_err();
            assert_eq!(err.to_string(), format!("not a regular file ({kind})"));
        }
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.txt");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = read_source(&fifo).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a FIFO)");
        assert_eq!(
            read_text_file(dir.path()).unwrap_err().to_string(),
            "not a regular file (a folder)"
        );
    }
}
