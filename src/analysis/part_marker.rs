//! The compound part marker, shared by the compound filter that writes it and the stemmer
//! that keeps it, so that neither imports the other.

/// Marks a compound part token: the word tokenizer never yields it, so `+beredskap` can
/// only be a part.
pub(crate) const PART_MARKER: char = '+';
