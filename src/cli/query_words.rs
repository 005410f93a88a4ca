//! `lete search lokalt handlingsrom --limit 3`: the query's words need no quotes, and options
//! may stand among them (issue 19). clap takes every argument after the first word as a word
//! when words may start with `-` (`-detaljstyring` excludes a word), so the arguments of a
//! search are sorted before clap reads them: its options (the search's own and the global
//! ones, with their values) first, then `--` and the words, in the order typed.

use clap::{Arg, Command};
use std::ffi::OsString;

/// The command line with a search's options moved before its words; any other command's as
/// it is.
pub(crate) fn options_before_words(cli: &Command, args: Vec<OsString>) -> Vec<OsString> {
    let mut cli = cli.clone();
    // Builds the global options into each command.
    cli.build();
    let Some(at) = command_position(&cli, &args) else {
        return args;
    };
    let Some(search) = cli.find_subcommand("search") else {
        return args;
    };
    if args[at] != "search" {
        return args;
    }
    let (options, words) = sort_arguments(search, &args[at + 1..]);
    let mut sorted = args[..=at].to_vec();
    sorted.extend(options);
    sorted.push(OsString::from("--"));
    sorted.extend(words);
    sorted
}

/// Where the command's name stands: the first argument that is neither an option of lete's
/// nor an option's value.
fn command_position(cli: &Command, args: &[OsString]) -> Option<usize> {
    let mut at = 1;
    while at < args.len() {
        let arg = args[at].to_string_lossy();
        if arg == "--" {
            return None;
        }
        match option_length(cli, &args[at..]) {
            Some(length) => at += length,
            None => return Some(at),
        }
    }
    None
}

/// A search's arguments: options (each with its value) in one list, words in the other.
fn sort_arguments(search: &Command, args: &[OsString]) -> (Vec<OsString>, Vec<OsString>) {
    let (mut options, mut words) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at < args.len() {
        if args[at] == "--" {
            words.extend_from_slice(&args[at + 1..]);
            break;
        }
        match option_length(search, &args[at..]) {
            Some(length) => {
                let end = (at + length).min(args.len());
                options.extend_from_slice(&args[at..end]);
                at = end;
            }
            None => {
                words.push(args[at].clone());
                at += 1;
            }
        }
    }
    (options, words)
}

/// How many arguments the option at the head of `args` takes up (1, or 2 with a separate
/// value); `None` when it is no option of `command`'s but a word. Any `--name` counts as an
/// option, so that a mistyped one is an error rather than a word searched for; `-word` is an
/// option only when each letter is a short option (`-n5`, `-lq`).
fn option_length(command: &Command, args: &[OsString]) -> Option<usize> {
    let arg = args[0].to_string_lossy();
    if let Some(long) = arg.strip_prefix("--") {
        let (name, inline_value) = match long.split_once('=') {
            Some((name, _)) => (name, true),
            None => (long, false),
        };
        let takes_value = find_long(command, name).is_some_and(takes_value);
        return Some(if takes_value && !inline_value { 2 } else { 1 });
    }
    let shorts = arg.strip_prefix('-').filter(|shorts| !shorts.is_empty())?;
    for (index, short) in shorts.char_indices() {
        let option = find_short(command, short)?;
        if takes_value(option) {
            let value_follows = index + short.len_utf8() == shorts.len();
            return Some(if value_follows { 2 } else { 1 });
        }
    }
    Some(1)
}

/// The option called `--name` (clap's own `--help` among them, once the command is built).
fn find_long<'a>(command: &'a Command, name: &str) -> Option<&'a Arg> {
    command.get_arguments().find(|arg| {
        arg.get_long() == Some(name)
            || arg
                .get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

fn find_short(command: &Command, short: char) -> Option<&Arg> {
    command
        .get_arguments()
        .find(|arg| arg.get_short() == Some(short))
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn sorted(line: &str) -> String {
        let args = line.split(' ').map(OsString::from).collect();
        let sorted = options_before_words(&crate::cli::Cli::command(), args);
        let sorted: Vec<String> = sorted
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        sorted.join(" ")
    }

    #[test]
    fn r19_a_search_takes_its_options_first_and_its_words_in_order() {
        assert_eq!(
            sorted("lete search lokalt handlingsrom --limit 3 -q"),
            "lete search --limit 3 -q -- lokalt handlingsrom"
        );
        assert_eq!(
            sorted("lete --corpus search search statlig -detaljstyring -n5 --json"),
            "lete --corpus search search -n5 --json -- statlig -detaljstyring"
        );
        assert_eq!(
            sorted("lete search -l0 kontingent -- -q --json"),
            "lete search -l0 -- kontingent -q --json"
        );
        assert_eq!(
            sorted("lete search --lang=da velfærd --help"),
            "lete search --lang=da --help -- velfærd"
        );
        // A mistyped option stays an option, for clap to refuse.
        assert_eq!(
            sorted("lete search x --limt 3"),
            "lete search --limt -- x 3"
        );
        assert_eq!(sorted("lete index --rebuild"), "lete index --rebuild");
        assert_eq!(sorted("lete -- search x"), "lete -- search x");
    }
}
