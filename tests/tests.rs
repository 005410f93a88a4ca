//! lete's integration tests, one crate (as ripgrep's `tests/`): each module runs the real
//! `lete` binary, or the library's whole pipeline, on the real corpus in a temporary folder.
//! One crate links the library once and lets the modules share `util` without dead code.

mod bench;
mod cli;
mod first_minutes;
mod serve;
mod shell;
mod util;
