//! Fuzz target: any bytes through decoding, normalization, segmentation and every analyzer.
//! Invariants checked: no panic; each passage's line is one of the file's; every term's byte
//! range lies on character boundaries of the text it came from.

#![no_main]

use lete::analysis::analyze_with_offsets;
use lete::lang::Lang;
use lete::pipeline::load_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = load_bytes(data, "fuzz.txt") else {
        return;
    };
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    for (section, passage) in loaded.document.passages() {
        assert!(section.line >= 1 && section.line <= lines);
        assert!(passage.line >= 1 && passage.line <= lines, "{passage:?}");
        for lang in [None, Some(Lang::Nb), Some(Lang::Nn), Some(Lang::Da)] {
            for (_, range) in analyze_with_offsets(lang, &passage.text) {
                assert!(passage.text.is_char_boundary(range.start));
                assert!(passage.text.is_char_boundary(range.end));
                assert!(range.start < range.end);
            }
        }
    }
});
