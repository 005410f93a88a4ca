//! `--files`: the path of each source with a matching passage, one a line, best first, for
//! `xargs` and editors (issue 7).

use std::io::{self, Write};

/// Writes each source on a line of its own.
pub(crate) fn write_files(out: &mut dyn Write, sources: &[String]) -> io::Result<()> {
    for source in sources {
        writeln!(out, "{source}")?;
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
        write_files(&mut out, &sources).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "corpus/003.txt\ncorpus/001.txt\n"
        );
    }
}
