//! `lete completions SHELL`: a completion script for bash, zsh, fish, PowerShell or elvish,
//! generated from the same clap definition the binary parses with (issue 7).

use super::stdout::results_stdout;
use super::{Cli, Outcome};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;

/// Print a completion script for SHELL on stdout.
#[derive(Debug, Args)]
#[command(after_help = "\
Install (then open a new shell):
  bash:  lete completions bash > ~/.local/share/bash-completion/completions/lete
  zsh:   lete completions zsh > ~/.zfunc/_lete   # with fpath+=(~/.zfunc); autoload -U compinit; compinit in ~/.zshrc
  fish:  lete completions fish > ~/.config/fish/completions/lete.fish
  PowerShell:  lete completions powershell >> $PROFILE

Examples:
  lete completions bash > lete.bash && source lete.bash
  lete completions zsh | head")]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub(crate) fn run(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "lete", &mut script);
    let mut out = results_stdout()?;
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Success)
}
