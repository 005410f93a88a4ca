//! The `lete` binary: parse the command line, run it, map the outcome to an exit code
//! (0 hits or success, 1 no hits, 2 error; a closed pipe is success).

use std::process::ExitCode;
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether file descriptor 1 was closed when the process started (`lete search … >&-`).
/// Rust's runtime replaces a closed standard stream with `/dev/null` before `main`, which
/// would make such a search print into nothing and exit 0 (issue 18); the check below runs
/// before the runtime does, as an ELF constructor (the way the `ctor` crate registers one).
#[cfg(target_os = "linux")]
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT_AT_START: extern "C" fn() = check_stdout_at_start;

#[cfg(target_os = "linux")]
extern "C" fn check_stdout_at_start() {
    // SAFETY: F_GETFD only asks whether descriptor 1 is open; it changes nothing.
    let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
    STDOUT_CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

fn main() -> ExitCode {
    lete::threads::bound_malloc_arenas();
    #[cfg(target_os = "linux")]
    lete::cli::note_stdout_closed(STDOUT_CLOSED_AT_START.load(Ordering::Relaxed));
    match lete::cli::run() {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if lete::cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            lete::cli::report_error(&err);
            ExitCode::from(2)
        }
    }
}
