//! Issue 16: how a command that reads the index checks it against the corpus (`--refresh`,
//! `LETE_REFRESH`), and issue 18's link from the corpus to the index folder.

use super::*;

const NEW_FILE: &str = "corpus/010_ny.txt";
const NEW_TEXT: &str = "Ny fil\n\nEt unikt ord sebrakommune står her.\n";

#[test]
fn refresh_never_answers_from_the_index_as_it_is_and_says_nothing() {
    let workspace = Workspace::new();
    workspace.ok(&["index"]);
    std::fs::write(workspace.file(NEW_FILE), NEW_TEXT).unwrap();
    let never = workspace.lete(&["--refresh", "never", "search", "--jsonl", "sebrakommune"]);
    assert_eq!(never.status.code(), Some(1), "{}", stderr(&never));
    // Only the no-hit note (issue 19): nothing about the index or the corpus.
    assert_eq!(
        stderr(&never),
        "lete: no passage matches 'sebrakommune'\n",
        "a search that skips the check says nothing"
    );
    let by_env = workspace
        .command()
        .env("LETE_REFRESH", "never")
        .args(["search", "--jsonl", "mentorordning"])
        .output()
        .unwrap();
    assert_eq!(by_env.status.code(), Some(0), "{}", stderr(&by_env));
    assert_eq!(stderr(&by_env), "");
    let stats = workspace.ok(&["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["up_to_date"], serde_json::json!(false));
    let auto = workspace.lete(&["search", "--jsonl", "sebrakommune"]);
    assert_eq!(auto.status.code(), Some(0), "{}", stderr(&auto));
    assert!(stderr(&auto).contains("1 added"), "{}", stderr(&auto));
}

#[test]
fn refresh_never_without_an_index_says_how_to_build_one() {
    let workspace = Workspace::new();
    let output = workspace.lete(&["--refresh", "never", "search", "mentorordning"]);
    assert_error(&output, "no index at index; run lete index");
    let bad = workspace.lete(&["--refresh", "sometimes", "search", "mentorordning"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("sometimes"), "{}", stderr(&bad));
}

/// An edit that keeps the size and an old mtime (a copy that preserves times): only
/// `--refresh always`, which hashes every file, sees it.
#[test]
fn refresh_always_finds_an_edit_that_kept_size_and_mtime() {
    let workspace = Workspace::new();
    let path = workspace.file("corpus/002_2a876e5dcd2b4d39.txt");
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let set_old = || {
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(old).unwrap();
    };
    set_old();
    workspace.ok(&["index"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("mentorordning"));
    std::fs::write(&path, text.replace("mentorordning", "qxzvbnmlkjhgf")).unwrap();
    set_old();
    let auto = workspace.lete(&["search", "--jsonl", "qxzvbnmlkjhgf"]);
    assert_eq!(auto.status.code(), Some(1), "size and mtime cannot tell");
    let always = workspace.lete(&["--refresh", "always", "search", "--jsonl", "qxzvbnmlkjhgf"]);
    assert_eq!(always.status.code(), Some(0), "{}", stderr(&always));
    assert!(stderr(&always).contains("1 changed"), "{}", stderr(&always));
}

/// Issue 18: a link in the corpus to the index folder made lete index its own lexicon as a
/// document, more of it on every run, and every search re-indexed.
#[cfg(unix)]
#[test]
fn r18_a_link_to_the_index_folder_is_not_indexed() {
    let workspace = Workspace::new();
    workspace.ok(&["index"]);
    std::os::unix::fs::symlink(workspace.file("index"), workspace.file("corpus/indeks")).unwrap();
    let first = workspace.ok(&["index"]);
    let warning = "corpus/indeks: the index folder index; skipped";
    assert!(stderr(&first).contains(warning), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("(0 added, 0 changed, 0 removed, 5 unchanged)"),
        "{}",
        stderr(&first)
    );
    let search = workspace.ok(&["search", "--jsonl", "mentorordning"]);
    assert!(!stderr(&search).contains("updating"), "{}", stderr(&search));
    let stats = workspace.ok(&["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["totals"]["documents"], serde_json::json!(5));
    assert_eq!(stats["up_to_date"], serde_json::json!(true));
}
