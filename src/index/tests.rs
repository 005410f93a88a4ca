//! Index tests: builds, incremental updates, rebuilds and their messages.

use super::manifest::{read_manifest, write_manifest, ManifestState};
use super::testing::{test_loader, TestCorpus};
use super::*;
use crate::lang::Lang;
use std::path::Path;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};

const KS: &str = "Kommunesektorens organisasjon\n\
\n\
KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring.\n\
\n\
## Arbeidsgiverpolitikk\n\
Kommunene må rekruttere og beholde medarbeidere.\n";

const KL: &str = "Kommunernes Landsforening\n\
\n\
De demografiske udfordringer kræver nye løsninger i kommunerne.\n\
\n\
## Civilsamfund\n\
Et stærkt civilsamfund og frivillige medarbejdere.\n";

/// `open_fresh` as `lete index` runs it, through the test loader; the error if it fails.
fn build_with(corpus: &Path, index_dir: &Path, options: &IndexOptions) -> Result<(), IndexError> {
    let options = OpenOptions {
        refresh: Refresh::Always,
        update: options.clone(),
        loader: &test_loader,
        ..OpenOptions::default()
    };
    open_fresh(corpus, index_dir, &options).map(|_| ())
}

fn passages_of(index: &LeteIndex, source: &str) -> usize {
    let reader = index.index.reader().unwrap();
    let term = Term::from_field_text(index.fields.source, source);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    reader.searcher().search(&query, &Count).unwrap()
}

/// The source the index stores for a corpus file: its path inside the corpus folder.
fn source_of(_corpus: &TestCorpus, name: &str) -> String {
    name.to_string()
}

#[test]
fn first_build_indexes_every_passage_and_counts_languages() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(report.rebuilt.as_deref(), Some("no index yet"));
    assert_eq!(
        (report.documents, report.sections, report.passages),
        (2, 4, 4)
    );
    assert_eq!(report.languages.get(&Lang::Nb), Some(&1));
    assert_eq!(report.languages.get(&Lang::Da), Some(&1));
    assert_eq!(report.files_added, 2);
    let index = corpus.open();
    assert_eq!(passages_of(&index, &source_of(&corpus, "001_ks.txt")), 2);
    // Small doc-store blocks: a search decompresses one per passage it reads.
    assert_eq!(
        index.index.settings().docstore_blocksize,
        crate::index::settings::DOCSTORE_BLOCK_BYTES
    );
    let summary = report.to_string();
    assert!(summary.starts_with("2 documents (nb 1, da 1), 4 sections, 4 passages in "));
}

#[test]
fn r19_sources_are_paths_inside_the_corpus_and_any_spelling_meets_the_index() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    std::fs::create_dir(corpus.corpus.join("dansk")).unwrap();
    corpus.write("dansk/002_kl_da.txt", KL);
    corpus.update(&IndexOptions::default());
    let ManifestState::Current(manifest) = read_manifest(&corpus.index) else {
        panic!("manifest");
    };
    let paths: Vec<&str> = manifest.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["001_ks.txt", "dansk/002_kl_da.txt"]);
    assert_eq!(
        manifest.corpus.as_deref(),
        std::fs::canonicalize(&corpus.corpus).unwrap().to_str()
    );
    assert_eq!(
        manifest.selection.as_ref().unwrap().include,
        crate::ingest::discover::DEFAULT_INCLUDE
    );
    // The same folder spelled otherwise is the same corpus: nothing to update.
    let respelled = corpus.root.path().join("corpus/../corpus/.");
    let options = OpenOptions {
        refresh: Refresh::IfStale,
        loader: &test_loader,
        ..OpenOptions::default()
    };
    let opened = open_fresh(&respelled, &corpus.index, &options).expect("open");
    assert_eq!(opened.freshness, Freshness::Current);
    let shown = opened.index.shown_source("dansk/002_kl_da.txt");
    let root = corpus.root.path().display();
    assert_eq!(
        shown,
        format!("{root}/corpus/../corpus/dansk/002_kl_da.txt")
    );
}

#[test]
fn r19_another_corpus_is_refused_by_a_search_and_rebuilt_by_lete_index() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let other = corpus.root.path().join("andre");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("002_kl_da.txt"), KL).unwrap();
    let options = |refresh| OpenOptions {
        refresh,
        loader: &test_loader,
        ..OpenOptions::default()
    };
    for refresh in [Refresh::IfStale, Refresh::Never] {
        let err = open_fresh(&other, &corpus.index, &options(refresh)).err();
        let err = err.expect("another corpus is refused").to_string();
        assert!(err.contains("holds the corpus"), "{err}");
        assert!(err.contains("run `lete index` to build it for"), "{err}");
    }
    let rebuilt = open_fresh(&other, &corpus.index, &options(Refresh::Always)).unwrap();
    let report = rebuilt.report().expect("a report");
    let reason = report.rebuilt.as_deref().unwrap_or_default();
    assert!(reason.starts_with("the index held the corpus "), "{reason}");
    assert_eq!((report.files_added, report.files_removed), (1, 0));
    assert_eq!(passages_of(&rebuilt.index, "001_ks.txt"), 0);
}

#[test]
fn r19_the_selection_is_remembered_and_a_new_one_is_said() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.md", KL)]);
    let markdown = IndexOptions {
        selection: crate::ingest::FileSelection::new(&["*.md".to_string()], &[]).unwrap(),
        ..IndexOptions::default()
    };
    corpus.update(&markdown);
    // No --include: the index keeps its own selection, and finds nothing to change.
    let (opened, stale) = corpus.refresh();
    assert_eq!(stale, None);
    assert_eq!(passages_of(&opened.index, "002_kl_da.md"), 2);
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(report.files_unchanged, 1);
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    // Another selection is said, and the index follows it.
    let text = IndexOptions {
        selection: crate::ingest::FileSelection::new(&["*.txt".to_string()], &[]).unwrap(),
        ..IndexOptions::default()
    };
    let report = corpus.update(&text);
    assert_eq!(
        report.notes,
        [
            "the file selection changed: the index was built with --include '*.md', and now \
          keeps --include '*.txt'"
        ]
    );
    assert_eq!((report.files_added, report.files_removed), (1, 1));
}

#[test]
fn r19_a_skipped_file_is_warned_about_once() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("003_bin.txt", "PK\0\0\u{3}")]);
    let first = corpus.update(&IndexOptions::default());
    assert_eq!(first.warnings.len(), 1, "{:?}", first.warnings);
    corpus.write("004_ny.txt", KS);
    let second = corpus.update(&IndexOptions::default());
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    assert_eq!(
        second.repeated_warnings,
        [format!(
            "{}: binary file (NUL bytes); skipped",
            corpus.corpus.join("003_bin.txt").display()
        )]
    );
}

#[test]
fn an_unchanged_corpus_is_not_reindexed() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
    corpus.update(&IndexOptions::default());
    assert_eq!(corpus.freshness(), Freshness::Current);
    let (opened, stale) = corpus.refresh();
    assert_eq!((opened.freshness, stale), (Freshness::Current, None));
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(report.rebuilt, None);
    assert_eq!((report.files_added, report.files_unchanged), (0, 2));
    assert_eq!(report.passages, 4);
}

#[test]
fn changing_one_file_reindexes_only_that_file() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
    corpus.update(&IndexOptions::default());
    corpus.write(
        "001_ks.txt",
        &format!("{KS}\nEt nytt avsnitt om barnevernet.\n"),
    );
    assert_eq!(
        corpus.freshness(),
        Freshness::Stale {
            staleness: Staleness::Changed {
                added: 0,
                changed: 1,
                removed: 0
            },
            read_only: false
        }
    );
    let report = corpus.update(&IndexOptions::default());
    assert_eq!((report.files_changed, report.files_unchanged), (1, 1));
    let index = corpus.open();
    assert_eq!(passages_of(&index, &source_of(&corpus, "001_ks.txt")), 3);
    assert_eq!(passages_of(&index, &source_of(&corpus, "002_kl_da.txt")), 2);
    assert_eq!(report.passages, 5);
}

#[test]
fn a_removed_file_loses_its_passages() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
    corpus.update(&IndexOptions::default());
    std::fs::remove_file(corpus.corpus.join("002_kl_da.txt")).unwrap();
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(report.files_removed, 1);
    assert_eq!(report.documents, 1);
    let index = corpus.open();
    assert_eq!(passages_of(&index, &source_of(&corpus, "002_kl_da.txt")), 0);
    assert_eq!(passages_of(&index, &source_of(&corpus, "001_ks.txt")), 2);
}

/// Removed, changed and added sources go in one delete (issue 5): each loses exactly its own
/// old passages, and a file left alone keeps its.
#[test]
fn one_update_removes_changes_and_adds_files_at_once() {
    let corpus = TestCorpus::new(&[
        ("001_ks.txt", KS),
        ("002_kl_da.txt", KL),
        ("003_ks.txt", KS),
    ]);
    corpus.update(&IndexOptions::default());
    std::fs::remove_file(corpus.corpus.join("002_kl_da.txt")).unwrap();
    corpus.write(
        "003_ks.txt",
        &format!("{KS}\nEt nytt avsnitt om barnevernet.\n"),
    );
    corpus.write("004_kl_da.txt", KL);
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(
        (
            report.files_added,
            report.files_changed,
            report.files_removed,
            report.files_unchanged
        ),
        (1, 1, 1, 1)
    );
    let index = corpus.open();
    let passages = |name: &str| passages_of(&index, &source_of(&corpus, name));
    assert_eq!(passages("001_ks.txt"), 2);
    assert_eq!(passages("002_kl_da.txt"), 0);
    assert_eq!(passages("003_ks.txt"), 3);
    assert_eq!(passages("004_kl_da.txt"), 2);
    assert_eq!(report.passages, 7);
}

#[test]
fn an_older_schema_version_triggers_a_rebuild_with_a_message() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let ManifestState::Current(mut manifest) = read_manifest(&corpus.index) else {
        panic!("manifest");
    };
    manifest.schema_version = SCHEMA_VERSION - 1;
    write_manifest(&corpus.index, &manifest).unwrap();
    assert!(open_index(&corpus.index)
        .err()
        .is_some_and(|err| err.to_string().contains("run lete index --rebuild")));
    let (opened, stale) = corpus.refresh();
    let older = format!("schema version {}", SCHEMA_VERSION - 1);
    assert!(
        matches!(&stale, Some(Staleness::Rebuild(reason)) if reason.contains(&older)),
        "{stale:?}"
    );
    let report = opened.report().expect("rebuilt");
    let reason = report.rebuilt.as_deref().expect("rebuilt");
    assert!(reason.contains(&older), "{reason}");
    assert_eq!(report.passages, 2);
    assert_eq!(
        passages_of(&opened.index, &source_of(&corpus, "001_ks.txt")),
        2
    );
}

#[test]
fn rebuild_option_starts_over_without_duplicates() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let report = corpus.update(&IndexOptions {
        rebuild: true,
        ..IndexOptions::default()
    });
    assert_eq!(report.rebuilt.as_deref(), Some("rebuild asked for"));
    assert_eq!(report.files_added, 1);
    let index = corpus.open();
    assert_eq!(passages_of(&index, &source_of(&corpus, "001_ks.txt")), 2);
}

#[test]
fn a_missing_manifest_triggers_a_rebuild() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    std::fs::remove_file(corpus.index.join(MANIFEST_FILE)).unwrap();
    let report = corpus.update(&IndexOptions::default());
    assert_eq!(report.rebuilt.as_deref(), Some("the index has no manifest"));
    let index = corpus.open();
    assert_eq!(passages_of(&index, &source_of(&corpus, "001_ks.txt")), 2);
}

#[test]
fn a_binary_file_is_skipped_with_a_warning_and_remembered() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("003_bin.txt", "PK\0\0\u{3}")]);
    let report = corpus.update(&IndexOptions::default());
    let source = corpus.corpus.join("003_bin.txt").display().to_string();
    assert_eq!(
        report.warnings,
        vec![format!("{source}: binary file (NUL bytes); skipped")]
    );
    assert_eq!(report.documents, 1);
    assert_eq!(corpus.freshness(), Freshness::Current);
}

#[test]
fn a_missing_index_is_reported_as_missing() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    let err = open_index(&corpus.index).err().expect("error");
    assert!(err.to_string().contains("run lete index"));
    let (opened, stale) = corpus.refresh();
    assert_eq!(stale, Some(Staleness::Missing));
    assert_eq!(
        passages_of(&opened.index, &source_of(&corpus, "001_ks.txt")),
        2
    );
}

#[test]
fn a_missing_corpus_is_an_error_that_says_what_to_do() {
    let corpus = TestCorpus::new(&[]);
    let missing = corpus.root.path().join("nowhere");
    let err = build_with(&missing, &corpus.index, &IndexOptions::default()).expect_err("error");
    assert!(err.to_string().contains("pass --corpus DIR"), "{err}");
}

#[test]
fn an_index_inside_the_corpus_is_refused() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    let inside = corpus.corpus.join("index");
    let err = build_with(&corpus.corpus, &inside, &IndexOptions::default()).expect_err("error");
    assert!(matches!(err, IndexError::IndexInsideCorpus { .. }));
    assert!(!inside.exists());
}

#[test]
fn a_folder_with_other_files_is_not_wiped() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    std::fs::create_dir(&corpus.index).unwrap();
    std::fs::write(corpus.index.join("thesis.docx"), "mine").unwrap();
    let err =
        build_with(&corpus.corpus, &corpus.index, &IndexOptions::default()).expect_err("error");
    assert!(err.to_string().contains("is not a lete index"), "{err}");
    assert!(corpus.index.join("thesis.docx").exists());
}

#[test]
fn a_second_writer_gets_a_clear_message() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let index = corpus.open();
    let _held = index
        .index
        .writer::<tantivy::TantivyDocument>(15_000_000)
        .unwrap();
    corpus.write("001_ks.txt", "Endret\n\nNy tekst.\n");
    let err =
        build_with(&corpus.corpus, &corpus.index, &IndexOptions::default()).expect_err("error");
    assert_eq!(
        err.to_string(),
        format!(
            "another lete index is running on {}; wait for it and retry",
            corpus.index.display()
        )
    );
}

#[test]
fn a_second_writer_gives_up_after_its_wait_with_a_clear_message() {
    let corpus = TestCorpus::new(&[("001_a.txt", "Velferd\n\nKommunene har ansvar.\n")]);
    corpus.update(&IndexOptions::default());
    let _held = acquire_writer_lock(&corpus.index, std::time::Duration::ZERO, None).unwrap();
    let options = IndexOptions {
        lock_wait: std::time::Duration::from_millis(300),
        ..IndexOptions::default()
    };
    let err = build_with(&corpus.corpus, &corpus.index, &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "another lete index has been updating {} for 0 s; wait for it to finish and retry",
            corpus.index.display()
        )
    );
}

/// Calls its function when an update starts: after the comparison, before any file is read.
struct OnStart<F: Fn()>(F);

impl<F: Fn()> IndexObserver for OnStart<F> {
    fn start(&self, _plan: &IndexPlan) {
        (self.0)()
    }
}

/// Issue 14: the manifest describes the bytes that were indexed. A file rewritten after the
/// comparison hashed it and before it was loaded was indexed as rewritten but recorded with
/// the hash the comparison saw; once the file went back to those bytes, the next run found it
/// unchanged, and the index kept text the file no longer held.
#[test]
fn r14_a_file_rewritten_during_an_update_is_indexed_as_the_manifest_says() {
    let edited = KS.replace("fremme", "styrke");
    let rewritten = KS.replace("fremme", "svekke");
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let path = corpus.corpus.join("001_ks.txt");
    let write_at = |text: &str, seconds: u64| {
        std::fs::write(&path, text).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        file.set_modified(mtime).unwrap();
    };
    // The same size with another mtime: the comparison reads the file to hash it.
    write_at(&edited, 1_000_000_000);
    let rewrite = OnStart(|| write_at(&rewritten, 1_100_000_000));
    let opened = corpus.open_fresh(Refresh::Always, &IndexOptions::default(), &rewrite);
    assert_eq!(opened.unwrap().report().unwrap().files_changed, 1);
    // Back to the bytes the comparison read, with another mtime.
    write_at(&edited, 1_200_000_000);
    corpus.update(&IndexOptions::default());
    let passages = read_passages(&corpus.open()).unwrap();
    let text: Vec<&str> = passages
        .iter()
        .map(|passage| passage.text.as_str())
        .collect();
    assert!(text.iter().any(|text| text.contains("styrke")), "{text:?}");
    assert!(!text.iter().any(|text| text.contains("svekke")), "{text:?}");
}

/// The mtime the manifest records for `name`.
fn recorded_mtime(corpus: &TestCorpus, name: &str) -> u64 {
    let ManifestState::Current(manifest) = read_manifest(&corpus.index) else {
        panic!("manifest");
    };
    let source = source_of(corpus, name);
    let entry = manifest.sources.iter().find(|entry| entry.path == source);
    entry.expect("recorded").mtime_ns
}

/// The file's mtime on disk (the manifest may record 0 for one too recent to trust, issue 18).
fn file_mtime(corpus: &TestCorpus, name: &str) -> u64 {
    let metadata = std::fs::metadata(corpus.corpus.join(name)).unwrap();
    crate::ingest::discover::mtime_ns(&metadata)
}

fn set_mtime(corpus: &TestCorpus, name: &str, mtime_ns: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(corpus.corpus.join(name))
        .unwrap();
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(mtime_ns);
    file.set_modified(time).unwrap();
}

/// Issue 16: a file whose mtime moved and whose bytes did not was hashed again by every
/// search, the check finding the index current without remembering the new mtime.
#[test]
fn r16_a_search_remembers_a_touched_file_s_new_mtime() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS), ("002_kl_da.txt", KL)]);
    corpus.update(&IndexOptions::default());
    let before = file_mtime(&corpus, "001_ks.txt");
    let touched = before - 3_600_000_000_000;
    set_mtime(&corpus, "001_ks.txt", touched);
    let (opened, stale) = corpus.refresh();
    assert_eq!(stale, None);
    assert_eq!(opened.freshness, Freshness::Current);
    assert_eq!(recorded_mtime(&corpus, "001_ks.txt"), touched);
    assert!(opened.manifest.listed_at_ns > 0);
}

/// Issue 16: a file rewritten with bytes of the same size within the clock tick of its
/// indexing keeps its mtime; its mtime, that close to the listing, proves nothing, so the
/// check hashes it.
#[test]
fn r16_a_same_size_rewrite_that_kept_a_recent_mtime_is_found() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    corpus.update(&IndexOptions::default());
    let indexed = file_mtime(&corpus, "001_ks.txt");
    corpus.write("001_ks.txt", &KS.replace("handlingsrom", "handlingsdel"));
    set_mtime(&corpus, "001_ks.txt", indexed);
    let (_, stale) = corpus.refresh();
    assert_eq!(
        stale,
        Some(Staleness::Changed {
            added: 0,
            changed: 1,
            removed: 0
        })
    );
}

/// `--refresh always` hashes every file: an edit that kept size and an old mtime (a copy
/// with times preserved) is found, which the size-and-mtime check cannot see.
#[test]
fn verify_content_finds_an_edit_that_kept_size_and_an_old_mtime() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    let old = 1_600_000_000_000_000_000;
    set_mtime(&corpus, "001_ks.txt", old);
    corpus.update(&IndexOptions::default());
    corpus.write("001_ks.txt", &KS.replace("handlingsrom", "handlingsdel"));
    set_mtime(&corpus, "001_ks.txt", old);
    let (_, stale) = corpus.refresh();
    assert_eq!(stale, None, "size and mtime cannot tell");
    let thorough = IndexOptions {
        verify_content: true,
        ..IndexOptions::default()
    };
    let report = corpus.update(&thorough);
    assert_eq!((report.files_changed, report.files_unchanged), (1, 0));
}

/// `Refresh::Unchecked` (`--refresh never`) opens the index as it is, without a look at the
/// corpus: a change is neither found nor indexed, and a missing index is an error.
#[test]
fn an_unchecked_open_neither_compares_nor_writes() {
    let corpus = TestCorpus::new(&[("001_ks.txt", KS)]);
    let unchecked = |corpus: &TestCorpus| {
        corpus.open_fresh(
            Refresh::Unchecked,
            &IndexOptions::default(),
            &super::progress::Unobserved,
        )
    };
    let missing = unchecked(&corpus).err().expect("no index yet");
    assert!(missing.to_string().starts_with("no index at "), "{missing}");
    corpus.update(&IndexOptions::default());
    corpus.write("002_kl_da.txt", KL);
    let opened = unchecked(&corpus).expect("open");
    assert_eq!(opened.freshness, Freshness::Unknown);
    assert_eq!(opened.manifest.sources.len(), 1);
    assert!(matches!(corpus.freshness(), Freshness::Stale { .. }));
}

/// Issue 16: a full build ends with at most two segments, as the bench's baseline does,
/// whatever the writer threads and the merge policy left.
#[test]
fn a_full_build_ends_with_at_most_two_segments() {
    let files: Vec<(String, String)> = (0..40)
        .map(|n| {
            (
                format!("{n:03}_ks.txt"),
                KS.replace("KS", &format!("KS{n}")),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let corpus = TestCorpus::new(&files);
    corpus.update(&IndexOptions::default());
    let index = corpus.open();
    let segments = index.index.searchable_segment_ids().unwrap();
    assert!((1..=2).contains(&segments.len()), "{segments:?}");
    // No files of merged-away segments are left behind.
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(&corpus.index)
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.len() > 33 && name.as_bytes()[32] == b'.')
        .map(|name| name[..32].to_string())
        .collect();
    let live: std::collections::BTreeSet<String> =
        segments.iter().map(|id| id.uuid_string()).collect();
    assert_eq!(on_disk, live);
    assert_eq!(passages_of(&index, &source_of(&corpus, "007_ks.txt")), 2);
}

/// Found in the break trial of issue 15: a file removed while `lete index` ran was warned
/// about ("cannot read") and counted as added. It is removed: no warning, no manifest entry,
/// counted as removed when it had been indexed. The loader removes `b.txt` while it loads
/// `a.txt`, before `b.txt` is read (the files of one run are read in order).
#[test]
fn r15_a_file_removed_while_the_index_is_updated_is_removed_not_added() {
    let long = format!(
        "{KS}\n{}",
        "Kommunene samarbeider om beredskap.\n".repeat(400)
    );
    let b_text = format!("{KL}\nEn lengre tekst om kommunerne og deres samarbejde.\n");
    let corpus = TestCorpus::new(&[("a.txt", KS), ("b.txt", &b_text), ("c.txt", &long)]);
    let b_path = corpus.corpus.join("b.txt");
    let removing = |bytes: std::borrow::Cow<'_, [u8]>,
                    source: &str,
                    sink: &mut dyn crate::segment::DocumentSink| {
        if source == "a.txt" {
            let _ = std::fs::remove_file(&b_path);
        }
        test_loader(bytes, source, sink)
    };
    let run = || {
        let options = OpenOptions {
            refresh: Refresh::Always,
            loader: &removing,
            ..OpenOptions::default()
        };
        let opened = open_fresh(&corpus.corpus, &corpus.index, &options).unwrap();
        opened.report().cloned().unwrap()
    };
    let report = run();
    assert_eq!(report.warnings, Vec::<String>::new());
    assert_eq!(
        (report.files_added, report.files_removed, report.documents),
        (2, 0, 2)
    );
    let in_manifest = |name: &str| {
        let ManifestState::Current(manifest) = read_manifest(&corpus.index) else {
            panic!("a manifest");
        };
        manifest.sources.iter().any(|entry| entry.path == name)
    };
    assert!(!in_manifest("b.txt"));
    // Indexed, then removed while a change to it is indexed.
    corpus.write("b.txt", &b_text);
    assert_eq!(corpus.update(&IndexOptions::default()).files_added, 1);
    corpus.write("a.txt", &format!("{KS}Endret.\n"));
    corpus.write("b.txt", &format!("{b_text}Endret.\n"));
    let report = run();
    assert_eq!(report.warnings, Vec::<String>::new());
    assert_eq!(
        (report.files_changed, report.files_removed, report.documents),
        (1, 1, 2)
    );
    assert!(!in_manifest("b.txt"));
    assert_eq!(passages_of(&corpus.open(), "b.txt"), 0);
}

/// What a search reads (issue 16's early search keeps its results only when the index the
/// freshness check gives reads the same): the same commit and lexicon read twice are the
/// same; a new commit differs; so does the same commit with a lexicon written after it, as an
/// update writes its lexicon after its commit (break trial of stop 25).
#[test]
fn what_a_search_reads_is_the_commit_and_the_lexicon() {
    let corpus = TestCorpus::new(&[(
        "plan.txt",
        "Plan\n\nSamfunnet og beredskapen i kommunen.\n\nSamfunnsberedskapen skal styrkes.\n",
    )]);
    corpus.update(&IndexOptions::default());
    let read = || {
        open_as_it_stands(&corpus.corpus, &corpus.index)
            .expect("open")
            .commit_read()
            .expect("read")
    };
    let first = read();
    assert_eq!(read(), first);
    let mut lexicon = lexicon::read_search_lexicon(&corpus.index);
    lexicon.learn_text("havnen og kaien");
    lexicon::write_lexicon(&corpus.index, &lexicon).expect("write lexicon");
    assert_ne!(read(), first, "the same commit with another lexicon");
    corpus.write("plan.txt", "Plan\n\nKaien i havnen skal utbedres.\n");
    corpus.update(&IndexOptions::default());
    let updated = read();
    assert_ne!(updated, first);
    assert_eq!(read(), updated);
}
