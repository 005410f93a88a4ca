//! The scaled corpus (issue 5): N MB of Norwegian and Danish documents made from the bundled
//! corpus, deterministic for a seed, with no download. Each file is 40–60 KB: a title, headings,
//! lists and paragraphs of sentences recombined from the bundled documents. New compounds
//! (two corpus words joined, with a linking `s` or `e` or none) enter at the rate Heaps' law
//! gives real text, so the count of distinct terms keeps rising with the size as it would.

use crate::lang::Lang;
use crate::pipeline::load_bytes;
use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The bundled corpus, built into the binary so that `lete bench` works from any folder.
const BUNDLED: [(&str, &str); 5] = [
    (
        "000_216059c245ea5907.txt",
        include_str!("../../corpus/000_216059c245ea5907.txt"),
    ),
    (
        "001_1cf0783d53d43ec1.txt",
        include_str!("../../corpus/001_1cf0783d53d43ec1.txt"),
    ),
    (
        "002_2a876e5dcd2b4d39.txt",
        include_str!("../../corpus/002_2a876e5dcd2b4d39.txt"),
    ),
    (
        "003_4501c1bc3e944b18.txt",
        include_str!("../../corpus/003_4501c1bc3e944b18.txt"),
    ),
    (
        "004_23c5671f6e93fa29.txt",
        include_str!("../../corpus/004_23c5671f6e93fa29.txt"),
    ),
];

/// The bundled corpus: each file's name and text.
pub fn bundled_texts() -> &'static [(&'static str, &'static str)] {
    &BUNDLED
}

/// `bytes` of generated documents in memory, each with a file name (for benches).
pub fn generate_documents(bytes: usize, seed: u64) -> Vec<(String, String)> {
    let source = Source::bundled();
    let mut generator = Generator::new(&source, seed);
    let mut documents = Vec::new();
    let mut total = 0;
    while total < bytes.max(1) {
        let text = generator.document();
        total += text.len();
        documents.push((format!("gen_{:06}.txt", documents.len()), text));
    }
    documents
}

/// Written last, beside a generated folder (`corpus-1mb-seed1.done`): a folder without it (or
/// with other settings) is generated again. Outside the folder, so the indexer never sees it.
pub(crate) fn complete_marker(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".done");
    dir.with_file_name(name)
}
/// Bump when the generator's output changes, so that cached corpora are made again.
const GENERATOR_VERSION: u32 = 1;
/// Generated files are 40–60 KB, as the issue asks: the size of a typical report.
const MIN_FILE_BYTES: usize = 40 * 1024;
const MAX_FILE_BYTES: usize = 60 * 1024;
/// Heaps' law, V = K·n^β for n words: β about 0.5 for European text. K sets how many new
/// compounds appear (about 120 000 distinct new ones in 100 MB).
const HEAPS_K: f64 = 30.0;
const HEAPS_BETA: f64 = 0.5;
/// Share of generated words that are replaced by a generated compound.
const COMPOUND_SHARE: f64 = 0.04;

/// What was generated (or found complete and reused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GeneratedCorpus {
    pub dir: PathBuf,
    pub files: usize,
    pub bytes: u64,
    /// Whether a complete folder of the same settings was reused.
    pub reused: bool,
}

/// A small deterministic generator (SplitMix64): the same seed gives the same corpus on
/// every platform, which a library RNG does not promise across versions.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The material of one language, cut out of the bundled documents.
#[derive(Debug, Default)]
struct Material {
    titles: Vec<String>,
    headings: Vec<String>,
    sentences: Vec<String>,
    /// List items: short sentences and heading-like lines.
    items: Vec<String>,
}

/// Everything the generator draws from.
#[derive(Debug)]
pub(crate) struct Source {
    /// By language group: Norwegian (bokmål and nynorsk), Danish.
    material: [Material; 2],
    /// Words of five letters or more that may join a compound.
    words: Vec<String>,
}

impl Source {
    /// Material from the bundled corpus, read by lete's own pipeline.
    pub(crate) fn bundled() -> Source {
        let mut material: [Material; 2] = Default::default();
        let mut words = HashSet::new();
        for (name, text) in BUNDLED {
            let Ok(loaded) = load_bytes(text.as_bytes(), name) else {
                continue;
            };
            let document = loaded.document;
            let slot = usize::from(document.lang == Lang::Da);
            let into = &mut material[slot];
            into.titles.push(document.title.clone());
            for section in &document.sections {
                if section.boilerplate {
                    continue;
                }
                if section.heading != document.title {
                    into.headings.push(section.heading.clone());
                }
                for passage in &section.passages {
                    for sentence in sentences(&passage.text) {
                        let count = sentence.split_whitespace().count();
                        if (4..=14).contains(&count) {
                            into.items.push(sentence.trim_end_matches('.').to_string());
                        }
                        if count >= 5 {
                            into.sentences.push(sentence);
                        }
                    }
                    for word in passage.text.split(|c: char| !c.is_alphabetic()) {
                        if word.chars().count() >= 5 {
                            words.insert(word.to_lowercase());
                        }
                    }
                }
            }
        }
        // A language with no document borrows the other's material rather than failing.
        for slot in 0..2 {
            if material[slot].sentences.is_empty() {
                let other = &material[1 - slot];
                let copy = Material {
                    titles: other.titles.clone(),
                    headings: other.headings.clone(),
                    sentences: other.sentences.clone(),
                    items: other.items.clone(),
                };
                material[slot] = copy;
            }
        }
        for slot in &mut material {
            if slot.headings.is_empty() {
                slot.headings = slot.titles.clone();
            }
            if slot.items.is_empty() {
                slot.items = slot.sentences.clone();
            }
        }
        let mut words: Vec<String> = words.into_iter().collect();
        words.sort();
        Source { material, words }
    }
}

/// Sentences of a passage: cut after `.`, `!` or `?` followed by a space.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let ends = matches!(c, '.' | '!' | '?') && bytes.get(i + 1).is_none_or(|b| *b == b' ');
        if ends {
            let sentence = text[start..=i].trim();
            if !sentence.is_empty() {
                out.push(sentence.to_string());
            }
            start = i + 1;
        }
    }
    out
}

/// Writes documents until `target_bytes` is reached, calling `sink` with each file's name and
/// text. Deterministic for `seed`.
pub(crate) struct Generator<'a> {
    source: &'a Source,
    rng: Rng,
    /// Generated compounds in order of invention; drawn from with a bias to the early ones,
    /// so that old compounds recur (Zipf) while new ones keep coming.
    compounds: Vec<String>,
    seen: HashSet<String>,
    words_written: u64,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(source: &'a Source, seed: u64) -> Generator<'a> {
        Generator {
            source,
            rng: Rng::new(seed),
            compounds: Vec::new(),
            seen: HashSet::new(),
            words_written: 0,
        }
    }

    #[cfg(test)]
    /// Distinct compounds invented so far.
    pub(crate) fn compounds(&self) -> usize {
        self.compounds.len()
    }

    /// One document of 40–60 KB.
    pub(crate) fn document(&mut self) -> String {
        let target = MIN_FILE_BYTES + self.rng.below(MAX_FILE_BYTES - MIN_FILE_BYTES);
        // Norwegian is most of the bundled corpus; Danish one document in four.
        let slot = usize::from(self.rng.below(4) == 0);
        let material = &self.source.material[slot];
        let mut text = String::with_capacity(MAX_FILE_BYTES + 4096);
        let title: &String = self.rng.pick(&material.titles);
        text.push_str(title);
        text.push_str("\n\n");
        let mut section = 0;
        while text.len() < target {
            section += 1;
            let heading = self.rng.pick(&material.headings).clone();
            if self.rng.below(3) == 0 {
                text.push_str(&format!("{section} {heading}\n\n"));
            } else {
                text.push_str(&heading);
                text.push_str("\n\n");
            }
            let paragraphs = 2 + self.rng.below(4);
            for _ in 0..paragraphs {
                if self.rng.below(5) == 0 {
                    self.list(slot, &mut text);
                } else {
                    self.paragraph(slot, &mut text);
                }
                if text.len() >= target {
                    break;
                }
            }
        }
        text
    }

    fn paragraph(&mut self, slot: usize, text: &mut String) {
        let count = 2 + self.rng.below(6);
        let mut sentences = Vec::with_capacity(count);
        for _ in 0..count {
            let sentence = self.rng.pick(&self.source.material[slot].sentences).clone();
            sentences.push(self.recombine(&sentence));
        }
        text.push_str(&sentences.join(" "));
        text.push_str("\n\n");
    }

    fn list(&mut self, slot: usize, text: &mut String) {
        let intro = self.rng.pick(&self.source.material[slot].sentences).clone();
        let intro = self.recombine(intro.trim_end_matches(['.', '!', '?']));
        text.push_str(&intro);
        text.push_str(":\n");
        let items = 3 + self.rng.below(4);
        for _ in 0..items {
            let item = self.rng.pick(&self.source.material[slot].items).clone();
            text.push_str("- ");
            text.push_str(&self.recombine(&item));
            text.push('\n');
        }
        text.push('\n');
    }

    /// The sentence with some of its words replaced by generated compounds.
    fn recombine(&mut self, sentence: &str) -> String {
        let mut out = String::with_capacity(sentence.len() + 32);
        for (i, word) in sentence.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            self.words_written += 1;
            let replaceable = word.chars().count() >= 5 && word.chars().all(char::is_alphabetic);
            if replaceable && self.rng.unit() < COMPOUND_SHARE {
                let compound = self.compound();
                out.push_str(&compound);
            } else {
                out.push_str(word);
            }
        }
        out
    }

    /// A compound: a new one while fewer exist than Heaps' law says, else a known one.
    fn compound(&mut self) -> String {
        let wanted = HEAPS_K * (self.words_written as f64).powf(HEAPS_BETA);
        if (self.compounds.len() as f64) < wanted {
            for _ in 0..8 {
                let first = self.rng.pick(&self.source.words).clone();
                let second = self.rng.pick(&self.source.words).clone();
                let link = ["", "s", "e"][self.rng.below(3)];
                let compound = format!("{first}{link}{second}");
                if self.seen.insert(compound.clone()) {
                    self.compounds.push(compound.clone());
                    return compound;
                }
            }
        }
        if self.compounds.is_empty() {
            return self.rng.pick(&self.source.words).clone();
        }
        // u² leans towards the oldest compounds: a few recur often, most rarely.
        let u = self.rng.unit();
        let index = ((u * u) * self.compounds.len() as f64) as usize;
        self.compounds[index.min(self.compounds.len() - 1)].clone()
    }
}

/// The folder `lete bench` keeps a corpus of `size_mb` for `seed` in, under `root`.
pub(crate) fn corpus_dir(root: &Path, size_mb: u64, seed: u64) -> PathBuf {
    root.join(format!("corpus-{size_mb}mb-seed{seed}"))
}

fn marker_text(size_mb: u64, seed: u64) -> String {
    format!("lete bench corpus v{GENERATOR_VERSION} size_mb={size_mb} seed={seed}\n")
}

/// Generates `size_mb` MB of documents into `dir`, or reuses it when a complete corpus of
/// the same settings is there. The folder is emptied of `.txt` files first otherwise.
pub(crate) fn generate_corpus(dir: &Path, size_mb: u64, seed: u64) -> io::Result<GeneratedCorpus> {
    let marker = complete_marker(dir);
    if fs::read_to_string(&marker).is_ok_and(|text| text == marker_text(size_mb, seed)) {
        let (files, bytes) = count_txt(dir)?;
        return Ok(GeneratedCorpus {
            dir: dir.to_path_buf(),
            files,
            bytes,
            reused: true,
        });
    }
    fs::create_dir_all(dir)?;
    let _ = fs::remove_file(&marker);
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "txt") {
            fs::remove_file(path)?;
        }
    }
    let source = Source::bundled();
    let mut generator = Generator::new(&source, seed);
    let target = size_mb * 1024 * 1024;
    let mut bytes = 0u64;
    let mut files = 0usize;
    while bytes < target.max(1) {
        let text = generator.document();
        let path = dir.join(format!("gen_{files:06}.txt"));
        let mut file = io::BufWriter::new(fs::File::create(&path)?);
        file.write_all(text.as_bytes())?;
        file.flush()?;
        bytes += text.len() as u64;
        files += 1;
    }
    fs::write(&marker, marker_text(size_mb, seed))?;
    Ok(GeneratedCorpus {
        dir: dir.to_path_buf(),
        files,
        bytes,
        reused: false,
    })
}

fn count_txt(dir: &Path) -> io::Result<(usize, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.path().extension().is_some_and(|ext| ext == "txt") {
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_documents_and_another_seed_others() {
        let source = Source::bundled();
        let first: Vec<String> = {
            let mut generator = Generator::new(&source, 7);
            (0..3).map(|_| generator.document()).collect()
        };
        let again: Vec<String> = {
            let mut generator = Generator::new(&source, 7);
            (0..3).map(|_| generator.document()).collect()
        };
        let other = Generator::new(&source, 8).document();
        assert_eq!(first, again);
        assert_ne!(first[0], other);
    }

    #[test]
    fn a_document_is_40_to_60_kb_with_a_title_headings_lists_and_paragraphs() {
        let source = Source::bundled();
        let mut generator = Generator::new(&source, 1);
        for _ in 0..5 {
            let text = generator.document();
            assert!(text.len() >= MIN_FILE_BYTES, "{}", text.len());
            assert!(text.len() <= MAX_FILE_BYTES + 8 * 1024, "{}", text.len());
            let loaded = load_bytes(text.as_bytes(), "gen.txt").expect("loads");
            assert!(!loaded.document.title.is_empty());
            assert!(loaded.document.sections.len() > 3);
        }
        let mut generator = Generator::new(&source, 1);
        let text: String = (0..5).map(|_| generator.document()).collect();
        assert!(text.contains("\n- "), "lists");
    }

    #[test]
    fn distinct_compounds_keep_growing_with_size_as_heaps_law_says() {
        let source = Source::bundled();
        let mut generator = Generator::new(&source, 3);
        let mut counts = Vec::new();
        for _ in 0..4 {
            for _ in 0..10 {
                generator.document();
            }
            counts.push(generator.compounds());
        }
        // Growth, but slower than linear: each step adds fewer than the first did.
        assert!(
            counts.windows(2).all(|pair| pair[1] > pair[0]),
            "{counts:?}"
        );
        assert!(counts[3] - counts[2] < counts[0], "{counts:?}");
    }

    #[test]
    fn a_complete_corpus_is_reused_and_an_incomplete_one_made_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = corpus_dir(dir.path(), 1, 5);
        let made = generate_corpus(&corpus, 1, 5).expect("generate");
        assert!(!made.reused);
        assert!(made.bytes >= 1024 * 1024 && made.files >= 17, "{made:?}");
        let again = generate_corpus(&corpus, 1, 5).expect("reuse");
        assert!(again.reused);
        assert_eq!((again.files, again.bytes), (made.files, made.bytes));
        fs::remove_file(complete_marker(&corpus)).expect("remove marker");
        let remade = generate_corpus(&corpus, 1, 5).expect("generate again");
        assert!(!remade.reused);
        assert_eq!(remade.bytes, made.bytes);
    }
}
