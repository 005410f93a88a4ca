//! Issue 7's CLI tests: completions, man pages, colour, width, progress and verbosity,
//! `--help` examples, `lete stats`, `search --files` and `--format vimgrep`, and the
//! OpenSearch export. The real binary runs in a temporary folder with a copy of the corpus,
//! with `NO_COLOR`, `COLUMNS` and `LETE_*` cleared.

use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::{Command, Output};

use crate::util::*;

const COMMANDS: [&str; 8] = [
    "search",
    "eval",
    "index",
    "outline",
    "stats",
    "export",
    "completions",
    "man",
];

#[test]
fn r7_completions_for_each_shell_name_the_commands() {
    let workspace = Workspace::new();
    for (shell, marker) in [
        ("bash", "complete -F _lete"),
        ("zsh", "#compdef lete"),
        ("fish", "complete -c lete"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = workspace.ok(&["completions", shell]);
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {marker:?}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} completes {command}");
        }
        assert!(
            script.contains("vimgrep"),
            "{shell} completes --format values"
        );
    }
    assert_eq!(
        workspace.lete(&["completions", "tcsh"]).status.code(),
        Some(2)
    );
}

#[test]
fn r7_bash_completion_script_loads_in_bash() {
    let workspace = Workspace::new();
    let script = stdout(&workspace.ok(&["completions", "bash"]));
    std::fs::write(workspace.file("lete.bash"), script).unwrap();
    let output = Command::new("bash")
        .current_dir(workspace.path())
        .args(["-c", "source lete.bash && complete -p lete"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("_lete"));
}

#[test]
fn r7_man_pages_are_roff_for_lete_and_each_command() {
    let workspace = Workspace::new();
    let page = stdout(&workspace.ok(&["man"]));
    assert!(page.contains(".TH lete 1"), "{page}");
    assert!(page.contains("lete 0.1.0"));
    for command in COMMANDS {
        assert!(page.contains(command), "the page lists {command}");
    }
    let search = stdout(&workspace.ok(&["man", "search"]));
    assert!(search.contains(".TH lete-search 1"), "{search}");
    assert!(search.contains("vimgrep") && search.contains("Examples:"));
    workspace.ok(&["man", "--dir", "man1"]);
    for command in COMMANDS {
        let path = workspace.file(&format!("man1/lete-{command}.1"));
        assert!(path.is_file(), "{}", path.display());
    }
    assert!(workspace.file("man1/lete.1").is_file());
    assert_error(
        &workspace.lete(&["man", "nope"]),
        "no command 'nope'; lete man knows search, index",
    );
}

#[test]
fn r7_every_command_help_has_examples() {
    let workspace = Workspace::new();
    let top = stdout(&workspace.ok(&["--help"]));
    assert!(
        top.contains("Examples:") && top.contains("| xargs"),
        "{top}"
    );
    for command in COMMANDS {
        let help = stdout(&workspace.ok(&[command, "--help"]));
        assert!(help.contains("Examples:"), "{command} --help:\n{help}");
        assert!(help.contains(&format!("lete {command}")), "{command}");
    }
    let search = stdout(&workspace.ok(&["search", "--help"]));
    for pipeline in ["| jq", "| xargs", "vim -q", "| less -R"] {
        assert!(search.contains(pipeline), "{pipeline}");
    }
}

#[test]
fn r7_colour_follows_color_and_no_color() {
    let workspace = Workspace::new();
    let run = |color: Option<&str>, no_color: bool| {
        let mut command = workspace.command();
        if let Some(when) = color {
            command.args(["--color", when]);
        }
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let output = command.args(["search", "barnevern"]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output).contains('\u{1b}')
    };
    assert!(!run(None, false), "auto: no escape codes when piped");
    assert!(!run(Some("auto"), false));
    assert!(!run(Some("never"), false));
    assert!(run(Some("always"), false), "always colours a pipe");
    assert!(
        run(Some("always"), true),
        "--color always wins over NO_COLOR"
    );
    // Machine formats never carry colour.
    let json = workspace.ok(&["--color", "always", "search", "--jsonl", "barnevern"]);
    assert!(!stdout(&json).contains('\u{1b}'));
    assert_eq!(
        workspace
            .lete(&["--color", "sometimes", "search", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn r7_snippets_wrap_to_columns_and_not_when_piped() {
    let workspace = Workspace::new();
    let piped = stdout(&workspace.ok(&["search", "-n", "3", "lokalt handlingsrom"]));
    // Snippet lines are set off by a bar (issue 19); the heading lines above them wrap too.
    let snippet_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| line.strip_prefix("    │ "))
            .map(str::to_string)
            .collect()
    };
    let longest = snippet_lines(&piped)
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(longest > 60, "a piped snippet is one long line");
    let narrow = workspace
        .command()
        .env("COLUMNS", "60")
        .args(["search", "-n", "3", "lokalt handlingsrom"])
        .output()
        .unwrap();
    let wrapped = snippet_lines(&stdout(&narrow));
    assert!(wrapped.len() > 3, "{wrapped:?}");
    assert!(
        stdout(&narrow).lines().all(|l| l.chars().count() <= 60),
        "every line, headings too: {}",
        stdout(&narrow)
    );
    // Wrapping moves line breaks only: the words are the same.
    let words = |lines: Vec<String>| lines.join(" ").split_whitespace().count();
    assert_eq!(words(snippet_lines(&piped)), words(wrapped));
}

#[test]
fn r7_index_is_silent_but_for_the_summary_when_piped_and_q_silences_it() {
    let workspace = Workspace::new();
    let output = workspace.ok(&["index"]);
    let err = stderr(&output);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("lete: indexed 5 documents"), "{err}");
    let quiet = workspace.ok(&["-q", "index", "--rebuild"]);
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));
    assert!(quiet.stdout.is_empty());
    // A search that refreshes the index is quiet under -q too; its hits still print.
    std::fs::write(
        workspace.file("corpus/010_ny.txt"),
        "Ny\n\nEn sebrakommune.\n",
    )
    .unwrap();
    let search = workspace.ok(&["search", "-q", "--jsonl", "sebrakommune"]);
    assert!(search.stderr.is_empty(), "{}", stderr(&search));
    assert_eq!(stdout(&search).lines().count(), 1);
    // Issue 19: -q silences the warnings about skipped files too; lete stats lists them.
    std::fs::write(workspace.file("corpus/tom.txt"), "  \n").unwrap();
    let quiet = workspace.ok(&["index", "-q"]);
    assert_eq!(stderr(&quiet), "");
    let listed = stdout(&workspace.ok(&["stats"]));
    assert!(
        listed.contains("skipped        corpus/tom.txt: empty file (no text); skipped"),
        "{listed}"
    );
    let both = workspace.lete(&["-q", "-v", "index"]);
    assert_eq!(both.status.code(), Some(2));
    assert!(stderr(&both).contains("'--quiet' cannot be used with '--verbose'"));
}

#[test]
fn r7_verbose_index_names_the_plan_and_each_file() {
    let workspace = Workspace::new();
    let err = stderr(&workspace.ok(&["index", "-v"]));
    assert!(
        err.contains("lete: no index yet: building the index from scratch in index/\n"),
        "{err}"
    );
    assert!(
        err.contains("lete: 5 files to read (0.1 MB), 0 unchanged, 0 removed"),
        "{err}"
    );
    for name in CORPUS_FILES {
        assert!(
            err.contains(&format!("lete: read corpus/{name} (")),
            "{name}: {err}"
        );
    }
    assert!(err.contains("004_23c5671f6e93fa29.txt (6.5 kB): da, 4 sections, 26 passages"));
    assert!(err.contains("lete: committing the index"));
    assert!(err.contains("lete: the index is in index/ (from corpus)"));
    std::fs::remove_file(workspace.file(&format!("corpus/{}", CORPUS_FILES[0]))).unwrap();
    let update = stderr(&workspace.ok(&["-v", "index"]));
    assert!(
        update.contains(&format!(
            "lete: removed corpus/{}: its passages leave the index",
            CORPUS_FILES[0]
        )),
        "{update}"
    );
}

/// `lete stats --json` as the README documents it: decoding fails on a missing or extra field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stats {
    corpus: String,
    index: String,
    built_at: String,
    built_at_unix: u64,
    up_to_date: Option<bool>,
    lete_version: String,
    schema_version: u32,
    index_bytes: u64,
    skipped_files: usize,
    skipped: Vec<String>,
    include: Vec<String>,
    exclude: Vec<String>,
    totals: Counts,
    languages: BTreeMap<String, Counts>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Counts {
    documents: usize,
    sections: usize,
    passages: usize,
    words: usize,
    distinct_terms: usize,
}

fn stats_json(workspace: &Workspace) -> Stats {
    serde_json::from_str(&stdout(&workspace.ok(&["stats", "--json"]))).expect("stats JSON")
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

#[test]
fn r7_stats_match_the_index_summary_and_the_disk() {
    let workspace = Workspace::new();
    assert_error(
        &workspace.lete(&["stats"]),
        "no index at index; run lete index",
    );
    let summary = stderr(&workspace.ok(&["index"]));
    let stats = stats_json(&workspace);
    let expected = format!(
        "{} documents (nb {}, da {}), {} sections, {} passages",
        stats.totals.documents,
        stats.languages["nb"].documents,
        stats.languages["da"].documents,
        stats.totals.sections,
        stats.totals.passages
    );
    assert!(summary.contains(&expected), "{expected} in {summary}");
    assert_eq!(stats.totals.documents, 5);
    assert_eq!(
        (stats.corpus.as_str(), stats.index.as_str()),
        ("corpus", "index")
    );
    assert_eq!(stats.up_to_date, Some(true));
    assert_eq!(
        (stats.lete_version.as_str(), stats.schema_version),
        ("0.1.0", lete::index::SCHEMA_VERSION)
    );
    assert_eq!(stats.skipped_files, 0);
    assert!(stats.skipped.is_empty(), "{:?}", stats.skipped);
    // The default selection: every format lete reads (issue 15).
    assert_eq!(
        stats.include,
        [
            "*.txt",
            "*.md",
            "*.markdown",
            "*.html",
            "*.htm",
            "*.xhtml",
            "*.pdf",
            "*.docx",
            "*.odt"
        ]
    );
    assert!(stats.exclude.is_empty());
    assert_eq!(stats.index_bytes, folder_bytes(&workspace.file("index")));
    let languages: Vec<&str> = stats.languages.keys().map(String::as_str).collect();
    assert_eq!(languages, ["da", "nb", "nn"]);
    assert_eq!(stats.languages["nn"].passages, 0);
    let sum = |field: fn(&Counts) -> usize| stats.languages.values().map(field).sum::<usize>();
    assert_eq!(sum(|c| c.words), stats.totals.words);
    assert_eq!(sum(|c| c.passages), stats.totals.passages);
    assert!(stats.totals.words > 5000, "{stats:?}");
    let terms = stats.totals.distinct_terms;
    assert!(terms >= stats.languages["nb"].distinct_terms && terms <= sum(|c| c.distinct_terms));
    // Words: every passage's words, so the bundled corpus's own word count bounds it.
    let corpus_words: usize = CORPUS_FILES
        .iter()
        .map(|name| {
            std::fs::read_to_string(workspace.file(&format!("corpus/{name}")))
                .unwrap()
                .split_whitespace()
                .count()
        })
        .sum();
    assert!(
        stats.totals.words <= corpus_words + corpus_words / 10,
        "{corpus_words}"
    );
    assert!(
        stats.totals.words >= corpus_words * 8 / 10,
        "{corpus_words}"
    );
    let bytes = stats.built_at.as_bytes();
    assert_eq!(
        (bytes.len(), bytes[4], bytes[10], bytes[19]),
        (20, b'-', b'T', b'Z')
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(stats.built_at_unix <= now && now - stats.built_at_unix < 600);
    // The table says the same.
    let table = stdout(&workspace.ok(&["stats"]));
    assert!(table.contains("distinct terms"), "{table}");
    assert!(table.contains("\nda                1"), "{table}");
    assert!(table.contains("index          index ("), "{table}");
    assert!(table.contains("up to date with the corpus"));
    // A changed corpus is reported, not silently described as current.
    std::fs::write(
        workspace.file("corpus/010_ny.txt"),
        "Ny\n\nEn sebrakommune.\n",
    )
    .unwrap();
    assert_eq!(stats_json(&workspace).up_to_date, Some(false));
    assert!(stdout(&workspace.ok(&["stats"])).contains("out of date"));
}

#[test]
fn r7_files_lists_each_matching_source_once() {
    let workspace = Workspace::new();
    let output = workspace.ok(&["search", "--files", "kommune"]);
    let files: Vec<String> = stdout(&output).lines().map(str::to_string).collect();
    let unique: HashSet<&String> = files.iter().collect();
    assert_eq!(unique.len(), files.len(), "{files:?}");
    assert!(
        files.iter().all(|f| workspace.file(f).is_file()),
        "{files:?}"
    );
    // Every source any passage matches, however many passages: as many as the JSON names.
    let all = workspace.ok(&["search", "--jsonl", "--limit", "10000", "kommune"]);
    let sources: HashSet<String> = stdout(&all)
        .lines()
        .map(|line| {
            let hit: serde_json::Value = serde_json::from_str(line).unwrap();
            hit["source"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(unique.len(), sources.len());
    assert_eq!(
        stdout(&workspace.ok(&["search", "-l", "--lang", "da", "kommunerne"])),
        format!("corpus/{}\n", CORPUS_FILES[4])
    );
    let none = workspace.lete(&["search", "--files", "xylofonkvartett"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
    let clash = workspace.lete(&["search", "--files", "--json", "kommune"]);
    assert_eq!(clash.status.code(), Some(2));
}

/// Issue 14: `--format vimgrep` reread the source file to find the passage by its first
/// words, and fell back to the passage's line, column 1, where the file has CR line ends or is
/// Windows-1252. The place now comes from the index. Columns count the bytes of the line as
/// decoded to UTF-8, as Vim's quickfix does (`æ` is two).
#[test]
fn r14_vimgrep_columns_hold_with_cr_crlf_and_windows_1252() {
    let workspace = Workspace::new();
    let lines = [
        "Tittel her",
        "",
        "Dette er en tekst om fjordbussruten i kommunen.",
        "Den fortsetter her og fjordbussruten igjen.",
        "",
    ];
    std::fs::write(workspace.file("corpus/cr.txt"), lines.join("\r")).unwrap();
    std::fs::write(
        workspace.file("corpus/crlf.txt"),
        lines
            .join("\r\n")
            .replace("fjordbussruten", "elvebussruten"),
    )
    .unwrap();
    // `Velfærd` in Windows-1252: æ is the byte E6.
    std::fs::write(
        workspace.file("corpus/latin.txt"),
        b"Tittel\n\nVelf\xe6rd og vannbussruten i kommunene.\n",
    )
    .unwrap();
    let places = |query: &str| -> Vec<String> {
        stdout(&workspace.ok(&["search", "--format", "vimgrep", query]))
            .lines()
            .map(|line| line.splitn(4, ':').take(3).collect::<Vec<_>>().join(":"))
            .collect()
    };
    assert_eq!(
        places("fjordbussruten"),
        ["corpus/cr.txt:4:23", "corpus/cr.txt:3:22"]
    );
    assert_eq!(
        places("elvebussruten"),
        ["corpus/crlf.txt:4:23", "corpus/crlf.txt:3:22"]
    );
    assert_eq!(places("vannbussruten"), ["corpus/latin.txt:3:13"]);
}

#[test]
fn r7_vimgrep_points_at_the_first_matched_word() {
    let workspace = Workspace::new();
    let query = "statlig detaljstyring";
    let output = workspace.ok(&["search", "--format", "vimgrep", query]);
    let lines: Vec<String> = stdout(&output).lines().map(str::to_string).collect();
    assert!(lines.len() >= 3, "{lines:?}");
    // The words each hit highlights (stems match: `statens` for `statlig`), in rank order.
    let matched: Vec<Vec<String>> = stdout(&workspace.ok(&["search", "--jsonl", query]))
        .lines()
        .map(|line| {
            let hit: serde_json::Value = serde_json::from_str(line).unwrap();
            let snippet = hit["snippet"].as_str().unwrap();
            hit["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(|range| {
                    let start = range[0].as_u64().unwrap() as usize;
                    let end = range[1].as_u64().unwrap() as usize;
                    snippet[start..end].to_string()
                })
                .collect()
        })
        .collect();
    assert_eq!(matched.len(), lines.len());
    for (line, words) in lines.iter().zip(&matched) {
        let mut parts = line.splitn(4, ':');
        let (source, number, column, snippet) = (
            parts.next().unwrap(),
            parts.next().unwrap().parse::<usize>().expect("line"),
            parts.next().unwrap().parse::<usize>().expect("column"),
            parts.next().expect("snippet"),
        );
        assert!(!snippet.is_empty() && !snippet.contains('\n'));
        let text = std::fs::read_to_string(workspace.file(source)).unwrap();
        let source_line = text.lines().nth(number - 1).expect("line in file");
        let at = source_line
            .get(column - 1..)
            .expect("column on a char boundary");
        assert!(
            words.iter().any(|word| at.starts_with(word.as_str())),
            "{line}: {words:?} at {:?}",
            at.chars().take(30).collect::<String>()
        );
    }
    // --format json is --json, --format jsonl is --jsonl; the two ways conflict.
    let by_format = workspace.ok(&["search", "--format", "jsonl", "barnevern"]);
    let by_flag = workspace.ok(&["search", "--jsonl", "barnevern"]);
    let strip = |output: &Output| -> Vec<serde_json::Value> {
        stdout(output)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    assert_eq!(strip(&by_format), strip(&by_flag));
    let json: serde_json::Value = serde_json::from_str(&stdout(&workspace.ok(&[
        "search",
        "--format",
        "json",
        "barnevern",
    ])))
    .unwrap();
    assert_eq!(json["query"], "barnevern");
    let clash = workspace.lete(&["search", "--json", "--format", "vimgrep", "barnevern"]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(stderr(&clash).contains("cannot be used with"));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportedPassage {
    source: String,
    title: String,
    heading: String,
    heading_path: Vec<String>,
    lang: String,
    line: u64,
    section: u64,
    passage: u64,
    boilerplate: bool,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkAction {
    index: BulkTarget,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkTarget {
    _index: String,
    _id: String,
}

#[test]
fn r7_opensearch_export_pairs_every_passage_with_an_action() {
    let workspace = Workspace::new();
    workspace.ok(&["export", "--format", "opensearch", "out"]);
    let stats = stats_json(&workspace);
    let bulk = std::fs::read_to_string(workspace.file("out/passages.ndjson")).unwrap();
    assert!(bulk.ends_with('\n'), "the bulk API needs a final newline");
    let lines: Vec<&str> = bulk.lines().collect();
    assert_eq!(lines.len() % 2, 0);
    assert_eq!(lines.len() / 2, stats.totals.passages);
    let mut ids = HashSet::new();
    let mut per_lang: BTreeMap<String, usize> = BTreeMap::new();
    for pair in lines.chunks(2) {
        let action: BulkAction = serde_json::from_str(pair[0]).expect("action line");
        let passage: ExportedPassage = serde_json::from_str(pair[1]).expect("document line");
        assert_eq!(action.index._index, "lete");
        assert_eq!(
            action.index._id,
            format!("{}#{}", passage.source, passage.passage)
        );
        assert!(ids.insert(action.index._id.clone()), "unique ids");
        assert!(workspace.file(&passage.source).is_file());
        assert!(!passage.text.is_empty() && passage.line >= 1);
        assert_eq!(passage.heading_path.first(), Some(&passage.title));
        assert_eq!(passage.heading_path.last(), Some(&passage.heading));
        let _ = (passage.section, passage.boilerplate);
        *per_lang.entry(passage.lang).or_default() += 1;
    }
    assert_eq!(per_lang["da"], stats.languages["da"].passages);
    assert_eq!(per_lang["nb"], stats.languages["nb"].passages);

    let mapping: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace.file("out/mapping.json")).unwrap())
            .unwrap();
    let properties = &mapping["mappings"]["properties"];
    for field in ["text", "heading", "title"] {
        let sub = &properties[field]["fields"];
        assert_eq!(properties[field]["type"], "text");
        assert_eq!(sub["nb"]["analyzer"], "norwegian", "{field}");
        assert_eq!(sub["nn"]["analyzer"], "norwegian", "{field}");
        assert_eq!(sub["da"]["analyzer"], "danish", "{field}");
    }
    for (field, kind) in [
        ("source", "keyword"),
        ("lang", "keyword"),
        ("heading_path", "keyword"),
        ("line", "integer"),
        ("boilerplate", "boolean"),
    ] {
        assert_eq!(properties[field]["type"], kind, "{field}");
    }
    assert_eq!(
        mapping["mappings"]["_meta"]["passages"],
        stats.totals.passages
    );

    // A folder with files is not written into without --force; with it, other files stay.
    std::fs::write(workspace.file("out/notes.txt"), "mine").unwrap();
    assert_error(
        &workspace.lete(&["export", "--format", "opensearch", "out"]),
        "out is not empty; choose an empty or new folder, or pass --force",
    );
    workspace.ok(&[
        "export",
        "--format",
        "opensearch",
        "--force",
        "--name",
        "kommune",
        "out",
    ]);
    assert!(
        std::fs::read_to_string(workspace.file("out/passages.ndjson"))
            .unwrap()
            .starts_with(r#"{"index":{"_index":"kommune","_id":"corpus/000_"#)
    );
    assert!(workspace.file("out/notes.txt").is_file());
    assert_error(
        &workspace.lete(&["export", "--name", "Store Bokstaver", "new"]),
        "is not a valid index name",
    );
    assert!(!workspace.file("new").exists());
    std::fs::write(workspace.file("fil"), "x").unwrap();
    assert_error(
        &workspace.lete(&["export", "fil"]),
        "fil is a file, not a folder",
    );
}

/// The README's install lines (its `bash` blocks, which write into the home folder) run with a
/// temporary home, and leave what they promise there.
#[test]
fn r7_readme_install_lines_run_with_a_temporary_home() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_lete")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let workspace = Workspace::new();
    let home = workspace.file("home");
    std::fs::create_dir(&home).unwrap();
    let mut in_block = false;
    let mut ran = 0;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line == "```bash";
            continue;
        }
        let command = line.trim();
        if !in_block || command.is_empty() || command.starts_with('#') {
            continue;
        }
        let output = Command::new("bash")
            .current_dir(workspace.path())
            .env("PATH", &path)
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("NO_COLOR")
            .args(["-o", "pipefail", "-c", command])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}\nstderr: {}",
            stderr(&output)
        );
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} install lines");
    for file in [
        ".local/share/bash-completion/completions/lete",
        ".zfunc/_lete",
        ".config/fish/completions/lete.fish",
        ".local/share/man/man1/lete.1",
        ".local/share/man/man1/lete-search.1",
    ] {
        assert!(home.join(file).is_file(), "{file}");
    }
}
