//! `--jsonl`: one hit object per line, nothing else on stdout.

use super::schema::Hit;
use crate::search::SearchHit;
use std::io::{self, Write};

/// Writes each hit as one line of JSON.
pub(crate) fn write_jsonl(out: &mut dyn Write, hits: &[SearchHit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, &Hit::from(hit))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;

    #[test]
    fn one_line_per_hit() {
        let mut second = sample_hit();
        second.rank = 2;
        let mut out = Vec::new();
        write_jsonl(&mut out, &[sample_hit(), second]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        let decoded: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(decoded["rank"], 2);
        assert_eq!(decoded["source"], "corpus/002_kl.txt");
        assert!(text.contains("\"snippet\":\"Et stærkt civilsamfund"));
    }
}
