//! `lete export --format opensearch DIR`: the index's passages for a search cluster.

use super::index::open_fresh_reporting;
use super::stderr::say;
use super::Outcome;
use crate::config::Config;
use crate::index::{lies_inside, read_passages, Freshness};
use crate::output::opensearch::{write_bulk, write_mapping, BULK_FILE, MAPPING_FILE};
use crate::output::schema::ExportedPassage;
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Write the passages for a search cluster: DIR/mapping.json (an index definition using the
/// built-in norwegian and danish analyzers, with text.nb, text.nn and text.da sub-fields) and
/// DIR/passages.ndjson (the bulk API's format). The index is brought up to date first; when
/// it cannot be (a read-only index folder, a full disk), nothing is written and the exit code is
/// 2, unless --refresh never asks for the index as it is.
#[derive(Debug, Args)]
#[command(after_help = "\
Load into OpenSearch or Elasticsearch:
  curl -XPUT localhost:9200/lete -H 'Content-Type: application/json' -d @DIR/mapping.json
  curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' --data-binary @DIR/passages.ndjson

Examples:
  lete export --format opensearch opensearch
  lete export --format opensearch --name kommune --force /tmp/export
  lete export --format opensearch opensearch && wc -l opensearch/passages.ndjson")]
pub(crate) struct ExportArgs {
    /// The folder to write to; created if missing.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value_t = ExportFormat::Opensearch)]
    pub format: ExportFormat,
    /// The cluster index the bulk file loads into.
    #[arg(long, default_value = "lete", value_name = "INDEX_NAME")]
    pub name: String,
    /// Write into a folder that is not empty (its mapping.json and passages.ndjson are
    /// replaced; other files are left alone).
    #[arg(long)]
    pub force: bool,
}

/// `--format` of `lete export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// OpenSearch or Elasticsearch: mapping.json and bulk passages.ndjson.
    Opensearch,
}

pub(crate) fn run(config: &Config, args: &ExportArgs) -> anyhow::Result<Outcome> {
    check_index_name(&args.name)?;
    check_outside(&args.dir, config)?;
    check_target(&args.dir, args.force)?;
    let fresh = open_fresh_reporting(config)?;
    // A search may answer from the index as it was when it cannot be updated (it says so); an
    // export is a copy a script loads elsewhere, and a stale one exited 0 after its warning
    // (break trial of issue 15), so the script could not tell. `--refresh never` is how to ask
    // for the index as it is.
    if let Freshness::Stale { .. } = fresh.freshness {
        anyhow::bail!(
            "the index could not be brought up to date, so nothing was exported; \
             --refresh never exports the index as it was last built"
        );
    }
    let index = fresh.index;
    let mut stored = index
        .guard(|| read_passages(&index))?
        .map_err(|error| index.damaged(&error))?;
    // The source as hits show it: a path from the current folder.
    for passage in &mut stored {
        passage.source = index.shown_source(&passage.source);
    }
    let passages: Vec<ExportedPassage<'_>> = stored.iter().map(ExportedPassage::from).collect();
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    write_file(&args.dir.join(MAPPING_FILE), |out| {
        write_mapping(out, passages.len())
    })?;
    write_file(&args.dir.join(BULK_FILE), |out| {
        write_bulk(out, &args.name, &passages)
    })?;
    if config.prints_notes() {
        say!(
            "exported {} passages to {} and {}",
            passages.len(),
            args.dir.join(MAPPING_FILE).display(),
            args.dir.join(BULK_FILE).display()
        );
    }
    Ok(Outcome::Success)
}

/// The export is written neither into the corpus folder, which lete never writes into, nor
/// into the index folder, which lete manages (found in the break trial of stop 25: `lete
/// export --force corpus` wrote its two files among the documents).
fn check_outside(dir: &Path, config: &Config) -> anyhow::Result<()> {
    for (folder, what) in [(&config.corpus, "corpus"), (&config.index, "index")] {
        if lies_inside(dir, folder) {
            anyhow::bail!(
                "{} lies inside the {what} folder {}, and lete never writes into it; choose \
                 another DIR",
                dir.display(),
                folder.display()
            );
        }
    }
    Ok(())
}

/// A folder with files in it is someone's: it is written into only with `--force`.
fn check_target(dir: &Path, force: bool) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "{} is a file, not a folder; choose another DIR",
            dir.display()
        );
    }
    let has_entries = std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if has_entries && !force {
        anyhow::bail!(
            "{} is not empty; choose an empty or new folder, or pass --force to replace its \
             {MAPPING_FILE} and {BULK_FILE}",
            dir.display()
        );
    }
    Ok(())
}

/// The rules OpenSearch and Elasticsearch set for index names, checked here so that a bad
/// name fails now and not at load time.
fn check_index_name(name: &str) -> anyhow::Result<()> {
    let forbidden =
        |c: char| c.is_ascii_uppercase() || c.is_whitespace() || "\\/*?\"<>|,#:".contains(c);
    let valid = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with(['-', '_', '+'])
        && name != "."
        && name != ".."
        && !name.chars().any(forbidden);
    if !valid {
        anyhow::bail!(
            "'{name}' is not a valid index name; use lower-case letters, digits, '-' and '_', \
             not starting with '-' or '_'"
        );
    }
    Ok(())
}

fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names_follow_the_cluster_rules() {
        for good in ["lete", "kommune-2024", "lete_v2"] {
            assert!(check_index_name(good).is_ok(), "{good}");
        }
        for bad in ["", "Lete", "_lete", "-x", "a b", "a/b", "..", "x:y"] {
            assert!(check_index_name(bad).is_err(), "{bad}");
        }
    }
}
