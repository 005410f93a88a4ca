//! Relevance evaluation (`lete eval`): a queries file in the format of the shared eval
//! (`id`, `lang`, `query`, `keys`, `heading`, `phenomenon`, tab-separated) scored exactly as
//! its `score.py` scores ranked hits: MRR@10, S@1, S@5 and heading accuracy.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Hits looked at per query, as `score.py` does.
pub(crate) const EVAL_DEPTH: usize = 10;

/// One relevance query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvalQuery {
    pub id: String,
    pub query: String,
    /// A hit is relevant when its normalized text holds any key (normalized).
    pub keys: Vec<String>,
    /// When not empty: the relevant hit's heading should hold it (normalized).
    pub heading: String,
    pub phenomenon: String,
}

/// Why a queries file cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum EvalError {
    #[error("the queries file is empty (it needs a header line: id, query, keys, heading)")]
    Empty,
    #[error("the queries file has no '{0}' column")]
    MissingColumn(&'static str),
    #[error("line {line} of the queries file has no '{column}' cell")]
    MissingCell { line: usize, column: &'static str },
    #[error("line {line} of the queries file repeats the id '{id}'")]
    DuplicateId { line: usize, id: String },
    #[error("the queries file has no queries")]
    NoQueries,
}

/// Parses a queries file (TSV with a header line; the `lang` and `phenomenon` columns are
/// optional), read as the shared scorer's `csv.DictReader(…, delimiter="\t")` reads it: a
/// cell that starts with `"` is quoted (`""` inside is one quote, and it may hold tabs and
/// line breaks), blank rows are skipped. Keys are kept as written, an empty key included
/// (which, as in `score.py`, every text holds).
pub(crate) fn read_queries(text: &str) -> Result<Vec<EvalQuery>, EvalError> {
    let mut rows = tsv_rows(text).into_iter();
    let (_, header) = rows.next().ok_or(EvalError::Empty)?;
    let column = |name: &'static str| {
        header
            .iter()
            .position(|cell| cell == name)
            .ok_or(EvalError::MissingColumn(name))
    };
    let (id, query, keys, heading) = (
        column("id")?,
        column("query")?,
        column("keys")?,
        column("heading")?,
    );
    let phenomenon = column("phenomenon").ok();
    let mut queries: Vec<EvalQuery> = Vec::new();
    for (line, cells) in rows {
        let cell = |index: usize, column: &'static str| {
            cells
                .get(index)
                .map(String::as_str)
                .ok_or(EvalError::MissingCell { line, column })
        };
        let entry = EvalQuery {
            id: cell(id, "id")?.to_string(),
            query: cell(query, "query")?.to_string(),
            keys: cell(keys, "keys")?.split('|').map(normalize).collect(),
            // A short row may leave the optional trailing cells out.
            heading: normalize(cells.get(heading).map_or("", String::as_str)),
            phenomenon: phenomenon
                .and_then(|index| cells.get(index))
                .cloned()
                .unwrap_or_default(),
        };
        if queries.iter().any(|known| known.id == entry.id) {
            return Err(EvalError::DuplicateId { line, id: entry.id });
        }
        queries.push(entry);
    }
    if queries.is_empty() {
        return Err(EvalError::NoQueries);
    }
    Ok(queries)
}

/// The non-blank rows of a tab-separated text with `csv`'s quoting, each with the 1-based
/// line it starts on.
fn tsv_rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start_line = line;
        let mut cells = vec![String::new()];
        let mut at_cell_start = true;
        let mut quoted = false;
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        cells.last_mut().unwrap_or(&mut String::new()).push('"');
                    }
                    '"' => quoted = false,
                    _ => {
                        if c == '\n' {
                            line += 1;
                        }
                        if let Some(cell) = cells.last_mut() {
                            cell.push(c);
                        }
                    }
                }
                continue;
            }
            match c {
                '\t' => {
                    cells.push(String::new());
                    at_cell_start = true;
                    continue;
                }
                '\n' => {
                    line += 1;
                    break;
                }
                '\r' if chars.peek() == Some(&'\n') => continue,
                '"' if at_cell_start => quoted = true,
                _ => {
                    if let Some(cell) = cells.last_mut() {
                        cell.push(c);
                    }
                }
            }
            at_cell_start = false;
        }
        let blank = cells.len() == 1 && cells[0].is_empty();
        if !blank {
            rows.push((start_line, cells));
        }
    }
    rows
}

/// As `score.py`'s `norm`: NFC, lowercase, markup tags removed, runs of white space made one
/// space.
pub(crate) fn normalize(text: &str) -> String {
    let lowered: String = text.nfc().collect::<String>().to_lowercase();
    let mut without_tags = String::with_capacity(lowered.len());
    let mut rest = lowered.as_str();
    while let Some(open) = rest.find('<') {
        match rest[open + 1..].find('>') {
            // `<` then at least one char that is not `>`, then `>`: a tag.
            Some(close) if close > 0 => {
                without_tags.push_str(&rest[..open]);
                rest = &rest[open + 1 + close + 1..];
            }
            _ => {
                without_tags.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    without_tags.push_str(rest);
    let mut collapsed = String::with_capacity(without_tags.len());
    let mut in_space = false;
    for c in without_tags.chars() {
        if c.is_whitespace() {
            if !in_space {
                collapsed.push(' ');
            }
            in_space = true;
        } else {
            collapsed.push(c);
            in_space = false;
        }
    }
    collapsed
}

/// A ranked hit as the scorer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RankedText {
    pub text: String,
    pub heading: String,
}

/// How one query fared.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryOutcome {
    pub id: String,
    pub query: String,
    /// 1-based rank of the first relevant hit within the top 10.
    pub rank: Option<usize>,
    /// Whether that hit's heading holds the expected heading; `None` when none is expected.
    pub heading_ok: Option<bool>,
    pub phenomenon: String,
}

/// The summary `score.py` prints, and each query's outcome.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EvalReport {
    pub queries: usize,
    pub mrr10: f64,
    pub s1: f64,
    pub s5: f64,
    /// `None` when no query names a heading.
    pub heading_acc: Option<f64>,
    pub outcomes: Vec<QueryOutcome>,
}

/// Scores `hits` (each query's ranked hits, by id) against `queries`.
pub(crate) fn score(queries: &[EvalQuery], hits: &HashMap<String, Vec<RankedText>>) -> EvalReport {
    let (mut mrr, mut s1, mut s5) = (0.0, 0.0, 0.0);
    let (mut heading_ok, mut heading_asked) = (0usize, 0usize);
    let mut outcomes = Vec::new();
    for query in queries {
        let ranked: &[RankedText] = hits.get(&query.id).map_or(&[], Vec::as_slice);
        let ranked = &ranked[..ranked.len().min(EVAL_DEPTH)];
        let first = ranked.iter().position(|hit| {
            let text = normalize(&hit.text);
            query.keys.iter().any(|key| text.contains(key.as_str()))
        });
        let mut heading_result = None;
        if !query.heading.is_empty() {
            heading_asked += 1;
            let right = first.is_some_and(|rank| {
                normalize(&ranked[rank].heading).contains(query.heading.as_str())
            });
            heading_ok += usize::from(right);
            heading_result = Some(right);
        }
        if let Some(rank) = first {
            mrr += 1.0 / (rank as f64 + 1.0);
            s1 += f64::from(u8::from(rank == 0));
            s5 += f64::from(u8::from(rank < 5));
        }
        outcomes.push(QueryOutcome {
            id: query.id.clone(),
            query: query.query.clone(),
            rank: first.map(|rank| rank + 1),
            heading_ok: heading_result,
            phenomenon: query.phenomenon.clone(),
        });
    }
    let n = queries.len().max(1) as f64;
    EvalReport {
        queries: queries.len(),
        mrr10: round3(mrr / n),
        s1: round3(s1 / n),
        s5: round3(s5 / n),
        heading_acc: (heading_asked > 0).then(|| round3(heading_ok as f64 / heading_asked as f64)),
        outcomes,
    }
}

/// `score.py` prints its figures rounded to three decimals.
fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "id\tlang\tquery\tkeys\theading\tphenomenon\n\
        d1\tnb\tlokalt handlingsrom\tlokalt   Handlingsrom|arbeide for\t\tphrase\n\
        d2\tda\tvelfærd\tvelfaerd\tFokusomrade 1\tfolding\n\
        d3\tnb\tmentorordning\tmentorordning\tStrategier\tsingle term\n";

    fn hit(text: &str, heading: &str) -> RankedText {
        RankedText {
            text: text.to_string(),
            heading: heading.to_string(),
        }
    }

    #[test]
    fn reads_the_shared_format() {
        let queries = read_queries(FILE).unwrap();
        assert_eq!(queries.len(), 3);
        assert_eq!(queries[0].keys, ["lokalt handlingsrom", "arbeide for"]);
        assert_eq!(queries[1].heading, "fokusomrade 1");
        assert_eq!(queries[2].phenomenon, "single term");
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        assert_eq!(read_queries(""), Err(EvalError::Empty));
        assert_eq!(
            read_queries("id\tquery\theading\n"),
            Err(EvalError::MissingColumn("keys"))
        );
        assert_eq!(
            read_queries("id\tquery\tkeys\theading\n"),
            Err(EvalError::NoQueries)
        );
        assert_eq!(
            read_queries("id\tquery\tkeys\theading\nd1\n"),
            Err(EvalError::MissingCell {
                line: 2,
                column: "query"
            })
        );
        assert_eq!(
            read_queries("id\tquery\tkeys\theading\nd1\tx\ty\t\nd1\tz\tw\t\n"),
            Err(EvalError::DuplicateId {
                line: 3,
                id: "d1".to_string()
            })
        );
    }

    #[test]
    fn quoting_is_read_as_pythons_csv_reads_it() {
        let file = "id\tquery\tkeys\theading\n\
            q1\t\"Alle bekker små\"\talle bekker\t\n\
            \n\
            q2\t\"sier \"\"hei\"\"\tta\"\tb\t\"x\"\n\
            q3\tord\"med\tkey|\t\n";
        let queries = read_queries(file).unwrap();
        assert_eq!(queries[0].query, "Alle bekker små");
        assert_eq!(queries[1].query, "sier \"hei\"\tta");
        assert_eq!(queries[1].keys, ["b"]);
        assert_eq!(queries[1].heading, "x");
        // A quote inside a cell is a character; an empty key is kept (it matches any text).
        assert_eq!(queries[2].query, "ord\"med");
        assert_eq!(queries[2].keys, ["key", ""]);
    }

    #[test]
    fn normalizes_as_the_shared_scorer() {
        assert_eq!(
            normalize("Lokalt\n  <b>Handlingsrom</b>"),
            "lokalt handlingsrom"
        );
        assert_eq!(normalize("a < b og c > d"), "a d");
        assert_eq!(normalize("a\u{30A}"), "å");
        assert_eq!(normalize("x <> y"), "x <> y");
    }

    #[test]
    fn scores_as_the_shared_scorer() {
        let queries = read_queries(FILE).unwrap();
        let mut hits = HashMap::new();
        // d1: relevant at rank 2. d2: relevant at rank 1, heading right. d3: none in the
        // top 10 (the relevant hit is 11th), heading asked and so wrong.
        hits.insert(
            "d1".to_string(),
            vec![
                hit("noe annet", ""),
                hit("Å fremme lokalt\nhandlingsrom", ""),
            ],
        );
        hits.insert(
            "d2".to_string(),
            vec![hit("den borgernaere velfaerd", "Fokusomrade 1: Udvikling")],
        );
        let mut eleven = vec![hit("ikke her", ""); 10];
        eleven.push(hit("mentorordning", "Strategier"));
        hits.insert("d3".to_string(), eleven);
        let report = score(&queries, &hits);
        assert_eq!(report.queries, 3);
        assert_eq!(report.mrr10, 0.5);
        assert_eq!(report.s1, 0.333);
        assert_eq!(report.s5, 0.667);
        assert_eq!(report.heading_acc, Some(0.5));
        let ranks: Vec<Option<usize>> = report.outcomes.iter().map(|o| o.rank).collect();
        assert_eq!(ranks, [Some(2), Some(1), None]);
    }
}
