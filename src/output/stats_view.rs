//! `lete stats`: the index statistics as a table for a reader, or as `StatsOutput` JSON.

use super::schema::{StatsCounts, StatsOutput};
use crate::index::{Counts, IndexStats};
use crate::ingest::SelectionPatterns;
use std::io::{self, Write};

impl From<&Counts> for StatsCounts {
    fn from(counts: &Counts) -> StatsCounts {
        StatsCounts {
            documents: counts.documents,
            sections: counts.sections,
            passages: counts.passages,
            words: counts.words,
            distinct_terms: counts.distinct_terms,
        }
    }
}

impl<'a> StatsOutput<'a> {
    /// The output object for `stats` of the index in `index`, built from `corpus`.
    pub(crate) fn new(
        stats: &'a IndexStats,
        corpus: &str,
        index: &str,
        up_to_date: Option<bool>,
    ) -> StatsOutput<'a> {
        StatsOutput {
            corpus: corpus.to_string(),
            index: index.to_string(),
            built_at: rfc3339_utc(stats.built_at),
            built_at_unix: stats.built_at,
            up_to_date,
            lete_version: &stats.lete_version,
            schema_version: stats.schema_version,
            index_bytes: stats.size_bytes,
            skipped_files: stats.skipped_files,
            skipped: &stats.skipped,
            include: &stats.selection.include,
            exclude: &stats.selection.exclude,
            totals: StatsCounts::from(&stats.total),
            languages: stats
                .languages
                .iter()
                .map(|(lang, counts)| (*lang, StatsCounts::from(counts)))
                .collect(),
        }
    }
}

/// The JSON object and a newline.
pub(crate) fn write_stats_json(out: &mut dyn Write, stats: &StatsOutput) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, stats)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A table: one row per language present, then the totals; then where and when.
pub(crate) fn write_stats_pretty(out: &mut dyn Write, stats: &StatsOutput) -> io::Result<()> {
    writeln!(
        out,
        "{:<8}{:>11}{:>10}{:>10}{:>11}{:>16}",
        "", "documents", "sections", "passages", "words", "distinct terms"
    )?;
    let rows = stats
        .languages
        .iter()
        .filter(|(_, counts)| counts.passages > 0)
        .map(|(lang, counts)| (lang.code(), counts))
        .chain([("total", &stats.totals)]);
    for (label, counts) in rows {
        writeln!(
            out,
            "{label:<8}{:>11}{:>10}{:>10}{:>11}{:>16}",
            counts.documents, counts.sections, counts.passages, counts.words, counts.distinct_terms
        )?;
    }
    writeln!(out)?;
    let freshness = match stats.up_to_date {
        Some(true) => "up to date with the corpus",
        Some(false) => "out of date: the corpus changed (lete index updates it)",
        None => "the corpus folder is missing",
    };
    writeln!(out, "corpus         {}", stats.corpus)?;
    writeln!(
        out,
        "index          {} ({}, {freshness})",
        stats.index,
        human_bytes(stats.index_bytes)
    )?;
    writeln!(
        out,
        "built          {} by lete {} (schema {})",
        stats.built_at.replace('T', " ").replace('Z', " UTC"),
        stats.lete_version,
        stats.schema_version
    )?;
    let selection = SelectionPatterns {
        include: stats.include.to_vec(),
        exclude: stats.exclude.to_vec(),
    };
    writeln!(out, "files          {selection}")?;
    for (index, warning) in stats.skipped.iter().enumerate() {
        let label = if index == 0 { "skipped" } else { "" };
        writeln!(out, "{label:<15}{warning}")?;
    }
    out.flush()
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for next in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC), without a date crate
/// for one format.
pub(crate) fn rfc3339_utc(unix_seconds: u64) -> String {
    let days = unix_seconds / 86_400;
    let second_of_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Howard Hinnant's `civil_from_days` for days since 1970-01-01 (non-negative).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn dates_are_rfc3339_in_utc() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_735_689_599), "2024-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(1_740_830_400), "2025-03-01T12:00:00Z");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500), "1.5 kB");
        assert_eq!(human_bytes(3_250_000), "3.2 MB");
    }

    #[test]
    fn the_table_shows_present_languages_and_the_totals() {
        let counts = |documents| StatsCounts {
            documents,
            sections: 2,
            passages: 3,
            words: 40,
            distinct_terms: 30,
        };
        let stats = StatsOutput {
            corpus: "corpus".to_string(),
            index: "index".to_string(),
            built_at: rfc3339_utc(1_740_830_400),
            built_at_unix: 1_740_830_400,
            up_to_date: Some(true),
            lete_version: "0.1.0",
            schema_version: 1,
            index_bytes: 52_000,
            skipped_files: 1,
            skipped: &["corpus/tom.txt: empty file (no text); skipped".to_string()],
            include: &["*.txt".to_string()],
            exclude: &[],
            totals: counts(2),
            languages: [
                (Lang::Nb, counts(1)),
                (Lang::Nn, StatsCounts::default()),
                (Lang::Da, counts(1)),
            ]
            .into_iter()
            .collect(),
        };
        let mut out = Vec::new();
        write_stats_pretty(&mut out, &stats).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\nnb                1         2         3         40"));
        assert!(!text.contains("\nnn "), "{text}");
        assert!(text.contains("\ntotal             2"), "{text}");
        assert!(text.contains("index          index (52.0 kB, up to date with the corpus)"));
        assert!(text.contains("built          2025-03-01 12:00:00 UTC by lete 0.1.0"));
        assert!(
            text.contains("\nfiles          --include '*.txt'\n"),
            "{text}"
        );
        assert!(text.contains("\nskipped        corpus/tom.txt: empty file (no text); skipped\n"));
    }
}
