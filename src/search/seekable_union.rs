//! A union of queries that is cheap to seek: for the clause that rewards passages holding
//! every word, where each word (a union over its fields and forms) is only ever seeked to the
//! passages the rarest word holds.
//!
//! Tantivy's union buffers 4,096 documents at a time: fast to walk, but a seek beyond that
//! window clears the window and refills it from every child, so an intersection that seeks
//! `i` or `for` (in nine passages of ten) once per passage holding a rarer word paid a
//! window's work on each seek. On the 100 MB bench index that clause was about a quarter of
//! the dev queries' time and half of a question's (issue 16). This union keeps no window: a
//! seek seeks each child (a term's skip list) and a step steps the children on the current
//! document.
//!
//! It scores as Tantivy's union does: the same combiner updated with the matching children
//! in the children's order, after the same children are dropped (those already exhausted),
//! and one child alone is that child. One difference is left: Tantivy's union also drops the
//! children it has read to the end of its window, which lowers its cost, and an intersection
//! orders its parts by cost and sums their scores in that order; so the all-words clause may
//! add the same scores in another order, and a score may differ in its last bit. Over every
//! output format of the dev and extra queries (`scripts/compare-outputs.sh`), that changed one
//! `--explain` BM25 on the bundled corpus and, on the 100 MB bench corpus, only the order of
//! duplicate passages of equal shown score (3 outputs of 2,329).

use std::fmt;
use std::marker::PhantomData;
use tantivy::query::{
    DisjunctionMaxCombiner, EmptyScorer, EnableScoring, Explanation, Query, ScoreCombiner, Scorer,
    SumCombiner, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// How the matching children's scores combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Combine {
    /// Their sum, as a `BooleanQuery` of optional clauses.
    Sum,
    /// Their maximum, as a `DisjunctionMaxQuery` without a tie breaker.
    Max,
}

/// Documents matching any of `children`, scored as [`Combine`] says.
pub(super) struct SeekableUnion {
    children: Vec<Box<dyn Query>>,
    combine: Combine,
}

impl SeekableUnion {
    pub(super) fn new(children: Vec<Box<dyn Query>>, combine: Combine) -> SeekableUnion {
        SeekableUnion { children, combine }
    }
}

impl Clone for SeekableUnion {
    fn clone(&self) -> Self {
        SeekableUnion {
            children: self
                .children
                .iter()
                .map(|child| child.box_clone())
                .collect(),
            combine: self.combine,
        }
    }
}

impl fmt::Debug for SeekableUnion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeekableUnion")
            .field("combine", &self.combine)
            .field("children", &self.children)
            .finish()
    }
}

impl Query for SeekableUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let children = self
            .children
            .iter()
            .map(|child| child.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(UnionWeight {
            children,
            combine: self.combine,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for child in &self.children {
            child.query_terms(visitor);
        }
    }
}

struct UnionWeight {
    children: Vec<Box<dyn Weight>>,
    combine: Combine,
}

impl Weight for UnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut children = Vec::with_capacity(self.children.len());
        for child in &self.children {
            let scorer = child.scorer(reader, boost)?;
            // As Tantivy's union: children with nothing to give are dropped, in order.
            if scorer.doc() != TERMINATED && !scorer.is::<EmptyScorer>() {
                children.push(scorer);
            }
        }
        match children.len() {
            0 => return Ok(Box::new(EmptyScorer)),
            // As Tantivy's union: one child is itself (a term stays a term to the
            // intersection, which then takes its own path).
            1 => return Ok(children.remove(0)),
            _ => {}
        }
        let max_doc = reader.max_doc();
        Ok(match self.combine {
            Combine::Sum => Box::new(UnionScorer::<SumCombiner>::new(children, max_doc)),
            Combine::Max => Box::new(UnionScorer::<DisjunctionMaxCombiner>::new(
                children, max_doc,
            )),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("seekable union", scorer.score());
        for child in &self.children {
            if let Ok(detail) = child.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

/// The union's place: the smallest current document of its children.
struct UnionScorer<C> {
    children: Vec<Box<dyn Scorer>>,
    doc: DocId,
    max_doc: u32,
    combiner: PhantomData<C>,
}

impl<C: ScoreCombiner> UnionScorer<C> {
    fn new(children: Vec<Box<dyn Scorer>>, max_doc: u32) -> UnionScorer<C> {
        let doc = smallest_doc(&children);
        UnionScorer {
            children,
            doc,
            max_doc,
            combiner: PhantomData,
        }
    }
}

fn smallest_doc(children: &[Box<dyn Scorer>]) -> DocId {
    children
        .iter()
        .map(|child| child.doc())
        .min()
        .unwrap_or(TERMINATED)
}

impl<C: ScoreCombiner> DocSet for UnionScorer<C> {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        for child in &mut self.children {
            if child.doc() == self.doc {
                child.advance();
            }
        }
        self.doc = smallest_doc(&self.children);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for child in &mut self.children {
            if child.doc() < target {
                child.seek(target);
            }
        }
        self.doc = smallest_doc(&self.children);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        estimate_union(
            self.children.iter().map(|child| child.size_hint()),
            self.max_doc,
        )
    }

    /// As Tantivy's union: the children's costs summed (an intersection orders its parts by
    /// cost, and sums their scores in that order).
    fn cost(&self) -> u64 {
        self.children.iter().map(|child| child.cost()).sum()
    }
}

impl<C: ScoreCombiner> Scorer for UnionScorer<C> {
    fn score(&mut self) -> Score {
        let mut combiner = C::default();
        for child in &mut self.children {
            if child.doc() == self.doc {
                combiner.update(child);
            }
        }
        combiner.score()
    }
}

/// Tantivy's estimate of a union's size (its `size_hint.rs`, not public): the chance that a
/// document is in none of the sets, with terms assumed to cluster somewhat.
fn estimate_union(sizes: impl Iterator<Item = u32>, max_docs: u32) -> u32 {
    const CO_LOCATION: f64 = 0.8;
    let mut in_none = 1.0;
    for size in sizes {
        in_none *= 1.0 - (f64::from(size) / f64::from(max_docs)) * CO_LOCATION;
    }
    (f64::from(max_docs) * (1.0 - in_none))
        .round()
        .min(f64::from(max_docs)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Searcher};

    /// An index of `docs` documents over three fields, words from a small vocabulary put by
    /// a fixed pseudo-random sequence: dense words, rare words, and words one field lacks.
    fn index(docs: u32) -> (Searcher, Vec<Field>) {
        let mut schema = Schema::builder();
        let fields: Vec<Field> = ["a", "b", "c"]
            .iter()
            .map(|name| schema.add_text_field(name, TEXT))
            .collect();
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        let mut state: u64 = 7;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as u32
        };
        for _ in 0..docs {
            let mut texts = Vec::new();
            for field in 0..3 {
                let mut words = Vec::new();
                for _ in 0..(next() % 12) {
                    let word = match next() % 100 {
                        0..=59 => "tett",
                        60..=79 => "middels",
                        80..=84 => "sjelden",
                        85..=94 if field != 2 => "ikkec",
                        _ => "annet",
                    };
                    words.push(word);
                }
                texts.push(words.join(" "));
            }
            writer
                .add_document(doc!(fields[0] => texts[0].clone(), fields[1] => texts[1].clone(), fields[2] => texts[2].clone()))
                .expect("add");
        }
        writer.commit().expect("commit");
        (index.reader().expect("reader").searcher(), fields)
    }

    fn term(field: Field, word: &str, boost: f32) -> Box<dyn Query> {
        let query = TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        );
        Box::new(BoostQuery::new(Box::new(query), boost))
    }

    fn best(forms: Vec<Box<dyn Query>>, seekable: bool) -> Box<dyn Query> {
        if seekable {
            Box::new(SeekableUnion::new(forms, Combine::Max))
        } else {
            Box::new(DisjunctionMaxQuery::new(forms))
        }
    }

    /// A word as the plan builds it: per field, the best of its forms, one of them its
    /// parts (each in two forms) found together.
    fn word(fields: &[Field], forms: &[(&str, f32)], seekable: bool) -> Box<dyn Query> {
        let per_field: Vec<Box<dyn Query>> = fields
            .iter()
            .map(|&field| {
                let mut forms: Vec<Box<dyn Query>> = forms
                    .iter()
                    .map(|&(form, boost)| term(field, form, boost))
                    .collect();
                let parts = ["middels", "annet"]
                    .iter()
                    .map(|part| {
                        let either = vec![term(field, part, 1.0), term(field, "tett", 0.5)];
                        (Occur::Must, best(either, seekable))
                    })
                    .collect();
                forms.push(Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(parts)),
                    0.5,
                )));
                if seekable {
                    Box::new(SeekableUnion::new(forms, Combine::Max)) as Box<dyn Query>
                } else {
                    Box::new(DisjunctionMaxQuery::new(forms))
                }
            })
            .collect();
        if seekable {
            Box::new(SeekableUnion::new(per_field, Combine::Sum))
        } else {
            Box::new(BooleanQuery::new(
                per_field.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        }
    }

    /// Every matching document and its score's bits, in document order. Collected with a
    /// count beside, as lete collects: every match is scored (top documents alone would let
    /// Tantivy prune a union of terms by block-max WAND, which sums in another order).
    fn scores(searcher: &Searcher, query: &dyn Query) -> Vec<(u32, u32)> {
        let collector = (TopDocs::with_limit(100_000).order_by_score(), Count);
        let (top, _) = searcher.search(query, &collector).expect("search");
        let mut found: Vec<(u32, u32)> = top
            .into_iter()
            .map(|(score, address)| (address.doc_id, score.to_bits()))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn scores_every_document_as_tantivys_unions_do_to_the_bit() {
        let (searcher, fields) = index(20_000);
        let forms: [&[(&str, f32)]; 3] = [
            &[("tett", 1.0)],
            &[("sjelden", 1.0), ("middels", 0.6)],
            &[("ikkec", 1.0), ("annet", 0.3), ("mangler", 0.5)],
        ];
        let words = forms.map(|forms| word(&fields, forms, false));
        let seekable = forms.map(|forms| word(&fields, forms, true));
        for (plain, seekable) in words.iter().zip(&seekable) {
            same(
                &scores(&searcher, plain.as_ref()),
                &scores(&searcher, seekable.as_ref()),
            );
        }
        // As the all-words clause: every word required, the rarest driving the seeks.
        let all = |words: &[Box<dyn Query>]| {
            BooleanQuery::new(words.iter().map(|w| (Occur::Must, w.box_clone())).collect())
        };
        let plain = scores(&searcher, &all(&words));
        assert!(plain.len() > 100, "{}", plain.len());
        same(&plain, &scores(&searcher, &all(&seekable)));
    }

    fn same(plain: &[(u32, u32)], seekable: &[(u32, u32)]) {
        assert_eq!(plain.len(), seekable.len(), "matching documents");
        let differing: Vec<_> = plain
            .iter()
            .zip(seekable)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.0, f32::from_bits(a.1), b.0, f32::from_bits(b.1)))
            .take(5)
            .collect();
        assert!(differing.is_empty(), "{differing:?}");
    }
}
