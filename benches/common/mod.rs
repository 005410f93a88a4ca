//! What every bench shares: the corpora each stage is measured on (the bundled one and a
//! generated one), and short criterion settings so that `cargo bench` takes minutes.

#![allow(dead_code)] // Each bench uses a part.

use criterion::Criterion;
use std::path::Path;
use std::time::Duration;

/// Size of the generated corpus the benches use: big enough for Heaps' law to show.
pub const GENERATED_BYTES: usize = 4 * 1024 * 1024;

/// A named corpus: each file's name and text.
pub struct Corpus {
    pub name: &'static str,
    pub files: Vec<(String, String)>,
}

impl Corpus {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, text)| text.len() as u64).sum()
    }

    /// Writes the files into `dir` (for the benches that index from disk).
    pub fn write_to(&self, dir: &Path) {
        std::fs::create_dir_all(dir).expect("corpus folder");
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text).expect("write corpus file");
        }
    }
}

pub fn corpora() -> Vec<Corpus> {
    let bundled = lete::bench::generate::bundled_texts()
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    vec![
        Corpus {
            name: "bundled",
            files: bundled,
        },
        Corpus {
            name: "generated",
            files: lete::bench::generate::generate_documents(GENERATED_BYTES, 1),
        },
    ]
}

/// Few samples, short warm-up: the stages run for seconds, and a regression of interest is
/// a large one.
pub fn quick() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args()
}
