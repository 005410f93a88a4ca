//! Fuzz target: any bytes read as a Word or OpenDocument file (issue 15): the zip reader, the
//! XML pull parser and both readers, seeded with the LibreOffice fixtures. Invariants
//! checked: no panic; a refusal is one line; every passage has text and no page.

#![no_main]

use lete::pipeline::load_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.docx", "fuzz.odt"] {
        match load_bytes(data, name) {
            Ok(loaded) => {
                for (_, passage) in loaded.document.passages() {
                    assert!(!passage.text.trim().is_empty(), "{passage:?}");
                    assert!(passage.page.is_none());
                }
            }
            Err(err) => assert!(!err.to_string().contains('\n'), "{err}"),
        }
    }
});
