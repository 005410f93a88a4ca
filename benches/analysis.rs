//! Analysis: lete's index analyzers (words, lowercase, compound parts, stemming, with the
//! lexicon learned from the same corpus) beside Tantivy's default tokenizer, over the same
//! passages.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lete::analysis::{analyzer_name, register_index_analyzers, CompoundSplitter, Lexicon};
use lete::bench::count_tokens;
use lete::lang::Lang;
use std::hint::black_box;
use std::sync::Arc;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

fn analysis(c: &mut Criterion) {
    for corpus in common::corpora() {
        let mut passages: Vec<(Lang, String)> = Vec::new();
        let mut lexicon = Lexicon::default();
        for (name, text) in &corpus.files {
            lexicon.learn_text(text);
            let loaded = lete::pipeline::load_bytes(text.as_bytes(), name).expect("load");
            let lang = loaded.document.lang;
            for (_, passage) in loaded.document.passages() {
                passages.push((lang, passage.text.clone()));
            }
        }
        let learned_splits = lexicon.learn_parts();
        let splitter =
            Arc::new(CompoundSplitter::new(Arc::new(lexicon)).with_learned_splits(learned_splits));
        let bytes: u64 = passages.iter().map(|(_, text)| text.len() as u64).sum();
        let mut group = c.benchmark_group(format!("analysis/{}", corpus.name));
        group.throughput(Throughput::Bytes(bytes));
        group.bench_function("lete", |b| {
            // A fresh manager per batch: the split cache starts empty, as in a new build.
            b.iter(|| {
                let manager = TokenizerManager::default();
                register_index_analyzers(&manager, &splitter);
                let mut analyzers: Vec<TextAnalyzer> = Lang::ALL
                    .iter()
                    .map(|lang| manager.get(analyzer_name(*lang)).expect("analyzer"))
                    .collect();
                let mut tokens = 0;
                for (lang, text) in &passages {
                    let slot = Lang::ALL.iter().position(|l| l == lang).expect("lang");
                    tokens += count_tokens(&mut analyzers[slot], text);
                }
                assert!(tokens > 0, "no tokens");
                black_box(tokens)
            })
        });
        group.bench_function("tantivy", |b| {
            let mut analyzer = TokenizerManager::default().get("default").expect("default");
            b.iter(|| {
                let mut tokens = 0;
                for (_, text) in &passages {
                    tokens += count_tokens(&mut analyzer, text);
                }
                assert!(tokens > 0, "no tokens");
                black_box(tokens)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::quick();
    targets = analysis
}
criterion_main!(benches);
