//! Ingest and segment: bytes → decoded, normalized text → document, sections, passages;
//! beside the bare minimum any indexer pays (UTF-8 check and a split into paragraphs).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn ingest(c: &mut Criterion) {
    for corpus in common::corpora() {
        let mut group = c.benchmark_group(format!("ingest/{}", corpus.name));
        group.throughput(Throughput::Bytes(corpus.bytes()));
        group.bench_function("lete", |b| {
            b.iter(|| {
                let mut passages = 0;
                for (name, text) in &corpus.files {
                    let loaded = lete::pipeline::load_bytes(text.as_bytes(), name).expect("load");
                    passages += loaded.document.passages().count();
                }
                assert!(passages > 0, "no passages");
                black_box(passages)
            })
        });
        group.bench_function("bare", |b| {
            b.iter(|| {
                let mut paragraphs = 0;
                for (_, text) in &corpus.files {
                    let text = std::str::from_utf8(text.as_bytes()).expect("utf-8");
                    paragraphs += text.split("\n\n").filter(|p| !p.trim().is_empty()).count();
                }
                assert!(paragraphs > 0, "no paragraphs");
                black_box(paragraphs)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = ingest
}
criterion_main!(benches);
