//! `--files`: the path of each source with a matching passage, one a line, best first, for
//! `xargs` and editors (issue 7); with `-0`, each ended by a NUL byte instead, for
//! `xargs -0` and names with spaces or line breaks (issue 19).
//!
//! A line holds the path as hits show it, a name with a line break or bytes that are not
//! UTF-8 escaped (`ny\x0Alinje.txt`), since a line cannot hold it; `-0` writes each path's
//! own bytes, which is what `xargs -0` opens (break trial of stop 25: `-l0 | xargs -0 wc`
//! was handed the escaped text, and found no such file).

use crate::ingest::source_path;
use std::io::{self, Write};

/// Writes each source on a line of its own, or, when `null`, as the path's own bytes followed
/// by a NUL byte.
pub(crate) fn write_files(out: &mut dyn Write, sources: &[String], null: bool) -> io::Result<()> {
    for source in sources {
        if null {
            out.write_all(&path_bytes(source))?;
            out.write_all(b"\0")?;
        } else {
            out.write_all(source.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}

/// The bytes of the path `shown` (a path as hits show it) names.
fn path_bytes(shown: &str) -> Vec<u8> {
    match source_path(shown) {
        Some(path) => path.into_os_string().into_encoded_bytes(),
        None => shown.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_path_a_line() {
        let mut out = Vec::new();
        let sources = ["corpus/003.txt".to_string(), "corpus/001.txt".to_string()];
        write_files(&mut out, &sources, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/003.txt\ncorpus/001.txt\n"
        );
    }

    #[test]
    fn r19_null_ends_each_path_with_a_nul_byte() {
        let mut out = Vec::new();
        let sources = ["mine dokumenter/a b.txt".to_string(), "c.txt".to_string()];
        write_files(&mut out, &sources, true).unwrap();
        assert_eq!(out, b"mine dokumenter/a b.txt\0c.txt\0");
    }

    #[test]
    fn null_ended_paths_are_the_names_own_bytes() {
        let mut out = Vec::new();
        let sources = [
            "corpus/ny\\x0Alinje.txt".to_string(),
            "corpus/bad\\xFF\\xFE.txt".to_string(),
            "corpus/e\\x1B[31mred.txt".to_string(),
            "corpus/back\\\\slash.txt".to_string(),
            "corpus/Årsrapport.txt".to_string(),
        ];
        write_files(&mut out, &sources, true).unwrap();
        let mut expected = Vec::new();
        for name in [
            &b"corpus/ny\nlinje.txt"[..],
            b"corpus/bad\xff\xfe.txt",
            b"corpus/e\x1b[31mred.txt",
            b"corpus/back\\slash.txt",
            "corpus/Årsrapport.txt".as_bytes(),
        ] {
            expected.extend_from_slice(name);
            expected.push(0);
        }
        assert_eq!(out, expected);
        // A line keeps the escaped text, which a line can hold.
        let mut out = Vec::new();
        write_files(&mut out, &sources[..1], false).unwrap();
        assert_eq!(out, b"corpus/ny\\x0Alinje.txt\n");
    }
}
