//! Segmentation: normalized lines → `Document` → `Section` → `Passage`.
//!
//! Owns heading detection, lists, the boilerplate run of unrelated titles, and the windows
//! that a long paragraph is cut into.

use crate::lang::Lang;
use serde::Serialize;
use std::ops::Range;

/// One source document, segmented.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Path of the source file as given to the indexer (e.g. `corpus/001_….txt`).
    pub source: String,
    /// The document's title: its first line.
    pub title: String,
    pub lang: Lang,
    pub sections: Vec<Section>,
}

/// A heading and the passages under it. The first section of a document is headed by the
/// title (level 0) and holds whatever stands before the first heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    /// 0 for the title section, 1 for top-level headings, deeper where numbering shows it.
    pub level: u8,
    /// 1-based source line of the heading.
    pub line: usize,
    /// Headings from the title down to this one (the title alone for the title section).
    pub heading_path: Vec<String>,
    /// A run of unrelated titles (a scraped "similar documents" list): kept and searchable,
    /// ranked down by search.
    pub boilerplate: bool,
    pub passages: Vec<Passage>,
}

/// The unit of search: a paragraph, a list with its introduction, or a window of a long
/// paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The passage as normalized text (hard wraps joined, page numbers dropped).
    pub text: String,
    /// 1-based source line holding the passage's first word.
    pub line: usize,
    /// Byte range in the source file, from the first word's start to the last word's end.
    pub byte_range: Range<usize>,
}

impl Document {
    /// Every passage with the section it belongs to, in document order.
    pub fn passages(&self) -> impl Iterator<Item = (&Section, &Passage)> {
        self.sections
            .iter()
            .flat_map(|section| section.passages.iter().map(move |p| (section, p)))
    }
}
