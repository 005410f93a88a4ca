//! Where results go: the one way commands take standard output, so that a closed stdout
//! (`lete search … >&-`) is an error, as grep makes it, instead of output thrown away with
//! exit 0 (issue 18). Rust's runtime opens `/dev/null` in place of a standard stream that is
//! closed when the process starts; the binary notes before that whether stdout was
//! ([`note_stdout_closed`]).

use std::io::{self, StdoutLock};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Told once, by the binary, whether file descriptor 1 was closed when the process started.
pub fn note_stdout_closed(closed: bool) {
    CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

/// Standard output for a command's results; an error when it was closed at start.
pub(crate) fn results_stdout() -> io::Result<StdoutLock<'static>> {
    if CLOSED_AT_START.load(Ordering::Relaxed) {
        return Err(io::Error::other(
            "standard output is closed; nothing can be printed",
        ));
    }
    Ok(io::stdout().lock())
}
