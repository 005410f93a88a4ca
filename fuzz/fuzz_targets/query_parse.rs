//! Fuzz target: any string as a query, parsed and, when it parses, run against an index of
//! the bundled corpus. Invariants checked: no panic; an error is one line; every highlight
//! range lies on character boundaries inside its snippet.

#![no_main]

use lete::index::{open_fresh, LeteIndex, OpenOptions};
use lete::search::{prepare, SearchRequest};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

fn shared_index() -> &'static LeteIndex {
    static INDEX: OnceLock<(tempfile::TempDir, LeteIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
            let index_dir = dir.path().join("index");
            let index = open_fresh(&corpus, &index_dir, &OpenOptions::default())
                .expect("index")
                .index;
            (dir, index)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let mut request = SearchRequest::new(query, 5, None);
    // Half the inputs also build the explanation of each hit.
    request.explain = query.len() % 2 == 0;
    let prepared = match prepare(&request) {
        Ok(prepared) => prepared,
        Err(err) => {
            assert!(!err.to_string().contains('\n'), "{err}");
            return;
        }
    };
    match prepared.run(shared_index()) {
        Ok(results) => {
            for hit in results.hits {
                for [start, end] in hit.highlights {
                    assert!(start < end && end <= hit.snippet.len());
                    assert!(hit.snippet.is_char_boundary(start));
                    assert!(hit.snippet.is_char_boundary(end));
                }
            }
        }
        Err(err) => assert!(!err.to_string().contains('\n'), "{err}"),
    }
});
