//! Issue 19's CLI tests: the first ten minutes on a user's own folder. Where the index lives
//! (the user's cache folder, one per canonical corpus path), what it remembers (its corpus and
//! file selection), the words typed (no quotes, `--lang no`, `-0`, a note when nothing
//! matches, one prefix on every error line, help with the global options apart), and how a hit
//! reads. The real binary runs in a temporary folder, its cache folder inside it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::*;

/// A workspace with a folder of the user's own documents, `mine/`, beside the bundled
/// corpus: two files at the top and one in `dansk/`.
fn with_own_folder() -> Workspace {
    let workspace = Workspace::new();
    let mine = workspace.file("mine");
    std::fs::create_dir_all(mine.join("dansk")).unwrap();
    for (from, to) in [
        (CORPUS_FILES[0], "plan.txt"),
        (CORPUS_FILES[1], "strategi med mellomrom.txt"),
        (CORPUS_FILES[4], "dansk/kl.txt"),
    ] {
        std::fs::copy(workspace.file(&format!("corpus/{from}")), mine.join(to)).unwrap();
    }
    workspace
}

/// `lete ARGS` run in `dir`, with the workspace's cache folder.
fn lete_in(workspace: &Workspace, dir: &Path, args: &[&str]) -> Output {
    lete_command(dir)
        .env("XDG_CACHE_HOME", cache_home(workspace.path()))
        .args(args)
        .output()
        .expect("run lete")
}

fn ok_in(workspace: &Workspace, dir: &Path, args: &[&str]) -> Output {
    assert_success(lete_in(workspace, dir, args), args)
}

fn jsonl(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON hit"))
        .collect()
}

fn sources(output: &Output) -> Vec<String> {
    jsonl(output)
        .iter()
        .map(|hit| hit["source"].as_str().unwrap().to_string())
        .collect()
}

/// The index folders lete made in the workspace's cache folder.
fn cached_indexes(workspace: &Workspace) -> Vec<PathBuf> {
    let lete = cache_home(workspace.path()).join("lete");
    match std::fs::read_dir(lete) {
        Ok(entries) => entries.map(|entry| entry.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn r19_a_folder_of_ones_own_gets_one_index_in_the_cache_whatever_its_spelling() {
    let workspace = with_own_folder();
    let mine = workspace.file("mine");
    // `cd mine; lete search --corpus . beredskap` was refused: the index went inside it.
    let first = ok_in(
        &workspace,
        &mine,
        &["search", "--corpus", ".", "--jsonl", "beredskap"],
    );
    let err = stderr(&first);
    assert!(
        err.contains("lete: no index yet; building it from the corpus into "),
        "{err}"
    );
    let indexes = cached_indexes(&workspace);
    assert_eq!(indexes.len(), 1, "{indexes:?}");
    let name = indexes[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("mine-"), "{name}");
    assert!(err.contains(&name), "the note says where: {err}");
    assert!(!mine.join("index").exists() && !workspace.file("index").exists());
    // Hits name files as a shell opens them from here.
    let here = sources(&first);
    assert!(
        here.iter().all(|source| mine.join(source).is_file()),
        "{here:?}"
    );
    assert!(here.contains(&"plan.txt".to_string()), "{here:?}");
    // Every spelling and every working folder meets that index, silently.
    let absolute = mine.display().to_string();
    let env_spelled = lete_command(workspace.path())
        .env("XDG_CACHE_HOME", cache_home(workspace.path()))
        .env("LETE_CORPUS", &absolute)
        .args(["search", "--jsonl", "beredskap"])
        .output()
        .unwrap();
    assert_eq!(
        env_spelled.status.code(),
        Some(0),
        "{}",
        stderr(&env_spelled)
    );
    for (dir, corpus) in [
        (workspace.path().to_path_buf(), "mine"),
        (workspace.path().to_path_buf(), "./mine/"),
        (workspace.file("corpus"), "../mine"),
    ] {
        let output = ok_in(
            &workspace,
            &dir,
            &["search", "--corpus", corpus, "--jsonl", "beredskap"],
        );
        assert_eq!(stderr(&output), "", "{corpus} from {}", dir.display());
        let shown = sources(&output);
        assert!(
            shown.iter().all(|source| dir.join(source).is_file()),
            "{shown:?}"
        );
    }
    assert_eq!(stderr(&env_spelled), "");
    assert!(sources(&env_spelled)[0].starts_with(&absolute));
    assert_eq!(cached_indexes(&workspace).len(), 1);
    assert!(!workspace.file("index").exists());
    // lete stats says where the index is.
    let stats = stdout(&ok_in(
        &workspace,
        workspace.path(),
        &["stats", "--corpus", "mine"],
    ));
    assert!(stats.contains(&indexes[0].display().to_string()), "{stats}");
    // The bundled corpus keeps index/ beside it, as the tour has it.
    ok_in(&workspace, workspace.path(), &["search", "beredskap"]);
    assert!(workspace.file("index/meta.json").is_file());
    assert_eq!(cached_indexes(&workspace).len(), 1);
}

#[test]
fn r19_the_home_folder_as_corpus_keeps_its_index_in_its_hidden_cache() {
    let workspace = with_own_folder();
    let mine = workspace.file("mine");
    // The cache folder inside the corpus, as ~/.cache is inside ~.
    let output = lete_command(&mine)
        .env("XDG_CACHE_HOME", mine.join(".cache"))
        .args(["search", "--corpus", ".", "--files", "beredskap"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(mine.join(".cache/lete").is_dir());
    // An index folder that is not hidden inside the corpus is still refused.
    assert_error(
        &lete_in(
            &workspace,
            &mine,
            &["search", "--index", "idx", "--corpus", ".", "x"],
        ),
        "lies inside the corpus folder",
    );
}

#[test]
fn r19_an_explicit_index_is_never_swapped_to_another_corpus_silently() {
    let workspace = with_own_folder();
    let shared = ["--index", "delt"];
    ok_in(
        &workspace,
        workspace.path(),
        &[&shared[..], &["--corpus", "corpus", "index"]].concat(),
    );
    let other = lete_in(
        &workspace,
        workspace.path(),
        &[&shared[..], &["--corpus", "mine", "search", "beredskap"]].concat(),
    );
    assert_error(&other, "the index at delt holds the corpus ");
    assert!(stderr(&other).contains("not mine; run `lete index` to build it for mine"));
    let rebuilt = ok_in(
        &workspace,
        workspace.path(),
        &[&shared[..], &["--corpus", "mine", "index"]].concat(),
    );
    let err = stderr(&rebuilt);
    assert!(err.contains("lete: the index held the corpus "), "{err}");
    assert!(err.contains("building the index from scratch"), "{err}");
    let hits = ok_in(
        &workspace,
        workspace.path(),
        &[
            &shared[..],
            &["--corpus", "mine", "search", "--jsonl", "beredskap"],
        ]
        .concat(),
    );
    assert!(sources(&hits)
        .iter()
        .all(|source| source.starts_with("mine/")));
}

#[test]
fn r19_the_index_remembers_its_file_selection() {
    let workspace = with_own_folder();
    let mine = workspace.file("mine");
    std::fs::write(
        mine.join("referat.md"),
        "Referat\n\nEt sebramøte om beredskap.\n",
    )
    .unwrap();
    let include_md = [
        "--corpus",
        "mine",
        "--include",
        "*.md",
        "--include",
        "*.txt",
    ];
    ok_in(
        &workspace,
        workspace.path(),
        &[&include_md[..], &["index"]].concat(),
    );
    // A search without --include keeps the Markdown file the index was built with.
    let kept = ok_in(
        &workspace,
        workspace.path(),
        &["--corpus", "mine", "search", "-l", "sebramøte"],
    );
    assert_eq!(stdout(&kept), "mine/referat.md\n");
    // Said once (session 25).
    assert!(
        stderr(&kept).starts_with("lete: the index keeps the file selection given earlier"),
        "{}",
        stderr(&kept)
    );
    let stats: Value = serde_json::from_str(&stdout(&ok_in(
        &workspace,
        workspace.path(),
        &["--corpus", "mine", "stats", "--json"],
    )))
    .unwrap();
    assert_eq!(stats["include"], serde_json::json!(["*.md", "*.txt"]));
    // Another selection is said on stderr, and followed.
    let narrowed = lete_in(
        &workspace,
        workspace.path(),
        &[
            "--corpus",
            "mine",
            "--include",
            "*.txt",
            "search",
            "sebramøte",
        ],
    );
    assert_eq!(narrowed.status.code(), Some(1));
    assert!(
        stderr(&narrowed).contains(
            "lete: the file selection changed: the index was built with --include '*.md' \
             --include '*.txt', and now keeps --include '*.txt'"
        ),
        "{}",
        stderr(&narrowed)
    );
}

#[test]
fn r19_a_single_file_is_a_corpus() {
    let workspace = with_own_folder();
    let output = ok_in(
        &workspace,
        workspace.path(),
        &[
            "search",
            "--corpus",
            "mine/dansk/kl.txt",
            "--jsonl",
            "kommunerne",
        ],
    );
    let shown = sources(&output);
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|source| source == "mine/dansk/kl.txt"),
        "{shown:?}"
    );
}

#[test]
fn r19_source_filters_match_the_path_inside_the_corpus_folder() {
    let workspace = with_own_folder();
    let search = |query: &str| {
        let output = lete_in(
            &workspace,
            workspace.path(),
            &["--corpus", "mine", "search", "--files", query],
        );
        stdout(&output)
    };
    assert_eq!(search("source:'dansk/*' kommunerne"), "mine/dansk/kl.txt\n");
    // As hits show the path, too.
    assert_eq!(
        search("source:'mine/dansk/*' kommunerne"),
        "mine/dansk/kl.txt\n"
    );
    assert_eq!(
        search("source:plan.txt kommunedirektørutvalg"),
        "mine/plan.txt\n"
    );
    // The bundled corpus: the README's filters.
    let bundled = Workspace::new();
    let output = bundled.ok(&["search", "-l", "source:'00[12]_*' mentorordning"]);
    assert_eq!(stdout(&output), format!("corpus/{}\n", CORPUS_FILES[2]));
    let output = bundled.ok(&[
        "search",
        "-l",
        &format!("source:{} mentorordning", CORPUS_FILES[2]),
    ]);
    assert_eq!(stdout(&output), format!("corpus/{}\n", CORPUS_FILES[2]));
}

#[test]
fn r19_the_words_need_no_quotes_and_options_may_follow_them() {
    let workspace = Workspace::new();
    let quoted = workspace.ok(&["search", "--jsonl", "lokalt handlingsrom"]);
    let unquoted = workspace.ok(&["search", "lokalt", "handlingsrom", "--jsonl"]);
    assert_eq!(jsonl(&quoted), jsonl(&unquoted));
    let json: Value = serde_json::from_str(&stdout(&workspace.ok(&[
        "search",
        "statlig",
        "-detaljstyring",
        "-n",
        "2",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["query"], "statlig -detaljstyring");
    assert!(json["hits"].as_array().unwrap().len() <= 2);
    for hit in json["hits"].as_array().unwrap() {
        assert!(!hit["text"].as_str().unwrap().contains("detaljstyring"));
    }
}

#[test]
fn r19_no_hits_are_said_on_stderr_with_a_hint() {
    let workspace = Workspace::new();
    let none = workspace.lete(&["search", "xylofonkvartett"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
    let err = stderr(&none);
    assert!(
        err.ends_with("lete: no passage matches 'xylofonkvartett'\n"),
        "{err}"
    );
    let narrowed = workspace.lete(&["search", "--lang", "da", "mentorordning"]);
    assert_eq!(narrowed.status.code(), Some(1));
    assert_eq!(
        stderr(&narrowed),
        "lete: no passage matches 'mentorordning'; --lang da kept only passages in Danish: \
         try without it\n"
    );
    let filtered = workspace.lete(&["search", "source:'*004*' mentorordning"]);
    assert!(
        stderr(&filtered).ends_with("; the query's source: filter narrowed it: try without it\n"),
        "{}",
        stderr(&filtered)
    );
    let two = workspace.lete(&["search", "source:'*004*' lang:da mentorordning"]);
    assert!(
        stderr(&two)
            .ends_with("; the query's source: and lang: filters narrowed it: try without them\n"),
        "{}",
        stderr(&two)
    );
    let quiet = workspace.lete(&["search", "-q", "xylofonkvartett"]);
    assert_eq!(
        (quiet.status.code(), stderr(&quiet)),
        (Some(1), String::new())
    );
}

#[test]
fn r19_lang_no_is_bokmal_and_nynorsk() {
    let workspace = Workspace::new();
    for query in [
        &["--lang", "no", "kommunene"][..],
        &["lang:no kommunene"][..],
    ] {
        let args = [&["search", "--jsonl", "-n", "50"][..], query].concat();
        let hits = jsonl(&workspace.ok(&args));
        assert!(!hits.is_empty());
        assert!(
            hits.iter()
                .all(|hit| ["nb", "nn"].contains(&hit["lang"].as_str().unwrap())),
            "{query:?}"
        );
    }
    let all = jsonl(&workspace.ok(&["search", "--jsonl", "-n", "50", "kommune"]));
    assert!(all.iter().any(|hit| hit["lang"] == "da"));
}

#[test]
fn r19_files_with_null_end_each_path_with_a_nul_byte() {
    let workspace = with_own_folder();
    let output = ok_in(
        &workspace,
        workspace.path(),
        &["--corpus", "mine", "search", "-l0", "kommune"],
    );
    let paths: Vec<&[u8]> = output.stdout.split(|&b| b == 0).collect();
    assert_eq!(paths.last(), Some(&&b""[..]), "ends with a NUL byte");
    assert!(!output.stdout.contains(&b'\n'));
    assert!(paths.contains(&&b"mine/strategi med mellomrom.txt"[..]));
    if has_program("xargs", "r19_files_with_null_end_each_path_with_a_nul_byte") {
        let counted = std::process::Command::new("bash")
            .current_dir(workspace.path())
            .env("PATH", bin_path())
            .env("XDG_CACHE_HOME", cache_home(workspace.path()))
            .args([
                "-o",
                "pipefail",
                "-c",
                "lete --corpus mine search -l0 kommune | xargs -0 wc -w",
            ])
            .output()
            .unwrap();
        assert_eq!(counted.status.code(), Some(0), "{}", stderr(&counted));
        assert!(stdout(&counted).contains("strategi med mellomrom.txt"));
    }
    assert_error(&workspace.lete(&["search", "-0", "kommune"]), "--files");
}

/// `-l0` gives names that a line cannot hold (a line break, bytes that are not UTF-8, an
/// escape character) as their own bytes, so `xargs -0` opens them (break trial of stop 25:
/// it was handed the escaped text, `corpus/ny\x0Alinje.txt`, and found no such file).
#[test]
fn files_with_null_are_the_names_own_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let workspace = Workspace::new();
    let odd: [&[u8]; 3] = [b"ny\nlinje.txt", b"bad\xff\xfe.txt", b"e\x1b[31mred.txt"];
    for name in odd {
        let path = workspace
            .file("corpus")
            .join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "Notat\n\nBeredskap i fjellbygda.\n").unwrap();
    }
    let output = workspace.lete(&["search", "-l0", "fjellbygda"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut listed: Vec<&[u8]> = output.stdout.split(|&b| b == 0).collect();
    assert_eq!(listed.pop(), Some(&b""[..]), "ends with a NUL byte");
    listed.sort();
    let mut expected: Vec<Vec<u8>> = odd
        .iter()
        .map(|name| [b"corpus/", *name].concat())
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    for path in listed {
        let path = workspace.path().join(std::ffi::OsStr::from_bytes(path));
        assert!(path.is_file(), "{path:?}");
    }
}

/// The folder of the binary first on the PATH.
fn bin_path() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_lete")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn r19_every_error_line_starts_with_lete() {
    let workspace = Workspace::new();
    for (args, needle) in [
        (
            &["search"][..],
            "the following required arguments were not provided: <QUERY>",
        ),
        (&["serch", "x"][..], "unrecognized subcommand 'serch'"),
        (
            &["search", "--limt", "3", "x"][..],
            "unexpected argument '--limt'",
        ),
        (
            &["search", "--lang", "sv", "x"][..],
            "use nb, nn, da, or no",
        ),
        (
            &["index", "--rebuil"][..],
            "a similar argument exists: '--rebuild'",
        ),
        (
            &["--color", "sometimes", "stats"][..],
            "invalid value 'sometimes'",
        ),
        (
            &["search", "-q", "-v", "x"][..],
            "'--quiet' cannot be used with '--verbose'",
        ),
    ] {
        let output = workspace.lete(args);
        assert_error(&output, needle);
        assert!(
            stderr(&output).contains("; see lete"),
            "{}",
            stderr(&output)
        );
        // clap's own "For more information, try '--help'." is not run into the line.
        assert!(
            !stderr(&output).contains("For more information"),
            "{}",
            stderr(&output)
        );
    }
    assert!(stderr(&workspace.lete(&["search", "--limt", "3", "x"]))
        .ends_with("see lete search --help\n"));
}

/// In a folder with no `corpus/` and no index, `lete stats` and `--refresh never` said "no
/// index at ~/.cache/lete/corpus-…; run lete index", which would only fail in turn: the corpus
/// is what is missing, as `lete search` says.
#[test]
fn a_folder_without_a_corpus_is_named_not_a_missing_index() {
    let workspace = Workspace::new();
    let elsewhere = workspace.file("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    for args in [
        &["stats"][..],
        &["search", "beredskap"][..],
        &["--refresh", "never", "search", "beredskap"][..],
    ] {
        let output = lete_in(&workspace, &elsewhere, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&output),
            "lete: corpus folder corpus not found; pass --corpus DIR (--corpus . for the current \
             folder) or set LETE_CORPUS\n",
            "{args:?}"
        );
    }
}

/// `--corpus=~/Dokumenter` (or a quoted `~`) reaches lete with the `~` as typed: the error
/// says why the folder is missing (new-user trial of stop 25).
#[test]
fn a_corpus_path_with_an_unexpanded_tilde_is_explained() {
    let workspace = Workspace::new();
    let output = workspace.lete(&["--corpus=~/Dokumenter", "search", "beredskap"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "lete: corpus folder ~/Dokumenter not found; the shell expands ~ only at the start of a \
         word, not after --corpus= or in quotes: write --corpus ~/… or $HOME/…\n"
    );
}

#[test]
fn r19_help_sets_the_global_options_apart() {
    let workspace = Workspace::new();
    for command in ["search", "index", "bench", "completions", "man"] {
        let help = stdout(&workspace.ok(&[command, "--help"]));
        let heading = help
            .find("Global options (corpus, index, output):")
            .unwrap_or_else(|| panic!("{command} --help:\n{help}"));
        let corpus = help.find("--corpus").expect("--corpus");
        assert!(corpus > heading, "{command}: --corpus under the heading");
        if command == "search" {
            assert!(help.find("--limit").unwrap() < heading, "{help}");
        }
    }
}

#[test]
fn r19_the_pretty_view_and_vimgrep_give_the_same_line() {
    let workspace = Workspace::new();
    let query = ["search", "-n", "5", "statlig", "detaljstyring"];
    let pretty = stdout(&workspace.ok(&query));
    // A hit's first line: ` 1. source:line`.
    let places: Vec<String> = pretty
        .lines()
        .filter(|line| !line.starts_with("    "))
        .filter_map(|line| line.trim_start().split_once(". "))
        .filter(|(rank, _)| rank.parse::<u32>().is_ok())
        .map(|(_, place)| place.to_string())
        .collect();
    assert_eq!(places.len(), 5, "{pretty}");
    let vimgrep = stdout(&workspace.ok(&[&query[..], &["--format", "vimgrep"]].concat()));
    let vim_places: Vec<String> = vimgrep
        .lines()
        .map(|line| line.splitn(3, ':').take(2).collect::<Vec<_>>().join(":"))
        .collect();
    assert_eq!(places, vim_places);
    assert!(!pretty.contains('['), "no score: {pretty}");
}

/// The README links only what a clone holds (issue 19: it pointed at `../shared/…`), says how
/// long the first build takes, and how to put `lete` on the PATH with the locked versions.
#[test]
fn r19_the_readme_says_how_to_start_and_links_only_what_a_clone_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(readme.contains("The first build takes a while"));
    assert!(readme.contains(".ci/run` installs them"));
    let mut pages = vec![(root.to_path_buf(), readme)];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        // docs/ also holds the server's screenshots; the pages are its Markdown files.
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        pages.push((root.join("docs"), text));
    }
    let mut linked = 0;
    for (dir, text) in &pages {
        assert!(!text.contains("../shared"), "a clone has no shared/");
        for link in text
            .split("](")
            .skip(1)
            .filter_map(|rest| rest.split(')').next())
        {
            let path = link.split('#').next().unwrap();
            if path.is_empty() || path.contains("://") {
                continue;
            }
            assert!(dir.join(path).exists(), "{link} in {}", dir.display());
            linked += 1;
        }
    }
    assert!(linked >= 3, "the README links its docs/ pages");
}

/// A setting set to nothing counts as unset (found in the break trial of issues 15 to 20: every
/// command was refused with "a value is required for '--refresh <WHEN>'").
#[test]
fn r21_an_empty_setting_counts_as_unset() {
    let workspace = Workspace::new();
    let output = workspace
        .command()
        .args(["search", "--format", "vimgrep", "-n", "1", "handlingsrom"])
        .env("LETE_CORPUS", "")
        .env("LETE_INDEX", "")
        .env("LETE_REFRESH", "")
        .output()
        .expect("run lete");
    let out = assert_success(output, &["search", "handlingsrom"]);
    assert!(stdout(&out).contains("handlingsrom"), "{}", stdout(&out));
}

/// Session 25's new-user trial: `lete serch` suggested 'serve', 'bench', 'search', the
/// closest last.
#[test]
fn r16_a_mistyped_command_suggests_the_closest_first() {
    let workspace = Workspace::new();
    let output = workspace.lete(&["serch", "kommune"]);
    assert_error(&output, "some similar subcommands exist: 'search', ");
}

/// Session 25's new-user trial: skipped files were counted as "added" in the index summary,
/// a document that became unreadable as "changed".
#[test]
fn r16_the_index_summary_counts_skipped_files_as_skipped() {
    let workspace = Workspace::new();
    std::fs::write(workspace.file("corpus/tom.txt"), "").unwrap();
    std::fs::write(workspace.file("corpus/binær.txt"), b"abc\0def").unwrap();
    let first = stderr(&workspace.ok(&["index"]));
    assert!(
        first.contains("(5 added, 0 changed, 0 removed, 0 unchanged; 2 skipped)\n"),
        "{first}"
    );
    // A document that is binary now: its passages go, and it is skipped, not changed.
    std::fs::write(
        workspace.file(&format!("corpus/{}", CORPUS_FILES[0])),
        b"\0",
    )
    .unwrap();
    let second = stderr(&workspace.ok(&["index"]));
    assert!(
        second.contains("lete: indexed 4 documents")
            && second.contains("(0 added, 0 changed, 0 removed, 4 unchanged; 3 skipped)\n"),
        "{second}"
    );
}

/// Session 25's new-user trial: the warning about files that are not documents named every
/// one of them again whenever the corpus changed, from `./`; and in `lete stats --json` it was
/// one entry of `skipped`, not `PATH: REASON` as every other.
#[test]
fn r16_files_that_are_not_documents_are_named_once_each_as_paths_elsewhere() {
    let workspace = Workspace::new();
    std::fs::write(workspace.file("corpus/tabell.csv"), "a;b").unwrap();
    let corpus = ["--corpus", "./corpus", "--index", "index"];
    let said = |args: &[&str]| {
        let output = workspace.lete(&[&corpus[..], args].concat());
        stderr(&output)
    };
    let reason =
        "not a document lete reads (.txt, .md, .markdown, .html, .htm, .xhtml, .pdf, .docx, .odt)";
    let first = said(&["search", "kommune"]);
    assert!(
        first.contains(&format!(
            "lete: warning: 1 file is {reason}: corpus/tabell.csv; skipped (--include GLOB adds \
             it, --exclude GLOB silences this)\n"
        )),
        "{first}"
    );
    // A change of documents: nothing said again of the file left out.
    std::fs::write(
        workspace.file("corpus/ny.txt"),
        "Nytt notat\n\nOm kommunen.\n",
    )
    .unwrap();
    let second = said(&["search", "kommune"]);
    assert!(second.contains("lete: the corpus changed"), "{second}");
    assert!(!second.contains("tabell.csv"), "{second}");
    // One more file left out: it alone is named.
    std::fs::write(workspace.file("corpus/liste.json"), "[]").unwrap();
    std::fs::write(
        workspace.file("corpus/ny2.txt"),
        "Notat to\n\nOm kommunen.\n",
    )
    .unwrap();
    let third = said(&["search", "kommune"]);
    assert!(
        third.contains(&format!("1 file is {reason}: corpus/liste.json; skipped")),
        "{third}"
    );
    assert!(!third.contains("tabell.csv"), "{third}");
    let stats: Value = serde_json::from_str(&stdout(
        &workspace.ok(&[&corpus[..], &["stats", "--json"]].concat()),
    ))
    .unwrap();
    assert_eq!(
        stats["skipped"],
        serde_json::json!([
            format!("corpus/liste.json: {reason}; skipped"),
            format!("corpus/tabell.csv: {reason}; skipped"),
        ])
    );
}

/// Session 25's new-user trial: a one-off `--include` narrowed every later search without a
/// word, `lete index --rebuild` kept the narrowed selection, and nothing said how to return
/// to every document.
#[test]
fn r16_a_selection_given_once_is_said_once_and_a_rebuild_returns_to_every_document() {
    let workspace = Workspace::new();
    let narrowed = workspace.ok(&["--include", "000_*", "search", "-l", "kommune"]);
    assert_eq!(stdout(&narrowed).lines().count(), 1);
    let kept = "lete: the index keeps the file selection given earlier (--include '000_*'): \
                other files are not searched; lete index --rebuild returns to every document \
                lete reads\n";
    let later = workspace.ok(&["search", "-l", "kommune"]);
    assert_eq!(stdout(&later).lines().count(), 1);
    assert_eq!(stderr(&later), kept);
    let again = workspace.ok(&["search", "-l", "kommune"]);
    assert_eq!(stderr(&again), "", "said once");
    let rebuilt = stderr(&workspace.ok(&["index", "--rebuild"]));
    assert!(rebuilt.contains("lete: indexed 5 documents"), "{rebuilt}");
    let every = workspace.ok(&["search", "-l", "kommune"]);
    assert!(stdout(&every).lines().count() > 1, "{}", stdout(&every));
    assert_eq!(stderr(&every), "");
    let stats: Value = serde_json::from_str(&stdout(&workspace.ok(&["stats", "--json"]))).unwrap();
    assert_eq!(stats["include"][0], "*.txt");
}

/// Session 26 (findings of the last trials): `lete index` said "building the index from
/// scratch" but not where; it names the folder, as a path a shell opens from where the user
/// stands (the cache folder for a folder of one's own, `index/` beside the bundled corpus).
#[test]
fn r16_lete_index_says_where_it_builds_the_index() {
    let workspace = with_own_folder();
    let mine = workspace.file("mine");
    let err = stderr(&ok_in(&workspace, &mine, &["--corpus", ".", "index"]));
    let said = "lete: no index yet; building the index from scratch in ";
    let line = err.lines().find(|line| line.starts_with(said));
    let folder = line.unwrap_or_else(|| panic!("{err}"))[said.len()..].to_string();
    assert_eq!(cached_indexes(&workspace).len(), 1);
    assert!(folder.ends_with('/'), "{folder}");
    let opens = std::process::Command::new("bash")
        .current_dir(&mine)
        .arg("-c")
        .arg(format!("test -f {folder}meta.json"))
        .status()
        .unwrap();
    assert!(opens.success(), "{folder}");
    let err = stderr(&ok_in(&workspace, workspace.path(), &["index"]));
    assert!(
        err.contains("lete: no index yet; building the index from scratch in index/\n"),
        "{err}"
    );
}

/// Session 26 (findings of the last trials): `--help` listed the default globs without
/// `*.markdown`, `*.htm` and `*.xhtml`, which are read. The help, the man page and the README
/// list every one (the help and the man page from the list discovery reads; a unit test holds
/// the README to it).
#[test]
fn r15_the_help_lists_every_format_read_by_default() {
    let workspace = Workspace::new();
    let every = "*.txt *.md *.markdown *.html *.htm *.xhtml *.pdf *.docx *.odt";
    let help = stdout(&workspace.ok(&["index", "--help"]));
    assert!(
        help.contains(&format!("the formats lete reads, {every}, or")),
        "{help}"
    );
    let man = stdout(&workspace.ok(&["man"]));
    assert!(
        man.contains("*.markdown") && man.contains("*.xhtml"),
        "{man}"
    );
    // Each is read: a page of each kind is indexed by default.
    for (name, text) in [
        (
            "a.markdown",
            "# Markdownside\n\nOm kvasarlinser i kommunen.\n",
        ),
        (
            "b.htm",
            "<html><body><h1>Htm-side</h1><p>Om kvasarlinser.</p></body></html>",
        ),
        (
            "c.xhtml",
            "<html><body><h1>Xhtml-side</h1><p>Om kvasarlinser.</p></body></html>",
        ),
    ] {
        std::fs::write(workspace.file(&format!("corpus/{name}")), text).unwrap();
    }
    let files = stdout(&workspace.ok(&["search", "--files", "kvasarlinser"]));
    assert_eq!(files.lines().count(), 3, "{files}");
}
