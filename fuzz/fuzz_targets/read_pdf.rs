//! Fuzz target: any bytes read as a PDF (issue 15), seeded with the LibreOffice fixtures.
//! Invariants checked: no panic escapes (pdf-extract's are caught and become a skip reason
//! of one line); every passage has text and a page from 1 on.

#![no_main]

use lete::pipeline::load_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match load_bytes(data, "fuzz.pdf") {
        Ok(loaded) => {
            for (_, passage) in loaded.document.passages() {
                assert!(!passage.text.trim().is_empty(), "{passage:?}");
                assert!(passage.page.is_some_and(|page| page >= 1), "{passage:?}");
            }
        }
        Err(err) => assert!(!err.to_string().contains('\n'), "{err}"),
    }
});
