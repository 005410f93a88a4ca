//! The one way lete writes to stderr: a whole `lete: …` line, with write errors ignored.
//!
//! `eprintln!` panics when stderr is a closed pipe or a full device (`lete index -v 2>&1 |
//! head -1`, `2>/dev/full`), and a panic there, inside the progress bar's lock, poisoned it
//! and aborted the run in a destructor: a `--rebuild` silently never happened (issue 18). A
//! message nobody can read is no reason to stop the work it reports on.

use std::fmt;
use std::io::Write;

/// Writes `lete: MESSAGE` and a newline to stderr in one write; a failed write is ignored.
pub(crate) fn say_line(message: fmt::Arguments<'_>) {
    let line = format!("lete: {message}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `say!("warning: {path}: {reason}")` prints `lete: warning: …` on stderr, never panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::stderr::say_line(format_args!($($arg)*))
    };
}
pub(crate) use say;
