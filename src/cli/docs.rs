//! `claimtrail completions SHELL` and `claimtrail man`: the shell completion scripts and the
//! manual pages, both generated from the clap definitions in [`super::args`], so they always
//! describe the commands this binary has.

use super::args::{Args, CompletionShell, CompletionsArgs, ManArgs};
use super::{Context, Run};
use crate::error::Error;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};

impl Run for CompletionsArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let shell = match self.shell {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
        };
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Args::command(), "claimtrail", &mut script);
        io::stdout().write_all(&script).map_err(Error::output)
    }
}

impl Run for ManArgs {
    fn run(self, _ctx: &Context) -> Result<(), Error> {
        let command = Args::command();
        let Some(dir) = self.out else {
            let mut page = Vec::new();
            render(&command, &mut page)?;
            return io::stdout().write_all(&page).map_err(Error::output);
        };
        std::fs::create_dir_all(&dir).map_err(|e| {
            Error::Usage(format!("{}: cannot create the folder ({e})", dir.display()))
        })?;
        let mut pages = 0;
        for (name, cmd) in pages_of(command) {
            let mut page = Vec::new();
            render(&cmd, &mut page)?;
            let path = dir.join(format!("{name}.1"));
            super::output::write_bytes_atomically(&path, &page, true, "the manual page")?;
            pages += 1;
        }
        writeln!(
            io::stdout(),
            "wrote {pages} manual pages into {}",
            dir.display()
        )
        .map_err(Error::output)
    }
}

/// The main page and one page per command, named as `man` looks them up
/// (`claimtrail-search`). Built first, so that each command knows its display name
/// (`claimtrail-search`, the page's title) and its synopsis reads `claimtrail search ...`.
fn pages_of(mut command: clap::Command) -> Vec<(String, clap::Command)> {
    command.build();
    let mut pages = vec![("claimtrail".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        pages.push((format!("claimtrail-{}", sub.get_name()), sub.clone()));
    }
    pages
}

fn render(command: &clap::Command, out: &mut Vec<u8>) -> Result<(), Error> {
    clap_mangen::Man::new(command.clone())
        .render(out)
        .map_err(Error::output)
}
