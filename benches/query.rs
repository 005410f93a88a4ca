//! Query: the dev queries through lete's search (parse, expand, BM25, re-rank, snippets) beside
//! Tantivy's QueryParser and top 10 over the baseline index of the same passages. Throughput
//! is the corpus size, so figures compare across corpora.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lete::bench::baseline::{dump_document, dump_writer, index_baseline};
use lete::bench::{parse_queries, DEV_QUERIES};
use lete::index::{open_fresh, OpenOptions};
use lete::search::{prepare, SearchRequest};
use std::hint::black_box;
use std::io::Write;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::Index;

fn query(c: &mut Criterion) {
    let queries = parse_queries(DEV_QUERIES);
    for corpus in common::corpora() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus_dir = dir.path().join("corpus");
        corpus.write_to(&corpus_dir);
        let lete_dir = dir.path().join("lete");
        let index = open_fresh(&corpus_dir, &lete_dir, &OpenOptions::default())
            .expect("build")
            .index;
        let searches: Vec<_> = queries
            .iter()
            .map(|q| prepare(&SearchRequest::new(q, 10, None)).expect("query"))
            .collect();
        let dump = dir.path().join("passages.jsonl");
        let mut out = dump_writer(&dump).expect("dump");
        for (name, text) in &corpus.files {
            let loaded = lete::pipeline::load_bytes(text.as_bytes(), name).expect("load");
            dump_document(&mut out, &loaded.document, name).expect("dump passage");
        }
        out.flush().expect("flush");
        let baseline_dir = dir.path().join("baseline");
        index_baseline(&dump, &baseline_dir).expect("baseline");
        let baseline = Index::open_in_dir(&baseline_dir).expect("open baseline");
        let schema = baseline.schema();
        let fields = ["text", "heading", "title"]
            .iter()
            .map(|name| schema.get_field(name).expect("field"))
            .collect();
        let parser = QueryParser::for_index(&baseline, fields);
        let baseline_queries: Vec<_> = queries
            .iter()
            .map(|q| parser.parse_query_lenient(q).0)
            .collect();
        let reader = baseline.reader().expect("reader");

        let mut group = c.benchmark_group(format!("query/{}", corpus.name));
        group.throughput(Throughput::Bytes(corpus.bytes()));
        group.bench_function("lete", |b| {
            b.iter(|| {
                let hits: usize = searches
                    .iter()
                    .map(|search| search.run(&index).expect("search").hits.len())
                    .sum();
                assert!(hits > 0, "no hits");
                black_box(hits)
            })
        });
        group.bench_function("tantivy", |b| {
            b.iter(|| {
                let searcher = reader.searcher();
                let hits: usize = baseline_queries
                    .iter()
                    .map(|query| {
                        let top = TopDocs::with_limit(10).order_by_score();
                        let docs = searcher.search(query.as_ref(), &top).expect("search");
                        for (_, address) in &docs {
                            let doc: tantivy::TantivyDocument =
                                searcher.doc(*address).expect("stored passage");
                            black_box(doc);
                        }
                        docs.len()
                    })
                    .sum();
                assert!(hits > 0, "no hits");
                black_box(hits)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = query
}
criterion_main!(benches);
