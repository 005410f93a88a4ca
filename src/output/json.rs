//! `--json`: one object `{"query", "total", "took_ms", "hits"}`.

use super::schema::SearchOutput;
use std::io::{self, Write};

/// Writes the whole result as one pretty-printed JSON object and a newline.
pub fn write_json(out: &mut dyn Write, output: &SearchOutput) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, output)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;

    #[test]
    fn the_object_decodes_back() {
        let output = SearchOutput {
            query: "civilsamfund".to_string(),
            total: 3,
            took_ms: 4,
            hits: vec![sample_hit()],
        };
        let mut out = Vec::new();
        write_json(&mut out, &output).unwrap();
        let decoded: SearchOutput = serde_json::from_slice(&out).unwrap();
        assert_eq!(decoded, output);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 4);
    }
}
