//! Fuzz target: any bytes read as HTML and as Markdown (issue 15). Invariants checked: no
//! panic; every passage has text and a line within the file's lines.

#![no_main]

use lete::pipeline::load_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    for name in ["fuzz.html", "fuzz.md"] {
        let Ok(loaded) = load_bytes(data, name) else {
            continue;
        };
        for (section, passage) in loaded.document.passages() {
            assert!(!passage.text.trim().is_empty(), "{passage:?}");
            assert!(passage.line >= 1 && passage.line <= lines, "{name}: {passage:?}");
            assert!(section.line >= 1 && section.line <= lines, "{name}: {section:?}");
        }
    }
});
