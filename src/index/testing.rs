//! Test support: a tiny stand-in for ingest and segmentation, so that index and search tests
//! depend only on the `Document` type.
//!
//! Format: the first line is the title, `## ` starts a heading (`## !` a boilerplate one),
//! blank lines separate passages. The language comes from the file name: `_da` or `_nn` in it,
//! else `nb`.

use super::{
    open_fresh, open_index, FreshIndex, Freshness, IndexObserver, IndexOptions, IndexReport,
    LeteIndex, OpenOptions, Refresh, Staleness,
};
use crate::lang::Lang;
use crate::segment::source_map::{SourceMap, SourcePoint};
use crate::segment::{Document, DocumentSink, Passage, Section};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fs;
use std::path::PathBuf;

/// A short bokmål document with a title and a `##` heading, for index tests.
pub(crate) const KS: &str = "Kommunesektorens organisasjon\n\n\
    KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring.\n\n\
    ## Arbeidsgiverpolitikk\n\
    Kommunene må rekruttere og beholde medarbeidere.\n";
/// A short Danish document, for index tests.
pub(crate) const KL: &str = "Kommunernes Landsforening\n\n\
    De demografiske udfordringer kræver nye løsninger i kommunerne.\n";

/// Segments `text` in the test format.
pub(crate) fn segment_for_tests(source: &str, text: &str) -> Document {
    let lang = if source.contains("_da") {
        Lang::Da
    } else if source.contains("_nn") {
        Lang::Nn
    } else {
        Lang::Nb
    };
    let title = text.lines().next().unwrap_or_default().trim().to_string();
    let mut sections = vec![section(&title, 0, 1, vec![title.clone()], false)];
    let mut paragraph: Option<(usize, usize, String)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let content = line.trim_end();
        if index == 0 {
            continue;
        }
        if content.is_empty() || content.starts_with("## ") {
            flush(&mut sections, &mut paragraph);
        }
        if let Some(heading) = content.strip_prefix("## ") {
            let boilerplate = heading.starts_with('!');
            let heading = heading.trim_start_matches('!').trim().to_string();
            let path = vec![title.clone(), heading.clone()];
            sections.push(section(&heading, 1, index + 1, path, boilerplate));
        } else if !content.is_empty() {
            let current = paragraph.get_or_insert((index + 1, start, String::new()));
            if !current.2.is_empty() {
                current.2.push(' ');
            }
            current.2.push_str(content);
            current.1 = current.1.min(start);
        }
    }
    flush(&mut sections, &mut paragraph);
    Document {
        source: source.to_string(),
        title,
        lang,
        sections,
    }
}

fn section(heading: &str, level: u8, line: usize, path: Vec<String>, boiler: bool) -> Section {
    Section {
        heading: heading.to_string(),
        level,
        line,
        heading_path: path,
        boilerplate: boiler,
        passages: Vec::new(),
    }
}

fn flush(sections: &mut [Section], paragraph: &mut Option<(usize, usize, String)>) {
    if let (Some((line, start, text)), Some(last)) = (paragraph.take(), sections.last_mut()) {
        let byte_range = start..start + text.len();
        last.passages.push(Passage {
            source_map: SourceMap::new(vec![SourcePoint {
                offset: 0,
                line,
                column: 1,
                exact: true,
            }]),
            text,
            line,
            page: None,
            page_starts: Vec::new(),
            byte_range,
        });
    }
}

/// The loader the tests pass to `open_fresh`: refuses files with NUL bytes.
pub(crate) fn test_loader(
    bytes: Cow<'_, [u8]>,
    source: &str,
    sink: &mut dyn DocumentSink,
) -> Result<Vec<String>, String> {
    if bytes.contains(&0) {
        return Err("binary file (NUL bytes); skipped".to_string());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8; skipped".to_string())?;
    segment_for_tests(source, text).hand_to(sink);
    Ok(Vec::new())
}

/// A corpus folder and an index folder inside one temporary folder.
pub(crate) struct TestCorpus {
    pub root: tempfile::TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
}

impl TestCorpus {
    pub(crate) fn new(files: &[(&str, &str)]) -> TestCorpus {
        let root = tempfile::tempdir().expect("tempdir");
        let corpus = root.path().join("corpus");
        let index = root.path().join("index");
        fs::create_dir(&corpus).expect("corpus dir");
        for (name, text) in files {
            fs::write(corpus.join(name), text).expect("write corpus file");
        }
        TestCorpus {
            root,
            corpus,
            index,
        }
    }

    pub(crate) fn write(&self, name: &str, text: &str) {
        fs::write(self.corpus.join(name), text).expect("write corpus file");
    }

    /// `open_fresh` with `refresh` and `update`, through the test loader.
    pub(crate) fn open_fresh(
        &self,
        refresh: Refresh,
        update: &IndexOptions,
        observer: &dyn IndexObserver,
    ) -> Result<FreshIndex, super::IndexError> {
        let options = OpenOptions {
            refresh,
            update: update.clone(),
            loader: &test_loader,
            observer,
        };
        open_fresh(&self.corpus, &self.index, &options)
    }

    /// An index run as `lete index` makes it (`Refresh::Always`).
    pub(crate) fn update(&self, options: &IndexOptions) -> IndexReport {
        let opened = self.open_fresh(Refresh::Always, options, &super::progress::Unobserved);
        opened.expect("index").report().cloned().expect("a report")
    }

    /// How the index stands to the corpus, without writing it (`Refresh::Never`).
    pub(crate) fn freshness(&self) -> Freshness {
        let opened = self.open_fresh(
            Refresh::Never,
            &IndexOptions::default(),
            &super::progress::Unobserved,
        );
        opened.expect("open").freshness
    }

    /// Opens the index as a search does (`Refresh::IfStale`); also what the check found
    /// stale, if it did.
    pub(crate) fn refresh(&self) -> (FreshIndex, Option<Staleness>) {
        let seen = SeenStaleness::default();
        let opened = self.open_fresh(Refresh::IfStale, &IndexOptions::default(), &seen);
        (opened.expect("refresh"), seen.0.into_inner())
    }

    pub(crate) fn open(&self) -> LeteIndex {
        open_index(&self.index).expect("open index")
    }
}

/// A built index over `files`, ready to search.
pub(crate) fn build_index(files: &[(&str, &str)]) -> (TestCorpus, LeteIndex) {
    let corpus = TestCorpus::new(files);
    corpus.update(&IndexOptions::default());
    let index = corpus.open();
    (corpus, index)
}

/// Remembers what the check before a refresh found.
#[derive(Default)]
struct SeenStaleness(RefCell<Option<Staleness>>);

impl IndexObserver for SeenStaleness {
    fn refreshing(&self, staleness: &Staleness) {
        *self.0.borrow_mut() = Some(staleness.clone());
    }
}
