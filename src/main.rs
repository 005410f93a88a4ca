//! The `lete` binary: parse the command line, run it, map the outcome to an exit code
//! (0 hits or success, 1 no hits, 2 error; a closed pipe is success).

use std::process::ExitCode;

fn main() -> ExitCode {
    match lete::cli::run() {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) if lete::cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            lete::cli::report_error(&err);
            ExitCode::from(2)
        }
    }
}
