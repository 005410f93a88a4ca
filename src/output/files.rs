//! `--files`: the path of each source with a matching passage, one a line, best first, for
//! `xargs` and editors (issue 7); with `-0`, each ended by a NUL byte instead, for
//! `xargs -0` and names with spaces or line breaks (issue 19).

use std::io::{self, Write};

/// Writes each source on a line of its own, or followed by a NUL byte when `null`.
pub(crate) fn write_files(out: &mut dyn Write, sources: &[String], null: bool) -> io::Result<()> {
    let end: &[u8] = if null { b"\0" } else { b"\n" };
    for source in sources {
        out.write_all(source.as_bytes())?;
        out.write_all(end)?;
    }
    out.flush()
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
}
