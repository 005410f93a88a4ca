//! How a path becomes text lete stores and shows: a source (its path inside the corpus, the
//! text hits, the manifest and the index name it by) and a path shown to the user. The one
//! place a path turns into that text (issue 18), so that two files never share a name and a
//! name never carries raw control bytes to a terminal.
//!
//! A name that is valid UTF-8 with no backslash and no control character (every ordinary
//! name) is its own text. Any other is escaped as bash's `$'…'` reads it: a byte that is not
//! UTF-8 or is a control character as `\xHH`, a C1 control character as `\uHHHH`, a
//! backslash as `\\`. So `rapport\xff.txt` and `rapport\xfe.txt`, which `to_string_lossy`
//! both made `rapport�.txt`, stay two files, a real `rapport�.txt` is a third, and
//! `ls $'corpus/rapport\xff.txt'` opens what a hit names. Escaping every backslash of such a
//! name keeps the mapping one-to-one: an escaped text always holds a backslash, an ordinary
//! one never does.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The source text of `relative`, a path inside the corpus: its components, each as
/// described above, joined by `/` on every platform (so that `source:` globs and `--include`
/// read alike, issue 19).
pub(crate) fn source_name(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|part| name_text(&os_bytes(part.as_os_str())))
        .collect();
    parts.join("/")
}

/// The path inside the corpus that the source text `source` names: [`source_name`] undone,
/// for a server that is given a source back (issue 20: a name that is not UTF-8 or holds a
/// newline was looked up as its escaped text, and not found). `None` for text that
/// [`source_name`] never makes (a lone backslash, an unknown escape); an escape it would not
/// have made (`\x41`) decodes, but names no source of the manifest.
pub(crate) fn source_path(source: &str) -> Option<PathBuf> {
    if !source.contains('\\') {
        return Some(PathBuf::from(source));
    }
    os_string_of(unescaped(source)?).map(PathBuf::from)
}

/// The bytes `text` escapes, as [`escaped`] wrote them.
fn unescaped(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let escape = &rest[at + 1..];
        let (bytes, used) = match escape.as_bytes().first()? {
            b'\\' => (vec![b'\\'], 1),
            b'x' => (vec![u8::from_str_radix(escape.get(1..3)?, 16).ok()?], 3),
            b'u' => {
                let code = u32::from_str_radix(escape.get(1..5)?, 16).ok()?;
                (char::from_u32(code)?.to_string().into_bytes(), 5)
            }
            _ => return None,
        };
        out.extend_from_slice(&bytes);
        rest = &escape[used..];
    }
    out.extend_from_slice(rest.as_bytes());
    Some(out)
}

/// A name's bytes as an `OsString` (on Windows only when they are UTF-8).
fn os_string_of(bytes: Vec<u8>) -> Option<std::ffi::OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(Into::into)
    }
}

/// `path` as shown to the user (the corpus as typed, a file given to `lete outline`),
/// escaped as described above.
pub(crate) fn shown_path(path: &Path) -> String {
    name_text(&os_bytes(path.as_os_str()))
}

/// The text of a name's bytes: itself when ordinary, else escaped.
fn name_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(needs_escape) => text.to_string(),
        _ => escaped(bytes),
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

/// A name's bytes as the file system has them (on Windows, lossy UTF-8: names there are
/// UTF-16 and rarely invalid).
fn os_bytes(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        match name.to_string_lossy() {
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
    fn a_source_joins_its_components_and_a_shown_path_is_whole() {
        assert_eq!(name(b"sub/./dansk/a.txt"), "sub/dansk/a.txt");
        assert_eq!(
            shown_path(Path::new(OsStr::from_bytes(b"/tmp/k\xf8/a.txt"))),
            "/tmp/k\\xF8/a.txt"
        );
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
    fn r20_a_source_names_its_path_again() {
        let paths: [&[u8]; 8] = [
            b"sub/Arsrapport 2024.txt",
            "sub/Årsrapport.txt".as_bytes(),
            b"rapport\xff.txt",
            b"linje\nskift.txt",
            b"sub\x1b[31m/rapport\\xFF.txt",
            "a\u{85}b\tc".as_bytes(),
            b"\\\\",
            b"/tmp/k\xf8/a.txt",
        ];
        for bytes in paths {
            let path = Path::new(OsStr::from_bytes(bytes));
            let source = source_name(path);
            assert_eq!(source_path(&source).as_deref(), Some(path), "{source}");
        }
        for never_made in ["a\\", "a\\q.txt", "a\\xZ1", "a\\u12", "a\\uD800"] {
            assert_eq!(source_path(never_made), None, "{never_made}");
        }
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
