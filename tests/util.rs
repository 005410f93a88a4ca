//! What the test modules share: a temporary workspace with a fresh copy of the bundled
//! corpus, the binary run in it with `NO_COLOR`, `COLUMNS` and `LETE_*` cleared, and the
//! checks of its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const CORPUS_FILES: [&str; 5] = [
    "000_216059c245ea5907.txt",
    "001_1cf0783d53d43ec1.txt",
    "002_2a876e5dcd2b4d39.txt",
    "003_4501c1bc3e944b18.txt",
    "004_23c5671f6e93fa29.txt",
];

/// A temporary working folder holding a fresh copy of the bundled corpus (and no index).
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for name in CORPUS_FILES {
            let from = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .join(name);
            std::fs::copy(from, corpus.join(name)).unwrap();
        }
        Workspace { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `lete`, to be given arguments, run in the workspace.
    pub fn command(&self) -> Command {
        lete_command(self.path())
    }

    /// Runs `lete ARGS` in the workspace.
    pub fn lete(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run lete")
    }

    /// Runs `lete ARGS` and asserts exit 0.
    pub fn ok(&self, args: &[&str]) -> Output {
        assert_success(self.lete(args), args)
    }
}

/// `output` of `lete ARGS`, asserted to have exited 0.
pub fn assert_success(output: Output, args: &[&str]) -> Output {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    output
}

/// `lete` run in `dir`, with `NO_COLOR`, `COLUMNS` and `LETE_*` cleared, and the user's
/// cache folder (where the index of a corpus other than `./corpus` goes) in `dir/.cache`.
pub fn lete_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lete"));
    command
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache_home(dir))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    for (key, _) in std::env::vars() {
        if key.starts_with("LETE_") {
            command.env_remove(key);
        }
    }
    command
}

/// The cache folder the binary is given when run in `dir`: hidden, so that a corpus holding
/// it never reads it.
pub fn cache_home(dir: &Path) -> PathBuf {
    dir.join(".cache")
}

/// Whether the program `name` is on the PATH; when it is not, the test that needs it says so
/// on stderr and is skipped (`.ci/run` installs them all).
pub fn has_program(name: &str, test: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        eprintln!("skipped {test}: {name} is not installed (.ci/run installs it)");
    }
    found
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// Peak memory (kB, from `/usr/bin/time`) and seconds of `lete index` of `corpus` into the
/// workspace's folder `index`; the run must succeed. For the heavy tests run in release.
pub fn index_peak_kb_and_seconds(workspace: &Workspace, corpus: &Path, index: &str) -> (u64, f64) {
    let started = std::time::Instant::now();
    let output = Command::new("/usr/bin/time")
        .current_dir(workspace.path())
        .args(["-f", "%M", env!("CARGO_BIN_EXE_lete"), "--corpus"])
        .arg(corpus)
        .args(["--index", index, "index"])
        .output()
        .expect("/usr/bin/time");
    let seconds = started.elapsed().as_secs_f64();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let peak_kb: u64 = err.lines().last().unwrap().trim().parse().unwrap();
    (peak_kb, seconds)
}

/// Asserts the run failed with exit 2 and exactly one line on stderr, `lete: …`, holding
/// `needle`.
pub fn assert_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("lete: "), "{err}");
    assert!(err.contains(needle), "{needle:?} in {err}");
}
