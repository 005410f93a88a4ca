//! `lete outline FILE [--json]`: a document's structure as lete sees it.

use super::stderr::say;
use super::stdout::results_stdout;
use super::Outcome;
use crate::ingest::shown_path;
use crate::output::printable;
use crate::output::schema::OutlineOutput;
use crate::pipeline::{load_document, LoadedDocument};
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Print a document's title, language, sections (heading, level, line) and passages.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  lete outline corpus/001_1cf0783d53d43ec1.txt\n  lete outline --json corpus/004_23c5671f6e93fa29.txt | jq '.sections[].heading'"
)]
pub(crate) struct OutlineArgs {
    /// The text file to read.
    pub file: PathBuf,
    /// Print the outline as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(args: &OutlineArgs) -> anyhow::Result<Outcome> {
    let source = shown_path(&args.file);
    let loaded = load_document(&args.file, &source).with_context(|| source.clone())?;
    for warning in &loaded.warnings {
        say!("warning: {source}: {warning}");
    }
    let mut out = results_stdout()?;
    if args.json {
        serde_json::to_writer(&mut out, &OutlineOutput::from(&loaded.document))?;
        writeln!(out)?;
    } else {
        write_pretty(&mut out, &loaded)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

const PREVIEW_CHARS: usize = 90;

fn write_pretty(out: &mut impl Write, loaded: &LoadedDocument) -> std::io::Result<()> {
    let doc = &loaded.document;
    let passages: usize = doc.sections.iter().map(|s| s.passages.len()).sum();
    writeln!(out, "{}", printable(&doc.title))?;
    // Running headers and footers are counted apart from page numbers (they were all called
    // page numbers: break trial of issue 15), and said only where there were any.
    let running = match loaded.running_lines_dropped {
        0 => String::new(),
        lines => format!("  header and footer lines dropped: {lines}"),
    };
    writeln!(
        out,
        "  source: {}  language: {}  sections: {}  passages: {}  page numbers dropped: {}{running}",
        doc.source,
        doc.lang,
        doc.sections.len(),
        passages,
        loaded.page_numbers_dropped
    )?;
    for section in &doc.sections {
        let indent = "  ".repeat(section.level as usize);
        let marker = if section.level == 0 {
            "(title)".to_string()
        } else {
            "#".repeat(section.level as usize)
        };
        let note = if section.boilerplate {
            "  [boilerplate]"
        } else {
            ""
        };
        writeln!(out)?;
        writeln!(
            out,
            "L{:<5} {indent}{marker} {}{note}",
            section.line,
            printable(&section.heading)
        )?;
        for passage in &section.passages {
            writeln!(
                out,
                "L{:<5} {indent}    {}",
                passage.line,
                printable(&preview(&passage.text))
            )?;
        }
    }
    Ok(())
}

/// The start of a passage on one line, cut at a character boundary.
fn preview(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= PREVIEW_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(PREVIEW_CHARS - 1).collect();
    format!("{cut}…")
}
