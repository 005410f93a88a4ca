//! `--json`: one object `{"query", "total", "took_ms", "hits"}`.

use super::schema::SearchOutput;
use std::io::{self, Write};

/// Writes the whole result as one pretty-printed JSON object and a newline.
pub(crate) fn write_json(out: &mut dyn Write, output: &SearchOutput) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, output)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::schema::tests::sample_hit;
    use crate::search::SearchResults;
    use std::time::Duration;

    #[test]
    fn one_object_of_query_total_time_and_hits() {
        let results = SearchResults {
            total: 3,
            hits: vec![sample_hit()],
            ..SearchResults::default()
        };
        let output = SearchOutput::new("civilsamfund", &results, Duration::from_millis(4));
        let mut out = Vec::new();
        write_json(&mut out, &output).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["hits", "query", "took_ms", "total"]);
        assert_eq!(value["query"], "civilsamfund");
        assert_eq!(
            (value["total"].as_u64(), value["took_ms"].as_u64()),
            (Some(3), Some(4))
        );
        assert_eq!(value["hits"][0]["snippet"], results.hits[0].snippet);
        assert!(String::from_utf8(out).unwrap().ends_with("}\n"));
    }
}
