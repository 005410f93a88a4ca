//! `lete man [COMMAND] [--dir DIR]`: manual pages in roff, generated from the clap definition
//! so that they never drift from `--help` (issue 7).

use super::stdout::results_stdout;
use super::{Cli, Outcome};
use anyhow::Context;
use clap::{Args, CommandFactory};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Print the manual page of lete (or of one command) in roff, or write them all to a folder.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  lete man | man -l -
  lete man search | man -l -
  lete man --dir ~/.local/share/man/man1   # lete.1, lete-search.1, …; then: man lete")]
pub(crate) struct ManArgs {
    /// A command's page (`search`, `index`, …) instead of lete's own.
    pub command: Option<String>,
    /// Write every page (lete.1 and lete-COMMAND.1) into this folder instead of printing.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

pub(crate) fn run(args: &ManArgs) -> anyhow::Result<Outcome> {
    if let Some(dir) = &args.dir {
        write_all_pages(dir)?;
        return Ok(Outcome::Success);
    }
    let page = match &args.command {
        None => render(lete_command())?,
        Some(name) => render(subcommand(name)?)?,
    };
    let mut out = results_stdout()?;
    out.write_all(&page)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// lete's command with its version, as the pages show it.
fn lete_command() -> clap::Command {
    let mut command = Cli::command();
    command.build();
    command
}

/// A subcommand named as on the command line, titled `lete-NAME` as man pages of
/// subcommands are (git-commit(1)).
fn subcommand(name: &str) -> anyhow::Result<clap::Command> {
    let command = lete_command();
    let names: Vec<String> = visible_subcommands(&command)
        .map(|sub| sub.get_name().to_string())
        .collect();
    let found = command
        .find_subcommand(name)
        .filter(|sub| !sub.is_hide_set())
        .ok_or_else(|| {
            anyhow::anyhow!("no command '{name}'; lete man knows {}", names.join(", "))
        })?;
    Ok(found
        .clone()
        .display_name(format!("lete-{}", found.get_name()))
        .version(env!("CARGO_PKG_VERSION")))
}

fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

fn render(command: clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .source(format!("lete {}", env!("CARGO_PKG_VERSION")))
        .manual("lete manual")
        .render(&mut page)?;
    Ok(page)
}

/// `lete.1` and one `lete-NAME.1` per command, so that `man lete-search` works too.
fn write_all_pages(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let write = |name: String, page: Vec<u8>| {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))
    };
    write("lete.1".to_string(), render(lete_command())?)?;
    let command = lete_command();
    for sub in visible_subcommands(&command) {
        let name = sub.get_name().to_string();
        write(format!("lete-{name}.1"), render(subcommand(&name)?)?)?;
    }
    Ok(())
}
