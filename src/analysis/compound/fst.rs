//! The lexicon's FST form: every entry in one FST, what a search loads and what the indexer
//! splits with; written and read here, and walked along a word for the split search.

use super::lexicon::Lexicon;
use super::prefixes::{KIND_STEM, KIND_WORD};
use super::rules::MIN_KNOWN_PART_CHARS;
use super::slot;
use crate::lang::Lang;
use std::fmt;
use std::io;
use std::sync::Arc;

/// Kinds of entry in a lexicon's FST form, as bits of the FST's value.
pub(super) const FST_WORD: u64 = 1;
pub(super) const FST_STEM: [u64; 2] = [2, 4];
pub(super) const FST_PART: u64 = 8;

/// The lexicon as a search reads it (issue 5): one FST of every word, stem and part with
/// their kinds as bits, loaded without parsing, where the text form took most of a whole
/// `lete search` on a large index. An FST lookup fails within the first letters that begin
/// no entry, so it needs no table of first letters.
#[derive(Clone)]
pub(super) struct LexiconFst {
    map: Arc<tantivy_fst::Map<Vec<u8>>>,
    /// How many words (not stems or parts) it holds.
    pub(super) words: usize,
    pub(super) has_parts: bool,
}

impl LexiconFst {
    /// The kinds of `entry` (`FST_*` bits), 0 when it is no entry.
    pub(super) fn kinds(&self, entry: &str) -> u64 {
        self.map.get(entry).unwrap_or(0)
    }

    /// [`Lexicon::prefix_kinds`] of the FST form: it walks its FST once along `rest` and stops
    /// where no entry begins (issue 5: a lookup per prefix was the indexer's hottest spot).
    /// Returns how many chars of `rest` some entry begins with.
    pub(super) fn walk_prefixes(
        &self,
        lang: Lang,
        rest: &str,
        bounds: &[usize],
        kinds: &mut [u8],
    ) -> usize {
        let chars = bounds.len() - 1;
        let base = bounds[0];
        let fst = self.map.as_fst();
        let mut node = fst.root();
        let mut output = tantivy_fst::raw::Output::zero();
        let mut length = 0;
        for (at, byte) in rest.bytes().enumerate() {
            let Some(index) = node.find_input(byte) else {
                break;
            };
            let transition = node.transition(index);
            output = output.cat(transition.out);
            node = fst.node(transition.addr);
            if at + 1 == bounds[length + 1] - base {
                length += 1;
                if node.is_final() && length >= MIN_KNOWN_PART_CHARS {
                    let entry = output.cat(node.final_output()).value();
                    kinds[length] = if entry & FST_WORD != 0 {
                        KIND_WORD
                    } else if length < chars && entry & FST_STEM[slot(lang)] != 0 {
                        KIND_STEM
                    } else {
                        0
                    };
                }
            }
        }
        length
    }
}

impl fmt::Debug for LexiconFst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LexiconFst({} entries)", self.map.len())
    }
}

/// Written out because Tantivy's FST map has no equality of its own: two FST forms are equal
/// when their counts and FST bytes are.
impl PartialEq for LexiconFst {
    fn eq(&self, other: &LexiconFst) -> bool {
        self.words == other.words
            && self.has_parts == other.has_parts
            && self.map.as_fst().to_vec() == other.map.as_fst().to_vec()
    }
}

impl Eq for LexiconFst {}

impl Lexicon {
    /// The lexicon as one FST, for [`Lexicon::from_fst_bytes`]: what searches load.
    pub fn to_fst_bytes(&self) -> io::Result<Vec<u8>> {
        let sets = [
            (FST_WORD, &self.words),
            (FST_STEM[0], &self.stems[0]),
            (FST_STEM[1], &self.stems[1]),
            (FST_PART, &self.parts),
        ];
        // One sorted list (faster than a tree map of every entry: the indexer builds this
        // twice per run), an entry of several kinds merged into one.
        let mut entries: Vec<(&str, u64)> = sets
            .iter()
            .flat_map(|(kind, set)| set.iter().map(move |entry| (entry.as_str(), *kind)))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut builder = tantivy_fst::MapBuilder::memory();
        let mut entries = entries.into_iter().peekable();
        while let Some((entry, mut kind)) = entries.next() {
            while let Some((_, more)) = entries.next_if(|(next, _)| *next == entry) {
                kind |= more;
            }
            builder.insert(entry, kind).map_err(io::Error::other)?;
        }
        // A header of two counts, words and parts, then the FST.
        let bytes = builder.into_inner().map_err(io::Error::other)?;
        let mut out = (self.words.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(&(self.parts.len() as u64).to_le_bytes());
        out.extend_from_slice(&bytes);
        Ok(out)
    }

    /// The same lexicon in its FST form, which splits faster (one walk of the FST per split
    /// point) but cannot learn: what the indexer's analyzers use (issue 5).
    pub fn to_fst_form(&self) -> io::Result<Lexicon> {
        Lexicon::from_fst_bytes(self.to_fst_bytes()?)
    }

    /// A lexicon for searching from [`Lexicon::to_fst_bytes`]'s output. It answers every
    /// lookup as the lexicon it was made of; it cannot learn (the indexer reads the text form).
    pub fn from_fst_bytes(bytes: Vec<u8>) -> io::Result<Lexicon> {
        let invalid = || io::Error::new(io::ErrorKind::InvalidData, "not a lete lexicon FST");
        let count = |at: usize| -> io::Result<u64> {
            let field: [u8; 8] = bytes
                .get(at..at + 8)
                .and_then(|field| field.try_into().ok())
                .ok_or_else(invalid)?;
            Ok(u64::from_le_bytes(field))
        };
        let (words, parts) = (count(0)?, count(8)?);
        let mut bytes = bytes;
        bytes.drain(..16);
        let map = tantivy_fst::Map::from_bytes(bytes).map_err(|_| invalid())?;
        Ok(Lexicon {
            fst: Some(LexiconFst {
                map: Arc::new(map),
                words: words as usize,
                has_parts: parts > 0,
            }),
            ..Lexicon::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fst_form_splits_as_the_lexicon_it_was_made_of() {
        let mut lexicon = Lexicon::from_words([
            "samfunnet",
            "samfunn",
            "samfunnsberedskap",
            "redskap",
            "arbeidet",
            "totalberedskapsarbeidet",
            "klima",
            "endringer",
            "nivået",
        ]);
        lexicon.learn_text("velfærd og kommunerne");
        lexicon.learn_parts();
        let fst_form =
            Lexicon::from_fst_bytes(lexicon.to_fst_bytes().expect("fst")).expect("read fst");
        assert_eq!(fst_form.len(), lexicon.len());
        assert!(fst_form.has_part("beredskap") && fst_form.contains("samfunnet"));
        assert!(!fst_form.contains("beredskap"));
        for word in [
            "totalberedskapsarbeidet",
            "samfunnsberedskap",
            "gjeldsnivået",
            "klimaendringer",
            "velfærdskommunerne",
            "digitalisering",
        ] {
            for lang in Lang::ALL {
                assert_eq!(
                    fst_form.split(lang, word),
                    lexicon.split(lang, word),
                    "{word}"
                );
            }
        }
        assert!(Lexicon::from_fst_bytes(b"short".to_vec()).is_err());
    }
}
