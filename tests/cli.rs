//! End-to-end tests: the real `lete` binary on the real corpus, in a temporary folder, with
//! `NO_COLOR` and `LETE_*` cleared. JSON output is decoded into test-side types, so the
//! schema is checked as a contract.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CORPUS_FILES: [&str; 5] = [
    "000_216059c245ea5907.txt",
    "001_1cf0783d53d43ec1.txt",
    "002_2a876e5dcd2b4d39.txt",
    "003_4501c1bc3e944b18.txt",
    "004_23c5671f6e93fa29.txt",
];

/// A temporary working folder holding a fresh copy of the bundled corpus (and no index).
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for name in CORPUS_FILES {
            let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(name);
            std::fs::copy(from, corpus.join(name)).unwrap();
        }
        Workspace { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs `lete ARGS` in the workspace.
    fn lete(&self, args: &[&str]) -> Output {
        lete_command(self.path()).args(args).output().expect("run lete")
    }
}

fn lete_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lete"));
    command.current_dir(dir).env_remove("NO_COLOR");
    for (key, _) in std::env::vars() {
        if key.starts_with("LETE_") {
            command.env_remove(key);
        }
    }
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// Asserts the run failed with exit 2 and exactly one line on stderr, `lete: …`, holding
/// `needle`.
fn assert_error(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {err}");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("lete: "), "{err}");
    assert!(err.contains(needle), "{needle:?} in {err}");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutlineJson {
    source: String,
    title: String,
    lang: String,
    sections: Vec<SectionJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionJson {
    heading: String,
    level: u8,
    line: usize,
    heading_path: Vec<String>,
    boilerplate: bool,
    passages: Vec<PassageJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassageJson {
    line: usize,
    text: String,
}

fn outline_json(workspace: &Workspace, name: &str) -> OutlineJson {
    let output = workspace.lete(&["outline", "--json", &format!("corpus/{name}")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("outline JSON")
}

#[test]
fn r2_outline_json_of_000_has_the_expected_structure() {
    let workspace = Workspace::new();
    let outline = outline_json(&workspace, CORPUS_FILES[0]);
    assert_eq!(outline.source, format!("corpus/{}", CORPUS_FILES[0]));
    assert_eq!(outline.title, "Plan for arbeidet i sentralt kommunedirektørutvalg 2023 – 2025");
    assert_eq!(outline.lang, "nb");
    let headings: Vec<&str> = outline.sections[1..].iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Mandat og rammer",
            "Prioriterte arbeidsområder",
            "Oppfølging av prioriteringer i langtidsstrategien for perioden 2020 – 2023",
            "Øvrige rammer og prioriteringer for kommunedirektørutvalgets arbeid",
        ]
    );
    let title_section = &outline.sections[0];
    assert_eq!((title_section.level, title_section.line), (0, 5));
    assert_eq!(title_section.heading_path, [outline.title.clone()]);
    let mandate = &outline.sections[1];
    assert_eq!((mandate.level, mandate.line), (1, 7));
    assert!(!mandate.boilerplate);
    assert_eq!(mandate.passages[1].line, 11);
    assert_eq!(
        mandate.passages[1].text,
        "Kommunedirektørutvalget er KS' rådgivende organ, jfr vedtektenes §9."
    );
}

#[test]
fn r2_outline_json_marks_the_title_list_of_003_as_boilerplate() {
    let workspace = Workspace::new();
    let outline = outline_json(&workspace, CORPUS_FILES[3]);
    let boilerplate: Vec<&SectionJson> = outline.sections.iter().filter(|s| s.boilerplate).collect();
    assert_eq!(boilerplate.len(), 1);
    assert_eq!(boilerplate[0].heading, "Like dokumenter");
    assert_eq!(boilerplate[0].line, 5);
}

#[test]
fn r2_outline_detects_danish_and_the_focus_area_headings() {
    let workspace = Workspace::new();
    let outline = outline_json(&workspace, CORPUS_FILES[4]);
    assert_eq!(outline.lang, "da");
    let headings: Vec<&str> = outline.sections.iter().map(|s| s.heading.as_str()).collect();
    assert!(headings.contains(&"Fokusomrade 3: Civilsamfund"), "{headings:?}");
}

#[test]
fn r2_outline_pretty_shows_title_language_and_headings() {
    let workspace = Workspace::new();
    let output = workspace.lete(&["outline", &format!("corpus/{}", CORPUS_FILES[1])]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("KS' strategi 2024-2027\n"), "{text}");
    assert!(text.contains("language: nb"));
    assert!(text.contains("L39      # KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring"), "{text}");
    assert!(!text.contains("# KS skal arbeide slik i perioden:"));
}

#[test]
fn r2_outline_of_a_missing_file_is_a_one_line_error() {
    let workspace = Workspace::new();
    let output = workspace.lete(&["outline", "corpus/nope.txt"]);
    assert_error(&output, "corpus/nope.txt: cannot read");
}

#[test]
fn r2_outline_of_a_binary_file_is_a_one_line_error() {
    let workspace = Workspace::new();
    std::fs::write(workspace.file("image.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let output = workspace.lete(&["outline", "image.txt"]);
    assert_error(&output, "image.txt: binary file");
}

#[test]
fn r2_outline_reads_windows_1252_with_a_warning() {
    let workspace = Workspace::new();
    std::fs::write(
        workspace.file("gammel.txt"),
        b"Velf\xe6rd\n\nKommunerne skal m\xf8de civilsamfundet med tillid og respekt.\n",
    )
    .unwrap();
    let output = workspace.lete(&["outline", "--json", "gammel.txt"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("lete: warning: gammel.txt: not valid UTF-8; decoded as Windows-1252"));
    let outline: OutlineJson = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(outline.title, "Velfærd");
    assert!(outline.sections[0].passages.iter().any(|p| p.text.contains("møde civilsamfundet")));
}
