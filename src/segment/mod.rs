//! Segmentation: normalized lines → `Document` → `Section` → `Passage`.
//!
//! Owns heading detection, lists, the boilerplate run of unrelated titles, and the windows
//! that a long paragraph is cut into.

pub(crate) mod heading;
pub(crate) mod passage;
pub(crate) mod source_map;

use crate::ingest::structure::{BlockKind, Structure};
use crate::ingest::unwrap::is_list_item;
use crate::ingest::words::has_words;
use crate::ingest::{Ingested, Line};
use crate::lang::Lang;
use passage::{for_each_piece_of_line, Piece, Windows};
use serde::Serialize;
use source_map::{passage_map, SourceMap};
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
    /// 1-based source line holding the passage's first word (for formats without lines,
    /// PDF, Word and OpenDocument, the ordinal of its paragraph in the extracted text).
    pub line: usize,
    /// 1-based page of the passage's first word, for paged formats (PDF).
    pub page: Option<u32>,
    /// Where a later page starts in `text` (byte offset, page): a passage that goes on past
    /// a page break.
    #[serde(skip)]
    pub page_starts: Vec<(usize, u32)>,
    /// Byte range in the source file, from the first word's start to the last word's end.
    pub byte_range: Range<usize>,
    /// The source line and column of each place in `text`.
    #[serde(skip)]
    pub source_map: SourceMap,
}

impl Document {
    /// Every passage with the section it belongs to, in document order.
    pub fn passages(&self) -> impl Iterator<Item = (&Section, &Passage)> {
        self.sections
            .iter()
            .flat_map(|section| section.passages.iter().map(move |p| (section, p)))
    }
}

/// What a logical line is, before sections are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ListItem,
    /// Ends in `:`: introduces what follows.
    Intro,
    TitleLike,
    Body,
}

/// What a logical line does in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Heading(u8),
    /// First line of a run of unrelated titles.
    BoilerplateStart,
    Content,
}

/// Shortest run of consecutive title-like lines that is a list of titles, not headings.
const BOILERPLATE_RUN: usize = 4;
/// Up to this many short lines between two runs of titles do not end the list.
const BOILERPLATE_GAP_LINES: usize = 8;
const BOILERPLATE_GAP_WORDS: usize = 40;
const MAX_LEVEL: u8 = 6;

/// Where segmentation hands a document on, part by part in document order: its title and
/// language first, then each section as it opens (its `passages` empty) followed by its own
/// passages (issue 15: a huge file's passages are handed on as they are made, not held until
/// the whole file is segmented).
pub trait DocumentSink {
    /// The document's title and language, before any section.
    fn start(&mut self, title: &str, lang: Lang);
    /// A section opens; the passages handed on next are its own.
    fn section(&mut self, section: Section);
    /// A passage of the section opened last.
    fn passage(&mut self, passage: Passage);
}

/// A document collects its parts: `segment` is `segment_into` a document.
impl DocumentSink for Document {
    fn start(&mut self, title: &str, lang: Lang) {
        self.title = title.to_string();
        self.lang = lang;
    }

    fn section(&mut self, section: Section) {
        self.sections.push(section);
    }

    fn passage(&mut self, passage: Passage) {
        if let Some(section) = self.sections.last_mut() {
            section.passages.push(passage);
        }
    }
}

impl Document {
    /// Hands this document's parts to `sink` as segmentation would.
    #[cfg(test)]
    pub(crate) fn hand_to(self, sink: &mut dyn DocumentSink) {
        sink.start(&self.title, self.lang);
        for mut section in self.sections {
            let passages = std::mem::take(&mut section.passages);
            sink.section(section);
            for passage in passages {
                sink.passage(passage);
            }
        }
    }
}

/// Segments an ingested source into a document of sections and passages.
#[cfg(test)]
pub(crate) fn segment(ingested: &Ingested<'_>, source: &str, lang: Lang) -> Document {
    let mut document = Document {
        source: source.to_string(),
        title: String::new(),
        lang,
        sections: Vec::new(),
    };
    segment_into(ingested, lang, &mut document);
    document
}

/// Segments an ingested source, handing its title, sections and passages to `sink` as they
/// are made.
pub(crate) fn segment_into(ingested: &Ingested<'_>, lang: Lang, sink: &mut dyn DocumentSink) {
    let lines = &ingested.lines;
    let (kinds, roles, boilerplate) = match &ingested.structure {
        Some(structure) if structure.headings_known => {
            let (kinds, roles) = structured_roles(lines, structure);
            (kinds, roles, Vec::new())
        }
        _ => {
            let kinds = classify(ingested);
            let (roles, boilerplate) = assign_roles(lines, &kinds);
            (kinds, roles, boilerplate)
        }
    };
    let known_title = ingested
        .structure
        .as_ref()
        .and_then(|structure| structure.title.clone())
        .filter(|title| !title.trim().is_empty());
    let title = known_title.unwrap_or_else(|| document_title(lines, &roles));
    sink.start(&title, lang);
    let mut builder = Builder {
        ingested,
        title: title.clone(),
        sink,
        stack: Vec::new(),
        pending_heading: None,
    };
    let title_line = lines.first().map_or(1, |l| l.first_line());
    builder.open(title, 0, title_line, false, None);
    let mut i = 0;
    while i < lines.len() {
        match roles[i] {
            Role::Title => builder.set_heading_piece(i),
            Role::Heading(level) => {
                let line = lines[i].first_line();
                builder.open(lines[i].text.to_string(), level, line, false, Some(i));
            }
            Role::BoilerplateStart => {
                // Regions are in line order: the one starting here is found by bisection.
                let region = boilerplate.partition_point(|region| region.start < i);
                let end = boilerplate[region].end;
                let line = lines[i].first_line();
                builder.open(lines[i].text.to_string(), 1, line, true, None);
                builder.add_unit(i..end);
                i = end;
                continue;
            }
            Role::Content => {
                let end = unit_end(&kinds, &roles, lines, i);
                builder.add_unit(i..end);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    builder.finish();
}

fn classify(ingested: &Ingested<'_>) -> Vec<Kind> {
    let lines = &ingested.lines;
    let mut kinds: Vec<Kind> = lines
        .iter()
        .map(|line| {
            if is_list_item(&line.text) {
                Kind::ListItem
            } else if line.text.ends_with(':') {
                Kind::Intro
            } else if heading::is_title_like(&line.text) {
                Kind::TitleLike
            } else {
                Kind::Body
            }
        })
        .collect();
    for i in 1..lines.len() {
        let tight = lines[i].blanks_before() == 0;
        // Short lines right under a list introduction or item form a list without bullets.
        if tight
            && kinds[i] == Kind::TitleLike
            && matches!(kinds[i - 1], Kind::Intro | Kind::ListItem)
        {
            kinds[i] = Kind::ListItem;
        }
    }
    for i in 0..lines.len() {
        // `1. Innledning` standing alone between blank lines is a numbered heading.
        let alone = lines[i].blanks_before() > 0
            && lines.get(i + 1).is_none_or(|next| next.blanks_before() > 0)
            && (i == 0 || kinds[i - 1] != Kind::ListItem)
            && kinds.get(i + 1) != Some(&Kind::ListItem);
        if kinds[i] == Kind::ListItem
            && (alone || above_a_paragraph(lines, &kinds, i))
            && heading::numbered_level(&lines[i].text).is_some()
            && heading::is_title_like(&lines[i].text)
        {
            kinds[i] = Kind::TitleLike;
        }
    }
    kinds
}

/// Whether the numbered line `i` opens a paragraph as a heading does: a blank line (or the
/// start) above it, right below it a sentence that is body text, not another item nor its
/// wrapped rest (issue 15: `1. Formål` was a list item when its text followed without a
/// blank line).
fn above_a_paragraph(lines: &[Line<'_>], kinds: &[Kind], i: usize) -> bool {
    let opens = i == 0 || lines[i].blanks_before() > 0;
    let previous_is_item = i > 0 && kinds[i - 1] == Kind::ListItem;
    opens
        && !previous_is_item
        && lines.get(i + 1).is_some_and(|next| {
            next.blanks_before() == 0
                && kinds[i + 1] == Kind::Body
                && next.text.starts_with(char::is_uppercase)
        })
}

/// The kinds and roles of lines whose reader knew them (issue 15): headings from styles,
/// outlines, tags or font sizes, list items and table rows as the format marks them; the text
/// rules only tell a list's introduction (a line ending in `:`) from body text.
fn structured_roles(lines: &[Line<'_>], structure: &Structure) -> (Vec<Kind>, Vec<Role>) {
    let mut title_seen = false;
    lines
        .iter()
        .zip(&structure.kinds)
        .map(|(line, &kind)| match kind {
            BlockKind::Title if !title_seen => {
                title_seen = true;
                (Kind::TitleLike, Role::Title)
            }
            BlockKind::Title => (Kind::TitleLike, Role::Heading(1)),
            BlockKind::Heading(level) => {
                (Kind::TitleLike, Role::Heading(level.clamp(1, MAX_LEVEL)))
            }
            BlockKind::ListItem | BlockKind::TableRow => (Kind::ListItem, Role::Content),
            BlockKind::Paragraph if line.text.ends_with(':') => (Kind::Intro, Role::Content),
            BlockKind::Paragraph => (Kind::Body, Role::Content),
        })
        .unzip()
}

/// Gives each line its role; returns the roles and the boilerplate regions, in line order.
fn assign_roles(lines: &[Line<'_>], kinds: &[Kind]) -> (Vec<Role>, Vec<Range<usize>>) {
    let n = lines.len();
    let mut roles = vec![Role::Content; n];
    if n == 0 {
        return (roles, Vec::new());
    }
    let first_is_title = kinds[0] == Kind::TitleLike;
    if first_is_title {
        roles[0] = Role::Title;
    }
    let start = usize::from(first_is_title);
    let runs = title_runs(kinds, start);
    let regions = boilerplate_regions(&runs, lines, kinds);
    for region in &regions {
        roles[region.start] = Role::BoilerplateStart;
    }
    let in_region = |i: usize| {
        let before = regions.partition_point(|r| r.end <= i);
        regions.get(before).is_some_and(|r| r.contains(&i))
    };
    let mut level_with_body = 1u8;
    for run in runs.iter().filter(|run| !in_region(run.start)) {
        let followed_by_body = run.end < n && kinds[run.end] != Kind::TitleLike;
        if !followed_by_body {
            continue;
        }
        let mut previous: Option<u8> = None;
        for i in run.clone() {
            let level = heading::numbered_level(&lines[i].text)
                .unwrap_or_else(|| previous.map_or(level_with_body, |p| (p + 1).min(MAX_LEVEL)));
            roles[i] = Role::Heading(level);
            previous = Some(level);
        }
        level_with_body = previous.unwrap_or(level_with_body);
    }
    (roles, regions)
}

/// Maximal runs of consecutive title-like lines from `start` on.
fn title_runs(kinds: &[Kind], start: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut i = start;
    while i < kinds.len() {
        if kinds[i] == Kind::TitleLike {
            let begin = i;
            while i < kinds.len() && kinds[i] == Kind::TitleLike {
                i += 1;
            }
            runs.push(begin..i);
        } else {
            i += 1;
        }
    }
    runs
}

/// Long runs of title-like lines are one list of titles (a scraped "similar documents"
/// block); two such runs separated by a few short lines are one list.
fn boilerplate_regions(
    runs: &[Range<usize>],
    lines: &[Line<'_>],
    kinds: &[Kind],
) -> Vec<Range<usize>> {
    let mut regions: Vec<Range<usize>> = Vec::new();
    for run in runs.iter().filter(|run| run.len() >= BOILERPLATE_RUN) {
        if let Some(last) = regions.last_mut() {
            let gap = last.end..run.start;
            let short_gap = gap.len() <= BOILERPLATE_GAP_LINES
                && gap.clone().all(|i| kinds[i] != Kind::ListItem)
                && gap
                    .clone()
                    .all(|i| !has_words(&lines[i].text, BOILERPLATE_GAP_WORDS + 1));
            if short_gap {
                last.end = run.end;
                continue;
            }
        }
        regions.push(run.clone());
    }
    regions
}

/// The title: the first line when it reads as one, else the first heading, else the start
/// of the first line.
fn document_title(lines: &[Line<'_>], roles: &[Role]) -> String {
    if let Some(i) = roles.iter().position(|r| *r == Role::Title) {
        return lines[i].text.to_string();
    }
    if let Some(i) = roles.iter().position(|r| matches!(r, Role::Heading(_))) {
        return lines[i].text.to_string();
    }
    let first = lines.first().map_or("", |line| &line.text);
    let mut title = String::new();
    for word in first.split_whitespace().take(12) {
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    title
}

/// The end of the content unit starting at `start`: a paragraph, a list, or an introduction
/// with the list or paragraph it introduces (a list stays with the line that introduces it).
fn unit_end(kinds: &[Kind], roles: &[Role], lines: &[Line<'_>], start: usize) -> usize {
    let is_content = |i: usize| i < kinds.len() && roles[i] == Role::Content;
    let mut end = start + 1;
    if kinds[start] == Kind::ListItem {
        while is_content(end) && kinds[end] == Kind::ListItem {
            end += 1;
        }
        return end;
    }
    let introduces = kinds[start] == Kind::Intro || !lines[start].text.ends_with(['.', '!', '?']);
    if introduces && is_content(end) && kinds[end] == Kind::ListItem {
        while is_content(end) && kinds[end] == Kind::ListItem {
            end += 1;
        }
    } else if kinds[start] == Kind::Intro && is_content(end) && kinds[end] == Kind::Body {
        end += 1;
    }
    end
}

/// Builds sections and passages in document order, handing each on as it is made.
struct Builder<'a, 's> {
    ingested: &'a Ingested<'a>,
    title: String,
    sink: &'s mut dyn DocumentSink,
    /// Open headings above the current one: (level, text).
    stack: Vec<(u8, String)>,
    /// The current section's heading line, until it opens the section's first passage.
    pending_heading: Option<usize>,
}

impl Builder<'_, '_> {
    fn open(
        &mut self,
        heading: String,
        level: u8,
        line: usize,
        boilerplate: bool,
        heading_line: Option<usize>,
    ) {
        self.flush_heading_only();
        if level > 0 {
            while self.stack.last().is_some_and(|(l, _)| *l >= level) {
                self.stack.pop();
            }
            self.stack.push((level, heading.clone()));
        }
        let mut heading_path = vec![self.title.clone()];
        heading_path.extend(self.stack.iter().map(|(_, h)| h.clone()));
        self.sink.section(Section {
            heading,
            level,
            line,
            heading_path,
            boilerplate,
            passages: Vec::new(),
        });
        self.pending_heading = heading_line;
    }

    /// The title line opens the title section's first passage, as a heading line does.
    fn set_heading_piece(&mut self, line: usize) {
        self.pending_heading = Some(line);
    }

    /// Adds a paragraph, a list, an introduction with what it introduces, or a run of
    /// unrelated titles, in windows; the pending heading opens the first one.
    fn add_unit(&mut self, lines: Range<usize>) {
        let ingested = self.ingested;
        let heading = self.pending_heading.take();
        let sink = &mut *self.sink;
        let mut windows = Windows::default();
        for line in heading.into_iter().chain(lines) {
            for_each_piece_of_line(line, &ingested.lines[line].text, &mut |piece| {
                if let Some(window) = windows.push(piece) {
                    sink.passage(passage(ingested, &window));
                }
            });
        }
        for window in windows.finish() {
            sink.passage(passage(ingested, &window));
        }
    }

    /// A section whose heading has no text under it keeps the heading as its passage, so
    /// that no word of the source is lost.
    fn flush_heading_only(&mut self) {
        if self.pending_heading.is_some() {
            self.add_unit(0..0);
        }
    }

    fn finish(mut self) {
        self.flush_heading_only();
    }
}

/// Where a page after `first_page` starts in the text `passage` makes of `pieces`: at a run
/// (a line's pieces) on another page, or inside one that goes on past a page break.
fn passage_page_starts(
    ingested: &Ingested<'_>,
    pieces: &[Piece],
    first_page: Option<u32>,
) -> Vec<(usize, u32)> {
    let mut starts = Vec::new();
    let mut page = first_page;
    let mut offset = 0;
    for run in pieces.chunk_by(|a, b| a.line == b.line) {
        let (first, last) = (&run[0], &run[run.len() - 1]);
        let run_page = ingested.page_at(first.line, first.range.start);
        if run_page != page && run_page.is_some() {
            starts.push((offset, run_page.unwrap_or_default()));
            page = run_page;
        }
        for (at, later) in ingested.page_starts_in(first.line, first.range.start..last.range.end) {
            starts.push((offset + at, later));
            page = Some(later);
        }
        offset += last.range.end - first.range.start + 1;
    }
    starts
}

/// The passage made of `pieces`: text joined per line, with its first word's source line
/// and the source byte range it covers.
fn passage(ingested: &Ingested<'_>, pieces: &[Piece]) -> Passage {
    // Sized first, so that no passage holds spare capacity (issue 6: the passages of a
    // huge file are as large as the file).
    let runs = || {
        pieces.chunk_by(|a, b| a.line == b.line).map(|run| {
            let (first, last) = (&run[0], &run[run.len() - 1]);
            &ingested.lines[first.line].text[first.range.start..last.range.end]
        })
    };
    let newlines = pieces.chunk_by(|a, b| a.line == b.line).count() - 1;
    let length = runs().map(str::len).sum::<usize>() + newlines;
    let mut text = String::with_capacity(length);
    for run in runs() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(run);
    }
    let first = &pieces[0];
    let page = ingested.page_at(first.line, first.range.start);
    let last = &pieces[pieces.len() - 1];
    let (line, start) = ingested.locate(first.line, first.range.start);
    let (_, end) = ingested.locate(last.line, last.range.end);
    Passage {
        text,
        line,
        page,
        page_starts: passage_page_starts(ingested, pieces, page),
        byte_range: start..end.max(start),
        source_map: passage_map(ingested, pieces),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest;
    use proptest::prelude::*;

    const CORPUS: [&str; 5] = [
        "000_216059c245ea5907.txt",
        "001_1cf0783d53d43ec1.txt",
        "002_2a876e5dcd2b4d39.txt",
        "003_4501c1bc3e944b18.txt",
        "004_23c5671f6e93fa29.txt",
    ];

    fn corpus_bytes(name: &str) -> Vec<u8> {
        let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("corpus file")
    }

    fn segmented(bytes: &[u8]) -> (Ingested<'_>, Document) {
        let ingested = ingest(bytes).expect("ingest");
        let document = segment(&ingested, "test.txt", Lang::Nb);
        (ingested, document)
    }

    fn headings(doc: &Document) -> Vec<&str> {
        doc.sections
            .iter()
            .skip(1)
            .map(|s| s.heading.as_str())
            .collect()
    }

    #[test]
    fn outline_of_000() {
        let (_, doc) = segmented(&corpus_bytes(CORPUS[0]));
        assert_eq!(
            doc.title,
            "Plan for arbeidet i sentralt kommunedirektørutvalg 2023 – 2025"
        );
        assert_eq!(
            headings(&doc),
            [
                "Mandat og rammer",
                "Prioriterte arbeidsområder",
                "Oppfølging av prioriteringer i langtidsstrategien for perioden 2020 – 2023",
                "Øvrige rammer og prioriteringer for kommunedirektørutvalgets arbeid",
            ]
        );
        let oppfolging = &doc.sections[3];
        assert_eq!(
            oppfolging.level, 2,
            "a heading right under another is one level down"
        );
        assert_eq!(oppfolging.line, 21);
        assert_eq!(
            oppfolging.heading_path,
            [
                doc.title.as_str(),
                "Prioriterte arbeidsområder",
                oppfolging.heading.as_str()
            ]
        );
        // The list stays with the line that introduces it.
        let list = &oppfolging.passages[1];
        assert!(list.text.starts_with("De særlig fokuserte politikkområdene i langtidsplanen er følgende:\n- God oppvekst og godt liv"));
        assert!(list.text.ends_with("- Deltakende innbyggere"));
        assert_eq!(list.line, 31);
    }

    #[test]
    fn outline_of_001() {
        let (_, doc) = segmented(&corpus_bytes(CORPUS[1]));
        assert_eq!(doc.title, "KS' strategi 2024-2027");
        assert_eq!(
            headings(&doc),
            [
                "Innledning og sammendrag",
                "Mål",
                "KS skal fremme lokalt handlingsrom og redusert statlig detaljstyring",
                "KS skal bidra til at kommunesektoren mobiliserer arbeidskraft, beholder og rekrutterer medarbeidere og utvikler deres kompetanse",
                "KS skal skape økt forståelse for, og styrke evnen til, omstilling i sektoren",
                "Strategiske grep",
                "Øke omstillingstakten",
                "Sterkere stemme",
                "Tettere på medlemmene",
                "Sammenheng med årlige planer",
            ]
        );
        // `KS skal arbeide slik i perioden:` introduces a list; it is not a heading.
        let grep = doc
            .sections
            .iter()
            .find(|s| s.heading == "Øke omstillingstakten")
            .unwrap();
        let list = grep
            .passages
            .iter()
            .find(|p| p.text.starts_with("KS skal arbeide slik i perioden:"))
            .unwrap();
        assert!(list.text.contains("\n- Arbeide kunnskapsbasert"));
        // The page break after `målgrupper om` is mended.
        let (section, mended) = doc
            .passages()
            .find(|(_, p)| p.text.contains("målgrupper om denne sammenhengen"))
            .unwrap();
        assert_eq!(section.line, 39);
        assert_eq!(
            mended.line, 39,
            "the heading opens the section's first passage"
        );
    }

    #[test]
    fn outline_of_002() {
        let (_, doc) = segmented(&corpus_bytes(CORPUS[2]));
        assert_eq!(doc.title, "Strategiprogram 2025 – 2026");
        let found = headings(&doc);
        for heading in ["Formål", "Strategier og satsingsområder", "Organisasjon"] {
            assert!(found.contains(&heading), "{heading} in {found:?}");
        }
        assert!(
            found.iter().all(|h| !h.starts_with("Hovedformålet")),
            "{found:?}"
        );
        let mentor = doc
            .passages()
            .find(|(_, p)| p.text.contains("mentorordning"))
            .unwrap();
        assert_eq!(mentor.0.heading, "Strategier og satsingsområder");
    }

    #[test]
    fn outline_of_003_keeps_the_title_list_as_one_boilerplate_section() {
        let bytes = corpus_bytes(CORPUS[3]);
        let (ingested, doc) = segmented(&bytes);
        assert_eq!(doc.title, "Langtidsplan for KS");
        let boilerplate: Vec<&Section> = doc.sections.iter().filter(|s| s.boilerplate).collect();
        assert_eq!(boilerplate.len(), 1);
        assert_eq!(boilerplate[0].heading, "Like dokumenter");
        assert!(doc.sections.len() <= 4, "{:?}", headings(&doc));
        let list_text: String = boilerplate[0]
            .passages
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert!(list_text.contains("Arbeidsgiverpolitikk i Stange kommune"));
        assert!(list_text.contains("Frivillighetspolitisk plattform for Lørenskog kommune"));
        // The 20 KB transcript line is cut into windows of sentences.
        let transcript = doc.sections.last().unwrap();
        assert!(!transcript.boilerplate);
        assert!(transcript.passages.len() >= 15);
        for passage in &transcript.passages {
            assert!(passage::word_count(&passage.text) <= passage::MAX_WORDS);
        }
        // `regionalt lederskap 2` / `og utvikle regionen`: one paragraph, the page number gone.
        assert!(doc
            .passages()
            .any(|(_, p)| p.text.contains("regionalt lederskap og utvikle regionen")));
        assert!(ingested
            .page_numbers
            .iter()
            .any(|n| n.number == "2" && n.line == 208));
    }

    #[test]
    fn outline_of_004_finds_the_numbered_focus_areas() {
        let (_, doc) = segmented(&corpus_bytes(CORPUS[4]));
        assert_eq!(doc.title, "Fokusomrdder 2023-2025");
        assert_eq!(
            headings(&doc),
            [
                "Fokusomrade 1: Udvikling af den borgernzere velfaerd og frisaettelse",
                "Fokusomrdde 2: Faerre ressourcer til flere og mere komplekse opgaver",
                "Fokusomrade 3: Civilsamfund",
            ]
        );
        // OCR bullets `e ` and `¢ ` are list items that stay with their introduction.
        let civil = doc.sections.last().unwrap();
        let list = civil.passages.last().unwrap();
        assert!(list
            .text
            .starts_with("KOMDIR er blandt andet nysgerrig pa folgende:\n¢ Huvilke"));
        assert_eq!(list.text.matches('\n').count(), 3);
        // Hard-wrapped lines are one paragraph.
        assert!(doc
            .passages()
            .any(|(_, p)| p.text.contains("platform for dialog og videndeling om det")));
    }

    fn outline(text: &str) -> Document {
        segmented(text.as_bytes()).1
    }

    #[test]
    fn a_heading_needs_body_after_it() {
        let doc = outline(
            "Plan\n\nMandat og rammer\n\nUtvalget velges for to år.\n\nSluttord uten tekst etter",
        );
        assert_eq!(headings(&doc), ["Mandat og rammer"]);
        let last = doc.sections.last().unwrap();
        assert_eq!(
            last.passages.last().unwrap().text,
            "Sluttord uten tekst etter"
        );
    }

    #[test]
    fn a_heading_right_under_another_is_one_level_down() {
        let doc = outline("Plan\n\nPrioriterte områder\n\nOppfølging av strategien\n\nTekst om oppfølging.\n\nØvrige rammer\n\nMer tekst.");
        let levels: Vec<(&str, u8)> = doc
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.level))
            .collect();
        assert_eq!(
            levels,
            [
                ("Plan", 0),
                ("Prioriterte områder", 1),
                ("Oppfølging av strategien", 2),
                ("Øvrige rammer", 2)
            ]
        );
        assert_eq!(
            doc.sections[2].heading_path,
            ["Plan", "Prioriterte områder", "Oppfølging av strategien"]
        );
        // The heading with no body of its own keeps its words as a passage.
        assert_eq!(doc.sections[1].passages[0].text, "Prioriterte områder");
    }

    #[test]
    fn numbering_sets_the_level() {
        let doc = outline("Plan\n\n4 Satsinger\n\nTekst.\n\n4.1 Tverrgående satsinger\n\nTekst om det.\n\n4.2 Lederskap\n\nMer.");
        let levels: Vec<u8> = doc.sections.iter().skip(1).map(|s| s.level).collect();
        assert_eq!(levels, [1, 2, 2]);
        assert_eq!(
            doc.sections[3].heading_path,
            ["Plan", "4 Satsinger", "4.2 Lederskap"]
        );
    }

    #[test]
    fn a_numbered_line_alone_is_a_heading_but_in_a_list_an_item() {
        let doc = outline("Plan\n\n1. Innledning\n\nTeksten begynner her.\n\nTre mål:\n1. Første mål\n2. Andre mål");
        assert_eq!(headings(&doc), ["1. Innledning"]);
        let list = doc.sections[1].passages.last().unwrap();
        assert_eq!(list.text, "Tre mål:\n1. Første mål\n2. Andre mål");
    }

    #[test]
    fn short_lines_under_an_introduction_are_a_list() {
        let doc =
            outline("Plan\n\nMål\n\nFokusområdene er:\nGod oppvekst\nAttraktive steder\n\nSlutt.");
        assert_eq!(headings(&doc), ["Mål"]);
        assert!(doc.sections[1].passages[0]
            .text
            .ends_with("Fokusområdene er:\nGod oppvekst\nAttraktive steder"));
    }

    #[test]
    fn a_long_run_of_titles_is_one_boilerplate_section() {
        let titles: Vec<String> = (1..=12)
            .map(|i| format!("Arbeidsgiverpolitikk for kommune nummer {i}"))
            .collect();
        let text = format!(
            "Plan\n\nLike dokumenter\n{}\n\nTranskript:\n\nInnledning\n\nHer står teksten.",
            titles.join("\n\n")
        );
        let doc = outline(&text);
        let flags: Vec<(&str, bool)> = doc
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.boilerplate))
            .collect();
        assert_eq!(
            flags,
            [
                ("Plan", false),
                ("Like dokumenter", true),
                ("Innledning", false)
            ]
        );
    }

    /// Every word of the source is in exactly one passage, in order, apart from the page
    /// numbers the normalizer drops: compared as the stream of letters and digits.
    fn assert_nothing_lost(ingested: &Ingested, doc: &Document) {
        let mut source = ingested.decoded.text.to_string();
        for dropped in ingested.page_numbers.iter().rev() {
            source.replace_range(dropped.range.clone(), "");
        }
        let normalized: String =
            unicode_normalization::UnicodeNormalization::nfc(source.as_str()).collect();
        let expected: String = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
        let found: String = doc
            .passages()
            .flat_map(|(_, p)| p.text.chars().filter(|c| c.is_alphanumeric()))
            .collect();
        assert_eq!(found, expected);
    }

    /// Every passage's `line` is the source line of its first word, and its byte range starts
    /// at that word and ends at its last character.
    fn assert_lines_point_at_first_words(source: &str, doc: &Document) {
        for (_, passage) in doc.passages() {
            let start = passage.byte_range.start;
            let line = 1 + source[..start].matches('\n').count();
            assert_eq!(passage.line, line, "line of {passage:?}");
            // A word hyphenated across a line end starts the same in the source.
            let first_word = passage
                .text
                .split_whitespace()
                .next()
                .unwrap()
                .replace('-', "");
            let in_source: String = source[start..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .filter(|c| *c != '-')
                .collect();
            assert!(
                !in_source.is_empty() && first_word.starts_with(&in_source),
                "first word of {passage:?}"
            );
            let last_char = passage.text.chars().last().unwrap();
            assert!(
                source[..passage.byte_range.end].ends_with(last_char),
                "{passage:?}"
            );
        }
    }

    #[test]
    fn corpus_loses_nothing_and_points_at_first_words() {
        for name in CORPUS {
            let bytes = corpus_bytes(name);
            let (ingested, doc) = segmented(&bytes);
            assert_nothing_lost(&ingested, &doc);
            assert_lines_point_at_first_words(std::str::from_utf8(&bytes).unwrap(), &doc);
        }
    }

    const WORDS: [&str; 24] = [
        "kommune",
        "samfunnsberedskap",
        "handlingsrom",
        "velferd",
        "arbeidsgiver",
        "og",
        "i",
        "ressourcer",
        "fylkeskommunene",
        "lokalt",
        "medarbejdere",
        "utvikling",
        "på",
        "til",
        "kompetanse",
        "omstilling",
        "digitalisering",
        "frisættelse",
        "økonomi",
        "langtidsplan",
        "civilsamfund",
        "bærekraftig",
        "innbyggere",
        "strategi",
    ];

    /// A deterministic document of headings, paragraphs (some hard-wrapped, with hyphenated
    /// line ends), lists and page breaks, from a seed.
    fn generated(seed: u64) -> String {
        let mut state = seed | 1;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let newline = if next(4) == 0 { "\r\n" } else { "\n" };
        let mut lines: Vec<String> = Vec::new();
        for _ in 0..1 + next(12) {
            let sentence = |words: usize, next: &mut dyn FnMut(usize) -> usize| {
                let mut s: Vec<String> = (0..words)
                    .map(|_| WORDS[next(WORDS.len())].to_string())
                    .collect();
                let mut first = s[0].chars();
                let head: String = first.next().unwrap().to_uppercase().collect();
                s[0] = head + first.as_str();
                s.join(" ")
            };
            match next(5) {
                0 => lines.push(sentence(1 + next(6), &mut next)),
                1 => {
                    lines.push(format!("{}:", sentence(3 + next(5), &mut next)));
                    for _ in 0..2 + next(4) {
                        lines.push(format!("- {}", sentence(1 + next(8), &mut next)));
                    }
                }
                2 => {
                    let text = format!("{} {}", sentence(10 + next(20), &mut next), 1 + next(300));
                    lines.push(text);
                    lines.push(String::new());
                    lines.push(format!(
                        "og {}.",
                        sentence(3 + next(10), &mut next).to_lowercase()
                    ));
                }
                _ => {
                    let paragraph: Vec<String> = (0..1 + next(40))
                        .map(|_| format!("{}.", sentence(3 + next(25), &mut next)))
                        .collect();
                    let paragraph = paragraph.join(" ");
                    if next(2) == 0 {
                        lines.extend(hard_wrap(&paragraph, 50 + next(40), next(3) == 0));
                    } else {
                        lines.push(paragraph);
                    }
                }
            }
            for _ in 0..1 + next(2) {
                lines.push(String::new());
            }
        }
        lines.join(newline)
    }

    fn hard_wrap(text: &str, width: usize, hyphenate: bool) -> Vec<String> {
        let mut lines = vec![String::new()];
        for word in text.split(' ') {
            let line = lines.last_mut().unwrap();
            if line.chars().count() + 1 + word.chars().count() <= width || line.is_empty() {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            } else if hyphenate
                && word.chars().count() >= 8
                && word.chars().all(char::is_alphabetic)
            {
                let cut: usize = word.char_indices().nth(4).unwrap().0;
                line.push(' ');
                line.push_str(&word[..cut]);
                line.push('-');
                lines.push(word[cut..].to_string());
            } else {
                lines.push(word.to_string());
            }
        }
        lines
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn generated_documents_lose_nothing(seed in any::<u64>()) {
            let text = generated(seed);
            prop_assume!(text.chars().any(char::is_alphanumeric));
            let (ingested, doc) = segmented(text.as_bytes());
            assert_nothing_lost(&ingested, &doc);
            assert_lines_point_at_first_words(&text, &doc);
            for (_, passage) in doc.passages() {
                prop_assert!(passage::word_count(&passage.text) <= passage::MAX_WORDS + 30);
            }
        }

        #[test]
        fn arbitrary_text_never_panics_and_loses_nothing(text in "\\PC{0,400}") {
            if let Ok(ingested) = ingest(text.as_bytes()) {
                let doc = segment(&ingested, "x.txt", Lang::Nb);
                assert_nothing_lost(&ingested, &doc);
            }
        }
    }
}
