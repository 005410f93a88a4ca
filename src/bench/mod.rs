//! Benchmarking (issue 5): the scaled corpus, the measurement `lete bench` runs, and the
//! bare-Tantivy baseline it is compared with.

pub mod generate;
