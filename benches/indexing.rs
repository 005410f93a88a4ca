//! Indexing: a whole lete build (lexicon, load, analysis, Tantivy, commit) beside bare Tantivy
//! indexing the same passages with its default tokenizer, the same heap and threads.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lete::bench::baseline::{dump_document, dump_writer, index_baseline};
use lete::index::{open_fresh, OpenOptions};
use std::hint::black_box;
use std::io::Write;

fn indexing(c: &mut Criterion) {
    for corpus in common::corpora() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus_dir = dir.path().join("corpus");
        corpus.write_to(&corpus_dir);
        let dump = dir.path().join("passages.jsonl");
        let mut out = dump_writer(&dump).expect("dump");
        let mut passages = 0;
        for (name, text) in &corpus.files {
            let loaded = lete::pipeline::load_bytes(text.as_bytes(), name).expect("load");
            passages += loaded.document.passages().count();
            dump_document(&mut out, &loaded.document, name).expect("dump passage");
        }
        out.flush().expect("flush");
        let mut group = c.benchmark_group(format!("indexing/{}", corpus.name));
        group.throughput(Throughput::Bytes(corpus.bytes()));
        let lete_index = dir.path().join("lete");
        group.bench_function("lete", |b| {
            b.iter(|| {
                let built =
                    open_fresh(&corpus_dir, &lete_index, &OpenOptions::rebuild()).expect("build");
                let report = built.report().expect("a report");
                assert_eq!(report.passages, passages);
                black_box(report.passages)
            })
        });
        let baseline_index = dir.path().join("baseline");
        group.bench_function("tantivy", |b| {
            b.iter(|| {
                let report = index_baseline(&dump, &baseline_index).expect("baseline");
                assert_eq!(report.passages, passages);
                black_box(report.passages)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = indexing
}
criterion_main!(benches);
