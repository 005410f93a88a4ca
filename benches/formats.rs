//! Extraction per format (issue 15): the same document as LibreOffice saved it in each
//! format, read through the whole front of the pipeline (`load_bytes`: read, structure,
//! segment), throughput in bytes of the file. For PDF, where its time goes: parsing the file
//! (lopdf), decoding its content streams into characters (pdf-extract), and the rest (lete's
//! lines, paragraphs, headings, segmentation) as the whole minus those.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pdf_extract::{Document, PlainTextOutput};
use std::hint::black_box;
use std::path::Path;

const FIXTURES: [&str; 6] = [
    "plan.txt",
    "plan.md",
    "plan.html",
    "plan.docx",
    "plan.odt",
    "plan.pdf",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    std::fs::read(path).expect("fixture")
}

fn formats(c: &mut Criterion) {
    let mut group = c.benchmark_group("formats");
    for name in FIXTURES {
        let bytes = fixture(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let loaded = lete::pipeline::load_bytes(&bytes, name).expect("load");
                let passages = loaded.document.passages().count();
                assert!(passages > 10, "{name}: {passages} passages");
                black_box(passages)
            })
        });
    }
    group.finish();
}

fn pdf_phases(c: &mut Criterion) {
    let bytes = fixture("plan.pdf");
    let mut group = c.benchmark_group("pdf-phases");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse (lopdf)", |b| {
        b.iter(|| {
            let document = Document::load_mem(&bytes).expect("parse");
            assert_eq!(document.get_pages().len(), 2);
            black_box(document)
        })
    });
    group.bench_function("parse+characters (pdf-extract)", |b| {
        b.iter(|| {
            let document = Document::load_mem(&bytes).expect("parse");
            let mut text = String::new();
            pdf_extract::output_doc(&document, &mut PlainTextOutput::new(&mut text)).expect("text");
            assert!(text.contains("Velferdsteknologi"));
            black_box(text)
        })
    });
    group.bench_function("whole (lete)", |b| {
        b.iter(|| {
            let loaded = lete::pipeline::load_bytes(&bytes, "plan.pdf").expect("load");
            black_box(loaded.document.passages().count())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = formats, pdf_phases
}
criterion_main!(benches);
