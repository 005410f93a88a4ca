//! How a corpus file's path becomes its `source`: the text hits, the manifest and the index
//! name it by. The one place a path turns into that text (issue 18), so that two files never
//! share a name and a name never carries raw control bytes to a terminal.
//!
//! A path that is valid UTF-8 with no backslash and no control character (every ordinary
//! name) is its own text. Any other is escaped as bash's `$'…'` reads it: a byte that is not
//! UTF-8 or is a control character as `\xHH`, a C1 control character as `\uHHHH`, a
//! backslash as `\\`. So `rapport\xff.txt` and `rapport\xfe.txt`, which `to_string_lossy`
//! both made `rapport�.txt`, stay two files, a real `rapport�.txt` is a third, and
//! `ls $'corpus/rapport\xff.txt'` opens what a hit names. Escaping every backslash of such a
//! name keeps the mapping one-to-one: an escaped text always holds a backslash, an ordinary
//! one never does.

use std::fmt::Write;
use std::path::Path;

/// The `source` text of `path`, as described above.
pub(crate) fn source_name(path: &Path) -> String {
    let bytes = path_bytes(path);
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.chars().any(needs_escape) => text.to_string(),
        _ => escaped(&bytes),
    }
}

/// A character an ordinary name never holds.
fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control()
}

/// `bytes` with every byte that is not UTF-8 or is a control character as `\xHH`, every C1
/// control character as `\uHHHH`, every backslash as `\\`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() && (c as u32) < 0x80 => {
                    let _ = write!(out, "\\x{:02X}", c as u32);
                }
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02X}");
        }
    }
    out
}

/// The path's bytes as the file system has them (on Windows, lossy UTF-8: paths there are
/// UTF-16 and rarely invalid).
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
            std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    fn name(bytes: &[u8]) -> String {
        source_name(Path::new(OsStr::from_bytes(bytes)))
    }

    #[test]
    fn ordinary_names_are_their_own_text() {
        assert_eq!(
            name("corpus/Årsrapport 2024.txt".as_bytes()),
            "corpus/Årsrapport 2024.txt"
        );
        assert_eq!(
            name("corpus/rapport\u{FFFD}.txt".as_bytes()),
            "corpus/rapport\u{FFFD}.txt"
        );
    }

    #[test]
    fn r18_names_that_are_not_utf8_stay_apart() {
        let names = [
            name(b"corpus/rapport\xff.txt"),
            name(b"corpus/rapport\xfe.txt"),
            name(b"corpus/rapport\xef\xbf\xbd.txt"),
            name(b"corpus/rapport\\xFF.txt"),
        ];
        assert_eq!(
            names,
            [
                "corpus/rapport\\xFF.txt",
                "corpus/rapport\\xFE.txt",
                "corpus/rapport\u{FFFD}.txt",
                "corpus/rapport\\\\xFF.txt",
            ]
        );
    }

    #[test]
    fn r18_control_characters_are_escaped_for_the_terminal() {
        assert_eq!(
            name(b"corpus/\x1b[31mrapport\x1b[0m.txt"),
            "corpus/\\x1B[31mrapport\\x1B[0m.txt"
        );
        assert_eq!(name("a\u{85}b\tc".as_bytes()), "a\\u0085b\\x09c");
    }
}
